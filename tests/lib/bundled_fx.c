/* The bundled data in a temporary database, whole or cut to one safety region. Imports
 * through jobs/import.c as the product does; the cut is plain SQL. Test-only. */
#include "tests/lib/bundled_fx.h"

#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "jobs/import.h"
#include "tests/lib/testutil.h"

int bfx_import(char *dir, size_t dirlen, char *db, size_t dblen)
{
	const char *paths[] = {HUB_DATA_DIR};
	struct import_report rep;
	char err[4096];
	tu_mkdtemp(dir, dirlen);
	snprintf(db, dblen, "%s/hub.db", dir);
	int rc = import_paths(db, paths, 1, NULL, &rep, err, sizeof err);
	import_report_free(&rep);
	if (rc < 0) {
		fprintf(stderr, "import %s: %s\n", HUB_DATA_DIR, err);
		return -1;
	}
	return 0;
}

void bfx_keep_region(const char *db, const char *code)
{
	sqlite3 *h = NULL;
	char *sql = sqlite3_mprintf(
		"DELETE FROM areas WHERE gemeente_code IS NULL OR gemeente_code NOT IN"
		" (SELECT gemeente_code FROM memberships WHERE region_code = %Q);"
		"DELETE FROM area_water WHERE code NOT IN (SELECT code FROM areas);"
		"DELETE FROM sites WHERE x_rd < (SELECT min(minx) FROM areas) OR x_rd >"
		" (SELECT max(maxx) FROM areas) OR y_rd < (SELECT min(miny) FROM areas) OR y_rd >"
		" (SELECT max(maxy) FROM areas);"
		"DELETE FROM memberships WHERE region_code <> %Q;"
		"DELETE FROM safety_regions WHERE code <> %Q;", code, code, code);
	char *msg = NULL;
	if (!sql || sqlite3_open(db, &h) != SQLITE_OK ||
	    sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "%s: cutting to %s: %s\n", db, code, msg ? msg : sqlite3_errmsg(h));
		abort();
	}
	sqlite3_free(sql);
	sqlite3_close(h);
}
