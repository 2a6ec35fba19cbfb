/* Upper bounds for maximal covering. Relaxing the coverage constraints y_i <= sum_{j covers
 * i} x_j with multipliers lam_i >= 0 gives, for every lam, an upper bound on any p sites:
 * L(lam) = sum_i max(0, w_i - lam_i) + (sum of the p largest c_j), c_j = sum_{i in cov(j)}
 * lam_i. A dual ascent picks a good start, deflected subgradient steps improve it, and the
 * smallest value is kept. Also the greedy online bound of a given open set, and the set
 * cover of cover_reach.c, which proves the reachable weight optimal when p sites suffice. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cover.h"
#include "plan/cover_priv.h"

#define ROUND_UP 1e-9          /* relative margin for rounding in the sums */
#define STALL_MIN 10           /* steps without a better L before the step halves: */
#define STALL_SHARE 25         /* max(STALL_MIN, iterations / STALL_SHARE) */
#define THETA_START 2.0        /* Polyak step factor */
#define THETA_MIN 1e-3
#define DEFLECT 1.5            /* Camerini-Fratta-Maffioli deflection factor */
#define TAU_EVALS 6           /* golden-section steps for the ascent's site value */

/* ---- top-p selection ---- */

static void swap_idx(uint32_t *idx, size_t a, size_t b)
{
	uint32_t t = idx[a];
	idx[a] = idx[b];
	idx[b] = t;
}

static double median3(double a, double b, double c)
{
	if (a > b) {
		double t = a;
		a = b;
		b = t;
	}
	return c <= a ? a : c >= b ? b : c;
}

/* Quickselect with a three-way partition (robust to many equal values). */
static void select_top(const double *v, uint32_t *idx, size_t n, size_t p)
{
	size_t lo = 0, hi = n;
	while (hi - lo > 1) {
		double piv = median3(v[idx[lo]], v[idx[lo + (hi - lo) / 2]], v[idx[hi - 1]]);
		size_t a = lo, b = lo, c = hi;       /* [lo,a) > piv, [a,c) == piv, [c,hi) < piv */
		while (b < c) {
			double x = v[idx[b]];
			if (x > piv)
				swap_idx(idx, a++, b++);
			else if (x < piv)
				swap_idx(idx, b, --c);
			else
				b++;
		}
		if (p < a)
			hi = a;
		else if (p <= c)
			return;
		else
			lo = c;
	}
}

double cover_top_sum(const double *v, uint32_t *idx, size_t n, size_t p)
{
	double s = 0;
	if (p >= n)
		p = n;
	else
		select_top(v, idx, n, p);
	for (size_t k = 0; k < p; k++)
		s += v[idx[k]];
	return s;
}

/* ---- Lagrangian relaxation ---- */

struct lagr {
	const struct cover_model *m;
	size_t p;
	double *w;                 /* [ndemand] weight, 0 outside the mask */
	double *lam;               /* [ndemand] multipliers, 0 <= lam <= w */
	double *c;                 /* [ncand] c_j, or the marginal gains of the online bound */
	uint32_t *idx;             /* [ncand] selection: idx[0..p) are the chosen sites */
	uint32_t *hits;            /* [ndemand] chosen sites covering each point */
	uint32_t *deg;             /* [ndemand] candidates covering each point */
	double *dir;               /* [ndemand] previous step direction */
	double lb;                 /* weight of the best p-set seen: a lower bound */
};

static void lagr_free(struct lagr *L)
{
	free(L->w);
	free(L->lam);
	free(L->c);
	free(L->idx);
	free(L->hits);
	free(L->deg);
	free(L->dir);
}

static int lagr_init(struct lagr *L, const struct cover_model *m, size_t p, const uint8_t *mask)
{
	size_t n = m->ndemand, nc = m->ncand;
	L->m = m;
	L->p = p;
	L->w = calloc(n + 1, sizeof *L->w);
	L->lam = calloc(n + 1, sizeof *L->lam);
	L->c = calloc(nc + 1, sizeof *L->c);
	L->idx = malloc((nc + 1) * sizeof *L->idx);
	L->hits = calloc(n + 1, sizeof *L->hits);
	L->deg = calloc(n + 1, sizeof *L->deg);
	L->dir = calloc(n + 1, sizeof *L->dir);
	if (!L->w || !L->lam || !L->c || !L->idx || !L->hits || !L->deg || !L->dir)
		return -ENOMEM;
	for (size_t q = 0; q < cover_npairs(m); q++)
		L->deg[m->cand_dem[q]]++;
	for (size_t i = 0; i < n; i++)
		L->w[i] = !mask || mask[i] ? m->weight[i] : 0;
	for (size_t j = 0; j < nc; j++)
		L->idx[j] = (uint32_t)j;
	return 0;
}

/* A simple start without the transpose: points no candidate reaches are priced at their
 * weight (they add nothing), the others at w / (1 + degree). */
static void lagr_start_simple(struct lagr *L)
{
	for (size_t i = 0; i < L->m->ndemand; i++)
		L->lam[i] = L->deg[i] ? L->w[i] / (1.0 + L->deg[i]) : L->w[i];
}

/* Dual ascent for a site value tau: raises each lam_i in turn (points with the fewest
 * candidates first) up to w_i or until one of its candidates reaches c_j = tau. Then the p
 * largest c_j sum to at most p tau, so L(lam) <= p tau + sum (w - lam): returned. */
static double lagr_ascent(struct lagr *L, double tau, const uint32_t *order)
{
	const struct cover_model *m = L->m;
	double free_w = 0;
	memset(L->c, 0, m->ncand * sizeof *L->c);
	for (size_t r = 0; r < m->ndemand; r++) {
		uint32_t i = order[r];
		double up = L->w[i];
		for (uint32_t q = m->dem_off[i]; q < m->dem_off[i + 1]; q++) {
			double room = tau - L->c[m->dem_cand[q]];
			up = room < up ? room : up;
		}
		up = !L->deg[i] ? L->w[i] : up > 0 ? up : 0;
		L->lam[i] = up;
		for (uint32_t q = m->dem_off[i]; q < m->dem_off[i + 1]; q++)
			L->c[m->dem_cand[q]] += up;
		free_w += L->w[i] - up;
	}
	return (double)L->p * tau + free_w;
}

/* Points by increasing number of candidates (counting sort; index order within a count).
 * Caller frees; NULL when out of memory. */
static uint32_t *degree_order(const struct lagr *L)
{
	size_t n = L->m->ndemand, maxd = 0;
	for (size_t i = 0; i < n; i++)
		maxd = L->deg[i] > maxd ? L->deg[i] : maxd;
	uint32_t *cnt = calloc(maxd + 2, sizeof *cnt), *order = malloc((n + 1) * sizeof *order);
	if (cnt && order) {
		for (size_t i = 0; i < n; i++)
			cnt[L->deg[i] + 1]++;
		for (size_t d = 0; d <= maxd; d++)
			cnt[d + 1] += cnt[d];
		for (size_t i = 0; i < n; i++)
			order[cnt[L->deg[i]]++] = (uint32_t)i;
	} else {
		free(order);
		order = NULL;
	}
	free(cnt);
	return order;
}

/* Golden-section search of the ascent's site value on a log scale, between 1e-4 and 1 of
 * the largest weight one candidate reaches; leaves lam at the best one. */
static int lagr_start_ascent(struct lagr *L)
{
	const struct cover_model *m = L->m;
	uint32_t *order = degree_order(L);
	double hi = 0, g = 0.6180339887498949;
	if (!order)
		return -ENOMEM;
	for (size_t j = 0; j < m->ncand; j++) {
		double s = 0;
		for (uint32_t q = m->cand_off[j]; q < m->cand_off[j + 1]; q++)
			s += L->w[m->cand_dem[q]];
		hi = fmax(hi, s);
	}
	double a = log(fmax(hi, 1e-300) * 1e-4), b = log(fmax(hi, 1e-300));
	double x1 = b - g * (b - a), x2 = a + g * (b - a);
	double f1 = lagr_ascent(L, exp(x1), order), f2 = lagr_ascent(L, exp(x2), order);
	for (int k = 0; k < TAU_EVALS; k++) {
		if (f1 < f2) {
			b = x2, x2 = x1, f2 = f1, x1 = b - g * (b - a);
			f1 = lagr_ascent(L, exp(x1), order);
		} else {
			a = x1, x1 = x2, f1 = f2, x2 = a + g * (b - a);
			f2 = lagr_ascent(L, exp(x2), order);
		}
	}
	lagr_ascent(L, exp(f1 < f2 ? x1 : x2), order);
	free(order);
	return 0;
}

/* L(lam); leaves the p sites with the largest c_j in idx[0..p). */
static double lagr_value(struct lagr *L)
{
	const struct cover_model *m = L->m;
	double base = 0;
	for (size_t i = 0; i < m->ndemand; i++)
		base += L->w[i] > L->lam[i] ? L->w[i] - L->lam[i] : 0;
	for (size_t j = 0; j < m->ncand; j++) {
		double s = 0;
		for (uint32_t q = m->cand_off[j]; q < m->cand_off[j + 1]; q++)
			s += L->lam[m->cand_dem[q]];
		L->c[j] = s;
	}
	return base + cover_top_sum(L->c, L->idx, m->ncand, L->p);
}

/* Counts the chosen sites over each point and raises lb with their covered weight. */
static void lagr_primal(struct lagr *L)
{
	const struct cover_model *m = L->m;
	size_t np = L->p < m->ncand ? L->p : m->ncand;
	double f = 0;
	memset(L->hits, 0, m->ndemand * sizeof *L->hits);
	for (size_t t = 0; t < np; t++)
		for (uint32_t q = m->cand_off[L->idx[t]]; q < m->cand_off[L->idx[t] + 1]; q++)
			L->hits[m->cand_dem[q]]++;
	for (size_t i = 0; i < m->ndemand; i++)
		if (L->hits[i])
			f += L->w[i];
	L->lb = fmax(L->lb, f);
}

/* Projected subgradient component of point i: hits - y (y = 1 while lam < w), zero where
 * the box [0, w] blocks the move. */
static double lagr_grad(const struct lagr *L, size_t i)
{
	double s = (double)L->hits[i] - (L->lam[i] < L->w[i] ? 1.0 : 0.0);
	if ((s < 0 && L->lam[i] >= L->w[i]) || (s > 0 && L->lam[i] <= 0))
		return 0;
	return s;
}

/* A Polyak step towards lb along the subgradient deflected by the previous direction
 * (Camerini, Fratta, Maffioli). Returns 0 when the direction vanishes. */
static int lagr_step(struct lagr *L, double value, double theta)
{
	size_t n = L->m->ndemand;
	double dot = 0, dd = 0, norm = 0;
	for (size_t i = 0; i < n; i++) {
		dot += lagr_grad(L, i) * L->dir[i];
		dd += L->dir[i] * L->dir[i];
	}
	double beta = dd > 0 && dot < 0 ? -DEFLECT * dot / dd : 0;
	for (size_t i = 0; i < n; i++) {
		L->dir[i] = lagr_grad(L, i) + beta * L->dir[i];
		norm += L->dir[i] * L->dir[i];
	}
	if (norm == 0)
		return 0;
	double t = theta * fmax(value - L->lb, 1e-12 * value) / norm;
	for (size_t i = 0; i < n; i++) {
		double x = L->lam[i] - t * L->dir[i];
		L->lam[i] = x < 0 ? 0 : x > L->w[i] ? L->w[i] : x;
	}
	return 1;
}

/* The smallest L(lam) seen in `iterations` steps from the ascent's start; the step factor
 * halves after `patience` steps without a better value (longer runs are more patient). */
static int lagr_bound(struct lagr *L, int iterations, double *out)
{
	double best = INFINITY, theta = THETA_START;
	int stall = 0, rc = 0;
	int patience = iterations / STALL_SHARE > STALL_MIN ? iterations / STALL_SHARE : STALL_MIN;
	if (L->m->dem_off[L->m->ndemand] == cover_npairs(L->m))
		rc = lagr_start_ascent(L);
	else
		lagr_start_simple(L);
	for (int it = 0; it < iterations && rc == 0; it++) {
		double v = lagr_value(L);
		if (v < best) {
			best = v;
			stall = 0;
		} else if (++stall >= patience) {
			theta /= 2;
			stall = 0;
		}
		lagr_primal(L);
		if (best - L->lb <= ROUND_UP * best || theta < THETA_MIN || !lagr_step(L, v, theta))
			break;
	}
	*out = best;
	return rc;
}

/* ---- the other bounds ---- */

/* f(S) + the p largest marginal gains over S: valid for any p sites by submodularity. */
static double online_bound(struct lagr *L, const uint32_t *open, size_t nopen)
{
	const struct cover_model *m = L->m;
	double f = 0;
	memset(L->hits, 0, m->ndemand * sizeof *L->hits);
	for (size_t k = 0; k < nopen; k++)
		for (uint32_t q = m->cand_off[open[k]]; q < m->cand_off[open[k] + 1]; q++)
			L->hits[m->cand_dem[q]]++;
	for (size_t i = 0; i < m->ndemand; i++)
		if (L->hits[i])
			f += L->w[i];
	if (nopen <= L->p)
		L->lb = fmax(L->lb, f);     /* a feasible p-set: steers the steps */
	for (size_t j = 0; j < m->ncand; j++) {
		double g = 0;
		for (uint32_t q = m->cand_off[j]; q < m->cand_off[j + 1]; q++)
			if (!L->hits[m->cand_dem[q]])
				g += L->w[m->cand_dem[q]];
		L->c[j] = g;
	}
	return f + cover_top_sum(L->c, L->idx, m->ncand, L->p);
}

static double reachable_weight(const struct lagr *L)
{
	double s = 0;
	for (size_t i = 0; i < L->m->ndemand; i++)
		if (L->deg[i])
			s += L->w[i];
	return s;
}

int cover_bound_proof(const struct cover_model *m, size_t p, const uint8_t *mask,
		      const uint32_t *open, size_t nopen, int iterations, double *bound,
		      int *optimal)
{
	struct lagr L = {0};
	int rc = lagr_init(&L, m, p, mask), proven = rc == 0 && p == 0;
	*bound = 0;
	if (rc == 0 && p > 0) {
		double b = fmin(reachable_weight(&L), online_bound(&L, open, nopen));
		double lr = INFINITY;
		if (p >= m->ncand || b <= L.lb * (1.0 + ROUND_UP))
			proven = 1;   /* every candidate, or the given sites reach the bound */
		else if (iterations > 0 && (rc = cover_reaches_all(m, L.w, p)) > 0)
			proven = 1;
		else if (rc == 0 && iterations > 0)
			rc = lagr_bound(&L, iterations, &lr);
		rc = rc < 0 ? rc : 0;
		*bound = fmin(b, lr) * (1.0 + ROUND_UP);
	}
	lagr_free(&L);
	if (optimal)
		*optimal = rc == 0 && proven;
	return rc;
}

int cover_bound(const struct cover_model *m, size_t p, const uint8_t *mask,
		const uint32_t *open, size_t nopen, int iterations, double *bound)
{
	return cover_bound_proof(m, p, mask, open, nopen, iterations, bound, NULL);
}
