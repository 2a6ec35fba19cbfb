/* Times the covering solvers on a synthetic national instance: about 400,000 demand points
 * on a 100 m grid clustered into towns, 30,000 candidates, radius by density class (750 to
 * 5,000 m), 342 groups; budget mode with P and P / 3 sites, target mode at 99 % with
 * capacity 5000. Usage: bench_cover [SEED] [P] [BOUND_ITERATIONS] [TIME_LIMIT_S] [SCALE]
 * (defaults 1 4500 60 30 1; SCALE: a country with SCALE times the area, residents, points,
 * candidates, towns and groups, the same density; P 0 = 4500 * SCALE). Each phase prints
 * its wall time and peak memory, also as a "phase ..." line for scripts (bench/scale.sh).
 * PHASES=p,p3,target (any of them, comma separated) runs only those solves.
 * A benchmark: it reports, it does not assert. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "util/clock.h"
#include "util/sort.h"

#include "plan/cover.h"

#define CELL 100.0
#define PI 3.14159265358979323846
#define GRID 1000.0            /* spatial index cell, m */
#define GX ((size_t)(cty.box_x / GRID) + 1)
#define GY ((size_t)(cty.box_y / GRID) + 1)
#define MAX_SCALE 32.0         /* keeps the 100 m cell array and the pairs in 32 bits */

/* The country: national figures, times the scale (area, residents and every count). */
static struct {
	double scale, box_x, box_y, residents;
	size_t npoints, ncand, ntowns, ngroups;
} cty = {1.0, 280000.0, 320000.0, 17.9e6, 400000, 30000, 2500, 342};

static size_t scaled(size_t n, double s)
{
	size_t v = (size_t)floor((double)n * s + 0.5);
	return v ? v : 1;
}

/* 0, or -1 when s is outside (0, MAX_SCALE]. */
static int set_scale(double s)
{
	if (!(s > 0 && s <= MAX_SCALE))
		return -1;
	cty.scale = s;
	if (s == 1)
		return 0;
	cty.box_x *= sqrt(s);
	cty.box_y *= sqrt(s);
	cty.residents *= s;
	cty.npoints = scaled(cty.npoints, s);
	cty.ncand = scaled(cty.ncand, s);
	cty.ntowns = scaled(cty.ntowns, s);
	cty.ngroups = scaled(cty.ngroups, s);
	return 0;
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
	double *x, *y, *r, *cum, sum;
};

static void gen_towns(struct towns *t)
{
	t->x = xcalloc(cty.ntowns, sizeof *t->x);
	t->y = xcalloc(cty.ntowns, sizeof *t->y);
	t->r = xcalloc(cty.ntowns, sizeof *t->r);
	t->cum = xcalloc(cty.ntowns, sizeof *t->cum);
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
	struct towns t;
	size_t ncx = (size_t)(cty.box_x / CELL) + 1, ncy = (size_t)(cty.box_y / CELL) + 1;
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
	free(t.x);
	free(t.y);
	free(t.r);
	free(t.cum);
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

/* Group centres in a uniform grid of about one centre per cell: head per cell, next per
 * centre (a centre's cell from its coordinates, clamped to the grid). */
struct centres {
	double *x, *y, side;
	size_t nx, ny;
	uint32_t *head, *next;
};

static size_t centre_cell(const struct centres *c, double v, size_t n)
{
	double k = floor(v / c->side);
	return k < 0 ? 0 : k >= (double)n ? n - 1 : (size_t)k;
}

static void centres_build(struct centres *c)
{
	c->side = sqrt(cty.box_x * cty.box_y / (double)cty.ngroups);
	c->nx = (size_t)(cty.box_x / c->side) + 1;
	c->ny = (size_t)(cty.box_y / c->side) + 1;
	c->head = xcalloc(c->nx * c->ny, sizeof *c->head);
	c->next = xcalloc(cty.ngroups, sizeof *c->next);
	memset(c->head, 0xff, c->nx * c->ny * sizeof *c->head);
	for (size_t g = cty.ngroups; g-- > 0;) {     /* lists in increasing g */
		size_t k = centre_cell(c, c->x[g], c->nx) * c->ny + centre_cell(c, c->y[g], c->ny);
		c->next[g] = c->head[k];
		c->head[k] = (uint32_t)g;
	}
}

/* Squared distance from (x, y) to the nearest point outside the square of cells within r
 * of cell (a, b): no centre beyond ring r is nearer. */
static double ring_clear(const struct centres *c, double x, double y, long a, long b, long r)
{
	double d = fmin(x - (double)(a - r) * c->side, (double)(a + r + 1) * c->side - x);
	d = fmin(d, fmin(y - (double)(b - r) * c->side, (double)(b + r + 1) * c->side - y));
	return d > 0 ? d * d : 0;
}

/* Nearest centre to (x, y), lowest index on ties (as a scan of all centres would give):
 * rings of cells outwards until no farther cell can hold a nearer centre. */
static uint32_t nearest_centre(const struct centres *c, double x, double y)
{
	long a = (long)centre_cell(c, x, c->nx), b = (long)centre_cell(c, y, c->ny);
	long rmax = (long)(c->nx > c->ny ? c->nx : c->ny);
	double best = INFINITY;
	uint32_t bg = UINT32_MAX;
	for (long r = 0; r <= rmax; r++) {
		for (long u = a - r; u <= a + r; u++)
			for (long v = b - r; v <= b + r; v++) {
				if ((u != a - r && u != a + r && v != b - r && v != b + r) || u < 0 ||
				    v < 0 || u >= (long)c->nx || v >= (long)c->ny)
					continue;
				for (uint32_t g = c->head[(size_t)u * c->ny + (size_t)v]; g != UINT32_MAX;
				     g = c->next[g]) {
					double d = (x - c->x[g]) * (x - c->x[g]) + (y - c->y[g]) * (y - c->y[g]);
					if (d < best || (d == best && g < bg)) {
						best = d;
						bg = g;
					}
				}
			}
		if (bg != UINT32_MAX && best < ring_clear(c, x, y, a, b, r))
			break;
	}
	return bg;
}

/* Groups (municipalities) are the Voronoi cells of random centres. */
static void gen_groups(struct inst *in)
{
	struct centres c;
	c.x = xcalloc(cty.ngroups, sizeof *c.x);
	c.y = xcalloc(cty.ngroups, sizeof *c.y);
	for (size_t g = 0; g < cty.ngroups; g++) {
		c.x[g] = urand() * cty.box_x;
		c.y[g] = urand() * cty.box_y;
	}
	centres_build(&c);
	in->grp = xcalloc(in->n, sizeof *in->grp);
	in->cgrp = xcalloc(in->nc, sizeof *in->cgrp);
	for (size_t i = 0; i < in->n; i++)
		in->grp[i] = nearest_centre(&c, in->x[i], in->y[i]);
	for (size_t j = 0; j < in->nc; j++)
		in->cgrp[j] = nearest_centre(&c, in->cx[j], in->cy[j]);
	free(c.x);
	free(c.y);
	free(c.head);
	free(c.next);
}

/* ---- spatial numbering: points and candidates in Z order of their 1 km cell ---- */

/* The Morton key of cell (a, b): the bits of a and b interleaved. */
static size_t morton(size_t a, size_t b)
{
	size_t k = 0;
	for (unsigned bit = 0; bit < 8 * sizeof(size_t) / 2; bit++)
		k |= ((a >> bit) & 1) << (2 * bit) | ((b >> bit) & 1) << (2 * bit + 1);
	return k;
}

/* The permutation (perm[new] = old) that sorts n places by the Z order of their cells
 * (a counting sort over the keys; ties keep their order). Caller frees. */
static uint32_t *z_order(const double *x, const double *y, size_t n)
{
	size_t side = 1;
	while (side < GX || side < GY)
		side *= 2;
	uint32_t *start = xcalloc(side * side + 1, sizeof *start), *perm = xcalloc(n, sizeof *perm);
	for (size_t i = 0; i < n; i++)
		start[morton((size_t)(x[i] / GRID), (size_t)(y[i] / GRID)) + 1]++;
	for (size_t k = 0; k < side * side; k++)
		start[k + 1] += start[k];
	for (size_t i = 0; i < n; i++)
		perm[start[morton((size_t)(x[i] / GRID), (size_t)(y[i] / GRID))]++] = (uint32_t)i;
	free(start);
	return perm;
}

static void permute_d(double **v, const uint32_t *perm, size_t n)
{
	double *out = xcalloc(n, sizeof *out);
	for (size_t k = 0; k < n; k++)
		out[k] = (*v)[perm[k]];
	free(*v);
	*v = out;
}

static void permute_u(uint32_t **v, const uint32_t *perm, size_t n)
{
	uint32_t *out = xcalloc(n, sizeof *out);
	for (size_t k = 0; k < n; k++)
		out[k] = (*v)[perm[k]];
	free(*v);
	*v = out;
}

/* Numbers points and candidates so that neighbours get nearby indices: the solvers'
 * passes over a candidate's points then stay in cache, also when the arrays do not fit. */
static void spatial_order(struct inst *in)
{
	uint32_t *perm = z_order(in->x, in->y, in->n);
	double **pd[] = {&in->x, &in->y, &in->res, &in->w, &in->radius};
	for (size_t k = 0; k < sizeof pd / sizeof *pd; k++)
		permute_d(pd[k], perm, in->n);
	permute_u(&in->grp, perm, in->n);
	free(perm);
	perm = z_order(in->cx, in->cy, in->nc);
	permute_d(&in->cx, perm, in->nc);
	permute_d(&in->cy, perm, in->nc);
	permute_u(&in->cgrp, perm, in->nc);
	free(perm);
}

/* A uniform grid of the demand points in CSR form: the points of 1 km cell c are
 * off[c] .. off[c+1]) of x, y, radius and id, so a cell is scanned in one sweep of memory. */
struct grid {
	uint32_t *off, *id;
	double *x, *y, *radius;
	float *reach;              /* per cell: the largest radius of its points */
	long rings;                /* cells to scan either side: the largest radius, in cells */
};

static size_t cell_of(double x, double y)
{
	return (size_t)(x / GRID) * GY + (size_t)(y / GRID);
}

static void grid_build(struct grid *g, const struct inst *in)
{
	size_t nc = GX * GY;
	double most = 0;
	g->off = xcalloc(nc + 1, sizeof *g->off);
	g->reach = xcalloc(nc, sizeof *g->reach);
	g->id = xcalloc(in->n, sizeof *g->id);
	g->x = xcalloc(in->n, sizeof *g->x);
	g->y = xcalloc(in->n, sizeof *g->y);
	g->radius = xcalloc(in->n, sizeof *g->radius);
	for (size_t i = 0; i < in->n; i++) {
		size_t c = cell_of(in->x[i], in->y[i]);
		g->off[c + 1]++;
		g->reach[c] = fmaxf(g->reach[c], (float)in->radius[i]);
		most = fmax(most, in->radius[i]);
	}
	for (size_t c = 0; c < nc; c++)
		g->off[c + 1] += g->off[c];
	for (size_t i = 0; i < in->n; i++) {     /* off[c] is c's fill cursor, shifted back */
		uint32_t e = g->off[cell_of(in->x[i], in->y[i])]++;
		g->id[e] = (uint32_t)i;
		g->x[e] = in->x[i];
		g->y[e] = in->y[i];
		g->radius[e] = in->radius[i];
	}
	memmove(g->off + 1, g->off, nc * sizeof *g->off);
	g->off[0] = 0;
	g->rings = (long)ceil(most / GRID);
}

static void grid_free(struct grid *g)
{
	free(g->off);
	free(g->reach);
	free(g->id);
	free(g->x);
	free(g->y);
	free(g->radius);
}

/* Whether cell (a, b) lies farther from (x, y) than the radius of any of its points. */
static int cell_out_of_reach(const struct grid *g, long a, long b, double x, double y)
{
	double dx = fmax(0.0, fmax((double)a * GRID - x, x - (double)(a + 1) * GRID));
	double dy = fmax(0.0, fmax((double)b * GRID - y, y - (double)(b + 1) * GRID));
	double r = g->reach[(size_t)a * GY + (size_t)b];
	return dx * dx + dy * dy > r * r;
}

/* Candidate j's points (those whose own radius reaches it), as sort keys (distance, point)
 * into key unsorted; with key NULL only counted. Returns their number. */
static size_t reach_of(const struct grid *g, const struct inst *in, size_t j, uint64_t *key)
{
	double x = in->cx[j], y = in->cy[j];
	long gx = (long)(x / GRID), gy = (long)(y / GRID), r = g->rings;
	size_t n = 0;
	for (long a = gx - r; a <= gx + r; a++)
		for (long b = gy - r; b <= gy + r; b++) {
			if (a < 0 || b < 0 || a >= (long)GX || b >= (long)GY ||
			    cell_out_of_reach(g, a, b, x, y))
				continue;
			size_t c = (size_t)a * GY + (size_t)b;
			for (uint32_t e = g->off[c]; e < g->off[c + 1]; e++) {
				double dx = g->x[e] - x, dy = g->y[e] - y;
				if (dx * dx + dy * dy > g->radius[e] * g->radius[e])
					continue;
				if (key)
					key[n] = sort_key_dist((float)sqrt(dx * dx + dy * dy), g->id[e]);
				n++;
			}
		}
	return n;
}

/* The candidates in order of their grid cell (a counting sort), so that neighbours scan
 * the same cells while they are in cache. Caller frees. */
static uint32_t *cells_order(const struct inst *in)
{
	size_t nc = GX * GY;
	uint32_t *start = xcalloc(nc + 1, sizeof *start), *order = xcalloc(in->nc, sizeof *order);
	for (size_t j = 0; j < in->nc; j++)
		start[cell_of(in->cx[j], in->cy[j]) + 1]++;
	for (size_t c = 0; c < nc; c++)
		start[c + 1] += start[c];
	for (size_t j = 0; j < in->nc; j++)
		order[start[cell_of(in->cx[j], in->cy[j])]++] = (uint32_t)j;
	free(start);
	return order;
}

/* The covering model: for every candidate the demand points whose own radius reaches it,
 * nearest first, found with the grid. A counting pass sizes the model, so the pairs are
 * written once, in place. The transpose is left to the caller. */
static struct cover_model *build_model(const struct inst *in)
{
	struct grid g;
	size_t most = 0;
	uint64_t npairs = 0;
	grid_build(&g, in);
	uint32_t *order = cells_order(in), *count = xcalloc(in->nc, sizeof *count);
	for (size_t k = 0; k < in->nc; k++) {
		uint32_t j = order[k];
		count[j] = (uint32_t)reach_of(&g, in, j, NULL);
		most = count[j] > most ? count[j] : most;
		npairs += count[j];
	}
	struct cover_model *m = cover_model_new(in->n, in->nc, npairs, cty.ngroups);
	if (!m) {
		fprintf(stderr, "bench_cover: out of memory or %llu pairs beyond 32 bits\n",
			(unsigned long long)npairs);
		exit(1);
	}
	for (size_t j = 0; j < in->nc; j++)
		m->cand_off[j + 1] = m->cand_off[j] + count[j];
	uint64_t *key = xcalloc(most, sizeof *key), *scratch = xcalloc(most, sizeof *scratch);
	for (size_t k = 0; k < in->nc; k++) {
		uint32_t j = order[k], o = m->cand_off[j], n = (uint32_t)reach_of(&g, in, j, key);
		sort_u64(key, scratch, n);     /* nearest first, ties by point index */
		for (uint32_t q = 0; q < n; q++) {
			m->cand_dem[o + q] = sort_key_index(key[q]);
			m->cand_dist_m[o + q] = sort_key_dist_value(key[q]);
		}
	}
	free(scratch);
	memcpy(m->weight, in->w, in->n * sizeof *in->w);
	memcpy(m->residents, in->res, in->n * sizeof *in->res);
	memcpy(m->group, in->grp, in->n * sizeof *in->grp);
	memcpy(m->cand_group, in->cgrp, in->nc * sizeof *in->cgrp);
	grid_free(&g);
	free(order);
	free(count);
	free(key);
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

/* ---- phases: wall time and the peak resident memory of each ---- */

static struct {
	double t0;
	int clear_ok;
} ph;

/* Resets the kernel's resident high-water mark to the current size (Linux >= 4.0). */
static void phase_begin(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	ph.clear_ok = f && fputs("5", f) >= 0;
	if (f && fclose(f) != 0)
		ph.clear_ok = 0;
	ph.t0 = clock_now_s();
}

/* Peak resident memory in MiB since phase_begin (VmHWM), or since the start of the
 * process (ru_maxrss) when the mark cannot be reset or read; *since_start says which. */
static double phase_peak_mib(int *since_start)
{
	char line[256];
	long kib = -1;
	FILE *f = ph.clear_ok ? fopen("/proc/self/status", "r") : NULL;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	*since_start = kib < 0;
	if (kib < 0) {
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		kib = ru.ru_maxrss;
	}
	return (double)kib / 1024.0;
}

/* Ends a phase: one line for scripts, "phase NAME time_s=.. peak_mib=.. work=.. limit_hit=..";
 * work is the phase's own measure (pairs, swaps, sites); returns the wall time. */
static double phase_end(const char *name, double work, int limit_hit)
{
	int whole;
	double t = clock_now_s() - ph.t0, mib = phase_peak_mib(&whole);
	printf("phase %s scale=%g time_s=%.3f peak_mib=%.1f%s work=%.0f limit_hit=%d\n", name,
	       cty.scale, t, mib, whole ? " peak_since_start=1" : "", work, limit_hit);
	return t;
}

static double total(const struct cover_model *m)
{
	double s = 0;
	for (size_t i = 0; i < m->ndemand; i++)
		s += m->weight[i];
	return s;
}

/* Budget mode with p sites, then cover_bound on it: phases budget_NAME and bound_NAME. */
static void run_budget(const struct cover_model *m, const char *name, size_t p, int iters,
		       double limit)
{
	struct cover_solution s;
	char ph_name[64];
	double b;
	phase_begin();
	if (cover_solve_budget(m, p, 1, limit, NULL, &s) < 0) {
		fprintf(stderr, "bench_cover: budget solve failed\n");
		return;
	}
	snprintf(ph_name, sizeof ph_name, "budget_%s", name);
	double t1 = phase_end(ph_name, s.iterations, s.timed_out);
	printf("budget p=%zu: %.2f s, %d swaps, covered %.3f %% of weight, online bound %.3f %%%s\n",
	       p, t1, s.iterations, 100 * s.covered_weight / total(m), 100 * s.bound / total(m),
	       s.timed_out ? "; STOPPED BY THE TIME LIMIT" : "");
	phase_begin();
	int rc = cover_bound(m, p, NULL, s.open, s.nopen, iters, &b);
	snprintf(ph_name, sizeof ph_name, "bound_%s", name);
	double t2 = phase_end(ph_name, iters, 0);
	if (rc == 0)
		printf("cover_bound %d iterations: %.2f s, bound %.3f %%, gap %.3f %%\n", iters, t2,
		       100 * b / total(m), 100 * (b - s.covered_weight) / b);
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
	phase_begin();
	if (cover_solve_target(m, 0.99, 5000, 1, limit, NULL, &s) < 0) {
		fprintf(stderr, "bench_cover: target solve failed\n");
		return;
	}
	double t = phase_end("target", (double)s.nopen, s.timed_out);
	count_short(m, &s, 0.99, &shortg, &unreachable);
	printf("target 99 %%, capacity 5000: %.2f s, %zu sites (%d closed by cleanup), "
	       "served %.3f %% of residents, covered %.3f %% of weight; %zu of %zu groups short "
	       "of the target, %zu of them unreachable%s\n", t, s.nopen, s.iterations,
	       100 * s.served_residents / cty.residents, 100 * s.covered_weight / total(m),
	       shortg, m->ngroups, unreachable, s.timed_out ? "; CLEANUP STOPPED BY THE TIME LIMIT" : "");
	cover_solution_free(&s);
}

/* Generation, coverage and transpose, each a phase. */
static struct cover_model *make_instance(void)
{
	struct inst in = {0};
	phase_begin();
	gen_points(&in);
	classify(&in);
	gen_cands(&in);
	gen_groups(&in);
	spatial_order(&in);
	double t1 = phase_end("generate", (double)in.n, 0);
	phase_begin();
	struct cover_model *m = build_model(&in);
	double t2 = phase_end("coverage", m->cand_off[m->ncand], 0);
	inst_free(&in);
	phase_begin();
	int rc = cover_model_transpose(m);
	double t3 = phase_end("transpose", m->cand_off[m->ncand], 0);
	if (rc < 0) {
		fprintf(stderr, "bench_cover: transpose failed\n");
		exit(1);
	}
	printf("instance: %zu points, %zu candidates, %zu groups, %u pairs; generated in %.2f s\n",
	       m->ndemand, m->ncand, m->ngroups, m->cand_off[m->ncand], t1);
	printf("model: coverage %.2f s, transpose %.2f s\n", t2, t3);
	return m;
}

/* 1 when list (comma separated; NULL = every phase) names the solve name. */
static int phase_wanted(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return !list;
}

int main(int argc, char **argv)
{
	rng_state = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
	size_t p = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
	int iters = argc > 3 ? atoi(argv[3]) : 60;
	double limit = argc > 4 ? atof(argv[4]) : 30;
	if (set_scale(argc > 5 ? atof(argv[5]) : 1) < 0) {
		fprintf(stderr, "bench_cover: SCALE %s outside (0, %g]\n", argv[5], MAX_SCALE);
		return 2;
	}
	p = p ? p : scaled(4500, cty.scale);
	double t0 = clock_now_s();
	struct cover_model *m = make_instance();
	if (p > m->ncand) {
		fprintf(stderr, "bench_cover: P %zu above the %zu candidates\n", p, m->ncand);
		return 2;
	}
	const char *only = getenv("PHASES");           /* e.g. PHASES=target: profile one */
	if (phase_wanted(only, "p"))
		run_budget(m, "p", p, iters, limit);
	if (phase_wanted(only, "p3"))              /* fewer sites: a harder, unsaturated case */
		run_budget(m, "p3", p / 3, iters, limit);
	if (phase_wanted(only, "target"))
		run_target(m, limit);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("phase total scale=%g time_s=%.3f peak_mib=%.1f work=%u limit_hit=0\n", cty.scale,
	       clock_now_s() - t0, (double)ru.ru_maxrss / 1024.0, m->cand_off[m->ncand]);
	printf("peak memory %.0f MiB\n", (double)ru.ru_maxrss / 1024.0);
	cover_model_free(m);
	return 0;
}
