/* rc-text-fit.h — one line of text placed in a rectangle at the largest size that fits.
 *
 * The header and the totals show texts that change with the vote (a title, a verdict
 * naming the vetoing member): each is given a rectangle and a largest size by the
 * layout, and shrunk here until its ink fits (or wrapped to two lines), so nothing
 * is ever clipped. A text that would have to shrink below half its size is
 * ellipsised instead (never a member's label: those are sized by the layout).
 * Internal to src/render. */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "rc-board-layout.h"

G_BEGIN_DECLS

typedef enum {
  RC_ALIGN_START,
  RC_ALIGN_CENTER,
  RC_ALIGN_END,
} RcAlign;

typedef struct {
  char *text;          /* what was fitted (NULL: nothing) */
  PangoLayout *layout; /* made in the board layout's context */
  double x, y;         /* where to place the layout's origin */
  RcRect ink;          /* where its ink lands, inside the rectangle */
} RcFittedText;

/* Refits only when text differs from what fitted holds. The rectangle and the font
 * must not change without rc_fitted_text_clear() (they belong to one board layout).
 * may_wrap: two lines are allowed when one line would need a much smaller size. */
void rc_fitted_text_update (RcFittedText *fitted, PangoContext *context, const char *text,
                            const PangoFontDescription *font, const RcRect *box,
                            RcAlign align, gboolean may_wrap);
void rc_fitted_text_clear (RcFittedText *fitted);
/* Shows it in the current source colour; nothing when empty. */
void rc_fitted_text_show (const RcFittedText *fitted, cairo_t *cr);

G_END_DECLS
