/* The import pipeline: CBS/PDOK GeoPackages, safety-region memberships and candidate sites
 * (GeoPackage, GeoJSON, CSV) into the store, as ONE transaction: on any error nothing that
 * was stored before changes. Errors name file, layer or line, feature id and field. */
#ifndef HUB_IMPORT_H
#define HUB_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "data/store.h"

enum import_kind {
	IMPORT_AREAS,                 /* gemeenten, wijken, buurten */
	IMPORT_GRID,                  /* CBS Vierkantstatistieken cells */
	IMPORT_REGIONS,               /* veiligheidsregio_gegeneraliseerd */
	IMPORT_MEMBERSHIP,            /* gemeente -> veiligheidsregio CSV */
	IMPORT_SITES,                 /* candidate and existing sites */
	IMPORT_SKIPPED,               /* a layer that is not ours (listed, not read) */
	IMPORT_REF_AREAS,             /* a reference population layer (through a mapping) */
};

#define IMPORT_SKIP_REASONS 8
#define IMPORT_SKIP_EXAMPLES 3

/* Features skipped, or values dropped, for one reason ("geometry MultiLineString, not a
 * polygon"), with the first few examples ("BU04570003 (feature 1234)"). */
struct import_skip {
	char reason[96];
	int feature;                  /* 1 = the feature was skipped, 0 = only the value */
	long count;
	char examples[IMPORT_SKIP_EXAMPLES][96];
	double residents;             /* residents of the skipped features, when known */
};

struct import_layer_report {
	char file[256];               /* base name */
	char layer[128];              /* layer name, or "" for CSV/GeoJSON */
	enum import_kind kind;
	enum area_level level;        /* for IMPORT_AREAS / IMPORT_GRID */
	long features;                /* rows stored (land parts for areas) */
	long water_parts;
	long repaired;                /* geometries repaired with GEOSMakeValid */
	long unknown;                 /* CBS special values and empty figures */
	double residents;             /* known residents stored (land parts) */
	int transformed_from;         /* EPSG code the layer was transformed from, or 0 */
	char mapping[128];            /* the mapping file applied, "" = the built-in layouts */
	char ref_layer[64];           /* IMPORT_REF_AREAS: stored layer name */
	long skipped;                 /* features skipped (the sum over skip[] with feature) */
	struct import_skip skip[IMPORT_SKIP_REASONS]; /* reasons beyond the last are merged */
	size_t nskip;
};

struct import_report {
	struct import_layer_report *layers;
	size_t nlayers, cap;
	long repaired, unknown;
	double seconds;
	int changed;                  /* 1 when the data version differs from before */
	char data_version[17];
};

struct import_options {
	const char *grid_dir;         /* PROJ grid folder for other CRSs; NULL = none */
	const char *mappings_dir;     /* folder of mapping files (*.ini); NULL = none */
	int mappings_dir_optional;    /* 1: a missing mappings_dir is no error (the default) */
	const char *const *mapping_files; /* more mapping files (--mapping); at most one
	                               * without `file`, applied to the files named explicitly */
	size_t nmapping_files;
};

/* Imports the files and folders in paths (a folder: its *.gpkg, *.csv, *.geojson and
 * *.json files, sorted by name, then the files the mappings name relative to it, such as
 * instellingen/brandweerkazernes.geojson) into the database at db_path. A file or layer
 * that a mapping matches is read through it (docs/mappings.md), the rest in the built-in
 * layouts. Returns 0 and fills rep
 * (free with import_report_free), or a negative errno with the first error in err; on
 * error the database is exactly as before. */
int import_paths(const char *db_path, const char *const *paths, size_t npaths,
		 const struct import_options *opt, struct import_report *rep,
		 char *err, size_t errlen);

/* Frees what rep holds (not rep itself). Accepts a zeroed report. */
void import_report_free(struct import_report *rep);

/* Prints the per-layer lines of an import report. */
void import_report_print(const struct import_report *rep, FILE *out);

/* Prints the database summary: features per level, residents, municipalities, safety
 * regions and membership, sites, repairs and unknown values of the last import. */
void import_summary_print(const struct store_summary *s, FILE *out);

/* Checks the invariants of a summary that a complete national dataset must meet
 * (every municipality in exactly one of the safety regions). 0 or -EINVAL with err. */
int import_summary_check(const struct store_summary *s, char *err, size_t errlen);

#endif
