/* The served model against the planner, on a hand-made dataset: served_load prepares the
 * demand and candidates exactly as the plan was computed (with generated candidates or
 * without, for the nation or a scope), reads the stored parameters with the one schema,
 * loads parameters as older versions wrote them and names a bad stored key. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/config.h"
#include "jobs/import.h"
#include "jobs/plan_run.h"
#include "model/served.h"
#include "plan/params.h"
#include "tests/lib/fixture.h"
#include "tests/lib/testutil.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ERR_MAX 4096

/* ---- the dataset: three municipalities in two safety regions ---- */

static const struct fx_region regions[] = {
	{ "VR01", "Noord", 150000, 450000, 4000, NULL },
	{ "VR02", "Zuid", 154000, 450000, 4000, NULL },
};

static const struct fx_area gemeenten[] = {
	{ "GM0001", "Aastad", NULL, NULL, 0, 1000, 1, 150000, 450000, 2000, NULL },
	{ "GM0002", "Beedorp", NULL, NULL, 0, 2000, 2, 152000, 450000, 2000, NULL },
	{ "GM0003", "Ceeveen", NULL, NULL, 0, 3000, 4, 154000, 450000, 4000, NULL },
};

static const struct fx_area wijken[] = {
	{ "WK000101", "Aa-Noord", "GM0001", NULL, 0, 400, 1, 150000, 450000, 1000, NULL },
	{ "WK000102", "Aa-Zuid", "GM0001", NULL, 0, 600, 2, 151000, 450000, 1000, NULL },
	{ "WK000201", "Bee", "GM0002", NULL, 0, 2000, 2, 152000, 450000, 2000, NULL },
	{ "WK000301", "Cee", "GM0003", NULL, 0, 3000, 4, 154000, 450000, 4000, NULL },
};

static const struct fx_member members[] = {
	{ "GM0001", "Aastad", "VR01", "Noord" },
	{ "GM0002", "Beedorp", "VR01", "Noord" },
	{ "GM0003", "Ceeveen", "VR02", "Zuid" },
};

/* Kazerne lies 3 km east of VR01's last municipality: outside a VR01 plan. */
static const struct fx_site sites[] = {
	{ "School A", "school", 150500, 450500, 0 },
	{ "School B", "school", 151500, 451500, 1 },
	{ "Buurthuis", "community_centre", 152500, 451000, 0 },
	{ "Kazerne", "fire_station", 157000, 451000, 0 },
};

static struct {
	char dir[256], db[300];
} W;

static int setup(void **state)
{
	char data[300], p[300], err[ERR_MAX];
	const char *paths[1] = { data };
	struct import_report rep;
	(void)state;
	tu_mkdtemp(W.dir, sizeof W.dir);
	snprintf(data, sizeof data, "%s/data", W.dir);
	snprintf(W.db, sizeof W.db, "%s/hub.db", W.dir);
	if (mkdir(data, 0700) < 0)
		return -1;
	struct fx_gpkg *g = fx_gpkg_create(data, "wijkbuurtkaart.gpkg", NULL, 0);
	fx_area_layer(g, "gemeenten", 28992, gemeenten, N(gemeenten));
	fx_area_layer(g, "wijken", 28992, wijken, N(wijken));
	fx_gpkg_close(g);
	g = fx_gpkg_create(data, "regions.gpkg", NULL, 0);
	fx_region_layer(g, regions, N(regions));
	fx_gpkg_close(g);
	g = fx_gpkg_create(data, "scholen.gpkg", NULL, 0);
	fx_site_layer(g, "scholen", 28992, sites, N(sites));
	fx_gpkg_close(g);
	fx_write_memberships(data, "members.csv", members, N(members), p, sizeof p);
	int rc = import_paths(W.db, paths, 1, NULL, &rep, err, sizeof err);
	import_report_free(&rep);
	if (rc < 0)
		fprintf(stderr, "import: %s\n", err);
	return rc < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(W.dir);
	return 0;
}

/* The configuration of these tests: the defaults, this database, a short search and the
 * [plan] lines given (config keys as a user writes them). */
static void make_config(struct config *cfg, const char *plan_lines)
{
	char text[1024], err[ERR_MAX];
	config_defaults(cfg);
	snprintf(text, sizeof text, "[store]\ndatabase = %s\n[proj]\ngrid_dir = %s\n[plan]\n"
		 "search_time_s = 1\n%s", W.db, HUB_PROJ_DIR, plan_lines);
	if (config_parse_string(cfg, "test.conf", text, err, sizeof err) < 0)
		fail_msg("config: %s", err);
}

/* Plans with cfg (scope NULL = the nation) and loads the served model of that plan. */
static void plan_and_serve(const struct config *cfg, const char *scope, struct plan_result *r,
			   struct served **s)
{
	struct plan_run_options opt = { NULL, scope, NULL, 1, NULL };   /* fresh: candidates as prepared */
	struct plan_run_info info;
	char err[ERR_MAX];
	if (plan_run(cfg, NULL, &opt, r, &info, err, sizeof err) < 0)
		fail_msg("plan_run: %s", err);
	if (served_load(cfg, s, err, sizeof err) < 0)
		fail_msg("served_load: %s", err);
	assert_int_equal((*s)->plan_id, info.plan_id);
}

/* The served model's candidates are the planner's local candidates, one for one. */
static void expect_same_candidates(const struct candidates *plan, const struct candidates *srv)
{
	assert_int_equal(srv->n, plan->n);
	for (size_t j = 0; j < plan->n; j++) {
		assert_true(srv->xy[2 * j] == plan->xy[2 * j]);
		assert_true(srv->xy[2 * j + 1] == plan->xy[2 * j + 1]);
		assert_int_equal(srv->origin[j], plan->origin[j]);
		assert_int_equal(srv->fixed[j], plan->fixed[j]);
		assert_int_equal(srv->gemeente[j], plan->gemeente[j]);
		assert_int_equal(srv->site_id[j], plan->site_id[j]);
	}
}

static size_t count_origin(const struct candidates *c, enum cand_origin origin)
{
	size_t n = 0;
	for (size_t j = 0; j < c->n; j++)
		n += c->origin[j] == origin;
	return n;
}

/* ---- served_load and the planner agree ---- */

static void test_candidates_without_generated(void **state)
{
	struct config cfg;
	struct plan_result r;
	struct served *s = NULL;
	(void)state;
	make_config(&cfg, "generate_candidates = 0\n");
	plan_and_serve(&cfg, NULL, &r, &s);
	assert_int_equal(r.local.cand.n, N(sites) - 1);     /* a fire station is not local_kinds */
	assert_int_equal(count_origin(&s->cand, CAND_SITE), s->cand.n);
	expect_same_candidates(&r.local.cand, &s->cand);
	assert_int_equal(s->params.generate_candidates, 0);
	plan_result_free(&r);
	served_free(s);
}

static void test_candidates_generated(void **state)
{
	struct config cfg;
	struct plan_result r;
	struct served *s = NULL;
	(void)state;
	make_config(&cfg, "generate_candidates = 1\ncandidate_block_m = 300\n");
	plan_and_serve(&cfg, NULL, &r, &s);
	assert_true(r.local.cand.n > N(sites));
	expect_same_candidates(&r.local.cand, &s->cand);
	assert_true(s->params.block_m == 300);
	assert_int_equal(s->demand.n, r.demand.n);
	plan_result_free(&r);
	served_free(s);
}

/* A VR01 plan leaves out Kazerne (3 km outside it): so must the served model. */
static void test_candidates_scoped(void **state)
{
	static const char *const lines[] = { "generate_candidates = 0\n",
					     "generate_candidates = 1\n" };
	(void)state;
	for (size_t k = 0; k < N(lines); k++) {
		struct config cfg;
		struct plan_result r;
		struct served *s = NULL;
		make_config(&cfg, lines[k]);
		plan_and_serve(&cfg, "VR01", &r, &s);
		assert_string_equal(s->scope, "VR01");
		assert_int_equal(count_origin(&r.local.cand, CAND_SITE), N(sites) - 1);
		expect_same_candidates(&r.local.cand, &s->cand);
		assert_int_equal(s->demand.n, r.demand.n);
		plan_result_free(&r);
		served_free(s);
	}
}

/* ---- the stored parameters ---- */

/* The text the plan store writes for these settings: the base commit's, with the site
 * kinds, care generators and spread_layer of #14 (plans stored without them read as every
 * kind, no sizing and "none"), and backup_sites of #16 (absent: 0). */
static const char stored_defaults[] =
	"{\"backup_sites\":0,\"bound_iterations\":200,\"candidate_block_m\":500,\"care_kva\":20.0,"
	"\"care_kva_per_person\":1.0,\"care_weight\":4.0,\"coverage_target_pct\":99.0,"
	"\"detour_factor\":1.0,\"exact_regions\":\"\",\"exact_time_limit_s\":60,"
	"\"generate_candidates\":0,\"generator_eur_per_kva\":500.0,"
	"\"local_kinds\":\"school,town_hall,community_centre,church,other\",\"local_mode\":\"target\","
	"\"local_radius_m\":[750.0,1000.0,1500.0,2500.0,5000.0],\"local_sites\":4500,"
	"\"max_residents_per_site\":5000.0,\"regional_block_m\":1000,"
	"\"regional_kinds\":\"fire_station/vrijwillig,fire_station/beroeps\","
	"\"regional_radius_m\":[5000.0,5000.0,5000.0,10000.0,10000.0],\"regional_sites\":1000,"
	"\"sample_spacing_rural_m\":500,\"sample_spacing_urban_m\":200,\"scope\":null,"
	"\"search_time_s\":1,\"seed\":1,\"spread_layer\":\"auto\",\"weight_65plus\":0.5,"
	"\"weight_medical\":4.0,"
	"\"weight_no_car\":0.3}";

static void set_stored_params(int64_t plan_id, const char *json)
{
	char sql[2048];
	snprintf(sql, sizeof sql, "UPDATE plans SET params = '%s' WHERE id = %lld", json,
		 (long long)plan_id);
	fx_sqlite_exec(W.db, sql);
}

static void test_params_stored_text(void **state)
{
	struct config cfg;
	struct plan_result r;
	struct served *s = NULL;
	(void)state;
	make_config(&cfg, "generate_candidates = 0\n");
	plan_and_serve(&cfg, NULL, &r, &s);
	assert_string_equal(s->params_json, stored_defaults);
	assert_null(s->scope);
	for (int k = 0; k < 5; k++) {
		assert_true(s->params.local_radius_m[k] == cfg.local_radius_m[k]);
		assert_true(s->params.regional_radius_m[k] == cfg.regional_radius_m[k]);
	}
	assert_true(s->params.demand.assign_max_m == PLAN_ASSIGN_MAX_M);
	assert_true(s->params.weight_medical == cfg.weight_medical);
	plan_result_free(&r);
	served_free(s);
}

/* Plans stored before scopes existed have no "scope" key: the nation; before spreading
 * no "spread_layer": none. */
static void test_params_before_scopes(void **state)
{
	struct config cfg;
	struct plan_result r;
	struct served *s = NULL;
	char err[ERR_MAX], old[sizeof stored_defaults];
	(void)state;
	make_config(&cfg, "generate_candidates = 0\n");
	plan_and_serve(&cfg, "VR01", &r, &s);
	int64_t id = s->plan_id;
	served_free(s);
	char *at = strstr(strcpy(old, stored_defaults), "\"scope\":null,");
	memmove(at, at + strlen("\"scope\":null,"), strlen(at + strlen("\"scope\":null,")) + 1);
	const char *layer = "\"spread_layer\":\"auto\",";
	at = strstr(old, layer);
	memmove(at, at + strlen(layer), strlen(at + strlen(layer)) + 1);
	/* nor site kinds: every kind is a candidate, the fire station too */
	static const char *const kinds[] = {
		"\"local_kinds\":\"school,town_hall,community_centre,church,other\",",
		"\"regional_kinds\":\"fire_station/vrijwillig,fire_station/beroeps\",",
	};
	for (size_t k = 0; k < N(kinds); k++) {
		at = strstr(old, kinds[k]);
		assert_non_null(at);
		memmove(at, at + strlen(kinds[k]), strlen(at + strlen(kinds[k])) + 1);
	}
	set_stored_params(id, old);
	assert_int_equal(served_load(&cfg, &s, err, sizeof err), 0);
	assert_null(s->scope);
	assert_int_equal(s->nareas, N(gemeenten) + N(wijken));   /* not VR01's five */
	assert_int_equal(s->cand.n, N(sites));
	/* ... nor spread_layer: planned before spreading, so served without it. */
	assert_string_equal(s->params.demand.spread_layer, "none");
	plan_result_free(&r);
	served_free(s);
}

/* One bad stored key at a time: served_load refuses the plan and names the key. */
static void test_params_bad(void **state)
{
	static const struct { const char *from, *to, *needle; } cases[] = {
		{ "\"detour_factor\":1.0,", "", "detour_factor: missing" },
		{ "\"detour_factor\":1.0", "\"detour_factor\":0.5", "detour_factor: 0.5 is below 1" },
		{ "[750.0,1000.0,1500.0,2500.0,5000.0]", "[750.0,1000.0]",
		  "local_radius_m: not an array of 5 numbers" },
		{ "\"target\"", "\"most\"", "local_mode: not \"target\" or \"budget\"" },
		{ "\"seed\":1", "\"seed\":1.5", "seed: not an integer" },
		{ "\"candidate_block_m\":500", "\"candidate_block_m\":\"500\"",
		  "candidate_block_m: not a number" },
		{ "\"scope\":null", "\"scope\":3", "scope: not a string or null" },
		{ "\"spread_layer\":\"auto\"", "\"spread_layer\":3", "spread_layer: not a string" },
		{ "{", "[", "stored parameters are unreadable" },
	};
	struct config cfg;
	struct plan_result r;
	struct served *s = NULL;
	(void)state;
	make_config(&cfg, "generate_candidates = 0\n");
	plan_and_serve(&cfg, NULL, &r, &s);
	int64_t id = s->plan_id;
	served_free(s);
	for (size_t k = 0; k < N(cases); k++) {
		char text[1024], err[ERR_MAX] = "";
		const char *at = strstr(stored_defaults, cases[k].from);
		assert_non_null(at);
		snprintf(text, sizeof text, "%.*s%s%s", (int)(at - stored_defaults), stored_defaults,
			 cases[k].to, at + strlen(cases[k].from));
		set_stored_params(id, text);
		s = NULL;
		assert_int_equal(served_load(&cfg, &s, err, sizeof err), -EINVAL);
		assert_null(s);
		if (!strstr(err, cases[k].needle))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", k, err, cases[k].needle);
	}
	plan_result_free(&r);
}

/* to_json then from_json gives back every stored field and the scope. */
static void test_params_round_trip(void **state)
{
	struct config cfg;
	struct plan_params p, q;
	json_t *j = NULL;
	char *scope = NULL, err[256];
	(void)state;
	make_config(&cfg, "local_mode = budget\nseed = 2147483647\ndetour_factor = 1.25\n"
		    "candidate_block_m = 700\nweight_medical = 2.5\nhazard_exclude = flood_a,dike_16\n"
		    "hazard_flag = evac\n");
	plan_params_from_config(&cfg, &p);
	assert_int_equal(plan_params_to_json(&p, "GM0001,VR02", &j), 0);
	assert_int_equal(json_object_size(j), plan_param_count);
	assert_int_equal(plan_params_from_json(j, &q, &scope, err, sizeof err), 0);
	assert_string_equal(scope, "GM0001,VR02");
	assert_int_equal(q.mode, PLAN_MODE_BUDGET);
	assert_int_equal(q.seed, 2147483647u);
	assert_string_equal(q.hazard_exclude, "flood_a,dike_16");
	assert_string_equal(q.hazard_flag, "evac");
	assert_true(q.detour_factor == 1.25 && q.block_m == 700 && q.weight_medical == 2.5);
	assert_int_equal(q.local_sites, p.local_sites);
	assert_int_equal(q.bound_iterations, p.bound_iterations);
	assert_true(memcmp(&q.demand, &p.demand, sizeof q.demand) == 0);
	assert_true(memcmp(q.local_radius_m, p.local_radius_m, sizeof q.local_radius_m) == 0);
	for (size_t i = 0; i < plan_param_count; i++) {
		const struct plan_param *e = &plan_param_table[i];
		assert_ptr_equal(plan_param_find(e->key), e);
		/* the report labels every parameter in both languages */
		assert_non_null(e->label_nl);
		assert_non_null(e->unit_nl);
		assert_true(e->label[0] && e->label_nl[0] && strcmp(e->label, e->label_nl) != 0);
		assert_int_equal(!e->unit[0], !e->unit_nl[0]);
	}
	assert_null(plan_param_find("radius"));
	free(scope);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_candidates_without_generated),
		cmocka_unit_test(test_candidates_generated),
		cmocka_unit_test(test_candidates_scoped),
		cmocka_unit_test(test_params_stored_text),
		cmocka_unit_test(test_params_before_scopes),
		cmocka_unit_test(test_params_bad),
		cmocka_unit_test(test_params_round_trip),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
