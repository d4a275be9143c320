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

G_END_DECLS
