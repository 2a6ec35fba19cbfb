/* A uniform-grid spatial index over points (RD New metres) for radius and nearest queries:
 * counting sort into square buckets, no per-query allocation. The index keeps a pointer to
 * the caller's coordinates, which must outlive it. No GEOS, no I/O. */
#ifndef HUB_GRID_INDEX_H
#define HUB_GRID_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct grid_index;

/* Indexes n points (xy[2i], xy[2i+1]) with square buckets of cell_m metres.
 * Returns NULL when out of memory. Free with grid_index_free (accepts NULL). */
struct grid_index *grid_index_new(const double *xy, size_t n, double cell_m);
void grid_index_free(struct grid_index *gi);

/* Calls fn(user, i, dist_m) for every point within radius_m of (x, y), in bucket order.
 * fn returns 0 to go on, non-zero to stop (that value is returned). */
int grid_index_radius(const struct grid_index *gi, double x, double y, double radius_m,
		      int (*fn)(void *user, uint32_t i, double dist_m), void *user);

/* The index of the point nearest to (x, y) within max_m (distance in *dist_m), or -1. */
int64_t grid_index_nearest(const struct grid_index *gi, double x, double y, double max_m,
			   double *dist_m);

#endif
