/* rc-words.c — see rc-words.h. */
#include "rc-words.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

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

/* Between the two languages of a bilingual board. */
#define BILINGUAL_SEPARATOR " / "

const char *
rc_board_word (const RcStyle *style, const char *msgid)
{
  const RcBoardLanguage *l = style != NULL ? &style->language : &english;
  const char *first = rc_catalog_gettext (rc_catalog_get (l->first), msgid);
  g_autofree char *both = NULL;

  if (l->second == NULL)
    return first;
  both = g_strconcat (first, BILINGUAL_SEPARATOR,
                      rc_catalog_gettext (rc_catalog_get (l->second), msgid), NULL);
  return g_intern_string (both);
}

char *
rc_board_printf (const RcStyle *style, const char *format, ...)
{
  const RcBoardLanguage *l = style != NULL ? &style->language : &english;
  va_list args;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  va_start (args, format);
  first = g_strdup_vprintf (rc_catalog_format (rc_catalog_get (l->first), format), args);
  va_end (args);
  if (l->second == NULL)
    return g_steal_pointer (&first);
  va_start (args, format);
  second = g_strdup_vprintf (rc_catalog_format (rc_catalog_get (l->second), format), args);
  va_end (args);
  return g_strconcat (first, BILINGUAL_SEPARATOR, second, NULL);
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
