/* rc-style.c — the board's style: palette override, glyphs, stale mark, font. */
#include "rc-style.h"

#include <glib/gi18n-lib.h>

#include "model/rc-error.h"
#include "model/rc-names.h"

RcStyle *
rc_style_new (void)
{
  RcStyle *style = g_new0 (RcStyle, 1);

  rc_palette_init_default (&style->palette);
  style->font_family = g_strdup (RC_STYLE_DEFAULT_FONT);
  style->language.first = "en";
  return style;
}

RcStyle *
rc_style_copy (const RcStyle *style)
{
  RcStyle *copy;

  g_return_val_if_fail (style != NULL, NULL);

  copy = g_memdup2 (style, sizeof *style);
  copy->font_family = g_strdup (style->font_family);
  return copy;
}

void
rc_style_free (RcStyle *style)
{
  if (style == NULL)
    return;
  g_free (style->font_family);
  g_free (style);
}

void
rc_style_set_font_family (RcStyle *style, const char *family)
{
  g_return_if_fail (style != NULL);

  g_free (style->font_family);
  style->font_family = g_strdup (family != NULL && *family != '\0' ? family
                                                                  : RC_STYLE_DEFAULT_FONT);
}

void
rc_style_set_palette (RcStyle *style, const RcPalette *palette)
{
  g_return_if_fail (style != NULL);

  if (palette != NULL)
    style->palette = *palette;
  else
    rc_palette_init_default (&style->palette);
  style->has_palette = palette != NULL;
}

gboolean
rc_style_load_palette (RcStyle *style, const char *name_or_path, GError **error)
{
  RcPalette palette;

  g_return_val_if_fail (style != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name_or_path == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT, _("empty palette name"));
      return FALSE;
    }
  /* Keys a file leaves out keep the built-in default, not the previous override. */
  rc_palette_init_default (&palette);
  if (!rc_palette_load (&palette, name_or_path, NULL, error))
    return FALSE;
  rc_style_set_palette (style, &palette);
  return TRUE;
}

void
rc_style_resolve_palette (const RcStyle *style, const RcChamberInfo *chamber, RcPalette *out)
{
  g_return_if_fail (out != NULL);

  if (style != NULL && style->has_palette)
    *out = style->palette;
  else if (chamber != NULL)
    *out = chamber->palette;
  else
    rc_palette_init_default (out);
}

gboolean
rc_style_same_geometry (const RcStyle *a, const RcStyle *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return g_strcmp0 (a->font_family, b->font_family) == 0
         && rc_board_language_equal (&a->language, &b->language);
}

static const char *
script_font (const char *language)
{
  if (g_strcmp0 (language, "ar") == 0)
    return "Noto Sans Arabic";
  if (g_strcmp0 (language, "zh_CN") == 0)
    return "Noto Sans CJK SC";
  return NULL;
}

char *
rc_style_get_font_families (const RcStyle *style)
{
  const char *first = script_font (style->language.first);
  const char *second = script_font (style->language.second);
  GString *families = g_string_new (style->font_family);

  if (first != NULL)
    g_string_append_printf (families, ", %s", first);
  if (second != NULL && g_strcmp0 (first, second) != 0)
    g_string_append_printf (families, ", %s", second);
  return g_string_free (families, FALSE);
}

gboolean
rc_style_is_rtl (const RcStyle *style)
{
  return rc_language_is_rtl (style->language.first);
}

RcRoster *
rc_style_board_roster (const RcStyle *style, const RcRoster *roster, const char *date)
{
  if (style == NULL || g_strcmp0 (style->language.first, "en") == 0)
    return rc_roster_ref ((RcRoster *) roster);
  return rc_roster_translate (roster, style->language.first, date);
}
