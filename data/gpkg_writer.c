/* GeoPackage 1.3 writer: metadata tables as the standard gives them (Annex C), feature
 * tables with a "GP" blob header (little-endian, xy envelope) before the WKB, and one
 * transaction for the whole file, which is built under a temporary name and renamed.
 * Must not know about geometry libraries; identifiers are checked, never escaped. */
#include "data/gpkg_writer.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#define GPKG_APPLICATION_ID 0x47504B47  /* "GPKG" */
#define GPKG_USER_VERSION 10300         /* 1.3.0 */
#define GPKG_HEADER_LEN 40
#define GPKG_MAX_FIELDS 32
#define GPKG_NAME_MAX 64

struct gpkg_writer {
	sqlite3 *db;
	sqlite3_stmt *insert;         /* into the current layer */
	char path[4096], tmp[4200];
	int32_t srs_id;
	char table[GPKG_NAME_MAX];
	struct gpkg_field fields[GPKG_MAX_FIELDS];
	char names[GPKG_MAX_FIELDS][GPKG_NAME_MAX];
	int nfields;
	double ext[4];                /* the current layer's minx maxx miny maxy */
	long features;
	uint8_t *blob;
	size_t blob_cap;
	int styles;                   /* layer_styles exists */
};

static const char *const schema =
	"CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,"
	" organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,"
	" definition TEXT NOT NULL, description TEXT);"
	"CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY,"
	" data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',"
	" last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
	" min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,"
	" CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));"
	"CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,"
	" geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL,"
	" m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),"
	" CONSTRAINT uk_gc_table_name UNIQUE (table_name),"
	" CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),"
	" CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));";

static int db_fail(struct gpkg_writer *w, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s: %s", w->path, what, sqlite3_errmsg(w->db));
	return -EIO;
}

static int exec(struct gpkg_writer *w, const char *sql, char *err, size_t errlen)
{
	return sqlite3_exec(w->db, sql, NULL, NULL, NULL) == SQLITE_OK
		       ? 0 : db_fail(w, "cannot write the GeoPackage", err, errlen);
}

static int put_srs(struct gpkg_writer *w, const char *name, int32_t id, const char *org,
		   const char *wkt, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(w->db, "INSERT INTO gpkg_spatial_ref_sys VALUES "
				    "(?1, ?2, ?3, ?2, ?4, NULL)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, id);
		sqlite3_bind_text(st, 3, org, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, wkt, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : db_fail(w, "cannot write gpkg_spatial_ref_sys", err, errlen);
}

static int start(struct gpkg_writer *w, const struct gpkg_srs *srs, const char *wgs84_wkt,
		 char *err, size_t errlen)
{
	char pragmas[160];
	snprintf(pragmas, sizeof pragmas, "PRAGMA application_id = %d; PRAGMA user_version = %d;"
		 " PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;",
		 GPKG_APPLICATION_ID, GPKG_USER_VERSION);
	int rc = exec(w, pragmas, err, errlen);
	if (rc == 0)
		rc = exec(w, schema, err, errlen);
	if (rc == 0)
		rc = put_srs(w, "Undefined cartesian SRS", -1, "NONE", "undefined", err, errlen);
	if (rc == 0)
		rc = put_srs(w, "Undefined geographic SRS", 0, "NONE", "undefined", err, errlen);
	if (rc == 0)
		rc = put_srs(w, "WGS 84 geodetic", 4326, "EPSG", wgs84_wkt, err, errlen);
	if (rc == 0 && srs->srs_id != 4326)
		rc = put_srs(w, srs->name, srs->srs_id, "EPSG", srs->wkt, err, errlen);
	return rc;
}

int gpkg_writer_open(const char *path, const struct gpkg_srs *srs, const char *wgs84_wkt,
		     struct gpkg_writer **out, char *err, size_t errlen)
{
	struct gpkg_writer *w = calloc(1, sizeof *w);
	*out = NULL;
	if (!w) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	if (snprintf(w->path, sizeof w->path, "%s", path) >= (int)sizeof w->path) {
		snprintf(err, errlen, "output path too long");
		free(w);
		return -ENAMETOOLONG;
	}
	snprintf(w->tmp, sizeof w->tmp, "%s.tmp-%ld", path, (long)getpid());
	w->srs_id = srs->srs_id;
	unlink(w->tmp);
	int rc = sqlite3_open_v2(w->tmp, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot create: %s", w->tmp,
			 w->db ? sqlite3_errmsg(w->db) : sqlite3_errstr(rc));
		gpkg_writer_abort(w);
		return -EIO;
	}
	if ((rc = start(w, srs, wgs84_wkt, err, errlen)) < 0) {
		gpkg_writer_abort(w);
		return rc;
	}
	*out = w;
	return 0;
}

static int valid_name(const char *s)
{
	if (!*s || strlen(s) >= GPKG_NAME_MAX || isdigit((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static const char *sql_type(enum gpkg_type t)
{
	return t == GPKG_INTEGER ? "INTEGER" : t == GPKG_REAL ? "DOUBLE" : "TEXT";
}

/* Records the finished layer's extent in gpkg_contents. */
static int close_layer(struct gpkg_writer *w, char *err, size_t errlen)
{
	if (!w->insert)
		return 0;
	sqlite3_finalize(w->insert);
	w->insert = NULL;
	if (!w->features)
		return 0;
	char *sql = sqlite3_mprintf("UPDATE gpkg_contents SET min_x = %.17g, max_x = %.17g, "
				    "min_y = %.17g, max_y = %.17g WHERE table_name = '%q'",
				    w->ext[0], w->ext[1], w->ext[2], w->ext[3], w->table);
	int rc = sql ? exec(w, sql, err, errlen) : -ENOMEM;
	sqlite3_free(sql);
	return rc;
}

static int create_table(struct gpkg_writer *w, const char *geometry_type,
			const char *description, char *err, size_t errlen)
{
	char *sql = sqlite3_mprintf("CREATE TABLE \"%w\" (fid INTEGER PRIMARY KEY AUTOINCREMENT "
				    "NOT NULL, geom %s", w->table, geometry_type);
	for (int k = 0; sql && k < w->nfields; k++) {
		char *more = sqlite3_mprintf("%s, \"%w\" %s", sql, w->names[k],
					     sql_type(w->fields[k].type));
		sqlite3_free(sql);
		sql = more;
	}
	char *all = sql ? sqlite3_mprintf("%s); INSERT INTO gpkg_contents (table_name, data_type,"
					  " identifier, description, srs_id) VALUES ('%q', "
					  "'features', '%q', '%q', %d); INSERT INTO "
					  "gpkg_geometry_columns VALUES ('%q', 'geom', '%q', %d, 0, 0);",
					  sql, w->table, w->table, description ? description : "",
					  w->srs_id, w->table, geometry_type, w->srs_id) : NULL;
	int rc = all ? exec(w, all, err, errlen) : -ENOMEM;
	sqlite3_free(sql);
	sqlite3_free(all);
	return rc;
}

static int prepare_insert(struct gpkg_writer *w, char *err, size_t errlen)
{
	char *sql = sqlite3_mprintf("INSERT INTO \"%w\" VALUES (NULL, ?", w->table);
	for (int k = 0; sql && k < w->nfields; k++) {
		char *more = sqlite3_mprintf("%s, ?", sql);
		sqlite3_free(sql);
		sql = more;
	}
	char *all = sql ? sqlite3_mprintf("%s)", sql) : NULL;
	int rc = all && sqlite3_prepare_v2(w->db, all, -1, &w->insert, NULL) == SQLITE_OK
			 ? 0 : all ? db_fail(w, "cannot prepare an insert", err, errlen) : -ENOMEM;
	sqlite3_free(sql);
	sqlite3_free(all);
	return rc;
}

int gpkg_writer_layer(struct gpkg_writer *w, const char *table, const char *geometry_type,
		      const char *description, const struct gpkg_field *fields, int nfields,
		      char *err, size_t errlen)
{
	int rc = close_layer(w, err, errlen);
	if (rc < 0)
		return rc;
	if (!valid_name(table) || !valid_name(geometry_type) || nfields < 0 ||
	    nfields > GPKG_MAX_FIELDS) {
		snprintf(err, errlen, "%s: bad layer \"%s\" (%s, %d fields)", w->path, table,
			 geometry_type, nfields);
		return -EINVAL;
	}
	snprintf(w->table, sizeof w->table, "%s", table);
	w->nfields = nfields;
	for (int k = 0; k < nfields; k++) {
		if (!valid_name(fields[k].name)) {
			snprintf(err, errlen, "%s: bad field name \"%s\"", table, fields[k].name);
			return -EINVAL;
		}
		snprintf(w->names[k], GPKG_NAME_MAX, "%s", fields[k].name);
		w->fields[k] = (struct gpkg_field){w->names[k], fields[k].type};
	}
	w->features = 0;
	w->ext[0] = w->ext[2] = INFINITY;
	w->ext[1] = w->ext[3] = -INFINITY;
	if ((rc = create_table(w, geometry_type, description, err, errlen)) < 0)
		return rc;
	return prepare_insert(w, err, errlen);
}

static void put_u32_le(uint8_t *p, uint32_t v)
{
	for (int k = 0; k < 4; k++)
		p[k] = (uint8_t)(v >> (8 * k));
}

/* The "GP" header: version 0, flags little-endian with an xy envelope, srs, envelope. */
static void put_header(uint8_t *out, int32_t srs_id, const double env[4])
{
	out[0] = 'G';
	out[1] = 'P';
	out[2] = 0;
	out[3] = 0x01 | (1 << 1);
	put_u32_le(out + 4, (uint32_t)srs_id);
	for (int k = 0; k < 4; k++) {
		uint64_t bits;
		memcpy(&bits, &env[k], sizeof bits);
		put_u32_le(out + 8 + 8 * k, (uint32_t)bits);
		put_u32_le(out + 12 + 8 * k, (uint32_t)(bits >> 32));
	}
}

static int bind_value(sqlite3_stmt *st, int col, enum gpkg_type t, const struct gpkg_value *v)
{
	if (v->null || (t == GPKG_REAL && !isfinite(v->d)) || (t == GPKG_TEXT && !v->s))
		return sqlite3_bind_null(st, col);
	if (t == GPKG_INTEGER)
		return sqlite3_bind_int64(st, col, v->i);
	if (t == GPKG_REAL)
		return sqlite3_bind_double(st, col, v->d);
	return sqlite3_bind_text(st, col, v->s, -1, SQLITE_STATIC);
}

static int grow_blob(struct gpkg_writer *w, size_t need)
{
	if (need <= w->blob_cap)
		return 0;
	size_t cap = need > 2 * w->blob_cap ? need : 2 * w->blob_cap;
	uint8_t *b = realloc(w->blob, cap);
	if (!b)
		return -ENOMEM;
	w->blob = b;
	w->blob_cap = cap;
	return 0;
}

int gpkg_writer_feature(struct gpkg_writer *w, const uint8_t *wkb, size_t wkb_len,
			const double envelope[4], const struct gpkg_value *values,
			char *err, size_t errlen)
{
	if (!w->insert) {
		snprintf(err, errlen, "%s: a feature before the first layer", w->path);
		return -EINVAL;
	}
	if (grow_blob(w, GPKG_HEADER_LEN + wkb_len) < 0) {
		snprintf(err, errlen, "%s: out of memory", w->path);
		return -ENOMEM;
	}
	put_header(w->blob, w->srs_id, envelope);
	memcpy(w->blob + GPKG_HEADER_LEN, wkb, wkb_len);
	sqlite3_reset(w->insert);
	sqlite3_bind_blob(w->insert, 1, w->blob, (int)(GPKG_HEADER_LEN + wkb_len), SQLITE_STATIC);
	for (int k = 0; k < w->nfields; k++)
		bind_value(w->insert, k + 2, w->fields[k].type, &values[k]);
	if (sqlite3_step(w->insert) != SQLITE_DONE)
		return db_fail(w, w->table, err, errlen);
	for (int k = 0; k < 4; k += 2) {
		w->ext[k] = fmin(w->ext[k], envelope[k]);
		w->ext[k + 1] = fmax(w->ext[k + 1], envelope[k + 1]);
	}
	w->features++;
	return 0;
}

/* QGIS's own layer_styles columns (as QGIS 3.22 creates the table in a GeoPackage). */
static const char *const styles_schema =
	"CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT,"
	" f_table_schema TEXT, f_table_name TEXT, f_geometry_column TEXT, styleName TEXT,"
	" styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT,"
	" ui TEXT, update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));"
	"INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES"
	" ('layer_styles', 'attributes', 'layer_styles', 'QGIS styles of the layers');";

int gpkg_writer_style(struct gpkg_writer *w, const char *table, const char *style_name,
		      const char *qml, const char *description, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (!w->styles && (rc = exec(w, styles_schema, err, errlen)) < 0)
		return rc;
	w->styles = 1;
	if (sqlite3_prepare_v2(w->db, "INSERT INTO layer_styles (f_table_catalog, f_table_schema,"
			       " f_table_name, f_geometry_column, styleName, styleQML, styleSLD,"
			       " useAsDefault, description, owner, ui) VALUES ('', '', ?1, 'geom',"
			       " ?2, ?3, '', 1, ?4, '', NULL)", -1, &st, NULL) != SQLITE_OK)
		return db_fail(w, "cannot prepare a style", err, errlen);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, style_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, qml, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, description, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(w, "cannot write layer_styles", err, errlen);
	sqlite3_finalize(st);
	return rc;
}

int gpkg_writer_finish(struct gpkg_writer *w, char *err, size_t errlen)
{
	int rc = close_layer(w, err, errlen);
	if (rc == 0)
		rc = exec(w, "COMMIT", err, errlen);
	if (rc == 0 && sqlite3_close(w->db) != SQLITE_OK)
		rc = db_fail(w, "cannot close", err, errlen);
	else if (rc == 0)
		w->db = NULL;
	if (rc == 0 && rename(w->tmp, w->path) != 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot move into place: %s", w->path, strerror(-rc));
	}
	if (rc < 0) {
		gpkg_writer_abort(w);
		return rc;
	}
	free(w->blob);
	free(w);
	return 0;
}

void gpkg_writer_abort(struct gpkg_writer *w)
{
	if (!w)
		return;
	sqlite3_finalize(w->insert);
	sqlite3_close(w->db);
	unlink(w->tmp);
	free(w->blob);
	free(w);
}
