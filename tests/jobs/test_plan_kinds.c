/* Site kinds through the planner on the bundled real data (VR17), with fire stations, town
 * halls, care institutions and a hospital added by SQL at positions the first plan chose
 * (so inside the scope): the regional level takes only the fire stations of regional_kinds
 * and generated positions where none reaches, flagged in plan_sites and the summary; the
 * local level only local_kinds; the summary's kinds match the stored sites; care sites get
 * generators by the sizing rule, hospitals are counted, and a tight budget funds by score. */
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

#include "config/config.h"
#include "jobs/plan_run.h"
#include "tests/lib/fixture.h"
#include "tests/lib/bundled_fx.h"
#include "tests/lib/testutil.h"

#define DEFAULT_REGIONAL "fire_station/vrijwillig,fire_station/beroeps"
#define DEFAULT_LOCAL "school,town_hall,community_centre,church,other"
/* The smallest default regional radius (every class reaches at least this far). */
#define REGIONAL_MIN_M 5000.0

static struct {
	char dir[256], db[300];
	struct config cfg;
	char err[4096];
} W;

static long long q(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static long long q(const char *fmt, ...)
{
	char sql[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	return tu_sql_int(W.db, sql, 0);
}

static void exec(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void exec(const char *fmt, ...)
{
	char sql[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	fx_sqlite_exec(W.db, sql);
}

/* The first column of the first row of sql as a double (NAN when there is no row). */
static double qd(const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	double v = NAN;
	assert_int_equal(sqlite3_open_v2(W.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* A fresh plan of VR17 with W.cfg; its summary printed into text (may be NULL). */
static long long plan(char *text, size_t len)
{
	FILE *f = text ? tmpfile() : NULL;
	struct plan_run_options opt = {NULL, "VR17", f, 1, NULL};
	struct plan_result r;
	struct plan_run_info info;
	int rc = plan_run(&W.cfg, NULL, &opt, &r, &info, W.err, sizeof W.err);
	plan_result_free(&r);
	if (rc < 0)
		fail_msg("plan: %s", W.err);
	if (f) {
		rewind(f);
		size_t n = fread(text, 1, len - 1, f);
		text[n] = '\0';
		fclose(f);
	}
	return (long long)info.plan_id;
}

static void reset_cfg(void)
{
	config_defaults(&W.cfg);
	snprintf(W.cfg.database, sizeof W.cfg.database, "%s", W.db);
	W.cfg.search_time_s = 1;
}

/* Removes every site a test added (source 'test'). */
static void clear_test_sites(void)
{
	exec("DELETE FROM sites WHERE source = 'test'");
}

static void add_site(const char *id, const char *kind, const char *subkind, long long spot,
		     double dx, const char *beds, const char *ic_beds, const char *clients)
{
	exec("INSERT INTO sites(source, source_id, name, kind, subkind, x_rd, y_rd, fixed, beds,"
	     " ic_beds, clients) SELECT 'test', '%s', 'Test %s', '%s', %s%s%s, x_rd + %g, y_rd,"
	     " 0, %s, %s, %s FROM test_spots WHERE n = %lld", id, id, kind,
	     subkind ? "'" : "", subkind ? subkind : "NULL", subkind ? "'" : "", dx, beds, ic_beds,
	     clients, spot);
	assert_int_equal(q("SELECT count(*) FROM sites WHERE source = 'test' AND source_id = '%s'",
			   id), 1);
}

/* Spots: the positions of the schools the first plan chose at the local level, numbered
 * 1.. west to east; all lie in VR17, so sites placed there are in the scope. */
static int setup(void **state)
{
	(void)state;
	if (bfx_import(W.dir, sizeof W.dir, W.db, sizeof W.db) < 0)
		fail_msg("import failed");
	reset_cfg();
	long long p = plan(NULL, 0);
	exec("CREATE TABLE test_spots(n INTEGER PRIMARY KEY, x_rd REAL, y_rd REAL);"
	     "INSERT INTO test_spots(x_rd, y_rd) SELECT x_rd, y_rd FROM plan_sites WHERE"
	     " plan_id = %lld AND level = 1 AND site_id IS NOT NULL ORDER BY x_rd, y_rd", p);
	assert_true(q("SELECT count(*) FROM test_spots") >= 40);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(W.dir);
	return 0;
}

static long long count_spots(void)
{
	return q("SELECT count(*) FROM test_spots");
}

/* Regional plan sites of plan at an imported site whose site is not of kinds (an SQL list
 * of (kind, subkind) pairs, e.g. "('fire_station','vrijwillig')"). */
static long long regional_not_of(long long p, const char *pairs)
{
	return q("SELECT count(*) FROM plan_sites p LEFT JOIN sites s ON s.id = p.site_id WHERE"
		 " p.plan_id = %lld AND p.level = 2 AND p.origin = 0 AND (s.id IS NULL OR"
		 " (s.kind, coalesce(s.subkind, '')) NOT IN (VALUES %s))", p, pairs);
}

static long long generated(long long p, int level)
{
	/* a generated position never names a site */
	assert_int_equal(q("SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND origin <> 0"
			   " AND site_id IS NOT NULL", p), 0);
	return q("SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND level = %d AND"
		 " origin <> 0", p, level);
}

/* The summary's kinds at level ("local" or "regional") equal the stored sites by kind. */
static void assert_kinds_match(long long p, const char *level, int lv)
{
	const char *groups = "SELECT CASE WHEN p.origin <> 0 THEN 'generated' ELSE"
			     " coalesce(s.kind, 'other') END AS k, count(*) AS n FROM plan_sites p"
			     " LEFT JOIN sites s ON s.id = p.site_id WHERE p.plan_id = %lld AND"
			     " p.level = %d GROUP BY k";
	char g[600];
	snprintf(g, sizeof g, groups, p, lv);
	long long ngroups = q("SELECT count(*) FROM (%s)", g);
	assert_true(ngroups > 0);
	assert_int_equal(q("SELECT count(*) FROM json_each((SELECT summary FROM plans WHERE"
			   " id = %lld), '$.kinds.%s')", p, level), ngroups);
	assert_int_equal(q("SELECT count(*) FROM (%s) t WHERE coalesce(json_extract((SELECT"
			   " summary FROM plans WHERE id = %lld), '$.kinds.%s.' || t.k), -1) <>"
			   " t.n", g, p, level), 0);
}

static long long summary_int(long long p, const char *path)
{
	return q("SELECT json_extract(summary, '%s') FROM plans WHERE id = %lld", path, p);
}

/* (c) no fire station at all: every regional site is a generated position. */
static void test_no_fire_station(void **state)
{
	(void)state;
	clear_test_sites();
	reset_cfg();
	long long p = plan(NULL, 0);
	long long n = q("SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND level = 2", p);
	assert_true(n > 0);
	assert_int_equal(generated(p, 2), n);
	assert_int_equal(summary_int(p, "$.regional.generated_sites"), n);
	assert_int_equal(summary_int(p, "$.regional.covered_by_sites"), 0);
	assert_int_equal(summary_int(p, "$.kinds.regional.generated"), n);
}

/* (a, b) fire stations in the east only (a volunteer station at every third spot east of
 * x 85 km, and one of another subkind in the far west): the regional sites are those
 * stations and generated positions, each farther than the smallest regional radius from
 * every station; the summary counts the generated ones. */
static void test_fire_stations_east(void **state)
{
	(void)state;
	char text[16384], line[200];
	clear_test_sites();
	reset_cfg();
	exec("INSERT INTO sites(source, source_id, name, kind, subkind, x_rd, y_rd, fixed)"
	     " SELECT 'test', 'fs' || n, 'Kazerne ' || n, 'fire_station', 'vrijwillig', x_rd + 7,"
	     " y_rd, 0 FROM test_spots WHERE x_rd > 85000 AND n %% 3 = 0");
	long long nst = q("SELECT count(*) FROM sites WHERE source = 'test'");
	assert_true(nst >= 3);
	add_site("other1", "fire_station", "oefencentrum", 1, 7, "NULL", "NULL", "NULL");
	long long p = plan(text, sizeof text);

	assert_int_equal(regional_not_of(p, "('fire_station','vrijwillig')"), 0);
	long long stations = q("SELECT count(*) FROM plan_sites p JOIN sites s ON s.id = p.site_id"
			       " WHERE p.plan_id = %lld AND p.level = 2", p);
	long long gen = generated(p, 2);
	assert_true(stations > 0);
	assert_true(gen > 0);
	assert_int_equal(q("SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND level = 2",
			   p), stations + gen);
	/* the station of another subkind is no candidate */
	assert_int_equal(q("SELECT count(*) FROM plan_sites p JOIN sites s ON s.id = p.site_id"
			   " WHERE p.plan_id = %lld AND s.source_id = 'other1'", p), 0);
	/* every generated position is out of reach of every station of regional_kinds */
	assert_int_equal(q("SELECT count(*) FROM plan_sites p, sites s WHERE p.plan_id = %lld AND"
			   " p.level = 2 AND p.origin <> 0 AND s.kind = 'fire_station' AND"
			   " s.subkind = 'vrijwillig' AND (p.x_rd - s.x_rd) * (p.x_rd - s.x_rd) +"
			   " (p.y_rd - s.y_rd) * (p.y_rd - s.y_rd) <= %.0f", p,
			   REGIONAL_MIN_M * REGIONAL_MIN_M), 0);
	assert_int_equal(summary_int(p, "$.regional.generated_sites"), gen);
	assert_int_equal(summary_int(p, "$.regional.sites"), stations + gen);
	double by_sites = qd("SELECT json_extract(summary, '$.regional.covered_by_sites') FROM plans"
			     " ORDER BY id DESC LIMIT 1");
	double covered = qd("SELECT json_extract(summary, '$.regional.covered_weight') FROM plans"
			    " ORDER BY id DESC LIMIT 1");
	assert_true(by_sites > 0);
	assert_true(by_sites < covered);
	assert_int_equal(summary_int(p, "$.kinds.regional.fire_station"), stations);
	assert_int_equal(summary_int(p, "$.kinds.regional.generated"), gen);
	assert_kinds_match(p, "regional", 2);
	assert_kinds_match(p, "local", 1);
	/* the printed summary says so */
	snprintf(line, sizeof line, "\n          %lld of them at generated positions (no site of"
		 " regional_kinds reaches there)", gen);
	assert_non_null(strstr(text, line));
	snprintf(line, sizeof line, "\nregional  by kind: fire_station %lld (", stations);
	assert_non_null(strstr(text, line));
}

/* (c) regional_kinds = school: the imported regional sites are schools, and generated
 * positions lie out of reach of every school the first plan chose (all in the scope). */
static void test_regional_schools(void **state)
{
	(void)state;
	clear_test_sites();
	reset_cfg();
	exec("INSERT INTO sites(source, source_id, name, kind, subkind, x_rd, y_rd, fixed)"
	     " SELECT 'test', 'fs' || n, 'Kazerne ' || n, 'fire_station', 'vrijwillig', x_rd + 7,"
	     " y_rd, 0 FROM test_spots WHERE n %% 5 = 0");
	snprintf(W.cfg.regional_kinds, sizeof W.cfg.regional_kinds, "school");
	long long p = plan(NULL, 0);
	long long n = q("SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND level = 2", p);
	long long schools = q("SELECT count(*) FROM plan_sites p JOIN sites s ON s.id = p.site_id"
			      " WHERE p.plan_id = %lld AND p.level = 2 AND s.kind = 'school'", p);
	long long gen = generated(p, 2);
	assert_true(schools > 0);
	assert_int_equal(schools + gen, n);
	assert_int_equal(q("SELECT count(*) FROM plan_sites p, test_spots t WHERE p.plan_id = %lld"
			   " AND p.level = 2 AND p.origin <> 0 AND (p.x_rd - t.x_rd) * (p.x_rd -"
			   " t.x_rd) + (p.y_rd - t.y_rd) * (p.y_rd - t.y_rd) <= %.0f", p,
			   REGIONAL_MIN_M * REGIONAL_MIN_M), 0);
	assert_int_equal(summary_int(p, "$.regional.generated_sites"), gen);
	assert_int_equal(summary_int(p, "$.kinds.regional.school"), schools);
	assert_kinds_match(p, "regional", 2);
	/* the stored parameters record the lists */
	assert_int_equal(q("SELECT json_extract(params, '$.regional_kinds') = 'school' FROM plans"
			   " WHERE id = %lld", p), 1);
}

/* (d) town halls at ten spots (30 m from the school there): candidates with the default
 * local_kinds, absent with local_kinds = school. */
static void test_local_kinds(void **state)
{
	(void)state;
	char id[16];
	clear_test_sites();
	reset_cfg();
	long long spots = count_spots();
	for (int k = 0; k < 10; k++) {
		snprintf(id, sizeof id, "th%d", k);
		add_site(id, "town_hall", NULL, 1 + k * (spots / 10), 30, "NULL", "NULL", "NULL");
	}
	long long all = plan(NULL, 0);
	assert_int_equal(q("SELECT json_extract(params, '$.local_kinds') = '%s' FROM plans WHERE"
			   " id = %lld", DEFAULT_LOCAL, all), 1);
	assert_kinds_match(all, "local", 1);
	snprintf(W.cfg.local_kinds, sizeof W.cfg.local_kinds, "school");
	long long schools = plan(NULL, 0);
	assert_int_equal(q("SELECT count(*) FROM plan_sites p JOIN sites s ON s.id = p.site_id"
			   " WHERE p.plan_id = %lld AND p.level = 1 AND s.kind <> 'school'",
			   schools), 0);
	assert_int_equal(q("SELECT json_type(summary, '$.kinds.local.town_hall') IS NULL FROM plans"
			   " WHERE id = %lld", schools), 1);
	assert_true(summary_int(schools, "$.kinds.local.school") > 0);
	assert_kinds_match(schools, "local", 1);
	/* the same generated candidates; the ten town halls are the difference */
	assert_int_equal(summary_int(all, "$.local.candidates") -
			 summary_int(schools, "$.local.candidates"), 10);
}

/* A kind of 40 characters (the importer and the configuration accept it) is counted under
 * its own name in the summary, like every other kind. */
#define LONG_KIND "community_centre_with_library_and_square"

static void test_long_kind_counted(void **state)
{
	(void)state;
	char id[16];
	clear_test_sites();
	reset_cfg();
	long long spots = count_spots();
	for (int k = 0; k < 10; k++) {
		snprintf(id, sizeof id, "lk%d", k);
		add_site(id, LONG_KIND, NULL, 1 + k * (spots / 10), 40, "NULL", "NULL", "NULL");
	}
	snprintf(W.cfg.local_kinds, sizeof W.cfg.local_kinds, "%s", LONG_KIND);
	W.cfg.generate_candidates = 0;
	long long p = plan(NULL, 0);
	long long n = q("SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND level = 1", p);
	assert_true(n > 0);
	assert_int_equal(summary_int(p, "$.kinds.local." LONG_KIND), n);
	assert_kinds_match(p, "local", 1);
}

struct care_case {
	const char *id, *beds, *clients;
	double people, kva;
};

static const struct care_case care_cases[] = {
	{"c200", "200", "NULL", 200, 200},
	{"c50", "NULL", "50", 50, 50},
	{"c0", "NULL", "NULL", 0, 20},
	{"c5", "5", "NULL", 5, 20},
	{"c30", "30", "100", 30, 30},     /* beds before clients */
};
#define NCARE (sizeof care_cases / sizeof *care_cases)

static void add_care(void)
{
	long long spots = count_spots();
	for (size_t k = 0; k < NCARE; k++)
		add_site(care_cases[k].id, "care", "vvt", 2 + (long long)k * (spots / 6), 13,
			 care_cases[k].beds, "NULL", care_cases[k].clients);
	add_site("h1", "hospital", NULL, spots / 2, 17, "400", "20", "NULL");
}

/* (e) generators: kva = max(20, beds or clients), EUR 500 per kVA; the hospital counted,
 * without a generator. */
static void test_care_generators(void **state)
{
	(void)state;
	char text[16384];
	clear_test_sites();
	reset_cfg();
	add_care();
	long long p = plan(text, sizeof text);
	assert_int_equal(q("SELECT count(*) FROM plan_generators WHERE plan_id = %lld", p), NCARE);
	for (size_t k = 0; k < NCARE; k++) {
		const struct care_case *c = &care_cases[k];
		char sql[600];
		print_message("%s\n", c->id);
		const char *row = "SELECT %s FROM plan_generators g JOIN sites s ON s.id = g.site_id"
				  " WHERE g.plan_id = %lld AND s.source_id = '%s'";
		snprintf(sql, sizeof sql, row, "g.kva", p, c->id);
		assert_true(fabs(qd(sql) - c->kva) < 1e-9);
		snprintf(sql, sizeof sql, row, "g.cost_eur", p, c->id);
		assert_true(fabs(qd(sql) - 500 * c->kva) < 1e-6);
		snprintf(sql, sizeof sql, row, "coalesce(g.people, 0)", p, c->id);
		assert_true(fabs(qd(sql) - c->people) < 1e-9);
		snprintf(sql, sizeof sql, row, "g.funded", p, c->id);
		assert_true(qd(sql) == 1);   /* the default budget funds everything here */
	}
	assert_int_equal(q("SELECT count(*) FROM plan_generators g JOIN sites s ON s.id = g.site_id"
			   " WHERE g.plan_id = %lld AND s.kind = 'hospital'", p), 0);
	assert_int_equal(summary_int(p, "$.backup.hospitals.count"), 1);
	assert_int_equal(summary_int(p, "$.backup.hospitals.beds"), 400);
	assert_int_equal(summary_int(p, "$.backup.hospitals.ic_beds"), 20);
	assert_int_equal(summary_int(p, "$.backup.care.institutions"), NCARE);
	assert_int_equal(summary_int(p, "$.backup.care_generators"), NCARE);
	assert_int_equal(summary_int(p, "$.backup.care.kva"), 200 + 50 + 20 + 20 + 30);
	assert_int_equal(summary_int(p, "$.backup.care.cost_eur"), 500 * 320);
	assert_non_null(strstr(text, "\ncare generators: 5 institutions (285 beds or clients),"
			       " 320 kVA, EUR 0.2 M; 5 funded"));
	assert_non_null(strstr(text, "hospitals: 1 (400 beds, 20 ventilated IC beds)"));
}

struct item {
	double cost, score;
	int funded;
};

/* Reads the ranked items of plan p: areas with a cost, and generators. */
static size_t read_items(long long p, struct item **out)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0, cap = 64;
	struct item *it = malloc(cap * sizeof *it);
	char sql[400];
	assert_non_null(it);
	snprintf(sql, sizeof sql, "SELECT cost_eur, score, funded FROM plan_backup WHERE plan_id ="
		 " %lld AND cost_eur > 0 UNION ALL SELECT cost_eur, score, funded FROM"
		 " plan_generators WHERE plan_id = %lld", p, p);
	assert_int_equal(sqlite3_open_v2(W.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap *= 2;
			it = realloc(it, cap * sizeof *it);
			assert_non_null(it);
		}
		it[n++] = (struct item){sqlite3_column_double(st, 0), sqlite3_column_double(st, 1),
					sqlite3_column_int(st, 2)};
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	*out = it;
	return n;
}

/* Greedy by score within what the budget leaves after the support points, whatever the
 * order among equal scores: a funded item fits after every funded item of a higher score;
 * an unfunded one does not fit after every funded item of at least its score. */
static void assert_greedy(const struct item *it, size_t n, double left)
{
	double total = 0;
	for (size_t a = 0; a < n; a++) {
		double higher = 0, at_least = 0;
		for (size_t b = 0; b < n; b++) {
			if (b == a || !it[b].funded)
				continue;
			higher += it[b].score > it[a].score ? it[b].cost : 0;
			at_least += it[b].score >= it[a].score ? it[b].cost : 0;
		}
		if (it[a].funded)
			assert_true(higher + it[a].cost <= left + 1e-6);
		else
			assert_true(at_least + it[a].cost > left - 1e-6);
		total += it[a].funded ? it[a].cost : 0;
	}
	assert_true(total <= left + 1e-6);
}

/* (e) a budget just above the support points' cost: ranked by score, best first. */
static void test_care_ranking(void **state)
{
	(void)state;
	clear_test_sites();
	reset_cfg();
	add_care();
	long long p0 = plan(NULL, 0);
	double points = qd("SELECT json_extract(summary, '$.backup.points_cost_eur') FROM plans"
			   " ORDER BY id DESC LIMIT 1");
	assert_true(points > 0);
	(void)p0;
	/* room for one 20 kVA generator (EUR 10,000) and nothing bigger */
	W.cfg.budget_eur = points + 10000 + 1;
	long long p = plan(NULL, 0);
	assert_true(qd("SELECT json_extract(summary, '$.backup.points_cost_eur') FROM plans"
		       " ORDER BY id DESC LIMIT 1") == points);
	struct item *it = NULL;
	size_t n = read_items(p, &it);
	assert_true(n > NCARE);
	assert_greedy(it, n, 10001);
	free(it);
	/* the big generators cannot fit; of the two of EUR 10,000, c0 (ranked as 20 people)
	 * scores above c5 (5 beds), so c5 is never funded */
	assert_int_equal(q("SELECT count(*) FROM plan_generators g JOIN sites s ON s.id = g.site_id"
			   " WHERE g.plan_id = %lld AND g.funded = 1 AND s.source_id IN ('c200',"
			   " 'c50', 'c30', 'c5')", p), 0);
	assert_true(qd("SELECT g.score FROM plan_generators g JOIN sites s ON s.id = g.site_id"
		       " WHERE s.source_id = 'c0' ORDER BY g.plan_id DESC LIMIT 1") >
		    qd("SELECT g.score FROM plan_generators g JOIN sites s ON s.id = g.site_id"
		       " WHERE s.source_id = 'c5' ORDER BY g.plan_id DESC LIMIT 1"));
	assert_int_equal(summary_int(p, "$.backup.care.funded"),
			 q("SELECT count(*) FROM plan_generators WHERE plan_id = %lld AND funded = 1",
			   p));
	/* no budget beyond the points: nothing funded */
	W.cfg.budget_eur = points;
	p = plan(NULL, 0);
	assert_int_equal(q("SELECT count(*) FROM plan_generators WHERE plan_id = %lld AND"
			   " funded = 1", p), 0);
	assert_int_equal(q("SELECT count(*) FROM plan_backup WHERE plan_id = %lld AND funded = 1"
			   " AND cost_eur > 0", p), 0);
	/* a generous one: the greedy order holds too */
	W.cfg.budget_eur = points + 2e6;
	p = plan(NULL, 0);
	n = read_items(p, &it);
	assert_greedy(it, n, 2e6);
	free(it);
	(void)DEFAULT_REGIONAL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_fire_station),
		cmocka_unit_test(test_fire_stations_east),
		cmocka_unit_test(test_regional_schools),
		cmocka_unit_test(test_local_kinds),
		cmocka_unit_test(test_long_kind_counted),
		cmocka_unit_test(test_care_generators),
		cmocka_unit_test(test_care_ranking),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
