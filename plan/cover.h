/* The covering model the planner optimises: weighted demand points, candidate sites and a
 * sparse coverage relation in both directions (CSR), plus the solvers that pick sites
 * (maximal covering with p sites; fewest sites to reach a coverage target per group with
 * capacities) and the upper bounds that say how far a plan is from the best possible.
 * Pure computation: no GEOS, no sqlite, no I/O, no logging. Deterministic for a seed. */
#ifndef HUB_COVER_H
#define HUB_COVER_H

#include <stddef.h>
#include <stdint.h>

/* Coverage relation. cand_off[ncand+1] / cand_dem[nnz] / cand_dist_m[nnz]: for candidate
 * j, the demand points it covers are cand_dem[cand_off[j] .. cand_off[j+1]) sorted by
 * distance (nearest first), each point at most once. cand_off[ncand] is the number of pairs
 * in use (at most nnz). dem_off[ndemand+1] / dem_cand[nnz]: the transpose, candidates of
 * each demand point in increasing candidate index. All arrays are owned by the model.
 * Group ids (group, cand_group) must be < ngroups. */
struct cover_model {
	size_t ndemand, ncand, nnz;
	double *weight;               /* [ndemand] weighted demand (residents + extras) */
	double *residents;            /* [ndemand] residents, for capacities */
	uint32_t *group;              /* [ndemand] group id (municipality), < ngroups */
	size_t ngroups;
	uint8_t *fixed;               /* [ncand] 1 = must be open */
	uint32_t *cand_group;         /* [ncand] group the candidate lies in (for "one per group") */
	double *cand_capacity;        /* [ncand] capacity of each candidate in sites (co-located
				       * sites merged into one add up); NULL = 1 each. Left NULL
				       * by cover_model_new; freed with the model */
	uint8_t *incumbent;           /* [ncand] 1 = open in the plan this one replaces (a
				       * stable recompute); NULL = a fresh plan. Left NULL by
				       * cover_model_new; freed with the model */
	double change_cost;           /* weight a change must gain (with incumbent): see the
				       * solvers. 0 by cover_model_new */
	uint32_t *cand_off, *cand_dem;
	float *cand_dist_m;
	uint32_t *dem_off, *dem_cand;
};

/* Allocates a model for ndemand points and ncand candidates with room for nnz pairs.
 * Arrays are zeroed; the caller fills them (cover_model_transpose builds dem_*).
 * Returns NULL on allocation failure or when a count does not fit 32-bit indices.
 * Free with cover_model_free (accepts NULL and half-built models). */
struct cover_model *cover_model_new(size_t ndemand, size_t ncand, size_t nnz, size_t ngroups);
void cover_model_free(struct cover_model *m);

/* Builds dem_off/dem_cand from cand_off/cand_dem (replacing any previous transpose).
 * 0, -EINVAL (cand_off or cand_dem out of range) or -ENOMEM. */
int cover_model_transpose(struct cover_model *m);

/* A solver's answer; every array is owned by the solution (free with cover_solution_free). */
struct cover_solution {
	uint32_t *open;               /* open candidate indices: fixed ones first, then in the
				       * order chosen (a swap puts the new site in the old slot) */
	size_t nopen;
	double covered_weight;        /* weight of demand within reach of an open site */
	double served_residents;      /* residents assigned within capacity (target mode; budget
				       * mode after cover_serve) */
	double bound;                 /* cheap upper bound on the weight any p sites cover: the
				       * online bound of this solution (p = the budget in budget
				       * mode, nopen in target mode); cover_bound is tighter */
	int iterations;               /* budget: improving swaps made (also inside perturbations
				       * that were undone); target: sites closed by the cleanup */
	double *load;                 /* [nopen] residents assigned to open[k]; NULL in budget
				       * mode until cover_serve */
	double *served;               /* [ndemand] residents of each demand point assigned to
				       * some open site; NULL in budget mode until cover_serve */
	int timed_out;                /* 1 when time_limit_s cut the search (budget) or the
				       * cleanup (target) short, else 0 */
};

/* Progress: fn (the struct or fn may be NULL) is called on the solving thread with a phase
 * name and a fraction in 0..1 of that phase. */
struct cover_progress {
	void (*fn)(void *user, const char *phase, double fraction);
	void *user;
};

/* Maximal covering: chooses at most p sites (fixed ones first, counted in p, never closed)
 * maximising covered weight: lazy greedy, swap local search, a fixed number of seeded
 * perturbations each followed by swaps (kept when they cover more), and a last swap
 * descent, so the answer admits no improving swap. time_limit_s (<= 0: none) cuts the
 * search short. Fewer than p sites are opened only when they already cover every point any
 * candidate reaches; then open sites no point depends on are closed too (the same
 * coverage with fewer sites). Needs the transpose. The seed orders ties, the scan and the
 * perturbations: the same seed gives the same answer (unless the time limit strikes);
 * another seed may give a different one. Fills out (free with cover_solution_free, also
 * after an error). 0, -EINVAL (p < number of fixed sites, p > ncand, no transpose) or
 * -ENOMEM.
 * With m->incumbent (a stable recompute) the objective is the covered weight minus
 * change_cost for every incumbent left closed: the incumbents open first (all of them
 * while p allows, else the greedy's best among them), and a swap or perturbation is kept
 * only when it gains more than the changes it makes cost. */
int cover_solve_budget(const struct cover_model *m, size_t p, uint32_t seed, double time_limit_s,
		       const struct cover_progress *progress, struct cover_solution *out);

/* Target mode: few sites such that in every group at least target_frac of its weight is
 * served, each open site serving at most capacity residents (<= 0: no limit; times
 * cand_capacity when the model has it), and every
 * group with a candidate gets at least one site. Fixed sites are open. Heuristic: lazy
 * greedy on the weight a site would serve (capped at each group's shortfall), one site per
 * empty group, a repair that frees room at full sites for groups below target, then a
 * cleanup that closes sites whose residents fit elsewhere, repeated on the canonical
 * assignment until a round changes nothing; time_limit_s (<= 0: none) bounds the cleanup
 * only. Residents end at the nearest open site with room (split
 * allowed): no assigned resident has a nearer open site with room, and every unserved
 * resident's open sites are full. A group whose target cannot be reached gets what the
 * greedy gives it. The seed breaks ties. Fills out, with load and served (free with
 * cover_solution_free, also after an error). 0, -EINVAL (a group id >= ngroups,
 * target_frac outside 0..1) or -ENOMEM.
 * With m->incumbent (a stable recompute) the incumbents open right after the fixed sites
 * (the greedy among them, then the rest serving whoever they reach; repair and augmenting
 * paths free room), sites are added only where a group stays below target, and the
 * cleanup tries the added sites first; an incumbent is closed only when every group it
 * touches keeps change_cost weighted residents above its target. The last cleanup rounds
 * judge sites on the canonical assignment of the open set (nearest first, repair,
 * augmenting paths), so the same open set is judged alike after any history. */
int cover_solve_target(const struct cover_model *m, double target_frac, double capacity,
		       uint32_t seed, double time_limit_s, const struct cover_progress *progress,
		       struct cover_solution *out);

/* Assigns residents to the open sites of s (a budget-mode answer; any solution works):
 * every pair of a demand point and an open site that reaches it, nearest first (ties by
 * point, then open index), gives the point's unassigned residents to the site up to
 * capacity (<= 0: no limit). So no assigned resident has a nearer open site with room, and
 * every unserved resident's reaching sites are full. Replaces s->served, s->load and
 * s->served_residents. 0 or -ENOMEM (s unchanged). */
int cover_serve(const struct cover_model *m, double capacity, struct cover_solution *s);

/* Upper bound on the weight p sites can cover (capacities ignored), restricted to the
 * demand points with mask[i] != 0 (mask NULL = all): the minimum over a Lagrangian
 * relaxation (a dual-ascent start, about ten passes, then `iterations` deflected
 * subgradient steps, each one pass over the pairs; it converges towards the LP bound), the
 * greedy online bound of the given open set (open may be NULL: the empty set) and the
 * weight any candidate reaches. When a greedy set cover (redundant sites dropped, then one
 * candidate swapped in for two or more sites where it can) reaches all that weight with at
 * most p sites, that weight is the optimum and the subgradient steps are skipped. The
 * ascent start needs the transpose (else a cruder one). Fixed sites are ignored: the bound
 * holds for any p sites, so also for plans that must keep them. Always >= the optimum
 * (sums in double, rounded up by a relative 1e-9). 0 and *bound, or -ENOMEM. */
int cover_bound(const struct cover_model *m, size_t p, const uint8_t *mask,
		const uint32_t *open, size_t nopen, int iterations, double *bound);

/* cover_bound, and *optimal (may be NULL) = 1 when the bound is also the optimum: every
 * candidate fits in p, the given open set already covers it, or (iterations > 0) the set
 * cover above reaches all reachable weight with p sites. 0 says nothing about the gap. */
int cover_bound_proof(const struct cover_model *m, size_t p, const uint8_t *mask,
		      const uint32_t *open, size_t nopen, int iterations, double *bound,
		      int *optimal);

/* Weight covered by the given open set, restricted to mask (NULL = all). NAN when out of
 * memory. */
double cover_weight(const struct cover_model *m, const uint32_t *open, size_t nopen,
		    const uint8_t *mask);

/* Frees the arrays of s and zeroes it; accepts NULL and a zeroed solution. */
void cover_solution_free(struct cover_solution *s);

#endif
