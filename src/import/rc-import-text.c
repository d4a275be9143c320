/* rc-import-text.c — what the fields of a voting record say, read alike by every
 * reader of src/import/: counts, dates, headers, titles, and member names compared and
 * written as the board writes them. Pure functions of their text. */
#include "rc-import-record.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/rc-error.h"

gboolean
rc_import_parse_count (const char *text, guint *out, gboolean *padded)
{
  guint64 value = 0;
  gsize n = strlen (text);

  *padded = FALSE;
  if (n == 0 || n > 9)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (guint64) (text[i] - '0');
    }
  if (value > 100000)
    return FALSE;
  *padded = n > 1 && text[0] == '0';
  *out = (guint) value;
  return TRUE;
}

gboolean
rc_import_date_in_range (const char *date)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  return rc_iso_date_valid (date) && strcmp (date, "1945-10-24") >= 0 && strcmp (date, today) <= 0;
}

gboolean
rc_import_check_width (const char *path, guint line, guint n, guint n_header, GError **error)
{
  if (n == n_header)
    return TRUE;
  g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
               _ ("%s:%u: %u fields where the header has %u (is the file truncated?)"), path, line,
               n, n_header);
  return FALSE;
}

gboolean
rc_import_check_date (const char *path, guint line, const char *date, GError **error)
{
  if (rc_import_date_in_range (date))
    return TRUE;
  g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
               _ ("%s:%u: date '%s' is not a day from 1945-10-24 to today (YYYY-MM-DD)"), path,
               line, date);
  return FALSE;
}

char *
rc_import_header_text (char **header)
{
  g_autofree char *all = g_strjoinv (",", header);
  const char *end = all + MIN (strlen (all), 200);

  if (*end == '\0')
    return g_steal_pointer (&all);
  while (end > all && (*end & 0xC0) == 0x80)
    end--;
  return g_strdup_printf ("%.*s…", (int) (end - all), all);
}

int
rc_import_column (char **header, guint n, const char *name)
{
  for (guint i = 0; i < n; i++)
    if (g_str_equal (header[i], name))
      return (int) i;
  return -1;
}

char *
rc_import_clean_title (const char *title)
{
  const char *cut = strstr (title, " : resolution");

  return cut != NULL ? g_strndup (title, (gsize) (cut - title)) : g_strdup (title);
}

/* ---------------------------------------------------------------- names */

char *
rc_record_fold_name (const char *name)
{
  g_autofree char *decomposed = g_utf8_normalize (name, -1, G_NORMALIZE_NFKD);
  g_autoptr (GString) bare = g_string_new (NULL);
  g_autofree char *folded = NULL;

  if (decomposed == NULL)
    return g_strdup ("");
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* accents go; so does the dotless/dotted i's difference */
      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      if (c == 0x2019 || c == 0x2018 || c == 0x02BC)
        c = '\'';
      if (c == 0x0131)
        c = 'i';
      g_string_append_unichar (bare, c);
    }
  folded = g_utf8_casefold (bare->str, -1);
  return g_strdup (g_strstrip (folded));
}

char *
rc_record_name_case (const char *name)
{
  static const char *const small[] = { "of", "the", "and", "d'", NULL };
  g_autoptr (GString) out = g_string_new (NULL);
  gboolean word_start = TRUE;
  guint words = 0;

  /* a name the record writes in mixed case is its own */
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_islower (g_utf8_get_char (p)))
      return g_strdup (name);
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (word_start && g_unichar_isalpha (c))
        {
          gboolean lower = FALSE;

          /* "of", "the", "and" and French "d'" stay small inside a name */
          for (guint i = 0; words > 0 && small[i] != NULL && !lower; i++)
            {
              gsize n = strlen (small[i]);
              const char *after = p + n;

              lower
                = g_ascii_strncasecmp (p, small[i], n) == 0
                  && (small[i][n - 1] == '\'' || *after == ' ' || *after == ')' || *after == '\0');
            }
          g_string_append_unichar (out, lower ? g_unichar_tolower (c) : c);
          words++;
          word_start = FALSE;
          continue;
        }
      g_string_append_unichar (out, word_start ? c : g_unichar_tolower (c));
      /* a new word after a space, a hyphen, a bracket, or the apostrophe of "d'" (not
       * the one of "People's") */
      word_start = c == '\'' ? out->len >= 2 && g_ascii_tolower (out->str[out->len - 2]) == 'd'
                                 && (out->len == 2 || !g_ascii_isalpha (out->str[out->len - 3]))
                             : !g_unichar_isalpha (c);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
