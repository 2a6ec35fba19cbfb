/* The covering model (CSR in both directions), cover_weight, and the small helpers every
 * cover_*.c shares. The solvers: budget mode in cover_budget.c, target mode in
 * cover_target.c, upper bounds in cover_bound.c. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan/cover.h"
#include "plan/cover_priv.h"

static void *zalloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

/* ---- model ---- */

struct cover_model *cover_model_new(size_t ndemand, size_t ncand, size_t nnz, size_t ngroups)
{
	if (ndemand >= UINT32_MAX || ncand >= UINT32_MAX || nnz > UINT32_MAX ||
	    ngroups > UINT32_MAX)
		return NULL;
	struct cover_model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->ndemand = ndemand;
	m->ncand = ncand;
	m->nnz = nnz;
	m->ngroups = ngroups;
	m->weight = zalloc(ndemand, sizeof *m->weight);
	m->residents = zalloc(ndemand, sizeof *m->residents);
	m->group = zalloc(ndemand, sizeof *m->group);
	m->fixed = zalloc(ncand, sizeof *m->fixed);
	m->cand_group = zalloc(ncand, sizeof *m->cand_group);
	m->cand_off = zalloc(ncand + 1, sizeof *m->cand_off);
	m->cand_dem = zalloc(nnz, sizeof *m->cand_dem);
	m->cand_dist_m = zalloc(nnz, sizeof *m->cand_dist_m);
	m->dem_off = zalloc(ndemand + 1, sizeof *m->dem_off);
	m->dem_cand = zalloc(nnz, sizeof *m->dem_cand);
	if (!m->weight || !m->residents || !m->group || !m->fixed || !m->cand_group ||
	    !m->cand_off || !m->cand_dem || !m->cand_dist_m || !m->dem_off || !m->dem_cand) {
		cover_model_free(m);
		return NULL;
	}
	return m;
}

void cover_model_free(struct cover_model *m)
{
	if (!m)
		return;
	free(m->weight);
	free(m->residents);
	free(m->group);
	free(m->fixed);
	free(m->cand_group);
	free(m->cand_capacity);
	free(m->incumbent);
	free(m->cand_off);
	free(m->cand_dem);
	free(m->cand_dist_m);
	free(m->dem_off);
	free(m->dem_cand);
	free(m);
}

static int check_pairs(const struct cover_model *m)
{
	if (m->cand_off[0] != 0 || m->cand_off[m->ncand] > m->nnz)
		return -EINVAL;
	for (size_t j = 0; j < m->ncand; j++)
		if (m->cand_off[j] > m->cand_off[j + 1])
			return -EINVAL;
	for (size_t q = 0; q < cover_npairs(m); q++)
		if (m->cand_dem[q] >= m->ndemand)
			return -EINVAL;
	return 0;
}

int cover_model_transpose(struct cover_model *m)
{
	int rc = check_pairs(m);
	if (rc < 0)
		return rc;
	size_t n = m->ndemand, npairs = cover_npairs(m);
	uint32_t *off = zalloc(n + 1, sizeof *off), *cand = zalloc(m->nnz, sizeof *cand);
	if (!off || !cand) {
		free(off);
		free(cand);
		return -ENOMEM;
	}
	for (size_t q = 0; q < npairs; q++)
		off[m->cand_dem[q] + 1]++;
	for (size_t i = 0; i < n; i++)
		off[i + 1] += off[i];
	/* off[i] serves as the fill cursor of point i, then is shifted back. */
	for (size_t j = 0; j < m->ncand; j++)
		for (uint32_t q = m->cand_off[j]; q < m->cand_off[j + 1]; q++)
			cand[off[m->cand_dem[q]]++] = (uint32_t)j;
	for (size_t i = n; i > 0; i--)
		off[i] = off[i - 1];
	off[0] = 0;
	free(m->dem_off);
	free(m->dem_cand);
	m->dem_off = off;
	m->dem_cand = cand;
	return 0;
}

double cover_weight(const struct cover_model *m, const uint32_t *open, size_t nopen,
		    const uint8_t *mask)
{
	uint8_t *hit = zalloc(m->ndemand, 1);
	double sum = 0;
	if (!hit)
		return NAN;
	for (size_t k = 0; k < nopen; k++)
		for (uint32_t q = m->cand_off[open[k]]; q < m->cand_off[open[k] + 1]; q++)
			hit[m->cand_dem[q]] = 1;
	for (size_t i = 0; i < m->ndemand; i++)
		if (hit[i] && (!mask || mask[i]))
			sum += m->weight[i];
	free(hit);
	return sum;
}

void cover_solution_free(struct cover_solution *s)
{
	if (!s)
		return;
	free(s->open);
	free(s->load);
	free(s->served);
	memset(s, 0, sizeof *s);
}

/* ---- shared helpers ---- */

uint64_t cover_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t *cover_ranks(size_t n, uint32_t seed, uint32_t *order)
{
	uint32_t *perm = zalloc(n, sizeof *perm), *rank = zalloc(n, sizeof *rank);
	uint64_t state = 0x5eed0000ULL ^ seed;
	if (!perm || !rank) {
		free(perm);
		free(rank);
		return NULL;
	}
	for (size_t k = 0; k < n; k++)
		perm[k] = (uint32_t)k;
	for (size_t k = n; k > 1; k--) {          /* Fisher-Yates */
		size_t r = (size_t)(cover_rand(&state) % k);
		uint32_t t = perm[k - 1];
		perm[k - 1] = perm[r];
		perm[r] = t;
	}
	for (size_t k = 0; k < n; k++)
		rank[perm[k]] = (uint32_t)k;
	if (order)
		memcpy(order, perm, n * sizeof *perm);
	free(perm);
	return rank;
}

static int heap_above(const struct cover_heap_item *a, const struct cover_heap_item *b)
{
	return a->key > b->key || (a->key == b->key && a->rank < b->rank);
}

static void heap_down(struct cover_heap *h, size_t k)
{
	struct cover_heap_item x = h->it[k];
	for (;;) {
		size_t c = 2 * k + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && heap_above(&h->it[c + 1], &h->it[c]))
			c++;
		if (!heap_above(&h->it[c], &x))
			break;
		h->it[k] = h->it[c];
		k = c;
	}
	h->it[k] = x;
}

void cover_heap_build(struct cover_heap *h, struct cover_heap_item *items, size_t n)
{
	h->it = items;
	h->n = n;
	for (size_t k = n / 2; k > 0; k--)
		heap_down(h, k - 1);
}

void cover_heap_pop(struct cover_heap *h)
{
	h->it[0] = h->it[--h->n];
	if (h->n)
		heap_down(h, 0);
}

void cover_heap_fix_top(struct cover_heap *h)
{
	heap_down(h, 0);
}

double cover_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void cover_report(const struct cover_progress *progress, const char *phase, double fraction)
{
	if (progress && progress->fn)
		progress->fn(progress->user, phase, fraction);
}
