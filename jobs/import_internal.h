/* State shared by the import's source files while one import runs: the open store inside
 * its transaction, the GEOS and PROJ contexts, the report being filled, and the value
 * helpers every reader uses for CBS figures. Not for use outside the importer. */
#ifndef HUB_IMPORT_INTERNAL_H
#define HUB_IMPORT_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "data/gpkg_reader.h"
#include "config/mapping.h"
#include "data/store.h"
#include "geo/crs.h"
#include "geo/geom.h"
#include "jobs/import.h"

struct import_run {
	struct store *store;
	struct geom_ctx *geom;
	struct crs *crs;              /* opened lazily: only other CRSs and GeoJSON need it */
	const struct import_options *opt;
	struct import_report *rep;
	int level_cleared[AREA_LEVELS + 1];
	int regions_cleared, memberships_cleared;
	struct mapping_set mappings;  /* loaded from the options */
	const struct mapping *explicit_mapping; /* the one without `file`, or NULL */
	char **ref_cleared;           /* reference layers cleared in this import */
	size_t nref_cleared;
	const char *const *paths;     /* the import's arguments, as given */
	size_t npaths;
};

/* 1 when path is a file named as an argument of the import (not found in a folder). */
int import_is_explicit(const struct import_run *run, const char *path);

/* Adds an empty layer line to the report. NULL when out of memory. */
struct import_layer_report *import_report_add(struct import_report *rep, const char *file,
					      const char *layer, enum import_kind kind);

/* The PROJ context, opened on first use. 0 or negative errno with err. */
int import_crs(struct import_run *run, struct crs **out, char *err, size_t errlen);

/* Reads a CBS figure: NaN for SQL NULL, empty text and the special values -99999..-99990
 * (secret / unknown), counting those in *unknown. A non-number or a negative count gives
 * -EINVAL with "field: message". */
int import_figure(struct gpkg_cursor *cur, size_t col, const char *field, int count,
		  double *out, long *unknown, char *err, size_t errlen);

/* Decodes the GeoPackage blob of the current row into a malloc'd WKB in RD New (caller
 * frees), checking srs_id and the empty flag, transforming when the layer's CRS is not
 * EPSG:28992. 0 or -EINVAL with err. */
int import_row_wkb(struct import_run *run, const struct gpkg_layer *layer,
		   struct gpkg_cursor *cur, uint8_t **wkb, size_t *len, char *err, size_t errlen);

/* Layer readers (import_areas.c). Each fills its report line and writes into the store.
 * Errors are "layer X: feature N: field: message" (the caller adds the file name). */
int import_area_layer(struct import_run *run, struct gpkg *g, const struct gpkg_layer *layer,
		      enum area_level level, struct import_layer_report *lr, char *err,
		      size_t errlen);
int import_grid_layer(struct import_run *run, struct gpkg *g, const struct gpkg_layer *layer,
		      enum area_level level, const char *code_column,
		      struct import_layer_report *lr, char *err, size_t errlen);
int import_region_layer(struct import_run *run, struct gpkg *g, const struct gpkg_layer *layer,
			struct import_layer_report *lr, char *err, size_t errlen);

/* Site and membership readers (import_sites.c). path is the full file path. */
int import_site_layer(struct import_run *run, struct gpkg *g, const struct gpkg_layer *layer,
		      const char *file, struct import_layer_report *lr, char *err, size_t errlen);
int import_csv_file(struct import_run *run, const char *path, char *err, size_t errlen);
int import_geojson_file(struct import_run *run, const char *path, char *err, size_t errlen);
/* The GeoJSON reader on len bytes in memory (for the fuzz target): path stands for the file
 * in errors and as the site source. Same checks and errors as import_geojson_file. */
int import_geojson_buffer(struct import_run *run, const char *path, const char *data,
			  size_t len, char *err, size_t errlen);

/* 1 when a GeoJSON document's legacy crs member names EPSG:28992 (RD New), else 0
 * (RFC 7946 lon/lat). */
int import_geojson_is_rd(json_t *root);

/* Counts a skipped feature (feature = 1) or dropped value (0) under reason, keeping the
 * first examples; residents (NaN = unknown) add to the reason's residents. */
void import_skip(struct import_layer_report *lr, int feature, const char *reason,
		 const char *example, double residents);

/* Readers through a mapping (import_mapped.c, import_ref.c). path is the full file path. */
int import_mapped_geojson(struct import_run *run, const char *path, const struct mapping *m,
			  char *err, size_t errlen);
int import_ref_layer(struct import_run *run, struct gpkg *g, const struct gpkg_layer *layer,
		     const struct mapping *m, struct import_layer_report *lr, char *err,
		     size_t errlen);

/* Puts a formatted context in front of the error already in err ("layer wijken:
 * feature 17: " + err). */
void import_err_prefix(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The base name of a path (points into path). */
const char *import_basename(const char *path);

#endif
