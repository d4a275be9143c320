/* test-render-cli.c — the built rollcall-render, run as a user would: the bundled demo
 * archive to PNG, SVG and PDF; the lights in its PNG match the journal folded to the
 * same moment; without --vote, what the hall screens showed (the vote on air, the
 * holding slide, blank screens); a damaged journal drawn as every reader shows it,
 * after one warning line; every bad input refused with one line on stderr, a non-zero
 * exit and no output file. argv[1] is the program. */
#include <cairo.h>
#include <sqlite3.h>
#include <string.h>

#include <glib/gstdio.h>

#include "archive/rc-archive.h"
#include "model/rc-paths.h"
#include "model/rc-replay.h"
#include "rc-render-fixture.h"
#include "render/rc-board-layout.h"
#include "render/rc-catalog.h"

static const char *program;

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

static Run
run (const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  Run r = { 0 };
  va_list args;

  g_ptr_array_add (argv, (char *) program);
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r.out, &r.err, &r.status, &error));
  g_assert_no_error (error);
  return r;
}

static char *
demo (void)
{
  char *path = rc_paths_find_demo_archive ();

  g_assert_nonnull (path);
  return path;
}

/* The journal of the archive's session that holds the vote. */
static GPtrArray *
load_events (const char *path, const char *vote)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  g_autofree char *id = NULL;
  GPtrArray *events;

  g_assert_no_error (error);
  id = rc_archive_resolve_session (archive, NULL, vote, &error);
  g_assert_no_error (error);
  events = rc_archive_load_events (archive, id, &error);
  g_assert_no_error (error);
  return events;
}

/* That session folded to `at` seconds after its first event (negative: to the end).
 * fold_error: the first refusal, if any. */
static RcSession *
fold_archive (const char *path, const char *vote, double at, GError **fold_error)
{
  g_autoptr (GPtrArray) events = load_events (path, vote);
  RcSession *session = rc_session_new ();
  gint64 until = G_MAXINT64;

  if (at >= 0)
    until = ((RcEvent *) g_ptr_array_index (events, 0))->time + (gint64) (at * G_USEC_PER_SEC);
  rc_session_fold (session, events, until, fold_error);
  return session;
}

static RcSession *
fold_demo (const char *vote, double at)
{
  g_autofree char *path = demo ();
  g_autoptr (GError) error = NULL;
  RcSession *session = fold_archive (path, vote, at, &error);

  g_assert_no_error (error);
  return session;
}

/* A new archive at path holding the demo's session of the vote, with extra (transfer
 * full; may be NULL) appended one second after its last event. */
static void
write_archive (const char *path, const char *vote, RcEvent *extra)
{
  g_autoptr (RcEvent) owned = extra;
  g_autofree char *source = demo ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) to = NULL;
  g_autoptr (GPtrArray) events = load_events (source, vote);
  g_autoptr (GPtrArray) journals = g_ptr_array_new ();

  if (extra != NULL)
    {
      const RcEvent *last = g_ptr_array_index (events, events->len - 1);
      g_autoptr (RcEvent) timed = NULL;

      g_assert_cmpint (extra->time, >, last->time);
      timed = rc_event_with_seq (extra, last->seq + 1);
      g_ptr_array_add (events, g_steal_pointer (&timed));
    }
  g_ptr_array_add (journals, events);
  to = rc_archive_open (path, RC_ARCHIVE_READ_WRITE | RC_ARCHIVE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (rc_archive_write_sessions (to, journals, FALSE, &error));
  g_assert_no_error (error);
}

/* The demo's session of the vote with every on-air event taken out, as a journal
 * kept without operators (an import) has none. */
static void
write_archive_without_on_air (const char *path, const char *vote)
{
  g_autofree char *source = demo ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) to = NULL;
  g_autoptr (GPtrArray) events = load_events (source, vote);
  g_autoptr (GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  g_autoptr (GPtrArray) journals = g_ptr_array_new ();

  for (guint i = 0; i < events->len; i++)
    {
      const RcEvent *e = g_ptr_array_index (events, i);

      if (e->type != RC_EVENT_ON_AIR)
        g_ptr_array_add (kept, rc_event_with_seq (e, kept->len + 1));
    }
  g_assert_cmpuint (kept->len, <, events->len);
  g_ptr_array_add (journals, kept);
  to = rc_archive_open (path, RC_ARCHIVE_READ_WRITE | RC_ARCHIVE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (rc_archive_write_sessions (to, journals, FALSE, &error));
  g_assert_no_error (error);
}

/* Edits the archive behind Rollcall's back, as a clerk with the sqlite3 tool could. */
static void
damage (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

/* A moment of the demo's ES-11/1 session after its last event. */
static gint64
after_last_event (void)
{
  g_autoptr (RcSession) session = fold_demo ("A/RES/ES-11/1", -1);

  return rc_session_get_last_time (session) + G_USEC_PER_SEC;
}

/* Every light in the PNG is the colour of that member's shown choice in the session. */
static void
assert_lights (const char *png, RcSession *session, const char *vote_selector)
{
  cairo_surface_t *image = cairo_image_surface_create_from_png (png);
  g_autoptr (RcStyle) style = rc_style_new ();
  PangoContext *context = fixture_context ();
  RcVote *vote = rc_session_lookup_vote (session, vote_selector, NULL);
  const RcPalette *p = &rc_session_get_chamber (session)->palette;
  g_autoptr (RcBoardLayout) layout = NULL;

  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_nonnull (vote);
  layout = rc_board_layout_new (cairo_image_surface_get_width (image),
                                cairo_image_surface_get_height (image),
                                rc_vote_get_roster (vote), style, context);
  for (guint i = 0; i < layout->n_cells; i++)
    {
      RcChoice c = rc_vote_get_shown_choice (vote, i);
      guint32 want = c == RC_CHOICE_YES       ? p->yes
                     : c == RC_CHOICE_NO      ? p->no
                     : c == RC_CHOICE_ABSTAIN ? p->abstain
                     : c == RC_CHOICE_HIDDEN  ? p->hidden
                     : c == RC_CHOICE_PENDING ? p->pending
                                              : p->not_voting;

      g_assert_cmpuint (fixture_light_fill (image, layout, i), ==, want);
    }
  cairo_surface_destroy (image);
  g_object_unref (context);
}

static void
test_final_png (void)
{
  g_autofree char *archive = demo ();
  g_autofree char *dir = fixture_tmpdir ();
  g_autofree char *png = g_build_filename (dir, "es-11-1.png", NULL);
  g_autoptr (RcSession) session = fold_demo ("A/RES/ES-11/1", -1);
  RcVote *vote = rc_session_lookup_vote (session, "A/RES/ES-11/1", NULL);
  Run r = run (archive, "--vote", "A/RES/ES-11/1", "-o", png, NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  /* The demo's own journal says 141–5–35, and the board shows exactly that. */
  g_assert_cmpuint (rc_vote_get_tally (vote)->yes, ==, 141);
  g_assert_cmpuint (rc_vote_get_tally (vote)->no, ==, 5);
  g_assert_cmpuint (rc_vote_get_tally (vote)->abstain, ==, 35);
  assert_lights (png, session, "A/RES/ES-11/1");
  run_clear (&r);
  fixture_rmdir (dir);
}

/* --at: the board of the moment, with the lights of the ballots cast by then. */
static void
test_at (void)
{
  g_autofree char *archive = demo ();
  g_autofree char *dir = fixture_tmpdir ();
  g_autofree char *png = g_build_filename (dir, "at.png", NULL);
  g_autoptr (RcSession) session = NULL;
  RcVote *vote;
  RcTally t;
  Run r;

  /* Find a moment while the vote is open, from the journal itself. */
  for (int at = 0; at < 600; at += 5)
    {
      g_clear_object (&session);
      session = fold_demo ("A/RES/ES-11/1", at);
      vote = rc_session_lookup_vote (session, "A/RES/ES-11/1", NULL);
      if (vote == NULL || rc_vote_get_state (vote) != RC_VOTE_OPEN)
        continue;
      rc_vote_get_shown_tally (vote, &t);
      if (t.pending > 20 && t.pending < 150)
        {
          g_autofree char *seconds = g_strdup_printf ("%d", at);

          r = run (archive, "--vote", "es-11-1", "--at", seconds, "--size", "1280x720", "-o",
                   png, NULL);
          g_assert_cmpint (r.status, ==, 0);
          assert_lights (png, session, "es-11-1");
          run_clear (&r);
          fixture_rmdir (dir);
          return;
        }
    }
  g_error ("the demo journal never has ES-11/1 open with some ballots in");
}

static void
test_formats (void)
{
  g_autofree char *archive = demo ();
  g_autofree char *dir = fixture_tmpdir ();
  const char *names[] = { "sc.svg", "sc.pdf", "sc.png" };
  const char *magic[] = { "<?xml", "%PDF-", "\x89PNG" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *contents = NULL;
      gsize len;
      Run r = run (archive, "--vote", "S/2022/155", "--size", "1024x768", "--palette",
                   "blue-red-white", "--glyphs", "-o", path, NULL);

      g_assert_cmpint (r.status, ==, 0);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_cmpuint (len, >, 500);
      g_assert_true (g_str_has_prefix (contents, magic[i]));
      run_clear (&r);
    }
  fixture_rmdir (dir);
}

/* One bad event in the journal (a ballot for a member not on the roster): the board
 * is drawn as the window's replay shows it, with that event skipped and everything
 * after it applied, after one warning line naming the refusal. */
static void
test_damaged_journal (void)
{
  g_autofree char *dir = fixture_tmpdir ();
  g_autofree char *archive = g_build_filename (dir, "damaged.rollcall", NULL);
  g_autofree char *png = g_build_filename (dir, "damaged.png", NULL);
  g_autoptr (RcSession) session = NULL;
  g_autoptr (GError) refusal = NULL;
  RcVote *vote;
  Run r;

  write_archive (archive, "A/RES/ES-11/1", NULL);
  damage (archive, "UPDATE journal SET payload = json_set (payload, '$.member', 'ZZZ'), "
                   "member = 'ZZZ' WHERE type = 'ballot' AND member = 'SAU'");
  session = fold_archive (archive, "A/RES/ES-11/1", -1, &refusal);
  g_assert_nonnull (refusal);
  vote = rc_session_lookup_vote (session, "A/RES/ES-11/1", NULL);
  g_assert_cmpint (rc_vote_get_state (vote), ==, RC_VOTE_ANNOUNCED);
  g_assert_cmpuint (rc_vote_get_tally (vote)->yes, ==, 140);

  r = run (archive, "--vote", "A/RES/ES-11/1", "-o", png, NULL);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.err, "rollcall-render: warning: "));
  g_assert_true (strchr (r.err, '\n') == r.err + strlen (r.err) - 1); /* one line */
  g_assert_nonnull (strstr (r.err, "ZZZ"));
  assert_lights (png, session, "A/RES/ES-11/1");
  run_clear (&r);
  fixture_rmdir (dir);
}

/* Without --vote: what the hall screens showed at the end of the journal. */
static void
test_on_air (void)
{
  g_autofree char *dir = fixture_tmpdir ();
  g_autofree char *archive = g_build_filename (dir, "on-air.rollcall", NULL);
  g_autofree char *png = g_build_filename (dir, "on-air.png", NULL);
  g_autoptr (RcSession) session = NULL;
  g_autoptr (RcBoardLayout) layout = NULL;
  g_autoptr (RcStyle) style = rc_style_new ();
  const RcPalette *p;
  RcRect frame = { 0, 0, 1280, 720 };
  PangoContext *context;
  cairo_surface_t *image;
  guint lit = 0;
  Run r;

  /* The vote on air (the demo puts it there): that vote's board. */
  write_archive (archive, "A/RES/ES-11/1", NULL);
  session = fold_demo ("A/RES/ES-11/1", -1);
  p = &rc_session_get_chamber (session)->palette;
  r = run (archive, "--size", "1280x720", "-o", png, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_lights (png, session, "A/RES/ES-11/1");
  run_clear (&r);
  g_unlink (archive);

  /* Blank screens: the frame in the palette's background, nothing else; --vote still
   * draws the vote asked for. */
  write_archive (archive, "A/RES/ES-11/1",
                 rc_event_new_on_air (after_last_event (), RC_ON_AIR_BLANK, NULL));
  r = run (archive, "--size", "1280x720", "-o", png, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpuint (fixture_count_colour (image, &frame, p->background), ==, 1280 * 720);
  cairo_surface_destroy (image);
  run_clear (&r);
  r = run (archive, "--vote", "1", "--size", "1280x720", "-o", png, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_lights (png, session, "A/RES/ES-11/1");
  run_clear (&r);
  g_unlink (archive);

  /* The holding slide: the names, no lights. */
  write_archive (archive, "A/RES/ES-11/1",
                 rc_event_new_on_air (after_last_event (), RC_ON_AIR_HOLDING, NULL));
  r = run (archive, "--size", "1280x720", "-o", png, NULL);
  g_assert_cmpint (r.status, ==, 0);
  image = cairo_image_surface_create_from_png (png);
  context = fixture_context ();
  layout = rc_board_layout_new (1280, 720, rc_session_get_roster (session), style, context);
  for (guint i = 0; i < layout->n_cells; i++)
    lit += fixture_light_pixel (image, layout, i) != p->cell;
  g_assert_cmpuint (lit, ==, 0);
  g_assert_cmpuint (fixture_count_colour (image, &frame, p->background), <, 1280 * 720 * 9 / 10);
  cairo_surface_destroy (image);
  g_object_unref (context);
  run_clear (&r);
  g_unlink (archive);

  /* Nobody said what the screens show: the vote being taken, as the window does. */
  write_archive_without_on_air (archive, "A/RES/ES-11/1");
  r = run (archive, "--size", "1280x720", "-o", png, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_lights (png, session, "A/RES/ES-11/1");
  run_clear (&r);
  fixture_rmdir (dir);
}

static void
test_help (void)
{
  Run r = run ("--help", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--vote"));
  g_assert_nonnull (strstr (r.out, "--at"));
  g_assert_nonnull (strstr (r.out, "--size"));
  /* The usage line names the archive once ("ARCHIVE ARCHIVE" was a new user's first
   * sight of the tool). */
  g_assert_nonnull (strstr (r.out, "rollcall-render [OPTION…] ARCHIVE\n"));
  g_assert_null (strstr (r.out, "ARCHIVE ARCHIVE"));
  g_assert_nonnull (strstr (r.out, "Draws a vote's board"));
  g_assert_nonnull (strstr (r.out, "CSV"));
  run_clear (&r);
}

/* The records of RFC 4180 text (quoted fields, "" for a quote; CRLF or LF), read here
 * without the project's own CSV reader, as a clerk's tool would. */
static GPtrArray *
read_csv_text (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            g_string_append_c (field, *p++);
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *p);
        }
      else if (*p == '"')
        quoted = TRUE;
      else if (*p == ',')
        g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE)),
          field = g_string_new (NULL);
      else if (*p == '\n')
        {
          g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (fields, NULL);
          g_ptr_array_add (rows, g_ptr_array_steal (fields, NULL));
        }
      else if (*p != '\r')
        g_string_append_c (field, *p);
    }
  g_assert_cmpuint (field->len, ==, 0); /* the last line has its end */
  g_string_free (field, TRUE);
  return rows;
}

/* rollcall-render -o ES-11-1.csv: one row per member, its code, its name as at the
 * time and its choice, equal member by member to the official record in
 * ../shared/data/votes/a-res-es-11-1.csv (built from four published lists and the UN
 * Digital Library's record; X there is "did not vote", absent or without the right
 * to vote, Art. 19). */
static void
test_record_csv (void)
{
  const char *shared = g_getenv ("ROLLCALL_SHARED_DATA");
  g_autofree char *archive = demo ();
  g_autofree char *dir = fixture_tmpdir ();
  g_autofree char *csv = g_build_filename (dir, "es-11-1.csv", NULL);
  g_autofree char *reference = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  g_autoptr (GPtrArray) our_rows = NULL;
  g_autoptr (GPtrArray) their_rows = NULL;
  g_autoptr (GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  Run r;

  if (shared == NULL || !g_file_test (shared, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("reference data not found (ROLLCALL_SHARED_DATA)");
      fixture_rmdir (dir);
      return;
    }
  reference = g_build_filename (shared, "votes", "a-res-es-11-1.csv", NULL);
  r = run (archive, "--vote", "A/RES/ES-11/1", "-o", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  run_clear (&r);
  g_assert_true (g_file_get_contents (csv, &ours, NULL, NULL));
  g_assert_true (g_file_get_contents (reference, &theirs, NULL, NULL));
  our_rows = read_csv_text (ours);
  their_rows = read_csv_text (theirs);
  g_assert_true (g_str_has_prefix (ours, "code,name,choice\r\n"));
  g_assert_cmpuint (our_rows->len, ==, 194);
  g_assert_cmpuint (their_rows->len, ==, 194);
  for (guint i = 1; i < our_rows->len; i++)
    {
      char **row = g_ptr_array_index (our_rows, i);

      g_assert_cmpuint (g_strv_length (row), ==, 3);
      g_assert_true (g_hash_table_insert (by_code, row[0], row));
    }
  for (guint i = 1; i < their_rows->len; i++)
    {
      char **want = g_ptr_array_index (their_rows, i); /* iso3,name,vote */
      char **got = g_hash_table_lookup (by_code, want[0]);
      const char *vote;

      if (got == NULL)
        g_error ("%s (%s) is not in the export", want[0], want[1]);
      g_assert_cmpstr (got[1], ==, want[1]);
      vote = g_str_equal (got[2], "yes")                                              ? "Y"
             : g_str_equal (got[2], "no")                                             ? "N"
             : g_str_equal (got[2], "abstain")                                        ? "A"
             : g_str_equal (got[2], "not-voting") || g_str_equal (got[2], "no-right") ? "X"
                                                                                      : got[2];
      if (!g_str_equal (vote, want[2]))
        g_error ("%s: exported %s, the record says %s", want[1], got[2], want[2]);
    }
  /* Venezuela had no vote (Art. 19), which the export keeps apart from absence */
  g_assert_cmpstr (((char **) g_hash_table_lookup (by_code, "VEN"))[2], ==, "no-right");
  fixture_rmdir (dir);
}

/* rollcall-render -o OUT.txt: the record of the vote as the meeting records give it —
 * the lists of names by choice, then the result as each chamber phrases it. */
static void
test_record_text (void)
{
  g_autofree char *archive = demo ();
  g_autofree char *dir = fixture_tmpdir ();
  g_autofree char *txt = g_build_filename (dir, "record.txt", NULL);
  g_autofree char *text = NULL;
  Run r;

  r = run (archive, "--vote", "A/RES/ES-11/1", "-o", txt, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  g_assert_true (g_file_get_contents (txt, &text, NULL, NULL));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, "A/ES-11/PV.5 · 2 March 2022\n"));
  g_assert_nonnull (strstr (text, "\nA/RES/ES-11/1 (A/ES-11/L.1) — Aggression against Ukraine\n"));
  g_assert_nonnull (strstr (text, "\nIn favour:\nAfghanistan, Albania, Andorra, "));
  g_assert_nonnull (strstr (text, "\nAgainst:\nBelarus, Democratic People's Republic of Korea, "
                                  "Eritrea, Russian Federation, Syrian Arab Republic\n"));
  g_assert_nonnull (strstr (text, "\nAbstaining:\nAlgeria, Angola, "));
  g_assert_nonnull (strstr (text, "\nDraft resolution A/ES-11/L.1 was adopted by 141 votes to 5, "
                                  "with 35 abstentions (resolution A/RES/ES-11/1).\n"));
  /* absent members and Art. 19 are not in a meeting record's lists */
  g_assert_null (strstr (text, "Venezuela"));
  g_clear_pointer (&text, g_free);

  r = run (archive, "--vote", "S/2022/155", "-o", txt, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  g_assert_true (g_file_get_contents (txt, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\nAgainst:\nRussian Federation\n"));
  g_assert_nonnull (strstr (text, "The draft resolution received 11 votes in favour, 1 against "
                                  "and 3 abstentions. It has not been adopted, owing to the "
                                  "negative vote of a permanent member of the Council (Russian "
                                  "Federation).\n"));
  fixture_rmdir (dir);
}

/* One refusal: a non-zero exit, one line "rollcall-render: reason", no file. */
static void
refuse (const char *output, const char *expect, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  Run r = { 0 };
  va_list args;

  g_ptr_array_add (argv, (char *) program);
  va_start (args, expect);
  for (const char *a = va_arg (args, const char *); a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r.out, &r.err, &r.status, &error));
  g_assert_no_error (error);
  g_test_message ("%s", r.err);
  g_assert_false (g_spawn_check_wait_status (r.status, NULL));
  g_assert_true (g_str_has_prefix (r.err, "rollcall-render: "));
  g_assert_true (g_str_has_suffix (r.err, "\n"));
  g_assert_true (strchr (r.err, '\n') == r.err + strlen (r.err) - 1); /* one line */
  if (strstr (r.err, expect) == NULL)
    g_error ("expected '%s' in: %s", expect, r.err);
  if (output != NULL)
    g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
  run_clear (&r);
}

/* The tool speaks the user's language (LANGUAGE, through the catalogues the build
 * compiled), apart from the board's (--board-language), which a PNG shows. */
static void
test_languages (void)
{
  g_autofree char *archive = demo ();
  g_autofree char *dir = fixture_tmpdir ();
  g_autofree char *png = g_build_filename (dir, "ar.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.rollcall", NULL);
  g_autofree char *expected = NULL;
  Run r;

  g_setenv ("LANGUAGE", "fr", TRUE);
  r = run ("--help", NULL);
  g_assert_true (g_spawn_check_wait_status (r.status, NULL));
  g_assert_nonnull (strstr (r.out, "Utilisation"));
  g_assert_nonnull (strstr (r.out, "--board-language"));
  g_free (r.out), g_free (r.err);

  g_setenv ("LANGUAGE", "ru", TRUE);
  r = run (missing, "--vote", "1", "-o", png, NULL);
  g_assert_false (g_spawn_check_wait_status (r.status, NULL));
  expected
    = g_strdup_printf (rc_catalog_gettext (rc_catalog_get ("ru"), "%s: no such archive"), missing);
  g_assert_cmpstr (expected, !=, "%s: no such archive");
  g_assert_nonnull (strstr (r.err, expected));
  g_assert_null (strchr (strchr (r.err, '\n') + 1, '\n'));
  g_free (r.out), g_free (r.err);
  g_unsetenv ("LANGUAGE");

  /* An Arabic board from an English tool. */
  r = run (archive, "--vote", "A/RES/ES-11/1", "--board-language", "ar", "-o", png, NULL);
  g_assert_true (g_spawn_check_wait_status (r.status, NULL));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_free (r.out), g_free (r.err);
  fixture_rmdir (dir);
}

static void
test_refusals (void)
{
  g_autofree char *archive = demo ();
  g_autofree char *dir = fixture_tmpdir ();
  g_autofree char *png = g_build_filename (dir, "out.png", NULL);
  g_autofree char *gif = g_build_filename (dir, "out.gif", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.rollcall", NULL);
  g_autofree char *text = g_build_filename (dir, "text.rollcall", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "no-such-dir", "out.png", NULL);

  g_assert_true (g_file_set_contents (text, "not an archive\n", -1, NULL));

  refuse (NULL, "no archive", "-o", png, NULL);
  refuse (png, "no output", archive, NULL);
  refuse (png, "one archive", archive, archive, "-o", png, NULL);
  refuse (png, "no such archive", missing, "--vote", "1", "-o", png, NULL);
  refuse (png, "text.rollcall", text, "--vote", "1", "-o", png, NULL);
  refuse (png, "--size", archive, "--vote", "es-11-1", "--size", "big", "-o", png, NULL);
  refuse (png, "--size", archive, "--vote", "es-11-1", "--size", "0x100", "-o", png, NULL);
  refuse (png, "--size", archive, "--vote", "es-11-1", "--size", "100x", "-o", png, NULL);
  refuse (png, "--size", archive, "--vote", "es-11-1", "--size", "99999x100", "-o", png,
          NULL);
  refuse (png, "--at", archive, "--vote", "es-11-1", "--at", "-5", "-o", png, NULL);
  refuse (png, "--at", archive, "--vote", "es-11-1", "--at", "soon", "-o", png, NULL);
  refuse (png, "nope", archive, "--session", "nope", "-o", png, NULL);
  refuse (png, "A/RES/99", archive, "--vote", "A/RES/99", "-o", png, NULL);
  refuse (gif, ".png, .svg, .pdf, .csv or .txt", archive, "--vote", "es-11-1", "-o", gif, NULL);
  refuse (nowhere, "cannot write", archive, "--vote", "es-11-1", "-o", nowhere, NULL);
  refuse (png, "no-such-palette", archive, "--vote", "es-11-1", "--palette",
          "no-such-palette", "-o", png, NULL);
  refuse (png, "Unknown option", archive, "--frobnicate", "-o", png, NULL);
  refuse (png, "'de' is not one of the board's languages", archive, "--vote", "es-11-1",
          "--board-language", "de", "-o", png, NULL);
  refuse (png, "two different languages", archive, "--vote", "es-11-1", "--board-language", "fr,fr",
          "-o", png, NULL);
  /* a record is a vote's: the screens' holding slide at the session's first event has
   * none */
  {
    g_autofree char *csv = g_build_filename (dir, "out.csv", NULL);

    refuse (csv, "holding slide, and a record is a vote's: name one with --vote", archive,
            "--session", "ga-es11-2022-03-02", "--at", "0", "-o", csv, NULL);
    refuse (gif, ".png, .svg, .pdf, .csv or .txt", archive, "--vote", "es-11-1", "-o", gif, NULL);
  }

  /* Two sessions, none named: the latest is drawn, as every tool takes it, and a note
   * says so (it was refused here, and replayed by `rollcall --replay`). */
  {
    Run r = run (archive, "-o", png, NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.err, "rollcall-render: "));
    g_assert_nonnull (strstr (r.err, " holds 2 sessions; taking the latest, ga-es11-2022-03-02 "
                                     "(choose one with --session)\n"));
    g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
    g_unlink (png);
    run_clear (&r);
  }
  /* Nothing but the two files this test made itself. */
  fixture_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  program = argv[1];
  g_test_add_func ("/render/cli/final-png", test_final_png);
  g_test_add_func ("/render/cli/at", test_at);
  g_test_add_func ("/render/cli/formats", test_formats);
  g_test_add_func ("/render/cli/help", test_help);
  g_test_add_func ("/render/cli/damaged-journal", test_damaged_journal);
  g_test_add_func ("/render/cli/on-air", test_on_air);
  g_test_add_func ("/render/cli/refusals", test_refusals);
  g_test_add_func ("/render/cli/languages", test_languages);
  g_test_add_func ("/render/cli/record-csv", test_record_csv);
  g_test_add_func ("/render/cli/record-text", test_record_text);
  return g_test_run ();
}
