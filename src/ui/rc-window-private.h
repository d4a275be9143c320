/* rc-window-private.h — RcWindow's parts, shared by its files: rc-window.c (titles,
 * clock, replay, feed, full screen, the object) and rc-window-chrome.c (what is
 * built late or on demand so the board's first frame comes sooner: the icons, the
 * shortcuts window, the menu's popover, and the board's foreseen size). */
#pragma once

#include "rc-window.h"

G_BEGIN_DECLS

struct _RcWindow
{
  GtkApplicationWindow parent_instance;

  /* template */
  GtkWidget *header_bar;
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkButton *play_button;
  GtkMenuButton *menu_button;
  GMenuModel *primary_menu;
  RcBoardWidget *board;

  GtkWindow *help_overlay; /* the shortcuts window, built when first shown (weak) */
  gboolean icons_shown;          /* the header bar's buttons have their icons */
  GdkFrameClock *icons_clock;    /* waiting for the first frame to show them */
  gulong icons_handler;

  RcSettings *settings;
  gboolean kiosk;
  gboolean starts_maximized; /* the size is the window manager's, not ours */
  gboolean glyphs;
  gboolean current_names;
  char *palette; /* the settings' palette, for win.palette */

  RcReplay *replay;
  gint64 start_time;
  guint clock_id;

  RcFeedClient *feed;
  RcSession *feed_session; /* the feed's session this window listens to */
  gboolean feed_on_air;    /* the stream has put something on air */
  gint64 feed_time;        /* journal time of the feed's last event… */
  gint64 feed_time_at;     /* …and the monotonic time it arrived */

  guint cursor_id;
  gboolean cursor_hidden;
  double pointer_x, pointer_y;
};

/* rc-window-chrome.c */
void rc_window_chrome_class_init (GtkWidgetClass *widget_class);
void rc_window_chrome_init (RcWindow *self);
void rc_window_chrome_dispose (RcWindow *self);
/* The play button's icon as the replay stands, once the icons are shown. */
void rc_window_update_play_icon (RcWindow *self);

G_END_DECLS
