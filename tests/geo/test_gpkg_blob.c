/* Unit tests for geo/gpkg_blob.c: GeoPackage blobs built byte by byte in both byte orders
 * and with every envelope size, every error path, and hostile input (every truncation of a
 * valid blob, absurd counts, deep nesting, flipped bytes) that must give -EINVAL, never a
 * crash. Buffers handed to the parser are malloc'd at their exact size for ASan. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo/gpkg_blob.h"

struct buf {
	uint8_t b[8192];
	size_t n;
};

static void put_u8(struct buf *b, unsigned v)
{
	assert_true(b->n < sizeof b->b);
	b->b[b->n++] = (uint8_t)v;
}

static void put_u32(struct buf *b, uint32_t v, int le)
{
	for (int i = 0; i < 4; i++)
		put_u8(b, (v >> (le ? 8 * i : 8 * (3 - i))) & 0xff);
}

static void put_f64(struct buf *b, double d, int le)
{
	uint64_t bits;
	memcpy(&bits, &d, sizeof bits);
	for (int i = 0; i < 8; i++)
		put_u8(b, (unsigned)(bits >> (le ? 8 * i : 8 * (7 - i))) & 0xff);
}

static void put_head(struct buf *b, int le, uint32_t type)
{
	put_u8(b, (unsigned)le);
	put_u32(b, type, le);
}

/* dims: 2, 3 or 4 ordinates per point. */
static void put_coords(struct buf *b, int le, int dims, double x, double y)
{
	put_f64(b, x, le);
	put_f64(b, y, le);
	for (int i = 2; i < dims; i++)
		put_f64(b, 7.0, le);
}

static void put_point(struct buf *b, int le, double x, double y)
{
	put_head(b, le, 1);
	put_coords(b, le, 2, x, y);
}

/* A square polygon with one ring of 5 points (+ an optional square hole). */
static void put_square(struct buf *b, int le, uint32_t type, int dims, double x0, int hole)
{
	static const double sq[5][2] = { { 0, 0 }, { 10, 0 }, { 10, 10 }, { 0, 10 }, { 0, 0 } };

	put_head(b, le, type);
	put_u32(b, hole ? 2 : 1, le);
	for (int r = 0; r <= hole; r++) {
		put_u32(b, 5, le);
		for (int i = 0; i < 5; i++)
			put_coords(b, le, dims, x0 + (r ? 2 + sq[i][0] / 5 : sq[i][0]),
				   r ? 2 + sq[i][1] / 5 : sq[i][1]);
	}
}

static void put_multipolygon(struct buf *b, int le)
{
	put_head(b, le, 6);
	put_u32(b, 2, le);
	put_square(b, le, 3, 2, 0, 1);
	put_square(b, !le, 3, 2, 20, 0); /* parts may use their own byte order */
}

static void put_collection(struct buf *b, int le)
{
	put_head(b, le, 7);
	put_u32(b, 3, le);
	put_point(b, le, 1, 2);
	put_head(b, le, 2);
	put_u32(b, 2, le);
	put_coords(b, le, 2, 0, 0);
	put_coords(b, le, 2, 5, 5);
	put_multipolygon(b, le);
}

/* GeoPackage header: magic, version 0, flags, srs_id, envelope of the given kind. */
static void put_gpkg_header(struct buf *b, int le, int env_kind, int empty, int32_t srs)
{
	static const int env_doubles[] = { 0, 4, 6, 6, 8 };

	put_u8(b, 'G');
	put_u8(b, 'P');
	put_u8(b, 0);
	put_u8(b, (unsigned)(le | env_kind << 1 | (empty ? 0x10 : 0)));
	put_u32(b, (uint32_t)srs, le);
	for (int i = 0; i < env_doubles[env_kind]; i++)
		put_f64(b, 100.0 + i, le);
}

enum shape { S_POINT, S_POLYGON, S_POLYGON_Z, S_POLYGON_EWKB_ZM, S_POLYGON_M, S_MULTIPOLYGON,
	     S_COLLECTION, S_EMPTY_POINT, S_EMPTY_POLYGON };

static void put_shape(struct buf *b, enum shape s, int le)
{
	switch (s) {
	case S_POINT: put_point(b, le, 155000.5, 463000.25); break;
	case S_POLYGON: put_square(b, le, 3, 2, 0, 1); break;
	case S_POLYGON_Z: put_square(b, le, 1003, 3, 0, 0); break;
	case S_POLYGON_EWKB_ZM: put_square(b, le, 0xC0000003u, 4, 0, 0); break;
	case S_POLYGON_M: put_square(b, le, 2003, 3, 0, 0); break;
	case S_MULTIPOLYGON: put_multipolygon(b, le); break;
	case S_COLLECTION: put_collection(b, le); break;
	case S_EMPTY_POINT: put_point(b, le, NAN, NAN); break;
	case S_EMPTY_POLYGON: put_head(b, le, 3); put_u32(b, 0, le); break;
	}
}

/* Copies b into a malloc'd buffer of exactly len bytes, so overreads trip ASan. */
static uint8_t *exact_copy(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);
	assert_non_null(p);
	if (len)
		memcpy(p, src, len);
	return p;
}

static int parse_exact(const uint8_t *src, size_t len, struct gpkg_blob *out, char *err,
		       size_t errlen)
{
	uint8_t *p = exact_copy(src, len);
	int rc = gpkg_blob_parse(p, len, out, err, errlen);
	if (rc == 0)
		out->wkb = src + (out->wkb - p); /* keep pointing at caller-visible bytes */
	free(p);
	return rc;
}

struct good_case {
	const char *name;
	int hdr_le, env_kind, empty;
	enum shape shape;
	int wkb_le;
	uint32_t type;
};

static const struct good_case good_cases[] = {
	{ "point le/le no envelope", 1, 0, 0, S_POINT, 1, 1 },
	{ "point be header", 0, 0, 0, S_POINT, 1, 1 },
	{ "polygon xy envelope", 1, 1, 0, S_POLYGON, 1, 3 },
	{ "polygon be/be xy envelope", 0, 1, 0, S_POLYGON, 0, 3 },
	{ "polygon le header, be wkb", 1, 2, 0, S_POLYGON, 0, 3 },
	{ "polygon Z, xyz envelope", 1, 2, 0, S_POLYGON_Z, 1, 1003 },
	{ "polygon M, xym envelope", 0, 3, 0, S_POLYGON_M, 1, 2003 },
	{ "polygon EWKB ZM, xyzm envelope", 1, 4, 0, S_POLYGON_EWKB_ZM, 0, 3003 },
	{ "multipolygon xyzm envelope", 0, 4, 0, S_MULTIPOLYGON, 1, 6 },
	{ "multipolygon be wkb", 1, 1, 0, S_MULTIPOLYGON, 0, 6 },
	{ "collection", 1, 1, 0, S_COLLECTION, 1, 7 },
	{ "collection be", 0, 0, 0, S_COLLECTION, 0, 7 },
	{ "empty point NaN NaN", 1, 0, 1, S_EMPTY_POINT, 1, 1 },
	{ "empty polygon 0 rings", 0, 0, 1, S_EMPTY_POLYGON, 0, 3 },
};

static void check_good(const struct good_case *c)
{
	static const size_t env_bytes[] = { 0, 32, 48, 48, 64 };
	struct buf b = { .n = 0 }, w = { .n = 0 };
	struct gpkg_blob out;
	char err[256] = "";
	size_t used = 0;

	put_gpkg_header(&b, c->hdr_le, c->env_kind, c->empty, 28992);
	put_shape(&w, c->shape, c->wkb_le);
	memcpy(b.b + b.n, w.b, w.n);
	b.n += w.n;
	if (parse_exact(b.b, b.n, &out, err, sizeof err) != 0)
		fail_msg("%s: %s", c->name, err);
	assert_int_equal(out.srs_id, 28992);
	assert_int_equal(out.empty, c->empty);
	assert_int_equal(out.envelope_kind, c->env_kind);
	for (size_t i = 0; i < env_bytes[c->env_kind] / 8; i++)
		assert_true(out.envelope[i] == 100.0 + (double)i);
	assert_ptr_equal(out.wkb, b.b + 8 + env_bytes[c->env_kind]);
	assert_int_equal(out.wkb_len, w.n);
	assert_int_equal(out.wkb_type, c->type);
	assert_int_equal(wkb_measure(w.b, w.n, &used, err, sizeof err), 0);
	assert_int_equal(used, w.n);
}

static void test_good_blobs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof good_cases / sizeof *good_cases; i++)
		check_good(&good_cases[i]);
}

static void test_negative_srs(void **state)
{
	struct buf b = { .n = 0 };
	struct gpkg_blob out;
	char err[128];

	(void)state;
	put_gpkg_header(&b, 0, 0, 0, -1);
	put_point(&b, 1, 1, 2);
	assert_int_equal(parse_exact(b.b, b.n, &out, err, sizeof err), 0);
	assert_int_equal(out.srs_id, -1);
}

/* A valid polygon blob (xy envelope, little-endian) to mutate. */
static void valid_polygon_blob(struct buf *b)
{
	b->n = 0;
	put_gpkg_header(b, 1, 1, 0, 28992);
	put_square(b, 1, 3, 2, 0, 1);
}

enum mutation { M_MAGIC, M_VERSION, M_ENV5, M_ENV6, M_ENV7, M_EXTENDED, M_HDR_TINY,
		M_ENV_CUT, M_XYZM_CUT, M_TRAILING, M_TYPE99, M_TYPE4003, M_TYPE_CURVE,
		M_BYTE_ORDER, M_RINGS_HUGE, M_POINTS_HUGE, M_NO_WKB, M_EWKB_SRID };

struct bad_case {
	const char *name;
	enum mutation m;
	const char *expect; /* substring of err */
};

static const struct bad_case bad_cases[] = {
	{ "bad magic", M_MAGIC, "not a GeoPackage geometry: magic 0x4142" },
	{ "version 1", M_VERSION, "unsupported GeoPackage version 1" },
	{ "envelope 5", M_ENV5, "bad envelope indicator 5" },
	{ "envelope 6", M_ENV6, "bad envelope indicator 6" },
	{ "envelope 7", M_ENV7, "bad envelope indicator 7" },
	{ "extended type", M_EXTENDED, "extended GeoPackage type not supported" },
	{ "header cut", M_HDR_TINY, "truncated: header needs 8 bytes, blob has 5" },
	{ "envelope cut", M_ENV_CUT, "truncated: header needs 40 bytes, blob has 12" },
	{ "xyzm envelope cut", M_XYZM_CUT, "truncated: header needs 72 bytes, blob has 40" },
	{ "trailing bytes", M_TRAILING, "4 bytes after the end of the WKB geometry" },
	{ "type 99", M_TYPE99, "unknown WKB geometry type 99" },
	{ "type 4003", M_TYPE4003, "unknown WKB geometry type 4003" },
	{ "circularstring", M_TYPE_CURVE, "unknown WKB geometry type 8" },
	{ "byte order 2", M_BYTE_ORDER, "bad WKB byte order 2" },
	{ "0xFFFFFFFF rings", M_RINGS_HUGE, "polygon has 4294967295 rings, only" },
	{ "0xFFFFFFFF points", M_POINTS_HUGE, "truncated WKB: polygon ring 1 needs 68719476720" },
	{ "no WKB at all", M_NO_WKB, "truncated WKB: geometry header needs 5 bytes, 0 left" },
	{ "EWKB SRID", M_EWKB_SRID, "SRID" },
};

static void set_u32le(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void mutate(struct buf *b, enum mutation m)
{
	const size_t wkb = 40; /* 8 header + 32 envelope */

	switch (m) {
	case M_MAGIC: b->b[0] = 'A'; b->b[1] = 'B'; break;
	case M_VERSION: b->b[2] = 1; break;
	case M_ENV5: b->b[3] = 1 | 5 << 1; break;
	case M_ENV6: b->b[3] = 1 | 6 << 1; break;
	case M_ENV7: b->b[3] = 1 | 7 << 1; break;
	case M_EXTENDED: b->b[3] |= 0x20; break;
	case M_HDR_TINY: b->n = 5; break;
	case M_ENV_CUT: b->n = 12; break;
	case M_XYZM_CUT: b->b[3] = 1 | 4 << 1; b->n = 40; break;
	case M_TRAILING: memset(b->b + b->n, 0, 4); b->n += 4; break;
	case M_TYPE99: set_u32le(b->b + wkb + 1, 99); break;
	case M_TYPE4003: set_u32le(b->b + wkb + 1, 4003); break;
	case M_TYPE_CURVE: set_u32le(b->b + wkb + 1, 8); break;
	case M_BYTE_ORDER: b->b[wkb] = 2; break;
	case M_RINGS_HUGE: set_u32le(b->b + wkb + 5, 0xFFFFFFFFu); break;
	case M_POINTS_HUGE: set_u32le(b->b + wkb + 9, 0xFFFFFFFFu); break;
	case M_NO_WKB: b->n = wkb; break;
	case M_EWKB_SRID: set_u32le(b->b + wkb + 1, 0x20000003u); break;
	}
}

static void test_bad_blobs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
		const struct bad_case *c = &bad_cases[i];
		struct buf b;
		struct gpkg_blob out;
		char err[256] = "";

		valid_polygon_blob(&b);
		mutate(&b, c->m);
		if (parse_exact(b.b, b.n, &out, err, sizeof err) != -EINVAL)
			fail_msg("%s: accepted", c->name);
		if (!strstr(err, c->expect))
			fail_msg("%s: got \"%s\", want \"%s\"", c->name, err, c->expect);
	}
}

/* Every proper prefix of a valid blob is refused with a message; none crashes or overreads. */
static void test_every_truncation(void **state)
{
	struct buf b;
	struct gpkg_blob out;
	char err[256];

	(void)state;
	valid_polygon_blob(&b);
	for (size_t len = 0; len < b.n; len++) {
		err[0] = '\0';
		assert_int_equal(parse_exact(b.b, len, &out, err, sizeof err), -EINVAL);
		assert_true(strlen(err) > 0);
	}
	assert_int_equal(parse_exact(b.b, b.n, &out, err, sizeof err), 0);
}

static void test_ring_message(void **state)
{
	struct buf b;
	struct gpkg_blob out;
	char err[256] = "";

	(void)state;
	valid_polygon_blob(&b);
	b.n -= 48; /* the hole (ring 2) has 80 bytes of points; 32 remain */
	assert_int_equal(parse_exact(b.b, b.n, &out, err, sizeof err), -EINVAL);
	assert_string_equal(err, "truncated WKB: polygon ring 2 needs 80 bytes, 32 left");
}

/* Flipping any byte to a few values must give 0 or -EINVAL, never a crash. */
static void test_flipped_bytes(void **state)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x02, 0x07, 0x80, 0xff };
	struct buf b, m;
	struct gpkg_blob out;
	char err[256];

	(void)state;
	b.n = 0;
	put_gpkg_header(&b, 1, 1, 0, 28992);
	put_collection(&b, 1);
	for (size_t i = 0; i < b.n; i++) {
		for (size_t v = 0; v < sizeof vals; v++) {
			m = b;
			m.b[i] = vals[v];
			int rc = parse_exact(m.b, m.n, &out, err, sizeof err);
			assert_true(rc == 0 || rc == -EINVAL);
			if (rc == 0)
				assert_true(out.wkb_len <= m.n);
		}
	}
}

static void put_nested(struct buf *b, int levels)
{
	for (int i = 0; i < levels; i++) {
		put_head(b, 1, 7);
		put_u32(b, 1, 1);
	}
	put_point(b, 1, 1, 2);
}

static void test_nesting_limit(void **state)
{
	struct buf b = { .n = 0 };
	char err[256] = "";
	size_t used;

	(void)state;
	put_nested(&b, 31); /* 32 levels with the point */
	assert_int_equal(wkb_measure(b.b, b.n, &used, err, sizeof err), 0);
	assert_int_equal(used, b.n);
	b.n = 0;
	put_nested(&b, 32);
	assert_int_equal(wkb_measure(b.b, b.n, &used, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "nested deeper than 32"));
}

struct measure_case {
	const char *name;
	void (*build)(struct buf *b);
	const char *expect;
};

static void build_huge_parts(struct buf *b)
{
	put_head(b, 1, 6);
	put_u32(b, 0xFFFFFFFFu, 1);
	put_square(b, 1, 3, 2, 0, 0);
}

static void build_point_in_multipolygon(struct buf *b)
{
	put_head(b, 0, 6);
	put_u32(b, 1, 0);
	put_point(b, 0, 1, 2);
}

static void build_huge_linestring(struct buf *b)
{
	put_head(b, 0, 1002);
	put_u32(b, 0x10000000u, 0);
	put_coords(b, 0, 3, 1, 2);
}

static void build_big_collection_cut(struct buf *b)
{
	put_head(b, 1, 7);
	put_u32(b, 2, 1);
	put_point(b, 1, 1, 2);
}

static const struct measure_case measure_cases[] = {
	{ "0xFFFFFFFF parts", build_huge_parts, "multipolygon has 4294967295 parts, only 93" },
	{ "point in multipolygon", build_point_in_multipolygon, "WKB point inside a multipolygon" },
	{ "2^28 linestring points", build_huge_linestring,
	  "truncated WKB: linestring needs 6442450944 bytes, 24 left" },
	{ "collection missing part", build_big_collection_cut,
	  "truncated WKB: geometry header needs 5 bytes, 0 left" },
};

static void test_measure_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof measure_cases / sizeof *measure_cases; i++) {
		const struct measure_case *c = &measure_cases[i];
		struct buf b = { .n = 0 };
		char err[256] = "";
		size_t used;
		uint8_t *p;

		c->build(&b);
		p = exact_copy(b.b, b.n);
		int rc = wkb_measure(p, b.n, &used, err, sizeof err);
		free(p);
		if (rc != -EINVAL || !strstr(err, c->expect))
			fail_msg("%s: rc %d, got \"%s\", want \"%s\"", c->name, rc, err, c->expect);
	}
}

static void test_measure_stops_at_end(void **state)
{
	struct buf b = { .n = 0 };
	char err[64];
	size_t used = 0;

	(void)state;
	put_point(&b, 1, 1, 2);
	put_u32(&b, 0xdeadbeef, 1);
	assert_int_equal(wkb_measure(b.b, b.n, &used, err, sizeof err), 0);
	assert_int_equal(used, 21);
	/* a NULL err is allowed */
	assert_int_equal(wkb_measure(b.b, 3, &used, NULL, 0), -EINVAL);
	assert_int_equal(gpkg_blob_parse(NULL, 0, &(struct gpkg_blob){ 0 }, NULL, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_blobs),
		cmocka_unit_test(test_negative_srs),
		cmocka_unit_test(test_bad_blobs),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_ring_message),
		cmocka_unit_test(test_flipped_bytes),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_measure_errors),
		cmocka_unit_test(test_measure_stops_at_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
