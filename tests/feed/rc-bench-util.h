/* rc-bench-util.h — what the feed benchmarks share: the process's memory as
 * /proc says, nearest-rank percentiles, the machine's name for the tables. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A "VmRSS"/"VmHWM"-style field of /proc/self/status, in kB (0 if unknown). */
gint64 rc_bench_status_kb (const char *field);
/* Sorts values (doubles) in place. */
void rc_bench_sort (GArray *values);
/* Nearest-rank percentile p (0–100) of a sorted array of doubles; 0 when empty. */
double rc_bench_percentile (GArray *sorted, double p);
/* "AMD EPYC, 2 CPUs" */
char *rc_bench_machine (void);

G_END_DECLS
