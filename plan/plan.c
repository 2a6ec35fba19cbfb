/* The planning pipeline on in-memory inputs: demand, candidates, both levels' coverage and
 * solutions, the bounds (national and per safety region, on sub-models so each pass stays
 * linear), and per-area results aggregated up the area hierarchy. */
#include "plan/plan.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan/plan_internal.h"
#include "plan/prepare.h"
#include "util/clock.h"

static void report(const struct plan_progress *p, const char *phase, double f)
{
	if (p && p->fn)
		p->fn(p->user, phase, f);
}

/* ---- regional demand: points aggregated into blocks per municipality and class ---- */

struct agg_key {
	uint64_t key;
	uint32_t i;
};

static int by_agg(const void *a, const void *b)
{
	const struct agg_key *x = a, *y = b;
	return x->key != y->key ? (x->key < y->key ? -1 : 1) : (x->i > y->i) - (x->i < y->i);
}

static uint64_t agg_key(const struct demand *d, uint32_t i, double block_m)
{
	uint64_t bx = (uint64_t)(d->xy[2 * i] / block_m) & 0xffff;
	uint64_t by = (uint64_t)(d->xy[2 * i + 1] / block_m) & 0xffff;
	return ((uint64_t)(uint32_t)(d->gemeente[i] + 1) << 35) | ((uint64_t)d->urbanity[i] << 32) |
	       (by << 16) | bx;
}

static int demand_grow_exact(struct demand *a, size_t n)
{
	a->xy = malloc(2 * n * sizeof *a->xy);
	a->weight = calloc(n, sizeof *a->weight);
	a->residents = calloc(n, sizeof *a->residents);
	a->vulnerable = calloc(n, sizeof *a->vulnerable);
	a->urbanity = malloc(n);
	a->area = malloc(n * sizeof *a->area);
	a->gemeente = malloc(n * sizeof *a->gemeente);
	a->region = malloc(n * sizeof *a->region);
	return a->xy && a->weight && a->residents && a->vulnerable && a->urbanity && a->area &&
	       a->gemeente && a->region ? 0 : -ENOMEM;
}

/* Adds point i to aggregate g: weights summed, position the weighted mean (kept as a sum). */
static void agg_add(struct demand *a, size_t g, const struct demand *d, uint32_t i, double *wsum)
{
	double w = d->weight[i] > 0 ? d->weight[i] : 1e-9;
	a->xy[2 * g] += w * d->xy[2 * i];
	a->xy[2 * g + 1] += w * d->xy[2 * i + 1];
	wsum[g] += w;
	a->weight[g] += d->weight[i];
	a->residents[g] += d->residents[i];
	a->vulnerable[g] += d->vulnerable[i];
	a->urbanity[g] = d->urbanity[i];
	a->area[g] = d->area[i];
	a->gemeente[g] = d->gemeente[i];
	a->region[g] = d->region[i];
}

static int aggregate(const struct demand *d, double block_m, struct demand *a, uint32_t *member)
{
	struct agg_key *k = malloc((d->n ? d->n : 1) * sizeof *k);
	double *wsum = calloc(d->n ? d->n : 1, sizeof *wsum);
	int rc = k && wsum ? demand_grow_exact(a, d->n ? d->n : 1) : -ENOMEM;
	for (size_t i = 0; rc == 0 && i < d->n; i++)
		k[i] = (struct agg_key){agg_key(d, (uint32_t)i, block_m), (uint32_t)i};
	if (rc == 0) {
		qsort(k, d->n, sizeof *k, by_agg);
		memset(a->xy, 0, 2 * d->n * sizeof *a->xy);
	}
	for (size_t i = 0; rc == 0 && i < d->n; i++) {
		if (i > 0 && k[i].key != k[i - 1].key)
			a->n++;
		agg_add(a, a->n, d, k[i].i, wsum);
		member[k[i].i] = (uint32_t)a->n;
	}
	if (rc == 0 && d->n)
		a->n++;
	for (size_t g = 0; rc == 0 && g < a->n; g++) {
		a->xy[2 * g] /= wsum[g];
		a->xy[2 * g + 1] /= wsum[g];
	}
	free(k);
	free(wsum);
	return rc;
}

/* ---- levels ---- */

/* A stable recompute's incumbents of one level marked among its candidates (*mark stays
 * NULL for a fresh plan); a scope round then keeps only the candidates inside its scope
 * and the incumbents outside it, fixed. */
static int level_incumbents(struct plan_level *lv, const struct plan_params *p,
			    const struct plan_incumbent *inc, size_t n, uint8_t **mark)
{
	int rc = 0;
	*mark = NULL;
	if (!p->incumbents)
		return 0;
	rc = plan_incumbents_mark(&lv->cand, inc, n, mark, &lv->match);
	if (rc == 0 && p->round_scope)
		plan_candidates_scope(&lv->cand, *mark, p->round_scope);
	return rc;
}

/* Regional candidates: the imported sites (none fixed: no existing regional points are
 * imported) and generated positions on the aggregated demand, in blocks four times the
 * local ones, which is plenty for radii of 5-10 km. */
static int regional_candidates(struct candidates *c, const struct plan_site_in *sites,
			       size_t nsites, const struct demand *agg,
			       const struct plan_area *areas, const struct plan_params *p)
{
	int rc = plan_site_candidates(c, sites, nsites, 0);
	if (rc == 0 && p->generate_candidates)
		rc = candidates_generate(c, agg, areas, 4 * p->block_m);
	return rc;
}

static double total_weight(const struct cover_model *m)
{
	double s = 0;
	for (size_t i = 0; i < m->ndemand; i++)
		s += m->weight[i];
	return s;
}

/* Builds the level's model (taking over *mark, the incumbents of a stable recompute, or
 * NULL) and solves it. */
static int solve_level(struct plan_level *lv, const struct demand *d, const struct plan_params *p,
		       const double radius[5], int target, size_t sites, uint8_t **mark,
		       const struct plan_progress *progress, char *err, size_t errlen)
{
	struct cover_params cp = {.detour_factor = p->detour_factor};
	struct cover_progress cpr = {progress ? progress->fn : NULL, progress ? progress->user : NULL};
	double t0 = clock_now_s();
	memcpy(cp.radius_m, radius, sizeof cp.radius_m);
	int rc = cover_build(d, &lv->cand, &cp, &lv->model, &lv->group_area, err, errlen);
	if (rc < 0)
		return rc;
	lv->model->incumbent = *mark;
	lv->model->change_cost = p->change_cost;
	*mark = NULL;
	if (target)
		rc = cover_solve_target(lv->model, p->target_pct / 100.0, p->capacity, p->seed,
					p->time_limit_s, &cpr, &lv->sol);
	else
		rc = cover_solve_budget(lv->model, sites < lv->cand.n ? sites : lv->cand.n, p->seed,
					p->time_limit_s, &cpr, &lv->sol);
	if (rc < 0) {
		snprintf(err, errlen, "solver failed: %s", rc == -EINVAL ?
			 "more fixed sites than the number of sites allowed" : "out of memory");
		return rc;
	}
	lv->total_weight = total_weight(lv->model);
	lv->covered_weight = cover_weight(lv->model, lv->sol.open, lv->sol.nopen, NULL);
	rc = cover_bound(lv->model, lv->sol.nopen, NULL, lv->sol.open, lv->sol.nopen,
			 p->bound_iterations, &lv->bound);
	lv->gap_pct = lv->bound > 0 ? 100.0 * (lv->bound - lv->covered_weight) / lv->bound : 0;
	lv->seconds = clock_now_s() - t0;
	return rc;
}

static void level_free(struct plan_level *lv)
{
	cover_model_free(lv->model);
	free(lv->group_area);
	candidates_free(&lv->cand);
	cover_solution_free(&lv->sol);
	memset(lv, 0, sizeof *lv);
}

void plan_result_free(struct plan_result *r)
{
	demand_free(&r->demand);
	level_free(&r->local);
	level_free(&r->regional);
	free(r->regions);
	free(r->areas);
	backup_plan_free(&r->backup);
	free(r->backup_area);
	memset(r, 0, sizeof *r);
}

int plan_compute(struct geom_ctx *g, struct plan_area *areas, size_t nareas,
		 int32_t (*region_of)(void *user, const char *gemeente_code), void *user,
		 size_t nregions, const struct plan_site_in *sites, size_t nsites,
		 const struct plan_params *p, const struct plan_progress *progress,
		 struct plan_result *out, char *err, size_t errlen)
{
	struct demand agg = {0};
	uint32_t *member = NULL;
	uint8_t *mark = NULL;
	const struct plan_incumbents *inc = p->incumbents;
	struct plan_prepare_times pt;
	double t0;
	int rc;

	memset(out, 0, sizeof *out);
	rc = plan_prepare(g, areas, nareas, region_of, user, sites, nsites, p, progress,
			  &out->demand, &out->local.cand, &pt, err, errlen);
	out->seconds_demand = pt.demand_s;
	out->seconds_candidates = pt.candidates_s;
	report(progress, "local", 0);
	if (rc == 0)
		rc = level_incumbents(&out->local, p, inc ? inc->local : NULL, inc ? inc->nlocal : 0,
				      &mark);
	if (rc == 0)
		rc = solve_level(&out->local, &out->demand, p, p->local_radius_m,
				 p->mode == PLAN_MODE_TARGET, p->local_sites, &mark, progress, err,
				 errlen);
	if (rc == 0 && p->mode == PLAN_MODE_BUDGET)   /* the budget solver ignores capacity */
		rc = cover_serve(out->local.model, p->capacity, &out->local.sol);
	report(progress, "regional", 0);
	if (rc == 0 && !(member = malloc((out->demand.n + 1) * sizeof *member)))
		rc = -ENOMEM;
	if (rc == 0)
		rc = aggregate(&out->demand, p->regional_block_m, &agg, member);
	if (rc == 0)
		rc = regional_candidates(&out->regional.cand, sites, nsites, &agg, areas, p);
	if (rc == 0) {
		free(mark);
		rc = level_incumbents(&out->regional, p, inc ? inc->regional : NULL,
				      inc ? inc->nregional : 0, &mark);
	}
	if (rc == 0)
		rc = solve_level(&out->regional, &agg, p, p->regional_radius_m, 0, p->regional_sites,
				 &mark, progress, err, errlen);
	t0 = clock_now_s();
	report(progress, "results", 0);
	if (rc == 0)
		rc = plan_results(out, areas, nareas, nregions, member, p, err, errlen);
	out->seconds_results = clock_now_s() - t0;
	t0 = clock_now_s();
	report(progress, "backup", 0);
	if (rc == 0)
		rc = plan_backup(out, areas, nareas, sites, nsites, p);
	out->seconds_backup = clock_now_s() - t0;
	demand_free(&agg);
	free(member);
	free(mark);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	report(progress, "done", 1);
	return rc;
}
