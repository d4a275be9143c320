/* fuzz-codec-message.c — a feed message as a board receives it
 * (rc_codec_decode_message): an event of a stream, a snapshot, a heartbeat
 * (docs/feed-protocol.md §2–§3).
 *
 * Any bytes: a message, or a refusal in one line. A message must survive encoding as
 * an event does (fuzz-codec.c). A snapshot is also restored as a board restores it
 * (rc_session_new_from_snapshot): refused in one line, or a session whose own snapshot
 * encodes, decodes and restores to the same snapshot again — what a server sends of a
 * state a board accepted, the next board accepts too. */
#include <string.h>

#include "codec/rc-codec.h"
#include "model/rc-snapshot.h"
#include "rc-fuzz.h"

static char *
encode (const RcMessage *message)
{
  switch (message->kind)
    {
    case RC_MESSAGE_EVENT: return rc_codec_encode_stream_event (message->event, message->stream);
    case RC_MESSAGE_SNAPSHOT: return rc_codec_encode_snapshot (message->snapshot, message->stream);
    case RC_MESSAGE_HEARTBEAT:
      return rc_codec_encode_heartbeat (message->stream, message->last_seq, message->time);
    default: rc_fuzz_fail ("a message of kind %d", message->kind);
    }
}

/* message encoded, decoded and encoded again: the same text (returned). */
static char *
check_round_trip (const RcMessage *message)
{
  g_autofree char *text = encode (message);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) decoded = NULL;
  g_autofree char *again = NULL;

  rc_fuzz_check (strchr (text, '\n') == NULL, "a message encoded on two lines: %s", text);
  decoded = rc_codec_decode_message (text, -1, &error);
  rc_fuzz_check (decoded != NULL, "the codec refuses its own message: %s\n  %s", error->message,
                 text);
  rc_fuzz_check (decoded->kind == message->kind, "a message of kind %d came back as %d",
                 message->kind, decoded->kind);
  again = encode (decoded);
  rc_fuzz_check_same ("a message encoded, decoded and encoded again", text, again);
  return g_steal_pointer (&text);
}

/* The snapshot of a session restored from snapshot, encoded (NULL if refused). */
static char *
restore (const RcSnapshot *snapshot, const char *stream)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcSession) session = rc_session_new_from_snapshot (snapshot, &error);
  g_autoptr (RcSnapshot) again = NULL;

  if (session == NULL)
    {
      rc_fuzz_check_refusal (error, "rc_session_new_from_snapshot");
      return NULL;
    }
  again = rc_session_snapshot (session);
  return rc_codec_encode_snapshot (again, stream);
}

static void
check_snapshot (const RcMessage *message)
{
  g_autofree char *first = restore (message->snapshot, message->stream);
  g_autoptr (RcMessage) decoded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *second = NULL;

  if (first == NULL)
    return;
  decoded = rc_codec_decode_message (first, -1, &error);
  rc_fuzz_check (decoded != NULL, "the snapshot of a restored session is refused: %s\n  %s",
                 error->message, first);
  second = restore (decoded->snapshot, decoded->stream);
  rc_fuzz_check (second != NULL, "the snapshot of a restored session does not restore:\n  %s",
                 first);
  rc_fuzz_check_same ("a snapshot restored, taken and restored again", first, second);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) message = rc_codec_decode_message ((const char *) data, (gssize) size,
                                                           &error);
  g_autofree char *text = NULL;

  if (message == NULL)
    {
      rc_fuzz_check_refusal (error, "rc_codec_decode_message");
      return 0;
    }
  rc_fuzz_check (message->stream != NULL && message->stream[0] != '\0',
                 "a message without a stream");
  text = check_round_trip (message);
  if (message->kind == RC_MESSAGE_SNAPSHOT)
    check_snapshot (message);
  return 0;
}
