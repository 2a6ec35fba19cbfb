/* GeoJSON output of RD geometry, and of the union of squares around points, in
 * lon/lat (RFC 7946: ETRS89 written as is, at most 7 decimals, exterior rings counter-
 * clockwise). GEOS builds and unions; PROJ transforms. No I/O. */
#ifndef HUB_GEOJSON_H
#define HUB_GEOJSON_H

#include <stddef.h>

#include "geo/crs.h"
#include "geo/geom.h"

/* Unions the axis-parallel squares of side side[i] centred on (xy[2i], xy[2i+1]) (RD New)
 * and writes the result as a GeoJSON geometry in lon/lat into *out (malloc'd; caller
 * frees). n = 0 gives an empty MultiPolygon. 0 or negative errno with err. */
/* The union of those squares as one RD geometry (caller destroys it with
 * GEOSGeom_destroy_r), or NULL when GEOS fails. n = 0 gives an empty geometry. */
GEOSGeometry *geo_squares_union(struct geom_ctx *g, const double *xy, const double *side,
				size_t n);

/* Writes the RD geometry rd (not owned, not modified) as a GeoJSON geometry in lon/lat:
 * rounded to 7 decimals, exterior rings counter-clockwise. *out is malloc'd (caller
 * frees). 0, -EDOM for a coordinate PROJ cannot transform, or -ENOMEM, with err. */
int geo_geojson_geometry(struct geom_ctx *g, struct crs *crs, const GEOSGeometry *rd,
			 char **out, char *err, size_t errlen);

int geo_squares_geojson(struct geom_ctx *g, struct crs *crs, const double *xy,
			const double *side, size_t n, char **out, char *err, size_t errlen);

#endif
