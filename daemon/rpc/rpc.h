/* JSON-RPC 2.0 over lines: parses one request, checks its shape, dispatches to the method
 * table, and renders the reply (result or error) as one compact JSON line. A bad request
 * only ever produces an error reply. The methods themselves live in methods_*.c. */
#ifndef HUB_RPC_H
#define HUB_RPC_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* Standard codes and hubplanner's application codes (docs/protocol.md). */
enum {
	RPC_PARSE_ERROR = -32700,
	RPC_INVALID_REQUEST = -32600,
	RPC_METHOD_NOT_FOUND = -32601,
	RPC_INVALID_PARAMS = -32602,
	RPC_INTERNAL_ERROR = -32603,
	RPC_NOT_FOUND = -32001,
	RPC_FORBIDDEN = -32002,
	RPC_BUSY = -32003,
	RPC_NO_PLAN = -32004,
};

struct served;
struct plan_changes;

/* What the status method reports of the daemon, filled by its status callback. */
struct rpc_status {
	int recompute_running;
	time_t recompute_started_at, recompute_finished_at;   /* 0 = never */
	double recompute_duration_s;
	char recompute_phase[32];
	double recompute_pct, recompute_left_s;
	int recompute_last_ok;        /* -1 never ran, 0 failed, 1 succeeded */
	const char *recompute_error;  /* when last_ok == 0 */
	time_t started_at;
	unsigned long long requests, request_errors;
	long clients;
	unsigned long long accepted, rejected_full, closed_slow;
	const char *load_error;       /* "" when the last plan load succeeded */
};

/* The daemon's side of the admin methods: the only way rpc reaches the daemon. Strings in
 * the status stay owned by the daemon and valid until the method returns. */
struct rpc_admin {
	void *user;
	void (*status)(void *user, struct rpc_status *out);
	/* Starts a recompute: 0, -EBUSY when one runs, or negative errno with err. */
	int (*recompute)(void *user, char *err, size_t errlen);
	/* Re-reads the configuration and the plan: 0 or negative errno with err. */
	int (*reload)(void *user, char *err, size_t errlen);
	/* A status method changed the store (what: "designated site 12 (De Hoeksteen)"): the
	 * daemon logs it and reloads the plan so whatif and suggest see it. May be NULL. */
	void (*status_changed)(void *user, const char *what, const char *set_by);
	/* Compares two stored plans (model/changes.h, changes_load: to 0 the newest, from -1
	 * the plan stored before to), reading the daemon's database: 0 and *out (the method
	 * frees it with changes_free), -ENOENT with err for a plan not stored, or another
	 * negative errno with err. NULL: the method answers "not available here". */
	int (*changes)(void *user, int64_t from, int64_t to, struct plan_changes **out, char *err,
		       size_t errlen);
};

struct rpc_ctx {
	const struct served *plan;    /* NULL: no plan loaded yet */
	const struct rpc_admin *admin;   /* status, recompute, reload; NULL = none (refused) */
	int privileged;               /* the peer is root or the daemon's own user */
	char *raw_result;             /* a method may set this (malloc'd JSON text of the result)
				       * instead of *result, for replies rendered without jansson */
	const char *store_path;       /* the database the status methods open; NULL = none */
	uid_t peer_uid;               /* from SO_PEERCRED, recorded as who set a status */
};

struct rpc_error {
	int code;
	char message[512];
};

union params_any;
struct params_spec;

/* A method. Its params are read by params (params.h) before the plan is looked at, so a bad
 * parameter is refused with or without a plan. fn gets them typed, fills *result (a new
 * reference) or ctx->raw_result and returns 0, or fills e and returns -1. */
struct rpc_method {
	const char *name;
	int privileged;
	int needs_plan;
	const struct params_spec *params;
	int (*fn)(struct rpc_ctx *ctx, const union params_any *p, json_t **result,
		  struct rpc_error *e);
};

/* Handles one request line; returns the reply line (malloc'd, no newline; the caller frees
 * it), or NULL for a notification (a request without id) that succeeded or failed silently
 * as JSON-RPC says. *is_error is 1 when the reply is an error reply, else 0. */
char *rpc_handle(struct rpc_ctx *ctx, const char *line, size_t len, int *is_error);

/* The reply for a line over the size limit. malloc'd. */
char *rpc_oversize_reply(size_t limit);

/* Sets e and returns -1, for one-line error returns in methods. A message cut at the size of
 * e->message loses the bytes of a UTF-8 character it would split, so it stays valid text. */
int rpc_fail(struct rpc_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The method table (methods_*.c). */
const struct rpc_method *rpc_find_method(const char *name);

#endif
