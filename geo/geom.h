/* GEOS glue for hubplanner: a per-thread context that captures GEOS error messages, polygon
 * repair (GEOSMakeValid) and small measures on WKB. Everything here takes and gives WKB
 * bytes: no GEOS type leaves geo/ (the GEOS-typed half is geo/geom_internal.h). */
#ifndef HUB_GEOM_H
#define HUB_GEOM_H

#include <stddef.h>
#include <stdint.h>

struct geom_ctx;

struct geom_bbox {
	double minx, miny, maxx, maxy;
};

/* Creates a GEOS context whose error and notice messages are kept in the struct.
 * Returns NULL on allocation failure. Free with geom_ctx_free() (accepts NULL). */
struct geom_ctx *geom_ctx_new(void);
void geom_ctx_free(struct geom_ctx *g);

/* The GEOS error message captured during the last call on g ("" when none; each geom_*
 * call clears it first). Owned by g, valid until the next call. */
const char *geom_ctx_last_error(const struct geom_ctx *g);

/* Takes polygonal WKB and produces a valid 2D MultiPolygon WKB (caller frees *out).
 * Invalid input is repaired with GEOSMakeValid and only its polygonal parts are kept;
 * *repaired is set to 1 when a repair was needed, else 0. An input that is not polygonal,
 * or that is empty after repair, gives -EINVAL with the reason in err. */
int geom_polygonal_normalize(struct geom_ctx *g, const uint8_t *wkb, size_t len,
			     uint8_t **out, size_t *outlen, int *repaired,
			     char *err, size_t errlen);

/* Merges n polygonal WKB geometries (e.g. the water parts of one municipality) into one
 * valid MultiPolygon WKB (caller frees *out) with GEOSUnaryUnion; when GEOS fails on
 * invalid parts they are repaired with GEOSMakeValid and the union retried once.
 * Returns 0 or a negative errno with err ("part 2: not polygonal: Point", "nothing to
 * merge" for n == 0, "empty after merge"). */
int geom_polygonal_merge(struct geom_ctx *g, const uint8_t *const *wkbs, const size_t *lens,
			 size_t n, uint8_t **out, size_t *outlen, char *err, size_t errlen);

/* Reads a point WKB (also a one-point MultiPoint). Returns 0 or -EINVAL with err
 * ("not a point: LineString", "empty point"). */
int geom_point_xy(struct geom_ctx *g, const uint8_t *wkb, size_t len, double *x, double *y,
		  char *err, size_t errlen);

/* Area (m2 for RD New) and bounding box of a WKB geometry. Return 0 or -EINVAL with err. */
int geom_area(struct geom_ctx *g, const uint8_t *wkb, size_t len, double *area,
	      char *err, size_t errlen);
int geom_bbox(struct geom_ctx *g, const uint8_t *wkb, size_t len, struct geom_bbox *bbox,
	      char *err, size_t errlen);

/* Builds the WKB of a point (21 bytes, little-endian) into out. Never fails. */
void geom_point_wkb(double x, double y, uint8_t out[21]);

#endif
