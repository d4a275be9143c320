/* rc-jsonl.c — JSON Lines of a session's events, both ways.
 *
 * Each line is one message for the codec's strict decoder (RFC 8259 JSON, the limits
 * of docs/events.md), so a line is refused as a wire message would be, with its
 * number. The one allowance is a UTF-8 byte-order mark at the very start of the file,
 * which RFC 8259 §8.1 lets a parser ignore and editors on some systems write. */
#include "rc-jsonl.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "codec/rc-codec.h"
#include "model/rc-error.h"

RcImportedSession *
rc_jsonl_read (const char *name, const char *text, gsize length, GError **error)
{
  g_autoptr (RcImportedSession) out = g_new0 (RcImportedSession, 1);
  gsize pos = 0;
  guint line = 0;

  g_return_val_if_fail (name != NULL && (text != NULL || length == 0), NULL);

  out->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  out->session = rc_session_new ();
  out->warnings = g_ptr_array_new_with_free_func (g_free);

  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    pos = 3;
  while (pos < length)
    {
      const char *start = text + pos;
      const char *end = memchr (start, '\n', length - pos);
      gsize len = end != NULL ? (gsize) (end - start) : length - pos;
      g_autoptr (GError) local = NULL;
      g_autoptr (RcEvent) event = NULL;

      pos += len + (end != NULL ? 1 : 0);
      line++;
      if (len > 0 && start[len - 1] == '\r')
        len--;
      if (len == 0)
        continue; /* a blank line, or the final newline */

      event = rc_codec_decode (start, (gssize) len, &local);
      if (event != NULL && event->type == RC_EVENT_HEARTBEAT)
        g_set_error (&local, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                     _ ("a heartbeat is not part of a journal"));
      else if (event != NULL && out->events->len == 0 && event->type != RC_EVENT_SESSION)
        g_set_error (&local, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                     _ ("a journal starts with its session event, not %s"),
                     rc_event_type_to_string (event->type));
      else if (event != NULL && event->seq != (gint64) out->events->len + 1)
        g_set_error (&local, RC_ERROR, RC_ERROR_SEQUENCE,
                     _ ("sequence %" G_GINT64_FORMAT " where %u was expected"), event->seq,
                     out->events->len + 1);
      else if (event != NULL)
        rc_session_apply (out->session, event, &local);

      if (local != NULL)
        {
          g_set_error (error, local->domain, local->code, "%s:%u: %s", name, line, local->message);
          return NULL;
        }
      g_ptr_array_add (out->events, g_steal_pointer (&event));
    }

  if (out->events->len == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: no events"), name);
      return NULL;
    }
  return g_steal_pointer (&out);
}

RcImportedSession *
rc_jsonl_read_file (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr (GError) local = NULL;

  if (!g_file_get_contents (path, &text, &length, &local))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, "%s", local->message);
      return NULL;
    }
  return rc_jsonl_read (path, text, length, error);
}

char *
rc_jsonl_write (GPtrArray *events)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (events != NULL, NULL);
  for (guint i = 0; i < events->len; i++)
    {
      g_autofree char *line = rc_codec_encode (g_ptr_array_index (events, i));

      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
