/* Preparing a plan's inputs: sites located in their municipalities, then the demand and
 * the local candidates (the imported sites, and generated positions when the parameters
 * ask for them). The one preparation shared by the planner (plan_compute) and the served
 * model (model/served.c), so the two cannot disagree. GEOS through geo/; no I/O. */
#ifndef HUB_PLAN_PREPARE_H
#define HUB_PLAN_PREPARE_H

#include <stddef.h>
#include <stdint.h>

#include "plan/candidates.h"
#include "plan/demand.h"
#include "plan/hazard.h"
#include "plan/plan.h"

/* Sets sites[].gemeente to the municipality (area index) each site lies in, or the
 * nearest within PLAN_ASSIGN_MAX_M, else -1. 0 or negative errno with err. */
int plan_locate_sites(struct geom_ctx *g, const struct plan_area *areas, size_t nareas,
		      struct plan_site_in *sites, size_t nsites, char *err, size_t errlen);

/* Appends one candidate per site position to *c: sites at identical coordinates (schools
 * sharing a building) become one candidate with the lowest site id, fixed when any of them
 * is (and fixed is set), counting as that many sites for capacity (c->sites). Only sites
 * of the kinds named (plan_kinds_match; NULL = every site) take part, and with fixed the
 * fixed ones whatever their kind. Candidates follow position order. 0 or -ENOMEM. */
int plan_site_candidates(struct candidates *c, const struct plan_site_in *sites, size_t n,
			 int fixed, const char *kinds);

struct plan_prepare_times {
	double demand_s, candidates_s;
};

/* Removes the candidates of c inside the hazard layers p->hazard_exclude names (polygons
 * in p->hazards), fixed ones kept (plan_hazard_exclude). The local level (regional 0)
 * first sets counts[0..*n) from the list; the regional level adds to the same counts.
 * counts (room for PLAN_HAZARD_MAX) and n may both be NULL. -ENOENT for a layer that is
 * not loaded; 0 or negative errno with err. */
int plan_prepare_hazards(struct geom_ctx *g, const struct plan_params *p, int regional,
			 struct candidates *c, struct plan_hazard_count *counts, size_t *n,
			 char *err, size_t errlen);

/* Builds the demand (areas are linked in place, see demand_build) into *d and appends the
 * local candidates to *local: every position of a site of p->local_kinds or a fixed one
 * (plan_site_candidates), then, when p->generate_candidates,
 * generated positions in blocks of p->block_m; then removes those inside the excluded
 * hazard layers (plan_prepare_hazards, counts into hazards[0..*nhazards), both may be
 * NULL). progress (may be NULL) hears "demand" and
 * "candidates"; times (may be NULL) receives how long each took. *d and *local belong to
 * the caller (demand_free, candidates_free), also after an error. 0 or negative errno with
 * err. */
int plan_prepare(struct geom_ctx *g, struct plan_area *areas, size_t nareas,
		 int32_t (*region_of)(void *user, const char *gemeente_code), void *user,
		 const struct plan_site_in *sites, size_t nsites, const struct plan_params *p,
		 const struct plan_progress *progress, struct demand *d, struct candidates *local,
		 struct plan_prepare_times *times, struct plan_hazard_count *hazards,
		 size_t *nhazards, char *err, size_t errlen);

#endif
