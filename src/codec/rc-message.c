/* rc-message.c — a message of the feed, and event ids ("STREAM:SEQ", §2 of
 * docs/feed-protocol.md): what a client gives back to resume, so it is parsed as
 * strictly as any other input from a peer. */
#include "rc-message.h"

#include <string.h>

void
rc_message_free (RcMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->stream);
  g_clear_pointer (&message->event, rc_event_unref);
  g_clear_pointer (&message->snapshot, rc_snapshot_unref);
  g_free (message);
}

RcMessage *
rc_message_copy (const RcMessage *message)
{
  RcMessage *copy;

  g_return_val_if_fail (message != NULL, NULL);

  copy = g_new0 (RcMessage, 1);
  *copy = *message;
  copy->stream = g_strdup (message->stream);
  if (message->event != NULL)
    copy->event = rc_event_ref (message->event);
  if (message->snapshot != NULL)
    copy->snapshot = rc_snapshot_ref (message->snapshot);
  return copy;
}

char *
rc_event_id_format (const char *stream, gint64 seq)
{
  g_return_val_if_fail (stream != NULL && strchr (stream, ':') == NULL, NULL);
  g_return_val_if_fail (seq >= 0, NULL);

  return g_strdup_printf ("%s:%" G_GINT64_FORMAT, stream, seq);
}

gboolean
rc_event_id_parse (const char *text, char **stream, gint64 *seq)
{
  const char *colon;
  gint64 value = 0;

  if (text == NULL)
    return FALSE;
  /* A stream id holds no ':', so the first one is the separator. */
  colon = strchr (text, ':');
  if (colon == NULL || colon == text || colon[1] == '\0')
    return FALSE;
  for (const char *p = colon + 1; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      if (value > (G_MAXINT64 - (*p - '0')) / 10)
        return FALSE;
      value = value * 10 + (*p - '0');
    }
  if (stream != NULL)
    *stream = g_strndup (text, colon - text);
  if (seq != NULL)
    *seq = value;
  return TRUE;
}
