/* rc-board-prepare.c — a board's first layout, worked out on a worker thread. */
#include "rc-board-prepare.h"

#include <pango/pangocairo.h>

#include "model/rc-snapshot.h"
#include "rc-painter.h"

struct _RcBoardPrepare
{
  GThread *thread;

  /* In: owned copies, read by the thread only. */
  int width;
  int height;
  RcRoster *roster;
  RcStyle *style;
  RcSnapshot *snapshot; /* NULL: no session */
  char *vote_id;
  gint64 clock_time;

  /* Out: written by the thread, read after the join. */
  PangoFontMap *font_map;
  PangoContext *context;
  RcBoardLayout *layout;
  RcPainter *painter;
};

/* Paints the board once, off screen, so that every font and glyph of the first frame
 * is loaded and rasterised in the caches the main thread will use (the font map's,
 * and Cairo's, which all threads share). An A8 surface: the glyphs' masks are the
 * same whatever the target's format, at a quarter of the memory. */
static void
paint_once (RcBoardPrepare *self)
{
  g_autoptr (RcSession) session = NULL;
  RcVote *vote = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;

  if (self->snapshot != NULL)
    {
      /* A snapshot that does not restore (it always should) only costs the warm-up. */
      session = rc_session_new_from_snapshot (self->snapshot, NULL);
      if (session == NULL)
        return;
      if (self->vote_id != NULL)
        vote = rc_session_find_vote (session, self->vote_id);
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_A8, self->width, self->height);
  cr = cairo_create (surface);
  rc_painter_paint_board (self->painter, cr, self->layout, self->style, session, vote,
                          self->clock_time);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static gpointer
prepare_thread (gpointer data)
{
  RcBoardPrepare *self = data;

  self->font_map = pango_cairo_font_map_new ();
  self->context = rc_board_measure_context_new_for_font_map (self->font_map);
  self->layout =
    rc_board_layout_new (self->width, self->height, self->roster, self->style, self->context);
  self->painter = rc_painter_new ();
  paint_once (self);
  return NULL;
}

RcBoardPrepare *
rc_board_prepare_start (int width, int height, const RcRoster *roster, const RcStyle *style,
                        RcSession *session, const char *vote_id, gint64 clock_time)
{
  RcBoardPrepare *self;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (roster != NULL, NULL);
  g_return_val_if_fail (style != NULL, NULL);

  self = g_new0 (RcBoardPrepare, 1);
  self->width = width;
  self->height = height;
  self->roster = rc_roster_ref ((RcRoster *) roster);
  self->style = rc_style_copy (style);
  self->snapshot = session != NULL ? rc_session_snapshot (session) : NULL;
  self->vote_id = g_strdup (vote_id);
  self->clock_time = clock_time;
  self->thread = g_thread_new ("rc-board-prepare", prepare_thread, self);
  return self;
}

void
rc_board_prepare_get_size (RcBoardPrepare *self, int *width, int *height)
{
  g_return_if_fail (self != NULL);

  *width = self->width;
  *height = self->height;
}

PangoContext *
rc_board_prepare_finish (RcBoardPrepare *self, RcBoardLayout **layout, RcPainter **painter)
{
  PangoContext *context;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (layout != NULL && painter != NULL, NULL);

  g_thread_join (self->thread);
  context = g_steal_pointer (&self->context);
  *layout = g_steal_pointer (&self->layout);
  *painter = g_steal_pointer (&self->painter);
  /* The context keeps its font map. */
  g_clear_object (&self->font_map);
  rc_roster_unref (self->roster);
  rc_style_free (self->style);
  g_clear_pointer (&self->snapshot, rc_snapshot_unref);
  g_free (self->vote_id);
  g_free (self);
  return context;
}
