/* rc-ui-watch.h — a board's window and a second client following one feed, watched
 * through a server's death and return (test-foreign-feed.c, test-edge-feed.c). */
#pragma once

#include "feed/rc-feed-client.h"
#include "model/rc-session.h"
#include "ui/rc-window.h"

G_BEGIN_DECLS

typedef struct {
  RcFeedClient *ws; /* the window's */
  RcFeedClient *sse;
  RcWindow *window;
  gint64 seq;
} UiWatch;

/* Conditions for ui_wait_until(), data a UiWatch: the window's client has reached
 * seq; both clients have lost the server and the board shows its stale mark; both are
 * live at seq and the mark is gone. */
gboolean ui_watch_ws_reached (gpointer data);
gboolean ui_watch_both_down_and_stale (gpointer data);
gboolean ui_watch_both_live_at_end (gpointer data);

/* A session's state as one string, whatever stream it came by. */
char *ui_session_dump (RcSession *session);

G_END_DECLS
