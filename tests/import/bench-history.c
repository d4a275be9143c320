/* bench-history.c — the Assembly's whole unvotes history: importing it, listing and
 * searching it, and opening any of its sessions on the board (issue 10).
 *
 * 1. The built rollcall-import on ../shared/data/formats/unvotes (870,109 rows, 6,203
 *    roll calls) into a new archive, as a user runs it: wall time and the process's
 *    peak memory (ru_maxrss), the median of 3 runs. Target: under 3 s.
 * 2. rc_archive_list_votes() and rc_archive_find_votes() on that archive, medians of 21
 *    runs (each from a fresh rc_archive_open: nothing cached). Target: under 50 ms.
 * 3. Opening a session on the board: rc_archive_load_state() (checkpoint or journal,
 *    folded), the layout of its roster at 1920×1080 and a first, cold paint of its
 *    first vote with a new painter — for 40 sessions spread over 1946–2019, median and
 *    worst. Target: under 100 ms each.
 *
 * usage: bench-history ROLLCALL_IMPORT (the data from $ROLLCALL_SHARED_DATA) */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include <glib/gstdio.h>

#include "../rc-bench-out.h"
#include "archive/rc-archive.h"
#include "render/rc-board-layout.h"
#include "render/rc-painter.h"

extern char **environ;

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v, int n)
{
  qsort (v, (size_t) n, sizeof *v, compare);
  return v[n / 2];
}

/* Runs the import; its wall time in ms, its peak RSS in MB. */
static double
import_once (const char *program, const char *input, const char *output, double *rss_mb)
{
  char *argv[] = { (char *) program,
                   (char *) "--from",
                   (char *) "unvotes",
                   (char *) input,
                   (char *) "-o",
                   (char *) output,
                   NULL };
  posix_spawn_file_actions_t actions;
  struct rusage usage;
  pid_t pid;
  int status = 0;
  double t0, t;

  g_unlink (output);
  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen (&actions, 2, "/dev/null", O_WRONLY, 0);
  t0 = now_ms ();
  g_assert_cmpint (posix_spawn (&pid, program, &actions, NULL, argv, environ), ==, 0);
  g_assert_cmpint (wait4 (pid, &status, 0, &usage), ==, pid);
  t = now_ms () - t0;
  posix_spawn_file_actions_destroy (&actions);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  *rss_mb = usage.ru_maxrss / 1024.0;
  return t;
}

int
main (int argc, char *argv[])
{
  const char *shared = g_getenv ("ROLLCALL_SHARED_DATA");
  g_autofree char *input = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rollcall-bench-history-XXXXXX", NULL);
  g_autofree char *archive_path = g_build_filename (dir, "history.rollcall", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) sessions = NULL;
  g_autoptr (GString) table = g_string_new (NULL);
  double imports[3], rss[3], list[21], search[21], words[21], open[40];
  double rss_max = 0, open_max = 0;
  guint n_votes = 0, n_open = 0;

  if (argc != 2 || shared == NULL)
    {
      g_printerr ("usage: bench-history ROLLCALL_IMPORT (with ROLLCALL_SHARED_DATA set)\n");
      return 2;
    }
  input = g_build_filename (shared, "formats", "unvotes", NULL);

  for (int i = 0; i < 3; i++)
    {
      imports[i] = import_once (argv[1], input, archive_path, &rss[i]);
      rss_max = MAX (rss_max, rss[i]);
    }

  for (int i = 0; i < 21; i++)
    {
      g_autoptr (RcArchive) archive = rc_archive_open (archive_path, RC_ARCHIVE_READ_ONLY, &error);
      g_autoptr (GPtrArray) all = NULL;
      g_autoptr (GPtrArray) found = NULL;
      double t0;

      g_assert_no_error (error);
      t0 = now_ms ();
      all = rc_archive_list_votes (archive, &error);
      list[i] = now_ms () - t0;
      g_assert_no_error (error);
      n_votes = all->len;
      g_assert_cmpuint (n_votes, ==, 6203);
      t0 = now_ms ();
      found = rc_archive_find_votes (archive, "A/RES/68/262", &error);
      search[i] = now_ms () - t0;
      g_assert_cmpuint (found->len, ==, 1);
      g_clear_pointer (&found, g_ptr_array_unref);
      t0 = now_ms ();
      found = rc_archive_find_votes (archive, "nuclear weapons 1985", &error);
      words[i] = now_ms () - t0;
      g_assert_nonnull (found);
    }

  {
    g_autoptr (RcArchive) archive = rc_archive_open (archive_path, RC_ARCHIVE_READ_ONLY, &error);
    g_autoptr (RcStyle) style = rc_style_new ();
    PangoContext *context = rc_board_measure_context_new ();
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1920, 1080);

    g_assert_no_error (error);
    sessions = rc_archive_list_sessions (archive, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < G_N_ELEMENTS (open); i++)
      {
        const RcArchiveSessionRow *row
          = g_ptr_array_index (sessions, i * (sessions->len - 1) / (G_N_ELEMENTS (open) - 1));
        g_autoptr (RcSession) session = NULL;
        g_autoptr (RcBoardLayout) layout = NULL;
        g_autoptr (RcPainter) painter = rc_painter_new ();
        cairo_t *cr = cairo_create (surface);
        double t0 = now_ms ();

        session = rc_archive_load_state (archive, row->id, NULL, &error);
        g_assert_no_error (error);
        layout = rc_board_layout_new (1920, 1080, rc_session_get_roster (session), style, context);
        rc_painter_paint_board (painter, cr, layout, style, session,
                                rc_session_get_vote (session, 0),
                                rc_session_get_last_time (session));
        cairo_surface_flush (surface);
        open[i] = now_ms () - t0;
        open_max = MAX (open_max, open[i]);
        n_open++;
        cairo_destroy (cr);
      }
    cairo_surface_destroy (surface);
    g_object_unref (context);
  }

  g_string_append_printf (
    table,
    "| unvotes history (870,109 rows, %u votes) | median | worst |\n"
    "|---|---|---|\n"
    "| import, `rollcall-import --from unvotes` (3 runs) | %.0f ms | %.0f "
    "MB peak RSS |\n"
    "| `rc_archive_list_votes`, every vote with its result (21 runs) | %.1f ms "
    "| |\n"
    "| `rc_archive_find_votes \"A/RES/68/262\"` | %.1f ms | |\n"
    "| `rc_archive_find_votes \"nuclear weapons 1985\"` | %.1f ms | |\n"
    "| a session on the board: state, layout 1920×1080, first paint (%u "
    "sessions, 1946–2019) | %.1f ms | %.1f ms |\n",
    n_votes, median (imports, 3), rss_max, median (list, 21), median (search, 21),
    median (words, 21), n_open, median (open, (int) n_open), open_max);
  fputs (table->str, stdout);
  rc_bench_append_out ("bench-history", table->str);

  g_unlink (archive_path);
  g_rmdir (dir);
  return 0;
}
