/* Reference layers for dasymetric spreading: polygons with residents kept by layer, their
 * land measured on today's land polygons (geo_overlap_areas), and the shares of an area's
 * sample points by the reference density where each lies (a locator over the chosen
 * layer's usable polygons). Never decides which areas are spread: demand.c does. */
#include "plan/demand_dasy.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/grid_index.h"
#include "geo/locate.h"
#include "geo/overlay.h"
#include "plan/demand.h"

#define LOST_BUCKET_M 2000.0

struct demand_spreader {
	struct geom_ctx *g;
	const struct demand_refs *r;
	struct locator *loc;          /* ids index r->areas */
	double *cxy;                  /* [2 nc] centres of the usable polygons */
	uint32_t *cid;                /* [nc] their index in r->areas */
	size_t nc;
	struct grid_index *centres;
	uint32_t *hit;                /* [r->n] the last area stamp a sample point hit it in */
	uint32_t stamp;
};

static int32_t layer_index(struct demand_refs *r, const char *layer)
{
	for (size_t k = 0; k < r->nlayers; k++)
		if (strcmp(r->layers[k], layer) == 0)
			return (int32_t)k;
	char (*l)[DEMAND_LAYER_LEN] = realloc(r->layers, (r->nlayers + 1) * sizeof *l);
	if (!l)
		return -1;
	r->layers = l;
	snprintf(l[r->nlayers], DEMAND_LAYER_LEN, "%s", layer);
	return (int32_t)r->nlayers++;
}

static int grow(struct demand_refs *r)
{
	if (r->n < r->cap)
		return 0;
	size_t cap = r->cap ? r->cap * 2 : 1024;
	struct demand_ref_area *a = realloc(r->areas, cap * sizeof *a);
	if (!a)
		return -ENOMEM;
	r->areas = a;
	r->cap = cap;
	return 0;
}

int demand_refs_add(struct demand_refs *r, const char *layer, double residents,
		    const uint8_t *wkb, size_t wkb_len, char *err, size_t errlen)
{
	if (!layer || !*layer || strlen(layer) >= DEMAND_LAYER_LEN) {
		snprintf(err, errlen, "reference layer name \"%.40s\": empty or longer than %d "
			 "bytes", layer ? layer : "", DEMAND_LAYER_LEN - 1);
		return -EINVAL;
	}
	int32_t k = layer_index(r, layer);
	uint8_t *copy = malloc(wkb_len ? wkb_len : 1);
	if (k < 0 || !copy || grow(r) < 0) {
		free(copy);
		snprintf(err, errlen, "reference layers: out of memory");
		return -ENOMEM;
	}
	memcpy(copy, wkb, wkb_len);
	r->areas[r->n++] = (struct demand_ref_area){k, residents, copy, wkb_len, NAN, NAN, NAN};
	return 0;
}

void demand_refs_free(struct demand_refs *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->areas[i].wkb);
	free(r->areas);
	free(r->layers);
	memset(r, 0, sizeof *r);
}

/* The land polygons: the gemeenten's, else the wijken's; their count in *m. */
static int land_polygons(const struct plan_area *areas, size_t n, const uint8_t ***wkb,
			 size_t **len, size_t *m)
{
	int level = PLAN_GEMEENTE;
	*m = 0;
	for (size_t i = 0; i < n; i++)
		*m += areas[i].level == level;
	if (*m == 0) {
		level = PLAN_WIJK;
		for (size_t i = 0; i < n; i++)
			*m += areas[i].level == level;
	}
	*wkb = malloc((*m + 1) * sizeof **wkb);
	*len = malloc((*m + 1) * sizeof **len);
	if (!*wkb || !*len)
		return -ENOMEM;
	*m = 0;
	for (size_t i = 0; i < n; i++)
		if (areas[i].level == level) {
			(*wkb)[*m] = areas[i].wkb;
			(*len)[(*m)++] = areas[i].wkb_len;
		}
	return 0;
}

int demand_refs_land(struct geom_ctx *g, struct demand_refs *r, const struct plan_area *areas,
		     size_t nareas, char *err, size_t errlen)
{
	const uint8_t **bw = NULL, **aw = malloc((r->n + 1) * sizeof *aw);
	size_t *bl = NULL, *al = malloc((r->n + 1) * sizeof *al), nb = 0;
	double *m2 = malloc((r->n + 1) * sizeof *m2);
	int rc = aw && al && m2 ? land_polygons(areas, nareas, &bw, &bl, &nb) : -ENOMEM;
	if (rc < 0)
		snprintf(err, errlen, "reference layers: out of memory");
	for (size_t i = 0; i < r->n && rc == 0; i++) {
		aw[i] = r->areas[i].wkb;
		al[i] = r->areas[i].wkb_len;
	}
	if (rc == 0 && nb == 0) {     /* no land polygons: a polygon's own area is its land */
		for (size_t i = 0; i < r->n && rc == 0; i++)
			if (geom_area(g, aw[i], al[i], &m2[i], err, errlen) < 0)
				m2[i] = NAN;
	} else if (rc == 0) {
		rc = geo_overlap_areas(g, aw, al, r->n, bw, bl, nb, m2, err, errlen);
	}
	for (size_t i = 0; i < r->n && rc == 0; i++) {
		struct demand_ref_area *a = &r->areas[i];
		struct geom_bbox b;
		char why[256];
		a->land_m2 = m2[i] > 0 ? m2[i] : NAN;
		if (a->land_m2 > 0 && geom_bbox(g, a->wkb, a->wkb_len, &b, why, sizeof why) == 0) {
			a->cx = (b.minx + b.maxx) / 2;
			a->cy = (b.miny + b.maxy) / 2;
		} else {
			a->land_m2 = NAN;
		}
	}
	free(aw);
	free(al);
	free(bw);
	free(bl);
	free(m2);
	return rc;
}

static int usable(const struct demand_ref_area *a)
{
	return a->land_m2 > 0 && a->residents >= 0;   /* false for NaN */
}

int demand_refs_choose(const struct demand_refs *r, const char *setting, int32_t *layer,
		       char *err, size_t errlen)
{
	*layer = -1;
	if (!setting || !*setting || strcmp(setting, "none") == 0)
		return 0;
	if (strcmp(setting, "auto") != 0) {
		for (size_t k = 0; k < r->nlayers; k++)
			if (strcmp(r->layers[k], setting) == 0)
				*layer = (int32_t)k;
		if (*layer >= 0)
			return 0;
		int off = snprintf(err, errlen, "spread_layer \"%s\": no such reference layer in "
				   "the database (layers:", setting);
		for (size_t k = 0; k < r->nlayers && off > 0 && (size_t)off < errlen; k++)
			off += snprintf(err + off, errlen - (size_t)off, " %s", r->layers[k]);
		if (off > 0 && (size_t)off < errlen)
			snprintf(err + off, errlen - (size_t)off, "%s)", r->nlayers ? "" : " none");
		return -ENOENT;
	}
	size_t best = 0;
	for (size_t k = 0; k < r->nlayers; k++) {
		size_t count = 0;
		for (size_t i = 0; i < r->n; i++)
			count += r->areas[i].layer == (int32_t)k && usable(&r->areas[i]);
		if (count > best || (count == best && count && strcmp(r->layers[k], r->layers[*layer]) < 0)) {
			best = count;
			*layer = (int32_t)k;
		}
	}
	return 0;
}

static int spreader_alloc(struct demand_spreader *s, struct geom_ctx *g,
			  const struct demand_refs *r)
{
	s->g = g;
	s->r = r;
	s->loc = locator_new(g);
	s->cxy = malloc((2 * r->n + 2) * sizeof *s->cxy);
	s->cid = malloc((r->n + 1) * sizeof *s->cid);
	s->hit = calloc(r->n + 1, sizeof *s->hit);
	return s->loc && s->cxy && s->cid && s->hit ? 0 : -ENOMEM;
}

struct demand_spreader *demand_spreader_new(struct geom_ctx *g, const struct demand_refs *r,
					    int32_t layer, char *err, size_t errlen)
{
	struct demand_spreader *s = calloc(1, sizeof *s);
	if (!s || spreader_alloc(s, g, r) < 0) {
		snprintf(err, errlen, "spreading: out of memory");
		demand_spreader_free(s);
		return NULL;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct demand_ref_area *a = &r->areas[i];
		if (a->layer != layer || !usable(a))
			continue;
		if (locator_add(s->loc, a->wkb, a->wkb_len, (int64_t)i, err, errlen) < 0) {
			demand_spreader_free(s);
			return NULL;
		}
		s->cxy[2 * s->nc] = a->cx;
		s->cxy[2 * s->nc + 1] = a->cy;
		s->cid[s->nc++] = (uint32_t)i;
	}
	if (!(s->centres = grid_index_new(s->cxy, s->nc, LOST_BUCKET_M))) {
		snprintf(err, errlen, "spreading: out of memory");
		demand_spreader_free(s);
		return NULL;
	}
	return s;
}

void demand_spreader_free(struct demand_spreader *s)
{
	if (!s)
		return;
	locator_free(s->loc);
	grid_index_free(s->centres);
	free(s->cxy);
	free(s->cid);
	free(s->hit);
	free(s);
}

/* Candidates for the lost polygons of one area: centres near its points, not hit. */
struct lost_ctx {
	const struct demand_spreader *s;
	double *xy;                   /* [2 cap] candidate centres */
	double *res;                  /* [cap] their residents */
	size_t n, cap;
};

static int lost_candidate(void *user, uint32_t i, double dist_m)
{
	struct lost_ctx *c = user;
	const struct demand_ref_area *a = &c->s->r->areas[c->s->cid[i]];
	(void)dist_m;
	if (c->s->hit[c->s->cid[i]] == c->s->stamp)
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		double *xy = realloc(c->xy, 2 * cap * sizeof *xy);
		if (xy)
			c->xy = xy;
		double *res = xy ? realloc(c->res, cap * sizeof *res) : NULL;
		if (!res)
			return -ENOMEM;
		c->res = res;
		c->cap = cap;
	}
	c->xy[2 * c->n] = a->cx;
	c->xy[2 * c->n + 1] = a->cy;
	c->res[c->n++] = a->residents;
	return 0;
}

/* The residents of the reference polygons whose centre lies in the area (wkb) but that
 * none of its k points (bounding box of xy) fell in. */
static int lost_residents(struct demand_spreader *s, const uint8_t *wkb, size_t len,
			  const double *xy, size_t k, double *lost, char *err, size_t errlen)
{
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
	struct lost_ctx c = {s, NULL, NULL, 0, 0};
	uint8_t *in = NULL;
	for (size_t j = 0; j < k; j++) {
		x0 = fmin(x0, xy[2 * j]);
		x1 = fmax(x1, xy[2 * j]);
		y0 = fmin(y0, xy[2 * j + 1]);
		y1 = fmax(y1, xy[2 * j + 1]);
	}
	double r = hypot(x1 - x0, y1 - y0) / 2 + LOST_BUCKET_M / 2;
	int rc = grid_index_radius(s->centres, (x0 + x1) / 2, (y0 + y1) / 2, r, lost_candidate,
				   &c);
	*lost = 0;
	if (rc == 0 && c.n && !(in = malloc(c.n)))
		rc = -ENOMEM;
	if (rc == 0 && c.n)
		rc = geo_points_in_polygon(s->g, wkb, len, c.xy, c.n, in, err, errlen);
	for (size_t i = 0; rc == 0 && i < c.n; i++)
		*lost += in[i] ? c.res[i] : 0;
	if (rc == -ENOMEM)
		snprintf(err, errlen, "spreading: out of memory");
	free(c.xy);
	free(c.res);
	free(in);
	return rc;
}

int demand_spread_shares(struct demand_spreader *s, const uint8_t *wkb, size_t len,
			 double spacing_m, const double *xy, size_t k, double *share, char *err,
			 size_t errlen)
{
	double sum_d = 0, lost = 0;
	size_t covered = 0;
	s->stamp++;
	for (size_t j = 0; j < k; j++) {
		int64_t o = locator_find(s->loc, xy[2 * j], xy[2 * j + 1]);
		const struct demand_ref_area *a = o >= 0 ? &s->r->areas[o] : NULL;
		share[j] = a ? a->residents / a->land_m2 : -1;   /* -1: uncovered */
		covered += a != NULL;
		sum_d += a ? share[j] : 0;
		if (a)
			s->hit[o] = s->stamp;
	}
	int rc = covered > 0 && covered < k
		 ? lost_residents(s, wkb, len, xy, k, &lost, err, errlen) : 0;
	if (rc < 0)
		return rc;
	/* uncovered: the lost residents per point's land, at least the covered points' mean */
	double d_u = covered ? fmax(sum_d / (double)covered,
				    lost / ((double)(k - covered) * spacing_m * spacing_m)) : 0;
	double total = sum_d + (double)(k - covered) * d_u;
	int spread = covered > 0 && total > 0;
	for (size_t j = 0; j < k; j++)
		share[j] = !spread ? 1.0 / (double)k : (share[j] < 0 ? d_u : share[j]) / total;
	return spread;
}
