/* rc-text-fit.c — one line of text placed in a rectangle at the largest size that fits. */
#include "rc-text-fit.h"

#include <pango/pangocairo.h>
#include <string.h>

void
rc_fitted_text_clear (RcFittedText *fitted)
{
  g_clear_pointer (&fitted->text, g_free);
  g_clear_object (&fitted->layout);
  fitted->x = fitted->y = 0;
  fitted->ink = (RcRect){ 0 };
}

static void
get_ink (PangoLayout *layout, double *x, double *y, double *w, double *h)
{
  PangoRectangle ink;

  pango_layout_get_extents (layout, &ink, NULL);
  *x = (double) ink.x / PANGO_SCALE;
  *y = (double) ink.y / PANGO_SCALE;
  *w = (double) ink.width / PANGO_SCALE;
  *h = (double) ink.height / PANGO_SCALE;
}

static void
set_size (PangoLayout *layout, PangoFontDescription *desc, double size)
{
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
}

/* The largest size up to max at which the layout's ink fits bw × bh (wrapped at bw
 * when the layout has a width), or 0 when not even min does. */
static double
shrink_to_fit (PangoLayout *layout, PangoFontDescription *desc, double max, double min,
               double bw, double bh, int max_lines)
{
  double size = max, ix, iy, iw, ih;

  for (int attempt = 0; attempt < 16 && size >= min; attempt++)
    {
      set_size (layout, desc, size);
      get_ink (layout, &ix, &iy, &iw, &ih);
      if (iw <= bw && ih <= bh && pango_layout_get_line_count (layout) <= max_lines)
        return size;
      /* Shrink by the measured ratio, then verify: hinting is not linear in the size. */
      size = MIN (size - 0.25, size * MIN (1.0, MIN (bw / MAX (iw, 1), bh / MAX (ih, 1))));
    }
  return 0;
}

/* Whether line's first letter is of a script written right to left. */
static gboolean
starts_right_to_left (const char *line)
{
  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (g_unichar_get_script (c))
        {
        case G_UNICODE_SCRIPT_ARABIC:
        case G_UNICODE_SCRIPT_HEBREW:
        case G_UNICODE_SCRIPT_SYRIAC:
        case G_UNICODE_SCRIPT_THAANA:
        case G_UNICODE_SCRIPT_NKO:
          return TRUE;
        default:
          if (g_unichar_isalpha (c))
            return FALSE;
        }
    }
  return FALSE;
}

/* text with each line that starts right to left between RIGHT-TO-LEFT EMBEDDING and
 * POP DIRECTIONAL FORMATTING. */
static char *
embed_rtl_lines (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, '\n');
      if (starts_right_to_left (lines[i]))
        g_string_append_printf (out, "\u202B%s\u202C", lines[i]);
      else
        g_string_append (out, lines[i]);
    }
  return g_string_free (out, FALSE);
}

/* text's lines on one line: "a / b", each isolated (FIRST STRONG ISOLATE … POP
 * DIRECTIONAL ISOLATE) so that a number of one does not join the other's words. */
static char *
one_line (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (out, "%s\u2068%s\u2069", i > 0 ? " / " : "", lines[i]);
  return g_string_free (out, FALSE);
}

void
rc_fitted_text_update (RcFittedText *fitted, PangoContext *context, const char *text,
                       const PangoFontDescription *font, const RcRect *box, RcAlign align,
                       gboolean may_wrap)
{
  g_autoptr (PangoFontDescription) desc = NULL;
  double max_size, size, ix, iy, iw, ih;
  gboolean lines;
  /* One pixel inside the box: antialiasing may touch the pixel beyond the ink. */
  double bw = box->width - 2, bh = box->height - 2;

  if (text != NULL && fitted->text != NULL && strcmp (text, fitted->text) == 0)
    return;
  rc_fitted_text_clear (fitted);
  if (text == NULL || *text == '\0' || bw <= 1 || bh <= 1)
    return;

  fitted->text = g_strdup (text);
  fitted->layout = pango_layout_new (context);
  desc = pango_font_description_copy (font);
  max_size = (double) pango_font_description_get_size (font) / PANGO_SCALE;
  lines = strchr (text, '\n') != NULL;
  if (lines)
    {
      /* A sentence in each of a bilingual board's languages: on one line where it fits
       * at a good size, each language isolated from the other's direction. */
      g_autofree char *one = one_line (text);

      pango_layout_set_text (fitted->layout, one, -1);
    }
  else
    pango_layout_set_text (fitted->layout, text, -1);
  pango_layout_set_alignment (fitted->layout, align == RC_ALIGN_END      ? PANGO_ALIGN_RIGHT
                                              : align == RC_ALIGN_CENTER ? PANGO_ALIGN_CENTER
                                                                         : PANGO_ALIGN_LEFT);

  size = shrink_to_fit (fitted->layout, desc, max_size, 0.75 * max_size, bw, bh, 1);
  if (size == 0 && lines)
    {
      /* Else a line each. Lines in different directions ("…\nالأغلبية…"): Pango would
       * swap the alignment of each right-to-left line. One direction for the layout,
       * and each right-to-left line embedded whole in it, so every line aligns alike
       * and reads in its own direction. */
      g_autofree char *embedded = embed_rtl_lines (text);

      pango_layout_set_auto_dir (fitted->layout, FALSE);
      pango_layout_set_text (fitted->layout, embedded, -1);
      size = shrink_to_fit (fitted->layout, desc, max_size, 0.5 * max_size, bw, bh, 2);
    }
  else if (size == 0 && may_wrap)
    {
      /* Two lines at a good size read better than one line in small print. */
      pango_layout_set_width (fitted->layout, (int) (bw * PANGO_SCALE));
      pango_layout_set_wrap (fitted->layout, PANGO_WRAP_WORD);
      size = shrink_to_fit (fitted->layout, desc, max_size, 0.5 * max_size, bw, bh, 2);
      if (size == 0)
        pango_layout_set_width (fitted->layout, -1);
    }
  if (size == 0)
    size = shrink_to_fit (fitted->layout, desc, 0.75 * max_size, 0.5 * max_size, bw, bh, 1);
  if (size == 0)
    {
      /* Too long to be read at half size: keep half size (or less, for the height),
       * cut the end. Never used for members' labels, which the layout sizes. */
      size = 0.5 * max_size;
      pango_layout_set_ellipsize (fitted->layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_width (fitted->layout, (int) (bw * PANGO_SCALE));
      set_size (fitted->layout, desc, size);
      get_ink (fitted->layout, &ix, &iy, &iw, &ih);
      if (ih > bh)
        set_size (fitted->layout, desc, MAX (1.0, size * bh / ih));
    }
  get_ink (fitted->layout, &ix, &iy, &iw, &ih);

  switch (align)
    {
    case RC_ALIGN_START:
      fitted->x = box->x + 1 - ix;
      break;
    case RC_ALIGN_CENTER:
      fitted->x = box->x + (box->width - iw) / 2 - ix;
      break;
    case RC_ALIGN_END:
    default:
      fitted->x = box->x + box->width - 1 - iw - ix;
      break;
    }
  fitted->y = box->y + (box->height - ih) / 2 - iy;
  fitted->ink = (RcRect){ fitted->x + ix, fitted->y + iy, iw, ih };
}

void
rc_fitted_text_show (const RcFittedText *fitted, cairo_t *cr)
{
  if (fitted->layout == NULL)
    return;
  cairo_move_to (cr, fitted->x, fitted->y);
  pango_cairo_show_layout (cr, fitted->layout);
}
