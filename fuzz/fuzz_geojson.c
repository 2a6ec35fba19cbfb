/* Fuzz target: the input as a GeoJSON site file through import_geojson_buffer, the reader
 * that `import` uses for *.geojson, inside a transaction on an in-memory store that is
 * rolled back after every input. One store and one PROJ context (opened on the first
 * lon/lat point) for the whole run. Must not touch any database on disk. */
#include "fuzz/fuzz.h"

#include <stdio.h>
#include <stdlib.h>

#include "jobs/import_internal.h"

/* The import state shared by all inputs: opened once, never closed (static). */
static struct import_run *fuzz_run(void)
{
	static const struct import_options opt = {.grid_dir = HUB_PROJ_DIR};
	static struct import_run run;
	char err[512];

	if (run.store)
		return &run;
	run.opt = &opt;
	if (store_open(":memory:", 0, &run.store, err, sizeof err) < 0) {
		fprintf(stderr, "fuzz_geojson: %s\n", err);
		abort();
	}
	return &run;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_run *run = fuzz_run();
	struct import_report rep = {0};
	char err[2048];

	run->rep = &rep;
	if (store_begin(run->store, err, sizeof err) < 0) {
		fprintf(stderr, "fuzz_geojson: %s\n", err);
		abort();
	}
	(void)import_geojson_buffer(run, "fuzz.geojson", (const char *)data, size, err,
				    sizeof err);
	store_rollback(run->store);
	import_report_free(&rep);
	run->rep = NULL;
	return 0;
}
