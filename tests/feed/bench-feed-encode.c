/* bench-feed-encode.c — what writing the feed's messages costs, per message and at
 * 10,000 events a second.
 *
 * The messages are those of bench-feed-decode.c (the demo's meeting as the feed sends
 * it). For each, the time of the codec's encoder (rc_codec_encode_stream_event(),
 * _heartbeat(), _snapshot(): what the server runs once per event for all its clients),
 * and, beside it, jansson's json_dumps() alone on a tree of the same message built
 * beforehand (JSON_COMPACT | JSON_PRESERVE_ORDER): what a jansson encoder would cost at
 * the least, before building its tree. Each figure is the median over 15 rounds of the
 * mean time of a batch (≥ 20 ms of work); "at 10,000 a second" is the share of one core
 * that a server's encoding of the demo's ballots takes at that rate (each event twice:
 * its journal line, rc_codec_encode(), and its message to the clients).
 *
 * Prints a Markdown table; appends it to $ROLLCALL_BENCH_OUT when set. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "codec/rc-codec.h"
#include "../rc-bench-out.h"
#include "bench-feed-messages.h"
#include "rc-bench-util.h"

#define PROGRAM "bench-feed-encode"
#define ROUNDS 15

static gboolean
encode_codec (gconstpointer data)
{
  const RcBenchMessage *m = data;
  g_autofree char *text = NULL;

  if (m->event != NULL)
    text = rc_codec_encode_stream_event (m->event, RC_BENCH_STREAM);
  else if (m->snapshot != NULL)
    text = rc_codec_encode_snapshot (m->snapshot, RC_BENCH_STREAM);
  else
    text = rc_codec_encode_heartbeat (RC_BENCH_STREAM, m->last_seq, m->time);
  return text != NULL;
}

static gboolean
encode_journal (gconstpointer data)
{
  g_autofree char *text = rc_codec_encode (data);

  return text != NULL;
}

static gboolean
dump_jansson (gconstpointer data)
{
  char *text = json_dumps (data, JSON_COMPACT | JSON_PRESERVE_ORDER);

  if (text == NULL)
    return FALSE;
  free (text);
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) messages = rc_bench_demo_messages (PROGRAM);
  g_autoptr (GString) t = g_string_new (NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *where = rc_bench_machine ();
  double ballot_us = 0, journal_us = 0;

  g_string_append_printf (t,
                          "%s, %s. Encoding the demo's messages as the feed sends them "
                          "(median of %d rounds of the mean time of one call): the codec, "
                          "and jansson's json_dumps() alone on a tree of the same message "
                          "built beforehand.\n\n",
                          when, where, ROUNDS);
  g_string_append (t, "| message | bytes | codec encode | jansson 2.14 json_dumps alone |\n");
  g_string_append (t, "|---|---:|---:|---:|\n");
  for (guint i = 0; i < messages->len; i++)
    {
      RcBenchMessage *m = g_ptr_array_index (messages, i);
      gsize n = m->length;
      json_error_t error;
      json_t *tree = json_loadb (m->text, n, 0, &error);
      double codec = rc_bench_time_us (PROGRAM, ROUNDS, encode_codec, m);

      g_assert (tree != NULL);
      if (m->event != NULL && m->event->type == RC_EVENT_BALLOT)
        {
          ballot_us = codec;
          journal_us = rc_bench_time_us (PROGRAM, ROUNDS, encode_journal, m->event);
        }
      g_string_append_printf (t, "| %s | %zu | %.2f µs | %.2f µs |\n", m->what, n, codec,
                              rc_bench_time_us (PROGRAM, ROUNDS, dump_jansson, tree));
      json_decref (tree);
    }
  g_string_append_printf (t,
                          "\nAt 10,000 ballots a second, encoding takes %.1f%% of one core "
                          "(%.2f µs a ballot's message, %.2f µs its journal line).\n\n",
                          (ballot_us + journal_us) * 10000 / 1e6 * 100, ballot_us, journal_us);
  fputs (t->str, stdout);
  fflush (stdout);
  rc_bench_append_out (PROGRAM, t->str);
  return 0;
}
