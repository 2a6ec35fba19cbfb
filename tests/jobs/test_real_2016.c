/* Tests on the real 2016 layers of ../shared/data/nl-2016 (label data), imported once as a
 * folder through the shipped mappings: every source's count, subkinds and figures as the
 * data's README gives them, the fire stations' transformed positions against the RD X/Y
 * their file also holds, the 2015 buurten minus the 61 collapsed ones (counted with their
 * residents, not fatal), and that a second import changes nothing. Reads the data only. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "jobs/import.h"
#include "tests/lib/testutil.h"

#define DATA_2016 HUB_DATA_DIR "-2016"
#define MAPPINGS HUB_SOURCE_DIR "/config/mappings"
#define BUURTEN_2015 12229
#define BUURT_2015_RESIDENTS 16877160.0

static struct {
	char dir[256], db[512];
	struct import_report rep;
	struct import_options opt;
} g;

static int group_setup(void **state)
{
	const char *paths[] = {DATA_2016};
	char err[4096];
	(void)state;
	tu_mkdtemp(g.dir, sizeof g.dir);
	snprintf(g.db, sizeof g.db, "%s/t.db", g.dir);
	g.opt = (struct import_options){.grid_dir = HUB_PROJ_DIR, .mappings_dir = MAPPINGS};
	if (import_paths(g.db, paths, 1, &g.opt, &g.rep, err, sizeof err) != 0) {
		fprintf(stderr, "import %s: %s\n", DATA_2016, err);
		return -1;
	}
	import_report_print(&g.rep, stderr);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	import_report_free(&g.rep);
	tu_rmtree(g.dir);
	return 0;
}

static long long q(const char *sql)
{
	return tu_sql_int(g.db, sql, 0);
}

static const struct import_layer_report *layer(const char *file)
{
	for (size_t i = 0; i < g.rep.nlayers; i++)
		if (strcmp(g.rep.layers[i].file, file) == 0)
			return &g.rep.layers[i];
	fail_msg("no report line for %s", file);
	return NULL;
}

static void expect(const char *what, long long got, long long want)
{
	if (got != want)
		fail_msg("%s: %lld, want %lld", what, got, want);
}

static void test_fire_stations(void **state)
{
	(void)state;
	const struct import_layer_report *l = layer("brandweerkazernes.geojson");
	expect("stored", l->features, 1002);
	expect("skipped", l->skipped, 0);
	expect("fire_station", q("SELECT count(*) FROM sites WHERE kind = 'fire_station'"), 1002);
	static const struct { const char *subkind; long long n; } sub[] = {
		{"vrijwillig", 863}, {"beroeps", 111}, {"bedrijf", 25}, {"opleiding", 3},
	};
	for (size_t i = 0; i < 4; i++) {
		char sql[256];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM sites WHERE kind = 'fire_station'"
			 " AND subkind = '%s'", sub[i].subkind);
		expect(sub[i].subkind, q(sql), sub[i].n);
	}
}

/* The file gives RD X/Y beside the CRS84 point. The publisher derived the lon/lat from them
 * with a Helmert transformation, so the NSGI grid gives back X/Y within about 0.25 m (the
 * difference between the two transformations; without the grid it is under 1 cm). */
static void test_fire_station_positions(void **state)
{
	(void)state;
	json_error_t jerr;
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	double worst = 0;
	json_t *root = json_load_file(DATA_2016 "/instellingen/brandweerkazernes.geojson", 0, &jerr);
	assert_non_null(root);
	assert_int_equal(sqlite3_open_v2(g.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT x_rd, y_rd FROM sites WHERE source ="
					    " 'brandweerkazernes.geojson' AND source_id = ?1", -1,
					    &s, NULL), SQLITE_OK);
	json_t *features = json_object_get(root, "features");
	for (size_t i = 0; i < json_array_size(features); i++) {
		json_t *p = json_object_get(json_array_get(features, i), "properties");
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, (sqlite3_int64)i);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		double dx = sqlite3_column_double(s, 0) - json_number_value(json_object_get(p, "X"));
		double dy = sqlite3_column_double(s, 1) - json_number_value(json_object_get(p, "Y"));
		worst = fmax(worst, hypot(dx, dy));
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	json_decref(root);
	fprintf(stderr, "worst distance to the file's RD X/Y: %.3f m\n", worst);
	if (worst > 0.5)
		fail_msg("a fire station is %.3f m from its RD X/Y", worst);
}

static void test_town_halls_and_ambulance_posts(void **state)
{
	(void)state;
	expect("town halls", layer("gemeentehuizen.geojson")->features, 400);
	expect("town_hall", q("SELECT count(*) FROM sites WHERE kind = 'town_hall'"), 400);
	expect("publiekszaken", q("SELECT count(*) FROM sites WHERE kind = 'town_hall' AND"
				  " subkind = 'publiekszaken'"), 6);
	expect("named after the organisation", q("SELECT count(*) FROM sites WHERE"
						 " kind = 'town_hall' AND name LIKE 'Gem. %'"), 400);
	expect("ambulance posts", q("SELECT count(*) FROM sites WHERE kind = 'ambulance_post'"),
	       236);
}

static void test_hospitals(void **state)
{
	(void)state;
	expect("hospitals", q("SELECT count(*) FROM sites WHERE kind = 'hospital'"), 276);
	expect("with beds", q("SELECT count(beds) FROM sites WHERE kind = 'hospital'"), 178);
	expect("beds", q("SELECT sum(beds) FROM sites WHERE kind = 'hospital'"), 47102);
	expect("with IC", q("SELECT count(ic_beds) FROM sites WHERE kind = 'hospital'"), 119);
	expect("ventilated IC beds", q("SELECT sum(ic_beds) FROM sites WHERE kind = 'hospital'"),
	       934);
	expect("main UMC locations", q("SELECT count(*) FROM sites WHERE kind = 'hospital' AND"
				       " subkind = 'Hoofdlocatie (Universitair Medisch Centrum)'"), 7);
}

static void test_care(void **state)
{
	(void)state;
	static const struct {
		const char *sub;
		long long n, with_beds, beds, with_clients, clients;
	} care[] = {
		{"vvt", 544, 347, 176402, 347, 171899},
		{"ghz", 232, 149, 95660, 149, 95402},
		{"ggz", 465, 119, 56983, 118, 55019},
	};
	for (size_t i = 0; i < 3; i++) {
		char sql[256];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM sites WHERE kind = 'care' AND"
			 " subkind = '%s'", care[i].sub);
		expect(care[i].sub, q(sql), care[i].n);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM sites WHERE subkind = '%s' AND"
			 " beds > 0", care[i].sub);
		expect("with beds", q(sql), care[i].with_beds);
		snprintf(sql, sizeof sql, "SELECT sum(beds) FROM sites WHERE subkind = '%s'",
			 care[i].sub);
		expect("beds", q(sql), care[i].beds);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM sites WHERE subkind = '%s' AND"
			 " clients > 0", care[i].sub);
		expect("with clients", q(sql), care[i].with_clients);
		snprintf(sql, sizeof sql, "SELECT sum(clients) FROM sites WHERE subkind = '%s'",
			 care[i].sub);
		expect("clients", q(sql), care[i].clients);
	}
}

static void test_buurten_2015(void **state)
{
	(void)state;
	const struct import_layer_report *l = layer("buurten_2015.gpkg");
	double skipped_residents = 0;
	long skipped = 0;
	assert_int_equal(l->kind, IMPORT_REF_AREAS);
	for (size_t i = 0; i < l->nskip; i++) {
		assert_true(l->skip[i].feature);
		assert_non_null(strstr(l->skip[i].reason, "not a polygon"));
		skipped += l->skip[i].count;
		skipped_residents += l->skip[i].residents;
	}
	expect("skipped", l->skipped, 61);
	expect("skipped by reason", skipped, 61);
	expect("stored", l->features, BUURTEN_2015 - 61);
	expect("rows", q("SELECT count(*) FROM ref_areas WHERE layer = 'buurten_2015' AND"
			 " year = 2015"), BUURTEN_2015 - 61);
	expect("residents", (long long)l->residents,
	       (long long)(BUURT_2015_RESIDENTS - skipped_residents));
	expect("stored residents", q("SELECT sum(residents) FROM ref_areas"),
	       (long long)(BUURT_2015_RESIDENTS - skipped_residents));
	expect("skipped residents", (long long)skipped_residents, 72985);
	expect("a collapsed buurt is not stored",
	       q("SELECT count(*) FROM ref_areas WHERE code = 'BU04150009'"), 0);
	expect("65+ from the percentage", q("SELECT count(*) FROM ref_areas WHERE"
					    " residents_65plus > residents"), 0);
	expect("special values unknown", q("SELECT count(*) FROM ref_areas WHERE"
					   " residents_65plus < 0 OR cars_per_household < 0"), 0);
	expect("boxes", q("SELECT count(*) FROM ref_areas WHERE minx < 0 OR maxx > 300000 OR"
			  " miny < 289000 OR maxy > 629000 OR minx >= maxx"), 0);
}

static void test_reimport_unchanged(void **state)
{
	(void)state;
	const char *paths[] = {DATA_2016};
	struct import_report rep;
	char err[4096];
	if (import_paths(g.db, paths, 1, &g.opt, &rep, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(rep.changed, 0);
	assert_string_equal(rep.data_version, g.rep.data_version);
	import_report_free(&rep);
	expect("sites", q("SELECT count(*) FROM sites"), 1002 + 400 + 276 + 544 + 232 + 465 + 236);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fire_stations),
		cmocka_unit_test(test_fire_station_positions),
		cmocka_unit_test(test_town_halls_and_ambulance_posts),
		cmocka_unit_test(test_hospitals),
		cmocka_unit_test(test_care),
		cmocka_unit_test(test_buurten_2015),
		cmocka_unit_test(test_reimport_unchanged),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
