/* Tests for daemon/server, part 2: connection limits (idle timeout, max clients, peer
 * credentials), closing the server, binding the socket path and adopting a listening fd
 * (including from systemd). The fixture is in server_fx.c; lines, fairness, the line cap and
 * clients that do not read are in test_server.c. Test-only code: writes only in a temp folder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/server/server.h"
#include "tests/lib/server_fx.h"
#include "tests/lib/testutil.h"

/* ---- connection limits ---- */

static void test_idle_timeout(void **state)
{
	struct fx *f = *state;
	struct server_limits lim = fx_lim;
	struct cl *c;
	long long t0;

	lim.idle_timeout_s = 1;
	fx_start(f, &lim);
	c = cl_connect(f);
	cl_sends(f, c, "a\n");
	cl_expect(f, c, "a");
	t0 = fx_now_ms();
	cl_expect_closed(f, c);
	assert_true(fx_now_ms() - t0 >= 900);
	assert_int_equal(fx_stats(f).closed_idle, 1);
	cl_free(c);
}

static void test_max_clients(void **state)
{
	struct fx *f = *state;
	struct server_limits lim = fx_lim;
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
	assert_int_equal(fx_stats(f).rejected_full, 3);
	assert_int_equal(fx_stats(f).accepted, 2);
	cl_sends(f, a, "still\n");
	cl_expect(f, a, "still");
	cl_free(a);
	PUMP_UNTIL(f, fx_stats(f).current == 1);
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
	assert_int_equal(fx_stats(f).current, 64);
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
	server_close(f->s, fx_on_done, f);
	assert_int_equal(f->done, 0);
	assert_int_equal(stat(f->path, &st), -1); /* unlinked: nobody new can connect */
	assert_int_equal(cl_raw_connect(f->path), -ENOENT);
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
	char *reqs = fx_big_requests(20, 100000);
	struct cl *c;
	long long t0;

	fx_start(f, NULL);
	c = cl_connect(f);
	cl_sends(f, c, reqs);
	PUMP_UNTIL(f, f->count > 0);
	t0 = fx_now_ms();
	server_close(f->s, fx_on_done, f);
	PUMP_UNTIL(f, f->done);
	assert_true(fx_now_ms() - t0 < DRAIN_MS + 500);
	f->s = NULL;
	free(reqs);
	cl_free(c);
}

/* ---- binding and adopting ---- */

static void test_path_length(void **state)
{
	struct fx *f = *state;
	struct server_handler h = fx_handler_proto;
	struct server *s = (struct server *)1;
	char path[512];
	size_t n = strlen(f->dir);

	h.user = f;
	snprintf(path, sizeof path, "%s/%0*d", f->dir, (int)(130 - n - 1), 0);
	assert_int_equal(strlen(path), 130);
	assert_int_equal(server_open(&f->loop, path, -1, &fx_lim, &h, &s, f->err, sizeof f->err),
			 -ENAMETOOLONG);
	assert_string_equal(f->err, "socket path is 130 bytes, the limit is 107");
	assert_null(s);
	path[108] = '\0';
	assert_int_equal(server_open(&f->loop, path, -1, &fx_lim, &h, &s, f->err, sizeof f->err),
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

	close(fx_raw_listen(f->path, 4)); /* the file stays, nobody listens */
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
	struct server_handler h = fx_handler_proto;
	struct server *other = (struct server *)1;
	char want[600];
	struct cl *c;

	h.user = f;
	fx_start(f, NULL);
	assert_int_equal(server_open(&f->loop, f->path, -1, &fx_lim, &h, &other, f->err,
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
	struct server_handler h = fx_handler_proto;
	struct server *s = NULL;
	char want[600], path[512];
	struct stat st;

	h.user = f;
	tu_write_file(f->dir, "s.sock", "data", 4, path, sizeof path);
	assert_int_equal(server_open(&f->loop, f->path, -1, &fx_lim, &h, &s, f->err,
				     sizeof f->err), -EADDRINUSE);
	snprintf(want, sizeof want, "bind %s: %s", f->path, strerror(EADDRINUSE));
	assert_string_equal(f->err, want);
	assert_int_equal(stat(f->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
}

static void test_adopt_fd(void **state)
{
	struct fx *f = *state;
	struct server_handler h = fx_handler_proto;
	struct stat st;
	struct cl *c;
	int fd = fx_raw_listen(f->path, 16);

	h.user = f;
	assert_int_equal(server_open(&f->loop, NULL, fd, &fx_lim, &h, &f->s, f->err,
				     sizeof f->err), 0);
	c = cl_connect(f);
	cl_sends(f, c, "adopted\n");
	cl_expect(f, c, "adopted");
	cl_free(c);
	fx_stop(f);
	assert_int_equal(stat(f->path, &st), 0); /* never unlinked */
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(cl_raw_connect(f->path), -ECONNREFUSED); /* but closed */
}

static void test_adopt_bad_fd(void **state)
{
	struct fx *f = *state;
	struct server_handler h = fx_handler_proto;
	struct server_limits lim = fx_lim;
	struct server *s = NULL;
	int p[2], fd;

	h.user = f;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(server_open(&f->loop, NULL, p[0], &fx_lim, &h, &s, f->err,
				     sizeof f->err), -ENOTSOCK);
	assert_null(s);
	assert_int_equal(fcntl(p[0], F_GETFD), -1); /* the server owned it and closed it */
	close(p[1]);
	lim.max_line_bytes = 0;
	fd = fx_raw_listen(f->path, 4);
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
	fd = fx_raw_listen(f->path, 4);
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
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
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
