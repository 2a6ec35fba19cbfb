/* Point-in-polygon over many polygons with a GEOS STRtree of prepared geometries, and
 * polygon sampling on a fixed national grid. Everything GEOS-allocated here is owned by
 * the locator or freed before return; lookups allocate one point geometry each. */
#include "geo/locate.h"

#include "geo/geom_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

struct locator_item {
	int64_t id;
	GEOSGeometry *geom;
	const GEOSPreparedGeometry *prep;
};

struct locator {
	struct geom_ctx *g;
	GEOSSTRtree *tree;
	struct locator_item *items;
	size_t n, cap;
};

struct locator *locator_new(struct geom_ctx *g)
{
	struct locator *loc = calloc(1, sizeof *loc);
	if (!loc)
		return NULL;
	loc->g = g;
	loc->tree = GEOSSTRtree_create_r(geom_ctx_handle(g), 10);
	if (!loc->tree) {
		free(loc);
		return NULL;
	}
	return loc;
}

void locator_free(struct locator *loc)
{
	if (!loc)
		return;
	GEOSContextHandle_t h = geom_ctx_handle(loc->g);
	GEOSSTRtree_destroy_r(h, loc->tree);
	for (size_t i = 0; i < loc->n; i++) {
		GEOSPreparedGeom_destroy_r(h, loc->items[i].prep);
		GEOSGeom_destroy_r(h, loc->items[i].geom);
	}
	free(loc->items);
	free(loc);
}

size_t locator_count(const struct locator *loc)
{
	return loc->n;
}

static int grow(struct locator *loc)
{
	if (loc->n < loc->cap)
		return 0;
	size_t cap = loc->cap ? loc->cap * 2 : 256;
	struct locator_item *items = realloc(loc->items, cap * sizeof *items);
	if (!items)
		return -ENOMEM;
	loc->items = items;
	loc->cap = cap;
	return 0;
}

int locator_add(struct locator *loc, const uint8_t *wkb, size_t len, int64_t id,
		char *err, size_t errlen)
{
	GEOSContextHandle_t h = geom_ctx_handle(loc->g);
	if (grow(loc) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	GEOSGeometry *geom = geom_from_wkb(loc->g, wkb, len, err, errlen);
	if (!geom)
		return -EINVAL;
	const GEOSPreparedGeometry *prep = GEOSPrepare_r(h, geom);
	if (!prep) {
		snprintf(err, errlen, "prepare: %s", geom_ctx_last_error(loc->g));
		GEOSGeom_destroy_r(h, geom);
		return -ENOMEM;
	}
	struct locator_item *it = &loc->items[loc->n];
	it->id = id;
	it->geom = geom;
	it->prep = prep;
	/* The tree stores the index into items, offset by one so that 0 is never a pointer. */
	GEOSSTRtree_insert_r(h, loc->tree, geom, (void *)(uintptr_t)(loc->n + 1));
	loc->n++;
	return 0;
}

struct find_state {
	struct locator *loc;
	const GEOSGeometry *pt;
	int64_t best;
	int (*accept)(void *user, int64_t id);   /* NULL = every polygon */
	void *user;
};

static int accepted(const struct find_state *s, int64_t id)
{
	return !s->accept || s->accept(s->user, id);
}

static void find_cb(void *item, void *userdata)
{
	struct find_state *s = userdata;
	struct locator_item *it = &s->loc->items[(uintptr_t)item - 1];
	if ((s->best >= 0 && it->id >= s->best) || !accepted(s, it->id))
		return;
	/* Covers, not contains: a point on a shared boundary belongs to both polygons. */
	if (GEOSPreparedCovers_r(geom_ctx_handle(s->loc->g), it->prep, s->pt) == 1)
		s->best = it->id;
}

static int64_t find_with(struct find_state *s, double x, double y)
{
	GEOSContextHandle_t h = geom_ctx_handle(s->loc->g);
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
	if (!pt)
		return -1;
	s->pt = pt;
	GEOSSTRtree_query_r(h, s->loc->tree, pt, find_cb, s);
	GEOSGeom_destroy_r(h, pt);
	return s->best;
}

int64_t locator_find(struct locator *loc, double x, double y)
{
	struct find_state s = {loc, NULL, -1, NULL, NULL};
	return find_with(&s, x, y);
}

/* Polygons that are not accepted are infinitely far, so the search never returns one
 * while an accepted polygon exists. */
static int nearest_dist(const void *item, const void *geom, double *distance, void *userdata)
{
	struct find_state *s = userdata;
	struct locator_item *it = &s->loc->items[(uintptr_t)item - 1];
	if (!accepted(s, it->id)) {
		*distance = INFINITY;
		return 1;
	}
	return GEOSDistance_r(geom_ctx_handle(s->loc->g), it->geom, geom, distance);
}

static int64_t nearest_with(struct find_state *s, double x, double y, double max_dist_m,
			    double *dist_m)
{
	GEOSContextHandle_t h = geom_ctx_handle(s->loc->g);
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
	int64_t id = -1;
	if (!pt)
		return -1;
	const void *item = GEOSSTRtree_nearest_generic_r(h, s->loc->tree, pt, pt, nearest_dist, s);
	if (item) {
		struct locator_item *it = &s->loc->items[(uintptr_t)item - 1];
		if (accepted(s, it->id) && GEOSDistance_r(h, it->geom, pt, dist_m) == 1 &&
		    *dist_m <= max_dist_m)
			id = it->id;
	}
	GEOSGeom_destroy_r(h, pt);
	return id;
}

int64_t locator_find_where(struct locator *loc, double x, double y, double max_dist_m,
			   int (*accept)(void *user, int64_t id), void *user, double *dist_m)
{
	struct find_state s = {loc, NULL, -1, accept, user};
	int64_t id = find_with(&s, x, y);
	*dist_m = 0;
	if (id >= 0 || loc->n == 0 || max_dist_m <= 0)
		return id;
	return nearest_with(&s, x, y, max_dist_m, dist_m);
}

int64_t locator_find_near(struct locator *loc, double x, double y, double max_dist_m,
			  double *dist_m)
{
	return locator_find_where(loc, x, y, max_dist_m, NULL, NULL, dist_m);
}

static int push_xy(double **xy, size_t *n, size_t *cap, double x, double y)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		double *p = realloc(*xy, 2 * c * sizeof *p);
		if (!p)
			return -ENOMEM;
		*xy = p;
		*cap = c;
	}
	(*xy)[2 * *n] = x;
	(*xy)[2 * *n + 1] = y;
	(*n)++;
	return 0;
}

static int sample_grid(GEOSContextHandle_t h, const GEOSPreparedGeometry *prep,
		       const struct geom_bbox *b, double s, double **xy, size_t *n)
{
	size_t cap = 0;
	double x0 = (floor(b->minx / s - 0.5) + 0.5) * s, y0 = (floor(b->miny / s - 0.5) + 0.5) * s;
	for (double y = y0; y <= b->maxy; y += s)
		for (double x = x0; x <= b->maxx; x += s) {
			if (x < b->minx || y < b->miny)
				continue;
			GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
			int in = pt ? GEOSPreparedContains_r(h, prep, pt) : -1;
			GEOSGeom_destroy_r(h, pt);
			if (in < 0 || (in == 1 && push_xy(xy, n, &cap, x, y) < 0))
				return -ENOMEM;
		}
	return 0;
}

static int surface_point(GEOSContextHandle_t h, const GEOSGeometry *geom, double **xy,
			 size_t *n)
{
	size_t cap = 0;
	double x = 0, y = 0;
	GEOSGeometry *p = GEOSPointOnSurface_r(h, geom);
	int ok = p && GEOSGeomGetX_r(h, p, &x) == 1 && GEOSGeomGetY_r(h, p, &y) == 1;
	GEOSGeom_destroy_r(h, p);
	return ok ? push_xy(xy, n, &cap, x, y) : -EINVAL;
}

int geo_sample_polygon(struct geom_ctx *g, const uint8_t *wkb, size_t len, double spacing_m,
		       double **xy, size_t *n, char *err, size_t errlen)
{
	GEOSContextHandle_t h = geom_ctx_handle(g);
	struct geom_bbox b;
	const GEOSPreparedGeometry *prep = NULL;
	int rc = -EINVAL;

	*xy = NULL;
	*n = 0;
	GEOSGeometry *geom = geom_from_wkb(g, wkb, len, err, errlen);
	if (!geom)
		return -EINVAL;
	if (geom_bbox(g, wkb, len, &b, err, errlen) < 0 || !(prep = GEOSPrepare_r(h, geom)))
		goto fail;
	rc = sample_grid(h, prep, &b, spacing_m, xy, n);
	if (rc == 0 && *n == 0)
		rc = surface_point(h, geom, xy, n);
	if (rc < 0)
		snprintf(err, errlen, "sampling failed: %s", geom_ctx_last_error(g));
fail:
	GEOSPreparedGeom_destroy_r(h, prep);
	GEOSGeom_destroy_r(h, geom);
	if (rc < 0) {
		free(*xy);
		*xy = NULL;
		*n = 0;
	}
	return rc;
}
