/* Writing, dropping and reading hazard layers (tables hazard_layers, hazard_parts). The
 * caller holds the transaction for writes; parts go with their layer (ON DELETE CASCADE).
 * Geometry is bytes here: no parsing, no checks beyond presence. */
#include "data/store_hazards.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "data/store_internal.h"

static int run(struct store *st, const char *sql, const char *name, const char *what,
	       char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, what, err, errlen);
	store_bind_text(s, 1, name);
	rc = store_step_done(st, s, what, err, errlen);
	sqlite3_finalize(s);
	return rc;
}

int store_hazard_replace(struct store *st, const struct store_hazard_layer *l, char *err,
			 size_t errlen)
{
	static const char sql[] =
		"INSERT INTO hazard_layers(name, source, filter, imported_at, features, area_m2)"
		" VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?4, ?5)";
	sqlite3_stmt *s = NULL;
	int rc = store_need_tx(st, err, errlen);
	if (rc == 0)
		rc = run(st, "DELETE FROM hazard_layers WHERE name = ?1", l->name,
			 "replace hazard layer", err, errlen);
	if (rc < 0)
		return rc;
	if ((rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL)) != SQLITE_OK)
		return store_fail(st, rc, "insert hazard layer", err, errlen);
	store_bind_text(s, 1, l->name);
	store_bind_text(s, 2, l->source);
	store_bind_text(s, 3, l->filter);
	sqlite3_bind_int64(s, 4, l->features);
	store_bind_maybe(s, 5, l->area_m2);
	rc = store_step_done(st, s, "insert hazard layer", err, errlen);
	sqlite3_finalize(s);
	return rc;
}

int store_hazard_put_part(struct store *st, const struct store_hazard_part *p, char *err,
			  size_t errlen)
{
	static const char sql[] =
		"INSERT INTO hazard_parts(name, part, feature, geom, minx, miny, maxx, maxy)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *s = NULL;
	int rc = store_need_tx(st, err, errlen);
	if (rc < 0)
		return rc;
	if (!p->wkb || p->wkb_len == 0) {
		snprintf(err, errlen, "hazard %s part %ld: no geometry", p->name, p->part);
		return -EINVAL;
	}
	if ((rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL)) != SQLITE_OK)
		return store_fail(st, rc, "insert hazard part", err, errlen);
	store_bind_text(s, 1, p->name);
	sqlite3_bind_int64(s, 2, p->part);
	store_bind_text(s, 3, p->feature ? p->feature : "");
	sqlite3_bind_blob(s, 4, p->wkb, (int)p->wkb_len, SQLITE_TRANSIENT);
	const double box[] = {p->minx, p->miny, p->maxx, p->maxy};
	for (int i = 0; i < 4; i++)
		store_bind_maybe(s, 5 + i, box[i]);
	rc = store_step_done(st, s, "insert hazard part", err, errlen);
	sqlite3_finalize(s);
	return rc;
}

int store_hazard_drop(struct store *st, const char *name, char *err, size_t errlen)
{
	int rc = store_need_tx(st, err, errlen);
	if (rc == 0)
		rc = run(st, "DELETE FROM hazard_layers WHERE name = ?1", name, "drop hazard layer",
			 err, errlen);
	if (rc == 0 && sqlite3_changes(st->db) == 0) {
		snprintf(err, errlen, "no hazard layer %s", name);
		rc = -ENOENT;
	}
	return rc;
}

static double maybe(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ? STORE_UNKNOWN
							  : sqlite3_column_double(s, col);
}

struct layer_cb {
	int (*fn)(void *, const struct store_hazard_layer *);
	void *user;
};

static int layer_row(void *user, sqlite3_stmt *s)
{
	struct layer_cb *cb = user;
	struct store_hazard_layer l = {
		.name = (const char *)sqlite3_column_text(s, 0),
		.source = (const char *)sqlite3_column_text(s, 1),
		.filter = (const char *)sqlite3_column_text(s, 2),
		.imported_at = (const char *)sqlite3_column_text(s, 3),
		.features = (long)sqlite3_column_int64(s, 4),
		.area_m2 = maybe(s, 5),
	};
	return cb->fn(cb->user, &l);
}

int store_each_hazard_layer(struct store *st,
			    int (*fn)(void *user, const struct store_hazard_layer *l), void *user,
			    char *err, size_t errlen)
{
	struct layer_cb cb = {fn, user};
	return store_each_row(st, "SELECT name, source, filter, imported_at, features, area_m2"
			      " FROM hazard_layers ORDER BY name", 0, layer_row, &cb,
			      "read hazard layers", err, errlen);
}

struct part_cb {
	int (*fn)(void *, const struct store_hazard_part *);
	void *user;
};

static int part_row(void *user, sqlite3_stmt *s)
{
	struct part_cb *cb = user;
	struct store_hazard_part p = {
		.name = (const char *)sqlite3_column_text(s, 0),
		.part = (long)sqlite3_column_int64(s, 1),
		.feature = (const char *)sqlite3_column_text(s, 2),
		.wkb = sqlite3_column_blob(s, 3),
		.wkb_len = (size_t)sqlite3_column_bytes(s, 3),
		.minx = maybe(s, 4), .miny = maybe(s, 5), .maxx = maybe(s, 6), .maxy = maybe(s, 7),
	};
	return cb->fn(cb->user, &p);
}

int store_each_hazard_part(struct store *st,
			   int (*fn)(void *user, const struct store_hazard_part *p), void *user,
			   char *err, size_t errlen)
{
	struct part_cb cb = {fn, user};
	return store_each_row(st, "SELECT name, part, feature, geom, minx, miny, maxx, maxy"
			      " FROM hazard_parts ORDER BY name, part", 0, part_row, &cb,
			      "read hazard parts", err, errlen);
}
