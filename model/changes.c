/* Compares two stored plans site by site: per level, each site of the older plan is matched
 * to the nearest unmatched site of the newer one within CHANGES_SAME_M (a sweep over the
 * newer sites sorted by x); what is left is removed or added. Counts go to the gemeente and
 * safety region of the site; each region gets the coverage rows of both plans. */
#define _GNU_SOURCE          /* qsort_r */
#include "model/changes.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/store_changes.h"
#include "data/store_plan.h"

/* One plan's sites of both levels, as read. */
struct side {
	struct changes_site *v;
	size_t n, cap;
};

struct areas {
	struct changes_area *v;
	size_t n, cap;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void copy_code(char dst[CHANGES_CODE_LEN], const char *src)
{
	snprintf(dst, CHANGES_CODE_LEN, "%s", src ? src : "");
}

static int side_row(void *user, const struct store_change_site *r)
{
	struct side *sd = user;
	if (sd->n == sd->cap) {
		size_t cap = sd->cap ? 2 * sd->cap : 256;
		void *v = realloc(sd->v, cap * sizeof *sd->v);
		if (!v)
			return -ENOMEM;
		sd->v = v;
		sd->cap = cap;
	}
	struct changes_site *s = &sd->v[sd->n];
	*s = (struct changes_site){.level = r->level, .seq = r->seq, .x_rd = r->x_rd,
				   .y_rd = r->y_rd, .site_id = r->site_id};
	copy_code(s->gemeente_code, r->gemeente_code);
	copy_code(s->region_code, r->region_code);
	s->name = dup_or_null(r->name);
	s->gemeente_name = dup_or_null(r->gemeente_name);
	sd->n++;
	return (r->name && !s->name) || (r->gemeente_name && !s->gemeente_name) ? -ENOMEM : 0;
}

static void side_free(struct side *sd)
{
	for (size_t i = 0; i < sd->n; i++) {
		free(sd->v[i].name);
		free(sd->v[i].gemeente_name);
	}
	free(sd->v);
	memset(sd, 0, sizeof *sd);
}

/* The area of code in a (sorted by code), added when missing; NULL for "" or no memory. */
static struct changes_area *area_get(struct areas *a, const char *code)
{
	size_t lo = 0, hi = a->n;
	if (!code[0])
		return NULL;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(a->v[mid].code, code);
		if (c == 0)
			return &a->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 64;
		void *v = realloc(a->v, cap * sizeof *a->v);
		if (!v)
			return NULL;
		a->v = v;
		a->cap = cap;
	}
	memmove(&a->v[lo + 1], &a->v[lo], (a->n - lo) * sizeof *a->v);
	a->n++;
	memset(&a->v[lo], 0, sizeof a->v[lo]);
	copy_code(a->v[lo].code, code);
	return &a->v[lo];
}

/* Counts one site (kind: 0 added, 1 removed, 2 kept) in the totals and its areas. */
static int count(struct plan_changes *c, struct areas *gm, struct areas *vr,
		 const struct changes_site *s, int kind)
{
	struct changes_count *t[3] = {&c->level[s->level - 1], NULL, NULL};
	struct changes_area *g = area_get(gm, s->gemeente_code);
	struct changes_area *r = area_get(vr, s->region_code);
	if ((s->gemeente_code[0] && !g) || (s->region_code[0] && !r))
		return -ENOMEM;
	if (g) {
		copy_code(g->region_code, s->region_code);
		if (!g->name && s->gemeente_name && !(g->name = strdup(s->gemeente_name)))
			return -ENOMEM;
		t[1] = &g->level[s->level - 1];
	}
	t[2] = r ? &r->level[s->level - 1] : NULL;
	for (int k = 0; k < 3; k++) {
		if (!t[k])
			continue;
		long *f = kind == 0 ? &t[k]->added : kind == 1 ? &t[k]->removed : &t[k]->kept;
		(*f)++;
	}
	return 0;
}

static int by_x(const void *a, const void *b, void *sites)
{
	const struct changes_site *v = sites;
	double xa = v[*(const size_t *)a].x_rd, xb = v[*(const size_t *)b].x_rd;
	return (xa > xb) - (xa < xb);
}

/* The nearest unmatched site of `to` (order: indices sorted by x) within CHANGES_SAME_M
 * of s on the same level, or SIZE_MAX. */
static size_t nearest(const struct side *to, const size_t *order, const uint8_t *used,
		      const struct changes_site *s)
{
	size_t lo = 0, hi = to->n, best = SIZE_MAX;
	double best_d2 = CHANGES_SAME_M * CHANGES_SAME_M;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (to->v[order[mid]].x_rd < s->x_rd - CHANGES_SAME_M)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo; k < to->n && to->v[order[k]].x_rd <= s->x_rd + CHANGES_SAME_M; k++) {
		const struct changes_site *t = &to->v[order[k]];
		double dx = t->x_rd - s->x_rd, dy = t->y_rd - s->y_rd, d2 = dx * dx + dy * dy;
		if (!used[order[k]] && t->level == s->level && d2 <= best_d2) {
			best = order[k];
			best_d2 = d2;
		}
	}
	return best;
}

/* Moves site s (its strings) into c's list. */
static int take(struct plan_changes *c, size_t *cap, struct changes_site *s, int added)
{
	if (c->nsites == *cap) {
		size_t ncap = *cap ? 2 * *cap : 128;
		void *v = realloc(c->sites, ncap * sizeof *c->sites);
		if (!v)
			return -ENOMEM;
		c->sites = v;
		*cap = ncap;
	}
	c->sites[c->nsites] = *s;
	c->sites[c->nsites++].added = added;
	s->name = s->gemeente_name = NULL;
	return 0;
}

static int match(struct plan_changes *c, struct side *from, struct side *to, struct areas *gm,
		 struct areas *vr)
{
	size_t *order = malloc((to->n + 1) * sizeof *order), cap = 0;
	uint8_t *used = calloc(to->n + 1, 1);
	int rc = order && used ? 0 : -ENOMEM;
	for (size_t k = 0; rc == 0 && k < to->n; k++)
		order[k] = k;
	if (rc == 0)
		qsort_r(order, to->n, sizeof *order, by_x, to->v);
	for (size_t i = 0; rc == 0 && i < from->n; i++) {
		size_t j = nearest(to, order, used, &from->v[i]);
		if (j == SIZE_MAX) {
			rc = count(c, gm, vr, &from->v[i], 1);
			rc = rc ? rc : take(c, &cap, &from->v[i], 0);
		} else {
			used[j] = 1;
			rc = count(c, gm, vr, &to->v[j], 2);
		}
	}
	for (size_t j = 0; rc == 0 && j < to->n; j++)
		if (!used[j]) {
			rc = count(c, gm, vr, &to->v[j], 0);
			rc = rc ? rc : take(c, &cap, &to->v[j], 1);
		}
	free(order);
	free(used);
	return rc;
}

static int by_listing(const void *a, const void *b)
{
	const struct changes_site *x = a, *y = b;
	if (x->level != y->level)
		return x->level - y->level;
	if (x->added != y->added)
		return y->added - x->added;
	int c = strcmp(x->gemeente_code, y->gemeente_code);
	return c ? c : x->seq - y->seq;
}

struct coverage_cb {
	struct areas *vr;
	int after;
};

static int coverage_row(void *user, const struct store_plan_region *r)
{
	struct coverage_cb *cb = user;
	if (!(r->residents > 0))
		return 0;             /* a region outside the plan's scope */
	struct changes_area *a = area_get(cb->vr, r->code ? r->code : "");
	if (!a)
		return r->code && r->code[0] ? -ENOMEM : 0;
	struct changes_coverage *cv = cb->after ? &a->after : &a->before;
	*cv = (struct changes_coverage){1, r->residents, r->covered_residents, r->weight,
					r->covered_weight};
	return 0;
}

static int region_name(void *user, const char *code, const char *name)
{
	struct areas *vr = user;
	for (size_t k = 0; k < vr->n; k++)
		if (strcmp(vr->v[k].code, code ? code : "") == 0 && name && !vr->v[k].name)
			return (vr->v[k].name = strdup(name)) ? 0 : -ENOMEM;
	return 0;
}

/* The header of plan id into created_at; -ENOENT "no plan N". */
static int header(struct store *st, int64_t id, char created_at[32], char *err, size_t errlen)
{
	struct store_plan_header h;
	int rc = store_plan_header(st, id, &h, err, errlen);
	if (rc == -ENOENT)
		snprintf(err, errlen, "no plan %lld", (long long)id);
	if (rc == 0)
		snprintf(created_at, 32, "%s", h.created_at);
	store_plan_header_free(&h);
	return rc;
}

static int resolve(struct store *st, int64_t *from, int64_t *to, struct plan_changes *c,
		   char *err, size_t errlen)
{
	int rc = 0;
	if (*to <= 0 && (rc = store_plan_latest(st, to, err, errlen)) == 0 && *to == 0) {
		snprintf(err, errlen, "no plan yet");
		return -ENOENT;
	}
	if (rc == 0)
		rc = header(st, *to, c->to_created_at, err, errlen);
	if (rc == 0 && *from < 0)
		rc = store_plan_before(st, *to, from, err, errlen);
	if (rc == 0 && *from > 0)
		rc = header(st, *from, c->from_created_at, err, errlen);
	c->from_id = *from;
	c->to_id = *to;
	return rc;
}

static int compare(struct store *st, struct plan_changes *c, struct areas *gm,
		   struct areas *vr, char *err, size_t errlen)
{
	struct side from = {0}, to = {0};
	struct coverage_cb before = {vr, 0}, after = {vr, 1};
	int rc = c->from_id > 0
		 ? store_each_change_site(st, c->from_id, side_row, &from, err, errlen) : 0;
	if (rc == 0)
		rc = store_each_change_site(st, c->to_id, side_row, &to, err, errlen);
	if (rc == 0 && c->from_id > 0)
		rc = match(c, &from, &to, gm, vr);
	if (rc == 0 && c->from_id > 0)
		rc = store_each_plan_region(st, c->from_id, coverage_row, &before, err, errlen);
	if (rc == 0)
		rc = store_each_plan_region(st, c->to_id, coverage_row, &after, err, errlen);
	if (rc == 0)
		rc = store_each_region_name(st, region_name, vr, err, errlen);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	side_free(&from);
	side_free(&to);
	return rc;
}

int changes_load(struct store *st, int64_t from, int64_t to, struct plan_changes **out,
		 char *err, size_t errlen)
{
	struct plan_changes *c = calloc(1, sizeof *c);
	struct areas gm = {0}, vr = {0};
	int rc = c ? resolve(st, &from, &to, c, err, errlen) : -ENOMEM;
	if (rc == 0)
		rc = compare(st, c, &gm, &vr, err, errlen);
	if (c) {
		c->gemeenten = gm.v;
		c->ngemeenten = gm.n;
		c->regions = vr.v;
		c->nregions = vr.n;
	}
	if (rc == -ENOMEM && !c)
		snprintf(err, errlen, "out of memory");
	if (rc < 0) {
		changes_free(c);
		return rc;
	}
	if (c->nsites)
		qsort(c->sites, c->nsites, sizeof *c->sites, by_listing);
	*out = c;
	return 0;
}

void changes_free(struct plan_changes *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nsites; i++) {
		free(c->sites[i].name);
		free(c->sites[i].gemeente_name);
	}
	for (size_t i = 0; i < c->ngemeenten; i++)
		free(c->gemeenten[i].name);
	for (size_t i = 0; i < c->nregions; i++)
		free(c->regions[i].name);
	free(c->sites);
	free(c->gemeenten);
	free(c->regions);
	free(c);
}

void changes_summary_line(const struct plan_changes *c, char *buf, size_t len)
{
	const struct changes_count *l = c->level, *r = &c->level[1];
	if (c->from_id <= 0) {
		snprintf(buf, len, "changes: first plan, nothing to compare");
		return;
	}
	snprintf(buf, len, "changes since plan %lld: local %ld added, %ld removed, %ld kept; "
		 "regional %ld added, %ld removed, %ld kept; total %ld added, %ld removed, %ld kept",
		 (long long)c->from_id, l->added, l->removed, l->kept, r->added, r->removed,
		 r->kept, l->added + r->added, l->removed + r->removed, l->kept + r->kept);
}
