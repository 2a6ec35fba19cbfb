/* Candidate sites for the planner: imported sites (schools, existing points) plus generated
 * ones at the demand-weighted centres of areas and of blocks of grid cells, and the sparse
 * coverage model built from candidates and demand with a grid index (never a dense matrix).
 * No GEOS (positions are snapped to demand points, which lie on land), no I/O. */
#ifndef HUB_CANDIDATES_H
#define HUB_CANDIDATES_H

#include <stddef.h>
#include <stdint.h>

#include "plan/cover.h"
#include "plan/demand.h"

enum cand_origin { CAND_SITE = 0, CAND_AREA_CENTRE = 1, CAND_CELL_BLOCK = 2 };

struct candidates {
	size_t n, cap;
	double *xy;                   /* [2n] RD New */
	uint8_t *fixed;               /* [n] */
	uint8_t *origin;              /* [n] enum cand_origin */
	int32_t *gemeente;            /* [n] area index of the municipality, -1 = none */
	int64_t *site_id;             /* [n] store id for CAND_SITE (the lowest of co-located
				       * sites), else -1 */
	uint32_t *sites;              /* [n] imported sites at this position: 1 for CAND_SITE
				       * (more when co-located sites were merged), 0 else */
};

/* Appends one candidate. 0 or -ENOMEM. */
int candidates_add(struct candidates *c, double x, double y, int fixed, enum cand_origin origin,
		   int32_t gemeente, int64_t site_id);

/* Appends generated candidates: one per block and source area (grid cells: per block and
 * municipality), at the demand point nearest to the block's weighted centre, so always on
 * populated land inside the area. Blocks are block_m in urbanity classes 1-3, 2 * block_m
 * in class 4 and 4 * block_m in class 5. 0 or -ENOMEM. */
int candidates_generate(struct candidates *c, const struct demand *d,
			const struct plan_area *areas, double block_m);

/* Copies candidate from to slot to (to <= from when compacting in place). */
void candidates_move(struct candidates *c, size_t to, size_t from);

void candidates_free(struct candidates *c);

struct cover_params {
	double radius_m[5];           /* by urbanity class 1..5 */
	double detour_factor;         /* distances are multiplied by it: reach = radius / factor */
};

/* Builds the coverage model: candidate j covers demand point i when
 * dist(i, j) * detour_factor <= radius_m[urbanity(i)]. Groups are municipalities (area
 * indices renumbered densely); *group_area maps group -> area index (caller frees).
 * 0 and *out (cover_model_free) or -ENOMEM / -E2BIG (more than 2^32 pairs) with err. */
int cover_build(const struct demand *d, const struct candidates *c, const struct cover_params *p,
		struct cover_model **out, int32_t **group_area, char *err, size_t errlen);

#endif
