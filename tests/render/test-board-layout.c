/* test-board-layout.c — the board's geometry, without a display: every label's ink in
 * its box, nothing overlapping, everything inside the frame, at every screen the
 * board must serve, for the General Assembly (193) and the Security Council (15). */
#include <pango/pangocairo.h>
#include <string.h>

#include "rc-render-fixture.h"
#include "render/rc-board-layout.h"
#include "render/rc-board-layout-private.h"
#include "render/rc-board-prepare.h"

typedef struct {
  int width, height;
} Size;

static const Size sizes[] = {
  { 1280, 720 },  { 1920, 1080 }, { 3840, 2160 }, { 7680, 4320 },
  { 2560, 1080 }, { 1024, 768 },  { 1080, 1920 },
};

static RcBoardLayout *
make_layout (gboolean ga, int width, int height)
{
  g_autoptr (RcRoster) roster = fixture_roster (ga);
  g_autoptr (RcStyle) style = rc_style_new ();
  PangoContext *context = fixture_context ();
  RcBoardLayout *layout = rc_board_layout_new (width, height, roster, style, context);

  g_object_unref (context);
  return layout;
}

static void
assert_inside (const RcRect *outer, const RcRect *inner, const char *what, guint i)
{
  if (!rc_rect_contains_rect (outer, inner))
    g_error ("%s %u (%.1f,%.1f %.1f×%.1f) is not inside (%.1f,%.1f %.1f×%.1f)", what, i,
             inner->x, inner->y, inner->width, inner->height, outer->x, outer->y,
             outer->width, outer->height);
}

static void
assert_disjoint (const RcRect *a, const RcRect *b, const char *what, guint i, guint j)
{
  if (rc_rect_intersects (a, b))
    g_error ("%s %u and %u overlap", what, i, j);
}

/* Each label measured again, as the painter will draw it: its ink in its box, one
 * line, not ellipsised. */
static void
check_labels (const RcBoardLayout *l)
{
  g_autoptr (PangoLayout) pl = pango_layout_new (l->context);

  pango_layout_set_font_description (pl, l->label_font);
  for (guint i = 0; i < l->n_cells; i++)
    {
      const RcBoardCell *c = &l->cells[i];
      PangoRectangle ink;
      RcRect r;

      pango_layout_set_text (pl, rc_board_layout_get_label (l, i), -1);
      pango_layout_get_extents (pl, &ink, NULL);
      r = (RcRect){ c->label_x + (double) ink.x / PANGO_SCALE,
                    c->label_y + (double) ink.y / PANGO_SCALE,
                    (double) ink.width / PANGO_SCALE, (double) ink.height / PANGO_SCALE };
      g_assert_cmpint (pango_layout_get_line_count (pl), ==, 1);
      g_assert_false (pango_layout_is_ellipsized (pl));
      g_assert_cmpfloat (r.width, >, 0);
      if (!rc_rect_contains_rect (&c->label, &r))
        g_error ("label '%s' ink (%.2f,%.2f %.2f×%.2f) leaves its box (%.2f,%.2f %.2f×%.2f)",
                 rc_board_layout_get_label (l, i), r.x, r.y, r.width, r.height, c->label.x,
                 c->label.y, c->label.width, c->label.height);
    }
}

static const RcRoster *rank_roster;

static int
by_key (gconstpointer a, gconstpointer b)
{
  guint ia = *(const guint *) a, ib = *(const guint *) b;
  int r = strcmp (rc_roster_get_member (rank_roster, ia)->sort_key,
                  rc_roster_get_member (rank_roster, ib)->sort_key);

  return r != 0 ? r : (ia > ib) - (ia < ib);
}

/* Each member's place in the order of the roster's keys (the board language's). */
static guint *
expected_places (const RcRoster *roster)
{
  guint n = rc_roster_get_size (roster);
  g_autofree guint *order = g_new (guint, n);
  guint *place = g_new (guint, n);

  for (guint i = 0; i < n; i++)
    order[i] = i;
  rank_roster = roster;
  qsort (order, n, sizeof *order, by_key);
  for (guint p = 0; p < n; p++)
    place[order[p]] = p;
  return place;
}

static void
check_geometry (const RcBoardLayout *l, guint n_members)
{
  g_autofree guint *place = expected_places (l->roster);
  const RcRect *regions[] = { &l->header, &l->grid, &l->totals };
  const RcRect *header_parts[] = { &l->header_body,   &l->header_meeting, &l->header_symbol,
                                   &l->header_title,  &l->header_state,   &l->header_clock,
                                   &l->header_badge };
  const RcRect *totals_parts[] = { &l->totals_slots[0], &l->totals_slots[1],
                                   &l->totals_slots[2], &l->totals_slots[3],
                                   &l->majority,        &l->verdict,
                                   &l->notice };

  g_assert_cmpuint (l->n_cells, ==, n_members);
  g_assert_cmpuint (l->columns * l->rows, >=, n_members);
  g_assert_cmpuint ((l->columns - 1) * l->rows, <, n_members);

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      assert_inside (&l->frame, regions[i], "region", i);
      g_assert_cmpfloat (regions[i]->width, >, 0);
      g_assert_cmpfloat (regions[i]->height, >, 0);
      for (guint j = i + 1; j < G_N_ELEMENTS (regions); j++)
        assert_disjoint (regions[i], regions[j], "region", i, j);
    }
  for (guint i = 0; i < G_N_ELEMENTS (header_parts); i++)
    {
      assert_inside (&l->header, header_parts[i], "header part", i);
      for (guint j = i + 1; j < G_N_ELEMENTS (header_parts); j++)
        assert_disjoint (header_parts[i], header_parts[j], "header part", i, j);
    }
  for (guint i = 0; i < G_N_ELEMENTS (totals_parts); i++)
    {
      assert_inside (&l->totals, totals_parts[i], "totals part", i);
      for (guint j = i + 1; j < G_N_ELEMENTS (totals_parts); j++)
        assert_disjoint (totals_parts[i], totals_parts[j], "totals part", i, j);
    }
  for (guint i = 0; i < RC_TOTALS_N_SLOTS; i++)
    {
      assert_inside (&l->totals_slots[i], &l->totals_swatches[i], "swatch", i);
      assert_inside (&l->totals_slots[i], &l->totals_labels[i], "slot label", i);
      assert_inside (&l->totals_slots[i], &l->totals_numbers[i], "slot number", i);
      assert_disjoint (&l->totals_labels[i], &l->totals_numbers[i], "slot parts", i, i);
    }

  for (guint i = 0; i < l->n_cells; i++)
    {
      const RcBoardCell *c = &l->cells[i];

      assert_inside (&l->grid, &c->frame, "cell", i);
      assert_inside (&c->frame, &c->light, "light of cell", i);
      assert_inside (&c->frame, &c->label, "label box of cell", i);
      assert_disjoint (&c->light, &c->label, "light/label of cell", i, i);
      /* Alphabetical in the board's language, column by column; from the right on a
       * mirrored board. */
      g_assert_cmpuint (c->column, ==, place[i] / l->rows);
      g_assert_cmpuint (c->row, ==, place[i] % l->rows);
      if (c->column > 0)
        for (guint j = 0; j < l->n_cells; j++)
          if (l->cells[j].column == c->column - 1 && l->cells[j].row == c->row)
            {
              if (l->rtl)
                g_assert_cmpfloat (l->cells[j].frame.x, >, c->frame.x);
              else
                g_assert_cmpfloat (l->cells[j].frame.x, <, c->frame.x);
            }
      /* The light before the name in reading order: on its left, or on its right on a
       * mirrored board. */
      if (l->rtl)
        g_assert_cmpfloat (c->light.x, >, c->label.x);
      else
        g_assert_cmpfloat (c->light.x, <, c->label.x);
      g_assert_cmpint (rc_board_layout_cell_at (l, c->frame.x + c->frame.width / 2,
                                                c->frame.y + c->frame.height / 2),
                       ==, (int) i);
      for (guint j = i + 1; j < l->n_cells; j++)
        assert_disjoint (&c->frame, &l->cells[j].frame, "cell", i, j);
    }
  check_labels (l);
}

static void
test_geometry (gconstpointer data)
{
  gboolean ga = GPOINTER_TO_INT (data);
  g_autoptr (RcRoster) roster = fixture_roster (ga);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr (RcBoardLayout) l = make_layout (ga, sizes[s].width, sizes[s].height);

      g_test_message ("%s %dx%d: %u columns x %u rows, names at %.2f px, totals %s",
                      ga ? "GA" : "SC", sizes[s].width, sizes[s].height, l->columns, l->rows,
                      l->label_size,
                      l->arrangement == RC_BOARD_TOTALS_BELOW ? "below" : "beside");
      check_geometry (l, rc_roster_get_size (roster));
    }
}

/* Every language's names fit, unclipped and unellipsised, at the three screens of a
 * hall, with the names of 2 March 2022 and today's; Arabic mirrored. */
static void
test_languages (gconstpointer data)
{
  const char *spec = data;
  const Size screens[] = { { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 } };
  const char *const dates[] = { "2022-03-02", NULL };
  g_autoptr (RcRoster) roster = fixture_roster (TRUE);
  g_autoptr (RcStyle) style = rc_style_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (rc_board_language_parse (spec, &style->language, &error));
  g_assert_no_error (error);
  for (guint d = 0; d < G_N_ELEMENTS (dates); d++)
    {
      g_autoptr (RcRoster) shown = rc_style_board_roster (style, roster, dates[d]);

      for (guint s = 0; s < G_N_ELEMENTS (screens); s++)
        {
          PangoContext *context = fixture_context ();
          g_autoptr (RcBoardLayout) l
            = rc_board_layout_new (screens[s].width, screens[s].height, shown, style, context);

          g_object_unref (context);
          g_test_message ("%s %s %dx%d: %u columns, names at %.2f px", spec,
                          dates[d] ? dates[d] : "today", screens[s].width, screens[s].height,
                          l->columns, l->label_size);
          g_assert_cmpint (l->rtl, ==, g_str_has_prefix (spec, "ar"));
          check_geometry (l, rc_roster_get_size (roster));
          /* The quick search finds the size trying every size one by one finds. */
          {
            PangoContext *again = fixture_context ();
            g_autoptr (RcBoardLayout) slow = NULL;

            rc_board_layout_set_exhaustive_search (TRUE);
            slow = rc_board_layout_new (screens[s].width, screens[s].height, shown, style, again);
            rc_board_layout_set_exhaustive_search (FALSE);
            g_object_unref (again);
            g_assert_cmpfloat (l->label_size, ==, slow->label_size);
            /* What the painter draws: every label's layout at the size found. */
            for (guint i = 0; i < l->n_cells; i++)
              g_assert_true (pango_font_description_equal (
                pango_layout_get_font_description (rc_board_layout_get_label_layout (l, i)),
                l->label_font));
          }
        }
    }
}

/* A bigger screen of the same shape never gets smaller names; a wider or taller
 * screen of the same height or width never either. */
static void
test_monotone (void)
{
  const Size series[] = { { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 }, { 7680, 4320 } };
  double previous[2] = { 0, 0 };

  for (guint s = 0; s < G_N_ELEMENTS (series); s++)
    for (int ga = 0; ga < 2; ga++)
      {
        g_autoptr (RcBoardLayout) l = make_layout (ga, series[s].width, series[s].height);

        g_assert_cmpfloat (l->label_size, >, previous[ga]);
        previous[ga] = l->label_size;
      }

  for (int ga = 0; ga < 2; ga++)
    {
      g_autoptr (RcBoardLayout) hd = make_layout (ga, 1920, 1080);
      g_autoptr (RcBoardLayout) wide = make_layout (ga, 2560, 1080);
      g_autoptr (RcBoardLayout) small = make_layout (ga, 1024, 768);

      g_assert_cmpfloat (wide->label_size, >=, hd->label_size);
      g_assert_cmpfloat (small->label_size, <, hd->label_size);
    }
}

/* The Council's 15 names use the room: much larger than the Assembly's 193, in a
 * few columns, not a 193-name grid. */
static void
test_council_is_large (void)
{
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr (RcBoardLayout) ga = make_layout (TRUE, sizes[s].width, sizes[s].height);
      g_autoptr (RcBoardLayout) sc = make_layout (FALSE, sizes[s].width, sizes[s].height);

      g_assert_cmpfloat (sc->label_size, >, 2.0 * ga->label_size);
      g_assert_cmpuint (sc->columns, <=, 3);
    }
}

/* From the back of a hall: at 1920×1080 the 193 names are at least 18 px, and the
 * totals and verdict are several times larger than the names. */
static void
test_readable (void)
{
  g_autoptr (RcBoardLayout) l = make_layout (TRUE, 1920, 1080);
  double number = (double) pango_font_description_get_size (l->totals_number_font) / PANGO_SCALE;
  double verdict = (double) pango_font_description_get_size (l->verdict_font) / PANGO_SCALE;

  g_assert_cmpfloat (l->label_size, >=, 18.0);
  g_assert_cmpfloat (number, >=, 3.0 * l->label_size);
  g_assert_cmpfloat (verdict, >=, 2.5 * l->label_size);
  g_assert_true (pango_font_description_get_size_is_absolute (l->label_font));
  g_assert_cmpfloat ((double) pango_font_description_get_size (l->label_font) / PANGO_SCALE, ==,
                     l->label_size);
}

/* The same input gives the same geometry (a window's cache may rely on it). */
static void
test_deterministic (void)
{
  g_autoptr (RcBoardLayout) a = make_layout (TRUE, 1920, 1080);
  g_autoptr (RcBoardLayout) b = make_layout (TRUE, 1920, 1080);

  g_assert_cmpuint (a->serial, !=, b->serial);
  g_assert_cmpfloat (a->label_size, ==, b->label_size);
  g_assert_cmpuint (a->columns, ==, b->columns);
  for (guint i = 0; i < a->n_cells; i++)
    g_assert_cmpmem (&a->cells[i], sizeof (RcBoardCell), &b->cells[i], sizeof (RcBoardCell));
}

/* A layout prepared on a worker thread (its own font map, the same font options) is
 * the layout the main thread would compute, and paints the same pixels; the thread
 * works on a copy of the session, which the caller goes on changing meanwhile. */
static void
test_prepared_is_the_same (void)
{
  g_autoptr (RcSession) session = fixture_final (TRUE);
  g_autoptr (RcStyle) style = rc_style_new ();
  g_autoptr (RcBoardLayout) direct = make_layout (TRUE, 1270, 664);
  g_autoptr (RcBoardLayout) prepared = NULL;
  g_autoptr (RcPainter) painter = NULL;
  RcVote *vote = rc_session_get_vote (session, 0);
  RcBoardPrepare *prepare;
  PangoContext *context;
  cairo_surface_t *a, *b;
  int w, h;

  prepare = rc_board_prepare_start (1270, 664, rc_session_get_roster (session), style, session,
                                    rc_vote_get_id (vote), 0);
  rc_board_prepare_get_size (prepare, &w, &h);
  g_assert_cmpint (w, ==, 1270);
  g_assert_cmpint (h, ==, 664);
  /* The caller's style is copied: changing it now changes nothing there. */
  rc_style_set_font_family (style, "Serif");
  context = rc_board_prepare_finish (prepare, &prepared, &painter);
  rc_style_set_font_family (style, NULL);
  g_assert_nonnull (painter);

  g_assert_nonnull (context);
  g_assert_true (prepared->context == context);
  g_assert_true (pango_context_get_font_map (context) != pango_cairo_font_map_get_default ());
  g_assert_cmpint (prepared->width, ==, 1270);
  g_assert_cmpint (prepared->height, ==, 664);
  g_assert_cmpfloat (prepared->label_size, ==, direct->label_size);
  g_assert_cmpuint (prepared->columns, ==, direct->columns);
  g_assert_cmpuint (prepared->n_cells, ==, direct->n_cells);
  for (guint i = 0; i < direct->n_cells; i++)
    g_assert_cmpmem (&prepared->cells[i], sizeof (RcBoardCell), &direct->cells[i],
                     sizeof (RcBoardCell));
  g_assert_cmpmem (&prepared->header, sizeof (RcRect), &direct->header, sizeof (RcRect));
  g_assert_cmpmem (&prepared->totals, sizeof (RcRect), &direct->totals, sizeof (RcRect));

  a = fixture_paint (session, direct, style);
  b = fixture_paint (session, prepared, style);
  cairo_surface_flush (a);
  cairo_surface_flush (b);
  g_assert_cmpint (cairo_image_surface_get_stride (a), ==, cairo_image_surface_get_stride (b));
  g_assert_cmpmem (cairo_image_surface_get_data (a),
                   cairo_image_surface_get_stride (a) * cairo_image_surface_get_height (a),
                   cairo_image_surface_get_data (b),
                   cairo_image_surface_get_stride (b) * cairo_image_surface_get_height (b));
  /* The painter that prepared it paints the same board too, from its warm caches. */
  {
    cairo_surface_t *c = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1270, 664);
    cairo_t *cr = cairo_create (c);

    rc_painter_paint_board (painter, cr, prepared, style, session, vote, fixture_clock ());
    cairo_destroy (cr);
    cairo_surface_flush (c);
    g_assert_cmpmem (cairo_image_surface_get_data (a),
                     cairo_image_surface_get_stride (a) * cairo_image_surface_get_height (a),
                     cairo_image_surface_get_data (c),
                     cairo_image_surface_get_stride (c) * cairo_image_surface_get_height (c));
    cairo_surface_destroy (c);
  }
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
  g_object_unref (context);
}

/* The thread copies what it needs when it starts: the caller's session may change at
 * once (here: the vote goes on being taken) without the two racing. */
static void
test_prepare_while_session_changes (void)
{
  FixtureSpec spec = { .ga = TRUE, .stage = FIXTURE_OPEN, .n_ballots = 10,
                       .reveal = RC_REVEAL_LIVE, .recorded = TRUE };
  g_autoptr (RcSession) session = fixture_session (&spec);
  g_autoptr (RcSession) later = NULL;
  g_autoptr (RcStyle) style = rc_style_new ();
  g_autoptr (RcBoardLayout) layout = NULL;
  g_autoptr (RcPainter) painter = NULL;
  RcBoardPrepare *prepare;
  PangoContext *context;

  prepare = rc_board_prepare_start (1920, 1080, rc_session_get_roster (session), style, session,
                                    rc_vote_get_id (rc_session_get_vote (session, 0)), 0);
  /* Meanwhile the main thread drops its session and works with another. */
  g_clear_object (&session);
  later = fixture_final (TRUE);
  context = rc_board_prepare_finish (prepare, &layout, &painter);
  g_assert_cmpuint (layout->n_cells, ==, rc_roster_get_size (rc_session_get_roster (later)));
  g_object_unref (context);
}

/* A tiny frame still gives a layout whose labels fit, at a tiny size. */
static void
test_tiny (void)
{
  g_autoptr (RcRoster) roster = fixture_roster (TRUE);
  g_autoptr (RcBoardLayout) l = make_layout (TRUE, 320, 200);

  check_geometry (l, rc_roster_get_size (roster));
  g_assert_cmpfloat (l->label_size, <, 6);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/render/layout/geometry/general-assembly", GINT_TO_POINTER (TRUE),
                        test_geometry);
  g_test_add_data_func ("/render/layout/geometry/security-council", GINT_TO_POINTER (FALSE),
                        test_geometry);
  g_test_add_func ("/render/layout/monotone", test_monotone);
  for (guint i = 0; rc_language_codes ()[i] != NULL; i++)
    {
      g_autofree char *path
        = g_strdup_printf ("/render/layout/languages/%s", rc_language_codes ()[i]);

      g_test_add_data_func (path, rc_language_codes ()[i], test_languages);
    }
  g_test_add_data_func ("/render/layout/languages/en,fr", "en,fr", test_languages);
  g_test_add_data_func ("/render/layout/languages/ar,en", "ar,en", test_languages);
  g_test_add_func ("/render/layout/council-is-large", test_council_is_large);
  g_test_add_func ("/render/layout/readable", test_readable);
  g_test_add_func ("/render/layout/deterministic", test_deterministic);
  g_test_add_func ("/render/layout/tiny", test_tiny);
  g_test_add_func ("/render/layout/prepared-is-the-same", test_prepared_is_the_same);
  g_test_add_func ("/render/layout/prepare-while-session-changes",
                   test_prepare_while_session_changes);
  return g_test_run ();
}
