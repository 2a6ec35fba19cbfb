/* Temporary folders and files for the cmocka tests. Test-only code.
 * Aborts rather than returning errors: a test that cannot set up must not pass. */
#define _XOPEN_SOURCE 700
#include "tests/lib/testutil.h"

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

void tu_mkdtemp(char *dir, size_t dirlen)
{
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	if ((size_t)snprintf(dir, dirlen, "%s/hubtest.XXXXXX", base) >= dirlen || !mkdtemp(dir)) {
		perror("mkdtemp");
		abort();
	}
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void tu_rmtree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void tu_write_file(const char *dir, const char *name, const void *data, size_t len,
		   char *path, size_t pathlen)
{
	if ((size_t)snprintf(path, pathlen, "%s/%s", dir, name) >= pathlen)
		abort();
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

/* The prepared sql on db, stepped to its first row (*row 1) or its end; aborts on failure. */
static sqlite3_stmt *first_row(const char *db, const char *sql, int writable, sqlite3 **h,
			       int *row)
{
	sqlite3_stmt *s = NULL;
	int flags = writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
	*h = NULL;
	if (sqlite3_open_v2(db, h, flags, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(*h, 10000) != SQLITE_OK ||
	    sqlite3_prepare_v2(*h, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s: %s\n", db, sql, *h ? sqlite3_errmsg(*h) : "cannot open");
		abort();
	}
	*row = sqlite3_step(s) == SQLITE_ROW;
	return s;
}

long long tu_sql_int(const char *db, const char *sql, int writable)
{
	sqlite3 *h;
	int row;
	sqlite3_stmt *s = first_row(db, sql, writable, &h, &row);
	long long v = row ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}

double tu_sql_num(const char *db, const char *sql)
{
	sqlite3 *h;
	int row;
	sqlite3_stmt *s = first_row(db, sql, 0, &h, &row);
	double v = row && sqlite3_column_type(s, 0) != SQLITE_NULL ? sqlite3_column_double(s, 0)
								   : NAN;
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}
