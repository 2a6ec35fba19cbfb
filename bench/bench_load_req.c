/* bench_load's requests and replies: requests for every read method with points, boxes and
 * GMnnnn/VRnn codes drawn from the real Dutch data (never one whose right answer is an error),
 * the JSON-RPC check of each reply, and the recompute seen through status replies. Sends
 * nothing itself. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_load.h"

const char *const method_name[NMETH] = {"coverage", "gaps", "stats", "sites", "whatif",
					"suggest", "status"};

static double urand(unsigned *seed, double lo, double hi)
{
	return lo + (hi - lo) * ((double)rand_r(seed) / RAND_MAX);
}

static int rd_point(unsigned *s, char *buf, size_t n)
{
	if (rand_r(s) % 2)
		return snprintf(buf, n, "{\"x\":%.1f,\"y\":%.1f}", urand(s, 13000, 278000),
				urand(s, 306000, 620000));
	return snprintf(buf, n, "{\"lat\":%.6f,\"lon\":%.6f}", urand(s, 50.75, 53.55),
			urand(s, 3.36, 7.22));
}

static const char *pick_code(struct bench *b, unsigned *s, int vr_share_pct)
{
	if ((int)(rand_r(s) % 100) < vr_share_pct || b->ngm == 0)
		return b->vr[rand_r(s) % (unsigned)b->nvr];
	return b->gm[rand_r(s) % (unsigned)b->ngm];
}

/* A box of 1..size_km km on a side inside the Netherlands, in RD or in degrees. */
static int bbox(unsigned *s, double size_km, char *buf, size_t n)
{
	if (rand_r(s) % 4) {
		double x = urand(s, 13000, 260000), y = urand(s, 306000, 600000);
		return snprintf(buf, n, "\"bbox\":[%.0f,%.0f,%.0f,%.0f]", x, y,
				x + urand(s, 1000, size_km * 1000), y + urand(s, 1000, size_km * 1000));
	}
	double la = urand(s, 50.8, 53.3), lo = urand(s, 3.4, 7.0);
	return snprintf(buf, n, "\"bbox\":{\"south\":%.5f,\"west\":%.5f,\"north\":%.5f,"
			"\"east\":%.5f}", la, lo, la + urand(s, 0.01, size_km / 111),
			lo + urand(s, 0.015, size_km / 68));
}

/* A selection: a box (box_pct % of the time) or a code, VRnn vr_pct % of the codes. */
static int selection(struct bench *b, unsigned *s, int box_pct, int vr_pct, char *buf, size_t n)
{
	if ((int)(rand_r(s) % 100) < box_pct)
		return bbox(s, 20, buf, n);
	return snprintf(buf, n, "\"region\":\"%s\"", pick_code(b, s, vr_pct));
}

/* "add" with 1..3 points and "remove" with 0..2 distinct local seqs of the plan. */
static int whatif_params(struct bench *b, unsigned *s, char *buf, size_t n)
{
	int len = snprintf(buf, n, "\"add\":["), adds = 1 + rand_r(s) % 3, rems = rand_r(s) % 3;
	long first = 1 + rand_r(s) % (unsigned)b->nlocal;

	for (int i = 0; i < adds; i++) {
		len += snprintf(buf + len, n - (size_t)len, "%s", i ? "," : "");
		len += rd_point(s, buf + len, n - (size_t)len);
	}
	len += snprintf(buf + len, n - (size_t)len, "],\"remove\":[");
	for (int i = 0; i < rems && i < b->nlocal; i++)
		len += snprintf(buf + len, n - (size_t)len, "%s%ld", i ? "," : "",
				1 + (first - 1 + i) % b->nlocal);
	return len + snprintf(buf + len, n - (size_t)len, "]");
}

static int params_of(struct bench *b, unsigned *s, int m, char *p, size_t n)
{
	int len;

	switch (m) {
	case M_COVERAGE:
		len = snprintf(p, n, "\"point\":");
		len += rd_point(s, p + len, n - (size_t)len);
		return len + snprintf(p + len, n - (size_t)len, ",\"k\":%d", 1 + rand_r(s) % 5);
	case M_GAPS:
		len = selection(b, s, 25, 20, p, n);
		return len + snprintf(p + len, n - (size_t)len, ",\"worst\":%d,\"geojson\":%s",
				      rand_r(s) % 21, rand_r(s) % 10 ? "false" : "true");
	case M_STATS:
		if (rand_r(s) % 5)
			return snprintf(p, n, "\"region\":\"%s\"", pick_code(b, s, 40));
		p[0] = '\0';   /* the nation */
		return 0;
	case M_SITES:
		len = selection(b, s, 25, 15, p, n);
		return len + snprintf(p + len, n - (size_t)len, "%s", rand_r(s) % 3 == 0 ?
				      ",\"level\":\"local\"" : rand_r(s) % 2 ? ",\"level\":\"regional\"" : "");
	case M_WHATIF:
		return whatif_params(b, s, p, n);
	case M_SUGGEST:
		len = selection(b, s, 20, 10, p, n);
		return len + snprintf(p + len, n - (size_t)len, ",\"k\":%d", 1 + rand_r(s) % 10);
	default:
		p[0] = '\0';
		return 0;
	}
}

int pick_method(struct bench *b, unsigned *s)
{
	unsigned r = (unsigned)rand_r(s) % b->wsum;
	int m = 0;

	while (r >= b->weight[m])
		r -= b->weight[m++];
	return m;
}

/* One request line, with its '\n'. */
int make_request(struct bench *b, unsigned *s, int m, long id, char *buf, size_t n)
{
	char p[1024];

	params_of(b, s, m, p, sizeof p);
	return snprintf(buf, n, "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"%s\",\"params\":{%s}}\n",
			id, method_name[m], p);
}

__attribute__((format(printf, 4, 5)))
static int why_fail(char *why, size_t n, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return rc;
}

/* 0: {"jsonrpc":"2.0","result":{..},"id":id} in plain ASCII (*res gets the result when res is
 * given); 1: a well-formed error reply; -1: a protocol error. why says what was wrong. */
int check_reply(const char *line, size_t len, long id, json_t **res, char *why, size_t n)
{
	json_error_t je;
	json_t *r, *jid, *result, *err;
	const char *v;
	int rc = 0;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)line[i] >= 0x80 || (unsigned char)line[i] < 0x20)
			return why_fail(why, n, -1, "byte 0x%02x at %zu", (unsigned char)line[i], i);
	if (!(r = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je)))
		return why_fail(why, n, -1, "not JSON: %s", je.text);
	jid = json_object_get(r, "id");
	result = json_object_get(r, "result");
	err = json_object_get(r, "error");
	v = json_string_value(json_object_get(r, "jsonrpc"));
	if (!json_is_object(r) || !v || strcmp(v, "2.0") || json_object_size(r) != 3)
		rc = why_fail(why, n, -1, "bad envelope");
	else if (!json_is_integer(jid) || json_integer_value(jid) != id)
		rc = why_fail(why, n, -1, "id is not %ld", id);
	else if (err)
		rc = why_fail(why, n, 1, "%lld %s",
			      (long long)json_integer_value(json_object_get(err, "code")),
			      json_string_value(json_object_get(err, "message")));
	else if (!json_is_object(result))
		rc = why_fail(why, n, -1, "result is not an object");
	if (rc == 0 && res)
		*res = json_incref(result);
	json_decref(r);
	return rc;
}

/* Follows the recompute through status replies: starts, finishes, durations, plan ids. */
void track_status(struct bench *b, json_t *res)
{
	json_t *rc = json_object_get(res, "recompute");
	const char *fin = json_string_value(json_object_get(rc, "finished_at"));
	json_int_t plan = json_integer_value(json_object_get(json_object_get(res, "plan"), "plan_id"));
	int running = json_is_true(json_object_get(rc, "running"));

	if (running && !b->rc_running && b->running)
		b->rc_starts++;
	b->rc_running = running;
	if (plan && (!b->plan_min || plan < b->plan_min))
		b->plan_min = plan;
	if (plan > b->plan_max)
		b->plan_max = plan;
	if (fin && strcmp(fin, b->rc_finished) != 0) {
		if (b->t0 > 0 && b->nrc < 64) {   /* not the one finished before the run */
			b->rc_dur[b->nrc] = json_number_value(json_object_get(rc, "duration_s"));
			b->rc_ok[b->nrc++] = json_is_string(res = json_object_get(rc, "last_result")) &&
					     strcmp(json_string_value(res), "ok") == 0;
		}
		snprintf(b->rc_finished, sizeof b->rc_finished, "%s", fin);
	}
}

/* GMnnnn and VRnn codes from the membership CSV (gemeentecode,..,veiligheidsregiocode,..). */
int read_regions(struct bench *b, const char *csv)
{
	char line[512], gm[5], vr[3];
	FILE *f = fopen(csv, "r");

	if (!f)
		return perror(csv), -1;
	b->gm = calloc(4096, sizeof *b->gm);
	b->vr = calloc(64, sizeof *b->vr);
	while (fgets(line, sizeof line, f) && b->ngm < 4096)
		if (sscanf(line, "GM%4[0-9],%*[^,],VR%2[0-9]", gm, vr) == 2) {
			snprintf(b->gm[b->ngm++], 8, "GM%s", gm);
			int k = 0;
			while (k < b->nvr && strcmp(b->vr[k] + 2, vr))
				k++;
			if (k == b->nvr && b->nvr < 64)
				snprintf(b->vr[b->nvr++], 8, "VR%s", vr);
		}
	fclose(f);
	return b->ngm && b->nvr ? 0 : (fprintf(stderr, "%s: no memberships\n", csv), -1);
}
