/* A polygon a user hands in (a failed area drawn in lon/lat): its rings turned into RD New
 * WKB and checked, so that a request never works on a self-intersecting shape or one
 * outside the Netherlands. GEOS and PROJ behind geo/; no I/O, no logging. */
#ifndef HUB_USER_POLYGON_H
#define HUB_USER_POLYGON_H

#include <stddef.h>
#include <stdint.h>

#include "geo/crs.h"
#include "geo/geom.h"

/* The rings of a (Multi)Polygon in ETRS89 degrees: ring k has ring_len[k] positions at
 * lonlat + 2 * (the sum of the lengths before it), belongs to polygon ring_poly[k] (rings
 * of one polygon consecutive, its exterior first; polygons numbered from 0 in order), and
 * is closed (first position repeated last). */
struct user_rings {
	const double *lonlat;
	const size_t *ring_len;
	const uint32_t *ring_poly;
	size_t nrings;
};

/* Builds the MultiPolygon in RD New (*wkb malloc'd, caller frees) and checks it: every
 * position inside the area RD New is defined for (else "lies outside the Netherlands"), the
 * shape valid by GEOS (else its reason, such as "Self-intersection at RD 92000 437000"),
 * its area at least 100 m2 (a 10 m square). 0, -EINVAL or -EDOM with err, or -ENOMEM. */
int geo_user_polygon(struct geom_ctx *g, struct crs *crs, const struct user_rings *r,
		     uint8_t **wkb, size_t *len, char *err, size_t errlen);

#endif
