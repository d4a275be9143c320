/* test-sse-parser.c — a Server-Sent Events body split into events' data
 * (src/feed/rc-sse-parser.c), however the network cuts it: line ends, the byte-order
 * mark, comments and fields, the last event id, the limits. (The client over a real stream:
 * test-feed-client.c and test-feed-client-peer.c.) */
#include <string.h>

#include "feed/rc-sse-parser.h"

typedef struct {
  GPtrArray *events; /* of char * */
  guint stop_after;  /* 0: never */
} Heard;

static gboolean
on_data (const char *data, gsize length, gpointer user_data)
{
  Heard *h = user_data;

  g_ptr_array_add (h->events, g_strndup (data, length));
  return h->stop_after == 0 || h->events->len < h->stop_after;
}

/* The events of text fed in chunks of chunk bytes (0: whole), as one string: each
 * event's data and "|". */
static char *
events_of (const char *text, gsize chunk, gsize max_data, RcSseParserResult *result)
{
  g_autoptr (RcSseParser) parser = rc_sse_parser_new (max_data);
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  Heard h = { events, 0 };
  GString *out = g_string_new (NULL);
  gsize n = strlen (text), pos = 0;

  *result = RC_SSE_PARSER_MORE;
  while (pos < n && *result == RC_SSE_PARSER_MORE)
    {
      gsize size = chunk == 0 ? n : MIN (chunk, n - pos);

      *result = rc_sse_parser_feed (parser, (const guint8 *) text + pos, size, on_data, &h);
      pos += size;
    }
  for (guint i = 0; i < events->len; i++)
    g_string_append_printf (out, "%s|", (const char *) g_ptr_array_index (events, i));
  return g_string_free (out, FALSE);
}

/* text gives expected however it is cut. */
static void
assert_events (const char *text, const char *expected)
{
  for (gsize chunk = 0; chunk <= 4; chunk++)
    {
      RcSseParserResult result;
      g_autofree char *events = events_of (text, chunk, 1024, &result);

      g_assert_cmpint (result, ==, RC_SSE_PARSER_MORE);
      if (g_strcmp0 (events, expected) != 0)
        g_error ("in chunks of %zu bytes, \"%s\" gave \"%s\", not \"%s\"", chunk, text, events,
                 expected);
    }
}

static void
test_lines (void)
{
  assert_events ("data: a\n\ndata: b\n\n", "a|b|");
  assert_events ("data: a\r\rdata: b\r\n\r\n", "a|b|");
  /* a block's data lines joined with LF; one leading space dropped, no more */
  assert_events ("data: a\ndata:  b\ndata:c\n\n", "a\n b\nc|");
  /* a data field may be empty, and a block without one dispatches nothing */
  assert_events ("data\n\nevent: x\nid: 1\nretry: 5\n\n", "|");
  assert_events (": comment\ndata: a\n: another\n\n", "a|");
  /* no blank line: the last event is not complete */
  assert_events ("data: a\n\ndata: b\n", "a|");
}

/* A stream may begin with a byte-order mark, cut over reads like anything else (found
 * by tests/fuzz/fuzz-feed-stream: a mark cut after its first byte was read as text, and
 * the line it began lost). */
static void
test_byte_order_mark (void)
{
  assert_events ("\xEF\xBB\xBF" "data: a\n\n", "a|");
  assert_events ("\xEF\xBB\xBF\xEF\xBB\xBF" "data: a\n\ndata: b\n\n", "b|");
  /* the start of a mark that is not one is text */
  assert_events ("\xEF\xBB" "data: a\n\ndata: b\n\n", "b|");
  assert_events ("data: \xEF\xBB\xBF" "a\n\n", "\xEF\xBB\xBF" "a|");
}

static void
test_limits (void)
{
  RcSseParserResult result;
  g_autofree char *under = events_of ("data: 12345678\n\n", 3, 8, &result);
  g_autofree char *over = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *line = NULL;

  g_assert_cmpint (result, ==, RC_SSE_PARSER_MORE);
  g_assert_cmpstr (under, ==, "12345678|");
  over = events_of ("data: a\n\ndata: 123456789\n\ndata: c\n\n", 3, 8, &result);
  g_assert_cmpint (result, ==, RC_SSE_PARSER_TOO_LONG);
  g_assert_cmpstr (over, ==, "a|");
  /* the data of one event, over several lines */
  joined = events_of ("data: 1234\ndata: 5678\n\n", 0, 8, &result);
  g_assert_cmpint (result, ==, RC_SSE_PARSER_TOO_LONG);
  /* a line that is not data may be 64 bytes longer, not endless */
  line = events_of (": a comment of more than seventy-two bytes, which is the data's limit and "
                    "sixty-four\n\n",
                    5, 8, &result);
  g_assert_cmpint (result, ==, RC_SSE_PARSER_TOO_LONG);
}

static void
test_stop (void)
{
  g_autoptr (RcSseParser) parser = rc_sse_parser_new (1024);
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  Heard h = { events, 1 };
  const char *text = "data: a\n\ndata: b\n\n";

  g_assert_cmpint (rc_sse_parser_feed (parser, (const guint8 *) text, strlen (text), on_data, &h),
                   ==, RC_SSE_PARSER_STOPPED);
  g_assert_cmpuint (events->len, ==, 1);
}

typedef struct {
  RcSseParser *parser;
  GString *out;
} IdHeard;

static gboolean
on_data_id (const char *data, gsize length, gpointer user_data)
{
  IdHeard *h = user_data;
  const char *id = rc_sse_parser_get_last_id (h->parser);

  g_string_append_len (h->out, data, (gssize) length);
  g_string_append_printf (h->out, "@%s|", id != NULL ? id : "(none)");
  return TRUE;
}

/* Each event's data and the last event id it was dispatched with (what a client gives
 * back to resume; opaque in protocol 1.1). An id persists until another replaces it,
 * also from a block without data; one that could not go back in a header as it is
 * (a NUL, a control character, not UTF-8, too long) is ignored. However it is cut. */
static void
test_last_id (void)
{
  g_autofree char *long_id = g_strnfill (RC_SSE_MAX_ID + 1, '7');
  g_autofree char *text = g_strdup_printf ("data: a\n\n"
                                           "id: 1796674181:0\ndata: b\n\n"
                                           "data: c\n\n"
                                           "id: bad\x01id\ndata: d\n\n"
                                           "id: %s\ndata: e\n\n"
                                           "id: \xff\xfe\ndata: f\n\n"
                                           ": snapshot\nid: run-2:6\n\n"
                                           "data: g\n\n"
                                           "id\ndata: h\n\n",
                                           long_id);

  for (gsize chunk = 0; chunk <= 5; chunk++)
    {
      g_autoptr (RcSseParser) parser = rc_sse_parser_new (1024);
      g_autoptr (GString) out = g_string_new (NULL);
      IdHeard h = { parser, out };
      gsize n = strlen (text), pos = 0;

      while (pos < n)
        {
          gsize size = chunk == 0 ? n : MIN (chunk, n - pos);

          g_assert_cmpint (
            rc_sse_parser_feed (parser, (const guint8 *) text + pos, size, on_data_id, &h), ==,
            RC_SSE_PARSER_MORE);
          pos += size;
        }
      g_assert_cmpstr (out->str, ==,
                       "a@(none)|b@1796674181:0|c@1796674181:0|d@1796674181:0|"
                       "e@1796674181:0|f@1796674181:0|g@run-2:6|h@|");
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sse-parser/lines", test_lines);
  g_test_add_func ("/sse-parser/byte-order-mark", test_byte_order_mark);
  g_test_add_func ("/sse-parser/limits", test_limits);
  g_test_add_func ("/sse-parser/stop", test_stop);
  g_test_add_func ("/sse-parser/last-id", test_last_id);
  return g_test_run ();
}
