/* rc-console.h — the operator's desk: a rundown, preview and program, take and blank.
 *
 * A libadwaita window (the only one in the app: the kiosk's board window keeps plain
 * GTK and its start-up figures). It subscribes to the feed like any board, and asks
 * the feed's control API (rc-feed-control-client.h) to change what the hall shows:
 * program is always what the feed says is on air, never what the console believes,
 * and selecting an item in the rundown only changes the preview. Refusals are toasts
 * that give the server's reason. */
#pragma once

#include <adwaita.h>

#include "feed/rc-feed-client.h"
#include "feed/rc-feed-control-client.h"
#include "model/rc-replay.h"
#include "rc-board-widget.h"
#include "rc-settings.h"

G_BEGIN_DECLS

#define RC_TYPE_CONSOLE (rc_console_get_type ())
G_DECLARE_FINAL_TYPE (RcConsole, rc_console, RC, CONSOLE, AdwApplicationWindow)

/* control may be NULL: a desk that can only watch (no token). clerk: the feed takes
 * the clerk's actions (a live feed), not only on-air (a replaying one). */
RcConsole *rc_console_new (GtkApplication *application, RcSettings *settings, RcFeedClient *client,
                           RcFeedControlClient *control, gboolean clerk);

/* Shows program full screen on this monitor, or stops; the monitor is remembered by
 * its connector, so that a window unplugged and plugged back gets its window back.
 * FALSE for a monitor without a connector name. */
gboolean rc_console_show_on_monitor (RcConsole *self, GdkMonitor *monitor, gboolean show);
/* The presentation windows up now. */
guint rc_console_count_screens (RcConsole *self);
/* "HDMI-1 — Dell U2720Q (1920×1080)" */
char *rc_console_monitor_name (GdkMonitor *monitor);

/* The replay desk: the transport drives this clock (the embedded feed's, so that
 * every screen on the feed moves with it); NULL hides the transport. */
void rc_console_set_replay (RcConsole *self, RcReplay *replay);
RcReplay *rc_console_get_replay (RcConsole *self);
/* Seeks the replay (µs from its start); the transport's timeline does this. */
void rc_console_replay_seek (RcConsole *self, gint64 position);
/* The archive's sessions (RcArchiveSessionRow) for the session browser; choosing one
 * emits "open-session" (const char *session_id): whoever made the feed replays it. */
/* The replay desk's session browser: the archive's sessions and votes (either may be
 * NULL), searched with the archive's own query (rc_archive_query_matches_session). */
void rc_console_set_sessions (RcConsole *self, const char *archive_name, GPtrArray *sessions,
                              GPtrArray *votes);

/* The selected vote to path, by its extension: the board as program would show it
 * (.png .svg .pdf, 1920 × 1080) or its record (.csv one row per member, .txt as a
 * meeting record gives it). FALSE with a one-line reason. */
gboolean rc_console_export (RcConsole *self, const char *path, GError **error);

/* The desk's keys for one of its actions ("win.take"), in GtkShortcutTrigger's syntax
 * ("<Control>Return"), or NULL for an action without keys of the desk's. Free with
 * g_strfreev(). */
char **rc_console_get_keys (const char *action);

/* A line for the operator, as a toast (what the desk's owner refused, and why). */
void rc_console_show_message (RcConsole *self, const char *line);

RcBoardWidget *rc_console_get_preview (RcConsole *self);
RcBoardWidget *rc_console_get_program (RcConsole *self);

G_END_DECLS
