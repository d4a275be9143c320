/* rc-words.c — see rc-words.h. */
#include "rc-words.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "model/rc-language.h"
#include "model/rc-types.h"
#include "rc-catalog.h"

char *
rc_format_date (const char *iso)
{
  g_autoptr (GDateTime) dt = NULL;

  if (!rc_iso_date_valid (iso))
    return g_strdup (rc_nonempty (iso));
  dt = g_date_time_new_utc (atoi (iso), atoi (iso + 5), atoi (iso + 8), 0, 0, 0);
  return dt != NULL ? g_date_time_format (dt, "%-d %B %Y") : g_strdup (iso);
}

/* A board without a style speaks English. */
static const RcBoardLanguage english = { "en", NULL };

/* The chambers' own names, as the shipped chamber files write them: a board shows
 * them in its language (other chambers' names stay as their files write them). */
static const char *const chamber_words[] G_GNUC_UNUSED
  = { N_ ("United Nations"), N_ ("General Assembly"), N_ ("Security Council") };

/* Between the two languages of a bilingual board: on one line, or a sentence on a line
 * of its own. */
#define BILINGUAL_SEPARATOR " / "
#define BILINGUAL_LINES "\n"

/* first and second joined, or first alone when they are the same words (French's
 * "ABSTENTIONS" is English's). On one line, words written in different directions are
 * each isolated (FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE): "146 present and
 * voting" would otherwise lend its number to the Arabic beside it. */
static char *
join (const RcBoardLanguage *l, const char *first, const char *second, const char *separator)
{
  if (second == NULL || g_str_equal (first, second))
    return g_strdup (first);
  if (g_str_equal (separator, BILINGUAL_SEPARATOR)
      && rc_language_is_rtl (l->first) != rc_language_is_rtl (l->second))
    return g_strconcat ("\u2068", first, "\u2069", separator, "\u2068", second, "\u2069", NULL);
  return g_strconcat (first, separator, second, NULL);
}

const char *
rc_board_word (const RcStyle *style, const char *msgid)
{
  const RcBoardLanguage *l = style != NULL ? &style->language : &english;
  const char *first = rc_catalog_gettext (rc_catalog_get (l->first), msgid);
  g_autofree char *both = NULL;

  if (l->second == NULL)
    return first;
  both
    = join (l, first, rc_catalog_gettext (rc_catalog_get (l->second), msgid), BILINGUAL_SEPARATOR);
  return g_intern_string (both);
}

static char *
board_vprintf (const RcStyle *style, const char *separator, const char *format, va_list args)
{
  const RcBoardLanguage *l = style != NULL ? &style->language : &english;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  va_list again;

  G_VA_COPY (again, args);
  first = g_strdup_vprintf (rc_catalog_format (rc_catalog_get (l->first), format), args);
  if (l->second != NULL)
    second = g_strdup_vprintf (rc_catalog_format (rc_catalog_get (l->second), format), again);
  va_end (again);
  return join (l, first, second, separator);
}

char *
rc_board_printf (const RcStyle *style, const char *format, ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = board_vprintf (style, BILINGUAL_SEPARATOR, format, args);
  va_end (args);
  return text;
}

char *
rc_board_printf_lines (const RcStyle *style, const char *format, ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = board_vprintf (style, BILINGUAL_LINES, format, args);
  va_end (args);
  return text;
}

char *
rc_board_format_date (const RcStyle *style, const char *iso)
{
  /* The months as the catalogue names them: the UN's Arabic writes both of Arabic's
   * names of a month ("آذار/مارس"), which no locale's date format does. */
  static const char *const months[]
    = { N_ ("January"),   N_ ("February"), N_ ("March"),    N_ ("April"),
        N_ ("May"),       N_ ("June"),     N_ ("July"),     N_ ("August"),
        N_ ("September"), N_ ("October"),  N_ ("November"), N_ ("December") };
  const RcCatalog *catalog = rc_catalog_get (style != NULL ? style->language.first : "en");
  int month;

  if (!rc_iso_date_valid (iso))
    return g_strdup (rc_nonempty (iso));
  month = atoi (iso + 5);
  /* TRANSLATORS: a date on the board: day, month name, year (e.g. "2 March 2022");
   * reorder with the positions (%3$d年%2$s%1$d日). */
  return g_strdup_printf (rc_catalog_format (catalog, N_ ("%1$d %2$s %3$d")), atoi (iso + 8),
                          rc_catalog_gettext (catalog, months[month - 1]), atoi (iso));
}
