/* Shared pieces of the query methods: reading points and region selectors from params,
 * writing points, areas and sites as JSON, and walking the demand of a selection.
 * Used by methods_query.c, methods_plan.c and methods_admin.c only. */
#ifndef HUB_METHODS_H
#define HUB_METHODS_H

#include <jansson.h>
#include <stdint.h>

#include "rpc.h"
#include "served.h"

/* A point from {"x":..,"y":..} (RD New metres) or {"lat":..,"lon":..} (ETRS89). */
int methods_point(const struct served *s, json_t *v, const char *what, double *x, double *y,
		  struct rpc_error *e);

/* {"x","y","lat","lon"} for an RD point (lat/lon rounded to 7 decimals). */
json_t *methods_point_json(const struct served *s, double x, double y);

/* {"code","name","level"} of an area, or null for -1. */
json_t *methods_area_json(const struct served *s, int32_t area);

/* A selection: a safety region (VRnn), an area code (GM/WK/BU or cell id), or a bbox. */
struct selection {
	int kind;                     /* 0 region, 1 area, 2 bbox */
	int32_t index;                /* region or area index */
	double box[4];                /* minx, miny, maxx, maxy (RD) */
	char label[64];
};

/* Reads params "region" (a code) or "bbox" ([minx,miny,maxx,maxy] RD, or
 * {"south","west","north","east"} in degrees). required=0 allows neither (nation). */
int methods_selection(const struct served *s, json_t *params, int required,
		      struct selection *sel, int *has, struct rpc_error *e);

/* 1 when area (an index) is target or lies inside it (target a gemeente, wijk or buurt). */
int methods_area_in(const struct served *s, int32_t area, int32_t target);

/* 1 when demand point i lies in the selection. */
int methods_selected(const struct served *s, const struct selection *sel, size_t i);

/* 1 when the site lies in the selection. */
int methods_site_selected(const struct served *s, const struct selection *sel,
			  const struct served_site *site);

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

/* Rounds to a fixed number of decimals for stable JSON output. */
double methods_round(double v, int decimals);

#endif
