/* The instance readers on files written here: a hubplanner-instance, plain points and a
 * Cordeau-Furini-Ljubić file describing the same random problem give the same model and
 * the same solve; a hand-made instance gets its brute-force optimum, and so does --exact
 * in both problems (its report too); each kind of bad file
 * (truncated, negative or NaN weight, index out of range, wrong count, duplicate id, bad
 * number, missing header) gets an error naming the file, the line and the field. */
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

#include "jobs/instance_read.h"
#include "jobs/solve.h"
#include "tests/lib/testutil.h"

static char dir[256];

static int setup(void **state)
{
	(void)state;
	tu_mkdtemp(dir, sizeof dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(dir);
	return 0;
}

static const char *put(const char *name, const char *text)
{
	static char paths[8][512];
	static int next;
	char *p = paths[next++ % 8];
	tu_write_file(dir, name, text, strlen(text), p, 512);
	return p;
}

/* ---- a random problem written in the three formats ---- */

#define ND 80
#define NC 14
#define RADIUS 0.22

struct problem { double dxy[2 * ND], w[ND], cxy[2 * NC]; };

static void random_problem(struct problem *pb, unsigned seed)
{
	srand(seed);
	for (int i = 0; i < ND; i++) {
		pb->dxy[2 * i] = rand() / (double)RAND_MAX;
		pb->dxy[2 * i + 1] = rand() / (double)RAND_MAX;
		pb->w[i] = 1 + rand() % 100;
	}
	for (int j = 0; j < NC; j++) {
		pb->cxy[2 * j] = rand() / (double)RAND_MAX;
		pb->cxy[2 * j + 1] = rand() / (double)RAND_MAX;
	}
}

static double dist(const struct problem *pb, int j, int i)
{
	return hypot(pb->cxy[2 * j] - pb->dxy[2 * i], pb->cxy[2 * j + 1] - pb->dxy[2 * i + 1]);
}

static void append(char **buf, size_t *len, const char *fmt, ...)
{
	va_list ap;
	char line[256];
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	*buf = realloc(*buf, *len + (size_t)n + 1);
	assert_non_null(*buf);
	memcpy(*buf + *len, line, (size_t)n + 1);
	*len += (size_t)n;
}

/* The hubplanner-instance text: coverage lists nearest first, found by brute force. */
static char *hub_text(const struct problem *pb, size_t p)
{
	char *b = NULL;
	size_t len = 0, z = 0;
	int order[ND];
	for (int j = 0; j < NC; j++)
		for (int i = 0; i < ND; i++)
			z += dist(pb, j, i) <= RADIUS;
	append(&b, &len, "hubplanner-instance 1\n# test\np %zu\nsizes %d %d %zu\n", p, ND, NC, z);
	for (int i = 0; i < ND; i++)
		append(&b, &len, "d %d %.6f %.6f 0 %.17g %.17g\n", i, pb->w[i], pb->w[i],
		       pb->dxy[2 * i], pb->dxy[2 * i + 1]);
	for (int j = 0; j < NC; j++)
		append(&b, &len, "c %d 0 0 %.17g %.17g\n", j, pb->cxy[2 * j], pb->cxy[2 * j + 1]);
	for (int j = 0; j < NC; j++) {
		int k = 0;
		for (int i = 0; i < ND; i++)
			if (dist(pb, j, i) <= RADIUS)
				order[k++] = i;
		for (int a = 1; a < k; a++)      /* insertion sort by distance, then index */
			for (int c = a; c > 0 && dist(pb, j, order[c]) < dist(pb, j, order[c - 1]);
			     c--) {
				int t = order[c];
				order[c] = order[c - 1], order[c - 1] = t;
			}
		append(&b, &len, "a %d %d", j, k);
		for (int e = 0; e < k; e++)
			append(&b, &len, " %d", order[e]);
		append(&b, &len, "\n");
	}
	return b;
}

static char *points_text(const struct problem *pb, int demand)
{
	char *b = NULL;
	size_t len = 0;
	append(&b, &len, demand ? "x,y,weight\n" : "x,y\n");
	for (int k = 0; k < (demand ? ND : NC); k++)
		if (demand)
			append(&b, &len, "%.17g,%.17g,%g\n", pb->dxy[2 * k], pb->dxy[2 * k + 1],
			       pb->w[k]);
		else
			append(&b, &len, "%.17g,%.17g\n", pb->cxy[2 * k], pb->cxy[2 * k + 1]);
	return b;
}

static char *cfl_text(const struct problem *pb, int base)
{
	char *b = NULL;
	size_t len = 0;
	append(&b, &len, "%d %d\n", NC, ND);
	for (int i = ND - 1; i >= 0; i--)      /* any order */
		append(&b, &len, "C %d %.17g %.17g %g\n", i + base, pb->dxy[2 * i],
		       pb->dxy[2 * i + 1], pb->w[i]);
	for (int j = 0; j < NC; j++)
		append(&b, &len, "F %d %.17g %.17g 1\n", j + base, pb->cxy[2 * j],
		       pb->cxy[2 * j + 1]);
	return b;
}

static void solve_file(enum instance_format f, const char *in, const char *cand, size_t p,
		       struct solve_report *rep)
{
	struct solve_options o = {.format = f, .p = p, .radius_m = RADIUS,
				  .bound_iterations = 50, .default_seed = 7};
	char err[1024];
	int rc = solve_run(&o, in, cand, NULL, rep, err, sizeof err);
	if (rc < 0)
		print_message("solve: %s\n", err);
	assert_int_equal(rc, 0);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void assert_same(struct solve_report *a, struct solve_report *b)
{
	assert_int_equal(a->npairs, b->npairs);
	assert_int_equal(a->nopen, b->nopen);
	assert_true(fabs(a->covered_weight - b->covered_weight) < 1e-6);
	qsort(a->open, a->nopen, sizeof *a->open, cmp_u32);
	qsort(b->open, b->nopen, sizeof *b->open, cmp_u32);
	assert_memory_equal(a->open, b->open, a->nopen * sizeof *a->open);
}

/* Brute force over all p-subsets of the NC candidates. */
static double brute_force(const struct problem *pb, size_t p)
{
	double best = 0;
	for (unsigned mask = 0; mask < 1u << NC; mask++) {
		if ((size_t)__builtin_popcount(mask) != p)
			continue;
		double w = 0;
		for (int i = 0; i < ND; i++)
			for (int j = 0; j < NC; j++)
				if ((mask >> j & 1) && dist(pb, j, i) <= RADIUS) {
					w += pb->w[i];
					break;
				}
		best = w > best ? w : best;
	}
	return best;
}

/* The three formats of one problem solve alike; the answer is at most the brute-force
 * optimum, which is at most the bound. */
static void test_formats_agree(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 4; seed++) {
		struct problem pb;
		struct solve_report h, pt, c0, c1;
		random_problem(&pb, seed);
		char *t[5] = {hub_text(&pb, 4), points_text(&pb, 1), points_text(&pb, 0),
			      cfl_text(&pb, 0), cfl_text(&pb, 1)};
		solve_file(INSTANCE_AUTO, put("h.txt", t[0]), NULL, 0, &h);
		solve_file(INSTANCE_AUTO, put("d.csv", t[1]), put("c.csv", t[2]), 4, &pt);
		solve_file(INSTANCE_CFL, put("f0.txt", t[3]), NULL, 4, &c0);
		solve_file(INSTANCE_AUTO, put("f1.txt", t[4]), NULL, 4, &c1);
		assert_int_equal(h.format, INSTANCE_HUB);
		assert_int_equal(pt.format, INSTANCE_POINTS);
		assert_int_equal(c1.format, INSTANCE_CFL);
		assert_same(&h, &pt);
		assert_same(&h, &c0);
		assert_same(&h, &c1);
		double opt = brute_force(&pb, 4);
		assert_true(h.covered_weight <= opt + 1e-9);
		assert_true(h.covered_weight >= 0.95 * opt);
		assert_true(h.bound >= opt - 1e-6);
		assert_true(!isnan(c0.cost) && fabs(c0.cost - 4) < 1e-9);
		solve_report_free(&h), solve_report_free(&pt);
		solve_report_free(&c0), solve_report_free(&c1);
		for (int k = 0; k < 5; k++)
			free(t[k]);
	}
}

/* A hand-made instance where the greedy's first pick is wrong: the big middle site
 * covers 6 of 8 points, but two side sites cover all 8 (optimum 8 with p = 2). */
static void test_known_optimum(void **state)
{
	(void)state;
	const char *d = put("k_d.csv", "x,y,weight\n0,0,1\n1,0,1\n2,0,1\n3,0,1\n"
			    "10,0,1\n11,0,1\n12,0,1\n13,0,1\n");
	const char *c = put("k_c.csv", "x,y,radius\n1.5,0,1.6\n11.5,0,1.6\n6.5,0,5.6\n");
	struct solve_report r;
	solve_file(INSTANCE_POINTS, d, c, 2, &r);
	assert_true(fabs(r.covered_weight - 8) < 1e-9);
	assert_true(r.bound >= 8 - 1e-9 && r.gap_pct < 1e-6);
	solve_report_free(&r);
	/* fewest sites for 100 %: the two side sites */
	struct solve_options o = {.format = INSTANCE_POINTS, .target_pct = 100,
				  .bound_iterations = 50};
	char err[512];
	assert_int_equal(solve_run(&o, d, c, NULL, &r, err, sizeof err), 0);
	assert_int_equal(r.nopen, 2);
	assert_true(fabs(r.covered_weight - 8) < 1e-9);
	solve_report_free(&r);
}

/* --exact: random instances, each proven optimal at the brute-force optimum, the bound
 * equal to it. */
static void test_exact(void **state)
{
	(void)state;
	for (uint32_t seed = 1; seed <= 6; seed++) {
		struct problem pb;
		random_problem(&pb, seed);
		char *text = cfl_text(&pb, 0);
		const char *path = put("x.cfl", text);
		free(text);
		for (size_t p = 1; p <= 3; p++) {
			struct solve_options o = {.format = INSTANCE_CFL, .p = p, .radius_m = RADIUS,
						  .bound_iterations = 20, .default_seed = 3,
						  .exact = 1, .time_limit_s = 30};
			struct solve_report r;
			char err[512];
			assert_int_equal(solve_run(&o, path, NULL, NULL, &r, err, sizeof err), 0);
			double best = brute_force(&pb, p);
			assert_int_equal(r.exact, 1);
			assert_int_equal(r.optimal, 1);
			assert_true(fabs(r.covered_weight - best) < 1e-6 * (1 + best));
			assert_true(fabs(r.bound - best) < 1e-6 * (1 + best));
			solve_report_free(&r);
		}
	}
}

/* Fewest sites covering share of the total weight, points out of reach included; -1
 * when no set does. */
static int brute_min_sites(const struct problem *pb, double share)
{
	double total = 0;
	int best = -1;
	for (int i = 0; i < ND; i++)
		total += pb->w[i];
	for (unsigned mask = 0; mask < 1u << NC; mask++) {
		int k = __builtin_popcount(mask);
		double w = 0;
		if (best >= 0 && k >= best)
			continue;
		for (int i = 0; i < ND; i++)
			for (int j = 0; j < NC; j++)
				if ((mask >> j & 1) && dist(pb, j, i) <= RADIUS) {
					w += pb->w[i];
					break;
				}
		if (w >= share * total - 1e-9 * total)
			best = k;
	}
	return best;
}

/* --exact with --target: the brute-force fewest sites, proven; the share is of the total
 * weight with or without --exact, although the aggregated model drops the points out of
 * reach (some are, here); a share beyond reach is refused. */
static void test_exact_target(void **state)
{
	static const double pcts[] = {40, 70, 85, 95};
	int refused = 0, solved = 0;
	(void)state;
	for (uint32_t seed = 1; seed <= 6; seed++) {
		struct problem pb;
		random_problem(&pb, seed);
		char *text = cfl_text(&pb, 0);
		const char *path = put("t.cfl", text);
		free(text);
		for (size_t t = 0; t < sizeof pcts / sizeof *pcts; t++) {
			struct solve_options o = {.format = INSTANCE_CFL, .target_pct = pcts[t],
						  .radius_m = RADIUS, .bound_iterations = 20,
						  .default_seed = 3, .exact = 1, .time_limit_s = 30};
			struct solve_report r, h;
			char err[512] = "";
			int best = brute_min_sites(&pb, pcts[t] / 100);
			int rc = solve_run(&o, path, NULL, NULL, &r, err, sizeof err);
			if (best < 0) {
				assert_int_equal(rc, -EINVAL);
				assert_non_null(strstr(err, "reach only"));
				solve_report_free(&r);
				refused++;
				continue;
			}
			assert_int_equal(rc, 0);
			assert_true(r.exact && r.optimal);
			assert_int_equal(r.nopen, best);
			assert_int_equal(r.exact_sites_bound, best);
			assert_int_equal(r.p, r.nopen);
			assert_true(r.covered_weight >= pcts[t] / 100 * r.total_weight - 1e-6);
			o.exact = 0;
			assert_int_equal(solve_run(&o, path, NULL, NULL, &h, err, sizeof err), 0);
			assert_true(h.covered_weight >= pcts[t] / 100 * h.total_weight - 1e-6);
			assert_true(h.nopen >= (size_t)best);
			solved += h.reachable_weight < h.total_weight;
			solve_report_free(&r);
			solve_report_free(&h);
		}
	}
	assert_true(refused >= 1 && solved >= 6);
}

/* The report of an exact target solve: proven in the text and the JSON; with a capacity
 * the fewer sites replace the heuristic's, and the output says capacities were ignored. */
static void test_exact_target_report(void **state)
{
	const char *d = put("r_d.csv", "x,y,weight\n0,0,1\n1,0,1\n2,0,1\n3,0,1\n"
			    "10,0,1\n11,0,1\n12,0,1\n13,0,1\n");
	const char *c = put("r_c.csv", "x,y,radius\n1.5,0,1.6\n11.5,0,1.6\n6.5,0,5.6\n");
	char json[600], err[512], *text = NULL, buf[4096];
	size_t len = 0;
	struct solve_report r;
	(void)state;
	snprintf(json, sizeof json, "%s/exact.json", dir);
	struct solve_options o = {.format = INSTANCE_POINTS, .target_pct = 100, .exact = 1,
				  .bound_iterations = 5, .json_path = json, .capacity = 3};
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(solve_run(&o, d, c, out, &r, err, sizeof err), 0);
	fclose(out);
	assert_int_equal(r.nopen, 2);
	assert_true(r.optimal && r.exact_no_capacity);
	assert_true(fabs(r.served - 6) < 1e-9);              /* 3 per site */
	assert_non_null(strstr(text, "exact: capacities ignored"));
	assert_non_null(strstr(text, "exact: the optimum, proven: no fewer sites reach"));
	FILE *f = fopen(json, "r");
	assert_non_null(f);
	buf[fread(buf, 1, sizeof buf - 1, f)] = '\0';
	fclose(f);
	assert_non_null(strstr(buf, "\"sites_bound\": 2"));
	assert_non_null(strstr(buf, "\"gap_sites\": 0"));
	assert_non_null(strstr(buf, "\"capacities_ignored\": true"));
	free(text);
	solve_report_free(&r);
}

/* Fixed sites are kept; a capacity column limits what is served. */
static void test_fixed_and_capacity(void **state)
{
	(void)state;
	const char *d = put("f_d.csv", "x,y,weight\n0,0,10\n1,0,10\n10,0,30\n");
	const char *c = put("f_c.csv", "x,y,fixed,capacity,cost,radius\n0.5,0,1,5,2,1\n"
			    "10,0,0,,3,1\n20,0,0,100,1,1\n");
	struct solve_report r;
	solve_file(INSTANCE_POINTS, d, c, 1, &r);
	assert_int_equal(r.nopen, 1);
	assert_int_equal(r.open[0], 0);           /* fixed, although site 1 covers more */
	assert_true(fabs(r.covered_weight - 20) < 1e-9);
	assert_true(fabs(r.served - 5) < 1e-9);  /* capacity 5 */
	assert_true(fabs(r.cost - 2) < 1e-9);
	solve_report_free(&r);
}

/* Aggregation leaves the optimum alone (brute force), and more starts never cover less
 * and give the same answer twice. */
static void test_starts_and_aggregation(void **state)
{
	(void)state;
	for (unsigned seed = 11; seed <= 16; seed++) {
		struct problem pb;
		struct solve_report one, many, again;
		random_problem(&pb, seed);
		for (int i = 0; i < ND; i += 2) {     /* duplicate points: identical coverage */
			pb.dxy[2 * i + 2] = pb.dxy[2 * i], pb.dxy[2 * i + 3] = pb.dxy[2 * i + 1];
		}
		char *t = hub_text(&pb, 3);
		const char *path = put("s.txt", t);
		struct solve_options o = {.format = INSTANCE_HUB, .bound_iterations = 50,
					  .default_seed = 3, .starts = 1};
		char err[512];
		assert_int_equal(solve_run(&o, path, NULL, NULL, &one, err, sizeof err), 0);
		o.starts = 8;
		assert_int_equal(solve_run(&o, path, NULL, NULL, &many, err, sizeof err), 0);
		assert_int_equal(solve_run(&o, path, NULL, NULL, &again, err, sizeof err), 0);
		assert_true(one.nsolved <= ND / 2);
		assert_true(many.covered_weight >= one.covered_weight);
		assert_true(fabs(many.covered_weight - brute_force(&pb, 3)) < 1e-9);
		assert_true(many.bound >= many.covered_weight - 1e-9);
		assert_memory_equal(many.open, again.open, many.nopen * sizeof *many.open);
		solve_report_free(&one), solve_report_free(&many), solve_report_free(&again);
		free(t);
	}
}

/* ---- malformed files ---- */

static void expect_error(enum instance_format f, const char *text, const char *cand_text,
			 const char *want)
{
	struct instance_data d;
	char err[1024];
	const char *path = put("bad.txt", text);
	const char *cand = cand_text ? put("bad_c.csv", cand_text) : NULL;
	int rc = instance_read(f, path, cand, 1.0, &d, err, sizeof err);
	instance_data_free(&d);
	if (rc != -EINVAL || !strstr(err, want) || !strstr(err, path))
		print_message("want \"%s\", got %d \"%s\"\n", want, rc, err);
	assert_int_equal(rc, -EINVAL);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, path));
}

#define HDR "hubplanner-instance 1\np 1\nsizes 2 1 2\n"
#define DD "d 0 1 1 0 0 0\nd 1 2 2 0 1 0\n"

static void test_bad_instance(void **state)
{
	(void)state;
	expect_error(INSTANCE_HUB, HDR DD "c 0 0 0 0 0\n", NULL,
		     "truncated after line 6: 2 of 2 `d` lines, 1 of 1 `c` lines, 0 of 1 `a`");
	expect_error(INSTANCE_HUB, HDR "d 0 1 1 0 0 0\n", NULL, "1 of 2 `d` lines");
	expect_error(INSTANCE_HUB, HDR "d 0 -1 1 0 0 0\n", NULL, ":4: d weight: -1 is negative");
	expect_error(INSTANCE_HUB, HDR "d 0 nan 1 0 0 0\n", NULL,
		     ":4: d weight: \"nan\" is not finite");
	expect_error(INSTANCE_HUB, HDR "d 0 1x 1 0 0 0\n", NULL,
		     ":4: d weight: \"1x\" is not a number");
	expect_error(INSTANCE_HUB, HDR DD "c 0 0 0 0 0\na 0 2 0 2\n", NULL,
		     ":7: a point: 2 out of range 0..1");
	expect_error(INSTANCE_HUB, HDR DD "c 0 0 0 0 0\na 0 2 1 1\n", NULL,
		     ":7: a point: 1 listed twice");
	expect_error(INSTANCE_HUB, HDR DD "c 0 0 0 0 0\na 0 3 0 1\n", NULL,
		     ":7: a count: 3, but the line lists 2 points");
	expect_error(INSTANCE_HUB, HDR "d 0 1 1 0 0 0\nd 0 1 1 0 0 0\n", NULL,
		     ":5: d index: 0, expected 1");
	expect_error(INSTANCE_HUB, HDR DD "d 2 1 1 0 0 0\n", NULL,
		     ":6: d: more than the 2 demand points");
	expect_error(INSTANCE_HUB, HDR DD "c 0 2 0 0 0\n", NULL, ":6: c fixed: 2 out of range");
	expect_error(INSTANCE_HUB, "hubplanner-instance 2\n", NULL, ":1: header");
	expect_error(INSTANCE_HUB, "hubplanner-instance 1\nd 0 1 1 0 0 0\n", NULL,
		     ":2: d: before the `sizes` line");
	expect_error(INSTANCE_HUB, HDR DD "c 0 0 0 0 0\na 0 2 0 1\nplan 1 3\n", NULL,
		     ":8: plan site: 3 out of range 0..0");
	expect_error(INSTANCE_HUB, "hubplanner-instance 1\np 2\nsizes 0 1 0\nc 0 0 0 0 0\n"
		     "a 0 0\n", NULL, "p: 2 is more than the 1 candidates");
}

static void test_bad_points(void **state)
{
	(void)state;
	const char *cand = "x,y\n0,0\n";
	expect_error(INSTANCE_POINTS, "x,y\n0,0\n", cand, ":1: header: no column \"weight\"");
	expect_error(INSTANCE_POINTS, "0,0,1\n", cand, ":1: header: no column \"x\"");
	expect_error(INSTANCE_POINTS, "x,y,weight\n0,0,-2\n", cand, ":2: weight: -2 is negative");
	expect_error(INSTANCE_POINTS, "x,y,weight\n0,0,1\n0,abc,1\n", cand,
		     ":3: y: \"abc\" is not a number");
	expect_error(INSTANCE_POINTS, "x,y,weight\n0,0\n", cand, ":2: weight: missing");
	expect_error(INSTANCE_POINTS, "x,y,weight\n0,0,NaN\n", cand, ":2: weight: \"NaN\" is "
		     "not finite");
}

static void expect_cand_error(const char *cand, const char *want)
{
	struct instance_data d;
	char err[1024];
	const char *dem = put("ok_d.csv", "x,y,weight\n0,0,1\n");
	const char *path = put("bad_c.csv", cand);
	int rc = instance_read(INSTANCE_POINTS, dem, path, 0, &d, err, sizeof err);
	instance_data_free(&d);
	if (rc != -EINVAL || !strstr(err, want))
		print_message("want \"%s\", got %d \"%s\"\n", want, rc, err);
	assert_int_equal(rc, -EINVAL);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, want));
}

static void test_bad_candidates(void **state)
{
	(void)state;
	expect_cand_error("x,y\n0,0\n", "candidate 0 has no radius");
	expect_cand_error("x,y,radius\n0,0,0\n", ":2: radius: 0 is not positive");
	expect_cand_error("x,y,radius,fixed\n0,0,1,3\n", ":2: fixed: 3 is not 0 or 1");
	expect_cand_error("x,y,radius,x\n0,0,1,1\n", ":1: header: column x twice");
}

static void test_bad_cfl(void **state)
{
	(void)state;
	expect_error(INSTANCE_CFL, "2 1\nF 0 0 0 1\nC 0 0 0 5\n", NULL,
		     "truncated or wrong count: 1 facility lines, the first line says 2");
	expect_error(INSTANCE_CFL, "1 1\nF 0 0 0 1\nC 0 0 0 -5\n", NULL,
		     ":3: demand: -5 is negative");
	expect_error(INSTANCE_CFL, "1 2\nF 0 0 0 1\nC 0 0 0 5\nC 0 1 0 5\n", NULL,
		     ":4: index: customer 0 appears twice");
	expect_error(INSTANCE_CFL, "1 2\nF 0 0 0 1\nC 0 0 0 5\nC 7 1 0 5\n", NULL,
		     ":4: index: 7 out of range 0..2");
	expect_error(INSTANCE_CFL, "1 1\nF 0 0 0 1\nC 0 0 0 5\nC 1 0 0 5\n", NULL,
		     ":4: C: more than the 1 customer lines");
	expect_error(INSTANCE_CFL, "1 3\nF 0 0 0 1\nC 0 0 0 5\nC 3 0 0 5\nC 2 0 0 1\n", NULL,
		     "customer 1 is missing");
	expect_error(INSTANCE_CFL, "1 1 1\n", NULL, ":1: first line: 3 fields");
	expect_error(INSTANCE_CFL, "1 1\nF 0 0 0\n", NULL, ":2: F: 4 fields, expected 5");
	expect_error(INSTANCE_CFL, "1 1\nX 0 0 0 1\n", NULL, ":2: unknown line type \"X\"");
	expect_error(INSTANCE_CFL, "", NULL, "empty file");
}

/* Bad option values and a p the instance cannot take. */
static void test_bad_options(void **state)
{
	struct solve_options o = {0};
	struct solve_report r;
	char err[512];
	(void)state;
	assert_int_equal(solve_option_set(&o, "p", "0", err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "--p: \"0\""));
	assert_int_equal(solve_option_set(&o, "target", "101", err, sizeof err), -EINVAL);
	assert_int_equal(solve_option_set(&o, "format", "xml", err, sizeof err), -EINVAL);
	assert_int_equal(solve_option_set(&o, "radius", "-1", err, sizeof err), -EINVAL);
	assert_int_equal(solve_option_set(&o, "seed", "1.5", err, sizeof err), -EINVAL);
	assert_int_equal(solve_option_set(&o, "p", "5", err, sizeof err), 0);
	const char *d = put("o_d.csv", "x,y,weight\n0,0,1\n");
	const char *c = put("o_c.csv", "x,y,radius\n0,0,1\n1,0,1\n");
	assert_int_equal(solve_run(&o, d, c, NULL, &r, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "--p 5: more than the 2 candidates"));
	solve_report_free(&r);
	o.p = 0;
	assert_int_equal(solve_run(&o, d, c, NULL, &r, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "give --p N or --target PCT"));
	solve_report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats_agree),
		cmocka_unit_test(test_known_optimum),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_exact_target),
		cmocka_unit_test(test_exact_target_report),
		cmocka_unit_test(test_fixed_and_capacity),
		cmocka_unit_test(test_starts_and_aggregation),
		cmocka_unit_test(test_bad_instance),
		cmocka_unit_test(test_bad_points),
		cmocka_unit_test(test_bad_candidates),
		cmocka_unit_test(test_bad_cfl),
		cmocka_unit_test(test_bad_options),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
