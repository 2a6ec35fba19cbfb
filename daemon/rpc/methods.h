/* Shared pieces of the query methods: reading points and region selectors from params,
 * writing points, areas and sites as JSON, and walking the demand of a selection.
 * Used by methods_query.c, methods_plan.c and methods_admin.c only. */
#ifndef HUB_METHODS_H
#define HUB_METHODS_H

#include <jansson.h>
#include <stdint.h>

#include "daemon/rpc/rpc.h"
#include "model/selection.h"
#include "model/served.h"

/* A point from {"x":..,"y":..} (RD New metres) or {"lat":..,"lon":..} (ETRS89). */
int methods_point(const struct served *s, json_t *v, const char *what, double *x, double *y,
		  struct rpc_error *e);

/* {"x","y","lat","lon"} for an RD point (lat/lon rounded to 7 decimals). */
json_t *methods_point_json(const struct served *s, double x, double y);

/* {"code","name","level"} of an area, or null for -1. */
json_t *methods_area_json(const struct served *s, int32_t area);

/* Reads params "region" (a code) or "bbox" ([minx,miny,maxx,maxy] RD, or
 * {"south","west","north","east"} in degrees). required=0 allows neither (nation). */
int methods_selection(const struct served *s, json_t *params, int required,
		      struct selection *sel, int *has, struct rpc_error *e);

/* A GeoJSON Point Feature of a site (lon/lat, RFC 7946), with its properties. */
json_t *methods_site_feature(const struct served *s, const struct served_site *site);

/* Backup-power totals of the battery areas in a selection (sel NULL = the nation), or of
 * the battery area containing a place (area >= 0, sel NULL). */
json_t *methods_backup_json(const struct served *s, const struct selection *sel, int32_t area);

/* Renders the JSON fragments the fast coverage reply copies: each area, region, site
 * (Feature without its closing braces) and battery area. At load, before publication.
 * 0 or -ENOMEM. */
int methods_prerender(struct served *s);

/* Reads an optional integer param in [lo, hi] (def when absent). */
int methods_int(json_t *params, const char *key, int def, int lo, int hi, int *out,
		struct rpc_error *e);

#endif
