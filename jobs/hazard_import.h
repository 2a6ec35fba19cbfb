/* Hazard layers from the command line: hazard-import reads a polygon layer (GeoPackage or
 * GeoJSON, optionally filtered on one numeric field), checks every kept polygon and stores
 * the layer under a name in one transaction; hazard-list and hazard-drop. No logging: the
 * caller prints the report and the errors. */
#ifndef HUB_HAZARD_IMPORT_H
#define HUB_HAZARD_IMPORT_H

#include <stddef.h>
#include <stdio.h>

struct hazard_import_options {
	const char *layer;            /* GeoPackage layer; NULL = the file's only layer */
	const char *where;            /* "FIELD>=VALUE" (also >, <=, <, =); NULL = every feature */
	const char *grid_dir;         /* PROJ grid folder ([proj] grid_dir); NULL = none */
};

struct hazard_import_report {
	long features;                /* features read from the file */
	long kept;                    /* of them stored (matching the filter) */
	long filtered;                /* of them left out by the filter (also a NULL value) */
	double area_m2;               /* the kept polygons' summed area */
	int replaced;                 /* 1 when a layer of that name was replaced */
};

/* Reads path (.gpkg: a GeoPackage layer, any CRS PROJ knows; .geojson or .json: a
 * FeatureCollection in lon/lat, or RD New with a crs member naming EPSG:28992) and stores
 * its (Multi)Polygons as hazard layer name (lower-case letters, digits and _, at most 63)
 * in the database at db_path, replacing a layer of that name. Every feature is checked
 * first: a polygon (geo_rd_polygon_check: valid, inside the Netherlands, some area) and
 * the filter's field a number. 0 with rep filled, or a negative errno with err naming the
 * file, the feature (GeoJSON: its index and id; GeoPackage: layer and fid), the field and
 * the value; then nothing is stored and an older layer of that name is kept as it was. */
int hazard_import(const char *db_path, const char *name, const char *path,
		  const struct hazard_import_options *opt, struct hazard_import_report *rep,
		  char *err, size_t errlen);

/* "hazard NAME: 12 of 14 features stored (2 left out by depth_m>=0.5), 3.41 km2, from
 * FILE" (and "replacing the older layer" when it did). */
void hazard_import_report_print(const struct hazard_import_report *rep, const char *name,
				const char *path, const struct hazard_import_options *opt,
				FILE *out);

/* Prints one line per stored layer (name, features, km2, filter, import time, source), or
 * "no hazard layers" to out. 0 or negative errno with err. */
int hazard_list(const char *db_path, FILE *out, char *err, size_t errlen);

/* Deletes hazard layer name in one transaction. -ENOENT "no hazard layer NAME" when there
 * is none; 0 or negative errno with err. Stored plans keep their parameters (a later plan
 * naming the layer fails with "hazard layer NAME is not imported"). */
int hazard_drop(const char *db_path, const char *name, char *err, size_t errlen);

#endif
