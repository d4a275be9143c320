/* rc-window.h — the board window: the board filling a window, and replay controls.
 *
 * Shows one RcBoardWidget, driven by a replay or by a feed. Its actions (win.*) are what the keyboard and the menu
 * reach: full screen, colour-blind glyphs, and, with a replay, play/pause, seek and
 * speed. In kiosk mode it is the board only: full screen, no chrome, no cursor. */
#pragma once

#include <gtk/gtk.h>

#include "feed/rc-feed-client.h"
#include "model/rc-replay.h"
#include "rc-board-widget.h"
#include "rc-settings.h"

G_BEGIN_DECLS

#define RC_TYPE_WINDOW (rc_window_get_type ())
G_DECLARE_FINAL_TYPE (RcWindow, rc_window, RC, WINDOW, GtkApplicationWindow)

/* Seconds one press of Left or Right moves a replay, and the speed limits of + and -
 * (every tool's: RC_REPLAY_MIN_SPEED, RC_REPLAY_MAX_SPEED). */
#define RC_WINDOW_SEEK_STEP_SECONDS 10
#define RC_WINDOW_MIN_SPEED RC_REPLAY_MIN_SPEED
#define RC_WINDOW_MAX_SPEED RC_REPLAY_MAX_SPEED

RcWindow *rc_window_new (GtkApplication *application, RcSettings *settings, gboolean kiosk);

/* Makes the window cover this monitor, full screen (with or without a window manager). */
void rc_window_fill_monitor (RcWindow *self, GdkMonitor *monitor);
/* The board's size when the window is first shown, as far as the window can foresee
 * it (its default size less the header bar); FALSE when the window manager decides
 * (a maximized window) or once the window is realized. */
gboolean rc_window_predict_board_size (RcWindow *self, int *width, int *height);

RcBoardWidget *rc_window_get_board (RcWindow *self);
gboolean rc_window_get_kiosk (RcWindow *self);

/* Drives the board from a replay. start_time is the journal time of its first event
 * (µs since the epoch): the board's clock shows start_time + position. */
void rc_window_set_replay (RcWindow *self, RcReplay *replay, gint64 start_time);
RcReplay *rc_window_get_replay (RcWindow *self);

/* Drives the board from a feed: its session, the stale mark whenever the client is not
 * live, its status line as the header's subtitle, and the vote on air (or the vote
 * being taken, while the stream has put nothing on air) unless a vote was chosen
 * with rc_board_widget_set_vote_id() afterwards. */
void rc_window_set_feed (RcWindow *self, RcFeedClient *client);
RcFeedClient *rc_window_get_feed (RcWindow *self);

/* A shortcuts window built on demand (not GTK's help overlay) shows no keys for lines
 * that name an action: gives each line under widget the keys app binds to it. */
void rc_shortcuts_window_show_keys (GtkWidget *widget, GtkApplication *app);

G_END_DECLS
