/* rc-bench-util.c — what the feed benchmarks share. */
#include "rc-bench-util.h"

#include <string.h>

gint64
rc_bench_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strconcat (field, ":", NULL);
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, key)) == NULL)
    return 0;
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

void
rc_bench_sort (GArray *values)
{
  g_array_sort (values, compare_doubles);
}

double
rc_bench_percentile (GArray *sorted, double p)
{
  guint rank;

  if (sorted->len == 0)
    return 0;
  rank = (guint) MAX (1.0, (p / 100.0) * sorted->len + 0.999999);
  return g_array_index (sorted, double, MIN (rank, sorted->len) - 1);
}

char *
rc_bench_machine (void)
{
  g_autofree char *cpuinfo = NULL;
  g_autofree char *model = NULL;
  const char *line;

  if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL)
      && (line = strstr (cpuinfo, "model name")) != NULL && (line = strchr (line, ':')) != NULL)
    model = g_strndup (line + 2, strcspn (line + 2, "\n"));
  return g_strdup_printf ("%s, %u CPUs", model != NULL ? model : "unknown CPU",
                          g_get_num_processors ());
}
