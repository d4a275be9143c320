/* bench-feed-messages.c — the demo's messages and the timer of the codec's benchmarks. */
#include "bench-feed-messages.h"

#include <stdlib.h>
#include <string.h>

#include "archive/rc-archive.h"
#include "codec/rc-codec.h"
#include "model/rc-session.h"
#include "rc-bench-util.h"

static void
message_free (gpointer data)
{
  RcBenchMessage *m = data;

  g_clear_pointer (&m->event, rc_event_unref);
  g_clear_pointer (&m->snapshot, rc_snapshot_unref);
  g_free (m->text);
  g_free (m);
}

GPtrArray *
rc_bench_demo_messages (const char *program)
{
  const char *root = g_getenv ("ROLLCALL_BUILD_ROOT");
  g_autofree char *path
    = g_build_filename (root != NULL ? root : ".", "data", "demo", "demo.rollcall", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (RcSession) session = rc_session_new ();
  GPtrArray *messages = g_ptr_array_new_with_free_func (message_free);
  RcBenchMessage *heartbeat, *whole;
  guint seen = 0;

  if (archive == NULL
      || (events = rc_archive_load_events (archive, "ga-es11-2022-03-02", &error)) == NULL)
    {
      g_printerr ("%s: %s: %s\n", program, path, error->message);
      exit (1);
    }
  for (guint i = 0; i < events->len; i++)
    {
      RcEvent *event = g_ptr_array_index (events, i);
      RcBenchMessage *m;

      if (!rc_session_apply (session, event, &error))
        {
          g_printerr ("%s: the demo's event %u: %s\n", program, i, error->message);
          exit (1);
        }
      if (seen & (1u << event->type))
        continue;
      seen |= 1u << event->type;
      m = g_new0 (RcBenchMessage, 1);
      m->what = rc_event_type_to_string (event->type);
      m->event = rc_event_ref (event);
      m->text = rc_codec_encode_stream_event (event, RC_BENCH_STREAM);
      g_ptr_array_add (messages, m);
    }

  heartbeat = g_new0 (RcBenchMessage, 1);
  heartbeat->what = "heartbeat";
  heartbeat->last_seq = events->len;
  heartbeat->time = 1646238966000000;
  heartbeat->text
    = rc_codec_encode_heartbeat (RC_BENCH_STREAM, heartbeat->last_seq, heartbeat->time);
  g_ptr_array_add (messages, heartbeat);

  whole = g_new0 (RcBenchMessage, 1);
  whole->what = "snapshot (193 members, the vote announced)";
  whole->snapshot = rc_session_snapshot (session);
  whole->text = rc_codec_encode_snapshot (whole->snapshot, RC_BENCH_STREAM);
  g_ptr_array_add (messages, whole);
  for (guint i = 0; i < messages->len; i++)
    {
      RcBenchMessage *m = g_ptr_array_index (messages, i);

      m->length = strlen (m->text);
    }
  return messages;
}

double
rc_bench_time_us (const char *program, guint rounds, RcBenchFunc func, gconstpointer data)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  guint batch = 1;
  gint64 start;

  if (!func (data))
    {
      g_printerr ("%s: a call failed\n", program);
      exit (1);
    }
  for (;;)
    {
      start = g_get_monotonic_time ();
      for (guint i = 0; i < batch; i++)
        func (data);
      if (g_get_monotonic_time () - start >= 20000)
        break;
      batch *= 2;
    }
  for (guint r = 0; r < rounds; r++)
    {
      double us;

      start = g_get_monotonic_time ();
      for (guint i = 0; i < batch; i++)
        func (data);
      us = (double) (g_get_monotonic_time () - start) / batch;
      g_array_append_val (times, us);
    }
  rc_bench_sort (times);
  return rc_bench_percentile (times, 50);
}
