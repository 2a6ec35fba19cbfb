/* Unit tests for jobs/import_status.c: status files in CSV (by site id, import key or RD
 * position) and GeoJSON (EPSG:28992 and CRS84 points, site properties), and every bad input
 * refused with file, line or feature, field and value, with nothing stored. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "data/store.h"
#include "jobs/import_status.h"
#include "tests/lib/testutil.h"

static struct {
	char dir[256], db[300], err[2048];
} W;

static const struct { const char *id, *name; double x, y; } SITES[] = {
	{"1", "De Hoeksteen", 155000, 463000},
	{"2", "Het Baken", 155100, 463000},
	{"3", "De Ark", 121490, 487040},      /* Amsterdam, for the CRS84 point */
};

static int setup(void **state)
{
	struct store *st = NULL;
	(void)state;
	tu_mkdtemp(W.dir, sizeof W.dir);
	snprintf(W.db, sizeof W.db, "%s/hub.db", W.dir);
	assert_int_equal(store_open(W.db, 0, &st, W.err, sizeof W.err), 0);
	assert_int_equal(store_begin(st, W.err, sizeof W.err), 0);
	for (size_t i = 0; i < 3; i++) {
		struct store_site s = {"s.csv", SITES[i].id, SITES[i].name, "school", NULL,
				       SITES[i].x, SITES[i].y, NAN, 0, NAN, NAN, NAN};
		assert_int_equal(store_put_site(st, &s, W.err, sizeof W.err), 0);
	}
	assert_int_equal(store_commit(st, W.err, sizeof W.err), 0);
	store_close(st);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(W.dir);
	return 0;
}

static int import_text(const char *name, const char *text, struct import_status_report *rep,
		       char *path, size_t pathlen)
{
	tu_write_file(W.dir, name, text, strlen(text), path, pathlen);
	return import_status_file(W.db, path, HUB_PROJ_DIR, rep, W.err, sizeof W.err);
}

/* import_text that must succeed, printing the error when it does not. */
static void import_ok(const char *name, const char *text, struct import_status_report *rep,
		      char *path, size_t pathlen)
{
	if (import_text(name, text, rep, path, pathlen) < 0)
		fail_msg("%s: %s", name, W.err);
}

static long long count(const char *where)
{
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM site_status WHERE %s", where);
	return tu_sql_int(W.db, sql, 0);
}

static void test_csv(void **state)
{
	struct import_status_report rep;
	char path[400], want[600];
	(void)state;
	assert_int_equal(import_text("a.csv", "site,x_rd,y_rd,status,note\n"
				     "1,,,designated,\"signed, 30 Nov\"\n"
				     "s.csv:2,,,rejected,\n"
				     ",121500,487030,designated,\n", &rep, path, sizeof path), 0);
	assert_int_equal(rep.designated, 2);
	assert_int_equal(rep.rejected, 1);
	assert_int_equal(count("status = 'designated'"), 2);
	assert_int_equal(count("source_id = '1' AND note = 'signed, 30 Nov'"), 1);
	snprintf(want, sizeof want, "source_id = '3' AND set_by = 'file:%s'", path);
	assert_int_equal(count(want), 1);
	/* semicolons, a released row, only the columns needed */
	assert_int_equal(import_text("b.csv", "status;site\nreleased;1\nreleased;3\n", &rep, path,
				     sizeof path), 0);
	assert_int_equal(rep.released, 2);
	assert_int_equal(count("1"), 1);
}

static void test_geojson(void **state)
{
	struct import_status_report rep;
	char path[400];
	(void)state;
	assert_int_equal(import_text("rd.geojson", "{\"type\":\"FeatureCollection\",\"crs\":{"
		"\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::28992\"}},"
		"\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\","
		"\"coordinates\":[155005,463004]},\"properties\":{\"status\":\"designated\","
		"\"note\":\"gemeenteraad 12-11\"}},{\"type\":\"Feature\",\"geometry\":null,"
		"\"properties\":{\"site\":\"s.csv:2\",\"status\":\"released\"}}]}", &rep, path,
				     sizeof path), 0);
	assert_int_equal(rep.designated, 1);
	assert_int_equal(count("source_id = '1' AND note = 'gemeenteraad 12-11'"), 1);
	/* CRS84 lon/lat (no crs member): Amsterdam's site 3, converted with the project's CRS */
	import_ok("ll.geojson", "{\"type\":\"FeatureCollection\",\"features\":"
		"[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":"
		"[4.8952, 52.3702]},\"properties\":{\"status\":\"rejected\"}}]}", &rep, path,
		  sizeof path);
	assert_int_equal(rep.rejected, 1);
	assert_int_equal(count("source_id = '3' AND status = 'rejected'"), 1);
}

/* Each bad file: the exact message, and the store as it was. */
static void test_bad_input(void **state)
{
	static const struct { const char *name, *text, *want; } cases[] = {
		{"c1.csv", "site,status\n1,designated\n2,approved\n",
		 "c1.csv:3: status: \"approved\" is not designated, rejected or released"},
		{"c2.csv", "site,status\n1,designated\n99,rejected\n",
		 "c2.csv:3: site: \"99\": no site with id 99"},
		{"c3.csv", "site,status\nx.csv:1,rejected\n",
		 "c3.csv:2: site: \"x.csv:1\": no site x.csv:1"},
		{"c4.csv", "x_rd,y_rd,status\n155050,463000,designated\n",
		 "c4.csv:2: x_rd,y_rd: \"155050,463000\": no site within 25 m of x=155050.0 "
		 "y=463000.0 (nearest: De Hoeksteen, 50 m)"},
		{"c5.csv", "x_rd,y_rd,status\n155000,46300o,designated\n",
		 "c5.csv:2: y_rd: \"46300o\" is not a number"},
		{"c6.csv", "site,note\n1,x\n", "c6.csv:1: header: no \"status\" column"},
		{"c7.csv", "name,status\nA,designated\n",
		 "c7.csv:1: header: neither a \"site\" column nor x_rd,y_rd"},
		{"c8.csv", "site,status\nabc,designated\n",
		 "c8.csv:2: site: \"abc\" is neither a site id nor source:source_id"},
		{"g1.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
		 "\"geometry\":null,\"properties\":{\"site\":1,\"status\":\"designated\"}},"
		 "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"site\":2,"
		 "\"status\":\"maybe\"}}]}",
		 "g1.geojson: feature 1: status: \"maybe\" is not designated, rejected or released"},
		{"g2.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
		 "\"geometry\":{\"type\":\"Point\",\"coordinates\":[5.0,52.0]},\"properties\":"
		 "{\"status\":\"rejected\"}}]}",
		 "g2.geojson: feature 0: coordinates: \"128410.1,445806.5\": no site within 25 m"},
		{"g3.geojson", "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\","
		 "\"properties\":{\"name\":\"EPSG:3857\"}},\"features\":[]}",
		 "g3.geojson: crs: \"EPSG:3857\": use EPSG:28992 or CRS84 (lon/lat)"},
		{"g4.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
		 "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[]},\"properties\":"
		 "{\"status\":\"rejected\"}}]}",
		 "g4.geojson: feature 0: geometry: a Point is needed (or a \"site\" property), not "
		 "LineString"},
		{"g5.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
		 "\"geometry\":null,\"properties\":{\"site\":true,\"status\":\"rejected\"}}]}",
		 "g5.geojson: feature 0: site: must be a site id or \"source:source_id\""},
		{"g6.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
		 "\"geometry\":null,\"properties\":{\"site\":1,\"status\":\"rejected\","
		 "\"note\":7}}]}", "g6.geojson: feature 0: note: must be a string"},
		{"g7.geojson", "{\"type\":\"FeatureCollection\",\"features\":[", "g7.geojson:1:"},
	};
	struct import_status_report rep;
	char path[400];
	(void)state;
	long long before = count("1");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char want[700];
		snprintf(want, sizeof want, "%s/%s", W.dir, cases[i].want);
		assert_true(import_text(cases[i].name, cases[i].text, &rep, path, sizeof path) < 0);
		if (strncmp(W.err, want, strlen(want)) != 0)
			fail_msg("%s: got \"%s\", expected \"%s...\"", cases[i].name, W.err, want);
		assert_int_equal(rep.designated + rep.rejected + rep.released, 0);
		assert_int_equal(count("1"), before);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_geojson),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
