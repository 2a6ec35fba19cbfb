/* hubctl's table and number helpers: the chosen output language, numbers in its format,
 * members of a result by dotted path, words for machine values, aligned tables and key-value
 * lines. Knows no method's result; everything goes to the FILE given. Single-threaded
 * (static language and rings). */
#include "client/hubctl_table.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "client/hubctl_print.h"
#include "util/fmt.h"

#define RING 24

static enum lang print_lang = LANG_EN;

void ctl_print_set_lang(enum lang l)
{
	print_lang = l;
}

enum lang ctl_print_lang(void)
{
	return print_lang;
}

/* ---- numbers and members ---- */

const char *ctl_num(double v, int decimals)
{
	static char ring[RING][48];
	static unsigned next;
	char *buf = ring[next++ % RING];
	return fmt_number(buf, sizeof ring[0], v, decimals, print_lang);
}

const char *ctl_pct(double v)
{
	static char ring[RING][56];
	static unsigned next;
	char *buf = ring[next++ % RING];
	if (isnan(v))
		snprintf(buf, sizeof ring[0], "-");
	else
		snprintf(buf, sizeof ring[0], "%s%%", ctl_num(v, 2));
	return buf;
}

const char *ctl_num_at(json_t *o, const char *path, int decimals)
{
	return ctl_num(ctl_getnum(o, path), decimals);
}

const char *ctl_pct_at(json_t *o, const char *path)
{
	return ctl_pct(ctl_getnum(o, path));
}

json_t *ctl_get(json_t *o, const char *path)
{
	char key[128];
	while (o && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		o = json_object_get(o, key);
		path += n + (path[n] == '.');
	}
	return o;
}

double ctl_getnum(json_t *o, const char *path)
{
	json_t *v = ctl_get(o, path);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

const char *ctl_getstr(json_t *o, const char *path)
{
	const char *s = json_string_value(ctl_get(o, path));
	return s ? s : "-";
}

/* ---- words for machine values ---- */

const char *ctl_value_text(const char *value)
{
	static const struct { const char *value, *en, *nl; } words[] = {
		{"local", HT_LOCAL}, {"regional", HT_REGIONAL}, {"total", HT_TOTAL},
		{"designated", HT_DESIGNATED}, {"rejected", HT_REJECTED},
		{"released", HT_RELEASED}, {"starting", HT_PHASE_STARTING},
		{"demand", HT_PHASE_DEMAND}, {"candidates", HT_PHASE_CANDIDATES},
		{"results", HT_PHASE_RESULTS}, {"done", HT_PHASE_DONE},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(value, words[i].value) == 0)
			return print_lang == LANG_NL ? words[i].nl : words[i].en;
	return value;
}

/* ---- tables ---- */

void ctl_table_init(struct ctl_table *t, const char *align)
{
	memset(t, 0, sizeof *t);
	t->align = align;
	t->ncols = strlen(align) < CTL_TABLE_MAX_COLS ? strlen(align) : CTL_TABLE_MAX_COLS;
}

void ctl_table_row(struct ctl_table *t, ...)
{
	va_list ap;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		char **cells = realloc(t->cells, cap * t->ncols * sizeof *cells);
		if (!cells)
			return;
		t->cells = cells;
		t->cap = cap;
	}
	va_start(ap, t);
	for (size_t k = 0; k < t->ncols; k++) {
		const char *s = va_arg(ap, const char *);
		t->cells[t->nrows * t->ncols + k] = strdup(s ? s : "");
	}
	va_end(ap);
	t->nrows++;
}

size_t ctl_text_width(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

void ctl_pad(FILE *out, const char *s, size_t width)
{
	size_t w = ctl_text_width(s);
	fprintf(out, "%s%*s", s, (int)(w < width ? width - w : 0), "");
}

void ctl_table_print(const struct ctl_table *t, FILE *out)
{
	size_t w[CTL_TABLE_MAX_COLS] = {0};
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		if (ctl_text_width(t->cells[i]) > w[i % t->ncols])
			w[i % t->ncols] = ctl_text_width(t->cells[i]);
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t k = 0; k < t->ncols; k++) {
			const char *s = t->cells[r * t->ncols + k] ? t->cells[r * t->ncols + k] : "";
			int pad = (int)(w[k] - ctl_text_width(s)), last = k + 1 == t->ncols;
			if (t->align[k] == 'r')
				fprintf(out, "%*s%s", pad, "", s);
			else
				fprintf(out, "%s%*s", s, last ? 0 : pad, "");
			fputs(last ? "\n" : "  ", out);
		}
}

void ctl_table_free(struct ctl_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

void ctl_table_print_free(struct ctl_table *t, FILE *out)
{
	ctl_table_print(t, out);
	ctl_table_free(t);
}

/* ---- key-value lines ---- */

void ctl_print_plan_line(json_t *r, FILE *out)
{
	ctl_kv(out, CTL_T(HT_PLAN), CTL_T(HT_PLAN_LINE), ctl_num(ctl_getnum(r, "plan_id"), 0),
	   ctl_getstr(r, "created_at"), ctl_getstr(r, "data_version"));
}


void ctl_kv(FILE *out, const char *key, const char *fmt, ...)
{
	va_list ap;
	ctl_pad(out, key, print_lang == LANG_NL ? 26 : 22);
	fputc(' ', out);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

void ctl_kv_num(FILE *out, const char *key, json_t *o, const char *path, int decimals)
{
	double v = ctl_getnum(o, path);
	if (!isnan(v))
		ctl_kv(out, key, "%12s", ctl_num(v, decimals));
}

void ctl_kv_area(FILE *out, const char *key, json_t *a)
{
	if (!json_is_object(a))
		ctl_kv(out, key, "-");
	else
		ctl_kv(out, key, "%s %s", ctl_getstr(a, "code"), ctl_getstr(a, "name"));
}

const char *ctl_point_text(json_t *p, char *buf, size_t len)
{
	snprintf(buf, len, "lat %.7f, lon %.7f (RD %.1f, %.1f)", ctl_getnum(p, "lat"),
		 ctl_getnum(p, "lon"), ctl_getnum(p, "x"), ctl_getnum(p, "y"));
	return buf;
}
