/* Unit tests for the importer (jobs/import*.c) through import_paths(): a tiny consistent
 * dataset written by tests/lib/fixture.c, CBS special values, repair, EPSG:4326 input, blob
 * variants, grid squares, idempotence, atomicity, and a table of bad inputs that must fail
 * with a precise message and leave the previous database exactly as it was. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "data/store.h"
#include "geo/geom.h"
#include "jobs/import.h"
#include "tests/lib/fixture.h"
#include "tests/lib/testutil.h"

#define PATH_MAX_ 4096
#define ERR_MAX 4096

/* Amersfoort, the RD origin: RD 155000, 463000 = ETRS89 52.15517440 N, 5.38720621 E. */
#define AMF_LAT 52.15517440
#define AMF_LON 5.38720621
#define AMF_X 155000.0
#define AMF_Y 463000.0

/* The shared world: the good dataset's folder and a database it was imported into. */
static struct {
	char dir[PATH_MAX_];
	char good[PATH_MAX_];
	char base_db[PATH_MAX_];
	struct import_options opt;
} W;

/* ---- the good dataset ---- */

static const struct fx_region good_regions[] = {
	{ "VR01", "Noord", 150000, 450000, 4000, NULL },
	{ "VR02", "Zuid", 154000, 450000, 4000, NULL },
};

/* GM0003's land part becomes a bow-tie (write_area_file). GM0001 has one water part. */
static const struct fx_area good_gemeenten[] = {
	{ "GM0001", "Aastad", NULL, NULL, 0, 1000, 1, 150000, 450000, 2000, NULL },
	{ "GM0001", "Aastad", NULL, NULL, 1, 0, 1, 152000, 450000, 500, NULL },
	{ "GM0002", "Beedorp", NULL, NULL, 0, 2000, 2, 154000, 450000, 2000, NULL },
	{ "GM0003", "Ceeveen", NULL, NULL, 0, 3000, 3, 0, 0, 0, NULL },
};

static const struct fx_area good_wijken[] = {
	{ "WK000101", "Aa-Noord", "GM0001", NULL, 0, 400, 1, 150000, 450000, 1000, NULL },
	{ "WK000102", "Aa-Zuid", "GM0001", NULL, 0, 600, 2, 151000, 450000, 1000, NULL },
	{ "WK000201", "Bee", "GM0002", NULL, 0, 2000, 2, 154000, 450000, 2000, NULL },
	{ "WK000301", "Cee", "GM0003", NULL, 0, -99997, -99997, 156000, 450000, 2000, NULL },
};

static const struct fx_area good_buurten[] = {
	{ "BU00010101", "Aa-1", "GM0001", "WK000101", 0, 150, 1, 150000, 450000, 500, NULL },
	{ "BU00010102", "Aa-2", "GM0001", "WK000101", 0, -99995, 1, 150500, 450000, 500, NULL },
};

static const struct fx_member good_members[] = {
	{ "GM0001", "Aastad", "VR01", "Noord" },
	{ "GM0002", "Beedorp", "VR01", "Noord" },
	{ "GM0003", "Ceeveen", "VR02", "Zuid" },
};

static const struct fx_site gpkg_sites[] = {
	{ "School A", NULL, 150500, 450500, 0 },
	{ "School B", NULL, 151500, 450500, 1 },
	{ "School C", "school", 154500, 450500, 0 },
};

static const struct fx_site rd_sites[] = {
	{ "Buurthuis", "community_centre", 150200.5, 450300.25, 1 },
	{ "Kerk", "church", AMF_X, AMF_Y, 0 },
	{ "Kazerne", "fire_station", 156500, 451000, 0 },
};

static const struct fx_site latlon_sites[] = {
	{ "Amersfoort", NULL, AMF_LON, AMF_LAT, 0 },
	{ "Elders", NULL, 5.0, 52.0, 1 },
	{ "Nergens", NULL, 4.5, 51.9, 0 },
};

static const struct fx_site geojson_sites[] = {
	{ "Zorg", "care", AMF_LON, AMF_LAT, 1 },
	{ "Twee", "other", 5.1, 52.1, 0 },
	{ "Drie", "other", 6.0, 52.5, 0 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define GOOD_SITES 12
#define GOOD_FIXED 4
#define GOOD_UNKNOWN 4        /* WK000301 residents + urbanity, BU00010102, E1502N4500 */
#define SHIFTED_CELL "E1501N4500"

/* A bow-tie over 156000..158000 x 450000..452000: GEOSMakeValid makes two 1 km2 triangles. */
static void bowtie_blob(struct fx_blob *b)
{
	static const double xy[] = { 156000, 450000, 158000, 452000, 158000, 450000,
				     156000, 452000, 156000, 450000 };
	static const size_t npts[] = { 5 };
	const struct fx_shape s = { FX_MULTIPOLYGON, xy, npts, 1 };
	const struct fx_blob_opt o = { .srs_id = 28992, .envelope = 1 };
	fx_blob(&o, &s, b);
}

static void write_area_file(const char *dir, const char *name)
{
	struct fx_area gm[N(good_gemeenten)];
	struct fx_blob bow;
	memcpy(gm, good_gemeenten, sizeof gm);
	bowtie_blob(&bow);
	gm[3].geom = &bow;
	struct fx_gpkg *g = fx_gpkg_create(dir, name, NULL, 0);
	fx_area_layer(g, "gemeenten", 28992, gm, N(gm));
	fx_area_layer(g, "wijken", 28992, good_wijken, N(good_wijken));
	fx_area_layer(g, "buurten", 28992, good_buurten, N(good_buurten));
	fx_gpkg_close(g);
}

/* Three cells; the middle one's blob is off by 0.25 m: the importer rebuilds it exactly. */
static void write_grid_file(const char *dir, const char *name)
{
	struct fx_blob shifted;
	fx_square_blob(150100.25, 450000.25, 100, 28992, &shifted);
	const struct fx_cell cells[] = {
		{ "E1500N4500", 5, NULL },
		{ SHIFTED_CELL, 10, &shifted },
		{ "E1502N4500", -99997, NULL },
	};
	struct fx_gpkg *g = fx_gpkg_create(dir, name, NULL, 0);
	fx_grid_layer(g, "cbs_vk100_2024", cells, N(cells));
	fx_gpkg_close(g);
}

static void write_good(const char *dir)
{
	char p[PATH_MAX_];
	write_area_file(dir, "wijkbuurtkaart.gpkg");
	write_grid_file(dir, "grid.gpkg");
	struct fx_gpkg *g = fx_gpkg_create(dir, "regions.gpkg", NULL, 0);
	fx_region_layer(g, good_regions, N(good_regions));
	fx_gpkg_close(g);
	g = fx_gpkg_create(dir, "scholen.gpkg", NULL, 0);
	fx_site_layer(g, "scholen", 28992, gpkg_sites, N(gpkg_sites));
	fx_gpkg_close(g);
	fx_write_memberships(dir, "members.csv", good_members, N(good_members), p, sizeof p);
	fx_write_sites_rd_csv(dir, "sites_rd.csv", rd_sites, N(rd_sites), p, sizeof p);
	fx_write_sites_latlon_csv(dir, "sites_ll.csv", latlon_sites, N(latlon_sites), p, sizeof p);
	fx_write_sites_geojson(dir, "sites.geojson", geojson_sites, N(geojson_sites), p, sizeof p);
}

/* ---- helpers ---- */

static int import1(const char *db, const char *path, struct import_report *rep, char *err)
{
	const char *paths[] = { path };
	return import_paths(db, paths, 1, &W.opt, rep, err, ERR_MAX);
}

static void summary_of(const char *db, struct store_summary *s)
{
	struct store *st = NULL;
	char err[ERR_MAX];
	if (store_open(db, STORE_READONLY, &st, err, sizeof err) < 0 ||
	    store_summary(st, s, err, sizeof err) < 0)
		fail_msg("%s", err);
	store_close(st);
}

static void copy_file(const char *src, const char *dir, const char *name, char *out, size_t len)
{
	FILE *f = fopen(src, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long size = ftell(f);
	rewind(f);
	char *buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	tu_write_file(dir, name, buf, (size_t)size, out, len);
	free(buf);
}

static void dump_value(FILE *out, sqlite3_stmt *s, int c)
{
	const unsigned char *b;
	switch (sqlite3_column_type(s, c)) {
	case SQLITE_NULL:
		fputs("NULL", out);
		break;
	case SQLITE_INTEGER:
		fprintf(out, "%lld", (long long)sqlite3_column_int64(s, c));
		break;
	case SQLITE_FLOAT:
		fprintf(out, "%.17g", sqlite3_column_double(s, c));
		break;
	case SQLITE_BLOB:
		b = sqlite3_column_blob(s, c);
		for (int i = 0; i < sqlite3_column_bytes(s, c); i++)
			fprintf(out, "%02x", b[i]);
		break;
	default:
		fprintf(out, "'%s'", (const char *)sqlite3_column_text(s, c));
	}
}

/* Every row of every data table, every column, as text (malloc'd). Sites are dumped
 * without their surrogate rowid, as in store_data_version. */
static char *dump_data(const char *db)
{
	static const char *const tables[] = {
		"SELECT * FROM areas ORDER BY level, code",
		"SELECT * FROM area_water ORDER BY level, code, part",
		"SELECT * FROM safety_regions ORDER BY code",
		"SELECT * FROM memberships ORDER BY gemeente_code",
		"SELECT source, source_id, name, kind, subkind, x_rd, y_rd, capacity, fixed"
		" FROM sites ORDER BY source, source_id",
	};
	char *text = NULL;
	size_t len = 0;
	sqlite3 *h = NULL;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	for (size_t t = 0; t < N(tables); t++) {
		sqlite3_stmt *s = NULL;
		assert_int_equal(sqlite3_prepare_v2(h, tables[t], -1, &s, NULL), SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(s); c++) {
				fputc(c ? '|' : '\n', out);
				dump_value(out, s, c);
			}
		}
		sqlite3_finalize(s);
		fprintf(out, "\n-- end of table %zu\n", t);
	}
	sqlite3_close(h);
	fclose(out);
	return text;
}

/* The data dump plus the data version and the import count: what a failed import must
 * leave exactly as it was (malloc'd). */
static char *db_state(const char *db)
{
	struct store_summary s;
	char *data = dump_data(db), *state = NULL;
	summary_of(db, &s);
	size_t n = strlen(data) + 128;
	state = malloc(n);
	assert_non_null(state);
	snprintf(state, n, "version %s, last import %ld\n%s", s.data_version, s.last_import_id,
		 data);
	free(data);
	return state;
}

/* The first row of sql as doubles (NaN for NULL). Fails when there is no row. */
static void sql_doubles(const char *db, const char *sql, double *out, int n)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	for (int i = 0; i < n; i++)
		out[i] = sqlite3_column_type(s, i) == SQLITE_NULL ? NAN
								  : sqlite3_column_double(s, i);
	sqlite3_finalize(s);
	sqlite3_close(h);
}

static double sql_double(const char *db, const char *sql)
{
	double v = NAN;
	sql_doubles(db, sql, &v, 1);
	return v;
}

/* The blob of the first row's first column (malloc'd, *len set). */
static uint8_t *sql_blob(const char *db, const char *sql, size_t *len)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	*len = (size_t)sqlite3_column_bytes(s, 0);
	uint8_t *b = malloc(*len + 1);
	assert_non_null(b);
	memcpy(b, sqlite3_column_blob(s, 0), *len);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return b;
}

static const struct import_layer_report *find_layer(const struct import_report *rep,
						    const char *file, const char *layer)
{
	for (size_t i = 0; i < rep->nlayers; i++) {
		const struct import_layer_report *l = &rep->layers[i];
		if (strcmp(l->file, file) == 0 && strcmp(l->layer, layer) == 0)
			return l;
	}
	fail_msg("no report line for %s %s", file, layer);
	return NULL;
}

/* A fresh folder with a database that holds nothing. */
static void fresh(char *dir, char *db)
{
	tu_mkdtemp(dir, PATH_MAX_);
	if ((size_t)snprintf(db, PATH_MAX_, "%s/hub.db", dir) >= PATH_MAX_)
		fail_msg("path too long: %s", dir);
}

/* A fresh folder with a copy of the database holding the good dataset. */
static void fresh_with_base(char *dir, char *db)
{
	tu_mkdtemp(dir, PATH_MAX_);
	copy_file(W.base_db, dir, "hub.db", db, PATH_MAX_);
}

static void assert_near(double got, double want, double tol, const char *what)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("%s: %.3f, expected %.3f +- %.3f", what, got, want, tol);
}

/* ---- good data ---- */

static void test_good_dataset(void **state)
{
	(void)state;
	char dir[PATH_MAX_], db[PATH_MAX_], err[ERR_MAX];
	struct import_report rep;
	struct store_summary s;
	fresh(dir, db);
	int rc = import1(db, W.good, &rep, err);
	if (rc < 0)
		fail_msg("import: %s", err);
	assert_int_equal(rep.nlayers, 10);
	assert_int_equal(rep.changed, 1);
	assert_int_equal(strlen(rep.data_version), 16);
	assert_int_equal(rep.repaired, 1);
	assert_int_equal(rep.unknown, GOOD_UNKNOWN);
	const struct import_layer_report *gm = find_layer(&rep, "wijkbuurtkaart.gpkg", "gemeenten");
	assert_int_equal(gm->features, 3);
	assert_int_equal(gm->water_parts, 1);
	assert_true(gm->residents == 6000);
	assert_int_equal(find_layer(&rep, "grid.gpkg", "cbs_vk100_2024")->kind, IMPORT_GRID);
	assert_int_equal(find_layer(&rep, "members.csv", "")->features, 3);
	assert_int_equal(find_layer(&rep, "sites.geojson", "")->features, 3);
	summary_of(db, &s);
	assert_string_equal(s.data_version, rep.data_version);
	import_report_free(&rep);

	const long features[] = { 0, 3, 4, 2, 3, 0 }, unknown[] = { 0, 0, 1, 1, 1, 0 };
	const double residents[] = { 0, 6000, 3000, 150, 15, 0 };
	for (int l = 1; l <= AREA_LEVELS; l++) {
		assert_int_equal(s.level[l].features, features[l]);
		assert_true(s.level[l].residents == residents[l]);
		assert_int_equal(s.level[l].residents_unknown, unknown[l]);
		assert_int_equal(s.level[l].water_parts, l == AREA_GEMEENTE ? 1 : 0);
	}
	assert_int_equal(s.regions, 2);
	assert_int_equal(s.memberships, 3);
	assert_int_equal(s.municipalities_without_region, 0);
	assert_int_equal(s.sites, GOOD_SITES);
	assert_int_equal(s.sites_fixed, GOOD_FIXED);
	assert_int_equal(s.last_import_id, 1);
	assert_int_equal(s.geometries_repaired, 1);
	assert_int_equal(s.values_unknown, GOOD_UNKNOWN);
	tu_rmtree(dir);
}

static void test_special_values_are_null(void **state)
{
	(void)state;
	double v[3];
	sql_doubles(W.base_db, "SELECT residents IS NULL, urbanity IS NULL, households"
		    " FROM areas WHERE code = 'WK000301'", v, 3);
	assert_true(v[0] == 1 && v[1] == 1 && v[2] == 400);
	assert_true(sql_double(W.base_db, "SELECT residents IS NULL FROM areas"
			       " WHERE code = 'BU00010102'") == 1);
	assert_true(sql_double(W.base_db, "SELECT residents IS NULL FROM areas"
			       " WHERE code = 'E1502N4500'") == 1);
	assert_true(sql_double(W.base_db, "SELECT count(*) FROM areas WHERE residents < 0"
			       " OR urbanity < 0") == 0);
	assert_true(sql_double(W.base_db, "SELECT residents FROM areas"
			       " WHERE code = 'BU00010101'") == 150);
}

static void test_bowtie_repaired(void **state)
{
	(void)state;
	size_t len = 0, outlen = 0;
	uint8_t *wkb = sql_blob(W.base_db, "SELECT geom_land FROM areas WHERE code = 'GM0003'",
				&len), *out = NULL;
	struct geom_ctx *g = geom_ctx_new();
	double area = 0;
	int repaired = -1;
	char err[ERR_MAX];
	assert_non_null(g);
	assert_int_equal(geom_area(g, wkb, len, &area, err, sizeof err), 0);
	assert_near(area, 2e6, 1e-3, "repaired bow-tie area");
	assert_int_equal(geom_polygonal_normalize(g, wkb, len, &out, &outlen, &repaired, err,
						  sizeof err), 0);
	assert_int_equal(repaired, 0);
	free(out);
	free(wkb);
	geom_ctx_free(g);
	double box[4];
	sql_doubles(W.base_db, "SELECT minx, miny, maxx, maxy FROM areas WHERE code = 'GM0003'",
		    box, 4);
	assert_true(box[0] == 156000 && box[1] == 450000 && box[2] == 158000 && box[3] == 452000);
}

static void site_xy(const char *db, const char *source, const char *name, double xy[2])
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT x_rd, y_rd FROM sites WHERE source = '%s'"
		 " AND name = '%s'", source, name);
	sql_doubles(db, sql, xy, 2);
}

static void test_site_positions(void **state)
{
	(void)state;
	double xy[2], v[3];
	site_xy(W.base_db, "sites_rd.csv", "Buurthuis", xy);
	assert_true(xy[0] == 150200.5 && xy[1] == 450300.25);
	site_xy(W.base_db, "scholen.gpkg:scholen", "School B", xy);
	assert_true(xy[0] == 151500 && xy[1] == 450500);
	site_xy(W.base_db, "sites_ll.csv", "Amersfoort", xy);
	assert_near(xy[0], AMF_X, 0.5, "lat/lon CSV x");
	assert_near(xy[1], AMF_Y, 0.5, "lat/lon CSV y");
	site_xy(W.base_db, "sites.geojson", "Zorg", xy);
	assert_near(xy[0], AMF_X, 0.5, "GeoJSON x");
	assert_near(xy[1], AMF_Y, 0.5, "GeoJSON y");
	sql_doubles(W.base_db, "SELECT fixed, capacity, kind = 'community_centre' FROM sites"
		    " WHERE source = 'sites_rd.csv' AND source_id = '1'", v, 3);
	assert_true(v[0] == 1 && v[1] == 50 && v[2] == 1);
	assert_true(sql_double(W.base_db, "SELECT count(*) FROM sites WHERE"
			       " source = 'scholen.gpkg:scholen' AND kind = 'school'") == 3);
	assert_true(sql_double(W.base_db, "SELECT fixed FROM sites WHERE name = 'Elders'") == 1);
}

static void test_epsg4326_layer(void **state)
{
	(void)state;
	char dir[PATH_MAX_], db[PATH_MAX_], path[PATH_MAX_], err[ERR_MAX];
	struct import_report rep;
	const struct fx_area gm[] = {
		{ "GM0001", "Amersfoort", NULL, NULL, 0, 100, 1, AMF_LON, AMF_LAT, 0.01, NULL },
	};
	const struct fx_site posts[] = { { "Post", "care", AMF_LON, AMF_LAT, 0 } };
	fresh(dir, db);
	struct fx_gpkg *g = fx_gpkg_create(dir, "wgs84.gpkg", path, sizeof path);
	fx_area_layer(g, "gemeenten", 4326, gm, 1);
	fx_site_layer(g, "posten", 4326, posts, 1);
	fx_gpkg_close(g);
	if (import1(db, path, &rep, err) < 0)
		fail_msg("import: %s", err);
	assert_int_equal(find_layer(&rep, "wgs84.gpkg", "gemeenten")->transformed_from, 4326);
	assert_int_equal(find_layer(&rep, "wgs84.gpkg", "posten")->transformed_from, 4326);
	import_report_free(&rep);
	double xy[2], box[4];
	site_xy(db, "wgs84.gpkg:posten", "Post", xy);
	assert_near(xy[0], AMF_X, 2, "EPSG:4326 point x");
	assert_near(xy[1], AMF_Y, 2, "EPSG:4326 point y");
	sql_doubles(db, "SELECT minx, miny, maxx, maxy FROM areas WHERE code = 'GM0001'", box, 4);
	assert_near(box[0], AMF_X, 2, "EPSG:4326 polygon minx");
	assert_near(box[1], AMF_Y, 2, "EPSG:4326 polygon miny");
	/* 0.01 degree is about 684 m east-west and 1113 m north-south at 52.16 N. */
	assert_near(box[2] - box[0], 684, 5, "EPSG:4326 polygon width");
	assert_near(box[3] - box[1], 1113, 5, "EPSG:4326 polygon height");
	tu_rmtree(dir);
}

/* Five gemeenten, each blob in another header layout; and big-endian site points. */
static void write_variants(const char *dir, char *path, size_t len)
{
	static const struct fx_blob_opt opts[] = {
		{ 28992, 0, 0, 0, 0 }, { 28992, 1, 1, 0, 0 }, { 28992, 2, 0, 1, 0 },
		{ 28992, 3, 1, 1, 0 }, { 28992, 4, 1, 1, 0 },
	};
	static const char *const codes[] = { "GM0001", "GM0002", "GM0003", "GM0004", "GM0005" };
	struct fx_area rows[5];
	struct fx_blob blobs[5];
	double xy[10];
	const size_t npts[] = { 5 };
	for (int i = 0; i < 5; i++) {
		const struct fx_shape s = { i == 4 ? FX_POLYGON : FX_MULTIPOLYGON, xy, npts, 1 };
		fx_square_ring(150000 + 1000 * i, 450000, 1000, xy);
		fx_blob(&opts[i], &s, &blobs[i]);
		rows[i] = (struct fx_area){ .code = codes[i], .name = "V", .residents = 10,
					    .urbanity = 1, .geom = &blobs[i] };
	}
	struct fx_gpkg *g = fx_gpkg_create(dir, "variants.gpkg", path, len);
	fx_area_layer(g, "gemeenten", 28992, rows, 5);
	fx_gpkg_close(g);
}

static void test_blob_variants(void **state)
{
	(void)state;
	char dir[PATH_MAX_], db[PATH_MAX_], path[PATH_MAX_], err[ERR_MAX], sql[256];
	struct import_report rep;
	fresh(dir, db);
	write_variants(dir, path, sizeof path);
	if (import1(db, path, &rep, err) < 0)
		fail_msg("import: %s", err);
	assert_int_equal(find_layer(&rep, "variants.gpkg", "gemeenten")->features, 5);
	import_report_free(&rep);
	for (int i = 0; i < 5; i++) {
		double box[4];
		snprintf(sql, sizeof sql, "SELECT minx, miny, maxx, maxy FROM areas"
			 " WHERE code = 'GM000%d'", i + 1);
		sql_doubles(db, sql, box, 4);
		assert_true(box[0] == 150000 + 1000 * i && box[1] == 450000);
		assert_true(box[2] == 151000 + 1000 * i && box[3] == 451000);
	}
	tu_rmtree(dir);
}

static void test_big_endian_site_points(void **state)
{
	(void)state;
	char dir[PATH_MAX_], db[PATH_MAX_], path[PATH_MAX_], err[ERR_MAX];
	struct import_report rep;
	const double xy[] = { 123456.75, 456789.5 };
	const struct fx_shape pt = { FX_POINT, xy, NULL, 0 };
	const struct fx_blob_opt o = { 28992, 1, 1, 1, 0 };
	struct fx_blob b;
	const char *const v[] = { "'Groot'", "'other'", "NULL", "'ja'" };
	static const char *const cols[] = { "naam TEXT", "kind TEXT", "capacity INTEGER",
					    "fixed TEXT" };
	fresh(dir, db);
	fx_blob(&o, &pt, &b);
	struct fx_gpkg *g = fx_gpkg_create(dir, "be.gpkg", path, sizeof path);
	fx_gpkg_add_layer(g, "punten", "POINT", 28992, cols, 4);
	fx_gpkg_insert(g, "punten", 7, &b, v, 4);
	fx_gpkg_close(g);
	if (import1(db, path, &rep, err) < 0)
		fail_msg("import: %s", err);
	import_report_free(&rep);
	double got[4];
	sql_doubles(db, "SELECT x_rd, y_rd, fixed, capacity IS NULL FROM sites"
		    " WHERE source = 'be.gpkg:punten' AND source_id = '7'", got, 4);
	assert_true(got[0] == xy[0] && got[1] == xy[1] && got[2] == 1 && got[3] == 1);
	tu_rmtree(dir);
}

static void test_grid_exact_square(void **state)
{
	(void)state;
	static const char *const ids[] = { "E1500N4500", SHIFTED_CELL };
	for (int i = 0; i < 2; i++) {
		char sql[256];
		double xy[10], box[4];
		const size_t npts[] = { 5 };
		const struct fx_shape sq = { FX_MULTIPOLYGON, xy, npts, 1 };
		uint8_t want[256];
		size_t len = 0;
		fx_square_ring(150000 + 100 * i, 450000, 100, xy);
		size_t wlen = fx_wkb(&sq, 0, want, sizeof want);
		snprintf(sql, sizeof sql, "SELECT geom_land FROM areas"
			 " WHERE level = 4 AND code = '%s'", ids[i]);
		uint8_t *got = sql_blob(W.base_db, sql, &len);
		assert_int_equal(len, wlen);
		assert_memory_equal(got, want, wlen);
		free(got);
		snprintf(sql, sizeof sql, "SELECT minx, miny, maxx, maxy FROM areas"
			 " WHERE code = '%s'", ids[i]);
		sql_doubles(W.base_db, sql, box, 4);
		assert_true(box[0] == xy[0] && box[1] == xy[1]);
		assert_true(box[2] == xy[4] && box[3] == xy[5]);
	}
}

/* ---- idempotence and atomicity ---- */

static void test_idempotent(void **state)
{
	(void)state;
	char dir[PATH_MAX_], db[PATH_MAX_], err[ERR_MAX], v1[17];
	struct import_report rep;
	fresh(dir, db);
	if (import1(db, W.good, &rep, err) < 0)
		fail_msg("first import: %s", err);
	memcpy(v1, rep.data_version, sizeof v1);
	import_report_free(&rep);
	char *first = dump_data(db);
	if (import1(db, W.good, &rep, err) < 0)
		fail_msg("second import: %s", err);
	assert_string_equal(rep.data_version, v1);
	assert_int_equal(rep.changed, 0);
	import_report_free(&rep);
	char *second = dump_data(db);
	int same = strcmp(first, second) == 0;
	free(first);
	free(second);
	assert_true(same);
	struct store_summary s;
	summary_of(db, &s);
	assert_string_equal(s.data_version, v1);
	assert_int_equal(s.last_import_id, 2);
	tu_rmtree(dir);
}

/* Valid files that change the data (GM0001 residents, a new site source). */
static void write_changes(const char *dir, char *gm_path, char *csv_path)
{
	struct fx_area gm[N(good_gemeenten)];
	memcpy(gm, good_gemeenten, sizeof gm);
	gm[0].residents = 1111;
	gm[3].x0 = 156000, gm[3].y0 = 450000, gm[3].side = 2000;
	struct fx_gpkg *g = fx_gpkg_create(dir, "a_gemeenten.gpkg", gm_path, PATH_MAX_);
	fx_area_layer(g, "gemeenten", 28992, gm, N(gm));
	fx_gpkg_close(g);
	fx_write_sites_rd_csv(dir, "b_sites.csv", rd_sites, N(rd_sites), csv_path, PATH_MAX_);
}

static void test_atomic_last_file_bad(void **state)
{
	(void)state;
	static const char bad[] = "name,x,y\nGoed,150000,450000\nFout,150000,45x000\n";
	char dir[PATH_MAX_], db[PATH_MAX_], err[ERR_MAX], p[3][PATH_MAX_];
	struct import_report rep;
	fresh_with_base(dir, db);
	write_changes(dir, p[0], p[1]);
	tu_write_file(dir, "c_bad.csv", bad, sizeof bad - 1, p[2], PATH_MAX_);
	char *before = db_state(db);
	const char *paths[] = { p[0], p[1], p[2] };
	int rc = import_paths(db, paths, 3, &W.opt, &rep, err, sizeof err);
	char *after = db_state(db);
	int same = strcmp(before, after) == 0;
	free(before);
	free(after);
	assert_true(rc < 0);
	assert_non_null(strstr(err, "c_bad.csv:3:"));
	assert_non_null(strstr(err, "45x000"));
	assert_true(same);
	/* The first two files alone do change the data: the rollback undid real writes. */
	struct store_summary s0, s1;
	summary_of(db, &s0);
	if (import_paths(db, paths, 2, &W.opt, &rep, err, sizeof err) < 0)
		fail_msg("import: %s", err);
	import_report_free(&rep);
	summary_of(db, &s1);
	assert_string_not_equal(s0.data_version, s1.data_version);
	assert_true(s1.level[AREA_GEMEENTE].residents == 6111);
	assert_int_equal(s1.sites, GOOD_SITES + 3);
	tu_rmtree(dir);
}

/* More explicit paths than the importer's limit of 1024 files: none may be dropped
 * silently. The last is an unsupported file, so the import must fail as a whole. */
static void test_too_many_paths(void **state)
{
	(void)state;
	enum { MANY = 1025 };
	char dir[PATH_MAX_], db[PATH_MAX_], csv[PATH_MAX_], last[PATH_MAX_], err[ERR_MAX] = "";
	struct import_report rep;
	const char **paths = calloc(MANY, sizeof *paths);
	assert_non_null(paths);
	fresh_with_base(dir, db);
	fx_write_sites_rd_csv(dir, "many.csv", rd_sites, N(rd_sites), csv, sizeof csv);
	tu_write_file(dir, "last.txt", "x\n", 2, last, sizeof last);
	for (int i = 0; i < MANY; i++)
		paths[i] = i + 1 < MANY ? csv : last;
	char *before = db_state(db);
	int rc = import_paths(db, paths, MANY, &W.opt, &rep, err, sizeof err);
	char *after = db_state(db);
	int same = strcmp(before, after) == 0;
	if (rc >= 0)
		import_report_free(&rep);
	free(before);
	free(after);
	free(paths);
	tu_rmtree(dir);
	assert_true(rc < 0);
	assert_true(same);
}

/* ---- bad inputs ---- */

struct bad_case {
	const char *name;
	void (*write)(const char *dir, char *path, size_t len);
	const char *expect[5];        /* substrings the error must contain */
	const char *reject;           /* a substring it must not contain, or NULL */
};

static void w_not_gpkg(const char *dir, char *path, size_t len)
{
	static const char t[] = "gemeentecode,naam\nGM0001,Aastad\n";
	tu_write_file(dir, "x.gpkg", t, sizeof t - 1, path, len);
}

static void w_empty_gpkg(const char *dir, char *path, size_t len)
{
	tu_write_file(dir, "leeg.gpkg", "", 0, path, len);
}

static void w_empty_csv(const char *dir, char *path, size_t len)
{
	tu_write_file(dir, "leeg.csv", "", 0, path, len);
}

static void w_plain_sqlite(const char *dir, char *path, size_t len)
{
	snprintf(path, len, "%s/plain.gpkg", dir);
	fx_sqlite_exec(path, "CREATE TABLE gemeenten(gemeentecode TEXT); INSERT INTO gemeenten"
		       " VALUES ('GM0001');");
}

static void w_missing_column(const char *dir, char *path, size_t len)
{
	struct fx_gpkg *g = fx_gpkg_create(dir, "wk.gpkg", path, len);
	fx_area_layer(g, "wijken", 28992, good_wijken, N(good_wijken));
	fx_gpkg_exec(g, "ALTER TABLE wijken DROP COLUMN aantal_inwoners");
	fx_gpkg_close(g);
}

static void w_no_layers(const char *dir, char *path, size_t len)
{
	fx_gpkg_close(fx_gpkg_create(dir, "nolayers.gpkg", path, len));
}

/* gemeenten with every square in srs_id, registered as org:org_id. */
static void write_srs(const char *dir, const char *name, const char *org, char *path,
		      size_t len)
{
	struct fx_area gm[N(good_gemeenten)];
	struct fx_blob blobs[N(good_gemeenten)];
	memcpy(gm, good_gemeenten, sizeof gm);
	gm[3].x0 = 156000, gm[3].y0 = 450000, gm[3].side = 2000;
	for (size_t i = 0; i < N(gm); i++) {
		fx_square_blob(gm[i].x0, gm[i].y0, gm[i].side, 999999, &blobs[i]);
		gm[i].geom = &blobs[i];
	}
	struct fx_gpkg *g = fx_gpkg_create(dir, name, path, len);
	fx_gpkg_add_srs(g, 999999, org, 999999);
	fx_area_layer(g, "gemeenten", 999999, gm, N(gm));
	fx_gpkg_close(g);
}

static void w_srs_unknown_epsg(const char *dir, char *path, size_t len)
{
	write_srs(dir, "srs_epsg.gpkg", "EPSG", path, len);
}

static void w_srs_not_epsg(const char *dir, char *path, size_t len)
{
	write_srs(dir, "srs_acme.gpkg", "ACME", path, len);
}

/* The good gemeenten with row 2 (fid 2, GM0001's water part) given blob b. */
static void write_gemeenten_blob(const char *dir, const char *name, const struct fx_blob *b,
				 char *path, size_t len)
{
	struct fx_area gm[N(good_gemeenten)];
	memcpy(gm, good_gemeenten, sizeof gm);
	gm[3].x0 = 156000, gm[3].y0 = 450000, gm[3].side = 2000;
	gm[1].geom = b;
	struct fx_gpkg *g = fx_gpkg_create(dir, name, path, len);
	fx_area_layer(g, "gemeenten", 28992, gm, N(gm));
	fx_gpkg_close(g);
}

static void w_truncated_blob(const char *dir, char *path, size_t len)
{
	struct fx_blob b;
	fx_square_blob(152000, 450000, 500, 28992, &b);
	b.n -= 12;
	write_gemeenten_blob(dir, "trunc.gpkg", &b, path, len);
}

static void w_bad_magic(const char *dir, char *path, size_t len)
{
	struct fx_blob b;
	fx_square_blob(152000, 450000, 500, 28992, &b);
	b.b[0] = 'X';
	write_gemeenten_blob(dir, "magic.gpkg", &b, path, len);
}

static void w_srs_mismatch(const char *dir, char *path, size_t len)
{
	struct fx_blob b;
	fx_square_blob(152000, 450000, 500, 4326, &b);
	write_gemeenten_blob(dir, "mismatch.gpkg", &b, path, len);
}

static void w_empty_flag(const char *dir, char *path, size_t len)
{
	const struct fx_shape s = { FX_MULTIPOLYGON, NULL, NULL, 0 };
	const struct fx_blob_opt o = { .srs_id = 28992, .envelope = 0, .empty = 1 };
	struct fx_blob b;
	fx_blob(&o, &s, &b);
	write_gemeenten_blob(dir, "emptygeom.gpkg", &b, path, len);
}

static void w_duplicate_wijk(const char *dir, char *path, size_t len)
{
	struct fx_area wk[N(good_wijken)];
	memcpy(wk, good_wijken, sizeof wk);
	wk[2].code = "WK000101";
	struct fx_gpkg *g = fx_gpkg_create(dir, "dup.gpkg", path, len);
	fx_area_layer(g, "wijken", 28992, wk, N(wk));
	fx_gpkg_close(g);
}

static void w_member_missing(const char *dir, char *path, size_t len)
{
	fx_write_memberships(dir, "members.csv", good_members, 2, path, len);
}

static void w_member_unknown_region(const char *dir, char *path, size_t len)
{
	struct fx_member m[N(good_members)];
	memcpy(m, good_members, sizeof m);
	m[2].region = "VR09";
	fx_write_memberships(dir, "members.csv", m, N(m), path, len);
}

static void w_csv_bad_number(const char *dir, char *path, size_t len)
{
	/* The second record spans lines 2-3, so the bad one starts on physical line 4. */
	static const char t[] = "id,name,x,y\n1,\"De \"\"Hoek\"\"\nZuid\",150000,450000\n"
				"2,Twee,12a,450000\n3,Drie,150000,450000\n";
	tu_write_file(dir, "bad.csv", t, sizeof t - 1, path, len);
}

static void w_csv_quote(const char *dir, char *path, size_t len)
{
	static const char t[] = "name,x,y\nA,150000,450000\n\"B,150000,450000\nC,1,2\n";
	tu_write_file(dir, "quote.csv", t, sizeof t - 1, path, len);
}

static void w_csv_header(const char *dir, char *path, size_t len)
{
	static const char t[] = "naam,oost,noord\nA,150000,450000\n";
	tu_write_file(dir, "hdr.csv", t, sizeof t - 1, path, len);
}

static void w_json_syntax(const char *dir, char *path, size_t len)
{
	static const char t[] = "{\"type\": \"FeatureCollection\",\n \"features\": [,]}\n";
	tu_write_file(dir, "bad.geojson", t, sizeof t - 1, path, len);
}

static void w_json_not_fc(const char *dir, char *path, size_t len)
{
	static const char t[] = "{\"type\": \"Feature\", \"properties\": {\"name\": \"A\"},"
				" \"geometry\": {\"type\": \"Point\", \"coordinates\": [5, 52]}}\n";
	tu_write_file(dir, "fc.geojson", t, sizeof t - 1, path, len);
}

static void w_json_linestring(const char *dir, char *path, size_t len)
{
	static const char t[] =
		"{\"type\": \"FeatureCollection\", \"features\": [\n"
		" {\"type\": \"Feature\", \"properties\": {\"name\": \"A\"},"
		" \"geometry\": {\"type\": \"Point\", \"coordinates\": [5.1, 52.1]}},\n"
		" {\"type\": \"Feature\", \"properties\": {\"name\": \"B\"}, \"geometry\":"
		" {\"type\": \"LineString\", \"coordinates\": [[5.1, 52.1], [5.2, 52.2]]}}]}\n";
	tu_write_file(dir, "line.json", t, sizeof t - 1, path, len);
}

/* Features carry ids 101 and 102: the error must name the bad one by its id. */
static void w_json_feature_id(const char *dir, char *path, size_t len)
{
	static const char t[] =
		"{\"type\": \"FeatureCollection\", \"features\": [\n"
		" {\"type\": \"Feature\", \"id\": 101, \"properties\": {\"name\": \"A\"},"
		" \"geometry\": {\"type\": \"Point\", \"coordinates\": [5.1, 52.1]}},\n"
		" {\"type\": \"Feature\", \"id\": 102, \"properties\": {\"name\": \"B\"},"
		" \"geometry\": {\"type\": \"Polygon\", \"coordinates\": []}}]}\n";
	tu_write_file(dir, "ids.geojson", t, sizeof t - 1, path, len);
}

static void w_site_outside(const char *dir, char *path, size_t len)
{
	struct fx_site s[N(rd_sites)];
	memcpy(s, rd_sites, sizeof s);
	s[1].x = 400000;
	fx_write_sites_rd_csv(dir, "far.csv", s, N(s), path, len);
}

static void w_negative_residents(const char *dir, char *path, size_t len)
{
	struct fx_area gm[N(good_gemeenten)];
	memcpy(gm, good_gemeenten, sizeof gm);
	gm[3].x0 = 156000, gm[3].y0 = 450000, gm[3].side = 2000;
	gm[2].residents = -5;
	struct fx_gpkg *g = fx_gpkg_create(dir, "neg.gpkg", path, len);
	fx_area_layer(g, "gemeenten", 28992, gm, N(gm));
	fx_gpkg_close(g);
}

static void w_urbanity7(const char *dir, char *path, size_t len)
{
	struct fx_area wk[N(good_wijken)];
	memcpy(wk, good_wijken, sizeof wk);
	wk[2].urbanity = 7;
	struct fx_gpkg *g = fx_gpkg_create(dir, "urb.gpkg", path, len);
	fx_area_layer(g, "wijken", 28992, wk, N(wk));
	fx_gpkg_close(g);
}

static void w_bad_cell_id(const char *dir, char *path, size_t len)
{
	const struct fx_cell cells[] = { { "E1500N4500", 5, NULL }, { "E-974N4514", 5, NULL } };
	struct fx_gpkg *g = fx_gpkg_create(dir, "cells.gpkg", path, len);
	fx_grid_layer(g, "cbs_vk100_2024", cells, N(cells));
	fx_gpkg_close(g);
}

static void w_infinite_residents(const char *dir, char *path, size_t len)
{
	struct fx_gpkg *g = fx_gpkg_create(dir, "figures.gpkg", path, len);
	fx_area_layer(g, "wijken", 28992, good_wijken, N(good_wijken));
	fx_gpkg_exec(g, "UPDATE wijken SET aantal_inwoners = 'inf' WHERE fid = 2");
	fx_gpkg_close(g);
}

static void w_site_nan(const char *dir, char *path, size_t len)
{
	struct fx_site s[N(gpkg_sites)];
	memcpy(s, gpkg_sites, sizeof s);
	s[1].x = NAN;
	struct fx_gpkg *g = fx_gpkg_create(dir, "points.gpkg", path, len);
	fx_site_layer(g, "scholen", 28992, s, N(s));
	fx_gpkg_close(g);
}

static void w_bad_extension(const char *dir, char *path, size_t len)
{
	tu_write_file(dir, "gemeenten.txt", "x\n", 2, path, len);
}

static void w_missing_path(const char *dir, char *path, size_t len)
{
	snprintf(path, len, "%s/nope.gpkg", dir);
}

static void w_empty_folder(const char *dir, char *path, size_t len)
{
	snprintf(path, len, "%s/empty_folder", dir);
	assert_int_equal(mkdir(path, 0700), 0);
}

/* BAD(name, writer, substrings...): the error must contain every substring. */
#define BAD(name, writer, ...) { name, writer, { __VA_ARGS__ }, NULL }

static const struct bad_case bad_cases[] = {
	BAD("not a GeoPackage", w_not_gpkg, "x.gpkg", "not a GeoPackage"),
	BAD("empty .gpkg", w_empty_gpkg, "leeg.gpkg", "empty"),
	BAD("empty .csv", w_empty_csv, "leeg.csv", "empty"),
	BAD("sqlite without gpkg tables", w_plain_sqlite,
	    "plain.gpkg", "not a GeoPackage", "gpkg_contents"),
	BAD("missing column", w_missing_column,
	    "wk.gpkg", "wijken", "missing column", "aantal_inwoners"),
	BAD("no feature layers", w_no_layers, "nolayers.gpkg", "no feature layers"),
	BAD("srs unknown to PROJ", w_srs_unknown_epsg,
	    "srs_epsg.gpkg", "layer gemeenten", "feature 1", "EPSG:999999"),
	BAD("srs not EPSG", w_srs_not_epsg,
	    "srs_acme.gpkg", "layer gemeenten", "feature 1", "999999", "ACME"),
	BAD("truncated blob", w_truncated_blob,
	    "trunc.gpkg", "layer gemeenten", "feature 2", "geom", "truncated"),
	BAD("bad magic", w_bad_magic,
	    "magic.gpkg", "layer gemeenten", "feature 2", "geom", "magic"),
	BAD("blob srs_id differs", w_srs_mismatch,
	    "mismatch.gpkg", "feature 2", "geom", "srs_id 4326", "28992"),
	BAD("empty geometry flag", w_empty_flag,
	    "emptygeom.gpkg", "layer gemeenten", "feature 2", "geom", "empty geometry"),
	BAD("duplicate wijkcode", w_duplicate_wijk,
	    "dup.gpkg", "layer wijken", "feature 3", "duplicate", "WK000101"),
	BAD("municipality without region", w_member_missing,
	    "members.csv", "GM0003", "no safety region"),
	BAD("membership names unknown region", w_member_unknown_region,
	    "members.csv", "GM0003", "unknown safety region VR09"),
	BAD("CSV bad number", w_csv_bad_number, "bad.csv:4:", "x: \"12a\"", "not a number"),
	BAD("CSV unterminated quote", w_csv_quote, "quote.csv:3:", "unterminated"),
	BAD("CSV unknown header", w_csv_header, "hdr.csv:1:", "not a recognised CSV"),
	BAD("GeoJSON syntax", w_json_syntax, "bad.geojson:2:15:", "unexpected token"),
	BAD("GeoJSON not a FeatureCollection", w_json_not_fc, "fc.geojson", "FeatureCollection"),
	BAD("GeoJSON LineString", w_json_linestring,
	    "line.json", "feature 1", "geometry", "LineString"),
	BAD("GeoJSON error names the feature id", w_json_feature_id,
	    "ids.geojson", "102", "Polygon"),
	BAD("site outside NL", w_site_outside,
	    "far.csv:3:", "x=400000.0", "outside the Netherlands"),
	BAD("negative residents", w_negative_residents,
	    "neg.gpkg", "layer gemeenten", "feature 3", "aantal_inwoners", "-5"),
	BAD("urbanity class 7", w_urbanity7,
	    "urb.gpkg", "layer wijken", "feature 3", "stedelijkheid_adressen_per_km2", "7"),
	BAD("grid cell id with a sign", w_bad_cell_id,
	    "cells.gpkg", "layer cbs_vk100_2024", "feature 2", "crs28992res100m", "E-974N4514"),
	BAD("residents 'inf'", w_infinite_residents,
	    "figures.gpkg", "layer wijken", "feature 2", "aantal_inwoners", "inf"),
	/* Must say what is wrong with the point, not that it is a duplicate. */
	{ "site point with NaN x", w_site_nan,
	  { "points.gpkg", "layer scholen", "feature 2", "nan" }, "duplicate" },
	BAD("unsupported extension", w_bad_extension, "gemeenten.txt", "unsupported file type"),
	BAD("nonexistent path", w_missing_path, "nope.gpkg", "No such file"),
	BAD("empty folder", w_empty_folder, "empty_folder", "no .gpkg"),
};

/* Imports the case's input over the good database; collects the first failure in why. */
static void check_bad(const struct bad_case *c, const char *db, const char *path, char *why,
		      size_t whylen)
{
	char err[ERR_MAX] = "";
	struct import_report rep;
	char *before = db_state(db);
	int rc = import1(db, path, &rep, err);
	char *after = db_state(db);
	if (rc >= 0)
		snprintf(why, whylen, "%s: import succeeded", c->name);
	for (int i = 0; i < 5 && c->expect[i] && !why[0]; i++)
		if (!strstr(err, c->expect[i]))
			snprintf(why, whylen, "%s: error \"%s\" lacks \"%s\"", c->name, err,
				 c->expect[i]);
	if (!why[0] && c->reject && strstr(err, c->reject))
		snprintf(why, whylen, "%s: error \"%s\" says \"%s\"", c->name, err, c->reject);
	if (!why[0] && strcmp(before, after) != 0)
		snprintf(why, whylen, "%s: the database changed", c->name);
	if (rc >= 0)
		import_report_free(&rep);
	free(before);
	free(after);
}

static void test_bad_input(void **state)
{
	const struct bad_case *c = *state;
	char dir[PATH_MAX_], db[PATH_MAX_], path[PATH_MAX_], why[2 * ERR_MAX] = "";
	fresh_with_base(dir, db);
	c->write(dir, path, sizeof path);
	check_bad(c, db, path, why, sizeof why);
	tu_rmtree(dir);
	if (why[0])
		fail_msg("%s", why);
}

/* ---- setup and main ---- */

static int group_setup(void **state)
{
	(void)state;
	char err[ERR_MAX];
	struct import_report rep;
	W.opt.grid_dir = HUB_PROJ_DIR;
	tu_mkdtemp(W.dir, sizeof W.dir);
	if ((size_t)snprintf(W.good, sizeof W.good, "%.4000s/good", W.dir) >= sizeof W.good ||
	    (size_t)snprintf(W.base_db, sizeof W.base_db, "%.4000s/base.db", W.dir) >=
		    sizeof W.base_db || mkdir(W.good, 0700) != 0)
		return -1;
	write_good(W.good);
	if (import1(W.base_db, W.good, &rep, err) < 0) {
		fprintf(stderr, "setup import: %s\n", err);
		return -1;
	}
	import_report_free(&rep);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	tu_rmtree(W.dir);
	return 0;
}

#define GOOD_TESTS 11

int main(void)
{
	const struct CMUnitTest good[GOOD_TESTS] = {
		cmocka_unit_test(test_good_dataset),
		cmocka_unit_test(test_special_values_are_null),
		cmocka_unit_test(test_bowtie_repaired),
		cmocka_unit_test(test_site_positions),
		cmocka_unit_test(test_epsg4326_layer),
		cmocka_unit_test(test_blob_variants),
		cmocka_unit_test(test_big_endian_site_points),
		cmocka_unit_test(test_grid_exact_square),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_atomic_last_file_bad),
		cmocka_unit_test(test_too_many_paths),
	};
	struct CMUnitTest tests[GOOD_TESTS + N(bad_cases)];
	memcpy(tests, good, sizeof good);
	for (size_t i = 0; i < N(bad_cases); i++)
		tests[GOOD_TESTS + i] = (struct CMUnitTest){ .name = bad_cases[i].name,
			.test_func = test_bad_input, .initial_state = (void *)&bad_cases[i] };
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
