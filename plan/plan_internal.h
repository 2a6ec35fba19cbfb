/* Internals of the planning pipeline shared by plan.c and plan_results.c. Not for use
 * outside plan/. */
#ifndef HUB_PLAN_INTERNAL_H
#define HUB_PLAN_INTERNAL_H

#include <pthread.h>

#include "plan/plan.h"

/* A level's national bound computed while the pipeline goes on (level_bound.c). */
struct plan_bound_job {
	const struct cover_model *model;   /* not owned; must not change until finished */
	uint32_t *open;                    /* owned copy of the level's open sites */
	size_t nopen;
	int iterations, rc, running;
	double bound, seconds;
	pthread_t thread;
};

/* Starts cover_bound on lv's model and open sites: in a second thread when threaded and
 * one can be started, else at once. j is the caller's; lv->model must stay unchanged and
 * alive until plan_bound_finish. 0, or -ENOMEM (then nothing runs and finish is a no-op). */
int plan_bound_start(struct plan_bound_job *j, const struct plan_level *lv, int iterations,
		     int threaded);

/* Waits for the bound and stores it in lv (bound, gap_pct from lv->covered_weight,
 * bound_seconds); frees the job's copy. cover_bound's result (0 or -ENOMEM); 0 and lv
 * untouched for a job that never started. Safe to call twice. */
int plan_bound_finish(struct plan_bound_job *j, struct plan_level *lv);

/* The bound of lv computed at once and stored as plan_bound_finish does; its result. */
int plan_bound_now(struct plan_level *lv, int iterations);

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
