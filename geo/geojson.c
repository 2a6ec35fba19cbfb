/* RD geometry (from WKB, or the squares around points unioned in squares.c) transformed to
 * lon/lat with PROJ, normalised to counter-clockwise exterior rings and written as GeoJSON
 * with 7 decimals. Keeps no geometry beyond a call; no I/O. */
#include "geo/geojson.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geom_internal.h"
#include "util/strbuf.h"

struct to_lonlat {
	struct crs *crs;
	int failed;
};

static int transform_cb(double *x, double *y, void *user)
{
	struct to_lonlat *t = user;
	double lat, lon;
	char why[64];
	if (crs_rd_to_etrs89(t->crs, *x, *y, &lat, &lon, why, sizeof why) < 0) {
		t->failed = 1;
		return 0;
	}
	*x = round(lon * 1e7) / 1e7;
	*y = round(lat * 1e7) / 1e7;
	return 1;
}

/* Orients rings for RFC 7946: GEOSNormalize makes exteriors clockwise, so reverse. */
static GEOSGeometry *orient_ccw(GEOSContextHandle_t h, GEOSGeometry *geom)
{
	if (GEOSNormalize_r(h, geom) != 0)
		return geom;
	GEOSGeometry *rev = GEOSReverse_r(h, geom);
	if (!rev)
		return geom;
	GEOSGeom_destroy_r(h, geom);
	return rev;
}

/* A position with at most 7 decimals and no trailing zeros: [4.855267,52]. */
static void text_position(struct strbuf *t, double x, double y)
{
	double v[2] = {x, y};
	strbuf_str(t, "[");
	for (int k = 0; k < 2; k++) {
		char b[48];
		int n = snprintf(b, sizeof b, "%.7f", v[k]);
		while (n > 0 && b[n - 1] == '0')
			n--;
		if (n > 0 && b[n - 1] == '.')
			n--;
		if (n == 2 && b[0] == '-' && b[1] == '0')
			b[0] = '0', n = 1;
		strbuf_put(t, b, (size_t)n);
		strbuf_str(t, k ? "]" : ",");
	}
}

static int put_seq(GEOSContextHandle_t h, struct strbuf *t, const GEOSCoordSequence *seq)
{
	unsigned n = 0;
	if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n))
		return -EINVAL;
	strbuf_str(t, "[");
	for (unsigned i = 0; i < n; i++) {
		double x, y;
		if (!GEOSCoordSeq_getXY_r(h, seq, i, &x, &y))
			return -EINVAL;
		if (i)
			strbuf_str(t, ",");
		text_position(t, x, y);
	}
	strbuf_str(t, "]");
	return 0;
}

static int put_polygon(GEOSContextHandle_t h, struct strbuf *t, const GEOSGeometry *p)
{
	int holes = GEOSGetNumInteriorRings_r(h, p);
	if (holes < 0)
		return -EINVAL;
	strbuf_str(t, "[");
	int rc = put_seq(h, t, GEOSGeom_getCoordSeq_r(h, GEOSGetExteriorRing_r(h, p)));
	for (int k = 0; rc == 0 && k < holes; k++) {
		strbuf_str(t, ",");
		rc = put_seq(h, t, GEOSGeom_getCoordSeq_r(h, GEOSGetInteriorRingN_r(h, p, k)));
	}
	strbuf_str(t, "]");
	return rc;
}

static int put_coordinates(GEOSContextHandle_t h, struct strbuf *t, const GEOSGeometry *g,
			   int type)
{
	double x, y;
	int rc = 0;
	switch (type) {
	case GEOS_POINT:
		if (GEOSGeomGetX_r(h, g, &x) != 1 || GEOSGeomGetY_r(h, g, &y) != 1)
			return -EINVAL;
		text_position(t, x, y);
		return 0;
	case GEOS_LINESTRING:
		return put_seq(h, t, GEOSGeom_getCoordSeq_r(h, g));
	case GEOS_POLYGON:
		return put_polygon(h, t, g);
	default:
		strbuf_str(t, "[");
		for (int k = 0, n = GEOSGetNumGeometries_r(h, g); rc == 0 && k < n; k++) {
			if (k)
				strbuf_str(t, ",");
			rc = put_polygon(h, t, GEOSGetGeometryN_r(h, g, k));
		}
		strbuf_str(t, "]");
		return rc;
	}
}

/* Point, LineString, Polygon or MultiPolygon as a GeoJSON geometry object; GEOS's own
 * writer prints 17 significant digits, RFC 7946 advises no more than 7 decimals. */
static int put_geometry(GEOSContextHandle_t h, struct strbuf *t, const GEOSGeometry *g)
{
	static const char *const names[] = {"Point", "LineString", "", "Polygon", "", "",
					    "MultiPolygon"};
	int type = GEOSGeomTypeId_r(h, g);
	if ((type != GEOS_POINT && type != GEOS_LINESTRING && type != GEOS_POLYGON &&
	     type != GEOS_MULTIPOLYGON) || (type == GEOS_POINT && GEOSisEmpty_r(h, g)))
		return -EINVAL;
	strbuf_str(t, "{\"type\":\"");
	strbuf_str(t, names[type]);
	strbuf_str(t, "\",\"coordinates\":");
	int rc = put_coordinates(h, t, g, type);
	strbuf_str(t, "}");
	return rc < 0 ? rc : t->failed ? -ENOMEM : 0;
}

int geo_geojson_geometry(struct geom_ctx *g, struct crs *crs, const GEOSGeometry *rd,
			 char **out, char *err, size_t errlen)
{
	GEOSContextHandle_t h = geom_ctx_handle(g);
	struct to_lonlat tr = {crs, 0};
	struct strbuf t = {0};
	GEOSGeometry *ll = GEOSGeom_transformXY_r(h, rd, transform_cb, &tr);
	int rc = tr.failed ? -EDOM : ll ? 0 : -ENOMEM;
	*out = NULL;
	if (rc == 0) {
		ll = orient_ccw(h, ll);
		rc = put_geometry(h, &t, ll);
	}
	if (rc < 0) {
		snprintf(err, errlen, "GeoJSON geometry: %s", rc == -EDOM
			 ? "a coordinate is outside the RD/ETRS89 area" : rc == -ENOMEM
			 ? "out of memory" : "not a point, line or polygon");
		free(t.s);
	} else {
		*out = t.s;
	}
	GEOSGeom_destroy_r(h, ll);
	return rc;
}

int geo_squares_geojson(struct geom_ctx *g, struct crs *crs, const double *xy,
			const double *side, size_t n, char **out, char *err, size_t errlen)
{
	GEOSGeometry *u = geo_squares_union(g, xy, side, n);
	*out = NULL;
	if (!u) {
		snprintf(err, errlen, "uncovered area: %s", geom_ctx_last_error(g));
		return -ENOMEM;
	}
	int rc = geo_geojson_geometry(g, crs, u, out, err, errlen);
	GEOSGeom_destroy_r(geom_ctx_handle(g), u);
	return rc;
}

int geo_geojson_from_wkb(struct geom_ctx *g, struct crs *crs, const uint8_t *wkb, size_t len,
			 char **out, char *err, size_t errlen)
{
	GEOSGeometry *rd = geom_from_wkb(g, wkb, len, err, errlen);
	*out = NULL;
	if (!rd)
		return -EINVAL;
	int rc = geo_geojson_geometry(g, crs, rd, out, err, errlen);
	GEOSGeom_destroy_r(geom_ctx_handle(g), rd);
	return rc;
}
