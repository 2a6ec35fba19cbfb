/* Decodes OGC GeoPackage geometry blobs (the "GP" header, flags, srs_id, envelope of
 * 0/32/48/64 bytes, the empty flag) and locates the standard WKB that follows.
 * Pure byte parsing: no GEOS, no sqlite, no allocation. */
#ifndef HUB_GPKG_BLOB_H
#define HUB_GPKG_BLOB_H

#include <stddef.h>
#include <stdint.h>

struct gpkg_blob {
	int32_t srs_id;
	int empty;                 /* 1 when the header's empty flag is set */
	int envelope_kind;         /* 0 none, 1 xy, 2 xyz, 3 xym, 4 xyzm */
	double envelope[8];        /* minx maxx miny maxy [minz maxz] [minm maxm], as stored */
	const uint8_t *wkb;        /* points into the caller's blob; not owned */
	size_t wkb_len;
	uint32_t wkb_type;         /* the WKB geometry type as an ISO code (e.g. 3, 1003 or 6);
				    * EWKB Z/M flags are translated to the ISO offsets */
};

/* Parses blob[0..len). On success fills out (out->wkb points inside blob) and returns 0.
 * Returns -EINVAL with a reason in err ("not a GeoPackage geometry: magic 0x4142",
 * "unsupported GeoPackage version 1", "truncated: header needs 40 bytes, blob has 12",
 * "bad envelope indicator 5", "extended GeoPackage type not supported",
 * "truncated WKB ...", "4 bytes after the end of the WKB geometry") for anything malformed.
 * Only version 0 (GeoPackage 1.x) and standard (non-extended) geometry types are accepted.
 * The WKB's own byte order and type are checked; its length is checked by a full walk
 * of the WKB structure (rings, points, nested collections), so a truncated or
 * over-long geometry is reported here, before GEOS sees it. */
int gpkg_blob_parse(const uint8_t *blob, size_t len, struct gpkg_blob *out,
		    char *err, size_t errlen);

/* Walks one WKB geometry at wkb[0..len) and sets *used to its exact byte length; bytes
 * after it are not looked at. Accepts types 1..7 with ISO Z/M/ZM offsets or EWKB Z/M flags,
 * either byte order, nesting up to 32 levels; Multi* parts must have the matching type.
 * Returns 0, or -EINVAL with a reason in err (truncated, unknown type, absurd count,
 * EWKB SRID flag). err may be NULL. */
int wkb_measure(const uint8_t *wkb, size_t len, size_t *used, char *err, size_t errlen);

#endif
