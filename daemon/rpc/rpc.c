/* JSON-RPC 2.0 framing: parse, validate the envelope, dispatch, render. Replies are
 * compact single-line JSON; ids are echoed as given (string, number or null). Nothing here
 * knows what a method does. */
#include "daemon/rpc/rpc.h"

#include "daemon/rpc/params.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Drops a UTF-8 sequence that the end of m (len bytes) cuts short. */
static void trim_utf8(char *m, size_t len)
{
	size_t lead = len, need;
	while (lead > 0 && len - lead < 3 && ((unsigned char)m[lead - 1] & 0xC0) == 0x80)
		lead--;
	if (lead == 0 || ((unsigned char)m[lead - 1] & 0x80) == 0)
		return;
	unsigned char c = (unsigned char)m[lead - 1];
	need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	if (len - (lead - 1) < need)
		m[lead - 1] = '\0';
}

int rpc_fail(struct rpc_error *e, int code, const char *fmt, ...)
{
	va_list ap;
	e->code = code;
	va_start(ap, fmt);
	int n = vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof e->message)
		trim_utf8(e->message, sizeof e->message - 1);
	return -1;
}

static char *render(json_t *reply)
{
	char *s = json_dumps(reply, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(10));
	json_decref(reply);
	return s;
}

static char *error_reply(json_t *id, const struct rpc_error *e)
{
	json_t *r = json_pack("{s:s, s:{s:i, s:s}, s:O}", "jsonrpc", "2.0", "error", "code",
			      e->code, "message", e->message, "id", id ? id : json_null());
	return r ? render(r) : NULL;
}

/* The reply around a result that is already JSON text (raw, freed here). */
static char *raw_reply(json_t *id, char *raw)
{
	char *ids = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT), *out = NULL;
	size_t n = strlen(raw) + (ids ? strlen(ids) : 4) + 40;
	if (ids && (out = malloc(n)))
		snprintf(out, n, "{\"jsonrpc\":\"2.0\",\"result\":%s,\"id\":%s}", raw, ids);
	free(ids);
	free(raw);
	return out;
}

static char *result_reply(json_t *id, json_t *result)
{
	json_t *r = json_pack("{s:s, s:o, s:O}", "jsonrpc", "2.0", "result", result, "id", id);
	return r ? render(r) : NULL;
}

char *rpc_oversize_reply(size_t limit)
{
	struct rpc_error e;
	rpc_fail(&e, RPC_INVALID_REQUEST, "request line longer than %zu bytes; closing", limit);
	return error_reply(NULL, &e);
}

static const char *kind_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING: return "string";
	case JSON_INTEGER:
	case JSON_REAL: return "number";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	case JSON_NULL: return "null";
	default: return "value";
	}
}

/* Checks the envelope; on success sets *method and *params (params may be NULL). */
static int envelope(json_t *req, const char **method, json_t **params, struct rpc_error *e)
{
	json_t *v = json_object_get(req, "jsonrpc"), *id = json_object_get(req, "id");
	if (json_is_array(req))
		return rpc_fail(e, RPC_INVALID_REQUEST,
				"batches are not supported: send one request object per line");
	if (!json_is_object(req))
		return rpc_fail(e, RPC_INVALID_REQUEST, "a request must be a JSON object, not a %s",
				kind_name(req));
	if (!json_is_string(v) || strcmp(json_string_value(v), "2.0") != 0)
		return rpc_fail(e, RPC_INVALID_REQUEST, "\"jsonrpc\" must be \"2.0\"");
	if (id && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id))
		return rpc_fail(e, RPC_INVALID_REQUEST, "\"id\" must be a string, integer or null");
	*method = json_string_value(json_object_get(req, "method"));
	if (!*method)
		return rpc_fail(e, RPC_INVALID_REQUEST, "\"method\" must be a string");
	*params = json_object_get(req, "params");
	if (*params && !json_is_object(*params))
		return rpc_fail(e, RPC_INVALID_PARAMS, "\"params\" must be an object");
	return 0;
}

/* Method, privilege, typed params, plan, in that order: the params are read (a pure step)
 * before the plan is needed, so they are checked with or without one. */
static int dispatch(struct rpc_ctx *ctx, const char *name, json_t *params, json_t **result,
		    struct rpc_error *e)
{
	const struct rpc_method *m = rpc_find_method(name);
	union params_any p;
	if (!m)
		return rpc_fail(e, RPC_METHOD_NOT_FOUND, "no method \"%s\"", name);
	if (m->privileged && !ctx->privileged)
		return rpc_fail(e, RPC_FORBIDDEN, "%s needs root or the daemon's own user", name);
	if (params_read(m->params, params, &p, e) < 0)
		return -1;
	int rc = m->needs_plan && !ctx->plan
		 ? rpc_fail(e, RPC_NO_PLAN, "no plan yet: run `hubctl recompute`")
		 : m->fn(ctx, &p, result, e);
	params_release(m->params, &p);
	return rc;
}

char *rpc_handle(struct rpc_ctx *ctx, const char *line, size_t len, int *is_error)
{
	json_error_t je;
	struct rpc_error e = {0};
	const char *method = NULL;
	json_t *params = NULL, *result = NULL;
	/* any JSON value parses, so that 42 or "x" is an invalid request, not a parse error */
	json_t *req = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	char *reply;
	*is_error = 1;
	if (!req) {
		rpc_fail(&e, RPC_PARSE_ERROR, "parse error at column %d: %s", je.column, je.text);
		return error_reply(NULL, &e);
	}
	json_t *id = json_object_get(req, "id");
	int rc = envelope(req, &method, &params, &e);
	int notification = rc == 0 && !id;
	if (rc == 0)
		rc = dispatch(ctx, method, params, &result, &e);
	if (id && !json_is_string(id) && !json_is_integer(id))
		id = NULL;             /* an invalid id is not echoed: the reply's id is null */
	if (notification) {
		json_decref(result);   /* JSON-RPC: a notification never gets a reply */
		free(ctx->raw_result);
		reply = NULL;
	} else if (rc == 0 && ctx->raw_result) {
		reply = raw_reply(id ? id : json_null(), ctx->raw_result);
	} else {
		reply = rc == 0 ? result_reply(id, result) : error_reply(id, &e);
	}
	*is_error = rc != 0 && !notification;
	ctx->raw_result = NULL;
	json_decref(req);
	return reply;
}
