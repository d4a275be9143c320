/* test-codec.c — the event codec: every event type survives the round trip, the
 * wire form is the documented one, and every malformed message is refused with a
 * one-line reason naming what is wrong. (The feed's other messages: test-feed-codec.c
 * in tests/feed.) */
#include <string.h>

#include "codec/rc-codec.h"
#include "model/rc-chamber.h"
#include "model/rc-error.h"
#include "model/rc-replay.h"
#include "model/rc-snapshot.h"
#include "rc-archive-test-util.h"

static void
test_round_trip (gconstpointer data)
{
  RcEventType type = GPOINTER_TO_INT (data);
  g_autoptr (GPtrArray) events = rc_test_every_event_type ();
  const RcEvent *event = g_ptr_array_index (events, type);
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  g_autoptr (RcEvent) decoded = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (event->type, ==, type);
  text = rc_codec_encode (event);
  /* One line: a journal row, a JSON Lines record, an SSE data field. */
  g_assert_null (strchr (text, '\n'));
  g_assert_true (g_str_has_prefix (text, "{\"v\":1,"));

  decoded = rc_codec_decode (text, -1, &error);
  g_assert_no_error (error);
  rc_test_assert_events_equal (event, decoded);
  again = rc_codec_encode (decoded);
  g_assert_cmpstr (text, ==, again);
}

static void
test_wire_form (void)
{
  /* The example of docs/events.md and of the brief, byte for byte. */
  const char *expected = "{\"v\":1,\"seq\":12,\"time\":\"2022-03-02T17:01:02.345Z\","
                         "\"type\":\"ballot\",\"vote\":\"es-11-1\",\"member\":\"AFG\","
                         "\"choice\":\"yes\"}";
  g_autoptr (RcEvent) ballot
    = rc_event_new_ballot (1646240462345000, "es-11-1", "AFG", RC_CHOICE_YES);
  g_autofree char *text = NULL;
  g_autoptr (RcEvent) decoded = NULL;
  g_autoptr (GError) error = NULL;

  ballot->seq = 12;
  text = rc_codec_encode (ballot);
  g_assert_cmpstr (text, ==, expected);

  /* Member order and whitespace are free on input. */
  decoded = rc_codec_decode ("{ \"choice\": \"no\", \"member\": \"RUS\", \"vote\": \"v\",\n"
                             "  \"type\": \"ballot\", \"time\": \"2022-03-02T17:01:02Z\","
                             " \"seq\": 3, \"v\": 1 }",
                             -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (decoded->type, ==, RC_EVENT_BALLOT);
  g_assert_cmpint (decoded->seq, ==, 3);
  g_assert_cmpint (decoded->time, ==, G_GINT64_CONSTANT (1646240462) * G_USEC_PER_SEC);
  g_assert_cmpstr (decoded->member, ==, "RUS");
  g_assert_cmpint (decoded->choice, ==, RC_CHOICE_NO);
}

/* result_shown (issue 9): a vote-scheduled of the protocol's first edition has none,
 * and reads as when-announced; Rollcall writes it always, and reads back what it
 * wrote. */
static void
test_result_shown (void)
{
  const char *first_edition
    = "{\"v\":1,\"seq\":2,\"time\":\"2022-03-02T16:35:40.000Z\",\"type\":\"vote-scheduled\","
      "\"vote\":\"v\",\"symbol\":null,\"draft\":null,\"title\":\"t\",\"majority\":\"simple\","
      "\"recorded\":true,\"reveal\":\"live\"}";
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) old = rc_codec_decode (first_edition, -1, &error);
  g_autoptr (RcEvent) again = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (old->vote->result_shown, ==, RC_RESULT_WHEN_ANNOUNCED);
  {
    g_autoptr (RcEvent) null_one = rc_codec_decode (
      "{\"v\":1,\"seq\":2,\"time\":\"2022-03-02T16:35:40.000Z\",\"type\":\"vote-scheduled\","
      "\"vote\":\"v\",\"title\":\"t\",\"majority\":\"simple\",\"recorded\":true,"
      "\"reveal\":\"live\",\"result_shown\":null}",
      -1, &error);

    g_assert_no_error (error);
    g_assert_cmpint (null_one->vote->result_shown, ==, RC_RESULT_WHEN_ANNOUNCED);
  }
  text = rc_codec_encode (old);
  g_assert_nonnull (strstr (text, ",\"reveal\":\"live\",\"result_shown\":\"when-announced\"}"));
  old->vote->result_shown = RC_RESULT_AT_LOCK;
  g_free (text);
  text = rc_codec_encode (old);
  g_assert_nonnull (strstr (text, "\"result_shown\":\"at-lock\""));
  again = rc_codec_decode (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->vote->result_shown, ==, RC_RESULT_AT_LOCK);
}

/* The holding slide's line (issue 9): written for the holding slide only (null when
 * there is none), read back; another show's "text" is ignored. */
static void
test_on_air_text (void)
{
  g_autoptr (RcEvent) holding = rc_event_new_on_air_holding (0, "Séance suspendue — 15 h");
  g_autoptr (RcEvent) bare = rc_event_new_on_air_holding (0, "");
  g_autoptr (RcEvent) back = NULL;
  g_autoptr (RcEvent) blank = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = rc_codec_encode (holding);
  g_autofree char *bare_text = rc_codec_encode (bare);

  g_assert_nonnull (
    strstr (text, "\"show\":\"holding\",\"vote\":null,\"text\":\"Séance suspendue — 15 h\"}"));
  g_assert_nonnull (strstr (bare_text, "\"show\":\"holding\",\"vote\":null,\"text\":null}"));
  back = rc_codec_decode (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->note, ==, "Séance suspendue — 15 h");
  blank = rc_codec_decode ("{\"v\":1,\"seq\":3,\"time\":\"2022-03-02T16:35:40.500Z\",\"type\":"
                           "\"on-air\",\"show\":\"blank\",\"vote\":null,\"text\":\"x\"}",
                           -1, &error);
  g_assert_no_error (error);
  g_assert_null (blank->note);
}

static void
test_time (void)
{
  gint64 t = 0;
  struct {
    const char *text;
    gint64 time;
  } good[] = {
    { "2022-03-02T17:01:02.345Z", 1646240462345000 },
    { "2022-03-02T17:01:02Z", 1646240462000000 },
    { "2022-03-02T17:01:02.345678Z", 1646240462345678 },
    { "1969-12-31T23:59:59.500Z", -500000 },
    /* Years before 1000 keep their four digits (found by tests/fuzz/fuzz-codec-message). */
    { "0792-02-25T20:01:10.848Z", G_GINT64_CONSTANT (-37169294329152000) },
    { "0001-01-01T00:00:00.000Z", G_GINT64_CONSTANT (-62135596800000000) },
    { "9999-12-31T23:59:59.999999Z", G_GINT64_CONSTANT (253402300799999999) },
  };
  const char *bad[] = {
    "2022-03-02T17:01:02",
    "2022-03-02 17:01:02Z",
    "2022-03-02T17:01:02+01:00",
    "2022-13-02T17:01:02Z",
    "2022-02-30T17:01:02Z",
    "2022-03-02T24:00:00Z",
    "2022-03-02T17:01:02.Z",
    "2022-03-02T17:01:02.1234567Z",
    /* a fraction is milliseconds or microseconds, nothing else (events.md) */
    "2022-03-02T17:01:02.3Z",
    "2022-03-02T17:01:02.34Z",
    "2022-03-02T17:01:02.0005Z",
    "2022-03-02T17:01:02.34567Z",
    "2022-03-02T17:01:02Zjunk",
    "22-03-02T17:01:02Z",
    "",
    "yesterday",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *text = NULL;

      g_assert_true (rc_codec_parse_time (good[i].text, &t));
      g_assert_cmpint (t, ==, good[i].time);
      text = rc_codec_format_time (t);
      g_assert_cmpmem (text, 5, good[i].text, 5);
      g_assert_true (rc_codec_parse_time (text, &t));
      g_assert_cmpint (t, ==, good[i].time);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (rc_codec_parse_time (bad[i], &t));

  {
    g_autofree char *ms = rc_codec_format_time (1646240462345000);
    g_autofree char *us = rc_codec_format_time (1646240462345678);
    g_autofree char *neg = rc_codec_format_time (-500000);

    g_assert_cmpstr (ms, ==, "2022-03-02T17:01:02.345Z");
    g_assert_cmpstr (us, ==, "2022-03-02T17:01:02.345678Z");
    g_assert_cmpstr (neg, ==, "1969-12-31T23:59:59.500Z");
  }
}

/* A valid session event's JSON, to break one field at a time. */
static char *
session_json (void)
{
  g_autoptr (GPtrArray) events = rc_test_every_event_type ();
  return rc_codec_encode (g_ptr_array_index (events, RC_EVENT_SESSION));
}

static char *
replace (const char *text, const char *from, const char *to)
{
  g_autoptr (GString) s = g_string_new (text);

  g_assert_nonnull (strstr (text, from));
  g_string_replace (s, from, to, 1);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

#define BALLOT_HEAD "{\"v\":1,\"seq\":12,\"time\":\"2022-03-02T17:01:02.345Z\",\"type\":\"ballot\","

typedef struct {
  const char *name;
  const char *text; /* NULL: made by the test */
  const char *reason;
} Refusal;

static const Refusal refusals[] = {
  { "empty", "", "message is empty" },
  { "blank", " \n ", "message is empty" },
  { "not-json", "{\"v\":1,", "not JSON" },
  { "array", "[1,2,3]", "not a JSON object" },
  { "string", "\"ballot\"", "not a JSON object" },
  { "number", "42", "not a JSON object" },
  { "null", "null", "not a JSON object" },
  { "assignment", "var x = {\"v\":1}", "not JSON" },
  { "no-version", "{\"seq\":1,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"heartbeat\"}",
    "field \"v\" is missing" },
  { "version-2", "{\"v\":2,\"seq\":1,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"heartbeat\"}",
    "version 2 is not supported" },
  { "version-string",
    "{\"v\":\"1\",\"seq\":1,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"heartbeat\"}",
    "field \"v\" must be an integer" },
  { "unknown-type",
    "{\"v\":1,\"seq\":1,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"vote-exploded\"}",
    "unknown event type \"vote-exploded\"" },
  { "no-type", "{\"v\":1,\"seq\":1,\"time\":\"2022-03-02T17:01:02Z\"}",
    "field \"type\" is missing" },
  { "seq-string",
    "{\"v\":1,\"seq\":\"12\",\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"heartbeat\"}",
    "field \"seq\" must be an integer" },
  { "seq-float", "{\"v\":1,\"seq\":1.5,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"heartbeat\"}",
    "field \"seq\" must be an integer" },
  { "seq-negative", "{\"v\":1,\"seq\":-1,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"heartbeat\"}",
    "field \"seq\" is out of range" },
  { "time-local", "{\"v\":1,\"seq\":1,\"time\":\"2022-03-02T17:01:02\",\"type\":\"heartbeat\"}",
    "field \"time\"" },
  { "time-number", "{\"v\":1,\"seq\":1,\"time\":1646240462,\"type\":\"heartbeat\"}",
    "field \"time\" must be a string" },
  { "no-member", BALLOT_HEAD "\"vote\":\"v\",\"choice\":\"yes\"}",
    "ballot event: field \"member\" is missing" },
  { "null-member", BALLOT_HEAD "\"vote\":\"v\",\"member\":null,\"choice\":\"yes\"}",
    "ballot event: field \"member\" is missing" },
  { "empty-vote", BALLOT_HEAD "\"vote\":\"\",\"member\":\"AFG\",\"choice\":\"yes\"}",
    "field \"vote\" must not be empty" },
  { "choice-number", BALLOT_HEAD "\"vote\":\"v\",\"member\":\"AFG\",\"choice\":3}",
    "field \"choice\" must be a string" },
  { "choice-unknown", BALLOT_HEAD "\"vote\":\"v\",\"member\":\"AFG\",\"choice\":\"maybe\"}",
    "field \"choice\": unknown value \"maybe\"" },
  { "choice-case", BALLOT_HEAD "\"vote\":\"v\",\"member\":\"AFG\",\"choice\":\"YES\"}",
    "field \"choice\": unknown value \"YES\"" },
  /* A refusal quotes the message on one line of UTF-8, whatever it holds (found by
   * tests/fuzz/fuzz-codec): a string's line break, json-glib's words about a broken
   * escape (which held the bytes of half a surrogate pair; now refused before, below). */
  { "choice-line-break",
    BALLOT_HEAD "\"vote\":\"v\",\"member\":\"AFG\",\"choice\":\"ma\\r\\nybe\"}",
    "field \"choice\": unknown value \"ma\\r\\nybe\"" },
  { "broken-escape", "{\"v\\ud8\"yes\"}", "invalid escape" },
  /* RFC 8259: four hex digits. json-glib read fewer, or none, and could make bytes that
   * are not UTF-8 of them, which the codec could not write back (found by
   * tests/fuzz/fuzz-codec); jansson refuses them. */
  { "unicode-escape-short", BALLOT_HEAD "\"vote\":\"v\",\"member\":\"A\\u1Bx\",\"choice\":\"yes\"}",
    "invalid escape" },
  { "unicode-escape-not-hex",
    BALLOT_HEAD "\"vote\":\"v\",\"member\":\"A\\udeude00\",\"choice\":\"yes\"}", "invalid escape" },
  { "unicode-escape-empty", BALLOT_HEAD "\"vote\":\"v\",\"member\":\"A\\u\",\"choice\":\"yes\"}",
    "invalid escape" },
  { "majority-unknown",
    "{\"v\":1,\"seq\":2,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"vote-scheduled\",\"vote\":\"v\","
    "\"symbol\":null,\"draft\":null,\"title\":\"t\",\"majority\":\"unanimous\",\"recorded\":true,"
    "\"reveal\":\"live\"}",
    "field \"majority\": unknown value \"unanimous\"" },
  { "result-shown-unknown",
    "{\"v\":1,\"seq\":2,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"vote-scheduled\",\"vote\":\"v\","
    "\"title\":\"t\",\"majority\":\"simple\",\"recorded\":true,\"reveal\":\"live\","
    "\"result_shown\":\"later\"}",
    "field \"result_shown\": unknown value \"later\"" },
  { "result-shown-number",
    "{\"v\":1,\"seq\":2,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"vote-scheduled\",\"vote\":\"v\","
    "\"title\":\"t\",\"majority\":\"simple\",\"recorded\":true,\"reveal\":\"live\","
    "\"result_shown\":1}",
    "field \"result_shown\"" },
  { "recorded-string",
    "{\"v\":1,\"seq\":2,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"vote-scheduled\",\"vote\":\"v\","
    "\"title\":\"t\",\"majority\":\"simple\",\"recorded\":\"yes\",\"reveal\":\"live\"}",
    "field \"recorded\" must be true or false" },
  { "show-unknown",
    "{\"v\":1,\"seq\":2,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"on-air\","
    "\"show\":\"everything\"}",
    "field \"show\": unknown value \"everything\"" },
  { "on-air-vote-missing",
    "{\"v\":1,\"seq\":2,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"on-air\","
    "\"show\":\"vote\"}",
    "field \"vote\" is missing" },
  { "official-string",
    "{\"v\":1,\"seq\":2,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"vote-announced\","
    "\"vote\":\"v\",\"official\":{\"yes\":\"141\",\"no\":5,\"abstain\":35,\"not_voting\":12}}",
    "field \"official.yes\" must be an integer" },
  { "official-negative",
    "{\"v\":1,\"seq\":2,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"vote-announced\","
    "\"vote\":\"v\",\"official\":{\"yes\":141,\"no\":-5,\"abstain\":35,\"not_voting\":12}}",
    "field \"official.no\" is out of range" },
  { "locked-ballots-object",
    "{\"v\":1,\"seq\":2,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"vote-locked\","
    "\"vote\":\"v\",\"ballots\":{}}",
    "field \"ballots\" must be an array" },
  { "locked-ballot-choice",
    "{\"v\":1,\"seq\":2,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"vote-locked\","
    "\"vote\":\"v\",\"ballots\":[{\"member\":\"AFG\",\"choice\":\"yes\"},{\"member\":\"ALB\"}]}",
    "field \"ballots[1].choice\" is missing" },
  { "session-missing-chamber", NULL, "session event: field \"chamber\" is missing" },
  { "session-bad-colour", NULL, "field \"chamber.palette.yes\": \"#1a7f3\" is not a colour" },
  { "session-bad-date", NULL, "field \"session.date\": \"2022-02-30\" is not a date" },
  { "session-roster-code", NULL, "field \"roster[1].code\" is missing" },
  { "session-roster-duplicate", NULL, "field \"roster\":" },
  { "session-roster-empty", NULL, "field \"roster\" must not be empty" },
  { "session-rules-majority", NULL, "field \"chamber.rules.majority\": unknown value" },
  { "session-palette-old-key", NULL, "field \"chamber.palette.dim-text\" is missing" },
  { "session-duplicate-nested", NULL, "member \"yes\" twice in one object" },
  { "nul-escape", BALLOT_HEAD "\"vote\":\"v\",\"member\":\"A\\u0000B\",\"choice\":\"yes\"}",
    "string holding U+0000" },
  { "nul-escape-alone", BALLOT_HEAD "\"vote\":\"v\",\"member\":\"\\u0000\",\"choice\":\"yes\"}",
    "string holding U+0000" },
  /* An escaped backslash, then the escape of U+0000. */
  { "nul-after-backslash",
    BALLOT_HEAD "\"vote\":\"v\",\"member\":\"A\\\\\\u0000\",\"choice\":\"yes\"}",
    "string holding U+0000" },
  /* Half a surrogate pair is not a character: its UTF-8 would be invalid. */
  { "lone-high-surrogate",
    BALLOT_HEAD "\"vote\":\"v\",\"member\":\"A\\ud800B\",\"choice\":\"yes\"}",
    "string holding a lone surrogate" },
  { "high-surrogate-at-end",
    BALLOT_HEAD "\"vote\":\"v\",\"member\":\"A\\uD83D\",\"choice\":\"yes\"}",
    "string holding a lone surrogate" },
  { "lone-low-surrogate", BALLOT_HEAD "\"vote\":\"v\",\"member\":\"\\udc00\",\"choice\":\"yes\"}",
    "string holding a lone surrogate" },
  { "reversed-surrogates",
    BALLOT_HEAD "\"vote\":\"v\",\"member\":\"\\ude00\\ud83d\",\"choice\":\"yes\"}",
    "string holding a lone surrogate" },
  { "duplicate-member",
    BALLOT_HEAD "\"vote\":\"v\",\"member\":\"AFG\",\"choice\":\"yes\",\"choice\":\"no\"}",
    "message has the member \"choice\" twice in one object" },
  { "duplicate-null",
    BALLOT_HEAD "\"vote\":\"v\",\"member\":\"AFG\",\"member\":null,\"choice\":\"yes\"}",
    "member \"member\" twice" },
  { "two-values",
    "{\"v\":1,\"seq\":0,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"heartbeat\"}"
    "{\"v\":1,\"seq\":0,\"time\":\"2022-03-02T17:01:03Z\",\"type\":\"heartbeat\"}",
    "message goes on after its JSON value" },
  { "object-then-array",
    "{\"v\":1,\"seq\":0,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"heartbeat\"} []",
    "message goes on after its JSON value" },
};

static char *
make_session_refusal (const char *name)
{
  g_autofree char *good = session_json ();

  if (g_str_equal (name, "session-missing-chamber"))
    {
      /* Rename the member, so the rest of the message stays valid JSON. */
      return replace (good, "\"chamber\":", "\"chamber_\":");
    }
  if (g_str_equal (name, "session-bad-colour"))
    return replace (good, "\"yes\":\"#1a7f37\"", "\"yes\":\"#1a7f3\"");
  if (g_str_equal (name, "session-bad-date"))
    return replace (good, "\"date\":\"2022-03-02\"", "\"date\":\"2022-02-30\"");
  if (g_str_equal (name, "session-roster-code"))
    return replace (good, "\"code\":\"CCC\"", "\"kode\":\"CCC\"");
  if (g_str_equal (name, "session-roster-duplicate"))
    return replace (good, "\"code\":\"BBB\"", "\"code\":\"AAA\"");
  if (g_str_equal (name, "session-rules-majority"))
    return replace (good, "\"majority\":\"council\"", "\"majority\":\"plurality\"");
  if (g_str_equal (name, "session-palette-old-key"))
    return replace (good, "\"dim-text\":", "\"dim_text\":");
  if (g_str_equal (name, "session-duplicate-nested"))
    return replace (good, "\"yes\":\"#1a7f37\"", "\"yes\":\"#1a7f37\",\"yes\":\"#000000\"");
  if (g_str_equal (name, "session-roster-empty"))
    {
      const char *start = strstr (good, "\"roster\":[");
      g_autoptr (GString) s = g_string_new_len (good, start - good);

      g_assert_nonnull (start);
      g_string_append (s, "\"roster\":[]}");
      return g_string_free (g_steal_pointer (&s), FALSE);
    }
  g_assert_not_reached ();
}

static void
assert_refused (const char *text, gssize length, const char *reason)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) event = rc_codec_decode (text, length, &error);

  g_assert_null (event);
  rc_test_assert_refused (error, RC_ERROR_BAD_MESSAGE, reason);
}

/* A record's outcome under the unknown rule (protocol 1.1): written only when stated,
 * read back, carried by snapshots; refused with any rule that computes its verdict. */
static void
test_stated_outcome (void)
{
  g_autoptr (GPtrArray) events = rc_test_session_events (
    "s", "M/1", "2022-03-02", (const char *const[]){ "v", NULL, NULL, NULL });
  g_autoptr (GError) error = NULL;
  g_autoptr (RcSession) session = rc_session_new ();
  g_autoptr (RcSession) again = NULL;
  g_autoptr (RcSnapshot) snapshot = NULL;
  g_autoptr (RcMessage) decoded = NULL;
  RcEvent *scheduled = g_ptr_array_index (events, 1);
  RcEvent *announced = g_ptr_array_index (events, events->len - 1);
  g_autoptr (RcEvent) back = NULL;
  g_autofree char *text = NULL;
  g_autofree char *snap_text = NULL;
  const RcVerdict *verdict;

  g_assert_cmpint (announced->type, ==, RC_EVENT_VOTE_ANNOUNCED);
  /* none stated: no key at all (the bytes of protocol 1.0) */
  text = rc_codec_encode (announced);
  g_assert_null (strstr (text, "outcome"));
  g_clear_pointer (&text, g_free);

  /* with a known rule the verdict is computed: a stated one is refused */
  announced->stated_outcome = RC_OUTCOME_NOT_ADOPTED;
  g_assert_cmpuint (rc_session_fold (session, events, G_MAXINT64, &error), ==, events->len - 1);
  rc_test_assert_refused (error, RC_ERROR_LIFECYCLE, "its verdict is computed, not stated");
  g_clear_error (&error);
  g_clear_object (&session);

  /* the unknown rule: the record's outcome is the verdict, "as recorded" */
  scheduled->vote->majority = RC_MAJORITY_UNKNOWN;
  text = rc_codec_encode (announced);
  g_assert_nonnull (strstr (text, ",\"outcome\":\"not-adopted\"}"));
  back = rc_codec_decode (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->stated_outcome, ==, RC_OUTCOME_NOT_ADOPTED);
  session = rc_session_new ();
  g_assert_cmpuint (rc_session_fold (session, events, G_MAXINT64, &error), ==, events->len);
  g_assert_no_error (error);
  verdict = rc_vote_get_verdict (rc_session_get_vote (session, 0));
  g_assert_cmpint (verdict->outcome, ==, RC_OUTCOME_NOT_ADOPTED);
  g_assert_cmpint (verdict->reason, ==, RC_REASON_AS_RECORDED);

  /* a snapshot carries it */
  snapshot = rc_session_snapshot (session);
  snap_text = rc_codec_encode_snapshot (snapshot, "s");
  g_assert_nonnull (strstr (snap_text, "\"outcome\":\"not-adopted\""));
  decoded = rc_codec_decode_message (snap_text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (decoded->kind, ==, RC_MESSAGE_SNAPSHOT);
  again = rc_session_new_from_snapshot (decoded->snapshot, &error);
  g_assert_no_error (error);
  verdict = rc_vote_get_verdict (rc_session_get_vote (again, 0));
  g_assert_cmpint (verdict->reason, ==, RC_REASON_AS_RECORDED);

  /* nothing else than adopted or not-adopted */
  g_free (text);
  text = rc_codec_encode (announced);
  {
    g_autoptr (GString) bad = g_string_new (text);

    g_string_replace (bad, "not-adopted", "unknown", 1);
    assert_refused (bad->str, -1, "field \"outcome\": unknown value \"unknown\"");
  }

  /* and with no outcome stated, no verdict is invented */
  announced->stated_outcome = RC_OUTCOME_PENDING;
  g_clear_object (&session);
  session = rc_session_new ();
  g_assert_cmpuint (rc_session_fold (session, events, G_MAXINT64, &error), ==, events->len);
  verdict = rc_vote_get_verdict (rc_session_get_vote (session, 0));
  g_assert_cmpint (verdict->outcome, ==, RC_OUTCOME_UNKNOWN);
  g_assert_cmpint (verdict->reason, ==, RC_REASON_RULE_UNKNOWN);
}

static void
apply_one (RcSession *session, RcEvent *event)
{
  g_autoptr (RcEvent) owned = event;
  g_autoptr (GError) error = NULL;

  g_assert_true (rc_session_apply (session, owned, &error));
  g_assert_no_error (error);
}

/* A session of 1946 (times before 1970 are negative): the vote the board shows is the
 * one whose machine last moved, as in 2022; under a rule a record does not state, the
 * result waits for the announcement; a chamber's rule is never "unknown". */
static void
test_before_1970_and_unknown (void)
{
  g_autoptr (GPtrArray) base = rc_test_session_events ("s", "M/1", "1946-12-01", NULL);
  const gint64 t = -G_GINT64_CONSTANT (727315200) * G_USEC_PER_SEC; /* 1946-12-13 */
  RcVoteInfo a = { (char *) "a",        NULL, NULL,           (char *) "Vote A",
                   RC_MAJORITY_UNKNOWN, TRUE, RC_REVEAL_LIVE, RC_RESULT_AT_LOCK };
  RcVoteInfo b = a;
  g_autoptr (RcSession) session = rc_session_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) first = NULL;
  RcEvent *session_event = g_ptr_array_index (base, 0);
  RcVote *vote_b;

  b.id = (char *) "b";
  b.title = (char *) "Vote B";
  session_event->time = t;
  g_assert_true (rc_session_apply (session, session_event, &error));
  apply_one (session, rc_event_new_vote_scheduled (t + 1, &a));
  apply_one (session, rc_event_new_vote_scheduled (t + 2, &b));
  apply_one (session, rc_event_new_vote_opened (t + 10, "a"));
  apply_one (session, rc_event_new_vote_cancelled (t + 20, "a", NULL));
  apply_one (session, rc_event_new_vote_opened (t + 30, "b"));
  apply_one (session, rc_event_new_ballot (t + 31, "b", "AAA", RC_CHOICE_YES));
  apply_one (session, rc_event_new_vote_locked (t + 40, "b", NULL));
  vote_b = rc_session_find_vote (session, "b");
  /* locked, result at the lock, rule unknown: nothing to say before the announcement */
  g_assert_cmpint (rc_vote_get_verdict (vote_b)->outcome, ==, RC_OUTCOME_PENDING);
  {
    RcEvent *announced = rc_event_new_vote_announced (t + 50, "b", NULL);

    announced->stated_outcome = RC_OUTCOME_ADOPTED;
    apply_one (session, announced);
  }
  g_assert_cmpint (rc_vote_get_verdict (vote_b)->outcome, ==, RC_OUTCOME_ADOPTED);
  /* b moved last, though a's lock and announcement times were never set (0, later than
   * any time of 1946) */
  g_assert_true (rc_session_get_current_vote (session) == vote_b);

  /* no chamber decides by an unknown rule */
  first = rc_event_with_seq (session_event, 1);
  first->chamber->rules.default_majority = RC_MAJORITY_UNKNOWN;
  g_clear_object (&session);
  session = rc_session_new ();
  g_assert_false (rc_session_apply (session, first, &error));
  rc_test_assert_refused (error, RC_ERROR_BAD_MESSAGE, "a chamber's rule is never 'unknown'");
}

static void
test_refusal (gconstpointer data)
{
  const Refusal *r = data;
  g_autofree char *made = r->text == NULL ? make_session_refusal (r->name) : NULL;

  assert_refused (r->text != NULL ? r->text : made, -1, r->reason);
}

static void
test_refuse_invalid_utf8 (void)
{
  const char text[] = BALLOT_HEAD "\"vote\":\"v\",\"member\":\"A\xff\xfe\",\"choice\":\"yes\"}";
  const char nul[] = BALLOT_HEAD "\"vote\":\"v\",\"member\":\"A\0B\",\"choice\":\"yes\"}";

  assert_refused (text, sizeof text - 1, "not valid UTF-8");
  assert_refused (nul, sizeof nul - 1, "not valid UTF-8");
}

static void
test_refuse_oversize (void)
{
  /* Valid JSON, just too long: the limit applies before parsing. */
  gsize n = RC_CODEC_MAX_MESSAGE + 1;
  g_autofree char *text = g_malloc (n + 1);
  const char *head = "{\"v\":1,\"seq\":0,\"time\":\"2022-03-02T17:01:02Z\",\"type\":\"heartbeat\"}";
  g_autoptr (RcEvent) ok = NULL;
  g_autoptr (GError) error = NULL;

  memset (text, ' ', n);
  memcpy (text, head, strlen (head));
  text[n] = '\0';
  assert_refused (text, -1, "over the size limit of 1048576 bytes");

  /* At the limit it is accepted. */
  text[n - 1] = '\0';
  ok = rc_codec_decode (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ok->type, ==, RC_EVENT_HEARTBEAT);
}

static void
test_no_membership_check (void)
{
  /* Membership and lifecycle are the state machine's business, not the codec's. */
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) event
    = rc_codec_decode (BALLOT_HEAD "\"vote\":\"nowhere\",\"member\":\"ZZZ\","
                                   "\"choice\":\"no-right\",\"extra\":[1]}",
                       -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (event->member, ==, "ZZZ");
  g_assert_cmpint (event->choice, ==, RC_CHOICE_NO_RIGHT);
}

/* A string may hold the six characters \u0000 (an escaped backslash, then u0000):
 * only the escape of U+0000 itself is refused. */
static void
test_escaped_backslash_accepted (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) event = rc_codec_decode (
    BALLOT_HEAD "\"vote\":\"v\\\\u0000\",\"member\":\"A\\\\\\\\u0000B\",\"choice\":\"yes\"}", -1,
    &error);

  g_assert_no_error (error);
  g_assert_cmpstr (event->vote_id, ==, "v\\u0000");
  g_assert_cmpstr (event->member, ==, "A\\\\u0000B");
}

/* A whole surrogate pair is one character (U+1F600, in UTF-8 F0 9F 98 80). */
static void
test_surrogate_pair_accepted (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) event = rc_codec_decode (
    BALLOT_HEAD "\"vote\":\"v\",\"member\":\"A\\ud83d\\ude00\",\"choice\":\"yes\"}", -1,
    &error);

  g_assert_no_error (error);
  g_assert_cmpstr (event->member, ==, "A\xf0\x9f\x98\x80");
}

/* The palette travels under the palette files' own names (docs/chambers.md), every
 * one of them. */
static void
test_palette_keys (void)
{
  g_autofree char *text = session_json ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) decoded = rc_codec_decode (text, -1, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < rc_palette_n_fields; i++)
    {
      g_autofree char *member = g_strdup_printf ("\"%s\":\"#", rc_palette_fields[i].key);

      if (strstr (text, member) == NULL)
        g_error ("no palette member %s in %s", member, text);
    }
  g_assert_nonnull (strstr (text, "\"dim-text\":\"#"));
  g_assert_null (strstr (text, "dim_text"));
  g_assert_cmphex (decoded->chamber->palette.yes, ==, 0x1a7f37);
}

/* Every optional text left NULL: written as null, read back as NULL, so the event
 * (and the session a replay makes of it) is the one written. */
static GPtrArray *
events_with_null_texts (void)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  g_autoptr (RcChamberInfo) chamber = rc_test_chamber_info ();
  g_autoptr (RcRoster) roster = rc_test_roster ();
  RcSessionInfo info = { (char *) "s-null", NULL, (char *) "2022-03-02", NULL, NULL, FALSE };
  RcVoteInfo vote = { (char *) "v", NULL, NULL, NULL, RC_MAJORITY_SIMPLE, TRUE, RC_REVEAL_LIVE };
  gint64 t = 1646240462000000;

  g_clear_pointer (&chamber->name, g_free);
  g_clear_pointer (&chamber->body, g_free);
  g_ptr_array_add (events, rc_event_new_session (t, &info, chamber, roster));
  g_ptr_array_add (events, rc_event_new_vote_scheduled (t + 1000, &vote));
  g_ptr_array_add (events,
                   rc_event_new_vote_corrected (t + 2000, "v", "AAA", RC_CHOICE_NO, NULL));
  g_ptr_array_add (events, rc_event_new_vote_cancelled (t + 3000, "v", NULL));
  for (guint i = 0; i < events->len; i++)
    ((RcEvent *) g_ptr_array_index (events, i))->seq = i + 1;
  return events;
}

static void
test_null_texts_round_trip (void)
{
  g_autoptr (GPtrArray) events = events_with_null_texts ();
  const char *const nulls[] = { "\"meeting\":null", "\"title\":null",  "\"timezone\":null",
                                "\"name\":null",    "\"body\":null",   "\"symbol\":null",
                                "\"draft\":null",   "\"note\":null",   NULL };
  g_autoptr (GString) all = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    {
      const RcEvent *event = g_ptr_array_index (events, i);
      g_autofree char *text = rc_codec_encode (event);
      g_autoptr (GError) error = NULL;
      g_autoptr (RcEvent) decoded = rc_codec_decode (text, -1, &error);

      g_assert_no_error (error);
      rc_test_assert_events_equal (event, decoded);
      g_assert_null (strstr (text, ":\"\""));
      g_string_append (all, text);
    }
  for (guint i = 0; nulls[i] != NULL; i++)
    if (strstr (all->str, nulls[i]) == NULL)
      g_error ("expected %s in %s", nulls[i], all->str);
}

/* "" and a missing member mean "none" too, so a message from another writer that
 * uses them is the same event as Rollcall's null. */
static void
test_empty_text_is_null (void)
{
  g_autoptr (GPtrArray) events = events_with_null_texts ();
  g_autofree char *text = rc_codec_encode (g_ptr_array_index (events, 1));
  g_autofree char *empty = replace (text, "\"symbol\":null", "\"symbol\":\"\"");
  g_autofree char *missing = replace (text, "\"draft\":null,", "");
  g_autofree char *session = rc_codec_encode (g_ptr_array_index (events, 0));
  g_autofree char *session_empty = replace (session, "\"meeting\":null", "\"meeting\":\"\"");
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) a = rc_codec_decode (empty, -1, &error);
  g_autoptr (RcEvent) b = rc_codec_decode (missing, -1, &error);
  g_autoptr (RcEvent) c = rc_codec_decode (session_empty, -1, &error);

  g_assert_no_error (error);
  rc_test_assert_events_equal (g_ptr_array_index (events, 1), a);
  rc_test_assert_events_equal (g_ptr_array_index (events, 1), b);
  rc_test_assert_events_equal (g_ptr_array_index (events, 0), c);
  g_assert_null (c->session->meeting);
}

/* Every JSON example in docs/events.md is a message the decoder accepts, so the
 * documentation cannot drift from the code. */
static void
test_docs_examples (void)
{
  const char *root = g_getenv ("ROLLCALL_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autofree char *doc = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GString) block = NULL;
  guint n_examples = 0;
  gboolean seen[RC_EVENT_N_TYPES] = { FALSE };

  g_assert_nonnull (root);
  path = g_build_filename (root, "docs", "events.md", NULL);
  g_assert_true (g_file_get_contents (path, &doc, NULL, NULL));
  lines = g_strsplit (doc, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (block == NULL)
        {
          if (g_str_equal (lines[i], "```json"))
            block = g_string_new (NULL);
          continue;
        }
      if (!g_str_equal (lines[i], "```"))
        {
          g_string_append_printf (block, "%s\n", lines[i]);
          continue;
        }

      /* One message per line, or one message laid out over several lines. */
      {
        g_auto (GStrv) messages = NULL;
        gboolean per_line
          = g_str_has_prefix (block->str, "{\"v\"") && strstr (block->str, "\n ") == NULL;

        if (per_line)
          messages = g_strsplit (g_strchomp (block->str), "\n", -1);
        else
          messages = g_strdupv ((char *[]){ block->str, NULL });
        for (guint m = 0; messages[m] != NULL; m++)
          {
            g_autoptr (GError) error = NULL;
            g_autoptr (RcEvent) event = rc_codec_decode (messages[m], -1, &error);

            if (error != NULL)
              g_error ("docs/events.md example refused: %s\n%s", error->message, messages[m]);
            seen[event->type] = TRUE;
            n_examples++;
          }
      }
      g_string_free (g_steal_pointer (&block), TRUE);
    }
  g_assert_null (block);
  for (int type = 0; type < RC_EVENT_N_TYPES; type++)
    if (!seen[type])
      g_error ("docs/events.md has no example of a %s event", rc_event_type_to_string (type));
  g_assert_cmpuint (n_examples, >=, RC_EVENT_N_TYPES);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (int type = 0; type < RC_EVENT_N_TYPES; type++)
    {
      g_autofree char *path
        = g_strdup_printf ("/codec/round-trip/%s", rc_event_type_to_string (type));
      g_test_add_data_func (path, GINT_TO_POINTER (type), test_round_trip);
    }
  g_test_add_func ("/codec/wire-form", test_wire_form);
  g_test_add_func ("/codec/time", test_time);
  g_test_add_func ("/codec/result-shown", test_result_shown);
  g_test_add_func ("/codec/stated-outcome", test_stated_outcome);
  g_test_add_func ("/codec/before-1970-and-unknown", test_before_1970_and_unknown);
  g_test_add_func ("/codec/on-air-text", test_on_air_text);
  for (gsize i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *path = g_strdup_printf ("/codec/refuse/%s", refusals[i].name);
      g_test_add_data_func (path, &refusals[i], test_refusal);
    }
  g_test_add_func ("/codec/refuse/invalid-utf8", test_refuse_invalid_utf8);
  g_test_add_func ("/codec/refuse/oversize", test_refuse_oversize);
  g_test_add_func ("/codec/escaped-backslash-accepted", test_escaped_backslash_accepted);
  g_test_add_func ("/codec/surrogate-pair-accepted", test_surrogate_pair_accepted);
  g_test_add_func ("/codec/palette-keys", test_palette_keys);
  g_test_add_func ("/codec/null-texts-round-trip", test_null_texts_round_trip);
  g_test_add_func ("/codec/empty-text-is-null", test_empty_text_is_null);
  g_test_add_func ("/codec/no-membership-check", test_no_membership_check);
  g_test_add_func ("/codec/docs-examples", test_docs_examples);
  return g_test_run ();
}
