/* The serving loop: socket server, request dispatch, signals, readiness notifications,
 * plan loading in the thread pool with publication on the loop thread, and recomputes as
 * a child `hubplannerd plan` process. A recompute that failed or was killed before its
 * plan was stored never replaces the plan being served. */
#define _DEFAULT_SOURCE
#include "daemon/daemon.h"

#include <errno.h>
#include <jansson.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "daemon/log.h"
#include "daemon/rpc/methods.h"
#include "daemon/rpc/rpc.h"
#include "daemon/server/server.h"
#include "data/store.h"
#include "data/store_plan.h"
#include "geo/crs.h"
#include "model/changes.h"
#include "model/served.h"
#include "util/clock.h"

#define TRIM_INTERVAL_MS 10000

/* ---- requests ---- */

/* The status method's view of the daemon (struct rpc_admin.status). */
static void admin_status(void *user, struct rpc_status *out)
{
	struct daemon_state *d = user;
	const struct recompute_state *r = &d->rc;
	struct server_stats st = {0};
	if (d->server)
		server_get_stats(d->server, &st);
	*out = (struct rpc_status){
		.recompute_running = r->running, .recompute_started_at = r->started_at,
		.recompute_finished_at = r->finished_at, .recompute_duration_s = r->duration_s,
		.recompute_pct = r->pct, .recompute_left_s = r->left_s,
		.recompute_last_ok = r->last_ok, .recompute_error = r->last_error,
		.started_at = d->started_at, .requests = d->requests,
		.request_errors = d->request_errors, .clients = (long)st.current,
		.accepted = st.accepted, .rejected_full = st.rejected_full,
		.closed_slow = st.closed_slow, .load_error = d->load_error,
	};
	snprintf(out->recompute_phase, sizeof out->recompute_phase, "%s", r->phase);
}

static int admin_recompute(void *user, char *err, size_t errlen)
{
	return daemon_recompute(user, err, errlen);
}

static int admin_reload(void *user, char *err, size_t errlen)
{
	return daemon_reload(user, err, errlen);
}

static int start_load(struct daemon_state *d);

/* A site status changed in the store: logged, and the plan reloaded (once more after a
 * load that is running now) so that whatif and suggest see the status. */
static void admin_status_changed(void *user, const char *what, const char *set_by)
{
	struct daemon_state *d = user;
	log_notice("status: %s, by %s; it takes effect at the next recompute", what, set_by);
	if (!d->plan)
		return;
	if (d->loading)
		d->load_again = 1;
	else if (start_load(d) < 0)
		log_warn("status: could not reload the plan; whatif and suggest see the new "
			 "status after the next reload");
}

/* The changes method's reads: a read-only open of the database on the loop thread, like
 * latest_plan: 16 ms per request for two national plans (docs/architecture.md). */
static int admin_changes(void *user, int64_t from, int64_t to, struct plan_changes **out,
			 char *err, size_t errlen)
{
	struct daemon_state *d = user;
	struct store *st = NULL;
	int rc = store_open(d->cfg.database, STORE_READONLY, &st, err, errlen);
	if (rc == 0)
		rc = changes_load(st, from, to, out, err, errlen);
	store_close(st);
	return rc;
}

static char *on_line(void *user, struct server_conn *c, const char *line, size_t len)
{
	struct daemon_state *d = user;
	const struct server_peer *peer = server_conn_peer(c);
	const struct rpc_admin admin = {.user = d, .status = admin_status,
					.recompute = admin_recompute, .reload = admin_reload,
					.changes = admin_changes,
					.status_changed = admin_status_changed};
	struct rpc_ctx ctx = {.plan = d->plan, .admin = &admin,
			      .privileged = peer->known && (peer->uid == 0 || peer->uid == getuid()),
			      .store_path = d->cfg.database, .peer_uid = peer->uid};
	double t0 = clock_now_s();
	int is_error = 0;
	char *reply = rpc_handle(&ctx, line, len, &is_error);
	d->requests++;
	d->request_errors += is_error != 0;
	if (log_enabled(LOG_DEBUG))
		log_debug("request from pid %d uid %u: %.*s -> %zu bytes in %.3f ms", (int)peer->pid,
			  (unsigned)peer->uid, (int)(len > 200 ? 200 : len), line,
			  reply ? strlen(reply) : 0, 1000 * (clock_now_s() - t0));
	return reply;
}

static char *on_oversize(void *user, struct server_conn *c, size_t len)
{
	struct daemon_state *d = user;
	(void)c;
	(void)len;
	d->requests++;
	d->request_errors++;
	return rpc_oversize_reply((size_t)d->cfg.max_line_bytes);
}

static void limits_of(const struct config *cfg, struct server_limits *l)
{
	l->max_clients = cfg->max_clients;
	l->idle_timeout_s = cfg->idle_timeout_s;
	l->max_line_bytes = (size_t)cfg->max_line_bytes;
	l->write_queue_bytes = (size_t)cfg->write_queue_bytes;
}

/* ---- plan loading ---- */

struct load_job {
	uv_work_t work;
	struct daemon_state *d;
	struct config cfg;
	struct served *result;
	int rc;
	char err[512];
};

/* The served model of the newest plan with its reply fragments rendered, ready to publish. */
static int load_plan(const struct config *cfg, struct served **out, char *err, size_t errlen)
{
	int rc = served_load(cfg, out, err, errlen);
	if (rc == 0 && (rc = methods_prerender(*out)) < 0) {
		snprintf(err, errlen, "out of memory");
		served_free(*out);
		*out = NULL;
	}
	return rc;
}

static void load_work(uv_work_t *w)
{
	struct load_job *j = w->data;
	j->rc = load_plan(&j->cfg, &j->result, j->err, sizeof j->err);
}

/* One summary line per recompute: duration, sites, coverage and gap of the new plan. */
static void log_recompute(const struct served *p, double seconds)
{
	json_error_t je;
	json_t *j = json_loads(p->summary_json ? p->summary_json : "{}", 0, &je);
	json_t *l = json_object_get(j, "local"), *r = json_object_get(j, "regional");
	double w = json_number_value(json_object_get(l, "weight"));
	log_notice("recompute: plan #%lld in %.1f s: %lld local sites covering %.2f%% of weighted "
		   "demand (gap %.3f%% to the bound), %lld regional sites",
		   (long long)p->plan_id, seconds,
		   (long long)json_integer_value(json_object_get(l, "sites")),
		   w > 0 ? 100 * json_number_value(json_object_get(l, "covered_weight")) / w : 0,
		   json_number_value(json_object_get(l, "gap_pct")),
		   (long long)json_integer_value(json_object_get(r, "sites")));
	json_decref(j);
	char line[320];
	if (changes_line_from_summary(p->summary_json, line, sizeof line) == 0)
		log_notice("recompute: plan #%lld: %s", (long long)p->plan_id, line);
}

static void load_done(uv_work_t *w, int status)
{
	struct load_job *j = w->data;
	struct daemon_state *d = j->d;
	d->loading = 0;
	if (status == 0 && j->rc == 0) {
		served_free(d->plan);
		malloc_trim(0);   /* the old plan's pages, mostly in a worker thread's arena */
		d->plan = j->result;
		d->load_error[0] = '\0';
		if (d->rc.summary_pending)
			log_recompute(d->plan, d->rc.duration_s);
		log_info("serving plan #%lld (data version %s)", (long long)d->plan->plan_id,
			 d->plan->data_version);
	} else {
		snprintf(d->load_error, sizeof d->load_error, "%s", j->err);
		log_warn("plan not loaded, %s: %s", d->plan ? "keeping the current one" : "no plan",
			 j->err);
		served_free(j->result);
	}
	d->rc.summary_pending = 0;
	sd_notifyf(0, "READY=1\nSTATUS=%s", d->plan ? "serving" : "serving, no plan yet");
	free(j);
	if (d->load_again && !d->stopping) {   /* a status changed while this load ran */
		d->load_again = 0;
		start_load(d);
	}
}

static int start_load(struct daemon_state *d)
{
	struct load_job *j = calloc(1, sizeof *j);
	if (!j)
		return -ENOMEM;
	j->d = d;
	j->cfg = d->cfg;
	j->work.data = j;
	d->loading = 1;
	int rc = uv_queue_work(d->loop, &j->work, load_work, load_done);
	if (rc < 0) {
		d->loading = 0;
		free(j);
	}
	return rc;
}

/* ---- recompute ---- */

static void parse_progress(struct recompute_state *r, const char *line)
{
	const char *p;
	if (strncmp(line, "progress ", 9) != 0) {
		snprintf(r->last_stderr, sizeof r->last_stderr, "%.400s", line);
		return;
	}
	if ((p = strstr(line, "phase=")))
		sscanf(p + 6, "%31s", r->phase);
	if ((p = strstr(line, "pct=")))
		r->pct = atof(p + 4);
	if ((p = strstr(line, "left_s=")))
		r->left_s = atof(p + 7);
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	static char scratch[4096];
	(void)h;
	(void)suggested;
	*buf = uv_buf_init(scratch, sizeof scratch);
}

static void child_closed(uv_handle_t *h)
{
	struct daemon_state *d = h->data;
	d->rc.handles_open--;
}

static void read_child(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct daemon_state *d = s->data;
	struct recompute_state *r = &d->rc;
	for (ssize_t i = 0; i < n; i++) {
		char ch = buf->base[i];
		if (ch == '\n' || r->linelen == sizeof r->linebuf - 1) {
			r->linebuf[r->linelen] = '\0';
			parse_progress(r, r->linebuf);
			sd_notifyf(0, "STATUS=recompute: %s %.0f%%", r->phase, r->pct);
			r->linelen = 0;
		} else {
			r->linebuf[r->linelen++] = ch;
		}
	}
	if (n < 0)
		uv_close((uv_handle_t *)s, child_closed);
}

/* The newest stored plan's id (0 none), or -1 when the database cannot be read. A quick
 * read-only open on the loop thread, once per recompute start and end. */
static int64_t latest_plan(const struct daemon_state *d)
{
	struct store *st = NULL;
	int64_t id = -1;
	char err[512];
	if (store_open(d->cfg.database, STORE_READONLY, &st, err, sizeof err) < 0 ||
	    store_plan_latest(st, &id, err, sizeof err) < 0)
		id = -1;
	store_close(st);
	return id;
}

static void child_exit(uv_process_t *p, int64_t status, int signo)
{
	struct daemon_state *d = p->data;
	struct recompute_state *r = &d->rc;
	r->running = 0;
	r->finished_at = time(NULL);
	r->duration_s = clock_now_s() - r->t0;
	r->last_ok = status == 0 && signo == 0;
	/* Killed or failed after its commit (a plan is stored whole or not at all): the new
	 * plan is there, so serve it rather than report a failure a restart would contradict. */
	int64_t newest = r->last_ok || r->plan_before < 0 ? -1 : latest_plan(d);
	if (newest > r->plan_before) {
		log_warn("recompute child %s %d after storing plan #%lld; serving it",
			 signo ? "killed by signal" : "exited with status", signo ? signo : (int)status,
			 (long long)newest);
		r->last_ok = 1;
	}
	if (!r->last_ok) {
		snprintf(r->last_error, sizeof r->last_error, "%s %d%s%s; the previous plan is kept",
			 signo ? "killed by signal" : "exited with status", signo ? signo : (int)status,
			 r->last_stderr[0] ? ": " : "", r->last_stderr);
		log_err("recompute failed after %.1f s: %s", r->duration_s, r->last_error);
	} else {
		log_notice("recompute finished in %.1f s; loading the new plan", r->duration_s);
		r->summary_pending = 1;
		start_load(d);
	}
	uv_close((uv_handle_t *)p, child_closed);
}

int daemon_recompute(struct daemon_state *d, char *err, size_t errlen)
{
	struct recompute_state *r = &d->rc;
	char *args[8] = {d->exe, "--db", d->cfg.database, NULL};
	int n = 3;
	if (r->running || r->handles_open > 0 || d->stopping)
		return -EBUSY;
	if (d->cli.config_path) {
		args[n++] = "-c";
		args[n++] = (char *)d->cli.config_path;
	}
	args[n++] = "plan";
	args[n] = NULL;
	uv_pipe_init(d->loop, &r->err_pipe, 0);
	r->err_pipe.data = d;
	uv_stdio_container_t stdio[3] = {
		{.flags = UV_IGNORE}, {.flags = UV_IGNORE},
		{.flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE, .data.stream = (uv_stream_t *)&r->err_pipe},
	};
	uv_process_options_t o = {.exit_cb = child_exit, .file = d->exe, .args = args,
				  .stdio_count = 3, .stdio = stdio};
	r->proc.data = d;
	r->handles_open = 2;
	r->plan_before = latest_plan(d);
	int rc = uv_spawn(d->loop, &r->proc, &o);
	if (rc < 0) {
		snprintf(err, errlen, "cannot start %s: %s", d->exe, uv_strerror(rc));
		log_err("recompute: %s", err);
		uv_close((uv_handle_t *)&r->proc, child_closed);  /* libuv: close after a failed spawn */
		uv_close((uv_handle_t *)&r->err_pipe, child_closed);
		return rc;
	}
	r->running = 1;
	r->started_at = time(NULL);
	r->t0 = clock_now_s();
	r->linelen = 0;
	r->last_stderr[0] = '\0';
	snprintf(r->phase, sizeof r->phase, "starting");
	r->pct = 0;
	uv_read_start((uv_stream_t *)&r->err_pipe, alloc_cb, read_child);
	log_notice("recompute started (pid %d)", r->proc.pid);
	return 0;
}

/* ---- reload and signals ---- */

/* The [daemon] log_level as a syslog priority. */
static enum log_level level_of(const struct config *cfg)
{
	static const char *const names[] = {"error", "warning", "notice", "info", "debug"};
	for (int k = 0; k < 5; k++)
		if (strcmp(cfg->log_level, names[k]) == 0)
			return (enum log_level)(LOG_ERR + k);
	return LOG_INFO;
}

/* Says which RD <-> ETRS89 transformation the configured [proj] grid_dir gives: a warning
 * when the folder is named but holds no NSGI grid, so coordinates fall back to Helmert. */
static void check_proj_grid(const struct config *cfg)
{
	struct crs *c = NULL;
	char err[512];
	const char *dir = cfg->proj_grid_dir;
	if (crs_open(dir, &c, err, sizeof err) < 0) {
		log_warn("[proj] grid_dir %s: %s", dir[0] ? dir : "(empty)", err);
		return;
	}
	if (crs_uses_grid(c))
		log_info("coordinates: RD New <-> ETRS89 with NSGI's grid (%s)", crs_operation_name(c));
	else if (dir[0])
		log_warn("[proj] grid_dir %s holds no NSGI grid (nl_nsgi_rdtrans2018.tif): RD New <-> "
			 "ETRS89 falls back to a Helmert transformation, within 0.24 m", dir);
	else
		log_info("coordinates: no [proj] grid_dir and no NSGI grid on PROJ's path: RD New "
			 "<-> ETRS89 uses a Helmert transformation, within 0.24 m");
	crs_close(c);
}

int daemon_reload(struct daemon_state *d, char *err, size_t errlen)
{
	struct config fresh;
	struct server_limits l;
	sd_notify(0, "RELOADING=1");
	int rc = cli_load_config(&d->cli, &fresh, err, errlen);
	if (rc < 0) {
		log_err("reload: configuration kept: %s", err);
		sd_notify(0, "READY=1");
		return rc;
	}
	d->cfg = fresh;
	log_set_level(level_of(&d->cfg));
	limits_of(&d->cfg, &l);
	server_set_limits(d->server, &l);
	log_notice("reload: configuration read; loading the newest plan");
	check_proj_grid(&d->cfg);
	if (d->loading || start_load(d) < 0)
		sd_notify(0, "READY=1");
	return 0;
}

static void server_done(void *arg)
{
	struct daemon_state *d = arg;
	uv_stop(d->loop);
}

static void on_signal(uv_signal_t *h, int signo)
{
	struct daemon_state *d = h->data;
	char err[2048];
	if (signo == SIGHUP) {
		daemon_reload(d, err, sizeof err);
		return;
	}
	if (d->stopping)
		return;
	d->stopping = 1;
	sd_notify(0, "STOPPING=1");
	log_notice("stopping on signal %d", signo);
	if (d->rc.running)
		uv_process_kill(&d->rc.proc, SIGTERM);
	server_close(d->server, server_done, d);
}

/* glibc keeps the freed read and reply buffers of closed connections in its heap: after
 * 60 s of slow and stalled clients the daemon held 190 MiB, 118 MiB of it free. A tick
 * with traffic since the last one, and the quiet tick after it, give it back. */
static void on_trim_timer(uv_timer_t *t)
{
	struct daemon_state *d = t->data;
	struct server_stats st;
	server_get_stats(d->server, &st);
	int traffic = st.accepted + st.lines != d->trim_mark;
	d->trim_mark = st.accepted + st.lines;
	if (traffic || d->trim_pending)
		malloc_trim(0);
	d->trim_pending = traffic;
}

static void start_trim_timer(struct daemon_state *d)
{
	uv_timer_init(d->loop, &d->trim_timer);
	d->trim_timer.data = d;
	uv_timer_start(&d->trim_timer, on_trim_timer, TRIM_INTERVAL_MS, TRIM_INTERVAL_MS);
	uv_unref((uv_handle_t *)&d->trim_timer);   /* never what keeps the loop running */
}

static void start_signal(struct daemon_state *d, uv_signal_t *h, int signo)
{
	uv_signal_init(d->loop, h);
	h->data = d;
	uv_signal_start(h, on_signal, signo);
}

static void close_walk(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static int open_server(struct daemon_state *d)
{
	struct server_limits l;
	struct server_handler h = {on_line, on_oversize, d};
	char err[512];
	int fd = server_listen_fd_from_systemd();
	limits_of(&d->cfg, &l);
	int rc = server_open(d->loop, d->cfg.socket, fd, &l, &h, &d->server, err, sizeof err);
	if (rc < 0)
		log_err("%s", err);
	else
		log_info("listening on %s", fd >= 0 ? "the socket from systemd" : d->cfg.socket);
	return rc;
}

int daemon_run(const struct cli_common *cli, const struct config *cfg)
{
	static struct daemon_state d;
	size_t size = sizeof d.exe;
	char err[512];
	memset(&d, 0, sizeof d);
	d.loop = uv_default_loop();
	d.cli = *cli;
	d.cfg = *cfg;
	d.started_at = time(NULL);
	d.rc.last_ok = -1;
	log_set_level(level_of(&d.cfg));
	signal(SIGPIPE, SIG_IGN);
	if (uv_exepath(d.exe, &size) < 0)
		snprintf(d.exe, sizeof d.exe, "/proc/self/exe");
	if (open_server(&d) < 0)
		return 1;
	start_signal(&d, &d.sig_term, SIGTERM);
	start_signal(&d, &d.sig_int, SIGINT);
	start_signal(&d, &d.sig_hup, SIGHUP);
	start_trim_timer(&d);
	check_proj_grid(&d.cfg);
	if (load_plan(&d.cfg, &d.plan, err, sizeof err) < 0) {
		snprintf(d.load_error, sizeof d.load_error, "%s", err);
		log_warn("no plan loaded: %s", err);
	} else {
		log_info("serving plan #%lld (data version %s)", (long long)d.plan->plan_id,
			 d.plan->data_version);
	}
	sd_notifyf(0, "READY=1\nSTATUS=%s", d.plan ? "serving" : "serving, no plan yet");
	uv_run(d.loop, UV_RUN_DEFAULT);
	/* Closing the signal handles restores the default actions: ignore the signals first so
	 * a second SIGTERM during shutdown cannot kill the process before it exits 0. */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	uv_walk(d.loop, close_walk, NULL);
	uv_run(d.loop, UV_RUN_DEFAULT);
	uv_loop_close(d.loop);
	served_free(d.plan);
	log_info("stopped");
	return 0;
}
