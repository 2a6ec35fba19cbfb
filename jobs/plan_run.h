/* Running a plan end to end: load the areas, memberships and sites from the store, compute
 * with plan/plan.h, and store the result in one transaction (a failed or killed run leaves
 * the previous plan). Also the parameters from the configuration, and the instance export.
 * Prints nothing: progress and the summary go through the caller. */
#ifndef HUB_PLAN_RUN_H
#define HUB_PLAN_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "config/config.h"
#include "plan/plan.h"

struct plan_run_info {
	int64_t plan_id;
	size_t demand_points, candidates, areas, regions;
	double seconds_load, seconds_store, seconds_total;
	double residents_total;       /* residents in the demand */
	int64_t base_plan_id;         /* a stable recompute's plan of record; 0 = fresh */
	int round;                    /* 1 = a scope round within the plan of record */
	char changes[320];            /* "changes since plan N: ..." (model/changes.h) */
};

/* Fills p from the configuration. */
void plan_params_from_config(const struct config *cfg, struct plan_params *p);

struct plan_run_options {
	const char *export_path;      /* write the local level's instance here; NULL = no */
	const char *scope;            /* comma-separated GMnnnn / VRnn codes; NULL = nation */
	FILE *summary;                /* print the plan's summary here; NULL = no */
	int fresh;                    /* 1 = plan from scratch, ignoring the plan of record */
	const char *exact_regions;    /* "all" or VRnn codes overriding [plan] exact_regions;
				       * NULL = the configuration's */
};

/* Loads, computes and stores a plan. Unless opt->fresh, the newest stored plan is the plan
 * of record and this one a stable recompute of it (its sites are incumbents, see
 * cover_solve_budget and cover_solve_target). With a scope and a national plan of record
 * the run is a scope round: the nation is planned with everything outside the scope kept
 * as it is and only the scope replanned (a stable recompute there), and stored as a
 * national plan. With a scope and opt->fresh or no national plan of record, only the named
 * municipalities and safety regions are planned (grid cells by location). result receives the computed plan
 * (free with plan_result_free, also after an error). 0 or negative errno with err; on
 * error the stored plans are unchanged. */
int plan_run(const struct config *cfg, const struct plan_progress *progress,
	     const struct plan_run_options *opt, struct plan_result *result,
	     struct plan_run_info *info, char *err, size_t errlen);

#endif
