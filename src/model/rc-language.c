/* rc-language.c — see rc-language.h. */
#include "rc-language.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-error.h"

static const char *const codes[] = { "ar", "zh_CN", "en", "fr", "ru", "es", NULL };

const char *const *
rc_language_codes (void)
{
  return codes;
}

static const char *
lookup (const char *code)
{
  for (guint i = 0; code != NULL && codes[i] != NULL; i++)
    if (g_str_equal (code, codes[i]))
      return codes[i];
  return NULL;
}

gboolean
rc_language_is_known (const char *code)
{
  return lookup (code) != NULL;
}

gboolean
rc_language_is_rtl (const char *code)
{
  return g_strcmp0 (code, "ar") == 0;
}

/* "fr_CA.UTF-8@euro" → "fr"; "zh_TW" → NULL (traditional Chinese is not one of the six
 * forms); "zh", "zh_CN", "zh_SG" → "zh_CN". */
static const char *
from_locale_name (const char *name)
{
  char lang[8];
  gsize n = strcspn (name, "_.@");

  if (n == 0 || n >= sizeof lang)
    return NULL;
  memcpy (lang, name, n);
  lang[n] = '\0';
  if (g_str_equal (lang, "zh"))
    {
      const char *region = name[n] == '_' ? name + n + 1 : "";

      if (*region == '\0' || g_str_has_prefix (region, "CN") || g_str_has_prefix (region, "SG")
          || *region == '.' || *region == '@')
        return "zh_CN";
      return NULL;
    }
  return lookup (lang);
}

const char *
rc_language_from_environment (void)
{
  const char *const *names = g_get_language_names ();

  gboolean traditional = FALSE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *code;

      if (g_str_equal (names[i], "C") || g_str_equal (names[i], "POSIX"))
        break;
      code = from_locale_name (names[i]);
      /* "zh_TW" comes with its variant "zh": traditional Chinese is not the board's
       * simplified Chinese, but a "zh_CN" the user lists after it is. */
      if (code == NULL && g_str_has_prefix (names[i], "zh_"))
        traditional = TRUE;
      if (code != NULL && !(traditional && g_str_equal (names[i], "zh")))
        return code;
    }
  return "en";
}

gboolean
rc_board_language_parse (const char *spec, RcBoardLanguage *out, GError **error)
{
  g_auto (GStrv) parts = NULL;
  guint n;

  g_return_val_if_fail (out != NULL, FALSE);

  parts = g_strsplit (spec != NULL ? spec : "", ",", -1);
  n = g_strv_length (parts);
  if (n < 1 || n > 2)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   _ ("'%s' is not a board language: give one of ar, en, es, fr, ru, zh_CN, "
                      "or two of them separated by a comma"),
                   spec != NULL ? spec : "");
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (lookup (g_strstrip (parts[i])) == NULL)
      {
        g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                     _ ("'%s' is not one of the board's languages (ar, en, es, fr, ru, zh_CN)"),
                     parts[i]);
        return FALSE;
      }
  if (n == 2 && g_str_equal (parts[0], parts[1]))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   _ ("'%s': a bilingual board needs two different languages"), spec);
      return FALSE;
    }
  out->first = lookup (parts[0]);
  out->second = n == 2 ? lookup (parts[1]) : NULL;
  return TRUE;
}

char *
rc_board_language_to_string (const RcBoardLanguage *language)
{
  if (language->second != NULL)
    return g_strdup_printf ("%s,%s", language->first, language->second);
  return g_strdup (language->first);
}

gboolean
rc_board_language_equal (const RcBoardLanguage *a, const RcBoardLanguage *b)
{
  return g_strcmp0 (a->first, b->first) == 0 && g_strcmp0 (a->second, b->second) == 0;
}
