/* Unit tests for the site kinds a level may choose among: plan_kinds_match (plan/params.c)
 * on lists of "kind" and "kind/subkind" items, prefixes that must not match, and
 * plan_site_candidates (plan/prepare.c) keeping only the named kinds, the fixed sites
 * whatever their kind, and merging co-located sites among those kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "plan/params.h"
#include "plan/prepare.h"

/* ---- plan_kinds_match ---- */

static void test_match_empty_list(void **state)
{
	(void)state;
	assert_int_equal(plan_kinds_match("", "school", NULL), 1);
	assert_int_equal(plan_kinds_match("", "fire_station", "vrijwillig"), 1);
	assert_int_equal(plan_kinds_match("", NULL, NULL), 1);
}

static void test_match_kind(void **state)
{
	(void)state;
	assert_int_equal(plan_kinds_match("fire_station", "fire_station", NULL), 1);
	assert_int_equal(plan_kinds_match("fire_station", "fire_station", "vrijwillig"), 1);
	assert_int_equal(plan_kinds_match("fire_station", "fire_station", "beroeps"), 1);
	assert_int_equal(plan_kinds_match("fire_station", "school", NULL), 0);
	/* Any item of the list, first, middle or last. */
	assert_int_equal(plan_kinds_match("school,town_hall,care", "school", NULL), 1);
	assert_int_equal(plan_kinds_match("school,town_hall,care", "town_hall", "x"), 1);
	assert_int_equal(plan_kinds_match("school,town_hall,care", "care", NULL), 1);
	assert_int_equal(plan_kinds_match("school,town_hall,care", "hospital", NULL), 0);
	/* A site without a kind is named by no item. */
	assert_int_equal(plan_kinds_match("school", NULL, NULL), 0);
	assert_int_equal(plan_kinds_match("school/x", NULL, "x"), 0);
}

static void test_match_subkind(void **state)
{
	(void)state;
	const char *l = "fire_station/vrijwillig";
	assert_int_equal(plan_kinds_match(l, "fire_station", "vrijwillig"), 1);
	assert_int_equal(plan_kinds_match(l, "fire_station", "beroeps"), 0);
	assert_int_equal(plan_kinds_match(l, "fire_station", NULL), 0);
	assert_int_equal(plan_kinds_match(l, "vrijwillig", NULL), 0);
	/* The subkind of one item does not leak into the next. */
	assert_int_equal(plan_kinds_match("school,fire_station/beroeps", "school", NULL), 1);
	assert_int_equal(plan_kinds_match("school,fire_station/beroeps", "school", "beroeps"), 1);
	assert_int_equal(plan_kinds_match("fire_station/beroeps,school", "school", NULL), 1);
	assert_int_equal(plan_kinds_match("fire_station/beroeps,school", "fire_station",
					  "vrijwillig"), 0);
	assert_int_equal(plan_kinds_match("care/vvt,fire_station/beroeps", "fire_station",
					  "beroeps"), 1);
	assert_int_equal(plan_kinds_match("care/vvt,fire_station/beroeps", "care", "beroeps"), 0);
	assert_int_equal(plan_kinds_match("care/vvt,fire_station/beroeps", "fire_station", "vvt"),
			 0);
}

static void test_match_prefixes(void **state)
{
	(void)state;
	/* Neither a prefix nor an extension of a kind matches. */
	assert_int_equal(plan_kinds_match("fire", "fire_station", NULL), 0);
	assert_int_equal(plan_kinds_match("fire_station", "fire", NULL), 0);
	assert_int_equal(plan_kinds_match("fire_stations", "fire_station", NULL), 0);
	assert_int_equal(plan_kinds_match("school,fire", "fire_station", "vrijwillig"), 0);
	/* Nor of a subkind. */
	assert_int_equal(plan_kinds_match("fire_station/vrij", "fire_station", "vrijwillig"), 0);
	assert_int_equal(plan_kinds_match("fire_station/vrijwillig", "fire_station", "vrij"), 0);
	assert_int_equal(plan_kinds_match("fire_station/vrijwilligers", "fire_station",
					  "vrijwillig"), 0);
	/* Nor of the kind before a subkind item. */
	assert_int_equal(plan_kinds_match("fire/vrijwillig", "fire_station", "vrijwillig"), 0);
	assert_int_equal(plan_kinds_match("fire_station_x/vrijwillig", "fire_station",
					  "vrijwillig"), 0);
}

/* ---- plan_site_candidates ---- */

static struct plan_site_in site(double x, double y, int64_t id, const char *kind,
				const char *subkind, int fixed)
{
	return (struct plan_site_in){.x = x, .y = y, .id = id, .kind = kind, .subkind = subkind,
				     .fixed = fixed, .gemeente = 0, .beds = NAN, .ic_beds = NAN,
				     .clients = NAN};
}

static const struct plan_site_in *sites_of(size_t *n)
{
	static struct plan_site_in s[8];
	s[0] = site(1000, 1000, 10, "school", NULL, 0);
	s[1] = site(2000, 2000, 11, "fire_station", "vrijwillig", 0);
	s[2] = site(3000, 3000, 12, "fire_station", "beroeps", 0);
	s[3] = site(4000, 4000, 13, "town_hall", NULL, 1);   /* fixed */
	/* co-located at 5000: a school (id 15) and a fire station (id 14) */
	s[4] = site(5000, 5000, 15, "school", NULL, 0);
	s[5] = site(5000, 5000, 14, "fire_station", "vrijwillig", 0);
	/* co-located at 6000: two schools (ids 17 and 16) */
	s[6] = site(6000, 6000, 17, "school", NULL, 0);
	s[7] = site(6000, 6000, 16, "school", NULL, 0);
	*n = 8;
	return s;
}

static int64_t cand_at(const struct candidates *c, double x, double *sites_out)
{
	for (size_t j = 0; j < c->n; j++)
		if (c->xy[2 * j] == x) {
			if (sites_out)
				*sites_out = c->sites[j];
			return c->site_id[j];
		}
	return -1;
}

static void test_candidates_all(void **state)
{
	(void)state;
	size_t n;
	const struct plan_site_in *s = sites_of(&n);
	struct candidates c = {0};
	assert_int_equal(plan_site_candidates(&c, s, n, 1, ""), 0);
	assert_int_equal(c.n, 6);
	double k;
	assert_int_equal(cand_at(&c, 5000, &k), 14);
	assert_true(k == 2);
	assert_int_equal(cand_at(&c, 6000, &k), 16);
	assert_true(k == 2);
	candidates_free(&c);
	/* NULL names every kind too. */
	assert_int_equal(plan_site_candidates(&c, s, n, 1, NULL), 0);
	assert_int_equal(c.n, 6);
	candidates_free(&c);
}

static void test_candidates_kind(void **state)
{
	(void)state;
	size_t n;
	const struct plan_site_in *s = sites_of(&n);
	struct candidates c = {0};
	/* Fire stations, and with fixed=1 the fixed town hall. */
	assert_int_equal(plan_site_candidates(&c, s, n, 1, "fire_station"), 0);
	assert_int_equal(c.n, 4);
	double k = -1;
	assert_int_equal(cand_at(&c, 2000, NULL), 11);
	assert_int_equal(cand_at(&c, 3000, NULL), 12);
	assert_int_equal(cand_at(&c, 4000, NULL), 13);
	/* The school at 5000 is not of the kind: the station stands alone there. */
	assert_int_equal(cand_at(&c, 5000, &k), 14);
	assert_true(k == 1);
	assert_int_equal(cand_at(&c, 1000, NULL), -1);
	assert_int_equal(cand_at(&c, 6000, NULL), -1);
	for (size_t j = 0; j < c.n; j++) {
		assert_int_equal(c.origin[j], CAND_SITE);
		assert_int_equal(c.fixed[j], c.site_id[j] == 13);
	}
	candidates_free(&c);
	/* Without fixed the town hall is out, and nothing is fixed. */
	assert_int_equal(plan_site_candidates(&c, s, n, 0, "fire_station"), 0);
	assert_int_equal(c.n, 3);
	assert_int_equal(cand_at(&c, 4000, NULL), -1);
	for (size_t j = 0; j < c.n; j++)
		assert_int_equal(c.fixed[j], 0);
	candidates_free(&c);
}

static void test_candidates_subkind(void **state)
{
	(void)state;
	size_t n;
	const struct plan_site_in *s = sites_of(&n);
	struct candidates c = {0};
	assert_int_equal(plan_site_candidates(&c, s, n, 0, "fire_station/vrijwillig"), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(cand_at(&c, 2000, NULL), 11);
	assert_int_equal(cand_at(&c, 5000, NULL), 14);
	assert_int_equal(cand_at(&c, 3000, NULL), -1);
	candidates_free(&c);
	/* A prefix of the kind names nothing. */
	assert_int_equal(plan_site_candidates(&c, s, n, 0, "fire"), 0);
	assert_int_equal(c.n, 0);
	candidates_free(&c);
}

static void test_candidates_merge(void **state)
{
	(void)state;
	size_t n;
	const struct plan_site_in *s = sites_of(&n);
	struct candidates c = {0};
	/* Schools only: the two schools at 6000 merge (lowest id 16, two sites); the one at
	 * 5000 stands alone with its own id, not the station's lower one. */
	assert_int_equal(plan_site_candidates(&c, s, n, 0, "school"), 0);
	assert_int_equal(c.n, 3);
	double k = -1;
	assert_int_equal(cand_at(&c, 6000, &k), 16);
	assert_true(k == 2);
	assert_int_equal(cand_at(&c, 5000, &k), 15);
	assert_true(k == 1);
	assert_int_equal(cand_at(&c, 1000, &k), 10);
	candidates_free(&c);
	/* Schools and volunteer stations: 5000 merges to the station's id 14 with two sites. */
	assert_int_equal(plan_site_candidates(&c, s, n, 0, "school,fire_station/vrijwillig"), 0);
	assert_int_equal(c.n, 4);
	assert_int_equal(cand_at(&c, 5000, &k), 14);
	assert_true(k == 2);
	/* Candidates follow position order. */
	for (size_t j = 1; j < c.n; j++)
		assert_true(c.xy[2 * (j - 1)] < c.xy[2 * j]);
	candidates_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_empty_list),
		cmocka_unit_test(test_match_kind),
		cmocka_unit_test(test_match_subkind),
		cmocka_unit_test(test_match_prefixes),
		cmocka_unit_test(test_candidates_all),
		cmocka_unit_test(test_candidates_kind),
		cmocka_unit_test(test_candidates_subkind),
		cmocka_unit_test(test_candidates_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
