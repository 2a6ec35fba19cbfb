/* Storing a computed plan: parameters and summary as JSON, the sites of both levels, the
 * per-area and per-region results, all in one transaction; and the plan's printed summary.
 * The only code that turns a plan_result into rows or text. */
#ifndef HUB_PLAN_STORE_H
#define HUB_PLAN_STORE_H

#include <stdint.h>
#include <stdio.h>

#include "config/config.h"
#include "data/store.h"
#include "jobs/plan_run.h"
#include "plan/plan.h"

/* Writes r as a new plan (BEGIN IMMEDIATE .. COMMIT; rollback on any error) and prunes
 * old plans beyond cfg->keep_plans. areas/regions: the codes r's indices refer to. The
 * summary stored with it holds the changes since the plan stored before it.
 * 0 with info->plan_id and info->changes (the changes line) set, or negative errno with
 * err. */
int plan_store(struct store *st, const struct config *cfg, const struct plan_params *p,
	       const char *scope, const struct plan_result *r, const struct plan_area *areas, size_t nareas,
	       const char (*regions)[PLAN_CODE_LEN], struct plan_run_info *info, char *err,
	       size_t errlen);

/* Prints the plan's summary: both levels, bound and gap, per safety region, timings. */
void plan_print(FILE *out, const struct plan_result *r, const struct plan_run_info *info,
		const char (*regions)[PLAN_CODE_LEN], const struct config *cfg);

#endif
