/* Figures on the page: the image scaled into the measure, its caption centred below, kept together. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "img.h"
#include "lay_int.h"
#include "mem.h"
#include "msg.h"
#include "schema.h"

/* The figure's image when its body is the usual one, a paragraph holding just an image. */
static const struct doc_node *
lone_image(const struct doc_node *body)
{
	const struct doc_node *c, *image = NULL;

	if (body == NULL || body->next != NULL || body->type != DOC_PARA)
		return NULL;
	for (c = body->first; c != NULL; c = c->next) {
		if (c->type == DOC_IMAGE && image == NULL)
			image = c;
		else if (c->type != DOC_SOFTBREAK)
			return NULL;
	}
	return image;
}

/* Sets "图1　title" as lines in the heading font at the body size; *para is then the caller's. */
static int
set_caption(struct layout *lo, const struct doc_node *n, const struct doc_node *caption,
    double measure, int line, struct lay_para *para)
{
	const struct lay_page_style *ps = lo->ps;
	const char *number = doc_attr_get(&n->attr, "number");
	struct lay_para_style st = { measure, 0, (enum lay_punct)ps->punct, 0, lo->file,
	    lo->fallback, lo->nfallback, lo->text, 0 };
	struct look f = { NULL, NULL, 0, NULL, 0 };
	struct buf label = BUF_INIT;

	memset(para, 0, sizeof(*para));
	f.cjk = lay_get_font(lo, ps->cjk_sans, 0, 0);
	f.latin = lay_get_font(lo, ps->latin_sans, 0, 0);
	if (f.cjk == NULL || f.latin == NULL)
		return -1;
	if (number != NULL)
		buf_printf(&label, "%s%s", number, caption && caption->first ? "\u3000" : "");
	if (label.len > 0)
		lay_add_run(lo, buf_str(&label), label.len, f, ps->size, line);
	if (caption != NULL)
		lay_collect_runs(lo, caption, f, ps->size, line);
	if (lo->nruns > 0)
		lay_para_set(lo->runs, lo->nruns, &st, para);
	lo->nruns = 0;
	buf_free(&label);
	return 0;
}

/* A figure's image as checked: a file that several figures show is read once. */
struct lay_image {
	const struct doc_node	*node;		/* the DOC_IMAGE */
	char			*path;		/* its real path, owned; NULL: unusable */
	struct img_info		 info;
};

void
lay_images_free(struct layout *lo)
{
	for (size_t i = 0; i < lo->nimages; i++)
		free(lo->images[i].path);
	free(lo->images);
}

/*
 * The image file of a figure, checked and reported: its real path (the
 * caller's copy), or NULL when it cannot be used.
 */
static char *
find_image(struct layout *lo, const struct doc_node *image, int line, int col,
    struct img_info *info)
{
	struct buf why = BUF_INIT;
	struct lay_image *e;
	size_t i;

	for (i = 0; i < lo->nimages; i++)
		if (lo->images[i].node == image) {
			*info = lo->images[i].info;
			return lo->images[i].path ? mem_strdup(lo->images[i].path) : NULL;
		}
	lo->images = mem_realloc(lo->images, (lo->nimages + 1) * sizeof(*lo->images));
	e = &lo->images[lo->nimages++];
	memset(e, 0, sizeof(*e));
	e->node = image;
	e->path = img_resolve(lo->doc->source, image->url ? image->url : "",
	    (lo->flags & LAY_TRUST_PATHS) != 0, &why, NULL);
	/* A file shown by several figures is read once. */
	for (i = 0; e->path && i + 1 < lo->nimages; i++)
		if (lo->images[i].path && strcmp(lo->images[i].path, e->path) == 0)
			break;
	if (e->path && i + 1 < lo->nimages)
		e->info = lo->images[i].info;
	else if (e->path != NULL && img_probe(e->path, &e->info, &why) == -1) {
		free(e->path);
		e->path = NULL;
	}
	if (e->path == NULL)
		msg_at(MSG_ERROR, lo->file, line, col, "image '%s': %s",
		    image->url ? image->url : "", buf_str(&why));
	buf_free(&why);
	*info = e->info;
	return e->path ? mem_strdup(e->path) : NULL;
}

/*
 * A length of pandoc's {width=…} or {height=…}: "50%" of the measure, a bare
 * number or "px" in CSS pixels (0.75 pt), else as page.yaml's lengths; -1
 * when it is none of these.
 */
static double
image_length(const char *s, double measure)
{
	char *end;
	double v;

	if (s == NULL)
		return -1;
	v = strtod(s, &end);
	if (end == s || v <= 0 || !isfinite(v))
		return -1;
	if (strcmp(end, "%") == 0)
		return measure * v / 100;
	if (*end == '\0' || strcmp(end, "px") == 0)
		return v * 0.75;
	return schema_length(s) > 0 ? schema_length(s) : -1;
}

/* Sets *w and *h to the image's own {width} and {height}, keeping its shape when one is given. */
static void
image_size(const struct doc_node *image, double measure, double *w, double *h)
{
	double width = image_length(doc_attr_get(&image->attr, "width"), measure);
	double height = image_length(doc_attr_get(&image->attr, "height"), measure);

	if (width > 0 && height > 0) {
		*w = width;
		*h = height;
	} else if (width > 0) {
		*h *= width / *w;
		*w = width;
	} else if (height > 0) {
		*w *= height / *h;
		*h = height;
	}
}

void
lay_set_figure(struct layout *lo, const struct doc_node *n, const struct lay_region *r)
{
	const struct lay_page_style *ps = lo->ps;
	double x0 = r->x0, measure = r->measure;
	struct lay_region in = *r;
	const struct doc_node *caption = n->first && n->first->type == DOC_CAPTION ? n->first : NULL;
	const struct doc_node *rest = caption ? caption->next : n->first;
	const struct doc_node *image = lone_image(rest);
	double pitch = ps->size * ps->leading, dpi = ps->image_dpi >= 1 ? ps->image_dpi : 1;
	double gap = ps->size * 0.5;
	double below = ps->grid_chars > 0 ? 0 : pitch * 0.5;
	double w, h, scale, room, caption_h;
	int line = n->line ? n->line : image ? image->line : 0;
	int col = n->line ? n->col : image ? image->col : 0;
	struct lay_para para;
	struct img_info info;
	struct lay_frag frag;
	char *path = NULL;
	size_t open = lo->flow.n;
	double area = ps->height - ps->bottom - ps->top;

	if (image != NULL && (path = find_image(lo, image, line, col, &info)) == NULL)
		return;	/* the build fails; what follows is still set for its messages */
	if (set_caption(lo, n, caption, measure, line, &para) == -1) {
		free(path);
		return;
	}
	caption_h = (double)para.nlines * pitch;
	/* The caption's lines, centred under the image or the blocks. */
	memset(&frag, 0, sizeof(frag));
	frag.para = para;
	frag.x0 = x0;
	frag.measure = measure;
	frag.size = ps->size;
	frag.pitch = pitch;
	frag.after = below;
	frag.flags = LAY_CENTRE | LAY_UNNUMBERED;
	if (image == NULL) {
		if (n->attr.id != NULL)
			lay_flow_add(lo, ITEM_OPEN);
		lay_flow_settle(lo, 2 * pitch);
		/* A figure of another shape (made by a filter): its blocks, then the caption. */
		in.depth = 1;
		in.flags |= LAY_UNNUMBERED;	/* figures get no line numbers, as in lineno */
		lay_set_blocks(lo, rest, &in);
	} else {
		/* Never larger than the style's resolution allows; never wider than the measure
		   nor taller than a page leaves beside the caption. */
		room = area - caption_h - gap - below;
		if (room < area / 4)
			room = area / 4;
		w = info.width * 72.0 / dpi;
		h = info.height * 72.0 / dpi;
		image_size(image, measure, &w, &h);
		scale = fmin(1, fmin(measure / w, room / h));
		w *= scale;
		h *= scale;
		/*
		 * One fragment, the image over its caption lines, which the flow
		 * places whole: a heading before it goes with it, and they move to
		 * the next page together when they must.
		 */
		frag.before = pitch * 0.5;
		frag.flags |= LAY_SNAP;
		frag.anchored = n->attr.id != NULL;
		frag.id = n->attr.id;
		frag.above = ps->size;
		frag.head.kind = BOX_IMAGE;
		frag.head.x = x0 + (measure - w) / 2;
		frag.head.w = w;
		frag.head.h = h;
		frag.head.path = path;
		frag.head.file = lo->file;
		frag.head.line = line;
		frag.head.col = col;
		frag.head_room = h + gap;
		lay_flow_frag(lo, ITEM_TOGETHER, &frag, 0);
		return;
	}
	/* The caption under the blocks, its lines where they fit. */
	lay_flow_frag(lo, ITEM_LINES, &frag, 0);
	lay_flow_add(lo, ITEM_SNAP)->length = pitch;
	if (n->attr.id != NULL) {
		struct lay_item *it = lay_flow_add(lo, ITEM_ANCHOR);
		it->count = lo->flow.n - 1 - open;
		it->f.id = n->attr.id;
		it->f.above = ps->size;
	}
	free(path);
}
