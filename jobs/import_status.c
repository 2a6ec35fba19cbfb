/* `hubplannerd status FILE`: a CSV or GeoJSON file of site statuses into the store. Every
 * row is parsed and resolved to a site first; only when all are good is the batch stored,
 * in one transaction. Errors name file, line or feature, field and value. Prints nothing
 * but the summary the caller asks for. */
#include "jobs/import_status.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data/csv.h"
#include "data/store_status.h"
#include "geo/crs.h"

struct status_item {
	struct store_status_site site;
	enum store_status status;
	char *note;                   /* owned; NULL for none */
};

struct status_batch {
	struct store *st;
	struct crs *crs;              /* opened on the first position in degrees */
	const char *grid_dir, *path;
	struct status_item *items;
	size_t n, cap;
	char where[64];               /* "line 4" or "feature 2", for messages */
};

static int fail(struct status_batch *b, const char *field, char *err, size_t errlen,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* "path:4: field: message" (CSV) or "path: feature 2: field: message" (GeoJSON). */
static int fail(struct status_batch *b, const char *field, char *err, size_t errlen,
		const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s%s: %s: %s", b->path, b->where, field, msg);
	return -EINVAL;
}

static int parse_number(struct status_batch *b, const char *field, const char *text,
			double *out, char *err, size_t errlen)
{
	char *end = NULL;
	while (text && isspace((unsigned char)*text))
		text++;
	if (!text || !*text)
		return fail(b, field, err, errlen, "empty value");
	*out = strtod(text, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (*end || !isfinite(*out))
		return fail(b, field, err, errlen, "\"%s\" is not a number", text);
	return 0;
}

static int parse_status(struct status_batch *b, const char *text, enum store_status *out,
			char *err, size_t errlen)
{
	int s = store_status_parse(text);
	if (s < 0)
		return fail(b, "status", err, errlen, "\"%s\" is not designated, rejected or "
			    "released", text ? text : "");
	*out = (enum store_status)s;
	return 0;
}

/* Resolves ref into a new item; field and value name it in an error. */
static int add_item(struct status_batch *b, const struct store_site_ref *ref,
		    enum store_status status, const char *note, const char *field,
		    const char *value, char *err, size_t errlen)
{
	char why[512];
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 64;
		struct status_item *t = realloc(b->items, cap * sizeof *t);
		if (!t) {
			snprintf(err, errlen, "%s: out of memory", b->path);
			return -ENOMEM;
		}
		b->items = t;
		b->cap = cap;
	}
	struct status_item *it = &b->items[b->n];
	int rc = store_status_resolve(b->st, ref, &it->site, why, sizeof why);
	if (rc == -ENOENT)
		return fail(b, field, err, errlen, "\"%s\": %s", value, why);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", b->path, why);
		return rc;
	}
	it->status = status;
	it->note = note && note[0] ? strdup(note) : NULL;
	if (note && note[0] && !it->note) {
		snprintf(err, errlen, "%s: out of memory", b->path);
		return -ENOMEM;
	}
	b->n++;
	return 0;
}

static int site_text_ref(struct status_batch *b, const char *text, char *buf, size_t buflen,
			 struct store_site_ref *ref, char *err, size_t errlen)
{
	if (store_site_ref_parse(text, buf, buflen, ref) < 0)
		return fail(b, "site", err, errlen, "\"%s\" is neither a site id nor "
			    "source:source_id", text);
	return 0;
}

/* Degrees (ETRS89/WGS84 lon, lat) to RD through the project's CRS code. */
static int degrees_to_rd(struct status_batch *b, double lon, double lat, double *x, double *y,
			 char *err, size_t errlen)
{
	char why[512];
	if (!b->crs && crs_open(b->grid_dir, &b->crs, why, sizeof why) < 0) {
		snprintf(err, errlen, "%s: %s", b->path, why);
		return -ENOENT;
	}
	if (crs_etrs89_to_rd(b->crs, lat, lon, x, y, why, sizeof why) < 0)
		return fail(b, "coordinates", err, errlen, "lon %.7f lat %.7f: %s", lon, lat, why);
	return 0;
}

/* ---- CSV ---- */

enum { COL_SITE, COL_X, COL_Y, COL_STATUS, COL_NOTE, COL_N };

static const char *cell(char **f, size_t n, int col)
{
	return col >= 0 && (size_t)col < n ? f[col] : NULL;
}

static int csv_row(struct status_batch *b, char **f, size_t n, const int col[COL_N],
		   char *err, size_t errlen)
{
	const char *site = cell(f, n, col[COL_SITE]), *status_text = cell(f, n, col[COL_STATUS]);
	struct store_site_ref ref;
	enum store_status status = STORE_STATUS_NONE;
	char buf[512], value[96];
	int rc = parse_status(b, status_text, &status, err, errlen);
	if (rc < 0)
		return rc;
	if (site && site[0]) {
		rc = site_text_ref(b, site, buf, sizeof buf, &ref, err, errlen);
		return rc < 0 ? rc : add_item(b, &ref, status, cell(f, n, col[COL_NOTE]), "site",
					      site, err, errlen);
	}
	if (col[COL_X] < 0)
		return fail(b, "site", err, errlen, "empty, and the file has no x_rd,y_rd columns");
	ref = (struct store_site_ref){.kind = STORE_REF_POSITION};
	if ((rc = parse_number(b, "x_rd", cell(f, n, col[COL_X]), &ref.x_rd, err, errlen)) < 0 ||
	    (rc = parse_number(b, "y_rd", cell(f, n, col[COL_Y]), &ref.y_rd, err, errlen)) < 0)
		return rc;
	snprintf(value, sizeof value, "%s,%s", cell(f, n, col[COL_X]), cell(f, n, col[COL_Y]));
	return add_item(b, &ref, status, cell(f, n, col[COL_NOTE]), "x_rd,y_rd", value, err,
			errlen);
}

static int csv_header(struct status_batch *b, char **h, size_t n, int col[COL_N], char *err,
		      size_t errlen)
{
	static const char *const names[COL_N] = {"site", "x_rd", "y_rd", "status", "note"};
	for (int i = 0; i < COL_N; i++)
		col[i] = csv_column(h, n, names[i]);
	if (col[COL_STATUS] < 0)
		return fail(b, "header", err, errlen, "no \"status\" column");
	if ((col[COL_X] < 0) != (col[COL_Y] < 0))
		return fail(b, "header", err, errlen, "x_rd and y_rd come as a pair");
	if (col[COL_SITE] < 0 && col[COL_X] < 0)
		return fail(b, "header", err, errlen, "neither a \"site\" column nor x_rd,y_rd");
	return 0;
}

static int read_csv(struct status_batch *b, char *err, size_t errlen)
{
	struct csv *c = NULL;
	char **f = NULL;
	size_t n = 0;
	int col[COL_N];
	int rc = csv_open(b->path, &c, err, errlen);
	if (rc == 0 && (rc = csv_next(c, &f, &n, err, errlen)) == 0) {
		snprintf(err, errlen, "%s: the file is empty", b->path);
		rc = -ENODATA;
	}
	if (rc == 1) {
		snprintf(b->where, sizeof b->where, ":%ld", csv_line(c));
		rc = csv_header(b, f, n, col, err, errlen);
	}
	while (rc == 0 && (rc = csv_next(c, &f, &n, err, errlen)) == 1) {
		snprintf(b->where, sizeof b->where, ":%ld", csv_line(c));
		rc = csv_row(b, f, n, col, err, errlen);
	}
	csv_close(c);
	return rc;
}

/* ---- GeoJSON ---- */

/* 1 for RD New, 0 for degrees (no crs member, CRS84, EPSG 4326 or 4258), -1 for others. */
static int geojson_crs(json_t *root, const char **name)
{
	*name = json_string_value(json_object_get(
		json_object_get(json_object_get(root, "crs"), "properties"), "name"));
	if (!*name)
		return 0;
	if (strstr(*name, "28992"))
		return 1;
	return strstr(*name, "CRS84") || strstr(*name, "4326") || strstr(*name, "4258") ? 0 : -1;
}

static int geojson_position(struct status_batch *b, json_t *geom, int rd,
			    struct store_site_ref *ref, char *err, size_t errlen)
{
	json_t *xy = json_object_get(geom, "coordinates");
	const char *type = json_string_value(json_object_get(geom, "type"));
	if (!type || strcmp(type, "Point") != 0)
		return fail(b, "geometry", err, errlen, "a Point is needed (or a \"site\" "
			    "property), not %s", type ? type : "none");
	if (!json_is_array(xy) || json_array_size(xy) < 2 ||
	    !json_is_number(json_array_get(xy, 0)) || !json_is_number(json_array_get(xy, 1)))
		return fail(b, "coordinates", err, errlen, "two numbers expected");
	double a = json_number_value(json_array_get(xy, 0)), c = json_number_value(json_array_get(xy, 1));
	*ref = (struct store_site_ref){.kind = STORE_REF_POSITION, .x_rd = a, .y_rd = c};
	return rd ? 0 : degrees_to_rd(b, a, c, &ref->x_rd, &ref->y_rd, err, errlen);
}

static int geojson_feature(struct status_batch *b, json_t *feat, int rd, char *err,
			   size_t errlen)
{
	json_t *props = json_object_get(feat, "properties"), *site = json_object_get(props, "site");
	json_t *note = json_object_get(props, "note");
	const char *status_text = json_string_value(json_object_get(props, "status"));
	struct store_site_ref ref;
	enum store_status status = STORE_STATUS_NONE;
	char buf[512], value[96];
	if (!json_is_object(props))
		return fail(b, "properties", err, errlen, "an object is needed");
	if (note && !json_is_string(note) && !json_is_null(note))
		return fail(b, "note", err, errlen, "must be a string");
	int rc = parse_status(b, status_text, &status, err, errlen);
	if (rc == 0 && json_is_integer(site)) {
		snprintf(value, sizeof value, "%lld", (long long)json_integer_value(site));
		rc = site_text_ref(b, value, buf, sizeof buf, &ref, err, errlen);
	} else if (rc == 0 && json_is_string(site)) {
		snprintf(value, sizeof value, "%s", json_string_value(site));
		rc = site_text_ref(b, json_string_value(site), buf, sizeof buf, &ref, err, errlen);
	} else if (rc == 0 && site && !json_is_null(site)) {
		rc = fail(b, "site", err, errlen, "must be a site id or \"source:source_id\"");
	} else if (rc == 0) {
		rc = geojson_position(b, json_object_get(feat, "geometry"), rd, &ref, err, errlen);
		snprintf(value, sizeof value, "%.1f,%.1f", ref.x_rd, ref.y_rd);
	}
	return rc < 0 ? rc : add_item(b, &ref, status, json_string_value(note),
				      ref.kind == STORE_REF_POSITION ? "coordinates" : "site",
				      value, err, errlen);
}

static int read_geojson(struct status_batch *b, char *err, size_t errlen)
{
	json_error_t jerr;
	const char *crs_name = NULL;
	json_t *root = json_load_file(b->path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "%s:%d:%d: %s", b->path, jerr.line, jerr.column, jerr.text);
		return -EINVAL;
	}
	json_t *features = json_object_get(root, "features");
	int rd = geojson_crs(root, &crs_name), rc = 0;
	if (!json_is_array(features))
		rc = fail(b, "features", err, errlen, "not a FeatureCollection with a features array");
	else if (rd < 0)
		rc = fail(b, "crs", err, errlen, "\"%s\": use EPSG:28992 or CRS84 (lon/lat)",
			  crs_name);
	for (size_t i = 0; rc == 0 && i < json_array_size(features); i++) {
		snprintf(b->where, sizeof b->where, ": feature %zu", i);
		rc = geojson_feature(b, json_array_get(features, i), rd, err, errlen);
	}
	json_decref(root);
	return rc;
}

/* ---- the batch ---- */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int store_batch(struct status_batch *b, struct import_status_report *rep, char *err,
		       size_t errlen)
{
	struct store_status_change *c = calloc(b->n + 1, sizeof *c);
	size_t setlen = strlen(b->path) + 8;
	char *set_by = malloc(setlen);
	int rc = -ENOMEM;
	if (!c || !set_by) {
		snprintf(err, errlen, "%s: out of memory", b->path);
		goto done;
	}
	snprintf(set_by, setlen, "file:%s", b->path);
	for (size_t i = 0; i < b->n; i++) {
		c[i] = (struct store_status_change){&b->items[i].site, b->items[i].status,
						    b->items[i].note};
		rep->designated += c[i].status == STORE_STATUS_DESIGNATED;
		rep->rejected += c[i].status == STORE_STATUS_REJECTED;
		rep->released += c[i].status == STORE_STATUS_RELEASED;
	}
	rc = store_status_apply(b->st, c, b->n, set_by, err, errlen);
done:
	free(c);
	free(set_by);
	return rc;
}

int import_status_file(const char *db_path, const char *path, const char *grid_dir,
		       struct import_status_report *rep, char *err, size_t errlen)
{
	struct status_batch b = {.grid_dir = grid_dir, .path = path};
	*rep = (struct import_status_report){0};
	int rc = store_open(db_path, 0, &b.st, err, errlen);
	if (rc == 0)
		rc = ends_with(path, ".geojson") || ends_with(path, ".json")
		     ? read_geojson(&b, err, errlen) : read_csv(&b, err, errlen);
	if (rc == 0)
		rc = store_batch(&b, rep, err, errlen);
	if (rc < 0)
		*rep = (struct import_status_report){0};
	for (size_t i = 0; i < b.n; i++)
		free(b.items[i].note);
	free(b.items);
	crs_close(b.crs);
	store_close(b.st);
	return rc;
}

void import_status_report_print(const struct import_status_report *rep, const char *path,
				FILE *out)
{
	fprintf(out, "statuses: %ld designated, %ld rejected, %ld released (from %s)\n",
		rep->designated, rep->rejected, rep->released, path);
	fprintf(out, "statuses take effect for planning at the next recompute\n");
}
