/* The plan command end to end on the bundled real data: a plan is stored whole with its
 * parameters and results, the same seed gives the same plan, a run killed at a random
 * moment (also while storing) leaves only complete plans, the export matches the plan,
 * and each area's spreading source is stored with it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "jobs/plan_run.h"
#include "tests/lib/fixture.h"
#include "tests/lib/bundled_fx.h"
#include "tests/lib/testutil.h"

struct world {
	char dir[256], db[300];
	struct config cfg;
};

static struct world W;

static int setup(void **state)
{
	(void)state;
	if (bfx_import(W.dir, sizeof W.dir, W.db, sizeof W.db) < 0)
		return -1;
	config_defaults(&W.cfg);
	snprintf(W.cfg.database, sizeof W.cfg.database, "%s", W.db);
	W.cfg.search_time_s = 1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(W.dir);
	return 0;
}

static double query_double(const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	double v = NAN;
	assert_int_equal(sqlite3_open_v2(W.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static int run(const char *scope, const char *export_path, struct plan_result *r,
	       struct plan_run_info *info)
{
	struct plan_run_options opt = {export_path, scope, NULL, 1, NULL};   /* fresh */
	char err[4096];
	int rc = plan_run(&W.cfg, NULL, &opt, r, info, err, sizeof err);
	if (rc < 0)
		print_message("plan_run: %s\n", err);
	return rc;
}

/* A scoped plan (VR17, with buurten and 100 m cells) is stored whole and its totals agree. */
static void test_plan_stored(void **state)
{
	struct plan_result r;
	struct plan_run_info info;
	char sql[512];
	(void)state;
	assert_int_equal(run("VR17", NULL, &r, &info), 0);
	assert_true(info.plan_id > 0);
	assert_string_equal(info.changes, "changes: first plan, nothing to compare");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM plan_sites WHERE plan_id = %lld AND level = 1",
		 (long long)info.plan_id);
	assert_int_equal((size_t)query_double(sql), r.local.sol.nopen);
	/* The gemeenten's residents in the plan equal the demand's residents. */
	snprintf(sql, sizeof sql, "SELECT sum(residents) FROM plan_areas WHERE plan_id = %lld AND"
		 " level = 1", (long long)info.plan_id);
	assert_true(fabs(query_double(sql) - info.residents_total) < 1e-6 * info.residents_total);
	/* The finest layer wins per place: most of VR17's demand comes from the 100 m grid
	 * (1,299,500 residents in the bundled cells; a few border cells fall outside the
	 * region, and the cells of a buurt that hold more than the buurt are scaled to it). */
	snprintf(sql, sizeof sql, "SELECT sum(residents) FROM plan_areas WHERE plan_id = %lld AND"
		 " level = 4", (long long)info.plan_id);
	double cells = query_double(sql);
	print_message("VR17: %.0f residents in the demand, %.0f of them from grid cells\n",
		      info.residents_total, cells);
	assert_true(cells >= 0.97 * 1299500 && cells <= 1299500);
	/* Every resident once: each gemeente holds exactly its buurten and the wijken
	 * without buurten (cells plus the rest of their areas). */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM plan_areas p WHERE plan_id = %lld AND"
		 " level = 1 AND abs(residents - (SELECT total(a.residents) FROM areas a WHERE"
		 " a.gemeente_code = p.code AND (a.level = 3 OR (a.level = 2 AND NOT EXISTS"
		 " (SELECT 1 FROM areas b WHERE b.level = 3 AND b.wijk_code = a.code)))))"
		 " > 1e-6 * residents", (long long)info.plan_id);
	assert_int_equal((int)query_double(sql), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM plan_regions WHERE plan_id = %lld AND"
		 " code = 'VR17' AND bound >= covered_weight", (long long)info.plan_id);
	assert_int_equal((int)query_double(sql), 1);
	/* Target mode: every municipality of the scope has at least one local site. */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM plan_areas a WHERE plan_id = %lld AND"
		 " level = 1 AND NOT EXISTS (SELECT 1 FROM plan_sites s WHERE s.plan_id = a.plan_id"
		 " AND s.level = 1 AND s.gemeente_code = a.code)", (long long)info.plan_id);
	assert_int_equal((int)query_double(sql), 0);
	plan_result_free(&r);
}

/* Budget mode reports who is served within capacity too: it read 0 before issue #18. */
static void test_plan_budget_served(void **state)
{
	struct config saved = W.cfg;
	struct plan_result r;
	struct plan_run_info info;
	char sql[256];
	(void)state;
	snprintf(W.cfg.local_mode, sizeof W.cfg.local_mode, "budget");
	W.cfg.local_sites = 40;
	int rc = run("GM0599", NULL, &r, &info);
	W.cfg = saved;
	assert_int_equal(rc, 0);
	double served = r.local.sol.served_residents;
	print_message("GM0599, 40 sites: %.0f of %.0f residents served within capacity\n", served,
		      info.residents_total);
	double room = 0;              /* a site merging co-located schools counts as several */
	for (size_t k = 0; k < r.local.sol.nopen; k++)
		room += W.cfg.max_residents_per_site * (r.local.model->cand_capacity
			? r.local.model->cand_capacity[r.local.sol.open[k]] : 1);
	assert_true(served > 0.5 * room);
	assert_true(served <= room * (1 + 1e-9));
	assert_true(served <= info.residents_total * (1 + 1e-9));
	snprintf(sql, sizeof sql, "SELECT json_extract(summary, '$.served_residents') FROM plans"
		 " WHERE id = %lld", (long long)info.plan_id);
	assert_true(fabs(query_double(sql) - served) <= 1e-6 * served);
	plan_result_free(&r);
}

static int by_xy(const void *a, const void *b)
{
	const double *p = a, *q = b;
	return p[0] != q[0] ? (p[0] < q[0] ? -1 : 1) : (p[1] > q[1]) - (p[1] < q[1]);
}

/* Schools sharing a building are one candidate (lowest site id) with the capacity of all:
 * Deventer has such a building, and the national plan opened two sites there before #18. */
static void test_plan_colocated_merged(void **state)
{
	struct plan_result r;
	struct plan_run_info info;
	char sql[512];
	size_t n = 0, merged = 0;
	(void)state;
	assert_int_equal(run("GM0150", NULL, &r, &info), 0);
	const struct candidates *c = &r.local.cand;
	double *xy = malloc((c->n + 1) * 2 * sizeof *xy);
	assert_non_null(xy);
	for (size_t j = 0; j < c->n; j++) {
		if (c->origin[j] != CAND_SITE)
			continue;
		xy[2 * n] = c->xy[2 * j];
		xy[2 * n + 1] = c->xy[2 * j + 1];
		n++;
		if (c->sites[j] > 1) {
			merged++;
			assert_non_null(r.local.model->cand_capacity);
			assert_true(r.local.model->cand_capacity[j] == c->sites[j]);
		}
	}
	qsort(xy, n, 2 * sizeof *xy, by_xy);
	for (size_t k = 1; k < n; k++)
		assert_false(xy[2 * k] == xy[2 * k - 2] && xy[2 * k + 1] == xy[2 * k - 1]);
	free(xy);
	assert_true(merged >= 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1 FROM plan_sites WHERE plan_id ="
		 " %lld AND level = 1 GROUP BY x_rd, y_rd HAVING count(*) > 1)",
		 (long long)info.plan_id);
	assert_int_equal((int)query_double(sql), 0);
	plan_result_free(&r);
}

/* The same seed and data give the same sites. */
static void test_plan_deterministic(void **state)
{
	struct plan_result a, b;
	struct plan_run_info ia, ib;
	(void)state;
	assert_int_equal(run("GM0599,GM0606", NULL, &a, &ia), 0);
	assert_int_equal(run("GM0599,GM0606", NULL, &b, &ib), 0);
	assert_int_equal(a.local.sol.nopen, b.local.sol.nopen);
	assert_memory_equal(a.local.sol.open, b.local.sol.open, a.local.sol.nopen * sizeof(uint32_t));
	assert_memory_equal(a.regional.sol.open, b.regional.sol.open,
			    a.regional.sol.nopen * sizeof(uint32_t));
	plan_result_free(&a);
	plan_result_free(&b);
}

/* The export holds the plan's p, sizes and open sites. */
static void test_plan_export(void **state)
{
	struct plan_result r;
	struct plan_run_info info;
	char path[300], line[256];
	size_t p = 0, nd = 0, nc = 0, nz = 0, nplan = 0;
	(void)state;
	snprintf(path, sizeof path, "%s/instance.txt", W.dir);
	assert_int_equal(run("GM0599", path, &r, &info), 0);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		sscanf(line, "p %zu", &p);
		sscanf(line, "sizes %zu %zu %zu", &nd, &nc, &nz);
		sscanf(line, "plan %zu", &nplan);
	}
	fclose(f);
	assert_int_equal(p, r.local.sol.nopen);
	assert_int_equal(nplan, r.local.sol.nopen);
	assert_int_equal(nd, r.local.model->ndemand);
	assert_int_equal(nc, r.local.model->ncand);
	assert_int_equal(nz, r.local.model->nnz);
	plan_result_free(&r);
}

/* The changes line (the first plan's is checked above): the same plan again keeps every
 * site; a plan with another target adds and removes, and its counts add up to both plans'
 * sites. The stored summary carries the same counts. */
static void test_plan_changes_line(void **state)
{
	struct config saved = W.cfg;
	struct plan_result r;
	struct plan_run_info a, b;
	char want[320], sql[256];
	(void)state;
	assert_int_equal(run("GM0599", NULL, &r, &a), 0);
	size_t nlocal = r.local.sol.nopen, nregional = r.regional.sol.nopen;
	plan_result_free(&r);
	assert_int_equal(run("GM0599", NULL, &r, &b), 0);
	plan_result_free(&r);
	snprintf(want, sizeof want, "changes since plan %lld: local 0 added, 0 removed, %zu kept; "
		 "regional 0 added, 0 removed, %zu kept; total 0 added, 0 removed, %zu kept",
		 (long long)a.plan_id, nlocal, nregional, nlocal + nregional);
	assert_string_equal(b.changes, want);
	W.cfg.coverage_target_pct = 80;
	assert_int_equal(run("GM0599", NULL, &r, &a), 0);
	W.cfg = saved;
	size_t now = r.local.sol.nopen;
	plan_result_free(&r);
	print_message("%s\n", a.changes);
	long added, removed, kept;
	assert_int_equal(sscanf(a.changes, "changes since plan %*d: local %ld added, %ld removed, "
				"%ld kept", &added, &removed, &kept), 3);
	assert_true(removed > 0);
	assert_int_equal((size_t)(added + kept), now);
	assert_int_equal((size_t)(removed + kept), nlocal);
	snprintf(sql, sizeof sql, "SELECT json_extract(summary, '$.changes.local.removed') FROM"
		 " plans WHERE id = %lld", (long long)a.plan_id);
	assert_int_equal((long)query_double(sql), removed);
	snprintf(sql, sizeof sql, "SELECT json_extract(summary, '$.changes.from') FROM plans"
		 " WHERE id = %lld", (long long)a.plan_id);
	assert_int_equal((long long)query_double(sql), (long long)b.plan_id);
}

/* Kills plan runs at random moments: every stored plan stays complete and the database
 * intact; the newest plan is either the old one or a complete new one. */
static void test_plan_killed(void **state)
{
	(void)state;
	srand(12345);
	for (int round = 0; round < 6; round++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct plan_result r;
			struct plan_run_info info;
			_exit(run("VR17,VR18", NULL, &r, &info) == 0 ? 0 : 1);
		}
		struct timespec ts = {0, (long)(rand() % 1500) * 1000000L};
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		assert_int_equal((int)query_double("SELECT count(*) FROM pragma_integrity_check"
						   " WHERE integrity_check <> 'ok'"), 0);
		assert_int_equal((int)query_double("SELECT count(*) FROM plans WHERE summary IS NULL"
						   " OR timings IS NULL"), 0);
		assert_int_equal((int)query_double("SELECT count(*) FROM plans p WHERE NOT EXISTS"
						   " (SELECT 1 FROM plan_regions r WHERE r.plan_id = p.id)"), 0);
	}
}

/* A plan on an empty database fails with a clear message and stores nothing. */
static void test_plan_empty_db(void **state)
{
	struct config cfg = W.cfg;
	struct plan_run_options opt = {NULL, NULL, NULL, 0, NULL};
	struct plan_result r;
	struct plan_run_info info;
	char err[512];
	(void)state;
	snprintf(cfg.database, sizeof cfg.database, "%s/empty.db", W.dir);
	assert_true(plan_run(&cfg, NULL, &opt, &r, &info, err, sizeof err) < 0);
	assert_non_null(strstr(err, "import"));
	plan_result_free(&r);
}

static void test_plan_bad_scope(void **state)
{
	struct plan_result r;
	struct plan_run_info info;
	struct plan_run_options opt = {NULL, "GM9999", NULL, 0, NULL};
	char err[512];
	(void)state;
	assert_true(plan_run(&W.cfg, NULL, &opt, &r, &info, err, sizeof err) < 0);
	assert_non_null(strstr(err, "GM9999"));
	plan_result_free(&r);
}

static double region_value(int64_t id, const char *code, const char *expr)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT %s FROM plan_regions WHERE plan_id = %lld AND code = '%s'",
		 expr, (long long)id, code);
	return query_double(sql);
}

/* [plan] exact_regions (#15). In target mode the optimum of VR01's local level with the
 * plan's number of sites is all the weight its candidates reach (the budget problem ignores
 * capacity): a set cover proves it without CBC, with or without exact_regions, and it is
 * stored as the bound and the best weight with the method "cover". In budget mode with 12
 * sites the sites cannot reach everything: CBC proves the optimum, strictly inside the
 * Lagrangian gap, and it becomes the bound with the method "optimum"; without
 * exact_regions the region keeps the Lagrangian bound. A code that is not a region of the
 * data fails the plan, naming it, and stores nothing. */
static void test_plan_exact_regions(void **state)
{
	struct plan_result r;
	struct plan_run_info info;
	char err[512];
	(void)state;
	assert_int_equal(run("GM0014,GM0599", NULL, &r, &info), 0);
	plan_result_free(&r);
	double lagrangian = region_value(info.plan_id, "VR01", "bound");
	snprintf(W.cfg.exact_regions, sizeof W.cfg.exact_regions, "VR01");
	assert_int_equal(run("GM0014,GM0599", NULL, &r, &info), 0);
	plan_result_free(&r);
	int64_t id = info.plan_id;
	double covered = region_value(id, "VR01", "covered_weight");
	double best = region_value(id, "VR01", "best_weight");
	double bound = region_value(id, "VR01", "bound");
	print_message("VR01: covered %.1f, proven optimum %.1f, bound without exact_regions %.1f\n",
		      covered, best, lagrangian);
	assert_int_equal((int)region_value(id, "VR01", "bound_method = 'cover'"), 1);
	assert_true(best >= covered - 1e-6 && fabs(best - lagrangian) <= 1e-9 * best);
	assert_true(fabs(bound - best) <= 1e-9 * best);
	assert_true(best <= region_value(id, "VR01", "weight") * (1 + 1e-9));
	assert_true(fabs(region_value(id, "VR01", "gap_pct") - 100 * (bound - covered) / bound) < 1e-9);
	assert_true(region_value(id, "VR01", "exact_s") == 0);      /* CBC did not run */
	assert_int_equal((int)region_value(id, "VR17", "bound_method = 'cover'"), 1);
	assert_true(fabs(region_value(id, "VR17", "best_weight") -
			 region_value(id, "VR17", "bound")) <= 1e-9 * region_value(id, "VR17", "bound"));
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT json_extract(params, '$.exact_regions') = 'VR01' FROM"
		 " plans WHERE id = %lld", (long long)id);
	assert_int_equal((int)query_double(sql), 1);
	/* budget mode, few sites: the optimum lies strictly inside the Lagrangian gap */
	snprintf(W.cfg.local_mode, sizeof W.cfg.local_mode, "budget");
	W.cfg.local_sites = 12;
	W.cfg.exact_regions[0] = '\0';
	assert_int_equal(run("GM0014", NULL, &r, &info), 0);
	plan_result_free(&r);
	lagrangian = region_value(info.plan_id, "VR01", "bound");
	assert_int_equal((int)region_value(info.plan_id, "VR01", "bound_method = 'lagrangian'"), 1);
	assert_int_equal((int)region_value(info.plan_id, "VR01", "best_weight IS NULL"), 1);
	snprintf(W.cfg.exact_regions, sizeof W.cfg.exact_regions, "VR01");
	assert_int_equal(run("GM0014", NULL, &r, &info), 0);
	plan_result_free(&r);
	id = info.plan_id;
	covered = region_value(id, "VR01", "covered_weight");
	best = region_value(id, "VR01", "best_weight");
	print_message("VR01, 12 sites: covered %.1f, proven optimum %.1f, Lagrangian bound %.1f\n",
		      covered, best, lagrangian);
	assert_int_equal((int)region_value(id, "VR01", "bound_method = 'optimum'"), 1);
	assert_true(region_value(id, "VR01", "exact_s") > 0);
	assert_true(best >= covered - 1e-6);
	assert_true(best < lagrangian - 1.0);   /* on this data: 165,801 against 167,473 */
	assert_true(fabs(region_value(id, "VR01", "bound") - best) <= 1e-9 * best);
	assert_true(region_value(id, "VR01", "gap_pct") < 100 * (lagrangian - covered) / lagrangian);
	snprintf(W.cfg.local_mode, sizeof W.cfg.local_mode, "target");
	/* a code the data does not have, from the command line's override */
	struct plan_run_options opt = {NULL, "GM0014", NULL, 1, "VR01,VR99"};
	assert_true(plan_run(&W.cfg, NULL, &opt, &r, &info, err, sizeof err) < 0);
	plan_result_free(&r);
	assert_non_null(strstr(err, "exact_regions: \"VR99\" is not a safety region"));
	assert_int_equal((int)query_double("SELECT max(id) FROM plans"), (int)id);
	W.cfg.exact_regions[0] = '\0';
}

static double plan_count(int64_t id, const char *where)
{
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM plan_areas p JOIN areas a ON a.level ="
		 " p.level AND a.code = p.code WHERE p.plan_id = %lld AND %s", (long long)id, where);
	return query_double(sql);
}

/* Which layer spread which area is stored with the plan (#14): three Groningen wijken
 * under a reference layer are spread by it, the other wijken evenly; Rotterdam's buurten
 * hold cells or are even, its cells are their own, gemeenten come from finer areas; each
 * spread wijk still holds exactly its residents. spread_layer = none spreads nothing. */
static void test_plan_spread_stored(void **state)
{
	struct plan_result r;
	struct plan_run_info info;
	(void)state;
	fx_sqlite_exec(W.db, "INSERT INTO ref_areas(layer, code, name, year, residents, geom,"
		       " minx, miny, maxx, maxy) SELECT 'test_2015', 'R' || code, name, 2015,"
		       " 100, geom_land, minx, miny, maxx, maxy FROM areas WHERE level = 2 AND"
		       " gemeente_code = 'GM0014' ORDER BY code LIMIT 3");
	assert_int_equal(run("GM0014,GM0599", NULL, &r, &info), 0);
	int64_t id = info.plan_id;
	plan_result_free(&r);
	assert_int_equal((int)plan_count(id, "p.spread = 'test_2015' AND 'R' || p.code IN"
					 " (SELECT code FROM ref_areas)"), 3);
	assert_int_equal((int)plan_count(id, "a.gemeente_code = 'GM0014' AND p.level = 2 AND"
					 " p.spread NOT IN ('test_2015', 'even')"), 0);
	assert_true(plan_count(id, "a.gemeente_code = 'GM0014' AND p.spread = 'even'") > 0);
	assert_int_equal((int)plan_count(id, "p.level = 4 AND p.spread IS NOT 'own'"), 0);
	assert_true(plan_count(id, "p.level = 4") > 0);
	assert_int_equal((int)plan_count(id, "p.level = 1 AND p.spread IS NOT NULL"), 0);
	assert_int_equal((int)plan_count(id, "p.level = 3 AND p.spread NOT IN ('cells', 'even')"),
			 0);
	assert_true(plan_count(id, "p.level = 3 AND p.spread = 'cells'") > 0);
	assert_int_equal((int)plan_count(id, "p.spread = 'test_2015' AND"
					 " abs(p.residents - a.residents) > 1e-9 * a.residents"), 0);
	snprintf(W.cfg.spread_layer, sizeof W.cfg.spread_layer, "none");
	assert_int_equal(run("GM0014", NULL, &r, &info), 0);
	plan_result_free(&r);
	assert_int_equal((int)plan_count(info.plan_id, "p.level = 2 AND p.spread IS NOT 'even'"),
			 0);
	snprintf(W.cfg.spread_layer, sizeof W.cfg.spread_layer, "auto");
	fx_sqlite_exec(W.db, "DELETE FROM ref_areas");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_stored),
		cmocka_unit_test(test_plan_changes_line),
		cmocka_unit_test(test_plan_budget_served),
		cmocka_unit_test(test_plan_colocated_merged),
		cmocka_unit_test(test_plan_deterministic),
		cmocka_unit_test(test_plan_export),
		cmocka_unit_test(test_plan_killed),
		cmocka_unit_test(test_plan_empty_db),
		cmocka_unit_test(test_plan_bad_scope),
		cmocka_unit_test(test_plan_spread_stored),
		cmocka_unit_test(test_plan_exact_regions),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
