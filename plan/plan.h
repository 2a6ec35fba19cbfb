/* The whole planning computation on in-memory inputs: demand, candidates, local level
 * (target or budget mode), regional level, bounds per safety region and nationally, and
 * per-area results. Pure computation (GEOS through demand.h); no sqlite, no logging:
 * progress goes through a callback. */
#ifndef HUB_PLAN_H
#define HUB_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "plan/backup.h"
#include "plan/candidates.h"
#include "plan/cover.h"
#include "plan/cover_backup.h"
#include "plan/demand.h"
#include "plan/hazard.h"
#include "plan/params.h"
#include "plan/stable.h"

struct plan_site_in {
	double x, y;
	int fixed;
	int64_t id;
	const char *name, *kind;      /* not owned; may be NULL; kind "care" gets a generator */
	const char *subkind;          /* not owned; may be NULL */
	int32_t gemeente;             /* area index, -1 = unknown (filled by plan_locate_sites) */
	double beds, ic_beds, clients; /* institutions' figures; NaN = unknown */
};

struct plan_level {
	struct cover_model *model;
	int32_t *group_area;
	struct candidates cand;       /* the level's candidates (regional: same positions) */
	struct cover_solution sol;
	double total_weight;
	double covered_weight;
	double bound;                 /* national upper bound with sol.nopen sites */
	double gap_pct;               /* 100 * (bound - covered) / bound */
	double seconds;               /* building and solving the level */
	double bound_seconds;         /* computing the bound (the local level's alongside the
				       * rest of the plan, in a second thread) */
	struct plan_incumbent_match match;   /* a stable recompute's incumbents; zero else */
	size_t open_generated;        /* open sites at generated positions (not imported sites) */
	double covered_by_sites;      /* weight the open imported sites alone cover */
	uint8_t *funded;              /* [sol.nopen] 1 = its backup power is funded: it works in
				       * a blackout */
	size_t nfunded;
	size_t nprimary;              /* sol.open[0..nprimary) are the primary plan's sites,
				       * the rest backup sites (backup_sites; local level only) */
	struct cover_backup_result twice;   /* the backup placement; zero without one (then
					     * twice.weight is still the weight covered twice) */
	int8_t *hazard;               /* [sol.nopen] the first hazard_flag layer the site lies in
				       * (index in plan_result.flags), -1 none; NULL = none named */
};

/* How a safety region's bound was found: the Lagrangian dual, CBC's best bound at its time
 * limit, CBC's proven optimum, or a set cover proving that as many sites can reach all the
 * weight any candidate reaches (that weight is then the optimum; no CBC needed). With
 * OPTIMUM and COVER, bound = best_weight. */
enum plan_bound_method {
	PLAN_BOUND_LAGRANGIAN = 0, PLAN_BOUND_MIP = 1, PLAN_BOUND_OPTIMUM = 2, PLAN_BOUND_COVER = 3
};

/* "lagrangian", "mip", "optimum" or "cover". Static. */
const char *plan_bound_method_name(enum plan_bound_method m);

struct plan_region_result {
	double weight, covered_weight, bound, gap_pct;
	enum plan_bound_method bound_method;
	double best_weight;           /* exact: the most CBC found with the same sites count;
				       * cover: the proven optimum; NaN otherwise */
	double exact_s;               /* the exact solve's wall time; 0 when none */
	double residents, covered_residents;
	double blackout_covered_residents;   /* by a local site whose power is funded */
	double twice_covered_residents;      /* within reach of two or more local sites */
	size_t local_sites, regional_sites;
};

struct plan_area_result {
	double residents, weight, covered_residents, uncovered_residents;
	double vulnerable, vulnerable_uncovered;
	double regional_covered_residents;
	double blackout_covered_residents;   /* in a blackout: by funded local sites only */
	double blackout_regional_covered_residents;
	double twice_covered_residents;      /* within reach of two or more local sites */
	double dist_sum;              /* residents-weighted sum of distances to the nearest local site */
	double mean_dist_m;           /* dist_sum / residents; NaN when no residents */
};

/* Open sites of one kind per level ("generated" for generated positions). */
struct plan_kind_count {
	char kind[128];               /* longer kinds are cut and counted together */
	size_t local, regional;
};

struct plan_result {
	struct demand demand;
	struct plan_level local, regional;
	struct plan_region_result *regions;  /* [nregions] */
	size_t nregions;
	struct plan_area_result *areas;      /* [nareas], every level aggregated */
	size_t nareas;
	/* Backup power per battery area (a buurt, or a wijk without buurten). */
	struct backup_plan backup;
	int32_t *backup_area;         /* [nbackup] area index of each battery area */
	size_t nbackup;
	size_t care_sites;            /* care institutions: backup.generators[k] is the one of
				       * site generator_site[k] */
	int64_t *generator_site;
	size_t hospitals;             /* counted, not bought for: they have emergency power */
	double hospital_beds, hospital_ic_beds;
	double covered_residents;            /* nation: by the local sites */
	double blackout_covered_residents;   /* nation: by funded local sites only */
	double blackout_regional_covered_residents;
	double twice_covered_residents;      /* nation: within reach of two or more local sites */
	struct plan_kind_count *kinds;   /* [nkinds], by kind name; "generated" last */
	size_t nkinds;
	double seconds_demand, seconds_candidates, seconds_results, seconds_backup;
	struct plan_hazard_count hazards[PLAN_HAZARD_MAX];  /* per excluded hazard layer */
	size_t nhazards;
	struct plan_hazard_count flags[PLAN_HAZARD_MAX];    /* per flagged hazard layer */
	size_t nflags;
};

struct plan_progress {
	void (*fn)(void *user, const char *phase, double fraction);
	void *user;
};

/* Runs the full computation on sites already located (plan_locate_sites): plan_prepare
 * for the demand and local candidates, then both levels, bounds, results and backup.
 * areas are linked in place (demand_build). Fills out (free with plan_result_free, also
 * after an error). 0 or negative errno with err. */
int plan_compute(struct geom_ctx *g, struct plan_area *areas, size_t nareas,
		 int32_t (*region_of)(void *user, const char *gemeente_code), void *user,
		 size_t nregions, const struct plan_site_in *sites, size_t nsites,
		 const struct plan_params *p, const struct plan_progress *progress,
		 struct plan_result *out, char *err, size_t errlen);

void plan_result_free(struct plan_result *r);

#endif
