/* The exact mode (cover_exact.h): aggregates the model, shrinks the MIP (points a fixed site
 * covers are constant, points one candidate covers move their weight onto that candidate's
 * x), loads it into CBC as one sparse column matrix, warm-starts and solves it silently.
 * The only file that uses CBC; it never prints, and never changes the model it is given. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <Cbc_C_Interface.h>

#include "plan/cover_aggregate.h"
#include "plan/cover_exact.h"
#include "plan/cover_priv.h"

/* The MIP on the aggregated model a: columns 0..ncand-1 are x, then one y per class in
 * rows (row_of[k] = its row and y column offset, or -1 when it needs no row). Objective
 * minimised (CBC's sense): -weight. */
struct mip {
	const struct cover_model *a;
	int *row_of;
	int nrows;          /* y rows (the budget row is number nrows) */
	double constant;    /* weight covered by the fixed sites */
	double reachable;   /* weight any candidate reaches: an upper bound */
	double *obj;        /* [ncand + nrows] */
	CoinBigIndex *start;
	int *index;
	double *value, *collb, *colub, *rowub;
};

static void mip_free(struct mip *x)
{
	free(x->row_of);
	free(x->obj);
	free(x->start);
	free(x->index);
	free(x->value);
	free(x->collb);
	free(x->colub);
	free(x->rowub);
}

/* Classifies the classes: covered by a fixed site (constant), by one candidate (weight on
 * its x) or by several (a y and a row). */
static void mip_classify(struct mip *x)
{
	const struct cover_model *a = x->a;
	for (uint32_t k = 0; k < a->ndemand; k++) {
		uint32_t lo = a->dem_off[k], hi = a->dem_off[k + 1];
		int fixed = 0;
		for (uint32_t r = lo; r < hi; r++)
			fixed |= a->fixed[a->dem_cand[r]] != 0;
		x->reachable += a->weight[k];
		x->row_of[k] = -1;
		if (fixed)
			x->constant += a->weight[k];
		else if (hi - lo == 1)
			x->obj[a->dem_cand[lo]] -= a->weight[k];
		else
			x->row_of[k] = x->nrows++;
	}
}

/* Fills the column matrix: x_j has -1 in the row of every class it covers and 1 in the
 * budget row; y_k has 1 in its row. */
static void mip_matrix(struct mip *x, size_t p)
{
	const struct cover_model *a = x->a;
	size_t ncol = a->ncand + (size_t)x->nrows, q = 0;
	for (uint32_t j = 0; j < a->ncand; j++) {
		x->start[j] = (CoinBigIndex)q;
		for (uint32_t r = a->cand_off[j]; r < a->cand_off[j + 1]; r++)
			if (x->row_of[a->cand_dem[r]] >= 0) {
				x->index[q] = x->row_of[a->cand_dem[r]];
				x->value[q++] = -1;
			}
		x->index[q] = x->nrows;
		x->value[q++] = 1;
		x->collb[j] = a->fixed[j] ? 1 : 0;
		x->colub[j] = 1;
	}
	for (uint32_t k = 0; k < a->ndemand; k++) {
		int r = x->row_of[k];
		if (r < 0)
			continue;
		size_t c = a->ncand + (size_t)r;
		x->start[c] = (CoinBigIndex)q;
		x->index[q] = r;
		x->value[q++] = 1;
		x->obj[c] = -a->weight[k];
		x->collb[c] = 0;
		x->colub[c] = 1;
	}
	x->start[ncol] = (CoinBigIndex)q;
	for (int r = 0; r < x->nrows; r++)
		x->rowub[r] = 0;
	x->rowub[x->nrows] = (double)p;
}

static int mip_build(struct mip *x, const struct cover_model *a, size_t p)
{
	size_t maxcol = a->ncand + a->ndemand, nz = a->ncand + a->nnz + a->ndemand;
	if (maxcol >= INT32_MAX || nz >= INT32_MAX)
		return -EINVAL;
	x->a = a;
	x->row_of = malloc((a->ndemand ? a->ndemand : 1) * sizeof *x->row_of);
	x->obj = calloc(maxcol + 1, sizeof *x->obj);
	x->start = malloc((maxcol + 1) * sizeof *x->start);
	x->index = malloc((nz + 1) * sizeof *x->index);
	x->value = malloc((nz + 1) * sizeof *x->value);
	x->collb = malloc((maxcol + 1) * sizeof *x->collb);
	x->colub = malloc((maxcol + 1) * sizeof *x->colub);
	x->rowub = malloc((a->ndemand + 1) * sizeof *x->rowub);
	if (!x->row_of || !x->obj || !x->start || !x->index || !x->value || !x->collb ||
	    !x->colub || !x->rowub)
		return -ENOMEM;
	mip_classify(x);
	mip_matrix(x, p);
	return 0;
}

/* The sites to report: fixed first, then the others in increasing index. */
static int set_open(struct cover_exact_result *out, const struct cover_model *m,
		    const uint8_t *open)
{
	out->nopen = 0;
	out->open = malloc((m->ncand ? m->ncand : 1) * sizeof *out->open);
	if (!out->open)
		return -ENOMEM;
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t j = 0; j < m->ncand; j++)
			if (open[j] && (m->fixed[j] != 0) == (pass == 0))
				out->open[out->nopen++] = j;
	return 0;
}

/* The start: fixed sites and warm_open; -EINVAL when it has more than p sites. */
static int start_set(const struct cover_model *m, size_t p, const uint32_t *warm, size_t nwarm,
		     uint8_t *open, size_t *count, char *err, size_t errlen)
{
	size_t n = 0;
	for (size_t j = 0; j < m->ncand; j++)
		n += (open[j] = m->fixed[j] != 0);
	for (size_t k = 0; k < nwarm; k++) {
		if (warm[k] >= m->ncand) {
			snprintf(err, errlen, "exact: warm start site %u out of range (%zu candidates)",
				 (unsigned)warm[k], m->ncand);
			return -EINVAL;
		}
		n += !open[warm[k]];
		open[warm[k]] = 1;
	}
	if (n > p) {
		snprintf(err, errlen, "exact: the warm start opens %zu sites with its fixed ones, "
			 "more than p = %zu", n, p);
		return -EINVAL;
	}
	*count = n;
	return 0;
}

/* Passes the start to CBC as a full solution: x_j = 1 for the start's sites, y_k = 1 for
 * the classes they cover. (CBC's named MIP start runs a sub-search that can take longer
 * than the whole solve, and needs names for columns its preprocessing adds.) */
static int give_start(Cbc_Model *cbc, const struct mip *x, const uint8_t *open,
		      double *obj_min)
{
	const struct cover_model *a = x->a;
	double *sol = calloc(a->ncand + (size_t)x->nrows, sizeof *sol);
	if (!sol)
		return -ENOMEM;
	for (uint32_t j = 0; j < a->ncand; j++) {
		if (!open[j])
			continue;
		sol[j] = 1;
		for (uint32_t r = a->cand_off[j]; r < a->cand_off[j + 1]; r++)
			if (x->row_of[a->cand_dem[r]] >= 0)
				sol[a->ncand + (size_t)x->row_of[a->cand_dem[r]]] = 1;
	}
	*obj_min = 0;
	for (size_t c = 0; c < a->ncand + (size_t)x->nrows; c++)
		*obj_min += x->obj[c] * sol[c];
	Cbc_setInitialSolution(cbc, sol);
	free(sol);
	return 0;
}

/* Runs CBC on x; on success open[] holds its best solution (or stays the start when it
 * found none better) and *bound_min its best possible objective (minimised sense). */
static int run_cbc(struct mip *x, size_t count, double limit_s, uint8_t *open,
		   double *bound_min, double *obj_min, int *proven, char *err, size_t errlen)
{
	const struct cover_model *a = x->a;
	int ncol = (int)a->ncand + x->nrows, rc = 0;
	double start_min = INFINITY;
	Cbc_Model *cbc = Cbc_newModel();
	if (!cbc)
		return -ENOMEM;
	Cbc_loadProblem(cbc, ncol, x->nrows + 1, x->start, x->index, x->value, x->collb,
			x->colub, x->obj, NULL, x->rowub);
	for (uint32_t j = 0; j < a->ncand; j++)
		Cbc_setInteger(cbc, (int)j);
	Cbc_setLogLevel(cbc, 0);
	Cbc_setParameter(cbc, "timeMode", "elapsed");
	Cbc_setAllowableFractionGap(cbc, 1e-10);
	if (limit_s > 0) { /* CbcMain1 reads its own "seconds"; the model's limit is not enough */
		char sec[32];
		snprintf(sec, sizeof sec, "%.3f", limit_s);
		Cbc_setParameter(cbc, "seconds", sec);
		Cbc_setMaximumSeconds(cbc, limit_s);
	}
	if (count && (rc = give_start(cbc, x, open, &start_min)) < 0)
		goto done;
	Cbc_solve(cbc);
	const double *sol = Cbc_bestSolution(cbc);
	if (Cbc_isAbandoned(cbc) || Cbc_isProvenInfeasible(cbc)) {
		snprintf(err, errlen, "exact: CBC %s (status %d, secondary %d)",
			 Cbc_isAbandoned(cbc) ? "gave up on numerical difficulties"
					      : "found the model infeasible",
			 Cbc_status(cbc), Cbc_secondaryStatus(cbc));
		rc = -EIO;
		goto done;
	}
	if (sol && Cbc_getObjValue(cbc) > start_min + 1e-9 * (1 + fabs(start_min)))
		sol = NULL; /* CBC refused the start and found nothing as good: keep it */
	if (sol)
		for (uint32_t j = 0; j < a->ncand; j++)
			open[j] = sol[j] > 0.5;
	*bound_min = Cbc_getBestPossibleObjValue(cbc);
	*obj_min = sol ? Cbc_getObjValue(cbc) : INFINITY;
	*proven = Cbc_isProvenOptimal(cbc) && sol;
done:
	Cbc_deleteModel(cbc);
	return rc;
}

/* Fills out from the sites open[] and CBC's bound and objective (in the minimised sense).
 * When CBC has closed its search tree its last bound may be stale (or rounded by its
 * objective increment): the proof is the search, so the bound is the optimum then, as long
 * as CBC's objective is our covered weight within its tolerances. */
static int finish(const struct cover_model *m, const struct mip *x, const uint8_t *open,
		  double bound_min, double obj_min, int proven, struct cover_exact_result *out)
{
	int rc = set_open(out, m, open);
	if (rc < 0)
		return rc;
	out->covered_weight = cover_weight(m, out->open, out->nopen, NULL);
	if (isnan(out->covered_weight))
		return -ENOMEM;
	double bound = x->constant - bound_min;
	if (!isfinite(bound) || bound > x->reachable)
		bound = x->reachable;
	if (proven && fabs(x->constant - obj_min - out->covered_weight) <=
			      1e-6 * fmax(1, out->covered_weight))
		bound = out->covered_weight;
	out->bound = fmax(bound, out->covered_weight);
	out->optimal = out->bound - out->covered_weight <= 1e-9 * fmax(1, out->covered_weight);
	return 0;
}

/* Every free site fits in the budget, or only the fixed ones do: nothing to choose, and
 * the bound is exact. Otherwise CBC. */
static int solve(const struct cover_model *m, const struct cover_model *a, size_t p,
		 uint8_t *open, size_t count, double limit_s, struct cover_exact_result *out,
		 char *err, size_t errlen)
{
	struct mip x = {0};
	size_t nfree = 0, nfixed = 0;
	double bound_min = -INFINITY, obj_min = 0; /* the bound is capped at the reachable weight */
	int proven = 1, rc = mip_build(&x, a, p);
	for (size_t j = 0; j < a->ncand; j++)
		a->fixed[j] ? nfixed++ : nfree++;
	if (rc == -EINVAL)
		snprintf(err, errlen, "exact: the model is too large for CBC's 32-bit indices");
	if (rc == 0 && nfree <= p - nfixed) {
		memset(open, 1, a->ncand);
		proven = 0; /* the bound is the reachable weight, which these sites cover */
	} else if (rc == 0 && nfixed == p) {
		memcpy(open, a->fixed, a->ncand);
		bound_min = 0;
		proven = 0; /* the bound is the constant, which the fixed sites cover */
	} else if (rc == 0) {
		rc = run_cbc(&x, count, limit_s, open, &bound_min, &obj_min, &proven, err, errlen);
	}
	if (rc == 0)
		rc = finish(m, &x, open, bound_min, obj_min, proven, out);
	mip_free(&x);
	return rc;
}

int cover_exact_budget(const struct cover_model *m, size_t p, const uint32_t *warm_open,
		       size_t nwarm, double time_limit_s, struct cover_exact_result *out,
		       char *err, size_t errlen)
{
	double t0 = cover_now();
	struct cover_model *a = NULL;
	uint8_t *open = NULL;
	size_t nfixed = 0, count = 0;
	int rc;
	memset(out, 0, sizeof *out);
	for (size_t j = 0; j < m->ncand; j++)
		nfixed += m->fixed[j] != 0;
	if (p > m->ncand || p < nfixed) {
		snprintf(err, errlen, "exact: p = %zu outside %zu (fixed sites) .. %zu (candidates)",
			 p, nfixed, m->ncand);
		return -EINVAL;
	}
	open = malloc(m->ncand ? m->ncand : 1);
	if (!open)
		return snprintf(err, errlen, "exact: out of memory"), -ENOMEM;
	rc = start_set(m, p, warm_open, nwarm, open, &count, err, errlen);
	if (rc == 0 && (rc = cover_aggregate(m, &a, NULL)) < 0)
		snprintf(err, errlen, rc == -EINVAL ? "exact: the model has no transpose"
						    : "exact: out of memory");
	if (rc == 0) {
		double left = time_limit_s > 0 ? fmax(0.01, time_limit_s - (cover_now() - t0)) : 0;
		rc = solve(m, a, p, open, count, left, out, err, errlen);
		if (rc == -ENOMEM)
			snprintf(err, errlen, "exact: out of memory");
	}
	cover_model_free(a);
	free(open);
	out->seconds = cover_now() - t0;
	return rc;
}

void cover_exact_result_free(struct cover_exact_result *r)
{
	if (!r)
		return;
	free(r->open);
	memset(r, 0, sizeof *r);
}
