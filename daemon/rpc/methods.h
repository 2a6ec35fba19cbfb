/* Shared pieces of the methods: resolving the points and selections of their typed params
 * on the plan, writing points, areas, sites and backup power as JSON, and the fragments the
 * coverage reply is built from.
 * Used by the methods_*.c files, and by the daemon for methods_prerender. */
#ifndef HUB_METHODS_H
#define HUB_METHODS_H

#include <jansson.h>
#include <stdint.h>

#include "daemon/rpc/params.h"
#include "daemon/rpc/rpc.h"
#include "model/selection.h"
#include "model/served.h"

/* The RD position of a point as the client gave it: RD as it is, degrees converted with the
 * plan's CRS (-32602 naming what and why when they lie outside the RD area). */
int methods_point(const struct served *s, const struct params_point *p, const char *what,
		  double *x, double *y, struct rpc_error *e);

/* {"x","y","lat","lon"} for an RD point (lat/lon rounded to 7 decimals). */
json_t *methods_point_json(const struct served *s, double x, double y);

/* {"code","name","level"} of an area, or null for -1. */
json_t *methods_area_json(const struct served *s, int32_t area);

/* Resolves a selection as the client gave it on the plan: a code (-32001 when the plan has
 * no such region or area), a box in RD, or a box in degrees (its corners converted; min must
 * be below max). PARAMS_WHERE_NONE is the nation. */
int methods_selection(const struct served *s, const struct params_where *w,
		      struct selection *sel, struct rpc_error *e);

/* A GeoJSON Point Feature of a site (lon/lat, RFC 7946), with its properties. */
json_t *methods_site_feature(const struct served *s, const struct served_site *site);

/* Backup-power totals of the battery areas in a selection (sel NULL = the nation), or of
 * the battery area containing a place (area >= 0, sel NULL). */
json_t *methods_backup_json(const struct served *s, const struct selection *sel, int32_t area);

/* Renders the JSON fragments the coverage reply copies, each a complete JSON value: each
 * area's {"code","name","level"} and battery area's backup_power object, each region's
 * {"code","name"}, and each site's Feature properties object (served_site.json; coverage
 * writes the Feature around it and adds distance_m). At load, before publication.
 * 0 or -ENOMEM. */
int methods_prerender(struct served *s);

/* whatif's failed area resolved on the plan (methods_fail.c): site[k] = 1 for every planned
 * site s->sites[k] inside it, cand_outside[j] = 1 for every candidate outside it. Owned
 * arrays (methods_failure_free); both NULL when no area was given. */
struct methods_failure {
	uint8_t *site, *cand_outside;
	size_t nlocal, nregional;     /* failed sites per level */
};

/* Resolves f (WHATIF_FAIL_NONE: out stays empty): a region code or box as a selection, a
 * polygon checked by geo_user_polygon (-32602 naming why: invalid, outside the Netherlands,
 * or holding none of the plan). 0 or -1 with e. */
int methods_fail_area(const struct served *s, const struct whatif_fail *f,
		      struct methods_failure *out, struct rpc_error *e);
void methods_failure_free(struct methods_failure *f);

/* Residents who lose their regional point with the failed regional sites (no other regional
 * point within reach); by_area (may be NULL) gets them added per gemeente. NaN when out of
 * memory. */
double methods_fail_regional_lost(const struct served *s, const struct methods_failure *f,
				  double *by_area);

/* The properties object of a site's Feature (sites, and the fragment above). */
json_t *methods_site_properties(const struct served *s, const struct served_site *site);

#endif
