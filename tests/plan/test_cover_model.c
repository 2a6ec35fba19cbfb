/* Unit tests for the coverage model on seeded random instances: cover_build (each
 * candidate's list is exactly the brute-force set, nearest first, with true distances; the
 * transpose; the detour factor; gemeente groups; a candidate that reaches nothing; empty
 * input) and plan_submodel (plan/plan_results.c) under several masks. */
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
#include "plan/cover.h"
#include "plan/plan_internal.h"
#include "tests/lib/demand_fx.h"
#include "tests/lib/wkb_fx.h"

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
