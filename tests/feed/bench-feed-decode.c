/* bench-feed-decode.c — what reading the feed's messages costs, per message and at
 * 10,000 events a second, and what the JSON parsers alone cost on them.
 *
 * The messages are the real ones of the bundled demo's General Assembly meeting of
 * 2 March 2022 as a board receives them (each event with its stream, and the snapshot
 * of the whole vote, 193 members, once it is announced). For each, the time of
 * rc_codec_decode_message() (what a board's decoder thread runs: parse, check, build
 * the event) and of two parsers alone on the same text: json-glib 1.6
 * (json_parser_load_from_data, lenient) and jansson (json_loadb with
 * JSON_REJECT_DUPLICATES, strict), so that docs/performance.md can say why the codec
 * parses with the one it does. Each figure is the median over 15 rounds of the mean
 * time of a batch (≥ 20 ms of work); "at 10,000 a second" is the share of one core
 * that decoding the demo's ballots at that rate takes.
 *
 * Prints a Markdown table; appends it to $ROLLCALL_BENCH_OUT when set. */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive/rc-archive.h"
#include "feed/rc-codec.h"
#include "model/rc-session.h"
#include "model/rc-snapshot.h"
#include "../rc-bench-out.h"
#include "bench-feed-decode.h"
#include "rc-bench-util.h"

#define ROUNDS 15
#define STREAM "ga-es11-2022-03-02~bench"

typedef gboolean (*ParseFunc) (const char *text, gsize length);

static gboolean
parse_json_glib (const char *text, gsize length)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();

  return json_parser_load_from_data (parser, text, (gssize) length, NULL);
}

static gboolean
decode_codec (const char *text, gsize length)
{
  g_autoptr (RcMessage) message = rc_codec_decode_message (text, (gssize) length, NULL);

  return message != NULL;
}

/* Median over ROUNDS of the mean time (µs) of one call, in batches of ≥ 20 ms. */
static double
time_us (ParseFunc func, const char *text, gsize length)
{
  g_autoptr (GArray) rounds = g_array_new (FALSE, FALSE, sizeof (double));
  guint batch = 1;
  gint64 start;

  if (!func (text, length))
    {
      g_printerr ("bench-feed-decode: a message of %zu bytes was refused\n", length);
      exit (1);
    }
  /* How many calls make 20 ms, so that the clock's resolution does not matter. */
  for (;;)
    {
      start = g_get_monotonic_time ();
      for (guint i = 0; i < batch; i++)
        func (text, length);
      if (g_get_monotonic_time () - start >= 20000)
        break;
      batch *= 2;
    }
  for (guint r = 0; r < ROUNDS; r++)
    {
      double us;

      start = g_get_monotonic_time ();
      for (guint i = 0; i < batch; i++)
        func (text, length);
      us = (double) (g_get_monotonic_time () - start) / batch;
      g_array_append_val (rounds, us);
    }
  rc_bench_sort (rounds);
  return rc_bench_percentile (rounds, 50);
}

typedef struct {
  const char *what;
  char *text;
} Sample;

/* The demo's meeting as a board receives it: one message per kind of event (the first
 * of each), and the snapshot once the vote is announced. */
static GPtrArray *
demo_messages (GPtrArray **ballots)
{
  const char *root = g_getenv ("ROLLCALL_BUILD_ROOT");
  g_autofree char *path = g_build_filename (root != NULL ? root : ".", "data", "demo",
                                            "demo.rollcall", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (RcSession) session = rc_session_new ();
  g_autoptr (RcSnapshot) snapshot = NULL;
  GPtrArray *samples = g_ptr_array_new ();
  guint seen = 0;

  if (archive == NULL
      || (events = rc_archive_load_events (archive, "ga-es11-2022-03-02", &error)) == NULL)
    {
      g_printerr ("bench-feed-decode: %s: %s\n", path, error->message);
      exit (1);
    }
  *ballots = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < events->len; i++)
    {
      RcEvent *event = g_ptr_array_index (events, i);
      char *text = rc_codec_encode_stream_event (event, STREAM);

      if (!rc_session_apply (session, event, &error))
        {
          g_printerr ("bench-feed-decode: the demo's event %u: %s\n", i, error->message);
          exit (1);
        }
      if (event->type == RC_EVENT_BALLOT)
        g_ptr_array_add (*ballots, g_strdup (text));
      if (!(seen & (1u << event->type)))
        {
          Sample *s = g_new0 (Sample, 1);

          seen |= 1u << event->type;
          s->what = rc_event_type_to_string (event->type);
          s->text = text;
          g_ptr_array_add (samples, s);
        }
      else
        g_free (text);
    }
  {
    Sample *heartbeat = g_new0 (Sample, 1), *whole = g_new0 (Sample, 1);

    heartbeat->what = "heartbeat";
    heartbeat->text = rc_codec_encode_heartbeat (STREAM, events->len, 1646238966000000);
    g_ptr_array_add (samples, heartbeat);
    snapshot = rc_session_snapshot (session);
    whole->what = "snapshot (193 members, the vote announced)";
    whole->text = rc_codec_encode_snapshot (snapshot, STREAM);
    g_ptr_array_add (samples, whole);
  }
  return samples;
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) samples = NULL;
  g_autoptr (GPtrArray) ballots = NULL;
  g_autoptr (GString) t = g_string_new (NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *where = rc_bench_machine ();
  double ballot_us = 0;

  samples = demo_messages (&ballots);
  g_string_append_printf (t,
                          "%s, %s. Decoding the demo's messages as a board receives them "
                          "(median of %d rounds of the mean time of one call): the codec "
                          "(rc_codec_decode_message: parse, check, build), and two JSON "
                          "parsers alone on the same text.\n\n",
                          when, where, ROUNDS);
  g_string_append (t, "| message | bytes | codec decode | json-glib 1.6 parse (lenient) | "
                      "jansson 2.14 parse (strict) |\n");
  g_string_append (t, "|---|---:|---:|---:|---:|\n");
  for (guint i = 0; i < samples->len; i++)
    {
      Sample *s = g_ptr_array_index (samples, i);
      gsize n = strlen (s->text);
      double codec = time_us (decode_codec, s->text, n);

      if (g_str_equal (s->what, "ballot"))
        ballot_us = codec;
      g_string_append_printf (t, "| %s | %zu | %.2f µs | %.2f µs | %.2f µs |\n", s->what, n,
                              codec, time_us (parse_json_glib, s->text, n),
                              time_us (rc_bench_parse_jansson, s->text, n));
      g_free (s->text);
      g_free (s);
    }
  g_string_append_printf (t,
                          "\nAt 10,000 ballots a second, decoding takes %.1f%% of one core "
                          "(%.2f µs a ballot).\n\n",
                          ballot_us * 10000 / 1e6 * 100, ballot_us);
  fputs (t->str, stdout);
  fflush (stdout);
  rc_bench_append_out ("bench-feed-decode", t->str);
  return 0;
}
