/* rc-names.h — the members' names in a board's language.
 *
 * The names of states come from two sources (docs/languages.md): the UN's own short
 * names where they differ from CLDR's, and every name of the past, as data
 * (data/names/LANG.csv: code, from, until, name, label); otherwise CLDR's name of the
 * country through ICU. Members that are not states (a code that never sat in the
 * General Assembly) keep their names. English is the roster itself. */
#pragma once

#include <glib.h>

#include "rc-roster.h"

G_BEGIN_DECLS

/* The roster's members, in the same order (index i is still member i), with the
 * names and labels in force on date ("YYYY-MM-DD"; NULL: today) in language, and the
 * sort keys of that language's order (rc_collate_key_for_language()); for "en" and
 * "zh_CN" the keys stay the roster's (the UN's Chinese lists follow the English
 * order). Never fails: a name that cannot be found stays the roster's own. */
RcRoster *rc_roster_translate (const RcRoster *roster, const char *language, const char *date);

/* The name and board label of one member in language on date: FALSE when neither the
 * data nor CLDR has one. For the tests and the desk. */
gboolean rc_names_lookup (const char *language, const char *code, const char *date, char **name,
                          char **label);

/* The names file of a language is checked as it is read: a bad file is a one-line
 * error, and that language then falls back to CLDR (rc_names_check says why). */
gboolean rc_names_check (const char *language, GError **error);

G_END_DECLS
