/* test-painter.c — what the board shows, read back from its pixels: each member's light
 * in the colour of its choice, nothing lit before anyone votes, hidden choices kept
 * hidden, a ballot repainting only what it changes and exactly as a full repaint
 * would, the verdict and the header's texts, palettes and marks that show. */
#include <math.h>
#include <string.h>

#include "model/rc-chamber.h"
#include "model/rc-error.h"
#include "rc-render-fixture.h"
#include "rc-test-seed.h"
#include "render/rc-draw.h"
#include "render/rc-painter.h"
#include "render/rc-text-fit.h"

#define W 1920
#define H 1080

typedef struct {
  RcSession *session;
  RcBoardLayout *layout;
  RcStyle *style;
  RcPalette palette;
} Board;

static void
board_init (Board *b, const FixtureSpec *spec)
{
  PangoContext *context = fixture_context ();

  b->session = fixture_session (spec);
  b->style = rc_style_new ();
  b->layout = rc_board_layout_new (W, H, rc_session_get_roster (b->session), b->style,
                                   context);
  b->palette = rc_session_get_chamber (b->session)->palette;
  g_object_unref (context);
}

static void
board_clear (Board *b)
{
  g_clear_object (&b->session);
  g_clear_pointer (&b->layout, rc_board_layout_unref);
  g_clear_pointer (&b->style, rc_style_free);
}

static guint32
expected_colour (RcChoice c, const RcPalette *p)
{
  switch (c)
    {
    case RC_CHOICE_YES: return p->yes;
    case RC_CHOICE_NO: return p->no;
    case RC_CHOICE_ABSTAIN: return p->abstain;
    case RC_CHOICE_HIDDEN: return p->hidden;
    case RC_CHOICE_NOT_VOTING:
    case RC_CHOICE_NO_RIGHT: return p->not_voting;
    case RC_CHOICE_PENDING:
    default: return p->pending;
    }
}

/* TRUE when box in image shows exactly text (NULL: nothing) as the painter sets it:
 * fitted to the box in font, in colour, on the palette's background. Texts that are
 * sentences (title, majority, notice) may wrap. */
static gboolean
box_shows (cairo_surface_t *image, const RcBoardLayout *layout, const RcRect *box,
           const PangoFontDescription *font, RcAlign align, gboolean may_wrap,
           const char *text, guint32 colour, guint32 background)
{
  cairo_surface_t *expected = cairo_image_surface_create (CAIRO_FORMAT_RGB24, layout->width,
                                                          layout->height);
  cairo_t *cr = cairo_create (expected);
  RcFittedText fitted = { 0 };
  gboolean same;

  rc_set_colour (cr, background);
  cairo_paint (cr);
  rc_fitted_text_update (&fitted, layout->context, text, font, box, align, may_wrap);
  rc_set_colour (cr, colour);
  rc_fitted_text_show (&fitted, cr);
  cairo_destroy (cr);
  same = fixture_same_pixels (image, expected, box);
  rc_fitted_text_clear (&fitted);
  cairo_surface_destroy (expected);
  return same;
}

static gboolean
verdict_shows (cairo_surface_t *image, const Board *b, const char *text, guint32 colour)
{
  return box_shows (image, b->layout, &b->layout->verdict, b->layout->verdict_font,
                    RC_ALIGN_START, FALSE, text, colour, b->palette.background);
}

static gboolean
count_shows (cairo_surface_t *image, const Board *b, guint slot, const char *label,
             const char *number)
{
  const RcBoardLayout *l = b->layout;

  return box_shows (image, l, &l->totals_labels[slot], l->totals_label_font, RC_ALIGN_START,
                    FALSE, label, b->palette.text, b->palette.background) &&
         box_shows (image, l, &l->totals_numbers[slot], l->totals_number_font,
                    l->arrangement == RC_BOARD_TOTALS_BESIDE ? RC_ALIGN_END : RC_ALIGN_START,
                    FALSE, number, b->palette.text, b->palette.background);
}

static const struct {
  int width, height;
} sizes[] = {
  { 1280, 720 },  { 1920, 1080 }, { 3840, 2160 }, { 7680, 4320 },
  { 2560, 1080 }, { 1024, 768 },  { 1080, 1920 },
};

/* The final state of ES-11/1 (and of S/2022/155) at every screen size: every light in
 * the colour of the member's recorded choice, and for the Assembly the lit colours
 * count 141, 5 and 35, with 12 dark. */
static void
test_final_lights (gconstpointer data)
{
  gboolean ga = GPOINTER_TO_INT (data);
  g_autoptr (GHashTable) ref = fixture_reference (ga);
  g_autoptr (RcSession) session = fixture_final (ga);
  g_autoptr (RcStyle) style = rc_style_new ();
  const RcPalette *p = &rc_session_get_chamber (session)->palette;

  /* The palettes must tell the choices apart for this test to mean anything. */
  g_assert_cmpuint (p->yes, !=, p->no);
  g_assert_cmpuint (p->yes, !=, p->abstain);
  g_assert_cmpuint (p->no, !=, p->abstain);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      PangoContext *context = fixture_context ();
      g_autoptr (RcBoardLayout) layout = rc_board_layout_new (
          sizes[s].width, sizes[s].height, rc_session_get_roster (session), style, context);
      cairo_surface_t *image = fixture_paint (session, layout, style);
      g_autofree char *name = g_strdup_printf ("%s-final-%dx%d", ga ? "es-11-1" : "s-2022-155",
                                               sizes[s].width, sizes[s].height);
      guint yes = 0, no = 0, abstain = 0, dark = 0;

      fixture_dump (image, name);
      for (guint i = 0; i < layout->n_cells; i++)
        {
          const RcMember *m = rc_roster_get_member (rc_session_get_roster (session), i);
          RcChoice c = GPOINTER_TO_INT (g_hash_table_lookup (ref, m->code));
          guint32 got = fixture_light_pixel (image, layout, i);

          if (c == RC_CHOICE_NO_RIGHT)
            {
              /* Dark, with a slash through the centre that sets it apart from absent. */
              g_assert_cmpuint (got, !=, p->not_voting);
              g_assert_cmpuint (fixture_light_fill (image, layout, i), ==, p->not_voting);
              dark++;
              continue;
            }
          if (got != expected_colour (c, p))
            g_error ("%s (%s) at %dx%d: light is #%06x, expected #%06x for %s", m->name,
                     m->code, sizes[s].width, sizes[s].height, got, expected_colour (c, p),
                     rc_choice_to_string (c));
          yes += got == p->yes;
          no += got == p->no;
          abstain += got == p->abstain;
          dark += got == p->not_voting;
        }
      g_assert_cmpuint (yes, ==, ga ? 141 : 11);
      g_assert_cmpuint (no, ==, ga ? 5 : 1);
      g_assert_cmpuint (abstain, ==, ga ? 35 : 3);
      g_assert_cmpuint (dark, ==, ga ? 12 : 0);
      cairo_surface_destroy (image);
      g_object_unref (context);
    }
}

/* Open, nobody has voted yet: no light is lit. */
static void
test_pending_unlit (void)
{
  FixtureSpec spec = { .ga = TRUE, .stage = FIXTURE_OPEN, .n_ballots = 0, .recorded = TRUE };
  cairo_surface_t *image;
  Board b;

  board_init (&b, &spec);
  image = fixture_paint (b.session, b.layout, b.style);
  fixture_dump (image, "es-11-1-pending");
  for (guint i = 0; i < b.layout->n_cells; i++)
    {
      guint32 got = fixture_light_fill (image, b.layout, i);

      g_assert_true (got == b.palette.pending || got == b.palette.not_voting);
      g_assert_cmpuint (got, !=, b.palette.yes);
      g_assert_cmpuint (got, !=, b.palette.no);
      g_assert_cmpuint (got, !=, b.palette.abstain);
      g_assert_cmpuint (got, !=, b.palette.hidden);
    }
  cairo_surface_destroy (image);
  board_clear (&b);
}

/* Another palette, by name from the data folders: the lights change colour. */
static void
test_palette_changes_pixels (void)
{
  FixtureSpec spec = { .ga = TRUE, .stage = FIXTURE_ANNOUNCED, .recorded = TRUE };
  g_autoptr (GError) error = NULL;
  cairo_surface_t *before, *after;
  guint changed = 0;
  Board b;

  board_init (&b, &spec);
  before = fixture_paint (b.session, b.layout, b.style);
  g_assert_true (rc_style_load_palette (b.style, "blue-red-white", &error));
  g_assert_no_error (error);
  g_assert_true (b.style->has_palette);
  after = fixture_paint (b.session, b.layout, b.style);
  fixture_dump (after, "es-11-1-blue-red-white");
  for (guint i = 0; i < b.layout->n_cells; i++)
    {
      RcChoice c = rc_vote_get_shown_choice (rc_session_get_vote (b.session, 0), i);
      guint32 got = fixture_light_fill (after, b.layout, i);

      g_assert_cmpuint (got, ==, expected_colour (c, &b.style->palette));
      changed += got != fixture_light_fill (before, b.layout, i);
    }
  g_assert_cmpuint (changed, >, 100);
  g_assert_cmpuint (fixture_pixel (after, 0, 0), ==, b.style->palette.background);
  cairo_surface_destroy (before);
  cairo_surface_destroy (after);
  board_clear (&b);
}

/* Unknown palettes and broken palette files are refused with a reason; the style
 * keeps its palette. */
static void
test_palette_refused (void)
{
  g_autoptr (RcStyle) style = rc_style_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = fixture_tmpdir ();
  g_autofree char *bad = g_build_filename (dir, "bad.palette", NULL);

  g_assert_false (rc_style_load_palette (style, "no-such-palette", &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "no-such-palette"));
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (bad, "[Palette]\nyes=green\n", -1, NULL));
  g_assert_false (rc_style_load_palette (style, bad, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_FILE);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_false (style->has_palette);
  fixture_rmdir (dir);
}

/* Reveal after lock: while open, a member who voted shows only "has voted". */
static void
test_reveal_after_lock (void)
{
  FixtureSpec spec = { .ga = TRUE, .stage = FIXTURE_OPEN, .n_ballots = 100,
                       .reveal = RC_REVEAL_AFTER_LOCK, .recorded = TRUE };
  cairo_surface_t *image;
  guint hidden = 0;
  Board b;

  board_init (&b, &spec);
  image = fixture_paint (b.session, b.layout, b.style);
  fixture_dump (image, "es-11-1-reveal-after-lock");
  for (guint i = 0; i < b.layout->n_cells; i++)
    {
      guint32 got = fixture_light_fill (image, b.layout, i);

      g_assert_true (got == b.palette.hidden || got == b.palette.pending ||
                     got == b.palette.not_voting);
      hidden += got == b.palette.hidden;
    }
  g_assert_cmpuint (hidden, ==, 100);
  /* No light colour of a choice anywhere in the grid. */
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->grid, b.palette.yes), ==, 0);
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->grid, b.palette.no), ==, 0);
  cairo_surface_destroy (image);
  board_clear (&b);
}

/* A vote that is not recorded publishes totals only: its ballots say only "voted",
 * its announcement carries the official totals. The board shows no member's choice,
 * only who voted, and totals, verdict and reason exactly as for the recorded vote with
 * the same totals; no mismatch mark (it has no ballots to differ from them). */
static void
test_not_recorded (void)
{
  FixtureSpec spec = { .ga = TRUE, .stage = FIXTURE_ANNOUNCED, .recorded = FALSE };
  FixtureSpec same = { .ga = TRUE, .stage = FIXTURE_ANNOUNCED, .recorded = TRUE };
  cairo_surface_t *image, *recorded;
  guint hidden = 0;
  Board b, r;

  board_init (&b, &spec);
  board_init (&r, &same);
  g_assert_cmpint (rc_vote_get_verdict (rc_session_get_vote (b.session, 0))->outcome, ==,
                   RC_OUTCOME_ADOPTED);
  image = fixture_paint (b.session, b.layout, b.style);
  recorded = fixture_paint (r.session, r.layout, r.style);
  fixture_dump (image, "es-11-1-not-recorded");
  for (guint i = 0; i < b.layout->n_cells; i++)
    {
      guint32 got = fixture_light_fill (image, b.layout, i);

      g_assert_cmpuint (got, !=, b.palette.yes);
      g_assert_cmpuint (got, !=, b.palette.no);
      g_assert_cmpuint (got, !=, b.palette.abstain);
      hidden += got == b.palette.hidden;
    }
  g_assert_cmpuint (hidden, ==, 141 + 5 + 35);
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->grid, b.palette.yes), ==, 0);
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->grid, b.palette.no), ==, 0);
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->grid, b.palette.abstain), ==, 0);

  g_assert_true (count_shows (image, &b, 0, "YES", "141"));
  g_assert_true (count_shows (image, &b, 3, "DID NOT VOTE", "12"));
  g_assert_true (verdict_shows (image, &b, "ADOPTED", b.palette.adopted));
  g_assert_true (fixture_same_pixels (image, recorded, &b.layout->totals));
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->notice, b.palette.abstain), ==, 0);
  cairo_surface_destroy (image);
  cairo_surface_destroy (recorded);
  board_clear (&b);
  board_clear (&r);
}

/* Locked, its totals not announced yet, in a vote that shows its result at the lock:
 * nothing decides the vote, so the verdict says RESULT PENDING (never NOT ADOPTED), and
 * the counts say who voted and who did not. */
static void
test_result_pending (void)
{
  FixtureSpec spec
    = { .ga = TRUE, .stage = FIXTURE_LOCKED, .recorded = FALSE, .result_shown = RC_RESULT_AT_LOCK };
  cairo_surface_t *image;
  Board b;

  board_init (&b, &spec);
  g_assert_cmpint (rc_vote_get_state (rc_session_get_vote (b.session, 0)), ==, RC_VOTE_LOCKED);
  g_assert_cmpint (rc_vote_get_verdict (rc_session_get_vote (b.session, 0))->outcome, ==,
                   RC_OUTCOME_PENDING);
  image = fixture_paint (b.session, b.layout, b.style);
  fixture_dump (image, "es-11-1-result-pending");
  g_assert_true (verdict_shows (image, &b, "RESULT PENDING", b.palette.text));
  g_assert_false (verdict_shows (image, &b, "NOT ADOPTED", b.palette.not_adopted));
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->totals, b.palette.not_adopted), ==,
                    0);
  g_assert_true (count_shows (image, &b, 0, "VOTED", "181"));
  g_assert_true (count_shows (image, &b, 1, "DID NOT VOTE", "12"));
  g_assert_true (count_shows (image, &b, 2, NULL, NULL));
  cairo_surface_destroy (image);
  board_clear (&b);
}

/* The President announces the result (issue 9: NOT ADOPTED reached the hall at the
 * lock). Locked, a recorded vote whose result is shown once announced — the default —
 * shows its lights, who voted and who did not, VOTING CLOSED and no verdict, no
 * required number (146 present and voting would tell 98); announced, its totals and
 * ADOPTED. A vote that shows its result at the lock shows them at the lock. */
static void
test_result_when_announced (void)
{
  FixtureSpec held = { .ga = TRUE, .stage = FIXTURE_LOCKED, .recorded = TRUE };
  FixtureSpec at_lock
    = { .ga = TRUE, .stage = FIXTURE_LOCKED, .recorded = TRUE, .result_shown = RC_RESULT_AT_LOCK };
  FixtureSpec announced = { .ga = TRUE, .stage = FIXTURE_ANNOUNCED, .recorded = TRUE };
  cairo_surface_t *image;
  RcVote *vote;
  Board b;

  board_init (&b, &held);
  vote = rc_session_get_vote (b.session, 0);
  g_assert_false (rc_vote_shows_result (vote));
  g_assert_cmpint (rc_vote_get_verdict (vote)->outcome, ==, RC_OUTCOME_ADOPTED); /* known */
  image = fixture_paint (b.session, b.layout, b.style);
  fixture_dump (image, "es-11-1-locked-held");
  g_assert_true (verdict_shows (image, &b, "VOTING CLOSED", b.palette.text));
  g_assert_false (verdict_shows (image, &b, "ADOPTED", b.palette.adopted));
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->totals, b.palette.adopted), ==, 0);
  g_assert_true (count_shows (image, &b, 0, "VOTED", "181"));
  g_assert_true (count_shows (image, &b, 1, "DID NOT VOTE", "12"));
  g_assert_true (count_shows (image, &b, 2, NULL, NULL));
  {
    g_autoptr (RcPainter) painter = rc_painter_new ();
    g_autofree char *majority = rc_painter_get_counts_part (painter, b.layout, b.style, b.session,
                                                            vote, RC_TOTALS_N_SLOTS, NULL);

    g_assert_cmpstr (majority, ==, "Required majority: two-thirds of present and voting");
  }
  /* the lights are the lock's: every member's choice */
  for (guint i = 0; i < b.layout->n_cells; i++)
    g_assert_cmpuint (fixture_light_fill (image, b.layout, i), ==,
                      expected_colour (rc_vote_get_shown_choice (vote, i), &b.palette));
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->grid, b.palette.yes), >, 0);
  cairo_surface_destroy (image);
  board_clear (&b);

  /* the result shown: at the lock when the vote says so, and once announced */
  for (guint k = 0; k < 2; k++)
    {
      board_init (&b, k == 0 ? &at_lock : &announced);
      g_assert_true (rc_vote_shows_result (rc_session_get_vote (b.session, 0)));
      image = fixture_paint (b.session, b.layout, b.style);
      g_assert_true (verdict_shows (image, &b, "ADOPTED", b.palette.adopted));
      g_assert_true (count_shows (image, &b, 0, "YES", "141"));
      g_assert_true (count_shows (image, &b, 3, "DID NOT VOTE", "12"));
      cairo_surface_destroy (image);
      board_clear (&b);
    }
}

/* Cancelled while open, after 100 ballots: a cancelled vote has no result, and the
 * board shows none — no member's choice lit, no count (not "DID NOT VOTE 193", which a
 * new user saw), CANCELLED and the note in their place. The same for one cancelled
 * before it opened. */
static void
test_cancelled (gconstpointer data)
{
  FixtureSpec spec = { .ga = TRUE, .stage = GPOINTER_TO_INT (data), .n_ballots = 100,
                       .reveal = RC_REVEAL_LIVE, .recorded = TRUE };
  g_autoptr (RcEvent) cancel = NULL;
  g_autoptr (GError) error = NULL;
  cairo_surface_t *image;
  RcVote *vote;
  RcTally t;
  Board b;

  board_init (&b, &spec);
  vote = rc_session_get_vote (b.session, 0);
  cancel = rc_event_new_vote_cancelled (fixture_clock (), rc_vote_get_id (vote),
                                        "Technical failure");
  g_assert_true (rc_session_apply (b.session, cancel, &error));
  g_assert_cmpint (rc_vote_get_state (vote), ==, RC_VOTE_CANCELLED);
  /* the record keeps the ballots; the hall is shown none of them */
  g_assert_cmpuint (rc_vote_get_tally (vote)->yes + rc_vote_get_tally (vote)->no
                      + rc_vote_get_tally (vote)->abstain,
                    ==, spec.stage == FIXTURE_OPEN ? 100 : 0);
  rc_vote_get_shown_tally (vote, &t);
  g_assert_cmpuint (t.yes + t.no + t.abstain + t.hidden, ==, 0);
  g_assert_cmpuint (t.not_voting, ==, t.no_right); /* Art. 19 is no vote's doing */
  g_assert_cmpuint (t.pending + t.no_right, ==, 193);

  image = fixture_paint (b.session, b.layout, b.style);
  fixture_dump (image, spec.stage == FIXTURE_OPEN ? "es-11-1-cancelled-open"
                                                  : "es-11-1-cancelled-scheduled");
  for (guint i = 0; i < b.layout->n_cells; i++)
    g_assert_cmpuint (fixture_light_fill (image, b.layout, i), ==,
                      expected_colour (rc_vote_get_shown_choice (vote, i), &b.palette));
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->grid, b.palette.yes), ==, 0);
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->grid, b.palette.no), ==, 0);
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->grid, b.palette.abstain), ==, 0);
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->grid, b.palette.hidden), ==, 0);
  g_assert_true (verdict_shows (image, &b, "CANCELLED", b.palette.dim_text));
  for (guint slot = 0; slot < RC_TOTALS_N_SLOTS; slot++)
    g_assert_true (count_shows (image, &b, slot, NULL, NULL));
  for (guint c = RC_CHOICE_HIDDEN; c <= RC_CHOICE_NOT_VOTING; c++)
    g_assert_cmpuint (fixture_count_colour (image, &b.layout->totals,
                                            expected_colour (c, &b.palette)),
                      ==, 0);
  cairo_surface_destroy (image);
  board_clear (&b);
}

/* Ballot by ballot, each repainted as a window does — its cell and the counts, on the
 * frame painted so far: all the counts (rc_painter_paint_counts) after odd ballots,
 * only the parts whose text changed (rc_painter_paint_counts_part) after even ones —
 * the frame is pixel for pixel what a full repaint draws, and
 * at the end what a new painter draws. With
 * reveal after lock the first ballot turns the counts into VOTED / NOT YET VOTED
 * without a change of state: the painter must repaint the whole totals then. */
static void
test_incremental_repaint (gconstpointer data)
{
  RcReveal reveal = GPOINTER_TO_INT (data);
  FixtureSpec spec = { .ga = TRUE, .stage = FIXTURE_OPEN, .n_ballots = 0, .reveal = reveal,
                       .recorded = TRUE };
  g_autoptr (GHashTable) ref = fixture_reference (TRUE);
  g_autoptr (RcPainter) painter = rc_painter_new ();
  g_autoptr (RcPainter) full_painter = rc_painter_new ();
  cairo_surface_t *screen = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cairo_surface_t *full = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cairo_t *cr = cairo_create (screen), *full_cr = cairo_create (full);
  RcVote *vote;
  guint ballots = 0, whole_totals = 0;
  char *texts[RC_COUNTS_N_PARTS];
  Board b;

  board_init (&b, &spec);
  vote = rc_session_get_vote (b.session, 0);
  rc_painter_paint_board (painter, cr, b.layout, b.style, b.session, vote, 0);
  for (guint p = 0; p < RC_COUNTS_N_PARTS; p++)
    texts[p] = rc_painter_get_counts_part (painter, b.layout, b.style, b.session, vote, p, NULL);
  for (guint i = 0; i < b.layout->n_cells; i++)
    {
      const char *code = rc_roster_get_member (rc_session_get_roster (b.session), i)->code;
      RcChoice c = GPOINTER_TO_INT (g_hash_table_lookup (ref, code));
      g_autoptr (GError) error = NULL;
      g_autoptr (RcEvent) ballot = NULL;

      if (!rc_choice_is_cast (c) && c != RC_CHOICE_NO_RIGHT)
        continue;
      ballot = rc_event_new_ballot (rc_session_get_last_time (b.session) + 1000,
                                    rc_vote_get_id (vote), code, c);
      g_assert_true (rc_session_apply (b.session, ballot, &error));
      g_assert_no_error (error);

      rc_painter_paint_cell (painter, cr, b.layout, b.style, b.session, vote, i);
      if (rc_painter_counts_need_totals (painter, b.layout, b.style, b.session, vote))
        {
          whole_totals++;
          rc_painter_paint_counts (painter, cr, b.layout, b.style, b.session, vote);
        }
      else if (ballots % 2 == 1)
        rc_painter_paint_counts (painter, cr, b.layout, b.style, b.session, vote);
      else
        {
          guint parts = 0;

          for (guint p = 0; p < RC_COUNTS_N_PARTS; p++)
            {
              RcRect rect;
              g_autofree char *text =
                rc_painter_get_counts_part (painter, b.layout, b.style, b.session, vote, p, &rect);

              if (g_strcmp0 (text, texts[p]) == 0)
                continue;
              rc_painter_paint_counts_part (painter, cr, b.layout, b.style, b.session, vote, p);
              parts++;
            }
          /* A number up, one down, the majority line perhaps. */
          g_assert_cmpuint (parts, >=, 1);
          g_assert_cmpuint (parts, <=, 3);
        }
      for (guint p = 0; p < RC_COUNTS_N_PARTS; p++)
        {
          g_free (texts[p]);
          texts[p] =
            rc_painter_get_counts_part (painter, b.layout, b.style, b.session, vote, p, NULL);
        }
      g_assert_false (rc_painter_counts_need_totals (painter, b.layout, b.style, b.session,
                                                     vote));

      rc_painter_paint_board (full_painter, full_cr, b.layout, b.style, b.session, vote, 0);
      if (!fixture_same_pixels (screen, full, &b.layout->frame))
        {
          fixture_dump (screen, "incremental");
          fixture_dump (full, "full");
          g_error ("after %s's ballot (%s), the repainted frame differs from a full repaint",
                   code, rc_choice_to_string (c));
        }
      ballots++;
    }
  g_assert_cmpuint (ballots, ==, 182);
  for (guint p = 0; p < RC_COUNTS_N_PARTS; p++)
    g_free (texts[p]);
  /* After lock: once, at the first "voted"; live: never. */
  g_assert_cmpuint (whole_totals, ==, reveal == RC_REVEAL_AFTER_LOCK ? 1 : 0);

  /* Both painters kept their image of the grid up to date light by light: a painter
   * that starts afresh draws the very same frame. */
  {
    g_autoptr (RcPainter) fresh = rc_painter_new ();
    cairo_t *fresh_cr = cairo_create (full);

    rc_painter_paint_board (fresh, fresh_cr, b.layout, b.style, b.session, vote, 0);
    cairo_destroy (fresh_cr);
    g_assert_true (fixture_same_pixels (screen, full, &b.layout->frame));
  }
  cairo_destroy (cr);
  cairo_destroy (full_cr);
  cairo_surface_destroy (screen);
  cairo_surface_destroy (full);
  board_clear (&b);
}

/* Texts a source left out or sent empty are not shown: no " · GENERAL ASSEMBLY", no
 * "(null)", no separator before the date, no symbol line. */
static void
test_missing_texts (gconstpointer data)
{
  const char *missing = data;
  cairo_surface_t *image;
  Board b = { 0 };
  PangoContext *context = fixture_context ();

  b.session = fixture_bare_session (missing);
  b.style = rc_style_new ();
  b.layout = rc_board_layout_new (W, H, rc_session_get_roster (b.session), b.style, context);
  b.palette = rc_session_get_chamber (b.session)->palette;
  g_object_unref (context);

  image = fixture_paint (b.session, b.layout, b.style);
  fixture_dump (image, missing == NULL ? "missing-null" : "missing-empty");
  g_assert_true (box_shows (image, b.layout, &b.layout->header_body, b.layout->body_font,
                            RC_ALIGN_START, FALSE, "GENERAL ASSEMBLY", b.palette.dim_text,
                            b.palette.background));
  g_assert_false (box_shows (image, b.layout, &b.layout->header_body, b.layout->body_font,
                             RC_ALIGN_START, FALSE, " · GENERAL ASSEMBLY", b.palette.dim_text,
                             b.palette.background));
  g_assert_true (box_shows (image, b.layout, &b.layout->header_meeting, b.layout->body_font,
                            RC_ALIGN_END, FALSE, "2 March 2022", b.palette.dim_text,
                            b.palette.background));
  g_assert_true (box_shows (image, b.layout, &b.layout->header_symbol, b.layout->symbol_font,
                            RC_ALIGN_START, FALSE, NULL, b.palette.text, b.palette.background));
  g_assert_true (box_shows (image, b.layout, &b.layout->header_title, b.layout->title_font,
                            RC_ALIGN_START, TRUE, "Aggression against Ukraine", b.palette.text,
                            b.palette.background));
  cairo_surface_destroy (image);
  board_clear (&b);
}

/* One ballot: rc_painter_paint_cell changes pixels only inside that member's cell,
 * and the cell then looks exactly as a full repaint of the new state draws it. */
static void
test_cell_repaint (void)
{
  FixtureSpec spec = { .ga = TRUE, .stage = FIXTURE_OPEN, .n_ballots = 60, .recorded = TRUE };
  g_autoptr (RcPainter) painter = rc_painter_new ();
  g_autoptr (RcEvent) ballot = NULL;
  g_autoptr (GError) error = NULL;
  cairo_surface_t *before, *after, *full;
  const RcBoardCell *cell;
  RcVote *vote;
  cairo_t *cr;
  int index, changed = 0;
  Board b;

  board_init (&b, &spec);
  vote = rc_session_get_vote (b.session, 0);
  index = rc_roster_find (rc_session_get_roster (b.session), "UKR");
  g_assert_cmpint (index, >=, 0);
  g_assert_cmpint (rc_vote_get_shown_choice (vote, index), ==, RC_CHOICE_PENDING);
  before = fixture_paint (b.session, b.layout, b.style);

  ballot = rc_event_new_ballot (rc_session_get_last_time (b.session) + 1, rc_vote_get_id (vote),
                                "UKR", RC_CHOICE_YES);
  g_assert_true (rc_session_apply (b.session, ballot, &error));
  g_assert_no_error (error);

  /* A copy of the old frame, then the one cell repainted on it. */
  after = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cr = cairo_create (after);
  cairo_set_source_surface (cr, before, 0, 0);
  cairo_paint (cr);
  rc_painter_paint_cell (painter, cr, b.layout, b.style, b.session, vote, (guint) index);
  cairo_destroy (cr);
  full = fixture_paint (b.session, b.layout, b.style);

  cell = &b.layout->cells[index];
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        gboolean inside = x >= cell->frame.x && x < cell->frame.x + cell->frame.width &&
                          y >= cell->frame.y && y < cell->frame.y + cell->frame.height;
        guint32 old = fixture_pixel (before, x, y), now = fixture_pixel (after, x, y);

        if (!inside && old != now)
          g_error ("paint_cell changed pixel (%d,%d) outside cell %d", x, y, index);
        if (inside)
          {
            changed += old != now;
            g_assert_cmpuint (now, ==, fixture_pixel (full, x, y));
          }
      }
  g_assert_cmpint (changed, >, 0);
  g_assert_cmpuint (fixture_light_pixel (after, b.layout, index), ==, b.palette.yes);
  cairo_surface_destroy (before);
  cairo_surface_destroy (after);
  cairo_surface_destroy (full);
  board_clear (&b);
}

/* Colour-blind-safe glyphs: drawn inside the lit lights, nowhere else in the grid. */
static void
test_glyphs (void)
{
  FixtureSpec spec = { .ga = TRUE, .stage = FIXTURE_ANNOUNCED, .recorded = TRUE };
  cairo_surface_t *plain, *marked;
  Board b;

  board_init (&b, &spec);
  plain = fixture_paint (b.session, b.layout, b.style);
  b.style->glyphs = TRUE;
  marked = fixture_paint (b.session, b.layout, b.style);
  fixture_dump (marked, "es-11-1-glyphs");
  for (guint i = 0; i < b.layout->n_cells; i++)
    {
      const RcBoardCell *c = &b.layout->cells[i];
      RcChoice choice = rc_vote_get_shown_choice (rc_session_get_vote (b.session, 0), i);
      guint diff_light = 0, diff_elsewhere = 0;

      for (int y = (int) c->frame.y; y < c->frame.y + c->frame.height; y++)
        for (int x = (int) c->frame.x; x < c->frame.x + c->frame.width; x++)
          {
            gboolean in_light = x >= c->light.x && x < c->light.x + c->light.width &&
                                y >= c->light.y && y < c->light.y + c->light.height;
            gboolean d = fixture_pixel (plain, x, y) != fixture_pixel (marked, x, y);

            diff_light += in_light && d;
            diff_elsewhere += !in_light && d;
          }
      g_assert_cmpuint (diff_elsewhere, ==, 0);
      if (rc_choice_is_cast (choice))
        g_assert_cmpuint (diff_light, >, 0);
      else
        g_assert_cmpuint (diff_light, ==, 0);
    }

  /* Turned on and off again on a painter that keeps the lights it drew: each grid
   * what a new painter draws in that style. */
  {
    g_autoptr (RcPainter) painter = rc_painter_new ();
    cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create (image);
    RcVote *vote = rc_session_get_vote (b.session, 0);

    for (int pass = 0; pass < 3; pass++)
      {
        b.style->glyphs = pass == 1;
        rc_painter_paint_grid (painter, cr, b.layout, b.style, b.session, vote);
        g_assert_true (fixture_same_pixels (image, pass == 1 ? marked : plain,
                                            &b.layout->grid));
      }
    cairo_destroy (cr);
    cairo_surface_destroy (image);
  }
  cairo_surface_destroy (plain);
  cairo_surface_destroy (marked);
  board_clear (&b);
}

/* Official totals that differ from the ballots show a mark in the warning colour, but
 * not on a hall's screen. */
static void
test_mismatch_mark (void)
{
  FixtureSpec good = { .ga = TRUE, .stage = FIXTURE_ANNOUNCED, .recorded = TRUE };
  FixtureSpec bad = { .ga = TRUE, .stage = FIXTURE_ANNOUNCED, .recorded = TRUE,
                      .wrong_official = TRUE };
  cairo_surface_t *a, *c;
  Board b1, b2;

  board_init (&b1, &good);
  board_init (&b2, &bad);
  g_assert_false (rc_vote_has_mismatch (rc_session_get_vote (b1.session, 0)));
  g_assert_true (rc_vote_has_mismatch (rc_session_get_vote (b2.session, 0)));
  a = fixture_paint (b1.session, b1.layout, b1.style);
  c = fixture_paint (b2.session, b2.layout, b2.style);
  fixture_dump (c, "es-11-1-mismatch");
  g_assert_cmpuint (fixture_count_colour (a, &b1.layout->totals, b1.palette.abstain), <,
                    fixture_count_colour (c, &b2.layout->totals, b2.palette.abstain) / 2);
  g_assert_cmpuint (fixture_count_colour (c, &b2.layout->notice, b2.palette.abstain), >,
                    (guint) (b2.layout->notice.width * b2.layout->notice.height / 20));
  g_assert_cmpuint (fixture_count_colour (a, &b1.layout->notice, b1.palette.abstain), ==, 0);

  /* A hall's screen leaves the mark to the operator's desk: the same board as with the
   * right totals. */
  cairo_surface_destroy (c);
  b2.style->hall = TRUE;
  c = fixture_paint (b2.session, b2.layout, b2.style);
  g_assert_cmpuint (fixture_count_colour (c, &b2.layout->notice, b2.palette.abstain), ==, 0);
  g_assert_cmpuint (fixture_count_colour (a, &b1.layout->totals, b1.palette.abstain), ==,
                    fixture_count_colour (c, &b2.layout->totals, b2.palette.abstain));
  cairo_surface_destroy (a);
  cairo_surface_destroy (c);
  board_clear (&b1);
  board_clear (&b2);
}

/* The stale mark: a badge in the header when the feed fell silent, none otherwise. */
static void
test_stale_badge (void)
{
  FixtureSpec spec = { .ga = TRUE, .stage = FIXTURE_OPEN, .n_ballots = 20, .recorded = TRUE };
  cairo_surface_t *fresh, *stale;
  Board b;

  board_init (&b, &spec);
  fresh = fixture_paint (b.session, b.layout, b.style);
  b.style->stale = TRUE;
  stale = fixture_paint (b.session, b.layout, b.style);
  fixture_dump (stale, "es-11-1-stale");
  g_assert_cmpuint (fixture_count_colour (fresh, &b.layout->header_badge, b.palette.abstain),
                    ==, 0);
  g_assert_cmpuint (fixture_count_colour (stale, &b.layout->header_badge, b.palette.abstain),
                    >, 50);
  cairo_surface_destroy (fresh);
  cairo_surface_destroy (stale);
  board_clear (&b);
}

/* The Council's draft: not adopted, the verdict in the not-adopted colour. */
static void
test_council_veto (void)
{
  FixtureSpec spec = { .ga = FALSE, .stage = FIXTURE_ANNOUNCED, .recorded = TRUE };
  g_autoptr (GHashTable) ref = fixture_reference (FALSE);
  cairo_surface_t *image;
  Board b;

  board_init (&b, &spec);
  image = fixture_paint (b.session, b.layout, b.style);
  fixture_dump (image, "s-2022-155-final");
  g_assert_cmpint (rc_vote_get_verdict (rc_session_get_vote (b.session, 0))->reason, ==,
                   RC_REASON_VETO);
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->verdict, b.palette.not_adopted),
                    >, 200);
  g_assert_cmpuint (fixture_count_colour (image, &b.layout->verdict, b.palette.adopted), ==,
                    b.palette.adopted == b.palette.not_adopted ? 1 : 0);
  for (guint i = 0; i < b.layout->n_cells; i++)
    {
      const RcMember *m = rc_roster_get_member (rc_session_get_roster (b.session), i);
      RcChoice c = GPOINTER_TO_INT (g_hash_table_lookup (ref, m->code));

      g_assert_cmpuint (fixture_light_pixel (image, b.layout, i), ==,
                        expected_colour (c, &b.palette));
    }
  cairo_surface_destroy (image);
  board_clear (&b);
}

/* No vote: the holding slide shows the names and no lights. */
static void
test_holding (void)
{
  FixtureSpec spec = { .ga = TRUE, .stage = FIXTURE_SCHEDULED, .recorded = TRUE };
  g_autoptr (RcPainter) painter = rc_painter_new ();
  cairo_surface_t *image;
  cairo_t *cr;
  Board b;

  board_init (&b, &spec);
  image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cr = cairo_create (image);
  rc_painter_paint_board (painter, cr, b.layout, b.style, b.session, NULL, 0);
  cairo_destroy (cr);
  fixture_dump (image, "holding");
  for (guint i = 0; i < b.layout->n_cells; i++)
    g_assert_cmpuint (fixture_light_pixel (image, b.layout, i), ==, b.palette.cell);
  g_assert_true (box_shows (image, b.layout, &b.layout->notice, b.layout->notice_font,
                            RC_ALIGN_START, TRUE, NULL, b.palette.text, b.palette.background));
  cairo_surface_destroy (image);

  /* with the operator's line, where a verdict's reason goes */
  {
    g_autoptr (RcEvent) holding
      = rc_event_new_on_air_holding (fixture_clock (), "The meeting resumes at 15:00");

    g_assert_true (rc_session_apply (b.session, holding, NULL));
  }
  image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cr = cairo_create (image);
  rc_painter_paint_board (painter, cr, b.layout, b.style, b.session, NULL, 0);
  cairo_destroy (cr);
  fixture_dump (image, "holding-text");
  g_assert_true (box_shows (image, b.layout, &b.layout->notice, b.layout->notice_font,
                            RC_ALIGN_START, TRUE, "The meeting resumes at 15:00", b.palette.text,
                            b.palette.background));
  cairo_surface_destroy (image);
  board_clear (&b);
}

/* A sentence of a bilingual board is a line per language: each line aligns to the
 * same side whatever its direction (Pango would swap the Arabic line's alignment). */
static void
test_bilingual_lines_align (void)
{
  g_autoptr (RcSession) session = fixture_final (TRUE);
  g_autoptr (RcStyle) style = rc_style_new ();
  PangoContext *context = fixture_context ();
  g_autoptr (RcBoardLayout) l
    = rc_board_layout_new (1920, 1080, rc_session_get_roster (session), style, context);
  const char *text = "Required majority: 98 (two-thirds of present and voting)\n"
                     "الأغلبية المطلوبة: 98 (ثلثا الأعضاء الحاضرين المصوتين)";
  const RcAlign aligns[] = { RC_ALIGN_START, RC_ALIGN_END };

  g_object_unref (context);
  for (guint a = 0; a < G_N_ELEMENTS (aligns); a++)
    {
      RcFittedText fitted = { 0 };
      PangoLayoutIter *iter;
      int edges[2], n = 0;

      rc_fitted_text_update (&fitted, l->context, text, l->majority_font, &l->majority, aligns[a],
                             TRUE);
      g_assert_nonnull (fitted.layout);
      g_assert_cmpint (pango_layout_get_line_count (fitted.layout), ==, 2);
      iter = pango_layout_get_iter (fitted.layout);
      do
        {
          PangoRectangle logical;

          pango_layout_iter_get_line_extents (iter, NULL, &logical);
          g_assert_cmpint (n, <, 2);
          edges[n++] = aligns[a] == RC_ALIGN_START ? logical.x : logical.x + logical.width;
        }
      while (pango_layout_iter_next_line (iter));
      pango_layout_iter_free (iter);
      g_assert_cmpint (n, ==, 2);
      g_assert_cmpint (ABS (edges[0] - edges[1]), <=, PANGO_SCALE);
      rc_fitted_text_clear (&fitted);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/render/painter/final-lights/general-assembly",
                        GINT_TO_POINTER (TRUE), test_final_lights);
  g_test_add_data_func ("/render/painter/final-lights/security-council",
                        GINT_TO_POINTER (FALSE), test_final_lights);
  g_test_add_func ("/render/painter/pending-unlit", test_pending_unlit);
  g_test_add_func ("/render/painter/palette", test_palette_changes_pixels);
  g_test_add_func ("/render/painter/palette-refused", test_palette_refused);
  g_test_add_func ("/render/painter/bilingual-lines-align", test_bilingual_lines_align);
  g_test_add_func ("/render/painter/reveal-after-lock", test_reveal_after_lock);
  g_test_add_func ("/render/painter/not-recorded", test_not_recorded);
  g_test_add_func ("/render/painter/result-pending", test_result_pending);
  g_test_add_func ("/render/painter/result-when-announced", test_result_when_announced);
  g_test_add_data_func ("/render/painter/cancelled/open", GINT_TO_POINTER (FIXTURE_OPEN),
                        test_cancelled);
  g_test_add_data_func ("/render/painter/cancelled/scheduled",
                        GINT_TO_POINTER (FIXTURE_SCHEDULED), test_cancelled);
  g_test_add_data_func ("/render/painter/incremental-repaint/live",
                        GINT_TO_POINTER (RC_REVEAL_LIVE), test_incremental_repaint);
  g_test_add_data_func ("/render/painter/incremental-repaint/after-lock",
                        GINT_TO_POINTER (RC_REVEAL_AFTER_LOCK), test_incremental_repaint);
  g_test_add_data_func ("/render/painter/missing-texts/null", NULL, test_missing_texts);
  g_test_add_data_func ("/render/painter/missing-texts/empty", "", test_missing_texts);
  g_test_add_func ("/render/painter/cell-repaint", test_cell_repaint);
  g_test_add_func ("/render/painter/glyphs", test_glyphs);
  g_test_add_func ("/render/painter/mismatch", test_mismatch_mark);
  g_test_add_func ("/render/painter/stale", test_stale_badge);
  g_test_add_func ("/render/painter/council-veto", test_council_veto);
  g_test_add_func ("/render/painter/holding", test_holding);
  return g_test_run ();
}
