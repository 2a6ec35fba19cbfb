/* Unit tests for plan/demand.c on the hand-made model of tests/lib/demand_fx.c: the
 * weight table, demand from the finest layer only, exact sums per source, unknown and
 * dropped areas, points inside their areas and on the grid, a lake, area links, one point
 * per cell at its centre, and regions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/demand.h"
#include "tests/lib/demand_fx.h"
#include "tests/lib/wkb_fx.h"

static void test_demand_weight_table(void **state)
{
	(void)state;
	const struct demand_params p = {200, 500, 0.5, 0.3, 200, "", NULL};
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

int main(void)
{
	const struct CMUnitTest tests[] = {
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
