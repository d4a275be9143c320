/* bench-empty-window.c — the baseline of the start-up benchmark: an empty GTK 4
 * window, 1280×720 like rollcall's, that prints at its first frame the same figures
 * rollcall's probe prints (ROLLCALL_EXIT_AFTER_FIRST_FRAME), then quits. Plain GTK:
 * no libadwaita, none of our code. */
#include <gtk/gtk.h>
#include <stdio.h>
#include <string.h>

static gboolean done;

static gint64
read_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, field);
  return line != NULL ? g_ascii_strtoll (line + strlen (field), NULL, 10) : 0;
}

static void
on_after_paint (GdkFrameClock *clock, gpointer data)
{
  if (done)
    return;
  done = TRUE;
  printf ("first-frame-us: %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  printf ("vmhwm-kb: %" G_GINT64_FORMAT "\n", read_status_kb ("VmHWM:"));
  printf ("vmrss-kb: %" G_GINT64_FORMAT "\n", read_status_kb ("VmRSS:"));
  fflush (stdout);
}

static void
on_realize (GtkWidget *window, gpointer data)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), NULL);
}

int
main (int argc, char *argv[])
{
  GtkWidget *window;

  gtk_init ();
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
  g_signal_connect_after (window, "realize", G_CALLBACK (on_realize), NULL);
  gtk_window_present (GTK_WINDOW (window));
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
