/* Helpers for the methods: the points and selections of typed params resolved on the plan,
 * JSON renderings of points, areas, sites and backup power, and the fragments rendered at
 * load. They read the published model and change it only in methods_prerender. */
#include "daemon/rpc/methods.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/fmt.h"

int methods_point(const struct served *s, const struct params_point *p, const char *what,
		  double *x, double *y, struct rpc_error *e)
{
	char why[256];
	if (!p->latlon) {             /* range-checked by the parser */
		*x = p->x_m;
		*y = p->y_m;
		return 0;
	}
	if (crs_etrs89_to_rd(s->crs, p->lat_deg, p->lon_deg, x, y, why, sizeof why) < 0)
		return rpc_fail(e, RPC_INVALID_PARAMS, "%s: lat=%g lon=%g: %s", what, p->lat_deg,
				p->lon_deg, why);
	return 0;
}

json_t *methods_point_json(const struct served *s, double x, double y)
{
	double lat = NAN, lon = NAN;
	char why[128];
	json_t *p = json_pack("{s:f, s:f}", "x", fmt_round(x, 1), "y", fmt_round(y, 1));
	if (crs_rd_to_etrs89(s->crs, x, y, &lat, &lon, why, sizeof why) == 0) {
		json_object_set_new(p, "lat", json_real(fmt_round(lat, 7)));
		json_object_set_new(p, "lon", json_real(fmt_round(lon, 7)));
	}
	return p;
}

json_t *methods_area_json(const struct served *s, int32_t area)
{
	static const char *const levels[] = {"", "gemeente", "wijk", "buurt", "cell100", "cell500"};
	if (area < 0)
		return json_null();
	const struct served_area *a = &s->areas[area];
	return json_pack("{s:s, s:s?, s:s}", "code", a->code, "name", a->name, "level",
			 levels[a->level]);
}

/* A box in degrees (south, west, north, east) as an RD box through its two corners. */
static int box_from_degrees(const struct served *s, const double deg[4], double box[4],
			    struct rpc_error *e)
{
	struct params_point sw = {.latlon = 1, .lat_deg = deg[0], .lon_deg = deg[1]};
	struct params_point ne = {.latlon = 1, .lat_deg = deg[2], .lon_deg = deg[3]};
	if (methods_point(s, &sw, "bbox south-west", &box[0], &box[1], e) < 0 ||
	    methods_point(s, &ne, "bbox north-east", &box[2], &box[3], e) < 0)
		return -1;
	if (!(box[0] < box[2] && box[1] < box[3]))
		return rpc_fail(e, RPC_INVALID_PARAMS, "bbox: min must be below max");
	return 0;
}

int methods_selection(const struct served *s, const struct params_where *w,
		      struct selection *sel, struct rpc_error *e)
{
	double box[4];
	memset(sel, 0, sizeof *sel);
	switch (w->kind) {
	case PARAMS_WHERE_NONE:
		return 0;
	case PARAMS_WHERE_REGION:
		if (selection_from_code(s, w->region, sel) == 0)
			return 0;
		return rpc_fail(e, RPC_NOT_FOUND, "no safety region, gemeente, wijk or buurt \"%s\"",
				w->region);
	case PARAMS_WHERE_BOX_RD:
		selection_from_box(w->box, sel);
		return 0;
	case PARAMS_WHERE_BOX_DEG:
		if (box_from_degrees(s, w->box, box, e) < 0)
			return -1;
		selection_from_box(box, sel);
		return 0;
	}
	return rpc_fail(e, RPC_INTERNAL_ERROR, "selection kind %d", (int)w->kind);
}

json_t *methods_site_properties(const struct served *s, const struct served_site *site)
{
	static const char *const origins[] = {"site", "area_centre", "cell_block"};
	json_t *props = json_pack("{s:s, s:i, s:s, s:b, s:b, s:s, s:f, s:f, s:s?, s:s?}", "level",
				  site->level == 1 ? "local" : "regional", "seq", site->seq,
				  "origin", origins[site->origin < 3 ? site->origin : 0], "fixed",
				  site->fixed, "power_funded", site->power_funded, "purpose",
				  site->backup ? "backup" : "primary", "x_rd",
				  fmt_round(site->x, 1), "y_rd", fmt_round(site->y, 1), "name",
				  site->name, "kind", site->kind);
	if (props && site->site_id >= 0)
		json_object_set_new(props, "site_id", json_integer(site->site_id));
	if (props && site->hazard)
		json_object_set_new(props, "hazard", json_string(site->hazard));
	if (props)
		json_object_set_new(props, "gemeente", site->gemeente >= 0
				    ? json_string(s->areas[site->gemeente].code) : json_null());
	return props;
}

/* The geometry is null (RFC 7946: an unlocated Feature) when the site's position could not
 * be converted to degrees. */
json_t *methods_site_feature(const struct served *s, const struct served_site *site)
{
	json_t *geometry = isfinite(site->lon) && isfinite(site->lat)
			   ? json_pack("{s:s, s:[f, f]}", "type", "Point", "coordinates",
				       fmt_round(site->lon, 7), fmt_round(site->lat, 7))
			   : json_null();
	return json_pack("{s:s, s:o, s:o}", "type", "Feature", "geometry", geometry,
			 "properties", methods_site_properties(s, site));
}

static void backup_add(struct served_backup *t, const struct served_backup *b)
{
	t->households += b->households;
	t->wijk_batteries += b->wijk_batteries;
	t->wijk_kwh += b->wijk_kwh;
	t->wijk_kw += b->wijk_kw;
	t->home_batteries += b->home_batteries;
	t->home_kwh += b->home_kwh;
	t->protected_households += b->funded ? b->protected_households : 0;
	t->cost_eur += b->cost_eur;
	t->funded += b->funded;
	t->has++;
}

json_t *methods_backup_json(const struct served *s, const struct selection *sel, int32_t area)
{
	struct served_backup t = {0};
	double funded_cost = 0, protected_all = 0;
	for (size_t a = 0; a < s->nareas; a++) {
		const struct served_backup *b = &s->areas[a].b;
		int take = area >= 0 ? (int32_t)a == area : (!sel || selection_has_area(s, sel, (int32_t)a));
		if (!b->has || !take)
			continue;
		backup_add(&t, b);
		funded_cost += b->funded ? b->cost_eur : 0;
		protected_all += b->protected_households;
	}
	if (!t.has)
		return json_null();
	return json_pack("{s:i, s:f, s:I, s:f, s:f, s:I, s:f, s:f, s:f, s:f, s:f, s:i}", "areas",
			 t.has, "households", fmt_round(t.households, 1), "wijk_batteries",
			 (json_int_t)t.wijk_batteries, "wijk_kwh", fmt_round(t.wijk_kwh, 1),
			 "wijk_kw", fmt_round(t.wijk_kw, 1), "home_batteries",
			 (json_int_t)t.home_batteries, "home_kwh", fmt_round(t.home_kwh, 1),
			 "protected_households", fmt_round(protected_all, 1),
			 "funded_households", fmt_round(t.protected_households, 1), "cost_eur",
			 fmt_round(t.cost_eur, 0), "funded_cost_eur", fmt_round(funded_cost, 0),
			 "funded_areas", t.funded);
}

static char *dump_compact(json_t *j)
{
	/* ASCII like rpc.c's replies: coverage copies these fragments into its reply as they are */
	char *t = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(10))
		    : NULL;
	json_decref(j);
	return t;
}

int methods_prerender(struct served *s)
{
	for (size_t a = 0; a < s->nareas; a++) {
		if (!(s->areas[a].json = dump_compact(methods_area_json(s, (int32_t)a))))
			return -ENOMEM;
		if (s->areas[a].b.has &&
		    !(s->areas[a].backup_json = dump_compact(methods_backup_json(s, NULL, (int32_t)a))))
			return -ENOMEM;
	}
	for (size_t r = 0; r < s->nregions; r++)
		if (!(s->regions[r].json = dump_compact(json_pack("{s:s, s:s}", "code",
				s->regions[r].code, "name", s->regions[r].name))))
			return -ENOMEM;
	for (size_t k = 0; k < s->nsites; k++)
		if (!(s->sites[k].json = dump_compact(methods_site_properties(s, &s->sites[k]))))
			return -ENOMEM;
	return 0;
}
