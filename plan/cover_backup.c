/* Backup coverage: counts of open sites reaching each point, the weight covered twice, and
 * the solver that appends sites to a fixed primary solution to raise it (a stable
 * recompute's backup incumbents first, greedy on incrementally kept gains, then swap
 * descent among the added sites) with its bound. Must not close or move a primary site,
 * and must not touch the primary's assignment. */
#include "plan/cover_backup.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cover_priv.h"

void cover_reach_counts(const struct cover_model *m, const uint32_t *open, size_t nopen,
			uint8_t *count)
{
	memset(count, 0, m->ndemand);
	for (size_t k = 0; k < nopen; k++)
		for (uint32_t e = m->cand_off[open[k]]; e < m->cand_off[open[k] + 1]; e++)
			if (count[m->cand_dem[e]] < 255)
				count[m->cand_dem[e]]++;
}

double cover_twice_weight(const struct cover_model *m, const uint32_t *open, size_t nopen,
			  const uint8_t *mask)
{
	uint8_t *count = malloc(m->ndemand + 1);
	double w = 0;
	if (!count)
		return NAN;
	cover_reach_counts(m, open, nopen, count);
	for (size_t i = 0; i < m->ndemand; i++)
		w += count[i] >= 2 && (!mask || mask[i]) ? m->weight[i] : 0;
	free(count);
	return w;
}

/* The search state: count[i] of open sites reaching point i; for every candidate j,
 * twice[j] = weight it would raise to two (points now covered once) and once[j] = weight
 * of points it reaches that none covers. */
struct state {
	const struct cover_model *m;
	uint32_t *count;
	double *twice, *once;
	uint8_t *open;                /* [ncand] 1 = open (primary or added) */
	double value;                 /* weight covered twice */
	const uint8_t *incumbent;     /* [ncand] backup incumbents, or NULL */
	double change_cost;           /* what closing one of them costs */
};

/* The change cost credited to candidate j for keeping it open: an incumbent's. */
static double keep_credit(const struct state *st, uint32_t j)
{
	return st->incumbent && st->incumbent[j] ? st->change_cost : 0;
}

static int state_init(struct state *st, const struct cover_model *m)
{
	memset(st, 0, sizeof *st);
	st->m = m;
	st->count = calloc(m->ndemand + 1, sizeof *st->count);
	st->twice = calloc(m->ncand + 1, sizeof *st->twice);
	st->once = calloc(m->ncand + 1, sizeof *st->once);
	st->open = calloc(m->ncand + 1, 1);
	if (!st->count || !st->twice || !st->once || !st->open)
		return -ENOMEM;
	for (size_t j = 0; j < m->ncand; j++)   /* nothing open: every point is uncovered */
		for (uint32_t e = m->cand_off[j]; e < m->cand_off[j + 1]; e++)
			st->once[j] += m->weight[m->cand_dem[e]];
	return 0;
}

static void state_free(struct state *st)
{
	free(st->count);
	free(st->twice);
	free(st->once);
	free(st->open);
}

/* Adds dt to twice[] and do to once[] of every candidate reaching point i. */
static void spread(struct state *st, uint32_t i, double dt, double d_once)
{
	const struct cover_model *m = st->m;
	for (uint32_t e = m->dem_off[i]; e < m->dem_off[i + 1]; e++) {
		st->twice[m->dem_cand[e]] += dt;
		st->once[m->dem_cand[e]] += d_once;
	}
}

static void open_site(struct state *st, uint32_t j)
{
	const struct cover_model *m = st->m;
	st->open[j] = 1;
	for (uint32_t e = m->cand_off[j]; e < m->cand_off[j + 1]; e++) {
		uint32_t i = m->cand_dem[e];
		double w = m->weight[i];
		if (st->count[i] == 0)
			spread(st, i, w, -w);
		else if (st->count[i] == 1) {
			spread(st, i, -w, 0);
			st->value += w;
		}
		st->count[i]++;
	}
}

static void close_site(struct state *st, uint32_t j)
{
	const struct cover_model *m = st->m;
	st->open[j] = 0;
	for (uint32_t e = m->cand_off[j]; e < m->cand_off[j + 1]; e++) {
		uint32_t i = m->cand_dem[e];
		double w = m->weight[i];
		st->count[i]--;
		if (st->count[i] == 0)
			spread(st, i, -w, w);
		else if (st->count[i] == 1) {
			spread(st, i, w, 0);
			st->value -= w;
		}
	}
}

/* Weight covered twice that closing open site j loses. */
static double loss_of(const struct state *st, uint32_t j)
{
	const struct cover_model *m = st->m;
	double l = 0;
	for (uint32_t e = m->cand_off[j]; e < m->cand_off[j + 1]; e++)
		l += st->count[m->cand_dem[e]] == 2 ? m->weight[m->cand_dem[e]] : 0;
	return l;
}

/* The key of candidate j: its twice[] gain (mode 0) or its credit twice[] + once[] / 2
 * (mode 1, which values a first cover of a point as half a second), plus its keep credit. */
static double key_of(const struct state *st, uint32_t j, int mode)
{
	return (mode ? st->twice[j] + st->once[j] / 2 : st->twice[j]) + keep_credit(st, j);
}

/* The closed candidate (an incumbent with only_inc) with the largest key (then once[],
 * then lowest index), other than skip; UINT32_MAX when none reaches a point covered less
 * than twice. */
static uint32_t best_closed(const struct state *st, uint32_t skip, int mode, int only_inc)
{
	uint32_t best = UINT32_MAX;
	double bk = 0;
	for (uint32_t j = 0; j < st->m->ncand; j++) {
		if (st->open[j] || j == skip || (st->twice[j] <= 1e-12 && st->once[j] <= 1e-12) ||
		    (only_inc && !keep_credit(st, j)))
			continue;
		double kj = key_of(st, j, mode);
		if (best == UINT32_MAX || kj > bk || (kj == bk && st->once[j] > st->once[best])) {
			best = j;
			bk = kj;
		}
	}
	return best;
}

/* f(X) + the k largest credits twice[j] + once[j] / 2 over the closed candidates. */
static double bound_at(const struct state *st, size_t k, double *credit, uint32_t *idx)
{
	size_t n = 0;
	for (uint32_t j = 0; j < st->m->ncand; j++)
		if (!st->open[j]) {
			credit[n] = fmax(st->twice[j], 0) + fmax(st->once[j], 0) / 2;
			idx[n] = (uint32_t)n;
			n++;
		}
	return st->value + cover_top_sum(credit, idx, n, k);
}

/* Weight of the points at least two candidates reach: nothing covers more twice. */
static double reachable_twice(const struct cover_model *m)
{
	double w = 0;
	for (size_t i = 0; i < m->ndemand; i++)
		w += m->dem_off[i + 1] - m->dem_off[i] >= 2 ? m->weight[i] : 0;
	return w;
}

/* Swap descent over added[0..n): replace one by the best closed candidate while that
 * gains more than it costs in incumbents closed. Returns the number of swaps; sets
 * *timed_out. */
static int swap_descent(struct state *st, uint32_t *added, size_t n, double deadline,
			int *timed_out)
{
	int swaps = 0, improved = 1;
	while (improved) {
		improved = 0;
		for (size_t a = 0; a < n; a++) {
			if (deadline > 0 && cover_now() > deadline) {
				*timed_out = 1;
				return swaps;
			}
			uint32_t old = added[a];
			double loss = loss_of(st, old);
			close_site(st, old);
			uint32_t j = best_closed(st, old, 0, 0);
			double gain = j == UINT32_MAX ? 0
				      : st->twice[j] + keep_credit(st, j) - keep_credit(st, old);
			if (j != UINT32_MAX && gain > loss + 1e-9 * (1 + loss)) {
				open_site(st, j);
				added[a] = j;
				swaps++;
				improved = 1;
			} else {
				open_site(st, old);
			}
		}
	}
	return swaps;
}

static double rounded_up(double b)
{
	return b + fabs(b) * 1e-9;
}

static int append(struct cover_solution *s, const uint32_t *added, size_t n)
{
	uint32_t *open = realloc(s->open, (s->nopen + n + 1) * sizeof *open);
	if (!open)
		return -ENOMEM;
	s->open = open;
	if (s->load) {
		double *load = realloc(s->load, (s->nopen + n + 1) * sizeof *load);
		if (!load)
			return -ENOMEM;
		s->load = load;
		memset(load + s->nopen, 0, n * sizeof *load);
	}
	memcpy(open + s->nopen, added, n * sizeof *added);
	s->nopen += n;
	return 0;
}

/* One start from the primary alone: greedy on the key of mode (among the incumbents
 * first), then swap descent. Leaves the added sites in added[0..*n) and st at the answer;
 * returns its value less the change cost of the incumbents it leaves closed. */
static double run_start(struct state *st, size_t k, int mode, double deadline,
			uint32_t *added, size_t *n, struct cover_backup_result *out)
{
	uint32_t j;
	double kept = 0;
	*n = 0;
	for (int only_inc = st->incumbent != NULL; only_inc >= 0; only_inc--)
		while (*n < k && (j = best_closed(st, UINT32_MAX, mode, only_inc)) != UINT32_MAX) {
			open_site(st, j);
			added[(*n)++] = j;
		}
	out->swaps += swap_descent(st, added, *n, deadline, &out->timed_out);
	for (size_t q = 0; q < *n; q++)
		kept += keep_credit(st, added[q]);
	return st->value + kept;
}

/* The backup incumbents the answer keeps open. */
static size_t kept_of(const struct state *st, const uint32_t *added, size_t n)
{
	size_t kept = 0;
	for (size_t q = 0; q < n; q++)
		kept += st->incumbent && st->incumbent[added[q]];
	return kept;
}

int cover_backup_extend(const struct cover_model *m, struct cover_solution *s, size_t k,
			const uint8_t *incumbent, double time_limit_s,
			struct cover_backup_result *out)
{
	struct state st;
	double *credit = malloc((m->ncand + 1) * sizeof *credit);
	uint32_t *idx = malloc((m->ncand + 1) * sizeof *idx);
	uint32_t *added = malloc((2 * k + 1) * sizeof *added);
	double t0 = cover_now(), deadline = time_limit_s > 0 ? t0 + time_limit_s : 0;
	double value[2] = {0};
	size_t n[2] = {0};
	int rc = state_init(&st, m);
	st.incumbent = incumbent;
	st.change_cost = incumbent ? m->change_cost : 0;
	memset(out, 0, sizeof *out);
	if (rc < 0 || !credit || !idx || !added) {
		rc = -ENOMEM;
		goto fail;
	}
	for (size_t q = 0; q < s->nopen; q++)
		if (!st.open[s->open[q]])
			open_site(&st, s->open[q]);
	out->base_weight = st.value;
	double bound = fmin(bound_at(&st, k, credit, idx), reachable_twice(m));
	for (int mode = 0; mode < 2; mode++) {
		value[mode] = run_start(&st, k, mode, deadline, added + mode * k, &n[mode], out);
		bound = fmin(bound, bound_at(&st, k, credit, idx));
		for (size_t q = 0; q < n[mode]; q++)   /* back to the primary alone */
			close_site(&st, added[mode * k + q]);
	}
	int pick = value[1] > value[0] + 1e-9 * (1 + value[0]);
	if ((rc = append(s, added + pick * k, n[pick])) < 0)
		goto fail;
	out->added = n[pick];
	out->kept = kept_of(&st, added + pick * k, n[pick]);
	out->weight = cover_twice_weight(m, s->open, s->nopen, NULL);
	out->bound = fmax(rounded_up(bound), out->weight);
	out->gap_pct = out->bound > 0 ? 100.0 * (out->bound - out->weight) / out->bound : 0;
	out->seconds = cover_now() - t0;
	if (isnan(out->weight))
		rc = -ENOMEM;
fail:
	state_free(&st);
	free(credit);
	free(idx);
	free(added);
	return rc;
}
