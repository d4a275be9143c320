/* rc-render-fixture.c — the seed meetings at any stage of their vote, and pixel
 * helpers, for the render tests. The sessions come from the model's test seed: its
 * final vote is the reference, replayed here up to the stage a test asks for. */
#include "rc-render-fixture.h"

#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "rc-test-seed.h"
#include "render/rc-painter.h"

#define T0 G_GINT64_CONSTANT (1646239020000000) /* 2022-03-02T16:37:00Z */

static const char *
seed_name (gboolean ga)
{
  return ga ? "ga" : "sc";
}

RcRoster *
fixture_roster (gboolean ga)
{
  g_autoptr (RcSession) seed = rc_test_seed_open (seed_name (ga), NULL);

  return rc_roster_ref (rc_session_get_roster (seed));
}

GHashTable *
fixture_reference (gboolean ga)
{
  g_autoptr (RcSession) seed = rc_test_seed_final (seed_name (ga));
  RcVote *vote = rc_session_get_vote (seed, 0);
  const RcRoster *roster = rc_vote_get_roster (vote);
  GHashTable *ref = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < rc_roster_get_size (roster); i++)
    g_hash_table_insert (ref, g_strdup (rc_roster_get_member (roster, i)->code),
                         GINT_TO_POINTER (rc_vote_get_choice (vote, i)));
  return ref;
}

RcSession *
fixture_session (const FixtureSpec *spec)
{
  g_autoptr (RcSession) seed = rc_test_seed_final (seed_name (spec->ga));
  RcVote *ref = rc_session_get_vote (seed, 0);
  RcVoteInfo info = *rc_vote_get_info (ref);
  RcSession *session;
  RcRoster *roster;
  RcTally official;
  guint cast = 0;
  gint64 t;

  info.recorded = spec->recorded;
  info.reveal = spec->reveal;
  info.result_shown = spec->result_shown;
  session = rc_test_seed_open (seed_name (spec->ga), &info);
  if (spec->stage == FIXTURE_SCHEDULED)
    return session;

  roster = rc_session_get_roster (session);
  g_assert_true (rc_roster_equal (roster, rc_vote_get_roster (ref)));
  t = rc_session_get_last_time (session) + G_USEC_PER_SEC;
  rc_test_apply (session, rc_event_new_vote_opened (t, info.id));
  for (guint i = 0; i < rc_roster_get_size (roster); i++)
    {
      const char *code = rc_roster_get_member (roster, i)->code;
      RcChoice c = rc_vote_get_choice (ref, i);

      if (c == RC_CHOICE_NO_RIGHT)
        rc_test_apply (session, rc_event_new_ballot (t, info.id, code, c));
      else if (rc_choice_is_cast (c) &&
               (spec->stage != FIXTURE_OPEN || cast++ < spec->n_ballots))
        rc_test_apply (session, rc_event_new_ballot (t += 50000, info.id, code,
                                                     spec->recorded ? c : RC_CHOICE_HIDDEN));
    }
  if (spec->stage == FIXTURE_OPEN)
    return session;

  rc_test_apply (session, rc_event_new_vote_locked (t += G_USEC_PER_SEC, info.id, NULL));
  if (spec->stage == FIXTURE_LOCKED)
    return session;

  /* A vote that is not recorded is known by its announced totals alone. */
  official = *rc_vote_get_tally (spec->recorded ? rc_session_get_vote (session, 0) : ref);
  if (spec->wrong_official)
    {
      official.yes += 1;
      official.not_voting -= 1;
    }
  rc_test_apply (session, rc_event_new_vote_announced (t += G_USEC_PER_SEC, info.id, &official));
  return session;
}

RcSession *
fixture_final (gboolean ga)
{
  return rc_test_seed_final (seed_name (ga));
}

RcSession *
fixture_bare_session (const char *missing)
{
  g_autoptr (RcSession) seed = rc_test_seed_open ("ga", NULL);
  RcChamberInfo chamber = *rc_session_get_chamber (seed);
  RcSessionInfo info = *rc_session_get_info (seed);
  RcVoteInfo vote = {
    .id = "v1",
    .symbol = (char *) missing,
    .draft = (char *) missing,
    .title = "Aggression against Ukraine",
    .majority = RC_MAJORITY_TWO_THIRDS,
    .recorded = TRUE,
  };
  RcSession *session = rc_session_new ();

  /* Copies of the seed's structs with fields replaced: the events copy them again. */
  chamber.body = (char *) missing;
  info.meeting = (char *) missing;
  rc_test_apply (session, rc_event_new_session (T0, &info, &chamber,
                                                rc_session_get_roster (seed)));
  rc_test_apply (session, rc_event_new_vote_scheduled (T0 + G_USEC_PER_SEC, &vote));
  return session;
}

PangoContext *
fixture_context (void)
{
  return rc_board_measure_context_new ();
}

guint32
fixture_pixel (cairo_surface_t *image, int x, int y)
{
  int stride = cairo_image_surface_get_stride (image);
  const guchar *data;

  cairo_surface_flush (image);
  data = cairo_image_surface_get_data (image);
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (image));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (image));
  return *(const guint32 *) (data + y * stride + 4 * x) & 0xffffff;
}

gint64
fixture_clock (void)
{
  return T0;
}

cairo_surface_t *
fixture_paint (RcSession *session, const RcBoardLayout *layout, const RcStyle *style)
{
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, layout->width,
                                                       layout->height);
  cairo_t *cr = cairo_create (image);
  g_autoptr (RcPainter) painter = rc_painter_new ();
  RcVote *vote = session != NULL && rc_session_get_n_votes (session) > 0
                     ? rc_session_get_vote (session, 0)
                     : NULL;

  rc_painter_paint_board (painter, cr, layout, style, session, vote, T0);
  cairo_destroy (cr);
  return image;
}

guint32
fixture_light_pixel (cairo_surface_t *image, const RcBoardLayout *layout, guint i)
{
  const RcRect *l = &layout->cells[i].light;

  return fixture_pixel (image, (int) floor (l->x + l->width / 2),
                        (int) floor (l->y + l->height / 2));
}

guint32
fixture_light_fill (cairo_surface_t *image, const RcBoardLayout *layout, guint i)
{
  const RcRect *l = &layout->cells[i].light;

  return fixture_pixel (image, (int) floor (l->x + 0.5 * l->width),
                        (int) floor (l->y + 0.78 * l->height));
}

char *
fixture_tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("rollcall-render-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
fixture_rmdir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

void
fixture_dump (cairo_surface_t *image, const char *name)
{
  const char *dir = g_getenv ("ROLLCALL_RENDER_DUMP");
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    return;
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_cmpint (cairo_surface_write_to_png (image, path), ==, CAIRO_STATUS_SUCCESS);
}

gboolean
fixture_same_pixels (cairo_surface_t *a, cairo_surface_t *b, const RcRect *rect)
{
  int stride_a = cairo_image_surface_get_stride (a), stride_b = cairo_image_surface_get_stride (b);
  int x0 = MAX (0, (int) floor (rect->x)), y0 = MAX (0, (int) floor (rect->y));
  int x1 = MIN ((int) ceil (rect->x + rect->width), cairo_image_surface_get_width (a));
  int y1 = MIN ((int) ceil (rect->y + rect->height), cairo_image_surface_get_height (a));
  const guchar *da, *db;

  g_assert_cmpint (cairo_image_surface_get_width (a), ==, cairo_image_surface_get_width (b));
  g_assert_cmpint (cairo_image_surface_get_height (a), ==, cairo_image_surface_get_height (b));
  cairo_surface_flush (a);
  cairo_surface_flush (b);
  da = cairo_image_surface_get_data (a);
  db = cairo_image_surface_get_data (b);
  for (int y = y0; y < y1; y++)
    {
      const guint32 *ra = (const guint32 *) (da + y * stride_a);
      const guint32 *rb = (const guint32 *) (db + y * stride_b);

      for (int x = x0; x < x1; x++)
        if ((ra[x] & 0xffffff) != (rb[x] & 0xffffff))
          {
            g_test_message ("pixel (%d,%d): #%06x, not #%06x", x, y, ra[x] & 0xffffff,
                            rb[x] & 0xffffff);
            return FALSE;
          }
    }
  return TRUE;
}

guint
fixture_count_colour (cairo_surface_t *image, const RcRect *rect, guint32 rgb)
{
  guint count = 0;
  int x0 = (int) floor (rect->x), y0 = (int) floor (rect->y);
  int x1 = MIN ((int) ceil (rect->x + rect->width), cairo_image_surface_get_width (image));
  int y1 = MIN ((int) ceil (rect->y + rect->height), cairo_image_surface_get_height (image));

  for (int y = MAX (0, y0); y < y1; y++)
    for (int x = MAX (0, x0); x < x1; x++)
      count += fixture_pixel (image, x, y) == rgb;
  return count;
}
