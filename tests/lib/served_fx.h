/* A world for tests of the served queries: the bundled data imported into a temporary
 * database, plans made with the product's own plan_run, the newest loaded with served_load
 * and prerendered as the daemon does, and requests answered by rpc_handle in process.
 * Test-only code; never linked into the product. */
#ifndef HUB_SERVED_FX_H
#define HUB_SERVED_FX_H

#include <jansson.h>

#include "config/config.h"
#include "model/served.h"

struct served_fx {
	char dir[256], db[300];
	struct config cfg;            /* defaults, this database, a 1 s search */
	char err[4096];
};

/* Imports the bundled data into a new temporary folder. Fails the test when it cannot. */
void sfx_setup(struct served_fx *w);
void sfx_teardown(struct served_fx *w);

/* Plans scope (NULL = the nation) from scratch and returns the plan id. */
long long sfx_plan(struct served_fx *w, const char *scope);

/* Loads the newest plan as the daemon serves it (caller frees with served_free). */
struct served *sfx_load(struct served_fx *w);

/* The result of method with params (a JSON object's text) on s; fails the test on an
 * error reply. Caller decrefs. */
json_t *sfx_call(const struct served *s, const char *method, const char *params);

/* The error of method with params on s: fails the test unless the reply is an error with
 * code and a message containing needle. */
void sfx_expect_error(const struct served *s, const char *method, const char *params,
		      int code, const char *needle);

#endif
