/* bench-board.c — how long the board takes to paint, against the floor of one plain
 * Cairo fill of the same ARGB32 surface in the same run.
 *
 * Figures: the full ES-11/1 board at 1920×1080 and 3840×2160 (the first, cold paint
 * that builds the painter's caches and draws everything, and the median of warm
 * repaints of the same state, where the painter copies its images of the regions —
 * the grid with its lights as they stand, kept up to date light by light — and fills
 * the margins), and one ballot's repaint while the vote is open: its cell and the counts
 * (rc_painter_paint_counts, what a window repaints), and its cell and the whole totals
 * region, for comparison. Targets (BRIEF): the full 4K board within 2× of the fill; a ballot under
 * 0.5 ms. Prints a Markdown table, also written to $ROLLCALL_BENCH_OUT if set. */
#include <stdio.h>
#include <time.h>

#include "../rc-bench-out.h"
#include "rc-render-fixture.h"
#include "render/rc-painter.h"

#define RUNS 41

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof *v, compare);
  return v[n / 2];
}

/* One plain fill of the whole surface: the floor a frame cannot go below. */
static double
fill_once (cairo_surface_t *surface, int i)
{
  cairo_t *cr = cairo_create (surface);
  double t0 = now_ms (), t;

  cairo_set_source_rgb (cr, 0.04, 0.06, 0.08 + (i % 8) * 1e-2);
  cairo_paint (cr);
  cairo_surface_flush (surface);
  t = now_ms () - t0;
  cairo_destroy (cr);
  return t;
}

typedef struct {
  int width, height;
  double fill, cold, warm, ratio, ballot, ballot_totals;
} Figures;

static void
measure (Figures *f, RcSession *final, RcSession *open)
{
  g_autoptr (RcStyle) style = rc_style_new ();
  PangoContext *context = fixture_context ();
  g_autoptr (RcBoardLayout) layout = rc_board_layout_new (
      f->width, f->height, rc_session_get_roster (final), style, context);
  g_autoptr (RcPainter) painter = rc_painter_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, f->width,
                                                         f->height);
  RcVote *vote = rc_session_get_vote (final, 0);
  RcVote *open_vote = rc_session_get_vote (open, 0);
  guint n = rc_roster_get_size (rc_session_get_roster (final));
  double t[RUNS], fills[RUNS], ratios[RUNS], t0;
  cairo_t *cr;

  cr = cairo_create (surface);
  t0 = now_ms ();
  rc_painter_paint_board (painter, cr, layout, style, final, vote, 1646239100000000);
  cairo_surface_flush (surface);
  f->cold = now_ms () - t0;
  /* Fill and board alternate, so that both see the same machine (other processes,
   * memory bandwidth): the ratio is taken run by run. */
  for (int i = 0; i < RUNS; i++)
    {
      fills[i] = fill_once (surface, i);
      t0 = now_ms ();
      rc_painter_paint_board (painter, cr, layout, style, final, vote, 1646239100000000);
      cairo_surface_flush (surface);
      t[i] = now_ms () - t0;
      ratios[i] = t[i] / fills[i];
    }
  f->fill = median (fills, RUNS);
  f->warm = median (t, RUNS);
  f->ratio = median (ratios, RUNS);

  /* Ballots arriving in an open vote: each changes one light and the counts (what a
   * window repaints), and, for comparison, the whole totals region instead. */
  rc_painter_paint_board (painter, cr, layout, style, open, open_vote, 1646239100000000);
  for (int pass = 0; pass < 2; pass++)
    {
      for (int i = 0; i < RUNS; i++)
        {
          guint member = (guint) (i * 7 + pass) % n;
          const char *code = rc_roster_get_member (rc_session_get_roster (open), member)->code;
          g_autoptr (RcEvent) ballot = rc_event_new_ballot (
              rc_session_get_last_time (open) + 1000, rc_vote_get_id (open_vote), code,
              i % 2 ? RC_CHOICE_NO : RC_CHOICE_YES);
          g_autoptr (GError) error = NULL;

          rc_session_apply (open, ballot, &error);
          g_assert_no_error (error);
          t0 = now_ms ();
          rc_painter_paint_cell (painter, cr, layout, style, open, open_vote, member);
          if (pass == 0)
            rc_painter_paint_counts (painter, cr, layout, style, open, open_vote);
          else
            rc_painter_paint_totals (painter, cr, layout, style, open, open_vote);
          cairo_surface_flush (surface);
          t[i] = now_ms () - t0;
        }
      if (pass == 0)
        f->ballot = median (t, RUNS);
      else
        f->ballot_totals = median (t, RUNS);
    }

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_object_unref (context);
}

int
main (int argc, char **argv)
{
  Figures figures[] = { { 1920, 1080 }, { 3840, 2160 } };
  g_autoptr (RcSession) final = fixture_final (TRUE);
  FixtureSpec spec = { .ga = TRUE, .stage = FIXTURE_OPEN, .n_ballots = 0, .recorded = TRUE };
  g_autoptr (RcSession) open = fixture_session (&spec);
  g_autoptr (GString) table = g_string_new (NULL);

  g_string_append (table,
                   "| Board (ES-11/1, ARGB32) | plain fill | full board, cold | full board, warm "
                   "| board ÷ fill | one ballot: cell + counts | cell + whole totals |\n"
                   "|---|---:|---:|---:|---:|---:|---:|\n");
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      Figures *f = &figures[i];

      measure (f, final, open);
      g_string_append_printf (table,
                              "| %d×%d | %.2f ms | %.2f ms | %.2f ms | %.2f× | %.3f ms | %.3f ms |\n",
                              f->width, f->height, f->fill, f->cold, f->warm, f->ratio,
                              f->ballot, f->ballot_totals);
    }
  g_string_append_printf (table,
                          "\nMedians of %d runs (board ÷ fill: the median of each run's ratio, "
                          "fill and board alternating). Targets: full 3840×2160 board within 2× of "
                          "the fill (%s: %.2f×); one ballot under 0.5 ms (%s: %.3f ms).\n",
                          RUNS, figures[1].ratio <= 2 ? "met" : "MISSED", figures[1].ratio,
                          figures[1].ballot < 0.5 ? "met" : "MISSED", figures[1].ballot);
  fputs (table->str, stdout);
  rc_bench_append_out ("bench-board", table->str);
  return 0;
}
