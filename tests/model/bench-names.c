/* bench-names.c — what the board's languages cost at start: the 193 members' names and
 * order in a language (rc_roster_translate: the names file, CLDR's names through ICU,
 * ICU's collator and a sort key per name), in a fresh process (ICU's data mapped and
 * its collator opened for the first time, as a kiosk starting) and again in the same
 * process (as when the operator switches language). Medians of ROLLCALL_BENCH_RUNS
 * (default 20) fresh processes per language; the table goes to docs/performance.md.
 *
 * Usage: bench-names            (meson test --benchmark)
 *        bench-names --one LANG (one fresh run: prints "first-us again-us") */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "../rc-bench-out.h"
#include "model/rc-chamber.h"
#include "model/rc-language.h"
#include "model/rc-names.h"

static int
one (const char *language)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcRoster) roster = rc_chamber_find_roster ("UNGA", "2022-03-02", &error);
  gint64 t0, t1, t2;

  if (roster == NULL)
    {
      g_printerr ("bench-names: %s\n", error->message);
      return 1;
    }
  t0 = g_get_monotonic_time ();
  {
    g_autoptr (RcRoster) first = rc_roster_translate (roster, language, "2022-03-02");
  }
  t1 = g_get_monotonic_time ();
  {
    g_autoptr (RcRoster) again = rc_roster_translate (roster, language, "2022-03-02");
  }
  t2 = g_get_monotonic_time ();
  printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", t1 - t0, t2 - t1);
  return 0;
}

static int
compare (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare);
  return values->len > 0 ? g_array_index (values, double, values->len / 2) : 0;
}

int
main (int argc, char *argv[])
{
  const char *runs_env = g_getenv ("ROLLCALL_BENCH_RUNS");
  guint runs = runs_env != NULL ? (guint) atoi (runs_env) : 20;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M");
  GString *table = g_string_new (NULL);

  if (argc == 3 && g_str_equal (argv[1], "--one"))
    return one (argv[2]);

  g_string_append_printf (table, "### The names and order of the board's language (ICU)\n\n");
  g_string_append_printf (table,
                          "%s; rc_roster_translate() of the 193 members of 2 March 2022; median "
                          "of %u fresh processes per language.\n\n",
                          when, runs);
  g_string_append (table, "| language | first, in a fresh process | again |\n|---|---:|---:|\n");
  for (guint k = 0; rc_language_codes ()[k] != NULL; k++)
    {
      const char *language = rc_language_codes ()[k];
      g_autoptr (GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (GArray) again = g_array_new (FALSE, FALSE, sizeof (double));

      if (g_str_equal (language, "en"))
        continue;
      for (guint r = 0; r < runs; r++)
        {
          const char *child[] = { argv[0], "--one", language, NULL };
          g_autofree char *out = NULL;
          g_autoptr (GError) error = NULL;
          int status;
          double a, b;

          if (!g_spawn_sync (NULL, (char **) child, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                             &status, &error)
              || !g_spawn_check_wait_status (status, &error)
              || sscanf (out, "%lf %lf", &a, &b) != 2)
            {
              g_printerr ("bench-names: %s\n", error != NULL ? error->message : out);
              return 1;
            }
          g_array_append_val (first, a);
          g_array_append_val (again, b);
        }
      g_string_append_printf (table, "| %s | %.2f ms | %.2f ms |\n", language,
                              median (first) / 1000, median (again) / 1000);
    }
  fputs (table->str, stdout);
  rc_bench_append_out ("bench-names", table->str);
  g_string_free (table, TRUE);
  return 0;
}
