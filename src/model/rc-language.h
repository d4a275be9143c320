/* rc-language.h — the six languages a board speaks, and the hall's choice of them.
 *
 * A board shows its fixed words, the members' names and their order in the hall's
 * language (docs/languages.md), which is a setting of the hall, apart from the
 * operator's own language: one of the UN's six (ar, en, es, fr, ru, zh_CN), or two of
 * them for a hall with two working languages ("en,fr": headings in both, the names
 * and their order in the first). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The six codes, NULL-terminated, in the order of their English names. */
const char *const *rc_language_codes (void);
gboolean rc_language_is_known (const char *code);
/* Arabic: the board mirrors. */
gboolean rc_language_is_rtl (const char *code);

/* The first of the user's languages (g_get_language_names ()) that is one of the six:
 * "fr_CA.UTF-8" is fr, "zh_SG" and "zh" are zh_CN; "en" when none is. */
const char *rc_language_from_environment (void);

/* A board's languages. */
typedef struct {
  const char *first;  /* names, their order, direction, and the words */
  const char *second; /* NULL, or the words' second language */
} RcBoardLanguage;

/* spec: one code, or two distinct codes separated by a comma ("en,fr"). The codes
 * returned are the static ones of rc_language_codes(). FALSE with a one-line reason
 * (RC_ERROR_BAD_ARGUMENT) otherwise. */
gboolean rc_board_language_parse (const char *spec, RcBoardLanguage *out, GError **error);
/* "fr" or "en,fr" */
char *rc_board_language_to_string (const RcBoardLanguage *language);
gboolean rc_board_language_equal (const RcBoardLanguage *a, const RcBoardLanguage *b);

G_END_DECLS
