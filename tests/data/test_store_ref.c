/* Tests for data/store_ref: reference population layers (migration 5) put, read back in
 * (layer, code) order with NULL for unknown figures, cleared per layer, duplicates refused,
 * writes outside a transaction refused, and the sites' institution columns (beds, ic_beds,
 * clients) round-tripped. Test-only code: writes only in a temp folder. */
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

#include "data/store.h"
#include "data/store_plan.h"
#include "data/store_ref.h"
#include "tests/lib/testutil.h"

struct fx {
	char dir[256];
	char path[512];
	struct store *st;
	char err[512];
};

static const uint8_t g_geom[] = {1, 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	tu_mkdtemp(f->dir, sizeof f->dir);
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	if (store_open(f->path, 0, &f->st, f->err, sizeof f->err) != 0)
		fail_msg("store_open: %s", f->err);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	tu_rmtree(f->dir);
	free(f);
	return 0;
}

static struct store_ref_area ref(const char *layer, const char *code, double residents)
{
	return (struct store_ref_area){
		.layer = layer, .code = code, .name = "Buurt", .year = 2015,
		.residents = residents, .residents_65plus = NAN, .households = 40,
		.cars_per_household = 1.1, .wkb = g_geom, .wkb_len = sizeof g_geom,
		.minx = 1, .miny = 2, .maxx = 3, .maxy = 4,
	};
}

static void put_ok(struct fx *f, const struct store_ref_area *r)
{
	if (store_ref_put(f->st, r, f->err, sizeof f->err) != 0)
		fail_msg("store_ref_put %s: %s", r->code, f->err);
}

struct seen {
	char codes[8][32];
	double residents[8], r65[8];
	int year[8];
	size_t n, wkb_len;
};

static int on_ref(void *user, const struct store_ref_area *r)
{
	struct seen *s = user;
	if (s->n < 8) {
		snprintf(s->codes[s->n], sizeof s->codes[0], "%s/%s", r->layer, r->code);
		s->residents[s->n] = r->residents;
		s->r65[s->n] = r->residents_65plus;
		s->year[s->n] = r->year;
		s->wkb_len = r->wkb_len;
		assert_memory_equal(r->wkb, g_geom, sizeof g_geom);
	}
	s->n++;
	return 0;
}

static void test_put_read_ordered(void **state)
{
	struct fx *f = *state;
	struct store_ref_area a = ref("buurten_2015", "BU2", NAN), b = ref("buurten_2015", "BU1", 900);
	struct store_ref_area c = ref("a_layer", "X", 10);
	struct seen s = {0};
	long n = -1;
	assert_int_equal(store_begin(f->st, f->err, sizeof f->err), 0);
	put_ok(f, &a);
	put_ok(f, &b);
	put_ok(f, &c);
	assert_int_equal(store_commit(f->st, f->err, sizeof f->err), 0);
	assert_int_equal(store_each_ref_area(f->st, on_ref, &s, f->err, sizeof f->err), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.codes[0], "a_layer/X");
	assert_string_equal(s.codes[1], "buurten_2015/BU1");
	assert_string_equal(s.codes[2], "buurten_2015/BU2");
	assert_true(s.residents[1] == 900);
	assert_true(isnan(s.residents[2]));
	assert_true(isnan(s.r65[0]));
	assert_int_equal(s.year[1], 2015);
	assert_int_equal(s.wkb_len, sizeof g_geom);
	assert_int_equal(store_ref_count(f->st, "buurten_2015", &n, f->err, sizeof f->err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_ref_count(f->st, NULL, &n, f->err, sizeof f->err), 0);
	assert_int_equal(n, 3);
}

static void test_clear_one_layer_and_duplicates(void **state)
{
	struct fx *f = *state;
	struct store_ref_area a = ref("l1", "A", 1), b = ref("l2", "A", 2);
	long n = -1;
	assert_int_equal(store_begin(f->st, f->err, sizeof f->err), 0);
	put_ok(f, &a);
	put_ok(f, &b);
	assert_int_equal(store_ref_put(f->st, &a, f->err, sizeof f->err), -EEXIST);
	assert_non_null(strstr(f->err, "duplicate code A in layer l1"));
	assert_int_equal(store_ref_clear(f->st, "l1", f->err, sizeof f->err), 0);
	assert_int_equal(store_commit(f->st, f->err, sizeof f->err), 0);
	assert_int_equal(store_ref_count(f->st, NULL, &n, f->err, sizeof f->err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_ref_count(f->st, "l2", &n, f->err, sizeof f->err), 0);
	assert_int_equal(n, 1);
}

static void test_outside_tx_and_missing_geometry(void **state)
{
	struct fx *f = *state;
	struct store_ref_area a = ref("l1", "A", 1);
	assert_int_equal(store_ref_put(f->st, &a, f->err, sizeof f->err), -EPERM);
	assert_int_equal(store_ref_clear(f->st, "l1", f->err, sizeof f->err), -EPERM);
	a.wkb = NULL;
	assert_int_equal(store_ref_put(f->st, &a, f->err, sizeof f->err), -EINVAL);
	assert_non_null(strstr(f->err, "A: layer, code and geometry are required"));
}

static int on_site(void *user, const struct store_site_row *r)
{
	struct store_site_row *out = user;
	out[r->id - 1] = *r;
	return 0;
}

static void test_site_institution_figures(void **state)
{
	struct fx *f = *state;
	struct store_site h = {"zh.geojson", "1", "Ziekenhuis", "hospital", "Algemeen", 120000,
			       480000, NAN, 0, 350, 12, NAN};
	struct store_site c = {"vvt.geojson", "1", "Zorg", "care", "vvt", 121000, 481000, NAN,
			       0, NAN, NAN, 80};
	struct store_site_row rows[2];
	assert_int_equal(store_begin(f->st, f->err, sizeof f->err), 0);
	assert_int_equal(store_put_site(f->st, &h, f->err, sizeof f->err), 0);
	assert_int_equal(store_put_site(f->st, &c, f->err, sizeof f->err), 0);
	assert_int_equal(store_commit(f->st, f->err, sizeof f->err), 0);
	assert_int_equal(store_each_site(f->st, on_site, rows, f->err, sizeof f->err), 0);
	assert_true(rows[0].beds == 350 && rows[0].ic_beds == 12 && isnan(rows[0].clients));
	assert_true(isnan(rows[1].beds) && isnan(rows[1].ic_beds) && rows[1].clients == 80);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_put_read_ordered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clear_one_layer_and_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_tx_and_missing_geometry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_site_institution_figures, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
