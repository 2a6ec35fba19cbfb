/* Unions of axis-parallel squares around points with GEOS: the one geometry (for geo's own
 * GeoJSON writer) and its MultiPolygon WKB with bounding box (for everyone else). Keeps no
 * geometry beyond a call; no I/O, no logging. */
#include "geo/squares.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geom_internal.h"

static GEOSGeometry *square(GEOSContextHandle_t h, double x, double y, double side)
{
	double r = side / 2;
	double c[10] = {x - r, y - r, x + r, y - r, x + r, y + r, x - r, y + r, x - r, y - r};
	GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(h, c, 5, 0, 0);
	GEOSGeometry *ring = seq ? GEOSGeom_createLinearRing_r(h, seq) : NULL;
	return ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
}

GEOSGeometry *geo_squares_union(struct geom_ctx *g, const double *xy, const double *side,
				size_t n)
{
	GEOSContextHandle_t h = geom_ctx_handle(g);
	GEOSGeometry **parts = malloc((n ? n : 1) * sizeof *parts);
	size_t k = 0;
	geom_ctx_begin(g);
	if (!parts)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((parts[k] = square(h, xy[2 * i], xy[2 * i + 1], side[i])))
			k++;
	GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, (unsigned)k);
	free(parts);
	if (!coll)
		return NULL;
	GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
	GEOSGeom_destroy_r(h, coll);
	return u;
}

/* Wraps a lone Polygon into a one-part MultiPolygon (GEOS takes the polygon) and turns an
 * empty union (GEOS gives an empty GeometryCollection) into an empty MultiPolygon;
 * anything else, or a failed wrap, is handed back as it is. */
static GEOSGeometry *as_multi(GEOSContextHandle_t h, GEOSGeometry *u)
{
	int type = GEOSGeomTypeId_r(h, u);
	if (type != GEOS_MULTIPOLYGON && GEOSisEmpty_r(h, u) == 1) {
		GEOSGeometry *empty = GEOSGeom_createEmptyCollection_r(h, GEOS_MULTIPOLYGON);
		if (!empty)
			return u;
		GEOSGeom_destroy_r(h, u);
		return empty;
	}
	if (type != GEOS_POLYGON)
		return u;
	GEOSGeometry *parts[1] = {u};
	GEOSGeometry *multi = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, 1);
	return multi ? multi : u;
}

int geo_squares_union_wkb(struct geom_ctx *g, const double *xy, const double *side, size_t n,
			  uint8_t **wkb, size_t *len, struct geom_bbox *bbox,
			  char *err, size_t errlen)
{
	GEOSContextHandle_t h = geom_ctx_handle(g);
	GEOSGeometry *u = geo_squares_union(g, xy, side, n);
	*wkb = NULL;
	*len = 0;
	memset(bbox, 0, sizeof *bbox);
	if (!u) {
		const char *why = geom_ctx_last_error(g);
		snprintf(err, errlen, "union of %zu squares failed: %s", n,
			 why[0] ? why : "out of memory");
		return why[0] && !strstr(why, "bad_alloc") ? -EINVAL : -ENOMEM;
	}
	u = as_multi(h, u);
	int rc = geom_to_wkb(g, u, wkb, len, err, errlen);
	double e[4];
	if (rc == 0 && GEOSGeom_getXMin_r(h, u, &e[0]) && GEOSGeom_getYMin_r(h, u, &e[1]) &&
	    GEOSGeom_getXMax_r(h, u, &e[2]) && GEOSGeom_getYMax_r(h, u, &e[3]))
		*bbox = (struct geom_bbox){e[0], e[1], e[2], e[3]};
	GEOSGeom_destroy_r(h, u);
	return rc;
}
