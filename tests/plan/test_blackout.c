/* Unit tests for plan/blackout.c (plan_fund_points): which open support points keep their
 * backup power when the budget cannot pay for all of them. Hand-made models: the regional
 * points are paid first, the local ones greedily by the weight they add (checked against
 * brute force over every subset), the funded count is what the budget pays, and a budget
 * that pays everything funds everything. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan_internal.h"

#define LOCAL_EUR (360 * 400.0)
#define REGIONAL_EUR (30 * 500.0)

static uint64_t rnd_state = 5;

static double urand(void)
{
	uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

/* A level of nc open sites over nd points; site j reaches point i with probability prob. */
static void make_level(struct plan_level *lv, size_t nd, size_t nc, double prob)
{
	uint8_t *reach = calloc(nd * nc, 1);
	size_t nnz = 0;
	for (size_t k = 0; k < nd * nc; k++)
		nnz += reach[k] = urand() < prob;
	lv->model = cover_model_new(nd, nc, nnz, 1);
	assert_non_null(lv->model);
	size_t e = 0;
	for (size_t j = 0; j < nc; j++) {
		lv->model->cand_off[j] = (uint32_t)e;
		for (size_t i = 0; i < nd; i++)
			if (reach[j * nd + i])
				lv->model->cand_dem[e++] = (uint32_t)i;
	}
	lv->model->cand_off[nc] = (uint32_t)e;
	free(reach);
	for (size_t i = 0; i < nd; i++)
		lv->model->weight[i] = lv->model->residents[i] = 1 + floor(urand() * 100);
	assert_int_equal(cover_model_transpose(lv->model), 0);
	lv->sol.open = malloc(nc * sizeof *lv->sol.open);
	lv->sol.nopen = nc;
	for (size_t k = 0; k < nc; k++)
		lv->sol.open[k] = (uint32_t)(nc - 1 - k);   /* not in index order */
}

static void free_level(struct plan_level *lv)
{
	cover_model_free(lv->model);
	free(lv->sol.open);
	free(lv->funded);
}

static void params_with(struct plan_params *p, double budget_eur)
{
	plan_params_init(p);
	backup_params_default(&p->backup);
	p->backup.budget_eur = budget_eur;
}

/* The weight the sites of mask (bit k: sol.open[k]) cover. */
static double weight_of(const struct plan_level *lv, unsigned mask)
{
	uint32_t open[16];
	size_t n = 0;
	for (size_t k = 0; k < lv->sol.nopen; k++)
		if (mask >> k & 1)
			open[n++] = lv->sol.open[k];
	return cover_weight(lv->model, open, n, NULL);
}

/* Greedy by brute force: each step the subset member that adds most (lowest k on ties). */
static unsigned brute_greedy(const struct plan_level *lv, size_t n)
{
	unsigned mask = 0;
	for (size_t step = 0; step < n; step++) {
		double best = -1;
		size_t bk = 0;
		for (size_t k = 0; k < lv->sol.nopen; k++) {
			double w = mask >> k & 1 ? -1 : weight_of(lv, mask | 1u << k);
			if (w > best) {
				best = w;
				bk = k;
			}
		}
		mask |= 1u << bk;
	}
	return mask;
}

static void test_fund_greedy(void **state)
{
	(void)state;
	for (int round = 0; round < 200; round++) {
		struct plan_result r;
		struct plan_params p;
		memset(&r, 0, sizeof r);
		make_level(&r.local, 30, 10, 0.15);
		make_level(&r.regional, 8, 3, 0.6);
		size_t want = (size_t)(urand() * 10);     /* local points the budget pays for */
		params_with(&p, 3 * REGIONAL_EUR + (double)want * LOCAL_EUR + 1);
		assert_int_equal(plan_fund_points(&r, &p), 0);
		assert_int_equal(r.regional.nfunded, 3);
		assert_int_equal(r.local.nfunded, want);
		unsigned got = 0;
		for (size_t k = 0; k < r.local.sol.nopen; k++)
			got |= (unsigned)r.local.funded[k] << k;
		unsigned expect = brute_greedy(&r.local, want);
		/* ties may pick another site of the same gain: the weights must agree */
		assert_true(fabs(weight_of(&r.local, got) - weight_of(&r.local, expect)) < 1e-9);
		assert_int_equal(__builtin_popcount(got), (int)want);
		free_level(&r.local);
		free_level(&r.regional);
	}
}

/* Regional points first: a budget for two of three regional points funds no local one;
 * a budget for everything funds everything; no budget funds nothing. */
static void test_fund_order(void **state)
{
	(void)state;
	const double budgets[] = {2 * REGIONAL_EUR + 10, 3 * REGIONAL_EUR + 10 * LOCAL_EUR, 0};
	const size_t regional[] = {2, 3, 0}, local[] = {0, 10, 0};
	for (size_t c = 0; c < 3; c++) {
		struct plan_result r;
		struct plan_params p;
		memset(&r, 0, sizeof r);
		make_level(&r.local, 30, 10, 0.15);
		make_level(&r.regional, 8, 3, 0.6);
		params_with(&p, budgets[c]);
		assert_int_equal(plan_fund_points(&r, &p), 0);
		assert_int_equal(r.regional.nfunded, regional[c]);
		assert_int_equal(r.local.nfunded, local[c]);
		size_t n = 0;
		for (size_t k = 0; k < 10; k++)
			n += r.local.funded[k];
		assert_int_equal(n, local[c]);
		free_level(&r.local);
		free_level(&r.regional);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fund_greedy),
		cmocka_unit_test(test_fund_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
