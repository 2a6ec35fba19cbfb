/* bench_load's measurements and summary: latency percentiles per method, the daemon's
 * VmRSS/VmHWM (sampled every 100 ms, a timeline entry every 5 s) and open fds from /proc, and
 * the plain-text report on stdout. Changes nothing in the daemon. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench/bench_load.h"

static const char *const kind_name[NKIND] = {"normal", "slow reader", "stalled reader",
					     "partial line", "silent", "hang-up"};

void lat_add(struct lat *l, double v)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 65536;
		double *nv = realloc(l->v, cap * sizeof *nv);
		if (!nv)
			return;
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = v;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The q-quantile (0..1) of sorted samples, in ms. */
static double pct(const struct lat *l, double q)
{
	size_t i = (size_t)(q * (double)l->n);
	return l->n ? 1e3 * l->v[i >= l->n ? l->n - 1 : i] : 0;
}

/* VmRSS and VmHWM of pid in KiB (0 when unknown). */
void read_rss(int pid, long *rss, long *hwm)
{
	char path[64], line[256];
	FILE *f;

	*rss = *hwm = 0;
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	if (pid <= 0 || !(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			*rss = atol(line + 6);
		else if (strncmp(line, "VmHWM:", 6) == 0)
			*hwm = atol(line + 6);
	}
	fclose(f);
}

long count_fds(int pid)
{
	char path[64];
	struct dirent *e;
	long n = 0;
	DIR *d;

	snprintf(path, sizeof path, "/proc/%d/fd", pid);
	if (pid <= 0 || !(d = opendir(path)))
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Samples RSS every 100 ms and appends a timeline entry every 5 s. */
void sample_rss(struct bench *b, double t)
{
	long rss, hwm;
	size_t len = strlen(b->timeline);

	if (b->pid <= 0 || t < b->next_sample)
		return;
	b->next_sample = t + 0.1;
	read_rss(b->pid, &rss, &hwm);
	if (rss > b->rss_max) {
		b->rss_max = rss;
		b->rss_max_at = t - b->t0;
	}
	if (t >= b->next_line && len + 32 < sizeof b->timeline) {
		snprintf(b->timeline + len, sizeof b->timeline - len, " %.0fs:%.1f", t - b->t0,
			 rss / 1024.0);
		b->next_line += 5;
	}
}

static void report_methods(struct bench *b, double wall)
{
	struct lat all = {0};

	printf("%-9s %9s %8s %8s %8s %8s %9s %8s %7s\n", "method", "replies", "per s", "p50 ms",
	       "p90 ms", "p99 ms", "p99.9 ms", "max ms", "errors");
	for (int m = 0; m <= NMETH; m++) {
		struct lat *l = m < NMETH ? &b->lat[m] : &all;
		long err = 0;
		if (m < NMETH)
			for (size_t i = 0; i < l->n; i++)
				lat_add(&all, l->v[i]);
		for (int k = 0; k < NMETH; k++)
			err += m == NMETH || k == m ? b->errors[k] : 0;
		qsort(l->v, l->n, sizeof *l->v, by_value);
		printf("%-9s %9zu %8.0f %8.2f %8.2f %8.2f %9.2f %8.2f %7ld\n",
		       m < NMETH ? method_name[m] : "all", l->n, (double)l->n / wall, pct(l, 0.5),
		       pct(l, 0.9), pct(l, 0.99), pct(l, 0.999), l->n ? 1e3 * l->v[l->n - 1] : 0, err);
	}
	free(all.v);
	for (int k = 0; k < 2; k++) {
		struct lat *l = k ? &b->lat_idle : &b->lat_rc;
		qsort(l->v, l->n, sizeof *l->v, by_value);
		printf("%s: %zu replies, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms\n",
		       k ? "no recompute running " : "while a recompute ran", l->n, pct(l, 0.5),
		       pct(l, 0.99), pct(l, 0.999));
	}
}

static void report_recomputes(const struct bench *b)
{
	printf("recomputes: %ld started during the run, %d finished:", b->rc_starts, b->nrc);
	for (int i = 0; i < b->nrc; i++)
		printf(" %.2f s%s", b->rc_dur[i], b->rc_ok[i] ? "" : " (failed)");
	printf("; plan ids served %ld..%ld\n", b->plan_min, b->plan_max);
}

static void report_adversaries(const struct bench *b)
{
	for (int k = K_SLOW; k < NKIND; k++) {
		const struct kind_stats *s = &b->ks[k];
		if (!b->nkind[k])
			continue;
		printf("%-14s x%-3d connections %ld, closed by the daemon %ld (held %.1f s on "
		       "average), bytes read %ld, replies %ld\n", kind_name[k], b->nkind[k],
		       s->opened, s->closed_by_daemon, s->closed_by_daemon ? s->held_s /
		       (double)s->closed_by_daemon : 0, s->bytes, s->replies);
	}
}

static void report_daemon(struct bench *b)
{
	json_t *st = call(b->path, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}\n");
	json_t *rq = json_object_get(st, "requests");

	if (b->pid > 0)
		printf("daemon pid %d: VmRSS before %.1f MiB, max during %.1f MiB (at %.1f s), after "
		       "%.1f MiB; VmHWM before %.1f MiB, after %.1f MiB; open fds before %ld, after "
		       "%ld\nVmRSS timeline (s:MiB):%s\n", b->pid, b->rss_before / 1024.0,
		       b->rss_max / 1024.0, b->rss_max_at, b->rss_after / 1024.0,
		       b->hwm_before / 1024.0, b->hwm_after / 1024.0, b->fds_before, b->fds_after,
		       b->timeline);
	printf("daemon status after: clients %lld (this query), accepted %lld, rejected_full %lld,"
	       " closed_slow %lld, requests %lld, errors %lld\n",
	       (long long)json_integer_value(json_object_get(rq, "clients")),
	       (long long)json_integer_value(json_object_get(rq, "accepted")),
	       (long long)json_integer_value(json_object_get(rq, "rejected_full")),
	       (long long)json_integer_value(json_object_get(rq, "closed_slow")),
	       (long long)json_integer_value(json_object_get(rq, "total")),
	       (long long)json_integer_value(json_object_get(rq, "errors")));
	json_decref(st);
}

void report(struct bench *b, double wall)
{
	struct rusage ru;
	long replies = 0, errors = 0;

	for (int m = 0; m < NMETH; m++)
		replies += (long)b->lat[m].n, errors += b->errors[m];
	getrusage(RUSAGE_SELF, &ru);
	printf("bench_load: %d clients x pipeline %d for %.1f s (%.1f s with the drain), mix",
	       b->clients, b->pipeline, b->seconds, wall);
	for (int m = 0; m < NMETH; m++)
		printf(" %s %u", method_name[m], b->weight[m]);
	printf("\nreplies %ld (%.0f/s), protocol errors %ld, error replies %ld, dropped "
	       "connections %ld, lost in the final drain %ld, failed connects %ld\n", replies,
	       (double)replies / b->seconds, b->protocol_errors, errors, b->dropped, b->drain_lost,
	       b->connect_failed);
	report_methods(b, b->seconds);
	report_recomputes(b);
	report_adversaries(b);
	report_daemon(b);
	printf("load generator CPU: user %.1f s, system %.1f s (it shares the machine's cores with"
	       " the daemon)\n", (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
}
