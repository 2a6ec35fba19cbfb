/* Reference population layers: older or foreign finer layers (the 2015 buurten) kept beside
 * the current areas, with their own codes and year, to be matched by location only.
 * Geometry is WKB (RD New, land polygon or multipolygon) stored as given, never parsed here.
 * Writes run inside the caller's transaction (store_begin); nothing here commits. */
#ifndef HUB_STORE_REF_H
#define HUB_STORE_REF_H

#include <stddef.h>
#include <stdint.h>

#include "data/store.h"

struct store_ref_area {
	const char *layer, *code, *name;  /* layer "buurten_2015", code "BU03630000"; name may be NULL */
	int year;                         /* 0 = unknown */
	double residents, residents_65plus, households, cars_per_household; /* NaN = unknown */
	const uint8_t *wkb;               /* not owned; in store_each_ref_area valid during the callback */
	size_t wkb_len;
	double minx, miny, maxx, maxy;    /* bounding box in RD metres; NaN = unknown */
};

/* Deletes every area of one layer. Inside a transaction. 0 or negative errno with err. */
int store_ref_clear(struct store *st, const char *layer, char *err, size_t errlen);

/* Inserts one area (copies everything). -EEXIST "duplicate code X in layer L" when
 * (layer, code) is already present; -EINVAL for a missing layer, code or geometry. */
int store_ref_put(struct store *st, const struct store_ref_area *r, char *err, size_t errlen);

/* Calls fn for every reference area, ordered by layer and code; the strings and wkb are
 * valid only during the callback. A non-zero return from fn stops and is returned. */
int store_each_ref_area(struct store *st, int (*fn)(void *user, const struct store_ref_area *r),
			void *user, char *err, size_t errlen);

/* Number of areas in layer (all layers when layer is NULL). */
int store_ref_count(struct store *st, const char *layer, long *count, char *err, size_t errlen);

#endif
