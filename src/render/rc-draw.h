/* rc-draw.h — small Cairo helpers shared by the painter's files: colours and shapes.
 * Internal to src/render. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rc-board-layout.h"

G_BEGIN_DECLS

void rc_set_colour (cairo_t *cr, guint32 rgb);
/* WCAG relative luminance of 0xRRGGBB, 0..1 */
double rc_colour_luminance (guint32 rgb);
/* Of a and b, the colour that contrasts more with fill. */
guint32 rc_contrasting (guint32 fill, guint32 a, guint32 b);
/* Fills r with an opaque colour. */
void rc_fill_rect (cairo_t *cr, const RcRect *r, guint32 rgb);
/* Adds a rounded rectangle path. */
void rc_rounded_rect (cairo_t *cr, const RcRect *r, double radius);

G_END_DECLS
