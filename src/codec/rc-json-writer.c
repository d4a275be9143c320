/* rc-json-writer.c — JSON written straight into a GString (rc-json-writer.h says which
 * bytes, and why those).
 *
 * No tree: the encoders know the members and their order, so they append them, and a
 * ballot's message is one allocation instead of a dozen nodes. */
#include "rc-json-writer.h"

/* Within a string, the short escapes JSON has; 0 for a byte written as \u00xx. */
static char
short_escape (guchar c)
{
  switch (c)
    {
    case '"':
      return '"';
    case '\\':
      return '\\';
    case '\b':
      return 'b';
    case '\t':
      return 't';
    case '\n':
      return 'n';
    case '\f':
      return 'f';
    case '\r':
      return 'r';
    default:
      return 0;
    }
}

void
rc_json_append_escaped (GString *out, const char *text)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = text;
  const char *p;

  g_return_if_fail (text != NULL);

  /* Runs of bytes that need nothing (UTF-8 beyond ASCII included) are appended whole. */
  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      char e;

      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      if ((e = short_escape (c)) != 0)
        {
          char pair[2] = { '\\', e };

          g_string_append_len (out, pair, sizeof pair);
        }
      else
        {
          char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf] };

          g_string_append_len (out, u, sizeof u);
        }
    }
  g_string_append_len (out, run, p - run);
}

/* A comma before a member or an element, unless it is the first of its object or array,
 * or the value of a key. */
static inline void
separate (GString *out)
{
  char last;

  if (out->len == 0)
    return;
  last = out->str[out->len - 1];
  if (last != '{' && last != '[' && last != ':')
    g_string_append_c (out, ',');
}

void
rc_json_begin_object (GString *out)
{
  separate (out);
  g_string_append_c (out, '{');
}

void
rc_json_end_object (GString *out)
{
  g_string_append_c (out, '}');
}

void
rc_json_begin_array (GString *out)
{
  separate (out);
  g_string_append_c (out, '[');
}

void
rc_json_end_array (GString *out)
{
  g_string_append_c (out, ']');
}

void
rc_json_write_key (GString *out, const char *name)
{
  separate (out);
  g_string_append_c (out, '"');
  rc_json_append_escaped (out, name);
  g_string_append_len (out, "\":", 2);
}

void
rc_json_write_string (GString *out, const char *value)
{
  if (value == NULL)
    {
      rc_json_write_null (out);
      return;
    }
  separate (out);
  g_string_append_c (out, '"');
  rc_json_append_escaped (out, value);
  g_string_append_c (out, '"');
}

void
rc_json_write_int (GString *out, gint64 value)
{
  /* (by hand: printf's machinery is most of the time of a small message) */
  char digits[24];
  char *p = digits + sizeof digits;
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;

  separate (out);
  do
    {
      *--p = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude != 0);
  if (value < 0)
    *--p = '-';
  g_string_append_len (out, p, digits + sizeof digits - p);
}

void
rc_json_write_bool (GString *out, gboolean value)
{
  separate (out);
  if (value)
    g_string_append_len (out, "true", 4);
  else
    g_string_append_len (out, "false", 5);
}

void
rc_json_write_null (GString *out)
{
  separate (out);
  g_string_append_len (out, "null", 4);
}

void
rc_json_add_string (GString *out, const char *name, const char *value)
{
  rc_json_write_key (out, name);
  rc_json_write_string (out, value);
}

void
rc_json_add_int (GString *out, const char *name, gint64 value)
{
  rc_json_write_key (out, name);
  rc_json_write_int (out, value);
}

void
rc_json_add_bool (GString *out, const char *name, gboolean value)
{
  rc_json_write_key (out, name);
  rc_json_write_bool (out, value);
}

void
rc_json_add_null (GString *out, const char *name)
{
  rc_json_write_key (out, name);
  rc_json_write_null (out);
}

void
rc_json_add_object (GString *out, const char *name)
{
  rc_json_write_key (out, name);
  rc_json_begin_object (out);
}

void
rc_json_add_array (GString *out, const char *name)
{
  rc_json_write_key (out, name);
  rc_json_begin_array (out);
}
