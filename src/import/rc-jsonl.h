/* rc-jsonl.h — a session's journal as JSON Lines: the interchange format.
 *
 * One event per line, exactly as the codec writes it (docs/events.md), in sequence,
 * starting with the session event (docs/feed-protocol.md §10). Reading is strict: every
 * line decoded and checked by the session state machine, so a file that would make an
 * impossible journal is refused whole, naming the line. */
#pragma once

#include <gio/gio.h>

#include "import/rc-import-session.h"

G_BEGIN_DECLS

/* Reads one session from a JSON Lines file. */
RcImportedSession *rc_jsonl_read_file (const char *path, GError **error);
/* Reads one session from JSON Lines text (name is used in messages). */
RcImportedSession *rc_jsonl_read (const char *name, const char *text, gsize length, GError **error);
/* The session's journal as JSON Lines text. */
char *rc_jsonl_write (GPtrArray *events);

G_END_DECLS
