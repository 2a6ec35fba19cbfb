/* Loads the planner's inputs from the store, runs plan_compute and stores the result in
 * one transaction. Owns copies of every geometry it hands to geo/ for the whole run.
 * Prints nothing; the caller reports progress and results. */
#include "plan_run.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "instance.h"
#include "plan_input.h"
#include "plan_store.h"
#include "store.h"
#include "store_plan.h"

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void plan_params_from_config(const struct config *cfg, struct plan_params *p)
{
	memset(p, 0, sizeof *p);
	p->demand.spacing_urban_m = cfg->sample_spacing_urban_m;
	p->demand.spacing_rural_m = cfg->sample_spacing_rural_m;
	p->demand.weight_65plus = cfg->weight_65plus;
	p->demand.weight_no_car = cfg->weight_no_car;
	p->demand.assign_max_m = 2000;
	for (int k = 0; k < 5; k++) {
		p->local_radius_m[k] = cfg->local_radius_m[k];
		p->regional_radius_m[k] = cfg->regional_radius_m[k];
	}
	p->detour_factor = cfg->detour_factor;
	p->mode = strcmp(cfg->local_mode, "budget") == 0 ? PLAN_MODE_BUDGET : PLAN_MODE_TARGET;
	p->target_pct = cfg->coverage_target_pct;
	p->capacity = cfg->max_residents_per_site;
	p->local_sites = (size_t)cfg->local_sites;
	p->regional_sites = (size_t)cfg->regional_sites;
	p->seed = (uint32_t)cfg->seed;
	p->block_m = cfg->candidate_block_m;
	p->regional_block_m = cfg->regional_block_m;
	p->generate_candidates = cfg->generate_candidates;
	p->bound_iterations = cfg->bound_iterations;
	p->time_limit_s = cfg->search_time_s;
	p->backup = (struct backup_params){
		.household_kwh = cfg->household_kwh, .household_kw = cfg->household_kw,
		.households_per_battery = cfg->households_per_battery,
		.battery_eur_per_kwh = cfg->battery_eur_per_kwh,
		.home_battery_kwh = cfg->home_battery_kwh, .home_eur_per_kwh = cfg->home_eur_per_kwh,
		.home_share = cfg->home_share_pct / 100.0,
		.class4_min_density = cfg->class4_min_density,
		.local_point_kwh = cfg->local_point_kwh, .regional_point_kva = cfg->regional_point_kva,
		.care_kva = cfg->care_kva, .generator_eur_per_kva = cfg->generator_eur_per_kva,
		.budget_eur = cfg->budget_eur, .weight_65plus = cfg->weight_65plus,
	};
}

int plan_run(const struct config *cfg, const struct plan_progress *progress,
	     const struct plan_run_options *opt, struct plan_result *result,
	     struct plan_run_info *info, char *err, size_t errlen)
{
	struct plan_params p;
	struct plan_input l = {0};
	struct store *st = NULL;
	struct geom_ctx *g = geom_ctx_new();
	double t0 = now_s();
	int rc = g ? store_open(cfg->database, 0, &st, err, errlen) : -ENOMEM;

	memset(result, 0, sizeof *result);
	memset(info, 0, sizeof *info);
	plan_params_from_config(cfg, &p);
	if (rc == 0)
		rc = plan_input_load(st, &l, err, errlen);
	if (rc == 0 && opt->scope)
		rc = plan_input_scope(g, &l, opt->scope, p.demand.assign_max_m, err, errlen);
	if (rc == 0)
		rc = plan_locate_sites(g, l.areas, l.n, l.sites, l.nsites, err, errlen);
	if (rc == 0 && opt->scope)
		plan_input_drop_unlocated_sites(&l);
	info->seconds_load = now_s() - t0;
	if (rc == 0)
		rc = plan_compute(g, l.areas, l.n, plan_input_region_of, &l, l.nregions, l.sites, l.nsites, &p,
				  progress, result, err, errlen);
	if (rc == 0 && opt->export_path)
		rc = instance_write(opt->export_path, &result->local, &result->demand, err, errlen);
	double t1 = now_s();
	if (rc == 0)
		rc = plan_store(st, cfg, &p, opt->scope, result, l.areas, l.n, l.regions, &info->plan_id, err,
				errlen);
	info->seconds_store = now_s() - t1;
	info->seconds_total = now_s() - t0;
	info->demand_points = result->demand.n;
	info->candidates = result->local.cand.n;
	info->areas = l.n;
	info->regions = l.nregions;
	for (size_t i = 0; i < result->demand.n; i++)
		info->residents_total += result->demand.residents[i];
	if (rc == 0 && opt->summary)
		plan_print(opt->summary, result, info, (const char(*)[PLAN_CODE_LEN])l.regions, cfg);
	plan_input_free(&l);
	store_close(st);
	geom_ctx_free(g);
	return rc;
}
