/* bench-feed-decode.c — what reading the feed's messages costs, per message and at
 * 10,000 events a second, and what the JSON parser alone costs on them.
 *
 * The messages are the real ones of the bundled demo's General Assembly meeting of
 * 2 March 2022 as a board receives them (bench-feed-messages.c: each event with its
 * stream, and the snapshot of the whole vote, 193 members, once it is announced). For
 * each, the time of rc_codec_decode_message() (what a board's decoder thread runs: parse,
 * check, build the event) and of jansson's parse alone on the same text (json_loadb with
 * JSON_REJECT_DUPLICATES, strict), so that docs/performance.md can say what is the
 * parser's and what is ours. (json-glib's parse stood beside them until the project
 * dropped json-glib; its figures are in docs/performance.md.) Each figure is the median
 * over 15 rounds of the mean time of a batch (≥ 20 ms of work); "at 10,000 a second" is
 * the share of one core that decoding the demo's ballots at that rate takes.
 *
 * Prints a Markdown table; appends it to $ROLLCALL_BENCH_OUT when set. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "codec/rc-codec.h"
#include "../rc-bench-out.h"
#include "bench-feed-messages.h"
#include "rc-bench-util.h"

#define PROGRAM "bench-feed-decode"
#define ROUNDS 15

static gboolean
parse_jansson (gconstpointer data)
{
  const RcBenchMessage *m = data;
  json_error_t error;
  json_t *root = json_loadb (m->text, m->length, JSON_REJECT_DUPLICATES, &error);

  if (root == NULL)
    return FALSE;
  json_decref (root);
  return TRUE;
}

static gboolean
decode_codec (gconstpointer data)
{
  const RcBenchMessage *m = data;
  g_autoptr (RcMessage) message = rc_codec_decode_message (m->text, (gssize) m->length, NULL);

  return message != NULL;
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) samples = rc_bench_demo_messages (PROGRAM);
  g_autoptr (GString) t = g_string_new (NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *where = rc_bench_machine ();
  double ballot_us = 0;

  g_string_append_printf (t,
                          "%s, %s. Decoding the demo's messages as a board receives them "
                          "(median of %d rounds of the mean time of one call): the codec "
                          "(rc_codec_decode_message: parse, check, build), and the JSON "
                          "parser alone on the same text.\n\n",
                          when, where, ROUNDS);
  g_string_append (t, "| message | bytes | codec decode | jansson 2.14 parse alone |\n");
  g_string_append (t, "|---|---:|---:|---:|\n");
  for (guint i = 0; i < samples->len; i++)
    {
      RcBenchMessage *s = g_ptr_array_index (samples, i);
      gsize n = s->length;
      double codec = rc_bench_time_us (PROGRAM, ROUNDS, decode_codec, s);

      if (g_str_equal (s->what, "ballot"))
        ballot_us = codec;
      g_string_append_printf (t, "| %s | %zu | %.2f µs | %.2f µs |\n", s->what, n, codec,
                              rc_bench_time_us (PROGRAM, ROUNDS, parse_jansson, s));
    }
  g_string_append_printf (t,
                          "\nAt 10,000 ballots a second, decoding takes %.1f%% of one core "
                          "(%.2f µs a ballot).\n\n",
                          ballot_us * 10000 / 1e6 * 100, ballot_us);
  fputs (t->str, stdout);
  fflush (stdout);
  rc_bench_append_out (PROGRAM, t->str);
  return 0;
}
