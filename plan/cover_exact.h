/* Exact mode: maximal covering with at most p sites, or the fewest sites covering a share
 * of the weight, solved by a real MIP solver (COIN-OR CBC through its C API) on the
 * aggregated model, warm-started with a heuristic plan and stopped at a time limit,
 * returning either a proven optimum or the best bound proved. Capacities are ignored.
 * Pure computation: no I/O, no logging (CBC is silenced). Only cover_exact.c uses CBC. */
#ifndef HUB_COVER_EXACT_H
#define HUB_COVER_EXACT_H

#include <stddef.h>
#include <stdint.h>

#include "plan/cover.h"

/* open is owned by the result (free with cover_exact_result_free). covered_weight is
 * recomputed on the original model; seconds is wall time. */
struct cover_exact_result {
	int optimal;          /* 1 = proven optimum */
	double covered_weight;
	double bound;         /* budget mode: no p sites cover more (>= covered_weight);
			       * target mode: 0 */
	size_t sites_bound;   /* target mode: no set of sites reaching the share is smaller
			       * (<= nopen; = nopen when optimal); budget mode: 0 */
	uint32_t *open;
	size_t nopen;
	double seconds;
};

/* Maximal covering with at most p sites (fixed ones open), solved exactly: demand points
 * with identical coverage sets aggregated (weights summed), the sparse MIP (x_j binary, y_i
 * continuous in [0,1], y_i <= sum_j x_j over i's candidates, sum x_j <= p) given to CBC
 * through its C API (Cbc_C_Interface.h), warm-started with warm_open (may be NULL),
 * stopped at time_limit_s (<= 0: none). Returns the best solution and the best bound CBC
 * proved (optimal = 1 when they meet within 1e-9 relative). m needs its transpose.
 * CBC checks the limit between its phases: its root LP relaxation runs to the end, so a
 * large instance may overrun the limit by that LP's time. When CBC closes its search the
 * bound is the covered weight (its last bound may be stale). Capacities, the incumbent
 * and change_cost are ignored: this is the plain maximal covering problem.
 * open lists the fixed sites first, then the others in increasing index. Fills out (free
 * with cover_exact_result_free, also after an error). 0, -EINVAL (p < number of fixed
 * sites, p > ncand, no transpose, a warm site out of range, a warm start with its fixed
 * sites above p), -ENOMEM or -EIO (CBC failed) with err. */
int cover_exact_budget(const struct cover_model *m, size_t p, const uint32_t *warm_open,
		       size_t nwarm, double time_limit_s, struct cover_exact_result *out,
		       char *err, size_t errlen);

/* Fewest sites (fixed ones open and counted) covering at least share (0..1) of the total
 * weight of m, unreachable points included, solved exactly like cover_exact_budget: the
 * aggregated MIP (x_j binary, y_i continuous in [0,1], y_i <= sum_j x_j over i's
 * candidates, sum_i w_i y_i >= share x total, minimising sum x_j), warm-started with
 * warm_open (may be NULL; completed by greedy when it covers too little, so there is
 * always a valid cover to return), stopped at time_limit_s (<= 0: none). The share is
 * met within a relative 1e-9 of the total weight. sites_bound is the best lower bound on
 * the number of sites CBC proved (rounded up: the count is whole); the gap is nopen -
 * sites_bound sites. Capacities (cand_capacity, a caller's capacity), the incumbent and
 * change_cost are ignored: this is the plain partial set covering problem; a plan that
 * must also serve the share within capacity can need more sites. The same remarks on
 * the time limit as for cover_exact_budget. open lists the fixed sites first, then the
 * others in increasing index. Fills out (free with cover_exact_result_free, also after an
 * error). 0, -EINVAL (share outside 0..1, a share more than the candidates reach (CBC is
 * not called), no transpose, a warm site out of range), -ENOMEM or -EIO (CBC failed)
 * with err. */
int cover_exact_target(const struct cover_model *m, double share, const uint32_t *warm_open,
		       size_t nwarm, double time_limit_s, struct cover_exact_result *out,
		       char *err, size_t errlen);

/* Frees r->open and zeroes r; accepts NULL and a zeroed result. */
void cover_exact_result_free(struct cover_exact_result *r);

#endif
