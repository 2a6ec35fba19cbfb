/* hubctl resilience's table: the residents a selection has covered by no, one and several
 * sites per level, and the ranked local sites whose loss uncovers most, each with what it
 * alone covers and where (docs/protocol.md, "resilience"), in the printers' language.
 * Reads the result, never keeps or changes it; a missing member prints as "-". */
#include "client/hubctl_resilience.h"

#include <stdio.h>
#include <string.h>

#include "client/hubctl_print.h"
#include "client/hubctl_table.h"
#include "util/fmt.h"

#define NAME_COLS 36                  /* the site column is cut to this many characters */

/* v in the language's number format into buf ("-" for NaN). */
static const char *thousands(char *buf, size_t len, double v, int decimals)
{
	return fmt_number(buf, len, v, decimals, ctl_print_lang());
}

/* One row of the level table: residents, their share, vulnerable, weight. */
static void count_row(FILE *out, const char *label, json_t *t)
{
	char res[32], vul[32], w[32];
	fputs("  ", out);
	ctl_pad(out, label, 16);
	fprintf(out, " %12s %9s %11s %12s\n",
		thousands(res, sizeof res, ctl_getnum(t, "residents"), 0),
		ctl_pct(ctl_getnum(t, "residents_pct")),
		thousands(vul, sizeof vul, ctl_getnum(t, "vulnerable"), 0),
		thousands(w, sizeof w, ctl_getnum(t, "weight"), 0));
}

static void level_table(FILE *out, const char *level, json_t *l)
{
	ctl_pad(out, level, 18);
	fprintf(out, " %12s %9s %11s %12s\n", CTL_T(HT_H_RESIDENTS), CTL_T(HT_H_SHARE),
		CTL_T(HT_H_VULNERABLE), CTL_T(HT_H_WEIGHT));
	count_row(out, CTL_T(HT_NO_SITE), json_object_get(l, "uncovered"));
	count_row(out, CTL_T(HT_ONE_SITE), json_object_get(l, "once"));
	count_row(out, CTL_T(HT_TWO_OR_MORE), json_object_get(l, "twice_or_more"));
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
	if (!name && strcmp(ctl_getstr(site, "origin"), "area_centre") == 0)
		name = CTL_T(HT_ORIGIN_AREA_CENTRE);
	else if (!name && strcmp(ctl_getstr(site, "origin"), "cell_block") == 0)
		name = CTL_T(HT_ORIGIN_CELL_BLOCK);
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
	const char *outside = CTL_T(HT_OUT);
	int ow = (int)ctl_text_width(outside) > 3 ? (int)ctl_text_width(outside) : 3;
	fputs(CTL_T(HT_LOSS_TITLE), out);
	fprintf(out, "%4s %6s  %-8s  ", CTL_T(HT_H_RANK), CTL_T(HT_H_SEQ), CTL_T(HT_H_GEMEENTE));
	ctl_pad(out, CTL_T(HT_H_SITE), NAME_COLS + 2);
	fprintf(out, " %10s %7s %10s  %-*s  %s\n", CTL_T(HT_H_ALONE), CTL_T(HT_H_SHARE),
		CTL_T(HT_H_VULNERABLE), ow, "", CTL_T(HT_H_MOST_AFFECTED));
	json_array_foreach(sites, i, x) {
		json_t *alone = json_object_get(x, "alone");
		site_label(x, name, sizeof name);
		areas_text(json_object_get(x, "areas"), where, sizeof where);
		fprintf(out, "%4.0f %6.0f  %-8s  %-*s %10s %7s %10s  %-*s  %s\n",
			ctl_getnum(x, "rank"), ctl_getnum(x, "site.seq"), ctl_getstr(x, "site.gemeente"),
			NAME_COLS + 2 + (int)(strlen(name) - ctl_text_width(name)), name,
			thousands(res, sizeof res, ctl_getnum(alone, "residents"), 0),
			ctl_pct(ctl_getnum(alone, "residents_pct")),
			thousands(vul, sizeof vul, ctl_getnum(alone, "vulnerable"), 0), ow,
			json_is_true(json_object_get(x, "inside")) ? "" : outside, where);
	}
}

void ctl_print_resilience(json_t *r, FILE *out)
{
	char res[32];
	json_t *local = json_object_get(r, "local"), *sites = json_object_get(r, "sites");
	ctl_kv(out, CTL_T(HT_SELECTION), CTL_T(HT_PLAN_N), ctl_getstr(r, "region"),
	       ctl_num(ctl_getnum(r, "plan_id"), 0));
	ctl_kv(out, CTL_T(HT_RESIDENTS), "%12s",
	       thousands(res, sizeof res, ctl_getnum(local, "total.residents"), 0));
	ctl_kv(out, CTL_T(HT_LOCAL_INSIDE), "%12s", ctl_num(ctl_getnum(r, "local_sites"), 0));
	ctl_kv(out, CTL_T(HT_SOLE_SITES), "%12s\n", ctl_num(ctl_getnum(r, "sole_sites"), 0));
	level_table(out, CTL_T(HT_H_LOCAL), local);
	level_table(out, CTL_T(HT_H_REGIONAL), json_object_get(r, "regional"));
	if (json_array_size(sites))
		site_rows(out, sites);
}
