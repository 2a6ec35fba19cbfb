/* hubctl diff with --db: opens the database read-only, compares the two plans with
 * model/changes.c and renders the result as the `changes` method would, positions in
 * lon/lat through the configured PROJ grid. Never talks to the daemon. */
#include "client/hubctl_diff.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client/hubctl.h"
#include "data/store.h"
#include "geo/crs.h"
#include "model/changes.h"

static int64_t plan_param(json_t *params, const char *key, int64_t absent)
{
	json_t *v = json_object_get(params, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : absent;
}

int ctl_diff_from_db(const struct config *cfg, json_t *params, json_t **result)
{
	struct store *st = NULL;
	struct plan_changes *c = NULL;
	struct crs *crs = NULL;
	const char *level = json_string_value(json_object_get(params, "level"));
	struct changes_filter f = {
		.level = !level ? 0 : strcmp(level, "local") == 0 ? 1 : 2,
		.code = json_string_value(json_object_get(params, "region")),
		.limit = (long)plan_param(params, "limit", 1000),
	};
	char err[ERRLEN];
	*result = NULL;
	int rc = store_open(cfg->database, STORE_READONLY, &st, err, sizeof err);
	if (rc == 0)
		rc = changes_load(st, plan_param(params, "from", -1), plan_param(params, "to", 0), &c,
				  err, sizeof err);
	if (rc == 0)
		rc = crs_open(cfg->proj_grid_dir, &crs, err, sizeof err);
	if (rc == 0)
		rc = changes_to_json(c, &f, crs, result, err, sizeof err);
	if (rc < 0)
		fprintf(stderr, "hubctl diff: %s: %s\n", cfg->database, err);
	crs_close(crs);
	changes_free(c);
	store_close(st);
	return rc < 0 ? EXIT_FAILURE_RUN : 0;
}
