/* Readers for maps and exports: safety-region outlines, the stored wijkbatterijen of a
 * plan, and where the data came from (the newest import). Geometry passes through as
 * WKB bytes; nothing here parses it. */
#ifndef HUB_STORE_MAPS_H
#define HUB_STORE_MAPS_H

#include <stddef.h>
#include <stdint.h>

#include "data/store_plan.h"

/* fn(user, code, name, wkb, len) per safety region with an outline, by code; the
 * pointers are valid only during the call. A non-zero return from fn stops and is
 * returned; the store's errors as negative errno with err. */
int store_each_region_outline(struct store *st,
			      int (*fn)(void *user, const char *code, const char *name,
					const uint8_t *wkb, size_t len),
			      void *user, char *err, size_t errlen);

/* Calls fn for every battery of plan id, by seq. */
int store_each_plan_battery(struct store *st, int64_t id,
			    int (*fn)(void *user, const struct store_plan_battery *b),
			    void *user, char *err, size_t errlen);

struct store_import_info {
	char finished_at[32];         /* UTC ISO 8601; "" when nothing was imported */
	char files[1024];             /* the imported files as logged (truncated) */
};

/* The newest import's time and files. 0 or negative errno with err. */
int store_last_import(struct store *st, struct store_import_info *out, char *err,
		      size_t errlen);

#endif
