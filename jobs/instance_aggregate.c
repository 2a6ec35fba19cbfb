/* Merges demand points that have the same group and the same set of covering candidates
 * into one point (weights and residents added), and drops points no candidate covers:
 * the covered weight of every set of sites is unchanged, so solver and bound run on the
 * smaller model. Capacities are not preserved (members of a merged point lie at different
 * distances), so the caller aggregates only without them. Pure computation. */
#include "jobs/instance_aggregate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint64_t point_hash(const struct cover_model *m, size_t i)
{
	uint64_t h = 1469598103934665603ull ^ m->group[i];
	for (uint32_t e = m->dem_off[i]; e < m->dem_off[i + 1]; e++)
		h = (h ^ m->dem_cand[e]) * 1099511628211ull;
	return h ^ (h >> 29);
}

static int same_point(const struct cover_model *m, size_t a, size_t b)
{
	uint32_t na = m->dem_off[a + 1] - m->dem_off[a], nb = m->dem_off[b + 1] - m->dem_off[b];
	return m->group[a] == m->group[b] && na == nb &&
	       memcmp(m->dem_cand + m->dem_off[a], m->dem_cand + m->dem_off[b],
		      na * sizeof *m->dem_cand) == 0;
}

/* cls[i] = the class of point i (UINT32_MAX: uncovered), rep[k] = its first point. */
static int classify(const struct cover_model *m, uint32_t *cls, uint32_t *rep, size_t *nk)
{
	size_t cap = 16;
	while (cap < 2 * m->ndemand)
		cap *= 2;
	uint32_t *slot = malloc(cap * sizeof *slot);    /* class + 1; 0 = empty */
	if (!slot)
		return -ENOMEM;
	memset(slot, 0, cap * sizeof *slot);
	*nk = 0;
	for (size_t i = 0; i < m->ndemand; i++) {
		cls[i] = UINT32_MAX;
		if (m->dem_off[i + 1] == m->dem_off[i])
			continue;
		size_t s = point_hash(m, i) & (cap - 1);
		while (slot[s] && !same_point(m, rep[slot[s] - 1], i))
			s = (s + 1) & (cap - 1);
		if (!slot[s]) {
			rep[*nk] = (uint32_t)i;
			slot[s] = (uint32_t)++*nk;
		}
		cls[i] = slot[s] - 1;
	}
	free(slot);
	return 0;
}

/* The merged model: each candidate keeps the representatives of its points, in order. */
static struct cover_model *merged(const struct cover_model *m, const uint32_t *cls,
				  const uint32_t *rep, size_t nk)
{
	size_t nnz = 0;
	for (size_t e = 0; e < m->cand_off[m->ncand]; e++)
		nnz += rep[cls[m->cand_dem[e]]] == m->cand_dem[e];
	struct cover_model *a = cover_model_new(nk, m->ncand, nnz, m->ngroups);
	if (!a)
		return NULL;
	for (size_t i = 0; i < m->ndemand; i++) {
		if (cls[i] == UINT32_MAX)
			continue;
		a->weight[cls[i]] += m->weight[i];
		a->residents[cls[i]] += m->residents[i];
		a->group[cls[i]] = m->group[i];
	}
	memcpy(a->fixed, m->fixed, m->ncand);
	memcpy(a->cand_group, m->cand_group, m->ncand * sizeof *a->cand_group);
	size_t z = 0;
	for (size_t j = 0; j < m->ncand; j++) {
		for (uint32_t e = m->cand_off[j]; e < m->cand_off[j + 1]; e++) {
			uint32_t i = m->cand_dem[e];
			if (rep[cls[i]] == i)
				a->cand_dem[z] = cls[i], a->cand_dist_m[z++] = m->cand_dist_m[e];
		}
		a->cand_off[j + 1] = (uint32_t)z;
	}
	if (cover_model_transpose(a) < 0) {
		cover_model_free(a);
		return NULL;
	}
	return a;
}

int instance_aggregate(const struct cover_model *m, struct cover_model **out)
{
	uint32_t *cls = malloc((m->ndemand + 1) * sizeof *cls);
	uint32_t *rep = malloc((m->ndemand + 1) * sizeof *rep);
	size_t nk = 0;
	int rc = cls && rep ? classify(m, cls, rep, &nk) : -ENOMEM;
	*out = NULL;
	if (rc == 0 && !(*out = merged(m, cls, rep, nk)))
		rc = -ENOMEM;
	free(cls);
	free(rep);
	return rc;
}
