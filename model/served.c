/* Loading the serving model from the store: the newest plan's header and rows, the areas
 * with their hierarchy and names, point locators, site indexes, and the demand and
 * candidates rebuilt by the planner's own plan_prepare with the plan's stored parameters,
 * so that what-if and suggestions agree with the stored plan. */
#include "model/served.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/store.h"
#include "data/store_plan.h"
#include "model/plan_input.h"
#include "model/served_places.h"
#include "model/served_status.h"
#include "plan/params.h"
#include "plan/plan.h"
#include "plan/prepare.h"

struct load_ctx {
	struct served *s;
	struct plan_input *in;
	char *err;
	size_t errlen;
};

static int by_code(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

int32_t served_find_code(const struct served *s, const char *code)
{
	char key[PLAN_CODE_LEN];
	snprintf(key, sizeof key, "%s", code ? code : "");
	char (*hit)[PLAN_CODE_LEN] = bsearch(key, s->code_sorted, s->nareas, sizeof *hit, by_code);
	return hit ? s->code_index[hit - s->code_sorted] : -1;
}

int32_t served_find_region(const struct served *s, const char *code)
{
	for (size_t r = 0; r < s->nregions; r++)
		if (strcmp(s->regions[r].code, code) == 0)
			return (int32_t)r;
	return -1;
}

double served_radius(const struct served *s, int level, int urbanity)
{
	int u = urbanity >= 1 && urbanity <= 5 ? urbanity : 5;
	const double *r = level == 2 ? s->params.regional_radius_m : s->params.local_radius_m;
	return r[u - 1] / s->params.detour_factor;
}

double served_point_side(const struct served *s, size_t i)
{
	int level = s->areas[s->demand.area[i]].level;
	if (level == PLAN_CELL100 || level == PLAN_CELL500)
		return level == PLAN_CELL100 ? 100 : 500;
	const struct demand_params *p = &s->params.demand;
	return s->demand.urbanity[i] <= 3 ? p->spacing_urban_m : p->spacing_rural_m;
}

/* The parameters the plan was computed with, and its scope, from its stored JSON. */
static int read_params(struct served *s, char *err, size_t errlen)
{
	json_error_t je;
	char why[200] = "";
	json_t *j = json_loads(s->params_json ? s->params_json : "", 0, &je);
	int rc = j ? plan_params_from_json(j, &s->params, &s->scope, why, sizeof why) : -EINVAL;
	if (!j)
		snprintf(why, sizeof why, "%s", je.text);
	json_decref(j);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	else if (rc < 0)
		snprintf(err, errlen, "plan %lld: stored parameters are unreadable: %s",
			 (long long)s->plan_id, why);
	return rc;
}

static int build_areas(struct served *s, const struct plan_input *in)
{
	s->areas = calloc(in->n + 1, sizeof *s->areas);
	s->code_sorted = malloc((in->n + 1) * sizeof *s->code_sorted);
	s->code_index = malloc((in->n + 1) * sizeof *s->code_index);
	if (!s->areas || !s->code_sorted || !s->code_index)
		return -ENOMEM;
	s->nareas = in->n;            /* only now: served_free walks areas[0..nareas) */
	for (size_t i = 0; i < in->n; i++) {
		const struct plan_area *a = &in->areas[i];
		struct served_area *x = &s->areas[i];
		x->level = a->level;
		memcpy(x->code, a->code, sizeof x->code);
		x->name = a->name ? strdup(a->name) : NULL;
		if (a->name && !x->name)
			return -ENOMEM;
		x->gemeente = a->gemeente;
		x->wijk = a->wijk;
		x->buurt = a->buurt;
		x->region = a->region;
		x->urbanity = a->urbanity;
		snprintf(x->spread, sizeof x->spread, "%s", a->spread ? a->spread : "");
		memcpy(s->code_sorted[i], a->code, PLAN_CODE_LEN);
	}
	qsort(s->code_sorted, in->n, sizeof *s->code_sorted, by_code);
	for (size_t i = 0; i < in->n; i++) {
		char (*hit)[PLAN_CODE_LEN] = bsearch(in->areas[i].code, s->code_sorted, in->n,
						     sizeof *hit, by_code);
		s->code_index[hit - s->code_sorted] = (int32_t)i;
	}
	return 0;
}

static int build_regions(struct served *s, const struct plan_input *in)
{
	s->regions = calloc(in->nregions + 1, sizeof *s->regions);
	if (!s->regions)
		return -ENOMEM;
	s->nregions = in->nregions;
	for (size_t r = 0; r < in->nregions; r++) {
		memcpy(s->regions[r].code, in->regions[r], PLAN_CODE_LEN);
		s->regions[r].best_weight = NAN;
		s->regions[r].blackout_covered = NAN;
		s->regions[r].twice_covered = NAN;
		s->regions[r].name = strdup(in->region_names[r]);
		if (!s->regions[r].name)
			return -ENOMEM;
	}
	return 0;
}

static int build_locators(struct served *s, const struct plan_input *in, char *err,
			  size_t errlen)
{
	for (int k = 0; k < 3; k++)
		if (!(s->loc[k] = locator_new(s->g)))
			return -ENOMEM;
	for (size_t i = 0; i < in->n; i++) {
		const struct plan_area *a = &in->areas[i];
		if (a->level < PLAN_GEMEENTE || a->level > PLAN_BUURT)
			continue;
		int rc = locator_add(s->loc[a->level - 1], a->wkb, a->wkb_len, (int64_t)i, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void served_locate(const struct served *s, double x, double y, struct served_place *p)
{
	p->gemeente = (int32_t)locator_find(s->loc[0], x, y);
	p->wijk = (int32_t)locator_find(s->loc[1], x, y);
	p->buurt = (int32_t)locator_find(s->loc[2], x, y);
	p->region = p->gemeente >= 0 ? s->areas[p->gemeente].region : -1;
	const int32_t chain[] = {p->buurt, p->wijk, p->gemeente};
	p->urbanity = 5;
	for (int k = 0; k < 3; k++)
		if (chain[k] >= 0 && s->areas[chain[k]].urbanity >= 1) {
			p->urbanity = s->areas[chain[k]].urbanity;
			break;
		}
}

static int on_plan_area(void *user, const struct store_plan_area *a)
{
	struct load_ctx *c = user;
	int32_t i = served_find_code(c->s, a->code);
	if (i < 0)
		return 0;             /* an area no longer in the data: the plan is older */
	struct served_result *r = &c->s->areas[i].r;
	*r = (struct served_result){a->residents, a->weight, a->covered, a->uncovered,
				    a->vulnerable, a->vulnerable_uncovered, a->regional_covered,
				    a->mean_dist_m, 1, a->blackout_covered,
				    a->blackout_regional_covered, a->twice_covered};
	return 0;
}

static int on_plan_region(void *user, const struct store_plan_region *x)
{
	struct load_ctx *c = user;
	int32_t r = served_find_region(c->s, x->code);
	if (r < 0)
		return 0;
	struct served_region *g = &c->s->regions[r];
	g->residents = x->residents;
	g->covered_residents = x->covered_residents;
	g->weight = x->weight;
	g->covered_weight = x->covered_weight;
	g->bound = x->bound;
	g->gap_pct = x->gap_pct;
	g->local_sites = x->local_sites;
	g->regional_sites = x->regional_sites;
	snprintf(g->bound_method, sizeof g->bound_method, "%s", x->bound_method);
	g->best_weight = x->best_weight;
	g->exact_s = x->exact_s;
	g->blackout_covered = x->blackout_covered;
	g->twice_covered = x->twice_covered;
	return 0;
}

static const struct plan_site_in *find_site(const struct plan_input *in, int64_t id)
{
	size_t lo = 0, hi = in->nsites;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (in->sites[mid].id == id)
			return &in->sites[mid];
		if (in->sites[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int on_plan_site(void *user, const struct store_plan_site *p)
{
	struct load_ctx *c = user;
	struct served *s = c->s;
	if (s->nsites == s->sites_cap) {
		size_t cap = s->sites_cap ? 2 * s->sites_cap : 1024;
		struct served_site *n = realloc(s->sites, cap * sizeof *n);
		if (!n)
			return -ENOMEM;
		s->sites = n;
		s->sites_cap = cap;
	}
	struct served_site *x = &s->sites[s->nsites++];
	const struct plan_site_in *in = p->site_id >= 0 ? find_site(c->in, p->site_id) : NULL;
	*x = (struct served_site){p->level, p->seq, p->x_rd, p->y_rd, p->site_id, p->origin,
				  p->fixed, -1, NULL, NULL, NAN, NAN, NULL, p->power_funded,
				  p->backup, NULL};
	x->gemeente = p->gemeente_code ? served_find_code(s, p->gemeente_code) : -1;
	char why[128];
	if (crs_rd_to_etrs89(s->crs, x->x, x->y, &x->lat, &x->lon, why, sizeof why) < 0)
		x->lat = x->lon = NAN;
	if (in && in->name && !(x->name = strdup(in->name)))
		return -ENOMEM;
	if (p->hazard && !(x->hazard = strdup(p->hazard)))
		return -ENOMEM;
	if (in && in->kind && !(x->kind = strdup(in->kind)))
		return -ENOMEM;
	s->nlocal += p->level == 1;
	return 0;
}

/* Grid indexes over each level's sites, for nearest-site queries. */
static int index_sites(struct served *s)
{
	for (int lv = 0; lv < 2; lv++) {
		s->site_xy[lv] = malloc((s->nsites + 1) * 2 * sizeof(double));
		s->site_ix[lv] = malloc((s->nsites + 1) * sizeof(uint32_t));
		if (!s->site_xy[lv] || !s->site_ix[lv])
			return -ENOMEM;
		for (size_t k = 0; k < s->nsites; k++) {
			if (s->sites[k].level != lv + 1)
				continue;
			size_t n = s->site_n[lv]++;
			s->site_xy[lv][2 * n] = s->sites[k].x;
			s->site_xy[lv][2 * n + 1] = s->sites[k].y;
			s->site_ix[lv][n] = (uint32_t)k;
		}
		if (!(s->site_index[lv] = grid_index_new(s->site_xy[lv], s->site_n[lv], 2000)))
			return -ENOMEM;
	}
	/* the candidates too: whatif's replacements start from the residents who lost a site */
	if (!(s->cand_index = grid_index_new(s->cand.xy, s->cand.n, 1000)))
		return -ENOMEM;
	return 0;
}

struct reach_ctx {
	const struct served *s;
	const uint32_t *ids;
	void (*fn)(void *, uint32_t);
	void *user;
};

static int reach_cb(void *user, uint32_t k, double dist)
{
	struct reach_ctx *c = user;
	(void)dist;
	c->fn(c->user, c->ids[k]);
	return 0;
}

void served_each_reached(const struct served *s, double x, double y,
			 void (*fn)(void *user, uint32_t i), void *user)
{
	for (int u = 0; u < 5; u++) {
		struct reach_ctx c = {s, s->class_ids[u], fn, user};
		if (s->class_n[u])
			grid_index_radius(s->class_index[u], x, y, served_radius(s, 1, u + 1), reach_cb,
					  &c);
	}
}

/* One grid index per urbanity class, bucket size half that class's radius. */
static int index_classes(struct served *s)
{
	for (int u = 0; u < 5; u++) {
		s->class_xy[u] = malloc((s->demand.n + 1) * 2 * sizeof(double));
		s->class_ids[u] = malloc((s->demand.n + 1) * sizeof(uint32_t));
		if (!s->class_xy[u] || !s->class_ids[u])
			return -ENOMEM;
	}
	for (size_t i = 0; i < s->demand.n; i++) {
		int u = s->demand.urbanity[i] >= 1 && s->demand.urbanity[i] <= 5 ? s->demand.urbanity[i] - 1 : 4;
		size_t k = s->class_n[u]++;
		s->class_xy[u][2 * k] = s->demand.xy[2 * i];
		s->class_xy[u][2 * k + 1] = s->demand.xy[2 * i + 1];
		s->class_ids[u][k] = (uint32_t)i;
	}
	for (int u = 0; u < 5; u++) {
		double cell = fmax(served_radius(s, 1, u + 1) / 2, 100);
		if (!(s->class_index[u] = grid_index_new(s->class_xy[u], s->class_n[u], cell)))
			return -ENOMEM;
	}
	return 0;
}

static void count_cb(void *user, uint32_t i)
{
	uint16_t *count = user;
	if (count[i] < UINT16_MAX)
		count[i]++;
}

/* How many open local sites reach each demand point, and how many with funded power. */
static int count_coverage(struct served *s)
{
	if (index_classes(s) < 0 || !(s->cover_count = calloc(s->demand.n + 1, sizeof(uint16_t))) ||
	    !(s->blackout_count = calloc(s->demand.n + 1, sizeof(uint16_t))))
		return -ENOMEM;
	for (size_t k = 0; k < s->nsites; k++) {
		const struct served_site *x = &s->sites[k];
		if (x->level == 1)
			served_each_reached(s, x->x, x->y, count_cb, s->cover_count);
		if (x->level == 1 && x->power_funded)
			served_each_reached(s, x->x, x->y, count_cb, s->blackout_count);
	}
	return 0;
}

static int on_plan_backup(void *user, const struct store_plan_backup *b)
{
	struct load_ctx *c = user;
	int32_t i = served_find_code(c->s, b->code);
	if (i >= 0)
		c->s->areas[i].b = (struct served_backup){
			1, b->households, b->wijk_kwh, b->wijk_kw, b->home_kwh, b->protected_households,
			b->cost_eur, b->wijk_batteries, b->home_batteries, b->funded};
	return 0;
}

static int load_plan_rows(struct store *st, struct load_ctx *c, char *err, size_t errlen)
{
	int rc = store_each_plan_area(st, c->s->plan_id, on_plan_area, c, err, errlen);
	if (rc == 0)
		rc = store_each_plan_backup(st, c->s->plan_id, on_plan_backup, c, err, errlen);
	if (rc == 0)
		rc = store_each_plan_region(st, c->s->plan_id, on_plan_region, c, err, errlen);
	if (rc == 0)
		rc = store_each_plan_site(st, c->s->plan_id, on_plan_site, c, err, errlen);
	return rc;
}

static int load_header(struct store *st, struct served *s, char *err, size_t errlen)
{
	struct store_plan_header h;
	int rc = store_plan_latest(st, &s->plan_id, err, errlen);
	if (rc == 0 && s->plan_id == 0) {
		snprintf(err, errlen, "no plan yet: run `hubplannerd plan` or `hubctl recompute`");
		return -ENOENT;
	}
	if (rc == 0)
		rc = store_plan_header(st, s->plan_id, &h, err, errlen);
	if (rc < 0)
		return rc;
	memcpy(s->created_at, h.created_at, sizeof s->created_at);
	memcpy(s->data_version, h.data_version, sizeof s->data_version);
	s->params_json = h.params_json;
	s->summary_json = h.summary_json;
	s->timings_json = h.timings_json;
	return read_params(s, err, errlen);
}

/* Removes from the comma-separated list the hazard layers h does not hold: a layer dropped
 * since the plan was made must not keep its plan from being served (its candidates then
 * stay in; params_json still says what the plan used). */
static void keep_loaded_layers(char *list, const struct plan_hazards *h)
{
	char out[sizeof ((struct plan_params *)0)->hazard_exclude] = "";
	size_t at = 0;
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		char name[PLAN_HAZARD_NAME_LEN];
		snprintf(name, sizeof name, "%.*s", (int)len, p);
		if (len < sizeof name && plan_hazards_has(h, name) && at + len + 1 < sizeof out)
			at += (size_t)snprintf(out + at, sizeof out - at, "%s%s", at ? "," : "", name);
		p += len + (p[len] == ',');
	}
	memcpy(list, out, at + 1);
}

/* The plan's inputs made ready and prepared exactly as the planner did (plan_input_ready,
 * plan_prepare with the stored parameters), then the model's own indexes. */
static int build(struct served *s, struct store *st, struct plan_input *in, char *err,
		 size_t errlen)
{
	struct load_ctx c = {s, in, err, errlen};
	int rc = load_header(st, s, err, errlen);
	if (rc == 0)
		rc = plan_input_load(st, in, err, errlen);
	if (rc == 0)
		rc = plan_input_ready(s->g, in, s->scope, err, errlen);
	s->params.demand.refs = &in->refs;   /* only while preparing: in is not kept */
	s->params.hazards = &in->hazards;
	keep_loaded_layers(s->params.hazard_exclude, &in->hazards);
	if (rc == 0)
		rc = plan_prepare(s->g, in->areas, in->n, plan_input_region_of, in, in->sites,
				  in->nsites, &s->params, NULL, &s->demand, &s->cand, NULL, NULL, NULL,
				  err, errlen);
	s->params.demand.refs = NULL;
	s->params.hazards = NULL;
	s->hazards = in->hazards;             /* kept for whatif: taken from in */
	memset(&in->hazards, 0, sizeof in->hazards);
	if (rc < 0)
		return rc;
	if ((rc = build_areas(s, in)) < 0 || (rc = build_regions(s, in)) < 0)
		snprintf(err, errlen, "out of memory");
	if (rc == 0)
		rc = build_locators(s, in, err, errlen);
	if (rc == 0)
		rc = load_plan_rows(st, &c, err, errlen);
	if (rc == 0 && ((rc = index_sites(s)) < 0 || (rc = count_coverage(s)) < 0 ||
			(rc = served_status_load(s, in)) < 0))
		snprintf(err, errlen, "out of memory");
	if (rc == 0)
		rc = served_places_load(s, st, in, err, errlen);
	if (rc == -ENOMEM)            /* locators, plan rows: no message of their own */
		snprintf(err, errlen, "out of memory");
	return rc;
}

int served_load(const struct config *cfg, struct served **out, char *err, size_t errlen)
{
	struct served *s = calloc(1, sizeof *s);
	struct store *st = NULL;
	struct plan_input in = {0};
	int rc = -ENOMEM;

	*out = NULL;
	if (!s || !(s->g = geom_ctx_new())) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if ((rc = crs_open(cfg->proj_grid_dir, &s->crs, err, errlen)) < 0 ||
	    (rc = store_open(cfg->database, STORE_READONLY, &st, err, errlen)) < 0)
		goto fail;
	if ((rc = build(s, st, &in, err, errlen)) < 0)
		goto fail;
	store_close(st);
	plan_input_free(&in);
	*out = s;
	return 0;
fail:
	store_close(st);
	plan_input_free(&in);
	served_free(s);
	return rc;
}

void served_free(struct served *s)
{
	if (!s)
		return;
	plan_hazards_free(&s->hazards);
	for (size_t i = 0; i < s->nareas; i++) {
		free(s->areas[i].name);
		free(s->areas[i].json);
		free(s->areas[i].backup_json);
	}
	for (size_t r = 0; r < s->nregions; r++) {
		free(s->regions[r].name);
		free(s->regions[r].json);
	}
	for (size_t k = 0; k < s->nsites; k++) {
		free(s->sites[k].name);
		free(s->sites[k].kind);
		free(s->sites[k].hazard);
		free(s->sites[k].json);
	}
	for (int lv = 0; lv < 2; lv++) {
		grid_index_free(s->site_index[lv]);
		free(s->site_xy[lv]);
		free(s->site_ix[lv]);
	}
	for (int k = 0; k < 3; k++)
		locator_free(s->loc[k]);
	for (int u = 0; u < 5; u++) {
		grid_index_free(s->class_index[u]);
		free(s->class_xy[u]);
		free(s->class_ids[u]);
	}
	demand_free(&s->demand);
	grid_index_free(s->cand_index);
	candidates_free(&s->cand);
	free(s->cover_count);
	free(s->blackout_count);
	free(s->areas);
	free(s->regions);
	free(s->sites);
	free(s->code_sorted);
	free(s->code_index);
	free(s->statuses);
	free(s->cand_blocked);
	served_places_free(s);
	free(s->params_json);
	free(s->scope);
	free(s->summary_json);
	free(s->timings_json);
	crs_close(s->crs);
	geom_ctx_free(s->g);
	free(s);
}
