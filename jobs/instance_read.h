/* Readers for the coverage instances `hubplannerd solve` accepts: the hubplanner-instance
 * format that `plan --export-instance` writes (docs/instance-format.md), plain points (a
 * demand CSV and a candidate CSV, coverage by Euclidean radius) and the Cordeau-Furini-
 * Ljubić benchmark format. Each builds a struct cover_model with its transpose. A bad file
 * gets an error naming the file, the line and the field. No solving, no logging. */
#ifndef HUB_INSTANCE_READ_H
#define HUB_INSTANCE_READ_H

#include <stddef.h>
#include <stdint.h>

#include "plan/cover.h"

enum instance_format { INSTANCE_AUTO, INSTANCE_HUB, INSTANCE_POINTS, INSTANCE_CFL };

/* An instance as read. Every pointer is owned (free with instance_data_free). */
struct instance_data {
	struct cover_model *model;    /* with the transpose; residents = weight outside the
				       * hubplanner-instance format */
	double *demand_xy, *cand_xy;  /* [2 ndemand], [2 ncand] */
	double *cand_cost;            /* [ncand] opening costs, NULL when the file has none */
	int has_capacity;             /* model->cand_capacity holds absolute capacities from the
				       * file (points format, `capacity` column) */
	size_t p;                     /* hubplanner-instance: the file's p; else 0 */
	uint32_t *plan_open;          /* hubplanner-instance: the file's plan; else NULL */
	size_t nplan;
	double file_bound, file_covered; /* hubplanner-instance: `bound`, `covered`; else NAN */
	enum instance_format format;  /* the format that was read */
};

/* "auto", "instance", "points" or "cfl" into *f. 0 or -EINVAL. */
int instance_format_parse(const char *name, enum instance_format *f);

/* The name of a format ("instance", ...); static storage. */
const char *instance_format_name(enum instance_format f);

/* Reads the input of `solve`: path (and candidates, the candidate CSV, for the points
 * format; NULL otherwise) in format f, guessing it when INSTANCE_AUTO (a first line
 * `hubplanner-instance`, else points when candidates is given, else cfl). radius_m (<= 0:
 * none) is the coverage radius of the points format without a radius column and of cfl.
 * Fills out (free with instance_data_free, also after an error). 0, -EINVAL with err naming
 * file, line and field, -errno (I/O) or -ENOMEM. */
int instance_read(enum instance_format f, const char *path, const char *candidates,
		  double radius_m, struct instance_data *out, char *err, size_t errlen);

/* Frees everything d holds and zeroes it; accepts a zeroed struct. */
void instance_data_free(struct instance_data *d);

#endif
