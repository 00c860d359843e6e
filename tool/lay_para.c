/* A paragraph of Chinese (and Latin) text set into justified lines by the clreq rules. */
#include "lay_para.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lay_break.h"
#include "mem.h"
#include "msg.h"
#include "utf8.h"

/* What a character does at a line break and to its neighbours' spacing (clreq). */
enum cls {
	CL_SPACE,
	CL_BREAK,	/* a hard line break */
	CL_HAN,		/* Han, kana, hangul, ideographic space: a break may come on either side */
	CL_OPEN,	/* full-width opening bracket or quote: never at a line end */
	CL_CLOSE,	/* full-width closing bracket, quote or 点号: never at a line start */
	CL_DASH,	/* —— : its two halves never split */
	CL_ELLIPSIS,	/* …… : likewise */
	CL_NOSTART,	/* other marks that never start a line: · ～ and Latin , . ; : ! ? ) */
	CL_LATIN_OPEN,	/* ( [ { in Latin text */
	CL_LATIN	/* letters, digits, the rest: words break only at spaces */
};

struct tok {
	uint32_t	 cp;
	enum cls	 cls;
	struct font	*font;		/* the one that draws it */
	struct font	*cjk;		/* its run's fonts */
	struct font	*latin;
	uint32_t	 gid;
	double		 size;
	double		 advance;	/* the glyph's own width, points */
	int		 line;
	unsigned	 deco;
	const char	*href;
	int		 long_word;	/* in a Latin run wider than the line may break anywhere */
	int		 overlong;	/* in a piece with no break that is wider than the line */
	int		 no_break_before;	/* ICU's rules keep it on the line of what precedes it */
	double		 rise;
	int		 wide;		/* a shared mark (·) set full-width from the CJK face */
	int		 has_ink;	/* a mark whose ink bounds are known: */
	double		 ink_l, ink_r;	/* across, points from the glyph's origin */
};

/*
 * Which glue gives way first when a line is justified (clreq): a line too long
 * shrinks Western spaces, then the outer halves of brackets and quotes, then
 * the blank halves of ，、；：, then the gaps between Han and Latin; a line
 * too short stretches the paragraph's end first, then Western spaces, then
 * Han–Latin gaps, and only then the space between all characters.  Each glue
 * has one class for shrinking and one for stretching.
 */
enum adj {
	ADJ_NONE,
	ADJ_FILL,		/* the end of a paragraph or a hard break: takes any stretch */
	ADJ_SPACE,		/* a Western space */
	ADJ_BRACKET,		/* the blank half of a bracket or quote */
	ADJ_PAUSE,		/* the blank half of ，、；： */
	ADJ_HAN_LATIN,		/* the ¼ em between Han and Latin */
	ADJ_INTER		/* between any two characters */
};

static const enum adj shrink_order[] = { ADJ_SPACE, ADJ_BRACKET, ADJ_PAUSE, ADJ_HAN_LATIN };
static const enum adj stretch_order[] = { ADJ_FILL, ADJ_SPACE, ADJ_HAN_LATIN, ADJ_INTER };

struct builder {
	struct lb_item	*items;
	int		*glyph;		/* per item: the token it draws, or -1 */
	double		*dx;		/* per item: where the glyph sits within the box */
	unsigned char	*shrink_adj;	/* per item: its enum adj when shrinking */
	unsigned char	*stretch_adj;	/* and when stretching */
	size_t		 n, cap;
};

static const uint32_t open_marks[] = {
	0xFF08, 0xFF3B, 0xFF5B, 0x300A, 0x3008, 0x300C, 0x300E, 0x3010, 0x3014,
	0x3016, 0x3018, 0x301A, 0x201C, 0x2018, 0xFF5F, 0x301D,
};
static const uint32_t close_marks[] = {
	0xFF09, 0xFF3D, 0xFF5D, 0x300B, 0x3009, 0x300D, 0x300F, 0x3011, 0x3015,
	0x3017, 0x3019, 0x301B, 0x201D, 0x2019, 0xFF60, 0x301E, 0x301F,
	0x3001, 0xFF0C, 0x3002, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F,
};
static const uint32_t nostart_marks[] = {
	0x00B7, 0x30FB, 0x2027, 0xFF5E, 0x301C, 0x3005, 0x309D, 0x309E, 0x30FC,
	',', '.', ';', ':', '!', '?', ')', ']', '}', '%', 0x2030, 0x2103,
};

static int
in_list(uint32_t cp, const uint32_t *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == cp)
			return 1;
	return 0;
}

#define IN(cp, list) in_list((cp), (list), sizeof(list) / sizeof((list)[0]))

/* 、，：； — the 点号 inside a sentence, whose blank half may go before a line breaks early. */
static int
is_pause(uint32_t cp)
{
	return cp == 0x3001 || cp == 0xFF0C || cp == 0xFF1A || cp == 0xFF1B;
}

/* 。？！ and the full-width full stop: they end a sentence. */
static int
is_stop(uint32_t cp)
{
	return cp == 0x3002 || cp == 0xFF1F || cp == 0xFF01 || cp == 0xFF0E;
}

static int
is_curly_quote(uint32_t cp)
{
	return cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019;
}

static enum cls
classify(uint32_t cp)
{
	/* Most characters are Han ideographs or Latin letters and digits, in none
	   of the lists below: answered before the lists are searched (every
	   character of every paragraph is classified). */
	if (cp >= 0x4E00 && cp <= 0x9FFF)
		return uc_is_wide((int32_t)cp) ? CL_HAN : CL_LATIN;
	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'))
		return CL_LATIN;
	if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r')
		return CL_SPACE;
	if (cp == 0x2028)
		return CL_BREAK;
	if (IN(cp, open_marks))
		return CL_OPEN;
	if (IN(cp, close_marks))
		return CL_CLOSE;
	if (cp == 0x2014 || cp == 0x2E3A)
		return CL_DASH;
	if (cp == 0x2026)
		return CL_ELLIPSIS;
	if (IN(cp, nostart_marks))
		return CL_NOSTART;
	if (cp == '(' || cp == '[' || cp == '{')
		return CL_LATIN_OPEN;
	if (uc_is_wide((int32_t)cp))
		return CL_HAN;
	return CL_LATIN;
}

static int
is_cjk(enum cls c)
{
	return c == CL_HAN || c == CL_OPEN || c == CL_CLOSE || c == CL_DASH ||
	    c == CL_ELLIPSIS;
}

/* Curly quotes, dashes and ellipses are Chinese marks in Chinese text and Latin ones in Latin text. */
static void
settle_shared_marks(struct tok *t, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		int shared = is_curly_quote(t[i].cp) || t[i].cp == 0x2014 || t[i].cp == 0x2026;
		int cjk_near = 0;
		if (!shared)
			continue;
		for (k = i; k-- > 0 && t[k].cls != CL_SPACE;)
			if (!is_curly_quote(t[k].cp) && t[k].cp != 0x2014 && t[k].cp != 0x2026) {
				cjk_near |= is_cjk(t[k].cls);
				break;
			}
		for (k = i + 1; k < n && t[k].cls != CL_SPACE; k++)
			if (!is_curly_quote(t[k].cp) && t[k].cp != 0x2014 && t[k].cp != 0x2026) {
				cjk_near |= is_cjk(t[k].cls);
				break;
			}
		if (!cjk_near)
			t[i].cls = t[i].cp == 0x201C || t[i].cp == 0x2018 ? CL_LATIN_OPEN :
			    t[i].cp == 0x201D || t[i].cp == 0x2019 ? CL_NOSTART : CL_LATIN;
	}
	/* A middle dot between Chinese characters (马克·吐温) is the full-width 间隔号. */
	for (i = 1; i + 1 < n; i++)
		if (t[i].cp == 0x00B7 && is_cjk(t[i - 1].cls) && is_cjk(t[i + 1].cls))
			t[i].wide = 1;
}

/* A mark whose place in its cell galley sets from its ink (and shapes as zh-Hans). */
static int
is_mark(const struct tok *t)
{
	return t->cls == CL_OPEN || t->cls == CL_CLOSE || t->cls == CL_DASH ||
	    t->cls == CL_ELLIPSIS || t->wide;
}

/*
 * The glyph of cp in font.  Marks are shaped as Simplified
 * Chinese, so that a font with Taiwan-style centred marks and a locl feature
 * gives its mainland forms; Han characters keep the plain lookup (the cache
 * of shaped marks holds a few dozen, and locl rarely changes a Han glyph).
 * The same marks in Latin text take their proportional forms.
 */
static uint32_t
glyph_of(struct font *font, uint32_t cp, int mark)
{
	return mark ? font_glyph_zh(font, cp) : font_glyph_latin(font, cp);
}

static void
push(struct builder *b, enum lb_kind kind, double width, double stretch,
    double shrink, double penalty, int glyph, double dx)
{
	if (b->n == b->cap) {
		size_t cap = b->cap;
		b->items = mem_grow(b->items, &cap, b->n + 1, sizeof(*b->items));
		b->glyph = mem_realloc(b->glyph, cap * sizeof(*b->glyph));
		b->dx = mem_realloc(b->dx, cap * sizeof(*b->dx));
		b->shrink_adj = mem_realloc(b->shrink_adj, cap);
		b->stretch_adj = mem_realloc(b->stretch_adj, cap);
		b->cap = cap;
	}
	b->items[b->n] = (struct lb_item){ kind, width, stretch, shrink, penalty, 0 };
	b->glyph[b->n] = glyph;
	b->dx[b->n] = dx;
	b->shrink_adj[b->n] = ADJ_NONE;
	b->stretch_adj[b->n] = ADJ_NONE;
	b->n++;
}

/* Glue that shrinks as class sh and stretches as class st (enum adj). */
static void
glue(struct builder *b, double width, double stretch, double shrink, enum adj st, enum adj sh)
{
	push(b, LB_GLUE, width, stretch, shrink, 0, -1, 0);
	b->stretch_adj[b->n - 1] = stretch > 0 ? st : ADJ_NONE;
	b->shrink_adj[b->n - 1] = shrink > 0 ? sh : ADJ_NONE;
}

static void
builder_free(struct builder *b)
{
	free(b->items);
	free(b->glyph);
	free(b->dx);
	free(b->shrink_adj);
	free(b->stretch_adj);
}

#define BOX(b, w, g, dx)	push((b), LB_BOX, (w), 0, 0, 0, (g), (dx))
#define PENALTY(b, p)		push((b), LB_PENALTY, 0, 0, 0, (p), -1, 0)

/*
 * Asks ICU where lines may start in the tokens' text (UAX #14: no break
 * inside a no-break space or word joiner, before a combining mark or a
 * variation selector, …).  Those rules only take breaks away; where a break
 * is made is still clreq's choice.
 */
static void
mark_icu_breaks(struct tok *t, size_t n, struct coll *text)
{
	struct buf utf8 = BUF_INIT;
	size_t *at, i;
	unsigned char *can;

	if (text == NULL || n < 2)
		return;
	at = mem_zalloc(n, sizeof(*at));
	for (i = 0; i < n; i++) {
		char enc[4];
		uint32_t cp = t[i].cls == CL_BREAK ? '\n' : t[i].cp;
		/*
		 * Curly quotes in Chinese text go to ICU as corner brackets: before
		 * Unicode 15.1 its rules keep a quote to both neighbours, which in
		 * Chinese would forbid a break before “ and after ”.
		 */
		if (is_curly_quote(cp) && (t[i].cls == CL_OPEN || t[i].cls == CL_CLOSE))
			cp = cp == 0x201C ? 0x300C : cp == 0x201D ? 0x300D :
			    cp == 0x2018 ? 0x300E : 0x300F;
		at[i] = utf8.len;
		buf_put(&utf8, enc, utf8_encode((int32_t)cp, enc));
	}
	can = mem_zalloc(utf8.len + 1, 1);
	if (coll_line_breaks(text, buf_str(&utf8), utf8.len, can) == 0)
		for (i = 1; i < n; i++)
			t[i].no_break_before = !can[at[i]];
	free(can);
	free(at);
	buf_free(&utf8);
}

/* Decodes the runs into tokens with fonts and widths; spaces collapse into one. */
static struct tok *
tokenize(const struct lay_run *runs, size_t nruns, const struct lay_para_style *st,
    size_t *count)
{
	struct tok *t = NULL;
	size_t n = 0, cap = 0, r, i, step;
	int32_t cp;

	for (r = 0; r < nruns; r++) {
		const struct lay_run *run = &runs[r];
		for (i = 0; i < run->len; i += step) {
			if ((step = utf8_decode(run->text + i, run->len - i, &cp)) == 0) {
				step = 1;
				cp = 0xFFFD;
			}
			enum cls c = classify((uint32_t)cp);
			/* A raised note mark clings to what it follows. */
			if (run->rise != 0 && c != CL_SPACE && c != CL_BREAK)
				c = CL_NOSTART;
			if (c == CL_SPACE && (n == 0 || t[n - 1].cls == CL_SPACE))
				continue;
			if (n == cap)
				t = mem_grow(t, &cap, n + 1, sizeof(*t));
			memset(&t[n], 0, sizeof(t[n]));
			t[n].cp = c == CL_SPACE ? ' ' : (uint32_t)cp;
			t[n].cls = c;
			t[n].size = run->size;
			t[n].line = run->line;
			t[n].deco = run->deco;
			t[n].href = run->href;
			t[n].rise = run->rise;
			t[n].cjk = run->cjk;
			t[n].latin = run->latin;
			n++;
		}
	}
	while (n > 0 && t[n - 1].cls == CL_SPACE)
		n--;
	settle_shared_marks(t, n);
	for (i = 0; i < n; i++) {
		struct font *cjk = t[i].cjk;
		struct font *latin = t[i].latin;
		int mark = is_mark(&t[i]);
		struct font *first = is_cjk(t[i].cls) || t[i].wide ? cjk : latin;
		struct font *second = first == cjk ? latin : cjk;
		uint32_t gid = first ? glyph_of(first, t[i].cp, mark) : 0;

		t[i].font = first;
		if (gid == 0 && second && (gid = glyph_of(second, t[i].cp, mark)) != 0)
			t[i].font = second;
		for (size_t f = 0; gid == 0 && t[i].cls != CL_SPACE && f < st->nfallback; f++)
			if ((gid = glyph_of(st->fallback[f], t[i].cp, mark)) != 0)
				t[i].font = st->fallback[f];
		if (gid == 0 && t[i].cls != CL_SPACE && t[i].cls != CL_BREAK) {
			size_t k;
			for (k = 0; k < i && t[k].cp != t[i].cp; k++)
				;
			if (k == i)	/* once per character and paragraph */
				msg_at(MSG_WARNING, st->file, t[i].line, 0,
				    "no font has the character U+%04X; it is left blank",
				    (unsigned)t[i].cp);
		}
		t[i].gid = gid;
		if (t[i].font)
			t[i].advance = font_advance(t[i].font, gid) * t[i].size /
			    font_units_per_em(t[i].font);
		if (gid != 0 && mark) {
			int x0, y0, x1, y1;
			double scale = t[i].size / font_units_per_em(t[i].font);
			if (font_glyph_ink(t[i].font, gid, &x0, &y0, &x1, &y1) == 0) {
				t[i].has_ink = 1;
				t[i].ink_l = x0 * scale;
				t[i].ink_r = x1 * scale;
			}
		}
		if (t[i].cls == CL_SPACE && latin)
			t[i].advance = font_advance(latin, font_glyph(latin, ' ')) *
			    t[i].size / font_units_per_em(latin);
	}
	mark_icu_breaks(t, n, st->text);
	/* Latin runs wider than most of the line (URLs) may break anywhere rather than overflow. */
	for (i = 0; i < n;) {
		size_t k = i;
		double width = 0;
		while (k < n && !is_cjk(t[k].cls) && t[k].cls != CL_SPACE &&
		    t[k].cls != CL_BREAK)
			width += t[k++].advance;
		for (; i < k; i++)
			t[i].long_word = width > st->measure * 0.6;
		if (k == i)
			i++;
	}
	*count = n;
	return t;
}

/* The blank half of a full-width closing mark, by the punctuation style and its neighbour. */
static double
close_blank(const struct tok *t, const struct tok *next, enum lay_punct punct)
{
	if (next && (next->cls == CL_CLOSE || next->cls == CL_OPEN))
		return 0;	/* two marks together take 1.5 em */
	if (punct == PUNCT_BANJIAO)
		return 0;
	/* 开明: only 。？！ keep their full em among the 点号. */
	if (punct == PUNCT_KAIMING && (t->cp == 0x3001 || t->cp == 0xFF0C ||
	    t->cp == 0xFF1A || t->cp == 0xFF1B))
		return 0;
	return t->size / 2;
}

static void
emit(struct builder *b, const struct tok *t, size_t n, const struct lay_para_style *st)
{
	size_t i;
	const struct tok *prev = NULL, *space = NULL;

	if (st->indent != 0)
		BOX(b, st->indent, -1, 0);
	for (i = 0; i < n; i++) {
		const struct tok *c = &t[i];
		const struct tok *next = i + 1 < n ? &t[i + 1] : NULL;
		double em = c->size;

		if (c->cls == CL_SPACE) {
			space = c;
			continue;
		}
		if (c->cls == CL_BREAK) {
			glue(b, 0, 1e6, 0, ADJ_FILL, ADJ_NONE);
			PENALTY(b, -LB_INFINITY);
			prev = space = NULL;
			continue;
		}
		if (prev != NULL) {
			/* A piece wider than the line breaks where it must, at a high cost. */
			double hold = c->overlong ? 9000 : LB_INFINITY;
			int han_latin = prev->rise == 0 && c->rise == 0 && !prev->wide && ((prev->cls == CL_HAN && !is_cjk(c->cls) &&
			    c->cls != CL_NOSTART) || (c->cls == CL_HAN && !is_cjk(prev->cls) &&
			    prev->cls != CL_LATIN_OPEN));
			if (han_latin) {
				/*
				 * ¼ em between Han and Latin; a typed space there is the same
				 * gap.  It grows by ⅛ em at most before the space between all
				 * characters does: a wider one shows as a hole in the line.
				 */
				if (c->no_break_before)
					PENALTY(b, hold);
				glue(b, em / 4, em / 8, em / 8, ADJ_HAN_LATIN, ADJ_HAN_LATIN);
			} else if (space != NULL) {
				double w = space->advance > 0 ? space->advance : em / 4;
				if (c->cls == CL_CLOSE || c->cls == CL_NOSTART ||
				    prev->cls == CL_OPEN || prev->cls == CL_LATIN_OPEN ||
				    c->no_break_before)
					PENALTY(b, hold);
				glue(b, w, w / 2, w / 3, ADJ_SPACE, ADJ_SPACE);
			} else if (prev->rise != 0 && c->rise != 0 && prev->href != c->href) {
				/*
				 * Two note references side by side: each is a unit, so a
				 * line may end between them (dearly; a long run of them
				 * also gets room to justify), never inside a number.
				 */
				PENALTY(b, 5000);
				if (c->long_word)
					glue(b, 0, em / 10, 0, ADJ_INTER, ADJ_NONE);
			} else if (prev->cls == CL_OPEN || prev->cls == CL_LATIN_OPEN ||
			    c->cls == CL_CLOSE || c->cls == CL_NOSTART ||
			    (prev->cls == CL_DASH && c->cls == CL_DASH) ||
			    (prev->cls == CL_ELLIPSIS && c->cls == CL_ELLIPSIS)) {
				/* No break here: closing marks never start a line, opening ones never end it. */
				if (c->overlong)
					PENALTY(b, hold);
			} else if ((prev->cls == CL_LATIN || (prev->cls == CL_NOSTART &&
			    prev->cp < 0x80)) && c->cls == CL_LATIN) {
				/*
				 * Inside a Latin word, "5.4" and "crossref.lua" too: no glue
				 * there to stretch when the line is justified.
				 */
				if (c->long_word)
					PENALTY(b, 5000);
				else if (c->overlong)
					PENALTY(b, hold);
			} else if (prev->cls == CL_CLOSE) {
				/* The mark's blank half, emitted with it, is the break. */
			} else {
				if (c->no_break_before)
					PENALTY(b, hold);
				glue(b, 0, em / 10, 0, ADJ_INTER, ADJ_NONE);
			}
		}
		space = NULL;
		switch (c->cls) {
		case CL_CLOSE: {
			double blank = close_blank(c, next && next->cls != CL_SPACE ?
			    next : NULL, st->punct);
			/*
			 * Hanging (clreq's option): the mark's half cell goes into the
			 * glue after it, so a line broken there ends before the mark,
			 * which is drawn past the measure.
			 */
			int hang = st->hang && (c->cp == 0x3001 || c->cp == 0xFF0C ||
			    c->cp == 0x3002 || c->cp == 0xFF0E);
			BOX(b, hang ? 0 : em / 2, (int)i, 0);
			/* Nor a raised note mark or a mark that never starts a line ("）①"). */
			if (next && (next->no_break_before || next->cls == CL_NOSTART))
				PENALTY(b, next->overlong ? 9000 : LB_INFINITY);
			/* 。？！ keep their blank half within a line; only a line end takes it. */
			glue(b, blank + (hang ? em / 2 : 0), em / 10,
			    is_pause(c->cp) || !is_stop(c->cp) ? blank : 0,
			    ADJ_INTER, is_pause(c->cp) ? ADJ_PAUSE : ADJ_BRACKET);
			break;
		}
		case CL_OPEN: {
			double blank = st->punct == PUNCT_BANJIAO ||
			    (prev && prev->cls == CL_OPEN && space == NULL) ? 0 : em / 2;
			/*
			 * Full-width setting keeps the blank half at a line start too (the
			 * empty box holds it there); kaiming lets it go.
			 */
			if (blank > 0 && st->punct == PUNCT_QUANJIAO) {
				BOX(b, 0, -1, 0);
				PENALTY(b, LB_INFINITY);
			}
			if (blank > 0)
				glue(b, blank, 0, blank, ADJ_NONE, ADJ_BRACKET);
			/*
			 * A full-width glyph's cell starts half an em before the box; a
			 * narrower one (a heading face's proportional “) ends at the
			 * box's end, keeping its own bearing next to the text.
			 */
			BOX(b, em / 2, (int)i, c->advance < em * 0.75 ? em / 2 - c->advance :
			    -em / 2);
			break;
		}
		case CL_DASH:
		case CL_ELLIPSIS:
			/* A narrower glyph is centred in the em it takes. */
			BOX(b, em, (int)i, c->advance < em * 0.9 ? (em - c->advance) / 2 : 0);
			break;
		case CL_SPACE:
		case CL_BREAK:
		case CL_HAN:
		case CL_NOSTART:
		case CL_LATIN_OPEN:
		case CL_LATIN:
			if (c->wide)	/* its ink centred in a full em */
				BOX(b, em, (int)i, c->has_ink ? em / 2 - (c->ink_l + c->ink_r) / 2 :
				    (em - c->advance) / 2);
			else
				BOX(b, c->advance, (int)i, 0);
			break;
		}
		prev = c;
	}
}

/*
 * Marks the tokens of every piece the items give no break in that is wider
 * than measure (a run of 5,000 。 or ——, a superscript of a hundred digits):
 * set again, such a piece may break anywhere rather than run past the line.
 * Returns whether there was one.
 */
static int
mark_overlong(const struct builder *b, struct tok *t, double measure)
{
	size_t k, j, from = 0;
	double piece = 0;
	int any = 0;

	for (k = 0; k <= b->n; k++) {
		int cut = k == b->n;
		if (!cut && b->items[k].kind == LB_BOX)
			piece += b->items[k].width;
		else if (!cut && b->items[k].kind == LB_GLUE) {
			/* As in TeX, glue is a break only right after a box. */
			if (k > 0 && b->items[k - 1].kind == LB_BOX)
				cut = 1;
			else
				piece += b->items[k].width;
		} else if (!cut && b->items[k].penalty < LB_INFINITY)
			cut = 1;
		if (!cut)
			continue;
		if (piece > measure + 1e-6)
			for (j = from; j < k; j++)
				if (b->glyph[j] >= 0) {
					t[b->glyph[j]].overlong = 1;
					any = 1;
				}
		piece = 0;
		from = k + 1;
	}
	return any;
}

/* 孤字不成行: no break among the paragraph's last two characters. */
static void
keep_last_two(struct builder *b, const struct tok *t, double measure)
{
	size_t i, seen = 0, cut = 0, k;
	double tail = 0;

	for (i = b->n; i-- > 0;)
		if (b->items[i].kind == LB_BOX && b->glyph[i] >= 0 &&
		    t[b->glyph[i]].cls != CL_CLOSE && t[b->glyph[i]].cls != CL_NOSTART &&
		    ++seen == 2) {
			cut = i;
			break;
		}
	if (seen < 2 || cut == 0)
		return;
	/* Marks that never start a line (a run of note references) may make the tail wider than a line: then it must break. */
	for (k = cut; k < b->n; k++)
		if (b->items[k].kind != LB_PENALTY)
			tail += b->items[k].width;
	if (tail > measure)
		return;
	for (k = cut + 1; k < b->n; k++) {
		if (b->items[k].kind == LB_PENALTY)
			b->items[k].penalty = LB_INFINITY;
		else if (b->items[k].kind == LB_GLUE && b->items[k - 1].kind == LB_BOX) {
			/* A penalty in front makes the glue no place to break. */
			push(b, LB_PENALTY, 0, 0, 0, 0, -1, 0);
			memmove(&b->items[k + 1], &b->items[k], (b->n - k - 1) * sizeof(*b->items));
			memmove(&b->glyph[k + 1], &b->glyph[k], (b->n - k - 1) * sizeof(*b->glyph));
			memmove(&b->dx[k + 1], &b->dx[k], (b->n - k - 1) * sizeof(*b->dx));
			memmove(&b->shrink_adj[k + 1], &b->shrink_adj[k], b->n - k - 1);
			memmove(&b->stretch_adj[k + 1], &b->stretch_adj[k], b->n - k - 1);
			b->items[k] = (struct lb_item){ LB_PENALTY, 0, 0, 0, LB_INFINITY, 0 };
			b->glyph[k] = -1;
			b->dx[k] = 0;
			b->shrink_adj[k] = b->stretch_adj[k] = ADJ_NONE;
			k++;
		}
	}
}

/*
 * Gives amount (> 0) to the glue of items [start, end) class by class in
 * order: a class takes up to all its glue has (shrink when shrinking, else
 * stretch), shared in proportion to it, before the next class is touched.
 * With overflow, what every class together cannot take goes to the last one
 * that took any.  Adds to adjust[k] (negative when shrinking).
 */
static void
give(const struct builder *b, size_t start, size_t end, int shrinking,
    const enum adj *order, size_t n, double amount, int overflow, double *adjust)
{
	const unsigned char *cls = shrinking ? b->shrink_adj : b->stretch_adj;
	double sign = shrinking ? -1 : 1, total, share, last_total = 0;
	enum adj last = ADJ_NONE;
	size_t k, o;

#define GLUE_ROOM(k)	(shrinking ? b->items[k].shrink : b->items[k].stretch)
	for (o = 0; o < n && amount > 0; o++) {
		total = 0;
		for (k = start; k < end; k++)
			if (cls[k] == order[o])
				total += GLUE_ROOM(k);
		if (total <= 0)
			continue;
		last = order[o];
		last_total = total;
		share = amount < total ? amount / total : 1;
		for (k = start; k < end; k++)
			if (cls[k] == order[o])
				adjust[k] += sign * share * GLUE_ROOM(k);
		amount -= share * total;
	}
	if (overflow && amount > 1e-9 && last != ADJ_NONE)
		for (k = start; k < end; k++)
			if (cls[k] == last)
				adjust[k] += sign * amount * GLUE_ROOM(k) / last_total;
#undef GLUE_ROOM
}

/*
 * Sets adjust[k] for the glue of items [start, end) so that the line fills
 * measure, in clreq's order (shrink_order, stretch_order).  Without justify
 * only shrinking happens.  A line too short for every class's stretch (a
 * loose line) spreads the rest over the last class it has; a line too long
 * for every class's shrink overflows.
 */
static void
distribute(const struct builder *b, size_t start, size_t end, double measure,
    int justify, double *adjust)
{
	double natural = 0, need;
	size_t k;

	for (k = start; k < end; k++) {
		adjust[k] = 0;
		if (b->items[k].kind != LB_PENALTY)
			natural += b->items[k].width;
	}
	need = measure - natural;
	if (need < 0)
		give(b, start, end, 1, shrink_order,
		    sizeof(shrink_order) / sizeof(shrink_order[0]), -need, 0, adjust);
	else if (need > 0 && justify)
		give(b, start, end, 0, stretch_order,
		    sizeof(stretch_order) / sizeof(stretch_order[0]), need, 1, adjust);
}

/*
 * Where a bracket's, quote's or 点号's glyph goes (its origin, gx as the
 * font designs it) so that its ink stays within the room it has on its line:
 * its box, widened by the glue on its blank side as that glue is set (none
 * at a line's end or start, less where marks are compressed).  A mark of a
 * font that centres its punctuation thus keeps its ink inside when its blank
 * half is taken away, clear of its neighbour and of the margin; a mainland
 * font's mark, whose ink already sits on its text's side, does not move.  A
 * mark that hangs (box of no width) may reach half an em past the line.
 */
static double
keep_ink_inside(const struct builder *b, const double *adjust, size_t start, size_t end,
    size_t k, double x, const struct tok *g, double gx)
{
	double em = g->size, pad = em / 20, room = 0, left, right;
	size_t j;

	/*
	 * The room runs to the next glyph: over penalties and the empty box that
	 * holds an opening mark's blank half at a line start, so that a mark
	 * before an opening one ("、（") may use that blank half too.
	 */
#define EMPTY_BOX(j)	(b->items[j].kind == LB_BOX && b->items[j].width == 0 && b->glyph[j] < 0)
	if (g->cls == CL_CLOSE) {
		for (j = k + 1; j < end && (b->items[j].kind != LB_BOX || EMPTY_BOX(j)); j++)
			if (b->items[j].kind == LB_GLUE)
				room += b->items[j].width + adjust[j];
		right = x + b->items[k].width + room;
		if (b->items[k].width == 0 && right < x + em / 2)
			right = x + em / 2;	/* hanging */
		if (gx + g->ink_r > right - pad)
			gx = right - pad - g->ink_r;
		/* The text side moves only when the ink would leave the box. */
		if (gx + g->ink_l < x && x + pad - g->ink_l <= right - pad - g->ink_r)
			gx = x + pad - g->ink_l;
	} else {
		for (j = k; j-- > start && (b->items[j].kind != LB_BOX || EMPTY_BOX(j));)
			if (b->items[j].kind == LB_GLUE)
				room += b->items[j].width + adjust[j];
		left = x - room;
		right = x + b->items[k].width;
		if (gx + g->ink_l < left + pad)
			gx = left + pad - g->ink_l;
		if (gx + g->ink_r > right && right - pad - g->ink_r >= left + pad - g->ink_l)
			gx = right - pad - g->ink_r;
	}
#undef EMPTY_BOX
	return gx;
}

int
lay_para_set(const struct lay_run *runs, size_t nruns,
    const struct lay_para_style *st, struct lay_para *out)
{
	const struct lb_params params = { 3, 10, 3000, 100 };
	struct builder b = { NULL, NULL, NULL, NULL, NULL, 0, 0 };
	struct lb_line *lines = NULL;
	struct tok *t;
	double *adjust;
	size_t n, nlines, l, k;

	memset(out, 0, sizeof(*out));
	t = tokenize(runs, nruns, st, &n);
	emit(&b, t, n, st);
	if (mark_overlong(&b, t, st->measure)) {
		builder_free(&b);
		memset(&b, 0, sizeof(b));
		emit(&b, t, n, st);
	}
	if (n >= 4)
		keep_last_two(&b, t, st->measure);
	PENALTY(&b, LB_INFINITY);
	glue(&b, 0, 1e6, 0, ADJ_FILL, ADJ_NONE);
	PENALTY(&b, -LB_INFINITY);
	nlines = lb_break(b.items, b.n, &st->measure, 1, &params, &lines);
	out->lines = mem_zalloc(nlines ? nlines : 1, sizeof(*out->lines));
	out->nlines = nlines;
	adjust = mem_zalloc(b.n ? b.n : 1, sizeof(*adjust));
	for (l = 0; l < nlines; l++) {
		struct lay_line *line = &out->lines[l];
		double x = 0;

		line->overfull = lines[l].overfull;
		distribute(&b, lines[l].start, lines[l].end, st->measure, st->justify, adjust);
		line->glyphs = mem_zalloc(lines[l].end - lines[l].start + 1, sizeof(*line->glyphs));
		for (k = lines[l].start; k < lines[l].end; k++) {
			const struct lb_item *it = &b.items[k];
			if (it->kind == LB_BOX) {
				if (b.glyph[k] >= 0 && t[b.glyph[k]].gid != 0) {
					const struct tok *g = &t[b.glyph[k]];
					double gx = x + b.dx[k];
					if (g->has_ink && (g->cls == CL_OPEN || g->cls == CL_CLOSE))
						gx = keep_ink_inside(&b, adjust, lines[l].start,
						    lines[l].end, k, x, g, gx);
					line->glyphs[line->n++] = (struct lay_glyph){
					    g->font, g->gid, g->cp, g->size, gx, it->width,
					    g->deco, g->href, g->rise };
				}
				x += it->width;
				line->width = x;
			} else if (it->kind == LB_GLUE) {
				x += it->width + adjust[k];
			}
		}
	}
	free(adjust);
	free(lines);
	builder_free(&b);
	free(t);
	return 0;
}

/* The widest piece no line may break, and the widest line, of runs set at st's measure. */
static void
widest_pieces(const struct lay_run *runs, size_t nruns, const struct lay_para_style *st,
    double *min, double *max)
{
	struct builder b = { NULL, NULL, NULL, NULL, NULL, 0, 0 };
	struct tok *t;
	size_t n, k;
	double piece = 0, line = 0;

	*min = *max = 0;
	t = tokenize(runs, nruns, st, &n);
	emit(&b, t, n, st);
	for (k = 0; k < b.n; k++) {
		const struct lb_item *it = &b.items[k];
		if (it->kind == LB_BOX) {
			piece += it->width;
			line += it->width;
		} else if (it->kind == LB_GLUE) {
			line += it->width;
			/* As in TeX, glue is a break only right after a box. */
			if (k > 0 && b.items[k - 1].kind == LB_BOX)
				piece = 0;
			else
				piece += it->width;
		} else if (it->penalty < LB_INFINITY) {
			piece = 0;
			if (it->penalty <= -LB_INFINITY)
				line = 0;	/* a hard line break */
		}
		if (piece > *min)
			*min = piece;
		if (line > *max)
			*max = line;
	}
	builder_free(&b);
	free(t);
}

void
lay_para_measure(const struct lay_run *runs, size_t nruns, const struct lay_para_style *style,
    double *min, double *least, double *max)
{
	struct lay_para_style st = *style;
	double unused;

	st.indent = 0;
	st.measure = 1e9;	/* no Latin word counts as long: words stay whole */
	widest_pieces(runs, nruns, &st, min, max);
	/*
	 * Text of Han, kana, punctuation and symbols alone (nothing below U+2000
	 * but ASCII spaces and marks) has no word to break: the pieces are the same.
	 */
	*least = *min;
	for (size_t i = 0; i < nruns; i++)
		for (size_t k = 0; k < runs[i].len; k++) {
			unsigned char c = (unsigned char)runs[i].text[k];
			if ((c < 0x80 && isalnum(c)) || (c >= 0xc0 && c < 0xe2)) {
				st.measure = 0;	/* every Latin word counts as long */
				widest_pieces(runs, nruns, &st, least, &unused);
				return;
			}
		}
}

void
lay_para_free(struct lay_para *para)
{
	size_t i;

	for (i = 0; i < para->nlines; i++)
		free(para->lines[i].glyphs);
	free(para->lines);
	para->lines = NULL;
	para->nlines = 0;
}
