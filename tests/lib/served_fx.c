/* The served-query test world of served_fx.h: import, plan, load, prerender, and the
 * in-process request helpers. Test-only code. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/lib/served_fx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/rpc/methods.h"
#include "daemon/rpc/rpc.h"
#include "jobs/import.h"
#include "jobs/plan_run.h"
#include "tests/lib/testutil.h"

void sfx_setup(struct served_fx *w)
{
	const char *paths[] = {HUB_DATA_DIR};
	struct import_report rep;
	tu_mkdtemp(w->dir, sizeof w->dir);
	snprintf(w->db, sizeof w->db, "%s/hub.db", w->dir);
	if (import_paths(w->db, paths, 1, NULL, &rep, w->err, sizeof w->err) < 0)
		fail_msg("import: %s", w->err);
	import_report_free(&rep);
	config_defaults(&w->cfg);
	snprintf(w->cfg.database, sizeof w->cfg.database, "%s", w->db);
	w->cfg.search_time_s = 1;
}

void sfx_teardown(struct served_fx *w)
{
	tu_rmtree(w->dir);
}

long long sfx_plan(struct served_fx *w, const char *scope)
{
	struct plan_run_options opt = {NULL, scope, NULL, 1, NULL};
	struct plan_result r;
	struct plan_run_info info;
	int rc = plan_run(&w->cfg, NULL, &opt, &r, &info, w->err, sizeof w->err);
	plan_result_free(&r);
	if (rc < 0)
		fail_msg("plan: %s", w->err);
	return (long long)info.plan_id;
}

struct served *sfx_load(struct served_fx *w)
{
	struct served *s = NULL;
	if (served_load(&w->cfg, &s, w->err, sizeof w->err) < 0)
		fail_msg("served_load: %s", w->err);
	assert_int_equal(methods_prerender(s), 0);   /* as the daemon does after a load */
	return s;
}

/* The reply to method with params, parsed; *is_error from rpc_handle. */
static json_t *reply(const struct served *s, const char *method, const char *params,
		     int *is_error)
{
	struct rpc_ctx ctx = {.plan = s, .privileged = 1};
	size_t n = strlen(params) + strlen(method) + 64;
	char *line = malloc(n);
	json_error_t je;
	assert_non_null(line);
	snprintf(line, n, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":%s}",
		 method, params);
	char *text = rpc_handle(&ctx, line, strlen(line), is_error);
	free(line);
	assert_non_null(text);
	json_t *j = json_loads(text, 0, &je);
	if (!j)
		fail_msg("%s: not JSON: %s", method, text);
	free(text);
	return j;
}

json_t *sfx_call(const struct served *s, const char *method, const char *params)
{
	int is_error = -1;
	json_t *j = reply(s, method, params, &is_error);
	if (is_error) {
		char *t = json_dumps(j, 0);
		fail_msg("%s: %s", method, t ? t : "error");
	}
	json_t *r = json_incref(json_object_get(j, "result"));
	json_decref(j);
	assert_non_null(r);
	return r;
}

void sfx_expect_error(const struct served *s, const char *method, const char *params,
		      int code, const char *needle)
{
	int is_error = -1;
	json_t *j = reply(s, method, params, &is_error);
	const char *msg = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
	if (!is_error || !msg)
		fail_msg("%s %s: expected an error containing \"%s\"", method, params, needle);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "error"), "code")),
			 code);
	if (!strstr(msg, needle))
		fail_msg("%s: error \"%s\" does not contain \"%s\"", method, msg, needle);
	json_decref(j);
}
