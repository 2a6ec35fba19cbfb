/* Import mappings: a small INI file per source that says which file (and GeoPackage layer)
 * it applies to, what it becomes (sites or a reference population layer), the CRS when the
 * file names none, which source field gives which property, constants, and value maps.
 * Parses and checks only (errors "file:line: key: message"); reads no data. docs/mappings.md. */
#ifndef HUB_MAPPING_H
#define HUB_MAPPING_H

#include <stddef.h>

enum mapping_target {
	MAPPING_SITES,                /* rows of sites (points) */
	MAPPING_REF_AREAS,            /* a reference population layer (polygons) */
};

/* The properties a mapping can fill. Site properties first, then reference-area ones. */
enum mapping_prop {
	MP_ID, MP_NAME, MP_KIND, MP_SUBKIND, MP_CAPACITY, MP_FIXED, MP_BEDS, MP_IC_BEDS,
	MP_CLIENTS,
	MP_CODE, MP_RESIDENTS, MP_RESIDENTS_65PLUS, MP_PCT_65PLUS, MP_HOUSEHOLDS,
	MP_CARS_PER_HOUSEHOLD,
	MP_COUNT
};

#define MAPPING_MAX_FIELDS 4          /* "name = A | B": first non-empty field wins */
#define MAPPING_MAX_UNKNOWN 16

struct mapping_value {
	char *from, *to;              /* source text -> stored text; from "*" = any other */
};

struct mapping_prop_spec {
	char *field[MAPPING_MAX_FIELDS]; /* source field names, in order of preference */
	size_t nfields;
	char *constant;               /* [constants] value, or NULL */
	struct mapping_value *values; /* [values PROP]; NULL = stored as read */
	size_t nvalues;
	int line;                     /* line that set it (0 = unset) */
};

struct mapping {
	char *path;                   /* the mapping file as named */
	char *name;                   /* its base name without .ini ("brandweerkazernes") */
	char *file;                   /* path suffix of the input ("instellingen/x.geojson"),
	                               * NULL = applies to files named with it explicitly */
	char *layer;                  /* GeoPackage layer, NULL = every layer of the file */
	enum mapping_target target;
	int crs_epsg;                 /* CRS when the file names none; 4326 = CRS84 lon/lat;
	                               * 0 = not given (GeoJSON then defaults to CRS84) */
	char *source;                 /* site source name; NULL = the input's base name */
	char *ref_layer;              /* MAPPING_REF_AREAS: stored layer name */
	int year;                     /* MAPPING_REF_AREAS: the layer's year, 0 = unknown */
	double unknown[MAPPING_MAX_UNKNOWN]; /* numbers that mean "unknown" (CBS special) */
	size_t nunknown;
	struct mapping_prop_spec prop[MP_COUNT];
};

/* The property's name as written in mapping files ("ic_beds"); NULL when out of range. */
const char *mapping_prop_name(enum mapping_prop p);
/* 1 for the properties read as numbers (capacity, beds, residents, ...). */
int mapping_prop_is_number(enum mapping_prop p);

/* Parses the mapping file at path. Returns 0 and *out (free with mapping_free, accepts
 * NULL), or a negative errno with every error found, one per line, in err:
 * "brandweerkazernes.ini:12: colour: unknown key in [fields] (known: id, name, ...)". */
int mapping_load(const char *path, struct mapping **out, char *err, size_t errlen);
/* Same on text in memory; path names it in errors. */
int mapping_parse(const char *path, const char *text, size_t len, struct mapping **out,
		  char *err, size_t errlen);
void mapping_free(struct mapping *m);

/* 1 when m applies to the input file at path (its `file` is a '/'-aligned suffix of path)
 * and, for a GeoPackage, to layer (NULL for GeoJSON); else 0. A mapping without `file`
 * matches nothing here: it is applied to files named explicitly with it. */
int mapping_matches(const struct mapping *m, const char *path, const char *layer);

/* The stored text for a value read for property p: the value map's target, "*"'s target,
 * or value itself when p has no value map (or "* = *" keeps it). NULL when p has a value
 * map and value is in it nowhere (an unknown value). Points into m or is value: not owned. */
const char *mapping_map_value(const struct mapping *m, enum mapping_prop p, const char *value);

/* 1 when v is one of the mapping's unknown values. */
int mapping_is_unknown(const struct mapping *m, double v);

/* A set of mappings (the folder of shipped ones, plus files named on the command line).
 * Zero-initialise; the set owns its mappings. */
struct mapping_set {
	struct mapping **items;
	size_t n, cap;
};

/* Loads every *.ini of dir, in name order, into set (which owns them). A missing folder is
 * -ENOENT with err. Two mappings for the same file and layer are -EEXIST naming both; on
 * any error the mappings loaded before it stay in set (free it with mapping_set_free). */
int mapping_set_load_dir(struct mapping_set *set, const char *dir, char *err, size_t errlen);
/* Loads one file into set (which owns it). Errors as mapping_load and mapping_set_load_dir. */
int mapping_set_load_file(struct mapping_set *set, const char *path, char *err, size_t errlen);
/* The first mapping of set that matches path and layer, or NULL. Owned by set. */
const struct mapping *mapping_set_find(const struct mapping_set *set, const char *path,
				       const char *layer);
/* Frees the mappings (not set itself); the set is empty afterwards. */
void mapping_set_free(struct mapping_set *set);

#endif
