/* rc-bench-util.h — what the feed benchmarks share: the demo's vote opened in a hub,
 * the process's memory as /proc says, nearest-rank percentiles, the machine's name. */
#pragma once

#include <glib.h>

#include "feed/rc-feed-hub.h"

G_BEGIN_DECLS

/* Publishes the bundled demo's GA meeting up to the opening of its vote (session,
 * scheduled, on air, opened) into hub; returns the codes of the members yet to vote
 * and sets vote_id. Exits with a one-line reason (named after program) on failure. */
GPtrArray *rc_bench_publish_demo_opening (RcFeedHub *hub, const char *program, char **vote_id);
/* A "VmRSS"/"VmHWM"-style field of /proc/self/status, in kB (0 if unknown). */
gint64 rc_bench_status_kb (const char *field);
/* Sorts values (doubles) in place. */
void rc_bench_sort (GArray *values);
/* Nearest-rank percentile p (0–100) of a sorted array of doubles; 0 when empty. */
double rc_bench_percentile (GArray *sorted, double p);
/* "AMD EPYC, 2 CPUs" */
char *rc_bench_machine (void);

G_END_DECLS
