/* The XML outputs: the model as XML (`xml`), and that XML through a style's XSLT (`html`). */
#ifndef GALLEY_XML_H
#define GALLEY_XML_H

#include "buf.h"
#include "doc.h"

/* Appends the model's XML (the vocabulary of content/manual/xml.md) to out. */
void xml_render(const struct doc *doc, const char *style, const char *lang,
    struct buf *out);

struct html_style;

/*
 * Loads the stylesheet at xsl_path.  Returns NULL after reporting the
 * stylesheet's errors.  The caller frees it with html_style_free().
 */
struct html_style *html_style_load(const char *xsl_path);
void html_style_free(struct html_style *style);

/*
 * Calls on_read(dep_ctx, path) for each file the stylesheet was loaded from:
 * its own, and every file it imports or includes, as libxslt spelt them
 * ("styles/article/../common/html.xsl").
 */
void html_style_files(const struct html_style *style,
    void (*on_read)(void *dep_ctx, const char *path), void *dep_ctx);

struct html_params {
	const char	*style;		/* the style's name, recorded in the XML */
	const char	*lang;		/* the document's language */
	const char	*css_href;	/* link to this stylesheet; NULL or "" for none */
	const char	*css_text;	/* inline this CSS instead; NULL or "" for none */
};

/* Appends the document's HTML to out; returns 0, or -1 after reporting an error. */
int html_render(struct html_style *style, const struct doc *doc,
    const struct html_params *params, struct buf *out);

/*
 * Renders the comment form of doc with stylesheet form (a style's
 * comments.xsl): appends the HTML to html and the rows of its first table,
 * header row first, to csv as RFC 4180 CSV in UTF-8 with a byte-order mark
 * and CRLF line ends.  Returns 0, or -1 after reporting an error.
 */
int html_form_render(struct html_style *form, const struct doc *doc,
    const struct html_params *params, struct buf *html, struct buf *csv);

#endif
