/* rc-draw.c — small Cairo helpers shared by the painter's files: colours and shapes. */
#include "rc-draw.h"

#include <math.h>

void
rc_set_colour (cairo_t *cr, guint32 rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

void
rc_fill_rect (cairo_t *cr, const RcRect *r, guint32 rgb)
{
  rc_set_colour (cr, rgb);
  cairo_rectangle (cr, r->x, r->y, r->width, r->height);
  cairo_fill (cr);
}

static double
channel (guint32 c)
{
  double v = (c & 0xff) / 255.0;

  return v <= 0.03928 ? v / 12.92 : pow ((v + 0.055) / 1.055, 2.4);
}

double
rc_colour_luminance (guint32 rgb)
{
  return 0.2126 * channel (rgb >> 16) + 0.7152 * channel (rgb >> 8) + 0.0722 * channel (rgb);
}

static double
contrast (guint32 a, guint32 b)
{
  double la = rc_colour_luminance (a), lb = rc_colour_luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

guint32
rc_contrasting (guint32 fill, guint32 a, guint32 b)
{
  return contrast (fill, a) >= contrast (fill, b) ? a : b;
}

void
rc_rounded_rect (cairo_t *cr, const RcRect *r, double radius)
{
  double x = r->x, y = r->y, w = r->width, h = r->height;

  radius = MIN (radius, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + w - radius, y + h - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + h - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}
