/* PDF output: the page layout's boxes drawn with libharu, fonts embedded as subsets, images. */
#include "pdf.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>
#include <hpdf_conf.h>

#include "font.h"
#include "mem.h"
#include "msg.h"
#include "utf8.h"
#include "zip.h"

#ifndef DEFLATE_LEVEL
#define DEFLATE_LEVEL	3	/* zlib's: 1 fastest … 9 smallest */
#endif
/* libharu's level (zlib's default), which the images' pixels keep. */
#define IMAGE_LEVEL	6

/*
 * A stream's data made on the helper thread, compressed when zlib could:
 * libharu is used by the main thread only.
 */
struct packed {
	struct buf	 data;
	size_t		 length;	/* before compression */
	int		 deflated;
	int		 failed;	/* there is no data: the font could not be subset */
};

/*
 * libharu embeds TrueType fonts whole or through its own subsetter, which is
 * slow on CJK fonts and writes a ToUnicode map pdftotext rejects, and cannot
 * embed CFF (.otf) fonts at all.  galley uses libharu's object layer for the
 * font dictionaries instead: a Type0 font with Identity-H encoding over a
 * CIDFontType2 (TrueType, FontFile2) or CIDFontType0 (CFF, FontFile3 of
 * subtype CIDFontType0C) whose CIDs are the glyph ids of an hb-subset subset,
 * and a ToUnicode map written here.  So the pages are
 * written once the subsets are planned: a first pass collects the glyphs each
 * font shows.
 */
struct embedded {
	const char	*path;		/* the font file and face: faces share a subset */
	int		 index;
	struct font	*font;		/* the first of them, for metrics and subsetting */
	HPDF_Dict	 type0;
	uint32_t	*cp_of;		/* per glyph id: the character it shows, 0 unused */
	uint32_t	*new_of;	/* per glyph id: its id in the subset */
	unsigned	 nglyphs;
	struct font_subset *subset;	/* planned: new_of is set */
	uint32_t	*gids, *news, *cps;	/* the glyphs shown: ids, subset ids, characters */
	size_t		 n;
	struct packed	 file, cmap;	/* the subset and its ToUnicode map */
};

/* An image file, loaded once however many times it is shown. */
struct picture {
	const char	*path;		/* borrowed from the layout */
	HPDF_Image	 image;		/* NULL: libharu could not read it */
};

/*
 * The pixels of a PNG image, or of its alpha mask, that libharu would
 * compress as it saves the PDF, on the main thread after the pages: taken
 * out of its stream and compressed beside the pages instead, at libharu's
 * level, into the same bytes.
 */
struct flated {
	HPDF_Dict	 dict;
	struct buf	 raw;
	struct packed	 packed;
};

struct writer {
	HPDF_Doc		 pdf;
	const struct pdf_info	*info;
	struct embedded		*fonts;
	size_t			 nfonts;
	HPDF_STATUS		 error;		/* the first libharu error */
	HPDF_STATUS		 detail;
	struct buf		*content;	/* the current page's content stream */
	long long		 tc;		/* its character spacing (Tc) now, in TC_UNIT */
	/*
	 * The pages' content streams, made in order by the main thread and
	 * compressed by it and the helper, each taking the next page made.
	 */
	struct buf		*raw;
	struct packed		*packed;
	size_t			 npages;
	atomic_size_t		 made;		/* pages whose raw content is complete */
	atomic_size_t		 next;		/* the next page to compress */
	atomic_size_t		 next_plan;	/* the next font to plan */
	atomic_size_t		 planned;	/* fonts planned (or failed) */
	double			*shifts;	/* draw_glyphs()'s, per glyph */
	size_t			 shifts_cap;
	struct picture		*pictures;
	size_t			 npictures;
	struct flated		*flated;
	size_t			 nflated;
	atomic_int		 flated_ready;	/* flated is complete */
	atomic_size_t		 next_flated;	/* the next one to compress */
	int			 failed;	/* an error was reported already */
};

static void
on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	struct writer *w = user;

	if (w->error == 0) {
		w->error = error;
		w->detail = detail;
	}
}

/* Appends a number the way PDF wants it: `places` decimals at most, no trailing zeros. */
static void
put_real(struct buf *b, double v, int places)
{
	static const long long scales[] = { 1, 10, 100, 1000, 10000, 100000 };
	char s[40], *p = s + sizeof(s);
	long long scaled = llround(fabs(v) * scales[places]);
	long long whole = scaled / scales[places], frac = scaled % scales[places];
	int digits = places;

	/* By hand: printf is a tenth of the PDF writer's time otherwise. */
	while (digits > 0 && frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	if (digits > 0) {
		while (digits-- > 0) {
			*--p = (char)('0' + frac % 10);
			frac /= 10;
		}
		*--p = '.';
	}
	do {
		*--p = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole > 0);
	if (v < 0 && scaled != 0)
		*--p = '-';
	buf_put(b, p, (size_t)(s + sizeof(s) - p));
}

static void
put_num(struct buf *b, double v)
{
	put_real(b, v, 3);
}

static void
put_hex4(struct buf *b, unsigned v)
{
	static const char hex[] = "0123456789ABCDEF";
	char s[4] = { hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15], hex[v & 15] };

	buf_put(b, s, 4);
}

static struct embedded *
embed(struct writer *w, struct font *font)
{
	const char *path = font_path(font);
	int index = font_face_index(font);
	struct embedded *e;
	size_t i;

	/* Bold asked of a family without one is its regular face again: one subset. */
	for (i = 0; i < w->nfonts; i++)
		if (w->fonts[i].index == index && strcmp(w->fonts[i].path, path) == 0)
			return &w->fonts[i];
	w->fonts = mem_realloc(w->fonts, (w->nfonts + 1) * sizeof(*w->fonts));
	e = &w->fonts[w->nfonts++];
	memset(e, 0, sizeof(*e));
	e->path = path;
	e->index = index;
	e->font = font;
	e->nglyphs = font_glyph_count(font);
	e->cp_of = mem_zalloc(e->nglyphs ? e->nglyphs : 1, sizeof(*e->cp_of));
	e->new_of = mem_zalloc(e->nglyphs ? e->nglyphs : 1, sizeof(*e->new_of));
	e->type0 = HPDF_Dict_New(w->pdf->mmgr);
	if (e->type0)
		HPDF_Xref_Add(w->pdf->xref, e->type0);
	return e;
}

/* The first pass: which glyphs each font shows, and the characters they stand for. */
static void
collect_glyphs(struct writer *w, const struct lay_box *b)
{
	struct embedded *e = embed(w, b->font);
	size_t k;

	for (k = 0; k < b->n; k++)
		if (b->gids[k] < e->nglyphs && e->cp_of[b->gids[k]] == 0)
			e->cp_of[b->gids[k]] = b->cps[k] ? b->cps[k] : 0xFFFD;
}

/* Sets the fill colour (and the stroke colour too when stroke) of what follows. */
static void
set_color(struct buf *c, uint32_t color, int stroke)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (i == 1 && !stroke)
			break;
		put_num(c, ((color >> 16) & 0xFF) / 255.0);
		buf_putc(c, ' ');
		put_num(c, ((color >> 8) & 0xFF) / 255.0);
		buf_putc(c, ' ');
		put_num(c, (color & 0xFF) / 255.0);
		buf_puts(c, i == 0 ? " rg\n" : " RG\n");
	}
}

/* Tc is written to 1/100000 pt: its rounding adds up over a line. */
#define TC_UNIT	1e-5

/*
 * The common shift of a run's glyphs, in TJ's units (1/1000 em, positive to the
 * left), when at least half of its gaps have it, else 0: a justified line
 * spreads its glyphs evenly, and Tc says that once instead of at every glyph.
 */
static double
common_shift(const double *shifts, size_t n)
{
	size_t tries[2] = { 1, n / 2 }, t, k, count, best = 0;
	double choice = 0;

	if (n < 3)
		return 0;
	for (t = 0; t < 2; t++) {
		long long want = llround(shifts[tries[t]] * 1000);
		for (count = 0, k = 1; k < n; k++)
			count += llround(shifts[k] * 1000) == want;
		if (count > best) {
			best = count;
			choice = shifts[tries[t]];
		}
	}
	return best * 2 >= n - 1 && fabs(choice) >= 0.05 ? choice : 0;
}

/*
 * Text: one BT/ET per box, glyph ids as hex.  Where the layout moved glyphs
 * from where their advances put them, the common move goes into the
 * character spacing (Tc, which lasts until changed) and the rest into TJ.
 */
static void
draw_glyphs(struct writer *w, HPDF_Page page, const struct lay_box *b, double height)
{
	struct embedded *e = embed(w, b->font);
	struct buf *c = w->content;
	const char *name;
	double scale = b->size / font_units_per_em(b->font), common, drift = 0;
	long long tc;
	size_t k;

	if (e->type0 == NULL)
		return;
	name = HPDF_Page_GetLocalFontName(page, (HPDF_Font)e->type0);
	if (name == NULL)
		return;
	w->shifts = mem_grow(w->shifts, &w->shifts_cap, b->n, sizeof(*w->shifts));
	for (k = 1; k < b->n; k++) {
		double expect = b->xs[k - 1] + font_advance(b->font, b->gids[k - 1]) * scale;
		w->shifts[k] = -(b->xs[k] - expect) * 1000 / b->size;
	}
	common = common_shift(w->shifts, b->n);
	/*
	 * An empty ActualText: readers show the glyphs, while text extraction
	 * (poppler, pdf.js, Acrobat) and copying leave them out of the text.
	 */
	if (b->not_text)
		buf_puts(c, "/Span <</ActualText <FEFF>>> BDC\n");
	if (b->color)
		set_color(c, b->color, b->fake_bold);
	buf_puts(c, "BT\n");
	if (b->fake_bold) {
		/* Synthetic bold: fill and stroke the outline, a stroke of 3% of the size. */
		buf_puts(c, "2 Tr ");
		put_num(c, b->size * 0.03);
		buf_puts(c, " w\n");
	}
	if ((tc = llround(-common * b->size / 1000 / TC_UNIT)) != w->tc) {
		put_real(c, (double)tc * TC_UNIT, 5);
		buf_puts(c, " Tc\n");
		w->tc = tc;
	}
	buf_printf(c, "/%s ", name);
	put_num(c, b->size);
	buf_puts(c, " Tf\n1 0 ");
	put_num(c, b->fake_italic ? 0.2126 : 0);	/* a 12-degree slant */
	buf_puts(c, " 1 ");
	put_num(c, b->xs[0]);
	buf_putc(c, ' ');
	put_num(c, height - b->y);
	buf_puts(c, " Tm\n[<");
	for (k = 0; k < b->n; k++) {
		uint32_t gid = b->gids[k];
		/*
		 * The rest, in TJ's units: the glyph's shift less what Tc moved
		 * (rounded to TC_UNIT), plus how far the glyphs before have
		 * drifted from their places, so that roundings do not add up.
		 */
		if (k > 0) {
			double rest = w->shifts[k] + (double)tc * TC_UNIT * 1000 / b->size + drift;
			double shown = 0;
			if (fabs(rest) >= 0.05) {
				shown = (double)llround(rest * 1000) / 1000;
				buf_puts(c, "> ");
				put_num(c, shown);
				buf_puts(c, " <");
			}
			drift = rest - shown;
		}
		put_hex4(c, gid < e->nglyphs ? (unsigned)e->new_of[gid] : 0u);
	}
	buf_puts(c, ">] TJ\n");
	if (b->fake_bold)
		buf_puts(c, "0 Tr\n");
	buf_puts(c, "ET\n");
	if (b->color)
		buf_puts(c, b->fake_bold ? "0 g 0 G\n" : "0 g\n");
	if (b->not_text)
		buf_puts(c, "EMC\n");
}

static void
draw_rule(struct writer *w, const struct lay_box *b, double height)
{
	struct buf *c = w->content;

	if (b->color)
		set_color(c, b->color, 0);
	put_num(c, b->x);
	buf_putc(c, ' ');
	put_num(c, height - b->y - b->h);
	buf_putc(c, ' ');
	put_num(c, b->w);
	buf_putc(c, ' ');
	put_num(c, b->h);
	buf_puts(c, " re f\n");
	if (b->color)
		buf_puts(c, "0 g\n");
}

/* Loads the image of box b unless it is loaded; reports a file libharu cannot read at its line. */
static HPDF_Image
load_image(struct writer *w, const struct lay_box *b)
{
	unsigned char head[8] = { 0 };
	struct picture *p;
	const char *base;
	FILE *f;
	size_t i;

	for (i = 0; i < w->npictures; i++)
		if (strcmp(w->pictures[i].path, b->path) == 0)
			return w->pictures[i].image;
	w->pictures = mem_realloc(w->pictures, (w->npictures + 1) * sizeof(*w->pictures));
	p = &w->pictures[w->npictures++];
	p->path = b->path;
	p->image = NULL;
	if ((f = fopen(b->path, "rb")) != NULL) {
		if (fread(head, 1, sizeof(head), f) != sizeof(head))
			head[0] = 0;
		fclose(f);
	}
	/* The layout read the file already and knows it is a PNG or a JPEG. */
	if (head[0] == 0x89)
		p->image = HPDF_LoadPngImageFromFile(w->pdf, b->path);
	else if (head[0] == 0xFF)
		p->image = HPDF_LoadJpegImageFromFile(w->pdf, b->path);
	if (p->image == NULL || w->error != 0) {
		base = strrchr(b->path, '/');
		msg_at(MSG_ERROR, b->file ? b->file : w->info->source, b->line, b->col,
		    "image '%s': the PDF writer cannot read it (libharu error 0x%04X)",
		    base ? base + 1 : b->path, (unsigned)w->error);
		p->image = NULL;
		w->error = 0;
		HPDF_ResetError(w->pdf);
		w->failed = 1;
	}
	return p->image;
}

/* Names the filter of an image's stream as libharu does: its pixels are compressed already. */
static HPDF_STATUS
write_flate_array(HPDF_Dict d, HPDF_Stream out)
{
	(void)d;
	return HPDF_Stream_WriteStr(out, "/Filter [ /FlateDecode ]\012");
}

/* Takes the pixels out of image dictionary d when libharu would compress them. */
static void
take_pixels(struct writer *w, HPDF_Dict d)
{
	struct flated *f;
	HPDF_UINT32 size;
	HPDF_UINT got;

	if (d == NULL || d->stream == NULL || d->filter != HPDF_STREAM_FILTER_FLATE_DECODE ||
	    d->write_fn != NULL || d->before_write_fn != NULL)
		return;
	size = HPDF_Stream_Size(d->stream);
	w->flated = mem_realloc(w->flated, (w->nflated + 1) * sizeof(*w->flated));
	f = &w->flated[w->nflated];
	memset(f, 0, sizeof(*f));
	buf_reserve(&f->raw, size);
	got = size;
	if (HPDF_Stream_Seek(d->stream, 0, HPDF_SEEK_SET) != HPDF_OK ||
	    HPDF_Stream_Read(d->stream, (HPDF_BYTE *)f->raw.data, &got) != HPDF_OK ||
	    got != size) {
		/* libharu keeps them and compresses them itself. */
		buf_free(&f->raw);
		HPDF_ResetError(w->pdf);
		w->error = 0;
		return;
	}
	f->raw.len = size;
	f->dict = d;
	w->nflated++;
}

/* Gives an image dictionary its pixels back, compressed. */
static void
put_pixels(struct writer *w, struct flated *f)
{
	HPDF_Stream fresh = HPDF_MemStream_New(w->pdf->mmgr, HPDF_STREAM_BUF_SIZ);

	if (fresh == NULL || !f->packed.deflated) {
		/* Out of memory: the pixels stay as they were, for libharu to compress. */
		if (fresh != NULL)
			HPDF_Stream_Free(fresh);
		buf_free(&f->packed.data);
		return;
	}
	HPDF_Stream_Free(f->dict->stream);
	f->dict->stream = fresh;
	f->dict->filter = HPDF_STREAM_FILTER_NONE;
	f->dict->write_fn = write_flate_array;
	HPDF_Stream_Write(fresh, (const HPDF_BYTE *)f->packed.data.data, (HPDF_UINT)f->packed.data.len);
	buf_free(&f->packed.data);
}

/* An image: its unit square scaled to the box (PDF counts y up from the page's foot). */
static void
draw_image(struct writer *w, HPDF_Page page, const struct lay_box *b, double height)
{
	struct buf *c = w->content;
	HPDF_Image image = load_image(w, b);
	const char *name;

	if (image == NULL || (name = HPDF_Page_GetXObjectName(page, image)) == NULL)
		return;
	buf_puts(c, "q ");
	put_num(c, b->w);
	buf_puts(c, " 0 0 ");
	put_num(c, b->h);
	buf_putc(c, ' ');
	put_num(c, b->x);
	buf_putc(c, ' ');
	put_num(c, height - b->y - b->h);
	buf_printf(c, " cm /%s Do Q\n", name);
}

/*
 * The UTF-16 code units a PDF text string keeps: libharu refuses a string over
 * 65,535 bytes (its error 0x1025), and a title that long is a mistake anyway.
 */
#define PDF_TEXT_UNITS	32000

/* The characters in s[0..len), a malformed byte counting as one. */
static size_t
count_chars(const char *s, size_t len)
{
	size_t i, n = 0, step;
	int32_t cp;

	for (i = 0; i < len; i += step, n++)
		if ((step = utf8_decode(s + i, len - i, &cp)) == 0)
			step = 1;
	return n;
}

/*
 * A PDF text string in UTF-16BE with its byte-order mark, for Chinese titles.
 * Text over PDF_TEXT_UNITS is cut at a character and ends with '…', with a
 * warning at line:col of the source naming what (such as "the title").
 */
static HPDF_Binary
text_string(struct writer *w, const char *utf8, const char *what, int line, int col)
{
	struct buf u = BUF_INIT;
	size_t i = 0, len = strlen(utf8), step, k, units, total = 0, kept = 0;
	uint16_t unit[2];
	int32_t cp;
	HPDF_Binary bin;

	buf_put(&u, "\xFE\xFF", 2);
	while (i < len) {
		if ((step = utf8_decode(utf8 + i, len - i, &cp)) == 0) {
			step = 1;
			cp = 0xFFFD;
		}
		units = utf16_encode(cp, unit);
		if (total + units >= PDF_TEXT_UNITS) {
			msg_at(MSG_WARNING, w->info->source, line, col, "%s is %zu characters "
			    "long: shortened to %zu, within the PDF's limit for a text string",
			    what, kept + count_chars(utf8 + i, len - i), kept);
			buf_put(&u, "\x20\x26", 2);	/* … */
			break;
		}
		i += step;
		kept++;
		for (total += units, k = 0; k < units; k++) {
			buf_putc(&u, (char)(unit[k] >> 8));
			buf_putc(&u, (char)(unit[k] & 0xFF));
		}
	}
	bin = HPDF_Binary_New(w->pdf->mmgr, (HPDF_BYTE *)u.data, (HPDF_UINT)u.len);
	buf_free(&u);
	return bin;
}

static void
utf16_hex(struct buf *out, uint32_t cp)
{
	uint16_t unit[2];
	size_t k, units = utf16_encode((int32_t)cp, unit);

	for (k = 0; k < units; k++)
		put_hex4(out, unit[k]);
}

/* Names the filter of a stream put_packed() filled: libharu would remove a /Filter entry. */
static HPDF_STATUS
write_flate_filter(HPDF_Dict d, HPDF_Stream out)
{
	(void)d;
	return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/*
 * Compresses raw into pk (on either thread), emptying raw.  galley compresses
 * streams itself: libharu knows only zlib's default level, which cost a third
 * of the PDF stage; DEFLATE_LEVEL is about three times as fast for a few per
 * cent more bytes.
 */
static void
pack_at(struct packed *pk, struct buf *raw, int level)
{
	pk->length = raw->len;
	if (zip_deflate(raw->data ? raw->data : "", raw->len, level, &pk->data) == 0) {
		pk->deflated = 1;
		buf_free(raw);
	} else {
		buf_free(&pk->data);
		pk->data = *raw;
		*raw = (struct buf)BUF_INIT;
	}
}

static void
pack(struct packed *pk, struct buf *raw)
{
	pack_at(pk, raw, DEFLATE_LEVEL);
}

/* Fills the stream of d with pk's data (libharu compresses it when galley could not). */
static void
put_packed(HPDF_Dict d, struct packed *pk)
{
	if (pk->deflated) {
		d->filter = HPDF_STREAM_FILTER_NONE;
		d->write_fn = write_flate_filter;
	} else
		d->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	HPDF_Stream_Write(d->stream, (const HPDF_BYTE *)(pk->data.data ? pk->data.data : ""),
	    (HPDF_UINT)pk->data.len);
	buf_free(&pk->data);
}

static HPDF_Dict
packed_stream(struct writer *w, struct packed *pk)
{
	HPDF_Dict d = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);

	if (d != NULL)
		put_packed(d, pk);
	return d;
}

/* The ToUnicode map: subset glyph news[i] shows character cps[i]. */
static void
unicode_map(const uint32_t *news, const uint32_t *cps, size_t count, struct buf *cmap)
{
	struct buf chunk = BUF_INIT;
	unsigned n = 0;
	size_t i;

	buf_puts(cmap, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
	    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
	    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	for (i = 0; i < count; i++) {
		buf_printf(&chunk, "<%04X> <", (unsigned)news[i]);
		utf16_hex(&chunk, cps[i]);
		buf_puts(&chunk, ">\n");
		if (++n == 100) {	/* at most 100 entries a block */
			buf_printf(cmap, "%u beginbfchar\n%sendbfchar\n", n, buf_str(&chunk));
			buf_reset(&chunk);
			n = 0;
		}
	}
	if (n > 0)
		buf_printf(cmap, "%u beginbfchar\n%sendbfchar\n", n, buf_str(&chunk));
	buf_puts(cmap, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
	buf_free(&chunk);
}

/*
 * Plans a font's subset once every page has said which glyphs it uses: the
 * pages need the glyphs' new ids.  On either thread, silent: a font that
 * cannot be subset is left without its plan, for the main thread to report.
 */
static void
plan_font(struct embedded *e)
{
	size_t room = e->nglyphs ? e->nglyphs : 1, k;
	unsigned gid;

	e->gids = mem_alloc(room * sizeof(*e->gids));
	e->news = mem_alloc(room * sizeof(*e->news));
	e->cps = mem_alloc(room * sizeof(*e->cps));
	for (gid = 1; gid < e->nglyphs; gid++)
		if (e->cp_of[gid]) {
			e->cps[e->n] = e->cp_of[gid];
			e->gids[e->n++] = gid;
		}
	if ((e->subset = font_subset_plan(e->font, e->gids, e->cps, e->n, e->news)) == NULL)
		return;
	for (k = 0; k < e->n; k++)
		e->new_of[e->gids[k]] = e->news[k];
}

/*
 * Plans the fonts not taken yet, each next one, until all are taken; then
 * waits until all are planned.  Both threads do it: a CFF font's plan costs
 * about 6 ms for 800 glyphs, where a TrueType one cost 2.
 */
static void
plan_fonts(struct writer *w)
{
	size_t i;

	while ((i = atomic_fetch_add(&w->next_plan, 1)) < w->nfonts) {
		plan_font(&w->fonts[i]);
		atomic_fetch_add(&w->planned, 1);
	}
	while (atomic_load(&w->planned) < w->nfonts)
		sched_yield();
}

/* The helper's share of the fonts: each subset's bytes and ToUnicode map, compressed. */
static void
pack_fonts(struct writer *w)
{
	struct buf data = BUF_INIT;
	size_t i;

	for (i = 0; i < w->nfonts; i++) {
		struct embedded *e = &w->fonts[i];
		if (e->subset == NULL || font_subset_bytes(e->subset, &data) == -1)
			e->file.failed = 1;
		else
			pack(&e->file, &data);
		buf_free(&data);
		unicode_map(e->news, e->cps, e->n, &data);
		pack(&e->cmap, &data);
	}
}

/*
 * Compresses the images' pixels, once they are taken out, and the pages made,
 * taking each next one not taken, until all are done.
 */
static void
pack_pages(struct writer *w)
{
	size_t i;

	if (atomic_load(&w->flated_ready))
		while ((i = atomic_fetch_add(&w->next_flated, 1)) < w->nflated)
			pack_at(&w->flated[i].packed, &w->flated[i].raw, IMAGE_LEVEL);
	while ((i = atomic_fetch_add(&w->next, 1)) < w->npages) {
		while (atomic_load(&w->made) <= i)
			sched_yield();
		pack(&w->packed[i], &w->raw[i]);
	}
}

static void *
helper_run(void *arg)
{
	plan_fonts(arg);
	pack_fonts(arg);
	pack_pages(arg);
	return NULL;
}

/* Fills a font's dictionaries from its packed subset and map. */
static int
finish_font(struct writer *w, struct embedded *e)
{
	HPDF_MMgr mm = w->pdf->mmgr;
	HPDF_Dict cid, desc, info, file, unicode;
	HPDF_Array widths = NULL, run = NULL, descendants, bbox;
	struct buf name = BUF_INIT;
	const uint32_t *gids = e->gids, *news = e->news;
	unsigned prev = 0, hash = 2166136261u;
	size_t n = e->n, k, length = e->file.length;
	int upem = font_units_per_em(e->font), asc, desc_, cff = font_is_cff(e->font);
	char tag[8];

	if (e->file.failed) {
		msg_at(MSG_ERROR, e->path, 0, 0, "cannot subset the font");
		return -1;
	}
	for (k = 0; k < n; k++)
		hash = (hash ^ gids[k]) * 16777619u;
	/* The subset tag: six capitals made from the glyph set, so equal input gives equal output. */
	for (k = 0; k < 6; k++, hash /= 26)
		tag[k] = (char)('A' + hash % 26);
	tag[6] = '\0';
	buf_printf(&name, "%s+", tag);
	font_ps_name(e->font, &name);
	font_extents(e->font, &asc, &desc_);

	file = packed_stream(w, &e->file);
	cid = HPDF_Dict_New(mm);
	desc = HPDF_Dict_New(mm);
	info = HPDF_Dict_New(mm);
	descendants = HPDF_Array_New(mm);
	bbox = HPDF_Array_New(mm);
	widths = HPDF_Array_New(mm);
	unicode = packed_stream(w, &e->cmap);
	if (!file || !cid || !desc || !info || !descendants || !bbox || !widths || !unicode) {
		buf_free(&name);
		return -1;
	}
	if (cff)
		HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C");
	else
		HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)length);
	HPDF_Xref_Add(w->pdf->xref, cid);
	HPDF_Xref_Add(w->pdf->xref, desc);

	HPDF_Dict_AddName(e->type0, "Type", "Font");
	HPDF_Dict_AddName(e->type0, "Subtype", "Type0");
	HPDF_Dict_AddName(e->type0, "BaseFont", buf_str(&name));
	HPDF_Dict_AddName(e->type0, "Encoding", "Identity-H");
	HPDF_Array_Add(descendants, cid);
	HPDF_Dict_Add(e->type0, "DescendantFonts", descendants);
	HPDF_Dict_Add(e->type0, "ToUnicode", unicode);

	HPDF_Dict_AddName(cid, "Type", "Font");
	/* A CFF font's CIDs are its subset's glyph ids (font_subset_bytes). */
	HPDF_Dict_AddName(cid, "Subtype", cff ? "CIDFontType0" : "CIDFontType2");
	HPDF_Dict_AddName(cid, "BaseFont", buf_str(&name));
	HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
	HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
	HPDF_Dict_AddNumber(info, "Supplement", 0);
	HPDF_Dict_Add(cid, "CIDSystemInfo", info);
	HPDF_Dict_Add(cid, "FontDescriptor", desc);
	if (!cff)
		HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");
	HPDF_Dict_AddNumber(cid, "DW", 1000);
	/* Widths of runs of consecutive subset ids: id [w w w] … (HarfBuzz keeps the order) */
	for (k = 0; k < n; k++) {
		if (run == NULL || news[k] != prev + 1) {
			HPDF_Array_AddNumber(widths, (HPDF_INT32)news[k]);
			run = HPDF_Array_New(mm);
			HPDF_Array_Add(widths, run);
		}
		HPDF_Array_AddNumber(run, (HPDF_INT32)lround(font_advance(e->font, gids[k]) *
		    1000.0 / upem));
		prev = news[k];
	}
	HPDF_Dict_Add(cid, "W", widths);

	HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	HPDF_Dict_AddName(desc, "FontName", buf_str(&name));
	HPDF_Dict_AddNumber(desc, "Flags", 4);	/* symbolic: glyphs outside the standard set */
	HPDF_Array_AddNumber(bbox, 0);
	HPDF_Array_AddNumber(bbox, (HPDF_INT32)lround(desc_ * 1000.0 / upem));
	HPDF_Array_AddNumber(bbox, 1000);
	HPDF_Array_AddNumber(bbox, (HPDF_INT32)lround(asc * 1000.0 / upem));
	HPDF_Dict_Add(desc, "FontBBox", bbox);
	HPDF_Dict_AddNumber(desc, "ItalicAngle", 0);
	HPDF_Dict_AddNumber(desc, "Ascent", (HPDF_INT32)lround(asc * 1000.0 / upem));
	HPDF_Dict_AddNumber(desc, "Descent", (HPDF_INT32)lround(desc_ * 1000.0 / upem));
	HPDF_Dict_AddNumber(desc, "CapHeight", (HPDF_INT32)lround(asc * 1000.0 / upem));
	HPDF_Dict_AddNumber(desc, "StemV", 80);
	HPDF_Dict_Add(desc, cff ? "FontFile3" : "FontFile2", file);
	buf_free(&name);
	return 0;
}

struct anchor {
	const char	*id;
	int		 page;
	double		 y;
};

static int
anchor_cmp(const void *a, const void *b)
{
	return strcmp(((const struct anchor *)a)->id, ((const struct anchor *)b)->id);
}

/* [page /XYZ null top null]: to that height, keeping the reader's zoom (libharu wants one). */
static HPDF_Destination
destination(HPDF_Doc pdf, HPDF_Page *pages, int page, double y, double height)
{
	HPDF_Destination d = HPDF_Page_CreateDestination(pages[page - 1]);

	if (d == NULL)
		return NULL;
	HPDF_Array_Clear(d);
	HPDF_Array_Add(d, pages[page - 1]);
	HPDF_Array_AddName(d, "XYZ");
	HPDF_Array_Add(d, HPDF_Null_New(pdf->mmgr));
	HPDF_Array_AddReal(d, (HPDF_REAL)(height - y));
	HPDF_Array_Add(d, HPDF_Null_New(pdf->mmgr));
	return d;
}

/* A heading's outline entry, its first characters named should it be shortened. */
static HPDF_Binary
outline_title(struct writer *w, const char *title)
{
	struct buf what = BUF_INIT;
	size_t i = 0, n, step, len = strlen(title);
	int32_t cp;
	HPDF_Binary bin;

	for (n = 0; n < 12 && i < len; n++, i += step)
		if ((step = utf8_decode(title + i, len - i, &cp)) == 0)
			step = 1;
	buf_puts(&what, "the heading '");
	buf_put(&what, title, i);
	buf_puts(&what, i < len ? "…' in the outline" : "' in the outline");
	bin = text_string(w, title, buf_str(&what), 0, 0);
	buf_free(&what);
	return bin;
}

/* Bookmarks nested by heading level; a level skipped hangs under the nearest above. */
static void
add_outline(struct writer *w, const struct lay_doc *ld, HPDF_Page *pages)
{
	HPDF_Outline parents[7] = { NULL };
	size_t i;
	int level, up;

	for (i = 0; i < ld->n; i++) {
		const struct lay_box *b = &ld->boxes[i];
		HPDF_Outline o;
		if (b->kind != BOX_ANCHOR || b->level < 1 || b->level > 6)
			continue;
		level = b->level;
		for (up = level - 1; up > 0 && parents[up] == NULL; up--)
			;
		o = HPDF_CreateOutline(w->pdf, parents[up], "", NULL);
		if (o == NULL)
			return;
		HPDF_Dict_Add(o, "Title", outline_title(w, b->title ? b->title : ""));
		HPDF_Outline_SetDestination(o, destination(w->pdf, pages, b->page, b->y, ld->height));
		HPDF_Outline_SetOpened(o, level == 1 ? HPDF_TRUE : HPDF_FALSE);
		parents[level] = o;
		for (up = level + 1; up <= 6; up++)
			parents[up] = NULL;
	}
}

/*
 * Keeps the first error libharu records: some (a number out of range) it
 * only records, and its next call then reports a broken document instead.
 */
static void
keep_first_error(struct writer *w)
{
	if (w->error == 0 && HPDF_GetError(w->pdf) != HPDF_OK) {
		w->error = HPDF_GetError(w->pdf);
		w->detail = HPDF_GetErrorDetail(w->pdf);
	}
}

/* What a libharu error means, in words, where it is one bad input can cause. */
static const char *
haru_meaning(HPDF_STATUS error)
{
	switch (error) {
	case HPDF_REAL_OUT_OF_RANGE:
	case HPDF_PAGE_OUT_OF_RANGE:
		return ": a box, link or page lies outside the range a PDF can hold";
	case HPDF_INVALID_DOCUMENT:
		return ": an earlier error left the document unusable";
	case HPDF_INVALID_URI:
		return ": a link's address is not one a PDF can hold";
	case HPDF_FAILD_TO_ALLOC_MEM:
		return ": out of memory";
	default:
		return "";
	}
}

/*
 * Cuts a link's rectangle to its page, so that no coordinate past what a PDF
 * holds reaches libharu (a line set past the measure once made one 37,000 pt
 * wide); returns 0 for a link wholly off the page, which is left out.
 */
static int
link_on_page(const struct lay_doc *ld, HPDF_Rect *r)
{
	if (!(r->left < ld->width && r->right > 0 && r->bottom < ld->height && r->top > 0))
		return 0;
	r->left = r->left < 0 ? 0 : r->left;
	r->right = r->right > ld->width ? (HPDF_REAL)ld->width : r->right;
	r->bottom = r->bottom < 0 ? 0 : r->bottom;
	r->top = r->top > ld->height ? (HPDF_REAL)ld->height : r->top;
	return 1;
}

static void
add_links(struct writer *w, const struct lay_doc *ld, HPDF_Page *pages)
{
	HPDF_Doc pdf = w->pdf;
	struct anchor *anchors = NULL;
	size_t n = 0, cap = 0, i, cut = 0;

	for (i = 0; i < ld->n; i++)
		if (ld->boxes[i].kind == BOX_ANCHOR && ld->boxes[i].id) {
			anchors = mem_grow(anchors, &cap, n + 1, sizeof(*anchors));
			anchors[n++] = (struct anchor){ ld->boxes[i].id, ld->boxes[i].page,
			    ld->boxes[i].y };
		}
	if (n > 0)
		qsort(anchors, n, sizeof(*anchors), anchor_cmp);
	for (i = 0; i < ld->n; i++) {
		const struct lay_box *b = &ld->boxes[i];
		HPDF_Rect r;
		HPDF_Annotation a = NULL;
		if (b->kind != BOX_LINK || b->href == NULL || *b->href == '\0')
			continue;
		r.left = (HPDF_REAL)b->x;
		r.right = (HPDF_REAL)(b->x + b->w);
		r.top = (HPDF_REAL)(ld->height - b->y);
		r.bottom = (HPDF_REAL)(ld->height - b->y - b->h);
		if (!(r.left >= 0 && r.right <= ld->width && r.bottom >= 0 &&
		    r.top <= ld->height) && cut++ == 0)
			msg_at(MSG_WARNING, w->info->source, 0, 0,
			    "a link to '%s' on page %d reaches past the page; it is cut to the page",
			    b->href, b->page);
		if (!link_on_page(ld, &r))
			continue;
		if (b->href[0] == '#') {
			struct anchor key = { b->href + 1, 0, 0 };
			const struct anchor *t = n ? bsearch(&key, anchors, n, sizeof(*anchors),
			    anchor_cmp) : NULL;
			if (t)
				a = HPDF_Page_CreateLinkAnnot(pages[b->page - 1], r,
				    destination(pdf, pages, t->page, t->y, ld->height));
		} else
			a = HPDF_Page_CreateURILinkAnnot(pages[b->page - 1], r, b->href);
		if (a)
			HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
		keep_first_error(w);
	}
	if (cut > 1)
		msg_at(MSG_WARNING, w->info->source, 0, 0,
		    "%zu links in all reach past their page", cut);
	free(anchors);
}

/* The cover's page label: its text alone (/P), no number; libharu's labels always number. */
static void
add_cover_label(struct writer *w, const struct lay_doc *ld)
{
	HPDF_Dict d = HPDF_Dict_New(w->pdf->mmgr);

	if (d == NULL)
		return;
	if (ld->cover_label && *ld->cover_label)
		HPDF_Dict_Add(d, "P", text_string(w, ld->cover_label, "the cover's page label",
		    0, 0));
	HPDF_Catalog_AddPageLabel(w->pdf->catalog, 0, d);
}

/* Title, author, subject and keywords, from the metadata; lists joined. */
static void
add_info(struct writer *w)
{
	static const struct {
		const char	*key, *name, *what;
	} keys[] = {
		{ "title", "Title", "the title in the document information" },
		{ "author", "Author", "the author in the document information" },
		{ "subject", "Subject", "the subject in the document information" },
		{ "description", "Subject", "the description in the document information" },
		{ "keywords", "Keywords", "the keywords in the document information" },
	};
	const struct meta *meta = w->info->meta, *m, *c;
	struct buf text = BUF_INIT;
	size_t i;

	HPDF_SetInfoAttr(w->pdf, HPDF_INFO_CREATOR, "galley");
	for (i = 0; meta && i < sizeof(keys) / sizeof(keys[0]); i++) {
		if ((m = meta_get(meta, keys[i].key)) == NULL)
			continue;
		if (strcmp(keys[i].key, "description") == 0 && meta_get(meta, "subject"))
			continue;
		buf_reset(&text);
		if (m->type == META_LIST) {
			for (c = m->first; c; c = c->next)
				if (c->type == META_STRING)
					buf_printf(&text, "%s%s", text.len == 0 ? "" :
					    strcmp(keys[i].key, "author") == 0 ? "、" : ", ", c->str);
		} else if (m->type == META_STRING)
			buf_puts(&text, m->str);
		if (text.len > 0 && w->pdf->info)
			HPDF_Dict_Add(w->pdf->info, keys[i].name, text_string(w, buf_str(&text),
			    keys[i].what, m->line, m->col));
	}
	if (w->info->epoch >= 0) {
		time_t t = (time_t)w->info->epoch;
		struct tm tm;
		HPDF_Date d;
		gmtime_r(&t, &tm);
		memset(&d, 0, sizeof(d));
		d.year = tm.tm_year + 1900;
		d.month = tm.tm_mon + 1;
		d.day = tm.tm_mday;
		d.hour = tm.tm_hour;
		d.minutes = tm.tm_min;
		d.seconds = tm.tm_sec;
		d.ind = 'Z';
		HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, d);
		HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, d);
	}
	buf_free(&text);
}

int
pdf_write(const struct lay_doc *ld, const struct pdf_info *info, struct buf *out)
{
	struct writer w;
	HPDF_Page *pages;
	HPDF_UINT32 size, got;
	pthread_t helper;
	size_t i;
	int p, rc = 0, helping = 0;

	memset(&w, 0, sizeof(w));
	w.info = info;
	w.pdf = HPDF_New(on_error, &w);
	if (w.pdf == NULL) {
		msg_at(MSG_ERROR, info->source, 0, 0, "cannot start the PDF: out of memory");
		return -1;
	}
	HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
	HPDF_SetPageMode(w.pdf, HPDF_PAGE_MODE_USE_OUTLINE);
	w.npages = (size_t)(ld->pages > 0 ? ld->pages : 0);
	pages = mem_zalloc(w.npages ? w.npages : 1, sizeof(*pages));
	w.raw = mem_zalloc(w.npages ? w.npages : 1, sizeof(*w.raw));
	w.packed = mem_zalloc(w.npages ? w.npages : 1, sizeof(*w.packed));
	atomic_init(&w.made, 0);
	atomic_init(&w.next, 0);
	atomic_init(&w.flated_ready, 0);
	atomic_init(&w.next_flated, 0);
	for (i = 0; i < ld->n; i++)
		if (ld->boxes[i].kind == BOX_GLYPHS && ld->boxes[i].n > 0)
			collect_glyphs(&w, &ld->boxes[i]);
	atomic_init(&w.next_plan, 0);
	atomic_init(&w.planned, 0);
	/*
	 * From here two threads: both plan the fonts' subsets, then a helper
	 * makes their bytes while this one writes the pages' contents; then both
	 * compress the contents.
	 */
	helping = pthread_create(&helper, NULL, helper_run, &w) == 0;
	plan_fonts(&w);
	for (i = 0; i < w.nfonts; i++)
		if (w.fonts[i].subset == NULL) {
			msg_at(MSG_ERROR, w.fonts[i].path, 0, 0, "cannot subset the font");
			rc = -1;
		}
	/* Every image is loaded before the pages, so each bad one is reported. */
	for (i = 0; i < ld->n && w.error == 0 && rc == 0; i++)
		if (ld->boxes[i].kind == BOX_IMAGE)
			load_image(&w, &ld->boxes[i]);
	if (w.failed)
		rc = -1;
	for (i = 0; i < w.npictures && w.error == 0 && rc == 0; i++)
		if (w.pictures[i].image != NULL) {
			take_pixels(&w, w.pictures[i].image);
			take_pixels(&w, HPDF_Dict_GetItem(w.pictures[i].image, "SMask",
			    HPDF_OCLASS_DICT));
			/* A PNG without a mask: not an error (libharu notes one). */
			if (w.error != 0) {
				HPDF_ResetError(w.pdf);
				w.error = 0;
			}
		}
	atomic_store(&w.flated_ready, 1);
	if (!helping && rc == 0 && w.error == 0)
		pack_fonts(&w);
	for (p = 1, i = 0; p <= ld->pages && w.error == 0 && rc == 0; p++) {
		HPDF_Page page = HPDF_AddPage(w.pdf);
		if (page == NULL)
			break;
		pages[p - 1] = page;
		HPDF_Page_SetWidth(page, (HPDF_REAL)ld->width);
		HPDF_Page_SetHeight(page, (HPDF_REAL)ld->height);
		w.content = &w.raw[p - 1];
		w.tc = 0;	/* each page's content starts from the default text state */
		for (; i < ld->n && ld->boxes[i].page == p; i++) {
			if (ld->boxes[i].kind == BOX_GLYPHS && ld->boxes[i].n > 0)
				draw_glyphs(&w, page, &ld->boxes[i], ld->height);
			else if (ld->boxes[i].kind == BOX_RULE)
				draw_rule(&w, &ld->boxes[i], ld->height);
			else if (ld->boxes[i].kind == BOX_IMAGE)
				draw_image(&w, page, &ld->boxes[i], ld->height);
		}
		atomic_store(&w.made, (size_t)p);
	}
	atomic_store(&w.made, w.npages);	/* pages left out, after an error, are empty */
	pack_pages(&w);
	if (helping)
		pthread_join(helper, NULL);
	for (i = 0; i < w.nfonts && w.error == 0 && rc == 0; i++)
		rc = finish_font(&w, &w.fonts[i]);
	for (i = 0; i < w.npages && pages[i] != NULL && w.error == 0 && rc == 0; i++)
		put_packed(((HPDF_PageAttr)pages[i]->attr)->contents, &w.packed[i]);
	for (i = 0; i < w.nflated && w.error == 0 && rc == 0; i++)
		put_pixels(&w, &w.flated[i]);
	if (rc == 0 && w.error == 0) {
		add_links(&w, ld, pages);
		add_outline(&w, ld, pages);
		if (ld->cover_pages > 0)
			add_cover_label(&w, ld);
		if (ld->front_pages > 0)
			HPDF_AddPageLabel(w.pdf, (HPDF_UINT)ld->cover_pages, ld->front_style == 2 ?
			    HPDF_PAGE_NUM_STYLE_UPPER_ROMAN : HPDF_PAGE_NUM_STYLE_LOWER_ROMAN, 1, NULL);
		if (ld->cover_pages > 0 || ld->front_pages > 0)
			HPDF_AddPageLabel(w.pdf, (HPDF_UINT)(ld->cover_pages + ld->front_pages),
			    HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL);
		add_info(&w);
	}
	if (rc == 0 && w.error == 0 && HPDF_SaveToStream(w.pdf) == HPDF_OK) {
		HPDF_BYTE *bytes;
		size = HPDF_GetStreamSize(w.pdf);
		bytes = mem_alloc(size ? size : 1);
		got = size;
		HPDF_ReadFromStream(w.pdf, bytes, &got);
		if (got != size)
			rc = -1;
		else
			buf_put(out, (const char *)bytes, got);
		free(bytes);
	}
	keep_first_error(&w);
	if (w.error != 0 || rc != 0) {
		if (w.error != 0)
			msg_at(MSG_ERROR, info->source, 0, 0,
			    "cannot write the PDF: libharu error 0x%04X (detail %u)%s",
			    (unsigned)w.error, (unsigned)w.detail, haru_meaning(w.error));
		rc = -1;
	}
	for (i = 0; i < w.nfonts; i++) {
		struct embedded *e = &w.fonts[i];
		free(e->cp_of);
		free(e->new_of);
		free(e->gids);
		free(e->news);
		free(e->cps);
		font_subset_free(e->subset);
		buf_free(&e->file.data);
		buf_free(&e->cmap.data);
	}
	for (i = 0; i < w.npages; i++) {
		buf_free(&w.raw[i]);
		buf_free(&w.packed[i].data);
	}
	for (i = 0; i < w.nflated; i++) {
		buf_free(&w.flated[i].raw);
		buf_free(&w.flated[i].packed.data);
	}
	free(w.flated);
	free(w.fonts);
	free(w.pictures);
	free(pages);
	free(w.raw);
	free(w.packed);
	free(w.shifts);
	HPDF_Free(w.pdf);
	return rc;
}
