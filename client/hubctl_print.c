/* hubctl's tables: renders each JSON-RPC result of hubplannerd as aligned text, with
 * thousands separators and percentages to 2 decimals. Reads results, never changes them;
 * everything goes to the FILE given. Single-threaded (a ring of static number buffers). */
#include "client/hubctl_print.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"

#define TABLE_MAX_COLS 10
#define RING 24

/* ---- numbers and members ---- */

/* A formatted number from a ring of buffers, so several fit in one printf. */
static const char *num(double v, int decimals)
{
	static char ring[RING][48];
	static unsigned next;
	char *buf = ring[next++ % RING];
	return fmt_thousands(buf, sizeof ring[0], v, decimals);
}

/* "99.43%" (or "-"), also from the ring. */
static const char *pct(double v)
{
	static char ring[RING][24];
	static unsigned next;
	char *buf = ring[next++ % RING];
	if (isnan(v))
		snprintf(buf, sizeof ring[0], "-");
	else
		snprintf(buf, sizeof ring[0], "%.2f%%", v);
	return buf;
}

json_t *ctl_get(json_t *o, const char *path)
{
	char key[128];
	while (o && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		o = json_object_get(o, key);
		path += n + (path[n] == '.');
	}
	return o;
}

double ctl_getnum(json_t *o, const char *path)
{
	json_t *v = ctl_get(o, path);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

const char *ctl_getstr(json_t *o, const char *path)
{
	const char *s = json_string_value(ctl_get(o, path));
	return s ? s : "-";
}

/* ---- tables ---- */

struct table {
	size_t ncols, nrows, cap;
	const char *align;            /* per column: 'l' left or 'r' right */
	char **cells;                 /* nrows * ncols copies; NULL prints as "" */
};

static void table_init(struct table *t, const char *align)
{
	memset(t, 0, sizeof *t);
	t->align = align;
	t->ncols = strlen(align) < TABLE_MAX_COLS ? strlen(align) : TABLE_MAX_COLS;
}

/* Adds a row of ncols strings (copied; NULL is an empty cell). */
static void table_row(struct table *t, ...)
{
	va_list ap;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		char **cells = realloc(t->cells, cap * t->ncols * sizeof *cells);
		if (!cells)
			return;
		t->cells = cells;
		t->cap = cap;
	}
	va_start(ap, t);
	for (size_t k = 0; k < t->ncols; k++) {
		const char *s = va_arg(ap, const char *);
		t->cells[t->nrows * t->ncols + k] = strdup(s ? s : "");
	}
	va_end(ap);
	t->nrows++;
}

/* Display width of UTF-8 text: one column per character. */
static size_t text_width(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void table_print(const struct table *t, FILE *out)
{
	size_t w[TABLE_MAX_COLS] = {0};
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		if (text_width(t->cells[i]) > w[i % t->ncols])
			w[i % t->ncols] = text_width(t->cells[i]);
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t k = 0; k < t->ncols; k++) {
			const char *s = t->cells[r * t->ncols + k] ? t->cells[r * t->ncols + k] : "";
			int pad = (int)(w[k] - text_width(s)), last = k + 1 == t->ncols;
			if (t->align[k] == 'r')
				fprintf(out, "%*s%s", pad, "", s);
			else
				fprintf(out, "%s%*s", s, last ? 0 : pad, "");
			fputs(last ? "\n" : "  ", out);
		}
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

static void table_print_free(struct table *t, FILE *out)
{
	table_print(t, out);
	table_free(t);
}

/* ---- shared pieces ---- */

static __attribute__((format(printf, 3, 4))) void kv(FILE *out, const char *key,
							const char *fmt, ...)
{
	va_list ap;
	fprintf(out, "%-22s ", key);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

/* A number member as a key-value line; nothing when it is missing. */
static void kv_num(FILE *out, const char *key, json_t *o, const char *path, int decimals)
{
	double v = ctl_getnum(o, path);
	if (!isnan(v))
		kv(out, key, "%12s", num(v, decimals));
}

/* "GM0344 Utrecht" for an area or region object, "-" for null. */
static const char *area_text(json_t *a, char *buf, size_t len)
{
	if (!json_is_object(a))
		return "-";
	snprintf(buf, len, "%s %s", ctl_getstr(a, "code"), ctl_getstr(a, "name"));
	return buf;
}

static void kv_area(FILE *out, const char *key, json_t *a)
{
	char buf[512];
	kv(out, key, "%s", area_text(a, buf, sizeof buf));
}

/* "lat 52.0907000, lon 5.1214000 (RD 136783.7, 455860.1)" */
static const char *point_text(json_t *p, char *buf, size_t len)
{
	snprintf(buf, len, "lat %.7f, lon %.7f (RD %.1f, %.1f)", ctl_getnum(p, "lat"),
		 ctl_getnum(p, "lon"), ctl_getnum(p, "x"), ctl_getnum(p, "y"));
	return buf;
}

static void print_plan_line(json_t *r, FILE *out)
{
	kv(out, "plan", "#%s, created %s, data version %s", num(ctl_getnum(r, "plan_id"), 0),
	   ctl_getstr(r, "created_at"), ctl_getstr(r, "data_version"));
}

/* The backup_power object (docs/protocol.md, "Backup power") as readable lines. */
static void print_backup_power(json_t *r, FILE *out)
{
	json_t *b = json_object_get(r, "backup_power");
	double areas = ctl_getnum(b, "areas"), funded = ctl_getnum(b, "funded_areas");
	if (!json_is_object(b)) {
		kv(out, "backup power", "not planned yet");
		return;
	}
	kv(out, "backup power", "%s households in %s battery area%s", num(ctl_getnum(b,
	   "households"), 0), num(areas, 0), areas == 1 ? "" : "s");
	kv(out, "", "%s wijkbatterijen: %s kWh, %s kW", num(ctl_getnum(b, "wijk_batteries"), 0),
	   num(ctl_getnum(b, "wijk_kwh"), 1), num(ctl_getnum(b, "wijk_kw"), 1));
	kv(out, "", "%s home batteries: %s kWh", num(ctl_getnum(b, "home_batteries"), 0),
	   num(ctl_getnum(b, "home_kwh"), 1));
	kv(out, "", "cost EUR %s, of which funded EUR %s (%s of %s area%s)",
	   num(ctl_getnum(b, "cost_eur"), 0), num(ctl_getnum(b, "funded_cost_eur"), 0),
	   num(funded, 0), num(areas, 0), areas == 1 ? "" : "s");
	kv(out, "", "%s households protected when funded, %s funded now",
	   num(ctl_getnum(b, "protected_households"), 0),
	   num(ctl_getnum(b, "funded_households"), 0));
}

/* ---- coverage ---- */

/* The name of a site feature, or its origin in brackets when it has none. */
static const char *site_name(json_t *props, char *buf, size_t len)
{
	const char *name = json_string_value(json_object_get(props, "name"));
	if (name)
		return name;
	snprintf(buf, len, "(%s)", ctl_getstr(props, "origin"));
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = ' ';
	return buf;
}

static void level_rows(struct table *t, const char *level, json_t *lv)
{
	json_t *nearest = json_object_get(lv, "nearest"), *f;
	const char *covered = !json_is_true(json_object_get(lv, "covered")) ? "no"
			      : json_is_false(json_object_get(lv, "covered_in_blackout"))
			      ? "yes, not in a blackout"
			      : json_is_true(json_object_get(lv, "covered_twice")) ? "yes, twice" : "yes";
	char radius[48], where[64], name[64];
	size_t j;
	snprintf(radius, sizeof radius, "%s m", num(ctl_getnum(lv, "radius_m"), 0));
	if (json_array_size(nearest) == 0)
		table_row(t, level, covered, radius, "-", "", "", "(no sites)");
	json_array_foreach(nearest, j, f) {
		json_t *p = json_object_get(f, "properties"), *c = ctl_get(f, "geometry.coordinates");
		char dist[48], seq[24];
		snprintf(dist, sizeof dist, "%s m", num(ctl_getnum(p, "distance_m"), 0));
		snprintf(where, sizeof where, "%.7f, %.7f", json_number_value(json_array_get(c, 1)),
			 json_number_value(json_array_get(c, 0)));
		snprintf(seq, sizeof seq, "%.0f", ctl_getnum(p, "seq"));
		table_row(t, j ? "" : level, j ? "" : covered, j ? "" : radius, seq, dist, where,
			  site_name(p, name, sizeof name));
	}
}

/* "Name (subkind), 3.2 km; 400 beds, 20 ventilated IC beds" or "none within 100 km". */
static void kv_nearest(FILE *out, const char *label, json_t *n)
{
	json_t *site = json_object_get(n, "site");
	char extra[96] = "";
	if (!json_is_object(site)) {
		kv(out, label, "none within 100 km");
		return;
	}
	if (json_is_number(json_object_get(site, "beds")))
		snprintf(extra, sizeof extra, "; %s beds", num(ctl_getnum(site, "beds"), 0));
	if (json_is_number(json_object_get(site, "ic_beds")))
		snprintf(extra + strlen(extra), sizeof extra - strlen(extra),
			 ", %s ventilated IC beds", num(ctl_getnum(site, "ic_beds"), 0));
	kv(out, label, "%s (%s), %s km%s", ctl_getstr(site, "name"), ctl_getstr(site, "subkind"),
	   num(ctl_getnum(n, "distance_m") / 1000, 1), extra);
}

void ctl_print_coverage(json_t *r, FILE *out)
{
	char buf[160];
	struct table t;
	kv(out, "point", "%s", point_text(json_object_get(r, "point"), buf, sizeof buf));
	kv_area(out, "safety region", json_object_get(r, "safety_region"));
	kv_area(out, "gemeente", json_object_get(r, "gemeente"));
	kv_area(out, "wijk", json_object_get(r, "wijk"));
	kv_area(out, "buurt", json_object_get(r, "buurt"));
	kv(out, "urbanity class", "%s", num(ctl_getnum(r, "urbanity"), 0));
	kv_nearest(out, "nearest hospital", json_object_get(r, "nearest_hospital"));
	kv_nearest(out, "nearest fire station", json_object_get(r, "nearest_fire_station"));
	print_backup_power(r, out);
	fputc('\n', out);
	table_init(&t, "llrrrll");
	table_row(&t, "LEVEL", "COVERED", "RADIUS", "SITE", "DISTANCE", "LAT, LON", "NAME");
	level_rows(&t, "local", json_object_get(r, "local"));
	level_rows(&t, "regional", json_object_get(r, "regional"));
	table_print_free(&t, out);
}

/* ---- gaps ---- */

static void print_spot(json_t *spot, FILE *out)
{
	char buf[160];
	if (!json_is_object(spot)) {
		kv(out, "largest uncovered spot", "none (everyone is covered)");
		return;
	}
	kv(out, "largest uncovered spot", "%s", point_text(json_object_get(spot, "centre"), buf,
							  sizeof buf));
	kv(out, "", "%s m to the nearest local site", num(ctl_getnum(spot, "radius_m"), 0));
}

static void print_worst(json_t *worst, FILE *out)
{
	struct table t;
	json_t *a;
	size_t i;
	if (json_array_size(worst) == 0)
		return;
	fprintf(out, "\nworst areas by uncovered residents\n");
	table_init(&t, "lllr");
	table_row(&t, "CODE", "NAME", "LEVEL", "UNCOVERED");
	json_array_foreach(worst, i, a)
		table_row(&t, ctl_getstr(a, "code"), ctl_getstr(a, "name"), ctl_getstr(a, "level"),
			  num(ctl_getnum(a, "uncovered"), 0));
	table_print_free(&t, out);
}

/* The care institutions of the selection without funded backup power. */
static void print_care(json_t *care, FILE *out)
{
	struct table t;
	json_t *c, *list = json_object_get(care, "without_funded_backup");
	size_t i;
	if (!json_is_object(care))
		return;
	kv(out, "care institutions", "%s, %s with a funded generator",
	   num(ctl_getnum(care, "institutions"), 0), num(ctl_getnum(care, "funded"), 0));
	if (json_array_size(list) == 0)
		return;
	fprintf(out, "\ncare institutions without funded backup power\n");
	table_init(&t, "llrrr");
	table_row(&t, "NAME", "KIND", "BEDS/CLIENTS", "GENERATOR KVA", "COST EUR");
	json_array_foreach(list, i, c) {
		json_t *site = json_object_get(c, "site");
		double people = json_is_number(json_object_get(site, "beds"))
				? ctl_getnum(site, "beds") : ctl_getnum(site, "clients");
		char p[32], k[32];
		snprintf(p, sizeof p, "%s", people == people ? num(people, 0) : "-");
		snprintf(k, sizeof k, "%s", num(ctl_getnum(c, "kva"), 0));
		table_row(&t, ctl_getstr(site, "name"), ctl_getstr(site, "subkind"), p, k,
			  num(ctl_getnum(c, "cost_eur"), 0));
	}
	table_print_free(&t, out);
}

/* "covered in a blackout   1,234,567  96.68%" (or "covered twice"); null: an older plan. */
static void kv_share(FILE *out, json_t *o, const char *key)
{
	int twice = strcmp(key, "twice") == 0;
	const char *label = twice ? "covered twice" : "covered in a blackout";
	json_t *b = json_object_get(o, key);
	if (!json_is_object(b)) {
		kv(out, label, "     unknown (plan made before %s coverage)", twice ? "backup" : "blackout");
		return;
	}
	kv(out, label, "%12s  %s", num(ctl_getnum(b, "covered"), 0),
	   pct(ctl_getnum(b, "covered_pct")));
	if (json_object_get(b, "uncovered_vulnerable"))
		kv_num(out, "  vulnerable uncovered", b, "uncovered_vulnerable", 0);
}

void ctl_print_gaps(json_t *r, FILE *out)
{
	kv(out, "selection", "%s", ctl_getstr(r, "region"));
	kv_num(out, "residents", r, "residents", 0);
	kv(out, "covered", "%12s  %s", num(ctl_getnum(r, "covered"), 0),
	   pct(ctl_getnum(r, "covered_pct")));
	kv_num(out, "uncovered", r, "uncovered", 0);
	kv_num(out, "uncovered vulnerable", r, "uncovered_vulnerable", 0);
	kv_share(out, r, "blackout");
	kv_share(out, r, "twice");
	print_spot(json_object_get(r, "largest_uncovered_spot"), out);
	print_worst(json_object_get(r, "worst_areas"), out);
	print_care(json_object_get(r, "care"), out);
}

/* ---- stats ---- */

static void national_level_row(struct table *t, const char *name, json_t *l)
{
	double w = ctl_getnum(l, "weight");
	table_row(t, name, num(ctl_getnum(l, "sites"), 0), num(ctl_getnum(l, "candidates"), 0),
		  pct(100 * ctl_getnum(l, "covered_weight") / w), pct(100 * ctl_getnum(l, "bound") / w),
		  pct(ctl_getnum(l, "gap_pct")), num(ctl_getnum(l, "seconds"), 2));
}

static void print_national(json_t *r, FILE *out)
{
	json_t *n = json_object_get(r, "national"), *reg;
	struct table t;
	size_t i;
	kv_num(out, "residents", n, "residents", 0);
	kv_num(out, "served within capacity", n, "served_residents", 0);
	kv_num(out, "demand points", n, "demand_points", 0);
	json_t *b = json_object_get(n, "blackout");
	if (json_is_object(b)) {
		kv(out, "power funded", "%s of %s local, %s of %s regional points",
		   num(ctl_getnum(b, "local_funded"), 0), num(ctl_getnum(n, "local.sites"), 0),
		   num(ctl_getnum(b, "regional_funded"), 0), num(ctl_getnum(n, "regional.sites"), 0));
		kv(out, "covered in a blackout", "%12s  %s", num(ctl_getnum(b, "covered_residents"), 0),
		   pct(100 * ctl_getnum(b, "covered_residents") / ctl_getnum(n, "residents")));
	}
	if (json_is_object(b = json_object_get(n, "twice")))
		kv(out, "covered twice", "%12s  %s (%s backup points)",
		   num(ctl_getnum(b, "covered_residents"), 0), pct(ctl_getnum(b, "share_pct")),
		   num(ctl_getnum(b, "backup_sites"), 0));
	fprintf(out, "\n");
	table_init(&t, "lrrrrrr");
	table_row(&t, "LEVEL", "SITES", "CANDIDATES", "COVERED", "BOUND", "GAP", "SECONDS");
	national_level_row(&t, "local", json_object_get(n, "local"));
	national_level_row(&t, "regional", json_object_get(n, "regional"));
	table_print_free(&t, out);
	fprintf(out, "\n");
	table_init(&t, "llrrrrrrrl");
	table_row(&t, "REGION", "NAME", "RESIDENTS", "COVERED", "BLACKOUT", "TWICE", "LOCAL",
		  "REGIONAL", "GAP", "BOUND BY");
	json_array_foreach(json_object_get(r, "regions"), i, reg)
		table_row(&t, ctl_getstr(reg, "code"), ctl_getstr(reg, "name"),
			  num(ctl_getnum(reg, "residents"), 0), pct(ctl_getnum(reg, "covered_pct")),
			  pct(ctl_getnum(reg, "blackout.covered_pct")),
			  pct(ctl_getnum(reg, "twice.covered_pct")),
			  num(ctl_getnum(reg, "local_sites"), 0),
			  num(ctl_getnum(reg, "regional_sites"), 0), pct(ctl_getnum(reg, "gap_pct")),
			  ctl_getstr(reg, "bound_method"));
	table_print_free(&t, out);
}

static void print_region_stats(json_t *g, FILE *out)
{
	kv_area(out, "safety region", g);
	kv_num(out, "residents", g, "residents", 0);
	kv(out, "covered", "%12s  %s", num(ctl_getnum(g, "covered"), 0),
	   pct(ctl_getnum(g, "covered_pct")));
	kv_num(out, "local sites", g, "local_sites", 0);
	kv_num(out, "regional sites", g, "regional_sites", 0);
	kv_share(out, g, "blackout");
	kv_share(out, g, "twice");
	kv_num(out, "covered weight", g, "covered_weight", 0);
	kv_num(out, "bound", g, "bound", 0);
	kv(out, "gap", "%12s", pct(ctl_getnum(g, "gap_pct")));
	kv(out, "bound by", "%12s", ctl_getstr(g, "bound_method"));
	if (json_object_get(g, "best_weight")) {
		kv_num(out, "exact best", g, "best_weight", 0);
		kv(out, "exact time", "%12s s", num(ctl_getnum(g, "exact_s"), 1));
	}
}

static void print_area_stats(json_t *a, FILE *out)
{
	kv_area(out, ctl_getstr(a, "level"), a);
	kv_num(out, "residents", a, "residents", 0);
	kv_num(out, "covered", a, "covered", 0);
	kv_num(out, "uncovered", a, "uncovered", 0);
	kv_num(out, "uncovered vulnerable", a, "uncovered_vulnerable", 0);
	kv_num(out, "regional covered", a, "regional_covered", 0);
	kv_share(out, a, "blackout");
	kv_share(out, a, "twice");
	kv_num(out, "mean distance (m)", a, "mean_distance_m", 0);
	kv_num(out, "local sites", a, "local_sites", 0);
	kv_num(out, "regional sites", a, "regional_sites", 0);
}

void ctl_print_stats(json_t *r, FILE *out)
{
	print_plan_line(r, out);
	if (json_object_get(r, "national"))
		print_national(r, out);
	else if (json_object_get(r, "region"))
		print_region_stats(json_object_get(r, "region"), out);
	else
		print_area_stats(json_object_get(r, "area"), out);
	print_backup_power(r, out);
}

/* ---- whatif ---- */

static void print_failed(json_t *f, FILE *out);

void ctl_print_whatif(json_t *r, FILE *out)
{
	struct table t;
	json_t *a;
	size_t i;
	kv(out, "residents gained", "%12s", num(ctl_getnum(r, "gained"), 0));
	kv(out, "residents lost", "%12s", num(ctl_getnum(r, "lost"), 0));
	kv(out, "net change", "%12s", num(ctl_getnum(r, "net"), 0));
	json_array_foreach(json_object_get(r, "warnings"), i, a)
		fprintf(out, "warning: %s\n", json_string_value(a));
	if (json_is_object(json_object_get(r, "failed")))
		print_failed(json_object_get(r, "failed"), out);
	if (json_array_size(json_object_get(r, "areas")) == 0)
		return;
	fprintf(out, "\n");
	table_init(&t, "lllr");
	table_row(&t, "CODE", "NAME", "LEVEL", "CHANGE");
	json_array_foreach(json_object_get(r, "areas"), i, a) {
		double c = ctl_getnum(a, "change");
		char change[48];
		snprintf(change, sizeof change, "%s%s", c > 0.5 ? "+" : "", num(c, 0));
		table_row(&t, ctl_getstr(a, "code"), ctl_getstr(a, "name"), ctl_getstr(a, "level"),
			  change);
	}
	table_print_free(&t, out);
}

/* ---- suggest ---- */

/* The ranked picks of suggest, or of whatif's replacements. */
static double print_picks(json_t *picks, FILE *out)
{
	struct table t;
	json_t *p;
	double total = 0;
	size_t i;
	table_init(&t, "rrrrrrr");
	table_row(&t, "#", "CANDIDATE", "LAT", "LON", "RD X, Y", "RESIDENTS", "WEIGHT");
	json_array_foreach(picks, i, p) {
		char rank[24], cand[24], lat[24], lon[24], rd[48];
		snprintf(rank, sizeof rank, "%zu", i + 1);
		snprintf(lat, sizeof lat, "%.7f", ctl_getnum(p, "point.lat"));
		snprintf(lon, sizeof lon, "%.7f", ctl_getnum(p, "point.lon"));
		snprintf(rd, sizeof rd, "%.0f, %.0f", ctl_getnum(p, "point.x"), ctl_getnum(p, "point.y"));
		total += ctl_getnum(p, "gain_residents");
		snprintf(cand, sizeof cand, "%.0f", ctl_getnum(p, "candidate"));
		table_row(&t, rank, cand, lat, lon, rd,
			  num(ctl_getnum(p, "gain_residents"), 0), num(ctl_getnum(p, "gain_weight"), 0));
	}
	table_print_free(&t, out);
	return total;
}

void ctl_print_suggest(json_t *r, FILE *out)
{
	json_t *picks = json_object_get(r, "suggestions");
	if (json_array_size(picks) == 0) {
		fprintf(out, "no candidate in %s adds coverage\n", ctl_getstr(r, "region"));
		return;
	}
	fprintf(out, "best new sites in %s (each gain given the ones above)\n\n",
		ctl_getstr(r, "region"));
	double total = print_picks(picks, out);
	fprintf(out, "\ntogether %s more residents covered\n", num(total, 0));
}

/* whatif's failed area: what failed and the replacements outside it. */
static void print_failed(json_t *f, FILE *out)
{
	json_t *picks = json_object_get(f, "replacements");
	kv(out, "failed sites", "%s local, %s regional", num(ctl_getnum(f, "local_sites"), 0),
	   num(ctl_getnum(f, "regional_sites"), 0));
	kv(out, "regional point lost", "%12s residents", num(ctl_getnum(f, "regional_lost"), 0));
	if (json_array_size(picks) == 0)
		return;
	fprintf(out, "\nreplacements outside the failed area (each gain given the ones above)\n\n");
	double total = print_picks(picks, out);
	fprintf(out, "\ntogether %s of the lost residents covered again\n", num(total, 0));
}

/* ---- status ---- */

/* "2 h 05 min", "3 min 07 s", "12 s" */
static const char *duration(double s, char *buf, size_t len)
{
	long t = isnan(s) || s < 0 ? 0 : (long)(s + 0.5);
	if (t >= 3600)
		snprintf(buf, len, "%ld h %02ld min", t / 3600, t / 60 % 60);
	else if (t >= 60)
		snprintf(buf, len, "%ld min %02ld s", t / 60, t % 60);
	else
		snprintf(buf, len, "%ld s", t);
	return buf;
}

static void print_recompute(json_t *rc, FILE *out)
{
	const char *last = ctl_getstr(rc, "last_result");
	char d[32];
	if (json_is_true(json_object_get(rc, "running")))
		kv(out, "recompute", "running since %s: %s %.1f%%, %s left",
		   ctl_getstr(rc, "started_at"), ctl_getstr(rc, "phase"), ctl_getnum(rc, "pct"),
		   ctl_getnum(rc, "left_s") < 0 ? "unknown time"
		   : duration(ctl_getnum(rc, "left_s"), d, sizeof d));
	else
		kv(out, "recompute", "not running");
	if (strcmp(last, "-") == 0) {
		kv(out, "last recompute", "none since the daemon started");
		return;
	}
	kv(out, "last recompute", "%s, finished %s after %.1f s", last,
	   ctl_getstr(rc, "finished_at"), ctl_getnum(rc, "duration_s"));
	if (json_is_string(json_object_get(rc, "error")))
		kv(out, "last recompute error", "%s", ctl_getstr(rc, "error"));
}

void ctl_print_status(json_t *r, FILE *out)
{
	json_t *plan = json_object_get(r, "plan"), *q = json_object_get(r, "requests");
	char d[32];
	kv(out, "daemon", "hubplannerd %s, up %s", ctl_getstr(r, "version"),
	   duration(ctl_getnum(r, "uptime_s"), d, sizeof d));
	if (json_is_object(plan))
		print_plan_line(plan, out);
	else
		kv(out, "plan", "none loaded (run `hubctl recompute`)");
	if (json_is_string(json_object_get(r, "load_error")))
		kv(out, "plan load error", "%s", ctl_getstr(r, "load_error"));
	print_recompute(json_object_get(r, "recompute"), out);
	kv(out, "requests", "%s (%s errors)", num(ctl_getnum(q, "total"), 0),
	   num(ctl_getnum(q, "errors"), 0));
	kv(out, "clients", "%s connected; %s accepted, %s refused (full), %s dropped (slow)",
	   num(ctl_getnum(q, "clients"), 0), num(ctl_getnum(q, "accepted"), 0),
	   num(ctl_getnum(q, "rejected_full"), 0), num(ctl_getnum(q, "closed_slow"), 0));
}

/* ---- sites ---- */

void ctl_print_sites_count(json_t *r, FILE *out)
{
	json_t *f;
	size_t i, local = 0, backup = 0, n = json_array_size(json_object_get(r, "features"));
	json_array_foreach(json_object_get(r, "features"), i, f) {
		local += strcmp(ctl_getstr(f, "properties.level"), "local") == 0;
		backup += strcmp(ctl_getstr(f, "properties.purpose"), "backup") == 0;
	}
	char of[48] = "";
	if (backup)
		snprintf(of, sizeof of, ", %zu of them backup", backup);
	fprintf(out, "%zu site%s (%zu local%s, %zu regional)", n, n == 1 ? "" : "s", local, of,
		n - local);
}

/* ---- site statuses ---- */

void ctl_print_status_change(json_t *r, FILE *out)
{
	const char *status = ctl_getstr(r, "status"), *was = ctl_getstr(r, "previous");
	char pos[64];
	snprintf(pos, sizeof pos, "x=%.0f y=%.0f", ctl_getnum(r, "site.x"),
		 ctl_getnum(r, "site.y"));
	kv(out, "site", "%lld %s:%s", (long long)json_integer_value(ctl_get(r, "site.id")),
	   ctl_getstr(r, "site.source"), ctl_getstr(r, "site.source_id"));
	kv(out, "name", "%s", ctl_getstr(r, "site.name"));
	kv(out, "position (RD)", "%s", pos);
	if (ctl_getnum(r, "site.distance_m") > 0)
		kv(out, "from the given point", "%s m", num(ctl_getnum(r, "site.distance_m"), 0));
	int had = strcmp(was, "-") != 0;
	kv(out, "status", "%s%s%s%s", status, had ? " (was " : "", had ? was : "", had ? ")" : "");
	if (json_is_string(ctl_get(r, "stored.set_by")))
		kv(out, "set by", "%s at %s", ctl_getstr(r, "stored.set_by"),
		   ctl_getstr(r, "stored.set_at"));
	if (json_is_string(ctl_get(r, "stored.note")))
		kv(out, "note", "%s", ctl_getstr(r, "stored.note"));
	kv(out, "in the served plan", "%s", json_is_true(ctl_get(r, "in_served_plan")) ? "yes" : "no");
	fprintf(out, "%s\n", ctl_getstr(r, "takes_effect"));
}

void ctl_print_statuses(json_t *r, FILE *out)
{
	json_t *st;
	size_t i;
	struct table t;
	fprintf(out, "%s: %lld designated, %lld rejected\n", ctl_getstr(r, "region"),
		(long long)json_integer_value(ctl_get(r, "designated")),
		(long long)json_integer_value(ctl_get(r, "rejected")));
	if (json_array_size(json_object_get(r, "statuses")) == 0)
		return;
	fprintf(out, "\n");
	table_init(&t, "lrllrrlll");
	table_row(&t, "STATUS", "SITE", "SOURCE:ID", "NAME", "X", "Y", "SET BY", "SET AT", "NOTE");
	json_array_foreach(json_object_get(r, "statuses"), i, st) {
		char id[32] = "gone", key[512], x[32], y[32];
		json_t *sid = json_object_get(st, "site_id");
		if (json_is_integer(sid))
			snprintf(id, sizeof id, "%lld", (long long)json_integer_value(sid));
		snprintf(key, sizeof key, "%s:%s", ctl_getstr(st, "source"),
			 ctl_getstr(st, "source_id"));
		snprintf(x, sizeof x, "%.0f", ctl_getnum(st, "x"));
		snprintf(y, sizeof y, "%.0f", ctl_getnum(st, "y"));
		table_row(&t, ctl_getstr(st, "status"), id, key, ctl_getstr(st, "name"), x, y,
			  ctl_getstr(st, "set_by"), ctl_getstr(st, "set_at"),
			  json_is_string(json_object_get(st, "note")) ? ctl_getstr(st, "note") : "");
	}
	table_print_free(&t, out);
}

/* ---- diff (the changes method) ---- */

/* "+2 -1 =40" for a {"added","removed","kept"} object, "-" when missing. */
static const char *count_text(json_t *n, char *buf, size_t len)
{
	if (!json_is_object(n))
		return "-";
	snprintf(buf, len, "+%s -%s =%s", num(ctl_getnum(n, "added"), 0),
		 num(ctl_getnum(n, "removed"), 0), num(ctl_getnum(n, "kept"), 0));
	return buf;
}

/* "99.12% -> 99.20%" of a region's coverage.before/after (residents covered). */
static const char *coverage_text(json_t *cov, char *buf, size_t len)
{
	snprintf(buf, len, "%s -> %s", pct(ctl_getnum(cov, "before.covered_pct")),
		 pct(ctl_getnum(cov, "after.covered_pct")));
	return buf;
}

static void print_change_levels(json_t *levels, FILE *out)
{
	static const char *const names[] = {"local", "regional", "total"};
	struct table t;
	table_init(&t, "lrrr");
	table_row(&t, "LEVEL", "ADDED", "REMOVED", "KEPT");
	for (int k = 0; k < 3; k++) {
		json_t *n = json_object_get(levels, names[k]);
		if (n)
			table_row(&t, names[k], num(ctl_getnum(n, "added"), 0),
				  num(ctl_getnum(n, "removed"), 0), num(ctl_getnum(n, "kept"), 0));
	}
	table_print_free(&t, out);
}

/* Regions (with coverage) or gemeenten (only those where something changed). */
static void print_change_areas(json_t *areas, int regions, FILE *out)
{
	struct table t;
	json_t *a;
	size_t i, rows = 0;
	char l[64], r[64], cov[64];
	table_init(&t, regions ? "llllr" : "llll");
	table_row(&t, regions ? "REGION" : "GEMEENTE", "NAME", "LOCAL +/-/=", "REGIONAL +/-/=",
		  regions ? "COVERED BEFORE -> AFTER" : NULL);
	json_array_foreach(areas, i, a) {
		double changed = ctl_getnum(a, "total.added") + ctl_getnum(a, "total.removed");
		if (!regions && !(changed > 0))
			continue;
		table_row(&t, ctl_getstr(a, "code"), ctl_getstr(a, "name"),
			  count_text(json_object_get(a, "local"), l, sizeof l),
			  count_text(json_object_get(a, "regional"), r, sizeof r),
			  regions ? coverage_text(json_object_get(a, "coverage"), cov, sizeof cov) : NULL);
		rows++;
	}
	if (rows) {
		fputc('\n', out);
		table_print(&t, out);
	} else if (!regions) {
		fprintf(out, "\nno gemeente has a site added or removed\n");
	}
	table_free(&t);
}

static void print_change_sites(json_t *sites, const char *what, FILE *out)
{
	struct table t;
	json_t *s;
	size_t i;
	if (json_array_size(sites) == 0)
		return;
	fprintf(out, "\n%s sites (%zu)\n", what, json_array_size(sites));
	table_init(&t, "llllrrr");
	table_row(&t, "LEVEL", "GEMEENTE", "REGION", "NAME", "LAT", "LON", "RD X, Y");
	json_array_foreach(sites, i, s) {
		char gm[160], lat[24], lon[24], rd[48];
		snprintf(gm, sizeof gm, "%s %s", ctl_getstr(s, "gemeente"),
			 json_is_string(json_object_get(s, "gemeente_name"))
			 ? ctl_getstr(s, "gemeente_name") : "");
		snprintf(lat, sizeof lat, "%.7f", ctl_getnum(s, "lat"));
		snprintf(lon, sizeof lon, "%.7f", ctl_getnum(s, "lon"));
		snprintf(rd, sizeof rd, "%.0f, %.0f", ctl_getnum(s, "x"), ctl_getnum(s, "y"));
		table_row(&t, ctl_getstr(s, "level"), gm, ctl_getstr(s, "region"),
			  json_is_string(json_object_get(s, "name")) ? ctl_getstr(s, "name")
			  : "(generated)", lat, lon, rd);
	}
	table_print_free(&t, out);
}

void ctl_print_changes(json_t *r, FILE *out)
{
	if (json_is_true(json_object_get(r, "first_plan"))) {
		fprintf(out, "plan #%s (%s) is the first plan: nothing to compare\n",
			num(ctl_getnum(r, "to.plan_id"), 0), ctl_getstr(r, "to.created_at"));
		return;
	}
	kv(out, "changes", "plan #%s (%s) -> plan #%s (%s)", num(ctl_getnum(r, "from.plan_id"), 0),
	   ctl_getstr(r, "from.created_at"), num(ctl_getnum(r, "to.plan_id"), 0),
	   ctl_getstr(r, "to.created_at"));
	if (json_is_string(ctl_get(r, "filter.code")))
		kv(out, "in", "%s", ctl_getstr(r, "filter.code"));
	fputc('\n', out);
	print_change_levels(json_object_get(r, "levels"), out);
	print_change_areas(json_object_get(r, "regions"), 1, out);
	print_change_areas(json_object_get(r, "gemeenten"), 0, out);
	print_change_sites(json_object_get(r, "added"), "added", out);
	print_change_sites(json_object_get(r, "removed"), "removed", out);
	if (json_is_true(json_object_get(r, "truncated")))
		fprintf(out, "\n(lists cut at the limit: see the counts above)\n");
}
