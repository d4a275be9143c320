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

G_END_DECLS
