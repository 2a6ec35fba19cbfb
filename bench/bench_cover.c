/* Times the covering solvers on a synthetic national instance: about 400,000 demand points
 * on a 100 m grid clustered into towns, 30,000 candidates, radius by density class (750 to
 * 5,000 m), 342 groups; budget mode with P and P / 3 sites, target mode at 99 % with
 * capacity 5000. Usage: bench_cover [SEED] [P] [BOUND_ITERATIONS] [TIME_LIMIT_S] [SCALE]
 * (defaults 1 4500 60 30 1; SCALE < 1: a smaller country, area and counts times SCALE).
 * A benchmark: it reports, it does not assert. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "util/clock.h"

#include "plan/cover.h"

#define CELL 100.0
#define MAX_TOWNS 2500
#define MAX_GROUPS 342
#define PI 3.14159265358979323846
#define GRID 1000.0            /* spatial index cell, m */
#define GX ((size_t)(cty.box_x / GRID) + 1)
#define GY ((size_t)(cty.box_y / GRID) + 1)

/* The country: national figures, times the scale for a smaller one. */
static struct {
	double box_x, box_y, residents;
	size_t npoints, ncand, ntowns, ngroups;
} cty = {280000.0, 320000.0, 17.9e6, 400000, 30000, MAX_TOWNS, MAX_GROUPS};

static void set_scale(double s)
{
	if (!(s > 0 && s < 1))
		return;
	cty.box_x *= sqrt(s);
	cty.box_y *= sqrt(s);
	cty.residents *= s;
	cty.npoints = (size_t)((double)cty.npoints * s);
	cty.ncand = (size_t)((double)cty.ncand * s);
	cty.ntowns = (size_t)((double)cty.ntowns * s) + 1;
	cty.ngroups = (size_t)((double)cty.ngroups * s) + 1;
}

struct inst {
	size_t n, nc;
	double *x, *y, *res, *w, *radius;
	double *cx, *cy;
	uint32_t *grp, *cgrp;
};

static uint64_t rng_state;

static double urand(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fprintf(stderr, "bench_cover: out of memory\n");
		exit(1);
	}
	return p;
}

/* Index of the first cum[k] >= v (cum ascending, n > 0). */
static size_t pick(const double *cum, size_t n, double v)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cum[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct towns {
	double x[MAX_TOWNS], y[MAX_TOWNS], r[MAX_TOWNS], cum[MAX_TOWNS], sum;
};

static void gen_towns(struct towns *t)
{
	t->sum = 0;
	for (size_t k = 0; k < cty.ntowns; k++) {
		double pop = fmin(1500.0 / pow(urand() + 1e-9, 0.9), 900000.0);
		t->x[k] = 5000 + urand() * (cty.box_x - 10000);
		t->y[k] = 5000 + urand() * (cty.box_y - 10000);
		t->r[k] = 1000.0 * sqrt(pop / 4000.0 / PI) + 300.0;
		t->cum[k] = (t->sum += pop);
	}
}

/* One resident's place: 8 % anywhere, else around a town chosen by size (a uniform disc
 * for 80 %, a wide tail for the rest). */
static void drop(const struct towns *t, double *x, double *y)
{
	if (urand() < 0.08) {
		*x = urand() * cty.box_x;
		*y = urand() * cty.box_y;
		return;
	}
	size_t k = pick(t->cum, cty.ntowns, urand() * t->sum);
	double a = 2 * PI * urand();
	double r = t->r[k] * (urand() < 0.8 ? sqrt(urand()) : 1.0 - 1.5 * log(urand() + 1e-12));
	*x = t->x[k] + r * cos(a);
	*y = t->y[k] + r * sin(a);
}

/* Towns with Pareto sizes; residents are dropped until there are enough 100 m cells with
 * someone in them. */
static void gen_points(struct inst *in)
{
	static struct towns t;
	size_t ncx = (size_t)(cty.box_x / CELL), ncy = (size_t)(cty.box_y / CELL);
	int32_t *cell = xcalloc(ncx * ncy, sizeof *cell);
	gen_towns(&t);
	in->x = xcalloc(cty.npoints, sizeof *in->x);
	in->y = xcalloc(cty.npoints, sizeof *in->y);
	in->res = xcalloc(cty.npoints, sizeof *in->res);
	while (in->n < cty.npoints) {
		double x, y;
		drop(&t, &x, &y);
		if (x < 0 || y < 0 || x >= cty.box_x || y >= cty.box_y)
			continue;
		size_t c = (size_t)(x / CELL) * ncy + (size_t)(y / CELL);
		if (!cell[c]) {
			cell[c] = (int32_t)++in->n;
			in->x[in->n - 1] = (floor(x / CELL) + 0.5) * CELL;
			in->y[in->n - 1] = (floor(y / CELL) + 0.5) * CELL;
		}
		in->res[cell[c] - 1] += 1.0;
	}
	free(cell);
}

/* Scales residents to the national total, sets weights and a radius from the address
 * density of the surrounding 1 km block (2.2 residents per address). */
static void classify(struct inst *in)
{
	double *block = xcalloc(GX * GY, sizeof *block), tot = 0;
	static const double lim[4] = {2500, 1500, 1000, 500}, rad[5] = {750, 1000, 1500, 2500, 5000};
	in->w = xcalloc(in->n, sizeof *in->w);
	in->radius = xcalloc(in->n, sizeof *in->radius);
	for (size_t i = 0; i < in->n; i++)
		tot += in->res[i];
	for (size_t i = 0; i < in->n; i++) {
		in->res[i] = round(in->res[i] * cty.residents / tot);
		block[(size_t)(in->x[i] / GRID) * GY + (size_t)(in->y[i] / GRID)] += in->res[i];
	}
	for (size_t i = 0; i < in->n; i++) {
		double addr = block[(size_t)(in->x[i] / GRID) * GY + (size_t)(in->y[i] / GRID)] / 2.2;
		int c = 0;
		while (c < 4 && addr < lim[c])
			c++;
		in->radius[i] = rad[c];
		in->w[i] = in->res[i] * (1.0 + 0.5 * 0.2 * 2 * urand() + (c >= 3 ? 0.3 * 0.1 : 0));
	}
	free(block);
}

/* Candidates on demand cells: 80 % chosen by residents (schools follow people), 20 %
 * uniformly, moved up to 50 m. */
static void gen_cands(struct inst *in)
{
	double *cum = xcalloc(in->n, sizeof *cum), sum = 0;
	in->nc = cty.ncand;
	in->cx = xcalloc(cty.ncand, sizeof *in->cx);
	in->cy = xcalloc(cty.ncand, sizeof *in->cy);
	for (size_t i = 0; i < in->n; i++)
		cum[i] = (sum += in->res[i]);
	for (size_t j = 0; j < cty.ncand; j++) {
		size_t i = (size_t)(urand() * (double)in->n);
		if (urand() < 0.8)
			i = pick(cum, in->n, urand() * sum);
		in->cx[j] = in->x[i] + (urand() - 0.5) * CELL;
		in->cy[j] = in->y[i] + (urand() - 0.5) * CELL;
	}
	free(cum);
}

static uint32_t nearest_centre(const double *gx, const double *gy, double x, double y)
{
	double best = INFINITY;
	uint32_t bg = 0;
	for (uint32_t g = 0; g < cty.ngroups; g++) {
		double d = (x - gx[g]) * (x - gx[g]) + (y - gy[g]) * (y - gy[g]);
		if (d < best) {
			best = d;
			bg = g;
		}
	}
	return bg;
}

/* Groups (municipalities) are the Voronoi cells of random centres. */
static void gen_groups(struct inst *in)
{
	double gx[MAX_GROUPS], gy[MAX_GROUPS];
	for (size_t g = 0; g < cty.ngroups; g++) {
		gx[g] = urand() * cty.box_x;
		gy[g] = urand() * cty.box_y;
	}
	in->grp = xcalloc(in->n, sizeof *in->grp);
	in->cgrp = xcalloc(in->nc, sizeof *in->cgrp);
	for (size_t i = 0; i < in->n; i++)
		in->grp[i] = nearest_centre(gx, gy, in->x[i], in->y[i]);
	for (size_t j = 0; j < in->nc; j++)
		in->cgrp[j] = nearest_centre(gx, gy, in->cx[j], in->cy[j]);
}

struct pair {
	float d;
	uint32_t i;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* A uniform grid of the demand points: head per 1 km cell, next per point. */
struct grid {
	uint32_t *head, *next;
};

static void grid_build(struct grid *g, const struct inst *in)
{
	g->head = xcalloc(GX * GY, sizeof *g->head);
	g->next = xcalloc(in->n, sizeof *g->next);
	memset(g->head, 0xff, GX * GY * sizeof *g->head);
	for (size_t i = 0; i < in->n; i++) {
		size_t c = (size_t)(in->x[i] / GRID) * GY + (size_t)(in->y[i] / GRID);
		g->next[i] = g->head[c];
		g->head[c] = (uint32_t)i;
	}
}

/* Growing pair lists of the model under construction. */
struct lists {
	uint32_t *dem;
	float *dist;
	size_t n, cap;
	struct pair *tmp;
	size_t ntmp, captmp;
};

static void tmp_push(struct lists *l, float d, uint32_t i)
{
	if (l->ntmp == l->captmp) {
		l->captmp = l->captmp ? 2 * l->captmp : 4096;
		l->tmp = realloc(l->tmp, l->captmp * sizeof *l->tmp);
		if (!l->tmp)
			exit(1);
	}
	l->tmp[l->ntmp++] = (struct pair){d, i};
}

/* Appends candidate j's points (those whose own radius reaches it), nearest first. */
static void reach_of(struct lists *l, const struct grid *g, const struct inst *in, size_t j)
{
	long gx = (long)(in->cx[j] / GRID), gy = (long)(in->cy[j] / GRID), r = 5;
	l->ntmp = 0;
	for (long a = gx - r; a <= gx + r; a++)
		for (long b = gy - r; b <= gy + r; b++) {
			if (a < 0 || b < 0 || a >= (long)GX || b >= (long)GY)
				continue;
			for (uint32_t i = g->head[(size_t)a * GY + (size_t)b]; i != UINT32_MAX; i = g->next[i]) {
				double dx = in->x[i] - in->cx[j], dy = in->y[i] - in->cy[j];
				if (dx * dx + dy * dy <= in->radius[i] * in->radius[i])
					tmp_push(l, (float)sqrt(dx * dx + dy * dy), i);
			}
		}
	qsort(l->tmp, l->ntmp, sizeof *l->tmp, cmp_pair);
	if (l->n + l->ntmp > l->cap) {
		l->cap = 2 * (l->n + l->ntmp);
		l->dem = realloc(l->dem, l->cap * sizeof *l->dem);
		l->dist = realloc(l->dist, l->cap * sizeof *l->dist);
		if (!l->dem || !l->dist)
			exit(1);
	}
	for (size_t k = 0; k < l->ntmp; k++) {
		l->dem[l->n] = l->tmp[k].i;
		l->dist[l->n++] = l->tmp[k].d;
	}
}

/* The covering model: for every candidate the demand points whose own radius reaches it,
 * found with the grid. The transpose is left to the caller. */
static struct cover_model *build_model(const struct inst *in)
{
	struct grid g;
	struct lists l = {0};
	uint32_t *off = xcalloc(in->nc + 1, sizeof *off);
	grid_build(&g, in);
	for (size_t j = 0; j < in->nc; j++) {
		reach_of(&l, &g, in, j);
		off[j + 1] = (uint32_t)l.n;
	}
	struct cover_model *m = cover_model_new(in->n, in->nc, l.n, cty.ngroups);
	if (!m) {
		fprintf(stderr, "bench_cover: out of memory\n");
		exit(1);
	}
	memcpy(m->cand_off, off, (in->nc + 1) * sizeof *off);
	memcpy(m->cand_dem, l.dem, l.n * sizeof *l.dem);
	memcpy(m->cand_dist_m, l.dist, l.n * sizeof *l.dist);
	memcpy(m->weight, in->w, in->n * sizeof *in->w);
	memcpy(m->residents, in->res, in->n * sizeof *in->res);
	memcpy(m->group, in->grp, in->n * sizeof *in->grp);
	memcpy(m->cand_group, in->cgrp, in->nc * sizeof *in->cgrp);
	free(g.head);
	free(g.next);
	free(off);
	free(l.dem);
	free(l.dist);
	free(l.tmp);
	return m;
}

static void inst_free(struct inst *in)
{
	free(in->x);
	free(in->y);
	free(in->res);
	free(in->w);
	free(in->radius);
	free(in->cx);
	free(in->cy);
	free(in->grp);
	free(in->cgrp);
}

static double total(const struct cover_model *m)
{
	double s = 0;
	for (size_t i = 0; i < m->ndemand; i++)
		s += m->weight[i];
	return s;
}

static void run_budget(const struct cover_model *m, size_t p, int iters, double limit)
{
	struct cover_solution s;
	double t0 = clock_now_s(), b;
	if (cover_solve_budget(m, p, 1, limit, NULL, &s) < 0) {
		fprintf(stderr, "bench_cover: budget solve failed\n");
		return;
	}
	double t1 = clock_now_s();
	int rc = cover_bound(m, p, NULL, s.open, s.nopen, iters, &b);
	double t2 = clock_now_s();
	printf("budget p=%zu: %.2f s, %d swaps, covered %.3f %% of weight, online bound %.3f %%\n",
	       p, t1 - t0, s.iterations, 100 * s.covered_weight / total(m),
	       100 * s.bound / total(m));
	if (rc == 0)
		printf("cover_bound %d iterations: %.2f s, bound %.3f %%, gap %.3f %%\n", iters,
		       t2 - t1, 100 * b / total(m), 100 * (b - s.covered_weight) / b);
	cover_solution_free(&s);
}

/* Groups below the target, and those of them that could not reach it with every
 * candidate open (weight out of any candidate's reach). */
static void count_short(const struct cover_model *m, const struct cover_solution *s,
			double frac, size_t *shortg, size_t *unreachable)
{
	double *need = xcalloc(m->ngroups, sizeof *need), *got = xcalloc(m->ngroups, sizeof *got);
	double *reach = xcalloc(m->ngroups, sizeof *reach);
	for (size_t i = 0; i < m->ndemand; i++) {
		need[m->group[i]] += frac * m->weight[i];
		if (m->residents[i] > 0)
			got[m->group[i]] += m->weight[i] * s->served[i] / m->residents[i];
		if (m->dem_off[i + 1] > m->dem_off[i])
			reach[m->group[i]] += m->weight[i];
	}
	*shortg = *unreachable = 0;
	for (size_t g = 0; g < m->ngroups; g++)
		if (got[g] < need[g] * (1 - 1e-6)) {
			(*shortg)++;
			*unreachable += reach[g] < need[g];
		}
	free(need);
	free(got);
	free(reach);
}

static void run_target(const struct cover_model *m, double limit)
{
	struct cover_solution s;
	size_t shortg, unreachable;
	double t0 = clock_now_s();
	if (cover_solve_target(m, 0.99, 5000, 1, limit, NULL, &s) < 0) {
		fprintf(stderr, "bench_cover: target solve failed\n");
		return;
	}
	double t1 = clock_now_s();
	count_short(m, &s, 0.99, &shortg, &unreachable);
	printf("target 99 %%, capacity 5000: %.2f s, %zu sites (%d closed by cleanup), "
	       "served %.3f %% of residents, covered %.3f %% of weight; %zu of %zu groups short "
	       "of the target, %zu of them unreachable\n", t1 - t0, s.nopen, s.iterations,
	       100 * s.served_residents / cty.residents, 100 * s.covered_weight / total(m),
	       shortg, m->ngroups, unreachable);
	cover_solution_free(&s);
}

int main(int argc, char **argv)
{
	struct inst in = {0};
	rng_state = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
	size_t p = argc > 2 ? strtoul(argv[2], NULL, 10) : 4500;
	int iters = argc > 3 ? atoi(argv[3]) : 60;
	double limit = argc > 4 ? atof(argv[4]) : 30;
	set_scale(argc > 5 ? atof(argv[5]) : 1);
	double t0 = clock_now_s();
	gen_points(&in);
	classify(&in);
	gen_cands(&in);
	gen_groups(&in);
	double t1 = clock_now_s();
	struct cover_model *m = build_model(&in);
	double t2 = clock_now_s();
	int rc = cover_model_transpose(m);
	double t3 = clock_now_s();
	inst_free(&in);
	if (rc < 0) {
		fprintf(stderr, "bench_cover: transpose failed\n");
		return 1;
	}
	printf("instance: %zu points, %zu candidates, %u pairs; generated in %.2f s\n",
	       m->ndemand, m->ncand, m->cand_off[m->ncand], t1 - t0);
	printf("model: coverage %.2f s, transpose %.2f s\n", t2 - t1, t3 - t2);
	run_budget(m, p, iters, limit);
	run_budget(m, p / 3, iters, limit);     /* fewer sites: a harder, unsaturated case */
	run_target(m, limit);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak memory %.0f MiB\n", (double)ru.ru_maxrss / 1024.0);
	cover_model_free(m);
	return 0;
}
