/* fuzz-jsonl.c — JSON Lines import (rc_jsonl_read): a session's journal from another
 * system or an export (rollcall-import --from jsonl, docs/feed-protocol.md §10).
 *
 * Any bytes: a session, or a refusal in one line naming the line. A session read must
 * be written back (rc_jsonl_write) as text that reads again to the same journal and
 * the same state: what Rollcall exports, it imports. */
#include <string.h>

#include "import/rc-jsonl.h"
#include "codec/rc-codec.h"
#include "model/rc-snapshot.h"
#include "rc-fuzz.h"

/* The session's state, as a snapshot message (the whole of it, comparable as text). */
static char *
state_text (RcSession *session)
{
  g_autoptr (RcSnapshot) snapshot = rc_session_snapshot (session);

  return rc_codec_encode_snapshot (snapshot, "s");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) imported
    = rc_jsonl_read ("fuzz.jsonl", (const char *) data, size, &error);
  g_autoptr (RcImportedSession) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  g_autofree char *state = NULL;
  g_autofree char *state_again = NULL;

  if (imported == NULL)
    {
      rc_fuzz_check_refusal (error, "rc_jsonl_read");
      return 0;
    }
  rc_fuzz_check (imported->events->len > 0, "a session of no events");
  for (guint i = 0; i < imported->events->len; i++)
    {
      const RcEvent *event = g_ptr_array_index (imported->events, i);

      rc_fuzz_check (event->seq == (gint64) i + 1, "event %u has seq %" G_GINT64_FORMAT, i + 1,
                     event->seq);
    }
  rc_fuzz_check (rc_session_get_last_seq (imported->session) == (gint64) imported->events->len,
                 "the session is at seq %" G_GINT64_FORMAT " after %u events",
                 rc_session_get_last_seq (imported->session), imported->events->len);

  text = rc_jsonl_write (imported->events);
  again = rc_jsonl_read ("again.jsonl", text, strlen (text), &error);
  rc_fuzz_check (again != NULL, "an exported journal is refused: %s", error->message);
  text_again = rc_jsonl_write (again->events);
  rc_fuzz_check_same ("a journal exported, imported and exported again", text, text_again);
  state = state_text (imported->session);
  state_again = state_text (again->session);
  rc_fuzz_check_same ("the state of a journal exported and imported", state, state_again);
  return 0;
}
