/* Tests for daemon/server: a real libuv loop driven step by step in this thread (poll on the
 * loop's backend fd and the client's socket, then uv_run NOWAIT) and real client sockets on
 * a temporary socket path. The handler echoes, answers nothing, counts, sleeps, sends big
 * replies, the peer's credentials and (white-box, through the private server_conn.h) the
 * size of the connection's reply batch buffer. Test-only code: writes only in a temp folder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "server.h"
#include "server_conn.h" /* white-box: struct server_conn's outcap */
#include "testutil.h"

#define CL_BUF (512 * 1024)   /* a client's receive buffer: the longest line it reads */
#define DEADLINE_MS 3000      /* any wait longer than this fails the test */
#define DRAIN_MS 300          /* the servers' drain time in these tests */

/* Per-test state: a loop, the server on it and a socket path in a temp folder. */
struct fx {
	uv_loop_t loop;
	struct server *s;
	char dir[256];
	char path[512];
	char err[512];
	int done;                 /* on_done ran */
	struct server_stats last; /* the stats seen by on_done */
	unsigned count;           /* lines the handler saw */
};

/* A non-blocking client socket and what it received but did not consume yet. */
struct cl {
	int fd;
	char *buf;
	size_t len;
};

static const struct server_limits g_lim = {
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

static char *big_reply(size_t n)
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
		return big_reply(strtoul(line + 4, NULL, 10));
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

static void on_done(void *arg)
{
	struct fx *f = arg;

	server_get_stats(f->s, &f->last);
	f->done = 1;
}

/* ---- driving the loop ---- */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits up to ms for work on the loop or for events on fd (when >= 0), then runs the loop
 * once without blocking. */
static void pump(struct fx *f, int fd, short events, int ms)
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

#define PUMP_UNTIL(f, cond)                                                 \
	do {                                                                \
		long long t0_ = now_ms();                                   \
		while (!(cond)) {                                           \
			if (now_ms() - t0_ > DEADLINE_MS)                   \
				fail_msg("timed out waiting for %s", #cond); \
			pump((f), -1, 0, 10);                               \
		}                                                           \
	} while (0)

static struct server_stats stats(struct fx *f)
{
	struct server_stats st;

	server_get_stats(f->s, &st);
	return st;
}

static const struct server_handler g_handler_proto = { on_line, on_oversize, NULL };

static void fx_start(struct fx *f, const struct server_limits *lim)
{
	struct server_handler h = g_handler_proto;
	int rc;

	h.user = f;
	rc = server_open(&f->loop, f->path, -1, lim ? lim : &g_lim, &h, &f->s, f->err,
			 sizeof f->err);
	if (rc != 0)
		fail_msg("server_open: %d %s", rc, f->err);
	server_set_drain_ms(f->s, DRAIN_MS);
}

/* Closes the server and runs the loop until on_done. */
static void fx_stop(struct fx *f)
{
	server_close(f->s, on_done, f);
	assert_int_equal(f->done, 0); /* never inside server_close */
	PUMP_UNTIL(f, f->done);
	f->s = NULL;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	assert_int_equal(uv_loop_init(&f->loop), 0);
	tu_mkdtemp(f->dir, sizeof f->dir);
	snprintf(f->path, sizeof f->path, "%s/s.sock", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	int i;

	if (f->s)
		fx_stop(f);
	for (i = 0; i < 100 && uv_loop_alive(&f->loop); i++)
		pump(f, -1, 0, 10);
	assert_int_equal(uv_loop_close(&f->loop), 0);
	tu_rmtree(f->dir);
	free(f);
	return 0;
}

/* ---- clients ---- */

/* A blocking connect to path: the fd, or -errno. */
static int raw_connect(const char *path)
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
static int raw_listen(const char *path, int backlog)
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

static struct cl *cl_connect(struct fx *f)
{
	struct cl *c = calloc(1, sizeof *c);

	assert_non_null(c);
	c->fd = raw_connect(f->path);
	if (c->fd < 0)
		fail_msg("connect %s: %s", f->path, strerror(-c->fd));
	assert_int_equal(fcntl(c->fd, F_SETFL, O_NONBLOCK), 0);
	c->buf = malloc(CL_BUF);
	assert_non_null(c->buf);
	return c;
}

static void cl_free(struct cl *c)
{
	close(c->fd);
	free(c->buf);
	free(c);
}

static void cl_send(struct fx *f, struct cl *c, const char *data, size_t n)
{
	long long t0 = now_ms();
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
		if (now_ms() - t0 > DEADLINE_MS)
			fail_msg("send timed out");
		pump(f, c->fd, POLLOUT, 10);
	}
}

static void cl_sends(struct fx *f, struct cl *c, const char *s)
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
static char *cl_line(struct fx *f, struct cl *c)
{
	long long t0 = now_ms();
	char *nl, *line;
	size_t n;

	while (!(nl = memchr(c->buf, '\n', c->len))) {
		ssize_t r = cl_fill(c);

		if (r == 0)
			return NULL;
		if (r > 0)
			continue;
		if (now_ms() - t0 > DEADLINE_MS)
			fail_msg("no reply within %d ms", DEADLINE_MS);
		pump(f, c->fd, POLLIN, 10);
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

static void cl_expect(struct fx *f, struct cl *c, const char *want)
{
	char *line = cl_line(f, c);

	if (!line)
		fail_msg("closed; wanted \"%.60s\"", want);
	assert_string_equal(line, want);
	free(line);
}

static void cl_expect_big(struct fx *f, struct cl *c, size_t n)
{
	char *line = cl_line(f, c), *want = big_reply(n);

	if (!line)
		fail_msg("closed; wanted %zu bytes", n);
	assert_int_equal(strlen(line), n);
	assert_memory_equal(line, want, n);
	free(want);
	free(line);
}

static void cl_expect_closed(struct fx *f, struct cl *c)
{
	char *line = cl_line(f, c);

	if (line)
		fail_msg("wanted EOF, got \"%.60s\"", line);
	assert_int_equal(c->len, 0);
}

/* Reads and drops everything until the server closes; the byte count. */
static size_t cl_drain(struct fx *f, struct cl *c)
{
	long long t0 = now_ms();
	size_t total = 0;
	ssize_t r;

	for (;;) {
		c->len = 0;
		r = cl_fill(c);
		if (r == 0)
			return total;
		if (r > 0)
			total += (size_t)r;
		else if (now_ms() - t0 > DEADLINE_MS)
			fail_msg("still open after %d ms", DEADLINE_MS);
		else
			pump(f, c->fd, POLLIN, 10);
	}
}

/* n requests "big size\n" in one buffer. */
static char *big_requests(int n, size_t size)
{
	char *buf = malloc((size_t)n * 32 + 1), *p = buf;
	int i;

	assert_non_null(buf);
	for (i = 0; i < n; i++)
		p += sprintf(p, "big %zu\n", size);
	return buf;
}

/* n requests "prefix-i\n" (i = 0..n-1) in one buffer of *len bytes. */
static char *numbered_requests(const char *prefix, int n, size_t *len)
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
static size_t cl_lines_arrived(struct cl *c)
{
	size_t n = 0, i;

	while (cl_fill(c) > 0)
		;
	for (i = 0; i < c->len; i++)
		n += c->buf[i] == '\n';
	return n;
}

static void cl_expect_numbered(struct fx *f, struct cl *c, const char *prefix, int n)
{
	char want[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(want, sizeof want, "%s-%d", prefix, i);
		cl_expect(f, c, want);
	}
}

/* ---- lines ---- */

static void test_echo(void **state)
{
	struct fx *f = *state;
	struct server_stats st;
	struct cl *c;

	fx_start(f, NULL);
	c = cl_connect(f);
	cl_sends(f, c, "hello\n");
	cl_expect(f, c, "hello");
	cl_sends(f, c, "none\nafter\n");
	cl_expect(f, c, "after");
	st = stats(f);
	assert_int_equal(st.accepted, 1);
	assert_int_equal(st.current, 1);
	assert_int_equal(st.lines, 3);
	assert_int_equal(st.bytes_in, 17);
	assert_int_equal(st.bytes_out, 12);
	cl_free(c);
	PUMP_UNTIL(f, stats(f).current == 0);
}

static void test_pipelined_in_order(void **state)
{
	struct fx *f = *state;
	char *buf = malloc(1000 * 16), *p = buf, want[32];
	struct cl *c;
	int i;

	assert_non_null(buf);
	fx_start(f, NULL);
	c = cl_connect(f);
	for (i = 0; i < 1000; i++)
		p += sprintf(p, "req-%d\n", i);
	cl_send(f, c, buf, (size_t)(p - buf)); /* one write */
	for (i = 0; i < 1000; i++) {
		snprintf(want, sizeof want, "req-%d", i);
		cl_expect(f, c, want);
	}
	assert_int_equal(stats(f).lines, 1000);
	free(buf);
	cl_free(c);
}

static void test_line_split_across_writes(void **state)
{
	struct fx *f = *state;
	const char *msg = "hello, split world\n";
	struct cl *c;
	size_t i;

	fx_start(f, NULL);
	c = cl_connect(f);
	for (i = 0; msg[i]; i++) {
		cl_send(f, c, msg + i, 1);
		pump(f, -1, 0, 1);
		pump(f, -1, 0, 1);
	}
	cl_expect(f, c, "hello, split world");
	cl_sends(f, c, "a\nb");
	pump(f, -1, 0, 5);
	cl_sends(f, c, "c\n");
	cl_expect(f, c, "a");
	cl_expect(f, c, "bc");
	cl_free(c);
}

static void test_crlf_and_empty_lines(void **state)
{
	struct fx *f = *state;
	struct cl *c;

	fx_start(f, NULL);
	c = cl_connect(f);
	cl_sends(f, c, "abc\r\n\r\n\n\ndef\nx\ry\r\n");
	cl_expect(f, c, "abc");
	cl_expect(f, c, "def");
	cl_expect(f, c, "x\ry");
	cl_sends(f, c, "count\n");
	cl_expect(f, c, "4"); /* the empty lines never reached the handler */
	cl_free(c);
}

static void test_last_line_at_eof(void **state)
{
	struct fx *f = *state;
	struct cl *c;

	fx_start(f, NULL);
	c = cl_connect(f);
	cl_sends(f, c, "one\ntwo");
	assert_int_equal(shutdown(c->fd, SHUT_WR), 0);
	cl_expect(f, c, "one");
	cl_expect(f, c, "two");
	cl_expect_closed(f, c);
	cl_free(c);
}

/* ---- fairness: a line budget per connection per loop pass ---- */

/* A sends 2,000 requests in one write (all in one 16 KB read) and reads nothing; B's one
 * request is answered while most of A's are still waiting, then A gets all of its replies
 * in order. */
static void test_pipeliner_does_not_stall_others(void **state)
{
	struct fx *f = *state;
	size_t len, arrived;
	char *reqs = numbered_requests("a", 2000, &len);
	struct cl *a, *b;
	unsigned handled;

	assert_true(len < 16000); /* one read of the server's first buffer */
	fx_start(f, NULL);
	a = cl_connect(f);
	cl_send(f, a, reqs, len);
	PUMP_UNTIL(f, f->count > 0); /* A's lines are in the server's buffer */
	b = cl_connect(f);
	cl_sends(f, b, "b\n");
	cl_expect(f, b, "b");
	handled = f->count - 1;
	arrived = cl_lines_arrived(a);
	if (handled >= 1000 || arrived >= 1000)
		fail_msg("B answered after %u of A's lines (%zu replies arrived)", handled,
			 arrived);
	cl_expect_numbered(f, a, "a", 2000);
	assert_int_equal(stats(f).lines, 2001);
	free(reqs);
	cl_free(a);
	cl_free(b);
}

/* Two pipelining clients are served side by side, each in its own order. */
static void test_two_pipeliners_interleave(void **state)
{
	struct fx *f = *state;
	size_t la, lb;
	char *ra = numbered_requests("a", 2000, &la), *rb = numbered_requests("b", 2000, &lb);
	struct cl *a, *b;

	fx_start(f, NULL);
	a = cl_connect(f);
	b = cl_connect(f);
	cl_send(f, a, ra, la);
	cl_send(f, b, rb, lb);
	PUMP_UNTIL(f, f->count >= 2000);
	assert_true(cl_lines_arrived(a) < 2000); /* neither was served to the end first */
	assert_true(cl_lines_arrived(b) < 2000);
	cl_expect_numbered(f, a, "a", 2000);
	cl_expect_numbered(f, b, "b", 2000);
	free(ra);
	free(rb);
	cl_free(a);
	cl_free(b);
}

/* A client that goes away while lines of it wait in the queue: its connection is closed
 * (the next write fails) and freed; nothing else is disturbed (ASan checks the rest). */
static void test_close_client_with_lines_left(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *reqs = numbered_requests("a", 2000, &len);
	struct cl *a, *b;

	fx_start(f, NULL);
	b = cl_connect(f);
	a = cl_connect(f);
	cl_send(f, a, reqs, len);
	PUMP_UNTIL(f, f->count > 0);
	assert_true(f->count < 2000);
	cl_free(a);
	PUMP_UNTIL(f, stats(f).current == 1);
	assert_true(f->count < 2000); /* closed while it still had lines left */
	cl_sends(f, b, "still\n");
	cl_expect(f, b, "still");
	free(reqs);
	cl_free(b);
}

/* server_close with a connection in the queue: the handled lines' replies are delivered,
 * the lines left are dropped (protocol.md, Stopping). */
static void test_close_server_with_lines_left(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *reqs = numbered_requests("a", 2000, &len);
	struct cl *a;
	unsigned handled;

	fx_start(f, NULL);
	a = cl_connect(f);
	cl_send(f, a, reqs, len);
	PUMP_UNTIL(f, f->count > 0);
	server_close(f->s, on_done, f);
	handled = f->count;
	assert_true(handled < 2000);
	cl_expect_numbered(f, a, "a", (int)handled);
	cl_expect_closed(f, a);
	PUMP_UNTIL(f, f->done);
	assert_int_equal(f->count, handled);
	assert_int_equal(f->last.current, 0);
	f->s = NULL;
	free(reqs);
	cl_free(a);
}

/* Lines waiting for their turn are not idleness: 600 lines of 2 ms each outlast the 1 s
 * idle timeout and are all answered; the idle deadline starts after the last. */
static void test_queued_lines_are_not_idle(void **state)
{
	struct fx *f = *state;
	struct server_limits lim = g_lim;
	char *reqs = malloc(600 * 6 + 1), *p = reqs;
	struct cl *c;
	long long t0;
	int i;

	assert_non_null(reqs);
	for (i = 0; i < 600; i++)
		p += sprintf(p, "sleep\n");
	lim.idle_timeout_s = 1;
	fx_start(f, &lim);
	c = cl_connect(f);
	t0 = now_ms();
	cl_send(f, c, reqs, (size_t)(p - reqs));
	for (i = 0; i < 600; i++)
		cl_expect(f, c, "slept");
	assert_true(now_ms() - t0 >= 1200);
	assert_int_equal(stats(f).closed_idle, 0);
	cl_expect_closed(f, c);
	assert_int_equal(stats(f).closed_idle, 1);
	free(reqs);
	cl_free(c);
}

/* A batch buffer that grew for a large reply goes with its write; small ones are kept. */
static void test_reply_buffer_shrinks(void **state)
{
	struct fx *f = *state;
	struct cl *c;

	fx_start(f, NULL);
	c = cl_connect(f);
	cl_sends(f, c, "a\noutcap\n");
	cl_expect(f, c, "a");
	cl_expect(f, c, "4096");
	cl_sends(f, c, "big 300000\noutcap\noutcap\n");
	cl_expect_big(f, c, 300000);
	cl_expect(f, c, "0");
	cl_expect(f, c, "4096");
	cl_free(c);
}

/* ---- the line cap ---- */

static void test_line_cap(void **state)
{
	struct fx *f = *state;
	char line[1100], *want;
	struct cl *c;

	fx_start(f, NULL); /* max_line_bytes 1024 */
	c = cl_connect(f);
	want = big_reply(1024);
	snprintf(line, sizeof line, "%s\r\n", want);
	cl_sends(f, c, line);
	cl_expect(f, c, want);
	snprintf(line, sizeof line, "%s\n", want);
	cl_sends(f, c, line);
	cl_expect(f, c, want);
	snprintf(line, sizeof line, "%sx\nafter\n", want);
	cl_sends(f, c, line);
	cl_expect(f, c, "oversize 1025");
	cl_expect_closed(f, c);
	assert_int_equal(stats(f).closed_oversize, 1);
	assert_int_equal(stats(f).lines, 2);
	free(want);
	cl_free(c);
}

static void test_set_limits(void **state)
{
	struct fx *f = *state;
	struct server_limits lim = g_lim;
	char *line = big_reply(600), *req = malloc(602);
	struct cl *c;

	assert_non_null(req);
	snprintf(req, 602, "%s\n", line);
	fx_start(f, NULL);
	c = cl_connect(f);
	cl_sends(f, c, req);
	cl_expect(f, c, line);
	lim.max_line_bytes = 500;
	server_set_limits(f->s, &lim);
	cl_sends(f, c, req);
	cl_expect(f, c, "oversize 600");
	cl_expect_closed(f, c);
	free(line);
	free(req);
	cl_free(c);
}

/* An endless line: the server stops reading early, answers and closes. */
static void test_oversize_incomplete_line(void **state)
{
	struct fx *f = *state;
	char chunk[4096], *line;
	size_t sent = 0, n = 0;
	struct cl *c;
	long long t0;

	fx_start(f, NULL);
	c = cl_connect(f);
	memset(chunk, 'a', sizeof chunk);
	for (t0 = now_ms(); sent < 1024 * 1024 && now_ms() - t0 < 500;) {
		ssize_t w = send(c->fd, chunk, sizeof chunk, MSG_NOSIGNAL);

		if (w > 0)
			sent += (size_t)w;
		else if (errno == EPIPE || errno == ECONNRESET)
			break;
		pump(f, c->fd, POLLOUT, 5);
	}
	line = cl_line(f, c);
	assert_non_null(line);
	assert_int_equal(sscanf(line, "oversize %zu", &n), 1);
	assert_true(n > 1024 && n <= 64 * 1024);
	free(line);
	cl_expect_closed(f, c);
	assert_true(stats(f).bytes_in <= 64 * 1024);
	assert_int_equal(stats(f).closed_oversize, 1);
	cl_free(c);
}

/* ---- clients that do not read ---- */

/* Replies as large as the cap: the queue overflows at once and the client is cut off. */
static void test_slow_reader_over_cap(void **state)
{
	struct fx *f = *state;
	struct server_limits lim = g_lim;
	char *reqs = big_requests(64, 256 * 1024);
	struct cl *slow, *good;
	long long t0;
	size_t got;

	lim.write_queue_bytes = 256 * 1024;
	fx_start(f, &lim);
	good = cl_connect(f);
	slow = cl_connect(f);
	t0 = now_ms();
	cl_sends(f, slow, reqs);
	PUMP_UNTIL(f, stats(f).closed_slow == 1);
	assert_true(now_ms() - t0 < DRAIN_MS / 2); /* by the cap, not by the drain time */
	cl_sends(f, good, "still answered\n");
	cl_expect(f, good, "still answered");
	got = cl_drain(f, slow);
	assert_true(got < 64 * (256 * 1024 + 1) / 4);
	assert_int_equal(stats(f).current, 1);
	assert_int_equal(stats(f).closed_idle, 0);
	free(reqs);
	cl_free(slow);
	cl_free(good);
}

/* Smaller replies: the client is paused, no more of its lines are handled, and it is cut
 * off once nothing drained for the drain time; another client is answered meanwhile. */
static void test_slow_reader_paused_then_cut(void **state)
{
	struct fx *f = *state;
	struct server_limits lim = g_lim;
	char *reqs = big_requests(1000, 20000);
	struct cl *slow, *good;
	long long t0;

	lim.write_queue_bytes = 256 * 1024;
	fx_start(f, &lim);
	good = cl_connect(f);
	slow = cl_connect(f);
	cl_sends(f, slow, reqs);
	PUMP_UNTIL(f, f->count > 10);
	t0 = now_ms();
	cl_sends(f, good, "ping\n");
	cl_expect(f, good, "ping");
	assert_int_equal(stats(f).closed_slow, 0);
	PUMP_UNTIL(f, stats(f).closed_slow == 1);
	assert_true(now_ms() - t0 < DRAIN_MS + 500);
	assert_true(f->count < 100); /* the paused client's lines stayed unread */
	cl_drain(f, slow);
	cl_sends(f, good, "pong\n");
	cl_expect(f, good, "pong");
	assert_int_equal(stats(f).closed_idle, 0);
	free(reqs);
	cl_free(slow);
	cl_free(good);
}

/* A client that pipelines far more than the cap but reads is paused and resumed, never cut. */
static void test_backpressure_keeps_reader(void **state)
{
	struct fx *f = *state;
	struct server_limits lim = g_lim;
	char *reqs = big_requests(2000, 1000);
	struct cl *c;
	int i;

	lim.write_queue_bytes = 64 * 1024;
	fx_start(f, &lim);
	c = cl_connect(f);
	cl_sends(f, c, reqs);
	for (i = 0; i < 2000; i++)
		cl_expect_big(f, c, 1000);
	assert_int_equal(stats(f).closed_slow, 0);
	assert_int_equal(stats(f).lines, 2000);
	free(reqs);
	cl_free(c);
}

/* ---- connection limits ---- */

static void test_idle_timeout(void **state)
{
	struct fx *f = *state;
	struct server_limits lim = g_lim;
	struct cl *c;
	long long t0;

	lim.idle_timeout_s = 1;
	fx_start(f, &lim);
	c = cl_connect(f);
	cl_sends(f, c, "a\n");
	cl_expect(f, c, "a");
	t0 = now_ms();
	cl_expect_closed(f, c);
	assert_true(now_ms() - t0 >= 900);
	assert_int_equal(stats(f).closed_idle, 1);
	cl_free(c);
}

static void test_max_clients(void **state)
{
	struct fx *f = *state;
	struct server_limits lim = g_lim;
	struct cl *a, *b, *x[3];
	int i;

	lim.max_clients = 2;
	fx_start(f, &lim);
	a = cl_connect(f);
	b = cl_connect(f);
	cl_sends(f, a, "a\n");
	cl_expect(f, a, "a");
	cl_sends(f, b, "b\n");
	cl_expect(f, b, "b");
	for (i = 0; i < 3; i++)
		x[i] = cl_connect(f);
	for (i = 0; i < 3; i++) {
		cl_expect_closed(f, x[i]);
		cl_free(x[i]);
	}
	assert_int_equal(stats(f).rejected_full, 3);
	assert_int_equal(stats(f).accepted, 2);
	cl_sends(f, a, "still\n");
	cl_expect(f, a, "still");
	cl_free(a);
	PUMP_UNTIL(f, stats(f).current == 1);
	a = cl_connect(f);
	cl_sends(f, a, "again\n");
	cl_expect(f, a, "again");
	cl_free(a);
	cl_free(b);
}

static void test_64_clients(void **state)
{
	struct fx *f = *state;
	struct cl *c[64];
	char buf[64];
	int i;

	fx_start(f, NULL);
	for (i = 0; i < 64; i++) {
		c[i] = cl_connect(f);
		snprintf(buf, sizeof buf, "client-%d a\nclient-%d b\n", i, i);
		cl_sends(f, c[i], buf);
	}
	for (i = 63; i >= 0; i--) {
		snprintf(buf, sizeof buf, "client-%d a", i);
		cl_expect(f, c[i], buf);
		snprintf(buf, sizeof buf, "client-%d b", i);
		cl_expect(f, c[i], buf);
	}
	assert_int_equal(stats(f).current, 64);
	for (i = 0; i < 64; i++)
		cl_free(c[i]);
}

static void test_peer_credentials(void **state)
{
	struct fx *f = *state;
	char want[64];
	struct cl *c;

	fx_start(f, NULL);
	c = cl_connect(f);
	cl_sends(f, c, "peer\n");
	snprintf(want, sizeof want, "1 %d %d %d", (int)getpid(), (int)getuid(), (int)getgid());
	cl_expect(f, c, want);
	cl_free(c);
}

/* ---- closing ---- */

static void test_close_delivers_queued_replies(void **state)
{
	struct fx *f = *state;
	struct cl *c, *idle;
	struct stat st;
	int i;

	fx_start(f, NULL);
	idle = cl_connect(f);
	c = cl_connect(f);
	cl_sends(f, c, "big 100000\nbig 100000\nbig 100000\nhello\n");
	PUMP_UNTIL(f, f->count == 4);
	server_close(f->s, on_done, f);
	assert_int_equal(f->done, 0);
	assert_int_equal(stat(f->path, &st), -1); /* unlinked: nobody new can connect */
	assert_int_equal(raw_connect(f->path), -ENOENT);
	for (i = 0; i < 3; i++)
		cl_expect_big(f, c, 100000);
	cl_expect(f, c, "hello");
	cl_expect_closed(f, c);
	cl_expect_closed(f, idle);
	PUMP_UNTIL(f, f->done);
	assert_int_equal(f->last.lines, 4);
	assert_int_equal(f->last.current, 0);
	f->s = NULL;
	cl_free(c);
	cl_free(idle);
}

/* A client that reads nothing cannot hold server_close up past the drain time. */
static void test_close_cuts_stuck_client(void **state)
{
	struct fx *f = *state;
	char *reqs = big_requests(20, 100000);
	struct cl *c;
	long long t0;

	fx_start(f, NULL);
	c = cl_connect(f);
	cl_sends(f, c, reqs);
	PUMP_UNTIL(f, f->count > 0);
	t0 = now_ms();
	server_close(f->s, on_done, f);
	PUMP_UNTIL(f, f->done);
	assert_true(now_ms() - t0 < DRAIN_MS + 500);
	f->s = NULL;
	free(reqs);
	cl_free(c);
}

/* ---- binding and adopting ---- */

static void test_path_length(void **state)
{
	struct fx *f = *state;
	struct server_handler h = g_handler_proto;
	struct server *s = (struct server *)1;
	char path[512];
	size_t n = strlen(f->dir);

	h.user = f;
	snprintf(path, sizeof path, "%s/%0*d", f->dir, (int)(130 - n - 1), 0);
	assert_int_equal(strlen(path), 130);
	assert_int_equal(server_open(&f->loop, path, -1, &g_lim, &h, &s, f->err, sizeof f->err),
			 -ENAMETOOLONG);
	assert_string_equal(f->err, "socket path is 130 bytes, the limit is 107");
	assert_null(s);
	path[108] = '\0';
	assert_int_equal(server_open(&f->loop, path, -1, &g_lim, &h, &s, f->err, sizeof f->err),
			 -ENAMETOOLONG);
	assert_string_equal(f->err, "socket path is 108 bytes, the limit is 107");
	path[107] = '\0'; /* exactly the limit: fine */
	snprintf(f->path, sizeof f->path, "%s", path);
	fx_start(f, NULL);
	fx_stop(f);
}

static void test_stale_socket_replaced(void **state)
{
	struct fx *f = *state;
	struct stat st;
	struct cl *c;

	close(raw_listen(f->path, 4)); /* the file stays, nobody listens */
	assert_int_equal(stat(f->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	fx_start(f, NULL);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0660);
	c = cl_connect(f);
	cl_sends(f, c, "fresh\n");
	cl_expect(f, c, "fresh");
	cl_free(c);
}

static void test_live_socket_refused(void **state)
{
	struct fx *f = *state;
	struct server_handler h = g_handler_proto;
	struct server *other = (struct server *)1;
	char want[600];
	struct cl *c;

	h.user = f;
	fx_start(f, NULL);
	assert_int_equal(server_open(&f->loop, f->path, -1, &g_lim, &h, &other, f->err,
				     sizeof f->err), -EADDRINUSE);
	snprintf(want, sizeof want, "%s: another daemon is listening", f->path);
	assert_string_equal(f->err, want);
	assert_null(other);
	c = cl_connect(f); /* the first server still answers */
	cl_sends(f, c, "ok\n");
	cl_expect(f, c, "ok");
	cl_free(c);
}

static void test_not_a_socket_kept(void **state)
{
	struct fx *f = *state;
	struct server_handler h = g_handler_proto;
	struct server *s = NULL;
	char want[600], path[512];
	struct stat st;

	h.user = f;
	tu_write_file(f->dir, "s.sock", "data", 4, path, sizeof path);
	assert_int_equal(server_open(&f->loop, f->path, -1, &g_lim, &h, &s, f->err,
				     sizeof f->err), -EADDRINUSE);
	snprintf(want, sizeof want, "bind %s: %s", f->path, strerror(EADDRINUSE));
	assert_string_equal(f->err, want);
	assert_int_equal(stat(f->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
}

static void test_adopt_fd(void **state)
{
	struct fx *f = *state;
	struct server_handler h = g_handler_proto;
	struct stat st;
	struct cl *c;
	int fd = raw_listen(f->path, 16);

	h.user = f;
	assert_int_equal(server_open(&f->loop, NULL, fd, &g_lim, &h, &f->s, f->err,
				     sizeof f->err), 0);
	c = cl_connect(f);
	cl_sends(f, c, "adopted\n");
	cl_expect(f, c, "adopted");
	cl_free(c);
	fx_stop(f);
	assert_int_equal(stat(f->path, &st), 0); /* never unlinked */
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(raw_connect(f->path), -ECONNREFUSED); /* but closed */
}

static void test_adopt_bad_fd(void **state)
{
	struct fx *f = *state;
	struct server_handler h = g_handler_proto;
	struct server_limits lim = g_lim;
	struct server *s = NULL;
	int p[2], fd;

	h.user = f;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(server_open(&f->loop, NULL, p[0], &g_lim, &h, &s, f->err,
				     sizeof f->err), -ENOTSOCK);
	assert_null(s);
	assert_int_equal(fcntl(p[0], F_GETFD), -1); /* the server owned it and closed it */
	close(p[1]);
	lim.max_line_bytes = 0;
	fd = raw_listen(f->path, 4);
	assert_int_equal(server_open(&f->loop, NULL, fd, &lim, &h, &s, f->err, sizeof f->err),
			 -EINVAL);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
}

static void test_systemd_fd(void **state)
{
	struct fx *f = *state;
	char pid[32];
	pid_t child;
	int fd, status;

	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	assert_int_equal(server_listen_fd_from_systemd(), -1);
	snprintf(pid, sizeof pid, "%d", (int)getpid() + 1);
	setenv("LISTEN_PID", pid, 1);
	setenv("LISTEN_FDS", "1", 1);
	assert_int_equal(server_listen_fd_from_systemd(), -1); /* not for us */
	fd = raw_listen(f->path, 4);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		snprintf(pid, sizeof pid, "%d", (int)getpid());
		setenv("LISTEN_PID", pid, 1);
		setenv("LISTEN_FDS", "1", 1);
		if (dup2(fd, 3) != 3)
			_exit(2);
		_exit(server_listen_fd_from_systemd() == 3 && !getenv("LISTEN_FDS") ? 0 : 1);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	close(fd);
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_echo),
		T(test_pipelined_in_order),
		T(test_line_split_across_writes),
		T(test_crlf_and_empty_lines),
		T(test_last_line_at_eof),
		T(test_pipeliner_does_not_stall_others),
		T(test_two_pipeliners_interleave),
		T(test_close_client_with_lines_left),
		T(test_close_server_with_lines_left),
		T(test_queued_lines_are_not_idle),
		T(test_reply_buffer_shrinks),
		T(test_line_cap),
		T(test_set_limits),
		T(test_oversize_incomplete_line),
		T(test_slow_reader_over_cap),
		T(test_slow_reader_paused_then_cut),
		T(test_backpressure_keeps_reader),
		T(test_idle_timeout),
		T(test_max_clients),
		T(test_64_clients),
		T(test_peer_credentials),
		T(test_close_delivers_queued_replies),
		T(test_close_cuts_stuck_client),
		T(test_path_length),
		T(test_stale_socket_replaced),
		T(test_live_socket_refused),
		T(test_not_a_socket_kept),
		T(test_adopt_fd),
		T(test_adopt_bad_fd),
		T(test_systemd_fd),
	};
#undef T
	signal(SIGPIPE, SIG_IGN); /* as the daemon does: libuv writes without MSG_NOSIGNAL */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
