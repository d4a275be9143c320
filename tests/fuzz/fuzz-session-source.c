/* fuzz-session-source.c — the session source reader (rc_import_session_file): the
 * key file a meeting is described in, and the ballots CSV it names, which
 * rollcall-import turns into a journal (docs/archive.md, "Session sources"; the demo
 * archive is built from the .session files of data/demo).
 *
 * The input is the session file, optionally followed by a line "%%" and a ballots CSV
 * (written as fuzz-ballots.csv beside it). The session file sits in a folder like
 * data/demo: the demo's ballots CSVs beside it, ../chambers and ../palettes the
 * source tree's, so the demo's own files and variations of them import.
 *
 * Any bytes: a journal, or a refusal in one line. A journal starts with its session
 * event, is numbered 1, 2, … with times that never go back, and is one the rest of
 * Rollcall accepts: written as JSON Lines, it reads back (every event checked again by
 * the codec and the session state machine) to the same state. */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "import/rc-import-session.h"
#include "import/rc-jsonl.h"
#include "codec/rc-codec.h"
#include "model/rc-snapshot.h"
#include "rc-fuzz.h"

static char *demo_dir;

static void
link_source (const char *from, const char *to)
{
  if (symlink (from, to) != 0)
    rc_fuzz_fail ("cannot link %s to %s", to, from);
}

static void
set_up (void)
{
  g_autofree char *chambers = g_build_filename (rc_fuzz_dir (), "chambers", NULL);
  g_autofree char *palettes = g_build_filename (rc_fuzz_dir (), "palettes", NULL);
  const char *demo_csvs[] = { "a-res-es-11-1.csv", "s-2022-155.csv" };

  demo_dir = g_build_filename (rc_fuzz_dir (), "demo", NULL);
  g_mkdir (demo_dir, 0755);
  link_source (RC_FUZZ_SOURCE_ROOT "/data/chambers", chambers);
  link_source (RC_FUZZ_SOURCE_ROOT "/data/palettes", palettes);
  for (gsize i = 0; i < G_N_ELEMENTS (demo_csvs); i++)
    {
      g_autofree char *from
        = g_build_filename (RC_FUZZ_SOURCE_ROOT, "data", "demo", demo_csvs[i], NULL);
      g_autofree char *to = g_build_filename (demo_dir, demo_csvs[i], NULL);

      link_source (from, to);
    }
}

static char *
state_text (RcSession *session)
{
  g_autoptr (RcSnapshot) snapshot = rc_session_snapshot (session);

  return rc_codec_encode_snapshot (snapshot, "s");
}

static void
check_journal (RcImportedSession *imported)
{
  g_autofree char *jsonl = NULL;
  g_autoptr (RcImportedSession) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *state = NULL;
  g_autofree char *state_again = NULL;
  gint64 last_time = G_MININT64;

  rc_fuzz_check (imported->events->len > 0, "a journal of no events");
  for (guint i = 0; i < imported->events->len; i++)
    {
      const RcEvent *event = g_ptr_array_index (imported->events, i);

      rc_fuzz_check (event->seq == (gint64) i + 1, "event %u has seq %" G_GINT64_FORMAT, i + 1,
                     event->seq);
      rc_fuzz_check ((i == 0) == (event->type == RC_EVENT_SESSION), "event %u is a %s event", i + 1,
                     rc_event_type_to_string (event->type));
      rc_fuzz_check (event->time >= last_time, "event %u goes back in time", i + 1);
      last_time = event->time;
    }
  for (guint i = 0; i < imported->warnings->len; i++)
    rc_fuzz_check (strpbrk (g_ptr_array_index (imported->warnings, i), "\r\n") == NULL,
                   "a warning of more than one line");

  jsonl = rc_jsonl_write (imported->events);
  again = rc_jsonl_read ("import.jsonl", jsonl, strlen (jsonl), &error);
  rc_fuzz_check (again != NULL, "an imported session's journal is refused: %s", error->message);
  state = state_text (imported->session);
  state_again = state_text (again->session);
  rc_fuzz_check_same ("an imported session's state, and its journal's", state, state_again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const guint8 *ballots;
  gsize ballots_size;
  gsize session_size = rc_fuzz_split (data, size, &ballots, &ballots_size);
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) imported = NULL;

  if (demo_dir == NULL)
    set_up ();
  rc_fuzz_put_file (demo_dir, "fuzz.session", data, session_size);
  rc_fuzz_put_file (demo_dir, "fuzz-ballots.csv", ballots, ballots_size);

  path = g_build_filename (demo_dir, "fuzz.session", NULL);
  imported = rc_import_session_file (path, &error);
  if (imported == NULL)
    {
      rc_fuzz_check_refusal (error, "rc_import_session_file");
      return 0;
    }
  check_journal (imported);
  return 0;
}
