/* Unit tests for geo/locate.c: the locator (adjacent and overlapping polygons, a shared
 * edge answered by the lowest id, holes, the nearest polygon within a distance, bad WKB) and
 * geo_sample_polygon on the national grid (points inside, on the grid, as many as the grid
 * has inside; tiny polygons get one point). Every input is WKB built in the test. */
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

#include "geo/geom.h"
#include "geo/locate.h"
#include "tests/lib/wkb_fx.h"

/* ---- locator ---- */

static int geo_setup(void **state)
{
	struct geom_ctx *g = geom_ctx_new();
	*state = g;
	return g ? 0 : -1;
}

static int geo_teardown(void **state)
{
	geom_ctx_free(*state);
	return 0;
}

static void add_poly(struct locator *loc, const struct wkb *w, int64_t id)
{
	char err[256] = "";
	if (locator_add(loc, w->b, w->n, id, err, sizeof err) != 0) {
		print_error("locator_add %lld: %s\n", (long long)id, err);
		fail();
	}
}

static struct locator *two_squares(struct geom_ctx *g)
{
	struct locator *loc = locator_new(g);
	struct wkb a = rect(0, 0, 100, 100), b = rect(100, 0, 200, 100);
	assert_non_null(loc);
	add_poly(loc, &a, 7);       /* added first, but the higher id */
	add_poly(loc, &b, 3);
	return loc;
}

static void test_locator_adjacent(void **state)
{
	struct locator *loc = two_squares(*state);
	assert_int_equal(locator_count(loc), 2);
	assert_int_equal(locator_find(loc, 50, 50), 7);
	assert_int_equal(locator_find(loc, 150, 50), 3);
	assert_int_equal(locator_find(loc, 250, 50), -1);
	assert_int_equal(locator_find(loc, 50, -0.5), -1);
	locator_free(loc);
}

/* The shared edge belongs to both squares: the documented answer is the lowest id. */
static void test_locator_shared_edge(void **state)
{
	struct locator *loc = two_squares(*state);
	int64_t id = locator_find(loc, 100, 50);
	locator_free(loc);
	assert_int_equal(id, 3);
}

/* locator_find_near answers like locator_find when the point is in a polygon (distance 0). */
static void test_locator_near_shared_edge(void **state)
{
	struct locator *loc = two_squares(*state);
	double d = -1;
	int64_t id = locator_find_near(loc, 100, 50, 0, &d);
	locator_free(loc);
	assert_int_equal(id, 3);
	assert_true(d == 0);
}

static void test_locator_overlap_lowest(void **state)
{
	struct locator *loc = locator_new(*state);
	struct wkb a = rect(0, 0, 100, 100), b = rect(-50, -50, 60, 60), c = rect(40, 40, 300, 300);
	assert_non_null(loc);
	add_poly(loc, &a, 12);
	add_poly(loc, &b, 30);
	add_poly(loc, &c, 5);
	assert_int_equal(locator_find(loc, 50, 50), 5);     /* in all three */
	assert_int_equal(locator_find(loc, 10, 10), 12);    /* in a and b */
	assert_int_equal(locator_find(loc, -10, -10), 30);
	locator_free(loc);
}

static void test_locator_hole(void **state)
{
	struct locator *loc = locator_new(*state);
	const double o[] = {0, 0, 300, 300}, h[] = {100, 100, 200, 200};
	struct wkb w = holed(o, h);
	double d = -1;
	assert_non_null(loc);
	add_poly(loc, &w, 1);
	assert_int_equal(locator_find(loc, 50, 50), 1);
	assert_int_equal(locator_find(loc, 150, 150), -1);
	assert_int_equal(locator_find(loc, 130, 150), -1);
	assert_int_equal(locator_find_near(loc, 130, 150, 100, &d), 1);
	check_close(d, 30, 1e-9, "distance to hole edge", 0);
	assert_int_equal(locator_find_near(loc, 150, 150, 40, &d), -1);
	locator_free(loc);
}

static void test_locator_near(void **state)
{
	struct locator *loc = locator_new(*state);
	struct wkb a = rect(0, 0, 100, 100), b = rect(300, 0, 400, 100);
	double d = -1;
	assert_non_null(loc);
	add_poly(loc, &a, 5);
	add_poly(loc, &b, 6);
	assert_int_equal(locator_find_near(loc, 50, 50, 10, &d), 5);
	assert_true(d == 0);
	assert_int_equal(locator_find_near(loc, 380, 50, 0, &d), 6);
	assert_true(d == 0);
	assert_int_equal(locator_find_near(loc, 150, 50, 100, &d), 5);
	check_close(d, 50, 1e-9, "distance", 1);
	assert_int_equal(locator_find_near(loc, 260, 50, 100, &d), 6);
	check_close(d, 40, 1e-9, "distance", 2);
	assert_int_equal(locator_find_near(loc, 150, 50, 49.9, &d), -1);
	assert_int_equal(locator_find_near(loc, 50, 400, 299, &d), -1);
	assert_int_equal(locator_find_near(loc, 50, 400, 300, &d), 5);
	locator_free(loc);
}

static void test_locator_empty(void **state)
{
	struct locator *loc = locator_new(*state);
	double d = -1;
	assert_non_null(loc);
	assert_int_equal(locator_count(loc), 0);
	assert_int_equal(locator_find(loc, 1, 1), -1);
	assert_int_equal(locator_find_near(loc, 1, 1, 1e9, &d), -1);
	locator_free(loc);
	locator_free(NULL);
}

static void test_locator_bad_wkb(void **state)
{
	struct locator *loc = locator_new(*state);
	struct wkb w = rect(0, 0, 1, 1);
	char err[256] = "";
	assert_non_null(loc);
	assert_int_equal(locator_add(loc, w.b, w.n - 9, 1, err, sizeof err), -EINVAL);
	assert_true(err[0] != 0);
	assert_int_equal(locator_count(loc), 0);
	locator_free(loc);
}

/* ---- sampling ---- */

static void sample(struct geom_ctx *g, const struct wkb *w, double s, double **xy, size_t *n)
{
	char err[256] = "";
	if (geo_sample_polygon(g, w->b, w->n, s, xy, n, err, sizeof err) != 0) {
		print_error("geo_sample_polygon: %s\n", err);
		fail();
	}
	assert_non_null(*xy);
	assert_true(*n >= 1);
}

/* Every point inside and on the grid, pairwise at least s apart, and as many points as the
 * grid has inside the polygon (counted independently over the bounding box). */
static void check_sample(struct geom_ctx *g, const struct wkb *w, const double bbox[4], double s)
{
	struct prep p;
	double *xy;
	size_t n, want = 0;
	prep_init(&p, g, w->b, w->n);
	sample(g, w, s, &xy, &n);
	for (size_t i = 0; i < n; i++) {
		assert_true(prep_contains(&p, xy[2 * i], xy[2 * i + 1]));
		assert_true(on_grid(xy[2 * i], s) && on_grid(xy[2 * i + 1], s));
		for (size_t j = 0; j < i; j++)
			assert_true(hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]) >
				    s - 1e-6);
	}
	for (double ky = floor(bbox[1] / s - 0.5); (ky + 0.5) * s <= bbox[3]; ky++)
		for (double kx = floor(bbox[0] / s - 0.5); (kx + 0.5) * s <= bbox[2]; kx++)
			want += (size_t)prep_contains(&p, (kx + 0.5) * s, (ky + 0.5) * s);
	assert_int_equal(n, want);
	free(xy);
	prep_deinit(&p);
}

static void test_sample_rectangle(void **state)
{
	struct wkb w = rect(1030, 5010, 2070, 5990);
	const double bbox[] = {1030, 5010, 2070, 5990};
	double *xy;
	size_t n;
	sample(*state, &w, 200, &xy, &n);
	assert_int_equal(n, 25);   /* x 1100..1900, y 5100..5900 */
	for (size_t i = 0; i < n; i++) {
		assert_true(xy[2 * i] > 1030 && xy[2 * i] < 2070);
		assert_true(xy[2 * i + 1] > 5010 && xy[2 * i + 1] < 5990);
	}
	free(xy);
	check_sample(*state, &w, bbox, 200);
	check_sample(*state, &w, bbox, 73.3);
}

static void test_sample_lshape(void **state)
{
	struct wkb w = lshape(120000, 480000, 123100, 482050, 120900, 481000);
	const double bbox[] = {120000, 480000, 123100, 482050};
	check_sample(*state, &w, bbox, 200);
	check_sample(*state, &w, bbox, 500);
	check_sample(*state, &w, bbox, 37.5);
}

static void test_sample_hole(void **state)
{
	const double o[] = {0, 0, 1000, 1000}, h[] = {300, 300, 700, 700};
	struct wkb w = holed(o, h);
	double *xy;
	size_t n;
	sample(*state, &w, 100, &xy, &n);
	assert_int_equal(n, 100 - 16);
	for (size_t i = 0; i < n; i++)
		assert_false(xy[2 * i] > 300 && xy[2 * i] < 700 && xy[2 * i + 1] > 300 &&
			     xy[2 * i + 1] < 700);
	free(xy);
	check_sample(*state, &w, o, 100);
	check_sample(*state, &w, o, 130);
}

/* Polygons that hold no grid point get exactly one point, inside them. */
static void test_sample_tiny(void **state)
{
	const struct wkb shapes[] = {
		rect(1010, 5010, 1020, 5020),
		lshape(1010, 5010, 1030, 5030, 1015, 5015),
		rect(101005, 450001, 101095, 450003),    /* a 90 x 2 m sliver */
	};
	for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
		struct prep p;
		double *xy;
		size_t n;
		prep_init(&p, *state, shapes[k].b, shapes[k].n);
		sample(*state, &shapes[k], 200, &xy, &n);
		assert_int_equal(n, 1);
		assert_true(prep_contains(&p, xy[0], xy[1]));
		free(xy);
		prep_deinit(&p);
	}
}

static void test_sample_bad_wkb(void **state)
{
	struct wkb w = rect(0, 0, 10, 10);
	double *xy = (double *)&w;
	size_t n = 9;
	char err[256] = "";
	w.b[1] = 99;   /* geometry type 99 */
	assert_int_equal(geo_sample_polygon(*state, w.b, w.n, 100, &xy, &n, err, sizeof err),
			 -EINVAL);
	assert_null(xy);
	assert_int_equal(n, 0);
	assert_true(err[0] != 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_locator_adjacent, geo_setup, geo_teardown),
		cmocka_unit_test_setup_teardown(test_locator_shared_edge, geo_setup, geo_teardown),
		cmocka_unit_test_setup_teardown(test_locator_near_shared_edge, geo_setup,
						geo_teardown),
		cmocka_unit_test_setup_teardown(test_locator_overlap_lowest, geo_setup, geo_teardown),
		cmocka_unit_test_setup_teardown(test_locator_hole, geo_setup, geo_teardown),
		cmocka_unit_test_setup_teardown(test_locator_near, geo_setup, geo_teardown),
		cmocka_unit_test_setup_teardown(test_locator_empty, geo_setup, geo_teardown),
		cmocka_unit_test_setup_teardown(test_locator_bad_wkb, geo_setup, geo_teardown),
		cmocka_unit_test_setup_teardown(test_sample_rectangle, geo_setup, geo_teardown),
		cmocka_unit_test_setup_teardown(test_sample_lshape, geo_setup, geo_teardown),
		cmocka_unit_test_setup_teardown(test_sample_hole, geo_setup, geo_teardown),
		cmocka_unit_test_setup_teardown(test_sample_tiny, geo_setup, geo_teardown),
		cmocka_unit_test_setup_teardown(test_sample_bad_wkb, geo_setup, geo_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
