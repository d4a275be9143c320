/* rc-collate.h — the explicit English collation of member names.
 *
 * The UN lists members in English alphabetical order of their names. We do not trust
 * byte order or the locale: the sort key of a name is built by a fixed rule,
 * documented in docs/collation.md and tested against the UN's own order. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns a newly allocated key; keys compare with strcmp(). */
char *rc_collate_key (const char *name);
int rc_collate_compare (const char *a, const char *b);

/* The sort key of a name in the alphabetical order of a board language
 * (docs/collation.md): ICU's collation of that language (CLDR), Arabic without the
 * article of its first word, as the UN's Arabic lists are ordered. Keys compare with
 * strcmp() (they are ICU's binary keys, with no zero byte). "en" and "zh_CN" are not
 * for this function: the UN's English lists follow rc_collate_key(), and its Chinese
 * lists follow the English order. NULL when ICU cannot open the language's
 * collation (error says why). */
char *rc_collate_key_for_language (const char *language, const char *name, GError **error);

G_END_DECLS
