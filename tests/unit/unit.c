/* Unit tests of galley's building blocks; prints "ok"/"not ok" per check and a total. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "doc.h"
#include "font.h"
#include "lay_break.h"
#include "md.h"
#include "utf8.h"

static int passed, failed;

static void
expect(int cond, const char *what)
{
	if (cond)
		passed++;
	else {
		failed++;
		printf("not ok: %s\n", what);
	}
}

static void
test_utf8(void)
{
	int32_t cp = -1;

	expect(utf8_decode("\xE4\xB8\xAD", 3, &cp) == 3 && cp == 0x4E2D, "decode 中");
	expect(utf8_decode("\xC0\x80", 2, &cp) == 0, "overlong NUL is malformed");
	expect(utf8_decode("\xE0\x80\xAF", 3, &cp) == 0, "overlong slash is malformed");
	expect(utf8_decode("\xED\xA0\x80", 3, &cp) == 0, "surrogate is malformed");
	expect(utf8_decode("\xF4\x90\x80\x80", 4, &cp) == 0, "past U+10FFFF is malformed");
	expect(utf8_decode("\xE4\xB8", 2, &cp) == 0, "truncated sequence is malformed");
	expect(utf8_check("ab\xE4\xB8\xAD\xFF", 6) == 5, "check finds the bad byte");
	expect(utf8_check("中文", 6) == 6, "check accepts good text");
	expect(utf8_before("a中", 4) == 0x4E2D, "the character before the end");
	expect(utf8_count("中a文", 7) == 3, "count code points");
	expect(uc_is_wide(0x4E2D) && uc_is_wide(0x3002) && uc_is_wide(0xFF08),
	    "Han, 。 and （ are wide");
	expect(!uc_is_wide('a') && !uc_is_wide(0x201C), "a and “ are not wide");
	expect(uc_is_punct(0x3002) && uc_is_punct(0xFF09) && uc_is_punct(0x201D) &&
	    uc_is_punct('!'), "。 ） ” ! are punctuation");
	expect(!uc_is_punct(0x4E2D) && !uc_is_punct('a'), "中 and a are not punctuation");
}

static void
test_attr(void)
{
	struct doc_attr a = { NULL, NULL, 0, NULL, 0 };
	const char *s;

	s = "{#scope .unnumbered lang=en title=\"a b\"}";
	expect(doc_attr_parse(s, strlen(s), &a) == 1, "parse a full attribute block");
	expect(a.id && strcmp(a.id, "scope") == 0, "id");
	expect(a.nclasses == 1 && strcmp(a.classes[0], "unnumbered") == 0, "class");
	expect(doc_attr_get(&a, "lang") && strcmp(doc_attr_get(&a, "lang"), "en") == 0,
	    "key=value");
	expect(doc_attr_get(&a, "title") && strcmp(doc_attr_get(&a, "title"), "a b") == 0,
	    "quoted value");
	s = "{-}";
	expect(doc_attr_parse(s, strlen(s), &a) == 1 &&
	    doc_attr_has_class(&a, "unnumbered"), "{-} means unnumbered");
	s = "{#a #b}";
	expect(doc_attr_parse(s, strlen(s), &a) == 0 && a.id == NULL,
	    "two ids are not attributes");
	s = "{x}";
	expect(doc_attr_parse(s, strlen(s), &a) == 0, "{x} is text");
	s = "{#id .c=d}";
	expect(doc_attr_parse(s, strlen(s), &a) == 0, "a class with '=' is text");
	s = "{k=\"unterminated}";
	expect(doc_attr_parse(s, strlen(s), &a) == 0, "an open quote is text");
	doc_attr_clear(&a);
}

static void
test_urls(void)
{
	expect(check_url_is_dangerous("javascript:alert(1)"), "javascript:");
	expect(check_url_is_dangerous("  JaVaScRiPt:alert(1)"), "mixed case, leading spaces");
	expect(check_url_is_dangerous("java\tscript:alert(1)"), "tab inside the scheme");
	expect(check_url_is_dangerous("\x01javascript:x"), "leading control character");
	expect(check_url_is_dangerous("vbscript:x"), "vbscript:");
	expect(check_url_is_dangerous("file:///etc/passwd"), "file:");
	expect(check_url_is_dangerous("data:text/html,<script>"), "data:text/html");
	expect(!check_url_is_dangerous("data:image/png;base64,AAAA"), "data:image/png");
	expect(!check_url_is_dangerous("https://example.org/javascript:x"), "https");
	expect(!check_url_is_dangerous("#scope"), "fragment");
	expect(!check_url_is_dangerous("images/a.png"), "relative path");
	expect(!check_url_is_dangerous("mailto:a@example.org"), "mailto:");
}

static const char *
first_heading_id(const char *md)
{
	static char id[128];
	struct doc *doc = doc_new("t.md");
	struct doc_node *n;

	id[0] = '\0';
	if (md_parse(doc, md, strlen(md)) == 0) {
		doc_assign_ids(doc);
		for (n = doc->root->first; n && n->type != DOC_HEADING; n = n->next)
			;
		if (n && n->attr.id)
			snprintf(id, sizeof(id), "%s", n->attr.id);
	}
	doc_free(doc);
	return id;
}

static void
test_ids(void)
{
	expect(strcmp(first_heading_id("# 1 范围\n"), "范围") == 0, "number dropped");
	expect(strcmp(first_heading_id("# Hello, *World*!\n"), "hello-world") == 0,
	    "pandoc rule for Latin");
	expect(strcmp(first_heading_id("# 视频监控系统\xE3\x80\x80video system\n"),
	    "视频监控系统-video-system") == 0, "U+3000 becomes a hyphen");
	expect(strcmp(first_heading_id("# 。，\n"), "section") == 0,
	    "nothing left gives 'section'");
	expect(strcmp(first_heading_id("# 范围 {#scope}\n"), "scope") == 0,
	    "explicit id wins");
}

static void
test_fonts(void)
{
	struct font_set *set = font_set_new();
	struct font *ming, *serif, *kai, *hei;
	struct buf subset = BUF_INIT;
	uint32_t gids[2];

	ming = font_get(set, "AR PL UMing CN", 0, 0, NULL, 0);
	expect(ming != NULL, "AR PL UMing CN is found");
	if (ming != NULL) {
		gids[0] = font_glyph(ming, 0x4E2D);
		gids[1] = font_glyph(ming, 0x6587);
		expect(gids[0] != 0 && gids[1] != 0, "UMing has 中 and 文");
		expect(font_advance(ming, gids[0]) == font_units_per_em(ming),
		    "中 is one em wide");
		expect(font_glyph(ming, 0x1F600) == 0, "no glyph for an emoji");
		expect(font_get(set, "ar pl uming cn", 0, 0, NULL, 0) == ming,
		    "a font is opened once (family names ignore case)");
		expect(font_subset(ming, gids, 2, &subset) == 0 && subset.len > 0 &&
		    subset.len < 200000, "a two-glyph subset is small");
		expect(subset.len >= 4 && memcmp(subset.data, "\0\1\0\0", 4) == 0,
		    "the subset is a TrueType file");
	}
	serif = font_get(set, "Liberation Serif", 0, 0, NULL, 0);
	expect(serif != NULL && font_glyph(serif, 'a') != 0 &&
	    font_advance(serif, font_glyph(serif, 'a')) < font_units_per_em(serif),
	    "Liberation Serif: 'a' is narrower than an em");
	expect(font_get(set, "Liberation Serif", 1, 0, NULL, 0) != serif &&
	    font_is_bold(font_get(set, "Liberation Serif", 1, 0, NULL, 0)),
	    "Liberation Serif has a real bold face");
	kai = font_get(set, "AR PL UKai CN", 1, 0, NULL, 0);
	expect(kai != NULL && !font_is_bold(kai), "UKai has no bold: synthetic bold needed");
	hei = font_get(set, "WenQuanYi Zen Hei", 0, 0, NULL, 0);
	expect(hei != NULL && font_glyph(hei, 0x9ED1) != 0, "a face inside a .ttc");
	expect(font_get(set, "No Such Font Family", 0, 0, NULL, 0) == NULL,
	    "a missing family is an error, not a substitute");
	buf_free(&subset);
	font_set_free(set);
}

/* Words of width 10 with 5-point spaces, ended as a paragraph ends. */
static size_t
words(struct lb_item *items, int count)
{
	size_t n = 0;
	int i;

	for (i = 0; i < count; i++) {
		if (i > 0)
			items[n++] = (struct lb_item){ LB_GLUE, 5, 3, 2, 0, 0 };
		items[n++] = (struct lb_item){ LB_BOX, 10, 0, 0, 0, 0 };
	}
	items[n++] = (struct lb_item){ LB_PENALTY, 0, 0, 0, LB_INFINITY, 0 };
	items[n++] = (struct lb_item){ LB_GLUE, 0, 1e6, 0, 0, 0 };
	items[n++] = (struct lb_item){ LB_PENALTY, 0, 0, 0, -LB_INFINITY, 0 };
	return n;
}

static void
test_line_breaking(void)
{
	const struct lb_params p = { 2, 10, 3000, 100 };
	struct lb_item items[64];
	struct lb_line *lines;
	double w40 = 40, w[2] = { 25, 40 };
	size_t n, count;

	n = words(items, 10);
	count = lb_break(items, n, &w40, 1, &p, &lines);
	expect(count == 4, "ten words of 10 in lines of 40: four lines");
	expect(count == 4 && lines[0].start == 0 && lines[0].end == 5 &&
	    fabs(lines[0].ratio) < 1e-9, "the first line holds three words exactly");
	expect(count == 4 && lines[1].start == 6, "the space at a break is dropped");
	expect(count == 4 && !lines[3].overfull && lines[3].end == n - 1,
	    "the last line ends at the forced break");
	free(lines);

	count = lb_break(items, n, w, 2, &p, &lines);
	expect(count >= 1 && lines[0].end == 3, "a narrower first line holds two words");
	free(lines);

	/* Penalties of infinity between boxes leave no place to break. */
	n = 0;
	items[n++] = (struct lb_item){ LB_BOX, 30, 0, 0, 0, 0 };
	items[n++] = (struct lb_item){ LB_PENALTY, 0, 0, 0, LB_INFINITY, 0 };
	items[n++] = (struct lb_item){ LB_GLUE, 0, 1, 0, 0, 0 };
	items[n++] = (struct lb_item){ LB_BOX, 30, 0, 0, 0, 0 };
	items[n++] = (struct lb_item){ LB_PENALTY, 0, 0, 0, LB_INFINITY, 0 };
	items[n++] = (struct lb_item){ LB_GLUE, 0, 1e6, 0, 0, 0 };
	items[n++] = (struct lb_item){ LB_PENALTY, 0, 0, 0, -LB_INFINITY, 0 };
	count = lb_break(items, n, &w40, 1, &p, &lines);
	expect(count == 1 && lines[0].overfull, "no legal break: one overfull line, not none");
	free(lines);

	/* A costly break is taken only when it is needed. */
	n = 0;
	items[n++] = (struct lb_item){ LB_BOX, 20, 0, 0, 0, 0 };
	items[n++] = (struct lb_item){ LB_PENALTY, 0, 0, 0, 500, 0 };
	items[n++] = (struct lb_item){ LB_BOX, 15, 0, 0, 0, 0 };
	items[n++] = (struct lb_item){ LB_GLUE, 5, 3, 2, 0, 0 };
	items[n++] = (struct lb_item){ LB_BOX, 20, 0, 0, 0, 0 };
	items[n++] = (struct lb_item){ LB_PENALTY, 0, 0, 0, LB_INFINITY, 0 };
	items[n++] = (struct lb_item){ LB_GLUE, 0, 1e6, 0, 0, 0 };
	items[n++] = (struct lb_item){ LB_PENALTY, 0, 0, 0, -LB_INFINITY, 0 };
	count = lb_break(items, n, &w40, 1, &p, &lines);
	expect(count == 2 && lines[0].end == 3, "the cheap break at the space wins");
	free(lines);
}

int
main(void)
{
	test_utf8();
	test_attr();
	test_urls();
	test_ids();
	test_fonts();
	test_line_breaking();
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
