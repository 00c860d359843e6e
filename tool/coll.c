/* Chinese sorting with ICU: pinyin of a string and locale-aware comparison (the only module that includes ICU). */
#include "coll.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ubrk.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utrans.h>

#include "coll_pinyin.h"
#include "mem.h"
#include "utf8.h"

/* Collators kept open at once: filters ask for a handful of languages. */
#define MAX_COLLATORS	8
/* Longest language name accepted ("zh", "en-GB", "zh-u-co-stroke"). */
#define MAX_LANG	40
/* Longest text accepted, in bytes: the lengths ICU takes are 32-bit. */
#define MAX_TEXT	((size_t)1 << 26)

struct collator {
	char		 lang[MAX_LANG + 1];
	UCollator	*ucol;
};

struct coll {
	UTransliterator	*pinyin;	/* opened by the first coll_pinyin_icu() */
	struct collator	 collators[MAX_COLLATORS];
	size_t		 ncollators;
	UBreakIterator	*lines;		/* opened by the first coll_line_breaks() */
	int		 lines_failed;	/* ICU could not open it: do not try again */
};

struct coll *
coll_new(void)
{
	return mem_zalloc(1, sizeof(struct coll));
}

void
coll_free(struct coll *c)
{
	size_t i;

	if (c == NULL)
		return;
	if (c->pinyin != NULL)
		utrans_close(c->pinyin);
	for (i = 0; i < c->ncollators; i++)
		ucol_close(c->collators[i].ucol);
	if (c->lines != NULL)
		ubrk_close(c->lines);
	free(c);
}

/* Converts s[0..len) to UTF-16 in a new array (with room for growth); NULL when s is not UTF-8. */
static UChar *
to_utf16(const char *s, size_t len, size_t room, int32_t *ulen, int32_t *cap)
{
	UErrorCode status = U_ZERO_ERROR;
	UChar *u;

	*cap = (int32_t)(len * room + 16);
	u = mem_alloc((size_t)*cap * sizeof(UChar));
	u_strFromUTF8(u, *cap, ulen, s, (int32_t)len, &status);
	if (U_FAILURE(status)) {
		free(u);
		return NULL;
	}
	return u;
}

/* Appends s[0..len) (UTF-8) to out with white space runs made single spaces, trimmed. */
static void
put_normalised(const char *s, size_t len, struct buf *out)
{
	size_t start = out->len, i, at;
	int space = 0;
	int32_t cp;

	for (i = 0; i < len; i += at) {
		at = utf8_decode(s + i, len - i, &cp);
		if (at == 0)
			at = 1, cp = 0xFFFD;
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000 ||
		    cp == 0xA0) {
			space = out->len > start;
		} else {
			if (space)
				buf_putc(out, ' ');
			space = 0;
			buf_put(out, s + i, at);
		}
	}
}

/* Whether s[0..len) can go to ICU: not too long, UTF-8; if not, says why. */
static int
check_text(const char *s, size_t len, struct buf *why)
{
	if (len > MAX_TEXT) {
		buf_puts(why, "the text is too long");
		return -1;
	}
	if (utf8_check(s, len) < len) {
		buf_puts(why, "the text is not UTF-8");
		return -1;
	}
	return 0;
}

int
coll_pinyin_icu(struct coll *c, const char *s, size_t len, struct buf *out, struct buf *why)
{
	UErrorCode status = U_ZERO_ERROR;
	UParseError perr;
	UChar *u = NULL, *id = NULL;
	char *utf8 = NULL;
	int32_t ulen, cap, limit, n = 0;
	int rc = -1;

	if (check_text(s, len, why) == -1)
		return -1;
	if (c->pinyin == NULL) {
		id = to_utf16(COLL_PINYIN_RULES, strlen(COLL_PINYIN_RULES), 1, &ulen, &cap);
		c->pinyin = utrans_openU(id, ulen, UTRANS_FORWARD, NULL, 0, &perr, &status);
		free(id);
		if (U_FAILURE(status)) {
			c->pinyin = NULL;
			buf_printf(why, "ICU cannot open the transliterator \"%s\": %s",
			    COLL_PINYIN_RULES, u_errorName(status));
			return -1;
		}
	}
	/*
	 * Room for 8 UTF-16 units a byte: a Han character (3 bytes) gives at most
	 * 8 ("zhuang4 "), other text no more than it takes.
	 */
	if ((u = to_utf16(s, len, 8, &ulen, &cap)) == NULL) {
		buf_puts(why, "the text is not UTF-8");
		return -1;
	}
	limit = ulen;
	utrans_transUChars(c->pinyin, u, &ulen, cap, 0, &limit, &status);
	if (U_FAILURE(status)) {
		buf_printf(why, "ICU transliteration failed: %s", u_errorName(status));
		goto out;
	}
	u_strToUTF8(NULL, 0, &n, u, ulen, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR)
		status = U_ZERO_ERROR;
	utf8 = mem_alloc((size_t)n + 1);
	if (U_SUCCESS(status))
		u_strToUTF8(utf8, n + 1, &n, u, ulen, &status);
	if (U_FAILURE(status)) {
		buf_puts(why, "ICU could not convert the result to UTF-8");
		goto out;
	}
	put_normalised(utf8, (size_t)n, out);
	rc = 0;
out:
	free(utf8);
	free(u);
	return rc;
}

/*
 * The pinyin table (coll_pinyin.h) stands in for the transliterator on the
 * text it knows: Han characters with a reading, ASCII, the punctuation
 * below, and pinyin's own tone-marked vowels.  Han-Latin's steps are
 * followed in their order: spaces go between letters and ideographs
 * (Han-Spacedhan), Han characters become syllables, tone marks become
 * digits (Latin-NumericPinyin), then lower case.
 */

/* How Han-Spacedhan's rules see a character. */
enum {
	LETTER = 1,	/* [:Letter:] */
	IDEOGRAPH = 2,	/* [:Ideographic:] */
	CLOSING = 4,	/* [:Pe:], [:Pf:] or one of SPACED_AFTER: a letter after it gets a space */
	OPENING = 8	/* [:Ps:], [:Pi:]: gets a space after a letter */
};

/* Han-Spacedhan's punctuation that is neither [:Pe:] nor [:Pf:] but spaced like it. */
#define SPACED_AFTER	".,:;?!．，：？！｡、；"
/*
 * Other characters than ASCII the table's path takes: common Chinese
 * punctuation and spaces, which the transliterator keeps as they are.
 */
static const char punctuation[] =
    "，。、：；！？（）《》〈〉「」『』【】〔〕“”‘’·—…～\u3000\u00A0";
/*
 * Pinyin's vowels with tones 1 to 4, 2 bytes of UTF-8 each, in the order of
 * their bases; NFD splits them into the base and a tone mark.
 */
static const char toned[4][13] = { "āēīōūǖ", "áéíóúǘ", "ǎěǐǒǔǚ", "àèìòùǜ" };
static const char *const toned_base[6] = { "a", "e", "i", "o", "u", "ü" };
#define UMLAUT_U	"ü"

/* The number of cp's syllable in the table, or 0. */
static unsigned
table_reading(int32_t cp)
{
	size_t lo = 0, hi = coll_pinyin_nranges, mid;
	const struct coll_pinyin_range *r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = &coll_pinyin_ranges[mid];
		if ((uint32_t)cp < r->first)
			hi = mid;
		else if ((uint32_t)cp > r->last)
			lo = mid + 1;
		else
			return coll_pinyin_readings[r->at + (uint32_t)cp - r->first];
	}
	return 0;
}

/* Whether the character s[0..n) is one of the UTF-8 text set. */
static int
is_one_of(const char *set, const char *s, size_t n)
{
	char c[5];

	memcpy(c, s, n);
	c[n] = '\0';
	return strstr(set, c) != NULL;
}

/* The class (LETTER, …) of a character s[0..n), cp, by ICU's properties, but for IDEOGRAPH. */
static int
kept_class(int32_t cp, const char *utf8, size_t n)
{
	int8_t type = u_charType(cp);

	if (U_GET_GC_MASK(cp) & U_GC_L_MASK)
		return LETTER;
	if (type == U_END_PUNCTUATION || type == U_FINAL_PUNCTUATION)
		return CLOSING;
	if (type == U_START_PUNCTUATION || type == U_INITIAL_PUNCTUATION)
		return OPENING;
	if (is_one_of(SPACED_AFTER, utf8, n))
		return CLOSING;
	return 0;
}

/* The tone (1 to 4) of the pinyin vowel s[0..n), its base in *base; 0 for other characters. */
static int
tone_of(const char *s, size_t n, const char **base)
{
	int tone, i;

	if (n != 2)
		return 0;
	for (tone = 0; tone < 4; tone++)
		for (i = 0; i < 6; i++)
			if (memcmp(toned[tone] + 2 * i, s, 2) == 0) {
				*base = toned_base[i];
				return tone + 1;
			}
	return 0;
}

/* The syllable of cp, a Han character with a reading, before the text s[0..len). */
static const char *
syllable_before(int32_t cp, unsigned reading, const char *s, size_t len)
{
	int32_t next = -1;
	size_t i, n;

	for (i = 0; i < coll_pinyin_ncontexts; i++) {
		if (coll_pinyin_contexts[i].cp != (uint32_t)cp)
			continue;
		/* Han-Latin's {X}' '?Y: Y right after X or after one space. */
		if ((n = utf8_decode(s, len, &next)) > 0 && next == ' ')
			utf8_decode(s + n, len - n, &next);
		if (next >= 0 && (uint32_t)next == coll_pinyin_contexts[i].next)
			return coll_pinyin_syllables[coll_pinyin_contexts[i].syllable];
	}
	return coll_pinyin_syllables[reading];
}

/*
 * Han-Spacedhan and the Han readings: appends s[0..len) to mid with the
 * spaces and syllables the transliterator's first steps give, each tone
 * mark as a byte 1 to 4 after its vowel.  Returns -1 at a character the
 * table's path does not take.
 */
static int
spaced_readings(const char *s, size_t len, struct buf *mid)
{
	size_t i, n;
	int32_t cp;
	int class, prev = 0, tone, prev_tone = 0;
	unsigned reading;
	const char *base = NULL;

	for (i = 0; i < len; i += n, prev = class, prev_tone = tone) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			return -1;
		reading = 0;
		tone = 0;
		if (cp < 0x80) {
			if ((cp < ' ' && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F)
				return -1;
			class = kept_class(cp, s + i, n);
		} else if ((reading = table_reading(cp)) != 0) {
			class = IDEOGRAPH | (kept_class(cp, s + i, n) & LETTER);
		} else if ((tone = tone_of(s + i, n, &base)) != 0 ||
		    (n == 2 && memcmp(s + i, UMLAUT_U, 2) == 0)) {
			/* After a tone mark NFD's u of ü would take the tone (ICU's "au2̈"). */
			if (prev_tone && (tone == 0 || strcmp(base, UMLAUT_U) == 0))
				return -1;
			class = LETTER;
		} else if (is_one_of(punctuation, s + i, n)) {
			class = kept_class(cp, s + i, n);
		} else
			return -1;
		if (((prev & (IDEOGRAPH | CLOSING)) && (class & LETTER)) ||
		    ((prev & LETTER) && (class & (IDEOGRAPH | OPENING))))
			buf_putc(mid, ' ');
		if (reading != 0) {
			buf_puts(mid, syllable_before(cp, reading, s + i + n, len - i - n));
		} else if (tone != 0) {
			buf_puts(mid, base);
			buf_putc(mid, (char)tone);
		} else
			buf_put(mid, s + i, n);
	}
	return 0;
}

/*
 * Latin-NumericPinyin and Lower on mid[0..len): each tone (a byte 1 to 4)
 * becomes a digit after the letters its rules name, ASCII goes lower case.
 */
static void
numeric_tones(const char *mid, size_t len, struct buf *out)
{
	size_t i, take;
	char c;

	for (i = 0; i < len; i++) {
		c = mid[i];
		if (c >= 1 && c <= 4) {
			/* e{tone r}, then tone followed by one of [inou{ng}{on}], longest first. */
			take = 0;
			if (out->len > 0 && out->data[out->len - 1] == 'e' && mid[i + 1] == 'r')
				take = 1;
			else if (strncmp(mid + i + 1, "ng", 2) == 0 || strncmp(mid + i + 1, "on", 2) == 0)
				take = 2;
			else if (mid[i + 1] != '\0' && strchr("inou", mid[i + 1]) != NULL)
				take = 1;
			buf_put(out, mid + i + 1, take);
			buf_putc(out, (char)('0' + c));
			i += take;
		} else
			buf_putc(out, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
	}
}

int
coll_pinyin_table(const char *s, size_t len, struct buf *out)
{
	struct buf mid = BUF_INIT, numeric = BUF_INIT;
	int rc = -1;

	if (len > MAX_TEXT || utf8_check(s, len) < len)
		return -1;
	if (spaced_readings(s, len, &mid) == 0) {
		numeric_tones(buf_str(&mid), mid.len, &numeric);
		put_normalised(buf_str(&numeric), numeric.len, out);
		rc = 0;
	}
	buf_free(&mid);
	buf_free(&numeric);
	return rc;
}

int
coll_pinyin(struct coll *c, const char *s, size_t len, struct buf *out, struct buf *why)
{
	if (check_text(s, len, why) == -1)
		return -1;
	if (coll_pinyin_table(s, len, out) == 0)
		return 0;
	return coll_pinyin_icu(c, s, len, out, why);
}

/* The collator for lang, opened on first use; NULL with the reason in why. */
static UCollator *
collator(struct coll *c, const char *lang, struct buf *why)
{
	UErrorCode status = U_ZERO_ERROR;
	UCollator *ucol;
	size_t i, n = strlen(lang);

	for (i = 0; i < c->ncollators; i++)
		if (strcmp(c->collators[i].lang, lang) == 0)
			return c->collators[i].ucol;
	if (n == 0 || n > MAX_LANG || strspn(lang, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != n) {
		buf_printf(why, "\"%.*s\" is not a language name (zh, en, …)",
		    MAX_LANG, lang);
		return NULL;
	}
	if (c->ncollators == MAX_COLLATORS) {
		buf_printf(why, "more than %d languages compared in one run", MAX_COLLATORS);
		return NULL;
	}
	ucol = ucol_open(lang, &status);
	if (U_FAILURE(status)) {
		buf_printf(why, "ICU cannot open a collator for \"%s\": %s", lang,
		    u_errorName(status));
		return NULL;
	}
	memcpy(c->collators[c->ncollators].lang, lang, n + 1);
	c->collators[c->ncollators++].ucol = ucol;
	return ucol;
}

int
coll_compare(struct coll *c, const char *lang, const char *a, size_t alen,
    const char *b, size_t blen, int *result, struct buf *why)
{
	UErrorCode status = U_ZERO_ERROR;
	UCollationResult r;
	UCollator *ucol;

	if (alen > MAX_TEXT || blen > MAX_TEXT) {
		buf_puts(why, "the text is too long");
		return -1;
	}
	if (utf8_check(a, alen) < alen || utf8_check(b, blen) < blen) {
		buf_puts(why, "the text is not UTF-8");
		return -1;
	}
	if ((ucol = collator(c, lang, why)) == NULL)
		return -1;
	r = ucol_strcollUTF8(ucol, a, (int32_t)alen, b, (int32_t)blen, &status);
	if (U_FAILURE(status)) {
		buf_printf(why, "ICU comparison failed: %s", u_errorName(status));
		return -1;
	}
	*result = r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
	return 0;
}

int
coll_line_breaks(struct coll *c, const char *s, size_t len, unsigned char *can_break)
{
	UErrorCode status = U_ZERO_ERROR;
	UText *text;
	int32_t at;

	memset(can_break, 1, len + 1);
	if (len > MAX_TEXT || c->lines_failed)
		return -1;
	if (c->lines == NULL) {
		c->lines = ubrk_open(UBRK_LINE, "zh", NULL, 0, &status);
		if (U_FAILURE(status)) {
			c->lines = NULL;
			c->lines_failed = 1;
			return -1;
		}
	}
	/* A UTF-8 UText: the iterator's positions are byte offsets into s. */
	text = utext_openUTF8(NULL, s, (int64_t)len, &status);
	if (U_FAILURE(status))
		return -1;
	ubrk_setUText(c->lines, text, &status);
	if (U_FAILURE(status)) {
		utext_close(text);
		return -1;
	}
	memset(can_break, 0, len + 1);
	for (at = ubrk_first(c->lines); at != UBRK_DONE; at = ubrk_next(c->lines))
		if (at > 0 && (size_t)at <= len)
			can_break[at] = 1;
	/* The iterator keeps a shallow clone of text; it reads s again only after the next setUText. */
	utext_close(text);
	return 0;
}
