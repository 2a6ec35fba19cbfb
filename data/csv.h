/* A small RFC 4180 CSV reader: quoted fields with embedded separators, quotes and
 * newlines, a UTF-8 byte-order mark, ',' or ';' as separator (taken from the header line),
 * and the physical line number of every record for error messages. Reads; never writes. */
#ifndef HUB_CSV_H
#define HUB_CSV_H

#include <stddef.h>

struct csv;

/* Opens path. Returns 0 and *out (free with csv_close, accepts NULL), or -errno with err;
 * an empty file gives -ENODATA "path: the file is empty", a NUL byte -EINVAL. */
int csv_open(const char *path, struct csv **out, char *err, size_t errlen);
void csv_close(struct csv *c);

/* Reads the next record: 1 with *fields (owned by c, valid until the next call) and
 * *nfields set, 0 at the end, or -EINVAL ("path:7: unterminated quoted field") / -ENOMEM.
 * Blank lines are skipped. */
int csv_next(struct csv *c, char ***fields, size_t *nfields, char *err, size_t errlen);

/* The line number on which the last record returned by csv_next started (1-based). */
long csv_line(const struct csv *c);

/* The column index of name in a header record (case-insensitive, trimmed), or -1. */
int csv_column(char **header, size_t n, const char *name);

#endif
