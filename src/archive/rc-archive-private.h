/* rc-archive-private.h — what the archive's own files share: the connection, the
 * statement cache, transactions and the error wording. Not for use outside
 * src/archive. */
#pragma once

#include <sqlite3.h>

#include "rc-archive.h"

G_BEGIN_DECLS

struct _RcArchive {
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  GHashTable *stmts;  /* SQL literal -> sqlite3_stmt */
  GHashTable *states; /* session id -> RcSession folded from its journal (rc-archive-write.c) */
};

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

G_END_DECLS
