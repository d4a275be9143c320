/* test-rollcall-import.c — the rollcall-import command as a user runs it: the built
 * program is spawned (its path is this test's argument), and every refusal must be
 * one line on stderr, a non-zero exit, and an archive exactly as it was. */
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "archive/rc-archive.h"
#include "import/rc-import-session.h"
#include "import/rc-jsonl.h"
#include "rc-archive-test-util.h"
#include "rc-json-cases.h"

static const char *program;

typedef struct {
  char *dir;
  char *archive;
  char *ga;
  char *sc;
  int status;
  char *out;
  char *err;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  const char *root = g_getenv ("ROLLCALL_SOURCE_ROOT");

  g_assert_nonnull (root);
  f->dir = rc_test_make_tmpdir ();
  f->archive = g_build_filename (f->dir, "test.rollcall", NULL);
  f->ga = g_build_filename (root, "data", "demo", "ga-es11-2022-03-02.session", NULL);
  f->sc = g_build_filename (root, "data", "demo", "sc-2022-02-25.session", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  rc_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->archive);
  g_free (f->ga);
  g_free (f->sc);
  g_free (f->out);
  g_free (f->err);
}

/* Runs rollcall-import with the NULL-terminated arguments. */
static void
run (Fixture *f, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  va_list args;
  const char *arg;
  int wait_status;

  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  g_ptr_array_add (argv, (char *) program);
  va_start (args, f);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &f->out, &f->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  f->status = WEXITSTATUS (wait_status);
}

/* The refusal a user sees: this exit status and exactly one line on stderr. */
static void
assert_refused (Fixture *f, int status, const char *reason)
{
  g_assert_cmpint (f->status, ==, status);
  g_assert_true (g_str_has_prefix (f->err, "rollcall-import: "));
  g_assert_true (g_str_has_suffix (f->err, "\n"));
  g_assert_true (strchr (f->err, '\n') == f->err + strlen (f->err) - 1);
  if (strstr (f->err, reason) == NULL)
    g_error ("expected \"%s\" on stderr, got: %s", reason, f->err);
  g_assert_cmpstr (f->out, ==, "");
}

/* The journal as a clerk would list it with the sqlite3 tool. */
static char *
journal_dump (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr (GString) dump = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT session_id, seq, payload FROM journal"
                                       " ORDER BY session_id, seq",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (dump, "%s %lld %s\n", sqlite3_column_text (stmt, 0),
                            (long long) sqlite3_column_int64 (stmt, 1),
                            sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&dump), FALSE);
}

/* Only what the test put there: no temporary or half-written archive. */
static void
assert_dir_holds (Fixture *f, const char *const *names)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (!g_strv_contains (names, name))
        g_error ("unexpected file left behind: %s", name);
      n++;
    }
  g_assert_cmpuint (n, ==, g_strv_length ((char **) names));
}

/* A new archive gets the permissions any program would give it, not a temporary
 * file's 0600. */
static void
assert_usual_mode (const char *path)
{
  mode_t mask = umask (0);
  GStatBuf st;

  umask (mask);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0666 & ~mask);
}

static void
test_help (Fixture *f, gconstpointer data)
{
  run (f, "--help", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "--from"));
  g_assert_nonnull (strstr (f->out, "--replace"));
  g_assert_nonnull (strstr (f->out, "-o, --output=ARCHIVE"));
}

/* How many events the importer makes of a source, to check what the program says. */
static guint
count_events (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) imported = rc_import_session_file (path, &error);

  g_assert_no_error (error);
  return imported->events->len;
}

static void
test_import_new (Fixture *f, gconstpointer data)
{
  const char *const left[] = { "test.rollcall", NULL };
  g_auto (GStrv) lines = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *ga_line = NULL, *sc_line = NULL, *sc_last = NULL;
  guint n_sc = count_events (f->sc);

  ga_line
    = g_strdup_printf ("ga-es11-2022-03-02: A/ES-11/PV.5 of 2022-03-02, 1 vote, %u events → %s",
                       count_events (f->ga), f->archive);
  sc_line = g_strdup_printf ("sc-2022-02-25: S/PV.8979 of 2022-02-25, 1 vote, %u events → %s", n_sc,
                             f->archive);
  run (f, "--from", "session", f->ga, f->sc, "-o", f->archive, NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpstr (f->err, ==, "");
  /* One summary line per session. */
  lines = g_strsplit (f->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[0], ==, ga_line);
  g_assert_cmpstr (lines[1], ==, sc_line);
  g_assert_cmpstr (lines[2], ==, "");
  /* The WAL was folded into the file before it was renamed into place. */
  assert_dir_holds (f, left);
  assert_usual_mode (f->archive);
  dump = journal_dump (f->archive);
  sc_last = g_strdup_printf ("sc-2022-02-25 %u {\"v\":1,\"seq\":%u,", n_sc, n_sc);
  g_assert_nonnull (strstr (dump, sc_last));
}

static void
test_refuse_format (Fixture *f, gconstpointer data)
{
  run (f, "--from", "xml", f->ga, "-o", f->archive, NULL);
  assert_refused (f, 2, "--from xml: unknown format; supported: session, jsonl, undl, unvotes");
  run (f, f->ga, "-o", f->archive, NULL);
  assert_refused (f, 2, "--from FORMAT is required");
  /* the datasets' selections go with the datasets only */
  run (f, "--from", "session", "--since", "2022-01-01", f->ga, "-o", f->archive, NULL);
  assert_refused (f, 2, "go with --from undl or --from unvotes");
  g_assert_false (g_file_test (f->archive, G_FILE_TEST_EXISTS));
}

static void
test_refuse_usage (Fixture *f, gconstpointer data)
{
  run (f, "--from", "session", f->ga, NULL);
  assert_refused (f, 2, "-o ARCHIVE is required");
  run (f, "--from", "session", "-o", f->archive, NULL);
  assert_refused (f, 2, "no INPUT given");
  run (f, "--from", "session", "--frobnicate", f->ga, "-o", f->archive, NULL);
  assert_refused (f, 2, "--frobnicate");
  g_assert_false (g_file_test (f->archive, G_FILE_TEST_EXISTS));
}

static void
test_refuse_missing_file (Fixture *f, gconstpointer data)
{
  const char *const nothing[] = { NULL };
  g_autofree char *missing = g_build_filename (f->dir, "nowhere.session", NULL);
  g_autofree char *expected = g_strdup_printf ("rollcall-import: %s: no such file\n", missing);

  run (f, "--from", "session", f->sc, missing, "-o", f->archive, NULL);
  assert_refused (f, 1, "no such file");
  g_assert_cmpstr (f->err, ==, expected);
  assert_dir_holds (f, nothing);
}

static void
test_refuse_unknown_member (Fixture *f, gconstpointer data)
{
  const char *const left[] = { "bad.session", "bad.csv", NULL };
  g_autofree char *csv = g_build_filename (f->dir, "bad.csv", NULL);
  g_autofree char *session = g_build_filename (f->dir, "bad.session", NULL);
  g_autofree char *chamber = NULL;
  g_autofree char *text = NULL;
  const char *root = g_getenv ("ROLLCALL_SOURCE_ROOT");

  chamber = g_build_filename (root, "data", "chambers", "unsc.chamber", NULL);
  text = g_strdup_printf ("[Session]\nid=bad\nmeeting=S/PV.1\ndate=2022-02-25\ntitle=Bad\n"
                          "timezone=UTC\nchamber=%s\nstart=2022-02-25T20:00:00Z\nseed=1\n\n"
                          "[Vote v]\ntitle=T\nballots=bad.csv\nopens=10\nduration=5\n",
                          chamber);
  g_assert_true (g_file_set_contents (session, text, -1, NULL));
  g_assert_true (g_file_set_contents (csv, "iso3,name,vote\nFRA,France,Y\nSUN,USSR,N\n", -1, NULL));

  run (f, "--from", "session", session, "-o", f->archive, NULL);
  assert_refused (
    f, 1, "bad.csv:3: member 'SUN' is not on the roster of the Security Council on 2022-02-25");
  /* Nothing half-made beside the archive's name. */
  assert_dir_holds (f, left);
}

static void
test_refuse_existing_session (Fixture *f, gconstpointer data)
{
  g_autofree char *before = NULL, *after = NULL, *replaced = NULL;

  run (f, "--from", "session", f->sc, "-o", f->archive, NULL);
  g_assert_cmpint (f->status, ==, 0);
  before = journal_dump (f->archive);

  /* Both inputs are read first; the second is already there, so neither is written. */
  run (f, "--from", "session", f->ga, f->sc, "-o", f->archive, NULL);
  assert_refused (f, 1, "already has session 'sc-2022-02-25'");
  after = journal_dump (f->archive);
  g_assert_cmpstr (before, ==, after);

  run (f, "--from", "session", "--replace", f->ga, f->sc, "-o", f->archive, NULL);
  g_assert_cmpint (f->status, ==, 0);
  replaced = journal_dump (f->archive);
  g_assert_nonnull (strstr (replaced, "ga-es11-2022-03-02 1 {"));
  /* The same seed makes the same journal, so the replaced session reads the same. */
  g_assert_nonnull (strstr (replaced, before));
}

static void
test_refuse_bad_input_into_existing (Fixture *f, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (f->dir, "nowhere.session", NULL);
  g_autofree char *before = NULL, *after = NULL;

  run (f, "--from", "session", f->sc, "-o", f->archive, NULL);
  g_assert_cmpint (f->status, ==, 0);
  before = journal_dump (f->archive);

  run (f, "--from", "session", "--replace", f->ga, missing, "-o", f->archive, NULL);
  assert_refused (f, 1, "nowhere.session: no such file");
  after = journal_dump (f->archive);
  g_assert_cmpstr (before, ==, after);

  run (f, "--from", "session", f->sc, f->sc, "-o", f->archive, NULL);
  assert_refused (f, 1, "both describe session 'sc-2022-02-25'");
}

static void
test_refuse_not_an_archive (Fixture *f, gconstpointer data)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (f->archive, "not a database\n", -1, NULL));
  run (f, "--from", "session", f->sc, "-o", f->archive, NULL);
  assert_refused (f, 1, "is not a Rollcall archive (not an SQLite database)");
  g_assert_true (g_file_get_contents (f->archive, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "not a database\n");
}

static void
test_overwrite (Fixture *f, gconstpointer data)
{
  const char *const left[] = { "test.rollcall", NULL };
  g_autofree char *dump = NULL;

  run (f, "--from", "session", f->sc, "-o", f->archive, NULL);
  g_assert_cmpint (f->status, ==, 0);

  /* Only the inputs: the session that was there is gone, not merged. */
  run (f, "--from", "session", "--overwrite", f->ga, "-o", f->archive, NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpstr (f->err, ==, "");
  assert_dir_holds (f, left);
  assert_usual_mode (f->archive);
  dump = journal_dump (f->archive);
  g_assert_nonnull (strstr (dump, "ga-es11-2022-03-02 1 {"));
  g_assert_null (strstr (dump, "sc-2022-02-25"));

  /* Into nothing at all, it is an ordinary new archive. */
  g_unlink (f->archive);
  run (f, "--from", "session", "--overwrite", f->sc, "-o", f->archive, NULL);
  g_assert_cmpint (f->status, ==, 0);
  assert_dir_holds (f, left);
}

static void
test_refuse_overwrite (Fixture *f, gconstpointer data)
{
  g_autofree char *contents = NULL;
  g_autofree char *before = NULL, *after = NULL;

  run (f, "--from", "session", "--overwrite", "--replace", f->sc, "-o", f->archive, NULL);
  assert_refused (f, 2, "--overwrite and --replace do not go together");

  /* A mistyped -o naming some other file. */
  g_assert_true (g_file_set_contents (f->archive, "iso3,vote\nALB,Y\n", -1, NULL));
  run (f, "--from", "session", "--overwrite", f->sc, "-o", f->archive, NULL);
  assert_refused (f, 1, "is not a Rollcall archive; --overwrite replaces only an archive");
  g_assert_true (g_file_get_contents (f->archive, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "iso3,vote\nALB,Y\n");
  g_unlink (f->archive);

  /* An archive another program is writing to: its changes are still in the -wal. */
  run (f, "--from", "session", f->sc, "-o", f->archive, NULL);
  g_assert_cmpint (f->status, ==, 0);
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (RcArchive) writer = rc_archive_open (f->archive, RC_ARCHIVE_READ_WRITE, &error);
    g_autoptr (GPtrArray) events = rc_test_session_events ("busy", "T/PV.1", "2022-03-02", NULL);
    g_autoptr (GPtrArray) journals = g_ptr_array_new ();

    g_assert_no_error (error);
    g_ptr_array_add (journals, events);
    g_assert_true (rc_archive_write_sessions (writer, journals, FALSE, &error));
    g_assert_no_error (error);
    before = journal_dump (f->archive);
    run (f, "--from", "session", "--overwrite", f->ga, "-o", f->archive, NULL);
    assert_refused (f, 1, "is being written by another program (");
    after = journal_dump (f->archive);
    g_assert_cmpstr (before, ==, after);
  }
  /* Once it is closed, the archive may be replaced. */
  run (f, "--from", "session", "--overwrite", f->ga, "-o", f->archive, NULL);
  g_assert_cmpint (f->status, ==, 0);
}

/* Export a session as JSON Lines, import it into a new archive: the same journal. */
static void
test_export_import_jsonl (Fixture *f, gconstpointer data)
{
  g_autofree char *jsonl = g_build_filename (f->dir, "ga.jsonl", NULL);
  g_autofree char *copy = g_build_filename (f->dir, "copy.rollcall", NULL);
  g_autofree char *stdout_text = NULL;
  g_autofree char *file_text = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  run (f, "--from", "session", f->ga, f->sc, "-o", f->archive, NULL);
  g_assert_cmpint (f->status, ==, 0);

  run (f, "--export", f->archive, "--session", "2022-03-02", "-o", jsonl, NULL);
  g_assert_cmpint (f->status, ==, 0);
  assert_usual_mode (jsonl);
  run (f, "--export", f->archive, "--session", "A/ES-11/PV.5", "-o", "-", NULL);
  g_assert_cmpint (f->status, ==, 0);
  stdout_text = g_steal_pointer (&f->out);
  g_assert_true (g_file_get_contents (jsonl, &file_text, NULL, NULL));
  g_assert_cmpstr (stdout_text, ==, file_text);
  g_assert_true (g_str_has_prefix (file_text, "{\"v\":1,\"seq\":1,"));

  run (f, "--from", "jsonl", jsonl, "-o", copy, NULL);
  g_assert_cmpint (f->status, ==, 0);
  /* the same events, byte for byte, under the same session id */
  before = rc_test_sql_text (f->archive, "SELECT group_concat(payload, char(10)) FROM "
                                         "(SELECT payload FROM journal WHERE session_id = "
                                         "'ga-es11-2022-03-02' ORDER BY seq)");
  after = rc_test_sql_text (copy, "SELECT group_concat(payload, char(10)) FROM "
                                  "(SELECT payload FROM journal ORDER BY seq)");
  g_assert_cmpstr (before, ==, after);
}

/* A session without a meeting symbol (it is optional) is named by its date. */
static void
test_import_without_meeting (Fixture *f, gconstpointer data)
{
  g_autofree char *jsonl = g_build_filename (f->dir, "ga.jsonl", NULL);
  g_autofree char *bare = g_build_filename (f->dir, "bare.jsonl", NULL);
  g_autofree char *copy = g_build_filename (f->dir, "copy.rollcall", NULL);
  g_autofree char *text = NULL;
  g_autofree char *head = NULL;
  g_autofree char *without = NULL;
  g_autofree char *expected = NULL;
  g_autoptr (GError) error = NULL;
  const char *meeting = "\"meeting\":\"A/ES-11/PV.5\",";
  char *at;

  run (f, "--from", "session", f->ga, "-o", f->archive, NULL);
  g_assert_cmpint (f->status, ==, 0);
  run (f, "--export", f->archive, "-o", jsonl, NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_true (g_file_get_contents (jsonl, &text, NULL, NULL));
  at = strstr (text, meeting);
  g_assert_nonnull (at);
  head = g_strndup (text, at - text);
  without = g_strconcat (head, at + strlen (meeting), NULL);
  g_assert_true (g_file_set_contents (bare, without, -1, &error));
  g_assert_no_error (error);

  run (f, "--from", "jsonl", bare, "-o", copy, NULL);
  g_assert_cmpint (f->status, ==, 0);
  expected = g_strdup_printf ("ga-es11-2022-03-02: 2022-03-02, 1 vote, 193 events → %s\n", copy);
  g_assert_cmpstr (f->out, ==, expected);
}

static void
test_refuse_export (Fixture *f, gconstpointer data)
{
  g_autofree char *jsonl = g_build_filename (f->dir, "x.jsonl", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "bad.jsonl", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  run (f, "--from", "session", f->ga, f->sc, "-o", f->archive, NULL);
  g_assert_cmpint (f->status, ==, 0);

  /* several sessions, none named: the latest, as every tool takes it, and a note */
  run (f, "--export", f->archive, "-o", jsonl, NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->err, "rollcall-import: "));
  g_assert_nonnull (strstr (f->err, " holds 2 sessions; taking the latest, "));
  g_assert_nonnull (strstr (f->err, "(choose one with --session)\n"));
  g_assert_true (g_file_test (jsonl, G_FILE_TEST_EXISTS));
  g_unlink (jsonl);
  run (f, "--export", f->archive, "--session", "1999-01-01", "-o", jsonl, NULL);
  assert_refused (f, 1, "1999-01-01");
  run (f, "--export", f->archive, NULL);
  assert_refused (f, 2, "-o FILE is required");
  /* JSON Lines in a file whose name says otherwise: refused, nothing written */
  {
    g_autofree char *csv = g_build_filename (f->dir, "x.csv", NULL);

    run (f, "--export", f->archive, "-o", csv, NULL);
    assert_refused (f, 2, "x.csv: --export writes JSON Lines; name the file .jsonl");
    g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));
  }
  /* the extension in any case, as rollcall-render reads its own */
  {
    g_autofree char *upper = g_build_filename (f->dir, "X.JSONL", NULL);

    run (f, "--export", f->archive, "--session", "2022-03-02", "-o", upper, NULL);
    g_assert_cmpint (f->status, ==, 0);
    g_assert_true (g_file_test (upper, G_FILE_TEST_EXISTS));
    g_unlink (upper);
  }
  run (f, "--export", f->archive, f->archive, "-o", jsonl, NULL);
  assert_refused (f, 2, "--export takes exactly one archive");
  run (f, "--export", "--from", "session", f->archive, "-o", jsonl, NULL);
  assert_refused (f, 2, "--export takes an archive");
  run (f, "--from", "session", "--session", "x", f->ga, "-o", f->archive, NULL);
  assert_refused (f, 2, "--session goes with --export");
  g_assert_false (g_file_test (jsonl, G_FILE_TEST_EXISTS));

  /* a damaged JSON Lines file: refused with its line, the archive unchanged */
  g_assert_true (g_file_set_contents (bad, "{\"v\":1,\"seq\":1,\"type\":\"ballot\"}\n", -1, NULL));
  before = journal_dump (f->archive);
  run (f, "--from", "jsonl", bad, "-o", f->archive, NULL);
  assert_refused (f, 1, "bad.jsonl:1: ");
  after = journal_dump (f->archive);
  g_assert_cmpstr (before, ==, after);
}

/* ---------------------------------------------------------------- strict JSON */

#define LINE_5_ENVELOPE                                                          \
  "\"v\":1,\"seq\":5,\"time\":\"2022-03-02T16:36:01.000Z\",\"type\":\"ballot\"," \
  "\"vote\":\"es-11-1\","

/* The demo's General Assembly meeting up to the opening of its vote, as JSON Lines
 * (four lines: session, vote-scheduled, on-air, vote-opened), then line 5: text with the
 * envelope of a ballot of that vote, then a line that would be good. */
static char *
write_jsonl_with_line_5 (Fixture *f, const char *text)
{
  g_autofree char *demo
    = g_build_filename (g_getenv ("ROLLCALL_BUILD_ROOT"), "data", "demo", "demo.rollcall", NULL);
  g_autofree char *path = g_build_filename (f->dir, "ga.jsonl", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (demo, RC_ARCHIVE_READ_ONLY, &error);
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GString) file = NULL;
  g_autofree char *head = NULL, *line = NULL;
  gsize length;

  g_assert_no_error (error);
  events = rc_archive_load_events (archive, "ga-es11-2022-03-02", &error);
  g_assert_no_error (error);
  g_ptr_array_set_size (events, 4);
  head = rc_jsonl_write (events);
  line = rc_json_case_text (text, LINE_5_ENVELOPE, &length);
  file = g_string_new (head);
  g_string_append_len (file, line, (gssize) length);
  g_string_append (file,
                   "\n{\"v\":1,\"seq\":6,\"time\":\"2022-03-02T16:36:02.000Z\",\"type\":"
                   "\"ballot\",\"vote\":\"es-11-1\",\"member\":\"ALB\",\"choice\":\"yes\"}\n");
  g_assert_true (g_file_set_contents (path, file->str, (gssize) file->len, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* A JSON Lines file with a line that is not RFC 8259 JSON (or passes a limit of ours;
 * tests/archive/rc-json-cases.c) is refused in one line naming the file's line, and no
 * archive is made, not even half of one. */
static void
test_jsonl_strict (Fixture *f, gconstpointer data)
{
  const RcJsonCase *c = data;
  g_autofree char *jsonl = write_jsonl_with_line_5 (f, c->text);
  g_autofree char *where = g_strconcat (jsonl, ":5: ", NULL);
  g_autoptr (GDir) dir = NULL;

  run (f, "--from", "jsonl", jsonl, "-o", f->archive, NULL);
  assert_refused (f, 1, where);
  if (strstr (f->err, c->reason) == NULL)
    g_error ("expected \"%s\" on stderr, got: %s", c->reason, f->err);
  /* only the input in the folder: no archive, no temporary file */
  dir = g_dir_open (f->dir, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "ga.jsonl");
  g_assert_null (g_dir_read_name (dir));
}

/* The same file without the fault is imported whole. */
static void
test_jsonl_strict_good (Fixture *f, gconstpointer data)
{
  const char *texts[] = { RC_JSON_CASE_GOOD, RC_JSON_CASE_DEEPEST };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *jsonl = write_jsonl_with_line_5 (f, texts[i]);
      g_autofree char *expected = NULL;

      g_autofree char *warning = g_strdup_printf (
        "rollcall-import: warning: %s:4: vote 'es-11-1', opened here, is still open at the end "
        "of the file: the journal stops mid-ballot\n",
        jsonl);

      run (f, "--from", "jsonl", "--overwrite", jsonl, "-o", f->archive, NULL);
      /* (five lines of the demo's journal: the vote stops at its first ballot, and the
       * import says so) */
      g_assert_cmpstr (f->err, ==, warning);
      g_assert_cmpint (f->status, ==, 0);
      expected = g_strdup_printf (
        "ga-es11-2022-03-02: A/ES-11/PV.5 of 2022-03-02, 1 vote, 6 events → %s\n", f->archive);
      g_assert_cmpstr (f->out, ==, expected);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: %s PATH-OF-rollcall-import", argv[0]);
  program = argv[1];

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rollcall-import/help", test_help);
  ADD ("/rollcall-import/import-new", test_import_new);
  ADD ("/rollcall-import/refuse/format", test_refuse_format);
  ADD ("/rollcall-import/refuse/usage", test_refuse_usage);
  ADD ("/rollcall-import/refuse/missing-file", test_refuse_missing_file);
  ADD ("/rollcall-import/refuse/unknown-member", test_refuse_unknown_member);
  ADD ("/rollcall-import/refuse/existing-session", test_refuse_existing_session);
  ADD ("/rollcall-import/refuse/bad-input-into-existing", test_refuse_bad_input_into_existing);
  ADD ("/rollcall-import/refuse/not-an-archive", test_refuse_not_an_archive);
  ADD ("/rollcall-import/overwrite", test_overwrite);
  ADD ("/rollcall-import/refuse/overwrite", test_refuse_overwrite);
  ADD ("/rollcall-import/export-import-jsonl", test_export_import_jsonl);
  ADD ("/rollcall-import/import-without-meeting", test_import_without_meeting);
  ADD ("/rollcall-import/refuse/export", test_refuse_export);
  ADD ("/rollcall-import/strict-json-good", test_jsonl_strict_good);
  for (guint i = 0; i < rc_json_n_cases; i++)
    {
      g_autofree char *path
        = g_strdup_printf ("/rollcall-import/refuse/strict-json/%s", rc_json_cases[i].name);

      g_test_add (path, Fixture, &rc_json_cases[i], fixture_set_up, test_jsonl_strict,
                  fixture_tear_down);
    }
#undef ADD
  return g_test_run ();
}
