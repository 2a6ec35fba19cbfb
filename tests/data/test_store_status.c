/* Unit tests for data/store_status.c: site references (id, source:source_id, a position
 * within 25 m, ties, none near), a batch stored all or nothing, release, and statuses that
 * outlive a re-import of their site's source (new ids, the same import key). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "data/store.h"
#include "data/store_status.h"
#include "tests/lib/testutil.h"

struct fx {
	char dir[256], db[300];
	struct store *st;
	char err[1024];
};

struct fx_site {
	const char *source_id, *name;
	double x, y;
};

/* Sites of source "s.csv", replacing the earlier ones (as an import does). */
static void put_sites(struct fx *f, const struct fx_site *s, size_t n)
{
	assert_int_equal(store_begin(f->st, f->err, sizeof f->err), 0);
	assert_int_equal(store_clear_sites(f->st, "s.csv", f->err, sizeof f->err), 0);
	for (size_t i = 0; i < n; i++) {
		struct store_site site = {"s.csv", s[i].source_id, s[i].name, "school", NULL,
					  s[i].x, s[i].y, NAN, 0, NAN, NAN, NAN};
		assert_int_equal(store_put_site(f->st, &site, f->err, sizeof f->err), 0);
	}
	assert_int_equal(store_commit(f->st, f->err, sizeof f->err), 0);
}

static const struct fx_site SITES[] = {
	{"1", "De Hoeksteen", 155000, 463000},
	{"2", "Het Baken", 155100, 463000},
	{"3", "Links", 156000, 463010},       /* 3 and 4 are equally far from (156010, 463010) */
	{"4", "Rechts", 156020, 463010},
};

static int setup(void **state)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	tu_mkdtemp(f.dir, sizeof f.dir);
	snprintf(f.db, sizeof f.db, "%s/hub.db", f.dir);
	assert_int_equal(store_open(f.db, 0, &f.st, f.err, sizeof f.err), 0);
	put_sites(&f, SITES, 4);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	tu_rmtree(f->dir);
	return 0;
}

static int64_t id_of(struct fx *f, const char *source_id)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT id FROM sites WHERE source_id = '%s'", source_id);
	return tu_sql_int(f->db, sql, 0);
}

static void test_ref_parse(void **state)
{
	struct store_site_ref r;
	char buf[64];
	(void)state;
	assert_int_equal(store_site_ref_parse("12", buf, sizeof buf, &r), 0);
	assert_int_equal(r.kind, STORE_REF_ID);
	assert_int_equal(r.id, 12);
	assert_int_equal(store_site_ref_parse("a:b.gpkg:layer:7", buf, sizeof buf, &r), 0);
	assert_int_equal(r.kind, STORE_REF_KEY);
	assert_string_equal(r.source, "a:b.gpkg:layer");
	assert_string_equal(r.source_id, "7");
	const char *bad[] = {"", "0", "-3", "12x", ":7", "s.csv:", "x"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(store_site_ref_parse(bad[i], buf, sizeof buf, &r), -EINVAL);
	assert_int_equal(store_site_ref_parse("s.csv:1", buf, 4, &r), -EINVAL);
}

static void test_resolve(void **state)
{
	struct fx *f = *state;
	struct store_status_site s;
	struct store_site_ref id = {.kind = STORE_REF_ID, .id = id_of(f, "2")};
	struct store_site_ref key = {.kind = STORE_REF_KEY, .source = "s.csv", .source_id = "1"};
	struct store_site_ref near = {.kind = STORE_REF_POSITION, .x_rd = 155010, .y_rd = 463012};
	struct store_site_ref tie = {.kind = STORE_REF_POSITION, .x_rd = 156010, .y_rd = 463010};
	struct store_site_ref far = {.kind = STORE_REF_POSITION, .x_rd = 155050, .y_rd = 463000};
	assert_int_equal(store_status_resolve(f->st, &id, &s, f->err, sizeof f->err), 0);
	assert_string_equal(s.name, "Het Baken");
	assert_int_equal(store_status_resolve(f->st, &key, &s, f->err, sizeof f->err), 0);
	assert_string_equal(s.source_id, "1");
	assert_int_equal(store_status_resolve(f->st, &near, &s, f->err, sizeof f->err), 0);
	assert_string_equal(s.name, "De Hoeksteen");
	assert_true(fabs(s.distance_m - hypot(10, 12)) < 1e-9);
	/* equally near: the lower id */
	assert_int_equal(store_status_resolve(f->st, &tie, &s, f->err, sizeof f->err), 0);
	assert_string_equal(s.name, "Links");
	/* 50 m from both: an error naming the position and the nearest */
	assert_int_equal(store_status_resolve(f->st, &far, &s, f->err, sizeof f->err), -ENOENT);
	assert_string_equal(f->err, "no site within 25 m of x=155050.0 y=463000.0 (nearest: "
			    "De Hoeksteen, 50 m)");
	/* in the box's corner but beyond 25 m */
	far.x_rd = 155020;
	far.y_rd = 463020;
	assert_int_equal(store_status_resolve(f->st, &far, &s, f->err, sizeof f->err), -ENOENT);
	id.id = 999;
	assert_int_equal(store_status_resolve(f->st, &id, &s, f->err, sizeof f->err), -ENOENT);
	assert_string_equal(f->err, "no site with id 999");
	key.source_id = "9";
	assert_int_equal(store_status_resolve(f->st, &key, &s, f->err, sizeof f->err), -ENOENT);
	assert_string_equal(f->err, "no site s.csv:9");
}

struct seen {
	int n;
	char last[256];
	enum store_status status;
	int64_t site_id;
	char note[64], set_by[64];
};

static int on_row(void *user, const struct store_status_row *r)
{
	struct seen *s = user;
	s->n++;
	snprintf(s->last, sizeof s->last, "%s:%s=%s", r->source, r->source_id, r->status_name);
	s->status = r->status;
	s->site_id = r->site_id;
	snprintf(s->note, sizeof s->note, "%s", r->note ? r->note : "(null)");
	snprintf(s->set_by, sizeof s->set_by, "%s", r->set_by);
	return 0;
}

static void resolve_key(struct fx *f, const char *source_id, struct store_status_site *out)
{
	struct store_site_ref ref = {.kind = STORE_REF_KEY, .source = "s.csv",
				     .source_id = source_id};
	assert_int_equal(store_status_resolve(f->st, &ref, out, f->err, sizeof f->err), 0);
}

static void test_round_trip_and_release(void **state)
{
	struct fx *f = *state;
	struct store_status_site a, b;
	struct seen seen = {0};
	resolve_key(f, "1", &a);
	resolve_key(f, "2", &b);
	struct store_status_change c[] = {
		{&a, STORE_STATUS_DESIGNATED, "signed 2026-11-30"},
		{&b, STORE_STATUS_REJECTED, NULL},
		{&b, STORE_STATUS_DESIGNATED, ""},    /* a later change of the same site wins */
	};
	assert_int_equal(store_status_apply(f->st, c, 3, "uid 1000", f->err, sizeof f->err), 0);
	assert_int_equal(store_each_status(f->st, on_row, &seen, f->err, sizeof f->err), 0);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.last, "s.csv:2=designated");
	assert_string_equal(seen.note, "(null)");
	assert_string_equal(seen.set_by, "uid 1000");
	memset(&seen, 0, sizeof seen);
	assert_int_equal(store_status_get(f->st, "s.csv", "1", on_row, &seen, f->err,
					  sizeof f->err), 0);
	assert_string_equal(seen.note, "signed 2026-11-30");
	assert_int_equal(seen.site_id, a.id);
	struct store_status_change rel = {&a, STORE_STATUS_RELEASED, NULL};
	assert_int_equal(store_status_apply(f->st, &rel, 1, "uid 0", f->err, sizeof f->err), 0);
	assert_int_equal(store_status_get(f->st, "s.csv", "1", on_row, &seen, f->err,
					  sizeof f->err), -ENOENT);
	/* releasing what has no status is no error */
	assert_int_equal(store_status_apply(f->st, &rel, 1, "uid 0", f->err, sizeof f->err), 0);
	assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM site_status", 0), 1);
}

/* A failure in the middle of a batch (a trigger refuses the third row) stores nothing. */
static void test_batch_all_or_nothing(void **state)
{
	struct fx *f = *state;
	struct store_status_site s[4];
	const char *keys[] = {"1", "2", "3", "4"};
	struct store_status_change c[4];
	for (int i = 0; i < 4; i++) {
		resolve_key(f, keys[i], &s[i]);
		c[i] = (struct store_status_change){&s[i], STORE_STATUS_REJECTED, NULL};
	}
	assert_int_equal(sqlite3_exec(store_handle(f->st), "DELETE FROM site_status;"
				      "CREATE TEMP TRIGGER refuse BEFORE INSERT ON site_status"
				      " WHEN NEW.source_id = '3' BEGIN SELECT RAISE(ABORT, 'no');"
				      " END", NULL, NULL, NULL), SQLITE_OK);
	assert_true(store_status_apply(f->st, c, 4, "uid 0", f->err, sizeof f->err) < 0);
	assert_non_null(strstr(f->err, "no"));
	assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM site_status", 0), 0);
	assert_int_equal(sqlite3_exec(store_handle(f->st), "DROP TRIGGER refuse", NULL, NULL,
				      NULL), SQLITE_OK);
	/* an invalid status is refused before anything starts */
	c[1].status = STORE_STATUS_NONE;
	assert_int_equal(store_status_apply(f->st, c, 4, "uid 0", f->err, sizeof f->err), -EINVAL);
	assert_string_equal(f->err, "change 2: not a status change");
	c[1].status = STORE_STATUS_REJECTED;
	assert_int_equal(store_status_apply(f->st, c, 4, "uid 0", f->err, sizeof f->err), 0);
	assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM site_status", 0), 4);
}

/* A re-import gives the sites new ids; the status stays with the import key, follows the
 * new id, and waits (site_id -1, the stored position and name) while the site is gone. */
static void test_survives_reimport(void **state)
{
	struct fx *f = *state;
	struct store_status_site a;
	struct seen seen = {0};
	assert_int_equal(sqlite3_exec(store_handle(f->st), "DELETE FROM site_status", NULL, NULL,
				      NULL), SQLITE_OK);
	resolve_key(f, "2", &a);
	struct store_status_change c = {&a, STORE_STATUS_DESIGNATED, NULL};
	assert_int_equal(store_status_apply(f->st, &c, 1, "uid 0", f->err, sizeof f->err), 0);
	const struct fx_site moved[] = {{"9", "Nieuw", 150000, 460000},
					{"8", "Nieuwer", 150500, 460000}, SITES[1], SITES[0]};
	put_sites(f, moved, 4);
	assert_true(id_of(f, "2") != a.id);
	assert_int_equal(store_status_get(f->st, "s.csv", "2", on_row, &seen, f->err,
					  sizeof f->err), 0);
	assert_int_equal(seen.site_id, id_of(f, "2"));
	put_sites(f, moved, 1);           /* site 2 left the source */
	assert_int_equal(store_status_get(f->st, "s.csv", "2", on_row, &seen, f->err,
					  sizeof f->err), 0);
	assert_int_equal(seen.site_id, -1);
	assert_int_equal(seen.status, STORE_STATUS_DESIGNATED);
	put_sites(f, SITES, 4);
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(store_status_parse("designated"), STORE_STATUS_DESIGNATED);
	assert_int_equal(store_status_parse("rejected"), STORE_STATUS_REJECTED);
	assert_int_equal(store_status_parse("released"), STORE_STATUS_RELEASED);
	assert_int_equal(store_status_parse("none"), -1);
	assert_int_equal(store_status_parse("Designated"), -1);
	assert_int_equal(store_status_parse(NULL), -1);
	assert_string_equal(store_status_name(STORE_STATUS_REJECTED), "rejected");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_ref_parse),
		cmocka_unit_test_setup_teardown(test_resolve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_and_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_survives_reimport, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
