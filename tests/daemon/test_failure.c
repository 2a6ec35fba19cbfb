/* whatif's failed areas (daemon/rpc/methods_fail.c) on a served VR17 plan of the bundled
 * data: a gemeente code fails exactly the sites in it and loses what removing them one by
 * one loses; a drawn polygon fails exactly the sites inside it (checked in RD against the
 * square it was drawn from); replacements lie outside the failed area with falling gains;
 * a polygon that is not GeoJSON, self-intersects or lies outside the Netherlands is
 * refused with a message that says so; an imported hazard layer fails exactly the sites
 * inside it, and an unknown layer is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/rpc/rpc.h"
#include "geo/crs.h"
#include "jobs/hazard_import.h"
#include "tests/lib/testutil.h"
#include "tests/lib/served_fx.h"

static struct served_fx W;
static struct served *S;

static int setup(void **state)
{
	(void)state;
	sfx_setup(&W);
	sfx_plan(&W, "VR17");
	S = sfx_load(&W);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	served_free(S);
	sfx_teardown(&W);
	return 0;
}

static double num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_number(v))
		fail_msg("%s is not a number", key);
	return json_number_value(v);
}

/* The seq numbers of the failed local sites in a whatif result, as a sorted list text. */
static int failed_seqs(json_t *r, long *seq, int cap)
{
	json_t *sites = json_object_get(json_object_get(r, "failed"), "sites"), *f;
	size_t k;
	int n = 0;
	json_array_foreach(sites, k, f) {
		json_t *p = json_object_get(f, "properties");
		if (strcmp(json_string_value(json_object_get(p, "level")), "local") == 0 && n < cap)
			seq[n++] = (long)num(p, "seq");
	}
	return n;
}

static void test_fail_gemeente(void **state)
{
	(void)state;
	int32_t gm = served_find_code(S, "GM0599");
	long expect[1024], got[1024];
	int ne = 0;
	assert_true(gm >= 0);
	for (size_t k = 0; k < S->nlocal; k++)
		if (S->sites[k].gemeente == gm)
			expect[ne++] = S->sites[k].seq;
	assert_true(ne > 10);
	json_t *r = sfx_call(S, "whatif", "{\"fail\":{\"region\":\"GM0599\"},\"replace\":4}");
	int ng = failed_seqs(r, got, 1024);
	assert_int_equal(ng, ne);
	assert_int_equal((int)num(json_object_get(r, "failed"), "local_sites"), ne);
	for (int k = 0; k < ne; k++)
		assert_int_equal(got[k], expect[k]);   /* both in seq order */
	/* the same loss as removing those sites by hand */
	char *params = malloc(16 * 1024);
	int n = snprintf(params, 16 * 1024, "{\"remove\":[");
	for (int k = 0; k < ne; k++)
		n += snprintf(params + n, 16 * 1024 - (size_t)n, "%s%ld", k ? "," : "", expect[k]);
	snprintf(params + n, 16 * 1024 - (size_t)n, "]}");
	json_t *by_hand = sfx_call(S, "whatif", params);
	free(params);
	print_message("GM0599 fails: %d local sites, %.0f residents lost (by hand %.0f)\n", ne,
		      num(r, "lost"), num(by_hand, "lost"));
	assert_true(num(r, "lost") > 0);
	assert_true(fabs(num(r, "lost") - num(by_hand, "lost")) < 1e-6);
	/* replacements: outside GM0599, each gaining no more weight than the one before */
	json_t *rep = json_object_get(json_object_get(r, "failed"), "replacements"), *p;
	size_t k;
	double last = INFINITY;
	assert_int_equal(json_array_size(rep), 4);
	json_array_foreach(rep, k, p) {
		long long c = json_integer_value(json_object_get(p, "candidate"));
		assert_true(c >= 0 && (size_t)c < S->cand.n);
		assert_true(S->cand.gemeente[c] != gm);
		assert_true(num(p, "gain_residents") > 0);
		assert_true(num(p, "gain_weight") <= last + 1e-9);   /* greedy on weight */
		last = num(p, "gain_weight");
	}
	json_decref(r);
	json_decref(by_hand);
}

/* A square of side 3 km around the 10th local site, drawn in lon/lat from its RD corners:
 * exactly the sites inside the RD square fail. */
static void test_fail_polygon(void **state)
{
	(void)state;
	const struct served_site *c = &S->sites[9];
	double x0 = c->x - 1500, y0 = c->y - 1500, x1 = c->x + 1500, y1 = c->y + 1500;
	double corner[5][2] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
	char params[1024], why[128];
	int n = snprintf(params, sizeof params, "{\"fail\":{\"polygon\":{\"type\":\"Polygon\","
			 "\"coordinates\":[[");
	for (int k = 0; k < 5; k++) {
		double lat, lon;
		assert_int_equal(crs_rd_to_etrs89(S->crs, corner[k][0], corner[k][1], &lat, &lon,
						  why, sizeof why), 0);
		n += snprintf(params + n, sizeof params - (size_t)n, "%s[%.9f,%.9f]", k ? "," : "",
			      lon, lat);
	}
	snprintf(params + n, sizeof params - (size_t)n, "]]}},\"replace\":0}");
	json_t *r = sfx_call(S, "whatif", params);
	long got[512];
	int ng = failed_seqs(r, got, 512), ne = 0, regional = 0;
	for (size_t k = 0; k < S->nsites; k++) {
		const struct served_site *x = &S->sites[k];
		int in = x->x > x0 && x->x < x1 && x->y > y0 && x->y < y1;
		assert_false(fabs(x->x - x0) < 0.01 || fabs(x->x - x1) < 0.01);   /* not on an edge */
		ne += in && x->level == 1;
		regional += in && x->level == 2;
		for (int q = 0; in && x->level == 1 && q < ng; q++)
			in = got[q] != x->seq;
		assert_false(in && x->level == 1);     /* every local site inside is listed */
	}
	print_message("polygon: %d local and %d regional sites inside, %.0f residents lost\n", ne,
		      regional, num(r, "lost"));
	assert_int_equal(ng, ne);
	assert_int_equal((int)num(json_object_get(r, "failed"), "regional_sites"), regional);
	assert_true(ne >= 1);
	assert_int_equal(json_array_size(json_object_get(json_object_get(r, "failed"),
							 "replacements")), 0);
	json_decref(r);
}

/* Hazard layer "flood": a 4 km RD square around the 20th local site, imported after the
 * plan and loaded with it (a model loaded anew): exactly the sites inside fail. */
static void test_fail_hazard(void **state)
{
	(void)state;
	const struct served_site *c = &S->sites[19];
	double x0 = c->x - 2000.5, y0 = c->y - 2000.5, x1 = x0 + 4000, y1 = y0 + 4000;
	char json[700], path[400];
	int n = snprintf(json, sizeof json, "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":"
			 "\"name\",\"properties\":{\"name\":\"EPSG:28992\"}},\"features\":[{"
			 "\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
			 "[[[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f]]]}}]}", x0, y0,
			 x1, y0, x1, y1, x0, y1, x0, y0);
	tu_write_file(W.dir, "flood.geojson", json, (size_t)n, path, sizeof path);
	struct hazard_import_options opt = {NULL, NULL, NULL};
	struct hazard_import_report rep;
	assert_int_equal(hazard_import(W.db, "flood", path, &opt, &rep, W.err, sizeof W.err), 0);
	sfx_expect_error(S, "whatif", "{\"fail\":{\"hazard\":\"flood\"}}", -32602,
			 "hazard layer flood is not imported");   /* S was loaded before */
	struct served *s2 = sfx_load(&W);
	json_t *r = sfx_call(s2, "whatif", "{\"fail\":{\"hazard\":\"flood\"},\"replace\":0}");
	long got[512];
	int ng = failed_seqs(r, got, 512), ne = 0, regional = 0;
	for (size_t k = 0; k < s2->nsites; k++) {
		const struct served_site *x = &s2->sites[k];
		int in = x->x > x0 && x->x < x1 && x->y > y0 && x->y < y1;
		ne += in && x->level == 1;
		regional += in && x->level == 2;
	}
	print_message("hazard: %d local and %d regional sites inside\n", ne, regional);
	assert_true(ne >= 1);
	assert_int_equal(ng, ne);
	assert_int_equal((int)num(json_object_get(r, "failed"), "regional_sites"), regional);
	json_decref(r);
	sfx_expect_error(s2, "whatif", "{\"fail\":{\"hazard\":\"dike\"}}", -32602,
			 "hazard layer dike is not imported");
	sfx_expect_error(s2, "whatif", "{\"fail\":{\"hazard\":7}}", -32602,
			 "fail.hazard must be a hazard layer's name");
	served_free(s2);
}

static void test_fail_errors(void **state)
{
	(void)state;
	static const struct { const char *params, *needle; } cases[] = {
		{"{\"fail\":{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[4.40,51.90],"
		 "[4.50,51.95],[4.50,51.90],[4.40,51.95],[4.40,51.90]]]}}}",
		 "not a valid polygon: Self-intersection at RD"},
		{"{\"fail\":{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[-3,40],[-2,40],"
		 "[-2,41],[-3,41],[-3,40]]]}}}", "outside the Netherlands"},
		{"{\"fail\":{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[6.50,53.20],"
		 "[6.60,53.20],[6.60,53.25],[6.50,53.25],[6.50,53.20]]]}}}",
		 "holds none of the plan's sites and residents"},
		{"{\"fail\":{\"polygon\":{\"type\":\"Point\",\"coordinates\":[4.4,51.9]}}}",
		 "must be a GeoJSON geometry of type \"Polygon\" or \"MultiPolygon\""},
		{"{\"fail\":{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[4.4,51.9],"
		 "[4.5,51.9],[4.4,51.9],[4.4,51.9]]]}}}", "not a valid polygon"},
		{"{\"fail\":{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[4.4,51.9],"
		 "[4.40005,51.9],[4.40005,51.90005],[4.4,51.9]]]}}}", "no area to speak of"},
		{"{\"fail\":{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[4.4,51.9],"
		 "[4.5,51.9],[4.5,52.0],[4.4,52.0]]]}}}", "ring 0 is not closed"},
		{"{\"fail\":{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[4.4,51.9],"
		 "[4.5,51.9],[4.4,51.9]]]}}}", "ring 0 must be an array of at least 4 positions"},
		{"{\"fail\":{\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[\"4.4\",51.9],"
		 "[4.5,51.9],[4.5,52.0],[4.4,52.0],[4.4,51.9]]]}}}",
		 "ring 0 position 0 must be [lon, lat] numbers"},
		{"{\"fail\":{\"polygon\":{\"type\":\"MultiPolygon\",\"coordinates\":[]}}}",
		 "a MultiPolygon's coordinates must be a non-empty array of polygons"},
		{"{\"fail\":{\"region\":\"GM0599\",\"polygon\":{}}}",
		 "\"fail\" must be an object with one of"},
		{"{\"fail\":{\"gemeente\":\"GM0599\"}}", "fail: unknown member \"gemeente\""},
		{"{\"fail\":{\"region\":\"GM9999\"}}", "GM9999"},
		{"{\"fail\":{\"region\":\"GM0599\"},\"replace\":21}", "\"replace\" must be an integer 0..20"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		print_message("case %zu\n", k);
		sfx_expect_error(S, "whatif", cases[k].params,
				 strcmp(cases[k].needle, "GM9999") == 0 ? RPC_NOT_FOUND
									: RPC_INVALID_PARAMS,
				 cases[k].needle);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail_gemeente),
		cmocka_unit_test(test_fail_polygon),
		cmocka_unit_test(test_fail_errors),
		cmocka_unit_test(test_fail_hazard),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
