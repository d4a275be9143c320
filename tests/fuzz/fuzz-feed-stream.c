/* fuzz-feed-stream.c — what a board (rollcall --feed) does with what a server sends
 * over Server-Sent Events: the body split into events (rc-sse-parser.c), each event's
 * data decoded as a message (rc_codec_decode_message, as rc-feed-decoder.c does) and
 * applied to the board's session as rc-feed-client.c applies it: a snapshot replaces
 * the session, an event of the stream followed is applied in sequence, a heartbeat
 * compared. (Over WebSocket libsoup does the framing and each text message is such an
 * event's data.)
 *
 * Any bytes, and whatever messages they hold, in any order, are applied or refused in
 * one line. The body's split must not depend on how it arrives: read whole, and in
 * chunks of varying sizes (as the network cuts it), the same events come out; with a
 * small limit on an event, the same events up to the first one over it, and then a
 * refusal. At the end the state the board reached must be one a server could send it
 * back: its snapshot encodes, decodes and restores (fuzz-codec-message.c). After a
 * refusal the real client reconnects and resumes from its last good event with its
 * session as it was; the harness carries on with the rest of the input in that state,
 * as the next connection's. */
#include <string.h>

#include "codec/rc-codec.h"
#include "feed/rc-sse-parser.h"
#include "model/rc-snapshot.h"
#include "rc-fuzz.h"

/* The small limit on an event's data, to reach the refusal of an over-long one. */
#define SMALL_LIMIT 512

typedef struct {
  GPtrArray *events; /* of GBytes: each event's data */
  guint stop_after;  /* stop once this many are out (0: never) */
} Collect;

static gboolean
collect (const char *data, gsize length, gpointer user_data)
{
  Collect *c = user_data;

  g_ptr_array_add (c->events, g_bytes_new (data, length));
  return c->stop_after == 0 || c->events->len < c->stop_after;
}

/* The events of data fed to a parser (limit max_data) in chunks of the sizes
 * chunk_size() says. */
static RcSseParserResult
parse (const guint8 *data, gsize size, gsize max_data, gsize (*chunk_size) (guint i),
       guint stop_after, GPtrArray **out)
{
  g_autoptr (RcSseParser) parser = rc_sse_parser_new (max_data);
  Collect c = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref), stop_after };
  RcSseParserResult result = RC_SSE_PARSER_MORE;
  gsize pos = 0;

  for (guint i = 0; pos < size && result == RC_SSE_PARSER_MORE; i++)
    {
      gsize n = MIN (chunk_size (i), size - pos);

      result = rc_sse_parser_feed (parser, data + pos, n, collect, &c);
      pos += n;
    }
  *out = c.events;
  return result;
}

static gsize
whole (guint i)
{
  return G_MAXSIZE;
}

/* 1, 2, 3, 5, 8, …: short chunks cut lines, CRLFs and the byte-order mark anywhere. */
static gsize
varying (guint i)
{
  static const gsize sizes[] = { 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610 };

  return sizes[i % G_N_ELEMENTS (sizes)];
}

static gboolean
same_prefix (GPtrArray *a, GPtrArray *b, guint n)
{
  if (a->len < n || b->len < n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!g_bytes_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

static void
check_split (const guint8 *data, gsize size, GPtrArray *events)
{
  g_autoptr (GPtrArray) chunked = NULL;
  g_autoptr (GPtrArray) small = NULL;
  g_autoptr (GPtrArray) stopped = NULL;
  RcSseParserResult result;

  result = parse (data, size, RC_CODEC_MAX_MESSAGE, varying, 0, &chunked);
  rc_fuzz_check (result == RC_SSE_PARSER_MORE, "a body refused in chunks, not whole");
  rc_fuzz_check (chunked->len == events->len && same_prefix (chunked, events, events->len),
                 "a body read in chunks gives %u events, read whole %u (or others)",
                 chunked->len, events->len);

  result = parse (data, size, SMALL_LIMIT, varying, 0, &small);
  rc_fuzz_check (same_prefix (small, events, small->len),
                 "with a small limit, other events than without");
  rc_fuzz_check (result == RC_SSE_PARSER_TOO_LONG || small->len == events->len,
                 "with a small limit, %u events of %u and no refusal", small->len, events->len);

  /* The data function's "stop" is obeyed at once. */
  if (events->len > 0)
    {
      result = parse (data, size, RC_CODEC_MAX_MESSAGE, varying, 1, &stopped);
      rc_fuzz_check (result == RC_SSE_PARSER_STOPPED && stopped->len == 1,
                     "asked to stop after one event, the parser gave %u", stopped->len);
    }
}

/* ---------------------------------------------------------------- the board */

typedef struct {
  RcSession *session;
  char *stream; /* NULL before a snapshot */
} Board;

static void
apply_snapshot (Board *board, const RcMessage *message)
{
  g_autoptr (GError) error = NULL;
  RcSession *session = rc_session_new_from_snapshot (message->snapshot, &error);

  if (session == NULL)
    {
      rc_fuzz_check_refusal (error, "a snapshot");
      return;
    }
  g_object_unref (board->session);
  board->session = session;
  g_free (board->stream);
  board->stream = g_strdup (message->stream);
}

static void
apply_event (Board *board, const RcMessage *message)
{
  g_autoptr (GError) error = NULL;
  gint64 before = rc_session_get_last_seq (board->session);

  /* The client refuses these itself before the session sees them. */
  if (board->stream == NULL || g_strcmp0 (message->stream, board->stream) != 0
      || message->event->seq != before + 1)
    return;
  if (!rc_session_apply (board->session, message->event, &error))
    {
      rc_fuzz_check_refusal (error, "rc_session_apply");
      rc_fuzz_check (rc_session_get_last_seq (board->session) == before,
                     "a refused event moved the session on");
      return;
    }
  rc_fuzz_check (rc_session_get_last_seq (board->session) == message->event->seq,
                 "an applied event did not move the session to its seq");
}

static void
apply (Board *board, GBytes *data)
{
  gsize length;
  const char *text = g_bytes_get_data (data, &length);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) message = rc_codec_decode_message (text != NULL ? text : "",
                                                           (gssize) length, &error);

  if (message == NULL)
    {
      rc_fuzz_check_refusal (error, "rc_codec_decode_message");
      return;
    }
  switch (message->kind)
    {
    case RC_MESSAGE_SNAPSHOT: apply_snapshot (board, message); break;
    case RC_MESSAGE_EVENT: apply_event (board, message); break;
    case RC_MESSAGE_HEARTBEAT: break; /* compared with the session: nothing is applied */
    default: rc_fuzz_fail ("a message of kind %d", message->kind);
    }
}

/* The board's state must be one a server can send back to it. */
static void
check_state (Board *board)
{
  g_autoptr (RcSnapshot) snapshot = NULL;
  g_autofree char *text = NULL;
  g_autoptr (RcMessage) message = NULL;
  g_autoptr (RcSession) restored = NULL;
  g_autoptr (RcSnapshot) again = NULL;
  g_autofree char *text_again = NULL;
  g_autoptr (GError) error = NULL;

  if (board->stream == NULL)
    return;
  snapshot = rc_session_snapshot (board->session);
  text = rc_codec_encode_snapshot (snapshot, board->stream);
  message = rc_codec_decode_message (text, -1, &error);
  rc_fuzz_check (message != NULL, "the snapshot of a board's state is refused: %s\n  %s",
                 error->message, text);
  restored = rc_session_new_from_snapshot (message->snapshot, &error);
  rc_fuzz_check (restored != NULL, "the snapshot of a board's state does not restore: %s\n  %s",
                 error->message, text);
  again = rc_session_snapshot (restored);
  text_again = rc_codec_encode_snapshot (again, board->stream);
  rc_fuzz_check_same ("a board's state restored from its snapshot", text, text_again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GPtrArray) events = NULL;
  RcSseParserResult result;
  Board board = { rc_session_new (), NULL };

  result = parse (data, size, RC_CODEC_MAX_MESSAGE, whole, 0, &events);
  rc_fuzz_check (result == RC_SSE_PARSER_MORE, "a body under the limit refused as too long");
  check_split (data, size, events);

  for (guint i = 0; i < events->len; i++)
    apply (&board, g_ptr_array_index (events, i));
  check_state (&board);

  g_object_unref (board.session);
  g_free (board.stream);
  return 0;
}
