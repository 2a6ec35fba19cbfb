/* Demand building: links areas to their parents (by code; grid cells by location with
 * prepared polygons), picks the finest layer per place (cells per municipality, buurten
 * per wijk, else the wijk), and spreads each source area's residents and extra weight
 * evenly over points sampled in its land polygon, so every area's demand sums exactly. */
#include "plan/demand.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/locate.h"

struct code_ix {
	const char *code;
	int32_t index;
};

struct links {
	struct code_ix *ix;           /* sorted by level-prefixed code */
	size_t n;
	uint8_t *gm_has_cell[2];      /* per area index (gemeenten): 100 m, 500 m cells present */
	uint8_t *wijk_has_buurt;
};

static int by_code(const void *a, const void *b)
{
	return strcmp(((const struct code_ix *)a)->code, ((const struct code_ix *)b)->code);
}

static int32_t find_code(const struct links *l, const char *code)
{
	struct code_ix key = {code, -1}, *hit;
	if (!code || !*code)
		return -1;
	hit = bsearch(&key, l->ix, l->n, sizeof key, by_code);
	return hit ? hit->index : -1;
}

static int is_cell(const struct plan_area *a)
{
	return a->level == PLAN_CELL100 || a->level == PLAN_CELL500;
}

static int index_codes(struct links *l, const struct plan_area *areas, size_t n)
{
	if (!(l->ix = malloc((n ? n : 1) * sizeof *l->ix)))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!is_cell(&areas[i]))
			l->ix[l->n++] = (struct code_ix){areas[i].code, (int32_t)i};
	qsort(l->ix, l->n, sizeof *l->ix, by_code);
	return 0;
}

static void link_by_code(struct links *l, struct plan_area *areas, size_t n,
			 int32_t (*region_of)(void *, const char *), void *user)
{
	for (size_t i = 0; i < n; i++) {
		struct plan_area *a = &areas[i];
		a->gemeente = a->wijk = a->buurt = -1;
		if (is_cell(a))
			continue;
		a->gemeente = a->level == PLAN_GEMEENTE ? (int32_t)i : find_code(l, a->gemeente_code);
		a->wijk = a->level == PLAN_WIJK ? (int32_t)i : find_code(l, a->wijk_code);
		a->buurt = a->level == PLAN_BUURT ? (int32_t)i : -1;
		a->region = a->gemeente >= 0 ? region_of(user, areas[a->gemeente].code) : -1;
	}
}

static int build_locator(struct geom_ctx *g, struct plan_area *areas, size_t n, int level,
			 struct locator **out, char *err, size_t errlen)
{
	struct locator *loc = locator_new(g);
	if (!loc)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (areas[i].level != level)
			continue;
		int rc = locator_add(loc, areas[i].wkb, areas[i].wkb_len, (int64_t)i, err, errlen);
		if (rc < 0) {
			locator_free(loc);
			return rc;
		}
	}
	*out = loc;
	return 0;
}

/* The centre of a cell from its stored square (first ring point + half the side). */
static void cell_centre(const struct plan_area *a, double *x, double *y)
{
	double x0, y0, x1, y1;
	/* Square WKB as written by the importer: 9-byte multi header, 13-byte polygon header. */
	memcpy(&x0, a->wkb + 22, 8);
	memcpy(&y0, a->wkb + 30, 8);
	memcpy(&x1, a->wkb + 54, 8);
	memcpy(&y1, a->wkb + 62, 8);
	*x = (x0 + x1) / 2;
	*y = (y0 + y1) / 2;
}

static int link_cells(struct geom_ctx *g, struct plan_area *areas, size_t n,
		      const struct demand_params *p, struct links *l, double *dropped,
		      char *err, size_t errlen)
{
	struct locator *loc[3] = {NULL, NULL, NULL};
	int rc = 0;
	for (int k = 0; k < 3 && rc == 0; k++)
		rc = build_locator(g, areas, n, PLAN_GEMEENTE + k, &loc[k], err, errlen);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct plan_area *a = &areas[i];
		double x, y, d;
		if (!is_cell(a))
			continue;
		cell_centre(a, &x, &y);
		a->gemeente = (int32_t)locator_find_near(loc[0], x, y, p->assign_max_m, &d);
		a->wijk = (int32_t)locator_find_near(loc[1], x, y, p->assign_max_m, &d);
		a->buurt = (int32_t)locator_find(loc[2], x, y);
		a->region = a->gemeente >= 0 ? areas[a->gemeente].region : -1;
		if (a->gemeente >= 0)
			l->gm_has_cell[a->level - PLAN_CELL100][a->gemeente] = 1;
		else if (a->residents == a->residents)
			*dropped += a->residents;
	}
	for (int k = 0; k < 3; k++)
		locator_free(loc[k]);
	return rc;
}

static void choose_sources(struct plan_area *areas, size_t n, struct links *l)
{
	for (size_t i = 0; i < n; i++)
		if (areas[i].level == PLAN_BUURT && areas[i].wijk >= 0)
			l->wijk_has_buurt[areas[i].wijk] = 1;
	for (size_t i = 0; i < n; i++) {
		struct plan_area *a = &areas[i];
		int gm = a->gemeente;
		int cells100 = gm >= 0 && l->gm_has_cell[0][gm];
		int cells500 = gm >= 0 && l->gm_has_cell[1][gm];
		switch (a->level) {
		case PLAN_CELL100:
			a->demand_source = gm >= 0;
			break;
		case PLAN_CELL500:
			a->demand_source = gm >= 0 && !cells100;
			break;
		case PLAN_BUURT:
			a->demand_source = !cells100 && !cells500;
			break;
		case PLAN_WIJK:
			a->demand_source = !cells100 && !cells500 && !l->wijk_has_buurt[i];
			break;
		default:
			a->demand_source = 0;
		}
	}
}

/* A figure taken from the area, else its buurt, wijk, gemeente (first known). */
static const struct plan_area *with_urbanity(const struct plan_area *areas,
					     const struct plan_area *a)
{
	const int32_t chain[] = {a->buurt, a->wijk, a->gemeente};
	if (a->urbanity >= 1 && a->urbanity <= 5)
		return a;
	for (int k = 0; k < 3; k++)
		if (chain[k] >= 0 && areas[chain[k]].urbanity >= 1)
			return &areas[chain[k]];
	return NULL;
}

static double inherited(const struct plan_area *areas, const struct plan_area *a, size_t off)
{
	const int32_t chain[] = {a->buurt, a->wijk, a->gemeente};
	double v = *(const double *)((const char *)a + off);
	for (int k = 0; k < 3 && v != v; k++)
		if (chain[k] >= 0)
			v = *(const double *)((const char *)&areas[chain[k]] + off);
	return v;
}

double demand_weight(const struct demand_params *p, double r, double v, int u, double cars)
{
	double extra = p->weight_65plus * v;
	if (u >= 4 && cars == cars) {
		double share = 1.0 - cars;
		extra += p->weight_no_car * r * (share < 0 ? 0 : share > 1 ? 1 : share);
	}
	return r + extra;
}

static int grow(struct demand *d, size_t *cap, size_t more)
{
	if (d->n + more <= *cap)
		return 0;
	size_t c = *cap ? *cap : 4096;
	while (c < d->n + more)
		c *= 2;
	double *xy = realloc(d->xy, 2 * c * sizeof *xy);
	if (xy)
		d->xy = xy;
	void **arrays[] = {(void **)&d->weight, (void **)&d->residents, (void **)&d->vulnerable,
			   (void **)&d->area, (void **)&d->gemeente, (void **)&d->region,
			   (void **)&d->urbanity};
	const size_t sizes[] = {8, 8, 8, 4, 4, 4, 1};
	int ok = xy != NULL;
	for (int k = 0; k < 7 && ok; k++) {
		void *p = realloc(*arrays[k], c * sizes[k]);
		ok = p != NULL;
		if (p)
			*arrays[k] = p;
	}
	if (!ok)
		return -ENOMEM;
	*cap = c;
	return 0;
}

struct area_figures {
	double residents, vulnerable, weight;
	int urbanity;
};

static void figures(const struct demand_params *p, const struct plan_area *areas,
		    const struct plan_area *a, struct area_figures *f)
{
	const struct plan_area *u = with_urbanity(areas, a);
	double pct = inherited(areas, a, offsetof(struct plan_area, pct_65plus));
	double cars = inherited(areas, a, offsetof(struct plan_area, cars_per_household));
	f->residents = a->residents;
	f->urbanity = u ? u->urbanity : 5;
	f->vulnerable = a->residents_65plus == a->residents_65plus ? a->residents_65plus
		      : pct == pct ? a->residents * pct / 100.0 : 0;
	f->weight = demand_weight(p, f->residents, f->vulnerable, f->urbanity, cars);
}

static int add_points(struct demand *d, size_t *cap, const double *xy, size_t k,
		      const struct area_figures *f, const struct plan_area *a, int32_t index)
{
	if (grow(d, cap, k) < 0)
		return -ENOMEM;
	for (size_t j = 0; j < k; j++) {
		size_t i = d->n++;
		d->xy[2 * i] = xy[2 * j];
		d->xy[2 * i + 1] = xy[2 * j + 1];
		d->weight[i] = f->weight / (double)k;
		d->residents[i] = f->residents / (double)k;
		d->vulnerable[i] = f->vulnerable / (double)k;
		d->urbanity[i] = (uint8_t)f->urbanity;
		d->area[i] = index;
		d->gemeente[i] = a->gemeente;
		d->region[i] = a->region;
	}
	return 0;
}

static int area_points(struct geom_ctx *g, const struct plan_area *areas, int32_t i,
		       const struct demand_params *p, struct demand *d, size_t *cap,
		       char *err, size_t errlen)
{
	const struct plan_area *a = &areas[i];
	struct area_figures f;
	double *xy = NULL, c[2];
	size_t k = 1;
	int rc = 0;
	figures(p, areas, a, &f);
	if (is_cell(a)) {
		cell_centre(a, &c[0], &c[1]);
	} else {
		double spacing = f.urbanity <= 3 ? p->spacing_urban_m : p->spacing_rural_m;
		rc = geo_sample_polygon(g, a->wkb, a->wkb_len, spacing, &xy, &k, err, errlen);
	}
	if (rc == 0)
		rc = add_points(d, cap, xy ? xy : c, k, &f, a, i);
	free(xy);
	return rc;
}

static void links_free(struct links *l)
{
	free(l->ix);
	free(l->gm_has_cell[0]);
	free(l->gm_has_cell[1]);
	free(l->wijk_has_buurt);
}

static int make_points(struct geom_ctx *g, const struct plan_area *areas, size_t n,
		       const struct demand_params *p, struct demand *out, char *err,
		       size_t errlen)
{
	size_t cap = 0;
	for (size_t i = 0; i < n; i++) {
		const struct plan_area *a = &areas[i];
		if (!a->demand_source)
			continue;
		if (a->residents != a->residents) {
			out->unknown_areas++;
			continue;
		}
		if (a->residents <= 0)
			continue;
		int rc = area_points(g, areas, (int32_t)i, p, out, &cap, err, errlen);
		if (rc < 0) {
			char tmp[512];
			snprintf(tmp, sizeof tmp, "%s", err);
			snprintf(err, errlen, "area %s: %s", a->code, tmp);
			return rc;
		}
	}
	return 0;
}

int demand_build(struct geom_ctx *g, struct plan_area *areas, size_t nareas,
		 int32_t (*region_of)(void *user, const char *gemeente_code), void *user,
		 const struct demand_params *p, struct demand *out, char *err, size_t errlen)
{
	struct links l = {0};
	int rc = -ENOMEM;
	memset(out, 0, sizeof *out);
	if (index_codes(&l, areas, nareas) < 0 ||
	    !(l.gm_has_cell[0] = calloc(nareas + 1, 1)) || !(l.gm_has_cell[1] = calloc(nareas + 1, 1)) ||
	    !(l.wijk_has_buurt = calloc(nareas + 1, 1))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	link_by_code(&l, areas, nareas, region_of, user);
	if ((rc = link_cells(g, areas, nareas, p, &l, &out->dropped_residents, err, errlen)) < 0)
		goto fail;
	choose_sources(areas, nareas, &l);
	rc = make_points(g, areas, nareas, p, out, err, errlen);
fail:
	links_free(&l);
	if (rc == -ENOMEM)            /* the helpers return it without a message */
		snprintf(err, errlen, "demand: out of memory");
	if (rc < 0)
		demand_free(out);
	return rc;
}

void demand_free(struct demand *d)
{
	free(d->xy);
	free(d->weight);
	free(d->residents);
	free(d->vulnerable);
	free(d->urbanity);
	free(d->area);
	free(d->gemeente);
	free(d->region);
	memset(d, 0, sizeof *d);
}
