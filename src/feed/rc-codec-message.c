/* rc-codec-message.c — the feed's messages (docs/feed-protocol.md) → JSON: an event
 * of a stream (the event of docs/events.md with its "stream") and a heartbeat (the
 * snapshot: rc-codec-snapshot.c). Reading them is rc-codec-message-decode.c. */
#include "rc-codec.h"

#include "rc-codec-encode-private.h"

char *
rc_codec_encode_stream_event (const RcEvent *event, const char *stream)
{
  g_autoptr (JsonObject) o = NULL;

  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (event->type < RC_EVENT_HEARTBEAT, NULL);
  g_return_val_if_fail (stream != NULL, NULL);

  o = rc_codec_event_to_json (event, stream);
  return rc_codec_object_to_string (o);
}

char *
rc_codec_encode_heartbeat (const char *stream, gint64 last_seq, gint64 time)
{
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *text = NULL;

  g_return_val_if_fail (stream != NULL, NULL);
  g_return_val_if_fail (last_seq >= 0, NULL);

  text = rc_codec_format_time (time);
  json_object_set_int_member (o, "v", RC_CODEC_VERSION);
  json_object_set_int_member (o, "seq", 0);
  json_object_set_string_member (o, "time", text);
  json_object_set_string_member (o, "type", "heartbeat");
  json_object_set_string_member (o, "stream", stream);
  json_object_set_int_member (o, "last_seq", last_seq);
  return rc_codec_object_to_string (o);
}
