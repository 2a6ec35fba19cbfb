/* Readers behind maps and exports (region outlines, batteries, the newest import).
 * Read-only: nothing here writes or needs a transaction. */
#include "data/store_maps.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "data/store_internal.h"

struct outline_cb {
	int (*fn)(void *user, const char *code, const char *name, const uint8_t *wkb,
		  size_t len);
	void *user;
};

static int outline_row(void *user, sqlite3_stmt *s)
{
	struct outline_cb *cb = user;
	const char *code = (const char *)sqlite3_column_text(s, 0);
	const char *name = (const char *)sqlite3_column_text(s, 1);
	const uint8_t *wkb = sqlite3_column_blob(s, 2);
	return cb->fn(cb->user, code, name, wkb, (size_t)sqlite3_column_bytes(s, 2));
}

int store_each_region_outline(struct store *st,
			      int (*fn)(void *user, const char *code, const char *name,
					const uint8_t *wkb, size_t len),
			      void *user, char *err, size_t errlen)
{
	struct outline_cb cb = {fn, user};
	return store_each_row(st, "SELECT code, name, geom FROM safety_regions"
			      " WHERE geom IS NOT NULL ORDER BY code", 0, outline_row, &cb,
			      "read safety regions", err, errlen);
}

struct battery_cb {
	int (*fn)(void *user, const struct store_plan_battery *b);
	void *user;
};

static double maybe(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ? NAN : sqlite3_column_double(s, col);
}

static int battery_row(void *user, sqlite3_stmt *s)
{
	struct battery_cb *cb = user;
	struct store_plan_battery b = {
		.seq = sqlite3_column_int(s, 0), .level = sqlite3_column_int(s, 1),
		.code = (const char *)sqlite3_column_text(s, 2),
		.x_rd = sqlite3_column_double(s, 3), .y_rd = sqlite3_column_double(s, 4),
		.kwh = maybe(s, 5), .kw = maybe(s, 6), .households = maybe(s, 7),
		.funded = sqlite3_column_int(s, 8),
	};
	return cb->fn(cb->user, &b);
}

int store_each_plan_battery(struct store *st, int64_t id,
			    int (*fn)(void *user, const struct store_plan_battery *b),
			    void *user, char *err, size_t errlen)
{
	struct battery_cb cb = {fn, user};
	return store_each_row(st, "SELECT seq, level, code, x_rd, y_rd, kwh, kw, households,"
			      " funded FROM plan_batteries WHERE plan_id = ?1 ORDER BY seq", id,
			      battery_row, &cb, "read plan batteries", err, errlen);
}

static int import_row(void *user, sqlite3_stmt *s)
{
	struct store_import_info *out = user;
	const char *at = (const char *)sqlite3_column_text(s, 0);
	const char *files = (const char *)sqlite3_column_text(s, 1);
	snprintf(out->finished_at, sizeof out->finished_at, "%s", at ? at : "");
	snprintf(out->files, sizeof out->files, "%s", files ? files : "");
	return 0;
}

int store_last_import(struct store *st, struct store_import_info *out, char *err,
		      size_t errlen)
{
	memset(out, 0, sizeof *out);
	return store_each_row(st, "SELECT finished_at, files FROM imports ORDER BY id DESC"
			      " LIMIT 1", 0, import_row, out, "read imports", err, errlen);
}
