/* Results of a computed plan: which demand is covered at each level, the distance to the
 * nearest local site, per-area figures summed up the hierarchy (area, buurt, wijk,
 * gemeente), and per-safety-region coverage with its own upper bound on a sub-model. */
#include "plan/plan_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/grid_index.h"
#include "plan/cover_exact.h"

#define NEAREST_MAX_M 100000.0

#define COV_OPEN 1                /* an open site reaches the point */
#define COV_FUNDED 2              /* an open site with funded power reaches it: in a blackout */
#define COV_TWICE 4               /* two or more open sites reach it (backup coverage) */

/* covered[i]: COV_OPEN and COV_FUNDED bits of demand point i (funded: per open site, may be
 * NULL = none funded). */
static uint8_t *covered_points(const struct cover_model *m, const struct cover_solution *s,
			       const uint8_t *funded)
{
	uint8_t *open = calloc(m->ncand + 1, 1), *cov = calloc(m->ndemand + 1, 1);
	if (!open || !cov) {
		free(open);
		free(cov);
		return NULL;
	}
	for (size_t k = 0; k < s->nopen; k++)
		open[s->open[k]] = COV_OPEN | (funded && funded[k] ? COV_FUNDED : 0);
	for (size_t i = 0; i < m->ndemand; i++)
		for (uint32_t e = m->dem_off[i];
		     e < m->dem_off[i + 1] && cov[i] != (COV_OPEN | COV_FUNDED); e++)
			cov[i] |= open[m->dem_cand[e]];
	free(open);
	return cov;
}

/* Adds COV_TWICE to cov[i] where two or more open sites of s reach point i. 0 or -ENOMEM. */
static int mark_twice(const struct cover_model *m, const struct cover_solution *s, uint8_t *cov)
{
	uint8_t *count = malloc(m->ndemand + 1);
	if (!count)
		return -ENOMEM;
	cover_reach_counts(m, s->open, s->nopen, count);
	for (size_t i = 0; i < m->ndemand; i++)
		cov[i] |= count[i] >= 2 ? COV_TWICE : 0;
	free(count);
	return 0;
}

/* Distance from each demand point to the nearest open local site (NaN beyond 100 km). */
static double *nearest_site(const struct demand *d, const struct plan_level *lv)
{
	double *xy = malloc((lv->sol.nopen + 1) * 2 * sizeof *xy);
	double *dist = malloc((d->n + 1) * sizeof *dist);
	struct grid_index *gi = NULL;
	if (xy && dist) {
		for (size_t k = 0; k < lv->sol.nopen; k++) {
			xy[2 * k] = lv->cand.xy[2 * lv->sol.open[k]];
			xy[2 * k + 1] = lv->cand.xy[2 * lv->sol.open[k] + 1];
		}
		gi = grid_index_new(xy, lv->sol.nopen, 2000);
	}
	for (size_t i = 0; gi && i < d->n; i++) {
		double dm = NAN;
		if (grid_index_nearest(gi, d->xy[2 * i], d->xy[2 * i + 1], NEAREST_MAX_M, &dm) < 0)
			dm = NAN;
		dist[i] = dm;
	}
	if (!gi) {
		free(dist);
		dist = NULL;
	}
	grid_index_free(gi);
	free(xy);
	return dist;
}

static void add_point(struct plan_area_result *r, const struct demand *d, size_t i,
		      uint8_t covbits, uint8_t rcovbits, double dist)
{
	double res = d->residents[i];
	int cov = covbits & COV_OPEN, rcov = rcovbits & COV_OPEN;
	r->blackout_covered_residents += covbits & COV_FUNDED ? res : 0;
	r->blackout_regional_covered_residents += rcovbits & COV_FUNDED ? res : 0;
	r->twice_covered_residents += covbits & COV_TWICE ? res : 0;
	r->residents += res;
	r->weight += d->weight[i];
	r->covered_residents += cov ? res : 0;
	r->uncovered_residents += cov ? 0 : res;
	r->vulnerable += d->vulnerable[i];
	r->vulnerable_uncovered += cov ? 0 : d->vulnerable[i];
	r->regional_covered_residents += rcov ? res : 0;
	if (dist == dist)
		r->dist_sum += res * dist;
}

static void area_results(struct plan_result *out, const struct plan_area *areas,
			 const uint8_t *cov, const uint8_t *rcov, const uint32_t *member,
			 const double *dist)
{
	const struct demand *d = &out->demand;
	for (size_t i = 0; i < d->n; i++) {
		const struct plan_area *a = &areas[d->area[i]];
		int32_t chain[4] = {d->area[i], a->buurt, a->wijk, a->gemeente};
		for (int k = 0; k < 4; k++) {
			int dup = chain[k] < 0;
			for (int q = 0; q < k && !dup; q++)
				dup = chain[q] == chain[k];
			if (!dup)
				add_point(&out->areas[chain[k]], d, i, cov[i], rcov[member[i]],
					  dist ? dist[i] : NAN);
		}
	}
	for (size_t a = 0; a < out->nareas; a++) {
		struct plan_area_result *r = &out->areas[a];
		r->mean_dist_m = r->residents > 0 ? r->dist_sum / r->residents : NAN;
	}
}

struct cover_model *plan_submodel(const struct cover_model *m, const uint8_t *mask,
				  const uint32_t *open, size_t nopen, uint32_t **open_out,
				  size_t *nopen_out)
{
	uint32_t *pid = malloc((m->ndemand + 1) * sizeof *pid);
	uint32_t *cid = malloc((m->ncand + 1) * sizeof *cid);
	size_t np = 0, nc = 0, nnz = 0;
	struct cover_model *s = NULL;
	*open_out = NULL;
	*nopen_out = 0;
	if (!pid || !cid)
		goto done;
	for (size_t i = 0; i < m->ndemand; i++)
		pid[i] = mask[i] ? (uint32_t)np++ : UINT32_MAX;
	for (size_t j = 0; j < m->ncand; j++) {
		size_t k = 0;
		for (uint32_t e = m->cand_off[j]; e < m->cand_off[j + 1]; e++)
			k += mask[m->cand_dem[e]] != 0;
		cid[j] = k ? (uint32_t)nc++ : UINT32_MAX;
		nnz += k;
	}
	if (!(s = cover_model_new(np, nc, nnz, m->ngroups)) ||
	    !(*open_out = malloc((nopen + 1) * sizeof **open_out)))
		goto fail;
	for (size_t i = 0; i < m->ndemand; i++)
		if (pid[i] != UINT32_MAX) {
			s->weight[pid[i]] = m->weight[i];
			s->residents[pid[i]] = m->residents[i];
			s->group[pid[i]] = m->group[i];
		}
	size_t e2 = 0;
	for (size_t j = 0; j < m->ncand; j++) {
		if (cid[j] == UINT32_MAX)
			continue;
		s->cand_off[cid[j]] = (uint32_t)e2;
		s->fixed[cid[j]] = m->fixed[j];
		s->cand_group[cid[j]] = m->cand_group[j];
		for (uint32_t e = m->cand_off[j]; e < m->cand_off[j + 1]; e++)
			if (mask[m->cand_dem[e]]) {
				s->cand_dem[e2] = pid[m->cand_dem[e]];
				s->cand_dist_m[e2++] = m->cand_dist_m[e];
			}
	}
	s->cand_off[nc] = (uint32_t)e2;
	if (cover_model_transpose(s) < 0)
		goto fail;
	for (size_t k = 0; k < nopen; k++)
		if (cid[open[k]] != UINT32_MAX)
			(*open_out)[(*nopen_out)++] = cid[open[k]];
	goto done;
fail:
	cover_model_free(s);
	s = NULL;
	free(*open_out);
	*open_out = NULL;
done:
	free(pid);
	free(cid);
	return s;
}

const char *plan_bound_method_name(enum plan_bound_method m)
{
	return m == PLAN_BOUND_OPTIMUM ? "optimum" : m == PLAN_BOUND_MIP ? "mip"
	     : m == PLAN_BOUND_COVER ? "cover" : "lagrangian";
}

/* The region's sub-model s solved by CBC for the plan's number of sites (warm-started with
 * the plan's): a proven optimum replaces the Lagrangian bound, else the tighter of the two
 * bounds is kept. */
static int region_exact(const struct cover_model *s, const uint32_t *open, size_t nopen,
			double limit_s, struct plan_region_result *r, char *err, size_t errlen)
{
	struct cover_exact_result x = {0};
	int rc = cover_exact_budget(s, nopen, open, nopen, limit_s, &x, err, errlen);
	if (rc == 0) {
		r->best_weight = x.covered_weight;
		r->exact_s = x.seconds;
		r->bound_method = x.optimal ? PLAN_BOUND_OPTIMUM : PLAN_BOUND_MIP;
		r->bound = x.optimal ? x.covered_weight : fmin(r->bound, x.bound);
		r->bound = fmax(r->bound, fmax(x.covered_weight, r->covered_weight));
	}
	cover_exact_result_free(&x);
	return rc;
}

static int region_bound(const struct cover_model *m, const struct cover_solution *sol,
			const uint8_t *mask, int iterations, double exact_limit_s,
			struct plan_region_result *r, char *err, size_t errlen)
{
	uint32_t *open = NULL;
	size_t nopen = 0;
	struct cover_model *s = plan_submodel(m, mask, sol->open, sol->nopen, &open, &nopen);
	int rc = s ? 0 : -ENOMEM, optimal = 0;
	r->best_weight = NAN;
	if (rc == 0) {
		r->covered_weight = cover_weight(s, open, nopen, NULL);
		rc = cover_bound_proof(s, nopen, NULL, open, nopen, iterations, &r->bound,
				       &optimal);
	}
	if (rc == 0 && optimal && s->ndemand > 0) {   /* proven: CBC has nothing to add */
		r->bound_method = PLAN_BOUND_COVER;
		r->best_weight = r->bound;
	} else if (rc == 0 && exact_limit_s > 0 && s->ndemand > 0) {
		rc = region_exact(s, open, nopen, exact_limit_s, r, err, errlen);
	}
	r->gap_pct = r->bound > 0 ? 100.0 * (r->bound - r->covered_weight) / r->bound : 0;
	cover_model_free(s);
	free(open);
	return rc;
}

static void count_sites(const struct plan_level *lv, const struct plan_area *areas,
			struct plan_region_result *reg, size_t nregions, int regional)
{
	for (size_t k = 0; k < lv->sol.nopen; k++) {
		int32_t gm = lv->cand.gemeente[lv->sol.open[k]];
		int32_t r = gm >= 0 ? areas[gm].region : -1;
		if (r >= 0 && (size_t)r < nregions) {
			if (regional)
				reg[r].regional_sites++;
			else
				reg[r].local_sites++;
		}
	}
}

static int region_results(struct plan_result *out, const struct plan_area *areas,
			  size_t nregions, const uint8_t *cov, const struct plan_params *p,
			  char *err, size_t errlen)
{
	const struct demand *d = &out->demand;
	uint8_t *mask = malloc(d->n + 1);
	int rc = mask ? 0 : -ENOMEM;
	for (size_t r = 0; r < nregions && rc == 0; r++) {
		struct plan_region_result *reg = &out->regions[r];
		for (size_t i = 0; i < d->n; i++) {
			mask[i] = d->region[i] == (int32_t)r;
			reg->weight += mask[i] ? d->weight[i] : 0;
			reg->residents += mask[i] ? d->residents[i] : 0;
			reg->covered_residents += mask[i] && (cov[i] & COV_OPEN) ? d->residents[i] : 0;
			reg->blackout_covered_residents +=
				mask[i] && (cov[i] & COV_FUNDED) ? d->residents[i] : 0;
			reg->twice_covered_residents +=
				mask[i] && (cov[i] & COV_TWICE) ? d->residents[i] : 0;
		}
		double exact_s = p->exact_mask && p->exact_mask[r] ? p->exact_time_limit_s : 0;
		rc = region_bound(out->local.model, &out->local.sol, mask, p->bound_iterations,
				  exact_s, reg, err, errlen);
	}
	count_sites(&out->local, areas, out->regions, nregions, 0);
	count_sites(&out->regional, areas, out->regions, nregions, 1);
	free(mask);
	return rc;
}

int plan_results(struct plan_result *out, const struct plan_area *areas, size_t nareas,
		 size_t nregions, const uint32_t *member,
		 const struct plan_params *p, char *err, size_t errlen)
{
	uint8_t *cov = covered_points(out->local.model, &out->local.sol, out->local.funded);
	uint8_t *rcov = covered_points(out->regional.model, &out->regional.sol,
				       out->regional.funded);
	double *dist = nearest_site(&out->demand, &out->local);
	int rc = -ENOMEM;
	out->nareas = nareas;
	out->nregions = nregions;
	out->areas = calloc(nareas + 1, sizeof *out->areas);
	out->regions = calloc(nregions + 1, sizeof *out->regions);
	if (cov && rcov && dist && out->areas && out->regions &&
	    mark_twice(out->local.model, &out->local.sol, cov) == 0) {
		area_results(out, areas, cov, rcov, member, dist);
		for (size_t i = 0; i < out->demand.n; i++) {
			double res = out->demand.residents[i];
			out->covered_residents += cov[i] & COV_OPEN ? res : 0;
			out->blackout_covered_residents += cov[i] & COV_FUNDED ? res : 0;
			out->twice_covered_residents += cov[i] & COV_TWICE ? res : 0;
			out->blackout_regional_covered_residents +=
				rcov[member[i]] & COV_FUNDED ? res : 0;
		}
		rc = region_results(out, areas, nregions, cov, p, err, errlen);
	}
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory computing results");
	free(cov);
	free(rcov);
	free(dist);
	return rc;
}
