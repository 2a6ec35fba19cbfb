/* The hubplanner-instance reader, the exact inverse of jobs/instance.c: header, p, sizes,
 * one `d` line per demand point and one `c` line per candidate in index order, one `a`
 * coverage list per candidate, the plan, bound and covered weight. Also the format guess
 * and the dispatch to the other readers. Reads only; solves nothing. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/instance_read_priv.h"

struct hub_state {
	struct line_reader lr;
	struct instance_data *d;
	size_t n, m, z;               /* from `sizes` */
	int have_sizes;
	size_t nd, nc, na, used;      /* lines read so far; pairs used */
	uint32_t maxgroup;
	uint8_t *seen;                /* [n] marks for duplicate points in one `a` line */
};

static int want_fields(struct hub_state *s, size_t k, const char *what, char *err,
		       size_t errlen)
{
	if (s->lr.ntok != k)
		return lr_fail(&s->lr, err, errlen, "%s: %zu fields, expected %zu", what,
			       s->lr.ntok, k);
	return 0;
}

static int read_sizes(struct hub_state *s, char *err, size_t errlen)
{
	uint64_t v[3];
	const char *names[3] = {"sizes demand points", "sizes candidates", "sizes pairs"};
	int rc = want_fields(s, 4, "sizes", err, errlen);
	if (s->have_sizes)
		return lr_fail(&s->lr, err, errlen, "sizes: a second `sizes` line");
	for (int k = 0; k < 3 && rc == 0; k++)
		rc = lr_index(&s->lr, s->lr.tok[k + 1], names[k], UINT32_MAX, &v[k], err, errlen);
	if (rc < 0)
		return rc;
	s->n = v[0], s->m = v[1], s->z = v[2];
	s->have_sizes = 1;
	struct instance_data *d = s->d;
	d->model = cover_model_new(s->n, s->m, s->z, 1);
	d->demand_xy = malloc((2 * s->n + 1) * sizeof *d->demand_xy);
	d->cand_xy = malloc((2 * s->m + 1) * sizeof *d->cand_xy);
	s->seen = calloc(s->n + 1, 1);
	if (!d->model || !d->demand_xy || !d->cand_xy || !s->seen) {
		snprintf(err, errlen, "out of memory for %zu points, %zu candidates, %zu pairs",
			 s->n, s->m, s->z);
		return -ENOMEM;
	}
	return 0;
}

/* `d I W R G X Y` */
static int read_demand(struct hub_state *s, char *err, size_t errlen)
{
	struct cover_model *m = s->d->model;
	uint64_t i, g;
	double w, r, x, y;
	int rc = want_fields(s, 7, "d", err, errlen);
	if (rc == 0 && s->nd == s->n)
		return lr_fail(&s->lr, err, errlen, "d: more than the %zu demand points of "
			       "`sizes`", s->n);
	if (rc == 0)
		rc = lr_index(&s->lr, s->lr.tok[1], "d index", s->n, &i, err, errlen);
	if (rc == 0 && i != s->nd)
		return lr_fail(&s->lr, err, errlen, "d index: %llu, expected %zu (index order, "
			       "each once)", (unsigned long long)i, s->nd);
	if (rc == 0)
		rc = lr_double(&s->lr, s->lr.tok[2], "d weight", 1, &w, err, errlen);
	if (rc == 0)
		rc = lr_double(&s->lr, s->lr.tok[3], "d residents", 1, &r, err, errlen);
	if (rc == 0)
		rc = lr_index(&s->lr, s->lr.tok[4], "d group", UINT32_MAX, &g, err, errlen);
	if (rc == 0)
		rc = lr_double(&s->lr, s->lr.tok[5], "d x", 0, &x, err, errlen);
	if (rc == 0)
		rc = lr_double(&s->lr, s->lr.tok[6], "d y", 0, &y, err, errlen);
	if (rc < 0)
		return rc;
	m->weight[i] = w, m->residents[i] = r, m->group[i] = (uint32_t)g;
	s->d->demand_xy[2 * i] = x, s->d->demand_xy[2 * i + 1] = y;
	if (g > s->maxgroup)
		s->maxgroup = (uint32_t)g;
	s->nd++;
	return 0;
}

/* `c J F G X Y` */
static int read_cand(struct hub_state *s, char *err, size_t errlen)
{
	struct cover_model *m = s->d->model;
	uint64_t j, f, g;
	double x, y;
	int rc = want_fields(s, 6, "c", err, errlen);
	if (rc == 0 && s->nc == s->m)
		return lr_fail(&s->lr, err, errlen, "c: more than the %zu candidates of `sizes`",
			       s->m);
	if (rc == 0)
		rc = lr_index(&s->lr, s->lr.tok[1], "c index", s->m, &j, err, errlen);
	if (rc == 0 && j != s->nc)
		return lr_fail(&s->lr, err, errlen, "c index: %llu, expected %zu (index order, "
			       "each once)", (unsigned long long)j, s->nc);
	if (rc == 0)
		rc = lr_index(&s->lr, s->lr.tok[2], "c fixed", 2, &f, err, errlen);
	if (rc == 0)
		rc = lr_index(&s->lr, s->lr.tok[3], "c group", UINT32_MAX, &g, err, errlen);
	if (rc == 0)
		rc = lr_double(&s->lr, s->lr.tok[4], "c x", 0, &x, err, errlen);
	if (rc == 0)
		rc = lr_double(&s->lr, s->lr.tok[5], "c y", 0, &y, err, errlen);
	if (rc < 0)
		return rc;
	m->fixed[j] = (uint8_t)f, m->cand_group[j] = (uint32_t)g;
	s->d->cand_xy[2 * j] = x, s->d->cand_xy[2 * j + 1] = y;
	if (g > s->maxgroup)
		s->maxgroup = (uint32_t)g;
	s->nc++;
	return 0;
}

/* `a J K I1 ... IK`: needs every `d` line before it (for the distances). */
static int read_cover(struct hub_state *s, char *err, size_t errlen)
{
	struct cover_model *m = s->d->model;
	struct line_reader *lr = &s->lr;
	uint64_t j, k, i;
	int rc = lr->ntok < 3 ? lr_fail(lr, err, errlen, "a: %zu fields, expected at least 3",
					lr->ntok) : 0;
	if (rc == 0 && s->na == s->m)
		return lr_fail(lr, err, errlen, "a: more than the %zu candidates of `sizes`", s->m);
	if (rc == 0 && (s->nd < s->n || s->nc < s->m))
		return lr_fail(lr, err, errlen, "a: before the last `d` or `c` line");
	if (rc == 0)
		rc = lr_index(lr, lr->tok[1], "a candidate", s->m, &j, err, errlen);
	if (rc == 0 && j != s->na)
		return lr_fail(lr, err, errlen, "a candidate: %llu, expected %zu (index order, "
			       "each once)", (unsigned long long)j, s->na);
	if (rc == 0)
		rc = lr_index(lr, lr->tok[2], "a count", UINT32_MAX, &k, err, errlen);
	if (rc == 0 && k != lr->ntok - 3)
		return lr_fail(lr, err, errlen, "a count: %llu, but the line lists %zu points",
			       (unsigned long long)k, lr->ntok - 3);
	if (rc == 0 && s->used + k > s->z)
		return lr_fail(lr, err, errlen, "a count: more pairs than the %zu of `sizes`",
			       s->z);
	for (size_t e = 0; e < k && rc == 0; e++) {
		if ((rc = lr_index(lr, lr->tok[3 + e], "a point", s->n, &i, err, errlen)) < 0)
			break;
		if (s->seen[i])
			rc = lr_fail(lr, err, errlen, "a point: %llu listed twice",
				     (unsigned long long)i);
		s->seen[i] = 1;
		const double *p = s->d->demand_xy + 2 * i, *c = s->d->cand_xy + 2 * j;
		m->cand_dem[s->used + e] = (uint32_t)i;
		m->cand_dist_m[s->used + e] = (float)hypot(p[0] - c[0], p[1] - c[1]);
	}
	for (size_t e = 0; e < k; e++)
		s->seen[m->cand_dem[s->used + e]] = 0;
	if (rc < 0)
		return rc;
	s->used += k;
	m->cand_off[j + 1] = (uint32_t)s->used;
	s->na++;
	return 0;
}

static int read_plan(struct hub_state *s, char *err, size_t errlen)
{
	struct line_reader *lr = &s->lr;
	struct instance_data *d = s->d;
	uint64_t k, j;
	int rc = lr->ntok < 2 ? lr_fail(lr, err, errlen, "plan: no count") : 0;
	if (rc == 0)
		rc = lr_index(lr, lr->tok[1], "plan count", (uint64_t)s->m + 1, &k, err, errlen);
	if (rc == 0 && k != lr->ntok - 2)
		return lr_fail(lr, err, errlen, "plan count: %llu, but the line lists %zu sites",
			       (unsigned long long)k, lr->ntok - 2);
	if (rc < 0)
		return rc;
	free(d->plan_open);
	if (!(d->plan_open = malloc((k + 1) * sizeof *d->plan_open))) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (d->nplan = 0; d->nplan < k; d->nplan++) {
		if ((rc = lr_index(lr, lr->tok[2 + d->nplan], "plan site", s->m, &j, err,
				   errlen)) < 0)
			return rc;
		d->plan_open[d->nplan] = (uint32_t)j;
	}
	return 0;
}

static int read_line(struct hub_state *s, char *err, size_t errlen)
{
	struct line_reader *lr = &s->lr;
	const char *t = lr->tok[0];
	uint64_t p;
	int rc;
	if (strcmp(t, "p") == 0) {
		if ((rc = want_fields(s, 2, "p", err, errlen)) < 0 ||
		    (rc = lr_index(lr, lr->tok[1], "p", UINT32_MAX, &p, err, errlen)) < 0)
			return rc;
		s->d->p = p;
		return 0;
	}
	if (strcmp(t, "sizes") == 0)
		return read_sizes(s, err, errlen);
	if (strcmp(t, "bound") == 0 || strcmp(t, "covered") == 0) {
		double *v = t[0] == 'b' ? &s->d->file_bound : &s->d->file_covered;
		if ((rc = want_fields(s, 2, t, err, errlen)) < 0)
			return rc;
		return lr_double(lr, lr->tok[1], t, 1, v, err, errlen);
	}
	if (!s->have_sizes)
		return lr_fail(lr, err, errlen, "%s: before the `sizes` line", t);
	if (strcmp(t, "d") == 0)
		return read_demand(s, err, errlen);
	if (strcmp(t, "c") == 0)
		return read_cand(s, err, errlen);
	if (strcmp(t, "a") == 0)
		return read_cover(s, err, errlen);
	if (strcmp(t, "plan") == 0)
		return read_plan(s, err, errlen);
	if (strcmp(t, "backup") == 0 || strcmp(t, "twice") == 0)
		return 0;             /* backup coverage, for external checks: solve ignores it */
	return lr_fail(lr, err, errlen, "unknown line type \"%s\"", t);
}

static int check_complete(struct hub_state *s, char *err, size_t errlen)
{
	const char *path = s->lr.path;
	struct instance_data *d = s->d;
	if (!s->have_sizes) {
		snprintf(err, errlen, "%s: truncated: no `sizes` line", path);
		return -EINVAL;
	}
	if (s->nd < s->n || s->nc < s->m || s->na < s->m) {
		snprintf(err, errlen, "%s: truncated after line %zu: %zu of %zu `d` lines, %zu of "
			 "%zu `c` lines, %zu of %zu `a` lines", path, s->lr.lineno, s->nd, s->n,
			 s->nc, s->m, s->na, s->m);
		return -EINVAL;
	}
	if (d->p > s->m) {
		snprintf(err, errlen, "%s: p: %zu is more than the %zu candidates", path, d->p,
			 s->m);
		return -EINVAL;
	}
	d->model->ngroups = (size_t)s->maxgroup + 1;
	int rc = cover_model_transpose(d->model);
	if (rc < 0)
		snprintf(err, errlen, "%s: out of memory", path);
	return rc;
}

static int read_hub(const char *path, struct instance_data *d, char *err, size_t errlen)
{
	struct hub_state s = {.d = d};
	int rc = lr_open(&s.lr, path, err, errlen);
	if (rc == 0 && (rc = lr_next(&s.lr, NULL, err, errlen)) == 0) {
		snprintf(err, errlen, "%s: empty file", path);
		rc = -EINVAL;
	}
	if (rc > 0 && (s.lr.ntok != 2 || strcmp(s.lr.tok[0], "hubplanner-instance") != 0 ||
		       strcmp(s.lr.tok[1], "1") != 0))
		rc = lr_fail(&s.lr, err, errlen, "header: expected \"hubplanner-instance 1\"");
	while (rc > 0 && (rc = lr_next(&s.lr, NULL, err, errlen)) > 0)
		if ((rc = read_line(&s, err, errlen)) == 0)
			rc = 1;
	if (rc == 0)
		rc = check_complete(&s, err, errlen);
	free(s.seen);
	lr_close(&s.lr);
	return rc;
}

int instance_format_parse(const char *name, enum instance_format *f)
{
	static const char *names[] = {"auto", "instance", "points", "cfl"};
	for (int k = 0; k < 4; k++)
		if (strcmp(name, names[k]) == 0) {
			*f = (enum instance_format)k;
			return 0;
		}
	return -EINVAL;
}

const char *instance_format_name(enum instance_format f)
{
	switch (f) {
	case INSTANCE_HUB: return "instance";
	case INSTANCE_POINTS: return "points";
	case INSTANCE_CFL: return "cfl";
	default: return "auto";
	}
}

/* A first line `hubplanner-instance ...` is the instance format; else points when a
 * candidate file is given, else cfl. */
static int guess_format(const char *path, const char *candidates, enum instance_format *f,
			char *err, size_t errlen)
{
	struct line_reader lr;
	int rc = lr_open(&lr, path, err, errlen);
	if (rc == 0 && (rc = lr_next(&lr, NULL, err, errlen)) >= 0) {
		if (rc > 0 && strcmp(lr.tok[0], "hubplanner-instance") == 0)
			*f = INSTANCE_HUB;
		else
			*f = candidates ? INSTANCE_POINTS : INSTANCE_CFL;
		rc = 0;
	}
	lr_close(&lr);
	return rc;
}

int instance_read(enum instance_format f, const char *path, const char *candidates,
		  double radius_m, struct instance_data *out, char *err, size_t errlen)
{
	int rc = 0;
	memset(out, 0, sizeof *out);
	out->file_bound = out->file_covered = NAN;
	if (f == INSTANCE_AUTO && (rc = guess_format(path, candidates, &f, err, errlen)) < 0)
		return rc;
	out->format = f;
	if (f != INSTANCE_POINTS && candidates) {
		snprintf(err, errlen, "%s: a candidate file is read only with the points format",
			 candidates);
		return -EINVAL;
	}
	if (f == INSTANCE_HUB)
		return read_hub(path, out, err, errlen);
	if (f == INSTANCE_POINTS) {
		if (!candidates) {
			snprintf(err, errlen, "%s: the points format needs a candidate CSV too",
				 path);
			return -EINVAL;
		}
		return instance_read_points(path, candidates, radius_m, out, err, errlen);
	}
	return instance_read_cfl(path, radius_m, out, err, errlen);
}

void instance_data_free(struct instance_data *d)
{
	cover_model_free(d->model);
	free(d->demand_xy);
	free(d->cand_xy);
	free(d->cand_cost);
	free(d->plan_open);
	memset(d, 0, sizeof *d);
}
