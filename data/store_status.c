/* Site statuses in the store: resolving a site reference (id, source:source_id, or the
 * nearest site within 25 m of a position), applying a batch of changes in one transaction,
 * and reading statuses back joined with the sites as they are now. Never parses files and
 * never decides what a status means for a plan. */
#include "data/store_internal.h"
#include "data/store_status.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = {"none", "designated", "rejected", "released"};

const char *store_status_name(enum store_status s)
{
	return s >= STORE_STATUS_NONE && s <= STORE_STATUS_RELEASED ? status_names[s] : "none";
}

int store_status_parse(const char *name)
{
	for (int s = STORE_STATUS_DESIGNATED; s <= STORE_STATUS_RELEASED; s++)
		if (name && strcmp(name, status_names[s]) == 0)
			return s;
	return -1;
}

int store_site_ref_parse(const char *text, char *buf, size_t buflen,
			 struct store_site_ref *ref)
{
	char *end = NULL;
	const char *colon = strrchr(text, ':');
	*ref = (struct store_site_ref){0};
	if (!colon) {
		long long id = strtoll(text, &end, 10);
		if (!text[0] || *end || id < 1)
			return -EINVAL;
		ref->kind = STORE_REF_ID;
		ref->id = id;
		return 0;
	}
	size_t n = strlen(text);
	if (colon == text || !colon[1] || n + 1 > buflen)
		return -EINVAL;
	memcpy(buf, text, n + 1);
	buf[colon - text] = '\0';
	ref->kind = STORE_REF_KEY;
	ref->source = buf;
	ref->source_id = buf + (colon - text) + 1;
	return 0;
}

static const char *text_or(sqlite3_stmt *s, int col, const char *def)
{
	const char *t = (const char *)sqlite3_column_text(s, col);
	return t ? t : def;
}

static void site_from_row(sqlite3_stmt *s, struct store_status_site *out)
{
	out->id = sqlite3_column_int64(s, 0);
	snprintf(out->source, sizeof out->source, "%s", text_or(s, 1, ""));
	snprintf(out->source_id, sizeof out->source_id, "%s", text_or(s, 2, ""));
	snprintf(out->name, sizeof out->name, "%s", text_or(s, 3, ""));
	out->x_rd = sqlite3_column_double(s, 4);
	out->y_rd = sqlite3_column_double(s, 5);
	out->distance_m = 0;
}

#define SITE_COLUMNS "SELECT id, source, source_id, name, x_rd, y_rd FROM sites "

/* Binds the reference and steps once: SQLITE_ROW with the site, else SQLITE_DONE. With
 * anywhere, a position finds the nearest site at any distance. */
static int find_by(struct store *st, const struct store_site_ref *ref, int anywhere,
		   sqlite3_stmt **out)
{
	static const char *const sql[] = {
		NULL,
		SITE_COLUMNS "WHERE id = ?1",
		SITE_COLUMNS "WHERE source = ?1 AND source_id = ?2",
		/* the box first (cheap), then the exact distance; ties: lowest id */
		SITE_COLUMNS "WHERE x_rd BETWEEN ?1 - ?3 AND ?1 + ?3 AND y_rd BETWEEN ?2 - ?3 AND"
		" ?2 + ?3 ORDER BY (x_rd - ?1) * (x_rd - ?1) + (y_rd - ?2) * (y_rd - ?2), id LIMIT 1",
		/* none within: the nearest of all, for the message */
		SITE_COLUMNS "WHERE ?3 > 0 ORDER BY (x_rd - ?1) * (x_rd - ?1) + (y_rd - ?2) *"
		" (y_rd - ?2), id LIMIT 1",
	};
	int rc = sqlite3_prepare_v2(st->db, sql[ref->kind + anywhere], -1, out, NULL);
	if (rc != SQLITE_OK)
		return rc;
	if (ref->kind == STORE_REF_ID) {
		sqlite3_bind_int64(*out, 1, ref->id);
	} else if (ref->kind == STORE_REF_KEY) {
		sqlite3_bind_text(*out, 1, ref->source, -1, SQLITE_STATIC);
		sqlite3_bind_text(*out, 2, ref->source_id, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_double(*out, 1, ref->x_rd);
		sqlite3_bind_double(*out, 2, ref->y_rd);
		sqlite3_bind_double(*out, 3, STORE_STATUS_TOLERANCE_M);
	}
	return sqlite3_step(*out);
}

static void not_found(const struct store_site_ref *ref, const struct store_status_site *near,
		      char *err, size_t errlen)
{
	if (ref->kind == STORE_REF_ID)
		snprintf(err, errlen, "no site with id %lld", (long long)ref->id);
	else if (ref->kind == STORE_REF_KEY)
		snprintf(err, errlen, "no site %s:%s", ref->source, ref->source_id);
	else if (near)
		snprintf(err, errlen, "no site within %.0f m of x=%.1f y=%.1f (nearest: %s, %.0f m)",
			 STORE_STATUS_TOLERANCE_M, ref->x_rd, ref->y_rd,
			 near->name[0] ? near->name : "unnamed", near->distance_m);
	else
		snprintf(err, errlen, "no site within %.0f m of x=%.1f y=%.1f",
			 STORE_STATUS_TOLERANCE_M, ref->x_rd, ref->y_rd);
}

int store_status_resolve(struct store *st, const struct store_site_ref *ref,
			 struct store_status_site *out, char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	if (ref->kind < STORE_REF_ID || ref->kind > STORE_REF_POSITION ||
	    (ref->kind == STORE_REF_POSITION && (!isfinite(ref->x_rd) || !isfinite(ref->y_rd)))) {
		snprintf(err, errlen, "not a site reference");
		return -EINVAL;
	}
	int rc = find_by(st, ref, 0, &s), ret = 0;
	if (rc == SQLITE_DONE && ref->kind == STORE_REF_POSITION) {
		sqlite3_finalize(s);
		s = NULL;
		rc = find_by(st, ref, 1, &s);
		if (rc == SQLITE_DONE) {
			not_found(ref, NULL, err, errlen);
			sqlite3_finalize(s);
			return -ENOENT;
		}
	}
	if (rc == SQLITE_ROW) {
		site_from_row(s, out);
		if (ref->kind == STORE_REF_POSITION)
			out->distance_m = hypot(out->x_rd - ref->x_rd, out->y_rd - ref->y_rd);
		/* the box holds its corners too, and the nearest of all may be far: no match */
		if (out->distance_m > STORE_STATUS_TOLERANCE_M) {
			not_found(ref, out, err, errlen);
			ret = -ENOENT;
		}
	} else if (rc == SQLITE_DONE) {
		not_found(ref, NULL, err, errlen);
		ret = -ENOENT;
	} else {
		ret = store_fail(st, rc, "find site", err, errlen);
	}
	sqlite3_finalize(s);
	return ret;
}

static int apply_one(struct store *st, const struct store_status_change *c, const char *set_by,
		     const char *now, char *err, size_t errlen)
{
	static const char *const del = "DELETE FROM site_status WHERE source = ?1 AND source_id = ?2";
	static const char *const put = "INSERT OR REPLACE INTO site_status(source, source_id,"
		" status, set_by, set_at, note, x_rd, y_rd, name) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
		" ?7, ?8, ?9)";
	int release = c->status == STORE_STATUS_RELEASED;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, release ? del : put, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "set status", err, errlen);
	store_bind_text(s, 1, c->site->source);
	store_bind_text(s, 2, c->site->source_id);
	if (!release) {
		store_bind_text(s, 3, store_status_name(c->status));
		store_bind_text(s, 4, set_by);
		store_bind_text(s, 5, now);
		store_bind_text(s, 6, c->note && c->note[0] ? c->note : NULL);
		sqlite3_bind_double(s, 7, c->site->x_rd);
		sqlite3_bind_double(s, 8, c->site->y_rd);
		store_bind_text(s, 9, c->site->name[0] ? c->site->name : NULL);
	}
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, "set status", err, errlen);
}

int store_status_apply(struct store *st, const struct store_status_change *c, size_t n,
		       const char *set_by, char *err, size_t errlen)
{
	char now[32];
	for (size_t i = 0; i < n; i++)
		if (c[i].status < STORE_STATUS_DESIGNATED || c[i].status > STORE_STATUS_RELEASED) {
			snprintf(err, errlen, "change %zu: not a status change", i + 1);
			return -EINVAL;
		}
	int rc = store_begin(st, err, errlen);
	if (rc < 0)
		return rc;
	store_utc_now(now);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = apply_one(st, &c[i], set_by, now, err, errlen);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, err, errlen);
}

#define STATUS_COLUMNS                                                                     \
	"SELECT t.source, t.source_id, t.status, t.set_by, t.set_at, t.note,"               \
	" coalesce(s.x_rd, t.x_rd), coalesce(s.y_rd, t.y_rd), coalesce(s.name, t.name),"    \
	" coalesce(s.id, -1) FROM site_status t LEFT JOIN sites s"                          \
	" ON s.source = t.source AND s.source_id = t.source_id "

struct status_cb {
	int (*fn)(void *, const struct store_status_row *);
	void *user;
	int calls;
};

static int status_row(void *user, sqlite3_stmt *s)
{
	struct status_cb *cb = user;
	const char *name = text_or(s, 2, "");
	struct store_status_row r = {
		.source = text_or(s, 0, ""), .source_id = text_or(s, 1, ""), .status_name = name,
		.set_by = text_or(s, 3, ""), .set_at = text_or(s, 4, ""),
		.note = (const char *)sqlite3_column_text(s, 5),
		.status = (enum store_status)store_status_parse(name),
		.x_rd = sqlite3_column_type(s, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 6),
		.y_rd = sqlite3_column_type(s, 7) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 7),
		.name = (const char *)sqlite3_column_text(s, 8),
		.site_id = sqlite3_column_int64(s, 9),
	};
	cb->calls++;
	return cb->fn(cb->user, &r);
}

int store_each_status(struct store *st, int (*fn)(void *user, const struct store_status_row *r),
		      void *user, char *err, size_t errlen)
{
	struct status_cb cb = {fn, user, 0};
	return store_each_row(st, STATUS_COLUMNS "ORDER BY t.source, t.source_id", 0, status_row,
			      &cb, "read statuses", err, errlen);
}

int store_status_get(struct store *st, const char *source, const char *source_id,
		     int (*fn)(void *user, const struct store_status_row *r), void *user,
		     char *err, size_t errlen)
{
	struct status_cb cb = {fn, user, 0};
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, STATUS_COLUMNS "WHERE t.source = ?1 AND"
				    " t.source_id = ?2", -1, &s, NULL), ret = 0;
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "read status", err, errlen);
	sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, source_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		ret = status_row(&cb, s);
	else if (rc == SQLITE_DONE)
		ret = -ENOENT;
	else
		ret = store_fail(st, rc, "read status", err, errlen);
	sqlite3_finalize(s);
	if (ret == -ENOENT)
		snprintf(err, errlen, "no status for %s:%s", source, source_id);
	return ret;
}

void store_status_busy_timeout(struct store *st, int ms)
{
	sqlite3_busy_timeout(st->db, ms);
}
