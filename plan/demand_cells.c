/* Grid cells by location: each cell's centre picks its gemeente among all gemeenten, then
 * a wijk of that gemeente and a buurt of that wijk, so a cell's three codes always agree
 * with each other and never depend on which gemeenten a plan is scoped to. */
#include "plan/demand.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "geo/locate.h"

struct parent_filter {
	const struct plan_area *areas;
	const char *code;             /* the parent the candidate polygon must belong to */
	int wijk;                     /* 1: compare the wijk code, 0: the gemeente code */
};

static int has_parent(void *user, int64_t id)
{
	const struct parent_filter *f = user;
	const struct plan_area *a = &f->areas[id];
	return strcmp(f->wijk ? a->wijk_code : a->gemeente_code, f->code) == 0;
}

void demand_cell_square(const struct plan_area *cell, double *x0, double *y0, double *side)
{
	double x[2], y[2];
	/* 9-byte multi header, 13-byte polygon header, then the ring's first and third point. */
	memcpy(&x[0], cell->wkb + 22, 8);
	memcpy(&y[0], cell->wkb + 30, 8);
	memcpy(&x[1], cell->wkb + 54, 8);
	memcpy(&y[1], cell->wkb + 62, 8);
	*x0 = fmin(x[0], x[1]);
	*y0 = fmin(y[0], y[1]);
	*side = fabs(x[1] - x[0]);
}

static int add_level(struct locator *loc, const struct plan_area *areas, size_t n, int level,
		     char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		if (areas[i].level != level)
			continue;
		int rc = locator_add(loc, areas[i].wkb, areas[i].wkb_len, (int64_t)i, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void copy_code(char *dst, const char *src)
{
	snprintf(dst, PLAN_CODE_LEN, "%s", src);
}

/* One cell: gemeente, then wijk within it, then buurt within that wijk. */
static void locate_cell(struct locator *const loc[3], const struct plan_area *areas,
			struct plan_area *c, double assign_max_m)
{
	double x0, y0, side, d;
	demand_cell_square(c, &x0, &y0, &side);
	double x = x0 + side / 2, y = y0 + side / 2;
	int64_t gm = locator_find_near(loc[0], x, y, assign_max_m, &d);
	if (gm < 0)
		return;
	struct parent_filter f = {areas, areas[gm].code, 0};
	int64_t wk = locator_find_where(loc[1], x, y, INFINITY, has_parent, &f, &d);
	copy_code(c->gemeente_code, areas[gm].code);
	if (wk < 0)
		return;               /* a gemeente without wijken: the cell is still its own */
	f = (struct parent_filter){areas, areas[wk].code, 1};
	int64_t bu = locator_find_where(loc[2], x, y, INFINITY, has_parent, &f, &d);
	copy_code(c->wijk_code, areas[wk].code);
	copy_code(c->buurt_code, bu >= 0 ? areas[bu].code : "");
}

int demand_locate_cells(struct geom_ctx *g, struct plan_area *areas, size_t nareas,
			double assign_max_m, char *err, size_t errlen)
{
	struct locator *loc[3] = {NULL, NULL, NULL};
	int rc = 0;
	for (int k = 0; k < 3 && rc == 0; k++) {
		if (!(loc[k] = locator_new(g))) {
			snprintf(err, errlen, "out of memory");
			rc = -ENOMEM;
		} else {
			rc = add_level(loc[k], areas, nareas, PLAN_GEMEENTE + k, err, errlen);
		}
	}
	for (size_t i = 0; i < nareas && rc == 0; i++) {
		struct plan_area *c = &areas[i];
		if ((c->level == PLAN_CELL100 || c->level == PLAN_CELL500) && !c->gemeente_code[0])
			locate_cell(loc, areas, c, assign_max_m);
	}
	for (int k = 0; k < 3; k++)
		locator_free(loc[k]);
	return rc;
}
