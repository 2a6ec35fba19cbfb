/* The hubplanner database: sqlite3 in WAL mode holding areas (municipality, wijk, buurt,
 * grid cells) with their figures, safety regions and memberships, sites, and the import log.
 * Geometry is stored as WKB bytes in RD New (EPSG:28992); this module never parses it.
 * Every write runs inside BEGIN IMMEDIATE .. COMMIT started with store_begin(). */
#ifndef HUB_STORE_H
#define HUB_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_SCHEMA_VERSION 11
#define STORE_READONLY 1

enum area_level {
	AREA_GEMEENTE = 1,
	AREA_WIJK = 2,
	AREA_BUURT = 3,
	AREA_CELL100 = 4,
	AREA_CELL500 = 5,
};
#define AREA_LEVELS 5

/* A missing figure (CBS special values, NULL) is stored as SQL NULL: use STORE_UNKNOWN
 * (NaN) for doubles and the has_ flags' absence via NaN as well. */
#define STORE_UNKNOWN (__builtin_nan(""))

struct store_area {
	enum area_level level;
	const char *code;             /* GM0363, WK036300, BU03630000, E0974N4514 */
	const char *name;             /* may be NULL */
	const char *gemeente_code;    /* may be NULL (grid cells) */
	const char *wijk_code;        /* buurten only, else NULL */
	double residents;             /* NaN = unknown */
	double residents_65plus;      /* NaN = unknown (grid cells give counts) */
	double pct_65plus;            /* NaN = unknown (area layers give percentages) */
	double households;
	double urbanity;              /* 1..5 or NaN */
	double address_density;       /* addresses per km2 */
	double cars_per_household;
	double land_ha;
	double water_ha;
	const uint8_t *geom_land;     /* WKB MultiPolygon, RD New; not owned */
	size_t geom_land_len;
	double minx, miny, maxx, maxy;
};

struct store_site {
	const char *source;           /* "scholen_2024.gpkg:scholen" */
	const char *source_id;        /* feature id / row number in that source */
	const char *name;
	const char *kind;             /* school, community_centre, church, care, fire_station, ... */
	const char *subkind;          /* e.g. basisschool; may be NULL */
	double x_rd, y_rd;
	double capacity;              /* NaN = unknown */
	int fixed;                    /* 1 = an existing site that must stay open */
	double beds, ic_beds, clients; /* institutions' figures; NaN = unknown (0 = none) */
};

struct store_level_stats {
	long features;                /* rows of this level */
	long water_parts;
	double residents;             /* sum of known residents */
	long residents_unknown;       /* rows whose residents are unknown */
};

struct store_summary {
	int schema_version;
	char data_version[17];        /* hex content hash of all data tables; "" when empty */
	struct store_level_stats level[AREA_LEVELS + 1];  /* indexed by enum area_level */
	long regions;
	long memberships;
	long municipalities_without_region; /* at most one region each: a primary key */
	long sites;
	long sites_fixed;
	long ref_areas;               /* rows of ref_areas, all layers */
	double ref_residents;         /* their known residents */
	long last_import_id;
	char last_import_at[32];      /* UTC ISO 8601, "" when never */
	long geometries_repaired;     /* of the last import */
	long values_unknown;          /* of the last import */
};

struct store;

/* Opens (creating if needed, unless STORE_READONLY) and migrates the database at path.
 * On success *out owns the store; free it with store_close(). Returns 0, or a negative
 * errno with "path: reason" in err (-EPROTO for a schema newer than this build knows). */
int store_open(const char *path, int flags, struct store **out, char *err, size_t errlen);

/* Closes the database and frees st. Accepts NULL and half-opened stores. */
void store_close(struct store *st);

/* BEGIN IMMEDIATE. Returns 0, -EBUSY when another writer holds the lock past the timeout,
 * or another negative errno with err. */
int store_begin(struct store *st, char *err, size_t errlen);
/* COMMIT. On failure the transaction is rolled back and a negative errno returned. */
int store_commit(struct store *st, char *err, size_t errlen);
/* ROLLBACK if a transaction is open; never fails. */
void store_rollback(struct store *st);

/* Deletes every area (and water part) of one level. Inside a transaction. */
int store_clear_level(struct store *st, enum area_level level, char *err, size_t errlen);
/* Inserts one area. Returns -EEXIST when (level, code) is already present, with err. */
int store_put_area(struct store *st, const struct store_area *a, char *err, size_t errlen);
/* Adds a water part (WKB, not owned) to an area of this level and code. */
int store_put_water(struct store *st, enum area_level level, const char *code,
		    const uint8_t *wkb, size_t len, char *err, size_t errlen);

/* Safety regions and which municipality belongs to which. */
int store_clear_regions(struct store *st, char *err, size_t errlen);
int store_put_region(struct store *st, const char *code, const char *name,
		     const uint8_t *wkb, size_t len, char *err, size_t errlen);
int store_clear_memberships(struct store *st, char *err, size_t errlen);
/* Returns -EEXIST when the municipality already has a region in this import. */
int store_put_membership(struct store *st, const char *gemeente_code, const char *gemeente_name,
			 const char *region_code, char *err, size_t errlen);

/* Sites: a source's sites are replaced whole. */
int store_clear_sites(struct store *st, const char *source, char *err, size_t errlen);
int store_put_site(struct store *st, const struct store_site *s, char *err, size_t errlen);

/* Checks that every municipality (level AREA_GEMEENTE) has exactly one safety region and
 * every membership names a known region, when both are present. Returns 0 or -EINVAL with
 * up to a few offending codes in err ("GM0999 (Nergenshuizen) has no safety region"). */
int store_check_memberships(struct store *st, char *err, size_t errlen);

/* Records an import (files: a '\n'-separated list; summary_json: free text) and updates
 * the data version. Inside the import's transaction. */
int store_log_import(struct store *st, const char *started_at, const char *files,
		     long repaired, long unknown, const char *summary_json,
		     char *err, size_t errlen);

/* Fills out from the database (outside or inside a transaction). */
int store_summary(struct store *st, struct store_summary *out, char *err, size_t errlen);

/* A 64-bit hash over every data table's content in a canonical order, as 16 hex digits;
 * equal databases give equal versions, the import log is not included. */
int store_data_version(struct store *st, char out[17], char *err, size_t errlen);

/* The UTC time now as "2026-11-27T22:10:00Z". */
void store_utc_now(char out[32]);

/* The sqlite3 handle, for other modules in data/ (store_areas.c, store_summary.c) only. */
struct sqlite3 *store_handle(struct store *st);

#endif
