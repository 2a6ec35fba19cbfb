/* The changes method: what changed between two stored plans (default: the served plan
 * against the plan stored before it), per level, safety region and gemeente, with the
 * added and removed sites. The comparison is model/changes.c's; the stored plans are read
 * through the daemon's rpc_admin.changes callback, since only the daemon knows its
 * database. */
#include "daemon/rpc/methods.h"

#include <errno.h>

#include "model/changes.h"

static int m_changes(struct rpc_ctx *ctx, const union params_any *pa, json_t **result,
		     struct rpc_error *e)
{
	const struct changes_params *p = &pa->changes;
	struct plan_changes *c = NULL;
	char err[512];
	if (!p->to && !ctx->plan)
		return rpc_fail(e, RPC_NO_PLAN, "no plan yet: run `hubctl recompute`, or give "
				"\"to\"");
	if (!ctx->admin || !ctx->admin->changes)
		return rpc_fail(e, RPC_INTERNAL_ERROR, "changes: not available here");
	int64_t to = p->to ? p->to : ctx->plan->plan_id, from = p->from ? p->from : -1;
	int rc = ctx->admin->changes(ctx->admin->user, from, to, &c, err, sizeof err);
	if (rc == -ENOENT)
		return rpc_fail(e, RPC_NOT_FOUND, "%s", err);
	if (rc < 0)
		return rpc_fail(e, RPC_INTERNAL_ERROR, "changes: %s", err);
	struct changes_filter f = {(int)p->level, p->region, p->limit};
	rc = changes_to_json(c, &f, ctx->plan ? ctx->plan->crs : NULL, result, err, sizeof err);
	changes_free(c);
	if (rc == -ENOENT)
		return rpc_fail(e, RPC_NOT_FOUND, "%s", err);
	return rc < 0 ? rpc_fail(e, RPC_INTERNAL_ERROR, "%s", err) : 0;
}

const struct rpc_method methods_changes[] = {
	{"changes", 0, 0, &params_changes, m_changes},
	{NULL, 0, 0, NULL, NULL},
};
