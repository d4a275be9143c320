/* rc-light.c — a member's light: the disc that shows its state in a vote. */
#include "rc-light.h"

#include <math.h>

#include "rc-draw.h"

guint32
rc_light_colour (RcChoice choice, const RcPalette *p)
{
  switch (choice)
    {
    case RC_CHOICE_YES:
      return p->yes;
    case RC_CHOICE_NO:
      return p->no;
    case RC_CHOICE_ABSTAIN:
      return p->abstain;
    case RC_CHOICE_HIDDEN:
      return p->hidden;
    case RC_CHOICE_NOT_VOTING:
    case RC_CHOICE_NO_RIGHT:
      return p->not_voting;
    case RC_CHOICE_PENDING:
    case RC_CHOICE_N:
    default:
      return p->pending;
    }
}

/* Glyph strokes in units of the light's diameter, centred on (0.5, 0.5). */
static void
glyph_path (cairo_t *cr, RcChoice choice, double x, double y, double d)
{
  switch (choice)
    {
    case RC_CHOICE_YES: /* a tick */
      cairo_move_to (cr, x + 0.27 * d, y + 0.52 * d);
      cairo_line_to (cr, x + 0.43 * d, y + 0.68 * d);
      cairo_line_to (cr, x + 0.74 * d, y + 0.34 * d);
      break;
    case RC_CHOICE_NO: /* a cross */
      cairo_move_to (cr, x + 0.31 * d, y + 0.31 * d);
      cairo_line_to (cr, x + 0.69 * d, y + 0.69 * d);
      cairo_move_to (cr, x + 0.69 * d, y + 0.31 * d);
      cairo_line_to (cr, x + 0.31 * d, y + 0.69 * d);
      break;
    case RC_CHOICE_ABSTAIN: /* a dash */
      cairo_move_to (cr, x + 0.28 * d, y + 0.5 * d);
      cairo_line_to (cr, x + 0.72 * d, y + 0.5 * d);
      break;
    default:
      break;
    }
}

void
rc_light_paint (cairo_t *cr, const RcRect *box, RcChoice choice, gboolean glyphs,
                const RcPalette *p)
{
  double d = MIN (box->width, box->height);
  double x = box->x + (box->width - d) / 2, y = box->y + (box->height - d) / 2;
  double cx = x + d / 2, cy = y + d / 2;
  guint32 colour = rc_light_colour (choice, p);

  cairo_save (cr);
  cairo_new_path (cr);
  cairo_arc (cr, cx, cy, d / 2, 0, 2 * G_PI);
  rc_set_colour (cr, colour);
  cairo_fill (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  switch (choice)
    {
    case RC_CHOICE_PENDING:
      /* A ring: the seat is there, the light is off. */
      cairo_set_line_width (cr, MAX (1.0, 0.08 * d));
      cairo_arc (cr, cx, cy, d / 2 - MAX (1.0, 0.08 * d) / 2, 0, 2 * G_PI);
      rc_set_colour (cr, p->dim_text);
      cairo_stroke (cr);
      break;
    case RC_CHOICE_NO_RIGHT:
      /* A slash: without the right to vote (Art. 19), not merely absent. */
      cairo_set_line_width (cr, MAX (1.0, 0.1 * d));
      cairo_move_to (cr, x + 0.28 * d, y + 0.72 * d);
      cairo_line_to (cr, x + 0.72 * d, y + 0.28 * d);
      rc_set_colour (cr, p->dim_text);
      cairo_stroke (cr);
      break;
    case RC_CHOICE_YES:
    case RC_CHOICE_NO:
    case RC_CHOICE_ABSTAIN:
      if (glyphs)
        {
          cairo_set_line_width (cr, MAX (1.0, 0.13 * d));
          glyph_path (cr, choice, x, y, d);
          rc_set_colour (cr, rc_contrasting (colour, p->background, p->text));
          cairo_stroke (cr);
        }
      break;
    default:
      break;
    }
  cairo_restore (cr);
}
