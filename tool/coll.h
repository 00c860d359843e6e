/* ICU's text services: pinyin, locale-aware comparison and line-break opportunities (the only module that includes ICU). */
#ifndef GALLEY_COLL_H
#define GALLEY_COLL_H

#include <stddef.h>

#include "buf.h"

/*
 * The ICU objects of one run (a transliterator, collators by language, a
 * line-break iterator), each
 * opened the first time it is needed.  Owned by whoever called coll_new(),
 * which frees it with coll_free().
 */
struct coll;

/* Returns a new, empty set; nothing is opened yet.  Never NULL. */
struct coll *coll_new(void);

/* Closes every ICU object c opened and frees c.  Accepts NULL. */
void coll_free(struct coll *c);

/*
 * Appends to out the pinyin of the UTF-8 text s[0..len): Han characters
 * become lower-case syllables with numeric tones ("wang3"; the neutral tone
 * has no digit, ü stays ü), other text is kept lower-cased, and every run of
 * white space, including the breaks between syllables, is one space with
 * none at either end: "5G网络" → "5g wang3 luo4".  The reading of a
 * polyphonic character is ICU's (长 → zhang3).  Returns 0, or -1 with the
 * reason appended to why (text that is not UTF-8, an ICU failure).  Most
 * text is read from a table made at build time; ICU's transliterator is
 * opened only for text the table does not cover.
 */
int coll_pinyin(struct coll *c, const char *s, size_t len, struct buf *out,
    struct buf *why);

/*
 * The two ways coll_pinyin() has, for tests that compare them.  The first
 * reads the table generated from ICU's transliterator at build time
 * (coll_pinyin.h), fast; it takes Han characters with a one-syllable
 * reading, ASCII, common Chinese punctuation and tone-marked pinyin, and
 * returns -1 with out unchanged for any other text (or text coll_pinyin()
 * refuses).  The second opens the transliterator itself (about 70 ms of CPU
 * the first time) and takes any text.  Same results as coll_pinyin().
 */
int coll_pinyin_table(const char *s, size_t len, struct buf *out);
int coll_pinyin_icu(struct coll *c, const char *s, size_t len, struct buf *out,
    struct buf *why);

/*
 * Compares the UTF-8 texts a[0..alen) and b[0..blen) in the order of the
 * language lang ("zh": pinyin order, "en": English; any ICU locale name),
 * storing -1, 0 or 1 in *result.  Returns 0, or -1 with the reason appended
 * to why (text that is not UTF-8, a language ICU cannot open).
 */
int coll_compare(struct coll *c, const char *lang, const char *a, size_t alen,
    const char *b, size_t blen, int *result, struct buf *why);

/*
 * Sets can_break[i] to 1 for each byte offset 0 < i < len of the UTF-8 text
 * s[0..len) where ICU's line-break rules for Chinese (UAX #14 with the zh
 * tailoring) let a line start, and to 0 elsewhere; can_break has len + 1
 * bytes.  Returns 0, or -1 when ICU cannot break the text (then every
 * can_break[i] is 1: the caller's own rules decide alone).
 */
int coll_line_breaks(struct coll *c, const char *s, size_t len, unsigned char *can_break);

#endif
