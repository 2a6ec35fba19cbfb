/* Aggregation of a covering model: demand points that the same set of candidates covers are
 * one point for every covering objective, so they are merged (weights and residents summed)
 * and points no candidate covers are dropped. The exact mode runs its MIP on the result.
 * Pure computation: no I/O, no logging; the input model is not changed. */
#ifndef HUB_COVER_AGGREGATE_H
#define HUB_COVER_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "plan/cover.h"

/* Builds the aggregated model of m (which needs its transpose): one demand point per
 * distinct non-empty coverage set, numbered in the order of the first original point with
 * that set; weight and residents are the sums over its points, group is the first point's.
 * Candidates are the same (fixed, cand_group, cand_capacity copied; incumbent and
 * change_cost too); each candidate lists each aggregated point once, in the order of its
 * nearest original point, with that point's distance. *out (free with cover_model_free)
 * has its transpose. *class_of (caller frees, may be NULL when not wanted) maps each
 * original point to its aggregated point, or UINT32_MAX when no candidate covers it.
 * The covered weight of any open set is the same in both models, so is the optimum.
 * 0, -EINVAL (no transpose) or -ENOMEM (nothing returned). */
int cover_aggregate(const struct cover_model *m, struct cover_model **out, uint32_t **class_of);

#endif
