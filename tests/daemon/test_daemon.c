/* End-to-end tests of hubplannerd: the real daemon on a temporary socket, config and database
 * holding the bundled data and a plan scoped to VR17 and VR18. Every method's answers are
 * checked against the stored plan read with sqlite; then the protocol errors, limits,
 * signals and recomputes, one small scenario per test, each with its own daemon. */
#define _DEFAULT_SOURCE /* setgroups */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <grp.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "jobs/plan_run.h"
#include "tests/lib/e2e.h"
#include "tests/lib/bundled_fx.h"
#include "tests/lib/testutil.h"

#include "tests/lib/e2e.c"

#define DB_BUSY_MS 30000         /* how long a test's read waits for the daemon's writes */

#define DAEMON_BIN HUB_BUILD_DIR "/daemon/hubplannerd"

/* The configuration defaults: local and regional radius per urbanity class 1..5. */
static const double LOCAL_R[5] = {750, 1000, 1500, 2500, 5000};
static const double REGIONAL_R[5] = {5000, 5000, 5000, 10000, 10000};

/* Fast recomputes: a national plan on coarse demand samples. */
#define FAST_PLAN "sample_spacing_urban_m = 1000\nsample_spacing_rural_m = 2000\n" \
	"search_time_s = 1\nbound_iterations = 20\n"

struct world {
	char dir[256], db[300];
	long long plan_id;
	int ndaemons;
	pid_t live[4];                /* daemons started and not yet stopped */
	struct e2e_daemon shared;     /* one daemon on the fixture for the read-only tests */
	int shared_up;
};

static struct world W;

/* ---- the stored plan, read with sqlite ---- */

static double sql_num(const char *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static double sql_num(const char *db, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	double v = NAN;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(h, DB_BUSY_MS);     /* the daemon may be writing (slow under valgrind) */
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(h));
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		v = sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}

static void sql_text(const char *db, const char *sql, char *out, size_t outlen)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	out[0] = '\0';
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(h, DB_BUSY_MS);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(h);
}

/* The distance from (x, y) to the nearest stored site of the fixture plan at level. */
static double nearest_site_m(int level, double x, double y)
{
	return sqrt(sql_num(W.db, "SELECT min((x_rd - %.3f) * (x_rd - %.3f) + (y_rd - %.3f) *"
			    " (y_rd - %.3f)) FROM plan_sites WHERE plan_id = %lld AND level = %d",
			    x, x, y, y, W.plan_id, level));
}

static double plan_area(const char *db, long long plan, const char *code, const char *column)
{
	return sql_num(db, "SELECT %s FROM plan_areas WHERE plan_id = %lld AND code = '%s'",
		       column, plan, code);
}

static void expect_near_at(double actual, double expected, double tol, const char *what,
			   const char *file, int lineno)
{
	if (fabs(actual - expected) <= tol)
		return;
	print_error("%s: daemon says %.3f, expected %.3f\n", what, actual, expected);
	_fail(file, lineno);
}
#define expect_near(a, e, tol, what) expect_near_at(a, e, tol, what, __FILE__, __LINE__)

/* ---- fixture and daemons ---- */

static int setup(void **state)
{
	struct plan_run_options opt = {NULL, "VR17,VR18", NULL, 0, NULL};
	struct plan_result res;
	struct plan_run_info info;
	struct config cfg;
	char err[4096];
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	if (bfx_import(W.dir, sizeof W.dir, W.db, sizeof W.db) < 0)
		return -1;
	config_defaults(&cfg);
	snprintf(cfg.database, sizeof cfg.database, "%s", W.db);
	cfg.search_time_s = 1;
	int rc = plan_run(&cfg, NULL, &opt, &res, &info, err, sizeof err);
	plan_result_free(&res);
	if (rc < 0)
		fprintf(stderr, "plan: %s\n", err);
	W.plan_id = (long long)info.plan_id;
	return rc < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	if (W.shared_up) {                    /* a test failed before test_shared_stop */
		kill(W.shared.pid, SIGKILL);
		waitpid(W.shared.pid, NULL, 0);
	}
	tu_rmtree(W.dir);
	return 0;
}

/* A copy of the fixture database for a test that stores plans. */
static void copy_db(char *out, size_t outlen)
{
	sqlite3 *h = NULL;
	char sql[400];
	snprintf(out, outlen, "%s/copy%d.db", W.dir, ++W.ndaemons);
	snprintf(sql, sizeof sql, "VACUUM INTO '%s'", out);
	assert_int_equal(sqlite3_open_v2(W.db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static void write_conf(const struct e2e_daemon *d, const char *db, const char *daemon_extra,
		       const char *plan_extra)
{
	e2e_write_config(d->conf, db, d->sock, HUB_PROJ_DIR, daemon_extra, plan_extra);
}

/* Starts a daemon on db, with [proj] grid_dir = proj_dir, its own config file, socket and
 * stderr log. */
static void start_db_proj(struct e2e_daemon *d, const char *db, const char *proj_dir,
			  const char *daemon_extra, const char *plan_extra)
{
	int n = ++W.ndaemons;
	snprintf(d->conf, sizeof d->conf, "%s/d%d.conf", W.dir, n);
	snprintf(d->sock, sizeof d->sock, "%s/d%d.sock", W.dir, n);
	snprintf(d->errlog, sizeof d->errlog, "%s/d%d.err", W.dir, n);
	e2e_write_config(d->conf, db, d->sock, proj_dir, daemon_extra, plan_extra);
	e2e_start(d, DAEMON_BIN);
	for (int k = 0; k < 4; k++)
		if (!W.live[k]) {
			W.live[k] = d->pid;
			break;
		}
}

static void start_db(struct e2e_daemon *d, const char *db, const char *daemon_extra,
		     const char *plan_extra)
{
	start_db_proj(d, db, HUB_PROJ_DIR, daemon_extra, plan_extra);
}

static void forget(pid_t pid)
{
	for (int k = 0; k < 4; k++)
		if (W.live[k] == pid)
			W.live[k] = 0;
}

/* After each test: a daemon that a failed test left running is killed. */
static int kill_leftovers(void **state)
{
	(void)state;
	for (int k = 0; k < 4; k++)
		if (W.live[k]) {
			kill(W.live[k], SIGKILL);
			waitpid(W.live[k], NULL, 0);
			W.live[k] = 0;
		}
	return 0;
}

static void start(struct e2e_daemon *d)
{
	start_db(d, W.db, "", "");
}

/* SIGTERM: the daemon must exit 0 (under ASan: also without leaks). */
static void stop(struct e2e_daemon *d)
{
	pid_t pid = d->pid;
	int code = e2e_stop(d);
	forget(pid);
	if (code != 0) {
		char *log = e2e_log(d);
		print_error("hubplannerd (pid %d) exited with %d; stderr:\n%s\n", (int)pid, code, log);
		free(log);
	}
	assert_int_equal(code, 0);
}

/* The daemon the read-only tests share (started by the first of them): each start loads
 * the fixture's model, which under valgrind takes half a minute. A test that changes the
 * daemon's state (reload, signals, recompute, its own configuration) starts its own. */
static struct e2e_daemon *shared(void)
{
	if (!W.shared_up) {
		start(&W.shared);
		forget(W.shared.pid);         /* not killed after each test: stopped last */
		W.shared_up = 1;
	}
	return &W.shared;
}

/* The last test: the shared daemon exits 0 on SIGTERM (under ASan: without leaks). */
static void test_shared_stop(void **state)
{
	(void)state;
	assert_non_null(shared());
	W.shared_up = 0;
	stop(&W.shared);
}

/* Sends one raw line (' stands for ") and returns the reply. */
static json_t *line(struct e2e_client *c, const char *text)
{
	char *s = strdup(text);
	assert_non_null(s);
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	e2e_send(c, s);
	free(s);
	json_t *r = e2e_recv(c);
	assert_non_null(r);
	return r;
}

static json_t *status(struct e2e_client *c)
{
	return e2e_result(e2e_call(c, "status", NULL));
}

/* Polls status until done(status, arg) or the deadline; returns the last status. */
static json_t *status_until(struct e2e_client *c, int (*done)(json_t *st, long long arg),
			    long long arg)
{
	struct timespec pause = {0, 20000000L};
	for (int i = 0; i < E2E_TIMEOUT_MS / 20; i++) {
		json_t *st = status(c);
		if (done(st, arg))
			return st;
		json_decref(st);
		nanosleep(&pause, NULL);
	}
	fail_msg("status never reached the expected state");
	return NULL;
}

/* ---- every method, checked against the stored plan ---- */

static void test_status(void **state)
{
	struct e2e_daemon *d = shared();
	struct e2e_client c;
	char version[64];
	(void)state;
	e2e_connect(&c, d->sock);
	json_t *st = status(&c);
	sql_text(W.db, "SELECT data_version FROM plans ORDER BY id DESC LIMIT 1", version,
		 sizeof version);
	assert_int_equal((long long)e2e_num(st, "plan.plan_id"), W.plan_id);
	assert_string_equal(e2e_str(st, "plan.data_version"), version);
	assert_true(json_is_false(e2e_get(st, "recompute.running")));
	assert_true(json_is_null(e2e_get(st, "recompute.last_result")));
	assert_true(e2e_num(st, "requests.clients") >= 1);
	json_decref(st);
	e2e_close(&c);
}

/* The finest of buurt, wijk, gemeente in the reply with an urbanity class in the store. */
static int stored_urbanity(json_t *r)
{
	const char *levels[] = {"buurt", "wijk", "gemeente"};
	for (int k = 0; k < 3; k++) {
		const char *code = json_string_value(json_object_get(json_object_get(r, levels[k]),
								     "code"));
		double u = code ? sql_num(W.db, "SELECT urbanity FROM areas WHERE code = '%s'", code)
				: NAN;
		if (u == u)
			return (int)u;
	}
	return 5;
}

/* The reply's place, radii, nearest sites and covered flags against the stored plan. */
static void check_coverage(json_t *r, double x, double y)
{
	char region[16], sql[128];
	int u = (int)e2e_num(r, "urbanity");
	double dl = nearest_site_m(1, x, y), dr = nearest_site_m(2, x, y);
	assert_int_equal(u, stored_urbanity(r));
	if (json_is_null(e2e_get(r, "gemeente"))) {   /* outside the served areas */
		assert_true(json_is_null(e2e_get(r, "safety_region")));
	} else {
		snprintf(sql, sizeof sql, "SELECT region_code FROM memberships WHERE"
			 " gemeente_code = '%s'", e2e_str(r, "gemeente.code"));
		sql_text(W.db, sql, region, sizeof region);
		assert_string_equal(e2e_str(r, "safety_region.code"), region);
	}
	expect_near(e2e_num(r, "local.radius_m"), LOCAL_R[u - 1], 1e-9, "local radius");
	expect_near(e2e_num(r, "regional.radius_m"), REGIONAL_R[u - 1], 1e-9, "regional radius");
	expect_near(e2e_num(r, "local.nearest.0.properties.distance_m"), dl, 0.051, "nearest local");
	expect_near(e2e_num(r, "regional.nearest.0.properties.distance_m"), dr, 0.051,
		    "nearest regional");
	assert_int_equal(json_is_true(e2e_get(r, "local.covered")), dl <= LOCAL_R[u - 1]);
	assert_int_equal(json_is_true(e2e_get(r, "regional.covered")), dr <= REGIONAL_R[u - 1]);
}

/* RD (92000, 437000) is ETRS89 51.917915708 N 4.471457551 E (RDNAPTRANS2018). */
static void test_coverage_xy_and_latlon(void **state)
{
	struct e2e_daemon *d = shared();
	struct e2e_client c;
	(void)state;
	e2e_connect(&c, d->sock);
	json_t *a = e2e_result(e2e_call(&c, "coverage", "{'point':{'x':92000,'y':437000},'k':3}"));
	json_t *b = e2e_result(e2e_call(&c, "coverage",
		"{'point':{'lat':51.917915708,'lon':4.471457551},'k':3}"));
	expect_near(e2e_num(a, "point.lat"), 51.917915708, 2e-7, "lat of RD 92000 437000");
	expect_near(e2e_num(a, "point.lon"), 4.471457551, 2e-7, "lon of RD 92000 437000");
	expect_near(e2e_num(b, "point.x"), 92000, 0.06, "x of the Rotterdam reference");
	expect_near(e2e_num(b, "point.y"), 437000, 0.06, "y of the Rotterdam reference");
	assert_string_equal(e2e_str(a, "gemeente.code"), "GM0599");
	assert_string_equal(e2e_str(b, "buurt.code"), e2e_str(a, "buurt.code"));
	assert_int_equal(json_array_size(e2e_get(a, "local.nearest")), 3);
	check_coverage(a, 92000, 437000);
	check_coverage(b, 92000, 437000);
	json_decref(a);
	json_decref(b);
	/* Amersfoort lies outside the planned regions: nothing covers it. */
	a = e2e_result(e2e_call(&c, "coverage", "{'point':{'x':155000,'y':463000}}"));
	check_coverage(a, 155000, 463000);
	assert_true(json_is_false(e2e_get(a, "local.covered")));
	json_decref(a);
	e2e_close(&c);
}

/* The daemon's residents and covered for an area equal the plan's stored per-area results. */
static void expect_gaps_as_stored(struct e2e_client *c, const char *code, const char *db,
				  long long plan)
{
	char what[64];
	json_t *g = e2e_result(e2e_call(c, "gaps", "{'region':'%s','worst':0}", code));
	snprintf(what, sizeof what, "%s residents", code);
	expect_near(e2e_num(g, "residents"), plan_area(db, plan, code, "residents"), 0.5, what);
	snprintf(what, sizeof what, "%s covered", code);
	expect_near(e2e_num(g, "covered"), plan_area(db, plan, code, "covered"), 0.5, what);
	json_decref(g);
}

/* gaps for a municipality: totals, worst areas in order, the largest uncovered spot. */
static void test_gaps_region(void **state)
{
	struct e2e_daemon *d = shared();
	struct e2e_client c;
	(void)state;
	e2e_connect(&c, d->sock);
	json_t *g = e2e_result(e2e_call(&c, "gaps", "{'region':'GM0599','worst':5}"));
	expect_near(e2e_num(g, "residents"), e2e_num(g, "covered") + e2e_num(g, "uncovered"), 0.15,
		    "residents = covered + uncovered");
	json_t *worst = e2e_get(g, "worst_areas");
	for (size_t k = 1; k < json_array_size(worst); k++)
		assert_true(json_number_value(json_object_get(json_array_get(worst, k), "uncovered")) <=
			    json_number_value(json_object_get(json_array_get(worst, k - 1), "uncovered")));
	/* Rotterdam's wijken get their demand from buurten and cells; its demand areas are
	 * buurten with cells, even buurten and the cells themselves (#14). */
	for (size_t k = 0; k < json_array_size(worst); k++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(worst, k),
								      "spread")), "finer");
	json_t *spread = e2e_get(g, "spread_areas");
	assert_true(json_integer_value(json_object_get(spread, "own")) > 1000);
	assert_true(json_integer_value(json_object_get(spread, "cells")) > 10);
	assert_null(json_object_get(spread, "finer"));
	/* The largest uncovered spot is not covered, and its radius is the distance to the
	 * nearest local site. */
	double sx = e2e_num(g, "largest_uncovered_spot.centre.x");
	double sy = e2e_num(g, "largest_uncovered_spot.centre.y");
	expect_near(e2e_num(g, "largest_uncovered_spot.radius_m"), nearest_site_m(1, sx, sy), 0.2,
		    "largest uncovered spot radius");
	json_t *cv = e2e_result(e2e_call(&c, "coverage", "{'point':{'x':%.1f,'y':%.1f}}", sx, sy));
	assert_true(json_is_false(e2e_get(cv, "local.covered")));
	json_decref(cv);
	json_decref(g);
	expect_gaps_as_stored(&c, "GM1963", W.db, W.plan_id);   /* wijk samples (VR18) */
	expect_gaps_as_stored(&c, "GM0599", W.db, W.plan_id);   /* 100 m cells (VR17) */
	e2e_close(&c);
}

/* A daemon configured with other sample spacings still answers with the served plan's
 * figures: the demand is the plan's, not the current configuration's. */
static void test_gaps_use_plan_parameters(void **state)
{
	struct e2e_daemon d;
	struct e2e_client c;
	(void)state;
	start_db(&d, W.db, "", FAST_PLAN);
	e2e_connect(&c, d.sock);
	expect_gaps_as_stored(&c, "GM1963", W.db, W.plan_id);
	e2e_close(&c);
	stop(&d);
}

/* A bbox around GM0599's largest uncovered spot: uncovered residents, drawn as GeoJSON. */
static void test_gaps_bbox_geojson(void **state)
{
	struct e2e_daemon *d = shared();
	struct e2e_client c;
	(void)state;
	e2e_connect(&c, d->sock);
	json_t *g = e2e_result(e2e_call(&c, "gaps", "{'region':'GM0599','worst':0}"));
	double sx = e2e_num(g, "largest_uncovered_spot.centre.x");
	double sy = e2e_num(g, "largest_uncovered_spot.centre.y");
	json_decref(g);
	g = e2e_result(e2e_call(&c, "gaps", "{'bbox':[%.1f,%.1f,%.1f,%.1f],'geojson':true}",
				sx - 1500, sy - 1500, sx + 1500, sy + 1500));
	assert_string_equal(e2e_str(g, "region"), "bbox");
	assert_true(e2e_num(g, "uncovered") > 0);
	expect_near(e2e_num(g, "residents"), e2e_num(g, "covered") + e2e_num(g, "uncovered"), 0.15,
		    "residents = covered + uncovered");
	int multi = strcmp(e2e_str(g, "uncovered_geojson.type"), "MultiPolygon") == 0;
	if (!multi)
		assert_string_equal(e2e_str(g, "uncovered_geojson.type"), "Polygon");
	json_t *ring = e2e_get(g, multi ? "uncovered_geojson.coordinates.0.0"
				     : "uncovered_geojson.coordinates.0");
	double lon = e2e_num(ring, "0.0"), lat = e2e_num(ring, "0.1");
	assert_true(lon > 3 && lon < 5 && lat > 51.5 && lat < 52.5);
	json_decref(g);
	e2e_expect_error(e2e_call(&c, "gaps", "{'region':'GM0599','geojson':'yes'}"), -32602,
			 "\"geojson\" must be true or false");
	e2e_close(&c);
}

static void check_region(json_t *r, const char *code)
{
	struct { const char *key, *column; } f[] = {
		{"residents", "residents"}, {"covered", "covered_residents"},
		{"covered_weight", "covered_weight"}, {"bound", "bound"},
		{"local_sites", "local_sites"}, {"regional_sites", "regional_sites"},
	};
	for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
		expect_near(e2e_num(r, f[k].key), sql_num(W.db, "SELECT %s FROM plan_regions WHERE"
			    " plan_id = %lld AND code = '%s'", f[k].column, W.plan_id, code), 0.06,
			    f[k].key);
}

static void test_stats_national_and_region(void **state)
{
	struct e2e_daemon *d = shared();
	struct e2e_client c;
	(void)state;
	e2e_connect(&c, d->sock);
	json_t *n = e2e_result(e2e_call(&c, "stats", NULL));
	json_t *regions = e2e_get(n, "regions");
	assert_int_equal(json_array_size(regions), (size_t)sql_num(W.db, "SELECT count(*) FROM"
			 " plan_regions WHERE plan_id = %lld", W.plan_id));
	assert_int_equal((long long)e2e_num(n, "plan_id"), W.plan_id);
	expect_near(e2e_num(n, "parameters.local_radius_m.0"), LOCAL_R[0], 0, "local radius 1");
	assert_true(e2e_num(n, "national.residents") > 0);
	json_decref(n);
	json_t *r = e2e_result(e2e_call(&c, "stats", "{'region':'VR17'}"));
	check_region(e2e_get(r, "region"), "VR17");
	json_decref(r);
	e2e_close(&c);
}

static void test_stats_area(void **state)
{
	struct e2e_daemon *d = shared();
	struct e2e_client c;
	(void)state;
	e2e_connect(&c, d->sock);
	json_t *a = e2e_result(e2e_call(&c, "stats", "{'region':'GM0599'}"));
	assert_string_equal(e2e_str(a, "area.code"), "GM0599");
	expect_near(e2e_num(a, "area.local_sites"), sql_num(W.db, "SELECT count(*) FROM plan_sites"
		    " WHERE plan_id = %lld AND level = 1 AND gemeente_code = 'GM0599'", W.plan_id),
		    0, "GM0599 local sites");
	expect_near(e2e_num(a, "area.residents"), plan_area(W.db, W.plan_id, "GM0599", "residents"),
		    0.06, "GM0599 residents");
	expect_near(e2e_num(a, "area.covered"), plan_area(W.db, W.plan_id, "GM0599", "covered"),
		    0.06, "GM0599 covered");
	json_decref(a);
	e2e_close(&c);
}

static double sites_in(const char *region, int level)
{
	return sql_num(W.db, "SELECT count(*) FROM plan_sites s JOIN memberships m ON"
		       " m.gemeente_code = s.gemeente_code WHERE s.plan_id = %lld AND"
		       " m.region_code = '%s' AND s.level IN (%d, %d)", W.plan_id, region,
		       level ? level : 1, level ? level : 2);
}

static void test_sites(void **state)
{
	struct e2e_daemon *d = shared();
	struct e2e_client c;
	(void)state;
	e2e_connect(&c, d->sock);
	json_t *s = e2e_result(e2e_call(&c, "sites", "{'region':'VR17'}"));
	assert_string_equal(e2e_str(s, "type"), "FeatureCollection");
	assert_int_equal(json_array_size(e2e_get(s, "features")), (size_t)sites_in("VR17", 0));
	assert_string_equal(e2e_str(s, "features.0.geometry.type"), "Point");
	double lon = e2e_num(s, "features.0.geometry.coordinates.0");
	assert_true(lon > 3 && lon < 5);              /* RFC 7946: lon first */
	json_decref(s);
	s = e2e_result(e2e_call(&c, "sites", "{'region':'VR17','level':'local'}"));
	assert_int_equal(json_array_size(e2e_get(s, "features")), (size_t)sites_in("VR17", 1));
	json_decref(s);
	e2e_close(&c);
}

static void test_whatif(void **state)
{
	struct e2e_daemon *d = shared();
	struct e2e_client c;
	const char *site = "SELECT %s FROM plan_sites WHERE plan_id = %lld AND level = 1 AND seq = 1";
	double x = sql_num(W.db, site, "x_rd", W.plan_id), y = sql_num(W.db, site, "y_rd", W.plan_id);
	(void)state;
	e2e_connect(&c, d->sock);
	/* A second site on top of an open one adds nothing. */
	json_t *w = e2e_result(e2e_call(&c, "whatif", "{'add':[{'x':%.3f,'y':%.3f}]}", x, y));
	expect_near(e2e_num(w, "gained"), 0, 0, "gained by a duplicate site");
	json_decref(w);
	/* Removing a site and putting it back changes nothing. */
	w = e2e_result(e2e_call(&c, "whatif", "{'add':[{'x':%.3f,'y':%.3f}],'remove':[1]}", x, y));
	expect_near(e2e_num(w, "net"), 0, 0, "net of remove and re-add");
	assert_int_equal(json_array_size(e2e_get(w, "areas")), 0);
	json_decref(w);
	w = e2e_result(e2e_call(&c, "whatif", "{'remove':[1]}"));
	expect_near(e2e_num(w, "net"), -e2e_num(w, "lost"), 0.15, "net of a removal");
	json_decref(w);
	/* A site at GM0599's largest uncovered spot gains residents there. */
	json_t *g = e2e_result(e2e_call(&c, "gaps", "{'region':'GM0599','worst':0}"));
	w = e2e_result(e2e_call(&c, "whatif", "{'add':[{'x':%.1f,'y':%.1f}]}",
				e2e_num(g, "largest_uncovered_spot.centre.x"),
				e2e_num(g, "largest_uncovered_spot.centre.y")));
	assert_true(e2e_num(w, "gained") > 0);
	expect_near(e2e_num(w, "lost"), 0, 0, "lost by an added site");
	json_decref(w);
	json_decref(g);
	e2e_close(&c);
}

/* Gains are positive and never grow; adding the first suggestion gains what it says. */
static void test_suggest(void **state)
{
	struct e2e_daemon *d = shared();
	struct e2e_client c;
	(void)state;
	e2e_connect(&c, d->sock);
	json_t *s = e2e_result(e2e_call(&c, "suggest", "{'region':'GM0599','k':5}"));
	json_t *list = e2e_get(s, "suggestions");
	assert_true(json_array_size(list) >= 2);
	for (size_t k = 0; k < json_array_size(list); k++) {
		json_t *p = json_array_get(list, k);
		assert_true(e2e_num(p, "gain_residents") > 0 && e2e_num(p, "gain_weight") > 0);
		if (k > 0)
			assert_true(e2e_num(p, "gain_weight") <=
				    e2e_num(json_array_get(list, k - 1), "gain_weight"));
	}
	json_t *w = e2e_result(e2e_call(&c, "whatif", "{'add':[{'candidate':%lld}]}",
					(long long)e2e_num(list, "0.candidate")));
	expect_near(e2e_num(w, "gained"), e2e_num(list, "0.gain_residents"), 0.15,
		    "whatif gain of the first suggestion");
	json_decref(w);
	json_decref(s);
	e2e_close(&c);
}

/* reload re-reads the configuration and keeps serving the same plan. */
static void test_reload_method(void **state)
{
	struct e2e_daemon d;
	struct e2e_client c;
	(void)state;
	start(&d);
	e2e_connect(&c, d.sock);
	json_t *r = e2e_result(e2e_call(&c, "reload", NULL));
	assert_true(json_is_true(e2e_get(r, "reloading")));
	json_decref(r);
	assert_true(e2e_wait_log(&d, "reload: configuration read", E2E_TIMEOUT_MS));
	json_t *st = status(&c);
	assert_int_equal((long long)e2e_num(st, "plan.plan_id"), W.plan_id);
	json_decref(st);
	e2e_close(&c);
	stop(&d);
}

/* ---- protocol errors ---- */

static void test_protocol_errors(void **state)
{
	struct e2e_daemon *d = shared();
	struct e2e_client c;
	(void)state;
	e2e_connect(&c, d->sock);
	e2e_expect_error(line(&c, "{'jsonrpc':'2.0',"), -32700, "parse error");
	e2e_expect_error(line(&c, "[{'jsonrpc':'2.0','id':1,'method':'status'}]"), -32600, "batch");
	e2e_expect_error(line(&c, "{'id':2,'method':'status'}"), -32600, "jsonrpc");
	e2e_expect_error(line(&c, "{'jsonrpc':'2.0','id':3,'method':7}"), -32600, "method");
	e2e_expect_error(line(&c, "{'jsonrpc':'2.0','id':4,'method':'nope'}"), -32601, "nope");
	e2e_expect_error(line(&c, "{'jsonrpc':'2.0','id':5,'method':'status','params':[1]}"), -32602,
			 "params");
	json_decref(status(&c));                      /* the connection still works */
	e2e_close(&c);
}

static void test_bad_params(void **state)
{
	struct e2e_daemon *d = shared();
	struct e2e_client c;
	(void)state;
	e2e_connect(&c, d->sock);
	e2e_expect_error(e2e_call(&c, "coverage", "{}"), -32602, "point");
	e2e_expect_error(e2e_call(&c, "coverage", "{'point':{'lat':91,'lon':5}}"), -32602, "lat=91");
	e2e_expect_error(e2e_call(&c, "coverage", "{'point':{'x':92000,'y':437000},'k':0}"), -32602,
			 "\"k\"");
	e2e_expect_error(e2e_call(&c, "suggest", "{'region':'GM0599','k':0}"), -32602, "\"k\"");
	e2e_expect_error(e2e_call(&c, "gaps", "{'region':'XX99'}"), -32001, "XX99");
	e2e_expect_error(e2e_call(&c, "gaps", "{}"), -32602, "region");
	e2e_expect_error(e2e_call(&c, "stats", "{'bbox':[0,300000,1000,301000]}"), -32602, "bbox");
	e2e_expect_error(e2e_call(&c, "sites", "{'region':'VR17','level':'x'}"), -32602, "level");
	e2e_expect_error(e2e_call(&c, "whatif", "{'remove':[999999]}"), -32001, "999999");
	e2e_expect_error(e2e_call(&c, "changes", "{'to':999}"), -32001, "no plan 999");
	e2e_expect_error(e2e_call(&c, "changes", "{'region':'WK059901'}"), -32602, "region");
	e2e_expect_error(e2e_call(&c, "changes", "{'region':'GM0363'}"), -32001,
			 "GM0363 is in neither plan");
	/* the fixture's plan is the first: nothing to compare */
	json_t *ch = e2e_result(e2e_call(&c, "changes", NULL));
	assert_true(json_is_true(json_object_get(ch, "first_plan")));
	assert_true(json_is_null(json_object_get(ch, "from")));
	assert_int_equal((long long)e2e_num(ch, "to.plan_id"), W.plan_id);
	assert_int_equal(json_array_size(json_object_get(ch, "added")), 0);
	json_decref(ch);
	e2e_close(&c);
}

/* Notifications (no id) get no reply, not even an error. */
static void test_notification(void **state)
{
	struct e2e_daemon d;
	struct e2e_client c;
	(void)state;
	start(&d);
	e2e_connect(&c, d.sock);
	e2e_send(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"status\"}");
	e2e_send(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}");
	json_t *r = line(&c, "{'jsonrpc':'2.0','id':'seven','method':'status'}");
	assert_string_equal(e2e_str(r, "id"), "seven");
	json_decref(r);
	e2e_close(&c);
	stop(&d);
}

/* 100 requests in one write: 100 replies in request order. */
static void test_pipelining(void **state)
{
	struct e2e_daemon *d = shared();
	struct e2e_client c;
	char *buf = malloc(100 * 160), *p;
	(void)state;
	assert_non_null(buf);
	p = buf;
	for (int i = 0; i < 100; i++)
		p += sprintf(p, i % 2 ? "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"status\"}\n"
			     : "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"coverage\",\"params\":"
			     "{\"point\":{\"x\":%d,\"y\":437000}}}\n", 1000 + i, 85000 + 100 * i);
	e2e_connect(&c, d->sock);
	assert_int_equal(e2e_try_write(&c, buf, (size_t)(p - buf)), 0);
	for (int i = 0; i < 100; i++) {
		json_t *r = e2e_recv(&c);
		assert_non_null(r);
		assert_int_equal(json_integer_value(json_object_get(r, "id")), 1000 + i);
		assert_non_null(json_object_get(r, "result"));
		json_decref(r);
	}
	free(buf);
	e2e_close(&c);
}

/* A request padded with spaces to n bytes, without the newline (malloc'd). */
static char *padded_status(size_t n)
{
	static const char req[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}";
	char *s = malloc(n + 2);
	assert_non_null(s);
	memset(s, ' ', n);
	memcpy(s, req, sizeof req - 1);
	s[n] = '\n';
	s[n + 1] = '\0';
	return s;
}

/* A line at the 65536-byte cap is served; a longer one gets an error and a close. */
static void test_oversize_line(void **state)
{
	struct e2e_daemon *d = shared();
	struct e2e_client c, other;
	char *s, *rest;
	(void)state;
	e2e_connect(&c, d->sock);
	s = padded_status(65536);
	assert_int_equal(e2e_try_write(&c, s, strlen(s)), 0);
	free(s);
	json_decref(e2e_result(e2e_recv(&c)));
	s = padded_status(70000);
	e2e_try_write(&c, s, strlen(s));        /* may fail with EPIPE once the daemon closes */
	free(s);
	e2e_expect_error(e2e_recv(&c), -32600, "longer than 65536");
	assert_int_equal(e2e_try_read_line(&c, E2E_TIMEOUT_MS, &rest), 0);
	e2e_connect(&other, d->sock);
	json_decref(status(&other));
	e2e_close(&other);
	e2e_close(&c);
}

static int closed_slow(json_t *st, long long arg)
{
	(void)arg;
	return e2e_num(st, "requests.closed_slow") >= 1;
}

/* A client that never reads is cut off at the write-queue cap; another is still served. */
static void test_slow_reader(void **state)
{
	struct e2e_daemon d;
	struct e2e_client slow, other;
	char *buf = malloc(200 * 80), *p, *got;
	int replies = 0;
	(void)state;
	assert_non_null(buf);
	p = buf;
	for (int i = 0; i < 200; i++)
		p += sprintf(p, "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"sites\",\"params\":"
			     "{\"region\":\"VR17\"}}\n", i);
	start_db(&d, W.db, "write_queue_bytes = 4096\nmax_line_bytes = 65536\n", "");
	e2e_connect(&slow, d.sock);
	e2e_connect(&other, d.sock);
	e2e_try_write(&slow, buf, (size_t)(p - buf));
	free(buf);
	json_decref(status_until(&other, closed_slow, 0));
	while (e2e_try_read_line(&slow, E2E_TIMEOUT_MS, &got) == 1) {
		replies++;
		free(got);
	}
	assert_true(replies < 200);
	json_decref(status(&other));
	e2e_close(&slow);
	e2e_close(&other);
	stop(&d);
}

/* 64 clients connected at once, each asking about its own point. */
static void test_64_clients(void **state)
{
	struct e2e_daemon *d = shared();
	struct e2e_client c[64];
	(void)state;
	for (int i = 0; i < 64; i++)
		e2e_connect(&c[i], d->sock);
	for (int i = 0; i < 64; i++) {
		char req[200];
		snprintf(req, sizeof req, "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"coverage\","
			 "\"params\":{\"point\":{\"x\":%d,\"y\":%d},\"k\":1}}", i, 80000 + 400 * i,
			 430000 + 200 * (i % 16));
		e2e_send(&c[i], req);
	}
	for (int i = 63; i >= 0; i--) {
		json_t *r = e2e_recv(&c[i]);
		assert_non_null(r);
		assert_int_equal(json_integer_value(json_object_get(r, "id")), i);
		json_t *res = e2e_result(r);
		expect_near(e2e_num(res, "point.x"), 80000 + 400 * i, 0.06, "x echoed");
		expect_near(e2e_num(res, "local.nearest.0.properties.distance_m"),
			    nearest_site_m(1, 80000 + 400 * i, 430000 + 200 * (i % 16)), 0.051,
			    "nearest local site");
		json_decref(res);
		e2e_close(&c[i]);
	}
}

/* ---- signals, privileges, recomputes ---- */

/* SIGHUP with an out-of-range value: the old configuration and plan keep serving. */
static void test_sighup_broken_config(void **state)
{
	struct e2e_daemon d;
	struct e2e_client c;
	(void)state;
	start(&d);
	e2e_connect(&c, d.sock);
	write_conf(&d, W.db, "max_clients = 0\n", "");
	kill(d.pid, SIGHUP);
	assert_true(e2e_wait_log(&d, "configuration kept", E2E_TIMEOUT_MS));
	assert_true(e2e_wait_log(&d, "max_clients", 0));
	json_t *st = status(&c);
	assert_int_equal((long long)e2e_num(st, "plan.plan_id"), W.plan_id);
	json_decref(st);
	e2e_expect_error(e2e_call(&c, "reload", NULL), -32602, "max_clients");
	e2e_close(&c);
	e2e_connect(&c, d.sock);                      /* still accepting */
	json_decref(status(&c));
	e2e_close(&c);
	stop(&d);
}

/* In a child: as uid/gid 65534, status works and recompute is refused. Exit code 0 = ok. */
static int as_nobody(const char *sock)
{
	struct e2e_client c;
	static const char req[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}\n"
				  "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"recompute\"}\n";
	char *a = NULL, *b = NULL;
	if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
		return 2;
	if (e2e_try_connect(&c, sock) < 0 || e2e_try_write(&c, req, sizeof req - 1) < 0)
		return 3;
	int ok = e2e_try_read_line(&c, E2E_TIMEOUT_MS, &a) == 1 && strstr(a, "\"result\"") &&
		 e2e_try_read_line(&c, E2E_TIMEOUT_MS, &b) == 1 && strstr(b, "-32002");
	if (!ok)
		fprintf(stderr, "as uid 65534: %s / %s\n", a ? a : "-", b ? b : "-");
	return ok ? 0 : 4;
}

static void test_privileged(void **state)
{
	struct e2e_daemon d;
	struct e2e_client c;
	int wst;
	(void)state;
	if (getuid() != 0)
		skip();                               /* needs root to become another user */
	start(&d);
	e2e_connect(&c, d.sock);
	json_t *r = e2e_result(e2e_call(&c, "reload", NULL));   /* root may */
	assert_true(json_is_true(e2e_get(r, "reloading")));
	json_decref(r);
	e2e_close(&c);
	assert_int_equal(chmod(W.dir, 0711), 0);
	assert_int_equal(chmod(d.sock, 0666), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(as_nobody(d.sock));
	waitpid(pid, &wst, 0);
	chmod(W.dir, 0700);
	assert_true(WIFEXITED(wst));
	assert_int_equal(WEXITSTATUS(wst), 0);
	stop(&d);
}

static int recompute_busy(json_t *st, long long arg)
{
	(void)arg;
	json_t *phase = json_object_get(json_object_get(st, "recompute"), "phase");
	return json_is_true(e2e_get(st, "recompute.running")) && json_is_string(phase) &&
	       strcmp(json_string_value(phase), "starting") != 0;
}

static int recompute_ended(json_t *st, long long arg)
{
	(void)arg;
	return json_is_false(e2e_get(st, "recompute.running"));
}

static int plan_changed(json_t *st, long long old)
{
	json_t *id = json_object_get(json_object_get(st, "plan"), "plan_id");
	return json_is_integer(id) && json_integer_value(id) != old;
}

/* Starts a recompute and waits until its child reports a phase; returns the child's pid. */
static pid_t recompute_running(struct e2e_client *c, const struct e2e_daemon *d)
{
	json_t *r = e2e_result(e2e_call(c, "recompute", NULL));
	assert_true(json_is_true(e2e_get(r, "started")));
	json_decref(r);
	json_decref(status_until(c, recompute_busy, 0));
	pid_t child = e2e_child_of(d->pid);
	assert_true(child > 0);
	return child;
}

/* 1 when pid has exited (gone or a zombie) within the deadline. */
static int exited(pid_t pid)
{
	struct timespec pause = {0, 20000000L};
	for (int i = 0; i < E2E_TIMEOUT_MS / 20; i++) {
		char path[64], buf[256];
		snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
		if (f)
			fclose(f);
		buf[n] = '\0';
		char *p = strrchr(buf, ')');
		if (!f || (p && p[1] == ' ' && p[2] == 'Z'))
			return 1;
		nanosleep(&pause, NULL);
	}
	return 0;
}

/* A recompute killed half-way: the old plan keeps serving and status says why. */
static void test_recompute_killed(void **state)
{
	struct e2e_daemon d;
	struct e2e_client c;
	char db[300];
	(void)state;
	copy_db(db, sizeof db);
	start_db(&d, db, "", "");
	e2e_connect(&c, d.sock);
	pid_t child = recompute_running(&c, &d);
	e2e_expect_error(e2e_call(&c, "recompute", NULL), -32003, "already running");
	assert_int_equal(kill(child, SIGKILL), 0);
	json_t *st = status_until(&c, recompute_ended, 0);
	assert_string_equal(e2e_str(st, "recompute.last_result"), "failed");
	assert_non_null(strstr(e2e_str(st, "recompute.error"), "signal 9"));
	assert_int_equal((long long)e2e_num(st, "plan.plan_id"), W.plan_id);
	json_decref(st);
	json_decref(e2e_result(e2e_call(&c, "coverage", "{'point':{'x':92000,'y':437000}}")));
	/* SIGTERM during a recompute stops the child too. */
	child = recompute_running(&c, &d);
	e2e_close(&c);
	stop(&d);
	assert_true(exited(child));
}

/* A successful recompute: status says ok, then the new plan is served and agrees with
 * what was stored. */
/* After a recompute: the log's changes line, and `changes` comparing the served plan with
 * the fixture's, its counts adding up to both plans' stored sites. */
static void expect_changes_logged(const struct e2e_daemon *d, struct e2e_client *c,
				  const char *db, long long id)
{
	char needle[128];
	snprintf(needle, sizeof needle, "recompute: plan #%lld: changes since plan %lld: local ", id,
		 W.plan_id);
	if (!e2e_wait_log(d, needle, E2E_TIMEOUT_MS))
		fail_msg("no \"%s\" in the log", needle);
	json_t *ch = e2e_result(e2e_call(c, "changes", "{'limit':5}"));
	assert_int_equal((long long)e2e_num(ch, "from.plan_id"), W.plan_id);
	assert_int_equal((long long)e2e_num(ch, "to.plan_id"), id);
	for (int level = 1; level <= 2; level++) {
		const char *name = level == 1 ? "local" : "regional";
		char path[64];
		snprintf(path, sizeof path, "levels.%s.added", name);
		double added = e2e_num(ch, path);
		snprintf(path, sizeof path, "levels.%s.removed", name);
		double removed = e2e_num(ch, path);
		snprintf(path, sizeof path, "levels.%s.kept", name);
		double kept = e2e_num(ch, path);
		expect_near(added + kept, sql_num(db, "SELECT count(*) FROM plan_sites WHERE plan_id ="
						   " %lld AND level = %d", id, level), 0, "added + kept");
		expect_near(removed + kept, sql_num(db, "SELECT count(*) FROM plan_sites WHERE plan_id"
						     " = %lld AND level = %d", W.plan_id, level), 0,
			    "removed + kept");
	}
	json_t *added = json_object_get(ch, "added");
	assert_true(json_array_size(added) <= 5);
	if (json_array_size(added))
		assert_true(json_is_number(json_object_get(json_array_get(added, 0), "lat")));
	json_decref(ch);
}

static void test_recompute_ok(void **state)
{
	struct e2e_daemon d;
	struct e2e_client c;
	char db[300];
	(void)state;
	copy_db(db, sizeof db);
	start_db(&d, db, "", FAST_PLAN);
	e2e_connect(&c, d.sock);
	json_decref(e2e_result(e2e_call(&c, "recompute", NULL)));
	json_t *st = status_until(&c, recompute_ended, 0);
	assert_string_equal(e2e_str(st, "recompute.last_result"), "ok");
	json_decref(st);
	st = status_until(&c, plan_changed, W.plan_id);
	long long id = (long long)e2e_num(st, "plan.plan_id");
	assert_int_equal(id, (long long)sql_num(db, "SELECT max(id) FROM plans"));
	json_decref(st);
	expect_gaps_as_stored(&c, "GM0599", db, id);
	expect_gaps_as_stored(&c, "GM1963", db, id);
	expect_changes_logged(&d, &c, db, id);
	e2e_close(&c);
	stop(&d);
}

/* SIGTERM: replies already queued are finished whole, then exit 0 and the socket is gone. */
static void test_sigterm(void **state)
{
	struct e2e_daemon d;
	struct e2e_client c;
	char buf[64 * 50], *p = buf, *got;
	(void)state;
	for (int i = 0; i < 50; i++)
		p += sprintf(p, "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"status\"}\n", i);
	start(&d);
	e2e_connect(&c, d.sock);
	assert_int_equal(e2e_try_write(&c, buf, (size_t)(p - buf)), 0);
	kill(d.pid, SIGTERM);
	while (e2e_try_read_line(&c, E2E_TIMEOUT_MS, &got) == 1) {
		json_error_t je;
		json_t *r = json_loads(got, 0, &je);
		assert_non_null(r);
		json_decref(r);
		free(got);
	}
	assert_int_equal(c.len, 0);                   /* no half reply */
	pid_t pid = d.pid;
	assert_int_equal(e2e_wait_exit(&d), 0);
	forget(pid);
	assert_int_equal(access(d.sock, F_OK), -1);
	assert_true(e2e_wait_log(&d, "stopping on signal 15", 0));
	e2e_close(&c);
}

/* [proj] grid_dir naming a folder without NSGI's grid: the daemon says so, naming the folder
 * and the accuracy that follows; with the grid it warns of nothing. */
static void test_proj_grid_warning(void **state)
{
	struct e2e_daemon d, ok;
	char nogrid[400];
	(void)state;
	snprintf(nogrid, sizeof nogrid, "%s/no-grid-here", W.dir);
	assert_int_equal(mkdir(nogrid, 0755), 0);
	start_db_proj(&d, W.db, nogrid, "", "");
	char want[600];
	snprintf(want, sizeof want, "[proj] grid_dir %s holds no NSGI grid", nogrid);
	assert_true(e2e_wait_log(&d, want, E2E_TIMEOUT_MS));
	assert_true(e2e_wait_log(&d, "Helmert transformation, within 0.24 m", 0));
	stop(&d);
	start(&ok);
	assert_true(e2e_wait_log(&ok, "with NSGI's grid", E2E_TIMEOUT_MS));
	char *log = e2e_log(&ok);
	assert_null(strstr(log, "holds no NSGI grid"));
	free(log);
	stop(&ok);
}

/* ---- site statuses ---- */

/* A status change as uid 65534 (in a forked child): 0 when refused with -32002. */
static int designate_as_nobody(const char *sock)
{
	struct e2e_client c;
	static const char req[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"designate\","
				  "\"params\":{\"site\":1}}\n";
	char *a = NULL;
	if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
		return 2;
	if (e2e_try_connect(&c, sock) < 0 || e2e_try_write(&c, req, sizeof req - 1) < 0)
		return 3;
	return e2e_try_read_line(&c, E2E_TIMEOUT_MS, &a) == 1 && strstr(a, "-32002") ? 0 : 4;
}

static int whatif_says_designated(struct e2e_client *c, long long seq)
{
	json_t *w = e2e_result(e2e_call(c, "whatif", "{'remove':[%lld]}", seq));
	int yes = json_is_true(e2e_get(w, "designated"));
	json_decref(w);
	return yes;
}

/* Statuses over the socket: the stored row in the reply, the reloaded plan's whatif and
 * suggest respecting them, an unprivileged peer refused, and a killed recompute that
 * leaves statuses and plan as they were. */
static void test_statuses(void **state)
{
	struct e2e_daemon d;
	struct e2e_client c;
	char db[300];
	const char *q = "SELECT %s FROM plan_sites WHERE plan_id = %lld AND level = 1 AND seq = %d";
	(void)state;
	copy_db(db, sizeof db);
	long long keep = (long long)sql_num(db, q, "site_id", W.plan_id, 1);
	long long drop = (long long)sql_num(db, q, "site_id", W.plan_id, 2);
	double x = sql_num(db, q, "x_rd", W.plan_id, 2), y = sql_num(db, q, "y_rd", W.plan_id, 2);
	assert_true(keep > 0 && drop > 0);
	start_db(&d, db, "", "");
	e2e_connect(&c, d.sock);
	json_t *r = e2e_result(e2e_call(&c, "designate", "{'site':%lld,'note':'signed'}", keep));
	assert_string_equal(e2e_str(r, "stored.status"), "designated");
	assert_string_equal(e2e_str(r, "stored.set_by"), "uid 0");
	assert_true(json_is_true(e2e_get(r, "in_served_plan")));
	json_decref(r);
	json_decref(e2e_result(e2e_call(&c, "reject", "{'x_rd':%.1f,'y_rd':%.1f}", x + 3, y)));
	assert_true(e2e_wait_log(&d, "status: rejected site", E2E_TIMEOUT_MS));
	/* the daemon reloads the plan: whatif then warns about removing the designated site */
	struct timespec pause = {0, 50000000L};
	int seen = 0;
	for (int i = 0; i < E2E_TIMEOUT_MS / 50 && !(seen = whatif_says_designated(&c, 1)); i++)
		nanosleep(&pause, NULL);
	assert_true(seen);
	assert_false(whatif_says_designated(&c, 3));
	e2e_expect_error(e2e_call(&c, "whatif", "{'add':[{'x':%.1f,'y':%.1f}]}", x + 10, y), -32602,
			 "rejected site");
	char gm_keep[16], gm_drop[16], sql[200];
	snprintf(sql, sizeof sql, "SELECT gemeente_code FROM plan_sites WHERE plan_id = %lld AND"
		 " level = 1 AND seq = 1", W.plan_id);
	sql_text(db, sql, gm_keep, sizeof gm_keep);
	sql[strlen(sql) - 1] = '2';
	sql_text(db, sql, gm_drop, sizeof gm_drop);
	json_t *sg = e2e_result(e2e_call(&c, "suggest", "{'region':'%s','k':20}", gm_drop));
	json_t *p;
	size_t k;
	json_array_foreach(e2e_get(sg, "suggestions"), k, p)
		assert_true(hypot(e2e_num(p, "point.x") - x, e2e_num(p, "point.y") - y) > 25);
	json_decref(sg);
	r = e2e_result(e2e_call(&c, "statuses", NULL));
	assert_int_equal((long long)e2e_num(r, "designated"), 1);
	assert_int_equal((long long)e2e_num(r, "rejected"), 1);
	json_decref(r);
	r = e2e_result(e2e_call(&c, "statuses", "{'region':'%s'}", gm_keep));
	assert_int_equal((long long)e2e_num(r, "designated"), 1);
	assert_string_equal(e2e_str(r, "statuses.0.status"), "designated");
	json_decref(r);
	if (getuid() == 0) {
		int wst;
		assert_int_equal(chmod(W.dir, 0711), 0);
		assert_int_equal(chmod(d.sock, 0666), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0)
			_exit(designate_as_nobody(d.sock));
		waitpid(pid, &wst, 0);
		chmod(W.dir, 0700);
		assert_true(WIFEXITED(wst));
		assert_int_equal(WEXITSTATUS(wst), 0);
	}
	/* a recompute killed half-way: statuses and the served plan as they were */
	pid_t child = recompute_running(&c, &d);
	assert_int_equal(kill(child, SIGKILL), 0);
	json_decref(status_until(&c, recompute_ended, 0));
	assert_int_equal((long long)sql_num(db, "SELECT count(*) FROM site_status"), 2);
	assert_int_equal((long long)sql_num(db, "SELECT max(id) FROM plans"), W.plan_id);
	assert_true(whatif_says_designated(&c, 1));
	e2e_close(&c);
	stop(&d);
}

#define T(f) cmocka_unit_test_teardown(f, kill_leftovers)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_status),
		T(test_coverage_xy_and_latlon),
		T(test_gaps_region),
		T(test_gaps_use_plan_parameters),
		T(test_gaps_bbox_geojson),
		T(test_stats_national_and_region),
		T(test_stats_area),
		T(test_sites),
		T(test_whatif),
		T(test_suggest),
		T(test_reload_method),
		T(test_protocol_errors),
		T(test_bad_params),
		T(test_notification),
		T(test_pipelining),
		T(test_oversize_line),
		T(test_slow_reader),
		T(test_64_clients),
		T(test_sighup_broken_config),
		T(test_privileged),
		T(test_recompute_killed),
		T(test_recompute_ok),
		T(test_sigterm),
		T(test_proj_grid_warning),
		T(test_statuses),
		T(test_shared_stop),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
