/* plan_generators rows: one prepared insert per store, and a read joined with sites so a
 * reader sees each institution's name and position. No planning logic. */
#include "data/store_generators.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>

#include "data/store_internal.h"

int store_plan_put_generator(struct store *st, int64_t plan_id,
			     const struct store_plan_generator *g, char *err, size_t errlen)
{
	int rc = store_need_tx(st, err, errlen);
	sqlite3_stmt *s = rc ? NULL : store_stmt(st, SLOT_PLAN_GENERATOR,
		"INSERT INTO plan_generators(plan_id, seq, site_id, people, kva, cost_eur, score,"
		" funded) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)", err, errlen);
	if (!s)
		return rc ? rc : -EIO;
	sqlite3_bind_int64(s, 1, plan_id);
	sqlite3_bind_int(s, 2, g->seq);
	sqlite3_bind_int64(s, 3, g->site_id);
	store_bind_maybe(s, 4, g->people);
	sqlite3_bind_double(s, 5, g->kva);
	sqlite3_bind_double(s, 6, g->cost_eur);
	store_bind_maybe(s, 7, g->score);
	sqlite3_bind_int(s, 8, g->funded);
	return store_step_done(st, s, "store plan generator", err, errlen);
}

static double maybe(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ? NAN : sqlite3_column_double(s, col);
}

static const char *text(sqlite3_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s, col);
}

struct gen_cb {
	int (*fn)(void *, const struct store_plan_generator *);
	void *user;
};

static int gen_row(void *user, sqlite3_stmt *s)
{
	struct gen_cb *cb = user;
	struct store_plan_generator g = {
		.seq = sqlite3_column_int(s, 0), .site_id = sqlite3_column_int64(s, 1),
		.people = maybe(s, 2), .kva = sqlite3_column_double(s, 3),
		.cost_eur = sqlite3_column_double(s, 4), .score = maybe(s, 5),
		.funded = sqlite3_column_int(s, 6), .name = text(s, 7), .subkind = text(s, 8),
		.x_rd = maybe(s, 9), .y_rd = maybe(s, 10),
	};
	return cb->fn(cb->user, &g);
}

int store_each_plan_generator(struct store *st, int64_t id,
			      int (*fn)(void *user, const struct store_plan_generator *g),
			      void *user, char *err, size_t errlen)
{
	struct gen_cb cb = {fn, user};
	return store_each_row(st, "SELECT g.seq, g.site_id, g.people, g.kva, g.cost_eur, g.score,"
			      " g.funded, s.name, s.subkind, s.x_rd, s.y_rd FROM plan_generators g"
			      " LEFT JOIN sites s ON s.id = g.site_id WHERE g.plan_id = ?1"
			      " ORDER BY g.seq", id, gen_row, &cb, "read plan generators", err,
			      errlen);
}
