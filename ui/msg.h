/*
 * msg.h — the one way the front ends write to standard error.  A message is formatted and
 * then escaped as a whole (esc.h), so whatever it holds — a file name, an option's value, a
 * pattern, a warning built from packet bytes — reaches the terminal as text, on one line.
 */
#ifndef IOT_MSG_H
#define IOT_MSG_H

#include <stdarg.h>

struct warnlist;

/* "iotscope: " and the message, escaped, then a newline. */
void	msg_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	msg_verr(const char *fmt, va_list) __attribute__((format(printf, 1, 0)));
/* The core's warnings, one line each: errors always, the rest unless quiet. */
void	msg_warnings(const struct warnlist *, int quiet);

#endif
