/* Squares around points, unioned with GEOS, transformed to lon/lat with PROJ, normalised
 * to counter-clockwise exterior rings and written as GeoJSON with 7 decimals. */
#include "geojson.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static GEOSGeometry *square(GEOSContextHandle_t h, double x, double y, double side)
{
	double r = side / 2;
	double c[10] = {x - r, y - r, x + r, y - r, x + r, y + r, x - r, y + r, x - r, y - r};
	GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(h, c, 5, 0, 0);
	GEOSGeometry *ring = seq ? GEOSGeom_createLinearRing_r(h, seq) : NULL;
	return ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
}

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

static GEOSGeometry *union_squares(GEOSContextHandle_t h, const double *xy, const double *side,
				   size_t n)
{
	GEOSGeometry **parts = malloc((n ? n : 1) * sizeof *parts);
	size_t k = 0;
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

int geo_squares_geojson(struct geom_ctx *g, struct crs *crs, const double *xy,
			const double *side, size_t n, char **out, char *err, size_t errlen)
{
	GEOSContextHandle_t h = geom_ctx_handle(g);
	struct to_lonlat t = {crs, 0};
	GEOSGeoJSONWriter *w = NULL;
	GEOSGeometry *u = union_squares(h, xy, side, n), *ll = NULL;
	int rc = -ENOMEM;
	*out = NULL;
	if (!u)
		goto fail;
	if (!(ll = GEOSGeom_transformXY_r(h, u, transform_cb, &t)) || t.failed) {
		rc = -EDOM;
		goto fail;
	}
	ll = orient_ccw(h, ll);
	if (!(w = GEOSGeoJSONWriter_create_r(h)))
		goto fail;
	char *text = GEOSGeoJSONWriter_writeGeometry_r(h, w, ll, -1);
	if (text) {
		*out = strdup(text);
		GEOSFree_r(h, text);
	}
	rc = *out ? 0 : -ENOMEM;
fail:
	if (rc < 0)
		snprintf(err, errlen, "uncovered area: %s", geom_ctx_last_error(g));
	GEOSGeoJSONWriter_destroy_r(h, w);
	GEOSGeom_destroy_r(h, ll);
	GEOSGeom_destroy_r(h, u);
	return rc;
}
