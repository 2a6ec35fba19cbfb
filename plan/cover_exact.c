/* The exact modes (cover_exact.h): aggregate the model, shrink the MIP (points a fixed site
 * covers are constant, points one candidate covers move their weight onto that candidate's
 * x), load it into CBC as one sparse column matrix, warm-start and solve it silently: at
 * most p sites maximising weight (budget), or the fewest sites reaching a weight (target).
 * The only file that uses CBC; it never prints, and never changes the model it is given. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <Cbc_C_Interface.h>

#include "plan/cover_aggregate.h"
#include "plan/cover_exact.h"
#include "plan/cover_priv.h"

/* Which problem the last row states: sum x_j <= p (budget: objective -weight, CBC
 * minimises) or covered weight >= a need (target: objective the number of free sites). */
enum mip_kind { MIP_BUDGET, MIP_TARGET };

/* The MIP on the aggregated model a: columns 0..ncand-1 are x, then one y per class in
 * rows (row_of[k] = its row and y column offset, or -1 when it needs no row); gain is the
 * weight each column adds to the covered weight. */
struct mip {
	const struct cover_model *a;
	int *row_of;
	int nrows;          /* y rows (the budget or cover row is number nrows) */
	double constant;    /* weight covered by the fixed sites */
	double reachable;   /* weight any candidate reaches: an upper bound */
	double *gain, *obj; /* [ncand + nrows] */
	CoinBigIndex *start;
	int *index;
	double *value, *collb, *colub, *rowlb, *rowub;
};

static void mip_free(struct mip *x)
{
	free(x->row_of);
	free(x->gain);
	free(x->obj);
	free(x->start);
	free(x->index);
	free(x->value);
	free(x->collb);
	free(x->colub);
	free(x->rowlb);
	free(x->rowub);
}

/* Classifies the classes: covered by a fixed site (constant), by one candidate (weight on
 * its x's gain) or by several (a y and a row). */
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
			x->gain[a->dem_cand[lo]] += a->weight[k];
		else
			x->row_of[k] = x->nrows++;
	}
}

/* Fills the column matrix: x_j has -1 in the row of every class it covers and in the last
 * row 1 (budget: limit = p) or its gain (target: limit = the weight to cover); y_k has 1 in
 * its row and, in target mode, its weight in the last row. */
static void mip_matrix(struct mip *x, enum mip_kind kind, double limit)
{
	const struct cover_model *a = x->a;
	size_t ncol = a->ncand + (size_t)x->nrows, q = 0;
	for (uint32_t j = 0; j < a->ncand; j++) {
		double last = kind == MIP_BUDGET ? 1 : x->gain[j];
		x->start[j] = (CoinBigIndex)q;
		for (uint32_t r = a->cand_off[j]; r < a->cand_off[j + 1]; r++)
			if (x->row_of[a->cand_dem[r]] >= 0) {
				x->index[q] = x->row_of[a->cand_dem[r]];
				x->value[q++] = -1;
			}
		if (last != 0) {
			x->index[q] = x->nrows;
			x->value[q++] = last;
		}
		x->obj[j] = kind == MIP_BUDGET ? -x->gain[j] : a->fixed[j] ? 0 : 1;
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
		if (kind == MIP_TARGET) {
			x->index[q] = x->nrows;
			x->value[q++] = a->weight[k];
		}
		x->gain[c] = a->weight[k];
		x->obj[c] = kind == MIP_BUDGET ? -a->weight[k] : 0;
		x->collb[c] = 0;
		x->colub[c] = 1;
	}
	x->start[ncol] = (CoinBigIndex)q;
	for (int r = 0; r < x->nrows; r++)
		x->rowlb[r] = -DBL_MAX, x->rowub[r] = 0;
	x->rowlb[x->nrows] = kind == MIP_BUDGET ? -DBL_MAX : limit - x->constant;
	x->rowub[x->nrows] = kind == MIP_BUDGET ? limit : DBL_MAX;
}

static int mip_build(struct mip *x, const struct cover_model *a, enum mip_kind kind,
		     double limit)
{
	size_t maxcol = a->ncand + a->ndemand, nz = a->ncand + a->nnz + 2 * a->ndemand;
	if (maxcol >= INT32_MAX || nz >= INT32_MAX)
		return -EINVAL;
	x->a = a;
	x->row_of = malloc((a->ndemand ? a->ndemand : 1) * sizeof *x->row_of);
	x->gain = calloc(maxcol + 1, sizeof *x->gain);
	x->obj = calloc(maxcol + 1, sizeof *x->obj);
	x->start = malloc((maxcol + 1) * sizeof *x->start);
	x->index = malloc((nz + 1) * sizeof *x->index);
	x->value = malloc((nz + 1) * sizeof *x->value);
	x->collb = malloc((maxcol + 1) * sizeof *x->collb);
	x->colub = malloc((maxcol + 1) * sizeof *x->colub);
	x->rowlb = malloc((a->ndemand + 1) * sizeof *x->rowlb);
	x->rowub = malloc((a->ndemand + 1) * sizeof *x->rowub);
	if (!x->row_of || !x->gain || !x->obj || !x->start || !x->index || !x->value ||
	    !x->collb || !x->colub || !x->rowlb || !x->rowub)
		return -ENOMEM;
	mip_classify(x);
	mip_matrix(x, kind, limit);
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
			x->colub, x->obj, x->rowlb, x->rowub);
	for (uint32_t j = 0; j < a->ncand; j++)
		Cbc_setInteger(cbc, (int)j);
	Cbc_setLogLevel(cbc, 0);
	Cbc_setParameter(cbc, "slogLevel", "0"); /* Clp's presolve notes ("Coin0505I") */
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
	int proven = 1, rc = mip_build(&x, a, MIP_BUDGET, (double)p);
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

/* ---- target mode ---- */

/* Marks the classes site j covers in cov[] and returns the weight it newly covers (only
 * counts it when mark is 0). */
static double site_gain(const struct cover_model *a, uint32_t j, uint8_t *cov, int mark)
{
	double g = 0;
	for (uint32_t r = a->cand_off[j]; r < a->cand_off[j + 1]; r++) {
		uint32_t k = a->cand_dem[r];
		if (!cov[k])
			g += a->weight[k];
		if (mark)
			cov[k] = 1;
	}
	return g;
}

/* Opens sites in open[] by lazy greedy (most newly covered weight first, lower index on
 * ties) until the sites cover need on a (which must be reachable). *added: how many. */
static int complete_greedy(const struct cover_model *a, double need, uint8_t *open,
			   size_t *added)
{
	uint8_t *cov = calloc(a->ndemand + 1, 1);
	struct cover_heap_item *it = malloc((a->ncand + 1) * sizeof *it);
	struct cover_heap h;
	double covered = 0;
	size_t n = 0;
	*added = 0;
	if (!cov || !it)
		return free(cov), free(it), -ENOMEM;
	for (uint32_t j = 0; j < a->ncand; j++)
		if (open[j])
			covered += site_gain(a, j, cov, 1);
	for (uint32_t j = 0; j < a->ncand && covered < need; j++)
		if (!open[j])
			it[n++] = (struct cover_heap_item){site_gain(a, j, cov, 0), j, j, 0};
	cover_heap_build(&h, it, n);
	while (covered < need && h.n > 0) {
		struct cover_heap_item *top = &h.it[0];
		if (top->stamp != *added) {
			top->key = site_gain(a, top->cand, cov, 0);
			top->stamp = (uint32_t)*added;
			cover_heap_fix_top(&h);
			continue;
		}
		covered += site_gain(a, top->cand, cov, 1);
		open[top->cand] = 1;
		++*added;
		cover_heap_pop(&h);
	}
	free(cov);
	free(it);
	return 0;
}

/* The weight the share asks for, less a relative 1e-9 for rounding; -EINVAL when the
 * candidates of a (the aggregated m) reach less. */
static int target_need(const struct cover_model *m, const struct cover_model *a, double share,
		       double *need, char *err, size_t errlen)
{
	double total = 0, reach = 0;
	for (size_t i = 0; i < m->ndemand; i++)
		total += m->weight[i];
	for (size_t k = 0; k < a->ndemand; k++)
		reach += a->weight[k];
	*need = share * total - 1e-9 * fmax(1, total);
	if (*need <= reach)
		return 0;
	snprintf(err, errlen, "exact: a share of %.6g %% is weight %.6g, but the candidates reach "
		 "only %.6g (%.6g %%)", 100 * share, share * total, reach, 100 * reach / total);
	return -EINVAL;
}

/* Fills out from the sites open[] and CBC's lower bound (bound_min: free sites). The
 * count is whole, so the bound rounds up; a closed search (and no site added after it)
 * proves the count. */
static int target_finish(const struct cover_model *m, const struct mip *x, double need,
			 const uint8_t *open, double bound_min, int proven,
			 struct cover_exact_result *out)
{
	size_t nfixed = 0, lo;
	int rc = set_open(out, m, open);
	if (rc < 0)
		return rc;
	out->covered_weight = cover_weight(m, out->open, out->nopen, NULL);
	if (isnan(out->covered_weight))
		return -ENOMEM;
	for (size_t j = 0; j < m->ncand; j++)
		nfixed += m->fixed[j] != 0;
	lo = nfixed + (x->constant < need);
	if (bound_min > 1e-6 && bound_min < (double)m->ncand &&
	    nfixed + (size_t)ceil(bound_min - 1e-6) > lo)
		lo = nfixed + (size_t)ceil(bound_min - 1e-6);
	if (proven || lo > out->nopen)
		lo = out->nopen;
	out->sites_bound = lo;
	out->optimal = lo == out->nopen;
	return 0;
}

/* The fixed sites may suffice (nothing to choose); else a greedy-completed start and CBC,
 * then the greedy again in case CBC's tolerances left the cover a hair short. */
static int target_solve(const struct cover_model *m, const struct cover_model *a, double need,
			uint8_t *open, double limit_s, struct cover_exact_result *out,
			char *err, size_t errlen)
{
	struct mip x = {0};
	double bound_min = 0, obj_min;
	size_t added = 0, count = 0;
	int proven = 1, rc = mip_build(&x, a, MIP_TARGET, need);
	if (rc == -EINVAL)
		snprintf(err, errlen, "exact: the model is too large for CBC's 32-bit indices");
	if (rc == 0 && x.constant >= need) {
		memcpy(open, a->fixed, a->ncand);
	} else if (rc == 0 && (rc = complete_greedy(a, need, open, &added)) == 0) {
		for (size_t j = 0; j < a->ncand; j++)
			count += open[j];
		rc = run_cbc(&x, count, limit_s, open, &bound_min, &obj_min, &proven, err,
			     errlen);
		if (rc == 0 && (rc = complete_greedy(a, need, open, &added)) == 0 && added)
			proven = 0;
	}
	if (rc == 0)
		rc = target_finish(m, &x, need, open, bound_min, proven, out);
	mip_free(&x);
	return rc;
}

int cover_exact_target(const struct cover_model *m, double share, const uint32_t *warm_open,
		       size_t nwarm, double time_limit_s, struct cover_exact_result *out,
		       char *err, size_t errlen)
{
	double t0 = cover_now(), need = 0;
	struct cover_model *a = NULL;
	uint8_t *open = NULL;
	size_t count = 0;
	int rc;
	memset(out, 0, sizeof *out);
	if (!(share >= 0 && share <= 1)) {
		snprintf(err, errlen, "exact: share %g outside 0..1", share);
		return -EINVAL;
	}
	open = malloc(m->ncand ? m->ncand : 1);
	if (!open)
		return snprintf(err, errlen, "exact: out of memory"), -ENOMEM;
	rc = start_set(m, m->ncand, warm_open, nwarm, open, &count, err, errlen);
	if (rc == 0 && (rc = cover_aggregate(m, &a, NULL)) < 0)
		snprintf(err, errlen, rc == -EINVAL ? "exact: the model has no transpose"
						    : "exact: out of memory");
	if (rc == 0)
		rc = target_need(m, a, share, &need, err, errlen);
	if (rc == 0) {
		double left = time_limit_s > 0 ? fmax(0.01, time_limit_s - (cover_now() - t0)) : 0;
		rc = target_solve(m, a, need, open, left, out, err, errlen);
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
