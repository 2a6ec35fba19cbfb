/* Unit tests for util/strbuf.c: appends, formatted appends longer than the small stack
 * buffer, reserving, clearing, and the sticky failure flag after an allocation failure. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

static void test_put_and_str(void **state)
{
	struct strbuf b = {0};
	(void)state;
	strbuf_put(&b, "abcdef", 3);
	strbuf_str(&b, "-xyz");
	assert_string_equal(b.s, "abc-xyz");
	assert_int_equal(b.len, 7);
	strbuf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.s, "");
	strbuf_free(&b);
	assert_null(b.s);
}

/* Growth across many doublings keeps every byte. */
static void test_growth(void **state)
{
	struct strbuf b = {0};
	(void)state;
	for (int i = 0; i < 10000; i++)
		strbuf_put(&b, i % 2 ? "b" : "a", 1);
	assert_int_equal(b.len, 10000);
	assert_true(b.cap > b.len);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(b.s[i], i % 2 ? 'b' : 'a');
	assert_int_equal(b.s[10000], '\0');
	strbuf_free(&b);
}

/* strbuf_fmt writes short and long texts whole (the long one past its 256-byte buffer). */
static void test_fmt(void **state)
{
	struct strbuf b = {0};
	char longer[1000];
	(void)state;
	memset(longer, 'q', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	strbuf_fmt(&b, "{\"x\":%.1f,\"n\":%d}", 136783.66, 42);
	assert_string_equal(b.s, "{\"x\":136783.7,\"n\":42}");
	size_t before = b.len;
	strbuf_fmt(&b, "<%s>", longer);
	assert_int_equal(b.len, before + 1001);
	assert_int_equal(b.s[before], '<');
	assert_int_equal(b.s[b.len - 1], '>');
	assert_int_equal(strlen(b.s), b.len);
	strbuf_free(&b);
}

/* reserve allocates once for what the writer announced; appends then need no growth. */
static void test_reserve(void **state)
{
	struct strbuf b = {0};
	(void)state;
	assert_int_equal(strbuf_reserve(&b, 4096), 0);
	assert_true(b.cap >= 4097);
	assert_string_equal(b.s, "");
	char *at = b.s;
	for (int i = 0; i < 4096; i++)
		strbuf_put(&b, "z", 1);
	assert_ptr_equal(b.s, at);
	assert_int_equal(b.len, 4096);
	strbuf_free(&b);
}

/* After a failure every append does nothing and the flag stays set. */
static void test_failure_is_sticky(void **state)
{
	struct strbuf b = {0};
	(void)state;
	strbuf_str(&b, "kept");
	assert_int_equal(strbuf_reserve(&b, SIZE_MAX / 2), -1);
	assert_int_equal(b.failed, 1);
	strbuf_str(&b, "lost");
	strbuf_fmt(&b, "%d", 7);
	assert_int_equal(strbuf_reserve(&b, 1), -1);
	assert_string_equal(b.s, "kept");
	strbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_and_str),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_failure_is_sticky),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
