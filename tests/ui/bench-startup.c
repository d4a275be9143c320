/* bench-startup.c — start to a complete board, and peak resident memory, against an
 * empty GTK 4 window measured the same way.
 *
 * Each run spawns the program with ROLLCALL_EXIT_AFTER_FIRST_FRAME=1; the program
 * prints the monotonic time of its first complete frame and its VmHWM, then quits.
 * Start-up is that time minus the time just before the spawn (the monotonic clock is
 * the same for every process on the machine). rollcall shows A/RES/ES-11/1 from the
 * demo archive at the end of its journal, so the frame holds all 193 lights and the
 * result. Both programs use the Cairo renderer (GSK_RENDERER=cairo), as on a display
 * PC without a GPU, and both run with GDK_DEBUG=gl-disable: GDK 4.8 would otherwise
 * set OpenGL up at display open though nothing draws with it (~60 ms with Mesa's
 * software driver, the same for both; rollcall sets it itself when the renderer is
 * Cairo, the empty window is told). The runs alternate between the two programs;
 * the table shows medians. Targets (BRIEF): under 150 ms; within 25 MB of the empty
 * window.
 *
 * Then the operator's desk (issue 9), on a feed that has the demo's vote announced and
 * on air (rollcall-feed --replay at 64×, run to its end first): start to the first frame
 * where the desk's feed is live and preview, program and every presentation window
 * show the vote whole; alone, and with program full screen on a monitor (--monitor 0;
 * Xvfb has one monitor, so a second window is estimated from the first).
 *
 * Then the board in each of the other languages (issue 11): the same vote with
 * --board-language ar, zh_CN, fr, ru and es, against English (target: within 10%).
 *
 * Usage: bench-startup EMPTY-WINDOW-PROGRAM   (meson test --benchmark passes it)
 * Environment: ROLLCALL_BUILD_ROOT (the rollcall binary and the demo archive),
 * ROLLCALL_BENCH_RUNS (default 20), ROLLCALL_BENCH_OUT (also write the table there). */
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rc-bench-out.h"

#define TARGET_START_MS 150.0
/* The brief's empty GTK window on its machine: the target as a ratio to it. */
#define BRIEF_EMPTY_WINDOW_MS 90.0
#define TARGET_RSS_MB 25.0

typedef struct {
  const char *name;
  char **argv;
  GArray *start_ms; /* double */
  GArray *rss_mb;   /* double: peak (VmHWM) */
  GArray *now_mb;   /* double: at the complete frame (VmRSS) */
} Subject;

static gboolean
run_once (Subject *s, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *ff, *hwm, *rss;
  gint64 before;
  double ms, mb;

  g_subprocess_launcher_setenv (launcher, "ROLLCALL_EXIT_AFTER_FIRST_FRAME", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", "cairo", TRUE);
  g_subprocess_launcher_setenv (launcher, "GDK_DEBUG", "gl-disable", TRUE);

  before = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) s->argv, error);
  if (process == NULL)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, error))
    return FALSE;
  if (!g_subprocess_get_successful (process) || (ff = strstr (out, "first-frame-us: ")) == NULL
      || (hwm = strstr (out, "vmhwm-kb: ")) == NULL || (rss = strstr (out, "vmrss-kb: ")) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s did not report a first frame: %s%s",
                   s->name, out, err);
      return FALSE;
    }

  ms = (double) (g_ascii_strtoll (ff + strlen ("first-frame-us: "), NULL, 10) - before) / 1000.0;
  mb = (double) g_ascii_strtoll (hwm + strlen ("vmhwm-kb: "), NULL, 10) / 1024.0;
  g_array_append_val (s->start_ms, ms);
  g_array_append_val (s->rss_mb, mb);
  mb = (double) g_ascii_strtoll (rss + strlen ("vmrss-kb: "), NULL, 10) / 1024.0;
  g_array_append_val (s->now_mb, mb);
  return TRUE;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_autoptr (GArray) sorted = g_array_copy (values);
  guint n = sorted->len;

  g_array_sort (sorted, compare_doubles);
  if (n % 2 == 1)
    return g_array_index (sorted, double, n / 2);
  return (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

static double
minimum (GArray *values)
{
  double m = G_MAXDOUBLE;

  for (guint i = 0; i < values->len; i++)
    m = MIN (m, g_array_index (values, double, i));
  return m;
}

static double
maximum (GArray *values)
{
  double m = 0;

  for (guint i = 0; i < values->len; i++)
    m = MAX (m, g_array_index (values, double, i));
  return m;
}

static char *
machine (void)
{
  g_autofree char *cpuinfo = NULL;
  g_autofree char *model = NULL;
  const char *line;

  if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL) &&
      (line = strstr (cpuinfo, "model name")) != NULL && (line = strchr (line, ':')) != NULL)
    model = g_strndup (line + 2, strcspn (line + 2, "\n"));
  return g_strdup_printf ("%s, %u CPUs", model != NULL ? model : "unknown CPU",
                          g_get_num_processors ());
}

int
main (int argc, char *argv[])
{
  const char *root = g_getenv ("ROLLCALL_BUILD_ROOT");
  const char *runs_env = g_getenv ("ROLLCALL_BENCH_RUNS");
  guint runs = runs_env != NULL ? (guint) atoi (runs_env) : 20;
  g_autofree char *rollcall = NULL;
  g_autofree char *demo = NULL;
  g_autofree char *when = NULL;
  g_autofree char *where = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GError) error = NULL;
  GString *table = g_string_new (NULL);
  /* 0 the empty window, 1 the board in English, 2–3 the desk, 4… the board in the
   * other languages (LANGUAGES) */
  static const char *const languages[] = { "ar", "zh_CN", "fr", "ru", "es" };
  Subject subjects[4 + G_N_ELEMENTS (languages)];
  double start_diff, rss_diff;
  g_autoptr (GSubprocess) feed = NULL;
  g_autofree char *feed_url = NULL;

  if (argc != 2 || root == NULL || runs == 0)
    {
      g_printerr ("usage: ROLLCALL_BUILD_ROOT=BUILD %s EMPTY-WINDOW-PROGRAM\n", argv[0]);
      return 2;
    }

  rollcall = g_build_filename (root, "src", "bin", "rollcall", NULL);
  demo = g_build_filename (root, "data", "demo", "demo.rollcall", NULL);
  {
    char *empty_argv[] = { argv[1], NULL };
    char *rollcall_argv[] = { rollcall, "--replay", demo, "--vote", "A/RES/ES-11/1",
                              "--at", "end", NULL };

    subjects[0] = (Subject){ "empty GTK 4 window", g_strdupv (empty_argv),
                             g_array_new (FALSE, FALSE, sizeof (double)),
                             g_array_new (FALSE, FALSE, sizeof (double)),
                             g_array_new (FALSE, FALSE, sizeof (double)) };
    subjects[1] = (Subject){ "rollcall, A/RES/ES-11/1 complete", g_strdupv (rollcall_argv),
                             g_array_new (FALSE, FALSE, sizeof (double)),
                             g_array_new (FALSE, FALSE, sizeof (double)),
                             g_array_new (FALSE, FALSE, sizeof (double)) };
  }
  /* The desk's feed: the demo replayed to its end, the vote announced and on air. */
  {
    g_autofree char *feed_exe = g_build_filename (root, "src", "bin", "rollcall-feed", NULL);
    g_autoptr (GDataInputStream) lines = NULL;
    g_autofree char *line = NULL;
    const char *at;

    feed = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error, feed_exe, "--replay", demo, "--session", "2022-03-02",
                             "--speed", "64", "--port", "0", NULL);
    if (feed == NULL)
      {
        g_printerr ("bench-startup: %s\n", error->message);
        return 1;
      }
    lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (feed));
    line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL);
    if (line == NULL || (at = strstr (line, "http://")) == NULL)
      {
        g_printerr ("bench-startup: rollcall-feed said %s\n", line != NULL ? line : "nothing");
        return 1;
      }
    feed_url = g_strdup (at);
    g_usleep (4 * G_USEC_PER_SEC); /* 1 min 51 s of journal at 64× */
  }
  {
    char *desk_argv[] = { rollcall, "--console", "--feed", feed_url, NULL };
    char *desk_screen_argv[]
      = { rollcall, "--console", "--feed", feed_url, "--monitor", "0", NULL };

    subjects[2] = (Subject){ "rollcall --console (preview and program)", g_strdupv (desk_argv),
                             g_array_new (FALSE, FALSE, sizeof (double)),
                             g_array_new (FALSE, FALSE, sizeof (double)),
                             g_array_new (FALSE, FALSE, sizeof (double)) };
    subjects[3]
      = (Subject){ "rollcall --console --monitor 0 (and a presentation window)",
                   g_strdupv (desk_screen_argv), g_array_new (FALSE, FALSE, sizeof (double)),
                   g_array_new (FALSE, FALSE, sizeof (double)),
                   g_array_new (FALSE, FALSE, sizeof (double)) };
  }

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      char *language_argv[] = { rollcall, "--replay",         demo,
                                "--vote", "A/RES/ES-11/1",    "--at",
                                "end",    "--board-language", (char *) languages[l],
                                NULL };

      subjects[4 + l]
        = (Subject){ g_strdup_printf ("rollcall --board-language %s", languages[l]),
                     g_strdupv (language_argv), g_array_new (FALSE, FALSE, sizeof (double)),
                     g_array_new (FALSE, FALSE, sizeof (double)),
                     g_array_new (FALSE, FALSE, sizeof (double)) };
    }

  /* One unmeasured run each fills the page cache, as on a display PC that has run
   * the program before. Then alternate, so drift affects both alike. */
  for (guint i = 0; i <= runs; i++)
    for (guint s = 0; s < G_N_ELEMENTS (subjects); s++)
      {
        if (!run_once (&subjects[s], &error))
          {
            g_printerr ("bench-startup: %s\n", error->message);
            return 1;
          }
        if (i == 0)
          {
            g_array_set_size (subjects[s].start_ms, 0);
            g_array_set_size (subjects[s].rss_mb, 0);
            g_array_set_size (subjects[s].now_mb, 0);
          }
      }

  start_diff = median (subjects[1].start_ms) - median (subjects[0].start_ms);
  rss_diff = median (subjects[1].rss_mb) - median (subjects[0].rss_mb);
  when = g_date_time_format (now, "%Y-%m-%d %H:%M");
  where = machine ();

  g_string_append_printf (table, "### Start to a complete board (window)\n\n");
  g_string_append_printf (table,
                          "%s, %s; Xvfb, GSK_RENDERER=cairo, GDK_DEBUG=gl-disable; "
                          "median of %u runs.\n\n",
                          when, where, runs);
  g_string_append (table, "| program | start to first complete frame | (min – max) | peak RSS |\n");
  g_string_append (table, "|---|---:|---:|---:|\n");
  for (guint s = 0; s < 2; s++)
    g_string_append_printf (table, "| %s | %.1f ms | %.1f – %.1f ms | %.1f MB |\n",
                            subjects[s].name, median (subjects[s].start_ms),
                            minimum (subjects[s].start_ms), maximum (subjects[s].start_ms),
                            median (subjects[s].rss_mb));
  g_string_append_printf (table, "| rollcall − empty window | %+.1f ms | | %+.1f MB |\n\n",
                          start_diff, rss_diff);
  {
    double start = median (subjects[1].start_ms), empty = median (subjects[0].start_ms);
    double ratio = TARGET_START_MS / BRIEF_EMPTY_WINDOW_MS;

    g_string_append_printf (table, "- start under %.0f ms: %s (%.1f ms)\n", TARGET_START_MS,
                            start < TARGET_START_MS ? "met" : "NOT met", start);
    /* The brief gives 150 ms where an empty window takes ~90 ms; this machine's speed
     * varies, the ratio measured in one run does not depend on it. */
    g_string_append_printf (table,
                            "- as a ratio (the brief's %.0f ms where its empty window takes "
                            "%.0f ms: %.2f× the empty window, here %.1f ms): %s (%.2f×)\n",
                            TARGET_START_MS, BRIEF_EMPTY_WINDOW_MS, ratio, ratio * empty,
                            start / empty <= ratio ? "met" : "NOT met", start / empty);
  }
  g_string_append_printf (table, "- resident memory within %.0f MB of the empty window: %s "
                          "(%+.1f MB)\n",
                          TARGET_RSS_MB, rss_diff <= TARGET_RSS_MB ? "met" : "NOT met", rss_diff);

  g_string_append_printf (table, "\n### The desk: start to preview and program complete\n\n");
  g_string_append_printf (table,
                          "%s, %s; Xvfb 1920×1080, GSK_RENDERER=cairo, GDK_DEBUG=gl-disable; "
                          "a feed with A/RES/ES-11/1 announced and on air; median of %u "
                          "runs.\n\n",
                          when, where, runs);
  g_string_append (table, "| program | start to first complete frame | (min – max) | peak RSS "
                          "| RSS then |\n");
  g_string_append (table, "|---|---:|---:|---:|---:|\n");
  for (guint s = 1; s < 4; s++)
    g_string_append_printf (table, "| %s | %.1f ms | %.1f – %.1f ms | %.1f MB | %.1f MB |\n",
                            subjects[s].name, median (subjects[s].start_ms),
                            minimum (subjects[s].start_ms), maximum (subjects[s].start_ms),
                            median (subjects[s].rss_mb), median (subjects[s].now_mb));
  {
    double one = median (subjects[3].now_mb) - median (subjects[2].now_mb);
    double peak = MAX (median (subjects[3].rss_mb), median (subjects[2].now_mb) + 2 * one);

    g_string_append_printf (table,
                            "| the desk and two presentation windows (estimated: the desk "
                            "+ 2 × %.1f MB) | | | %.1f MB | %.1f MB |\n",
                            one, peak, median (subjects[2].now_mb) + 2 * one);
    g_string_append_printf (table, "| the desk − the board window | %+.1f ms | | %+.1f MB | |\n",
                            median (subjects[2].start_ms) - median (subjects[1].start_ms),
                            median (subjects[2].rss_mb) - median (subjects[1].rss_mb));
  }

  g_string_append_printf (table, "\n### Start to a complete board in each language\n\n");
  g_string_append_printf (table,
                          "%s, %s; the same runs as above, alternating; A/RES/ES-11/1 complete "
                          "with its names, words and order in the board's language (fonts: "
                          "Noto Sans Arabic, Noto Sans CJK SC).\n\n",
                          when, where);
  g_string_append (table, "| board language | start to first complete frame | (min – max) | "
                          "against English | peak RSS |\n");
  g_string_append (table, "|---|---:|---:|---:|---:|\n");
  g_string_append_printf (table, "| en | %.1f ms | %.1f – %.1f ms | | %.1f MB |\n",
                          median (subjects[1].start_ms), minimum (subjects[1].start_ms),
                          maximum (subjects[1].start_ms), median (subjects[1].rss_mb));
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      Subject *s = &subjects[4 + l];
      double ratio = median (s->start_ms) / median (subjects[1].start_ms);

      g_string_append_printf (
        table, "| %s | %.1f ms | %.1f – %.1f ms | %+.1f%% (%s) | %.1f MB |\n", languages[l],
        median (s->start_ms), minimum (s->start_ms), maximum (s->start_ms), 100 * (ratio - 1),
        ratio <= 1.10 ? "within 10%: met" : "NOT within 10%", median (s->rss_mb));
    }

  fputs (table->str, stdout);
  rc_bench_append_out ("bench-startup", table->str);

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    g_free ((char *) subjects[4 + l].name);
  for (guint s = 0; s < G_N_ELEMENTS (subjects); s++)
    {
      g_strfreev (subjects[s].argv);
      g_array_unref (subjects[s].start_ms);
      g_array_unref (subjects[s].rss_mb);
      g_array_unref (subjects[s].now_mb);
    }
  g_string_free (table, TRUE);
  g_subprocess_force_exit (feed);
  g_subprocess_wait (feed, NULL, NULL);
  return 0;
}
