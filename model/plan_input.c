/* Loading the planner's inputs from the store and the scope filter: areas (with owned
 * copies of geometry and names), memberships numbered by region code, and sites. Never
 * writes the store; prints nothing. */
#include "model/plan_input.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/store_plan.h"
#include "data/store_hazards.h"
#include "data/store_ref.h"
#include "data/store_status.h"
#include "plan/prepare.h"

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	size_t c = *cap ? *cap * 2 : 1024;
	void *q = realloc(p, c * size);
	if (q)
		*cap = c;
	return q;
}

static void copy_code(char *dst, const char *src)
{
	snprintf(dst, PLAN_CODE_LEN, "%s", src ? src : "");
}

static int on_area(void *user, const struct store_area_row *r)
{
	struct plan_input *l = user;
	struct plan_area *areas = grow(l->areas, &l->cap, l->n, sizeof *areas);
	if (!areas)
		return -ENOMEM;
	l->areas = areas;             /* before anything else can fail: realloc moved it */
	uint8_t *wkb = malloc(r->wkb_len ? r->wkb_len : 1);
	if (!wkb)
		return -ENOMEM;
	struct plan_area *a = &areas[l->n++];
	memset(a, 0, sizeof *a);
	memcpy(wkb, r->wkb, r->wkb_len);
	a->level = r->level;
	a->wkb = wkb;
	a->name = r->name ? strdup(r->name) : NULL;
	if (r->name && !a->name)
		return -ENOMEM;       /* the area and its wkb are freed with the input */
	copy_code(a->code, r->code);
	copy_code(a->gemeente_code, r->gemeente_code);
	copy_code(a->wijk_code, r->wijk_code);
	a->residents = r->residents;
	a->residents_65plus = r->residents_65plus;
	a->pct_65plus = r->pct_65plus;
	a->households = r->households;
	a->cars_per_household = r->cars_per_household;
	a->address_density = r->address_density;
	a->urbanity = r->urbanity == r->urbanity ? (int)r->urbanity : 0;
	a->wkb_len = r->wkb_len;
	return 0;
}

static int on_member(void *user, const char *gm, const char *vr, const char *name)
{
	struct plan_input *l = user;
	struct plan_member *m = grow(l->members, &l->mcap, l->nmembers, sizeof *m);
	if (!m)
		return -ENOMEM;
	l->members = m;
	copy_code(m[l->nmembers].gm, gm);
	/* Region index assigned after loading: keep the code in a scratch slot for now. */
	size_t r = 0;
	while (r < l->nregions && strcmp(l->regions[r], vr ? vr : "") != 0)
		r++;
	if (r == l->nregions) {
		char (*regions)[PLAN_CODE_LEN] = realloc(l->regions, (r + 1) * sizeof *regions);
		if (regions)
			l->regions = regions;
		char (*names)[64] = regions ? realloc(l->region_names, (r + 1) * sizeof *names) : NULL;
		if (!names)
			return -ENOMEM;
		l->region_names = names;
		snprintf(l->region_names[r], sizeof *names, "%s", name ? name : "");
		copy_code(l->regions[l->nregions++], vr);
	}
	m[l->nmembers++].region = (int32_t)r;
	return 0;
}

static int on_site(void *user, const struct store_site_row *r)
{
	struct plan_input *l = user;
	struct plan_site_in *s = grow(l->sites, &l->scap, l->nsites, sizeof *s);
	if (!s)
		return -ENOMEM;
	l->sites = s;
	struct plan_site_in *x = &s[l->nsites];
	*x = (struct plan_site_in){.x = r->x_rd, .y = r->y_rd, .fixed = r->fixed, .id = r->id,
				   .gemeente = -1, .beds = r->beds, .ic_beds = r->ic_beds,
				   .clients = r->clients};
	x->name = r->name ? strdup(r->name) : NULL;
	x->kind = r->kind ? strdup(r->kind) : NULL;
	x->subkind = r->subkind ? strdup(r->subkind) : NULL;
	if ((r->name && !x->name) || (r->kind && !x->kind) || (r->subkind && !x->subkind)) {
		free((void *)x->name);
		free((void *)x->kind);
		free((void *)x->subkind);
		return -ENOMEM;
	}
	l->nsites++;
	return 0;
}

static int on_status(void *user, const struct store_status_row *r)
{
	struct plan_input *l = user;
	if (r->status != STORE_STATUS_DESIGNATED && r->status != STORE_STATUS_REJECTED)
		return 0;
	struct plan_status *t = grow(l->statuses, &l->stcap, l->nstatuses, sizeof *t);
	if (!t)
		return -ENOMEM;
	l->statuses = t;
	t[l->nstatuses++] = (struct plan_status){r->site_id, r->status, r->x_rd, r->y_rd};
	return 0;
}

static int by_site_id(const void *a, const void *b)
{
	const struct plan_status *x = a, *y = b;
	return (x->site_id > y->site_id) - (x->site_id < y->site_id);
}

int plan_input_status_of(const struct plan_input *l, int64_t id)
{
	struct plan_status key = {.site_id = id};
	const struct plan_status *hit = id < 0 || !l->nstatuses ? NULL
		: bsearch(&key, l->statuses, l->nstatuses, sizeof key, by_site_id);
	return hit ? hit->status : STORE_STATUS_NONE;
}

void plan_input_apply_statuses(struct plan_input *l)
{
	size_t n = 0;
	for (size_t j = 0; j < l->nsites; j++) {
		int status = plan_input_status_of(l, l->sites[j].id);
		if (status == STORE_STATUS_REJECTED) {
			free((void *)l->sites[j].name);
			free((void *)l->sites[j].kind);
			free((void *)l->sites[j].subkind);
			continue;
		}
		if (status == STORE_STATUS_DESIGNATED)
			l->sites[j].fixed = 1;
		l->sites[n++] = l->sites[j];
	}
	l->nsites = n;
}

static int load_statuses(struct store *st, struct plan_input *l, char *err, size_t errlen)
{
	int rc = store_each_status(st, on_status, l, err, errlen);
	if (rc == 0 && l->nstatuses)
		qsort(l->statuses, l->nstatuses, sizeof *l->statuses, by_site_id);
	if (rc == 0)
		plan_input_apply_statuses(l);
	return rc;
}

int32_t plan_input_region_of(void *user, const char *gm)
{
	const struct plan_input *l = user;
	size_t lo = 0, hi = l->nmembers;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(l->members[mid].gm, gm);
		if (c == 0)
			return l->members[mid].region;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void plan_input_free(struct plan_input *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((void *)l->areas[i].wkb);
		free((void *)l->areas[i].name);
	}
	free(l->areas);
	free(l->members);
	free(l->regions);
	free(l->region_names);
	for (size_t j = 0; j < l->nsites; j++) {
		free((void *)l->sites[j].name);
		free((void *)l->sites[j].kind);
		free((void *)l->sites[j].subkind);
	}
	free(l->sites);
	free(l->statuses);
	demand_refs_free(&l->refs);
	plan_hazards_free(&l->hazards);
	memset(l, 0, sizeof *l);
}

static int by_region_code(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* Numbers the safety regions in code order (VR01, VR02, ...) and renumbers memberships. */
static int sort_regions(struct plan_input *l)
{
	size_t n = l->nregions;
	char (*sorted)[PLAN_CODE_LEN] = malloc((n + 1) * sizeof *sorted);
	char (*names)[64] = malloc((n + 1) * sizeof *names);
	int32_t *new_index = malloc((n + 1) * sizeof *new_index);
	if (!sorted || !names || !new_index) {
		free(sorted);
		free(names);
		free(new_index);
		return -ENOMEM;
	}
	if (n) {
		memcpy(sorted, l->regions, n * sizeof *sorted);
		qsort(sorted, n, sizeof *sorted, by_region_code);
	}
	for (size_t r = 0; r < n; r++) {
		char (*hit)[PLAN_CODE_LEN] = bsearch(l->regions[r], sorted, n, sizeof *sorted,
						     by_region_code);
		new_index[r] = (int32_t)(hit - sorted);
		memcpy(names[new_index[r]], l->region_names[r], sizeof *names);
	}
	for (size_t m = 0; m < l->nmembers; m++)
		l->members[m].region = new_index[l->members[m].region];
	free(l->regions);
	free(l->region_names);
	free(new_index);
	l->regions = sorted;
	l->region_names = names;
	return 0;
}

struct ref_ctx {
	struct plan_input *l;
	char err[256];
};

static int on_ref_area(void *user, const struct store_ref_area *r)
{
	struct ref_ctx *c = user;
	return demand_refs_add(&c->l->refs, r->layer, r->residents, r->wkb, r->wkb_len, c->err,
			       sizeof c->err);
}

/* The reference layers (dasymetric spreading), their land measured later. */
static int load_refs(struct store *st, struct plan_input *l, char *err, size_t errlen)
{
	struct ref_ctx c = {l, ""};
	int rc = store_each_ref_area(st, on_ref_area, &c, err, errlen);
	if (rc < 0 && c.err[0])
		snprintf(err, errlen, "ref_areas: %s", c.err);
	return rc;
}

static int on_hazard_part(void *user, const struct store_hazard_part *p)
{
	struct plan_input *l = user;
	return plan_hazards_add(&l->hazards, p->name, p->wkb, p->wkb_len);
}

int plan_input_load(struct store *st, struct plan_input *l, char *err, size_t errlen)
{
	int rc = store_each_area(st, on_area, l, err, errlen);
	if (rc == 0)
		rc = store_each_membership(st, on_member, l, err, errlen);
	if (rc == 0)
		rc = sort_regions(l);
	if (rc == 0)
		rc = store_each_site(st, on_site, l, err, errlen);
	if (rc == 0)
		rc = load_statuses(st, l, err, errlen);
	if (rc == 0)
		rc = load_refs(st, l, err, errlen);
	if (rc == 0)
		rc = store_each_hazard_part(st, on_hazard_part, l, err, errlen);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory loading the store");
	if (rc == 0 && l->n == 0) {
		snprintf(err, errlen, "the database holds no areas: run `hubplannerd import` first");
		rc = -ENODATA;
	}
	return rc;
}

/* 1 when code (a gemeente) or its region is named in the comma-separated scope. */
static int in_scope(const struct plan_input *l, const char *scope, const char *gm)
{
	int32_t r = plan_input_region_of((void *)l, gm);
	const char *rc = r >= 0 ? l->regions[r] : "";
	for (const char *p = scope; *p;) {
		size_t n = strcspn(p, ",");
		if ((n == strlen(gm) && strncmp(p, gm, n) == 0) ||
		    (n && n == strlen(rc) && strncmp(p, rc, n) == 0))
			return 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* Cells are attributed on the full area set first, so a cell belongs to the same gemeente
 * whatever the scope; then every area, cells included, is kept when its gemeente is. */
int plan_input_scope(struct geom_ctx *g, struct plan_input *l, const char *scope,
		     double assign_max_m, char *err, size_t errlen)
{
	int rc = demand_locate_cells(g, l->areas, l->n, assign_max_m, err, errlen);
	size_t n = 0, kept_gm = 0;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < l->n; i++) {
		struct plan_area *a = &l->areas[i];
		const char *gm = a->level == PLAN_GEMEENTE ? a->code : a->gemeente_code;
		if (gm[0] && in_scope(l, scope, gm)) {
			kept_gm += a->level == PLAN_GEMEENTE;
			l->areas[n++] = *a;
		} else {
			free((void *)a->wkb);
			free((void *)a->name);
		}
	}
	l->n = n;
	if (kept_gm == 0) {
		snprintf(err, errlen, "scope \"%s\" names no municipality or safety region in the "
			 "database", scope);
		return -ENOENT;
	}
	return 0;
}

/* With a scope, sites that lie in no municipality of the scope are not candidates. */
static void drop_unlocated_sites(struct plan_input *l)
{
	size_t n = 0;
	for (size_t j = 0; j < l->nsites; j++) {
		if (l->sites[j].gemeente >= 0) {
			l->sites[n++] = l->sites[j];
		} else {
			free((void *)l->sites[j].name);
			free((void *)l->sites[j].kind);
			free((void *)l->sites[j].subkind);
		}
	}
	l->nsites = n;
}

int plan_input_ready(struct geom_ctx *g, struct plan_input *l, const char *scope, char *err,
		     size_t errlen)
{
	int rc = demand_refs_land(g, &l->refs, l->areas, l->n, err, errlen);
	if (rc == 0 && scope)
		rc = plan_input_scope(g, l, scope, PLAN_ASSIGN_MAX_M, err, errlen);
	if (rc == 0)
		rc = plan_locate_sites(g, l->areas, l->n, l->sites, l->nsites, err, errlen);
	if (rc == 0 && scope)
		drop_unlocated_sites(l);
	return rc;
}

int plan_input_scope_mask(const struct plan_input *l, const char *scope, uint8_t **mask,
			  char *err, size_t errlen)
{
	size_t kept = 0;
	*mask = calloc(l->n + 1, 1);
	if (!*mask) {
		snprintf(err, errlen, "scope mask: out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < l->n; i++)
		if (l->areas[i].level == PLAN_GEMEENTE && in_scope(l, scope, l->areas[i].code))
			kept += (*mask)[i] = 1;
	if (kept == 0) {
		snprintf(err, errlen, "scope \"%s\" names no municipality or safety region in the "
			 "database", scope);
		free(*mask);
		*mask = NULL;
		return -ENOENT;
	}
	return 0;
}
