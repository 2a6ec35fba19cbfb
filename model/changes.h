/* What changed between two stored plans: per level the sites added, removed and kept,
 * matched by position (within CHANGES_SAME_M: sites.id is not stable across imports and
 * generated candidates have none), grouped per gemeente and safety region, with each
 * region's coverage before and after; and its JSON rendering, shared by the `changes`
 * method and `hubctl diff --db`. Reads the store; never writes it. */
#ifndef HUB_CHANGES_H
#define HUB_CHANGES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "data/store.h"

#define CHANGES_SAME_M 1.0        /* two sites this close are the same site */
#define CHANGES_CODE_LEN 16

struct crs;

struct changes_count {
	long added, removed, kept;
};

/* An added (in the newer plan only) or removed (in the older plan only) site. */
struct changes_site {
	int level;                    /* 1 local, 2 regional */
	int added;                    /* 1 added, 0 removed */
	int seq;                      /* in the plan that holds it */
	double x_rd, y_rd;
	int64_t site_id;              /* -1 = a generated position */
	char *name, *gemeente_name;   /* owned; NULL when unknown */
	char gemeente_code[CHANGES_CODE_LEN], region_code[CHANGES_CODE_LEN];   /* "" = none */
};

struct changes_coverage {
	int present;                  /* 0: the plan has no row for this region */
	double residents, covered_residents, weight, covered_weight;
};

/* A gemeente or a safety region with its counts (and, for regions, coverage). */
struct changes_area {
	char code[CHANGES_CODE_LEN];
	char region_code[CHANGES_CODE_LEN];  /* gemeenten: their safety region, "" none */
	char *name;                   /* owned; NULL when unknown */
	struct changes_count level[2];   /* [0] local, [1] regional */
	struct changes_coverage before, after;   /* regions only */
};

struct plan_changes {
	int64_t from_id, to_id;       /* from_id 0: to_id is the first plan, nothing compared */
	char from_created_at[32], to_created_at[32];
	struct changes_count level[2];   /* [0] local, [1] regional */
	struct changes_site *sites;   /* by level, added before removed, gemeente, seq */
	size_t nsites;
	struct changes_area *gemeenten;  /* by code: every gemeente with a site in either plan */
	size_t ngemeenten;
	struct changes_area *regions;    /* by code: in either plan's regions or sites */
	size_t nregions;
};

/* Compares plan from with plan to. to <= 0: the newest plan; from < 0: the plan stored
 * before to (none: from_id 0, the first plan). from 0 compares nothing. On success *out
 * owns the comparison (free with changes_free). -ENOENT with err ("no plan 7") when a
 * named plan is not stored or there is no plan at all; other negative errno with err. */
int changes_load(struct store *st, int64_t from, int64_t to, struct plan_changes **out,
		 char *err, size_t errlen);
/* Accepts NULL. */
void changes_free(struct plan_changes *c);

/* One line: "changes since plan 3: local 2 added, 1 removed, 40 kept; regional 0 added,
 * 0 removed, 9 kept; total 2 added, 1 removed, 49 kept", or "changes: first plan" when
 * from_id is 0. Writes at most len bytes. */
void changes_summary_line(const struct plan_changes *c, char *buf, size_t len);

/* What a rendering shows: one level or both, one gemeente (GMnnnn) or safety region (VRnn)
 * or the nation, and at most limit added and limit removed sites. */
struct changes_filter {
	int level;                    /* 0 both, 1 local, 2 regional */
	const char *code;             /* NULL = the nation; borrowed */
	long limit;
};

/* The comparison as JSON (docs/protocol.md, `changes`), positions with lat/lon when crs is
 * given (not owned; NULL = RD only). 0 and *out (a new reference), -ENOENT with err when
 * the filter's code is in neither plan, -ENOMEM. */
int changes_to_json(const struct plan_changes *c, const struct changes_filter *f,
		    struct crs *crs, json_t **out, char *err, size_t errlen);

/* {"from":N|null,"local":{..},"regional":{..},"total":{..}}: the counts for a plan's
 * stored summary ("changes" member). A new reference, NULL without memory. */
json_t *changes_counts_json(const struct plan_changes *c);

/* The changes_summary_line of a plan from its stored summary's "changes" member: 0, or
 * -ENOENT when the summary has none (a plan stored by an older build). */
int changes_line_from_summary(const char *summary_json, char *buf, size_t len);

#endif
