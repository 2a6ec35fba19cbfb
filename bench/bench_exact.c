/* Times the exact mode (cover_exact_budget, or cover_exact_target with a share) on an
 * exported instance (`hubplannerd plan --export-instance`, docs/instance-format.md): reads
 * it with a minimal reader of its own (d, c, a, p and plan lines; no checks beyond what the
 * solve needs), aggregates, and solves warm-started with the plan in the file. Prints:
 * sizes, aggregated size, plan weight or sites, exact answer, bound, proven or not, seconds.
 * Usage: bench_exact INSTANCE [TIME_LIMIT_S [TARGET_PCT]]. A benchmark: it reports, it does
 * not assert. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"

#include "plan/cover.h"
#include "plan/cover_aggregate.h"
#include "plan/cover_exact.h"

struct inst {
	size_t n, nc, nnz, p, nplan;
	struct cover_model *m;
	uint32_t *plan;
	size_t filled; /* pairs filled so far */
};

static int parse_list(char *s, uint32_t *out, size_t k, size_t limit)
{
	for (size_t q = 0; q < k; q++) {
		char *end;
		unsigned long v = strtoul(s, &end, 10);
		if (end == s || v >= limit)
			return -EINVAL;
		out[q] = (uint32_t)v;
		s = end;
	}
	return 0;
}

/* One line of the file; 0 or -EINVAL. */
static int read_line(struct inst *t, char *line)
{
	unsigned long a, b, c;
	double w;
	int off = 0;
	if (sscanf(line, "sizes %lu %lu %lu", &a, &b, &c) == 3) {
		t->n = a, t->nc = b, t->nnz = c;
		t->m = cover_model_new(a, b, c, 1);
		t->plan = calloc(b + 1, sizeof *t->plan);
		return t->m && t->plan ? 0 : -ENOMEM;
	}
	if (sscanf(line, "p %lu", &a) == 1)
		return t->p = a, 0;
	if (!t->m)
		return line[0] == 'd' || line[0] == 'c' || line[0] == 'a' ? -EINVAL : 0;
	if (sscanf(line, "d %lu %lf", &a, &w) == 2 && a < t->n) {
		t->m->weight[a] = t->m->residents[a] = w;
		return 0;
	}
	if (sscanf(line, "c %lu %lu", &a, &b) == 2 && a < t->nc)
		return t->m->fixed[a] = (uint8_t)(b != 0), 0;
	if (sscanf(line, "a %lu %lu%n", &a, &b, &off) == 2 && a < t->nc &&
	    t->filled + b <= t->nnz) {
		t->m->cand_off[a] = (uint32_t)t->filled; /* in index order in the file */
		if (parse_list(line + off, t->m->cand_dem + t->filled, b, t->n) < 0)
			return -EINVAL;
		t->filled += b;
		t->m->cand_off[a + 1] = (uint32_t)t->filled;
		return 0;
	}
	if (sscanf(line, "plan %lu%n", &a, &off) == 1 && a <= t->nc) {
		t->nplan = a;
		return parse_list(line + off, t->plan, a, t->nc);
	}
	return 0;
}

static int read_instance(const char *path, struct inst *t)
{
	FILE *f = fopen(path, "r");
	size_t cap = 0, lineno = 0;
	char *line = NULL;
	int rc = 0;
	if (!f)
		return -errno;
	while (rc == 0 && getline(&line, &cap, f) > 0) {
		lineno++;
		if ((rc = read_line(t, line)) < 0)
			fprintf(stderr, "%s:%zu: cannot read this line\n", path, lineno);
	}
	free(line);
	fclose(f);
	if (rc == 0 && !t->m)
		return -EINVAL;
	/* candidates without an a line cover nothing: carry their offsets forward */
	for (size_t j = 0; rc == 0 && j < t->nc; j++)
		if (t->m->cand_off[j + 1] < t->m->cand_off[j])
			t->m->cand_off[j + 1] = t->m->cand_off[j];
	return rc < 0 ? rc : cover_model_transpose(t->m);
}

/* Target mode: the fewest sites for pct % of the total weight, from the file's plan. */
static int run_target(const struct inst *t, const char *path, double limit, double pct)
{
	struct cover_exact_result r;
	char err[256] = "";
	if (cover_exact_target(t->m, pct / 100, t->plan, t->nplan, limit, &r, err,
			       sizeof err) < 0) {
		fprintf(stderr, "%s: %s\n", path, err);
		return 1;
	}
	double total = 0, plan_w = cover_weight(t->m, t->plan, t->nplan, NULL);
	for (size_t i = 0; i < t->n; i++)
		total += t->m->weight[i];
	printf("  exact target %g %%: %s in %.2f s: %zu sites (at least %zu, gap %zu), covered "
	       "%.3f %%; plan %zu sites covering %.3f %%\n", pct,
	       r.optimal ? "proven optimum" : "stopped at the limit", r.seconds, r.nopen,
	       r.sites_bound, r.nopen - r.sites_bound, 100 * r.covered_weight / total, t->nplan,
	       100 * plan_w / total);
	cover_exact_result_free(&r);
	return 0;
}

int main(int argc, char **argv)
{
	struct inst t = {0};
	struct cover_exact_result r;
	struct cover_model *agg = NULL;
	char err[256] = "";
	if (argc < 2) {
		fprintf(stderr, "usage: bench_exact INSTANCE [TIME_LIMIT_S [TARGET_PCT]]\n");
		return 2;
	}
	double limit = argc > 2 ? atof(argv[2]) : 0, t0 = clock_now_s();
	int rc = read_instance(argv[1], &t);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-rc));
		return 1;
	}
	double t_read = clock_now_s() - t0;
	if (cover_aggregate(t.m, &agg, NULL) < 0)
		return 1;
	if (argc > 3) {
		printf("%s: demand %zu -> %zu classes, candidates %zu, read %.2f s\n", argv[1],
		       t.n, agg->ndemand, t.nc, t_read);
		rc = run_target(&t, argv[1], limit, atof(argv[3]));
		cover_model_free(agg);
		cover_model_free(t.m);
		free(t.plan);
		return rc;
	}
	rc = cover_exact_budget(t.m, t.p, t.plan, t.nplan, limit, &r, err, sizeof err);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], err);
		return 1;
	}
	double plan_w = cover_weight(t.m, t.plan, t.nplan, NULL);
	printf("%s: demand %zu -> %zu classes, candidates %zu, p %zu, read %.2f s\n", argv[1],
	       t.n, agg->ndemand, t.nc, t.p, t_read);
	printf("  exact: %s in %.2f s: covered %.1f, bound %.1f (gap %.4f%%); plan %.1f = %.3f%%\n",
	       r.optimal ? "proven optimum" : "stopped at the limit", r.seconds, r.covered_weight,
	       r.bound, 100 * (r.bound - r.covered_weight) / r.bound, plan_w,
	       100 * plan_w / r.covered_weight);
	cover_exact_result_free(&r);
	cover_model_free(agg);
	cover_model_free(t.m);
	free(t.plan);
	return 0;
}
