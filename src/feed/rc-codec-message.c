/* rc-codec-message.c — the feed's messages (docs/feed-protocol.md): an event of a
 * stream (the event of docs/events.md with its "stream"), a snapshot, a heartbeat.
 *
 * A client trusts nothing it receives, so decoding is as strict as for a journal
 * line, and a message is also refused when it cannot be placed: an event without its
 * stream or outside the sequence (seq 0), a heartbeat with a seq or without the
 * stream's last one. */
#include "rc-codec.h"

#include "model/rc-error.h"
#include "rc-codec-private.h"

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

static RcMessage *
decode_heartbeat (JsonObject *o, GError **error)
{
  RcJsonCtx ctx = { "heartbeat", "" };
  g_autoptr (RcMessage) message = g_new0 (RcMessage, 1);
  const char *stream;
  gint64 seq;

  message->kind = RC_MESSAGE_HEARTBEAT;
  if (!rc_json_get_int (&ctx, o, "seq", 0, G_MAXINT64, &seq, error))
    return NULL;
  /* Not part of the sequence: a seq here would be a client's mistake to act on. */
  if (seq != 0)
    {
      rc_json_bad (&ctx, error, "field \"seq\" must be 0 (a heartbeat is not in the sequence)");
      return NULL;
    }
  if (!rc_codec_decode_time (&ctx, o, "time", FALSE, &message->time, error)
      || !rc_codec_decode_stream (&ctx, o, &stream, error)
      || !rc_json_get_int (&ctx, o, "last_seq", 0, G_MAXINT64, &message->last_seq, error))
    return NULL;
  message->stream = g_strdup (stream);
  return g_steal_pointer (&message);
}

static RcMessage *
decode_event (JsonObject *o, RcEventType type, GError **error)
{
  RcJsonCtx ctx = { rc_event_type_to_string (type), "" };
  g_autoptr (RcMessage) message = g_new0 (RcMessage, 1);
  const char *stream;

  message->kind = RC_MESSAGE_EVENT;
  if (!rc_codec_decode_stream (&ctx, o, &stream, error))
    return NULL;
  message->event = rc_codec_decode_event_object (o, type, error);
  if (message->event == NULL)
    return NULL;
  /* Every event of a stream is numbered from 1 (§2). */
  if (message->event->seq < 1)
    {
      rc_json_bad (&ctx, error, "field \"seq\" must be 1 or more in an event of a stream");
      return NULL;
    }
  message->stream = g_strdup (stream);
  return g_steal_pointer (&message);
}

RcMessage *
rc_codec_decode_message (const char *text, gssize length, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (RcMessage) message = NULL;
  RcJsonCtx ctx = { NULL, "" };
  const char *type_name;
  RcEventType type;
  JsonObject *o;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  parser = rc_codec_parse (text, length, error);
  if (parser == NULL)
    return NULL;
  o = json_node_get_object (json_parser_get_root (parser));
  if (!rc_codec_check_version (o, error)
      || !rc_json_get_string (&ctx, o, "type", FALSE, FALSE, &type_name, error))
    return NULL;

  if (g_str_equal (type_name, "snapshot"))
    {
      RcJsonCtx snapshot_ctx = { "snapshot", "" };
      const char *stream;

      message = g_new0 (RcMessage, 1);
      message->kind = RC_MESSAGE_SNAPSHOT;
      if (!rc_codec_decode_stream (&snapshot_ctx, o, &stream, error))
        return NULL;
      message->snapshot = rc_codec_decode_snapshot_object (o, error);
      if (message->snapshot == NULL)
        return NULL;
      message->stream = g_strdup (stream);
      return g_steal_pointer (&message);
    }
  if (!rc_event_type_from_string (type_name, &type))
    {
      rc_json_bad (NULL, error, "field \"type\": unknown message type \"%s\"", type_name);
      return NULL;
    }
  if (type == RC_EVENT_HEARTBEAT)
    return decode_heartbeat (o, error);
  return decode_event (o, type, error);
}
