/* Budget mode, maximal covering with p sites: lazy greedy, swap local search (vertex
 * substitution) with cover counts, then seeded perturbations (iterated local search) and a
 * final swap descent. A stable recompute starts from the incumbents and prices every
 * change. Deterministic for a seed unless the time limit cuts it short. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cover.h"
#include "plan/cover_priv.h"

#define CHECK_EVERY 256       /* swap evaluations between clock checks */
#define KICK_ROUNDS_PER_SITE 8
#define KICK_ROUNDS_MIN 100   /* perturbation rounds: 8 p within 100..600, a fixed amount */
#define KICK_ROUNDS_MAX 600
#define KICK_MAX 4            /* sites closed by one perturbation */

static void *zalloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

/* State: cnt[i] open sites covering point i and own[i] the xor of their indices, which is
 * the single owner when cnt[i] == 1. gain[k] = weight of uncovered points k covers (0 for
 * open sites); loss[j] = weight of points only open j covers. Both are kept up to date
 * incrementally during the local search and recomputed exactly at each full pass; every
 * swap is accepted on an exactly recomputed delta. */

struct budget {
	const struct cover_model *m;
	const struct cover_progress *progress;
	size_t p, nopen;
	uint32_t *open, *slot;      /* open sites; slot[j] = index of open site j in open[] */
	uint8_t *is_open, *look;    /* look: something near k changed since k was scanned */
	uint32_t *cnt, *own;        /* [ndemand] */
	double *gain, *loss, *shared;
	uint32_t *mark, *touched, *rank, *order, stamp;
	double f;                   /* covered weight, kept up to date */
	size_t kept;                /* incumbents open (stable recompute), kept up to date */
	double eps, deadline;
	int maintain, swaps, timed_out;
	uint64_t rng;               /* seeded, for the perturbations */
	uint32_t *saved, *nbr;      /* [ncand] open set before a perturbation; neighbours */
	uint8_t *skip;              /* [ncand] sites a perturbation must not reopen */
};

static int budget_init(struct budget *b, const struct cover_model *m, size_t p, uint32_t seed)
{
	size_t n = m->ndemand, c = m->ncand;
	b->m = m;
	b->p = p;
	b->open = zalloc(c, sizeof *b->open);
	b->slot = zalloc(c, sizeof *b->slot);
	b->is_open = zalloc(c, 1);
	b->look = zalloc(c, 1);
	b->cnt = zalloc(n, sizeof *b->cnt);
	b->own = zalloc(n, sizeof *b->own);
	b->gain = zalloc(c, sizeof *b->gain);
	b->loss = zalloc(c, sizeof *b->loss);
	b->shared = zalloc(c, sizeof *b->shared);
	b->mark = zalloc(c, sizeof *b->mark);
	b->touched = zalloc(c, sizeof *b->touched);
	b->order = zalloc(c, sizeof *b->order);
	b->rank = cover_ranks(c, seed, b->order);
	b->rng = 0x1234567ULL ^ ((uint64_t)seed << 20);
	b->saved = zalloc(c, sizeof *b->saved);
	b->nbr = zalloc(c, sizeof *b->nbr);
	b->skip = zalloc(c, 1);
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += m->weight[i];
	b->eps = 1e-10 * total;
	if (!b->open || !b->slot || !b->is_open || !b->look || !b->cnt || !b->own || !b->gain ||
	    !b->loss || !b->shared || !b->mark || !b->touched || !b->order || !b->rank ||
	    !b->saved || !b->nbr || !b->skip)
		return -ENOMEM;
	return 0;
}

/* The price of leaving j closed: change_cost for an incumbent of a stable recompute. */
static double pen(const struct budget *b, uint32_t j)
{
	return b->m->incumbent && b->m->incumbent[j] ? b->m->change_cost : 0;
}

/* The objective: covered weight plus change_cost for every incumbent kept open (so minus
 * change_cost for every one closed, up to a constant). */
static double objective(const struct budget *b)
{
	return b->f + (b->m->incumbent ? b->m->change_cost * (double)b->kept : 0);
}

static void budget_free(struct budget *b)
{
	free(b->open);
	free(b->slot);
	free(b->is_open);
	free(b->look);
	free(b->cnt);
	free(b->own);
	free(b->gain);
	free(b->loss);
	free(b->shared);
	free(b->mark);
	free(b->touched);
	free(b->order);
	free(b->rank);
	free(b->saved);
	free(b->nbr);
	free(b->skip);
}

/* The candidates of point i see a change: gain moves by dgain, and they must be rescanned. */
static void touch_point(struct budget *b, uint32_t i, double dgain)
{
	const struct cover_model *m = b->m;
	for (uint32_t q = m->dem_off[i]; q < m->dem_off[i + 1]; q++) {
		b->gain[m->dem_cand[q]] += dgain;
		b->look[m->dem_cand[q]] = 1;
	}
}

static void open_site(struct budget *b, uint32_t k)
{
	const struct cover_model *m = b->m;
	b->is_open[k] = 1;
	b->loss[k] = 0;
	b->kept += m->incumbent && m->incumbent[k];
	for (uint32_t q = m->cand_off[k]; q < m->cand_off[k + 1]; q++) {
		uint32_t i = m->cand_dem[q], c = b->cnt[i]++, prev = b->own[i];
		b->own[i] ^= k;
		b->f += c == 0 ? m->weight[i] : 0;
		if (!b->maintain)
			continue;
		if (c == 0) {
			b->loss[k] += m->weight[i];
			touch_point(b, i, -m->weight[i]);
		} else if (c == 1) {
			b->loss[prev] -= m->weight[i];
			touch_point(b, i, 0);
		}
	}
}

static void close_site(struct budget *b, uint32_t j)
{
	const struct cover_model *m = b->m;
	b->is_open[j] = 0;
	b->loss[j] = 0;
	b->kept -= m->incumbent && m->incumbent[j];
	for (uint32_t q = m->cand_off[j]; q < m->cand_off[j + 1]; q++) {
		uint32_t i = m->cand_dem[q], c = --b->cnt[i];
		b->own[i] ^= j;
		b->f -= c == 0 ? m->weight[i] : 0;
		if (!b->maintain)
			continue;
		if (c == 0) {
			touch_point(b, i, m->weight[i]);
		} else if (c == 1) {
			b->loss[b->own[i]] += m->weight[i];
			touch_point(b, i, 0);
		}
	}
}

static void append_open(struct budget *b, uint32_t k)
{
	b->slot[k] = (uint32_t)b->nopen;
	b->open[b->nopen++] = k;
	open_site(b, k);
}

/* Weight of the uncovered points k covers, summed afresh. */
static double fresh_gain(const struct budget *b, uint32_t k)
{
	const struct cover_model *m = b->m;
	double g = 0;
	for (uint32_t q = m->cand_off[k]; q < m->cand_off[k + 1]; q++)
		if (b->cnt[m->cand_dem[q]] == 0)
			g += m->weight[m->cand_dem[q]];
	return g;
}

/* Lazy greedy (CELF): gains only shrink, so a popped item whose gain was computed at the
 * current step is the best one. Stops at p sites or when nothing more can be covered.
 * With only_incumbents, only incumbents are candidates and each is worth its gain plus
 * change_cost, so all of them open while p allows. */
static int budget_greedy(struct budget *b, int only_incumbents)
{
	struct cover_heap_item *items = zalloc(b->m->ncand, sizeof *items);
	struct cover_heap h;
	size_t n = 0;
	if (!items)
		return -ENOMEM;
	for (uint32_t k = 0; k < b->m->ncand; k++) {
		if (only_incumbents && !(b->m->incumbent && b->m->incumbent[k]))
			continue;
		double g = b->is_open[k] ? 0 : fresh_gain(b, k) + pen(b, k);
		if (g > 0)
			items[n++] = (struct cover_heap_item){g, b->rank[k], k, (uint32_t)b->nopen};
	}
	cover_heap_build(&h, items, n);
	while (b->nopen < b->p && h.n) {
		struct cover_heap_item *top = &h.it[0];
		if (top->stamp != b->nopen) {
			top->key = fresh_gain(b, top->cand) + pen(b, top->cand);
			top->stamp = (uint32_t)b->nopen;
			cover_heap_fix_top(&h);
			continue;
		}
		if (top->key <= 0)
			break;
		uint32_t k = top->cand;
		cover_heap_pop(&h);
		append_open(b, k);
		if (b->nopen % 64 == 0)
			cover_report(b->progress, "greedy", (double)b->nopen / (double)b->p);
	}
	free(items);
	return 0;
}

/* Exact gain (closed sites) and loss (open sites) in one pass over the pairs. */
static void recompute(struct budget *b)
{
	const struct cover_model *m = b->m;
	for (uint32_t k = 0; k < m->ncand; k++) {
		double g = 0, l = 0;
		for (uint32_t q = m->cand_off[k]; q < m->cand_off[k + 1]; q++) {
			uint32_t i = m->cand_dem[q];
			if (b->cnt[i] == 0)
				g += m->weight[i];
			else if (b->cnt[i] == 1 && b->own[i] == k)
				l += m->weight[i];
		}
		b->gain[k] = g;
		b->loss[k] = b->is_open[k] ? l : 0;
	}
}

/* The open, non-fixed site whose closing costs least (its loss plus the price of the
 * change; lowest rank on ties), or UINT32_MAX. */
static uint32_t cheapest(const struct budget *b)
{
	uint32_t best = UINT32_MAX;
	double bestc = 0;
	for (size_t s = 0; s < b->nopen; s++) {
		uint32_t j = b->open[s];
		double c = b->loss[j] + pen(b, j);
		if (b->m->fixed[j])
			continue;
		if (best == UINT32_MAX || c < bestc || (c == bestc && b->rank[j] < b->rank[best])) {
			best = j;
			bestc = c;
		}
	}
	return best;
}

static void next_stamp(struct budget *b)
{
	if (++b->stamp == 0) {
		memset(b->mark, 0, b->m->ncand * sizeof *b->mark);
		b->stamp = 1;
	}
}

/* Scans k's points: returns k's exact gain, and shared[j] = weight of the points only open
 * j covers that k covers too, for the touched sites j (ntouched of them, not fixed). */
static double scan_shared(struct budget *b, uint32_t k, size_t *ntouched)
{
	const struct cover_model *m = b->m;
	double g = 0;
	size_t nt = 0;
	next_stamp(b);
	for (uint32_t q = m->cand_off[k]; q < m->cand_off[k + 1]; q++) {
		uint32_t i = m->cand_dem[q], o = b->own[i];
		if (b->cnt[i] == 0) {
			g += m->weight[i];
		} else if (b->cnt[i] == 1 && !m->fixed[o]) {
			if (b->mark[o] != b->stamp) {
				b->mark[o] = b->stamp;
				b->shared[o] = 0;
				b->touched[nt++] = o;
			}
			b->shared[o] += m->weight[i];
		}
	}
	*ntouched = nt;
	return g;
}

static double shared_of(const struct budget *b, uint32_t j)
{
	return b->mark[j] == b->stamp ? b->shared[j] : 0;
}

/* Best site to swap out for k (g: k's gain plus its price): the cheapest site overall or
 * one sharing points with k (no other site can do better). Returns the estimated delta
 * of the objective; *out = the site. */
static double best_out(const struct budget *b, uint32_t jmin, double g, size_t nt,
		       uint32_t *out)
{
	uint32_t bj = jmin;
	double best = jmin == UINT32_MAX ? -INFINITY
				: g - b->loss[jmin] - pen(b, jmin) + shared_of(b, jmin);
	for (size_t t = 0; t < nt; t++) {
		uint32_t j = b->touched[t];
		double d = g - b->loss[j] - pen(b, j) + b->shared[j];
		if (d > best || (d == best && b->rank[j] < b->rank[bj])) {
			best = d;
			bj = j;
		}
	}
	*out = bj;
	return best;
}

static double exact_loss(const struct budget *b, uint32_t j)
{
	const struct cover_model *m = b->m;
	double l = 0;
	for (uint32_t q = m->cand_off[j]; q < m->cand_off[j + 1]; q++) {
		uint32_t i = m->cand_dem[q];
		if (b->cnt[i] == 1)
			l += m->weight[i];
	}
	return l;
}

/* Closes open j and opens k in its slot. */
static void swap_in_slot(struct budget *b, uint32_t j, uint32_t k)
{
	close_site(b, j);
	b->slot[k] = b->slot[j];
	b->open[b->slot[k]] = k;
	open_site(b, k);
}

/* Tries to bring closed k in. Returns 1 after an improving swap, else 0. */
static int try_swap(struct budget *b, uint32_t k, uint32_t jmin)
{
	size_t nt;
	uint32_t j;
	double g = scan_shared(b, k, &nt) + pen(b, k);
	if (g <= b->eps || best_out(b, jmin, g, nt, &j) <= b->eps || j == UINT32_MAX)
		return 0;
	if (g - exact_loss(b, j) - pen(b, j) + shared_of(b, j) <= b->eps)
		return 0;
	swap_in_slot(b, j, k);
	b->swaps++;
	return 1;
}

/* One pass over the closed candidates in seeded order. A candidate is evaluated when its
 * gain beats the cheapest loss or, unless full, when something near it changed; a full
 * pass evaluates every candidate with a gain. Returns the swaps made or -ETIMEDOUT. */
static int scan_pass(struct budget *b, int full)
{
	const struct cover_model *m = b->m;
	uint32_t jmin = cheapest(b);
	int made = 0;
	size_t evals = 0;
	for (size_t r = 0; r < m->ncand; r++) {
		uint32_t k = b->order[r];
		double gk = b->gain[k] + pen(b, k);
		if (b->is_open[k] || gk <= b->eps)
			continue;
		double floor = jmin == UINT32_MAX ? 0 : b->loss[jmin] + pen(b, jmin);
		if (!full && !b->look[k] && gk <= floor + b->eps)
			continue;
		b->look[k] = 0;
		if (try_swap(b, k, jmin)) {
			made++;
			jmin = cheapest(b);
		}
		if (++evals % CHECK_EVERY == 0 && b->deadline > 0 && cover_now() > b->deadline) {
			b->timed_out = 1;
			return -ETIMEDOUT;
		}
	}
	return made;
}

/* Passes until a full pass finds no improving swap (a swap local optimum) or time is up. */
static void budget_swaps(struct budget *b)
{
	int full = 1, pass = 0;
	b->maintain = 1;
	memset(b->look, 1, b->m->ncand);
	for (;;) {
		if (full)
			recompute(b);
		int made = scan_pass(b, full);
		cover_report(b->progress, "swap", 1.0 - 1.0 / (2.0 + pass++));
		if (made < 0 || (made == 0 && full))
			break;
		full = made == 0;
	}
	b->maintain = 0;
}

/* ---- perturbation (iterated local search) ----
 * A swap local optimum is kicked by closing a random site and up to KICK_MAX - 1 open
 * sites sharing demand with it, reopening as many by largest gain, and descending again
 * with swaps; the result is kept when it covers more, else the old set is restored. */

/* Restores the open set saved[0..nopen), reusing the slots of the sites it replaces. */
static void restore(struct budget *b)
{
	size_t n = b->nopen, w = 0;
	for (size_t s = 0; s < n; s++)
		b->skip[b->saved[s]] = 1;
	for (size_t s = 0; s < n; s++) {
		uint32_t j = b->open[s];
		if (b->skip[j])
			continue;
		while (b->is_open[b->saved[w]])
			w++;
		swap_in_slot(b, j, b->saved[w]);
	}
	for (size_t s = 0; s < n; s++)
		b->skip[b->saved[s]] = 0;
	memset(b->look, 0, b->m->ncand);    /* the saved set was scanned already */
}

/* The closed candidate with the largest gain, not marked skip (lowest rank on ties). */
static uint32_t best_gain(const struct budget *b)
{
	uint32_t best = UINT32_MAX;
	for (uint32_t k = 0; k < b->m->ncand; k++) {
		if (b->is_open[k] || b->skip[k])
			continue;
		if (best == UINT32_MAX || b->gain[k] > b->gain[best] ||
		    (b->gain[k] == b->gain[best] && b->rank[k] < b->rank[best]))
			best = k;
	}
	return best;
}

/* Open, non-fixed sites sharing demand points with j0, into nbr. Returns their number. */
static uint32_t neighbours(struct budget *b, uint32_t j0)
{
	const struct cover_model *m = b->m;
	uint32_t nn = 0;
	for (uint32_t q = m->cand_off[j0]; q < m->cand_off[j0 + 1]; q++) {
		uint32_t i = m->cand_dem[q];
		for (uint32_t e = m->dem_off[i]; e < m->dem_off[i + 1]; e++) {
			uint32_t j = m->dem_cand[e];
			if (b->is_open[j] && j != j0 && !m->fixed[j] && !b->skip[j]) {
				b->skip[j] = 1;
				b->nbr[nn++] = j;
			}
		}
	}
	for (uint32_t k = 0; k < nn; k++)
		b->skip[b->nbr[k]] = 0;
	return nn;
}

/* A random closed candidate covering a random point of j0, or UINT32_MAX. */
static uint32_t random_near(struct budget *b, uint32_t j0)
{
	const struct cover_model *m = b->m;
	uint32_t n = m->cand_off[j0 + 1] - m->cand_off[j0];
	if (n == 0)
		return UINT32_MAX;
	uint32_t i = m->cand_dem[m->cand_off[j0] + cover_rand(&b->rng) % n];
	uint32_t d = m->dem_off[i + 1] - m->dem_off[i];
	uint32_t k = m->dem_cand[m->dem_off[i] + cover_rand(&b->rng) % d];
	return b->is_open[k] || b->skip[k] ? UINT32_MAX : k;
}

static void kick(struct budget *b)
{
	uint32_t j0 = b->open[cover_rand(&b->rng) % b->nopen], out[KICK_MAX], n = 0;
	if (b->m->fixed[j0])
		return;
	uint32_t nn = neighbours(b, j0), r = 2 + (uint32_t)(cover_rand(&b->rng) % (KICK_MAX - 1));
	out[n++] = j0;
	while (n < r && nn > 0) {
		uint32_t t = (uint32_t)(cover_rand(&b->rng) % nn);
		out[n++] = b->nbr[t];
		b->nbr[t] = b->nbr[--nn];
	}
	for (uint32_t k = 0; k < n; k++)
		b->skip[out[k]] = 1;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t slot = b->slot[out[k]], in;
		close_site(b, out[k]);
		in = k == 0 ? random_near(b, j0) : UINT32_MAX;
		in = in == UINT32_MAX ? best_gain(b) : in;
		in = in == UINT32_MAX ? out[k] : in;
		b->slot[in] = slot;
		b->open[slot] = in;
		open_site(b, in);
	}
	for (uint32_t k = 0; k < n; k++)
		b->skip[out[k]] = 0;
}

/* A fixed number of kicks (the same work for the same input, so the result is
 * deterministic unless the time limit cuts it short). Skipped when nothing is left to cover. */
static void budget_kicks(struct budget *b)
{
	size_t rounds = KICK_ROUNDS_PER_SITE * b->p;
	uint32_t best = best_gain(b);
	if (b->nopen < 2 || best == UINT32_MAX || b->gain[best] <= b->eps)
		return;
	rounds = rounds < KICK_ROUNDS_MIN ? KICK_ROUNDS_MIN : rounds;
	rounds = rounds < KICK_ROUNDS_MAX ? rounds : KICK_ROUNDS_MAX;
	b->maintain = 1;
	for (size_t r = 0; r < rounds; r++) {
		double f = objective(b);
		if (b->deadline > 0 && cover_now() > b->deadline) {
			b->timed_out = 1;
			break;
		}
		memcpy(b->saved, b->open, b->nopen * sizeof *b->open);
		kick(b);
		int made;
		while ((made = scan_pass(b, 0)) > 0)
			;
		if (made < 0 || objective(b) <= f + b->eps)
			restore(b);
		if (r % 32 == 0)
			cover_report(b->progress, "kicks", (double)r / (double)rounds);
	}
	b->maintain = 0;
}

/* When nothing more can be covered (the budget is not what limits the plan), closes the
 * open sites no point depends on (every point they cover has another open site), added
 * sites before incumbents, latest first: the same coverage with fewer sites always pays,
 * also against the price of a change. Closing only raises the others' losses, so one
 * pass per class finds them all. The open order of the rest is kept. */
static void budget_prune(struct budget *b)
{
	const struct cover_model *m = b->m;
	size_t w = 0, closed = 0;
	for (uint32_t k = 0; k < m->ncand; k++)
		if (!b->is_open[k] && fresh_gain(b, k) > b->eps)
			return;
	for (int pass = 0; pass < 2; pass++)
		for (size_t s = b->nopen; s-- > 0;) {
			uint32_t j = b->open[s];
			int inc = m->incumbent && m->incumbent[j];
			if (m->fixed[j] || !b->is_open[j] || inc != pass || exact_loss(b, j) > 0)
				continue;
			close_site(b, j);
			closed++;
		}
	if (!closed)
		return;
	for (size_t s = 0; s < b->nopen; s++)
		if (b->is_open[b->open[s]]) {
			b->slot[b->open[s]] = (uint32_t)w;
			b->open[w++] = b->open[s];
		}
	b->nopen = w;
}

static int budget_result(const struct budget *b, struct cover_solution *out)
{
	const struct cover_model *m = b->m;
	out->open = zalloc(b->nopen, sizeof *out->open);
	if (!out->open)
		return -ENOMEM;
	memcpy(out->open, b->open, b->nopen * sizeof *out->open);
	out->nopen = b->nopen;
	for (size_t i = 0; i < m->ndemand; i++)
		if (b->cnt[i])
			out->covered_weight += m->weight[i];
	out->iterations = b->swaps;
	out->timed_out = b->timed_out;
	return cover_bound(m, b->p, NULL, out->open, out->nopen, 0, &out->bound);
}

int cover_solve_budget(const struct cover_model *m, size_t p, uint32_t seed, double time_limit_s,
		       const struct cover_progress *progress, struct cover_solution *out)
{
	struct budget b = {.progress = progress};
	size_t nfixed = 0;
	int rc;
	memset(out, 0, sizeof *out);
	for (size_t j = 0; j < m->ncand; j++)
		nfixed += m->fixed[j] != 0;
	if (p > m->ncand || p < nfixed || m->dem_off[m->ndemand] != cover_npairs(m))
		return -EINVAL;
	if (time_limit_s > 0)
		b.deadline = cover_now() + time_limit_s;
	rc = budget_init(&b, m, p, seed);
	for (uint32_t j = 0; rc == 0 && j < m->ncand; j++)
		if (m->fixed[j])
			append_open(&b, j);
	if (rc == 0 && m->incumbent)
		rc = budget_greedy(&b, 1);
	if (rc == 0)
		rc = budget_greedy(&b, 0);
	if (rc == 0) {
		budget_swaps(&b);
		budget_kicks(&b);
		budget_swaps(&b);
		budget_prune(&b);
		rc = budget_result(&b, out);
	}
	cover_report(progress, "swap", 1.0);
	budget_free(&b);
	if (rc < 0)
		cover_solution_free(out);
	return rc;
}
