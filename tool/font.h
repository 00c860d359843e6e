/* Fonts: found by family with fontconfig, measured with HarfBuzz, subset with hb-subset. */
#ifndef GALLEY_FONT_H
#define GALLEY_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct font;
struct font_set;

/* A set of open fonts for one run; each font file is opened (memory-mapped) once. */
struct font_set *font_set_new(void);
/* Frees the set and every font it opened.  Accepts NULL. */
void font_set_free(struct font_set *set);

/*
 * Returns the font of family (exactly that family: fontconfig's nearest other
 * font does not count) in the requested weight and slant, opening it on first
 * use; the set owns it.  When the family has no bold or italic face the
 * regular one is returned and font_is_bold()/font_is_italic() say so, for
 * synthetic bold and slant.  Returns NULL after reporting an error that names
 * the Debian package to install, at file:line:col (where the style names the
 * family) when file is not NULL; a family that failed once fails again
 * without a second message.
 */
struct font *font_get(struct font_set *set, const char *family, int bold,
    int italic, const char *file, int line, int col);

const char *font_family(const struct font *font);
const char *font_path(const struct font *font);
/* The face's index within its file (a .ttc holds several; 0 otherwise). */
int font_face_index(const struct font *font);
/* Whether the outlines are CFF (an OpenType .otf or .ttc face), else TrueType. */
int font_is_cff(const struct font *font);
int font_is_bold(const struct font *font);
/* Asked for bold, got a face that is not: draw it with a synthetic bold. */
int font_fake_bold(const struct font *font);
int font_is_italic(const struct font *font);
/* Asked for italic, got an upright face: draw it slanted. */
int font_fake_italic(const struct font *font);
/* Design units per em: advances are in these units. */
int font_units_per_em(const struct font *font);
/* The glyph for code point cp, or 0 when the font has none (the font caches it). */
uint32_t font_glyph(struct font *font, uint32_t cp);
/*
 * The glyph for cp as shaped in Simplified Chinese (HarfBuzz language
 * zh-Hans, so the font's locl feature picks its mainland form of a mark, as
 * ， and 。 at lower left; for · “ ” ‘ ’ — … also its full-width form, fwid),
 * or font_glyph()'s when the font has no such form; 0 when it has no glyph.
 * The font keeps the answers for the first 64 code points asked (marks).
 */
uint32_t font_glyph_zh(struct font *font, uint32_t cp);
/*
 * The glyph for cp in Latin text: for · “ ” ‘ ’ — … the font's proportional
 * form (pwid) where it has one, as a CJK family set as the Latin face does;
 * else font_glyph()'s.
 */
uint32_t font_glyph_latin(struct font *font, uint32_t cp);
/* The horizontal advance of glyph gid, in design units (the font caches it). */
int font_advance(struct font *font, uint32_t gid);
/* How many glyphs the font has: glyph ids run below this. */
unsigned font_glyph_count(const struct font *font);
/* The font's PostScript name ("ARPLUMingCN-Light"), or its family without spaces. */
void font_ps_name(const struct font *font, struct buf *out);
/* Ascender and descender (negative) in design units: OS/2's typographic ones, else hhea's. */
void font_extents(const struct font *font, int *ascender, int *descender);
/*
 * The ink bounds of glyph gid in design units, y up from the baseline:
 * x0..x1 across, y0 (bottom) .. y1 (top).  Returns 0, or -1 with all four
 * set to 0 when the glyph has no outline (a space) or the font cannot say.
 */
int font_glyph_ink(struct font *font, uint32_t gid, int *x0, int *y0, int *x1, int *y1);

/*
 * A subset of font holding glyphs gids[0..n) (and glyph 0), in two
 * steps, each on any thread (fonts are planned on two, the bytes made while
 * the pages are written).  cps[i] is the character gids[i] shows (or any
 * value when it is not known).  font_subset_plan() stores in new_gids[i] the
 * id gids[i] has in the subset and returns the plan (the caller frees it with
 * font_subset_free(), before the font), or NULL when HarfBuzz could not make
 * it.  font_subset_bytes() appends the subset to out, or returns -1.  Neither
 * says anything: the caller reports failures.
 */
struct font_subset;
struct font_subset *font_subset_plan(const struct font *font, const uint32_t *gids,
    const uint32_t *cps, size_t n, uint32_t *new_gids);
/*
 * The bytes are a TrueType file for a TrueType font; for a CFF font they are
 * the bare CFF table (what a PDF's CIDFontType0C stream holds), whose CIDs,
 * when it is CID-keyed, are made its glyph ids, so that in either case the
 * PDF shows glyph new_gids[i] by that number.
 */
int font_subset_bytes(struct font_subset *fs, struct buf *out);
void font_subset_free(struct font_subset *fs);

#endif
