/* Unit tests for the planner's geometry side: the grid index and the locator against brute
 * force, polygon sampling on the national grid, demand building on a hand-made model (finest
 * layer, exact sums, cell links), candidate generation, the sparse coverage build and
 * plan_submodel. Every input is made here: WKB built byte by byte, random points seeded. */
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

#include "candidates.h"
#include "cover.h"
#include "demand.h"
#include "geom.h"
#include "grid_index.h"
#include "locate.h"
#include "plan_internal.h"

/* ---- helpers: random numbers, closeness, WKB ---- */

static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
	rng_state = s;
}

static double rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

static double urand(double lo, double hi)
{
	return lo + (hi - lo) * rnd();
}

static void check_close(double got, double want, double rel, const char *what, int id)
{
	if (fabs(got - want) <= rel * fmax(1.0, fabs(want)))
		return;
	print_error("%s %d: got %.12g, want %.12g\n", what, id, got, want);
	fail();
}

struct wkb {
	uint8_t b[2048];
	size_t n;
};

static void put_u8(struct wkb *w, unsigned v)
{
	assert_true(w->n < sizeof w->b);
	w->b[w->n++] = (uint8_t)v;
}

static void put_u32(struct wkb *w, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		put_u8(w, (v >> (8 * i)) & 0xff);
}

static void put_f64(struct wkb *w, double d)
{
	uint64_t bits;
	memcpy(&bits, &d, sizeof bits);
	for (int i = 0; i < 8; i++)
		put_u8(w, (unsigned)(bits >> (8 * i)) & 0xff);
}

/* A little-endian MultiPolygon holding one polygon; ring r has n[r] points (xy pairs, the
 * closing point is added here). */
static struct wkb multipolygon(const double *const *rings, const size_t *n, size_t nrings)
{
	struct wkb w = {.n = 0};
	put_u8(&w, 1);
	put_u32(&w, 6);
	put_u32(&w, 1);
	put_u8(&w, 1);
	put_u32(&w, 3);
	put_u32(&w, (uint32_t)nrings);
	for (size_t r = 0; r < nrings; r++) {
		put_u32(&w, (uint32_t)n[r] + 1);
		for (size_t k = 0; k <= n[r]; k++) {
			put_f64(&w, rings[r][2 * (k % n[r])]);
			put_f64(&w, rings[r][2 * (k % n[r]) + 1]);
		}
	}
	return w;
}

static struct wkb rect(double x0, double y0, double x1, double y1)
{
	const double ring[] = {x0, y0, x1, y0, x1, y1, x0, y1};
	const double *rings[] = {ring};
	const size_t n[] = {4};
	return multipolygon(rings, n, 1);
}

static struct wkb holed(const double o[4], const double h[4])
{
	const double outer[] = {o[0], o[1], o[2], o[1], o[2], o[3], o[0], o[3]};
	const double hole[] = {h[0], h[1], h[0], h[3], h[2], h[3], h[2], h[1]};
	const double *rings[] = {outer, hole};
	const size_t n[] = {4, 4};
	return multipolygon(rings, n, 2);
}

/* The L of [x0,x1]x[y0,ym] plus [x0,xm]x[ym,y1]. */
static struct wkb lshape(double x0, double y0, double x1, double y1, double xm, double ym)
{
	const double ring[] = {x0, y0, x1, y0, x1, ym, xm, ym, xm, y1, x0, y1};
	const double *rings[] = {ring};
	const size_t n[] = {6};
	return multipolygon(rings, n, 1);
}

/* A 100 m cell square exactly as the importer writes it: corner from "E1065N4005". */
static struct wkb cell_wkb(const char *id)
{
	unsigned hx = 0, hy = 0;
	assert_int_equal(sscanf(id, "E%4uN%4u", &hx, &hy), 2);
	struct wkb w = rect(hx * 100.0, hy * 100.0, hx * 100.0 + 100, hy * 100.0 + 100);
	assert_int_equal(w.n, 102);
	return w;
}

/* A prepared polygon for contains checks. */
struct prep {
	struct geom_ctx *g;
	GEOSGeometry *geom;
	const GEOSPreparedGeometry *p;
};

static void prep_init(struct prep *p, struct geom_ctx *g, const uint8_t *wkb, size_t len)
{
	char err[256];
	p->g = g;
	p->geom = geom_from_wkb(g, wkb, len, err, sizeof err);
	assert_non_null(p->geom);
	p->p = GEOSPrepare_r(geom_ctx_handle(g), p->geom);
	assert_non_null(p->p);
}

static int prep_contains(const struct prep *p, double x, double y)
{
	GEOSContextHandle_t h = geom_ctx_handle(p->g);
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
	int in = GEOSPreparedContains_r(h, p->p, pt);
	GEOSGeom_destroy_r(h, pt);
	assert_true(in == 0 || in == 1);
	return in;
}

static void prep_deinit(struct prep *p)
{
	GEOSPreparedGeom_destroy_r(geom_ctx_handle(p->g), p->p);
	GEOSGeom_destroy_r(geom_ctx_handle(p->g), p->geom);
}

static int on_grid(double v, double s)
{
	double k = round(v / s - 0.5);
	return fabs(v - (k + 0.5) * s) < 1e-6;
}

/* ---- grid index ---- */

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

/* ---- demand on a hand-made model ----
 * GM0001 (region 4): WK000101 with buurten BU00010001 and BU00010002 (two L-shapes), WK000102
 * without buurten (a square with a lake), WK000103 with unknown residents.
 * GM0002 (region 7): 100 m cells, WK000201 with buurten BU00020101/2, WK000202 without.
 * C4 lies 50 m east of GM0002, C5 1,050 m east (dropped), C6 has unknown residents.
 * GM0003 (region 9) is only partly covered by cells, like a gemeente at the edge of a
 * regional grid: C7 and C8 in a corner of WK000301, and C9 in WK000302, which holds fewer
 * residents (10) than its cell (40). */

enum { GM1, WK101, BU1, BU2, WK102, WK103, GM2, WK201, BU201, BU202, WK202,
       C1, C2, C3, C4, C5, C6, GM3, WK301, WK302, C7, C8, C9, NAREAS };

enum shape { SH_RECT, SH_HOLED, SH_POLY, SH_CELL };

struct area_def {
	int level;
	const char *code, *gm, *wk;
	double res, r65, pct, cars;
	int urb;
	enum shape sh;
	double c[8];
	const double *v;
	size_t nv;
};

static const double bu1_ring[] = {100000, 400000, 102000, 400000, 102000, 402000,
				  101000, 402000, 101000, 403000, 100000, 403000};
static const double bu2_ring[] = {101000, 402000, 102000, 402000, 102000, 404000,
				  100000, 404000, 100000, 403000, 101000, 403000};

#define U NAN
static const struct area_def model_defs[NAREAS] = {
	[GM1] = {1, "GM0001", "", "", 9000, U, 20, 0.8, 2, SH_RECT, {100000, 400000, 106000, 404000}},
	[WK101] = {2, "WK000101", "GM0001", "", 6000, U, 18, 0.9, 2, SH_RECT,
		   {100000, 400000, 102000, 404000}},
	[BU1] = {3, "BU00010001", "GM0001", "WK000101", 2500, U, 10, 0.5, 1, SH_POLY, {0},
		 bu1_ring, 6},
	[BU2] = {3, "BU00010002", "GM0001", "WK000101", 3500, U, U, 0.6, 4, SH_POLY, {0},
		 bu2_ring, 6},
	[WK102] = {2, "WK000102", "GM0001", "", 3000, U, 25, U, 5, SH_HOLED,
		   {102000, 400000, 104000, 404000, 102500, 401000, 103500, 403000}},
	[WK103] = {2, "WK000103", "GM0001", "", U, U, 20, 1, 3, SH_RECT,
		   {104000, 400000, 106000, 404000}},
	[GM2] = {1, "GM0002", "", "", 500, U, 30, 0.7, 1, SH_RECT, {106000, 400000, 110000, 404000}},
	[WK201] = {2, "WK000201", "GM0002", "", 200, U, 20, 0.5, 4, SH_RECT,
		   {106000, 400000, 108000, 404000}},
	[BU201] = {3, "BU00020101", "GM0002", "WK000201", 120, U, 15, 0.4, 2, SH_RECT,
		   {106000, 400000, 108000, 402000}},
	[BU202] = {3, "BU00020102", "GM0002", "WK000201", 80, U, U, U, 0, SH_RECT,
		   {106000, 402000, 108000, 404000}},
	[WK202] = {2, "WK000202", "GM0002", "", 300, U, 25, 0.9, 3, SH_RECT,
		   {108000, 400000, 110000, 404000}},
	[C1] = {4, "E1065N4005", "", "", 50, 10, U, U, 0, SH_CELL, {0}},
	[C2] = {4, "E1070N4030", "", "", 40, U, U, U, 0, SH_CELL, {0}},
	[C3] = {4, "E1090N4010", "", "", 30, 6, U, U, 0, SH_CELL, {0}},
	[C4] = {4, "E1100N4010", "", "", 20, 0, U, U, 0, SH_CELL, {0}},
	[C5] = {4, "E1110N4010", "", "", 15, 3, U, U, 0, SH_CELL, {0}},
	[C6] = {4, "E1080N4020", "", "", U, U, U, U, 0, SH_CELL, {0}},
	[GM3] = {1, "GM0003", "", "", 1010, U, 12, 0.5, 2, SH_RECT, {100000, 410000, 104000, 412000}},
	[WK301] = {2, "WK000301", "GM0003", "", 1000, U, 10, 0.5, 2, SH_RECT,
		   {100000, 410000, 103000, 412000}},
	[WK302] = {2, "WK000302", "GM0003", "", 10, U, 20, 0.5, 2, SH_RECT,
		   {103000, 410000, 104000, 412000}},
	[C7] = {4, "E1001N4101", "", "", 60, 6, U, U, 0, SH_CELL, {0}},
	[C8] = {4, "E1003N4101", "", "", 40, U, U, U, 0, SH_CELL, {0}},
	[C9] = {4, "E1035N4110", "", "", 40, 8, U, U, 0, SH_CELL, {0}},
};

/* What each demand source must yield: residents, 65+, urbanity and cars as worked out by
 * hand through the inheritance chain, and the weight literally. */
struct source_expect {
	int area, gemeente, urb;
	double res, vul, cars, weight;
};

static const struct source_expect model_sources[] = {
	{BU1, GM1, 1, 2500, 250, 0.5, 2625},            /* urban: no car extra */
	{BU2, GM1, 4, 3500, 630, 0.6, 4235},            /* 65+ % from WK000101 */
	{WK102, GM1, 5, 3000, 750, 0.8, 3555},          /* cars from GM0001 */
	{C1, GM2, 2, 50, 10, 0.4, 55},                  /* urbanity from BU00020101 */
	{C2, GM2, 4, 40, 8, 0.5, 50},                   /* all from WK000201 */
	{C3, GM2, 3, 30, 6, 0.9, 33},                   /* from WK000202 */
	{C4, GM2, 3, 20, 0, 0.9, 20},                   /* joined GM0002 and WK000202 */
	/* The rest of each area with cells: its residents minus its cells', on its other land. */
	{BU201, GM2, 2, 70, 10.5, 0.4, 75.25},          /* 120 - C1 */
	{BU202, GM2, 4, 40, 8, 0.5, 50},                /* 80 - C2; figures from WK000201 */
	{WK202, GM2, 3, 250, 62.5, 0.9, 281.25},        /* 300 - C3 - C4 (C6 unknown) */
	{WK301, GM3, 2, 900, 90, 0.5, 945},             /* 1000 - C7 - C8 */
	{C7, GM3, 2, 60, 6, 0.5, 63},
	{C8, GM3, 2, 40, 4, 0.5, 42},                   /* 65+ share from WK000301 */
	{C9, GM3, 2, 10, 2, 0.5, 11},                   /* 40 scaled to WK000302's 10 */
};

struct model {
	struct geom_ctx *g;
	struct plan_area a[NAREAS];
	struct wkb w[NAREAS];
	struct demand d;
	struct demand_params p;
	int region_calls;
};

static int32_t region_of(void *user, const char *code)
{
	struct model *m = user;
	m->region_calls++;
	return strcmp(code, "GM0001") == 0 ? 4 : strcmp(code, "GM0002") == 0 ? 7
	       : strcmp(code, "GM0003") == 0 ? 9 : -1;
}

static struct wkb def_wkb(const struct area_def *d)
{
	switch (d->sh) {
	case SH_RECT:
		return rect(d->c[0], d->c[1], d->c[2], d->c[3]);
	case SH_HOLED:
		return holed(d->c, d->c + 4);
	case SH_POLY: {
		const double *rings[] = {d->v};
		return multipolygon(rings, &d->nv, 1);
	}
	default:
		return cell_wkb(d->code);
	}
}

static void fill_area(struct plan_area *a, const struct area_def *d, const struct wkb *w)
{
	memset(a, 0, sizeof *a);
	a->level = d->level;
	snprintf(a->code, sizeof a->code, "%s", d->code);
	snprintf(a->gemeente_code, sizeof a->gemeente_code, "%s", d->gm);
	snprintf(a->wijk_code, sizeof a->wijk_code, "%s", d->wk);
	a->residents = d->res;
	a->residents_65plus = d->r65;
	a->pct_65plus = d->pct;
	a->households = d->res / 2;
	a->cars_per_household = d->cars;
	a->urbanity = d->urb;
	a->wkb = w->b;
	a->wkb_len = w->n;
	a->gemeente = a->wijk = a->buurt = a->region = 99;   /* must be overwritten */
	a->demand_source = 7;
}

static int model_setup(void **state)
{
	struct model *m = calloc(1, sizeof *m);
	char err[256] = "";
	if (!m || !(m->g = geom_ctx_new()))
		return -1;
	for (int i = 0; i < NAREAS; i++) {
		m->w[i] = def_wkb(&model_defs[i]);
		fill_area(&m->a[i], &model_defs[i], &m->w[i]);
	}
	m->p = (struct demand_params){200, 500, 0.5, 0.3, 200};
	*state = m;
	if (demand_build(m->g, m->a, NAREAS, region_of, m, &m->p, &m->d, err, sizeof err) != 0) {
		print_error("demand_build: %s\n", err);
		return -1;
	}
	return 0;
}

static int model_teardown(void **state)
{
	struct model *m = *state;
	if (m) {
		demand_free(&m->d);
		geom_ctx_free(m->g);
		free(m);
	}
	return 0;
}

static const struct source_expect *source_of(int area)
{
	for (size_t k = 0; k < sizeof model_sources / sizeof *model_sources; k++)
		if (model_sources[k].area == area)
			return &model_sources[k];
	return NULL;
}

static void test_demand_weight_table(void **state)
{
	(void)state;
	const struct demand_params p = {200, 500, 0.5, 0.3, 200};
	const struct {
		double r, v;
		int u;
		double cars, want;
	} rows[] = {
		{100, 20, 1, 0.2, 110},          /* classes 1-3: no car extra */
		{100, 20, 3, NAN, 110},
		{100, 20, 4, 0.2, 134},          /* + 0.3 * 100 * 0.8 */
		{100, 0, 5, 0.5, 115},
		{100, 0, 5, 1.7, 100},           /* more than one car: no extra */
		{100, 0, 5, -1, 130},            /* share clamped to 1 */
		{100, 10, 5, NAN, 105},          /* unknown cars: no extra */
		{0, 0, 5, 0, 0},
	};
	for (size_t k = 0; k < sizeof rows / sizeof *rows; k++)
		check_close(demand_weight(&p, rows[k].r, rows[k].v, rows[k].u, rows[k].cars),
			    rows[k].want, 1e-12, "demand_weight row", (int)k);
}

static void test_demand_sources(void **state)
{
	struct model *m = *state;
	const int want[NAREAS] = {[BU1] = 1, [BU2] = 1, [WK102] = 1, [WK103] = 1, [BU201] = 1,
				  [BU202] = 1, [WK202] = 1, [C1] = 1, [C2] = 1, [C3] = 1,
				  [C4] = 1, [C6] = 1, [WK301] = 1, [WK302] = 1, [C7] = 1,
				  [C8] = 1, [C9] = 1};
	for (int i = 0; i < NAREAS; i++)
		if (m->a[i].demand_source != want[i]) {
			print_error("%s: demand_source %d, want %d\n", m->a[i].code,
				    m->a[i].demand_source, want[i]);
			fail();
		}
	/* Points only from the finest layer: WK000101 from its buurten, never a wijk with
	 * buurten or a gemeente; WK000302 has none (its cell holds all its residents). */
	for (size_t i = 0; i < m->d.n; i++) {
		int a = m->d.area[i];
		assert_non_null(source_of(a));
		assert_true(a != WK101 && a != WK201 && a != WK302);
		assert_true(m->a[a].level != PLAN_GEMEENTE);
	}
}

static void test_demand_sums(void **state)
{
	struct model *m = *state;
	for (size_t k = 0; k < sizeof model_sources / sizeof *model_sources; k++) {
		const struct source_expect *e = &model_sources[k];
		double res = 0, w = 0, vul = 0;
		size_t npts = 0;
		for (size_t i = 0; i < m->d.n; i++) {
			if (m->d.area[i] != e->area)
				continue;
			npts++;
			res += m->d.residents[i];
			w += m->d.weight[i];
			vul += m->d.vulnerable[i];
			assert_int_equal(m->d.urbanity[i], e->urb);
			assert_int_equal(m->d.gemeente[i], e->gemeente);
		}
		assert_true(npts >= 1);
		check_close(res, e->res, 1e-9, "residents of area", e->area);
		check_close(vul, e->vul, 1e-9, "65+ of area", e->area);
		check_close(demand_weight(&m->p, e->res, e->vul, e->urb, e->cars), e->weight,
			    1e-12, "hand weight of area", e->area);
		check_close(w, e->weight, 1e-9, "weight of area", e->area);
	}
}

static void test_demand_unknown_and_dropped(void **state)
{
	struct model *m = *state;
	double total = 0;
	assert_int_equal(m->d.unknown_areas, 2);      /* WK000103 and C6 */
	check_close(m->d.dropped_residents, 15, 1e-12, "dropped residents", 0);
	for (size_t i = 0; i < m->d.n; i++) {
		assert_true(m->d.area[i] != WK103 && m->d.area[i] != C5 && m->d.area[i] != C6);
		total += m->d.residents[i];
	}
	/* Every resident once: GM0002 and GM0003 count their buurten / wijken in full, part
	 * of it in cells and the rest on the other land. */
	check_close(total, 2500 + 3500 + 3000 + 120 + 80 + 300 + 1000 + 10, 1e-9,
		    "total residents", 0);
	assert_int_equal(m->a[C5].gemeente, -1);
}

static void test_demand_points_inside(void **state)
{
	struct model *m = *state;
	for (int a = 0; a < NAREAS; a++) {
		if (!source_of(a))
			continue;
		struct prep p;
		int cell = m->a[a].level == PLAN_CELL100;
		double spacing = source_of(a)->urb <= 3 ? m->p.spacing_urban_m : m->p.spacing_rural_m;
		prep_init(&p, m->g, m->a[a].wkb, m->a[a].wkb_len);
		for (size_t i = 0; i < m->d.n; i++) {
			double x = m->d.xy[2 * i], y = m->d.xy[2 * i + 1];
			if (m->d.area[i] != a)
				continue;
			assert_true(prep_contains(&p, x, y));
			if (cell) {
				assert_true(on_grid(x, 100) && on_grid(y, 100));
			} else {
				assert_true(on_grid(x, spacing) && on_grid(y, spacing));
			}
		}
		prep_deinit(&p);
	}
}

/* The lake of WK000102 (spacing 500): 32 grid points in the square, 8 of them in the lake. */
static void test_demand_lake(void **state)
{
	struct model *m = *state;
	size_t n = 0;
	for (size_t i = 0; i < m->d.n; i++)
		n += m->d.area[i] == WK102;
	assert_int_equal(n, 24);
}

static void check_links(const struct plan_area *a, int32_t gm, int32_t wk, int32_t bu)
{
	if (a->gemeente == gm && a->wijk == wk && a->buurt == bu)
		return;
	print_error("%s: links %d/%d/%d, want %d/%d/%d\n", a->code, a->gemeente, a->wijk,
		    a->buurt, gm, wk, bu);
	fail();
}

static void test_demand_links(void **state)
{
	struct model *m = *state;
	check_links(&m->a[GM1], GM1, -1, -1);
	check_links(&m->a[WK101], GM1, WK101, -1);
	check_links(&m->a[BU2], GM1, WK101, BU2);
	check_links(&m->a[BU202], GM2, WK201, BU202);
	check_links(&m->a[C1], GM2, WK201, BU201);
	check_links(&m->a[C2], GM2, WK201, BU202);
	check_links(&m->a[C3], GM2, WK202, -1);
	check_links(&m->a[C4], GM2, WK202, -1);
	assert_int_equal(m->a[C5].gemeente, -1);
	assert_int_equal(m->a[C5].region, -1);
	check_links(&m->a[C6], GM2, WK202, -1);
	check_links(&m->a[C7], GM3, WK301, -1);
	check_links(&m->a[C9], GM3, WK302, -1);
}

/* A gemeente partly covered by cells keeps all its residents: each area's demand (its own
 * points and its cells') sums to its residents, and the rest lies outside its cells. */
static void test_demand_partial_cells(void **state)
{
	struct model *m = *state;
	const struct {
		int area;
		double residents;
	} sums[] = {{GM3, 1010}, {WK301, 1000}, {WK302, 10}, {GM2, 500}, {BU201, 120},
		    {BU202, 80}, {WK202, 300}};
	for (size_t k = 0; k < sizeof sums / sizeof *sums; k++) {
		double res = 0;
		for (size_t i = 0; i < m->d.n; i++) {
			const struct plan_area *a = &m->a[m->d.area[i]];
			int32_t chain[] = {m->d.area[i], a->buurt, a->wijk, a->gemeente};
			int hit = 0;
			for (int q = 0; q < 4; q++)
				hit |= chain[q] == sums[k].area;
			res += hit ? m->d.residents[i] : 0;
		}
		check_close(res, sums[k].residents, 1e-9, "residents of area", sums[k].area);
	}
	check_close(m->a[WK301].cell_residents, 100, 1e-12, "WK000301 cells", 0);
	check_close(m->a[WK301].rest_residents, 900, 1e-12, "WK000301 rest", 0);
	check_close(m->a[WK302].rest_residents, 0, 1e-12, "WK000302 rest", 0);
	/* WK000301's 15 x 10 sample points at 200 m, less the two at its cells' corners. */
	size_t n = 0;
	for (size_t i = 0; i < m->d.n; i++) {
		double x = m->d.xy[2 * i], y = m->d.xy[2 * i + 1];
		if (m->d.area[i] != WK301)
			continue;
		n++;
		assert_false(y == 410100 && (x == 100100 || x == 100300));
	}
	assert_int_equal(n, 148);
}

static void cell_centre(const char *id, double *x, double *y)
{
	unsigned hx = 0, hy = 0;
	assert_int_equal(sscanf(id, "E%4uN%4u", &hx, &hy), 2);
	*x = hx * 100.0 + 50;
	*y = hy * 100.0 + 50;
}

/* One point per cell, at its centre. */
static void test_demand_cell_points(void **state)
{
	struct model *m = *state;
	const int cells[] = {C1, C2, C3, C4};
	for (size_t k = 0; k < 4; k++) {
		size_t n = 0;
		double x, y;
		cell_centre(model_defs[cells[k]].code, &x, &y);
		for (size_t i = 0; i < m->d.n; i++) {
			if (m->d.area[i] != cells[k])
				continue;
			n++;
			assert_true(m->d.xy[2 * i] == x && m->d.xy[2 * i + 1] == y);
		}
		assert_int_equal(n, 1);
	}
}

static void test_demand_regions(void **state)
{
	struct model *m = *state;
	for (int i = 0; i < NAREAS; i++) {
		int32_t gm = m->a[i].gemeente;
		int32_t want = gm == GM1 ? 4 : gm == GM2 ? 7 : gm == GM3 ? 9 : -1;
		assert_int_equal(m->a[i].region, want);
	}
	for (size_t i = 0; i < m->d.n; i++)
		assert_int_equal(m->d.region[i], m->d.gemeente[i] == GM1 ? 4
				 : m->d.gemeente[i] == GM2 ? 7 : 9);
	assert_true(m->region_calls > 0);
}

/* ---- candidates ---- */

static int64_t find_point(const struct demand *d, double x, double y)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->xy[2 * i] == x && d->xy[2 * i + 1] == y)
			return (int64_t)i;
	return -1;
}

/* Generated candidates on the model: each sits on a demand point of its own source. */
static void count_generated(const struct model *m, const struct candidates *c, size_t first,
			    int per_area[NAREAS])
{
	for (size_t j = first; j < c->n; j++) {
		int64_t i = find_point(&m->d, c->xy[2 * j], c->xy[2 * j + 1]);
		assert_true(i >= 0);
		int a = m->d.area[i];
		int cell = m->a[a].level == PLAN_CELL100;
		per_area[a]++;
		assert_int_equal(c->origin[j], cell ? CAND_CELL_BLOCK : CAND_AREA_CENTRE);
		assert_int_equal(c->gemeente[j], m->d.gemeente[i]);
		assert_int_equal(c->fixed[j], 0);
		assert_int_equal(c->site_id[j], -1);
	}
}

/* The expected number of generated candidates, counted independently: distinct (owner,
 * block) pairs, the owner being the area (polygons) or the gemeente (cells), the block
 * block_m wide in classes 1-3, twice that in class 4 and four times in class 5. */
static size_t expected_generated(const struct model *m, double block_m)
{
	size_t n = 0;
	for (size_t i = 0; i < m->d.n; i++) {
		int dup = 0;
		for (size_t k = 0; k < i && !dup; k++) {
			int cell_i = m->a[m->d.area[i]].level == PLAN_CELL100;
			int cell_k = m->a[m->d.area[k]].level == PLAN_CELL100;
			double bi = block_m * (m->d.urbanity[i] <= 3 ? 1 : m->d.urbanity[i] == 4 ? 2 : 4);
			double bk = block_m * (m->d.urbanity[k] <= 3 ? 1 : m->d.urbanity[k] == 4 ? 2 : 4);
			int32_t oi = cell_i ? m->d.gemeente[i] : m->d.area[i];
			int32_t ok = cell_k ? m->d.gemeente[k] : m->d.area[k];
			dup = cell_i == cell_k && oi == ok && bi == bk &&
			      floor(m->d.xy[2 * i] / bi) == floor(m->d.xy[2 * k] / bk) &&
			      floor(m->d.xy[2 * i + 1] / bi) == floor(m->d.xy[2 * k + 1] / bk);
		}
		n += !dup;
	}
	return n;
}

static void test_candidates_areas(void **state)
{
	struct model *m = *state;
	struct candidates c = {0};
	int per_area[NAREAS] = {0};
	assert_int_equal(candidates_generate(&c, &m->d, m->a, 1000), 0);
	count_generated(m, &c, 0, per_area);
	/* Every polygon source has one; cells share one per block and gemeente (C7, C8). */
	for (size_t k = 0; k < sizeof model_sources / sizeof *model_sources; k++) {
		int a = model_sources[k].area, n = per_area[a];
		for (int q = 0; m->a[a].level == PLAN_CELL100 && q < NAREAS; q++)
			n += q != a && m->a[q].level == PLAN_CELL100 &&
			     m->a[q].gemeente == m->a[a].gemeente ? per_area[q] : 0;
		assert_true(n >= 1);
	}
	assert_int_equal(c.n, expected_generated(m, 1000));
	candidates_free(&c);
}

/* 5 km blocks: fewer candidates, still every source area represented. */
static void test_candidates_big_blocks(void **state)
{
	struct model *m = *state;
	struct candidates c = {0};
	int per_area[NAREAS] = {0};
	assert_int_equal(candidates_generate(&c, &m->d, m->a, 5000), 0);
	count_generated(m, &c, 0, per_area);
	assert_int_equal(c.n, expected_generated(m, 5000));
	assert_true(c.n < expected_generated(m, 1000));
	candidates_free(&c);
}

static void demand_alloc(struct demand *d, size_t n)
{
	memset(d, 0, sizeof *d);
	d->n = n;
	d->xy = calloc(2 * n, sizeof *d->xy);
	d->weight = calloc(n, sizeof *d->weight);
	d->residents = calloc(n, sizeof *d->residents);
	d->vulnerable = calloc(n, sizeof *d->vulnerable);
	d->urbanity = calloc(n, sizeof *d->urbanity);
	d->area = calloc(n, sizeof *d->area);
	d->gemeente = calloc(n, sizeof *d->gemeente);
	d->region = calloc(n, sizeof *d->region);
	assert_true(d->xy && d->weight && d->residents && d->vulnerable && d->urbanity &&
		    d->area && d->gemeente && d->region);
}

static void set_point(struct demand *d, size_t i, double x, double y, double w, int32_t gm,
		      int32_t area)
{
	d->xy[2 * i] = x;
	d->xy[2 * i + 1] = y;
	d->weight[i] = d->residents[i] = w;
	d->urbanity[i] = 1;
	d->gemeente[i] = gm;
	d->area[i] = area;
	d->region[i] = -1;
}

static int has_cand(const struct candidates *c, double x, double y, int32_t gm, int origin)
{
	int n = 0;
	for (size_t j = 0; j < c->n; j++)
		n += c->xy[2 * j] == x && c->xy[2 * j + 1] == y && c->gemeente[j] == gm &&
		     c->origin[j] == origin;
	return n;
}

/* Cells: one candidate per (1 km block, gemeente), at the cell nearest the weighted centre;
 * a polygon area: one, at its point nearest its weighted centre. */
static void test_candidates_cell_blocks(void **state)
{
	(void)state;
	struct plan_area areas[4] = {{.level = PLAN_GEMEENTE}, {.level = PLAN_GEMEENTE},
				     {.level = PLAN_BUURT}, {.level = PLAN_CELL100}};
	struct demand d;
	struct candidates c = {0};
	demand_alloc(&d, 8);
	set_point(&d, 0, 150, 150, 1, 0, 3);
	set_point(&d, 1, 250, 150, 1, 0, 3);
	set_point(&d, 2, 950, 950, 10, 0, 3);
	set_point(&d, 3, 550, 550, 5, 1, 3);      /* same block, other gemeente */
	set_point(&d, 4, 1550, 150, 2, 0, 3);     /* next block */
	set_point(&d, 5, 5000, 5000, 1, 0, 2);
	set_point(&d, 6, 5200, 5000, 1, 0, 2);
	set_point(&d, 7, 5400, 5000, 1, 0, 2);
	assert_int_equal(candidates_generate(&c, &d, areas, 1000), 0);
	assert_int_equal(c.n, 4);
	assert_int_equal(has_cand(&c, 950, 950, 0, CAND_CELL_BLOCK), 1);
	assert_int_equal(has_cand(&c, 550, 550, 1, CAND_CELL_BLOCK), 1);
	assert_int_equal(has_cand(&c, 1550, 150, 0, CAND_CELL_BLOCK), 1);
	assert_int_equal(has_cand(&c, 5200, 5000, 0, CAND_AREA_CENTRE), 1);
	candidates_free(&c);
	demand_free(&d);
}

/* Imported sites keep their flags and ids through growth and generation. */
static void test_candidates_add_kept(void **state)
{
	struct model *m = *state;
	struct candidates c = {0};
	const size_t nsites = 1500;
	int per_area[NAREAS] = {0};
	for (size_t j = 0; j < nsites; j++)
		assert_int_equal(candidates_add(&c, 1000.0 + j, 2000.0 + j, (int)(j % 3) * 7,
						CAND_SITE, j % 2 ? GM1 : -1, 100 + (int64_t)j), 0);
	assert_int_equal(candidates_generate(&c, &m->d, m->a, 1000), 0);
	assert_int_equal(c.n, nsites + expected_generated(m, 1000));
	for (size_t j = 0; j < nsites; j++) {
		assert_true(c.xy[2 * j] == 1000.0 + j && c.xy[2 * j + 1] == 2000.0 + j);
		assert_int_equal(c.fixed[j], j % 3 != 0);
		assert_int_equal(c.origin[j], CAND_SITE);
		assert_int_equal(c.gemeente[j], j % 2 ? GM1 : -1);
		assert_int_equal(c.site_id[j], 100 + (int64_t)j);
	}
	count_generated(m, &c, nsites, per_area);
	candidates_free(&c);
	candidates_free(&c);
}

/* ---- coverage ---- */

#define NDEM 1500
#define NCAND 250

struct inst {
	struct demand d;
	struct candidates c;
};

static const struct cover_params cover_p10 = {{750, 1000, 1500, 2000, 3000}, 1.0};
static const struct cover_params cover_p13 = {{750, 1000, 1500, 2000, 3000}, 1.3};

static void inst_make(struct inst *in, uint64_t seed)
{
	const int32_t dem_gm[] = {2, 5, 9, -1}, cand_gm[] = {2, 5, 9, -1, 12};
	rng_seed(seed);
	demand_alloc(&in->d, NDEM);
	memset(&in->c, 0, sizeof in->c);
	for (size_t i = 0; i < NDEM; i++) {
		set_point(&in->d, i, urand(100000, 115000), urand(400000, 415000), urand(1, 100),
			  dem_gm[(size_t)(rnd() * 4)], 0);
		in->d.residents[i] = in->d.weight[i] * 0.8;
		in->d.urbanity[i] = (uint8_t)(1 + (int)(rnd() * 5));
	}
	for (size_t j = 0; j < NCAND; j++)
		assert_int_equal(candidates_add(&in->c, urand(99000, 116000), urand(399000, 416000),
						rnd() < 0.1, CAND_SITE, cand_gm[(size_t)(rnd() * 5)],
						(int64_t)j), 0);
}

static void inst_free(struct inst *in)
{
	demand_free(&in->d);
	candidates_free(&in->c);
}

static struct cover_model *build(const struct inst *in, const struct cover_params *p,
				 int32_t **ga)
{
	struct cover_model *m = NULL;
	char err[256] = "";
	if (cover_build(&in->d, &in->c, p, &m, ga, err, sizeof err) != 0) {
		print_error("cover_build: %s\n", err);
		fail();
	}
	assert_non_null(m);
	assert_non_null(*ga);
	return m;
}

static double inst_dist(const struct inst *in, size_t i, size_t j)
{
	double dx = in->d.xy[2 * i] - in->c.xy[2 * j], dy = in->d.xy[2 * i + 1] - in->c.xy[2 * j + 1];
	return sqrt(dx * dx + dy * dy);
}

/* Candidate j's list: no duplicates, nearest first, true distances, exactly the brute set. */
static void check_list(const struct inst *in, const struct cover_params *p,
		       const struct cover_model *m, size_t j, uint32_t *mark)
{
	size_t want = 0;
	for (uint32_t e = m->cand_off[j]; e < m->cand_off[j + 1]; e++) {
		uint32_t i = m->cand_dem[e];
		assert_true(i < NDEM);
		assert_true(mark[i] != j + 1);
		mark[i] = (uint32_t)j + 1;
		assert_true(fabs(m->cand_dist_m[e] - inst_dist(in, i, j)) < 1e-3);
		if (e > m->cand_off[j])
			assert_true(m->cand_dist_m[e - 1] <= m->cand_dist_m[e]);
	}
	for (size_t i = 0; i < NDEM; i++) {
		int in_reach = inst_dist(in, i, j) * p->detour_factor <=
			       p->radius_m[in->d.urbanity[i] - 1];
		want += (size_t)in_reach;
		if (in_reach != (mark[i] == j + 1)) {
			print_error("candidate %zu, point %zu: listed %d, in reach %d\n", j, i,
				    mark[i] == j + 1, in_reach);
			fail();
		}
	}
	assert_int_equal(m->cand_off[j + 1] - m->cand_off[j], want);
}

static int listed(const struct cover_model *m, uint32_t j, uint32_t i)
{
	for (uint32_t e = m->cand_off[j]; e < m->cand_off[j + 1]; e++)
		if (m->cand_dem[e] == i)
			return 1;
	return 0;
}

static void check_transpose(const struct cover_model *m)
{
	assert_int_equal(m->dem_off[0], 0);
	assert_int_equal(m->dem_off[m->ndemand], m->cand_off[m->ncand]);
	for (uint32_t i = 0; i < m->ndemand; i++)
		for (uint32_t e = m->dem_off[i]; e < m->dem_off[i + 1]; e++) {
			assert_true(e == m->dem_off[i] || m->dem_cand[e - 1] < m->dem_cand[e]);
			assert_true(listed(m, m->dem_cand[e], i));
		}
}

static void check_cover(const struct inst *in, const struct cover_params *p,
			const struct cover_model *m)
{
	uint32_t *mark = calloc(NDEM, sizeof *mark);
	assert_non_null(mark);
	assert_int_equal(m->ndemand, NDEM);
	assert_int_equal(m->ncand, NCAND);
	assert_true(m->cand_off[0] == 0 && m->cand_off[NCAND] <= m->nnz);
	for (size_t j = 0; j < NCAND; j++)
		check_list(in, p, m, j, mark);
	check_transpose(m);
	for (size_t i = 0; i < NDEM; i++)
		assert_true(m->weight[i] == in->d.weight[i] && m->residents[i] == in->d.residents[i]);
	for (size_t j = 0; j < NCAND; j++)
		assert_int_equal(m->fixed[j], in->c.fixed[j]);
	free(mark);
}

static void test_cover_brute(void **state)
{
	(void)state;
	struct inst in;
	int32_t *ga = NULL;
	inst_make(&in, 11);
	struct cover_model *m = build(&in, &cover_p10, &ga);
	check_cover(&in, &cover_p10, m);
	assert_true(m->cand_off[NCAND] > 10 * NCAND);     /* not a trivial instance */
	cover_model_free(m);
	free(ga);
	inst_free(&in);
}

static void test_cover_detour(void **state)
{
	(void)state;
	struct inst in;
	int32_t *ga10 = NULL, *ga13 = NULL;
	inst_make(&in, 12);
	struct cover_model *m10 = build(&in, &cover_p10, &ga10);
	struct cover_model *m13 = build(&in, &cover_p13, &ga13);
	check_cover(&in, &cover_p13, m13);
	assert_true(m13->cand_off[NCAND] < m10->cand_off[NCAND]);
	for (uint32_t j = 0; j < NCAND; j++)
		for (uint32_t e = m13->cand_off[j]; e < m13->cand_off[j + 1]; e++)
			assert_true(listed(m10, j, m13->cand_dem[e]));
	cover_model_free(m10);
	cover_model_free(m13);
	free(ga10);
	free(ga13);
	inst_free(&in);
}

static void test_cover_groups(void **state)
{
	(void)state;
	struct inst in;
	int32_t *ga = NULL;
	inst_make(&in, 13);
	struct cover_model *m = build(&in, &cover_p10, &ga);
	assert_int_equal(m->ngroups, 5);          /* 2, 5, 9, none, and 12 (candidates only) */
	for (size_t g = 0; g < m->ngroups; g++)
		for (size_t h = 0; h < g; h++)
			assert_true(ga[g] != ga[h]);
	for (size_t i = 0; i < NDEM; i++) {
		assert_true(m->group[i] < m->ngroups);
		assert_int_equal(ga[m->group[i]], in.d.gemeente[i]);
	}
	for (size_t j = 0; j < NCAND; j++) {
		assert_true(m->cand_group[j] < m->ngroups);
		assert_int_equal(ga[m->cand_group[j]], in.c.gemeente[j]);
	}
	cover_model_free(m);
	free(ga);
	inst_free(&in);
}

/* The first candidate reaches no demand point (a site far out at sea): the rest unchanged. */
static void test_cover_far_candidate(void **state)
{
	(void)state;
	struct inst in;
	int32_t *ga = NULL;
	inst_make(&in, 16);
	in.c.xy[0] = 10000;
	in.c.xy[1] = 600000;
	struct cover_model *m = build(&in, &cover_p10, &ga);
	check_cover(&in, &cover_p10, m);
	assert_int_equal(m->cand_off[1], 0);
	cover_model_free(m);
	free(ga);
	inst_free(&in);
}

/* No demand, or no candidates: an empty but valid model. */
static void test_cover_empty(void **state)
{
	(void)state;
	struct inst in;
	int32_t *ga = NULL;
	inst_make(&in, 15);
	size_t nd = in.d.n, nc = in.c.n;
	in.d.n = 0;
	struct cover_model *m = build(&in, &cover_p10, &ga);
	assert_int_equal(m->ndemand, 0);
	assert_int_equal(m->ncand, nc);
	assert_int_equal(m->cand_off[nc], 0);
	cover_model_free(m);
	free(ga);
	in.d.n = nd;
	in.c.n = 0;
	m = build(&in, &cover_p10, &ga);
	assert_int_equal(m->ndemand, nd);
	assert_int_equal(m->cand_off[0], 0);
	assert_int_equal(m->dem_off[nd], 0);
	in.c.n = nc;
	cover_model_free(m);
	free(ga);
	inst_free(&in);
}

/* ---- plan_submodel ---- */

static int covers_masked(const struct cover_model *m, uint32_t j, const uint8_t *mask)
{
	for (uint32_t e = m->cand_off[j]; e < m->cand_off[j + 1]; e++)
		if (mask[m->cand_dem[e]])
			return 1;
	return 0;
}

static void check_submodel(const struct cover_model *m, const uint8_t *mask,
			   const uint32_t *open, size_t nopen)
{
	uint32_t *so = NULL;
	size_t sn = 99, np = 0, want_open = 0, k = 0;
	struct cover_model *s = plan_submodel(m, mask, open, nopen, &so, &sn);
	assert_non_null(s);
	for (size_t i = 0; i < m->ndemand; i++)
		if (mask[i]) {
			assert_true(s->weight[np] == m->weight[i] && s->group[np] == m->group[i]);
			np++;
		}
	for (size_t q = 0; q < nopen; q++)
		want_open += (size_t)covers_masked(m, open[q], mask);
	assert_int_equal(s->ndemand, np);
	assert_int_equal(s->ngroups, m->ngroups);
	assert_int_equal(sn, want_open);
	for (size_t j = 0; j < s->ncand; j++)
		assert_true(s->cand_off[j + 1] > s->cand_off[j]);
	for (size_t j = 0; j < m->ncand; j++)
		k += (size_t)covers_masked(m, (uint32_t)j, mask);
	assert_int_equal(s->ncand, k);
	check_transpose(s);
	check_close(cover_weight(s, so, sn, NULL), cover_weight(m, open, nopen, mask), 1e-12,
		    "sub-model covered weight", (int)np);
	cover_model_free(s);
	free(so);
}

static void test_submodel_masks(void **state)
{
	(void)state;
	struct inst in;
	int32_t *ga = NULL;
	uint32_t open[40];
	uint8_t *mask = malloc(NDEM);
	inst_make(&in, 14);
	struct cover_model *m = build(&in, &cover_p10, &ga);
	assert_non_null(mask);
	for (size_t k = 0; k < 40; k++)
		open[k] = (uint32_t)(k * 6 + 1);       /* distinct, spread over the list */
	for (int kind = 0; kind < 5; kind++) {
		for (size_t i = 0; i < NDEM; i++)
			mask[i] = kind == 0 ? 0 : kind == 1 ? in.d.xy[2 * i] < 107500
				: kind == 2 ? rnd() < 0.3 : kind == 3 ? in.d.gemeente[i] == 5 : 1;
		check_submodel(m, mask, open, 40);
		check_submodel(m, mask, open, 0);
	}
	cover_model_free(m);
	free(ga);
	free(mask);
	inst_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grid_radius_brute),
		cmocka_unit_test(test_grid_radius_stops),
		cmocka_unit_test(test_grid_nearest_brute),
		cmocka_unit_test(test_grid_empty),
		cmocka_unit_test(test_grid_identical_points),
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
		cmocka_unit_test(test_demand_weight_table),
		cmocka_unit_test_setup_teardown(test_demand_sources, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(test_demand_sums, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(test_demand_unknown_and_dropped, model_setup,
						model_teardown),
		cmocka_unit_test_setup_teardown(test_demand_points_inside, model_setup,
						model_teardown),
		cmocka_unit_test_setup_teardown(test_demand_lake, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(test_demand_links, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(test_demand_partial_cells, model_setup,
						model_teardown),
		cmocka_unit_test_setup_teardown(test_demand_cell_points, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(test_demand_regions, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(test_candidates_areas, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(test_candidates_big_blocks, model_setup,
						model_teardown),
		cmocka_unit_test(test_candidates_cell_blocks),
		cmocka_unit_test_setup_teardown(test_candidates_add_kept, model_setup,
						model_teardown),
		cmocka_unit_test(test_cover_brute),
		cmocka_unit_test(test_cover_detour),
		cmocka_unit_test(test_cover_groups),
		cmocka_unit_test(test_submodel_masks),
		/* Last: under UBSan these two abort the binary (see the report). */
		cmocka_unit_test(test_cover_far_candidate),
		cmocka_unit_test(test_cover_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
