/* RFC 4180 CSV records with line numbers. The whole file is read into memory (CSV inputs
 * here are at most a few MB: site lists and membership tables); fields are unquoted
 * in place. No number parsing: callers convert and report. */
#include "data/csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CSV_MAX_BYTES (256L * 1024 * 1024)

struct csv {
	char *path;
	char *buf;                    /* whole file, NUL-terminated */
	size_t len, pos;
	long line, record_line;
	char sep;
	char **fields;
	size_t nfields, cap;
};

static int slurp(struct csv *c, FILE *f, char *err, size_t errlen)
{
	if (fseek(f, 0, SEEK_END) != 0 || ftell(f) < 0) {
		snprintf(err, errlen, "%s: cannot size the file", c->path);
		return -EIO;
	}
	long size = ftell(f);
	if (size > CSV_MAX_BYTES) {
		snprintf(err, errlen, "%s: file of %ld bytes is larger than %ld", c->path, size,
			 CSV_MAX_BYTES);
		return -EFBIG;
	}
	rewind(f);
	if (!(c->buf = malloc((size_t)size + 1))) {
		snprintf(err, errlen, "%s: out of memory", c->path);
		return -ENOMEM;
	}
	c->len = fread(c->buf, 1, (size_t)size, f);
	c->buf[c->len] = '\0';
	if (c->len != (size_t)size) {
		snprintf(err, errlen, "%s: read error", c->path);
		return -EIO;
	}
	return 0;
}

/* Picks the separator from the first line: whichever of ',' and ';' occurs more often. */
static char detect_sep(const char *p)
{
	int commas = 0, semis = 0;
	for (; *p && *p != '\n'; p++) {
		commas += *p == ',';
		semis += *p == ';';
	}
	return semis > commas ? ';' : ',';
}

int csv_open(const char *path, struct csv **out, char *err, size_t errlen)
{
	struct csv *c = calloc(1, sizeof *c);
	FILE *f = NULL;
	int rc = -ENOMEM;

	*out = NULL;
	if (!c || !(c->path = strdup(path))) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	if (!(f = fopen(path, "rb"))) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if ((rc = slurp(c, f, err, errlen)) < 0)
		goto fail;
	const char *nul = memchr(c->buf, '\0', c->len);
	if (nul) {
		snprintf(err, errlen, "%s: a NUL byte at offset %zu: not a text CSV file", path,
			 (size_t)(nul - c->buf));
		rc = -EINVAL;
		goto fail;
	}
	if (c->len >= 3 && memcmp(c->buf, "\xEF\xBB\xBF", 3) == 0)
		c->pos = 3;
	if (c->pos == c->len) {
		snprintf(err, errlen, "%s: the file is empty", path);
		rc = -ENODATA;
		goto fail;
	}
	c->sep = detect_sep(c->buf + c->pos);
	c->line = 1;
	fclose(f);
	*out = c;
	return 0;
fail:
	if (f)
		fclose(f);
	csv_close(c);
	return rc;
}

void csv_close(struct csv *c)
{
	if (!c)
		return;
	free(c->fields);
	free(c->buf);
	free(c->path);
	free(c);
}

static int push_field(struct csv *c, char *start)
{
	if (c->nfields == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		char **f = realloc(c->fields, cap * sizeof *f);
		if (!f)
			return -ENOMEM;
		c->fields = f;
		c->cap = cap;
	}
	c->fields[c->nfields++] = start;
	return 0;
}

/* Parses one field starting at c->pos, unquoting in place. Returns the char that ended it
 * ('\n', sep or '\0'), or -1 for an unterminated quote. */
static int parse_field(struct csv *c, char **start)
{
	char *p = c->buf + c->pos, *w = p;
	*start = p;
	if (*p == '"') {
		for (p++;; p++) {
			if (*p == '\0' && p >= c->buf + c->len)
				return -1;
			if (*p == '"' && p[1] == '"') {
				*w++ = '"';
				p++;
			} else if (*p == '"') {
				p++;
				break;
			} else {
				c->line += *p == '\n';
				*w++ = *p;
			}
		}
	}
	while (*p && *p != c->sep && *p != '\n')
		*w++ = *p++;
	int end = *p;
	if (w > *start && w[-1] == '\r')
		w--;
	*w = '\0';
	c->pos = (size_t)(p - c->buf) + (end ? 1 : 0);
	return end;
}

int csv_next(struct csv *c, char ***fields, size_t *nfields, char *err, size_t errlen)
{
	while (c->pos < c->len && (c->buf[c->pos] == '\n' || c->buf[c->pos] == '\r')) {
		c->line += c->buf[c->pos] == '\n';
		c->pos++;
	}
	if (c->pos >= c->len)
		return 0;
	c->nfields = 0;
	c->record_line = c->line;
	for (;;) {
		char *start;
		int end = parse_field(c, &start);
		if (end < 0) {
			snprintf(err, errlen, "%s:%ld: unterminated quoted field", c->path,
				 c->record_line);
			return -EINVAL;
		}
		if (push_field(c, start) < 0) {
			snprintf(err, errlen, "%s: out of memory", c->path);
			return -ENOMEM;
		}
		if (end != c->sep) {
			c->line += end == '\n';
			break;
		}
	}
	*fields = c->fields;
	*nfields = c->nfields;
	return 1;
}

long csv_line(const struct csv *c)
{
	return c->record_line;
}

int csv_column(char **header, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const char *h = header[i];
		while (*h == ' ')
			h++;
		size_t len = strlen(h);
		while (len && h[len - 1] == ' ')
			len--;
		if (len == strlen(name) && strncasecmp(h, name, len) == 0)
			return (int)i;
	}
	return -1;
}
