/* GeoJSON output of RD geometry, and of the union of squares around points, in
 * lon/lat (RFC 7946: ETRS89 written as is, at most 7 decimals, exterior rings counter-
 * clockwise). GEOS reads, PROJ transforms; no GEOS type in this header. No I/O. */
#ifndef HUB_GEOJSON_H
#define HUB_GEOJSON_H

#include <stddef.h>
#include <stdint.h>

#include "geo/crs.h"
#include "geo/geom.h"

/* Unions the axis-parallel squares of side side[i] centred on (xy[2i], xy[2i+1]) (RD New)
 * and writes the result as a GeoJSON geometry in lon/lat into *out (malloc'd; caller
 * frees). n = 0 gives an empty MultiPolygon. 0 or negative errno with err. */
int geo_squares_geojson(struct geom_ctx *g, struct crs *crs, const double *xy,
			const double *side, size_t n, char **out, char *err, size_t errlen);

/* Writes the RD geometry wkb[0..len) (not owned; a Point, LineString, Polygon or
 * MultiPolygon) as a GeoJSON geometry in lon/lat: rounded to 7 decimals, exterior rings
 * counter-clockwise. *out is malloc'd (caller frees). 0, -EINVAL for WKB that does not
 * parse or another geometry type, -EDOM for a coordinate PROJ cannot transform, or
 * -ENOMEM, with err. */
int geo_geojson_from_wkb(struct geom_ctx *g, struct crs *crs, const uint8_t *wkb, size_t len,
			 char **out, char *err, size_t errlen);

#endif
