/* Writes a level's optimisation instance (demand weights, candidates, coverage lists, fixed
 * sites, number of sites) as plain text, so anyone can check a plan with an external
 * solver. The format is documented in docs/instance-format.md. */
#ifndef HUB_INSTANCE_H
#define HUB_INSTANCE_H

#include <stddef.h>

#include "plan/plan.h"

/* Writes lv (with demand d) to path atomically (a temporary file renamed into place).
 * 0 or negative errno with err. */
int instance_write(const char *path, const struct plan_level *lv, const struct demand *d,
		   char *err, size_t errlen);

#endif
