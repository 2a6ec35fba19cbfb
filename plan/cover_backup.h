/* Backup coverage (Hogan and ReVelle's backup covering model with the primary solution
 * fixed): weight within reach of two or more open sites, and a solver that adds k sites
 * to a solution to raise it, never closing a site of the primary (single coverage kept
 * first), with a valid upper bound. Pure computation: no I/O, no logging. */
#ifndef HUB_COVER_BACKUP_H
#define HUB_COVER_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "plan/cover.h"

/* What cover_backup_extend did. Weights are of points covered twice or more. */
struct cover_backup_result {
	size_t added;                 /* sites appended to the solution (<= k) */
	double base_weight;           /* weight covered twice by the primary alone */
	double weight;                /* weight covered twice after the additions */
	double bound;                 /* >= the most any k added sites reach (primary kept) */
	double gap_pct;               /* 100 * (bound - weight) / bound; 0 when bound is 0 */
	size_t kept;                  /* of them, backup incumbents (a stable recompute) */
	int swaps;                    /* improving swaps of the local search */
	int timed_out;                /* 1 when time_limit_s cut the local search short */
	double seconds;               /* wall time of the placement */
};

/* count[i] (caller's array of m->ndemand) = how many of the open sites reach demand point i
 * (saturating at 255). Needs the transpose. */
void cover_reach_counts(const struct cover_model *m, const uint32_t *open, size_t nopen,
			uint8_t *count);

/* Weight of the points with mask[i] != 0 (mask NULL = all) that two or more of the open
 * sites reach. NAN when out of memory. */
double cover_twice_weight(const struct cover_model *m, const uint32_t *open, size_t nopen,
			  const uint8_t *mask);

/* Adds up to k closed candidates to s (appended after s->open[0..s->nopen), which stay
 * open) to maximise the weight covered twice: two starts, each a greedy (on that gain, and
 * on that gain plus half the weight newly covered once; ties by the weight newly covered
 * once, then the lower index) then swap descent among the added sites until no swap gains
 * (or time_limit_s, <= 0: none, strikes); the better start is kept. Stops early when no candidate
 * raises the figure nor reaches a point covered less than twice. Extends s->load (zeros:
 * the added sites take no residents from the primary's assignment) when it is set. The
 * bound holds for any k added sites: the minimum of f(X) + the k largest credits g_j(X)
 * (g_j: the weight of points j reaches covered once by X, plus half that of points
 * covered by none) for X the primary and X the answer, and the weight at least two
 * candidates reach. Deterministic. Fills out. 0 or -ENOMEM (s unchanged).
 * With incumbent ([ncand], the caller's; NULL = none: a stable recompute's backup sites of
 * the plan it replaces) the objective is the weight covered twice minus m->change_cost for
 * every incumbent not added: both greedy starts add the closed incumbents first (the best
 * of them when k is smaller), and a swap is kept only when it gains more than it costs.
 * The bound is unchanged (it bounds the weight covered twice alone). */
int cover_backup_extend(const struct cover_model *m, struct cover_solution *s, size_t k,
			const uint8_t *incumbent, double time_limit_s,
			struct cover_backup_result *out);

#endif
