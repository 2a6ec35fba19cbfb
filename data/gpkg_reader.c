/* GeoPackage reading with sqlite3: layer discovery through gpkg_contents and
 * gpkg_geometry_columns, column checks through PRAGMA table_info, row cursors.
 * Opens files with SQLITE_OPEN_READONLY and never modifies them; no geometry parsing. */
#include "data/gpkg_reader.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_LAYERS 256

struct gpkg {
	sqlite3 *db;
	struct gpkg_layer *layers;
	size_t nlayers;
};

struct gpkg_cursor {
	sqlite3_stmt *stmt;
	size_t ncolumns;
	int *present;                 /* per requested column: 1 selected, 0 missing optional */
	int *index;                   /* result column index for present columns */
};

static void copy(char *dst, size_t n, const unsigned char *src)
{
	snprintf(dst, n, "%s", src ? (const char *)src : "");
}

/* Double-quotes an identifier for SQL ("a""b"). Returns 0 or -ENAMETOOLONG. */
static int quote_ident(char *dst, size_t n, const char *ident)
{
	size_t j = 0;
	if (n < 3)
		return -ENAMETOOLONG;
	dst[j++] = '"';
	for (const char *p = ident; *p; p++) {
		if (j + 3 >= n)
			return -ENAMETOOLONG;
		if (*p == '"')
			dst[j++] = '"';
		dst[j++] = *p;
	}
	dst[j++] = '"';
	dst[j] = '\0';
	return 0;
}

static int fid_column(struct gpkg *g, struct gpkg_layer *l)
{
	char sql[320], q[260];
	sqlite3_stmt *s = NULL;
	if (quote_ident(q, sizeof q, l->name) < 0)
		return -ENAMETOOLONG;
	snprintf(sql, sizeof sql, "PRAGMA table_info(%s)", q);
	if (sqlite3_prepare_v2(g->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -EIO;
	snprintf(l->fid_column, sizeof l->fid_column, "rowid");
	while (sqlite3_step(s) == SQLITE_ROW)
		if (sqlite3_column_int(s, 5) == 1)
			copy(l->fid_column, sizeof l->fid_column, sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
	return 0;
}

static int read_layers(struct gpkg *g, const char *path, char *err, size_t errlen)
{
	static const char sql[] =
		"SELECT c.table_name, g.column_name, g.geometry_type_name, g.srs_id,"
		" s.organization, s.organization_coordsys_id"
		" FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name"
		" LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id"
		" WHERE c.data_type = 'features' ORDER BY c.table_name";
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(g->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: not a GeoPackage: %s", path, sqlite3_errmsg(g->db));
		return rc == SQLITE_NOTADB ? -EINVAL : -EINVAL;
	}
	g->layers = calloc(MAX_LAYERS, sizeof *g->layers);
	if (!g->layers) {
		sqlite3_finalize(s);
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && g->nlayers < MAX_LAYERS) {
		struct gpkg_layer *l = &g->layers[g->nlayers++];
		copy(l->name, sizeof l->name, sqlite3_column_text(s, 0));
		copy(l->geom_column, sizeof l->geom_column, sqlite3_column_text(s, 1));
		copy(l->geom_type, sizeof l->geom_type, sqlite3_column_text(s, 2));
		l->srs_id = sqlite3_column_int(s, 3);
		copy(l->srs_org, sizeof l->srs_org, sqlite3_column_text(s, 4));
		l->srs_org_id = sqlite3_column_type(s, 5) == SQLITE_NULL ? -1
								: sqlite3_column_int(s, 5);
		fid_column(g, l);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		snprintf(err, errlen, "%s: not a GeoPackage: %s", path, sqlite3_errstr(rc));
		return -EINVAL;
	}
	return 0;
}

int gpkg_open(const char *path, struct gpkg **out, char *err, size_t errlen)
{
	struct stat sb;
	struct gpkg *g = NULL;
	int rc;

	*out = NULL;
	if (stat(path, &sb) != 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	if (sb.st_size == 0) {
		snprintf(err, errlen, "%s: not a GeoPackage: the file is empty", path);
		return -EINVAL;
	}
	if (!(g = calloc(1, sizeof *g))) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	if (sqlite3_open_v2(path, &g->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(g->db));
		rc = -EINVAL;
		goto fail;
	}
	if ((rc = read_layers(g, path, err, errlen)) < 0)
		goto fail;
	*out = g;
	return 0;
fail:
	gpkg_close(g);
	return rc;
}

void gpkg_close(struct gpkg *g)
{
	if (!g)
		return;
	sqlite3_close(g->db);
	free(g->layers);
	free(g);
}

size_t gpkg_layer_count(const struct gpkg *g)
{
	return g->nlayers;
}

const struct gpkg_layer *gpkg_layer_at(const struct gpkg *g, size_t i)
{
	return i < g->nlayers ? &g->layers[i] : NULL;
}

const struct gpkg_layer *gpkg_layer_find(const struct gpkg *g, const char *name)
{
	for (size_t i = 0; i < g->nlayers; i++)
		if (strcmp(g->layers[i].name, name) == 0)
			return &g->layers[i];
	return NULL;
}

int gpkg_has_column(struct gpkg *g, const struct gpkg_layer *layer, const char *column)
{
	char sql[320], q[260];
	sqlite3_stmt *s = NULL;
	int found = 0;
	if (quote_ident(q, sizeof q, layer->name) < 0)
		return 0;
	snprintf(sql, sizeof sql, "PRAGMA table_info(%s)", q);
	if (sqlite3_prepare_v2(g->db, sql, -1, &s, NULL) != SQLITE_OK)
		return 0;
	while (!found && sqlite3_step(s) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 1);
		found = name && strcmp(name, column) == 0;
	}
	sqlite3_finalize(s);
	return found;
}

/* Appends ", \"col\"" to sql at *used. */
static int append_ident(char *sql, size_t n, size_t *used, const char *col)
{
	char q[260];
	if (quote_ident(q, sizeof q, col) < 0)
		return -ENAMETOOLONG;
	int w = snprintf(sql + *used, n - *used, ", %s", q);
	if (w < 0 || (size_t)w >= n - *used)
		return -ENAMETOOLONG;
	*used += (size_t)w;
	return 0;
}

static int build_select(struct gpkg *g, const struct gpkg_layer *layer, struct gpkg_cursor *c,
			const char *const *columns, const int *optional, char *sql, size_t n,
			char *err, size_t errlen)
{
	char qf[260], qg[260], qt[260];
	if (quote_ident(qf, sizeof qf, layer->fid_column) < 0 ||
	    quote_ident(qg, sizeof qg, layer->geom_column) < 0 ||
	    quote_ident(qt, sizeof qt, layer->name) < 0)
		return -ENAMETOOLONG;
	size_t used = (size_t)snprintf(sql, n, "SELECT %s, %s", qf, qg);
	int next = 2;
	for (size_t i = 0; i < c->ncolumns; i++) {
		if (!gpkg_has_column(g, layer, columns[i])) {
			if (optional && optional[i])
				continue;
			snprintf(err, errlen, "layer %s: missing column %s", layer->name, columns[i]);
			return -EINVAL;
		}
		if (append_ident(sql, n, &used, columns[i]) < 0)
			return -ENAMETOOLONG;
		c->present[i] = 1;
		c->index[i] = next++;
	}
	int w = snprintf(sql + used, n - used, " FROM %s ORDER BY %s", qt, qf);
	return w < 0 || (size_t)w >= n - used ? -ENAMETOOLONG : 0;
}

int gpkg_cursor_open(struct gpkg *g, const struct gpkg_layer *layer,
		     const char *const *columns, const int *optional, size_t ncolumns,
		     struct gpkg_cursor **out, char *err, size_t errlen)
{
	char sql[8192];
	struct gpkg_cursor *c = calloc(1, sizeof *c);
	int rc = -ENOMEM;

	*out = NULL;
	if (!c || !(c->present = calloc(ncolumns + 1, sizeof *c->present)) ||
	    !(c->index = calloc(ncolumns + 1, sizeof *c->index))) {
		snprintf(err, errlen, "layer %s: out of memory", layer->name);
		goto fail;
	}
	c->ncolumns = ncolumns;
	rc = build_select(g, layer, c, columns, optional, sql, sizeof sql, err, errlen);
	if (rc == -ENAMETOOLONG)
		snprintf(err, errlen, "layer %s: column names too long", layer->name);
	if (rc < 0)
		goto fail;
	if (sqlite3_prepare_v2(g->db, sql, -1, &c->stmt, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "layer %s: %s", layer->name, sqlite3_errmsg(g->db));
		rc = -EINVAL;
		goto fail;
	}
	*out = c;
	return 0;
fail:
	gpkg_cursor_close(c);
	return rc;
}

void gpkg_cursor_close(struct gpkg_cursor *c)
{
	if (!c)
		return;
	sqlite3_finalize(c->stmt);
	free(c->present);
	free(c->index);
	free(c);
}

int gpkg_cursor_next(struct gpkg_cursor *c, char *err, size_t errlen)
{
	int rc = sqlite3_step(c->stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	snprintf(err, errlen, "reading rows: %s", sqlite3_errstr(rc));
	return rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
}

int64_t gpkg_cursor_fid(struct gpkg_cursor *c)
{
	return sqlite3_column_int64(c->stmt, 0);
}

const uint8_t *gpkg_cursor_geom(struct gpkg_cursor *c, size_t *len)
{
	const uint8_t *p = sqlite3_column_blob(c->stmt, 1);
	*len = (size_t)sqlite3_column_bytes(c->stmt, 1);
	return p;
}

const char *gpkg_cursor_text(struct gpkg_cursor *c, size_t i)
{
	if (i >= c->ncolumns || !c->present[i])
		return NULL;
	return (const char *)sqlite3_column_text(c->stmt, c->index[i]);
}

int gpkg_cursor_number(struct gpkg_cursor *c, size_t i, double *v)
{
	if (i >= c->ncolumns || !c->present[i])
		return 1;
	int col = c->index[i];
	switch (sqlite3_column_type(c->stmt, col)) {
	case SQLITE_NULL:
		return 1;
	case SQLITE_INTEGER:
	case SQLITE_FLOAT:
		*v = sqlite3_column_double(c->stmt, col);
		return 0;
	default:
		break;
	}
	const char *t = (const char *)sqlite3_column_text(c->stmt, col);
	char *end = NULL;
	while (t && (*t == ' ' || *t == '\t'))
		t++;
	if (!t || !*t)
		return 1;
	*v = strtod(t, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	return *end || !isfinite(*v) ? -EINVAL : 0;
}
