/* The daemon's Unix-socket server on a libuv loop: binds or adopts (systemd LISTEN_FDS) a
 * stream socket, reads newline-delimited requests with a line cap, hands each complete line
 * to a handler and writes replies in request order, enforcing the connection limits
 * (max clients, idle timeout, write-queue cap). Knows nothing of JSON or plans; never logs.
 * All calls and callbacks are on the loop thread. The process must ignore SIGPIPE. */
#ifndef HUB_SERVER_H
#define HUB_SERVER_H

#include <stddef.h>
#include <sys/types.h>
#include <uv.h>

struct server;
struct server_conn;

/* Backpressure: while a client's unsent replies exceed write_queue_bytes / 2 the server
 * neither reads from it nor handles its buffered lines; it resumes when they drain below
 * that. A client is disconnected (closed_slow) when its unsent bytes exceed write_queue_bytes
 * (one large reply can do that) or when, while paused, none of its replies drains for the
 * drain time (server_set_drain_ms). */
struct server_limits {
	int max_clients;              /* connections beyond this are accepted and closed at once;
				       * <= 0 = no limit */
	int idle_timeout_s;           /* no input for this long: closed (closed_idle); 0 = never */
	size_t max_line_bytes;        /* a longer line (bytes before its '\n', not counting a
				       * '\r' there) gets the oversize reply, then a close; > 0 */
	size_t write_queue_bytes;     /* see above; 0 = no limit and no backpressure */
};

struct server_peer {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	int known;                    /* 1 when SO_PEERCRED answered */
};

struct server_handler {
	/* Called on the loop thread for every non-empty complete line (without the '\n' and a
	 * '\r' before it; may contain any bytes; line[len] is '\0'; line is valid only during
	 * the call). A last line without '\n' before the client's EOF counts as a line.
	 * Returns a malloc'd reply WITHOUT trailing newline (the server adds it and frees the
	 * reply), or NULL for no reply. Must not call server_close(). */
	char *(*on_line)(void *user, struct server_conn *c, const char *line, size_t len);
	/* The reply sent, then the connection closed, for a line over max_line_bytes (len is the
	 * line's length, or the bytes seen so far when it is still incomplete). malloc'd, no
	 * newline; NULL = just close. The handler itself may be NULL: just close. */
	char *(*on_oversize)(void *user, struct server_conn *c, size_t len);
	void *user;
};

/* Creates the server on loop. When fd >= 0 that listening Unix stream socket (from systemd)
 * is adopted and never unlinked; the server owns fd from the call on, also on failure
 * (it is closed). Otherwise path is bound (a stale socket file is replaced, but a socket
 * something listens on gives -EADDRINUSE "PATH: another daemon is listening"; umask 0117
 * around bind so the socket is 0660) and removed again by server_close. limits and h are
 * copied. 0 and *out (free it with server_close), or negative errno with err ("socket path
 * is 130 bytes, the limit is 107", "bind ...: Address already in use"). If libuv refuses
 * the fd, the half-made server is freed on the loop's next run. */
int server_open(uv_loop_t *loop, const char *path, int fd, const struct server_limits *limits,
		const struct server_handler *h, struct server **out, char *err, size_t errlen);

/* Stops accepting; connections finish the replies already queued (lines not yet handled
 * are dropped; a client that lets nothing drain for the drain time is cut off) and then
 * close; on_done (may be NULL) runs on the loop thread, never inside this call, when every
 * connection is closed. Unlinks a socket the server bound. The server is freed right after
 * on_done returns (on_done may still call server_get_stats). NULL or a second call: no-op. */
void server_close(struct server *s, void (*on_done)(void *arg), void *arg);

/* Changes the limits for new connections and new lines (after a reload); copied. */
void server_set_limits(struct server *s, const struct server_limits *limits);

/* How long a client may let none of its replies drain, in milliseconds, while it is paused
 * by the write-queue cap or being closed by server_close(), before it is cut off. Default
 * 5000; tests shorten it. */
void server_set_drain_ms(struct server *s, unsigned ms);

/* The peer's credentials (SO_PEERCRED), read at accept. Owned by the connection. */
const struct server_peer *server_conn_peer(const struct server_conn *c);

/* Counters since start; current = connections not yet freed. Copied into *out. */
struct server_stats {
	unsigned long long accepted, rejected_full, closed_idle, closed_slow, closed_oversize;
	unsigned long long lines, bytes_in, bytes_out;
	unsigned current;
};
void server_get_stats(const struct server *s, struct server_stats *out);

/* systemd's LISTEN_FDS: the first passed fd (3) when LISTEN_PID is ours and LISTEN_FDS >= 1,
 * else -1. Uses sd_listen_fds(1) (unsets the variables). */
int server_listen_fd_from_systemd(void);

#endif
