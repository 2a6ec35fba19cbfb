/* Hazard polygons and the candidates they exclude: one locator (STRtree of prepared
 * polygons, geo/locate) per named layer, built for the call and freed after it, so that
 * ~20,000 candidates against thousands of polygons stay a matter of milliseconds. Never
 * logs; the caller reports the counts. */
#include "plan/hazard.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/locate.h"
#include "util/grow.h"

int plan_hazards_add(struct plan_hazards *h, const char *name, const uint8_t *wkb, size_t len)
{
	if (strlen(name) >= PLAN_HAZARD_NAME_LEN)
		return -EINVAL;
	if (grow_reserve(&h->parts, &h->cap, h->n + 1, sizeof *h->parts, 16) < 0)
		return -ENOMEM;
	struct plan_hazard_part *p = &h->parts[h->n];
	if (!(p->wkb = malloc(len ? len : 1)))
		return -ENOMEM;
	memcpy(p->wkb, wkb, len);
	p->len = len;
	snprintf(p->name, sizeof p->name, "%s", name);
	h->n++;
	return 0;
}

void plan_hazards_free(struct plan_hazards *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->parts[i].wkb);
	free(h->parts);
	memset(h, 0, sizeof *h);
}

int plan_hazards_has(const struct plan_hazards *h, const char *name)
{
	for (size_t i = 0; h && i < h->n; i++)
		if (strcmp(h->parts[i].name, name) == 0)
			return 1;
	return 0;
}

int plan_hazard_counts_init(const struct plan_hazards *h, const char *names,
			    struct plan_hazard_count *counts, size_t *n, char *err,
			    size_t errlen)
{
	*n = 0;
	for (const char *p = names; p && *p;) {
		size_t len = strcspn(p, ",");
		char name[PLAN_HAZARD_NAME_LEN];
		snprintf(name, sizeof name, "%.*s", (int)len, p);
		if (len >= sizeof name || !plan_hazards_has(h, name)) {
			snprintf(err, errlen, "hazard layer %.*s is not imported (hazard-list shows "
				 "the layers)", (int)len, p);
			return -ENOENT;
		}
		if (*n == PLAN_HAZARD_MAX) {
			snprintf(err, errlen, "more than %d hazard layers named", PLAN_HAZARD_MAX);
			return -E2BIG;
		}
		counts[*n] = (struct plan_hazard_count){0};
		memcpy(counts[(*n)++].name, name, sizeof name);
		p += len + (p[len] == ',');
	}
	return 0;
}

struct locator *plan_hazard_locator(struct geom_ctx *g, const struct plan_hazards *h,
				     const char *name, char *err, size_t errlen)
{
	struct locator *loc = locator_new(g);
	int rc = loc ? 0 : -ENOMEM;
	for (size_t i = 0; rc == 0 && h && i < h->n; i++)
		if (strcmp(h->parts[i].name, name) == 0)
			rc = locator_add(loc, h->parts[i].wkb, h->parts[i].len, (int64_t)i, err,
					 errlen);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (rc < 0) {
		locator_free(loc);
		return NULL;
	}
	return loc;
}

int plan_hazard_mark(struct geom_ctx *g, const struct plan_hazards *h, const char *name,
		     const double *xy, size_t n, uint8_t *inside, char *err, size_t errlen)
{
	struct locator *loc = plan_hazard_locator(g, h, name, err, errlen);
	if (!loc)
		return -EINVAL;
	for (size_t k = 0; k < n; k++)
		inside[k] = locator_find(loc, xy[2 * k], xy[2 * k + 1]) >= 0;
	locator_free(loc);
	return 0;
}

/* layer[k] = 1 + the first of counts[0..n) whose layer holds point k of xy[0..np), 0 when
 * none. */
static int first_layers(struct geom_ctx *g, const struct plan_hazards *h,
			const struct plan_hazard_count *counts, size_t n, const double *xy,
			size_t np, uint8_t *layer, char *err, size_t errlen)
{
	uint8_t *in = malloc(np ? np : 1);
	int rc = in ? 0 : -ENOMEM;
	memset(layer, 0, np);
	for (size_t l = 0; rc == 0 && l < n; l++) {
		rc = plan_hazard_mark(g, h, counts[l].name, xy, np, in, err, errlen);
		for (size_t k = 0; rc == 0 && k < np; k++)
			if (in[k] && !layer[k])
				layer[k] = (uint8_t)(l + 1);
	}
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	free(in);
	return rc;
}

int plan_hazard_exclude(struct geom_ctx *g, const struct plan_hazards *h,
			struct plan_hazard_count *counts, size_t n, int regional,
			struct candidates *c, char *err, size_t errlen)
{
	uint8_t *layer = malloc(c->n ? c->n : 1);
	int rc = layer ? first_layers(g, h, counts, n, c->xy, c->n, layer, err, errlen) : -ENOMEM;
	size_t m = 0;
	for (size_t k = 0; rc == 0 && k < c->n; k++) {
		struct plan_hazard_count *hc = layer[k] ? &counts[layer[k] - 1] : NULL;
		if (hc && !c->fixed[k]) {
			*(regional ? &hc->regional_excluded : &hc->local_excluded) += 1;
			continue;
		}
		if (hc && !regional)
			hc->fixed_kept++;
		candidates_move(c, m++, k);
	}
	if (rc == 0)
		c->n = m;
	if (!layer)
		snprintf(err, errlen, "out of memory");
	free(layer);
	return rc;
}

int plan_hazard_incumbents(struct geom_ctx *g, const struct plan_hazards *h,
			   struct plan_hazard_count *counts, size_t n,
			   struct plan_incumbent *inc, size_t *ninc, char *err, size_t errlen)
{
	size_t ni = *ninc, m = 0;
	double *xy = calloc(ni ? 2 * ni : 2, sizeof *xy);
	uint8_t *layer = malloc(ni ? ni : 1);
	int rc = xy && layer ? 0 : -ENOMEM;
	if (rc < 0)
		snprintf(err, errlen, "out of memory");
	for (size_t k = 0; rc == 0 && k < ni; k++) {
		xy[2 * k] = inc[k].x;
		xy[2 * k + 1] = inc[k].y;
	}
	if (rc == 0)
		rc = first_layers(g, h, counts, n, xy, ni, layer, err, errlen);
	for (size_t k = 0; rc == 0 && k < ni; k++) {
		if (layer[k])
			counts[layer[k] - 1].incumbents_excluded++;
		else
			inc[m++] = inc[k];
	}
	if (rc == 0)
		*ninc = m;
	free(xy);
	free(layer);
	return rc;
}

int plan_hazard_flag(struct geom_ctx *g, const struct plan_hazards *h,
		     struct plan_hazard_count *counts, size_t n, int regional,
		     const struct candidates *c, const uint32_t *open, size_t nopen,
		     int8_t **flag, char *err, size_t errlen)
{
	double *xy = calloc(nopen ? 2 * nopen : 2, sizeof *xy);
	uint8_t *layer = malloc(nopen ? nopen : 1);
	int8_t *f = malloc(nopen ? nopen : 1);
	int rc = xy && layer && f ? 0 : -ENOMEM;
	if (rc < 0)
		snprintf(err, errlen, "out of memory");
	for (size_t k = 0; rc == 0 && k < nopen; k++) {
		xy[2 * k] = c->xy[2 * open[k]];
		xy[2 * k + 1] = c->xy[2 * open[k] + 1];
	}
	if (rc == 0)
		rc = first_layers(g, h, counts, n, xy, nopen, layer, err, errlen);
	for (size_t k = 0; rc == 0 && k < nopen; k++) {
		f[k] = (int8_t)(layer[k] ? layer[k] - 1 : -1);
		if (layer[k])
			*(regional ? &counts[layer[k] - 1].regional_flagged
				   : &counts[layer[k] - 1].local_flagged) += 1;
	}
	free(xy);
	free(layer);
	if (rc < 0) {
		free(f);
		f = NULL;
	}
	*flag = f;
	return rc;
}
