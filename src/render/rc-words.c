/* rc-words.c — see rc-words.h. */
#include "rc-words.h"

#include <stdlib.h>

#include "model/rc-types.h"

char *
rc_format_date (const char *iso)
{
  g_autoptr (GDateTime) dt = NULL;

  if (!rc_iso_date_valid (iso))
    return g_strdup (rc_nonempty (iso));
  dt = g_date_time_new_utc (atoi (iso), atoi (iso + 5), atoi (iso + 8), 0, 0, 0);
  return dt != NULL ? g_date_time_format (dt, "%-d %B %Y") : g_strdup (iso);
}
