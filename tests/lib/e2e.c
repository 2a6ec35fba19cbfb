/* End-to-end helpers (see e2e.h): the daemon as a child process, line-based JSON-RPC
 * clients with deadlines, and path lookups in replies. Included by the e2e test, which
 * includes cmocka first and defines _DEFAULT_SOURCE. Test-only code. */
#include "tests/lib/e2e.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double e2e_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void e2e_sleep_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

/* ---- the daemon process ---- */

void e2e_write_config(const char *path, const char *db, const char *sock, const char *proj_dir,
		      const char *daemon_extra, const char *plan_extra)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "[store]\ndatabase = %s\n\n[daemon]\nsocket = %s\n%s\n[proj]\ngrid_dir = %s\n\n"
		"[plan]\n%s", db, sock, daemon_extra, proj_dir, plan_extra);
	assert_int_equal(fclose(f), 0);
}

int e2e_timeout_ms(void)
{
	static int ms;
	if (!ms) {
		const char *scale = getenv("HUB_TEST_TIMEOUT_SCALE");
		const char *wrapper = getenv("HUB_TEST_WRAPPER");
		int k = scale ? atoi(scale) : wrapper && *wrapper ? 10 : 1;
		ms = 30000 * (k > 0 ? k : 1);
	}
	return ms;
}

/* In the forked child: execs `HUB_TEST_WRAPPER... bin -c conf`; never returns. */
static void e2e_exec_wrapped(const char *wrapper, const char *bin, const char *conf)
{
	char *words = strdup(wrapper), *argv[64], *save = NULL;
	int n = 0;
	if (!words)
		_exit(126);
	for (char *w = strtok_r(words, " ", &save); w && n < 60; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n++] = (char *)bin;
	argv[n++] = "-c";
	argv[n++] = (char *)conf;
	argv[n] = NULL;
	execvp(argv[0], argv);
	_exit(127);
}

static void e2e_exec(const struct e2e_daemon *d, const char *bin)
{
	const char *wrapper = getenv("HUB_TEST_WRAPPER");
	int in = open("/dev/null", O_RDONLY);
	int out = open(d->errlog, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(126);
	signal(SIGPIPE, SIG_DFL);
	if (wrapper && *wrapper)
		e2e_exec_wrapped(wrapper, bin, d->conf);
	execl(bin, "hubplannerd", "-c", d->conf, (char *)NULL);
	_exit(127);
}

/* 1 when the daemon answers a status request within ms. */
static int e2e_answers(const struct e2e_daemon *d, int ms)
{
	struct e2e_client c;
	char *line = NULL;
	static const char req[] = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"status\"}\n";
	if (e2e_try_connect(&c, d->sock) < 0)
		return 0;
	int ok = e2e_try_write(&c, req, sizeof req - 1) == 0 &&
		 e2e_try_read_line(&c, ms, &line) == 1 && strstr(line, "\"result\"");
	free(line);
	e2e_close(&c);
	return ok;
}

void e2e_start(struct e2e_daemon *d, const char *bin)
{
	double deadline = e2e_now_ms() + E2E_TIMEOUT_MS;
	int status;
	unlink(d->sock);
	d->pid = fork();
	assert_true(d->pid >= 0);
	if (d->pid == 0)
		e2e_exec(d, bin);
	while (e2e_now_ms() < deadline) {
		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			char *log = e2e_log(d);
			d->pid = 0;
			fail_msg("hubplannerd exited at start (status %d):\n%s", status, log);
		}
		if (e2e_answers(d, (int)(deadline - e2e_now_ms())))
			return;
		e2e_sleep_ms(20);
	}
	fail_msg("hubplannerd did not answer on %s within %d ms", d->sock, E2E_TIMEOUT_MS);
}

int e2e_stop(struct e2e_daemon *d)
{
	if (d->pid <= 0)
		return -1;
	kill(d->pid, SIGTERM);
	return e2e_wait_exit(d);
}

int e2e_wait_exit(struct e2e_daemon *d)
{
	double deadline = e2e_now_ms() + E2E_TIMEOUT_MS;
	int status = 0;
	if (d->pid <= 0)
		return -1;
	while (waitpid(d->pid, &status, WNOHANG) == 0) {
		if (e2e_now_ms() > deadline) {
			kill(d->pid, SIGKILL);
			waitpid(d->pid, &status, 0);
			break;
		}
		e2e_sleep_ms(10);
	}
	d->pid = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

char *e2e_log(const struct e2e_daemon *d)
{
	FILE *f = fopen(d->errlog, "r");
	size_t cap = 4096, len = 0, n;
	char *s = malloc(cap);
	assert_non_null(s);
	while (f && (n = fread(s + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 1024) {
			s = realloc(s, cap *= 2);
			assert_non_null(s);
		}
	}
	if (f)
		fclose(f);
	s[len] = '\0';
	return s;
}

int e2e_wait_log(const struct e2e_daemon *d, const char *needle, int ms)
{
	double deadline = e2e_now_ms() + ms;
	for (;;) {
		char *log = e2e_log(d);
		int found = strstr(log, needle) != NULL;
		free(log);
		if (found || e2e_now_ms() > deadline)
			return found;
		e2e_sleep_ms(20);
	}
}

/* The parent pid in /proc/PID/stat: the fourth field, after the ")" that ends the name. */
static pid_t e2e_ppid_of(const char *pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%s/stat", pid);
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	int ppid = -1;
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

pid_t e2e_child_of(pid_t ppid)
{
	DIR *dir = opendir("/proc");
	struct dirent *e;
	pid_t found = -1;
	while (dir && found < 0 && (e = readdir(dir)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && e2e_ppid_of(e->d_name) == ppid)
			found = (pid_t)atoi(e->d_name);
	if (dir)
		closedir(dir);
	return found;
}

/* ---- clients ---- */

int e2e_try_connect(struct e2e_client *c, const char *sock)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	memset(c, 0, sizeof *c);
	c->next_id = 1;
	size_t len = strlen(sock);
	c->fd = -1;
	if (len >= sizeof a.sun_path)
		return -ENAMETOOLONG;
	memcpy(a.sun_path, sock, len + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (c->fd < 0)
		return -errno;
	if (connect(c->fd, (struct sockaddr *)&a, sizeof a) < 0) {
		int rc = -errno;
		close(c->fd);
		c->fd = -1;
		return rc;
	}
	return 0;
}

void e2e_connect(struct e2e_client *c, const char *sock)
{
	int rc = e2e_try_connect(c, sock);
	if (rc < 0)
		fail_msg("connect %s: %s", sock, strerror(-rc));
}

void e2e_close(struct e2e_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
	c->len = c->cap = 0;
}

int e2e_try_write(struct e2e_client *c, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void e2e_send(struct e2e_client *c, const char *text)
{
	size_t n = strlen(text);
	char *line = malloc(n + 1);
	assert_non_null(line);
	memcpy(line, text, n);
	line[n] = '\n';
	int rc = e2e_try_write(c, line, n + 1);
	free(line);
	if (rc < 0)
		fail_msg("send: %s", strerror(-rc));
}

/* Moves the first buffered line into *line: 1, or 0 when no '\n' is buffered yet. */
static int e2e_take_line(struct e2e_client *c, char **line)
{
	char *nl = c->len ? memchr(c->buf, '\n', c->len) : NULL;
	if (!nl)
		return 0;
	size_t n = (size_t)(nl - c->buf);
	*line = malloc(n + 1);
	if (!*line)
		abort();
	memcpy(*line, c->buf, n);
	(*line)[n] = '\0';
	memmove(c->buf, nl + 1, c->len - n - 1);
	c->len -= n + 1;
	return 1;
}

/* One read into the buffer: > 0 bytes, 0 EOF, or -errno. */
static ssize_t e2e_fill(struct e2e_client *c)
{
	if (c->cap - c->len < 65536) {
		char *b = realloc(c->buf, c->cap + 131072);
		if (!b)
			abort();
		c->buf = b;
		c->cap += 131072;
	}
	ssize_t n = read(c->fd, c->buf + c->len, c->cap - c->len);
	if (n < 0)
		return errno == ECONNRESET ? 0 : -errno;
	c->len += (size_t)n;
	return n;
}

int e2e_try_read_line(struct e2e_client *c, int ms, char **line)
{
	double deadline = e2e_now_ms() + ms;
	*line = NULL;
	for (;;) {
		if (e2e_take_line(c, line))
			return 1;
		int left = (int)(deadline - e2e_now_ms());
		struct pollfd p = {c->fd, POLLIN, 0};
		if (left <= 0)
			return -ETIMEDOUT;
		int r = poll(&p, 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 ? -ETIMEDOUT : -errno;
		ssize_t n = e2e_fill(c);
		if (n == 0)
			return 0;
		if (n < 0 && n != -EINTR)
			return (int)n;
	}
}

json_t *e2e_recv(struct e2e_client *c)
{
	char *line;
	json_error_t je;
	int rc = e2e_try_read_line(c, E2E_TIMEOUT_MS, &line);
	if (rc != 1)
		return NULL;
	json_t *v = json_loads(line, 0, &je);
	if (!v)
		print_error("unparsable reply (%s): %.300s\n", je.text, line);
	free(line);
	return v;
}

/* ---- requests and replies ---- */

static json_t *e2e_vjson(const char *fmt, va_list ap)
{
	json_error_t je;
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	char *text = malloc((size_t)n + 1);
	assert_non_null(text);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	for (char *p = text; *p; p++)
		if (*p == '\'')
			*p = '"';
	json_t *v = json_loads(text, JSON_DECODE_ANY, &je);
	if (!v)
		fail_msg("bad JSON in the test (%s): %s", je.text, text);
	free(text);
	return v;
}

json_t *e2e_json(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_t *v = e2e_vjson(fmt, ap);
	va_end(ap);
	return v;
}

json_t *e2e_call(struct e2e_client *c, const char *method, const char *params, ...)
{
	long id = c->next_id++;
	json_t *req = json_pack("{s:s, s:i, s:s}", "jsonrpc", "2.0", "id", (int)id, "method", method);
	if (params) {
		va_list ap;
		va_start(ap, params);
		json_object_set_new(req, "params", e2e_vjson(params, ap));
		va_end(ap);
	}
	char *text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	e2e_send(c, text);
	free(text);
	json_t *reply = e2e_recv(c);
	if (!reply)
		fail_msg("%s: no reply within %d ms", method, E2E_TIMEOUT_MS);
	assert_int_equal(json_integer_value(json_object_get(reply, "id")), id);
	return reply;
}

json_t *e2e_result(json_t *reply)
{
	json_t *r = json_incref(json_object_get(reply, "result"));
	if (!r) {
		char *text = json_dumps(reply, JSON_COMPACT);
		print_error("expected a result, got %.500s\n", text);
		free(text);
		json_decref(reply);
		fail();
	}
	json_decref(reply);
	return r;
}

void e2e_expect_error(json_t *reply, int code, const char *needle)
{
	json_t *e = json_object_get(reply, "error");
	const char *msg = json_string_value(json_object_get(e, "message"));
	char *text = json_dumps(reply, JSON_COMPACT);
	int ok = e && json_integer_value(json_object_get(e, "code")) == code && msg &&
		 strstr(msg, needle);
	if (!ok)
		print_error("expected error %d mentioning \"%s\", got %.500s\n", code, needle, text);
	free(text);
	json_decref(reply);
	assert_true(ok);
}

json_t *e2e_get(json_t *v, const char *path)
{
	char key[128];
	const char *p = path;
	json_t *cur = v;
	while (cur && *p) {
		size_t n = strcspn(p, ".");
		snprintf(key, sizeof key, "%.*s", (int)n, p);
		cur = json_is_array(cur) ? json_array_get(cur, strtoul(key, NULL, 10))
					 : json_object_get(cur, key);
		p += n + (p[n] == '.');
	}
	if (!cur) {
		char *text = json_dumps(v, JSON_COMPACT);
		print_error("no \"%s\" in %.600s\n", path, text);
		free(text);
		fail();
	}
	return cur;
}

double e2e_num(json_t *v, const char *path)
{
	json_t *n = e2e_get(v, path);
	if (!json_is_number(n))
		fail_msg("\"%s\" is not a number", path);
	return json_number_value(n);
}

const char *e2e_str(json_t *v, const char *path)
{
	json_t *s = e2e_get(v, path);
	if (!json_is_string(s))
		fail_msg("\"%s\" is not a string", path);
	return json_string_value(s);
}
