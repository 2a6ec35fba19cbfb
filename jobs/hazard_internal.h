/* What the hazard importer's two readers (GeoPackage in hazard_import.c, GeoJSON in
 * hazard_geojson.c) share: the feature filter and the list of checked polygons waiting
 * to be stored. Not for use outside the hazard importer. */
#ifndef HUB_HAZARD_INTERNAL_H
#define HUB_HAZARD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "geo/crs.h"
#include "geo/geom.h"
#include "jobs/hazard_import.h"

enum hazard_op { HAZARD_GE, HAZARD_GT, HAZARD_LE, HAZARD_LT, HAZARD_EQ };

/* --where FIELD>=VALUE parsed; field[0] == '\0' keeps every feature. */
struct hazard_where {
	char field[64];
	enum hazard_op op;
	double value;
};

/* One checked polygon: RD New WKB (owned), its feature's name in the file, box, area. */
struct hazard_poly {
	char feature[80];
	uint8_t *wkb;
	size_t len;
	struct geom_bbox box;
	double area_m2;
};

/* The polygons read so far, and the counts of the report. Zero-initialise; free with
 * hazard_polys_free. */
struct hazard_polys {
	struct hazard_poly *v;
	size_t n, cap;
	struct hazard_import_report *rep;
};

/* Parses "depth_m>=0.5" (operators >=, >, <=, <, =). text NULL or "" = no filter. 0 or
 * -EINVAL with err naming the text. */
int hazard_where_parse(const char *text, struct hazard_where *w, char *err, size_t errlen);

/* 1 when value v passes w, else 0. */
int hazard_where_match(const struct hazard_where *w, double v);

/* Checks RD New wkb[0..len) (taken: freed on error) with geo_rd_polygon_check and appends
 * it under feature. 0, or -EINVAL/-EDOM/-ENOMEM with err. */
int hazard_polys_add(struct hazard_polys *ps, struct geom_ctx *g, const char *feature,
		     uint8_t *wkb, size_t len, char *err, size_t errlen);
void hazard_polys_free(struct hazard_polys *ps);

/* Reads the GeoJSON file path into ps. Errors: "line L column C: not valid JSON: ..." for
 * JSON that does not parse, else "feature N (id X): geometry: ..." or "feature N:
 * properties.FIELD: ..."; the caller adds the path. crs is used for lon/lat. 0 or
 * negative errno with err. */
int hazard_read_geojson(const char *path, const struct hazard_where *w, struct geom_ctx *g,
			struct crs *crs, struct hazard_polys *ps, char *err, size_t errlen);

#endif
