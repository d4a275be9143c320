/* test-jsonl.c — JSON Lines of a session's journal: written, read back identical, and
 * every line that would make an impossible journal refused with its line number. */
#include <string.h>

#include "import/rc-jsonl.h"
#include "codec/rc-codec.h"
#include "model/rc-error.h"
#include "rc-archive-test-util.h"

static GPtrArray *
demo_events (const char *selector)
{
  g_autofree char *path
    = g_build_filename (g_getenv ("ROLLCALL_BUILD_ROOT"), "data", "demo", "demo.rollcall", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  g_autofree char *id = NULL;
  GPtrArray *events;

  g_assert_no_error (error);
  id = rc_archive_resolve_session (archive, selector, NULL, &error);
  g_assert_no_error (error);
  events = rc_archive_load_events (archive, id, &error);
  g_assert_no_error (error);
  return events;
}

static void
test_round_trip (void)
{
  const char *const sessions[] = { "2022-03-02", "2022-02-25" };

  for (guint s = 0; s < G_N_ELEMENTS (sessions); s++)
    {
      g_autoptr (GPtrArray) events = demo_events (sessions[s]);
      g_autofree char *text = rc_jsonl_write (events);
      g_autoptr (GError) error = NULL;
      g_autoptr (RcImportedSession) back
        = rc_jsonl_read ("demo.jsonl", text, strlen (text), &error);
      g_autofree char *again = NULL;

      g_assert_no_error (error);
      /* one line per event, the codec's own text */
      g_assert_cmpuint (back->events->len, ==, events->len);
      for (guint i = 0; i < events->len; i++)
        {
          g_autofree char *a = rc_codec_encode (g_ptr_array_index (events, i));
          g_autofree char *b = rc_codec_encode (g_ptr_array_index (back->events, i));

          g_assert_cmpstr (a, ==, b);
        }
      again = rc_jsonl_write (back->events);
      g_assert_cmpstr (again, ==, text);
      g_assert_cmpint (rc_session_get_last_seq (back->session), ==, events->len);
    }
}

/* The demo's ES-11/1 journal as lines, to break one of them. */
static GPtrArray *
demo_lines (void)
{
  g_autoptr (GPtrArray) events = demo_events ("2022-03-02");
  g_autofree char *text = rc_jsonl_write (events);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    g_ptr_array_add (out, g_strdup (lines[i]));
  return out;
}

static void
expect_refused (GPtrArray *lines, const char *fragment)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) back = NULL;

  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (lines, i));
  back = rc_jsonl_read ("x.jsonl", text->str, text->len, &error);
  g_assert_null (back);
  g_assert_nonnull (error);
  g_assert_null (strchr (error->message, '\n'));
  if (strstr (error->message, fragment) == NULL)
    g_error ("'%s' does not say '%s'", error->message, fragment);
}

static void
replace_line (GPtrArray *lines, guint index, const char *text)
{
  g_free (g_ptr_array_index (lines, index));
  g_ptr_array_index (lines, index) = g_strdup (text);
}

static void
test_refusals (void)
{
  g_autoptr (GPtrArray) lines = NULL;
  g_autofree char *ballot = NULL;

  lines = demo_lines ();
  replace_line (lines, 6, "{\"v\":1,\"seq\":7,");
  expect_refused (lines, "x.jsonl:7: ");
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* a missing line is a gap in the sequence */
  lines = demo_lines ();
  g_ptr_array_remove_index (lines, 4);
  expect_refused (lines, "x.jsonl:5: sequence 6 where 5 was expected");
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* a member that is not on the roster */
  lines = demo_lines ();
  ballot = g_strdup (g_ptr_array_index (lines, 10));
  g_assert_nonnull (strstr (ballot, "\"member\":\""));
  memcpy (strstr (ballot, "\"member\":\"") + 10, "XYZ", 3);
  replace_line (lines, 10, ballot);
  expect_refused (lines, "x.jsonl:11: XYZ is not a member");
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* no session event first */
  lines = demo_lines ();
  g_ptr_array_remove_index (lines, 0);
  expect_refused (lines, "x.jsonl:1: a journal starts with its session event");
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* invalid UTF-8 */
  lines = demo_lines ();
  replace_line (lines, 3, "{\"v\":1,\"seq\":4,\"type\":\"\xff\"}");
  expect_refused (lines, "x.jsonl:4: ");
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* a heartbeat is not part of a journal */
  lines = demo_lines ();
  g_ptr_array_add (lines, g_strdup ("{\"v\":1,\"seq\":0,\"time\":\"2022-03-02T17:00:00Z\","
                                    "\"type\":\"heartbeat\"}"));
  expect_refused (lines, "a heartbeat is not part of a journal");
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* nothing at all */
  lines = g_ptr_array_new_with_free_func (g_free);
  expect_refused (lines, "x.jsonl: no events");
}

/* A byte-order mark at the start of the file is skipped (RFC 8259 §8.1 allows it);
 * anywhere else it is not JSON. */
/* Read the lines; the warnings joined by newlines. */
static char *
warnings_of (GPtrArray *lines)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) back = NULL;

  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (lines, i));
  back = rc_jsonl_read ("w.jsonl", text->str, text->len, &error);
  g_assert_no_error (error);
  g_ptr_array_add (back->warnings, NULL);
  return g_strjoinv ("\n", (char **) back->warnings->pdata);
}

static void
assert_says (const char *warnings, const char *fragment)
{
  if (strstr (warnings, fragment) == NULL)
    g_error ("the warnings do not say '%s':\n%s", fragment, warnings);
}

/* What the JSON Lines import accepted in silence (issue 10), now said with its line: a
 * roster name the member never bore, or bore at another time, or a member the list
 * does not have; announced totals that differ from the ballots; a vote that stops
 * mid-ballot; members changing their vote while it is open (allowed: one line). */
static void
test_warnings (void)
{
  g_autoptr (GPtrArray) lines = demo_lines ();
  g_autoptr (GString) session = g_string_new (g_ptr_array_index (lines, 0));
  g_autofree char *clean = NULL;
  g_autofree char *said = NULL;
  g_autoptr (GPtrArray) cut = NULL;
  guint announced = lines->len - 1;

  /* a name a member bore over two separate periods is its name (DR Congo, before and
   * after Zaire): no warning */
  {
    g_autoptr (GPtrArray) other = demo_lines ();
    g_autoptr (GString) first = g_string_new (g_ptr_array_index (other, 0));
    g_autofree char *none = NULL;

    g_assert_cmpuint (
      g_string_replace (first, "\"date\":\"2022-03-02\"", "\"date\":\"1965-03-02\"", 1), ==, 1);
    replace_line (other, 0, first->str);
    none = warnings_of (other);
    g_assert_null (strstr (none, "COD"));
  }

  /* the demo's own export reads with one warning only: its members changing their minds */
  clean = warnings_of (lines);
  assert_says (clean, "w.jsonl:4: vote 'es-11-1': 5 members changed their vote while it was open");
  g_assert_null (strchr (clean, '\n'));

  g_assert_cmpuint (
    g_string_replace (session, "\"name\":\"Turkey\"", "\"name\":\"Turkey (stale)\"", 1), ==, 1);
  g_assert_cmpuint (
    g_string_replace (session, "\"name\":\"Eswatini\"", "\"name\":\"Swaziland\"", 1), ==, 1);
  replace_line (lines, 0, session->str);
  {
    g_autoptr (GString) a = g_string_new (g_ptr_array_index (lines, announced));

    g_assert_cmpuint (g_string_replace (a, "\"yes\":141", "\"yes\":140", 1), ==, 1);
    replace_line (lines, announced, a->str);
  }
  said = warnings_of (lines);
  assert_says (said, "w.jsonl:1: roster: TUR is named 'Turkey (stale)', none of the names the "
                     "UNGA's list gives it (on 2022-03-02: 'Turkey')");
  assert_says (said, "w.jsonl:1: roster: SWZ is named 'Swaziland', its name from 1968-09-24, not "
                     "on 2022-03-02 ('Eswatini')");
  assert_says (said, "vote 'es-11-1': the announced totals 140–5–35, 12 not voting, differ from "
                     "its ballots' 141–5–35, 12 not voting");

  /* the journal stops in the middle of the vote */
  cut = demo_lines ();
  g_ptr_array_set_size (cut, 120);
  g_free (said);
  said = warnings_of (cut);
  assert_says (said, "w.jsonl:4: vote 'es-11-1', opened here, is still open at the end of the "
                     "file: the journal stops mid-ballot");
}

static void
test_byte_order_mark (void)
{
  g_autoptr (GPtrArray) events = demo_events ("2022-02-25");
  g_autofree char *text = rc_jsonl_write (events);
  g_autofree char *marked = g_strconcat ("\xEF\xBB\xBF", text, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) back = rc_jsonl_read ("x.jsonl", marked, strlen (marked), &error);
  g_autoptr (GPtrArray) lines = NULL;
  g_autofree char *second = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (back->events->len, ==, events->len);

  lines = demo_lines ();
  second = g_strconcat ("\xEF\xBB\xBF", (char *) g_ptr_array_index (lines, 1), NULL);
  replace_line (lines, 1, second);
  expect_refused (lines, "x.jsonl:2: message is not JSON");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/jsonl/round-trip", test_round_trip);
  g_test_add_func ("/jsonl/refusals", test_refusals);
  g_test_add_func ("/jsonl/byte-order-mark", test_byte_order_mark);
  g_test_add_func ("/jsonl/warnings", test_warnings);
  return g_test_run ();
}
