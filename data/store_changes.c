/* Readers for the comparison of two plans: the previous plan's id, the sites of a plan
 * joined to their imported site (name, only while it is still at the planned position),
 * gemeente and safety region, and the region names. Read-only: no transaction needed,
 * and inside one they see its uncommitted rows (plan_store compares before committing). */
#include "data/store_changes.h"

#include <errno.h>
#include <stdio.h>

#include "data/store_internal.h"

static int id_row(void *user, sqlite3_stmt *s)
{
	*(int64_t *)user = sqlite3_column_type(s, 0) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, 0);
	return 0;
}

int store_plan_before(struct store *st, int64_t id, int64_t *prev, char *err, size_t errlen)
{
	*prev = 0;
	return store_each_row(st, "SELECT max(id) FROM plans WHERE id < ?1", id, id_row, prev,
			      "read plans", err, errlen);
}

struct change_site_cb {
	int (*fn)(void *, const struct store_change_site *);
	void *user;
};

static const char *text(sqlite3_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s, col);
}

static int change_site_row(void *user, sqlite3_stmt *s)
{
	struct change_site_cb *cb = user;
	struct store_change_site r = {
		.level = sqlite3_column_int(s, 0), .seq = sqlite3_column_int(s, 1),
		.x_rd = sqlite3_column_double(s, 2), .y_rd = sqlite3_column_double(s, 3),
		.site_id = sqlite3_column_type(s, 4) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 4),
		.name = text(s, 5), .gemeente_code = text(s, 6), .gemeente_name = text(s, 7),
		.region_code = text(s, 8),
	};
	return cb->fn(cb->user, &r);
}

/* sites.id is not stable across imports: a name is taken only from a site still within
 * 1 m of the planned position. */
int store_each_change_site(struct store *st, int64_t id,
			   int (*fn)(void *user, const struct store_change_site *s), void *user,
			   char *err, size_t errlen)
{
	struct change_site_cb cb = {fn, user};
	return store_each_row(st, "SELECT p.level, p.seq, p.x_rd, p.y_rd, p.site_id, s.name,"
			      " p.gemeente_code, m.gemeente_name, m.region_code FROM plan_sites p"
			      " LEFT JOIN sites s ON s.id = p.site_id AND abs(s.x_rd - p.x_rd) <= 1"
			      " AND abs(s.y_rd - p.y_rd) <= 1"
			      " LEFT JOIN memberships m ON m.gemeente_code = p.gemeente_code"
			      " WHERE p.plan_id = ?1 ORDER BY p.level, p.seq", id, change_site_row,
			      &cb, "read plan sites", err, errlen);
}

struct region_name_cb {
	int (*fn)(void *, const char *, const char *);
	void *user;
};

static int region_name_row(void *user, sqlite3_stmt *s)
{
	struct region_name_cb *cb = user;
	return cb->fn(cb->user, text(s, 0), text(s, 1));
}

int store_each_region_name(struct store *st,
			   int (*fn)(void *user, const char *code, const char *name), void *user,
			   char *err, size_t errlen)
{
	struct region_name_cb cb = {fn, user};
	return store_each_row(st, "SELECT code, name FROM safety_regions ORDER BY code", 0,
			      region_name_row, &cb, "read safety regions", err, errlen);
}
