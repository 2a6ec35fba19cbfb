/* model/resilience.c on a served VR17 plan of the bundled data against brute force (every
 * point's reaching sites counted by scanning all sites; the ranking and each site's areas
 * recomputed), also with random shares of its local sites closed (index and counts rebuilt
 * in the test's copy) for random gemeenten, wijken and buurten; the method's reply agrees,
 * as does whatif removing the first site, and bad requests are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/rpc/rpc.h"
#include "geo/grid_index.h"
#include "model/resilience.h"
#include "model/selection.h"
#include "tests/lib/served_fx.h"

static struct served_fx W;
static struct served *S;

static int setup(void **state)
{
	(void)state;
	sfx_setup(&W);
	sfx_plan(&W, "VR17");
	S = sfx_load(&W);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	served_free(S);
	sfx_teardown(&W);
	return 0;
}

/* ---- brute force ---- */

struct brute {
	struct resilience_level local, regional;
	double *alone_res, *alone_vul, *alone_w;   /* [nsites] */
	size_t *alone_n;
	int64_t *sole;                /* [demand.n] the one local site, -1 */
	size_t local_sites;
};

static void add(struct resilience_tally *t, size_t i)
{
	t->residents += S->demand.residents[i];
	t->vulnerable += S->demand.vulnerable[i];
	t->weight += S->demand.weight[i];
	t->points++;
}

static void add_level(struct resilience_level *l, size_t i, int n)
{
	add(&l->total, i);
	add(n == 0 ? &l->none : n == 1 ? &l->once : &l->multiple, i);
}

/* The sites of level reaching point i, scanning every site; the last one in *which. */
static int reaching(int level, size_t i, int64_t *which)
{
	double r = served_radius(S, level, S->demand.urbanity[i]);
	int n = 0;
	for (size_t k = 0; k < S->nsites; k++) {
		double dx = S->sites[k].x - S->demand.xy[2 * i];
		double dy = S->sites[k].y - S->demand.xy[2 * i + 1];
		if (S->sites[k].level == level && dx * dx + dy * dy <= r * r) {
			n++;
			*which = (int64_t)k;
		}
	}
	return n;
}

static void brute_force(const struct selection *sel, struct brute *b)
{
	memset(b, 0, sizeof *b);
	b->alone_res = calloc(S->nsites + 1, sizeof(double));
	b->alone_vul = calloc(S->nsites + 1, sizeof(double));
	b->alone_w = calloc(S->nsites + 1, sizeof(double));
	b->alone_n = calloc(S->nsites + 1, sizeof(size_t));
	b->sole = malloc((S->demand.n + 1) * sizeof *b->sole);
	assert_true(b->alone_res && b->alone_vul && b->alone_w && b->alone_n && b->sole);
	for (size_t k = 0; k < S->nsites; k++)
		b->local_sites += S->sites[k].level == 1 && selection_has_site(S, sel, &S->sites[k]);
	for (size_t i = 0; i < S->demand.n; i++) {
		int64_t k = -1, kr = -1;
		b->sole[i] = -1;
		if (!selection_has_point(S, sel, i))
			continue;
		int n = reaching(1, i, &k);
		assert_int_equal(n, S->cover_count[i]);   /* the model's own counts agree */
		add_level(&b->local, i, n);
		add_level(&b->regional, i, reaching(2, i, &kr));
		if (n != 1)
			continue;
		b->sole[i] = k;
		b->alone_res[k] += S->demand.residents[i];
		b->alone_vul[k] += S->demand.vulnerable[i];
		b->alone_w[k] += S->demand.weight[i];
		b->alone_n[k]++;
	}
}

static void brute_free(struct brute *b)
{
	free(b->alone_res);
	free(b->alone_vul);
	free(b->alone_w);
	free(b->alone_n);
	free(b->sole);
}

static void same(double a, double b)
{
	if (fabs(a - b) > 1e-6 * (1 + fabs(b)))
		fail_msg("%.6f != %.6f", a, b);
}

static void same_tally(const struct resilience_tally *a, const struct resilience_tally *b)
{
	same(a->residents, b->residents);
	same(a->vulnerable, b->vulnerable);
	same(a->weight, b->weight);
	assert_int_equal(a->points, b->points);
}

static void same_level(const struct resilience_level *a, const struct resilience_level *b)
{
	same_tally(&a->total, &b->total);
	same_tally(&a->none, &b->none);
	same_tally(&a->once, &b->once);
	same_tally(&a->multiple, &b->multiple);
}

/* The listed area a point of a site's sole coverage falls in, found by scanning: the wijk
 * (fine: the buurt) that contains its demand area, else that area itself. */
static int32_t scan_area(int32_t a, int fine)
{
	if (S->areas[a].level == 1)
		return a;
	for (size_t w = 0; w < S->nareas; w++)
		if (S->areas[w].level == (fine ? 3 : 2) && selection_area_in(S, a, (int32_t)w))
			return (int32_t)w;
	for (size_t w = 0; fine && w < S->nareas; w++)   /* a wijk without buurten */
		if (S->areas[w].level == 2 && selection_area_in(S, a, (int32_t)w))
			return (int32_t)w;
	return a;
}

/* scan_area of point i's demand area, remembered per area (the areas never change). */
static int32_t area_of_point(const struct selection *sel, size_t i)
{
	static int32_t *memo[2];
	int fine = sel->kind == SEL_AREA && S->areas[sel->index].level >= 2;
	int32_t a = S->demand.area[i];
	if (!memo[fine]) {
		assert_non_null(memo[fine] = malloc((S->nareas + 1) * sizeof(int32_t)));
		for (size_t k = 0; k < S->nareas; k++)
			memo[fine][k] = -2;
	}
	if (memo[fine][a] == -2)
		memo[fine][a] = scan_area(a, fine);
	return memo[fine][a];
}

/* The listed site's areas are the three largest shares of its sole residents. */
static void check_areas(const struct selection *sel, const struct brute *b,
			const struct resilience_site *r)
{
	double *by_area = calloc(S->nareas + 1, sizeof *by_area), listed = 0;
	assert_non_null(by_area);
	for (size_t i = 0; i < S->demand.n; i++)
		if (b->sole[i] == (int64_t)r->site)
			by_area[area_of_point(sel, i)] += S->demand.residents[i];
	for (size_t q = 0; q < r->nareas; q++) {
		same(r->areas[q].residents, by_area[r->areas[q].area]);
		listed += r->areas[q].residents;
		assert_true(q == 0 || r->areas[q].residents <= r->areas[q - 1].residents);
	}
	double last = r->nareas ? r->areas[r->nareas - 1].residents : 0;
	size_t bigger = 0, positive = 0;
	for (size_t a = 0; a < S->nareas; a++) {
		bigger += by_area[a] > last + 1e-9;
		positive += by_area[a] > 0;
	}
	assert_true(bigger <= r->nareas);
	assert_int_equal(r->nareas, positive < RESILIENCE_AREAS ? positive : RESILIENCE_AREAS);
	assert_true(listed <= r->alone.residents + 1e-6);
	free(by_area);
}

/* The ranking: every site with sole coverage, residents descending, ties by seq. */
static void check_ranking(const struct selection *sel, const struct brute *b,
			  const struct resilience *r, int limit)
{
	size_t sole = 0;
	for (size_t k = 0; k < S->nsites; k++)
		sole += b->alone_n[k] > 0;
	assert_int_equal(r->sole_sites, sole);
	assert_int_equal(r->nranked, sole < (size_t)limit ? sole : (size_t)limit);
	for (size_t q = 0; q < r->nranked; q++) {
		const struct resilience_site *x = &r->ranked[q];
		struct resilience_tally t = {b->alone_res[x->site], b->alone_vul[x->site],
					     b->alone_w[x->site], b->alone_n[x->site]};
		same_tally(&x->alone, &t);
		assert_int_equal(x->seq, S->sites[x->site].seq);
		assert_int_equal(x->inside, selection_has_site(S, sel, &S->sites[x->site]));
		/* no site left out ranks before it */
		for (size_t k = 0; k < S->nsites; k++) {
			if (!b->alone_n[k])
				continue;
			int before = b->alone_res[k] > x->alone.residents ||
				     (b->alone_res[k] == x->alone.residents &&
				      S->sites[k].seq < x->seq);
			size_t at = 0;
			while (at < q && r->ranked[at].site != k)
				at++;
			if (before && at == q)
				fail_msg("site %zu (seq %d, %.1f) should rank before rank %zu",
					 k, S->sites[k].seq, b->alone_res[k], q + 1);
		}
		if (q < 12)
			check_areas(sel, b, x);
	}
}

static void check_selection(const struct selection *sel, int limit)
{
	struct brute b;
	struct resilience r;
	brute_force(sel, &b);
	assert_int_equal(resilience_compute(S, sel, limit, &r), 0);
	same_level(&r.local, &b.local);
	same_level(&r.regional, &b.regional);
	assert_int_equal(r.local_sites, b.local_sites);
	check_ranking(sel, &b, &r, limit);
	resilience_free(&r);
	brute_free(&b);
}

static void check_code(const char *code, int limit)
{
	struct selection sel;
	if (selection_from_code(S, code, &sel) < 0)
		fail_msg("no %s in the plan", code);
	check_selection(&sel, limit);
}

/* ---- tests ---- */

static void test_plan_region(void **state)
{
	(void)state;
	struct selection sel;
	struct resilience r;
	check_code("VR17", RESILIENCE_LIMIT_MAX);
	check_code("VR17", 5);
	check_code("VR17", 0);
	check_code("GM0599", 20);
	assert_int_equal(selection_from_code(S, "VR17", &sel), 0);
	assert_int_equal(resilience_compute(S, &sel, 10, &r), 0);
	assert_true(r.local.once.residents > 0 && r.local.multiple.residents > 0);
	assert_true(r.nranked == 10 && r.ranked[0].alone.residents > 0);
	resilience_free(&r);
	assert_int_equal(resilience_compute(S, &sel, RESILIENCE_LIMIT_MAX + 1, &r), -EINVAL);
	assert_int_equal(resilience_compute(S, &sel, -1, &r), -EINVAL);
}

/* Closes a random share of the local sites in the test's model: a closed site leaves the
 * local level (level 0), the local index is rebuilt on the open ones and the counts
 * recomputed by scanning. restore puts the plan back. */
static uint8_t *close_sites(unsigned *seed, int pct, int *saved_level)
{
	uint8_t *closed = calloc(S->nsites + 1, 1);
	double *xy = malloc((S->nsites + 1) * 2 * sizeof *xy);
	uint32_t *ix = malloc((S->nsites + 1) * sizeof *ix);
	size_t n = 0;
	assert_true(closed && xy && ix);
	for (size_t k = 0; k < S->nsites; k++) {
		saved_level[k] = S->sites[k].level;
		if (S->sites[k].level == 1 && (int)(rand_r(seed) % 100) < pct) {
			closed[k] = 1;
			S->sites[k].level = 0;
		}
		if (S->sites[k].level != 1)
			continue;
		xy[2 * n] = S->sites[k].x;
		xy[2 * n + 1] = S->sites[k].y;
		ix[n++] = (uint32_t)k;
	}
	grid_index_free(S->site_index[0]);
	free(S->site_xy[0]);
	free(S->site_ix[0]);
	S->site_xy[0] = xy;
	S->site_ix[0] = ix;
	S->site_n[0] = n;
	assert_non_null(S->site_index[0] = grid_index_new(xy, n, 2000));
	for (size_t i = 0; i < S->demand.n; i++) {
		int64_t k;
		S->cover_count[i] = (uint16_t)reaching(1, i, &k);
	}
	return closed;
}

static void restore(uint8_t *closed, int *saved_level, unsigned *seed)
{
	for (size_t k = 0; k < S->nsites; k++)
		S->sites[k].level = saved_level[k];
	free(close_sites(seed, 0, saved_level));
	free(closed);
}

/* A random area of the given level holding demand. */
static int32_t random_area(unsigned *seed, int level)
{
	for (int tries = 0; tries < 100000; tries++) {
		size_t i = (size_t)rand_r(seed) % S->demand.n;
		int32_t a = S->demand.area[i];
		const struct served_area *x = &S->areas[a];
		int32_t up = level == 1 ? x->gemeente : level == 2 ? x->wijk : x->buurt;
		if (x->level == level)
			return a;
		if (up >= 0 && S->areas[up].level == level)
			return up;
	}
	fail_msg("no area of level %d", level);
	return -1;
}

static void test_random_instances(void **state)
{
	(void)state;
	unsigned seed = 16;
	int *saved = malloc((S->nsites + 1) * sizeof *saved);
	assert_non_null(saved);
	for (int round = 0; round < 6; round++) {
		uint8_t *closed = close_sites(&seed, 10 + 15 * round, saved);
		struct selection sel;
		check_code("VR17", 1 + (int)(rand_r(&seed) % 40));
		for (int level = 1; level <= 3; level++) {
			memset(&sel, 0, sizeof sel);
			sel.kind = SEL_AREA;
			sel.index = random_area(&seed, level);
			check_selection(&sel, 1 + (int)(rand_r(&seed) % 30));
		}
		restore(closed, saved, &seed);
	}
	free(saved);
	check_code("VR17", 3);            /* the plan is back as it was */
}

/* The method's reply: the same figures and order; bad requests refused. */
static void test_method(void **state)
{
	(void)state;
	struct selection sel;
	struct resilience r;
	assert_int_equal(selection_from_code(S, "GM0599", &sel), 0);
	assert_int_equal(resilience_compute(S, &sel, 4, &r), 0);
	json_t *j = sfx_call(S, "resilience", "{\"region\":\"GM0599\",\"limit\":4}");
	json_t *once = json_object_get(json_object_get(j, "local"), "once"), *sites, *x;
	assert_string_equal(json_string_value(json_object_get(j, "region")), "GM0599");
	same(json_number_value(json_object_get(once, "residents")),
	     round(r.local.once.residents * 10) / 10);
	assert_int_equal(json_integer_value(json_object_get(j, "sole_sites")), r.sole_sites);
	sites = json_object_get(j, "sites");
	assert_int_equal(json_array_size(sites), r.nranked);
	size_t k;
	json_array_foreach(sites, k, x) {
		json_t *site = json_object_get(x, "site");
		assert_int_equal(json_integer_value(json_object_get(x, "rank")), k + 1);
		assert_int_equal(json_integer_value(json_object_get(site, "seq")), r.ranked[k].seq);
		assert_int_equal(json_is_true(json_object_get(x, "designated")),
				 r.ranked[k].designated);
		assert_int_equal(json_array_size(json_object_get(x, "areas")), r.ranked[k].nareas);
	}
	json_decref(j);
	/* whatif removing the first site loses exactly what it alone covers in the gemeente */
	char params[64];
	snprintf(params, sizeof params, "{\"remove\":[%d]}", r.ranked[0].seq);
	j = sfx_call(S, "whatif", params);
	double change = NAN;
	json_array_foreach(json_object_get(j, "areas"), k, x)
		if (strcmp(json_string_value(json_object_get(x, "code")), "GM0599") == 0)
			change = json_number_value(json_object_get(x, "change"));
	if (fabs(change + r.ranked[0].alone.residents) > 0.1)
		fail_msg("whatif remove %d: GM0599 changes by %.1f, resilience says %.1f alone",
			 r.ranked[0].seq, change, r.ranked[0].alone.residents);
	json_decref(j);
	resilience_free(&r);
	j = sfx_call(S, "resilience", "{\"region\":\"VR17\"}");
	assert_int_equal(json_array_size(json_object_get(j, "sites")), 10);
	json_decref(j);
	sfx_expect_error(S, "resilience", "{\"region\":\"GM9999\"}", RPC_NOT_FOUND,
			 "no safety region, gemeente, wijk or buurt \"GM9999\"");
	sfx_expect_error(S, "resilience", "{\"region\":\"VR17\",\"limit\":1001}",
			 RPC_INVALID_PARAMS, "\"limit\" must be an integer 0..1000");
	sfx_expect_error(S, "resilience", "{\"region\":\"VR17\",\"worst\":3}", RPC_INVALID_PARAMS,
			 "resilience: unknown parameter \"worst\"; accepted: region, limit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_region),
		cmocka_unit_test(test_random_instances),
		cmocka_unit_test(test_method),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
