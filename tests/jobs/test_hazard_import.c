/* hazard-import on written files and on the bundled national data: malformed GeoJSON,
 * a self-intersecting polygon and one outside the Netherlands give errors naming file,
 * line or feature and field, and store nothing; a re-import replaces a layer whole; the
 * --where filter on a GeoPackage field; a plan with hazard_exclude (stable from an older
 * plan, and fresh) has no site inside the layer, one with hazard_flag names the layer on
 * every site inside; and a plan whose layer was dropped is still served. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "jobs/hazard_import.h"
#include "jobs/import.h"
#include "jobs/plan_run.h"
#include "model/served.h"
#include "tests/lib/fixture.h"
#include "tests/lib/testutil.h"

static struct {
	char dir[256], db[300];
	char err[4096];
	struct hazard_import_report rep;
} W;

/* Two lon/lat squares near Schiedam, depth_m 1.2 and 0.2. */
static const char good_json[] =
	"{\"type\":\"FeatureCollection\",\"features\":[\n"
	"{\"type\":\"Feature\",\"id\":\"a\",\"properties\":{\"depth_m\":1.2},\"geometry\":"
	"{\"type\":\"Polygon\",\"coordinates\":[[[4.45,51.90],[4.50,51.90],[4.50,51.93],"
	"[4.45,51.93],[4.45,51.90]]]}},\n"
	"{\"type\":\"Feature\",\"id\":\"b\",\"properties\":{\"depth_m\":0.2},\"geometry\":"
	"{\"type\":\"Polygon\",\"coordinates\":[[[4.55,51.90],[4.60,51.90],[4.60,51.93],"
	"[4.55,51.93],[4.55,51.90]]]}}]}\n";

static int setup(void **state)
{
	(void)state;
	tu_mkdtemp(W.dir, sizeof W.dir);
	snprintf(W.db, sizeof W.db, "%s/hub.db", W.dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(W.dir);
	return 0;
}

static int import_text(const char *name, const char *file, const char *text, const char *where)
{
	char path[400];
	struct hazard_import_options opt = {NULL, where, HUB_PROJ_DIR};
	tu_write_file(W.dir, file, text, strlen(text), path, sizeof path);
	return hazard_import(W.db, name, path, &opt, &W.rep, W.err, sizeof W.err);
}

static long long parts(const char *name)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM hazard_parts WHERE name = '%s'", name);
	return tu_sql_int(W.db, sql, 0);
}

static void expect_error(int rc, const char *want)
{
	assert_true(rc < 0);
	if (!strstr(W.err, want))
		fail_msg("error \"%s\" lacks \"%s\"", W.err, want);
}

static void test_import_and_replace(void **state)
{
	(void)state;
	assert_int_equal(import_text("flood", "f.geojson", good_json, NULL), 0);
	assert_int_equal(W.rep.kept, 2);
	assert_int_equal(W.rep.replaced, 0);
	assert_true(W.rep.area_m2 > 2e7 && W.rep.area_m2 < 2.6e7);   /* 2 x ~11.5 km2 */
	assert_int_equal(parts("flood"), 2);
	/* a bad re-import leaves the layer as it was */
	expect_error(import_text("flood", "bad.geojson", "{\"type\":\"FeatureCollection\",\n"
				 "\"features\":[\n{\"type\" \"Feature\"}]}", NULL),
		     "bad.geojson: line 3 column 17: not valid JSON");
	assert_int_equal(parts("flood"), 2);
	assert_int_equal(import_text("flood", "f.geojson", good_json, "depth_m>=0.5"), 0);
	assert_int_equal(W.rep.kept, 1);
	assert_int_equal(W.rep.filtered, 1);
	assert_int_equal(W.rep.replaced, 1);
	assert_int_equal(parts("flood"), 1);
	assert_int_equal(tu_sql_int(W.db, "SELECT count(*) FROM hazard_layers WHERE filter ="
				    " 'depth_m>=0.5' AND features = 1", 0), 1);
	assert_int_equal(hazard_drop(W.db, "flood", W.err, sizeof W.err), 0);
	assert_int_equal(parts("flood"), 0);
	expect_error(hazard_drop(W.db, "flood", W.err, sizeof W.err), "no hazard layer flood");
}

static void test_bad_polygons(void **state)
{
	(void)state;
	expect_error(import_text("x", "bow.geojson", "{\"type\":\"FeatureCollection\",\"features"
				 "\":[{\"type\":\"Feature\",\"id\":\"bow\",\"geometry\":{\"type\":"
				 "\"Polygon\",\"coordinates\":[[[4.45,51.90],[4.50,51.93],[4.50,"
				 "51.90],[4.45,51.93],[4.45,51.90]]]}}]}", NULL),
		     "bow.geojson: feature 0 (id bow): geometry: not a valid polygon: "
		     "Self-intersection at RD");
	expect_error(import_text("x", "paris.geojson", "{\"type\":\"FeatureCollection\","
				 "\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":"
				 "\"Polygon\",\"coordinates\":[[[2.3,48.8],[2.4,48.8],[2.4,48.9],"
				 "[2.3,48.8]]]}}]}", NULL),
		     "paris.geojson: feature 0: geometry: the polygon lies (partly) outside the "
		     "Netherlands");
	/* RD New metres, east of the RD area (x 400 km) */
	expect_error(import_text("x", "east.geojson", "{\"type\":\"FeatureCollection\",\"crs\":"
				 "{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:28992\"}},"
				 "\"features\":[{},{\"type\":\"Feature\",\"geometry\":{\"type\":"
				 "\"Polygon\",\"coordinates\":[[[400000,450000],[401000,450000],"
				 "[401000,451000],[400000,450000]]]}}]}", NULL),
		     "east.geojson: feature 0: geometry: type missing");
	expect_error(import_text("x", "east.geojson", "{\"type\":\"FeatureCollection\",\"crs\":"
				 "{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:28992\"}},"
				 "\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":"
				 "\"Polygon\",\"coordinates\":[[[400000,450000],[401000,450000],"
				 "[401000,451000],[400000,450000]]]}}]}", NULL),
		     "east.geojson: feature 0: geometry: the polygon lies (partly) outside the "
		     "Netherlands");
	expect_error(import_text("x", "pt.geojson", "{\"type\":\"FeatureCollection\",\"features"
				 "\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\","
				 "\"coordinates\":[4.5,51.9]}}]}", NULL),
		     "pt.geojson: feature 0: geometry: type \"Point\": a Polygon or a non-empty "
		     "MultiPolygon expected");
	expect_error(import_text("x", "f.geojson", good_json, "depth>=1"),
		     "f.geojson: feature 0 (id a): properties.depth: missing");
	expect_error(import_text("x", "f.geojson", good_json, "depth_m=>1"),
		     "--where \"depth_m=>1\": FIELD>=VALUE expected");
	expect_error(import_text("X", "f.geojson", good_json, NULL), "hazard layer name \"X\"");
	assert_int_equal(import_text("y", "f.geojson", good_json, NULL), 0);  /* db exists now */
	assert_int_equal(tu_sql_int(W.db, "SELECT count(*) FROM hazard_layers WHERE name = 'x'",
				    0), 0);
}

/* A GeoPackage layer in RD New with a depth field: the filter, a text value, a NULL. */
static void test_gpkg_where(void **state)
{
	(void)state;
	char path[400];
	const char *cols[] = {"depth_m REAL"};
	struct fx_gpkg *g = fx_gpkg_create(W.dir, "flood.gpkg", path, sizeof path);
	struct fx_blob b;
	fx_gpkg_add_layer(g, "diepte", "MULTIPOLYGON", 28992, cols, 1);
	const char *depth[] = {"1.5", "0.1", "NULL", "0.8"};
	for (int i = 0; i < 4; i++) {
		fx_square_blob(90000 + 2000 * i, 436000, 1000, 28992, &b);
		fx_gpkg_insert(g, "diepte", 10 + i, &b, &depth[i], 1);
	}
	fx_gpkg_close(g);
	struct hazard_import_options opt = {NULL, "depth_m>=0.5", HUB_PROJ_DIR};
	assert_int_equal(hazard_import(W.db, "deep", path, &opt, &W.rep, W.err, sizeof W.err), 0);
	assert_int_equal(W.rep.features, 4);
	assert_int_equal(W.rep.kept, 2);
	assert_int_equal(W.rep.filtered, 2);
	assert_int_equal(tu_sql_int(W.db, "SELECT count(*) FROM hazard_parts WHERE name = 'deep'"
				    " AND feature IN ('fid 10', 'fid 13')", 0), 2);
	assert_int_equal(parts("deep"), 2);
	opt.layer = "water";
	expect_error(hazard_import(W.db, "deep", path, &opt, &W.rep, W.err, sizeof W.err),
		     "flood.gpkg: no layer water; 1 feature layers (diepte)");
	opt.layer = NULL;
	opt.where = "fid>=x";
	expect_error(hazard_import(W.db, "deep", path, &opt, &W.rep, W.err, sizeof W.err),
		     "--where \"fid>=x\"");
	opt.where = "diepte>=1";
	expect_error(hazard_import(W.db, "deep", path, &opt, &W.rep, W.err, sizeof W.err),
		     "layer diepte: no field diepte");
	assert_int_equal(parts("deep"), 2);
}

/* ---- through the planner on the bundled data ---- */

static long long plan(struct config *cfg, int fresh)
{
	struct plan_run_options opt = {NULL, "VR17", NULL, fresh, NULL};
	struct plan_result r;
	struct plan_run_info info;
	int rc = plan_run(cfg, NULL, &opt, &r, &info, W.err, sizeof W.err);
	plan_result_free(&r);
	if (rc < 0)
		fail_msg("plan: %s", W.err);
	return (long long)info.plan_id;
}

/* Sites of plan id (both levels) inside the square x0..x0+8000, y0..y0+8000 matching the
 * SQL condition also. */
static long long inside_where(long long id, double x0, double y0, const char *also)
{
	char sql[400];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND %s"
		 " AND x_rd BETWEEN %.0f AND %.0f AND y_rd BETWEEN %.0f AND %.0f", id, also, x0,
		 x0 + 8000, y0, y0 + 8000);
	return tu_sql_int(W.db, sql, 0);
}

/* Non-fixed sites of plan id inside the square. */
static long long inside(long long id, double x0, double y0)
{
	return inside_where(id, x0, y0, "fixed = 0");
}

/* An 8 km square in RD New at x0, y0 as a GeoJSON FeatureCollection. */
static void square_json(double x0, double y0, char *json, size_t len)
{
	snprintf(json, len, "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\","
		 "\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::28992\"}},\"features\":[{"
		 "\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.0f,"
		 "%.0f],[%.0f,%.0f],[%.0f,%.0f],[%.0f,%.0f],[%.0f,%.0f]]]}}]}", x0, y0, x0 + 8000,
		 y0, x0 + 8000, y0 + 8000, x0, y0 + 8000, x0, y0);
}

/* hazard_flag keeps the sites inside and names the layer on each, in the summary too. */
static void check_flags(struct config *cfg)
{
	char json[1024], sql[200];
	double x0 = 80000, y0 = 432000;
	square_json(x0, y0, json, sizeof json);
	assert_int_equal(import_text("dike", "dike.geojson", json, NULL), 0);
	cfg->hazard_exclude[0] = '\0';
	snprintf(cfg->hazard_flag, sizeof cfg->hazard_flag, "dike");
	long long id = plan(cfg, 1);
	long long in = inside_where(id, x0, y0, "1");
	assert_true(in > 0);
	assert_int_equal(inside_where(id, x0, y0, "hazard = 'dike'"), in);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND"
		 " hazard IS NOT NULL", id);
	assert_int_equal(tu_sql_int(W.db, sql, 0), in);
	snprintf(sql, sizeof sql, "SELECT json_extract(summary, '$.hazards.dike.local_flagged') +"
		 " json_extract(summary, '$.hazards.dike.regional_flagged') FROM plans WHERE id ="
		 " %lld", id);
	assert_int_equal(tu_sql_int(W.db, sql, 0), in);
	cfg->hazard_flag[0] = '\0';
}

static void test_plan_excludes(void **state)
{
	(void)state;
	const char *paths[] = {HUB_DATA_DIR};
	struct import_report ir;
	struct config cfg;
	char json[1024], sql[200];
	if (import_paths(W.db, paths, 1, NULL, &ir, W.err, sizeof W.err) < 0)
		fail_msg("import: %s", W.err);
	import_report_free(&ir);
	config_defaults(&cfg);
	snprintf(cfg.database, sizeof cfg.database, "%s", W.db);
	cfg.search_time_s = 1;
	long long p1 = plan(&cfg, 0);
	/* an 8 km square (RD New) around central Rotterdam, where plan 1 has many sites */
	double x0 = 88000, y0 = 432000;
	assert_true(inside(p1, x0, y0) > 10);
	square_json(x0, y0, json, sizeof json);
	assert_int_equal(import_text("flood", "sq.geojson", json, NULL), 0);
	snprintf(cfg.hazard_exclude, sizeof cfg.hazard_exclude, "flood");
	long long p2 = plan(&cfg, 0);            /* stable: plan 1's sites inside must go */
	assert_int_equal(inside(p2, x0, y0), 0);
	snprintf(sql, sizeof sql, "SELECT json_extract(summary, '$.hazards.flood.incumbents_"
		 "excluded') FROM plans WHERE id = %lld", p2);
	assert_int_equal(tu_sql_int(W.db, sql, 0), inside(p1, x0, y0));
	snprintf(sql, sizeof sql, "SELECT json_extract(summary, '$.hazards.flood.local_excluded')"
		 " FROM plans WHERE id = %lld", p2);
	assert_true(tu_sql_int(W.db, sql, 0) > 0);
	assert_int_equal(inside(plan(&cfg, 1), x0, y0), 0);
	check_flags(&cfg);
	snprintf(cfg.hazard_exclude, sizeof cfg.hazard_exclude, "flood");
	/* the layer dropped: a plan naming it fails and stores nothing */
	assert_int_equal(hazard_drop(W.db, "flood", W.err, sizeof W.err), 0);
	struct plan_run_options opt = {NULL, "VR17", NULL, 0, NULL};
	struct plan_result r;
	struct plan_run_info info;
	assert_true(plan_run(&cfg, NULL, &opt, &r, &info, W.err, sizeof W.err) < 0);
	plan_result_free(&r);
	expect_error(-1, "hazard layer flood is not imported");
	/* ... but the plan made with it is still served */
	struct served *s = NULL;
	assert_int_equal(served_load(&cfg, &s, W.err, sizeof W.err), 0);
	assert_true(s->nsites > 0);
	served_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_import_and_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_polygons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpkg_where, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_excludes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
