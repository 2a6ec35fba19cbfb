/* The plan's parameters and their one schema: each stored key with its type, its place in
 * struct plan_params, its unit and its label for humans, and the one pair that turns them
 * into the JSON stored with every plan and back. Knows nothing of the configuration file
 * (jobs/plan_run.c maps it) nor of how the JSON is written out (jobs/plan_store.c). */
#ifndef HUB_PLAN_PARAMS_H
#define HUB_PLAN_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "plan/backup.h"
#include "plan/demand.h"

struct plan_hazards;

struct plan_incumbents;

/* A grid cell outside every municipality polygon, and a site outside every municipality,
 * join the nearest municipality within this distance (else the cell is dropped and the
 * site has none). Fixed: not a configuration key and not stored with the plan. */
#define PLAN_ASSIGN_MAX_M 2000.0

enum plan_mode { PLAN_MODE_TARGET = 0, PLAN_MODE_BUDGET = 1 };

struct plan_params {
	struct demand_params demand;
	double local_radius_m[5];
	double regional_radius_m[5];
	double detour_factor;
	enum plan_mode mode;
	double target_pct;            /* target mode: % of weighted demand per municipality */
	double capacity;              /* residents per local site: target mode plans with it,
				       * budget mode reports who is served within it */
	size_t local_sites;           /* budget mode: p */
	size_t regional_sites;
	uint32_t seed;
	double block_m;               /* grid-cell candidate blocks */
	double regional_block_m;      /* demand aggregation for the regional level */
	int generate_candidates;      /* 1 = add generated candidates to imported sites */
	int bound_iterations;
	double time_limit_s;          /* local-search limit per level */
	double weight_medical;        /* recorded with the plan; the demand does not use it yet */
	char local_kinds[128];        /* site kinds that may be local points ("kind" or
				       * "kind/subkind", comma-separated); "" = every kind */
	char regional_kinds[128];     /* the same for regional points; "" = every kind */
	char hazard_exclude[128];     /* hazard layers whose candidates are removed before
				       * solving (comma-separated names); "" = none */
	char hazard_flag[128];        /* hazard layers whose chosen sites inside are flagged
				       * (kept; comma-separated names); "" = none */
	char exact_regions[128];      /* safety regions whose local-level bound CBC proves or
				       * tightens: "", "all" or "VR17,VR14" (recorded; the plan
				       * uses exact_mask) */
	double exact_time_limit_s;    /* per region */
	size_t backup_sites;          /* extra local sites raising the weight covered twice,
				       * added after the primary plan (kept whole); 0 = none */
	struct backup_params backup;  /* the care generators' sizing is stored with the plan,
				       * the rest is not */
	/* A stable recompute (not stored with the parameters; the plan's summary records
	 * them): the plan it starts from (NULL = a fresh plan), the weighted residents a
	 * change must gain, and a scope round's municipalities (NULL = none: a scope, if
	 * any, is a plan of only those municipalities). */
	const struct plan_incumbents *incumbents;
	double change_cost;
	const uint8_t *round_scope;   /* [nareas] 1 = replanned; everything else is kept */
	const uint8_t *exact_mask;    /* [nregions] 1 = solve the region exactly; NULL = none */
	const struct plan_hazards *hazards; /* the imported hazard polygons (plan/hazard.h),
				       * set by the caller while preparing; not owned, not stored */
};

/* How a key's value is held in struct plan_params and written to JSON. */
enum plan_param_type {
	PLAN_PARAM_REAL,              /* double, a JSON real */
	PLAN_PARAM_WHOLE,             /* double, written as a JSON integer (truncated) */
	PLAN_PARAM_INT,               /* int, a JSON integer */
	PLAN_PARAM_SIZE,              /* size_t, a JSON integer */
	PLAN_PARAM_SEED,              /* uint32_t, a JSON integer */
	PLAN_PARAM_MODE,              /* enum plan_mode, "target" or "budget" */
	PLAN_PARAM_RADII,             /* double[5] by urbanity class, a JSON array of reals */
	PLAN_PARAM_SCOPE,             /* the plan's scope, outside struct plan_params: a string,
				         or null for the nation */
	PLAN_PARAM_KINDS,             /* char[128], a JSON string */
	PLAN_PARAM_LAYER,             /* char[DEMAND_LAYER_LEN], a JSON string; a plan stored
				         without it is read as "none" (planned before spreading) */
};

struct plan_param {
	const char *key;              /* the JSON member */
	enum plan_param_type type;
	size_t offset;                /* into struct plan_params; 0 for PLAN_PARAM_SCOPE */
	const char *unit;             /* "" when the label says it all */
	const char *label;            /* for humans, without the unit */
	int assumption;               /* 1: an assumption about the world or a policy choice;
				         0: a setting of the computation (resolution, search) */
	double min;                   /* the smallest value a stored plan may hold */
	int optional;                 /* 1: added after plans were first stored; a plan without
				         it reads 0 (a number) or "" (kinds: every kind) */
	const char *unit_nl, *label_nl;   /* the unit and label in Dutch (the report) */
};

/* The schema, in the order the keys are written. Static; never freed. */
extern const struct plan_param plan_param_table[];
extern const size_t plan_param_count;

/* The schema entry of key, or NULL. */
const struct plan_param *plan_param_find(const char *key);

/* 1 when a site of kind/subkind (subkind may be NULL) is named by list: an item "kind"
 * names every subkind, "kind/subkind" one; an empty list names every site. */
int plan_kinds_match(const char *list, const char *kind, const char *subkind);

/* Zeroes p and sets what is fixed rather than configured (demand.assign_max_m). */
void plan_params_init(struct plan_params *p);

/* The parameters of a plan for scope (a comma-separated list of codes; NULL = the nation)
 * as a new JSON object in *out (caller frees with json_decref). 0 or -ENOMEM. */
int plan_params_to_json(const struct plan_params *p, const char *scope, json_t **out);

/* Reads the stored parameters j into p (first plan_params_init; the backup parameters stay
 * zero) and the scope into *scope (malloc'd, NULL for the nation; caller frees). Every key
 * but scope and spread_layer (absent: "none") is required. 0, or -EINVAL with err naming the key that is missing, of the
 * wrong type or out of range, or -ENOMEM. */
int plan_params_from_json(const json_t *j, struct plan_params *p, char **scope, char *err,
			  size_t errlen);

#endif
