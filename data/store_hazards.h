/* Hazard layers in the store (tables hazard_layers and hazard_parts, migration 11): a named
 * polygon layer (flood depths, say) with one row per kept feature. Geometry is WKB in RD New
 * stored as given, never parsed here. Writes run in the caller's transaction; no commit. */
#ifndef HUB_STORE_HAZARDS_H
#define HUB_STORE_HAZARDS_H

#include <stddef.h>
#include <stdint.h>

#include "data/store.h"

struct store_hazard_layer {
	const char *name;             /* "flood_dijkring16": lower-case letters, digits, _ */
	const char *source;           /* the file (and layer) it came from */
	const char *filter;           /* "depth_m>=0.5", or NULL for every feature */
	const char *imported_at;      /* UTC ISO 8601; set by store_hazard_replace */
	long features;                /* parts stored (invalid polygons are refused, never
				       * repaired) */
	double area_m2;               /* their summed area; NaN = unknown */
};

struct store_hazard_part {
	const char *name;             /* the layer */
	long part;                    /* 0, 1, ... in file order */
	const char *feature;          /* the feature's id or number in its file */
	const uint8_t *wkb;           /* not owned; valid during a callback */
	size_t wkb_len;
	double minx, miny, maxx, maxy;
};

/* Deletes layer l->name and its parts if present and inserts the layer row (copied;
 * imported_at is set to now). Inside a transaction: with the parts that follow, the whole
 * replacement commits or nothing does. 0 or negative errno with err. */
int store_hazard_replace(struct store *st, const struct store_hazard_layer *l, char *err,
			 size_t errlen);

/* Inserts one part (copied) of a layer already written by store_hazard_replace. Inside a
 * transaction. 0 or negative errno with err. */
int store_hazard_put_part(struct store *st, const struct store_hazard_part *p, char *err,
			  size_t errlen);

/* Deletes layer name and its parts. Inside a transaction. -ENOENT "no hazard layer NAME"
 * when there is none, else 0 or negative errno with err. */
int store_hazard_drop(struct store *st, const char *name, char *err, size_t errlen);

/* Calls fn for every layer ordered by name (strings valid during the callback only). A
 * non-zero return from fn stops and is returned; else 0 or negative errno with err. */
int store_each_hazard_layer(struct store *st,
			    int (*fn)(void *user, const struct store_hazard_layer *l), void *user,
			    char *err, size_t errlen);

/* Calls fn for every part, ordered by layer and part (wkb valid during the callback only).
 * A non-zero return from fn stops and is returned; else 0 or negative errno with err. */
int store_each_hazard_part(struct store *st,
			   int (*fn)(void *user, const struct store_hazard_part *p), void *user,
			   char *err, size_t errlen);

#endif
