/* Exports a map model as GIS layers: plan sites (both levels), wijkbatterijen, per-area
 * results for every area level in scope, uncovered places per gemeente and the safety
 * regions, and the sites added and removed since the previous plan (layer changes), to a
 * GeoPackage (RD New) or an RFC 7946 GeoJSON file (lon/lat). The target
 * file is replaced only when the export is complete. Prints nothing. */
#ifndef HUB_EXPORT_H
#define HUB_EXPORT_H

#include <stddef.h>

#include "maps/map_model.h"
#include "util/lang.h"

enum export_format { EXPORT_GPKG, EXPORT_GEOJSON };

#define EXPORT_MAX_LAYERS 12

struct export_counts {
	int nlayers;
	const char *name[EXPORT_MAX_LAYERS];   /* static strings: "sites", "buurten", ... */
	long features[EXPORT_MAX_LAYERS];
};

/* Writes m to path in format (the model's crs gives the WKT and the lon/lat
 * transformation), a GeoPackage's QGIS legends in lang (field names and values are the
 * same in both). 0 or negative errno with err naming what failed; counts may be NULL. */
int export_write(const struct map_model *m, enum export_format format, enum lang lang,
		 const char *path, struct export_counts *counts, char *err, size_t errlen);

#endif
