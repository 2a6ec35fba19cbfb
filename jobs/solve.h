/* `hubplannerd solve`: reads a coverage instance (jobs/instance_read.h), solves maximal
 * coverage with p sites or fewest sites for a coverage share with the planner's solvers,
 * bounds the answer and prints (and optionally writes as JSON) the sites, the covered
 * weight, the bound, the gap and the timings. Touches no database; does not log. */
#ifndef HUB_SOLVE_H
#define HUB_SOLVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jobs/instance_read.h"

/* The command's options. Zero-initialised = defaults (auto format, the instance's p). */
struct solve_options {
	enum instance_format format;
	size_t p;                     /* budget mode: sites; 0 = the instance's p */
	double target_pct;            /* > 0: fewest sites covering this share (0..100] */
	double radius_m;              /* <= 0: none (the file's radius column) */
	double capacity;              /* > 0: residents (weight) per site */
	int have_seed;
	uint32_t seed;                /* when have_seed; else the configured seed */
	int starts;                   /* budget mode: solve from this many seeds (seed, seed
				       * + 1, ...) and keep the best; <= 1: one */
	double time_limit_s;          /* > 0: overrides the configured search time */
	int no_aggregate;             /* 1: solve on the points as given (with one start, the
				       * answer `plan` gives); 0: merge points of identical
				       * coverage first when there are no capacities */
	int exact;                    /* 1: the problem is then solved exactly (plan/cover_exact.h:
				       * maximal coverage, or fewest sites for the share, both
				       * without capacities), warm-started with the heuristic,
				       * within time_limit_s (or EXACT_DEFAULT_LIMIT_S) */
	const char *json_path;        /* NULL: no JSON */
	int bound_iterations;         /* the configured [plan] bound_iterations */
	uint32_t default_seed;        /* the configured seed */
	double default_time_limit_s;  /* the configured search time */
};

/* Sets the option named name (a long option of `solve` without the dashes: format, p,
 * target, radius, capacity, seed, starts, time-limit, json; no-aggregate and exact take no
 * value)
 * from value. value must outlive o.
 * 0 or -EINVAL with err naming the option and the value. */
int solve_option_set(struct solve_options *o, const char *name, const char *value,
		     char *err, size_t errlen);

/* What a solve found; arrays owned (free with solve_report_free). */
struct solve_report {
	enum instance_format format;
	size_t ndemand, ncand, npairs, nfixed;
	size_t nsolved;               /* demand points the solver saw: without capacities,
				       * those of distinct coverage (jobs/instance_aggregate.h) */
	int target_mode;
	size_t p;                     /* budget: the p solved for; target: sites opened */
	uint32_t *open;               /* the chosen sites, fixed ones first */
	size_t nopen;
	double total_weight, reachable_weight, covered_weight, bound, gap_pct;
	double served, cost;          /* served residents with capacities (NAN: none); total
				       * opening cost of the chosen sites (NAN: no costs) */
	double read_s, solve_s, bound_s, total_s;
	int exact, optimal;           /* exact mode ran; it proved the optimum */
	double exact_bound, exact_s;  /* budget: the best bound on the weight it proved; its
				       * time */
	size_t exact_sites_bound;     /* target: no plan reaching the share (capacities
				       * ignored) has fewer sites */
	int exact_no_capacity;        /* the exact mode ignored the instance's capacities */
};

/* The exact mode's time limit when --time-limit is not given, seconds. */
#define EXACT_DEFAULT_LIMIT_S 60.0

/* Reads input (and candidates, the points format's candidate CSV, or NULL), solves, prints
 * the report to out (NULL: nothing) and writes o->json_path. Fills rep (free with
 * solve_report_free, also after an error). 0, -EINVAL (bad file or option: err names
 * file, line and field), -errno or -ENOMEM. */
int solve_run(const struct solve_options *o, const char *input, const char *candidates,
	      FILE *out, struct solve_report *rep, char *err, size_t errlen);

void solve_report_free(struct solve_report *rep);

#endif
