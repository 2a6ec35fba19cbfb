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

/* GEOS's verdict on the RD geometry: 0 when valid with an area, else -EINVAL with why. */
static int check_shape(struct geom_ctx *g, const uint8_t *wkb, size_t len, char *err,
		       size_t errlen)
{
	GEOSContextHandle_t h = geom_ctx_handle(g);
	GEOSGeometry *geom = geom_from_wkb(g, wkb, len, err, errlen);
	int rc = geom ? 0 : -EINVAL;
	if (rc == 0 && GEOSisValid_r(h, geom) != 1) {
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
		rc = -EINVAL;
	}
	double area = 0;
	if (rc == 0 && (GEOSArea_r(h, geom, &area) != 1 || !(area >= USER_POLYGON_MIN_M2))) {
		snprintf(err, errlen, "the polygon has no area to speak of (%.1f m2, below %.0f m2)",
			 area, USER_POLYGON_MIN_M2);
		rc = -EINVAL;
	}
	if (geom)
		GEOSGeom_destroy_r(h, geom);
	return rc;
}

int geo_user_polygon(struct geom_ctx *g, struct crs *crs, const struct user_rings *r,
		     uint8_t **wkb, size_t *len, char *err, size_t errlen)
{
	*wkb = NULL;
	*len = 0;
	if (r->nrings == 0) {
		snprintf(err, errlen, "the polygon has no rings");
		return -EINVAL;
	}
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
	size_t n = wkb_size(r);
	uint8_t *w = malloc(n);
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	write_wkb(r, w);
	geom_ctx_begin(g);
	int rc = crs_wkb_to_rd(crs, 4258, w, n, err, errlen);
	if (rc == -EDOM)
		snprintf(err, errlen, "the polygon lies (partly) outside the Netherlands: every "
			 "position must be within 49.5..56.5 N, 1.5..8.5 E");
	if (rc == 0)
		rc = check_shape(g, w, n, err, errlen);
	if (rc < 0) {
		free(w);
		return rc;
	}
	*wkb = w;
	*len = n;
	return 0;
}
