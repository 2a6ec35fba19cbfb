/* Unit tests of the map writers: the GeoJSON geometry writer (lon/lat, at most 7 decimals,
 * ring orientation after RFC 7946, errors) and the GeoPackage writer (metadata, blob
 * header, extents, bad names, a failed or aborted file never replacing the target).
 * The full exports are checked on real data by test_export.sh. */
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
#include "geo/crs.h"
#include "geo/geojson.h"
#include "geo/geom.h"
#include "geo/geom_internal.h"

struct env {
	struct geom_ctx *g;
	struct crs *crs;
	char dir[256];
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	char err[256];
	if (!e || !(e->g = geom_ctx_new()) || crs_open(HUB_PROJ_DIR, &e->crs, err, sizeof err))
		return -1;
	snprintf(e->dir, sizeof e->dir, "/tmp/hub-maps-io.XXXXXX");
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
	crs_close(e->crs);
	geom_ctx_free(e->g);
	free(e);
	return 0;
}

/* A square around Amersfoort with a hole, exterior written clockwise, hole counter-. */
static GEOSGeometry *square_with_hole(struct env *e, double x0, double y0)
{
	GEOSContextHandle_t h = geom_ctx_handle(e->g);
	double outer[] = {x0, y0, x0, y0 + 1000, x0 + 1000, y0 + 1000, x0 + 1000, y0, x0, y0};
	double inner[] = {x0 + 400, y0 + 400, x0 + 600, y0 + 400, x0 + 600, y0 + 600, x0 + 400,
			  y0 + 600, x0 + 400, y0 + 400};
	GEOSGeometry *shell = GEOSGeom_createLinearRing_r(
		h, GEOSCoordSeq_copyFromBuffer_r(h, outer, 5, 0, 0));
	GEOSGeometry *holes[1] = {GEOSGeom_createLinearRing_r(
		h, GEOSCoordSeq_copyFromBuffer_r(h, inner, 5, 0, 0))};
	return GEOSGeom_createPolygon_r(h, shell, holes, 1);
}

/* Twice the signed area of ring k ("[[x,y],...]" number k of the text): > 0 = CCW. */
static double ring_area2(const char *text, int k)
{
	const char *p = text - 1;
	for (int i = 0; i <= k; i++)   /* ring k starts at the k-th "[[" before a number */
		while ((p = strstr(p + 1, "[[")) && p[2] == '[')
			;
	p = p ? p + 1 : NULL;
	double a = 0, x0 = NAN, y0 = NAN, px = NAN, py = NAN, x, y;
	int n;
	while (p && sscanf(p, "[%lf,%lf]%n", &x, &y, &n) == 2) {
		if (isnan(x0))
			x0 = x, y0 = y;
		else
			a += px * y - x * py;
		px = x;
		py = y;
		p += n;
		if (*p != ',')
			break;
		p++;
	}
	assert_true(x0 == px && y0 == py);     /* closed */
	return a;
}

static void test_geojson_polygon(void **state)
{
	struct env *e = *state;
	char err[256], *text = NULL;
	GEOSGeometry *p = square_with_hole(e, 155000, 463000);
	assert_int_equal(geo_geojson_geometry(e->g, e->crs, p, &text, err, sizeof err), 0);
	assert_non_null(strstr(text, "{\"type\":\"Polygon\",\"coordinates\":[[["));
	assert_true(ring_area2(text, 0) > 0);   /* exterior counter-clockwise */
	assert_true(ring_area2(text, 1) < 0);   /* the hole clockwise */
	for (const char *q = text; (q = strchr(q, '.')); q++)
		assert_true(strspn(q + 1, "0123456789") <= 7);
	assert_null(strstr(text, "e-"));
	free(text);
	GEOSGeom_destroy_r(geom_ctx_handle(e->g), p);
}

static void test_geojson_point(void **state)
{
	struct env *e = *state;
	char err[256], *text = NULL, want[128];
	double lat, lon;
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(geom_ctx_handle(e->g), 155000, 463000);
	assert_int_equal(geo_geojson_geometry(e->g, e->crs, pt, &text, err, sizeof err), 0);
	assert_int_equal(crs_rd_to_etrs89(e->crs, 155000, 463000, &lat, &lon, err, sizeof err), 0);
	snprintf(want, sizeof want, "{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]}", lon, lat);
	assert_string_equal(text, want);    /* Amersfoort: neither ends in a 0 */
	free(text);
	GEOSGeom_destroy_r(geom_ctx_handle(e->g), pt);
}

static void test_geojson_out_of_area(void **state)
{
	struct env *e = *state;
	char err[256], *text = NULL;
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(geom_ctx_handle(e->g), 9e6, 9e6);
	assert_int_equal(geo_geojson_geometry(e->g, e->crs, pt, &text, err, sizeof err), -EDOM);
	assert_null(text);
	assert_non_null(strstr(err, "outside the RD/ETRS89 area"));
	GEOSGeom_destroy_r(geom_ctx_handle(e->g), pt);
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
		cmocka_unit_test(test_geojson_polygon),
		cmocka_unit_test(test_geojson_point),
		cmocka_unit_test(test_geojson_out_of_area),
		cmocka_unit_test(test_gpkg_written),
		cmocka_unit_test(test_gpkg_bad_names),
		cmocka_unit_test(test_gpkg_target_kept),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
