/* Logging to stderr with journald priority prefixes under systemd, plain words elsewhere.
 * errno is preserved across calls so callers can log before reporting an error. */
#include "daemon/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static enum log_level max_level = LOG_INFO;
static int journal;

void log_init(enum log_level level)
{
	const char *js = getenv("JOURNAL_STREAM");
	journal = js && *js;
	max_level = level;
}

void log_set_level(enum log_level level)
{
	max_level = level;
}

int log_enabled(enum log_level level)
{
	return level <= max_level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const words[] = {"", "", "", "error", "warning", "notice", "info",
					    "debug"};
	int saved = errno;
	va_list ap;
	if (level > max_level)
		return;
	if (journal)
		fprintf(stderr, "<%d>", (int)level);
	else
		fprintf(stderr, "hubplannerd: %s: ", words[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	errno = saved;
}
