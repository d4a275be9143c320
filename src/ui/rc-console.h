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

RcBoardWidget *rc_console_get_preview (RcConsole *self);
RcBoardWidget *rc_console_get_program (RcConsole *self);

G_END_DECLS
