/* Unit tests for util/grow.c: the capacity doubles from its start to cover the need, items
 * already in the array survive each growth, a need within the capacity changes nothing,
 * and a size that would overflow is -ENOMEM with the array and capacity untouched. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>

#include "util/grow.h"

static void test_grow_doubles(void **state)
{
	(void)state;
	int *v = NULL;
	size_t cap = 0;
	for (size_t n = 0; n < 1000; n++) {
		assert_int_equal(grow_reserve(&v, &cap, n + 1, sizeof *v, 16), 0);
		assert_true(cap >= n + 1);
		v[n] = (int)n * 3;
	}
	assert_int_equal(cap, 1024);           /* 16, 32, ..., 1024 */
	for (size_t n = 0; n < 1000; n++)
		assert_int_equal(v[n], (int)n * 3);
	free(v);
}

static void test_grow_within_capacity(void **state)
{
	(void)state;
	int *v = NULL;
	size_t cap = 0;
	assert_int_equal(grow_reserve(&v, &cap, 5, sizeof *v, 0), 0);
	assert_int_equal(cap, 8);              /* min 0 starts at 1: 1, 2, 4, 8 */
	int *before = v;
	assert_int_equal(grow_reserve(&v, &cap, 8, sizeof *v, 0), 0);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 8);
	assert_int_equal(grow_reserve(&v, &cap, 40, sizeof *v, 0), 0);
	assert_int_equal(cap, 64);             /* from the capacity, not from min */
	free(v);
}

static void test_grow_overflow(void **state)
{
	(void)state;
	char *v = malloc(4);
	size_t cap = 4;
	assert_non_null(v);
	assert_int_equal(grow_reserve(&v, &cap, SIZE_MAX / 2 + 2, 1, 1), -ENOMEM);
	assert_int_equal(grow_reserve(&v, &cap, SIZE_MAX / 8, 64, 1), -ENOMEM);
	assert_int_equal(cap, 4);
	assert_non_null(v);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_doubles),
		cmocka_unit_test(test_grow_within_capacity),
		cmocka_unit_test(test_grow_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
