/* Unit tests of geo/geojson.c, the GeoJSON geometry writer: lon/lat with at most 7
 * decimals and no exponent, ring orientation after RFC 7946 (exterior counter-clockwise,
 * holes clockwise), and the error for a point outside the RD/ETRS89 area. The full export
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

#include "geo/crs.h"
#include "geo/geojson.h"
#include "geo/geom.h"
#include "geo/geom_internal.h"

struct env {
	struct geom_ctx *g;
	struct crs *crs;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	char err[256];
	if (!e || !(e->g = geom_ctx_new()) || crs_open(HUB_PROJ_DIR, &e->crs, err, sizeof err))
		return -1;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geojson_polygon),
		cmocka_unit_test(test_geojson_point),
		cmocka_unit_test(test_geojson_out_of_area),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
