/* Which support points keep working in a long blackout: a point works only when its backup
 * power (a battery for a local point, a generator for a regional one) is funded. The
 * budget pays the regional points first, then the local ones; when it cannot pay for all
 * of a level, the points are funded greedily by the weight they add to what the funded
 * ones already cover. Pure computation on the solved levels; no I/O. */
#include "plan/plan_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct heap_item {
	double gain;
	uint32_t k;                   /* index into sol.open */
};

/* Max-heap on gain, ties by the lower k (the site the solver opened first). */
static int above(const struct heap_item *a, const struct heap_item *b)
{
	return a->gain > b->gain || (a->gain == b->gain && a->k < b->k);
}

static void sift_down(struct heap_item *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && above(&h[l], &h[m]))
			m = l;
		if (r < n && above(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		struct heap_item t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* The weight site j adds to the points not yet covered. */
static double gain_of(const struct cover_model *m, uint32_t j, const uint8_t *cov)
{
	double g = 0;
	for (uint32_t e = m->cand_off[j]; e < m->cand_off[j + 1]; e++)
		g += cov[m->cand_dem[e]] ? 0 : m->weight[m->cand_dem[e]];
	return g;
}

/* Lazy greedy: funds n of the level's open sites, each the one that adds most. */
static int fund_greedy(struct plan_level *lv, size_t n)
{
	const struct cover_model *m = lv->model;
	size_t nh = lv->sol.nopen;
	struct heap_item *h = malloc((nh + 1) * sizeof *h);
	uint8_t *cov = calloc(m->ndemand + 1, 1);
	if (!h || !cov) {
		free(h);
		free(cov);
		return -ENOMEM;
	}
	for (size_t k = 0; k < nh; k++)
		h[k] = (struct heap_item){gain_of(m, lv->sol.open[k], cov), (uint32_t)k};
	for (size_t k = nh / 2; k-- > 0;)
		sift_down(h, nh, k);
	while (lv->nfunded < n && nh > 0) {
		uint32_t j = lv->sol.open[h[0].k];
		double g = gain_of(m, j, cov);
		if (g < h[0].gain) {          /* stale: put it back with its true gain */
			h[0].gain = g;
			sift_down(h, nh, 0);
			continue;
		}
		lv->funded[h[0].k] = 1;
		lv->nfunded++;
		for (uint32_t e = m->cand_off[j]; e < m->cand_off[j + 1]; e++)
			cov[m->cand_dem[e]] = 1;
		h[0] = h[--nh];
		sift_down(h, nh, 0);
	}
	free(h);
	free(cov);
	return 0;
}

/* Funds as many of the level's sites as *budget_eur pays at cost_eur each. */
static int fund_level(struct plan_level *lv, double cost_eur, double *budget_eur)
{
	size_t n = lv->sol.nopen, afford = n;
	if (!(lv->funded = calloc(n + 1, 1)))
		return -ENOMEM;
	lv->nfunded = 0;
	if (cost_eur > 0) {
		double k = floor(fmax(*budget_eur, 0) / cost_eur);
		afford = k < (double)n ? (size_t)k : n;
	}
	if (afford == n) {
		memset(lv->funded, 1, n);
		lv->nfunded = n;
	} else if (fund_greedy(lv, afford) < 0) {
		return -ENOMEM;
	}
	*budget_eur -= (double)lv->nfunded * cost_eur;
	return 0;
}

int plan_fund_points(struct plan_result *out, const struct plan_params *p)
{
	const struct backup_params *b = &p->backup;
	double left = b->budget_eur;
	int rc = fund_level(&out->regional, b->regional_point_kva * b->generator_eur_per_kva, &left);
	if (rc == 0)
		rc = fund_level(&out->local, b->local_point_kwh * b->battery_eur_per_kwh, &left);
	return rc;
}
