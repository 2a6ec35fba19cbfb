/* The daemon's own methods: status (versions, recompute progress, uptime, counters),
 * recompute and reload (both privileged), and the method table that joins all methods. */
#include "daemon/rpc/methods.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "util/fmt.h"

extern const struct rpc_method methods_query[], methods_plan[], methods_status[],
	methods_changes[], methods_resilience[];

static json_t *when(time_t t)
{
	char buf[32];
	struct tm tm;
	if (!t)
		return json_null();
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

static json_t *recompute_json(const struct rpc_status *r)
{
	json_t *o = json_pack("{s:b, s:o, s:o, s:f}", "running", r->recompute_running,
			      "started_at", when(r->recompute_started_at), "finished_at",
			      when(r->recompute_finished_at), "duration_s",
			      fmt_round(r->recompute_duration_s, 2));
	if (r->recompute_running)
		json_object_update_new(o, json_pack("{s:s, s:f, s:f}", "phase", r->recompute_phase,
						    "pct", fmt_round(r->recompute_pct, 1), "left_s",
						    fmt_round(r->recompute_left_s, 1)));
	json_object_set_new(o, "last_result", r->recompute_last_ok < 0 ? json_null()
			    : json_string(r->recompute_last_ok ? "ok" : "failed"));
	if (r->recompute_last_ok == 0)
		json_object_set_new(o, "error", json_string(r->recompute_error ? r->recompute_error
							    : ""));
	return o;
}

static int m_status(struct rpc_ctx *ctx, const union params_any *p, json_t **result,
		  struct rpc_error *e)
{
	struct rpc_status d = {.recompute_last_ok = -1, .started_at = time(NULL), .load_error = ""};
	(void)p;
	if (ctx->admin && ctx->admin->status)
		ctx->admin->status(ctx->admin->user, &d);
	json_t *plan = ctx->plan ? json_pack("{s:I, s:s, s:s}", "plan_id",
					     (json_int_t)ctx->plan->plan_id, "created_at",
					     ctx->plan->created_at, "data_version",
					     ctx->plan->data_version) : json_null();
	*result = json_pack("{s:s, s:o, s:o, s:I, s:{s:I, s:I, s:i, s:I, s:I, s:I}, s:s?}",
			    "version", HUB_VERSION, "plan", plan, "recompute", recompute_json(&d),
			    "uptime_s", (json_int_t)(time(NULL) - d.started_at), "requests",
			    "total", (json_int_t)d.requests, "errors", (json_int_t)d.request_errors,
			    "clients", (int)d.clients, "accepted", (json_int_t)d.accepted,
			    "rejected_full", (json_int_t)d.rejected_full, "closed_slow",
			    (json_int_t)d.closed_slow, "load_error",
			    d.load_error && d.load_error[0] ? d.load_error : NULL);
	return *result ? 0 : rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
}

static int m_recompute(struct rpc_ctx *ctx, const union params_any *p, json_t **result,
		     struct rpc_error *e)
{
	char err[512];
	(void)p;
	int rc = ctx->admin && ctx->admin->recompute
		 ? ctx->admin->recompute(ctx->admin->user, err, sizeof err) : -ENOSYS;
	if (rc == -ENOSYS)
		return rpc_fail(e, RPC_INTERNAL_ERROR, "recompute: not available here");
	if (rc == -EBUSY)
		return rpc_fail(e, RPC_BUSY, "a recompute is already running");
	if (rc < 0)
		return rpc_fail(e, RPC_INTERNAL_ERROR, "recompute: %s", err);
	*result = json_pack("{s:b}", "started", 1);
	return 0;
}

static int m_reload(struct rpc_ctx *ctx, const union params_any *p, json_t **result,
		  struct rpc_error *e)
{
	char err[2048];
	(void)p;
	if (!ctx->admin || !ctx->admin->reload)
		return rpc_fail(e, RPC_INTERNAL_ERROR, "reload: not available here");
	if (ctx->admin->reload(ctx->admin->user, err, sizeof err) < 0)
		return rpc_fail(e, RPC_INVALID_PARAMS, "configuration kept: %s", err);
	*result = json_pack("{s:b}", "reloading", 1);
	return 0;
}

static const struct rpc_method methods_admin[] = {
	{"status", 0, 0, &params_status, m_status},
	{"recompute", 1, 0, &params_recompute, m_recompute},
	{"reload", 1, 0, &params_reload, m_reload},
	{NULL, 0, 0, NULL, NULL},
};

const struct rpc_method *rpc_find_method(const char *name)
{
	const struct rpc_method *const tables[] = {methods_query, methods_plan, methods_status,
						   methods_admin, methods_changes,
						   methods_resilience};
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct rpc_method *m = tables[t]; m->name; m++)
			if (strcmp(m->name, name) == 0)
				return m;
	return NULL;
}
