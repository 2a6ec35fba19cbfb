/* Unit tests for geo/geom.c: WKB round trips, polygon normalisation and repair (bow-tie),
 * rejection of non-polygonal input, merging, point and bbox extraction, and capture of GEOS's
 * own error text; and for the WKB-level calls maps/ uses: ring walks (geom_rings.c), square
 * unions (squares.c) and GeoJSON from WKB (geojson.c). Geometries are built as WKB bytes in
 * the test; no sqlite, no files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/crs.h"
#include "geo/geojson.h"
#include "geo/geom.h"
#include "geo/geom_internal.h"
#include "geo/geom_rings.h"
#include "geo/squares.h"

struct wkb {
	uint8_t b[4096];
	size_t n;
};

static void put_u8(struct wkb *w, unsigned v)
{
	assert_true(w->n < sizeof w->b);
	w->b[w->n++] = (uint8_t)v;
}

static void put_u32(struct wkb *w, uint32_t v, int le)
{
	for (int i = 0; i < 4; i++)
		put_u8(w, (v >> (le ? 8 * i : 8 * (3 - i))) & 0xff);
}

static void put_f64(struct wkb *w, double d, int le)
{
	uint64_t bits;
	memcpy(&bits, &d, sizeof bits);
	for (int i = 0; i < 8; i++)
		put_u8(w, (unsigned)(bits >> (le ? 8 * i : 8 * (7 - i))) & 0xff);
}

static void put_head(struct wkb *w, int le, uint32_t type, uint32_t count)
{
	put_u8(w, (unsigned)le);
	put_u32(w, type, le);
	if (type % 1000 != 1)
		put_u32(w, count, le);
}

/* A ring or line of n points given as x,y pairs; with z, every point gets z = 5. */
static void put_points(struct wkb *w, int le, const double *xy, size_t n, int z)
{
	for (size_t i = 0; i < n; i++) {
		put_f64(w, xy[2 * i], le);
		put_f64(w, xy[2 * i + 1], le);
		if (z)
			put_f64(w, 5.0, le);
	}
}

static const double square[] = { 0, 0, 1, 0, 1, 1, 0, 1, 0, 0 };
static const double square_right[] = { 1, 0, 2, 0, 2, 1, 1, 1, 1, 0 };
static const double square_overlap[] = { 0.5, 0.5, 1.5, 0.5, 1.5, 1.5, 0.5, 1.5, 0.5, 0.5 };
static const double bowtie[] = { 0, 0, 2, 2, 2, 0, 0, 2, 0, 0 };
static const double big[] = { 0, 0, 10, 0, 10, 10, 0, 10, 0, 0 };
static const double hole[] = { 2, 2, 2, 4, 4, 4, 4, 2, 2, 2 };
static const double flat[] = { 0, 0, 1, 1, 2, 2, 0, 0 };

static struct wkb polygon(const double *ring, size_t n, int le)
{
	struct wkb w = { .n = 0 };
	put_head(&w, le, 3, 1);
	put_u32(&w, (uint32_t)n, le);
	put_points(&w, le, ring, n, 0);
	return w;
}

static struct wkb linestring(void)
{
	struct wkb w = { .n = 0 };
	put_head(&w, 1, 2, 3);
	put_points(&w, 1, square, 3, 0);
	return w;
}

struct env {
	struct geom_ctx *g;
	char err[512];
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	if (!e)
		return -1;
	e->g = geom_ctx_new();
	if (!e->g) {
		free(e);
		return -1;
	}
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	geom_ctx_free(e->g);
	free(e);
	return 0;
}

static double area_of(struct env *e, const uint8_t *wkb, size_t len)
{
	double a = -1;
	assert_int_equal(geom_area(e->g, wkb, len, &a, e->err, sizeof e->err), 0);
	return a;
}

/* Parses wkb and returns its GEOS type id and number of parts; checks validity. */
static int inspect(struct env *e, const uint8_t *wkb, size_t len, int *nparts)
{
	GEOSContextHandle_t h = geom_ctx_handle(e->g);
	GEOSGeometry *geom = geom_from_wkb(e->g, wkb, len, e->err, sizeof e->err);
	int type;

	assert_non_null(geom);
	type = GEOSGeomTypeId_r(h, geom);
	*nparts = GEOSGetNumGeometries_r(h, geom);
	assert_int_equal(GEOSisValid_r(h, geom), 1);
	assert_int_equal(GEOSHasZ_r(h, geom), 0);
	GEOSGeom_destroy_r(h, geom);
	return type;
}

static void test_ctx_free_null(void **state)
{
	(void)state;
	geom_ctx_free(NULL);
}

/* Little- and big-endian, 2D, Z and M input all come back as the same 2D NDR ISO WKB. */
static void test_round_trip(void **state)
{
	struct env *e = *state;
	struct wkb le = polygon(square, 5, 1), be = polygon(square, 5, 0);
	struct wkb z = { .n = 0 }, m = { .n = 0 };
	const struct wkb *inputs[] = { &le, &be, &z, &m };

	put_head(&z, 0, 1003, 1);
	put_u32(&z, 5, 0);
	put_points(&z, 0, square, 5, 1);
	put_head(&m, 1, 2003, 1);
	put_u32(&m, 5, 1);
	put_points(&m, 1, square, 5, 1);
	for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
		GEOSGeometry *geom = geom_from_wkb(e->g, inputs[i]->b, inputs[i]->n, e->err,
						   sizeof e->err);
		uint8_t *out = NULL;
		size_t outlen = 0;

		assert_non_null(geom);
		assert_int_equal(geom_to_wkb(e->g, geom, &out, &outlen, e->err, sizeof e->err), 0);
		GEOSGeom_destroy_r(geom_ctx_handle(e->g), geom);
		assert_int_equal(outlen, le.n);
		assert_memory_equal(out, le.b, le.n);
		free(out);
	}
}

static void test_bowtie_repaired(void **state)
{
	struct env *e = *state;
	struct wkb in = polygon(bowtie, 5, 1);
	uint8_t *out = NULL;
	size_t outlen = 0;
	int repaired = -1, nparts = 0;

	assert_int_equal(geom_polygonal_normalize(e->g, in.b, in.n, &out, &outlen, &repaired,
						  e->err, sizeof e->err), 0);
	assert_int_equal(repaired, 1);
	assert_int_equal(inspect(e, out, outlen, &nparts), GEOS_MULTIPOLYGON);
	assert_int_equal(nparts, 2);
	assert_true(fabs(area_of(e, out, outlen) - 2.0) < 1e-9); /* two triangles of 1 */
	free(out);
}

struct normalize_case {
	const char *name;
	struct wkb (*build)(void);
	int repaired;
	double area;
	int nparts;
};

static struct wkb valid_square(void)
{
	return polygon(square, 5, 0);
}

static struct wkb square_with_hole(void)
{
	struct wkb w = { .n = 0 };
	put_head(&w, 1, 3, 2);
	put_u32(&w, 5, 1);
	put_points(&w, 1, big, 5, 0);
	put_u32(&w, 5, 1);
	put_points(&w, 1, hole, 5, 0);
	return w;
}

static struct wkb collection_of(const double *ring1, const double *ring2)
{
	struct wkb w = { .n = 0 }, a = polygon(ring1, 5, 1), b = polygon(ring2, 5, 0);
	put_head(&w, 1, 7, 2);
	memcpy(w.b + w.n, a.b, a.n);
	memcpy(w.b + w.n + a.n, b.b, b.n);
	w.n += a.n + b.n;
	return w;
}

static struct wkb disjoint_collection(void)
{
	return collection_of(square, hole);
}

/* Polygons of a MultiPolygon may touch only at points: sharing an edge needs a repair. */
static struct wkb adjacent_collection(void)
{
	return collection_of(square, square_right);
}

static const struct normalize_case normalize_cases[] = {
	{ "square", valid_square, 0, 1.0, 1 },
	{ "square with hole", square_with_hole, 0, 96.0, 1 },
	{ "collection of two disjoint polygons", disjoint_collection, 0, 5.0, 2 },
	{ "collection of two adjacent polygons", adjacent_collection, 1, 2.0, 1 },
};

/* Valid input keeps its area and is not repaired; the output is always a MultiPolygon. */
static void test_normalize(void **state)
{
	struct env *e = *state;

	for (size_t i = 0; i < sizeof normalize_cases / sizeof *normalize_cases; i++) {
		const struct normalize_case *c = &normalize_cases[i];
		struct wkb in = c->build();
		uint8_t *out = NULL;
		size_t outlen = 0;
		int repaired = -1, nparts = 0;

		if (geom_polygonal_normalize(e->g, in.b, in.n, &out, &outlen, &repaired, e->err,
					     sizeof e->err) != 0)
			fail_msg("%s: %s", c->name, e->err);
		assert_int_equal(inspect(e, out, outlen, &nparts), GEOS_MULTIPOLYGON);
		if (repaired != c->repaired || nparts != c->nparts)
			fail_msg("%s: repaired %d, %d parts", c->name, repaired, nparts);
		assert_true(fabs(area_of(e, out, outlen) - c->area) < 1e-9);
		assert_true(fabs(area_of(e, in.b, in.n) - c->area) < 1e-9);
		free(out);
	}
}

struct reject_case {
	const char *name;
	struct wkb (*build)(void);
	const char *expect;
};

static struct wkb point_wkb(void)
{
	struct wkb w = { .n = 21 };
	geom_point_wkb(1, 2, w.b);
	return w;
}

static struct wkb collection_with_line(void)
{
	struct wkb w = { .n = 0 }, a = polygon(square, 5, 1), b = linestring();
	put_head(&w, 1, 7, 2);
	memcpy(w.b + w.n, a.b, a.n);
	memcpy(w.b + w.n + a.n, b.b, b.n);
	w.n += a.n + b.n;
	return w;
}

static struct wkb empty_polygon(void)
{
	struct wkb w = { .n = 0 };
	put_head(&w, 1, 3, 0);
	return w;
}

static struct wkb collinear_polygon(void)
{
	return polygon(flat, 4, 1);
}

static struct wkb truncated_polygon(void)
{
	struct wkb w = polygon(square, 5, 1);
	w.n -= 3;
	return w;
}

static const struct reject_case reject_cases[] = {
	{ "linestring", linestring, "not polygonal: LineString" },
	{ "point", point_wkb, "not polygonal: Point" },
	{ "collection with a line", collection_with_line, "not polygonal: LineString" },
	{ "empty polygon", empty_polygon, "empty polygon" },
	{ "collinear ring", collinear_polygon, "empty after repair" },
	{ "truncated", truncated_polygon, "truncated WKB" },
};

static void test_normalize_rejects(void **state)
{
	struct env *e = *state;

	for (size_t i = 0; i < sizeof reject_cases / sizeof *reject_cases; i++) {
		const struct reject_case *c = &reject_cases[i];
		struct wkb in = c->build();
		uint8_t *out = (uint8_t *)"x";
		size_t outlen = 7;
		int repaired, rc;

		e->err[0] = '\0';
		rc = geom_polygonal_normalize(e->g, in.b, in.n, &out, &outlen, &repaired, e->err,
					      sizeof e->err);
		if (rc != -EINVAL || !strstr(e->err, c->expect))
			fail_msg("%s: rc %d, got \"%s\", want \"%s\"", c->name, rc, e->err,
				 c->expect);
		assert_null(out);
		assert_int_equal(outlen, 0);
	}
}

static int merge(struct env *e, const struct wkb *parts, size_t n, uint8_t **out,
		 size_t *outlen)
{
	const uint8_t *wkbs[4];
	size_t lens[4];

	assert_true(n <= 4);
	for (size_t i = 0; i < n; i++) {
		wkbs[i] = parts[i].b;
		lens[i] = parts[i].n;
	}
	return geom_polygonal_merge(e->g, wkbs, lens, n, out, outlen, e->err, sizeof e->err);
}

struct merge_case {
	const char *name;
	const double *rings[3];
	size_t nrings;
	double area;
	int nparts;
	struct geom_bbox bbox;
};

static const struct merge_case merge_cases[] = {
	{ "adjacent squares", { square, square_right }, 2, 2.0, 1, { 0, 0, 2, 1 } },
	{ "overlapping squares", { square, square_overlap }, 2, 1.75, 1, { 0, 0, 1.5, 1.5 } },
	{ "disjoint squares", { square, hole }, 2, 5.0, 2, { 0, 0, 4, 4 } },
	{ "bow-tie and a square", { bowtie, square_right }, 2, 2.5, 2, { 0, 0, 2, 2 } },
	{ "one square", { big }, 1, 100.0, 1, { 0, 0, 10, 10 } },
};

static void test_merge(void **state)
{
	struct env *e = *state;

	for (size_t i = 0; i < sizeof merge_cases / sizeof *merge_cases; i++) {
		const struct merge_case *c = &merge_cases[i];
		struct wkb parts[3];
		struct geom_bbox bb;
		uint8_t *out = NULL;
		size_t outlen = 0;
		int nparts = 0;

		for (size_t k = 0; k < c->nrings; k++)
			parts[k] = polygon(c->rings[k], 5, (int)k % 2);
		if (merge(e, parts, c->nrings, &out, &outlen) != 0)
			fail_msg("%s: %s", c->name, e->err);
		assert_int_equal(inspect(e, out, outlen, &nparts), GEOS_MULTIPOLYGON);
		if (nparts != c->nparts)
			fail_msg("%s: %d parts, want %d", c->name, nparts, c->nparts);
		if (fabs(area_of(e, out, outlen) - c->area) > 1e-9)
			fail_msg("%s: area %g, want %g", c->name, area_of(e, out, outlen), c->area);
		assert_int_equal(geom_bbox(e->g, out, outlen, &bb, e->err, sizeof e->err), 0);
		assert_true(bb.minx == c->bbox.minx && bb.miny == c->bbox.miny);
		assert_true(bb.maxx == c->bbox.maxx && bb.maxy == c->bbox.maxy);
		free(out);
	}
}

static void test_merge_rejects(void **state)
{
	struct env *e = *state;
	struct wkb parts[2] = { polygon(square, 5, 1), linestring() };
	uint8_t *out = NULL;
	size_t outlen = 0;

	assert_int_equal(merge(e, parts, 2, &out, &outlen), -EINVAL);
	assert_string_equal(e->err, "part 1: not polygonal: LineString");
	assert_null(out);
	assert_int_equal(merge(e, parts, 0, &out, &outlen), -EINVAL);
	assert_string_equal(e->err, "nothing to merge");
	parts[1] = empty_polygon();
	assert_int_equal(merge(e, parts + 1, 1, &out, &outlen), -EINVAL);
	assert_string_equal(e->err, "empty after merge");
}

static void test_point(void **state)
{
	struct env *e = *state;
	static const uint8_t expect[21] = { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xdb, 0xea, 0x40,
					    0, 0, 0, 0, 0x60, 0x42, 0x1c, 0x41 };
	uint8_t pt[21];
	double x = 0, y = 0;

	geom_point_wkb(55000.0, 463000.0, pt);
	assert_memory_equal(pt, expect, sizeof pt);
	assert_int_equal(geom_point_xy(e->g, pt, sizeof pt, &x, &y, e->err, sizeof e->err), 0);
	assert_true(x == 55000.0 && y == 463000.0);
}

static void test_point_multipoint(void **state)
{
	struct env *e = *state;
	struct wkb one = { .n = 0 }, two = { .n = 0 };
	uint8_t pt[21];
	double x = 0, y = 0;

	geom_point_wkb(-1.5, 2.25, pt);
	put_head(&one, 0, 4, 1);
	memcpy(one.b + one.n, pt, sizeof pt);
	one.n += sizeof pt;
	assert_int_equal(geom_point_xy(e->g, one.b, one.n, &x, &y, e->err, sizeof e->err), 0);
	assert_true(x == -1.5 && y == 2.25);
	put_head(&two, 1, 4, 2);
	for (int i = 0; i < 2; i++) {
		memcpy(two.b + two.n, pt, sizeof pt);
		two.n += sizeof pt;
	}
	assert_int_equal(geom_point_xy(e->g, two.b, two.n, &x, &y, e->err, sizeof e->err),
			 -EINVAL);
	assert_string_equal(e->err, "not a single point: MultiPoint with 2 points");
}

static void test_point_rejects(void **state)
{
	struct env *e = *state;
	struct wkb line = linestring();
	uint8_t pt[21];
	double x, y;

	assert_int_equal(geom_point_xy(e->g, line.b, line.n, &x, &y, e->err, sizeof e->err),
			 -EINVAL);
	assert_string_equal(e->err, "not a point: LineString");
	geom_point_wkb(NAN, NAN, pt);
	assert_int_equal(geom_point_xy(e->g, pt, sizeof pt, &x, &y, e->err, sizeof e->err),
			 -EINVAL);
	assert_string_equal(e->err, "empty point");
}

static void test_bbox_and_area(void **state)
{
	struct env *e = *state;
	struct wkb w = square_with_hole(), empty = empty_polygon();
	struct geom_bbox bb;

	assert_int_equal(geom_bbox(e->g, w.b, w.n, &bb, e->err, sizeof e->err), 0);
	assert_true(bb.minx == 0 && bb.miny == 0 && bb.maxx == 10 && bb.maxy == 10);
	assert_true(area_of(e, w.b, w.n) == 96.0);
	assert_int_equal(geom_bbox(e->g, empty.b, empty.n, &bb, e->err, sizeof e->err), -EINVAL);
	assert_string_equal(e->err, "empty geometry has no bounding box");
}

/* WKB that is well-formed bytes but that GEOS refuses: its own message must reach err. */
static void test_geos_error_captured(void **state)
{
	struct env *e = *state;
	static const double open_ring[] = { 0, 0, 1, 0, 1, 1, 0, 1 };
	struct wkb w = polygon(open_ring, 4, 1);
	GEOSGeometry *geom;
	double area;

	geom = geom_from_wkb(e->g, w.b, w.n, e->err, sizeof e->err);
	assert_null(geom);
	assert_true(strlen(geom_ctx_last_error(e->g)) > 0);
	assert_non_null(strstr(e->err, "cannot read WKB: "));
	assert_non_null(strstr(e->err, geom_ctx_last_error(e->g)));
	/* the next successful call clears it */
	w = polygon(square, 5, 1);
	assert_int_equal(geom_area(e->g, w.b, w.n, &area, e->err, sizeof e->err), 0);
	assert_string_equal(geom_ctx_last_error(e->g), "");
}

/* A NaN or infinite coordinate is refused by name before GEOS sees it (GEOS 3.11's repair
 * leaked on a NaN); an empty point, written as NaN NaN, is still read. */
static void test_nonfinite_refused(void **state)
{
	struct env *e = *state;
	double ring[10];
	memcpy(ring, square, sizeof ring);
	for (int k = 0; k < 2; k++) {
		ring[3] = k ? INFINITY : NAN;
		struct wkb w = polygon(ring, 5, 1);
		uint8_t *out = NULL;
		size_t outlen = 0;
		int repaired = 0;
		assert_null(geom_from_wkb(e->g, w.b, w.n, e->err, sizeof e->err));
		assert_non_null(strstr(e->err, "not a finite number"));
		assert_int_equal(geom_polygonal_normalize(e->g, w.b, w.n, &out, &outlen, &repaired,
							  e->err, sizeof e->err), -EINVAL);
		assert_null(out);
	}
	struct wkb pt = { .n = 0 };
	double nan2[2] = {NAN, NAN};
	put_head(&pt, 1, 1, 0);
	put_points(&pt, 1, nan2, 1, 0);
	GEOSGeometry *empty = geom_from_wkb(e->g, pt.b, pt.n, e->err, sizeof e->err);
	assert_non_null(empty);
	assert_int_equal(GEOSisEmpty_r(geom_ctx_handle(e->g), empty), 1);
	GEOSGeom_destroy_r(geom_ctx_handle(e->g), empty);
}

static void test_garbage_wkb(void **state)
{
	struct env *e = *state;
	static const uint8_t garbage[] = "this is not WKB at all";
	struct wkb w = polygon(square, 5, 1);
	double area;

	assert_null(geom_from_wkb(e->g, garbage, sizeof garbage, e->err, sizeof e->err));
	assert_string_equal(e->err, "bad WKB byte order 116");
	assert_int_equal(geom_area(e->g, w.b, w.n - 1, &area, e->err, sizeof e->err), -EINVAL);
	assert_non_null(strstr(e->err, "truncated WKB"));
	w.n += 2;
	assert_int_equal(geom_area(e->g, w.b, w.n, &area, e->err, sizeof e->err), -EINVAL);
	assert_string_equal(e->err, "2 bytes after the end of the WKB geometry");
}

/* What a ring walk saw: per ring its hole flag, point count and coordinates. */
struct rings_seen {
	int n;
	int hole[8];
	size_t npts[8];
	double xy[8][40];
	int stop_after;           /* return 7 after that many rings; 0 = never */
};

static int record_ring(void *user, const double *xy, size_t n, int is_hole)
{
	struct rings_seen *r = user;
	assert_true(r->n < 8 && n <= 20);
	r->hole[r->n] = is_hole;
	r->npts[r->n] = n;
	memcpy(r->xy[r->n], xy, 2 * n * sizeof *xy);
	r->n++;
	return r->stop_after && r->n >= r->stop_after ? 7 : 0;
}

static struct wkb multi_of(const struct wkb *a, const struct wkb *b)
{
	struct wkb w = { .n = 0 };
	put_head(&w, 1, 6, 2);
	memcpy(w.b + w.n, a->b, a->n);
	memcpy(w.b + w.n + a->n, b->b, b->n);
	w.n += a->n + b->n;
	return w;
}

/* Every ring of every polygon, exterior before its holes, with its exact coordinates. */
static void test_rings_each(void **state)
{
	struct env *e = *state;
	struct wkb holed = square_with_hole(), sq = polygon(square_right, 5, 0);
	struct wkb multi = multi_of(&sq, &holed);
	struct rings_seen r = { .n = 0 };

	assert_int_equal(geom_rings_each(e->g, multi.b, multi.n, 0, record_ring, &r, e->err,
					 sizeof e->err), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.hole[0], 0);
	assert_int_equal(r.hole[1], 0);
	assert_int_equal(r.hole[2], 1);
	assert_int_equal(r.npts[0], 5);
	assert_memory_equal(r.xy[0], square_right, sizeof square_right);
	assert_memory_equal(r.xy[1], big, sizeof big);
	assert_memory_equal(r.xy[2], hole, sizeof hole);

	/* a lone Polygon is its own part; a LineString has no rings */
	r.n = 0;
	assert_int_equal(geom_rings_each(e->g, holed.b, holed.n, 0, record_ring, &r, e->err,
					 sizeof e->err), 0);
	assert_int_equal(r.n, 2);
	struct wkb line = linestring();
	r.n = 0;
	assert_int_equal(geom_rings_each(e->g, line.b, line.n, 0, record_ring, &r, e->err,
					 sizeof e->err), 0);
	assert_int_equal(r.n, 0);
}

/* The callback's non-zero value stops the walk and is handed back; bad WKB names why. */
static void test_rings_each_stops_and_rejects(void **state)
{
	struct env *e = *state;
	struct wkb holed = square_with_hole();
	struct rings_seen r = { .stop_after = 1 };
	static const uint8_t garbage[] = "this is not WKB at all";

	assert_int_equal(geom_rings_each(e->g, holed.b, holed.n, 0, record_ring, &r, e->err,
					 sizeof e->err), 7);
	assert_int_equal(r.n, 1);
	r.n = 0;
	assert_int_equal(geom_rings_each(e->g, garbage, sizeof garbage, 0, record_ring, &r,
					 e->err, sizeof e->err), -EINVAL);
	assert_string_equal(e->err, "bad WKB byte order 116");
	assert_int_equal(r.n, 0);
}

/* A vertex 1 cm off a 100 m edge goes with a 1 m tolerance, stays without one. */
static void test_rings_each_simplified(void **state)
{
	struct env *e = *state;
	static const double bumpy[] = { 0, 0, 50, 0.01, 100, 0, 100, 100, 0, 100, 0, 0 };
	static const double plain[] = { 0, 0, 100, 0, 100, 100, 0, 100, 0, 0 };
	struct wkb w = polygon(bumpy, 6, 1);
	struct rings_seen r = { .n = 0 };

	assert_int_equal(geom_rings_each(e->g, w.b, w.n, 0, record_ring, &r, e->err,
					 sizeof e->err), 0);
	assert_int_equal(r.npts[0], 6);
	assert_memory_equal(r.xy[0], bumpy, sizeof bumpy);
	r.n = 0;
	assert_int_equal(geom_rings_each(e->g, w.b, w.n, 1.0, record_ring, &r, e->err,
					 sizeof e->err), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.npts[0], 5);
	assert_memory_equal(r.xy[0], plain, sizeof plain);
}

/* Overlapping squares give one polygon, still written as a MultiPolygon, with its box;
 * disjoint ones give two parts; none gives an empty MultiPolygon with a zero box. */
static void test_squares_union_wkb(void **state)
{
	struct env *e = *state;
	const double xy[] = { 0, 0, 1, 0, 10, 10 }, side[] = { 2, 2, 2 };
	struct geom_bbox bb;
	uint8_t *out = NULL;
	size_t len = 0;
	int nparts = 0;

	assert_int_equal(geo_squares_union_wkb(e->g, xy, side, 2, &out, &len, &bb, e->err,
					       sizeof e->err), 0);
	assert_int_equal(inspect(e, out, len, &nparts), GEOS_MULTIPOLYGON);
	assert_int_equal(nparts, 1);
	assert_true(fabs(area_of(e, out, len) - 6.0) < 1e-9);
	assert_true(bb.minx == -1 && bb.miny == -1 && bb.maxx == 2 && bb.maxy == 1);
	free(out);

	assert_int_equal(geo_squares_union_wkb(e->g, xy, side, 3, &out, &len, &bb, e->err,
					       sizeof e->err), 0);
	assert_int_equal(inspect(e, out, len, &nparts), GEOS_MULTIPOLYGON);
	assert_int_equal(nparts, 2);
	assert_true(fabs(area_of(e, out, len) - 10.0) < 1e-9);
	assert_true(bb.minx == -1 && bb.miny == -1 && bb.maxx == 11 && bb.maxy == 11);
	free(out);

	bb.minx = bb.maxy = 5;
	assert_int_equal(geo_squares_union_wkb(e->g, xy, side, 0, &out, &len, &bb, e->err,
					       sizeof e->err), 0);
	assert_int_equal(inspect(e, out, len, &nparts), GEOS_MULTIPOLYGON);
	assert_int_equal(nparts, 0);
	assert_true(bb.minx == 0 && bb.miny == 0 && bb.maxx == 0 && bb.maxy == 0);
	free(out);
}

/* GeoJSON straight from WKB: the point's lon/lat as PROJ gives it; bad WKB and points
 * outside the RD area are refused by name. */
static void test_geojson_from_wkb(void **state)
{
	struct env *e = *state;
	struct crs *crs = NULL;
	char *text = NULL, want[128];
	uint8_t pt[21];
	double lat, lon;
	static const uint8_t garbage[] = "this is not WKB at all";

	assert_int_equal(crs_open(HUB_PROJ_DIR, &crs, e->err, sizeof e->err), 0);
	geom_point_wkb(155000, 463000, pt);
	assert_int_equal(geo_geojson_from_wkb(e->g, crs, pt, sizeof pt, &text, e->err,
					      sizeof e->err), 0);
	assert_int_equal(crs_rd_to_etrs89(crs, 155000, 463000, &lat, &lon, e->err,
					  sizeof e->err), 0);
	snprintf(want, sizeof want, "{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]}", lon, lat);
	assert_string_equal(text, want);
	free(text);

	struct wkb sq = polygon(big, 5, 1);   /* RD 0..10 m: south of the accepted area */
	assert_int_equal(geo_geojson_from_wkb(e->g, crs, sq.b, sq.n, &text, e->err,
					      sizeof e->err), -EDOM);
	assert_null(text);
	assert_non_null(strstr(e->err, "outside the RD/ETRS89 area"));

	assert_int_equal(geo_geojson_from_wkb(e->g, crs, garbage, sizeof garbage, &text, e->err,
					      sizeof e->err), -EINVAL);
	assert_null(text);
	assert_string_equal(e->err, "bad WKB byte order 116");
	crs_close(crs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctx_free_null),
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bowtie_repaired, setup, teardown),
		cmocka_unit_test_setup_teardown(test_normalize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_normalize_rejects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_rejects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_point, setup, teardown),
		cmocka_unit_test_setup_teardown(test_point_multipoint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_point_rejects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bbox_and_area, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geos_error_captured, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage_wkb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nonfinite_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rings_each, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rings_each_stops_and_rejects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rings_each_simplified, setup, teardown),
		cmocka_unit_test_setup_teardown(test_squares_union_wkb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geojson_from_wkb, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
