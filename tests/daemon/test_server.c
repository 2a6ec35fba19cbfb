/* Tests for daemon/server, part 1: lines (splitting, CRLF, EOF), fairness between
 * pipelining clients, the line cap and clients that do not read. The fixture (a real libuv
 * loop driven step by step, real client sockets on a temporary socket path) is in
 * server_fx.c; connection limits, closing, binding and adopting are in test_server_conn.c.
 * Test-only code: writes only in a temp folder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/server/server.h"
#include "tests/lib/server_fx.h"

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
	st = fx_stats(f);
	assert_int_equal(st.accepted, 1);
	assert_int_equal(st.current, 1);
	assert_int_equal(st.lines, 3);
	assert_int_equal(st.bytes_in, 17);
	assert_int_equal(st.bytes_out, 12);
	cl_free(c);
	PUMP_UNTIL(f, fx_stats(f).current == 0);
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
	assert_int_equal(fx_stats(f).lines, 1000);
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
		fx_pump(f, -1, 0, 1);
		fx_pump(f, -1, 0, 1);
	}
	cl_expect(f, c, "hello, split world");
	cl_sends(f, c, "a\nb");
	fx_pump(f, -1, 0, 5);
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
	char *reqs = fx_numbered_requests("a", 2000, &len);
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
	assert_int_equal(fx_stats(f).lines, 2001);
	free(reqs);
	cl_free(a);
	cl_free(b);
}

/* Two pipelining clients are served side by side, each in its own order. */
static void test_two_pipeliners_interleave(void **state)
{
	struct fx *f = *state;
	size_t la, lb;
	char *ra = fx_numbered_requests("a", 2000, &la), *rb = fx_numbered_requests("b", 2000, &lb);
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
	char *reqs = fx_numbered_requests("a", 2000, &len);
	struct cl *a, *b;

	fx_start(f, NULL);
	b = cl_connect(f);
	a = cl_connect(f);
	cl_send(f, a, reqs, len);
	PUMP_UNTIL(f, f->count > 0);
	assert_true(f->count < 2000);
	cl_free(a);
	PUMP_UNTIL(f, fx_stats(f).current == 1);
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
	char *reqs = fx_numbered_requests("a", 2000, &len);
	struct cl *a;
	unsigned handled;

	fx_start(f, NULL);
	a = cl_connect(f);
	cl_send(f, a, reqs, len);
	PUMP_UNTIL(f, f->count > 0);
	server_close(f->s, fx_on_done, f);
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
	struct server_limits lim = fx_lim;
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
	t0 = fx_now_ms();
	cl_send(f, c, reqs, (size_t)(p - reqs));
	for (i = 0; i < 600; i++)
		cl_expect(f, c, "slept");
	assert_true(fx_now_ms() - t0 >= 1200);
	assert_int_equal(fx_stats(f).closed_idle, 0);
	cl_expect_closed(f, c);
	assert_int_equal(fx_stats(f).closed_idle, 1);
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
	want = fx_big_reply(1024);
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
	assert_int_equal(fx_stats(f).closed_oversize, 1);
	assert_int_equal(fx_stats(f).lines, 2);
	free(want);
	cl_free(c);
}

static void test_set_limits(void **state)
{
	struct fx *f = *state;
	struct server_limits lim = fx_lim;
	char *line = fx_big_reply(600), *req = malloc(602);
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
	for (t0 = fx_now_ms(); sent < 1024 * 1024 && fx_now_ms() - t0 < 500;) {
		ssize_t w = send(c->fd, chunk, sizeof chunk, MSG_NOSIGNAL);

		if (w > 0)
			sent += (size_t)w;
		else if (errno == EPIPE || errno == ECONNRESET)
			break;
		fx_pump(f, c->fd, POLLOUT, 5);
	}
	line = cl_line(f, c);
	assert_non_null(line);
	assert_int_equal(sscanf(line, "oversize %zu", &n), 1);
	assert_true(n > 1024 && n <= 64 * 1024);
	free(line);
	cl_expect_closed(f, c);
	assert_true(fx_stats(f).bytes_in <= 64 * 1024);
	assert_int_equal(fx_stats(f).closed_oversize, 1);
	cl_free(c);
}

/* ---- clients that do not read ---- */

/* Replies as large as the cap: the queue overflows at once and the client is cut off. */
static void test_slow_reader_over_cap(void **state)
{
	struct fx *f = *state;
	struct server_limits lim = fx_lim;
	char *reqs = fx_big_requests(64, 256 * 1024);
	struct cl *slow, *good;
	long long t0;
	size_t got;

	lim.write_queue_bytes = 256 * 1024;
	fx_start(f, &lim);
	good = cl_connect(f);
	slow = cl_connect(f);
	t0 = fx_now_ms();
	cl_sends(f, slow, reqs);
	PUMP_UNTIL(f, fx_stats(f).closed_slow == 1);
	assert_true(fx_now_ms() - t0 < DRAIN_MS / 2); /* by the cap, not by the drain time */
	cl_sends(f, good, "still answered\n");
	cl_expect(f, good, "still answered");
	got = cl_drain(f, slow);
	assert_true(got < 64 * (256 * 1024 + 1) / 4);
	assert_int_equal(fx_stats(f).current, 1);
	assert_int_equal(fx_stats(f).closed_idle, 0);
	free(reqs);
	cl_free(slow);
	cl_free(good);
}

/* Smaller replies: the client is paused, no more of its lines are handled, and it is cut
 * off once nothing drained for the drain time; another client is answered meanwhile. */
static void test_slow_reader_paused_then_cut(void **state)
{
	struct fx *f = *state;
	struct server_limits lim = fx_lim;
	char *reqs = fx_big_requests(1000, 20000);
	struct cl *slow, *good;
	long long t0;

	lim.write_queue_bytes = 256 * 1024;
	fx_start(f, &lim);
	good = cl_connect(f);
	slow = cl_connect(f);
	cl_sends(f, slow, reqs);
	PUMP_UNTIL(f, f->count > 10);
	t0 = fx_now_ms();
	cl_sends(f, good, "ping\n");
	cl_expect(f, good, "ping");
	assert_int_equal(fx_stats(f).closed_slow, 0);
	PUMP_UNTIL(f, fx_stats(f).closed_slow == 1);
	assert_true(fx_now_ms() - t0 < DRAIN_MS + 500);
	assert_true(f->count < 100); /* the paused client's lines stayed unread */
	cl_drain(f, slow);
	cl_sends(f, good, "pong\n");
	cl_expect(f, good, "pong");
	assert_int_equal(fx_stats(f).closed_idle, 0);
	free(reqs);
	cl_free(slow);
	cl_free(good);
}

/* A client that pipelines far more than the cap but reads is paused and resumed, never cut. */
static void test_backpressure_keeps_reader(void **state)
{
	struct fx *f = *state;
	struct server_limits lim = fx_lim;
	char *reqs = fx_big_requests(2000, 1000);
	struct cl *c;
	int i;

	lim.write_queue_bytes = 64 * 1024;
	fx_start(f, &lim);
	c = cl_connect(f);
	cl_sends(f, c, reqs);
	for (i = 0; i < 2000; i++)
		cl_expect_big(f, c, 1000);
	assert_int_equal(fx_stats(f).closed_slow, 0);
	assert_int_equal(fx_stats(f).lines, 2000);
	free(reqs);
	cl_free(c);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
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
	};
#undef T
	signal(SIGPIPE, SIG_IGN); /* as the daemon does: libuv writes without MSG_NOSIGNAL */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
