/* Fonts: found by family with fontconfig, measured with HarfBuzz, subset with hb-subset. */
#include "font.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <fontconfig/fontconfig.h>
#include <hb-subset.h>
#include <hb.h>
#include <hb-ot.h>

#include "mem.h"
#include "msg.h"

#define FONT_CACHE_BITS	10
#define FONT_CACHE	(1u << FONT_CACHE_BITS)

/* Glyphs found by shaping one code point, kept: few are asked for. */
struct font_shaped {
	uint32_t	 cp[64], gid[64];
	size_t		 n;
};

struct font {
	char		*family;	/* the family found */
	char		*asked;		/* the families asked for, "A, B" */
	char		*path;
	int		 index;		/* face within a .ttc */
	int		 cff;		/* CFF outlines (else TrueType's glyf) */
	int		 bold;		/* the face itself is bold */
	int		 italic;	/* the face itself is italic or oblique */
	int		 want_bold;
	int		 want_italic;
	hb_blob_t	*blob;
	hb_face_t	*face;
	hb_font_t	*hb;
	int		 upem;
	/*
	 * The last lookups, by hash: layout asks for the same few hundred
	 * characters again and again, and HarfBuzz's cmap and hmtx lookups cost
	 * several times a hit here.  A key of 0xFFFFFFFF is an empty slot.
	 */
	struct { uint32_t cp, gid; } glyphs[FONT_CACHE];
	struct { uint32_t gid; int advance; } advances[FONT_CACHE];
	/* font_glyph_ink()'s answers: a CFF glyph's bounds mean running its charstring. */
	struct { uint32_t gid; int x0, y0, x1, y1, ok; } inks[FONT_CACHE];
	/* font_glyph_zh()'s and font_glyph_latin()'s answers: marks, each shaped once. */
	struct font_shaped	 zh, latin;
};

struct font_set {
	FcConfig	 *config;
	struct font	**fonts;
	size_t		  n;
	char		**failed;	/* families that could not be opened: reported once */
	size_t		  nfailed;
	int		  dirs_added;	/* the folders of font_dirs are known to fontconfig */
};

/*
 * Debian folders of fonts that fontconfig's default configuration leaves out:
 * TeX Live's Fandol fonts (texlive-lang-chinese), the free 仿宋 and 楷体 that
 * GB/T 9704's faces are taken from.  They are system files, not document
 * input; a document cannot add folders of its own.
 */
static const char *const font_dirs[] = {
	"/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
	"/usr/share/texmf/fonts/opentype/public/fandol",
};

/* The Debian packages of the fonts galley's styles name, for "install …" hints. */
static const struct {
	const char	*prefix;
	const char	*package;
} packages[] = {
	{ "AR PL UMing", "fonts-arphic-uming" },
	{ "AR PL UKai", "fonts-arphic-ukai" },
	{ "AR PL SungtiL", "fonts-arphic-gbsn00lp" },
	{ "AR PL KaitiM", "fonts-arphic-gkai00mp" },
	{ "WenQuanYi Zen Hei", "fonts-wqy-zenhei" },
	{ "WenQuanYi Micro Hei", "fonts-wqy-microhei" },
	{ "Liberation", "fonts-liberation2" },
	{ "DejaVu", "fonts-dejavu-core" },
	{ "Noto Sans Mono CJK", "fonts-noto-cjk" },
	{ "Noto Sans CJK", "fonts-noto-cjk" },
	{ "Noto Serif CJK", "fonts-noto-cjk" },
	{ "LXGW WenKai", "fonts-lxgw-wenkai" },
	{ "Fandol", "texlive-lang-chinese" },
};

struct font_set *
font_set_new(void)
{
	struct font_set *set = mem_zalloc(1, sizeof(*set));

	set->config = FcInitLoadConfigAndFonts();
	return set;
}

static void
font_free(struct font *f)
{
	hb_font_destroy(f->hb);
	hb_face_destroy(f->face);
	hb_blob_destroy(f->blob);
	free(f->family);
	free(f->asked);
	free(f->path);
	free(f);
}

void
font_set_free(struct font_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		font_free(set->fonts[i]);
	free(set->fonts);
	for (i = 0; i < set->nfailed; i++)
		free(set->failed[i]);
	free(set->failed);
	if (set->config)
		FcConfigDestroy(set->config);
	free(set);
}

/*
 * Says why family cannot be used and which Debian package has it: an error
 * when nothing stands in for it, else a warning naming the family used instead.
 */
static void
report_missing(const char *family, const char *why, const char *instead,
    const char *file, int line, int col)
{
	const char *package = NULL;
	struct buf then = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(packages) / sizeof(packages[0]); i++)
		if (package == NULL &&
		    strncasecmp(family, packages[i].prefix, strlen(packages[i].prefix)) == 0)
			package = packages[i].package;
	if (instead)
		buf_printf(&then, "; '%s' stands in for it", instead);
	if (package)
		msg_at(instead ? MSG_WARNING : MSG_ERROR, file, line, col, "font '%s' %s; "
		    "install it with 'apt-get install %s'%s", family, why, package, buf_str(&then));
	else
		msg_at(instead ? MSG_WARNING : MSG_ERROR, file, line, col, "font '%s' %s; "
		    "install a package that provides it or name another font in the style%s",
		    family, why, buf_str(&then));
	buf_free(&then);
}

/* Whether the matched pattern is of family (any of its names, which fontconfig lists). */
static int
has_family(FcPattern *p, const char *family)
{
	FcChar8 *name;
	int i;

	for (i = 0; FcPatternGetString(p, FC_FAMILY, i, &name) == FcResultMatch; i++)
		if (strcasecmp((const char *)name, family) == 0)
			return 1;
	return 0;
}

static int
has_table(hb_face_t *face, hb_tag_t tag)
{
	hb_blob_t *blob = hb_face_reference_table(face, tag);
	int has = hb_blob_get_length(blob) > 0;

	hb_blob_destroy(blob);
	return has;
}

/* Whether fontconfig has a font of family (the known folders added if not). */
static int fc_has(struct font_set *set, const char *family);

/*
 * Adds font_dirs to fontconfig's fonts, once; returns whether it did now.
 * They are scanned only when a family is missing: fontconfig reads each
 * font of a folder it has no cache for.
 */
static int
add_dirs(struct font_set *set)
{
	size_t i;

	if (set->dirs_added)
		return 0;
	set->dirs_added = 1;
	for (i = 0; i < sizeof(font_dirs) / sizeof(font_dirs[0]); i++)
		FcConfigAppFontAddDir(set->config, (const FcChar8 *)font_dirs[i]);
	return 1;
}

/* Opens family, or returns NULL and says why in why (not reported: the caller decides). */
static struct font *
open_font(struct font_set *set, const char *family, int bold, int italic, struct buf *why)
{
	FcPattern *want, *match;
	FcResult result;
	FcChar8 *path, *format, *style;
	int index = 0, weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN;
	FcBool embolden = FcFalse;
	FcMatrix *matrix;
	struct font *f = NULL;

again:
	want = FcPatternBuild(NULL, FC_FAMILY, FcTypeString, family,
	    FC_WEIGHT, FcTypeInteger, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR,
	    FC_SLANT, FcTypeInteger, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN,
	    (char *)NULL);
	/* By weight alone fontconfig cannot tell Fandol's Bold from its Regular. */
	if (!italic)
		FcPatternAddString(want, FC_STYLE, (const FcChar8 *)(bold ? "Bold" : "Regular"));
	FcConfigSubstitute(set->config, want, FcMatchPattern);
	FcDefaultSubstitute(want);
	match = FcFontMatch(set->config, want, &result);
	FcPatternDestroy(want);
	if (match == NULL || !has_family(match, family) ||
	    FcPatternGetString(match, FC_FILE, 0, &path) != FcResultMatch) {
		if (add_dirs(set)) {
			if (match)
				FcPatternDestroy(match);
			match = NULL;
			goto again;
		}
		buf_puts(why, "is not installed");
		goto out;
	}
	/* galley's PDF writer embeds outlines: TrueType (glyf) or CFF, not bitmaps. */
	if (FcPatternGetString(match, FC_FONTFORMAT, 0, &format) == FcResultMatch &&
	    strcmp((const char *)format, "TrueType") != 0 &&
	    strcmp((const char *)format, "CFF") != 0) {
		buf_printf(why, "(%s) is a %s font, not OpenType (only TrueType and CFF "
		    "outlines can be embedded)", (const char *)path, (const char *)format);
		goto out;
	}
	FcPatternGetInteger(match, FC_INDEX, 0, &index);
	FcPatternGetInteger(match, FC_WEIGHT, 0, &weight);
	FcPatternGetInteger(match, FC_SLANT, 0, &slant);
	/* fontconfig asks renderers to fake a missing bold or italic; galley does that itself. */
	if (FcPatternGetBool(match, FC_EMBOLDEN, 0, &embolden) == FcResultMatch && embolden)
		weight = FC_WEIGHT_REGULAR;
	/*
	 * Fandol's Bold faces say they are of regular weight (so fontconfig asks
	 * to embolden them too): their style name says Bold.
	 */
	if (FcPatternGetString(match, FC_STYLE, 0, &style) == FcResultMatch &&
	    strstr((const char *)style, "Bold") != NULL)
		weight = FC_WEIGHT_BOLD;
	if (FcPatternGetMatrix(match, FC_MATRIX, 0, &matrix) == FcResultMatch &&
	    matrix->xy != 0)
		slant = FC_SLANT_ROMAN;
	f = mem_zalloc(1, sizeof(*f));
	f->family = mem_strdup(family);
	f->path = mem_strdup((const char *)path);
	f->index = index;
	f->bold = weight >= FC_WEIGHT_DEMIBOLD;
	f->italic = slant != FC_SLANT_ROMAN;
	f->want_bold = bold;
	f->want_italic = italic;
	/* hb_blob_create_from_file maps the file rather than reading it. */
	f->blob = hb_blob_create_from_file(f->path);
	f->face = hb_face_create(f->blob, (unsigned)index);
	/*
	 * fontconfig's cache can name a file that has since been emptied or
	 * overwritten; HarfBuzz then gives an empty face, which would show nothing.
	 */
	if (hb_blob_get_length(f->blob) == 0 || hb_face_get_glyph_count(f->face) == 0) {
		buf_printf(why, "(%s) cannot be read as an OpenType font: the file is %s",
		    f->path, hb_blob_get_length(f->blob) == 0 ? "empty or unreadable" :
		    "damaged");
		font_free(f);
		f = NULL;
		goto out;
	}
	f->hb = hb_font_create(f->face);
	f->cff = has_table(f->face, HB_TAG('C', 'F', 'F', ' '));
	f->upem = (int)hb_face_get_upem(f->face);
	memset(f->glyphs, 0xFF, sizeof(f->glyphs));
	memset(f->advances, 0xFF, sizeof(f->advances));
	memset(f->inks, 0xFF, sizeof(f->inks));
	hb_font_set_scale(f->hb, f->upem, f->upem);
out:
	if (match)
		FcPatternDestroy(match);
	return f;
}

static int
fc_has(struct font_set *set, const char *family)
{
	FcPattern *want = FcPatternBuild(NULL, FC_FAMILY, FcTypeString, family, (char *)NULL);
	FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
	FcFontSet *fs = FcFontList(set->config, want, os);
	int has = fs != NULL && fs->nfont > 0;

	if (fs)
		FcFontSetDestroy(fs);
	if (!has && add_dirs(set)) {
		if ((fs = FcFontList(set->config, want, os)) != NULL) {
			has = fs->nfont > 0;
			FcFontSetDestroy(fs);
		}
	}
	FcObjectSetDestroy(os);
	FcPatternDestroy(want);
	return has;
}

static int
has_failed(const struct font_set *set, const char *family)
{
	size_t i;

	for (i = 0; i < set->nfailed; i++)
		if (strcasecmp(set->failed[i], family) == 0)
			return 1;
	return 0;
}

static void
add_failed(struct font_set *set, const char *family)
{
	set->failed = mem_realloc(set->failed, (set->nfailed + 1) * sizeof(*set->failed));
	set->failed[set->nfailed++] = mem_strdup(family);
}

/* The next family of a list "A, B, C" from *p into name; 0 at the end. */
static int
next_family(const char **p, struct buf *name)
{
	const char *s = *p, *end;

	while (*s == ' ' || *s == ',')
		s++;
	if (*s == '\0')
		return 0;
	for (end = s; *end && *end != ','; end++)
		;
	*p = end;
	while (end > s && end[-1] == ' ')
		end--;
	buf_reset(name);
	buf_put(name, s, (size_t)(end - s));
	return 1;
}

struct font *
font_get(struct font_set *set, const char *family, int bold, int italic,
    const char *file, int line, int col)
{
	struct buf name = BUF_INIT, why = BUF_INIT, next = BUF_INIT;
	const char *p = family, *q;
	struct font *f = NULL;
	size_t i;
	int reported = 0, stand_in;

	for (i = 0; i < set->n; i++) {
		f = set->fonts[i];
		if (strcasecmp(f->asked, family) == 0 && f->want_bold == bold &&
		    f->want_italic == italic)
			return f;
	}
	if (has_failed(set, family))
		return NULL;
	/* The first family of the list that opens; each one missing before it is reported once. */
	for (f = NULL; f == NULL && next_family(&p, &name); ) {
		if (has_failed(set, buf_str(&name)))
			continue;
		buf_reset(&why);
		if ((f = open_font(set, buf_str(&name), bold, italic, &why)) != NULL)
			break;
		add_failed(set, buf_str(&name));
		/* A warning when a family further on stands in, an error when none does. */
		for (q = p, stand_in = 0; !stand_in && next_family(&q, &next); )
			stand_in = !has_failed(set, buf_str(&next)) && fc_has(set, buf_str(&next));
		report_missing(buf_str(&name), buf_str(&why), stand_in ? buf_str(&next) : NULL,
		    file, line, col);
		reported |= !stand_in;
	}
	if (f == NULL) {
		/* Every family failed, some of them earlier: say so once, as an error. */
		if (!reported)
			msg_at(MSG_ERROR, file, line, col, "no font of '%s' is installed", family);
		add_failed(set, family);
	} else {
		f->asked = mem_strdup(family);
		set->fonts = mem_realloc(set->fonts, (set->n + 1) * sizeof(*set->fonts));
		set->fonts[set->n++] = f;
	}
	buf_free(&name);
	buf_free(&why);
	buf_free(&next);
	return f;
}

const char *
font_family(const struct font *font)
{
	return font->family;
}

const char *
font_path(const struct font *font)
{
	return font->path;
}

int
font_face_index(const struct font *font)
{
	return font->index;
}

int
font_is_cff(const struct font *font)
{
	return font->cff;
}

int
font_is_bold(const struct font *font)
{
	return font->bold;
}

int
font_fake_bold(const struct font *font)
{
	return font->want_bold && !font->bold;
}

int
font_is_italic(const struct font *font)
{
	return font->italic;
}

int
font_fake_italic(const struct font *font)
{
	return font->want_italic && !font->italic;
}

int
font_units_per_em(const struct font *font)
{
	return font->upem;
}

/* A slot for key among FONT_CACHE (Fibonacci hashing: neighbouring code points spread). */
static unsigned
cache_slot(uint32_t key)
{
	return (unsigned)((key * 2654435769u) >> (32 - FONT_CACHE_BITS));
}

uint32_t
font_glyph(struct font *font, uint32_t cp)
{
	unsigned slot = cache_slot(cp);
	hb_codepoint_t gid = 0;

	if (font->glyphs[slot].cp == cp)
		return font->glyphs[slot].gid;
	if (!hb_font_get_nominal_glyph(font->hb, cp, &gid))
		gid = 0;
	font->glyphs[slot].cp = cp;
	font->glyphs[slot].gid = gid;
	return gid;
}

/* The marks Unicode leaves ambiguous in width: a CJK font has two forms of each. */
static int
is_ambiguous_mark(uint32_t cp)
{
	return cp == 0x00B7 || cp == 0x2014 || cp == 0x2026 || (cp >= 0x2018 && cp <= 0x201D);
}

/*
 * cp shaped alone in the language and with the feature given, when that
 * substitutes one glyph for the plain one; the answers are kept in cache
 * (its first 64 code points: marks are few).
 */
static uint32_t
shaped_glyph(struct font *font, uint32_t cp, const char *lang, hb_script_t script,
    const hb_feature_t *feature, struct font_shaped *cache)
{
	hb_buffer_t *hb;
	hb_glyph_info_t *info;
	unsigned n = 0;
	uint32_t gid;
	size_t i;

	for (i = 0; i < cache->n; i++)
		if (cache->cp[i] == cp)
			return cache->gid[i];
	if ((gid = font_glyph(font, cp)) == 0)
		return 0;
	hb = hb_buffer_create();
	hb_buffer_add_codepoints(hb, &cp, 1, 0, 1);
	hb_buffer_set_direction(hb, HB_DIRECTION_LTR);
	hb_buffer_set_script(hb, script);
	hb_buffer_set_language(hb, hb_language_from_string(lang, -1));
	hb_shape(font->hb, hb, feature, feature ? 1 : 0);
	info = hb_buffer_get_glyph_infos(hb, &n);
	/* Only a one-for-one substitution: a ligature or a split would not be this mark. */
	if (n == 1 && info[0].codepoint != 0)
		gid = info[0].codepoint;
	hb_buffer_destroy(hb);
	if (cache->n < sizeof(cache->cp) / sizeof(cache->cp[0])) {
		cache->cp[cache->n] = cp;
		cache->gid[cache->n++] = gid;
	}
	return gid;
}

uint32_t
font_glyph_zh(struct font *font, uint32_t cp)
{
	/*
	 * The ambiguous marks are asked for in their full-width forms too
	 * (fwid): set among Chinese text they take an em (Noto CJK's · is
	 * Latin-narrow without it).
	 */
	static const hb_feature_t fwid = { HB_TAG('f', 'w', 'i', 'd'), 1, 0, (unsigned)-1 };

	return shaped_glyph(font, cp, "zh-Hans", HB_SCRIPT_HAN,
	    is_ambiguous_mark(cp) ? &fwid : NULL, &font->zh);
}

uint32_t
font_glyph_latin(struct font *font, uint32_t cp)
{
	/*
	 * A CJK family set as the Latin face (Noto CJK's own Latin) draws “ ” —
	 * full width by default: Latin text asks for the proportional forms
	 * (pwid).  A Latin font has no such feature and keeps its glyph.
	 */
	static const hb_feature_t pwid = { HB_TAG('p', 'w', 'i', 'd'), 1, 0, (unsigned)-1 };

	if (!is_ambiguous_mark(cp))
		return font_glyph(font, cp);
	return shaped_glyph(font, cp, "en", HB_SCRIPT_LATIN, &pwid, &font->latin);
}

int
font_advance(struct font *font, uint32_t gid)
{
	unsigned slot = cache_slot(gid);

	if (font->advances[slot].gid != gid) {
		font->advances[slot].gid = gid;
		font->advances[slot].advance = (int)hb_font_get_glyph_h_advance(font->hb, gid);
	}
	return font->advances[slot].advance;
}

unsigned
font_glyph_count(const struct font *font)
{
	return hb_face_get_glyph_count(font->face);
}

void
font_ps_name(const struct font *font, struct buf *out)
{
	char name[128];
	unsigned len = sizeof(name);
	const char *p;

	if (hb_ot_name_get_utf8(font->face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID,
	    &len, name) > 0 && name[0] != '\0')
		p = name;
	else
		p = font->family;
	/* A PDF name: printable ASCII other than the delimiters. */
	for (; *p; p++)
		if (*p > ' ' && *p < 0x7f && strchr("()<>[]{}/%#", *p) == NULL)
			buf_putc(out, *p);
}

void
font_extents(const struct font *font, int *ascender, int *descender)
{
	hb_blob_t *os2 = hb_face_reference_table(font->face, HB_TAG('O', 'S', '/', '2'));
	const unsigned char *d;
	hb_font_extents_t e;
	unsigned len = 0;

	/*
	 * OS/2's typographic ascender and descender when there are any: for CJK
	 * fonts they are the ideographic em box (Noto CJK: 880 and -120), where
	 * hhea's make room for accents (1151 and -287), and readers draw text
	 * selections and take text positions from these numbers.
	 */
	d = (const unsigned char *)hb_blob_get_data(os2, &len);
	if (len >= 72 && (int16_t)(d[68] << 8 | d[69]) > 0) {
		*ascender = (int16_t)(d[68] << 8 | d[69]);
		*descender = (int16_t)(d[70] << 8 | d[71]);
	} else {
		hb_font_get_h_extents(font->hb, &e);
		*ascender = (int)e.ascender;
		*descender = (int)e.descender;
	}
	hb_blob_destroy(os2);
}

int
font_glyph_ink(struct font *font, uint32_t gid, int *x0, int *y0, int *x1, int *y1)
{
	unsigned slot = cache_slot(gid);
	hb_glyph_extents_t e;

	if (font->inks[slot].gid != gid) {
		font->inks[slot].gid = gid;
		/* HarfBuzz gives the top-left corner and a negative height (y grows upward). */
		if (!hb_font_get_glyph_extents(font->hb, gid, &e) || e.width == 0 ||
		    e.height == 0) {
			font->inks[slot].ok = 0;
			font->inks[slot].x0 = font->inks[slot].y0 = 0;
			font->inks[slot].x1 = font->inks[slot].y1 = 0;
		} else {
			font->inks[slot].ok = 1;
			font->inks[slot].x0 = e.x_bearing;
			font->inks[slot].x1 = e.x_bearing + e.width;
			font->inks[slot].y1 = e.y_bearing;
			font->inks[slot].y0 = e.y_bearing + e.height;
		}
	}
	*x0 = font->inks[slot].x0;
	*y0 = font->inks[slot].y0;
	*x1 = font->inks[slot].x1;
	*y1 = font->inks[slot].y1;
	return font->inks[slot].ok ? 0 : -1;
}

struct font_subset {
	hb_subset_plan_t	*plan;
	int			 cff;
};

/*
 * Where the INDEX at `at` of a CFF table ends, with its first item in
 * [*first, *first_end) when it has one; 0 when it does not fit in len bytes.
 */
static size_t
cff_index(const uint8_t *d, size_t len, size_t at, size_t *first, size_t *first_end)
{
	size_t count, size, base, k, off[2], last = 0;

	if (at + 2 > len)
		return 0;
	count = (size_t)d[at] << 8 | d[at + 1];
	if (count == 0)
		return at + 2;
	if (at + 3 > len || (size = d[at + 2]) < 1 || size > 4 ||
	    at + 3 + (count + 1) * size > len)
		return 0;
	/* Offsets count from 1, from the byte before the data. */
	base = at + 3 + (count + 1) * size - 1;
	off[0] = off[1] = 0;
	for (k = 0; k < size; k++) {
		off[0] = off[0] << 8 | d[at + 3 + k];
		off[1] = off[1] << 8 | d[at + 3 + size + k];
		last = last << 8 | d[at + 3 + count * size + k];
	}
	if (off[0] < 1 || off[1] < off[0] || last < off[1] || base + last > len)
		return 0;
	*first = base + off[0];
	*first_end = base + off[1];
	return base + last;
}

/*
 * Reads the Top DICT [at, end) of a CFF table: whether the font is CID-keyed
 * (it has an ROS operator) and the offset of its charset (0 when it uses the
 * default one).  Returns 0, or -1 when the DICT cannot be read.
 */
static int
cff_top_dict(const uint8_t *d, size_t at, size_t end, int *cid, long *charset)
{
	long operand = 0;
	int op;

	*cid = 0;
	*charset = 0;
	while (at < end) {
		unsigned b = d[at++];
		if (b <= 21) {
			op = (int)b;
			if (b == 12) {
				if (at >= end)
					return -1;
				op = 1200 + d[at++];
			}
			if (op == 15)
				*charset = operand;
			else if (op == 1230)
				*cid = 1;
		} else if (b == 28 && at + 2 <= end) {
			operand = (int16_t)(d[at] << 8 | d[at + 1]);
			at += 2;
		} else if (b == 29 && at + 4 <= end) {
			operand = (int32_t)((uint32_t)d[at] << 24 | (uint32_t)d[at + 1] << 16 |
			    (uint32_t)d[at + 2] << 8 | d[at + 3]);
			at += 4;
		} else if (b == 30) {
			/* A real, in nibbles up to an 0xF one: no offset is a real. */
			while (at < end && (d[at] & 0x0F) != 0x0F && (d[at] & 0xF0) != 0xF0)
				at++;
			at++;
			operand = 0;
		} else if (b >= 32 && b <= 246)
			operand = (long)b - 139;
		else if (b >= 247 && b <= 250 && at < end)
			operand = ((long)b - 247) * 256 + d[at++] + 108;
		else if (b >= 251 && b <= 254 && at < end)
			operand = -((long)b - 251) * 256 - d[at++] - 108;
		else
			return -1;
	}
	return 0;
}

/* The size of the charset at `at` for nglyphs glyphs, or 0 when it does not fit in len. */
static size_t
cff_charset_size(const uint8_t *d, size_t len, size_t at, unsigned nglyphs)
{
	size_t p = at + 1, covered = 1, range;

	if (at >= len)
		return 0;
	switch (d[at]) {
	case 0:
		p += 2 * (size_t)(nglyphs - 1);
		return p <= len ? p - at : 0;
	case 1:
	case 2:
		range = d[at] == 1 ? 3 : 4;
		while (covered < nglyphs) {
			if (p + range > len)
				return 0;
			covered += 1 + (range == 3 ? d[p + 2] : (size_t)d[p + 2] << 8 | d[p + 3]);
			p += range;
		}
		return p - at;
	default:
		return 0;
	}
}

/*
 * Makes a CID-keyed CFF's CIDs its glyph ids: glyph g is CID g.  hb-subset
 * renumbers the glyphs but keeps each one's CID, and a PDF's content stream
 * selects a CIDFontType0's glyphs by CID, which a reader maps through the
 * charset (poppler, MuPDF) or takes for the glyph id (some others); with
 * CID = glyph id both read the same glyph, and the pages show new glyph ids
 * as for TrueType.  The identity charset is never longer than the one it
 * replaces (3, 4 or 5 bytes), so it is written in its place.  Returns 0, or
 * -1 when the table cannot be read.
 */
static int
cff_identity_charset(uint8_t *d, size_t len, unsigned nglyphs)
{
	size_t name_end, top, top_end, dummy, size;
	long charset;
	int cid;

	if (len < 4 || nglyphs < 1 ||
	    (name_end = cff_index(d, len, d[2], &dummy, &dummy)) == 0 ||
	    cff_index(d, len, name_end, &top, &top_end) == 0 || top_end <= top ||
	    cff_top_dict(d, top, top_end, &cid, &charset) == -1)
		return -1;
	if (!cid || nglyphs == 1)
		return 0;	/* a name-keyed CFF: its glyph ids are the CIDs already */
	if (charset < 3 || (size = cff_charset_size(d, len, (size_t)charset, nglyphs)) == 0)
		return -1;
	d += charset;
	if (nglyphs == 2 && size >= 3) {
		d[0] = 0;
		d[1] = 0;
		d[2] = 1;
	} else if (nglyphs - 2 <= 255 && size >= 4) {
		d[0] = 1;	/* one range: CIDs 1 … nglyphs - 1 */
		d[1] = 0;
		d[2] = 1;
		d[3] = (uint8_t)(nglyphs - 2);
	} else if (size >= 5) {
		d[0] = 2;
		d[1] = 0;
		d[2] = 1;
		d[3] = (uint8_t)((nglyphs - 2) >> 8);
		d[4] = (uint8_t)((nglyphs - 2) & 0xFF);
	} else
		return -1;
	return 0;
}

/*
 * Whether each of gids[0..n) is the glyph the cmap gives its character
 * cps[i]: then the characters name the same glyphs as the ids do.
 */
static int
all_nominal(const struct font *font, const uint32_t *gids, const uint32_t *cps, size_t n)
{
	hb_codepoint_t gid;
	size_t i;

	for (i = 0; i < n; i++)
		if (!hb_font_get_nominal_glyph(font->hb, cps[i], &gid) || gid != gids[i])
			return 0;
	return 1;
}

struct font_subset *
font_subset_plan(const struct font *font, const uint32_t *gids, const uint32_t *cps, size_t n,
    uint32_t *new_gids)
{
	hb_subset_input_t *input = hb_subset_input_create_or_fail();
	static const char *const dropped[] = {
		"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "vhea", "vmtx", "VORG",
	};
	hb_subset_plan_t *plan;
	struct font_subset *fs;
	const hb_map_t *map;
	hb_set_t *glyphs, *drop;
	size_t i;

	if (input == NULL)
		return NULL;
	/*
	 * HarfBuzz plans a subset asked by glyph ids with the font's whole cmap
	 * (30,000 characters and more in a CJK font: two thirds of the plan's
	 * time); asked by characters, with theirs only.  A CFF font's subset is
	 * its CFF table alone, which depends only on the glyphs kept (glyph 0
	 * always is): when each glyph is its character's in the cmap, the
	 * characters give the same bytes.  A TrueType subset keeps its cmap,
	 * which the characters would make shorter: it is asked by glyph ids, as
	 * is a font showing a glyph the cmap does not give (a form the shaping
	 * chose, as Noto CJK's Chinese em dash).
	 */
	if (font->cff && all_nominal(font, gids, cps, n)) {
		glyphs = hb_subset_input_unicode_set(input);
		for (i = 0; i < n; i++)
			hb_set_add(glyphs, cps[i]);
	} else {
		glyphs = hb_subset_input_glyph_set(input);
		hb_set_add(glyphs, 0);
		for (i = 0; i < n; i++)
			hb_set_add(glyphs, gids[i]);
	}
	/*
	 * The PDF shows glyphs by id: the layout tables are of no use in it, and
	 * keeping them would add every glyph they can substitute (vertical forms,
	 * other regions' forms: 1,500 characters of Noto CJK became 3,000 glyphs).
	 */
	drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
	for (i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++)
		hb_set_add(drop, hb_tag_from_string(dropped[i], 4));
	/*
	 * Glyphs are renumbered (HarfBuzz 6 fails to keep ids in large CJK
	 * subsets, and kept ids cost a loca entry per unused glyph); the plan
	 * says where each went.  Hinting is useless in a PDF.  CFF subroutines
	 * are expanded: HarfBuzz then spends a third of the time on a Noto CJK
	 * subset, for about the same size.
	 */
	hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING |
	    (font->cff ? HB_SUBSET_FLAGS_DESUBROUTINIZE : 0));
	plan = hb_subset_plan_create_or_fail(font->face, input);
	hb_subset_input_destroy(input);
	if (plan == NULL)
		return NULL;
	map = hb_subset_plan_old_to_new_glyph_mapping(plan);
	for (i = 0; i < n; i++)
		new_gids[i] = hb_map_get(map, gids[i]);
	fs = mem_zalloc(1, sizeof(*fs));
	fs->plan = plan;
	fs->cff = font->cff;
	return fs;
}

int
font_subset_bytes(struct font_subset *fs, struct buf *out)
{
	hb_face_t *subset = hb_subset_plan_execute_or_fail(fs->plan);
	hb_blob_t *blob;
	const char *data;
	unsigned len = 0;

	size_t at = out->len;
	int rc = 0;

	if (subset == NULL)
		return -1;
	/* A CFF font goes into the PDF as its bare CFF table (CIDFontType0C). */
	blob = fs->cff ? hb_face_reference_table(subset, HB_TAG('C', 'F', 'F', ' ')) :
	    hb_face_reference_blob(subset);
	data = hb_blob_get_data(blob, &len);
	if (len == 0)
		rc = -1;
	else {
		buf_put(out, data, len);
		if (fs->cff && cff_identity_charset((uint8_t *)out->data + at, len,
		    hb_face_get_glyph_count(subset)) == -1)
			rc = -1;
	}
	hb_blob_destroy(blob);
	hb_face_destroy(subset);
	return rc;
}

void
font_subset_free(struct font_subset *fs)
{
	if (fs == NULL)
		return;
	hb_subset_plan_destroy(fs->plan);
	free(fs);
}
