/* Test fixtures: small GeoPackages, CSV and GeoJSON files written by the tests themselves,
 * with the official CBS layer and column names, to drive the importer through each good
 * and bad case. Test-only code: every function aborts when it cannot write, so a test
 * that cannot set up never passes. Needs only libc and sqlite3. */
#ifndef HUB_FIXTURE_H
#define HUB_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

/* ---- geometry: WKB and GeoPackage blobs ---- */

#define FX_BLOB_MAX 4096

enum fx_type { FX_POINT = 1, FX_POLYGON = 3, FX_MULTIPOLYGON = 6 };

/* A geometry from coordinate arrays (none owned). xy holds x0,y0,x1,y1,... for all rings
 * one after another; npts[i] is the point count of ring i (a closed ring repeats its first
 * point). FX_POINT uses xy[0..1] only. FX_POLYGON: the rings of one polygon (outer first).
 * FX_MULTIPOLYGON: one polygon per ring. nrings 0 gives an empty (Multi)Polygon. */
struct fx_shape {
	enum fx_type type;
	const double *xy;
	const size_t *npts;
	size_t nrings;
};

/* How the GeoPackage header is written. envelope: 0 none, 1 xy (32 bytes), 2 xyz and 3 xym
 * (48), 4 xyzm (64); the envelope is computed from the shape (z, m are 0). */
struct fx_blob_opt {
	int32_t srs_id;
	int envelope;
	int big_header;               /* srs_id and envelope big-endian (flags bit 0 clear) */
	int big_wkb;                  /* the WKB big-endian */
	int empty;                    /* sets the header's empty flag */
};

/* A GeoPackage geometry blob held by value: no ownership, copy or edit it freely
 * (truncate by lowering n, corrupt by writing into b). */
struct fx_blob {
	uint8_t b[FX_BLOB_MAX];
	size_t n;
};

/* Writes the WKB of s into out[0..cap) and returns its length. */
size_t fx_wkb(const struct fx_shape *s, int big_endian, uint8_t *out, size_t cap);

/* Builds the blob of s with the header options o into *out. */
void fx_blob(const struct fx_blob_opt *o, const struct fx_shape *s, struct fx_blob *out);

/* Fills xy[10] with the closed ring of the axis-aligned square (x0, y0) .. (x0+side, y0+side). */
void fx_square_ring(double x0, double y0, double side, double xy[10]);

/* The blob of a one-square MultiPolygon (little-endian, xy envelope) in srs_id. */
void fx_square_blob(double x0, double y0, double side, int32_t srs_id, struct fx_blob *out);

/* ---- GeoPackage files ---- */

struct fx_gpkg;

/* Creates dir/name as a GeoPackage with gpkg_spatial_ref_sys (rows -1, 0, 4326, 28992),
 * gpkg_contents and gpkg_geometry_columns, and copies its full path into path (may be NULL).
 * The caller owns the handle: finish with fx_gpkg_close(), which writes and closes it. */
struct fx_gpkg *fx_gpkg_create(const char *dir, const char *name, char *path, size_t pathlen);
void fx_gpkg_close(struct fx_gpkg *g);

/* Adds a row to gpkg_spatial_ref_sys. */
void fx_gpkg_add_srs(struct fx_gpkg *g, int32_t srs_id, const char *org, int32_t org_id);

/* Creates feature table `table` (fid INTEGER PRIMARY KEY, geom <geom_type>, then columns,
 * each a definition such as "aantal_inwoners INTEGER") and registers it in gpkg_contents
 * and gpkg_geometry_columns with srs_id. */
void fx_gpkg_add_layer(struct fx_gpkg *g, const char *table, const char *geom_type,
		       int32_t srs_id, const char *const *columns, size_t ncolumns);

/* Inserts one row: fid, geom (NULL writes SQL NULL) and values, which are SQL literals
 * ("'GM0001'", "12", "NULL", "'12a'") in the layer's column order. Nothing is kept. */
void fx_gpkg_insert(struct fx_gpkg *g, const char *table, int64_t fid,
		    const struct fx_blob *geom, const char *const *values, size_t nvalues);

/* Runs SQL on the open GeoPackage (e.g. to drop a column). */
void fx_gpkg_exec(struct fx_gpkg *g, const char *sql);

/* Opens or creates the sqlite database at path, runs sql and closes it. */
void fx_sqlite_exec(const char *path, const char *sql);

/* ---- the official CBS layers ---- */

/* One row of gemeenten, wijken or buurten (Wijk- en Buurtkaart). Strings are not owned.
 * The figures not listed here get fixed plausible values. */
struct fx_area {
	const char *code;             /* gemeentecode, wijkcode or buurtcode */
	const char *name;
	const char *gemeente;         /* wijken and buurten: the gemeentecode */
	const char *wijk;             /* buurten: the wijkcode */
	int water;                    /* 1 writes water = 'JA' (a water part), else 'NEE' */
	double residents;             /* aantal_inwoners; NAN writes NULL */
	double urbanity;              /* stedelijkheid_adressen_per_km2; NAN writes NULL */
	double x0, y0, side;          /* a square in layer units ... */
	const struct fx_blob *geom;   /* ... unless this blob is given (not owned) */
};

/* Adds layer "gemeenten", "wijken" or "buurten" (the name picks the key columns) with all
 * official columns, rows with fid 1..n. Squares get a blob in srs_id. */
void fx_area_layer(struct fx_gpkg *g, const char *layer, int32_t srs_id,
		   const struct fx_area *rows, size_t n);

/* One 100 m cell of Vierkantstatistieken. geom NULL: the square rebuilt from id. */
struct fx_cell {
	const char *id;               /* crs28992res100m, "E1500N4500" */
	double residents;             /* NAN writes NULL */
	const struct fx_blob *geom;
};

/* Adds a grid layer (POLYGON, EPSG:28992) with crs28992res100m and the aantal_* columns. */
void fx_grid_layer(struct fx_gpkg *g, const char *layer, const struct fx_cell *cells, size_t n);

/* One safety region: statcode VRnn, statnaam, a square in RD metres or a blob. */
struct fx_region {
	const char *code, *name;
	double x0, y0, side;
	const struct fx_blob *geom;
};

/* Adds layer veiligheidsregio_gegeneraliseerd (MULTIPOLYGON, EPSG:28992). */
void fx_region_layer(struct fx_gpkg *g, const struct fx_region *rows, size_t n);

/* A site. x, y are RD metres or lon, lat degrees, as the writer states. */
struct fx_site {
	const char *name;
	const char *kind;             /* NULL: left empty */
	double x, y;
	int fixed;
};

/* Adds a POINT layer (naam, kind, capacity, fixed) in srs_id; x, y in layer units. */
void fx_site_layer(struct fx_gpkg *g, const char *layer, int32_t srs_id,
		   const struct fx_site *sites, size_t n);

/* ---- CSV and GeoJSON files; each writes dir/name and copies its path into path ---- */

/* One row of the membership CSV (gemeentecode,gemeentenaam,veiligheidsregiocode,
 * veiligheidsregionaam). */
struct fx_member {
	const char *gemeente, *gemeente_name, *region, *region_name;
};

void fx_write_memberships(const char *dir, const char *name, const struct fx_member *m,
			  size_t n, char *path, size_t pathlen);

/* Site CSV with RD coordinates: id,name,kind,x,y,capacity,fixed (comma separated). */
void fx_write_sites_rd_csv(const char *dir, const char *name, const struct fx_site *s,
			   size_t n, char *path, size_t pathlen);

/* A site CSV like fx_write_sites_rd_csv of n schools "Extra i" on a grid of cols columns,
 * step_m apart, from RD (85000, 430000): south of Rotterdam, inside the real data. */
void fx_write_grid_sites_csv(const char *dir, const char *name, int n, int cols,
			     double step_m, char *path, size_t pathlen);

/* Site CSV in ETRS89 degrees: name;lat;lon;fixed (semicolon separated; x = lon, y = lat). */
void fx_write_sites_latlon_csv(const char *dir, const char *name, const struct fx_site *s,
			       size_t n, char *path, size_t pathlen);

/* GeoJSON FeatureCollection of Points [lon, lat] (x = lon, y = lat), ids 1..n. */
void fx_write_sites_geojson(const char *dir, const char *name, const struct fx_site *s,
			    size_t n, char *path, size_t pathlen);

#endif
