/* rc-codec-message.c — the feed's messages (docs/feed-protocol.md) → JSON: an event
 * of a stream (the event of docs/events.md with its "stream") and a heartbeat (the
 * snapshot: rc-codec-snapshot.c). Reading them is rc-codec-message-decode.c. */
#include "rc-codec.h"

#include "rc-codec-encode-private.h"

char *
rc_codec_encode_stream_event (const RcEvent *event, const char *stream)
{
  GString *out;

  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (event->type < RC_EVENT_HEARTBEAT, NULL);
  g_return_val_if_fail (stream != NULL, NULL);

  out = g_string_sized_new (event->type == RC_EVENT_SESSION ? 32768 : 256);
  rc_codec_write_event (out, event, stream);
  return g_string_free (out, FALSE);
}

char *
rc_codec_encode_heartbeat (const char *stream, gint64 last_seq, gint64 time)
{
  GString *out;

  g_return_val_if_fail (stream != NULL, NULL);
  g_return_val_if_fail (last_seq >= 0, NULL);

  out = g_string_sized_new (256);
  rc_json_begin_object (out);
  rc_json_add_int (out, "v", RC_CODEC_VERSION);
  rc_json_add_int (out, "seq", 0);
  rc_codec_add_time (out, "time", time);
  rc_json_add_string (out, "type", "heartbeat");
  rc_json_add_string (out, "stream", stream);
  rc_json_add_int (out, "last_seq", last_seq);
  rc_json_end_object (out);
  return g_string_free (out, FALSE);
}
