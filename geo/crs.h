/* Coordinate reference systems with PROJ: RD New (EPSG:28992) <-> ETRS89 (EPSG:4258), using
 * NSGI's RDNAPTRANS2018 grid when the configured folder holds it, and transforming whole
 * WKB geometries from any EPSG code into RD New. No network access, no logging. */
#ifndef HUB_CRS_H
#define HUB_CRS_H

#include <stddef.h>
#include <stdint.h>

struct crs;

/* Opens PROJ with grid_dir (may be NULL or "") searched before PROJ's default search path
 * (user folder, PROJ_DATA, /usr/share/proj); network access is off and PROJ's log is kept
 * inside the struct, never printed. RD<->ETRS89 uses the first instantiable candidate whose
 * grids are all present: with nl_nsgi_rdtrans2018.tif in reach that is the grid operation,
 * and the best grid-less (Helmert) operation is kept for points beyond the grid's edge;
 * without the grid it is the Helmert operation (a few cm, worst about 0.25 m).
 * Returns 0 and *out (free with crs_close(), accepts NULL) or a negative errno with err
 * (-ENOMEM, -ENOENT when proj.db or the operation cannot be found).
 * One struct crs per thread: PROJ objects are not shared between threads. */
int crs_open(const char *grid_dir, struct crs **out, char *err, size_t errlen);
void crs_close(struct crs *c);

/* 1 when the RD<->ETRS89 transformation in use applies the NSGI grid, else 0. */
int crs_uses_grid(const struct crs *c);

/* A description of the operation in use (PROJ's name for it, plus the fallback's name
 * when there is one). Owned by c. */
const char *crs_operation_name(const struct crs *c);

/* The OGC WKT 1 definition of EPSG:epsg from PROJ's database, on one line (for the
 * srs table of a GeoPackage). *out is malloc'd (caller frees). 0, or -ENOENT for a code
 * PROJ does not know, or -ENOMEM, with err. */
int crs_epsg_wkt(struct crs *c, int epsg, char **out, char *err, size_t errlen);

/* RD New metres -> ETRS89 degrees, and back. Accepted area: 49.5..56.5 N, 1.5..8.5 E
 * (RDNAPTRANS2018's 50..56 N, 2..8 E plus half a degree). Return 0 or -EDOM (not finite,
 * outside that area, or PROJ failed; err holds PROJ's reason). */
int crs_rd_to_etrs89(struct crs *c, double x_rd, double y_rd, double *lat, double *lon,
		     char *err, size_t errlen);
int crs_etrs89_to_rd(struct crs *c, double lat, double lon, double *x_rd, double *y_rd,
		     char *err, size_t errlen);

/* Transforms every x,y of the WKB geometry wkb[0..len) in place, in the WKB's own byte
 * order, from EPSG:epsg (any CRS PROJ knows; axis order normalised to x=easting/longitude)
 * to RD New. All seven types, ISO and EWKB Z/M/ZM (z and m untouched) and the EWKB SRID
 * are accepted. EPSG:4258 uses the same operations as crs_etrs89_to_rd; other codes get a
 * PROJ crs_to_crs transformation cached in c (a few codes). epsg 28992 returns 0 at once.
 * Returns 0, -EINVAL for malformed or trailing bytes, -ENOENT for an EPSG code PROJ does
 * not know ("EPSG:999999 is not known to PROJ"), -EDOM when a point fails, or -ENOMEM;
 * on any error wkb is left exactly as it was. */
int crs_wkb_to_rd(struct crs *c, int epsg, uint8_t *wkb, size_t len, char *err, size_t errlen);

#endif
