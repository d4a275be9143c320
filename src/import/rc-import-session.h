/* rc-import-session.h — a session source (key file + ballots CSVs) → its journal.
 *
 * The demo archive is built from text in the repository: a key file describing a
 * meeting and its votes, the chamber it names, and one ballots CSV per vote. This
 * makes the events of that meeting with a synthesized but plausible timeline,
 * deterministic from the file's seed, each checked by the session state machine as
 * it is made. A vote that is not recorded journals no member's choice: at most who
 * voted, and its official totals. Format: docs/archive.md. */
#pragma once

#include <glib.h>

#include "model/rc-session.h"

G_BEGIN_DECLS

typedef struct {
  GPtrArray *events;   /* of RcEvent, seq 1, 2, … starting with the SESSION event */
  RcSession *session;  /* the state those events fold to */
  GPtrArray *warnings; /* of char *: one line each (official totals that differ) */
} RcImportedSession;

RcImportedSession *rc_import_session_file (const char *path, GError **error);
/* A ballots CSV's vote letter: Y yes, N no, A abstain, X did not vote, V voted (the
 * choice not recorded). FALSE for anything else. */
gboolean rc_import_choice_from_letter (const char *letter, RcChoice *out);
void rc_imported_session_free (RcImportedSession *imported);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcImportedSession, rc_imported_session_free)

G_END_DECLS
