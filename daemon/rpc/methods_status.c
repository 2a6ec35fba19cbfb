/* The status methods: designate, reject and release (privileged) write a site's status to
 * the database in one short transaction and reply with the stored row; statuses lists them.
 * A status reaches planning at the next recompute; the plan being served is never changed
 * here (the daemon reloads it through rpc_admin.status_changed). */
#include "daemon/rpc/methods.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "data/store_status.h"

/* Writes from the serving loop wait at most this long for another writer (an import). */
#define STATUS_BUSY_MS 2000

static const char *const takes_effect =
	"the status takes effect for planning at the next recompute (hubctl recompute)";

static int store_error(int rc, const char *err, struct rpc_error *e)
{
	if (rc == -ENOMEM)
		return rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
	if (rc == -EBUSY)
		return rpc_fail(e, RPC_BUSY, "the database is busy (an import or plan is being "
				"stored): try again: %s", err);
	if (rc == -ENOENT)
		return rpc_fail(e, RPC_NOT_FOUND, "%s", err);
	return rpc_fail(e, RPC_INTERNAL_ERROR, "database: %s", err);
}

/* The params' site as a store reference (degrees need the plan's CRS). */
static int site_ref(struct rpc_ctx *ctx, const struct status_params *p, char *buf,
		    size_t buflen, struct store_site_ref *ref, struct rpc_error *e)
{
	*ref = (struct store_site_ref){0};
	if (p->kind == STATUS_SITE_ID) {
		*ref = (struct store_site_ref){.kind = STORE_REF_ID, .id = p->site_id};
		return 0;
	}
	if (p->kind == STATUS_SITE_KEY) {
		if (store_site_ref_parse(p->key, buf, buflen, ref) < 0)
			return rpc_fail(e, RPC_INVALID_PARAMS, "\"site\": \"%.200s\" is not "
					"source:source_id", p->key);
		return 0;
	}
	ref->kind = STORE_REF_POSITION;
	if (p->point.latlon && !ctx->plan)
		return rpc_fail(e, RPC_NO_PLAN, "lat/lon needs a loaded plan for its coordinate "
				"system: give \"x_rd\",\"y_rd\" or \"site\"");
	if (!p->point.latlon) {
		ref->x_rd = p->point.x_m;
		ref->y_rd = p->point.y_m;
		return 0;
	}
	return methods_point(ctx->plan, &p->point, "point", &ref->x_rd, &ref->y_rd, e);
}

static int row_json(void *user, const struct store_status_row *r)
{
	json_t **out = user;
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:o, s:s?, s:f, s:f}", "source",
			 r->source, "source_id", r->source_id, "status", r->status_name, "set_by",
			 r->set_by, "set_at", r->set_at, "note", r->note, "site_id",
			 r->site_id >= 0 ? json_integer(r->site_id) : json_null(), "name", r->name,
			 "x", r->x_rd, "y", r->y_rd);
	return *out ? 0 : -ENOMEM;
}

/* 1 when the served plan holds site id (at either level). */
static int in_plan(const struct served *s, int64_t id)
{
	for (size_t i = 0; s && i < s->nsites; i++)
		if (s->sites[i].site_id == id)
			return 1;
	return 0;
}

static void who(const struct rpc_ctx *ctx, const struct status_params *p, char *out,
		size_t len)
{
	if (p->by && p->by[0])
		snprintf(out, len, "uid %u (%s)", (unsigned)ctx->peer_uid, p->by);
	else
		snprintf(out, len, "uid %u", (unsigned)ctx->peer_uid);
}

/* Resolves, reads the previous status, applies, reads the stored row back: one store. */
static int change(struct rpc_ctx *ctx, const struct status_params *p, enum store_status to,
		  struct store_status_site *site, json_t **previous, json_t **stored,
		  struct rpc_error *e)
{
	struct store *st = NULL;
	struct store_site_ref ref;
	char buf[512], err[1024] = "", set_by[128];
	if (site_ref(ctx, p, buf, sizeof buf, &ref, e) < 0)
		return -1;
	int rc = store_open(ctx->store_path, 0, &st, err, sizeof err);
	if (rc == 0) {
		store_status_busy_timeout(st, STATUS_BUSY_MS);
		rc = store_status_resolve(st, &ref, site, err, sizeof err);
	}
	if (rc == 0) {
		rc = store_status_get(st, site->source, site->source_id, row_json, previous, err,
				      sizeof err);
		rc = rc == -ENOENT ? 0 : rc;
	}
	struct store_status_change c = {site, to, p->note};
	who(ctx, p, set_by, sizeof set_by);
	if (rc == 0)
		rc = store_status_apply(st, &c, 1, set_by, err, sizeof err);
	if (rc == 0 && to != STORE_STATUS_RELEASED)
		rc = store_status_get(st, site->source, site->source_id, row_json, stored, err,
				      sizeof err);
	store_close(st);
	return rc < 0 ? store_error(rc, err, e) : 0;
}

static int m_change(struct rpc_ctx *ctx, const union params_any *pa, enum store_status to,
		    json_t **result, struct rpc_error *e)
{
	struct store_status_site site;
	json_t *previous = NULL, *stored = NULL;
	char what[1024], set_by[128];
	if (!ctx->store_path)
		return rpc_fail(e, RPC_INTERNAL_ERROR, "%s: no database here",
				store_status_name(to));
	if (change(ctx, &pa->status, to, &site, &previous, &stored, e) < 0) {
		json_decref(previous);
		return -1;
	}
	const char *was = json_string_value(json_object_get(previous, "status"));
	*result = json_pack("{s:s, s:s?, s:{s:I, s:s, s:s, s:s?, s:f, s:f, s:f}, s:o, s:b, s:s}",
			    "status", store_status_name(to), "previous", was, "site", "id",
			    (json_int_t)site.id, "source", site.source, "source_id", site.source_id,
			    "name", site.name[0] ? site.name : NULL, "x", site.x_rd, "y", site.y_rd,
			    "distance_m", site.distance_m, "stored", stored ? stored : json_null(),
			    "in_served_plan", in_plan(ctx->plan, site.id), "takes_effect", takes_effect);
	snprintf(what, sizeof what, "%s site %lld %s:%s (%s)%s%s", store_status_name(to),
		 (long long)site.id, site.source, site.source_id, site.name[0] ? site.name : "unnamed",
		 was ? ", was " : "", was ? was : "");
	json_decref(previous);        /* was points into it */
	who(ctx, &pa->status, set_by, sizeof set_by);
	if (ctx->admin && ctx->admin->status_changed)   /* stored, even if the reply fails */
		ctx->admin->status_changed(ctx->admin->user, what, set_by);
	return *result ? 0 : rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
}

static int m_designate(struct rpc_ctx *ctx, const union params_any *p, json_t **result,
		       struct rpc_error *e)
{
	return m_change(ctx, p, STORE_STATUS_DESIGNATED, result, e);
}

static int m_reject(struct rpc_ctx *ctx, const union params_any *p, json_t **result,
		    struct rpc_error *e)
{
	return m_change(ctx, p, STORE_STATUS_REJECTED, result, e);
}

static int m_release(struct rpc_ctx *ctx, const union params_any *p, json_t **result,
		     struct rpc_error *e)
{
	return m_change(ctx, p, STORE_STATUS_RELEASED, result, e);
}

/* ---- statuses ---- */

struct list_ctx {
	const struct served *plan;
	struct selection sel;
	int filtered;
	json_t *rows;
	long designated, rejected;
};

/* 1 when the status's position lies in the selection (located on the plan's areas). */
static int selected(const struct list_ctx *l, const struct store_status_row *r)
{
	struct served_place place;
	if (!l->filtered)
		return 1;
	if (r->x_rd != r->x_rd)
		return 0;
	served_locate(l->plan, r->x_rd, r->y_rd, &place);
	struct served_site probe = {.x = r->x_rd, .y = r->y_rd, .gemeente = place.gemeente};
	return selection_has_site(l->plan, &l->sel, &probe);
}

static int list_row(void *user, const struct store_status_row *r)
{
	struct list_ctx *l = user;
	json_t *o = NULL;
	if (!selected(l, r))
		return 0;
	if (row_json(&o, r) < 0 || json_array_append_new(l->rows, o) < 0)
		return -ENOMEM;
	if (l->plan)
		json_object_set_new(o, "in_served_plan", json_boolean(r->site_id >= 0 &&
								       in_plan(l->plan, r->site_id)));
	l->designated += r->status == STORE_STATUS_DESIGNATED;
	l->rejected += r->status == STORE_STATUS_REJECTED;
	return 0;
}

static int m_statuses(struct rpc_ctx *ctx, const union params_any *pa, json_t **result,
		      struct rpc_error *e)
{
	struct list_ctx l = {ctx->plan, {0}, 0, json_array(), 0, 0};
	struct params_where w = {PARAMS_WHERE_REGION, pa->statuses.region, {0}};
	struct store *st = NULL;
	char err[1024];
	if (pa->statuses.region && !ctx->plan) {
		json_decref(l.rows);
		return rpc_fail(e, RPC_NO_PLAN, "a region filter needs a loaded plan");
	}
	if (pa->statuses.region && methods_selection(ctx->plan, &w, &l.sel, e) < 0) {
		json_decref(l.rows);
		return -1;
	}
	l.filtered = pa->statuses.region != NULL;
	int rc = -ENOSYS;
	snprintf(err, sizeof err, "no database here");
	if (ctx->store_path)
		rc = store_open(ctx->store_path, STORE_READONLY, &st, err, sizeof err);
	if (rc == 0)
		rc = store_each_status(st, list_row, &l, err, sizeof err);
	store_close(st);
	if (rc < 0) {
		json_decref(l.rows);
		return store_error(rc, err, e);
	}
	*result = json_pack("{s:s, s:I, s:I, s:o}", "region", l.filtered ? l.sel.label : "NL",
			    "designated", (json_int_t)l.designated, "rejected",
			    (json_int_t)l.rejected, "statuses", l.rows);
	return *result ? 0 : rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
}

const struct rpc_method methods_status[] = {
	{"designate", 1, 0, &params_designate, m_designate},
	{"reject", 1, 0, &params_reject, m_reject},
	{"release", 1, 0, &params_release_status, m_release},
	{"statuses", 0, 0, &params_statuses, m_statuses},
	{NULL, 0, 0, NULL, NULL},
};
