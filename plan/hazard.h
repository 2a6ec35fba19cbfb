/* Hazard layers in the planner: the polygons of named layers (flood depths and the like,
 * imported with hazard-import) and the removal of candidates inside the layers a plan
 * excludes (hazard_exclude). Point-in-polygon through geo/locate (an STRtree of prepared
 * geometries); no GEOS type here, no I/O. */
#ifndef HUB_PLAN_HAZARD_H
#define HUB_PLAN_HAZARD_H

#include <stddef.h>
#include <stdint.h>

#include "geo/geom.h"
#include "geo/locate.h"
#include "plan/candidates.h"
#include "plan/stable.h"

#define PLAN_HAZARD_NAME_LEN 64
#define PLAN_HAZARD_MAX 8             /* layers one plan may name */

struct plan_hazard_part {
	char name[PLAN_HAZARD_NAME_LEN];  /* its layer */
	uint8_t *wkb;                     /* owned: RD New (Multi)Polygon */
	size_t len;
};

/* Every loaded hazard part, in layer order. Zero-initialise; free with plan_hazards_free. */
struct plan_hazards {
	struct plan_hazard_part *parts;
	size_t n, cap;
};

/* What one plan's exclusion did to one layer. */
struct plan_hazard_count {
	char name[PLAN_HAZARD_NAME_LEN];
	long local_excluded;              /* local candidates removed (co-located sites: one) */
	long regional_excluded;           /* regional candidates removed */
	long fixed_kept;                  /* fixed (existing or designated) candidates inside,
					   * kept: a human decision the plan does not overrule */
	long incumbents_excluded;         /* sites of the plan a stable recompute starts from
					   * that lie inside: not kept, not restored */
	long local_flagged;               /* hazard_flag: chosen local sites inside */
	long regional_flagged;            /* hazard_flag: chosen regional points inside */
};

/* Appends a copy of wkb[0..len) under layer name. 0, -EINVAL (name too long) or -ENOMEM. */
int plan_hazards_add(struct plan_hazards *h, const char *name, const uint8_t *wkb, size_t len);
void plan_hazards_free(struct plan_hazards *h);

/* 1 when layer name has at least one part in h (h may be NULL), else 0. */
int plan_hazards_has(const struct plan_hazards *h, const char *name);

/* Checks a comma-separated list of layer names against h: -ENOENT "hazard layer X is not
 * imported (hazard-list shows the layers)" for an unknown one, -E2BIG over PLAN_HAZARD_MAX,
 * else 0 and counts[0..*n) named in list order with zero counts. "" gives *n = 0. */
int plan_hazard_counts_init(const struct plan_hazards *h, const char *names,
			    struct plan_hazard_count *counts, size_t *n, char *err,
			    size_t errlen);

/* Removes from c every candidate that is not fixed and lies inside (or on the edge of) a
 * part of a layer named in counts[0..n), adding each to the count of the first such layer
 * (local_excluded, or regional_excluded when regional); fixed candidates inside are kept
 * and counted in fixed_kept (local only). Candidate order is kept. 0, or -EINVAL/-ENOMEM
 * with err. */
int plan_hazard_exclude(struct geom_ctx *g, const struct plan_hazards *h,
			struct plan_hazard_count *counts, size_t n, int regional,
			struct candidates *c, char *err, size_t errlen);

/* Removes from inc[0..*ninc) (in place, order kept) every incumbent of a stable recompute
 * that lies inside a layer named in counts[0..n), counting it in the first such layer's
 * incumbents_excluded: without this a generated incumbent the exclusion removed would be
 * restored as a candidate. A fixed site inside stays a (fixed) candidate all the same.
 * 0, or -EINVAL/-ENOMEM with err. */
int plan_hazard_incumbents(struct geom_ctx *g, const struct plan_hazards *h,
			   struct plan_hazard_count *counts, size_t n,
			   struct plan_incumbent *inc, size_t *ninc, char *err, size_t errlen);

/* For the chosen sites open[0..nopen) of c: (*flag)[k] = the index in counts[0..n) of the
 * first layer site open[k] lies in, -1 none (*flag malloc'd, the caller frees), counted in
 * local_flagged or regional_flagged (regional 1). 0, or -EINVAL/-ENOMEM with err. */
int plan_hazard_flag(struct geom_ctx *g, const struct plan_hazards *h,
		     struct plan_hazard_count *counts, size_t n, int regional,
		     const struct candidates *c, const uint32_t *open, size_t nopen,
		     int8_t **flag, char *err, size_t errlen);

/* A locator (geo/locate.h; free with locator_free) over the parts of layer name in h, each
 * part's id its index in h->parts; an unknown name gives an empty locator. NULL with err
 * on failure. */
struct locator *plan_hazard_locator(struct geom_ctx *g, const struct plan_hazards *h,
				    const char *name, char *err, size_t errlen);

/* Sets inside[k] = 1 for every point (xy[2k], xy[2k+1]) inside a part of layer name, else
 * 0. 0, or -EINVAL/-ENOMEM with err. */
int plan_hazard_mark(struct geom_ctx *g, const struct plan_hazards *h, const char *name,
		     const double *xy, size_t n, uint8_t *inside, char *err, size_t errlen);

#endif
