/* Unit tests for plan/backup.c: sizing arithmetic on hand-made areas (table-driven), battery
 * placement on the demand points of a concave land polygon with totals that agree, the
 * support-point and care costs, the budget ranking (score, order, skip-and-continue, limits)
 * and plan-wide invariants on seeded random instances. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/backup.h"

#define EPS 1e-6

/* ---- helpers ---- */

static uint64_t rng_state;

static double rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

static void assert_close(double got, double want)
{
	double tol = EPS * fmax(1.0, fabs(want));
	if (fabs(got - want) > tol)
		fail_msg("got %.12g, want %.12g", got, want);
}

static struct backup_params defaults(void)
{
	struct backup_params p;
	backup_params_default(&p);
	return p;
}

/* A single demand point at the origin: enough for sizing. */
static const double one_xy[2] = {0, 0};
static const double one_w[1] = {1};

static struct backup_area area_of(double households, double residents, int urbanity,
				  double density)
{
	return (struct backup_area){.households = households, .residents = residents,
				    .urbanity = urbanity, .address_density = density,
				    .xy = one_xy, .weight = one_w, .npoints = 1};
}

/* ---- a concave land polygon (a U; the notch between the arms is water) ---- */

static const double land[][2] = {{0, 0},   {30, 0},  {30, 30}, {20, 30},
				 {20, 10}, {10, 10}, {10, 30}, {0, 30}};
#define NLAND (sizeof land / sizeof land[0])

static int in_land(double x, double y)
{
	int in = 0;
	for (size_t i = 0, j = NLAND - 1; i < NLAND; j = i++) {
		double xi = land[i][0], yi = land[i][1], xj = land[j][0], yj = land[j][1];
		if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
			in = !in;
	}
	return in;
}

struct points {
	double xy[2 * 256];
	double w[256];
	size_t n;
};

/* Demand points on a grid inside the land; weights vary, some are zero. */
static void sample_land(struct points *pts)
{
	pts->n = 0;
	for (double y = 1; y < 30; y += 2.5)
		for (double x = 1; x < 30; x += 2.5) {
			if (!in_land(x, y))
				continue;
			pts->xy[2 * pts->n] = x;
			pts->xy[2 * pts->n + 1] = y;
			pts->w[pts->n] = (double)(pts->n % 7) * (pts->n % 3 ? 1.0 : 0.0);
			pts->n++;
		}
	assert_true(pts->n > 40 && pts->n < 256);
}

static int is_demand_point(const struct backup_area *a, double x, double y)
{
	for (size_t k = 0; k < a->npoints; k++)
		if (a->xy[2 * k] == x && a->xy[2 * k + 1] == y)
			return 1;
	return 0;
}

/* ---- defaults ---- */

static void test_defaults(void **state)
{
	(void)state;
	struct backup_params p = defaults();
	assert_close(p.household_kwh, 6.0);
	assert_close(p.household_kw, 0.5);
	assert_close(p.households_per_battery, 175);
	assert_close(p.battery_eur_per_kwh, 400);
	assert_close(p.home_battery_kwh, 6.0);
	assert_close(p.home_eur_per_kwh, 800);
	assert_close(p.local_point_kwh, 360);
	assert_close(p.regional_point_kva, 30);
	assert_close(p.budget_eur, 1.0e9);
}

/* ---- sizing arithmetic ---- */

struct sizing_case {
	const char *name;
	double households, residents;
	int urbanity;
	double density, home_share;
	size_t npoints;
	double want_households;
	int want_wijk;
	double want_wijk_kwh, want_wijk_kw;
	int want_home;
	double want_home_kwh, want_cost;
};

static const struct sizing_case sizing_cases[] = {
	{"class 1, 350 hh", 350, 700, 1, NAN, 1, 1, 350, 2, 2100, 175, 0, 0, 2100 * 400.0},
	{"class 1, 176 hh", 176, 0, 1, NAN, 1, 1, 176, 2, 1056, 88, 0, 0, 1056 * 400.0},
	{"class 2, 175 hh", 175, 0, 2, NAN, 1, 1, 175, 1, 1050, 87.5, 0, 0, 1050 * 400.0},
	{"class 3, 1 hh", 1, 0, 3, NAN, 1, 1, 1, 1, 6, 0.5, 0, 0, 6 * 400.0},
	{"class 4 below density", 100, 0, 4, 749, 1, 1, 100, 0, 0, 0, 100, 600, 600 * 800.0},
	{"class 4 at density", 100, 0, 4, 750, 1, 1, 100, 1, 600, 50, 0, 0, 600 * 400.0},
	{"class 4 above density", 400, 0, 4, 2000, 1, 1, 400, 3, 2400, 200, 0, 0, 2400 * 400.0},
	{"class 4 unknown density", 100, 0, 4, NAN, 1, 1, 100, 0, 0, 0, 100, 600, 600 * 800.0},
	{"class 5, share 1", 40, 0, 5, 5000, 1, 1, 40, 0, 0, 0, 40, 240, 240 * 800.0},
	{"class 5, share 0.3", 101, 0, 5, NAN, 0.3, 1, 101, 0, 0, 0, 31, 186, 186 * 800.0},
	{"class 5, share 0.25", 100, 0, 5, NAN, 0.25, 1, 100, 0, 0, 0, 25, 150, 150 * 800.0},
	{"unknown hh, class 1", NAN, 735, 1, NAN, 1, 1, 350, 2, 2100, 175, 0, 0, 2100 * 400.0},
	{"unknown hh, class 5", NAN, 210, 5, NAN, 0.5, 1, 100, 0, 0, 0, 50, 300, 300 * 800.0},
	{"unknown hh, no residents", NAN, 0, 1, NAN, 1, 1, 0, 0, 0, 0, 0, 0, 0},
	{"zero hh, class 1", 0, 500, 1, NAN, 1, 1, 0, 0, 0, 0, 0, 0, 0},
	{"zero hh, class 5", 0, 500, 5, NAN, 1, 1, 0, 0, 0, 0, 0, 0, 0},
	{"no points, class 1", 350, 700, 1, NAN, 1, 0, 350, 0, 0, 0, 0, 0, 0},
	{"no points, class 5", 100, 200, 5, NAN, 1, 0, 100, 0, 0, 0, 0, 0, 0},
};

static void check_sizing(const struct sizing_case *c, const struct backup_result *r,
			 const struct backup_plan *plan)
{
	assert_close(r->households, c->want_households);
	assert_int_equal(r->wijk_batteries, c->want_wijk);
	assert_close(r->wijk_kwh, c->want_wijk_kwh);
	assert_close(r->wijk_kw, c->want_wijk_kw);
	assert_int_equal(r->home_batteries, c->want_home);
	assert_close(r->home_kwh, c->want_home_kwh);
	assert_close(r->cost_eur, c->want_cost);
	assert_close(r->protected_households, c->want_wijk ? c->want_households : c->want_home);
	assert_int_equal(r->nbatteries, (size_t)c->want_wijk);
	assert_int_equal(plan->nbatteries, (size_t)c->want_wijk);
	if (c->want_cost == 0)
		assert_true(r->score == 0 && !r->funded);
}

static void test_sizing(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof sizing_cases / sizeof sizing_cases[0]; i++) {
		const struct sizing_case *c = &sizing_cases[i];
		struct backup_params p = defaults();
		struct backup_area a =
			area_of(c->households, c->residents, c->urbanity, c->density);
		struct backup_plan plan;
		p.home_share = c->home_share;
		a.npoints = c->npoints;
		print_message("sizing: %s\n", c->name);
		assert_int_equal(backup_compute(&p, &a, 1, 0, 0, NULL, 0, &plan), 0);
		check_sizing(c, &plan.areas[0], &plan);
		backup_plan_free(&plan);
	}
}

/* ---- placement on land, totals that agree ---- */

static void check_placement(const struct backup_area *a, const struct backup_plan *plan,
			    int want_n)
{
	const struct backup_result *r = &plan->areas[0];
	double kwh = 0, kw = 0, hh = 0;
	assert_int_equal(r->wijk_batteries, want_n);
	assert_int_equal(r->nbatteries, (size_t)want_n);
	assert_int_equal(r->first_battery, 0);
	assert_int_equal(plan->nbatteries, (size_t)want_n);
	for (size_t b = 0; b < r->nbatteries; b++) {
		const struct backup_battery *bt = &plan->batteries[r->first_battery + b];
		assert_int_equal(bt->area, 0);
		assert_true(is_demand_point(a, bt->x, bt->y));
		assert_true(in_land(bt->x, bt->y));
		kwh += bt->kwh, kw += bt->kw, hh += bt->households;
	}
	assert_close(kwh, r->wijk_kwh);
	assert_close(kw, r->wijk_kw);
	assert_close(hh, r->households);
}

static void test_placement_on_land(void **state)
{
	(void)state;
	static const struct {
		double households;
		int want_n;
	} cases[] = {{1, 1}, {175, 1}, {176, 2}, {1000, 6}, {5000, 29}, {20000, 115}};
	struct points pts;
	struct backup_params p = defaults();
	sample_land(&pts);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct backup_area a = {.households = cases[i].households, .urbanity = 1,
					.xy = pts.xy, .weight = pts.w, .npoints = pts.n};
		struct backup_plan plan;
		print_message("placement: %g households\n", cases[i].households);
		assert_int_equal(backup_compute(&p, &a, 1, 0, 0, NULL, 0, &plan), 0);
		check_placement(&a, &plan, cases[i].want_n);
		backup_plan_free(&plan);
	}
}

/* Equal weights and more points than batteries: each battery gets a point of its own. */
static void test_placement_spreads(void **state)
{
	(void)state;
	struct points pts;
	struct backup_params p = defaults();
	sample_land(&pts);
	for (size_t k = 0; k < pts.n; k++)
		pts.w[k] = 1;
	for (int n = 1; n <= 12; n++) {
		struct backup_area a = {.households = 175.0 * n, .urbanity = 3, .xy = pts.xy,
					.weight = pts.w, .npoints = pts.n};
		struct backup_plan plan;
		assert_int_equal(backup_compute(&p, &a, 1, 0, 0, NULL, 0, &plan), 0);
		check_placement(&a, &plan, n);
		for (size_t i = 0; i < plan.nbatteries; i++)
			for (size_t j = 0; j < i; j++)
				assert_false(plan.batteries[i].x == plan.batteries[j].x &&
					     plan.batteries[i].y == plan.batteries[j].y);
		backup_plan_free(&plan);
	}
}

/* Ten batteries on three points: every battery still exists, on a shared point. */
static void test_more_batteries_than_points(void **state)
{
	(void)state;
	static const double xy[] = {1, 1, 5, 2, 9, 1};
	static const double w[][3] = {{1, 1, 1}, {100, 1, 1}, {0, 0, 0}, {1, 1, 100}};
	struct backup_params p = defaults();
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
		struct backup_area a = {.households = 1750, .urbanity = 2, .xy = xy,
					.weight = w[i], .npoints = 3};
		struct backup_plan plan;
		assert_int_equal(backup_compute(&p, &a, 1, 0, 0, NULL, 0, &plan), 0);
		check_placement(&a, &plan, 10);
		backup_plan_free(&plan);
	}
}

static void test_placement_deterministic(void **state)
{
	(void)state;
	struct points pts;
	struct backup_params p = defaults();
	struct backup_plan one, two;
	sample_land(&pts);
	struct backup_area a = {.households = 3000, .urbanity = 1, .xy = pts.xy,
				.weight = pts.w, .npoints = pts.n};
	assert_int_equal(backup_compute(&p, &a, 1, 0, 0, NULL, 0, &one), 0);
	assert_int_equal(backup_compute(&p, &a, 1, 0, 0, NULL, 0, &two), 0);
	assert_int_equal(one.nbatteries, two.nbatteries);
	for (size_t b = 0; b < one.nbatteries; b++) {
		assert_true(one.batteries[b].x == two.batteries[b].x);
		assert_true(one.batteries[b].y == two.batteries[b].y);
		assert_true(one.batteries[b].kwh == two.batteries[b].kwh);
	}
	backup_plan_free(&one);
	backup_plan_free(&two);
}

/* Several areas: each area's rows are its own, contiguous, and sum to its totals. */
static void test_battery_rows_per_area(void **state)
{
	(void)state;
	struct points pts;
	struct backup_params p = defaults();
	struct backup_area a[4];
	struct backup_plan plan;
	sample_land(&pts);
	for (size_t i = 0; i < 4; i++)
		a[i] = (struct backup_area){.households = 300.0 * (double)(i + 1),
					    .urbanity = i == 2 ? 5 : 1, .xy = pts.xy,
					    .weight = pts.w, .npoints = pts.n};
	assert_int_equal(backup_compute(&p, a, 4, 0, 0, NULL, 0, &plan), 0);
	size_t next = 0;
	double total_kwh = 0;
	for (size_t i = 0; i < 4; i++) {
		const struct backup_result *r = &plan.areas[i];
		assert_int_equal(r->first_battery, next);
		assert_int_equal(r->nbatteries, (size_t)r->wijk_batteries);
		for (size_t b = r->first_battery; b < r->first_battery + r->nbatteries; b++) {
			assert_int_equal(plan.batteries[b].area, i);
			total_kwh += plan.batteries[b].kwh;
		}
		next += r->nbatteries;
	}
	assert_int_equal(plan.nbatteries, next);
	assert_close(total_kwh,
		     plan.areas[0].wijk_kwh + plan.areas[1].wijk_kwh + plan.areas[3].wijk_kwh);
	backup_plan_free(&plan);
}

/* ---- support points and care generators ---- */

static void test_points_and_care_cost(void **state)
{
	(void)state;
	static const struct {
		size_t local, regional;
	} cases[] = {{0, 0}, {1, 0}, {0, 1}, {2, 3}, {1000, 25}};
	struct backup_params p = defaults();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct backup_plan plan;
		assert_int_equal(backup_compute(&p, NULL, 0, cases[i].local, cases[i].regional,
						NULL, 0, &plan), 0);
		assert_close(plan.points_cost_eur,
			     cases[i].local * 360 * 400.0 + cases[i].regional * 30 * 500.0);
		assert_close(plan.care_cost_eur, 0);
		assert_close(plan.funded_cost_eur + plan.unfunded_cost_eur, 0);
		backup_plan_free(&plan);
	}
}

/* A generator per institution: 1 kVA per bed (or client), at least 20 kVA (also when the
 * figure is unknown), 500 EUR per kVA with its fuel; score care_weight * people / cost. */
static void test_generator_sizing(void **state)
{
	(void)state;
	static const struct backup_institution in[] = {{120}, {5}, {NAN}, {0}, {-3}, {2500}};
	static const double kva[] = {120, 20, 20, 20, 20, 2500}, people[] = {120, 5, 0, 0, 0, 2500};
	struct backup_params p = defaults();
	struct backup_plan plan;
	assert_int_equal(backup_compute(&p, NULL, 0, 0, 0, in, 6, &plan), 0);
	assert_int_equal(plan.ngenerators, 6);
	double total = 0;
	for (size_t k = 0; k < 6; k++) {
		const struct backup_generator *g = &plan.generators[k];
		assert_close(g->kva, kva[k]);
		assert_close(g->people, people[k]);
		assert_close(g->cost_eur, kva[k] * 500.0);
		double ranked = people[k] > 0 ? people[k] : 20.0;   /* unknown: 20 kVA / 1 kVA */
		assert_close(g->score, 4.0 * ranked / (kva[k] * 500.0));
		assert_int_equal(g->funded, 1);          /* 1 bn covers them all */
		total += g->cost_eur;
	}
	assert_close(plan.care_cost_eur, total);
	assert_close(plan.funded_cost_eur, total);
	backup_plan_free(&plan);
}

/* Generators and areas share one ranking: with room for one of them, the better score wins;
 * a generator that does not fit is skipped and a cheaper item after it is still funded. */
static void test_generator_ranking(void **state)
{
	(void)state;
	struct backup_params p = defaults();
	struct backup_plan plan;
	/* 350 households of class 1: 2,100 kWh at 400 EUR = EUR 840,000, score about 350 / 840,000 */
	struct backup_area a = area_of(350, 700, 1, NAN);
	/* 1,000 beds: 1,000 kVA, EUR 500,000, score 4,000 / 500,000 (best);
	 * 10 beds: the smallest generator, 20 kVA, EUR 10,000, score 40 / 10,000 (second) */
	static const struct backup_institution in[] = {{1000}, {10}};
	p.budget_eur = 600000;
	assert_int_equal(backup_compute(&p, &a, 1, 0, 0, in, 2, &plan), 0);
	assert_true(plan.generators[0].score > plan.generators[1].score);
	assert_true(plan.generators[1].score > plan.areas[0].score);
	assert_int_equal(plan.generators[1].funded, 1);
	assert_int_equal(plan.generators[0].funded, 1);
	assert_int_equal(plan.areas[0].funded, 0);
	assert_close(plan.funded_cost_eur, 510000);
	assert_close(plan.unfunded_cost_eur, plan.areas[0].cost_eur);
	backup_plan_free(&plan);
	p.budget_eur = 400000;                     /* the big one does not fit, the small one does */
	assert_int_equal(backup_compute(&p, &a, 1, 0, 0, in, 2, &plan), 0);
	assert_int_equal(plan.generators[0].funded, 0);
	assert_int_equal(plan.generators[1].funded, 1);
	assert_int_equal(plan.areas[0].funded, 0);
	backup_plan_free(&plan);
}

/* ---- the score ---- */

struct score_case {
	const char *name;
	double households, residents, over65;
	int urbanity;
	double home_share, want_score;
};

static const struct score_case score_cases[] = {
	/* 175 protected; no elderly; cost 175 * 6 * 400 */
	{"wijk, no 65+", 175, 350, 0, 1, 1, 175 / 420000.0},
	/* 20 % elderly: 35 vulnerable households weigh 0.5 extra */
	{"wijk, 20% 65+", 175, 350, 70, 1, 1, (175 + 0.5 * 35) / 420000.0},
	/* more 65+ than residents: the share is capped at 1 */
	{"wijk, 65+ > residents", 175, 350, 999, 1, 1, (175 * 1.5) / 420000.0},
	/* 10 home batteries protect 10 households; 100 vulnerable, extra only for 10 */
	{"home, extra capped", 100, 200, 200, 5, 0.1, (10 + 0.5 * 10) / 48000.0},
	/* 50 home batteries, 20 vulnerable households: extra for all 20 */
	{"home, vulnerable fit", 100, 200, 40, 5, 0.5, (50 + 0.5 * 20) / 240000.0},
	{"home, no residents", 100, 0, 0, 5, 1, 100 / 480000.0},
};

static void test_score(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof score_cases / sizeof score_cases[0]; i++) {
		const struct score_case *c = &score_cases[i];
		struct backup_params p = defaults();
		struct backup_area a = area_of(c->households, c->residents, c->urbanity, NAN);
		struct backup_plan plan;
		a.residents_65plus = c->over65;
		p.home_share = c->home_share;
		print_message("score: %s\n", c->name);
		assert_int_equal(backup_compute(&p, &a, 1, 0, 0, NULL, 0, &plan), 0);
		assert_close(plan.areas[0].score * 1e6, c->want_score * 1e6);
		backup_plan_free(&plan);
	}
}

/* ---- the budget ranking ---- */

static const size_t LOCAL = 2, REGIONAL = 3;
#define FIXED_COST (2 * 360 * 400.0 + 3 * 30 * 500.0)

static struct backup_area ranked_area(double households, double over65_share, int urbanity)
{
	struct backup_area a = area_of(households, households * 2, urbanity, NAN);
	a.residents_65plus = a.residents * over65_share;
	return a;
}

static void fund_with(double budget, const struct backup_area *a, size_t n,
		      struct backup_plan *plan)
{
	struct backup_params p = defaults();
	p.budget_eur = budget;
	assert_int_equal(backup_compute(&p, a, n, LOCAL, REGIONAL, NULL, 0, plan), 0);
	assert_close(plan->points_cost_eur, FIXED_COST);
}

static void assert_funded(const struct backup_plan *plan, const int *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (plan->areas[i].funded != want[i])
			fail_msg("area %zu: funded %d, want %d", i, plan->areas[i].funded, want[i]);
}

/* B (score 1.5/2400) before A (1/2400) before C (home, 1/4800): room for two. */
static void test_rank_by_score(void **state)
{
	(void)state;
	struct backup_area a[3] = {ranked_area(175, 0, 1), ranked_area(175, 1, 1),
				   ranked_area(100, 0, 5)};
	static const struct {
		double extra;
		int want[3];
	} cases[] = {
		{0, {0, 0, 0}},           {419999, {0, 0, 0}},     {420000, {0, 1, 0}},
		{839999, {0, 1, 0}},      {840000, {1, 1, 0}},     {1319999, {1, 1, 0}},
		{1320000, {1, 1, 1}},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct backup_plan plan;
		print_message("rank: budget points + %g\n", cases[i].extra);
		fund_with(FIXED_COST + cases[i].extra, a, 3, &plan);
		assert_funded(&plan, cases[i].want, 3);
		backup_plan_free(&plan);
	}
}

/* The best area does not fit; the cheaper ones after it still get funded in order. */
static void test_skip_and_continue(void **state)
{
	(void)state;
	struct backup_area a[4] = {ranked_area(350, 1, 1), ranked_area(175, 0, 1),
				   ranked_area(10, 0, 5), ranked_area(20, 0, 5)};
	static const int want[4] = {0, 1, 1, 0};
	struct backup_plan plan;
	/* left 500000: 840000 skipped, 420000 funded, 48000 funded, 96000 > 32000 skipped */
	fund_with(FIXED_COST + 500000, a, 4, &plan);
	assert_funded(&plan, want, 4);
	assert_close(plan.funded_cost_eur, 420000 + 48000);
	assert_close(plan.unfunded_cost_eur, 840000 + 96000);
	backup_plan_free(&plan);
}

/* Equal scores: the earlier area first, so the result does not depend on qsort. */
static void test_ties_by_index(void **state)
{
	(void)state;
	struct backup_area a[5];
	static const int want[5] = {1, 1, 1, 0, 0};
	struct backup_plan plan;
	for (size_t i = 0; i < 5; i++)
		a[i] = ranked_area(175, 0, 2);
	fund_with(FIXED_COST + 3 * 420000 + 1000, a, 5, &plan);
	assert_funded(&plan, want, 5);
	backup_plan_free(&plan);
}

static void test_budget_limits(void **state)
{
	(void)state;
	struct backup_area a[3] = {ranked_area(175, 0, 1), ranked_area(50, 0.3, 5),
				   ranked_area(1, 0, 3)};
	struct backup_params p = defaults();
	struct backup_plan plan;
	p.budget_eur = 0;
	assert_int_equal(backup_compute(&p, a, 3, 0, 0, NULL, 0, &plan), 0);
	for (size_t i = 0; i < 3; i++)
		assert_false(plan.areas[i].funded);
	assert_close(plan.funded_cost_eur, 0);
	backup_plan_free(&plan);
	fund_with(FIXED_COST - 1, a, 3, &plan); /* the points do not even fit */
	for (size_t i = 0; i < 3; i++)
		assert_false(plan.areas[i].funded);
	backup_plan_free(&plan);
	fund_with(1e15, a, 3, &plan);
	for (size_t i = 0; i < 3; i++)
		assert_true(plan.areas[i].funded);
	assert_close(plan.unfunded_cost_eur, 0);
	backup_plan_free(&plan);
}

/* ---- invariants on random instances ---- */

static void random_area(struct backup_area *a)
{
	static const double household_choices[] = {0, 1, 20, 174, 175, 176, 600, 3000};
	*a = area_of(household_choices[(size_t)(rnd() * 8)], 0, 1 + (int)(rnd() * 5),
		     rnd() < 0.2 ? NAN : rnd() * 1500);
	if (rnd() < 0.15)
		a->households = NAN;
	a->residents = rnd() * 5000;
	a->residents_65plus = a->residents * rnd() * 0.6;
}

/* Greedy in score order: nothing unfunded would have fit when its turn came. */
static void check_invariants(const struct backup_params *p, const struct backup_plan *plan,
			     size_t n)
{
	double left = p->budget_eur - plan->points_cost_eur, sum = 0;
	double funded = 0;
	for (size_t i = 0; i < n; i++) {
		const struct backup_result *r = &plan->areas[i];
		sum += r->cost_eur;
		funded += r->funded ? r->cost_eur : 0;
		if (r->cost_eur <= 0 || r->funded)
			continue;
		double before = 0; /* funded cost of areas ranked ahead of i */
		for (size_t j = 0; j < n; j++) {
			const struct backup_result *q = &plan->areas[j];
			if (q->funded && (q->score > r->score || (q->score == r->score && j < i)))
				before += q->cost_eur;
		}
		assert_true(r->cost_eur > left - before);
	}
	assert_close(plan->funded_cost_eur + plan->unfunded_cost_eur, sum);
	assert_close(plan->funded_cost_eur, funded);
	assert_true(plan->funded_cost_eur <= fmax(0, left) + EPS);
}

static void test_random_invariants(void **state)
{
	(void)state;
	struct backup_area a[40];
	rng_state = 5;
	for (int round = 0; round < 200; round++) {
		struct backup_params p = defaults();
		struct backup_plan plan;
		size_t n = 1 + (size_t)(rnd() * 40);
		for (size_t i = 0; i < n; i++)
			random_area(&a[i]);
		p.home_share = rnd();
		p.budget_eur = rnd() * 2.0e7;
		size_t local = (size_t)(rnd() * 10), regional = (size_t)(rnd() * 5);
		assert_int_equal(backup_compute(&p, a, n, local, regional, NULL, 0, &plan), 0);
		check_invariants(&p, &plan, n);
		backup_plan_free(&plan);
	}
}

static void test_free_twice(void **state)
{
	(void)state;
	struct backup_plan plan;
	struct backup_params p = defaults();
	struct backup_area a = area_of(350, 700, 1, NAN);
	static const struct backup_institution in[] = {{40}};
	assert_int_equal(backup_compute(&p, &a, 1, 1, 1, in, 1, &plan), 0);
	backup_plan_free(&plan);
	backup_plan_free(&plan);
	assert_null(plan.areas);
	assert_null(plan.batteries);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_sizing),
		cmocka_unit_test(test_placement_on_land),
		cmocka_unit_test(test_placement_spreads),
		cmocka_unit_test(test_more_batteries_than_points),
		cmocka_unit_test(test_placement_deterministic),
		cmocka_unit_test(test_battery_rows_per_area),
		cmocka_unit_test(test_points_and_care_cost),
		cmocka_unit_test(test_generator_sizing),
		cmocka_unit_test(test_generator_ranking),
		cmocka_unit_test(test_score),
		cmocka_unit_test(test_rank_by_score),
		cmocka_unit_test(test_skip_and_continue),
		cmocka_unit_test(test_ties_by_index),
		cmocka_unit_test(test_budget_limits),
		cmocka_unit_test(test_random_invariants),
		cmocka_unit_test(test_free_twice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
