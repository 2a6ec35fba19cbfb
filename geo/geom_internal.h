/* The GEOS-typed half of geo's API: the raw GEOS handle of a geom_ctx, WKB to and from
 * GEOS geometries, and the GEOS steps that geo's own files share. Internal to geo/: only
 * the .c files of geo/ (and tests and fuzzers, which look inside) include it; no other
 * room sees a GEOS type. */
#ifndef HUB_GEOM_INTERNAL_H
#define HUB_GEOM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#ifndef GEOS_USE_ONLY_R_API
#define GEOS_USE_ONLY_R_API
#endif
#include <geos_c.h>

#include "geo/crs.h"
#include "geo/geom.h"

/* The raw GEOS handle of g. Owned by g: never finished by the caller. */
GEOSContextHandle_t geom_ctx_handle(struct geom_ctx *g);

/* Clears the messages GEOS left on g, so that an error seen next belongs to the call that
 * is starting. Every public geo function that calls GEOS through the handle starts with it. */
void geom_ctx_begin(struct geom_ctx *g);

/* Parses WKB into a GEOS geometry. The bytes are first walked with wkb_measure() (so GEOS
 * never sees truncated or absurd input) and must be exactly one geometry whose
 * coordinates are all finite (a NaN or infinity is refused: GEOS would leak on it).
 * Returns NULL and fills err on failure.
 * Caller owns the result: GEOSGeom_destroy_r(geom_ctx_handle(g), result). */
GEOSGeometry *geom_from_wkb(struct geom_ctx *g, const uint8_t *wkb, size_t len,
			    char *err, size_t errlen);

/* Writes geom (not owned) as 2D little-endian ISO WKB into a malloc'd buffer.
 * Returns 0 and sets *out (caller frees with free()) and *outlen, or -ENOMEM/-EINVAL. */
int geom_to_wkb(struct geom_ctx *g, const GEOSGeometry *geom, uint8_t **out, size_t *outlen,
		char *err, size_t errlen);

/* The union of the axis-parallel squares of side side[i] centred on (xy[2i], xy[2i+1])
 * (RD New) as one geometry (caller destroys it with GEOSGeom_destroy_r), or NULL when GEOS
 * fails (its message in geom_ctx_last_error). n = 0 gives an empty geometry. */
GEOSGeometry *geo_squares_union(struct geom_ctx *g, const double *xy, const double *side,
				size_t n);

/* Writes the RD geometry rd (not owned, not modified) as a GeoJSON geometry in lon/lat:
 * rounded to 7 decimals, exterior rings counter-clockwise. *out is malloc'd (caller
 * frees). 0, -EDOM for a coordinate PROJ cannot transform, or -ENOMEM, with err. */
int geo_geojson_geometry(struct geom_ctx *g, struct crs *crs, const GEOSGeometry *rd,
			 char **out, char *err, size_t errlen);

#endif
