/* rc-window-chrome.c — what RcWindow builds late or on demand, so that the board's
 * first frame comes sooner (docs/performance.md): the window's and the header bar's
 * icons after that frame (the first themed icon loads the icon theme, ~15 ms), the
 * shortcuts window when asked for, the main menu's popover when first opened; and
 * the board's size foreseen before the window is shown, for rc_board_widget_prepare. */
#include <glib/gi18n.h>

#include "rc-board-a11y.h"
#include "rc-window-private.h"

#include "rc-config.h"

void
rc_window_update_play_icon (RcWindow *self)
{
  gboolean playing = self->replay != NULL && rc_replay_is_playing (self->replay);

  if (self->icons_shown)
    {
      gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                           : "media-playback-start-symbolic");
      rc_a11y_name_button (GTK_WIDGET (self->play_button), playing ? _ ("Pause") : _ ("Play"));
    }
}

static void
stop_waiting_for_icons (RcWindow *self)
{
  /* A clock disposed with its surface (the window unrealized) dropped the handler. */
  if (self->icons_clock != NULL &&
      g_signal_handler_is_connected (self->icons_clock, self->icons_handler))
    g_signal_handler_disconnect (self->icons_clock, self->icons_handler);
  self->icons_handler = 0;
  g_clear_object (&self->icons_clock);
}

/* The window's icons — the app's, the header bar's buttons' and the window's own
 * (minimize, maximize, close) — come after the board's first frame: the first themed
 * icon loads the icon theme (~15 ms), which the board need not wait for. */
static void
show_header_icons (GdkFrameClock *clock, RcWindow *self)
{
  stop_waiting_for_icons (self);
  self->icons_shown = TRUE;
  gtk_window_set_icon_name (GTK_WINDOW (self), APP_ID);
  gtk_menu_button_set_icon_name (self->menu_button, "open-menu-symbolic");
  rc_a11y_name_button (GTK_WIDGET (self->menu_button), _ ("Main Menu"));
  rc_window_update_play_icon (self);
  if (self->header_bar != NULL)
    gtk_header_bar_set_show_title_buttons (GTK_HEADER_BAR (self->header_bar), TRUE);
}

static void
on_realize (GtkWidget *widget, gpointer data)
{
  RcWindow *self = RC_WINDOW (widget);

  if (self->icons_shown)
    return;
  /* Realized again before any frame: wait on the new surface's clock. */
  stop_waiting_for_icons (self);
  self->icons_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->icons_handler = g_signal_connect_after (self->icons_clock, "after-paint",
                                                G_CALLBACK (show_header_icons), self);
}

/* A line of the shortcuts window names its action; GTK looks the action's keys up only
 * for a window given to gtk_application_window_set_help_overlay(), which this one is
 * not (it is built on demand): each line under widget is given the keys the
 * application binds, or its key cell stays blank.
 * (The window's lines, not the builder's: a section lays its groups out again as it
 * is built, with copies of the lines.) */
void
rc_shortcuts_window_show_keys (GtkWidget *widget, GtkApplication *app)
{
  if (app == NULL)
    return;
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *action = NULL;
      g_auto (GStrv) accels = NULL;
      g_autofree char *keys = NULL;

      g_object_get (widget, "action-name", &action, NULL);
      if (action == NULL)
        return;
      accels = gtk_application_get_accels_for_action (app, action);
      keys = g_strjoinv (" ", accels);
      /* (without its action name, or GTK would look again, find no window, and clear
       * the keys) */
      if (*keys != '\0')
        g_object_set (widget, "action-name", NULL, "accelerator", keys, NULL);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    rc_shortcuts_window_show_keys (c, app);
}

/* GtkApplication would build the shortcuts window for every window as it is added,
 * whether anyone asks for it or not (~9 ms of a start-up): we build it on demand. */
static void
show_help_overlay_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcWindow *self = RC_WINDOW (widget);

  if (self->help_overlay == NULL)
    {
      g_autoptr (GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/rollcall/Rollcall/help-overlay.ui");

      self->help_overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      rc_shortcuts_window_show_keys (GTK_WIDGET (self->help_overlay),
                                     gtk_window_get_application (GTK_WINDOW (self)));
      gtk_window_set_transient_for (self->help_overlay, GTK_WINDOW (self));
      gtk_window_set_destroy_with_parent (self->help_overlay, TRUE);
      gtk_window_set_hide_on_close (self->help_overlay, TRUE);
      g_object_add_weak_pointer (G_OBJECT (self->help_overlay),
                                 (gpointer *) &self->help_overlay);
    }
  gtk_window_present (self->help_overlay);
}

static void
create_primary_menu (GtkMenuButton *button, gpointer data)
{
  RcWindow *self = data;

  /* Once: from now on the button has its popover. */
  gtk_menu_button_set_menu_model (button, self->primary_menu);
}

void
rc_window_chrome_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   show_help_overlay_activated);
}

void
rc_window_chrome_init (RcWindow *self)
{
  gtk_menu_button_set_create_popup_func (self->menu_button, create_primary_menu, self, NULL);
  /* Named before their icons come (after the first frame), and again then. */
  rc_a11y_name_button (GTK_WIDGET (self->menu_button), _ ("Main Menu"));
  rc_a11y_name_button (GTK_WIDGET (self->play_button), _ ("Play"));
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), NULL);
}

void
rc_window_chrome_dispose (RcWindow *self)
{
  stop_waiting_for_icons (self);
  if (self->help_overlay != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->help_overlay),
                                    (gpointer *) &self->help_overlay);
      gtk_window_destroy (g_steal_pointer (&self->help_overlay));
    }
}

gboolean
rc_window_predict_board_size (RcWindow *self, int *width, int *height)
{
  int w, h, header = 0;
  double margin_x, margin_y;

  g_return_val_if_fail (RC_IS_WINDOW (self), FALSE);

  if (gtk_widget_get_realized (GTK_WIDGET (self)) || self->starts_maximized)
    return FALSE;
  gtk_window_get_default_size (GTK_WINDOW (self), &w, &h);
  if (w <= 0 || h <= 0)
    return FALSE;
  /* GTK 4.8 gives the surface the default size, client-side decorations' margins
   * (the surface transform) included; the title bar is inside. */
  gtk_native_get_surface_transform (GTK_NATIVE (self), &margin_x, &margin_y);
  w -= (int) (2 * margin_x);
  h -= (int) (2 * margin_y);
  if (self->header_bar != NULL && gtk_widget_get_visible (self->header_bar))
    gtk_widget_measure (self->header_bar, GTK_ORIENTATION_VERTICAL, w, NULL, &header, NULL,
                        NULL);
  h -= header;
  if (w <= 0 || h <= 0)
    return FALSE;
  *width = w;
  *height = h;
  return TRUE;
}
