/* Walks the rings of a polygonal WKB geometry (simplified first when asked) and hands each
 * one to a callback as a plain array of coordinates, copied out of GEOS into one buffer
 * that grows to the longest ring. Must not keep any geometry or buffer beyond one call. */
#include "geo/geom_rings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "geo/geom_internal.h"

struct ring_walk {
	GEOSContextHandle_t h;
	int (*fn)(void *user, const double *xy, size_t n, int hole);
	void *user;
	double *xy;               /* the ring being handed over, 2 * cap doubles */
	size_t cap;               /* points xy has room for */
	int oom;                  /* 1 when growing xy failed (fn may return -ENOMEM too) */
};

/* Copies one ring into w->xy and calls fn; a ring GEOS cannot size is skipped. */
static int walk_ring(struct ring_walk *w, const GEOSGeometry *ring, int hole)
{
	const GEOSCoordSequence *seq = ring ? GEOSGeom_getCoordSeq_r(w->h, ring) : NULL;
	unsigned int n = 0;
	if (!seq || !GEOSCoordSeq_getSize_r(w->h, seq, &n))
		return 0;
	if (n > w->cap) {
		double *xy = realloc(w->xy, 2 * (size_t)n * sizeof *xy);
		if (!xy) {
			w->oom = 1;
			return -ENOMEM;
		}
		w->xy = xy;
		w->cap = n;
	}
	if (n && !GEOSCoordSeq_copyToBuffer_r(w->h, seq, w->xy, 0, 0))
		return 0;
	return w->fn(w->user, w->xy, n, hole);
}

static int walk_polygons(struct ring_walk *w, const GEOSGeometry *geom)
{
	int np = GEOSGetNumGeometries_r(w->h, geom), rc = 0;
	for (int i = 0; rc == 0 && i < np; i++) {
		const GEOSGeometry *p = GEOSGetGeometryN_r(w->h, geom, i);
		if (GEOSGeomTypeId_r(w->h, p) != GEOS_POLYGON)
			continue;
		rc = walk_ring(w, GEOSGetExteriorRing_r(w->h, p), 0);
		int nh = GEOSGetNumInteriorRings_r(w->h, p);
		for (int k = 0; rc == 0 && k < nh; k++)
			rc = walk_ring(w, GEOSGetInteriorRingN_r(w->h, p, k), 1);
	}
	return rc;
}

int geom_rings_each(struct geom_ctx *g, const uint8_t *wkb, size_t len, double simplify_m,
		    int (*fn)(void *user, const double *xy, size_t n, int hole), void *user,
		    char *err, size_t errlen)
{
	struct ring_walk w = {.h = geom_ctx_handle(g), .fn = fn, .user = user};
	GEOSGeometry *geom = geom_from_wkb(g, wkb, len, err, errlen);
	if (!geom)
		return -EINVAL;
	GEOSGeometry *simple =
		simplify_m > 0 ? GEOSTopologyPreserveSimplify_r(w.h, geom, simplify_m) : NULL;
	int rc = walk_polygons(&w, simple ? simple : geom);
	if (w.oom)
		snprintf(err, errlen, "out of memory for a ring of a %zu-byte geometry", len);
	if (simple)
		GEOSGeom_destroy_r(w.h, simple);
	GEOSGeom_destroy_r(w.h, geom);
	free(w.xy);
	return rc;
}
