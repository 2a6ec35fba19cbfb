/* Measures `import` of a data folder into a fresh database: wall time per run (best,
 * median, worst over N runs) and the peak resident memory of the process.
 * Usage: bench_import DATA_DIR [RUNS] [GRID_DIR]. A benchmark: it reports, it does not assert. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"

#include "jobs/import.h"

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int one_run(const char *dir, const char *grid, double *seconds)
{
	char db[] = "/tmp/bench_import.XXXXXX", err[4096], path[64];
	int fd = mkstemp(db);
	struct import_report rep;
	struct import_options opt = {.grid_dir = grid};
	const char *paths[] = {dir};
	if (fd < 0)
		return -1;
	close(fd);
	double t0 = clock_now_s();
	int rc = import_paths(db, paths, 1, &opt, &rep, err, sizeof err);
	*seconds = clock_now_s() - t0;
	if (rc < 0)
		fprintf(stderr, "bench_import: %s\n", err);
	else
		import_report_free(&rep);
	unlink(db);
	snprintf(path, sizeof path, "%s-wal", db);
	unlink(path);
	snprintf(path, sizeof path, "%s-shm", db);
	unlink(path);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_import DATA_DIR [RUNS] [GRID_DIR]\n");
		return 2;
	}
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	double t[100];
	if (runs < 1 || runs > 100)
		runs = 5;
	for (int i = 0; i < runs; i++)
		if (one_run(argv[1], argc > 3 ? argv[3] : NULL, &t[i]) < 0)
			return 1;
	qsort(t, (size_t)runs, sizeof t[0], by_value);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("import %s: %d runs, best %.3f s, median %.3f s, worst %.3f s, peak RSS %.1f MiB\n",
	       argv[1], runs, t[0], t[runs / 2], t[runs - 1], (double)ru.ru_maxrss / 1024.0);
	return 0;
}
