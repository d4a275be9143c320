/* rc-bench-out.h — where a benchmark's table goes besides stdout: appended to
 * $ROLLCALL_BENCH_OUT when set, so that one `./run bench` collects every table in
 * one file for docs/performance.md. */
#pragma once

#include <glib.h>
#include <stdio.h>

static inline void
rc_bench_append_out (const char *program, const char *text)
{
  const char *path = g_getenv ("ROLLCALL_BENCH_OUT");
  FILE *f;

  if (path == NULL || *path == '\0')
    return;
  f = fopen (path, "a");
  if (f == NULL)
    {
      g_printerr ("%s: cannot append to %s\n", program, path);
      return;
    }
  fputs (text, f);
  fclose (f);
}
