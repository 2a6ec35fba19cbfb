/* What maps, exports and reports draw: the newest stored plan (the serving model) limited
 * to a scope (the nation, a safety region, a gemeente, wijk or buurt), with the land
 * polygons of the areas in it, the region outlines, the wijkbatterijen, and the
 * uncovered places per gemeente as polygons. Read-only on the database; prints nothing. */
#ifndef HUB_MAP_MODEL_H
#define HUB_MAP_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "data/store_maps.h"
#include "model/changes.h"
#include "model/selection.h"
#include "model/served.h"

struct map_geom {
	uint8_t *wkb;                 /* RD New MultiPolygon WKB, NULL = none / out of scope */
	size_t len;
	double env[4];                /* minx, maxx, miny, maxy (the GeoPackage order) */
};

struct map_battery {
	int32_t area;                 /* the battery area's index */
	double x, y, kwh, kw, households;
	int funded;
};

struct map_model {
	struct served *s;             /* owned */
	int nation;                   /* 1: no scope given */
	struct selection sel;         /* the scope when !nation (kind 0 region, 1 area) */
	char scope_code[32];          /* "NL", VRnn or the area code */
	const char *scope_name;       /* "Nederland", or the region's / area's name */
	struct map_geom *area;        /* [s->nareas] */
	struct map_geom *region;      /* [s->nregions] outlines of the regions in scope */
	struct map_geom *uncovered;   /* [s->nareas], at gemeente indices */
	double *unc_residents;        /* [s->nareas] at gemeente indices: uncovered residents */
	double *unc_vulnerable;       /* ... and of them aged 65+ */
	struct map_battery *bat;
	size_t nbat;
	struct store_import_info import;
	struct plan_changes *changes; /* owned: the plan against the one stored before it
				       * (changes->from_id 0: the first plan) */
	double bbox[4];               /* minx, miny, maxx, maxy of the scope's areas (RD) */
};

/* Loads the newest plan from cfg->database and limits it to scope (NULL = the nation;
 * else VRnn, or a GM/WK/BU code of the plan). -ENOENT with err for no plan or an
 * unknown scope. Free with map_model_free. */
int map_model_load(const struct config *cfg, const char *scope, struct map_model **out,
		   char *err, size_t errlen);
void map_model_free(struct map_model *m);

/* 1 when area index a lies in the model's scope. */
int map_area_in_scope(const struct map_model *m, int32_t a);

/* 1 when the plan site lies in the model's scope. */
int map_site_in_scope(const struct map_model *m, const struct served_site *site);

/* 1 when an added or removed site lies in the model's scope. */
int map_change_in_scope(const struct map_model *m, const struct changes_site *c);

/* The name of an area's safety region, or "". */
const char *map_region_code(const struct map_model *m, int32_t a);

#endif
