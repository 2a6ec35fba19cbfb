/* hubctl's conversation with hubplannerd: connect to its Unix socket, send one JSON-RPC
 * request line, read and parse the reply line (docs/protocol.md), and `recompute --wait`,
 * which polls status until the new plan is served. Prints progress and failures only (in
 * --lang's language; the daemon's messages as sent): the results are hubctl.c's to print.
 * Knows nothing of the command line or the commands. */
#include "client/hubctl.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "client/hubctl_print.h"
#include "client/hubctl_text.h"
#include "util/clock.h"
#include "util/fmt.h"

enum { RPC_BUSY_CODE = -32003 };  /* docs/protocol.md; rpc.h is the daemon's */

#define POLL_INTERVAL_S 0.5
#define READ_CHUNK 65536
#define MAX_REPLY_BYTES (1024u * 1024u * 1024u)

/* ---- the connection ---- */

static void sleep_s(double s)
{
	struct timespec t = {(time_t)s, (long)((s - floor(s)) * 1e9)};
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

static const char *connect_hint(int e)
{
	if (e == EACCES || e == EPERM)
		return "the socket is open to root, the daemon's user and its group only";
	return "hubplannerd must be running and listening there (give its socket with --socket "
	       "PATH or [daemon] socket in -c FILE)";
}

/* Connects to the configured socket; writes (and connects) time out after timeout_s. */
static int ctl_connect(struct ctl *c)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {(time_t)c->timeout_s, (long)((c->timeout_s - floor(c->timeout_s)) * 1e6)};
	const char *path = c->cfg.socket;
	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "hubctl: socket path %s is %zu bytes, the limit is %zu\n", path,
			strlen(path), sizeof sa.sun_path - 1);
		return EXIT_CONFIG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd >= 0)
		setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = errno;
		fprintf(stderr, "hubctl: cannot connect to %s: %s\nhubctl: %s\n", path, strerror(e),
			connect_hint(e));
		return EXIT_CONNECT;
	}
	return 0;
}

void ctl_close(struct ctl *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
	c->len = c->cap = 0;
	json_decref(c->add);
	json_decref(c->remove);
	json_decref(c->fail);
}

static int send_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Receives what is there (waiting until the deadline); -EPIPE when the daemon closed. */
static int recv_more(struct ctl *c, double deadline)
{
	struct pollfd p = {c->fd, POLLIN, 0};
	double left = deadline - clock_now_s();
	int rc = left > 0 ? poll(&p, 1, (int)ceil(left * 1000)) : 0;
	if (rc < 0)
		return errno == EINTR ? 0 : -errno;
	if (rc == 0)
		return -ETIMEDOUT;
	if (c->cap - c->len < READ_CHUNK) {
		size_t cap = c->cap ? 2 * c->cap : 2 * READ_CHUNK;
		char *b = cap <= MAX_REPLY_BYTES ? realloc(c->buf, cap) : NULL;
		if (!b)
			return -ENOMEM;
		c->buf = b;
		c->cap = cap;
	}
	ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	if (n == 0)
		return -EPIPE;
	c->len += (size_t)n;
	return 0;
}

/* Waits for a whole line; its length (without '\n') in *n. */
static int read_line(struct ctl *c, size_t *n)
{
	double deadline = clock_now_s() + c->timeout_s;
	char *nl;
	int rc;
	while (!(nl = c->len ? memchr(c->buf, '\n', c->len) : NULL))
		if ((rc = recv_more(c, deadline)) < 0)
			return rc;
	*n = (size_t)(nl - c->buf);
	return 0;
}

static void consume(struct ctl *c, size_t n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
}

/* Prints why the conversation failed; the exit code. */
static int io_failure(const struct ctl *c, int rc, const char *doing)
{
	if (rc == -ETIMEDOUT) {
		fprintf(stderr, "hubctl: no reply from hubplannerd within %g s (--timeout)\n",
			c->timeout_s);
		return EXIT_FAILURE_RUN;
	}
	if (rc == -EPIPE || rc == -ECONNRESET) {
		fprintf(stderr, "hubctl: %s closed the connection while %s (too many clients, an "
			"oversize request, or the daemon is stopping)\n", c->cfg.socket, doing);
		return EXIT_CONNECT;
	}
	fprintf(stderr, "hubctl: %s while %s\n", strerror(-rc), doing);
	return EXIT_FAILURE_RUN;
}

/* Reads the reply to request id: 0 and *result, or an exit code (JSON-RPC error in c). */
static int parse_reply(struct ctl *c, size_t n, long long id, json_t **result)
{
	json_error_t je;
	json_t *reply = json_loadb(c->buf, n, 0, &je), *err;
	int rc = EXIT_FAILURE_RUN;
	json_t *rid = json_object_get(reply, "id");
	if (!json_is_integer(rid) || json_integer_value(rid) != id) {
		fprintf(stderr, "hubctl: unexpected reply from hubplannerd: %.*s\n",
			(int)(n < 200 ? n : 200), c->buf);
	} else if ((err = json_object_get(reply, "error"))) {
		c->rpc_code = (int)json_integer_value(json_object_get(err, "code"));
		snprintf(c->rpc_message, sizeof c->rpc_message, "%s",
			 ctl_getstr(err, "message"));
	} else if ((*result = json_object_get(reply, "result"))) {
		json_incref(*result);
		rc = 0;
	} else {
		fprintf(stderr, "hubctl: a reply without result or error from hubplannerd\n");
	}
	json_decref(reply);
	return rc;
}

/* The request as one compact line, then the reply line with the same id. */
int ctl_call(struct ctl *c, const char *method, json_t *params, json_t **result)
{
	long long id = ++c->next_id;
	size_t n;
	int rc;
	*result = NULL;
	c->rpc_code = 0;
	if (c->fd < 0 && (rc = ctl_connect(c)) != 0)
		return rc;
	json_t *req = json_pack("{s:s, s:I, s:s}", "jsonrpc", "2.0", "id", (json_int_t)id,
				"method", method);
	if (req && params && json_object_size(params))
		json_object_set(req, "params", params);
	char *line = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (!line)
		return io_failure(c, -ENOMEM, "building the request");
	size_t len = strlen(line);
	line[len] = '\n';             /* json_dumps' NUL: the line is sent with its length */
	rc = send_all(c->fd, line, len + 1);
	free(line);
	if (rc < 0)
		return io_failure(c, rc, "sending the request");
	if ((rc = read_line(c, &n)) < 0)
		return io_failure(c, rc, "waiting for the reply");
	rc = parse_reply(c, n, id, result);
	consume(c, n + 1);
	return rc;
}

/* ctl_call that prints a JSON-RPC error as "hubctl: CODE: message". */
int ctl_request(struct ctl *c, const char *method, json_t *params, json_t **result)
{
	int rc = ctl_call(c, method, params, result);
	if (rc && c->rpc_code)
		fprintf(stderr, "hubctl: %d: %s\n", c->rpc_code, c->rpc_message);
	return rc;
}

/* ---- recompute --wait ---- */

struct watch {
	double plan_id;               /* the plan served before; NaN: none */
	char load_error[512];         /* the daemon's load error before */
	char phase[32];               /* the last phase shown */
	int tty, bar;                 /* stdout is a terminal; a bar is drawn */
	double done_at;               /* when the recompute was seen finished; 0 not yet */
};

static void watch_init(struct watch *w, json_t *status)
{
	memset(w, 0, sizeof *w);
	w->plan_id = ctl_getnum(status, "plan.plan_id");
	snprintf(w->load_error, sizeof w->load_error, "%s", ctl_getstr(status, "load_error"));
	w->tty = isatty(STDOUT_FILENO);
}

/* "[########------------]  42.0%  local, 3 s left" on one line, or a line per phase. */
static void show_progress(const struct ctl *c, struct watch *w, json_t *rc)
{
	const char *phase = ctl_value_text(ctl_getstr(rc, "phase"));
	double pct = ctl_getnum(rc, "pct"), left = ctl_getnum(rc, "left_s");
	int fill = isnan(pct) ? 0 : (int)(fmin(fmax(pct, 0), 100) * 30 / 100);
	char eta[48] = "", num[32];
	if (c->json || (!w->tty && strcmp(phase, w->phase) == 0))
		return;
	snprintf(w->phase, sizeof w->phase, "%s", phase);
	if (!w->tty) {
		printf(LANG_PICK(c->lang, HT_RC_PHASE), phase,
		       fmt_number(num, sizeof num, isnan(pct) ? 0 : pct, 0, c->lang));
	} else {
		if (!isnan(left) && left >= 0)
			snprintf(eta, sizeof eta, LANG_PICK(c->lang, HT_RC_LEFT),
				 fmt_number(num, sizeof num, left, 0, c->lang));
		printf("\r[%.*s%*s] %5s%%  %s%s\033[K",
		       fill, "##############################", 30 - fill, "",
		       fmt_number(num, sizeof num, isnan(pct) ? 0 : pct, 1, c->lang), phase, eta);
		w->bar = 1;
	}
	fflush(stdout);
}

static void end_progress(struct watch *w)
{
	if (w->bar)
		printf("\n");
	w->bar = 0;
}

/* A finished recompute: 0 when its plan is served, EXIT_RECOMPUTE when it failed or its
 * plan did not load, -1 while the load may still be running. */
static int judge(const struct ctl *c, struct watch *w, json_t *st)
{
	json_t *rc = json_object_get(st, "recompute");
	double plan = ctl_getnum(st, "plan.plan_id");
	if (strcmp(ctl_getstr(rc, "last_result"), "ok") != 0) {
		fprintf(stderr, LANG_PICK(c->lang, HT_RC_FAILED), ctl_getstr(rc, "error"));
		return EXIT_RECOMPUTE;
	}
	if (!isnan(plan) && (isnan(w->plan_id) || plan != w->plan_id))
		return 0;
	if (strcmp(ctl_getstr(st, "load_error"), w->load_error) != 0) {
		fprintf(stderr, LANG_PICK(c->lang, HT_RC_NOT_LOADED), ctl_getstr(st, "load_error"));
		return EXIT_RECOMPUTE;
	}
	if (!w->done_at)
		w->done_at = clock_now_s();
	if (clock_now_s() - w->done_at <= c->timeout_s)
		return -1;
	fprintf(stderr, LANG_PICK(c->lang, HT_RC_OLD_PLAN), c->timeout_s);
	return EXIT_RECOMPUTE;
}

/* One status poll: -1 to go on, else the exit code (and st is the final status). */
static int watch_step(struct ctl *c, struct watch *w, json_t *st)
{
	json_t *rc = json_object_get(st, "recompute");
	if (json_is_true(json_object_get(rc, "running"))) {
		show_progress(c, w, rc);
		return -1;
	}
	end_progress(w);
	int code = judge(c, w, st);
	char secs[32], plan[32];
	if (code == 0 && !c->json)
		printf(LANG_PICK(c->lang, HT_RC_FINISHED),
		       fmt_number(secs, sizeof secs, ctl_getnum(rc, "duration_s"), 1, c->lang),
		       fmt_number(plan, sizeof plan, ctl_getnum(st, "plan.plan_id"), 0, c->lang),
		       ctl_getstr(st, "plan.data_version"));
	return code;
}

/* Starts a recompute, or joins the one running (busy). 0 or the exit code. */
static int start_or_join(struct ctl *c, const struct watch *w)
{
	json_t *result;
	int rc = ctl_call(c, "recompute", NULL, &result);
	json_decref(result);
	if (rc && c->rpc_code == RPC_BUSY_CODE) {
		if (!c->json)
			fputs(LANG_PICK(c->lang, HT_RC_JOINING), stdout);
		return 0;
	}
	if (rc && c->rpc_code)
		fprintf(stderr, "hubctl: %d: %s\n", c->rpc_code, c->rpc_message);
	else if (rc == 0 && !c->json && !w->tty)
		fputs(LANG_PICK(c->lang, HT_RC_STARTED), stdout);
	return rc;
}

int ctl_run_recompute(struct ctl *c, json_t **status)
{
	struct watch w;
	json_t *st;
	int rc;
	*status = NULL;
	if ((rc = ctl_request(c, "status", NULL, &st)) != 0)
		return rc;
	watch_init(&w, st);
	json_decref(st);
	if ((rc = start_or_join(c, &w)) != 0)
		return rc;
	while ((rc = ctl_request(c, "status", NULL, &st)) == 0) {
		if ((rc = watch_step(c, &w, st)) >= 0) {
			*status = st;
			break;
		}
		json_decref(st);
		sleep_s(POLL_INTERVAL_S);
	}
	end_progress(&w);
	return rc;
}
