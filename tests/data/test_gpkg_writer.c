/* Unit tests of data/gpkg_writer.c, the GeoPackage writer: metadata, blob header and
 * extents, bad layer and field names, QGIS styles, and a failed or aborted file never replacing the
 * target nor leaving a temporary file. Writes only in a temporary folder. The full export
 * is checked on real data by tests/maps/test_export.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "data/gpkg_writer.h"
#include "geo/geom.h"

struct env {
	char dir[256];
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	if (!e)
		return -1;
	snprintf(e->dir, sizeof e->dir, "/tmp/hub-gpkg-writer.XXXXXX");
	if (!mkdtemp(e->dir))
		return -1;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
	if (system(cmd) != 0)
		return -1;
	free(e);
	return 0;
}

static const struct gpkg_field fields[] = {{"name", GPKG_TEXT}, {"n", GPKG_INTEGER},
					   {"v", GPKG_REAL}};

static struct gpkg_writer *open_writer(struct env *e, const char *path)
{
	struct gpkg_srs srs = {28992, "Amersfoort / RD New", "PROJCS[\"RD\"]"};
	struct gpkg_writer *w = NULL;
	char err[256];
	assert_int_equal(gpkg_writer_open(path, &srs, "GEOGCS[\"WGS 84\"]", &w, err, sizeof err), 0);
	assert_int_equal(gpkg_writer_layer(w, "pts", "POINT", "test", fields, 3, err, sizeof err), 0);
	(void)e;
	return w;
}

static void add_point(struct gpkg_writer *w, double x, double y, const char *name)
{
	uint8_t wkb[21];
	double env[4] = {x, x, y, y};
	struct gpkg_value v[] = {{.s = name}, {.i = 7}, {.d = NAN}};
	char err[256];
	geom_point_wkb(x, y, wkb);
	assert_int_equal(gpkg_writer_feature(w, wkb, sizeof wkb, env, v, err, sizeof err), 0);
}

static long long query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	long long v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void test_gpkg_written(void **state)
{
	struct env *e = *state;
	char path[300], err[256];
	snprintf(path, sizeof path, "%s/a.gpkg", e->dir);
	struct gpkg_writer *w = open_writer(e, path);
	add_point(w, 100, 400000, "O'Brien & co");
	add_point(w, 300, 410000, NULL);
	assert_int_equal(gpkg_writer_finish(w, err, sizeof err), 0);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(query_int(db, "PRAGMA application_id"), 0x47504B47);
	assert_int_equal(query_int(db, "PRAGMA user_version"), 10300);
	assert_int_equal(query_int(db, "SELECT count(*) FROM gpkg_spatial_ref_sys WHERE srs_id IN "
				   "(-1, 0, 4326, 28992)"), 4);
	assert_int_equal(query_int(db, "SELECT min_x + max_x + min_y + max_y FROM gpkg_contents"),
			 100 + 300 + 400000 + 410000);
	assert_int_equal(query_int(db, "SELECT count(*) FROM pts WHERE name = 'O''Brien & co' AND"
				   " v IS NULL AND n = 7"), 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM pts WHERE name IS NULL"), 1);
	/* GP, version 0, flags 0x03 (little-endian, xy envelope), srs 28992 */
	assert_int_equal(query_int(db, "SELECT hex(substr(geom, 1, 8)) = '4750000340710000' "
				   "FROM pts LIMIT 1"), 1);
	sqlite3_close(db);
}

static void test_gpkg_bad_names(void **state)
{
	struct env *e = *state;
	char path[300], err[256];
	snprintf(path, sizeof path, "%s/b.gpkg", e->dir);
	struct gpkg_writer *w = open_writer(e, path);
	assert_int_equal(gpkg_writer_layer(w, "x\"; DROP", "POINT", "", fields, 3, err, sizeof err),
			 -EINVAL);
	assert_non_null(strstr(err, "bad layer"));
	struct gpkg_field bad[] = {{"a b", GPKG_TEXT}};
	assert_int_equal(gpkg_writer_layer(w, "ok", "POINT", "", bad, 1, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "bad field name \"a b\""));
	gpkg_writer_abort(w);
	assert_int_equal(access(path, F_OK), -1);
}

/* Styles go into QGIS's layer_styles table, created once and listed as attributes, each
 * the default of its feature table's geom column. */
static void test_gpkg_styles(void **state)
{
	struct env *e = *state;
	char path[300], err[256];
	snprintf(path, sizeof path, "%s/s.gpkg", e->dir);
	struct gpkg_writer *w = open_writer(e, path);
	add_point(w, 1, 2, "x");
	assert_int_equal(gpkg_writer_style(w, "pts", "hub", "<qgis a='1'/>", "d", err, sizeof err),
			 0);
	assert_int_equal(gpkg_writer_layer(w, "more", "POINT", "", fields, 3, err, sizeof err), 0);
	assert_int_equal(gpkg_writer_style(w, "more", "hub", "<qgis/>", "d", err, sizeof err), 0);
	assert_int_equal(gpkg_writer_finish(w, err, sizeof err), 0);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(query_int(db, "SELECT count(*) FROM layer_styles WHERE f_table_name = "
				   "'pts' AND f_geometry_column = 'geom' AND useAsDefault = 1 AND "
				   "styleQML = '<qgis a=''1''/>' AND styleName = 'hub'"), 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM layer_styles"), 2);
	assert_int_equal(query_int(db, "SELECT count(*) FROM gpkg_contents WHERE table_name = "
				   "'layer_styles' AND data_type = 'attributes'"), 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM gpkg_contents WHERE data_type = "
				   "'features'"), 2);
	sqlite3_close(db);
}

/* An aborted or failed writer leaves an existing target as it was, and no temp file. */
static void test_gpkg_target_kept(void **state)
{
	struct env *e = *state;
	char path[300], err[256], cmd[700];
	snprintf(path, sizeof path, "%s/keep.gpkg", e->dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("keep\n", f);
	fclose(f);
	struct gpkg_writer *w = open_writer(e, path);
	add_point(w, 1, 2, "x");
	gpkg_writer_abort(w);
	snprintf(cmd, sizeof cmd, "grep -qx keep '%s' && ! ls '%s'/*.tmp-* 2>/dev/null", path,
		 e->dir);
	assert_int_equal(system(cmd), 0);
	struct gpkg_srs srs = {28992, "RD", "x"};
	snprintf(path, sizeof path, "%s/missing/x.gpkg", e->dir);
	assert_true(gpkg_writer_open(path, &srs, "y", &w, err, sizeof err) < 0);
	assert_non_null(strstr(err, path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gpkg_written),
		cmocka_unit_test(test_gpkg_bad_names),
		cmocka_unit_test(test_gpkg_styles),
		cmocka_unit_test(test_gpkg_target_kept),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
