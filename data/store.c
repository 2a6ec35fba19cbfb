/* Opening, migrating and closing the hubplanner database, and its transactions.
 * WAL mode, a busy timeout, foreign keys on, BEGIN IMMEDIATE for every write.
 * Knows the schema's versions and how to migrate; knows nothing of files or geometry. */
#include "data/store_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 10000

/* Migration n takes the schema from version n-1 to n. Never edit a released entry. */
static const char *const migrations[] = {
	NULL,
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE areas("
	"  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),"
	"  code TEXT NOT NULL, name TEXT, gemeente_code TEXT, wijk_code TEXT,"
	"  residents REAL, residents_65plus REAL, pct_65plus REAL, households REAL,"
	"  urbanity INTEGER CHECK (urbanity BETWEEN 1 AND 5), address_density REAL,"
	"  cars_per_household REAL, land_ha REAL, water_ha REAL,"
	"  geom_land BLOB NOT NULL, minx REAL, miny REAL, maxx REAL, maxy REAL,"
	"  PRIMARY KEY (level, code)) WITHOUT ROWID;"
	"CREATE INDEX areas_gemeente ON areas(gemeente_code, level);"
	"CREATE TABLE area_water("
	"  level INTEGER NOT NULL, code TEXT NOT NULL, part INTEGER NOT NULL, geom BLOB NOT NULL,"
	"  PRIMARY KEY (level, code, part)) WITHOUT ROWID;"
	"CREATE TABLE safety_regions(code TEXT PRIMARY KEY, name TEXT NOT NULL, geom BLOB);"
	"CREATE TABLE memberships(gemeente_code TEXT PRIMARY KEY, gemeente_name TEXT,"
	"  region_code TEXT NOT NULL);"
	"CREATE TABLE sites(id INTEGER PRIMARY KEY, source TEXT NOT NULL, source_id TEXT NOT NULL,"
	"  name TEXT, kind TEXT NOT NULL, subkind TEXT, x_rd REAL NOT NULL, y_rd REAL NOT NULL,"
	"  capacity REAL, fixed INTEGER NOT NULL DEFAULT 0 CHECK (fixed IN (0, 1)),"
	"  UNIQUE (source, source_id));"
	"CREATE TABLE imports(id INTEGER PRIMARY KEY, started_at TEXT NOT NULL,"
	"  finished_at TEXT NOT NULL, files TEXT NOT NULL, repaired INTEGER NOT NULL,"
	"  unknown INTEGER NOT NULL, data_version TEXT NOT NULL, summary TEXT);",
	/* 2: plans. A plan's rows are written in one transaction with its header. */
	"CREATE TABLE plans(id INTEGER PRIMARY KEY, created_at TEXT NOT NULL,"
	"  data_version TEXT NOT NULL, params TEXT NOT NULL, timings TEXT, summary TEXT);"
	"CREATE TABLE plan_sites(plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
	"  level INTEGER NOT NULL CHECK (level IN (1, 2)), seq INTEGER NOT NULL,"
	"  x_rd REAL NOT NULL, y_rd REAL NOT NULL, site_id INTEGER, origin INTEGER NOT NULL,"
	"  gemeente_code TEXT, fixed INTEGER NOT NULL, PRIMARY KEY (plan_id, level, seq))"
	"  WITHOUT ROWID;"
	"CREATE TABLE plan_areas(plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
	"  level INTEGER NOT NULL, code TEXT NOT NULL, residents REAL, weight REAL,"
	"  covered REAL, uncovered REAL, vulnerable REAL, vulnerable_uncovered REAL,"
	"  regional_covered REAL, mean_dist_m REAL, PRIMARY KEY (plan_id, level, code))"
	"  WITHOUT ROWID;"
	"CREATE TABLE plan_regions(plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
	"  code TEXT NOT NULL, residents REAL, covered_residents REAL, weight REAL,"
	"  covered_weight REAL, bound REAL, gap_pct REAL, local_sites INTEGER,"
	"  regional_sites INTEGER, PRIMARY KEY (plan_id, code)) WITHOUT ROWID;",
	/* 3: backup power per battery area and the wijkbatterijen. */
	"CREATE TABLE plan_backup(plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
	"  level INTEGER NOT NULL, code TEXT NOT NULL, households REAL, wijk_batteries INTEGER,"
	"  wijk_kwh REAL, wijk_kw REAL, home_batteries INTEGER, home_kwh REAL,"
	"  protected_households REAL, cost_eur REAL, score REAL, funded INTEGER NOT NULL,"
	"  PRIMARY KEY (plan_id, level, code)) WITHOUT ROWID;"
	"CREATE TABLE plan_batteries(plan_id INTEGER NOT NULL REFERENCES plans(id)"
	"  ON DELETE CASCADE, seq INTEGER NOT NULL, level INTEGER NOT NULL, code TEXT NOT NULL,"
	"  x_rd REAL NOT NULL, y_rd REAL NOT NULL, kwh REAL, kw REAL, households REAL,"
	"  funded INTEGER NOT NULL, PRIMARY KEY (plan_id, seq)) WITHOUT ROWID;",
	/* 4: site statuses, keyed on the import key so that they outlive re-imports. */
	"CREATE TABLE site_status(source TEXT NOT NULL, source_id TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('designated', 'rejected')),"
	"  set_by TEXT NOT NULL, set_at TEXT NOT NULL, note TEXT, x_rd REAL, y_rd REAL,"
	"  name TEXT, PRIMARY KEY (source, source_id)) WITHOUT ROWID;",
	/* 5: what institutions hold (NULL = unknown), and older finer population layers
	 * (the 2015 buurten) kept beside the current areas, matched by location only. */
	"ALTER TABLE sites ADD COLUMN beds REAL;"
	"ALTER TABLE sites ADD COLUMN ic_beds REAL;"
	"ALTER TABLE sites ADD COLUMN clients REAL;"
	"CREATE TABLE ref_areas(layer TEXT NOT NULL, code TEXT NOT NULL, name TEXT,"
	"  year INTEGER, residents REAL, residents_65plus REAL, households REAL,"
	"  cars_per_household REAL, geom BLOB NOT NULL, minx REAL, miny REAL, maxx REAL,"
	"  maxy REAL, PRIMARY KEY (layer, code)) WITHOUT ROWID;",
	/* 6: the generators of care institutions, per plan. */
	"CREATE TABLE plan_generators(plan_id INTEGER NOT NULL REFERENCES plans(id)"
	"  ON DELETE CASCADE, seq INTEGER NOT NULL, site_id INTEGER NOT NULL,"
	"  people REAL, kva REAL NOT NULL, cost_eur REAL NOT NULL, score REAL,"
	"  funded INTEGER NOT NULL, PRIMARY KEY (plan_id, seq)) WITHOUT ROWID;",
	/* 7: how each area's residents became demand: own, cells, even, or the reference
	 * layer that spread them; NULL for areas whose demand comes from finer areas. */
	"ALTER TABLE plan_areas ADD COLUMN spread TEXT;",
	/* 8: how a region's bound was found (lagrangian, mip, optimum; NULL = lagrangian),
	 * the best coverage an exact solve found with the plan's number of sites, its time. */
	"ALTER TABLE plan_regions ADD COLUMN bound_method TEXT;"
	"ALTER TABLE plan_regions ADD COLUMN best_weight REAL;"
	"ALTER TABLE plan_regions ADD COLUMN exact_s REAL;",
	/* 9: coverage in a blackout: whether a planned site's backup power is funded (NULL in
	 * older plans, which paid for every point), and the residents funded sites reach. */
	"ALTER TABLE plan_sites ADD COLUMN power_funded INTEGER;"
	"ALTER TABLE plan_areas ADD COLUMN blackout_covered REAL;"
	"ALTER TABLE plan_areas ADD COLUMN blackout_regional_covered REAL;"
	"ALTER TABLE plan_regions ADD COLUMN blackout_covered REAL;",
	/* 10: backup coverage: a planned site's purpose (primary, or backup: added to raise
	 * the residents within reach of two local sites; NULL in older plans = primary), and
	 * the residents two or more local sites reach (NULL = unknown, older plans). */
	"ALTER TABLE plan_sites ADD COLUMN purpose TEXT;"
	"ALTER TABLE plan_areas ADD COLUMN twice_covered REAL;"
	"ALTER TABLE plan_regions ADD COLUMN twice_covered REAL;",
	/* 11: hazard layers (flood depths and the like): a named polygon layer, one row per
	 * kept feature, replaced as a whole by a re-import; a planned site's hazard flag (the
	 * first hazard_flag layer it lies in; NULL = none or an older plan). */
	"CREATE TABLE hazard_layers(name TEXT PRIMARY KEY, source TEXT NOT NULL,"
	"  filter TEXT, imported_at TEXT NOT NULL, features INTEGER NOT NULL, area_m2 REAL)"
	"  WITHOUT ROWID;"
	"CREATE TABLE hazard_parts(name TEXT NOT NULL REFERENCES hazard_layers(name)"
	"  ON DELETE CASCADE, part INTEGER NOT NULL, feature TEXT NOT NULL, geom BLOB NOT NULL,"
	"  minx REAL, miny REAL, maxx REAL, maxy REAL, PRIMARY KEY (name, part)) WITHOUT ROWID;"
	"ALTER TABLE plan_sites ADD COLUMN hazard TEXT;",
};
#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof migrations[0]) - 1)
_Static_assert(sizeof migrations / sizeof migrations[0] - 1 == STORE_SCHEMA_VERSION,
	       "one migration per schema version");

int store_fail(struct store *st, int rc, const char *what, char *err, size_t errlen)
{
	const char *msg = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
	snprintf(err, errlen, "%s: %s", what, msg);
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	case SQLITE_CONSTRAINT:
		return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY
			       ? -EEXIST : -EINVAL;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return -EILSEQ;
	default:
		return -EIO;
	}
}

int store_exec(struct store *st, const char *sql, const char *what, char *err, size_t errlen)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, what, err, errlen);
	return 0;
}

sqlite3_stmt *store_stmt(struct store *st, enum store_slot slot, const char *sql,
			 char *err, size_t errlen)
{
	sqlite3_stmt *s = st->stmt[slot];
	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return s;
	}
	int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK) {
		store_fail(st, rc, "prepare", err, errlen);
		return NULL;
	}
	st->stmt[slot] = s;
	return s;
}

int store_step_done(struct store *st, sqlite3_stmt *s, const char *what, char *err,
		    size_t errlen)
{
	int rc = sqlite3_step(s);
	int ret = rc == SQLITE_DONE ? 0 : store_fail(st, rc, what, err, errlen);
	sqlite3_reset(s);
	return ret;
}

int store_need_tx(struct store *st, char *err, size_t errlen)
{
	if (st->in_tx)
		return 0;
	snprintf(err, errlen, "write outside a transaction");
	return -EPERM;
}

int store_bind_maybe(sqlite3_stmt *s, int idx, double v)
{
	return v != v ? sqlite3_bind_null(s, idx) : sqlite3_bind_double(s, idx, v);
}

int store_bind_text(sqlite3_stmt *s, int idx, const char *v)
{
	return v ? sqlite3_bind_text(s, idx, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(s, idx);
}

static int user_version(struct store *st, int *version, char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		*version = sqlite3_column_int(s, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_OK ? 0 : store_fail(st, rc, st->path, err, errlen);
}

static int migrate(struct store *st, char *err, size_t errlen)
{
	int version = 0;
	int rc = user_version(st, &version, err, errlen);
	if (rc < 0)
		return rc;
	if (version > MIGRATION_COUNT) {
		snprintf(err, errlen, "%s: schema version %d is newer than this build's %d",
			 st->path, version, MIGRATION_COUNT);
		return -EPROTO;
	}
	if (version == MIGRATION_COUNT)
		return 0;
	if ((rc = store_begin(st, err, errlen)) < 0)
		return rc;
	for (int v = version + 1; v <= MIGRATION_COUNT; v++) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
		if ((rc = store_exec(st, migrations[v], "migrate", err, errlen)) < 0 ||
		    (rc = store_exec(st, sql, "migrate", err, errlen)) < 0) {
			store_rollback(st);
			return rc;
		}
	}
	return store_commit(st, err, errlen);
}

static int configure(struct store *st, int readonly, char *err, size_t errlen)
{
	int version = 0;
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(st->db, 1);
	int rc = store_exec(st, "PRAGMA foreign_keys = ON", st->path, err, errlen);
	/* Reading the schema proves the file is a database before we call it ours, and a
	 * database from a newer build is refused before anything about it changes. */
	if (rc == 0)
		rc = store_exec(st, "SELECT count(*) FROM sqlite_schema", st->path, err, errlen);
	if (rc == 0)
		rc = user_version(st, &version, err, errlen);
	if (rc == 0 && version > MIGRATION_COUNT) {
		snprintf(err, errlen, "%s: schema version %d is newer than this build's %d",
			 st->path, version, MIGRATION_COUNT);
		return -EPROTO;
	}
	if (rc == 0 && !readonly)
		rc = store_exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
				st->path, err, errlen);
	return rc;
}

/* 1 when a read-only open failed only because sqlite cannot create the -shm index of a WAL
 * database in a directory we may not write, and there is no -wal file holding newer pages. */
static int wal_index_impossible(struct store *st)
{
	size_t n = strlen(st->path) + 5;
	char *wal = malloc(n);
	int missing = 0;
	if (sqlite3_extended_errcode(st->db) != SQLITE_READONLY_DIRECTORY || !wal) {
		free(wal);
		return 0;
	}
	snprintf(wal, n, "%s-wal", st->path);
	missing = access(wal, F_OK) != 0 && errno == ENOENT;
	free(wal);
	return missing;
}

/* Reopens such a database as immutable (no locks, no -shm): everything is in the main file.
 * A writer with more rights that changes it meanwhile is seen by the next open only. */
static int open_immutable(struct store *st, char *err, size_t errlen)
{
	char *uri = malloc(3 * strlen(st->path) + 32), *w = uri;
	if (!uri) {
		snprintf(err, errlen, "%s: out of memory", st->path);
		return -ENOMEM;
	}
	w += sprintf(w, st->path[0] == '/' ? "file://" : "file:");
	for (const char *p = st->path; *p; p++)
		w += strchr("?#%", *p) ? sprintf(w, "%%%02X", (unsigned char)*p) : (*w = *p, 1);
	strcpy(w, "?immutable=1");
	sqlite3_close(st->db);
	st->db = NULL;
	int rc = sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
				 SQLITE_OPEN_NOMUTEX, NULL);
	free(uri);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, st->path, err, errlen);
	return configure(st, 1, err, errlen);
}

int store_open(const char *path, int flags, struct store **out, char *err, size_t errlen)
{
	int readonly = flags & STORE_READONLY;
	int oflags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	struct store *st = calloc(1, sizeof *st);
	int rc = -ENOMEM;

	*out = NULL;
	if (!st || !(st->path = strdup(path))) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	rc = sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = store_fail(st, rc, path, err, errlen);
		goto fail;
	}
	rc = configure(st, readonly, err, errlen);
	if (rc < 0 && readonly && wal_index_impossible(st))
		rc = open_immutable(st, err, errlen);
	if (rc < 0)
		goto fail;
	if (!readonly && (rc = migrate(st, err, errlen)) < 0)
		goto fail;
	if (readonly) {
		int version = 0;
		if ((rc = user_version(st, &version, err, errlen)) < 0)
			goto fail;
		if (version != MIGRATION_COUNT) {
			snprintf(err, errlen, "%s: schema version %d, this build needs %d "
				 "(open it once read-write to migrate)", path, version, MIGRATION_COUNT);
			rc = -EPROTO;
			goto fail;
		}
	}
	*out = st;
	return 0;
fail:
	store_close(st);
	return rc;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < SLOT_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db) {
		if (st->in_tx)
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(st->db);
	}
	free(st->path);
	free(st);
}

int store_begin(struct store *st, char *err, size_t errlen)
{
	if (st->in_tx) {
		snprintf(err, errlen, "%s: a transaction is already open", st->path);
		return -EALREADY;
	}
	if (sqlite3_db_readonly(st->db, "main") == 1) {
		snprintf(err, errlen, "%s: opened read-only", st->path);
		return -EACCES;
	}
	int rc = store_exec(st, "BEGIN IMMEDIATE", "begin", err, errlen);
	if (rc == 0)
		st->in_tx = 1;
	return rc;
}

int store_commit(struct store *st, char *err, size_t errlen)
{
	int rc = store_exec(st, "COMMIT", "commit", err, errlen);
	if (rc < 0)
		store_rollback(st);
	st->in_tx = 0;
	return rc;
}

void store_rollback(struct store *st)
{
	if (st->in_tx || !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
}

void store_utc_now(char out[32])
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

struct sqlite3 *store_handle(struct store *st)
{
	return st->db;
}
