/* hubctl diff --db: the comparison of two plans read straight from the database, as the
 * same JSON the daemon's `changes` method returns, so one printer serves both. Used by
 * hubctl.c only. */
#ifndef HUB_HUBCTL_DIFF_H
#define HUB_HUBCTL_DIFF_H

#include <jansson.h>

#include "config/config.h"

/* Reads params ({"from","to","level","region","limit"}, as for `changes`; borrowed) and
 * compares the plans in cfg->database: to absent = the newest plan, from absent = the plan
 * stored before it. 0 and *result (a new reference), or EXIT_FAILURE_RUN with the error
 * printed. */
int ctl_diff_from_db(const struct config *cfg, json_t *params, json_t **result);

#endif
