/* Tests on the real bundled Dutch data (label data): imports HUB_DATA_DIR once into a
 * temporary database and checks the published counts and totals, the memberships, the one
 * repaired geometry (VR11), unknown CBS values as NULL, the stored WKB, the import time,
 * that the plan's demand counts every resident of every gemeente once, nationally and
 * scoped alike, and that a second import of the same folder changes nothing. Reads the
 * data read-only. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "data/store.h"
#include "geo/geom.h"
#include "geo/gpkg_blob.h"
#include "jobs/import.h"
#include "model/plan_input.h"
#include "tests/lib/testutil.h"
#include "util/clock.h"

#define WIJKEN 3393
#define WIJK_RESIDENTS 17942715
#define GEMEENTEN 342
#define GEMEENTE_WATER_PARTS 81
#define BUURTEN 625
#define BUURT_RESIDENTS 1312605
#define CELLS100 16383
#define REGIONS 25
#define SCHOLEN 8717
#define MAX_IMPORT_SECONDS 15.0

/* Filled once by the group setup; read-only for the tests except the last (re-import). */
static struct {
	char dir[256];
	char db_path[512];
	struct import_report rep;
	struct store_summary sum;
	double seconds;
	sqlite3 *db;               /* read-only connection on db_path */
} g;

/* ---- helpers ---- */

static int import_bundled(struct import_report *rep, char *err, size_t errlen)
{
	const char *paths[] = {HUB_DATA_DIR};
	const struct import_options opt = {.grid_dir = HUB_PROJ_DIR};
	return import_paths(g.db_path, paths, 1, &opt, rep, err, errlen);
}

static int read_summary(struct store_summary *sum, char *err, size_t errlen)
{
	struct store *st = NULL;
	int rc = store_open(g.db_path, STORE_READONLY, &st, err, errlen);
	if (rc == 0)
		rc = store_summary(st, sum, err, errlen);
	store_close(st);
	return rc;
}

static sqlite3 *open_ro(const char *path)
{
	char uri[1024];
	sqlite3 *db = NULL;
	snprintf(uri, sizeof uri, "file:%s?mode=ro", path);
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
		fail_msg("%s: %s", path, sqlite3_errmsg(db));
	return db;
}

/* A read-only connection on a bundled file (the folder is not writable). */
static sqlite3 *open_bundled(const char *name)
{
	char uri[1024];
	sqlite3 *db = NULL;
	snprintf(uri, sizeof uri, "file:%s/%s?immutable=1", HUB_DATA_DIR, name);
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
		fail_msg("%s: %s", name, sqlite3_errmsg(db));
	return db;
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	return s;
}

static sqlite3_int64 sql_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = prepare(db, sql);
	if (sqlite3_step(s) != SQLITE_ROW)
		fail_msg("%s: no row: %s", sql, sqlite3_errmsg(db));
	sqlite3_int64 v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static double sql_double(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = prepare(db, sql);
	if (sqlite3_step(s) != SQLITE_ROW)
		fail_msg("%s: no row: %s", sql, sqlite3_errmsg(db));
	double v = sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	return v;
}

static const struct import_layer_report *layer_of_kind(enum import_kind kind)
{
	for (size_t i = 0; i < g.rep.nlayers; i++)
		if (g.rep.layers[i].kind == kind)
			return &g.rep.layers[i];
	fail_msg("no layer of kind %d in the report", (int)kind);
	return NULL;
}

/* ---- group fixture: one import ---- */

static int group_setup(void **state)
{
	char err[1024] = "";
	(void)state;
	tu_mkdtemp(g.dir, sizeof g.dir);
	snprintf(g.db_path, sizeof g.db_path, "%s/hub.db", g.dir);
	double t0 = clock_now_s();
	int rc = import_bundled(&g.rep, err, sizeof err);
	g.seconds = clock_now_s() - t0;
	if (rc == 0)
		rc = read_summary(&g.sum, err, sizeof err);
	if (rc != 0) {
		print_error("import of %s failed: %d %s\n", HUB_DATA_DIR, rc, err);
		return -1;
	}
	print_message("import of %s: %.3f s\n", HUB_DATA_DIR, g.seconds);
	g.db = open_ro(g.db_path);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	sqlite3_close(g.db);
	import_report_free(&g.rep);
	tu_rmtree(g.dir);
	return 0;
}

/* ---- counts and totals ---- */

static void test_import_time(void **state)
{
	(void)state;
	assert_true(g.seconds > 0);
	assert_true(g.seconds < MAX_IMPORT_SECONDS);
}

static void test_wijken(void **state)
{
	(void)state;
	const struct store_level_stats *l = &g.sum.level[AREA_WIJK];
	assert_int_equal(l->features, WIJKEN);
	assert_true(l->residents == WIJK_RESIDENTS);
	assert_true(sql_double(g.db, "SELECT total(residents) FROM areas WHERE level = 2") ==
		    WIJK_RESIDENTS);
	assert_int_equal(sql_int(g.db, "SELECT count(*) FROM areas WHERE level = 2"), WIJKEN);
}

static void test_gemeenten(void **state)
{
	(void)state;
	assert_int_equal(g.sum.level[AREA_GEMEENTE].features, GEMEENTEN);
	assert_int_equal(g.sum.level[AREA_GEMEENTE].water_parts, GEMEENTE_WATER_PARTS);
	assert_int_equal(sql_int(g.db, "SELECT count(DISTINCT code) FROM area_water WHERE level = 1"
			 " AND code IN (SELECT code FROM areas WHERE level = 1)"), GEMEENTE_WATER_PARTS);
}

static void test_buurten(void **state)
{
	(void)state;
	assert_int_equal(g.sum.level[AREA_BUURT].features, BUURTEN);
	assert_true(g.sum.level[AREA_BUURT].residents == BUURT_RESIDENTS);
	assert_true(sql_double(g.db, "SELECT total(residents) FROM areas WHERE level = 3") ==
		    BUURT_RESIDENTS);
}

static void test_cells(void **state)
{
	(void)state;
	assert_int_equal(g.sum.level[AREA_CELL100].features, CELLS100);
	assert_int_equal(g.sum.level[AREA_CELL500].features, 0);
}

static void test_regions_and_memberships(void **state)
{
	char err[256] = "";
	(void)state;
	assert_int_equal(g.sum.regions, REGIONS);
	assert_int_equal(g.sum.memberships, GEMEENTEN);
	assert_int_equal(g.sum.municipalities_without_region, 0);
	assert_int_equal(import_summary_check(&g.sum, err, sizeof err), 0);
	assert_int_equal(sql_int(g.db, "SELECT count(*) FROM areas a WHERE a.level = 1 AND"
			 " (SELECT count(*) FROM memberships m WHERE m.gemeente_code = a.code)"
			 " != 1"), 0);
	assert_int_equal(sql_int(g.db, "SELECT count(*) FROM memberships m WHERE NOT EXISTS"
			 " (SELECT 1 FROM safety_regions r WHERE r.code = m.region_code)"), 0);
	assert_int_equal(sql_int(g.db, "SELECT count(DISTINCT region_code) FROM memberships"),
			 REGIONS);
}

static void test_scholen(void **state)
{
	(void)state;
	assert_int_equal(sql_int(g.db, "SELECT count(*) FROM sites WHERE kind = 'school'"),
			 SCHOLEN);
	assert_int_equal(g.sum.sites, SCHOLEN);
}

/* ---- repairs, unknown values, stored bytes ---- */

/* Which regions of the bundled file need a repair: exactly VR11. */
static void test_bundled_vr11_is_invalid(void **state)
{
	(void)state;
	sqlite3 *db = open_bundled("veiligheidsregios_2023.gpkg");
	sqlite3_stmt *s = prepare(db, "SELECT statcode, geom FROM veiligheidsregio_gegeneraliseerd");
	struct geom_ctx *gc = geom_ctx_new();
	char err[256], fixed_codes[256] = "";
	assert_non_null(gc);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct gpkg_blob b;
		uint8_t *out = NULL;
		size_t outlen = 0;
		int repaired = 0;
		const uint8_t *blob = sqlite3_column_blob(s, 1);
		assert_int_equal(gpkg_blob_parse(blob, (size_t)sqlite3_column_bytes(s, 1), &b, err,
						 sizeof err), 0);
		assert_int_equal(geom_polygonal_normalize(gc, b.wkb, b.wkb_len, &out, &outlen,
							  &repaired, err, sizeof err), 0);
		free(out);
		if (repaired)
			strncat(fixed_codes, (const char *)sqlite3_column_text(s, 0),
				sizeof fixed_codes - strlen(fixed_codes) - 1);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	geom_ctx_free(gc);
	assert_string_equal(fixed_codes, "VR11");
}

static void test_one_repair(void **state)
{
	(void)state;
	assert_int_equal(g.rep.repaired, 1);
	assert_int_equal(g.sum.geometries_repaired, 1);
	assert_int_equal(layer_of_kind(IMPORT_REGIONS)->repaired, 1);
}

/* The stored VR11 is valid now: normalizing it again repairs nothing. */
static void test_stored_vr11_valid(void **state)
{
	(void)state;
	sqlite3_stmt *s = prepare(g.db, "SELECT geom FROM safety_regions WHERE code = 'VR11'");
	struct geom_ctx *gc = geom_ctx_new();
	uint8_t *out = NULL;
	size_t outlen = 0;
	int repaired = -1;
	char err[256] = "";
	assert_non_null(gc);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int rc = geom_polygonal_normalize(gc, sqlite3_column_blob(s, 0),
					  (size_t)sqlite3_column_bytes(s, 0), &out, &outlen,
					  &repaired, err, sizeof err);
	free(out);
	sqlite3_finalize(s);
	geom_ctx_free(gc);
	assert_int_equal(rc, 0);
	assert_int_equal(repaired, 0);
}

static void test_secret_urbanity_is_null(void **state)
{
	(void)state;
	sqlite3 *src = open_bundled("wijkbuurtkaart_2024.gpkg");
	sqlite3_stmt *s = prepare(src, "SELECT wijkcode FROM wijken"
				  " WHERE stedelijkheid_adressen_per_km2 = -99997");
	sqlite3_stmt *q = prepare(g.db, "SELECT urbanity IS NULL FROM areas"
				  " WHERE level = 2 AND code = ?1");
	int n = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		sqlite3_bind_text(q, 1, (const char *)sqlite3_column_text(s, 0), -1,
				  SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(q, 0), 1);
		sqlite3_reset(q);
		n++;
	}
	sqlite3_finalize(q);
	sqlite3_finalize(s);
	sqlite3_close(src);
	assert_int_equal(n, 3);
}

/* Counts the values <= -99990 in every REAL or INTEGER column of table. */
static sqlite3_int64 special_values(const char *table)
{
	char sql[512];
	sqlite3_int64 n = 0;
	snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s')"
		 " WHERE type IN ('REAL', 'INTEGER')", table);
	sqlite3_stmt *s = prepare(g.db, sql);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *col = (const char *)sqlite3_column_text(s, 0);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE \"%s\" <= -99990",
			 table, col);
		sqlite3_int64 c = sql_int(g.db, sql);
		if (c)
			print_error("%s.%s: %lld special values\n", table, col, (long long)c);
		n += c;
	}
	sqlite3_finalize(s);
	return n;
}

static void test_no_special_values(void **state)
{
	(void)state;
	const char *tables[] = {"areas", "area_water", "safety_regions", "memberships", "sites"};
	sqlite3_int64 n = 0;
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		n += special_values(tables[i]);
	assert_int_equal(n, 0);
	assert_int_equal(sql_int(g.db, "SELECT count(*) FROM pragma_table_info('areas')"
			 " WHERE type IN ('REAL', 'INTEGER')"), 14);
}

static void test_geometry_bytes(void **state)
{
	(void)state;
	assert_int_equal(sql_int(g.db, "SELECT count(*) FROM areas WHERE typeof(geom_land) != 'blob'"
			 " OR substr(geom_land, 1, 5) != x'0106000000'"), 0);
	assert_int_equal(sql_int(g.db, "SELECT count(*) FROM area_water WHERE typeof(geom) != 'blob'"
			 " OR substr(geom, 1, 1) != x'01'"), 0);
	assert_int_equal(sql_int(g.db, "SELECT count(*) FROM safety_regions"
			 " WHERE typeof(geom) != 'blob' OR substr(geom, 1, 1) != x'01'"), 0);
}

/* ---- the plan's demand: every resident counted once ---- */

#define ASSIGN_MAX_M 2000.0   /* as the plan command and the daemon use */

/* Residents of the demand per gemeente code, from plan_input_load (+ scope) and
 * demand_build, exactly as the plan command computes them. Returns the number of
 * gemeenten; codes[k] / res[k] hold them. */
static size_t demand_per_gemeente(const char *scope, char (*codes)[PLAN_CODE_LEN], double *res,
				  size_t cap)
{
	struct plan_input in = {0};
	struct store *st = NULL;
	struct geom_ctx *gc = geom_ctx_new();
	struct demand d;
	struct demand_params p = {200, 500, 0.5, 0.3, ASSIGN_MAX_M, "", NULL};
	char err[1024] = "";
	size_t n = 0;
	assert_non_null(gc);
	int rc = store_open(g.db_path, STORE_READONLY, &st, err, sizeof err);
	if (rc == 0)
		rc = plan_input_load(st, &in, err, sizeof err);
	if (rc == 0 && scope)
		rc = plan_input_scope(gc, &in, scope, ASSIGN_MAX_M, err, sizeof err);
	if (rc == 0)
		rc = demand_build(gc, in.areas, in.n, plan_input_region_of, &in, &p, &d, err,
				  sizeof err);
	if (rc != 0)
		fail_msg("demand %s: %d %s", scope ? scope : "NL", rc, err);
	for (size_t i = 0; i < in.n && n < cap; i++)
		if (in.areas[i].level == PLAN_GEMEENTE) {
			snprintf(codes[n], PLAN_CODE_LEN, "%s", in.areas[i].code);
			res[n] = 0;
			for (size_t k = 0; k < d.n; k++)
				res[n] += d.gemeente[k] == (int32_t)i ? d.residents[k] : 0;
			n++;
		}
	demand_free(&d);
	plan_input_free(&in);
	store_close(st);
	geom_ctx_free(gc);
	return n;
}

static double gemeente_sql(const char *sql, const char *code)
{
	sqlite3_stmt *s = prepare(g.db, sql);
	sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	double v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_double(s, 0) : NAN;
	sqlite3_finalize(s);
	return v;
}

/* For every gemeente the demand holds exactly the residents of its finest areas (buurten,
 * and wijken without buurten), and so its own figure within CBS's rounding: every layer
 * is rounded separately (figures to 5), the gemeenten sum 227 more than the wijken, and
 * one gemeente differs from its wijken by 61 (GM0453). Before issue #18, GM0531 and
 * GM1892 were off by 99.8%: a few Rijnmond grid cells stood for all their residents. */
static void test_demand_every_gemeente(void **state)
{
	static char codes[GEMEENTEN + 1][PLAN_CODE_LEN];
	static double res[GEMEENTEN + 1];
	(void)state;
	size_t n = demand_per_gemeente(NULL, codes, res, GEMEENTEN + 1);
	double total = 0;
	int bad = 0;
	assert_int_equal(n, GEMEENTEN);
	for (size_t k = 0; k < n; k++) {
		double own = gemeente_sql("SELECT residents FROM areas WHERE level = 1 AND code = ?1",
					  codes[k]);
		double finest = gemeente_sql("SELECT total(residents) FROM areas a WHERE"
					     " a.gemeente_code = ?1 AND (a.level = 3 OR (a.level = 2"
					     " AND NOT EXISTS (SELECT 1 FROM areas b WHERE"
					     " b.level = 3 AND b.wijk_code = a.code)))", codes[k]);
		total += res[k];
		if (fabs(res[k] - finest) > 1e-6 * finest || fabs(res[k] - own) > 5 + 0.001 * own) {
			print_error("%s: demand %.1f, finest areas %.0f, gemeente %.0f\n", codes[k],
				    res[k], finest, own);
			bad++;
		}
	}
	print_message("demand: %.0f residents in %zu gemeenten\n", total, n);
	assert_int_equal(bad, 0);
}

/* A scope changes nothing for the gemeenten in it: the edge cells of the Rijnmond grid
 * belong to the same gemeente as nationally (GM0599 got two cells of a neighbour). */
static void test_demand_scope_matches_nation(void **state)
{
	static char nc[GEMEENTEN + 1][PLAN_CODE_LEN], sc[GEMEENTEN + 1][PLAN_CODE_LEN];
	static double nr[GEMEENTEN + 1], sr[GEMEENTEN + 1];
	const char *scopes[] = {"GM0599", "VR17", "GM0531,GM1892", "VR16,VR18"};
	(void)state;
	size_t n = demand_per_gemeente(NULL, nc, nr, GEMEENTEN + 1);
	for (size_t q = 0; q < sizeof scopes / sizeof *scopes; q++) {
		size_t m = demand_per_gemeente(scopes[q], sc, sr, GEMEENTEN + 1);
		assert_true(m >= 1);
		for (size_t k = 0; k < m; k++) {
			size_t j = 0;
			while (j < n && strcmp(nc[j], sc[k]) != 0)
				j++;
			assert_true(j < n);
			if (fabs(sr[k] - nr[j]) > 1e-6 * (1 + nr[j]))
				fail_msg("%s in scope %s: %.3f residents, nationally %.3f", sc[k],
					 scopes[q], sr[k], nr[j]);
		}
	}
}

/* ---- last: a second import of the same folder ---- */

static void test_reimport_unchanged(void **state)
{
	struct import_report rep;
	struct store_summary sum;
	char err[1024] = "";
	(void)state;
	int rc = import_bundled(&rep, err, sizeof err);
	if (rc != 0)
		fail_msg("second import: %d %s", rc, err);
	int changed = rep.changed;
	char version[17];
	memcpy(version, rep.data_version, sizeof version);
	import_report_free(&rep);
	assert_int_equal(changed, 0);
	assert_string_equal(version, g.rep.data_version);
	assert_int_equal(read_summary(&sum, err, sizeof err), 0);
	assert_string_equal(sum.data_version, g.sum.data_version);
	assert_int_equal(sum.last_import_id, g.sum.last_import_id + 1);
	assert_int_equal(sum.level[AREA_WIJK].features, WIJKEN);
	assert_int_equal(sum.level[AREA_GEMEENTE].water_parts, GEMEENTE_WATER_PARTS);
	assert_int_equal(sum.sites, SCHOLEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_time),
		cmocka_unit_test(test_wijken),
		cmocka_unit_test(test_gemeenten),
		cmocka_unit_test(test_buurten),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_regions_and_memberships),
		cmocka_unit_test(test_scholen),
		cmocka_unit_test(test_bundled_vr11_is_invalid),
		cmocka_unit_test(test_one_repair),
		cmocka_unit_test(test_stored_vr11_valid),
		cmocka_unit_test(test_secret_urbanity_is_null),
		cmocka_unit_test(test_no_special_values),
		cmocka_unit_test(test_geometry_bytes),
		cmocka_unit_test(test_demand_every_gemeente),
		cmocka_unit_test(test_demand_scope_matches_nation),
		cmocka_unit_test(test_reimport_unchanged),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
