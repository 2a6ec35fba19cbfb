/* hubctl resilience's table: the residents a selection has covered by no, one and several
 * sites per level, and the ranked local sites whose loss uncovers most, each with what it
 * alone covers and where (docs/protocol.md, "resilience"). Reads the result, never keeps
 * or changes it; a missing member prints as "-". */
#include "client/hubctl_resilience.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "client/hubctl_print.h"
#include "util/fmt.h"

#define NAME_COLS 36                  /* the site column is cut to this many characters */

/* v with thousands separators into buf ("-" for NaN). */
static const char *thousands(char *buf, size_t len, double v, int decimals)
{
	if (isnan(v))
		return strcpy(buf, "-");
	return fmt_thousands(buf, len, v, decimals);
}

/* One row of the level table: residents, their share, vulnerable, weight. */
static void count_row(FILE *out, const char *label, json_t *t)
{
	char res[32], vul[32], w[32];
	fprintf(out, "  %-16s %12s %8.2f%% %11s %12s\n", label,
		thousands(res, sizeof res, ctl_getnum(t, "residents"), 0),
		ctl_getnum(t, "residents_pct"),
		thousands(vul, sizeof vul, ctl_getnum(t, "vulnerable"), 0),
		thousands(w, sizeof w, ctl_getnum(t, "weight"), 0));
}

static void level_table(FILE *out, const char *level, json_t *l)
{
	fprintf(out, "%-18s %12s %9s %11s %12s\n", level, "RESIDENTS", "SHARE", "VULNERABLE",
		"WEIGHT");
	count_row(out, "no site", json_object_get(l, "uncovered"));
	count_row(out, "exactly one site", json_object_get(l, "once"));
	count_row(out, "two or more", json_object_get(l, "twice_or_more"));
}

/* Characters (not bytes) of UTF-8 text. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The first max characters of UTF-8 text s into buf (whole characters only). */
static void cut_chars(char *buf, size_t len, const char *s, size_t max)
{
	size_t n = 0, k = 0;
	for (; s[k] && n <= max && k + 1 < len; k++) {
		n += ((unsigned char)s[k] & 0xC0) != 0x80;
		if (n > max)
			break;
		buf[k] = s[k];
	}
	while (k && ((unsigned char)s[k] & 0xC0) == 0x80)   /* a character cut by len */
		k--;
	buf[k] = '\0';
}

/* "Name" (or "(area centre)") cut to NAME_COLS characters, " *" appended when designated. */
static void site_label(json_t *x, char *buf, size_t len)
{
	json_t *site = json_object_get(x, "site");
	const char *name = json_string_value(json_object_get(site, "name"));
	char origin[48], cut[4 * NAME_COLS + 1];
	if (!name) {
		snprintf(origin, sizeof origin, "(%s)", ctl_getstr(site, "origin"));
		for (char *p = origin; *p; p++)
			*p = *p == '_' ? ' ' : *p;
		name = origin;
	}
	cut_chars(cut, sizeof cut, name, NAME_COLS);
	snprintf(buf, len, "%s%s", cut, json_is_true(json_object_get(x, "designated")) ? " *" : "");
}

/* "Centrum 2,100; Oost 600" for the site's most affected areas. */
static void areas_text(json_t *areas, char *buf, size_t len)
{
	json_t *a;
	size_t i, n = 0;
	char res[32];
	buf[0] = '\0';
	json_array_foreach(areas, i, a) {
		if (n >= len)
			break;
		n += (size_t)snprintf(buf + n, len - n, "%s%s %s", i ? "; " : "",
				      ctl_getstr(a, "name"),
				      thousands(res, sizeof res, ctl_getnum(a, "residents"), 0));
	}
}

static void site_rows(FILE *out, json_t *sites)
{
	json_t *x;
	size_t i;
	char name[4 * NAME_COLS + 8], res[32], vul[32], where[512];
	fprintf(out, "\nsites whose loss uncovers most (* designated; out: serves the selection "
		"from outside)\n");
	fprintf(out, "%4s %6s  %-8s  %-*s %10s %7s %10s  %-3s  %s\n", "RANK", "SEQ", "GEMEENTE",
		NAME_COLS + 2, "SITE", "ALONE", "SHARE", "VULNERABLE", "", "MOST AFFECTED");
	json_array_foreach(sites, i, x) {
		json_t *alone = json_object_get(x, "alone");
		site_label(x, name, sizeof name);
		areas_text(json_object_get(x, "areas"), where, sizeof where);
		fprintf(out, "%4.0f %6.0f  %-8s  %-*s %10s %6.2f%% %10s  %-3s  %s\n",
			ctl_getnum(x, "rank"), ctl_getnum(x, "site.seq"), ctl_getstr(x, "site.gemeente"),
			NAME_COLS + 2 + (int)(strlen(name) - chars(name)), name,
			thousands(res, sizeof res, ctl_getnum(alone, "residents"), 0),
			ctl_getnum(alone, "residents_pct"),
			thousands(vul, sizeof vul, ctl_getnum(alone, "vulnerable"), 0),
			json_is_true(json_object_get(x, "inside")) ? "" : "out", where);
	}
}

void ctl_print_resilience(json_t *r, FILE *out)
{
	char res[32];
	json_t *local = json_object_get(r, "local"), *sites = json_object_get(r, "sites");
	fprintf(out, "%-22s %s (plan #%.0f)\n", "selection", ctl_getstr(r, "region"),
		ctl_getnum(r, "plan_id"));
	fprintf(out, "%-22s %12s\n", "residents",
		thousands(res, sizeof res, ctl_getnum(local, "total.residents"), 0));
	fprintf(out, "%-22s %12.0f\n", "local sites inside", ctl_getnum(r, "local_sites"));
	fprintf(out, "%-22s %12.0f\n\n", "sites covering alone", ctl_getnum(r, "sole_sites"));
	level_table(out, "LOCAL", local);
	level_table(out, "REGIONAL", json_object_get(r, "regional"));
	if (json_array_size(sites))
		site_rows(out, sites);
}
