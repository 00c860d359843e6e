/* A paragraph of Chinese (and Latin) text set into justified lines by the clreq rules. */
#ifndef GALLEY_LAY_PARA_H
#define GALLEY_LAY_PARA_H

#include <stddef.h>
#include <stdint.h>

#include "coll.h"
#include "font.h"

/* How full-width punctuation is set (clreq; ctex's names). */
enum lay_punct {
	PUNCT_QUANJIAO,		/* marks take a full em, compressed where they meet */
	PUNCT_KAIMING,		/* only 。？！ take a full em, the other marks half */
	PUNCT_BANJIAO		/* every mark half an em */
};

struct lay_run {
	const char	*text;		/* UTF-8 */
	size_t		 len;
	struct font	*cjk;		/* Han, kana and CJK punctuation */
	struct font	*latin;		/* Latin letters, digits and the rest */
	double		 size;		/* points */
	int		 line;		/* source line, for messages */
	unsigned	 deco;		/* LAY_UNDERLINE, LAY_STRIKE */
	const char	*href;		/* a link's target, borrowed; or NULL */
	double		 rise;		/* baseline shift up, points: superscript note marks */
};

#define LAY_UNDERLINE	0x1
#define LAY_STRIKE	0x2
#define LAY_NOTEREF	0x4	/* a footnote's mark in the text: its href names the note */
/* A run holding just this character is a hard line break. */
#define LAY_LINE_BREAK	"\u2028"

struct lay_para_style {
	double		 measure;	/* line width, points */
	double		 indent;	/* first-line indent, points (2 em in body text);
					   negative: the first line hangs out to the left */
	enum lay_punct	 punct;
	int		 justify;	/* stretch lines to the measure (not the last) */
	const char	*file;		/* for messages about missing glyphs */
	struct font *const *fallback;	/* tried in order for characters the run's fonts lack */
	size_t		 nfallback;
	struct coll	*text;		/* line-break opportunities from ICU; NULL: clreq's rules alone */
	int		 hang;		/* 。，、． may hang past the line's end (clreq's option) */
};

/* One glyph placed on a line. */
struct lay_glyph {
	struct font	*font;
	uint32_t	 gid;
	uint32_t	 cp;		/* the character it shows */
	double		 size;
	double		 x;		/* from the line's start, points */
	double		 advance;	/* the width it occupies, points */
	unsigned	 deco;		/* its run's */
	const char	*href;
	double		 rise;
};

struct lay_line {
	struct lay_glyph	*glyphs;
	size_t			 n;
	double			 width;		/* to the end of its last box, after adjustment */
	int			 overfull;
};

struct lay_para {
	struct lay_line	*lines;
	size_t		 nlines;
};

/*
 * Sets runs[0..nruns) as one paragraph.  Returns 0 and fills *out (free it
 * with lay_para_free()), warning about characters no font has.
 */
int lay_para_set(const struct lay_run *runs, size_t nruns,
    const struct lay_para_style *style, struct lay_para *out);
void lay_para_free(struct lay_para *para);

/*
 * The widths runs[0..nruns) need when set by style: *max on one line (each
 * hard line break starting another), *min the widest piece no line may break
 * (a Latin word, a character with the marks it keeps), and *least the widest
 * piece when every Latin word may break anywhere, as in a line too narrow for
 * it (a character with the marks it keeps).
 */
void lay_para_measure(const struct lay_run *runs, size_t nruns,
    const struct lay_para_style *style, double *min, double *least, double *max);

#endif
