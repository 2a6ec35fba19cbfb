/* Helpers shared by the geometry and planner unit tests: seeded random numbers, closeness,
 * WKB polygons built byte by byte and prepared polygons (see wkb_fx.h). Test-only code. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tests/lib/wkb_fx.h"

static uint64_t rng_state;

void rng_seed(uint64_t s)
{
	rng_state = s;
}

double rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

double urand(double lo, double hi)
{
	return lo + (hi - lo) * rnd();
}

void check_close(double got, double want, double rel, const char *what, int id)
{
	if (fabs(got - want) <= rel * fmax(1.0, fabs(want)))
		return;
	print_error("%s %d: got %.12g, want %.12g\n", what, id, got, want);
	fail();
}

static void put_u8(struct wkb *w, unsigned v)
{
	assert_true(w->n < sizeof w->b);
	w->b[w->n++] = (uint8_t)v;
}

static void put_u32(struct wkb *w, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		put_u8(w, (v >> (8 * i)) & 0xff);
}

static void put_f64(struct wkb *w, double d)
{
	uint64_t bits;
	memcpy(&bits, &d, sizeof bits);
	for (int i = 0; i < 8; i++)
		put_u8(w, (unsigned)(bits >> (8 * i)) & 0xff);
}

struct wkb multipolygon(const double *const *rings, const size_t *n, size_t nrings)
{
	struct wkb w = {.n = 0};
	put_u8(&w, 1);
	put_u32(&w, 6);
	put_u32(&w, 1);
	put_u8(&w, 1);
	put_u32(&w, 3);
	put_u32(&w, (uint32_t)nrings);
	for (size_t r = 0; r < nrings; r++) {
		put_u32(&w, (uint32_t)n[r] + 1);
		for (size_t k = 0; k <= n[r]; k++) {
			put_f64(&w, rings[r][2 * (k % n[r])]);
			put_f64(&w, rings[r][2 * (k % n[r]) + 1]);
		}
	}
	return w;
}

struct wkb rect(double x0, double y0, double x1, double y1)
{
	const double ring[] = {x0, y0, x1, y0, x1, y1, x0, y1};
	const double *rings[] = {ring};
	const size_t n[] = {4};
	return multipolygon(rings, n, 1);
}

struct wkb holed(const double o[4], const double h[4])
{
	const double outer[] = {o[0], o[1], o[2], o[1], o[2], o[3], o[0], o[3]};
	const double hole[] = {h[0], h[1], h[0], h[3], h[2], h[3], h[2], h[1]};
	const double *rings[] = {outer, hole};
	const size_t n[] = {4, 4};
	return multipolygon(rings, n, 2);
}

struct wkb lshape(double x0, double y0, double x1, double y1, double xm, double ym)
{
	const double ring[] = {x0, y0, x1, y0, x1, ym, xm, ym, xm, y1, x0, y1};
	const double *rings[] = {ring};
	const size_t n[] = {6};
	return multipolygon(rings, n, 1);
}

struct wkb cell_wkb(const char *id)
{
	unsigned hx = 0, hy = 0;
	assert_int_equal(sscanf(id, "E%4uN%4u", &hx, &hy), 2);
	struct wkb w = rect(hx * 100.0, hy * 100.0, hx * 100.0 + 100, hy * 100.0 + 100);
	assert_int_equal(w.n, 102);
	return w;
}

void prep_init(struct prep *p, struct geom_ctx *g, const uint8_t *wkb, size_t len)
{
	char err[256];
	p->g = g;
	p->geom = geom_from_wkb(g, wkb, len, err, sizeof err);
	assert_non_null(p->geom);
	p->p = GEOSPrepare_r(geom_ctx_handle(g), p->geom);
	assert_non_null(p->p);
}

int prep_contains(const struct prep *p, double x, double y)
{
	GEOSContextHandle_t h = geom_ctx_handle(p->g);
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
	int in = GEOSPreparedContains_r(h, p->p, pt);
	GEOSGeom_destroy_r(h, pt);
	assert_true(in == 0 || in == 1);
	return in;
}

void prep_deinit(struct prep *p)
{
	GEOSPreparedGeom_destroy_r(geom_ctx_handle(p->g), p->p);
	GEOSGeom_destroy_r(geom_ctx_handle(p->g), p->geom);
}

int on_grid(double v, double s)
{
	double k = round(v / s - 0.5);
	return fabs(v - (k + 0.5) * s) < 1e-6;
}
