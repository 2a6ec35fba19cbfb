/* What the hubctl files share: its extra exit codes, the state of one run (struct ctl), the
 * command table's entry, the connection to hubplannerd (hubctl_conn.c) and the words of the
 * command line (hubctl_words.c). Used by the hubctl files only; the daemon and the
 * libraries must not include it. */
#ifndef HUB_HUBCTL_H
#define HUB_HUBCTL_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "config/cli.h"
#include "config/config.h"
#include "util/lang.h"

/* Exit codes beyond cli.h's 0-3. */
enum {
	EXIT_CONNECT = 4,             /* cannot connect to (or talk to) the daemon */
	EXIT_RECOMPUTE = 5,           /* recompute --wait: the recompute failed */
};

#define ERRLEN 8192

struct command;

/* One run of hubctl: the options, the words and the connection. Zero it and set fd to -1
 * before use; ctl_close() releases what it owns. */
struct ctl {
	struct cli_common common;
	struct config cfg;
	const struct command *cmd;
	int json, rd, wait, k, worst;  /* k 0 and worst -1: the daemon's default */
	enum lang lang;               /* of the human output: --lang, else the locale */
	int limit;                    /* resilience -n; -1: the daemon's default */
	double timeout_s;
	const char *bbox, *geojson_file, *level, *output, *format;
	const char *note;             /* designate/reject/release --note */
	char scope[16];               /* export/report --region, upper case; "" = the nation */
	json_t *add, *remove;         /* whatif arrays, owned */
	json_t *fail;                 /* whatif's failed area {"region"} or {"polygon"}, owned */
	int npos;                     /* the words after the command and its options */
	char **pos;
	int fd;                       /* the connection, -1 before connecting */
	long long next_id;
	char *buf;                    /* received bytes not yet consumed */
	size_t len, cap;
	int rpc_code;                 /* the last JSON-RPC error code, 0 none */
	char rpc_message[1024];
};

struct command {
	const char *name, *method;    /* method NULL: not a daemon call */
	unsigned opts;                /* O_* (hubctl.c) accepted */
	const char *synopsis;
	int (*build)(struct ctl *c, json_t *params);   /* 0 or EXIT_USAGE (printed) */
	int (*run)(struct ctl *c, json_t *params);     /* the exit code */
	void (*print)(json_t *result, FILE *out);      /* the table; NULL: a short note */
};

/* One request and its reply over c's connection, connecting first if needed: 0 and *result,
 * or an exit code with *result NULL. *result is a new reference: the caller frees it with
 * json_decref(). params is borrowed and may be NULL. A JSON-RPC error is left in
 * c->rpc_code and c->rpc_message (not printed); other failures are printed. */
int ctl_call(struct ctl *c, const char *method, json_t *params, json_t **result);

/* ctl_call() that also prints a JSON-RPC error as "hubctl: CODE: message". Same ownership. */
int ctl_request(struct ctl *c, const char *method, json_t *params, json_t **result);

/* recompute --wait: starts a recompute (or joins the running one) and follows it, showing
 * progress, until its plan is served; the exit code. When the recompute was judged (0 or
 * EXIT_RECOMPUTE), *status is the daemon's last status, a new reference the caller frees with
 * json_decref(); otherwise NULL. Prints progress and errors, never the status itself. */
int ctl_run_recompute(struct ctl *c, json_t **status);

/* ---- hubctl_words.c ---- */

/* Writes the --help text to out. */
void ctl_usage(FILE *out);

/* Prints "hubctl CMD: message" and the command's synopsis to stderr; returns EXIT_USAGE. */
int ctl_usage_error(const struct ctl *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A finite number, the whole word: 0 and *v, or -1. */
int ctl_parse_number(const char *s, double *v);

/* A whole-word integer in lo..hi: 0 and *v, or -1. */
int ctl_parse_int(const char *s, long lo, long hi, int *v);

/* Exactly n comma-separated numbers ("52.09,5.12"): 0 and v[0..n), or -1. */
int ctl_parse_numbers(const char *s, double *v, int n);

/* {"x", "y"} (rd) or {"lat", "lon"}: a new reference, NULL when out of memory. */
json_t *ctl_point_json(int rd, double a, double b);

/* 1 when lat/lon would be valid the other way round (a common slip). */
int ctl_swapped(double lat, double lon);

/* Closes the connection (if fd is not -1) and frees what c owns: the receive buffer and the
 * whatif arrays; the rest of c is borrowed. Call it once, at the end of the run. */
void ctl_close(struct ctl *c);


#endif
