/**
 * log.h — one line per event, key=value, to stderr:
 *   ts=2026-11-26T10:01:55.123Z level=info event=listening url=http://127.0.0.1:8080
 * Thread-safe (one write(2) per line).
 */
#ifndef PL_LOG_H
#define PL_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/** Sets the lowest level that is written (default LOG_INFO). Call before threads start. */
void log_set_level(enum log_level lvl);
/** Writes "ts=… level=… " then the formatted text and a newline. */
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
