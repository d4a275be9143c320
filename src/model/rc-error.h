/* rc-error.h — the project's error domain: everything a user or a peer can cause. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RC_ERROR (rc_error_quark ())
GQuark rc_error_quark (void);

typedef enum {
  RC_ERROR_FAILED,          /* anything else */
  RC_ERROR_BAD_FILE,        /* a data file that cannot be read or parsed */
  RC_ERROR_BAD_MESSAGE,     /* an event or message that is malformed */
  RC_ERROR_UNKNOWN_MEMBER,  /* a member code not on the roster */
  RC_ERROR_UNKNOWN_VOTE,    /* a vote id not in the session */
  RC_ERROR_UNKNOWN_SESSION, /* a session not in the archive */
  RC_ERROR_AMBIGUOUS,       /* a selector matching more than one thing */
  RC_ERROR_LIFECYCLE,       /* an event the vote's state does not allow */
  RC_ERROR_SEQUENCE,        /* a sequence number out of order */
  RC_ERROR_BAD_ARGUMENT,    /* a command-line argument that makes no sense */
  RC_ERROR_ARCHIVE,         /* the archive (SQLite) failed */
} RcError;

/* A refusal is one line of text (a log line, a status line, a JSON error reply), but
 * it may quote what it refuses, and that may hold line breaks or bytes that are not
 * UTF-8 (a member code "A\nB", a key file's broken line, json-glib's own messages).
 * rc_error_one_line() gives text as one line of valid UTF-8: what is not UTF-8 becomes
 * U+FFFD, line breaks and other control characters are written as \n, \r, \t or
 * \u0001. rc_error_make_one_line() does that to an error's message; every reader of
 * outside input does it to its refusals. */
char *rc_error_one_line (const char *text);
void rc_error_make_one_line (GError *error);

G_END_DECLS
