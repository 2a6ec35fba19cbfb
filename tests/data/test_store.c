/* Tests for data/store: schema creation and migration guards, read-only opens, the
 * transaction rules (EPERM, EALREADY, EBUSY, WAL readers), duplicates, clearing a level,
 * membership checks, the data version hash, the summary, NULL for unknown figures and
 * SQLITE_FULL via PRAGMA max_page_count. Test-only code: writes only in a temp folder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "data/store.h"
#include "tests/lib/testutil.h"

/* Per-test state: a temp folder, a database path in it and a store opened on it. */
struct fx {
	char dir[256];
	char path[512];
	struct store *st;
	char err[1024];
};

/* A small stand-in for a WKB MultiPolygon: the store never looks inside. */
static const uint8_t g_geom[] = {1, 6, 0, 0, 0, 1, 0, 0, 0, 1, 3, 0, 0, 0, 1, 0, 0, 0, 5, 0};

/* ---- helpers ---- */

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
}

static struct store *open_ok(const char *path, int flags)
{
	struct store *st = NULL;
	char err[512] = "";
	int rc = store_open(path, flags, &st, err, sizeof err);
	if (rc != 0)
		fail_msg("store_open(%s): %d %s", path, rc, err);
	assert_non_null(st);
	return st;
}

static struct store_area area(enum area_level level, const char *code, double residents)
{
	return (struct store_area){
		.level = level, .code = code, .name = code, .gemeente_code = "GM0001",
		.residents = residents, .residents_65plus = 7, .pct_65plus = 18.5,
		.households = 40, .urbanity = 2, .address_density = 1800,
		.cars_per_household = 0.9, .land_ha = 120, .water_ha = 3.5,
		.geom_land = g_geom, .geom_land_len = sizeof g_geom,
		.minx = 1000, .miny = 2000, .maxx = 3000, .maxy = 4000,
	};
}

static struct store_site site(const char *source_id, int fixed)
{
	return (struct store_site){
		.source = "test.csv", .source_id = source_id, .name = "School",
		.kind = "school", .subkind = "basisschool", .x_rd = 92000, .y_rd = 437000,
		.capacity = 150, .fixed = fixed, .beds = STORE_UNKNOWN, .ic_beds = STORE_UNKNOWN, .clients = STORE_UNKNOWN,
	};
}

static void begin_ok(struct store *st)
{
	char err[512] = "";
	int rc = store_begin(st, err, sizeof err);
	if (rc != 0)
		fail_msg("store_begin: %d %s", rc, err);
}

static void commit_ok(struct store *st)
{
	char err[512] = "";
	int rc = store_commit(st, err, sizeof err);
	if (rc != 0)
		fail_msg("store_commit: %d %s", rc, err);
}

static void check(int rc, const char *what, const char *err)
{
	if (rc != 0)
		fail_msg("%s: %d %s", what, rc, err);
}

static void put_area_ok(struct store *st, const struct store_area *a)
{
	char err[512] = "";
	check(store_put_area(st, a, err, sizeof err), a->code, err);
}

static void put_water_ok(struct store *st, enum area_level level, const char *code)
{
	char err[512] = "";
	check(store_put_water(st, level, code, g_geom, sizeof g_geom, err, sizeof err), code, err);
}

static void put_region_ok(struct store *st, const char *code)
{
	char err[512] = "";
	check(store_put_region(st, code, code, g_geom, sizeof g_geom, err, sizeof err), code, err);
}

static void put_member_ok(struct store *st, const char *gm, const char *name, const char *vr)
{
	char err[512] = "";
	check(store_put_membership(st, gm, name, vr, err, sizeof err), gm, err);
}

static void put_site_ok(struct store *st, const struct store_site *s)
{
	char err[512] = "";
	check(store_put_site(st, s, err, sizeof err), s->source_id, err);
}

/* Inserts n areas in one transaction. */
static void put_areas(struct store *st, const struct store_area *a, size_t n)
{
	begin_ok(st);
	for (size_t i = 0; i < n; i++)
		put_area_ok(st, &a[i]);
	commit_ok(st);
}

static sqlite3_int64 sql_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW)
		fail_msg("%s: step %d %s", sql, rc, sqlite3_errmsg(db));
	sqlite3_int64 v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void sql_text(sqlite3 *db, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) != SQLITE_ROW)
		fail_msg("%s: no row: %s", sql, sqlite3_errmsg(db));
	const unsigned char *t = sqlite3_column_text(s, 0);
	snprintf(out, n, "%s", t ? (const char *)t : "");
	sqlite3_finalize(s);
}

static void sql_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static void version_ok(struct store *st, char out[17])
{
	char err[512] = "";
	check(store_data_version(st, out, err, sizeof err), "store_data_version", err);
}

static void summary_ok(struct store *st, struct store_summary *sum)
{
	char err[512] = "";
	check(store_summary(st, sum, err, sizeof err), "store_summary", err);
}

static sqlite3_int64 count_areas(struct store *st)
{
	return sql_int(store_handle(st), "SELECT count(*) FROM areas");
}

/* ---- fixtures ---- */

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	tu_mkdtemp(f->dir, sizeof f->dir);
	snprintf(f->path, sizeof f->path, "%s/hub.db", f->dir);
	f->st = open_ok(f->path, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	tu_rmtree(f->dir);
	free(f);
	return 0;
}

/* ---- opening ---- */

static void test_open_creates_schema(void **state)
{
	struct fx *f = *state;
	char mode[32];
	sqlite3 *db = store_handle(f->st);
	assert_int_equal(sql_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	sql_text(db, "PRAGMA journal_mode", mode, sizeof mode);
	assert_string_equal(mode, "wal");
	assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND"
			 " name IN ('meta', 'areas', 'area_water', 'safety_regions',"
			 " 'memberships', 'sites', 'imports')"), 7);
}

static void test_reopen_is_noop(void **state)
{
	struct fx *f = *state;
	struct store_area a = area(AREA_GEMEENTE, "GM0001", 100);
	put_areas(f->st, &a, 1);
	sqlite3_int64 cookie = sql_int(store_handle(f->st), "PRAGMA schema_version");
	store_close(f->st);
	f->st = open_ok(f->path, 0);
	sqlite3 *db = store_handle(f->st);
	assert_int_equal(sql_int(db, "PRAGMA schema_version"), cookie);
	assert_int_equal(sql_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(count_areas(f->st), 1);
}

static void test_newer_schema_eproto(void **state)
{
	struct fx *f = *state;
	struct store *st = NULL;
	sql_exec(store_handle(f->st), "PRAGMA user_version = 99");
	store_close(f->st);
	f->st = NULL;
	for (int flags = 0; flags <= STORE_READONLY; flags++) {
		f->err[0] = '\0';
		assert_int_equal(store_open(f->path, flags, &st, f->err, sizeof f->err), -EPROTO);
		assert_null(st);
		assert_contains(f->err, f->path);
		assert_contains(f->err, "99");
	}
}

static void test_not_a_database(void **state)
{
	struct fx *f = *state;
	uint8_t junk[8192];
	char path[512];
	struct store *st = NULL;
	uint32_t x = 0x12345678;
	for (size_t i = 0; i < sizeof junk; i++) {
		x = x * 1664525u + 1013904223u;
		junk[i] = (uint8_t)(x >> 24);
	}
	tu_write_file(f->dir, "junk.db", junk, sizeof junk, path, sizeof path);
	int rc = store_open(path, 0, &st, f->err, sizeof f->err);
	assert_true(rc < 0);
	assert_null(st);
	assert_contains(f->err, path);
	rc = store_open(path, STORE_READONLY, &st, f->err, sizeof f->err);
	assert_true(rc < 0);
	assert_contains(f->err, path);
}

static void test_readonly_missing(void **state)
{
	struct fx *f = *state;
	char path[512];
	struct stat sb;
	struct store *st = NULL;
	snprintf(path, sizeof path, "%s/missing.db", f->dir);
	assert_true(store_open(path, STORE_READONLY, &st, f->err, sizeof f->err) < 0);
	assert_null(st);
	assert_contains(f->err, path);
	assert_int_not_equal(stat(path, &sb), 0);
}

static void test_readonly_refuses_writes(void **state)
{
	struct fx *f = *state;
	struct store_area a = area(AREA_GEMEENTE, "GM0001", 100);
	put_areas(f->st, &a, 1);
	store_close(f->st);
	f->st = open_ok(f->path, STORE_READONLY);
	assert_int_equal(count_areas(f->st), 1);
	struct store_area b = area(AREA_GEMEENTE, "GM0002", 100);
	assert_int_equal(store_put_area(f->st, &b, f->err, sizeof f->err), -EPERM);
	/* sqlite lets a read-only connection BEGIN IMMEDIATE; the write itself must fail. */
	int rc = store_begin(f->st, f->err, sizeof f->err);
	if (rc == 0) {
		rc = store_put_area(f->st, &b, f->err, sizeof f->err);
		store_rollback(f->st);
	}
	assert_int_equal(rc, -EACCES);
	assert_int_equal(count_areas(f->st), 1);
}

/* ---- transactions ---- */

static void test_writes_need_transaction(void **state)
{
	struct fx *f = *state;
	struct store *st = f->st;
	char *e = f->err;
	size_t n = sizeof f->err;
	struct store_area a = area(AREA_GEMEENTE, "GM0001", 100);
	struct store_site s = site("1", 0);
	assert_int_equal(store_put_area(st, &a, e, n), -EPERM);
	assert_int_equal(store_put_water(st, AREA_GEMEENTE, "GM0001", g_geom, 4, e, n), -EPERM);
	assert_int_equal(store_clear_level(st, AREA_GEMEENTE, e, n), -EPERM);
	assert_int_equal(store_put_region(st, "VR01", "X", g_geom, 4, e, n), -EPERM);
	assert_int_equal(store_clear_regions(st, e, n), -EPERM);
	assert_int_equal(store_put_membership(st, "GM0001", "X", "VR01", e, n), -EPERM);
	assert_int_equal(store_clear_memberships(st, e, n), -EPERM);
	assert_int_equal(store_put_site(st, &s, e, n), -EPERM);
	assert_int_equal(store_clear_sites(st, "test.csv", e, n), -EPERM);
	assert_int_equal(count_areas(st), 0);
}

/* store.h: "Every write runs inside BEGIN IMMEDIATE .. COMMIT started with store_begin()". */
static void test_log_import_needs_transaction(void **state)
{
	struct fx *f = *state;
	int rc = store_log_import(f->st, "2024-01-01T00:00:00Z", "a.gpkg\n", 0, 0, NULL,
				  f->err, sizeof f->err);
	assert_int_equal(rc, -EPERM);
	assert_int_equal(sql_int(store_handle(f->st), "SELECT count(*) FROM imports"), 0);
}

static void test_begin_twice(void **state)
{
	struct fx *f = *state;
	struct store_area a = area(AREA_GEMEENTE, "GM0001", 100);
	begin_ok(f->st);
	assert_int_equal(store_begin(f->st, f->err, sizeof f->err), -EALREADY);
	put_area_ok(f->st, &a);
	commit_ok(f->st);
	assert_int_equal(count_areas(f->st), 1);
}

static void test_rollback_leaves_nothing(void **state)
{
	struct fx *f = *state;
	struct store_area a = area(AREA_GEMEENTE, "GM0001", 100);
	struct store_site s = site("1", 1);
	struct store_summary sum;
	begin_ok(f->st);
	put_area_ok(f->st, &a);
	put_water_ok(f->st, AREA_GEMEENTE, "GM0001");
	put_region_ok(f->st, "VR01");
	put_member_ok(f->st, "GM0001", "One", "VR01");
	put_site_ok(f->st, &s);
	store_rollback(f->st);
	summary_ok(f->st, &sum);
	assert_int_equal(sum.level[AREA_GEMEENTE].features, 0);
	assert_int_equal(sum.level[AREA_GEMEENTE].water_parts, 0);
	assert_int_equal(sum.regions + sum.memberships + sum.sites, 0);
	assert_string_equal(sum.data_version, "");
	begin_ok(f->st);
	store_rollback(f->st);
	store_rollback(f->st);
}

static void test_duplicate_area(void **state)
{
	struct fx *f = *state;
	struct store_area a = area(AREA_WIJK, "WK000101", 100);
	struct store_area other_level = area(AREA_BUURT, "WK000101", 5);
	begin_ok(f->st);
	put_area_ok(f->st, &a);
	assert_int_equal(store_put_area(f->st, &a, f->err, sizeof f->err), -EEXIST);
	assert_contains(f->err, "duplicate code WK000101");
	put_area_ok(f->st, &other_level);
	commit_ok(f->st);
	assert_int_equal(count_areas(f->st), 2);
}

static void test_clear_level(void **state)
{
	struct fx *f = *state;
	struct store_area a[] = {area(AREA_GEMEENTE, "GM0001", 100),
				 area(AREA_GEMEENTE, "GM0002", 50), area(AREA_WIJK, "WK000101", 100)};
	struct store_summary sum;
	begin_ok(f->st);
	for (size_t i = 0; i < 3; i++)
		put_area_ok(f->st, &a[i]);
	put_water_ok(f->st, AREA_GEMEENTE, "GM0001");
	put_water_ok(f->st, AREA_GEMEENTE, "GM0001");
	put_water_ok(f->st, AREA_WIJK, "WK000101");
	check(store_clear_level(f->st, AREA_GEMEENTE, f->err, sizeof f->err), "clear", f->err);
	commit_ok(f->st);
	summary_ok(f->st, &sum);
	assert_int_equal(sum.level[AREA_GEMEENTE].features, 0);
	assert_int_equal(sum.level[AREA_GEMEENTE].water_parts, 0);
	assert_int_equal(sum.level[AREA_WIJK].features, 1);
	assert_int_equal(sum.level[AREA_WIJK].water_parts, 1);
}

/* ---- memberships ---- */

/* Two municipalities, regions VR01 and VR02, in one transaction left open. */
static void put_two_gemeenten(struct store *st)
{
	struct store_area a[] = {area(AREA_GEMEENTE, "GM0001", 100),
				 area(AREA_GEMEENTE, "GM0002", 50)};
	a[0].name = "Een";
	a[1].name = "Twee";
	begin_ok(st);
	put_area_ok(st, &a[0]);
	put_area_ok(st, &a[1]);
	put_region_ok(st, "VR01");
	put_region_ok(st, "VR02");
}

static void test_membership_duplicate(void **state)
{
	struct fx *f = *state;
	put_two_gemeenten(f->st);
	put_member_ok(f->st, "GM0001", "Een", "VR01");
	assert_int_equal(store_put_membership(f->st, "GM0001", "Een", "VR02", f->err,
					      sizeof f->err), -EEXIST);
	assert_contains(f->err, "GM0001");
	commit_ok(f->st);
}

static void test_memberships_consistent(void **state)
{
	struct fx *f = *state;
	put_two_gemeenten(f->st);
	put_member_ok(f->st, "GM0001", "Een", "VR01");
	put_member_ok(f->st, "GM0002", "Twee", "VR01");
	assert_int_equal(store_check_memberships(f->st, f->err, sizeof f->err), 0);
	commit_ok(f->st);
}

static void test_memberships_none(void **state)
{
	struct fx *f = *state;
	put_two_gemeenten(f->st);
	assert_int_equal(store_check_memberships(f->st, f->err, sizeof f->err), 0);
	commit_ok(f->st);
}

static void test_gemeente_without_region(void **state)
{
	struct fx *f = *state;
	put_two_gemeenten(f->st);
	put_member_ok(f->st, "GM0001", "Een", "VR01");
	assert_int_equal(store_check_memberships(f->st, f->err, sizeof f->err), -EINVAL);
	assert_contains(f->err, "GM0002 (Twee) has no safety region");
	assert_null(strstr(f->err, "GM0001"));
	commit_ok(f->st);
}

static void test_membership_unknown_region(void **state)
{
	struct fx *f = *state;
	put_two_gemeenten(f->st);
	put_member_ok(f->st, "GM0001", "Een", "VR01");
	put_member_ok(f->st, "GM0002", "Twee", "VR99");
	assert_int_equal(store_check_memberships(f->st, f->err, sizeof f->err), -EINVAL);
	assert_contains(f->err, "GM0002 belongs to unknown safety region VR99");
	commit_ok(f->st);
}

/* ---- data version ---- */

/* The same content (areas, water, regions, memberships, sites) in one of two orders. */
static void put_content(struct store *st, int reverse)
{
	struct store_area a[] = {area(AREA_GEMEENTE, "GM0001", 100),
				 area(AREA_GEMEENTE, "GM0002", 50), area(AREA_WIJK, "WK000101", 70),
				 area(AREA_CELL100, "E0974N4514", 5)};
	struct store_site s[] = {site("1", 0), site("2", 1), site("3", 0)};
	const char *vr[] = {"VR01", "VR02"};
	begin_ok(st);
	for (size_t i = 0; i < 4; i++)
		put_area_ok(st, &a[reverse ? 3 - i : i]);
	put_water_ok(st, AREA_GEMEENTE, reverse ? "GM0002" : "GM0001");
	put_water_ok(st, AREA_GEMEENTE, reverse ? "GM0001" : "GM0002");
	for (size_t i = 0; i < 2; i++)
		put_region_ok(st, vr[reverse ? 1 - i : i]);
	put_member_ok(st, reverse ? "GM0002" : "GM0001", NULL, reverse ? "VR02" : "VR01");
	put_member_ok(st, reverse ? "GM0001" : "GM0002", NULL, reverse ? "VR01" : "VR02");
	for (size_t i = 0; i < 3; i++)
		put_site_ok(st, &s[reverse ? 2 - i : i]);
	commit_ok(st);
}

static void test_version_empty(void **state)
{
	struct fx *f = *state;
	char v[17] = "x";
	version_ok(f->st, v);
	assert_string_equal(v, "");
}

static void test_version_ignores_order(void **state)
{
	struct fx *f = *state;
	char path[512], v1[17], v2[17];
	snprintf(path, sizeof path, "%s/other.db", f->dir);
	struct store *other = open_ok(path, 0);
	put_content(f->st, 0);
	put_content(other, 1);
	version_ok(f->st, v1);
	version_ok(other, v2);
	store_close(other);
	assert_int_equal(strlen(v1), 16);
	assert_string_equal(v1, v2);
}

static void test_version_ignores_imports_log(void **state)
{
	struct fx *f = *state;
	char v1[17], v2[17];
	put_content(f->st, 0);
	version_ok(f->st, v1);
	begin_ok(f->st);
	check(store_log_import(f->st, "2024-01-01T00:00:00Z", "a.gpkg\n", 3, 4, "{}", f->err,
			       sizeof f->err), "log", f->err);
	commit_ok(f->st);
	version_ok(f->st, v2);
	assert_string_equal(v1, v2);
}

/* The version of one area a, alone in a fresh database dir/name. */
static void version_of(const char *dir, const char *name, const struct store_area *a,
		       char out[17])
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	struct store *st = open_ok(path, 0);
	put_areas(st, a, 1);
	version_ok(st, out);
	store_close(st);
}

static void test_version_sees_each_figure(void **state)
{
	struct fx *f = *state;
	char base[17], v[17], name[32];
	struct store_area a = area(AREA_WIJK, "WK000101", 100);
	version_of(f->dir, "base.db", &a, base);
	double *figures[] = {&a.residents, &a.residents_65plus, &a.pct_65plus, &a.households,
			     &a.urbanity, &a.address_density, &a.cars_per_household, &a.land_ha,
			     &a.water_ha, &a.minx, &a.miny, &a.maxx, &a.maxy};
	for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
		double old = *figures[i];
		*figures[i] = old + 1;
		snprintf(name, sizeof name, "fig%zu.db", i);
		version_of(f->dir, name, &a, v);
		*figures[i] = old;
		if (strcmp(v, base) == 0)
			fail_msg("figure %zu changed but the version did not", i);
	}
}

static void test_version_sees_each_geometry_byte(void **state)
{
	struct fx *f = *state;
	char base[17], v[17], name[32];
	uint8_t geom[sizeof g_geom];
	struct store_area a = area(AREA_WIJK, "WK000101", 100);
	memcpy(geom, g_geom, sizeof geom);
	a.geom_land = geom;
	version_of(f->dir, "base.db", &a, base);
	for (size_t i = 0; i < sizeof geom; i++) {
		geom[i] ^= 0x01;
		snprintf(name, sizeof name, "geom%zu.db", i);
		version_of(f->dir, name, &a, v);
		geom[i] ^= 0x01;
		if (strcmp(v, base) == 0)
			fail_msg("geometry byte %zu changed but the version did not", i);
	}
}

static void test_version_sees_other_tables(void **state)
{
	struct fx *f = *state;
	char v1[17], v2[17], v3[17];
	struct store_site s = site("9", 0);
	put_content(f->st, 0);
	version_ok(f->st, v1);
	begin_ok(f->st);
	put_site_ok(f->st, &s);
	commit_ok(f->st);
	version_ok(f->st, v2);
	begin_ok(f->st);
	put_water_ok(f->st, AREA_WIJK, "WK000101");
	commit_ok(f->st);
	version_ok(f->st, v3);
	assert_string_not_equal(v1, v2);
	assert_string_not_equal(v2, v3);
}

/* ---- summary and NULLs ---- */

static void put_summary_content(struct store *st)
{
	struct store_area a[] = {area(AREA_GEMEENTE, "GM0001", 100),
				 area(AREA_GEMEENTE, "GM0002", 250),
				 area(AREA_GEMEENTE, "GM0003", STORE_UNKNOWN),
				 area(AREA_BUURT, "BU00010001", 12)};
	struct store_site s[] = {site("1", 0), site("2", 1), site("3", 1)};
	begin_ok(st);
	for (size_t i = 0; i < 4; i++)
		put_area_ok(st, &a[i]);
	put_water_ok(st, AREA_GEMEENTE, "GM0001");
	put_water_ok(st, AREA_GEMEENTE, "GM0003");
	put_region_ok(st, "VR01");
	put_member_ok(st, "GM0001", NULL, "VR01");
	put_member_ok(st, "GM0002", NULL, "VR01");
	for (size_t i = 0; i < 3; i++)
		put_site_ok(st, &s[i]);
	char err[512] = "";
	check(store_log_import(st, "2024-01-01T00:00:00Z", "a.gpkg\n", 2, 17, NULL, err,
			       sizeof err), "log", err);
	commit_ok(st);
}

static void test_summary(void **state)
{
	struct fx *f = *state;
	struct store_summary sum;
	char v[17];
	put_summary_content(f->st);
	summary_ok(f->st, &sum);
	assert_int_equal(sum.schema_version, STORE_SCHEMA_VERSION);
	assert_int_equal(sum.level[AREA_GEMEENTE].features, 3);
	assert_int_equal(sum.level[AREA_GEMEENTE].water_parts, 2);
	assert_true(sum.level[AREA_GEMEENTE].residents == 350.0);
	assert_int_equal(sum.level[AREA_GEMEENTE].residents_unknown, 1);
	assert_int_equal(sum.level[AREA_BUURT].features, 1);
	assert_true(sum.level[AREA_BUURT].residents == 12.0);
	assert_int_equal(sum.level[AREA_WIJK].features, 0);
	assert_int_equal(sum.regions, 1);
	assert_int_equal(sum.memberships, 2);
	assert_int_equal(sum.municipalities_without_region, 1);
	assert_int_equal(sum.sites, 3);
	assert_int_equal(sum.sites_fixed, 2);
	assert_int_equal(sum.last_import_id, 1);
	assert_int_equal(strlen(sum.last_import_at), 20);
	assert_int_equal(sum.geometries_repaired, 2);
	assert_int_equal(sum.values_unknown, 17);
	version_ok(f->st, v);
	assert_string_equal(sum.data_version, v);
}

static void test_summary_empty(void **state)
{
	struct fx *f = *state;
	struct store_summary sum;
	summary_ok(f->st, &sum);
	assert_int_equal(sum.schema_version, STORE_SCHEMA_VERSION);
	assert_int_equal(sum.last_import_id, 0);
	assert_string_equal(sum.last_import_at, "");
	assert_string_equal(sum.data_version, "");
	for (int level = 1; level <= AREA_LEVELS; level++)
		assert_int_equal(sum.level[level].features, 0);
}

static void test_nan_stored_as_null(void **state)
{
	struct fx *f = *state;
	const double u = STORE_UNKNOWN;
	struct store_area a = {
		.level = AREA_CELL100, .code = "E0974N4514", .residents = u,
		.residents_65plus = u, .pct_65plus = u, .households = u, .urbanity = u,
		.address_density = u, .cars_per_household = u, .land_ha = u, .water_ha = u,
		.geom_land = g_geom, .geom_land_len = sizeof g_geom,
		.minx = u, .miny = u, .maxx = u, .maxy = u,
	};
	struct store_site s = site("1", 0);
	s.capacity = -STORE_UNKNOWN;
	begin_ok(f->st);
	put_area_ok(f->st, &a);
	put_site_ok(f->st, &s);
	commit_ok(f->st);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sql_int(db, "SELECT (residents IS NULL) + (residents_65plus IS NULL) +"
			 " (pct_65plus IS NULL) + (households IS NULL) + (urbanity IS NULL) +"
			 " (address_density IS NULL) + (cars_per_household IS NULL) +"
			 " (land_ha IS NULL) + (water_ha IS NULL) + (minx IS NULL) +"
			 " (miny IS NULL) + (maxx IS NULL) + (maxy IS NULL) + (name IS NULL) +"
			 " (gemeente_code IS NULL) FROM areas"), 15);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM sites WHERE capacity IS NULL"), 1);
	sqlite3_close(db);
}

/* ---- concurrency and a full disk ---- */

static void test_wal_reader_sees_committed_only(void **state)
{
	struct fx *f = *state;
	struct store_area a = area(AREA_GEMEENTE, "GM0001", 100);
	struct store_area b = area(AREA_GEMEENTE, "GM0002", 100);
	put_areas(f->st, &a, 1);
	struct store *reader = open_ok(f->path, STORE_READONLY);
	begin_ok(f->st);
	put_area_ok(f->st, &b);
	assert_int_equal(count_areas(reader), 1);
	assert_int_equal(count_areas(f->st), 2);
	commit_ok(f->st);
	assert_int_equal(count_areas(reader), 2);
	store_close(reader);
}

/* The 10 s busy timeout is shortened on the second store's handle to keep this fast. */
static void test_second_writer_busy(void **state)
{
	struct fx *f = *state;
	struct store *second = open_ok(f->path, 0);
	sqlite3_busy_timeout(store_handle(second), 50);
	begin_ok(f->st);
	assert_int_equal(store_begin(second, f->err, sizeof f->err), -EBUSY);
	store_rollback(f->st);
	begin_ok(second);
	store_rollback(second);
	store_close(second);
}

static void test_full_disk_enospc(void **state)
{
	struct fx *f = *state;
	struct store_area a[] = {area(AREA_GEMEENTE, "GM0001", 100),
				 area(AREA_GEMEENTE, "GM0002", 50)};
	char before[17], after[17], sql[64];
	size_t big_len = 1 << 20;
	uint8_t *big = calloc(1, big_len);
	assert_non_null(big);
	put_areas(f->st, a, 2);
	version_ok(f->st, before);
	sqlite3 *db = store_handle(f->st);
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld",
		 (long long)sql_int(db, "PRAGMA page_count") + 2);
	sql_exec(db, sql);
	struct store_area huge = area(AREA_GEMEENTE, "GM0003", 10);
	huge.geom_land = big;
	huge.geom_land_len = big_len;
	begin_ok(f->st);
	int rc = store_put_area(f->st, &huge, f->err, sizeof f->err);
	free(big);
	assert_int_equal(rc, -ENOSPC);
	store_rollback(f->st);
	version_ok(f->st, after);
	assert_string_equal(before, after);
	assert_int_equal(count_areas(f->st), 2);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_open_creates_schema),
		T(test_reopen_is_noop),
		T(test_newer_schema_eproto),
		T(test_not_a_database),
		T(test_readonly_missing),
		T(test_readonly_refuses_writes),
		T(test_writes_need_transaction),
		T(test_log_import_needs_transaction),
		T(test_begin_twice),
		T(test_rollback_leaves_nothing),
		T(test_duplicate_area),
		T(test_clear_level),
		T(test_membership_duplicate),
		T(test_memberships_consistent),
		T(test_memberships_none),
		T(test_gemeente_without_region),
		T(test_membership_unknown_region),
		T(test_version_empty),
		T(test_version_ignores_order),
		T(test_version_ignores_imports_log),
		T(test_version_sees_each_figure),
		T(test_version_sees_each_geometry_byte),
		T(test_version_sees_other_tables),
		T(test_summary),
		T(test_summary_empty),
		T(test_nan_stored_as_null),
		T(test_wal_reader_sees_committed_only),
		T(test_second_writer_busy),
		T(test_full_disk_enospc),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
