/* The comparison of two plans as JSON: the reply of the `changes` method and the output of
 * `hubctl diff --json`, filtered to a level and a gemeente or safety region, with at most
 * limit sites per list. Renders only; the comparison itself is changes.c's. */
#include "model/changes.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "geo/crs.h"
#include "util/fmt.h"

static const char *const level_names[] = {"local", "regional"};

static json_t *count_json(const struct changes_count *n)
{
	return json_pack("{s:I, s:I, s:I}", "added", (json_int_t)n->added, "removed",
			 (json_int_t)n->removed, "kept", (json_int_t)n->kept);
}

/* {"local":{..},"regional":{..},"total":{..}}, only the filter's level(s) and a total. */
static json_t *levels_json(const struct changes_count lv[2], int level)
{
	struct changes_count t = {0};
	json_t *o = json_object();
	for (int l = 0; l < 2; l++) {
		if (level && level != l + 1)
			continue;
		json_object_set_new(o, level_names[l], count_json(&lv[l]));
		t.added += lv[l].added;
		t.removed += lv[l].removed;
		t.kept += lv[l].kept;
	}
	json_object_set_new(o, "total", count_json(&t));
	return o;
}

static json_t *pct(double part, double whole)
{
	return whole > 0 ? json_real(fmt_round(100 * part / whole, 3)) : json_null();
}

static json_t *coverage_json(const struct changes_coverage *cv)
{
	if (!cv->present)
		return json_null();
	return json_pack("{s:f, s:f, s:o, s:f, s:f, s:o}", "residents", fmt_round(cv->residents, 1),
			 "covered_residents", fmt_round(cv->covered_residents, 1), "covered_pct",
			 pct(cv->covered_residents, cv->residents), "weight",
			 fmt_round(cv->weight, 1), "covered_weight", fmt_round(cv->covered_weight, 1),
			 "covered_weight_pct", pct(cv->covered_weight, cv->weight));
}

static json_t *area_json(const struct changes_area *a, int level, int region)
{
	json_t *o = json_pack("{s:s, s:s?}", "code", a->code, "name", a->name);
	json_object_update_new(o, levels_json(a->level, level));
	if (!region)
		json_object_set_new(o, "region", a->region_code[0] ? json_string(a->region_code)
				    : json_null());
	else
		json_object_set_new(o, "coverage", json_pack("{s:o, s:o}", "before",
				    coverage_json(&a->before), "after", coverage_json(&a->after)));
	return o;
}

static json_t *code_or_null(const char *code)
{
	return code[0] ? json_string(code) : json_null();
}

static json_t *site_json(const struct changes_site *s, struct crs *crs)
{
	double lat, lon;
	char why[128];
	json_t *o = json_pack("{s:s, s:s, s:i, s:o, s:s?, s:o, s:s?, s:o, s:f, s:f}", "level",
			      level_names[s->level - 1], "change", s->added ? "added" : "removed",
			      "seq", s->seq, "site_id", s->site_id >= 0 ? json_integer(s->site_id)
			      : json_null(), "name", s->name, "gemeente",
			      code_or_null(s->gemeente_code), "gemeente_name", s->gemeente_name,
			      "region", code_or_null(s->region_code), "x", fmt_round(s->x_rd, 1),
			      "y", fmt_round(s->y_rd, 1));
	if (o && crs && crs_rd_to_etrs89(crs, s->x_rd, s->y_rd, &lat, &lon, why, sizeof why) == 0) {
		json_object_set_new(o, "lat", json_real(fmt_round(lat, 7)));
		json_object_set_new(o, "lon", json_real(fmt_round(lon, 7)));
	}
	return o;
}

/* 1 when an item of this gemeente and region passes the filter's code. */
static int in_scope(const struct changes_filter *f, const char *gm, const char *vr)
{
	if (!f->code)
		return 1;
	return strcmp(f->code, strncmp(f->code, "VR", 2) == 0 ? vr : gm) == 0;
}

static const struct changes_area *find(const struct changes_area *v, size_t n, const char *code)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(v[k].code, code) == 0)
			return &v[k];
	return NULL;
}

/* The counts the filter selects: the nation's, or its gemeente's or region's. */
static int scope_counts(const struct plan_changes *c, const struct changes_filter *f,
			struct changes_count out[2], char *err, size_t errlen)
{
	const struct changes_area *a = NULL;
	if (!f->code) {
		memcpy(out, c->level, sizeof c->level);
		return 0;
	}
	a = strncmp(f->code, "VR", 2) == 0 ? find(c->regions, c->nregions, f->code)
	    : find(c->gemeenten, c->ngemeenten, f->code);
	if (!a) {
		snprintf(err, errlen, "%s is in neither plan %lld nor plan %lld", f->code,
			 (long long)c->from_id, (long long)c->to_id);
		return -ENOENT;
	}
	memcpy(out, a->level, sizeof a->level);
	return 0;
}

/* The safety region a filter shows coverage for: its own code, a gemeente's region, or
 * NULL (the nation, or a gemeente without one). */
static const char *scope_region(const struct plan_changes *c, const struct changes_filter *f)
{
	if (!f->code || strncmp(f->code, "VR", 2) == 0)
		return f->code;
	const struct changes_area *g = find(c->gemeenten, c->ngemeenten, f->code);
	return g && g->region_code[0] ? g->region_code : NULL;
}

static json_t *plan_ref(int64_t id, const char *created_at)
{
	return id > 0 ? json_pack("{s:I, s:s}", "plan_id", (json_int_t)id, "created_at",
				  created_at) : json_null();
}

/* The added and removed lists, each cut at f->limit; *truncated set when one was cut. */
static void site_lists(const struct plan_changes *c, const struct changes_filter *f,
		       struct crs *crs, json_t *o)
{
	json_t *list[2] = {json_array(), json_array()};   /* [0] removed, [1] added */
	int truncated = 0;
	for (size_t i = 0; i < c->nsites; i++) {
		const struct changes_site *s = &c->sites[i];
		if ((f->level && s->level != f->level) ||
		    !in_scope(f, s->gemeente_code, s->region_code))
			continue;
		if ((long)json_array_size(list[s->added]) >= f->limit)
			truncated = 1;
		else
			json_array_append_new(list[s->added], site_json(s, crs));
	}
	json_object_set_new(o, "added", list[1]);
	json_object_set_new(o, "removed", list[0]);
	json_object_set_new(o, "truncated", json_boolean(truncated));
}

int changes_to_json(const struct plan_changes *c, const struct changes_filter *f,
		    struct crs *crs, json_t **out, char *err, size_t errlen)
{
	struct changes_count lv[2];
	int rc = scope_counts(c, f, lv, err, errlen);
	if (rc < 0)
		return rc;
	json_t *o = json_pack("{s:o, s:o, s:b, s:{s:o, s:o}, s:o}", "from",
			      plan_ref(c->from_id, c->from_created_at), "to",
			      plan_ref(c->to_id, c->to_created_at), "first_plan", c->from_id <= 0,
			      "filter", "level", f->level ? json_string(level_names[f->level - 1])
			      : json_null(), "code", f->code ? json_string(f->code) : json_null(),
			      "levels", levels_json(lv, f->level));
	json_t *regions = json_array(), *gemeenten = json_array();
	const char *vr = scope_region(c, f);
	for (size_t k = 0; k < c->nregions; k++)
		if (!f->code || (vr && strcmp(vr, c->regions[k].code) == 0))
			json_array_append_new(regions, area_json(&c->regions[k], f->level, 1));
	for (size_t k = 0; k < c->ngemeenten; k++)
		if (in_scope(f, c->gemeenten[k].code, c->gemeenten[k].region_code))
			json_array_append_new(gemeenten, area_json(&c->gemeenten[k], f->level, 0));
	json_object_set_new(o, "regions", regions);
	json_object_set_new(o, "gemeenten", gemeenten);
	site_lists(c, f, crs, o);
	*out = o;
	if (!o) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

json_t *changes_counts_json(const struct plan_changes *c)
{
	json_t *o = levels_json(c->level, 0);
	json_object_set_new(o, "from", c->from_id > 0 ? json_integer(c->from_id) : json_null());
	return o;
}

static void count_from_json(json_t *o, struct changes_count *n)
{
	n->added = (long)json_integer_value(json_object_get(o, "added"));
	n->removed = (long)json_integer_value(json_object_get(o, "removed"));
	n->kept = (long)json_integer_value(json_object_get(o, "kept"));
}

int changes_line_from_summary(const char *summary_json, char *buf, size_t len)
{
	json_error_t je;
	json_t *j = summary_json ? json_loads(summary_json, 0, &je) : NULL;
	json_t *ch = json_object_get(j, "changes");
	struct plan_changes c = {0};
	if (!json_is_object(ch)) {
		json_decref(j);
		return -ENOENT;
	}
	c.from_id = json_integer_value(json_object_get(ch, "from"));
	count_from_json(json_object_get(ch, "local"), &c.level[0]);
	count_from_json(json_object_get(ch, "regional"), &c.level[1]);
	changes_summary_line(&c, buf, len);
	json_decref(j);
	return 0;
}
