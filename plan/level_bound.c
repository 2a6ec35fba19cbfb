/* A level's national bound (cover_bound) in a second thread, so that on two cores it runs
 * while the plan goes on with the regional level and the results. The thread reads only
 * the level's model, which nothing changes after the solve, and its own copy of the open
 * sites; it writes only its job. When no thread can be started the bound is computed at
 * once, with the same result. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan_internal.h"
#include "util/clock.h"

static void *bound_run(void *arg)
{
	struct plan_bound_job *j = arg;
	double t0 = clock_now_s();
	j->rc = cover_bound(j->model, j->nopen, NULL, j->open, j->nopen, j->iterations,
			    &j->bound);
	j->seconds = clock_now_s() - t0;
	return NULL;
}

int plan_bound_start(struct plan_bound_job *j, const struct plan_level *lv, int iterations,
		     int threaded)
{
	memset(j, 0, sizeof *j);
	j->open = malloc((lv->sol.nopen + 1) * sizeof *j->open);
	if (!j->open)
		return -ENOMEM;
	if (lv->sol.nopen)
		memcpy(j->open, lv->sol.open, lv->sol.nopen * sizeof *j->open);
	j->model = lv->model;
	j->nopen = lv->sol.nopen;
	j->iterations = iterations;
	if (threaded && pthread_create(&j->thread, NULL, bound_run, j) == 0)
		j->running = 1;
	else
		bound_run(j);
	return 0;
}

int plan_bound_finish(struct plan_bound_job *j, struct plan_level *lv)
{
	int rc = 0;
	if (j->running)
		pthread_join(j->thread, NULL);
	if (j->model) {
		rc = j->rc;
		lv->bound = j->bound;
		lv->gap_pct = lv->bound > 0 ?
			100.0 * (lv->bound - lv->covered_weight) / lv->bound : 0;
		lv->bound_seconds = j->seconds;
	}
	free(j->open);
	memset(j, 0, sizeof *j);
	return rc;
}

int plan_bound_now(struct plan_level *lv, int iterations)
{
	struct plan_bound_job j;
	int rc = plan_bound_start(&j, lv, iterations, 0);
	int brc = plan_bound_finish(&j, lv);
	return rc ? rc : brc;
}
