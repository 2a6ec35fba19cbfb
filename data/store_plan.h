/* Reading the planner's inputs from the store (areas with geometry, memberships, sites)
 * and writing a computed plan: header, sites of both levels, per-area and per-region
 * results. A plan is written inside one transaction, so only complete plans are visible;
 * older plans beyond a kept number are pruned in the same transaction. */
#ifndef HUB_STORE_PLAN_H
#define HUB_STORE_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "data/store.h"

struct store_area_row {
	int level;
	const char *code, *name, *gemeente_code, *wijk_code;
	double residents, residents_65plus, pct_65plus, households, cars_per_household;
	double urbanity;              /* NaN = unknown */
	double address_density;       /* addresses per km2, NaN = unknown */
	const uint8_t *wkb;           /* valid only during the callback */
	size_t wkb_len;
};

struct store_site_row {
	int64_t id;
	const char *name, *kind;
	double x_rd, y_rd, capacity;
	int fixed;
	double beds, ic_beds, clients; /* NaN = unknown */
	const char *subkind;          /* may be NULL */
};

/* Calls fn for every area (all levels, ordered by level and code); a non-zero return
 * from fn stops and is returned. Also the store's errors as negative errno with err. */
int store_each_area(struct store *st, int (*fn)(void *user, const struct store_area_row *r),
		    void *user, char *err, size_t errlen);
int store_each_site(struct store *st, int (*fn)(void *user, const struct store_site_row *r),
		    void *user, char *err, size_t errlen);
/* fn(user, gemeente_code, region_code, region_name) per membership, by gemeente code. */
int store_each_membership(struct store *st,
			  int (*fn)(void *user, const char *gm, const char *vr, const char *name),
			  void *user, char *err, size_t errlen);

struct store_plan_site {
	int level;                    /* 1 local, 2 regional */
	int seq;
	double x_rd, y_rd;
	int64_t site_id;              /* -1 = generated position */
	int origin;
	const char *gemeente_code;
	int fixed;
	int power_funded;             /* 1 = its backup power is funded (read: plans stored
				       * before blackout coverage read 1: they paid every point) */
	int backup;                   /* purpose: 1 = a backup site (backup_sites), 0 = primary
				       * (read: older plans read 0) */
	const char *hazard;           /* the hazard_flag layer it lies in; NULL = none (also
				       * plans stored before hazard layers) */
};

struct store_plan_area {
	int level;
	const char *code;
	double residents, weight, covered, uncovered, vulnerable, vulnerable_uncovered;
	double regional_covered, mean_dist_m;
	const char *spread;           /* plan_area.spread (plan/demand.h); NULL = from finer areas */
	double blackout_covered, blackout_regional_covered;   /* NaN = unknown (older plans) */
	double twice_covered;         /* residents two or more local sites reach; NaN = unknown */
};

struct store_plan_region {
	const char *code;
	double residents, covered_residents, weight, covered_weight, bound, gap_pct;
	long local_sites, regional_sites;
	const char *bound_method;     /* "lagrangian", "mip", "optimum" or "cover"; read: NULL stored
				       * before exact bounds is read as "lagrangian" */
	double best_weight, exact_s;  /* NaN / 0 when the region was not solved exactly */
	double blackout_covered;      /* residents funded local sites reach; NaN = unknown */
	double twice_covered;         /* residents two or more local sites reach; NaN = unknown */
};

/* Inside a transaction: inserts the plan header and returns its id in *plan_id. */
int store_plan_create(struct store *st, const char *data_version, const char *params_json,
		      int64_t *plan_id, char *err, size_t errlen);
int store_plan_put_site(struct store *st, int64_t plan_id, const struct store_plan_site *s,
			char *err, size_t errlen);
int store_plan_put_area(struct store *st, int64_t plan_id, const struct store_plan_area *a,
			char *err, size_t errlen);
int store_plan_put_region(struct store *st, int64_t plan_id, const struct store_plan_region *r,
			  char *err, size_t errlen);
struct store_plan_backup {
	int level;
	const char *code;
	double households, wijk_kwh, wijk_kw, home_kwh, protected_households, cost_eur, score;
	long wijk_batteries, home_batteries;
	int funded;
};

struct store_plan_battery {
	int seq, level;
	const char *code;
	double x_rd, y_rd, kwh, kw, households;
	int funded;
};

int store_plan_put_backup(struct store *st, int64_t plan_id, const struct store_plan_backup *b,
			  char *err, size_t errlen);
int store_plan_put_battery(struct store *st, int64_t plan_id,
			   const struct store_plan_battery *b, char *err, size_t errlen);
/* Calls fn for every battery-area row of plan id, by level and code. */
int store_each_plan_backup(struct store *st, int64_t id,
			   int (*fn)(void *user, const struct store_plan_backup *b), void *user,
			   char *err, size_t errlen);

/* Inside the transaction: sets timings and summary, deletes all but the newest keep plans. */
int store_plan_finish(struct store *st, int64_t plan_id, const char *timings_json,
		      const char *summary_json, int keep, char *err, size_t errlen);

/* The newest plan's id (0 when there is none). */
int store_plan_latest(struct store *st, int64_t *plan_id, char *err, size_t errlen);

struct store_plan_header {
	int64_t id;
	char created_at[32];
	char data_version[17];
	char *params_json, *timings_json, *summary_json;   /* malloc'd; free with free() */
};

/* Reads plan id's header into h (free its strings with store_plan_header_free).
 * -ENOENT when there is no such plan. */
int store_plan_header(struct store *st, int64_t id, struct store_plan_header *h, char *err,
		      size_t errlen);
void store_plan_header_free(struct store_plan_header *h);

/* Calls fn for every stored row of plan id (sites by level and seq, areas by level and
 * code, regions by code). A non-zero return from fn stops and is returned. */
int store_each_plan_site(struct store *st, int64_t id,
			 int (*fn)(void *user, const struct store_plan_site *s), void *user,
			 char *err, size_t errlen);
int store_each_plan_area(struct store *st, int64_t id,
			 int (*fn)(void *user, const struct store_plan_area *a), void *user,
			 char *err, size_t errlen);
int store_each_plan_region(struct store *st, int64_t id,
			   int (*fn)(void *user, const struct store_plan_region *r), void *user,
			   char *err, size_t errlen);

#endif
