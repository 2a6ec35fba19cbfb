/* Unit tests for util/fmt.c and util/clock.c: thousands separators, rounding halves away
 * from zero, no "-0", "-" for what is not a number, truncation to the buffer; and a clock
 * that never runs backwards. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "util/clock.h"
#include "util/fmt.h"

struct fmt_case {
	double v;
	int decimals;
	const char *want;
};

static void test_thousands_table(void **state)
{
	static const struct fmt_case cases[] = {
		{0, 0, "0"},
		{7, 0, "7"},
		{999, 0, "999"},
		{1000, 0, "1,000"},
		{17942942, 0, "17,942,942"},
		{1166.25, 1, "1,166.3"},            /* an exact half: away from zero */
		{65.625, 2, "65.63"},
		{-1234567.5, 0, "-1,234,568"},
		{-0.04, 1, "0.0"},                  /* no "-0.0" */
		{-999.5, 0, "-1,000"},
		{0.5, 0, "1"},
		{123456.789, 3, "123,456.789"},
	};
	char buf[64];
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(fmt_thousands(buf, sizeof buf, cases[i].v, cases[i].decimals),
				    cases[i].want);
}

static void test_thousands_not_a_number(void **state)
{
	char buf[16];
	(void)state;
	assert_string_equal(fmt_thousands(buf, sizeof buf, NAN, 2), "-");
	assert_string_equal(fmt_thousands(buf, sizeof buf, INFINITY, 0), "-");
	assert_string_equal(fmt_thousands(buf, sizeof buf, -INFINITY, 0), "-");
}

/* A short buffer gets the first len - 1 characters, always terminated. */
static void test_thousands_truncates(void **state)
{
	char buf[6];
	(void)state;
	memset(buf, 'x', sizeof buf);
	assert_string_equal(fmt_thousands(buf, sizeof buf, 17942942, 0), "17,94");
	assert_string_equal(fmt_thousands(buf, 1, 5, 0), "");
}

static void test_round(void **state)
{
	(void)state;
	assert_true(fmt_round(2.5, 0) == 3);
	assert_true(fmt_round(-2.5, 0) == -3);
	assert_true(fmt_round(52.09070004, 7) == 52.0907);
	assert_true(fmt_round(1234.56, -2) == 1200);
}

static void test_clock_monotonic(void **state)
{
	(void)state;
	double a = clock_now_s(), b = clock_now_s();
	assert_true(a > 0);
	assert_true(b >= a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thousands_table),
		cmocka_unit_test(test_thousands_not_a_number),
		cmocka_unit_test(test_thousands_truncates),
		cmocka_unit_test(test_round),
		cmocka_unit_test(test_clock_monotonic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
