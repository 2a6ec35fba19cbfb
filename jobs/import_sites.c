/* Readers for candidate and existing sites (GeoPackage point layers, CSV, GeoJSON) and for
 * the municipality -> safety region CSV. Each source replaces its earlier sites whole.
 * Coordinates end in RD New; every error names the file, line or feature, and field. */
#define _DEFAULT_SOURCE
#include "jobs/import_internal.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data/csv.h"

/* RD New's domain (EPSG:28992 area of use, rounded outwards). */
#define RD_MIN_X (-7000.0)
#define RD_MAX_X 300000.0
#define RD_MIN_Y 289000.0
#define RD_MAX_Y 629000.0

struct site_row {
	struct store_site s;
	char id[32];
};

static int parse_number(const char *text, const char *field, double *out, char *err,
			size_t errlen)
{
	char *end = NULL;
	while (text && isspace((unsigned char)*text))
		text++;
	if (!text || !*text) {
		snprintf(err, errlen, "%s: empty value", field);
		return -EINVAL;
	}
	*out = strtod(text, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (*end || *out != *out || *out > 1e300 || *out < -1e300) {
		snprintf(err, errlen, "%s: \"%s\" is not a number", field, text);
		return -EINVAL;
	}
	return 0;
}

static int parse_fixed(const char *text, int *fixed, char *err, size_t errlen)
{
	static const char *const yes[] = {"1", "true", "yes", "ja", "y", "j"};
	static const char *const no[] = {"", "0", "false", "no", "nee", "n"};
	for (size_t i = 0; i < 6; i++) {
		if (strcasecmp(text, yes[i]) == 0)
			return *fixed = 1, 0;
		if (strcasecmp(text, no[i]) == 0)
			return *fixed = 0, 0;
	}
	snprintf(err, errlen, "fixed: \"%s\" is not one of 1/0, true/false, yes/no, ja/nee", text);
	return -EINVAL;
}

static int check_site(const struct store_site *s, char *err, size_t errlen)
{
	if (!s->name || !*s->name) {
		snprintf(err, errlen, "name: empty");
		return -EINVAL;
	}
	if (!(s->x_rd >= RD_MIN_X && s->x_rd <= RD_MAX_X && s->y_rd >= RD_MIN_Y &&
	      s->y_rd <= RD_MAX_Y)) {
		snprintf(err, errlen, "position x=%.1f y=%.1f (RD New) is outside the Netherlands",
			 s->x_rd, s->y_rd);
		return -EINVAL;
	}
	if (s->capacity == s->capacity && s->capacity < 0) {
		snprintf(err, errlen, "capacity: %g is negative", s->capacity);
		return -EINVAL;
	}
	for (const char *p = s->kind; *p; p++)
		if (!islower((unsigned char)*p) && *p != '_') {
			snprintf(err, errlen, "kind: \"%s\" must be lower-case letters and _",
				 s->kind);
			return -EINVAL;
		}
	return 0;
}

static int put_site(struct import_run *run, struct site_row *r, struct import_layer_report *lr,
		    char *err, size_t errlen)
{
	int rc = check_site(&r->s, err, errlen);
	if (rc == 0)
		rc = store_put_site(run->store, &r->s, err, errlen);
	lr->features += rc == 0;
	return rc;
}

static const char *layer_kind(const char *layer)
{
	return strcmp(layer, "scholen") == 0 ? "school" : "other";
}

static int site_from_row(struct import_run *run, const struct gpkg_layer *layer,
			 struct gpkg_cursor *cur, struct site_row *r, char *err, size_t errlen)
{
	uint8_t *wkb = NULL;
	size_t len = 0;
	const char *kind = gpkg_cursor_text(cur, 1), *fixed = gpkg_cursor_text(cur, 4);
	int rc = import_row_wkb(run, layer, cur, &wkb, &len, err, errlen);
	if (rc == 0)
		rc = geom_point_xy(run->geom, wkb, len, &r->s.x_rd, &r->s.y_rd, err, errlen);
	free(wkb);
	r->s.name = gpkg_cursor_text(cur, 0);
	if (!r->s.name)
		r->s.name = gpkg_cursor_text(cur, 5);
	r->s.kind = kind && *kind ? kind : layer_kind(layer->name);
	r->s.subkind = gpkg_cursor_text(cur, 2);
	r->s.capacity = STORE_UNKNOWN;
	if (rc == 0 && gpkg_cursor_number(cur, 3, &r->s.capacity) < 0) {
		snprintf(err, errlen, "capacity: \"%s\" is not a number", gpkg_cursor_text(cur, 3));
		rc = -EINVAL;
	}
	if (rc == 0 && fixed)
		rc = parse_fixed(fixed, &r->s.fixed, err, errlen);
	return rc;
}

int import_site_layer(struct import_run *run, struct gpkg *g, const struct gpkg_layer *layer,
		      const char *file, struct import_layer_report *lr, char *err, size_t errlen)
{
	const char *cols[] = {"naam", "kind", "type", "capacity", "fixed", "name"};
	const int optional[] = {1, 1, 1, 1, 1, 1};
	char source[400];
	struct gpkg_cursor *cur = NULL;
	snprintf(source, sizeof source, "%s:%s", import_basename(file), layer->name);
	int rc = gpkg_cursor_open(g, layer, cols, optional, 6, &cur, err, errlen);
	if (rc == 0)
		rc = store_clear_sites(run->store, source, err, errlen);
	while (rc == 0 && (rc = gpkg_cursor_next(cur, err, errlen)) == 1) {
		struct site_row r = {.s = {.source = source, .beds = STORE_UNKNOWN,
					.ic_beds = STORE_UNKNOWN, .clients = STORE_UNKNOWN}};
		snprintf(r.id, sizeof r.id, "%lld", (long long)gpkg_cursor_fid(cur));
		r.s.source_id = r.id;
		rc = site_from_row(run, layer, cur, &r, err, errlen);
		if (rc == 0)
			rc = put_site(run, &r, lr, err, errlen);
		if (rc < 0)
			import_err_prefix(err, errlen, "layer %s: feature %s", layer->name, r.id);
	}
	gpkg_cursor_close(cur);
	return rc < 0 ? rc : 0;
}

/* ---- CSV ---- */

enum { C_NAME, C_KIND, C_X, C_Y, C_LAT, C_LON, C_CAP, C_FIXED, C_ID, C_SUB, C_N };

static void csv_site_columns(char **h, size_t n, int col[C_N])
{
	static const char *const names[C_N][3] = {
		{"name", "naam", NULL}, {"kind", "soort", NULL}, {"x", "x_rd", NULL},
		{"y", "y_rd", NULL}, {"lat", "latitude", NULL}, {"lon", "longitude", "lng"},
		{"capacity", "capaciteit", NULL}, {"fixed", "bestaand", NULL}, {"id", NULL, NULL},
		{"type", "subkind", NULL},
	};
	for (int i = 0; i < C_N; i++) {
		col[i] = -1;
		for (int j = 0; j < 3 && names[i][j] && col[i] < 0; j++)
			col[i] = csv_column(h, n, names[i][j]);
	}
}

static const char *field(char **f, size_t n, int col)
{
	return col >= 0 && (size_t)col < n ? f[col] : NULL;
}

static int csv_site_position(struct import_run *run, char **f, size_t n, const int col[C_N],
			     struct store_site *s, char *err, size_t errlen)
{
	if (col[C_X] >= 0) {
		int rc = parse_number(field(f, n, col[C_X]), "x", &s->x_rd, err, errlen);
		return rc < 0 ? rc : parse_number(field(f, n, col[C_Y]), "y", &s->y_rd, err, errlen);
	}
	double lat, lon;
	struct crs *crs = NULL;
	int rc = parse_number(field(f, n, col[C_LAT]), "lat", &lat, err, errlen);
	if (rc == 0)
		rc = parse_number(field(f, n, col[C_LON]), "lon", &lon, err, errlen);
	if (rc == 0)
		rc = import_crs(run, &crs, err, errlen);
	if (rc == 0)
		rc = crs_etrs89_to_rd(crs, lat, lon, &s->x_rd, &s->y_rd, err, errlen);
	return rc;
}

static int csv_site_row(struct import_run *run, char **f, size_t n, const int col[C_N],
			struct site_row *r, char *err, size_t errlen)
{
	const char *cap = field(f, n, col[C_CAP]), *fixed = field(f, n, col[C_FIXED]);
	const char *kind = field(f, n, col[C_KIND]);
	r->s.name = field(f, n, col[C_NAME]);
	r->s.kind = kind && *kind ? kind : "other";
	r->s.subkind = field(f, n, col[C_SUB]);
	r->s.capacity = STORE_UNKNOWN;
	int rc = csv_site_position(run, f, n, col, &r->s, err, errlen);
	if (rc == 0 && cap && *cap)
		rc = parse_number(cap, "capacity", &r->s.capacity, err, errlen);
	if (rc == 0 && fixed)
		rc = parse_fixed(fixed, &r->s.fixed, err, errlen);
	return rc;
}

static int csv_sites(struct import_run *run, struct csv *c, const char *path, char **h,
		     size_t hn, char *err, size_t errlen)
{
	int col[C_N];
	char **f;
	size_t n;
	csv_site_columns(h, hn, col);
	if (col[C_NAME] < 0 || !((col[C_X] >= 0 && col[C_Y] >= 0) ||
				 (col[C_LAT] >= 0 && col[C_LON] >= 0))) {
		snprintf(err, errlen, "%s:1: not a recognised CSV: expected the columns "
			 "gemeentecode,veiligheidsregiocode (memberships) or name and x,y or "
			 "lat,lon (sites)", path);
		return -EINVAL;
	}
	struct import_layer_report *lr = import_report_add(run->rep, path, NULL, IMPORT_SITES);
	const char *source = import_basename(path);
	int rc = lr ? store_clear_sites(run->store, source, err, errlen) : -ENOMEM;
	while (rc == 0 && (rc = csv_next(c, &f, &n, err, errlen)) == 1) {
		struct site_row r = {.s = {.source = source, .beds = STORE_UNKNOWN,
					.ic_beds = STORE_UNKNOWN, .clients = STORE_UNKNOWN}};
		const char *id = field(f, n, col[C_ID]);
		snprintf(r.id, sizeof r.id, "%s", id && *id ? id : "");
		if (!*r.id)
			snprintf(r.id, sizeof r.id, "line %ld", csv_line(c));
		r.s.source_id = r.id;
		rc = csv_site_row(run, f, n, col, &r, err, errlen);
		if (rc == 0)
			rc = put_site(run, &r, lr, err, errlen);
		if (rc < 0)
			import_err_prefix(err, errlen, "%s:%ld", path, csv_line(c));
	}
	return rc < 0 ? rc : 0;
}

static int check_pattern(const char *v, const char *prefix, size_t digits, const char *column,
			 char *err, size_t errlen)
{
	size_t p = strlen(prefix);
	int ok = v && strlen(v) == p + digits && strncmp(v, prefix, p) == 0;
	for (size_t i = p; ok && i < p + digits; i++)
		ok = isdigit((unsigned char)v[i]);
	if (!ok)
		snprintf(err, errlen, "%s: \"%s\" is not a code like %s%0*d", column, v ? v : "",
			 prefix, (int)digits, 1);
	return ok ? 0 : -EINVAL;
}

static int csv_memberships(struct import_run *run, struct csv *c, const char *path, char **h,
			   size_t hn, char *err, size_t errlen)
{
	int gm = csv_column(h, hn, "gemeentecode"), vr = csv_column(h, hn, "veiligheidsregiocode");
	int name = csv_column(h, hn, "gemeentenaam");
	char **f;
	size_t n;
	struct import_layer_report *lr = import_report_add(run->rep, path, NULL, IMPORT_MEMBERSHIP);
	int rc = lr ? 0 : -ENOMEM;
	if (rc == 0 && !run->memberships_cleared) {
		run->memberships_cleared = 1;
		rc = store_clear_memberships(run->store, err, errlen);
	}
	while (rc == 0 && (rc = csv_next(c, &f, &n, err, errlen)) == 1) {
		const char *g = field(f, n, gm), *r = field(f, n, vr);
		rc = check_pattern(g, "GM", 4, "gemeentecode", err, errlen);
		if (rc == 0)
			rc = check_pattern(r, "VR", 2, "veiligheidsregiocode", err, errlen);
		if (rc == 0)
			rc = store_put_membership(run->store, g, field(f, n, name), r, err, errlen);
		lr->features += rc == 0;
		if (rc < 0)
			import_err_prefix(err, errlen, "%s:%ld", path, csv_line(c));
	}
	if (rc == 0 && lr->features == 0) {
		snprintf(err, errlen, "%s: no rows after the header", path);
		rc = -EINVAL;
	}
	return rc < 0 ? rc : 0;
}

int import_csv_file(struct import_run *run, const char *path, char *err, size_t errlen)
{
	struct csv *c = NULL;
	char **h;
	size_t hn;
	int rc = csv_open(path, &c, err, errlen);
	if (rc < 0)
		return rc;
	rc = csv_next(c, &h, &hn, err, errlen);
	if (rc == 0) {
		snprintf(err, errlen, "%s: the file is empty", path);
		rc = -EINVAL;
	}
	/* The header's fields live in the csv buffer until the next record: copy the layout. */
	if (rc == 1 && csv_column(h, hn, "gemeentecode") >= 0 &&
	    csv_column(h, hn, "veiligheidsregiocode") >= 0)
		rc = csv_memberships(run, c, path, h, hn, err, errlen);
	else if (rc == 1)
		rc = csv_sites(run, c, path, h, hn, err, errlen);
	csv_close(c);
	return rc;
}

/* ---- GeoJSON ---- */

int import_geojson_is_rd(json_t *root)
{
	const char *name = json_string_value(json_object_get(
		json_object_get(json_object_get(root, "crs"), "properties"), "name"));
	return name && strstr(name, "28992") != NULL;
}

static const char *json_text(json_t *props, const char *a, const char *b)
{
	const char *v = json_string_value(json_object_get(props, a));
	return v ? v : json_string_value(json_object_get(props, b));
}

static int geojson_props(json_t *props, struct site_row *r, char *err, size_t errlen)
{
	json_t *cap = json_object_get(props, "capacity"), *fixed = json_object_get(props, "fixed");
	const char *kind = json_text(props, "kind", "soort");
	r->s.name = json_text(props, "name", "naam");
	r->s.kind = kind && *kind ? kind : "other";
	r->s.subkind = json_text(props, "type", "subkind");
	r->s.capacity = STORE_UNKNOWN;
	if (cap && !json_is_null(cap)) {
		if (!json_is_number(cap)) {
			snprintf(err, errlen, "capacity: not a number");
			return -EINVAL;
		}
		r->s.capacity = json_number_value(cap);
	}
	if (fixed && !json_is_null(fixed)) {
		if (!json_is_boolean(fixed) && !json_is_integer(fixed)) {
			snprintf(err, errlen, "fixed: must be true or false");
			return -EINVAL;
		}
		r->s.fixed = json_is_true(fixed) || json_integer_value(fixed) != 0;
	}
	return 0;
}

static int geojson_point(struct import_run *run, json_t *geom, int rd, struct store_site *s,
			 char *err, size_t errlen)
{
	json_t *xy = json_object_get(geom, "coordinates");
	const char *type = json_string_value(json_object_get(geom, "type"));
	if (!type || strcmp(type, "Point") != 0) {
		snprintf(err, errlen, "geometry: type %s is not Point", type ? type : "(missing)");
		return -EINVAL;
	}
	if (!json_is_array(xy) || json_array_size(xy) < 2 ||
	    !json_is_number(json_array_get(xy, 0)) || !json_is_number(json_array_get(xy, 1))) {
		snprintf(err, errlen, "geometry: coordinates must be [x, y] numbers");
		return -EINVAL;
	}
	double a = json_number_value(json_array_get(xy, 0));
	double b = json_number_value(json_array_get(xy, 1));
	if (rd) {
		s->x_rd = a, s->y_rd = b;
		return 0;
	}
	struct crs *crs = NULL;
	int rc = import_crs(run, &crs, err, errlen);
	return rc < 0 ? rc : crs_etrs89_to_rd(crs, b, a, &s->x_rd, &s->y_rd, err, errlen);
}

static int geojson_feature(struct import_run *run, json_t *feat, size_t i, int rd,
			   const char *source, struct import_layer_report *lr, char *err,
			   size_t errlen)
{
	struct site_row r = {.s = {.source = source, .beds = STORE_UNKNOWN,
					.ic_beds = STORE_UNKNOWN, .clients = STORE_UNKNOWN}};
	json_t *id = json_object_get(feat, "id");
	if (json_is_string(id))
		snprintf(r.id, sizeof r.id, "%s", json_string_value(id));
	else if (json_is_integer(id))
		snprintf(r.id, sizeof r.id, "%lld", (long long)json_integer_value(id));
	else
		snprintf(r.id, sizeof r.id, "%zu", i);
	r.s.source_id = r.id;
	if (!json_is_object(feat)) {
		snprintf(err, errlen, "not an object");
		return -EINVAL;
	}
	int rc = geojson_props(json_object_get(feat, "properties"), &r, err, errlen);
	if (rc == 0)
		rc = geojson_point(run, json_object_get(feat, "geometry"), rd, &r.s, err, errlen);
	if (rc == 0)
		rc = put_site(run, &r, lr, err, errlen);
	if (rc < 0 && (json_is_string(id) || json_is_integer(id)))
		import_err_prefix(err, errlen, "feature %zu (id %s)", i, r.id);
	else if (rc < 0)
		import_err_prefix(err, errlen, "feature %zu", i);
	return rc;
}

/* Stores the sites of a parsed GeoJSON document; path names it in errors and, by its base
 * name, as the site source. Takes root. */
static int geojson_sites(struct import_run *run, const char *path, json_t *root, char *err,
			 size_t errlen)
{
	json_t *features = json_object_get(root, "features");
	const char *type = json_string_value(json_object_get(root, "type"));
	int rc = 0;
	if (!type || strcmp(type, "FeatureCollection") != 0 || !json_is_array(features)) {
		snprintf(err, errlen, "%s: not a GeoJSON FeatureCollection with a features array",
			 path);
		rc = -EINVAL;
	}
	struct import_layer_report *lr =
		rc ? NULL : import_report_add(run->rep, path, NULL, IMPORT_SITES);
	const char *source = import_basename(path);
	if (rc == 0)
		rc = lr ? store_clear_sites(run->store, source, err, errlen) : -ENOMEM;
	for (size_t i = 0; rc == 0 && i < json_array_size(features); i++) {
		rc = geojson_feature(run, json_array_get(features, i), i, import_geojson_is_rd(root),
				     source, lr, err, errlen);
		if (rc < 0)
			import_err_prefix(err, errlen, "%s", path);
	}
	json_decref(root);
	return rc;
}

static int geojson_parse_error(const char *path, const json_error_t *jerr, char *err,
			       size_t errlen)
{
	snprintf(err, errlen, "%s:%d:%d: %s", path, jerr->line, jerr->column, jerr->text);
	return -EINVAL;
}

int import_geojson_file(struct import_run *run, const char *path, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return geojson_parse_error(path, &jerr, err, errlen);
	return geojson_sites(run, path, root, err, errlen);
}

int import_geojson_buffer(struct import_run *run, const char *path, const char *data,
			  size_t len, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return geojson_parse_error(path, &jerr, err, errlen);
	return geojson_sites(run, path, root, err, errlen);
}
