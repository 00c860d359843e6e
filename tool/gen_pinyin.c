/* Build-time helper, not in galley: prints the pinyin of every Han character as ICU reads it, the C table coll.c reads. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

#include "coll_pinyin.h"
#include "mem.h"

/* Unmapped code points a range may hold before a new range is cheaper. */
#define MAX_GAP		16
/* Longest transliteration looked at, in UTF-16 units (a few syllables). */
#define MAX_OUT		64

struct reading {
	UChar32		 cp;
	char		*syllable;	/* owned */
};

struct context {
	UChar32		 cp;
	UChar32		 next;
	char		*syllable;	/* owned */
};

struct table {
	struct reading	*readings;
	size_t		 nreadings, readings_cap;
	struct context	*contexts;
	size_t		 ncontexts, contexts_cap;
	char		**syllables;	/* distinct, sorted; borrowed from readings and contexts */
	size_t		 nsyllables;
};

static void
fail(const char *what)
{
	fprintf(stderr, "gen-pinyin: %s\n", what);
	exit(1);
}

/* Transliterates the UTF-16 text u[0..n) by t into out (UTF-8, outsize bytes); -1 if it does not fit. */
static int
transliterate(UTransliterator *t, const UChar *u, int32_t n, char *out, int32_t outsize)
{
	UErrorCode status = U_ZERO_ERROR;
	UChar buf[MAX_OUT];
	int32_t len = n, limit = n, outlen;

	if (n > MAX_OUT)
		return -1;
	memcpy(buf, u, (size_t)n * sizeof(UChar));
	utrans_transUChars(t, buf, &len, MAX_OUT, 0, &limit, &status);
	if (U_FAILURE(status))
		return -1;
	u_strToUTF8(out, outsize, &outlen, buf, len, &status);
	if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING)
		return -1;
	return 0;
}

/* Whether s looks like one syllable of numeric pinyin: lower-case letters (ü too) and digits. */
static int
is_syllable(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
			continue;
		if (strncmp(s, "\xC3\xBC", 2) == 0) {	/* ü */
			s++;
			continue;
		}
		return 0;
	}
	return 1;
}

static int
is_letter(UChar32 cp)
{
	return (U_GET_GC_MASK(cp) & U_GC_L_MASK) != 0;
}

/*
 * Whether coll.c may take cp for what ICU's properties say it is, an
 * ideograph (a letter or, like 〇, not): Han-Latin's normalisation (NFKC,
 * making compatibility ideographs unified ones) keeps it one of the same.
 */
static int
is_plain_ideograph(const UNormalizer2 *nfkc, UChar32 cp)
{
	UErrorCode status = U_ZERO_ERROR;
	UChar32 norm;
	UChar u[2], n[8];
	int32_t ulen = 0, nlen;

	if (!u_hasBinaryProperty(cp, UCHAR_IDEOGRAPHIC))
		return 0;
	U16_APPEND_UNSAFE(u, ulen, cp);
	nlen = unorm2_normalize(nfkc, u, ulen, n, 8, &status);
	if (U_FAILURE(status) || nlen == 0)
		return 0;
	ulen = 0;
	U16_NEXT_UNSAFE(n, ulen, norm);
	return ulen == nlen && u_hasBinaryProperty(norm, UCHAR_IDEOGRAPHIC) &&
	    is_letter(norm) == is_letter(cp);
}

/* Finds the reading of every plain ideograph ICU has one for. */
static void
read_characters(struct table *tab, UTransliterator *pinyin)
{
	UErrorCode status = U_ZERO_ERROR;
	const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
	char in[8], out[MAX_OUT * 3];
	UChar u[2];
	int32_t ulen, inlen;
	UChar32 cp;

	if (U_FAILURE(status))
		fail("ICU has no NFKC normaliser");
	for (cp = 0; cp <= 0x10FFFF; cp++) {
		if (!is_plain_ideograph(nfkc, cp))
			continue;
		ulen = 0;
		U16_APPEND_UNSAFE(u, ulen, cp);
		if (transliterate(pinyin, u, ulen, out, sizeof out) == -1)
			fail("ICU could not transliterate a character");
		inlen = 0;
		U8_APPEND_UNSAFE(in, inlen, cp);
		in[inlen] = '\0';
		/* ICU keeps what it has no reading for; a few give several syllables. */
		if (strcmp(in, out) == 0 || !is_syllable(out))
			continue;
		tab->readings = mem_grow(tab->readings, &tab->readings_cap, tab->nreadings + 1,
		    sizeof *tab->readings);
		tab->readings[tab->nreadings].cp = cp;
		tab->readings[tab->nreadings++].syllable = mem_strdup(out);
	}
}

static const char *
reading_of(const struct table *tab, UChar32 cp)
{
	size_t lo = 0, hi = tab->nreadings, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (tab->readings[mid].cp < cp)
			lo = mid + 1;
		else if (tab->readings[mid].cp > cp)
			hi = mid;
		else
			return tab->readings[mid].syllable;
	}
	return NULL;
}

/* Decodes the code point at s[*i] of a NUL-terminated line; U_SENTINEL if malformed or at the end. */
static UChar32
next_cp(const char *s, int32_t *i)
{
	UChar32 cp;

	if (s[*i] == '\0')
		return U_SENTINEL;
	U8_NEXT(s, *i, -1, cp);
	return cp < 0 ? U_SENTINEL : cp;
}

/*
 * Reads Han-Latin's rules: besides "::Han-Spacedhan();" (the spacing coll.c
 * mirrors) and one-character rules "[…] > syllable;" they may only hold
 * readings before a given character, "{X}' '?Y > syllable;", collected here.
 * A rule of any other form stops the build: coll.c would not follow it.
 */
static void
read_contexts(struct table *tab, UTransliterator *pinyin)
{
	UErrorCode status = U_ZERO_ERROR;
	UTransliterator *han;
	UChar id[16], *rules, pair[4];
	char *text, *line, *next_line, out[MAX_OUT * 3], *space;
	const char *after;
	int32_t len, textlen, i, n;
	UChar32 cp, next;

	u_uastrcpy(id, "Han-Latin");
	han = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
	if (U_FAILURE(status))
		fail("ICU cannot open Han-Latin");
	len = utrans_toRules(han, 0, NULL, 0, &status);
	status = U_ZERO_ERROR;
	rules = mem_alloc(((size_t)len + 1) * sizeof(UChar));
	utrans_toRules(han, 0, rules, len + 1, &status);
	utrans_close(han);
	text = mem_alloc((size_t)len * 3 + 1);
	u_strToUTF8(text, len * 3 + 1, &textlen, rules, len, &status);
	free(rules);
	if (U_FAILURE(status))
		fail("ICU cannot print Han-Latin's rules");
	for (line = text; line != NULL; line = next_line) {
		if ((next_line = strchr(line, '\n')) != NULL)
			*next_line++ = '\0';
		if (line[0] == '[' || line[0] == '\0' || strcmp(line, "::Han-Spacedhan();") == 0)
			continue;
		i = 0;
		if (next_cp(line, &i) != '{' || (cp = next_cp(line, &i)) == U_SENTINEL ||
		    strncmp(line + i, "}' '?", 5) != 0 || (i += 5, next = next_cp(line, &i)) ==
		    U_SENTINEL || strncmp(line + i, " > ", 3) != 0)
			fail("Han-Latin has a rule of a form galley does not follow");
		n = 0;
		U16_APPEND_UNSAFE(pair, n, cp);
		U16_APPEND_UNSAFE(pair, n, next);
		if (transliterate(pinyin, pair, n, out, sizeof out) == -1 ||
		    (space = strchr(out, ' ')) == NULL)
			fail("ICU could not transliterate a contextual reading");
		*space = '\0';
		after = reading_of(tab, next);
		if (!is_syllable(out) || reading_of(tab, cp) == NULL || after == NULL ||
		    strcmp(space + 1, after) != 0)
			fail("a contextual reading of Han-Latin is not one syllable before another");
		tab->contexts = mem_grow(tab->contexts, &tab->contexts_cap, tab->ncontexts + 1,
		    sizeof *tab->contexts);
		tab->contexts[tab->ncontexts].cp = cp;
		tab->contexts[tab->ncontexts].next = next;
		tab->contexts[tab->ncontexts++].syllable = mem_strdup(out);
	}
	free(text);
}

static int
by_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the distinct syllables, sorted. */
static void
sort_syllables(struct table *tab)
{
	size_t i, n = 0, total = tab->nreadings + tab->ncontexts;
	char **all = mem_alloc((total + 1) * sizeof *all);

	for (i = 0; i < tab->nreadings; i++)
		all[i] = tab->readings[i].syllable;
	for (i = 0; i < tab->ncontexts; i++)
		all[tab->nreadings + i] = tab->contexts[i].syllable;
	qsort(all, total, sizeof *all, by_bytes);
	for (i = 0; i < total; i++)
		if (n == 0 || strcmp(all[n - 1], all[i]) != 0)
			all[n++] = all[i];
	if (n >= UINT16_MAX)
		fail("more syllables than a uint16_t numbers");
	tab->syllables = all;
	tab->nsyllables = n;
}

/* The number of syllable s in the printed table (from 1). */
static unsigned
number_of(const struct table *tab, const char *s)
{
	char **found = bsearch(&s, tab->syllables, tab->nsyllables, sizeof *tab->syllables,
	    by_bytes);

	return (unsigned)(found - tab->syllables) + 1;
}

static void
print_table(const struct table *tab)
{
	UVersionInfo version;
	char icu[U_MAX_VERSION_STRING_LENGTH];
	size_t i, j, start, nranges = 0, at = 0;
	UChar32 cp;

	u_getVersion(version);
	u_versionToString(version, icu);
	printf("/* Generated by tool/gen_pinyin.c from ICU %s's transliterator \"%s\"; do not edit. */\n",
	    icu, COLL_PINYIN_RULES);
	printf("#include \"coll_pinyin.h\"\n\nconst char *const coll_pinyin_syllables[] = {\n\t\"\",");
	for (i = 0; i < tab->nsyllables; i++)
		printf("%s\"%s\",", i % 8 == 0 ? "\n\t" : " ", tab->syllables[i]);
	printf("\n};\nconst size_t coll_pinyin_nsyllables = %zu;\n\n", tab->nsyllables + 1);

	printf("const uint16_t coll_pinyin_readings[] = {");
	for (i = 0; i < tab->nreadings; i = j) {
		/* A range runs on while the next reading is at most MAX_GAP code points on. */
		for (j = i + 1; j < tab->nreadings &&
		    tab->readings[j].cp - tab->readings[j - 1].cp <= MAX_GAP; j++)
			continue;
		printf("\n\t/* U+%04X */", (unsigned)tab->readings[i].cp);
		start = at;
		for (cp = tab->readings[i].cp; cp <= tab->readings[j - 1].cp; cp++) {
			const char *s = reading_of(tab, cp);

			printf("%s%u,", (at - start) % 16 == 0 ? "\n\t" : " ",
			    s == NULL ? 0 : number_of(tab, s));
			at++;
		}
	}
	printf("\n};\n\nconst struct coll_pinyin_range coll_pinyin_ranges[] = {\n");
	for (i = 0, at = 0; i < tab->nreadings; i = j) {
		for (j = i + 1; j < tab->nreadings &&
		    tab->readings[j].cp - tab->readings[j - 1].cp <= MAX_GAP; j++)
			continue;
		printf("\t{ 0x%04X, 0x%04X, %zu },\n", (unsigned)tab->readings[i].cp,
		    (unsigned)tab->readings[j - 1].cp, at);
		at += (size_t)(tab->readings[j - 1].cp - tab->readings[i].cp) + 1;
		nranges++;
	}
	printf("};\nconst size_t coll_pinyin_nranges = %zu;\n\n", nranges);
	printf("const struct coll_pinyin_context coll_pinyin_contexts[] = {\n");
	for (i = 0; i < tab->ncontexts; i++)
		printf("\t{ 0x%04X, 0x%04X, %u },\n", (unsigned)tab->contexts[i].cp,
		    (unsigned)tab->contexts[i].next, number_of(tab, tab->contexts[i].syllable));
	printf("};\nconst size_t coll_pinyin_ncontexts = %zu;\n", tab->ncontexts);
	fprintf(stderr, "gen-pinyin: %zu characters, %zu syllables, %zu ranges, "
	    "%zu contextual readings\n", tab->nreadings, tab->nsyllables, nranges, tab->ncontexts);
}

int
main(void)
{
	UErrorCode status = U_ZERO_ERROR;
	struct table tab;
	UTransliterator *pinyin;
	UChar id[sizeof COLL_PINYIN_RULES];
	size_t i;

	memset(&tab, 0, sizeof tab);
	u_uastrcpy(id, COLL_PINYIN_RULES);
	pinyin = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
	if (U_FAILURE(status))
		fail("ICU cannot open the pinyin transliterator");
	read_characters(&tab, pinyin);
	read_contexts(&tab, pinyin);
	utrans_close(pinyin);
	sort_syllables(&tab);
	print_table(&tab);
	if (fflush(stdout) != 0 || ferror(stdout))
		fail("cannot write the table");
	for (i = 0; i < tab.nreadings; i++)
		free(tab.readings[i].syllable);
	for (i = 0; i < tab.ncontexts; i++)
		free(tab.contexts[i].syllable);
	free(tab.readings);
	free(tab.contexts);
	free(tab.syllables);
	return 0;
}
