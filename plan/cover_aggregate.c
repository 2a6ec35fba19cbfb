/* Merges demand points with identical coverage sets (cover_aggregate.h): a hash table over
 * the transposed lists finds each point's class, then the candidate lists are rebuilt on
 * the classes. Does not change the input model and does not solve anything. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cover_aggregate.h"
#include "plan/cover_priv.h"

#define NO_CLASS UINT32_MAX

/* The classes found so far: rep[c] is the first point of class c; slot[] an open-address
 * table of class ids (NO_CLASS = empty) of size mask + 1. */
struct classes {
	uint32_t *rep, *slot, *class_of;
	size_t n, mask;
};

static uint64_t list_hash(const uint32_t *v, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
	for (size_t k = 0; k < n; k++) {
		h ^= v[k];
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	return h;
}

static int same_list(const struct cover_model *m, uint32_t a, uint32_t b)
{
	size_t na = m->dem_off[a + 1] - m->dem_off[a], nb = m->dem_off[b + 1] - m->dem_off[b];
	return na == nb && memcmp(m->dem_cand + m->dem_off[a], m->dem_cand + m->dem_off[b],
				  na * sizeof *m->dem_cand) == 0;
}

/* Gives every covered point its class (first appearance order). */
static void find_classes(const struct cover_model *m, struct classes *c)
{
	for (uint32_t i = 0; i < m->ndemand; i++) {
		size_t n = m->dem_off[i + 1] - m->dem_off[i];
		c->class_of[i] = NO_CLASS;
		if (n == 0)
			continue;
		size_t s = list_hash(m->dem_cand + m->dem_off[i], n) & c->mask;
		while (c->slot[s] != NO_CLASS && !same_list(m, c->rep[c->slot[s]], i))
			s = (s + 1) & c->mask;
		if (c->slot[s] == NO_CLASS) {
			c->slot[s] = (uint32_t)c->n;
			c->rep[c->n++] = i;
		}
		c->class_of[i] = c->slot[s];
	}
}

static int copy_candidates(const struct cover_model *m, struct cover_model *a)
{
	memcpy(a->fixed, m->fixed, m->ncand * sizeof *m->fixed);
	memcpy(a->cand_group, m->cand_group, m->ncand * sizeof *m->cand_group);
	a->change_cost = m->change_cost;
	if (m->cand_capacity) {
		a->cand_capacity = malloc((m->ncand ? m->ncand : 1) * sizeof *a->cand_capacity);
		if (!a->cand_capacity)
			return -ENOMEM;
		memcpy(a->cand_capacity, m->cand_capacity, m->ncand * sizeof *m->cand_capacity);
	}
	if (m->incumbent) {
		a->incumbent = malloc(m->ncand ? m->ncand : 1);
		if (!a->incumbent)
			return -ENOMEM;
		memcpy(a->incumbent, m->incumbent, m->ncand);
	}
	return 0;
}

/* Fills the aggregated model: sums per class, then each candidate's classes in list order,
 * each once (seen[k] = the last candidate that listed class k). */
static int fill_model(const struct cover_model *m, const struct classes *c, struct cover_model *a)
{
	uint32_t *seen = malloc((c->n ? c->n : 1) * sizeof *seen);
	size_t q = 0;
	if (!seen)
		return -ENOMEM;
	for (size_t k = 0; k < c->n; k++) {
		a->group[k] = m->group[c->rep[k]];
		seen[k] = NO_CLASS;
	}
	for (size_t i = 0; i < m->ndemand; i++)
		if (c->class_of[i] != NO_CLASS) {
			a->weight[c->class_of[i]] += m->weight[i];
			a->residents[c->class_of[i]] += m->residents[i];
		}
	for (uint32_t j = 0; j < m->ncand; j++) {
		for (uint32_t r = m->cand_off[j]; r < m->cand_off[j + 1]; r++) {
			uint32_t k = c->class_of[m->cand_dem[r]];
			if (seen[k] == j)
				continue;
			seen[k] = j;
			a->cand_dem[q] = k;
			a->cand_dist_m[q++] = m->cand_dist_m[r];
		}
		a->cand_off[j + 1] = (uint32_t)q;
	}
	free(seen);
	return copy_candidates(m, a);
}

/* Pairs of the aggregated model: the number of distinct classes per candidate list. */
static size_t count_pairs(const struct cover_model *m, const struct classes *c)
{
	size_t n = 0;
	for (size_t k = 0; k < c->n; k++)
		n += m->dem_off[c->rep[k] + 1] - m->dem_off[c->rep[k]];
	return n;
}

int cover_aggregate(const struct cover_model *m, struct cover_model **out, uint32_t **class_of)
{
	struct classes c = {0};
	struct cover_model *a = NULL;
	size_t size = 16;
	int rc = -ENOMEM;
	*out = NULL;
	if (class_of)
		*class_of = NULL;
	if (m->dem_off[m->ndemand] != cover_npairs(m))
		return -EINVAL;
	while (size < 2 * m->ndemand)
		size *= 2;
	c.mask = size - 1;
	c.rep = malloc((m->ndemand ? m->ndemand : 1) * sizeof *c.rep);
	c.class_of = malloc((m->ndemand ? m->ndemand : 1) * sizeof *c.class_of);
	c.slot = malloc(size * sizeof *c.slot);
	if (!c.rep || !c.class_of || !c.slot)
		goto fail;
	memset(c.slot, 0xff, size * sizeof *c.slot);
	find_classes(m, &c);
	a = cover_model_new(c.n, m->ncand, count_pairs(m, &c), m->ngroups);
	if (!a || (rc = fill_model(m, &c, a)) < 0 || (rc = cover_model_transpose(a)) < 0)
		goto fail;
	free(c.rep);
	free(c.slot);
	if (class_of)
		*class_of = c.class_of;
	else
		free(c.class_of);
	*out = a;
	return 0;
fail:
	cover_model_free(a);
	free(c.rep);
	free(c.slot);
	free(c.class_of);
	return rc < 0 ? rc : -ENOMEM;
}
