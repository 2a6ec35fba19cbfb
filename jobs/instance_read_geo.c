/* The readers for instances given as coordinates: plain points (a demand CSV `x,y,weight`
 * and a candidate CSV `x,y[,fixed,capacity,cost,radius]`) and the Cordeau-Furini-Ljubić
 * benchmark format (`NF NC`, then `F j x y cost` and `C i x y demand` lines). Coverage is
 * the Euclidean radius, found with geo/grid_index (never a dense matrix). Reads only. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "geo/grid_index.h"
#include "jobs/instance_read_priv.h"
#include "util/sort.h"

/* ---- coverage from coordinates ---- */

struct pairs {
	uint64_t *p;                  /* sort_key_dist(distance, demand point) */
	uint64_t *tmp;                /* scratch of the sort, as long as the longest list */
	size_t n, cap, ntmp;
	double radius_m;
};

static int collect(void *user, uint32_t i, double dist_m)
{
	struct pairs *v = user;
	if (dist_m > v->radius_m)
		return 0;
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 1024;
		uint64_t *p = realloc(v->p, cap * sizeof *p);
		if (!p)
			return -ENOMEM;
		v->p = p, v->cap = cap;
	}
	v->p[v->n++] = sort_key_dist((float)dist_m, i);
	return 0;
}

/* Sorts the list that starts at start, nearest first (ties by index). */
static int sort_list(struct pairs *v, size_t start)
{
	size_t n = v->n - start;
	if (n > v->ntmp) {
		uint64_t *t = realloc(v->tmp, n * sizeof *t);
		if (!t)
			return -ENOMEM;
		v->tmp = t, v->ntmp = n;
	}
	sort_u64(v->p + start, v->tmp, n);
	return 0;
}

/* Every candidate's list, sorted nearest first, appended to *all; off[m+1]. */
static int cover_lists(const struct instance_data *d, size_t n, size_t m,
		       const double *radius_m, struct pairs *all, uint32_t *off)
{
	double cell = 0;
	for (size_t j = 0; j < m; j++)
		cell = radius_m[j] > cell ? radius_m[j] : cell;
	struct grid_index *gi = n ? grid_index_new(d->demand_xy, n, cell > 0 ? cell / 2 : 1) : NULL;
	if (n && !gi)
		return -ENOMEM;
	int rc = 0;
	for (size_t j = 0; j < m && rc == 0; j++) {
		size_t start = all->n;
		all->radius_m = radius_m[j];
		if (gi)
			rc = grid_index_radius(gi, d->cand_xy[2 * j], d->cand_xy[2 * j + 1],
					       radius_m[j], collect, all);
		if (rc == 0)
			rc = sort_list(all, start);
		if (all->n > UINT32_MAX)
			rc = -E2BIG;
		off[j + 1] = (uint32_t)all->n;
	}
	grid_index_free(gi);
	return rc;
}

int instance_cover_build(struct instance_data *d, size_t n, double *weight, size_t m,
			 uint8_t *fixed, double *capacity, const double *radius_m,
			 char *err, size_t errlen)
{
	struct pairs all = {0};
	uint32_t *off = calloc(m + 1, sizeof *off);
	int rc = off ? cover_lists(d, n, m, radius_m, &all, off) : -ENOMEM;
	if (rc == 0 && !(d->model = cover_model_new(n, m, all.n, 1)))
		rc = -ENOMEM;
	if (rc == 0) {
		struct cover_model *md = d->model;
		memcpy(md->cand_off, off, (m + 1) * sizeof *off);
		for (size_t e = 0; e < all.n; e++)
			md->cand_dem[e] = sort_key_index(all.p[e]),
			md->cand_dist_m[e] = sort_key_dist_value(all.p[e]);
		memcpy(md->weight, weight, n * sizeof *weight);
		memcpy(md->residents, weight, n * sizeof *weight);
		memcpy(md->fixed, fixed, m);
		md->cand_capacity = capacity;
		capacity = NULL;
		rc = cover_model_transpose(md);
	}
	if (rc == -E2BIG)
		snprintf(err, errlen, "more than %u coverage pairs: use a smaller radius",
			 UINT32_MAX);
	else if (rc < 0)
		snprintf(err, errlen, "out of memory building the coverage (%zu pairs so far)",
			 all.n);
	free(all.p);
	free(all.tmp);
	free(off);
	free(weight);
	free(fixed);
	free(capacity);
	return rc < 0 ? rc : 0;
}

/* ---- growable columns ---- */

struct column { double *v; size_t n, cap; };

static int col_push(struct column *c, double x)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		double *v = realloc(c->v, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		c->v = v, c->cap = cap;
	}
	c->v[c->n++] = x;
	return 0;
}

/* ---- the points format ---- */

enum { COL_X, COL_Y, COL_WEIGHT, COL_FIXED, COL_CAPACITY, COL_COST, COL_RADIUS, NCOL };
static const char *const col_names[NCOL] = {"x", "y", "weight", "fixed", "capacity", "cost",
					    "radius"};

struct csv {
	struct line_reader lr;
	int where[NCOL];              /* field index of each known column, -1 = absent */
	struct column col[NCOL];
};

/* The header: the known columns by name (case-insensitive), others ignored; `need` are
 * required, `allowed` may appear. */
static int csv_header(struct csv *c, unsigned need, unsigned allowed, char *err, size_t errlen)
{
	int rc = lr_next(&c->lr, ",", err, errlen);
	if (rc == 0) {
		snprintf(err, errlen, "%s: empty file (a header line is required)", c->lr.path);
		return -EINVAL;
	}
	for (int k = 0; k < NCOL; k++)
		c->where[k] = -1;
	for (size_t t = 0; rc > 0 && t < c->lr.ntok; t++)
		for (int k = 0; k < NCOL; k++)
			if ((allowed >> k & 1) && strcasecmp(c->lr.tok[t], col_names[k]) == 0) {
				if (c->where[k] >= 0)
					return lr_fail(&c->lr, err, errlen, "header: column %s "
						       "twice", col_names[k]);
				c->where[k] = (int)t;
			}
	for (int k = 0; rc > 0 && k < NCOL; k++)
		if ((need >> k & 1) && c->where[k] < 0)
			return lr_fail(&c->lr, err, errlen, "header: no column \"%s\" (the "
				       "header line is required)", col_names[k]);
	return rc < 0 ? rc : 0;
}

/* One data row; empty optional fields take def[k] (NAN: the column's default later). */
static int csv_row(struct csv *c, unsigned need, char *err, size_t errlen)
{
	struct line_reader *lr = &c->lr;
	for (int k = 0; k < NCOL; k++) {
		if (c->where[k] < 0)
			continue;
		if ((size_t)c->where[k] >= lr->ntok)
			return lr_fail(lr, err, errlen, "%s: missing (%zu fields)", col_names[k],
				       lr->ntok);
		const char *t = lr->tok[c->where[k]];
		double v = NAN;
		int rc = 0;
		if (*t == '\0' && (need >> k & 1))
			return lr_fail(lr, err, errlen, "%s: empty", col_names[k]);
		if (*t != '\0')
			rc = lr_double(lr, t, col_names[k], k >= COL_WEIGHT, &v, err, errlen);
		if (rc == 0 && k == COL_FIXED && *t && v != 0 && v != 1)
			rc = lr_fail(lr, err, errlen, "fixed: %s is not 0 or 1", t);
		if (rc == 0 && k == COL_RADIUS && *t && v <= 0)
			rc = lr_fail(lr, err, errlen, "radius: %s is not positive", t);
		if (rc == 0 && (rc = col_push(&c->col[k], v)) < 0)
			snprintf(err, errlen, "out of memory");
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int csv_read(struct csv *c, const char *path, unsigned need, unsigned allowed,
		    char *err, size_t errlen)
{
	int rc = lr_open(&c->lr, path, err, errlen);
	if (rc == 0)
		rc = csv_header(c, need, allowed, err, errlen);
	while (rc == 0 && (rc = lr_next(&c->lr, ",", err, errlen)) > 0)
		rc = csv_row(c, need, err, errlen);
	return rc;
}

static void csv_free(struct csv *c)
{
	lr_close(&c->lr);
	for (int k = 0; k < NCOL; k++)
		free(c->col[k].v);
}

static double *interleave(const struct column *x, const struct column *y)
{
	double *xy = malloc((2 * x->n + 1) * sizeof *xy);
	for (size_t i = 0; xy && i < x->n; i++)
		xy[2 * i] = x->v[i], xy[2 * i + 1] = y->v[i];
	return xy;
}

/* Candidate columns into fixed, capacity (empty = unlimited), cost, radius. */
static int cand_arrays(struct csv *c, double radius_m, struct instance_data *d,
		       uint8_t **fixed, double **capacity, double **radius, char *err,
		       size_t errlen)
{
	size_t m = c->col[COL_X].n;
	*fixed = calloc(m + 1, 1);
	*radius = malloc((m + 1) * sizeof **radius);
	if (c->where[COL_CAPACITY] >= 0)
		*capacity = malloc((m + 1) * sizeof **capacity);
	if (c->where[COL_COST] >= 0)
		d->cand_cost = calloc(m + 1, sizeof *d->cand_cost);
	if (!*fixed || !*radius || (c->where[COL_CAPACITY] >= 0 && !*capacity) ||
	    (c->where[COL_COST] >= 0 && !d->cand_cost)) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (size_t j = 0; j < m; j++) {
		double r = c->where[COL_RADIUS] >= 0 ? c->col[COL_RADIUS].v[j] : NAN;
		if (isnan(r) && radius_m <= 0) {
			snprintf(err, errlen, "%s: candidate %zu has no radius: give a radius column "
				 "or --radius", c->lr.path, j);
			return -EINVAL;
		}
		(*radius)[j] = isnan(r) ? radius_m : r;
		if (c->where[COL_FIXED] >= 0)
			(*fixed)[j] = c->col[COL_FIXED].v[j] == 1;
		if (*capacity)
			(*capacity)[j] = isnan(c->col[COL_CAPACITY].v[j]) ? INFINITY
					 : c->col[COL_CAPACITY].v[j];
		if (d->cand_cost)
			d->cand_cost[j] = isnan(c->col[COL_COST].v[j]) ? 0 : c->col[COL_COST].v[j];
	}
	d->has_capacity = *capacity != NULL;
	return 0;
}

static double total(const double *v, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += v[i];
	return s;
}

int instance_read_points(const char *demand_path, const char *cand_path, double radius_m,
			 struct instance_data *d, char *err, size_t errlen)
{
	struct csv dem = {0}, cand = {0};
	uint8_t *fixed = NULL;
	double *capacity = NULL, *radius = NULL, *weight = NULL;
	const unsigned dneed = 1u << COL_X | 1u << COL_Y | 1u << COL_WEIGHT;
	const unsigned cneed = 1u << COL_X | 1u << COL_Y;
	const unsigned callow = cneed | 1u << COL_FIXED | 1u << COL_CAPACITY | 1u << COL_COST |
				1u << COL_RADIUS;
	int rc = csv_read(&dem, demand_path, dneed, dneed, err, errlen);
	if (rc == 0)
		rc = csv_read(&cand, cand_path, cneed, callow, err, errlen);
	if (rc == 0 && (!(d->demand_xy = interleave(&dem.col[COL_X], &dem.col[COL_Y])) ||
			!(d->cand_xy = interleave(&cand.col[COL_X], &cand.col[COL_Y])))) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
	}
	if (rc == 0)
		rc = cand_arrays(&cand, radius_m, d, &fixed, &capacity, &radius, err, errlen);
	for (size_t j = 0; rc == 0 && capacity && j < cand.col[COL_X].n; j++)
		if (isinf(capacity[j]))       /* empty: unlimited, i.e. more than all demand */
			capacity[j] = 1 + total(dem.col[COL_WEIGHT].v, dem.col[COL_WEIGHT].n);
	if (rc == 0) {
		weight = dem.col[COL_WEIGHT].v;
		dem.col[COL_WEIGHT].v = NULL;
		rc = instance_cover_build(d, dem.col[COL_X].n, weight, cand.col[COL_X].n, fixed,
					  capacity, radius, err, errlen);
		fixed = NULL, capacity = NULL;
	}
	free(fixed);
	free(capacity);
	free(radius);
	csv_free(&dem);
	csv_free(&cand);
	return rc;
}

/* ---- the Cordeau-Furini-Ljubić format ---- */

struct cfl_side {
	const char *what;             /* "facility", "customer" */
	size_t n, count;              /* from the first line; lines read */
	double *xy, *value;           /* [2 (n+1)], [n+1]: slots 0..n, see cfl_base */
	uint8_t *seen;                /* [n+1] */
};

static int cfl_side_new(struct cfl_side *s, const char *what, size_t n)
{
	s->what = what, s->n = n;
	s->xy = malloc(2 * (n + 1) * sizeof *s->xy);
	s->value = malloc((n + 1) * sizeof *s->value);
	s->seen = calloc(n + 1, 1);
	return s->xy && s->value && s->seen ? 0 : -ENOMEM;
}

static void cfl_side_free(struct cfl_side *s)
{
	free(s->xy);
	free(s->value);
	free(s->seen);
}

/* `F j x y cost` or `C i x y demand`; index j in 0..n (the base is settled at the end). */
static int cfl_line(struct line_reader *lr, struct cfl_side *s, const char *vname,
		    char *err, size_t errlen)
{
	uint64_t j;
	double x, y, v;
	if (lr->ntok != 5)
		return lr_fail(lr, err, errlen, "%c: %zu fields, expected 5 (%c index x y %s)",
			       lr->tok[0][0], lr->ntok, lr->tok[0][0], vname);
	if (s->count == s->n)
		return lr_fail(lr, err, errlen, "%c: more than the %zu %s lines of the first "
			       "line", lr->tok[0][0], s->n, s->what);
	int rc = lr_index(lr, lr->tok[1], "index", (uint64_t)s->n + 1, &j, err, errlen);
	if (rc == 0 && s->seen[j])
		return lr_fail(lr, err, errlen, "index: %s %llu appears twice", s->what,
			       (unsigned long long)j);
	if (rc == 0)
		rc = lr_double(lr, lr->tok[2], "x", 0, &x, err, errlen);
	if (rc == 0)
		rc = lr_double(lr, lr->tok[3], "y", 0, &y, err, errlen);
	if (rc == 0)
		rc = lr_double(lr, lr->tok[4], vname, 1, &v, err, errlen);
	if (rc < 0)
		return rc;
	s->seen[j] = 1;
	s->xy[2 * j] = x, s->xy[2 * j + 1] = y, s->value[j] = v;
	s->count++;
	return 0;
}

/* Indices run 0..n-1 or 1..n: exactly one of the n+1 slots is empty, the first or the
 * last. Returns the base (0 or 1) or -EINVAL with err. */
static int cfl_base(const char *path, const struct cfl_side *s, char *err, size_t errlen)
{
	if (s->count < s->n) {
		snprintf(err, errlen, "%s: truncated or wrong count: %zu %s lines, the first line "
			 "says %zu", path, s->count, s->what, s->n);
		return -EINVAL;
	}
	if (s->n == 0 || !s->seen[s->n])
		return 0;
	if (!s->seen[0])
		return 1;
	for (size_t j = 1; j < s->n; j++)
		if (!s->seen[j]) {
			snprintf(err, errlen, "%s: %s %zu is missing (indices run 0..%zu or 1..%zu)",
				 path, s->what, j, s->n - 1, s->n);
			break;
		}
	return -EINVAL;
}

static int cfl_first(struct line_reader *lr, struct cfl_side *f, struct cfl_side *c,
		     char *err, size_t errlen)
{
	uint64_t nf, nc;
	int rc = lr_next(lr, NULL, err, errlen);
	if (rc == 0) {
		snprintf(err, errlen, "%s: empty file", lr->path);
		return -EINVAL;
	}
	if (rc > 0 && lr->ntok != 2)
		return lr_fail(lr, err, errlen, "first line: %zu fields, expected 2 (facilities "
			       "customers)", lr->ntok);
	if (rc > 0 && (rc = lr_index(lr, lr->tok[0], "facilities", UINT32_MAX, &nf, err,
				     errlen)) == 0)
		rc = lr_index(lr, lr->tok[1], "customers", UINT32_MAX, &nc, err, errlen);
	if (rc == 0 && (cfl_side_new(f, "facility", nf) < 0 ||
			cfl_side_new(c, "customer", nc) < 0)) {
		snprintf(err, errlen, "out of memory for %llu customers", (unsigned long long)nc);
		rc = -ENOMEM;
	}
	return rc < 0 ? rc : 0;
}

static int cfl_take(struct instance_data *d, struct cfl_side *f, struct cfl_side *c,
		    int fbase, int cbase, double radius_m, char *err, size_t errlen)
{
	double *radius = malloc((f->n + 1) * sizeof *radius);
	uint8_t *fixed = calloc(f->n + 1, 1);
	double *weight = malloc((c->n + 1) * sizeof *weight);
	if (!radius || !fixed || !weight) {
		free(radius), free(fixed), free(weight);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	d->demand_xy = c->xy, d->cand_xy = f->xy, d->cand_cost = f->value;
	memmove(d->demand_xy, d->demand_xy + 2 * cbase, 2 * c->n * sizeof *d->demand_xy);
	memmove(d->cand_xy, d->cand_xy + 2 * fbase, 2 * f->n * sizeof *d->cand_xy);
	memmove(d->cand_cost, d->cand_cost + fbase, f->n * sizeof *d->cand_cost);
	memcpy(weight, c->value + cbase, c->n * sizeof *weight);
	c->xy = f->xy = f->value = NULL;
	for (size_t j = 0; j < f->n; j++)
		radius[j] = radius_m;
	int rc = instance_cover_build(d, c->n, weight, f->n, fixed, NULL, radius, err, errlen);
	free(radius);
	return rc;
}

int instance_read_cfl(const char *path, double radius_m, struct instance_data *d,
		      char *err, size_t errlen)
{
	struct line_reader lr;
	struct cfl_side f = {0}, c = {0};
	int fbase = 0, cbase = 0;
	if (radius_m <= 0) {
		snprintf(err, errlen, "%s: the cfl format needs --radius", path);
		return -EINVAL;
	}
	int rc = lr_open(&lr, path, err, errlen);
	if (rc == 0)
		rc = cfl_first(&lr, &f, &c, err, errlen);
	while (rc == 0 && (rc = lr_next(&lr, NULL, err, errlen)) > 0) {
		if (strcmp(lr.tok[0], "F") == 0)
			rc = cfl_line(&lr, &f, "cost", err, errlen);
		else if (strcmp(lr.tok[0], "C") == 0)
			rc = cfl_line(&lr, &c, "demand", err, errlen);
		else
			rc = lr_fail(&lr, err, errlen, "unknown line type \"%s\" (F or C)",
				     lr.tok[0]);
	}
	if (rc == 0 && (fbase = cfl_base(path, &f, err, errlen)) < 0)
		rc = fbase;
	if (rc == 0 && (cbase = cfl_base(path, &c, err, errlen)) < 0)
		rc = cbase;
	if (rc == 0)
		rc = cfl_take(d, &f, &c, fbase, cbase, radius_m, err, errlen);
	lr_close(&lr);
	cfl_side_free(&f);
	cfl_side_free(&c);
	return rc;
}
