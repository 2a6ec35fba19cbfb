/* Target mode: few sites so that every group (municipality) has target_frac of its weight
 * served within site capacity, and every group with a candidate has a site. Capped lazy
 * greedy (after the incumbents of a stable recompute), one site for each group still
 * without one, a repair that frees room at full sites for groups below target, a cleanup
 * that closes sites whose residents fit at other open sites, and a settling pass that
 * leaves every resident at the nearest open site with room. Served amounts are fractions
 * of a point's residents. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cover.h"
#include "plan/cover_priv.h"
#include "plan/cover_target_priv.h"
#include "util/grow.h"

static void *zalloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}



/* cg_off/cg: the distinct groups of each candidate's points, so that a walk that may
 * only serve groups below target skips a candidate all of whose groups are done. */
static int cand_groups_build(struct target *t)
{
	const struct cover_model *m = t->m;
	size_t n = 0, cap = m->ncand + 16;
	uint32_t *mark = zalloc(m->ngroups, sizeof *mark);
	t->cg_off = zalloc(m->ncand + 1, sizeof *t->cg_off);
	t->cg = malloc(cap * sizeof *t->cg);
	if (!mark || !t->cg_off || !t->cg)
		goto fail;
	for (uint32_t k = 0; k < m->ncand; k++) {
		for (uint32_t q = m->cand_off[k]; q < m->cand_off[k + 1]; q++) {
			uint32_t g = m->group[m->cand_dem[q]];
			if (mark[g] == k + 1)
				continue;
			mark[g] = k + 1;
			if (grow_reserve(&t->cg, &cap, n + 1, sizeof *t->cg, 1) < 0)
				goto fail;
			t->cg[n++] = g;
		}
		t->cg_off[k + 1] = (uint32_t)n;
	}
	free(mark);
	return 0;
fail:
	free(mark);
	return -ENOMEM;
}

/* 1 when every group k's points lie in is at target. */
static int cand_groups_done(const struct target *t, uint32_t k)
{
	for (uint32_t x = t->cg_off[k]; x < t->cg_off[k + 1]; x++)
		if (!group_done(t, t->cg[x]))
			return 0;
	return 1;
}

static int target_init(struct target *t, const struct cover_model *m, double target_frac,
		       double capacity, uint32_t seed)
{
	size_t n = m->ndemand, c = m->ncand, ng = m->ngroups;
	t->m = m;
	t->cap = capacity > 0 ? capacity : INFINITY;
	t->room_eps = capacity > 0 ? 1e-9 * capacity : 0;
	t->f = zalloc(n, sizeof *t->f);
	t->res = zalloc(n, sizeof *t->res);
	t->gneed = zalloc(ng, sizeof *t->gneed);
	t->gserved = zalloc(ng, sizeof *t->gserved);
	t->gweight = zalloc(ng, sizeof *t->gweight);
	t->gacc = zalloc(ng, sizeof *t->gacc);
	t->gsave = zalloc(ng, sizeof *t->gsave);
	t->gmark = zalloc(ng, sizeof *t->gmark);
	t->gtouch = zalloc(ng, sizeof *t->gtouch);
	t->gsites = zalloc(ng, sizeof *t->gsites);
	t->is_open = zalloc(c, 1);
	t->listed = zalloc(c, 1);
	t->load = zalloc(c, sizeof *t->load);
	t->open = zalloc(c, sizeof *t->open);
	t->rank = cover_ranks(c, seed, NULL);
	if (!t->f || !t->res || !t->gneed || !t->gserved || !t->gweight || !t->gacc ||
	    !t->gsave || !t->gmark || !t->gtouch || !t->gsites || !t->is_open || !t->listed || !t->load ||
	    !t->open || !t->rank)
		return -ENOMEM;
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		t->res[i] = fmax(0.0, m->residents[i]);
		t->gweight[m->group[i]] += m->weight[i];
		total += m->weight[i];
	}
	t->eps = 1e-12 * total;
	for (size_t g = 0; g < ng; g++) {
		t->gneed[g] = (target_frac - TARGET_SLACK) * t->gweight[g];
		t->gleft += t->gneed[g] > 0;
	}
	return cand_groups_build(t);
}

static void target_free(struct target *t)
{
	free(t->f);
	free(t->res);
	free(t->gneed);
	free(t->gserved);
	free(t->gweight);
	free(t->gacc);
	free(t->gsave);
	free(t->gmark);
	free(t->gtouch);
	free(t->gsites);
	free(t->is_open);
	free(t->listed);
	free(t->load);
	free(t->open);
	free(t->rank);
	free(t->cg_off);
	free(t->cg);
	free(t->log);
	free(t->undo);
	free(t->ot.off);
	free(t->ot.site);
	free(t->ot.dist);
	free(t->ot.amt);
}

static int check_groups(const struct cover_model *m)
{
	for (size_t i = 0; i < m->ndemand; i++)
		if (m->group[i] >= m->ngroups)
			return -EINVAL;
	for (size_t j = 0; j < m->ncand; j++)
		if (m->cand_group[j] >= m->ngroups)
			return -EINVAL;
	return 0;
}

/* ---- per-group scratch: the groups a walk or a trial touches ---- */

static void group_begin(struct target *t)
{
	if (++t->gstamp == 0) {
		memset(t->gmark, 0, t->m->ngroups * sizeof *t->gmark);
		t->gstamp = 1;
	}
	t->ngtouch = 0;
}

/* Adds x to g's scratch sum; the first touch also saves g's served weight. */
static void group_add(struct target *t, uint32_t g, double x)
{
	if (t->gmark[g] != t->gstamp) {
		t->gmark[g] = t->gstamp;
		t->gacc[g] = 0;
		t->gsave[g] = t->gserved[g];
		t->gtouch[t->ngtouch++] = g;
	}
	t->gacc[g] += x;
}


/* ---- greedy ---- */

void target_log_take(struct target *t, uint32_t k, uint32_t i, double phi)
{
	if (grow_reserve(&t->log, &t->caplog, t->nlog + 1, sizeof *t->log, 4096) < 0) {
		t->rc = -ENOMEM;
		return;
	}
	t->log[t->nlog++] = (struct take){k, i, phi};
}

static void take(struct target *t, uint32_t k, uint32_t i, double phi)
{
	uint32_t g = t->m->group[i];
	int was = group_done(t, g);
	t->f[i] += phi;
	t->load[k] += phi * t->res[i];
	t->gserved[g] += phi * t->m->weight[i];
	if (!was && group_done(t, g))
		t->gleft--;
	target_log_take(t, k, i, phi);
}

/* Walks k's points nearest first, taking unserved residents of points in groups still
 * below target (any group with all) until k is full. Returns the weight taken, capped at
 * each group's deficit unless all. With apply the residents are really taken. */
static double walk(struct target *t, uint32_t k, int all, int apply)
{
	const struct cover_model *m = t->m;
	double room = cap_of(t, k) - t->load[k], gain = 0;
	if (!all && cand_groups_done(t, k))
		return 0;              /* nothing it may take: the loop would skip every point */
	uint32_t q = m->cand_off[k], end = m->cand_off[k + 1];
	if (t->walk_from) {            /* served fractions only grow during a greedy */
		for (q = t->walk_from[k]; q < end && 1.0 - t->f[m->cand_dem[q]] <= FRAC_EPS; q++)
			;
		t->walk_from[k] = q;
	}
	group_begin(t);
	for (; q < end && room > t->room_eps; q++) {
		uint32_t i = m->cand_dem[q], g = m->group[i];
		double rem = 1.0 - t->f[i], r = t->res[i];
		if (rem <= FRAC_EPS || (!all && group_done(t, g)))
			continue;
		double phi = r > 0 ? fmin(rem, room / r) : rem;
		room -= phi * r;
		group_add(t, g, phi * m->weight[i]);
		if (apply)
			take(t, k, i, phi);
	}
	for (size_t s = 0; s < t->ngtouch; s++) {
		uint32_t g = t->gtouch[s];
		gain += all ? t->gacc[g] : fmin(t->gacc[g], fmax(0.0, t->gneed[g] - t->gsave[g]));
	}
	return gain;
}

void target_open_site(struct target *t, uint32_t k, int all)
{
	t->is_open[k] = 1;
	if (!t->listed[k]) {           /* a site closed and opened again keeps its place */
		t->listed[k] = 1;
		t->open[t->nopen++] = k;
	}
	t->gsites[t->m->cand_group[k]]++;
	walk(t, k, all, 1);
}

/* Heap items for every closed candidate with a gain, evaluated now. Returns their number. */
static size_t fresh_items(struct target *t, struct cover_heap_item *items)
{
	size_t n = 0;
	for (uint32_t k = 0; k < t->m->ncand; k++) {
		if (t->only_incumbents && !is_incumbent(t->m, k))
			continue;
		double g = t->is_open[k] ? 0 : walk(t, k, 0, 0);
		if (g > t->eps)
			items[n++] = (struct cover_heap_item){g, t->rank[k], k, (uint32_t)t->nopen};
	}
	return n;
}

/* Lazy greedy on the capped gain. Gains mostly shrink as residents get served and groups
 * reach their target, and the lazy evaluation treats them as if they always did; but a
 * site's gain can grow when a group it filled up with reaches its target, so before
 * stopping every gain is evaluated afresh once. */
int target_greedy(struct target *t)
{
	struct cover_heap_item *items = zalloc(t->m->ncand, sizeof *items);
	struct cover_heap h = {items, 0};
	size_t left0 = t->gleft ? t->gleft : 1, fresh_at = SIZE_MAX;
	if (!items || !(t->walk_from = malloc((t->m->ncand + 1) * sizeof *t->walk_from))) {
		free(items);
		return -ENOMEM;
	}
	memcpy(t->walk_from, t->m->cand_off, t->m->ncand * sizeof *t->walk_from);
	while (t->gleft > 0 && t->rc == 0) {
		struct cover_heap_item *top = &h.it[0];
		if (h.n && top->stamp != t->nopen) {
			top->key = walk(t, top->cand, 0, 0);
			top->stamp = (uint32_t)t->nopen;
			cover_heap_fix_top(&h);
			continue;
		}
		if (!h.n || top->key <= t->eps) {
			if (fresh_at == t->nopen)
				break;
			fresh_at = t->nopen;
			cover_heap_build(&h, items, fresh_items(t, items));
			continue;
		}
		uint32_t k = top->cand;
		cover_heap_pop(&h);
		target_open_site(t, k, 0);
		if (t->nopen % 64 == 0)
			cover_report(t->progress, "target greedy",
				     1.0 - (double)t->gleft / (double)left0);
	}
	free(items);
	free(t->walk_from);
	t->walk_from = NULL;
	return t->rc;
}

/* Every group with candidates but no open site gets the candidate that serves most. */
static int open_group_sites(struct target *t)
{
	const struct cover_model *m = t->m;
	uint32_t *best = malloc((m->ngroups + 1) * sizeof *best);
	double *bestv = malloc((m->ngroups + 1) * sizeof *bestv);
	if (!best || !bestv) {
		free(best);
		free(bestv);
		return -ENOMEM;
	}
	for (size_t g = 0; g < m->ngroups; g++)
		best[g] = NONE;
	for (uint32_t k = 0; k < m->ncand; k++) {
		uint32_t g = m->cand_group[k];
		if (t->is_open[k] || t->gsites[g])
			continue;
		double v = walk(t, k, 1, 0);
		if (best[g] == NONE || v > bestv[g] ||
		    (v == bestv[g] && t->rank[k] < t->rank[best[g]])) {
			best[g] = k;
			bestv[g] = v;
		}
	}
	for (size_t g = 0; g < m->ngroups; g++)
		if (best[g] != NONE)
			target_open_site(t, best[g], 1);
	free(best);
	free(bestv);
	return t->rc;
}

/* ---- the open sites' pairs per point ---- */


static void ot_sort_point(struct ot *ot, uint32_t i)
{
	for (uint32_t a = ot->off[i] + 1; a < ot->off[i + 1]; a++) {
		uint32_t s = ot->site[a], b = a;
		float d = ot->dist[a];
		for (; b > ot->off[i] && (ot->dist[b - 1] > d ||
					  (ot->dist[b - 1] == d && ot->site[b - 1] > s)); b--) {
			ot->site[b] = ot->site[b - 1];
			ot->dist[b] = ot->dist[b - 1];
		}
		ot->site[b] = s;
		ot->dist[b] = d;
	}
}

static void ot_fill(struct target *t)
{
	const struct cover_model *m = t->m;
	struct ot *ot = &t->ot;
	for (size_t s = 0; s < t->nopen; s++) {
		uint32_t k = t->open[s];
		for (uint32_t q = m->cand_off[k]; q < m->cand_off[k + 1]; q++) {
			uint32_t e = ot->off[m->cand_dem[q]]++;
			ot->site[e] = k;
			ot->dist[e] = m->cand_dist_m[q];
		}
	}
	for (size_t i = m->ndemand; i > 0; i--)
		ot->off[i] = ot->off[i - 1];
	ot->off[0] = 0;
}

/* Builds the per-point lists of the open sites and replays the greedy's assignments. */
int target_ot_build(struct target *t)
{
	const struct cover_model *m = t->m;
	struct ot *ot = &t->ot;
	size_t n = m->ndemand;
	if (!(ot->off = zalloc(n + 1, sizeof *ot->off)))
		return -ENOMEM;
	for (size_t s = 0; s < t->nopen; s++)
		for (uint32_t q = m->cand_off[t->open[s]]; q < m->cand_off[t->open[s] + 1]; q++)
			ot->off[m->cand_dem[q] + 1]++;
	for (size_t i = 0; i < n; i++)
		ot->off[i + 1] += ot->off[i];
	ot->site = zalloc(ot->off[n], sizeof *ot->site);
	ot->dist = zalloc(ot->off[n], sizeof *ot->dist);
	ot->amt = zalloc(ot->off[n], sizeof *ot->amt);
	if (!ot->site || !ot->dist || !ot->amt)
		return -ENOMEM;
	ot_fill(t);
	for (uint32_t i = 0; i < n; i++)
		ot_sort_point(ot, i);
	for (size_t k = 0; k < t->nlog; k++)
		ot->amt[ot_find(t, t->log[k].dem, t->log[k].site)] += t->log[k].phi;
	free(t->log);
	t->log = NULL;
	t->nlog = t->caplog = 0;
	return 0;
}

/* ---- repair: room at full sites for groups below target ---- */

static int has_room(const struct target *t, uint32_t e, double r);

/* Moves residents open site s serves (farthest first) to other open sites with room that
 * reach them, until `need` residents of room are free at s. Returns the room freed. */
static double free_room(struct target *t, uint32_t s, double need)
{
	const struct cover_model *m = t->m;
	double freed = 0;
	for (uint32_t q = m->cand_off[s + 1]; q > m->cand_off[s] && freed < need; q--) {
		uint32_t i = m->cand_dem[q - 1], e = ot_find(t, i, s);
		double r = t->res[i];
		for (uint32_t x = t->ot.off[i]; x < t->ot.off[i + 1] && r > 0 && freed < need &&
		     t->ot.amt[e] > 0; x++) {
			uint32_t u = t->ot.site[x];
			if (u == s || !has_room(t, x, r))
				continue;
			double phi = fmin(t->ot.amt[e], fmin(need - freed, cap_of(t, u) - t->load[u]) / r);
			t->ot.amt[e] -= phi;
			t->ot.amt[x] += phi;
			t->load[s] -= phi * r;
			t->load[u] += phi * r;
			freed += phi * r;
		}
	}
	return freed;
}

/* Unserved residents of groups below target whose open sites are all full: frees room at
 * those sites by moving other residents on to open sites with room, then serves them. */
void target_repair(struct target *t)
{
	const struct cover_model *m = t->m;
	for (uint32_t i = 0; i < m->ndemand && t->gleft > 0; i++) {
		uint32_t g = m->group[i];
		double r = t->res[i];
		if (group_done(t, g) || r <= 0)
			continue;
		for (uint32_t e = t->ot.off[i]; e < t->ot.off[i + 1] && 1 - t->f[i] > FRAC_EPS; e++) {
			uint32_t s = t->ot.site[e];
			double want = (1.0 - t->f[i]) * r, room = cap_of(t, s) - t->load[s];
			if (!t->is_open[s])
				continue;
			if (room < want)
				room += free_room(t, s, want - room);
			double phi = fmin(1.0 - t->f[i], room / r);
			if (phi <= 0)
				continue;
			int was = group_done(t, g);
			t->ot.amt[e] += phi;
			t->f[i] += phi;
			t->load[s] += phi * r;
			t->gserved[g] += phi * m->weight[i];
			t->gleft -= !was && group_done(t, g);
		}
	}
}

/* ---- cleanup: close sites whose residents fit elsewhere ---- */

/* Changes entry e (point i) by phi, first saving the old values. -ENOMEM leaves it as is. */
static int change(struct target *t, uint32_t e, uint32_t i, double phi)
{
	uint32_t s = t->ot.site[e];
	if (grow_reserve(&t->undo, &t->capundo, t->nundo + 1, sizeof *t->undo, 1024) < 0)
		return -ENOMEM;
	t->undo[t->nundo++] = (struct undo){e, i, t->ot.amt[e], t->f[i], t->load[s]};
	group_add(t, t->m->group[i], 0);
	t->ot.amt[e] += phi;
	t->f[i] += phi;
	t->load[s] += phi * t->res[i];
	t->gserved[t->m->group[i]] += phi * t->m->weight[i];
	return 0;
}

static void rollback(struct target *t)
{
	while (t->nundo) {
		const struct undo *u = &t->undo[--t->nundo];
		t->ot.amt[u->e] = u->amt;
		t->f[u->i] = u->f;
		t->load[t->ot.site[u->e]] = u->load;
	}
	for (size_t k = 0; k < t->ngtouch; k++)
		t->gserved[t->gtouch[k]] = t->gsave[t->gtouch[k]];
}

/* Gives point i's unserved residents to its open sites other than s, nearest first. */
static int reassign(struct target *t, uint32_t i, uint32_t s)
{
	double r = t->res[i];
	for (uint32_t e = t->ot.off[i]; e < t->ot.off[i + 1]; e++) {
		uint32_t u = t->ot.site[e];
		double rem = 1.0 - t->f[i], room = cap_of(t, u) - t->load[u];
		if (rem <= FRAC_EPS)
			break;
		if (u == s || !t->is_open[u] || (r > 0 && room <= t->room_eps))
			continue;
		if (change(t, e, i, r > 0 ? fmin(rem, room / r) : rem) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* After a trial: no group at target fell below it, and no other group lost weight. An
 * incumbent's trial (margin >= 0) asks more: every group it touched keeps margin weighted
 * residents above its target. */
static int targets_hold(const struct target *t, double margin)
{
	for (size_t k = 0; k < t->ngtouch; k++) {
		uint32_t g = t->gtouch[k];
		double keep = t->gsave[g] - 1e-12 * t->gweight[g];
		double floor = margin >= 0 ? t->gneed[g] + margin : fmin(t->gneed[g], keep);
		if (t->gserved[g] < floor)
			return 0;
	}
	return 1;
}

/* Releases site s's residents, reassigns them, and keeps s closed if the targets hold (an
 * incumbent: with change_cost weighted residents to spare in every group it touches). */
static int try_close(struct target *t, uint32_t s)
{
	const struct cover_model *m = t->m;
	int rc = 0;
	t->nundo = 0;
	group_begin(t);
	for (uint32_t q = m->cand_off[s]; q < m->cand_off[s + 1] && rc == 0; q++) {
		uint32_t i = m->cand_dem[q], e = ot_find(t, i, s);
		if (t->ot.amt[e] > 0 && (rc = change(t, e, i, -t->ot.amt[e])) == 0)
			rc = reassign(t, i, s);
	}
	if (rc < 0 || !targets_hold(t, is_incumbent(t->m, s) ? t->m->change_cost : -1)) {
		rollback(t);
		return rc;
	}
	t->is_open[s] = 0;
	t->load[s] = 0;
	t->gsites[m->cand_group[s]]--;
	return 1;
}

struct by_load {
	int incumbent;
	double load;
	uint32_t rank, site;
};

/* Added sites before incumbents, then least-serving first. */
static int cmp_load(const void *a, const void *b)
{
	const struct by_load *x = a, *y = b;
	if (x->incumbent != y->incumbent)
		return x->incumbent - y->incumbent;
	if (x->load != y->load)
		return x->load < y->load ? -1 : 1;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Tries to close each non-fixed site (with incumbents, else only the added ones), added
 * ones first, least-serving first, until time runs out. Returns the sites closed. */
static int target_cleanup(struct target *t, int incumbents)
{
	struct by_load *l = zalloc(t->nopen, sizeof *l);
	size_t n = 0;
	int closed = 0;
	if (!l)
		return -ENOMEM;
	for (size_t s = 0; s < t->nopen; s++) {
		uint32_t j = t->open[s];
		if (!t->m->fixed[j] && t->is_open[j] && (incumbents || !is_incumbent(t->m, j)))
			l[n++] = (struct by_load){is_incumbent(t->m, j), t->load[j], t->rank[j], j};
	}
	qsort(l, n, sizeof *l, cmp_load);
	int rc = 0;
	for (size_t k = 0; k < n && rc >= 0; k++) {
		if (t->deadline > 0 && cover_now() > t->deadline) {
			t->timed_out = 1;
			break;
		}
		if (t->gsites[t->m->cand_group[l[k].site]] > 1 && (rc = try_close(t, l[k].site)) > 0)
			closed++;
		if (k % 64 == 0)
			cover_report(t->progress, "target cleanup", (double)k / (double)n);
	}
	free(l);
	t->closed += closed;
	return rc < 0 ? rc : closed;
}

/* ---- settling: nearest open site with room ---- */

static int has_room(const struct target *t, uint32_t e, double r)
{
	uint32_t s = t->ot.site[e];
	return t->is_open[s] && (r <= 0 || cap_of(t, s) - t->load[s] > t->room_eps);
}

/* Moves point i's residents from farther open sites to the nearest one with room. Each
 * move empties an entry or fills a site, so the loop is short. Returns the moves made. */
static int settle_point(struct target *t, uint32_t i)
{
	const struct ot *ot = &t->ot;
	uint32_t lo = ot->off[i], hi = ot->off[i + 1], u, v;
	double r = t->res[i];
	int moves = 0;
	for (uint32_t guard = 0; guard < 2 * (hi - lo); guard++) {
		for (u = lo; u < hi && !has_room(t, u, r); u++)
			;
		for (v = hi; v > u + 1; v--)
			if (t->is_open[ot->site[v - 1]] && ot->amt[v - 1] > FRAC_EPS &&
			    ot->dist[v - 1] > ot->dist[u])
				break;
		if (u >= hi || v <= u + 1)
			break;
		v--;
		double phi = r > 0 ? fmin(ot->amt[v], (cap_of(t, ot->site[u]) - t->load[ot->site[u]]) / r)
				   : ot->amt[v];
		ot->amt[v] -= phi;
		ot->amt[u] += phi;
		t->load[ot->site[v]] -= phi * r;
		t->load[ot->site[u]] += phi * r;
		moves++;
	}
	return moves;
}

/* Gives point i's unserved residents to its open sites with room, nearest first. */
static void fill_point(struct target *t, uint32_t i)
{
	double r = t->res[i];
	for (uint32_t e = t->ot.off[i]; e < t->ot.off[i + 1]; e++) {
		uint32_t s = t->ot.site[e];
		double rem = 1.0 - t->f[i];
		if (rem <= FRAC_EPS)
			break;
		if (!has_room(t, e, r))
			continue;
		double phi = r > 0 ? fmin(rem, (cap_of(t, s) - t->load[s]) / r) : rem;
		t->ot.amt[e] += phi;
		t->f[i] += phi;
		t->load[s] += phi * r;
	}
}

/* Moves never change what a point gets and filling only takes room, so after the moves
 * settle, filling cannot make a move possible again. */
static void settle(struct target *t)
{
	size_t n = t->m->ndemand;
	for (int pass = 0; pass < SETTLE_PASSES; pass++) {
		int moves = 0;
		for (uint32_t i = 0; i < n; i++)
			moves += settle_point(t, i);
		if (moves == 0)
			break;
	}
	for (uint32_t i = 0; i < n; i++)
		fill_point(t, i);
}

/* ---- result ---- */

static int target_result(struct target *t, struct cover_solution *out)
{
	const struct cover_model *m = t->m;
	out->open = zalloc(t->nopen, sizeof *out->open);
	out->load = zalloc(t->nopen, sizeof *out->load);
	out->served = zalloc(m->ndemand, sizeof *out->served);
	if (!out->open || !out->load || !out->served)
		return -ENOMEM;
	memset(t->load, 0, m->ncand * sizeof *t->load);
	for (uint32_t i = 0; i < m->ndemand; i++) {
		double fi = 0;
		for (uint32_t e = t->ot.off[i]; e < t->ot.off[i + 1]; e++) {
			if (!t->is_open[t->ot.site[e]])
				continue;
			fi += t->ot.amt[e];
			t->load[t->ot.site[e]] += t->ot.amt[e] * t->res[i];
		}
		out->served[i] = fmin(fi, 1.0) * t->res[i];
		out->served_residents += out->served[i];
	}
	for (size_t s = 0; s < t->nopen; s++)
		if (t->is_open[t->open[s]]) {
			out->load[out->nopen] = t->load[t->open[s]];
			out->open[out->nopen++] = t->open[s];
		}
	out->iterations = t->closed;
	out->timed_out = t->timed_out;
	out->covered_weight = cover_weight(m, out->open, out->nopen, NULL);
	if (isnan(out->covered_weight))
		return -ENOMEM;
	return cover_bound(m, out->nopen, NULL, out->open, out->nopen, 0, &out->bound);
}

static size_t open_count(const struct target *t)
{
	size_t n = 0;
	for (size_t s = 0; s < t->nopen; s++)
		n += t->is_open[t->open[s]];
	return n;
}

/* Groups the canonical assignment left below target get sites again from the greedy
 * (through the assignment log, as for a stable recompute's incumbents). Returns the
 * sites opened or -ENOMEM. */
static int refill(struct target *t)
{
	size_t open0 = open_count(t);
	int rc;
	if (t->gleft == 0)
		return 0;
	target_ot_to_log(t);
	if ((rc = target_greedy(t)) == 0)
		rc = target_ot_build(t);
	return rc < 0 ? rc : (int)(open_count(t) - open0);
}

/* The cleanup on the greedy's assignment (without a stable recompute's incumbents), then
 * rounds on the canonical assignment of the open set (sites added again where it leaves a
 * group below target) until one changes nothing, at most CLEANUP_ROUNDS, incumbents
 * included; then settling. A plan's last round judged its sites on the canonical
 * assignment, so a stable recompute of it on unchanged data, judging the same open set
 * the same way, finds nothing to close. */
static int cleanup_rounds(struct target *t)
{
	int rc = target_cleanup(t, !t->m->incumbent), changed = 1;
	for (int round = 0; rc >= 0 && changed > 0 && round < CLEANUP_ROUNDS; round++) {
		if ((rc = target_assign_canonical(t)) < 0 || (rc = refill(t)) < 0)
			break;
		changed = rc;
		if ((rc = target_cleanup(t, 1)) > 0)
			changed += rc;
	}
	if (rc >= 0 && changed > 0 && (rc = target_assign_canonical(t)) == 0)
		rc = refill(t);
	if (rc >= 0)
		settle(t);
	return rc < 0 ? rc : 0;
}

static int target_run(struct target *t)
{
	int rc = 0;
	for (uint32_t j = 0; j < t->m->ncand && t->rc == 0; j++)
		if (t->m->fixed[j])
			target_open_site(t, j, 0);
	if (t->m->incumbent && t->rc == 0)
		rc = target_open_incumbents(t);
	if (rc == 0 && t->rc == 0 && (rc = target_greedy(t)) == 0 &&
	    (rc = open_group_sites(t)) == 0 &&
	    (rc = target_ot_build(t)) == 0) {
		target_repair(t);
		rc = cleanup_rounds(t);
	}
	return rc ? rc : t->rc;
}

int cover_solve_target(const struct cover_model *m, double target_frac, double capacity,
		       uint32_t seed, double time_limit_s, const struct cover_progress *progress,
		       struct cover_solution *out)
{
	struct target t = {.progress = progress};
	int rc;
	memset(out, 0, sizeof *out);
	if (!(target_frac >= 0 && target_frac <= 1) || check_groups(m) < 0)
		return -EINVAL;
	if (time_limit_s > 0)
		t.deadline = cover_now() + time_limit_s;
	rc = target_init(&t, m, target_frac, capacity, seed);
	if (rc == 0)
		rc = target_run(&t);
	if (rc == 0)
		rc = target_result(&t, out);
	cover_report(progress, "target", 1.0);
	target_free(&t);
	if (rc < 0)
		cover_solution_free(out);
	return rc;
}
