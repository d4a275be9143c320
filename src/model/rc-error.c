/* rc-error.c — the project's error domain, and refusals on one line. */
#include "rc-error.h"

#include <string.h>

G_DEFINE_QUARK (rc-error-quark, rc_error)

/* C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
static gboolean
breaks_line (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029;
}

char *
rc_error_one_line (const char *text)
{
  GString *out;
  const char *p, *end;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  end = text + strlen (text);
  for (p = text; p < end;)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_unichar (out, 0xFFFD);
          p++;
          continue;
        }
      if (!breaks_line (c))
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else
        g_string_append_printf (out, "\\u%04X", c);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

void
rc_error_make_one_line (GError *error)
{
  char *message;

  g_return_if_fail (error != NULL);

  message = rc_error_one_line (error->message);
  g_free (error->message);
  error->message = message;
}
