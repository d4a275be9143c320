/* rc-painter-totals.c — the totals region: the counts, the required majority, the
 * verdict and its reason, and the mark that official totals differ from the ballots.
 *
 * What the counts say depends on what may be known: while choices are hidden only
 * "Voted" and "Not yet voted" (after the lock "Did not vote") can be shown; while
 * choices are shown live the fourth count is "Not yet voted"; after the lock it is
 * "Did not vote". A vote that is not recorded shows its announced totals, which the
 * model makes its tally; it has no ballots of its own to differ from them. A cancelled
 * vote shows no count: it has no result. A locked vote whose result waits for its
 * announcement (rc_vote_shows_result) shows "Voted" and "Did not vote" only. */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/rc-rules.h"
#include "rc-light.h"
#include "rc-painter-private.h"

typedef struct {
  const char *label;
  guint count;
  RcChoice swatch;
} Count;

/* Fills counts[] for the vote's state; returns how many slots are used. */
static guint
get_counts (const RcStyle *style, RcVote *vote, Count counts[RC_TOTALS_N_SLOTS])
{
  RcTally t;
  RcVoteState state = rc_vote_get_state (vote);
  gboolean open = state == RC_VOTE_SCHEDULED || state == RC_VOTE_OPEN;

  /* A cancelled vote has no result, and no count that could be read as one. */
  if (state == RC_VOTE_CANCELLED)
    return 0;
  rc_vote_get_shown_tally (vote, &t);
  /* Choices kept until the lock, or a result not announced yet: who voted, not how. */
  if (t.hidden > 0 || (state == RC_VOTE_LOCKED && !rc_vote_shows_result (vote)))
    {
      counts[0] = (Count){ B_ ("VOTED"), t.hidden + t.yes + t.no + t.abstain, RC_CHOICE_HIDDEN };
      if (open)
        counts[1] = (Count){ B_ ("NOT YET VOTED"), t.pending, RC_CHOICE_PENDING };
      else
        counts[1] = (Count){ B_ ("DID NOT VOTE"), t.not_voting + t.pending, RC_CHOICE_NOT_VOTING };
      return 2;
    }
  counts[0] = (Count){ B_ ("YES"), t.yes, RC_CHOICE_YES };
  counts[1] = (Count){ B_ ("NO"), t.no, RC_CHOICE_NO };
  counts[2] = (Count){ B_ ("ABSTENTIONS"), t.abstain, RC_CHOICE_ABSTAIN };
  if (open)
    counts[3] = (Count){ B_ ("NOT YET VOTED"), t.pending, RC_CHOICE_PENDING };
  else
    counts[3] = (Count){ B_ ("DID NOT VOTE"), t.not_voting + t.pending, RC_CHOICE_NOT_VOTING };
  return 4;
}

static char *
majority_text (const RcStyle *style, RcSession *session, RcVote *vote)
{
  const RcVoteInfo *info = rc_vote_get_info (vote);
  const RcChamberInfo *chamber = session != NULL ? rc_session_get_chamber (session) : NULL;
  const RcVerdict *verdict = rc_vote_get_verdict (vote);
  guint required = 0;
  RcTally t;

  /* A number only where the present and voting are known, and may be shown (a locked
   * vote's number would tell its result before the announcement). */
  rc_vote_get_shown_tally (vote, &t);
  if (rc_vote_get_state (vote) == RC_VOTE_LOCKED && !rc_vote_shows_result (vote))
    required = 0;
  else if (verdict->outcome != RC_OUTCOME_PENDING)
    required = verdict->required;
  else if (t.hidden == 0 && chamber != NULL)
    required = rc_rules_required (info->majority, &chamber->rules, &t);

  switch (info->majority)
    {
    case RC_MAJORITY_COUNCIL:
      return rc_board_printf_lines (style, "Required: %u in favour, no permanent member against",
                                    chamber != NULL ? chamber->rules.council_affirmative
                                                    : required);
    case RC_MAJORITY_PROCEDURAL:
      return rc_board_printf_lines (style, "Required: %u in favour (procedural vote: no veto)",
                                    chamber != NULL ? chamber->rules.council_affirmative
                                                    : required);
    case RC_MAJORITY_ABSOLUTE:
      return rc_board_printf_lines (
        style, "Required majority: %u (absolute majority of all members)",
        rc_vote_get_roster (vote) != NULL ? rc_roster_get_size (rc_vote_get_roster (vote)) / 2 + 1
                                          : required);
    case RC_MAJORITY_UNKNOWN:
      return rc_board_printf_lines (style, "Required majority: not stated in the record");
    case RC_MAJORITY_TWO_THIRDS:
      if (required > 0)
        return rc_board_printf_lines (
          style, "Required majority: %u (two-thirds of present and voting)", required);
      return rc_board_printf_lines (style, "Required majority: two-thirds of present and voting");
    case RC_MAJORITY_SIMPLE:
    default:
      if (required > 0)
        return rc_board_printf_lines (style,
                                      "Required majority: %u (simple majority of present and "
                                      "voting)",
                                      required);
      return rc_board_printf_lines (style,
                                    "Required majority: simple majority of present and voting");
    }
}

static void
verdict_text (const RcStyle *style, const RcRoster *shown, RcVote *vote, const RcPalette *p,
              const char **text, guint32 *colour, char **notice)
{
  const RcVerdict *v = rc_vote_get_verdict (vote);
  const char *note = rc_vote_get_note (vote);

  *notice = NULL;
  switch (rc_vote_get_state (vote))
    {
    case RC_VOTE_SCHEDULED:
      *text = B_ ("NOT YET OPEN"), *colour = p->dim_text;
      return;
    case RC_VOTE_OPEN:
      *text = B_ ("VOTING OPEN"), *colour = p->hidden;
      return;
    case RC_VOTE_CANCELLED:
      *text = B_ ("CANCELLED"), *colour = p->dim_text;
      *notice = g_strdup (note);
      return;
    case RC_VOTE_LOCKED:
      /* the result waits for the President's announcement */
      if (!rc_vote_shows_result (vote))
        {
          *text = B_ ("VOTING CLOSED"), *colour = p->text;
          *notice = g_strdup (B_ ("The result will be announced"));
          return;
        }
      break;
    case RC_VOTE_ANNOUNCED:
    default:
      break;
    }

  rc_painter_outcome_text (style, v, p, text, colour);
  if (v->outcome == RC_OUTCOME_PENDING)
    return;

  if (v->reason == RC_REASON_VETO && v->veto_member >= 0)
    *notice = rc_board_printf (style, "Vetoed by %s",
                               rc_roster_get_member (shown, (guint) v->veto_member)->label);
  else if (v->reason == RC_REASON_NO_VOTES_CAST)
    *notice = g_strdup (B_ ("No votes cast"));
  else if (v->reason == RC_REASON_TIE)
    *notice = rc_board_printf (style, "Tie · %u present and voting", v->present_and_voting);
  else if (v->reason == RC_REASON_AS_RECORDED)
    *notice = rc_board_printf (style, "As recorded; the rule is not stated · %u present and voting",
                               v->present_and_voting);
  else if (v->reason == RC_REASON_RULE_UNKNOWN)
    *notice = rc_board_printf (style,
                               "The record states neither the rule nor the result · %u "
                               "present and voting",
                               v->present_and_voting);
  else if (v->reason == RC_REASON_MAJORITY_MISSED)
    *notice = rc_board_printf (style, "Required majority not reached · %u present and voting",
                               v->present_and_voting);
  else
    *notice = rc_board_printf (style, "%u present and voting", v->present_and_voting);

  if (rc_vote_is_corrected (vote) && note != NULL)
    {
      /* The notice is already in each of the board's languages: the correction is
       * added in each, not the notice translated again. */
      g_autofree char *corrected = rc_board_printf (style, "Corrected: %s", note);
      char *both = g_strdup_printf ("%s · %s", *notice, corrected);

      g_free (*notice);
      *notice = both;
    }
}

static void
paint_holding (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout, const RcStyle *style,
               RcSession *session, const RcPalette *p)
{
  const RcChamberInfo *chamber = session != NULL ? rc_session_get_chamber (session) : NULL;
  const RcSessionInfo *info = session != NULL ? rc_session_get_info (session) : NULL;

  /* The chamber's name in the board's language (the UN's organs'; others as written). */
  rc_painter_show_text (self, cr, layout, TEXT_VERDICT,
                        chamber != NULL && rc_nonempty (chamber->name) ? B_ (chamber->name) : NULL,
                        layout->verdict_font, &layout->verdict, RC_ALIGN_START, p->text);
  /* the operator's line ("The meeting resumes at 15:00"), where a verdict's reason goes */
  rc_painter_show_text (self, cr, layout, TEXT_NOTICE,
                        session != NULL ? rc_session_get_on_air_text (session) : NULL,
                        layout->notice_font, &layout->notice, RC_ALIGN_START, p->text);
  rc_painter_show_text (self, cr, layout, TEXT_MAJORITY, info != NULL ? info->title : NULL,
                        layout->majority_font, &layout->majority, RC_ALIGN_START,
                        p->dim_text);
}

/* Official totals that differ from the ballots. A vote that is not recorded has no
 * ballots to compare: its announced totals are its tally. The mark is the operators'
 * (the brief: "operators see the mismatch"): a hall's screen (style->hall) leaves it to
 * the desk's alarms. */
static gboolean
shows_mismatch (const RcStyle *style, RcVote *vote)
{
  return (style == NULL || !style->hall) && rc_vote_get_info (vote)->recorded
         && rc_vote_get_official (vote) != NULL && rc_vote_has_mismatch (vote);
}

/* The text of a part a ballot changes (RcCountsPart), NULL for an unused slot; and,
 * in *dim, whether it is set in the dim colour. */
static char *
counts_part_text (const RcBoardLayout *layout, const RcStyle *style, RcSession *session,
                  RcVote *vote, const RcPalette *p, guint part, gboolean *dim)
{
  *dim = FALSE;
  if (part < RC_TOTALS_N_SLOTS)
    {
      Count counts[RC_TOTALS_N_SLOTS];

      return part < get_counts (style, vote, counts) ? g_strdup_printf ("%u", counts[part].count)
                                                     : NULL;
    }
  if (shows_mismatch (style, vote))
    {
      /* The mismatch mark takes the reason's line (below); the reason takes this one. */
      const char *verdict;
      guint32 colour;
      char *notice = NULL;

      verdict_text (style, layout->roster, vote, p, &verdict, &colour, &notice);
      return notice;
    }
  *dim = TRUE;
  return majority_text (style, session, vote);
}

static const RcRect *
counts_part_rect (const RcBoardLayout *layout, guint part)
{
  return part < RC_TOTALS_N_SLOTS ? &layout->totals_numbers[part] : &layout->majority;
}

/* One part a ballot changes. clear: lay its rectangle's background first. */
static void
paint_counts_part (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout, const RcStyle *style,
                   RcSession *session, RcVote *vote, const RcPalette *p, guint part, gboolean clear)
{
  const RcRect *rect = counts_part_rect (layout, part);
  gboolean dim;
  g_autofree char *text = counts_part_text (layout, style, session, vote, p, part, &dim);

  if (clear)
    rc_painter_begin_region (cr, rect, p->background);
  if (part < RC_TOTALS_N_SLOTS)
    rc_painter_show_text (self, cr, layout, TEXT_SLOT_NUMBER + part, text,
                          layout->totals_number_font, rect,
                          layout->arrangement == RC_BOARD_TOTALS_BESIDE ? RC_ALIGN_END
                                                                        : RC_ALIGN_START,
                          p->text);
  else
    rc_painter_show_text (self, cr, layout, TEXT_MAJORITY, text, layout->majority_font, rect,
                          RC_ALIGN_START, dim ? p->dim_text : p->text);
  if (clear)
    cairo_restore (cr);
}

/* The parts a ballot changes: the numbers and the required majority (or the mark
 * that official totals differ). clear: lay each rectangle's background first. */
static void
paint_counts (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout, const RcStyle *style,
              RcSession *session, RcVote *vote, const RcPalette *p, gboolean clear)
{
  for (guint part = 0; part < RC_COUNTS_N_PARTS; part++)
    paint_counts_part (self, cr, layout, style, session, vote, p, part, clear);
}

typedef struct {
  RcSession *session;
  RcVote *vote;
  gboolean glyphs;
  const RcStyle *style;
  Count counts[RC_TOTALS_N_SLOTS];
  guint used;
  const char *verdict;
  guint32 verdict_colour;
  char *notice;
  char *mismatch; /* the mark, when official totals differ */
  char *majority;
} TotalsTexts;

static void
get_totals_texts (TotalsTexts *t, const RcBoardLayout *layout, const RcStyle *style,
                  RcSession *session, RcVote *vote, const RcPalette *p)
{
  const RcTally *official = rc_vote_get_official (vote);

  *t = (TotalsTexts){ .session = session, .vote = vote };
  t->glyphs = style != NULL && style->glyphs;
  t->style = style;
  t->used = get_counts (style, vote, t->counts);
  verdict_text (style, layout->roster, vote, p, &t->verdict, &t->verdict_colour, &t->notice);
  if (shows_mismatch (style, vote))
    t->mismatch = rc_board_printf (style, "OFFICIAL TOTALS DIFFER: %u–%u–%u–%u", official->yes,
                                   official->no, official->abstain, official->not_voting);
  else
    t->majority = majority_text (style, session, vote);
}

static void
totals_texts_clear (TotalsTexts *t)
{
  g_free (t->notice);
  g_free (t->mismatch);
  g_free (t->majority);
}

/* Everything the totals show but the numbers and the majority line: what a ballot
 * does not change, unless it changes what the counts are (the first ballot of a vote
 * with hidden choices turns YES/NO/ABSTENTIONS into VOTED). */
static char *
totals_frame_key (const TotalsTexts *t, const RcPalette *p)
{
  g_autofree char *colours = rc_palette_key (p);
  GString *key = g_string_new (colours);

  g_string_append_printf (key, "|%d|%u", t->glyphs, t->used);
  for (guint i = 0; i < t->used; i++)
    g_string_append_printf (key, "|%s|%d", t->counts[i].label, t->counts[i].swatch);
  g_string_append_printf (key, "|%s|%06x|%s|%s", t->verdict, t->verdict_colour,
                          t->notice ? t->notice : "", t->mismatch ? t->mismatch : "");
  return g_string_free (key, FALSE);
}

static char *
totals_key (const char *frame, const TotalsTexts *t)
{
  GString *key = g_string_new (frame);

  for (guint i = 0; i < t->used; i++)
    g_string_append_printf (key, "|%u", t->counts[i].count);
  g_string_append_printf (key, "|%s", t->majority ? t->majority : "");
  return g_string_free (key, FALSE);
}

static void
draw_totals (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout, gconstpointer data,
             const RcPalette *p)
{
  const TotalsTexts *t = data;

  for (guint i = 0; i < t->used; i++)
    {
      const RcRect *sw = &layout->totals_swatches[i];

      rc_light_paint (cr, sw, t->counts[i].swatch, t->glyphs, p);
      if (t->counts[i].swatch == RC_CHOICE_NOT_VOTING)
        {
          /* A dark light needs an edge to be seen as a light. */
          cairo_arc (cr, sw->x + sw->width / 2, sw->y + sw->height / 2, sw->width / 2 - 0.5,
                     0, 2 * G_PI);
          cairo_set_line_width (cr, 1.0);
          rc_set_colour (cr, p->dim_text);
          cairo_stroke (cr);
        }
    }
  for (guint i = 0; i < RC_TOTALS_N_SLOTS; i++)
    rc_painter_show_text (self, cr, layout, TEXT_SLOT_LABEL + i,
                          i < t->used ? t->counts[i].label : NULL, layout->totals_label_font,
                          &layout->totals_labels[i], RC_ALIGN_START, p->text);
  paint_counts (self, cr, layout, t->style, t->session, t->vote, p, FALSE);

  rc_painter_show_text (self, cr, layout, TEXT_VERDICT, t->verdict, layout->verdict_font,
                        &layout->verdict, RC_ALIGN_START, t->verdict_colour);
  if (t->mismatch != NULL)
    /* Operators must see when the source's totals differ from the ballots: never
     * smoothed over, in the warning colour, on the verdict's second line. */
    rc_painter_show_pill (self, cr, layout, TEXT_MISMATCH, t->mismatch, layout->notice_font,
                          &layout->notice, RC_ALIGN_START, p->abstain, FALSE, p);
  else
    rc_painter_show_text (self, cr, layout, TEXT_NOTICE, t->notice, layout->notice_font,
                          &layout->notice, RC_ALIGN_START, p->text);
}

typedef struct {
  const RcStyle *style;
  RcSession *session;
} Holding;

static void
draw_holding (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout, gconstpointer data,
              const RcPalette *p)
{
  const Holding *h = data;

  paint_holding (self, cr, layout, h->style, h->session, p);
}

void
rc_painter_paint_totals (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
                         const RcStyle *style, RcSession *session, RcVote *vote)
{
  TotalsTexts t;
  g_autofree char *frame = NULL;
  g_autofree char *key = NULL;
  RcPalette p;

  g_return_if_fail (self != NULL && cr != NULL && layout != NULL);

  rc_painter_attach (self, layout);
  rc_painter_get_palette (style, session, &p);
  if (vote == NULL)
    {
      /* Rare and cheap: not worth an image. */
      Holding h = { style, session };

      rc_painter_begin_region (cr, &layout->totals, p.background);
      draw_holding (self, cr, layout, &h, &p);
      cairo_restore (cr);
      g_clear_pointer (&self->totals_frame, g_free);
      return;
    }
  get_totals_texts (&t, layout, style, session, vote, &p);
  frame = totals_frame_key (&t, &p);
  key = totals_key (frame, &t);
  rc_painter_paint_region (self, cr, layout, &self->totals_cache, &layout->totals, key, &p,
                           draw_totals, &t);
  totals_texts_clear (&t);
  g_free (self->totals_frame);
  self->totals_frame = g_steal_pointer (&frame);
}

/* Whether the totals on screen show what they should but for their numbers. */
static gboolean
totals_frame_current (RcPainter *self, const RcBoardLayout *layout, const RcStyle *style,
                      RcSession *session, RcVote *vote, RcPalette *p)
{
  TotalsTexts t;
  g_autofree char *frame = NULL;

  rc_painter_attach (self, layout);
  rc_painter_get_palette (style, session, p);
  get_totals_texts (&t, layout, style, session, vote, p);
  frame = totals_frame_key (&t, p);
  totals_texts_clear (&t);
  return self->totals_frame != NULL && strcmp (self->totals_frame, frame) == 0;
}

gboolean
rc_painter_counts_need_totals (RcPainter *self, const RcBoardLayout *layout,
                               const RcStyle *style, RcSession *session, RcVote *vote)
{
  RcPalette p;

  g_return_val_if_fail (self != NULL && layout != NULL, TRUE);

  if (vote == NULL)
    return FALSE;
  return !totals_frame_current (self, layout, style, session, vote, &p);
}

char *
rc_painter_get_counts_part (RcPainter *self, const RcBoardLayout *layout, const RcStyle *style,
                            RcSession *session, RcVote *vote, guint part, RcRect *rect)
{
  RcPalette p;
  gboolean dim;
  char *text;

  g_return_val_if_fail (self != NULL && layout != NULL && vote != NULL, NULL);
  g_return_val_if_fail (part < RC_COUNTS_N_PARTS, NULL);

  rc_painter_get_palette (style, session, &p);
  text = counts_part_text (layout, style, session, vote, &p, part, &dim);
  if (rect != NULL)
    *rect = *counts_part_rect (layout, part);
  return text != NULL ? text : g_strdup ("");
}

void
rc_painter_paint_counts_part (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
                              const RcStyle *style, RcSession *session, RcVote *vote,
                              guint part)
{
  RcPalette p;

  g_return_if_fail (self != NULL && cr != NULL && layout != NULL && vote != NULL);
  g_return_if_fail (part < RC_COUNTS_N_PARTS);

  rc_painter_attach (self, layout);
  rc_painter_get_palette (style, session, &p);
  paint_counts_part (self, cr, layout, style, session, vote, &p, part, TRUE);
}

void
rc_painter_paint_counts (RcPainter *self, cairo_t *cr, const RcBoardLayout *layout,
                         const RcStyle *style, RcSession *session, RcVote *vote)
{
  RcPalette p;

  g_return_if_fail (self != NULL && cr != NULL && layout != NULL);

  if (vote == NULL)
    return;
  if (!totals_frame_current (self, layout, style, session, vote, &p))
    rc_painter_paint_totals (self, cr, layout, style, session, vote);
  else
    paint_counts (self, cr, layout, style, session, vote, &p, TRUE);
}

char *
rc_painter_describe_majority (const RcStyle *style, RcSession *session, RcVote *vote)
{
  g_return_val_if_fail (vote != NULL, NULL);

  return majority_text (style, session, vote);
}

char *
rc_painter_describe_verdict (const RcStyle *style, const RcRoster *shown, RcSession *session,
                             RcVote *vote, char **notice)
{
  RcPalette p;
  const char *text;
  guint32 colour;
  char *reason = NULL;

  g_return_val_if_fail (vote != NULL && shown != NULL, NULL);

  rc_painter_get_palette (style, session, &p);
  verdict_text (style, shown, vote, &p, &text, &colour, &reason);
  if (notice != NULL)
    *notice = reason;
  else
    g_free (reason);
  return g_strdup (text);
}
