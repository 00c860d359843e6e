/* PDF output: the page layout's boxes drawn with libharu, fonts embedded as subsets, images. */
#ifndef GALLEY_PDF_H
#define GALLEY_PDF_H

#include "buf.h"
#include "doc.h"
#include "lay.h"

struct pdf_info {
	const struct meta	*meta;		/* title, author, subject, keywords */
	long long		 epoch;		/* creation time, seconds since 1970; -1: none */
	const char		*source;	/* for messages */
};

/*
 * Appends the PDF of ld to out: pages, images, subset fonts with ToUnicode
 * maps, links, the outline, page labels and the document information.
 * Returns 0, or -1 after reporting an error (an image libharu cannot read is
 * reported at its source line; out then holds nothing usable).
 */
int pdf_write(const struct lay_doc *ld, const struct pdf_info *info, struct buf *out);

#endif
