/* rc-catalog.h — the translations of one language, for texts shown in a language
 * other than the process's own: the board speaks the hall's language
 * (--board-language) while the desk speaks the operator's.
 *
 * A catalogue is the language's compiled message file (rollcall.mo, the same file
 * gettext reads for the desk), read once and kept for the life of the process. The
 * folder is rc_paths_locale_dir (). English, a missing file or a damaged
 * one is the identity: the text as written in the source. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RcCatalog RcCatalog;

/* language: "ar", "en", …, "zh_CN". Never NULL; shared, never freed. */
const RcCatalog *rc_catalog_get (const char *language);
/* FALSE when the language has no catalogue (English, or no file): every text is then
 * the English one. */
gboolean rc_catalog_is_loaded (const RcCatalog *catalog);

const char *rc_catalog_gettext (const RcCatalog *catalog, const char *msgid) G_GNUC_FORMAT (2);
/* The same for a printf format: the translation only if it takes the same arguments
 * (conversions, in the same order or by the same positions), else the msgid. */
const char *rc_catalog_format (const RcCatalog *catalog, const char *msgid) G_GNUC_FORMAT (2);
const char *rc_catalog_pgettext (const RcCatalog *catalog, const char *context, const char *msgid)
  G_GNUC_FORMAT (3);
const char *rc_catalog_ngettext (const RcCatalog *catalog, const char *msgid,
                                 const char *msgid_plural, gulong n) G_GNUC_FORMAT (3);

/* Reads a catalogue from the bytes of a .mo file (for the tests and the fuzzer): NULL
 * with a one-line reason when they are not a valid one. */
RcCatalog *rc_catalog_new_from_bytes (GBytes *mo, GError **error);
void rc_catalog_free (RcCatalog *catalog);

/* The plural form index of n under a Plural-Forms expression ("n != 1", the Arabic
 * six-way one…); -1 when the expression is not one gettext accepts. */
int rc_catalog_plural_index (const char *expression, gulong n);

G_END_DECLS
