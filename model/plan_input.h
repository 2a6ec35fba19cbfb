/* The planner's inputs as loaded from the store: areas with copies of their geometry and
 * names, memberships numbered by safety region (VR01 first), regions, and sites; plus the
 * --scope filter and the step that makes them ready for plan_prepare. Used by the plan
 * command and by the daemon's serving model. */
#ifndef HUB_PLAN_INPUT_H
#define HUB_PLAN_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "data/store.h"
#include "geo/geom.h"
#include "plan/demand.h"
#include "plan/hazard.h"
#include "plan/plan.h"

struct plan_member {
	char gm[PLAN_CODE_LEN];
	int32_t region;
};

/* A stored site status as the planner sees it (data/store_status.h). */
struct plan_status {
	int64_t site_id;              /* the site in this import, -1 when it holds none */
	int status;                   /* STORE_STATUS_DESIGNATED or STORE_STATUS_REJECTED */
	double x, y;                  /* RD: the site now, else where it was when set */
};

struct plan_input {
	struct plan_area *areas;      /* wkb and name owned here */
	size_t n, cap;
	struct plan_member *members;  /* sorted by gemeente code */
	size_t nmembers, mcap;
	char (*regions)[PLAN_CODE_LEN];  /* sorted codes */
	char (*region_names)[64];        /* same order */
	size_t nregions;
	struct plan_site_in *sites;   /* designated: fixed = 1; rejected: not here */
	size_t nsites, scap;
	struct plan_status *statuses; /* every stored status, sorted by site_id */
	size_t nstatuses, stcap;
	struct demand_refs refs;      /* every reference layer's polygons (dasymetric spreading);
				       * land measured by plan_input_ready; hand them to demand
				       * building as params.demand.refs */
	struct plan_hazards hazards;  /* every imported hazard layer's polygons; hand them to
				       * plan_prepare as params.hazards */
};

/* Loads areas, memberships, sites, site statuses and the reference layers (refs); a designated site is fixed and a
 * rejected site is left out (plan_input_apply_statuses). -ENODATA when there are no areas. */
int plan_input_load(struct store *st, struct plan_input *l, char *err, size_t errlen);
void plan_input_free(struct plan_input *l);

/* The one place statuses reach the planner: every site with a designated status gets
 * fixed = 1 (always in the local plan), every site with a rejected status is removed from
 * l->sites, so it is a candidate of neither level. Sites must be sorted by id. */
void plan_input_apply_statuses(struct plan_input *l);

/* The stored status of site id (STORE_STATUS_*), STORE_STATUS_NONE when it has none. */
int plan_input_status_of(const struct plan_input *l, int64_t id);

/* Keeps only the municipalities (and their areas and grid cells) named in scope, a
 * comma-separated list of GMnnnn / VRnn codes. Grid cells are first attributed by location
 * among all loaded areas (demand_locate_cells, with assign_max_m), so a cell is kept with
 * the gemeente a national plan gives it. -ENOENT when scope names none; -ENOMEM/-EINVAL
 * from the attribution. */
int plan_input_scope(struct geom_ctx *g, struct plan_input *l, const char *scope,
		     double assign_max_m, char *err, size_t errlen);

/* Makes a loaded input ready for plan_prepare, the same for the planner and the served
 * model: the reference polygons' land measured on all loaded areas (demand_refs_land),
 * then with a scope (NULL = the nation) restricted to it (plan_input_scope), sites
 * located in their municipality (plan_locate_sites) and, with a scope, the sites outside
 * it dropped. 0 or negative errno with err. */
int plan_input_ready(struct geom_ctx *g, struct plan_input *l, const char *scope, char *err,
		     size_t errlen);

/* region_of callback for demand_build: user is a struct plan_input. */
int32_t plan_input_region_of(void *user, const char *gm);

/* A scope round's municipalities: (*mask)[i] = 1 when area i is a gemeente named in scope
 * (directly or through its safety region), one entry per loaded area (malloc'd; caller
 * frees). -ENOENT when scope names none, -ENOMEM; both with err. */
int plan_input_scope_mask(const struct plan_input *l, const char *scope, uint8_t **mask,
			  char *err, size_t errlen);

#endif
