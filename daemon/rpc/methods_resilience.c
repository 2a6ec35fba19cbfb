/* The resilience method: the single points of failure of the served plan in a safety
 * region or area. model/resilience.c computes them (how many residents one site alone
 * covers, which sites they depend on, ranked); this file resolves the request's region on
 * the plan and renders that result as the reply. It never changes the model. */
#include "daemon/rpc/methods.h"

#include <math.h>

#include "model/resilience.h"
#include "util/fmt.h"

/* {"residents","vulnerable","weight","points","residents_pct"} of a tally; pct of total. */
static json_t *tally_json(const struct resilience_tally *t, double total)
{
	return json_pack("{s:f, s:f, s:f, s:I, s:f}", "residents", fmt_round(t->residents, 1),
			 "vulnerable", fmt_round(t->vulnerable, 1), "weight",
			 fmt_round(t->weight, 1), "points", (json_int_t)t->points, "residents_pct",
			 total > 0 ? fmt_round(100 * t->residents / total, 3) : 0.0);
}

/* One level's counts: the selection's demand reached by no, one, two or more sites. */
static json_t *level_json(const struct resilience_level *l)
{
	double total = l->total.residents;
	return json_pack("{s:o, s:o, s:o, s:o}", "total", tally_json(&l->total, total),
			 "uncovered", tally_json(&l->none, total), "once",
			 tally_json(&l->once, total), "twice_or_more",
			 tally_json(&l->multiple, total));
}

static json_t *areas_json(const struct served *s, const struct resilience_site *r)
{
	json_t *a = json_array();
	for (size_t k = 0; a && k < r->nareas; k++) {
		json_t *o = methods_area_json(s, r->areas[k].area);
		json_object_set_new(o, "residents", json_real(fmt_round(r->areas[k].residents, 1)));
		json_array_append_new(a, o);
	}
	return a;
}

/* A ranked site: its rank, what it alone covers (pct of the selection's residents), its
 * most affected areas, whether it lies in the selection, is designated, and its
 * properties as `sites` gives them, with its position in degrees. */
static json_t *site_json(const struct served *s, const struct resilience_site *r, size_t rank,
			 double total)
{
	const struct served_site *site = &s->sites[r->site];
	json_t *props = methods_site_properties(s, site);
	if (props && isfinite(site->lat) && isfinite(site->lon)) {
		json_object_set_new(props, "lat", json_real(fmt_round(site->lat, 7)));
		json_object_set_new(props, "lon", json_real(fmt_round(site->lon, 7)));
	}
	return json_pack("{s:I, s:o, s:b, s:b, s:o, s:o}", "rank", (json_int_t)rank, "site", props,
			 "inside", r->inside, "designated", r->designated, "alone",
			 tally_json(&r->alone, total), "areas", areas_json(s, r));
}

static json_t *result_json(const struct served *s, const struct selection *sel,
			   const struct resilience *r)
{
	json_t *sites = json_array();
	double total = r->local.total.residents;
	for (size_t k = 0; sites && k < r->nranked; k++)
		json_array_append_new(sites, site_json(s, &r->ranked[k], k + 1, total));
	return json_pack("{s:s, s:I, s:o, s:o, s:I, s:I, s:o}", "region", sel->label, "plan_id",
			 (json_int_t)s->plan_id, "local", level_json(&r->local), "regional",
			 level_json(&r->regional), "local_sites", (json_int_t)r->local_sites,
			 "sole_sites", (json_int_t)r->sole_sites, "sites", sites);
}

static int m_resilience(struct rpc_ctx *ctx, const union params_any *pa, json_t **result,
			struct rpc_error *e)
{
	const struct resilience_params *p = &pa->resilience;
	const struct served *s = ctx->plan;
	struct params_where where = {.kind = PARAMS_WHERE_REGION, .region = p->region};
	struct selection sel;
	struct resilience r;
	if (methods_selection(s, &where, &sel, e) < 0)
		return -1;
	if (resilience_compute(s, &sel, p->limit, &r) < 0)
		return rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
	*result = result_json(s, &sel, &r);
	resilience_free(&r);
	return *result ? 0 : rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
}

const struct rpc_method methods_resilience[] = {
	{"resilience", 0, 1, &params_resilience, m_resilience},
	{NULL, 0, 0, NULL, NULL},
};
