/* The serving model: everything the query methods need from one stored plan, loaded whole
 * (areas with names and hierarchy, point location, plan sites, per-area and per-region
 * results, and the demand with per-point coverage counts for what-if and suggestions).
 * Built off the loop thread, then published whole and never modified. */
#ifndef HUB_SERVED_H
#define HUB_SERVED_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "geo/crs.h"
#include "geo/geom.h"
#include "geo/grid_index.h"
#include "geo/locate.h"
#include "plan/candidates.h"
#include "plan/demand.h"
#include "plan/hazard.h"
#include "plan/params.h"

struct plan_status;

struct served_inst;
struct served_insts {                /* institutions of one kind (model/served_places.h) */
	struct served_inst *v;
	size_t n;
	double *xy;
	struct grid_index *index;
};

struct served_result {
	double residents, weight, covered, uncovered, vulnerable, vulnerable_uncovered;
	double regional_covered, mean_dist_m;
	int has;                      /* 1 when the plan has a row for this area */
	double blackout_covered, blackout_regional_covered;   /* by sites with funded power;
							       * NaN = unknown (older plan) */
	double twice_covered;         /* residents two or more local sites reach; NaN = unknown
				       * (a plan stored before backup coverage) */
};

struct served_backup {
	int has;                      /* 1 for a battery area of the plan */
	double households, wijk_kwh, wijk_kw, home_kwh, protected_households, cost_eur;
	long wijk_batteries, home_batteries;
	int funded;
};

struct served_area {
	int level;
	char code[PLAN_CODE_LEN];
	char *name;
	int32_t gemeente, wijk, buurt;  /* area indices, -1 */
	int32_t region;               /* region index, -1 */
	int urbanity;                 /* 1..5, 0 unknown */
	char spread[DEMAND_LAYER_LEN];  /* how its residents became demand (plan_area.spread);
					 * "" when its demand comes from finer areas */
	struct served_result r;
	struct served_backup b;
	char *json;                   /* {"code","name","level"}, rendered at load */
	char *backup_json;            /* this battery area's backup_power object, or NULL */
};

struct served_region {
	char code[PLAN_CODE_LEN];
	char *name;
	char *json;                   /* {"code","name"}, rendered at load */
	double residents, covered_residents, weight, covered_weight, bound, gap_pct;
	long local_sites, regional_sites;
	char bound_method[12];        /* "lagrangian", "mip", "optimum" or "cover" */
	double blackout_covered;      /* residents funded local sites reach; NaN = unknown */
	double twice_covered;         /* residents two or more local sites reach; NaN = unknown */
	double best_weight, exact_s;  /* an exact solve's best coverage (NaN: none), its time */
};

struct served_site {
	int level;                    /* 1 local, 2 regional */
	int seq;
	double x, y;
	int64_t site_id;              /* -1 = generated position */
	int origin, fixed;
	int32_t gemeente;             /* area index, -1 */
	char *name, *kind;            /* from the imported site, NULL for generated */
	double lat, lon;              /* ETRS89, computed once at load */
	char *json;                   /* its Feature's properties object (complete JSON), rendered
				       * by the daemon with methods_prerender after the load */
	int power_funded;             /* 1 = its backup power is funded: it works in a blackout */
	int backup;                   /* purpose: 1 = a backup site (backup_sites), 0 = primary */
	char *hazard;                 /* the hazard_flag layer it lies in (owned), NULL = none */
};

struct served {
	int64_t plan_id;
	char created_at[32], data_version[17];
	char *params_json, *summary_json, *timings_json;
	struct plan_params params;    /* as the plan was computed with (backup ones zero) */
	char *scope;                  /* the plan's --scope, NULL = the nation */
	struct served_area *areas;
	size_t nareas;
	struct served_region *regions;
	size_t nregions;
	struct served_site *sites;    /* local sites first (ordered by level, seq) */
	size_t nsites, sites_cap, nlocal;
	double *site_xy[2];           /* per level: positions for the grid indexes */
	size_t site_n[2];
	uint32_t *site_ix[2];         /* per level: index into sites */
	struct grid_index *site_index[2];
	struct geom_ctx *g;
	struct locator *loc[3];       /* gemeenten, wijken, buurten */
	struct crs *crs;
	struct demand demand;         /* rebuilt for what-if and suggestions */
	struct grid_index *class_index[5];   /* demand points of each urbanity class */
	double *class_xy[5];
	uint32_t *class_ids[5];       /* class-index position -> demand point */
	size_t class_n[5];
	uint16_t *cover_count;        /* [demand.n] open local sites reaching each point */
	uint16_t *blackout_count;     /* [demand.n] those of them with funded power */
	struct candidates cand;       /* candidate positions for suggestions */
	struct grid_index *cand_index; /* their positions (cand.xy) */
	char (*code_sorted)[PLAN_CODE_LEN];  /* for lookups: codes sorted */
	int32_t *code_index;
	struct plan_status *statuses; /* site statuses when loaded, by site id (served_status.h) */
	size_t nstatuses;
	uint8_t *cand_blocked;        /* [cand.n] 1: within 25 m of a rejected site */
	struct served_insts hospitals, fire_stations, care;   /* model/served_places.h */
	struct plan_hazards hazards;  /* every hazard layer imported when the plan was loaded
				       * (whatif's fail.hazard) */
};

/* Loads the newest plan from the database at cfg->database (read-only) into a new model.
 * -ENOENT (with err "no plan yet") when the database holds no plan. Free with served_free. */
int served_load(const struct config *cfg, struct served **out, char *err, size_t errlen);
void served_free(struct served *s);

/* The area index of a code (GM/WK/BU/cell id), or -1. */
int32_t served_find_code(const struct served *s, const char *code);
/* The region index of a VRnn code, or -1. */
int32_t served_find_region(const struct served *s, const char *code);

/* The finest area (buurt, else wijk, else gemeente) containing (x, y), with its parents. */
struct served_place {
	int32_t gemeente, wijk, buurt, region;
	int urbanity;                 /* of the finest area with a class; 5 when none */
};
void served_locate(const struct served *s, double x, double y, struct served_place *p);

/* The side of the square demand point i stands for: its cell, or the sample spacing. */
double served_point_side(const struct served *s, size_t i);

/* Calls fn(user, i) for every demand point a local site at (x, y) reaches (each class
 * searched with its own radius, so dense areas scan only their short radius). */
void served_each_reached(const struct served *s, double x, double y,
			 void (*fn)(void *user, uint32_t i), void *user);

/* The radius in metres within which a site of level (1 local, 2 regional) covers a place
 * of the given urbanity class, after the detour factor. */
double served_radius(const struct served *s, int level, int urbanity);

#endif
