/* Single points of failure of the served plan in a selection: the residents covered by
 * exactly one local site (and by one regional site), and the local sites whose loss would
 * uncover most of the selection, each with what it alone covers and where. A pure query on
 * the published model: no JSON, no I/O, and the model is never changed. */
#ifndef HUB_MODEL_RESILIENCE_H
#define HUB_MODEL_RESILIENCE_H

#include <stddef.h>
#include <stdint.h>

#include "model/selection.h"
#include "model/served.h"

#define RESILIENCE_LIMIT_DEFAULT 10
#define RESILIENCE_LIMIT_MAX 1000
#define RESILIENCE_AREAS 3            /* the areas listed per site, most affected first */

/* Demand summed over some points of the selection. */
struct resilience_tally {
	double residents, vulnerable, weight;   /* vulnerable: residents aged 65+ */
	size_t points;
};

/* How many sites of one level reach the selection's demand: none, exactly one, two or more. */
struct resilience_level {
	struct resilience_tally total, none, once, multiple;
};

/* An area where a site's sole coverage lies, with the residents there only it covers. */
struct resilience_area {
	int32_t area;                 /* area index: a wijk, or a buurt in a wijk or buurt
				       * selection (a finer area's own when it has no parent) */
	double residents;
};

struct resilience_site {
	uint32_t site;                /* index into s->sites (a local site) */
	int seq;                      /* its seq (whatif's remove takes it) */
	struct resilience_tally alone;   /* the selection's demand that only this site reaches */
	struct resilience_area areas[RESILIENCE_AREAS];   /* residents descending, ties by area */
	size_t nareas;
	int inside;                   /* 1: the site lies in the selection (else it serves it
				       * from outside) */
	int designated;               /* 1: its municipality confirmed it (statuses) */
};

struct resilience {
	struct resilience_level local, regional;
	size_t local_sites;           /* local sites inside the selection */
	size_t sole_sites;            /* local sites (inside or not) that alone reach a point
				       * of the selection: the length of the full ranking */
	struct resilience_site *ranked;   /* the first min(limit, sole_sites) of the ranking:
					   * alone.residents descending, ties by seq; owned */
	size_t nranked;
};

/* Computes the single points of failure of selection sel (a region or an area; a box
 * works too) into *out, listing at most limit (0..RESILIENCE_LIMIT_MAX) ranked sites.
 * The local counts are s->cover_count's; a point counted once is attributed to the one
 * open local site within its class radius. 0, -EINVAL for a limit out of range, or
 * -ENOMEM; *out then holds nothing. On success free *out with resilience_free. */
int resilience_compute(const struct served *s, const struct selection *sel, int limit,
		       struct resilience *out);

/* Frees what resilience_compute allocated and empties r; r may be empty or zeroed. */
void resilience_free(struct resilience *r);

#endif
