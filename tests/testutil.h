/* Small helpers shared by the cmocka tests: temporary folders and files.
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

#endif
