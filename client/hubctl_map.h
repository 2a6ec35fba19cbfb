/* hubctl's map commands: `export` (GeoPackage or GeoJSON layers) and `report` (one HTML
 * page). Both read the newest plan from the database directly, without the daemon, and
 * print what they wrote or the error. Used by hubctl.c only. */
#ifndef HUB_HUBCTL_MAP_H
#define HUB_HUBCTL_MAP_H

#include "config/config.h"
#include "util/lang.h"

/* Writes the export of scope (NULL = the nation) to path, a GeoPackage's QGIS legends in
 * lang, and says so in lang; returns the exit code. The file's field names are the same in
 * both languages. */
int ctl_map_export(const struct config *cfg, enum lang lang, const char *scope, int gpkg,
		   const char *path);

/* Writes the HTML report of scope (NULL = the nation) to path in lang; returns the exit
 * code. */
int ctl_map_report(const struct config *cfg, enum lang lang, const char *scope,
		   const char *path);

#endif
