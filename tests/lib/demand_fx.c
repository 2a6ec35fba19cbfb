/* The hand-made planning model and demand builders shared by the planner's unit tests (see
 * demand_fx.h for the model). Test-only code. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/demand_fx.h"

static const double bu1_ring[] = {100000, 400000, 102000, 400000, 102000, 402000,
				  101000, 402000, 101000, 403000, 100000, 403000};
static const double bu2_ring[] = {101000, 402000, 102000, 402000, 102000, 404000,
				  100000, 404000, 100000, 403000, 101000, 403000};

#define U NAN
const struct area_def model_defs[NAREAS] = {
	[GM1] = {1, "GM0001", "", "", 9000, U, 20, 0.8, 2, SH_RECT, {100000, 400000, 106000, 404000}},
	[WK101] = {2, "WK000101", "GM0001", "", 6000, U, 18, 0.9, 2, SH_RECT,
		   {100000, 400000, 102000, 404000}},
	[BU1] = {3, "BU00010001", "GM0001", "WK000101", 2500, U, 10, 0.5, 1, SH_POLY, {0},
		 bu1_ring, 6},
	[BU2] = {3, "BU00010002", "GM0001", "WK000101", 3500, U, U, 0.6, 4, SH_POLY, {0},
		 bu2_ring, 6},
	[WK102] = {2, "WK000102", "GM0001", "", 3000, U, 25, U, 5, SH_HOLED,
		   {102000, 400000, 104000, 404000, 102500, 401000, 103500, 403000}},
	[WK103] = {2, "WK000103", "GM0001", "", U, U, 20, 1, 3, SH_RECT,
		   {104000, 400000, 106000, 404000}},
	[GM2] = {1, "GM0002", "", "", 500, U, 30, 0.7, 1, SH_RECT, {106000, 400000, 110000, 404000}},
	[WK201] = {2, "WK000201", "GM0002", "", 200, U, 20, 0.5, 4, SH_RECT,
		   {106000, 400000, 108000, 404000}},
	[BU201] = {3, "BU00020101", "GM0002", "WK000201", 120, U, 15, 0.4, 2, SH_RECT,
		   {106000, 400000, 108000, 402000}},
	[BU202] = {3, "BU00020102", "GM0002", "WK000201", 80, U, U, U, 0, SH_RECT,
		   {106000, 402000, 108000, 404000}},
	[WK202] = {2, "WK000202", "GM0002", "", 300, U, 25, 0.9, 3, SH_RECT,
		   {108000, 400000, 110000, 404000}},
	[C1] = {4, "E1065N4005", "", "", 50, 10, U, U, 0, SH_CELL, {0}},
	[C2] = {4, "E1070N4030", "", "", 40, U, U, U, 0, SH_CELL, {0}},
	[C3] = {4, "E1090N4010", "", "", 30, 6, U, U, 0, SH_CELL, {0}},
	[C4] = {4, "E1100N4010", "", "", 20, 0, U, U, 0, SH_CELL, {0}},
	[C5] = {4, "E1110N4010", "", "", 15, 3, U, U, 0, SH_CELL, {0}},
	[C6] = {4, "E1080N4020", "", "", U, U, U, U, 0, SH_CELL, {0}},
	[GM3] = {1, "GM0003", "", "", 1010, U, 12, 0.5, 2, SH_RECT, {100000, 410000, 104000, 412000}},
	[WK301] = {2, "WK000301", "GM0003", "", 1000, U, 10, 0.5, 2, SH_RECT,
		   {100000, 410000, 103000, 412000}},
	[WK302] = {2, "WK000302", "GM0003", "", 10, U, 20, 0.5, 2, SH_RECT,
		   {103000, 410000, 104000, 412000}},
	[C7] = {4, "E1001N4101", "", "", 60, 6, U, U, 0, SH_CELL, {0}},
	[C8] = {4, "E1003N4101", "", "", 40, U, U, U, 0, SH_CELL, {0}},
	[C9] = {4, "E1035N4110", "", "", 40, 8, U, U, 0, SH_CELL, {0}},
};

const struct source_expect model_sources[NSOURCES] = {
	{BU1, GM1, 1, 2500, 250, 0.5, 2625},            /* urban: no car extra */
	{BU2, GM1, 4, 3500, 630, 0.6, 4235},            /* 65+ % from WK000101 */
	{WK102, GM1, 5, 3000, 750, 0.8, 3555},          /* cars from GM0001 */
	{C1, GM2, 2, 50, 10, 0.4, 55},                  /* urbanity from BU00020101 */
	{C2, GM2, 4, 40, 8, 0.5, 50},                   /* all from WK000201 */
	{C3, GM2, 3, 30, 6, 0.9, 33},                   /* from WK000202 */
	{C4, GM2, 3, 20, 0, 0.9, 20},                   /* joined GM0002 and WK000202 */
	/* The rest of each area with cells: its residents minus its cells', on its other land. */
	{BU201, GM2, 2, 70, 10.5, 0.4, 75.25},          /* 120 - C1 */
	{BU202, GM2, 4, 40, 8, 0.5, 50},                /* 80 - C2; figures from WK000201 */
	{WK202, GM2, 3, 250, 62.5, 0.9, 281.25},        /* 300 - C3 - C4 (C6 unknown) */
	{WK301, GM3, 2, 900, 90, 0.5, 945},             /* 1000 - C7 - C8 */
	{C7, GM3, 2, 60, 6, 0.5, 63},
	{C8, GM3, 2, 40, 4, 0.5, 42},                   /* 65+ share from WK000301 */
	{C9, GM3, 2, 10, 2, 0.5, 11},                   /* 40 scaled to WK000302's 10 */
};

static int32_t region_of(void *user, const char *code)
{
	struct model *m = user;
	m->region_calls++;
	return strcmp(code, "GM0001") == 0 ? 4 : strcmp(code, "GM0002") == 0 ? 7
	       : strcmp(code, "GM0003") == 0 ? 9 : -1;
}

static struct wkb def_wkb(const struct area_def *d)
{
	switch (d->sh) {
	case SH_RECT:
		return rect(d->c[0], d->c[1], d->c[2], d->c[3]);
	case SH_HOLED:
		return holed(d->c, d->c + 4);
	case SH_POLY: {
		const double *rings[] = {d->v};
		return multipolygon(rings, &d->nv, 1);
	}
	default:
		return cell_wkb(d->code);
	}
}

static void fill_area(struct plan_area *a, const struct area_def *d, const struct wkb *w)
{
	memset(a, 0, sizeof *a);
	a->level = d->level;
	snprintf(a->code, sizeof a->code, "%s", d->code);
	snprintf(a->gemeente_code, sizeof a->gemeente_code, "%s", d->gm);
	snprintf(a->wijk_code, sizeof a->wijk_code, "%s", d->wk);
	a->residents = d->res;
	a->residents_65plus = d->r65;
	a->pct_65plus = d->pct;
	a->households = d->res / 2;
	a->cars_per_household = d->cars;
	a->urbanity = d->urb;
	a->wkb = w->b;
	a->wkb_len = w->n;
	a->gemeente = a->wijk = a->buurt = a->region = 99;   /* must be overwritten */
	a->demand_source = 7;
}

int model_setup(void **state)
{
	struct model *m = calloc(1, sizeof *m);
	char err[256] = "";
	if (!m || !(m->g = geom_ctx_new()))
		return -1;
	for (int i = 0; i < NAREAS; i++) {
		m->w[i] = def_wkb(&model_defs[i]);
		fill_area(&m->a[i], &model_defs[i], &m->w[i]);
	}
	m->p = (struct demand_params){200, 500, 0.5, 0.3, 200, "", NULL};
	*state = m;
	if (demand_build(m->g, m->a, NAREAS, region_of, m, &m->p, &m->d, err, sizeof err) != 0) {
		print_error("demand_build: %s\n", err);
		return -1;
	}
	return 0;
}

int model_teardown(void **state)
{
	struct model *m = *state;
	if (m) {
		demand_free(&m->d);
		geom_ctx_free(m->g);
		free(m);
	}
	return 0;
}

const struct source_expect *source_of(int area)
{
	for (size_t k = 0; k < sizeof model_sources / sizeof *model_sources; k++)
		if (model_sources[k].area == area)
			return &model_sources[k];
	return NULL;
}

void demand_alloc(struct demand *d, size_t n)
{
	memset(d, 0, sizeof *d);
	d->n = n;
	d->xy = calloc(2 * n, sizeof *d->xy);
	d->weight = calloc(n, sizeof *d->weight);
	d->residents = calloc(n, sizeof *d->residents);
	d->vulnerable = calloc(n, sizeof *d->vulnerable);
	d->urbanity = calloc(n, sizeof *d->urbanity);
	d->area = calloc(n, sizeof *d->area);
	d->gemeente = calloc(n, sizeof *d->gemeente);
	d->region = calloc(n, sizeof *d->region);
	assert_true(d->xy && d->weight && d->residents && d->vulnerable && d->urbanity &&
		    d->area && d->gemeente && d->region);
}

void set_point(struct demand *d, size_t i, double x, double y, double w, int32_t gm,
	       int32_t area)
{
	d->xy[2 * i] = x;
	d->xy[2 * i + 1] = y;
	d->weight[i] = d->residents[i] = w;
	d->urbanity[i] = 1;
	d->gemeente[i] = gm;
	d->area[i] = area;
	d->region[i] = -1;
}
