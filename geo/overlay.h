/* Overlay measures between two polygon layers: how much of each polygon of one layer lies
 * on the polygons of another (e.g. an old buurt's land: its overlap with today's land
 * polygons). WKB in RD New in, plain numbers out; GEOS stays inside geo/. No I/O. */
#ifndef HUB_OVERLAY_H
#define HUB_OVERLAY_H

#include <stddef.h>
#include <stdint.h>

#include "geo/geom.h"

/* For each polygon a[i] (WKB a_wkb[i], a_len[i]; not owned), out_m2[i] = the sum over the
 * polygons b[j] of the area (m2) of a[i] ∩ b[j]; overlaps among the b polygons count once
 * per polygon. out_m2[i] = NaN when a[i] is degenerate: not a (multi)polygon (a point or a
 * line), unreadable, empty, of zero area, or one GEOS cannot intersect even repaired; such
 * an a[i] is skipped, not an error. Invalid b polygons are repaired (GEOSMakeValid) first,
 * an a polygon only when GEOS fails on it. Every b[j] must be a readable polygon. 0, or -EINVAL naming the bad b polygon, or -ENOMEM; with
 * err. */
int geo_overlap_areas(struct geom_ctx *g, const uint8_t *const *a_wkb, const size_t *a_len,
		      size_t na, const uint8_t *const *b_wkb, const size_t *b_len, size_t nb,
		      double *out_m2, char *err, size_t errlen);

/* inside[i] = 1 when the point (xy[2i], xy[2i+1]) lies in or on the polygon wkb (not
 * owned), else 0. 0, or -EINVAL / -ENOMEM with err. */
int geo_points_in_polygon(struct geom_ctx *g, const uint8_t *wkb, size_t len, const double *xy,
			  size_t n, uint8_t *inside, char *err, size_t errlen);

#endif
