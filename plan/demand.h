/* The planner's input model (areas with their figures and land polygons, safety regions,
 * sites) and the demand built from it: residents as weighted points, the finest layer
 * winning for each place (100 m / 500 m cells where they lie, else buurten, else wijken),
 * spread over points sampled inside each polygon's land. Uses GEOS via locate.h; no I/O,
 * no logging. */
#ifndef HUB_DEMAND_H
#define HUB_DEMAND_H

#include <stddef.h>
#include <stdint.h>

#include "geo/geom.h"
#include "plan/demand_dasy.h"

/* Levels use the store's numbering. */
enum { PLAN_GEMEENTE = 1, PLAN_WIJK = 2, PLAN_BUURT = 3, PLAN_CELL100 = 4, PLAN_CELL500 = 5 };

#define PLAN_CODE_LEN 24

struct plan_area {
	int level;
	char code[PLAN_CODE_LEN];
	const char *name;             /* may be NULL; not owned */
	/* Cells: "" until demand_locate_cells fills all three by location. */
	char gemeente_code[PLAN_CODE_LEN];
	char wijk_code[PLAN_CODE_LEN];       /* buurten and cells */
	char buurt_code[PLAN_CODE_LEN];      /* cells only ("" when the wijk has no buurten) */
	double residents;             /* NaN = unknown (then no demand) */
	double residents_65plus;      /* cells: a count, NaN = unknown */
	double pct_65plus;            /* areas: a percentage, NaN = unknown */
	double households;
	double cars_per_household;    /* NaN = unknown */
	double address_density;       /* addresses per km2, NaN = unknown */
	int urbanity;                 /* 1..5, 0 = unknown */
	const uint8_t *wkb;           /* land polygon, WKB in RD New; not owned */
	size_t wkb_len;
	/* Filled by demand_build: */
	int32_t gemeente, wijk, buurt; /* indices into the area array; -1 = none */
	int32_t region;               /* index into the region codes; -1 = none */
	int demand_source;            /* 1 when this area's own residents became demand points:
				       * cells, buurten, wijken without buurten */
	double cell_residents;        /* source areas: known residents of the cells that
				       * represent part of it (0 when none) */
	double rest_residents;        /* source areas: residents left for its land outside
				       * those cells, max(0, residents - cell_residents);
				       * cells: their residents after scaling (see below) */
	const char *spread;           /* how its residents became demand (demand_build): "own"
				       * (a grid cell, at its centre), "cells" (an area with
				       * cells: they hold part, the rest is even outside them),
				       * a reference layer's name (spread by that layer), "even"
				       * (evenly over its land); NULL when not a demand source or
				       * its residents are unknown. Static or owned by the
				       * demand_refs. */
};

struct demand_params {
	double spacing_urban_m;       /* urbanity 1-3 */
	double spacing_rural_m;       /* urbanity 4-5 and unknown */
	double weight_65plus;         /* extra weight per resident aged 65+ */
	double weight_no_car;         /* extra weight per resident without a car, classes 4-5 */
	double assign_max_m;          /* a cell outside every municipality polygon joins the
					 nearest within this distance (else it is dropped) */
	/* Dasymetric spreading of wijken without buurten or cells: the configured reference
	 * layer ("auto", "none"/"" or a layer name; demand_refs_choose) and the loaded
	 * reference layers (NULL = none; not owned, valid during demand_build, land measured
	 * with demand_refs_land on the unscoped areas). */
	char spread_layer[DEMAND_LAYER_LEN];
	const struct demand_refs *refs;
};

struct demand {
	size_t n;
	double *xy;                   /* [2n] RD New */
	double *weight;               /* [n] residents + extras */
	double *residents;            /* [n] */
	double *vulnerable;           /* [n] residents aged 65+ (estimated where needed) */
	uint8_t *urbanity;            /* [n] 1..5 */
	int32_t *area;                /* [n] the area the point came from */
	int32_t *gemeente;            /* [n] */
	int32_t *region;              /* [n] -1 = none */
	double dropped_residents;     /* residents of cells outside every municipality */
	size_t unknown_areas;         /* areas whose residents are unknown */
};

/* Attributes each grid cell whose gemeente_code is "" by the location of its centre: to
 * the gemeente containing it (the lowest index when several do, else the nearest within
 * assign_max_m), then to the wijk of that gemeente containing it (else that gemeente's
 * nearest wijk), then likewise to a buurt of that wijk when the wijk has buurten, and
 * writes their codes into the cell. A cell near no gemeente keeps "". The answer depends
 * only on the areas given: call it on the full area set before a scope filter, so scoped
 * and national plans attribute every cell alike. 0 or negative errno with err. */
int demand_locate_cells(struct geom_ctx *g, struct plan_area *areas, size_t nareas,
			double assign_max_m, char *err, size_t errlen);

/* Links areas to their gemeente / wijk / buurt / region (unattributed cells first by
 * demand_locate_cells), chooses the finest layer for each place and builds the demand
 * points. Each cell represents its own square of its buurt (else wijk); that area's
 * remaining residents (rest_residents) are spread over its sample points outside its
 * cells with known residents (over all its sample points when the cells cover every
 * one). When an area's cells hold more residents than the area, they are scaled down to
 * the area's figure, so every area's demand sums exactly to its residents. A wijk without
 * buurten and without cells is spread by the chosen reference layer when there is one
 * (demand_spread_shares: each point's share of its residents, 65+ and extra weight alike),
 * still summing exactly to its residents. Sets areas[].spread. region_of(user,
 * code) gives a municipality's region index or -1. areas[].wkb must stay valid during the
 * call. Fills out (free with demand_free). 0 or negative errno with err. */
int demand_build(struct geom_ctx *g, struct plan_area *areas, size_t nareas,
		 int32_t (*region_of)(void *user, const char *gemeente_code), void *user,
		 const struct demand_params *p, struct demand *out, char *err, size_t errlen);
void demand_free(struct demand *d);

/* The south-west corner and side of a cell's stored square (as written by the importer). */
void demand_cell_square(const struct plan_area *cell, double *x0, double *y0, double *side);

/* The extra weight of r residents of whom v are 65+, in urbanity class u with the given
 * cars per household (NaN = unknown: no extra). */
double demand_weight(const struct demand_params *p, double r, double v, int u, double cars);

#endif
