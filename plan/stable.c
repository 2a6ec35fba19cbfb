/* Stable recomputes: incumbents found among the candidates by position (candidates sorted
 * by x, a window search per incumbent), generated ones that are gone added back, and a
 * scope round's candidate filter. No GEOS, no I/O. */
#include "plan/stable.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct xkey {
	double x;
	uint32_t j;
};

static int cmp_x(const void *a, const void *b)
{
	const struct xkey *p = a, *q = b;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return (p->j > q->j) - (p->j < q->j);
}

/* The first key with x >= x0. */
static size_t lower_bound(const struct xkey *k, size_t n, double x0)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k[mid].x < x0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Marks the nearest unmarked candidate within PLAN_SAME_SITE_M of the incumbent whose
 * origin class matches (an imported site only matches a site candidate; lowest index on
 * ties): one candidate per incumbent, also where generated positions coincide. Returns 1
 * when one was marked. */
static int mark_near(const struct candidates *c, const struct xkey *k, size_t n,
		     const struct plan_incumbent *in, uint8_t *mark)
{
	uint32_t best = UINT32_MAX;
	double best_d = 0;
	for (size_t a = lower_bound(k, n, in->x - PLAN_SAME_SITE_M);
	     a < n && k[a].x <= in->x + PLAN_SAME_SITE_M; a++) {
		uint32_t j = k[a].j;
		double d = hypot(c->xy[2 * j] - in->x, c->xy[2 * j + 1] - in->y);
		if (d > PLAN_SAME_SITE_M || mark[j] ||
		    (in->origin == CAND_SITE) != (c->origin[j] == CAND_SITE))
			continue;
		if (best == UINT32_MAX || d < best_d || (d == best_d && j < best)) {
			best = j;
			best_d = d;
		}
	}
	if (best != UINT32_MAX)
		mark[best] = in->backup ? PLAN_MARK_BACKUP : PLAN_MARK_PRIMARY;
	return best != UINT32_MAX;
}

int plan_incumbents_mark(struct candidates *c, const struct plan_incumbent *inc, size_t n,
			 uint8_t **mark, struct plan_incumbent_match *match)
{
	size_t nc = c->n;
	struct xkey *k = malloc((nc ? nc : 1) * sizeof *k);
	uint8_t *m = calloc(nc + n + 1, 1);
	int rc = k && m ? 0 : -ENOMEM;

	memset(match, 0, sizeof *match);
	match->given = n;
	for (size_t j = 0; rc == 0 && j < nc; j++)
		k[j] = (struct xkey){c->xy[2 * j], (uint32_t)j};
	if (rc == 0)
		qsort(k, nc, sizeof *k, cmp_x);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (mark_near(c, k, nc, &inc[i], m)) {
			match->found++;
		} else if (inc[i].origin == CAND_SITE || inc[i].gemeente < 0) {
			match->gone++;     /* removed, rejected, or outside the areas loaded */
		} else if ((rc = candidates_add(c, inc[i].x, inc[i].y, 0, inc[i].origin,
						inc[i].gemeente, -1)) == 0) {
			m[c->n - 1] = inc[i].backup ? PLAN_MARK_BACKUP : PLAN_MARK_PRIMARY;
			match->restored++;
		}
	}
	free(k);
	if (rc < 0) {
		free(m);
		m = NULL;
	}
	*mark = m;
	return rc;
}

/* Moves candidate j of c (and mark[j]) to slot w. */
static void move_cand(struct candidates *c, uint8_t *mark, size_t w, size_t j)
{
	candidates_move(c, w, j);
	mark[w] = mark[j];
}

void plan_candidates_scope(struct candidates *c, uint8_t *mark, const uint8_t *in_scope)
{
	size_t w = 0;
	for (size_t j = 0; j < c->n; j++) {
		int inside = c->gemeente[j] >= 0 && in_scope[c->gemeente[j]];
		if (!inside && !mark[j])
			continue;
		move_cand(c, mark, w, j);
		if (!inside)
			c->fixed[w] = 1;
		w++;
	}
	c->n = w;
}
