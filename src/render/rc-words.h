/* rc-words.h — the small rules of the words a board and its files show, shared by the
 * painter, the exports and the record: an empty text is no text, and a date reads
 * "2 March 2022". */
#pragma once

#include <glib.h>

#include "rc-style.h"

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

/* The board's words speak the hall's language (the style's board language), not the
 * process's: B_("YES") in a function with a `style` in scope is "YES" in that
 * language, or "YES / OUI" on a bilingual board. xgettext knows B_, rc_board_printf
 * and rc_board_printf_lines (po/xgettext-args), so they are in every catalogue. */
#define B_(msgid) rc_board_word (style, msgid)
/* An interned string (the set of the board's words is small and fixed). */
const char *rc_board_word (const RcStyle *style, const char *msgid);
/* format translated into each of the board's languages, each filled with the same
 * arguments, joined as rc_board_word() joins (once when both say the same). */
char *rc_board_printf (const RcStyle *style, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* The same for a sentence: on a bilingual board each language's on a line of its own
 * (the painter fits such a text on two lines). */
char *rc_board_printf_lines (const RcStyle *style, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* "2 March 2022" in the board's first language ("2 آذار/مارس 2022", "2022年3月2日"), as
 * its catalogue writes dates; the text as is when it is not a date. */
char *rc_board_format_date (const RcStyle *style, const char *iso);

G_END_DECLS
