/* test-board-widget.c — the board widget on screen: what a ballot repaints, what the
 * lights look like, and which vote it shows. Real events from the demo archive's
 * journal of 2 March 2022, a real window under Xvfb. */
#include <gtk/gtk.h>

#include "model/rc-event.h"
#include "model/rc-replay.h"
#include "rc-ui-fixture.h"
#include "render/rc-board-layout.h"
#include "ui/rc-board-widget-private.h"
#include "ui/rc-board-widget.h"

typedef struct {
  UiJournal *journal;
  GtkWindow *window;
  RcBoardWidget *board;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  const RcEvent *first;

  f->journal = ui_journal_new ("2022-03-02");
  ui_journal_run_to_ballot (f->journal, 20);
  first = ui_journal_peek (f->journal);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1280, 720);
  f->board = RC_BOARD_WIDGET (rc_board_widget_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->board));
  rc_board_widget_set_session (f->board, f->journal->session);
  rc_board_widget_set_vote_id (f->board, first->vote_id);
  gtk_window_present (f->window);
  ui_wait_board_painted (f->board);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  ui_journal_free (f->journal);
}

/* Moves the journal to the next ballot that lights a member not yet lit, with the
 * given choice (or any choice with RC_CHOICE_N). Returns the member's index. */
static guint
run_to_new_light (Fixture *f, RcChoice choice)
{
  for (;;)
    {
      const RcEvent *e;
      RcVote *vote;
      int index;

      ui_journal_run_to (f->journal, RC_EVENT_BALLOT);
      e = ui_journal_peek (f->journal);
      vote = rc_session_find_vote (f->journal->session, e->vote_id);
      index = rc_roster_find (rc_vote_get_roster (vote), e->member);
      g_assert_cmpint (index, >=, 0);
      if (rc_vote_get_shown_choice (vote, index) == RC_CHOICE_PENDING &&
          (choice == RC_CHOICE_N || e->choice == choice))
        return (guint) index;
      ui_journal_step (f->journal);
    }
}

/* A ballot builds one node, the size of its member's light, drawn over the grid, and
 * a node for each count it changes (a number, the majority line) over the totals; the
 * grid (every name), the totals and every other node stay the very nodes of the last
 * frame. */
static void
test_ballot_rebuilds_one_cell (Fixture *f, gconstpointer data)
{
  const RcBoardLayout *layout = rc_board_widget_peek_layout (f->board);
  guint n = layout->n_cells;
  g_autofree GskRenderNode **before = g_new0 (GskRenderNode *, n);
  g_autoptr (GskRenderNode) grid = NULL;
  RcBoardWidgetStats stats;
  guint index = run_to_new_light (f, RC_CHOICE_N);

  g_assert_cmpuint (n, ==, 193);
  g_assert_nonnull (rc_board_widget_peek_grid_node (f->board));
  /* References keep the old nodes' addresses from being reused by new ones. */
  grid = gsk_render_node_ref (rc_board_widget_peek_grid_node (f->board));
  for (guint i = 0; i < n; i++)
    {
      before[i] = rc_board_widget_peek_cell_node (f->board, i);
      if (before[i] != NULL)
        gsk_render_node_ref (before[i]);
    }

  rc_board_widget_reset_stats (f->board);
  ui_journal_step (f->journal);
  g_assert_false (rc_board_widget_is_complete (f->board));
  ui_wait_board_painted (f->board);

  rc_board_widget_get_stats (f->board, &stats);
  g_assert_cmpuint (stats.cells, ==, 1);
  g_assert_cmpint (stats.last_cell, ==, (int) index);
  g_assert_cmpuint (stats.totals, ==, 0);
  /* A number up (the member's choice), one down (not yet voted), maybe the majority. */
  g_assert_cmpuint (stats.counts, >=, 2);
  g_assert_cmpuint (stats.counts, <=, 3);
  g_assert_cmpuint (stats.grids, ==, 0);
  g_assert_cmpuint (stats.headers, ==, 0);
  g_assert_cmpuint (stats.backgrounds, ==, 0);
  g_assert_cmpuint (stats.layouts, ==, 0);
  g_assert_cmpuint (stats.snapshots, >=, 1);

  /* The grid and every other cell are the very nodes of the last frame, so GSK's diff
   * leaves them be. */
  g_assert_true (rc_board_widget_peek_grid_node (f->board) == grid);
  for (guint i = 0; i < n; i++)
    {
      if (i == index)
        {
          g_assert_nonnull (rc_board_widget_peek_cell_node (f->board, i));
          g_assert_true (rc_board_widget_peek_cell_node (f->board, i) != before[i]);
        }
      else
        g_assert_true (rc_board_widget_peek_cell_node (f->board, i) == before[i]);
      g_clear_pointer (&before[i], gsk_render_node_unref);
    }
}

static void
test_ballot_lights_the_light (Fixture *f, gconstpointer data)
{
  RcPalette palette;
  guint index = run_to_new_light (f, RC_CHOICE_YES);
  g_autoptr (UiPixels) before = NULL;
  g_autoptr (UiPixels) after = NULL;
  int x, y, nx, ny;
  guint neighbour = index == 0 ? 1 : index - 1;

  rc_style_resolve_palette (rc_board_widget_get_style (f->board),
                            rc_session_get_chamber (f->journal->session), &palette);
  ui_light_centre (f->board, index, &x, &y);
  ui_light_centre (f->board, neighbour, &nx, &ny);

  ui_wait_board_painted (f->board);
  before = ui_pixels_render (GTK_WIDGET (f->board));
  g_assert_false (ui_colour_near (ui_pixels_get (before, x, y), palette.yes, 40));

  ui_journal_step (f->journal);
  ui_wait_board_painted (f->board);
  after = ui_pixels_render (GTK_WIDGET (f->board));

  /* The member's light is now green (the palette's Yes); its neighbour did not move. */
  g_assert_true (ui_colour_near (ui_pixels_get (after, x, y), palette.yes, 8));
  g_assert_cmphex (ui_pixels_get (after, nx, ny), ==, ui_pixels_get (before, nx, ny));
}

/* Many ballots between two frames (a flood): a column in which two or more lights
 * changed becomes one node, its strip, so that the frame's damage is a rectangle per
 * column (GSK repaints a whole container past 30 changed rectangles); a column with
 * one change gets that light's node; every light shows its choice. */
static void
test_many_ballots_in_one_frame (Fixture *f, gconstpointer data)
{
  RcVote *vote = rc_board_widget_get_vote (f->board);
  const RcBoardLayout *layout = rc_board_widget_peek_layout (f->board);
  guint n = layout->n_cells;
  g_autofree RcChoice *before = g_new (RcChoice, n);
  g_autofree guint *per_column = g_new0 (guint, layout->columns);
  g_autoptr (UiPixels) pixels = NULL;
  RcBoardWidgetStats stats;
  RcPalette palette;
  guint changed = 0, strips = 0;

  rc_style_resolve_palette (rc_board_widget_get_style (f->board),
                            rc_session_get_chamber (f->journal->session), &palette);
  for (guint i = 0; i < n; i++)
    before[i] = rc_vote_get_shown_choice (vote, i);
  rc_board_widget_reset_stats (f->board);
  for (guint k = 0; k < 60; k++)
    {
      ui_journal_run_to (f->journal, RC_EVENT_BALLOT);
      ui_journal_step (f->journal);
    }
  ui_wait_board_painted (f->board);

  for (guint i = 0; i < n; i++)
    if (rc_vote_get_shown_choice (vote, i) != before[i])
      {
        changed++;
        per_column[layout->cells[i].column]++;
      }
  for (guint c = 0; c < layout->columns; c++)
    strips += per_column[c] >= 2;
  g_assert_cmpuint (changed, >=, 40);
  g_assert_cmpuint (strips, >, 0);

  rc_board_widget_get_stats (f->board, &stats);
  g_assert_cmpuint (stats.cells, ==, changed);
  g_assert_cmpuint (stats.strips, ==, strips);
  g_assert_cmpuint (stats.grids, ==, 0);
  g_assert_cmpuint (stats.layouts, ==, 0);

  pixels = ui_pixels_render (GTK_WIDGET (f->board));
  for (guint i = 0; i < n; i++)
    {
      RcChoice shown = rc_vote_get_shown_choice (vote, i);
      guint in_column = per_column[layout->cells[i].column];
      int x, y;

      if (shown == before[i])
        continue;
      /* A light of a strip column has no node of its own; a lone change has one. */
      if (in_column >= 2)
        g_assert_null (rc_board_widget_peek_cell_node (f->board, i));
      else
        g_assert_nonnull (rc_board_widget_peek_cell_node (f->board, i));
      ui_light_centre (f->board, i, &x, &y);
      g_assert_true (ui_colour_near (ui_pixels_get (pixels, x, y), ui_light_colour (&palette, shown),
                                     8));
    }

  /* The next ballot that lights a new light: in a strip column it rebuilds the strip;
   * elsewhere that light's own node. */
  {
    guint index = run_to_new_light (f, RC_CHOICE_N);
    gboolean strip = per_column[layout->cells[index].column] >= 2;

    rc_board_widget_reset_stats (f->board);
    ui_journal_step (f->journal);
    ui_wait_board_painted (f->board);
    rc_board_widget_get_stats (f->board, &stats);
    g_assert_cmpuint (stats.cells, ==, 1);
    g_assert_cmpint (stats.last_cell, ==, (int) index);
    g_assert_cmpuint (stats.strips, ==, strip ? 1 : 0);
    g_assert_true ((rc_board_widget_peek_cell_node (f->board, index) == NULL) == strip);
  }
}

static void
test_lock_repaints_changed_lights_and_header (Fixture *f, gconstpointer data)
{
  RcVote *vote = rc_board_widget_get_vote (f->board);
  guint n = rc_roster_get_size (rc_vote_get_roster (vote));
  g_autofree RcChoice *shown = g_new (RcChoice, n);
  RcBoardWidgetStats stats;
  guint changed = 0;

  ui_journal_run_to (f->journal, RC_EVENT_VOTE_LOCKED);
  ui_wait_board_painted (f->board);
  for (guint i = 0; i < n; i++)
    shown[i] = rc_vote_get_shown_choice (vote, i);

  rc_board_widget_reset_stats (f->board);
  ui_journal_step (f->journal);
  ui_wait_board_painted (f->board);

  for (guint i = 0; i < n; i++)
    if (shown[i] != rc_vote_get_shown_choice (vote, i))
      changed++;
  /* Who had not voted when the machine closed did not vote: those lights change. */
  g_assert_cmpuint (changed, >, 0);
  rc_board_widget_get_stats (f->board, &stats);
  g_assert_cmpuint (stats.cells, ==, changed);
  g_assert_cmpuint (stats.headers, ==, 1); /* VOTING OPEN → LOCKED */
  g_assert_cmpuint (stats.totals, ==, 1);
  g_assert_cmpuint (stats.layouts, ==, 0);
}

static void
test_clock_repaints_header_only (Fixture *f, gconstpointer data)
{
  RcBoardWidgetStats stats;
  gint64 t = ui_journal_peek (f->journal)->time / G_USEC_PER_SEC * G_USEC_PER_SEC;

  rc_board_widget_set_clock_time (f->board, t);
  ui_wait_board_painted (f->board);

  rc_board_widget_reset_stats (f->board);
  rc_board_widget_set_clock_time (f->board, t + G_USEC_PER_SEC);
  g_assert_false (rc_board_widget_is_complete (f->board));
  ui_wait_board_painted (f->board);
  rc_board_widget_get_stats (f->board, &stats);
  g_assert_cmpuint (stats.headers, ==, 1);
  g_assert_cmpuint (stats.cells, ==, 0);
  g_assert_cmpuint (stats.totals, ==, 0);

  /* Half a second later the clock shows the same second: nothing to repaint. */
  rc_board_widget_set_clock_time (f->board, t + G_USEC_PER_SEC * 3 / 2);
  g_assert_true (rc_board_widget_is_complete (f->board));
}

static void
test_resize_lays_out_again (Fixture *f, gconstpointer data)
{
  const RcBoardLayout *layout;
  RcBoardWidgetStats stats;

  rc_board_widget_reset_stats (f->board);
  gtk_widget_set_size_request (GTK_WIDGET (f->board), 1600, 900);
  ui_wait_board_painted (f->board);
  /* A resize may come in more than one step: wait for the final size. */
  while (gtk_widget_get_width (GTK_WIDGET (f->board)) != 1600 ||
         !rc_board_widget_is_complete (f->board))
    g_main_context_iteration (NULL, TRUE);

  layout = rc_board_widget_peek_layout (f->board);
  g_assert_cmpint (layout->width, ==, 1600);
  g_assert_cmpint (layout->height, ==, gtk_widget_get_height (GTK_WIDGET (f->board)));
  rc_board_widget_get_stats (f->board, &stats);
  g_assert_cmpuint (stats.layouts, >=, 1);
  g_assert_cmpuint (stats.grids, >=, 1);
}

static void
apply_on_air (Fixture *f, RcOnAir on_air, const char *vote_id)
{
  g_autoptr (GError) error = NULL;
  RcSession *s = f->journal->session;
  g_autoptr (RcEvent) made = rc_event_new_on_air (rc_session_get_last_time (s), on_air, vote_id);
  g_autoptr (RcEvent) e = rc_event_with_seq (made, rc_session_get_last_seq (s) + 1);

  rc_session_apply (s, e, &error);
  g_assert_no_error (error);
}

static void
test_follows_on_air (Fixture *f, gconstpointer data)
{
  RcVote *vote = rc_board_widget_get_vote (f->board);
  g_autofree char *vote_id = g_strdup (rc_vote_get_id (vote));
  g_autoptr (UiPixels) blank = NULL;
  RcPalette palette;
  int x, y;

  rc_board_widget_set_follow_on_air (f->board, TRUE);

  apply_on_air (f, RC_ON_AIR_BLANK, NULL);
  g_assert_null (rc_board_widget_get_vote (f->board));
  ui_wait_board_painted (f->board);
  /* Blank screens are the background colour, even where a light was. */
  rc_style_resolve_palette (rc_board_widget_get_style (f->board),
                            rc_session_get_chamber (f->journal->session), &palette);
  ui_light_centre (f->board, 0, &x, &y);
  blank = ui_pixels_render (GTK_WIDGET (f->board));
  g_assert_cmphex (ui_pixels_get (blank, x, y), ==, palette.background);
  g_assert_cmphex (ui_pixels_get (blank, 5, 5), ==, palette.background);

  apply_on_air (f, RC_ON_AIR_HOLDING, NULL);
  g_assert_null (rc_board_widget_get_vote (f->board));

  apply_on_air (f, RC_ON_AIR_VOTE, vote_id);
  g_assert_true (rc_board_widget_get_vote (f->board) == vote);
  g_assert_true (rc_board_widget_get_follow_on_air (f->board));
  ui_wait_board_painted (f->board);
}

static void
test_new_session_keeps_the_vote (Fixture *f, gconstpointer data)
{
  g_autofree char *vote_id = g_strdup (rc_vote_get_id (rc_board_widget_get_vote (f->board)));
  g_autoptr (RcSession) later = rc_session_new ();
  g_autoptr (GError) error = NULL;

  /* A replay's backward seek hands the board a fresh session. */
  rc_session_fold (later, f->journal->events, G_MAXINT64, &error);
  g_assert_no_error (error);
  rc_board_widget_set_session (f->board, later);
  g_assert_true (rc_board_widget_get_vote (f->board) == rc_session_find_vote (later, vote_id));
  g_assert_cmpint (rc_vote_get_state (rc_board_widget_get_vote (f->board)), ==,
                   RC_VOTE_ANNOUNCED);
  ui_wait_board_painted (f->board);
}

static void
test_glyphs_repaint_lights_not_header (Fixture *f, gconstpointer data)
{
  RcBoardWidgetStats stats;
  g_autoptr (UiPixels) plain = NULL;
  g_autoptr (UiPixels) marked = NULL;
  guint index = run_to_new_light (f, RC_CHOICE_YES);
  const RcRect *light, *header;
  guint changed = 0;

  ui_journal_step (f->journal);
  ui_wait_board_painted (f->board);
  plain = ui_pixels_render (GTK_WIDGET (f->board));

  rc_board_widget_reset_stats (f->board);
  rc_board_widget_set_glyphs (f->board, TRUE);
  g_assert_true (rc_board_widget_get_style (f->board)->glyphs);
  ui_wait_board_painted (f->board);
  rc_board_widget_get_stats (f->board, &stats);
  /* The lights are drawn again with the grid: nothing else. */
  g_assert_cmpuint (stats.grids, ==, 1);
  g_assert_cmpuint (stats.cells, ==, 0);
  g_assert_cmpuint (stats.headers, ==, 0);
  g_assert_cmpuint (stats.layouts, ==, 0);

  /* The lit light now has its tick; the header did not move. */
  marked = ui_pixels_render (GTK_WIDGET (f->board));
  light = &rc_board_widget_peek_layout (f->board)->cells[index].light;
  for (int y = (int) light->y; y < light->y + light->height; y++)
    for (int x = (int) light->x; x < light->x + light->width; x++)
      changed += ui_pixels_get (marked, x, y) != ui_pixels_get (plain, x, y);
  g_assert_cmpuint (changed, >, 0);
  header = &rc_board_widget_peek_layout (f->board)->header;
  for (int y = (int) header->y; y < header->y + header->height; y++)
    for (int x = (int) header->x; x < header->x + header->width; x++)
      g_assert_cmphex (ui_pixels_get (marked, x, y), ==, ui_pixels_get (plain, x, y));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/board-widget/ballot-rebuilds-one-cell", test_ballot_rebuilds_one_cell);
  ADD ("/board-widget/ballot-lights-the-light", test_ballot_lights_the_light);
  ADD ("/board-widget/many-ballots-in-one-frame", test_many_ballots_in_one_frame);
  ADD ("/board-widget/lock-repaints-changed-lights", test_lock_repaints_changed_lights_and_header);
  ADD ("/board-widget/clock-repaints-header-only", test_clock_repaints_header_only);
  ADD ("/board-widget/resize-lays-out-again", test_resize_lays_out_again);
  ADD ("/board-widget/follows-on-air", test_follows_on_air);
  ADD ("/board-widget/new-session-keeps-the-vote", test_new_session_keeps_the_vote);
  ADD ("/board-widget/glyphs-repaint-lights", test_glyphs_repaint_lights_not_header);
#undef ADD

  return g_test_run ();
}
