/* rc-render-fixture.c — the seed meetings as sessions, and pixel helpers, for the
 * render tests. */
#include "rc-render-fixture.h"

#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "model/rc-chamber.h"
#include "model/rc-csv.h"
#include "model/rc-paths.h"
#include "render/rc-painter.h"

#define T0 G_GINT64_CONSTANT (1646239020000000) /* 2022-03-02T16:37:00Z */

static RcChamber *
load_chamber (gboolean ga)
{
  g_autofree char *path = rc_paths_find_data (ga ? "chambers/unga.chamber"
                                                 : "chambers/unsc.chamber");
  g_autoptr (GError) error = NULL;
  RcChamber *chamber;

  g_assert_nonnull (path);
  chamber = rc_chamber_load (path, &error);
  g_assert_no_error (error);
  return chamber;
}

RcRoster *
fixture_roster (gboolean ga)
{
  g_autoptr (RcChamber) chamber = load_chamber (ga);
  g_autoptr (GError) error = NULL;
  RcRoster *roster = rc_chamber_roster_at (chamber, ga ? "2022-03-02" : "2022-02-25", &error);

  g_assert_no_error (error);
  return roster;
}

GHashTable *
fixture_reference (gboolean ga)
{
  /* The repository's copy of the reference ballots (the demo archive's source). */
  g_autofree char *path = rc_paths_find_data (ga ? "demo/a-res-es-11-1.csv"
                                                 : "demo/s-2022-155.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (RcCsv) csv = NULL;
  GHashTable *ref = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int code_col, vote_col;

  g_assert_nonnull (path);
  csv = rc_csv_load (path, &error);
  g_assert_no_error (error);
  code_col = rc_csv_column (csv, "iso3");
  vote_col = rc_csv_column (csv, "vote");
  g_assert_cmpint (code_col, >=, 0);
  g_assert_cmpint (vote_col, >=, 0);
  for (guint i = 0; i < csv->rows->len; i++)
    {
      GStrv row = g_ptr_array_index (csv->rows, i);
      RcChoice c = RC_CHOICE_NOT_VOTING;

      switch (row[vote_col][0])
        {
        case 'Y': c = RC_CHOICE_YES; break;
        case 'N': c = RC_CHOICE_NO; break;
        case 'A': c = RC_CHOICE_ABSTAIN; break;
        case 'X':
          c = g_str_equal (row[code_col], "VEN") ? RC_CHOICE_NO_RIGHT : RC_CHOICE_NOT_VOTING;
          break;
        default: g_assert_not_reached ();
        }
      g_hash_table_insert (ref, g_strdup (row[code_col]), GINT_TO_POINTER (c));
    }
  return ref;
}

static void
apply (RcSession *session, RcEvent *event)
{
  g_autoptr (RcEvent) owned = event;
  g_autoptr (RcEvent) numbered = rc_event_with_seq (event, rc_session_get_last_seq (session) + 1);
  g_autoptr (GError) error = NULL;

  rc_session_apply (session, numbered, &error);
  g_assert_no_error (error);
}

RcSession *
fixture_session (const FixtureSpec *spec)
{
  gboolean ga = spec->ga;
  g_autoptr (RcChamber) chamber = load_chamber (ga);
  g_autoptr (RcRoster) roster = fixture_roster (ga);
  g_autoptr (GHashTable) ref = fixture_reference (ga);
  RcSessionInfo sinfo = {
    .id = ga ? "ga-es11-pv5" : "sc-pv8979",
    .meeting = ga ? "A/ES-11/PV.5" : "S/PV.8979",
    .date = ga ? "2022-03-02" : "2022-02-25",
    .title = ga ? "Eleventh emergency special session, 5th plenary meeting"
                : "8979th meeting",
    .timezone = "America/New_York",
  };
  RcVoteInfo vinfo = {
    .id = ga ? "es-11-1" : "s-2022-155",
    .symbol = ga ? "A/RES/ES-11/1" : NULL,
    .draft = ga ? "A/ES-11/L.1" : "S/2022/155",
    .title = ga ? "Aggression against Ukraine" : "Draft resolution on Ukraine",
    .majority = ga ? RC_MAJORITY_TWO_THIRDS : RC_MAJORITY_COUNCIL,
    .recorded = spec->recorded,
    .reveal = spec->reveal,
  };
  RcSession *session = rc_session_new ();
  guint n = rc_roster_get_size (roster), cast = 0;
  gint64 t = T0;

  apply (session, rc_event_new_session (t, &sinfo, rc_chamber_get_info (chamber), roster));
  apply (session, rc_event_new_vote_scheduled (t += 1000000, &vinfo));
  if (spec->stage == FIXTURE_SCHEDULED)
    return session;

  apply (session, rc_event_new_vote_opened (t += 1000000, vinfo.id));
  for (guint i = 0; i < n; i++)
    {
      const char *code = rc_roster_get_member (roster, i)->code;
      RcChoice c = GPOINTER_TO_INT (g_hash_table_lookup (ref, code));

      g_assert_true (g_hash_table_contains (ref, code));
      if (c == RC_CHOICE_NO_RIGHT)
        apply (session, rc_event_new_ballot (t, vinfo.id, code, c));
      else if (rc_choice_is_cast (c) &&
               (spec->stage != FIXTURE_OPEN || cast++ < spec->n_ballots))
        apply (session, rc_event_new_ballot (t += 50000, vinfo.id, code, c));
    }
  if (spec->stage == FIXTURE_OPEN)
    return session;

  apply (session, rc_event_new_vote_locked (t += 1000000, vinfo.id, NULL));
  if (spec->stage == FIXTURE_LOCKED)
    return session;

  if (spec->wrong_official)
    {
      RcTally official = *rc_vote_get_tally (rc_session_get_vote (session, 0));

      official.yes += 1;
      official.not_voting -= 1;
      apply (session, rc_event_new_vote_announced (t += 1000000, vinfo.id, &official));
    }
  else
    apply (session, rc_event_new_vote_announced (t += 1000000, vinfo.id,
                                                 rc_vote_get_tally (rc_session_get_vote (session, 0))));
  return session;
}

RcSession *
fixture_final (gboolean ga)
{
  FixtureSpec spec = { .ga = ga, .stage = FIXTURE_ANNOUNCED, .recorded = TRUE };

  return fixture_session (&spec);
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
