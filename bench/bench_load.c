/* Load and abuse test for hubplannerd: one epoll loop drives N closed-loop clients that mix
 * every read method (points, codes and boxes drawn from the real Dutch data), checks that each
 * reply is a JSON-RPC result with the request's id, and keeps per-method latency percentiles.
 * Optional slow, stalled, half-open and hang-up clients attack the limits while the daemon's
 * VmRSS/VmHWM and open fds are sampled. Measures and reports; never calls privileged methods.
 * Usage: bench_load SOCKET [options]   (bench_load --help lists them) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench_load.h"
#include "util/clock.h"

static void on_reply(struct bench *b, struct client *c, const char *line, size_t len, double t)
{
	struct pending *p = &c->q[c->qhead];
	json_t *res = NULL;
	char why[256];
	int rc;

	if (c->qn == 0) {
		b->protocol_errors++;
		fprintf(stderr, "bench_load: a reply nobody asked for: %.200s\n", line);
		return;
	}
	rc = check_reply(line, len, p->id, p->method == M_STATUS ? &res : NULL, why, sizeof why);
	if (rc < 0 && b->protocol_errors++ < 10)
		fprintf(stderr, "bench_load: %s reply %ld: %s: %.200s\n", method_name[p->method],
			p->id, why, line);
	if (rc > 0 && b->errors[p->method]++ < 10)
		fprintf(stderr, "bench_load: %s error reply: %s\n", method_name[p->method], why);
	if (res)
		track_status(b, res);
	json_decref(res);
	lat_add(&b->lat[p->method], t - p->sent);
	lat_add(b->rc_running ? &b->lat_rc : &b->lat_idle, t - p->sent);
	c->qhead = (c->qhead + 1) % MAX_PIPE;
	c->qn--;
}

/* ---- client I/O ---- */

static void set_events(struct bench *b, struct client *c, unsigned ev)
{
	struct epoll_event e = {.events = ev, .data.ptr = c};

	if (ev != c->events && epoll_ctl(b->ep, EPOLL_CTL_MOD, c->fd, &e) == 0)
		c->events = ev;
}

static unsigned base_events(const struct client *c)
{
	return c->kind == K_SLOW || c->kind == K_STALLED ? EPOLLRDHUP : EPOLLIN | EPOLLRDHUP;
}

/* Writes what the socket takes; -1 when the daemon has gone. */
static int client_flush(struct bench *b, struct client *c)
{
	while (c->outoff < c->outlen) {
		ssize_t w = send(c->fd, c->out + c->outoff, c->outlen - c->outoff,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (w < 0)
			return -1;
		c->outoff += (size_t)w;
	}
	if (c->outoff == c->outlen)
		c->outoff = c->outlen = 0;
	set_events(b, c, base_events(c) | (c->outlen ? EPOLLOUT : 0));
	return 0;
}

static void client_close(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->have = c->outlen = c->outoff = 0;
	c->qn = c->qhead = 0;
}

/* The daemon closed c (or a write failed): counted by kind; reconnects while running. */
static void client_lost(struct bench *b, struct client *c, const char *why)
{
	double t = clock_now_s();

	if (c->kind == K_NORMAL && (b->running || c->qn > 0)) {
		if (b->running ? b->dropped++ < 10 : b->drain_lost++ < 10)
			fprintf(stderr, "bench_load: client %d dropped at %.1f s (%s, %d in flight)\n",
				(int)(c - b->cl), t - b->t0, why, c->qn);
	} else if (c->kind != K_NORMAL && c->kind != K_CUTTER) {
		b->ks[c->kind].closed_by_daemon++;
		b->ks[c->kind].held_s += t - c->opened_at;
	} else if (c->kind == K_CUTTER && b->running) {
		b->dropped++;
		fprintf(stderr, "bench_load: hang-up client closed by the daemon first (%s)\n", why);
	}
	client_close(c);
	c->next_action = t + (c->kind == K_NORMAL ? 0.1 : 1.0);
}

static void queue_request(struct bench *b, struct client *c, int m)
{
	int n = make_request(b, &c->seed, m, c->next_id, c->out + c->outlen, OUT_CAP - c->outlen);

	if (n <= 0 || (size_t)n >= OUT_CAP - c->outlen)
		return;
	c->outlen += (size_t)n;
	c->lines_sent++;
	if (c->kind == K_NORMAL) {
		c->q[(c->qhead + c->qn) % MAX_PIPE] = (struct pending){c->next_id, m, clock_now_s()};
		c->qn++;
	}
	c->next_id++;
}

/* Keeps a normal client's pipeline full while the run lasts. */
static void normal_fill(struct bench *b, struct client *c)
{
	while (b->running && c->qn < b->pipeline && c->outlen + 2048 < OUT_CAP)
		queue_request(b, c, pick_method(b, &c->seed));
	if (client_flush(b, c) < 0)
		client_lost(b, c, "write failed");
}

/* Slow and stalled readers keep SLOW_DEPTH requests for whole-region sites unanswered. */
static void slow_fill(struct bench *b, struct client *c)
{
	while (c->lines_sent - c->lines_seen < SLOW_DEPTH && c->outlen + 256 < OUT_CAP) {
		int n = snprintf(c->out + c->outlen, OUT_CAP - c->outlen,
				 "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"sites\",\"params\":"
				 "{\"region\":\"%s\"}}\n", c->next_id++,
				 b->vr[rand_r(&c->seed) % (unsigned)b->nvr]);
		c->outlen += (size_t)n;
		c->lines_sent++;
	}
	if (client_flush(b, c) < 0)
		client_lost(b, c, "write failed");
}

/* An unfinished line of 10..60,000 bytes that never gets its '\n'. */
static void partial_send(struct bench *b, struct client *c)
{
	size_t n = 10 + (size_t)rand_r(&c->seed) % 60000;

	c->outlen = (size_t)snprintf(c->out, OUT_CAP, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
				     "\"status\",\"params\":{\"pad\":\"");
	while (c->outlen < n)
		c->out[c->outlen++] = 'x';
	if (client_flush(b, c) < 0)
		client_lost(b, c, "write failed");
}

/* Hangs up (after a whole reply, counted, or part of one) and comes back in 0.1 s. */
static void cutter_done(struct bench *b, struct client *c)
{
	b->ks[K_CUTTER].replies += c->have && memchr(c->in, '\n', c->have) != NULL;
	client_close(c);
	c->next_action = clock_now_s() + 0.1;
}

/* Asks for a reply of 7 KB..520 KB (larger than the socket buffer) and hangs up before it,
 * or after 1..65535 bytes of it. */
static void cutter_send(struct bench *b, struct client *c)
{
	static const char *const big[] = {"\"method\":\"stats\"",
		"\"method\":\"sites\",\"params\":{\"region\":\"VR09\"}",
		"\"method\":\"sites\",\"params\":{\"bbox\":[60000,400000,160000,500000]}",
		"\"method\":\"gaps\",\"params\":{\"region\":\"VR17\",\"geojson\":true}"};

	c->outlen = (size_t)snprintf(c->out, OUT_CAP, "{\"jsonrpc\":\"2.0\",\"id\":1,%s}\n",
				     big[rand_r(&c->seed) % 4]);
	c->cut_after = rand_r(&c->seed) % 4 ? rand_r(&c->seed) % 65536 : 0;
	if (client_flush(b, c) < 0)
		client_lost(b, c, "write failed");
	else if (c->cut_after == 0)
		cutter_done(b, c);   /* gone before the reply */
}

static int connect_to(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void client_open(struct bench *b, struct client *c)
{
	struct epoll_event e = {.events = base_events(c), .data.ptr = c};

	c->fd = connect_to(b->path);
	if (c->fd < 0 || fcntl(c->fd, F_SETFL, O_NONBLOCK) < 0 ||
	    epoll_ctl(b->ep, EPOLL_CTL_ADD, c->fd, &e) < 0) {
		if (b->connect_failed++ < 10)
			perror("bench_load: connect");
		client_close(c);
		c->next_action = clock_now_s() + 0.1;
		return;
	}
	c->events = e.events;
	c->opened_at = clock_now_s();
	c->lines_sent = c->lines_seen = 0;
	b->ks[c->kind].opened++;
	if (c->kind == K_NORMAL)
		normal_fill(b, c);
	else if (c->kind == K_SLOW || c->kind == K_STALLED)
		slow_fill(b, c);
	else if (c->kind == K_PARTIAL)
		partial_send(b, c);
	else if (c->kind == K_CUTTER)
		cutter_send(b, c);
}

/* Hands every complete line in c->in to on_reply and keeps the rest. */
static void normal_lines(struct bench *b, struct client *c)
{
	size_t head = 0;
	char *nl;
	double t = clock_now_s();

	while ((nl = memchr(c->in + head, '\n', c->have - head))) {
		size_t len = (size_t)(nl - c->in) - head;
		on_reply(b, c, c->in + head, len, t);
		head += len + 1;
	}
	memmove(c->in, c->in + head, c->have - head);
	c->have -= head;
}

/* Reads into c->in (grown to hold at least 64 KiB more); bytes read, 0 at EOF, -1 on EAGAIN. */
static ssize_t client_read(struct client *c, size_t most)
{
	if (c->cap - c->have < 65536) {
		size_t cap = c->cap ? c->cap * 2 : 262144;
		char *in = realloc(c->in, cap);
		if (!in)
			return 0;
		c->in = in;
		c->cap = cap;
	}
	size_t room = c->cap - c->have;
	ssize_t r = read(c->fd, c->in + c->have, most && most < room ? most : room);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return -1;
	return r < 0 ? 0 : r;
}

static void normal_readable(struct bench *b, struct client *c)
{
	ssize_t r;

	while ((r = client_read(c, 0)) > 0) {
		c->have += (size_t)r;
		normal_lines(b, c);
	}
	if (r == 0) {
		client_lost(b, c, "closed by the daemon");
		return;
	}
	normal_fill(b, c);
}

/* A hang-up client reads up to cut_after bytes (or the whole reply), then closes. */
static void cutter_readable(struct bench *b, struct client *c)
{
	ssize_t r = client_read(c, (size_t)c->cut_after);

	if (r == 0) {
		client_lost(b, c, "closed by the daemon");
		return;
	}
	if (r < 0)
		return;
	c->have += (size_t)r;
	b->ks[K_CUTTER].bytes += r;
	if ((long)c->have >= c->cut_after || memchr(c->in, '\n', c->have))
		cutter_done(b, c);
}

static void client_event(struct bench *b, struct client *c, unsigned ev)
{
	if (c->fd < 0)
		return;
	if ((ev & EPOLLOUT) && client_flush(b, c) < 0) {
		client_lost(b, c, "write failed");
		return;
	}
	if (c->kind == K_NORMAL && (ev & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)))
		normal_readable(b, c);
	else if (c->kind == K_CUTTER && (ev & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)))
		cutter_readable(b, c);
	else if (c->kind == K_PARTIAL || c->kind == K_SILENT) {
		if ((ev & EPOLLIN) && client_read(c, 0) > 0 && b->protocol_errors++ < 10)
			fprintf(stderr, "bench_load: a reply to an unfinished or absent line\n");
		if (ev & (EPOLLHUP | EPOLLRDHUP | EPOLLERR))
			client_lost(b, c, "closed by the daemon");
		c->have = 0;
	} else if (ev & (EPOLLHUP | EPOLLRDHUP | EPOLLERR)) {
		client_lost(b, c, "closed by the daemon");   /* slow or stalled reader */
	}
}

/* A slow reader takes slow_rate * TICK_S bytes per tick and tops up its requests. */
static void slow_tick(struct bench *b, struct client *c)
{
	size_t most = (size_t)(b->slow_rate * TICK_S) + 1;
	ssize_t r = client_read(c, most);

	if (r == 0) {
		client_lost(b, c, "closed by the daemon");
		return;
	}
	if (r > 0) {
		long lines = 0;
		for (ssize_t i = 0; i < r; i++)
			lines += c->in[c->have + (size_t)i] == '\n';
		c->lines_seen += lines;
		b->ks[K_SLOW].replies += lines;
		b->ks[K_SLOW].bytes += r;
	}
	slow_fill(b, c);
}

static void tick(struct bench *b, double t)
{
	for (int i = 0; i < b->ncl; i++) {
		struct client *c = &b->cl[i];
		if (c->fd < 0 && b->running && t >= c->next_action)
			client_open(b, c);
		else if (c->fd >= 0 && c->kind == K_SLOW)
			slow_tick(b, c);
	}
	sample_rss(b, t);
}

/* ---- setup and the run ---- */

/* One request on a fresh blocking connection; the result (caller decrefs) or NULL. */
json_t *call(const char *path, const char *req)
{
	struct timeval tv = {10, 0};
	char buf[1 << 16];
	size_t have = 0;
	ssize_t r;
	json_t *res = NULL;
	char why[256];
	int fd = connect_to(path);

	if (fd < 0)
		return NULL;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (write(fd, req, strlen(req)) == (ssize_t)strlen(req))
		while (have < sizeof buf && !memchr(buf, '\n', have) &&
		       (r = read(fd, buf + have, sizeof buf - have)) > 0)
			have += (size_t)r;
	close(fd);
	if (have && memchr(buf, '\n', have) && check_reply(buf, (size_t)((char *)memchr(buf, '\n',
							   have) - buf), 1, &res, why, sizeof why) != 0)
		fprintf(stderr, "bench_load: %s: %s\n", req, why);
	return res;
}

/* The state before the run: plan size, recompute state, RSS and fds. */
static int before(struct bench *b)
{
	json_t *st = call(b->path, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"stats\"}\n");
	json_t *status = call(b->path, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}\n");

	b->nlocal = (int)json_integer_value(json_object_get(json_object_get(json_object_get(
		st, "national"), "local"), "sites"));
	if (status)
		track_status(b, status);
	json_decref(st);
	json_decref(status);
	if (b->nlocal <= 0)
		return fprintf(stderr, "bench_load: %s: no plan served (stats failed)\n", b->path), -1;
	read_rss(b->pid, &b->rss_before, &b->hwm_before);
	b->fds_before = count_fds(b->pid);
	return 0;
}

static void add_clients(struct bench *b)
{
	int n = 0;

	for (int k = 0; k < NKIND; k++)
		n += b->nkind[k];
	b->cl = calloc((size_t)n, sizeof *b->cl);
	for (int k = 0; k < NKIND; k++)
		for (int i = 0; i < b->nkind[k]; i++) {
			struct client *c = &b->cl[b->ncl];
			c->kind = (enum kind)k;
			c->fd = -1;
			c->seed = 7919u * (unsigned)(b->ncl + 1) + (unsigned)b->pid;
			c->out = malloc(OUT_CAP);
			c->next_action = b->t0 + (k == K_NORMAL ? 0 : 0.5 + 0.01 * i);
			b->ncl++;
		}
}

static void loop_once(struct bench *b, int timeout_ms)
{
	struct epoll_event ev[512];
	int n = epoll_wait(b->ep, ev, 512, timeout_ms);
	double t;

	for (int i = 0; i < n; i++)
		client_event(b, ev[i].data.ptr, ev[i].events);
	t = clock_now_s();
	if (t >= b->next_tick) {
		b->next_tick = t + TICK_S;
		tick(b, t);
	}
}

/* Lets the normal clients collect what is in flight (at most 15 s), then closes all. */
static void drain(struct bench *b)
{
	double stop = clock_now_s() + 15;
	int busy = 1;

	b->running = 0;
	for (int i = 0; i < b->ncl; i++)
		if (b->cl[i].kind != K_NORMAL && b->cl[i].fd >= 0)
			client_close(&b->cl[i]);
	while (busy && clock_now_s() < stop) {
		loop_once(b, 10);
		busy = 0;
		for (int i = 0; i < b->ncl; i++)
			busy |= b->cl[i].fd >= 0 && b->cl[i].qn > 0;
	}
	for (int i = 0; i < b->ncl; i++) {
		b->drain_lost += b->cl[i].qn;
		client_close(&b->cl[i]);
	}
}

static void run(struct bench *b)
{
	b->ep = epoll_create1(EPOLL_CLOEXEC);
	b->t0 = clock_now_s();
	b->end = b->t0 + b->seconds;
	b->next_sample = b->next_line = b->t0;
	b->running = 1;
	add_clients(b);
	while (clock_now_s() < b->end)
		loop_once(b, 5);
	drain(b);
}

/* ---- command line ---- */

static void usage(FILE *f)
{
	fprintf(f, "usage: bench_load SOCKET [-c CLIENTS] [-t SECONDS] [-p PIPELINE] [--pid PID]\n"
		"  [--regions MEMBERSHIP.csv] [--mix coverage=30,gaps=12,...] [--slow N]\n"
		"  [--slow-rate BYTES_PER_S] [--stalled N] [--partial N] [--silent N]\n"
		"  [--hangup N] [--settle SECONDS]\n");
}

static int parse_mix(struct bench *b, char *spec)
{
	char *tok, *save = NULL;

	memset(b->weight, 0, sizeof b->weight);
	for (tok = strtok_r(spec, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		int m = 0;
		while (m < NMETH && (!eq || strncmp(tok, method_name[m], (size_t)(eq - tok))))
			m++;
		if (m == NMETH)
			return fprintf(stderr, "bench_load: --mix: bad entry %s\n", tok), -1;
		b->weight[m] = (unsigned)atoi(eq + 1);
	}
	return 0;
}

static int parse_args(struct bench *b, int argc, char **argv)
{
	static const struct option opts[] = {
		{"clients", 1, 0, 'c'}, {"seconds", 1, 0, 't'}, {"pipeline", 1, 0, 'p'},
		{"pid", 1, 0, 'P'}, {"regions", 1, 0, 'r'}, {"mix", 1, 0, 'm'},
		{"slow", 1, 0, 's'}, {"slow-rate", 1, 0, 'R'}, {"stalled", 1, 0, 'S'},
		{"partial", 1, 0, 'a'}, {"silent", 1, 0, 'i'}, {"hangup", 1, 0, 'H'},
		{"settle", 1, 0, 'w'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
	static const unsigned mix[NMETH] = {30, 12, 10, 12, 12, 8, 16};
	const char *regions = NULL;
	int o;

	memcpy(b->weight, mix, sizeof mix);
	while ((o = getopt_long(argc, argv, "c:t:p:h", opts, NULL)) != -1) {
		switch (o) {
		case 'c': b->clients = atoi(optarg); break;
		case 't': b->seconds = atof(optarg); break;
		case 'p': b->pipeline = atoi(optarg); break;
		case 'P': b->pid = atoi(optarg); break;
		case 'r': regions = optarg; break;
		case 'm': if (parse_mix(b, optarg) < 0) return -1; break;
		case 's': b->nkind[K_SLOW] = atoi(optarg); break;
		case 'R': b->slow_rate = atof(optarg); break;
		case 'S': b->nkind[K_STALLED] = atoi(optarg); break;
		case 'a': b->nkind[K_PARTIAL] = atoi(optarg); break;
		case 'i': b->nkind[K_SILENT] = atoi(optarg); break;
		case 'H': b->nkind[K_CUTTER] = atoi(optarg); break;
		case 'w': b->settle = atof(optarg); break;
		case 'h': usage(stdout); exit(0);
		default: return -1;
		}
	}
	if (optind != argc - 1)
		return -1;
	b->path = argv[optind];
	b->nkind[K_NORMAL] = b->clients;
	b->pipeline = b->pipeline < 1 ? 1 : b->pipeline > MAX_PIPE ? MAX_PIPE : b->pipeline;
	for (int m = 0; m < NMETH; m++)
		b->wsum += b->weight[m];
	return b->wsum && regions ? read_regions(b, regions) : -1;
}

int main(int argc, char **argv)
{
	static struct bench b = {.clients = 256, .pipeline = 1, .seconds = 60, .settle = 2,
				 .slow_rate = 65536};
	double t0;

	signal(SIGPIPE, SIG_IGN);
	if (parse_args(&b, argc, argv) < 0) {
		usage(stderr);
		return 2;
	}
	if (before(&b) < 0)
		return 1;
	t0 = clock_now_s();
	run(&b);
	t0 = clock_now_s() - t0;
	for (double t = clock_now_s(), stop = t + b.settle; t < stop; t = clock_now_s()) {
		sample_rss(&b, t);
		usleep(50000);
	}
	read_rss(b.pid, &b.rss_after, &b.hwm_after);
	b.fds_after = count_fds(b.pid);
	report(&b, t0);
	return 0;
}
