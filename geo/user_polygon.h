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

/* As geo_user_polygon with the rings in EPSG:epsg: 4258 (degrees, as above) or 28992 (RD
 * New metres, taken as they are; then the extent check below says whether they lie in the
 * Netherlands). *wkb malloc'd (caller frees). 0, -EINVAL or -EDOM with err, or -ENOMEM. */
int geo_user_polygon_epsg(struct geom_ctx *g, struct crs *crs, const struct user_rings *r,
			  int epsg, uint8_t **wkb, size_t *len, char *err, size_t errlen);

/* Checks RD New WKB wkb[0..len) (not owned) as a polygon a user hands in (a failed area, a
 * hazard layer's feature): a Polygon or MultiPolygon ("not a polygon: LineString"), valid
 * by GEOS (else its reason, "not a valid polygon: Self-intersection at RD 92000 437000"),
 * its box within RD New's area of the Netherlands, x -7,000..300,000 and y 289,000..629,000
 * (else "lies (partly) outside the Netherlands", -EDOM), at least 100 m2. *area_m2 and
 * *bbox (each may be NULL) receive its area and box. 0, -EINVAL or -EDOM with err. */
int geo_rd_polygon_check(struct geom_ctx *g, const uint8_t *wkb, size_t len, double *area_m2,
			 struct geom_bbox *bbox, char *err, size_t errlen);

#endif
