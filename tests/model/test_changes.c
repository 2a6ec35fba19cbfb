/* Tests for model/changes: two hand-made plans inserted straight into a test store, then
 * exactly the added, removed and kept sites per level, gemeente and safety region, the
 * 1 m position tolerance, names only from sites still in place, coverage before and after,
 * the first plan, the default pair, unknown plans, and the JSON rendering's filters and
 * limit. Test-only code: writes only in a temp folder. */
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
#include "model/changes.h"
#include "tests/lib/testutil.h"

struct fx {
	char dir[256], path[512], err[512];
	struct store *st;
};

static void ok(int rc, const char *what, const char *err)
{
	if (rc != 0)
		fail_msg("%s: %d %s", what, rc, err);
}

/* Imported sites get ids 1, 2, 3 in this order. */
static void put_inputs(struct fx *f)
{
	const struct { const char *id, *name; double x, y; } sites[] = {
		{"1", "School A", 100000, 400000}, {"2", "Kerk C", 150000, 450000},
		{"3", "Buurthuis D", 170000, 470000},
	};
	ok(store_begin(f->st, f->err, sizeof f->err), "begin", f->err);
	ok(store_put_region(f->st, "VR01", "Groningen", NULL, 0, f->err, sizeof f->err), "region",
	   f->err);
	ok(store_put_region(f->st, "VR02", "Fryslan", NULL, 0, f->err, sizeof f->err), "region",
	   f->err);
	ok(store_put_membership(f->st, "GM0001", "Eerstedorp", "VR01", f->err, sizeof f->err),
	   "membership", f->err);
	ok(store_put_membership(f->st, "GM0002", "Tweestad", "VR02", f->err, sizeof f->err),
	   "membership", f->err);
	for (size_t k = 0; k < 3; k++) {
		struct store_site s = {.source = "t.csv", .source_id = sites[k].id,
				       .name = sites[k].name, .kind = "school", .x_rd = sites[k].x,
				       .y_rd = sites[k].y, .capacity = NAN};
		ok(store_put_site(f->st, &s, f->err, sizeof f->err), "site", f->err);
	}
	ok(store_commit(f->st, f->err, sizeof f->err), "commit", f->err);
}

struct row {
	int level;
	double x, y;
	int64_t site_id;
	const char *gm;
};

/* Stores one plan: its sites (seq in order) and VR01's coverage. Returns its id. */
static int64_t put_plan(struct fx *f, const struct row *rows, size_t n, double covered)
{
	int64_t id = 0;
	int seq[3] = {0, 0, 0};
	struct store_plan_region r = {.code = "VR01", .residents = 1000, .covered_residents = covered,
				      .weight = 1200, .covered_weight = covered * 1.2};
	ok(store_begin(f->st, f->err, sizeof f->err), "begin", f->err);
	ok(store_plan_create(f->st, "v", "{}", &id, f->err, sizeof f->err), "plan", f->err);
	for (size_t k = 0; k < n; k++) {
		struct store_plan_site s = {.level = rows[k].level, .seq = ++seq[rows[k].level],
					    .x_rd = rows[k].x, .y_rd = rows[k].y,
					    .site_id = rows[k].site_id, .gemeente_code = rows[k].gm};
		ok(store_plan_put_site(f->st, id, &s, f->err, sizeof f->err), "plan site", f->err);
	}
	ok(store_plan_put_region(f->st, id, &r, f->err, sizeof f->err), "plan region", f->err);
	ok(store_plan_finish(f->st, id, "{}", "{}", 10, f->err, sizeof f->err), "finish", f->err);
	ok(store_commit(f->st, f->err, sizeof f->err), "commit", f->err);
	return id;
}

/* Plan 1 and plan 2:
 *   local A  site 1 GM0001 kept, moved 0.6 m      local B  generated GM0001 removed
 *   local C  site 2 GM0002 kept, moved exactly 1 m   local E  GM0001 1.5 m from B: added
 *   local D  site 3 GM0002 added                  local F  site 1 id at 2 km: added, no name
 *   regional R1 GM0001 kept                       regional R2 GM0002 added */
static const struct row plan1[] = {
	{1, 100000, 400000, 1, "GM0001"}, {1, 120000, 420000, -1, "GM0001"},
	{1, 150000, 450000, 2, "GM0002"}, {2, 100000, 400000, 1, "GM0001"},
};
static const struct row plan2[] = {
	{1, 100000.6, 400000, 1, "GM0001"}, {1, 150000, 450001, 2, "GM0002"},
	{1, 170000, 470000, 3, "GM0002"}, {1, 120001.5, 420000, -1, "GM0001"},
	{1, 102000, 400000, 1, "GM0001"}, {2, 100000, 400000, 1, "GM0001"},
	{2, 150000, 450000, 2, "GM0002"},
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	tu_mkdtemp(f->dir, sizeof f->dir);
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	ok(store_open(f->path, 0, &f->st, f->err, sizeof f->err), "open", f->err);
	put_inputs(f);
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

static const struct changes_area *area(const struct changes_area *v, size_t n, const char *code)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(v[k].code, code) == 0)
			return &v[k];
	fail_msg("no area %s", code);
	return NULL;
}

static void assert_count(const struct changes_count *c, long a, long r, long k)
{
	if (c->added != a || c->removed != r || c->kept != k)
		fail_msg("counts %ld/%ld/%ld, expected %ld/%ld/%ld added/removed/kept", c->added,
			 c->removed, c->kept, a, r, k);
}

static struct plan_changes *load_two(struct fx *f)
{
	struct plan_changes *c = NULL;
	put_plan(f, plan1, sizeof plan1 / sizeof plan1[0], 900);
	put_plan(f, plan2, sizeof plan2 / sizeof plan2[0], 950);
	ok(changes_load(f->st, -1, 0, &c, f->err, sizeof f->err), "changes_load", f->err);
	return c;
}

static void test_counts(void **state)
{
	struct plan_changes *c = load_two(*state);
	assert_int_equal(c->from_id, 1);
	assert_int_equal(c->to_id, 2);
	assert_count(&c->level[0], 3, 1, 2);
	assert_count(&c->level[1], 1, 0, 1);
	const struct changes_area *g1 = area(c->gemeenten, c->ngemeenten, "GM0001");
	const struct changes_area *g2 = area(c->gemeenten, c->ngemeenten, "GM0002");
	assert_int_equal(c->ngemeenten, 2);
	assert_count(&g1->level[0], 2, 1, 1);
	assert_count(&g1->level[1], 0, 0, 1);
	assert_count(&g2->level[0], 1, 0, 1);
	assert_count(&g2->level[1], 1, 0, 0);
	assert_string_equal(g1->name, "Eerstedorp");
	assert_string_equal(g1->region_code, "VR01");
	const struct changes_area *v1 = area(c->regions, c->nregions, "VR01");
	const struct changes_area *v2 = area(c->regions, c->nregions, "VR02");
	assert_count(&v1->level[0], 2, 1, 1);
	assert_count(&v2->level[1], 1, 0, 0);
	assert_string_equal(v2->name, "Fryslan");
	assert_true(v1->before.present && v1->after.present && !v2->before.present);
	assert_true(fabs(v1->before.covered_residents - 900) < 1e-9);
	assert_true(fabs(v1->after.covered_residents - 950) < 1e-9);
	changes_free(c);
}

/* The listing: local added (by gemeente, seq), local removed, regional added. */
static void test_sites(void **state)
{
	struct plan_changes *c = load_two(*state);
	assert_int_equal(c->nsites, 5);
	const struct changes_site *s = c->sites;
	assert_true(s[0].level == 1 && s[0].added && s[0].x_rd == 120001.5 && !s[0].name);
	assert_true(s[1].level == 1 && s[1].added && s[1].x_rd == 102000);
	assert_null(s[1].name);        /* site 1's id, but site 1 is 2 km away: no name */
	assert_true(s[2].level == 1 && s[2].added && s[2].x_rd == 170000);
	assert_string_equal(s[2].name, "Buurthuis D");
	assert_string_equal(s[2].gemeente_name, "Tweestad");
	assert_string_equal(s[2].region_code, "VR02");
	assert_true(s[3].level == 1 && !s[3].added && s[3].x_rd == 120000 && s[3].site_id == -1);
	assert_true(s[4].level == 2 && s[4].added && s[4].x_rd == 150000);
	assert_string_equal(s[4].name, "Kerk C");
	char line[256];
	changes_summary_line(c, line, sizeof line);
	assert_string_equal(line, "changes since plan 1: local 3 added, 1 removed, 2 kept; regional "
			    "1 added, 0 removed, 1 kept; total 4 added, 1 removed, 3 kept");
	changes_free(c);
}

static void test_first_and_errors(void **state)
{
	struct fx *f = *state;
	struct plan_changes *c = NULL;
	assert_int_equal(changes_load(f->st, -1, 0, &c, f->err, sizeof f->err), -ENOENT);
	assert_string_equal(f->err, "no plan yet");
	put_plan(f, plan1, sizeof plan1 / sizeof plan1[0], 900);
	ok(changes_load(f->st, -1, 0, &c, f->err, sizeof f->err), "first", f->err);
	assert_int_equal(c->from_id, 0);
	assert_int_equal(c->nsites, 0);
	assert_count(&c->level[0], 0, 0, 0);
	char line[128];
	changes_summary_line(c, line, sizeof line);
	assert_string_equal(line, "changes: first plan, nothing to compare");
	changes_free(c);
	assert_int_equal(changes_load(f->st, 7, 1, &c, f->err, sizeof f->err), -ENOENT);
	assert_string_equal(f->err, "no plan 7");
	assert_int_equal(changes_load(f->st, -1, 9, &c, f->err, sizeof f->err), -ENOENT);
	assert_string_equal(f->err, "no plan 9");
	/* a plan against itself: everything kept */
	ok(changes_load(f->st, 1, 1, &c, f->err, sizeof f->err), "self", f->err);
	assert_count(&c->level[0], 0, 0, 3);
	assert_count(&c->level[1], 0, 0, 1);
	changes_free(c);
}

/* Reversed: plan 2 against plan 1 swaps added and removed. */
static void test_reversed(void **state)
{
	struct plan_changes *c = load_two(*state), *r = NULL;
	struct fx *f = *state;
	ok(changes_load(f->st, 2, 1, &r, f->err, sizeof f->err), "reversed", f->err);
	assert_count(&r->level[0], 1, 3, 2);
	assert_count(&r->level[1], 0, 1, 1);
	changes_free(r);
	changes_free(c);
}

static json_t *render(const struct plan_changes *c, int level, const char *code, long limit)
{
	struct changes_filter flt = {level, code, limit};
	json_t *j = NULL;
	char err[256];
	ok(changes_to_json(c, &flt, NULL, &j, err, sizeof err), "changes_to_json", err);
	return j;
}

static long member(json_t *o, const char *path1, const char *path2, const char *key)
{
	json_t *v = json_object_get(json_object_get(json_object_get(o, path1), path2), key);
	if (!json_is_integer(v))
		fail_msg("%s.%s.%s is not an integer", path1, path2, key);
	return (long)json_integer_value(v);
}

static void test_json(void **state)
{
	struct plan_changes *c = load_two(*state);
	json_t *j = render(c, 0, NULL, 1000);
	assert_int_equal(member(j, "levels", "total", "added"), 4);
	assert_int_equal(json_array_size(json_object_get(j, "added")), 4);
	assert_int_equal(json_array_size(json_object_get(j, "removed")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "regions")), 2);
	assert_false(json_is_true(json_object_get(j, "truncated")));
	json_decref(j);
	j = render(c, 1, "GM0002", 1000);         /* one gemeente, local only */
	assert_int_equal(member(j, "levels", "local", "added"), 1);
	assert_null(json_object_get(json_object_get(j, "levels"), "regional"));
	json_t *added = json_object_get(j, "added");
	assert_int_equal(json_array_size(added), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(added, 0), "name")),
			    "Buurthuis D");
	assert_int_equal(json_array_size(json_object_get(j, "gemeenten")), 1);
	json_t *regions = json_object_get(j, "regions");
	assert_int_equal(json_array_size(regions), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(regions, 0), "code")),
			    "VR02");
	json_decref(j);
	j = render(c, 0, "VR01", 1);               /* a region, cut at 1 per list */
	assert_int_equal(member(j, "levels", "local", "added"), 2);
	assert_int_equal(json_array_size(json_object_get(j, "added")), 1);
	assert_true(json_is_true(json_object_get(j, "truncated")));
	json_t *cov = json_object_get(json_object_get(json_array_get(json_object_get(j, "regions"),
						     0), "coverage"), "after");
	assert_true(fabs(json_number_value(json_object_get(cov, "covered_pct")) - 95) < 1e-9);
	json_decref(j);
	struct changes_filter bad = {0, "GM0999", 10};
	char err[256];
	assert_int_equal(changes_to_json(c, &bad, NULL, &j, err, sizeof err), -ENOENT);
	assert_string_equal(err, "GM0999 is in neither plan 1 nor plan 2");
	changes_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sites, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reversed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
