/* The pieces hubctl's printers share (hubctl_table.c): the output language, numbers in its
 * format, aligned tables and "key  value" lines. Used by client/hubctl_print*.c and
 * hubctl_resilience.c only; single-threaded (the language and number buffers are static). */
#ifndef HUB_HUBCTL_TABLE_H
#define HUB_HUBCTL_TABLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "client/hubctl_text.h"
#include "util/lang.h"

#define CTL_TABLE_MAX_COLS 10

/* The text of a catalog entry (hubctl_text.h) in the language ctl_print_set_lang chose:
 * a literal of static storage, so printf-like calls are checked in both languages. The
 * entry's two literals arrive as two arguments, hence the variadic form. */
#define CTL_T(...) LANG_PICK_(ctl_print_lang(), __VA_ARGS__)

/* The language set by ctl_print_set_lang (hubctl_print.h); English until then. */
enum lang ctl_print_lang(void);

/* v with thousands separators and decimals in the language's format ("1,234.5" or
 * "1.234,5"; "-" for NaN), in one of a ring of 24 static buffers, so several fit in one
 * printf; valid until 24 more calls. */
const char *ctl_num(double v, int decimals);

/* "99.43%" or "99,43%" ("-" for NaN), from a ring of 24 static buffers as ctl_num. */
const char *ctl_pct(double v);

/* ctl_num and ctl_pct of the number at path in o (ctl_getnum: NaN when missing). */
const char *ctl_num_at(json_t *o, const char *path, int decimals);
const char *ctl_pct_at(json_t *o, const char *path);

/* Display width of UTF-8 text: one column per character. */
size_t ctl_text_width(const char *s);

/* Writes s left-aligned in width columns (counting characters, not bytes). */
void ctl_pad(FILE *out, const char *s, size_t width);

/* A table of text cells printed with aligned columns. */
struct ctl_table {
	size_t ncols, nrows, cap;
	const char *align;            /* per column: 'l' left or 'r' right; borrowed */
	char **cells;                 /* nrows * ncols copies; NULL prints as "" */
};

/* Starts an empty table with one column per character of align (at most
 * CTL_TABLE_MAX_COLS); align is borrowed and must outlive the table. */
void ctl_table_init(struct ctl_table *t, const char *align);

/* Adds a row of ncols strings (copied; NULL is an empty cell). A row that cannot be
 * allocated is left out. */
void ctl_table_row(struct ctl_table *t, ...);

/* Prints the rows with two spaces between columns; the table is unchanged. */
void ctl_table_print(const struct ctl_table *t, FILE *out);

/* Frees the cells; the table is empty and may be filled again. */
void ctl_table_free(struct ctl_table *t);

/* ctl_table_print then ctl_table_free. */
void ctl_table_print_free(struct ctl_table *t, FILE *out);

/* "key                    value\n": the key padded to the language's key column (22
 * characters in English, 26 in Dutch), then fmt. */
void ctl_kv(FILE *out, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A number member of o as a key-value line (right-aligned in 12); nothing when missing. */
void ctl_kv_num(FILE *out, const char *key, json_t *o, const char *path, int decimals);

/* "GM0344 Utrecht" for an area or region object (borrowed), "-" for anything else. */
void ctl_kv_area(FILE *out, const char *key, json_t *a);

/* "plan  #3, created ..., data version ..." for a plan object (borrowed). */
void ctl_print_plan_line(json_t *r, FILE *out);

/* "lat 52.0907000, lon 5.1214000 (RD 136783.7, 455860.1)" for a point object into buf;
 * coordinates keep the decimal point in both languages, as hubctl reads them. Returns buf. */
const char *ctl_point_text(json_t *p, char *buf, size_t len);

#endif
