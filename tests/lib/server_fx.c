/* The shared fixture of the daemon/server tests (see server_fx.h): the scripted handler, a
 * libuv loop driven step by step (poll on the loop's backend fd and the client's socket, then
 * uv_run NOWAIT) and real client sockets on a temporary socket path. White-box through the
 * private server_conn.h for the reply batch buffer's size. Test-only: writes only in a temp
 * folder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "daemon/server/server.h"
#include "daemon/server/server_conn.h" /* white-box: struct server_conn's outcap */
#include "tests/lib/server_fx.h"
#include "tests/lib/testutil.h"

const struct server_limits fx_lim = {
	.max_clients = 100, .idle_timeout_s = 0, .max_line_bytes = 1024,
	.write_queue_bytes = 1024 * 1024,
};

/* ---- the handler ---- */

static char *dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *dupf(const char *fmt, ...)
{
	char *r = malloc(128);
	va_list ap;

	assert_non_null(r);
	va_start(ap, fmt);
	vsnprintf(r, 128, fmt, ap);
	va_end(ap);
	return r;
}

char *fx_big_reply(size_t n)
{
	char *r = malloc(n + 1);

	assert_non_null(r);
	memset(r, 'x', n);
	r[n] = '\0';
	return r;
}

static char *on_line(void *user, struct server_conn *c, const char *line, size_t len)
{
	struct fx *f = user;
	const struct server_peer *p = server_conn_peer(c);
	char *r;

	f->count++;
	assert_int_equal(line[len], '\0');
	if (strncmp(line, "big ", 4) == 0)
		return fx_big_reply(strtoul(line + 4, NULL, 10));
	if (strcmp(line, "none") == 0)
		return NULL;
	if (strcmp(line, "count") == 0)
		return dupf("%u", f->count);
	if (strcmp(line, "peer") == 0)
		return dupf("%d %d %d %d", p->known, (int)p->pid, (int)p->uid, (int)p->gid);
	if (strcmp(line, "outcap") == 0)
		return dupf("%zu", c->outcap);
	if (strcmp(line, "sleep") == 0) {
		nanosleep(&(struct timespec){ .tv_nsec = 2000000 }, NULL);
		return dupf("slept");
	}
	r = malloc(len + 1);
	assert_non_null(r);
	memcpy(r, line, len + 1);
	return r;
}

static char *on_oversize(void *user, struct server_conn *c, size_t len)
{
	(void)user;
	(void)c;
	return dupf("oversize %zu", len);
}

void fx_on_done(void *arg)
{
	struct fx *f = arg;

	server_get_stats(f->s, &f->last);
	f->done = 1;
}

/* ---- driving the loop ---- */

long long fx_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits up to ms for work on the loop or for events on fd (when >= 0), then runs the loop
 * once without blocking. */
void fx_pump(struct fx *f, int fd, short events, int ms)
{
	struct pollfd p[2] = {
		{ .fd = uv_backend_fd(&f->loop), .events = POLLIN },
		{ .fd = fd, .events = events },
	};
	int t = uv_backend_timeout(&f->loop);

	if (t < 0 || t > ms)
		t = ms;
	poll(p, fd >= 0 ? 2 : 1, t);
	uv_run(&f->loop, UV_RUN_NOWAIT);
}

struct server_stats fx_stats(struct fx *f)
{
	struct server_stats st;

	server_get_stats(f->s, &st);
	return st;
}

const struct server_handler fx_handler_proto = { on_line, on_oversize, NULL };

void fx_start(struct fx *f, const struct server_limits *lim)
{
	struct server_handler h = fx_handler_proto;
	int rc;

	h.user = f;
	rc = server_open(&f->loop, f->path, -1, lim ? lim : &fx_lim, &h, &f->s, f->err,
			 sizeof f->err);
	if (rc != 0)
		fail_msg("server_open: %d %s", rc, f->err);
	server_set_drain_ms(f->s, DRAIN_MS);
}

/* Closes the server and runs the loop until fx_on_done. */
void fx_stop(struct fx *f)
{
	server_close(f->s, fx_on_done, f);
	assert_int_equal(f->done, 0); /* never inside server_close */
	PUMP_UNTIL(f, f->done);
	f->s = NULL;
}

int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	assert_int_equal(uv_loop_init(&f->loop), 0);
	tu_mkdtemp(f->dir, sizeof f->dir);
	snprintf(f->path, sizeof f->path, "%s/s.sock", f->dir);
	*state = f;
	return 0;
}

int fx_teardown(void **state)
{
	struct fx *f = *state;
	int i;

	if (f->s)
		fx_stop(f);
	for (i = 0; i < 100 && uv_loop_alive(&f->loop); i++)
		fx_pump(f, -1, 0, 10);
	assert_int_equal(uv_loop_close(&f->loop), 0);
	tu_rmtree(f->dir);
	free(f);
	return 0;
}

/* ---- clients ---- */

/* A blocking connect to path: the fd, or -errno. */
int cl_raw_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), e;

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

/* A listening socket bound at path, made without the server. */
int fx_raw_listen(const char *path, int backlog)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	if (backlog >= 0)
		assert_int_equal(listen(fd, backlog), 0);
	return fd;
}

struct cl *cl_connect(struct fx *f)
{
	struct cl *c = calloc(1, sizeof *c);

	assert_non_null(c);
	c->fd = cl_raw_connect(f->path);
	if (c->fd < 0)
		fail_msg("connect %s: %s", f->path, strerror(-c->fd));
	assert_int_equal(fcntl(c->fd, F_SETFL, O_NONBLOCK), 0);
	c->buf = malloc(CL_BUF);
	assert_non_null(c->buf);
	return c;
}

void cl_free(struct cl *c)
{
	close(c->fd);
	free(c->buf);
	free(c);
}

void cl_send(struct fx *f, struct cl *c, const char *data, size_t n)
{
	long long t0 = fx_now_ms();
	ssize_t w;

	while (n > 0) {
		w = send(c->fd, data, n, MSG_NOSIGNAL);
		if (w > 0) {
			data += w;
			n -= (size_t)w;
			continue;
		}
		if (errno != EAGAIN && errno != EINTR)
			fail_msg("send: %s", strerror(errno));
		if (fx_now_ms() - t0 > DEADLINE_MS)
			fail_msg("send timed out");
		fx_pump(f, c->fd, POLLOUT, 10);
	}
}

void cl_sends(struct fx *f, struct cl *c, const char *s)
{
	cl_send(f, c, s, strlen(s));
}

/* Reads what is there: > 0 bytes, 0 at EOF or reset, -1 when nothing yet. */
static ssize_t cl_fill(struct cl *c)
{
	ssize_t r;

	assert_true(c->len < CL_BUF);
	r = recv(c->fd, c->buf + c->len, CL_BUF - c->len, 0);
	if (r > 0)
		c->len += (size_t)r;
	else if (r < 0 && errno == ECONNRESET)
		r = 0;
	else if (r < 0 && errno != EAGAIN)
		fail_msg("recv: %s", strerror(errno));
	return r;
}

/* The next line (malloc'd, no '\n'), or NULL when the server closed first. */
char *cl_line(struct fx *f, struct cl *c)
{
	long long t0 = fx_now_ms();
	char *nl, *line;
	size_t n;

	while (!(nl = memchr(c->buf, '\n', c->len))) {
		ssize_t r = cl_fill(c);

		if (r == 0)
			return NULL;
		if (r > 0)
			continue;
		if (fx_now_ms() - t0 > DEADLINE_MS)
			fail_msg("no reply within %d ms", DEADLINE_MS);
		fx_pump(f, c->fd, POLLIN, 10);
	}
	n = (size_t)(nl - c->buf);
	line = malloc(n + 1);
	assert_non_null(line);
	memcpy(line, c->buf, n);
	line[n] = '\0';
	c->len -= n + 1;
	memmove(c->buf, nl + 1, c->len);
	return line;
}

void cl_expect(struct fx *f, struct cl *c, const char *want)
{
	char *line = cl_line(f, c);

	if (!line)
		fail_msg("closed; wanted \"%.60s\"", want);
	assert_string_equal(line, want);
	free(line);
}

void cl_expect_big(struct fx *f, struct cl *c, size_t n)
{
	char *line = cl_line(f, c), *want = fx_big_reply(n);

	if (!line)
		fail_msg("closed; wanted %zu bytes", n);
	assert_int_equal(strlen(line), n);
	assert_memory_equal(line, want, n);
	free(want);
	free(line);
}

void cl_expect_closed(struct fx *f, struct cl *c)
{
	char *line = cl_line(f, c);

	if (line)
		fail_msg("wanted EOF, got \"%.60s\"", line);
	assert_int_equal(c->len, 0);
}

/* Reads and drops everything until the server closes; the byte count. */
size_t cl_drain(struct fx *f, struct cl *c)
{
	long long t0 = fx_now_ms();
	size_t total = 0;
	ssize_t r;

	for (;;) {
		c->len = 0;
		r = cl_fill(c);
		if (r == 0)
			return total;
		if (r > 0)
			total += (size_t)r;
		else if (fx_now_ms() - t0 > DEADLINE_MS)
			fail_msg("still open after %d ms", DEADLINE_MS);
		else
			fx_pump(f, c->fd, POLLIN, 10);
	}
}

/* n requests "big size\n" in one buffer. */
char *fx_big_requests(int n, size_t size)
{
	char *buf = malloc((size_t)n * 32 + 1), *p = buf;
	int i;

	assert_non_null(buf);
	for (i = 0; i < n; i++)
		p += sprintf(p, "big %zu\n", size);
	return buf;
}

/* n requests "prefix-i\n" (i = 0..n-1) in one buffer of *len bytes. */
char *fx_numbered_requests(const char *prefix, int n, size_t *len)
{
	char *buf = malloc((size_t)n * (strlen(prefix) + 16) + 1), *p = buf;
	int i;

	assert_non_null(buf);
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s-%d\n", prefix, i);
	*len = (size_t)(p - buf);
	return buf;
}

/* Reads what has arrived without running the loop; the number of complete lines buffered. */
size_t cl_lines_arrived(struct cl *c)
{
	size_t n = 0, i;

	while (cl_fill(c) > 0)
		;
	for (i = 0; i < c->len; i++)
		n += c->buf[i] == '\n';
	return n;
}

void cl_expect_numbered(struct fx *f, struct cl *c, const char *prefix, int n)
{
	char want[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(want, sizeof want, "%s-%d", prefix, i);
		cl_expect(f, c, want);
	}
}
