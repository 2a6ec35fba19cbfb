/* Unit tests for candidate generation in plan/candidates.c: generated candidates on the
 * hand-made model (tests/lib/demand_fx.c) sit on demand points of their own source, one per
 * (owner, block), fewer with bigger blocks; cell blocks per gemeente on hand-placed points;
 * imported sites keep their flags and ids through growth and generation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/candidates.h"
#include "tests/lib/demand_fx.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_candidates_areas, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(test_candidates_big_blocks, model_setup,
						model_teardown),
		cmocka_unit_test(test_candidates_cell_blocks),
		cmocka_unit_test_setup_teardown(test_candidates_add_kept, model_setup,
						model_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
