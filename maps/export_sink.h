/* The two outputs of an export behind one interface: a layer starts with its fields,
 * then each feature gives RD WKB, its envelope and one value per field. The GeoPackage
 * sink writes them as they are, with a QGIS style per layer; the GeoJSON sink transforms
 * to lon/lat. Internal to
 * export.c and export_geojson.c. */
#ifndef HUB_EXPORT_SINK_H
#define HUB_EXPORT_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "data/gpkg_writer.h"
#include "geo/crs.h"
#include "geo/geom.h"

struct export_sink {
	int (*layer)(void *user, const char *name, const char *geometry_type,
		     const char *description, const struct gpkg_field *fields, int nfields,
		     char *err, size_t errlen);
	int (*feature)(void *user, const uint8_t *wkb, size_t len, const double env[4],
		       const struct gpkg_value *values, char *err, size_t errlen);
	int (*finish)(void *user, char *err, size_t errlen);   /* frees user */
	void (*abort)(void *user);                             /* frees user */
	void *user;
	/* Stores a layer's default style (QML) and its description; NULL for a format
	 * without styles. */
	int (*style)(void *user, const char *layer, const char *qml, const char *description,
		     char *err, size_t errlen);
};

/* Opens a GeoJSON FeatureCollection sink that will replace path; every feature gets a
 * "layer" property. g and crs are not owned and must outlive the sink. */
int export_geojson_open(const char *path, const char *title, struct geom_ctx *g,
			struct crs *crs, struct export_sink *out, char *err, size_t errlen);

#endif
