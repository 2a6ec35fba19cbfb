/* Decodes GeoPackage geometry blobs (OGC 12-128r18 §2.1.3) and walks the WKB behind them.
 * Every read is bounds-checked against the bytes actually present and every count is
 * checked against the bytes left before it is used, so hostile blobs only produce -EINVAL.
 * Must not allocate, call GEOS or sqlite, or trust any length or count found in the blob. */
#include "geo/gpkg_blob.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define WKB_MAX_DEPTH 32
#define WKB_MIN_PART 9 /* byte order + type + one count: the smallest possible geometry */

/* A read position in one WKB buffer and where to report errors. */
struct wkb_cur {
	const uint8_t *buf;
	size_t len;
	size_t off;
	char *err;
	size_t errlen;
};

/* What a WKB geometry header says. */
struct wkb_head {
	int le;              /* 1 little-endian (NDR), 0 big-endian (XDR) */
	uint32_t base;       /* 1..7 */
	uint32_t iso;        /* base + 1000 * (z + 2 * m) */
	size_t point_size;   /* bytes per coordinate: 16, 24 or 32 */
};

static const char *const wkb_names[] = {
	"geometry", "point", "linestring", "polygon",
	"multipoint", "multilinestring", "multipolygon", "geometrycollection",
};

__attribute__((format(printf, 3, 4)))
static int fail_inval(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static uint32_t get_u32(const uint8_t *p, int le)
{
	if (le)
		return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		       (uint32_t)p[3] << 24;
	return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

static double get_f64(const uint8_t *p, int le)
{
	uint64_t hi = get_u32(le ? p + 4 : p, le);
	uint64_t lo = get_u32(le ? p : p + 4, le);
	uint64_t bits = hi << 32 | lo;
	double d;
	memcpy(&d, &bits, sizeof d);
	return d;
}

static size_t cur_left(const struct wkb_cur *c)
{
	return c->len - c->off;
}

/* Splits a type code (ISO 1000/2000/3000 offsets or EWKB 0x80000000/0x40000000 flags). */
static int decode_type(uint32_t raw, struct wkb_head *h, char *err, size_t errlen)
{
	uint32_t z = (raw & 0x80000000u) != 0, m = (raw & 0x40000000u) != 0;
	uint32_t code = raw & 0x0fffffffu;

	if (raw & 0x20000000u)
		return fail_inval(err, errlen, "EWKB with embedded SRID (type 0x%08x) not supported",
				  (unsigned)raw);
	if ((z || m) && code >= 1000)
		return fail_inval(err, errlen, "unknown WKB geometry type 0x%08x", (unsigned)raw);
	if (code >= 1000) {
		z = code / 1000 == 1 || code / 1000 == 3;
		m = code / 1000 == 2 || code / 1000 == 3;
		if (code >= 4000)
			return fail_inval(err, errlen, "unknown WKB geometry type %u", (unsigned)raw);
		code %= 1000;
	}
	if (code < 1 || code > 7)
		return fail_inval(err, errlen, "unknown WKB geometry type %u", (unsigned)raw);
	h->base = code;
	h->iso = code + 1000 * (z + 2 * m);
	h->point_size = 8 * (2 + z + m);
	return 0;
}

static int read_head(struct wkb_cur *c, struct wkb_head *h)
{
	const uint8_t *p = c->buf + c->off;

	if (cur_left(c) < 5)
		return fail_inval(c->err, c->errlen,
				  "truncated WKB: geometry header needs 5 bytes, %zu left",
				  cur_left(c));
	if (p[0] > 1)
		return fail_inval(c->err, c->errlen, "bad WKB byte order %u", (unsigned)p[0]);
	h->le = p[0];
	c->off += 5;
	return decode_type(get_u32(p + 1, h->le), h, c->err, c->errlen);
}

static int read_count(struct wkb_cur *c, const struct wkb_head *h, const char *what,
		      uint32_t *n)
{
	if (cur_left(c) < 4)
		return fail_inval(c->err, c->errlen, "truncated WKB: %s count needs 4 bytes, %zu left",
				  what, cur_left(c));
	*n = get_u32(c->buf + c->off, h->le);
	c->off += 4;
	return 0;
}

/* Skips n points; n * point_size stays below 2^38, so 64-bit arithmetic cannot overflow. */
static int skip_points(struct wkb_cur *c, const struct wkb_head *h, uint32_t n,
		       const char *what, uint32_t index)
{
	uint64_t need = (uint64_t)n * h->point_size;

	if (need > (uint64_t)cur_left(c)) {
		if (index)
			return fail_inval(c->err, c->errlen,
					  "truncated WKB: %s %u needs %llu bytes, %zu left", what,
					  (unsigned)index, (unsigned long long)need, cur_left(c));
		return fail_inval(c->err, c->errlen, "truncated WKB: %s needs %llu bytes, %zu left",
				  what, (unsigned long long)need, cur_left(c));
	}
	c->off += (size_t)need;
	return 0;
}

static int walk_polygon(struct wkb_cur *c, const struct wkb_head *h)
{
	uint32_t nrings = 0, npoints = 0;
	int rc = read_count(c, h, "polygon ring", &nrings);

	if (rc)
		return rc;
	if ((uint64_t)nrings * 4 > (uint64_t)cur_left(c))
		return fail_inval(c->err, c->errlen,
				  "truncated WKB: polygon has %u rings, only %zu bytes left",
				  (unsigned)nrings, cur_left(c));
	for (uint32_t i = 0; i < nrings; i++) {
		rc = read_count(c, h, "polygon ring point", &npoints);
		if (!rc)
			rc = skip_points(c, h, npoints, "polygon ring", i + 1);
		if (rc)
			return rc;
	}
	return 0;
}

static int walk_geometry(struct wkb_cur *c, int depth, uint32_t want_base);

static int walk_collection(struct wkb_cur *c, const struct wkb_head *h, int depth)
{
	uint32_t nparts = 0, want = h->base == 7 ? 0 : h->base - 3;
	int rc = read_count(c, h, wkb_names[h->base], &nparts);

	if (rc)
		return rc;
	if ((uint64_t)nparts * WKB_MIN_PART > (uint64_t)cur_left(c))
		return fail_inval(c->err, c->errlen,
				  "truncated WKB: %s has %u parts, only %zu bytes left",
				  wkb_names[h->base], (unsigned)nparts, cur_left(c));
	for (uint32_t i = 0; i < nparts; i++) {
		rc = walk_geometry(c, depth + 1, want);
		if (rc)
			return rc;
	}
	return 0;
}

/* Walks one geometry; want_base (1..3) requires that type, as the parts of a Multi* must. */
static int walk_geometry(struct wkb_cur *c, int depth, uint32_t want_base)
{
	struct wkb_head h;
	uint32_t n = 0;
	int rc;

	if (depth > WKB_MAX_DEPTH)
		return fail_inval(c->err, c->errlen, "WKB nested deeper than %d levels",
				  WKB_MAX_DEPTH);
	rc = read_head(c, &h);
	if (rc)
		return rc;
	if (want_base && h.base != want_base)
		return fail_inval(c->err, c->errlen, "WKB %s inside a %s", wkb_names[h.base],
				  wkb_names[want_base + 3]);
	switch (h.base) {
	case 1:
		return skip_points(c, &h, 1, "point", 0);
	case 2:
		rc = read_count(c, &h, "linestring point", &n);
		return rc ? rc : skip_points(c, &h, n, "linestring", 0);
	case 3:
		return walk_polygon(c, &h);
	default:
		return walk_collection(c, &h, depth);
	}
}

int wkb_measure(const uint8_t *wkb, size_t len, size_t *used, char *err, size_t errlen)
{
	struct wkb_cur c = { .buf = wkb, .len = wkb ? len : 0, .err = err, .errlen = errlen };
	int rc = walk_geometry(&c, 1, 0);

	if (rc)
		return rc;
	*used = c.off;
	return 0;
}

/* Checks magic, version and flags; sets the header length it implies. */
static int parse_prefix(const uint8_t *blob, size_t len, struct gpkg_blob *out, size_t *hlen,
			char *err, size_t errlen)
{
	static const size_t env_bytes[] = { 0, 32, 48, 48, 64 };
	unsigned kind;

	if (len < 8)
		return fail_inval(err, errlen, "truncated: header needs 8 bytes, blob has %zu", len);
	if (blob[0] != 'G' || blob[1] != 'P')
		return fail_inval(err, errlen, "not a GeoPackage geometry: magic 0x%02x%02x",
				  (unsigned)blob[0], (unsigned)blob[1]);
	if (blob[2] != 0)
		return fail_inval(err, errlen, "unsupported GeoPackage version %u",
				  (unsigned)blob[2]);
	if (blob[3] & 0x20)
		return fail_inval(err, errlen, "extended GeoPackage type not supported");
	kind = (blob[3] >> 1) & 7;
	if (kind > 4)
		return fail_inval(err, errlen, "bad envelope indicator %u", kind);
	out->envelope_kind = (int)kind;
	out->empty = (blob[3] & 0x10) != 0;
	*hlen = 8 + env_bytes[kind];
	if (len < *hlen)
		return fail_inval(err, errlen, "truncated: header needs %zu bytes, blob has %zu",
				  *hlen, len);
	return 0;
}

int gpkg_blob_parse(const uint8_t *blob, size_t len, struct gpkg_blob *out,
		    char *err, size_t errlen)
{
	struct wkb_head h;
	size_t hlen = 0, used = 0;
	int le, rc;

	memset(out, 0, sizeof *out);
	rc = parse_prefix(blob, blob ? len : 0, out, &hlen, err, errlen);
	if (rc)
		return rc;
	le = blob[3] & 1;
	out->srs_id = (int32_t)get_u32(blob + 4, le);
	for (size_t i = 0; 8 + 8 * i < hlen; i++)
		out->envelope[i] = get_f64(blob + 8 + 8 * i, le);
	rc = wkb_measure(blob + hlen, len - hlen, &used, err, errlen);
	if (rc)
		return rc;
	if (used != len - hlen)
		return fail_inval(err, errlen, "%zu bytes after the end of the WKB geometry",
				  len - hlen - used);
	decode_type(get_u32(blob + hlen + 1, blob[hlen]), &h, NULL, 0);
	out->wkb = blob + hlen;
	out->wkb_len = used;
	out->wkb_type = h.iso;
	return 0;
}
