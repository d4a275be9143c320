/* rc-words.h — the small rules of the words a board and its files show, shared by the
 * painter, the exports and the record: an empty text is no text, and a date reads
 * "2 March 2022". */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A text field that is missing or empty: both mean "nothing to show". */
static inline const char *
rc_nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

/* "2 March 2022" from "2022-03-02" (the month in the user's language); the text as is
 * when it is not a date; NULL when there is none. */
char *rc_format_date (const char *iso);

G_END_DECLS
