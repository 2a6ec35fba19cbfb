/* Allocation-failure loops: for n = 1, 2, ... the n-th allocation fails, and config loading,
 * store_open, the store's readers, plan_input_load and served_load must return -ENOMEM with
 * a message (no crash, no leak under ASan) or a result equal to the reference, until a run
 * no longer meets the failure. Fails our own allocations (linked with --wrap) and sqlite's
 * (SQLITE_CONFIG_MALLOC); GEOS, PROJ and jansson allocate through their own code, not failed.
 * Creating a database fails ours each once and one in 8 of sqlite's: failing each of its
 * 11,365 (now 14,765) allocations took 60 of the test's 72 s, and most of its 6 minutes
 * under ASan. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config/cli.h"
#include "config/config.h"
#include "daemon/rpc/methods.h"
#include "data/store.h"
#include "data/store_plan.h"
#include "jobs/import.h"
#include "jobs/plan_run.h"
#include "model/plan_input.h"
#include "model/served.h"
#include "tests/lib/fixture.h"
#include "tests/lib/testutil.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#define ERR_MAX 4096
#define LOOP_MAX 200000L
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the failing allocator ---- */

static struct {
	atomic_long count;            /* allocations since arming */
	long fail_at;                 /* this one fails; 0 = none */
	atomic_int hit;               /* the failure was injected */
	atomic_int armed;
	atomic_int sqlite_off;        /* inside crs_open: PROJ's own sqlite use is not failed */
	int only;                     /* counted and failed: 0 every allocation, ONLY_OWN, ONLY_SQLITE */
} F;

enum { ONLY_OWN = 1, ONLY_SQLITE = 2 };

/* 1 when this allocation (sqlite's own when from_sqlite) is the one to fail. */
static int fault_now(int from_sqlite)
{
	if (!atomic_load(&F.armed) || F.only == (from_sqlite ? ONLY_OWN : ONLY_SQLITE) ||
	    atomic_fetch_add(&F.count, 1) + 1 != F.fail_at)
		return 0;
	atomic_store(&F.hit, 1);
	return 1;
}

static void fault_arm(long n)
{
	F.fail_at = n;
	atomic_store(&F.count, 0);
	atomic_store(&F.hit, 0);
	atomic_store(&F.armed, 1);
}

/* Disarms; returns 1 when the failure was injected. */
static int fault_disarm(void)
{
	atomic_store(&F.armed, 0);
	return atomic_load(&F.hit);
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

void *__wrap_malloc(size_t n)
{
	return fault_now(0) ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fault_now(0) ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fault_now(0) ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return fault_now(0) ? NULL : __real_strdup(s);
}

static sqlite3_mem_methods sq_real;

static void *sq_malloc(int n)
{
	return !atomic_load(&F.sqlite_off) && fault_now(1) ? NULL : sq_real.xMalloc(n);
}

static void *sq_realloc(void *p, int n)
{
	return !atomic_load(&F.sqlite_off) && fault_now(1) ? NULL : sq_real.xRealloc(p, n);
}

/* PROJ reads proj.db through the same libsqlite3: while crs_open runs, only our own
 * allocations can fail, not the ones sqlite makes for PROJ. */
int __real_crs_open(const char *grid_dir, struct crs **out, char *err, size_t errlen);
int __wrap_crs_open(const char *grid_dir, struct crs **out, char *err, size_t errlen);

int __wrap_crs_open(const char *grid_dir, struct crs **out, char *err, size_t errlen)
{
	atomic_store(&F.sqlite_off, 1);
	int rc = __real_crs_open(grid_dir, out, err, errlen);
	atomic_store(&F.sqlite_off, 0);
	return rc;
}

/* sqlite's own allocations go through fault_now too; before sqlite3_initialize. */
static int sqlite_fail_init(void)
{
	sqlite3_mem_methods m;
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sq_real) != SQLITE_OK)
		return -1;
	m = sq_real;
	m.xMalloc = sq_malloc;
	m.xRealloc = sq_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
		return -1;
	return sqlite3_initialize() == SQLITE_OK ? 0 : -1;
}

/* ---- the loop ---- */

/* One operation under test: call runs armed (0 or negative errno with err); after runs
 * disarmed with call's result, checks a success against the reference and frees it. */
struct op {
	const char *name;
	int (*call)(char *err, size_t errlen);
	void (*after)(int rc);
	long sqlite_stride;           /* 0: every allocation in one pass; s: ours, then sqlite's
				       * at every s-th (1, 1 + s, ...) */
};

static void expect_clean_error(const struct op *o, long n, int rc, const char *err, int hit)
{
	if (hit && rc == -ENOMEM && strstr(err, "memory"))
		return;
	fail_msg("%s, allocation %ld failing%s: returned %d (%s), err \"%s\"", o->name, n,
		 hit ? "" : " (never reached)", rc, strerror(-rc), err);
}

/* Like assert_string_equal, but a NULL on one side only is a failure, not a crash. */
static void expect_same_str(const char *a, const char *b, const char *what)
{
	if (!a || !b) {
		if (a != b)
			fail_msg("%s: \"%s\" != \"%s\"", what, a ? a : "(NULL)", b ? b : "(NULL)");
		return;
	}
	if (strcmp(a, b) != 0)
		fail_msg("%s: \"%s\" != \"%s\"", what, a, b);
}

static void leak_check(const char *name)
{
#if defined(__SANITIZE_ADDRESS__)
	if (__lsan_do_recoverable_leak_check())
		fail_msg("%s: memory leaked during the allocation-failure loop (report above)", name);
#else
	(void)name;
#endif
}

/* Runs o with the n-th allocation of the class only failing for n = 1, 1 + stride, ...
 * until a run does not meet the failure and succeeds. Returns the allocations of the
 * class in a complete run. */
static long alloc_pass(const struct op *o, int only, long stride)
{
	F.only = only;
	for (long n = 1; n < LOOP_MAX; n += stride) {
		char err[ERR_MAX] = "";
		fault_arm(n);
		int rc = o->call(err, sizeof err);
		long count = atomic_load(&F.count);
		int hit = fault_disarm();
		if (rc < 0)
			expect_clean_error(o, n, rc, err, hit);
		o->after(rc);
		if (rc == 0 && !hit)
			return count;
	}
	fail_msg("%s: still meeting failures after %ld allocations", o->name, LOOP_MAX);
	return 0;
}

/* Every allocation of o fails once (sqlite's at every o->sqlite_stride-th when set), no
 * leak. Returns the allocations of a complete run. */
static long alloc_loop(const struct op *o)
{
	struct timespec t0, t1;
	long own = 0, lite;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (o->sqlite_stride > 0) {
		own = alloc_pass(o, ONLY_OWN, 1);
		lite = alloc_pass(o, ONLY_SQLITE, o->sqlite_stride);
	} else {
		lite = alloc_pass(o, 0, 1);
	}
	leak_check(o->name);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	if (o->sqlite_stride > 0)
		print_message("%s: %ld own allocations each failed once, one in %ld of sqlite's "
			      "%ld (%.1f s)\n", o->name, own, o->sqlite_stride, lite, s);
	else
		print_message("%s: %ld allocations, each failed once (%.1f s)\n", o->name, lite, s);
	F.only = 0;
	return own + lite;
}

/* ---- the fixture: a tiny consistent dataset, imported and planned ---- */

static const struct fx_region regions[] = {
	{ "VR01", "Noord", 150000, 450000, 4000, NULL },
	{ "VR02", "Zuid", 154000, 450000, 4000, NULL },
};

static const struct fx_area gemeenten[] = {
	{ "GM0001", "Aastad", NULL, NULL, 0, 1000, 1, 150000, 450000, 2000, NULL },
	{ "GM0002", "Beedorp", NULL, NULL, 0, 2000, 2, 152000, 450000, 2000, NULL },
	{ "GM0003", "Ceeveen", NULL, NULL, 0, 3000, 4, 154000, 450000, 2000, NULL },
};

static const struct fx_area wijken[] = {
	{ "WK000101", "Aa-Noord", "GM0001", NULL, 0, 400, 1, 150000, 450000, 1000, NULL },
	{ "WK000102", "Aa-Zuid", "GM0001", NULL, 0, 600, 2, 151000, 450000, 1000, NULL },
	{ "WK000201", "Bee", "GM0002", NULL, 0, 2000, 2, 152000, 450000, 2000, NULL },
	{ "WK000301", "Cee", "GM0003", NULL, 0, 3000, 4, 154000, 450000, 2000, NULL },
};

static const struct fx_area buurten[] = {
	{ "BU00010101", "Aa-1", "GM0001", "WK000101", 0, 150, 1, 150000, 450000, 500, NULL },
	{ "BU00010102", "Aa-2", "GM0001", "WK000101", 0, 250, 1, 150500, 450000, 500, NULL },
};

static const struct fx_member members[] = {
	{ "GM0001", "Aastad", "VR01", "Noord" },
	{ "GM0002", "Beedorp", "VR01", "Noord" },
	{ "GM0003", "Ceeveen", "VR02", "Zuid" },
};

static const struct fx_site sites[] = {
	{ "School A", "school", 150500, 450500, 0 },
	{ "School B", "school", 151500, 451500, 1 },
	{ "Buurthuis", "community_centre", 152500, 451000, 0 },
	{ "Kazerne", "fire_station", 155000, 451000, 0 },
};

static struct {
	char dir[256], db[300], conf[300], badconf[300];
	struct config cfg;
	struct store_summary sum;     /* the reference results */
	char version[17];
	int64_t plan_id;
	size_t nareas, nsites, nmembers, nplan_sites, nplan_areas, nplan_regions;
	struct served *ref;
} W;

static void write_dataset(const char *dir)
{
	char p[300];
	struct fx_gpkg *g = fx_gpkg_create(dir, "wijkbuurtkaart.gpkg", NULL, 0);
	fx_area_layer(g, "gemeenten", 28992, gemeenten, N(gemeenten));
	fx_area_layer(g, "wijken", 28992, wijken, N(wijken));
	fx_area_layer(g, "buurten", 28992, buurten, N(buurten));
	fx_gpkg_close(g);
	g = fx_gpkg_create(dir, "regions.gpkg", NULL, 0);
	fx_region_layer(g, regions, N(regions));
	fx_gpkg_close(g);
	g = fx_gpkg_create(dir, "scholen.gpkg", NULL, 0);
	fx_site_layer(g, "scholen", 28992, sites, N(sites));
	fx_gpkg_close(g);
	fx_write_memberships(dir, "members.csv", members, N(members), p, sizeof p);
}

static void write_configs(void)
{
	char text[1024];
	int n = snprintf(text, sizeof text, "[store]\ndatabase = %s\n[proj]\ngrid_dir = %s\n"
			 "[plan]\nlocal_radius_class1_m = 600\nseed = 7\n"
			 "search_time_s = 1\n", W.db, HUB_PROJ_DIR);
	tu_write_file(W.dir, "good.conf", text, (size_t)n, W.conf, sizeof W.conf);
	n = snprintf(text, sizeof text, "[store]\ndatabase = %s\n[plan]\nseed = -1\n"
		     "radius = 5\n[nope]\nx = 1\n", W.db);
	tu_write_file(W.dir, "bad.conf", text, (size_t)n, W.badconf, sizeof W.badconf);
}

/* A national plan, then one for VR01 (the newest, so served_load applies a scope). */
static int plan_twice(char *err)
{
	static const char *const scopes[] = { NULL, "VR01" };
	for (size_t k = 0; k < N(scopes); k++) {
		struct plan_run_options opt = { NULL, scopes[k], NULL, 1, NULL };   /* fresh: a scoped plan */
		struct plan_result r;
		struct plan_run_info info;
		int rc = plan_run(&W.cfg, NULL, &opt, &r, &info, err, ERR_MAX);
		plan_result_free(&r);
		if (rc < 0)
			return rc;
		W.plan_id = info.plan_id;
	}
	return 0;
}

static int count_row(void *user, sqlite3_stmt *s)
{
	(void)s;
	++*(size_t *)user;
	return 0;
}

static int count_area(void *user, const struct store_area_row *r)
{
	(void)r;
	return count_row(user, NULL);
}

static int count_site(void *user, const struct store_site_row *r)
{
	(void)r;
	return count_row(user, NULL);
}

static int count_member(void *user, const char *gm, const char *vr, const char *name)
{
	(void)gm, (void)vr, (void)name;
	return count_row(user, NULL);
}

static int count_plan_site(void *user, const struct store_plan_site *x)
{
	(void)x;
	return count_row(user, NULL);
}

static int count_plan_area(void *user, const struct store_plan_area *x)
{
	(void)x;
	return count_row(user, NULL);
}

static int count_plan_region(void *user, const struct store_plan_region *x)
{
	(void)x;
	return count_row(user, NULL);
}

/* What the store's readers return, in one record to compare. */
struct readings {
	struct store_summary sum;
	char version[17];
	int64_t latest;
	char params[256];
	size_t areas, sites, members, plan_sites, plan_areas, plan_regions;
};

static int read_all(struct store *st, struct readings *r, char *err, size_t errlen)
{
	struct store_plan_header h = {0};
	int rc = store_summary(st, &r->sum, err, errlen);
	if (rc == 0)
		rc = store_data_version(st, r->version, err, errlen);
	if (rc == 0)
		rc = store_each_area(st, count_area, &r->areas, err, errlen);
	if (rc == 0)
		rc = store_each_site(st, count_site, &r->sites, err, errlen);
	if (rc == 0)
		rc = store_each_membership(st, count_member, &r->members, err, errlen);
	if (rc == 0)
		rc = store_plan_latest(st, &r->latest, err, errlen);
	if (rc == 0 && (rc = store_plan_header(st, r->latest, &h, err, errlen)) == 0)
		snprintf(r->params, sizeof r->params, "%s", h.params_json);
	store_plan_header_free(&h);
	if (rc == 0)
		rc = store_each_plan_site(st, r->latest, count_plan_site, &r->plan_sites, err, errlen);
	if (rc == 0)
		rc = store_each_plan_area(st, r->latest, count_plan_area, &r->plan_areas, err, errlen);
	if (rc == 0)
		rc = store_each_plan_region(st, r->latest, count_plan_region, &r->plan_regions, err,
					    errlen);
	return rc;
}

/* The reference results, computed with no failure injected. */
static struct {
	struct config cfg, cli_cfg;
	char bad_err[ERR_MAX];
	struct readings rd;
	struct plan_input in;         /* after the VR01 scope */
	struct served *served;
} R;

static int load_input(struct store *st, struct plan_input *in, char *err, size_t errlen)
{
	struct geom_ctx *g = geom_ctx_new();
	int rc = g ? plan_input_load(st, in, err, errlen) : -ENOMEM;
	if (!g)
		snprintf(err, errlen, "out of memory");
	if (rc == 0)
		rc = plan_input_scope(g, in, "VR01", 2000, err, errlen);
	geom_ctx_free(g);
	return rc;
}

static int reference(char *err)
{
	struct store *st = NULL;
	struct cli_common o = { W.conf, "/elsewhere/hub.db", NULL };
	int rc = store_open(W.db, STORE_READONLY, &st, err, ERR_MAX);
	R.cfg = W.cfg;
	if (rc == 0)
		rc = read_all(st, &R.rd, err, ERR_MAX);
	if (rc == 0)
		rc = load_input(st, &R.in, err, ERR_MAX);
	store_close(st);
	if (rc == 0)
		rc = cli_load_config(&o, &R.cli_cfg, err, ERR_MAX);
	if (rc == 0 && config_load(&W.cfg, W.badconf, R.bad_err, sizeof R.bad_err) != -EINVAL)
		rc = -EINVAL;
	if (rc == 0)
		rc = served_load(&W.cfg, &R.served, err, ERR_MAX);
	if (rc == 0)
		rc = methods_prerender(R.served);
	return rc;
}

static int setup(void **state)
{
	char data[300], err[ERR_MAX];
	const char *paths[1] = { data };
	struct import_report rep;
	(void)state;
	tu_mkdtemp(W.dir, sizeof W.dir);
	snprintf(data, sizeof data, "%s/data", W.dir);
	snprintf(W.db, sizeof W.db, "%s/hub.db", W.dir);
	if (mkdir(data, 0700) < 0)
		return -1;
	write_dataset(data);
	write_configs();
	config_defaults(&W.cfg);
	int rc = import_paths(W.db, paths, 1, NULL, &rep, err, sizeof err);
	import_report_free(&rep);
	if (rc == 0)
		rc = config_load(&W.cfg, W.conf, err, sizeof err);
	if (rc == 0)
		rc = plan_twice(err);
	if (rc == 0)
		rc = reference(err);
	if (rc < 0)
		fprintf(stderr, "setup: %s\n", err);
	return rc < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	served_free(R.served);
	plan_input_free(&R.in);
	tu_rmtree(W.dir);
	return 0;
}

/* ---- configuration ---- */

static struct config G_cfg;
static char G_err[ERR_MAX];

static int call_config_good(char *err, size_t errlen)
{
	config_defaults(&G_cfg);
	return config_load(&G_cfg, W.conf, err, errlen);
}

static void after_config_good(int rc)
{
	if (rc == 0)
		assert_memory_equal(&G_cfg, &R.cfg, sizeof G_cfg);
}

/* A bad file's -EINVAL counts as success here: the messages must be the reference's. */
static int call_config_bad(char *err, size_t errlen)
{
	config_defaults(&G_cfg);
	int rc = config_load(&G_cfg, W.badconf, err, errlen);
	snprintf(G_err, sizeof G_err, "%s", err);
	return rc == -EINVAL ? 0 : rc ? rc : -EPROTO;
}

static void after_config_bad(int rc)
{
	if (rc == 0)
		expect_same_str(G_err, R.bad_err, "G_err");
}

static int call_cli_config(char *err, size_t errlen)
{
	struct cli_common o = { W.conf, "/elsewhere/hub.db", NULL };
	memset(&G_cfg, 0, sizeof G_cfg);
	return cli_load_config(&o, &G_cfg, err, errlen);
}

static void after_cli_config(int rc)
{
	if (rc == 0)
		assert_memory_equal(&G_cfg, &R.cli_cfg, sizeof G_cfg);
}

static void test_oom_config(void **state)
{
	static const struct op ops[] = {
		{ "config_load", call_config_good, after_config_good, 0 },
		{ "config_load (bad file)", call_config_bad, after_config_bad, 0 },
		{ "cli_load_config", call_cli_config, after_cli_config, 0 },
	};
	(void)state;
	for (size_t k = 0; k < N(ops); k++)
		assert_true(alloc_loop(&ops[k]) >= 2);
}

/* ---- the store ---- */

static struct store *G_st;
static char G_new[300];

static int call_open_rw(char *err, size_t errlen)
{
	return store_open(W.db, 0, &G_st, err, errlen);
}

static int call_open_ro(char *err, size_t errlen)
{
	return store_open(W.db, STORE_READONLY, &G_st, err, errlen);
}

/* Creating and migrating a new database; a failed run leaves a file to finish next time. */
static void remove_new(void)
{
	char p[320];
	unlink(G_new);
	snprintf(p, sizeof p, "%s-wal", G_new);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", G_new);
	unlink(p);
}

static int call_open_new(char *err, size_t errlen)
{
	return store_open(G_new, 0, &G_st, err, errlen);
}


static void after_open(int rc)
{
	struct readings rd;
	char err[ERR_MAX];
	if (rc < 0) {
		assert_null(G_st);
		return;
	}
	assert_non_null(G_st);
	memset(&rd, 0, sizeof rd);
	assert_int_equal(store_summary(G_st, &rd.sum, err, sizeof err), 0);
	assert_int_equal(rd.sum.schema_version, STORE_SCHEMA_VERSION);
	store_close(G_st);
	G_st = NULL;
}

/* A failed creation must leave a file that the next open finishes. */
static void after_open_new(int rc)
{
	char err[ERR_MAX];
	if (rc < 0)
		assert_int_equal(store_open(G_new, 0, &G_st, err, sizeof err), 0);
	after_open(0);
	remove_new();
}

static void test_oom_store_open(void **state)
{
	static const struct op ops[] = {
		{ "store_open", call_open_rw, after_open, 0 },
		{ "store_open (read-only)", call_open_ro, after_open, 0 },
		{ "store_open (new database)", call_open_new, after_open_new, 8 },
	};
	(void)state;
	snprintf(G_new, sizeof G_new, "%s/new.db", W.dir);
	remove_new();
	for (size_t k = 0; k < N(ops); k++)
		assert_true(alloc_loop(&ops[k]) >= 3);
}

static struct readings G_rd;

static int call_readers(char *err, size_t errlen)
{
	memset(&G_rd, 0, sizeof G_rd);
	return read_all(G_st, &G_rd, err, errlen);
}

static void after_readers(int rc)
{
	const struct readings *a = &G_rd, *b = &R.rd;
	if (rc < 0)
		return;
	expect_same_str(a->version, b->version, "version");
	expect_same_str(a->params, b->params, "params");
	expect_same_str(a->sum.data_version, b->sum.data_version, "sum.data_version");
	assert_memory_equal(a->sum.level, b->sum.level, sizeof a->sum.level);
	assert_int_equal(a->sum.sites, b->sum.sites);
	assert_int_equal(a->sum.last_import_id, b->sum.last_import_id);
	assert_int_equal(a->latest, b->latest);
	assert_int_equal(a->areas, b->areas);
	assert_int_equal(a->sites, b->sites);
	assert_int_equal(a->members, b->members);
	assert_int_equal(a->plan_sites, b->plan_sites);
	assert_int_equal(a->plan_areas, b->plan_areas);
	assert_int_equal(a->plan_regions, b->plan_regions);
}

static void test_oom_store_readers(void **state)
{
	static const struct op op = { "store readers", call_readers, after_readers, 0 };
	char err[ERR_MAX];
	(void)state;
	assert_int_equal(store_open(W.db, STORE_READONLY, &G_st, err, sizeof err), 0);
	assert_true(R.rd.areas > 0 && R.rd.plan_sites > 0 && R.rd.latest == W.plan_id);
	assert_true(alloc_loop(&op) >= 10);
	store_close(G_st);
	G_st = NULL;
}

/* ---- the planner's input and the serving model ---- */

static struct plan_input G_in;

static int call_plan_input(char *err, size_t errlen)
{
	memset(&G_in, 0, sizeof G_in);
	return load_input(G_st, &G_in, err, errlen);
}

static void after_plan_input(int rc)
{
	if (rc == 0) {
		assert_int_equal(G_in.n, R.in.n);
		assert_int_equal(G_in.nsites, R.in.nsites);
		assert_int_equal(G_in.nmembers, R.in.nmembers);
		assert_int_equal(G_in.nregions, R.in.nregions);
		for (size_t i = 0; i < G_in.n; i++)
			expect_same_str(G_in.areas[i].name, R.in.areas[i].name, "areas.name");
		for (size_t j = 0; j < G_in.nsites; j++)
			expect_same_str(G_in.sites[j].name, R.in.sites[j].name, "sites.name");
	}
	plan_input_free(&G_in);
}

static void test_oom_plan_input(void **state)
{
	static const struct op op = { "plan_input_load", call_plan_input, after_plan_input, 0 };
	char err[ERR_MAX];
	(void)state;
	assert_int_equal(store_open(W.db, STORE_READONLY, &G_st, err, sizeof err), 0);
	assert_true(alloc_loop(&op) >= 10);
	store_close(G_st);
	G_st = NULL;
}

static struct served *G_served;

/* As the daemon loads a plan: the model, then its reply fragments. */
static int call_served(char *err, size_t errlen)
{
	int rc = served_load(&W.cfg, &G_served, err, errlen);
	if (rc == 0 && (rc = methods_prerender(G_served)) < 0) {
		snprintf(err, errlen, "out of memory");
		served_free(G_served);
		G_served = NULL;
	}
	return rc;
}

static void expect_same_served(const struct served *a, const struct served *b)
{
	assert_int_equal(a->plan_id, b->plan_id);
	expect_same_str(a->scope, b->scope, "scope");
	expect_same_str(a->params_json, b->params_json, "params_json");
	assert_int_equal(a->nareas, b->nareas);
	assert_int_equal(a->nregions, b->nregions);
	assert_int_equal(a->nsites, b->nsites);
	assert_int_equal(a->demand.n, b->demand.n);
	assert_int_equal(a->cand.n, b->cand.n);
	for (size_t i = 0; i < a->nareas; i++) {
		expect_same_str(a->areas[i].name, b->areas[i].name, "areas.name");
		expect_same_str(a->areas[i].json, b->areas[i].json, "areas.json");
	}
	for (size_t r = 0; r < a->nregions; r++)
		expect_same_str(a->regions[r].json, b->regions[r].json, "regions.json");
	for (size_t k = 0; k < a->nsites; k++)
		expect_same_str(a->sites[k].json, b->sites[k].json, "sites.json");
}

static void after_served(int rc)
{
	if (rc == 0)
		expect_same_served(G_served, R.served);
	else
		assert_null(G_served);
	served_free(G_served);
	G_served = NULL;
}

static void test_oom_served_load(void **state)
{
	static const struct op op = { "served_load", call_served, after_served, 0 };
	(void)state;
	assert_non_null(R.served->scope);
	assert_true(R.served->nsites > 0);
	assert_true(alloc_loop(&op) >= 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oom_config),
		cmocka_unit_test(test_oom_store_open),
		cmocka_unit_test(test_oom_store_readers),
		cmocka_unit_test(test_oom_plan_input),
		cmocka_unit_test(test_oom_served_load),
	};
	/* Thousands of databases are created and synced: on tmpfs when there is one. */
	if (access("/dev/shm", W_OK) == 0)
		setenv("TMPDIR", "/dev/shm", 0);
	if (sqlite_fail_init() < 0) {
		fprintf(stderr, "cannot install the failing sqlite allocator\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
