/* hazard-import, hazard-list, hazard-drop: a polygon layer read whole and checked
 * (GeoPackage here, GeoJSON in hazard_geojson.c) before the store is opened for writing,
 * then stored in one transaction that replaces any layer of the same name. Nothing is
 * written when any feature fails; never logs. */
#include "jobs/hazard_import.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data/gpkg_reader.h"
#include "data/store.h"
#include "data/store_hazards.h"
#include "geo/user_polygon.h"
#include "jobs/hazard_internal.h"
#include "jobs/import_internal.h"
#include "util/grow.h"

int hazard_where_parse(const char *text, struct hazard_where *w, char *err, size_t errlen)
{
	static const struct { const char *s; enum hazard_op op; } ops[] = {
		{">=", HAZARD_GE}, {"<=", HAZARD_LE}, {">", HAZARD_GT}, {"<", HAZARD_LT},
		{"=", HAZARD_EQ},
	};
	memset(w, 0, sizeof *w);
	if (!text || !*text)
		return 0;
	size_t flen = strcspn(text, "<>=");
	const char *rest = text + flen;
	size_t k = 0;
	while (k < sizeof ops / sizeof ops[0] && strncmp(rest, ops[k].s, strlen(ops[k].s)) != 0)
		k++;
	char *end = NULL;
	double v = k < sizeof ops / sizeof ops[0] ? strtod(rest + strlen(ops[k].s), &end) : 0;
	if (flen == 0 || flen >= sizeof w->field || !end || end == rest + strlen(ops[k].s) ||
	    *end != '\0' || !isfinite(v)) {
		snprintf(err, errlen, "--where \"%s\": FIELD>=VALUE expected (also >, <=, <, =; "
			 "VALUE a number)", text);
		return -EINVAL;
	}
	memcpy(w->field, text, flen);
	w->op = ops[k].op;
	w->value = v;
	return 0;
}

int hazard_where_match(const struct hazard_where *w, double v)
{
	switch (w->op) {
	case HAZARD_GE: return v >= w->value;
	case HAZARD_GT: return v > w->value;
	case HAZARD_LE: return v <= w->value;
	case HAZARD_LT: return v < w->value;
	case HAZARD_EQ: return v == w->value;
	}
	return 0;
}

int hazard_polys_add(struct hazard_polys *ps, struct geom_ctx *g, const char *feature,
		     uint8_t *wkb, size_t len, char *err, size_t errlen)
{
	struct hazard_poly p = {.wkb = wkb, .len = len};
	int rc = geo_rd_polygon_check(g, wkb, len, &p.area_m2, &p.box, err, errlen);
	if (rc == 0 && grow_reserve(&ps->v, &ps->cap, ps->n + 1, sizeof *ps->v, 16) < 0) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
	}
	if (rc < 0) {
		free(wkb);
		return rc;
	}
	snprintf(p.feature, sizeof p.feature, "%s", feature);
	ps->v[ps->n++] = p;
	ps->rep->kept++;
	ps->rep->area_m2 += p.area_m2;
	return 0;
}

void hazard_polys_free(struct hazard_polys *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->v[i].wkb);
	free(ps->v);
	ps->v = NULL;
	ps->n = ps->cap = 0;
}

/* The layer to read: --layer, or the file's only feature layer. */
static const struct gpkg_layer *pick_layer(struct gpkg *gp, const char *want, char *err,
					   size_t errlen)
{
	const struct gpkg_layer *l = want ? gpkg_layer_find(gp, want) : NULL;
	size_t n = gpkg_layer_count(gp);
	if (l || (!want && n == 1))
		return l ? l : gpkg_layer_at(gp, 0);
	int at = snprintf(err, errlen, want ? "no layer %s; " : "%s", want ? want : "");
	at += snprintf(err + at, errlen > (size_t)at ? errlen - (size_t)at : 0,
		       "%zu feature layers (", n);
	for (size_t i = 0; i < n && (size_t)at < errlen; i++)
		at += snprintf(err + at, errlen - (size_t)at, "%s%s", i ? ", " : "",
			       gpkg_layer_at(gp, i)->name);
	if ((size_t)at < errlen)
		snprintf(err + at, errlen - (size_t)at, ")%s", n > 1 ? ": name one with --layer" : "");
	return NULL;
}

/* One row of a GeoPackage layer: filtered, decoded to RD New, checked, kept. */
static int gpkg_row(struct import_run *run, const struct gpkg_layer *l, struct gpkg_cursor *cur,
		    const struct hazard_where *w, struct hazard_polys *ps, char *err,
		    size_t errlen)
{
	double v = 0;
	int rc = w->field[0] ? gpkg_cursor_number(cur, 0, &v) : 0;
	ps->rep->features++;
	if (rc == -EINVAL) {
		snprintf(err, errlen, "%s: \"%s\" is not a number", w->field,
			 gpkg_cursor_text(cur, 0));
		return rc;
	}
	if (rc == 1 || (w->field[0] && !hazard_where_match(w, v))) {
		ps->rep->filtered++;
		return 0;
	}
	uint8_t *wkb = NULL;
	size_t len = 0;
	char name[80];
	snprintf(name, sizeof name, "fid %lld", (long long)gpkg_cursor_fid(cur));
	rc = import_row_wkb(run, l, cur, &wkb, &len, err, errlen);
	if (rc == 0 && (rc = hazard_polys_add(ps, run->geom, name, wkb, len, err, errlen)) < 0)
		import_err_prefix(err, errlen, "%s", l->geom_column);
	return rc;
}

static int read_gpkg(const char *path, const struct hazard_import_options *opt,
		     const struct hazard_where *w, struct import_run *run,
		     struct hazard_polys *ps, char *err, size_t errlen)
{
	struct gpkg *gp = NULL;
	struct gpkg_cursor *cur = NULL;
	const char *cols[] = {w->field};
	int rc = gpkg_open(path, &gp, err, errlen);
	const struct gpkg_layer *l = rc == 0 ? pick_layer(gp, opt->layer, err, errlen) : NULL;
	if (rc == 0 && !l)
		rc = -EINVAL;
	if (rc == 0 && w->field[0] && !gpkg_has_column(gp, l, w->field)) {
		snprintf(err, errlen, "layer %s: no field %s (the --where field)", l->name, w->field);
		rc = -EINVAL;
	}
	if (rc == 0)
		rc = gpkg_cursor_open(gp, l, cols, NULL, w->field[0] ? 1 : 0, &cur, err, errlen);
	while (rc == 0 && (rc = gpkg_cursor_next(cur, err, errlen)) == 1)
		if ((rc = gpkg_row(run, l, cur, w, ps, err, errlen)) < 0)
			import_err_prefix(err, errlen, "layer %s: feature %ld (fid %lld)", l->name,
					  ps->rep->features - 1, (long long)gpkg_cursor_fid(cur));
	gpkg_cursor_close(cur);
	gpkg_close(gp);
	return rc < 0 ? rc : 0;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* Reads and checks every feature of path into ps. */
static int read_file(const char *path, const struct hazard_import_options *opt,
		     const struct hazard_where *w, struct import_run *run,
		     struct hazard_polys *ps, char *err, size_t errlen)
{
	struct crs *crs = NULL;
	if (has_suffix(path, ".gpkg"))
		return read_gpkg(path, opt, w, run, ps, err, errlen);
	if (!has_suffix(path, ".geojson") && !has_suffix(path, ".json")) {
		snprintf(err, errlen, "not a .gpkg, .geojson or .json file");
		return -EINVAL;
	}
	if (opt->layer) {
		snprintf(err, errlen, "--layer %s: a GeoJSON file has one layer", opt->layer);
		return -EINVAL;
	}
	int rc = import_crs(run, &crs, err, errlen);
	return rc < 0 ? rc : hazard_read_geojson(path, w, run->geom, crs, ps, err, errlen);
}

static int valid_name(const char *name, char *err, size_t errlen)
{
	size_t n = strlen(name);
	int ok = n > 0 && n < 64;
	for (size_t i = 0; ok && i < n; i++)
		ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		     name[i] == '_';
	if (!ok)
		snprintf(err, errlen, "hazard layer name \"%s\": 1 to 63 lower-case letters, digits "
			 "or _ expected", name);
	return ok ? 0 : -EINVAL;
}

struct exists_ctx {
	const char *name;
	int found;
};

static int layer_exists(void *user, const struct store_hazard_layer *l)
{
	struct exists_ctx *c = user;
	c->found |= strcmp(l->name, c->name) == 0;
	return 0;
}

/* Writes the checked polygons as layer name, replacing an older one, in one transaction. */
static int store_layer(struct store *st, const char *name, const char *path,
		       const struct hazard_where *w, const char *where,
		       const struct hazard_polys *ps, char *err, size_t errlen)
{
	struct exists_ctx ctx = {name, 0};
	struct store_hazard_layer l = {.name = name, .source = path, .filter = w->field[0] ? where
		: NULL, .features = (long)ps->n, .area_m2 = ps->rep->area_m2};
	int rc = store_begin(st, err, errlen);
	if (rc == 0)
		rc = store_each_hazard_layer(st, layer_exists, &ctx, err, errlen);
	ps->rep->replaced = ctx.found;
	if (rc == 0)
		rc = store_hazard_replace(st, &l, err, errlen);
	for (size_t i = 0; rc == 0 && i < ps->n; i++) {
		const struct hazard_poly *p = &ps->v[i];
		struct store_hazard_part part = {name, (long)i, p->feature, p->wkb, p->len,
						 p->box.minx, p->box.miny, p->box.maxx, p->box.maxy};
		rc = store_hazard_put_part(st, &part, err, errlen);
	}
	if (rc == 0)
		rc = store_commit(st, err, errlen);
	else
		store_rollback(st);
	return rc;
}

int hazard_import(const char *db_path, const char *name, const char *path,
		  const struct hazard_import_options *opt, struct hazard_import_report *rep,
		  char *err, size_t errlen)
{
	struct import_options iopt = {.grid_dir = opt->grid_dir};
	struct import_run run = {.opt = &iopt};
	struct hazard_polys ps = {.rep = rep};
	struct hazard_where w;
	struct store *st = NULL;
	memset(rep, 0, sizeof *rep);
	int rc = valid_name(name, err, errlen);
	if (rc == 0)
		rc = hazard_where_parse(opt->where, &w, err, errlen);
	if (rc == 0 && !(run.geom = geom_ctx_new())) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
	}
	if (rc == 0 && (rc = read_file(path, opt, &w, &run, &ps, err, errlen)) < 0)
		import_err_prefix(err, errlen, "%s", path);
	if (rc == 0 && ps.n == 0) {
		snprintf(err, errlen, "%s: no polygon to store (%ld features, %ld left out by the "
			 "filter)", path, rep->features, rep->filtered);
		rc = -EINVAL;
	}
	if (rc == 0)
		rc = store_open(db_path, 0, &st, err, errlen);
	if (rc == 0)
		rc = store_layer(st, name, path, &w, opt->where, &ps, err, errlen);
	store_close(st);
	hazard_polys_free(&ps);
	crs_close(run.crs);
	geom_ctx_free(run.geom);
	return rc;
}

void hazard_import_report_print(const struct hazard_import_report *rep, const char *name,
				const char *path, const struct hazard_import_options *opt,
				FILE *out)
{
	fprintf(out, "hazard %s: %ld of %ld features stored", name, rep->kept, rep->features);
	if (rep->filtered)
		fprintf(out, " (%ld left out by %s)", rep->filtered, opt->where);
	fprintf(out, ", %.2f km2, from %s%s%s%s\n", rep->area_m2 / 1e6, path,
		opt->layer ? " layer " : "", opt->layer ? opt->layer : "",
		rep->replaced ? "; replaced the older layer of that name" : "");
}

struct list_ctx {
	FILE *out;
	long n;
};

static int list_row(void *user, const struct store_hazard_layer *l)
{
	struct list_ctx *c = user;
	if (c->n++ == 0)
		fprintf(c->out, "%-24s %8s %12s  %-20s %-20s  %s\n", "name", "features", "km2",
			"filter", "imported", "source");
	fprintf(c->out, "%-24s %8ld %12.2f  %-20s %-20s  %s\n", l->name, l->features,
		isnan(l->area_m2) ? 0.0 : l->area_m2 / 1e6, l->filter ? l->filter : "-",
		l->imported_at, l->source);
	return 0;
}

int hazard_list(const char *db_path, FILE *out, char *err, size_t errlen)
{
	struct store *st = NULL;
	struct list_ctx c = {out, 0};
	int rc = store_open(db_path, STORE_READONLY, &st, err, errlen);
	if (rc == 0)
		rc = store_each_hazard_layer(st, list_row, &c, err, errlen);
	if (rc == 0 && c.n == 0)
		fprintf(out, "no hazard layers (hubplannerd hazard-import NAME FILE adds one)\n");
	store_close(st);
	return rc;
}

int hazard_drop(const char *db_path, const char *name, char *err, size_t errlen)
{
	struct store *st = NULL;
	int rc = store_open(db_path, 0, &st, err, errlen);
	if (rc == 0)
		rc = store_begin(st, err, errlen);
	if (rc == 0)
		rc = store_hazard_drop(st, name, err, errlen);
	if (rc == 0)
		rc = store_commit(st, err, errlen);
	else if (st)
		store_rollback(st);
	store_close(st);
	return rc;
}
