/* hubctl's tables of the plan and its changes: renders the whatif, suggest, status,
 * designate/reject/release, statuses and changes (diff) results of hubplannerd, and the
 * sites count, as aligned text in the chosen language. Reads results, never changes them;
 * everything goes to the FILE given. Shared helpers are in hubctl_table.c. */
#include "client/hubctl_print.h"

#include <math.h>
#include <string.h>

#include "client/hubctl_table.h"

#define T CTL_T

/* ---- whatif and suggest ---- */

/* The ranked picks of suggest, or of whatif's replacements; returns their total gain. */
static double print_picks(json_t *picks, FILE *out)
{
	struct ctl_table t;
	json_t *p;
	double total = 0;
	size_t i;
	ctl_table_init(&t, "rrrrrrr");
	ctl_table_row(&t, "#", T(HT_H_CANDIDATE), T(HT_H_LAT), T(HT_H_LON), T(HT_H_RD),
		      T(HT_H_RESIDENTS), T(HT_H_WEIGHT));
	json_array_foreach(picks, i, p) {
		char rank[24], cand[24], lat[24], lon[24], rd[48];
		snprintf(rank, sizeof rank, "%zu", i + 1);
		snprintf(lat, sizeof lat, "%.7f", ctl_getnum(p, "point.lat"));
		snprintf(lon, sizeof lon, "%.7f", ctl_getnum(p, "point.lon"));
		snprintf(rd, sizeof rd, "%.0f, %.0f", ctl_getnum(p, "point.x"), ctl_getnum(p, "point.y"));
		total += ctl_getnum(p, "gain_residents");
		snprintf(cand, sizeof cand, "%.0f", ctl_getnum(p, "candidate"));
		ctl_table_row(&t, rank, cand, lat, lon, rd, ctl_num_at(p, "gain_residents", 0),
			      ctl_num_at(p, "gain_weight", 0));
	}
	ctl_table_print_free(&t, out);
	return total;
}

/* whatif's failed area: what failed and the replacements outside it. */
static void print_failed(json_t *f, FILE *out)
{
	json_t *picks = json_object_get(f, "replacements");
	ctl_kv(out, T(HT_FAILED_SITES), T(HT_FAILED_COUNTS), ctl_num_at(f, "local_sites", 0),
	       ctl_num_at(f, "regional_sites", 0));
	ctl_kv(out, T(HT_REGIONAL_LOST), T(HT_N_RESIDENTS),
	       ctl_num_at(f, "regional_lost", 0));
	if (json_array_size(picks) == 0)
		return;
	fputs(T(HT_REPLACEMENTS), out);
	double total = print_picks(picks, out);
	fprintf(out, T(HT_TOGETHER_AGAIN), ctl_num(total, 0));
}

void ctl_print_whatif(json_t *r, FILE *out)
{
	struct ctl_table t;
	json_t *a;
	size_t i;
	ctl_kv(out, T(HT_GAINED), "%12s", ctl_num_at(r, "gained", 0));
	ctl_kv(out, T(HT_LOST), "%12s", ctl_num_at(r, "lost", 0));
	ctl_kv(out, T(HT_NET), "%12s", ctl_num_at(r, "net", 0));
	json_array_foreach(json_object_get(r, "warnings"), i, a)
		fprintf(out, T(HT_WARNING), json_string_value(a));
	if (json_is_object(json_object_get(r, "failed")))
		print_failed(json_object_get(r, "failed"), out);
	if (json_array_size(json_object_get(r, "areas")) == 0)
		return;
	fprintf(out, "\n");
	ctl_table_init(&t, "lllr");
	ctl_table_row(&t, T(HT_H_CODE), T(HT_H_NAME), T(HT_H_LEVEL), T(HT_H_CHANGE));
	json_array_foreach(json_object_get(r, "areas"), i, a) {
		double c = ctl_getnum(a, "change");
		char change[48];
		snprintf(change, sizeof change, "%s%s", c > 0.5 ? "+" : "", ctl_num(c, 0));
		ctl_table_row(&t, ctl_getstr(a, "code"), ctl_getstr(a, "name"),
			      ctl_value_text(ctl_getstr(a, "level")), change);
	}
	ctl_table_print_free(&t, out);
}

void ctl_print_suggest(json_t *r, FILE *out)
{
	json_t *picks = json_object_get(r, "suggestions");
	if (json_array_size(picks) == 0) {
		fprintf(out, T(HT_NO_CANDIDATE), ctl_getstr(r, "region"));
		return;
	}
	fprintf(out, T(HT_BEST_NEW), ctl_getstr(r, "region"));
	double total = print_picks(picks, out);
	fprintf(out, T(HT_TOGETHER_MORE), ctl_num(total, 0));
}

/* ---- status ---- */

/* "2 h 05 min" (Dutch "2 u 05 min"), "3 min 07 s", "12 s" */
static const char *duration(double s, char *buf, size_t len)
{
	long t = isnan(s) || s < 0 ? 0 : (long)(s + 0.5);
	if (t >= 3600)
		snprintf(buf, len, T(HT_HOURS_MIN), t / 3600, t / 60 % 60);
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
		ctl_kv(out, T(HT_RECOMPUTE), T(HT_RUNNING_SINCE), ctl_getstr(rc, "started_at"),
		       ctl_value_text(ctl_getstr(rc, "phase")), ctl_num_at(rc, "pct", 1),
		       ctl_getnum(rc, "left_s") < 0 ? T(HT_UNKNOWN_TIME)
		       : duration(ctl_getnum(rc, "left_s"), d, sizeof d));
	else
		ctl_kv(out, T(HT_RECOMPUTE), "%s", T(HT_NOT_RUNNING));
	if (strcmp(last, "-") == 0) {
		ctl_kv(out, T(HT_LAST_RECOMPUTE), "%s", T(HT_NONE_SINCE_START));
		return;
	}
	ctl_kv(out, T(HT_LAST_RECOMPUTE), T(HT_FINISHED_AFTER), last, ctl_getstr(rc, "finished_at"),
	       ctl_num_at(rc, "duration_s", 1));
	if (json_is_string(json_object_get(rc, "error")))
		ctl_kv(out, T(HT_LAST_ERROR), "%s", ctl_getstr(rc, "error"));
}

void ctl_print_status(json_t *r, FILE *out)
{
	json_t *plan = json_object_get(r, "plan"), *q = json_object_get(r, "requests");
	char d[32];
	ctl_kv(out, T(HT_DAEMON), T(HT_DAEMON_UP), ctl_getstr(r, "version"),
	       duration(ctl_getnum(r, "uptime_s"), d, sizeof d));
	if (json_is_object(plan))
		ctl_print_plan_line(plan, out);
	else
		ctl_kv(out, T(HT_PLAN), "%s", T(HT_NO_PLAN));
	if (json_is_string(json_object_get(r, "load_error")))
		ctl_kv(out, T(HT_LOAD_ERROR), "%s", ctl_getstr(r, "load_error"));
	print_recompute(json_object_get(r, "recompute"), out);
	ctl_kv(out, T(HT_REQUESTS), T(HT_REQUESTS_ERRORS), ctl_num_at(q, "total", 0),
	       ctl_num_at(q, "errors", 0));
	ctl_kv(out, T(HT_CLIENTS), T(HT_CLIENTS_COUNTS), ctl_num_at(q, "clients", 0),
	       ctl_num_at(q, "accepted", 0), ctl_num_at(q, "rejected_full", 0),
	       ctl_num_at(q, "closed_slow", 0));
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
	char of[64] = "";
	if (backup)
		snprintf(of, sizeof of, T(HT_OF_THEM_BACKUP), backup);
	fprintf(out, n == 1 ? T(HT_SITES_ONE) : T(HT_SITES_OTHER), n, local, of, n - local);
}

/* ---- site statuses ---- */

void ctl_print_status_change(json_t *r, FILE *out)
{
	const char *status = ctl_getstr(r, "status"), *was = ctl_getstr(r, "previous");
	char pos[64];
	snprintf(pos, sizeof pos, "x=%.0f y=%.0f", ctl_getnum(r, "site.x"),
		 ctl_getnum(r, "site.y"));
	ctl_kv(out, T(HT_SITE), "%lld %s:%s", (long long)json_integer_value(ctl_get(r, "site.id")),
	       ctl_getstr(r, "site.source"), ctl_getstr(r, "site.source_id"));
	ctl_kv(out, T(HT_NAME), "%s", ctl_getstr(r, "site.name"));
	ctl_kv(out, T(HT_POSITION_RD), "%s", pos);
	if (ctl_getnum(r, "site.distance_m") > 0)
		ctl_kv(out, T(HT_FROM_POINT), "%s m", ctl_num_at(r, "site.distance_m", 0));
	if (strcmp(was, "-") != 0)
		ctl_kv(out, T(HT_STATUS), T(HT_STATUS_WAS), ctl_value_text(status),
		       ctl_value_text(was));
	else
		ctl_kv(out, T(HT_STATUS), "%s", ctl_value_text(status));
	if (json_is_string(ctl_get(r, "stored.set_by")))
		ctl_kv(out, T(HT_SET_BY), T(HT_SET_BY_AT), ctl_getstr(r, "stored.set_by"),
		       ctl_getstr(r, "stored.set_at"));
	if (json_is_string(ctl_get(r, "stored.note")))
		ctl_kv(out, T(HT_NOTE), "%s", ctl_getstr(r, "stored.note"));
	ctl_kv(out, T(HT_IN_SERVED_PLAN), "%s",
	       json_is_true(ctl_get(r, "in_served_plan")) ? T(HT_YES) : T(HT_NO));
	fprintf(out, "%s\n", ctl_getstr(r, "takes_effect"));
}

static void status_row(struct ctl_table *t, json_t *st)
{
	char id[32], key[512], x[32], y[32];
	json_t *sid = json_object_get(st, "site_id");
	snprintf(id, sizeof id, "%s", T(HT_GONE));
	if (json_is_integer(sid))
		snprintf(id, sizeof id, "%lld", (long long)json_integer_value(sid));
	snprintf(key, sizeof key, "%s:%s", ctl_getstr(st, "source"), ctl_getstr(st, "source_id"));
	snprintf(x, sizeof x, "%.0f", ctl_getnum(st, "x"));
	snprintf(y, sizeof y, "%.0f", ctl_getnum(st, "y"));
	ctl_table_row(t, ctl_value_text(ctl_getstr(st, "status")), id, key, ctl_getstr(st, "name"),
		      x, y, ctl_getstr(st, "set_by"), ctl_getstr(st, "set_at"),
		      json_is_string(json_object_get(st, "note")) ? ctl_getstr(st, "note") : "");
}

void ctl_print_statuses(json_t *r, FILE *out)
{
	json_t *st;
	size_t i;
	struct ctl_table t;
	fprintf(out, T(HT_STATUSES_LINE), ctl_getstr(r, "region"),
		(long long)json_integer_value(ctl_get(r, "designated")),
		(long long)json_integer_value(ctl_get(r, "rejected")));
	if (json_array_size(json_object_get(r, "statuses")) == 0)
		return;
	fprintf(out, "\n");
	ctl_table_init(&t, "lrllrrlll");
	ctl_table_row(&t, T(HT_H_STATUS), T(HT_H_SITE), T(HT_H_SOURCE_ID), T(HT_H_NAME), "X", "Y",
		      T(HT_H_SET_BY), T(HT_H_SET_AT), T(HT_H_NOTE));
	json_array_foreach(json_object_get(r, "statuses"), i, st)
		status_row(&t, st);
	ctl_table_print_free(&t, out);
}

/* ---- diff (the changes method) ---- */

/* "+2 -1 =40" for a {"added","removed","kept"} object, "-" when missing. */
static const char *count_text(json_t *n, char *buf, size_t len)
{
	if (!json_is_object(n))
		return "-";
	snprintf(buf, len, "+%s -%s =%s", ctl_num_at(n, "added", 0),
		 ctl_num_at(n, "removed", 0), ctl_num_at(n, "kept", 0));
	return buf;
}

/* "99.12% -> 99.20%" of a region's coverage.before/after (residents covered). */
static const char *coverage_text(json_t *cov, char *buf, size_t len)
{
	snprintf(buf, len, "%s -> %s", ctl_pct_at(cov, "before.covered_pct"),
		 ctl_pct_at(cov, "after.covered_pct"));
	return buf;
}

static void print_change_levels(json_t *levels, FILE *out)
{
	static const char *const names[] = {"local", "regional", "total"};
	struct ctl_table t;
	ctl_table_init(&t, "lrrr");
	ctl_table_row(&t, T(HT_H_LEVEL), T(HT_H_ADDED), T(HT_H_REMOVED), T(HT_H_KEPT));
	for (int k = 0; k < 3; k++) {
		json_t *n = json_object_get(levels, names[k]);
		if (n)
			ctl_table_row(&t, ctl_value_text(names[k]), ctl_num_at(n, "added", 0),
				      ctl_num_at(n, "removed", 0),
				      ctl_num_at(n, "kept", 0));
	}
	ctl_table_print_free(&t, out);
}

/* Regions (with coverage) or gemeenten (only those where something changed). */
static void print_change_areas(json_t *areas, int regions, FILE *out)
{
	struct ctl_table t;
	json_t *a;
	size_t i, rows = 0;
	char l[64], r[64], cov[64];
	ctl_table_init(&t, regions ? "llllr" : "llll");
	ctl_table_row(&t, regions ? T(HT_H_REGION) : T(HT_H_GEMEENTE), T(HT_H_NAME),
		      T(HT_H_LOCAL_COUNTS), T(HT_H_REGIONAL_COUNTS),
		      regions ? T(HT_H_COVERED_BEFORE_AFTER) : NULL);
	json_array_foreach(areas, i, a) {
		double changed = ctl_getnum(a, "total.added") + ctl_getnum(a, "total.removed");
		if (!regions && !(changed > 0))
			continue;
		ctl_table_row(&t, ctl_getstr(a, "code"), ctl_getstr(a, "name"),
			      count_text(json_object_get(a, "local"), l, sizeof l),
			      count_text(json_object_get(a, "regional"), r, sizeof r),
			      regions ? coverage_text(json_object_get(a, "coverage"), cov, sizeof cov)
			      : NULL);
		rows++;
	}
	if (rows) {
		fputc('\n', out);
		ctl_table_print(&t, out);
	} else if (!regions) {
		fputs(T(HT_NO_GEMEENTE_CHANGED), out);
	}
	ctl_table_free(&t);
}

static void print_change_sites(json_t *sites, int added, FILE *out)
{
	struct ctl_table t;
	json_t *s;
	size_t i;
	if (json_array_size(sites) == 0)
		return;
	fprintf(out, added ? T(HT_ADDED_SITES) : T(HT_REMOVED_SITES), json_array_size(sites));
	ctl_table_init(&t, "llllrrr");
	ctl_table_row(&t, T(HT_H_LEVEL), T(HT_H_GEMEENTE), T(HT_H_REGION), T(HT_H_NAME), T(HT_H_LAT),
		      T(HT_H_LON), T(HT_H_RD));
	json_array_foreach(sites, i, s) {
		char gm[160], lat[24], lon[24], rd[48];
		snprintf(gm, sizeof gm, "%s %s", ctl_getstr(s, "gemeente"),
			 json_is_string(json_object_get(s, "gemeente_name"))
			 ? ctl_getstr(s, "gemeente_name") : "");
		snprintf(lat, sizeof lat, "%.7f", ctl_getnum(s, "lat"));
		snprintf(lon, sizeof lon, "%.7f", ctl_getnum(s, "lon"));
		snprintf(rd, sizeof rd, "%.0f, %.0f", ctl_getnum(s, "x"), ctl_getnum(s, "y"));
		ctl_table_row(&t, ctl_value_text(ctl_getstr(s, "level")), gm, ctl_getstr(s, "region"),
			      json_is_string(json_object_get(s, "name")) ? ctl_getstr(s, "name")
			      : T(HT_GENERATED), lat, lon, rd);
	}
	ctl_table_print_free(&t, out);
}

void ctl_print_changes(json_t *r, FILE *out)
{
	if (json_is_true(json_object_get(r, "first_plan"))) {
		fprintf(out, T(HT_FIRST_PLAN), ctl_num_at(r, "to.plan_id", 0),
			ctl_getstr(r, "to.created_at"));
		return;
	}
	ctl_kv(out, T(HT_CHANGES), "plan #%s (%s) -> plan #%s (%s)",
	       ctl_num_at(r, "from.plan_id", 0), ctl_getstr(r, "from.created_at"),
	       ctl_num_at(r, "to.plan_id", 0), ctl_getstr(r, "to.created_at"));
	if (json_is_string(ctl_get(r, "filter.code")))
		ctl_kv(out, T(HT_IN), "%s", ctl_getstr(r, "filter.code"));
	fputc('\n', out);
	print_change_levels(json_object_get(r, "levels"), out);
	print_change_areas(json_object_get(r, "regions"), 1, out);
	print_change_areas(json_object_get(r, "gemeenten"), 0, out);
	print_change_sites(json_object_get(r, "added"), 1, out);
	print_change_sites(json_object_get(r, "removed"), 0, out);
	if (json_is_true(json_object_get(r, "truncated")))
		fputs(T(HT_TRUNCATED), out);
}
