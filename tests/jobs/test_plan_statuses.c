/* Site statuses through the planner on the bundled real data (VR17): a designated site is
 * in every later plan (fixed), a rejected one in none, at either level; both survive a
 * re-import of the sites (new ids, the same import keys) and the next plan. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "jobs/import.h"
#include "jobs/import_status.h"
#include "jobs/plan_run.h"
#include "tests/lib/testutil.h"

static struct {
	char dir[256], db[300];
	struct config cfg;
	char err[4096];
} W;

struct key {
	char source[256], source_id[64];
};

static void import_data(void)
{
	const char *paths[] = {HUB_DATA_DIR};
	struct import_report rep;
	if (import_paths(W.db, paths, 1, NULL, &rep, W.err, sizeof W.err) < 0)
		fail_msg("import: %s", W.err);
	import_report_free(&rep);
}

static int setup(void **state)
{
	(void)state;
	tu_mkdtemp(W.dir, sizeof W.dir);
	snprintf(W.db, sizeof W.db, "%s/hub.db", W.dir);
	import_data();
	config_defaults(&W.cfg);
	snprintf(W.cfg.database, sizeof W.cfg.database, "%s", W.db);
	W.cfg.search_time_s = 1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(W.dir);
	return 0;
}

static long long plan(void)
{
	struct plan_run_options opt = {NULL, "VR17", NULL, 0, NULL};   /* stable after the first */
	struct plan_result r;
	struct plan_run_info info;
	int rc = plan_run(&W.cfg, NULL, &opt, &r, &info, W.err, sizeof W.err);
	plan_result_free(&r);
	if (rc < 0)
		fail_msg("plan: %s", W.err);
	return (long long)info.plan_id;
}

static long long q(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static long long q(const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	return tu_sql_int(W.db, sql, 0);
}

/* The import key (source, source_id) of site id. */
static void key_of(long long id, struct key *k)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open_v2(W.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT source, source_id FROM sites WHERE id = ?",
					    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(k->source, sizeof k->source, "%s", (const char *)sqlite3_column_text(st, 0));
	snprintf(k->source_id, sizeof k->source_id, "%s", (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* Plan sites of plan at level (0 = both) whose site has the import key k. */
static long long in_plan(long long plan_id, int level, const struct key *k, int fixed_only)
{
	return q("SELECT count(*) FROM plan_sites p JOIN sites s ON s.id = p.site_id WHERE"
		 " p.plan_id = %lld AND (%d = 0 OR p.level = %d) AND s.source = '%s' AND"
		 " s.source_id = '%s' AND (%d = 0 OR p.fixed = 1)", plan_id, level, level,
		 k->source, k->source_id, fixed_only);
}

static void test_statuses_through_plans(void **state)
{
	struct import_status_report rep;
	struct key rejected, designated;
	char path[400], text[1200];
	(void)state;
	long long p1 = plan();
	/* rejected: the first site the plan chose; designated: the site nearest to it that the
	 * plan did not choose (so the status must be what brings it in) */
	long long r_id = q("SELECT site_id FROM plan_sites WHERE plan_id = %lld AND level = 1 AND"
			   " site_id IS NOT NULL AND fixed = 0 ORDER BY seq LIMIT 1", p1);
	long long d_id = q("SELECT s.id FROM sites s, sites r WHERE r.id = %lld AND s.id NOT IN"
			   " (SELECT site_id FROM plan_sites WHERE plan_id = %lld AND site_id IS NOT"
			   " NULL) AND abs(s.x_rd - r.x_rd) + abs(s.y_rd - r.y_rd) > 50 ORDER BY"
			   " (s.x_rd - r.x_rd) * (s.x_rd - r.x_rd) + (s.y_rd - r.y_rd) *"
			   " (s.y_rd - r.y_rd) LIMIT 1", r_id, p1);
	assert_true(r_id > 0 && d_id > 0);
	key_of(r_id, &rejected);
	key_of(d_id, &designated);
	assert_int_equal(in_plan(p1, 0, &rejected, 0) > 0, 1);
	assert_int_equal(in_plan(p1, 0, &designated, 0), 0);
	snprintf(text, sizeof text, "site,status,note\n%lld,rejected,building sold\n%s:%s,"
		 "designated,agreement signed\n", r_id, designated.source, designated.source_id);
	tu_write_file(W.dir, "statuses.csv", text, strlen(text), path, sizeof path);
	if (import_status_file(W.db, path, NULL, &rep, W.err, sizeof W.err) < 0)
		fail_msg("statuses: %s", W.err);

	long long p2 = plan();
	assert_int_equal(in_plan(p2, 1, &designated, 1), 1);
	assert_int_equal(in_plan(p2, 0, &rejected, 0), 0);

	/* a re-import replaces the sites (new rows); the statuses stay with the import keys */
	import_data();
	assert_int_equal(q("SELECT count(*) FROM site_status"), 2);
	assert_int_equal(q("SELECT count(*) FROM site_status t JOIN sites s ON s.source ="
			   " t.source AND s.source_id = t.source_id"), 2);
	long long p3 = plan();
	assert_int_equal(in_plan(p3, 1, &designated, 1), 1);
	assert_int_equal(in_plan(p3, 0, &rejected, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statuses_through_plans),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
