/* The growing text buffer: doubling growth, a sticky failure flag, always NUL-terminated
 * after the first append. Must not print or abort on allocation failure. */
#include "util/strbuf.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grows the buffer to hold len + n + 1 bytes, doubling from at least min_cap. */
static int grow(struct strbuf *b, size_t n, size_t min_cap)
{
	if (b->failed)
		return -1;
	/* No allocator hands out more than PTRDIFF_MAX bytes; refuse before asking. */
	if (n >= (size_t)PTRDIFF_MAX - b->len) {
		b->failed = 1;
		return -1;
	}
	size_t need = b->len + n + 1, cap = b->cap ? b->cap : min_cap;
	if (need <= b->cap)
		return 0;
	while (cap < need)
		cap = cap > (size_t)PTRDIFF_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->s, cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->s = p;
	b->cap = cap;
	return 0;
}

int strbuf_reserve(struct strbuf *b, size_t n)
{
	if (grow(b, n, n + 1) < 0)
		return -1;
	b->s[b->len] = '\0';
	return 0;
}

void strbuf_put(struct strbuf *b, const char *s, size_t n)
{
	if (grow(b, n, 256) < 0)
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void strbuf_str(struct strbuf *b, const char *s)
{
	strbuf_put(b, s, strlen(s));
}

void strbuf_fmt(struct strbuf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		strbuf_put(b, small, (size_t)n);
		return;
	}
	if (grow(b, (size_t)n, 256) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void strbuf_clear(struct strbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void strbuf_free(struct strbuf *b)
{
	free(b->s);
	*b = (struct strbuf){0};
}
