/* Unit tests for imports through mapping files (jobs/import_mapped.c, jobs/import_ref.c)
 * on files written here in "publisher" layouts: GeoJSON sites in CRS84 with value maps,
 * fallback fields, figures, skipped features (unknown value, no position, no name) and
 * dropped values; a reference layer with a buurt collapsed to a line (skipped and counted
 * with its residents, not fatal) and CBS special values; a folder whose mapping names a
 * file below it; an explicit --mapping; idempotence; a bad mapping that stops the import
 * and changes nothing. Test-only code: writes only in a temp folder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jobs/import.h"
#include "tests/lib/fixture.h"
#include "tests/lib/testutil.h"

#define ERR_MAX 4096

struct fx {
	char dir[256], maps[512], data[512], db[600];
	char err[ERR_MAX];
	struct import_options opt;
	struct import_report rep;
};

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
}

/* Amersfoort, the RD origin, and two points near it (lon, lat). */
static const char posts_geojson[] =
	"{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\":"
	" {\"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\"}}, \"features\": ["
	"{\"type\": \"Feature\", \"properties\": {\"LOC_NAAM\": \"Post Amersfoort\","
	"  \"LOC_TYPE\": \"Kazerne_vrijwillig\", \"Aantal bedden\": 12, \"BAG\": \"A1\"},"
	" \"geometry\": {\"type\": \"Point\", \"coordinates\": [5.38720621, 52.15517440]}},"
	"{\"type\": \"Feature\", \"properties\": {\"LOC_NAAM\": \"Post Onbekend\","
	"  \"LOC_TYPE\": \"Brandweerpost\", \"BAG\": \"A2\"},"
	" \"geometry\": {\"type\": \"Point\", \"coordinates\": [5.39, 52.16]}},"
	"{\"type\": \"Feature\", \"properties\": {\"LOC_NAAM\": \"Post Zonder Plek\","
	"  \"LOC_TYPE\": \"Kazerne_beroeps\"}, \"geometry\": null},"
	"{\"type\": \"Feature\", \"properties\": {\"LOC_NAAM\": null, \"ORG\": \"Gem. Reserve\","
	"  \"LOC_TYPE\": \"Kazerne_beroeps\", \"Aantal bedden\": \"veel\", \"BAG\": \"A1\"},"
	" \"geometry\": {\"type\": \"Point\", \"coordinates\": [5.40, 52.17]}},"
	"{\"type\": \"Feature\", \"properties\": {\"LOC_TYPE\": \"Kazerne_beroeps\"},"
	" \"geometry\": {\"type\": \"Point\", \"coordinates\": [5.41, 52.18]}}"
	"]}";

static const char posts_ini[] =
	"; test mapping\n[source]\nfile = instellingen/posts.geojson\ntarget = sites\n"
	"crs = CRS84\n\n[fields]\nid = BAG\nname = LOC_NAAM | ORG\nsubkind = LOC_TYPE\n"
	"beds = Aantal bedden\n\n[constants]\nkind = fire_station\n\n[values subkind]\n"
	"Kazerne_vrijwillig = vrijwillig\nKazerne_beroeps = beroeps\n";

static const char buurten_ini[] =
	"[source]\nfile = buurten_old.gpkg\nlayer = buurt_old\ntarget = ref_areas\n"
	"ref_layer = buurten_old\nyear = 2015\nunknown = -99999999 -99997\n[fields]\n"
	"code = BU_CODE\nname = BU_NAAM\nresidents = AANT_INW\npct_65plus = P_65_EO_JR\n"
	"households = AANTAL_HH\ncars_per_household = AUTO_HH\n";

/* A GeoPackage blob of a two-point LineString in EPSG:28992 (no envelope). */
static void line_blob(struct fx_blob *b)
{
	static const uint8_t head[] = {'G', 'P', 0, 1, 0x40, 0x71, 0, 0, 1, 2, 0, 0, 0, 2, 0, 0, 0};
	const double xy[] = {150000, 450000, 150100, 450100};
	memcpy(b->b, head, sizeof head);
	memcpy(b->b + sizeof head, xy, sizeof xy);
	b->n = sizeof head + sizeof xy;
}

static void write_buurten(const char *dir)
{
	static const char *const cols[] = {"BU_CODE TEXT", "BU_NAAM TEXT", "AANT_INW INTEGER",
					   "P_65_EO_JR INTEGER", "AANTAL_HH INTEGER",
					   "AUTO_HH REAL"};
	struct fx_blob a, b, line;
	struct fx_gpkg *g = fx_gpkg_create(dir, "buurten_old.gpkg", NULL, 0);
	fx_square_blob(150000, 450000, 1000, 28992, &a);
	fx_square_blob(151000, 450000, 1000, 28992, &b);
	line_blob(&line);
	fx_gpkg_add_layer(g, "buurt_old", "GEOMETRY", 28992, cols, 6);
	const char *r1[] = {"'BU0001'", "'Oud-1'", "900", "20", "400", "1.1"};
	const char *r2[] = {"'BU0002'", "'Oud-2'", "100", "-99999999", "-99997", "0.5"};
	const char *r3[] = {"'BU0003'", "'Streep'", "50", "10", "20", "1.0"};
	const char *r4[] = {"'BU0004'", "'Raar'", "'veel'", "10", "20", "-3"};
	fx_gpkg_insert(g, "buurt_old", 1, &a, r1, 6);
	fx_gpkg_insert(g, "buurt_old", 2, &b, r2, 6);
	fx_gpkg_insert(g, "buurt_old", 3, &line, r3, 6);
	fx_gpkg_insert(g, "buurt_old", 4, &b, r4, 6);
	fx_gpkg_close(g);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char sub[600], path[1024];
	tu_mkdtemp(f->dir, sizeof f->dir);
	snprintf(f->maps, sizeof f->maps, "%s/maps", f->dir);
	snprintf(f->data, sizeof f->data, "%s/data", f->dir);
	snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
	snprintf(sub, sizeof sub, "%s/instellingen", f->data);
	if (mkdir(f->maps, 0755) || mkdir(f->data, 0755) || mkdir(sub, 0755))
		fail_msg("mkdir in %s", f->dir);
	tu_write_file(f->maps, "posts.ini", posts_ini, strlen(posts_ini), path, sizeof path);
	tu_write_file(f->maps, "buurten.ini", buurten_ini, strlen(buurten_ini), path, sizeof path);
	tu_write_file(sub, "posts.geojson", posts_geojson, strlen(posts_geojson), path, sizeof path);
	write_buurten(f->data);
	f->opt = (struct import_options){.grid_dir = HUB_PROJ_DIR, .mappings_dir = f->maps};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	import_report_free(&f->rep);
	tu_rmtree(f->dir);
	free(f);
	return 0;
}

static void import_ok(struct fx *f, const char *path)
{
	const char *paths[] = {path};
	import_report_free(&f->rep);
	if (import_paths(f->db, paths, 1, &f->opt, &f->rep, f->err, sizeof f->err) != 0)
		fail_msg("import %s: %s", path, f->err);
}

static const struct import_layer_report *layer(const struct fx *f, const char *file)
{
	for (size_t i = 0; i < f->rep.nlayers; i++)
		if (strcmp(f->rep.layers[i].file, file) == 0)
			return &f->rep.layers[i];
	fail_msg("no report line for %s", file);
	return NULL;
}

static const struct import_skip *reason_of(const struct import_layer_report *l, const char *reason)
{
	for (size_t i = 0; i < l->nskip; i++)
		if (strstr(l->skip[i].reason, reason))
			return &l->skip[i];
	fail_msg("%s: no skip reason \"%s\"", l->file, reason);
	return NULL;
}

static long long q(const struct fx *f, const char *sql)
{
	return tu_sql_int(f->db, sql, 0);
}

static void test_folder_sites(void **state)
{
	struct fx *f = *state;
	import_ok(f, f->data);
	const struct import_layer_report *l = layer(f, "posts.geojson");
	assert_string_equal(l->mapping, "posts.ini");
	assert_int_equal(l->features, 2);
	assert_int_equal(l->skipped, 3);
	const struct import_skip *k = reason_of(l, "LOC_TYPE value not in [values subkind]");
	assert_int_equal(k->count, 1);
	assert_contains(k->examples[0], "feature 1 (Post Onbekend): \"Brandweerpost\"");
	assert_int_equal(reason_of(l, "no position")->count, 1);
	assert_contains(reason_of(l, "no position")->examples[0], "feature 2 (Post Zonder Plek)");
	assert_int_equal(reason_of(l, "no name")->count, 1);
	k = reason_of(l, "unparsable number");
	assert_int_equal(k->feature, 0);
	assert_contains(k->examples[0], "feature 3 (Gem. Reserve): Aantal bedden \"veel\"");
	/* Amersfoort: within 0.5 m of the RD origin, as the built-in readers (test_import). */
	assert_int_equal(q(f, "SELECT count(*) FROM sites WHERE source = 'posts.geojson' AND"
			   " source_id = 'A1' AND name = 'Post Amersfoort' AND kind = 'fire_station'"
			   " AND subkind = 'vrijwillig' AND beds = 12 AND ic_beds IS NULL AND"
			   " abs(x_rd - 155000) < 0.5 AND abs(y_rd - 463000) < 0.5"), 1);
	/* The fallback name; the repeated id A1 gets @index; beds unparsable is NULL. */
	assert_int_equal(q(f, "SELECT count(*) FROM sites WHERE source_id = 'A1@3' AND"
			   " name = 'Gem. Reserve' AND subkind = 'beroeps' AND beds IS NULL"), 1);
}

static void test_folder_ref_layer(void **state)
{
	struct fx *f = *state;
	import_ok(f, f->data);
	const struct import_layer_report *l = layer(f, "buurten_old.gpkg");
	assert_int_equal(l->kind, IMPORT_REF_AREAS);
	assert_string_equal(l->ref_layer, "buurten_old");
	assert_int_equal(l->features, 3);
	assert_int_equal(l->skipped, 1);
	const struct import_skip *k = reason_of(l, "geometry LineString, not a polygon");
	assert_int_equal(k->count, 1);
	assert_true(k->residents == 50);
	assert_string_equal(k->examples[0], "BU0003 (feature 3)");
	assert_true(l->residents == 1000);
	assert_int_equal(reason_of(l, "unparsable number")->count, 1);
	assert_int_equal(reason_of(l, "negative number")->count, 1);
	assert_int_equal(l->unknown, 2);
	assert_int_equal(q(f, "SELECT count(*) FROM ref_areas WHERE layer = 'buurten_old'"), 3);
	assert_int_equal(q(f, "SELECT count(*) FROM ref_areas WHERE code = 'BU0001' AND"
			   " year = 2015 AND residents = 900 AND abs(residents_65plus - 180) < 1e-9"
			   " AND households = 400 AND cars_per_household = 1.1 AND minx = 150000"
			   " AND maxx = 151000 AND name = 'Oud-1'"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM ref_areas WHERE code = 'BU0002' AND"
			   " residents = 100 AND residents_65plus IS NULL AND households IS NULL"),
			 1);
	assert_int_equal(q(f, "SELECT count(*) FROM ref_areas WHERE code = 'BU0004' AND"
			   " residents IS NULL AND cars_per_household IS NULL"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM ref_areas WHERE code = 'BU0003'"), 0);
}

static void test_reimport_unchanged(void **state)
{
	struct fx *f = *state;
	import_ok(f, f->data);
	char version[17];
	snprintf(version, sizeof version, "%s", f->rep.data_version);
	assert_int_equal(f->rep.changed, 1);
	import_ok(f, f->data);
	assert_int_equal(f->rep.changed, 0);
	assert_string_equal(f->rep.data_version, version);
	assert_int_equal(q(f, "SELECT count(*) FROM sites"), 2);
	assert_int_equal(q(f, "SELECT count(*) FROM ref_areas"), 3);
}

static void test_explicit_mapping(void **state)
{
	struct fx *f = *state;
	char mine[1024], file[1024];
	const char ini[] = "[fields]\nname = LOC_NAAM\nkind = LOC_TYPE\n[values kind]\n"
			   "Kazerne_vrijwillig = fire_station\n* = *\n";
	const char *const maps[] = {mine};
	tu_write_file(f->dir, "mine.ini", ini, strlen(ini), mine, sizeof mine);
	snprintf(file, sizeof file, "%s/instellingen/posts.geojson", f->data);
	f->opt = (struct import_options){.grid_dir = HUB_PROJ_DIR, .mapping_files = maps,
					 .nmapping_files = 1};
	import_ok(f, file);
	const struct import_layer_report *l = layer(f, "posts.geojson");
	assert_string_equal(l->mapping, "mine.ini");
	/* "Brandweerpost" is kept by "* = *" but is not a valid kind: skipped, counted. */
	assert_int_equal(reason_of(l, "kind not lower-case")->count, 1);
	assert_int_equal(q(f, "SELECT count(*) FROM sites WHERE kind = 'fire_station'"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM sites WHERE kind = 'Brandweerpost'"), 0);
}

static void test_bad_mapping_changes_nothing(void **state)
{
	struct fx *f = *state;
	char path[1024];
	const char *paths[] = {f->data};
	import_ok(f, f->data);
	const char bad[] = "[source]\nfile = other.geojson\n[fields]\nname = N\nsize = 3\n"
			   "[constants]\nkind = k\n";
	tu_write_file(f->maps, "zz_bad.ini", bad, strlen(bad), path, sizeof path);
	remove(f->db);
	import_report_free(&f->rep);
	assert_int_equal(import_paths(f->db, paths, 1, &f->opt, &f->rep, f->err, sizeof f->err),
			 -EINVAL);
	assert_contains(f->err, "zz_bad.ini:5: size: unknown property in [fields]");
	struct stat sb;
	assert_int_not_equal(stat(f->db, &sb), 0);    /* no database was even created */
}

static void test_ref_target_on_geojson_is_an_error(void **state)
{
	struct fx *f = *state;
	char mine[1024], file[1024];
	const char ini[] = "[source]\ntarget = ref_areas\nref_layer = x\n[fields]\ncode = C\n"
			   "residents = R\n";
	const char *const maps[] = {mine};
	const char *paths[] = {file};
	tu_write_file(f->dir, "ref.ini", ini, strlen(ini), mine, sizeof mine);
	snprintf(file, sizeof file, "%s/instellingen/posts.geojson", f->data);
	f->opt = (struct import_options){.grid_dir = HUB_PROJ_DIR, .mapping_files = maps,
					 .nmapping_files = 1};
	assert_int_equal(import_paths(f->db, paths, 1, &f->opt, &f->rep, f->err, sizeof f->err),
			 -EINVAL);
	assert_contains(f->err, "posts.geojson: mapping ");
	assert_contains(f->err, "target ref_areas reads GeoPackage polygon layers");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_folder_sites),
		T(test_folder_ref_layer),
		T(test_reimport_unchanged),
		T(test_explicit_mapping),
		T(test_bad_mapping_changes_nothing),
		T(test_ref_target_on_geojson_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
