/* rc-collate.c — the explicit English collation of member names.
 *
 * The rule (docs/collation.md): decompose (NFKD) and drop accents, so "Türkiye" sorts
 * as "turkiye" and "Côte d'Ivoire" as "cote divoire"; fold case; spell out the few
 * Latin letters that do not decompose (ß æ œ ø ł đ); drop apostrophes, brackets,
 * full stops and commas; treat hyphens and runs of spaces as one word break, which
 * sorts before any letter ("word by word": "Guinea" < "Guinea-Bissau" < "Guinean").
 * Keys are plain ASCII (for the names of member states) and compare bytewise. */
#include "rc-collate.h"

#include <string.h>

static const char *
spell_out (gunichar c)
{
  switch (c)
    {
    case 0x00DF: return "ss"; /* ß */
    case 0x00E6: return "ae"; /* æ */
    case 0x0153: return "oe"; /* œ */
    case 0x00F8: return "o";  /* ø */
    case 0x0142: return "l";  /* ł */
    case 0x0111: return "d";  /* đ */
    case 0x0131: return "i";  /* dotless ı */
    case 0x00F0: return "d";  /* ð */
    case 0x00FE: return "th"; /* þ */
    default: return NULL;
    }
}

char *
rc_collate_key (const char *name)
{
  g_autofree char *decomposed = NULL;
  GString *key;
  gboolean pending_break = FALSE;

  g_return_val_if_fail (name != NULL, NULL);

  decomposed = g_utf8_normalize (name, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL) /* not UTF-8: fall back to the bytes, still deterministic */
    return g_ascii_strdown (name, -1);

  key = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_unichar_tolower (g_utf8_get_char (p));
      GUnicodeType type = g_unichar_type (c);
      const char *spelt;

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK
          || type == G_UNICODE_ENCLOSING_MARK)
        continue;
      if (g_unichar_isspace (c) || c == '-' || c == 0x2010 || c == 0x2011 || c == '/')
        {
          pending_break = key->len > 0;
          continue;
        }
      spelt = spell_out (c);
      if (spelt == NULL && !g_unichar_isalnum (c))
        continue; /* apostrophes, brackets, full stops, commas… */

      if (pending_break)
        g_string_append_c (key, ' ');
      pending_break = FALSE;
      if (spelt != NULL)
        g_string_append (key, spelt);
      else
        g_string_append_unichar (key, c);
    }
  return g_string_free (key, FALSE);
}

int
rc_collate_compare (const char *a, const char *b)
{
  g_autofree char *ka = rc_collate_key (a);
  g_autofree char *kb = rc_collate_key (b);
  int r = strcmp (ka, kb);

  return r != 0 ? r : strcmp (a, b);
}
