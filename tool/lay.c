/* Page layout: the document model set into pages of positioned boxes, independent of any device,
 * in as many passes as its page references need; and the layout dump.  Blocks are set by
 * lay_blocks.c and placed by lay_flow.c; the page style is lay_style.c's, furniture lay_furniture.c's. */
#include "lay.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "mem.h"
#include "msg.h"
#include "utf8.h"

/*
 * Orders the boxes by page, keeping their order within a page: a counting
 * sort into a permutation, applied in place by swaps that each put a box
 * where it goes, so that only an index per box is held besides the boxes (a
 * box is twenty times larger).
 */
static void
sort_by_page(struct lay_doc *out)
{
	size_t *start = mem_zalloc((size_t)out->pages + 2, sizeof(*start));
	size_t *dest = mem_alloc((out->n ? out->n : 1) * sizeof(*dest));
	struct lay_box swapped;
	size_t i, j;
	int p;

	for (i = 0; i < out->n; i++)
		start[out->boxes[i].page + 1]++;
	for (p = 1; p <= out->pages + 1; p++)
		start[p] += start[p - 1];
	for (i = 0; i < out->n; i++)
		dest[i] = start[out->boxes[i].page]++;
	for (i = 0; i < out->n; i++)
		while (dest[i] != i) {
			j = dest[i];
			swapped = out->boxes[j];
			out->boxes[j] = out->boxes[i];
			out->boxes[i] = swapped;
			dest[i] = dest[j];
			dest[j] = j;
		}
	free(dest);
	free(start);
}

/*
 * Sets doc into out once, with the page labels refs gives page references
 * (NULL: placeholders).  lo keeps the page references set, for the caller
 * to check and free.
 */
/*
 * The items of the document's blocks, kept from one pass for the next
 * (lay_document()).  A document with a page reference in running text is set
 * at least twice; the next pass sets again only the blocks that show a page
 * reference or a footnote mark (whose note is the pass's own), or that said
 * something when set, so that the last pass says it again.  Nothing more is
 * kept once KEPT_MAX bytes of glyphs are, so that a long document's memory
 * stays bounded (kept memory is not free: the pages of a long document set
 * once came out a third slower with everything kept).
 */
#define KEPT_MAX	(24u << 20)

struct lay_block {
	const struct doc_node	*first, *last;	/* the document's blocks it is */
	size_t			 from, to;	/* its items */
	int			 again;		/* set it again in the next pass */
};

struct lay_kept {
	int			 keep;		/* the document keeps its items */
	struct lay_flow		 flow;
	struct lay_block	*blocks;
	size_t			 nblocks, bcap;
};

/* Whether block n shows something a pass owns: a page reference, a note's mark. */
static int
pass_bound(const struct doc_node *block)
{
	const struct doc_node *n = block;

	for (;;) {
		if (n->type == DOC_NOTEREF ||
		    (n->type == DOC_SPAN && doc_attr_has_class(&n->attr, "page-ref")))
			return 1;
		if (n->first != NULL) {
			n = n->first;
			continue;
		}
		while (n != block && n->next == NULL)
			n = n->parent;
		if (n == block)
			return 0;
		n = n->next;
	}
}

/* The glyph bytes items [from, to) hold. */
static size_t
items_bytes(const struct lay_flow *fl, size_t from, size_t to)
{
	size_t bytes = 0;

	for (size_t i = from; i < to; i++)
		for (size_t k = 0; k < fl->v[i].f.para.nlines; k++)
			bytes += fl->v[i].f.para.lines[k].n * sizeof(struct lay_glyph);
	return bytes;
}

/*
 * The body's last text, items [from, to) of its last block, keeps room for the
 * closing below it: the closing takes its last two lines along to a new page
 * rather than stand there alone (a paragraph of three lines or fewer goes
 * whole, waiting with what it is kept with, as a heading is, for the closing).
 */
static void
keep_with_closing(struct layout *lo, size_t from, size_t to, double tail)
{
	if (tail <= 0)
		return;
	/* Past what places nothing (an anchor); a table or a figure last keeps no room. */
	while (to > from && (lo->flow.v[to - 1].kind == ITEM_ANCHOR ||
	    lo->flow.v[to - 1].kind == ITEM_OPEN || lo->flow.v[to - 1].kind == ITEM_SETTLE ||
	    lo->flow.v[to - 1].kind == ITEM_SNAP))
		to--;
	if (to == from || lo->flow.v[to - 1].kind != ITEM_FRAG)
		return;
	if (lo->flow.v[to - 1].f.para.nlines >= 4)
		lo->flow.v[to - 1].f.tail = tail;
	else
		lo->flow.v[to - 1].keep = 1;
}

/*
 * Sets the document's blocks into the flow list and places them, each in
 * turn.  The items of the blocks kept from the pass before are placed as they
 * are; the rest are set.  Items not kept are freed as they are placed, but
 * for the fragments still waiting for what follows them.
 */
static void
set_body(struct layout *lo, const struct lay_region *page, struct lay_kept *kept, double closing)
{
	struct lay_kept next = { kept->keep, { NULL, 0, 0 }, NULL, 0, 0 };
	size_t b = 0, bytes = 0, held = 0;	/* items [0, held) are kept */
	int keeping = kept->keep;

	for (const struct doc_node *n = lo->doc->root->first; n != NULL && !lo->failed;
	    n = n->next, b++) {
		struct lay_block blk = { n, n, lo->flow.n, 0, 0 };
		const struct lay_block *old = b < kept->nblocks && kept->blocks[b].first == n &&
		    !kept->blocks[b].again ? &kept->blocks[b] : NULL;
		if (old != NULL) {
			/* Moved over whole, labels and all. */
			lo->flow.v = mem_grow(lo->flow.v, &lo->flow.cap, lo->flow.n + old->to - old->from,
			    sizeof(*lo->flow.v));
			memcpy(&lo->flow.v[lo->flow.n], &kept->flow.v[old->from],
			    (old->to - old->from) * sizeof(*lo->flow.v));
			memset(&kept->flow.v[old->from], 0, (old->to - old->from) * sizeof(*lo->flow.v));
			lo->flow.n += old->to - old->from;
			n = blk.last = old->last;
		} else {
			size_t said = msg_held();
			n = blk.last = lay_set_block(lo, n, page);
			blk.again = msg_held() != said || pass_bound(blk.first) ||
			    (blk.last != blk.first && pass_bound(blk.last));
		}
		blk.to = lo->flow.n;
		if (n->next == NULL)
			keep_with_closing(lo, blk.from, blk.to, closing);
		lay_place_items(lo, blk.from, blk.to);
		if (keeping) {
			bytes += items_bytes(&lo->flow, blk.from, blk.to);
			next.blocks = mem_grow(next.blocks, &next.bcap, next.nblocks + 1,
			    sizeof(*next.blocks));
			next.blocks[next.nblocks++] = blk;
			held = lo->flow.n;
			keeping = bytes <= KEPT_MAX;
		} else {
			lay_place_own_pending(lo, held);
			lay_flow_truncate(&lo->flow, held);
		}
	}
	/* A heading last of all, or the last lines waiting for the closing. */
	lay_place_settle(lo, closing);
	lay_flow_truncate(&kept->flow, 0);
	free(kept->flow.v);
	free(kept->blocks);
	*kept = next;
	if (kept->keep) {
		/* The next pass's items: lo's list is handed over. */
		lay_flow_truncate(&lo->flow, held);
		kept->flow = lo->flow;
		memset(&lo->flow, 0, sizeof(lo->flow));
	}
}

static int
set_document(const struct doc *doc, const struct lay_page_style *ps,
    struct font_set *fonts, unsigned flags, const struct lay_refs *refs,
    struct lay_kept *kept, struct layout *lo_out, struct lay_doc *out)
{
	struct layout lo;
	struct look body;
	double closing = 0;	/* the closing's height below the body */

	memset(out, 0, sizeof(*out));
	memset(&lo, 0, sizeof(lo));
	out->width = ps->width;
	out->height = ps->height;
	lo.doc = doc;
	lo.file = doc_node_file(doc, NULL);
	lo.ps = ps;
	lo.set = fonts;
	lo.out = out;
	lo.flags = flags;
	lo.refs = refs;
	memset(&body, 0, sizeof(body));
	lo.text = coll_new();
	lo.fallback = mem_zalloc(ps->nfallback + 1, sizeof(*lo.fallback));
	for (size_t i = 0; i < ps->nfallback; i++)
		if ((lo.fallback[lo.nfallback] = lay_get_font(&lo, ps->fallback[i], 0, 0)) != NULL)
			lo.nfallback++;
	body.cjk = lay_get_font(&lo, ps->cjk, 0, 0);
	body.latin = lay_get_font(&lo, ps->latin, 0, 0);
	lo.body = body;
	/* The front matter's line-numbers (checked by schema_check) before the style's. */
	lo.line_every = ps->line_numbers;
	if (lay_line_numbers_value(meta_get(doc->meta, "line-numbers")) >= 0)
		lo.line_every = lay_line_numbers_value(meta_get(doc->meta, "line-numbers"));
	lay_notes_init(&lo);
	lay_set_cover(&lo);
	lay_new_page(&lo);
	lay_set_first_head(&lo);
	if (body.cjk && body.latin) {
		struct lay_region page = { ps->left, ps->width - ps->left - ps->right, body, 0, 0 };
		closing = lay_closing_height(&lo);
		set_body(&lo, &page, kept, closing);
	}
	if (!lo.failed) {
		lay_set_closing(&lo, closing);
		lay_set_colophon(&lo);
	}
	/* Notes still to set go on pages of their own. */
	lo.at.text_done = 1;
	while (lo.ncarry > 0 && !lo.failed)
		lay_new_page(&lo);
	lay_notes_flush(&lo);
	/* Contents and index numbers need no second pass when they fit their places. */
	if (!lo.failed && refs == NULL && lo.nuses > 0)
		lo.refs_patched = lay_refs_patch(&lo);
	if (!lo.failed) {
		lay_set_column_rules(&lo);
		lay_set_heads(&lo, body);
		/* Line numbers last: text extraction reads them after the page's text. */
		lay_set_line_numbers(&lo, body);
		sort_by_page(out);	/* list labels and running heads come after their page's text */
	}
	lay_place_drop(&lo);
	free(lo.pending);
	lay_flow_truncate(&lo.flow, 0);
	free(lo.flow.v);
	lay_flow_labels_drop(&lo);
	free(lo.colruns);
	lay_notes_free(&lo);
	lay_images_free(&lo);
	free(lo.runs);
	free(lo.fallback);
	free(lo.numbered);
	coll_free(lo.text);
	lo.text = NULL;
	lo.runs = NULL;
	lo.fallback = NULL;
	lo.numbered = NULL;
	*lo_out = lo;
	return lo.failed ? -1 : 0;
}

static int
is_entry(const struct doc_node *n)
{
	return (n->type == DOC_DIV && doc_attr_has_class(&n->attr, "toc-entry")) ||
	    (n->type == DOC_PARA && doc_attr_has_class(&n->attr, "index-entry"));
}

/*
 * Whether doc has a page reference outside the contents and index entries,
 * which the first pass cannot fill in place: the document will be set again.
 * Walked by the parent links, without recursion.
 */
static int
refs_in_text(const struct doc *doc)
{
	const struct doc_node *n = doc->root->first;

	while (n != NULL) {
		if (n->type == DOC_SPAN && doc_attr_has_class(&n->attr, "page-ref"))
			return 1;
		if (n->first != NULL && !is_entry(n)) {
			n = n->first;
			continue;
		}
		while (n->next == NULL) {
			n = n->parent;
			if (n == NULL || n == doc->root)
				return 0;
		}
		n = n->next;
	}
	return 0;
}

/* Passes after which page references that still move are left as they are. */
#define MAX_PASSES	4

int
lay_document(const struct doc *doc, const struct lay_page_style *ps,
    struct font_set *fonts, unsigned flags, struct lay_doc *out)
{
	struct lay_refs refs = { NULL, 0 }, next;
	struct layout lo;
	struct lay_kept kept;
	int pass, rc, settled;

	memset(&kept, 0, sizeof(kept));
	kept.keep = refs_in_text(doc);

	/*
	 * Page references (contents, index) show the pages the pass before
	 * found; the pages they fill may move the pages they point to, so
	 * passes go on until the numbers hold.  Only the last one speaks.
	 */
	for (pass = 1;; pass++) {
		msg_hold();
		rc = set_document(doc, ps, fonts, flags, pass > 1 ? &refs : NULL, &kept, &lo, out);
		if (rc != 0 || lo.nuses == 0)
			break;
		if (lo.refs_patched) {
			lay_refs_report(&lo);
			break;
		}
		lay_refs_collect(out, &next);
		settled = lay_refs_settled(&lo, &next);
		if (settled || pass == MAX_PASSES) {
			if (!settled)
				msg_at(MSG_WARNING, doc->source, 0, 0, "page numbers in the contents "
				    "or index still changed after %d passes; some may be off by one",
				    pass);
			lay_refs_report(&lo);
			lay_refs_free(&next);
			break;
		}
		msg_release(0);
		lay_uses_free(&lo);
		lay_refs_free(&refs);
		refs = next;
		lay_doc_free(out);
	}
	msg_release(1);
	lay_uses_free(&lo);
	lay_refs_free(&refs);
	lay_flow_truncate(&kept.flow, 0);
	free(kept.flow.v);
	free(kept.blocks);
	return rc;
}

void
lay_doc_free(struct lay_doc *ld)
{
	size_t i;

	for (i = 0; i < ld->n; i++) {
		free(ld->boxes[i].xs);
		free(ld->boxes[i].title);
		free(ld->boxes[i].path);
	}
	free(ld->boxes);
	for (i = 0; i < ld->nstrings; i++)
		free(ld->strings[i]);
	free(ld->strings);
	free(ld->cover_label);
	memset(ld, 0, sizeof(*ld));
}

/*
 * Appends v with `places` decimals (1 or 2), as printf's %.Nf writes it: the
 * dump writes hundreds of thousands of numbers, and glibc's %f takes thousands
 * of instructions each (its exact rounding is multi-precision).  v times 10^N
 * is within 1e-7 of the exact product for the page's numbers, so it rounds
 * the same way unless it lies that near a half: those, negative numbers and
 * large ones go to printf.
 */
static void
put_fixed(struct buf *out, double v, int places)
{
	double scale = places == 2 ? 100 : 10, r = v * scale, k = floor(r);
	unsigned long long q;
	char digits[32];
	int n = 0;

	if (signbit(v) || !(v < 1e6) || fabs(r - k - 0.5) < 1e-6) {
		buf_printf(out, places == 2 ? "%.2f" : "%.1f", v);
		return;
	}
	q = (unsigned long long)k + (r - k > 0.5);
	for (int i = 0; i < places; i++, q /= 10)
		digits[n++] = (char)('0' + q % 10);
	digits[n++] = '.';
	do {
		digits[n++] = (char)('0' + q % 10);
		q /= 10;
	} while (q > 0);
	while (n > 0)
		buf_putc(out, digits[--n]);
}

void
lay_dump(const struct lay_doc *ld, struct buf *out)
{
	size_t i, k;
	int page = 0;
	char u[8];

	buf_printf(out, "pages %d size %.2fx%.2f", ld->pages, ld->width, ld->height);
	if (ld->cover_pages > 0)
		buf_printf(out, " cover %d", ld->cover_pages);
	if (ld->front_pages > 0)
		buf_printf(out, " front %d", ld->front_pages);
	buf_putc(out, '\n');
	for (i = 0; i < ld->n; i++) {
		const struct lay_box *b = &ld->boxes[i];
		if (b->page != page) {
			page = b->page;
			buf_printf(out, "page %d\n", page);
		}
		if (b->kind == BOX_RULE) {
			buf_puts(out, "  rule ");
			put_fixed(out, b->x, 2);
			buf_putc(out, ',');
			put_fixed(out, b->y, 2);
			buf_putc(out, ' ');
			put_fixed(out, b->w, 2);
			buf_putc(out, 'x');
			put_fixed(out, b->h, 2);
			if (b->color)
				buf_printf(out, " #%06x", (unsigned)b->color);
			buf_putc(out, '\n');
			continue;
		}
		if (b->kind == BOX_LINK) {
			buf_printf(out, "  link %.2f,%.2f %.2fx%.2f %s\n", b->x, b->y, b->w, b->h,
			    b->href);
			continue;
		}
		if (b->kind == BOX_ANCHOR) {
			buf_printf(out, "  anchor %.2f %s", b->y, b->id ? b->id : "-");
			if (b->level > 0)
				buf_printf(out, " outline %d \"%s\"", b->level, b->title);
			buf_putc(out, '\n');
			continue;
		}
		if (b->kind == BOX_IMAGE) {
			const char *base = strrchr(b->path, '/');
			buf_printf(out, "  image %.2f,%.2f %.2fx%.2f %s\n", b->x, b->y, b->w, b->h,
			    base ? base + 1 : b->path);
			continue;
		}
		buf_puts(out, "  text ");
		put_fixed(out, b->x, 2);
		buf_putc(out, ',');
		put_fixed(out, b->y, 2);
		buf_putc(out, ' ');
		buf_puts(out, font_family(b->font));
		buf_puts(out, b->fake_bold ? " (fake bold)" : font_is_bold(b->font) ? " bold" : "");
		buf_puts(out, b->fake_italic ? " (fake italic)" :
		    font_is_italic(b->font) ? " italic" : "");
		buf_putc(out, ' ');
		put_fixed(out, b->size, 1);
		buf_puts(out, " \"");
		for (k = 0; k < b->n; k++) {
			/* A visible gap (a space, ¼ em or more) shows as a space. */
			if (k > 0 && b->xs[k] - b->xs[k - 1] - font_advance(b->font,
			    b->gids[k - 1]) * b->size / font_units_per_em(b->font) > b->size / 5)
				buf_putc(out, ' ');
			buf_put(out, u, utf8_encode((int32_t)b->cps[k], u));
		}
		buf_putc(out, '"');
		if (b->color)
			buf_printf(out, " #%06x", (unsigned)b->color);
		if (b->not_text)
			buf_puts(out, " (not text)");
		buf_putc(out, '\n');
	}
}

