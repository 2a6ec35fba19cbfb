/* Load generator for hubplannerd: C client threads, each with its own connection, send
 * requests closed-loop (optionally several in flight) for a duration and record latencies;
 * prints throughput, latency percentiles and protocol errors. Measures; asserts nothing.
 * Usage: bench_query SOCKET [CLIENTS] [SECONDS] [METHOD] [PIPELINE]
 *   METHOD: coverage (random points in NL), whatif-gm, suggest-gm, suggest-vr,
 *   resilience-vr (a random safety region VR01..VR25, limit 10), mix. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"

#define MAX_LAT 4000000

struct worker {
	pthread_t th;
	const char *path, *method;
	double seconds;
	int pipeline;
	unsigned seed;
	double *lat;
	size_t nlat;
	long errors, dropped;
};

static int connect_to(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		perror(path);
		exit(1);
	}
	return fd;
}

static const char *const gm[] = {"GM0599", "GM0606", "GM0489", "GM0613", "GM0622"};

static int make_request(struct worker *w, long id, char *buf, size_t n)
{
	const char *m = w->method;
	if (strcmp(m, "mix") == 0) {
		static const char *const mix[] = {"coverage", "coverage", "coverage", "gaps",
						  "stats", "sites", "whatif-gm", "status"};
		m = mix[rand_r(&w->seed) % 8];
	}
	double x = 20000 + rand_r(&w->seed) % 250000, y = 310000 + rand_r(&w->seed) % 300000;
	const char *g = gm[rand_r(&w->seed) % 5];
	if (strcmp(m, "coverage") == 0)
		return snprintf(buf, n, "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"coverage\","
				"\"params\":{\"point\":{\"x\":%.0f,\"y\":%.0f}}}\n", id, x, y);
	if (strcmp(m, "whatif-gm") == 0)
		return snprintf(buf, n, "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"whatif\","
				"\"params\":{\"add\":[{\"x\":%d,\"y\":%d}],\"remove\":[1]}}\n", id,
				88000 + rand_r(&w->seed) % 8000, 432000 + rand_r(&w->seed) % 8000);
	if (strcmp(m, "suggest-gm") == 0 || strcmp(m, "suggest-vr") == 0)
		return snprintf(buf, n, "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"suggest\","
				"\"params\":{\"region\":\"%s\",\"k\":5}}\n", id,
				m[8] == 'g' ? g : "VR17");
	if (strcmp(m, "resilience-vr") == 0)
		return snprintf(buf, n, "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"resilience\","
				"\"params\":{\"region\":\"VR%02d\",\"limit\":10}}\n", id,
				1 + rand_r(&w->seed) % 25);
	if (strcmp(m, "gaps") == 0 || strcmp(m, "sites") == 0)
		return snprintf(buf, n, "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"%s\","
				"\"params\":{\"region\":\"%s\"}}\n", id, m, g);
	return snprintf(buf, n, "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"%s\"}\n", id, m);
}

/* Reads one reply line; returns its length or -1 at EOF. */
static long read_line(int fd, char *buf, size_t cap, size_t *have)
{
	for (;;) {
		char *nl = memchr(buf, '\n', *have);
		if (nl) {
			long len = nl - buf + 1;
			return len;
		}
		if (*have == cap)
			return -1;
		ssize_t r = read(fd, buf + *have, cap - *have);
		if (r <= 0)
			return -1;
		*have += (size_t)r;
	}
}

static void *run(void *arg)
{
	struct worker *w = arg;
	size_t cap = 1 << 24, have = 0;
	char *buf = malloc(cap), req[512];
	double sent[64], end = clock_now_s() + w->seconds;
	int fd = connect_to(w->path);
	long id = 0, done = 0;
	while (clock_now_s() < end || id > done) {
		while (id - done < w->pipeline && clock_now_s() < end) {
			int n = make_request(w, id, req, sizeof req);
			sent[id % 64] = clock_now_s();
			if (write(fd, req, (size_t)n) != n) {
				w->dropped++;
				goto out;
			}
			id++;
		}
		long len = read_line(fd, buf, cap, &have);
		if (len < 0) {
			w->dropped++;
			break;
		}
		if (memmem(buf, (size_t)len, "\"error\"", 7))
			w->errors++;
		if (w->nlat < MAX_LAT)
			w->lat[w->nlat++] = clock_now_s() - sent[done % 64];
		memmove(buf, buf + len, have - (size_t)len);
		have -= (size_t)len;
		done++;
	}
out:
	close(fd);
	free(buf);
	return NULL;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_query SOCKET [CLIENTS] [SECONDS] [METHOD] [PIPELINE]\n");
		return 2;
	}
	int clients = argc > 2 ? atoi(argv[2]) : 16, pipeline = argc > 5 ? atoi(argv[5]) : 1;
	double seconds = argc > 3 ? atof(argv[3]) : 5;
	const char *method = argc > 4 ? argv[4] : "coverage";
	struct worker *w = calloc((size_t)clients, sizeof *w);
	double t0 = clock_now_s();
	for (int i = 0; i < clients; i++) {
		w[i] = (struct worker){.path = argv[1], .method = method, .seconds = seconds,
				       .pipeline = pipeline < 1 ? 1 : pipeline > 64 ? 64 : pipeline,
				       .seed = (unsigned)i + 1, .lat = malloc(MAX_LAT * sizeof(double))};
		pthread_create(&w[i].th, NULL, run, &w[i]);
	}
	size_t total = 0;
	long errors = 0, dropped = 0;
	for (int i = 0; i < clients; i++) {
		pthread_join(w[i].th, NULL);
		total += w[i].nlat;
		errors += w[i].errors;
		dropped += w[i].dropped;
	}
	double wall = clock_now_s() - t0, *all = malloc((total + 1) * sizeof *all);
	size_t k = 0;
	for (int i = 0; i < clients; i++) {
		memcpy(all + k, w[i].lat, w[i].nlat * sizeof *all);
		k += w[i].nlat;
		free(w[i].lat);
	}
	qsort(all, total, sizeof *all, by_value);
	printf("%s: %d clients x pipeline %d, %.1f s: %zu replies, %.0f/s, latency p50 %.3f ms, "
	       "p99 %.3f ms, max %.3f ms, error replies %ld, dropped connections %ld\n", method,
	       clients, pipeline, wall, total, total / wall, total ? 1e3 * all[total / 2] : 0,
	       total ? 1e3 * all[(size_t)(total * 0.99)] : 0, total ? 1e3 * all[total - 1] : 0,
	       errors, dropped);
	free(all);
	free(w);
	return 0;
}
