/* GEOS glue: a context that keeps GEOS's error and notice text, WKB in and out, polygon
 * normalisation and repair, polygon merging and small measures on WKB geometries.
 * Uses only the reentrant GEOS _r API (3.11). Must not log, touch sqlite or keep any GEOS
 * geometry beyond one call: every geometry made here is destroyed or handed back. */
#include "geo/geom.h"

#include "geo/geom_internal.h"
#include "geo/gpkg_blob.h"

#include <errno.h>
#include <math.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEOM_MSG_LEN 512

struct geom_ctx {
	GEOSContextHandle_t h;
	GEOSWKBReader *reader;
	GEOSWKBWriter *writer;
	char error[GEOM_MSG_LEN];   /* last GEOS error of the current call, "" if none */
	char notice[GEOM_MSG_LEN];  /* last GEOS notice (e.g. why isValid said no) */
};

/* Polygons cloned out of some geometry; each element is owned by the list. */
struct poly_list {
	GEOSGeometry **v;
	size_t n, cap;
};

static const char *const geos_type_names[] = {
	"Point", "LineString", "LinearRing", "Polygon",
	"MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection",
};

static const char *type_name(int type)
{
	if (type < 0 || type >= (int)(sizeof geos_type_names / sizeof *geos_type_names))
		return "unknown geometry type";
	return geos_type_names[type];
}

__attribute__((format(printf, 4, 5)))
static int fail_msg(int rc, char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* Reports a failed GEOS call with the captured GEOS text; bad_alloc maps to -ENOMEM. */
static int fail_geos(const struct geom_ctx *g, char *err, size_t errlen, const char *what)
{
	const char *msg = g->error[0] ? g->error : "unknown GEOS error";
	int rc = strstr(msg, "bad_alloc") ? -ENOMEM : -EINVAL;

	return fail_msg(rc, err, errlen, "%s: %s", what, msg);
}

static void copy_message(char *dst, const char *msg)
{
	snprintf(dst, GEOM_MSG_LEN, "%s", msg ? msg : "");
}

static void on_geos_error(const char *msg, void *userdata)
{
	copy_message(((struct geom_ctx *)userdata)->error, msg);
}

static void on_geos_notice(const char *msg, void *userdata)
{
	copy_message(((struct geom_ctx *)userdata)->notice, msg);
}

/* Starts a public call: messages from earlier calls must not be blamed on this one. */
void geom_ctx_begin(struct geom_ctx *g)
{
	g->error[0] = '\0';
	g->notice[0] = '\0';
}

struct geom_ctx *geom_ctx_new(void)
{
	struct geom_ctx *g = calloc(1, sizeof *g);

	if (!g)
		return NULL;
	g->h = GEOS_init_r();
	if (!g->h)
		goto fail;
	GEOSContext_setErrorMessageHandler_r(g->h, on_geos_error, g);
	GEOSContext_setNoticeMessageHandler_r(g->h, on_geos_notice, g);
	g->reader = GEOSWKBReader_create_r(g->h);
	g->writer = GEOSWKBWriter_create_r(g->h);
	if (!g->reader || !g->writer)
		goto fail;
	GEOSWKBWriter_setOutputDimension_r(g->h, g->writer, 2);
	GEOSWKBWriter_setByteOrder_r(g->h, g->writer, GEOS_WKB_NDR);
	GEOSWKBWriter_setFlavor_r(g->h, g->writer, GEOS_WKB_ISO);
	GEOSWKBWriter_setIncludeSRID_r(g->h, g->writer, 0);
	return g;
fail:
	geom_ctx_free(g);
	return NULL;
}

void geom_ctx_free(struct geom_ctx *g)
{
	if (!g)
		return;
	if (g->h) {
		if (g->reader)
			GEOSWKBReader_destroy_r(g->h, g->reader);
		if (g->writer)
			GEOSWKBWriter_destroy_r(g->h, g->writer);
		GEOS_finish_r(g->h);
	}
	free(g);
}

GEOSContextHandle_t geom_ctx_handle(struct geom_ctx *g)
{
	return g->h;
}

const char *geom_ctx_last_error(const struct geom_ctx *g)
{
	return g->error;
}

/* 1 when every coordinate of the sequence is finite (an empty one is); else 0 with the
 * first bad value in *bad. */
static int seq_finite(GEOSContextHandle_t h, const GEOSCoordSequence *seq, double *bad)
{
	unsigned n = 0;
	double x, y;
	if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n))
		return 1;
	for (unsigned i = 0; i < n; i++)
		if (GEOSCoordSeq_getXY_r(h, seq, i, &x, &y) && (!isfinite(x) || !isfinite(y))) {
			*bad = isfinite(x) ? y : x;
			return 0;
		}
	return 1;
}

/* 1 when every coordinate of geom is finite. GEOS 3.11's repair leaks memory on a NaN
 * (found by fuzz_gpkg_blob), and no real geometry has one: refused before GEOS works. */
static int geom_finite(GEOSContextHandle_t h, const GEOSGeometry *geom, double *bad)
{
	int type = GEOSGeomTypeId_r(h, geom);
	if (type == GEOS_POLYGON) {
		int holes = GEOSGetNumInteriorRings_r(h, geom);
		if (!geom_finite(h, GEOSGetExteriorRing_r(h, geom), bad))
			return 0;
		for (int k = 0; k < holes; k++)
			if (!geom_finite(h, GEOSGetInteriorRingN_r(h, geom, k), bad))
				return 0;
		return 1;
	}
	if (type >= GEOS_MULTIPOINT) {
		for (int k = 0, n = GEOSGetNumGeometries_r(h, geom); k < n; k++)
			if (!geom_finite(h, GEOSGetGeometryN_r(h, geom, k), bad))
				return 0;
		return 1;
	}
	return GEOSisEmpty_r(h, geom) == 1 || seq_finite(h, GEOSGeom_getCoordSeq_r(h, geom), bad);
}

GEOSGeometry *geom_from_wkb(struct geom_ctx *g, const uint8_t *wkb, size_t len,
			    char *err, size_t errlen)
{
	GEOSGeometry *geom;
	size_t used;

	geom_ctx_begin(g);
	if (wkb_measure(wkb, len, &used, err, errlen) != 0)
		return NULL;
	if (used != len) {
		fail_msg(-EINVAL, err, errlen, "%zu bytes after the end of the WKB geometry",
			 len - used);
		return NULL;
	}
	geom = GEOSWKBReader_read_r(g->h, g->reader, wkb, len);
	if (!geom)
		fail_geos(g, err, errlen, "cannot read WKB");
	double bad = 0;
	if (geom && !geom_finite(g->h, geom, &bad)) {
		fail_msg(-EINVAL, err, errlen, "coordinate %g is not a finite number", bad);
		GEOSGeom_destroy_r(g->h, geom);
		return NULL;
	}
	return geom;
}

int geom_to_wkb(struct geom_ctx *g, const GEOSGeometry *geom, uint8_t **out, size_t *outlen,
		char *err, size_t errlen)
{
	unsigned char *buf;
	size_t n = 0;

	*out = NULL;
	*outlen = 0;
	geom_ctx_begin(g);
	buf = GEOSWKBWriter_write_r(g->h, g->writer, geom, &n);
	if (!buf)
		return fail_geos(g, err, errlen, "cannot write WKB");
	*out = malloc(n ? n : 1);
	if (!*out) {
		GEOSFree_r(g->h, buf);
		return fail_msg(-ENOMEM, err, errlen, "out of memory for %zu bytes of WKB", n);
	}
	memcpy(*out, buf, n);
	GEOSFree_r(g->h, buf);
	*outlen = n;
	return 0;
}

static void poly_list_free(GEOSContextHandle_t h, struct poly_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		GEOSGeom_destroy_r(h, l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static int poly_list_push(struct geom_ctx *g, struct poly_list *l, const GEOSGeometry *poly,
			  char *err, size_t errlen)
{
	GEOSGeometry *copy;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		GEOSGeometry **v = cap < UINT_MAX ? realloc(l->v, cap * sizeof *v) : NULL;
		if (!v)
			return fail_msg(-ENOMEM, err, errlen, "out of memory for %zu polygons", cap);
		l->v = v;
		l->cap = cap;
	}
	copy = GEOSGeom_clone_r(g->h, poly);
	if (!copy)
		return fail_geos(g, err, errlen, "cannot copy polygon");
	l->v[l->n++] = copy;
	return 0;
}

/* Clones the non-empty polygons of src (recursing into Multi/collections) into l. With strict,
 * any other geometry type is an error that names it; without, it is silently dropped. */
static int collect_polys(struct geom_ctx *g, const GEOSGeometry *src, struct poly_list *l,
			 int strict, char *err, size_t errlen)
{
	int type = GEOSGeomTypeId_r(g->h, src), n, rc;

	if (type == GEOS_POLYGON)
		return GEOSisEmpty_r(g->h, src) == 1 ? 0 : poly_list_push(g, l, src, err, errlen);
	if (type != GEOS_MULTIPOLYGON && type != GEOS_GEOMETRYCOLLECTION) {
		if (!strict)
			return 0;
		return fail_msg(-EINVAL, err, errlen, "not polygonal: %s", type_name(type));
	}
	n = GEOSGetNumGeometries_r(g->h, src);
	for (int i = 0; i < n; i++) {
		rc = collect_polys(g, GEOSGetGeometryN_r(g->h, src, i), l, strict, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}

/* Hands the polygons of l to a new collection of the given type; l is emptied either way
 * (GEOS takes the parts even when it fails). */
static int build_collection(struct geom_ctx *g, int type, struct poly_list *l,
			    GEOSGeometry **out, char *err, size_t errlen)
{
	unsigned n = (unsigned)l->n;

	l->n = 0;
	*out = n ? GEOSGeom_createCollection_r(g->h, type, l->v, n)
		 : GEOSGeom_createEmptyCollection_r(g->h, type);
	poly_list_free(g->h, l);
	return *out ? 0 : fail_geos(g, err, errlen, "cannot build collection");
}

/* Makes a MultiPolygon of the polygons in src (possibly an empty one). */
static int to_multipolygon(struct geom_ctx *g, const GEOSGeometry *src, int strict,
			   GEOSGeometry **out, char *err, size_t errlen)
{
	struct poly_list l = { 0 };
	int rc = collect_polys(g, src, &l, strict, err, errlen);

	*out = NULL;
	if (rc) {
		poly_list_free(g->h, &l);
		return rc;
	}
	return build_collection(g, GEOS_MULTIPOLYGON, &l, out, err, errlen);
}

static int check_valid(struct geom_ctx *g, const GEOSGeometry *geom, int *valid,
		       char *err, size_t errlen)
{
	char v = GEOSisValid_r(g->h, geom);

	if (v != 0 && v != 1)
		return fail_geos(g, err, errlen, "validity check failed");
	*valid = v;
	return 0;
}

/* Replaces *multi by a valid MultiPolygon when it is invalid, keeping polygonal parts only. */
static int repair_if_invalid(struct geom_ctx *g, GEOSGeometry **multi, int *repaired,
			     char *err, size_t errlen)
{
	GEOSGeometry *fixed, *poly;
	int valid = 0, rc = check_valid(g, *multi, &valid, err, errlen);

	if (rc || valid)
		return rc;
	fixed = GEOSMakeValid_r(g->h, *multi);
	if (!fixed)
		return fail_geos(g, err, errlen, "repair failed");
	rc = to_multipolygon(g, fixed, 0, &poly, err, errlen);
	GEOSGeom_destroy_r(g->h, fixed);
	if (rc)
		return rc;
	rc = check_valid(g, poly, &valid, err, errlen);
	if (!rc && !valid)
		rc = fail_msg(-EINVAL, err, errlen, "still invalid after repair: %s", g->notice);
	if (rc) {
		GEOSGeom_destroy_r(g->h, poly);
		return rc;
	}
	GEOSGeom_destroy_r(g->h, *multi);
	*multi = poly;
	*repaired = 1;
	return 0;
}

int geom_polygonal_normalize(struct geom_ctx *g, const uint8_t *wkb, size_t len,
			     uint8_t **out, size_t *outlen, int *repaired,
			     char *err, size_t errlen)
{
	GEOSGeometry *in, *multi = NULL;
	int rc;

	*out = NULL;
	*outlen = 0;
	*repaired = 0;
	in = geom_from_wkb(g, wkb, len, err, errlen);
	if (!in)
		return -EINVAL;
	rc = to_multipolygon(g, in, 1, &multi, err, errlen);
	if (rc)
		goto fail;
	rc = repair_if_invalid(g, &multi, repaired, err, errlen);
	if (rc)
		goto fail;
	if (GEOSisEmpty_r(g->h, multi)) {
		rc = fail_msg(-EINVAL, err, errlen, *repaired ? "empty after repair" : "empty polygon");
		goto fail;
	}
	rc = geom_to_wkb(g, multi, out, outlen, err, errlen);
fail:
	GEOSGeom_destroy_r(g->h, in);
	if (multi)
		GEOSGeom_destroy_r(g->h, multi);
	return rc;
}

/* Parses one merge input and clones its polygons into l; errors name the input index. */
static int collect_wkb(struct geom_ctx *g, const uint8_t *wkb, size_t len, size_t index,
		       struct poly_list *l, char *err, size_t errlen)
{
	char why[GEOM_MSG_LEN] = "";
	GEOSGeometry *geom = geom_from_wkb(g, wkb, len, why, sizeof why);
	int rc;

	if (!geom)
		return fail_msg(-EINVAL, err, errlen, "part %zu: %s", index, why);
	rc = collect_polys(g, geom, l, 1, why, sizeof why);
	GEOSGeom_destroy_r(g->h, geom);
	if (rc)
		return fail_msg(rc, err, errlen, "part %zu: %s", index, why);
	return 0;
}

/* Unions a collection of polygons; when GEOS throws on invalid parts, repairs and retries. */
static GEOSGeometry *union_polygons(struct geom_ctx *g, const GEOSGeometry *coll)
{
	GEOSGeometry *u = GEOSUnaryUnion_r(g->h, coll), *fixed;

	if (u)
		return u;
	fixed = GEOSMakeValid_r(g->h, coll);
	if (!fixed)
		return NULL;
	u = GEOSUnaryUnion_r(g->h, fixed);
	GEOSGeom_destroy_r(g->h, fixed);
	return u;
}

int geom_polygonal_merge(struct geom_ctx *g, const uint8_t *const *wkbs, const size_t *lens,
			 size_t n, uint8_t **out, size_t *outlen, char *err, size_t errlen)
{
	struct poly_list l = { 0 };
	GEOSGeometry *coll = NULL, *u = NULL, *multi = NULL;
	int rc = 0;

	*out = NULL;
	*outlen = 0;
	if (n == 0)
		return fail_msg(-EINVAL, err, errlen, "nothing to merge");
	for (size_t i = 0; i < n && !rc; i++)
		rc = collect_wkb(g, wkbs[i], lens[i], i, &l, err, errlen);
	if (!rc)
		rc = build_collection(g, GEOS_GEOMETRYCOLLECTION, &l, &coll, err, errlen);
	if (rc)
		goto fail;
	u = union_polygons(g, coll);
	if (!u) {
		rc = fail_geos(g, err, errlen, "union failed");
		goto fail;
	}
	rc = to_multipolygon(g, u, 0, &multi, err, errlen);
	if (!rc && GEOSisEmpty_r(g->h, multi))
		rc = fail_msg(-EINVAL, err, errlen, "empty after merge");
	if (!rc)
		rc = geom_to_wkb(g, multi, out, outlen, err, errlen);
fail:
	poly_list_free(g->h, &l);
	if (coll)
		GEOSGeom_destroy_r(g->h, coll);
	if (u)
		GEOSGeom_destroy_r(g->h, u);
	if (multi)
		GEOSGeom_destroy_r(g->h, multi);
	return rc;
}

/* Finds the one point of a Point or a one-point MultiPoint. */
static int single_point(struct geom_ctx *g, const GEOSGeometry *geom, const GEOSGeometry **pt,
			char *err, size_t errlen)
{
	int type = GEOSGeomTypeId_r(g->h, geom), n;

	*pt = geom;
	if (type == GEOS_MULTIPOINT) {
		n = GEOSGetNumGeometries_r(g->h, geom);
		if (n != 1)
			return fail_msg(-EINVAL, err, errlen,
					"not a single point: MultiPoint with %d points", n);
		*pt = GEOSGetGeometryN_r(g->h, geom, 0);
	} else if (type != GEOS_POINT) {
		return fail_msg(-EINVAL, err, errlen, "not a point: %s", type_name(type));
	}
	if (GEOSisEmpty_r(g->h, *pt) != 0)
		return fail_msg(-EINVAL, err, errlen, "empty point");
	return 0;
}

int geom_point_xy(struct geom_ctx *g, const uint8_t *wkb, size_t len, double *x, double *y,
		  char *err, size_t errlen)
{
	GEOSGeometry *geom = geom_from_wkb(g, wkb, len, err, errlen);
	const GEOSGeometry *pt;
	int rc;

	if (!geom)
		return -EINVAL;
	rc = single_point(g, geom, &pt, err, errlen);
	if (!rc && (GEOSGeomGetX_r(g->h, pt, x) != 1 || GEOSGeomGetY_r(g->h, pt, y) != 1))
		rc = fail_geos(g, err, errlen, "cannot read point");
	GEOSGeom_destroy_r(g->h, geom);
	return rc;
}

int geom_area(struct geom_ctx *g, const uint8_t *wkb, size_t len, double *area,
	      char *err, size_t errlen)
{
	GEOSGeometry *geom = geom_from_wkb(g, wkb, len, err, errlen);
	int rc = 0;

	if (!geom)
		return -EINVAL;
	if (GEOSArea_r(g->h, geom, area) != 1)
		rc = fail_geos(g, err, errlen, "cannot compute area");
	GEOSGeom_destroy_r(g->h, geom);
	return rc;
}

int geom_bbox(struct geom_ctx *g, const uint8_t *wkb, size_t len, struct geom_bbox *bbox,
	      char *err, size_t errlen)
{
	GEOSGeometry *geom = geom_from_wkb(g, wkb, len, err, errlen);
	int rc = 0;

	if (!geom)
		return -EINVAL;
	if (GEOSisEmpty_r(g->h, geom) != 0)
		rc = fail_msg(-EINVAL, err, errlen, "empty geometry has no bounding box");
	else if (GEOSGeom_getExtent_r(g->h, geom, &bbox->minx, &bbox->miny, &bbox->maxx,
				      &bbox->maxy) != 1)
		rc = fail_geos(g, err, errlen, "cannot compute bounding box");
	GEOSGeom_destroy_r(g->h, geom);
	return rc;
}

static void put_le64(uint8_t *p, double d)
{
	uint64_t bits;

	memcpy(&bits, &d, sizeof bits);
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(bits >> (8 * i));
}

void geom_point_wkb(double x, double y, uint8_t out[21])
{
	out[0] = 1;
	out[1] = 1;
	out[2] = out[3] = out[4] = 0;
	put_le64(out + 5, x);
	put_le64(out + 13, y);
}
