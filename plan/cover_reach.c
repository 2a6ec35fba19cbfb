/* Can p sites reach all the demand any candidate reaches? A set cover of the points of
 * weight > 0 that some candidate covers: lazy greedy by uncovered points, the redundant
 * sites dropped, then swaps of one candidate for two or more sites whose points only they
 * cover. Used by cover_bound: when the cover has at most p sites, the reachable weight is
 * the optimum. Pure computation on a model it does not change. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cover_priv.h"

#define SWAP_PASSES 5          /* local-search passes over the candidates */

struct reach {
	const struct cover_model *m;
	const double *w;           /* [ndemand] weight; 0 = need not be covered */
	size_t p;
	uint32_t *hits;            /* [ndemand] picked sites covering each point */
};

/* Uncovered points of weight > 0 in candidate j's coverage (hits marks covered ones). */
static double uncovered_count(const struct reach *R, uint32_t j)
{
	const struct cover_model *m = R->m;
	double g = 0;
	for (uint32_t q = m->cand_off[j]; q < m->cand_off[j + 1]; q++)
		g += !R->hits[m->cand_dem[q]] && R->w[m->cand_dem[q]] > 0;
	return g;
}

/* Drops the picked sites (latest first) whose every point of weight > 0 another picked
 * site also covers; R->hits counts the picked sites covering each point. Compacts pick
 * and returns how many remain. */
static size_t prune_redundant(struct reach *R, uint32_t *pick, size_t npick)
{
	const struct cover_model *m = R->m;
	size_t left = npick;
	for (size_t k = npick; k-- > 0;) {
		uint32_t j = pick[k], q;
		for (q = m->cand_off[j]; q < m->cand_off[j + 1]; q++)
			if (R->w[m->cand_dem[q]] > 0 && R->hits[m->cand_dem[q]] < 2)
				break;
		if (q < m->cand_off[j + 1])
			continue;
		for (q = m->cand_off[j]; q < m->cand_off[j + 1]; q++)
			R->hits[m->cand_dem[q]]--;
		pick[k] = UINT32_MAX;
		left--;
	}
	size_t n = 0;
	for (size_t k = 0; k < npick; k++)
		if (pick[k] != UINT32_MAX)
			pick[n++] = pick[k];
	return left;
}

/* A set cover under local search: own[i] is the sum of the picked sites covering point i
 * (its only one when hits[i] == 1), uniq[j] the points only picked site j covers. */
struct swap_state {
	struct reach *R;
	uint64_t *own;
	uint32_t *uniq, *cnt, *touched;
	uint8_t *picked;
	size_t npicked;
};

static int required(const struct reach *R, uint32_t i)
{
	return R->w[i] > 0;
}

static void swap_add(struct swap_state *s, uint32_t c)
{
	const struct cover_model *m = s->R->m;
	for (uint32_t q = m->cand_off[c]; q < m->cand_off[c + 1]; q++) {
		uint32_t i = m->cand_dem[q];
		if (!required(s->R, i))
			continue;
		if (s->R->hits[i] == 1)
			s->uniq[s->own[i]]--;
		s->uniq[c] += s->R->hits[i] == 0;
		s->R->hits[i]++;
		s->own[i] += c;
	}
	s->picked[c] = 1;
	s->npicked++;
}

static void swap_remove(struct swap_state *s, uint32_t o)
{
	const struct cover_model *m = s->R->m;
	for (uint32_t q = m->cand_off[o]; q < m->cand_off[o + 1]; q++) {
		uint32_t i = m->cand_dem[q];
		if (!required(s->R, i))
			continue;
		s->R->hits[i]--;
		s->own[i] -= o;
		if (s->R->hits[i] == 1)
			s->uniq[s->own[i]]++;
	}
	s->uniq[o] = 0;
	s->picked[o] = 0;
	s->npicked--;
}

/* Candidate c replaces the picked sites whose every point that only they cover it covers,
 * when there are two or more of them. Returns how many sites that saved. */
static size_t try_swap(struct swap_state *s, uint32_t c)
{
	const struct cover_model *m = s->R->m;
	size_t nt = 0, absorbed = 0;
	for (uint32_t q = m->cand_off[c]; q < m->cand_off[c + 1]; q++) {
		uint32_t i = m->cand_dem[q];
		if (!required(s->R, i) || s->R->hits[i] != 1)
			continue;
		uint32_t o = (uint32_t)s->own[i];
		if (s->cnt[o]++ == 0)
			s->touched[nt++] = o;
	}
	for (size_t k = 0; k < nt; k++)
		absorbed += s->cnt[s->touched[k]] == s->uniq[s->touched[k]];
	size_t removed = 0;
	if (absorbed >= 2) {
		swap_add(s, c);         /* the absorbed sites now cover nothing alone */
		for (size_t k = 0; k < nt; k++)
			if (s->uniq[s->touched[k]] == 0) {
				swap_remove(s, s->touched[k]);
				removed++;
			}
	}
	for (size_t k = 0; k < nt; k++)
		s->cnt[s->touched[k]] = 0;
	return removed ? removed - 1 : 0;
}

/* Local search on the set cover pick[0..npick) (counted in R->hits): passes over the
 * candidates trying try_swap until one saves nothing or the cover has at most p sites.
 * Returns the cover's size, or SIZE_MAX when out of memory. */
static size_t swap_search(struct reach *R, const uint32_t *pick, size_t npick)
{
	const struct cover_model *m = R->m;
	struct swap_state s = {R, calloc(m->ndemand + 1, sizeof *s.own),
			       calloc(m->ncand + 1, sizeof *s.uniq),
			       calloc(m->ncand + 1, sizeof *s.cnt),
			       malloc((m->ncand + 1) * sizeof *s.touched),
			       calloc(m->ncand + 1, 1), npick};
	size_t result = SIZE_MAX;
	if (s.own && s.uniq && s.cnt && s.touched && s.picked) {
		for (size_t k = 0; k < npick; k++) {
			uint32_t j = pick[k];
			s.picked[j] = 1;
			for (uint32_t q = m->cand_off[j]; q < m->cand_off[j + 1]; q++)
				s.own[m->cand_dem[q]] += j;
		}
		for (size_t k = 0; k < npick; k++)
			for (uint32_t q = m->cand_off[pick[k]]; q < m->cand_off[pick[k] + 1]; q++)
				s.uniq[pick[k]] += required(R, m->cand_dem[q]) &&
						   R->hits[m->cand_dem[q]] == 1;
		for (int pass = 0; pass < SWAP_PASSES && s.npicked > R->p; pass++) {
			size_t saved = 0;
			for (uint32_t c = 0; c < m->ncand && s.npicked > R->p; c++)
				saved += s.picked[c] ? 0 : try_swap(&s, c);
			if (!saved)
				break;
		}
		result = s.npicked;
	}
	free(s.own);
	free(s.uniq);
	free(s.cnt);
	free(s.touched);
	free(s.picked);
	return result;
}

/* Lazy greedy set cover into pick[0..*npick) (R->hits, all zero at the start, counts the
 * picked sites covering each point): sites until every point of weight > 0 that a
 * candidate reaches is covered or cap sites are picked. Returns 1 when all is covered, 0
 * when the cap stopped it, -ENOMEM. */
static int greedy_cover(struct reach *R, uint32_t *pick, size_t *npick, size_t cap)
{
	const struct cover_model *m = R->m;
	struct cover_heap_item *items = malloc((m->ncand + 1) * sizeof *items);
	struct cover_heap h;
	size_t n = 0;
	*npick = 0;
	if (!items)
		return -ENOMEM;
	for (uint32_t j = 0; j < m->ncand; j++) {
		double g = uncovered_count(R, j);
		if (g > 0)
			items[n++] = (struct cover_heap_item){g, j, j, 0};
	}
	cover_heap_build(&h, items, n);
	while (h.n && *npick < cap) {
		struct cover_heap_item *top = &h.it[0];
		if (top->stamp != *npick) {
			top->key = uncovered_count(R, top->cand);
			top->stamp = (uint32_t)*npick;
			cover_heap_fix_top(&h);
			continue;
		}
		if (top->key <= 0)
			break;
		for (uint32_t q = m->cand_off[top->cand]; q < m->cand_off[top->cand + 1]; q++)
			R->hits[m->cand_dem[q]]++;
		pick[(*npick)++] = top->cand;
		cover_heap_pop(&h);
	}
	int covered = !h.n || h.it[0].key <= 0;
	free(items);
	return covered;
}

int cover_reaches_all(const struct cover_model *m, const double *w, size_t p)
{
	struct reach R = {m, w, p, calloc(m->ndemand + 1, sizeof *R.hits)};
	size_t cap = 2 * p + 16, npick = 0;
	uint32_t *pick = malloc((cap + 1) * sizeof *pick);
	int rc = R.hits && pick ? greedy_cover(&R, pick, &npick, cap) : -ENOMEM;
	if (rc > 0)
		npick = prune_redundant(&R, pick, npick);
	if (rc > 0 && npick > p) {
		size_t n = swap_search(&R, pick, npick);
		rc = n == SIZE_MAX ? -ENOMEM : n <= p;
	}
	free(pick);
	free(R.hits);
	return rc;
}
