/* Helpers shared by the geometry and planner unit tests (tests/geo/test_grid_index.c,
 * test_locate.c, tests/plan/test_demand.c, test_candidates.c, test_cover_model.c): seeded
 * random numbers, a relative closeness check, little-endian WKB polygons built byte by byte
 * and prepared GEOS polygons for contains checks. Test-only code: failures end the running
 * cmocka test; never linked into the product. */
#ifndef HUB_WKB_FX_H
#define HUB_WKB_FX_H

#include <stddef.h>
#include <stdint.h>

#include "geo/geom.h"
#include "geo/geom_internal.h"

/* ---- random numbers (splitmix64, one global state) and closeness ---- */

void rng_seed(uint64_t s);
/* Uniform in [0, 1), then in [lo, hi). */
double rnd(void);
double urand(double lo, double hi);

/* Fails the test unless |got - want| <= rel * max(1, |want|); what and id name the value. */
void check_close(double got, double want, double rel, const char *what, int id);

/* ---- WKB polygons, held by value ---- */

struct wkb {
	uint8_t b[2048];
	size_t n;
};

/* A little-endian MultiPolygon holding one polygon; ring r has n[r] points (xy pairs, the
 * closing point is added here). */
struct wkb multipolygon(const double *const *rings, const size_t *n, size_t nrings);
struct wkb rect(double x0, double y0, double x1, double y1);
/* The square o (x0, y0, x1, y1) with the square hole h. */
struct wkb holed(const double o[4], const double h[4]);
/* The L of [x0,x1]x[y0,ym] plus [x0,xm]x[ym,y1]. */
struct wkb lshape(double x0, double y0, double x1, double y1, double xm, double ym);
/* A 100 m cell square exactly as the importer writes it: corner from "E1065N4005". */
struct wkb cell_wkb(const char *id);

/* ---- prepared polygons ---- */

/* A prepared polygon for contains checks; g is borrowed, the geometries are owned until
 * prep_deinit. */
struct prep {
	struct geom_ctx *g;
	GEOSGeometry *geom;
	const GEOSPreparedGeometry *p;
};

void prep_init(struct prep *p, struct geom_ctx *g, const uint8_t *wkb, size_t len);
/* 1 when (x, y) is inside the polygon, 0 when not. */
int prep_contains(const struct prep *p, double x, double y);
void prep_deinit(struct prep *p);

/* 1 when v is a centre of the grid of spacing s ((k + 0.5) * s). */
int on_grid(double v, double s);

#endif
