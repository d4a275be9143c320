/* rc-board-prepare.h — a board's first layout, worked out on a worker thread.
 *
 * Most of a board's first frame is font work: fontconfig lookups and FreeType set-up
 * for each type size, shaping the 193 names, rasterising their glyphs. None of it needs
 * the display, so a window can start it on a second core while GTK is still starting:
 * rc_board_prepare_start() makes a font map and a measuring context of its own, lays
 * the board out for the size the window expects, and paints it once off screen (which
 * loads every font and glyph the first frame will draw, and fills the painter's
 * images of the grid). rc_board_prepare_finish() waits for the thread and hands the
 * context, the layout and the painter to the main thread; from then on only the main
 * thread uses them. Had the guess of the size been wrong,
 * the caller lays out again in the same context: nothing is lost but the guess.
 *
 * The thread works on its own copy of what it is given (a snapshot of the session, a
 * copy of the style, a reference to the immutable roster): the caller may go on
 * changing its session meanwhile. */
#pragma once

#include <pango/pango.h>

#include "model/rc-session.h"
#include "rc-board-layout.h"
#include "rc-painter.h"
#include "rc-style.h"

G_BEGIN_DECLS

typedef struct _RcBoardPrepare RcBoardPrepare;

/* Starts the thread. session may be NULL (no vote is drawn then); vote_id names the
 * vote shown (NULL: the holding slide). width, height > 0. */
RcBoardPrepare *rc_board_prepare_start (int width, int height, const RcRoster *roster,
                                        const RcStyle *style, RcSession *session,
                                        const char *vote_id, gint64 clock_time);

/* Waits for the thread, then frees prepare. Returns the measuring context (new
 * reference, never NULL) and, in *layout, the layout it computed (new reference) and,
 * in *painter, the painter that painted it (its caches keyed on that layout). */
PangoContext *rc_board_prepare_finish (RcBoardPrepare *prepare, RcBoardLayout **layout,
                                       RcPainter **painter);

/* The size it was started for. */
void rc_board_prepare_get_size (RcBoardPrepare *prepare, int *width, int *height);

G_END_DECLS
