/* test-feed-codec.c — the feed's messages (docs/feed-protocol.md §2–5): an event of a
 * stream, a snapshot and a heartbeat survive the round trip in their documented form;
 * every malformed one is refused with a one-line reason naming the field; event ids
 * ("STREAM:SEQ") are read strictly. (Events themselves: tests/archive/test-codec.c.) */
#include <string.h>

#include "codec/rc-codec.h"
#include "model/rc-error.h"
#include "model/rc-snapshot.h"
#include "rc-archive-test-util.h"
#include "rc-json-cases.h"

static char *
replace (const char *text, const char *from, const char *to)
{
  g_autoptr (GString) s = g_string_new (text);

  g_assert_nonnull (strstr (text, from));
  g_string_replace (s, from, to, 1);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_stream_event_round_trip (gconstpointer data)
{
  RcEventType type = GPOINTER_TO_INT (data);
  g_autoptr (GPtrArray) events = rc_test_every_event_type ();
  const RcEvent *event = g_ptr_array_index (events, type);
  g_autofree char *text = rc_codec_encode_stream_event (event, "s-1");
  g_autofree char *again = NULL;
  g_autoptr (RcMessage) message = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_null (strchr (text, '\n'));
  g_assert_true (g_str_has_prefix (text, "{\"v\":1,\"stream\":\"s-1\",\"seq\":"));
  message = rc_codec_decode_message (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (message->kind, ==, RC_MESSAGE_EVENT);
  g_assert_cmpstr (message->stream, ==, "s-1");
  rc_test_assert_events_equal (event, message->event);
  again = rc_codec_encode_stream_event (message->event, message->stream);
  g_assert_cmpstr (text, ==, again);
}

static void
test_heartbeat_message (void)
{
  /* The form of docs/feed-protocol.md §5, byte for byte. */
  g_autofree char *text = rc_codec_encode_heartbeat ("s-1", 57, 1646238900000000);
  g_autoptr (RcMessage) message = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (text, ==,
                   "{\"v\":1,\"seq\":0,\"time\":\"2022-03-02T16:35:00.000Z\","
                   "\"type\":\"heartbeat\",\"stream\":\"s-1\",\"last_seq\":57}");
  message = rc_codec_decode_message (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (message->kind, ==, RC_MESSAGE_HEARTBEAT);
  g_assert_cmpstr (message->stream, ==, "s-1");
  g_assert_cmpint (message->last_seq, ==, 57);
  g_assert_cmpint (message->time, ==, 1646238900000000);
  g_assert_null (message->event);
}

/* A session with every state a vote can be in: announced with official totals and
 * corrected (v-1), open with ballots (v-2), cancelled (v-3), only scheduled (v-4);
 * the screens blank. */
static RcSession *
rich_session (void)
{
  const char *votes[] = { "v-1", "T/RES/1", NULL, NULL };
  g_autoptr (GPtrArray) events = rc_test_session_events ("s-1", "T/PV.1", "2022-03-02", votes);
  RcSession *session = rc_session_new ();
  gint64 t = G_GINT64_CONSTANT (1646250000) * G_USEC_PER_SEC;
  RcVoteInfo v2
    = { (char *) "v-2", NULL, (char *) "T/L.2", NULL, RC_MAJORITY_SIMPLE, TRUE, RC_REVEAL_LIVE };
  RcVoteInfo v3
    = { (char *) "v-3",      NULL, NULL, (char *) "Withdrawn", RC_MAJORITY_TWO_THIRDS, FALSE,
        RC_REVEAL_AFTER_LOCK };
  RcVoteInfo v4 = { (char *) "v-4", NULL, NULL, NULL, RC_MAJORITY_COUNCIL, TRUE, RC_REVEAL_LIVE };

  g_ptr_array_add (
    events, rc_event_new_vote_corrected (t, "v-1", "CCC", RC_CHOICE_NO, "Côte Claire meant no"));
  g_ptr_array_add (events, rc_event_new_vote_scheduled (t + 1, &v2));
  g_ptr_array_add (events, rc_event_new_vote_scheduled (t + 2, &v3));
  g_ptr_array_add (events, rc_event_new_vote_cancelled (t + 4, "v-3", "Draft withdrawn"));
  g_ptr_array_add (events, rc_event_new_vote_opened (t + 5, "v-2"));
  g_ptr_array_add (events, rc_event_new_ballot (t + 6, "v-2", "AAA", RC_CHOICE_YES));
  g_ptr_array_add (events, rc_event_new_ballot (t + 7, "v-2", "CCC", RC_CHOICE_NO_RIGHT));
  g_ptr_array_add (events, rc_event_new_vote_scheduled (t + 8, &v4));
  g_ptr_array_add (events, rc_event_new_on_air (t + 9, RC_ON_AIR_BLANK, NULL));
  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr (RcEvent) event = rc_event_with_seq (g_ptr_array_index (events, i), i + 1);
      g_autoptr (GError) error = NULL;

      rc_session_apply (session, event, &error);
      g_assert_no_error (error);
    }
  return session;
}

static void
test_snapshot_round_trip (void)
{
  g_autoptr (RcSession) session = rich_session ();
  g_autoptr (RcSnapshot) snapshot = rc_session_snapshot (session);
  g_autofree char *text = rc_codec_encode_snapshot (snapshot, "s-1");
  g_autofree char *again = NULL;
  g_autoptr (RcMessage) message = NULL;
  g_autoptr (RcSession) restored = NULL;
  g_autoptr (RcSnapshot) restored_snapshot = NULL;
  g_autoptr (GError) error = NULL;
  const char *const states[]
    = { "\"state\":\"announced\"", "\"state\":\"open\"", "\"state\":\"cancelled\"",
        "\"state\":\"scheduled\"", "\"corrected\":true", "\"show\":\"blank\"" };

  g_assert_null (strchr (text, '\n'));
  for (gsize i = 0; i < G_N_ELEMENTS (states); i++)
    g_assert_nonnull (strstr (text, states[i]));

  message = rc_codec_decode_message (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (message->kind, ==, RC_MESSAGE_SNAPSHOT);
  g_assert_cmpstr (message->stream, ==, "s-1");
  again = rc_codec_encode_snapshot (message->snapshot, "s-1");
  g_assert_cmpstr (text, ==, again);

  /* The state it describes is the session's (rc_session_new_from_snapshot checks it). */
  restored = rc_session_new_from_snapshot (message->snapshot, &error);
  g_assert_no_error (error);
  restored_snapshot = rc_session_snapshot (restored);
  g_clear_pointer (&again, g_free);
  again = rc_codec_encode_snapshot (restored_snapshot, "s-1");
  g_assert_cmpstr (text, ==, again);
}

static void
test_empty_snapshot (void)
{
  /* docs/feed-protocol.md §9: a live feed before its clerk describes the meeting. */
  g_autoptr (RcSnapshot) empty = rc_snapshot_new ();
  g_autofree char *text = rc_codec_encode_snapshot (empty, "ga-2026-11-26");
  g_autoptr (RcMessage) message = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (text, ==,
                   "{\"v\":1,\"type\":\"snapshot\",\"stream\":\"ga-2026-11-26\",\"seq\":0,"
                   "\"time\":null,\"session\":null,\"chamber\":null,\"roster\":null,\"votes\":[],"
                   "\"on_air\":null}");
  message = rc_codec_decode_message (text, -1, &error);
  g_assert_no_error (error);
  g_assert_null (message->snapshot->session);
  g_assert_cmpint (message->snapshot->seq, ==, 0);
}

/* A valid message of each kind, to break one field at a time. */
static char *
good_message (const char *kind)
{
  g_autoptr (RcSession) session = NULL;
  g_autoptr (RcSnapshot) snapshot = NULL;

  if (g_str_equal (kind, "event"))
    return g_strdup ("{\"v\":1,\"stream\":\"s-1\",\"seq\":12,\"time\":\"2022-03-02T17:01:02Z\","
                     "\"type\":\"ballot\",\"vote\":\"v\",\"member\":\"AFG\",\"choice\":\"yes\"}");
  if (g_str_equal (kind, "heartbeat"))
    return rc_codec_encode_heartbeat ("s-1", 57, 1646238900000000);
  session = rich_session ();
  snapshot = rc_session_snapshot (session);
  return rc_codec_encode_snapshot (snapshot, "s-1");
}

typedef struct {
  const char *name;
  const char *kind; /* of the good message */
  const char *from, *to;
  const char *reason;
} MessageRefusal;

static const MessageRefusal message_refusals[] = {
  { "event-no-stream", "event", "\"stream\":\"s-1\",", "",
    "ballot event: field \"stream\" is missing" },
  { "event-stream-colon", "event", "\"s-1\"", "\"s:1\"",
    "field \"stream\": \"s:1\" must not hold ':'" },
  { "event-stream-empty", "event", "\"s-1\"", "\"\"", "field \"stream\" must not be empty" },
  { "event-seq-0", "event", "\"seq\":12", "\"seq\":0", "field \"seq\" must be 1 or more" },
  { "event-bad-member", "event", "\"member\":\"AFG\"", "\"member\":7",
    "field \"member\" must be a string" },
  { "unknown-type", "event", "\"ballot\"", "\"snapshots\"", "unknown message type \"snapshots\"" },
  { "version-2", "snapshot", "\"v\":1", "\"v\":2", "version 2 is not supported" },
  { "heartbeat-seq", "heartbeat", "\"seq\":0", "\"seq\":5",
    "heartbeat event: field \"seq\" must be 0" },
  { "heartbeat-no-last-seq", "heartbeat", ",\"last_seq\":57", "", "field \"last_seq\" is missing" },
  { "heartbeat-negative-last-seq", "heartbeat", "57", "-1", "field \"last_seq\" is out of range" },
  { "heartbeat-no-stream", "heartbeat", "\"stream\":\"s-1\",", "", "field \"stream\" is missing" },
  { "snapshot-no-stream", "snapshot", "\"stream\":\"s-1\",", "",
    "snapshot: field \"stream\" is missing" },
  { "snapshot-no-votes", "snapshot",
    "\"votes\":", "\"votez\":", "snapshot: field \"votes\" is missing" },
  { "snapshot-null-time", "snapshot", "\"time\":\"2022", "\"time\":null,\"x\":\"2022",
    "field \"time\" is missing" },
  { "snapshot-session-null", "snapshot", "\"session\":{", "\"session\":null,\"x\":{",
    "field \"chamber\" must be null when \"session\" is" },
  { "snapshot-bad-state", "snapshot", "\"state\":\"open\"", "\"state\":\"finished\"",
    "field \"votes[1].state\": unknown value \"finished\"" },
  { "snapshot-pending", "snapshot", "\"AAA\":\"yes\"", "\"AAA\":\"pending\"",
    "field \"votes[0].ballots.AAA\": a pending member is not listed" },
  { "snapshot-bad-choice", "snapshot", "\"AAA\":\"yes\"", "\"AAA\":\"maybe\"",
    "field \"votes[0].ballots.AAA\": unknown value \"maybe\"" },
  { "snapshot-ballots-twice", "snapshot", "\"AAA\":\"yes\"", "\"AAA\":\"yes\",\"AAA\":\"no\"",
    "member \"AAA\" twice in one object" },
  { "snapshot-ballots-array", "snapshot", "\"ballots\":{}", "\"ballots\":[]",
    "field \"votes[2].ballots\" must be an object" },
  { "snapshot-bad-opened", "snapshot", "\"opened\":\"2022-03-02T", "\"opened\":\"02/03/2022 ",
    "field \"votes[0].opened\": \"02/03/2022 " },
  { "snapshot-official-negative", "snapshot", "\"official\":{\"yes\":2", "\"official\":{\"yes\":-2",
    "field \"votes[0].official.yes\" is out of range" },
  { "snapshot-no-corrected", "snapshot", "\"corrected\":true", "\"correct\":true",
    "field \"votes[0].corrected\" is missing" },
  { "snapshot-on-air-vote", "snapshot", "\"show\":\"blank\"", "\"show\":\"vote\"",
    "field \"on_air.vote\" is missing" },
  { "snapshot-roster", "snapshot", "\"code\":\"AAA\"", "\"code\":\"\"",
    "field \"roster[0].code\" must not be empty" },
};

static void
test_message_refusal (gconstpointer data)
{
  const MessageRefusal *r = data;
  g_autofree char *good = good_message (r->kind);
  g_autofree char *bad = replace (good, r->from, r->to);
  g_autoptr (RcMessage) ok = NULL;
  g_autoptr (RcMessage) refused = NULL;
  g_autoptr (GError) error = NULL;

  ok = rc_codec_decode_message (good, -1, &error);
  g_assert_no_error (error);
  refused = rc_codec_decode_message (bad, -1, &error);
  g_assert_null (refused);
  rc_test_assert_refused (error, RC_ERROR_BAD_MESSAGE, r->reason);
}

static void
test_message_common_refusals (void)
{
  /* The limits of every message: a snapshot is no exception. */
  const char bad_utf8[] = "{\"v\":1,\"type\":\"snapshot\",\"stream\":\"s\xff\",\"seq\":0}";
  g_autofree char *big = g_strnfill (RC_CODEC_MAX_MESSAGE + 1, ' ');
  g_autoptr (GError) error = NULL;
  RcMessage *message;

  message = rc_codec_decode_message (bad_utf8, sizeof bad_utf8 - 1, &error);
  g_assert_null (message);
  rc_test_assert_refused (error, RC_ERROR_BAD_MESSAGE, "not valid UTF-8");
  g_clear_error (&error);
  memcpy (big, "{\"v\":1,\"type\":\"snapshot\"}", 25);
  message = rc_codec_decode_message (big, -1, &error);
  g_assert_null (message);
  rc_test_assert_refused (error, RC_ERROR_BAD_MESSAGE, "over the size limit");
  g_clear_error (&error);
  message = rc_codec_decode_message ("[]", -1, &error);
  g_assert_null (message);
  rc_test_assert_refused (error, RC_ERROR_BAD_MESSAGE, "not a JSON object");
}

/* ---------------------------------------------------------------- strict JSON */

#define STREAM_ENVELOPE                                                          \
  "\"v\":1,\"stream\":\"s-1\",\"seq\":12,\"time\":\"2022-03-02T17:01:02.345Z\"," \
  "\"type\":\"ballot\",\"vote\":\"es-11-1\","

static RcMessage *
decode_case (const char *text, GError **error)
{
  gsize length;
  g_autofree char *message = rc_json_case_text (text, STREAM_ENVELOPE, &length);

  return rc_codec_decode_message (message, (gssize) length, error);
}

/* A message a board receives that is not RFC 8259 JSON (or passes a limit of ours) is
 * refused with its reason: each case of tests/archive/rc-json-cases.c. */
static void
test_strict_json (gconstpointer data)
{
  const RcJsonCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) message = decode_case (c->text, &error);

  g_assert_null (message);
  rc_test_assert_refused (error, RC_ERROR_BAD_MESSAGE, c->reason);
}

/* The same ballot without its fault is a message, and so is one nested as deep as the
 * limit allows, or holding the extreme 64-bit integers and a real that underflows. */
static void
test_strict_json_accepted (void)
{
  const char *good[] = {
    RC_JSON_CASE_GOOD,
    RC_JSON_CASE_DEEPEST,
    "{<ENV>\"member\":\"AFG\",\"choice\":\"yes\",\"x\":[9223372036854775807,"
    "-9223372036854775808,1e-400,-0,0.5e+3,1E2]}",
    " \t\r\n{ <ENV>\"member\" : \"AFG\" , \"choice\":\"yes\" } \r\n\t ",
    "{<ENV>\"member\":\"\\u0041FG\",\"choice\":\"yes\",\"note\":\"\\ud83d\\ude00 \\/ \\\"\"}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RcMessage) message = decode_case (good[i], &error);

      g_assert_no_error (error);
      g_assert_cmpint (message->kind, ==, RC_MESSAGE_EVENT);
      g_assert_cmpint (message->event->type, ==, RC_EVENT_BALLOT);
    }
}

/* Ids are bounded (docs/events.md, "What is JSON here"): a stream id at 128 bytes, a
 * member code in a snapshot's ballots at 64. */
static void
test_stream_and_snapshot_lengths (void)
{
  g_autofree char *stream_ok = g_strnfill (RC_CODEC_MAX_STREAM, 's');
  g_autofree char *stream_long = g_strnfill (RC_CODEC_MAX_STREAM + 1, 's');
  g_autofree char *code_long = g_strnfill (RC_ID_MAX + 1, 'A');
  const char *const votes[] = { "v-1", NULL, NULL, NULL };
  g_autoptr (GPtrArray) events = rc_test_session_events ("s", NULL, "2022-03-02", votes);
  g_autofree char *heartbeat = rc_codec_encode_heartbeat ("s-1", 3, 0);
  g_autofree char *good = NULL, *bad = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) message = NULL;
  g_autoptr (RcSession) session = rc_session_new ();
  g_autoptr (RcSnapshot) snapshot = NULL;
  g_autofree char *snapshot_text = NULL, *from = NULL, *to = NULL;

  from = g_strdup ("\"stream\":\"s-1\"");
  to = g_strdup_printf ("\"stream\":\"%s\"", stream_ok);
  good = replace (heartbeat, from, to);
  message = rc_codec_decode_message (good, -1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&message, rc_message_free);
  g_free (to);
  to = g_strdup_printf ("\"stream\":\"%s\"", stream_long);
  bad = replace (heartbeat, from, to);
  message = rc_codec_decode_message (bad, -1, &error);
  g_assert_null (message);
  rc_test_assert_refused (error, RC_ERROR_BAD_MESSAGE, "field \"stream\" is longer than 128 bytes");
  g_clear_error (&error);

  /* a vote with a ballot of AAA, whose code becomes too long in the snapshot */
  for (guint i = 0; i < events->len; i++)
    {
      rc_session_apply (session, g_ptr_array_index (events, i), &error);
      g_assert_no_error (error);
    }
  snapshot = rc_session_snapshot (session);
  snapshot_text = rc_codec_encode_snapshot (snapshot, "s-1");
  g_clear_pointer (&bad, g_free);
  g_free (to);
  to = g_strdup_printf ("\"ballots\":{\"%s\":", code_long);
  bad = replace (snapshot_text, "\"ballots\":{\"AAA\":", to);
  message = rc_codec_decode_message (bad, -1, &error);
  g_assert_null (message);
  rc_test_assert_refused (error, RC_ERROR_BAD_MESSAGE, "member code longer than 64 bytes");
}

static void
test_event_ids (void)
{
  const char *bad[] = { "",
                        "s",
                        "s:",
                        ":5",
                        "s:5a",
                        "s:-1",
                        "s:+1",
                        "s: 1",
                        "s:1 ",
                        "a:b:1",
                        "s:9223372036854775808",
                        "s:99999999999999999999" };
  g_autofree char *id = rc_event_id_format ("ga-es11-2022-03-02", 57);
  g_autofree char *stream = NULL;
  gint64 seq = -1;

  g_assert_cmpstr (id, ==, "ga-es11-2022-03-02:57");
  g_assert_true (rc_event_id_parse (id, &stream, &seq));
  g_assert_cmpstr (stream, ==, "ga-es11-2022-03-02");
  g_assert_cmpint (seq, ==, 57);
  g_assert_true (rc_event_id_parse ("s:0", NULL, &seq));
  g_assert_cmpint (seq, ==, 0);
  g_assert_true (rc_event_id_parse ("s:9223372036854775807", NULL, &seq));
  g_assert_cmpint (seq, ==, G_MAXINT64);
  g_assert_false (rc_event_id_parse (NULL, NULL, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    if (rc_event_id_parse (bad[i], NULL, NULL))
      g_error ("\"%s\" was read as an event id", bad[i]);
}

/* Every complete message shown in docs/feed-protocol.md (a JSON block, a line
 * received "← …", an SSE data: line) is one a client accepts, so the contract
 * cannot drift from the code. Examples cut short with "…" are not messages. */
static void
test_docs_examples (void)
{
  const char *root = g_getenv ("ROLLCALL_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autofree char *doc = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GString) block = NULL;
  g_autoptr (GPtrArray) examples = g_ptr_array_new_with_free_func (g_free);
  guint seen[3] = { 0 };

  g_assert_nonnull (root);
  path = g_build_filename (root, "docs", "feed-protocol.md", NULL);
  g_assert_true (g_file_get_contents (path, &doc, NULL, NULL));
  lines = g_strsplit (doc, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (block != NULL && g_str_equal (line, "```"))
        {
          if (strstr (block->str, "\"type\"") != NULL)
            g_ptr_array_add (examples, g_string_free (g_steal_pointer (&block), FALSE));
          else
            g_string_free (g_steal_pointer (&block), TRUE);
          continue;
        }
      if (block != NULL)
        {
          g_string_append_printf (block, "%s\n", line);
          continue;
        }
      if (g_str_equal (line, "```json"))
        block = g_string_new (NULL);
      else if (g_str_has_prefix (line, "← {"))
        g_ptr_array_add (examples, g_strdup (line + strlen ("← ")));
      else if (g_str_has_prefix (line, "data: {"))
        g_ptr_array_add (examples, g_strdup (line + strlen ("data: ")));
    }
  for (guint i = 0; i < examples->len; i++)
    {
      const char *text = g_ptr_array_index (examples, i);
      g_autoptr (RcMessage) message = NULL;
      g_autoptr (GError) error = NULL;

      if (strstr (text, "…") != NULL)
        continue;
      message = rc_codec_decode_message (text, -1, &error);
      if (message == NULL)
        g_error ("docs/feed-protocol.md example refused: %s\n%s", error->message, text);
      seen[message->kind]++;
      if (message->kind == RC_MESSAGE_SNAPSHOT)
        {
          g_autoptr (RcSession) session = rc_session_new_from_snapshot (message->snapshot, &error);

          g_assert_no_error (error);
        }
    }
  g_assert_cmpuint (seen[RC_MESSAGE_EVENT], >=, 1);
  g_assert_cmpuint (seen[RC_MESSAGE_SNAPSHOT], >=, 2);
  g_assert_cmpuint (seen[RC_MESSAGE_HEARTBEAT], >=, 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (int type = 0; type < RC_EVENT_HEARTBEAT; type++)
    {
      g_autofree char *path
        = g_strdup_printf ("/feed-codec/round-trip/%s", rc_event_type_to_string (type));
      g_test_add_data_func (path, GINT_TO_POINTER (type), test_stream_event_round_trip);
    }
  g_test_add_func ("/feed-codec/heartbeat", test_heartbeat_message);
  g_test_add_func ("/feed-codec/snapshot-round-trip", test_snapshot_round_trip);
  g_test_add_func ("/feed-codec/empty-snapshot", test_empty_snapshot);
  for (gsize i = 0; i < G_N_ELEMENTS (message_refusals); i++)
    {
      g_autofree char *path = g_strdup_printf ("/feed-codec/refuse/%s", message_refusals[i].name);
      g_test_add_data_func (path, &message_refusals[i], test_message_refusal);
    }
  g_test_add_func ("/feed-codec/refuse/limits", test_message_common_refusals);
  for (guint i = 0; i < rc_json_n_cases; i++)
    {
      g_autofree char *path = g_strdup_printf ("/feed-codec/strict-json/%s", rc_json_cases[i].name);
      g_test_add_data_func (path, &rc_json_cases[i], test_strict_json);
    }
  g_test_add_func ("/feed-codec/strict-json-accepted", test_strict_json_accepted);
  g_test_add_func ("/feed-codec/lengths", test_stream_and_snapshot_lengths);
  g_test_add_func ("/feed-codec/event-ids", test_event_ids);
  g_test_add_func ("/feed-codec/docs-examples", test_docs_examples);
  return g_test_run ();
}
