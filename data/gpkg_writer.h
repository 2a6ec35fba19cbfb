/* Writes an OGC GeoPackage 1.3 of feature tables with sqlite3: the required metadata
 * tables, one table per layer (fid, geom and typed attribute columns), extents in
 * gpkg_contents. Built in a temporary file beside the target and renamed over it only
 * when complete, so a failed export never leaves a half-written file. Takes geometry as
 * standard WKB with its envelope; knows nothing of GEOS or PROJ. */
#ifndef HUB_GPKG_WRITER_H
#define HUB_GPKG_WRITER_H

#include <stddef.h>
#include <stdint.h>

struct gpkg_writer;

enum gpkg_type { GPKG_INTEGER, GPKG_REAL, GPKG_TEXT };

struct gpkg_field {
	const char *name;
	enum gpkg_type type;
};

/* One attribute value; null = 1 writes NULL (also for a NaN real or a NULL text). */
struct gpkg_value {
	int null;
	long long i;
	double d;
	const char *s;
};

struct gpkg_srs {
	int32_t srs_id;               /* = the EPSG code */
	const char *name, *wkt;
};

/* Starts a GeoPackage that will replace path, with the srs rows the standard requires
 * (-1, 0 and EPSG:4326, whose WKT is given) and srs. 0 or negative errno with err naming
 * the file. Finish with gpkg_writer_finish or gpkg_writer_abort (which free w). */
int gpkg_writer_open(const char *path, const struct gpkg_srs *srs, const char *wgs84_wkt,
		     struct gpkg_writer **out, char *err, size_t errlen);

/* Starts a layer: a feature table named table (letters, digits, '_') whose geometry
 * column "geom" holds geometry_type (POINT, MULTIPOLYGON, ...) in the writer's srs, with
 * the fields given (copied). Features added after this go into it. */
int gpkg_writer_layer(struct gpkg_writer *w, const char *table, const char *geometry_type,
		      const char *description, const struct gpkg_field *fields, int nfields,
		      char *err, size_t errlen);

/* Adds a feature to the current layer: standard WKB (not owned), its envelope
 * (minx, maxx, miny, maxy) and one value per field, in the layer's order. */
int gpkg_writer_feature(struct gpkg_writer *w, const uint8_t *wkb, size_t wkb_len,
			const double envelope[4], const struct gpkg_value *values,
			char *err, size_t errlen);

/* Stores a QGIS style (QML, not owned) for the feature table table (a layer already
 * started) as its default in the layer_styles table that QGIS reads, created and listed
 * in gpkg_contents (as attributes) on the first call. 0 or negative errno with err. */
int gpkg_writer_style(struct gpkg_writer *w, const char *table, const char *style_name,
		      const char *qml, const char *description, char *err, size_t errlen);

/* Writes the extents, commits and moves the file into place. Frees w in every case. */
int gpkg_writer_finish(struct gpkg_writer *w, char *err, size_t errlen);
/* Drops the unfinished file and frees w (accepts NULL). */
void gpkg_writer_abort(struct gpkg_writer *w);

#endif
