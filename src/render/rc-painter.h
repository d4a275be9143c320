/* rc-painter.h — draws the board with Cairo and Pango: one renderer for the window
 * and for export, so the screen and the archive show the same picture.
 *
 * The painter is a cache, not a state: it keeps the texts of the header and totals
 * (the members' labels come shaped with the layout) and, on image targets, images of
 * what the regions last showed — the grid with its lights, brought up to date light
 * by light — all keyed on the layout's serial and the palette, and rebuilt when those
 * change. Every function paints in the layout's coordinates (device pixels, origin at
 * the frame's top left) onto any Cairo context: an image surface, a PDF or SVG
 * surface, or a GTK snapshot's node.
 *
 * So that a window can repaint only what changed, the board is split into regions that
 * cover the frame: the background, the header, the grid (one cell per member, and in
 * a cell its light), and the totals. rc_painter_paint_board() paints all of them. Each
 * region function paints its whole rectangle (its background included) and nothing
 * outside it, so it can be called on its own to replace that region.
 *
 * vote may be NULL: the holding slide (chamber and meeting, the names without lights).
 * session may be NULL only together with vote (a blank board in the default palette).
 * clock_time is µs since the Unix epoch, shown in the session's time zone; 0 hides
 * the clock. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "model/rc-session.h"
#include "model/rc-vote.h"
#include "rc-board-layout.h"
#include "rc-style.h"

G_BEGIN_DECLS

typedef struct _RcPainter RcPainter;

RcPainter *rc_painter_new (void);
void rc_painter_free (RcPainter *painter);
/* Drops every cache (e.g. when fonts change); the next paint rebuilds them. */
void rc_painter_invalidate (RcPainter *painter);

void rc_painter_paint_board (RcPainter *painter, cairo_t *cr, const RcBoardLayout *layout,
                             const RcStyle *style, RcSession *session, RcVote *vote,
                             gint64 clock_time);

/* The frame's background between the regions. */
void rc_painter_paint_background (RcPainter *painter, cairo_t *cr,
                                  const RcBoardLayout *layout, const RcStyle *style,
                                  RcSession *session);
/* layout->header: body, meeting, symbol, title, the vote's state, clock, stale mark. */
void rc_painter_paint_header (RcPainter *painter, cairo_t *cr, const RcBoardLayout *layout,
                              const RcStyle *style, RcSession *session, RcVote *vote,
                              gint64 clock_time);
/* layout->grid: every cell (and the gaps between them). */
void rc_painter_paint_grid (RcPainter *painter, cairo_t *cr, const RcBoardLayout *layout,
                            const RcStyle *style, RcSession *session, RcVote *vote);
/* Exactly layout->cells[index].frame: background, light, glyph, label. */
void rc_painter_paint_cell (RcPainter *painter, cairo_t *cr, const RcBoardLayout *layout,
                            const RcStyle *style, RcSession *session, RcVote *vote,
                            guint index);
/* Exactly layout->cells[index].light: the light and what lies under it, the same
 * pixels as rc_painter_paint_cell() there. The least a ballot changes, for a window
 * that draws it over the grid. vote must not be NULL (the holding slide has no
 * lights). */
void rc_painter_paint_light (RcPainter *painter, cairo_t *cr, const RcBoardLayout *layout,
                             const RcStyle *style, RcSession *session, RcVote *vote,
                             guint index);
/* layout->totals: the four counts, the required majority, the verdict (or the state
 * while open), and the mismatch mark when official totals differ from the ballots. */
void rc_painter_paint_totals (RcPainter *painter, cairo_t *cr, const RcBoardLayout *layout,
                              const RcStyle *style, RcSession *session, RcVote *vote);
/* What a ballot changes in the totals while the vote's state stays the same: the four
 * numbers and the required majority (layout->totals_numbers[], layout->majority, their
 * backgrounds included). A ballot's repaint is rc_painter_paint_cell() of its member
 * and this; a change of state (lock, result) repaints the totals and the header.
 *
 * A ballot can also change what the counts are without a change of state: the first
 * "voted" of a vote with hidden choices turns YES / NO / ABSTENTIONS / NOT YET VOTED
 * into VOTED / NOT YET VOTED. So the painter remembers, per layout, what the totals it
 * last painted show besides their numbers (labels, swatches, verdict, reason, palette,
 * glyphs); when that differs, or the totals were not painted for this layout yet, this
 * paints the whole of layout->totals instead, as rc_painter_paint_totals() would. */
void rc_painter_paint_counts (RcPainter *painter, cairo_t *cr, const RcBoardLayout *layout,
                              const RcStyle *style, RcSession *session, RcVote *vote);
/* The counts' parts, one at a time, for a window that keeps each as a node over the
 * totals and redraws only those whose text changed: the four numbers
 * (layout->totals_numbers[part]) and the required majority (layout->majority; the
 * mismatch notice when official totals differ). Only while
 * rc_painter_counts_need_totals() is FALSE: what else the totals show is as painted. */
#define RC_COUNTS_N_PARTS (RC_TOTALS_N_SLOTS + 1)
/* The text part shows now ("" for an unused slot; a new string) and its rectangle. */
char *rc_painter_get_counts_part (RcPainter *painter, const RcBoardLayout *layout,
                                  const RcStyle *style, RcSession *session, RcVote *vote,
                                  guint part, RcRect *rect);
/* Paints part's rectangle whole, background included: the same pixels as
 * rc_painter_paint_counts() there. */
void rc_painter_paint_counts_part (RcPainter *painter, cairo_t *cr,
                                   const RcBoardLayout *layout, const RcStyle *style,
                                   RcSession *session, RcVote *vote, guint part);
/* TRUE when rc_painter_paint_counts() would paint the whole of layout->totals rather than
 * the numbers alone: for a caller that must say beforehand which rectangle it damages. */
gboolean rc_painter_counts_need_totals (RcPainter *painter, const RcBoardLayout *layout,
                                        const RcStyle *style, RcSession *session,
                                        RcVote *vote);

/* The words the totals show, for those who do not see them (the accessibility tree):
 * the required majority's line, and the verdict or the vote's state (with, in
 * *notice, its reason: a veto, the members present and voting), in the style's
 * language. shown is the roster the board shows (a veto names its member). */
char *rc_painter_describe_majority (const RcStyle *style, RcSession *session, RcVote *vote);
char *rc_painter_describe_verdict (const RcStyle *style, const RcRoster *shown, RcSession *session,
                                   RcVote *vote, char **notice);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcPainter, rc_painter_free)

G_END_DECLS
