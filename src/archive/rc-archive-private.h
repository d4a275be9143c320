/* rc-archive-private.h — what the archive's own files share: the connection, the
 * statement cache, transactions, the error wording, and the state folded from each
 * session's journal with its checkpoint (rc-archive-checkpoint.c). Not for use
 * outside src/archive. */
#pragma once

#include <sqlite3.h>

#include "model/rc-snapshot.h"
#include "rc-archive.h"

G_BEGIN_DECLS

struct _RcArchive {
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  GHashTable *stmts;  /* SQL literal -> sqlite3_stmt */
  GHashTable *states; /* session id -> RcJournalState (rc-archive-write.c) */
  gboolean has_checkpoints; /* the checkpoints table exists (an older archive may lack it) */
  guint checkpoint_every;   /* events between checkpoints at least; 0: none written */
  guint checkpoint_ratio;   /* and payload bytes at least 1/ratio of the last one's size (0: any) */
  /* During rc_archive_write_sessions_from(): payloads are read back on another thread
   * while the rows are written, and the commit waits for them (rc-archive-write.c). */
  struct _RcReadBack *read_back;
  gboolean has_results; /* the vote_results table exists (rc-archive-index.c) */
};

/* What the archive knows of a session's journal when it appends to it: the state the
 * state machine folded from it, and how far the journal has grown since the session's
 * checkpoint, to tell when the next one is due. */
typedef struct {
  RcSession *session; /* NULL until needed: then made from `base` */
  RcSnapshot *base;   /* the state, kept as a snapshot by rc_archive_load_state() */
  gint64 checkpoint_seq; /* 0: none */
  gsize checkpoint_size; /* bytes of its state */
  gsize bytes_since;     /* payload bytes journalled after it */
} RcJournalState;

void rc_journal_state_free (RcJournalState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcJournalState, rc_journal_state_free)

/* A cached prepared statement; g_autoptr resets it (releasing its read lock, which in
 * WAL mode would otherwise hold back checkpoints) without finalising it. */
typedef sqlite3_stmt RcArchiveStmt;
void rc_archive_stmt_release (RcArchiveStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcArchiveStmt, rc_archive_stmt_release)

/* sql must be a string literal: it is the cache key. */
RcArchiveStmt *rc_archive_stmt (RcArchive *self, const char *sql, GError **error);
/* rc_archive_stmt() with its first parameter bound to text (a session id, a
 * selector; NULL binds SQL NULL), for the many queries about one thing. */
RcArchiveStmt *rc_archive_stmt_bind (RcArchive *self, const char *sql, const char *text,
                                     GError **error);
/* Sets error from an SQLite result code, in words a clerk understands. */
void rc_archive_set_sqlite_error (RcArchive *self, int rc, GError **error);

/* Steps a statement that returns at most one row; FALSE with error on failure.
 * *has_row tells whether it did. */
gboolean rc_archive_step_row (RcArchive *self, RcArchiveStmt *stmt, gboolean *has_row,
                              GError **error);

/* BEGIN IMMEDIATE; COMMIT (rolling back if it fails); ROLLBACK, always returning FALSE
 * so a failed step can `return rc_archive_rollback (self);`. */
gboolean rc_archive_begin (RcArchive *self, GError **error);
gboolean rc_archive_commit (RcArchive *self, GError **error);
gboolean rc_archive_rollback (RcArchive *self);

/* The session's events with after < seq <= last, in order, checked as
 * rc_archive_load_events() checks a whole journal; *bytes (optional) gets the sum of
 * their payloads' lengths. An empty array when there are none. */
GPtrArray *rc_archive_load_range (RcArchive *self, const char *session_id, gint64 after,
                                  gint64 last, gsize *bytes, GError **error);

/* ---------------------------------------------------------------- the index */

/* vote_results and its triggers (rc-archive-index.c), for a new archive's schema and
 * added to an older one opened for writing. */
extern const char rc_archive_index_schema_sql[];
/* Sets self->has_results; never adds the table to an archive made before it. */
void rc_archive_index_setup (RcArchive *self);
/* Keeps the vote's result after event (applied to session), inside the caller's
 * transaction. */
gboolean rc_archive_index_note (RcArchive *self, const char *session_id, RcSession *session,
                                const RcEvent *event, GError **error);

/* ---------------------------------------------------------------- checkpoints */

/* The checkpoints table and the triggers that keep it honest, for a new archive's
 * schema, and added to an older archive opened for writing (rc-archive-checkpoint.c). */
extern const char rc_archive_checkpoint_schema_sql[];
/* Sets self->has_checkpoints, adding the table to a writable archive that lacks it.
 * Never fails: an archive that cannot take it (a full disk, a read-only file) is used
 * without checkpoints. */
void rc_archive_checkpoint_setup (RcArchive *self, gboolean writable);

/* The state of the session's journal up to its last event, from its checkpoint and the
 * events after it, or the whole journal when the checkpoint is missing or cannot be
 * trusted (which is logged). The events folded on top of the checkpoint (all of them
 * without one) go to *tail (optional). A journal the state machine refuses: NULL with
 * *refusal set (its message names the event), error unset; a journal that cannot be
 * read (or is empty): NULL with error set. */
RcJournalState *rc_archive_fold_journal (RcArchive *self, const char *session_id, GPtrArray **tail,
                                         GError **refusal, GError **error);

/* Whether the journal, at event seq, has grown enough since the checkpoint for
 * another: RC_ARCHIVE_CHECKPOINT_EVENTS events and a quarter of its size. */
gboolean rc_archive_checkpoint_due (RcArchive *self, const RcJournalState *state, gint64 seq);
/* Writes the checkpoint of state (its session's state after its last event), replacing
 * the session's previous one, inside the caller's transaction. */
gboolean rc_archive_checkpoint_write (RcArchive *self, const char *session_id,
                                      RcJournalState *state, GError **error);

G_END_DECLS
