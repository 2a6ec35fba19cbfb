/* Fuzz target: the input written to a temporary file in /tmp (unlinked afterwards) and
 * read record by record with csv_open/csv_next, looking up a header column as the site
 * importer does. More records than bytes means csv_next stopped advancing: abort. */
#include "fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/csv.h"

static int write_all(int fd, const uint8_t *data, size_t size)
{
	while (size > 0) {
		ssize_t n = write(fd, data, size);
		if (n <= 0)
			return -1;
		data += n;
		size -= (size_t)n;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/hub_fuzz_csv_XXXXXX";
	char err[512];
	char **fields;
	size_t n;
	struct csv *c = NULL;
	size_t records = 0;
	int fd;

	if ((fd = mkstemp(path)) < 0)
		abort();
	if (write_all(fd, data, size) != 0)
		abort();
	close(fd);
	if (csv_open(path, &c, err, sizeof err) == 0) {
		int first = 1;
		while (csv_next(c, &fields, &n, err, sizeof err) > 0) {
			if (first)
				(void)csv_column(fields, n, "naam");
			(void)csv_line(c);
			first = 0;
			if (++records > size + 1)
				abort();
		}
	}
	csv_close(c);
	unlink(path);
	return 0;
}
