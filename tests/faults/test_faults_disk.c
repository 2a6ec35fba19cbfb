/* A full disk and a read-only database, on the bundled real data. SQLITE_FULL (forced with
 * PRAGMA max_page_count on every connection the code under test opens) during a plan and
 * during an import must leave the old data and plan intact and say the database is full.
 * A database the daemon cannot write must still be served, and import/plan into it must fail
 * naming the file and change nothing. Never edits the real data folder. */
#define _DEFAULT_SOURCE /* setgroups */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/config.h"
#include "data/store.h"
#include "jobs/import.h"
#include "jobs/plan_run.h"
#include "tests/lib/e2e.h"
#include "tests/lib/fixture.h"
#include "tests/lib/testutil.h"

#include "tests/lib/e2e.c"

#define DAEMON_BIN HUB_BUILD_DIR "/daemon/hubplannerd"
#define ERR_MAX 4096
#define SCOPE "GM0599"                /* Rotterdam: a real plan in about a second */
#define NOBODY 65534

static struct {
	char dir[256], db[300], extra[300];
	struct config cfg;
	pid_t daemon;                 /* a daemon a failed test left running, or 0 */
} W;

/* ---- reading a database with plain sqlite ---- */

/* What a failed write must leave exactly as it was. */
struct snapshot {
	struct store_summary sum;
	long long latest, plans, plan_sites, plan_areas, plan_regions, plan_backup, pages;
};

static void snapshot(const char *db, struct snapshot *s)
{
	struct store *st = NULL;
	char err[ERR_MAX];
	if (store_open(db, STORE_READONLY, &st, err, sizeof err) < 0 ||
	    store_summary(st, &s->sum, err, sizeof err) < 0)
		fail_msg("%s", err);
	store_close(st);
	s->latest = tu_sql_int(db, "SELECT max(id) FROM plans", 0);
	s->plans = tu_sql_int(db, "SELECT count(*) FROM plans", 0);
	s->plan_sites = tu_sql_int(db, "SELECT count(*) FROM plan_sites", 0);
	s->plan_areas = tu_sql_int(db, "SELECT count(*) FROM plan_areas", 0);
	s->plan_regions = tu_sql_int(db, "SELECT count(*) FROM plan_regions", 0);
	s->plan_backup = tu_sql_int(db, "SELECT count(*) FROM plan_backup", 0);
	s->pages = tu_sql_int(db, "PRAGMA page_count", 0);
}

static void expect_intact(const char *db, const struct snapshot *before)
{
	struct snapshot now;
	assert_int_equal(tu_sql_int(db, "SELECT count(*) FROM pragma_integrity_check"
				 " WHERE integrity_check <> 'ok'", 0), 0);
	snapshot(db, &now);
	assert_string_equal(now.sum.data_version, before->sum.data_version);
	assert_int_equal(now.sum.last_import_id, before->sum.last_import_id);
	assert_memory_equal(now.sum.level, before->sum.level, sizeof now.sum.level);
	assert_int_equal(now.sum.sites, before->sum.sites);
	assert_int_equal(now.latest, before->latest);
	assert_int_equal(now.plans, before->plans);
	assert_int_equal(now.plan_sites, before->plan_sites);
	assert_int_equal(now.plan_areas, before->plan_areas);
	assert_int_equal(now.plan_regions, before->plan_regions);
	assert_int_equal(now.plan_backup, before->plan_backup);
}

/* ---- a full database: every new connection gets a page limit ---- */

static int page_limit;                /* > 0: PRAGMA max_page_count on every open */

static int limit_pages(sqlite3 *db, const char **msg, const struct sqlite3_api_routines *api)
{
	char sql[64];
	(void)msg;
	(void)api;
	if (page_limit <= 0)
		return SQLITE_OK;
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", page_limit);
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Limits the database to the pages it has now, with no free page left to reuse. */
static void fill_disk(const char *db)
{
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "VACUUM", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(tu_sql_int(db, "PRAGMA freelist_count", 0), 0);
	page_limit = (int)tu_sql_int(db, "PRAGMA page_count", 0);
	assert_true(page_limit > 100);
}

static int plan(const char *scope, int64_t *plan_id, char *err)
{
	struct plan_run_options opt = { NULL, scope, NULL, 0, NULL };
	struct plan_result r;
	struct plan_run_info info;
	int rc = plan_run(&W.cfg, NULL, &opt, &r, &info, err, ERR_MAX);
	plan_result_free(&r);
	*plan_id = info.plan_id;
	return rc;
}

static int import_all(char *err)
{
	const char *paths[] = { HUB_DATA_DIR, W.extra };
	struct import_report rep;
	int rc = import_paths(W.db, paths, 2, NULL, &rep, err, ERR_MAX);
	import_report_free(&rep);
	return rc;
}

/* A plan that meets SQLITE_FULL while storing: the old plans stay, the error says why. */
static void test_full_plan(void **state)
{
	struct snapshot before;
	char err[ERR_MAX] = "";
	int64_t id = 0;
	(void)state;
	fill_disk(W.db);
	snapshot(W.db, &before);
	int rc = plan(SCOPE, &id, err);
	page_limit = 0;
	print_message("plan on a full database: %d, %s\n", rc, err);
	assert_int_equal(rc, -ENOSPC);
	assert_non_null(strstr(err, "full"));
	expect_intact(W.db, &before);
	/* Without the limit the same plan is stored: the limit was the only obstacle. */
	assert_int_equal(plan(SCOPE, &id, err), 0);
	assert_int_equal(id, before.latest + 1);
}

/* An import that meets SQLITE_FULL: the data version, the data and the plans stay. */
static void test_full_import(void **state)
{
	struct snapshot before;
	char err[ERR_MAX] = "";
	(void)state;
	fill_disk(W.db);
	snapshot(W.db, &before);
	int rc = import_all(err);
	page_limit = 0;
	print_message("import on a full database: %d, %s\n", rc, err);
	assert_int_equal(rc, -ENOSPC);
	assert_non_null(strstr(err, "full"));
	expect_intact(W.db, &before);
	assert_int_equal(import_all(err), 0);
	struct snapshot after;
	snapshot(W.db, &after);
	assert_int_equal(after.sum.sites, before.sum.sites + 3000);
}

/* ---- a read-only database ---- */

/* The same content in a folder of its own, in WAL mode with no -wal or -shm file. */
static void copy_db(const char *dir, char *out, size_t outlen)
{
	struct store *st = NULL;
	sqlite3 *h = NULL;
	char sql[400], err[ERR_MAX];
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(out, outlen, "%s/hub.db", dir);
	snprintf(sql, sizeof sql, "VACUUM INTO '%s'", out);
	assert_int_equal(sqlite3_open_v2(W.db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	if (store_open(out, 0, &st, err, sizeof err) < 0)
		fail_msg("%s", err);
	store_close(st);
}

/* FNV-1a of the file's bytes. */
static uint64_t file_hash(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint64_t h = 14695981039346656037ULL;
	int c;
	assert_non_null(f);
	while ((c = getc(f)) != EOF)
		h = (h ^ (uint64_t)c) * 1099511628211ULL;
	fclose(f);
	return h;
}

/* 0 when uid (or we, when not root) can neither change the file nor create one beside it. */
static int try_write_as(uid_t uid, const char *db, const char *dir)
{
	char probe[320];
	if (getuid() == 0 && (setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0))
		return 2;
	snprintf(probe, sizeof probe, "%s/probe", dir);
	int fd = open(probe, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0)
		close(fd);
	return access(db, W_OK) == 0 || fd >= 0 ? 1 : 0;
}

static void expect_unwritable(const char *db, const char *dir)
{
	int st;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(try_write_as(NOBODY, db, dir));
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) != 0)
		fail_msg("%s is writable for the test's reader: the test would prove nothing", db);
}

/* A script that runs hubplannerd as a user who cannot write: nobody when we are root (root
 * ignores permission bits), else ourselves. 0, or -1 when setpriv is missing. */
static int write_runner(char *out, size_t outlen)
{
	static const char *const setpriv[] = { "/usr/bin/setpriv", "/bin/setpriv" };
	const char *sp = NULL;
	char text[800];
	int n;
	for (size_t k = 0; k < 2 && !sp; k++)
		sp = access(setpriv[k], X_OK) == 0 ? setpriv[k] : NULL;
	if (getuid() == 0 && !sp)
		return -1;
	if (getuid() == 0)
		n = snprintf(text, sizeof text, "#!/bin/sh\nexec %s --reuid=%d --regid=%d "
			     "--clear-groups %s \"$@\"\n", sp, NOBODY, NOBODY, DAEMON_BIN);
	else
		n = snprintf(text, sizeof text, "#!/bin/sh\nexec %s \"$@\"\n", DAEMON_BIN);
	tu_write_file(W.dir, "as-reader.sh", text, (size_t)n, out, outlen);
	assert_int_equal(chmod(out, 0755), 0);
	return 0;
}

/* Runs `runner -c conf args...` and returns its exit code; its output goes into log. */
static int run_cli(const char *runner, const char *conf, const char *log, const char *a1,
		   const char *a2, const char *a3)
{
	int st;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execl(runner, runner, "-c", conf, a1, a2, a3, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 65536);
	assert_non_null(f);
	assert_non_null(buf);
	size_t n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* A write command into the read-only database fails, names the file and says why. */
static void expect_refused(const char *runner, const char *conf, const char *db,
			   const char *a1, const char *a2, const char *a3)
{
	char log[320];
	snprintf(log, sizeof log, "%s/cli.log", W.dir);
	int code = run_cli(runner, conf, log, a1, a2, a3);
	char *text = read_text(log);
	print_message("hubplannerd %s on a read-only database: exit %d\n%s", a1, code, text);
	assert_int_equal(code, EXIT_FAILURE);
	assert_non_null(strstr(text, db));
	assert_true(strstr(text, "readonly") || strstr(text, "read-only"));
	free(text);
}

/* The daemon serves the newest plan of a database it cannot write. */
static void expect_served(const char *runner, const char *conf, long long plan_id)
{
	struct e2e_daemon d;
	struct e2e_client c;
	snprintf(d.conf, sizeof d.conf, "%s", conf);
	snprintf(d.sock, sizeof d.sock, "%s/sock/d.sock", W.dir);
	snprintf(d.errlog, sizeof d.errlog, "%s/daemon.log", W.dir);
	e2e_start(&d, runner);
	W.daemon = d.pid;
	e2e_connect(&c, d.sock);
	json_t *st = e2e_result(e2e_call(&c, "status", NULL));
	assert_int_equal((long long)json_integer_value(e2e_get(st, "plan.plan_id")), plan_id);
	json_decref(st);
	json_t *cv = e2e_result(e2e_call(&c, "coverage", "{'point':{'x':92000,'y':437000}}"));
	assert_string_equal(e2e_str(cv, "gemeente.code"), SCOPE);
	assert_true(json_array_size(e2e_get(cv, "local.nearest")) > 0);
	json_decref(cv);
	e2e_close(&c);
	W.daemon = 0;
	assert_int_equal(e2e_stop(&d), 0);
}

/* No -wal or -shm file: the hard case, where sqlite cannot create its WAL index. */
static void expect_no_side_files(const char *db)
{
	static const char *const ext[] = { "-wal", "-shm" };
	char side[340];
	for (size_t k = 0; k < 2; k++) {
		snprintf(side, sizeof side, "%s%s", db, ext[k]);
		if (access(side, F_OK) == 0)
			fail_msg("%s exists", side);
	}
}

static void test_readonly_db(void **state)
{
	char dir[300], db[320], runner[320], conf[300], sock[320], path[340];
	(void)state;
	if (write_runner(runner, sizeof runner) < 0)
		skip();                               /* root without setpriv: cannot drop rights */
	snprintf(dir, sizeof dir, "%s/ro", W.dir);
	snprintf(sock, sizeof sock, "%s/sock", W.dir);
	copy_db(dir, db, sizeof db);
	assert_int_equal(mkdir(sock, 0777) == 0 && chmod(sock, 0777) == 0, 1);
	snprintf(conf, sizeof conf, "%s/ro.conf", W.dir);
	snprintf(path, sizeof path, "%s/d.sock", sock);
	e2e_write_config(conf, db, path, HUB_PROJ_DIR, "", "search_time_s = 1\n");
	assert_int_equal(chmod(conf, 0644) | chmod(W.dir, 0755), 0);
	assert_int_equal(chmod(db, 0444) | chmod(dir, 0555), 0);
	expect_unwritable(db, dir);
	expect_no_side_files(db);             /* nothing may open it as root from here on */
	uint64_t hash = file_hash(db);

	expect_served(runner, conf, tu_sql_int(W.db, "SELECT max(id) FROM plans", 0));
	expect_refused(runner, conf, db, "import", HUB_DATA_DIR, NULL);
	expect_refused(runner, conf, db, "plan", "--scope", SCOPE);
	assert_true(file_hash(db) == hash);
	expect_no_side_files(db);
	chmod(dir, 0755);
}

/* ---- the world: the real data, imported and planned ---- */

static void write_extra_sites(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s/extra", W.dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	fx_write_grid_sites_csv(dir, "sites_extra.csv", 3000, 60, 250, W.extra, sizeof W.extra);
}

static int setup(void **state)
{
	const char *paths[] = { HUB_DATA_DIR };
	struct import_report rep;
	char err[ERR_MAX];
	int64_t id;
	(void)state;
	tu_mkdtemp(W.dir, sizeof W.dir);
	snprintf(W.db, sizeof W.db, "%s/hub.db", W.dir);
	write_extra_sites();
	int rc = import_paths(W.db, paths, 1, NULL, &rep, err, sizeof err);
	import_report_free(&rep);
	config_defaults(&W.cfg);
	snprintf(W.cfg.database, sizeof W.cfg.database, "%s", W.db);
	W.cfg.search_time_s = 1;
	if (rc == 0)
		rc = plan(SCOPE, &id, err);
	if (rc < 0)
		fprintf(stderr, "setup: %s\n", err);
	return rc < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	char dir[300];
	(void)state;
	if (W.daemon > 0 && kill(W.daemon, SIGKILL) == 0)
		waitpid(W.daemon, NULL, 0);
	snprintf(dir, sizeof dir, "%s/ro", W.dir);
	chmod(dir, 0755);
	tu_rmtree(W.dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_plan),
		cmocka_unit_test(test_full_import),
		cmocka_unit_test(test_readonly_db),
	};
	signal(SIGPIPE, SIG_IGN);
	sqlite3_auto_extension((void (*)(void))limit_pages);
	return cmocka_run_group_tests(tests, setup, teardown);
}
