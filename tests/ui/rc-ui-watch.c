/* rc-ui-watch.c — a board's window and a second client following one feed
 * (rc-ui-watch.h). */
#include "rc-ui-watch.h"

#include "codec/rc-codec.h"
#include "model/rc-snapshot.h"
#include "ui/rc-board-widget.h"

gboolean
ui_watch_ws_reached (gpointer data)
{
  UiWatch *w = data;

  return rc_session_get_last_seq (rc_feed_client_get_session (w->ws)) >= w->seq;
}

gboolean
ui_watch_both_down_and_stale (gpointer data)
{
  UiWatch *w = data;

  return rc_feed_client_get_state (w->ws) != RC_FEED_CLIENT_LIVE
         && rc_feed_client_get_state (w->sse) != RC_FEED_CLIENT_LIVE
         && rc_board_widget_get_stale (rc_window_get_board (w->window));
}

static gboolean
live_at (RcFeedClient *client, gint64 seq)
{
  return rc_feed_client_get_state (client) == RC_FEED_CLIENT_LIVE
         && rc_session_get_last_seq (rc_feed_client_get_session (client)) == seq;
}

gboolean
ui_watch_both_live_at_end (gpointer data)
{
  UiWatch *w = data;

  return live_at (w->ws, w->seq) && live_at (w->sse, w->seq)
         && !rc_board_widget_get_stale (rc_window_get_board (w->window));
}

char *
ui_session_dump (RcSession *session)
{
  g_autoptr (RcSnapshot) snapshot = rc_session_snapshot (session);

  return rc_codec_encode_snapshot (snapshot, "any");
}
