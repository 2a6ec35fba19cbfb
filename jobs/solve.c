/* The solve pipeline: read an instance in any supported format, run the planner's solver
 * (maximal coverage with p sites, or fewest sites for a coverage share as one group's
 * target, capacities when given, fixed sites kept), optionally the exact mode after it,
 * bound the answer with cover_bound and report it as text and JSON. No database, no
 * logging; the solvers live in plan/. */
#include "jobs/solve.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobs/instance_aggregate.h"
#include "plan/cover_exact.h"
#include "util/clock.h"

static int bad_option(const char *name, const char *value, const char *want, char *err,
		      size_t errlen)
{
	snprintf(err, errlen, "--%s: \"%s\" is not %s", name, value, want);
	return -EINVAL;
}

static int number(const char *s, double lo, double hi, double *v)
{
	char *end;
	errno = 0;
	double x = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno == ERANGE || !isfinite(x) || x < lo || x > hi)
		return -EINVAL;
	*v = x;
	return 0;
}

int solve_option_set(struct solve_options *o, const char *name, const char *value,
		     char *err, size_t errlen)
{
	double v;
	if (strcmp(name, "format") == 0)
		return instance_format_parse(value, &o->format) < 0 ? bad_option(name, value,
			"auto, instance, points or cfl", err, errlen) : 0;
	if (strcmp(name, "no-aggregate") == 0) {
		o->no_aggregate = 1;
		return 0;
	}
	if (strcmp(name, "exact") == 0) {
		o->exact = 1;
		return 0;
	}
	if (strcmp(name, "json") == 0) {
		o->json_path = value;
		return 0;
	}
	if (strcmp(name, "p") == 0) {
		if (number(value, 1, 4e9, &v) < 0 || v != floor(v))
			return bad_option(name, value, "a whole number of sites >= 1", err, errlen);
		o->p = (size_t)v;
	} else if (strcmp(name, "target") == 0) {
		if (number(value, 0, 100, &v) < 0 || v <= 0)
			return bad_option(name, value, "a percentage in (0, 100]", err, errlen);
		o->target_pct = v;
	} else if (strcmp(name, "radius") == 0 || strcmp(name, "capacity") == 0) {
		if (number(value, 0, INFINITY, &v) < 0 || v <= 0)
			return bad_option(name, value, "a positive number", err, errlen);
		*(name[0] == 'r' ? &o->radius_m : &o->capacity) = v;
	} else if (strcmp(name, "starts") == 0) {
		if (number(value, 1, 10000, &v) < 0 || v != floor(v))
			return bad_option(name, value, "a whole number 1..10000", err, errlen);
		o->starts = (int)v;
	} else if (strcmp(name, "seed") == 0) {
		if (number(value, 0, UINT32_MAX, &v) < 0 || v != floor(v))
			return bad_option(name, value, "a whole number 0..4294967295", err, errlen);
		o->seed = (uint32_t)v, o->have_seed = 1;
	} else if (strcmp(name, "time-limit") == 0) {
		if (number(value, 0, 86400, &v) < 0 || v <= 0)
			return bad_option(name, value, "a number of seconds in (0, 86400]", err,
					  errlen);
		o->time_limit_s = v;
	} else {
		snprintf(err, errlen, "solve has no option --%s", name);
		return -EINVAL;
	}
	return 0;
}

/* The problem size and the weights, before solving. */
static void describe(const struct instance_data *in, struct solve_report *rep)
{
	const struct cover_model *m = in->model;
	rep->format = in->format;
	rep->ndemand = m->ndemand, rep->ncand = m->ncand, rep->npairs = m->cand_off[m->ncand];
	for (size_t j = 0; j < m->ncand; j++)
		rep->nfixed += m->fixed[j];
	for (size_t i = 0; i < m->ndemand; i++) {
		rep->total_weight += m->weight[i];
		if (m->dem_off[i + 1] > m->dem_off[i])
			rep->reachable_weight += m->weight[i];
	}
}

/* Budget mode's p: --p, else the instance's; checked against the candidates. */
static int budget_p(const struct solve_options *o, const struct instance_data *in,
		    struct solve_report *rep, char *err, size_t errlen)
{
	rep->p = o->p ? o->p : in->p;
	if (rep->p == 0)
		snprintf(err, errlen, "no number of sites: give --p N or --target PCT");
	else if (rep->p > rep->ncand)
		snprintf(err, errlen, "--p %zu: more than the %zu candidates", rep->p, rep->ncand);
	else if (rep->p < rep->nfixed)
		snprintf(err, errlen, "--p %zu: fewer than the %zu fixed sites", rep->p,
			 rep->nfixed);
	else
		return 0;
	return -EINVAL;
}

/* Target mode: the share as one group's target. */
static void one_group(struct cover_model *m)
{
	for (size_t i = 0; i < m->ndemand; i++)
		m->group[i] = 0;
	for (size_t j = 0; j < m->ncand; j++)
		m->cand_group[j] = 0;
	m->ngroups = 1;
}

/* Target mode's share of the weight of sm: the aggregated model has dropped the points no
 * candidate reaches, but the share is of the total (capped at 1: out of reach then). */
static double target_frac(const struct solve_options *o, const struct solve_report *rep,
			  const struct cover_model *sm)
{
	double w = 0;
	for (size_t i = 0; i < sm->ndemand; i++)
		w += sm->weight[i];
	return w > 0 ? fmin(1, o->target_pct / 100 * rep->total_weight / w) : o->target_pct / 100;
}

/* Budget mode from starts seeds (seed, seed + 1, ...; at least one), keeping the first
 * best answer; no new start once the time limit (> 0) has passed. */
static int budget_starts(const struct cover_model *m, size_t p, uint32_t seed, int starts,
			 double limit, struct cover_solution *best)
{
	double t0 = clock_now_s();
	int rc = cover_solve_budget(m, p, seed, limit, NULL, best);
	for (int k = 1; rc == 0 && k < starts && !(limit > 0 && clock_now_s() - t0 > limit);
	     k++) {
		struct cover_solution s = {0};
		if ((rc = cover_solve_budget(m, p, seed + (uint32_t)k, limit, NULL, &s)) == 0 &&
		    s.covered_weight > best->covered_weight) {
			struct cover_solution t = *best;
			*best = s, s = t;
		}
		cover_solution_free(&s);
	}
	return rc;
}

/* Without capacities (and unless no_aggregate) the solver and the bound run on the
 * aggregated model (*sm; else *sm = in->model). */
static int run_solver(const struct solve_options *o, struct instance_data *in,
		      struct solve_report *rep, struct cover_model **sm,
		      struct cover_solution *sol, char *err, size_t errlen)
{
	struct cover_model *m = in->model;
	uint32_t seed = o->have_seed ? o->seed : o->default_seed;
	double limit = o->time_limit_s > 0 ? o->time_limit_s : o->default_time_limit_s;
	/* absolute capacities from the file: the solver multiplies them by 1 */
	double capacity = in->has_capacity ? 1 : o->capacity;
	int rc = 0;
	rep->target_mode = o->target_pct > 0;
	if (rep->target_mode)
		one_group(m);
	else if ((rc = budget_p(o, in, rep, err, errlen)) < 0)
		return rc;
	*sm = m;
	if (capacity <= 0 && !o->no_aggregate && (rc = instance_aggregate(m, sm)) < 0) {
		snprintf(err, errlen, "out of memory aggregating the demand points");
		return rc;
	}
	rep->nsolved = (*sm)->ndemand;
	if (rep->target_mode)
		rc = cover_solve_target(*sm, target_frac(o, rep, *sm), capacity, seed, limit, NULL,
					sol);
	else
		rc = budget_starts(*sm, rep->p, seed, o->starts, limit, sol);
	if (rc == 0 && !rep->target_mode && capacity > 0)
		rc = cover_serve(m, capacity, sol);
	if (rc < 0)
		snprintf(err, errlen, "solver failed: %s", rc == -EINVAL ? "invalid problem"
			 : "out of memory");
	if (rc == 0 && rep->target_mode)
		rep->p = sol->nopen;
	rep->served = capacity > 0 ? sol->served_residents : NAN;
	return rc;
}

static int take_solution(const struct instance_data *in, struct cover_solution *sol,
			 struct solve_report *rep)
{
	if (!(rep->open = malloc((sol->nopen + 1) * sizeof *rep->open)))
		return -ENOMEM;
	memcpy(rep->open, sol->open, sol->nopen * sizeof *rep->open);
	rep->nopen = sol->nopen;
	rep->covered_weight = cover_weight(in->model, rep->open, rep->nopen, NULL);
	rep->cost = in->cand_cost ? 0 : NAN;
	for (size_t k = 0; in->cand_cost && k < rep->nopen; k++)
		rep->cost += in->cand_cost[rep->open[k]];
	return isnan(rep->covered_weight) ? -ENOMEM : 0;
}

/* The exact answer's sites replace the heuristic's; with capacities what they serve is
 * assigned again (the exact mode ignores capacities). */
static int take_exact(const struct solve_options *o, const struct instance_data *in,
		      const struct cover_exact_result *ex, double w, struct solve_report *rep)
{
	double capacity = in->has_capacity ? 1 : o->capacity;
	uint32_t *open = realloc(rep->open, (ex->nopen + 1) * sizeof *open);
	if (!open)
		return -ENOMEM;
	rep->open = open;
	memcpy(rep->open, ex->open, ex->nopen * sizeof *rep->open);
	rep->nopen = ex->nopen;
	rep->covered_weight = w;
	if (rep->target_mode)
		rep->p = ex->nopen;
	rep->cost = in->cand_cost ? 0 : NAN;
	for (size_t k = 0; in->cand_cost && k < rep->nopen; k++)
		rep->cost += in->cand_cost[rep->open[k]];
	if (capacity <= 0)
		return 0;
	struct cover_solution s = {.open = rep->open, .nopen = rep->nopen};
	int rc = cover_serve(in->model, capacity, &s);
	rep->served = s.served_residents;
	free(s.load);
	free(s.served);
	return rc;
}

/* Exact mode on the original model (the target share is of its total weight), warm-started
 * with the heuristic's sites: its sites replace them when they cover more (budget) or are
 * fewer (target); its bound is kept for the report. */
static int run_exact(const struct solve_options *o, const struct instance_data *in,
		     struct solve_report *rep, char *err, size_t errlen)
{
	struct cover_exact_result ex = {0};
	double limit = o->time_limit_s > 0 ? o->time_limit_s : EXACT_DEFAULT_LIMIT_S;
	int rc = rep->target_mode
		? cover_exact_target(in->model, o->target_pct / 100, rep->open, rep->nopen, limit,
				     &ex, err, errlen)
		: cover_exact_budget(in->model, rep->p, rep->open, rep->nopen, limit, &ex, err,
				     errlen);
	if (rc == 0) {
		double w = cover_weight(in->model, ex.open, ex.nopen, NULL);
		rep->exact = 1;
		rep->optimal = ex.optimal;
		rep->exact_bound = ex.bound;
		rep->exact_sites_bound = ex.sites_bound;
		rep->exact_s = ex.seconds;
		rep->exact_no_capacity = in->has_capacity || o->capacity > 0;
		if (rep->target_mode ? ex.nopen < rep->nopen : w > rep->covered_weight)
			rc = take_exact(o, in, &ex, w, rep);
		if (rc < 0)
			snprintf(err, errlen, "out of memory");
	}
	cover_exact_result_free(&ex);
	return rc;
}

/* The exact mode's line: proven, or the bound CBC proved (on the weight or the sites). */
static void print_exact(const struct solve_report *r, FILE *out)
{
	if (r->exact_no_capacity)
		fprintf(out, "exact: capacities ignored (the exact mode solves the problem "
			"without them; \"served within capacity\" is for the sites shown)\n");
	if (r->optimal)
		fprintf(out, "exact: the optimum, proven%s in %.2f s\n", r->target_mode
			? ": no fewer sites reach the share" : "", r->exact_s);
	else if (r->target_mode)
		fprintf(out, "exact: stopped at the time limit in %.2f s; no plan reaching the "
			"share has fewer than %zu sites (gap %zu sites, %.2f %%)\n", r->exact_s,
			r->exact_sites_bound, r->nopen - r->exact_sites_bound,
			100.0 * (double)(r->nopen - r->exact_sites_bound) / (double)r->nopen);
	else
		fprintf(out, "exact: stopped at the time limit; the bound is the best CBC proved, "
			"in %.2f s\n", r->exact_s);
}

static void print_report(const struct solve_report *r, const struct instance_data *in,
			 const char *input, const struct solve_options *o, FILE *out)
{
	fprintf(out, "instance %s (%s): %zu demand points, %zu candidates, %zu pairs, %zu "
		"fixed\n", input, instance_format_name(r->format), r->ndemand, r->ncand,
		r->npairs, r->nfixed);
	if (r->nsolved != r->ndemand)
		fprintf(out, "aggregated: %zu points with distinct coverage (the others share a "
			"point's candidates or have none)\n", r->nsolved);
	if (r->target_mode)
		fprintf(out, "problem: fewest sites covering %g %% of the weight\n", o->target_pct);
	else
		fprintf(out, "problem: maximal coverage with p = %zu sites\n", r->p);
	if (!r->target_mode && o->starts > 1)
		fprintf(out, "starts: %d seeds from %u, the best kept\n", o->starts,
			o->have_seed ? o->seed : o->default_seed);
	fprintf(out, "sites: %zu (index x y)\n", r->nopen);
	for (size_t k = 0; k < r->nopen; k++) {
		uint32_t j = r->open[k];
		fprintf(out, "  %u %.3f %.3f%s\n", j, in->cand_xy[2 * j], in->cand_xy[2 * j + 1],
			in->model->fixed[j] ? " fixed" : "");
	}
	double tw = r->total_weight > 0 ? r->total_weight : 1;
	fprintf(out, "covered weight %.3f of %.3f (%.3f %%; %.3f within reach of a candidate)\n",
		r->covered_weight, r->total_weight, 100 * r->covered_weight / tw,
		r->reachable_weight);
	if (!isnan(r->served))
		fprintf(out, "served within capacity %.3f (%.3f %%)\n", r->served,
			100 * r->served / tw);
	fprintf(out, "bound %.3f with %zu sites, gap %.4f %%\n", r->bound, r->p, r->gap_pct);
	if (r->exact)
		print_exact(r, out);
	if (!isnan(r->cost))
		fprintf(out, "opening cost %.3f\n", r->cost);
	fprintf(out, "time: read %.3f s, solve %.3f s, bound %.3f s, total %.3f s\n", r->read_s,
		r->solve_s, r->bound_s, r->total_s);
}

static json_t *report_json(const struct solve_report *r, const struct instance_data *in,
			   const char *input, const struct solve_options *o)
{
	json_t *sites = json_array();
	for (size_t k = 0; sites && k < r->nopen; k++) {
		uint32_t j = r->open[k];
		json_array_append_new(sites, json_pack("{s:I,s:f,s:f,s:b}", "index", (json_int_t)j,
						       "x", in->cand_xy[2 * j],
						       "y", in->cand_xy[2 * j + 1],
						       "fixed", in->model->fixed[j]));
	}
	json_t *root = json_pack(
		"{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:s,s:I,s:o,s:f,s:f,s:f,s:f,s:f,s:f,"
		"s:{s:f,s:f,s:f,s:f}}",
		"input", input, "format", instance_format_name(r->format),
		"demand_points", (json_int_t)r->ndemand, "candidates", (json_int_t)r->ncand,
		"pairs", (json_int_t)r->npairs, "fixed", (json_int_t)r->nfixed,
		"solved_points", (json_int_t)r->nsolved,
		"problem", r->target_mode ? "target" : "budget", "p", (json_int_t)r->p,
		"sites", sites, "total_weight", r->total_weight,
		"reachable_weight", r->reachable_weight, "covered_weight", r->covered_weight,
		"covered_pct", r->total_weight > 0 ? 100 * r->covered_weight / r->total_weight : 0,
		"bound", r->bound, "gap_pct", r->gap_pct, "seconds", "read", r->read_s,
		"solve", r->solve_s, "bound", r->bound_s, "total", r->total_s);
	if (root && r->target_mode)
		json_object_set_new(root, "target_pct", json_real(o->target_pct));
	if (root && !isnan(r->served))
		json_object_set_new(root, "served", json_real(r->served));
	if (root && !isnan(r->cost))
		json_object_set_new(root, "cost", json_real(r->cost));
	if (root && r->exact && !r->target_mode)
		json_object_set_new(root, "exact", json_pack("{s:b, s:f, s:f, s:b}", "optimal",
							     r->optimal, "bound", r->exact_bound,
							     "seconds", r->exact_s, "capacities_ignored",
							     r->exact_no_capacity));
	if (root && r->exact && r->target_mode)
		json_object_set_new(root, "exact", json_pack(
			"{s:b, s:I, s:I, s:f, s:b}", "optimal", r->optimal, "sites_bound",
			(json_int_t)r->exact_sites_bound, "gap_sites",
			(json_int_t)(r->nopen - r->exact_sites_bound), "seconds", r->exact_s,
			"capacities_ignored", r->exact_no_capacity));
	return root;
}

/* Writes the JSON report to path through a temporary file renamed into place. */
static int write_json(const char *path, json_t *root, char *err, size_t errlen)
{
	size_t len = strlen(path) + 8;
	char *tmp = malloc(len);
	int rc = 0;
	if (!tmp || !root) {
		free(tmp);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	snprintf(tmp, len, "%s.tmp", path);
	if (json_dump_file(root, tmp, JSON_INDENT(1) | JSON_REAL_PRECISION(12)) != 0 ||
	    rename(tmp, path) != 0) {
		rc = errno ? -errno : -EIO;
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(-rc));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

static int bound_and_report(const struct solve_options *o, const struct instance_data *in,
			    const struct cover_model *sm, const char *input, FILE *out,
			    struct solve_report *rep, char *err, size_t errlen)
{
	double t0 = clock_now_s();
	int rc = cover_bound(sm, rep->p, NULL, rep->open, rep->nopen, o->bound_iterations,
			     &rep->bound);
	if (rc < 0) {
		snprintf(err, errlen, "out of memory computing the bound");
		return rc;
	}
	if (rep->exact && !rep->target_mode)
		rep->bound = fmin(rep->bound, rep->optimal ? rep->covered_weight : rep->exact_bound);
	rep->gap_pct = rep->bound > 0 ? 100 * (rep->bound - rep->covered_weight) / rep->bound : 0;
	rep->bound_s = clock_now_s() - t0;
	rep->total_s = rep->read_s + rep->solve_s + rep->bound_s;
	if (out)
		print_report(rep, in, input, o, out);
	if (!o->json_path)
		return 0;
	json_t *root = report_json(rep, in, input, o);
	rc = write_json(o->json_path, root, err, errlen);
	json_decref(root);
	return rc;
}

int solve_run(const struct solve_options *o, const char *input, const char *candidates,
	      FILE *out, struct solve_report *rep, char *err, size_t errlen)
{
	struct instance_data in;
	struct cover_solution sol = {0};
	struct cover_model *sm = NULL;
	double t0 = clock_now_s();
	memset(rep, 0, sizeof *rep);
	if (o->p && o->target_pct > 0) {
		snprintf(err, errlen, "give --p or --target, not both");
		return -EINVAL;
	}
	int rc = instance_read(o->format, input, candidates, o->radius_m, &in, err, errlen);
	if (rc == 0) {
		describe(&in, rep);
		rep->read_s = clock_now_s() - t0;
		t0 = clock_now_s();
		rc = run_solver(o, &in, rep, &sm, &sol, err, errlen);
	}
	if (rc == 0 && (rc = take_solution(&in, &sol, rep)) < 0)
		snprintf(err, errlen, "out of memory");
	if (rc == 0 && o->exact)
		rc = run_exact(o, &in, rep, err, errlen);
	rep->solve_s = clock_now_s() - t0;
	if (rc == 0)
		rc = bound_and_report(o, &in, sm, input, out, rep, err, errlen);
	if (sm != in.model)
		cover_model_free(sm);
	cover_solution_free(&sol);
	instance_data_free(&in);
	return rc;
}

void solve_report_free(struct solve_report *rep)
{
	free(rep->open);
	memset(rep, 0, sizeof *rep);
}
