/* A growing NUL-terminated text buffer for writers that build large strings (GeoJSON
 * geometry, SVG paths). An allocation failure sets .failed and later appends do nothing,
 * so callers check once at the end. No I/O. */
#ifndef HUB_STRBUF_H
#define HUB_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;                      /* malloc'd, NUL-terminated once anything was added */
	size_t len, cap;
	int failed;                   /* 1 after an allocation failure */
};

/* Appends n bytes of s. */
void strbuf_put(struct strbuf *b, const char *s, size_t n);
/* Appends the string s. */
void strbuf_str(struct strbuf *b, const char *s);
/* Appends printf-formatted text (any length). */
void strbuf_fmt(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Makes room for at least n more bytes (and the NUL) in one allocation, so a writer that
 * knows its size avoids the doubling steps. 0, or -1 after an allocation failure. */
int strbuf_reserve(struct strbuf *b, size_t n);
/* Empties b, keeping its memory. */
void strbuf_clear(struct strbuf *b);
/* Frees b's memory and empties it. */
void strbuf_free(struct strbuf *b);

#endif
