/* Line breaking by total fit (Knuth and Plass): breaks chosen for the whole paragraph at once. */
#include "lay_break.h"

#include <math.h>
#include <stdlib.h>

#include "mem.h"

/*
 * Lengths closer than this (pt) are equal: a sum of widths drifts by rounding, and 28
 * characters of 1/28 of the measure (a GB/T 9704 grid) must fill a line, not overfill it.
 */
#define FIT_SLACK	1e-6

/* A way to end a line at an item, reached from an earlier break. */
struct node {
	size_t		 position;	/* the break item */
	size_t		 line;		/* lines before this break */
	int		 fitness;	/* 0 tight … 3 very loose */
	double		 width;		/* running sums up to after the break */
	double		 stretch;
	double		 shrink;
	double		 demerits;	/* total for the paragraph so far */
	double		 ratio;		/* of the line ending here */
	int		 overfull;
	struct node	*previous;
	struct node	*next_active;
	struct node	*next_all;	/* every node, for freeing */
};

struct sums {
	double	 width, stretch, shrink;
};

struct breaker {
	const struct lb_item	*items;
	size_t			 n;
	const double		*widths;
	size_t			 nwidths;
	const struct lb_params	*p;
	struct node		*active;
	struct node		*all;
	struct sums		 total;		/* sums up to the item being considered */
};

static double
measure(const struct breaker *b, size_t line)
{
	return b->widths[line < b->nwidths ? line : b->nwidths - 1];
}

static struct node *
new_node(struct breaker *b, size_t position, size_t line, int fitness,
    const struct sums *after, double demerits, double ratio, struct node *previous)
{
	struct node *nd = mem_zalloc(1, sizeof(*nd));

	nd->position = position;
	nd->line = line;
	nd->fitness = fitness;
	nd->width = after->width;
	nd->stretch = after->stretch;
	nd->shrink = after->shrink;
	nd->demerits = demerits;
	nd->ratio = ratio;
	nd->previous = previous;
	nd->next_all = b->all;
	b->all = nd;
	return nd;
}

/* The sums just after a break at i: glue and penalties after it are discarded. */
static struct sums
sums_after(const struct breaker *b, size_t i)
{
	struct sums s = b->total;
	size_t k;

	for (k = i; k < b->n; k++) {
		const struct lb_item *it = &b->items[k];
		if (it->kind == LB_BOX)
			break;
		if (it->kind == LB_GLUE) {
			s.width += it->width;
			s.stretch += it->stretch;
			s.shrink += it->shrink;
		} else if (it->penalty <= -LB_INFINITY && k > i)
			break;
	}
	return s;
}

static int
fitness_of(double ratio)
{
	if (ratio < -0.5)
		return 0;
	if (ratio <= 0.5)
		return 1;
	if (ratio <= 1)
		return 2;
	return 3;
}

/* Tries every active node as the start of a line ending at item i. */
static void
try_break(struct breaker *b, size_t i, int emergency)
{
	const struct lb_item *it = &b->items[i];
	double penalty = it->kind == LB_PENALTY ? it->penalty : 0;
	double extra = it->kind == LB_PENALTY ? it->width : 0;
	int forced = penalty <= -LB_INFINITY;
	struct node *a = b->active, *prev = NULL, *next;
	struct node *best[4] = { NULL, NULL, NULL, NULL };
	double best_demerits[4];
	double best_ratio[4];
	struct node *best_from[4];
	int best_overfull[4] = { 0, 0, 0, 0 };
	struct sums after;
	int f;

	for (f = 0; f < 4; f++)
		best_demerits[f] = INFINITY;
	while (a != NULL) {
		double length = b->total.width - a->width + extra;
		double target = measure(b, a->line);
		double ratio, badness, demerits;
		int overfull = 0;

		next = a->next_active;
		if (fabs(length - target) < FIT_SLACK)
			ratio = 0;
		else if (length < target) {
			double stretch = b->total.stretch - a->stretch;
			ratio = stretch > 0 ? (target - length) / stretch : INFINITY;
		} else if (length > target) {
			double shrink = b->total.shrink - a->shrink;
			ratio = shrink > 0 ? (target - length) / shrink : -INFINITY;
		} else
			ratio = 0;
		if (ratio < -1 || forced) {
			/* This start can never reach further: retire it, after using it once more. */
			if (prev)
				prev->next_active = next;
			else
				b->active = next;
			if (ratio < -1) {
				if (!emergency || b->active != NULL || best[0] || best[1] ||
				    best[2] || best[3]) {
					a = next;
					continue;
				}
				overfull = 1;	/* the last hope: keep an overfull line */
				ratio = -1;
			}
		} else
			prev = a;
		if (ratio > b->p->tolerance && !forced) {
			a = next;
			continue;
		}
		badness = ratio == INFINITY ? 10000 : 100 * fabs(ratio * ratio * ratio);
		if (badness > 10000)
			badness = 10000;
		demerits = b->p->line_penalty + badness;
		demerits *= demerits;
		if (penalty > 0)
			demerits += penalty * penalty;
		else if (penalty > -LB_INFINITY)
			demerits -= penalty * penalty;
		if (it->kind == LB_PENALTY && it->flagged && a->position < b->n &&
		    b->items[a->position].kind == LB_PENALTY &&
		    b->items[a->position].flagged)
			demerits += b->p->flagged_demerits;
		f = fitness_of(ratio == INFINITY ? 2 : ratio);
		if (abs(f - a->fitness) > 1)
			demerits += b->p->fitness_demerits;
		if (overfull)
			demerits += 1e12;
		demerits += a->demerits;
		if (demerits < best_demerits[f]) {
			best_demerits[f] = demerits;
			best_from[f] = a;
			best_ratio[f] = ratio == INFINITY ? 0 : ratio;
			best_overfull[f] = overfull;
			best[f] = a;
		}
		a = next;
	}
	after = sums_after(b, i);
	for (f = 0; f < 4; f++) {
		struct node *nd;
		if (best[f] == NULL)
			continue;
		nd = new_node(b, i, best_from[f]->line + 1, f, &after, best_demerits[f],
		    best_ratio[f], best_from[f]);
		nd->overfull = best_overfull[f];
		nd->next_active = b->active;
		b->active = nd;
	}
}

static int
run(struct breaker *b, double tolerance, int emergency, struct node **end)
{
	struct lb_params p = *b->p;
	struct sums zero = { 0, 0, 0 };
	const struct lb_params *saved = b->p;
	size_t i;

	p.tolerance = tolerance;
	b->p = &p;
	b->all = NULL;
	b->total = zero;
	b->active = new_node(b, (size_t)-1, 0, 1, &zero, 0, 0, NULL);
	b->active->position = 0;
	b->active->next_active = NULL;
	for (i = 0; i < b->n && b->active != NULL; i++) {
		const struct lb_item *it = &b->items[i];
		if (it->kind == LB_BOX) {
			b->total.width += it->width;
		} else if (it->kind == LB_GLUE) {
			if (i > 0 && b->items[i - 1].kind == LB_BOX)
				try_break(b, i, emergency);
			b->total.width += it->width;
			b->total.stretch += it->stretch;
			b->total.shrink += it->shrink;
		} else if (it->penalty < LB_INFINITY)
			try_break(b, i, emergency);
	}
	b->p = saved;
	*end = NULL;
	for (struct node *a = b->active; a != NULL; a = a->next_active)
		if (a->position == b->n - 1 && (*end == NULL || a->demerits < (*end)->demerits))
			*end = a;
	return *end != NULL;
}

static void
free_nodes(struct breaker *b)
{
	struct node *nd, *next;

	for (nd = b->all; nd != NULL; nd = next) {
		next = nd->next_all;
		free(nd);
	}
	b->all = NULL;
}

size_t
lb_break(const struct lb_item *items, size_t n, const double *widths,
    size_t nwidths, const struct lb_params *params, struct lb_line **lines)
{
	struct breaker b = { items, n, widths, nwidths, params, NULL, NULL, { 0, 0, 0 } };
	struct node *end, *nd;
	size_t count, k;

	*lines = NULL;
	if (n == 0 || nwidths == 0)
		return 0;
	/* First within tolerance; then looser; then with overfull lines rather than none. */
	if (!run(&b, params->tolerance, 0, &end)) {
		free_nodes(&b);
		if (!run(&b, params->tolerance * 4 + 10, 0, &end)) {
			free_nodes(&b);
			run(&b, INFINITY, 1, &end);
		}
	}
	if (end == NULL) {
		free_nodes(&b);
		return 0;
	}
	count = end->line;
	*lines = mem_zalloc(count, sizeof(**lines));
	for (nd = end, k = count; nd->previous != NULL; nd = nd->previous) {
		struct lb_line *line = &(*lines)[--k];
		size_t start = nd->previous->position;
		if (nd->previous->previous != NULL) {
			/* Skip the break item and what is discarded after it. */
			start++;
			while (start < n && items[start].kind != LB_BOX &&
			    !(items[start].kind == LB_PENALTY &&
			    items[start].penalty <= -LB_INFINITY))
				start++;
		}
		line->start = start;
		line->end = nd->position;
		line->ratio = nd->ratio;
		line->overfull = nd->overfull;
	}
	free_nodes(&b);
	return count;
}
