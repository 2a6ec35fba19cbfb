/* hubctl's tables of coverage: renders the coverage, gaps and stats results of hubplannerd
 * (and their backup power) as aligned text in the chosen language, with its number format.
 * Reads results, never changes them; everything goes to the FILE given. Shared helpers are
 * in hubctl_table.c, the plan's other printers in hubctl_print_plan.c. */
#include "client/hubctl_print.h"

#include <math.h>
#include <string.h>

#include "client/hubctl_table.h"

#define T CTL_T

/* ---- shared pieces ---- */

/* The backup_power object (docs/protocol.md, "Backup power") as readable lines. */
static void print_backup_power(json_t *r, FILE *out)
{
	json_t *b = json_object_get(r, "backup_power");
	double areas = ctl_getnum(b, "areas"), funded = ctl_getnum(b, "funded_areas");
	if (!json_is_object(b)) {
		ctl_kv(out, T(HT_BACKUP_POWER), "%s", T(HT_NOT_PLANNED));
		return;
	}
	ctl_kv(out, T(HT_BACKUP_POWER),
	       areas == 1 ? T(HT_BP_HOUSEHOLDS_ONE) : T(HT_BP_HOUSEHOLDS_OTHER),
	       ctl_num_at(b, "households", 0), ctl_num(areas, 0));
	ctl_kv(out, "", T(HT_BP_WIJK), ctl_num_at(b, "wijk_batteries", 0),
	       ctl_num_at(b, "wijk_kwh", 1), ctl_num_at(b, "wijk_kw", 1));
	ctl_kv(out, "", T(HT_BP_HOME), ctl_num_at(b, "home_batteries", 0),
	       ctl_num_at(b, "home_kwh", 1));
	ctl_kv(out, "", areas == 1 ? T(HT_BP_COST_ONE) : T(HT_BP_COST_OTHER),
	       ctl_num_at(b, "cost_eur", 0), ctl_num_at(b, "funded_cost_eur", 0),
	       ctl_num(funded, 0), ctl_num(areas, 0));
	ctl_kv(out, "", T(HT_BP_PROTECTED), ctl_num_at(b, "protected_households", 0),
	       ctl_num_at(b, "funded_households", 0));
}

/* ---- coverage ---- */

/* The name of a site feature, or its origin in brackets when it has none. */
static const char *site_name(json_t *props, char *buf, size_t len)
{
	const char *name = json_string_value(json_object_get(props, "name"));
	const char *origin = ctl_getstr(props, "origin");
	if (name)
		return name;
	if (strcmp(origin, "area_centre") == 0)
		return T(HT_ORIGIN_AREA_CENTRE);
	if (strcmp(origin, "cell_block") == 0)
		return T(HT_ORIGIN_CELL_BLOCK);
	snprintf(buf, len, "(%s)", origin);
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = ' ';
	return buf;
}

static const char *covered_text(json_t *lv)
{
	if (!json_is_true(json_object_get(lv, "covered")))
		return T(HT_NO);
	if (json_is_false(json_object_get(lv, "covered_in_blackout")))
		return T(HT_YES_NOT_BLACKOUT);
	return json_is_true(json_object_get(lv, "covered_twice")) ? T(HT_YES_TWICE) : T(HT_YES);
}

static void level_rows(struct ctl_table *t, const char *level, json_t *lv)
{
	json_t *nearest = json_object_get(lv, "nearest"), *f;
	const char *covered = covered_text(lv);
	char radius[48], where[64], name[64];
	size_t j;
	snprintf(radius, sizeof radius, "%s m", ctl_num_at(lv, "radius_m", 0));
	if (json_array_size(nearest) == 0)
		ctl_table_row(t, level, covered, radius, "-", "", "", T(HT_NO_SITES));
	json_array_foreach(nearest, j, f) {
		json_t *p = json_object_get(f, "properties"), *c = ctl_get(f, "geometry.coordinates");
		char dist[48], seq[24];
		snprintf(dist, sizeof dist, "%s m", ctl_num_at(p, "distance_m", 0));
		snprintf(where, sizeof where, "%.7f, %.7f", json_number_value(json_array_get(c, 1)),
			 json_number_value(json_array_get(c, 0)));
		snprintf(seq, sizeof seq, "%.0f", ctl_getnum(p, "seq"));
		ctl_table_row(t, j ? "" : level, j ? "" : covered, j ? "" : radius, seq, dist, where,
			      site_name(p, name, sizeof name));
	}
}

/* "Name (subkind), 3.2 km; 400 beds, 20 ventilated IC beds" or "none within 100 km". */
static void kv_nearest(FILE *out, const char *label, json_t *n)
{
	json_t *site = json_object_get(n, "site");
	char extra[96] = "";
	if (!json_is_object(site)) {
		ctl_kv(out, label, "%s", T(HT_NONE_WITHIN_100KM));
		return;
	}
	if (json_is_number(json_object_get(site, "beds")))
		snprintf(extra, sizeof extra, T(HT_BEDS), ctl_num_at(site, "beds", 0));
	if (json_is_number(json_object_get(site, "ic_beds")))
		snprintf(extra + strlen(extra), sizeof extra - strlen(extra), T(HT_IC_BEDS),
			 ctl_num_at(site, "ic_beds", 0));
	ctl_kv(out, label, "%s (%s), %s km%s", ctl_getstr(site, "name"), ctl_getstr(site, "subkind"),
	       ctl_num(ctl_getnum(n, "distance_m") / 1000, 1), extra);
}

void ctl_print_coverage(json_t *r, FILE *out)
{
	char buf[160];
	struct ctl_table t;
	ctl_kv(out, T(HT_POINT), "%s", ctl_point_text(json_object_get(r, "point"), buf, sizeof buf));
	ctl_kv_area(out, T(HT_SAFETY_REGION), json_object_get(r, "safety_region"));
	ctl_kv_area(out, T(HT_GEMEENTE), json_object_get(r, "gemeente"));
	ctl_kv_area(out, T(HT_WIJK), json_object_get(r, "wijk"));
	ctl_kv_area(out, T(HT_BUURT), json_object_get(r, "buurt"));
	ctl_kv(out, T(HT_URBANITY), "%s", ctl_num_at(r, "urbanity", 0));
	kv_nearest(out, T(HT_NEAREST_HOSPITAL), json_object_get(r, "nearest_hospital"));
	kv_nearest(out, T(HT_NEAREST_FIRE_STATION), json_object_get(r, "nearest_fire_station"));
	print_backup_power(r, out);
	fputc('\n', out);
	ctl_table_init(&t, "llrrrll");
	ctl_table_row(&t, T(HT_H_LEVEL), T(HT_H_COVERED), T(HT_H_RADIUS), T(HT_H_SITE),
		      T(HT_H_DISTANCE), T(HT_H_LAT_LON), T(HT_H_NAME));
	level_rows(&t, T(HT_LOCAL), json_object_get(r, "local"));
	level_rows(&t, T(HT_REGIONAL), json_object_get(r, "regional"));
	ctl_table_print_free(&t, out);
}

/* ---- gaps ---- */

static void print_spot(json_t *spot, FILE *out)
{
	char buf[160];
	if (!json_is_object(spot)) {
		ctl_kv(out, T(HT_LARGEST_SPOT), "%s", T(HT_NONE_ALL_COVERED));
		return;
	}
	ctl_kv(out, T(HT_LARGEST_SPOT), "%s", ctl_point_text(json_object_get(spot, "centre"), buf,
							    sizeof buf));
	ctl_kv(out, "", T(HT_M_TO_NEAREST_LOCAL), ctl_num_at(spot, "radius_m", 0));
}

static void print_worst(json_t *worst, FILE *out)
{
	struct ctl_table t;
	json_t *a;
	size_t i;
	if (json_array_size(worst) == 0)
		return;
	fputs(T(HT_WORST_AREAS), out);
	ctl_table_init(&t, "lllr");
	ctl_table_row(&t, T(HT_H_CODE), T(HT_H_NAME), T(HT_H_LEVEL), T(HT_H_UNCOVERED));
	json_array_foreach(worst, i, a)
		ctl_table_row(&t, ctl_getstr(a, "code"), ctl_getstr(a, "name"),
			      ctl_value_text(ctl_getstr(a, "level")), ctl_num_at(a, "uncovered", 0));
	ctl_table_print_free(&t, out);
}

/* The care institutions of the selection without funded backup power. */
static void print_care(json_t *care, FILE *out)
{
	struct ctl_table t;
	json_t *c, *list = json_object_get(care, "without_funded_backup");
	size_t i;
	if (!json_is_object(care))
		return;
	ctl_kv(out, T(HT_CARE), T(HT_CARE_FUNDED), ctl_num_at(care, "institutions", 0),
	       ctl_num_at(care, "funded", 0));
	if (json_array_size(list) == 0)
		return;
	fputs(T(HT_CARE_WITHOUT), out);
	ctl_table_init(&t, "llrrr");
	ctl_table_row(&t, T(HT_H_NAME), T(HT_H_KIND), T(HT_H_BEDS_CLIENTS), T(HT_H_GENERATOR_KVA),
		      T(HT_H_COST_EUR));
	json_array_foreach(list, i, c) {
		json_t *site = json_object_get(c, "site");
		double people = json_is_number(json_object_get(site, "beds"))
				? ctl_getnum(site, "beds") : ctl_getnum(site, "clients");
		char p[32], k[32];
		snprintf(p, sizeof p, "%s", ctl_num(people, 0));
		snprintf(k, sizeof k, "%s", ctl_num_at(c, "kva", 0));
		ctl_table_row(&t, ctl_getstr(site, "name"), ctl_getstr(site, "subkind"), p, k,
			      ctl_num_at(c, "cost_eur", 0));
	}
	ctl_table_print_free(&t, out);
}

/* "covered in a blackout   1,234,567  96.68%" (or "covered twice"); null: an older plan. */
static void kv_share(FILE *out, json_t *o, const char *key)
{
	int twice = strcmp(key, "twice") == 0;
	const char *label = twice ? T(HT_COVERED_TWICE) : T(HT_COVERED_BLACKOUT);
	json_t *b = json_object_get(o, key);
	if (!json_is_object(b)) {
		ctl_kv(out, label, "     %s", twice ? T(HT_UNKNOWN_TWICE) : T(HT_UNKNOWN_BLACKOUT));
		return;
	}
	ctl_kv(out, label, "%12s  %s", ctl_num_at(b, "covered", 0),
	       ctl_pct_at(b, "covered_pct"));
	if (json_object_get(b, "uncovered_vulnerable"))
		ctl_kv_num(out, T(HT_SUB_VULNERABLE), b, "uncovered_vulnerable", 0);
}

void ctl_print_gaps(json_t *r, FILE *out)
{
	ctl_kv(out, T(HT_SELECTION), "%s", ctl_getstr(r, "region"));
	ctl_kv_num(out, T(HT_RESIDENTS), r, "residents", 0);
	ctl_kv(out, T(HT_COVERED), "%12s  %s", ctl_num_at(r, "covered", 0),
	       ctl_pct_at(r, "covered_pct"));
	ctl_kv_num(out, T(HT_UNCOVERED), r, "uncovered", 0);
	ctl_kv_num(out, T(HT_UNCOVERED_VULNERABLE), r, "uncovered_vulnerable", 0);
	kv_share(out, r, "blackout");
	kv_share(out, r, "twice");
	print_spot(json_object_get(r, "largest_uncovered_spot"), out);
	print_worst(json_object_get(r, "worst_areas"), out);
	print_care(json_object_get(r, "care"), out);
}

/* ---- stats ---- */

static void national_level_row(struct ctl_table *t, const char *name, json_t *l)
{
	double w = ctl_getnum(l, "weight");
	ctl_table_row(t, name, ctl_num_at(l, "sites", 0), ctl_num_at(l, "candidates", 0),
		      ctl_pct(100 * ctl_getnum(l, "covered_weight") / w),
		      ctl_pct(100 * ctl_getnum(l, "bound") / w), ctl_pct_at(l, "gap_pct"),
		      ctl_num_at(l, "seconds", 2));
}

/* The national figures: residents, power funded, blackout and backup coverage. */
static void national_lines(json_t *n, FILE *out)
{
	json_t *b = json_object_get(n, "blackout");
	ctl_kv_num(out, T(HT_RESIDENTS), n, "residents", 0);
	ctl_kv_num(out, T(HT_SERVED), n, "served_residents", 0);
	ctl_kv_num(out, T(HT_DEMAND_POINTS), n, "demand_points", 0);
	if (json_is_object(b)) {
		ctl_kv(out, T(HT_POWER_FUNDED), T(HT_POWER_FUNDED_COUNTS),
		       ctl_num_at(b, "local_funded", 0), ctl_num_at(n, "local.sites", 0),
		       ctl_num_at(b, "regional_funded", 0), ctl_num_at(n, "regional.sites", 0));
		ctl_kv(out, T(HT_COVERED_BLACKOUT), "%12s  %s",
		       ctl_num_at(b, "covered_residents", 0),
		       ctl_pct(100 * ctl_getnum(b, "covered_residents") / ctl_getnum(n, "residents")));
	}
	if (json_is_object(b = json_object_get(n, "twice")))
		ctl_kv(out, T(HT_COVERED_TWICE), T(HT_TWICE_BACKUP),
		       ctl_num_at(b, "covered_residents", 0), ctl_pct_at(b, "share_pct"),
		       ctl_num_at(b, "backup_sites", 0));
}

static void print_national(json_t *r, FILE *out)
{
	json_t *n = json_object_get(r, "national"), *reg;
	struct ctl_table t;
	size_t i;
	national_lines(n, out);
	fprintf(out, "\n");
	ctl_table_init(&t, "lrrrrrr");
	ctl_table_row(&t, T(HT_H_LEVEL), T(HT_H_SITES), T(HT_H_CANDIDATES), T(HT_H_COVERED),
		      T(HT_H_BOUND), T(HT_H_GAP), T(HT_H_SECONDS));
	national_level_row(&t, T(HT_LOCAL), json_object_get(n, "local"));
	national_level_row(&t, T(HT_REGIONAL), json_object_get(n, "regional"));
	ctl_table_print_free(&t, out);
	fprintf(out, "\n");
	ctl_table_init(&t, "llrrrrrrrl");
	ctl_table_row(&t, T(HT_H_REGION), T(HT_H_NAME), T(HT_H_RESIDENTS), T(HT_H_COVERED),
		      T(HT_H_BLACKOUT), T(HT_H_TWICE), T(HT_H_LOCAL), T(HT_H_REGIONAL), T(HT_H_GAP),
		      T(HT_H_BOUND_BY));
	json_array_foreach(json_object_get(r, "regions"), i, reg)
		ctl_table_row(&t, ctl_getstr(reg, "code"), ctl_getstr(reg, "name"),
			      ctl_num_at(reg, "residents", 0), ctl_pct_at(reg, "covered_pct"),
			      ctl_pct_at(reg, "blackout.covered_pct"),
			      ctl_pct_at(reg, "twice.covered_pct"),
			      ctl_num_at(reg, "local_sites", 0),
			      ctl_num_at(reg, "regional_sites", 0), ctl_pct_at(reg, "gap_pct"),
			      ctl_getstr(reg, "bound_method"));
	ctl_table_print_free(&t, out);
}

static void print_region_stats(json_t *g, FILE *out)
{
	ctl_kv_area(out, T(HT_SAFETY_REGION), g);
	ctl_kv_num(out, T(HT_RESIDENTS), g, "residents", 0);
	ctl_kv(out, T(HT_COVERED), "%12s  %s", ctl_num_at(g, "covered", 0),
	       ctl_pct_at(g, "covered_pct"));
	ctl_kv_num(out, T(HT_LOCAL_SITES), g, "local_sites", 0);
	ctl_kv_num(out, T(HT_REGIONAL_SITES), g, "regional_sites", 0);
	kv_share(out, g, "blackout");
	kv_share(out, g, "twice");
	ctl_kv_num(out, T(HT_COVERED_WEIGHT), g, "covered_weight", 0);
	ctl_kv_num(out, T(HT_BOUND), g, "bound", 0);
	ctl_kv(out, T(HT_GAP), "%12s", ctl_pct_at(g, "gap_pct"));
	ctl_kv(out, T(HT_BOUND_BY), "%12s", ctl_getstr(g, "bound_method"));
	if (json_object_get(g, "best_weight")) {
		ctl_kv_num(out, T(HT_EXACT_BEST), g, "best_weight", 0);
		ctl_kv(out, T(HT_EXACT_TIME), "%12s s", ctl_num_at(g, "exact_s", 1));
	}
}

static void print_area_stats(json_t *a, FILE *out)
{
	ctl_kv_area(out, ctl_value_text(ctl_getstr(a, "level")), a);
	ctl_kv_num(out, T(HT_RESIDENTS), a, "residents", 0);
	ctl_kv_num(out, T(HT_COVERED), a, "covered", 0);
	ctl_kv_num(out, T(HT_UNCOVERED), a, "uncovered", 0);
	ctl_kv_num(out, T(HT_UNCOVERED_VULNERABLE), a, "uncovered_vulnerable", 0);
	ctl_kv_num(out, T(HT_REGIONAL_COVERED), a, "regional_covered", 0);
	kv_share(out, a, "blackout");
	kv_share(out, a, "twice");
	ctl_kv_num(out, T(HT_MEAN_DISTANCE), a, "mean_distance_m", 0);
	ctl_kv_num(out, T(HT_LOCAL_SITES), a, "local_sites", 0);
	ctl_kv_num(out, T(HT_REGIONAL_SITES), a, "regional_sites", 0);
}

void ctl_print_stats(json_t *r, FILE *out)
{
	ctl_print_plan_line(r, out);
	if (json_object_get(r, "national"))
		print_national(r, out);
	else if (json_object_get(r, "region"))
		print_region_stats(json_object_get(r, "region"), out);
	else
		print_area_stats(json_object_get(r, "area"), out);
	print_backup_power(r, out);
}
