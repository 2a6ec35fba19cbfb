/* Statuses in the served model: a copy of the stored statuses sorted by site id, and per
 * candidate whether a rejected site lies within 25 m. Built once at load; never changes a
 * published model. */
#include "model/served_status.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data/store_status.h"

const struct plan_status *served_rejected_near(const struct served *s, double x, double y)
{
	const struct plan_status *best = NULL;
	double best_d = SERVED_REJECTED_RADIUS_M;
	for (size_t k = 0; k < s->nstatuses; k++) {
		const struct plan_status *t = &s->statuses[k];
		if (t->status != STORE_STATUS_REJECTED || fabs(t->x - x) > best_d ||
		    fabs(t->y - y) > best_d)
			continue;             /* cheap: most statuses are far away */
		double d = hypot(t->x - x, t->y - y);
		if (d <= best_d) {
			best = t;
			best_d = d;
		}
	}
	return best;
}

int served_status_of(const struct served *s, int64_t site_id)
{
	size_t lo = 0, hi = s->nstatuses;
	while (site_id >= 0 && lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->statuses[mid].site_id == site_id)
			return s->statuses[mid].status;
		if (s->statuses[mid].site_id < site_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return STORE_STATUS_NONE;
}

int served_status_load(struct served *s, const struct plan_input *in)
{
	s->statuses = malloc((in->nstatuses + 1) * sizeof *s->statuses);
	s->cand_blocked = calloc(s->cand.n + 1, 1);
	if (!s->statuses || !s->cand_blocked)
		return -ENOMEM;
	if (in->nstatuses)
		memcpy(s->statuses, in->statuses, in->nstatuses * sizeof *s->statuses);
	s->nstatuses = in->nstatuses;
	for (size_t j = 0; j < s->cand.n; j++)
		s->cand_blocked[j] = served_rejected_near(s, s->cand.xy[2 * j],
							  s->cand.xy[2 * j + 1]) != NULL;
	return 0;
}
