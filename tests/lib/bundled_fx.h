/* The bundled data (../shared/data/nl) imported into a fresh temporary database, and cut
 * to one safety region, for the tests that plan or serve real data.
 * Test-only code; never linked into the product. */
#ifndef HUB_BUNDLED_FX_H
#define HUB_BUNDLED_FX_H

#include <stddef.h>

/* Creates a temporary folder (into dir) and imports HUB_DATA_DIR into dir/hub.db (into
 * db). 0, or -1 with the import's error printed to stderr. */
int bfx_import(char *dir, size_t dirlen, char *db, size_t dblen);

/* Deletes from db everything outside the safety region code: its areas, water, the sites
 * outside the areas' box, the other memberships and regions. So a plan of the "nation" is
 * one of that region. Aborts the test run when the SQL fails. */
void bfx_keep_region(const char *db, const char *code);

#endif
