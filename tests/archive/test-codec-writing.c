/* test-codec-writing.c — the bytes the codec writes (src/codec/rc-json-writer.c): how
 * each character of a string is escaped, integers, and the compact form. These are the
 * bytes of every journal line, wire message and reply; json-glib 1.6 wrote them until
 * the project dropped it, and they must not change (docs/events.md, "How Rollcall
 * writes JSON"), except that U+001F, which json-glib wrote raw, is escaped. Whatever is
 * written reads back as the same text. */
#include <string.h>

#include "codec/rc-codec.h"
#include "codec/rc-json-writer.h"

typedef struct {
  const char *text;
  const char *json; /* inside the quotes */
} Escape;

static const Escape escapes[] = {
  /* the control characters: five by name, the others as \u00xx (lower-case hex) */
  { "\x01", "\\u0001" },
  { "\x02", "\\u0002" },
  { "\x03", "\\u0003" },
  { "\x04", "\\u0004" },
  { "\x05", "\\u0005" },
  { "\x06", "\\u0006" },
  { "\x07", "\\u0007" },
  { "\x08", "\\b" },
  { "\x09", "\\t" },
  { "\x0a", "\\n" },
  { "\x0b", "\\u000b" },
  { "\x0c", "\\f" },
  { "\x0d", "\\r" },
  { "\x0e", "\\u000e" },
  { "\x0f", "\\u000f" },
  { "\x10", "\\u0010" },
  { "\x11", "\\u0011" },
  { "\x12", "\\u0012" },
  { "\x13", "\\u0013" },
  { "\x14", "\\u0014" },
  { "\x15", "\\u0015" },
  { "\x16", "\\u0016" },
  { "\x17", "\\u0017" },
  { "\x18", "\\u0018" },
  { "\x19", "\\u0019" },
  { "\x1a", "\\u001a" },
  { "\x1b", "\\u001b" },
  { "\x1c", "\\u001c" },
  { "\x1d", "\\u001d" },
  { "\x1e", "\\u001e" },
  /* json-glib 1.6 wrote this one raw: not JSON, and refused by our own reader */
  { "\x1f", "\\u001f" },
  /* DEL, which JSON allows raw, is escaped as json-glib did */
  { "\x7f", "\\u007f" },
  { "\"", "\\\"" },
  { "\\", "\\\\" },
  /* '/' may be escaped in JSON; it is not */
  { "/", "/" },
  { "</script>", "</script>" },
  /* text that only looks like an escape */
  { "\\u0041", "\\\\u0041" },
  { "\\n", "\\\\n" },
  /* beyond ASCII, everything as it is, in UTF-8 */
  { "é", "é" },
  { "Côte d’Ivoire", "Côte d’Ivoire" },
  { "\xc2\x80\xc2\x9f", "\xc2\x80\xc2\x9f" },                 /* C1 controls U+0080, U+009F */
  { "\xe2\x80\xa8\xe2\x80\xa9", "\xe2\x80\xa8\xe2\x80\xa9" }, /* U+2028, U+2029 */
  { "\xef\xbb\xbf", "\xef\xbb\xbf" },                         /* U+FEFF */
  { "\xef\xbf\xbd", "\xef\xbf\xbd" },                         /* U+FFFD */
  { "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },                 /* U+1F600, astral */
  { "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf" },                 /* U+10FFFF */
  /* runs between escapes */
  { "a\"b\\c/d\te\037f\177g", "a\\\"b\\\\c/d\\te\\u001ff\\u007fg" },
  { "\n\n", "\\n\\n" },
  { "", "" },
};

/* As a string value, through the codec: a cancellation's note, which is written last. */
static void
test_escaping (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (escapes); i++)
    {
      const Escape *e = &escapes[i];
      g_autoptr (RcEvent) made = rc_event_new_vote_cancelled (1646240462345000, "v1", e->text);
      g_autoptr (RcEvent) event = rc_event_with_seq (made, 7);
      g_autofree char *text = rc_codec_encode (event);
      g_autofree char *expected
        = g_strdup_printf ("{\"v\":1,\"seq\":7,\"time\":\"2022-03-02T17:01:02.345Z\","
                           "\"type\":\"vote-cancelled\",\"vote\":\"v1\",\"note\":\"%s\"}",
                           e->json);
      g_autoptr (GError) error = NULL;
      g_autoptr (RcEvent) decoded = NULL;

      g_assert_cmpstr (text, ==, expected);
      /* and it is JSON that reads back as the same text ("" as none: docs/events.md) */
      decoded = rc_codec_decode (text, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (decoded->note, ==, e->text[0] != '\0' ? e->text : NULL);
    }
}

/* Member names are escaped the same way (a snapshot's ballots are keyed by member). */
static void
test_escaping_keys (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (escapes); i++)
    {
      const Escape *e = &escapes[i];
      g_autoptr (GString) out = g_string_new (NULL);
      g_autofree char *expected = g_strdup_printf ("{\"%s\":\"%s\"}", e->json, e->json);

      rc_json_begin_object (out);
      rc_json_add_string (out, e->text, e->text);
      rc_json_end_object (out);
      g_assert_cmpstr (out->str, ==, expected);
    }
}

/* Every printable ASCII character but '"' and '\' is written as it is. */
static void
test_printable_ascii (void)
{
  for (int c = 0x20; c < 0x7f; c++)
    {
      char text[2] = { (char) c, '\0' };
      g_autoptr (GString) out = g_string_new (NULL);

      if (c == '"' || c == '\\')
        continue;
      rc_json_append_escaped (out, text);
      g_assert_cmpstr (out->str, ==, text);
    }
}

/* Every byte 0x01–0x7f, alone and between letters, in every text of every event type
 * that has one: the event reads back as written (json-glib's raw U+001F did not). */
static void
test_every_byte_round_trip (void)
{
  for (int c = 0x01; c < 0x80; c++)
    {
      char text[4] = { 'x', (char) c, 'y', '\0' };
      RcVoteInfo vote
        = { (char *) "v1", text, text, text, RC_MAJORITY_SIMPLE, TRUE, RC_REVEAL_LIVE };
      g_autoptr (RcEvent) made = rc_event_new_vote_scheduled (1646240462345000, &vote);
      g_autoptr (RcEvent) event = rc_event_with_seq (made, 2);
      g_autofree char *line = rc_codec_encode (event);
      /* (a stream id may hold anything but ':', which ends it in an event id) */
      const char *stream = c == ':' ? "s" : text;
      g_autofree char *message = rc_codec_encode_stream_event (event, stream);
      g_autoptr (GError) error = NULL;
      g_autoptr (RcEvent) decoded = rc_codec_decode (line, -1, &error);
      g_autoptr (RcMessage) received = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (decoded->vote->symbol, ==, text);
      g_assert_cmpstr (decoded->vote->draft, ==, text);
      g_assert_cmpstr (decoded->vote->title, ==, text);
      received = rc_codec_decode_message (message, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (received->stream, ==, stream);
      g_assert_cmpstr (received->event->vote->title, ==, text);
    }
}

/* Integers in decimal, the extremes of 64 bits included. */
static void
test_integers (void)
{
  const struct {
    gint64 value;
    const char *json;
  } cases[] = {
    { 0, "0" },
    { 7, "7" },
    { 10, "10" },
    { -1, "-1" },
    { 1646240462345000, "1646240462345000" },
    { G_MAXINT64, "9223372036854775807" },
    { G_MININT64, "-9223372036854775808" },
  };
  g_autofree char *heartbeat = rc_codec_encode_heartbeat ("s", G_MAXINT64, 1646240462345000);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) out = g_string_new (NULL);

      rc_json_write_int (out, cases[i].value);
      g_assert_cmpstr (out->str, ==, cases[i].json);
    }
  g_assert_cmpstr (heartbeat, ==,
                   "{\"v\":1,\"seq\":0,\"time\":\"2022-03-02T17:01:02.345Z\",\"type\":"
                   "\"heartbeat\",\"stream\":\"s\",\"last_seq\":9223372036854775807}");
}

/* No space anywhere, members in the order written, commas only between siblings. */
static void
test_compact (void)
{
  g_autoptr (GString) out = g_string_new (NULL);

  rc_json_begin_object (out);
  rc_json_add_array (out, "a");
  rc_json_end_array (out);
  rc_json_add_object (out, "z");
  rc_json_end_object (out);
  rc_json_add_array (out, "c");
  rc_json_begin_object (out);
  rc_json_end_object (out);
  rc_json_begin_array (out);
  rc_json_end_array (out);
  rc_json_write_int (out, 1);
  rc_json_write_string (out, "x");
  rc_json_write_string (out, NULL);
  rc_json_write_bool (out, TRUE);
  rc_json_write_bool (out, FALSE);
  rc_json_begin_object (out);
  rc_json_add_null (out, "n");
  rc_json_add_bool (out, "b", TRUE);
  rc_json_add_int (out, "i", -2);
  rc_json_end_object (out);
  rc_json_end_array (out);
  rc_json_add_string (out, "", "");
  rc_json_end_object (out);
  g_assert_cmpstr (out->str, ==,
                   "{\"a\":[],\"z\":{},\"c\":[{},[],1,\"x\",null,true,false,"
                   "{\"n\":null,\"b\":true,\"i\":-2}],\"\":\"\"}");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/codec-writing/escaping", test_escaping);
  g_test_add_func ("/codec-writing/escaping-keys", test_escaping_keys);
  g_test_add_func ("/codec-writing/printable-ascii", test_printable_ascii);
  g_test_add_func ("/codec-writing/every-byte-round-trip", test_every_byte_round_trip);
  g_test_add_func ("/codec-writing/integers", test_integers);
  g_test_add_func ("/codec-writing/compact", test_compact);
  return g_test_run ();
}
