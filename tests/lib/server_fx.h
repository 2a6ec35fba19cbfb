/* The shared fixture of the daemon/server tests (test_server, test_server_conn): a real libuv
 * loop driven step by step in the test's thread, a server on a temporary socket path with a
 * scripted handler, and non-blocking client sockets with helpers to send and expect lines.
 * Test-only code; never linked into the product. Failures end the test through cmocka. */
#ifndef HUB_SERVER_FX_H
#define HUB_SERVER_FX_H

#include <stddef.h>

#include <uv.h>

#include "daemon/server/server.h"

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
	int done;                 /* fx_on_done ran */
	struct server_stats last; /* the stats seen by fx_on_done */
	unsigned count;           /* lines the handler saw */
};

/* A non-blocking client socket and what it received but did not consume yet. */
struct cl {
	int fd;
	char *buf;
	size_t len;
};

/* The default limits: 100 clients, no idle timeout, 1024-byte lines, a 1 MB write queue. */
extern const struct server_limits fx_lim;

/* The scripted handler with user unset; copy it and set user to the struct fx. Lines:
 * "big N" answers N 'x', "none" nothing, "count" the lines seen, "peer" the peer's
 * credentials, "outcap" the reply batch buffer's size, "sleep" "slept" after 2 ms; anything
 * else is echoed. An oversize line is answered "oversize LEN". */
extern const struct server_handler fx_handler_proto;

/* ---- the handler's replies and requests (all malloc'd: the caller frees) ---- */

/* n bytes of 'x' and a '\0'. */
char *fx_big_reply(size_t n);

/* n requests "big size\n" in one '\0'-terminated buffer. */
char *fx_big_requests(int n, size_t size);

/* n requests "prefix-i\n" (i = 0..n-1) in one buffer of *len bytes. */
char *fx_numbered_requests(const char *prefix, int n, size_t *len);

/* ---- driving the loop ---- */

/* A server_close callback (arg is the struct fx): records the final stats in f->last and
 * sets f->done. */
void fx_on_done(void *arg);

/* The monotonic clock in milliseconds. */
long long fx_now_ms(void);

/* Waits up to ms for work on the loop or for events on fd (when >= 0), then runs the loop
 * once without blocking. */
void fx_pump(struct fx *f, int fd, short events, int ms);

/* Runs the loop until cond holds; fails the test after DEADLINE_MS. */
#define PUMP_UNTIL(f, cond)                                                 \
	do {                                                                \
		long long t0_ = fx_now_ms();                                \
		while (!(cond)) {                                           \
			if (fx_now_ms() - t0_ > DEADLINE_MS)                \
				fail_msg("timed out waiting for %s", #cond); \
			fx_pump((f), -1, 0, 10);                            \
		}                                                           \
	} while (0)

/* The server's stats now. */
struct server_stats fx_stats(struct fx *f);

/* Opens the server on f->path with lim (fx_lim when NULL) and the drain time DRAIN_MS;
 * f->s owns it until fx_stop or teardown. */
void fx_start(struct fx *f, const struct server_limits *lim);

/* Closes the server and runs the loop until fx_on_done; clears f->s. */
void fx_stop(struct fx *f);

/* cmocka setup and teardown: a new struct fx with a loop and a temp folder in *state;
 * teardown stops a server still open, closes the loop and removes the folder. */
int fx_setup(void **state);
int fx_teardown(void **state);

/* ---- clients ---- */

/* A blocking connect to path: the fd (the caller closes it), or -errno. */
int cl_raw_connect(const char *path);

/* A listening socket bound at path, made without the server; listen() only when
 * backlog >= 0. The caller owns the fd. */
int fx_raw_listen(const char *path, int backlog);

/* A non-blocking client connected to f->path; free it with cl_free(). */
struct cl *cl_connect(struct fx *f);
void cl_free(struct cl *c);

/* Sends all n bytes (or the string s), running the loop while the socket is full. */
void cl_send(struct fx *f, struct cl *c, const char *data, size_t n);
void cl_sends(struct fx *f, struct cl *c, const char *s);

/* The next line (malloc'd, no '\n': the caller frees it), or NULL when the server closed
 * first. */
char *cl_line(struct fx *f, struct cl *c);

/* Fails the test unless the next line is want / n bytes of 'x' / the server closing. */
void cl_expect(struct fx *f, struct cl *c, const char *want);
void cl_expect_big(struct fx *f, struct cl *c, size_t n);
void cl_expect_closed(struct fx *f, struct cl *c);

/* Expects the lines "prefix-i" for i = 0..n-1. */
void cl_expect_numbered(struct fx *f, struct cl *c, const char *prefix, int n);

/* Reads and drops everything until the server closes; the byte count. */
size_t cl_drain(struct fx *f, struct cl *c);

/* Reads what has arrived without running the loop; the number of complete lines buffered. */
size_t cl_lines_arrived(struct cl *c);

#endif
