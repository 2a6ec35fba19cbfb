/* Unit tests for plan/cover_aggregate.c and plan/cover_exact.c: aggregation keeps every
 * open set's covered weight (so the optimum, checked by brute force) and merges exactly
 * the identical coverage sets; both exact modes find hand-made optima (fixed sites, more
 * sites than needed, unreachable points), match brute force on small random instances,
 * stop at a time limit with a valid bound, reject bad input and print nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan/cover.h"
#include "plan/cover_aggregate.h"
#include "plan/cover_exact.h"

/* ---- instance builders ---- */

static uint64_t rnd_state;

static uint64_t rnd(void)
{
	uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double urand(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* A model from explicit lists: cand j covers dem[off[j] .. off[j+1]) (distance = position). */
static struct cover_model *model_lists(size_t n, size_t nc, const uint32_t *off,
				       const uint32_t *dem, const double *w)
{
	struct cover_model *m = cover_model_new(n, nc, off[nc], 1);
	assert_non_null(m);
	for (size_t i = 0; i < n; i++) {
		m->weight[i] = w ? w[i] : 1.0;
		m->residents[i] = m->weight[i];
	}
	memcpy(m->cand_off, off, (nc + 1) * sizeof *off);
	for (uint32_t q = 0; q < off[nc]; q++) {
		m->cand_dem[q] = dem[q];
		m->cand_dist_m[q] = (float)(q - off[0]);
	}
	assert_int_equal(cover_model_transpose(m), 0);
	return m;
}

/* Random points and candidates in the unit square; a candidate covers the points within
 * radius (in point order: the tests do not use distances). With lattice > 0 the points
 * sit on a lattice x lattice grid, so many share their coverage set. Integer weights. */
static struct cover_model *model_geo(size_t n, size_t nc, double radius, size_t lattice)
{
	double *xy = malloc(2 * (n + nc) * sizeof *xy);
	uint32_t *off = calloc(nc + 1, sizeof *off), *dem = NULL;
	size_t cap = 0, np = 0;
	assert_true(xy && off);
	for (size_t k = 0; k < 2 * (n + nc); k++) {
		xy[k] = urand();
		if (lattice && k < 2 * n)
			xy[k] = (double)(rnd() % lattice) / (double)lattice;
	}
	for (size_t j = 0; j < nc; j++) {
		for (uint32_t i = 0; i < n; i++) {
			if (hypot(xy[2 * i] - xy[2 * (n + j)], xy[2 * i + 1] - xy[2 * (n + j) + 1]) > radius)
				continue;
			if (np == cap) {
				cap = cap ? 2 * cap : 1024;
				dem = realloc(dem, cap * sizeof *dem);
				assert_non_null(dem);
			}
			dem[np++] = i;
		}
		off[j + 1] = (uint32_t)np;
	}
	double *w = malloc(n * sizeof *w);
	assert_non_null(w);
	for (size_t i = 0; i < n; i++)
		w[i] = (double)(1 + rnd() % 40);
	struct cover_model *m = model_lists(n, nc, off, dem ? dem : off, w);
	free(w);
	free(xy);
	free(off);
	free(dem);
	return m;
}

/* Best weight over all sets of at most p candidates containing every fixed one. */
static double brute(const struct cover_model *m, size_t p)
{
	double best = 0;
	uint32_t open[32];
	assert_true(m->ncand <= 20);
	for (uint32_t set = 0; set < (1u << m->ncand); set++) {
		size_t k = 0;
		int ok = __builtin_popcount(set) <= (int)p;
		for (uint32_t j = 0; ok && j < m->ncand; j++) {
			if (m->fixed[j] && !(set >> j & 1))
				ok = 0;
			if (set >> j & 1)
				open[k++] = j;
		}
		if (ok)
			best = fmax(best, cover_weight(m, open, k, NULL));
	}
	return best;
}

/* The result is a valid plan: at most p distinct sites, fixed ones first, the covered
 * weight right and the bound above it. */
static void check_result(const struct cover_model *m, size_t p, const struct cover_exact_result *r)
{
	uint8_t *seen = calloc(m->ncand + 1, 1);
	size_t nfixed = 0;
	assert_non_null(seen);
	assert_true(r->nopen <= p);
	for (size_t k = 0; k < r->nopen; k++) {
		assert_true(r->open[k] < m->ncand);
		assert_false(seen[r->open[k]]);
		seen[r->open[k]] = 1;
	}
	for (size_t j = 0; j < m->ncand; j++)
		if (m->fixed[j]) {
			assert_true(seen[j]);
			nfixed++;
		}
	for (size_t k = 0; k < nfixed; k++)
		assert_true(m->fixed[r->open[k]]);
	assert_true(fabs(r->covered_weight - cover_weight(m, r->open, r->nopen, NULL)) <=
		    1e-9 * (1 + r->covered_weight));
	assert_true(r->bound >= r->covered_weight);
	assert_true(r->seconds >= 0);
	free(seen);
}

/* Solves exactly and checks that the result is the proven optimum opt. */
static void expect_optimum(const struct cover_model *m, size_t p, const uint32_t *warm,
			   size_t nwarm, double opt)
{
	struct cover_exact_result r;
	char err[256] = "";
	int rc = cover_exact_budget(m, p, warm, nwarm, 0, &r, err, sizeof err);
	if (rc != 0)
		fail_msg("cover_exact_budget: %d %s", rc, err);
	check_result(m, p, &r);
	if (fabs(r.covered_weight - opt) > 1e-9 * (1 + opt) || !r.optimal ||
	    fabs(r.bound - opt) > 1e-9 * (1 + opt))
		fail_msg("p %zu: covered %.9g bound %.9g optimal %d, expected %.9g", p,
			 r.covered_weight, r.bound, r.optimal, opt);
	cover_exact_result_free(&r);
}

/* ---- aggregation ---- */

static int same_set(const struct cover_model *m, uint32_t a, uint32_t b)
{
	uint32_t na = m->dem_off[a + 1] - m->dem_off[a], nb = m->dem_off[b + 1] - m->dem_off[b];
	return na == nb && !memcmp(m->dem_cand + m->dem_off[a], m->dem_cand + m->dem_off[b],
				   na * sizeof(uint32_t));
}

/* The mapping: same class iff same non-empty set; sums per class; no duplicates left. */
static void check_mapping(const struct cover_model *m, const struct cover_model *a,
			  const uint32_t *class_of)
{
	double *w = calloc(a->ndemand + 1, sizeof *w);
	assert_non_null(w);
	for (uint32_t i = 0; i < m->ndemand; i++) {
		if (m->dem_off[i + 1] == m->dem_off[i]) {
			assert_int_equal(class_of[i], UINT32_MAX);
			continue;
		}
		assert_true(class_of[i] < a->ndemand);
		w[class_of[i]] += m->weight[i];
		for (uint32_t k = 0; k < i; k++)
			if (m->dem_off[k + 1] > m->dem_off[k])
				assert_int_equal(same_set(m, i, k), class_of[i] == class_of[k]);
		/* the class has the same candidates as its points */
		uint32_t c = class_of[i], nc = m->dem_off[i + 1] - m->dem_off[i];
		assert_int_equal(a->dem_off[c + 1] - a->dem_off[c], nc);
		assert_memory_equal(a->dem_cand + a->dem_off[c], m->dem_cand + m->dem_off[i],
				    nc * sizeof(uint32_t));
	}
	for (uint32_t c = 0; c < a->ndemand; c++) {
		assert_true(fabs(w[c] - a->weight[c]) <= 1e-9 * w[c]);
		for (uint32_t d = 0; d < c; d++)
			assert_false(same_set(a, c, d));
	}
	free(w);
}

static void test_aggregate_brute(void **state)
{
	(void)state;
	int merged = 0;
	for (uint32_t seed = 1; seed <= 30; seed++) {
		rnd_state = seed;
		struct cover_model *m = model_geo(60, 10, 0.3, seed % 2 ? 6 : 0), *a;
		uint32_t *class_of;
		m->fixed[seed % 10] = seed % 3 == 0;
		assert_int_equal(cover_aggregate(m, &a, &class_of), 0);
		check_mapping(m, a, class_of);
		merged += a->ndemand < m->ndemand;
		for (int t = 0; t < 20; t++) { /* any open set covers the same weight */
			uint32_t open[4];
			for (int k = 0; k < 4; k++)
				open[k] = (uint32_t)(rnd() % 10);
			assert_true(fabs(cover_weight(m, open, 4, NULL) - cover_weight(a, open, 4, NULL)) <=
				    1e-9 * cover_weight(m, open, 4, NULL));
		}
		for (size_t p = 1; p <= 4; p++)
			assert_true(fabs(brute(m, p) - brute(a, p)) <= 1e-9 * brute(m, p));
		free(class_of);
		cover_model_free(a);
		cover_model_free(m);
	}
	assert_true(merged >= 20);
}

static void test_aggregate_lists(void **state)
{
	(void)state;
	/* points 0, 2 and 5 share {0, 1}; 1 and 4 share {1}; 3 has no candidate */
	static const uint32_t off[] = {0, 3, 8, 8}, dem[] = {0, 2, 5, 0, 1, 2, 4, 5};
	double w[] = {1, 2, 4, 8, 16, 32};
	struct cover_model *m = model_lists(6, 3, off, dem, w), *a;
	uint32_t *class_of;
	m->fixed[2] = 1;
	assert_int_equal(cover_aggregate(m, &a, &class_of), 0);
	check_mapping(m, a, class_of);
	assert_int_equal(class_of[3], UINT32_MAX);
	assert_int_equal(a->ncand, 3);
	assert_int_equal(a->fixed[2], 1);
	assert_int_equal(a->ndemand, 2);
	assert_true(a->weight[class_of[0]] == 37 && a->weight[class_of[1]] == 18);
	assert_int_equal(a->cand_off[1] - a->cand_off[0], 1);
	assert_int_equal(a->cand_off[2] - a->cand_off[1], 2);
	assert_int_equal(a->cand_off[3], a->nnz);
	free(class_of);
	cover_model_free(a);
	cover_model_free(m);

	struct cover_model *none = cover_model_new(3, 2, 0, 1);
	assert_non_null(none);
	assert_int_equal(cover_aggregate(none, &a, NULL), 0); /* nobody covered */
	assert_int_equal(a->ndemand, 0);
	cover_model_free(a);
	cover_model_free(none);
	struct cover_model *raw = cover_model_new(3, 1, 2, 1);
	assert_non_null(raw);
	raw->cand_off[1] = 2;
	raw->cand_dem[1] = 2;
	assert_int_equal(cover_aggregate(raw, &a, NULL), -EINVAL); /* no transpose yet */
	assert_null(a);
	cover_model_free(raw);
}

/* ---- exact mode: hand-made ---- */

/* Greedy takes site 0 (4 points) and reaches 5; sites 1 and 2 cover all 6. */
static const uint32_t trap_off[] = {0, 4, 7, 10}, trap_dem[] = {0, 1, 2, 3, 0, 1, 4, 2, 3, 5};

static void test_exact_trap(void **state)
{
	(void)state;
	struct cover_model *m = model_lists(6, 3, trap_off, trap_dem, NULL);
	uint32_t greedy[] = {0, 1};
	expect_optimum(m, 2, NULL, 0, 6);
	expect_optimum(m, 2, greedy, 2, 6); /* a worse warm start does not stick */
	expect_optimum(m, 1, NULL, 0, 4);
	expect_optimum(m, 0, NULL, 0, 0);
	expect_optimum(m, 3, NULL, 0, 6);  /* more sites than needed */
	m->fixed[0] = 1;                   /* a fixed site changes the optimum */
	expect_optimum(m, 2, NULL, 0, 5);
	expect_optimum(m, 1, NULL, 0, 4);
	expect_optimum(m, 3, NULL, 0, 6);
	cover_model_free(m);
}

/* Ten points on a line, site j covers j-1..j+1 (weights 1 but point 9 weighs 10), point 10
 * (weight 100) is covered by nobody: the bound must not count it. */
static void test_exact_line(void **state)
{
	(void)state;
	uint32_t off[11], dem[30], q = 0;
	double w[11];
	for (uint32_t j = 0; j < 10; j++) {
		off[j] = q;
		for (int d = -1; d <= 1; d++)
			if ((int)j + d >= 0 && (int)j + d < 10)
				dem[q++] = j + (uint32_t)d;
	}
	off[10] = q;
	for (int i = 0; i < 11; i++)
		w[i] = i == 9 ? 10 : i == 10 ? 100 : 1;
	struct cover_model *m = model_lists(11, 10, off, dem, w);
	expect_optimum(m, 1, NULL, 0, 12);  /* site 8 */
	expect_optimum(m, 3, NULL, 0, 18);  /* 8 + 10 */
	expect_optimum(m, 4, NULL, 0, 19);  /* all ten points */
	expect_optimum(m, 9, NULL, 0, 19);
	m->fixed[0] = m->fixed[4] = 1;
	expect_optimum(m, 2, NULL, 0, 5);
	expect_optimum(m, 3, NULL, 0, 17);
	cover_model_free(m);
}

static void test_exact_bad_input(void **state)
{
	(void)state;
	struct cover_model *m = model_lists(6, 3, trap_off, trap_dem, NULL);
	struct cover_exact_result r;
	char err[256] = "";
	uint32_t bad[] = {7}, many[] = {1, 2};
	assert_int_equal(cover_exact_budget(m, 4, NULL, 0, 0, &r, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "p = 4"));
	m->fixed[0] = m->fixed[1] = 1;
	assert_int_equal(cover_exact_budget(m, 1, NULL, 0, 0, &r, err, sizeof err), -EINVAL);
	assert_null(r.open);
	assert_int_equal(cover_exact_budget(m, 2, bad, 1, 0, &r, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "7"));
	assert_int_equal(cover_exact_budget(m, 2, many, 2, 0, &r, err, sizeof err), -EINVAL);
	cover_exact_result_free(&r);
	cover_exact_result_free(NULL);
	cover_model_free(m);
}

/* ---- exact mode: brute force, time limit, silence ---- */

static void test_exact_brute(void **state)
{
	(void)state;
	int runs = 0;
	for (uint32_t seed = 1; seed <= 40; seed++) {
		rnd_state = 100 + seed;
		struct cover_model *m = model_geo(50, 12, 0.2 + 0.05 * (seed % 4), seed % 3 ? 0 : 8);
		if (seed % 4 == 0)
			m->fixed[seed % 12] = 1;
		for (size_t p = (seed % 4 == 0); p <= 5; p++) {
			struct cover_solution s;
			double opt = brute(m, p);
			expect_optimum(m, p, NULL, 0, opt);
			assert_int_equal(cover_solve_budget(m, p, seed, 0, NULL, &s), 0);
			expect_optimum(m, p, s.open, s.nopen, opt);
			cover_solution_free(&s);
			runs += 2;
		}
		cover_model_free(m);
	}
	assert_true(runs >= 400);
}

static void test_exact_time_limit(void **state)
{
	(void)state;
	rnd_state = 7; /* CBC needs minutes for this one (0.4 % gap after 30 s) */
	struct cover_model *m = model_geo(12000, 1200, 0.1, 0);
	struct cover_solution s;
	struct cover_exact_result r;
	char err[256] = "";
	size_t p = 20;
	assert_int_equal(cover_solve_budget(m, p, 1, 0, NULL, &s), 0);
	assert_int_equal(cover_exact_budget(m, p, s.open, s.nopen, 1.0, &r, err, sizeof err), 0);
	check_result(m, p, &r);
	print_message("time limit: covered %.1f (warm %.1f), bound %.1f, %.2f s\n",
		      r.covered_weight, s.covered_weight, r.bound, r.seconds);
	assert_false(r.optimal);
	assert_true(r.bound > r.covered_weight);
	assert_true(r.covered_weight >= s.covered_weight);
	assert_true(r.seconds < 60);   /* the 1 s limit plus CBC's root LP, on a loaded machine */
	cover_exact_result_free(&r);
	cover_solution_free(&s);
	cover_model_free(m);
}

/* ---- exact target mode ---- */

static double total_weight(const struct cover_model *m)
{
	double t = 0;
	for (size_t i = 0; i < m->ndemand; i++)
		t += m->weight[i];
	return t;
}

/* Fewest sites (fixed ones included) covering share of the total weight; SIZE_MAX when
 * no set does. */
static size_t brute_target(const struct cover_model *m, double share)
{
	double need = share * total_weight(m) - 1e-9 * fmax(1, total_weight(m));
	size_t best = SIZE_MAX;
	uint32_t open[32];
	assert_true(m->ncand <= 20);
	for (uint32_t set = 0; set < (1u << m->ncand); set++) {
		size_t k = 0;
		int ok = (size_t)__builtin_popcount(set) < best;
		for (uint32_t j = 0; ok && j < m->ncand; j++) {
			if (m->fixed[j] && !(set >> j & 1))
				ok = 0;
			if (set >> j & 1)
				open[k++] = j;
		}
		if (ok && cover_weight(m, open, k, NULL) >= need)
			best = k;
	}
	return best;
}

/* The result is a valid cover: distinct sites, fixed ones first, the covered weight right
 * and at least the share, the lower bound between the fixed sites and the count. */
static void check_target(const struct cover_model *m, double share,
			 const struct cover_exact_result *r)
{
	struct cover_exact_result as_budget = *r;
	size_t nfixed = 0;
	for (size_t j = 0; j < m->ncand; j++)
		nfixed += m->fixed[j] != 0;
	as_budget.bound = r->covered_weight;
	check_result(m, r->nopen, &as_budget);
	assert_true(r->covered_weight >= share * total_weight(m) - 1e-9 * (1 + total_weight(m)));
	assert_true(r->sites_bound >= nfixed && r->sites_bound <= r->nopen);
	assert_int_equal(r->optimal, r->sites_bound == r->nopen);
}

/* Solves exactly and checks that the result is the proven optimum of k sites. */
static void expect_target(const struct cover_model *m, double share, const uint32_t *warm,
			  size_t nwarm, size_t k)
{
	struct cover_exact_result r;
	char err[256] = "";
	int rc = cover_exact_target(m, share, warm, nwarm, 0, &r, err, sizeof err);
	if (rc != 0)
		fail_msg("cover_exact_target: %d %s", rc, err);
	check_target(m, share, &r);
	if (r.nopen != k || !r.optimal || r.sites_bound != k)
		fail_msg("share %.9g: %zu sites, bound %zu, optimal %d, expected %zu", share,
			 r.nopen, r.sites_bound, r.optimal, k);
	cover_exact_result_free(&r);
}

static void test_target_trap(void **state)
{
	(void)state;
	struct cover_model *m = model_lists(6, 3, trap_off, trap_dem, NULL);
	uint32_t all[] = {0, 1, 2}, greedy[] = {0};
	expect_target(m, 1, NULL, 0, 2);          /* sites 1 and 2, not the greedy's 0 */
	expect_target(m, 1, all, 3, 2);           /* a warm start with a site too many */
	expect_target(m, 1, greedy, 1, 2);        /* one too short: completed, then bettered */
	expect_target(m, 4.0 / 6, NULL, 0, 1);
	expect_target(m, 5.0 / 6, NULL, 0, 2);
	expect_target(m, 0, NULL, 0, 0);
	m->fixed[0] = 1;                          /* a fixed site changes the optimum */
	expect_target(m, 1, NULL, 0, 3);
	expect_target(m, 4.0 / 6, all, 3, 1);     /* the fixed site suffices */
	cover_model_free(m);
}

/* The line of test_exact_line (total 119, 19 reachable): intervals of three points. */
static void test_target_line(void **state)
{
	(void)state;
	uint32_t off[11], dem[30], q = 0;
	double w[11];
	for (uint32_t j = 0; j < 10; j++) {
		off[j] = q;
		for (int d = -1; d <= 1; d++)
			if ((int)j + d >= 0 && (int)j + d < 10)
				dem[q++] = j + (uint32_t)d;
	}
	off[10] = q;
	for (int i = 0; i < 11; i++)
		w[i] = i == 9 ? 10 : i == 10 ? 100 : 1;
	struct cover_model *m = model_lists(11, 10, off, dem, w);
	expect_target(m, 12.0 / 119, NULL, 0, 1);  /* site 8 */
	expect_target(m, 13.0 / 119, NULL, 0, 2);
	expect_target(m, 19.0 / 119, NULL, 0, 4);  /* every reachable point */
	m->fixed[0] = m->fixed[4] = 1;
	expect_target(m, 15.0 / 119, NULL, 0, 3);  /* 0-1, 3-5 and 7-9 */
	expect_target(m, 19.0 / 119, NULL, 0, 5);  /* and 1-3 for point 2 */
	cover_model_free(m);
}

static void test_target_bad_input(void **state)
{
	(void)state;
	struct cover_model *m = model_lists(6, 3, trap_off, trap_dem, NULL);
	struct cover_exact_result r;
	char err[256] = "";
	uint32_t bad[] = {7};
	m->cand_off[3] = 9;        /* site 2 no longer reaches point 5 (weight 4 of 9) */
	m->weight[5] = 4;
	assert_int_equal(cover_model_transpose(m), 0);
	assert_int_equal(cover_exact_target(m, 0.7, NULL, 0, 0, &r, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "reach only 5"));
	assert_null(r.open);
	assert_int_equal(cover_exact_target(m, 0.5, NULL, 0, 0, &r, err, sizeof err), 0);
	assert_int_equal(r.nopen, 2);
	cover_exact_result_free(&r);
	assert_int_equal(cover_exact_target(m, 1.5, NULL, 0, 0, &r, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "1.5"));
	assert_int_equal(cover_exact_target(m, NAN, NULL, 0, 0, &r, err, sizeof err), -EINVAL);
	assert_int_equal(cover_exact_target(m, 0.5, bad, 1, 0, &r, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "7"));
	cover_exact_result_free(&r);
	cover_model_free(m);
}

/* Random instances: the brute-force optimum, cold and warm-started with the heuristic's
 * plan, and the same count on the aggregated model (share scaled to its total). */
static void test_target_brute(void **state)
{
	(void)state;
	static const double shares[] = {0.2, 0.45, 0.7, 0.85, 0.95};
	int runs = 0, merged = 0;
	for (uint32_t seed = 1; seed <= 40; seed++) {
		rnd_state = 500 + seed;
		struct cover_model *m = model_geo(50, 12, 0.2 + 0.05 * (seed % 4), seed % 3 ? 0 : 8);
		struct cover_model *a;
		if (seed % 4 == 0)
			m->fixed[seed % 12] = 1;
		assert_int_equal(cover_aggregate(m, &a, NULL), 0);
		merged += a->ndemand < m->ndemand;
		for (size_t t = 0; t < sizeof shares / sizeof *shares; t++) {
			size_t opt = brute_target(m, shares[t]);
			if (opt == SIZE_MAX)
				continue;
			struct cover_solution s;
			expect_target(m, shares[t], NULL, 0, opt);
			assert_int_equal(cover_solve_target(m, shares[t], 0, seed, 0, NULL, &s), 0);
			expect_target(m, shares[t], s.open, s.nopen, opt);
			double scaled = fmin(1, shares[t] * total_weight(m) / total_weight(a));
			expect_target(a, scaled, s.open, s.nopen, opt);
			cover_solution_free(&s);
			runs += 3;
		}
		cover_model_free(a);
		cover_model_free(m);
	}
	assert_true(runs >= 400);
	assert_true(merged >= 10);
}

static void test_target_time_limit(void **state)
{
	(void)state;
	rnd_state = 9; /* CBC's root LP takes 0.5 s; no proof within 20 s (4 sites apart) */
	struct cover_model *m = model_geo(4000, 400, 0.08, 0);
	struct cover_solution s;
	struct cover_exact_result r;
	char err[256] = "";
	double share = 0.9;
	assert_int_equal(cover_solve_target(m, share, 0, 1, 0, NULL, &s), 0);
	assert_int_equal(cover_exact_target(m, share, s.open, s.nopen, 1.0, &r, err, sizeof err), 0);
	check_target(m, share, &r);
	print_message("target time limit: %zu sites (warm %zu), at least %zu, %.2f s\n",
		      r.nopen, s.nopen, r.sites_bound, r.seconds);
	assert_false(r.optimal);
	assert_true(r.sites_bound < r.nopen);
	assert_true(r.nopen <= s.nopen);
	assert_true(r.seconds < 60);   /* the 1 s limit plus the root LP, on a loaded machine */
	cover_exact_result_free(&r);
	cover_solution_free(&s);
	cover_model_free(m);
}

/* CBC must print nothing: stdout and stderr go to a file during a solve in each mode. */
static void test_exact_silent(void **state)
{
	(void)state;
	char path[] = "/tmp/test_cover_exact_XXXXXX";
	int fd = mkstemp(path), out = dup(1), errfd = dup(2);
	struct cover_exact_result r;
	char err[256] = "";
	assert_true(fd >= 0 && out >= 0 && errfd >= 0);
	rnd_state = 3;
	struct cover_model *m = model_geo(400, 40, 0.15, 0);
	fflush(stdout);
	fflush(stderr);
	dup2(fd, 1);
	dup2(fd, 2);
	int rc = cover_exact_budget(m, 6, NULL, 0, 0, &r, err, sizeof err);
	if (rc == 0) { /* once printed Clp's presolve notes (Coin0505I) */
		struct cover_solution s;
		cover_exact_result_free(&r);
		rnd_state = 2;
		cover_model_free(m);
		m = model_geo(50, 12, 0.25, 0);
		rc = cover_solve_target(m, 0.85, 0, 1, 0, NULL, &s);
		if (rc == 0)
			rc = cover_exact_target(m, 0.85, s.open, s.nopen, 0, &r, err, sizeof err);
		cover_solution_free(&s);
	}
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(errfd, 2);
	off_t size = lseek(fd, 0, SEEK_END);
	close(fd);
	close(out);
	close(errfd);
	unlink(path);
	assert_int_equal(rc, 0);
	assert_true(r.optimal);
	assert_int_equal(size, 0);
	cover_exact_result_free(&r);
	cover_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aggregate_lists),
		cmocka_unit_test(test_aggregate_brute),
		cmocka_unit_test(test_exact_trap),
		cmocka_unit_test(test_exact_line),
		cmocka_unit_test(test_exact_bad_input),
		cmocka_unit_test(test_exact_brute),
		cmocka_unit_test(test_exact_silent),
		cmocka_unit_test(test_exact_time_limit),
		cmocka_unit_test(test_target_trap),
		cmocka_unit_test(test_target_line),
		cmocka_unit_test(test_target_bad_input),
		cmocka_unit_test(test_target_brute),
		cmocka_unit_test(test_target_time_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
