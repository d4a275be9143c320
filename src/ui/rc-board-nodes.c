/* rc-board-nodes.c — the board widget's render nodes, kept until dropped.
 *
 * The board is drawn by the render layer's painter into Cairo nodes, so the window
 * shows the picture the export writes: the header, the totals, the grid (the cells
 * with their lights as they were when it was drawn), and over the grid a node per
 * light that changed since: what a ballot changes. Under them the background is a
 * colour node. A node is rebuilt only when dropped, or when what it shows has moved
 * on since it was built: a light remembers its choice, the grid whether it showed the
 * holding slide, the header its second, the vote's state and the stale mark.
 *
 * The lights over the grid are grouped by column. A column whose lights change one at
 * a time (a vote as it is usually taken) holds a node per changed light; a column in
 * which two or more lights change in one frame (a flood, a reveal at lock) becomes a
 * single node, a strip drawing every light of the column that differs from the grid.
 * GSK's diff gives up on a container in which more than 30 rectangles changed and
 * repaints all of it — with every light in the board's container, a frame of 2,000
 * ballots a second repainted the whole window; now a frame's damage is at most one
 * rectangle per column, plus the totals and the header.
 *
 * Why this shape: the GSK Cairo renderer replays each Cairo node into an image the
 * size of the node before compositing it, so the first frame costs what the nodes'
 * number and area cost. A node per member (193 images, 193 replays) cost more than one
 * grid; a background painted in a Cairo node cost an image the size of the window,
 * where a colour node costs none. Later a ballot builds one node the size of a light,
 * and GSK's diff repaints only that. */
#include "rc-board-nodes.h"

#include "render/rc-painter.h"

struct _RcBoardNodes
{
  RcPainter *painter;
  RcBoardLayout *layout;
  guint pango_serial; /* of the context the layout was measured in */

  GskRenderNode *background; /* the frame's colour */
  GskRenderNode *grid;       /* the cells, lights as in grid_choices */
  gboolean grid_holding;     /* the grid shows the holding slide (no lights) */
  int grid_scale;            /* the scale factor its image was painted at */
  GskRenderNode *header;
  gint64 header_second;
  RcVoteState header_state;
  gboolean header_corrected;
  gboolean header_stale;
  GskRenderNode *totals;
  /* The counts a ballot changes (rc_painter_paint_counts_part), each a node over the
   * totals once its text moved on from what the totals node shows. */
  GskRenderNode *count_nodes[RC_COUNTS_N_PARTS];
  char *count_texts[RC_COUNTS_N_PARTS]; /* the text shown, by the totals or the node */
  GskRenderNode *counts;                /* the count nodes in one container, or NULL */
  guint n_cells;
  RcChoice *grid_choices; /* the light the grid shows in each cell */
  GskRenderNode **cells;  /* a cell's light drawn over the grid, or NULL */
  RcChoice *cell_choices; /* the light each cell shows now, over the grid or in it */
  GskRenderNode **columns; /* a column's lights over the grid: a container of cell
                            * nodes, or a strip node; NULL when it has none */
  gboolean *strips;        /* the column is a strip (and has no cell nodes) */
  guint n_columns;
  GPtrArray *scratch;      /* the cell nodes of one column, while appending */

  RcBoardWidgetStats stats;
};

RcBoardNodes *
rc_board_nodes_new (void)
{
  RcBoardNodes *self = g_new0 (RcBoardNodes, 1);

  self->painter = rc_painter_new ();
  self->scratch = g_ptr_array_new ();
  self->stats.last_cell = -1;
  return self;
}

void
rc_board_nodes_free (RcBoardNodes *self)
{
  if (self == NULL)
    return;
  rc_board_nodes_drop_layout (self);
  g_free (self->cells);
  g_free (self->cell_choices);
  g_free (self->grid_choices);
  g_free (self->columns);
  g_free (self->strips);
  g_ptr_array_unref (self->scratch);
  rc_painter_free (self->painter);
  g_free (self);
}

void
rc_board_nodes_drop_header (RcBoardNodes *self)
{
  g_clear_pointer (&self->header, gsk_render_node_unref);
}

void
rc_board_nodes_drop_totals (RcBoardNodes *self)
{
  g_clear_pointer (&self->totals, gsk_render_node_unref);
  g_clear_pointer (&self->counts, gsk_render_node_unref);
  for (guint i = 0; i < RC_COUNTS_N_PARTS; i++)
    {
      g_clear_pointer (&self->count_nodes[i], gsk_render_node_unref);
      g_clear_pointer (&self->count_texts[i], g_free);
    }
}

void
rc_board_nodes_drop_cells (RcBoardNodes *self)
{
  /* The lights are in the grid too. */
  g_clear_pointer (&self->grid, gsk_render_node_unref);
  for (guint i = 0; i < self->n_cells; i++)
    g_clear_pointer (&self->cells[i], gsk_render_node_unref);
  for (guint c = 0; c < self->n_columns; c++)
    {
      g_clear_pointer (&self->columns[c], gsk_render_node_unref);
      self->strips[c] = FALSE;
    }
}

void
rc_board_nodes_drop_all (RcBoardNodes *self, gboolean fonts_changed)
{
  g_clear_pointer (&self->background, gsk_render_node_unref);
  rc_board_nodes_drop_header (self);
  rc_board_nodes_drop_totals (self);
  rc_board_nodes_drop_cells (self);
  /* The painter keys its caches on the layout and the palette, not on the font. */
  if (fonts_changed)
    rc_painter_invalidate (self->painter);
}

void
rc_board_nodes_drop_layout (RcBoardNodes *self)
{
  g_clear_pointer (&self->layout, rc_board_layout_unref);
  rc_board_nodes_drop_all (self, FALSE);
}

/* Takes layout (a reference), measured in context. */
static void
set_layout (RcBoardNodes *self, RcBoardLayout *layout, PangoContext *context)
{
  self->layout = layout;
  self->pango_serial = pango_context_get_serial (context);
  if (self->n_cells != self->layout->n_cells)
    {
      g_free (self->cells);
      g_free (self->cell_choices);
      g_free (self->grid_choices);
      self->n_cells = self->layout->n_cells;
      self->cells = g_new0 (GskRenderNode *, MAX (self->n_cells, 1));
      self->cell_choices = g_new0 (RcChoice, MAX (self->n_cells, 1));
      self->grid_choices = g_new0 (RcChoice, MAX (self->n_cells, 1));
    }
  if (self->n_columns != self->layout->columns)
    {
      /* drop_layout() emptied them. */
      g_free (self->columns);
      g_free (self->strips);
      self->n_columns = self->layout->columns;
      self->columns = g_new0 (GskRenderNode *, MAX (self->n_columns, 1));
      self->strips = g_new0 (gboolean, MAX (self->n_columns, 1));
    }
}

gboolean
rc_board_nodes_ensure_layout (RcBoardNodes *self, int width, int height, const RcRoster *roster,
                              const RcStyle *style, PangoContext *context)
{
  guint serial = pango_context_get_serial (context);

  if (roster == NULL)
    return FALSE;

  if (self->layout != NULL && self->layout->width == width && self->layout->height == height &&
      self->pango_serial == serial &&
      (self->layout->roster == roster || rc_roster_equal (self->layout->roster, roster)))
    return TRUE;

  rc_board_nodes_drop_layout (self);
  set_layout (self, rc_board_layout_new (width, height, roster, style, context), context);
  self->stats.layouts++;
  return TRUE;
}

void
rc_board_nodes_adopt_layout (RcBoardNodes *self, RcBoardLayout *layout, PangoContext *context,
                             RcPainter *painter)
{
  g_return_if_fail (layout != NULL && layout->context == context);

  rc_board_nodes_drop_layout (self);
  if (painter != NULL)
    {
      rc_painter_free (self->painter);
      self->painter = painter;
    }
  set_layout (self, rc_board_layout_ref (layout), context);
  self->stats.layouts++;
  self->stats.prepared++;
}

const RcBoardLayout *
rc_board_nodes_get_layout (RcBoardNodes *self)
{
  return self->layout;
}

/* ---- building -------------------------------------------------------------- */

/* A Cairo node covering rect; the caller paints on the returned context. */
static cairo_t *
begin_node (GtkSnapshot **snapshot, const RcRect *rect)
{
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (rect->x, rect->y, rect->width, rect->height);

  *snapshot = gtk_snapshot_new ();
  return gtk_snapshot_append_cairo (*snapshot, &bounds);
}

static GskRenderNode *
end_node (GtkSnapshot *snapshot, cairo_t *cr)
{
  cairo_destroy (cr);
  return gtk_snapshot_free_to_node (snapshot);
}

static void
build_background (RcBoardNodes *self, const RcBoardScene *scene)
{
  const RcRect *f = &self->layout->frame;
  GtkSnapshot *s = gtk_snapshot_new ();
  RcPalette p;
  GdkRGBA colour;

  /* The regions paint their own backgrounds; this shows in the margins and gaps. */
  rc_style_resolve_palette (scene->style,
                            scene->session != NULL ? rc_session_get_chamber (scene->session)
                                                   : NULL,
                            &p);
  colour = (GdkRGBA){ ((p.background >> 16) & 0xff) / 255.f,
                      ((p.background >> 8) & 0xff) / 255.f, (p.background & 0xff) / 255.f,
                      1.f };
  gtk_snapshot_append_color (s, &colour, &GRAPHENE_RECT_INIT (f->x, f->y, f->width, f->height));
  self->background = gtk_snapshot_free_to_node (s);
  self->stats.backgrounds++;
}

static RcChoice
shown_choice (const RcBoardScene *scene, guint index)
{
  /* The holding slide has no lights; PENDING stands for "no light". */
  return scene->vote != NULL ? rc_vote_get_shown_choice (scene->vote, index)
                             : RC_CHOICE_PENDING;
}

/* The grid is one image, painted here once, that its node shows. A node of drawing
 * commands would be replayed by GSK's Cairo renderer for every frame that damages the
 * grid — the text of 193 names rasterised again for one light — where an image only
 * has the damaged part copied. Painted at the window's scale, in device pixels. */
static void
build_grid (RcBoardNodes *self, const RcBoardScene *scene)
{
  const RcRect *g = &self->layout->grid;
  int scale = MAX (scene->scale, 1);
  double x0 = floor (g->x), y0 = floor (g->y);
  int width = (int) (ceil (g->x + g->width) - x0);
  int height = (int) (ceil (g->y + g->height) - y0);
  cairo_surface_t *image =
    cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  GtkSnapshot *s;
  cairo_t *cr;

  cairo_surface_set_device_scale (image, scale, scale);
  cr = cairo_create (image);
  cairo_translate (cr, -x0, -y0);
  rc_painter_paint_grid (self->painter, cr, self->layout, scene->style, scene->session,
                         scene->vote);
  cairo_destroy (cr);

  cr = begin_node (&s, g);
  cairo_set_source_surface (cr, image, x0, y0);
  cairo_paint (cr);
  self->grid = end_node (s, cr);
  cairo_surface_destroy (image);
  self->grid_holding = scene->vote == NULL;
  self->grid_scale = scale;
  for (guint i = 0; i < self->n_cells; i++)
    {
      self->grid_choices[i] = self->cell_choices[i] = shown_choice (scene, i);
      g_clear_pointer (&self->cells[i], gsk_render_node_unref);
    }
  self->stats.grids++;
}

static gboolean
header_is_current (RcBoardNodes *self, const RcBoardScene *scene)
{
  RcVoteState state = scene->vote != NULL ? rc_vote_get_state (scene->vote) : RC_VOTE_SCHEDULED;
  gboolean corrected = scene->vote != NULL && rc_vote_is_corrected (scene->vote);

  return self->header != NULL && self->header_second == rc_time_second (scene->clock_time)
         && self->header_state == state && self->header_corrected == corrected
         && self->header_stale == scene->style->stale;
}

static void
build_header (RcBoardNodes *self, const RcBoardScene *scene)
{
  GtkSnapshot *s;
  cairo_t *cr = begin_node (&s, &self->layout->header);

  rc_painter_paint_header (self->painter, cr, self->layout, scene->style, scene->session,
                           scene->vote, scene->clock_time);
  self->header = end_node (s, cr);
  self->header_second = rc_time_second (scene->clock_time);
  self->header_state = scene->vote != NULL ? rc_vote_get_state (scene->vote) : RC_VOTE_SCHEDULED;
  self->header_corrected = scene->vote != NULL && rc_vote_is_corrected (scene->vote);
  self->header_stale = scene->style->stale;
  self->stats.headers++;
}

/* A light over the grid: the light and the cell under it, opaque. */
static void
build_cell (RcBoardNodes *self, const RcBoardScene *scene, guint index)
{
  GtkSnapshot *s;
  cairo_t *cr = begin_node (&s, &self->layout->cells[index].light);

  rc_painter_paint_light (self->painter, cr, self->layout, scene->style, scene->session,
                          scene->vote, index);
  self->cells[index] = end_node (s, cr);
}

static RcRect
union_of (const RcRect *a, const RcRect *b)
{
  double x = MIN (a->x, b->x), y = MIN (a->y, b->y);

  return (RcRect){ x, y, MAX (a->x + a->width, b->x + b->width) - x,
                   MAX (a->y + a->height, b->y + b->height) - y };
}

/* Column c's lights that differ from the grid, cells first … end - 1, in one node
 * (NULL when there are none). */
static GskRenderNode *
build_strip (RcBoardNodes *self, const RcBoardScene *scene, guint first, guint end)
{
  RcRect bounds = { 0 };
  gboolean any = FALSE;
  GtkSnapshot *s;
  cairo_t *cr;

  for (guint i = first; i < end; i++)
    if (self->cell_choices[i] != self->grid_choices[i])
      {
        bounds = any ? union_of (&bounds, &self->layout->cells[i].light)
                     : self->layout->cells[i].light;
        any = TRUE;
      }
  if (!any)
    return NULL;
  cr = begin_node (&s, &bounds);
  for (guint i = first; i < end; i++)
    if (self->cell_choices[i] != self->grid_choices[i])
      rc_painter_paint_light (self->painter, cr, self->layout, scene->style, scene->session,
                              scene->vote, i);
  self->stats.strips++;
  return end_node (s, cr);
}

static void
build_totals (RcBoardNodes *self, const RcBoardScene *scene)
{
  GtkSnapshot *s;
  cairo_t *cr = begin_node (&s, &self->layout->totals);

  rc_painter_paint_totals (self->painter, cr, self->layout, scene->style, scene->session,
                           scene->vote);
  self->totals = end_node (s, cr);
  self->stats.totals++;
  for (guint i = 0; i < RC_COUNTS_N_PARTS && scene->vote != NULL; i++)
    self->count_texts[i] =
      rc_painter_get_counts_part (self->painter, self->layout, scene->style, scene->session,
                                  scene->vote, i, NULL);
}

/* A ballot changes one or two numbers and the majority line: those parts are redrawn
 * over the totals, not the whole region (its large text was half the cost of a
 * frame). What else the totals show (labels, verdict, reason) changed: all of it. */
static void
update_counts (RcBoardNodes *self, const RcBoardScene *scene)
{
  gboolean changed = FALSE;

  if (self->totals != NULL && scene->vote != NULL &&
      rc_painter_counts_need_totals (self->painter, self->layout, scene->style, scene->session,
                                     scene->vote))
    rc_board_nodes_drop_totals (self);
  if (self->totals == NULL)
    {
      rc_board_nodes_drop_totals (self);
      build_totals (self, scene);
      return;
    }
  for (guint i = 0; i < RC_COUNTS_N_PARTS && scene->vote != NULL; i++)
    {
      RcRect rect;
      g_autofree char *text =
        rc_painter_get_counts_part (self->painter, self->layout, scene->style, scene->session,
                                    scene->vote, i, &rect);
      GtkSnapshot *s;
      cairo_t *cr;

      if (g_strcmp0 (text, self->count_texts[i]) == 0)
        continue;
      g_clear_pointer (&self->count_nodes[i], gsk_render_node_unref);
      cr = begin_node (&s, &rect);
      rc_painter_paint_counts_part (self->painter, cr, self->layout, scene->style,
                                    scene->session, scene->vote, i);
      self->count_nodes[i] = end_node (s, cr);
      g_free (self->count_texts[i]);
      self->count_texts[i] = g_steal_pointer (&text);
      self->stats.counts++;
      changed = TRUE;
    }
  if (changed)
    {
      GskRenderNode *nodes[RC_COUNTS_N_PARTS];
      guint n = 0;

      for (guint i = 0; i < RC_COUNTS_N_PARTS; i++)
        if (self->count_nodes[i] != NULL)
          nodes[n++] = self->count_nodes[i];
      g_clear_pointer (&self->counts, gsk_render_node_unref);
      self->counts = gsk_container_node_new (nodes, n);
    }
}

/* The lights over the grid, column by column. Every light is compared with what is
 * drawn there: a light can change without a "ballot" (a reveal at lock, a correction),
 * and the comparison keeps the board right whatever the signals said. A column whose
 * lights did not change keeps its very node, which GSK's diff skips. */
static void
append_columns (RcBoardNodes *self, GtkSnapshot *snapshot, const RcBoardScene *scene)
{
  guint first = 0;

  for (guint c = 0; c < self->n_columns; c++)
    {
      guint end = first, changed = 0;

      while (end < self->n_cells && self->layout->cells[end].column == c)
        end++;
      for (guint i = first; i < end; i++)
        {
          RcChoice shown = shown_choice (scene, i);

          if (shown == self->cell_choices[i])
            continue;
          self->cell_choices[i] = shown;
          g_clear_pointer (&self->cells[i], gsk_render_node_unref);
          self->stats.cells++;
          self->stats.last_cell = (int) i;
          changed++;
        }

      if (changed > 0 && (changed > 1 || self->strips[c]))
        {
          /* Several at once: the column becomes one node, and stays one. */
          for (guint i = first; i < end; i++)
            g_clear_pointer (&self->cells[i], gsk_render_node_unref);
          g_clear_pointer (&self->columns[c], gsk_render_node_unref);
          self->columns[c] = build_strip (self, scene, first, end);
          self->strips[c] = TRUE;
        }
      else if (changed > 0)
        {
          g_ptr_array_set_size (self->scratch, 0);
          for (guint i = first; i < end; i++)
            {
              if (self->cells[i] == NULL && self->cell_choices[i] != self->grid_choices[i])
                build_cell (self, scene, i);
              if (self->cells[i] != NULL)
                g_ptr_array_add (self->scratch, self->cells[i]);
            }
          g_clear_pointer (&self->columns[c], gsk_render_node_unref);
          if (self->scratch->len > 0)
            self->columns[c] = gsk_container_node_new (
              (GskRenderNode **) self->scratch->pdata, self->scratch->len);
        }
      if (self->columns[c] != NULL)
        gtk_snapshot_append_node (snapshot, self->columns[c]);
      first = end;
    }
}

void
rc_board_nodes_append (RcBoardNodes *self, GtkSnapshot *snapshot, const RcBoardScene *scene)
{
  g_return_if_fail (self->layout != NULL);

  if (self->background == NULL)
    build_background (self, scene);
  gtk_snapshot_append_node (snapshot, self->background);

  if (!header_is_current (self, scene))
    {
      rc_board_nodes_drop_header (self);
      build_header (self, scene);
    }
  gtk_snapshot_append_node (snapshot, self->header);

  if (self->grid != NULL && (self->grid_holding != (scene->vote == NULL) ||
                             self->grid_scale != MAX (scene->scale, 1)))
    rc_board_nodes_drop_cells (self);
  if (self->grid == NULL)
    build_grid (self, scene);
  gtk_snapshot_append_node (snapshot, self->grid);

  if (scene->vote != NULL)
    append_columns (self, snapshot, scene);

  update_counts (self, scene);
  gtk_snapshot_append_node (snapshot, self->totals);
  if (self->counts != NULL)
    gtk_snapshot_append_node (snapshot, self->counts);
}

RcBoardWidgetStats *
rc_board_nodes_get_stats (RcBoardNodes *self)
{
  return &self->stats;
}

GskRenderNode *
rc_board_nodes_peek_cell (RcBoardNodes *self, guint index)
{
  return index < self->n_cells ? self->cells[index] : NULL;
}

GskRenderNode *
rc_board_nodes_peek_grid (RcBoardNodes *self)
{
  return self->grid;
}
