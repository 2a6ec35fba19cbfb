/* The layers of an export and the GeoPackage sink: sites, batteries, one result layer per
 * area level, uncovered places per gemeente and safety regions, each a fixed field list
 * shared by both formats, and the sites added and removed since the previous plan. Reads the
 * map model only; never touches the database. */
#include "maps/export.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geom.h"
#include "maps/export_sink.h"
#include "maps/export_styles.h"
#include "maps/report_text.h"
#include "util/strbuf.h"
#include "util/fmt.h"

#define V_INT(x) ((struct gpkg_value){.i = (x)})
#define V_REAL(x) ((struct gpkg_value){.d = (x)})
#define V_TEXT(x) ((struct gpkg_value){.s = (x)})

struct exporter {
	const struct map_model *m;
	struct export_sink sink;
	struct export_counts *counts;
	char *err;
	size_t errlen;
	enum lang lang;               /* of the styles' legends */
};

static int start_layer(struct exporter *x, const char *name, const char *type,
		       const char *description, const struct gpkg_field *f, int n)
{
	struct export_counts *c = x->counts;
	if (c->nlayers == EXPORT_MAX_LAYERS) {
		snprintf(x->err, x->errlen, "too many layers");
		return -EINVAL;
	}
	c->name[c->nlayers] = name;
	c->features[c->nlayers++] = 0;
	return x->sink.layer(x->sink.user, name, type, description, f, n, x->err, x->errlen);
}

static int put(struct exporter *x, const uint8_t *wkb, size_t len, const double env[4],
	       const struct gpkg_value *v)
{
	x->counts->features[x->counts->nlayers - 1]++;
	return x->sink.feature(x->sink.user, wkb, len, env, v, x->err, x->errlen);
}

static int put_point(struct exporter *x, double px, double py, const struct gpkg_value *v)
{
	uint8_t wkb[21];
	double env[4] = {px, px, py, py};
	geom_point_wkb(px, py, wkb);
	return put(x, wkb, sizeof wkb, env, v);
}

static const char *area_code(const struct served *s, int32_t a)
{
	return a >= 0 ? s->areas[a].code : NULL;
}

static int export_sites(struct exporter *x)
{
	static const char *const origins[] = {"site", "area_centre", "cell_block"};
	static const struct gpkg_field f[] = {
		{"level", GPKG_TEXT}, {"seq", GPKG_INTEGER}, {"name", GPKG_TEXT},
		{"kind", GPKG_TEXT}, {"origin", GPKG_TEXT}, {"fixed", GPKG_INTEGER},
		{"site_id", GPKG_INTEGER}, {"gemeente", GPKG_TEXT}, {"region", GPKG_TEXT},
		{"power_funded", GPKG_INTEGER}, {"purpose", GPKG_TEXT}, {"hazard", GPKG_TEXT}};
	const struct served *s = x->m->s;
	int rc = start_layer(x, "sites", "POINT", "noodsteunpunten of the plan: local and "
			     "regional", f, (int)(sizeof f / sizeof f[0]));
	for (size_t k = 0; rc == 0 && k < s->nsites; k++) {
		const struct served_site *t = &s->sites[k];
		if (!map_site_in_scope(x->m, t))
			continue;
		struct gpkg_value v[] = {
			V_TEXT(t->level == 1 ? "local" : "regional"), V_INT(t->seq), V_TEXT(t->name),
			V_TEXT(t->kind), V_TEXT(origins[t->origin >= 0 && t->origin < 3 ? t->origin : 0]),
			V_INT(t->fixed), {.null = t->site_id < 0, .i = t->site_id},
			V_TEXT(area_code(s, t->gemeente)), V_TEXT(map_region_code(x->m, t->gemeente)),
			V_INT(t->power_funded), V_TEXT(t->backup ? "backup" : "primary"),
			V_TEXT(t->hazard)};
		rc = put_point(x, t->x, t->y, v);
	}
	return rc;
}

static int export_batteries(struct exporter *x)
{
	static const struct gpkg_field f[] = {
		{"area", GPKG_TEXT}, {"kwh", GPKG_REAL}, {"kw", GPKG_REAL},
		{"households", GPKG_REAL}, {"funded", GPKG_INTEGER}, {"region", GPKG_TEXT}};
	int rc = start_layer(x, "batteries", "POINT", "wijkbatterijen of the plan", f,
			     (int)(sizeof f / sizeof f[0]));
	for (size_t k = 0; rc == 0 && k < x->m->nbat; k++) {
		const struct map_battery *b = &x->m->bat[k];
		struct gpkg_value v[] = {
			V_TEXT(x->m->s->areas[b->area].code), V_REAL(fmt_round(b->kwh, 1)),
			V_REAL(fmt_round(b->kw, 1)), V_REAL(fmt_round(b->households, 1)),
			V_INT(b->funded), V_TEXT(map_region_code(x->m, b->area))};
		rc = put_point(x, b->x, b->y, v);
	}
	return rc;
}

static const struct gpkg_field area_fields[] = {
	{"code", GPKG_TEXT}, {"name", GPKG_TEXT}, {"gemeente", GPKG_TEXT}, {"region", GPKG_TEXT},
	{"residents", GPKG_REAL}, {"covered", GPKG_REAL}, {"covered_pct", GPKG_REAL},
	{"uncovered", GPKG_REAL}, {"vulnerable", GPKG_REAL}, {"vulnerable_uncovered", GPKG_REAL},
	{"regional_covered", GPKG_REAL}, {"mean_dist_m", GPKG_REAL},
	{"backup_households", GPKG_REAL}, {"wijk_batteries", GPKG_INTEGER},
	{"home_batteries", GPKG_INTEGER}, {"backup_funded", GPKG_INTEGER},
	{"blackout_covered", GPKG_REAL}, {"blackout_pct", GPKG_REAL},
	{"blackout_regional_covered", GPKG_REAL}, {"twice_covered", GPKG_REAL},
	{"twice_pct", GPKG_REAL}};

/* 100 * part / r->residents, NaN when the area has no row, no residents or part is NaN. */
static double area_pct(const struct served_result *r, double part)
{
	return r->has && r->residents > 0 ? 100 * part / r->residents : NAN;
}

static int put_area(struct exporter *x, int32_t a)
{
	const struct served *s = x->m->s;
	const struct served_area *ar = &s->areas[a];
	const struct served_result *r = &ar->r;
	const struct served_backup *b = &ar->b;
	struct gpkg_value v[] = {
		V_TEXT(ar->code), V_TEXT(ar->name), V_TEXT(area_code(s, ar->gemeente)),
		V_TEXT(map_region_code(x->m, a)), {.null = !r->has, .d = fmt_round(r->residents, 1)},
		{.null = !r->has, .d = fmt_round(r->covered, 1)},
		V_REAL(fmt_round(area_pct(r, r->covered), 3)),
		{.null = !r->has, .d = fmt_round(r->uncovered, 1)},
		{.null = !r->has, .d = fmt_round(r->vulnerable, 1)},
		{.null = !r->has, .d = fmt_round(r->vulnerable_uncovered, 1)},
		{.null = !r->has, .d = fmt_round(r->regional_covered, 1)},
		{.null = !r->has, .d = fmt_round(r->mean_dist_m, 1)},
		{.null = !b->has, .d = fmt_round(b->households, 1)},
		{.null = !b->has, .i = b->wijk_batteries}, {.null = !b->has, .i = b->home_batteries},
		{.null = !b->has, .i = b->funded},
		{.null = !r->has || !isfinite(r->blackout_covered), .d = fmt_round(r->blackout_covered, 1)},
		V_REAL(fmt_round(area_pct(r, r->blackout_covered), 3)),
		{.null = !r->has || !isfinite(r->blackout_regional_covered),
		 .d = fmt_round(r->blackout_regional_covered, 1)},
		{.null = !r->has, .d = fmt_round(r->twice_covered, 1)},
		V_REAL(fmt_round(area_pct(r, r->twice_covered), 3))};
	const struct map_geom *g = &x->m->area[a];
	return put(x, g->wkb, g->len, g->env, v);
}

static int export_level(struct exporter *x, int level)
{
	static const char *const names[] = {"", "gemeenten", "wijken", "buurten", "cells_100m",
					    "cells_500m"};
	const struct served *s = x->m->s;
	int rc = 0, started = 0;
	for (size_t a = 0; rc == 0 && a < s->nareas; a++) {
		if (s->areas[a].level != level || !x->m->area[a].wkb)
			continue;
		if (!started++)
			rc = start_layer(x, names[level], "MULTIPOLYGON", "coverage per area (land "
					 "part) of the plan", area_fields,
					 (int)(sizeof area_fields / sizeof area_fields[0]));
		if (rc == 0)
			rc = put_area(x, (int32_t)a);
	}
	return rc;
}

static int export_uncovered(struct exporter *x)
{
	static const struct gpkg_field f[] = {
		{"gemeente", GPKG_TEXT}, {"name", GPKG_TEXT}, {"region", GPKG_TEXT},
		{"uncovered_residents", GPKG_REAL}, {"uncovered_65plus", GPKG_REAL}};
	const struct map_model *m = x->m;
	int rc = start_layer(x, "uncovered", "MULTIPOLYGON", "places no local noodsteunpunt "
			     "reaches, per gemeente (cells or sample squares)", f,
			     (int)(sizeof f / sizeof f[0]));
	for (size_t a = 0; rc == 0 && a < m->s->nareas; a++) {
		if (!m->uncovered[a].wkb)
			continue;
		struct gpkg_value v[] = {V_TEXT(m->s->areas[a].code), V_TEXT(m->s->areas[a].name),
					 V_TEXT(map_region_code(m, (int32_t)a)),
					 V_REAL(fmt_round(m->unc_residents[a], 1)),
					 V_REAL(fmt_round(m->unc_vulnerable[a], 1))};
		rc = put(x, m->uncovered[a].wkb, m->uncovered[a].len, m->uncovered[a].env, v);
	}
	return rc;
}

static int export_regions(struct exporter *x)
{
	static const struct gpkg_field f[] = {
		{"code", GPKG_TEXT}, {"name", GPKG_TEXT}, {"residents", GPKG_REAL},
		{"covered_residents", GPKG_REAL}, {"covered_pct", GPKG_REAL},
		{"local_sites", GPKG_INTEGER}, {"regional_sites", GPKG_INTEGER},
		{"covered_weight", GPKG_REAL}, {"bound_weight", GPKG_REAL}, {"gap_pct", GPKG_REAL},
		{"bound_method", GPKG_TEXT}, {"best_weight", GPKG_REAL},
		{"blackout_covered", GPKG_REAL}, {"blackout_pct", GPKG_REAL},
		{"twice_covered", GPKG_REAL}, {"twice_pct", GPKG_REAL}};
	const struct map_model *m = x->m;
	int rc = start_layer(x, "regions", "MULTIPOLYGON", "safety regions with the plan's "
			     "coverage and its distance from the bound", f,
			     (int)(sizeof f / sizeof f[0]));
	for (size_t r = 0; rc == 0 && r < m->s->nregions; r++) {
		const struct served_region *g = &m->s->regions[r];
		if (!m->region[r].wkb)
			continue;
		double pct = g->residents > 0 ? 100 * g->covered_residents / g->residents : NAN;
		struct gpkg_value v[] = {
			V_TEXT(g->code), V_TEXT(g->name), V_REAL(fmt_round(g->residents, 1)),
			V_REAL(fmt_round(g->covered_residents, 1)), V_REAL(fmt_round(pct, 3)),
			V_INT(g->local_sites), V_INT(g->regional_sites),
			V_REAL(fmt_round(g->covered_weight, 1)), V_REAL(fmt_round(g->bound, 1)),
			V_REAL(fmt_round(g->gap_pct, 3)), V_TEXT(g->bound_method),
			V_REAL(fmt_round(g->best_weight, 1)), V_REAL(fmt_round(g->blackout_covered, 1)),
			V_REAL(fmt_round(g->residents > 0 ? 100 * g->blackout_covered / g->residents
						       : NAN, 3)),
			V_REAL(fmt_round(g->twice_covered, 1)),
			V_REAL(fmt_round(g->residents > 0 ? 100 * g->twice_covered / g->residents
						       : NAN, 3))};
		rc = put(x, m->region[r].wkb, m->region[r].len, m->region[r].env, v);
	}
	return rc;
}

/* The sites added and removed since the plan stored before this one; empty for the
 * first plan. */
static int export_changes(struct exporter *x)
{
	static const struct gpkg_field f[] = {
		{"level", GPKG_TEXT}, {"change", GPKG_TEXT}, {"name", GPKG_TEXT},
		{"gemeente_code", GPKG_TEXT}, {"region_code", GPKG_TEXT},
		{"plan_from", GPKG_INTEGER}, {"plan_to", GPKG_INTEGER}};
	const struct plan_changes *c = x->m->changes;
	int rc = start_layer(x, "changes", "POINT", "noodsteunpunten added and removed since the "
			     "previous plan", f, (int)(sizeof f / sizeof f[0]));
	for (size_t k = 0; rc == 0 && k < c->nsites; k++) {
		const struct changes_site *t = &c->sites[k];
		if (!map_change_in_scope(x->m, t))
			continue;
		struct gpkg_value v[] = {
			V_TEXT(t->level == 1 ? "local" : "regional"),
			V_TEXT(t->added ? "added" : "removed"), V_TEXT(t->name),
			V_TEXT(t->gemeente_code[0] ? t->gemeente_code : NULL),
			V_TEXT(t->region_code[0] ? t->region_code : NULL), V_INT(c->from_id),
			V_INT(c->to_id)};
		rc = put_point(x, t->x_rd, t->y_rd, v);
	}
	return rc;
}

static int export_all(struct exporter *x)
{
	int rc = export_sites(x);
	if (rc == 0)
		rc = export_batteries(x);
	for (int level = 1; rc == 0 && level <= 5; level++)
		rc = export_level(x, level);
	if (rc == 0)
		rc = export_uncovered(x);
	if (rc == 0)
		rc = export_regions(x);
	if (rc == 0)
		rc = export_changes(x);
	return rc;
}

/* Every written layer's QGIS style as its default, where the sink keeps styles. */
static int export_styles(struct exporter *x)
{
	struct strbuf qml = {0};
	int rc = 0;
	for (int k = 0; rc == 0 && x->sink.style && k < x->counts->nlayers; k++) {
		strbuf_clear(&qml);
		rc = export_style_qml(x->counts->name[k], x->lang, &qml);
		if (rc == -ENOENT) {
			rc = 0;
			continue;
		}
		if (rc < 0)
			snprintf(x->err, x->errlen, "out of memory");
		else
			rc = x->sink.style(x->sink.user, x->counts->name[k], qml.s,
					   LANG_PICK(x->lang, RT_STYLE_DESCRIPTION), x->err, x->errlen);
	}
	strbuf_free(&qml);
	return rc;
}

/* ---- the GeoPackage sink ---- */

static int gp_layer(void *user, const char *name, const char *geometry_type,
		    const char *description, const struct gpkg_field *fields, int nfields,
		    char *err, size_t errlen)
{
	return gpkg_writer_layer(user, name, geometry_type, description, fields, nfields, err,
				 errlen);
}

static int gp_feature(void *user, const uint8_t *wkb, size_t len, const double env[4],
		      const struct gpkg_value *values, char *err, size_t errlen)
{
	return gpkg_writer_feature(user, wkb, len, env, values, err, errlen);
}

static int gp_finish(void *user, char *err, size_t errlen)
{
	return gpkg_writer_finish(user, err, errlen);
}

static int gp_style(void *user, const char *layer, const char *qml, const char *description,
		    char *err, size_t errlen)
{
	return gpkg_writer_style(user, layer, "hubplanner", qml, description, err, errlen);
}

static void gp_abort(void *user)
{
	gpkg_writer_abort(user);
}

static int open_gpkg(struct crs *crs, const char *path, struct export_sink *out, char *err,
		     size_t errlen)
{
	char *rd_wkt = NULL, *wgs_wkt = NULL;
	struct gpkg_writer *w = NULL;
	int rc = crs_epsg_wkt(crs, 28992, &rd_wkt, err, errlen);
	if (rc == 0)
		rc = crs_epsg_wkt(crs, 4326, &wgs_wkt, err, errlen);
	if (rc == 0) {
		struct gpkg_srs srs = {28992, "Amersfoort / RD New", rd_wkt};
		rc = gpkg_writer_open(path, &srs, wgs_wkt, &w, err, errlen);
	}
	free(rd_wkt);
	free(wgs_wkt);
	if (rc == 0)
		*out = (struct export_sink){gp_layer, gp_feature, gp_finish, gp_abort, w, gp_style};
	return rc;
}

int export_write(const struct map_model *m, enum export_format format, enum lang lang,
		 const char *path, struct export_counts *counts, char *err, size_t errlen)
{
	struct crs *crs = m->s->crs;
	struct export_counts local;
	struct exporter x = {m, {0}, counts ? counts : &local, err, errlen, lang};
	char title[160];
	snprintf(title, sizeof title, "hubplanner plan %lld, %s", (long long)m->s->plan_id,
		 m->scope_code);
	memset(x.counts, 0, sizeof *x.counts);
	int rc = format == EXPORT_GPKG ? open_gpkg(crs, path, &x.sink, err, errlen)
				       : export_geojson_open(path, title, m->s->g, crs, &x.sink,
							     err, errlen);
	if (rc < 0)
		return rc;
	if ((rc = export_all(&x)) < 0 || (rc = export_styles(&x)) < 0) {
		x.sink.abort(x.sink.user);
		return rc;
	}
	return x.sink.finish(x.sink.user, err, errlen);
}
