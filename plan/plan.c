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
 * NULL for a fresh plan), those inside an excluded hazard layer left out first (counted in
 * out->hazards); a scope round then keeps only the candidates inside its scope and the
 * incumbents outside it, fixed. */
static int level_incumbents(struct geom_ctx *g, struct plan_result *out, struct plan_level *lv,
			    const struct plan_params *p, const struct plan_incumbent *inc,
			    size_t n, uint8_t **mark, char *err, size_t errlen)
{
	*mark = NULL;
	if (!p->incumbents)
		return 0;
	struct plan_incumbent *kept = malloc((n ? n : 1) * sizeof *kept);
	int rc = kept ? 0 : -ENOMEM;
	if (rc == 0 && n)
		memcpy(kept, inc, n * sizeof *kept);
	if (rc == 0)
		rc = plan_hazard_incumbents(g, p->hazards, out->hazards, out->nhazards, kept, &n,
					    err, errlen);
	if (rc == 0)
		rc = plan_incumbents_mark(&lv->cand, kept, n, mark, &lv->match);
	if (rc == 0 && p->round_scope)
		plan_candidates_scope(&lv->cand, *mark, p->round_scope);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	free(kept);
	return rc;
}

/* The points of d that no candidate of c reaches with the level's radii, as a demand of
 * their own in *far (demand_free). 0 or negative errno with err. */
static int unreached(const struct demand *d, const struct candidates *c, const double radius[5],
		     double detour, struct demand *far, char *err, size_t errlen)
{
	struct cover_params cp = {.detour_factor = detour};
	struct cover_model *m = NULL;
	int32_t *ga = NULL;
	memcpy(cp.radius_m, radius, sizeof cp.radius_m);
	int rc = cover_build(d, c, &cp, &m, &ga, err, errlen);
	if (rc == 0)
		rc = demand_grow_exact(far, d->n ? d->n : 1);
	for (size_t i = 0; rc == 0 && i < d->n; i++) {
		if (m->dem_off[i + 1] > m->dem_off[i])
			continue;
		size_t k = far->n++;
		far->xy[2 * k] = d->xy[2 * i];
		far->xy[2 * k + 1] = d->xy[2 * i + 1];
		far->weight[k] = d->weight[i];
		far->residents[k] = d->residents[i];
		far->vulnerable[k] = d->vulnerable[i];
		far->urbanity[k] = d->urbanity[i];
		far->area[k] = d->area[i];
		far->gemeente[k] = d->gemeente[i];
		far->region[k] = d->region[i];
	}
	cover_model_free(m);
	free(ga);
	return rc;
}

/* Regional candidates: the imported sites of p->regional_kinds (fire stations by default;
 * none fixed: no existing regional points are imported), and generated positions on the
 * aggregated demand, in blocks four times the local ones, only where none of those sites
 * reaches: each such point is flagged by its origin in the plan. */
static int regional_candidates(struct candidates *c, const struct plan_site_in *sites,
			       size_t nsites, const struct demand *agg,
			       const struct plan_area *areas, const struct plan_params *p,
			       char *err, size_t errlen)
{
	struct demand far = {0};
	int rc = plan_site_candidates(c, sites, nsites, 0, p->regional_kinds);
	if (rc == 0 && p->generate_candidates)
		rc = unreached(agg, c, p->regional_radius_m, p->detour_factor, &far, err, errlen);
	if (rc == 0 && far.n)
		rc = candidates_generate(c, &far, areas, 4 * p->block_m);
	demand_free(&far);
	return rc;
}

static double total_weight(const struct cover_model *m)
{
	double s = 0;
	for (size_t i = 0; i < m->ndemand; i++)
		s += m->weight[i];
	return s;
}

/* How many open sites are generated positions, and what the open imported sites alone
 * cover (for the regional level: fire stations alone). 0 or -ENOMEM. */
static int sites_alone(struct plan_level *lv)
{
	uint32_t *only = malloc((lv->sol.nopen + 1) * sizeof *only);
	size_t n = 0;
	if (!only)
		return -ENOMEM;
	lv->open_generated = 0;
	for (size_t k = 0; k < lv->sol.nopen; k++) {
		uint32_t j = lv->sol.open[k];
		if (lv->cand.origin[j] == CAND_SITE)
			only[n++] = j;
		else
			lv->open_generated++;
	}
	lv->covered_by_sites = cover_weight(lv->model, only, n, NULL);
	free(only);
	return isnan(lv->covered_by_sites) ? -ENOMEM : 0;
}

/* Adds backup sites (cover_backup_extend, with a stable recompute's backup incumbents inc
 * or NULL) to the solved level, or with backup = 0 only records the weight covered twice.
 * The time limit is the level's search time. */
static int backup_level(struct plan_level *lv, size_t backup, const uint8_t *inc,
			const struct plan_params *p, const struct plan_progress *progress)
{
	if (backup == 0) {
		lv->twice.weight = lv->twice.base_weight =
			cover_twice_weight(lv->model, lv->sol.open, lv->sol.nopen, NULL);
		return isnan(lv->twice.weight) ? -ENOMEM : 0;
	}
	report(progress, "backup_sites", 0);
	return cover_backup_extend(lv->model, &lv->sol, backup, inc, p->time_limit_s, &lv->twice);
}

/* With backup sites asked for, a stable recompute's backup incumbents go to *backup_inc
 * ([n], 1 = one) and leave mark (the primary solve keeps the primary incumbents only);
 * without, they stay in mark and count as incumbents like the others. 0 or -ENOMEM. */
static int split_backup(uint8_t *mark, size_t n, size_t backup, uint8_t **backup_inc)
{
	*backup_inc = NULL;
	if (!mark || backup == 0)
		return 0;
	if (!(*backup_inc = calloc(n + 1, 1)))
		return -ENOMEM;
	for (size_t j = 0; j < n; j++)
		if (mark[j] == PLAN_MARK_BACKUP) {
			(*backup_inc)[j] = 1;
			mark[j] = 0;
		}
	return 0;
}

/* Builds the level's model (taking over *mark, the incumbents of a stable recompute, or
 * NULL) and solves it. */
static int solve_level(struct plan_level *lv, const struct demand *d, const struct plan_params *p,
		       const double radius[5], int target, size_t sites, size_t backup,
		       uint8_t **mark, const struct plan_progress *progress, char *err,
		       size_t errlen)
{
	struct cover_params cp = {.detour_factor = p->detour_factor};
	struct cover_progress cpr = {progress ? progress->fn : NULL, progress ? progress->user : NULL};
	double t0 = clock_now_s();
	memcpy(cp.radius_m, radius, sizeof cp.radius_m);
	uint8_t *backup_inc;
	int rc = split_backup(*mark, lv->cand.n, backup, &backup_inc);
	if (rc == 0)
		rc = cover_build(d, &lv->cand, &cp, &lv->model, &lv->group_area, err, errlen);
	if (rc < 0) {
		free(backup_inc);
		return rc;
	}
	lv->model->incumbent = *mark;
	lv->model->change_cost = p->change_cost;
	*mark = NULL;
	if (target)
		rc = cover_solve_target(lv->model, p->target_pct / 100.0, p->capacity, p->seed,
					p->time_limit_s, &cpr, &lv->sol);
	else
		rc = cover_solve_budget(lv->model, sites < lv->cand.n ? sites : lv->cand.n, p->seed,
					p->time_limit_s, &cpr, &lv->sol);
	lv->nprimary = lv->sol.nopen;
	if (rc == 0)
		rc = backup_level(lv, backup, backup_inc, p, progress);
	free(backup_inc);
	if (rc < 0) {
		snprintf(err, errlen, "solver failed: %s", rc == -EINVAL ?
			 "more fixed sites than the number of sites allowed" : "out of memory");
		return rc;
	}
	lv->total_weight = total_weight(lv->model);
	lv->covered_weight = cover_weight(lv->model, lv->sol.open, lv->sol.nopen, NULL);
	rc = sites_alone(lv);
	lv->seconds = clock_now_s() - t0;
	return rc;
}

static void level_free(struct plan_level *lv)
{
	cover_model_free(lv->model);
	free(lv->group_area);
	candidates_free(&lv->cand);
	cover_solution_free(&lv->sol);
	free(lv->funded);
	free(lv->hazard);
	memset(lv, 0, sizeof *lv);
}

/* ---- open sites by kind ---- */

struct id_kind {
	int64_t id;
	const char *kind;
};

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const struct id_kind *)a)->id, y = ((const struct id_kind *)b)->id;
	return (x > y) - (x < y);
}

/* The count of kind k in r (added when new). NULL when out of memory. */
static struct plan_kind_count *kind_slot(struct plan_result *r, const char *kind, size_t *cap)
{
	char k[sizeof r->kinds->kind];
	snprintf(k, sizeof k, "%s", kind);    /* as the slot holds it */
	for (size_t i = 0; i < r->nkinds; i++)
		if (strcmp(r->kinds[i].kind, k) == 0)
			return &r->kinds[i];
	if (r->nkinds == *cap) {
		size_t c = *cap ? 2 * *cap : 8;
		struct plan_kind_count *p = realloc(r->kinds, c * sizeof *p);
		if (!p)
			return NULL;
		r->kinds = p;
		*cap = c;
	}
	struct plan_kind_count *x = &r->kinds[r->nkinds++];
	memset(x, 0, sizeof *x);
	snprintf(x->kind, sizeof x->kind, "%s", k);
	return x;
}

static int count_level(struct plan_result *r, const struct plan_level *lv, int regional,
		       const struct id_kind *ik, size_t n, size_t *cap)
{
	for (size_t k = 0; k < lv->sol.nopen; k++) {
		uint32_t j = lv->sol.open[k];
		struct id_kind key = {lv->cand.site_id[j], NULL};
		const struct id_kind *hit = lv->cand.origin[j] == CAND_SITE && n
			? bsearch(&key, ik, n, sizeof *ik, by_id) : NULL;
		struct plan_kind_count *x = kind_slot(r, hit ? (hit->kind ? hit->kind : "other")
						      : lv->cand.origin[j] == CAND_SITE ? "other"
						      : "generated", cap);
		if (!x)
			return -ENOMEM;
		*(regional ? &x->regional : &x->local) += 1;
	}
	return 0;
}

static int by_kind(const void *a, const void *b)
{
	const struct plan_kind_count *x = a, *y = b;
	int gx = strcmp(x->kind, "generated") == 0, gy = strcmp(y->kind, "generated") == 0;
	return gx != gy ? gx - gy : strcmp(x->kind, y->kind);
}

/* r->kinds: the open sites of both levels by the kind of their site. 0 or -ENOMEM. */
static int kind_counts(struct plan_result *r, const struct plan_site_in *sites, size_t nsites)
{
	struct id_kind *ik = malloc((nsites ? nsites : 1) * sizeof *ik);
	size_t cap = 0;
	int rc = ik ? 0 : -ENOMEM;
	for (size_t j = 0; rc == 0 && j < nsites; j++)
		ik[j] = (struct id_kind){sites[j].id, sites[j].kind};
	if (rc == 0) {
		qsort(ik, nsites, sizeof *ik, by_id);
		rc = count_level(r, &r->local, 0, ik, nsites, &cap);
	}
	if (rc == 0)
		rc = count_level(r, &r->regional, 1, ik, nsites, &cap);
	if (rc == 0)
		qsort(r->kinds, r->nkinds, sizeof *r->kinds, by_kind);
	free(ik);
	return rc;
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
	free(r->kinds);
	free(r->generator_site);
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
	struct plan_bound_job local_bound = {0};
	double t0;
	int rc, brc;

	memset(out, 0, sizeof *out);
	rc = plan_prepare(g, areas, nareas, region_of, user, sites, nsites, p, progress,
			  &out->demand, &out->local.cand, &pt, out->hazards, &out->nhazards, err,
			  errlen);
	out->seconds_demand = pt.demand_s;
	out->seconds_candidates = pt.candidates_s;
	report(progress, "local", 0);
	if (rc == 0)
		rc = level_incumbents(g, out, &out->local, p, inc ? inc->local : NULL,
				      inc ? inc->nlocal : 0, &mark, err, errlen);
	if (rc == 0)
		rc = solve_level(&out->local, &out->demand, p, p->local_radius_m,
				 p->mode == PLAN_MODE_TARGET, p->local_sites, p->backup_sites, &mark,
				 progress, err, errlen);
	if (rc == 0 && p->mode == PLAN_MODE_BUDGET)   /* the budget solver ignores capacity */
		rc = cover_serve(out->local.model, p->capacity, &out->local.sol);
	if (rc == 0)     /* the national bound takes seconds: on the second core */
		rc = plan_bound_start(&local_bound, &out->local, p->bound_iterations, 1);
	report(progress, "regional", 0);
	if (rc == 0 && !(member = malloc((out->demand.n + 1) * sizeof *member)))
		rc = -ENOMEM;
	if (rc == 0)
		rc = aggregate(&out->demand, p->regional_block_m, &agg, member);
	if (rc == 0)
		rc = regional_candidates(&out->regional.cand, sites, nsites, &agg, areas, p, err,
					 errlen);
	if (rc == 0)
		rc = plan_prepare_hazards(g, p, 1, &out->regional.cand, out->hazards,
					  &out->nhazards, err, errlen);
	if (rc == 0) {
		free(mark);
		rc = level_incumbents(g, out, &out->regional, p, inc ? inc->regional : NULL,
				      inc ? inc->nregional : 0, &mark, err, errlen);
	}
	if (rc == 0)
		rc = solve_level(&out->regional, &agg, p, p->regional_radius_m, 0, p->regional_sites,
				 0, &mark, progress, err, errlen);
	if (rc == 0)     /* the regional model is small: at once */
		rc = plan_bound_now(&out->regional, p->bound_iterations);
	if (rc == 0)
		rc = plan_hazard_counts_init(p->hazards, p->hazard_flag, out->flags, &out->nflags,
					     err, errlen);
	if (rc == 0 && out->nflags)
		rc = plan_hazard_flag(g, p->hazards, out->flags, out->nflags, 0, &out->local.cand,
				      out->local.sol.open, out->local.sol.nopen, &out->local.hazard,
				      err, errlen);
	if (rc == 0 && out->nflags)
		rc = plan_hazard_flag(g, p->hazards, out->flags, out->nflags, 1,
				      &out->regional.cand, out->regional.sol.open,
				      out->regional.sol.nopen, &out->regional.hazard, err, errlen);
	if (rc == 0)
		rc = kind_counts(out, sites, nsites);
	if (rc == 0)
		rc = plan_fund_points(out, p);
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
	brc = plan_bound_finish(&local_bound, &out->local);
	rc = rc ? rc : brc;
	demand_free(&agg);
	free(member);
	free(mark);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	report(progress, "done", 1);
	return rc;
}
