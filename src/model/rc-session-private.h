/* rc-session-private.h — what rc-snapshot.c may do to a session that events cannot. */
#pragma once

#include "rc-session.h"

G_BEGIN_DECLS

/* Sets where the session stands in its stream (a restored snapshot's position). */
void rc_session_set_position (RcSession *self, gint64 seq, gint64 time);

G_END_DECLS
