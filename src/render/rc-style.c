/* rc-style.c — the board's style: palette override, glyphs, stale mark, font. */
#include "rc-style.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/rc-error.h"
#include "model/rc-paths.h"

RcStyle *
rc_style_new (void)
{
  RcStyle *style = g_new0 (RcStyle, 1);

  rc_palette_init_default (&style->palette);
  style->font_family = g_strdup (RC_STYLE_DEFAULT_FONT);
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

/* A name is a bare word ("blue-red-white"); anything with a separator or a suffix is
 * taken for a path, so that "./my.palette" and "/etc/x.palette" work as expected. */
static gboolean
looks_like_path (const char *text)
{
  return strchr (text, G_DIR_SEPARATOR) != NULL || g_str_has_suffix (text, ".palette");
}

gboolean
rc_style_load_palette (RcStyle *style, const char *name_or_path, GError **error)
{
  g_autofree char *path = NULL;
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) local = NULL;
  RcPalette palette;

  g_return_val_if_fail (style != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name_or_path == NULL || *name_or_path == '\0')
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT, _("empty palette name"));
      return FALSE;
    }

  if (looks_like_path (name_or_path))
    path = g_strdup (name_or_path);
  else
    {
      g_autofree char *rel = g_strdup_printf ("palettes/%s.palette", name_or_path);

      path = rc_paths_find_data (rel);
      if (path == NULL)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                       _("unknown palette '%s' (no palettes/%s.palette in the data folders)"),
                       name_or_path, name_or_path);
          return FALSE;
        }
    }

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("palette %s: %s"), path,
                   local->message);
      return FALSE;
    }
  if (!g_key_file_has_group (kf, "Palette"))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("palette %s: no [Palette] group"),
                   path);
      return FALSE;
    }

  /* Keys a file leaves out keep the built-in default, not the previous override. */
  rc_palette_init_default (&palette);
  if (!rc_palette_load_from_keyfile (&palette, kf, "Palette", &local))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("palette %s: %s"), path,
                   local->message);
      return FALSE;
    }

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
  return g_strcmp0 (a->font_family, b->font_family) == 0;
}
