/* Helpers for the query methods: points in RD New or ETRS89, selections (region, area or
 * bbox), JSON renderings of points, areas and sites. They read the published model and
 * never change it. */
#include "daemon/rpc/methods.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/fmt.h"

int methods_int(json_t *params, const char *key, int def, int lo, int hi, int *out,
		struct rpc_error *e)
{
	json_t *v = json_object_get(params, key);
	*out = def;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return rpc_fail(e, RPC_INVALID_PARAMS, "\"%s\" must be an integer %d..%d", key, lo,
				hi);
	*out = (int)json_integer_value(v);
	return 0;
}

static int number(json_t *o, const char *key, double *v)
{
	json_t *n = json_object_get(o, key);
	if (!json_is_number(n))
		return -1;
	*v = json_number_value(n);
	return isfinite(*v) ? 0 : -1;
}

int methods_point(const struct served *s, json_t *v, const char *what, double *x, double *y,
		  struct rpc_error *e)
{
	double lat, lon;
	char why[256];
	if (json_is_object(v) && number(v, "x", x) == 0 && number(v, "y", y) == 0) {
		if (*x < -7000 || *x > 300000 || *y < 289000 || *y > 629000)
			return rpc_fail(e, RPC_INVALID_PARAMS, "%s: x=%.1f y=%.1f is outside RD New's "
					"area (the Netherlands)", what, *x, *y);
		return 0;
	}
	if (json_is_object(v) && number(v, "lat", &lat) == 0 && number(v, "lon", &lon) == 0) {
		if (crs_etrs89_to_rd(s->crs, lat, lon, x, y, why, sizeof why) < 0)
			return rpc_fail(e, RPC_INVALID_PARAMS, "%s: lat=%g lon=%g: %s", what, lat, lon,
					why);
		return 0;
	}
	return rpc_fail(e, RPC_INVALID_PARAMS, "%s must be {\"lat\":..,\"lon\":..} or "
			"{\"x\":..,\"y\":..} with numbers", what);
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

static int bbox_param(const struct served *s, json_t *b, double box[4], struct rpc_error *e)
{
	if (json_is_array(b) && json_array_size(b) == 4) {
		for (size_t k = 0; k < 4; k++) {
			if (!json_is_number(json_array_get(b, k)))
				return rpc_fail(e, RPC_INVALID_PARAMS, "bbox: 4 numbers expected");
			box[k] = json_number_value(json_array_get(b, k));
		}
	} else {
		json_t *sw = json_pack("{s:O?, s:O?}", "lat", json_object_get(b, "south"), "lon",
				       json_object_get(b, "west"));
		json_t *ne = json_pack("{s:O?, s:O?}", "lat", json_object_get(b, "north"), "lon",
				       json_object_get(b, "east"));
		int rc = methods_point(s, sw, "bbox south-west", &box[0], &box[1], e);
		if (rc == 0)
			rc = methods_point(s, ne, "bbox north-east", &box[2], &box[3], e);
		json_decref(sw);
		json_decref(ne);
		if (rc < 0)
			return rc;
	}
	if (!(box[0] < box[2] && box[1] < box[3]))
		return rpc_fail(e, RPC_INVALID_PARAMS, "bbox: min must be below max");
	return 0;
}

int methods_selection(const struct served *s, json_t *params, int required,
		      struct selection *sel, int *has, struct rpc_error *e)
{
	json_t *region = json_object_get(params, "region"), *bbox = json_object_get(params, "bbox");
	double box[4];
	memset(sel, 0, sizeof *sel);
	*has = region || bbox;
	if (!*has)
		return required ? rpc_fail(e, RPC_INVALID_PARAMS, "give \"region\" (VRnn, GMnnnn, a "
					   "wijk or buurt code) or \"bbox\"") : 0;
	if (bbox) {
		if (bbox_param(s, bbox, box, e) < 0)
			return -1;
		selection_from_box(box, sel);
		return 0;
	}
	const char *code = json_string_value(region);
	if (!code)
		return rpc_fail(e, RPC_INVALID_PARAMS, "\"region\" must be a string");
	if (selection_from_code(s, code, sel) == 0)
		return 0;
	return rpc_fail(e, RPC_NOT_FOUND, "no safety region, gemeente, wijk or buurt \"%s\"", code);
}

json_t *methods_site_feature(const struct served *s, const struct served_site *site)
{
	static const char *const origins[] = {"site", "area_centre", "cell_block"};
	double lat = site->lat, lon = site->lon;
	json_t *props = json_pack("{s:s, s:i, s:s, s:b, s:f, s:f, s:s?, s:s?}", "level",
				  site->level == 1 ? "local" : "regional", "seq", site->seq,
				  "origin", origins[site->origin < 3 ? site->origin : 0], "fixed",
				  site->fixed, "x_rd", fmt_round(site->x, 1), "y_rd",
				  fmt_round(site->y, 1), "name", site->name, "kind", site->kind);
	if (site->site_id >= 0)
		json_object_set_new(props, "site_id", json_integer(site->site_id));
	json_object_set_new(props, "gemeente", site->gemeente >= 0
				? json_string(s->areas[site->gemeente].code) : json_null());
	return json_pack("{s:s, s:{s:s, s:[f, f]}, s:o}", "type", "Feature", "geometry", "type",
			 "Point", "coordinates", fmt_round(lon, 7), fmt_round(lat, 7),
			 "properties", props);
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

/* The Feature text without its last two '}', so a caller can append more properties. */
static char *feature_prefix(const struct served *s, const struct served_site *site)
{
	char *t = dump_compact(methods_site_feature(s, site));
	size_t n = t ? strlen(t) : 0;
	if (n >= 2)
		t[n - 2] = '\0';
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
		if (!(s->sites[k].json = feature_prefix(s, &s->sites[k])))
			return -ENOMEM;
	return 0;
}
