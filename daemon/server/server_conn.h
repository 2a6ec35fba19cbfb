/* Private to server.c and server_conn.c: the server and connection structures and the
 * calls between the listener side (server.c) and the connection side (server_conn.c).
 * Everything runs on the loop thread. Not installed, not for other modules. */
#ifndef HUB_SERVER_CONN_H
#define HUB_SERVER_CONN_H

#include "daemon/server/server.h"

struct server_conn {
	uv_pipe_t pipe;           /* the connection; data points back here */
	uv_timer_t timer;         /* idle deadline, or drain deadline while paused or finishing */
	uv_shutdown_t shut;       /* the one shutdown of a finishing connection */
	struct server *s;
	struct server_conn *prev, *next;
	struct server_peer peer;
	char *buf;                /* [head, len) unprocessed input; [head, scan) has no '\n' */
	size_t cap, head, scan, len;
	char *out;                /* replies of this read batch not yet handed to uv_write */
	size_t outlen, outcap;
	struct server_conn *qprev, *qnext; /* in s's queue of connections with lines left */
	int handles;              /* handles not yet closed; the conn is freed at 0 */
	int queued;               /* its line budget ran out with complete lines left: not
				   * reading, not idle; s->idle hands it more lines */
	int paused;               /* write queue above half the cap: no reading, no lines */
	int eof;                  /* the client shut down its side */
	int finishing;            /* shutdown requested: flush the replies, then close */
	int closed;               /* uv_close called */
};

struct server {
	uv_loop_t *loop;
	uv_pipe_t listener;
	uv_pipe_t reject;         /* accepts and closes a connection we will not serve */
	uv_idle_t idle;           /* active while qhead: one budget of lines per queued conn
				   * per loop pass (and a poll that does not block) */
	int listener_open, reject_busy, accept_pending, closing, idle_open;
	char *path;               /* the path we bound and will unlink; NULL when adopted */
	struct server_limits lim;
	struct server_handler h;
	struct server_stats st;
	struct server_conn *conns;
	unsigned nconns;          /* connections not yet freed */
	struct server_conn *qhead, *qtail; /* queued connections, served round-robin */
	unsigned nqueued;
	unsigned drain_ms;
	void (*on_done)(void *arg);
	void *done_arg;
};

/* A connection with its pipe and timer initialised, linked into s->conns. NULL when out of
 * memory. From here on only server_conn_close() (via its close callbacks) frees it. */
struct server_conn *server_conn_new(struct server *s);

/* After uv_accept into c->pipe: reads the peer's credentials, starts reading and the idle
 * deadline. Negative libuv error when reading cannot start (then close c). */
int server_conn_start(struct server_conn *c);

/* Stops reading, lets the queued replies drain (at most drain_ms without progress), then
 * closes. */
void server_conn_finish(struct server_conn *c);

/* Closes at once, dropping unsent replies. c is freed in the last close callback. */
void server_conn_close(struct server_conn *c);

/* The callback of s->idle: gives each connection queued when it starts one more budget of
 * lines, in queue order; one that still has lines left goes to the back of the queue. Stops
 * s->idle when the queue is empty. */
void server_conn_on_idle(uv_idle_t *h);

/* Called by server_conn.c after freeing a connection: frees a closing server whose last
 * handle is gone, after its on_done. */
void server_maybe_done(struct server *s);

#endif
