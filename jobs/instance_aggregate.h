/* Aggregation of a covering model: demand points with the same group and the same set of
 * covering candidates become one point carrying their summed weight and residents, and
 * points no candidate covers are dropped. Every set of open sites covers the same weight
 * in both models, so the optimum and the bounds are unchanged; capacities are not (the
 * caller aggregates only without them). Pure computation, no I/O. */
#ifndef HUB_INSTANCE_AGGREGATE_H
#define HUB_INSTANCE_AGGREGATE_H

#include "plan/cover.h"

/* Builds the aggregated model of m (which needs its transpose) into *out, with its
 * transpose; the candidates keep their indices, fixed flags and groups; cand_capacity and
 * incumbent are left NULL. *out is owned by the caller (cover_model_free). 0 or -ENOMEM
 * (*out NULL). */
int instance_aggregate(const struct cover_model *m, struct cover_model **out);

#endif
