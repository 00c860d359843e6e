/* UTF-8 decoding and the character classes that Chinese text handling needs. */
#ifndef GALLEY_UTF8_H
#define GALLEY_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes one code point from s (len bytes available) into *cp and returns
 * the bytes it used, or 0 when s does not start with well-formed UTF-8
 * (overlong forms, surrogates and values past U+10FFFF are malformed).
 */
size_t utf8_decode(const char *s, size_t len, int32_t *cp);

/* Decodes the code point that ends just before s + pos; returns 0 at the start. */
int32_t utf8_before(const char *s, size_t pos);

/* Writes cp as UTF-8 into out (4 bytes room) and returns the length. */
size_t utf8_encode(int32_t cp, char *out);

/* Writes cp as UTF-16 code units into out (2 units room) and returns how many. */
size_t utf16_encode(int32_t cp, uint16_t *out);

/* Returns the byte offset of the first malformed sequence, or len when all is well-formed. */
size_t utf8_check(const char *s, size_t len);

/* Counts the code points in the first n bytes of s (malformed bytes count one each). */
size_t utf8_count(const char *s, size_t n);

/* East Asian Wide or Fullwidth: Han, kana, hangul, CJK and full-width punctuation. */
int uc_is_wide(int32_t cp);
/* Unicode punctuation (general category P), as CommonMark uses it for emphasis. */
int uc_is_punct(int32_t cp);
/* Unicode white space, as CommonMark uses it for emphasis (Zs plus tab, CR, LF, FF). */
int uc_is_space(int32_t cp);

#endif
