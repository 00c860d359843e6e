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

struct font {
	char		*family;	/* as asked for */
	char		*path;
	int		 index;		/* face within a .ttc */
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
	/* font_glyph_zh()'s answers: few marks are asked for, each shaped once. */
	struct { uint32_t cp, gid; } zh[64];
	size_t		 nzh;
};

struct font_set {
	FcConfig	 *config;
	struct font	**fonts;
	size_t		  n;
	char		**failed;	/* families that could not be opened: reported once */
	size_t		  nfailed;
};

/* The Debian packages of the fonts galley's styles name, for "install …" hints. */
static const struct {
	const char	*prefix;
	const char	*package;
} packages[] = {
	{ "AR PL UMing", "fonts-arphic-uming" },
	{ "AR PL UKai", "fonts-arphic-ukai" },
	{ "WenQuanYi Zen Hei", "fonts-wqy-zenhei" },
	{ "Liberation", "fonts-liberation2" },
	{ "Noto Sans CJK", "fonts-noto-cjk" },
	{ "Noto Serif CJK", "fonts-noto-cjk" },
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

static void
report_missing(const char *family, const char *why, const char *file, int line, int col)
{
	const char *package = NULL;
	size_t i;

	for (i = 0; i < sizeof(packages) / sizeof(packages[0]); i++)
		if (strncasecmp(family, packages[i].prefix, strlen(packages[i].prefix)) == 0)
			package = packages[i].package;
	if (package)
		msg_at(MSG_ERROR, file, line, col, "font '%s' %s; install it with "
		    "'apt-get install %s'", family, why, package);
	else
		msg_at(MSG_ERROR, file, line, col, "font '%s' %s; install a package "
		    "that provides it or name another font in the style", family, why);
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

static struct font *
open_font(struct font_set *set, const char *family, int bold, int italic,
    const char *file, int line, int col)
{
	FcPattern *want, *match;
	FcResult result;
	FcChar8 *path, *format;
	int index = 0, weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN;
	FcBool embolden = FcFalse;
	FcMatrix *matrix;
	struct buf why = BUF_INIT;
	struct font *f = NULL;

	want = FcPatternBuild(NULL, FC_FAMILY, FcTypeString, family,
	    FC_WEIGHT, FcTypeInteger, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR,
	    FC_SLANT, FcTypeInteger, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN,
	    (char *)NULL);
	FcConfigSubstitute(set->config, want, FcMatchPattern);
	FcDefaultSubstitute(want);
	match = FcFontMatch(set->config, want, &result);
	FcPatternDestroy(want);
	if (match == NULL || !has_family(match, family) ||
	    FcPatternGetString(match, FC_FILE, 0, &path) != FcResultMatch) {
		report_missing(family, "is not installed", file, line, col);
		goto out;
	}
	/* libharu and galley's PDF writer embed TrueType outlines only: not CFF, not bitmaps. */
	if (FcPatternGetString(match, FC_FONTFORMAT, 0, &format) == FcResultMatch &&
	    strcmp((const char *)format, "TrueType") != 0) {
		buf_printf(&why, "(%s) is a %s font, not TrueType (only TrueType outlines "
		    "can be embedded)", (const char *)path, (const char *)format);
		report_missing(family, buf_str(&why), file, line, col);
		goto out;
	}
	FcPatternGetInteger(match, FC_INDEX, 0, &index);
	FcPatternGetInteger(match, FC_WEIGHT, 0, &weight);
	FcPatternGetInteger(match, FC_SLANT, 0, &slant);
	/* fontconfig asks renderers to fake a missing bold or italic; galley does that itself. */
	if (FcPatternGetBool(match, FC_EMBOLDEN, 0, &embolden) == FcResultMatch && embolden)
		weight = FC_WEIGHT_REGULAR;
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
		buf_printf(&why, "(%s) cannot be read as a TrueType font: the file is %s",
		    f->path, hb_blob_get_length(f->blob) == 0 ? "empty or unreadable" :
		    "damaged");
		report_missing(family, buf_str(&why), file, line, col);
		font_free(f);
		f = NULL;
		goto out;
	}
	f->hb = hb_font_create(f->face);
	f->upem = (int)hb_face_get_upem(f->face);
	memset(f->glyphs, 0xFF, sizeof(f->glyphs));
	memset(f->advances, 0xFF, sizeof(f->advances));
	hb_font_set_scale(f->hb, f->upem, f->upem);
out:
	buf_free(&why);
	if (match)
		FcPatternDestroy(match);
	return f;
}

struct font *
font_get(struct font_set *set, const char *family, int bold, int italic,
    const char *file, int line, int col)
{
	struct font *f;
	size_t i;

	for (i = 0; i < set->n; i++) {
		f = set->fonts[i];
		if (strcasecmp(f->family, family) == 0 && f->want_bold == bold &&
		    f->want_italic == italic)
			return f;
	}
	for (i = 0; i < set->nfailed; i++)
		if (strcasecmp(set->failed[i], family) == 0)
			return NULL;
	if ((f = open_font(set, family, bold, italic, file, line, col)) == NULL) {
		set->failed = mem_realloc(set->failed, (set->nfailed + 1) * sizeof(*set->failed));
		set->failed[set->nfailed++] = mem_strdup(family);
		return NULL;
	}
	set->fonts = mem_realloc(set->fonts, (set->n + 1) * sizeof(*set->fonts));
	set->fonts[set->n++] = f;
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

uint32_t
font_glyph_zh(struct font *font, uint32_t cp)
{
	hb_buffer_t *hb;
	hb_glyph_info_t *info;
	unsigned n = 0;
	uint32_t gid;
	size_t i;

	for (i = 0; i < font->nzh; i++)
		if (font->zh[i].cp == cp)
			return font->zh[i].gid;
	if ((gid = font_glyph(font, cp)) == 0)
		return 0;
	hb = hb_buffer_create();
	hb_buffer_add_codepoints(hb, &cp, 1, 0, 1);
	hb_buffer_set_direction(hb, HB_DIRECTION_LTR);
	hb_buffer_set_script(hb, HB_SCRIPT_HAN);
	hb_buffer_set_language(hb, hb_language_from_string("zh-Hans", -1));
	/*
	 * The marks Unicode leaves ambiguous in width (· “ ” ‘ ’ — …) are asked
	 * for in their full-width forms too (fwid): set among Chinese text they
	 * take an em (Noto CJK's · is Latin-narrow without it).
	 */
	hb_feature_t fwid = { HB_TAG('f', 'w', 'i', 'd'), 1, 0, (unsigned)-1 };
	int ambiguous = cp == 0x00B7 || cp == 0x2014 || cp == 0x2026 ||
	    (cp >= 0x2018 && cp <= 0x201D);
	hb_shape(font->hb, hb, ambiguous ? &fwid : NULL, ambiguous ? 1 : 0);
	info = hb_buffer_get_glyph_infos(hb, &n);
	/* Only a one-for-one substitution: a ligature or a split would not be this mark. */
	if (n == 1 && info[0].codepoint != 0)
		gid = info[0].codepoint;
	hb_buffer_destroy(hb);
	if (font->nzh < sizeof(font->zh) / sizeof(font->zh[0])) {
		font->zh[font->nzh].cp = cp;
		font->zh[font->nzh++].gid = gid;
	}
	return gid;
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
	hb_font_extents_t e;

	hb_font_get_h_extents(font->hb, &e);
	*ascender = (int)e.ascender;
	*descender = (int)e.descender;
}

int
font_glyph_ink(struct font *font, uint32_t gid, int *x0, int *y0, int *x1, int *y1)
{
	hb_glyph_extents_t e;

	/* HarfBuzz gives the top-left corner and a negative height (y grows upward). */
	if (!hb_font_get_glyph_extents(font->hb, gid, &e) || e.width == 0 || e.height == 0) {
		*x0 = *y0 = *x1 = *y1 = 0;
		return -1;
	}
	*x0 = e.x_bearing;
	*x1 = e.x_bearing + e.width;
	*y1 = e.y_bearing;
	*y0 = e.y_bearing + e.height;
	return 0;
}

struct font_subset {
	hb_subset_plan_t	*plan;
};

struct font_subset *
font_subset_plan(const struct font *font, const uint32_t *gids, size_t n, uint32_t *new_gids)
{
	hb_subset_input_t *input = hb_subset_input_create_or_fail();
	hb_subset_plan_t *plan;
	struct font_subset *fs;
	const hb_map_t *map;
	hb_set_t *glyphs;
	size_t i;

	if (input == NULL) {
		msg_at(MSG_ERROR, font->path, 0, 0, "cannot subset the font: out of memory");
		return NULL;
	}
	glyphs = hb_subset_input_glyph_set(input);
	hb_set_add(glyphs, 0);
	for (i = 0; i < n; i++)
		hb_set_add(glyphs, gids[i]);
	/*
	 * Glyphs are renumbered (HarfBuzz 6 fails to keep ids in large CJK
	 * subsets, and kept ids cost a loca entry per unused glyph); the plan
	 * says where each went.  Hinting is useless in a PDF.
	 */
	hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
	plan = hb_subset_plan_create_or_fail(font->face, input);
	hb_subset_input_destroy(input);
	if (plan == NULL) {
		msg_at(MSG_ERROR, font->path, 0, 0, "cannot subset the font");
		return NULL;
	}
	map = hb_subset_plan_old_to_new_glyph_mapping(plan);
	for (i = 0; i < n; i++)
		new_gids[i] = hb_map_get(map, gids[i]);
	fs = mem_zalloc(1, sizeof(*fs));
	fs->plan = plan;
	return fs;
}

int
font_subset_bytes(struct font_subset *fs, struct buf *out)
{
	hb_face_t *subset = hb_subset_plan_execute_or_fail(fs->plan);
	hb_blob_t *blob;
	const char *data;
	unsigned len = 0;

	if (subset == NULL)
		return -1;
	blob = hb_face_reference_blob(subset);
	data = hb_blob_get_data(blob, &len);
	buf_put(out, data, len);
	hb_blob_destroy(blob);
	hb_face_destroy(subset);
	return 0;
}

void
font_subset_free(struct font_subset *fs)
{
	if (fs == NULL)
		return;
	hb_subset_plan_destroy(fs->plan);
	free(fs);
}
