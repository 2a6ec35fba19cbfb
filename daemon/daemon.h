/* The serving daemon: the libuv loop with the socket server, the published plan, signals
 * (SIGTERM/SIGINT stop, SIGHUP reloads), sd_notify, and recomputes run as a child process
 * (`hubplannerd plan`) whose progress is read from its stderr. Runs on one loop thread;
 * plan loading runs in the libuv thread pool and is published on the loop thread. */
#ifndef HUB_DAEMON_H
#define HUB_DAEMON_H

#include <stddef.h>
#include <time.h>
#include <uv.h>

#include "config/cli.h"
#include "config/config.h"

struct served;
struct server;

struct recompute_state {
	int running;
	int handles_open;             /* proc and err_pipe not yet closed: no new recompute */
	int summary_pending;          /* log the summary line when the new plan is loaded */
	uv_process_t proc;
	uv_pipe_t err_pipe;
	char linebuf[1024];
	size_t linelen;
	char phase[32];
	double pct, left_s;
	time_t started_at, finished_at;
	double duration_s;
	int last_ok;                  /* -1 never ran, 0 failed, 1 succeeded */
	int64_t plan_before;          /* the newest stored plan when it started (-1 unknown) */
	char last_error[1024];
	char last_stderr[512];        /* the child's last non-progress line */
	double t0;
};

struct daemon_state {
	uv_loop_t *loop;
	struct cli_common cli;        /* to re-read the configuration on reload */
	struct config cfg;
	struct served *plan;          /* published; replaced whole on the loop thread */
	struct server *server;
	uv_signal_t sig_term, sig_int, sig_hup;
	struct recompute_state rc;
	int loading;                  /* a plan load is running in the thread pool */
	int load_again;               /* a status changed during that load: load once more */
	char load_error[512];
	time_t started_at;
	unsigned long long requests, request_errors;
	int stopping;
	char exe[4096];
	uv_timer_t trim_timer;        /* gives freed heap memory back to the system */
	unsigned long long trim_mark; /* accepted + lines at the last tick */
	int trim_pending;             /* traffic at the last tick: trim once more */
};

/* Runs the daemon until SIGTERM/SIGINT. Returns the process exit code. */
int daemon_run(const struct cli_common *cli, const struct config *cfg);

/* Starts a recompute (privileged method and hubctl recompute). 0, or -EBUSY when one runs,
 * or negative errno with err. */
int daemon_recompute(struct daemon_state *d, char *err, size_t errlen);

/* Re-reads the configuration (keeping the old one when it is broken) and the newest plan.
 * 0 or negative errno with err (the configuration errors). */
int daemon_reload(struct daemon_state *d, char *err, size_t errlen);

#endif
