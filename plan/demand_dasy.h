/* Dasymetric spreading: reference layers (older or other finer polygon layers with
 * residents, e.g. the 2015 buurten) that say where people lived inside today's coarser
 * areas, matched by location only. Holds the layers, measures each reference polygon's
 * land and splits an area's demand over its sample points in proportion to the reference
 * density there. GEOS through geo/; no I/O, no logging. */
#ifndef HUB_DEMAND_DASY_H
#define HUB_DEMAND_DASY_H

#include <stddef.h>
#include <stdint.h>

#include "geo/geom.h"

#define DEMAND_LAYER_LEN 32

struct plan_area;

struct demand_ref_area {
	int32_t layer;                /* index into demand_refs.layers */
	double residents;             /* NaN = unknown: the polygon is not used */
	uint8_t *wkb;                 /* polygon, WKB in RD New; owned by the demand_refs */
	size_t wkb_len;
	double land_m2;               /* demand_refs_land; NaN = degenerate (not used) */
	double cx, cy;                /* demand_refs_land: the centre of its bounding box */
};

/* Every reference polygon loaded, of every layer. Zero-initialise; free with
 * demand_refs_free. */
struct demand_refs {
	char (*layers)[DEMAND_LAYER_LEN];   /* in the order first seen */
	size_t nlayers;
	struct demand_ref_area *areas;
	size_t n, cap;
};

/* Appends a polygon of layer (a name of at most DEMAND_LAYER_LEN - 1 bytes; longer is
 * -EINVAL) with its residents (NaN = unknown); wkb is copied. 0, -EINVAL or -ENOMEM with
 * err. */
int demand_refs_add(struct demand_refs *r, const char *layer, double residents,
		    const uint8_t *wkb, size_t wkb_len, char *err, size_t errlen);
void demand_refs_free(struct demand_refs *r);

/* Measures each reference polygon's land: its overlap with the land polygons of the
 * gemeenten among areas (else of the wijken, else its own area). A polygon that is a
 * point, a line, empty or of zero area gets NaN and is never used. Call it on the full
 * area set, before any scope filter, so a scoped plan spreads like a national one. 0 or
 * negative errno with err. */
int demand_refs_land(struct geom_ctx *g, struct demand_refs *r, const struct plan_area *areas,
		     size_t nareas, char *err, size_t errlen);

/* The layer the setting chooses: "none" or "" gives -1 (no spreading); "auto" the layer
 * with the most usable polygons (the finest; -1 when there is none); any other value the
 * layer of that name. *layer is its index. 0, or -ENOENT with err naming the setting and
 * the layers present. */
int demand_refs_choose(const struct demand_refs *r, const char *setting, int32_t *layer,
		       char *err, size_t errlen);

struct demand_spreader;

/* A point lookup over the usable polygons of layer (not NULL even when none is usable).
 * r must outlive it. NULL when out of memory or GEOS fails (err says which). */
struct demand_spreader *demand_spreader_new(struct geom_ctx *g, const struct demand_refs *r,
					    int32_t layer, char *err, size_t errlen);
void demand_spreader_free(struct demand_spreader *s);

/* The share of an area's demand (polygon wkb, sampled at spacing_m) for each of its k
 * sample points xy (share[k], summing to 1), in proportion to a density per point. A
 * point inside a usable reference polygon o (the lowest index when several hold it) has
 * d = residents(o) / land(o). The other points are uncovered: they share the residents
 * of the area's lost reference polygons (centre inside the area, but no sample point of
 * it inside them: polygons the publisher's simplification collapsed to slivers), and
 * have at least the mean density of the covered points (so without lost polygons the
 * uncovered part keeps its even share, n_uncovered / k). When no point is covered or every
 * density is 0, every point gets 1/k. Returns 1 when the reference layer set the shares,
 * 0 when they are even, or negative errno with err. */
int demand_spread_shares(struct demand_spreader *s, const uint8_t *wkb, size_t len,
			 double spacing_m, const double *xy, size_t k, double *share, char *err,
			 size_t errlen);

#endif
