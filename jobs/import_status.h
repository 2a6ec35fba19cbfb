/* Importing a file of site statuses (CSV or GeoJSON: a site or a position, a status, a
 * note) into the store, all or nothing: every row is checked and resolved to a site before
 * anything is written. docs/statuses.md describes the format. */
#ifndef HUB_IMPORT_STATUS_H
#define HUB_IMPORT_STATUS_H

#include <stddef.h>
#include <stdio.h>

struct import_status_report {
	long designated, rejected, released;
};

/* Reads path (GeoJSON when it ends in .geojson or .json, else CSV), resolves every row to
 * a site of the database at db_path (a position: the nearest site within 25 m) and stores
 * the statuses in one transaction with set_by "file:<path>". grid_dir is PROJ's grid folder
 * for degrees (NULL = none). 0 with rep filled, or a negative errno with err naming the
 * file, line (CSV) or feature index (GeoJSON), field and value; then nothing is stored. */
int import_status_file(const char *db_path, const char *path, const char *grid_dir,
		       struct import_status_report *rep, char *err, size_t errlen);

/* "statuses: 3 designated, 1 rejected, 0 released (from FILE)". */
void import_status_report_print(const struct import_status_report *rep, const char *path,
				FILE *out);

#endif
