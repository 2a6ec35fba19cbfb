/* Loads the map model: the serving model of the newest plan, the scope resolved the way
 * the query methods resolve "region", area and region polygons as stored WKB, batteries,
 * and per-gemeente unions of the squares of the uncovered demand points (geo/squares.h).
 * Never writes the database and never prints. */
#include "maps/map_model.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/store.h"
#include "geo/geom.h"
#include "geo/squares.h"

int map_area_in_scope(const struct map_model *m, int32_t a)
{
	if (a < 0 || (size_t)a >= m->s->nareas)
		return 0;
	if (m->nation)
		return 1;
	return selection_has_area(m->s, &m->sel, a);
}

int map_site_in_scope(const struct map_model *m, const struct served_site *site)
{
	return m->nation || selection_has_site(m->s, &m->sel, site);
}

int map_change_in_scope(const struct map_model *m, const struct changes_site *c)
{
	struct served_site site = {.x = c->x_rd, .y = c->y_rd,
				   .gemeente = served_find_code(m->s, c->gemeente_code)};
	return map_site_in_scope(m, &site);
}

const char *map_region_code(const struct map_model *m, int32_t a)
{
	int32_t r = a >= 0 ? m->s->areas[a].region : -1;
	return r >= 0 ? m->s->regions[r].code : "";
}

static int resolve_scope(struct map_model *m, const char *scope, char *err, size_t errlen)
{
	m->nation = !scope;
	snprintf(m->scope_code, sizeof m->scope_code, "%s", scope ? scope : "NL");
	m->scope_name = "Nederland";
	if (!scope)
		return 0;
	if (selection_from_code(m->s, scope, &m->sel) < 0) {
		snprintf(err, errlen, "no safety region, gemeente, wijk or buurt \"%s\"", scope);
		return -ENOENT;
	}
	m->scope_name = m->sel.kind == SEL_REGION ? m->s->regions[m->sel.index].name
					 : m->s->areas[m->sel.index].name;
	if (!m->scope_name)
		m->scope_name = m->scope_code;
	for (size_t a = 0; a < m->s->nareas; a++)
		if (m->s->areas[a].r.has && map_area_in_scope(m, (int32_t)a))
			return 0;
	snprintf(err, errlen, "%s is outside plan %lld, which was computed for %s", scope,
		 (long long)m->s->plan_id, m->s->scope ? m->s->scope : "the nation");
	return -ENOENT;
}

static int copy_geom(struct geom_ctx *g, struct map_geom *out, const uint8_t *wkb, size_t len,
		     char *err, size_t errlen)
{
	struct geom_bbox b;
	int rc = geom_bbox(g, wkb, len, &b, err, errlen);
	if (rc < 0)
		return rc;
	if (!(out->wkb = malloc(len ? len : 1))) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	memcpy(out->wkb, wkb, len);
	out->len = len;
	out->env[0] = b.minx;
	out->env[1] = b.maxx;
	out->env[2] = b.miny;
	out->env[3] = b.maxy;
	return 0;
}

struct load_cb {
	struct map_model *m;
	char *err;
	size_t errlen;
};

static int on_area(void *user, const struct store_area_row *r)
{
	struct load_cb *c = user;
	struct map_model *m = c->m;
	int32_t a = served_find_code(m->s, r->code);
	if (a < 0 || !map_area_in_scope(m, a) || m->area[a].wkb)
		return 0;
	int rc = copy_geom(m->s->g, &m->area[a], r->wkb, r->wkb_len, c->err, c->errlen);
	if (rc < 0)
		return rc;
	{
		const double *e = m->area[a].env;
		m->bbox[0] = fmin(m->bbox[0], e[0]);
		m->bbox[1] = fmin(m->bbox[1], e[2]);
		m->bbox[2] = fmax(m->bbox[2], e[1]);
		m->bbox[3] = fmax(m->bbox[3], e[3]);
	}
	return 0;
}

/* A region is drawn when the scope is the nation or lies in it. */
static int region_in_scope(const struct map_model *m, int32_t r)
{
	if (m->nation)
		return 1;
	if (m->sel.kind == SEL_REGION)
		return r == m->sel.index;
	return m->s->areas[m->sel.index].region == r;
}

static int on_region(void *user, const char *code, const char *name, const uint8_t *wkb,
		     size_t len)
{
	struct load_cb *c = user;
	int32_t r = served_find_region(c->m->s, code);
	(void)name;
	if (r < 0 || !region_in_scope(c->m, r) || c->m->region[r].wkb)
		return 0;
	return copy_geom(c->m->s->g, &c->m->region[r], wkb, len, c->err, c->errlen);
}

static int grow_batteries(struct map_model *m, size_t *cap)
{
	if (m->nbat < *cap)
		return 0;
	*cap = *cap ? 2 * *cap : 1024;
	struct map_battery *b = realloc(m->bat, *cap * sizeof *b);
	if (!b)
		return -ENOMEM;
	m->bat = b;
	return 0;
}

struct battery_cb {
	struct map_model *m;
	size_t cap;
};

static int on_battery(void *user, const struct store_plan_battery *b)
{
	struct battery_cb *c = user;
	int32_t a = served_find_code(c->m->s, b->code);
	if (a < 0 || !map_area_in_scope(c->m, a))
		return 0;
	if (grow_batteries(c->m, &c->cap) < 0)
		return -ENOMEM;
	c->m->bat[c->m->nbat++] = (struct map_battery){a, b->x_rd, b->y_rd, b->kwh, b->kw,
						       b->households, b->funded};
	return 0;
}

static int read_store(struct map_model *m, const struct config *cfg, char *err, size_t errlen)
{
	struct store *st = NULL;
	struct load_cb c = {m, err, errlen};
	struct battery_cb bc = {m, 0};
	int rc = store_open(cfg->database, STORE_READONLY, &st, err, errlen);
	if (rc == 0)
		rc = store_each_area(st, on_area, &c, err, errlen);
	if (rc == 0)
		rc = store_each_region_outline(st, on_region, &c, err, errlen);
	if (rc == 0)
		rc = store_each_plan_battery(st, m->s->plan_id, on_battery, &bc, err, errlen);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (rc == 0)
		rc = store_last_import(st, &m->import, err, errlen);
	if (rc == 0)
		rc = changes_load(st, -1, m->s->plan_id, &m->changes, err, errlen);
	store_close(st);
	return rc;
}

/* Per gemeente: the squares of its uncovered demand points in scope, unioned. */
struct squares {
	double *xy, *side;
	size_t n, cap;
};

static int squares_add(struct squares *q, double x, double y, double side)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? 2 * q->cap : 256;
		double *a = realloc(q->xy, 2 * cap * sizeof *a);
		if (a)
			q->xy = a;
		double *b = a ? realloc(q->side, cap * sizeof *b) : NULL;
		if (!b)
			return -ENOMEM;
		q->side = b;
		q->cap = cap;
	}
	q->xy[2 * q->n] = x;
	q->xy[2 * q->n + 1] = y;
	q->side[q->n++] = side;
	return 0;
}

static int union_gemeente(struct map_model *m, int32_t gm, struct squares *q, char *err,
			  size_t errlen)
{
	struct map_geom *out = &m->uncovered[gm];
	struct geom_bbox b;
	char why[256];
	int rc = geo_squares_union_wkb(m->s->g, q->xy, q->side, q->n, &out->wkb, &out->len, &b,
				       why, sizeof why);
	if (rc < 0) {
		snprintf(err, errlen, "uncovered places of %s: %s", m->s->areas[gm].code, why);
		return rc;
	}
	out->env[0] = b.minx;
	out->env[1] = b.maxx;
	out->env[2] = b.miny;
	out->env[3] = b.maxy;
	return 0;
}

static int build_uncovered(struct map_model *m, char *err, size_t errlen)
{
	const struct served *s = m->s;
	struct squares *q = calloc(s->nareas + 1, sizeof *q);
	int rc = q ? 0 : -ENOMEM;
	for (size_t i = 0; rc == 0 && i < s->demand.n; i++) {
		int32_t gm = s->demand.gemeente[i];
		if (s->cover_count[i] || gm < 0 || !map_area_in_scope(m, s->demand.area[i]))
			continue;
		m->unc_residents[gm] += s->demand.residents[i];
		m->unc_vulnerable[gm] += s->demand.vulnerable[i];
		rc = squares_add(&q[gm], s->demand.xy[2 * i], s->demand.xy[2 * i + 1],
				 served_point_side(s, i));
	}
	if (rc < 0)
		snprintf(err, errlen, "out of memory");
	for (size_t a = 0; q && a < s->nareas; a++) {
		if (rc == 0 && q[a].n)
			rc = union_gemeente(m, (int32_t)a, &q[a], err, errlen);
		free(q[a].xy);
		free(q[a].side);
	}
	free(q);
	return rc;
}

static int alloc_arrays(struct map_model *m)
{
	size_t n = m->s->nareas + 1;
	m->area = calloc(n, sizeof *m->area);
	m->uncovered = calloc(n, sizeof *m->uncovered);
	m->unc_residents = calloc(n, sizeof *m->unc_residents);
	m->unc_vulnerable = calloc(n, sizeof *m->unc_vulnerable);
	m->region = calloc(m->s->nregions + 1, sizeof *m->region);
	m->bbox[0] = m->bbox[1] = INFINITY;
	m->bbox[2] = m->bbox[3] = -INFINITY;
	return m->area && m->uncovered && m->unc_residents && m->unc_vulnerable && m->region
		       ? 0 : -ENOMEM;
}

int map_model_load(const struct config *cfg, const char *scope, struct map_model **out,
		   char *err, size_t errlen)
{
	struct map_model *m = calloc(1, sizeof *m);
	int rc = m ? served_load(cfg, &m->s, err, errlen) : -ENOMEM;
	*out = NULL;
	if (rc == 0 && (rc = alloc_arrays(m)) < 0)
		snprintf(err, errlen, "out of memory");
	if (rc == 0)
		rc = resolve_scope(m, scope, err, errlen);
	if (rc == 0)
		rc = read_store(m, cfg, err, errlen);
	if (rc == 0)
		rc = build_uncovered(m, err, errlen);
	if (rc < 0) {
		if (!m)
			snprintf(err, errlen, "out of memory");
		map_model_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

static void free_geoms(struct map_geom *g, size_t n)
{
	for (size_t i = 0; g && i < n; i++)
		free(g[i].wkb);
	free(g);
}

void map_model_free(struct map_model *m)
{
	if (!m)
		return;
	if (m->s) {
		free_geoms(m->area, m->s->nareas);
		free_geoms(m->uncovered, m->s->nareas);
		free_geoms(m->region, m->s->nregions);
	}
	free(m->unc_residents);
	free(m->unc_vulnerable);
	free(m->bat);
	changes_free(m->changes);
	served_free(m->s);
	free(m);
}
