/* rc-board-fit.c — the names' type size (rc-board-fit.h): measured at a reference
 * size, estimated for each number of columns, then searched for among the sizes below
 * the estimate, measuring the labels again: hinting makes text width not quite linear
 * in the size. */
#include "rc-board-fit.h"
#include "rc-board-layout-private.h"

#include <math.h>
#include <pango/pangocairo.h>

static gint exhaustive_search; /* atomic; tests only (rc-board-layout-private.h) */

#define INK_NONE ((RcInkBounds){ G_MAXDOUBLE, -G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE })

/* Adds one label's ink (an empty one adds nothing). */
static void
ink_add (RcInkBounds *b, const PangoRectangle *ink)
{
  if (ink->width == 0 || ink->height == 0)
    return;
  b->min_x = MIN (b->min_x, (double) ink->x / PANGO_SCALE);
  b->max_x = MAX (b->max_x, (double) (ink->x + ink->width) / PANGO_SCALE);
  b->min_y = MIN (b->min_y, (double) ink->y / PANGO_SCALE);
  b->max_y = MAX (b->max_y, (double) (ink->y + ink->height) / PANGO_SCALE);
}

/* The bounds of no ink at all are empty. */
static RcInkBounds
ink_done (RcInkBounds b)
{
  return b.min_x > b.max_x ? (RcInkBounds){ 0, 0, 0, 0 } : b;
}

void
rc_board_layout_set_exhaustive_search (gboolean exhaustive)
{
  g_atomic_int_set (&exhaustive_search, exhaustive);
}

PangoFontDescription *
rc_board_font_new (const char *family, PangoWeight weight, double size)
{
  PangoFontDescription *desc = pango_font_description_new ();

  pango_font_description_set_family (desc, family);
  pango_font_description_set_weight (desc, weight);
  pango_font_description_set_absolute_size (desc, MAX (1.0, size) * PANGO_SCALE);
  return desc;
}

/* Measures every label at the size of desc: the union of their ink boxes. */
RcInkBounds
rc_board_measure_labels (PangoContext *context, const RcRoster *roster,
                         const PangoFontDescription *desc)
{
  g_autoptr (PangoLayout) layout = pango_layout_new (context);
  RcInkBounds b = INK_NONE;
  guint n = rc_roster_get_size (roster);

  pango_layout_set_font_description (layout, desc);
  for (guint i = 0; i < n; i++)
    {
      PangoRectangle ink;

      pango_layout_set_text (layout, rc_roster_get_member (roster, i)->label, -1);
      pango_layout_get_extents (layout, &ink, NULL);
      ink_add (&b, &ink);
    }
  return ink_done (b);
}

RcGridFit
rc_board_fit_columns (const RcRect *grid, guint n, guint columns, double unit,
                      const RcInkBounds *ref)
{
  RcGridFit f = { 0 };
  double col_gap = COLUMN_GAP_U * unit;
  double ink_w = (ref->max_x - ref->min_x) / REFERENCE_SIZE; /* per px of size */
  double ink_h = (ref->max_y - ref->min_y) / REFERENCE_SIZE;
  double row_gap, box_h, s_h, s_w;

  f.columns = columns;
  f.rows = (n + columns - 1) / columns;
  /* Gaps of at least a pixel, and whole-pixel cells, so that cells placed at rounded
   * positions never touch. */
  col_gap = MAX (1.0, col_gap);
  f.pitch_y = grid->height / f.rows;
  row_gap = MAX (1.0, MIN (0.08 * f.pitch_y, 0.4 * unit));
  f.cell_h = floor (f.pitch_y - row_gap);
  f.pitch_x = (grid->width + col_gap) / columns;
  f.cell_w = floor (f.pitch_x - col_gap);
  f.vpad = MAX (1.0, 0.05 * f.cell_h);
  box_h = f.cell_h - 2 * f.vpad;
  if (box_h <= 0 || f.cell_w <= 0 || ink_w <= 0 || ink_h <= 0)
    return f;

  s_h = box_h / ink_h;
  /* The light's diameter follows the type size, but never exceeds the cell's height. */
  s_w = f.cell_w / (ink_w + LIGHT_S + LIGHT_GAP_S + 2 * PAD_S);
  if (LIGHT_S * s_w > box_h)
    s_w = (f.cell_w - box_h) / (ink_w + LIGHT_GAP_S + 2 * PAD_S);
  f.size = MAX (0.0, MIN (s_h, s_w));
  return f;
}

/* The next size tried, down from size: a quarter pixel, or 1% of a large size. */
static double
smaller_size (double size)
{
  return MAX (1.0, size - MAX (0.25, 0.01 * size));
}

static gboolean ink_fits (const RcInkBounds *ink, const RcGridFit *f, double size);

/* Sets desc on the labels' layouts listed in which (every label's when which is NULL)
 * and measures them: the union of their ink; each one's ink in inks (when not NULL). */
static RcInkBounds
measure_labels_at (GPtrArray *layouts, GArray *which, const PangoFontDescription *desc,
                   PangoRectangle *inks)
{
  RcInkBounds b = INK_NONE;
  guint n = which != NULL ? which->len : layouts->len;

  for (guint k = 0; k < n; k++)
    {
      guint i = which != NULL ? g_array_index (which, guint, k) : k;
      PangoLayout *pl = g_ptr_array_index (layouts, i);
      PangoRectangle ink;

      pango_layout_set_font_description (pl, desc);
      pango_layout_get_extents (pl, &ink, NULL);
      if (inks != NULL)
        inks[i] = ink;
      ink_add (&b, &ink);
    }
  return ink_done (b);
}

static int
by_value_descending (gconstpointer a, gconstpointer b, gpointer values)
{
  int va = ((const int *) values)[*(const guint *) a];
  int vb = ((const int *) values)[*(const guint *) b];

  return (va < vb) - (va > vb);
}

/* The labels whose ink was the widest or the tallest (a dozen of each): at a nearby
 * size the others cannot decide that the labels do not fit. */
#define DECIDING_LABELS 12

static void
pick_deciding (GArray *which, const PangoRectangle *inks, guint n)
{
  g_autofree guint *order = g_new (guint, MAX (n, 1u));
  g_autofree gboolean *taken = g_new0 (gboolean, MAX (n, 1u));
  g_autofree int *widths = g_new (int, MAX (n, 1u));
  g_autofree int *heights = g_new (int, MAX (n, 1u));
  const int *by[] = { widths, heights };

  for (guint i = 0; i < n; i++)
    widths[i] = inks[i].width, heights[i] = inks[i].height;
  g_array_set_size (which, 0);
  for (guint k = 0; k < G_N_ELEMENTS (by); k++)
    {
      for (guint i = 0; i < n; i++)
        order[i] = i;
      g_qsort_with_data (order, (gint) n, sizeof *order, by_value_descending, (gpointer) by[k]);
      for (guint i = 0; i < MIN (n, DECIDING_LABELS); i++)
        if (!taken[order[i]])
          {
            taken[order[i]] = TRUE;
            g_array_append_val (which, order[i]);
          }
    }
}

/* Where to look next, below size, where the ink did not fit: the size at which it
 * would just fit if it grew in proportion to the size (it does not quite: hinting
 * rounds each glyph's advance and the ink's edges to whole pixels). The light grows
 * with the size until it is as tall as the label's box (ink_fits). */
static double
estimated_size (const RcInkBounds *ink, const RcGridFit *f, double size)
{
  double w = (ink->max_x - ink->min_x) / size, h = (ink->max_y - ink->min_y) / size;
  double box_h = f->cell_h - 2 * f->vpad;
  double room = f->cell_w - 1; /* the pixel ink_fits keeps */
  double s_w = room / (w + 2 * PAD_S + LIGHT_S + LIGHT_GAP_S);
  double s_h = h > 0 ? box_h / h : size;

  if (LIGHT_S * s_w > box_h)
    s_w = (room - box_h) / (w + 2 * PAD_S + LIGHT_GAP_S);
  return MIN (size, MIN (s_w, s_h));
}

/* The sizes tried, from start down: start, smaller_size (start), … to 1 px. */
static GArray *
size_sequence (double start)
{
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (double));

  if (!isfinite (start) || start < 1.0)
    start = 1.0;
  for (double s = start;; s = smaller_size (s))
    {
      g_array_append_val (sizes, s);
      /* (1 px always ends it: the sizes fall by at least a quarter pixel each) */
      if (s <= 1.0)
        break;
    }
  return sizes;
}

/* Whether every label fits at size, their ink in *ink. The labels of deciding (when
 * not empty) are measured first: if they do not fit, the whole set does not either
 * (its ink holds theirs), and *ink is theirs. Otherwise every label is measured, and
 * deciding becomes the widest and tallest of them. */
static gboolean
fits_at (GPtrArray *labels, const RcGridFit *f, const char *family, double size, GArray *deciding,
         PangoRectangle *inks, RcInkBounds *ink)
{
  g_autoptr (PangoFontDescription) desc = rc_board_font_new (family, LABEL_WEIGHT, size);

  if (deciding->len > 0 && !g_atomic_int_get (&exhaustive_search))
    {
      *ink = measure_labels_at (labels, deciding, desc, NULL);
      if (!ink_fits (ink, f, size))
        return FALSE;
    }
  *ink = measure_labels_at (labels, NULL, desc, inks);
  pick_deciding (deciding, inks, labels->len);
  return ink_fits (ink, f, size);
}

/* Sets label_font to the largest size of the sequence start, smaller_size (start), …
 * at which every label's ink fits its box (or 1 px), leaving every label's layout
 * measured at that size and their ink in *ink.
 *
 * Each size tried costs a font (~1.3 ms: fontconfig sorts the system's fonts for every
 * new size) and the glyphs of the names measured at that size (some 600 for the
 * Chinese names). So a size is first tried on the two dozen labels that were the
 * widest and the tallest at the last size measured whole: if they do not fit, the
 * whole set does not either (its ink holds theirs). And the sizes are not tried one by
 * one from the start: from a size that does not fit, the search jumps to the size of
 * the sequence nearest to where the ink would just fit if it grew in proportion to the
 * size, and from a size that fits it walks up, until the size that fits is next to one
 * that does not (Chinese at 1920×1080: 4 sizes instead of 10). Ink grows with the size
 * and the room for it shrinks, so a size that does not fit has no larger size that
 * does (unless hinting made a larger size's ink narrower): the size found is the one
 * trying every size from the start finds
 * (test-board-layout compares the two in every language, at three screens). */
double
rc_board_largest_fitting_size (GPtrArray *labels, const RcGridFit *f, const char *family,
                               double start, RcInkBounds *ink, PangoFontDescription **font)
{
  g_autoptr (GArray) sizes = size_sequence (start);
  g_autoptr (GArray) deciding = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree PangoRectangle *inks = g_new0 (PangoRectangle, MAX (labels->len, 1u));
  guint last = sizes->len - 1;
  guint fit = last;       /* the largest size (lowest index) known to fit: 1 px does */
  guint fail = G_MAXUINT; /* the smallest size (highest index) known not to fit */
  guint k = 0, measured_at = G_MAXUINT;

  /* Each pass narrows fail < answer <= fit: at most one pass per size. */
  for (guint attempt = 0; attempt < sizes->len; attempt++)
    {
      double size = g_array_index (sizes, double, k);
      RcInkBounds measured;
      gboolean fits = fits_at (labels, f, family, size, deciding, inks, &measured);

      measured_at = k;
      if (!fits && k == last)
        fits = TRUE, measured_at = G_MAXUINT; /* 1 px, fitting or not: measured below */
      if (fits)
        fit = k, *ink = measured;
      else
        fail = k;
      if (fail == G_MAXUINT || fit == fail + 1)
        break;
      if (g_atomic_int_get (&exhaustive_search))
        k = fail + 1;
      else if (fits)
        /* Walk up: the size above may fit too (the jump estimates low). */
        k = fit - 1;
      else
        {
          /* Jump down to where the ink would just fit if it grew in proportion. */
          double want = estimated_size (&measured, f, size);

          /* (the nearest size of the sequence) */
          k = fail + 1;
          while (k + 1 < fit && g_array_index (sizes, double, k + 1) >= want - 0.125)
            k++;
        }
    }
  *font = rc_board_font_new (family, LABEL_WEIGHT, g_array_index (sizes, double, fit));
  /* The painter draws the layouts as they were last measured: at the size found. */
  if (measured_at != fit)
    *ink = measure_labels_at (labels, NULL, *font, NULL);
  return g_array_index (sizes, double, fit);
}

static gboolean
ink_fits (const RcInkBounds *ink, const RcGridFit *f, double size)
{
  double light = MIN (LIGHT_S * size, f->cell_h - 2 * f->vpad);
  /* A pixel less: the light's position is rounded to whole pixels. */
  double box_w = f->cell_w - 2 * PAD_S * size - light - LIGHT_GAP_S * size - 1;
  double box_h = f->cell_h - 2 * f->vpad;

  return ink->max_x - ink->min_x <= box_w && ink->max_y - ink->min_y <= box_h;
}
