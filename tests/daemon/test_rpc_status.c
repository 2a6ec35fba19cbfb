/* Unit tests for daemon/rpc/methods_status.c: designate, reject and release on a real
 * temporary database through rpc_handle (site by id, import key and RD position; the
 * stored row in the reply; the uid and $SUDO_USER recorded), the refusal of an unprivileged
 * peer with -32002 and nothing stored, the statuses listing, and their parameter errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/rpc/rpc.h"
#include "data/store.h"
#include "tests/lib/testutil.h"

static struct {
	char dir[256], db[300], err[1024];
	int changes;                  /* status_changed calls */
	char what[512], set_by[128];
} W;

static void on_changed(void *user, const char *what, const char *set_by)
{
	(void)user;
	W.changes++;
	snprintf(W.what, sizeof W.what, "%s", what);
	snprintf(W.set_by, sizeof W.set_by, "%s", set_by);
}

static const struct rpc_admin admin = {.status_changed = on_changed};

static int setup(void **state)
{
	static const struct { const char *id, *name; double x, y; } sites[] = {
		{"7", "De Hoeksteen", 155000, 463000}, {"8", "Het Baken", 155100, 463000},
	};
	struct store *st = NULL;
	(void)state;
	tu_mkdtemp(W.dir, sizeof W.dir);
	snprintf(W.db, sizeof W.db, "%s/hub.db", W.dir);
	assert_int_equal(store_open(W.db, 0, &st, W.err, sizeof W.err), 0);
	assert_int_equal(store_begin(st, W.err, sizeof W.err), 0);
	for (size_t i = 0; i < 2; i++) {
		struct store_site s = {"scholen.csv", sites[i].id, sites[i].name, "school", NULL,
				       sites[i].x, sites[i].y, NAN, 0, NAN, NAN, NAN};
		assert_int_equal(store_put_site(st, &s, W.err, sizeof W.err), 0);
	}
	assert_int_equal(store_commit(st, W.err, sizeof W.err), 0);
	store_close(st);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(W.dir);
	return 0;
}

/* method(params) from a peer with uid (privileged when uid is 0), parsed. */
static json_t *call_as(unsigned uid, const char *method, const char *params, int *is_error)
{
	struct rpc_ctx ctx = {.plan = NULL, .admin = &admin, .privileged = uid == 0,
			      .store_path = W.db, .peer_uid = uid};
	char line[2048];
	json_error_t je;
	snprintf(line, sizeof line, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":%s}",
		 method, params);
	char *text = rpc_handle(&ctx, line, strlen(line), is_error);
	assert_non_null(text);
	json_t *j = json_loads(text, 0, &je);
	if (!j)
		fail_msg("not JSON: %s", text);
	free(text);
	return j;
}

static json_t *result_of(const char *method, const char *params)
{
	int is_error;
	json_t *r = call_as(0, method, params, &is_error);
	if (is_error)
		fail_msg("%s %s: %s", method, params, json_dumps(r, 0));
	json_t *res = json_incref(json_object_get(r, "result"));
	json_decref(r);
	return res;
}

static void expect_error_as(unsigned uid, const char *method, const char *params, int code,
			    const char *needle)
{
	int is_error;
	json_t *r = call_as(uid, method, params, &is_error);
	json_t *e = json_object_get(r, "error");
	const char *msg = json_string_value(json_object_get(e, "message"));
	assert_int_equal(is_error, 1);
	if (json_integer_value(json_object_get(e, "code")) != code || !msg || !strstr(msg, needle))
		fail_msg("%s %s: expected %d \"%s\", got %s", method, params, code, needle,
			 json_dumps(r, 0));
	json_decref(r);
}

static const char *str(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);
	return json_string_value(b ? json_object_get(v, b) : v);
}

static long long stored(const char *where)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM site_status WHERE %s", where);
	return tu_sql_int(W.db, sql, 0);
}

static void test_round_trip(void **state)
{
	(void)state;
	setenv("SUDO_USER", "ignored", 1);   /* the daemon takes "by" only from params */
	json_t *r = result_of("designate", "{\"site\":\"scholen.csv:7\",\"note\":\"signed\","
			      "\"by\":\"planner\"}");
	assert_string_equal(str(r, "status", NULL), "designated");
	assert_true(json_is_null(json_object_get(r, "previous")));
	assert_string_equal(str(r, "site", "name"), "De Hoeksteen");
	assert_string_equal(str(r, "stored", "set_by"), "uid 0 (planner)");
	assert_string_equal(str(r, "stored", "note"), "signed");
	assert_non_null(strstr(str(r, "takes_effect", NULL), "next recompute"));
	assert_int_equal(W.changes, 1);
	assert_string_equal(W.set_by, "uid 0 (planner)");
	assert_non_null(strstr(W.what, "designated site"));
	json_decref(r);
	/* the same site by its id, now rejected: previous says what it was */
	long long id = tu_sql_int(W.db, "SELECT id FROM sites WHERE source_id = '7'", 0);
	char params[128];
	snprintf(params, sizeof params, "{\"site\":%lld}", id);
	r = result_of("reject", params);
	assert_string_equal(str(r, "previous", NULL), "designated");
	assert_string_equal(str(r, "stored", "status"), "rejected");
	assert_string_equal(str(r, "stored", "set_by"), "uid 0");
	json_decref(r);
	assert_int_equal(stored("source_id = '7' AND status = 'rejected' AND note IS NULL"), 1);
	/* by RD position: x_rd/y_rd and point both name the nearest site within 25 m */
	r = result_of("designate", "{\"x_rd\":155110,\"y_rd\":463005}");
	assert_string_equal(str(r, "site", "source_id"), "8");
	json_decref(r);
	r = result_of("release", "{\"point\":{\"x\":155090,\"y\":462995}}");
	assert_string_equal(str(r, "status", NULL), "released");
	assert_string_equal(str(r, "previous", NULL), "designated");
	assert_true(json_is_null(json_object_get(r, "stored")));
	json_decref(r);
	assert_int_equal(stored("source_id = '8'"), 0);
	/* the listing */
	r = result_of("statuses", "{}");
	assert_int_equal(json_integer_value(json_object_get(r, "rejected")), 1);
	assert_int_equal(json_array_size(json_object_get(r, "statuses")), 1);
	assert_string_equal(str(json_array_get(json_object_get(r, "statuses"), 0), "name", NULL),
			    "De Hoeksteen");
	json_decref(r);
}

static void test_unprivileged_refused(void **state)
{
	(void)state;
	long long before = stored("1");
	int calls = W.changes;
	expect_error_as(1000, "designate", "{\"site\":\"scholen.csv:8\"}", RPC_FORBIDDEN,
			"designate needs root or the daemon's own user");
	expect_error_as(1000, "reject", "{\"site\":1}", RPC_FORBIDDEN, "reject needs root");
	expect_error_as(1000, "release", "{\"site\":1}", RPC_FORBIDDEN, "release needs root");
	assert_int_equal(stored("1"), before);
	assert_int_equal(W.changes, calls);
	/* anyone may list */
	int is_error;
	json_t *r = call_as(1000, "statuses", "{}", &is_error);
	assert_int_equal(is_error, 0);
	json_decref(r);
}

static void test_errors(void **state)
{
	(void)state;
	long long before = stored("1");
	expect_error_as(0, "designate", "{\"site\":999}", RPC_NOT_FOUND, "no site with id 999");
	expect_error_as(0, "designate", "{\"site\":\"x.csv:1\"}", RPC_NOT_FOUND, "no site x.csv:1");
	expect_error_as(0, "reject", "{\"x_rd\":155050,\"y_rd\":463000}", RPC_NOT_FOUND,
			"no site within 25 m of x=155050.0 y=463000.0 (nearest: De Hoeksteen, 50 m)");
	expect_error_as(0, "reject", "{}", RPC_INVALID_PARAMS, "give exactly one of");
	expect_error_as(0, "reject", "{\"site\":1,\"x_rd\":1,\"y_rd\":2}", RPC_INVALID_PARAMS,
			"give exactly one of");
	expect_error_as(0, "reject", "{\"site\":-4}", RPC_INVALID_PARAMS, "\"site\" must be");
	expect_error_as(0, "reject", "{\"site\":\"abc\"}", RPC_INVALID_PARAMS, "\"site\" must be");
	expect_error_as(0, "reject", "{\"x_rd\":155000}", RPC_INVALID_PARAMS, "x_rd,y_rd must be");
	expect_error_as(0, "reject", "{\"site\":1,\"note\":5}", RPC_INVALID_PARAMS,
			"\"note\" must be a string");
	expect_error_as(0, "designate", "{\"point\":{\"lat\":52.1,\"lon\":5.1}}", RPC_NO_PLAN,
			"lat/lon needs a loaded plan");
	expect_error_as(0, "statuses", "{\"region\":\"GM0363\"}", RPC_NO_PLAN,
			"a region filter needs a loaded plan");
	expect_error_as(0, "release", "{\"site\":1,\"colour\":1}", RPC_INVALID_PARAMS,
			"release: unknown parameter \"colour\"; accepted: site, point, x_rd, y_rd, "
			"note, by");
	assert_int_equal(stored("1"), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_unprivileged_refused),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
