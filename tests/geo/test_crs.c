/* Tests for geo/crs: NSGI's RDNAPTRANS2018 validation points (7,959) both ways, with and
 * without the grid, split into points on Dutch land (CBS municipality polygons) and all;
 * a known round trip; WKB rewriting in both byte orders with Z/M; out-of-area errors.
 * Test-only code: reads the bundled data read-only and never writes outside memory. */
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

#include <sqlite3.h>

#include "geo/crs.h"
#include "geo/geom.h"
#include "geo/geom_internal.h"
#include "geo/gpkg_blob.h"

#define VALID_POINTS 7959
#define M_PER_DEG 111320.0
#define DEG_TO_RAD (3.14159265358979323846 / 180.0)

struct vpoint {
	double lat, lon, x_rd, y_rd;
	int on_land;
};

struct err_stats {
	double sum_m, max_m;
	size_t n;
};

/* Loaded once in the group setup; read-only afterwards. */
static struct vpoint *g_points;
static size_t g_n_points;

/* ---- the NSGI validation file ---- */

/* Parses one line; 1 for a valid point, 0 for a header or a line with '*'. */
static int parse_point(char *line, struct vpoint *p)
{
	double v[7];
	char *save = NULL, *tok = strtok_r(line, "\t\r\n", &save);
	int i = 0;

	for (; tok && i < 7; tok = strtok_r(NULL, "\t\r\n", &save), i++) {
		char *end;

		v[i] = strtod(tok, &end);
		if (end == tok || strchr(tok, '*'))
			return 0;
	}
	if (i != 7)
		return 0;
	*p = (struct vpoint){ .lat = v[1], .lon = v[2], .x_rd = v[4], .y_rd = v[5] };
	return 1;
}

static void load_points(void)
{
	FILE *f = fopen(HUB_PROJ_DIR "/Z001_ETRS89andRDNAP.txt", "r");
	char *line = NULL;
	size_t cap = 0, alloc = 10000;

	assert_non_null(f);
	g_points = calloc(alloc, sizeof *g_points);
	assert_non_null(g_points);
	while (getline(&line, &cap, f) != -1) {
		assert_true(g_n_points < alloc);
		g_n_points += (size_t)parse_point(line, &g_points[g_n_points]);
	}
	free(line);
	fclose(f);
	assert_int_equal(g_n_points, VALID_POINTS);
}

/* ---- Dutch land from the CBS municipalities ---- */

struct land {
	struct geom_ctx *g;
	GEOSContextHandle_t h;
	GEOSGeometry **geoms;
	const GEOSPreparedGeometry **prep;
	double (*bbox)[4];          /* minx miny maxx maxy */
	size_t n, cap;
};

/* Adds one municipality from its GeoPackage blob (RD New MultiPolygon). */
static void land_add(struct land *l, const uint8_t *blob, size_t len)
{
	struct gpkg_blob gb;
	char err[256];
	GEOSGeometry *geom;
	double *bb = l->bbox[l->n];

	assert_true(l->n < l->cap);
	if (gpkg_blob_parse(blob, len, &gb, err, sizeof err) != 0)
		fail_msg("gpkg_blob_parse: %s", err);
	assert_int_equal(gb.srs_id, 28992);
	geom = geom_from_wkb(l->g, gb.wkb, gb.wkb_len, err, sizeof err);
	if (!geom)
		fail_msg("geom_from_wkb: %s", err);
	l->geoms[l->n] = geom;
	l->prep[l->n] = GEOSPrepare_r(l->h, geom);
	assert_non_null(l->prep[l->n]);
	assert_true(GEOSGeom_getXMin_r(l->h, geom, &bb[0]) &&
		    GEOSGeom_getYMin_r(l->h, geom, &bb[1]) &&
		    GEOSGeom_getXMax_r(l->h, geom, &bb[2]) &&
		    GEOSGeom_getYMax_r(l->h, geom, &bb[3]));
	l->n++;
}

static void land_load(struct land *l)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	l->cap = 400;
	l->geoms = calloc(l->cap, sizeof *l->geoms);
	l->prep = calloc(l->cap, sizeof *l->prep);
	l->bbox = calloc(l->cap, sizeof *l->bbox);
	assert_true(l->geoms && l->prep && l->bbox);
	assert_int_equal(sqlite3_open_v2(HUB_DATA_DIR "/wijkbuurtkaart_2024.gpkg", &db,
					 SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT geom FROM gemeenten WHERE water = 'NEE'",
					    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		land_add(l, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(l->n, 342);
}

static void land_free(struct land *l)
{
	for (size_t i = 0; i < l->n; i++) {
		GEOSPreparedGeom_destroy_r(l->h, l->prep[i]);
		GEOSGeom_destroy_r(l->h, l->geoms[i]);
	}
	free(l->geoms);
	free((void *)l->prep);
	free(l->bbox);
}

/* 1 when RD (x, y) lies inside a municipality's land polygon (bbox prefilter first). */
static int land_contains(struct land *l, double x_rd, double y_rd)
{
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(l->h, x_rd, y_rd);
	int inside = 0;

	assert_non_null(pt);
	for (size_t i = 0; i < l->n && !inside; i++) {
		const double *bb = l->bbox[i];

		if (x_rd < bb[0] || y_rd < bb[1] || x_rd > bb[2] || y_rd > bb[3])
			continue;
		inside = GEOSPreparedContains_r(l->h, l->prep[i], pt) == 1;
	}
	GEOSGeom_destroy_r(l->h, pt);
	return inside;
}

static void mark_land(void)
{
	struct land l = { .g = geom_ctx_new() };
	size_t n_land = 0;

	assert_non_null(l.g);
	l.h = geom_ctx_handle(l.g);
	land_load(&l);
	for (size_t i = 0; i < g_n_points; i++) {
		g_points[i].on_land = land_contains(&l, g_points[i].x_rd, g_points[i].y_rd);
		n_land += (size_t)g_points[i].on_land;
	}
	land_free(&l);
	geom_ctx_free(l.g);
	print_message("validation points on Dutch land: %zu of %zu\n", n_land, g_n_points);
	assert_in_range(n_land, 1500, 2000);
}

static int group_setup(void **state)
{
	(void)state;
	load_points();
	mark_land();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(g_points);
	g_points = NULL;
	g_n_points = 0;
	return 0;
}

/* ---- test 1: the validation ---- */

static void stats_add(struct err_stats *s, double e_m)
{
	s->sum_m += e_m;
	s->n++;
	if (e_m > s->max_m)
		s->max_m = e_m;
}

static void stats_print(const char *what, const struct err_stats *s)
{
	print_message("  %-26s n=%4zu mean %.5f m  max %.5f m\n", what, s->n,
		      s->n ? s->sum_m / (double)s->n : 0.0, s->max_m);
}

/* Horizontal errors of both directions for one point. */
static void point_errors(struct crs *c, const struct vpoint *p, double *to_etrs_m,
			 double *to_rd_m)
{
	char err[256];
	double lat, lon, x_rd, y_rd;

	if (crs_rd_to_etrs89(c, p->x_rd, p->y_rd, &lat, &lon, err, sizeof err) != 0)
		fail_msg("RD %.4f %.4f: %s", p->x_rd, p->y_rd, err);
	*to_etrs_m = hypot((lat - p->lat) * M_PER_DEG,
			   (lon - p->lon) * M_PER_DEG * cos(p->lat * DEG_TO_RAD));
	if (crs_etrs89_to_rd(c, p->lat, p->lon, &x_rd, &y_rd, err, sizeof err) != 0)
		fail_msg("ETRS89 %.9f %.9f: %s", p->lat, p->lon, err);
	*to_rd_m = hypot(x_rd - p->x_rd, y_rd - p->y_rd);
}

/* Runs all points; s[0..3] = to ETRS89 land, to ETRS89 all, to RD land, to RD all. */
static void validate(const char *grid_dir, int expect_grid, struct err_stats s[4])
{
	struct crs *c = NULL;
	char err[256];

	if (crs_open(grid_dir, &c, err, sizeof err) != 0)
		fail_msg("crs_open: %s", err);
	print_message("%s grid: %s\n", grid_dir ? "with" : "without", crs_operation_name(c));
	assert_int_equal(crs_uses_grid(c), expect_grid);
	for (size_t i = 0; i < g_n_points; i++) {
		double e_etrs, e_rd;

		point_errors(c, &g_points[i], &e_etrs, &e_rd);
		if (g_points[i].on_land) {
			stats_add(&s[0], e_etrs);
			stats_add(&s[2], e_rd);
		}
		stats_add(&s[1], e_etrs);
		stats_add(&s[3], e_rd);
	}
	crs_close(c);
	stats_print("RD -> ETRS89, land", &s[0]);
	stats_print("RD -> ETRS89, all", &s[1]);
	stats_print("ETRS89 -> RD, land", &s[2]);
	stats_print("ETRS89 -> RD, all", &s[3]);
	assert_int_equal(s[1].n, VALID_POINTS);
}

static void test_nsgi_with_grid(void **state)
{
	struct err_stats s[4] = { { 0 } };

	(void)state;
	validate(HUB_PROJ_DIR, 1, s);
	assert_true(s[0].max_m < 0.01 && s[2].max_m < 0.01);
	assert_true(s[1].max_m < 0.30 && s[3].max_m < 0.30);
}

static void test_nsgi_without_grid(void **state)
{
	struct err_stats s[4] = { { 0 } };

	(void)state;
	validate(NULL, 0, s);
	assert_true(s[1].max_m < 0.30 && s[3].max_m < 0.30);
}

/* A folder without the grid behaves like no folder. */
static void test_grid_dir_without_grid(void **state)
{
	struct crs *c = NULL;
	char err[256];

	(void)state;
	assert_int_equal(crs_open("/nonexistent/hubplanner", &c, err, sizeof err), 0);
	assert_int_equal(crs_uses_grid(c), 0);
	crs_close(c);
	crs_close(NULL);
}

/* ---- test 2: a known point ---- */

static void test_round_trip_amersfoort(void **state)
{
	struct crs *c = NULL;
	char err[256];
	double lat, lon, x_rd, y_rd;

	(void)state;
	assert_int_equal(crs_open(HUB_PROJ_DIR, &c, err, sizeof err), 0);
	assert_int_equal(crs_rd_to_etrs89(c, 155000.0, 463000.0, &lat, &lon, err, sizeof err), 0);
	print_message("RD 155000 463000 = ETRS89 %.9f N %.9f E\n", lat, lon);
	assert_true(fabs(lat - 52.15517289) < 1e-7);   /* PROJ with the grid: 52.1551728874 */
	assert_true(fabs(lon - 5.38720365) < 1e-7);    /* 5.3872036500 */
	assert_int_equal(crs_etrs89_to_rd(c, lat, lon, &x_rd, &y_rd, err, sizeof err), 0);
	assert_true(fabs(x_rd - 155000.0) < 1e-4 && fabs(y_rd - 463000.0) < 1e-4);
	crs_close(c);
}

/* ---- test 3: WKB ---- */

struct wkbuf {
	uint8_t b[512];
	size_t n;
	int big;
};

static void wb_u32(struct wkbuf *w, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		w->b[w->n + (size_t)i] = (uint8_t)(v >> (8 * (w->big ? 3 - i : i)));
	w->n += 4;
}

static void wb_f64(struct wkbuf *w, double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof u);
	for (int i = 0; i < 8; i++)
		w->b[w->n + (size_t)i] = (uint8_t)(u >> (8 * (w->big ? 7 - i : i)));
	w->n += 8;
}

static double wb_get_f64(const struct wkbuf *w, size_t off)
{
	uint64_t u = 0;
	double d;

	for (int i = 0; i < 8; i++)
		u |= (uint64_t)w->b[off + (size_t)i] << (8 * (w->big ? 7 - i : i));
	memcpy(&d, &u, sizeof d);
	return d;
}

static void wb_header(struct wkbuf *w, uint32_t type)
{
	w->b[w->n++] = w->big ? 0 : 1;
	wb_u32(w, type);
}

static void wb_point(struct wkbuf *w, double lon, double lat)
{
	wb_header(w, 1);
	wb_f64(w, lon);
	wb_f64(w, lat);
}

struct wkb_point_case {
	int epsg;
	double lon, lat, x_rd, y_rd, tol_m;
};

static void test_wkb_point(void **state)
{
	static const struct wkb_point_case cases[] = {
		{ 4258, 5.38720365, 52.15517289, 155000.0, 463000.0, 0.01 },
		{ 4326, 5.38720365, 52.15517289, 155000.0, 463000.0, 2.0 },
		{ 4258, 4.471457551, 51.917915708, 92000.0, 437000.0, 0.01 }, /* Rotterdam */
	};
	struct crs *c = NULL;
	char err[256];

	(void)state;
	assert_int_equal(crs_open(HUB_PROJ_DIR, &c, err, sizeof err), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct wkb_point_case *t = &cases[i];
		struct wkbuf w = { .big = 0 };

		wb_point(&w, t->lon, t->lat);
		if (crs_wkb_to_rd(c, t->epsg, w.b, w.n, err, sizeof err) != 0)
			fail_msg("case %zu: %s", i, err);
		assert_true(fabs(wb_get_f64(&w, 5) - t->x_rd) < t->tol_m);
		assert_true(fabs(wb_get_f64(&w, 13) - t->y_rd) < t->tol_m);
	}
	crs_close(c);
}

/* A big-endian polygon: every vertex must equal crs_etrs89_to_rd of the same point. */
static void test_wkb_polygon_big_endian(void **state)
{
	static const double ring[5][2] = { { 5.0, 52.0 }, { 5.5, 52.0 }, { 5.5, 52.3 },
					   { 5.0, 52.3 }, { 5.0, 52.0 } };
	struct wkbuf w = { .big = 1 };
	struct crs *c = NULL;
	char err[256];

	(void)state;
	assert_int_equal(crs_open(HUB_PROJ_DIR, &c, err, sizeof err), 0);
	wb_header(&w, 3);
	wb_u32(&w, 1);
	wb_u32(&w, 5);
	for (size_t i = 0; i < 5; i++)
		wb_f64(&w, ring[i][0]), wb_f64(&w, ring[i][1]);
	assert_int_equal(crs_wkb_to_rd(c, 4258, w.b, w.n, err, sizeof err), 0);
	for (size_t i = 0; i < 5; i++) {
		double x_rd, y_rd;

		assert_int_equal(crs_etrs89_to_rd(c, ring[i][1], ring[i][0], &x_rd, &y_rd,
						  err, sizeof err), 0);
		assert_true(fabs(wb_get_f64(&w, 13 + i * 16) - x_rd) < 1e-6);
		assert_true(fabs(wb_get_f64(&w, 21 + i * 16) - y_rd) < 1e-6);
	}
	crs_close(c);
}

/* GeometryCollection(PointZM, LineString M): x,y rewritten, z and m left alone. */
static void test_wkb_collection_zm(void **state)
{
	struct wkbuf w = { .big = 0 };
	struct crs *c = NULL;
	char err[256];

	(void)state;
	assert_int_equal(crs_open(HUB_PROJ_DIR, &c, err, sizeof err), 0);
	wb_header(&w, 7);
	wb_u32(&w, 2);
	wb_header(&w, 3001);                          /* 9 .. 41 */
	wb_f64(&w, 5.38720365), wb_f64(&w, 52.15517289), wb_f64(&w, 7.0), wb_f64(&w, 8.0);
	wb_header(&w, 2002);                          /* 41 .. */
	wb_u32(&w, 1);
	wb_f64(&w, 5.38720365), wb_f64(&w, 52.15517289), wb_f64(&w, 9.0);
	assert_int_equal(crs_wkb_to_rd(c, 4258, w.b, w.n, err, sizeof err), 0);
	assert_true(fabs(wb_get_f64(&w, 14) - 155000.0) < 0.01);
	assert_true(fabs(wb_get_f64(&w, 22) - 463000.0) < 0.01);
	assert_true(wb_get_f64(&w, 30) == 7.0 && wb_get_f64(&w, 38) == 8.0);
	assert_true(fabs(wb_get_f64(&w, 55) - 155000.0) < 0.01);
	assert_true(fabs(wb_get_f64(&w, 63) - 463000.0) < 0.01);
	assert_true(wb_get_f64(&w, 71) == 9.0);
	assert_int_equal(w.n, 79);
	crs_close(c);
}

/* PostGIS EWKB, big-endian: Z flag and SRID flag (0xA0000001), SRID, x y z. */
static void test_wkb_ewkb_point_z(void **state)
{
	struct wkbuf w = { .big = 1 };
	struct crs *c = NULL;
	char err[256];

	(void)state;
	assert_int_equal(crs_open(HUB_PROJ_DIR, &c, err, sizeof err), 0);
	wb_header(&w, 0xA0000001u);
	wb_u32(&w, 4258);
	wb_f64(&w, 5.38720365), wb_f64(&w, 52.15517289), wb_f64(&w, 3.5);
	assert_int_equal(crs_wkb_to_rd(c, 4258, w.b, w.n, err, sizeof err), 0);
	assert_true(fabs(wb_get_f64(&w, 9) - 155000.0) < 0.01);
	assert_true(fabs(wb_get_f64(&w, 17) - 463000.0) < 0.01);
	assert_true(wb_get_f64(&w, 25) == 3.5);
	crs_close(c);
}

/* Errors leave the bytes untouched; 28992 is a no-op. */
static void test_wkb_errors_and_noop(void **state)
{
	struct wkbuf w = { .big = 0 }, orig;
	struct crs *c = NULL;
	char err[256] = "";

	(void)state;
	assert_int_equal(crs_open(NULL, &c, err, sizeof err), 0);
	wb_point(&w, 155000.0, 463000.0);
	orig = w;
	assert_int_equal(crs_wkb_to_rd(c, 28992, w.b, w.n, err, sizeof err), 0);
	assert_memory_equal(w.b, orig.b, w.n);
	assert_int_equal(crs_wkb_to_rd(c, 999999, w.b, w.n, err, sizeof err), -ENOENT);
	assert_string_equal(err, "EPSG:999999 is not known to PROJ");
	assert_int_equal(crs_wkb_to_rd(c, 4258, w.b, w.n - 3, err, sizeof err), -EINVAL);
	assert_int_equal(crs_wkb_to_rd(c, 4258, w.b, 0, err, sizeof err), -EINVAL);
	w.b[0] = 7;
	assert_int_equal(crs_wkb_to_rd(c, 4258, w.b, w.n, err, sizeof err), -EINVAL);
	w.b[0] = 1;
	assert_memory_equal(w.b, orig.b, w.n);
	/* EPSG:4258 point far outside any area: lat 91 fails and nothing is written */
	w = (struct wkbuf){ .big = 0 };
	wb_point(&w, 5.0, 91.0);
	orig = w;
	assert_int_equal(crs_wkb_to_rd(c, 4326, w.b, w.n, err, sizeof err), -EDOM);
	assert_memory_equal(w.b, orig.b, w.n);
	crs_close(c);
}

/* ---- test 4: out of area ---- */

static void test_out_of_area(void **state)
{
	const char *dirs[] = { HUB_PROJ_DIR, NULL };
	double lat, lon, x_rd, y_rd;
	char err[256];

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct crs *c = NULL;

		assert_int_equal(crs_open(dirs[i], &c, err, sizeof err), 0);
		err[0] = '\0';
		assert_int_equal(crs_etrs89_to_rd(c, 91.0, 5.0, &x_rd, &y_rd, err, sizeof err),
				 -EDOM);
		assert_true(err[0] != '\0');
		assert_int_equal(crs_rd_to_etrs89(c, NAN, 463000.0, &lat, &lon, err, sizeof err),
				 -EDOM);
		assert_int_equal(crs_rd_to_etrs89(c, 1e30, 1e30, &lat, &lon, err, sizeof err),
				 -EDOM);
		assert_int_equal(crs_rd_to_etrs89(c, 155000.0, 5e6, &lat, &lon, err, sizeof err),
				 -EDOM);
		assert_int_equal(crs_etrs89_to_rd(c, 0.0, 0.0, &x_rd, &y_rd, err, sizeof err),
				 -EDOM);
		print_message("out of area: %s\n", err);
		crs_close(c);
	}
}

/* Beyond the grid's edge (8 E) but inside RD's area, the grid-less operation takes over:
 * the result equals the one without the grid. */
static void test_grid_edge_falls_back(void **state)
{
	const char *dirs[] = { HUB_PROJ_DIR, NULL };
	double x_rd[2], y_rd[2];
	char err[256] = "";

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct crs *c = NULL;

		assert_int_equal(crs_open(dirs[i], &c, err, sizeof err), 0);
		if (crs_etrs89_to_rd(c, 52.1, 8.1, &x_rd[i], &y_rd[i], err, sizeof err) != 0)
			fail_msg("%s", err);
		crs_close(c);
	}
	assert_true(x_rd[0] == x_rd[1] && y_rd[0] == y_rd[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nsgi_with_grid),
		cmocka_unit_test(test_nsgi_without_grid),
		cmocka_unit_test(test_grid_dir_without_grid),
		cmocka_unit_test(test_round_trip_amersfoort),
		cmocka_unit_test(test_wkb_point),
		cmocka_unit_test(test_wkb_polygon_big_endian),
		cmocka_unit_test(test_wkb_collection_zm),
		cmocka_unit_test(test_wkb_ewkb_point_z),
		cmocka_unit_test(test_wkb_errors_and_noop),
		cmocka_unit_test(test_out_of_area),
		cmocka_unit_test(test_grid_edge_falls_back),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
