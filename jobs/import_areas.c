/* Readers for the CBS area layers: gemeenten, wijken and buurten of the Wijk- en
 * Buurtkaart (land and water parts kept apart), Vierkantstatistieken grid cells (squares
 * rebuilt from the cell id), and the safety-region boundaries. Writes through store_put_*. */
#define _DEFAULT_SOURCE
#include "jobs/import_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The official column names, per level; index constants below follow this order. */
enum {
	COL_CODE, COL_NAME, COL_GEMEENTE, COL_WIJK, COL_WATER, COL_RESIDENTS, COL_PCT65,
	COL_HOUSEHOLDS, COL_URBANITY, COL_DENSITY, COL_CARS, COL_LAND, COL_WATER_HA, NCOLS
};

static const char *const figure_names[NCOLS] = {
	[COL_RESIDENTS] = "aantal_inwoners",
	[COL_PCT65] = "percentage_personen_65_jaar_en_ouder",
	[COL_HOUSEHOLDS] = "aantal_huishoudens",
	[COL_URBANITY] = "stedelijkheid_adressen_per_km2",
	[COL_DENSITY] = "omgevingsadressendichtheid",
	[COL_CARS] = "personenautos_per_huishouden",
	[COL_LAND] = "oppervlakte_land_in_ha",
	[COL_WATER_HA] = "oppervlakte_water_in_ha",
};

static void area_columns(enum area_level level, const char *cols[NCOLS], int optional[NCOLS])
{
	static const char *const code[] = {"", "gemeentecode", "wijkcode", "buurtcode"};
	static const char *const name[] = {"", "gemeentenaam", "wijknaam", "buurtnaam"};
	for (int i = 0; i < NCOLS; i++) {
		cols[i] = figure_names[i];
		optional[i] = i >= COL_CARS;
	}
	cols[COL_CODE] = code[level];
	cols[COL_NAME] = name[level];
	cols[COL_GEMEENTE] = "gemeentecode";
	cols[COL_WIJK] = level == AREA_BUURT ? "wijkcode" : "wijkcode_unused";
	optional[COL_WIJK] = level != AREA_BUURT;
	cols[COL_WATER] = "water";
	optional[COL_WATER] = 1;
}

/* Reads the figures of one row into a; counts unknown values. */
static int read_figures(struct gpkg_cursor *cur, struct store_area *a, long *unknown,
			char *err, size_t errlen)
{
	struct { int col; double *out; int count; } f[] = {
		{COL_RESIDENTS, &a->residents, 1}, {COL_PCT65, &a->pct_65plus, 1},
		{COL_HOUSEHOLDS, &a->households, 1}, {COL_URBANITY, &a->urbanity, 1},
		{COL_DENSITY, &a->address_density, 1}, {COL_CARS, &a->cars_per_household, 1},
		{COL_LAND, &a->land_ha, 1}, {COL_WATER_HA, &a->water_ha, 1},
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		int rc = import_figure(cur, (size_t)f[i].col, figure_names[f[i].col], f[i].count,
				       f[i].out, unknown, err, errlen);
		if (rc < 0)
			return rc;
	}
	if (a->urbanity == a->urbanity && (a->urbanity < 1 || a->urbanity > 5 ||
					   a->urbanity != floor(a->urbanity))) {
		snprintf(err, errlen, "stedelijkheid_adressen_per_km2: %g is not a class 1..5",
			 a->urbanity);
		return -EINVAL;
	}
	if (a->pct_65plus == a->pct_65plus && a->pct_65plus > 100) {
		snprintf(err, errlen, "percentage_personen_65_jaar_en_ouder: %g is over 100",
			 a->pct_65plus);
		return -EINVAL;
	}
	return 0;
}

/* Decodes, transforms and repairs the row's polygon. *wkb is malloc'd (caller frees). */
static int row_polygon(struct import_run *run, const struct gpkg_layer *layer,
		       struct gpkg_cursor *cur, uint8_t **wkb, size_t *len, long *repaired,
		       char *err, size_t errlen)
{
	uint8_t *raw = NULL;
	size_t rawlen = 0;
	int fixed = 0;
	int rc = import_row_wkb(run, layer, cur, &raw, &rawlen, err, errlen);
	if (rc < 0)
		return rc;
	char why[512];
	rc = geom_polygonal_normalize(run->geom, raw, rawlen, wkb, len, &fixed, why, sizeof why);
	free(raw);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", layer->geom_column, why);
		return rc;
	}
	*repaired += fixed;
	return 0;
}

static int need_code(const char *code, const char *column, const char *prefix, char *err,
		     size_t errlen)
{
	if (!code || !*code) {
		snprintf(err, errlen, "%s: empty code", column);
		return -EINVAL;
	}
	if (strncmp(code, prefix, 2) != 0) {
		snprintf(err, errlen, "%s: \"%s\" does not start with %s", column, code, prefix);
		return -EINVAL;
	}
	return 0;
}

static int clear_once(struct import_run *run, enum area_level level, char *err, size_t errlen)
{
	if (run->level_cleared[level])
		return 0;
	run->level_cleared[level] = 1;
	return store_clear_level(run->store, level, err, errlen);
}

static int put_area_row(struct import_run *run, const struct gpkg_layer *layer,
			struct gpkg_cursor *cur, enum area_level level,
			struct import_layer_report *lr, char *err, size_t errlen)
{
	static const char *const prefix[] = {"", "GM", "WK", "BU"};
	const char *cols[NCOLS];
	int optional[NCOLS];
	/* Area layers give 65+ as a percentage; the count stays unknown (not 0). */
	struct store_area a = {.level = level, .residents_65plus = STORE_UNKNOWN};
	uint8_t *wkb = NULL;
	size_t len = 0;
	area_columns(level, cols, optional);
	a.code = gpkg_cursor_text(cur, COL_CODE);
	int rc = need_code(a.code, cols[COL_CODE], prefix[level], err, errlen);
	if (rc < 0)
		return rc;
	const char *water = gpkg_cursor_text(cur, COL_WATER);
	int is_water = water && strcmp(water, "JA") == 0;
	if ((rc = row_polygon(run, layer, cur, &wkb, &len, &lr->repaired, err, errlen)) < 0)
		return rc;
	if (is_water) {
		rc = store_put_water(run->store, level, a.code, wkb, len, err, errlen);
		lr->water_parts++;
		free(wkb);
		return rc;
	}
	a.name = gpkg_cursor_text(cur, COL_NAME);
	a.gemeente_code = gpkg_cursor_text(cur, COL_GEMEENTE);
	a.wijk_code = level == AREA_BUURT ? gpkg_cursor_text(cur, COL_WIJK) : NULL;
	struct geom_bbox b;
	rc = read_figures(cur, &a, &lr->unknown, err, errlen);
	if (rc == 0)
		rc = geom_bbox(run->geom, wkb, len, &b, err, errlen);
	if (rc == 0) {
		a.minx = b.minx, a.miny = b.miny, a.maxx = b.maxx, a.maxy = b.maxy;
		a.geom_land = wkb;
		a.geom_land_len = len;
		rc = store_put_area(run->store, &a, err, errlen);
	}
	if (rc == 0) {
		lr->features++;
		lr->residents += a.residents == a.residents ? a.residents : 0;
	}
	free(wkb);
	return rc;
}

int import_area_layer(struct import_run *run, struct gpkg *g, const struct gpkg_layer *layer,
		      enum area_level level, struct import_layer_report *lr, char *err,
		      size_t errlen)
{
	const char *cols[NCOLS];
	int optional[NCOLS];
	struct gpkg_cursor *cur = NULL;
	area_columns(level, cols, optional);
	int rc = gpkg_cursor_open(g, layer, cols, optional, NCOLS, &cur, err, errlen);
	if (rc == 0)
		rc = clear_once(run, level, err, errlen);
	while (rc == 0 && (rc = gpkg_cursor_next(cur, err, errlen)) == 1) {
		rc = put_area_row(run, layer, cur, level, lr, err, errlen);
		if (rc < 0)
			import_err_prefix(err, errlen, "layer %s: feature %lld", layer->name,
					  (long long)gpkg_cursor_fid(cur));
	}
	gpkg_cursor_close(cur);
	if (rc == 0 && lr->features == 0) {
		snprintf(err, errlen, "layer %s: no features", layer->name);
		rc = -EINVAL;
	}
	return rc < 0 ? rc : 0;
}

/* Cell ids read "E0974N4514": the south-west corner in hectometres. */
static int cell_corner(const char *id, double *x, double *y)
{
	if (!id || strlen(id) != 10 || id[0] != 'E' || id[5] != 'N')
		return -EINVAL;
	unsigned hx = 0, hy = 0;
	for (int k = 1; k < 10; k++) {
		if (k == 5)
			continue;
		if (id[k] < '0' || id[k] > '9')
			return -EINVAL;
		if (k < 5)
			hx = hx * 10 + (unsigned)(id[k] - '0');
		else
			hy = hy * 10 + (unsigned)(id[k] - '0');
	}
	*x = hx * 100.0;
	*y = hy * 100.0;
	return 0;
}

static size_t put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	return 4;
}

static size_t put_f64(uint8_t *p, double d)
{
	uint64_t v;
	memcpy(&v, &d, sizeof v);
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	return 8;
}

/* Little-endian WKB MultiPolygon of one square: 9 + 13 + 5 * 16 = 102 bytes. */
static void square_wkb(double x0, double y0, double side, uint8_t out[102])
{
	const double pts[10] = {x0, y0, x0 + side, y0, x0 + side, y0 + side, x0, y0 + side, x0, y0};
	size_t o = 0;
	out[o++] = 1;
	o += put_u32(out + o, 6);
	o += put_u32(out + o, 1);
	out[o++] = 1;
	o += put_u32(out + o, 3);
	o += put_u32(out + o, 1);
	o += put_u32(out + o, 5);
	for (int i = 0; i < 10; i++)
		o += put_f64(out + o, pts[i]);
}

static int put_cell_row(struct import_run *run, const struct gpkg_layer *layer,
			struct gpkg_cursor *cur, enum area_level level, const char *code_column,
			struct import_layer_report *lr, char *err, size_t errlen)
{
	double side = level == AREA_CELL100 ? 100 : 500, x0, y0;
	uint8_t *raw = NULL, wkb[102];
	size_t rawlen = 0;
	struct store_area a = {.level = level, .pct_65plus = STORE_UNKNOWN,
			       .urbanity = STORE_UNKNOWN, .address_density = STORE_UNKNOWN,
			       .cars_per_household = STORE_UNKNOWN, .land_ha = STORE_UNKNOWN,
			       .water_ha = STORE_UNKNOWN};
	a.code = gpkg_cursor_text(cur, 0);
	if (cell_corner(a.code, &x0, &y0) < 0) {
		snprintf(err, errlen, "%s: \"%s\" is not a cell id like E0974N4514", code_column,
			 a.code ? a.code : "");
		return -EINVAL;
	}
	/* The blob must be sound even though the square is rebuilt exactly from the id. */
	int rc = import_row_wkb(run, layer, cur, &raw, &rawlen, err, errlen);
	free(raw);
	const char *names[] = {"aantal_inwoners", "aantal_inwoners_65_jaar_en_ouder",
			       "aantal_part_huishoudens"};
	double *outs[] = {&a.residents, &a.residents_65plus, &a.households};
	for (size_t i = 0; i < 3 && rc == 0; i++)
		rc = import_figure(cur, i + 1, names[i], 1, outs[i], &lr->unknown, err, errlen);
	if (rc < 0)
		return rc;
	square_wkb(x0, y0, side, wkb);
	a.geom_land = wkb;
	a.geom_land_len = sizeof wkb;
	a.minx = x0, a.miny = y0, a.maxx = x0 + side, a.maxy = y0 + side;
	if ((rc = store_put_area(run->store, &a, err, errlen)) == 0) {
		lr->features++;
		lr->residents += a.residents == a.residents ? a.residents : 0;
	}
	return rc;
}

int import_grid_layer(struct import_run *run, struct gpkg *g, const struct gpkg_layer *layer,
		      enum area_level level, const char *code_column,
		      struct import_layer_report *lr, char *err, size_t errlen)
{
	const char *cols[] = {code_column, "aantal_inwoners", "aantal_inwoners_65_jaar_en_ouder",
			      "aantal_part_huishoudens"};
	const int optional[] = {0, 0, 1, 1};
	struct gpkg_cursor *cur = NULL;
	int rc = gpkg_cursor_open(g, layer, cols, optional, 4, &cur, err, errlen);
	if (rc == 0)
		rc = clear_once(run, level, err, errlen);
	while (rc == 0 && (rc = gpkg_cursor_next(cur, err, errlen)) == 1) {
		rc = put_cell_row(run, layer, cur, level, code_column, lr, err, errlen);
		if (rc < 0)
			import_err_prefix(err, errlen, "layer %s: feature %lld", layer->name,
					  (long long)gpkg_cursor_fid(cur));
	}
	gpkg_cursor_close(cur);
	return rc < 0 ? rc : 0;
}

static int put_region_row(struct import_run *run, const struct gpkg_layer *layer,
			  struct gpkg_cursor *cur, struct import_layer_report *lr, char *err,
			  size_t errlen)
{
	const char *code = gpkg_cursor_text(cur, 0), *name = gpkg_cursor_text(cur, 1);
	uint8_t *wkb = NULL;
	size_t len = 0;
	int rc = need_code(code, "statcode", "VR", err, errlen);
	if (rc == 0)
		rc = row_polygon(run, layer, cur, &wkb, &len, &lr->repaired, err, errlen);
	if (rc == 0)
		rc = store_put_region(run->store, code, name ? name : code, wkb, len, err, errlen);
	lr->features += rc == 0;
	free(wkb);
	return rc;
}

int import_region_layer(struct import_run *run, struct gpkg *g, const struct gpkg_layer *layer,
			struct import_layer_report *lr, char *err, size_t errlen)
{
	const char *cols[] = {"statcode", "statnaam"};
	struct gpkg_cursor *cur = NULL;
	int rc = gpkg_cursor_open(g, layer, cols, NULL, 2, &cur, err, errlen);
	if (rc == 0 && !run->regions_cleared) {
		run->regions_cleared = 1;
		rc = store_clear_regions(run->store, err, errlen);
	}
	while (rc == 0 && (rc = gpkg_cursor_next(cur, err, errlen)) == 1) {
		rc = put_region_row(run, layer, cur, lr, err, errlen);
		if (rc < 0)
			import_err_prefix(err, errlen, "layer %s: feature %lld", layer->name,
					  (long long)gpkg_cursor_fid(cur));
	}
	gpkg_cursor_close(cur);
	return rc < 0 ? rc : 0;
}
