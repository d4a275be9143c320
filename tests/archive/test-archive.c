/* test-archive.c — the SQLite archive: what is appended is what is loaded after a
 * reopen; sequence and atomicity rules hold and leave the file unchanged when they
 * refuse; foreign, newer, damaged and missing files are refused with one clear line;
 * selectors resolve as the command line promises. */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "archive/rc-archive.h"
#include "codec/rc-codec.h"
#include "model/rc-error.h"
#include "rc-archive-test-util.h"

typedef RcTestArchive Fixture;

static const char *const one_vote[] = { "v1", "T/RES/1", "T/L.1", NULL };

static void
test_create_append_reopen (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *app_id = NULL, *version = NULL, *mode = NULL, *ballots = NULL;
  RcArchiveSessionRow *row;

  {
    g_autoptr (RcArchive) archive = rc_test_archive_create (f);

    for (guint i = 0; i < events->len; i++)
      {
        g_assert_true (rc_archive_append (archive, "s1", g_ptr_array_index (events, i), &error));
        g_assert_no_error (error);
        g_assert_cmpint (rc_archive_get_last_seq (archive, "s1", &error), ==, i + 1);
      }
  }

  {
    g_autoptr (RcArchive) archive = rc_archive_open (f->path, RC_ARCHIVE_READ_ONLY, &error);

    g_assert_no_error (error);
    loaded = rc_archive_load_events (archive, "s1", &error);
    g_assert_no_error (error);
    rc_test_assert_journals_equal (events, loaded);

    rows = rc_archive_list_sessions (archive, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 1);
    row = g_ptr_array_index (rows, 0);
    g_assert_cmpstr (row->id, ==, "s1");
    g_assert_cmpstr (row->meeting, ==, "T/PV.1");
    g_assert_cmpstr (row->date, ==, "2022-03-02");
    g_assert_cmpstr (row->title, ==, "A test meeting");
    g_assert_cmpstr (row->chamber_id, ==, "TEST");
    g_assert_cmpuint (row->n_votes, ==, 1);
    g_assert_cmpint (row->n_events, ==, events->len);
    g_assert_cmpint (row->first_time, ==, ((RcEvent *) g_ptr_array_index (events, 0))->time);
    g_assert_cmpint (row->last_time, ==,
                     ((RcEvent *) g_ptr_array_index (events, events->len - 1))->time);
  }

  /* What a clerk sees with the sqlite3 tool (docs/archive.md). */
  app_id = rc_test_sql_text (f->path, "PRAGMA application_id");
  version = rc_test_sql_text (f->path, "PRAGMA user_version");
  mode = rc_test_sql_text (f->path, "PRAGMA journal_mode");
  g_assert_cmpstr (app_id, ==, "1380142156");
  g_assert_cmpstr (version, ==, "1");
  g_assert_cmpstr (mode, ==, "wal");
  ballots
    = rc_test_sql_text (f->path, "SELECT group_concat (member || '=' || json_extract (payload, '$.choice'))"
                         " FROM journal WHERE session_id = 's1' AND vote_id = 'v1'"
                         " AND type = 'ballot' ORDER BY seq");
  g_assert_cmpstr (ballots, ==, "AAA=yes,CCC=abstain,BBB=yes");
}

static void
test_sequence_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr (GPtrArray) loaded = NULL;

  /* A session cannot start with anything but its session event. */
  g_assert_false (rc_archive_append (archive, "s1", g_ptr_array_index (events, 1), &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_SEQUENCE);
  rc_test_assert_one_line (error->message);
  g_clear_error (&error);

  for (guint i = 0; i < 3; i++)
    g_assert_true (rc_archive_append (archive, "s1", g_ptr_array_index (events, i), &error));
  before = rc_test_journal_dump (f->path);

  /* A gap: seq 5 after 3. */
  g_assert_false (rc_archive_append (archive, "s1", g_ptr_array_index (events, 4), &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_SEQUENCE);
  rc_test_assert_one_line (error->message);
  g_assert_nonnull (strstr (error->message, "the next is 4"));
  g_clear_error (&error);

  /* A repeat: seq 3 again. */
  g_assert_false (rc_archive_append (archive, "s1", g_ptr_array_index (events, 2), &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_SEQUENCE);
  g_clear_error (&error);

  /* A session event of another session. */
  {
    g_autoptr (GPtrArray) other = rc_test_session_events ("s2", "T/PV.2", "2022-03-03", NULL);
    RcEvent *session_event = g_ptr_array_index (other, 0);

    session_event->seq = 4;
    session_event->time = ((RcEvent *) g_ptr_array_index (events, 2))->time;
    g_assert_false (rc_archive_append (archive, "s1", session_event, &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE);
    g_clear_error (&error);
  }

  after = rc_test_journal_dump (f->path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (rc_archive_get_last_seq (archive, "s1", &error), ==, 3);
  loaded = rc_archive_load_events (archive, "s1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 3);
}

static void
test_append_all_atomic (Fixture *f, gconstpointer data)
{
  const char *const two_votes[] = { "v1", NULL, NULL, "v1", NULL, NULL, NULL };
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (GPtrArray) twice = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", two_votes);
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) broken = g_ptr_array_new ();
  g_autofree char *dump = NULL;

  /* A gap in the middle. */
  for (guint i = 0; i < events->len; i++)
    if (i != 5)
      g_ptr_array_add (broken, g_ptr_array_index (events, i));
  g_assert_false (rc_archive_append_all (archive, "s1", broken, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_SEQUENCE);
  rc_test_assert_one_line (error->message);
  g_clear_error (&error);

  /* The same vote scheduled twice, further on: the state machine's refusal. */
  g_assert_false (rc_archive_append_all (archive, "s1", twice, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_LIFECYCLE);
  rc_test_assert_one_line (error->message);
  g_assert_nonnull (strstr (error->message, "session 's1': event 10 refused: "));
  g_assert_nonnull (strstr (error->message, "'v1'"));
  g_clear_error (&error);

  /* Nothing of either reached the file. */
  rows = rc_archive_list_sessions (archive, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_cmpint (rc_archive_get_last_seq (archive, "s1", &error), ==, 0);
  dump = rc_test_journal_dump (f->path);
  g_assert_cmpstr (dump, ==, "");

  g_assert_true (rc_archive_append_all (archive, "s1", events, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rc_archive_get_last_seq (archive, "s1", &error), ==, events->len);
}

static void
test_write_sessions (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) s1 = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (GPtrArray) s1_again = rc_test_session_events ("s1", "T/PV.9", "2022-03-09", NULL);
  g_autoptr (GPtrArray) s2 = rc_test_session_events ("s2", "T/PV.2", "2022-03-03", one_vote);
  g_autoptr (GPtrArray) journals = g_ptr_array_new ();
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) loaded = NULL;
  g_autofree char *before = NULL, *after = NULL, *votes = NULL;

  g_ptr_array_add (journals, s1);
  g_assert_true (rc_archive_write_sessions (archive, journals, FALSE, &error));
  g_assert_no_error (error);
  before = rc_test_journal_dump (f->path);

  /* s2 is new but s1 is not: all or nothing. */
  g_ptr_array_set_size (journals, 0);
  g_ptr_array_add (journals, s2);
  g_ptr_array_add (journals, s1_again);
  g_assert_false (rc_archive_write_sessions (archive, journals, FALSE, &error));
  g_assert_nonnull (strstr (error->message, "already has session 's1'"));
  rc_test_assert_one_line (error->message);
  g_clear_error (&error);
  after = rc_test_journal_dump (f->path);
  g_assert_cmpstr (before, ==, after);

  /* With replace, s1 is what the new journal says, and its old vote is gone. */
  g_assert_true (rc_archive_write_sessions (archive, journals, TRUE, &error));
  g_assert_no_error (error);
  loaded = rc_archive_load_events (archive, "s1", &error);
  g_assert_no_error (error);
  rc_test_assert_journals_equal (s1_again, loaded);
  votes = rc_test_sql_text (f->path, "SELECT group_concat (session_id || '/' || vote_id) FROM votes");
  g_assert_cmpstr (votes, ==, "s2/v1");
}

static void
assert_open_refused (const char *path, RcArchiveFlags flags, const char *reason)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, flags, &error);

  g_assert_null (archive);
  rc_test_assert_refused (error, RC_ERROR_ARCHIVE, reason);
}

static void
test_refuse_foreign_sqlite (Fixture *f, gconstpointer data)
{
  g_autofree char *mode = NULL, *tables = NULL;

  rc_test_sql_exec (f->path, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup')");
  assert_open_refused (f->path, RC_ARCHIVE_READ_ONLY, "is not a Rollcall archive");
  assert_open_refused (f->path, RC_ARCHIVE_READ_WRITE, "is not a Rollcall archive");
  assert_open_refused (f->path, RC_ARCHIVE_CREATE, "is not a Rollcall archive");

  /* Refused means untouched: still in its own journal mode, no tables of ours. */
  mode = rc_test_sql_text (f->path, "PRAGMA journal_mode");
  tables = rc_test_sql_text (f->path, "SELECT group_concat (name) FROM sqlite_schema");
  g_assert_cmpstr (mode, ==, "delete");
  g_assert_cmpstr (tables, ==, "recipes");
}

static void
test_refuse_not_sqlite (Fixture *f, gconstpointer data)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (f->path, "code,name\nAFG,Afghanistan\n", -1, NULL));
  assert_open_refused (f->path, RC_ARCHIVE_READ_ONLY, "not an SQLite database");
  assert_open_refused (f->path, RC_ARCHIVE_READ_WRITE, "not an SQLite database");
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "code,name\nAFG,Afghanistan\n");
}

static void
test_refuse_newer_schema (Fixture *f, gconstpointer data)
{
  {
    g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  }
  rc_test_sql_exec (f->path, "PRAGMA user_version = 7");
  assert_open_refused (f->path, RC_ARCHIVE_READ_ONLY, "newer Rollcall (archive schema 7");
}

static void
test_refuse_missing (Fixture *f, gconstpointer data)
{
  assert_open_refused (f->path, RC_ARCHIVE_READ_ONLY, "no such archive");
  assert_open_refused (f->path, RC_ARCHIVE_READ_WRITE, "no such archive");
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  assert_open_refused (f->dir, RC_ARCHIVE_READ_ONLY, "is a folder");
}

static void
test_refuse_damaged (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr (RcArchive) archive = NULL;
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  {
    g_autoptr (RcArchive) writer = rc_test_archive_create (f);
    g_assert_true (rc_archive_append_all (writer, "s1", events, &error));
  }
  /* Page 1 (the header and schema) is intact; every later page is overwritten. */
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 4096);
  memset (contents + 4096, 0x5a, length - 4096);
  g_assert_true (g_file_set_contents (f->path, contents, length, NULL));

  archive = rc_archive_open (f->path, RC_ARCHIVE_READ_ONLY, &error);
  g_assert_no_error (error);
  loaded = rc_archive_load_events (archive, "s1", &error);
  g_assert_null (loaded);
  g_assert_error (error, RC_ERROR, RC_ERROR_ARCHIVE);
  rc_test_assert_one_line (error->message);
  g_assert_nonnull (strstr (error->message, "is damaged"));
  g_clear_error (&error);
  rows = rc_archive_list_sessions (archive, &error);
  g_assert_null (rows);
  g_assert_error (error, RC_ERROR, RC_ERROR_ARCHIVE);
}

static void
test_refuse_edited_payload (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) loaded = NULL;

  {
    g_autoptr (RcArchive) writer = rc_test_archive_create (f);
    g_assert_true (rc_archive_append_all (writer, "s1", events, &error));
  }
  /* A hand edit that is valid JSON but not a valid event. */
  rc_test_sql_exec (f->path, "UPDATE journal SET payload = json_set (payload, '$.choice', 'perhaps')"
                     " WHERE session_id = 's1' AND seq = 5");
  {
    g_autoptr (RcArchive) archive = rc_archive_open (f->path, RC_ARCHIVE_READ_ONLY, &error);

    loaded = rc_archive_load_events (archive, "s1", &error);
    g_assert_null (loaded);
    g_assert_error (error, RC_ERROR, RC_ERROR_ARCHIVE);
    rc_test_assert_one_line (error->message);
    g_assert_nonnull (
      strstr (error->message, "session 's1', event 5: ballot event: field \"choice\""));
  }
}

/* A refusal quotes the rows on one line of UTF-8, whatever a hand edit put in them
 * (found by tests/fuzz/fuzz-archive). */
static void
test_refuse_edited_rows_one_line (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (RcArchive) archive = NULL;
  g_autofree char *id = NULL;

  {
    g_autoptr (RcArchive) writer = rc_test_archive_create (f);
    g_assert_true (rc_archive_append_all (writer, "s1", events, &error));
  }
  rc_test_sql_exec (f->path, "INSERT INTO sessions (id, meeting, date, title, chamber_id, created)"
                             " VALUES ('e' || char (10) || 'mpty' || CAST (X'FF' AS TEXT),"
                             " 'T/PV.' || char (13, 10) || '2', '2022-03-02', 't', 'T', 'x')");
  archive = rc_archive_open (f->path, RC_ARCHIVE_READ_ONLY, &error);
  g_assert_no_error (error);

  loaded = rc_archive_load_events (archive, "e\nmpty\xff", &error);
  g_assert_null (loaded);
  rc_test_assert_refused (error, RC_ERROR_ARCHIVE,
                          "the journal of session 'e\\nmpty\xef\xbf\xbd' is empty");
  g_clear_error (&error);

  id = rc_archive_resolve_session (archive, "2022-03-02", NULL, &error);
  g_assert_null (id);
  rc_test_assert_refused (error, RC_ERROR_AMBIGUOUS, "(T/PV.\\r\\n2, 2022-03-02)");
}

static void
test_read_only_folder (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (GError) error = NULL;

  /* An installed archive: a folder the reader cannot write, so no -shm can be made. */
  if (getuid () == 0)
    {
      g_test_skip ("root can write any folder; run the tests as a user to check this");
      return;
    }
  {
    g_autoptr (RcArchive) writer = rc_test_archive_create (f);
    g_assert_true (rc_archive_append_all (writer, "s1", events, &error));
  }
  g_assert_cmpint (g_chmod (f->dir, 0555), ==, 0);
  {
    g_autoptr (RcArchive) archive = rc_archive_open (f->path, RC_ARCHIVE_READ_ONLY, &error);

    g_assert_no_error (error);
    loaded = rc_archive_load_events (archive, "s1", &error);
  }
  g_chmod (f->dir, 0755);
  g_assert_no_error (error);
  rc_test_assert_journals_equal (events, loaded);
}

/* ---------------------------------------------------------------- resolve */

static void
fill_for_resolve (Fixture *f)
{
  /* a and b share a date, a and c a meeting symbol; "common" is a vote id in b and c. */
  const char *const va[] = { "es-1", "A/RES/1", "A/L.1", NULL };
  const char *const vb[] = { "b-1", "A/RES/2", "A/L.2", "common", NULL, NULL, NULL };
  const char *const vc[] = { "common", NULL, "S/2022/155", NULL };
  g_autoptr (GPtrArray) a = rc_test_session_events ("a", "A/PV.5", "2022-03-02", va);
  g_autoptr (GPtrArray) b = rc_test_session_events ("b", "A/PV.6", "2022-03-02", vb);
  g_autoptr (GPtrArray) c = rc_test_session_events ("c", "A/PV.5", "2022-02-25", vc);
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GError) error = NULL;

  g_assert_true (rc_archive_append_all (archive, "a", a, &error));
  g_assert_true (rc_archive_append_all (archive, "b", b, &error));
  g_assert_true (rc_archive_append_all (archive, "c", c, &error));
  g_assert_no_error (error);
}

static void
assert_resolves (RcArchive *archive, const char *selector, const char *vote, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *found = rc_archive_resolve_session (archive, selector, vote, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, id);
}

static void
assert_resolve_fails (RcArchive *archive, const char *selector, const char *vote, int code,
                      const char *reason)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *found = rc_archive_resolve_session (archive, selector, vote, &error);

  g_assert_null (found);
  rc_test_assert_refused (error, code, reason);
}

static void
test_resolve (Fixture *f, gconstpointer data)
{
  g_autoptr (RcArchive) archive = NULL;
  g_autoptr (GError) error = NULL;

  fill_for_resolve (f);
  archive = rc_archive_open (f->path, RC_ARCHIVE_READ_ONLY, &error);
  g_assert_no_error (error);

  assert_resolves (archive, "b", NULL, "b");          /* id */
  assert_resolves (archive, "A/PV.6", NULL, "b");     /* meeting */
  assert_resolves (archive, "2022-02-25", NULL, "c"); /* date */
  assert_resolves (archive, NULL, "A/RES/1", "a");    /* vote symbol alone */
  assert_resolves (archive, NULL, "A/L.2", "b");      /* draft symbol alone */
  assert_resolves (archive, NULL, "S/2022/155", "c");
  assert_resolves (archive, NULL, "es-1", "a");            /* vote id alone */
  assert_resolves (archive, NULL, "2", "b");               /* only b has a 2nd vote */
  assert_resolves (archive, "2022-03-02", "A/RES/2", "b"); /* the vote settles the date */
  assert_resolves (archive, "A/PV.5", "common", "c");      /* … and the meeting */
  assert_resolves (archive, "a", "common", "a");           /* an id is an id */

  assert_resolve_fails (archive, "2022-03-02", NULL, RC_ERROR_AMBIGUOUS,
                        "session '2022-03-02' matches 2 sessions in");
  assert_resolve_fails (archive, "2022-03-02", NULL, RC_ERROR_AMBIGUOUS,
                        ": a (A/PV.5, 2022-03-02), b (A/PV.6, 2022-03-02); give the session id");
  assert_resolve_fails (archive, "A/PV.5", "nothing", RC_ERROR_AMBIGUOUS, "c (A/PV.5, 2022-02-25)");
  assert_resolve_fails (archive, NULL, "common", RC_ERROR_AMBIGUOUS,
                        "vote 'common' is in 2 sessions of");
  assert_resolve_fails (archive, NULL, "1", RC_ERROR_AMBIGUOUS, "is in 3 sessions");
  assert_resolve_fails (archive, NULL, NULL, RC_ERROR_AMBIGUOUS,
                        "holds 3 sessions: c (A/PV.5, 2022-02-25), a (A/PV.5, 2022-03-02), "
                        "b (A/PV.6, 2022-03-02); name one");
  assert_resolve_fails (archive, "2023-01-01", NULL, RC_ERROR_UNKNOWN_SESSION,
                        "has no session '2023-01-01' (by id, meeting or date); it holds c (");
  assert_resolve_fails (archive, NULL, "A/RES/99", RC_ERROR_UNKNOWN_SESSION,
                        "has a vote 'A/RES/99'");
}

/* One rule for every tool (issue 9: `rollcall --replay` took the latest session of
 * several, rollcall-render, rollcall-feed and rollcall-import refused): with neither
 * --session nor --vote, the latest, and a note that says so; with either, exactly
 * what rc_archive_resolve_session() says, refusals included, and no note. */
static void
test_choose (Fixture *f, gconstpointer data)
{
  g_autoptr (RcArchive) archive = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;

  fill_for_resolve (f);
  archive = rc_archive_open (f->path, RC_ARCHIVE_READ_ONLY, &error);
  g_assert_no_error (error);

  id = rc_archive_choose_session (archive, NULL, NULL, &note, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "b"); /* c, a, b in date order */
  expected = g_strdup_printf ("%s holds 3 sessions; taking the latest, b (choose one with "
                              "--session)",
                              f->path);
  g_assert_cmpstr (note, ==, expected);
  g_clear_pointer (&id, g_free);
  g_clear_pointer (&note, g_free);

  id = rc_archive_choose_session (archive, "A/PV.5", "common", &note, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "c");
  g_assert_null (note);
  g_clear_pointer (&id, g_free);

  g_assert_null (rc_archive_choose_session (archive, NULL, "common", &note, &error));
  rc_test_assert_refused (error, RC_ERROR_AMBIGUOUS, "vote 'common' is in 2 sessions of");
  g_assert_null (note);
  g_clear_error (&error);
  g_assert_null (rc_archive_choose_session (archive, "2023-01-01", NULL, &note, &error));
  rc_test_assert_refused (error, RC_ERROR_UNKNOWN_SESSION, "has no session '2023-01-01'");
  g_assert_null (note);
}

static void
test_resolve_single_and_empty (Fixture *f, gconstpointer data)
{
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GPtrArray) events = rc_test_session_events ("only", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) loaded = NULL;

  assert_resolve_fails (archive, NULL, NULL, RC_ERROR_UNKNOWN_SESSION, "holds no sessions");
  loaded = rc_archive_load_events (archive, "only", &error);
  g_assert_null (loaded);
  g_assert_error (error, RC_ERROR, RC_ERROR_UNKNOWN_SESSION);
  g_clear_error (&error);

  g_assert_true (rc_archive_append_all (archive, "only", events, &error));
  assert_resolves (archive, NULL, NULL, "only");
  assert_resolves (archive, NULL, "1", "only");
  assert_resolves (archive, NULL, "T/L.1", "only");
}

static const RcArchiveVoteRow *
only_vote (GPtrArray *rows)
{
  g_assert_nonnull (rows);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (((RcArchiveVoteRow *) g_ptr_array_index (rows, 0))->known);
  return g_ptr_array_index (rows, 0);
}

/* The index of votes (issue 10): each vote's result is kept by an import and used only
 * while fresh — a later event (a live append), an edit of the journal, an archive
 * without the table: the session is folded instead, and the listing stays true. */
static void
test_index (Fixture *f, gconstpointer data)
{
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GPtrArray) events = rc_test_session_events (
    "s", "M/1", "2022-03-02", (const char *const[]){ "v", "A/RES/1", "A/L.1", NULL });
  g_autoptr (GPtrArray) journals = g_ptr_array_new ();
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) correction = NULL;
  g_autofree char *kept = NULL;
  const RcArchiveVoteRow *row;
  const RcEvent *last;

  g_ptr_array_add (journals, events);
  g_assert_true (rc_archive_write_sessions (archive, journals, FALSE, &error));
  g_assert_no_error (error);
  kept = rc_test_sql_text (f->path, "SELECT count (*) FROM vote_results");
  g_assert_cmpstr (kept, ==, "1");

  rows = rc_archive_list_votes (archive, &error);
  g_assert_no_error (error);
  row = only_vote (rows);
  g_assert_cmpstr (row->symbol, ==, "A/RES/1");
  g_assert_cmpstr (row->date, ==, "2022-03-02");
  g_assert_cmpuint (row->position, ==, 1);
  g_assert_cmpint (row->majority, ==, RC_MAJORITY_COUNCIL);
  g_assert_cmpuint (row->tally.yes, ==, 2);
  g_assert_cmpuint (row->tally.abstain, ==, 1);
  g_assert_cmpint (row->outcome, ==, RC_OUTCOME_ADOPTED);

  /* an INSERT OR REPLACE of a row already in a result (REPLACE fires no delete
   * trigger): the session's results are forgotten */
  rc_test_sql_exec (f->path, "INSERT OR REPLACE INTO journal SELECT * FROM journal"
                             " WHERE session_id = 's' AND seq = 2");
  g_free (kept);
  kept = rc_test_sql_text (f->path, "SELECT count (*) FROM vote_results");
  g_assert_cmpstr (kept, ==, "0");

  /* a live append keeps no result: the listing folds the session */
  last = g_ptr_array_index (events, events->len - 1);
  correction = rc_event_new_vote_corrected (last->time + G_USEC_PER_SEC, "v", "BBB", RC_CHOICE_NO,
                                            "intended to vote against");
  correction->seq = events->len + 1;
  g_assert_true (rc_archive_append (archive, "s", correction, &error));
  g_assert_no_error (error);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rc_archive_list_votes (archive, &error);
  row = only_vote (rows);
  g_assert_cmpuint (row->tally.yes, ==, 1);
  g_assert_cmpuint (row->tally.no, ==, 1);
  g_assert_cmpint (row->outcome, ==, RC_OUTCOME_NOT_ADOPTED);

  /* the search: every word, case aside, in the vote's fields or its session's */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rc_archive_find_votes (archive, "a/res/1 TEST  2022-03", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rc_archive_find_votes (archive, "A/RES/1 2021", &error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* an edit of the journal by another tool: its triggers forget the results */
  g_clear_object (&archive);
  rc_test_sql_exec (f->path, "UPDATE journal SET time_us = time_us WHERE session_id = 's'");
  g_free (kept);
  kept = rc_test_sql_text (f->path, "SELECT count (*) FROM vote_results");
  g_assert_cmpstr (kept, ==, "0");

  /* an archive without the table (made before it), read only: folded */
  rc_test_sql_exec (f->path, "DROP TABLE vote_results");
  archive = rc_archive_open (f->path, RC_ARCHIVE_READ_ONLY, &error);
  g_assert_no_error (error);
  rows = rc_archive_list_votes (archive, &error);
  g_assert_no_error (error);
  row = only_vote (rows);
  g_assert_cmpint (row->outcome, ==, RC_OUTCOME_NOT_ADOPTED);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func)                                                                            \
  g_test_add (path, Fixture, NULL, rc_test_archive_set_up, func, rc_test_archive_tear_down)
  ADD ("/archive/create-append-reopen", test_create_append_reopen);
  ADD ("/archive/sequence-refused", test_sequence_refused);
  ADD ("/archive/append-all-atomic", test_append_all_atomic);
  ADD ("/archive/write-sessions", test_write_sessions);
  ADD ("/archive/refuse/foreign-sqlite", test_refuse_foreign_sqlite);
  ADD ("/archive/refuse/not-sqlite", test_refuse_not_sqlite);
  ADD ("/archive/refuse/newer-schema", test_refuse_newer_schema);
  ADD ("/archive/refuse/missing", test_refuse_missing);
  ADD ("/archive/refuse/damaged", test_refuse_damaged);
  ADD ("/archive/refuse/edited-payload", test_refuse_edited_payload);
  ADD ("/archive/refuse/edited-rows-one-line", test_refuse_edited_rows_one_line);
  ADD ("/archive/read-only-folder", test_read_only_folder);
  ADD ("/archive/resolve", test_resolve);
  ADD ("/archive/choose", test_choose);
  ADD ("/archive/resolve-single-and-empty", test_resolve_single_and_empty);
  ADD ("/archive/index", test_index);
#undef ADD
  return g_test_run ();
}
