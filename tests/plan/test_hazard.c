/* Unit tests for plan/hazard.c: the layer names a plan excludes checked against the loaded
 * layers, candidates inside an excluded layer removed (order kept, co-located site counts
 * kept), fixed ones inside kept and counted, a point on the edge counted inside, and the
 * regional level adding to the same counts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "plan/hazard.h"
#include "plan/params.h"
#include "plan/prepare.h"
#include "tests/lib/wkb_fx.h"

/* Two layers: "flood" the square 0..1000 plus 5000..6000, "dike" the square 2000..3000. */
static void load(struct plan_hazards *h)
{
	struct wkb a = rect(0, 0, 1000, 1000), b = rect(5000, 5000, 6000, 6000),
		   c = rect(2000, 2000, 3000, 3000);
	memset(h, 0, sizeof *h);
	assert_int_equal(plan_hazards_add(h, "flood", a.b, a.n), 0);
	assert_int_equal(plan_hazards_add(h, "flood", b.b, b.n), 0);
	assert_int_equal(plan_hazards_add(h, "dike", c.b, c.n), 0);
}

static void test_counts_init(void **state)
{
	struct plan_hazards h;
	struct plan_hazard_count c[PLAN_HAZARD_MAX];
	size_t n = 99;
	char err[256];
	(void)state;
	load(&h);
	assert_int_equal(plan_hazard_counts_init(&h, "", c, &n, err, sizeof err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(plan_hazard_counts_init(&h, "dike,flood", c, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].name, "dike");
	assert_string_equal(c[1].name, "flood");
	assert_int_equal(plan_hazard_counts_init(&h, "flood,maas", c, &n, err, sizeof err),
			 -ENOENT);
	assert_non_null(strstr(err, "hazard layer maas is not imported"));
	assert_int_equal(plan_hazard_counts_init(NULL, "flood", c, &n, err, sizeof err), -ENOENT);
	plan_hazards_free(&h);
}

static void add(struct candidates *c, double x, double y, int fixed, int64_t id)
{
	assert_int_equal(candidates_add(c, x, y, fixed, CAND_SITE, 0, id), 0);
	c->sites[c->n - 1] = (uint32_t)id;
}

static void test_exclude(void **state)
{
	struct geom_ctx *g = geom_ctx_new();
	struct plan_hazards h;
	struct candidates c = {0};
	struct plan_params p;
	struct plan_hazard_count hc[PLAN_HAZARD_MAX];
	size_t n = 0;
	char err[256];
	(void)state;
	load(&h);
	add(&c, 500, 500, 0, 1);      /* flood, removed */
	add(&c, 1500, 500, 0, 2);     /* outside */
	add(&c, 5500, 5500, 1, 3);    /* flood, fixed: kept */
	add(&c, 1000, 200, 0, 4);     /* on flood's edge: removed */
	add(&c, 2500, 2500, 0, 5);    /* dike, not excluded here */
	plan_params_init(&p);
	snprintf(p.hazard_exclude, sizeof p.hazard_exclude, "flood");
	p.hazards = &h;
	assert_int_equal(plan_prepare_hazards(g, &p, 0, &c, hc, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(hc[0].local_excluded, 2);
	assert_int_equal(hc[0].fixed_kept, 1);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.site_id[0], 2);
	assert_int_equal(c.site_id[1], 3);
	assert_int_equal(c.site_id[2], 5);
	assert_int_equal(c.sites[2], 5);
	assert_int_equal(c.fixed[1], 1);
	/* the regional level adds to the same counts */
	struct candidates r = {0};
	add(&r, 5100, 5900, 0, 7);
	add(&r, 9000, 9000, 0, 8);
	assert_int_equal(plan_prepare_hazards(g, &p, 1, &r, hc, &n, err, sizeof err), 0);
	assert_int_equal(hc[0].regional_excluded, 1);
	assert_int_equal(hc[0].local_excluded, 2);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.site_id[0], 8);
	candidates_free(&c);
	candidates_free(&r);
	plan_hazards_free(&h);
	geom_ctx_free(g);
}

static void test_no_exclusion_keeps_all(void **state)
{
	struct geom_ctx *g = geom_ctx_new();
	struct candidates c = {0};
	struct plan_params p;
	size_t n = 5;
	struct plan_hazard_count hc[PLAN_HAZARD_MAX];
	char err[256];
	(void)state;
	add(&c, 500, 500, 0, 1);
	plan_params_init(&p);
	assert_int_equal(plan_prepare_hazards(g, &p, 0, &c, hc, &n, err, sizeof err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(c.n, 1);
	snprintf(p.hazard_exclude, sizeof p.hazard_exclude, "flood");
	assert_int_equal(plan_prepare_hazards(g, &p, 0, &c, NULL, NULL, err, sizeof err),
			 -ENOENT);
	candidates_free(&c);
	geom_ctx_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_init),
		cmocka_unit_test(test_exclude),
		cmocka_unit_test(test_no_exclusion_keeps_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
