/* The hazard importer's GeoJSON reader: a FeatureCollection of Polygons and MultiPolygons
 * (lon/lat, or RD New with a crs member naming EPSG:28992) turned into checked RD New
 * polygons, every feature numbered in its errors. Reads and checks only; storing is
 * hazard_import.c's job. */
#include "jobs/hazard_internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/user_polygon.h"
#include "jobs/import_internal.h"
#include "util/grow.h"

/* The rings of one geometry as geo/user_polygon.h wants them. */
struct rings_buf {
	double *xy;
	size_t nxy, capxy;
	size_t *len;
	uint32_t *poly;
	size_t nrings, caprings, cappoly;
};

static void rings_free(struct rings_buf *b)
{
	free(b->xy);
	free(b->len);
	free(b->poly);
}

/* Appends one ring (an array of at least 4 positions, closed) of polygon poly. */
static int add_ring(struct rings_buf *b, json_t *ring, uint32_t poly, size_t k, char *err,
		    size_t errlen)
{
	size_t n = json_array_size(ring);
	if (!json_is_array(ring) || n < 4) {
		snprintf(err, errlen, "ring %zu must be an array of at least 4 positions", k);
		return -EINVAL;
	}
	if (grow_reserve(&b->xy, &b->capxy, b->nxy + 2 * n, sizeof *b->xy, 64) < 0 ||
	    grow_reserve(&b->len, &b->caprings, b->nrings + 1, sizeof *b->len, 8) < 0 ||
	    grow_reserve(&b->poly, &b->cappoly, b->nrings + 1, sizeof *b->poly, 8) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	double *xy = b->xy + b->nxy;
	for (size_t i = 0; i < n; i++) {
		json_t *pos = json_array_get(ring, i);
		json_t *x = json_array_get(pos, 0), *y = json_array_get(pos, 1);
		if (!json_is_array(pos) || json_array_size(pos) < 2 || !json_is_number(x) ||
		    !json_is_number(y)) {
			snprintf(err, errlen, "ring %zu position %zu must be [x, y] numbers", k, i);
			return -EINVAL;
		}
		xy[2 * i] = json_number_value(x);
		xy[2 * i + 1] = json_number_value(y);
	}
	if (xy[0] != xy[2 * n - 2] || xy[1] != xy[2 * n - 1]) {
		snprintf(err, errlen, "ring %zu is not closed: its last position [%g, %g] differs "
			 "from its first [%g, %g]", k, xy[2 * n - 2], xy[2 * n - 1], xy[0], xy[1]);
		return -EINVAL;
	}
	b->nxy += 2 * n;
	b->len[b->nrings] = n;
	b->poly[b->nrings++] = poly;
	return 0;
}

/* Appends the rings of one polygon (an array of rings, the exterior first). */
static int add_polygon(struct rings_buf *b, json_t *rings, uint32_t poly, char *err,
		       size_t errlen)
{
	if (!json_is_array(rings) || json_array_size(rings) == 0) {
		snprintf(err, errlen, "a polygon must be a non-empty array of rings");
		return -EINVAL;
	}
	int rc = 0;
	for (size_t k = 0; rc == 0 && k < json_array_size(rings); k++)
		rc = add_ring(b, json_array_get(rings, k), poly, b->nrings, err, errlen);
	return rc;
}

/* The feature's geometry as checked RD New WKB (*wkb malloc'd). */
static int feature_wkb(json_t *geom, int rd, struct geom_ctx *g, struct crs *crs,
		       uint8_t **wkb, size_t *len, char *err, size_t errlen)
{
	const char *type = json_string_value(json_object_get(geom, "type"));
	json_t *coords = json_object_get(geom, "coordinates");
	struct rings_buf b = {0};
	int rc = 0;
	if (type && strcmp(type, "Polygon") == 0) {
		rc = add_polygon(&b, coords, 0, err, errlen);
	} else if (type && strcmp(type, "MultiPolygon") == 0 && json_is_array(coords) &&
		   json_array_size(coords) > 0) {
		for (size_t p = 0; rc == 0 && p < json_array_size(coords); p++)
			rc = add_polygon(&b, json_array_get(coords, p), (uint32_t)p, err, errlen);
	} else {
		snprintf(err, errlen, "type %s%s%s: a Polygon or a non-empty MultiPolygon expected",
			 type ? "\"" : "", type ? type : "missing", type ? "\"" : "");
		rc = -EINVAL;
	}
	struct user_rings r = {b.xy, b.len, b.poly, b.nrings};
	if (rc == 0)
		rc = geo_user_polygon_epsg(g, crs, &r, rd ? 28992 : 4258, wkb, len, err, errlen);
	rings_free(&b);
	return rc;
}

/* Whether the feature passes the filter: 1 yes, 0 no (a null value), -EINVAL with err. */
static int feature_matches(json_t *props, const struct hazard_where *w, char *err,
			   size_t errlen)
{
	if (!w->field[0])
		return 1;
	json_t *v = json_object_get(props, w->field);
	char *end = NULL;
	double d = 0;
	if (json_is_null(v))
		return 0;
	if (json_is_number(v))
		d = json_number_value(v);
	else if (json_is_string(v))
		d = strtod(json_string_value(v), &end);
	if (!v) {
		snprintf(err, errlen, "properties.%s: missing (the --where field)", w->field);
		return -EINVAL;
	}
	if (json_is_string(v) && (end == json_string_value(v) || *end != '\0')) {
		snprintf(err, errlen, "properties.%s: \"%s\" is not a number", w->field,
			 json_string_value(v));
		return -EINVAL;
	}
	if (!json_is_number(v) && !json_is_string(v)) {
		snprintf(err, errlen, "properties.%s: a number expected", w->field);
		return -EINVAL;
	}
	return hazard_where_match(w, d);
}

/* The feature's name in errors and in the store: "3" or "3 (id dijkring16)". */
static void feature_name(json_t *feat, size_t i, char *out, size_t outlen)
{
	json_t *id = json_object_get(feat, "id");
	if (json_is_string(id))
		snprintf(out, outlen, "%zu (id %s)", i, json_string_value(id));
	else if (json_is_integer(id))
		snprintf(out, outlen, "%zu (id %lld)", i, (long long)json_integer_value(id));
	else
		snprintf(out, outlen, "%zu", i);
}

static int read_feature(json_t *feat, size_t i, int rd, const struct hazard_where *w,
			struct geom_ctx *g, struct crs *crs, struct hazard_polys *ps,
			char *err, size_t errlen)
{
	char name[80];
	feature_name(feat, i, name, sizeof name);
	int rc = json_is_object(feat) ? 0 : -EINVAL;
	if (rc < 0)
		snprintf(err, errlen, "not an object");
	if (rc == 0)
		rc = feature_matches(json_object_get(feat, "properties"), w, err, errlen);
	uint8_t *wkb = NULL;
	size_t len = 0;
	ps->rep->features++;
	if (rc == 0)
		ps->rep->filtered++;
	if (rc == 1 && (rc = feature_wkb(json_object_get(feat, "geometry"), rd, g, crs, &wkb,
					 &len, err, errlen)) < 0)
		import_err_prefix(err, errlen, "geometry");
	if (rc == 0 && wkb)
		rc = hazard_polys_add(ps, g, name, wkb, len, err, errlen);
	if (rc < 0)
		import_err_prefix(err, errlen, "feature %s", name);
	return rc < 0 ? rc : 0;
}

int hazard_read_geojson(const char *path, const struct hazard_where *w, struct geom_ctx *g,
			struct crs *crs, struct hazard_polys *ps, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "line %d column %d: not valid JSON: %s", jerr.line,
			 jerr.column, jerr.text);
		return -EINVAL;
	}
	json_t *features = json_object_get(root, "features");
	const char *type = json_string_value(json_object_get(root, "type"));
	int rc = 0;
	if (!type || strcmp(type, "FeatureCollection") != 0 || !json_is_array(features)) {
		snprintf(err, errlen, "not a GeoJSON FeatureCollection with a features array");
		rc = -EINVAL;
	}
	int rd = import_geojson_is_rd(root);
	for (size_t i = 0; rc == 0 && i < json_array_size(features); i++)
		rc = read_feature(json_array_get(features, i), i, rd, w, g, crs, ps, err, errlen);
	json_decref(root);
	return rc;
}
