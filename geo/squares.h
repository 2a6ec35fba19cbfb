/* The places no site covers, as polygons: the union of the axis-parallel squares around
 * demand points (RD New), handed back as WKB. GEOS unions; no I/O, no logging. */
#ifndef HUB_SQUARES_H
#define HUB_SQUARES_H

#include <stddef.h>
#include <stdint.h>

#include "geo/geom.h"

/* Unions the squares of side side[i] metres centred on (xy[2i], xy[2i+1]) and writes the
 * result as 2D little-endian MultiPolygon WKB (a single polygon is wrapped) into *wkb
 * (malloc'd; caller frees) of *len bytes, with its bounding box in *bbox (all 0 when the
 * union is empty, as for n = 0). xy and side are not owned. Returns 0, or -ENOMEM/-EINVAL
 * with GEOS's reason in err ("union of 3 squares failed: ..."). */
int geo_squares_union_wkb(struct geom_ctx *g, const double *xy, const double *side, size_t n,
			  uint8_t **wkb, size_t *len, struct geom_bbox *bbox,
			  char *err, size_t errlen);

#endif
