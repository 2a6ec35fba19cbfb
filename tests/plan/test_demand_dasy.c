/* Unit tests for dasymetric spreading (plan/demand_dasy.c through demand_build): the
 * issue's hand-made case (old polygons of 900 and 100 inside one area of 1,000), an area
 * partly outside the old layer, an area without old coverage (even, as before), the 65+
 * and no-car weights, an old polygon crossing two areas (land measured across both),
 * degenerate old geometry ignored, a collapsed sliver's residents on the uncovered land, buurten never spread, and the layer choice. */
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

#include "plan/demand.h"
#include "plan/demand_dasy.h"
#include "tests/lib/wkb_fx.h"

#define LAYER "buurten_2015"
#define MAXA 6

/* A hand-made world: areas[0] is GM0001 (its land is the union of the wijken), then
 * wijken WK000101.. side by side, 1 km wide, 1 km tall, and old polygons in refs. */
struct world {
	struct geom_ctx *g;
	struct plan_area a[MAXA];
	struct wkb w[MAXA];
	size_t n;
	struct demand_refs refs;
	struct demand_params p;
	struct demand d;
};

static int32_t region0(void *user, const char *gm)
{
	(void)user;
	(void)gm;
	return 0;
}

static void area(struct world *x, int level, const char *code, const char *wk, double res,
		 struct wkb w)
{
	struct plan_area *a = &x->a[x->n];
	memset(a, 0, sizeof *a);
	x->w[x->n] = w;
	a->level = level;
	snprintf(a->code, sizeof a->code, "%.*s", (int)sizeof a->code - 1, code);
	snprintf(a->gemeente_code, sizeof a->gemeente_code, "%s", level == PLAN_GEMEENTE ? "" : "GM0001");
	snprintf(a->wijk_code, sizeof a->wijk_code, "%.*s", (int)sizeof a->wijk_code - 1,
		 wk ? wk : "");
	a->residents = res;
	a->residents_65plus = a->pct_65plus = a->cars_per_household = NAN;
	a->households = NAN;
	a->address_density = NAN;
	a->urbanity = 1;
	x->n++;
}

static void world_init(struct world *x, size_t nwijken, const double *res)
{
	memset(x, 0, sizeof *x);
	assert_non_null(x->g = geom_ctx_new());
	area(x, PLAN_GEMEENTE, "GM0001", NULL, NAN, rect(0, 0, 1000.0 * (double)nwijken, 1000));
	for (size_t k = 0; k < nwijken; k++) {
		char code[32];
		snprintf(code, sizeof code, "WK0001%02d", (int)(k + 1) % 100);
		area(x, PLAN_WIJK, code, code, res[k],
		     rect(1000.0 * (double)k, 0, 1000.0 * (double)(k + 1), 1000));
	}
	x->p = (struct demand_params){100, 100, 0.5, 0.3, 200, LAYER, &x->refs};
}

static void old(struct world *x, double res, struct wkb w)
{
	char err[256];
	assert_int_equal(demand_refs_add(&x->refs, LAYER, res, w.b, w.n, err, sizeof err), 0);
}

static void build(struct world *x)
{
	char err[256] = "";
	for (size_t i = 0; i < x->n; i++) {
		x->a[i].wkb = x->w[i].b;
		x->a[i].wkb_len = x->w[i].n;
	}
	int rc = demand_refs_land(x->g, &x->refs, x->a, x->n, err, sizeof err);
	if (rc == 0)
		rc = demand_build(x->g, x->a, x->n, region0, NULL, &x->p, &x->d, err, sizeof err);
	if (rc != 0)
		print_error("%s\n", err);
	assert_int_equal(rc, 0);
}

static void world_free(struct world *x)
{
	demand_free(&x->d);
	demand_refs_free(&x->refs);
	geom_ctx_free(x->g);
}

/* Residents of area i's points within [x0,x1) x [y0,y1). */
static double sum_in(const struct world *x, int32_t i, double x0, double y0, double x1,
		     double y1, const double *what)
{
	double s = 0;
	for (size_t j = 0; j < x->d.n; j++) {
		double px = x->d.xy[2 * j], py = x->d.xy[2 * j + 1];
		if (x->d.area[j] == i && px >= x0 && px < x1 && py >= y0 && py < y1)
			s += what[j];
	}
	return s;
}

static double area_sum(const struct world *x, int32_t i)
{
	return sum_in(x, i, -1e9, -1e9, 1e9, 1e9, x->d.residents);
}

static void test_dasy_hand_made(void **state)
{
	(void)state;
	struct world x;
	world_init(&x, 1, (double[]){1000});
	old(&x, 900, rect(0, 0, 1000, 900));
	old(&x, 100, rect(0, 900, 1000, 1000));
	build(&x);
	assert_int_equal(x.d.n, 100);
	check_close(sum_in(&x, 1, 0, 0, 1000, 900, x.d.residents), 900, 1e-12, "south", 0);
	check_close(sum_in(&x, 1, 0, 900, 1000, 1000, x.d.residents), 100, 1e-12, "north", 0);
	check_close(area_sum(&x, 1), 1000, 1e-14, "sum", 0);
	assert_string_equal(x.a[1].spread, LAYER);
	assert_null(x.a[0].spread);   /* the gemeente is no demand source */
	world_free(&x);
}

/* Today's residents, not the old ones, are spread: 2,000 now, 900/100 then. */
static void test_dasy_scales_to_today(void **state)
{
	(void)state;
	struct world x;
	world_init(&x, 1, (double[]){2000});
	old(&x, 900, rect(0, 0, 1000, 900));
	old(&x, 100, rect(0, 900, 1000, 1000));
	build(&x);
	check_close(sum_in(&x, 1, 0, 0, 1000, 900, x.d.residents), 1800, 1e-12, "south", 0);
	check_close(area_sum(&x, 1), 2000, 1e-14, "sum", 0);
	world_free(&x);
}

/* The south half is covered (100 residents on 0.2 km2, 300 on 0.3 km2), the north half
 * is not: the north keeps the even share (half the residents), the south shares the
 * rest by density, 20 x 500 : 30 x 1000 = 1:3. */
static void test_dasy_partly_covered(void **state)
{
	(void)state;
	struct world x;
	world_init(&x, 1, (double[]){1000});
	old(&x, 100, rect(0, 0, 1000, 200));
	old(&x, 300, rect(0, 200, 1000, 500));
	build(&x);
	check_close(sum_in(&x, 1, 0, 0, 1000, 200, x.d.residents), 125, 1e-12, "old 1", 0);
	check_close(sum_in(&x, 1, 0, 200, 1000, 500, x.d.residents), 375, 1e-12, "old 2", 0);
	check_close(sum_in(&x, 1, 0, 500, 1000, 1000, x.d.residents), 500, 1e-12, "rest", 0);
	for (size_t j = 0; j < x.d.n; j++)
		if (x.d.xy[2 * j + 1] > 500)
			check_close(x.d.residents[j], 10, 1e-12, "even point", (int)j);
	check_close(area_sum(&x, 1), 1000, 1e-14, "sum", 0);
	assert_string_equal(x.a[1].spread, LAYER);
	world_free(&x);
}

/* No old polygon reaches the area (one lies 5 km away), and old polygons with no
 * residents at all: even spread as before, labelled so. */
static void test_dasy_no_coverage_is_even(void **state)
{
	(void)state;
	struct world x;
	world_init(&x, 2, (double[]){1000, 500});
	old(&x, 900, rect(5000, 0, 6000, 1000));
	old(&x, 0, rect(1000, 0, 2000, 1000));
	build(&x);
	for (size_t j = 0; j < x.d.n; j++)
		check_close(x.d.residents[j], x.d.area[j] == 1 ? 10 : 5, 1e-12, "even", (int)j);
	assert_string_equal(x.a[1].spread, "even");
	assert_string_equal(x.a[2].spread, "even");
	world_free(&x);
}

/* The 65+ count and the no-car extra follow the residents' split. */
static void test_dasy_weights_follow(void **state)
{
	(void)state;
	struct world x;
	world_init(&x, 1, (double[]){1000});
	x.a[1].pct_65plus = 20;
	x.a[1].cars_per_household = 0.5;
	x.a[1].urbanity = 4;
	old(&x, 900, rect(0, 0, 1000, 900));
	old(&x, 100, rect(0, 900, 1000, 1000));
	build(&x);
	double w = demand_weight(&x.p, 1000, 200, 4, 0.5);
	check_close(sum_in(&x, 1, 0, 0, 1000, 900, x.d.vulnerable), 180, 1e-12, "65+ south", 0);
	check_close(sum_in(&x, 1, 0, 900, 1000, 1000, x.d.vulnerable), 20, 1e-12, "65+ north", 0);
	check_close(sum_in(&x, 1, 0, 0, 1000, 900, x.d.weight), 0.9 * w, 1e-12, "w south", 0);
	check_close(sum_in(&x, 1, 0, 900, 1000, 1000, x.d.weight), 0.1 * w, 1e-12, "w north", 0);
	world_free(&x);
}

/* An old polygon across two wijken: its density uses its land in both (1 km2), so each
 * wijk's split follows the old densities 200 | 1000 | 1800 per km2. */
static void test_dasy_crossing_polygon(void **state)
{
	(void)state;
	struct world x;
	world_init(&x, 2, (double[]){1000, 1000});
	old(&x, 100, rect(0, 0, 500, 1000));
	old(&x, 1000, rect(500, 0, 1500, 1000));
	old(&x, 900, rect(1500, 0, 2000, 1000));
	build(&x);
	check_close(x.refs.areas[1].land_m2, 1e6, 1e-9, "land across", 0);
	check_close(sum_in(&x, 1, 0, 0, 500, 1000, x.d.residents), 1000.0 / 6, 1e-12, "W1 w", 0);
	check_close(sum_in(&x, 1, 500, 0, 1000, 1000, x.d.residents), 5000.0 / 6, 1e-12, "W1 e",
		    0);
	check_close(sum_in(&x, 2, 1000, 0, 1500, 1000, x.d.residents), 1000.0 * 10 / 28, 1e-12,
		    "W2 w", 0);
	check_close(area_sum(&x, 1), 1000, 1e-14, "sum 1", 0);
	check_close(area_sum(&x, 2), 1000, 1e-14, "sum 2", 0);
	world_free(&x);
}

/* A sliver (collapsed by simplification: 2 m x 1 m) with 500 residents lies in the
 * uncovered north half: the uncovered points carry its 500 against the south's 100, so
 * the north gets 5/6 of today's residents. A sliver outside the area adds nothing. */
static void test_dasy_lost_sliver(void **state)
{
	(void)state;
	struct world x;
	world_init(&x, 2, (double[]){1200, 100});
	old(&x, 100, rect(0, 0, 1000, 500));
	old(&x, 500, rect(400, 700, 402, 701));
	old(&x, 1e6, rect(1400, 700, 1402, 701));
	old(&x, 100, rect(1000, 0, 2000, 1000));
	build(&x);
	/* per point: south 100 / 0.5 km2 = 200 per km2; north 500 / (50 points x 0.01 km2) */
	check_close(sum_in(&x, 1, 0, 500, 1000, 1000, x.d.residents), 1000, 1e-12, "north", 0);
	check_close(sum_in(&x, 1, 0, 0, 1000, 500, x.d.residents), 200, 1e-12, "south", 0);
	check_close(area_sum(&x, 2), 100, 1e-14, "sum 2", 0);
	world_free(&x);
}

/* A little-endian WKB LineString from (x0, y0) to (x1, y1). */
static struct wkb line(double x0, double y0, double x1, double y1)
{
	struct wkb w = {.n = 0};
	uint8_t b[1 + 4 + 4 + 32] = {1, 2, 0, 0, 0, 2, 0, 0, 0};
	const double v[4] = {x0, y0, x1, y1};
	memcpy(b + 9, v, sizeof v);
	memcpy(w.b, b, sizeof b);
	w.n = sizeof b;
	return w;
}

/* A line, a point, a zero-area polygon and a polygon of unknown residents are ignored:
 * only the two real old polygons spread. */
static void test_dasy_degenerate_ignored(void **state)
{
	(void)state;
	struct world x;
	uint8_t pt[21];
	world_init(&x, 1, (double[]){1000});
	old(&x, 1e6, line(0, 950, 1000, 950));
	geom_point_wkb(50, 950, pt);
	struct wkb p = {.n = 21};
	memcpy(p.b, pt, 21);
	old(&x, 1e6, p);
	old(&x, 1e6, rect(0, 900, 0, 1000));
	old(&x, NAN, rect(0, 0, 1000, 1000));
	old(&x, 900, rect(0, 0, 1000, 900));
	old(&x, 100, rect(0, 900, 1000, 1000));
	build(&x);
	for (int k = 0; k < 4; k++)
		assert_true(isnan(x.refs.areas[k].land_m2) || isnan(x.refs.areas[k].residents));
	check_close(sum_in(&x, 1, 0, 900, 1000, 1000, x.d.residents), 100, 1e-12, "north", 0);
	check_close(area_sum(&x, 1), 1000, 1e-14, "sum", 0);
	world_free(&x);
}

/* Buurten are as fine as the old layer: never spread by it. */
static void test_dasy_buurt_not_spread(void **state)
{
	(void)state;
	struct world x;
	world_init(&x, 1, (double[]){1000});
	area(&x, PLAN_BUURT, "BU00010101", "WK000101", 1000, rect(0, 0, 1000, 1000));
	old(&x, 900, rect(0, 0, 1000, 900));
	old(&x, 100, rect(0, 900, 1000, 1000));
	build(&x);
	assert_null(x.a[1].spread);   /* the wijk has a buurt: not a source */
	assert_string_equal(x.a[2].spread, "even");
	check_close(sum_in(&x, 2, 0, 900, 1000, 1000, x.d.residents), 100, 1e-12, "even", 0);
	world_free(&x);
}

static void test_dasy_choose(void **state)
{
	(void)state;
	struct world x;
	char err[256];
	int32_t layer;
	world_init(&x, 1, (double[]){1000});
	old(&x, 10, rect(0, 0, 500, 500));
	struct wkb r = rect(0, 0, 100, 100);
	for (int k = 0; k < 3; k++)
		assert_int_equal(demand_refs_add(&x.refs, "grid_2015", 1, r.b, r.n, err, sizeof err),
				 0);
	assert_int_equal(demand_refs_add(&x.refs, "", 1, r.b, r.n, err, sizeof err), -EINVAL);
	build(&x);
	assert_int_equal(demand_refs_choose(&x.refs, "auto", &layer, err, sizeof err), 0);
	assert_string_equal(x.refs.layers[layer], "grid_2015");
	assert_int_equal(demand_refs_choose(&x.refs, "none", &layer, err, sizeof err), 0);
	assert_int_equal(layer, -1);
	assert_int_equal(demand_refs_choose(&x.refs, LAYER, &layer, err, sizeof err), 0);
	assert_int_equal(layer, 0);
	assert_int_equal(demand_refs_choose(&x.refs, "wijken_1999", &layer, err, sizeof err),
			 -ENOENT);
	assert_non_null(strstr(err, "wijken_1999"));
	assert_non_null(strstr(err, "grid_2015"));
	/* An unknown layer named in the parameters fails the demand build. */
	demand_free(&x.d);
	snprintf(x.p.spread_layer, sizeof x.p.spread_layer, "wijken_1999");
	assert_int_equal(demand_build(x.g, x.a, x.n, region0, NULL, &x.p, &x.d, err, sizeof err),
			 -ENOENT);
	world_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dasy_hand_made),
		cmocka_unit_test(test_dasy_scales_to_today),
		cmocka_unit_test(test_dasy_partly_covered),
		cmocka_unit_test(test_dasy_no_coverage_is_even),
		cmocka_unit_test(test_dasy_weights_follow),
		cmocka_unit_test(test_dasy_crossing_polygon),
		cmocka_unit_test(test_dasy_degenerate_ignored),
		cmocka_unit_test(test_dasy_lost_sliver),
		cmocka_unit_test(test_dasy_buurt_not_spread),
		cmocka_unit_test(test_dasy_choose),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
