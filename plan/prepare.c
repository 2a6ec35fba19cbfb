/* The preparation every use of a plan starts from: sites located, the demand built and the
 * local candidates listed, exactly as plan_compute uses them. The served model calls the
 * same function with the stored plan's parameters; nothing here may depend on who calls. */
#include "plan/prepare.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "geo/locate.h"
#include "plan/hazard.h"
#include "util/clock.h"

int plan_locate_sites(struct geom_ctx *g, const struct plan_area *areas, size_t nareas,
		      struct plan_site_in *sites, size_t nsites, char *err, size_t errlen)
{
	struct locator *loc = locator_new(g);
	int rc = loc ? 0 : -ENOMEM;
	for (size_t i = 0; i < nareas && rc == 0; i++)
		if (areas[i].level == PLAN_GEMEENTE)
			rc = locator_add(loc, areas[i].wkb, areas[i].wkb_len, (int64_t)i, err, errlen);
	for (size_t j = 0; j < nsites && rc == 0; j++) {
		double d;
		sites[j].gemeente = (int32_t)locator_find_near(loc, sites[j].x, sites[j].y,
								PLAN_ASSIGN_MAX_M, &d);
	}
	locator_free(loc);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	return rc;
}

struct site_key {
	double x, y;
	int64_t id;
	uint32_t j;
};

static int by_site(const void *a, const void *b)
{
	const struct site_key *p = a, *q = b;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return (p->id > q->id) - (p->id < q->id);
}

int plan_site_candidates(struct candidates *c, const struct plan_site_in *sites, size_t n,
			 int fixed, const char *kinds)
{
	struct site_key *k = malloc((n ? n : 1) * sizeof *k);
	int rc = k ? 0 : -ENOMEM;
	size_t m = 0;
	for (size_t j = 0; rc == 0 && j < n; j++)
		if (!kinds || (fixed && sites[j].fixed) ||
		    plan_kinds_match(kinds, sites[j].kind, sites[j].subkind))
			k[m++] = (struct site_key){sites[j].x, sites[j].y, sites[j].id, (uint32_t)j};
	n = m;
	if (rc == 0)
		qsort(k, n, sizeof *k, by_site);
	for (size_t a = 0, b; rc == 0 && a < n; a = b) {
		int any_fixed = 0;
		for (b = a; b < n && k[b].x == k[a].x && k[b].y == k[a].y; b++)
			any_fixed |= sites[k[b].j].fixed;
		const struct plan_site_in *s = &sites[k[a].j];
		rc = candidates_add(c, s->x, s->y, fixed && any_fixed, CAND_SITE, s->gemeente, s->id);
		if (rc == 0)
			c->sites[c->n - 1] = (uint32_t)(b - a);
	}
	free(k);
	return rc;
}

static void report(const struct plan_progress *p, const char *phase, double f)
{
	if (p && p->fn)
		p->fn(p->user, phase, f);
}

static int local_candidates(struct candidates *c, const struct plan_site_in *sites,
			    size_t nsites, const struct demand *d, const struct plan_area *areas,
			    const struct plan_params *p, char *err, size_t errlen)
{
	int rc = plan_site_candidates(c, sites, nsites, 1, p->local_kinds);
	if (rc == 0 && p->generate_candidates)
		rc = candidates_generate(c, d, areas, p->block_m);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	return rc;
}

int plan_prepare_hazards(struct geom_ctx *g, const struct plan_params *p, int regional,
			 struct candidates *c, struct plan_hazard_count *counts, size_t *n,
			 char *err, size_t errlen)
{
	struct plan_hazard_count mine[PLAN_HAZARD_MAX];
	size_t nmine = 0;
	int rc = 0;
	if (!counts) {
		counts = mine;
		n = &nmine;
	}
	if (!regional)
		rc = plan_hazard_counts_init(p->hazards, p->hazard_exclude, counts, n, err, errlen);
	if (rc == 0 && *n)
		rc = plan_hazard_exclude(g, p->hazards, counts, *n, regional, c, err, errlen);
	return rc;
}

int plan_prepare(struct geom_ctx *g, struct plan_area *areas, size_t nareas,
		 int32_t (*region_of)(void *user, const char *gemeente_code), void *user,
		 const struct plan_site_in *sites, size_t nsites, const struct plan_params *p,
		 const struct plan_progress *progress, struct demand *d, struct candidates *local,
		 struct plan_prepare_times *times, struct plan_hazard_count *hazards,
		 size_t *nhazards, char *err, size_t errlen)
{
	struct plan_prepare_times t;
	double t0 = clock_now_s();
	report(progress, "demand", 0);
	int rc = demand_build(g, areas, nareas, region_of, user, &p->demand, d, err, errlen);
	t.demand_s = clock_now_s() - t0;
	t0 = clock_now_s();
	report(progress, "candidates", 0);
	if (rc == 0)
		rc = local_candidates(local, sites, nsites, d, areas, p, err, errlen);
	if (rc == 0)
		rc = plan_prepare_hazards(g, p, 0, local, hazards, nhazards, err, errlen);
	t.candidates_s = clock_now_s() - t0;
	if (times)
		*times = t;
	return rc;
}
