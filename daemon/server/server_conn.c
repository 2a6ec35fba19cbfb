/* A server connection: reads newline-delimited requests into a bounded buffer, hands each
 * line to the handler, writes the replies in order with backpressure and a write-queue cap,
 * and keeps the idle and drain deadlines. The conn owns its handles and is freed in the
 * last close callback.
 * Fairness: one pass of the loop hands a connection at most LINE_BUDGET lines (fewer when
 * they take LINE_BUDGET_NS); a connection with complete lines left stops reading and joins
 * the server's queue, which s->idle serves round-robin, one budget per connection per pass,
 * so a client pipelining thousands of requests cannot hold up the others. */
#define _GNU_SOURCE /* struct ucred, SO_PEERCRED */
#include "daemon/server/server_conn.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define READ_CHUNK 16384       /* a connection's first buffer; larger ones are freed when empty */
#define READ_MIN 4096          /* the least free space offered to a read */
#define OUT_BATCH 65536        /* replies gathered before one write, at most (about); a
				* batch buffer that grew past this goes with its write */
#define LINE_BUDGET 16         /* lines per connection per loop pass, at most */
#define LINE_BUDGET_NS 1000000 /* no further line in a pass after this long (1 ms) */

/* A write request that owns its bytes: replies and their '\n's, in inl or in a batch
 * buffer taken over from the connection. */
struct wreq {
	uv_write_t req;
	size_t len;
	char *data;
	char inl[];
};

static void conn_process(struct server_conn *c);
static void conn_arm_timer(struct server_conn *c);
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf);

/* ---- the queue of connections with lines left ---- */

/* Takes c out of its server's queue; no-op when it is not queued. */
static void conn_dequeue(struct server_conn *c)
{
	struct server *s = c->s;

	if (!c->queued)
		return;
	if (c->qprev)
		c->qprev->qnext = c->qnext;
	else
		s->qhead = c->qnext;
	if (c->qnext)
		c->qnext->qprev = c->qprev;
	else
		s->qtail = c->qprev;
	c->qprev = c->qnext = NULL;
	c->queued = 0;
	s->nqueued--;
}

/* The budget ran out with complete lines left: stop reading (they wait in the buffer), no
 * idle deadline, and to the back of the queue. */
static void conn_enqueue(struct server_conn *c)
{
	struct server *s = c->s;

	if (c->queued || s->closing)
		return; /* closing: the connection is finishing, its lines are dropped */
	uv_read_stop((uv_stream_t *)&c->pipe);
	c->queued = 1;
	c->qprev = s->qtail;
	if (s->qtail)
		s->qtail->qnext = c;
	else
		s->qhead = c;
	s->qtail = c;
	s->nqueued++;
	uv_idle_start(&s->idle, server_conn_on_idle);
	conn_arm_timer(c);
}

/* ---- connection lifetime ---- */

static void on_conn_handle_closed(uv_handle_t *h)
{
	struct server_conn *c = h->data;
	struct server *s = c->s;

	if (--c->handles > 0)
		return;
	conn_dequeue(c); /* already done by server_conn_close; never free a queued conn */
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free(c->buf);
	free(c->out);
	free(c);
	s->nconns--;
	server_maybe_done(s);
}

/* Closes at once, dropping unsent replies (their write callbacks see UV_ECANCELED). */
void server_conn_close(struct server_conn *c)
{
	if (c->closed)
		return;
	c->closed = 1;
	conn_dequeue(c);
	uv_close((uv_handle_t *)&c->timer, on_conn_handle_closed);
	uv_close((uv_handle_t *)&c->pipe, on_conn_handle_closed);
}

static void on_timer(uv_timer_t *t)
{
	struct server_conn *c = t->data;

	if (c->paused && !c->finishing)
		c->s->st.closed_slow++;
	else if (!c->finishing)
		c->s->st.closed_idle++;
	server_conn_close(c);
}

/* Idle deadline while answering; drain deadline while waiting for the client to read. */
static void conn_arm_timer(struct server_conn *c)
{
	uint64_t ms;

	if (c->closed)
		return;
	if (c->paused || c->finishing)
		ms = c->s->drain_ms;
	else if (c->queued)
		ms = 0; /* its lines wait for their turn: not idle */
	else
		ms = (uint64_t)c->s->lim.idle_timeout_s * 1000;
	if (ms)
		uv_timer_start(&c->timer, on_timer, ms, 0);
	else
		uv_timer_stop(&c->timer);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	(void)status;
	server_conn_close(req->handle->data);
}

/* Stops reading and closes once the queued replies are written (or the drain deadline). */
void server_conn_finish(struct server_conn *c)
{
	if (c->closed || c->finishing)
		return;
	c->finishing = 1;
	conn_dequeue(c); /* lines not yet handled are dropped */
	uv_read_stop((uv_stream_t *)&c->pipe);
	if (uv_shutdown(&c->shut, (uv_stream_t *)&c->pipe, on_shutdown) < 0) {
		server_conn_close(c);
		return;
	}
	conn_arm_timer(c);
}

static int conn_can_answer(const struct server_conn *c)
{
	return !c->paused && !c->finishing && !c->closed;
}

/* ---- writing ---- */

static size_t conn_queued(const struct server_conn *c)
{
	return uv_stream_get_write_queue_size((const uv_stream_t *)&c->pipe);
}

static int conn_queue_low(const struct server_conn *c)
{
	size_t cap = c->s->lim.write_queue_bytes;

	return cap == 0 || conn_queued(c) <= cap / 2;
}

/* A budget of the buffered lines; new input only once they are all handled. */
static void conn_continue(struct server_conn *c)
{
	conn_process(c);
	if (conn_can_answer(c) && !c->queued && !c->eof &&
	    uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read) < 0) {
		server_conn_close(c);
		return;
	}
	conn_arm_timer(c);
}

/* Leaves the paused state: the buffered lines first, then new input. */
static void conn_resume(struct server_conn *c)
{
	c->paused = 0;
	conn_continue(c);
}

void server_conn_on_idle(uv_idle_t *h)
{
	struct server *s = h->data;
	unsigned n = s->nqueued; /* the ones queued again go round in the next pass */
	struct server_conn *c;

	while (n-- > 0 && (c = s->qhead)) {
		conn_dequeue(c);
		conn_continue(c);
	}
	if (!s->qhead)
		uv_idle_stop(h);
}

static void wreq_free(struct wreq *w)
{
	if (w->data != w->inl)
		free(w->data);
	free(w);
}

static void on_write(uv_write_t *req, int status)
{
	struct wreq *w = (struct wreq *)req;
	struct server_conn *c = req->handle->data;

	if (status == 0)
		c->s->st.bytes_out += w->len;
	wreq_free(w);
	if (c->closed)
		return;
	if (status < 0)
		server_conn_close(c);
	else if (c->paused && !c->finishing && conn_queue_low(c))
		conn_resume(c);
	else if (c->paused || c->finishing)
		conn_arm_timer(c); /* progress: the client is reading */
}

/* Over the cap: disconnect. Over half of it: pause until the queue drains. */
static void conn_check_queue(struct server_conn *c)
{
	size_t cap = c->s->lim.write_queue_bytes, q = conn_queued(c);

	if (cap == 0)
		return;
	if (q > cap) {
		c->s->st.closed_slow++;
		server_conn_close(c);
	} else if (q > cap / 2 && !c->paused) {
		c->paused = 1;
		conn_dequeue(c); /* its lines wait for the resume */
		uv_read_stop((uv_stream_t *)&c->pipe);
		conn_arm_timer(c);
	}
}

/* A write request for the gathered replies, or NULL. A batch buffer that grew past
 * OUT_BATCH (a large reply) goes with the request, trimmed, and c starts a small one: a
 * connection does not keep its largest batch's memory until it closes. */
static struct wreq *conn_wreq(struct server_conn *c)
{
	struct wreq *w;
	char *d;

	if (c->outcap <= OUT_BATCH) {
		if (!(w = malloc(sizeof *w + c->outlen)))
			return NULL;
		memcpy(w->inl, c->out, c->outlen);
		w->data = w->inl;
		return w;
	}
	if (!(w = malloc(sizeof *w)))
		return NULL;
	w->data = c->out;
	if (c->outcap - c->outlen > OUT_BATCH && (d = realloc(c->out, c->outlen)))
		w->data = d;
	c->out = NULL;
	c->outcap = 0;
	return w;
}

/* Hands the replies gathered so far to one uv_write (pipelined requests answered by one
 * system call), then applies the write-queue rules. */
static void conn_flush(struct server_conn *c)
{
	struct wreq *w;
	uv_buf_t b;

	if (c->outlen == 0 || c->closed)
		return;
	if (!(w = conn_wreq(c))) {
		server_conn_close(c);
		return;
	}
	w->len = c->outlen;
	c->outlen = 0;
	b = uv_buf_init(w->data, (unsigned)w->len);
	if (uv_write(&w->req, (uv_stream_t *)&c->pipe, &b, 1, on_write) < 0) {
		wreq_free(w);
		server_conn_close(c);
		return;
	}
	conn_check_queue(c);
}

/* Appends reply (malloc'd, freed here) and its newline to the batch; a batch over
 * OUT_BATCH bytes (or a quarter of the write-queue cap) is flushed at once so the queue
 * rules see large replies early. */
static void conn_send(struct server_conn *c, char *reply)
{
	size_t n = strlen(reply);

	if (c->outlen + n + 1 > c->outcap) {
		size_t cap = c->outcap ? c->outcap : 4096;
		while (cap < c->outlen + n + 1)
			cap *= 2;
		char *o = realloc(c->out, cap);
		if (!o) {
			free(reply);
			server_conn_close(c);
			return;
		}
		c->out = o;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, reply, n);
	c->out[c->outlen + n] = '\n';
	c->outlen += n + 1;
	free(reply);
	size_t cap = c->s->lim.write_queue_bytes, batch = OUT_BATCH;
	if (cap > 0 && cap / 4 < batch)
		batch = cap / 4;   /* stay well under the queue cap: pause, never cut a reader */
	if (c->outlen >= batch)
		conn_flush(c);
}

/* ---- reading ---- */

/* The oversize reply (if any), then a close once it is written. */
static void conn_oversize(struct server_conn *c, size_t len)
{
	struct server *s = c->s;
	char *reply = s->h.on_oversize ? s->h.on_oversize(s->h.user, c, len) : NULL;

	s->st.closed_oversize++;
	if (reply)
		conn_send(c, reply);
	conn_flush(c);
	server_conn_finish(c);
}

/* One line buf[from, to) without its '\n': strip a '\r', skip it when empty, cap it. */
static void conn_line(struct server_conn *c, size_t from, size_t to)
{
	struct server *s = c->s;
	char *line = c->buf + from, *reply;
	size_t n = to - from;

	if (n > 0 && line[n - 1] == '\r')
		n--;
	line[n] = '\0'; /* the '\r', the '\n' or the spare byte at the end of the buffer */
	if (n == 0)
		return;
	if (n > s->lim.max_line_bytes) {
		conn_oversize(c, n);
		return;
	}
	s->st.lines++;
	reply = s->h.on_line(s->h.user, c, line, n);
	if (reply)
		conn_send(c, reply);
}

/* An incomplete line already over the cap (one byte of slack for a final '\r'). */
static int conn_partial_too_long(const struct server_conn *c)
{
	size_t n = c->len - c->head, max = c->s->lim.max_line_bytes;

	return n > max + 1 || (n == max + 1 && c->buf[c->len - 1] != '\r');
}

/* Drops an empty buffer that grew beyond the first size. */
static void conn_trim(struct server_conn *c)
{
	if (c->head != c->len)
		return;
	c->head = c->scan = c->len = 0;
	if (c->cap > READ_CHUNK) {
		free(c->buf);
		c->buf = NULL;
		c->cap = 0;
	}
}

/* 1 when this pass has used up c's budget: LINE_BUDGET lines, or LINE_BUDGET_NS since t0
 * (at least one line each pass). */
static int conn_budget_spent(unsigned lines, uint64_t t0)
{
	return lines >= LINE_BUDGET || (lines > 0 && uv_hrtime() - t0 >= LINE_BUDGET_NS);
}

/* Hands the complete buffered lines to the handler while the connection may answer, one
 * budget's worth; when complete lines are left the connection waits in the queue. */
static void conn_lines(struct server_conn *c)
{
	uint64_t t0 = uv_hrtime();
	unsigned lines = 0;
	char *nl;

	while (conn_can_answer(c) && c->scan < c->len &&
	       (nl = memchr(c->buf + c->scan, '\n', c->len - c->scan))) {
		size_t end = (size_t)(nl - c->buf);

		if (conn_budget_spent(lines++, t0)) {
			c->scan = end; /* [head, end) has no '\n' */
			conn_enqueue(c);
			return;
		}
		conn_line(c, c->head, end);
		c->head = c->scan = end + 1;
	}
	if (!conn_can_answer(c))
		return;
	c->scan = c->len;
	if (c->eof) {
		if (c->len > c->head)
			conn_line(c, c->head, c->len); /* a last line without '\n' */
		conn_flush(c);
		server_conn_finish(c);
	} else if (conn_partial_too_long(c)) {
		conn_oversize(c, c->len - c->head);
	} else {
		conn_trim(c);
	}
}

/* Processes the buffered lines and writes their replies with one system call. */
static void conn_process(struct server_conn *c)
{
	conn_lines(c);
	conn_flush(c);
}

/* Moves the incomplete line to the front and makes room for READ_MIN bytes and a spare. */
static int conn_make_room(struct server_conn *c)
{
	size_t want;
	char *nb;

	if (c->head > 0) {
		memmove(c->buf, c->buf + c->head, c->len - c->head);
		c->len -= c->head;
		c->scan -= c->head;
		c->head = 0;
	}
	if (c->cap - c->len >= READ_MIN + 1)
		return 0;
	want = c->cap ? c->cap * 2 : READ_CHUNK;
	if (want < c->len + READ_MIN + 1)
		want = c->len + READ_MIN + 1;
	nb = realloc(c->buf, want);
	if (!nb)
		return -ENOMEM;
	c->buf = nb;
	c->cap = want;
	return 0;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct server_conn *c = h->data;

	(void)suggested;
	if (conn_make_room(c) < 0) {
		*buf = uv_buf_init(NULL, 0); /* the read callback sees UV_ENOBUFS */
		return;
	}
	*buf = uv_buf_init(c->buf + c->len, (unsigned)(c->cap - c->len - 1));
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
	struct server_conn *c = st->data;

	(void)buf;
	if (nread > 0) {
		c->len += (size_t)nread;
		c->s->st.bytes_in += (size_t)nread;
		conn_arm_timer(c);
		conn_process(c);
	} else if (nread == UV_EOF) {
		c->eof = 1;
		conn_process(c);
	} else if (nread < 0) {
		server_conn_close(c);
	}
}

/* ---- starting ---- */

struct server_conn *server_conn_new(struct server *s)
{
	struct server_conn *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	c->s = s;
	uv_pipe_init(s->loop, &c->pipe, 0);
	uv_timer_init(s->loop, &c->timer);
	c->pipe.data = c->timer.data = c;
	c->handles = 2;
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->nconns++;
	return c;
}

static void conn_read_peer(struct server_conn *c)
{
	struct ucred uc;
	socklen_t len = sizeof uc;
	uv_os_fd_t fd;

	if (uv_fileno((uv_handle_t *)&c->pipe, &fd) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0)
		return;
	c->peer.pid = uc.pid;
	c->peer.uid = uc.uid;
	c->peer.gid = uc.gid;
	c->peer.known = 1;
}

int server_conn_start(struct server_conn *c)
{
	int rc = uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read);

	if (rc < 0)
		return rc;
	conn_read_peer(c);
	conn_arm_timer(c);
	return 0;
}
