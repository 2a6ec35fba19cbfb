/* Writing and reading the reference population layers (table ref_areas, migration 5).
 * The caller holds the transaction for writes; geometry is stored and returned as bytes,
 * never parsed. */
#include "data/store_ref.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "data/store_internal.h"

int store_ref_clear(struct store *st, const char *layer, char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc = store_need_tx(st, err, errlen);
	if (rc < 0)
		return rc;
	rc = sqlite3_prepare_v2(st->db, "DELETE FROM ref_areas WHERE layer = ?1", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "clear reference areas", err, errlen);
	store_bind_text(s, 1, layer);
	rc = store_step_done(st, s, "clear reference areas", err, errlen);
	sqlite3_finalize(s);
	return rc;
}

int store_ref_put(struct store *st, const struct store_ref_area *r, char *err, size_t errlen)
{
	static const char sql[] =
		"INSERT INTO ref_areas(layer, code, name, year, residents, residents_65plus,"
		" households, cars_per_household, geom, minx, miny, maxx, maxy)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)";
	if (!r->layer || !r->code || !r->wkb || r->wkb_len == 0) {
		snprintf(err, errlen, "reference area %s: layer, code and geometry are required",
			 r->code ? r->code : "(no code)");
		return -EINVAL;
	}
	int rc = store_need_tx(st, err, errlen);
	if (rc < 0)
		return rc;
	sqlite3_stmt *s = store_stmt(st, SLOT_PUT_REF, sql, err, errlen);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, r->layer);
	store_bind_text(s, 2, r->code);
	store_bind_text(s, 3, r->name);
	if (r->year > 0)
		sqlite3_bind_int(s, 4, r->year);
	const double v[] = {r->residents, r->residents_65plus, r->households,
			    r->cars_per_household};
	for (int i = 0; i < 4; i++)
		store_bind_maybe(s, 5 + i, v[i]);
	sqlite3_bind_blob(s, 9, r->wkb, (int)r->wkb_len, SQLITE_TRANSIENT);
	const double box[] = {r->minx, r->miny, r->maxx, r->maxy};
	for (int i = 0; i < 4; i++)
		store_bind_maybe(s, 10 + i, box[i]);
	rc = store_step_done(st, s, "insert reference area", err, errlen);
	if (rc == -EEXIST)
		snprintf(err, errlen, "duplicate code %s in layer %s", r->code, r->layer);
	return rc;
}

struct ref_cb {
	int (*fn)(void *, const struct store_ref_area *);
	void *user;
};

static double maybe(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ? STORE_UNKNOWN
							  : sqlite3_column_double(s, col);
}

static int ref_row(void *user, sqlite3_stmt *s)
{
	struct ref_cb *cb = user;
	struct store_ref_area r = {
		.layer = (const char *)sqlite3_column_text(s, 0),
		.code = (const char *)sqlite3_column_text(s, 1),
		.name = (const char *)sqlite3_column_text(s, 2),
		.year = sqlite3_column_int(s, 3),
		.residents = maybe(s, 4), .residents_65plus = maybe(s, 5),
		.households = maybe(s, 6), .cars_per_household = maybe(s, 7),
		.wkb = sqlite3_column_blob(s, 8),
		.wkb_len = (size_t)sqlite3_column_bytes(s, 8),
		.minx = maybe(s, 9), .miny = maybe(s, 10), .maxx = maybe(s, 11),
		.maxy = maybe(s, 12),
	};
	return cb->fn(cb->user, &r);
}

int store_each_ref_area(struct store *st, int (*fn)(void *user, const struct store_ref_area *r),
			void *user, char *err, size_t errlen)
{
	struct ref_cb cb = {fn, user};
	return store_each_row(st, "SELECT layer, code, name, year, residents, residents_65plus,"
			      " households, cars_per_household, geom, minx, miny, maxx, maxy"
			      " FROM ref_areas ORDER BY layer, code", 0, ref_row, &cb,
			      "read reference areas", err, errlen);
}

int store_ref_count(struct store *st, const char *layer, long *count, char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, "SELECT count(*) FROM ref_areas"
				    " WHERE ?1 IS NULL OR layer = ?1", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "count reference areas", err, errlen);
	store_bind_text(s, 1, layer);
	*count = 0;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*count = (long)sqlite3_column_int64(s, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, "count reference areas", err, errlen);
}
