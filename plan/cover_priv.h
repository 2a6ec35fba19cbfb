/* Helpers shared by the cover*.c files (defined in cover.c, cover_top_sum in
 * cover_bound.c, cover_reaches_all in cover_reach.c): seeded random numbers and tie-break
 * ranks, a max-heap of candidate gains for lazy greedy, top-p selection, the set-cover
 * proof, a clock and progress. Not API. */
#ifndef HUB_COVER_PRIV_H
#define HUB_COVER_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "plan/cover.h"

/* Number of coverage pairs in use. */
static inline size_t cover_npairs(const struct cover_model *m)
{
	return m->cand_off[m->ncand];
}

/* splitmix64: the next pseudo-random number from *state. */
uint64_t cover_rand(uint64_t *state);

/* A seeded random permutation of 0..n-1 as ranks: rank[k] is k's place (lower wins ties).
 * If order is not NULL it receives the inverse (order[rank[k]] = k). Caller frees the
 * result; NULL when out of memory. */
uint32_t *cover_ranks(size_t n, uint32_t seed, uint32_t *order);

/* Lazy-greedy heap item: larger key first, then lower rank. stamp says when key was
 * computed (the caller's clock, e.g. the number of open sites). */
struct cover_heap_item {
	double key;
	uint32_t rank, cand, stamp;
};

/* A max-heap over an array the caller owns. */
struct cover_heap {
	struct cover_heap_item *it;
	size_t n;
};

void cover_heap_build(struct cover_heap *h, struct cover_heap_item *items, size_t n);
void cover_heap_pop(struct cover_heap *h);       /* removes the top item; n > 0 */
void cover_heap_fix_top(struct cover_heap *h);   /* restores order after the top changed */

/* Reorders idx[0..n) so that idx[0..p) hold the p indices with the largest v[idx[k]]
 * (ties in any order) and returns their sum; p >= n sums everything. Expected O(n). */
double cover_top_sum(const double *v, uint32_t *idx, size_t n, size_t p);

/* 1 when a set cover (cover_reach.c: lazy greedy, redundant sites dropped, swaps) reaches
 * every point with w[i] > 0 that some candidate of m covers with at most p sites: then p
 * sites can cover all the weight any candidate reaches. 0 when it needs more (which proves
 * nothing), -ENOMEM. w: [ndemand] weights, 0 = need not be covered. */
int cover_reaches_all(const struct cover_model *m, const double *w, size_t p);

/* Monotonic clock in seconds. */
double cover_now(void);

/* Calls progress->fn when there is one. */
void cover_report(const struct cover_progress *progress, const char *phase, double fraction);

#endif
