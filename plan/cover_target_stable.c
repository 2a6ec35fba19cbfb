/* A stable recompute in target mode: the incumbents opened the way the plan they come from
 * chose them, the repair, and augmenting paths that find room for groups still below
 * target before the greedy adds any site. Shares the solver's state with cover_target.c
 * through cover_target_priv.h; pure computation. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cover.h"
#include "plan/cover_target_priv.h"
#include "util/grow.h"

static void *zalloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

/* ---- augmenting paths: room for a group below target through chains of moves ---- */

#define AUG_MAX_SITES 512      /* open sites one search may visit */

/* The points a site serves, in the order of its coverage list: a search expands a full
 * site through these only, instead of through every point it covers. Built when a search
 * first expands the site, from the entries with a share then; an entry whose share grows
 * later is inserted in place (aug_note). Entries whose share fell to nothing stay and are
 * skipped, exactly as the full list skips them, so a search visits the sites in the same
 * order as over the full list. */
struct aug_item {
	uint32_t q, e;             /* the pair's index in cand_dem, the point's entry in ot */
};

struct aug_list {
	struct aug_item *it;
	size_t n, cap;
	int built;
};

struct aug {
	uint32_t *seen, stamp;     /* [ncand] */
	uint32_t *from, *to, *via; /* [ncand] for a reached site v: the entries (j, u) and
				    * (j, v) of the point via[v] = j that would move from u to v
				    * (from = NONE at the first sites, to = point i's entry) */
	uint32_t *queue;           /* [ncand] */
	struct aug_list *lists;    /* [ncand] */
	uint32_t *qpos;            /* [ot entries] pair index of an entry of a built site */
	uint8_t *listed;           /* [ot entries] 1 = in its site's list */
	int rc;                    /* sticky -ENOMEM */
};

static int aug_init(struct aug *a, size_t ncand, size_t nentries)
{
	memset(a, 0, sizeof *a);
	a->seen = zalloc(ncand, sizeof *a->seen);
	a->from = zalloc(ncand, sizeof *a->from);
	a->to = zalloc(ncand, sizeof *a->to);
	a->via = zalloc(ncand, sizeof *a->via);
	a->queue = zalloc(ncand, sizeof *a->queue);
	a->lists = zalloc(ncand, sizeof *a->lists);
	a->qpos = zalloc(nentries, sizeof *a->qpos);
	a->listed = zalloc(nentries, sizeof *a->listed);
	return a->seen && a->from && a->to && a->via && a->queue && a->lists && a->qpos &&
	       a->listed ? 0 : -ENOMEM;
}

static void aug_free(struct aug *a, size_t ncand)
{
	for (size_t s = 0; a->lists && s < ncand; s++)
		free(a->lists[s].it);
	free(a->lists);
	free(a->qpos);
	free(a->listed);
	free(a->seen);
	free(a->from);
	free(a->to);
	free(a->via);
	free(a->queue);
}

/* Inserts item (q, e) into l at its place by q. 0 or -ENOMEM. */
static int list_insert(struct aug_list *l, uint32_t q, uint32_t e)
{
	if (grow_reserve(&l->it, &l->cap, l->n + 1, sizeof *l->it, 16) < 0)
		return -ENOMEM;
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->it[mid].q < q)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(l->it + lo + 1, l->it + lo, (l->n - lo) * sizeof *l->it);
	l->it[lo] = (struct aug_item){q, e};
	l->n++;
	return 0;
}

/* Site u's list, built on first use from every pair of u. NULL with a->rc on -ENOMEM. */
static const struct aug_list *aug_list_of(struct target *t, struct aug *a, uint32_t u)
{
	const struct cover_model *m = t->m;
	struct aug_list *l = &a->lists[u];
	if (l->built)
		return l;
	for (uint32_t q = m->cand_off[u]; q < m->cand_off[u + 1]; q++) {
		uint32_t e = ot_find(t, m->cand_dem[q], u);
		a->qpos[e] = q;
		if (t->ot.amt[e] > 0 && !a->listed[e]) {
			if (list_insert(l, q, e) < 0) {
				a->rc = -ENOMEM;
				return NULL;
			}
			a->listed[e] = 1;
		}
	}
	l->built = 1;
	return l;
}

/* Entry e's share grew: a built list that lacks it takes it in. */
static void aug_note(struct target *t, struct aug *a, uint32_t e)
{
	struct aug_list *l = &a->lists[t->ot.site[e]];
	if (!l->built || a->listed[e])
		return;
	if (list_insert(l, a->qpos[e], e) < 0)
		a->rc = -ENOMEM;
	else
		a->listed[e] = 1;
}

/* Breadth-first from point i's open sites over "a resident of a full site moves to another
 * open site of hers" to an open site with room. Returns that site or NONE. */
static uint32_t aug_search(struct target *t, struct aug *a, uint32_t i)
{
	const struct cover_model *m = t->m;
	size_t head = 0, tail = 0;
	a->stamp++;
	for (uint32_t e = t->ot.off[i]; e < t->ot.off[i + 1]; e++) {
		uint32_t s = t->ot.site[e];
		if (t->is_open[s] && a->seen[s] != a->stamp) {
			a->seen[s] = a->stamp;
			a->from[s] = NONE;
			a->to[s] = e;
			a->queue[tail++] = s;
		}
	}
	while (head < tail && tail < AUG_MAX_SITES) {
		uint32_t u = a->queue[head++];
		if (cap_of(t, u) - t->load[u] > t->room_eps)
			return u;
		const struct aug_list *l = aug_list_of(t, a, u);
		if (!l)
			return NONE;
		for (size_t k = 0; k < l->n && tail < AUG_MAX_SITES; k++) {
			uint32_t j = m->cand_dem[l->it[k].q], ej = l->it[k].e;
			if (t->ot.amt[ej] <= FRAC_EPS || t->res[j] <= 0)
				continue;
			for (uint32_t x = t->ot.off[j]; x < t->ot.off[j + 1]; x++) {
				uint32_t v = t->ot.site[x];
				if (!t->is_open[v] || a->seen[v] == a->stamp)
					continue;
				a->seen[v] = a->stamp;
				a->from[v] = ej;
				a->to[v] = x;
				a->via[v] = j;
				a->queue[tail++] = v;
			}
		}
	}
	return NONE;
}

/* Serves as many of point i's unserved residents as the path to site w carries: each
 * point on it moves that many residents on to the next site, the last site takes them in
 * its room. Returns the residents served. */
static double aug_push(struct target *t, struct aug *a, uint32_t i, uint32_t w)
{
	double d = fmin((1.0 - t->f[i]) * t->res[i], cap_of(t, w) - t->load[w]);
	uint32_t v;
	for (v = w; a->from[v] != NONE; v = t->ot.site[a->from[v]])
		d = fmin(d, t->ot.amt[a->from[v]] * t->res[a->via[v]]);
	if (d <= 0)
		return 0;
	for (v = w; a->from[v] != NONE; v = t->ot.site[a->from[v]]) {
		uint32_t u = t->ot.site[a->from[v]];
		double phi = d / t->res[a->via[v]];
		t->ot.amt[a->from[v]] -= phi;
		t->ot.amt[a->to[v]] += phi;
		aug_note(t, a, a->to[v]);
		t->load[u] -= d;
		t->load[v] += d;
	}
	uint32_t g = t->m->group[i];
	int was = group_done(t, g);
	double phi = d / t->res[i];
	t->ot.amt[a->to[v]] += phi;
	aug_note(t, a, a->to[v]);
	t->f[i] += phi;
	t->load[v] += d;
	t->gserved[g] += phi * t->m->weight[i];
	t->gleft -= !was && group_done(t, g);
	return d;
}

/* For the groups still below target after the repair: augmenting paths for their unserved
 * residents (a transportation problem's augmenting step, bounded per search). */
static int augment(struct target *t)
{
	const struct cover_model *m = t->m;
	struct aug a;
	int rc = aug_init(&a, m->ncand, t->ot.off[m->ndemand]);
	for (uint32_t i = 0; rc == 0 && a.rc == 0 && i < m->ndemand && t->gleft > 0; i++) {
		if (group_done(t, m->group[i]) || t->res[i] <= 0)
			continue;
		for (int k = 0; k < 8 && 1.0 - t->f[i] > FRAC_EPS && !group_done(t, m->group[i]); k++) {
			uint32_t w = aug_search(t, &a, i);
			if (w == NONE || aug_push(t, &a, i, w) <= 0)
				break;
		}
	}
	aug_free(&a, m->ncand);
	return rc ? rc : a.rc;
}

/* ---- a stable recompute's incumbents ---- */

void target_ot_to_log(struct target *t)
{
	for (uint32_t i = 0; i < t->m->ndemand; i++)
		for (uint32_t e = t->ot.off[i]; e < t->ot.off[i + 1]; e++)
			if (t->ot.amt[e] > 0)
				target_log_take(t, t->ot.site[e], i, t->ot.amt[e]);
	free(t->ot.off);
	free(t->ot.site);
	free(t->ot.dist);
	free(t->ot.amt);
	memset(&t->ot, 0, sizeof t->ot);
}

/* The incumbents open (the greedy among them first, then the rest), and their residents
 * get the canonical assignment of that open set: the one the plan they come from ended
 * with, so on unchanged data every group is at target again and nothing is added. Only
 * then may the greedy add sites. */
int target_open_incumbents(struct target *t)
{
	int rc;
	t->only_incumbents = 1;
	rc = target_greedy(t);
	t->only_incumbents = 0;
	for (uint32_t k = 0; rc == 0 && k < t->m->ncand && t->rc == 0; k++)
		if (is_incumbent(t->m, k) && !t->is_open[k])
			target_open_site(t, k, 1);
	if (rc == 0 && t->rc == 0 && (rc = target_ot_build(t)) == 0) {
		rc = target_assign_canonical(t);
		target_ot_to_log(t);
	}
	return rc ? rc : t->rc;
}


/* ---- the canonical assignment of an open set ---- */

struct pair_ref {
	float dist;
	uint32_t dem, e;
};

#define RADIX_BITS 11         /* three passes cover a float's 32 bits */

/* The order key of a distance: a non-negative float's bits ascend with its value. */
static uint32_t dist_key(float d)
{
	uint32_t k;
	if (d == 0)
		return 0;              /* -0 as +0 */
	memcpy(&k, &d, sizeof k);
	return k;
}

/* Stable LSD radix sort of p[0..n) by distance (non-negative, not NaN): pairs listed by
 * point and entry come out nearest first, ties by point then entry. Linear in n, unlike
 * a comparison sort. *p may be replaced by the scratch copy. 0 or -ENOMEM. */
static int sort_by_dist(struct pair_ref **p, size_t n)
{
	struct pair_ref *src = *p, *dst = zalloc(n, sizeof *dst);
	size_t *cnt = zalloc((size_t)1 << RADIX_BITS, sizeof *cnt), nb = (size_t)1 << RADIX_BITS;
	if (!dst || !cnt) {
		free(dst);
		free(cnt);
		return -ENOMEM;
	}
	for (unsigned shift = 0; shift < 32; shift += RADIX_BITS) {
		size_t sum = 0;
		memset(cnt, 0, nb * sizeof *cnt);
		for (size_t k = 0; k < n; k++)
			cnt[(dist_key(src[k].dist) >> shift) & (nb - 1)]++;
		for (size_t b = 0; b < nb; b++) {
			size_t c = cnt[b];
			cnt[b] = sum;
			sum += c;
		}
		for (size_t k = 0; k < n; k++)
			dst[cnt[(dist_key(src[k].dist) >> shift) & (nb - 1)]++] = src[k];
		struct pair_ref *tmp = src;
		src = dst;
		dst = tmp;
	}
	free(dst);
	free(cnt);
	*p = src;
	return 0;
}

/* Every open pair, nearest first (ties by point, then entry). */
static struct pair_ref *open_pairs(const struct target *t, size_t *n)
{
	size_t k = 0, all = t->ot.off[t->m->ndemand];
	struct pair_ref *p = zalloc(all, sizeof *p);
	if (!p)
		return NULL;
	for (uint32_t i = 0; i < t->m->ndemand; i++)
		for (uint32_t e = t->ot.off[i]; e < t->ot.off[i + 1]; e++)
			if (t->is_open[t->ot.site[e]])
				p[k++] = (struct pair_ref){t->ot.dist[e], i, e};
	if (sort_by_dist(&p, k) < 0) {
		free(p);
		return NULL;
	}
	*n = k;
	return p;
}

static void forget_assignment(struct target *t)
{
	const struct cover_model *m = t->m;
	memset(t->f, 0, m->ndemand * sizeof *t->f);
	memset(t->load, 0, m->ncand * sizeof *t->load);
	memset(t->gserved, 0, m->ngroups * sizeof *t->gserved);
	memset(t->ot.amt, 0, t->ot.off[m->ndemand] * sizeof *t->ot.amt);
	t->gleft = 0;
	for (size_t g = 0; g < m->ngroups; g++)
		t->gleft += !group_done(t, (uint32_t)g);
}

int target_assign_canonical(struct target *t)
{
	size_t n = 0;
	struct pair_ref *p = open_pairs(t, &n);
	if (!p)
		return -ENOMEM;
	forget_assignment(t);
	for (size_t q = 0; q < n; q++) {
		uint32_t i = p[q].dem, e = p[q].e, s = t->ot.site[e], g = t->m->group[i];
		double rem = 1.0 - t->f[i], r = t->res[i], room = cap_of(t, s) - t->load[s];
		if (rem <= FRAC_EPS || (r > 0 && room <= t->room_eps))
			continue;
		double phi = r > 0 ? fmin(rem, room / r) : rem;
		int was = group_done(t, g);
		t->ot.amt[e] += phi;
		t->f[i] += phi;
		t->load[s] += phi * r;
		t->gserved[g] += phi * t->m->weight[i];
		t->gleft -= !was && group_done(t, g);
	}
	free(p);
	target_repair(t);
	return augment(t);
}
