/* The institutions and the blackout in the served queries (daemon/rpc/methods_query.c on a
 * model loaded with served_load): `coverage` names the nearest hospital and fire station
 * with their distance and figures, null beyond 100 km; `gaps` counts a selection's care
 * institutions and lists exactly those whose generator the budget does not fund; with a
 * budget short of the support points, coverage in a blackout counts only the points whose
 * power is funded, checked against a brute force over every site. Bundled data (VR17) with
 * a hospital, fire stations and care sites added by SQL at positions of the first plan. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "daemon/rpc/methods.h"
#include "daemon/rpc/rpc.h"
#include "jobs/plan_run.h"
#include "model/served.h"
#include "tests/lib/fixture.h"
#include "tests/lib/bundled_fx.h"
#include "tests/lib/testutil.h"

static struct {
	char dir[256], db[300];
	struct config cfg;
	char err[4096];
	double hx, hy;                /* the hospital */
	double points_eur;            /* the support points' cost */
	char gm_c1[16];               /* the gemeente of care site c1 */
	long long care_in_gm_c1;      /* care sites in that gemeente */
} W;

static long long q(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static long long q(const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	return tu_sql_int(W.db, sql, 0);
}

static double qd(const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	double v = NAN;
	assert_int_equal(sqlite3_open_v2(W.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void qtext(const char *sql, char *out, size_t len)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open_v2(W.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static long long plan(void)
{
	struct plan_run_options opt = {NULL, "VR17", NULL, 1, NULL};
	struct plan_result r;
	struct plan_run_info info;
	int rc = plan_run(&W.cfg, NULL, &opt, &r, &info, W.err, sizeof W.err);
	plan_result_free(&r);
	if (rc < 0)
		fail_msg("plan: %s", W.err);
	return (long long)info.plan_id;
}

/* Adds a site at spot n of the first plan, dx metres east of it. */
static void add_site(const char *id, const char *kind, const char *subkind, long long spot,
		     double dx, const char *beds, const char *ic_beds, const char *clients)
{
	char sql[1024];
	snprintf(sql, sizeof sql, "INSERT INTO sites(source, source_id, name, kind, subkind, x_rd,"
		 " y_rd, fixed, beds, ic_beds, clients) SELECT 'test', '%s', 'Test %s', '%s', %s,"
		 " x_rd + %g, y_rd, 0, %s, %s, %s FROM test_spots WHERE n = %lld", id, id, kind,
		 subkind ? subkind : "NULL", dx, beds, ic_beds, clients, spot);
	fx_sqlite_exec(W.db, sql);
	assert_int_equal(q("SELECT count(*) FROM sites WHERE source_id = '%s'", id), 1);
}

/* A hospital (300 beds, 12 IC beds) in the middle of the region, a fire station 500 m west
 * of it and one far west; care sites c1 (200 beds), c2 (50 clients), c3 (neither). */
static int setup(void **state)
{
	(void)state;
	char sql[512];
	if (bfx_import(W.dir, sizeof W.dir, W.db, sizeof W.db) < 0)
		fail_msg("import failed");
	config_defaults(&W.cfg);
	snprintf(W.cfg.database, sizeof W.cfg.database, "%s", W.db);
	W.cfg.search_time_s = 1;
	long long p = plan();
	W.points_eur = qd("SELECT json_extract(summary, '$.backup.points_cost_eur') FROM plans"
			  " ORDER BY id DESC LIMIT 1");
	assert_true(W.points_eur > 0);
	snprintf(sql, sizeof sql, "CREATE TABLE test_spots(n INTEGER PRIMARY KEY, x_rd REAL,"
		 " y_rd REAL, gm TEXT); INSERT INTO test_spots(x_rd, y_rd, gm) SELECT x_rd, y_rd,"
		 " gemeente_code FROM plan_sites WHERE plan_id = %lld AND level = 1 AND site_id IS"
		 " NOT NULL ORDER BY x_rd, y_rd", p);
	fx_sqlite_exec(W.db, sql);
	long long n = q("SELECT count(*) FROM test_spots");
	assert_true(n >= 20);
	add_site("H1", "hospital", NULL, n / 2, 0, "300", "12", "NULL");
	add_site("F1", "fire_station", "'vrijwillig'", n / 2, -500, "NULL", "NULL", "NULL");
	add_site("F2", "fire_station", "'beroeps'", 1, 0, "NULL", "NULL", "NULL");
	add_site("c1", "care", "'vvt'", n / 4, 1, "200", "NULL", "NULL");
	add_site("c2", "care", "'ghz'", 3 * n / 4, 1, "NULL", "NULL", "50");
	add_site("c3", "care", NULL, n - 1, 1, "NULL", "NULL", "NULL");
	W.hx = qd("SELECT x_rd FROM sites WHERE source_id = 'H1'");
	W.hy = qd("SELECT y_rd FROM sites WHERE source_id = 'H1'");
	snprintf(sql, sizeof sql, "SELECT gm FROM test_spots WHERE n = %lld", n / 4);
	qtext(sql, W.gm_c1, sizeof W.gm_c1);
	W.care_in_gm_c1 = q("SELECT count(*) FROM test_spots WHERE n IN (%lld, %lld, %lld) AND"
			    " gm = '%s'", n / 4, 3 * n / 4, n - 1, W.gm_c1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(W.dir);
	return 0;
}

/* Plans with budget_eur and loads the served model of that plan, rendered as served. */
static struct served *serve(double budget_eur, long long *plan_id)
{
	struct served *s = NULL;
	W.cfg.budget_eur = budget_eur;
	*plan_id = plan();
	if (served_load(&W.cfg, &s, W.err, sizeof W.err) < 0)
		fail_msg("served_load: %s", W.err);
	assert_int_equal(methods_prerender(s), 0);   /* as the daemon does after a load */
	return s;
}

/* The result of method with params on s (fails the test on an error reply). */
static json_t *call(const struct served *s, const char *method, const char *params)
{
	struct rpc_ctx ctx = {.plan = s, .privileged = 1};
	char line[1024];
	int is_error = -1;
	json_error_t je;
	snprintf(line, sizeof line, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":%s}",
		 method, params);
	char *text = rpc_handle(&ctx, line, strlen(line), &is_error);
	assert_non_null(text);
	json_t *j = json_loads(text, 0, &je);
	if (!j || is_error)
		fail_msg("%s: %s", method, text);
	free(text);
	json_t *r = json_incref(json_object_get(j, "result"));
	json_decref(j);
	assert_non_null(r);
	return r;
}

static json_t *coverage(const struct served *s, double x, double y)
{
	char params[128];
	snprintf(params, sizeof params, "{\"point\":{\"x\":%.1f,\"y\":%.1f},\"k\":1}", x, y);
	return call(s, "coverage", params);
}

static double num(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_number(v))
		fail_msg("%s is not a number", key);
	return json_number_value(v);
}

static void test_coverage_nearest(void **state)
{
	(void)state;
	long long id;
	struct served *s = serve(1e9, &id);
	/* 300 m east of the hospital: it at 300 m, F1 at 800 m */
	json_t *r = coverage(s, W.hx + 300, W.hy);
	const json_t *h = json_object_get(r, "nearest_hospital");
	const json_t *f = json_object_get(r, "nearest_fire_station");
	assert_true(json_is_object(h));
	assert_true(json_is_object(f));
	assert_true(fabs(num(h, "distance_m") - 300) <= 1);
	assert_true(fabs(num(f, "distance_m") - 800) <= 1);
	const json_t *hs = json_object_get(h, "site"), *fs = json_object_get(f, "site");
	assert_string_equal(json_string_value(json_object_get(hs, "name")), "Test H1");
	assert_string_equal(json_string_value(json_object_get(hs, "kind")), "hospital");
	assert_true(num(hs, "beds") == 300);
	assert_true(num(hs, "ic_beds") == 12);
	assert_true(json_is_null(json_object_get(hs, "clients")));
	assert_int_equal(json_integer_value(json_object_get(hs, "site_id")),
			 q("SELECT id FROM sites WHERE source_id = 'H1'"));
	assert_string_equal(json_string_value(json_object_get(fs, "name")), "Test F1");
	assert_string_equal(json_string_value(json_object_get(fs, "subkind")), "vrijwillig");
	assert_true(json_is_null(json_object_get(fs, "beds")));
	assert_true(fabs(num(fs, "x") - (W.hx - 500)) < 0.2);
	json_decref(r);
	/* 99 km east: both within 100 km (the hospital at 99.0, F1 at 99.5 km) */
	r = coverage(s, W.hx + 99000, W.hy);
	h = json_object_get(r, "nearest_hospital");
	f = json_object_get(r, "nearest_fire_station");
	assert_true(json_is_object(h) && json_is_object(f));
	assert_true(fabs(num(h, "distance_m") - 99000) <= 1);
	assert_true(fabs(num(f, "distance_m") - 99500) <= 1);
	json_decref(r);
	/* 101 km east: neither */
	r = coverage(s, W.hx + 101000, W.hy);
	assert_true(json_is_null(json_object_get(r, "nearest_hospital")));
	assert_true(json_is_null(json_object_get(r, "nearest_fire_station")));
	json_decref(r);
	served_free(s);
}

/* The names in care.without_funded_backup, sorted, comma-separated, into out. */
static void unfunded_names(const json_t *care, char *out, size_t len)
{
	const json_t *list = json_object_get(care, "without_funded_backup");
	char names[8][32];
	size_t n = 0;
	assert_true(json_is_array(list));
	for (size_t k = 0; k < json_array_size(list) && n < 8; k++) {
		const json_t *site = json_object_get(json_array_get(list, k), "site");
		snprintf(names[n++], sizeof names[0], "%s",
			 json_string_value(json_object_get(site, "name")));
	}
	assert_int_equal(n, json_array_size(list));
	qsort(names, n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
	out[0] = '\0';
	for (size_t k = 0; k < n; k++)
		snprintf(out + strlen(out), len - strlen(out), "%s%s", k ? "," : "", names[k]);
}

/* The same list from the stored plan: care sites whose generator is not funded. */
static void stored_unfunded(long long plan_id, char *out, size_t len)
{
	char sql[400];
	snprintf(sql, sizeof sql, "SELECT coalesce(group_concat(name, ','), '') FROM (SELECT"
		 " s.name FROM plan_generators g JOIN sites s ON s.id = g.site_id WHERE g.plan_id ="
		 " %lld AND g.funded = 0 ORDER BY s.name)", plan_id);
	qtext(sql, out, len);
}

static json_t *gaps_care(const struct served *s, const char *region)
{
	char params[128];
	snprintf(params, sizeof params, "{\"region\":\"%s\",\"worst\":0}", region);
	json_t *r = call(s, "gaps", params);
	json_t *care = json_incref(json_object_get(r, "care"));
	json_decref(r);
	assert_true(json_is_object(care));
	return care;
}

static void test_gaps_care_unfunded(void **state)
{
	(void)state;
	char got[256], want[256];
	long long id;
	/* nothing beyond the support points: all three unfunded, with their generators */
	struct served *s = serve(W.points_eur, &id);
	json_t *care = gaps_care(s, "VR17");
	assert_int_equal(json_integer_value(json_object_get(care, "institutions")), 3);
	assert_int_equal(json_integer_value(json_object_get(care, "funded")), 0);
	unfunded_names(care, got, sizeof got);
	assert_string_equal(got, "Test c1,Test c2,Test c3");
	const json_t *list = json_object_get(care, "without_funded_backup");
	for (size_t k = 0; k < json_array_size(list); k++) {
		const json_t *e = json_array_get(list, k);
		const char *name = json_string_value(json_object_get(json_object_get(e, "site"),
								     "name"));
		double kva = strcmp(name, "Test c1") == 0 ? 200 : strcmp(name, "Test c2") == 0 ? 50
											     : 20;
		assert_true(num(e, "kva") == kva);
		assert_true(num(e, "cost_eur") == 500 * kva);
	}
	json_decref(care);
	/* a gemeente holds only its own */
	care = gaps_care(s, W.gm_c1);
	unfunded_names(care, got, sizeof got);
	assert_non_null(strstr(got, "Test c1"));
	assert_int_equal(json_integer_value(json_object_get(care, "institutions")),
			 W.care_in_gm_c1);
	assert_int_equal(json_integer_value(json_object_get(care, "institutions")),
			 (json_int_t)json_array_size(json_object_get(care, "without_funded_backup")));
	json_decref(care);
	served_free(s);

	/* room for one EUR 10,000 generator: the list is what the plan left unfunded */
	s = serve(W.points_eur + 10001, &id);
	care = gaps_care(s, "VR17");
	unfunded_names(care, got, sizeof got);
	stored_unfunded(id, want, sizeof want);
	assert_string_equal(got, want);
	assert_non_null(strstr(got, "Test c1"));
	assert_non_null(strstr(got, "Test c2"));
	assert_int_equal(json_integer_value(json_object_get(care, "funded")),
			 q("SELECT count(*) FROM plan_generators WHERE plan_id = %lld AND funded = 1",
			   id));
	json_decref(care);
	served_free(s);

	/* everything funded: an empty list */
	s = serve(1e9, &id);
	care = gaps_care(s, "VR17");
	assert_int_equal(json_integer_value(json_object_get(care, "institutions")), 3);
	assert_int_equal(json_integer_value(json_object_get(care, "funded")), 3);
	assert_int_equal(json_array_size(json_object_get(care, "without_funded_backup")), 0);
	json_decref(care);
	served_free(s);
}

/* Residents of gemeente gm (area index; -1 = all) reached by a funded local site, found
 * by scanning every site of the served model (not its indexes). */
static double brute_blackout(const struct served *s, int32_t gm, int64_t *only_unfunded)
{
	double covered = 0;
	*only_unfunded = -1;
	for (size_t i = 0; i < s->demand.n; i++) {
		if (gm >= 0 && s->demand.gemeente[i] != gm)
			continue;
		double r = served_radius(s, 1, s->demand.urbanity[i]);
		int any = 0, funded = 0;
		for (size_t k = 0; k < s->nsites && !funded; k++) {
			const struct served_site *x = &s->sites[k];
			double dx = x->x - s->demand.xy[2 * i], dy = x->y - s->demand.xy[2 * i + 1];
			if (x->level != 1 || dx * dx + dy * dy > r * r)
				continue;
			any = 1;
			funded = x->power_funded;
		}
		covered += funded ? s->demand.residents[i] : 0;
		if (any && !funded && *only_unfunded < 0)
			*only_unfunded = (int64_t)i;
	}
	return covered;
}

/* Half the support points' cost: every regional point and as many local ones as the rest
 * pays for are funded (greedily), the stored and served blackout figures agree with a brute
 * force, a point reached only by unfunded sites is covered but not in a blackout, and with
 * the full budget both figures are equal. */
static void test_blackout(void **state)
{
	(void)state;
	long long id;
	double budget = W.points_eur / 2, local_eur = 360 * 400.0, regional_eur = 30 * 500.0;
	struct served *s = serve(budget, &id);
	long long nr = q("SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND level = 2", id);
	long long nl = q("SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND level = 1", id);
	long long fr = q("SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND level = 2 AND"
			 " power_funded = 1", id);
	long long fl = q("SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND level = 1 AND"
			 " power_funded = 1", id);
	assert_int_equal(fr, nr);
	assert_int_equal(fl, (long long)floor((budget - (double)nr * regional_eur) / local_eur));
	assert_true(fl > 0 && fl < nl);
	int64_t lone = -1;
	int32_t gm = served_find_code(s, W.gm_c1);
	double all = brute_blackout(s, -1, &lone), in_gm = brute_blackout(s, gm, &lone);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT blackout_covered FROM plan_areas WHERE plan_id = %lld"
		 " AND code = '%s'", id, W.gm_c1);
	print_message("blackout: %lld of %lld local points funded; %s %.0f (brute force %.0f),"
		      " VR17 %.0f\n", fl, nl, W.gm_c1, qd(sql), in_gm, all);
	assert_true(fabs(qd(sql) - in_gm) <= 1e-6 * in_gm + 1e-6);
	json_t *r = call(s, "gaps", "{\"region\":\"VR17\"}");
	const json_t *b = json_object_get(r, "blackout");
	assert_true(fabs(num(b, "covered") - all) <= 0.1 + 1e-9 * all);
	assert_true(num(b, "covered") < num(r, "covered"));
	json_decref(r);
	r = call(s, "stats", "{\"region\":\"VR17\"}");
	assert_true(fabs(num(json_object_get(json_object_get(r, "region"), "blackout"), "covered")
			 - all) <= 0.1 + 1e-9 * all);
	json_decref(r);
	assert_true(lone >= 0);
	r = coverage(s, s->demand.xy[2 * lone], s->demand.xy[2 * lone + 1]);
	const json_t *local = json_object_get(r, "local");
	assert_true(json_is_true(json_object_get(local, "covered")));
	assert_true(json_is_false(json_object_get(local, "covered_in_blackout")));
	json_decref(r);
	served_free(s);
	s = serve(1e9, &id);
	assert_int_equal(q("SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND"
			   " power_funded = 0", id), 0);
	assert_int_equal(q("SELECT count(*) FROM plan_areas WHERE plan_id = %lld AND"
			   " abs(blackout_covered - covered) > 1e-6", id), 0);
	served_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coverage_nearest),
		cmocka_unit_test(test_gaps_care_unfunded),
		cmocka_unit_test(test_blackout),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
