/* Replays fuzz corpora without libFuzzer: calls LLVMFuzzerTestOneInput once for every
 * regular file in the folders (or files) named on the command line, so the corpora run as
 * an ordinary ctest with gcc. Exits 1 when a path cannot be read or holds no inputs. */
#include "fuzz/fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || !(buf = malloc((size_t)len + 1)) ||
	    fread(buf, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		if (f)
			fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

/* Runs every regular file in dir; returns the count, or -1 on a read error. */
static long run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	struct stat st;
	long n = 0;

	if (!d) {
		fprintf(stderr, "replay: cannot open %s\n", dir);
		return -1;
	}
	while ((e = readdir(d))) {
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (run_file(path) != 0) {
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	long total = 0;
	struct stat st;

	for (int i = 1; i < argc; i++) {
		long n = stat(argv[i], &st) == 0 && S_ISREG(st.st_mode)
			 ? (run_file(argv[i]) == 0 ? 1 : -1) : run_dir(argv[i]);
		if (n < 0)
			return 1;
		total += n;
	}
	printf("replay: %ld inputs ran\n", total);
	return total > 0 ? 0 : 1;
}
