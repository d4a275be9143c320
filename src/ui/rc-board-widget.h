/* rc-board-widget.h — the result board as a GTK widget.
 *
 * Shows one vote of a session (or the holding slide, or a blank screen) filling the
 * widget, drawn by the render layer's painter. The widget keeps a render node per
 * region — background, header, grid, totals — and a ballot adds or rebuilds only a
 * node for its member's light over the grid, and the totals, so GSK repaints only
 * what changed. */
#pragma once

#include <gtk/gtk.h>

#include "model/rc-session.h"
#include "render/rc-style.h"

G_BEGIN_DECLS

/* RcStyle as a boxed type, for the "style" property. */
#define RC_TYPE_STYLE (rc_style_boxed_get_type ())
GType rc_style_boxed_get_type (void) G_GNUC_CONST;

/* Which vote the board shows. */
typedef enum {
  RC_BOARD_FOLLOW_NONE = 0, /* the vote set with rc_board_widget_set_vote() */
  RC_BOARD_FOLLOW_ON_AIR,   /* whatever the session puts on air (vote, holding, blank) */
  RC_BOARD_FOLLOW_CURRENT,  /* the session's current vote (a journal without on-air) */
} RcBoardFollow;

#define RC_TYPE_BOARD_FOLLOW (rc_board_follow_get_type ())
GType rc_board_follow_get_type (void) G_GNUC_CONST;

#define RC_TYPE_BOARD_WIDGET (rc_board_widget_get_type ())
G_DECLARE_FINAL_TYPE (RcBoardWidget, rc_board_widget, RC, BOARD_WIDGET, GtkWidget)

GtkWidget *rc_board_widget_new (void);

RcSession *rc_board_widget_get_session (RcBoardWidget *self);
/* Keeps showing the vote with the same id in the new session, if it has one. */
void rc_board_widget_set_session (RcBoardWidget *self, RcSession *session);

/* The vote shown; NULL for the holding slide (or a blank screen when following an
 * on-air "blank"). The vote belongs to the session. */
RcVote *rc_board_widget_get_vote (RcBoardWidget *self);
/* Shows this vote and stops following. */
void rc_board_widget_set_vote (RcBoardWidget *self, RcVote *vote);
/* Shows the vote with this id once the session has it (the holding slide until
 * then), and stops following. NULL: the holding slide. */
void rc_board_widget_set_vote_id (RcBoardWidget *self, const char *vote_id);

RcBoardFollow rc_board_widget_get_follow (RcBoardWidget *self);
void rc_board_widget_set_follow (RcBoardWidget *self, RcBoardFollow follow);
gboolean rc_board_widget_get_follow_on_air (RcBoardWidget *self);
void rc_board_widget_set_follow_on_air (RcBoardWidget *self, gboolean follow);

const RcStyle *rc_board_widget_get_style (RcBoardWidget *self);
void rc_board_widget_set_style (RcBoardWidget *self, const RcStyle *style);
gboolean rc_board_widget_get_glyphs (RcBoardWidget *self);
void rc_board_widget_set_glyphs (RcBoardWidget *self, gboolean glyphs);
/* Today's names (from the chamber's data file) instead of those in force on the day;
 * members keep their places. */
gboolean rc_board_widget_get_current_names (RcBoardWidget *self);
void rc_board_widget_set_current_names (RcBoardWidget *self, gboolean current);
/* The hall's language for the board's words, names and order: "" (the user's, if it is
 * one of the six, else English), one code ("fr") or two ("en,fr": bilingual words).
 * A value that is not one is ignored (the callers check it first). */
const char *rc_board_widget_get_board_language (RcBoardWidget *self);
void rc_board_widget_set_board_language (RcBoardWidget *self, const char *language);
gboolean rc_board_widget_get_stale (RcBoardWidget *self);
void rc_board_widget_set_stale (RcBoardWidget *self, gboolean stale);

/* The time the header's clock shows (µs since the Unix epoch; 0 hides it). Only a
 * change of the shown second repaints the header. */
gint64 rc_board_widget_get_clock_time (RcBoardWidget *self);
void rc_board_widget_set_clock_time (RcBoardWidget *self, gint64 clock_time);

/* TRUE once a frame has drawn every region of the board as it now stands. */
gboolean rc_board_widget_is_complete (RcBoardWidget *self);

/* Starts laying the board out for width × height on a worker thread, with its fonts
 * and glyphs (rc-board-prepare.h), so that the first frame finds them ready: for a
 * window about to be shown at a size it can foresee. The first frame waits for the
 * thread and uses its layout if the size and the roster are still those. Does nothing
 * without a roster, or once the board has drawn. */
void rc_board_widget_prepare (RcBoardWidget *self, int width, int height);

G_END_DECLS
