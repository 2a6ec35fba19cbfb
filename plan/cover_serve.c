/* Who is served within capacity by a given set of open sites: every (demand point, open
 * site) pair within reach, nearest first, gives the point's remaining residents to the
 * site up to its room. Used for budget-mode plans, whose solver ignores capacities. */
#include "plan/cover.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

struct serve_pair {
	float dist;
	uint32_t i, k;                /* demand point, index into the open list */
};

static int by_dist(const void *a, const void *b)
{
	const struct serve_pair *x = a, *y = b;
	if (x->dist != y->dist)
		return x->dist < y->dist ? -1 : 1;
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	return (x->k > y->k) - (x->k < y->k);
}

static struct serve_pair *open_pairs(const struct cover_model *m, const struct cover_solution *s,
				     size_t *n)
{
	size_t np = 0;
	for (size_t k = 0; k < s->nopen; k++)
		np += m->cand_off[s->open[k] + 1] - m->cand_off[s->open[k]];
	struct serve_pair *p = malloc((np ? np : 1) * sizeof *p);
	if (!p)
		return NULL;
	np = 0;
	for (size_t k = 0; k < s->nopen; k++)
		for (uint32_t e = m->cand_off[s->open[k]]; e < m->cand_off[s->open[k] + 1]; e++)
			p[np++] = (struct serve_pair){m->cand_dist_m[e], m->cand_dem[e], (uint32_t)k};
	qsort(p, np, sizeof *p, by_dist);
	*n = np;
	return p;
}

int cover_serve(const struct cover_model *m, double capacity, struct cover_solution *s)
{
	double cap = capacity > 0 ? capacity : INFINITY;
	size_t np = 0;
	struct serve_pair *p = open_pairs(m, s, &np);
	double *served = calloc(m->ndemand + 1, sizeof *served);
	double *load = calloc(s->nopen + 1, sizeof *load);
	if (!p || !served || !load) {
		free(p);
		free(served);
		free(load);
		return -ENOMEM;
	}
	for (size_t q = 0; q < np; q++) {
		uint32_t i = p[q].i, k = p[q].k;
		double room = cap * (m->cand_capacity ? m->cand_capacity[s->open[k]] : 1) - load[k];
		double give = fmin(m->residents[i] - served[i], room);
		if (give > 0) {
			served[i] += give;
			load[k] += give;
		}
	}
	free(p);
	free(s->served);
	free(s->load);
	s->served = served;
	s->load = load;
	s->served_residents = 0;
	for (size_t i = 0; i < m->ndemand; i++)
		s->served_residents += served[i];
	return 0;
}
