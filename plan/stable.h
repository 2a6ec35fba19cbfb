/* Stable recomputes: the sites of the plan a new plan replaces (the incumbents) found among
 * the new candidates by position, generated positions that are gone added back, and a
 * scope round's candidates outside the scope reduced to the incumbents there. Pure
 * computation; no GEOS, no I/O. */
#ifndef HUB_PLAN_STABLE_H
#define HUB_PLAN_STABLE_H

#include <stddef.h>
#include <stdint.h>

#include "plan/candidates.h"

/* Two positions closer than this are the same site (RD metres). */
#define PLAN_SAME_SITE_M 1.0

struct plan_incumbent {
	double x, y;                  /* RD New */
	int32_t gemeente;             /* area index, -1 = unknown */
	enum cand_origin origin;      /* CAND_SITE: an imported site; else a generated position */
	int backup;                   /* 1 = a backup site (backup_sites) of the plan replaced */
};

/* The values of a stable recompute's mark: a primary incumbent's candidate, a backup one's. */
#define PLAN_MARK_PRIMARY 1
#define PLAN_MARK_BACKUP 2

/* The plan a stable recompute starts from. Arrays are the caller's (not owned). */
struct plan_incumbents {
	int64_t plan_id;              /* the stored plan they come from */
	const struct plan_incumbent *local, *regional;
	size_t nlocal, nregional;
};

/* What matching did, per level. */
struct plan_incumbent_match {
	size_t given;                 /* incumbents of the level */
	size_t found;                 /* at the position of a candidate */
	size_t restored;              /* generated positions added back as candidates */
	size_t gone;                  /* imported sites no longer a candidate (removed from the
				       * data or rejected) and generated positions outside the
				       * municipalities planned: they cannot be kept */
};

/* Marks for each incumbent one candidate of c at its position (within PLAN_SAME_SITE_M) and
 * appends a candidate for each generated incumbent no candidate matches when it lies in a
 * loaded municipality (an imported site that is no longer a candidate stays out: it was
 * removed or rejected; so does a generated one outside the areas planned: gone). *mark ([c->n]
 * after the call: PLAN_MARK_PRIMARY or PLAN_MARK_BACKUP for an incumbent's candidate, 0
 * else; caller frees) and *match are filled. 0 or -ENOMEM (*mark NULL). */
int plan_incumbents_mark(struct candidates *c, const struct plan_incumbent *inc, size_t n,
			 uint8_t **mark, struct plan_incumbent_match *match);

/* Keeps candidate j of c when in_scope[c->gemeente[j]] (an area index; -1 is outside) or
 * when it is an incumbent (mark[j]); an incumbent outside the scope becomes fixed. mark is
 * compacted with c. in_scope has one entry per area. */
void plan_candidates_scope(struct candidates *c, uint8_t *mark, const uint8_t *in_scope);

#endif
