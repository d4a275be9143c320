/* rc-board-fit.h — the names' type size: the ink of the labels, the cells a number of
 * columns gives, and the search for the largest size at which every label fits.
 * Internal to src/render (rc-board-layout.c). */
#pragma once

#include <pango/pango.h>

#include "model/rc-roster.h"
#include "rc-board-layout.h"

G_BEGIN_DECLS

/* Proportions of a cell, in units of the label's type size s. */
#define LIGHT_S 1.05     /* light diameter */
#define LIGHT_GAP_S 0.45 /* between the light and the label */
#define PAD_S 0.30       /* inside the cell, left and right */
/* Between grid columns, in units of the board's unit (rc-board-layout.c). */
#define COLUMN_GAP_U 0.7

#define REFERENCE_SIZE 64.0              /* px, for the first measurement */
#define LABEL_WEIGHT PANGO_WEIGHT_NORMAL /* reads (and OCRs) better than bold at small sizes */

/* Ink of a set of labels, relative to the layouts' logical origin. */
typedef struct {
  double min_x, max_x; /* leftmost and rightmost ink */
  double min_y, max_y; /* top and bottom ink */
} RcInkBounds;

/* Cell geometry for a number of columns: the cell's pitch and size. */
typedef struct {
  guint columns, rows;
  double cell_w, cell_h, pitch_x, pitch_y, vpad;
  double size; /* the largest label size that fits, from the reference measure */
} RcGridFit;

/* A font of family (a list), weight and absolute size in px (at least 1). */
PangoFontDescription *rc_board_font_new (const char *family, PangoWeight weight, double size);

/* Every member's label measured at the size of desc: the union of their ink. */
RcInkBounds rc_board_measure_labels (PangoContext *context, const RcRoster *roster,
                                     const PangoFontDescription *desc);

/* The cells of n labels in columns on grid, and the size at which ref's ink (measured
 * at REFERENCE_SIZE) would fit them if it grew in proportion. */
RcGridFit rc_board_fit_columns (const RcRect *grid, guint n, guint columns, double unit,
                                const RcInkBounds *ref);

/* The largest size of the sequence start, start less a quarter pixel (or 1%), … down
 * to 1 px at which the ink of every layout of labels fits f's cells; every layout left
 * set to *font (that size, family and LABEL_WEIGHT) and measured, their ink in *ink. */
double rc_board_largest_fitting_size (GPtrArray *labels, const RcGridFit *f, const char *family,
                                      double start, RcInkBounds *ink, PangoFontDescription **font);

G_END_DECLS
