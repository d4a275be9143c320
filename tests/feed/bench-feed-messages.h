/* bench-feed-messages.h — what bench-feed-decode.c and bench-feed-encode.c share: the
 * messages of the bundled demo's General Assembly meeting of 2 March 2022 as the feed
 * sends them, and the time of one call. */
#pragma once

#include <glib.h>

#include "model/rc-event.h"
#include "model/rc-snapshot.h"

G_BEGIN_DECLS

#define RC_BENCH_STREAM "ga-es11-2022-03-02~bench"

/* One message: an event of the stream (the first of each type), a heartbeat, or the
 * snapshot of the whole vote (193 members) once it is announced. */
typedef struct {
  const char *what;
  RcEvent *event;       /* or NULL */
  RcSnapshot *snapshot; /* or NULL */
  gint64 last_seq;      /* of the heartbeat */
  gint64 time;          /* of the heartbeat */
  char *text;           /* the message as the feed sends it */
  gsize length;         /* of text */
} RcBenchMessage;

/* Of RcBenchMessage, in the order of the meeting; frees them with the array. Exits with
 * a one-line reason (named after program) when the demo cannot be read. */
GPtrArray *rc_bench_demo_messages (const char *program);

typedef gboolean (*RcBenchFunc) (gconstpointer data);

/* The median over `rounds` rounds of the mean time (µs) of one call of func, in batches
 * of at least 20 ms (the clock's resolution does not matter). Exits if func returns
 * FALSE on its first call. */
double rc_bench_time_us (const char *program, guint rounds, RcBenchFunc func, gconstpointer data);

G_END_DECLS
