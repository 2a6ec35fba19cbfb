/* Internals of the planning pipeline shared by plan.c and plan_results.c. Not for use
 * outside plan/. */
#ifndef HUB_PLAN_INTERNAL_H
#define HUB_PLAN_INTERNAL_H

#include "plan/plan.h"

/* Fills out->areas and out->regions from the solved levels. member: for each local demand
 * point, the index of its aggregated point in the regional level. */
int plan_results(struct plan_result *out, const struct plan_area *areas, size_t nareas,
		 size_t nregions, const uint32_t *member,
		 const struct plan_params *p, char *err, size_t errlen);

/* Backup power for the computed plan (plan_backup.c): fills out->backup, backup_area,
 * nbackup, care_sites with generator_site, and the hospitals. 0 or -ENOMEM. */
int plan_backup(struct plan_result *out, const struct plan_area *areas, size_t nareas,
		const struct plan_site_in *sites, size_t nsites, const struct plan_params *p);

/* Which open sites keep working in a blackout (blackout.c): lv->funded and nfunded of both
 * levels, the regional points paid from p->backup.budget_eur first, then the local ones,
 * greedily by added weight when the budget cannot pay for a whole level. 0 or -ENOMEM. */
int plan_fund_points(struct plan_result *out, const struct plan_params *p);

/* The sub-model of m restricted to the demand points with mask[i] != 0 and the candidates
 * that cover any of them; *open_out / *nopen_out are the given open sites that remain,
 * renumbered (caller frees). NULL when out of memory. */
struct cover_model *plan_submodel(const struct cover_model *m, const uint8_t *mask,
				  const uint32_t *open, size_t nopen, uint32_t **open_out,
				  size_t *nopen_out);

#endif
