/* The daemon's logging: one line per message on stderr. Under systemd (JOURNAL_STREAM set)
 * each line starts with a <N> priority prefix that journald maps to its levels; on a
 * terminal or a plain file the lines are plain with a level word. Only daemon/ logs. */
#ifndef HUB_LOG_H
#define HUB_LOG_H

enum log_level { LOG_ERR = 3, LOG_WARNING = 4, LOG_NOTICE = 5, LOG_INFO = 6, LOG_DEBUG = 7 };

/* Reads JOURNAL_STREAM to pick the format; max_level filters (LOG_INFO by default). */
void log_init(enum log_level max_level);
void log_set_level(enum log_level max_level);
int log_enabled(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
