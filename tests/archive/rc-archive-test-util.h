/* rc-archive-test-util.h — fixtures shared by the archive tests: a temporary folder
 * with an archive, direct SQL, a small but complete session, one event of every type, and a field-by-field event
 * comparison (so a codec bug cannot hide behind comparing two encodings). */
#pragma once

#include "archive/rc-archive.h"
#include "model/rc-event.h"

G_BEGIN_DECLS

/* A new folder under the system temporary folder; removed by rc_test_remove_tree(). */
char *rc_test_make_tmpdir (void);
void rc_test_remove_tree (const char *path);

/* A temporary folder and an archive path in it (not yet created), for g_test_add(). */
typedef struct {
  char *dir;
  char *path;
} RcTestArchive;

void rc_test_archive_set_up (RcTestArchive *f, gconstpointer data);
void rc_test_archive_tear_down (RcTestArchive *f, gconstpointer data);
/* Creates the archive at f->path. */
RcArchive *rc_test_archive_create (RcTestArchive *f);

/* The first column of the first row of one query, run with the sqlite3 library
 * directly, as a clerk's tool would; NULL without a row. */
char *rc_test_sql_text (const char *path, const char *sql);
void rc_test_sql_exec (const char *path, const char *sql);
/* Everything the journal holds, as one string, to compare before and after. */
char *rc_test_journal_dump (const char *path);

/* A three-member chamber (two with a veto) and its roster. */
RcChamberInfo *rc_test_chamber_info (void);
RcRoster *rc_test_roster (void);

/* A complete session with seq 1…n: session, one vote per entry of votes (each vote
 * scheduled, on air, opened, three ballots, locked, announced). votes: NULL-terminated
 * triples of id, symbol, draft (symbol or draft may be NULL) given as a flat array. */
GPtrArray *rc_test_session_events (const char *id, const char *meeting, const char *date,
                                   const char *const *votes);

/* One event of every type, each field set to something other than its default. */
GPtrArray *rc_test_every_event_type (void);

void rc_test_assert_events_equal (const RcEvent *a, const RcEvent *b);
void rc_test_assert_journals_equal (GPtrArray *a, GPtrArray *b);

/* Asserts an error message is one line: no newline, not empty. */
void rc_test_assert_one_line (const char *message);
/* Asserts error is RC_ERROR code, one line, with reason somewhere in it. */
void rc_test_assert_refused (const GError *error, int code, const char *reason);

G_END_DECLS
