/* Small helpers shared by the cmocka tests: temporary folders and files, one number from
 * a database.
 * Test-only code; never linked into the product. */
#ifndef HUB_TESTUTIL_H
#define HUB_TESTUTIL_H

#include <stddef.h>

/* Creates a fresh temporary folder and copies its path into dir (size dirlen).
 * Aborts the test run when it cannot. */
void tu_mkdtemp(char *dir, size_t dirlen);

/* Removes a folder and everything in it (best effort). */
void tu_rmtree(const char *dir);

/* Writes len bytes to dir/name and copies the full path into path. Aborts on failure. */
void tu_write_file(const char *dir, const char *name, const void *data, size_t len,
		   char *path, size_t pathlen);

/* The first column of the first row of sql on the sqlite database db (-1 when there is
 * no row), opened read-write when writable (which recovers a killed writer's WAL) or
 * read-only; waits up to 10 s for a writer's lock. Aborts when the database or the query
 * fails. */
long long tu_sql_int(const char *db, const char *sql, int writable);

/* The same as a number, read-only: NaN when there is no row or the value is NULL. */
double tu_sql_num(const char *db, const char *sql);

#endif
