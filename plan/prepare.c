/* The preparation every use of a plan starts from: sites located, the demand built and the
 * local candidates listed, exactly as plan_compute uses them. The served model calls the
 * same function with the stored plan's parameters; nothing here may depend on who calls. */
#include "plan/prepare.h"

#include <errno.h>
#include <stdio.h>

#include "geo/locate.h"
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

static void report(const struct plan_progress *p, const char *phase, double f)
{
	if (p && p->fn)
		p->fn(p->user, phase, f);
}

static int local_candidates(struct candidates *c, const struct plan_site_in *sites,
			    size_t nsites, const struct demand *d, const struct plan_area *areas,
			    const struct plan_params *p)
{
	int rc = 0;
	for (size_t j = 0; j < nsites && rc == 0; j++)
		rc = candidates_add(c, sites[j].x, sites[j].y, sites[j].fixed, CAND_SITE,
				    sites[j].gemeente, sites[j].id);
	if (rc == 0 && p->generate_candidates)
		rc = candidates_generate(c, d, areas, p->block_m);
	return rc;
}

int plan_prepare(struct geom_ctx *g, struct plan_area *areas, size_t nareas,
		 int32_t (*region_of)(void *user, const char *gemeente_code), void *user,
		 const struct plan_site_in *sites, size_t nsites, const struct plan_params *p,
		 const struct plan_progress *progress, struct demand *d, struct candidates *local,
		 struct plan_prepare_times *times, char *err, size_t errlen)
{
	struct plan_prepare_times t;
	double t0 = clock_now_s();
	report(progress, "demand", 0);
	int rc = demand_build(g, areas, nareas, region_of, user, &p->demand, d, err, errlen);
	t.demand_s = clock_now_s() - t0;
	t0 = clock_now_s();
	report(progress, "candidates", 0);
	if (rc == 0 && (rc = local_candidates(local, sites, nsites, d, areas, p)) < 0)
		snprintf(err, errlen, "out of memory");
	t.candidates_s = clock_now_s() - t0;
	if (times)
		*times = t;
	return rc;
}
