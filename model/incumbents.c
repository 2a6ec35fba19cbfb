/* The newest stored plan's sites as incumbents: one pass over plan_sites, municipality
 * codes turned into area indices with a sorted table of the loaded gemeenten. No
 * computation, no output. */
#include "model/incumbents.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "data/store_plan.h"
#include "plan/params.h"

struct gm_index {
	const char *code;
	int32_t area;
};

struct load {
	struct incumbents *in;
	struct gm_index *gm;
	size_t ngm;
};

static int by_code(const void *a, const void *b)
{
	return strcmp(((const struct gm_index *)a)->code, ((const struct gm_index *)b)->code);
}

static int32_t gemeente_of(const struct load *ld, const char *code)
{
	struct gm_index key = {code ? code : "", -1};
	const struct gm_index *hit = ld->ngm ? bsearch(&key, ld->gm, ld->ngm, sizeof *ld->gm,
						       by_code) : NULL;
	return hit ? hit->area : -1;
}

static int push(struct plan_incumbent **a, size_t *n, size_t *cap, struct plan_incumbent v)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 1024;
		struct plan_incumbent *p = realloc(*a, c * sizeof *p);
		if (!p)
			return -ENOMEM;
		*a = p;
		*cap = c;
	}
	(*a)[(*n)++] = v;
	return 0;
}

static int site_cb(void *user, const struct store_plan_site *s)
{
	struct load *ld = user;
	struct incumbents *in = ld->in;
	struct plan_incumbent v = {s->x_rd, s->y_rd, gemeente_of(ld, s->gemeente_code),
				   s->origin == CAND_SITE ? CAND_SITE
				   : s->origin == CAND_CELL_BLOCK ? CAND_CELL_BLOCK
				   : CAND_AREA_CENTRE, s->backup};
	return s->level == 1 ? push(&in->local, &in->nlocal, &in->cap_local, v)
			     : push(&in->regional, &in->nregional, &in->cap_regional, v);
}

static int index_gemeenten(const struct plan_input *l, struct load *ld)
{
	ld->gm = malloc((l->n ? l->n : 1) * sizeof *ld->gm);
	if (!ld->gm)
		return -ENOMEM;
	for (size_t i = 0; i < l->n; i++)
		if (l->areas[i].level == PLAN_GEMEENTE)
			ld->gm[ld->ngm++] = (struct gm_index){l->areas[i].code, (int32_t)i};
	qsort(ld->gm, ld->ngm, sizeof *ld->gm, by_code);
	return 0;
}

int incumbents_latest(struct store *st, int64_t *plan_id, char **scope, char *err,
		      size_t errlen)
{
	struct store_plan_header h;
	struct plan_params p;
	json_error_t je;
	*scope = NULL;
	int rc = store_plan_latest(st, plan_id, err, errlen);
	if (rc < 0 || *plan_id == 0)
		return rc;
	if ((rc = store_plan_header(st, *plan_id, &h, err, errlen)) < 0)
		return rc;
	json_t *j = h.params_json ? json_loads(h.params_json, 0, &je) : NULL;
	if (!j) {
		snprintf(err, errlen, "plan %lld: its stored parameters are not JSON",
			 (long long)*plan_id);
		rc = -EINVAL;
	} else {
		rc = plan_params_from_json(j, &p, scope, err, errlen);
	}
	json_decref(j);
	store_plan_header_free(&h);
	return rc;
}

int incumbents_load(struct store *st, int64_t plan_id, const struct plan_input *l,
		    struct incumbents *out, char *err, size_t errlen)
{
	struct load ld = {out, NULL, 0};
	int rc = 0;
	memset(out, 0, sizeof *out);
	if (plan_id > 0 && (rc = index_gemeenten(l, &ld)) == 0)
		rc = store_each_plan_site(st, plan_id, site_cb, &ld, err, errlen);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "loading the previous plan's sites: out of memory");
	free(ld.gm);
	out->set = (struct plan_incumbents){plan_id, out->local, out->regional, out->nlocal,
					    out->nregional};
	return rc;
}

void incumbents_free(struct incumbents *in)
{
	free(in->local);
	free(in->regional);
	memset(in, 0, sizeof *in);
}
