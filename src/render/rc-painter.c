/* rc-painter.c — draws the board's regions with Cairo and Pango: the caches they
 * share, the background and the header (the grid is in rc-painter-grid.c, the totals
 * in rc-painter-totals.c).
 *
 * Each region function clips to its rectangle and paints it whole, background
 * included, so a window can replace one region (a cell after a ballot) without
 * touching the rest. The painter caches what does not change between frames: the
 * fitted texts of the header and totals (refitted only when their text changes) and,
 * when painting onto an image surface without scaling, images of the regions, so
 * that a full frame is a few copies. */
#include "rc-painter.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "rc-painter-private.h"

RcPainter *
rc_painter_new (void)
{
  return g_new0 (RcPainter, 1);
}

static void
region_cache_clear (RcRegionCache *cache)
{
  g_clear_pointer (&cache->key, g_free);
  g_clear_pointer (&cache->seen, g_free);
  g_clear_pointer (&cache->image, cairo_surface_destroy);
}

void
rc_painter_invalidate (RcPainter *self)
{
  g_return_if_fail (self != NULL);

  self->serial = 0;
  for (int i = 0; i < N_TEXTS; i++)
    rc_fitted_text_clear (&self->texts[i]);
  g_clear_pointer (&self->grid_image, cairo_surface_destroy);
  g_clear_pointer (&self->grid_lit, g_free);
  self->grid_serial = 0;
  for (int c = 0; c < RC_CHOICE_N; c++)
    for (int g = 0; g < 2; g++)
      g_clear_pointer (&self->sprites[c][g], cairo_surface_destroy);
  self->sprite_size = 0;
  region_cache_clear (&self->header_cache);
  region_cache_clear (&self->totals_cache);
  g_clear_pointer (&self->totals_frame, g_free);
}

void
rc_painter_free (RcPainter *self)
{
  if (self == NULL)
    return;
  rc_painter_invalidate (self);
  g_free (self->tz_id);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_free (self);
}

/* Makes the caches belong to this layout. */
void
rc_painter_attach (RcPainter *self, const RcBoardLayout *layout)
{
  if (self->serial == layout->serial)
    return;
  rc_painter_invalidate (self);
  self->serial = layout->serial;
}

void
rc_painter_get_palette (const RcStyle *style, RcSession *session, RcPalette *out)
{
  rc_style_resolve_palette (style, session != NULL ? rc_session_get_chamber (session) : NULL,
                            out);
}

/* Starts painting a region: clipped to it, its background laid. */
void
rc_painter_begin_region (cairo_t *cr, const RcRect *r, guint32 background)
{
  cairo_save (cr);
  cairo_rectangle (cr, r->x, r->y, r->width, r->height);
  cairo_clip (cr);
  rc_fill_rect (cr, r, background);
}

/* Start and end swap on a mirrored board. */
RcAlign
rc_painter_align (const RcBoardLayout *layout, RcAlign align)
{
  if (!layout->rtl || align == RC_ALIGN_CENTER)
    return align;
  return align == RC_ALIGN_START ? RC_ALIGN_END : RC_ALIGN_START;
}

void
rc_painter_show_text (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout, TextId id,
                      const char *text, const PangoFontDescription *font,
                      const RcRect *box, RcAlign align, guint32 colour)
{
  RcFittedText *t = &self->texts[id];

  align = rc_painter_align (layout, align);
  /* Sentences may take two lines; names, symbols and numbers never. */
  gboolean may_wrap = id == TEXT_TITLE || id == TEXT_MAJORITY || id == TEXT_NOTICE;

  rc_fitted_text_update (t, layout->context, text, font, box, align, may_wrap);
  rc_set_colour (cr, colour);
  rc_fitted_text_show (t, cr);
}

/* A filled pill around a fitted text, the text in whichever of the two colours
 * contrasts more with the fill. */
void
rc_painter_show_pill (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout, TextId id,
                      const char *text, const PangoFontDescription *font,
                      const RcRect *box, RcAlign align, guint32 fill, gboolean outline,
                      const RcPalette *p)
{
  RcFittedText *t = &self->texts[id];
  double pad_y = 0.16 * box->height, pad_x = 0.5 * box->height;
  RcRect inner = { box->x + pad_x, box->y + pad_y, box->width - 2 * pad_x,
                   box->height - 2 * pad_y };
  RcRect pill;

  align = rc_painter_align (layout, align);
  rc_fitted_text_update (t, layout->context, text, font, &inner, align, FALSE);
  if (t->layout == NULL)
    return;
  pill = (RcRect){ t->ink.x - pad_x * 0.8, box->y + pad_y * 0.35, t->ink.width + pad_x * 1.6,
                   box->height - pad_y * 0.7 };
  rc_rounded_rect (cr, &pill, pill.height * 0.22);
  rc_set_colour (cr, fill);
  if (outline)
    {
      cairo_set_line_width (cr, MAX (1.0, 0.06 * pill.height));
      cairo_stroke (cr);
      rc_set_colour (cr, fill);
    }
  else
    {
      cairo_fill (cr);
      rc_set_colour (cr, rc_contrasting (fill, p->background, p->text));
    }
  rc_fitted_text_show (t, cr);
}

char *
rc_palette_key (const RcPalette *p)
{
  GString *key = g_string_sized_new (7 * rc_palette_n_fields);

  /* Every colour the palette has, from the model's one table of them. */
  for (guint i = 0; i < rc_palette_n_fields; i++)
    g_string_append_printf (key, "%06x.", RC_PALETTE_COLOUR (p, &rc_palette_fields[i]));
  return g_string_free (key, FALSE);
}

static void
draw_region (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout, const RcRect *rect,
             const RcPalette *p, RcRegionDraw draw, gconstpointer data)
{
  rc_painter_begin_region (cr, rect, p->background);
  draw (self, cr, layout, data, p);
  cairo_restore (cr);
}

void
rc_painter_paint_region (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
                         RcRegionCache *cache, const RcRect *rect, const char *key,
                         const RcPalette *p, RcRegionDraw draw, gconstpointer data)
{
  if (!rc_painter_can_use_image (cr) || rect->width < 1 || rect->height < 1)
    {
      draw_region (self, cr, layout, rect, p, draw, data);
      return;
    }
  if (cache->image == NULL || g_strcmp0 (cache->key, key) != 0)
    {
      cairo_t *icr;

      if (g_strcmp0 (cache->seen, key) != 0)
        {
          /* First time: draw it; keep it only if it comes again. */
          g_free (cache->seen);
          cache->seen = g_strdup (key);
          draw_region (self, cr, layout, rect, p, draw, data);
          return;
        }
      g_clear_pointer (&cache->image, cairo_surface_destroy);
      cache->image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) rect->width,
                                                 (int) rect->height);
      icr = cairo_create (cache->image);
      cairo_translate (icr, -rect->x, -rect->y);
      draw_region (self, icr, layout, rect, p, draw, data);
      cairo_destroy (icr);
      g_free (cache->key);
      cache->key = g_strdup (key);
    }
  cairo_save (cr);
  cairo_set_source_surface (cr, cache->image, rect->x, rect->y);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_rectangle (cr, rect->x, rect->y, rect->width, rect->height);
  cairo_fill (cr);
  cairo_restore (cr);
}

static GTimeZone *
get_timezone (RcPainter *self, const char *id)
{
  if (self->tz == NULL || g_strcmp0 (id, self->tz_id) != 0)
    {
      g_clear_pointer (&self->tz, g_time_zone_unref);
      g_free (self->tz_id);
      self->tz_id = g_strdup (id);
      self->tz = id != NULL ? g_time_zone_new_identifier (id) : NULL;
      if (self->tz == NULL)
        self->tz = g_time_zone_new_utc ();
    }
  return self->tz;
}

void
rc_painter_outcome_text (const RcStyle *style, const RcVerdict *verdict, const RcPalette *p,
                         const char **text, guint32 *colour)
{
  switch (verdict->outcome)
    {
    case RC_OUTCOME_ADOPTED:
      *text = B_ ("ADOPTED"), *colour = p->adopted;
      return;
    case RC_OUTCOME_NOT_ADOPTED:
      *text = B_ ("NOT ADOPTED"), *colour = p->not_adopted;
      return;
    case RC_OUTCOME_UNKNOWN:
      /* a record that states neither the rule nor the outcome: none is invented */
      *text = B_ ("RESULT NOT RECORDED"), *colour = p->text;
      return;
    case RC_OUTCOME_PENDING:
    default:
      /* Closed, but the totals that decide it are not known yet: saying "not adopted"
       * here would announce a result nobody has. */
      *text = B_ ("RESULT PENDING"), *colour = p->text;
      return;
    }
}

static void
state_text (const RcStyle *style, RcVote *vote, const char **text, guint32 *colour,
            gboolean *outline, const RcPalette *p)
{
  const RcVerdict *verdict;

  *outline = FALSE;
  switch (rc_vote_get_state (vote))
    {
    case RC_VOTE_SCHEDULED:
      *text = B_ ("NEXT VOTE");
      *colour = p->dim_text;
      *outline = TRUE;
      return;
    case RC_VOTE_OPEN:
      *text = B_ ("VOTING OPEN");
      *colour = p->hidden;
      return;
    case RC_VOTE_LOCKED:
      *text = B_ ("VOTING CLOSED");
      *colour = p->text;
      *outline = TRUE;
      return;
    case RC_VOTE_ANNOUNCED:
      verdict = rc_vote_get_verdict (vote);
      rc_painter_outcome_text (style, verdict, p, text, colour);
      *outline = verdict->outcome == RC_OUTCOME_PENDING || verdict->outcome == RC_OUTCOME_UNKNOWN;
      return;
    case RC_VOTE_CANCELLED:
    default:
      *text = B_ ("CANCELLED");
      *colour = p->dim_text;
      *outline = TRUE;
      return;
    }
}

typedef struct {
  char *body, *meeting, *symbol, *title, *clock;
  const char *state;
  guint32 state_colour;
  gboolean state_outline;
  gboolean stale;
  const char *stale_text; /* the badge's word in the board's language */
} HeaderTexts;

static void
header_texts_clear (HeaderTexts *t)
{
  g_free (t->body);
  g_free (t->meeting);
  g_free (t->symbol);
  g_free (t->title);
  g_free (t->clock);
}

/* "a · b", or whichever of the two there is, or NULL. */
static char *
join (const char *a, const char *b)
{
  if (a != NULL && b != NULL)
    return g_strdup_printf ("%s · %s", a, b);
  return g_strdup (a != NULL ? a : b);
}

static void
get_header_texts (RcPainter *self, HeaderTexts *t, const RcStyle *style, RcSession *session,
                  RcVote *vote, gint64 clock_time, const RcPalette *p)
{
  const RcSessionInfo *info = session != NULL ? rc_session_get_info (session) : NULL;
  const RcChamberInfo *chamber = session != NULL ? rc_session_get_chamber (session) : NULL;

  /* Files and feeds may leave any of these out, or send them empty: "" is treated as
   * missing, so no line starts with a separator or shows "(null)". */
  *t = (HeaderTexts){ 0 };
  if (chamber != NULL)
    {
      g_autofree char *both = join (rc_nonempty (chamber->body) ? B_ (chamber->body) : NULL,
                                    rc_nonempty (chamber->name) ? B_ (chamber->name) : NULL);

      t->body = both != NULL ? g_utf8_strup (both, -1) : NULL;
    }
  if (info != NULL)
    {
      g_autofree char *date = rc_board_format_date (style, info->date);

      t->meeting = join (rc_nonempty (info->meeting), date);
    }
  if (vote != NULL)
    {
      const RcVoteInfo *vi = rc_vote_get_info (vote);

      t->symbol = g_strdup (rc_nonempty (vi->symbol) ? vi->symbol : rc_nonempty (vi->draft));
      t->title = g_strdup (rc_nonempty (vi->title));
      state_text (style, vote, &t->state, &t->state_colour, &t->state_outline, p);
    }
  else if (info != NULL)
    {
      t->symbol = g_strdup (rc_nonempty (info->meeting));
      t->title = g_strdup (rc_nonempty (info->title));
    }
  if (clock_time != 0)
    {
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (rc_time_second (clock_time));

      if (utc != NULL)
        {
          g_autoptr (GDateTime) local = g_date_time_to_timezone (
              utc, get_timezone (self, info != NULL ? info->timezone : NULL));

          t->clock = g_date_time_format (local, "%H:%M:%S");
        }
    }
  t->stale = style != NULL && style->stale;
  t->stale_text = B_ ("STALE");
}

static void
draw_header (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout, gconstpointer data,
             const RcPalette *p)
{
  const HeaderTexts *t = data;

  rc_painter_show_text (self, cr, layout, TEXT_BODY, t->body, layout->body_font,
                        &layout->header_body, RC_ALIGN_START, p->dim_text);
  rc_painter_show_text (self, cr, layout, TEXT_MEETING, t->meeting, layout->body_font,
                        &layout->header_meeting, RC_ALIGN_END, p->dim_text);
  rc_painter_show_text (self, cr, layout, TEXT_SYMBOL, t->symbol, layout->symbol_font,
                        &layout->header_symbol, RC_ALIGN_START, p->text);
  rc_painter_show_text (self, cr, layout, TEXT_TITLE, t->title, layout->title_font,
                        &layout->header_title, RC_ALIGN_START, p->text);
  if (t->state != NULL)
    rc_painter_show_pill (self, cr, layout, TEXT_STATE, t->state, layout->state_font,
                          &layout->header_state, RC_ALIGN_END, t->state_colour,
                          t->state_outline, p);
  if (t->clock != NULL)
    rc_painter_show_text (self, cr, layout, TEXT_CLOCK, t->clock, layout->clock_font,
                          &layout->header_clock, RC_ALIGN_END, p->text);
  if (t->stale)
    rc_painter_show_pill (self, cr, layout, TEXT_BADGE, t->stale_text, layout->badge_font,
                          &layout->header_badge, RC_ALIGN_END, p->abstain, FALSE, p);
}

void
rc_painter_paint_header (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
                         const RcStyle *style, RcSession *session, RcVote *vote,
                         gint64 clock_time)
{
  HeaderTexts t;
  g_autofree char *colours = NULL;
  g_autofree char *key = NULL;
  RcPalette p;

  g_return_if_fail (self != NULL && cr != NULL && layout != NULL);

  rc_painter_attach (self, layout);
  rc_painter_get_palette (style, session, &p);
  get_header_texts (self, &t, style, session, vote, clock_time, &p);
  colours = rc_palette_key (&p);
  key = g_strdup_printf ("%s|%s|%s|%s|%s|%s|%06x|%d|%d|%s", t.body ? t.body : "",
                         t.meeting ? t.meeting : "", t.symbol ? t.symbol : "",
                         t.title ? t.title : "", t.clock ? t.clock : "",
                         t.state ? t.state : "", t.state_colour, t.state_outline, t.stale,
                         colours);
  rc_painter_paint_region (self, cr, layout, &self->header_cache, &layout->header, key, &p,
                           draw_header, &t);
  header_texts_clear (&t);
}

/* An image (of a region, of the grid's static parts) can stand in for drawing only
 * on an image target in device pixels (a PDF or SVG keeps its text as text; a scaled
 * target would blur it). */
gboolean
rc_painter_can_use_image (cairo_t *cr)
{
  cairo_surface_t *target = cairo_get_target (cr);
  cairo_matrix_t m;
  double sx, sy;

  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE)
    return FALSE;
  cairo_surface_get_device_scale (target, &sx, &sy);
  if (sx != 1 || sy != 1)
    return FALSE;
  cairo_get_matrix (cr, &m);
  return m.xx == 1 && m.yy == 1 && m.xy == 0 && m.yx == 0 && m.x0 == floor (m.x0) &&
         m.y0 == floor (m.y0);
}

void
rc_painter_paint_background (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
                             const RcStyle *style, RcSession *session)
{
  const RcRect *regions[] = { &layout->header, &layout->grid, &layout->totals };
  RcPalette p;

  g_return_if_fail (self != NULL && cr != NULL && layout != NULL);

  /* Only the margins and gaps: the regions paint their own backgrounds, and a full
   * frame should cost one pass over the pixels, not two. */
  rc_painter_get_palette (style, session, &p);
  cairo_save (cr);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_rectangle (cr, 0, 0, layout->width, layout->height);
  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    cairo_rectangle (cr, regions[i]->x, regions[i]->y, regions[i]->width,
                     regions[i]->height);
  rc_set_colour (cr, p.background);
  cairo_fill (cr);
  cairo_restore (cr);
}

void
rc_painter_paint_board (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
                        const RcStyle *style, RcSession *session, RcVote *vote,
                        gint64 clock_time)
{
  g_return_if_fail (self != NULL && cr != NULL && layout != NULL);

  rc_painter_paint_background (self, cr, layout, style, session);
  rc_painter_paint_header (self, cr, layout, style, session, vote, clock_time);
  rc_painter_paint_grid (self, cr, layout, style, session, vote);
  rc_painter_paint_totals (self, cr, layout, style, session, vote);
}
