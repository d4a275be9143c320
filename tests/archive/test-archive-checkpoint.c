/* test-archive-checkpoint.c — checkpoints are only an accelerator: a session's state
 * loaded from its checkpoint and the events after it is, byte for byte, the state the
 * whole journal folds to, over the demo's meetings and long random sessions of every
 * kind of event, after every batch written; and a checkpoint that is missing (an
 * archive made before them), stale (the journal edited by hand, as with the sqlite3
 * tool), damaged or of another format is passed over for the whole journal. A commit torn at any byte (a crash while it was written, in the
 * middle of a checkpoint too) leaves the journal as before it or after it, never in
 * between. docs/archive.md, "Checkpoints". */
#include <string.h>

#include <glib/gstdio.h>

#include "archive/rc-archive.h"
#include "codec/rc-codec.h"
#include "model/rc-error.h"
#include "model/rc-replay.h"
#include "rc-archive-test-util.h"
#include "rc-test-random-session.h"

typedef RcTestArchive Fixture;

#define SESSION "s1"

static RcEvent *
session_event (void)
{
  g_autoptr (RcChamberInfo) chamber = rc_test_chamber_info ();
  g_autoptr (RcRoster) roster = rc_test_roster ();
  RcSessionInfo info = { (char *) SESSION,      (char *) "T/PV.1",       (char *) "2026-12-07",
                         (char *) "A long day", (char *) "Europe/Paris", FALSE };

  return rc_event_new_session (G_GINT64_CONSTANT (1796630400) * G_USEC_PER_SEC, &info, chamber,
                               roster);
}

static GPtrArray *
random_session (guint n, guint32 seed)
{
  g_autoptr (RcEvent) first = session_event ();

  return rc_test_random_session (first, n, seed);
}

static char *
dump (RcSession *session)
{
  g_autoptr (RcSnapshot) snapshot = rc_session_snapshot (session);

  return rc_codec_encode_snapshot (snapshot, "dump");
}

/* The state the whole journal folds to, every event applied. */
static char *
full_fold (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (RcSession) session = rc_session_new ();

  g_assert_no_error (error);
  events = rc_archive_load_events (archive, SESSION, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rc_session_fold (session, events, G_MAXINT64, &error), ==, events->len);
  g_assert_no_error (error);
  return dump (session);
}

/* The state as a restart loads it (a new connection); *tail: how many events were
 * folded on top of the checkpoint (all of them without one). */
static char *
loaded (const char *path, guint *tail_len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  g_autoptr (GPtrArray) tail = NULL;
  g_autoptr (RcSession) session = NULL;

  g_assert_no_error (error);
  session = rc_archive_load_state (archive, SESSION, &tail, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  if (tail_len != NULL)
    *tail_len = tail->len;
  return dump (session);
}

static gint64
sql_int (const char *path, const char *sql)
{
  g_autofree char *text = rc_test_sql_text (path, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

static gint64
checkpoint_seq (const char *path)
{
  return sql_int (path, "SELECT seq FROM checkpoints WHERE session_id = '" SESSION "'");
}

static void
append_range (RcArchive *archive, GPtrArray *events, guint from, guint to)
{
  g_autoptr (GPtrArray) batch = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;

  for (guint i = from; i < to; i++)
    g_ptr_array_add (batch, g_ptr_array_index (events, i));
  g_assert_true (rc_archive_append_all (archive, SESSION, batch, &error));
  g_assert_no_error (error);
}

/* The loaded state is the full fold's, and it came from the checkpoint. */
static void
assert_loads_from_checkpoint (const char *path, guint n_events)
{
  g_autofree char *expected = full_fold (path);
  g_autofree char *seen = NULL;
  gint64 at = checkpoint_seq (path);
  guint tail_len;

  g_assert_cmpint (at, >=, 1);
  seen = loaded (path, &tail_len);
  g_assert_cmpstr (seen, ==, expected);
  g_assert_cmpuint (tail_len, ==, n_events - at);
}

/* The loaded state is the full fold's, without the checkpoint (passed over). */
static void
assert_loads_whole_journal (const char *path, guint n_events)
{
  g_autofree char *expected = full_fold (path);
  g_autofree char *seen = NULL;
  guint tail_len;

  seen = loaded (path, &tail_len);
  g_assert_cmpstr (seen, ==, expected);
  g_assert_cmpuint (tail_len, ==, n_events);
}

/* ---------------------------------------------------------------- equality */

/* Long random sessions written in batches of random length, a checkpoint every few
 * events: after every batch, what a restart loads is the whole journal's fold. */
static void
test_equals_full_fold (Fixture *f, gconstpointer data)
{
  const guint32 seeds[] = { 1, 20261207, 4242 };

  for (gsize s = 0; s < G_N_ELEMENTS (seeds); s++)
    {
      g_autoptr (GPtrArray) events = random_session (1200, seeds[s]);
      g_autoptr (GRand) rand = g_rand_new_with_seed (seeds[s]);
      g_autoptr (RcArchive) archive = NULL;
      guint done = 0;

      g_unlink (f->path);
      archive = rc_test_archive_create (f);
      rc_archive_set_checkpoint_every (archive, 1 + s * 17);
      while (done < events->len)
        {
          guint next = MIN (events->len, done + g_rand_int_range (rand, 1, 200));

          append_range (archive, events, done, next);
          done = next;
          assert_loads_from_checkpoint (f->path, done);
        }
    }
}

/* The bundled demo's two meetings, copied batch by batch with a checkpoint every few
 * events: after every batch, what a restart loads is the whole journal's fold. */
static void
test_equals_full_fold_demo (Fixture *f, gconstpointer data)
{
  g_autofree char *path
    = g_build_filename (g_getenv ("ROLLCALL_BUILD_ROOT"), "data", "demo", "demo.rollcall", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) demo = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (302);

  g_assert_no_error (error);
  rows = rc_archive_list_sessions (demo, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint r = 0; r < rows->len; r++)
    {
      const RcArchiveSessionRow *row = g_ptr_array_index (rows, r);
      g_autoptr (GPtrArray) events = rc_archive_load_events (demo, row->id, &error);
      g_autoptr (RcArchive) archive = NULL;
      guint done = 0;

      g_assert_no_error (error);
      g_unlink (f->path);
      archive = rc_test_archive_create (f);
      rc_archive_set_checkpoint_every (archive, 5);
      while (done < events->len)
        {
          g_autoptr (GPtrArray) batch = g_ptr_array_new ();
          guint next = MIN (events->len, done + g_rand_int_range (rand, 1, 10));
          g_autoptr (RcArchive) reader = NULL;
          g_autoptr (RcSession) state = NULL;
          g_autoptr (RcSession) fold = rc_session_new ();
          g_autoptr (GPtrArray) all = NULL;
          g_autofree char *seen = NULL;
          g_autofree char *expected = NULL;

          for (guint i = done; i < next; i++)
            g_ptr_array_add (batch, g_ptr_array_index (events, i));
          g_assert_true (rc_archive_append_all (archive, row->id, batch, &error));
          g_assert_no_error (error);
          done = next;

          reader = rc_archive_open (f->path, RC_ARCHIVE_READ_ONLY, &error);
          g_assert_no_error (error);
          state = rc_archive_load_state (reader, row->id, NULL, &error);
          g_assert_no_error (error);
          all = rc_archive_load_events (reader, row->id, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (rc_session_fold (fold, all, G_MAXINT64, NULL), ==, done);
          seen = dump (state);
          expected = dump (fold);
          g_assert_cmpstr (seen, ==, expected);
        }
    }
}

/* One event at a time, each with its checkpoint when due, in one transaction. */
static void
test_equals_full_fold_appending (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = random_session (400, 7);
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GError) error = NULL;

  rc_archive_set_checkpoint_every (archive, 5);
  append_range (archive, events, 0, 300);
  for (guint i = 300; i < events->len; i++)
    {
      g_assert_true (rc_archive_append (archive, SESSION, g_ptr_array_index (events, i), &error));
      g_assert_no_error (error);
      g_assert_cmpint (checkpoint_seq (f->path), ==, (i + 1) / 5 * 5);
      if (i % 9 == 0)
        assert_loads_from_checkpoint (f->path, i + 1);
    }
  assert_loads_from_checkpoint (f->path, events->len);
}

/* RC_ARCHIVE_CHECKPOINT_EVENTS events, then also a quarter of the last one's size. */
static void
test_default_rule (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = random_session (4 * RC_ARCHIVE_CHECKPOINT_EVENTS, 99);
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GError) error = NULL;
  gint64 size, payload = 0;
  guint i, n = RC_ARCHIVE_CHECKPOINT_EVENTS;

  append_range (archive, events, 0, n - 1);
  g_assert_cmpint (checkpoint_seq (f->path), ==, -1);
  g_assert_true (rc_archive_append (archive, SESSION, g_ptr_array_index (events, n - 1), &error));
  g_assert_no_error (error);
  g_assert_cmpint (checkpoint_seq (f->path), ==, n);
  size = sql_int (f->path, "SELECT length (state) FROM checkpoints");

  /* The next one when both hold. */
  for (i = n; i < events->len; i++)
    {
      g_autofree char *text = rc_codec_encode (g_ptr_array_index (events, i));
      gboolean due;

      payload += strlen (text);
      due = i + 1 - n >= RC_ARCHIVE_CHECKPOINT_EVENTS
            && payload * RC_ARCHIVE_CHECKPOINT_RATIO >= size;
      g_assert_true (rc_archive_append (archive, SESSION, g_ptr_array_index (events, i), &error));
      g_assert_no_error (error);
      if (due)
        break;
      g_assert_cmpint (checkpoint_seq (f->path), ==, n);
    }
  g_assert_cmpuint (i, <, events->len);
  g_assert_cmpint (checkpoint_seq (f->path), ==, i + 1);
  assert_loads_from_checkpoint (f->path, i + 1);
}

/* ---------------------------------------------------------------- passed over */

static const char drop_checkpoints[] = "DROP TRIGGER checkpoints_journal_update;"
                                       "DROP TRIGGER checkpoints_journal_delete;"
                                       "DROP TRIGGER checkpoints_journal_insert;"
                                       "DROP TABLE checkpoints;";

static gint64
n_schema_objects (const char *path)
{
  return sql_int (path, "SELECT count (*) FROM sqlite_schema WHERE name LIKE 'checkpoints%'");
}

/* An archive written before checkpoints existed: read as it always was; given the
 * table when opened for writing; and a checkpoint followed by events that a version
 * without checkpoints appended is still the journal's. */
static void
test_archive_without_checkpoints (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = random_session (900, 3);
  g_autoptr (GError) error = NULL;

  {
    g_autoptr (RcArchive) archive = rc_test_archive_create (f);

    append_range (archive, events, 0, 600);
  }
  g_assert_cmpint (n_schema_objects (f->path), ==, 4);
  rc_test_sql_exec (f->path, drop_checkpoints);
  g_assert_cmpint (n_schema_objects (f->path), ==, 0);

  /* Reading changes nothing. */
  assert_loads_whole_journal (f->path, 600);
  g_assert_cmpint (n_schema_objects (f->path), ==, 0);
  {
    g_autoptr (RcArchive) archive = rc_archive_open (f->path, RC_ARCHIVE_READ_WRITE, &error);

    g_assert_no_error (error);
    g_assert_cmpint (n_schema_objects (f->path), ==, 4);
    append_range (archive, events, 600, 700);
  }
  assert_loads_from_checkpoint (f->path, 700);
  {
    /* As a version without checkpoints would: rows after the checkpoint, none new. */
    g_autoptr (RcArchive) archive = rc_archive_open (f->path, RC_ARCHIVE_READ_WRITE, &error);

    g_assert_no_error (error);
    rc_archive_set_checkpoint_every (archive, 0);
    append_range (archive, events, 700, events->len);
  }
  g_assert_cmpint (checkpoint_seq (f->path), ==, 700);
  assert_loads_from_checkpoint (f->path, events->len);
}

/* A clerk's edits of the journal with the sqlite3 tool, at or before the checkpoint's
 * event: the file's triggers delete the checkpoint, and the edited journal is folded. */
static void
test_stale_after_edit (Fixture *f, gconstpointer data)
{
  static const struct {
    const char *sql;
    guint n_after;
  } edits[] = {
    /* A vote's title; the state differs from before the edit. */
    { "UPDATE journal SET payload = json_set (payload, '$.title', 'Retitled')"
      " WHERE seq = (SELECT min (seq) FROM journal WHERE type = 'vote-scheduled')",
      500 },
    /* The journal cut back to before the checkpoint. */
    { "DELETE FROM journal WHERE seq > 300", 300 },
    /* A row put back in place of itself, by a tool that replaces. */
    { "INSERT OR REPLACE INTO journal SELECT * FROM journal WHERE seq = 2", 500 },
  };
  g_autoptr (GPtrArray) events = random_session (500, 11);

  for (gsize i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autofree char *before = NULL;
      g_autoptr (GError) error = NULL;

      g_unlink (f->path);
      {
        g_autoptr (RcArchive) archive = rc_test_archive_create (f);

        rc_archive_set_checkpoint_every (archive, 450);
        append_range (archive, events, 0, events->len);
      }
      g_assert_cmpint (checkpoint_seq (f->path), ==, 500);
      before = full_fold (f->path);
      rc_test_sql_exec (f->path, edits[i].sql);
      g_assert_cmpint (checkpoint_seq (f->path), ==, -1);
      assert_loads_whole_journal (f->path, edits[i].n_after);
      if (i == 0)
        {
          g_autofree char *after = full_fold (f->path);

          g_assert_cmpstr (before, !=, after);
        }
      /* and appending goes on from the edited journal, checkpoint renewed */
      {
        g_autoptr (RcArchive) archive = rc_archive_open (f->path, RC_ARCHIVE_READ_WRITE, &error);
        g_autoptr (GPtrArray) more = random_session (edits[i].n_after + 10, 11);

        g_assert_no_error (error);
        rc_archive_set_checkpoint_every (archive, 5);
        append_range (archive, more, edits[i].n_after, more->len);
      }
      assert_loads_from_checkpoint (f->path, edits[i].n_after + 10);
    }
}

/* Edits after the checkpoint's event leave it standing: they are folded anyway. */
static void
test_edit_after_checkpoint (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = random_session (300, 12);

  {
    g_autoptr (RcArchive) archive = rc_test_archive_create (f);

    rc_archive_set_checkpoint_every (archive, 200);
    append_range (archive, events, 0, 200);
    rc_archive_set_checkpoint_every (archive, 0);
    append_range (archive, events, 200, 300);
  }
  rc_test_sql_exec (f->path, "DELETE FROM journal WHERE seq > 250");
  g_assert_cmpint (checkpoint_seq (f->path), ==, 200);
  assert_loads_from_checkpoint (f->path, 250);
}

/* The checksum of docs/archive.md, computed here from the document. */
static char *
doc_checksum (const char *session, gint64 seq, gint64 time, gint64 format, const char *state)
{
  g_autofree char *text
    = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%s",
                       session, seq, time, format, state);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* Rewrites the checkpoint's row as `sql` says (with ?1 the doc's checksum of the new
 * columns, computed after the others are set), through the sqlite3 library. */
static void
rewrite_checkpoint (const char *path, const char *set, gboolean fix_checksum)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE checkpoints SET %s", set);
  g_autofree char *state = NULL;
  g_autofree char *fixed = NULL;

  rc_test_sql_exec (path, sql);
  if (!fix_checksum)
    return;
  state = rc_test_sql_text (path, "SELECT state FROM checkpoints");
  {
    g_autofree char *checksum
      = doc_checksum (SESSION, sql_int (path, "SELECT seq FROM checkpoints"),
                      sql_int (path, "SELECT time_us FROM checkpoints"),
                      sql_int (path, "SELECT format FROM checkpoints"), state);

    fixed = g_strdup_printf ("UPDATE checkpoints SET checksum = '%s'", checksum);
  }
  rc_test_sql_exec (path, fixed);
}

/* Damaged, of another format, at odds with its row or its journal: passed over, and
 * replaced by the next checkpoint written. */
static void
test_damaged (Fixture *f, gconstpointer data)
{
  static const struct {
    const char *set;
    gboolean fix_checksum;
  } damages[] = {
    /* A vote's state edited by hand, checksum left as it was. */
    { "state = replace (state, '\"open\"', '\"locked\"')", FALSE },
    { "checksum = 'x'", FALSE },
    { "checksum = upper (checksum)", FALSE },
    /* Written by another version, as that version would. */
    { "format = 2", TRUE },
    { "format = 0", TRUE },
    /* Not a snapshot, not JSON. */
    { "state = '{\"v\":1,\"type\":\"ballot\"}'", TRUE },
    { "state = 'not json'", TRUE },
    /* Said to be at another event than the state it holds. */
    { "seq = seq - 1", TRUE },
    { "time_us = time_us + 1", TRUE },
    /* A state that cannot be (an open vote said cancelled, with its ballots). */
    { "state = replace (state, '\"state\":\"open\"', '\"state\":\"cancelled\"')", TRUE },
    /* A state the events after it do not follow: a member renamed (BBB's ballots
     * after the checkpoint are refused). */
    { "state = replace (state, '\"BBB\"', '\"BBX\"')", TRUE },
  };
  g_autoptr (GPtrArray) events = random_session (400, 13);
  g_autoptr (GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (damages); i++)
    {
      g_unlink (f->path);
      {
        g_autoptr (RcArchive) archive = rc_test_archive_create (f);

        rc_archive_set_checkpoint_every (archive, 300);
        append_range (archive, events, 0, 300);
        rc_archive_set_checkpoint_every (archive, 0);
        append_range (archive, events, 300, 350);
      }
      assert_loads_from_checkpoint (f->path, 350);
      rewrite_checkpoint (f->path, damages[i].set, damages[i].fix_checksum);
      g_test_message ("damage: %s", damages[i].set);
      assert_loads_whole_journal (f->path, 350);
      {
        g_autoptr (RcArchive) archive = rc_archive_open (f->path, RC_ARCHIVE_READ_WRITE, &error);

        g_assert_no_error (error);
        rc_archive_set_checkpoint_every (archive, 40);
        append_range (archive, events, 350, events->len);
      }
      g_assert_cmpint (checkpoint_seq (f->path), ==, events->len);
      assert_loads_from_checkpoint (f->path, events->len);
    }
}

/* Without the triggers (a clerk dropped them), the checkpoint's own event edited: its
 * time no longer matches, and it is passed over. */
static void
test_stale_without_triggers (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = random_session (300, 14);

  {
    g_autoptr (RcArchive) archive = rc_test_archive_create (f);

    rc_archive_set_checkpoint_every (archive, 250);
    append_range (archive, events, 0, 250);
    rc_archive_set_checkpoint_every (archive, 0);
    append_range (archive, events, 250, events->len);
  }
  rc_test_sql_exec (f->path, "DROP TRIGGER checkpoints_journal_update;"
                             "UPDATE journal SET time_us = time_us - 1 WHERE seq = 250");
  g_assert_cmpint (checkpoint_seq (f->path), ==, 250);
  assert_loads_whole_journal (f->path, 300);
}

/* A journal the state machine refuses is refused, checkpoint or not. */
static void
test_damaged_journal (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = random_session (300, 15);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = NULL;
  g_autoptr (RcSession) state = NULL;
  g_autofree char *ballot = NULL;
  g_autofree char *sql = NULL;

  {
    g_autoptr (RcArchive) writer = rc_test_archive_create (f);

    rc_archive_set_checkpoint_every (writer, 200);
    append_range (writer, events, 0, 200);
    rc_archive_set_checkpoint_every (writer, 0);
    append_range (writer, events, 200, events->len);
  }
  ballot = rc_test_sql_text (f->path, "SELECT seq FROM journal WHERE type = 'ballot'"
                                      " AND seq > 200 ORDER BY seq LIMIT 1");
  g_assert_nonnull (ballot);
  sql = g_strdup_printf ("DROP TRIGGER checkpoints_journal_update;"
                         "UPDATE journal SET member = 'ZZZ',"
                         " payload = json_set (payload, '$.member', 'ZZZ') WHERE seq = %s",
                         ballot);
  rc_test_sql_exec (f->path, sql);
  g_assert_cmpint (checkpoint_seq (f->path), ==, 200);

  archive = rc_archive_open (f->path, RC_ARCHIVE_READ_WRITE, &error);
  g_assert_no_error (error);
  state = rc_archive_load_state (archive, SESSION, NULL, &error);
  g_assert_null (state);
  rc_test_assert_refused (error, RC_ERROR_ARCHIVE, "is damaged: event ");
  g_assert_nonnull (strstr (error->message, "ZZZ"));
  g_clear_error (&error);
  {
    g_autoptr (GPtrArray) more = random_session (301, 15);

    g_assert_false (rc_archive_append (archive, SESSION, g_ptr_array_index (more, 300), &error));
    rc_test_assert_refused (error, RC_ERROR_ARCHIVE, "nothing can be added to it");
  }
}

/* ---------------------------------------------------------------- crashes */

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : -1;
}

static void
copy_file (const char *from, const char *to, gint64 length)
{
  g_autofree char *contents = NULL;
  gsize size;

  g_assert_true (g_file_get_contents (from, &contents, &size, NULL));
  g_assert_cmpint (length, <=, (gint64) size);
  g_assert_true (g_file_set_contents (to, contents, length, NULL));
}

/* Where to tear the WAL next, between start and end: every 257 bytes, at each byte
 * around a frame's boundary (a frame is a 24-byte header and a 4096-byte page), and at
 * each of the last 24 bytes. */
static gint64
next_offset (gint64 offset, gint64 start, gint64 end)
{
  const gint64 frame = 24 + 4096;
  gint64 in_frame = (offset - start) % frame;

  if (offset >= end - 24 || in_frame < 2 || in_frame >= frame - 2)
    return offset + 1;
  return MIN (offset + 257, MIN (offset - in_frame + frame - 2, end - 24));
}

/* The commit of one event with its checkpoint (several pages: the journal's, its
 * index's, the checkpoint's) torn at every offset, as a crash in the middle of writing
 * it would leave the file: SQLite's recovery finds the journal as before the event or
 * after it, the checkpoint with it, and a restart's state is the journal's. */
static void
test_torn_commit (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = random_session (60, 16);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *copy = g_build_filename (f->dir, "copy.rollcall", NULL);
  g_autofree char *copy_wal = g_strconcat (copy, "-wal", NULL);
  g_autofree char *copy_shm = g_strconcat (copy, "-shm", NULL);
  g_autofree char *db_before = g_build_filename (f->dir, "before.db", NULL);
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GError) error = NULL;
  gint64 wal_before, wal_after, offset;
  guint n_before = 0, n_after = 0;

  rc_archive_set_checkpoint_every (archive, events->len);
  append_range (archive, events, 0, events->len - 1);
  /* The database file as it stands (a commit in WAL mode writes only the WAL). */
  copy_file (f->path, db_before, file_size (f->path));
  wal_before = file_size (wal);
  g_assert_true (
    rc_archive_append (archive, SESSION, g_ptr_array_index (events, events->len - 1), &error));
  g_assert_no_error (error);
  g_assert_cmpint (checkpoint_seq (f->path), ==, events->len);
  wal_after = file_size (wal);
  g_assert_cmpint (wal_after, >, wal_before + 3 * 4096);

  for (offset = wal_before; offset <= wal_after;
       offset = next_offset (offset, wal_before, wal_after))
    {
      g_autoptr (RcArchive) torn = NULL;
      g_autoptr (RcSession) state = NULL;
      g_autoptr (GPtrArray) tail = NULL;
      gint64 last;

      g_unlink (copy_shm);
      copy_file (db_before, copy, file_size (db_before));
      copy_file (wal, copy_wal, offset);
      torn = rc_archive_open (copy, RC_ARCHIVE_READ_WRITE, &error);
      g_assert_no_error (error);
      last = rc_archive_get_last_seq (torn, SESSION, &error);
      g_assert_no_error (error);
      g_assert_true (last == events->len - 1 || last == events->len);
      if (last == events->len)
        n_after++;
      else
        n_before++;
      state = rc_archive_load_state (torn, SESSION, &tail, &error);
      g_assert_no_error (error);
      {
        g_autofree char *seen = dump (state);
        g_autofree char *expected = full_fold (copy);

        g_assert_cmpstr (seen, ==, expected);
      }
      /* The checkpoint is there exactly when its event is. */
      g_assert_cmpint (checkpoint_seq (copy), ==, last == events->len ? last : -1);
      g_assert_cmpuint (tail->len, ==, last == events->len ? 0 : last);
      /* and the journal goes on */
      if (last == events->len - 1)
        {
          g_assert_true (
            rc_archive_append (torn, SESSION, g_ptr_array_index (events, events->len - 1), &error));
          g_assert_no_error (error);
        }
    }
  g_test_message ("WAL %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " bytes: %u torn copies before"
                  " the event, %u after",
                  wal_before, wal_after, n_before, n_after);
  /* Only the whole commit counts. */
  g_assert_cmpuint (n_after, >=, 1);
  g_assert_cmpuint (n_before, >, n_after);
}

/* ---------------------------------------------------------------- the rest */

/* An import replacing a session takes its checkpoint with it; imports write none. */
static void
test_replace_session (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = random_session (400, 17);
  g_autoptr (GPtrArray) journals = g_ptr_array_new ();
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GError) error = NULL;

  append_range (archive, events, 0, events->len);
  g_assert_cmpint (checkpoint_seq (f->path), ==, events->len);
  g_ptr_array_add (journals, events);
  g_assert_true (rc_archive_write_sessions (archive, journals, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (checkpoint_seq (f->path), ==, -1);
  assert_loads_whole_journal (f->path, events->len);
}

/* The session begun last, as a live server continues it, without reading journals. */
static void
test_latest_session (Fixture *f, gconstpointer data)
{
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GError) error = NULL;
  g_autofree char *none = NULL;
  const struct {
    const char *id, *date;
    gint64 start;
  } sessions[] = {
    { "b-late", "2022-01-01", 3000 },
    { "a-early", "2023-01-01", 1000 },
    { "c-middle", "2021-01-01", 2000 },
  };

  g_assert_true (rc_archive_get_latest_session (archive, &none, &error));
  g_assert_no_error (error);
  g_assert_null (none);
  for (gsize i = 0; i < G_N_ELEMENTS (sessions); i++)
    {
      g_autoptr (GPtrArray) events
        = rc_test_session_events (sessions[i].id, NULL, sessions[i].date, NULL);
      RcEvent *first = g_ptr_array_index (events, 0);
      g_autofree char *latest = NULL;

      first->time = sessions[i].start * G_USEC_PER_SEC;
      g_assert_true (rc_archive_append_all (archive, sessions[i].id, events, &error));
      g_assert_no_error (error);
      g_assert_true (rc_archive_get_latest_session (archive, &latest, &error));
      g_assert_cmpstr (latest, ==, "b-late");
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/checkpoint/equals-full-fold", Fixture, NULL, rc_test_archive_set_up,
              test_equals_full_fold, rc_test_archive_tear_down);
  g_test_add ("/checkpoint/equals-full-fold-demo", Fixture, NULL, rc_test_archive_set_up,
              test_equals_full_fold_demo, rc_test_archive_tear_down);
  g_test_add ("/checkpoint/equals-full-fold-appending", Fixture, NULL, rc_test_archive_set_up,
              test_equals_full_fold_appending, rc_test_archive_tear_down);
  g_test_add ("/checkpoint/default-rule", Fixture, NULL, rc_test_archive_set_up, test_default_rule,
              rc_test_archive_tear_down);
  g_test_add ("/checkpoint/archive-without-checkpoints", Fixture, NULL, rc_test_archive_set_up,
              test_archive_without_checkpoints, rc_test_archive_tear_down);
  g_test_add ("/checkpoint/stale-after-edit", Fixture, NULL, rc_test_archive_set_up,
              test_stale_after_edit, rc_test_archive_tear_down);
  g_test_add ("/checkpoint/edit-after-checkpoint", Fixture, NULL, rc_test_archive_set_up,
              test_edit_after_checkpoint, rc_test_archive_tear_down);
  g_test_add ("/checkpoint/damaged", Fixture, NULL, rc_test_archive_set_up, test_damaged,
              rc_test_archive_tear_down);
  g_test_add ("/checkpoint/stale-without-triggers", Fixture, NULL, rc_test_archive_set_up,
              test_stale_without_triggers, rc_test_archive_tear_down);
  g_test_add ("/checkpoint/damaged-journal", Fixture, NULL, rc_test_archive_set_up,
              test_damaged_journal, rc_test_archive_tear_down);
  g_test_add ("/checkpoint/torn-commit", Fixture, NULL, rc_test_archive_set_up, test_torn_commit,
              rc_test_archive_tear_down);
  g_test_add ("/checkpoint/replace-session", Fixture, NULL, rc_test_archive_set_up,
              test_replace_session, rc_test_archive_tear_down);
  g_test_add ("/checkpoint/latest-session", Fixture, NULL, rc_test_archive_set_up,
              test_latest_session, rc_test_archive_tear_down);
  return g_test_run ();
}
