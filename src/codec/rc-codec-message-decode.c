/* rc-codec-message-decode.c — the feed's messages (docs/feed-protocol.md) from JSON:
 * an event of a stream (the event of docs/events.md with its "stream"), a snapshot, a
 * heartbeat.
 *
 * A client trusts nothing it receives, so decoding is as strict as for a journal
 * line, and a message is also refused when it cannot be placed: an event without its
 * stream or outside the sequence (seq 0), a heartbeat with a seq or without the
 * stream's last one. */
#include "rc-codec.h"

#include "model/rc-error.h"
#include "rc-codec-decode-private.h"

static RcMessage *
decode_heartbeat (json_t *o, GError **error)
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
decode_event (json_t *o, RcEventType type, GError **error)
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
  g_autoptr (json_t) o = NULL;
  g_autoptr (RcMessage) message = NULL;
  RcJsonCtx ctx = { NULL, "" };
  const char *type_name;
  RcEventType type;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  o = rc_codec_parse (text, length, error);
  if (o == NULL)
    return NULL;
  if (!rc_codec_check_version (o, error)
      || !rc_json_get_string (&ctx, o, "type", FALSE, FALSE, RC_ID_MAX, &type_name, error))
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
