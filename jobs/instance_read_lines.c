/* The line reader of the instance readers: numbered lines split into tokens, number
 * parsers whose errors name file, line and field, and the format guess. Reads only; knows
 * nothing of the covering model. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/instance_read_priv.h"

int lr_open(struct line_reader *lr, const char *path, char *err, size_t errlen)
{
	memset(lr, 0, sizeof *lr);
	lr->path = path;
	if (!(lr->f = fopen(path, "r"))) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	return 0;
}

void lr_close(struct line_reader *lr)
{
	if (lr->f)
		fclose(lr->f);
	free(lr->buf);
	free(lr->tok);
	memset(lr, 0, sizeof *lr);
}

int lr_fail(const struct line_reader *lr, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s:%zu: ", lr->path, lr->lineno);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int push_tok(struct line_reader *lr, char *t)
{
	if (lr->ntok == lr->tokcap) {
		size_t cap = lr->tokcap ? 2 * lr->tokcap : 64;
		char **p = realloc(lr->tok, cap * sizeof *p);
		if (!p)
			return -ENOMEM;
		lr->tok = p;
		lr->tokcap = cap;
	}
	lr->tok[lr->ntok++] = t;
	return 0;
}

/* A CSV field: blanks around it and one pair of double quotes removed. */
static char *trim_field(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	if (e - s >= 2 && *s == '"' && e[-1] == '"') {
		e[-1] = '\0';
		s++;
	}
	return s;
}

static int split(struct line_reader *lr, const char *sep)
{
	char *s = lr->buf;
	lr->ntok = 0;
	if (!sep) {
		for (char *save = NULL, *t = strtok_r(s, " \t", &save); t;
		     t = strtok_r(NULL, " \t", &save))
			if (push_tok(lr, t) < 0)
				return -ENOMEM;
		return 0;
	}
	for (;;) {
		char *end = s + strcspn(s, sep);
		int last = *end == '\0';
		*end = '\0';
		if (push_tok(lr, trim_field(s)) < 0)
			return -ENOMEM;
		if (last)
			return 0;
		s = end + 1;
	}
}

static int blank_or_comment(const char *s)
{
	s += strspn(s, " \t");
	return *s == '\0' || *s == '#';
}

int lr_next(struct line_reader *lr, const char *sep, char *err, size_t errlen)
{
	for (;;) {
		ssize_t n = getline(&lr->buf, &lr->cap, lr->f);
		if (n < 0) {
			if (ferror(lr->f)) {
				snprintf(err, errlen, "%s: read error after line %zu", lr->path,
					 lr->lineno);
				return -EIO;
			}
			return 0;
		}
		lr->lineno++;
		while (n > 0 && (lr->buf[n - 1] == '\n' || lr->buf[n - 1] == '\r'))
			lr->buf[--n] = '\0';
		if ((size_t)n != strlen(lr->buf))
			return lr_fail(lr, err, errlen, "a NUL byte in the line");
		if (blank_or_comment(lr->buf))
			continue;
		if (split(lr, sep) < 0) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		return 1;
	}
}

int lr_double(const struct line_reader *lr, const char *tok, const char *field, int nonneg,
	      double *v, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	double x = strtod(tok, &end);
	if (*tok == '\0' || *end != '\0' || errno == ERANGE)
		return lr_fail(lr, err, errlen, "%s: \"%s\" is not a number", field, tok);
	if (!isfinite(x))
		return lr_fail(lr, err, errlen, "%s: \"%s\" is not finite", field, tok);
	if (nonneg && x < 0)
		return lr_fail(lr, err, errlen, "%s: %s is negative", field, tok);
	*v = x;
	return 0;
}

int lr_index(const struct line_reader *lr, const char *tok, const char *field, uint64_t limit,
	     uint64_t *v, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	if (*tok < '0' || *tok > '9')
		return lr_fail(lr, err, errlen, "%s: \"%s\" is not a whole number >= 0", field,
			       tok);
	unsigned long long x = strtoull(tok, &end, 10);
	if (*end != '\0' || errno == ERANGE)
		return lr_fail(lr, err, errlen, "%s: \"%s\" is not a whole number >= 0", field,
			       tok);
	if (x >= limit && limit == 0)
		return lr_fail(lr, err, errlen, "%s: %llu out of range (there is nothing to refer to)",
			       field, x);
	if (x >= limit)
		return lr_fail(lr, err, errlen, "%s: %llu out of range 0..%llu", field, x,
			       (unsigned long long)limit - 1);
	*v = x;
	return 0;
}
