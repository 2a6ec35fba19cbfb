/* GeoJSON output of geometry built from points: the union of squares around points, in
 * lon/lat (RFC 7946: ETRS89 written as is, at most 7 decimals, exterior rings counter-
 * clockwise). GEOS builds and unions; PROJ transforms. No I/O. */
#ifndef HUB_GEOJSON_H
#define HUB_GEOJSON_H

#include <stddef.h>

#include "crs.h"
#include "geom.h"

/* Unions the axis-parallel squares of side side[i] centred on (xy[2i], xy[2i+1]) (RD New)
 * and writes the result as a GeoJSON geometry in lon/lat into *out (malloc'd; caller
 * frees). n = 0 gives an empty MultiPolygon. 0 or negative errno with err. */
int geo_squares_geojson(struct geom_ctx *g, struct crs *crs, const double *xy,
			const double *side, size_t n, char **out, char *err, size_t errlen);

#endif
