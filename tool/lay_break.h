/* Line breaking by total fit (Knuth and Plass): breaks chosen for the whole paragraph at once. */
#ifndef GALLEY_LAY_BREAK_H
#define GALLEY_LAY_BREAK_H

#include <stddef.h>

/* A penalty at or above this forbids a break; at or below its negative forces one. */
#define LB_INFINITY 10000.0

enum lb_kind {
	LB_BOX,		/* material that is never broken or stretched */
	LB_GLUE,	/* space that stretches and shrinks; a break may follow a box here */
	LB_PENALTY	/* a possible break with a cost, adding width only when taken */
};

struct lb_item {
	enum lb_kind	 kind;
	double		 width;		/* points */
	double		 stretch;	/* GLUE: how much it may grow */
	double		 shrink;	/* GLUE: how much it may shrink */
	double		 penalty;	/* PENALTY: cost of breaking here */
	int		 flagged;	/* PENALTY: a hyphen-like break; two in a row cost extra */
};

struct lb_line {
	size_t	 start;		/* first item of the line (after discarded glue) */
	size_t	 end;		/* the break item: the line holds items [start, end) */
	double	 ratio;		/* adjustment: >0 stretch, <0 shrink, as a fraction of the glue's */
	int	 overfull;	/* nothing fit: the line is wider than its measure */
};

struct lb_params {
	double	 tolerance;	/* the largest adjustment ratio accepted (TeX's \tolerance / 100) */
	double	 line_penalty;	/* added to every line's badness */
	double	 flagged_demerits;
	double	 fitness_demerits;
};

/*
 * Breaks items[0..n) into lines.  A paragraph ends as in TeX: a penalty of
 * LB_INFINITY, a glue that stretches without end (1e6), a forced break.  widths[i] is
 * the measure of line i; lines past nwidths use the last one.  Returns the
 * number of lines and sets *lines to an array the caller frees.  When no set
 * of breaks keeps every line within tolerance, the best one with overfull
 * lines is returned (marked), never nothing.
 */
size_t lb_break(const struct lb_item *items, size_t n, const double *widths,
    size_t nwidths, const struct lb_params *params, struct lb_line **lines);

#endif
