/* Chinese sorting with ICU: pinyin of a string and locale-aware comparison (the only module that includes ICU). */
#include "coll.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utrans.h>

#include "mem.h"
#include "utf8.h"

/* Han to Latin with tone marks, the marks to digits, then lower case. */
#define PINYIN_RULES	"Han-Latin; Latin-NumericPinyin; Lower"
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
	UTransliterator	*pinyin;	/* opened by the first coll_pinyin() */
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

/* Appends the UTF-8 of u[0..ulen) to out with white space runs made single spaces, trimmed. */
static int
put_normalised(const UChar *u, int32_t ulen, struct buf *out)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t n = 0, i;
	char *s;
	size_t start = out->len, at;
	int space = 0;
	int32_t cp;

	u_strToUTF8(NULL, 0, &n, u, ulen, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		return -1;
	status = U_ZERO_ERROR;
	s = mem_alloc((size_t)n + 1);
	u_strToUTF8(s, n + 1, &n, u, ulen, &status);
	if (U_FAILURE(status)) {
		free(s);
		return -1;
	}
	for (i = 0; i < n; ) {
		at = utf8_decode(s + i, (size_t)(n - i), &cp);
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
		i += (int32_t)at;
	}
	free(s);
	return 0;
}

int
coll_pinyin(struct coll *c, const char *s, size_t len, struct buf *out, struct buf *why)
{
	UErrorCode status = U_ZERO_ERROR;
	UParseError perr;
	UChar *u = NULL, *id = NULL;
	int32_t ulen, cap, limit;
	int rc = -1;

	if (len > MAX_TEXT) {
		buf_puts(why, "the text is too long");
		return -1;
	}
	if (utf8_check(s, len) < len) {
		buf_puts(why, "the text is not UTF-8");
		return -1;
	}
	if (c->pinyin == NULL) {
		id = to_utf16(PINYIN_RULES, strlen(PINYIN_RULES), 1, &ulen, &cap);
		c->pinyin = utrans_openU(id, ulen, UTRANS_FORWARD, NULL, 0, &perr, &status);
		free(id);
		if (U_FAILURE(status)) {
			c->pinyin = NULL;
			buf_printf(why, "ICU cannot open the transliterator \"%s\": %s",
			    PINYIN_RULES, u_errorName(status));
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
	if (put_normalised(u, ulen, out) == -1) {
		buf_puts(why, "ICU could not convert the result to UTF-8");
		goto out;
	}
	rc = 0;
out:
	free(u);
	return rc;
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
