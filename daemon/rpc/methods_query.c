/* The read-only query methods on the published plan: coverage at a point, gaps in a
 * selection (residents, covered, worst areas, the largest uncovered spot), plan stats
 * and the sites as GeoJSON. They never change the model. */
#include "daemon/rpc/methods.h"

#include "geo/geojson.h"
#include "model/served_places.h"
#include "util/fmt.h"
#include "util/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- coverage ---- */

/* Appends a string literal (its length known at compile time). */
#define PUT_LIT(t, lit) strbuf_put((t), (lit), sizeof(lit) - 1)

#define COVERAGE_BUF_BYTES 4096
#define NEAREST_MAX_M 100000.0     /* the nearest hospital or fire station, at most this far */

struct near_state {
	const struct served *s;
	int level;
	struct { double d; uint32_t k; } best[32];
	int n, k;
};

static int near_cb(void *user, uint32_t i, double d)
{
	struct near_state *st = user;
	if (st->n == st->k && d >= st->best[st->k - 1].d)
		return 0;
	int pos = st->n < st->k ? st->n++ : st->k - 1;
	while (pos > 0 && st->best[pos - 1].d > d) {
		st->best[pos] = st->best[pos - 1];
		pos--;
	}
	st->best[pos].d = d;
	st->best[pos].k = st->s->site_ix[st->level][i];
	return 0;
}

static void put_point(struct strbuf *t, const struct served *s, double x, double y)
{
	double lat, lon;
	char why[64];
	strbuf_fmt(t, "{\"x\":%.1f,\"y\":%.1f", x, y);
	if (crs_rd_to_etrs89(s->crs, x, y, &lat, &lon, why, sizeof why) == 0)
		strbuf_fmt(t, ",\"lat\":%.7f,\"lon\":%.7f", lat, lon);
	PUT_LIT(t, "}");
}

/* Writes v (degrees: finite, |v| < 1000) at p rounded to 7 decimals with trailing zeros
 * dropped down to one ("5.723841", "52.0"), the text jansson writes for fmt_round(v, 7) in
 * the other replies, without printf's cost (the fast path writes two per site); returns the
 * end. At most 13 bytes. */
static char *put_deg7(char *p, double v)
{
	long long u = llround(fabs(v) * 1e7);
	unsigned whole = (unsigned)(u / 10000000), frac = (unsigned)(u % 10000000);
	char tmp[12], *q = tmp + sizeof tmp;
	if (v < 0 && u != 0)
		*p++ = '-';
	do
		*--q = (char)('0' + whole % 10);
	while ((whole /= 10) > 0);
	memcpy(p, q, (size_t)(tmp + sizeof tmp - q));
	p += tmp + sizeof tmp - q;
	*p++ = '.';
	for (int i = 6; i >= 0; i--, frac /= 10)
		p[i] = (char)('0' + frac % 10);
	int keep = 7;
	while (keep > 1 && p[keep - 1] == '0')
		keep--;
	return p + keep;
}

/* A site's GeoJSON Feature (as methods_site_feature renders it) with distance_m added as
 * the last member of its properties. The properties come from the site's fragment, a
 * complete object rendered at load: written without its closing brace, then the member and
 * the brace. */
static void put_site(struct strbuf *t, const struct served_site *site, double d_m)
{
	static const char point[] = "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\","
				    "\"coordinates\":[";
	static const char unlocated[] = "{\"type\":\"Feature\",\"geometry\":null,";
	char head[sizeof point + 48], *p = head;
	size_t n = strlen(site->json);
	if (isfinite(site->lon) && isfinite(site->lat)) {
		memcpy(p, point, sizeof point - 1);
		p = put_deg7(p + sizeof point - 1, site->lon);
		*p++ = ',';
		p = put_deg7(p, site->lat);
		memcpy(p, "]},", 3);
		p += 3;
	} else {
		memcpy(p, unlocated, sizeof unlocated - 1);
		p += sizeof unlocated - 1;
	}
	memcpy(p, "\"properties\":", 13);
	strbuf_put(t, head, (size_t)(p + 13 - head));
	strbuf_put(t, site->json, n - 1);
	if (n > 2)
		strbuf_fmt(t, ",\"distance_m\":%.1f}}", d_m);
	else
		strbuf_fmt(t, "\"distance_m\":%.1f}}", d_m);
}

/* The sites of a level within reach of a point: how many, and whether one has funded power. */
struct reach_state {
	const struct served *s;
	int level, funded, n;
};

static int reach_cb(void *user, uint32_t i, double d)
{
	struct reach_state *f = user;
	(void)d;
	f->n++;
	f->funded |= f->s->sites[f->s->site_ix[f->level][i]].power_funded;
	return 0;
}

static void put_level(struct strbuf *t, const struct served *s, int level, double x, double y,
		      int k, int urbanity)
{
	struct near_state st = {.s = s, .level = level, .k = k};
	struct reach_state f = {s, level, 0, 0};
	double radius = served_radius(s, level + 1, urbanity);
	for (double r = 2000; r <= 256000 && st.n < k; r *= 2) {
		st.n = 0;
		grid_index_radius(s->site_index[level], x, y, r, near_cb, &st);
		if (st.n >= k || (size_t)st.n == s->site_n[level])
			break;
	}
	grid_index_radius(s->site_index[level], x, y, radius, reach_cb, &f);
	strbuf_fmt(t, "{\"covered\":%s,\"covered_in_blackout\":%s,\"covered_twice\":%s,"
		   "\"sites_in_reach\":%d,\"radius_m\":%.1f,\"nearest\":[",
		   st.n && st.best[0].d <= radius ? "true" : "false", f.funded ? "true" : "false",
		   f.n >= 2 ? "true" : "false", f.n, radius);
	for (int j = 0; j < st.n; j++) {
		if (j)
			PUT_LIT(t, ",");
		put_site(t, &s->sites[st.best[j].k], st.best[j].d);
	}
	PUT_LIT(t, "]}");
}

static const char *area_text(const struct served *s, int32_t a)
{
	return a >= 0 ? s->areas[a].json : "null";
}

/* The coverage result, written straight into text from the fragments made at load. */
/* {"distance_m": d, "site": {...}} for the institution of set nearest to (x, y) within
 * NEAREST_MAX_M, else null. */
static void put_nearest(struct strbuf *t, const struct served_insts *set, double x, double y)
{
	double d = 0;
	const struct served_inst *i = served_nearest_inst(set, x, y, NEAREST_MAX_M, &d);
	if (!i) {
		PUT_LIT(t, "null");
		return;
	}
	strbuf_fmt(t, "{\"distance_m\":%.0f,\"site\":", d);
	strbuf_str(t, i->json);
	PUT_LIT(t, "}");
}

static int m_coverage(struct rpc_ctx *ctx, const union params_any *pa, json_t **result,
		      struct rpc_error *e)
{
	const struct coverage_params *p = &pa->coverage;
	const struct served *s = ctx->plan;
	struct served_place pl;
	struct strbuf t = {0};
	double x, y;
	(void)result;
	if (methods_point(s, &p->point, "point", &x, &y, e) < 0)
		return -1;
	/* the reply is 1-6 KB: start the buffer at 4 KB rather than grow it from 256 bytes in
	 * four reallocations */
	if (strbuf_reserve(&t, COVERAGE_BUF_BYTES) < 0)
		return rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
	served_locate(s, x, y, &pl);
	int32_t battery = pl.buurt >= 0 && s->areas[pl.buurt].b.has ? pl.buurt : pl.wijk;
	const char *backup = battery >= 0 && s->areas[battery].backup_json
			     ? s->areas[battery].backup_json : "null";
	PUT_LIT(&t, "{\"point\":");
	put_point(&t, s, x, y);
	const char *parts[] = {",\"gemeente\":", area_text(s, pl.gemeente), ",\"wijk\":",
			       area_text(s, pl.wijk), ",\"buurt\":", area_text(s, pl.buurt),
			       ",\"safety_region\":",
			       pl.region >= 0 ? s->regions[pl.region].json : "null"};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		strbuf_str(&t, parts[i]);
	strbuf_fmt(&t, ",\"urbanity\":%d,\"local\":", pl.urbanity);
	put_level(&t, s, 0, x, y, p->k, pl.urbanity);
	PUT_LIT(&t, ",\"regional\":");
	put_level(&t, s, 1, x, y, p->k, pl.urbanity);
	PUT_LIT(&t, ",\"backup_power\":");
	strbuf_str(&t, backup);
	PUT_LIT(&t, ",\"nearest_hospital\":");
	put_nearest(&t, &s->hospitals, x, y);
	PUT_LIT(&t, ",\"nearest_fire_station\":");
	put_nearest(&t, &s->fire_stations, x, y);
	PUT_LIT(&t, "}");
	if (t.failed) {
		strbuf_free(&t);
		return rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
	}
	ctx->raw_result = t.s;
	return 0;
}

/* ---- gaps ---- */

struct gap_totals {
	double residents, covered, vulnerable, vulnerable_uncovered;
	double blackout_covered, blackout_vulnerable_uncovered;
	double twice_covered;         /* by two or more local sites */
	double spot_d;
	int64_t spot;                 /* demand point farthest from any local site, uncovered */
	double *by_area;              /* uncovered residents per area index */
};

/* The area gaps are grouped by: wijken for large selections, source areas inside a wijk
 * or buurt. */
static int32_t group_of(const struct served *s, const struct selection *sel, size_t i)
{
	int32_t a = s->demand.area[i];
	int fine = sel->kind == SEL_AREA && s->areas[sel->index].level >= 2;
	return fine || s->areas[a].wijk < 0 ? a : s->areas[a].wijk;
}

static void gap_point(const struct served *s, const struct selection *sel, size_t i,
		      struct gap_totals *t)
{
	const struct demand *d = &s->demand;
	int cov = s->cover_count[i] > 0, bcov = s->blackout_count[i] > 0;
	t->blackout_covered += bcov ? d->residents[i] : 0;
	t->blackout_vulnerable_uncovered += bcov ? 0 : d->vulnerable[i];
	t->twice_covered += s->cover_count[i] >= 2 ? d->residents[i] : 0;
	t->residents += d->residents[i];
	t->covered += cov ? d->residents[i] : 0;
	t->vulnerable += d->vulnerable[i];
	t->vulnerable_uncovered += cov ? 0 : d->vulnerable[i];
	if (cov)
		return;
	t->by_area[group_of(s, sel, i)] += d->residents[i];
	double dist;
	if (grid_index_nearest(s->site_index[0], d->xy[2 * i], d->xy[2 * i + 1], 1e6, &dist) < 0)
		dist = 1e6;
	if (t->spot < 0 || dist > t->spot_d) {
		t->spot = (int64_t)i;
		t->spot_d = dist;
	}
}

struct rank {
	int32_t area;
	double uncovered;
};

static int rank_cmp(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	if (x->uncovered != y->uncovered)
		return x->uncovered < y->uncovered ? 1 : -1;
	return (x->area > y->area) - (x->area < y->area);
}

static json_t *worst_areas(const struct served *s, const double *by_area, int worst)
{
	struct rank *r = malloc((s->nareas + 1) * sizeof *r);
	size_t n = 0;
	json_t *a = json_array();
	for (size_t i = 0; r && i < s->nareas; i++)
		if (by_area[i] > 0)
			r[n++] = (struct rank){(int32_t)i, by_area[i]};
	if (r)
		qsort(r, n, sizeof *r, rank_cmp);
	for (size_t k = 0; r && k < n && k < (size_t)worst; k++) {
		json_t *o = methods_area_json(s, r[k].area);
		const char *spread = s->areas[r[k].area].spread;
		json_object_set_new(o, "uncovered", json_real(fmt_round(r[k].uncovered, 1)));
		json_object_set_new(o, "spread", json_string(spread[0] ? spread : "finer"));
		json_array_append_new(a, o);
	}
	free(r);
	return a;
}

/* How many of the selection's demand areas got their demand which way: {"even": n,
 * "buurten_2015": n, "cells": n, "own": n} (own: grid cells). */
static json_t *spread_counts(const struct served *s, const struct selection *sel)
{
	uint8_t *seen = calloc(s->nareas + 1, 1);
	json_t *o = json_object();
	for (size_t i = 0; seen && o && i < s->demand.n; i++) {
		int32_t a = s->demand.area[i];
		if (seen[a] || !s->areas[a].spread[0] || !selection_has_point(s, sel, i))
			continue;
		seen[a] = 1;
		json_t *n = json_object_get(o, s->areas[a].spread);
		json_object_set_new(o, s->areas[a].spread,
				    json_integer(n ? json_integer_value(n) + 1 : 1));
	}
	free(seen);
	return o ? o : json_null();
}

static json_t *spot_json(const struct served *s, const struct gap_totals *t)
{
	if (t->spot < 0)
		return json_null();
	const double *xy = &s->demand.xy[2 * t->spot];
	return json_pack("{s:o, s:f}", "centre", methods_point_json(s, xy[0], xy[1]), "radius_m",
			 fmt_round(t->spot_d, 1));
}

/* The uncovered demand of a selection as a GeoJSON MultiPolygon (lon/lat): the union of
 * the squares each uncovered demand point stands for (its cell or sample spacing). */
static json_t *gaps_geojson(const struct served *s, const struct selection *sel)
{
	size_t n = 0, cap = 1024;
	double *xy = malloc(cap * 2 * sizeof *xy), *side = malloc(cap * sizeof *side);
	json_t *out = NULL;
	for (size_t i = 0; xy && side && i < s->demand.n; i++) {
		if (s->cover_count[i] || !selection_has_point(s, sel, i))
			continue;
		if (n == cap) {
			cap *= 2;
			double *a = realloc(xy, cap * 2 * sizeof *a), *b = a ? realloc(side, cap * sizeof *b) : NULL;
			if (a)
				xy = a;
			if (!b)
				goto done;
			side = b;
		}
		xy[2 * n] = s->demand.xy[2 * i];
		xy[2 * n + 1] = s->demand.xy[2 * i + 1];
		side[n++] = served_point_side(s, i);
	}
	char *text = NULL, why[256];
	if (xy && side && geo_squares_geojson(s->g, s->crs, xy, side, n, &text, why, sizeof why) == 0) {
		json_error_t je;
		out = json_loads(text, 0, &je);
		free(text);
	}
done:
	free(xy);
	free(side);
	return out ? out : json_null();
}

/* The selection's care institutions: how many, how many have a funded generator, and the
 * ones without funded backup power (their site, generator size and cost). */
static json_t *care_json(const struct served *s, const struct selection *sel)
{
	json_t *list = json_array();
	size_t n = 0, funded = 0;
	for (size_t k = 0; list && k < s->care.n; k++) {
		const struct served_inst *i = &s->care.v[k];
		if (!served_inst_in(s, sel, i))
			continue;
		n++;
		funded += i->funded != 0;
		if (i->funded)
			continue;
		json_t *site = json_loads(i->json, 0, NULL);
		json_array_append_new(list, json_pack("{s:o?, s:o, s:o}", "site", site, "kva",
						      i->kva == i->kva ? json_real(i->kva) : json_null(),
						      "cost_eur", i->cost_eur == i->cost_eur
						      ? json_real(fmt_round(i->cost_eur, 0)) : json_null()));
	}
	return json_pack("{s:I, s:I, s:o?}", "institutions", (json_int_t)n, "funded",
			 (json_int_t)funded, "without_funded_backup", list);
}

/* {"covered", "uncovered", "covered_pct"[, "uncovered_vulnerable"]}: a kind of coverage
 * (in a long blackout, by the local sites whose backup power is funded; twice, by two or
 * more local sites). covered NaN (a plan stored before that kind of coverage): null. */
static json_t *share_json(double residents, double covered, double vulnerable_uncovered)
{
	if (!isfinite(covered))
		return json_null();
	json_t *o = json_pack("{s:f, s:f, s:f}", "covered", fmt_round(covered, 1), "uncovered",
			      fmt_round(residents - covered, 1), "covered_pct",
			      residents > 0 ? fmt_round(100 * covered / residents, 3) : 100.0);
	if (o && isfinite(vulnerable_uncovered))
		json_object_set_new(o, "uncovered_vulnerable",
				    json_real(fmt_round(vulnerable_uncovered, 1)));
	return o;
}

static int m_gaps(struct rpc_ctx *ctx, const union params_any *pa, json_t **result,
		  struct rpc_error *e)
{
	const struct gaps_params *p = &pa->gaps;
	const struct served *s = ctx->plan;
	struct selection sel;
	struct gap_totals t = {.spot = -1};
	if (methods_selection(s, &p->where, &sel, e) < 0)
		return -1;
	if (!(t.by_area = calloc(s->nareas + 1, sizeof *t.by_area)))
		return rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
	for (size_t i = 0; i < s->demand.n; i++)
		if (selection_has_point(s, &sel, i))
			gap_point(s, &sel, i, &t);
	*result = json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:o, s:o}", "region", sel.label,
			    "residents", fmt_round(t.residents, 1), "covered",
			    fmt_round(t.covered, 1), "uncovered",
			    fmt_round(t.residents - t.covered, 1), "uncovered_vulnerable",
			    fmt_round(t.vulnerable_uncovered, 1), "covered_pct",
			    t.residents > 0 ? fmt_round(100 * t.covered / t.residents, 3) : 100.0,
			    "worst_areas", worst_areas(s, t.by_area, p->worst), "largest_uncovered_spot",
			    spot_json(s, &t));
	if (*result)
		json_object_set_new(*result, "blackout", share_json(t.residents, t.blackout_covered,
								    t.blackout_vulnerable_uncovered));
	if (*result)
		json_object_set_new(*result, "twice", share_json(t.residents, t.twice_covered, NAN));
	if (*result)
		json_object_set_new(*result, "spread_areas", spread_counts(s, &sel));
	if (*result && sel.kind != 2)
		json_object_set_new(*result, "backup_power", methods_backup_json(s, &sel, -1));
	if (*result)
		json_object_set_new(*result, "care", care_json(s, &sel));
	if (*result && p->geojson)
		json_object_set_new(*result, "uncovered_geojson", gaps_geojson(s, &sel));
	free(t.by_area);
	return *result ? 0 : rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
}

/* ---- stats ---- */

static json_t *region_stats(const struct served_region *r)
{
	json_t *o = json_pack("{s:s, s:s, s:f, s:f, s:f, s:i, s:i, s:f, s:f, s:f, s:s}", "code",
			      r->code, "name", r->name, "residents", fmt_round(r->residents, 1),
			      "covered", fmt_round(r->covered_residents, 1), "covered_pct",
			      r->residents > 0 ? fmt_round(100 * r->covered_residents / r->residents, 3)
					       : 100.0, "local_sites", (int)r->local_sites,
			      "regional_sites", (int)r->regional_sites, "covered_weight",
			      fmt_round(r->covered_weight, 1), "bound", fmt_round(r->bound, 1),
			      "gap_pct", fmt_round(r->gap_pct, 4), "bound_method",
			      r->bound_method[0] ? r->bound_method : "lagrangian");
	if (o)
		json_object_set_new(o, "blackout", share_json(r->residents, r->blackout_covered, NAN));
	if (o)
		json_object_set_new(o, "twice", share_json(r->residents, r->twice_covered, NAN));
	if (o && !isnan(r->best_weight) &&
	    (json_object_set_new(o, "best_weight", json_real(fmt_round(r->best_weight, 1))) < 0 ||
	     json_object_set_new(o, "exact_s", json_real(fmt_round(r->exact_s, 2))) < 0)) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

static json_t *area_stats(const struct served *s, int32_t a)
{
	const struct served_result *r = &s->areas[a].r;
	long local = 0, regional = 0;
	for (size_t k = 0; k < s->nsites; k++)
		if (s->sites[k].gemeente == a || (s->sites[k].gemeente >= 0 &&
						  s->areas[s->sites[k].gemeente].gemeente == a)) {
			local += s->sites[k].level == 1;
			regional += s->sites[k].level == 2;
		}
	json_t *o = methods_area_json(s, a);
	json_object_update_new(o, json_pack("{s:f, s:f, s:f, s:f, s:f, s:o}", "residents",
					    fmt_round(r->residents, 1), "covered",
					    fmt_round(r->covered, 1), "uncovered",
					    fmt_round(r->uncovered, 1), "uncovered_vulnerable",
					    fmt_round(r->vulnerable_uncovered, 1),
					    "regional_covered", fmt_round(r->regional_covered, 1),
					    "mean_distance_m", r->mean_dist_m == r->mean_dist_m
					    ? json_real(fmt_round(r->mean_dist_m, 1)) : json_null()));
	json_object_set_new(o, "blackout", share_json(r->residents, r->blackout_covered, NAN));
	json_object_set_new(o, "twice", share_json(r->residents, r->twice_covered, NAN));
	json_object_set_new(o, "blackout_regional_covered", isfinite(r->blackout_regional_covered)
			    ? json_real(fmt_round(r->blackout_regional_covered, 1)) : json_null());
	if (s->areas[a].level == 1) {
		json_object_set_new(o, "local_sites", json_integer(local));
		json_object_set_new(o, "regional_sites", json_integer(regional));
	}
	return o;
}

static int m_stats(struct rpc_ctx *ctx, const union params_any *pa, json_t **result,
		   struct rpc_error *e)
{
	const struct served *s = ctx->plan;
	struct selection sel;
	int has = pa->stats.where.kind != PARAMS_WHERE_NONE;
	json_error_t je;
	if (methods_selection(s, &pa->stats.where, &sel, e) < 0)
		return -1;
	json_t *o = json_pack("{s:I, s:s, s:s}", "plan_id", (json_int_t)s->plan_id, "created_at",
			      s->created_at, "data_version", s->data_version);
	if (!has) {
		json_t *regions = json_array();
		for (size_t r = 0; r < s->nregions; r++)
			json_array_append_new(regions, region_stats(&s->regions[r]));
		json_object_set_new(o, "national", json_loads(s->summary_json, 0, &je));
		json_object_set_new(o, "parameters", json_loads(s->params_json, 0, &je));
		json_object_set_new(o, "regions", regions);
	} else if (sel.kind == SEL_REGION) {
		json_object_set_new(o, "region", region_stats(&s->regions[sel.index]));
	} else {
		json_object_set_new(o, "area", area_stats(s, sel.index));
	}
	json_object_set_new(o, "backup_power", methods_backup_json(s, has ? &sel : NULL, -1));
	*result = o;
	return o ? 0 : rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
}

/* ---- sites ---- */

static int m_sites(struct rpc_ctx *ctx, const union params_any *pa, json_t **result,
		   struct rpc_error *e)
{
	const struct sites_params *p = &pa->sites;
	const struct served *s = ctx->plan;
	struct selection sel;
	if (methods_selection(s, &p->where, &sel, e) < 0)
		return -1;
	json_t *features = json_array();
	for (size_t k = 0; k < s->nsites; k++) {
		const struct served_site *site = &s->sites[k];
		if (p->level != PARAMS_LEVEL_ANY && (site->level == 1) != (p->level == PARAMS_LEVEL_LOCAL))
			continue;
		if (selection_has_site(s, &sel, site))
			json_array_append_new(features, methods_site_feature(s, site));
	}
	*result = json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
	return *result ? 0 : rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
}

const struct rpc_method methods_query[] = {
	{"coverage", 0, 1, &params_coverage, m_coverage},
	{"gaps", 0, 1, &params_gaps, m_gaps},
	{"stats", 0, 1, &params_stats, m_stats},
	{"sites", 0, 1, &params_sites, m_sites},
	{NULL, 0, 0, NULL, NULL},
};
