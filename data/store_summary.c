/* Reading back what the store holds: the per-level counts and totals of the summary, the
 * content hash that serves as the data version, and the import log.
 * Read-only except store_log_import, which runs inside the import's transaction. */
#include "data/store_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Canonical order: every data table, every column, sorted by primary key. */
static const char *const hashed_tables[] = {
	"SELECT * FROM areas ORDER BY level, code",
	"SELECT * FROM area_water ORDER BY level, code, part",
	"SELECT * FROM safety_regions ORDER BY code",
	"SELECT * FROM memberships ORDER BY gemeente_code",
	("SELECT source, source_id, name, kind, subkind, x_rd, y_rd, capacity, fixed, beds,"
	 " ic_beds, clients FROM sites ORDER BY source, source_id"),
	"SELECT * FROM ref_areas ORDER BY layer, code",
};

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t hash_value(uint64_t h, sqlite3_stmt *s, int col)
{
	int type = sqlite3_column_type(s, col);
	h = fnv(h, &type, sizeof type);
	if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
		double v = sqlite3_column_double(s, col);
		return fnv(h, &v, sizeof v);
	}
	if (type == SQLITE_NULL)
		return h;
	const void *p = type == SQLITE_BLOB ? sqlite3_column_blob(s, col)
					    : (const void *)sqlite3_column_text(s, col);
	return fnv(h, p, (size_t)sqlite3_column_bytes(s, col));
}

static int hash_table(struct store *st, const char *sql, uint64_t *h, long *rows,
		      char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "data version", err, errlen);
	int ncol = sqlite3_column_count(s);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		(*rows)++;
		for (int c = 0; c < ncol; c++)
			*h = hash_value(*h, s, c);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, "data version", err, errlen);
}

int store_data_version(struct store *st, char out[17], char *err, size_t errlen)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	long rows = 0;
	for (size_t i = 0; i < sizeof hashed_tables / sizeof hashed_tables[0]; i++) {
		int rc = hash_table(st, hashed_tables[i], &h, &rows, err, errlen);
		if (rc < 0)
			return rc;
		h = fnv(h, "|", 1);
	}
	if (rows == 0)
		out[0] = '\0';
	else
		snprintf(out, 17, "%016llx", (unsigned long long)h);
	return 0;
}

int store_log_import(struct store *st, const char *started_at, const char *files,
		     long repaired, long unknown, const char *summary_json,
		     char *err, size_t errlen)
{
	char version[17], now[32];
	sqlite3_stmt *s = NULL;
	int rc = store_need_tx(st, err, errlen);
	if (rc == 0)
		rc = store_data_version(st, version, err, errlen);
	if (rc < 0)
		return rc;
	store_utc_now(now);
	rc = sqlite3_prepare_v2(st->db,
				"INSERT INTO imports(started_at, finished_at, files, repaired, unknown,"
				" data_version, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "log import", err, errlen);
	store_bind_text(s, 1, started_at);
	store_bind_text(s, 2, now);
	store_bind_text(s, 3, files);
	sqlite3_bind_int64(s, 4, repaired);
	sqlite3_bind_int64(s, 5, unknown);
	store_bind_text(s, 6, version);
	store_bind_text(s, 7, summary_json);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, "log import", err, errlen);
	return store_exec(st, "INSERT OR REPLACE INTO meta(key, value) SELECT 'data_version',"
			  " data_version FROM imports ORDER BY id DESC LIMIT 1",
			  "log import", err, errlen);
}

/* Runs a query whose single row of integer columns goes into out[0..n). */
static int query_longs(struct store *st, const char *sql, int level, long *out, int n,
		       char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "summary", err, errlen);
	if (level)
		sqlite3_bind_int(s, 1, level);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			out[i] = (long)sqlite3_column_int64(s, i);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, "summary", err, errlen);
}

static int level_stats(struct store *st, int level, struct store_level_stats *ls,
		       char *err, size_t errlen)
{
	long v[4] = {0};
	int rc = query_longs(st,
			     "SELECT count(*), CAST(round(total(residents)) AS INTEGER),"
			     " count(*) - count(residents),"
			     " (SELECT count(*) FROM area_water w WHERE w.level = ?1)"
			     " FROM areas WHERE level = ?1", level, v, 4, err, errlen);
	ls->features = v[0];
	ls->residents = (double)v[1];
	ls->residents_unknown = v[2];
	ls->water_parts = v[3];
	return rc;
}

static int last_import(struct store *st, struct store_summary *out, char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, "SELECT id, finished_at, repaired, unknown FROM imports"
				    " ORDER BY id DESC LIMIT 1", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "summary", err, errlen);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->last_import_id = (long)sqlite3_column_int64(s, 0);
		snprintf(out->last_import_at, sizeof out->last_import_at, "%s",
			 (const char *)sqlite3_column_text(s, 1));
		out->geometries_repaired = (long)sqlite3_column_int64(s, 2);
		out->values_unknown = (long)sqlite3_column_int64(s, 3);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, "summary", err, errlen);
}

int store_summary(struct store *st, struct store_summary *out, char *err, size_t errlen)
{
	long v[5] = {0};
	int rc = 0;
	memset(out, 0, sizeof *out);
	out->schema_version = STORE_SCHEMA_VERSION;
	for (int level = 1; level <= AREA_LEVELS && rc == 0; level++)
		rc = level_stats(st, level, &out->level[level], err, errlen);
	if (rc == 0)
		rc = query_longs(st,
				 "SELECT (SELECT count(*) FROM safety_regions),"
				 " (SELECT count(*) FROM memberships),"
				 " (SELECT count(*) FROM areas a WHERE a.level = 1 AND NOT EXISTS"
				 "  (SELECT 1 FROM memberships m WHERE m.gemeente_code = a.code)),"
				 " (SELECT count(*) FROM sites),"
				 " (SELECT count(*) FROM sites WHERE fixed = 1)", 0, v, 5, err, errlen);
	out->regions = v[0];
	out->memberships = v[1];
	out->municipalities_without_region = v[2];
	out->sites = v[3];
	out->sites_fixed = v[4];
	long ref[2] = {0};
	if (rc == 0)
		rc = query_longs(st, "SELECT count(*), CAST(round(total(residents)) AS INTEGER)"
				 " FROM ref_areas", 0, ref, 2, err, errlen);
	out->ref_areas = ref[0];
	out->ref_residents = (double)ref[1];
	if (rc == 0)
		rc = last_import(st, out, err, errlen);
	if (rc == 0)
		rc = store_data_version(st, out->data_version, err, errlen);
	return rc;
}
