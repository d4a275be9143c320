/* test-feed-control-input.c — what the control API (docs/feed-protocol.md §7) takes as
 * a request's body, over loopback: a real live server journalling into a real archive,
 * driven by a real SoupSession as a clerk's console would.
 *
 * Bodies must be RFC 8259 JSON (each case of tests/archive/rc-json-cases.c), ids and
 * texts have bounded lengths, and what the session's state does not allow is a 409, not
 * a 400. Every refusal must come back with its status and a one-line JSON error, be
 * logged in one line, and leave the hub's state and the journal exactly as they were.
 * (The other refusals of the control API: test-feed-control.c.) */
#include <string.h>

#include "codec/rc-codec.h"
#include "feed/rc-feed-control.h"
#include "model/rc-error.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-program.h"
#include "rc-feed-test-util.h"
#include "rc-json-cases.h"

#define TOKEN "c0ntrol-t0ken-for-input-tests"
#define GA "ga-es11-2022-03-02"
#define GA_SESSION(id)                                                                    \
  "{\"session\":{\"id\":\"" id "\",\"meeting\":\"A/ES-11/PV.5\",\"date\":\"2022-03-02\"," \
  "\"title\":\"Eleventh emergency special session\",\"timezone\":\"America/New_York\"},"  \
  "\"chamber\":\"UNGA\"}"
#define VOTE(id, majority)                                                                    \
  "{\"vote\":\"" id "\",\"symbol\":\"A/RES/ES-11/1\",\"draft\":\"A/ES-11/L.1\","              \
  "\"title\":\"Aggression against Ukraine\",\"majority\":\"" majority "\",\"recorded\":true," \
  "\"reveal\":\"live\"}"

/* ---------------------------------------------------------------- the log */

/* The control API's log lines ("control: …"), as the server wrote them. */
static GPtrArray *control_log;

static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      {
        g_autofree char *message = fields[i].length < 0
                                     ? g_strdup (fields[i].value)
                                     : g_strndup (fields[i].value, fields[i].length);

        if (g_str_has_prefix (message, "control: "))
          g_ptr_array_add (control_log, g_steal_pointer (&message));
      }
  return g_log_writer_default (level, fields, n_fields, data);
}

/* ---------------------------------------------------------------- fixture */

typedef struct {
  char *dir;
  char *path;
  RcArchive *journal;
  RcTestFeed *feed;
  SoupSession *http;
} Fixture;

/* A live server waiting for its session, journalling into a new archive. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = rc_test_make_tmpdir ();
  f->path = g_build_filename (f->dir, "journal.rollcall", NULL);
  f->journal = rc_archive_open (f->path, RC_ARCHIVE_READ_WRITE | RC_ARCHIVE_CREATE, &error);
  g_assert_no_error (error);
  f->feed = rc_test_feed_new (f->journal, NULL, NULL);
  rc_feed_control_attach (f->feed->server, TOKEN, RC_FEED_CONTROL_LIVE);
  f->http = soup_session_new ();
  g_ptr_array_set_size (control_log, 0);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->http);
  g_clear_pointer (&f->feed, rc_test_feed_free);
  g_clear_object (&f->journal);
  rc_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* ---------------------------------------------------------------- requests */

/* POST body (length bytes) to path with the token, as a clerk's console does; returns
 * the status, the reply in *reply. */
static guint
post_raw (Fixture *f, const char *path, const char *body, gsize length, char **reply)
{
  g_autofree char *url = g_strconcat (f->feed->url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) bytes = g_bytes_new (body, length);

  g_assert_nonnull (msg);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " TOKEN);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  return rc_test_send (f->http, msg, reply);
}

/* A write that must be accepted: 201, and the event published is the hub's last. */
static void
post (Fixture *f, const char *path, const char *body)
{
  g_autofree char *reply = NULL;
  guint status = post_raw (f, path, body, strlen (body), &reply);

  if (status != SOUP_STATUS_CREATED)
    g_error ("POST %s %s: %u %s", path, body, status, reply);
}

/* The reply of a refusal: one line, {"v":1,"error":{"code":CODE,"message":…}}. */
static void
assert_error_reply (const char *what, const char *reply, const char *code, const char *reason)
{
  g_autofree char *message = NULL;
  g_autofree char *got = rc_test_error_reply (reply, strlen (reply), &message);

  g_assert_cmpstr (got, ==, code);
  if (strstr (message, reason) == NULL)
    g_error ("%s: expected \"%s\" in the reason, got: %s", what, reason, message);
}

/* A write that must be refused with status, code and reason (a part of the message),
 * and change nothing: the hub's stream, sequence and state, and the journal. */
static void
refused_len (Fixture *f, const char *what, guint status, const char *code, const char *reason,
             const char *path, const char *body, gsize length)
{
  g_autofree char *reply = NULL;
  g_autofree char *stream = g_strdup (rc_feed_hub_get_stream (f->feed->hub));
  gint64 last_seq = rc_feed_hub_get_last_seq (f->feed->hub);
  g_autofree char *state = rc_test_session_dump (rc_feed_hub_get_session (f->feed->hub));
  g_autofree char *journal = rc_test_journal_dump (f->path);
  g_autofree char *state_after = NULL, *journal_after = NULL;
  g_autofree char *logged = g_strdup_printf (" %u %s: ", status, code);
  guint n_log = control_log->len;
  guint got = post_raw (f, path, body, length, &reply);

  if (got != status)
    g_error ("%s: POST %s: expected %u, got %u %s", what, path, status, got, reply);
  assert_error_reply (what, reply, code, reason);

  state_after = rc_test_session_dump (rc_feed_hub_get_session (f->feed->hub));
  journal_after = rc_test_journal_dump (f->path);
  g_assert_cmpstr (rc_feed_hub_get_stream (f->feed->hub), ==, stream);
  g_assert_cmpint (rc_feed_hub_get_last_seq (f->feed->hub), ==, last_seq);
  g_assert_cmpstr (state_after, ==, state);
  g_assert_cmpstr (journal_after, ==, journal);

  g_assert_cmpuint (control_log->len, ==, n_log + 1);
  g_assert_null (strchr (g_ptr_array_index (control_log, n_log), '\n'));
  if (strstr (g_ptr_array_index (control_log, n_log), logged) == NULL)
    g_error ("%s: log line without \"%s\": %s", what, logged,
             (char *) g_ptr_array_index (control_log, n_log));
}

static void
refused (Fixture *f, guint status, const char *code, const char *reason, const char *path,
         const char *body)
{
  refused_len (f, path, status, code, reason, path, body, strlen (body));
}

/* The General Assembly of 2 March 2022 with vote es-11-1 scheduled and opened. */
static void
open_vote (Fixture *f)
{
  post (f, "/v1/session", GA_SESSION (GA));
  post (f, "/v1/votes", VOTE ("es-11-1", "two-thirds"));
  post (f, "/v1/votes/es-11-1/open", "{}");
}

/* ---------------------------------------------------------------- strict JSON */

/* Every body that is not RFC 8259 JSON, or that passes a limit of ours, is a 400
 * bad-message; the same ballot without its fault is then accepted, and so is one
 * nested as deep as the limit allows. */
static void
test_strict_json (Fixture *f, gconstpointer data)
{
  open_vote (f);
  for (guint i = 0; i < rc_json_n_cases; i++)
    {
      const RcJsonCase *c = &rc_json_cases[i];
      gsize length;
      g_autofree char *body = rc_json_case_text (c->text, "", &length);

      refused_len (f, c->name, 400, "bad-message", c->reason, "/v1/votes/es-11-1/ballots", body,
                   length);
    }
  {
    gsize length;
    g_autofree char *good = rc_json_case_text (RC_JSON_CASE_GOOD, "", &length);
    g_autofree char *deepest = rc_json_case_text (RC_JSON_CASE_DEEPEST, "", &length);

    post (f, "/v1/votes/es-11-1/ballots", good);
    post (f, "/v1/votes/es-11-1/ballots", deepest);
  }
}

/* ---------------------------------------------------------------- characters */

/* A text may hold any character but U+0000 (docs/events.md): every control character,
 * DEL, U+2028, an astral character. The vote is accepted, the reply is JSON that any
 * strict reader takes, and the journal reads back what was sent. (json-glib wrote
 * U+001F raw: the archive refused to journal a line it could not read back, and a
 * valid body got a 400 saying "message is not JSON".) */
static void
test_every_character (Fixture *f, gconstpointer data)
{
  g_autoptr (GString) title = g_string_new (NULL);
  g_autoptr (GString) escaped = g_string_new (NULL);
  g_autofree char *body = NULL, *reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) published = NULL;
  g_autoptr (RcArchive) journal = NULL;
  g_autoptr (GPtrArray) events = NULL;
  const RcEvent *last;

  for (int c = 0x01; c < 0x20; c++)
    {
      g_string_append_c (title, (char) c);
      g_string_append_printf (escaped, "\\u%04X", c);
    }
  g_string_append (title, "\x7f \xe2\x80\xa8 \xf0\x9f\x98\x80 / \" \\");
  g_string_append (escaped, "\x7f \xe2\x80\xa8 \\ud83d\\ude00 \\/ \\\" \\\\");
  body = g_strdup_printf ("{\"vote\":\"v1\",\"title\":\"%s\",\"majority\":\"simple\","
                          "\"recorded\":true,\"reveal\":\"live\"}",
                          escaped->str);

  post (f, "/v1/session", GA_SESSION (GA));
  g_assert_cmpuint (post_raw (f, "/v1/votes", body, strlen (body), &reply), ==,
                    SOUP_STATUS_CREATED);
  published = rc_codec_decode_message (reply, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (published->event->vote->title, ==, title->str);

  journal = rc_archive_open (f->path, RC_ARCHIVE_READ_ONLY, &error);
  g_assert_no_error (error);
  events = rc_archive_load_events (journal, GA, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  last = g_ptr_array_index (events, 1);
  g_assert_cmpstr (last->vote->title, ==, title->str);
}

/* ---------------------------------------------------------------- lengths */

/* The hall's clock runs in the session's time zone: a zone this machine does not know
 * would put it on UTC without a word (the README's example gave none, and a new user's
 * clock ran on UTC), so a new session naming one is refused, and one naming a known
 * zone, or none, is taken. */
static void
test_timezone (Fixture *f, gconstpointer data)
{
  const char *const unknown[] = { "Mars/Olympus_Mons",
                                  "America/New York",
                                  "Europe/\\nZurich",
                                  "../../etc/passwd",
                                  "/usr/share/zoneinfo/Europe/Zurich",
                                  ":/usr/share/zoneinfo/Europe/Zurich",
                                  ":Europe/Zurich" };

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autofree char *body
        = g_strdup_printf ("{\"session\":{\"id\":\"" GA "\",\"date\":\"2022-03-02\","
                           "\"timezone\":\"%s\"},\"chamber\":\"UNGA\"}",
                           unknown[i]);

      refused (f, 400, "bad-message", "field \"session.timezone\": ", "/v1/session", body);
    }
  post (f, "/v1/session",
        "{\"session\":{\"id\":\"" GA "\",\"date\":\"2022-03-02\","
        "\"timezone\":\"Europe/Zurich\"},\"chamber\":\"UNGA\"}");
  g_assert_cmpstr (rc_session_get_info (rc_feed_hub_get_session (f->feed->hub))->timezone, ==,
                   "Europe/Zurich");
}

/* "a 60,000-character session id becomes the stream id of every message": ids are at
 * most 64 bytes and texts 1,024 (docs/events.md, "What is JSON here"), whichever
 * request carries them; at the limit they are accepted. */
static void
test_lengths (Fixture *f, gconstpointer data)
{
  g_autofree char *huge = g_strnfill (60000, 'x');
  g_autofree char *long_path_id = g_strnfill (2000, 'v');
  g_autofree char *id_65 = g_strnfill (RC_ID_MAX + 1, 'v');
  g_autofree char *id_64 = g_strnfill (RC_ID_MAX, 'v');
  g_autofree char *text_1025 = g_strnfill (RC_TEXT_MAX + 1, 't');
  g_autofree char *text_1024 = g_strnfill (RC_TEXT_MAX, 't');
  g_autofree char *body = NULL, *path = NULL;

  /* the session id, the meeting, the title (short form); the chamber's id is the name
   * of a data file (test-feed-control.c) */
  body = g_strdup_printf ("{\"session\":{\"id\":\"%s\",\"date\":\"2022-03-02\"},"
                          "\"chamber\":\"UNGA\"}",
                          huge);
  refused (f, 400, "bad-message", "field \"session.id\" is longer than 64 bytes (60000)",
           "/v1/session", body);
  g_free (body);
  body = g_strdup_printf ("{\"session\":{\"id\":\"%s\",\"date\":\"2022-03-02\"},"
                          "\"chamber\":\"UNGA\"}",
                          id_65);
  refused (f, 400, "bad-message", "field \"session.id\" is longer than 64 bytes", "/v1/session",
           body);
  g_free (body);
  body = g_strdup_printf ("{\"session\":{\"id\":\"" GA "\",\"date\":\"2022-03-02\","
                          "\"meeting\":\"%s\"},\"chamber\":\"UNGA\"}",
                          text_1025);
  refused (f, 400, "bad-message", "field \"session.meeting\" is longer than 1024 bytes",
           "/v1/session", body);
  g_free (body);
  body = g_strdup_printf ("{\"session\":{\"id\":\"" GA "\",\"date\":\"2022-03-02\","
                          "\"title\":\"%s\"},\"chamber\":\"UNGA\"}",
                          text_1025);
  refused (f, 400, "bad-message", "field \"session.title\" is longer than 1024 bytes",
           "/v1/session", body);
  g_free (body);
  body = g_strdup_printf ("{\"session\":{\"id\":\"" GA "\",\"date\":\"2022-03-02\"},"
                          "\"chamber\":\"%s\"}",
                          huge);
  refused (f, 400, "bad-message", "field \"chamber\" is longer than 64 bytes (60000)",
           "/v1/session", body);
  g_free (body);
  body = g_strdup_printf ("{\"session\":{\"id\":\"" GA "\",\"date\":\"2022-03-02\"},"
                          "\"chamber\":\"%s\"}",
                          id_65);
  refused (f, 400, "bad-message", "field \"chamber\" is longer than 64 bytes", "/v1/session",
           body);
  g_free (body);
  /* at the limits: a 64-byte id (the live stream's id) and a 1,024-byte title */
  body = g_strdup_printf ("{\"session\":{\"id\":\"%s\",\"date\":\"2022-03-02\","
                          "\"title\":\"%s\"},\"chamber\":\"UNGA\"}",
                          id_64, text_1024);
  post (f, "/v1/session", body);
  g_assert_cmpstr (rc_feed_hub_get_stream (f->feed->hub), ==, id_64);

  /* a vote's id, in the body and in the path, and its texts */
  g_free (body);
  body = g_strdup_printf ("{\"vote\":\"%s\",\"majority\":\"simple\",\"recorded\":true,"
                          "\"reveal\":\"live\"}",
                          id_65);
  refused (f, 400, "bad-message", "field \"vote\" is longer than 64 bytes", "/v1/votes", body);
  for (guint i = 0; i < 3; i++)
    {
      const char *name = (const char *[]){ "symbol", "draft", "title" }[i];
      g_autofree char *reason = g_strdup_printf ("field \"%s\" is longer than 1024 bytes", name);

      g_free (body);
      body = g_strdup_printf ("{\"vote\":\"v1\",\"%s\":\"%s\",\"majority\":\"simple\","
                              "\"recorded\":true,\"reveal\":\"live\"}",
                              name, text_1025);
      refused (f, 400, "bad-message", reason, "/v1/votes", body);
    }
  g_free (path);
  path = g_strdup_printf ("/v1/votes/%s/open", id_65);
  refused (f, 400, "bad-message", "field \"vote\" is longer than 64 bytes", path, "{}");
  g_free (path);
  path = g_strdup_printf ("/v1/votes/%s/open", long_path_id);
  refused (f, 400, "bad-message", "field \"vote\" is longer than 64 bytes", path, "{}");
  g_free (body);
  body = g_strdup_printf ("{\"vote\":\"%s\",\"title\":\"%s\",\"majority\":\"simple\","
                          "\"recorded\":true,\"reveal\":\"live\"}",
                          id_64, text_1024);
  post (f, "/v1/votes", body);
  g_free (path);
  path = g_strdup_printf ("/v1/votes/%s/open", id_64);
  post (f, path, "{}");

  /* a member's code in a ballot, a lock and a correction; a note */
  g_free (path);
  path = g_strdup_printf ("/v1/votes/%s/ballots", id_64);
  g_free (body);
  body = g_strdup_printf ("{\"member\":\"%s\",\"choice\":\"yes\"}", id_65);
  refused (f, 400, "bad-message", "field \"member\" is longer than 64 bytes", path, body);
  g_free (path);
  path = g_strdup_printf ("/v1/votes/%s/lock", id_64);
  g_free (body);
  body = g_strdup_printf ("{\"ballots\":[{\"member\":\"%s\",\"choice\":\"yes\"}]}", id_65);
  refused (f, 400, "bad-message", "field \"ballots[0].member\" is longer than 64 bytes", path,
           body);
  g_free (path);
  path = g_strdup_printf ("/v1/votes/%s/cancel", id_64);
  g_free (body);
  body = g_strdup_printf ("{\"note\":\"%s\"}", text_1025);
  refused (f, 400, "bad-message", "field \"note\" is longer than 1024 bytes", path, body);
  g_free (path);
  path = g_strdup_printf ("/v1/votes/%s/correct", id_64);
  g_free (body);
  body = g_strdup_printf ("{\"member\":\"%s\",\"choice\":\"yes\",\"note\":null}", id_65);
  refused (f, 400, "bad-message", "field \"member\" is longer than 64 bytes", path, body);
  /* and on air */
  g_free (body);
  body = g_strdup_printf ("{\"show\":\"vote\",\"vote\":\"%s\"}", id_65);
  refused (f, 400, "bad-message", "field \"vote\" is longer than 64 bytes", "/v1/on-air", body);
}

/* The long form of a session's body, in three parts. */
#define LONG_SESSION "{\"session\":{\"id\":\"s-1\",\"date\":\"2022-03-02\"},"
#define LONG_CHAMBER                                                                          \
  "\"chamber\":{\"id\":\"%s\",\"name\":\"%s\",\"body\":null,"                                 \
  "\"rules\":{\"majority\":\"simple\",\"council_affirmative\":0,\"concurrent_votes\":false}," \
  "\"palette\":{\"background\":\"#0b0d12\",\"text\":\"#f2f4f8\",\"dim-text\":\"#9aa3b2\","    \
  "\"cell\":\"#171b24\",\"yes\":\"#2fd15a\",\"no\":\"#ff3b30\",\"abstain\":\"#ffc400\","      \
  "\"not-voting\":\"#3a4150\",\"pending\":\"#262c38\",\"hidden\":\"#7fb2ff\","                \
  "\"adopted\":\"#2fd15a\",\"not-adopted\":\"#ff3b30\"}},"
#define LONG_ROSTER                                                                    \
  "\"roster\":[{\"code\":\"%s\",\"name\":\"%s\",\"label\":\"%s\",\"sort_key\":\"%s\"," \
  "\"veto\":false}]}"

/* The long form of POST /v1/session: the chamber's id and texts, a member's code, name
 * and label. */
static void
test_lengths_roster (Fixture *f, gconstpointer data)
{
  g_autofree char *id_65 = g_strnfill (RC_ID_MAX + 1, 'C');
  g_autofree char *text_1025 = g_strnfill (RC_TEXT_MAX + 1, 't');
  const struct {
    const char *chamber_id, *chamber_name, *code, *name, *label, *sort_key, *reason;
  } cases[] = {
    { id_65, "C", "AAA", "A", "A", "a", "field \"chamber.id\" is longer than 64 bytes" },
    { "C", text_1025, "AAA", "A", "A", "a", "field \"chamber.name\" is longer than 1024 bytes" },
    { "C", "C", id_65, "A", "A", "a", "field \"roster[0].code\" is longer than 64 bytes" },
    { "C", "C", "AAA", text_1025, "A", "a", "field \"roster[0].name\" is longer than 1024" },
    { "C", "C", "AAA", "A", text_1025, "a", "field \"roster[0].label\" is longer than 1024" },
    { "C", "C", "AAA", "A", "A", text_1025, "field \"roster[0].sort_key\" is longer than 1024" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *c
        = g_strdup_printf (LONG_CHAMBER, cases[i].chamber_id, cases[i].chamber_name);
      g_autofree char *r = g_strdup_printf (LONG_ROSTER, cases[i].code, cases[i].name,
                                            cases[i].label, cases[i].sort_key);
      g_autofree char *body = g_strconcat (LONG_SESSION, c, r, NULL);

      refused (f, 400, "bad-message", cases[i].reason, "/v1/session", body);
    }
}

/* ---------------------------------------------------------------- statuses */

/* What the session's state does not allow is a 409 lifecycle (§7: "the body (400),
 * then the state machine — … what its state allows (409)"), even when the body alone
 * is well formed: a council majority in a chamber without one, official totals above
 * the roster, and the others that depend on the vote or the chamber. */
static void
test_state_statuses (Fixture *f, gconstpointer data)
{
  open_vote (f);
  refused (f, 409, "lifecycle", "has no council majority", "/v1/votes",
           VOTE ("es-11-2", "council"));
  refused (f, 409, "lifecycle", "has no procedural majority", "/v1/votes",
           VOTE ("es-11-2", "procedural"));
  /* the rule "unknown" and a stated outcome are imported records', never a live vote's */
  refused (f, 400, "bad-message", "a live vote states its rule", "/v1/votes",
           VOTE ("es-11-2", "unknown"));
  post (f, "/v1/votes",
        "{\"vote\":\"secret\",\"majority\":\"simple\",\"recorded\":false,\"reveal\":\"live\"}");
  post (f, "/v1/votes/es-11-1/ballots", "{\"member\":\"AFG\",\"choice\":\"yes\"}");
  post (f, "/v1/votes/es-11-1/lock", "{}");
  refused (f, 400, "bad-message", "computed from its ballots, never stated",
           "/v1/votes/es-11-1/announce", "{\"official\":null,\"outcome\":\"adopted\"}");
  refused (f, 409, "lifecycle", "add up to more than the 193 members", "/v1/votes/es-11-1/announce",
           "{\"official\":{\"yes\":190,\"no\":5,\"abstain\":0,\"not_voting\":0}}");
  post (f, "/v1/votes/es-11-1/announce",
        "{\"official\":{\"yes\":1,\"no\":0,\"abstain\":0,\"not_voting\":192}}");

  /* a vote that is not recorded: no choice published, totals required, nothing to
   * correct */
  post (f, "/v1/votes/secret/open", "{}");
  refused (f, 409, "lifecycle", "not recorded", "/v1/votes/secret/ballots",
           "{\"member\":\"AFG\",\"choice\":\"yes\"}");
  refused (f, 409, "lifecycle", "not recorded", "/v1/votes/secret/lock",
           "{\"ballots\":[{\"member\":\"AFG\",\"choice\":\"yes\"}]}");
  post (f, "/v1/votes/secret/lock", "{}");
  refused (f, 409, "lifecycle", "its totals must be announced", "/v1/votes/secret/announce", "{}");
  post (f, "/v1/votes/secret/announce",
        "{\"official\":{\"yes\":100,\"no\":0,\"abstain\":0,\"not_voting\":93}}");
  refused (f, 409, "lifecycle", "not recorded", "/v1/votes/secret/correct",
           "{\"member\":\"AFG\",\"choice\":\"no\",\"note\":null}");

  /* what the request says by itself stays a 400 */
  refused (f, 400, "bad-message", "a correction records yes, no, abstain or not-voting",
           "/v1/votes/es-11-1/correct",
           "{\"member\":\"AFG\",\"choice\":\"pending\",\"note\":null}");
}

/* A recorded vote locked with a choice still hidden: 409; the same lock listing a
 * member twice: 400. */
static void
test_lock_statuses (Fixture *f, gconstpointer data)
{
  post (f, "/v1/session", GA_SESSION (GA));
  post (f, "/v1/votes",
        "{\"vote\":\"v1\",\"majority\":\"simple\",\"recorded\":true,\"reveal\":\"after-lock\"}");
  post (f, "/v1/votes/v1/open", "{}");
  post (f, "/v1/votes/v1/ballots", "{\"member\":\"AFG\",\"choice\":\"voted\"}");
  refused (f, 409, "lifecycle", "still hidden", "/v1/votes/v1/lock", "{}");
  refused (f, 400, "bad-message", "listed twice", "/v1/votes/v1/lock",
           "{\"ballots\":[{\"member\":\"AFG\",\"choice\":\"yes\"},"
           "{\"member\":\"AFG\",\"choice\":\"no\"}]}");
  post (f, "/v1/votes/v1/lock", "{\"ballots\":[{\"member\":\"AFG\",\"choice\":\"yes\"}]}");
}

int
main (int argc, char *argv[])
{
  rc_test_feed_init (&argc, &argv);
  control_log = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (log_writer, NULL, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/control-input/strict-json", test_strict_json);
  ADD ("/control-input/every-character", test_every_character);
  ADD ("/control-input/lengths", test_lengths);
  ADD ("/control-input/timezone", test_timezone);
  ADD ("/control-input/lengths-roster", test_lengths_roster);
  ADD ("/control-input/state-statuses", test_state_statuses);
  ADD ("/control-input/lock-statuses", test_lock_statuses);
  return g_test_run ();
}
