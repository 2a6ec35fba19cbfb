/* Tests for config/mapping: each shipped mapping (every .ini of config/mappings) parses to what
 * docs/mappings.md says; bad mapping files are errors naming file, line and key (table);
 * value maps, "*", unknown values, file matching and mapping sets (folder order, one
 * mapping per file). Test-only code: writes only in a temp folder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/mapping.h"
#include "tests/lib/testutil.h"

#define MAPPINGS HUB_SOURCE_DIR "/config/mappings"

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
}

static struct mapping *load_shipped(const char *name)
{
	char path[512], err[2048] = "";
	struct mapping *m = NULL;
	snprintf(path, sizeof path, "%s/%s", MAPPINGS, name);
	if (mapping_load(path, &m, err, sizeof err) != 0)
		fail_msg("%s: %s", path, err);
	return m;
}

static void test_fire_stations(void **state)
{
	(void)state;
	struct mapping *m = load_shipped("brandweerkazernes.ini");
	assert_int_equal(m->target, MAPPING_SITES);
	assert_string_equal(m->name, "brandweerkazernes");
	assert_string_equal(m->file, "instellingen/brandweerkazernes.geojson");
	assert_int_equal(m->crs_epsg, 4326);
	assert_string_equal(m->prop[MP_NAME].field[0], "LOC_NAAM");
	assert_string_equal(m->prop[MP_KIND].constant, "fire_station");
	assert_string_equal(m->prop[MP_SUBKIND].field[0], "LOC_TYPE");
	assert_int_equal(m->prop[MP_SUBKIND].nvalues, 4);
	assert_string_equal(mapping_map_value(m, MP_SUBKIND, "Brandweerkazerne_vrijwillig"),
			    "vrijwillig");
	assert_string_equal(mapping_map_value(m, MP_SUBKIND, "Brandweerkazerne_beroeps"), "beroeps");
	assert_string_equal(mapping_map_value(m, MP_SUBKIND, "Bedrijfsbrandweerkazerne"), "bedrijf");
	assert_string_equal(mapping_map_value(m, MP_SUBKIND,
					      "Regionaal opleidingscentrum Brandweer"), "opleiding");
	assert_null(mapping_map_value(m, MP_SUBKIND, "Brandweerpost"));
	assert_true(mapping_matches(m, "/data/nl-2016/instellingen/brandweerkazernes.geojson", NULL));
	assert_false(mapping_matches(m, "/data/xinstellingen/brandweerkazernes.geojson", NULL));
	assert_false(mapping_matches(m, "/data/brandweerkazernes.geojson", NULL));
	mapping_free(m);
}

static void test_town_halls_and_ambulance(void **state)
{
	(void)state;
	struct mapping *m = load_shipped("gemeentehuizen.ini");
	assert_string_equal(m->prop[MP_KIND].constant, "town_hall");
	assert_int_equal(m->prop[MP_NAME].nfields, 2);
	assert_string_equal(m->prop[MP_NAME].field[0], "Organisati");
	assert_string_equal(m->prop[MP_NAME].field[1], "LOC_NAAM");
	assert_string_equal(m->prop[MP_ID].field[0], "Bagvobid");
	assert_string_equal(mapping_map_value(m, MP_SUBKIND, "Gemeentehuis (Publiekszaken)"),
			    "publiekszaken");
	mapping_free(m);
	m = load_shipped("ambulanceposten.ini");
	assert_string_equal(m->prop[MP_KIND].constant, "ambulance_post");
	assert_string_equal(mapping_map_value(m, MP_SUBKIND, "Ambulancevestiging"), "vestiging");
	mapping_free(m);
}

static void test_hospitals_and_care(void **state)
{
	(void)state;
	struct mapping *m = load_shipped("ziekenhuizen.ini");
	assert_string_equal(m->prop[MP_KIND].constant, "hospital");
	assert_string_equal(m->prop[MP_SUBKIND].field[0], "Soort locatie");
	assert_null(m->prop[MP_SUBKIND].values);
	assert_string_equal(m->prop[MP_BEDS].field[0], "Aantal bedden");
	assert_string_equal(m->prop[MP_IC_BEDS].field[0], "IC met beademing");
	assert_string_equal(mapping_map_value(m, MP_SUBKIND, "Hoofdlocatie"), "Hoofdlocatie");
	mapping_free(m);
	const char *care[] = {"vvt", "ghz", "ggz"};
	for (int i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof name, "%s.ini", care[i]);
		m = load_shipped(name);
		assert_string_equal(m->prop[MP_KIND].constant, "care");
		assert_string_equal(m->prop[MP_SUBKIND].constant, care[i]);
		assert_string_equal(m->prop[MP_BEDS].field[0], "Totaal aantal bedden");
		assert_string_equal(m->prop[MP_CLIENTS].field[0],
				    "Aantal cliënten intramuraal (GHZ/VVT/GGZ)");
		assert_string_equal(m->prop[MP_ID].field[0], "KvK");
		mapping_free(m);
	}
}

static void test_buurten_2015(void **state)
{
	(void)state;
	struct mapping *m = load_shipped("buurten_2015.ini");
	assert_int_equal(m->target, MAPPING_REF_AREAS);
	assert_string_equal(m->file, "buurten_2015.gpkg");
	assert_string_equal(m->layer, "buurt_2015");
	assert_string_equal(m->ref_layer, "buurten_2015");
	assert_int_equal(m->year, 2015);
	assert_string_equal(m->prop[MP_CODE].field[0], "BU_CODE");
	assert_string_equal(m->prop[MP_RESIDENTS].field[0], "AANT_INW");
	assert_string_equal(m->prop[MP_PCT_65PLUS].field[0], "P_65_EO_JR");
	assert_string_equal(m->prop[MP_HOUSEHOLDS].field[0], "AANTAL_HH");
	assert_string_equal(m->prop[MP_CARS_PER_HOUSEHOLD].field[0], "AUTO_HH");
	assert_true(mapping_is_unknown(m, -99999999));
	assert_true(mapping_is_unknown(m, -99997));
	assert_false(mapping_is_unknown(m, 0));
	assert_true(mapping_matches(m, "../shared/data/nl-2016/buurten_2015.gpkg", "buurt_2015"));
	assert_false(mapping_matches(m, "../shared/data/nl-2016/buurten_2015.gpkg", "wijk_2015"));
	mapping_free(m);
}

static void test_shipped_set(void **state)
{
	(void)state;
	struct mapping_set set = {0};
	char err[2048] = "";
	if (mapping_set_load_dir(&set, MAPPINGS, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(set.n, 8);
	assert_string_equal(set.items[0]->name, "ambulanceposten");   /* name order */
	assert_string_equal(set.items[7]->name, "ziekenhuizen");
	const struct mapping *m = mapping_set_find(&set, "x/instellingen/ggz.geojson", NULL);
	assert_non_null(m);
	assert_string_equal(m->name, "ggz");
	assert_null(mapping_set_find(&set, "x/scholen_2024.gpkg", "scholen"));
	/* The same folder again: every file is then mapped twice. */
	assert_int_equal(mapping_set_load_dir(&set, MAPPINGS, err, sizeof err), -EEXIST);
	assert_contains(err, "ambulanceposten.ini: file instellingen/ambulanceposten.geojson is "
			"already mapped by");
	mapping_set_free(&set);
	assert_int_equal(mapping_set_load_dir(&set, "/nonexistent/mappings", err, sizeof err),
			 -ENOENT);
	assert_contains(err, "mappings folder /nonexistent/mappings: ");
}

static const char good_head[] = "[source]\nfile = x.geojson\n";

/* Bad mapping files: the text and the error it must give (file:line: key: ...). */
static const struct {
	const char *text, *want;
} bad[] = {
	{"[source]\ncolour = red\n", "bad.ini:2: colour: unknown key in [source]"},
	{"[source]\nfile = a\n[fields]\ncolour = X\n",
	 "bad.ini:4: colour: unknown property in [fields]"},
	{"[source]\nfile = a\n[fields]\nname LOC_NAAM\n",
	 "bad.ini:4: expected \"key = value\", got \"name LOC_NAAM\""},
	{"[source]\n= x\n", "bad.ini:2: expected \"key = value\", got no key before '='"},
	{"[source]\nfile =\n", "bad.ini:2: file: empty value"},
	{"[source]\nfile = a\n[fields]\nname = N\nbeds = B\n[values beds]\n1 = 2\n",
	 "bad.ini:6: [values beds]: value maps are for text properties"},
	{"[source]\nfile = a\n[fields]\nname = N\n[constants]\nkind = fire_station\n"
	 "[values kind]\nA = b\n", "bad.ini:7: [values kind]: kind has no field in [fields]"},
	{"[source]\nfile = a\n[fields]\nname = N\nkind = K\n[values kind]\n",
	 "bad.ini:6: [values kind]: no \"source value = stored value\" lines"},
	{"[source]\nfile = a\n[fields]\nname = N\nkind = K\n[values kind]\nA = Fire Station\n",
	 "bad.ini:7: A: kind \"Fire Station\" must be lower-case letters and _"},
	{"[source]\nfile = a\n[fields]\nname = N\nkind = K\n[values kind]\nA = a\nA = b\n",
	 "bad.ini:8: A: listed twice in [values kind]"},
	{"[source]\nfile = a\n[values colour]\nA = b\n", "bad.ini:3: [values colour]: unknown property"},
	{"[source]\nfile = a\nfile = b\n", "bad.ini:3: file: given twice in [source]"},
	{"[source]\nfile = a\n[fields]\nname = N\nname = M\n", "bad.ini:5: name: already set on line 4"},
	{"[source]\nfile = a\n[fields]\nname = N\n[constants]\nkind = Fire\n",
	 "bad.ini:6: kind: \"Fire\" must be lower-case letters and _"},
	{"[source]\nfile = a\n[fields]\nname = N\n[constants]\nkind = k\nbeds = many\n",
	 "bad.ini:7: beds: \"many\" is not a number"},
	{"[source]\nfile = a\ntarget = sites\n[fields]\nsubkind = T\n[constants]\nkind = k\n",
	 "bad.ini:3: name: required for target sites"},
	{"[source]\nfile = a\n[fields]\nname = N\n", "bad.ini:1: kind: required for target sites"},
	{"[source]\nfile = a\ntarget = ref_areas\n[fields]\ncode = C\nresidents = R\n",
	 "bad.ini:3: ref_layer: required in [source] for target ref_areas"},
	{"[source]\nfile = a\n[fields]\nname = N\nresidents = R\n[constants]\nkind = k\n",
	 "bad.ini:5: residents: not a property of target sites"},
	{"[source]\nfile = a\ntarget = areas\n", "bad.ini:3: target: \"areas\" is not one of"},
	{"[source]\ncrs = EPSG:3857\n", "bad.ini:2: crs: \"EPSG:3857\" is not one of"},
	{"[source]\nyear = 15\n", "bad.ini:2: year: \"15\" is not a year 1800..2200"},
	{"[source]\nunknown = -1 x\n", "bad.ini:2: unknown: \"x\" is not a number"},
	{"file = a\n", "bad.ini:1: file: key before the first [section]"},
	{"[sauce]\nfile = a\n", "bad.ini:1: unknown section [sauce]"},
	{"[source\n", "bad.ini:1: expected \"[section]\", got \"[source\""},
	{"[source]\nfile = a\n[fields]\nname = A | | B\n", "bad.ini:4: name: empty field name"},
};

static void test_bad_mappings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct mapping *m = (struct mapping *)1;
		char err[2048] = "";
		int rc = mapping_parse("bad.ini", bad[i].text, strlen(bad[i].text), &m, err,
				       sizeof err);
		if (rc != -EINVAL || m != NULL)
			fail_msg("case %zu: rc %d (want -EINVAL), err \"%s\"", i, rc, err);
		if (!strstr(err, bad[i].want))
			fail_msg("case %zu: \"%s\" does not contain \"%s\"", i, err, bad[i].want);
	}
}

static void test_all_errors_at_once(void **state)
{
	(void)state;
	const char text[] = "[source]\ncolour = red\n[fields]\nname = N\nsize = 3\n";
	struct mapping *m = NULL;
	char err[2048] = "";
	assert_int_equal(mapping_parse("two.ini", text, strlen(text), &m, err, sizeof err), -EINVAL);
	assert_contains(err, "two.ini:2: colour:");
	assert_contains(err, "\ntwo.ini:5: size:");
}

static void test_load_missing_and_comments(void **state)
{
	(void)state;
	char dir[256], path[512], err[1024] = "";
	struct mapping *m = NULL;
	const char text[] = "\xef\xbb\xbf; a comment\r\n# another\r\n[source]\r\n"
			    "file = a.geojson ; where\r\n[fields]\r\nname = Naam locatie\r\n"
			    "kind = Soort\r\n[values kind]\r\nZiekenhuis = hospital\r\n* = *\r\n";
	assert_int_equal(mapping_load("/nonexistent.ini", &m, err, sizeof err), -ENOENT);
	assert_contains(err, "/nonexistent.ini: ");
	tu_mkdtemp(dir, sizeof dir);
	tu_write_file(dir, "crlf.ini", text, strlen(text), path, sizeof path);
	if (mapping_load(path, &m, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_string_equal(m->file, "a.geojson");
	assert_string_equal(m->prop[MP_NAME].field[0], "Naam locatie");
	assert_string_equal(mapping_map_value(m, MP_KIND, "Ziekenhuis"), "hospital");
	assert_string_equal(mapping_map_value(m, MP_KIND, "other"), "other");   /* "* = *" */
	assert_true(mapping_matches(m, "a.geojson", NULL));
	mapping_free(m);
	tu_rmtree(dir);
}

static void test_set_two_without_file(void **state)
{
	(void)state;
	char dir[256], p1[512], p2[512], err[1024] = "";
	const char text[] = "[fields]\nname = N\n[constants]\nkind = k\n";
	struct mapping_set set = {0};
	tu_mkdtemp(dir, sizeof dir);
	tu_write_file(dir, "a.ini", text, strlen(text), p1, sizeof p1);
	tu_write_file(dir, "b.ini", good_head, strlen(good_head), p2, sizeof p2);
	assert_int_equal(mapping_set_load_file(&set, p1, err, sizeof err), 0);
	assert_null(set.items[0]->file);
	assert_false(mapping_matches(set.items[0], "x.geojson", NULL));
	/* b.ini lacks name and kind: an error naming it, and the set keeps a.ini only. */
	assert_int_equal(mapping_set_load_file(&set, p2, err, sizeof err), -EINVAL);
	assert_contains(err, "b.ini:1: name: required for target sites");
	assert_int_equal(set.n, 1);
	mapping_set_free(&set);
	tu_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fire_stations),
		cmocka_unit_test(test_town_halls_and_ambulance),
		cmocka_unit_test(test_hospitals_and_care),
		cmocka_unit_test(test_buurten_2015),
		cmocka_unit_test(test_shipped_set),
		cmocka_unit_test(test_bad_mappings),
		cmocka_unit_test(test_all_errors_at_once),
		cmocka_unit_test(test_load_missing_and_comments),
		cmocka_unit_test(test_set_two_without_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
