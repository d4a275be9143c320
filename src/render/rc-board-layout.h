/* rc-board-layout.h — the board's geometry: a pure function of size, roster and style.
 *
 * rc_board_layout_new() chooses the number of columns and the type size that make the
 * members' labels as large as the frame allows (every label measured with Pango at
 * the chosen size, ink inside its box: no clipping, overlap or ellipsis), and sizes
 * the header and the totals in proportion to the screen so they read from the back
 * of a hall. The result is immutable and reference-counted: a window computes one per
 * size and reuses it for every frame; the painter keys its caches on its serial.
 *
 * All rectangles are in device units (pixels of the target surface), origin at the
 * top left of the frame. Needs no display: the caller supplies the PangoContext used
 * to measure (rc_board_measure_context_new (), in a window too), and the painter
 * draws the labels with layouts made in that context, so what was measured is what
 * is drawn. */
#pragma once

#include <glib.h>
#include <pango/pango.h>

#include "model/rc-roster.h"
#include "rc-style.h"

G_BEGIN_DECLS

typedef struct {
  double x, y, width, height;
} RcRect;

typedef struct {
  RcRect frame;   /* the whole cell; cells never overlap */
  RcRect light;   /* the square the light (a disc) is drawn in */
  RcRect label;   /* the label box: the label's ink lies inside it */
  double label_x; /* where the label's PangoLayout is placed (its logical origin) */
  double label_y;
  guint column;
  guint row;
} RcBoardCell;

/* The four totals slots, left to right (or top to bottom). Their contents depend on
 * the vote: Yes / No / Abstentions / Did not vote once choices are shown, or, while
 * a vote with hidden choices is open, Voted / Not yet voted. */
typedef enum {
  RC_TOTALS_SLOT_1 = 0,
  RC_TOTALS_SLOT_2,
  RC_TOTALS_SLOT_3,
  RC_TOTALS_SLOT_4,
  RC_TOTALS_N_SLOTS
} RcTotalsSlot;

typedef enum {
  RC_BOARD_TOTALS_BELOW = 0, /* totals in a band under the grid (16:9, 4:3, portrait) */
  RC_BOARD_TOTALS_BESIDE,    /* totals in a column right of the grid (wide screens) */
} RcBoardArrangement;

typedef struct {
  /*< public, read-only >*/
  guint64 serial; /* unique per computed layout, for caches */
  int width;
  int height;
  RcRect frame; /* 0, 0, width, height */
  RcBoardArrangement arrangement;
  double unit;  /* the board's basic measure (px), proportional to the screen */
  gboolean rtl; /* mirrored: the board's language is written right to left */

  /* Header: body and chamber, meeting, document symbol, title; state and clock. */
  RcRect header;
  RcRect header_body;
  RcRect header_meeting;
  RcRect header_symbol;
  RcRect header_title;
  RcRect header_state;
  RcRect header_clock;
  RcRect header_badge; /* the stale mark */

  /* Grid: one cell per roster member (cells[i] is member i), placed column by column
   * in the order of the members' sort keys (the board language's alphabetical order),
   * from the left, or from the right when rtl. */
  RcRect grid;
  guint columns;
  guint rows;
  guint n_cells;
  const RcBoardCell *cells;
  double label_size;                      /* px */
  const PangoFontDescription *label_font; /* absolute size = label_size */

  /* Totals, required majority, verdict. */
  RcRect totals;
  RcRect totals_slots[RC_TOTALS_N_SLOTS];   /* each holds a swatch, a label, a number */
  RcRect totals_swatches[RC_TOTALS_N_SLOTS]; /* the light's colour the count belongs to */
  RcRect totals_labels[RC_TOTALS_N_SLOTS];   /* "YES" */
  RcRect totals_numbers[RC_TOTALS_N_SLOTS];  /* "141" */
  RcRect majority; /* "Required majority: 98 (two-thirds of present and voting)" */
  RcRect verdict;  /* "ADOPTED" / "NOT ADOPTED" / the state while open */
  RcRect notice;   /* the reason (veto), a mismatch with official totals, a correction */

  /* Largest sizes of the other texts (absolute sizes, px); the painter shrinks a
   * longer text to fit its rectangle but never grows it. */
  const PangoFontDescription *body_font;
  const PangoFontDescription *symbol_font;
  const PangoFontDescription *title_font;
  const PangoFontDescription *state_font;
  const PangoFontDescription *clock_font;
  const PangoFontDescription *badge_font;
  const PangoFontDescription *totals_label_font;
  const PangoFontDescription *totals_number_font;
  const PangoFontDescription *majority_font;
  const PangoFontDescription *verdict_font;
  const PangoFontDescription *notice_font;

  /* The context the labels were measured in (a reference is held). */
  PangoContext *context;
  const RcRoster *roster; /* a reference is held */

  /*< private >*/
  gint ref_count;
  GPtrArray *label_layouts; /* PangoLayout per cell, shaped as measured */
} RcBoardLayout;

/* width, height > 0. Never fails: a frame too small for legible text still gets a
 * layout whose labels fit (at a tiny size). */
RcBoardLayout *rc_board_layout_new (int width, int height, const RcRoster *roster,
                                    const RcStyle *style, PangoContext *measure);
RcBoardLayout *rc_board_layout_ref (RcBoardLayout *layout);
void rc_board_layout_unref (RcBoardLayout *layout);

/* The board's measuring context, for the window and for exports alike: the calling
 * thread's default PangoCairo font map, with fixed font options (grey antialiasing,
 * slight hinting, hinted metrics) so results do not depend on the desktop's settings
 * and a window shows exactly what rollcall-render draws. */
PangoContext *rc_board_measure_context_new (void);
/* The same, in the given font map (e.g. one made on a worker thread and then handed
 * to the main thread: a font map is used by one thread at a time). */
PangoContext *rc_board_measure_context_new_for_font_map (PangoFontMap *font_map);

/* The label text shown in cell i (the member's board label). */
const char *rc_board_layout_get_label (const RcBoardLayout *layout, guint index);
/* The label of cell i as a PangoLayout in label_font and the layout's context, already
 * shaped: the very layout that was measured, so the painter draws what was measured
 * without shaping the names again. Owned by the layout; like the context, for one
 * thread at a time. */
PangoLayout *rc_board_layout_get_label_layout (const RcBoardLayout *layout, guint index);
/* The cell containing the point, or -1. */
int rc_board_layout_cell_at (const RcBoardLayout *layout, double x, double y);

/* Helpers shared by the painter and the tests. */
gboolean rc_rect_contains_rect (const RcRect *outer, const RcRect *inner);
gboolean rc_rect_intersects (const RcRect *a, const RcRect *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcBoardLayout, rc_board_layout_unref)

G_END_DECLS
