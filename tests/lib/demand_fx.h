/* The hand-made planning model shared by tests/plan/test_demand.c and test_candidates.c,
 * built by demand_build() in model_setup(), with the demand of each source worked out by
 * hand; and builders of demand on hand-placed points (also for test_cover_model.c).
 * Test-only code: failures end the running cmocka test; never linked into the product.
 *
 * GM0001 (region 4): WK000101 with buurten BU00010001 and BU00010002 (two L-shapes), WK000102
 * without buurten (a square with a lake), WK000103 with unknown residents.
 * GM0002 (region 7): 100 m cells, WK000201 with buurten BU00020101/2, WK000202 without.
 * C4 lies 50 m east of GM0002, C5 1,050 m east (dropped), C6 has unknown residents.
 * GM0003 (region 9) is only partly covered by cells, like a gemeente at the edge of a
 * regional grid: C7 and C8 in a corner of WK000301, and C9 in WK000302, which holds fewer
 * residents (10) than its cell (40). */
#ifndef HUB_DEMAND_FX_H
#define HUB_DEMAND_FX_H

#include <stddef.h>
#include <stdint.h>

#include "plan/demand.h"
#include "tests/lib/wkb_fx.h"

enum { GM1, WK101, BU1, BU2, WK102, WK103, GM2, WK201, BU201, BU202, WK202,
       C1, C2, C3, C4, C5, C6, GM3, WK301, WK302, C7, C8, C9, NAREAS };

enum shape { SH_RECT, SH_HOLED, SH_POLY, SH_CELL };

struct area_def {
	int level;
	const char *code, *gm, *wk;
	double res, r65, pct, cars;
	int urb;
	enum shape sh;
	double c[8];
	const double *v;
	size_t nv;
};

/* The areas of the model, indexed by the enum above. */
extern const struct area_def model_defs[NAREAS];

/* What each demand source must yield: residents, 65+, urbanity and cars as worked out by
 * hand through the inheritance chain, and the weight literally. */
struct source_expect {
	int area, gemeente, urb;
	double res, vul, cars, weight;
};

#define NSOURCES 14
extern const struct source_expect model_sources[NSOURCES];

/* The cmocka state of model_setup: the areas (their WKB in w), the demand built from them
 * with the parameters p, and how often the region callback ran. */
struct model {
	struct geom_ctx *g;
	struct plan_area a[NAREAS];
	struct wkb w[NAREAS];
	struct demand d;
	struct demand_params p;
	int region_calls;
};

/* cmocka setup and teardown: *state becomes a struct model (owned, freed by teardown). */
int model_setup(void **state);
int model_teardown(void **state);

/* The expectation of a source area, NULL when area is not a demand source. */
const struct source_expect *source_of(int area);

/* Allocates n zeroed demand points in d (freed by demand_free); aborts when out of memory. */
void demand_alloc(struct demand *d, size_t n);
/* Point i: at (x, y) with weight and residents w, urbanity 1, no region. */
void set_point(struct demand *d, size_t i, double x, double y, double w, int32_t gm,
	       int32_t area);

#endif
