/* Unit tests for util/fmt.c, util/lang.c and util/clock.c: thousands separators in English
 * and Dutch, rounding halves away from zero, no "-0", "-" for what is not a number,
 * truncation to the buffer; the language from --lang and the locale variables; and a clock
 * that never runs backwards. */
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

#include "util/clock.h"
#include "util/fmt.h"
#include "util/lang.h"

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

/* Dutch: '.' between thousands, ',' before the decimals; the same rounding and "-". */
static void test_number_dutch(void **state)
{
	static const struct fmt_case cases[] = {
		{0, 0, "0"}, {1000, 0, "1.000"}, {17942942, 0, "17.942.942"},
		{1166.25, 1, "1.166,3"}, {99.875, 2, "99,88"}, {-1234567.5, 0, "-1.234.568"},
		{-0.04, 1, "0,0"}, {123456.789, 3, "123.456,789"},
	};
	char buf[64];
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(fmt_number(buf, sizeof buf, cases[i].v, cases[i].decimals,
					       LANG_NL), cases[i].want);
	assert_string_equal(fmt_number(buf, sizeof buf, 1166.25, 1, LANG_EN), "1,166.3");
	assert_string_equal(fmt_number(buf, sizeof buf, NAN, 1, LANG_NL), "-");
	assert_string_equal(fmt_number(buf, 6, 17942942, 0, LANG_NL), "17.94");
}

static void test_lang_parse(void **state)
{
	enum lang l = LANG_EN;
	(void)state;
	assert_int_equal(lang_parse("nl", &l), 0);
	assert_int_equal(l, LANG_NL);
	assert_int_equal(lang_parse("EN", &l), 0);
	assert_int_equal(l, LANG_EN);
	assert_int_equal(lang_parse("de", &l), -EINVAL);
	assert_int_equal(lang_parse("", &l), -EINVAL);
	assert_int_equal(lang_parse(NULL, &l), -EINVAL);
	assert_int_equal(l, LANG_EN);
	assert_string_equal(lang_code(LANG_NL), "nl");
	assert_string_equal(lang_code(LANG_EN), "en");
}

/* LC_ALL before LC_MESSAGES before LANG; an empty one is skipped; Dutch only for "nl...". */
static void test_lang_from_env(void **state)
{
	(void)state;
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	unsetenv("LANG");
	assert_int_equal(lang_from_env(), LANG_EN);
	setenv("LANG", "nl_NL.UTF-8", 1);
	assert_int_equal(lang_from_env(), LANG_NL);
	setenv("LC_MESSAGES", "", 1);
	assert_int_equal(lang_from_env(), LANG_NL);
	setenv("LC_MESSAGES", "en_GB.UTF-8", 1);
	assert_int_equal(lang_from_env(), LANG_EN);
	setenv("LC_ALL", "nl_BE", 1);
	assert_int_equal(lang_from_env(), LANG_NL);
	setenv("LC_ALL", "C.UTF-8", 1);
	assert_int_equal(lang_from_env(), LANG_EN);
	setenv("LC_ALL", "NL", 1);
	assert_int_equal(lang_from_env(), LANG_NL);
}

#define T_PAIR "%zu point", "%zu punt"
#define T_SAME LANG_SAME("wijkbatterij")

/* LANG_PICK gives the literal for the language; LANG_SAME gives one for both. */
static void test_lang_pick(void **state)
{
	char buf[32];
	(void)state;
	snprintf(buf, sizeof buf, LANG_PICK(LANG_NL, T_PAIR), (size_t)3);
	assert_string_equal(buf, "3 punt");
	snprintf(buf, sizeof buf, LANG_PICK(LANG_EN, T_PAIR), (size_t)3);
	assert_string_equal(buf, "3 point");
	assert_string_equal(LANG_PICK(LANG_NL, T_SAME), LANG_PICK(LANG_EN, T_SAME));
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
		cmocka_unit_test(test_number_dutch),
		cmocka_unit_test(test_lang_parse),
		cmocka_unit_test(test_lang_from_env),
		cmocka_unit_test(test_lang_pick),
		cmocka_unit_test(test_round),
		cmocka_unit_test(test_clock_monotonic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
