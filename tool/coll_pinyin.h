/* The pinyin table tool/gen_pinyin.c writes at build time (out/gen/coll_pinyin.c) and coll.c reads. */
#ifndef GALLEY_COLL_PINYIN_H
#define GALLEY_COLL_PINYIN_H

#include <stddef.h>
#include <stdint.h>

/*
 * ICU's transliterator ID for pinyin: Han to Latin with tone marks, the marks
 * to digits, then lower case.  The table holds what it gives each character.
 */
#define COLL_PINYIN_RULES	"Han-Latin; Latin-NumericPinyin; Lower"

/* A run of code points first..last whose readings are coll_pinyin_readings[at..]. */
struct coll_pinyin_range {
	uint32_t	 first;
	uint32_t	 last;
	uint32_t	 at;	/* index of first's reading in coll_pinyin_readings */
};

/*
 * A reading that holds only before a given character (Han-Latin's rules
 * such as 重庆 → chong2, against 重 alone → zhong4): cp followed by next,
 * directly or after one space, reads syllable.
 */
struct coll_pinyin_context {
	uint32_t	 cp;
	uint32_t	 next;
	uint16_t	 syllable;	/* a number as in coll_pinyin_readings */
};

/*
 * All of it is read-only data, generated: the distinct syllables in byte
 * order ("a", "a1", …, "zhong1", …), numbered from 1; per code point of each
 * range the number of its syllable, or 0 when ICU has no single-syllable
 * reading for it; the ranges in code point order; the contextual readings.
 */
extern const char *const coll_pinyin_syllables[];
extern const size_t coll_pinyin_nsyllables;
extern const uint16_t coll_pinyin_readings[];
extern const struct coll_pinyin_range coll_pinyin_ranges[];
extern const size_t coll_pinyin_nranges;
extern const struct coll_pinyin_context coll_pinyin_contexts[];
extern const size_t coll_pinyin_ncontexts;

#endif
