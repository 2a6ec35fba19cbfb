/* Shared by the three files of bench_load (bench_load.c: clients and the event loop;
 * bench_load_req.c: requests and reply checks; bench_load_report.c: memory samples and the
 * summary). A benchmark's internals: nothing outside bench/ includes this. */
#ifndef HUB_BENCH_LOAD_H
#define HUB_BENCH_LOAD_H

#include <jansson.h>
#include <stddef.h>

enum method { M_COVERAGE, M_GAPS, M_STATS, M_SITES, M_WHATIF, M_SUGGEST, M_STATUS, NMETH };
extern const char *const method_name[NMETH];

/* normal: closed loop, every reply checked; slow: pipelines big replies, reads rate bytes/s;
 * stalled: the same but never reads; partial: sends an unfinished line; silent: sends
 * nothing; cutter: asks for a big reply and hangs up before or during it. */
enum kind { K_NORMAL, K_SLOW, K_STALLED, K_PARTIAL, K_SILENT, K_CUTTER, NKIND };

#define MAX_PIPE 64
#define OUT_CAP 65536          /* a client's unsent request bytes */
#define SLOW_DEPTH 256         /* requests a slow or stalled reader keeps unanswered */
#define TICK_S 0.01

struct pending {
	long id;
	int method;
	double sent;
};

struct client {
	enum kind kind;
	int fd;
	unsigned events, seed;
	char *in, *out;
	size_t have, cap, outlen, outoff;
	struct pending q[MAX_PIPE];
	int qhead, qn;
	long next_id, lines_sent, lines_seen, cut_after;
	double next_action, opened_at;
};

struct lat {
	double *v;
	size_t n, cap;
};

/* What happened to the clients of one kind. */
struct kind_stats {
	long opened, closed_by_daemon, replies, bytes;
	double held_s;
};

struct bench {
	const char *path;
	int clients, pipeline, pid, ep, running;
	int nkind[NKIND];
	double seconds, settle, slow_rate, t0, end;
	unsigned weight[NMETH], wsum;
	char (*gm)[8], (*vr)[8];
	int ngm, nvr, nlocal;
	struct client *cl;
	int ncl;
	struct lat lat[NMETH], lat_rc, lat_idle;
	long errors[NMETH], protocol_errors, dropped, connect_failed, drain_lost;
	struct kind_stats ks[NKIND];
	int rc_running;
	char rc_finished[32];
	double rc_dur[64];
	int nrc, rc_ok[64];
	long plan_min, plan_max, rc_starts;
	long rss_before, rss_max, hwm_before, rss_after, hwm_after, fds_before, fds_after;
	double rss_max_at, next_sample, next_line, next_tick;
	char timeline[2048];
};

/* bench_load_req.c */
int read_regions(struct bench *b, const char *csv);       /* GM and VR codes from the CSV */
int pick_method(struct bench *b, unsigned *s);
int make_request(struct bench *b, unsigned *s, int m, long id, char *buf, size_t n);
int check_reply(const char *line, size_t len, long id, json_t **res, char *why, size_t n);
void track_status(struct bench *b, json_t *status_result);

/* bench_load_report.c */
void lat_add(struct lat *l, double v);
void read_rss(int pid, long *rss, long *hwm);
long count_fds(int pid);
void sample_rss(struct bench *b, double t);
void report(struct bench *b, double wall);

/* bench_load.c: one request on a fresh blocking connection; its result (decref it) or NULL */
json_t *call(const char *path, const char *req);

#endif
