/* Single points of failure in a selection of the served model: counts of the demand reached
 * by no, one and several sites of each level, the one local site each once-covered point
 * depends on (found from the point, in the local sites' grid index), and the ranking of
 * those sites with the areas their sole coverage lies in. Per-request arrays only; the
 * published model is read, never changed, and nothing here knows of JSON. */
#include "model/resilience.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "data/store_status.h"
#include "model/served_status.h"

/* One once-covered point of the selection and the local site it depends on. */
struct sole_pair {
	uint32_t point, site;
};

/* The per-request state of one computation. */
struct resil_run {
	const struct served *s;
	const struct selection *sel;
	struct sole_pair *pairs;
	size_t npairs;
	struct resilience_tally *by_site;   /* [nsites] what each site alone covers */
};

static void tally_add(struct resilience_tally *t, const struct demand *d, size_t i)
{
	t->residents += d->residents[i];
	t->vulnerable += d->vulnerable[i];
	t->weight += d->weight[i];
	t->points++;
}

static void level_add(struct resilience_level *l, const struct demand *d, size_t i,
		      unsigned count)
{
	tally_add(&l->total, d, i);
	tally_add(count == 0 ? &l->none : count == 1 ? &l->once : &l->multiple, d, i);
}

/* Up to two sites reaching a point, counted by the grid callback. */
struct reach2 {
	const uint32_t *ix;
	unsigned n;
	uint32_t first;
};

static int reach2_cb(void *user, uint32_t k, double dist_m)
{
	struct reach2 *r = user;
	(void)dist_m;
	if (r->n++ == 0)
		r->first = r->ix[k];
	return r->n >= 2;
}

/* The sites of level (1 local, 2 regional) within reach of demand point i, up to 2; the
 * first in *site. */
static unsigned sites_reaching(const struct served *s, int level, size_t i, uint32_t *site)
{
	const struct grid_index *gi = s->site_index[level - 1];
	struct reach2 r = {s->site_ix[level - 1], 0, 0};
	if (!gi || !s->site_n[level - 1])
		return 0;
	grid_index_radius(gi, s->demand.xy[2 * i], s->demand.xy[2 * i + 1],
			  served_radius(s, level, s->demand.urbanity[i]), reach2_cb, &r);
	*site = r.first;
	return r.n;
}

/* The counts of both levels, and the pairs of once-covered points and their local site. */
static void scan_points(struct resil_run *run, struct resilience *out)
{
	const struct served *s = run->s;
	const struct demand *d = &s->demand;
	uint32_t site;
	for (size_t i = 0; i < d->n; i++) {
		if (!selection_has_point(s, run->sel, i))
			continue;
		unsigned local = s->cover_count[i];
		level_add(&out->local, d, i, local);
		level_add(&out->regional, d, i, sites_reaching(s, 2, i, &site));
		if (local != 1 || sites_reaching(s, 1, i, &site) != 1)
			continue;             /* the index agrees with cover_count: one site */
		run->pairs[run->npairs++] = (struct sole_pair){(uint32_t)i, site};
		tally_add(&run->by_site[site], d, i);
	}
}

static int rank_cmp(const void *a, const void *b)
{
	const struct resilience_site *x = a, *y = b;
	if (x->alone.residents != y->alone.residents)
		return x->alone.residents < y->alone.residents ? 1 : -1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Every site that alone covers a point, ranked; the first limit kept in out->ranked. */
static int rank_sites(struct resil_run *run, int limit, struct resilience *out)
{
	const struct served *s = run->s;
	struct resilience_site *all = calloc(s->nsites + 1, sizeof *all);
	if (!all)
		return -ENOMEM;
	size_t n = 0;
	for (size_t k = 0; k < s->nsites; k++) {
		if (!run->by_site[k].points)
			continue;
		all[n++] = (struct resilience_site){
			.site = (uint32_t)k, .seq = s->sites[k].seq, .alone = run->by_site[k],
			.inside = selection_has_site(s, run->sel, &s->sites[k]),
			.designated = served_status_of(s, s->sites[k].site_id) ==
				      STORE_STATUS_DESIGNATED};
	}
	qsort(all, n, sizeof *all, rank_cmp);
	out->sole_sites = n;
	out->nranked = n < (size_t)limit ? n : (size_t)limit;
	out->ranked = all;
	return 0;
}

/* The area a point's sole coverage is shown in: its wijk, or in a wijk or buurt selection
 * its buurt (an area without that parent stands for itself). */
static int32_t shown_area(const struct served *s, const struct selection *sel, size_t i)
{
	int32_t a = s->demand.area[i];
	const struct served_area *x = &s->areas[a];
	int fine = sel->kind == SEL_AREA && s->areas[sel->index].level >= PLAN_WIJK;
	if (x->level == PLAN_GEMEENTE || x->level == PLAN_WIJK || (fine && x->level == PLAN_BUURT))
		return a;
	if (fine && x->buurt >= 0)
		return x->buurt;
	return x->wijk >= 0 ? x->wijk : a;
}

/* One listed site's sole residents in one area. */
struct area_part {
	uint32_t rank;
	int32_t area;
	double residents;
};

static int part_cmp(const void *a, const void *b)
{
	const struct area_part *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->area != y->area)
		return x->area < y->area ? -1 : 1;
	return 0;
}

/* Keeps a (area, residents) in the listed site's top RESILIENCE_AREAS. */
static void top_area(struct resilience_site *r, int32_t area, double residents)
{
	size_t pos = r->nareas < RESILIENCE_AREAS ? r->nareas++ : RESILIENCE_AREAS;
	if (pos == RESILIENCE_AREAS && residents <= r->areas[RESILIENCE_AREAS - 1].residents)
		return;
	if (pos == RESILIENCE_AREAS)
		pos = RESILIENCE_AREAS - 1;
	while (pos > 0 && r->areas[pos - 1].residents < residents) {
		r->areas[pos] = r->areas[pos - 1];
		pos--;
	}
	r->areas[pos] = (struct resilience_area){area, residents};
}

/* The most affected areas of each listed site, from the pairs of the listed sites. */
static int listed_areas(struct resil_run *run, struct resilience *out)
{
	const struct served *s = run->s;
	uint32_t *rank_of = malloc((s->nsites + 1) * sizeof *rank_of);
	struct area_part *parts = malloc((run->npairs + 1) * sizeof *parts);
	size_t n = 0;
	if (!rank_of || !parts) {
		free(rank_of);
		free(parts);
		return -ENOMEM;
	}
	memset(rank_of, 0xff, (s->nsites + 1) * sizeof *rank_of);
	for (size_t r = 0; r < out->nranked; r++)
		rank_of[out->ranked[r].site] = (uint32_t)r;
	for (size_t q = 0; q < run->npairs; q++)
		if (rank_of[run->pairs[q].site] != UINT32_MAX)
			parts[n++] = (struct area_part){rank_of[run->pairs[q].site],
				shown_area(s, run->sel, run->pairs[q].point),
				s->demand.residents[run->pairs[q].point]};
	qsort(parts, n, sizeof *parts, part_cmp);
	for (size_t q = 0; q < n;) {
		struct area_part sum = parts[q++];
		while (q < n && parts[q].rank == sum.rank && parts[q].area == sum.area)
			sum.residents += parts[q++].residents;
		if (sum.residents > 0)
			top_area(&out->ranked[sum.rank], sum.area, sum.residents);
	}
	free(rank_of);
	free(parts);
	return 0;
}

int resilience_compute(const struct served *s, const struct selection *sel, int limit,
		       struct resilience *out)
{
	struct resil_run run = {s, sel, NULL, 0, NULL};
	int rc = -ENOMEM;
	memset(out, 0, sizeof *out);
	if (limit < 0 || limit > RESILIENCE_LIMIT_MAX)
		return -EINVAL;
	run.pairs = malloc((s->demand.n + 1) * sizeof *run.pairs);
	run.by_site = calloc(s->nsites + 1, sizeof *run.by_site);
	if (!run.pairs || !run.by_site)
		goto fail;
	for (size_t k = 0; k < s->nsites; k++)
		out->local_sites += s->sites[k].level == 1 && selection_has_site(s, sel, &s->sites[k]);
	scan_points(&run, out);
	if ((rc = rank_sites(&run, limit, out)) < 0 ||
	    (rc = listed_areas(&run, out)) < 0)
		goto fail;
	free(run.pairs);
	free(run.by_site);
	return 0;
fail:
	free(run.pairs);
	free(run.by_site);
	resilience_free(out);
	return rc;
}

void resilience_free(struct resilience *r)
{
	if (!r)
		return;
	free(r->ranked);
	memset(r, 0, sizeof *r);
}
