/* Overlap areas of one polygon layer on another with a GEOS STRtree over the second layer:
 * a polygon wholly covered by another counts its own area without intersecting; only the
 * polygons crossing a boundary are intersected, and only those GEOS fails on repaired. Everything GEOS-allocated here is freed
 * before return. */
#include "geo/overlay.h"

#include "geo/geom_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

struct layer_b {
	GEOSGeometry **geom;
	const GEOSPreparedGeometry **prep;
	size_t n;
	GEOSSTRtree *tree;
};

struct overlap_state {
	GEOSContextHandle_t h;
	const struct layer_b *b;
	const GEOSGeometry *a;
	double a_m2, sum_m2;
	int failed;
};

static int polygonal(GEOSContextHandle_t h, const GEOSGeometry *geom)
{
	int t = GEOSGeomTypeId_r(h, geom);
	return t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON;
}

/* A valid polygonal copy of geom (geom itself when it is valid), or NULL. */
static GEOSGeometry *valid_polygonal(GEOSContextHandle_t h, GEOSGeometry *geom)
{
	if (GEOSisValid_r(h, geom) == 1)
		return geom;
	GEOSGeometry *v = GEOSMakeValid_r(h, geom);
	GEOSGeom_destroy_r(h, geom);
	if (v && !polygonal(h, v)) {   /* a collection: keep its polygonal parts only */
		GEOSGeometry *p = GEOSBuffer_r(h, v, 0, 8);
		GEOSGeom_destroy_r(h, v);
		v = p;
	}
	return v;
}

static void overlap_cb(void *item, void *userdata)
{
	struct overlap_state *s = userdata;
	size_t j = (uintptr_t)item - 1;
	double m2 = 0;
	if (s->failed || GEOSPreparedIntersects_r(s->h, s->b->prep[j], s->a) != 1)
		return;
	if (GEOSPreparedCovers_r(s->h, s->b->prep[j], s->a) == 1) {
		s->sum_m2 += s->a_m2;
		return;
	}
	GEOSGeometry *x = GEOSIntersection_r(s->h, s->a, s->b->geom[j]);
	if (!x || GEOSArea_r(s->h, x, &m2) != 1)
		s->failed = 1;
	else
		s->sum_m2 += m2;
	GEOSGeom_destroy_r(s->h, x);
}

static void layer_free(GEOSContextHandle_t h, struct layer_b *b)
{
	if (b->tree)
		GEOSSTRtree_destroy_r(h, b->tree);
	for (size_t j = 0; j < b->n; j++) {
		if (b->prep[j])
			GEOSPreparedGeom_destroy_r(h, b->prep[j]);
		GEOSGeom_destroy_r(h, b->geom[j]);
	}
	free(b->geom);
	free(b->prep);
}

static int layer_build(struct geom_ctx *g, const uint8_t *const *wkb, const size_t *len,
		       size_t n, struct layer_b *b, char *err, size_t errlen)
{
	GEOSContextHandle_t h = geom_ctx_handle(g);
	b->geom = calloc(n + 1, sizeof *b->geom);
	b->prep = calloc(n + 1, sizeof *b->prep);
	b->tree = GEOSSTRtree_create_r(h, 10);
	if (!b->geom || !b->prep || !b->tree) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (size_t j = 0; j < n; j++) {
		char why[256];
		GEOSGeometry *geom = geom_from_wkb(g, wkb[j], len[j], why, sizeof why);
		if (geom && !(geom = valid_polygonal(h, geom)))
			snprintf(why, sizeof why, "cannot repair: %s", geom_ctx_last_error(g));
		if (!geom) {
			snprintf(err, errlen, "overlay polygon %zu: %s", j, why);
			return -EINVAL;
		}
		b->geom[b->n] = geom;
		b->n++;
		if (!(b->prep[j] = GEOSPrepare_r(h, geom))) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		GEOSSTRtree_insert_r(h, b->tree, geom, (void *)(uintptr_t)(j + 1));
	}
	return 0;
}

/* The overlap of one a polygon: NaN when it is degenerate or GEOS fails on it even
 * repaired. */
static void overlap_one(struct geom_ctx *g, const struct layer_b *b, const uint8_t *wkb,
		       size_t len, double *out_m2)
{
	GEOSContextHandle_t h = geom_ctx_handle(g);
	char why[256];
	struct overlap_state s = {h, b, NULL, 0, 0, 0};
	GEOSGeometry *a = geom_from_wkb(g, wkb, len, why, sizeof why);
	*out_m2 = NAN;
	if (!a)
		return;
	if (!polygonal(h, a) || GEOSisEmpty_r(h, a) != 0 || GEOSArea_r(h, a, &s.a_m2) != 1 ||
	    !(s.a_m2 > 0)) {
		GEOSGeom_destroy_r(h, a);
		return;
	}
	s.a = a;
	GEOSSTRtree_query_r(h, b->tree, a, overlap_cb, &s);
	if (s.failed && (a = valid_polygonal(h, a))) {   /* invalid: repaired, tried once more */
		s = (struct overlap_state){h, b, a, 0, 0, 0};
		if (GEOSArea_r(h, a, &s.a_m2) == 1)
			GEOSSTRtree_query_r(h, b->tree, a, overlap_cb, &s);
		else
			s.failed = 1;
	}
	GEOSGeom_destroy_r(h, a);
	*out_m2 = s.failed ? NAN : s.sum_m2;
}

int geo_overlap_areas(struct geom_ctx *g, const uint8_t *const *a_wkb, const size_t *a_len,
		      size_t na, const uint8_t *const *b_wkb, const size_t *b_len, size_t nb,
		      double *out_m2, char *err, size_t errlen)
{
	GEOSContextHandle_t h = geom_ctx_handle(g);
	struct layer_b b = {0};
	geom_ctx_begin(g);
	int rc = layer_build(g, b_wkb, b_len, nb, &b, err, errlen);
	for (size_t i = 0; i < na && rc == 0; i++)
		overlap_one(g, &b, a_wkb[i], a_len[i], &out_m2[i]);
	layer_free(h, &b);
	return rc;
}

int geo_points_in_polygon(struct geom_ctx *g, const uint8_t *wkb, size_t len, const double *xy,
			  size_t n, uint8_t *inside, char *err, size_t errlen)
{
	GEOSContextHandle_t h = geom_ctx_handle(g);
	geom_ctx_begin(g);
	GEOSGeometry *geom = geom_from_wkb(g, wkb, len, err, errlen);
	const GEOSPreparedGeometry *prep = geom ? GEOSPrepare_r(h, geom) : NULL;
	int rc = geom ? (prep ? 0 : -ENOMEM) : -EINVAL;
	for (size_t i = 0; i < n && rc == 0; i++) {
		GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, xy[2 * i], xy[2 * i + 1]);
		int in = pt ? GEOSPreparedCovers_r(h, prep, pt) : -1;
		GEOSGeom_destroy_r(h, pt);
		inside[i] = in == 1;
		if (in < 0 || in > 1)
			rc = -ENOMEM;
	}
	if (rc == -ENOMEM)
		snprintf(err, errlen, "point in polygon: %s", geom_ctx_last_error(g));
	if (prep)
		GEOSPreparedGeom_destroy_r(h, prep);
	GEOSGeom_destroy_r(h, geom);
	return rc;
}
