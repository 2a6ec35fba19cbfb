/* A reference population layer (older or foreign finer areas, e.g. the CBS buurten of 2015)
 * from a GeoPackage polygon layer through a mapping: code, name and figures from the
 * mapped columns, percentages turned into counts, special values unknown, land polygons
 * repaired and stored in RD New in ref_areas. A feature that is not a polygon, or has no
 * geometry or code, is skipped and counted (with its residents), never fatal. */
#define _DEFAULT_SOURCE
#include "jobs/import_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/store_ref.h"

#define REF_PROPS 7
static const enum mapping_prop ref_props[REF_PROPS] = {
	MP_CODE, MP_NAME, MP_RESIDENTS, MP_RESIDENTS_65PLUS, MP_PCT_65PLUS, MP_HOUSEHOLDS,
	MP_CARS_PER_HOUSEHOLD,
};

struct ref_cols {
	const char *names[REF_PROPS * MAPPING_MAX_FIELDS];
	int optional[REF_PROPS * MAPPING_MAX_FIELDS];
	size_t first[REF_PROPS], count[REF_PROPS], n;
};

struct ref_row {
	const struct mapping *m;
	struct gpkg_cursor *cur;
	const struct ref_cols *cols;
	struct import_layer_report *lr;
	char example[64];
};

/* Lists the mapped columns; -EINVAL when none of a property's fields is in the layer. */
static int ref_columns(struct gpkg *g, const struct gpkg_layer *layer, const struct mapping *m,
		       struct ref_cols *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	for (int i = 0; i < REF_PROPS; i++) {
		const struct mapping_prop_spec *s = &m->prop[ref_props[i]];
		int found = s->nfields == 0;
		c->first[i] = c->n;
		c->count[i] = s->nfields;
		for (size_t k = 0; k < s->nfields; k++) {
			found |= gpkg_has_column(g, layer, s->field[k]);
			c->optional[c->n] = 1;
			c->names[c->n++] = s->field[k];
		}
		if (!found) {
			snprintf(err, errlen, "layer %s: no column %s (%s:%d, %s)", layer->name,
				 s->field[0], m->path, s->line, mapping_prop_name(ref_props[i]));
			return -EINVAL;
		}
	}
	return 0;
}

/* Column text of property i: the first non-NULL, non-empty of its fields, or its constant. */
static const char *ref_text(const struct ref_row *r, int i)
{
	const struct mapping_prop_spec *s = &r->m->prop[ref_props[i]];
	if (s->constant)
		return s->constant;
	for (size_t k = 0; k < r->cols->count[i]; k++) {
		const char *t = gpkg_cursor_text(r->cur, r->cols->first[i] + k);
		if (t && *t)
			return t;
	}
	return NULL;
}

/* Property i as a number: NaN when not mapped, NULL, empty, or a special value; an
 * unparsable or negative value is dropped and counted. */
static double ref_number(struct ref_row *r, int i)
{
	const char *t = ref_text(r, i);
	char example[160];
	double v = NAN;
	if (!r->m->prop[ref_props[i]].nfields && !r->m->prop[ref_props[i]].constant)
		return NAN;
	if (!t) {
		r->lr->unknown++;
		return NAN;
	}
	char *end = NULL;
	v = strtod(t, &end);
	if (end == t || *end || !isfinite(v)) {
		snprintf(example, sizeof example, "%s: %s \"%.20s\"", r->example,
			 r->m->prop[ref_props[i]].field[0], t);
		import_skip(r->lr, 0, "unparsable number (value dropped)", example, NAN);
		return NAN;
	}
	if (mapping_is_unknown(r->m, v)) {
		r->lr->unknown++;
		return NAN;
	}
	if (v < 0 || (ref_props[i] == MP_PCT_65PLUS && v > 100)) {
		snprintf(example, sizeof example, "%s: %s %g", r->example,
			 r->m->prop[ref_props[i]].field[0], v);
		import_skip(r->lr, 0, v < 0 ? "negative number (value dropped)"
			    : "percentage over 100 (value dropped)", example, NAN);
		return NAN;
	}
	return v;
}

/* The WKB geometry type's name from its header (ISO and EWKB Z/M flags ignored). */
static const char *wkb_type_name(const uint8_t *wkb, size_t len)
{
	static const char *const names[] = {"Geometry", "Point", "LineString", "Polygon",
					    "MultiPoint", "MultiLineString", "MultiPolygon",
					    "GeometryCollection"};
	if (len < 5 || wkb[0] > 1)
		return "unreadable";
	uint32_t t = wkb[0] ? (uint32_t)wkb[1] | (uint32_t)wkb[2] << 8 | (uint32_t)wkb[3] << 16 |
				      (uint32_t)wkb[4] << 24
			    : (uint32_t)wkb[4] | (uint32_t)wkb[3] << 8 | (uint32_t)wkb[2] << 16 |
				      (uint32_t)wkb[1] << 24;
	t = (t & 0x0fffffffu) % 1000;
	return t < 8 ? names[t] : "unknown type";
}

/* Reads, transforms and repairs the row's polygon into *wkb (caller frees). 0, 1 after
 * counting a skip, or a negative errno. */
static int ref_polygon(struct import_run *run, const struct gpkg_layer *layer,
		       struct ref_row *r, double residents, uint8_t **wkb, size_t *len,
		       char *err, size_t errlen)
{
	size_t blen = 0, rawlen = 0;
	uint8_t *raw = NULL;
	char reason[96], why[256];
	int fixed = 0;
	*wkb = NULL;
	if (!gpkg_cursor_geom(r->cur, &blen) || blen == 0) {
		import_skip(r->lr, 1, "no geometry", r->example, residents);
		return 1;
	}
	int rc = import_row_wkb(run, layer, r->cur, &raw, &rawlen, err, errlen);
	if (rc == -EINVAL && strstr(err, "empty geometry")) {
		import_skip(r->lr, 1, "empty geometry", r->example, residents);
		return 1;
	}
	if (rc < 0)
		return rc;
	const char *type = wkb_type_name(raw, rawlen);
	if (strcmp(type, "Polygon") != 0 && strcmp(type, "MultiPolygon") != 0 &&
	    strcmp(type, "GeometryCollection") != 0) {
		snprintf(reason, sizeof reason, "geometry %s, not a polygon", type);
		import_skip(r->lr, 1, reason, r->example, residents);
		free(raw);
		return 1;
	}
	rc = geom_polygonal_normalize(run->geom, raw, rawlen, wkb, len, &fixed, why, sizeof why);
	free(raw);
	if (rc == -EINVAL) {
		snprintf(reason, sizeof reason, "no polygon after repair");
		import_skip(r->lr, 1, reason, r->example, residents);
		return 1;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", layer->geom_column, why);
		return rc;
	}
	r->lr->repaired += fixed;
	return 0;
}

static int clear_ref_once(struct import_run *run, const char *layer, char *err, size_t errlen)
{
	for (size_t i = 0; i < run->nref_cleared; i++)
		if (strcmp(run->ref_cleared[i], layer) == 0)
			return 0;
	char **l = realloc(run->ref_cleared, (run->nref_cleared + 1) * sizeof *l);
	if (!l || !(l[run->nref_cleared] = strdup(layer))) {
		if (l)
			run->ref_cleared = l;
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	run->ref_cleared = l;
	run->nref_cleared++;
	return store_ref_clear(run->store, layer, err, errlen);
}

/* The figures of one row into a (strings point into the cursor's row). */
static void ref_figures(struct ref_row *r, struct store_ref_area *a)
{
	a->name = ref_text(r, 1);
	a->residents = ref_number(r, 2);
	a->residents_65plus = ref_number(r, 3);
	double pct = ref_number(r, 4);
	if (r->m->prop[MP_PCT_65PLUS].nfields || r->m->prop[MP_PCT_65PLUS].constant)
		a->residents_65plus = pct == pct && a->residents == a->residents
					      ? pct / 100.0 * a->residents : NAN;
	a->households = ref_number(r, 5);
	a->cars_per_household = ref_number(r, 6);
}

static int ref_row(struct import_run *run, const struct gpkg_layer *layer, struct ref_row *r,
		   char *err, size_t errlen)
{
	struct store_ref_area a = {.layer = r->m->ref_layer, .year = r->m->year};
	struct geom_bbox b;
	uint8_t *wkb = NULL;
	size_t len = 0;
	a.code = ref_text(r, 0);
	snprintf(r->example, sizeof r->example, "%.24s (feature %lld)", a.code ? a.code : "?",
		 (long long)gpkg_cursor_fid(r->cur));
	ref_figures(r, &a);
	if (!a.code) {
		import_skip(r->lr, 1, "no code", r->example, a.residents);
		return 0;
	}
	int rc = ref_polygon(run, layer, r, a.residents, &wkb, &len, err, errlen);
	if (rc == 0)
		rc = geom_bbox(run->geom, wkb, len, &b, err, errlen);
	if (rc == 0) {
		a.wkb = wkb;
		a.wkb_len = len;
		a.minx = b.minx, a.miny = b.miny, a.maxx = b.maxx, a.maxy = b.maxy;
		rc = store_ref_put(run->store, &a, err, errlen);
	}
	if (rc == 0) {
		r->lr->features++;
		r->lr->residents += a.residents == a.residents ? a.residents : 0;
	}
	free(wkb);
	return rc < 0 ? rc : 0;
}

int import_ref_layer(struct import_run *run, struct gpkg *g, const struct gpkg_layer *layer,
		     const struct mapping *m, struct import_layer_report *lr, char *err,
		     size_t errlen)
{
	struct ref_cols cols;
	struct ref_row r = {.m = m, .cols = &cols, .lr = lr};
	if (m->target != MAPPING_REF_AREAS) {
		snprintf(err, errlen, "layer %s: mapping %s: target sites reads GeoJSON points; "
			 "GeoPackage layers through a mapping must be target ref_areas",
			 layer->name, m->path);
		return -EINVAL;
	}
	snprintf(lr->mapping, sizeof lr->mapping, "%s", import_basename(m->path));
	snprintf(lr->ref_layer, sizeof lr->ref_layer, "%s", m->ref_layer);
	int rc = ref_columns(g, layer, m, &cols, err, errlen);
	if (rc == 0)
		rc = gpkg_cursor_open(g, layer, cols.names, cols.optional, cols.n, &r.cur, err,
				      errlen);
	if (rc == 0)
		rc = clear_ref_once(run, m->ref_layer, err, errlen);
	while (rc == 0 && (rc = gpkg_cursor_next(r.cur, err, errlen)) == 1) {
		rc = ref_row(run, layer, &r, err, errlen);
		if (rc < 0)
			import_err_prefix(err, errlen, "layer %s: %s", layer->name, r.example);
	}
	gpkg_cursor_close(r.cur);
	if (rc == 0 && lr->features == 0) {
		snprintf(err, errlen, "layer %s: no features stored (all %ld skipped)", layer->name,
			 lr->skipped);
		rc = -EINVAL;
	}
	return rc < 0 ? rc : 0;
}
