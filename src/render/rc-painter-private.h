/* rc-painter-private.h — the painter's caches, shared by its files (rc-painter.c: the
 * header and what the regions share; rc-painter-grid.c: the grid; rc-painter-totals.c:
 * the totals). Internal. */
#pragma once

#include "rc-draw.h"
#include "rc-painter.h"
#include "rc-words.h"
#include "rc-text-fit.h"

G_BEGIN_DECLS

typedef enum {
  TEXT_BODY,
  TEXT_MEETING,
  TEXT_SYMBOL,
  TEXT_TITLE,
  TEXT_STATE,
  TEXT_CLOCK,
  TEXT_BADGE,
  TEXT_SLOT_LABEL,                                      /* four of them */
  TEXT_SLOT_NUMBER = TEXT_SLOT_LABEL + RC_TOTALS_N_SLOTS, /* four of them */
  TEXT_MAJORITY = TEXT_SLOT_NUMBER + RC_TOTALS_N_SLOTS,
  TEXT_VERDICT,
  TEXT_NOTICE,
  TEXT_MISMATCH,
  N_TEXTS
} TextId;

/* A region (header, totals) kept as an image of what it last showed, keyed on its
 * texts and colours. A key seen twice in a row is rendered once into the image and
 * copied from then on; a key that keeps changing (a clock, counts during a vote) is
 * drawn directly, so a cache miss costs nothing extra. Image targets only. */
typedef struct {
  char *key;   /* what image shows */
  char *seen;  /* what was last drawn directly */
  cairo_surface_t *image;
} RcRegionCache;

typedef void (*RcRegionDraw) (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
                              gconstpointer data, const RcPalette *palette);

struct _RcPainter {
  guint64 serial;    /* the layout the caches below belong to; 0 = none */
  RcFittedText texts[N_TEXTS];
  char *tz_id;
  GTimeZone *tz;

  /* The grid as an image of what it last showed, when painting onto images: the cells
   * and, per cell, the light it holds (an RcChoice, or none: see rc-painter-grid.c). */
  cairo_surface_t *grid_image;
  guint64 grid_serial;
  RcPalette grid_palette;
  gboolean grid_holding;
  guint8 *grid_lit;
  gboolean grid_glyphs;

  /* Each look of a light as a small image, stamped into the grid image: a disc is
   * costlier to fill than to copy. */
  cairo_surface_t *sprites[RC_CHOICE_N][2]; /* [shown choice][glyphs] */
  int sprite_size;
  RcPalette sprite_palette;

  RcRegionCache header_cache;
  RcRegionCache totals_cache;

  /* What the totals region last painted for this layout shows besides its numbers
   * and majority line (the counts' labels and swatches, the verdict, its reason):
   * rc_painter_paint_counts() may repaint only the numbers while this stays the same.
   * NULL: not painted since the caches were dropped. */
  char *totals_frame;
};

/* Paints rect (background included) with draw, through cache when it can. key must
 * say everything draw shows (texts, colours, marks). */
void rc_painter_paint_region (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
                              RcRegionCache *cache, const RcRect *rect, const char *key,
                              const RcPalette *palette, RcRegionDraw draw, gconstpointer data);
/* A key's part for the palette. */
char *rc_palette_key (const RcPalette *palette);
/* The verdict in words for a locked or announced vote: ADOPTED, NOT ADOPTED, or
 * RESULT PENDING while the outcome cannot be computed yet (a vote that is not
 * recorded, before its totals are announced). */
RcAlign rc_painter_align (const RcBoardLayout *layout, RcAlign align);
void rc_painter_outcome_text (const RcStyle *style, const RcVerdict *verdict,
                              const RcPalette *palette, const char **text, guint32 *colour);
gboolean rc_painter_can_use_image (cairo_t *cr);
void rc_painter_attach (RcPainter *self, const RcBoardLayout *layout);
void rc_painter_get_palette (const RcStyle *style, RcSession *session, RcPalette *out);
void rc_painter_begin_region (cairo_t *cr, const RcRect *r, guint32 background);
void rc_painter_show_text (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
                           TextId id, const char *text, const PangoFontDescription *font,
                           const RcRect *box, RcAlign align, guint32 colour);
void rc_painter_show_pill (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
                           TextId id, const char *text, const PangoFontDescription *font,
                           const RcRect *box, RcAlign align, guint32 fill, gboolean outline,
                           const RcPalette *p);

G_END_DECLS
