/* Sites from a GeoJSON file in its publisher's own layout, through a mapping file
 * (config/mapping.h): fields to properties, constants, value maps, the CRS (the file's,
 * else the mapping's, else CRS84). Features without a usable position, name or kind are
 * skipped and counted; unparsable figures are dropped and counted. Never fatal for data. */
#define _DEFAULT_SOURCE
#include "jobs/import_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

/* RD New's domain (EPSG:28992 area of use, rounded outwards), as the built-in readers. */
#define RD_MIN_X (-7000.0)
#define RD_MAX_X 300000.0
#define RD_MIN_Y 289000.0
#define RD_MAX_Y 629000.0

struct feature {
	const struct mapping *m;
	json_t *props;
	size_t index;
	char example[64];             /* "feature 17" or "feature 17 (name)" */
	char text[MP_COUNT][256];     /* text values read, "" = none */
	struct store_site s;
	struct import_layer_report *lr;
};

/* The text of a JSON value: strings trimmed, numbers printed, booleans; "" for the rest. */
static void json_text(json_t *v, char *out, size_t len)
{
	out[0] = '\0';
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		while (isspace((unsigned char)*s))
			s++;
		snprintf(out, len, "%s", s);
		size_t n = strlen(out);
		while (n && isspace((unsigned char)out[n - 1]))
			out[--n] = '\0';
	} else if (json_is_integer(v)) {
		snprintf(out, len, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		snprintf(out, len, "%.15g", json_real_value(v));
	} else if (json_is_boolean(v)) {
		snprintf(out, len, "%s", json_is_true(v) ? "true" : "false");
	}
}

/* The first non-empty field of property p (or its constant) into f->text[p]. */
static void read_text(struct feature *f, enum mapping_prop p)
{
	const struct mapping_prop_spec *s = &f->m->prop[p];
	char *out = f->text[p];
	out[0] = '\0';
	if (s->constant) {
		snprintf(out, sizeof f->text[p], "%s", s->constant);
		return;
	}
	for (size_t i = 0; i < s->nfields && !out[0]; i++)
		json_text(json_object_get(f->props, s->field[i]), out, sizeof f->text[p]);
}

/* Applies p's value map to f->text[p]. 0, or -1 after counting an unknown value. */
static int map_text(struct feature *f, enum mapping_prop p)
{
	char reason[96], example[128];
	if (!f->text[p][0] || f->m->prop[p].constant)
		return 0;
	const char *to = mapping_map_value(f->m, p, f->text[p]);
	if (to) {
		if (to != f->text[p])
			snprintf(f->text[p], sizeof f->text[p], "%s", to);
		return 0;
	}
	snprintf(reason, sizeof reason, "%s value not in [values %s]", f->m->prop[p].field[0],
		 mapping_prop_name(p));
	snprintf(example, sizeof example, "%s: \"%.30s\"", f->example, f->text[p]);
	import_skip(f->lr, 1, reason, example, NAN);
	return -1;
}

static int parse_text_number(const char *t, double *v)
{
	char *end = NULL;
	*v = strtod(t, &end);
	return end != t && *end == '\0' && isfinite(*v) ? 0 : -1;
}

/* Reads number property p: NaN when absent, empty or a mapping's unknown value; an
 * unparsable or negative value is dropped and counted. */
static double read_number(struct feature *f, enum mapping_prop p)
{
	const struct mapping_prop_spec *s = &f->m->prop[p];
	char text[64], example[160];
	double v = NAN;
	if (s->constant)
		return strtod(s->constant, NULL);
	if (!s->nfields)
		return NAN;
	json_t *j = NULL;
	for (size_t i = 0; i < s->nfields && (!j || json_is_null(j)); i++)
		j = json_object_get(f->props, s->field[i]);
	json_text(j, text, sizeof text);
	if (!text[0]) {
		f->lr->unknown++;
		return NAN;
	}
	if (json_is_number(j)) {
		v = json_number_value(j);
	} else if (parse_text_number(text, &v) < 0) {
		snprintf(example, sizeof example, "%s: %s \"%.20s\"", f->example, s->field[0],
			 text);
		import_skip(f->lr, 0, "unparsable number (value dropped)", example, NAN);
		return NAN;
	}
	if (mapping_is_unknown(f->m, v)) {
		f->lr->unknown++;
		return NAN;
	}
	if (v < 0) {
		snprintf(example, sizeof example, "%s: %s %g", f->example, s->field[0], v);
		import_skip(f->lr, 0, "negative number (value dropped)", example, NAN);
		return NAN;
	}
	return v;
}

static int read_fixed(struct feature *f)
{
	static const char *const yes[] = {"1", "true", "yes", "ja", "y", "j"};
	read_text(f, MP_FIXED);
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcasecmp(f->text[MP_FIXED], yes[i]) == 0)
			return 1;
	return 0;
}

/* The file's CRS as an EPSG code (4326 for CRS84), else the mapping's, else 4326.
 * -1 for a CRS named in the file that is not one of those. */
static int file_crs(json_t *root, const struct mapping *m, const char **named)
{
	*named = json_string_value(json_object_get(
		json_object_get(json_object_get(root, "crs"), "properties"), "name"));
	if (!*named)
		return m->crs_epsg ? m->crs_epsg : 4326;
	if (strstr(*named, "CRS84") || strstr(*named, "4326"))
		return 4326;
	if (strstr(*named, "4258"))
		return 4258;
	if (strstr(*named, "28992"))
		return 28992;
	return -1;
}

/* The feature's position in RD New. 0, 1 after counting a skip, or a negative errno. */
static int position(struct import_run *run, struct feature *f, json_t *geom, int epsg,
		    char *err, size_t errlen)
{
	const char *type = json_string_value(json_object_get(geom, "type"));
	json_t *xy = json_object_get(geom, "coordinates");
	char reason[96];
	if (!geom || json_is_null(geom) || !json_is_array(xy) || json_array_size(xy) == 0) {
		import_skip(f->lr, 1, "no position (no geometry or empty coordinates)", f->example,
			    NAN);
		return 1;
	}
	if (!type || strcmp(type, "Point") != 0) {
		snprintf(reason, sizeof reason, "geometry %.40s, not a Point", type ? type : "?");
		import_skip(f->lr, 1, reason, f->example, NAN);
		return 1;
	}
	if (json_array_size(xy) < 2 || !json_is_number(json_array_get(xy, 0)) ||
	    !json_is_number(json_array_get(xy, 1))) {
		import_skip(f->lr, 1, "no position (coordinates are not [x, y] numbers)",
			    f->example, NAN);
		return 1;
	}
	double a = json_number_value(json_array_get(xy, 0)), b = json_number_value(json_array_get(xy, 1));
	struct crs *crs = NULL;
	int rc = 0;
	if (epsg == 28992) {
		f->s.x_rd = a, f->s.y_rd = b;
	} else if ((rc = import_crs(run, &crs, err, errlen)) == 0) {
		rc = crs_etrs89_to_rd(crs, b, a, &f->s.x_rd, &f->s.y_rd, err, errlen);
		if (rc == -EDOM) {    /* outside the transformation's domain */
			f->s.x_rd = NAN;
			rc = 0;
		}
	}
	if (rc < 0)
		return rc;
	if (!(f->s.x_rd >= RD_MIN_X && f->s.x_rd <= RD_MAX_X && f->s.y_rd >= RD_MIN_Y &&
	      f->s.y_rd <= RD_MAX_Y)) {
		import_skip(f->lr, 1, "position outside the Netherlands (RD New domain)",
			    f->example, NAN);
		return 1;
	}
	return 0;
}

/* Name, kind, subkind, id and figures. 0, or 1 after counting a skip. */
static int properties(struct feature *f)
{
	for (int p = MP_ID; p <= MP_SUBKIND; p++) {
		read_text(f, p);
		if (map_text(f, p) < 0)
			return 1;
	}
	if (!f->text[MP_NAME][0]) {
		import_skip(f->lr, 1, "no name", f->example, NAN);
		return 1;
	}
	const char *k = f->text[MP_KIND];
	int kind_ok = *k != '\0';
	for (const char *c = k; *c; c++)
		kind_ok &= islower((unsigned char)*c) || *c == '_';
	if (!kind_ok) {
		char example[128];
		snprintf(example, sizeof example, "%s: \"%.30s\"", f->example, k);
		import_skip(f->lr, 1, *k ? "kind not lower-case letters and _" : "no kind",
			    example, NAN);
		return 1;
	}
	f->s.name = f->text[MP_NAME];
	f->s.kind = k;
	f->s.subkind = f->text[MP_SUBKIND][0] ? f->text[MP_SUBKIND] : NULL;
	f->s.capacity = read_number(f, MP_CAPACITY);
	f->s.beds = read_number(f, MP_BEDS);
	f->s.ic_beds = read_number(f, MP_IC_BEDS);
	f->s.clients = read_number(f, MP_CLIENTS);
	f->s.fixed = read_fixed(f);
	return 0;
}

/* Stores the site under its id, or id@index when that id is already taken in the source. */
static int put(struct import_run *run, struct feature *f, char *err, size_t errlen)
{
	char id[300];
	if (f->text[MP_ID][0])
		snprintf(id, sizeof id, "%s", f->text[MP_ID]);
	else
		snprintf(id, sizeof id, "%zu", f->index);
	f->s.source_id = id;
	int rc = store_put_site(run->store, &f->s, err, errlen);
	if (rc == -EEXIST) {
		snprintf(id + strlen(id), sizeof id - strlen(id), "@%zu", f->index);
		rc = store_put_site(run->store, &f->s, err, errlen);
	}
	f->lr->features += rc == 0;
	return rc;
}

static int feature(struct import_run *run, struct feature *f, json_t *feat, int epsg,
		   char *err, size_t errlen)
{
	snprintf(f->example, sizeof f->example, "feature %zu", f->index);
	if (!json_is_object(feat)) {
		import_skip(f->lr, 1, "not a GeoJSON object", f->example, NAN);
		return 0;
	}
	f->props = json_object_get(feat, "properties");
	if (!json_is_object(f->props))
		f->props = NULL;
	json_t *name = NULL;
	for (size_t i = 0; f->props && i < f->m->prop[MP_NAME].nfields && !json_is_string(name); i++)
		name = json_object_get(f->props, f->m->prop[MP_NAME].field[i]);
	if (json_is_string(name))
		snprintf(f->example, sizeof f->example, "feature %zu (%.40s)", f->index,
			 json_string_value(name));
	int rc = position(run, f, json_object_get(feat, "geometry"), epsg, err, errlen);
	if (rc == 0)
		rc = properties(f);
	if (rc == 0)
		rc = put(run, f, err, errlen);
	if (rc < 0)
		import_err_prefix(err, errlen, "%s", f->example);
	return rc < 0 ? rc : 0;
}

static int mapped_sites(struct import_run *run, const char *path, json_t *root,
			const struct mapping *m, char *err, size_t errlen)
{
	json_t *features = json_object_get(root, "features");
	const char *type = json_string_value(json_object_get(root, "type")), *named = NULL;
	int epsg = file_crs(root, m, &named);
	if (!type || strcmp(type, "FeatureCollection") != 0 || !json_is_array(features)) {
		snprintf(err, errlen, "not a GeoJSON FeatureCollection with a features array");
		return -EINVAL;
	}
	if (epsg < 0) {
		snprintf(err, errlen, "crs \"%s\" is not CRS84, EPSG:4326, EPSG:4258 or EPSG:28992",
			 named);
		return -EINVAL;
	}
	struct import_layer_report *lr = import_report_add(run->rep, path, NULL, IMPORT_SITES);
	if (!lr) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	snprintf(lr->mapping, sizeof lr->mapping, "%s", import_basename(m->path));
	lr->transformed_from = epsg == 28992 ? 0 : epsg;
	struct feature *f = calloc(1, sizeof *f);
	const char *source = m->source ? m->source : import_basename(path);
	int rc = f ? store_clear_sites(run->store, source, err, errlen) : -ENOMEM;
	for (size_t i = 0; rc == 0 && i < json_array_size(features); i++) {
		*f = (struct feature){.m = m, .index = i, .lr = lr,
				      .s = {.source = source, .capacity = NAN}};
		rc = feature(run, f, json_array_get(features, i), epsg, err, errlen);
	}
	if (rc == -ENOMEM && !f)
		snprintf(err, errlen, "out of memory");
	free(f);
	return rc;
}

int import_mapped_geojson(struct import_run *run, const char *path, const struct mapping *m,
			  char *err, size_t errlen)
{
	json_error_t jerr;
	int rc = -EINVAL;
	if (m->target != MAPPING_SITES) {
		snprintf(err, errlen, "%s: mapping %s: target ref_areas reads GeoPackage polygon "
			 "layers, not GeoJSON", path, m->path);
		return -EINVAL;
	}
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		return -EINVAL;
	}
	rc = mapped_sites(run, path, root, m, err, errlen);
	if (rc < 0)
		import_err_prefix(err, errlen, "%s (mapping %s)", path, import_basename(m->path));
	json_decref(root);
	return rc;
}
