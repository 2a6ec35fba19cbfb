/* Reads GeoPackage files (sqlite3 databases with the OGC gpkg_* tables) read-only: the
 * feature layers with their geometry column and srs, and rows of chosen columns.
 * Returns geometry blobs as bytes; decoding them is geo/'s job. Never writes the file. */
#ifndef HUB_GPKG_READER_H
#define HUB_GPKG_READER_H

#include <stddef.h>
#include <stdint.h>

struct gpkg;
struct gpkg_cursor;

struct gpkg_layer {
	char name[128];
	char geom_column[128];
	char geom_type[32];           /* POINT, MULTIPOLYGON, ... as declared */
	char fid_column[128];         /* the integer primary key */
	int32_t srs_id;
	char srs_org[32];             /* "EPSG" */
	int32_t srs_org_id;           /* 28992; -1 when the srs is not in gpkg_spatial_ref_sys */
};

/* Opens path read-only and checks it is a GeoPackage. Returns 0 and *out (free with
 * gpkg_close, accepts NULL), -ENOENT, or -EINVAL with "not a GeoPackage: ..." in err. */
int gpkg_open(const char *path, struct gpkg **out, char *err, size_t errlen);
void gpkg_close(struct gpkg *g);

/* The file's feature layers (from gpkg_contents joined with gpkg_geometry_columns). */
size_t gpkg_layer_count(const struct gpkg *g);
const struct gpkg_layer *gpkg_layer_at(const struct gpkg *g, size_t i);
/* The layer called name, or NULL. */
const struct gpkg_layer *gpkg_layer_find(const struct gpkg *g, const char *name);
/* 1 when the layer's table has this column, else 0. */
int gpkg_has_column(struct gpkg *g, const struct gpkg_layer *layer, const char *column);

/* Iterates layer rows selecting the fid, the geometry and the named columns in order.
 * Columns marked optional (optional[i] != 0; optional may be NULL) that the table lacks
 * read as NULL; a missing required column gives -EINVAL "layer wijken: missing column
 * aantal_inwoners". *out is freed with gpkg_cursor_close (accepts NULL). */
int gpkg_cursor_open(struct gpkg *g, const struct gpkg_layer *layer,
		     const char *const *columns, const int *optional, size_t ncolumns,
		     struct gpkg_cursor **out, char *err, size_t errlen);
void gpkg_cursor_close(struct gpkg_cursor *c);

/* Advances: 1 on a row, 0 at the end, negative errno with err on failure. */
int gpkg_cursor_next(struct gpkg_cursor *c, char *err, size_t errlen);
int64_t gpkg_cursor_fid(struct gpkg_cursor *c);
/* The geometry blob of the current row (NULL when SQL NULL); valid until the next call. */
const uint8_t *gpkg_cursor_geom(struct gpkg_cursor *c, size_t *len);
/* Column i as text (NULL when SQL NULL); valid until the next call. */
const char *gpkg_cursor_text(struct gpkg_cursor *c, size_t i);
/* Column i as a number: 0 and *v when numeric (or numeric text), 1 when NULL or empty,
 * -EINVAL when text that is not a number. */
int gpkg_cursor_number(struct gpkg_cursor *c, size_t i, double *v);

#endif
