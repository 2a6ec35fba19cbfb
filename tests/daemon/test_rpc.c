/* Unit tests for daemon/rpc/: the framing of rpc_handle (parse errors, requests that are not
 * objects, notifications, is_error), the refusal of unknown params for every method, each
 * params parser on good and bad input, the admin callbacks, and error messages cut inside a
 * UTF-8 character. Runs rpc_handle without a plan; needs no data, no socket, no daemon. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/rpc/params.h"
#include "daemon/rpc/rpc.h"
#include "model/changes.h"

/* ---- helpers ---- */

static int busy_recompute(void *user, char *err, size_t errlen)
{
	(void)user;
	(void)err;
	(void)errlen;
	return -EBUSY;
}

static int broken_reload(void *user, char *err, size_t errlen)
{
	(void)user;
	snprintf(err, errlen, "x.conf:3: max_clients: out of range");
	return -EINVAL;
}

static void fixed_status(void *user, struct rpc_status *out)
{
	(void)user;
	out->requests = 41;
	out->request_errors = 7;
	out->load_error = "no plan yet";
}

static int64_t g_from, g_to;     /* what the changes callback was asked */

/* Plan 7 is not stored; any other pair compares to an empty comparison of to with to - 1. */
static int fake_changes(void *user, int64_t from, int64_t to, struct plan_changes **out,
			char *err, size_t errlen)
{
	(void)user;
	g_from = from;
	g_to = to;
	if (from == 7 || to == 7) {
		snprintf(err, errlen, "no plan 7");
		return -ENOENT;
	}
	struct plan_changes *c = calloc(1, sizeof *c);
	c->from_id = from < 0 ? to - 1 : from;
	c->to_id = to;
	snprintf(c->to_created_at, sizeof c->to_created_at, "2026-12-01T00:00:00Z");
	snprintf(c->from_created_at, sizeof c->from_created_at, "2026-11-30T00:00:00Z");
	c->level[0].kept = 12;
	*out = c;
	return 0;
}

static const struct rpc_admin admin = {.status = fixed_status, .recompute = busy_recompute,
				       .reload = broken_reload, .changes = fake_changes};

/* The reply to line from a privileged peer without a plan, parsed (NULL: no reply). */
static json_t *handle(const char *line, int *is_error)
{
	struct rpc_ctx ctx = {.plan = NULL, .admin = &admin, .privileged = 1};
	json_error_t je;
	*is_error = -1;
	char *text = rpc_handle(&ctx, line, strlen(line), is_error);
	if (!text)
		return NULL;
	json_t *j = json_loads(text, 0, &je);
	if (!j)
		fail_msg("reply is not JSON (%s): %s", je.text, text);
	assert_null(strchr(text, '\n'));
	free(text);
	return j;
}

/* The request {"jsonrpc":"2.0","id":1,"method":method,"params":params} (params NULL: none). */
static json_t *call(const char *method, const char *params, int *is_error)
{
	char line[4096];
	snprintf(line, sizeof line, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\"%s%s}", method,
		 params ? ",\"params\":" : "", params ? params : "");
	return handle(line, is_error);
}

/* Asserts r is an error reply with code whose message contains needle; frees r. */
static void expect_error(json_t *r, int is_error, int code, const char *needle)
{
	json_t *err = json_object_get(r, "error");
	const char *msg = json_string_value(json_object_get(err, "message"));
	if (!err)
		fail_msg("expected error %d (%s), got %s", code, needle, json_dumps(r, 0));
	assert_int_equal(is_error, 1);
	if (json_integer_value(json_object_get(err, "code")) != code || !msg || !strstr(msg, needle))
		fail_msg("expected %d with \"%s\", got %lld \"%s\"", code, needle,
			 (long long)json_integer_value(json_object_get(err, "code")), msg ? msg : "");
	assert_null(json_object_get(r, "result"));
	json_decref(r);
}

static void expect_line_error(const char *line, int code, const char *needle)
{
	int is_error;
	json_t *r = handle(line, &is_error);
	assert_non_null(r);
	expect_error(r, is_error, code, needle);
}

static void expect_call_error(const char *method, const char *params, int code,
			      const char *needle)
{
	int is_error;
	json_t *r = call(method, params, &is_error);
	assert_non_null(r);
	expect_error(r, is_error, code, needle);
}

static json_t *params_of(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	if (!j)
		fail_msg("bad test params %s: %s", text, je.text);
	return j;
}

/* ---- framing ---- */

/* JSON-RPC 2.0: valid JSON that is not an object is an invalid request (-32600), with a
 * message naming its type; only text that is not JSON is a parse error (-32700). */
static void test_not_an_object(void **state)
{
	static const struct { const char *line, *type; } cases[] = {
		{"42", "not a number"}, {"\"x\"", "not a string"}, {"true", "not a boolean"},
		{"false", "not a boolean"}, {"null", "not a null"}, {"3.5", "not a number"},
	};
	int is_error;
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *r = handle(cases[i].line, &is_error);
		assert_non_null(r);
		assert_true(json_is_null(json_object_get(r, "id")));
		expect_error(r, is_error, RPC_INVALID_REQUEST, cases[i].type);
	}
	expect_line_error("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}]",
			  RPC_INVALID_REQUEST, "batches are not supported");
	expect_line_error("{\"jsonrpc\":\"2.0\",\"id\":1,", RPC_PARSE_ERROR,
			  "parse error at column");
	expect_line_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"status\"}",
			  RPC_PARSE_ERROR, "duplicate");
}

static void test_envelope(void **state)
{
	(void)state;
	expect_line_error("{\"id\":1,\"method\":\"status\"}", RPC_INVALID_REQUEST,
			  "\"jsonrpc\" must be \"2.0\"");
	expect_line_error("{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"status\"}",
			  RPC_INVALID_REQUEST, "\"id\" must be");
	expect_line_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", RPC_INVALID_REQUEST,
			  "\"method\" must be a string");
	expect_call_error("status", "[1]", RPC_INVALID_PARAMS, "\"params\" must be an object");
	expect_call_error("frobnicate", NULL, RPC_METHOD_NOT_FOUND, "no method \"frobnicate\"");
}

/* is_error is 1 exactly for an error reply: 0 for a result and for notifications, which
 * get no reply even when they fail. */
static void test_is_error(void **state)
{
	int is_error;
	(void)state;
	json_t *r = call("status", NULL, &is_error);
	assert_non_null(json_object_get(r, "result"));
	assert_int_equal(is_error, 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		json_object_get(r, "result"), "requests"), "total")), 41);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"),
							      "load_error")), "no plan yet");
	json_decref(r);
	assert_null(handle("{\"jsonrpc\":\"2.0\",\"method\":\"status\"}", &is_error));
	assert_int_equal(is_error, 0);
	assert_null(handle("{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}", &is_error));
	assert_int_equal(is_error, 0);
	assert_null(handle("{\"jsonrpc\":\"2.0\",\"method\":\"coverage\",\"params\":{\"k\":1}}",
			   &is_error));
	assert_int_equal(is_error, 0);
	r = call("nope", NULL, &is_error);
	expect_error(r, is_error, RPC_METHOD_NOT_FOUND, "nope");
}

/* Without a plan, good params get "no plan yet" and bad ones the parameter error: the
 * params are read before the plan is needed. */
static void test_params_before_plan(void **state)
{
	(void)state;
	expect_call_error("coverage", "{\"point\":{\"x\":92000,\"y\":437000}}", RPC_NO_PLAN,
			  "no plan yet");
	expect_call_error("coverage", "{\"point\":{\"x\":92000,\"y\":437000},\"k\":0}",
			  RPC_INVALID_PARAMS, "\"k\" must be an integer 1..32");
	expect_call_error("suggest", "{\"region\":\"GM0363\"}", RPC_NO_PLAN, "no plan yet");
	expect_call_error("gaps", "{}", RPC_INVALID_PARAMS, "give \"region\"");
}

/* ---- unknown members ---- */

static void test_unknown_member_every_method(void **state)
{
	(void)state;
	for (const struct params_spec *const *s = params_specs; *s; s++) {
		char want[512], list[256] = "";
		size_t n = 0;
		for (const char *const *a = (*s)->accepted; *a; a++)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", *a);
		if (n)
			snprintf(want, sizeof want, "%s: unknown parameter \"bogus\"; accepted: %s",
				 (*s)->method, list);
		else
			snprintf(want, sizeof want, "%s: unknown parameter \"bogus\"; it takes none",
				 (*s)->method);
		expect_call_error((*s)->method, "{\"bogus\":1}", RPC_INVALID_PARAMS, want);
	}
	/* the example, word for word */
	expect_call_error("suggest", "{\"region\":\"GM0363\",\"count\":3}", RPC_INVALID_PARAMS,
			  "suggest: unknown parameter \"count\"; accepted: region, bbox, k");
	expect_call_error("coverage", "{\"point\":{\"x\":92000,\"y\":437000,\"z\":1}}",
			  RPC_INVALID_PARAMS, "point: unknown member \"z\"; accepted: x, y, lat, lon");
	expect_call_error("gaps", "{\"bbox\":{\"south\":52,\"west\":5,\"north\":53,\"east\":6,"
			  "\"up\":1}}", RPC_INVALID_PARAMS,
			  "bbox: unknown member \"up\"; accepted: south, west, north, east");
	expect_call_error("whatif", "{\"add\":[{\"lat\":52,\"lon\":5,\"h\":2}]}",
			  RPC_INVALID_PARAMS, "add[0]: unknown member \"h\"");
}

/* ---- the parsers ---- */

static void test_parse_coverage(void **state)
{
	struct coverage_params p;
	struct rpc_error e;
	json_t *j = params_of("{\"point\":{\"x\":92000.5,\"y\":437000}}");
	(void)state;
	assert_int_equal(params_parse_coverage(j, &p, &e), 0);
	assert_int_equal(p.point.latlon, 0);
	assert_true(p.point.x_m == 92000.5 && p.point.y_m == 437000);
	assert_int_equal(p.k, 3);
	json_decref(j);
	j = params_of("{\"point\":{\"lat\":52.1,\"lon\":5.1,\"x\":\"no\"},\"k\":32}");
	assert_int_equal(params_parse_coverage(j, &p, &e), 0);
	assert_int_equal(p.point.latlon, 1);
	assert_true(p.point.lat_deg == 52.1 && p.point.lon_deg == 5.1);
	assert_int_equal(p.k, 32);
	json_decref(j);
	assert_int_equal(params_parse_coverage(NULL, &p, &e), -1);
	assert_int_equal(e.code, RPC_INVALID_PARAMS);
	assert_non_null(strstr(e.message, "point must be"));

	static const char *const bad[][2] = {
		{"{\"point\":[92000,437000]}", "point must be {\"lat\":..,\"lon\":..}"},
		{"{\"point\":{\"x\":92000}}", "point must be"},
		{"{\"point\":{\"lat\":\"52\",\"lon\":5}}", "with numbers"},
		{"{\"point\":{\"x\":-8000,\"y\":437000}}", "outside RD New's area"},
		{"{\"point\":{\"x\":92000,\"y\":630000}}", "x=92000.0 y=630000.0 is outside"},
		{"{\"point\":{\"x\":92000,\"y\":437000},\"k\":33}", "\"k\" must be an integer 1..32"},
		{"{\"point\":{\"x\":92000,\"y\":437000},\"k\":\"3\"}", "\"k\" must be an integer"},
		{"{\"point\":{\"x\":92000,\"y\":437000},\"k\":2.5}", "\"k\" must be an integer"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		j = params_of(bad[i][0]);
		e = (struct rpc_error){0};
		assert_int_equal(params_parse_coverage(j, &p, &e), -1);
		assert_int_equal(e.code, RPC_INVALID_PARAMS);
		if (!strstr(e.message, bad[i][1]))
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i][0], e.message, bad[i][1]);
		json_decref(j);
	}
}

static void test_parse_selection(void **state)
{
	struct gaps_params g;
	struct stats_params st;
	struct suggest_params su;
	struct rpc_error e;
	(void)state;
	json_t *j = params_of("{\"region\":\"GM0344\"}");
	assert_int_equal(params_parse_gaps(j, &g, &e), 0);
	assert_int_equal(g.where.kind, PARAMS_WHERE_REGION);
	assert_string_equal(g.where.region, "GM0344");
	assert_int_equal(g.worst, 10);
	assert_int_equal(g.geojson, 0);
	assert_int_equal(params_parse_suggest(j, &su, &e), 0);
	assert_int_equal(su.k, 5);
	assert_int_equal(params_parse_stats(j, &st, &e), 0);
	assert_int_equal(st.where.kind, PARAMS_WHERE_REGION);
	json_decref(j);
	j = params_of("{\"bbox\":[1,2,3,4],\"region\":5,\"worst\":0,\"geojson\":true}");
	assert_int_equal(params_parse_gaps(j, &g, &e), 0);   /* bbox wins over region */
	assert_int_equal(g.where.kind, PARAMS_WHERE_BOX_RD);
	assert_true(g.where.box[0] == 1 && g.where.box[3] == 4);
	assert_int_equal(g.worst, 0);
	assert_int_equal(g.geojson, 1);
	json_decref(j);
	j = params_of("{\"bbox\":{\"south\":52,\"west\":5,\"north\":52.1,\"east\":5.2},\"k\":100}");
	assert_int_equal(params_parse_suggest(j, &su, &e), 0);
	assert_int_equal(su.where.kind, PARAMS_WHERE_BOX_DEG);
	assert_true(su.where.box[0] == 52 && su.where.box[1] == 5 && su.where.box[2] == 52.1 &&
		    su.where.box[3] == 5.2);
	assert_int_equal(su.k, 100);
	json_decref(j);
	assert_int_equal(params_parse_stats(NULL, &st, &e), 0);
	assert_int_equal(st.where.kind, PARAMS_WHERE_NONE);

	static const char *const bad[][2] = {
		{"{}", "give \"region\" (VRnn, GMnnnn, a wijk or buurt code) or \"bbox\""},
		{"{\"region\":5}", "\"region\" must be a string"},
		{"{\"region\":\"GM0344\",\"worst\":1001}", "\"worst\" must be an integer 0..1000"},
		{"{\"region\":\"GM0344\",\"geojson\":\"yes\"}", "\"geojson\" must be true or false"},
		{"{\"bbox\":[1,2,3]}", "bbox: 4 numbers expected"},
		{"{\"bbox\":[1,2,3,\"4\"]}", "bbox: 4 numbers expected"},
		{"{\"bbox\":[3,2,1,4]}", "bbox: min must be below max"},
		{"{\"bbox\":[1,4,3,4]}", "bbox: min must be below max"},
		{"{\"bbox\":\"1,2,3,4\"}", "bbox must be [minx,miny,maxx,maxy]"},
		{"{\"bbox\":{\"south\":52,\"west\":5,\"north\":53}}", "bbox: \"east\" must be a number"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		j = params_of(bad[i][0]);
		assert_int_equal(params_parse_gaps(j, &g, &e), -1);
		assert_int_equal(e.code, RPC_INVALID_PARAMS);
		if (!strstr(e.message, bad[i][1]))
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i][0], e.message, bad[i][1]);
		json_decref(j);
	}
	j = params_of("{\"bbox\":[1,2,3,4]}");
	assert_int_equal(params_parse_stats(j, &st, &e), -1);
	assert_string_equal(e.message, "stats takes a region code, not a bbox");
	json_decref(j);
	j = params_of("{\"region\":\"GM0344\",\"k\":0}");
	assert_int_equal(params_parse_suggest(j, &su, &e), -1);
	assert_string_equal(e.message, "\"k\" must be an integer 1..100");
	json_decref(j);
}

static void test_parse_sites(void **state)
{
	static const struct { const char *params; int rc; enum params_level level; } cases[] = {
		{"{\"region\":\"VR17\"}", 0, PARAMS_LEVEL_ANY},
		{"{\"region\":\"VR17\",\"level\":\"local\"}", 0, PARAMS_LEVEL_LOCAL},
		{"{\"region\":\"VR17\",\"level\":\"regional\"}", 0, PARAMS_LEVEL_REGIONAL},
		{"{\"region\":\"VR17\",\"level\":\"wijk\"}", -1, PARAMS_LEVEL_ANY},
		{"{\"region\":\"VR17\",\"level\":1}", -1, PARAMS_LEVEL_ANY},
		{"{\"level\":\"local\"}", -1, PARAMS_LEVEL_ANY},
	};
	struct sites_params p;
	struct rpc_error e;
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *j = params_of(cases[i].params);
		assert_int_equal(params_parse_sites(j, &p, &e), cases[i].rc);
		if (cases[i].rc == 0)
			assert_int_equal(p.level, cases[i].level);
		else
			assert_int_equal(e.code, RPC_INVALID_PARAMS);
		json_decref(j);
	}
	json_t *j = params_of("{\"region\":\"VR17\",\"level\":1}");
	assert_int_equal(params_parse_sites(j, &p, &e), -1);
	assert_string_equal(e.message, "\"level\" must be \"local\" or \"regional\"");
	json_decref(j);
}

static void test_parse_whatif(void **state)
{
	struct whatif_params p;
	struct rpc_error e;
	(void)state;
	json_t *j = params_of("{\"add\":[{\"candidate\":7},{\"x\":92000,\"y\":437000},"
			      "{\"lat\":52,\"lon\":5}],\"remove\":[3,1]}");
	assert_int_equal(params_parse_whatif(j, &p, &e), 0);
	assert_int_equal(p.nadd, 3);
	assert_int_equal(p.add[0].is_candidate, 1);
	assert_int_equal(p.add[0].candidate, 7);
	assert_int_equal(p.add[1].is_candidate, 0);
	assert_true(p.add[1].point.x_m == 92000 && !p.add[1].point.latlon);
	assert_int_equal(p.add[2].point.latlon, 1);
	assert_int_equal(p.nremove, 2);
	assert_int_equal(p.remove[0], 3);
	assert_int_equal(p.remove[1], 1);
	params_whatif_free(&p);
	assert_null(p.add);
	json_decref(j);
	j = params_of("{\"remove\":[1]}");
	assert_int_equal(params_parse_whatif(j, &p, &e), 0);
	assert_int_equal(p.nadd, 0);
	assert_int_equal(p.nremove, 1);
	params_whatif_free(&p);
	json_decref(j);

	static const char *const bad[][2] = {
		{"{}", "give \"add\" (points or {\"candidate\": id}) and/or \"remove\""},
		{"{\"add\":[],\"remove\":[]}", "give \"add\""},
		{"{\"add\":{\"x\":1}}", "as arrays"},
		{"{\"add\":[{\"x\":92000,\"y\":437000}],\"remove\":5}", "as arrays"},
		{"{\"add\":[{\"candidate\":\"7\"}]}", "add[0]: \"candidate\" must be an integer"},
		{"{\"add\":[{\"x\":92000,\"y\":437000},{\"candidate\":7,\"x\":1}]}",
		 "add[1]: give {\"candidate\": id} or a point, not both"},
		{"{\"add\":[{\"x\":92000,\"y\":437000},[5,52]]}", "add[1] must be {\"lat\""},
		{"{\"add\":[{\"x\":400000,\"y\":437000}]}", "add[0]: x=400000.0 y=437000.0 is outside"},
		{"{\"remove\":[1,\"2\"]}", "remove[1]: a local site seq must be an integer"},
		{"{\"remove\":[3,1,4,1,3]}", "remove[3]: seq 1 is listed twice"},
		{"{\"remove\":[5,2,5,2]}", "remove[2]: seq 5 is listed twice"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		j = params_of(bad[i][0]);
		assert_int_equal(params_parse_whatif(j, &p, &e), -1);
		assert_int_equal(e.code, RPC_INVALID_PARAMS);
		assert_null(p.add);
		assert_null(p.remove);
		if (!strstr(e.message, bad[i][1]))
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i][0], e.message, bad[i][1]);
		json_decref(j);
	}
}

static void test_parse_none(void **state)
{
	struct rpc_error e;
	json_t *empty = json_object(), *one = params_of("{\"verbose\":true}");
	(void)state;
	assert_int_equal(params_parse_none("status", NULL, &e), 0);
	assert_int_equal(params_parse_none("status", empty, &e), 0);
	assert_int_equal(params_parse_none("reload", one, &e), -1);
	assert_int_equal(e.code, RPC_INVALID_PARAMS);
	assert_string_equal(e.message, "reload: unknown parameter \"verbose\"; it takes none");
	json_decref(empty);
	json_decref(one);
}

/* ---- admin callbacks and messages ---- */

static void test_admin(void **state)
{
	struct rpc_ctx ctx = {.plan = NULL, .admin = &admin, .privileged = 0};
	const char *line = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"recompute\"}";
	int is_error;
	(void)state;
	expect_call_error("recompute", NULL, RPC_BUSY, "a recompute is already running");
	expect_call_error("reload", NULL, RPC_INVALID_PARAMS,
			  "configuration kept: x.conf:3: max_clients: out of range");
	char *text = rpc_handle(&ctx, line, strlen(line), &is_error);
	assert_non_null(strstr(text, "-32002"));
	assert_non_null(strstr(text, "recompute needs root"));
	assert_int_equal(is_error, 1);
	free(text);
	ctx.privileged = 1;
	ctx.admin = NULL;
	text = rpc_handle(&ctx, line, strlen(line), &is_error);
	assert_non_null(strstr(text, "recompute: not available here"));
	free(text);
}

/* changes: parameter errors, no plan without "to", unknown plans and codes as -32001, and
 * the default "from" (the plan before) passed on as -1. */
static void test_changes(void **state)
{
	int is_error;
	(void)state;
	expect_call_error("changes", "{\"from\":\"3\"}", RPC_INVALID_PARAMS,
			  "\"from\" must be a plan id (an integer 1 or more)");
	expect_call_error("changes", "{\"to\":0}", RPC_INVALID_PARAMS, "\"to\" must be a plan id");
	expect_call_error("changes", "{\"to\":2,\"level\":\"both\"}", RPC_INVALID_PARAMS,
			  "\"level\" must be \"local\" or \"regional\"");
	expect_call_error("changes", "{\"to\":2,\"region\":\"WK036300\"}", RPC_INVALID_PARAMS,
			  "\"region\" must be a safety region VRnn or a gemeente GMnnnn");
	expect_call_error("changes", "{\"to\":2,\"limit\":-1}", RPC_INVALID_PARAMS,
			  "\"limit\" must be an integer 0..100000");
	expect_call_error("changes", NULL, RPC_NO_PLAN, "no plan yet");
	expect_call_error("changes", "{\"from\":7,\"to\":9}", RPC_NOT_FOUND, "no plan 7");
	expect_call_error("changes", "{\"to\":9,\"region\":\"VR17\"}", RPC_NOT_FOUND,
			  "VR17 is in neither plan 8 nor plan 9");
	json_t *r = call("changes", "{\"to\":9,\"level\":\"local\"}", &is_error);
	json_t *res = json_object_get(r, "result");
	assert_int_equal(is_error, 0);
	assert_int_equal(g_from, -1);
	assert_int_equal(g_to, 9);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(res, "from"),
							    "plan_id")), 8);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(
		res, "levels"), "local"), "kept")), 12);
	assert_null(json_object_get(json_object_get(res, "levels"), "regional"));
	json_decref(r);
	struct rpc_admin none = admin;
	none.changes = NULL;
	struct rpc_ctx ctx = {.plan = NULL, .admin = &none};
	const char *line = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"changes\","
			   "\"params\":{\"to\":3}}";
	char *text = rpc_handle(&ctx, line, strlen(line), &is_error);
	assert_non_null(strstr(text, "changes: not available here"));
	free(text);
}

/* resilience: a region code of one of the four kinds (required), a limit 0..1000 (default
 * 10); a good request without a plan gets "no plan yet". */
static void test_parse_resilience(void **state)
{
	struct resilience_params p;
	struct rpc_error e;
	(void)state;
	json_t *j = params_of("{\"region\":\"WK036300\",\"limit\":0}");
	assert_int_equal(params_parse_resilience(j, &p, &e), 0);
	assert_string_equal(p.region, "WK036300");
	assert_int_equal(p.limit, 0);
	json_decref(j);
	j = params_of("{\"region\":\"VR17\"}");
	assert_int_equal(params_parse_resilience(j, &p, &e), 0);
	assert_int_equal(p.limit, 10);
	json_decref(j);
	expect_call_error("resilience", "{\"region\":\"VR17\",\"limit\":1000}", RPC_NO_PLAN,
			  "no plan yet");
	expect_call_error("resilience", NULL, RPC_INVALID_PARAMS, "resilience: give \"region\"");
	static const char *const bad_regions[] = {"{\"region\":17}", "{\"region\":\"VR1\"}",
		"{\"region\":\"vr17\"}", "{\"region\":\"GM03630\"}", "{\"region\":\"BU0363\"}",
		"{\"region\":\"XX0363\"}", "{\"region\":null}"};
	for (size_t k = 0; k < sizeof bad_regions / sizeof bad_regions[0]; k++)
		expect_call_error("resilience", bad_regions[k], RPC_INVALID_PARAMS,
				  "\"region\" must be a safety region VRnn, a gemeente GMnnnn, a "
				  "wijk WKnnnnnn or a buurt BUnnnnnnnn");
	expect_call_error("resilience", "{\"region\":\"VR17\",\"limit\":1001}",
			  RPC_INVALID_PARAMS, "\"limit\" must be an integer 0..1000");
	expect_call_error("resilience", "{\"region\":\"VR17\",\"limit\":-1}",
			  RPC_INVALID_PARAMS, "\"limit\" must be an integer 0..1000");
	expect_call_error("resilience", "{\"region\":\"VR17\",\"limit\":2.5}",
			  RPC_INVALID_PARAMS, "\"limit\" must be an integer 0..1000");
	expect_call_error("resilience", "{\"bbox\":[1,2,3,4]}", RPC_INVALID_PARAMS,
			  "resilience: unknown parameter \"bbox\"; accepted: region, limit");
}

/* A message cut at its buffer's size inside a UTF-8 character still makes a reply. */
static void test_long_utf8_message(void **state)
{
	char line[2048] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"";
	int is_error;
	(void)state;
	for (size_t odd = 0; odd < 3; odd++) {
		size_t n = strlen("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"");
		line[n] = '\0';
		for (size_t i = 0; i < odd; i++)
			strcat(line, "a");
		for (int i = 0; i < 300; i++)
			strcat(line, "\xc3\xa9");   /* é: two bytes */
		strcat(line, "\"}");
		json_t *r = handle(line, &is_error);
		assert_non_null(r);
		expect_error(r, is_error, RPC_METHOD_NOT_FOUND, "no method \"");
	}
	struct rpc_error e;
	char euro[600] = "";
	for (int i = 0; i < 180; i++)
		strcat(euro, "\xe2\x82\xac");       /* €: three bytes */
	for (size_t pre = 0; pre < 3; pre++) {
		rpc_fail(&e, RPC_NOT_FOUND, "%.*s%s", (int)pre, "xx", euro);
		json_t *s = json_string(e.message);  /* NULL when not valid UTF-8 */
		assert_non_null(s);
		assert_true(strlen(e.message) >= sizeof e.message - 4);
		json_decref(s);
	}
}

static void test_oversize(void **state)
{
	json_error_t je;
	(void)state;
	char *text = rpc_oversize_reply(65536);
	json_t *r = json_loads(text, 0, &je);
	expect_error(r, 1, RPC_INVALID_REQUEST, "request line longer than 65536 bytes; closing");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_is_error),
		cmocka_unit_test(test_params_before_plan),
		cmocka_unit_test(test_unknown_member_every_method),
		cmocka_unit_test(test_parse_coverage),
		cmocka_unit_test(test_parse_selection),
		cmocka_unit_test(test_parse_sites),
		cmocka_unit_test(test_parse_whatif),
		cmocka_unit_test(test_parse_none),
		cmocka_unit_test(test_admin),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_parse_resilience),
		cmocka_unit_test(test_long_utf8_message),
		cmocka_unit_test(test_oversize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
