/* whatif's failed areas: which planned sites lie inside a region code, a box, a drawn
 * polygon (checked by geo/user_polygon.c: valid, in the Netherlands) or an imported hazard
 * layer (the parts the model loaded with the plan), which candidates
 * lie outside it (where replacements may go), and the regional coverage the failed
 * regional points take with them. Works on per-request arrays; the model is never
 * changed. */
#include "daemon/rpc/methods.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "geo/grid_index.h"
#include "geo/locate.h"
#include "geo/user_polygon.h"

/* The area as a test: a selection, or the polygon in a one-polygon locator. */
struct fail_area {
	struct selection sel;
	struct locator *loc;          /* NULL: use sel */
};

static int area_has(const struct served *s, const struct fail_area *a, double x, double y,
		    int32_t gemeente)
{
	if (a->loc)
		return locator_find(a->loc, x, y) >= 0;
	struct served_site probe = {.x = x, .y = y, .gemeente = gemeente};
	return selection_has_site(s, &a->sel, &probe);
}

static int polygon_area(const struct served *s, const struct params_polygon *p,
			struct fail_area *a, struct rpc_error *e)
{
	struct user_rings r = {p->lonlat, p->ring_len, p->ring_poly, p->nrings};
	uint8_t *wkb = NULL;
	size_t len = 0;
	char err[256];
	int rc = geo_user_polygon(s->g, s->crs, &r, &wkb, &len, err, sizeof err);
	if (rc == -ENOMEM)
		return rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
	if (rc < 0)
		return rpc_fail(e, RPC_INVALID_PARAMS, "fail.polygon: %s", err);
	if (!(a->loc = locator_new(s->g)) || locator_add(a->loc, wkb, len, 0, err, sizeof err) < 0) {
		free(wkb);
		return rpc_fail(e, RPC_INTERNAL_ERROR, "fail.polygon: %s", a->loc ? err : "out of memory");
	}
	free(wkb);
	return 0;
}

/* Every part of an imported hazard layer, in one locator. */
static int hazard_area(const struct served *s, const char *name, struct fail_area *a,
		       struct rpc_error *e)
{
	char err[256];
	if (!plan_hazards_has(&s->hazards, name))
		return rpc_fail(e, RPC_INVALID_PARAMS, "fail.hazard: hazard layer %s is not "
				"imported (hubplannerd hazard-list shows the layers; one imported "
				"since the plan was loaded needs a reload)", name);
	if (!(a->loc = plan_hazard_locator(s->g, &s->hazards, name, err, sizeof err)))
		return rpc_fail(e, RPC_INTERNAL_ERROR, "fail.hazard: %s", err);
	return 0;
}

/* A drawn area must touch the plan: a polygon with no site, resident or candidate inside
 * lies outside the Netherlands (or in empty water). */
static int touches_plan(const struct served *s, const struct fail_area *a, size_t nfailed)
{
	if (nfailed)
		return 1;
	for (size_t i = 0; i < s->demand.n; i++)
		if (area_has(s, a, s->demand.xy[2 * i], s->demand.xy[2 * i + 1], -1))
			return 1;
	return 0;
}

int methods_fail_area(const struct served *s, const struct whatif_fail *f,
		      struct methods_failure *out, struct rpc_error *e)
{
	struct fail_area a = {0};
	int rc = 0;
	*out = (struct methods_failure){0};
	if (f->kind == WHATIF_FAIL_NONE)
		return 0;
	if (f->kind == WHATIF_FAIL_HAZARD)
		rc = hazard_area(s, f->hazard, &a, e);
	else
		rc = f->kind == WHATIF_FAIL_POLYGON ? polygon_area(s, &f->polygon, &a, e)
						    : methods_selection(s, &f->where, &a.sel, e);
	out->site = calloc(s->nsites + 1, 1);
	out->cand_outside = calloc(s->cand.n + 1, 1);
	if (rc == 0 && (!out->site || !out->cand_outside))
		rc = rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
	for (size_t k = 0; rc == 0 && k < s->nsites; k++) {
		const struct served_site *x = &s->sites[k];
		out->site[k] = (uint8_t)area_has(s, &a, x->x, x->y, x->gemeente);
		*(x->level == 1 ? &out->nlocal : &out->nregional) += out->site[k];
	}
	for (size_t j = 0; rc == 0 && j < s->cand.n; j++)
		out->cand_outside[j] = !area_has(s, &a, s->cand.xy[2 * j], s->cand.xy[2 * j + 1],
						 s->cand.gemeente[j]);
	if (rc == 0 && f->kind == WHATIF_FAIL_POLYGON &&
	    !touches_plan(s, &a, out->nlocal + out->nregional))
		rc = rpc_fail(e, RPC_INVALID_PARAMS, "fail.polygon holds none of the plan's sites "
			      "and residents: it lies outside the Netherlands or on empty land or "
			      "water");
	locator_free(a.loc);
	if (rc < 0)
		methods_failure_free(out);
	return rc;
}

void methods_failure_free(struct methods_failure *f)
{
	free(f->site);
	free(f->cand_outside);
	*f = (struct methods_failure){0};
}

/* ---- regional coverage lost with the failed regional points ---- */

struct still_state {
	const struct served *s;
	const uint8_t *failed;
	int found;
};

static int still_cb(void *user, uint32_t i, double d)
{
	struct still_state *t = user;
	(void)d;
	t->found = !t->failed[t->s->site_ix[1][i]];
	return t->found;
}

/* 1 when a failed regional point reaches demand point i and no other regional point does
 * (failed_k: the failed regional points' site indices). */
static int loses_regional(const struct served *s, const uint8_t *failed, const size_t *failed_k,
			  size_t nfailed, size_t i)
{
	double r = served_radius(s, 2, s->demand.urbanity[i]);
	double x = s->demand.xy[2 * i], y = s->demand.xy[2 * i + 1];
	int reached = 0;
	for (size_t q = 0; q < nfailed && !reached; q++) {
		double dx = s->sites[failed_k[q]].x - x, dy = s->sites[failed_k[q]].y - y;
		reached = dx * dx + dy * dy <= r * r;
	}
	if (!reached)
		return 0;
	struct still_state left = {s, failed, 0};
	grid_index_radius(s->site_index[1], x, y, r, still_cb, &left);
	return !left.found;
}

double methods_fail_regional_lost(const struct served *s, const struct methods_failure *f,
				  double *by_area)
{
	double lost = 0;
	size_t *failed_k = f->site && f->nregional ? malloc(f->nregional * sizeof *failed_k) : NULL;
	size_t n = 0;
	if (!failed_k || !s->site_index[1]) {
		free(failed_k);
		return f->nregional ? NAN : 0;
	}
	for (size_t k = 0; k < s->nsites; k++)
		if (f->site[k] && s->sites[k].level == 2)
			failed_k[n++] = k;
	for (size_t i = 0; i < s->demand.n; i++) {
		if (!loses_regional(s, f->site, failed_k, n, i))
			continue;
		lost += s->demand.residents[i];
		if (by_area)
			by_area[s->areas[s->demand.area[i]].gemeente >= 0
				? s->areas[s->demand.area[i]].gemeente : s->demand.area[i]] +=
				s->demand.residents[i];
	}
	free(failed_k);
	return lost;
}
