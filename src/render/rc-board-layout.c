/* rc-board-layout.c — the board's geometry: regions, cells and the labels' type size.
 *
 * The names are what a delegate looks for, so everything is arranged to make them as
 * large as possible: the header and the totals get sizes proportional to the screen
 * (read from the back of a hall), then for each arrangement of the totals (a band
 * below the grid, or a column beside it on wide screens) and each number of columns we
 * compute the largest type size at which every label's ink fits its box, and keep the
 * best (the names' size: rc-board-fit.c). The layouts of the names' last measurement
 * are kept for the painter: shaping 193 names costs as much as measuring them. */
#include "rc-board-layout.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-board-fit.h"
#include "rc-words.h"

/* Proportions, in units of the board's "unit" u = sqrt (width × height) / 100 (and
 * COLUMN_GAP_U, rc-board-fit.h). */
#define MARGIN_U 1.1     /* around the frame */
#define GAP_U 0.9        /* between regions */
#define HEADER_U 6.8     /* header height */
#define BAND_U 10.0      /* totals band height (arrangement "below") */
#define PANEL_U 27.0     /* totals column width (arrangement "beside") */


static gsize next_serial = 1; /* atomic */

gboolean
rc_rect_contains_rect (const RcRect *outer, const RcRect *inner)
{
  /* A tolerance for the rounding of sums of doubles. */
  const double e = 1e-6;

  return inner->x >= outer->x - e && inner->y >= outer->y - e &&
         inner->x + inner->width <= outer->x + outer->width + e &&
         inner->y + inner->height <= outer->y + outer->height + e;
}

gboolean
rc_rect_intersects (const RcRect *a, const RcRect *b)
{
  const double e = 1e-6;

  return a->x < b->x + b->width - e && b->x < a->x + a->width - e &&
         a->y < b->y + b->height - e && b->y < a->y + a->height - e;
}

static RcRect
rect (double x, double y, double w, double h)
{
  return (RcRect){ x, y, MAX (w, 0.0), MAX (h, 0.0) };
}

/* Regions and cells lie on whole pixels: crisp edges, and neighbours painted
 * separately leave no seams. */
static RcRect
snap (RcRect r)
{
  double x0 = round (r.x), y0 = round (r.y);

  return (RcRect){ x0, y0, MAX (0.0, round (r.x + r.width) - x0),
                   MAX (0.0, round (r.y + r.height) - y0) };
}

/* The grid's share of the frame and the totals' rectangle, for one arrangement. */
static void
place_regions (RcBoardLayout *l, RcBoardArrangement arrangement, double scale)
{
  double u = l->unit, m = MARGIN_U * u, gap = GAP_U * u;
  double w = l->width, h = l->height;
  double top = m + l->header.height + gap;

  l->arrangement = arrangement;
  if (arrangement == RC_BOARD_TOTALS_BELOW)
    {
      /* Tall screens give the band a little more height: it has room to spare. */
      double band = MIN (scale * BAND_U * u * MAX (1.0, sqrt (h / w * 16.0 / 9.0) * 0.9),
                         0.3 * h);

      l->totals = snap (rect (m, h - m - band, w - 2 * m, band));
      l->grid = snap (rect (m, top, w - 2 * m, l->totals.y - gap - top));
    }
  else
    {
      double panel = MIN (scale * PANEL_U * u, 0.34 * w);

      l->totals = snap (rect (w - m - panel, top, panel, h - m - top));
      l->grid = snap (rect (m, top, l->totals.x - gap - m, h - m - top));
    }
}

static void
place_cells (RcBoardLayout *l, RcBoardCell *cells, guint n, const RcGridFit *f,
             const RcInkBounds *ink, const guint *rank)
{
  double s = l->label_size;
  /* Lights on whole pixels, so the painter can stamp them from a cached image. */
  double light = MAX (1.0, floor (MIN (LIGHT_S * s, f->cell_h - 2 * f->vpad)));
  double pad = PAD_S * s;

  for (guint i = 0; i < n; i++)
    {
      RcBoardCell *c = &cells[i];
      double x, y, bx;

      /* Column by column, like the board in the General Assembly Hall, in the
       * alphabetical order of the board's language. */
      c->column = rank[i] / f->rows;
      c->row = rank[i] % f->rows;
      x = round (l->grid.x + c->column * f->pitch_x);
      y = round (l->grid.y + c->row * f->pitch_y);
      c->frame = rect (x, y, f->cell_w, f->cell_h);
      c->light = rect (round (x + pad), y + floor ((f->cell_h - light) / 2), light, light);
      bx = c->light.x + light + LIGHT_GAP_S * s;
      c->label = rect (bx, y + f->vpad, x + f->cell_w - pad - bx, f->cell_h - 2 * f->vpad);
      /* One origin for every label: left edges align as type does, and all the
       * baselines of a row are level. */
      c->label_x = bx - ink->min_x;
      c->label_y = c->label.y + (c->label.height - (ink->max_y - ink->min_y)) / 2 - ink->min_y;
    }
}

/* Header: on the left the body over the document symbol and title; on the right the
 * meeting over the stale mark, the vote's state and the clock. */
static void
place_header (RcBoardLayout *l)
{
  double u = l->unit, m = MARGIN_U * u, gap = GAP_U * u;
  double x, y, w, h, h1, h2, left, right, rx;

  l->header = snap (rect (m, m, l->width - 2 * m, HEADER_U * u));
  x = l->header.x, y = l->header.y, w = l->header.width, h = l->header.height;
  h1 = 0.40 * h, h2 = h - h1;
  left = 0.58 * w - gap / 2, right = w - left - gap;
  rx = x + left + gap;
  l->header_body = rect (x, y, left, h1);
  l->header_symbol = rect (x, y + h1, 0.34 * left, h2);
  l->header_title = rect (x + 0.34 * left + gap, y + h1, 0.66 * left - gap, h2);
  l->header_meeting = rect (rx, y, right, h1);
  l->header_badge = rect (rx, y + h1, 0.22 * right - gap / 2, h2);
  l->header_state = rect (rx + 0.22 * right + gap / 2, y + h1, 0.44 * right - gap, h2);
  l->header_clock = rect (rx + 0.66 * right + gap / 2, y + h1, 0.34 * right - gap / 2, h2);
}

/* A count: its swatch and label on one line, the number under them (or, in a column,
 * the number at the right end of the line). */
static void
place_slot (RcBoardLayout *l, int i, RcRect slot, gboolean one_line)
{
  l->totals_slots[i] = slot;
  if (one_line)
    {
      double sw = 0.36 * slot.height;

      l->totals_swatches[i] = rect (slot.x, slot.y + (slot.height - sw) / 2, sw, sw);
      l->totals_labels[i] = rect (slot.x + 1.5 * sw, slot.y, 0.62 * slot.width - 1.5 * sw,
                                  slot.height);
      l->totals_numbers[i] = rect (slot.x + 0.62 * slot.width, slot.y, 0.38 * slot.width,
                                   slot.height);
    }
  else
    {
      double label_h = 0.30 * slot.height, sw = 0.55 * label_h;

      l->totals_swatches[i] = rect (slot.x, slot.y + (label_h - sw) / 2, sw, sw);
      l->totals_labels[i] = rect (slot.x + 1.4 * sw, slot.y, slot.width - 1.4 * sw, label_h);
      /* Numbers keep clear of the next count's: "141" and "5" must not read "1415". */
      l->totals_numbers[i] = rect (slot.x, slot.y + label_h, 0.80 * slot.width,
                                   slot.height - label_h);
    }
}

/* The verdict, then its reason (a veto, the votes present), then the required
 * majority: in that order of importance. */
static void
place_verdict (RcBoardLayout *l, RcRect v)
{
  l->verdict = rect (v.x, v.y, v.width, 0.50 * v.height);
  l->notice = rect (v.x, v.y + 0.50 * v.height, v.width, 0.30 * v.height);
  l->majority = rect (v.x, v.y + 0.80 * v.height, v.width, 0.20 * v.height);
}

static void
place_totals (RcBoardLayout *l)
{
  RcRect t = l->totals;
  double u = l->unit, gap = 0.6 * u;

  if (l->arrangement == RC_BOARD_TOTALS_BESIDE)
    {
      /* A column: four lines of counts with aligned numbers, then the verdict. */
      double rows_h = 0.52 * t.height, row_h = (rows_h - 3 * gap) / RC_TOTALS_N_SLOTS;

      for (int i = 0; i < RC_TOTALS_N_SLOTS; i++)
        place_slot (l, i, rect (t.x, t.y + i * (row_h + gap), t.width, row_h), TRUE);
      place_verdict (l, rect (t.x, t.y + rows_h + 2 * gap, t.width,
                              MIN (0.40 * t.height, t.height - rows_h - 2 * gap)));
    }
  else if (t.width >= 5.5 * t.height)
    {
      /* A wide band: the counts side by side, the verdict on their right, well apart
       * (read as one line, "DID NOT VOTE" and "ADOPTED" would run together). */
      double apart = 4 * gap;
      double slots_w = 0.56 * t.width, slot_w = (slots_w - 3 * gap) / RC_TOTALS_N_SLOTS;

      for (int i = 0; i < RC_TOTALS_N_SLOTS; i++)
        place_slot (l, i, rect (t.x + i * (slot_w + gap), t.y, slot_w, t.height), FALSE);
      place_verdict (l, rect (t.x + slots_w + apart, t.y, t.width - slots_w - apart,
                              t.height));
    }
  else
    {
      /* A narrow band (portrait, 4:3): the counts across, the verdict under them. */
      double top = 0.50 * t.height, slot_w = (t.width - 3 * gap) / RC_TOTALS_N_SLOTS;

      for (int i = 0; i < RC_TOTALS_N_SLOTS; i++)
        place_slot (l, i, rect (t.x + i * (slot_w + gap), t.y, slot_w, top - gap / 2), FALSE);
      place_verdict (l, rect (t.x, t.y + top + gap / 2, t.width, t.height - top - gap / 2));
    }
}

/* The size at which the widest of texts fits box (width and height), at most max. */
static double
fit_size (PangoContext *context, const char *family, PangoWeight weight, double max,
          const char *const *texts, double box_w, double box_h)
{
  g_autoptr (PangoLayout) layout = pango_layout_new (context);
  double size = max;

  for (int attempt = 0; attempt < 12; attempt++)
    {
      g_autoptr (PangoFontDescription) font = rc_board_font_new (family, weight, size);
      double w = 0, h = 0;

      pango_layout_set_font_description (layout, font);
      for (int i = 0; texts[i] != NULL; i++)
        {
          PangoRectangle ink;

          pango_layout_set_text (layout, texts[i], -1);
          pango_layout_get_extents (layout, &ink, NULL);
          w = MAX (w, (double) ink.width / PANGO_SCALE);
          h = MAX (h, (double) ink.height / PANGO_SCALE);
        }
      /* A pixel to spare on each side, as the painter keeps. */
      if ((w <= box_w - 2 && h <= box_h - 2) || size <= 1)
        break;
      size = MAX (1.0, MIN (size - 0.25, size * MIN ((box_w - 2) / w, (box_h - 2) / h)));
    }
  return size;
}

static void
ink_size (PangoContext *context, const PangoFontDescription *font, const char *text,
          double *width, double *height)
{
  g_autoptr (PangoLayout) layout = pango_layout_new (context);
  PangoRectangle ink;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_extents (layout, &ink, NULL);
  *width = (double) ink.width / PANGO_SCALE;
  *height = (double) ink.height / PANGO_SCALE;
}

/* A number's box is just the ink of the widest number (plus the pixel the painter
 * keeps on each side): a ballot repaints these boxes, and the smaller they are the
 * less it costs. */
static void
shrink_number_boxes (RcBoardLayout *l, const char *digits)
{
  double w, h, unused;

  ink_size (l->context, l->totals_number_font, digits, &w, &unused);
  ink_size (l->context, l->totals_number_font, "0123456789", &unused, &h);
  w = ceil (w) + 4;
  h = ceil (h) + 4;
  for (int i = 0; i < RC_TOTALS_N_SLOTS; i++)
    {
      RcRect *r = &l->totals_numbers[i];
      double nw = MIN (w, r->width), nh = MIN (h, r->height);

      *r = rect (l->arrangement == RC_BOARD_TOTALS_BESIDE ? r->x + r->width - nw : r->x,
                 r->y + (r->height - nh) / 2, nw, nh);
    }
}

/* The largest size of every other text. The counts share one size, so that their
 * labels and numbers line up: the widest label and a number with as many digits as
 * there are members must fit. The painter shrinks other texts to fit but never grows
 * them. */
static void
make_fonts (RcBoardLayout *l, const RcStyle *style, const char *family, guint n_members)
{
  const char *const labels[]
    = { B_ ("YES"),           B_ ("NO"), B_ ("ABSTENTIONS"), B_ ("DID NOT VOTE"), B_ ("VOTED"),
        B_ ("NOT YET VOTED"), NULL };
  char digits[12] = "0";
  const char *const numbers[] = { digits, NULL };
  double label_h = l->totals_labels[0].height, number_h = l->totals_numbers[0].height;

  for (guint i = 1, n = n_members / 10; n > 0 && i < sizeof digits - 1; i++, n /= 10)
    digits[i] = '0', digits[i + 1] = '\0';
  l->body_font = rc_board_font_new (family, PANGO_WEIGHT_NORMAL, 0.55 * l->header_body.height);
  l->symbol_font = rc_board_font_new (family, PANGO_WEIGHT_BOLD, 0.62 * l->header_symbol.height);
  l->title_font = rc_board_font_new (family, PANGO_WEIGHT_NORMAL, 0.48 * l->header_title.height);
  l->state_font = rc_board_font_new (family, PANGO_WEIGHT_BOLD, 0.42 * l->header_state.height);
  l->clock_font = rc_board_font_new (family, PANGO_WEIGHT_BOLD, 0.55 * l->header_clock.height);
  l->badge_font = rc_board_font_new (family, PANGO_WEIGHT_BOLD, 0.36 * l->header_badge.height);
  l->totals_label_font
    = rc_board_font_new (family, PANGO_WEIGHT_BOLD,
                         fit_size (l->context, family, PANGO_WEIGHT_BOLD, 0.62 * label_h, labels,
                                   l->totals_labels[0].width, label_h));
  l->totals_number_font
    = rc_board_font_new (family, PANGO_WEIGHT_BOLD,
                         fit_size (l->context, family, PANGO_WEIGHT_BOLD, 0.70 * number_h, numbers,
                                   l->totals_numbers[0].width, number_h));
  shrink_number_boxes (l, digits);
  l->majority_font = rc_board_font_new (family, PANGO_WEIGHT_NORMAL, 0.60 * l->majority.height);
  l->notice_font = rc_board_font_new (family, PANGO_WEIGHT_BOLD, 0.58 * l->notice.height);
  l->verdict_font = rc_board_font_new (family, PANGO_WEIGHT_BOLD, 0.80 * l->verdict.height);
}

/* The largest labels for an arrangement and size of the totals: every column count
 * tried, ties to fewer columns (longer columns read like the UN board). */
static RcGridFit
best_fit (RcBoardLayout *l, RcBoardArrangement arrangement, double scale, guint n,
          const RcInkBounds *ref)
{
  RcGridFit best = { 0 };

  n = MAX (n, 1u);
  place_regions (l, arrangement, scale);
  for (guint c = 1; c <= n; c++)
    {
      RcGridFit f = rc_board_fit_columns (&l->grid, n, c, l->unit, ref);

      if (f.size > best.size * 1.001)
        best = f;
    }
  if (best.columns == 0)
    best = rc_board_fit_columns (&l->grid, n, 1, l->unit, ref);
  return best;
}

/* Each member's place in the board's order (rc_roster_board_order()). */
static guint *
rank_members (const RcRoster *roster, guint n)
{
  g_autofree guint *order = rc_roster_board_order (roster);
  guint *rank = g_new (guint, MAX (n, 1u));

  for (guint p = 0; p < n; p++)
    rank[order[p]] = p;
  return rank;
}

/* Right to left: the same board seen in a mirror. Columns run from the right, each
 * light on its name's right, the header's and the totals' parts swap sides. Texts
 * are not mirrored: the painter aligns them to the other end of their boxes. */
static void
mirror (const RcBoardLayout *l, RcRect *r)
{
  r->x = l->width - r->x - r->width;
}

static void
mirror_layout (RcBoardLayout *l, RcBoardCell *cells)
{
  RcRect *rects[]
    = { &l->header,       &l->header_body,  &l->header_meeting, &l->header_symbol, &l->header_title,
        &l->header_state, &l->header_clock, &l->header_badge,   &l->grid,          &l->totals,
        &l->majority,     &l->verdict,      &l->notice };

  for (guint i = 0; i < G_N_ELEMENTS (rects); i++)
    mirror (l, rects[i]);
  for (int i = 0; i < RC_TOTALS_N_SLOTS; i++)
    {
      mirror (l, &l->totals_slots[i]);
      mirror (l, &l->totals_swatches[i]);
      mirror (l, &l->totals_labels[i]);
      mirror (l, &l->totals_numbers[i]);
    }
  for (guint i = 0; i < l->n_cells; i++)
    {
      RcBoardCell *c = &cells[i];
      PangoRectangle ink;

      mirror (l, &c->frame);
      mirror (l, &c->light);
      mirror (l, &c->label);
      /* Each name ends at the right edge of its box, as right-to-left type aligns. */
      pango_layout_get_extents (g_ptr_array_index (l->label_layouts, i), &ink, NULL);
      c->label_x = c->label.x + c->label.width - (double) (ink.x + ink.width) / PANGO_SCALE;
    }
}

RcBoardLayout *
rc_board_layout_new (int width, int height, const RcRoster *roster, const RcStyle *style,
                     PangoContext *measure)
{
  RcBoardLayout *l;
  g_autofree char *family = NULL;
  g_autofree guint *rank = NULL;
  guint n;
  RcBoardCell *cells;
  g_autoptr (PangoFontDescription) ref_font = NULL;
  g_autoptr (RcStyle) default_style = NULL;
  RcInkBounds ref, ink = { 0 };
  RcGridFit best, below, beside;
  RcBoardArrangement arrangement;
  double size, scale = 1.0;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (roster != NULL, NULL);
  g_return_val_if_fail (PANGO_IS_CONTEXT (measure), NULL);

  if (style == NULL)
    style = default_style = rc_style_new ();
  family = rc_style_get_font_families (style);
  n = rc_roster_get_size (roster);
  l = g_new0 (RcBoardLayout, 1);
  l->ref_count = 1;
  l->serial = (guint64) g_atomic_pointer_add (&next_serial, 1);
  l->width = width;
  l->height = height;
  l->frame = rect (0, 0, width, height);
  l->unit = sqrt ((double) width * height) / 100.0;
  l->context = g_object_ref (measure);
  l->roster = rc_roster_ref ((RcRoster *) roster);
  place_header (l);

  ref_font = rc_board_font_new (family, LABEL_WEIGHT, REFERENCE_SIZE);
  ref = rc_board_measure_labels (measure, roster, ref_font);

  /* Both arrangements, every column count; keep the largest names. The band below
   * reads like the UN board: a column beside the grid must earn its place with
   * clearly larger names. */
  below = best_fit (l, RC_BOARD_TOTALS_BELOW, 1.0, n, &ref);
  beside = best_fit (l, RC_BOARD_TOTALS_BESIDE, 1.0, n, &ref);
  arrangement = beside.size > 1.06 * below.size ? RC_BOARD_TOTALS_BESIDE
                                                 : RC_BOARD_TOTALS_BELOW;
  best = arrangement == RC_BOARD_TOTALS_BESIDE ? beside : below;

  /* Space that does not make the names larger goes to the totals, the most important
   * text after them: grow the totals while the names lose less than 2%. */
  for (double s = 1.2; s < 2.01; s += 0.2)
    {
      RcGridFit f = best_fit (l, arrangement, s, n, &ref);

      if (f.size < 0.98 * (arrangement == RC_BOARD_TOTALS_BESIDE ? beside : below).size)
        break;
      best = f;
      scale = s;
    }
  place_regions (l, arrangement, scale);

  /* Verify at the chosen size; shrink until every label's ink fits its box. */
  l->label_layouts = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      PangoLayout *pl = pango_layout_new (measure);

      pango_layout_set_text (pl, rc_roster_get_member (roster, i)->label, -1);
      g_ptr_array_add (l->label_layouts, pl);
    }
  size = rc_board_largest_fitting_size (l->label_layouts, &best, family,
                                        MAX (1.0, floor (best.size * 4) / 4), &ink,
                                        (PangoFontDescription **) &l->label_font);

  l->label_size = size;
  l->columns = best.columns;
  l->rows = best.rows;
  l->n_cells = n;
  cells = g_new0 (RcBoardCell, MAX (n, 1u));
  rank = rank_members (roster, n);
  place_cells (l, cells, n, &best, &ink, rank);
  l->cells = cells;
  place_totals (l);
  make_fonts (l, style, family, n);
  l->rtl = rc_style_is_rtl (style);
  if (l->rtl)
    mirror_layout (l, cells);
  return l;
}

RcBoardLayout *
rc_board_layout_ref (RcBoardLayout *layout)
{
  g_return_val_if_fail (layout != NULL, NULL);

  g_atomic_int_inc (&layout->ref_count);
  return layout;
}

void
rc_board_layout_unref (RcBoardLayout *l)
{
  if (l == NULL || !g_atomic_int_dec_and_test (&l->ref_count))
    return;

  g_free ((gpointer) l->cells);
  g_clear_pointer (&l->label_layouts, g_ptr_array_unref);
  pango_font_description_free ((PangoFontDescription *) l->label_font);
  pango_font_description_free ((PangoFontDescription *) l->body_font);
  pango_font_description_free ((PangoFontDescription *) l->symbol_font);
  pango_font_description_free ((PangoFontDescription *) l->title_font);
  pango_font_description_free ((PangoFontDescription *) l->state_font);
  pango_font_description_free ((PangoFontDescription *) l->clock_font);
  pango_font_description_free ((PangoFontDescription *) l->badge_font);
  pango_font_description_free ((PangoFontDescription *) l->totals_label_font);
  pango_font_description_free ((PangoFontDescription *) l->totals_number_font);
  pango_font_description_free ((PangoFontDescription *) l->majority_font);
  pango_font_description_free ((PangoFontDescription *) l->verdict_font);
  pango_font_description_free ((PangoFontDescription *) l->notice_font);
  g_clear_object (&l->context);
  rc_roster_unref ((RcRoster *) l->roster);
  g_free (l);
}

const char *
rc_board_layout_get_label (const RcBoardLayout *layout, guint index)
{
  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (index < layout->n_cells, NULL);

  return rc_roster_get_member (layout->roster, index)->label;
}

PangoLayout *
rc_board_layout_get_label_layout (const RcBoardLayout *layout, guint index)
{
  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (index < layout->n_cells, NULL);

  return g_ptr_array_index (layout->label_layouts, index);
}

int
rc_board_layout_cell_at (const RcBoardLayout *layout, double x, double y)
{
  g_return_val_if_fail (layout != NULL, -1);

  for (guint i = 0; i < layout->n_cells; i++)
    {
      const RcRect *f = &layout->cells[i].frame;

      if (x >= f->x && x < f->x + f->width && y >= f->y && y < f->y + f->height)
        return (int) i;
    }
  return -1;
}

PangoContext *
rc_board_measure_context_new (void)
{
  return rc_board_measure_context_new_for_font_map (pango_cairo_font_map_get_default ());
}

PangoContext *
rc_board_measure_context_new_for_font_map (PangoFontMap *font_map)
{
  PangoContext *context = pango_font_map_create_context (font_map);
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_SLIGHT);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_ON);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  return context;
}
