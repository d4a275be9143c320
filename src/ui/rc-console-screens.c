/* rc-console-screens.c — the hall's screens driven from the desk: a presentation
 * window, full screen and without a cursor, on each monitor the operator chooses.
 *
 * A presentation window is a kiosk board window (rc-window.h) on the desk's own feed
 * client: it shows what program shows, because it is the same session under the same
 * rule. Monitors are chosen by connector ("HDMI-1"), which is what survives an unplug:
 * when a chosen monitor goes away its window goes with it, and when a monitor with that
 * connector comes back the window comes back on it. While any presentation window is
 * up, the session is kept from going idle or to sleep (gtk_application_inhibit). */
#include "rc-board-a11y.h"
#include "rc-console-private.h"

#include <glib/gi18n.h>

#include "rc-window.h"

/* A monitor's name for the operator: "HDMI-1 — Dell U2720Q (1920×1080)". */
char *
rc_console_monitor_name (GdkMonitor *monitor)
{
  const char *connector = gdk_monitor_get_connector (monitor);
  const char *manufacturer = gdk_monitor_get_manufacturer (monitor);
  const char *model = gdk_monitor_get_model (monitor);
  GdkRectangle g;
  g_autoptr (GString) s = g_string_new (connector != NULL ? connector : _ ("Unnamed monitor"));

  gdk_monitor_get_geometry (monitor, &g);
  if (manufacturer != NULL || model != NULL)
    g_string_append_printf (s, " — %s%s%s", manufacturer != NULL ? manufacturer : "",
                            manufacturer != NULL && model != NULL ? " " : "",
                            model != NULL ? model : "");
  g_string_append_printf (s, " (%d×%d)", g.width, g.height);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static GdkMonitor *
find_monitor (const char *connector)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());

  for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
    {
      g_autoptr (GdkMonitor) m = g_list_model_get_item (monitors, i);

      if (g_strcmp0 (gdk_monitor_get_connector (m), connector) == 0)
        return m; /* (the list holds it) */
    }
  return NULL;
}

static void
update_inhibit (RcConsole *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  gboolean showing = FALSE;
  GHashTableIter iter;
  gpointer window;

  g_hash_table_iter_init (&iter, self->screens);
  while (g_hash_table_iter_next (&iter, NULL, &window))
    showing |= window != NULL;
  if (showing && self->inhibit_cookie == 0 && app != NULL)
    {
      self->inhibit_cookie = gtk_application_inhibit (
        app, GTK_WINDOW (self), GTK_APPLICATION_INHIBIT_IDLE | GTK_APPLICATION_INHIBIT_SUSPEND,
        _ ("The hall's screens show the vote"));
      /* (the window has left its application by the time it is disposed) */
      if (self->inhibit_cookie != 0)
        g_set_object (&self->inhibit_app, app);
    }
  else if (!showing && self->inhibit_cookie != 0)
    {
      gtk_application_uninhibit (self->inhibit_app, self->inhibit_cookie);
      self->inhibit_cookie = 0;
      g_clear_object (&self->inhibit_app);
    }
}

/* A presentation window gone by other means than ours (its monitor's surface lost, a
 * window manager's close): no longer listed as up. */
static void
on_window_destroyed (GtkWidget *window, RcConsole *self)
{
  GHashTableIter iter;
  gpointer listed;

  if (self->screens == NULL)
    return;
  /* Not put away by us (we unlist a window first): no longer chosen either, so a
   * monitor plugged later does not bring it back unasked. */
  g_hash_table_iter_init (&iter, self->screens);
  while (g_hash_table_iter_next (&iter, NULL, &listed))
    if (listed == window)
      g_hash_table_iter_remove (&iter);
  update_inhibit (self);
  rc_console_screens_rebuild_menu (self);
}

static void
open_window (RcConsole *self, const char *connector, GdkMonitor *monitor)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  RcWindow *window = rc_window_new (app, self->settings, TRUE);

  rc_window_set_feed (window, self->client);
  rc_window_fill_monitor (window, monitor);
  g_signal_connect_object (window, "destroy", G_CALLBACK (on_window_destroyed), self, 0);
  gtk_window_present (GTK_WINDOW (window));
  g_hash_table_replace (self->screens, g_strdup (connector), window);
}

static void
close_window (RcConsole *self, const char *connector)
{
  GtkWindow *window = g_hash_table_lookup (self->screens, connector);

  if (window != NULL)
    {
      /* (the entry first: the window's destruction must not find itself listed) */
      g_hash_table_replace (self->screens, g_strdup (connector), NULL);
      gtk_window_destroy (window);
    }
}

gboolean
rc_console_show_on_monitor (RcConsole *self, GdkMonitor *monitor, gboolean show)
{
  const char *connector = gdk_monitor_get_connector (monitor);

  /* (none, and no more, once the desk is closed) */
  if (connector == NULL || self->screens == NULL)
    return FALSE;
  if (show && g_hash_table_lookup (self->screens, connector) == NULL)
    open_window (self, connector, monitor);
  else if (!show && g_hash_table_contains (self->screens, connector))
    {
      close_window (self, connector);
      g_hash_table_remove (self->screens, connector);
    }
  update_inhibit (self);
  return TRUE;
}

guint
rc_console_count_screens (RcConsole *self)
{
  GHashTableIter iter;
  gpointer window;
  guint n = 0;

  if (self->screens == NULL)
    return 0;
  g_hash_table_iter_init (&iter, self->screens);
  while (g_hash_table_iter_next (&iter, NULL, &window))
    n += window != NULL;
  return n;
}

/* A monitor came or went: each chosen connector gets its window back, or loses it. */
static void
on_monitors_changed (GListModel *monitors, guint position, guint removed, guint added,
                     RcConsole *self)
{
  g_autoptr (GPtrArray) connectors = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  if (self->screens == NULL)
    return;
  g_hash_table_iter_init (&iter, self->screens);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (connectors, g_strdup (key));
  for (guint i = 0; i < connectors->len; i++)
    {
      const char *connector = g_ptr_array_index (connectors, i);
      GdkMonitor *monitor = find_monitor (connector);
      RcWindow *window = g_hash_table_lookup (self->screens, connector);

      if (monitor != NULL && window == NULL)
        open_window (self, connector, monitor);
      else if (monitor == NULL && window != NULL)
        close_window (self, connector);
    }
  update_inhibit (self);
  rc_console_screens_rebuild_menu (self);
}

/* ---- the picker ------------------------------------------------------------------ */

static void
on_screen_toggled (GtkCheckButton *button, RcConsole *self)
{
  GdkMonitor *monitor = find_monitor (g_object_get_data (G_OBJECT (button), "rc-connector"));

  if (monitor != NULL)
    rc_console_show_on_monitor (self, monitor, gtk_check_button_get_active (button));
}

void
rc_console_screens_rebuild_menu (RcConsole *self)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  GtkWidget *box;
  GtkWidget *title;

  if (self->screens == NULL || self->screens_popover == NULL)
    return;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  title = gtk_label_new (_ ("Show program full screen on"));

  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (box), title);
  for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
    {
      g_autoptr (GdkMonitor) m = g_list_model_get_item (monitors, i);
      g_autofree char *name = rc_console_monitor_name (m);
      g_autofree char *line = g_strdup_printf ("%u: %s", i, name);
      GtkWidget *check = gtk_check_button_new_with_label (line);
      const char *connector = gdk_monitor_get_connector (m);

      gtk_widget_set_sensitive (check, connector != NULL);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   connector != NULL
                                     && g_hash_table_lookup (self->screens, connector) != NULL);
      g_object_set_data_full (G_OBJECT (check), "rc-connector", g_strdup (connector), g_free);
      g_signal_connect (check, "toggled", G_CALLBACK (on_screen_toggled), self);
      gtk_box_append (GTK_BOX (box), check);
    }
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_popover_set_child (self->screens_popover, box);
}

GtkWidget *
rc_console_screens_button (RcConsole *self)
{
  GtkWidget *button = gtk_menu_button_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "video-display-symbolic");
  gtk_widget_set_tooltip_text (button, _ ("The hall's screens driven from this desk"));
  rc_a11y_name_button (button, _ ("Screens"));
  self->screens_popover = GTK_POPOVER (gtk_popover_new ());
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), GTK_WIDGET (self->screens_popover));
  rc_console_screens_rebuild_menu (self);
  return button;
}

void
rc_console_screens_init (RcConsole *self)
{
  self->screens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect_object (gdk_display_get_monitors (gdk_display_get_default ()), "items-changed",
                           G_CALLBACK (on_monitors_changed), self, 0);
}

void
rc_console_screens_dispose (RcConsole *self)
{
  g_autoptr (GHashTable) screens = g_steal_pointer (&self->screens);
  GHashTableIter iter;
  gpointer window;

  if (screens == NULL)
    return;
  /* (taken out first: each window's "destroy" finds nothing to update) */
  g_hash_table_iter_init (&iter, screens);
  while (g_hash_table_iter_next (&iter, NULL, &window))
    if (window != NULL)
      gtk_window_destroy (window);
  if (self->inhibit_cookie != 0)
    gtk_application_uninhibit (self->inhibit_app, self->inhibit_cookie);
  self->inhibit_cookie = 0;
  g_clear_object (&self->inhibit_app);
}
