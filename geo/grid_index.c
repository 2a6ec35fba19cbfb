/* Uniform grid index: points are counting-sorted into buckets of a fixed size over their
 * bounding box; a radius query scans the buckets the circle's box touches, a nearest
 * query scans rings of buckets outwards. Memory: a uint32 and a copy of the coordinates
 * per point (in bucket order, so a scan reads memory in sequence) plus a uint32 per
 * bucket. */
#include "geo/grid_index.h"

#include <math.h>
#include <stdlib.h>

#define MAX_BUCKETS (1u << 26)

struct grid_index {
	const double *xy;
	size_t n;
	double minx, miny, cell;
	uint32_t nx, ny;
	uint32_t *start;              /* [nx*ny+1] bucket offsets into order */
	uint32_t *order;              /* [n] point indices by bucket */
	double *sxy;                  /* [2n] their coordinates, in the same order */
};

static void bounds(struct grid_index *gi, double *maxx, double *maxy)
{
	gi->minx = gi->miny = 0;
	*maxx = *maxy = 0;
	for (size_t i = 0; i < gi->n; i++) {
		double x = gi->xy[2 * i], y = gi->xy[2 * i + 1];
		if (i == 0 || x < gi->minx)
			gi->minx = x;
		if (i == 0 || y < gi->miny)
			gi->miny = y;
		if (i == 0 || x > *maxx)
			*maxx = x;
		if (i == 0 || y > *maxy)
			*maxy = y;
	}
}

static uint32_t bucket_of(const struct grid_index *gi, double x, double y)
{
	uint32_t bx = (uint32_t)((x - gi->minx) / gi->cell);
	uint32_t by = (uint32_t)((y - gi->miny) / gi->cell);
	if (bx >= gi->nx)
		bx = gi->nx - 1;
	if (by >= gi->ny)
		by = gi->ny - 1;
	return by * gi->nx + bx;
}

static int fill(struct grid_index *gi)
{
	size_t nb = (size_t)gi->nx * gi->ny;
	if (!(gi->start = calloc(nb + 1, sizeof *gi->start)) ||
	    !(gi->order = malloc((gi->n ? gi->n : 1) * sizeof *gi->order)) ||
	    !(gi->sxy = malloc((gi->n ? gi->n : 1) * 2 * sizeof *gi->sxy)))
		return -1;
	for (size_t i = 0; i < gi->n; i++)
		gi->start[bucket_of(gi, gi->xy[2 * i], gi->xy[2 * i + 1]) + 1]++;
	for (size_t b = 0; b < nb; b++)
		gi->start[b + 1] += gi->start[b];
	uint32_t *next = malloc((nb + 1) * sizeof *next);
	if (!next)
		return -1;
	for (size_t b = 0; b <= nb; b++)
		next[b] = gi->start[b];
	for (size_t i = 0; i < gi->n; i++)
		gi->order[next[bucket_of(gi, gi->xy[2 * i], gi->xy[2 * i + 1])]++] = (uint32_t)i;
	free(next);
	for (size_t k = 0; k < gi->n; k++) {
		gi->sxy[2 * k] = gi->xy[2 * gi->order[k]];
		gi->sxy[2 * k + 1] = gi->xy[2 * gi->order[k] + 1];
	}
	return 0;
}

struct grid_index *grid_index_new(const double *xy, size_t n, double cell_m)
{
	struct grid_index *gi = calloc(1, sizeof *gi);
	double maxx, maxy;
	if (!gi || n > UINT32_MAX)
		goto fail;
	gi->xy = xy;
	gi->n = n;
	gi->cell = cell_m > 0 ? cell_m : 1000;
	bounds(gi, &maxx, &maxy);
	while (((maxx - gi->minx) / gi->cell + 1) * ((maxy - gi->miny) / gi->cell + 1) > MAX_BUCKETS)
		gi->cell *= 2;
	gi->nx = (uint32_t)((maxx - gi->minx) / gi->cell) + 1;
	gi->ny = (uint32_t)((maxy - gi->miny) / gi->cell) + 1;
	if (fill(gi) < 0)
		goto fail;
	return gi;
fail:
	grid_index_free(gi);
	return NULL;
}

void grid_index_free(struct grid_index *gi)
{
	if (!gi)
		return;
	free(gi->start);
	free(gi->order);
	free(gi->sxy);
	free(gi);
}

static int clamp_range(double lo, double hi, double origin, double cell, uint32_t count,
		       uint32_t *a, uint32_t *b)
{
	double fa = floor((lo - origin) / cell), fb = floor((hi - origin) / cell);
	if (fb < 0 || fa >= count)
		return -1;
	*a = fa < 0 ? 0 : (uint32_t)fa;
	*b = fb >= count ? count - 1 : (uint32_t)fb;
	return 0;
}

int grid_index_radius(const struct grid_index *gi, double x, double y, double radius_m,
		      int (*fn)(void *user, uint32_t i, double dist_m), void *user)
{
	uint32_t x0, x1, y0, y1;
	double r2 = radius_m * radius_m;
	if (gi->n == 0 || clamp_range(x - radius_m, x + radius_m, gi->minx, gi->cell, gi->nx, &x0, &x1) ||
	    clamp_range(y - radius_m, y + radius_m, gi->miny, gi->cell, gi->ny, &y0, &y1))
		return 0;
	for (uint32_t by = y0; by <= y1; by++)
		for (uint32_t bx = x0; bx <= x1; bx++) {
			uint32_t b = by * gi->nx + bx;
			for (uint32_t k = gi->start[b]; k < gi->start[b + 1]; k++) {
				double dx = gi->sxy[2 * k] - x, dy = gi->sxy[2 * k + 1] - y;
				double d2 = dx * dx + dy * dy;
				int rc = d2 <= r2 ? fn(user, gi->order[k], sqrt(d2)) : 0;
				if (rc)
					return rc;
			}
		}
	return 0;
}

struct nearest_state {
	int64_t best;
	double best_d;
};

static int nearest_cb(void *user, uint32_t i, double d)
{
	struct nearest_state *s = user;
	if (s->best < 0 || d < s->best_d || (d == s->best_d && i < s->best)) {
		s->best = i;
		s->best_d = d;
	}
	return 0;
}

int64_t grid_index_nearest(const struct grid_index *gi, double x, double y, double max_m,
			   double *dist_m)
{
	struct nearest_state s = {-1, 0};
	/* Grow the search radius: a hit within r is final once r covers its distance. */
	for (double r = gi->cell; ; r *= 2) {
		double rr = r < max_m ? r : max_m;
		s.best = -1;
		grid_index_radius(gi, x, y, rr, nearest_cb, &s);
		if (s.best >= 0 || rr >= max_m)
			break;
	}
	if (s.best >= 0)
		*dist_m = s.best_d;
	return s.best;
}
