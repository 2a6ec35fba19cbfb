/* What-if and suggestions on the published plan: the change in covered residents when
 * sites are added, removed or fail with an area (methods_fail.c), the replacements outside
 * a failed area, and the k best new sites of a selection, each gain given the ones before.
 * Work on per-request copies of the coverage counts; the model is never changed. */
#include "daemon/rpc/methods.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/store_status.h"
#include "geo/grid_index.h"
#include "model/served_status.h"
#include "util/fmt.h"

struct delta {
	const struct served *s;
	int16_t *change;              /* per demand point: sites added minus removed */
	int sign;
};

static void delta_cb(void *user, uint32_t i)
{
	struct delta *t = user;
	t->change[i] = (int16_t)(t->change[i] + t->sign);
}

static void apply(struct delta *t, double x, double y, int sign)
{
	t->sign = sign;
	served_each_reached(t->s, x, y, delta_cb, t);
}

/* A rejected site is never proposed again, not even as a what-if: adding it (or anything
 * within 25 m of it) is refused, naming the site and how to release it. */
static int refuse_rejected(const struct served *s, const char *what, double x, double y,
			   struct rpc_error *e)
{
	const struct plan_status *r = served_rejected_near(s, x, y);
	if (!r)
		return 0;
	if (r->site_id < 0)
		return rpc_fail(e, RPC_INVALID_PARAMS, "%s: x=%.1f y=%.1f is within %.0f m of a "
				"rejected site (at x=%.1f y=%.1f, not in the current import): it is "
				"never proposed", what, x, y, SERVED_REJECTED_RADIUS_M, r->x, r->y);
	return rpc_fail(e, RPC_INVALID_PARAMS, "%s: x=%.1f y=%.1f is within %.0f m of rejected "
			"site %lld: it is never proposed; `hubctl release %lld` first to consider "
			"it again", what, x, y, SERVED_REJECTED_RADIUS_M, (long long)r->site_id,
			(long long)r->site_id);
}

/* Applies the typed changes: each added point or candidate, each removed local site (the
 * parser refused duplicates; ids and seqs are checked against the plan here). */
static int read_changes(const struct served *s, const struct whatif_params *p,
			struct delta *t, struct rpc_error *e)
{
	char what[32];
	for (size_t k = 0; k < p->nadd; k++) {
		const struct whatif_add *a = &p->add[k];
		double x, y;
		snprintf(what, sizeof what, "add[%zu]", k);
		if (a->is_candidate) {
			if (a->candidate < 0 || (unsigned long long)a->candidate >= s->cand.n)
				return rpc_fail(e, RPC_NOT_FOUND, "%s: no candidate %lld", what,
						a->candidate);
			x = s->cand.xy[2 * a->candidate];
			y = s->cand.xy[2 * a->candidate + 1];
		} else if (methods_point(s, &a->point, what, &x, &y, e) < 0) {
			return -1;
		}
		if (refuse_rejected(s, what, x, y, e) < 0)
			return -1;
		apply(t, x, y, +1);
	}
	for (size_t k = 0; k < p->nremove; k++) {
		long long seq = p->remove[k];
		if (seq < 1 || (unsigned long long)seq > s->nlocal)
			return rpc_fail(e, RPC_NOT_FOUND, "remove[%zu]: no local site with seq %lld", k,
					seq);
		apply(t, s->sites[seq - 1].x, s->sites[seq - 1].y, -1);
	}
	return 0;
}

/* Removing a designated site is allowed as a question, but the reply says loudly that a
 * municipality has confirmed it: "designated": true and one warning per such site. */
static void designated_warnings(const struct served *s, const struct whatif_params *p,
				json_t *result)
{
	json_t *warnings = json_array();
	for (size_t k = 0; k < p->nremove; k++) {
		const struct served_site *site = &s->sites[p->remove[k] - 1];
		if (served_status_of(s, site->site_id) != STORE_STATUS_DESIGNATED)
			continue;
		json_array_append_new(warnings, json_sprintf(
			"remove[%zu]: local site %d (site %lld%s%s) is designated: a municipality "
			"confirmed it and every plan keeps it", k, site->seq, (long long)site->site_id,
			site->name ? ", " : "", site->name ? site->name : ""));
	}
	json_object_set_new(result, "designated", json_boolean(json_array_size(warnings) > 0));
	if (json_array_size(warnings) > 0)
		json_object_set_new(result, "warnings", warnings);
	else
		json_decref(warnings);
}

/* The failed local sites leave the coverage counts (a site also listed in "remove" once). */
static void apply_failed(const struct served *s, const struct whatif_params *p,
			 const struct methods_failure *f, struct delta *t)
{
	for (size_t k = 0; f->site && k < s->nlocal; k++) {
		int removed = 0;
		for (size_t q = 0; q < p->nremove && !removed; q++)
			removed = p->remove[q] == s->sites[k].seq;
		if (f->site[k] && !removed)
			apply(t, s->sites[k].x, s->sites[k].y, -1);
	}
}

/* Adds the residents who change coverage to gained/lost and per area. */
static void count_changes(const struct served *s, const struct delta *t, double *by_area,
			  double *gained, double *lost)
{
	for (size_t i = 0; i < s->demand.n; i++) {
		int before = s->cover_count[i] > 0, after = s->cover_count[i] + t->change[i] > 0;
		if (before == after)
			continue;
		double r = s->demand.residents[i] * (after ? 1 : -1);
		*gained += after ? r : 0;
		*lost -= after ? 0 : r;
		int32_t a = s->demand.area[i];
		const int32_t chain[] = {s->areas[a].gemeente, s->areas[a].wijk,
					 s->areas[a].level >= 3 ? a : -1};
		for (int c = 0; c < 3; c++)
			if (chain[c] >= 0)
				by_area[chain[c]] += r;
	}
}

static json_t *areas_changed(const struct served *s, const double *by_area)
{
	json_t *areas = json_array();
	for (size_t a = 0; a < s->nareas; a++)
		if (fabs(by_area[a]) > 1e-9) {
			json_t *o = methods_area_json(s, (int32_t)a);
			json_object_set_new(o, "change", json_real(fmt_round(by_area[a], 1)));
			json_array_append_new(areas, o);
		}
	return areas;
}

static json_t *replacements(const struct served *s, const struct methods_failure *f,
			    const struct delta *t, int k);

/* "failed": the sites inside the failed area, the regional coverage they take with them
 * and the best replacements outside it. */
static json_t *failed_json(const struct served *s, const struct methods_failure *f,
			   const struct delta *t, int replace)
{
	json_t *sites = json_array();
	for (size_t k = 0; k < s->nsites; k++)
		if (f->site[k])
			json_array_append_new(sites, methods_site_feature(s, &s->sites[k]));
	double regional = methods_fail_regional_lost(s, f, NULL);
	return json_pack("{s:I, s:I, s:o, s:o, s:o}", "local_sites", (json_int_t)f->nlocal,
			 "regional_sites", (json_int_t)f->nregional, "sites", sites,
			 "regional_lost", isfinite(regional) ? json_real(fmt_round(regional, 1))
							     : json_null(),
			 "replacements", replacements(s, f, t, replace));
}

static int m_whatif(struct rpc_ctx *ctx, const union params_any *pa, json_t **result,
		    struct rpc_error *e)
{
	const struct served *s = ctx->plan;
	struct methods_failure f;
	if (methods_fail_area(s, &pa->whatif.fail, &f, e) < 0)
		return -1;
	struct delta t = {s, calloc(s->demand.n + 1, sizeof(int16_t)), 0};
	double *by_area = calloc(s->nareas + 1, sizeof *by_area), gained = 0, lost = 0;
	int rc = t.change && by_area ? read_changes(s, &pa->whatif, &t, e)
				     : rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
	if (rc == 0) {
		apply_failed(s, &pa->whatif, &f, &t);
		count_changes(s, &t, by_area, &gained, &lost);
		*result = json_pack("{s:f, s:f, s:f, s:o}", "gained", fmt_round(gained, 1), "lost",
				    fmt_round(lost, 1), "net", fmt_round(gained - lost, 1),
				    "areas", areas_changed(s, by_area));
		designated_warnings(s, &pa->whatif, *result);
		if (f.site)
			json_object_set_new(*result, "failed",
					    failed_json(s, &f, &t, pa->whatif.replace));
	}
	methods_failure_free(&f);
	free(t.change);
	free(by_area);
	return rc;
}

/* ---- suggest ---- */

struct gain_state {
	const struct served *s;
	const uint8_t *covered;       /* per demand point: reached by the plan or a pick */
	double weight, residents;
};

static void gain_cb(void *user, uint32_t i)
{
	struct gain_state *g = user;
	if (!g->covered[i]) {
		g->weight += g->s->demand.weight[i];
		g->residents += g->s->demand.residents[i];
	}
}

static void mark_cb(void *user, uint32_t i)
{
	uint8_t *covered = user;
	covered[i] = 1;
}

static struct gain_state gain_of(const struct served *s, const uint8_t *covered, size_t j)
{
	struct gain_state g = {s, covered, 0, 0};
	served_each_reached(s, s->cand.xy[2 * j], s->cand.xy[2 * j + 1], gain_cb, &g);
	return g;
}

struct lazy {
	uint32_t j;
	int round;                    /* the pick round the gain was computed in */
	double weight;
};

static int lazy_cmp(const void *a, const void *b)
{
	const struct lazy *x = a, *y = b;
	if (x->weight != y->weight)
		return x->weight < y->weight ? 1 : -1;
	return (x->j > y->j) - (x->j < y->j);
}

/* Lazy greedy: gains only shrink as picks cover demand, so a stale gain is an upper bound;
 * the best candidate is the first whose gain, recomputed now, still leads the list. */
static int64_t lazy_pick(const struct served *s, struct lazy *l, size_t n, int round,
			 const uint8_t *covered, struct gain_state *best)
{
	while (n > 0 && l[0].weight > 0) {
		if (l[0].round == round) {
			*best = gain_of(s, covered, l[0].j);
			int64_t j = l[0].j;
			l[0].weight = -1;     /* picked: sinks to the end */
			qsort(l, n, sizeof *l, lazy_cmp);
			return j;
		}
		struct gain_state g = gain_of(s, covered, l[0].j);
		l[0].weight = g.weight;
		l[0].round = round;
		/* Move the refreshed entry down to its place (the list stays sorted). */
		for (size_t k = 0; k + 1 < n && lazy_cmp(&l[k], &l[k + 1]) > 0; k++) {
			struct lazy tmp = l[k];
			l[k] = l[k + 1];
			l[k + 1] = tmp;
		}
	}
	return -1;
}

static struct lazy *initial_gains(const struct served *s, const uint8_t *in_sel,
				  const uint8_t *covered, size_t *n)
{
	struct lazy *l = malloc((s->cand.n + 1) * sizeof *l);
	*n = 0;
	for (size_t j = 0; l && j < s->cand.n; j++)
		if (in_sel[j])
			l[(*n)++] = (struct lazy){(uint32_t)j, 0, gain_of(s, covered, j).weight};
	if (l)
		qsort(l, *n, sizeof *l, lazy_cmp);
	return l;
}

static uint8_t *candidates_in(const struct served *s, const struct selection *sel)
{
	uint8_t *in = calloc(s->cand.n + 1, 1);
	for (size_t j = 0; in && j < s->cand.n; j++) {
		if (s->cand_blocked && s->cand_blocked[j])
			continue;             /* within 25 m of a rejected site: never suggested */
		struct served_site probe = {.x = s->cand.xy[2 * j], .y = s->cand.xy[2 * j + 1],
					    .gemeente = s->cand.gemeente[j]};
		in[j] = (uint8_t)selection_has_site(s, sel, &probe);
	}
	return in;
}

static json_t *pick_json(const struct served *s, int64_t j, const struct gain_state *g)
{
	return json_pack("{s:I, s:o, s:f, s:f}", "candidate", (json_int_t)j, "point",
			 methods_point_json(s, s->cand.xy[2 * j], s->cand.xy[2 * j + 1]),
			 "gain_residents", fmt_round(g->residents, 1), "gain_weight",
			 fmt_round(g->weight, 1));
}

/* Appends the k best of l (n candidates, first gains set) to picks, each gain given the
 * ones before; covered is updated with each pick's reach. */
static void greedy_picks(const struct served *s, struct lazy *l, size_t n, int k,
			 uint8_t *covered, json_t *picks)
{
	for (int round = 1; round <= k; round++) {
		struct gain_state g;
		int64_t j = lazy_pick(s, l, n, round, covered, &g);
		if (j < 0)
			break;
		json_array_append_new(picks, pick_json(s, j, &g));
		served_each_reached(s, s->cand.xy[2 * j], s->cand.xy[2 * j + 1], mark_cb, covered);
	}
}

static int m_suggest(struct rpc_ctx *ctx, const union params_any *pa, json_t **result,
		     struct rpc_error *e)
{
	const struct served *s = ctx->plan;
	struct selection sel;
	struct lazy *l = NULL;
	size_t n = 0;
	int k = pa->suggest.k;
	if (methods_selection(s, &pa->suggest.where, &sel, e) < 0)
		return -1;
	uint8_t *covered = malloc(s->demand.n + 1), *in_sel = candidates_in(s, &sel);
	json_t *picks = json_array();
	for (size_t i = 0; covered && i < s->demand.n; i++)
		covered[i] = s->cover_count[i] > 0;
	if (covered && in_sel)
		l = initial_gains(s, in_sel, covered, &n);
	if (l)
		greedy_picks(s, l, n, k, covered, picks);
	free(covered);
	free(in_sel);
	if (!l) {
		json_decref(picks);
		return rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
	}
	free(l);
	*result = json_pack("{s:s, s:o}", "region", sel.label, "suggestions", picks);
	return 0;
}

struct victim_state {
	const struct served *s;
	const uint8_t *allowed;       /* per candidate: may replace */
	double *gain;                 /* per candidate: weight of victims it reaches */
	double r2, w;                 /* the victim's radius squared and weight */
};

static int victim_cb(void *user, uint32_t j, double d)
{
	struct victim_state *v = user;
	if (v->allowed[j] && d * d <= v->r2)
		v->gain[j] += v->w;
	return 0;
}

/* The first gains of the replacements: for every victim (a point that lost its local site)
 * the allowed candidates within its radius, from the candidate index, so that only the
 * candidates near the failed area are ever looked at. */
static struct lazy *victim_gains(const struct served *s, const uint8_t *covered,
				 const uint8_t *allowed, size_t *n)
{
	double *gain = calloc(s->cand.n + 1, sizeof *gain);
	struct lazy *l = malloc((s->cand.n + 1) * sizeof *l);
	struct victim_state v = {s, allowed, gain, 0, 0};
	*n = 0;
	for (size_t i = 0; gain && l && i < s->demand.n; i++) {
		if (covered[i])
			continue;
		double r = served_radius(s, 1, s->demand.urbanity[i]);
		v.r2 = r * r;
		v.w = s->demand.weight[i];
		grid_index_radius(s->cand_index, s->demand.xy[2 * i], s->demand.xy[2 * i + 1], r,
				  victim_cb, &v);
	}
	for (size_t j = 0; gain && l && j < s->cand.n; j++)
		if (gain[j] > 0)
			l[(*n)++] = (struct lazy){(uint32_t)j, 0, gain[j]};
	if (gain && l)
		qsort(l, *n, sizeof *l, lazy_cmp);
	free(gain);
	if (!gain) {
		free(l);
		l = NULL;
	}
	return l;
}

/* The k best new sites outside the failed area for the residents who lost their local
 * point, each gain given the ones before (lazy greedy, as suggest). */
static json_t *replacements(const struct served *s, const struct methods_failure *f,
			    const struct delta *t, int k)
{
	uint8_t *covered = malloc(s->demand.n + 1), *in = malloc(s->cand.n + 1);
	json_t *picks = json_array();
	struct lazy *l = NULL;
	size_t n = 0;
	for (size_t i = 0; covered && i < s->demand.n; i++)   /* only the victims count */
		covered[i] = !(s->cover_count[i] > 0 && s->cover_count[i] + t->change[i] <= 0);
	for (size_t j = 0; in && j < s->cand.n; j++)
		in[j] = f->cand_outside[j] && !(s->cand_blocked && s->cand_blocked[j]);
	if (covered && in && k > 0)
		l = victim_gains(s, covered, in, &n);
	if (l)
		greedy_picks(s, l, n, k, covered, picks);
	free(l);
	free(covered);
	free(in);
	return picks;
}

const struct rpc_method methods_plan[] = {
	{"whatif", 0, 1, &params_whatif, m_whatif},
	{"suggest", 0, 1, &params_suggest, m_suggest},
	{NULL, 0, 0, NULL, NULL},
};
