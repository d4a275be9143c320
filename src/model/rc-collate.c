/* rc-collate.c — the explicit English collation of member names.
 *
 * The rule (docs/collation.md): decompose (NFKD) and drop accents, so "Türkiye" sorts
 * as "turkiye" and "Côte d'Ivoire" as "cote divoire"; fold case; spell out the few
 * Latin letters that do not decompose (ß æ œ ø ł đ); drop apostrophes, brackets,
 * full stops and commas; treat hyphens and runs of spaces as one word break, which
 * sorts before any letter ("word by word": "Guinea" < "Guinea-Bissau" < "Guinean").
 * Keys are plain ASCII (for the names of member states) and compare bytewise. */
#include "rc-collate.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/utypes.h>

#include "rc-error.h"

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

/* ICU's collators, one per language, opened once. A collator is not to be used by two
 * threads at once: the lock covers every use. */
G_LOCK_DEFINE_STATIC (collators);
static GHashTable *collators; /* language → UCollator */

/* Arabic lists ignore the definite article of the first word (الأرجنتين sorts as
 * أرجنتين, السلفادور under the sin) and read every alif as one letter: آيسلندا comes
 * after أوكرانيا, where ICU's Arabic order would put the madda first. */
static char *
arabic_sort_form (const char *name)
{
  static const char article[] = "\xd8\xa7\xd9\x84"; /* ال */
  GString *out = g_string_new (NULL);

  if (g_str_has_prefix (name, article) && name[sizeof article - 1] != '\0'
      && name[sizeof article - 1] != ' ')
    name += sizeof article - 1;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* آ أ إ ٱ → ا */
      if (c == 0x0622 || c == 0x0623 || c == 0x0625 || c == 0x0671)
        c = 0x0627;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

char *
rc_collate_key_for_language (const char *language, const char *name, GError **error)
{
  UErrorCode status = U_ZERO_ERROR;
  UCollator *collator;
  g_autofree gunichar2 *text = NULL;
  g_autofree char *form = NULL;
  glong text_len = 0;
  guint8 small[512];
  guint8 *key = small;
  int32_t n;
  char *result;

  g_return_val_if_fail (language != NULL && name != NULL, NULL);

  if (!g_utf8_validate (name, -1, NULL))
    return g_strdup ("\xff"); /* not UTF-8: after every name, still deterministic */
  form = g_str_equal (language, "ar") ? arabic_sort_form (name) : g_strdup (name);
  text = g_utf8_to_utf16 (form, -1, NULL, &text_len, NULL);
  if (text == NULL)
    return g_strdup ("\xff"); /* not UTF-8: after every name, still deterministic */

  G_LOCK (collators);
  if (collators == NULL)
    collators = g_hash_table_new (g_str_hash, g_str_equal);
  collator = g_hash_table_lookup (collators, language);
  if (collator == NULL)
    {
      collator = ucol_open (language, &status);
      if (U_FAILURE (status))
        {
          G_UNLOCK (collators);
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                       _ ("the collation of '%s' cannot be opened (ICU: %s)"), language,
                       u_errorName (status));
          return NULL;
        }
      /* French lists are ordered letter by letter: spaces, hyphens and apostrophes do
       * not count before the letters do (Sainte-Lucie before Saint-Kitts-et-Nevis,
       * Guinée-Bissau before Guinée équatoriale, as the UN's French lists run). They
       * still part names that differ by them alone (the fourth level). */
      if (g_str_equal (language, "fr"))
        {
          ucol_setAttribute (collator, UCOL_ALTERNATE_HANDLING, UCOL_SHIFTED, &status);
          ucol_setStrength (collator, UCOL_QUATERNARY);
        }
      g_hash_table_insert (collators, g_strdup (language), collator);
    }
  n = ucol_getSortKey (collator, (const UChar *) text, (int32_t) text_len, key, sizeof small);
  if (n > (int32_t) sizeof small)
    {
      key = g_malloc (n);
      n = ucol_getSortKey (collator, (const UChar *) text, (int32_t) text_len, key, n);
    }
  G_UNLOCK (collators);

  /* A key ends with its zero byte, and has no other. */
  result = g_strndup ((const char *) key, n > 0 ? n - 1 : 0);
  if (key != small)
    g_free (key);
  return result;
}
