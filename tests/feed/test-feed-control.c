/* test-feed-control.c — the control API (docs/feed-protocol.md §7) over loopback: a real
 * server journalling into a real archive, driven by a real SoupSession as a clerk's
 * console would, and watched by a real WebSocket client as a board would.
 *
 * A whole vote is driven by HTTP alone; then every refusal is sent and must come back
 * with its status, a one-line JSON error and one log line, and leave the hub's state,
 * the journal and the published stream exactly as they were. */
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "codec/rc-codec.h"
#include "feed/rc-feed-control.h"
#include "model/rc-csv.h"
#include "model/rc-error.h"
#include "model/rc-replay.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-program.h"
#include "rc-feed-test-util.h"

#define TOKEN "c0ntrol-t0ken-for-tests-0123456789abcdef"
#define BEARER "Bearer " TOKEN
#define GA "ga-es11-2022-03-02"
#define GA_SESSION                                                                        \
  "{\"session\":{\"id\":\"" GA "\",\"meeting\":\"A/ES-11/PV.5\",\"date\":\"2022-03-02\"," \
  "\"title\":\"Eleventh emergency special session\",\"timezone\":\"America/New_York\"}," \
  "\"chamber\":\"UNGA\"}"
#define VOTE(id)                                                                            \
  "{\"vote\":\"" id "\",\"symbol\":\"A/RES/ES-11/1\",\"draft\":\"A/ES-11/L.1\","            \
  "\"title\":\"Aggression against Ukraine\",\"majority\":\"two-thirds\",\"recorded\":true," \
  "\"reveal\":\"live\"}"

/* ---------------------------------------------------------------- the log */

/* The control API's log lines ("control: …"), as the server wrote them, and the
 * server's own refusals of what a request's head or size says ("feed: …"). */
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

        if (g_str_has_prefix (message, "control: ")
            || (g_str_has_prefix (message, "feed: ") && strstr (message, " refused ") != NULL))
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
  RcTestClient *watcher; /* a board, subscribed from the start */
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
  f->watcher = rc_test_client_connect (f->feed->url, RC_TEST_WS, NULL);
  g_ptr_array_set_size (control_log, 0);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->watcher, rc_test_client_free);
  g_clear_object (&f->http);
  g_clear_pointer (&f->feed, rc_test_feed_free);
  g_clear_object (&f->journal);
  rc_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* ---------------------------------------------------------------- requests */

/* One request as a clerk's console sends it; returns the status, the reply in *reply.
 * auth: the whole Authorization header, or NULL; body: NULL for none; length -1 for
 * a NUL-terminated body; chunked: send it without a Content-Length. */
static guint
send_request (Fixture *f, const char *method, const char *path, const char *auth,
              const char *content_type, const char *body, gssize length, gboolean chunked,
              char **reply)
{
  g_autofree char *url = g_strconcat (f->feed->url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      gsize n = length < 0 ? strlen (body) : (gsize) length;
      g_autoptr (GBytes) bytes = g_bytes_new (body, n);

      if (chunked)
        {
          g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);

          soup_message_set_request_body (msg, content_type, stream, -1);
        }
      else
        soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  return rc_test_send (f->http, msg, reply);
}

/* A write that must be accepted: 201 and the event as published, which must be the
 * hub's next and carry its stream. */
static RcMessage *
post_ok (Fixture *f, const char *path, const char *body)
{
  g_autofree char *reply = NULL;
  g_autoptr (GError) error = NULL;
  gint64 before = rc_feed_hub_get_last_seq (f->feed->hub);
  guint status
    = send_request (f, "POST", path, BEARER, "application/json", body, -1, FALSE, &reply);
  RcMessage *message;

  if (status != SOUP_STATUS_CREATED)
    g_error ("POST %s %s: %u %s", path, body, status, reply);
  message = rc_codec_decode_message (reply, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (message->kind, ==, RC_MESSAGE_EVENT);
  g_assert_cmpstr (message->stream, ==, rc_feed_hub_get_stream (f->feed->hub));
  g_assert_cmpint (message->event->seq, ==, rc_feed_hub_get_last_seq (f->feed->hub));
  /* before + 1, except where a first session started the stream anew */
  g_assert_true (message->event->seq == before + 1 || message->event->seq == 1);
  g_assert_null (strchr (reply, '\n'));
  return message;
}

static void
post (Fixture *f, const char *path, const char *body)
{
  g_autoptr (RcMessage) message = post_ok (f, path, body);
}

/* Everything a refusal must leave as it was. */
typedef struct {
  char *stream;
  gint64 last_seq;
  char *state;
  char *journal;
} Before;

static void
before_take (Fixture *f, Before *b)
{
  b->stream = g_strdup (rc_feed_hub_get_stream (f->feed->hub));
  b->last_seq = rc_feed_hub_get_last_seq (f->feed->hub);
  b->state = rc_test_session_dump (rc_feed_hub_get_session (f->feed->hub));
  b->journal = rc_test_journal_dump (f->path);
}

static void
before_assert_same (Fixture *f, Before *b)
{
  g_autofree char *state = rc_test_session_dump (rc_feed_hub_get_session (f->feed->hub));
  g_autofree char *journal = rc_test_journal_dump (f->path);

  g_assert_cmpstr (rc_feed_hub_get_stream (f->feed->hub), ==, b->stream);
  g_assert_cmpint (rc_feed_hub_get_last_seq (f->feed->hub), ==, b->last_seq);
  g_assert_cmpstr (state, ==, b->state);
  g_assert_cmpstr (journal, ==, b->journal);
  g_free (b->stream);
  g_free (b->state);
  g_free (b->journal);
}

/* The reply of a refusal: one line, {"v":1,"error":{"code":CODE,"message":…}}. */
static void
assert_error_reply (const char *reply, const char *code, const char *reason)
{
  g_autofree char *message = NULL;
  g_autofree char *got = rc_test_error_reply (reply, strlen (reply), &message);

  g_assert_cmpstr (got, ==, code);
  if (reason != NULL && strstr (message, reason) == NULL)
    g_error ("expected \"%s\" in the refusal, got: %s", reason, reply);
}

/* Sends a request that must be refused with status and code (and reason somewhere in
 * its message), logged in one line, changing nothing. */
static void
refused_full (Fixture *f, guint status, const char *code, const char *reason, const char *method,
              const char *path, const char *auth, const char *content_type, const char *body,
              gssize length, gboolean chunked)
{
  g_autofree char *reply = NULL;
  g_autofree char *expected_log = g_strdup_printf ("%u %s", status, code);
  guint logged = control_log->len;
  Before before;
  guint got;

  before_take (f, &before);
  got = send_request (f, method, path, auth, content_type, body, length, chunked, &reply);
  if (got != status)
    g_error ("%s %s: expected %u, got %u %s", method, path, status, got, reply);
  assert_error_reply (reply, code, reason);
  before_assert_same (f, &before);

  g_assert_cmpuint (control_log->len, ==, logged + 1);
  g_assert_null (strchr (g_ptr_array_index (control_log, logged), '\n'));
  if (strstr (g_ptr_array_index (control_log, logged), expected_log) == NULL)
    g_error ("log line without \"%s\": %s", expected_log,
             (char *) g_ptr_array_index (control_log, logged));
}

static void
refused (Fixture *f, guint status, const char *code, const char *reason, const char *path,
         const char *body)
{
  refused_full (f, status, code, reason, "POST", path, BEARER, "application/json", body, -1, FALSE);
}

/* The board that watched everything has exactly the hub's state, and nothing more:
 * a refusal that had been published anyway would show here. */
static void
assert_watcher_converged (Fixture *f)
{
  g_autofree char *hub_state = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *id = rc_event_id_format (rc_feed_hub_get_stream (f->feed->hub),
                                            rc_feed_hub_get_last_seq (f->feed->hub));

  RC_TEST_WAIT_FOR (g_strcmp0 (rc_test_client_get_last_event_id (f->watcher), id) == 0);
  hub_state = rc_test_session_dump (rc_feed_hub_get_session (f->feed->hub));
  seen = rc_test_session_dump (rc_test_client_get_session (f->watcher));
  g_assert_cmpstr (seen, ==, hub_state);
}

static RcVote *
hub_vote (Fixture *f, const char *id)
{
  RcVote *vote = rc_session_find_vote (rc_feed_hub_get_session (f->feed->hub), id);

  g_assert_nonnull (vote);
  return vote;
}

/* ---------------------------------------------------------------- tests */

static char *
ballot_body (const char *member, const char *choice)
{
  return g_strdup_printf ("{\"member\":\"%s\",\"choice\":\"%s\"}", member, choice);
}

/* A whole vote of the General Assembly driven over HTTP alone: A/RES/ES-11/1 with the
 * recorded ballots of 2 March 2022, ending at 141-5-35 with 12 not voting. */
static void
test_whole_vote (Fixture *f, gconstpointer data)
{
  g_autofree char *csv_path = g_build_filename (g_getenv ("ROLLCALL_SOURCE_ROOT"), "data", "demo",
                                                "a-res-es-11-1.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcCsv) csv = rc_csv_load (csv_path, &error);
  g_autoptr (RcMessage) session = NULL;
  g_autoptr (RcArchive) reopened = NULL;
  g_autoptr (GPtrArray) journal = NULL;
  g_autoptr (RcSession) folded = NULL;
  g_autofree char *folded_state = NULL, *hub_state = NULL;
  const RcTally *tally;
  RcVote *vote;
  int code_col, vote_col;

  g_assert_no_error (error);
  code_col = rc_csv_column (csv, "iso3");
  vote_col = rc_csv_column (csv, "vote");

  /* The chamber and its roster of the day come from the server's data files. */
  session = post_ok (f, "/v1/session", GA_SESSION);
  g_assert_cmpint (session->event->type, ==, RC_EVENT_SESSION);
  g_assert_cmpint (session->event->seq, ==, 1);
  g_assert_cmpstr (session->stream, ==, GA);
  /* left out of the request: a session driven live is recorded, not synthesized */
  g_assert_false (session->event->session->synthesized);
  g_assert_cmpstr (session->event->chamber->id, ==, "UNGA");
  g_assert_cmpuint (rc_roster_get_size (session->event->roster), ==, 193);
  /* A live stream is its session's id (docs/feed-protocol.md §2). */
  g_assert_cmpstr (rc_feed_hub_get_stream (f->feed->hub), ==, GA);

  post (f, "/v1/votes", VOTE ("es-11-1"));
  post (f, "/v1/on-air", "{\"show\":\"vote\",\"vote\":\"es-11-1\"}");
  post (f, "/v1/votes/es-11-1/open", "{}");
  post (f, "/v1/votes/es-11-1/ballots", "{\"member\":\"VEN\",\"choice\":\"no-right\"}");
  /* A delegation changes its mind while the machine is open. */
  post (f, "/v1/votes/es-11-1/ballots", "{\"member\":\"AFG\",\"choice\":\"no\"}");
  for (guint i = 0; i < csv->rows->len; i++)
    {
      char **row = g_ptr_array_index (csv->rows, i);
      const char *choice = g_str_equal (row[vote_col], "Y")   ? "yes"
                           : g_str_equal (row[vote_col], "N") ? "no"
                           : g_str_equal (row[vote_col], "A") ? "abstain"
                                                              : NULL;
      g_autofree char *body = NULL;

      if (choice == NULL)
        continue; /* did not vote: the lock says so */
      body = ballot_body (row[code_col], choice);
      post (f, "/v1/votes/es-11-1/ballots", body);
    }
  post (f, "/v1/votes/es-11-1/lock", "{}");
  post (f, "/v1/votes/es-11-1/announce",
        "{\"official\":{\"yes\":141,\"no\":5,\"abstain\":35,\"not_voting\":12,\"no_right\":1}}");

  vote = hub_vote (f, "es-11-1");
  tally = rc_vote_get_tally (vote);
  g_assert_cmpint (rc_vote_get_state (vote), ==, RC_VOTE_ANNOUNCED);
  g_assert_cmpuint (tally->yes, ==, 141);
  g_assert_cmpuint (tally->no, ==, 5);
  g_assert_cmpuint (tally->abstain, ==, 35);
  g_assert_cmpuint (tally->not_voting, ==, 12);
  g_assert_false (rc_vote_has_mismatch (vote));
  g_assert_cmpint (rc_vote_get_verdict (vote)->outcome, ==, RC_OUTCOME_ADOPTED);

  post (f, "/v1/votes/es-11-1/correct",
        "{\"member\":\"ALB\",\"choice\":\"abstain\",\"note\":\"had intended to abstain\"}");
  tally = rc_vote_get_tally (vote);
  g_assert_cmpuint (tally->yes, ==, 140);
  g_assert_cmpuint (tally->abstain, ==, 36);
  g_assert_true (rc_vote_is_corrected (vote));
  g_assert_cmpstr (rc_vote_get_note (vote), ==, "had intended to abstain");
  post (f, "/v1/on-air", "{\"show\":\"blank\"}");
  g_assert_cmpint (rc_session_get_on_air (rc_feed_hub_get_session (f->feed->hub)), ==,
                   RC_ON_AIR_BLANK);

  /* The board saw all of it... */
  assert_watcher_converged (f);
  /* ...and the journal holds all of it: folded again, it is the same state. */
  reopened = rc_archive_open (f->path, RC_ARCHIVE_READ_ONLY, &error);
  g_assert_no_error (error);
  journal = rc_archive_load_events (reopened, GA, &error);
  g_assert_no_error (error);
  g_assert_cmpint (journal->len, ==, rc_feed_hub_get_last_seq (f->feed->hub));
  folded = rc_session_new ();
  g_assert_cmpuint (rc_session_fold (folded, journal, G_MAXINT64, &error), ==, journal->len);
  g_assert_no_error (error);
  folded_state = rc_test_session_dump (folded);
  hub_state = rc_test_session_dump (rc_feed_hub_get_session (f->feed->hub));
  g_assert_cmpstr (folded_state, ==, hub_state);
  g_assert_cmpuint (control_log->len, ==, 0);
}

/* Every refusal of a live server in the middle of a vote. */
static void
test_refusals (Fixture *f, gconstpointer data)
{
  g_autofree char *big = NULL, *exact = NULL;
  gsize pad;

  post (f, "/v1/session", GA_SESSION);
  post (f, "/v1/votes", VOTE ("es-11-1"));
  post (f, "/v1/votes", VOTE ("es-11-2"));
  post (f, "/v1/votes/es-11-1/open", "{}");
  post (f, "/v1/votes/es-11-1/ballots", "{\"member\":\"AFG\",\"choice\":\"yes\"}");

  /* The token. */
  refused_full (f, 401, "unauthorized", "no token", "POST", "/v1/votes/es-11-1/ballots", NULL,
                "application/json", "{\"member\":\"ALB\",\"choice\":\"yes\"}", -1, FALSE);
  refused_full (f, 401, "unauthorized", "wrong token", "POST", "/v1/votes/es-11-1/ballots",
                "Bearer " TOKEN "x", "application/json", "{\"member\":\"ALB\",\"choice\":\"yes\"}",
                -1, FALSE);
  refused_full (f, 401, "unauthorized", NULL, "POST", "/v1/votes/es-11-1/ballots",
                "Bearer c0ntrol-t0ken-for-test", "application/json",
                "{\"member\":\"ALB\",\"choice\":\"yes\"}", -1, FALSE);
  refused_full (f, 401, "unauthorized", NULL, "POST", "/v1/votes/es-11-1/ballots", "Basic " TOKEN,
                "application/json", "{\"member\":\"ALB\",\"choice\":\"yes\"}", -1, FALSE);

  /* The body. */
  refused (f, 400, "bad-message", "not JSON", "/v1/votes/es-11-1/ballots", "{\"member\":");
  refused (f, 400, "bad-message", "not a JSON object", "/v1/votes/es-11-1/ballots", "[1,2]");
  refused (f, 400, "bad-message", "empty", "/v1/votes/es-11-1/ballots", "");
  refused (f, 400, "bad-message", "UTF-8", "/v1/votes/es-11-1/ballots",
           "{\"member\":\"AL\xff\",\"choice\":\"yes\"}");
  refused (f, 400, "bad-message", "twice", "/v1/votes/es-11-1/ballots",
           "{\"member\":\"ALB\",\"choice\":\"yes\",\"choice\":\"no\"}");
  refused (f, 400, "bad-message", "U+0000", "/v1/votes/es-11-1/ballots",
           "{\"member\":\"ALB\\u0000\",\"choice\":\"yes\"}");
  refused (f, 400, "bad-message", "\"maybe\"", "/v1/votes/es-11-1/ballots",
           "{\"member\":\"ALB\",\"choice\":\"maybe\"}");
  refused (f, 400, "bad-message", "\"member\"", "/v1/votes/es-11-1/ballots",
           "{\"choice\":\"yes\"}");
  refused (f, 400, "bad-message", "\"choice\"", "/v1/votes/es-11-1/ballots",
           "{\"member\":\"ALB\",\"choice\":1}");
  refused (f, 400, "bad-message", "\"majority\"", "/v1/votes",
           "{\"vote\":\"v9\",\"majority\":\"most\",\"recorded\":true,\"reveal\":\"live\"}");
  refused_full (f, 415, "media-type", NULL, "POST", "/v1/votes/es-11-1/ballots", BEARER,
                "text/plain", "{\"member\":\"ALB\",\"choice\":\"yes\"}", -1, FALSE);
  refused_full (f, 415, "media-type", NULL, "POST", "/v1/votes/es-11-1/ballots", BEARER, NULL,
                "{\"member\":\"ALB\",\"choice\":\"yes\"}", -1, FALSE);

  /* 64 KiB is the limit: a body of exactly that is read, one byte more is not. The
   * padding is a member the decoder ignores (docs/events.md). */
  pad = 64 * 1024 - strlen ("{\"member\":\"ALB\",\"choice\":\"yes\",\"pad\":\"\"}");
  exact
    = g_strdup_printf ("{\"member\":\"ALB\",\"choice\":\"yes\",\"pad\":\"%0*d\"}", (int) pad, 0);
  big = g_strdup_printf ("{\"member\":\"ALB\",\"choice\":\"yes\",\"pad\":\"%0*d\"}", (int) pad + 1,
                         0);
  g_assert_cmpuint (strlen (exact), ==, 64 * 1024);
  refused (f, 413, "too-large", NULL, "/v1/votes/es-11-1/ballots", big);
  /* Without a Content-Length the body is counted as it arrives. */
  refused_full (f, 413, "too-large", NULL, "POST", "/v1/votes/es-11-1/ballots", BEARER,
                "application/json", big, -1, TRUE);

  /* The paths. */
  refused (f, 404, "not-found", NULL, "/v1/votes/es-11-1/explode", "{}");
  refused (f, 404, "not-found", NULL, "/v1/votes/es-11-1", "{}");
  refused (f, 404, "not-found", "no vote 'es-99'", "/v1/votes/es-99/ballots",
           "{\"member\":\"ALB\",\"choice\":\"yes\"}");
  refused_full (f, 405, "method", NULL, "GET", "/v1/votes", BEARER, NULL, NULL, 0, FALSE);
  refused_full (f, 405, "method", NULL, "PUT", "/v1/on-air", BEARER, "application/json",
                "{\"show\":\"blank\"}", -1, FALSE);

  /* The state machine. */
  refused (f, 422, "unknown-member", "ZZZ", "/v1/votes/es-11-1/ballots",
           "{\"member\":\"ZZZ\",\"choice\":\"yes\"}");
  refused (f, 409, "lifecycle", "still open", "/v1/votes/es-11-2/open", "{}");
  refused (f, 409, "lifecycle", "exists already", "/v1/votes", VOTE ("es-11-1"));
  refused (f, 404, "not-found", "es-99", "/v1/on-air", "{\"show\":\"vote\",\"vote\":\"es-99\"}");
  refused (f, 409, "sequence", "sc-2022-02-25", "/v1/session",
           "{\"session\":{\"id\":\"sc-2022-02-25\",\"date\":\"2022-02-25\",\"synthesized\":false},"
           "\"chamber\":\"UNSC\"}");

  /* After the lock, and then a valid write: the board has exactly the hub's state. */
  post (f, "/v1/votes/es-11-1/ballots", "{\"member\":\"ALB\",\"choice\":\"yes\"}");
  post (f, "/v1/votes/es-11-1/lock", "{}");
  refused (f, 409, "lifecycle", "locked", "/v1/votes/es-11-1/ballots",
           "{\"member\":\"DZA\",\"choice\":\"abstain\"}");
  refused (f, 409, "lifecycle", NULL, "/v1/votes/es-11-1/correct",
           "{\"member\":\"DZA\",\"choice\":\"abstain\",\"note\":null}");
  /* Exactly 64 KiB is accepted (and the body's "pad" ignored). */
  post (f, "/v1/votes/es-11-2/open", "{}");
  {
    g_autofree char *body
      = g_strdup_printf ("{\"member\":\"DZA\",\"choice\":\"yes\",\"pad\":\"%0*d\"}", (int) pad, 0);

    g_assert_cmpuint (strlen (body), ==, 64 * 1024);
    post (f, "/v1/votes/es-11-2/ballots", body);
  }
  assert_watcher_converged (f);
  /* nine writes were accepted, and only they were numbered */
  g_assert_cmpint (rc_feed_hub_get_last_seq (f->feed->hub), ==, 9);
}

/* A chunked body within the limit is read whole. */
static void
test_chunked (Fixture *f, gconstpointer data)
{
  g_autofree char *reply = NULL;
  const char *body = GA_SESSION;

  g_assert_cmpuint (
    send_request (f, "POST", "/v1/session", BEARER, "application/json", body, -1, TRUE, &reply), ==,
    SOUP_STATUS_CREATED);
  g_assert_cmpint (rc_feed_hub_get_last_seq (f->feed->hub), ==, 1);
}

/* A live server before its session: only a session can come first, and it must name
 * a chamber the server has, on a day it had members. */
static void
test_waiting_for_session (Fixture *f, gconstpointer data)
{
  g_autoptr (RcMessage) session = NULL;
  g_autofree char *full = NULL, *encoded = NULL;
  g_autoptr (RcEvent) template = NULL;
  g_autoptr (GPtrArray) events = rc_test_vote_events ("t-1", 3);
  g_autofree char *id = NULL;

  g_assert_cmpstr (rc_feed_hub_get_stream (f->feed->hub), ==, RC_TEST_STREAM);
  refused (f, 409, "lifecycle", "before the session", "/v1/on-air", "{\"show\":\"holding\"}");
  refused (f, 409, "lifecycle", "before the session", "/v1/votes", VOTE ("v1"));
  refused (f, 400, "bad-message", "no chamber \"XYZ\"", "/v1/session",
           "{\"session\":{\"id\":\"s\",\"date\":\"2022-03-02\"},"
           "\"chamber\":\"XYZ\"}");
  refused (f, 400, "bad-message", "no chamber", "/v1/session",
           "{\"session\":{\"id\":\"s\",\"date\":\"2022-03-02\",\"synthesized\":false},"
           "\"chamber\":\"../chambers/unga\"}");
  refused (f, 400, "bad-message", "2022-02-30", "/v1/session",
           "{\"session\":{\"id\":\"s\",\"date\":\"2022-02-30\",\"synthesized\":false},"
           "\"chamber\":\"UNGA\"}");
  refused (f, 400, "bad-message", "no members", "/v1/session",
           "{\"session\":{\"id\":\"s\",\"date\":\"1900-01-01\",\"synthesized\":false},"
           "\"chamber\":\"UNGA\"}");
  refused (f, 400, "bad-message", "':'", "/v1/session",
           "{\"session\":{\"id\":\"a:b\",\"date\":\"2022-03-02\",\"synthesized\":false},"
           "\"chamber\":\"UNGA\"}");
  refused (f, 400, "bad-message", "chamber.rules", "/v1/session",
           "{\"session\":{\"id\":\"s\",\"date\":\"2022-03-02\",\"synthesized\":false},"
           "\"chamber\":{\"id\":\"X\"}}");

  /* The long form: the session event's own members, chamber and roster included. */
  template = rc_event_ref (g_ptr_array_index (events, 0));
  encoded = rc_codec_encode (template);
  session = post_ok (f, "/v1/session", encoded);
  g_assert_cmpstr (session->stream, ==, "t-1");
  g_assert_cmpstr (rc_feed_hub_get_stream (f->feed->hub), ==, "t-1");
  g_assert_cmpuint (rc_roster_get_size (session->event->roster), ==, 3);
  /* The board that was waiting follows the session's stream. */
  id = rc_event_id_format ("t-1", 1);
  RC_TEST_WAIT_FOR (g_strcmp0 (rc_test_client_get_last_event_id (f->watcher), id) == 0);
  assert_watcher_converged (f);
}

/* A journal that cannot be written: 503, nothing published, nothing applied; and the
 * stream goes on with the same numbers once the journal is writable again. */
static void
test_journal_failure (Fixture *f, gconstpointer data)
{
  g_autoptr (RcMessage) after = NULL;

  post (f, "/v1/session", GA_SESSION);
  post (f, "/v1/votes", VOTE ("es-11-1"));
  post (f, "/v1/votes/es-11-1/open", "{}");
  rc_test_sql_exec (f->path, "CREATE TRIGGER full BEFORE INSERT ON journal"
                             " BEGIN SELECT RAISE (ABORT, 'disk full'); END");
  refused (f, 503, "archive", NULL, "/v1/votes/es-11-1/ballots",
           "{\"member\":\"AFG\",\"choice\":\"yes\"}");
  rc_test_sql_exec (f->path, "DROP TRIGGER full");
  after = post_ok (f, "/v1/votes/es-11-1/ballots", "{\"member\":\"AFG\",\"choice\":\"yes\"}");
  g_assert_cmpint (after->event->seq, ==, 4);
  assert_watcher_converged (f);
}

/* The first session cannot be journalled: the server is still waiting, as before. */
static void
on_hub_published (RcFeedHub *hub, gpointer event, guint *count)
{
  (*count)++;
}

static void
on_hub_restarted (RcFeedHub *hub, guint *count)
{
  (*count)++;
}

static void
test_journal_failure_first_session (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) sessions = NULL;
  guint heard = 0;
  gulong published, restarted;

  rc_test_sql_exec (f->path, "CREATE TRIGGER full BEFORE INSERT ON journal"
                             " BEGIN SELECT RAISE (ABORT, 'disk full'); END");
  /* Nothing goes out to the boards: no new stream, no event (the server sends what
   * the hub signals). */
  published = g_signal_connect (f->feed->hub, "published", G_CALLBACK (on_hub_published), &heard);
  restarted = g_signal_connect (f->feed->hub, "restarted", G_CALLBACK (on_hub_restarted), &heard);
  refused (f, 503, "archive", NULL, "/v1/session", GA_SESSION);
  g_assert_cmpuint (heard, ==, 0);
  g_assert_cmpstr (rc_feed_hub_get_stream (f->feed->hub), ==, RC_TEST_STREAM);
  g_signal_handler_disconnect (f->feed->hub, published);
  g_signal_handler_disconnect (f->feed->hub, restarted);
  sessions = rc_archive_list_sessions (f->journal, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 0);
  rc_test_sql_exec (f->path, "DROP TRIGGER full");
  post (f, "/v1/session", GA_SESSION);
  g_assert_cmpstr (rc_feed_hub_get_stream (f->feed->hub), ==, GA);
  assert_watcher_converged (f);
}

/* More than the limit of writes from one address: 429, whatever they were. */
static void
test_rate (Fixture *f, gconstpointer data)
{
  g_autofree char *reply = NULL;
  gint64 first;
  guint status;

  post (f, "/v1/session", GA_SESSION);
  post (f, "/v1/votes", VOTE ("es-11-1"));
  /* A window far longer than the test: reaching the limit does not race the clock. */
  rc_feed_control_set_rate_limit (f->feed->server, 3, 3600 * 1000);
  post (f, "/v1/on-air", "{\"show\":\"vote\",\"vote\":\"es-11-1\"}");
  refused_full (f, 401, "unauthorized", NULL, "POST", "/v1/on-air", "Bearer guess",
                "application/json", "{\"show\":\"blank\"}", -1, FALSE);
  post (f, "/v1/on-air", "{\"show\":\"holding\"}");
  refused (f, 429, "rate", NULL, "/v1/on-air", "{\"show\":\"blank\"}");
  refused_full (f, 429, "rate", NULL, "POST", "/v1/on-air", "Bearer guess", "application/json",
                "{\"show\":\"blank\"}", -1, FALSE);

  /* The allowance comes back with time, and not before: one write per 200 ms. */
  rc_feed_control_set_rate_limit (f->feed->server, 1, 200);
  first = g_get_monotonic_time ();
  post (f, "/v1/on-air", "{\"show\":\"blank\"}");
  while ((status = send_request (f, "POST", "/v1/on-air", BEARER, "application/json",
                                 "{\"show\":\"holding\"}", -1, FALSE, &reply))
         == 429)
    {
      g_clear_pointer (&reply, g_free);
      rc_test_wait_step (first + RC_TEST_TIMEOUT_MS * G_GINT64_CONSTANT (1000), "the allowance");
    }
  g_assert_cmpuint (status, ==, SOUP_STATUS_CREATED);
  g_assert_cmpint (g_get_monotonic_time () - first, >=, 200 * G_TIME_SPAN_MILLISECOND);
  assert_watcher_converged (f);
}

/* A replaying server takes on-air switches only, stamped with the replay's clock. */
static void
test_replay_mode (void)
{
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-replay", 4);
  g_autoptr (SoupSession) http = soup_session_new ();
  Fixture f = { .feed = feed, .http = http };
  g_autoptr (RcMessage) on_air = NULL;
  gint64 meeting = 0;

  g_assert_true (rc_codec_parse_time ("2022-03-02T16:36:00.000Z", &meeting));
  /* Times of the meeting, as a replay publishes them. */
  for (guint i = 0; i < events->len; i++)
    ((RcEvent *) g_ptr_array_index (events, i))->time = meeting + i * G_USEC_PER_SEC;
  rc_test_feed_publish (feed, events);
  rc_feed_control_attach (feed->server, TOKEN, RC_FEED_CONTROL_ON_AIR_ONLY);
  g_ptr_array_set_size (control_log, 0);

  /* With no journal, "unchanged" is the hub's state and the published stream. */
  {
    g_autofree char *state = rc_test_session_dump (rc_feed_hub_get_session (feed->hub));
    gint64 seq = rc_feed_hub_get_last_seq (feed->hub);
    const char *const paths[] = { "/v1/votes/v1/open", "/v1/votes/v1/ballots", "/v1/votes",
                                  "/v1/session", "/v1/votes/v1/cancel" };

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_autofree char *reply = NULL;
        g_autofree char *now = NULL;

        g_assert_cmpuint (send_request (&f, "POST", paths[i], BEARER, "application/json",
                                        "{\"member\":\"M001\",\"choice\":\"yes\"}", -1, FALSE,
                                        &reply),
                          ==, SOUP_STATUS_CONFLICT);
        assert_error_reply (reply, "lifecycle", "replays");
        now = rc_test_session_dump (rc_feed_hub_get_session (feed->hub));
        g_assert_cmpstr (now, ==, state);
        g_assert_cmpint (rc_feed_hub_get_last_seq (feed->hub), ==, seq);
        g_assert_cmpuint (control_log->len, ==, i + 1);
      }
  }

  on_air = post_ok (&f, "/v1/on-air", "{\"show\":\"blank\"}");
  g_assert_cmpint (on_air->event->type, ==, RC_EVENT_ON_AIR);
  g_assert_cmpint (on_air->event->time, ==, meeting + (events->len - 1) * G_USEC_PER_SEC);
  g_assert_cmpint (rc_session_get_on_air (rc_feed_hub_get_session (feed->hub)), ==,
                   RC_ON_AIR_BLANK);
}

/* The token file: its first line, and one-line refusals for what would leak it or
 * make it useless. */
static void
test_token_file (void)
{
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "token", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  static const struct {
    const char *contents;
    gssize length; /* -1: NUL-terminated */
    int mode;
    const char *token;  /* or NULL: refused */
    const char *reason; /* with NULL token */
  } cases[] = {
#define T32 "0123456789abcdef0123456789abcdef"
    { T32 "\n", -1, 0600, T32, NULL },
    { "  " T32 " \r\nsecond line\n", -1, 0400, T32, NULL },
    { T32, -1, 0600, T32, NULL },
    { "", -1, 0600, NULL, "empty" },
    { "  \n " T32 "\n", -1, 0600, NULL, "empty" },
    { T32 "\n", -1, 0644, NULL, "other users" },
    { T32 "\n", -1, 0640, NULL, "other users" },
    { T32 "\n", -1, 0604, NULL, "other users" },
    { "two words " T32 "\n", -1, 0600, NULL, "space" },
    { "s3cr\x01t" T32 "\n", -1, 0600, NULL, "HTTP header" },
    { "s3\0cret" T32 "\n", 40, 0600, NULL, "not text" },
    /* 128 bits at least: 32 characters (hexadecimal). */
    { "s3cret\n", -1, 0600, NULL, "at least 32" },
    { "x\n", -1, 0600, NULL, "has 1 characters" },
    { "0123456789abcdef0123456789abcde\n", -1, 0600, NULL, "has 31 characters" },
#undef T32
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *token = NULL;
      g_assert_true (g_file_set_contents (path, cases[i].contents, cases[i].length, NULL));
      g_assert_cmpint (g_chmod (path, cases[i].mode), ==, 0);
      token = rc_feed_control_read_token_file (path, &error);
      if (cases[i].token != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (token, ==, cases[i].token);
        }
      else
        {
          g_assert_null (token);
          rc_test_assert_refused (error, RC_ERROR_BAD_FILE, cases[i].reason);
        }
    }

  {
    g_autoptr (GError) error = NULL;

    g_assert_null (rc_feed_control_read_token_file (missing, &error));
    rc_test_assert_refused (error, RC_ERROR_BAD_FILE, "missing");
    g_clear_error (&error);
    g_assert_null (rc_feed_control_read_token_file (dir, &error));
    rc_test_assert_refused (error, RC_ERROR_BAD_FILE, "not a file");
  }
  {
    /* A FIFO is not a file either: refused at once, not waited on for a writer. */
    g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
    g_autoptr (GError) error = NULL;
    RcTestWatchdog *dog;

    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    dog = rc_test_watchdog_start ("reading a FIFO as the token file");
    g_assert_null (rc_feed_control_read_token_file (fifo, &error));
    rc_test_watchdog_stop (dog);
    rc_test_assert_refused (error, RC_ERROR_BAD_FILE, "not a file");
  }
  rc_test_remove_tree (dir);
}

/* A scheduled vote described again (the desk setting what the hall sees at each
 * stage): the same vote in its place, its new description journalled and published;
 * refused once it has opened. */
static void
test_describe_again (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) sessions = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (RcSession) reloaded = rc_session_new ();
  RcSession *hub;
  RcVote *vote;

  post (f, "/v1/session", GA_SESSION);
  post (f, "/v1/votes", VOTE ("es-11-1"));
  post (f, "/v1/votes", VOTE ("es-11-2"));
  hub = rc_feed_hub_get_session (f->feed->hub);
  vote = rc_session_find_vote (hub, "es-11-1");
  g_assert_cmpint (rc_vote_get_info (vote)->result_shown, ==, RC_RESULT_WHEN_ANNOUNCED);
  post (f, "/v1/votes",
        "{\"vote\":\"es-11-1\",\"symbol\":\"A/RES/ES-11/1\",\"draft\":\"A/ES-11/L.1\","
        "\"title\":\"Aggression against Ukraine\",\"majority\":\"two-thirds\","
        "\"recorded\":true,\"reveal\":\"after-lock\",\"result_shown\":\"at-lock\"}");
  g_assert_cmpuint (rc_session_get_n_votes (hub), ==, 2);
  g_assert_true (rc_session_get_vote (hub, 0) == vote);
  g_assert_cmpint (rc_vote_get_info (vote)->result_shown, ==, RC_RESULT_AT_LOCK);
  g_assert_cmpint (rc_vote_get_info (vote)->reveal, ==, RC_REVEAL_AFTER_LOCK);

  /* the journal holds both descriptions and folds to the same */
  sessions = rc_archive_list_sessions (f->journal, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((RcArchiveSessionRow *) g_ptr_array_index (sessions, 0))->n_votes, ==, 2);
  events = rc_archive_load_events (f->journal, GA, &error);
  g_assert_no_error (error);
  rc_session_fold (reloaded, events, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rc_vote_get_info (rc_session_find_vote (reloaded, "es-11-1"))->result_shown, ==,
                   RC_RESULT_AT_LOCK);

  post (f, "/v1/votes/es-11-1/open", "{}");
  refused (f, 409, "lifecycle", "exists already and is open", "/v1/votes", VOTE ("es-11-1"));
  g_assert_cmpint (rc_vote_get_info (vote)->result_shown, ==, RC_RESULT_AT_LOCK);
}

int
main (int argc, char *argv[])
{
  rc_test_feed_init (&argc, &argv);
  control_log = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (log_writer, NULL, NULL);

  g_test_add ("/control/whole-vote", Fixture, NULL, fixture_set_up, test_whole_vote,
              fixture_tear_down);
  g_test_add ("/control/refusals", Fixture, NULL, fixture_set_up, test_refusals, fixture_tear_down);
  g_test_add ("/control/chunked", Fixture, NULL, fixture_set_up, test_chunked, fixture_tear_down);
  g_test_add ("/control/waiting-for-session", Fixture, NULL, fixture_set_up,
              test_waiting_for_session, fixture_tear_down);
  g_test_add ("/control/journal-failure", Fixture, NULL, fixture_set_up, test_journal_failure,
              fixture_tear_down);
  g_test_add ("/control/journal-failure-first-session", Fixture, NULL, fixture_set_up,
              test_journal_failure_first_session, fixture_tear_down);
  g_test_add ("/control/rate", Fixture, NULL, fixture_set_up, test_rate, fixture_tear_down);
  g_test_add ("/control/describe-again", Fixture, NULL, fixture_set_up, test_describe_again,
              fixture_tear_down);
  g_test_add_func ("/control/replay-mode", test_replay_mode);
  g_test_add_func ("/control/token-file", test_token_file);
  return g_test_run ();
}
