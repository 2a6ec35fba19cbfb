/* User polygons: rings in lon/lat written as little-endian ISO WKB, moved to RD New with
 * crs_wkb_to_rd, and checked with GEOS (validity with its reason, area). Takes and gives
 * plain arrays and WKB; the GEOS geometry lives only inside geo_user_polygon. */
#include "geo/user_polygon.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geom_internal.h"

#define WKB_POLYGON 3
#define WKB_MULTIPOLYGON 6
#define USER_POLYGON_MIN_M2 100.0   /* a 10 m square: smaller is a slip of the pen */

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
	for (int k = 0; k < 4; k++)
		*p++ = (uint8_t)(v >> (8 * k));
	return p;
}

static uint8_t *put_f64(uint8_t *p, double d)
{
	uint64_t v;
	memcpy(&v, &d, sizeof v);
	for (int k = 0; k < 8; k++)
		*p++ = (uint8_t)(v >> (8 * k));
	return p;
}

static size_t count_polys(const struct user_rings *r)
{
	return r->nrings ? (size_t)r->ring_poly[r->nrings - 1] + 1 : 0;
}

/* The WKB size: header and count, per polygon a header and ring count, per ring a count
 * and its positions. */
static size_t wkb_size(const struct user_rings *r)
{
	size_t n = 9 + 9 * count_polys(r);
	for (size_t k = 0; k < r->nrings; k++)
		n += 4 + 16 * r->ring_len[k];
	return n;
}

/* Writes the MultiPolygon into w (wkb_size bytes). */
static void write_wkb(const struct user_rings *r, uint8_t *w)
{
	const double *xy = r->lonlat;
	*w++ = 1;
	w = put_u32(w, WKB_MULTIPOLYGON);
	w = put_u32(w, (uint32_t)count_polys(r));
	for (size_t k = 0; k < r->nrings; k++) {
		if (k == 0 || r->ring_poly[k] != r->ring_poly[k - 1]) {
			uint32_t rings = 0;
			for (size_t q = k; q < r->nrings && r->ring_poly[q] == r->ring_poly[k]; q++)
				rings++;
			*w++ = 1;
			w = put_u32(w, WKB_POLYGON);
			w = put_u32(w, rings);
		}
		w = put_u32(w, (uint32_t)r->ring_len[k]);
		for (size_t i = 0; i < r->ring_len[k]; i++, xy += 2) {
			w = put_f64(w, xy[0]);
			w = put_f64(w, xy[1]);
		}
	}
}

/* RD New's area of use for the Netherlands (EPSG:28992), in metres */
#define RD_MIN_X (-7000.0)
#define RD_MAX_X 300000.0
#define RD_MIN_Y 289000.0
#define RD_MAX_Y 629000.0

/* GEOS's reason for an invalid geom in err, the place named in RD New. */
static void invalid_reason(GEOSContextHandle_t h, const GEOSGeometry *geom, char *err,
			   size_t errlen)
{
	char *why = GEOSisValidReason_r(h, geom);
	double x = 0, y = 0;
	/* GEOS says "Self-intersection[92000.1 437000.2]": name the place in RD New */
	const char *at = why ? strchr(why, '[') : NULL;
	if (at && sscanf(at, "[%lf %lf]", &x, &y) == 2)
		snprintf(err, errlen, "not a valid polygon: %.*s at RD %.0f %.0f",
			 (int)(at - why), why, x, y);
	else
		snprintf(err, errlen, "not a valid polygon: %s", why ? why : "GEOS failed");
	GEOSFree_r(h, why);
}

/* 0 when geom's box lies within RD New's area of the Netherlands (box in *b), else -EDOM. */
static int check_extent(GEOSContextHandle_t h, const GEOSGeometry *geom, struct geom_bbox *b,
			char *err, size_t errlen)
{
	if (GEOSGeom_getXMin_r(h, geom, &b->minx) != 1 || GEOSGeom_getYMin_r(h, geom, &b->miny) != 1 ||
	    GEOSGeom_getXMax_r(h, geom, &b->maxx) != 1 || GEOSGeom_getYMax_r(h, geom, &b->maxy) != 1) {
		snprintf(err, errlen, "the polygon is empty");
		return -EINVAL;
	}
	if (b->minx < RD_MIN_X || b->maxx > RD_MAX_X || b->miny < RD_MIN_Y || b->maxy > RD_MAX_Y) {
		snprintf(err, errlen, "the polygon lies (partly) outside the Netherlands: its box "
			 "RD %.0f %.0f .. %.0f %.0f is not within RD New's area %.0f %.0f .. "
			 "%.0f %.0f", b->minx, b->miny, b->maxx, b->maxy, RD_MIN_X, RD_MIN_Y,
			 RD_MAX_X, RD_MAX_Y);
		return -EDOM;
	}
	return 0;
}

/* The checks of geo_rd_polygon_check on a parsed geometry. */
static int check_geom(GEOSContextHandle_t h, const GEOSGeometry *geom, double *area,
		      struct geom_bbox *b, char *err, size_t errlen)
{
	int type = GEOSGeomTypeId_r(h, geom);
	if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
		char *name = GEOSGeomType_r(h, geom);
		snprintf(err, errlen, "not a polygon: %s", name ? name : "unknown type");
		GEOSFree_r(h, name);
		return -EINVAL;
	}
	if (GEOSisValid_r(h, geom) != 1) {
		invalid_reason(h, geom, err, errlen);
		return -EINVAL;
	}
	int rc = check_extent(h, geom, b, err, errlen);
	if (rc == 0 && (GEOSArea_r(h, geom, area) != 1 || !(*area >= USER_POLYGON_MIN_M2))) {
		snprintf(err, errlen, "the polygon has no area to speak of (%.1f m2, below %.0f m2)",
			 *area, USER_POLYGON_MIN_M2);
		rc = -EINVAL;
	}
	return rc;
}

int geo_rd_polygon_check(struct geom_ctx *g, const uint8_t *wkb, size_t len, double *area_m2,
			 struct geom_bbox *bbox, char *err, size_t errlen)
{
	GEOSContextHandle_t h = geom_ctx_handle(g);
	GEOSGeometry *geom = geom_from_wkb(g, wkb, len, err, errlen);
	if (!geom)
		return -EINVAL;
	double area = 0;
	struct geom_bbox b = {0};
	int rc = check_geom(h, geom, &area, &b, err, errlen);
	GEOSGeom_destroy_r(h, geom);
	if (area_m2)
		*area_m2 = area;
	if (bbox)
		*bbox = b;
	return rc;
}

/* Every position in degrees inside the area PROJ transforms (else -EDOM with err). */
static int check_degrees(const struct user_rings *r, char *err, size_t errlen)
{
	size_t npos = 0;
	for (size_t k = 0; k < r->nrings; k++)
		npos += r->ring_len[k];
	for (size_t i = 0; i < npos; i++) {
		double lon = r->lonlat[2 * i], lat = r->lonlat[2 * i + 1];
		if (!(lat >= 49.5 && lat <= 56.5 && lon >= 1.5 && lon <= 8.5)) {
			snprintf(err, errlen, "the polygon lies (partly) outside the Netherlands: "
				 "position %zu (lon %g, lat %g) is outside 49.5..56.5 N, 1.5..8.5 E",
				 i, lon, lat);
			return -EDOM;
		}
	}
	return 0;
}

int geo_user_polygon(struct geom_ctx *g, struct crs *crs, const struct user_rings *r,
		     uint8_t **wkb, size_t *len, char *err, size_t errlen)
{
	return geo_user_polygon_epsg(g, crs, r, 4258, wkb, len, err, errlen);
}

int geo_user_polygon_epsg(struct geom_ctx *g, struct crs *crs, const struct user_rings *r,
			  int epsg, uint8_t **wkb, size_t *len, char *err, size_t errlen)
{
	*wkb = NULL;
	*len = 0;
	if (r->nrings == 0) {
		snprintf(err, errlen, "the polygon has no rings");
		return -EINVAL;
	}
	if (epsg != 4258 && epsg != 28992) {
		snprintf(err, errlen, "EPSG:%d: rings must be in EPSG:4258 or EPSG:28992", epsg);
		return -EINVAL;
	}
	int rc = epsg == 4258 ? check_degrees(r, err, errlen) : 0;
	size_t n = wkb_size(r);
	uint8_t *w = rc == 0 ? malloc(n) : NULL;
	if (rc == 0 && !w) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (rc < 0)
		return rc;
	write_wkb(r, w);
	geom_ctx_begin(g);
	rc = crs_wkb_to_rd(crs, epsg, w, n, err, errlen);
	if (rc == -EDOM)
		snprintf(err, errlen, "the polygon lies (partly) outside the Netherlands: every "
			 "position must be within 49.5..56.5 N, 1.5..8.5 E");
	if (rc == 0)
		rc = geo_rd_polygon_check(g, w, n, NULL, NULL, err, errlen);
	if (rc < 0) {
		free(w);
		return rc;
	}
	*wkb = w;
	*len = n;
	return 0;
}
