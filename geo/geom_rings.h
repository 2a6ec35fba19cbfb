/* The rings of a polygonal WKB geometry as plain coordinate arrays, optionally simplified
 * first, for code that draws them (the report's SVG map) without seeing a GEOS type.
 * GEOS parses and simplifies; no I/O, no logging. */
#ifndef HUB_GEOM_RINGS_H
#define HUB_GEOM_RINGS_H

#include <stddef.h>
#include <stdint.h>

#include "geo/geom.h"

/* Parses the WKB geometry wkb[0..len) (not owned) and calls fn for every ring of every
 * Polygon among its top-level parts (a Polygon is its own only part; other part types
 * are skipped), each exterior before its holes, in the geometry's order. With
 * simplify_m > 0 the geometry is first simplified with GEOSTopologyPreserveSimplify to
 * that tolerance in metres; when GEOS cannot, the rings are walked unsimplified.
 * fn(user, xy, n, hole) gets n points in xy (x0, y0, x1, y1, ...; a closed ring repeats
 * its first point last, so n >= 4 unless it is degenerate), hole 0 for an exterior ring
 * and 1 for an interior one; xy is owned by the walk and valid only during the call. fn
 * returns 0 to go on, non-zero to stop the walk.
 * Returns 0, fn's non-zero value when fn stopped the walk, or -EINVAL (WKB that does not
 * parse) / -ENOMEM with err. */
int geom_rings_each(struct geom_ctx *g, const uint8_t *wkb, size_t len, double simplify_m,
		    int (*fn)(void *user, const double *xy, size_t n, int hole), void *user,
		    char *err, size_t errlen);

#endif
