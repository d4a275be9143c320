/* test-application.c — the application's keyboard: every key the brief promises is an
 * accelerator of the action it names, and the keyboard-shortcuts window (Ctrl+?)
 * lists exactly actions that have keys. A real RcApplication, registered (started)
 * in this process, under Xvfb. */
#include <gtk/gtk.h>
#include <string.h>

#include <adwaita.h>

#include "ui/rc-application.h"
#include "ui/rc-console.h"
#include "ui/rc-settings.h"
#include "ui/rc-window.h"

typedef struct {
  RcApplication *app;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->app = rc_application_new ();
  g_application_register (G_APPLICATION (f->app), NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_object_unref (f->app);
}

/* The action has this key among its accelerators (compared as keys, not as text:
 * GTK writes <Primary> as <Control>). */
static void
assert_accel (Fixture *f, const char *action, const char *accel)
{
  g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), action);
  guint want_key, key;
  GdkModifierType want_mods, mods;
  gboolean found = FALSE;

  g_assert_true (gtk_accelerator_parse (accel, &want_key, &want_mods));
  for (guint i = 0; accels[i] != NULL && !found; i++)
    {
      g_assert_true (gtk_accelerator_parse (accels[i], &key, &mods));
      found = key == want_key && mods == want_mods;
    }
  if (!found)
    g_error ("%s has no accelerator %s", action, accel);
}

static void
test_keys (Fixture *f, gconstpointer data)
{
  assert_accel (f, "win.fullscreen", "F11");
  assert_accel (f, "win.play-pause", "space");
  assert_accel (f, "win.seek-backward", "Left");
  assert_accel (f, "win.seek-forward", "Right");
  assert_accel (f, "win.faster", "plus");
  assert_accel (f, "win.faster", "KP_Add");
  assert_accel (f, "win.slower", "minus");
  assert_accel (f, "win.slower", "KP_Subtract");
  assert_accel (f, "app.quit", "<Primary>q");
  assert_accel (f, "win.show-help-overlay", "<Primary>question");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "quit"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "about"));
}

/* The About dialog shows the app's icon (a new user saw a broken image): the icon is
 * among the app's resources, which GtkApplication gives the icon theme at start-up,
 * so a build that is not installed has it as much as an installed one. */
static void
test_icon (Fixture *f, gconstpointer data)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_autoptr (GtkIconPaintable) icon = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *uri = NULL;

  g_assert_true (gtk_icon_theme_has_icon (theme, "io.github.rollcall.Rollcall"));
  g_assert_true (gtk_icon_theme_has_icon (theme, "io.github.rollcall.Rollcall-symbolic"));
  icon = gtk_icon_theme_lookup_icon (theme, "io.github.rollcall.Rollcall", NULL, 128, 1,
                                     GTK_TEXT_DIR_NONE, 0);
  file = gtk_icon_paintable_get_file (icon);
  g_assert_nonnull (file);
  uri = g_file_get_uri (file);
  g_assert_true (g_str_has_suffix (uri, "/io.github.rollcall.Rollcall.svg"));
}

static void
test_shortcuts_window_lists_real_keys (Fixture *f, gconstpointer data)
{
  g_autoptr (GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/rollcall/Rollcall/help-overlay.ui");
  GSList *objects = gtk_builder_get_objects (builder);
  g_autoptr (GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  const char *promised[] = { "win.fullscreen", "win.play-pause", "win.seek-backward",
                             "win.seek-forward", "win.faster", "win.slower", "app.quit" };

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      char *action = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "action-name", &action, NULL);
      if (action == NULL)
        continue;
      /* A listed action must have a key, or the window would show an empty line. */
      if (g_strcmp0 (action, "win.show-help-overlay") != 0)
        {
          g_auto (GStrv) accels =
            gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), action);
          g_assert_nonnull (accels[0]);
        }
      g_ptr_array_add (listed, action);
    }
  g_slist_free (objects);

  for (guint i = 0; i < G_N_ELEMENTS (promised); i++)
    g_assert_true (g_ptr_array_find_with_equal_func (listed, promised[i], g_str_equal, NULL));
}

/* The keyboard-shortcuts window among the toplevels, or NULL. */
static GtkWindow *
find_shortcuts_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* (transfer none) */
  GtkWindow *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (GTK_IS_SHORTCUTS_WINDOW (w))
        found = w;
    }
  return found;
}

/* The shortcuts window is built when asked for (not by GtkApplication at start-up),
 * belongs to the window, and is the same window when asked for again. */
static void
test_window_shows_help_overlay (Fixture *f, gconstpointer data)
{
  g_autoptr (RcSettings) settings = rc_settings_new ();
  RcWindow *window = rc_window_new (GTK_APPLICATION (f->app), settings, FALSE);
  GtkWindow *shortcuts = NULL;
  GtkWindow *again = NULL;

  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  shortcuts = find_shortcuts_window ();
  g_assert_nonnull (shortcuts);
  g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));

  gtk_window_close (shortcuts);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  again = find_shortcuts_window ();
  g_assert_true (again == shortcuts);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The GtkShortcutLabel under widget, depth first, or NULL. */
static GtkShortcutLabel *
find_key_label (GtkWidget *widget)
{
  if (GTK_IS_SHORTCUT_LABEL (widget))
    return GTK_SHORTCUT_LABEL (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkShortcutLabel *found = find_key_label (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_shortcuts (GtkWidget *widget, GPtrArray *out)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_shortcuts (c, out);
}

/* Every line of the shortcuts window shows its keys, and they are the keys the
 * application binds (a new user found every key cell blank: the window, built on
 * demand, is no GtkApplicationWindow's help overlay, so its lines could not look
 * their actions' keys up). */
/* The shortcuts window window shows (from resource) has a key on each line, the
 * keys the application binds to the line's action. */
/* The keys of action: the application's, or the desk's own (rc-console.c). */
static char **
keys_of (Fixture *f, const char *action, gboolean desk)
{
  char **keys = desk ? rc_console_get_keys (action) : NULL;

  return keys != NULL ? keys
                      : gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), action);
}

static void
assert_shortcuts_show_keys (Fixture *f, GtkWidget *window, const char *resource, gboolean desk)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new ();
  g_autoptr (GHashTable) actions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GtkWindow *shortcuts = NULL;

  g_assert_true (gtk_widget_activate_action (window, "win.show-help-overlay", NULL));
  shortcuts = find_shortcuts_window ();
  g_assert_nonnull (shortcuts);
  g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (window));
  /* each line's action, by its title, as the file names it */
  {
    g_autoptr (GtkBuilder) builder = gtk_builder_new_from_resource (resource);
    GSList *objects = gtk_builder_get_objects (builder);

    for (GSList *l = objects; l != NULL; l = l->next)
      if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        {
          char *title = NULL, *action = NULL;

          g_object_get (l->data, "title", &title, "action-name", &action, NULL);
          g_hash_table_insert (actions, title, action);
        }
    g_slist_free (objects);
  }
  /* every line of the file, once in its section and once among the search's results
   * (the window's copies) */
  collect_shortcuts (GTK_WIDGET (shortcuts), lines);
  g_assert_cmpuint (lines->len, ==, 2 * g_hash_table_size (actions));
  for (guint i = 0; i < lines->len; i++)
    {
      g_autofree char *title = NULL;
      GtkShortcutLabel *label = find_key_label (lines->pdata[i]);
      const char *shown = label != NULL ? gtk_shortcut_label_get_accelerator (label) : NULL;
      const char *action;

      g_object_get (lines->pdata[i], "title", &title, NULL);
      g_assert_true (g_hash_table_contains (actions, title));
      if (shown == NULL || *shown == '\0')
        g_error ("the shortcuts window shows no key for \"%s\"", title);
      action = g_hash_table_lookup (actions, title);
      if (action != NULL)
        {
          g_auto (GStrv) accels = keys_of (f, action, desk);
          g_auto (GStrv) keys = g_strsplit (shown, " ", -1);
          guint key, want_key;
          GdkModifierType mods, want_mods;

          /* the keys the application binds, in its order */
          g_assert_cmpuint (g_strv_length (keys), ==, g_strv_length (accels));
          for (guint k = 0; accels[k] != NULL; k++)
            {
              g_assert_true (gtk_accelerator_parse (accels[k], &want_key, &want_mods));
              g_assert_true (gtk_accelerator_parse (keys[k], &key, &mods));
              g_assert_cmpuint (key, ==, want_key);
              g_assert_cmpuint (mods, ==, want_mods);
            }
        }
    }
  gtk_window_destroy (shortcuts);
}

static void
test_shortcuts_window_shows_keys (Fixture *f, gconstpointer data)
{
  g_autoptr (RcSettings) settings = rc_settings_new ();
  RcWindow *window = rc_window_new (GTK_APPLICATION (f->app), settings, FALSE);

  assert_shortcuts_show_keys (f, GTK_WIDGET (window),
                              "/io/github/rollcall/Rollcall/help-overlay.ui", FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The desk's own keys for action include accel (compared as keys). */
static void
assert_desk_key (const char *action, const char *accel)
{
  g_auto (GStrv) keys = rc_console_get_keys (action);
  guint want_key, key;
  GdkModifierType want_mods, mods;
  gboolean found = FALSE;

  g_assert_nonnull (keys);
  g_assert_true (gtk_accelerator_parse (accel, &want_key, &want_mods));
  for (guint i = 0; keys[i] != NULL && !found; i++)
    {
      g_assert_true (gtk_accelerator_parse (keys[i], &key, &mods));
      found = key == want_key && mods == want_mods;
    }
  if (!found)
    g_error ("the desk's %s has no key %s", action, accel);
}

/* The desk's: every key the issue promises, each shown. */
static void
test_desk_shortcuts (Fixture *f, gconstpointer data)
{
  g_autoptr (RcSettings) settings = rc_settings_new ();
  g_autoptr (RcFeedClient) client = rc_feed_client_new ("ws://127.0.0.1:1", NULL);
  RcConsole *console;

  adw_init ();
  assert_desk_key ("win.take", "<Primary>Return");
  assert_desk_key ("win.blank", "<Primary>b");
  assert_desk_key ("win.holding", "<Primary>h");
  assert_desk_key ("win.undo-take", "<Primary>z");
  assert_desk_key ("win.select-previous", "Up");
  assert_desk_key ("win.select-next", "Down");
  console = rc_console_new (GTK_APPLICATION (f->app), settings, client, NULL, FALSE);
  assert_shortcuts_show_keys (f, GTK_WIDGET (console),
                              "/io/github/rollcall/Rollcall/console-shortcuts.ui", TRUE);
  gtk_window_destroy (GTK_WINDOW (console));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/application/keys", test_keys);
  ADD ("/application/shortcuts-window-lists-real-keys", test_shortcuts_window_lists_real_keys);
  ADD ("/application/window-shows-help-overlay", test_window_shows_help_overlay);
  ADD ("/application/icon", test_icon);
  ADD ("/application/shortcuts-window-shows-keys", test_shortcuts_window_shows_keys);
  ADD ("/application/desk-shortcuts", test_desk_shortcuts);
#undef ADD

  return g_test_run ();
}
