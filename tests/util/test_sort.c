/* Unit tests for util/sort: the sort against qsort on random keys of every size class
 * (insertion sort, quicksort, radix passes and the cuts between them; digits all equal,
 * few or all different; already sorted and reversed input),
 * and the distance keys ordering by distance, then index. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/sort.h"

static uint64_t rnd_state = 1;

static uint64_t rnd(void)
{
	uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* n keys masked with mask, sorted both ways. */
static void check_against_qsort(size_t n, uint64_t mask)
{
	uint64_t *v = malloc((n + 1) * sizeof *v), *w = malloc((n + 1) * sizeof *w);
	uint64_t *tmp = malloc((n + 1) * sizeof *tmp);
	assert_true(v && w && tmp);
	for (size_t k = 0; k < n; k++)
		v[k] = w[k] = rnd() & mask;
	sort_u64(v, tmp, n);
	qsort(w, n, sizeof *w, cmp_u64);
	assert_memory_equal(v, w, n * sizeof *v);
	free(v);
	free(w);
	free(tmp);
}

static void test_sort_random(void **state)
{
	(void)state;
	static const size_t sizes[] = {0, 1, 2, 24, 25, 26, 63, 64, 65, 1000, 2047, 2048, 2049,
				       100000};
	static const uint64_t masks[] = {UINT64_MAX, 0xffffffffULL, 0xff00000000000000ULL, 0x7,
					 0};
	for (size_t a = 0; a < sizeof sizes / sizeof *sizes; a++)
		for (size_t b = 0; b < sizeof masks / sizeof *masks; b++)
			check_against_qsort(sizes[a], masks[b]);
}

/* Sorted, reversed and organ-pipe inputs (the worst cases of a naive quicksort). */
static void test_sort_patterns(void **state)
{
	(void)state;
	static const size_t sizes[] = {25, 100, 2047, 5000};
	for (size_t a = 0; a < sizeof sizes / sizeof *sizes; a++) {
		size_t n = sizes[a];
		uint64_t *v = malloc(n * sizeof *v), *tmp = malloc(n * sizeof *tmp);
		assert_true(v && tmp);
		for (int pattern = 0; pattern < 3; pattern++) {
			for (size_t k = 0; k < n; k++)
				v[k] = pattern == 0 ? k : pattern == 1 ? n - k : k < n / 2 ? k : n - k;
			sort_u64(v, tmp, n);
			for (size_t k = 1; k < n; k++)
				assert_true(v[k - 1] <= v[k]);
		}
		free(v);
		free(tmp);
	}
}

/* Distance keys: ascending by distance, ties by index; the values come back exactly;
 * -0.0 and NaN are taken as 0. */
static void test_sort_dist_keys(void **state)
{
	(void)state;
	enum { N = 5000 };
	uint64_t v[N], tmp[N];
	for (uint32_t i = 0; i < N; i++)
		v[i] = sort_key_dist((float)(rnd() % 700) * 0.25f, N - 1 - i);
	sort_u64(v, tmp, N);
	for (size_t k = 1; k < N; k++) {
		float a = sort_key_dist_value(v[k - 1]), b = sort_key_dist_value(v[k]);
		assert_true(a < b || (a == b && sort_key_index(v[k - 1]) < sort_key_index(v[k])));
	}
	assert_true(sort_key_dist_value(sort_key_dist(1234.5f, 7)) == 1234.5f);
	assert_int_equal(sort_key_index(sort_key_dist(1234.5f, 7)), 7);
	assert_true(sort_key_dist(-0.0f, 3) == sort_key_dist(0.0f, 3));
	assert_true(sort_key_dist(__builtin_nanf(""), 3) == sort_key_dist(0.0f, 3));
	assert_true(sort_key_dist(0.5f, UINT32_MAX) < sort_key_dist(0.50001f, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_random),
		cmocka_unit_test(test_sort_patterns),
		cmocka_unit_test(test_sort_dist_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
