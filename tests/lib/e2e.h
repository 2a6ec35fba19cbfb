/* End-to-end helpers: start the real hubplannerd on a temporary socket, database and config
 * file, talk JSON-RPC lines to it with timeouts, stop it with SIGTERM and collect its exit
 * status and stderr, optionally under a wrapper such as valgrind (HUB_TEST_WRAPPER).
 * Test-only code, compiled into the test by including e2e.c. Functions named e2e_try_* never
 * assert (safe in forked children); the others fail the running test. */
#ifndef HUB_E2E_H
#define HUB_E2E_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

/* Every deadline: 30 s, times HUB_TEST_TIMEOUT_SCALE (default 10 when HUB_TEST_WRAPPER is
 * set, else 1). */
#define E2E_TIMEOUT_MS (e2e_timeout_ms())
int e2e_timeout_ms(void);

struct e2e_daemon {
	pid_t pid;                    /* 0 once stopped */
	char conf[300], sock[300], errlog[300];
};

/* One connection; buf holds bytes read past the last returned line. */
struct e2e_client {
	int fd;
	char *buf;
	size_t len, cap;
	long next_id;
};

/* Writes a config file: [store] database, [daemon] socket and daemon_extra, [proj] grid_dir
 * = proj_dir, [plan] plan_extra. The extras are "key = value\n" lines, or "". */
void e2e_write_config(const char *path, const char *db, const char *sock, const char *proj_dir,
		      const char *daemon_extra, const char *plan_extra);

/* Starts `bin -c d->conf` with stdin from /dev/null and stdout and stderr into d->errlog,
 * then waits (E2E_TIMEOUT_MS) until it answers "status" on d->sock. When the environment
 * has HUB_TEST_WRAPPER (words split on spaces, e.g. "valgrind --error-exitcode=99"), the
 * daemon runs as `WRAPPER... bin -c d->conf`, in the same process (d->pid). */
void e2e_start(struct e2e_daemon *d, const char *bin);

/* Sends SIGTERM and waits (E2E_TIMEOUT_MS, then SIGKILL). The exit code, or 128 + signal. */
int e2e_stop(struct e2e_daemon *d);
/* The same without sending a signal. */
int e2e_wait_exit(struct e2e_daemon *d);

/* The daemon's stderr so far (malloc'd, never NULL). */
char *e2e_log(const struct e2e_daemon *d);

/* Waits up to ms for the daemon's stderr to contain needle: 1 found, 0 not. */
int e2e_wait_log(const struct e2e_daemon *d, const char *needle, int ms);

/* The first process whose parent is ppid (from /proc), or -1. */
pid_t e2e_child_of(pid_t ppid);

/* Connects (no assertion): 0 or -errno. */
int e2e_try_connect(struct e2e_client *c, const char *sock);
void e2e_connect(struct e2e_client *c, const char *sock);
void e2e_close(struct e2e_client *c);

/* Writes all len bytes: 0 or -errno (EPIPE when the daemon has closed). */
int e2e_try_write(struct e2e_client *c, const void *data, size_t len);
/* Writes text and a '\n'. */
void e2e_send(struct e2e_client *c, const char *text);

/* Reads one reply line within ms into *line (malloc'd, without '\n'): 1, or 0 at EOF (also
 * ECONNRESET), or -ETIMEDOUT. */
int e2e_try_read_line(struct e2e_client *c, int ms, char **line);
/* The next reply, parsed; NULL at EOF or timeout. */
json_t *e2e_recv(struct e2e_client *c);

/* JSON from text with ' for " (for readable literals), printf-style. Asserts it parses. */
json_t *e2e_json(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Sends {"jsonrpc":"2.0","id":N,"method":method,"params":params} (params from e2e_json's
 * format; NULL for none) and returns the reply, asserting its id is N. */
json_t *e2e_call(struct e2e_client *c, const char *method, const char *params, ...)
	__attribute__((format(printf, 3, 4)));

/* The reply's "result" (a new reference), asserting there is one. Takes the reply. */
json_t *e2e_result(json_t *reply);

/* Asserts the reply is an error with code and a message containing needle. Takes it. */
void e2e_expect_error(json_t *reply, int code, const char *needle);

/* The value at a dotted path ("local.nearest.0.properties.distance_m"), asserting it exists. */
json_t *e2e_get(json_t *v, const char *path);
double e2e_num(json_t *v, const char *path);
const char *e2e_str(json_t *v, const char *path);

#endif
