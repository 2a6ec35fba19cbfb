/* Reading each method's "params" into its typed struct (params.h): a table of the members
 * each method accepts, a refusal naming any other member, and the type, range and default
 * of every member. Pure: no model, no I/O, no logging; the only allocation is whatif's. */
#include "daemon/rpc/params.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the accepted members, one list per method ---- */

static const char *const coverage_members[] = {"point", "k", NULL};
static const char *const gaps_members[] = {"region", "bbox", "worst", "geojson", NULL};
static const char *const stats_members[] = {"region", NULL};
static const char *const sites_members[] = {"region", "bbox", "level", NULL};
static const char *const whatif_members[] = {"add", "remove", "fail", "replace", NULL};
static const char *const fail_members[] = {"region", "bbox", "polygon", "hazard", NULL};
static const char *const suggest_members[] = {"region", "bbox", "k", NULL};
static const char *const status_members[] = {"site", "point", "x_rd", "y_rd", "note", "by",
					      NULL};
static const char *const statuses_members[] = {"region", NULL};
static const char *const changes_members[] = {"from", "to", "level", "region", "limit", NULL};
static const char *const resilience_members[] = {"region", "limit", NULL};
static const char *const no_members[] = {NULL};
static const char *const point_members[] = {"x", "y", "lat", "lon", NULL};
static const char *const box_members[] = {"south", "west", "north", "east", NULL};

static int listed(const char *const *names, const char *key)
{
	for (; *names; names++)
		if (strcmp(*names, key) == 0)
			return 1;
	return 0;
}

/* "a, b, c" into buf. */
static const char *joined(const char *const *names, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (; *names && n < len; names++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", *names);
	return buf;
}

/* Refuses the first member of obj that is not in accepted. what names obj in the message
 * ("suggest", "point"); kind is "parameter" or "member". */
static int only(json_t *obj, const char *const *accepted, const char *what, const char *kind,
		struct rpc_error *e)
{
	const char *key;
	json_t *v;
	char list[256];
	json_object_foreach(obj, key, v) {
		(void)v;
		if (listed(accepted, key))
			continue;
		if (!accepted[0])
			return rpc_fail(e, RPC_INVALID_PARAMS, "%s: unknown %s \"%.80s\"; it takes none",
					what, kind, key);
		return rpc_fail(e, RPC_INVALID_PARAMS, "%s: unknown %s \"%.80s\"; accepted: %s",
				what, kind, key, joined(accepted, list, sizeof list));
	}
	return 0;
}

/* ---- members ---- */

static int int_member(json_t *params, const char *key, int def, int lo, int hi, int *out,
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

static int bool_member(json_t *params, const char *key, int *out, struct rpc_error *e)
{
	json_t *v = json_object_get(params, key);
	*out = json_is_true(v);
	if (v && !json_is_boolean(v))
		return rpc_fail(e, RPC_INVALID_PARAMS, "\"%s\" must be true or false", key);
	return 0;
}

static int number(json_t *o, const char *key, double *v)
{
	json_t *n = json_object_get(o, key);
	if (!json_is_number(n))
		return -1;
	*v = json_number_value(n);
	return 0;
}

/* A point object; what names it in messages ("point", "add[2]"). */
static int point_value(json_t *v, const char *what, struct params_point *p, struct rpc_error *e)
{
	if (json_is_object(v) && only(v, point_members, what, "member", e) < 0)
		return -1;
	if (json_is_object(v) && number(v, "x", &p->x_m) == 0 && number(v, "y", &p->y_m) == 0) {
		p->latlon = 0;
		if (p->x_m < -7000 || p->x_m > 300000 || p->y_m < 289000 || p->y_m > 629000)
			return rpc_fail(e, RPC_INVALID_PARAMS, "%s: x=%.1f y=%.1f is outside RD New's "
					"area (the Netherlands)", what, p->x_m, p->y_m);
		return 0;
	}
	if (json_is_object(v) && number(v, "lat", &p->lat_deg) == 0 &&
	    number(v, "lon", &p->lon_deg) == 0) {
		p->latlon = 1;
		return 0;
	}
	return rpc_fail(e, RPC_INVALID_PARAMS, "%s must be {\"lat\":..,\"lon\":..} or "
			"{\"x\":..,\"y\":..} with numbers", what);
}

static int box_value(json_t *b, struct params_where *w, struct rpc_error *e)
{
	if (json_is_array(b)) {
		for (size_t k = 0; k < 4; k++) {
			if (json_array_size(b) != 4 || !json_is_number(json_array_get(b, k)))
				return rpc_fail(e, RPC_INVALID_PARAMS, "bbox: 4 numbers expected");
			w->box[k] = json_number_value(json_array_get(b, k));
		}
		w->kind = PARAMS_WHERE_BOX_RD;
		if (!(w->box[0] < w->box[2] && w->box[1] < w->box[3]))
			return rpc_fail(e, RPC_INVALID_PARAMS, "bbox: min must be below max");
		return 0;
	}
	if (!json_is_object(b))
		return rpc_fail(e, RPC_INVALID_PARAMS, "bbox must be [minx,miny,maxx,maxy] in RD "
				"metres or {\"south\",\"west\",\"north\",\"east\"} in degrees");
	if (only(b, box_members, "bbox", "member", e) < 0)
		return -1;
	for (size_t k = 0; k < 4; k++)
		if (number(b, box_members[k], &w->box[k]) < 0)
			return rpc_fail(e, RPC_INVALID_PARAMS, "bbox: \"%s\" must be a number (degrees)",
					box_members[k]);
	w->kind = PARAMS_WHERE_BOX_DEG;
	return 0;
}

/* "region" or "bbox" (bbox wins when both are given). required: one of them must be. */
static int where_members(json_t *params, int required, struct params_where *w,
			 struct rpc_error *e)
{
	json_t *region = json_object_get(params, "region"), *bbox = json_object_get(params, "bbox");
	w->kind = PARAMS_WHERE_NONE;
	if (bbox)
		return box_value(bbox, w, e);
	if (region) {
		if (!(w->region = json_string_value(region)))
			return rpc_fail(e, RPC_INVALID_PARAMS, "\"region\" must be a string");
		w->kind = PARAMS_WHERE_REGION;
		return 0;
	}
	return required ? rpc_fail(e, RPC_INVALID_PARAMS, "give \"region\" (VRnn, GMnnnn, a wijk "
				   "or buurt code) or \"bbox\"") : 0;
}

/* ---- the methods ---- */

int params_parse_coverage(json_t *params, struct coverage_params *out, struct rpc_error *e)
{
	*out = (struct coverage_params){0};
	if (only(params, coverage_members, "coverage", "parameter", e) < 0)
		return -1;
	if (point_value(json_object_get(params, "point"), "point", &out->point, e) < 0)
		return -1;
	return int_member(params, "k", 3, 1, 32, &out->k, e);
}

int params_parse_gaps(json_t *params, struct gaps_params *out, struct rpc_error *e)
{
	*out = (struct gaps_params){0};
	if (only(params, gaps_members, "gaps", "parameter", e) < 0 ||
	    bool_member(params, "geojson", &out->geojson, e) < 0 ||
	    where_members(params, 1, &out->where, e) < 0)
		return -1;
	return int_member(params, "worst", 10, 0, 1000, &out->worst, e);
}

int params_parse_stats(json_t *params, struct stats_params *out, struct rpc_error *e)
{
	*out = (struct stats_params){0};
	if (json_object_get(params, "bbox"))
		return rpc_fail(e, RPC_INVALID_PARAMS, "stats takes a region code, not a bbox");
	if (only(params, stats_members, "stats", "parameter", e) < 0)
		return -1;
	return where_members(params, 0, &out->where, e);
}

int params_parse_sites(json_t *params, struct sites_params *out, struct rpc_error *e)
{
	json_t *level = json_object_get(params, "level");
	const char *name = json_string_value(level);
	*out = (struct sites_params){0};
	if (only(params, sites_members, "sites", "parameter", e) < 0 ||
	    where_members(params, 1, &out->where, e) < 0)
		return -1;
	if (!level)
		return 0;
	if (name && strcmp(name, "local") == 0)
		out->level = PARAMS_LEVEL_LOCAL;
	else if (name && strcmp(name, "regional") == 0)
		out->level = PARAMS_LEVEL_REGIONAL;
	else
		return rpc_fail(e, RPC_INVALID_PARAMS, "\"level\" must be \"local\" or \"regional\"");
	return 0;
}

static int add_item(json_t *v, size_t k, struct whatif_add *a, struct rpc_error *e)
{
	json_t *cid = json_object_get(v, "candidate");
	char what[32];
	snprintf(what, sizeof what, "add[%zu]", k);
	if (!cid)
		return point_value(v, what, &a->point, e);
	if (json_object_size(v) != 1)
		return rpc_fail(e, RPC_INVALID_PARAMS, "%s: give {\"candidate\": id} or a point, "
				"not both", what);
	if (!json_is_integer(cid))
		return rpc_fail(e, RPC_INVALID_PARAMS, "%s: \"candidate\" must be an integer", what);
	a->is_candidate = 1;
	a->candidate = json_integer_value(cid);
	return 0;
}

struct seq_at {
	long long seq;
	size_t at;
};

static int seq_cmp(const void *a, const void *b)
{
	const struct seq_at *x = a, *y = b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return (x->at > y->at) - (x->at < y->at);
}

/* The first position that repeats an earlier seq (n when none), in n log n. */
static size_t first_repeat(const long long *seq, size_t n, int *oom)
{
	struct seq_at *s = malloc((n + 1) * sizeof *s);
	size_t first = n;
	*oom = !s;
	for (size_t i = 0; s && i < n; i++)
		s[i] = (struct seq_at){seq[i], i};
	if (s)
		qsort(s, n, sizeof *s, seq_cmp);
	for (size_t i = 1; s && i < n; i++)
		if (s[i].seq == s[i - 1].seq && (i < 2 || s[i - 2].seq != s[i].seq) &&
		    s[i].at < first)
			first = s[i].at;
	free(s);
	return first;
}

static int remove_items(json_t *rem, struct whatif_params *out, struct rpc_error *e)
{
	size_t k, dup;
	json_t *v;
	int oom;
	json_array_foreach(rem, k, v) {
		if (!json_is_integer(v))
			return rpc_fail(e, RPC_INVALID_PARAMS, "remove[%zu]: a local site seq must be an "
					"integer", k);
		out->remove[out->nremove++] = json_integer_value(v);
	}
	dup = first_repeat(out->remove, out->nremove, &oom);
	if (oom)
		return rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
	if (dup < out->nremove)
		return rpc_fail(e, RPC_INVALID_PARAMS, "remove[%zu]: seq %lld is listed twice", dup,
				out->remove[dup]);
	return 0;
}

/* "fail": {"region": code} | {"bbox": box} | {"polygon": GeoJSON geometry} |
 * {"hazard": layer name}, one of them. */
static int fail_member(json_t *fail, struct whatif_fail *out, struct rpc_error *e)
{
	if (!fail)
		return 0;
	if (!json_is_object(fail) || json_object_size(fail) != 1)
		return rpc_fail(e, RPC_INVALID_PARAMS, "\"fail\" must be an object with one of "
				"\"region\", \"bbox\", \"polygon\" or \"hazard\"");
	if (only(fail, fail_members, "fail", "member", e) < 0)
		return -1;
	json_t *poly = json_object_get(fail, "polygon"), *hz = json_object_get(fail, "hazard");
	if (hz) {
		const char *name = json_string_value(hz);
		if (!name || !name[0] || strlen(name) >= sizeof out->hazard)
			return rpc_fail(e, RPC_INVALID_PARAMS, "fail.hazard must be a hazard layer's "
					"name (a string of at most %zu bytes)", sizeof out->hazard - 1);
		out->kind = WHATIF_FAIL_HAZARD;
		snprintf(out->hazard, sizeof out->hazard, "%s", name);
		return 0;
	}
	if (poly) {
		out->kind = WHATIF_FAIL_POLYGON;
		return params_polygon(poly, "fail.polygon", &out->polygon, e);
	}
	out->kind = WHATIF_FAIL_WHERE;
	return where_members(fail, 1, &out->where, e);
}

int params_parse_whatif(json_t *params, struct whatif_params *out, struct rpc_error *e)
{
	json_t *add = json_object_get(params, "add"), *rem = json_object_get(params, "remove"), *v;
	size_t k;
	*out = (struct whatif_params){0};
	if (only(params, whatif_members, "whatif", "parameter", e) < 0 ||
	    int_member(params, "replace", 3, 0, 20, &out->replace, e) < 0)
		return -1;
	if ((add && !json_is_array(add)) || (rem && !json_is_array(rem)) ||
	    (json_array_size(add) + json_array_size(rem) == 0 && !json_object_get(params, "fail")))
		return rpc_fail(e, RPC_INVALID_PARAMS, "give \"add\" (points or {\"candidate\": id})"
				" and/or \"remove\" (local site seq numbers) as arrays, or \"fail\""
				" (an area whose sites fail)");
	out->add = calloc(json_array_size(add) + 1, sizeof *out->add);
	out->remove = calloc(json_array_size(rem) + 1, sizeof *out->remove);
	if (!out->add || !out->remove) {
		params_whatif_free(out);
		return rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
	}
	json_array_foreach(add, k, v) {
		if (add_item(v, k, &out->add[k], e) < 0)
			goto fail;
		out->nadd++;
	}
	if (remove_items(rem, out, e) < 0 || fail_member(json_object_get(params, "fail"),
							  &out->fail, e) < 0)
		goto fail;
	return 0;
fail:
	params_whatif_free(out);
	return -1;
}

int params_parse_suggest(json_t *params, struct suggest_params *out, struct rpc_error *e)
{
	*out = (struct suggest_params){0};
	if (only(params, suggest_members, "suggest", "parameter", e) < 0 ||
	    where_members(params, 1, &out->where, e) < 0)
		return -1;
	return int_member(params, "k", 5, 1, 100, &out->k, e);
}

/* "site": 12, "12" or "source:source_id". */
static int status_site(json_t *site, struct status_params *out, struct rpc_error *e)
{
	const char *t = json_string_value(site);
	char *end = NULL;
	if (json_is_integer(site) && json_integer_value(site) > 0) {
		out->kind = STATUS_SITE_ID;
		out->site_id = json_integer_value(site);
		return 0;
	}
	if (t && t[0] && strchr(t, ':') && t[strlen(t) - 1] != ':' && t[0] != ':') {
		out->kind = STATUS_SITE_KEY;
		out->key = t;
		return 0;
	}
	if (t && t[0] && (out->site_id = strtoll(t, &end, 10)) > 0 && !*end) {
		out->kind = STATUS_SITE_ID;
		return 0;
	}
	return rpc_fail(e, RPC_INVALID_PARAMS, "\"site\" must be a site id (a positive integer) "
			"or \"source:source_id\"");
}

static int status_text(json_t *params, const char *key, size_t max, const char **out,
		       struct rpc_error *e)
{
	json_t *v = json_object_get(params, key);
	*out = json_string_value(v);
	if (v && !json_is_null(v) && (!*out || strlen(*out) > max))
		return rpc_fail(e, RPC_INVALID_PARAMS, "\"%s\" must be a string of at most %zu "
				"bytes", key, max);
	return 0;
}

int params_parse_status_change(const char *method, json_t *params, struct status_params *out,
			       struct rpc_error *e)
{
	json_t *site = json_object_get(params, "site"), *point = json_object_get(params, "point");
	json_t *x = json_object_get(params, "x_rd"), *y = json_object_get(params, "y_rd");
	*out = (struct status_params){0};
	if (only(params, status_members, method, "parameter", e) < 0 ||
	    status_text(params, "note", 1000, &out->note, e) < 0 ||
	    status_text(params, "by", 64, &out->by, e) < 0)
		return -1;
	if ((site != NULL) + (point != NULL) + (x || y) != 1)
		return rpc_fail(e, RPC_INVALID_PARAMS, "%s: give exactly one of \"site\" (an id or "
				"\"source:source_id\"), \"point\" or \"x_rd\",\"y_rd\"", method);
	if (site)
		return status_site(site, out, e);
	out->kind = STATUS_SITE_POINT;
	if (point)
		return point_value(point, "point", &out->point, e);
	json_t *xy = json_pack("{s:O?, s:O?}", "x", x, "y", y);
	int rc = xy ? point_value(xy, "x_rd,y_rd", &out->point, e)
		    : rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
	json_decref(xy);
	return rc;
}

int params_parse_statuses(json_t *params, struct statuses_params *out, struct rpc_error *e)
{
	*out = (struct statuses_params){0};
	if (only(params, statuses_members, "statuses", "parameter", e) < 0 ||
	    status_text(params, "region", 16, &out->region, e) < 0)
		return -1;
	return 0;
}

/* A plan id member: absent (0) or an integer 1 or more. */
static int plan_id_member(json_t *params, const char *key, long long *out, struct rpc_error *e)
{
	json_t *v = json_object_get(params, key);
	*out = 0;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return rpc_fail(e, RPC_INVALID_PARAMS, "\"%s\" must be a plan id (an integer 1 or "
				"more)", key);
	*out = json_integer_value(v);
	return 0;
}

/* VRnn or GMnnnn: changes are counted per safety region and gemeente only. */
static int changes_region(json_t *params, const char **out, struct rpc_error *e)
{
	json_t *v = json_object_get(params, "region");
	const char *c = json_string_value(v);
	*out = NULL;
	if (!v)
		return 0;
	if (c && ((strncmp(c, "VR", 2) == 0 && strlen(c) == 4 && strspn(c + 2, "0123456789") == 2)
		  || (strncmp(c, "GM", 2) == 0 && strlen(c) == 6 &&
		      strspn(c + 2, "0123456789") == 4))) {
		*out = c;
		return 0;
	}
	return rpc_fail(e, RPC_INVALID_PARAMS, "\"region\" must be a safety region VRnn or a "
			"gemeente GMnnnn");
}

int params_parse_changes(json_t *params, struct changes_params *out, struct rpc_error *e)
{
	json_t *level = json_object_get(params, "level");
	const char *name = json_string_value(level);
	*out = (struct changes_params){0};
	if (only(params, changes_members, "changes", "parameter", e) < 0 ||
	    plan_id_member(params, "from", &out->from, e) < 0 ||
	    plan_id_member(params, "to", &out->to, e) < 0 ||
	    changes_region(params, &out->region, e) < 0 ||
	    int_member(params, "limit", 1000, 0, 100000, &out->limit, e) < 0)
		return -1;
	if (name && strcmp(name, "local") == 0)
		out->level = PARAMS_LEVEL_LOCAL;
	else if (name && strcmp(name, "regional") == 0)
		out->level = PARAMS_LEVEL_REGIONAL;
	else if (level)
		return rpc_fail(e, RPC_INVALID_PARAMS, "\"level\" must be \"local\" or \"regional\"");
	return 0;
}

/* A region code of one of the four kinds: VRnn, GMnnnn, WKnnnnnn, BUnnnnnnnn. */
static int area_code(const char *c)
{
	static const struct { const char *prefix; size_t digits; } kinds[] = {
		{"VR", 2}, {"GM", 4}, {"WK", 6}, {"BU", 8},
	};
	for (size_t k = 0; c && k < sizeof kinds / sizeof kinds[0]; k++)
		if (strncmp(c, kinds[k].prefix, 2) == 0 && strlen(c) == 2 + kinds[k].digits &&
		    strspn(c + 2, "0123456789") == kinds[k].digits)
			return 1;
	return 0;
}

int params_parse_resilience(json_t *params, struct resilience_params *out,
			    struct rpc_error *e)
{
	json_t *region = json_object_get(params, "region");
	*out = (struct resilience_params){0};
	if (only(params, resilience_members, "resilience", "parameter", e) < 0 ||
	    int_member(params, "limit", 10, 0, 1000, &out->limit, e) < 0)
		return -1;
	if (!region)
		return rpc_fail(e, RPC_INVALID_PARAMS, "resilience: give \"region\" (VRnn, GMnnnn, "
				"WKnnnnnn or BUnnnnnnnn)");
	if (!area_code(out->region = json_string_value(region)))
		return rpc_fail(e, RPC_INVALID_PARAMS, "\"region\" must be a safety region VRnn, a "
				"gemeente GMnnnn, a wijk WKnnnnnn or a buurt BUnnnnnnnn");
	return 0;
}

int params_parse_none(const char *method, json_t *params, struct rpc_error *e)
{
	return only(params, no_members, method, "parameter", e);
}

void params_whatif_free(struct whatif_params *p)
{
	free(p->add);
	free(p->remove);
	params_polygon_free(&p->fail.polygon);
	*p = (struct whatif_params){0};
}

/* ---- the table ---- */

#define PARSE_AS(name, member)                                                              \
	static int spec_##name(const struct params_spec *spec, json_t *params,              \
			       union params_any *out, struct rpc_error *e)                  \
	{                                                                                   \
		(void)spec;                                                                 \
		return params_parse_##name(params, &out->member, e);                        \
	}
PARSE_AS(coverage, coverage)
PARSE_AS(gaps, gaps)
PARSE_AS(stats, stats)
PARSE_AS(sites, sites)
PARSE_AS(whatif, whatif)
PARSE_AS(suggest, suggest)
PARSE_AS(changes, changes)
PARSE_AS(resilience, resilience)

static int spec_none(const struct params_spec *spec, json_t *params, union params_any *out,
		     struct rpc_error *e)
{
	(void)out;
	return params_parse_none(spec->method, params, e);
}

PARSE_AS(statuses, statuses)

static int spec_status_change(const struct params_spec *spec, json_t *params,
			      union params_any *out, struct rpc_error *e)
{
	return params_parse_status_change(spec->method, params, &out->status, e);
}

static void release_whatif(union params_any *p)
{
	params_whatif_free(&p->whatif);
}

const struct params_spec params_coverage = {"coverage", coverage_members, spec_coverage, NULL};
const struct params_spec params_gaps = {"gaps", gaps_members, spec_gaps, NULL};
const struct params_spec params_stats = {"stats", stats_members, spec_stats, NULL};
const struct params_spec params_sites = {"sites", sites_members, spec_sites, NULL};
const struct params_spec params_whatif = {"whatif", whatif_members, spec_whatif, release_whatif};
const struct params_spec params_suggest = {"suggest", suggest_members, spec_suggest, NULL};
const struct params_spec params_changes = {"changes", changes_members, spec_changes, NULL};
const struct params_spec params_resilience = {"resilience", resilience_members, spec_resilience,
					      NULL};
const struct params_spec params_status = {"status", no_members, spec_none, NULL};
const struct params_spec params_recompute = {"recompute", no_members, spec_none, NULL};
const struct params_spec params_reload = {"reload", no_members, spec_none, NULL};
const struct params_spec params_designate = {"designate", status_members, spec_status_change,
					     NULL};
const struct params_spec params_reject = {"reject", status_members, spec_status_change, NULL};
const struct params_spec params_release_status = {"release", status_members, spec_status_change, NULL};
const struct params_spec params_statuses = {"statuses", statuses_members, spec_statuses, NULL};

const struct params_spec *const params_specs[] = {
	&params_coverage, &params_gaps, &params_stats, &params_sites, &params_whatif,
	&params_suggest, &params_status, &params_recompute, &params_reload,
	&params_designate, &params_reject, &params_release_status, &params_statuses,
	&params_changes, &params_resilience, NULL,
};

int params_read(const struct params_spec *spec, json_t *params, union params_any *out,
		struct rpc_error *e)
{
	memset(out, 0, sizeof *out);
	return spec->parse(spec, params, out, e);
}

void params_release(const struct params_spec *spec, union params_any *p)
{
	if (spec->release)
		spec->release(p);
}
