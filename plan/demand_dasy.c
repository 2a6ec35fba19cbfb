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

#include "geo/locate.h"
#include "geo/overlay.h"
#include "plan/demand.h"

struct demand_spreader {
	const struct demand_refs *r;
	struct locator *loc;          /* ids index r->areas */
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
	r->areas[r->n++] = (struct demand_ref_area){k, residents, copy, wkb_len, NAN};
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
	for (size_t i = 0; i < r->n && rc == 0; i++)
		r->areas[i].land_m2 = m2[i] > 0 ? m2[i] : NAN;
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

struct demand_spreader *demand_spreader_new(struct geom_ctx *g, const struct demand_refs *r,
					    int32_t layer, char *err, size_t errlen)
{
	struct demand_spreader *s = calloc(1, sizeof *s);
	if (!s || !(s->loc = locator_new(g))) {
		snprintf(err, errlen, "spreading: out of memory");
		free(s);
		return NULL;
	}
	s->r = r;
	for (size_t i = 0; i < r->n; i++) {
		const struct demand_ref_area *a = &r->areas[i];
		if (a->layer != layer || !usable(a))
			continue;
		if (locator_add(s->loc, a->wkb, a->wkb_len, (int64_t)i, err, errlen) < 0) {
			demand_spreader_free(s);
			return NULL;
		}
	}
	return s;
}

void demand_spreader_free(struct demand_spreader *s)
{
	if (!s)
		return;
	locator_free(s->loc);
	free(s);
}

int demand_spread_shares(struct demand_spreader *s, const double *xy, size_t k, double *share)
{
	double sum_d = 0;
	size_t covered = 0;
	for (size_t j = 0; j < k; j++) {
		int64_t o = locator_find(s->loc, xy[2 * j], xy[2 * j + 1]);
		const struct demand_ref_area *a = o >= 0 ? &s->r->areas[o] : NULL;
		share[j] = a ? a->residents / a->land_m2 : -1;   /* -1: uncovered */
		covered += a != NULL;
		sum_d += a ? share[j] : 0;
	}
	int spread = covered > 0 && sum_d > 0;
	double rest = (double)covered / (double)k;
	for (size_t j = 0; j < k; j++)
		share[j] = !spread || share[j] < 0 ? 1.0 / (double)k : rest * share[j] / sum_d;
	return spread;
}
