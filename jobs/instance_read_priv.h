/* Shared by the instance readers: a line reader that counts lines and splits a line into
 * tokens, number parsers whose errors name file, line and field, and the coverage builder
 * for formats given as coordinates. Internal to jobs/instance_read*.c. */
#ifndef HUB_INSTANCE_READ_PRIV_H
#define HUB_INSTANCE_READ_PRIV_H

#include <stdint.h>
#include <stdio.h>

#include "jobs/instance_read.h"

struct line_reader {
	FILE *f;
	const char *path;
	char *buf;
	size_t cap, lineno;
	char **tok;                   /* tokens of the current line, into buf */
	size_t ntok, tokcap;
};

/* Opens path. 0 or -errno with err. Close with lr_close (accepts a failed open). */
int lr_open(struct line_reader *lr, const char *path, char *err, size_t errlen);
void lr_close(struct line_reader *lr);

/* Reads the next line that is not empty and not a `#` comment and splits it at sep (NULL:
 * runs of blanks; else each of the characters, fields trimmed and unquoted). 1 = a line,
 * 0 = end of file, -ENOMEM or -EIO with err. */
int lr_next(struct line_reader *lr, const char *sep, char *err, size_t errlen);

/* A finite number in tok; nonneg: also >= 0. 0 or -EINVAL with err "PATH:LINE: FIELD: ...". */
int lr_double(const struct line_reader *lr, const char *tok, const char *field, int nonneg,
	      double *v, char *err, size_t errlen);

/* A whole number 0 <= v < limit in tok. 0 or -EINVAL with err. */
int lr_index(const struct line_reader *lr, const char *tok, const char *field, uint64_t limit,
	     uint64_t *v, char *err, size_t errlen);

/* Formats "PATH:LINE: " + fmt into err and returns -EINVAL. */
int lr_fail(const struct line_reader *lr, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Builds d->model from n demand points (d->demand_xy, weight[n], taken over: freed here)
 * and m candidates (d->cand_xy, fixed[m] and capacity[m] or NULL, taken over too):
 * candidate j covers the points within radius_m[j] (Euclidean), nearest first, found with
 * a grid index. residents = weight; one group. 0 or -ENOMEM / -EINVAL (too many pairs). */
int instance_cover_build(struct instance_data *d, size_t n, double *weight, size_t m,
			 uint8_t *fixed, double *capacity, const double *radius_m,
			 char *err, size_t errlen);

/* The other readers (jobs/instance_read_geo.c). */
int instance_read_points(const char *demand_path, const char *cand_path, double radius_m,
			 struct instance_data *out, char *err, size_t errlen);
int instance_read_cfl(const char *path, double radius_m, struct instance_data *out,
		      char *err, size_t errlen);

#endif
