/* Test fixtures (see fixture.h): WKB and GeoPackage blobs byte by byte, GeoPackages through
 * sqlite3 with the official CBS layer schemas, and CSV / GeoJSON site and membership files.
 * Test-only code; aborts on any failure to write. */
#include "tests/lib/fixture.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQL_MAX 16384

struct fx_gpkg {
	sqlite3 *db;
};

static void fx_die(const char *what, const char *detail)
{
	fprintf(stderr, "fixture: %s: %s\n", what, detail ? detail : "");
	abort();
}

/* ---- WKB ---- */

struct wbuf {
	uint8_t *p;
	size_t n, cap;
};

static void put_u8(struct wbuf *w, unsigned v)
{
	if (w->n >= w->cap)
		fx_die("wkb", "buffer too small");
	w->p[w->n++] = (uint8_t)v;
}

static void put_u32(struct wbuf *w, uint32_t v, int big)
{
	for (int i = 0; i < 4; i++)
		put_u8(w, (v >> (big ? 8 * (3 - i) : 8 * i)) & 0xff);
}

static void put_f64(struct wbuf *w, double d, int big)
{
	uint64_t v;
	memcpy(&v, &d, sizeof v);
	for (int i = 0; i < 8; i++)
		put_u8(w, (unsigned)(v >> (big ? 8 * (7 - i) : 8 * i)) & 0xff);
}

static void put_ring(struct wbuf *w, const double *xy, size_t npts, int big)
{
	put_u32(w, (uint32_t)npts, big);
	for (size_t i = 0; i < 2 * npts; i++)
		put_f64(w, xy[i], big);
}

/* A polygon of rings[first .. first+count); returns the coordinates consumed. */
static size_t put_polygon(struct wbuf *w, const struct fx_shape *s, const double *xy,
			  size_t first, size_t count, int big)
{
	size_t used = 0;
	put_u8(w, big ? 0 : 1);
	put_u32(w, FX_POLYGON, big);
	put_u32(w, (uint32_t)count, big);
	for (size_t r = first; r < first + count; r++) {
		put_ring(w, xy + used, s->npts[r], big);
		used += 2 * s->npts[r];
	}
	return used;
}

size_t fx_wkb(const struct fx_shape *s, int big_endian, uint8_t *out, size_t cap)
{
	struct wbuf w = { .p = out, .cap = cap };
	const double *xy = s->xy;
	if (s->type == FX_POINT) {
		put_u8(&w, big_endian ? 0 : 1);
		put_u32(&w, FX_POINT, big_endian);
		put_f64(&w, xy[0], big_endian);
		put_f64(&w, xy[1], big_endian);
	} else if (s->type == FX_POLYGON) {
		put_polygon(&w, s, xy, 0, s->nrings, big_endian);
	} else {
		put_u8(&w, big_endian ? 0 : 1);
		put_u32(&w, FX_MULTIPOLYGON, big_endian);
		put_u32(&w, (uint32_t)s->nrings, big_endian);
		for (size_t r = 0; r < s->nrings; r++)
			xy += put_polygon(&w, s, xy, r, 1, big_endian);
	}
	return w.n;
}

/* minx, maxx, miny, maxy over every coordinate of s (zeros when it has none). */
static void shape_envelope(const struct fx_shape *s, double env[4])
{
	size_t n = s->type == FX_POINT ? 1 : 0;
	for (size_t r = 0; s->type != FX_POINT && r < s->nrings; r++)
		n += s->npts[r];
	env[0] = env[1] = env[2] = env[3] = 0;
	for (size_t i = 0; i < n; i++) {
		double x = s->xy[2 * i], y = s->xy[2 * i + 1];
		env[0] = i == 0 || x < env[0] ? x : env[0];
		env[1] = i == 0 || x > env[1] ? x : env[1];
		env[2] = i == 0 || y < env[2] ? y : env[2];
		env[3] = i == 0 || y > env[3] ? y : env[3];
	}
}

void fx_blob(const struct fx_blob_opt *o, const struct fx_shape *s, struct fx_blob *out)
{
	static const int env_doubles[] = { 0, 4, 6, 6, 8 };
	struct wbuf w = { .p = out->b, .cap = sizeof out->b };
	double env[4];
	int big = o->big_header;
	if (o->envelope < 0 || o->envelope > 4)
		fx_die("blob", "envelope code must be 0..4");
	put_u8(&w, 'G');
	put_u8(&w, 'P');
	put_u8(&w, 0);
	put_u8(&w, (unsigned)((o->empty ? 0x10 : 0) | (o->envelope << 1) | (big ? 0 : 1)));
	put_u32(&w, (uint32_t)o->srs_id, big);
	shape_envelope(s, env);
	for (int i = 0; i < env_doubles[o->envelope]; i++)
		put_f64(&w, i < 4 ? env[i] : 0.0, big);
	out->n = w.n + fx_wkb(s, o->big_wkb, out->b + w.n, sizeof out->b - w.n);
}

void fx_square_ring(double x0, double y0, double side, double xy[10])
{
	const double pts[10] = { x0, y0, x0 + side, y0, x0 + side, y0 + side, x0, y0 + side,
				 x0, y0 };
	memcpy(xy, pts, sizeof pts);
}

void fx_square_blob(double x0, double y0, double side, int32_t srs_id, struct fx_blob *out)
{
	double xy[10];
	const size_t npts[] = { 5 };
	const struct fx_shape s = { FX_MULTIPOLYGON, xy, npts, 1 };
	const struct fx_blob_opt o = { .srs_id = srs_id, .envelope = 1 };
	fx_square_ring(x0, y0, side, xy);
	fx_blob(&o, &s, out);
}

/* ---- GeoPackage files ---- */

static const char gpkg_schema[] =
	"PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;"
	"CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,"
	" organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,"
	" definition TEXT NOT NULL, description TEXT);"
	"CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY,"
	" data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',"
	" last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
	" min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);"
	"CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,"
	" geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL,"
	" m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name));"
	"INSERT INTO gpkg_spatial_ref_sys VALUES"
	" ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL),"
	" ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL),"
	" ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS[\"WGS 84\"]', NULL),"
	" ('Amersfoort / RD New', 28992, 'EPSG', 28992, 'PROJCS[\"Amersfoort / RD New\"]', NULL);";

static void db_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fx_die(sql, msg);
}

static void join_path(const char *dir, const char *name, char *path, size_t pathlen)
{
	if ((size_t)snprintf(path, pathlen, "%s/%s", dir, name) >= pathlen)
		fx_die("path too long", name);
}

struct fx_gpkg *fx_gpkg_create(const char *dir, const char *name, char *path, size_t pathlen)
{
	char full[4096];
	struct fx_gpkg *g = calloc(1, sizeof *g);
	join_path(dir, name, full, sizeof full);
	if (path)
		join_path(dir, name, path, pathlen);
	remove(full);
	if (!g || sqlite3_open(full, &g->db) != SQLITE_OK)
		fx_die("cannot create", full);
	db_exec(g->db, gpkg_schema);
	db_exec(g->db, "BEGIN");
	return g;
}

void fx_gpkg_close(struct fx_gpkg *g)
{
	if (!g)
		return;
	db_exec(g->db, "COMMIT");
	if (sqlite3_close(g->db) != SQLITE_OK)
		fx_die("close", sqlite3_errmsg(g->db));
	free(g);
}

void fx_gpkg_exec(struct fx_gpkg *g, const char *sql)
{
	db_exec(g->db, sql);
}

void fx_sqlite_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		fx_die("cannot open", path);
	db_exec(db, sql);
	sqlite3_close(db);
}

/* A bounded string builder for SQL statements. */
struct sbuf {
	char s[SQL_MAX];
	size_t n;
};

static void sb_add(struct sbuf *b, const char *a, const char *c)
{
	int w = snprintf(b->s + b->n, sizeof b->s - b->n, "%s%s", a, c ? c : "");
	if (w < 0 || (size_t)w >= sizeof b->s - b->n)
		fx_die("SQL too long", b->s);
	b->n += (size_t)w;
}

void fx_gpkg_add_srs(struct fx_gpkg *g, int32_t srs_id, const char *org, int32_t org_id)
{
	char sql[512];
	snprintf(sql, sizeof sql, "INSERT INTO gpkg_spatial_ref_sys VALUES ('test srs', %d,"
		 " '%s', %d, 'undefined', NULL)", (int)srs_id, org, (int)org_id);
	db_exec(g->db, sql);
}

void fx_gpkg_add_layer(struct fx_gpkg *g, const char *table, const char *geom_type,
		       int32_t srs_id, const char *const *columns, size_t ncolumns)
{
	struct sbuf b = { .n = 0 };
	char srs[16];
	snprintf(srs, sizeof srs, "%d", (int)srs_id);
	sb_add(&b, "CREATE TABLE \"", table);
	sb_add(&b, "\" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ", geom_type);
	for (size_t i = 0; i < ncolumns; i++)
		sb_add(&b, ", ", columns[i]);
	sb_add(&b, ");INSERT INTO gpkg_contents(table_name, data_type, identifier, srs_id)"
	       " VALUES ('", table);
	sb_add(&b, "', 'features', '", table);
	sb_add(&b, "', ", srs);
	sb_add(&b, ");INSERT INTO gpkg_geometry_columns VALUES ('", table);
	sb_add(&b, "', 'geom', '", geom_type);
	sb_add(&b, "', ", srs);
	sb_add(&b, ", 0, 0);", NULL);
	db_exec(g->db, b.s);
}

void fx_gpkg_insert(struct fx_gpkg *g, const char *table, int64_t fid,
		    const struct fx_blob *geom, const char *const *values, size_t nvalues)
{
	struct sbuf b = { .n = 0 };
	char id[32];
	sqlite3_stmt *s = NULL;
	snprintf(id, sizeof id, "%lld", (long long)fid);
	sb_add(&b, "INSERT INTO \"", table);
	sb_add(&b, "\" VALUES (", id);
	sb_add(&b, ", ?1", NULL);
	for (size_t i = 0; i < nvalues; i++)
		sb_add(&b, ", ", values[i]);
	sb_add(&b, ")", NULL);
	if (sqlite3_prepare_v2(g->db, b.s, -1, &s, NULL) != SQLITE_OK)
		fx_die(b.s, sqlite3_errmsg(g->db));
	if (geom)
		sqlite3_bind_blob(s, 1, geom->b, (int)geom->n, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_DONE)
		fx_die(b.s, sqlite3_errmsg(g->db));
	sqlite3_finalize(s);
}

/* ---- the official CBS layers ---- */

/* An SQL literal: a number with full precision, or NULL for NaN. */
static const char *num(char buf[40], double v)
{
	if (isnan(v))
		return "NULL";
	snprintf(buf, 40, "%.17g", v);
	return buf;
}

/* A quoted SQL text literal (no quotes inside our fixture strings), or NULL. */
static const char *text(char buf[160], const char *v)
{
	if (!v)
		return "NULL";
	if (strchr(v, '\'') || (size_t)snprintf(buf, 160, "'%s'", v) >= 160)
		fx_die("bad fixture text", v);
	return buf;
}

#define AREA_FIGURES 19

/* The official figure columns in file order; urbanity and residents are per row. */
static const char *const area_figures[AREA_FIGURES] = {
	"omgevingsadressendichtheid INTEGER", "stedelijkheid_adressen_per_km2 INTEGER",
	"bevolkingsdichtheid_inwoners_per_km2 INTEGER", "aantal_inwoners INTEGER",
	"percentage_personen_0_tot_15_jaar INTEGER", "percentage_personen_65_jaar_en_ouder INTEGER",
	"aantal_huishoudens INTEGER", "percentage_eenpersoonshuishoudens INTEGER",
	"gemiddelde_huishoudsgrootte REAL", "woningvoorraad INTEGER",
	"gemiddelde_elektriciteitslevering INTEGER", "percentage_woningen_met_zonnestroom INTEGER",
	"personenautos_per_huishouden REAL", "oppervlakte_totaal_in_ha INTEGER",
	"oppervlakte_land_in_ha INTEGER", "oppervlakte_water_in_ha INTEGER",
	"huisartsenpost_gemiddelde_afstand_in_km REAL",
	"ziekenhuis_incl_buitenpolikliniek_gem_afst_in_km REAL",
	"brandweerkazerne_gemiddelde_afstand_in_km REAL",
};

/* The key columns of a level, chosen by the layer name; returns their count. */
static size_t area_keys(const char *layer, const char *keys[6])
{
	static const char *const gm[] = { "gemeentecode TEXT", "gemeentenaam TEXT", "water TEXT" };
	static const char *const wk[] = { "wijkcode TEXT", "wijknaam TEXT", "gemeentecode TEXT",
					  "gemeentenaam TEXT", "water TEXT" };
	static const char *const bu[] = { "buurtcode TEXT", "buurtnaam TEXT", "wijkcode TEXT",
					  "gemeentecode TEXT", "gemeentenaam TEXT", "water TEXT" };
	const char *const *src = strcmp(layer, "gemeenten") == 0 ? gm
				 : strcmp(layer, "wijken") == 0 ? wk : bu;
	size_t n = src == gm ? 3 : src == wk ? 5 : 6;
	memcpy(keys, src, n * sizeof *keys);
	return n;
}

static void insert_area(struct fx_gpkg *g, const char *layer, size_t nkeys, int32_t srs_id,
			int64_t fid, const struct fx_area *a)
{
	char t[4][160], n[2][40];
	const char *v[6 + AREA_FIGURES];
	struct fx_blob blob;
	size_t k = 0;
	v[k++] = text(t[0], a->code);
	v[k++] = text(t[1], a->name);
	if (nkeys == 6)
		v[k++] = text(t[2], a->wijk);
	if (nkeys >= 5) {
		v[k++] = text(t[3], a->gemeente);
		v[k++] = "NULL";
	}
	v[k++] = a->water ? "'JA'" : "'NEE'";
	const char *figures[AREA_FIGURES] = {
		"1500", num(n[0], a->urbanity), "2000", num(n[1], a->residents), "15", "20",
		"400", "35", "2.2", "450", "2500", "20", "0.9", "400", "380", "20",
		"3.1", "4.2", "1.5",
	};
	memcpy(v + k, figures, sizeof figures);
	if (!a->geom)
		fx_square_blob(a->x0, a->y0, a->side, srs_id, &blob);
	fx_gpkg_insert(g, layer, fid, a->geom ? a->geom : &blob, v, k + AREA_FIGURES);
}

void fx_area_layer(struct fx_gpkg *g, const char *layer, int32_t srs_id,
		   const struct fx_area *rows, size_t n)
{
	const char *cols[6 + AREA_FIGURES];
	size_t nkeys = area_keys(layer, cols);
	memcpy(cols + nkeys, area_figures, sizeof area_figures);
	fx_gpkg_add_layer(g, layer, "MULTIPOLYGON", srs_id, cols, nkeys + AREA_FIGURES);
	for (size_t i = 0; i < n; i++)
		insert_area(g, layer, nkeys, srs_id, (int64_t)i + 1, &rows[i]);
}

void fx_grid_layer(struct fx_gpkg *g, const char *layer, const struct fx_cell *cells, size_t n)
{
	static const char *const cols[] = {
		"crs28992res100m TEXT", "aantal_inwoners INTEGER",
		"aantal_inwoners_0_tot_15_jaar INTEGER", "aantal_inwoners_65_jaar_en_ouder INTEGER",
		"aantal_part_huishoudens INTEGER", "aantal_eenpersoonshuishoudens INTEGER",
		"aantal_woningen INTEGER",
	};
	fx_gpkg_add_layer(g, layer, "POLYGON", 28992, cols, 7);
	for (size_t i = 0; i < n; i++) {
		char t[160], r[40];
		unsigned hx = 1500, hy = 4500;
		struct fx_blob blob;
		double xy[10];
		const size_t npts[] = { 5 };
		const struct fx_shape sq = { FX_POLYGON, xy, npts, 1 };
		const struct fx_blob_opt o = { .srs_id = 28992, .envelope = 1 };
		const char *v[] = { text(t, cells[i].id), num(r, cells[i].residents), "0", "0", "5",
				    "2", "5" };
		sscanf(cells[i].id, "E%4uN%4u", &hx, &hy);
		fx_square_ring(hx * 100.0, hy * 100.0, 100, xy);
		fx_blob(&o, &sq, &blob);
		fx_gpkg_insert(g, layer, (int64_t)i + 1, cells[i].geom ? cells[i].geom : &blob, v,
			       7);
	}
}

void fx_region_layer(struct fx_gpkg *g, const struct fx_region *rows, size_t n)
{
	static const char *const cols[] = { "statcode TEXT", "statnaam TEXT" };
	const char *layer = "veiligheidsregio_gegeneraliseerd";
	fx_gpkg_add_layer(g, layer, "MULTIPOLYGON", 28992, cols, 2);
	for (size_t i = 0; i < n; i++) {
		char t[2][160];
		struct fx_blob blob;
		const char *v[] = { text(t[0], rows[i].code), text(t[1], rows[i].name) };
		fx_square_blob(rows[i].x0, rows[i].y0, rows[i].side, 28992, &blob);
		fx_gpkg_insert(g, layer, (int64_t)i + 1, rows[i].geom ? rows[i].geom : &blob, v, 2);
	}
}

void fx_site_layer(struct fx_gpkg *g, const char *layer, int32_t srs_id,
		   const struct fx_site *sites, size_t n)
{
	static const char *const cols[] = { "naam TEXT", "kind TEXT", "capacity INTEGER",
					    "fixed INTEGER" };
	fx_gpkg_add_layer(g, layer, "POINT", srs_id, cols, 4);
	for (size_t i = 0; i < n; i++) {
		char t[2][160];
		struct fx_blob blob;
		const double xy[2] = { sites[i].x, sites[i].y };
		const struct fx_shape pt = { FX_POINT, xy, NULL, 0 };
		const struct fx_blob_opt o = { .srs_id = srs_id, .envelope = 0 };
		const char *v[] = { text(t[0], sites[i].name), text(t[1], sites[i].kind), "100",
				    sites[i].fixed ? "1" : "0" };
		fx_blob(&o, &pt, &blob);
		fx_gpkg_insert(g, layer, (int64_t)i + 1, &blob, v, 4);
	}
}

/* ---- CSV and GeoJSON ---- */

static FILE *open_out(const char *dir, const char *name, char *path, size_t pathlen)
{
	join_path(dir, name, path, pathlen);
	FILE *f = fopen(path, "w");
	if (!f)
		fx_die("cannot write", path);
	return f;
}

static void close_out(FILE *f, const char *path)
{
	if (ferror(f) || fclose(f) != 0)
		fx_die("write error", path);
}

void fx_write_memberships(const char *dir, const char *name, const struct fx_member *m,
			  size_t n, char *path, size_t pathlen)
{
	FILE *f = open_out(dir, name, path, pathlen);
	fprintf(f, "gemeentecode,gemeentenaam,veiligheidsregiocode,veiligheidsregionaam\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s,%s,%s,%s\n", m[i].gemeente, m[i].gemeente_name, m[i].region,
			m[i].region_name);
	close_out(f, path);
}

void fx_write_sites_rd_csv(const char *dir, const char *name, const struct fx_site *s,
			   size_t n, char *path, size_t pathlen)
{
	FILE *f = open_out(dir, name, path, pathlen);
	fprintf(f, "id,name,kind,x,y,capacity,fixed\r\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%zu,\"%s\",%s,%.3f,%.3f,%d,%d\r\n", i + 1, s[i].name,
			s[i].kind ? s[i].kind : "", s[i].x, s[i].y, 50 + (int)i, s[i].fixed);
	close_out(f, path);
}

void fx_write_grid_sites_csv(const char *dir, const char *name, int n, int cols,
			     double step_m, char *path, size_t pathlen)
{
	FILE *f = open_out(dir, name, path, pathlen);
	fprintf(f, "id,name,kind,x,y,capacity,fixed\r\n");
	for (int i = 0; i < n; i++)
		fprintf(f, "%d,\"Extra %d\",school,%.3f,%.3f,%d,0\r\n", i + 1, i,
			85000 + step_m * (i % cols), 430000 + step_m * (i / cols), 50 + i);
	close_out(f, path);
}

void fx_write_sites_latlon_csv(const char *dir, const char *name, const struct fx_site *s,
			       size_t n, char *path, size_t pathlen)
{
	FILE *f = open_out(dir, name, path, pathlen);
	fprintf(f, "name;lat;lon;fixed\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s;%.8f;%.8f;%s\n", s[i].name, s[i].y, s[i].x,
			s[i].fixed ? "ja" : "nee");
	close_out(f, path);
}

void fx_write_sites_geojson(const char *dir, const char *name, const struct fx_site *s,
			    size_t n, char *path, size_t pathlen)
{
	FILE *f = open_out(dir, name, path, pathlen);
	fprintf(f, "{\"type\": \"FeatureCollection\", \"features\": [\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  {\"type\": \"Feature\", \"id\": %zu, \"properties\":"
			" {\"name\": \"%s\", \"kind\": \"%s\", \"fixed\": %s}, \"geometry\":"
			" {\"type\": \"Point\", \"coordinates\": [%.8f, %.8f]}}%s\n", i + 1,
			s[i].name, s[i].kind ? s[i].kind : "", s[i].fixed ? "true" : "false",
			s[i].x, s[i].y, i + 1 < n ? "," : "");
	fprintf(f, "]}\n");
	close_out(f, path);
}
