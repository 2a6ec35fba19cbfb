/* Demand building: links areas to their parents by code (grid cells after
 * demand_locate_cells), picks the finest layer per place (a cell for its own square,
 * buurten per wijk, else the wijk) and spreads each source area's residents not in its
 * cells, and their extra weight, evenly over points sampled in its land polygon outside
 * those cells, so every area's demand sums exactly to its residents; a wijk without
 * buurten or cells is spread by a reference layer instead when one is chosen
 * (demand_dasy.c). */
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

/* A source cell with known residents, for "is this sample point in one of my cells". */
struct cell_key {
	int32_t owner;
	double y0, x0;
};

struct links {
	struct code_ix *ix;           /* sorted by level-prefixed code */
	size_t n;
	uint8_t *has_cell[2];         /* per area index: 100 m, 500 m cells represent part of it */
	uint8_t *wijk_has_buurt;
	int32_t *owner;               /* per cell: the area it is part of (buurt, else wijk, else
				       * gemeente), -1 = none */
	double *scale;                /* per area: factor on its cells' figures (<= 1) */
	struct cell_key *keys;        /* sorted by owner, y0, x0 */
	size_t nkeys;
	struct demand_spreader *spreader;   /* NULL = no reference layer chosen */
	const char *spread_label;     /* the chosen layer's name */
};

static int by_key(const void *a, const void *b)
{
	const struct cell_key *x = a, *y = b;
	if (x->owner != y->owner)
		return x->owner < y->owner ? -1 : 1;
	if (x->y0 != y->y0)
		return x->y0 < y->y0 ? -1 : 1;
	return (x->x0 > y->x0) - (x->x0 < y->x0);
}

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

/* Cells by code, after demand_locate_cells. */
static void link_cells(struct plan_area *areas, size_t n, const struct links *l,
		       double *dropped)
{
	for (size_t i = 0; i < n; i++) {
		struct plan_area *a = &areas[i];
		if (!is_cell(a))
			continue;
		a->gemeente = find_code(l, a->gemeente_code);
		a->wijk = find_code(l, a->wijk_code);
		a->buurt = find_code(l, a->buurt_code);
		a->region = a->gemeente >= 0 ? areas[a->gemeente].region : -1;
		if (a->gemeente < 0 && a->residents == a->residents)
			*dropped += a->residents;
	}
}

static int32_t cell_owner(const struct plan_area *c, const struct links *l)
{
	if (c->gemeente < 0)
		return -1;
	if (c->buurt >= 0)
		return c->buurt;
	if (c->wijk >= 0 && !l->wijk_has_buurt[c->wijk])
		return c->wijk;
	return c->gemeente;           /* never a source itself: nothing to subtract from */
}

/* 100 m cells represent their own squares; 500 m ones only in areas without 100 m
 * cells; buurten, and wijken without buurten, the rest of their land. */
static void choose_sources(struct plan_area *areas, size_t n, struct links *l)
{
	for (size_t i = 0; i < n; i++)
		if (areas[i].level == PLAN_BUURT && areas[i].wijk >= 0)
			l->wijk_has_buurt[areas[i].wijk] = 1;
	for (size_t i = 0; i < n; i++) {
		l->owner[i] = is_cell(&areas[i]) ? cell_owner(&areas[i], l) : -1;
		if (l->owner[i] >= 0)
			l->has_cell[areas[i].level - PLAN_CELL100][l->owner[i]] = 1;
	}
	for (size_t i = 0; i < n; i++) {
		struct plan_area *a = &areas[i];
		int32_t o = l->owner[i];
		switch (a->level) {
		case PLAN_CELL100:
			a->demand_source = o >= 0;
			break;
		case PLAN_CELL500:
			a->demand_source = o >= 0 && !l->has_cell[0][o];
			break;
		case PLAN_BUURT:
			a->demand_source = 1;
			break;
		case PLAN_WIJK:
			a->demand_source = !l->wijk_has_buurt[i];
			break;
		default:
			a->demand_source = 0;
		}
	}
}

static int known_cell(const struct plan_area *a)
{
	return is_cell(a) && a->demand_source && a->residents == a->residents;
}

/* The cells' residents per area, what remains of each area, and the keys of its cells. */
static int split_residents(struct plan_area *areas, size_t n, struct links *l)
{
	for (size_t i = 0; i < n; i++) {
		areas[i].cell_residents = areas[i].rest_residents = 0;
		l->scale[i] = 1;
	}
	for (size_t i = 0; i < n; i++)
		if (known_cell(&areas[i])) {
			areas[l->owner[i]].cell_residents += areas[i].residents;
			l->nkeys++;
		}
	if (!(l->keys = malloc((l->nkeys ? l->nkeys : 1) * sizeof *l->keys)))
		return -ENOMEM;
	l->nkeys = 0;
	for (size_t i = 0; i < n; i++) {
		struct plan_area *a = &areas[i];
		double side;
		if (known_cell(a)) {
			struct cell_key *k = &l->keys[l->nkeys++];
			k->owner = l->owner[i];
			demand_cell_square(a, &k->x0, &k->y0, &side);
		} else if (a->demand_source && !is_cell(a) && a->residents == a->residents) {
			a->rest_residents = fmax(0, a->residents - a->cell_residents);
			if (a->cell_residents > a->residents)
				l->scale[i] = a->residents / a->cell_residents;
		}
	}
	qsort(l->keys, l->nkeys, sizeof *l->keys, by_key);
	for (size_t i = 0; i < n; i++)
		if (known_cell(&areas[i]))
			areas[i].rest_residents = areas[i].residents * l->scale[l->owner[i]];
	return 0;
}

static int in_own_cell(const struct links *l, int32_t owner, double x, double y)
{
	double side = l->has_cell[0][owner] ? 100 : 500;
	struct cell_key k = {owner, floor(y / side) * side, floor(x / side) * side};
	return bsearch(&k, l->keys, l->nkeys, sizeof k, by_key) != NULL;
}

/* Keeps the sample points outside the area's own cells (all when none is outside). */
static size_t outside_cells(const struct links *l, int32_t owner, double *xy, size_t k)
{
	size_t out = 0;
	for (size_t j = 0; j < k; j++)
		out += !in_own_cell(l, owner, xy[2 * j], xy[2 * j + 1]);
	if (out == 0 || out == k)
		return k;
	out = 0;
	for (size_t j = 0; j < k; j++)
		if (!in_own_cell(l, owner, xy[2 * j], xy[2 * j + 1])) {
			xy[2 * out] = xy[2 * j];
			xy[2 * out + 1] = xy[2 * j + 1];
			out++;
		}
	return out;
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

/* The figures of the area's demand: its rest_residents (residents > 0), with a 65+ count
 * scaled alike, or the inherited 65+ share. */
static void figures(const struct demand_params *p, const struct plan_area *areas,
		    const struct plan_area *a, struct area_figures *f)
{
	const struct plan_area *u = with_urbanity(areas, a);
	double pct = inherited(areas, a, offsetof(struct plan_area, pct_65plus));
	double cars = inherited(areas, a, offsetof(struct plan_area, cars_per_household));
	double r = a->rest_residents;
	f->residents = r;
	f->urbanity = u ? u->urbanity : 5;
	f->vulnerable = a->residents_65plus == a->residents_65plus
		      ? a->residents_65plus * (r / a->residents)
		      : pct == pct ? r * pct / 100.0 : 0;
	f->weight = demand_weight(p, f->residents, f->vulnerable, f->urbanity, cars);
}

/* share[j] of the figures per point (NULL: 1/k each). */
static int add_points(struct demand *d, size_t *cap, const double *xy, size_t k,
		      const double *share, const struct area_figures *f,
		      const struct plan_area *a, int32_t index)
{
	if (grow(d, cap, k) < 0)
		return -ENOMEM;
	for (size_t j = 0; j < k; j++) {
		size_t i = d->n++;
		double kk = (double)k;    /* even: divided, to the bit as before spreading */
		d->xy[2 * i] = xy[2 * j];
		d->xy[2 * i + 1] = xy[2 * j + 1];
		d->weight[i] = share ? f->weight * share[j] : f->weight / kk;
		d->residents[i] = share ? f->residents * share[j] : f->residents / kk;
		d->vulnerable[i] = share ? f->vulnerable * share[j] : f->vulnerable / kk;
		d->urbanity[i] = (uint8_t)f->urbanity;
		d->area[i] = index;
		d->gemeente[i] = a->gemeente;
		d->region[i] = a->region;
	}
	return 0;
}

/* The shares of a wijk's points by the reference layer (*share NULL when spread evenly),
 * and the area's spread label. */
static int spread_shares(const struct links *l, struct plan_area *a, double spacing_m,
			 const double *xy, size_t k, double **share, char *err, size_t errlen)
{
	int rc;
	*share = NULL;
	a->spread = a->cell_residents > 0 ? "cells" : "even";
	if (!l->spreader || a->level != PLAN_WIJK || a->cell_residents > 0)
		return 0;
	if (!(*share = malloc(k * sizeof **share))) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = demand_spread_shares(l->spreader, a->wkb, a->wkb_len, spacing_m, xy, k, *share, err,
				  errlen);
	if (rc > 0)
		a->spread = l->spread_label;
	if (rc <= 0) {
		free(*share);
		*share = NULL;
	}
	return rc < 0 ? rc : 0;
}

static int area_points(struct geom_ctx *g, struct plan_area *areas, int32_t i,
		       const struct links *l, const struct demand_params *p, struct demand *d,
		       size_t *cap, char *err, size_t errlen)
{
	struct plan_area *a = &areas[i];
	struct area_figures f;
	double *xy = NULL, *share = NULL, c[2], side;
	size_t k = 1;
	int rc = 0;
	figures(p, areas, a, &f);
	if (is_cell(a)) {
		demand_cell_square(a, &c[0], &c[1], &side);
		c[0] += side / 2;
		c[1] += side / 2;
		a->spread = "own";
	} else {
		double spacing = f.urbanity <= 3 ? p->spacing_urban_m : p->spacing_rural_m;
		rc = geo_sample_polygon(g, a->wkb, a->wkb_len, spacing, &xy, &k, err, errlen);
		if (rc == 0 && a->cell_residents > 0)
			k = outside_cells(l, i, xy, k);
		if (rc == 0)
			rc = spread_shares(l, a, spacing, xy, k, &share, err, errlen);
	}
	if (rc == 0)
		rc = add_points(d, cap, xy ? xy : c, k, share, &f, a, i);
	free(xy);
	free(share);
	return rc;
}

static void links_free(struct links *l)
{
	free(l->ix);
	free(l->has_cell[0]);
	free(l->has_cell[1]);
	free(l->wijk_has_buurt);
	free(l->owner);
	free(l->scale);
	free(l->keys);
	demand_spreader_free(l->spreader);
}

/* The reference layer p chooses, if any, as a spreader. */
static int links_spreader(struct geom_ctx *g, struct links *l, const struct demand_params *p,
			  char *err, size_t errlen)
{
	int32_t layer = -1;
	int rc = p->refs ? demand_refs_choose(p->refs, p->spread_layer, &layer, err, errlen) : 0;
	if (rc < 0 || layer < 0)
		return rc;
	if (!(l->spreader = demand_spreader_new(g, p->refs, layer, err, errlen)))
		return -EINVAL;
	l->spread_label = p->refs->layers[layer];
	return 0;
}

static int links_alloc(struct links *l, const struct plan_area *areas, size_t n)
{
	if (index_codes(l, areas, n) < 0)
		return -ENOMEM;
	l->has_cell[0] = calloc(n + 1, 1);
	l->has_cell[1] = calloc(n + 1, 1);
	l->wijk_has_buurt = calloc(n + 1, 1);
	l->owner = malloc((n + 1) * sizeof *l->owner);
	l->scale = malloc((n + 1) * sizeof *l->scale);
	return l->has_cell[0] && l->has_cell[1] && l->wijk_has_buurt && l->owner && l->scale
	       ? 0 : -ENOMEM;
}

static int make_points(struct geom_ctx *g, struct plan_area *areas, size_t n,
		       const struct links *l, const struct demand_params *p,
		       struct demand *out, char *err, size_t errlen)
{
	size_t cap = 0;
	for (size_t i = 0; i < n; i++)
		areas[i].spread = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct plan_area *a = &areas[i];
		if (!a->demand_source)
			continue;
		if (a->residents != a->residents) {
			out->unknown_areas++;
			continue;
		}
		if (a->residents <= 0 || a->rest_residents <= 0)
			continue;
		int rc = area_points(g, areas, (int32_t)i, l, p, out, &cap, err, errlen);
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
	if (links_alloc(&l, areas, nareas) < 0)
		goto fail;
	if ((rc = demand_locate_cells(g, areas, nareas, p->assign_max_m, err, errlen)) < 0)
		goto fail;
	link_by_code(&l, areas, nareas, region_of, user);
	link_cells(areas, nareas, &l, &out->dropped_residents);
	choose_sources(areas, nareas, &l);
	if ((rc = split_residents(areas, nareas, &l)) == 0 &&
	    (rc = links_spreader(g, &l, p, err, errlen)) == 0)
		rc = make_points(g, areas, nareas, &l, p, out, err, errlen);
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
