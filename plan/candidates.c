/* Candidate generation and the sparse coverage build. Generated candidates sit on demand
 * points, so they are on land inside their area. Coverage lists come from radius queries
 * on a grid index over the demand points, sorted nearest first, stored as CSR. */
#include "plan/candidates.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/grid_index.h"
#include "util/sort.h"

static int grow(struct candidates *c)
{
	if (c->n < c->cap)
		return 0;
	size_t cap = c->cap ? c->cap * 2 : 1024;
	double *xy = realloc(c->xy, 2 * cap * sizeof *xy);
	if (xy)
		c->xy = xy;
	uint8_t *f = xy ? realloc(c->fixed, cap) : NULL;
	if (f)
		c->fixed = f;
	uint8_t *o = f ? realloc(c->origin, cap) : NULL;
	if (o)
		c->origin = o;
	int32_t *g = o ? realloc(c->gemeente, cap * sizeof *g) : NULL;
	if (g)
		c->gemeente = g;
	int64_t *s = g ? realloc(c->site_id, cap * sizeof *s) : NULL;
	if (s)
		c->site_id = s;
	uint32_t *k = s ? realloc(c->sites, cap * sizeof *k) : NULL;
	if (!k)
		return -ENOMEM;
	c->sites = k;
	c->cap = cap;
	return 0;
}

int candidates_add(struct candidates *c, double x, double y, int fixed, enum cand_origin origin,
		   int32_t gemeente, int64_t site_id)
{
	if (grow(c) < 0)
		return -ENOMEM;
	size_t i = c->n++;
	c->xy[2 * i] = x;
	c->xy[2 * i + 1] = y;
	c->fixed[i] = (uint8_t)(fixed != 0);
	c->origin[i] = (uint8_t)origin;
	c->gemeente[i] = gemeente;
	c->site_id[i] = site_id;
	c->sites[i] = origin == CAND_SITE;
	return 0;
}

void candidates_move(struct candidates *c, size_t to, size_t from)
{
	c->xy[2 * to] = c->xy[2 * from];
	c->xy[2 * to + 1] = c->xy[2 * from + 1];
	c->fixed[to] = c->fixed[from];
	c->origin[to] = c->origin[from];
	c->gemeente[to] = c->gemeente[from];
	c->site_id[to] = c->site_id[from];
	c->sites[to] = c->sites[from];
}

void candidates_free(struct candidates *c)
{
	free(c->xy);
	free(c->fixed);
	free(c->origin);
	free(c->gemeente);
	free(c->site_id);
	free(c->sites);
	memset(c, 0, sizeof *c);
}

/* A group of demand points [first, last) that share a key, for generation. */
static int add_centre(struct candidates *c, const struct demand *d, const uint32_t *idx,
		      size_t k, enum cand_origin origin)
{
	double sx = 0, sy = 0, sw = 0, best = INFINITY;
	uint32_t pick = idx[0];
	for (size_t j = 0; j < k; j++) {
		double w = d->weight[idx[j]] > 0 ? d->weight[idx[j]] : 1e-9;
		sx += w * d->xy[2 * idx[j]];
		sy += w * d->xy[2 * idx[j] + 1];
		sw += w;
	}
	sx /= sw;
	sy /= sw;
	for (size_t j = 0; j < k; j++) {
		double dx = d->xy[2 * idx[j]] - sx, dy = d->xy[2 * idx[j] + 1] - sy;
		if (dx * dx + dy * dy < best) {
			best = dx * dx + dy * dy;
			pick = idx[j];
		}
	}
	return candidates_add(c, d->xy[2 * pick], d->xy[2 * pick + 1], 0, origin, d->gemeente[pick],
			      -1);
}

struct keyed {
	uint64_t key;
	uint32_t i;
};

static int by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* Blocks grow with the class's radius: block_m in classes 1-3, twice that in 4, four times
 * in 5, so rural areas do not get thousands of candidates no one needs. */
static uint64_t point_key(const struct demand *d, const struct plan_area *areas, uint32_t i,
			  double block_m)
{
	int level = areas[d->area[i]].level, u = d->urbanity[i];
	int cells = level == PLAN_CELL100 || level == PLAN_CELL500;
	double b = block_m * (u <= 3 ? 1 : u == 4 ? 2 : 4);
	uint64_t bx = (uint64_t)(d->xy[2 * i] / b) & 0xfff;
	uint64_t by = (uint64_t)(d->xy[2 * i + 1] / b) & 0xfff;
	uint64_t owner = cells ? (uint32_t)d->gemeente[i] : (uint32_t)d->area[i];
	return ((uint64_t)cells << 63) | ((owner & 0x7fffffffULL) << 24) | (by << 12) | bx;
}

int candidates_generate(struct candidates *c, const struct demand *d,
			const struct plan_area *areas, double block_m)
{
	struct keyed *k = malloc((d->n ? d->n : 1) * sizeof *k);
	uint32_t *idx = malloc((d->n ? d->n : 1) * sizeof *idx);
	int rc = k && idx ? 0 : -ENOMEM;
	for (size_t i = 0; rc == 0 && i < d->n; i++)
		k[i] = (struct keyed){point_key(d, areas, (uint32_t)i, block_m), (uint32_t)i};
	if (rc == 0)
		qsort(k, d->n, sizeof *k, by_key);
	for (size_t a = 0, b; rc == 0 && a < d->n; a = b) {
		for (b = a; b < d->n && k[b].key == k[a].key; b++)
			idx[b - a] = k[b].i;
		rc = add_centre(c, d, idx, b - a, k[a].key >> 63 ? CAND_CELL_BLOCK : CAND_AREA_CENTRE);
	}
	free(k);
	free(idx);
	return rc;
}

/* ---- coverage ---- */

struct collect {
	const struct demand *d;
	const struct cover_params *p;
	uint64_t *buf, *tmp;          /* sort_key_dist(distance, point); tmp: sort scratch */
	size_t n, cap;
	int oom;
};

static int collect_cb(void *user, uint32_t i, double dist)
{
	struct collect *s = user;
	uint8_t u = s->d->urbanity[i];
	if (dist * s->p->detour_factor > s->p->radius_m[(u >= 1 && u <= 5 ? u : 5) - 1])
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		uint64_t *b = realloc(s->buf, cap * sizeof *b);
		if (b)
			s->buf = b;
		uint64_t *t = b ? realloc(s->tmp, cap * sizeof *t) : NULL;
		if (!t)
			return s->oom = 1;
		s->tmp = t;
		s->cap = cap;
	}
	s->buf[s->n++] = sort_key_dist((float)dist, i);
	return 0;
}

struct csr {
	uint32_t *idx;
	float *dist;
	size_t n, cap;
};

static int csr_append(struct csr *c, const uint64_t *key, size_t k)
{
	if (c->n + k > UINT32_MAX)
		return -E2BIG;
	if (c->n + k > c->cap) {
		size_t cap = c->cap ? c->cap : 1 << 20;
		while (cap < c->n + k)
			cap *= 2;
		uint32_t *i = realloc(c->idx, cap * sizeof *i);
		if (i)
			c->idx = i;
		float *d = i ? realloc(c->dist, cap * sizeof *d) : NULL;
		if (!d)
			return -ENOMEM;
		c->dist = d;
		c->cap = cap;
	}
	for (size_t j = 0; j < k; j++) {
		c->idx[c->n + j] = sort_key_index(key[j]);
		c->dist[c->n + j] = sort_key_dist_value(key[j]);
	}
	c->n += k;
	return 0;
}

static int cover_lists(const struct demand *d, const struct candidates *c,
		       const struct cover_params *p, uint32_t *off, struct csr *out)
{
	double rmax = 0;
	for (int k = 0; k < 5; k++)
		rmax = fmax(rmax, p->radius_m[k] / p->detour_factor);
	struct grid_index *gi = grid_index_new(d->xy, d->n, rmax > 0 ? rmax / 2 : 500);
	struct collect s = {.d = d, .p = p};
	int rc = gi ? 0 : -ENOMEM;
	for (size_t j = 0; j < c->n && rc == 0; j++) {
		s.n = 0;
		grid_index_radius(gi, c->xy[2 * j], c->xy[2 * j + 1], rmax, collect_cb, &s);
		if (s.oom) {
			rc = -ENOMEM;
			break;
		}
		sort_u64(s.buf, s.tmp, s.n);     /* by distance, then point */
		off[j] = (uint32_t)out->n;
		rc = csr_append(out, s.buf, s.n);
	}
	off[c->n] = (uint32_t)out->n;
	free(s.buf);
	free(s.tmp);
	grid_index_free(gi);
	return rc;
}

/* Dense group ids for municipalities: groups[area index] for the areas that occur. */
static int make_groups(const struct demand *d, const struct candidates *c, size_t nareas,
		       int32_t **map, int32_t **group_area, size_t *ngroups)
{
	*map = malloc((nareas + 1) * sizeof **map);
	*group_area = malloc((nareas + 1) * sizeof **group_area);
	if (!*map || !*group_area)
		return -ENOMEM;
	for (size_t a = 0; a <= nareas; a++)
		(*map)[a] = -1;
	*ngroups = 0;
	for (size_t pass = 0; pass < 2; pass++) {
		const int32_t *gm = pass ? c->gemeente : d->gemeente;
		size_t n = pass ? c->n : d->n;
		for (size_t i = 0; i < n; i++) {
			size_t a = gm[i] >= 0 ? (size_t)gm[i] : nareas;
			if ((*map)[a] < 0) {
				(*group_area)[*ngroups] = gm[i];
				(*map)[a] = (int32_t)(*ngroups)++;
			}
		}
	}
	return 0;
}

static size_t max_area(const struct demand *d, const struct candidates *c)
{
	int32_t m = 0;
	for (size_t i = 0; i < d->n; i++)
		m = d->gemeente[i] > m ? d->gemeente[i] : m;
	for (size_t j = 0; j < c->n; j++)
		m = c->gemeente[j] > m ? c->gemeente[j] : m;
	return (size_t)m + 1;
}

static void fill_model(struct cover_model *m, const struct demand *d, const struct candidates *c,
		       const int32_t *map, size_t nareas)
{
	for (size_t i = 0; i < d->n; i++) {
		m->weight[i] = d->weight[i];
		m->residents[i] = d->residents[i];
		m->group[i] = (uint32_t)map[d->gemeente[i] >= 0 ? (size_t)d->gemeente[i] : nareas];
	}
	for (size_t j = 0; j < c->n; j++) {
		m->fixed[j] = c->fixed[j];
		m->cand_group[j] = (uint32_t)map[c->gemeente[j] >= 0 ? (size_t)c->gemeente[j] : nareas];
	}
}

/* Candidates that merge co-located sites count as that many sites for capacity. */
static int site_capacity(struct cover_model *m, const struct candidates *c)
{
	size_t merged = 0;
	for (size_t j = 0; j < c->n; j++)
		merged += c->sites[j] > 1;
	if (!merged)
		return 0;
	if (!(m->cand_capacity = malloc(c->n * sizeof *m->cand_capacity)))
		return -ENOMEM;
	for (size_t j = 0; j < c->n; j++)
		m->cand_capacity[j] = c->sites[j] > 1 ? c->sites[j] : 1;
	return 0;
}

int cover_build(const struct demand *d, const struct candidates *c, const struct cover_params *p,
		struct cover_model **out, int32_t **group_area, char *err, size_t errlen)
{
	struct csr lists = {0};
	uint32_t *off = malloc((c->n + 1) * sizeof *off);
	int32_t *map = NULL;
	size_t nareas = max_area(d, c), ngroups = 0;
	struct cover_model *m = NULL;
	int rc = off ? cover_lists(d, c, p, off, &lists) : -ENOMEM;

	*out = NULL;
	*group_area = NULL;
	if (rc == 0)
		rc = make_groups(d, c, nareas, &map, group_area, &ngroups);
	if (rc == 0 && !(m = cover_model_new(d->n, c->n, lists.n, ngroups)))
		rc = -ENOMEM;
	if (rc == 0) {
		fill_model(m, d, c, map, nareas);
		memcpy(m->cand_off, off, (c->n + 1) * sizeof *off);
		if (lists.n) {
			memcpy(m->cand_dem, lists.idx, lists.n * sizeof *lists.idx);
			memcpy(m->cand_dist_m, lists.dist, lists.n * sizeof *lists.dist);
		}
		rc = cover_model_transpose(m);
	}
	if (rc == 0)
		rc = site_capacity(m, c);
	if (rc < 0) {
		snprintf(err, errlen, rc == -E2BIG ? "coverage has more than 2^32 pairs"
						    : "out of memory building coverage");
		cover_model_free(m);
		free(*group_area);
		*group_area = NULL;
		m = NULL;
	}
	free(off);
	free(map);
	free(lists.idx);
	free(lists.dist);
	*out = m;
	return rc;
}
