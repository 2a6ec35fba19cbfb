/* End to end, backup coverage (#16): `hubplannerd plan` with backup_sites = N on the bundled
 * data cut to one safety region (VR14), then the real daemon over its socket: `sites` lists
 * exactly N local sites of purpose backup (the stored ones), `stats` and `gaps` give the
 * twice-covered share as stored, `coverage` counts the local sites in reach of a point
 * (checked against the stored sites), and a plan stored before backup coverage (its twice
 * columns and purposes NULL) reads as unknown (null) and primary, not as 0. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tests/lib/e2e.h"
#include "tests/lib/bundled_fx.h"
#include "tests/lib/testutil.h"

#include "tests/lib/e2e.c"

#define DAEMON_BIN HUB_BUILD_DIR "/daemon/hubplannerd"
#define BACKUP_SITES 5
#define BACKUP_SITES_TEXT "5"

/* The default local radius per urbanity class 1..5. */
static const double LOCAL_R[5] = {750, 1000, 1500, 2500, 5000};

static struct {
	char dir[256], db[300];
	long long plan_id;
	pid_t live;                   /* the daemon a failed test may leave running */
} W;

static double sql_num(const char *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static double sql_num(const char *db, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	return tu_sql_num(db, sql);
}

static void sql_exec(const char *db, const char *sql)
{
	sqlite3 *h = NULL;
	char *msg = NULL;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(h);
}

static void expect_near(double actual, double expected, double tol, const char *what)
{
	if (fabs(actual - expected) > tol)
		fail_msg("%s: daemon says %.3f, expected %.3f", what, actual, expected);
}

/* The bundled data cut to VR14, then `hubplannerd plan` with backup sites, from the shell. */
static int setup(void **state)
{
	char conf[300], cmd[1024];
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	if (bfx_import(W.dir, sizeof W.dir, W.db, sizeof W.db) < 0)
		return -1;
	bfx_keep_region(W.db, "VR14");
	snprintf(conf, sizeof conf, "%s/plan.conf", W.dir);
	e2e_write_config(conf, W.db, "/nonexistent.sock", HUB_PROJ_DIR, "",
			 "search_time_s = 1\nbackup_sites = " BACKUP_SITES_TEXT "\n");
	snprintf(cmd, sizeof cmd, "%s -c %s plan > %s/plan.out 2>&1", DAEMON_BIN, conf, W.dir);
	int rc = system(cmd);
	if (rc != 0) {
		fprintf(stderr, "%s: exit %d (see %s/plan.out)\n", cmd, rc, W.dir);
		return -1;
	}
	W.plan_id = (long long)sql_num(W.db, "SELECT max(id) FROM plans");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(W.dir);
	return 0;
}

static int kill_leftover(void **state)
{
	(void)state;
	if (W.live) {
		kill(W.live, SIGKILL);
		waitpid(W.live, NULL, 0);
		W.live = 0;
	}
	return 0;
}

static void start(struct e2e_daemon *d, const char *db, const char *name)
{
	snprintf(d->conf, sizeof d->conf, "%s/%s.conf", W.dir, name);
	snprintf(d->sock, sizeof d->sock, "%s/%s.sock", W.dir, name);
	snprintf(d->errlog, sizeof d->errlog, "%s/%s.err", W.dir, name);
	e2e_write_config(d->conf, db, d->sock, HUB_PROJ_DIR, "", "");
	e2e_start(d, DAEMON_BIN);
	W.live = d->pid;
}

static void stop(struct e2e_daemon *d)
{
	W.live = 0;
	assert_int_equal(e2e_stop(d), 0);
}

/* The features of a sites answer whose properties.purpose is purpose. */
static size_t count_purpose(json_t *sites, const char *purpose)
{
	json_t *f;
	size_t i, n = 0;
	json_array_foreach(e2e_get(sites, "features"), i, f)
		n += strcmp(json_string_value(json_object_get(json_object_get(f, "properties"),
							      "purpose")), purpose) == 0;
	return n;
}

/* coverage at the midpoint of the two closest local sites of which one is a backup site:
 * sites_in_reach is the stored local sites within the point's radius, covered_twice says
 * whether that is two or more (here it is: the pair lies within every radius). */
static void check_coverage_twice(struct e2e_client *c)
{
	const char *pair = "FROM plan_sites b, plan_sites o WHERE b.plan_id = %lld AND o.plan_id ="
			   " b.plan_id AND b.purpose = 'backup' AND o.level = 1 AND o.seq <> b.seq"
			   " ORDER BY (b.x_rd - o.x_rd) * (b.x_rd - o.x_rd) + (b.y_rd - o.y_rd) *"
			   " (b.y_rd - o.y_rd) LIMIT 1";
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT (b.x_rd + o.x_rd) / 2 %s", pair);
	double x = sql_num(W.db, sql, W.plan_id);
	snprintf(sql, sizeof sql, "SELECT (b.y_rd + o.y_rd) / 2 %s", pair);
	double y = sql_num(W.db, sql, W.plan_id);
	json_t *r = e2e_result(e2e_call(c, "coverage", "{'point':{'x':%.3f,'y':%.3f}}", x, y));
	double radius = LOCAL_R[(int)e2e_num(r, "urbanity") - 1];
	double in_reach = sql_num(W.db, "SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND"
				  " level = 1 AND (x_rd - %.3f) * (x_rd - %.3f) + (y_rd - %.3f) *"
				  " (y_rd - %.3f) <= %.1f", W.plan_id, x, x, y, y, radius * radius);
	expect_near(e2e_num(r, "local.sites_in_reach"), in_reach, 0, "local sites in reach");
	assert_int_equal(json_is_true(e2e_get(r, "local.covered_twice")), in_reach >= 2);
	assert_true(in_reach >= 2);
	json_decref(r);
}

/* The plan with backup sites, as the daemon serves it. */
static void test_backup_plan(void **state)
{
	struct e2e_daemon d;
	struct e2e_client c;
	(void)state;
	assert_int_equal(sql_num(W.db, "SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND"
				 " purpose = 'backup'", W.plan_id), BACKUP_SITES);
	start(&d, W.db, "d1");
	e2e_connect(&c, d.sock);
	json_t *s = e2e_result(e2e_call(&c, "sites", "{'region':'VR14','level':'local'}"));
	assert_int_equal(count_purpose(s, "backup"), BACKUP_SITES);
	assert_int_equal(count_purpose(s, "primary") + BACKUP_SITES,
			 json_array_size(e2e_get(s, "features")));
	json_decref(s);
	double twice = sql_num(W.db, "SELECT twice_covered FROM plan_regions WHERE plan_id = %lld"
			       " AND code = 'VR14'", W.plan_id);
	double residents = sql_num(W.db, "SELECT residents FROM plan_regions WHERE plan_id ="
				   " %lld AND code = 'VR14'", W.plan_id);
	assert_true(twice > 0 && twice < residents);
	json_t *st = e2e_result(e2e_call(&c, "stats", NULL));
	assert_int_equal(e2e_num(st, "national.twice.backup_sites"), BACKUP_SITES);
	assert_true(e2e_num(st, "national.twice.weight") > e2e_num(st, "national.twice.base_weight"));
	assert_true(e2e_num(st, "national.twice.bound") >= e2e_num(st, "national.twice.weight"));
	expect_near(e2e_num(st, "regions.0.twice.covered"), twice, 0.05, "stats VR14 twice");
	json_decref(st);
	json_t *g = e2e_result(e2e_call(&c, "gaps", "{'region':'VR14','worst':0}"));
	expect_near(e2e_num(g, "twice.covered"), twice, 0.5, "gaps VR14 twice");
	expect_near(e2e_num(g, "twice.covered_pct"), 100 * twice / residents, 0.001,
		    "gaps VR14 twice share");
	json_decref(g);
	check_coverage_twice(&c);
	e2e_close(&c);
	stop(&d);
}

/* The same plan with its backup columns emptied, as a plan stored before migration 10
 * reads: twice is null in stats (not 0), every site is primary, gaps still counts. */
static void test_older_plan(void **state)
{
	struct e2e_daemon d;
	struct e2e_client c;
	char db[300], sql[400];
	(void)state;
	snprintf(db, sizeof db, "%s/old.db", W.dir);
	snprintf(sql, sizeof sql, "VACUUM INTO '%s'", db);
	sql_exec(W.db, sql);
	sql_exec(db, "UPDATE plan_sites SET purpose = NULL; UPDATE plan_areas SET twice_covered ="
		 " NULL; UPDATE plan_regions SET twice_covered = NULL;");
	start(&d, db, "d2");
	e2e_connect(&c, d.sock);
	json_t *st = e2e_result(e2e_call(&c, "stats", "{'region':'VR14'}"));
	assert_true(json_is_null(e2e_get(st, "region.twice")));
	assert_true(json_is_object(e2e_get(st, "region.blackout")));
	json_decref(st);
	st = e2e_result(e2e_call(&c, "stats", "{'region':'GM0402'}"));
	assert_true(json_is_null(e2e_get(st, "area.twice")));
	json_decref(st);
	json_t *s = e2e_result(e2e_call(&c, "sites", "{'region':'VR14','level':'local'}"));
	assert_int_equal(count_purpose(s, "backup"), 0);
	json_decref(s);
	json_t *g = e2e_result(e2e_call(&c, "gaps", "{'region':'VR14','worst':0}"));
	assert_true(e2e_num(g, "twice.covered") > 0);
	json_decref(g);
	e2e_close(&c);
	stop(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_backup_plan, kill_leftover),
		cmocka_unit_test_teardown(test_older_plan, kill_leftover),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
