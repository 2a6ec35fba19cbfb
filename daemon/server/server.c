/* The Unix-socket server's listening side: binds (ntpd control_init style) or adopts
 * (Knot Resolver io_listen_pipe style) the socket, accepts or rejects connections, and
 * closes everything in order. The connections themselves live in server_conn.c. */
#include "daemon/server/server_conn.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#define SERVER_BACKLOG 128
#define SERVER_DRAIN_MS 5000u  /* default of server_set_drain_ms() */

static int errf(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Fills err (when given) and returns rc. */
static int errf(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* ---- server lifetime ---- */

/* Frees the server once it is closing and its last handle has closed. */
void server_maybe_done(struct server *s)
{
	if (!s->closing || s->listener_open || s->idle_open || s->reject_busy || s->nconns)
		return;
	if (s->on_done)
		s->on_done(s->done_arg);
	free(s->path);
	free(s);
}

static void on_listener_closed(uv_handle_t *h)
{
	struct server *s = h->data;

	s->listener_open = 0;
	server_maybe_done(s);
}

static void on_idle_closed(uv_handle_t *h)
{
	struct server *s = h->data;

	s->idle_open = 0;
	server_maybe_done(s);
}

/* Undoes a server_open that got as far as the listener handle; frees s on the loop. */
static void server_abort(struct server *s)
{
	if (s->path)
		unlink(s->path);
	s->closing = 1;
	uv_close((uv_handle_t *)&s->listener, on_listener_closed);
}

/* ---- accepting ---- */

static void server_accept(struct server *s);

static void on_reject_closed(uv_handle_t *h)
{
	struct server *s = h->data;

	s->reject_busy = 0;
	if (s->accept_pending && !s->closing) {
		s->accept_pending = 0;
		server_accept(s);
	}
	server_maybe_done(s);
}

/* Accepts the pending connection into s->reject and closes it. While that handle is busy
 * the connection stays pending (libuv pauses the listener until the next uv_accept). */
static void server_reject(struct server *s)
{
	if (s->reject_busy) {
		s->accept_pending = 1;
		return;
	}
	s->reject_busy = 1;
	uv_pipe_init(s->loop, &s->reject, 0);
	s->reject.data = s;
	uv_accept((uv_stream_t *)&s->listener, (uv_stream_t *)&s->reject);
	uv_close((uv_handle_t *)&s->reject, on_reject_closed);
}

static void server_accept(struct server *s)
{
	struct server_conn *c;
	int max = s->lim.max_clients;

	if (max > 0 && s->nconns >= (unsigned)max) {
		if (!s->reject_busy)
			s->st.rejected_full++;
		server_reject(s);
		return;
	}
	c = server_conn_new(s);
	if (!c) {
		server_reject(s);
		return;
	}
	if (uv_accept((uv_stream_t *)&s->listener, (uv_stream_t *)&c->pipe) < 0 ||
	    server_conn_start(c) < 0) {
		server_conn_close(c);
		return;
	}
	s->st.accepted++;
}

static void on_connection(uv_stream_t *l, int status)
{
	if (status == 0)
		server_accept(l->data);
}

/* ---- opening ---- */

/* 0 when nothing answers at path (a stale socket file is removed), else an error. */
static int clear_stale(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return 0; /* nothing there, or not a socket: bind says what is wrong */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return errf(err, errlen, -errno, "socket: %s", strerror(errno));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	rc = connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ? -errno : 0;
	close(fd);
	if (rc == 0 || rc == -EAGAIN)
		return errf(err, errlen, -EADDRINUSE, "%s: another daemon is listening", path);
	if (rc != -ECONNREFUSED)
		return errf(err, errlen, rc, "%s: %s", path, strerror(-rc));
	if (unlink(path) < 0 && errno != ENOENT)
		return errf(err, errlen, -errno, "unlink %s: %s", path, strerror(errno));
	return 0;
}

/* socket, bind with umask 0117 (the socket is 0660), listen. *fdout on success. */
static int bind_path(const char *path, int *fdout, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, rc, e;

	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errf(err, errlen, -errno, "socket: %s", strerror(errno));
	old = umask(0117);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	e = errno;
	umask(old);
	if (rc < 0) {
		close(fd);
		return errf(err, errlen, -e, "bind %s: %s", path, strerror(e));
	}
	if (listen(fd, SERVER_BACKLOG) < 0) {
		e = errno;
		unlink(path);
		close(fd);
		return errf(err, errlen, -e, "listen %s: %s", path, strerror(e));
	}
	*fdout = fd;
	return 0;
}

/* A listening Unix stream socket; closes fd when it is not one. */
static int check_fd(int fd, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	socklen_t len = sizeof sa;
	int type = 0, e;
	socklen_t tlen = sizeof type;

	if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0) {
		e = errno;
		close(fd);
		return errf(err, errlen, -e, "fd %d: %s", fd, strerror(e));
	}
	if (sa.sun_family != AF_UNIX || type != SOCK_STREAM) {
		close(fd);
		return errf(err, errlen, -ENOTSOCK, "fd %d: not a Unix stream socket", fd);
	}
	if (listen(fd, SERVER_BACKLOG) < 0) {
		e = errno;
		close(fd);
		return errf(err, errlen, -e, "fd %d: listen: %s", fd, strerror(e));
	}
	return 0;
}

/* Knot Resolver's io_listen_pipe: uv_pipe_init, uv_pipe_open, uv_listen. Owns fd. */
static int server_adopt(struct server *s, int fd, char *err, size_t errlen)
{
	int rc = check_fd(fd, err, errlen);

	if (rc < 0)
		return rc;
	uv_pipe_init(s->loop, &s->listener, 0);
	s->listener.data = s;
	s->listener_open = 1;
	rc = uv_pipe_open(&s->listener, fd);
	if (rc < 0) {
		close(fd);
		server_abort(s);
		return errf(err, errlen, rc, "fd %d: %s", fd, uv_strerror(rc));
	}
	rc = uv_listen((uv_stream_t *)&s->listener, SERVER_BACKLOG, on_connection);
	if (rc < 0) {
		server_abort(s);
		return errf(err, errlen, rc, "fd %d: listen: %s", fd, uv_strerror(rc));
	}
	return 0;
}

/* Checks the length, clears a stale socket and binds path; sets s->path. */
static int server_bind(struct server *s, const char *path, int *fd, char *err, size_t errlen)
{
	size_t n = strlen(path), limit = sizeof ((struct sockaddr_un *)0)->sun_path - 1;
	int rc;

	if (n > limit)
		return errf(err, errlen, -ENAMETOOLONG, "socket path is %zu bytes, the limit is %zu",
			    n, limit);
	rc = clear_stale(path, err, errlen);
	if (rc < 0)
		return rc;
	s->path = strdup(path);
	if (!s->path)
		return errf(err, errlen, -ENOMEM, "out of memory");
	rc = bind_path(path, fd, err, errlen);
	if (rc < 0) {
		free(s->path);
		s->path = NULL;
	}
	return rc;
}

/* Closes an fd given to server_open (it owns it) and fills err. */
static int open_fail(int fd, int rc, const char *msg, char *err, size_t errlen)
{
	if (fd >= 0)
		close(fd);
	return errf(err, errlen, rc, "%s", msg);
}

int server_open(uv_loop_t *loop, const char *path, int fd, const struct server_limits *limits,
		const struct server_handler *h, struct server **out, char *err, size_t errlen)
{
	struct server *s;
	int rc;

	*out = NULL;
	if (!limits->max_line_bytes || !h->on_line || (fd < 0 && !path))
		return open_fail(fd, -EINVAL, "server_open: needs max_line_bytes > 0, on_line "
				 "and a path or fd", err, errlen);
	s = calloc(1, sizeof *s);
	if (!s)
		return open_fail(fd, -ENOMEM, "out of memory", err, errlen);
	s->loop = loop;
	s->lim = *limits;
	s->h = *h;
	s->drain_ms = SERVER_DRAIN_MS;
	if (fd < 0 && (rc = server_bind(s, path, &fd, err, errlen)) < 0) {
		free(s);
		return rc;
	}
	rc = server_adopt(s, fd, err, errlen);
	if (rc < 0) {
		if (!s->listener_open) { /* nothing of libuv's was made */
			if (s->path)
				unlink(s->path);
			free(s->path);
			free(s);
		}
		return rc;
	}
	uv_idle_init(loop, &s->idle); /* started while connections wait with lines left */
	s->idle.data = s;
	s->idle_open = 1;
	*out = s;
	return 0;
}

/* ---- the rest of the API ---- */

void server_close(struct server *s, void (*on_done)(void *arg), void *arg)
{
	struct server_conn *c;

	if (!s || s->closing)
		return;
	s->closing = 1;
	s->on_done = on_done;
	s->done_arg = arg;
	if (s->path)
		unlink(s->path);
	uv_close((uv_handle_t *)&s->listener, on_listener_closed);
	for (c = s->conns; c; c = c->next)
		server_conn_finish(c); /* also takes it out of the queue: its lines are dropped */
	uv_close((uv_handle_t *)&s->idle, on_idle_closed);
}

void server_set_limits(struct server *s, const struct server_limits *limits)
{
	s->lim = *limits;
}

void server_set_drain_ms(struct server *s, unsigned ms)
{
	s->drain_ms = ms;
}

const struct server_peer *server_conn_peer(const struct server_conn *c)
{
	return &c->peer;
}

void server_get_stats(const struct server *s, struct server_stats *out)
{
	*out = s->st;
	out->current = s->nconns;
}

int server_listen_fd_from_systemd(void)
{
	return sd_listen_fds(1) >= 1 ? SD_LISTEN_FDS_START : -1;
}
