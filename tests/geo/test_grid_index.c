/* Unit tests for geo/grid_index.c against brute force: radius queries on seeded random
 * points with a dense cluster, for several cell sizes and radii; early stop; nearest within
 * a maximum distance; an empty index and many identical points. Moved from test_plan.c. */
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

#include "geo/grid_index.h"
#include "tests/lib/wkb_fx.h"

#define NPTS 2000

struct radius_acc {
	uint32_t *seen, stamp;
	const double *xy;
	double x, y;
	size_t count;
	int dup, baddist;
};

static int radius_cb(void *user, uint32_t i, double dist)
{
	struct radius_acc *a = user;
	double dx = a->xy[2 * i] - a->x, dy = a->xy[2 * i + 1] - a->y;
	a->dup |= a->seen[i] == a->stamp;
	a->baddist |= fabs(dist - sqrt(dx * dx + dy * dy)) > 1e-9;
	a->seen[i] = a->stamp;
	a->count++;
	return 0;
}

static void random_points(double *xy, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int kind = i % 10;
		double s = kind == 0 ? 300 : 20000;     /* a dense cluster within a wide spread */
		xy[2 * i] = 150000 + (kind == 1 && i > 1 ? xy[2 * i - 4] - 150000 : urand(0, s));
		xy[2 * i + 1] = 400000 + (kind == 1 && i > 1 ? xy[2 * i - 3] - 400000 : urand(0, s));
	}
}

static void check_radius(const struct grid_index *gi, const double *xy, size_t n,
			 struct radius_acc *a, double x, double y, double r)
{
	a->stamp++;
	a->x = x;
	a->y = y;
	a->count = 0;
	assert_int_equal(grid_index_radius(gi, x, y, r, radius_cb, a), 0);
	assert_false(a->dup);
	assert_false(a->baddist);
	size_t want = 0;
	for (size_t i = 0; i < n; i++) {
		double dx = xy[2 * i] - x, dy = xy[2 * i + 1] - y;
		int in = dx * dx + dy * dy <= r * r;
		want += (size_t)in;
		if (in != (a->seen[i] == a->stamp)) {
			print_error("point %zu, centre %.1f %.1f, r %.1f\n", i, x, y, r);
			fail();
		}
	}
	assert_int_equal(a->count, want);
}

static void test_grid_radius_brute(void **state)
{
	(void)state;
	static double xy[2 * NPTS];
	static uint32_t seen[NPTS];
	const double cells[] = {50, 1000, 7000, 0};
	const double radii[] = {0, 1, 75, 400, 2500, 30000};
	rng_seed(1);
	random_points(xy, NPTS);
	struct radius_acc a = {.seen = seen, .xy = xy};
	for (size_t c = 0; c < sizeof cells / sizeof *cells; c++) {
		struct grid_index *gi = grid_index_new(xy, NPTS, cells[c]);
		assert_non_null(gi);
		for (int q = 0; q < 60; q++) {
			double x = q % 7 == 0 ? xy[2 * q] : urand(145000, 175000);
			double y = q % 7 == 0 ? xy[2 * q + 1] : urand(395000, 425000);
			for (size_t r = 0; r < sizeof radii / sizeof *radii; r++)
				check_radius(gi, xy, NPTS, &a, x, y, radii[r]);
		}
		grid_index_free(gi);
	}
}

static int stop_cb(void *user, uint32_t i, double dist)
{
	(void)dist;
	(void)i;
	return ++*(int *)user == 3 ? 42 : 0;
}

static void test_grid_radius_stops(void **state)
{
	(void)state;
	const double xy[] = {0, 0, 1, 0, 2, 0, 3, 0, 4, 0};
	struct grid_index *gi = grid_index_new(xy, 5, 10);
	int calls = 0;
	assert_non_null(gi);
	assert_int_equal(grid_index_radius(gi, 0, 0, 100, stop_cb, &calls), 42);
	assert_int_equal(calls, 3);
	grid_index_free(gi);
}

static int64_t brute_nearest(const double *xy, size_t n, double x, double y, double max_m,
			     double *dist)
{
	int64_t best = -1;
	for (size_t i = 0; i < n; i++) {
		double dx = xy[2 * i] - x, dy = xy[2 * i + 1] - y, d = sqrt(dx * dx + dy * dy);
		if (d <= max_m && (best < 0 || d < *dist)) {
			best = (int64_t)i;
			*dist = d;
		}
	}
	return best;
}

static void test_grid_nearest_brute(void **state)
{
	(void)state;
	static double xy[2 * NPTS];
	const double maxes[] = {30, 500, 5000, 1e7};
	rng_seed(2);
	random_points(xy, NPTS);
	struct grid_index *gi = grid_index_new(xy, NPTS, 800);
	assert_non_null(gi);
	for (int q = 0; q < 400; q++) {
		double x = urand(140000, 180000), y = urand(390000, 430000);
		for (size_t k = 0; k < sizeof maxes / sizeof *maxes; k++) {
			double dw = -1, dg = -1;
			int64_t want = brute_nearest(xy, NPTS, x, y, maxes[k], &dw);
			int64_t got = grid_index_nearest(gi, x, y, maxes[k], &dg);
			assert_int_equal(got, want);
			if (want >= 0)
				check_close(dg, dw, 1e-12, "nearest distance", q);
		}
	}
	grid_index_free(gi);
}

static int count_cb(void *user, uint32_t i, double dist)
{
	(void)i;
	(void)dist;
	++*(size_t *)user;
	return 0;
}

static void test_grid_empty(void **state)
{
	(void)state;
	const double dummy[2] = {5, 5};
	struct grid_index *gi = grid_index_new(dummy, 0, 100);
	size_t calls = 0;
	double d = -7;
	assert_non_null(gi);
	assert_int_equal(grid_index_radius(gi, 5, 5, 1e6, count_cb, &calls), 0);
	assert_int_equal(calls, 0);
	assert_int_equal(grid_index_nearest(gi, 5, 5, 1e6, &d), -1);
	assert_int_equal(grid_index_nearest(gi, 5, 5, INFINITY, &d), -1);
	assert_true(d == -7);
	grid_index_free(gi);
	grid_index_free(NULL);
}

static void test_grid_identical_points(void **state)
{
	(void)state;
	double xy[2 * 50];
	for (int i = 0; i < 50; i++) {
		xy[2 * i] = 123456.5;
		xy[2 * i + 1] = 456789.25;
	}
	struct grid_index *gi = grid_index_new(xy, 50, 250);
	size_t calls = 0;
	double d = -1;
	assert_non_null(gi);
	assert_int_equal(grid_index_radius(gi, 123456.5, 456789.25, 0, count_cb, &calls), 0);
	assert_int_equal(calls, 50);
	calls = 0;
	grid_index_radius(gi, 123456.5 + 3, 456789.25 + 4, 4.99, count_cb, &calls);
	assert_int_equal(calls, 0);
	grid_index_radius(gi, 123456.5 + 3, 456789.25 + 4, 5, count_cb, &calls);
	assert_int_equal(calls, 50);
	assert_int_equal(grid_index_nearest(gi, 123456.5, 456789.25, 10, &d), 0);
	assert_true(d == 0);
	assert_int_equal(grid_index_nearest(gi, 123456.5 + 3, 456789.25 + 4, 4, &d), -1);
	assert_int_equal(grid_index_nearest(gi, 123456.5 + 3, 456789.25 + 4, 6, &d), 0);
	check_close(d, 5, 1e-12, "distance", 0);
	grid_index_free(gi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grid_radius_brute),
		cmocka_unit_test(test_grid_radius_stops),
		cmocka_unit_test(test_grid_nearest_brute),
		cmocka_unit_test(test_grid_empty),
		cmocka_unit_test(test_grid_identical_points),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
