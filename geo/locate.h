/* Point-in-polygon lookups over many polygons (an STRtree of prepared geometries, nearest
 * polygon as fallback) and sampling of points inside a polygon on a national grid.
 * Input is WKB in RD New; uses the GEOS _r API through geom.h. No I/O, no logging. */
#ifndef HUB_LOCATE_H
#define HUB_LOCATE_H

#include <stddef.h>
#include <stdint.h>

#include "geo/geom.h"

struct locator;

/* Creates an empty locator bound to g (which must outlive it). NULL when out of memory.
 * Free with locator_free (accepts NULL). */
struct locator *locator_new(struct geom_ctx *g);
void locator_free(struct locator *loc);

/* Adds polygon wkb (copied into GEOS; not owned) under id. 0 or -EINVAL/-ENOMEM with err.
 * Add every polygon before the first lookup. */
int locator_add(struct locator *loc, const uint8_t *wkb, size_t len, int64_t id,
		char *err, size_t errlen);

/* The id of a polygon containing (x, y) (the lowest id when several do), or -1. */
int64_t locator_find(struct locator *loc, double x, double y);

/* Like locator_find, but when no polygon contains the point, the id of the nearest polygon
 * within max_dist_m (distance in *dist_m, 0 when inside), else -1. */
int64_t locator_find_near(struct locator *loc, double x, double y, double max_dist_m,
			  double *dist_m);

/* Like locator_find_near, but only among the polygons whose id accept(user, id) approves
 * (accept NULL: all); max_dist_m may be INFINITY (the nearest approved polygon at any
 * distance). -1 when no approved polygon qualifies. */
int64_t locator_find_where(struct locator *loc, double x, double y, double max_dist_m,
			   int (*accept)(void *user, int64_t id), void *user, double *dist_m);

/* Number of polygons added. */
size_t locator_count(const struct locator *loc);

/* Samples points inside the polygon wkb on the national grid of spacing_m (points at
 * (k + 0.5) * spacing_m in both axes, so neighbouring areas never share a point). A
 * polygon that holds no grid point gets one point on its surface. *xy is malloc'd
 * (x0, y0, x1, y1, ...; caller frees), *n >= 1. 0 or -EINVAL/-ENOMEM with err. */
int geo_sample_polygon(struct geom_ctx *g, const uint8_t *wkb, size_t len, double spacing_m,
		       double **xy, size_t *n, char *err, size_t errlen);

#endif
