/* Site statuses in the serving model: what whatif and suggest need to respect them. A
 * rejected site blocks every candidate within 25 m (a suggestion there would be read as
 * "that building"); a designated site is flagged so removing it in a whatif warns.
 * Filled at load from the plan input's statuses; read-only afterwards. */
#ifndef HUB_SERVED_STATUS_H
#define HUB_SERVED_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "model/plan_input.h"
#include "model/served.h"

/* Radius around a rejected site within which nothing is suggested or added by whatif. */
#define SERVED_REJECTED_RADIUS_M 25.0

/* Copies in's statuses into s and marks s->cand_blocked (s->cand must be built).
 * 0 or -ENOMEM. */
int served_status_load(struct served *s, const struct plan_input *in);

/* The status of site id (STORE_STATUS_*), STORE_STATUS_NONE when it has none or id < 0. */
int served_status_of(const struct served *s, int64_t site_id);

/* The nearest rejected status within SERVED_REJECTED_RADIUS_M of (x, y), or NULL. */
const struct plan_status *served_rejected_near(const struct served *s, double x, double y);

#endif
