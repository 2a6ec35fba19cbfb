/* The serving model's institutions: sites of three kinds copied with their figures, a grid
 * index per set for nearest queries, the plan's generators matched to the care sites by
 * id, and each rendered once as JSON. Never changes the model after load. */
#include "model/served_places.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/store_generators.h"
#include "util/fmt.h"

#define INDEX_CELL_M 5000.0

static int is_kind(const struct plan_site_in *p, const char *kind)
{
	return p->kind && strcmp(p->kind, kind) == 0;
}

static json_t *maybe_num(double v)
{
	return v == v ? json_real(fmt_round(v, 1)) : json_null();
}

static char *render(struct served *s, const struct plan_site_in *p)
{
	double lat = NAN, lon = NAN;
	char why[128];
	(void)crs_rd_to_etrs89(s->crs, p->x, p->y, &lat, &lon, why, sizeof why);
	json_t *j = json_pack("{s:I, s:s?, s:s?, s:s?, s:o, s:o, s:o, s:o, s:o, s:f, s:f}",
			      "site_id", (json_int_t)p->id, "name", p->name, "kind", p->kind,
			      "subkind", p->subkind, "beds", maybe_num(p->beds), "ic_beds",
			      maybe_num(p->ic_beds), "clients", maybe_num(p->clients), "lat",
			      lat == lat ? json_real(fmt_round(lat, 6)) : json_null(), "lon",
			      lon == lon ? json_real(fmt_round(lon, 6)) : json_null(), "x",
			      fmt_round(p->x, 1), "y", fmt_round(p->y, 1));
	char *t = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
	json_decref(j);
	return t;
}

/* The sites of kind into set, with a grid index. 0 or -ENOMEM. */
static int collect(struct served *s, const struct plan_input *in, const char *kind,
		   struct served_insts *set, int64_t **ids)
{
	size_t n = 0;
	for (size_t j = 0; j < in->nsites; j++)
		n += is_kind(&in->sites[j], kind);
	set->v = calloc(n + 1, sizeof *set->v);
	set->xy = calloc(2 * n + 2, sizeof *set->xy);
	*ids = calloc(n + 1, sizeof **ids);
	if (!set->v || !set->xy || !*ids)
		return -ENOMEM;
	for (size_t j = 0; j < in->nsites; j++) {
		const struct plan_site_in *p = &in->sites[j];
		if (!is_kind(p, kind))
			continue;
		struct served_inst *x = &set->v[set->n];
		*x = (struct served_inst){p->x, p->y, p->gemeente, p->beds, p->ic_beds, p->clients,
					  0, 0, NAN, NAN, render(s, p)};
		if (!x->json)
			return -ENOMEM;
		set->xy[2 * set->n] = p->x;
		set->xy[2 * set->n + 1] = p->y;
		(*ids)[set->n++] = p->id;
	}
	set->index = grid_index_new(set->xy, set->n, INDEX_CELL_M);
	return set->index ? 0 : -ENOMEM;
}

struct gen_ctx {
	struct served_insts *care;
	const int64_t *ids;
};

static int on_generator(void *user, const struct store_plan_generator *g)
{
	struct gen_ctx *c = user;
	for (size_t k = 0; k < c->care->n; k++)
		if (c->ids[k] == g->site_id) {
			struct served_inst *x = &c->care->v[k];
			x->has_generator = 1;
			x->funded = g->funded;
			x->kva = g->kva;
			x->cost_eur = g->cost_eur;
			break;
		}
	return 0;
}

int served_places_load(struct served *s, struct store *st, const struct plan_input *in,
		       char *err, size_t errlen)
{
	int64_t *hid = NULL, *fid = NULL, *cid = NULL;
	int rc = collect(s, in, "hospital", &s->hospitals, &hid);
	if (rc == 0)
		rc = collect(s, in, "fire_station", &s->fire_stations, &fid);
	if (rc == 0)
		rc = collect(s, in, "care", &s->care, &cid);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	struct gen_ctx c = {&s->care, cid};
	if (rc == 0)
		rc = store_each_plan_generator(st, s->plan_id, on_generator, &c, err, errlen);
	free(hid);
	free(fid);
	free(cid);
	return rc;
}

static void free_set(struct served_insts *set)
{
	for (size_t k = 0; k < set->n; k++)
		free(set->v[k].json);
	free(set->v);
	free(set->xy);
	grid_index_free(set->index);
	memset(set, 0, sizeof *set);
}

void served_places_free(struct served *s)
{
	free_set(&s->hospitals);
	free_set(&s->fire_stations);
	free_set(&s->care);
}

const struct served_inst *served_nearest_inst(const struct served_insts *set, double x,
					      double y, double max_m, double *dist_m)
{
	int64_t k = set->index ? grid_index_nearest(set->index, x, y, max_m, dist_m) : -1;
	return k >= 0 ? &set->v[k] : NULL;
}

int served_inst_in(const struct served *s, const struct selection *sel,
		   const struct served_inst *i)
{
	struct served_site probe = {.x = i->x, .y = i->y, .gemeente = i->gemeente};
	return selection_has_site(s, sel, &probe);
}
