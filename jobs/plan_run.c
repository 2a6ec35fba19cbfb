/* Loads the planner's inputs from the store, runs plan_compute and stores the result in
 * one transaction. Owns copies of every geometry it hands to geo/ for the whole run.
 * Prints nothing; the caller reports progress and results. */
#include "jobs/plan_run.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "data/store.h"
#include "data/store_plan.h"
#include "jobs/instance.h"
#include "jobs/plan_store.h"
#include "model/incumbents.h"
#include "model/plan_input.h"
#include "util/clock.h"

void plan_params_from_config(const struct config *cfg, struct plan_params *p)
{
	plan_params_init(p);
	p->demand.spacing_urban_m = cfg->sample_spacing_urban_m;
	p->demand.spacing_rural_m = cfg->sample_spacing_rural_m;
	snprintf(p->demand.spread_layer, sizeof p->demand.spread_layer, "%s", cfg->spread_layer);
	p->demand.weight_65plus = cfg->weight_65plus;
	p->demand.weight_no_car = cfg->weight_no_car;
	p->weight_medical = cfg->weight_medical;
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
	p->change_cost = cfg->change_cost;
	snprintf(p->local_kinds, sizeof p->local_kinds, "%s", cfg->local_kinds);
	snprintf(p->hazard_exclude, sizeof p->hazard_exclude, "%s", cfg->hazard_exclude);
	snprintf(p->hazard_flag, sizeof p->hazard_flag, "%s", cfg->hazard_flag);
	snprintf(p->regional_kinds, sizeof p->regional_kinds, "%s", cfg->regional_kinds);
	snprintf(p->exact_regions, sizeof p->exact_regions, "%s", cfg->exact_regions);
	p->exact_time_limit_s = cfg->exact_time_limit_s;
	p->backup_sites = (size_t)cfg->backup_sites;
	p->backup = (struct backup_params){
		.household_kwh = cfg->household_kwh, .household_kw = cfg->household_kw,
		.households_per_battery = cfg->households_per_battery,
		.battery_eur_per_kwh = cfg->battery_eur_per_kwh,
		.home_battery_kwh = cfg->home_battery_kwh, .home_eur_per_kwh = cfg->home_eur_per_kwh,
		.home_share = cfg->home_share_pct / 100.0,
		.class4_min_density = cfg->class4_min_density,
		.local_point_kwh = cfg->local_point_kwh, .regional_point_kva = cfg->regional_point_kva,
		.care_kva = cfg->care_kva, .generator_eur_per_kva = cfg->generator_eur_per_kva,
		.care_kva_per_person = cfg->care_kva_per_person, .care_weight = cfg->care_weight,
		.budget_eur = cfg->budget_eur, .weight_65plus = cfg->weight_65plus,
	};
}

/* The plan of record and what this run makes of it: a stable recompute (incumbents), a
 * scope round (the whole nation loaded, the scope's mask), or a fresh plan. */
struct run_base {
	int64_t plan_id;
	char *scope;                  /* the plan of record's scope; NULL = national */
	int round;
	uint8_t *mask;
	struct incumbents inc;
};

static int base_prepare(struct store *st, struct geom_ctx *g, struct plan_input *l,
			const struct plan_run_options *opt, struct plan_params *p,
			struct run_base *b, char *err, size_t errlen)
{
	int rc = incumbents_latest(st, &b->plan_id, &b->scope, err, errlen);
	b->round = rc == 0 && opt->scope && !opt->fresh && b->plan_id > 0 && !b->scope;
	if (rc == 0)
		rc = plan_input_ready(g, l, b->round ? NULL : opt->scope, err, errlen);
	if (rc == 0 && b->round)
		rc = plan_input_scope_mask(l, opt->scope, &b->mask, err, errlen);
	if (rc < 0 || opt->fresh || b->plan_id == 0)
		return rc;
	rc = incumbents_load(st, b->plan_id, l, &b->inc, err, errlen);
	p->incumbents = &b->inc.set;
	p->round_scope = b->mask;
	return rc;
}

/* The regions list ("", "all" or VRnn codes, comma-separated) as a mask over l's regions
 * in *mask (malloc'd, NULL for ""; caller frees). -EINVAL naming a code that is not a
 * safety region of the data, -ENOMEM. */
static int exact_mask(const struct plan_input *l, const char *list, uint8_t **mask, char *err,
		      size_t errlen)
{
	*mask = NULL;
	if (!list[0])
		return 0;
	if (!(*mask = calloc(l->nregions + 1, 1))) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	int all = strcmp(list, "all") == 0;
	for (size_t r = 0; all && r < l->nregions; r++)
		(*mask)[r] = 1;
	for (const char *c = list; !all && *c;) {
		size_t n = strcspn(c, ","), r = 0;
		while (r < l->nregions && !(strlen(l->regions[r]) == n &&
					    strncmp(l->regions[r], c, n) == 0))
			r++;
		if (r == l->nregions) {
			snprintf(err, errlen, "exact_regions: \"%.*s\" is not a safety region of the "
				 "imported data (%zu regions%s%s%s%s)", (int)n, c, l->nregions,
				 l->nregions ? ", " : "", l->nregions ? l->regions[0] : "",
				 l->nregions ? " to " : "",
				 l->nregions ? l->regions[l->nregions - 1] : "");
			return -EINVAL;
		}
		(*mask)[r] = 1;
		c += n + (c[n] == ',');
	}
	return 0;
}

static void base_free(struct run_base *b)
{
	free(b->scope);
	free(b->mask);
	incumbents_free(&b->inc);
}

int plan_run(const struct config *cfg, const struct plan_progress *progress,
	     const struct plan_run_options *opt, struct plan_result *result,
	     struct plan_run_info *info, char *err, size_t errlen)
{
	struct plan_params p;
	struct plan_input l = {0};
	struct run_base b = {0};
	uint8_t *exact = NULL;
	struct store *st = NULL;
	struct geom_ctx *g = geom_ctx_new();
	double t0 = clock_now_s();
	int rc = g ? store_open(cfg->database, 0, &st, err, errlen) : -ENOMEM;

	memset(result, 0, sizeof *result);
	memset(info, 0, sizeof *info);
	plan_params_from_config(cfg, &p);
	if (opt->exact_regions)
		snprintf(p.exact_regions, sizeof p.exact_regions, "%s", opt->exact_regions);
	if (rc == 0)
		rc = plan_input_load(st, &l, err, errlen);
	if (rc == 0)
		rc = exact_mask(&l, p.exact_regions, &exact, err, errlen);
	p.exact_mask = exact;
	if (rc == 0)
		rc = base_prepare(st, g, &l, opt, &p, &b, err, errlen);
	p.demand.refs = &l.refs;      /* valid until plan_input_free below */
	p.hazards = &l.hazards;
	info->base_plan_id = p.incumbents ? b.plan_id : 0;
	info->round = b.round;
	info->seconds_load = clock_now_s() - t0;
	if (rc == 0)
		rc = plan_compute(g, l.areas, l.n, plan_input_region_of, &l, l.nregions, l.sites, l.nsites, &p,
				  progress, result, err, errlen);
	if (rc == 0 && opt->export_path)
		rc = instance_write(opt->export_path, &result->local, &result->demand, err, errlen);
	double t1 = clock_now_s();
	if (rc == 0)
		rc = plan_store(st, cfg, &p, b.round ? NULL : opt->scope, result, l.areas, l.n,
				l.regions, info, err, errlen);
	info->seconds_store = clock_now_s() - t1;
	info->seconds_total = clock_now_s() - t0;
	info->demand_points = result->demand.n;
	info->candidates = result->local.cand.n;
	info->areas = l.n;
	info->regions = l.nregions;
	for (size_t i = 0; i < result->demand.n; i++)
		info->residents_total += result->demand.residents[i];
	if (rc == 0 && opt->summary)
		plan_print(opt->summary, result, info, (const char(*)[PLAN_CODE_LEN])l.regions, cfg);
	base_free(&b);
	free(exact);
	plan_input_free(&l);
	store_close(st);
	geom_ctx_free(g);
	return rc;
}
