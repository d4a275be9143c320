/* fuzz-records.c — the readers of the historical datasets (docs/import.md): the UN
 * Digital Library's voting data (rc_import_undl_read) and the unvotes files
 * (rc_import_unvotes_read), with the making of their sessions (rc_record_set_next_day).
 *
 * The input's first byte chooses: even, a UN Digital Library CSV (the rest of the
 * input); odd, the unvotes pair: un_roll_calls.csv, a line "%%", un_votes.csv. Both
 * are read against the real General Assembly list (data/chambers).
 *
 * Any bytes: sessions, or a refusal in one line. Every session starts with its session
 * event, is numbered 1, 2, …, never goes back in time, applies no rule (majority
 * unknown: no verdict is computed, at most the record's "adopted"), and is one the rest
 * of Rollcall accepts: written as JSON Lines it reads back to the same state. */
#include <string.h>

#include <glib/gstdio.h>

#include "import/rc-import-undl.h"
#include "import/rc-import-unvotes.h"
#include "import/rc-jsonl.h"
#include "codec/rc-codec.h"
#include "model/rc-snapshot.h"
#include "model/rc-vote.h"
#include "rc-fuzz.h"

static RcChamber *chamber;

static char *
state_text (RcSession *session)
{
  g_autoptr (RcSnapshot) snapshot = rc_session_snapshot (session);

  return rc_codec_encode_snapshot (snapshot, "s");
}

static void
check_day (RcImportedSession *day)
{
  g_autofree char *jsonl = NULL;
  g_autoptr (RcImportedSession) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *state = NULL;
  g_autofree char *state_again = NULL;
  gint64 last_time = G_MININT64;

  rc_fuzz_check (day->events->len > 0, "a session of no events");
  for (guint i = 0; i < day->events->len; i++)
    {
      const RcEvent *event = g_ptr_array_index (day->events, i);

      rc_fuzz_check (event->seq == (gint64) i + 1, "event %u has seq %" G_GINT64_FORMAT, i + 1,
                     event->seq);
      rc_fuzz_check ((i == 0) == (event->type == RC_EVENT_SESSION), "event %u is a %s event", i + 1,
                     rc_event_type_to_string (event->type));
      rc_fuzz_check (event->time >= last_time, "event %u goes back in time", i + 1);
      last_time = event->time;
      if (event->type == RC_EVENT_VOTE_SCHEDULED)
        rc_fuzz_check (event->vote->majority == RC_MAJORITY_UNKNOWN, "a rule invented");
      if (event->type == RC_EVENT_VOTE_ANNOUNCED)
        rc_fuzz_check (event->stated_outcome == RC_OUTCOME_PENDING
                         || event->stated_outcome == RC_OUTCOME_ADOPTED,
                       "an outcome other than the record's adopted");
    }
  rc_fuzz_check (rc_session_get_info (day->session)->synthesized, "a timeline not marked");
  for (guint i = 0; i < day->warnings->len; i++)
    rc_fuzz_check (strpbrk (g_ptr_array_index (day->warnings, i), "\r\n") == NULL,
                   "a warning of more than one line");
  for (guint i = 0; i < rc_session_get_n_votes (day->session); i++)
    rc_fuzz_check (rc_vote_get_state (rc_session_get_vote (day->session, i)) == RC_VOTE_ANNOUNCED,
                   "a vote not announced");

  jsonl = rc_jsonl_write (day->events);
  again = rc_jsonl_read ("day.jsonl", jsonl, strlen (jsonl), &error);
  rc_fuzz_check (again != NULL, "a session's journal is refused: %s", error->message);
  state = state_text (day->session);
  state_again = state_text (again->session);
  rc_fuzz_check_same ("a session's state, and its journal's", state, state_again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcRecordSet) set = NULL;
  g_autoptr (GPtrArray) summary = NULL;
  const char *dir = rc_fuzz_dir ();

  if (chamber == NULL)
    {
      /* (import/unvotes-countries.csv is found through the data path) */
      g_setenv ("ROLLCALL_DATA_PATH", RC_FUZZ_SOURCE_ROOT "/data", FALSE);
      chamber = rc_chamber_load (RC_FUZZ_SOURCE_ROOT "/data/chambers/unga.chamber", &error);
      rc_fuzz_check (chamber != NULL, "the General Assembly's list: %s", error->message);
    }
  if (size == 0)
    return 0;
  if ((data[0] & 1) == 0)
    {
      g_autofree char *path = g_build_filename (dir, "undl.csv", NULL);

      rc_fuzz_put_file (dir, "undl.csv", data + 1, size - 1);
      set = rc_import_undl_read (path, chamber, NULL, &error);
      if (set == NULL)
        {
          rc_fuzz_check_refusal (error, "rc_import_undl_read");
          return 0;
        }
    }
  else
    {
      const guint8 *votes;
      gsize votes_size;
      gsize calls_size = rc_fuzz_split (data + 1, size - 1, &votes, &votes_size);

      rc_fuzz_put_file (dir, "un_roll_calls.csv", data + 1, calls_size);
      rc_fuzz_put_file (dir, "un_votes.csv", votes, votes_size);
      set = rc_import_unvotes_read (dir, chamber, NULL, &error);
      if (set == NULL)
        {
          rc_fuzz_check_refusal (error, "rc_import_unvotes_read");
          return 0;
        }
    }
  for (;;)
    {
      g_autoptr (RcImportedSession) day = rc_record_set_next_day (set, &error);

      if (day == NULL)
        break;
      check_day (day);
    }
  if (error != NULL)
    rc_fuzz_check_refusal (error, "rc_record_set_next_day");
  summary = rc_record_set_take_summary (set);
  for (guint i = 0; i < summary->len; i++)
    rc_fuzz_check (strpbrk (g_ptr_array_index (summary, i), "\r\n") == NULL,
                   "a summary of more than one line");
  return 0;
}
