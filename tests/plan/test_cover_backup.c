/* Unit tests for plan/cover_backup.c: the per-point counts of open sites and the weight
 * covered twice against a direct count over the coverage matrix, and the backup placement
 * against brute force over every set of k added sites on random small models: the primary
 * is kept, the answer is within 1 % of the optimum on most instances (never above it), the
 * bound is never below it, and load grows with zeros; a stable recompute's backup
 * incumbents are kept when changing them costs more than it gains. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cover_backup.h"

static uint64_t rnd_state = 11;

static double urand(void)
{
	uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

/* A model of nd points and nc candidates; reach[j * nd + i] = 1 when j reaches i. */
static struct cover_model *make_model(size_t nd, size_t nc, double prob, uint8_t *reach)
{
	size_t nnz = 0;
	for (size_t k = 0; k < nd * nc; k++)
		nnz += reach[k] = urand() < prob;
	struct cover_model *m = cover_model_new(nd, nc, nnz, 1);
	assert_non_null(m);
	size_t e = 0;
	for (size_t j = 0; j < nc; j++) {
		m->cand_off[j] = (uint32_t)e;
		for (size_t i = 0; i < nd; i++)
			if (reach[j * nd + i])
				m->cand_dem[e++] = (uint32_t)i;
	}
	m->cand_off[nc] = (uint32_t)e;
	for (size_t i = 0; i < nd; i++)
		m->weight[i] = m->residents[i] = 1 + floor(urand() * 100);
	assert_int_equal(cover_model_transpose(m), 0);
	return m;
}

/* Weight covered twice by the sites in bits (a bit set over candidates), by the matrix. */
static double twice_by_matrix(const struct cover_model *m, const uint8_t *reach, uint32_t bits)
{
	double w = 0;
	for (size_t i = 0; i < m->ndemand; i++) {
		int c = 0;
		for (size_t j = 0; j < m->ncand; j++)
			c += (bits >> j & 1) && reach[j * m->ndemand + i];
		w += c >= 2 ? m->weight[i] : 0;
	}
	return w;
}

static int popcount(uint32_t x)
{
	int n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
}

/* The best weight covered twice by the primary bits plus any k other candidates. */
static double brute_best(const struct cover_model *m, const uint8_t *reach, uint32_t primary,
			 size_t k)
{
	double best = 0;
	for (uint32_t add = 0; add < 1u << m->ncand; add++)
		if (!(add & primary) && (size_t)popcount(add) == k)
			best = fmax(best, twice_by_matrix(m, reach, primary | add));
	return best;
}

static void test_counts(void **state)
{
	(void)state;
	uint8_t reach[40 * 8], count[40];
	uint32_t open[] = {0, 3, 5, 7};
	for (int t = 0; t < 20; t++) {
		struct cover_model *m = make_model(40, 8, 0.4, reach);
		cover_reach_counts(m, open, 4, count);
		for (size_t i = 0; i < 40; i++) {
			int c = 0;
			for (int q = 0; q < 4; q++)
				c += reach[open[q] * 40 + i];
			assert_int_equal(count[i], c);
		}
		uint32_t bits = 1u | 1u << 3 | 1u << 5 | 1u << 7;
		assert_true(fabs(cover_twice_weight(m, open, 4, NULL) - twice_by_matrix(m, reach, bits))
			    < 1e-9);
		cover_model_free(m);
	}
}

/* Random models of 30 points and 12 candidates, a primary of 3 sites, k = 1..4. */
static void test_against_brute_force(void **state)
{
	(void)state;
	uint8_t reach[30 * 12];
	int trials = 0, within = 0;
	for (int t = 0; t < 60; t++) {
		struct cover_model *m = make_model(30, 12, 0.15 + 0.1 * (t % 3), reach);
		size_t k = 1 + (size_t)(t % 4);
		struct cover_solution s = {0};
		s.open = malloc(3 * sizeof *s.open);
		s.load = calloc(3, sizeof *s.load);
		s.nopen = 3;
		uint32_t primary = 0;
		for (size_t q = 0; q < 3; q++) {
			s.open[q] = (uint32_t)(q * 4 + (size_t)t % 4);
			s.load[q] = 7;
			primary |= 1u << s.open[q];
		}
		struct cover_backup_result r;
		assert_int_equal(cover_backup_extend(m, &s, k, NULL, 0, &r), 0);
		double best = brute_best(m, reach, primary, k);
		uint32_t bits = 0;
		for (size_t q = 0; q < s.nopen; q++) {
			assert_int_equal(bits >> s.open[q] & 1, 0);   /* no site twice */
			bits |= 1u << s.open[q];
		}
		assert_int_equal(bits & primary, primary);
		assert_true(s.nopen == 3 + r.added && r.added <= k);
		for (size_t q = 0; q < s.nopen; q++)
			assert_true(s.load[q] == (q < 3 ? 7 : 0));
		assert_true(fabs(r.weight - twice_by_matrix(m, reach, bits)) < 1e-9);
		assert_true(fabs(r.base_weight - twice_by_matrix(m, reach, primary)) < 1e-9);
		assert_true(r.weight <= best + 1e-9);
		assert_true(r.bound >= best - 1e-9);
		assert_true(r.gap_pct >= 0 && r.gap_pct <= 100);
		trials++;
		within += r.weight >= 0.99 * best;
		cover_solution_free(&s);
		cover_model_free(m);
	}
	print_message("backup placement within 1%% of brute force: %d of %d\n", within, trials);
	assert_true(within >= trials * 9 / 10);
}

/* Two sites far apart reach disjoint points: no backup exists beyond the candidates that
 * overlap, the greedy stops when nothing helps, and the bound is the weight reachable
 * twice. */
static void test_stops_when_nothing_helps(void **state)
{
	(void)state;
	struct cover_model *m = cover_model_new(4, 3, 5, 1);
	uint32_t off[] = {0, 2, 4, 5}, dem[] = {0, 1, 2, 3, 0};
	memcpy(m->cand_off, off, sizeof off);
	memcpy(m->cand_dem, dem, sizeof dem);
	for (size_t i = 0; i < 4; i++)
		m->weight[i] = 10 * (double)(i + 1);
	assert_int_equal(cover_model_transpose(m), 0);
	struct cover_solution s = {0};
	s.open = malloc(sizeof *s.open);
	s.open[0] = 0;
	s.nopen = 1;
	struct cover_backup_result r;
	assert_int_equal(cover_backup_extend(m, &s, 5, NULL, 0, &r), 0);
	assert_int_equal(r.base_weight, 0);
	assert_true(fabs(r.weight - 10) < 1e-9);      /* candidate 2 backs point 0 */
	assert_true(fabs(r.bound - 10) < 1e-6);
	assert_true(r.added <= 2);
	cover_solution_free(&s);
	cover_model_free(m);
}

/* A stable recompute's backup incumbents: with a change cost above any gain, the added
 * sites are exactly the incumbents (k of them), all counted as kept, and the bound still
 * holds; with k larger, the incumbents are added and the rest chosen as usual. */
static void test_incumbents(void **state)
{
	(void)state;
	uint8_t reach[30 * 12];
	for (int t = 0; t < 20; t++) {
		struct cover_model *m = make_model(30, 12, 0.3, reach);
		m->change_cost = 1e9;
		uint8_t inc[12] = {0};
		uint32_t primary = 0, want = 0;
		for (uint32_t j = 1; j < 12; j += 4)
			primary |= 1u << (j + (uint32_t)t % 3);
		for (uint32_t j = 11, n = 0; n < 2; j--)
			if (!(primary >> j & 1) && m->cand_off[j + 1] > m->cand_off[j]) {
				inc[j] = 1;
				want |= 1u << j;
				n++;
			}
		for (size_t k = 2; k <= 4; k += 2) {
			struct cover_solution s = {0};
			s.open = malloc(3 * sizeof *s.open);
			for (uint32_t j = 0; j < 12; j++)
				if (primary >> j & 1)
					s.open[s.nopen++] = j;
			struct cover_backup_result r;
			assert_int_equal(cover_backup_extend(m, &s, k, inc, 0, &r), 0);
			uint32_t added = 0;
			for (size_t q = 3; q < s.nopen; q++)
				added |= 1u << s.open[q];
			assert_int_equal(added & want, want);
			assert_int_equal(r.kept, 2);
			assert_true(r.bound >= brute_best(m, reach, primary, k) - 1e-9);
			cover_solution_free(&s);
		}
		cover_model_free(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_against_brute_force),
		cmocka_unit_test(test_stops_when_nothing_helps),
		cmocka_unit_test(test_incumbents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
