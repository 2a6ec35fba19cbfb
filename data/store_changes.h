/* Readers behind the comparison of two stored plans (model/changes.c): which plan came
 * before another, a plan's sites with the names of their imported sites, gemeenten and
 * safety regions, and the region names. Read-only; compares nothing itself. */
#ifndef HUB_STORE_CHANGES_H
#define HUB_STORE_CHANGES_H

#include <stddef.h>
#include <stdint.h>

#include "data/store.h"

/* A plan site as the comparison needs it. The strings are valid only during the callback
 * and may be NULL: name when the site was generated (site_id -1) or its imported site is
 * gone or has moved more than 1 m since; gemeente_code outside every gemeente;
 * gemeente_name and region_code when the gemeente has no membership. */
struct store_change_site {
	int level;                    /* 1 local, 2 regional */
	int seq;
	double x_rd, y_rd;
	int64_t site_id;              /* -1 = generated position */
	const char *name, *gemeente_code, *gemeente_name, *region_code;
};

/* The newest plan stored before plan id (the largest smaller id) in *prev, 0 when id is the
 * first one kept. 0 or negative errno with err. */
int store_plan_before(struct store *st, int64_t id, int64_t *prev, char *err, size_t errlen);

/* Calls fn for every site of plan id, by level and seq; a non-zero return from fn stops and
 * is returned. Also the store's errors as negative errno with err. */
int store_each_change_site(struct store *st, int64_t id,
			   int (*fn)(void *user, const struct store_change_site *s), void *user,
			   char *err, size_t errlen);

/* fn(user, code, name) for every safety region, by code (the strings only during the call). */
int store_each_region_name(struct store *st,
			   int (*fn)(void *user, const char *code, const char *name), void *user,
			   char *err, size_t errlen);

#endif
