/* rc-painter-grid.c — the grid: each member's cell, its label and its light.
 *
 * What a ballot changes is a light; the cells' backgrounds and labels never change
 * during a vote. On an image target in device pixels the painter keeps the grid as an
 * image of what it last showed — every cell, and the lights as they were — and each
 * look of a light as a small image (a sprite). Painting the grid there brings the
 * image up to date, repainting into it only the lights that changed (the cell under
 * the light, then the sprite), and copies it: a full grid is one copy, a ballot one
 * light and one copy of a cell. (Stamping the 193 sprites on every frame cost two
 * thirds as much again as copying the whole grid.) On any other target (PDF, SVG, a
 * window's recording) everything is drawn as vectors. */
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "rc-light.h"
#include "rc-painter-private.h"

/* What the grid image holds in a cell's light, besides a choice. */
enum {
  LIT_NONE = RC_CHOICE_N, /* nothing: the cell as it was drawn */
  LIT_STALE,              /* a light drawn in another style (glyphs) */
};

static double
cell_radius (const RcRect *frame)
{
  return MIN (frame->height, frame->width) * 0.12;
}

/* Draws a cell's background and label (no light): what never changes during a vote.
 * within (or NULL): the only part that will show, so the label is left out when it
 * lies elsewhere. */
static void
paint_cell_static (const RcBoardLayout *layout, cairo_t *cr, guint index, const RcPalette *p,
                   gboolean holding, const RcRect *within)
{
  const RcBoardCell *c = &layout->cells[index];

  rc_fill_rect (cr, &c->frame, p->background);
  rc_rounded_rect (cr, &c->frame, cell_radius (&c->frame));
  rc_set_colour (cr, p->cell);
  cairo_fill (cr);
  if (within != NULL && !rc_rect_intersects (within, &c->label))
    return;
  rc_set_colour (cr, holding ? p->dim_text : p->text);
  cairo_move_to (cr, c->label_x, c->label_y);
  pango_cairo_show_layout (cr, rc_board_layout_get_label_layout (layout, index));
}

/* The image of the grid with nothing lit: backgrounds and labels. */
static cairo_surface_t *
get_grid_image (RcPainter *self, const RcBoardLayout *layout, const RcPalette *p,
                gboolean holding)
{
  const RcRect *g = &layout->grid;
  cairo_t *cr;

  if (self->grid_image != NULL && self->grid_serial == layout->serial &&
      self->grid_holding == holding && memcmp (&self->grid_palette, p, sizeof *p) == 0)
    return self->grid_image;

  g_clear_pointer (&self->grid_image, cairo_surface_destroy);
  /* The image covers the grid's whole pixels; it is placed at their origin. */
  self->grid_image = cairo_image_surface_create (
      CAIRO_FORMAT_RGB24, (int) ceil (g->x + g->width) - (int) floor (g->x),
      (int) ceil (g->y + g->height) - (int) floor (g->y));
  cr = cairo_create (self->grid_image);
  cairo_translate (cr, -floor (g->x), -floor (g->y));
  rc_set_colour (cr, p->background);
  cairo_paint (cr);
  for (guint i = 0; i < layout->n_cells; i++)
    paint_cell_static (layout, cr, i, p, holding, NULL);
  cairo_destroy (cr);

  g_free (self->grid_lit);
  self->grid_lit = g_new (guint8, MAX (layout->n_cells, 1u));
  memset (self->grid_lit, LIT_NONE, MAX (layout->n_cells, 1u));
  self->grid_serial = layout->serial;
  self->grid_palette = *p;
  self->grid_holding = holding;
  return self->grid_image;
}

static cairo_surface_t *
get_sprite (RcPainter *self, RcChoice choice, gboolean glyphs, int size, const RcPalette *p)
{
  cairo_surface_t **sprite = &self->sprites[choice][glyphs ? 1 : 0];

  if (self->sprite_size != size || memcmp (&self->sprite_palette, p, sizeof *p) != 0)
    {
      for (int c = 0; c < RC_CHOICE_N; c++)
        for (int g = 0; g < 2; g++)
          g_clear_pointer (&self->sprites[c][g], cairo_surface_destroy);
      self->sprite_size = size;
      self->sprite_palette = *p;
    }
  if (*sprite == NULL)
    {
      RcRect box = { 0, 0, size, size };
      cairo_t *cr;

      *sprite = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
      cr = cairo_create (*sprite);
      rc_light_paint (cr, &box, choice, glyphs, p);
      cairo_destroy (cr);
    }
  return *sprite;
}

/* Draws the light of cell index onto what is under it. sprite: stamp it from a
 * cached image (the same pixels: the light lies on whole pixels). */
static void
draw_light (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout, RcChoice shown,
            gboolean glyphs, guint index, const RcPalette *p, gboolean sprite)
{
  const RcRect *light = &layout->cells[index].light;

  if (sprite && light->width == light->height && light->width == floor (light->width))
    {
      cairo_set_source_surface (cr, get_sprite (self, shown, glyphs, (int) light->width, p),
                                light->x, light->y);
      cairo_rectangle (cr, light->x, light->y, light->width, light->height);
      cairo_fill (cr);
    }
  else
    rc_light_paint (cr, light, shown, glyphs, p);
}

/* The grid image for vote (NULL: the holding slide, no lights) with the lights of
 * cells first … first + n - 1 as the vote now shows them. */
static cairo_surface_t *
get_lit_image (RcPainter *self, const RcBoardLayout *layout, const RcStyle *style,
               RcVote *vote, const RcPalette *p, guint first, guint n)
{
  cairo_surface_t *image = get_grid_image (self, layout, p, vote == NULL);
  gboolean glyphs = style != NULL && style->glyphs;
  const RcRect *g = &layout->grid;
  cairo_t *cr = NULL;

  if (vote == NULL)
    return image;
  if (self->grid_glyphs != glyphs)
    {
      for (guint i = 0; i < layout->n_cells; i++)
        if (self->grid_lit[i] != LIT_NONE)
          self->grid_lit[i] = LIT_STALE;
      self->grid_glyphs = glyphs;
    }
  for (guint i = first; i < first + n; i++)
    {
      RcChoice shown = rc_vote_get_shown_choice (vote, i);
      const RcRect *light = &layout->cells[i].light;

      if (self->grid_lit[i] == shown)
        continue;
      if (cr == NULL)
        {
          cr = cairo_create (image);
          cairo_translate (cr, -floor (g->x), -floor (g->y));
        }
      cairo_save (cr);
      cairo_rectangle (cr, light->x, light->y, light->width, light->height);
      cairo_clip (cr);
      /* Another light was there: the cell under it first. */
      if (self->grid_lit[i] != LIT_NONE)
        paint_cell_static (layout, cr, i, p, FALSE, light);
      draw_light (self, cr, layout, shown, glyphs, i, p, TRUE);
      cairo_restore (cr);
      self->grid_lit[i] = shown;
    }
  g_clear_pointer (&cr, cairo_destroy);
  return image;
}

/* Paints the grid within r (clipped to it) with the lights of cells first … first +
 * n - 1, as the vote shows them (vote NULL: the holding slide). On an image the whole
 * of r is copied from the grid image; r must then hold no other cell's light. */
static void
paint_within (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
              const RcStyle *style, RcVote *vote, const RcPalette *p, const RcRect *r,
              guint first, guint n)
{
  gboolean glyphs = style != NULL && style->glyphs;

  cairo_save (cr);
  cairo_rectangle (cr, r->x, r->y, r->width, r->height);
  cairo_clip (cr);
  if (rc_painter_can_use_image (cr))
    {
      cairo_set_source_surface (cr, get_lit_image (self, layout, style, vote, p, first, n),
                                floor (layout->grid.x), floor (layout->grid.y));
      cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
      cairo_paint (cr);
      cairo_restore (cr);
      return;
    }
  rc_fill_rect (cr, r, p->background);
  for (guint i = 0; i < layout->n_cells; i++)
    if (rc_rect_intersects (&layout->cells[i].frame, r))
      paint_cell_static (layout, cr, i, p, vote == NULL, r);
  for (guint i = first; i < first + n && vote != NULL; i++)
    draw_light (self, cr, layout, rc_vote_get_shown_choice (vote, i), glyphs, i, p, FALSE);
  cairo_restore (cr);
}

void
rc_painter_paint_cell (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
                       const RcStyle *style, RcSession *session, RcVote *vote, guint index)
{
  RcPalette p;

  g_return_if_fail (self != NULL && cr != NULL && layout != NULL);
  g_return_if_fail (index < layout->n_cells);

  rc_painter_attach (self, layout);
  rc_painter_get_palette (style, session, &p);
  paint_within (self, cr, layout, style, vote, &p, &layout->cells[index].frame, index, 1);
}

void
rc_painter_paint_grid (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
                       const RcStyle *style, RcSession *session, RcVote *vote)
{
  RcPalette p;

  g_return_if_fail (self != NULL && cr != NULL && layout != NULL);

  rc_painter_attach (self, layout);
  rc_painter_get_palette (style, session, &p);
  paint_within (self, cr, layout, style, vote, &p, &layout->grid, 0, layout->n_cells);
}

void
rc_painter_paint_light (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
                        const RcStyle *style, RcSession *session, RcVote *vote, guint index)
{
  RcPalette p;

  g_return_if_fail (self != NULL && cr != NULL && layout != NULL && vote != NULL);
  g_return_if_fail (index < layout->n_cells);

  rc_painter_attach (self, layout);
  rc_painter_get_palette (style, session, &p);
  /* What lies under the light, then the light onto it, as rc_painter_paint_cell()
   * does: the disc's antialiased edge blends with the very same pixels. */
  paint_within (self, cr, layout, style, vote, &p, &layout->cells[index].light, index, 1);
}
