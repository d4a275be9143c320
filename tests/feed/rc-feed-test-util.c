/* rc-feed-test-util.c — what the feed tests share: their start, waiting, a feed on
 * loopback, a whole vote, plain HTTP requests (the clients are in
 * rc-feed-test-client.c and rc-feed-test-raw.c). */
#include "rc-feed-test-util.h"

#include <jansson.h>
#include <string.h>

#include "feed/rc-feed-log.h"

#include "codec/rc-codec.h"
#include "model/rc-chamber.h"
#include "model/rc-snapshot.h"

static GLogFunc test_log_handler;

/* libsoup says a line for every WebSocket frame, which g_test prints (as a TAP
 * comment) whatever G_MESSAGES_DEBUG says: thousands of lines that only slow a test
 * down. They are shown when G_MESSAGES_DEBUG asks for them. */
static void
quiet_log_handler (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  if ((level & G_LOG_LEVEL_DEBUG) && g_getenv ("G_MESSAGES_DEBUG") == NULL)
    return;
  test_log_handler (domain, level, message, data);
}

void
rc_test_feed_init (int *argc, char ***argv)
{
  g_test_init (argc, argv, NULL);
  test_log_handler = g_log_set_default_handler (quiet_log_handler, NULL);
  /* Every interval of the server and of the client / 20 (docs/feed-protocol.md). */
  g_setenv ("ROLLCALL_FEED_TEST_TIMING", "fast", FALSE);
  /* Tests count the server's log lines: none is left out (test-feed-listener checks
   * the budget itself). */
  rc_feed_log_set_budget (G_MAXUINT, G_MAXUINT);
}

/* ---------------------------------------------------------------- waiting */

static gboolean
wake (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
rc_test_wait_step (gint64 deadline, const char *what)
{
  gboolean woke = FALSE;
  guint id;

  if (g_get_monotonic_time () > deadline)
    g_error ("timed out after %d ms waiting for: %s", RC_TEST_TIMEOUT_MS, what);
  /* A timer, so that one blocking iteration returns even when nothing else happens. */
  id = g_timeout_add (10, wake, &woke);
  g_main_context_iteration (NULL, TRUE);
  if (!woke)
    g_source_remove (id);
}

struct _RcTestWatchdog {
  GMutex mutex;
  GCond cond;
  gboolean stopped;
  char *what;
  GThread *thread;
};

static gpointer
watch (gpointer data)
{
  RcTestWatchdog *dog = data;
  gint64 deadline = g_get_monotonic_time () + RC_TEST_TIMEOUT_MS * G_GINT64_CONSTANT (1000);

  g_mutex_lock (&dog->mutex);
  while (!dog->stopped)
    if (!g_cond_wait_until (&dog->cond, &dog->mutex, deadline))
      g_error ("timed out after %d ms: %s never returned", RC_TEST_TIMEOUT_MS, dog->what);
  g_mutex_unlock (&dog->mutex);
  return NULL;
}

RcTestWatchdog *
rc_test_watchdog_start (const char *what)
{
  RcTestWatchdog *dog = g_new0 (RcTestWatchdog, 1);

  g_mutex_init (&dog->mutex);
  g_cond_init (&dog->cond);
  dog->what = g_strdup (what);
  dog->thread = g_thread_new ("rc-test-watchdog", watch, dog);
  return dog;
}

void
rc_test_watchdog_stop (RcTestWatchdog *dog)
{
  g_mutex_lock (&dog->mutex);
  dog->stopped = TRUE;
  g_cond_signal (&dog->cond);
  g_mutex_unlock (&dog->mutex);
  g_thread_join (dog->thread);
  g_mutex_clear (&dog->mutex);
  g_cond_clear (&dog->cond);
  g_free (dog->what);
  g_free (dog);
}

/* ---------------------------------------------------------------- a feed */

RcTestFeed *
rc_test_feed_new (RcArchive *journal, const char *session_id, GTlsCertificate *tls)
{
  g_autoptr (GError) error = NULL;
  RcTestFeed *feed = g_new0 (RcTestFeed, 1);

  feed->hub = rc_feed_hub_new (session_id != NULL ? session_id : RC_TEST_STREAM, journal,
                               session_id, &error);
  g_assert_no_error (error);
  feed->server = rc_feed_server_new (feed->hub, tls, &error);
  g_assert_no_error (error);
  rc_feed_server_listen (feed->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  feed->url = rc_feed_server_get_url (feed->server);
  return feed;
}

void
rc_test_feed_free (RcTestFeed *feed)
{
  if (feed == NULL)
    return;
  rc_feed_server_shutdown (feed->server);
  g_clear_object (&feed->server);
  g_clear_object (&feed->hub);
  g_free (feed->url);
  g_free (feed);
  /* Let the connections that were closed finish closing before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
rc_test_feed_publish (RcTestFeed *feed, GPtrArray *events)
{
  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RcEvent) published
        = rc_feed_hub_publish (feed->hub, g_ptr_array_index (events, i), &error);

      g_assert_no_error (error);
      g_assert_nonnull (published);
    }
}

GPtrArray *
rc_test_vote_events (const char *session_id, guint n_members)
{
  static const RcChoice choices[] = { RC_CHOICE_YES, RC_CHOICE_NO, RC_CHOICE_ABSTAIN };
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  g_autofree RcMember *members = g_new0 (RcMember, n_members);
  g_autoptr (RcRoster) roster = NULL;
  g_autoptr (GError) error = NULL;
  RcChamberInfo chamber = { 0 };
  RcSessionInfo info = { (char *) session_id,       (char *) "T/PV.1",       (char *) "2026-11-26",
                         (char *) "A test meeting", (char *) "Europe/Paris", FALSE };
  RcVoteInfo vote = { (char *) "v1",          (char *) "T/RES/1", (char *) "T/L.1",
                      (char *) "A test vote", RC_MAJORITY_SIMPLE, TRUE,
                      RC_REVEAL_LIVE };
  RcTally official = { 0 };

  g_assert_cmpuint (n_members, >, 0);
  for (guint i = 0; i < n_members; i++)
    {
      members[i].code = g_strdup_printf ("M%03u", i + 1);
      members[i].name = g_strdup_printf ("Member %u", i + 1);
      members[i].label = g_strdup (members[i].name);
      members[i].sort_key = g_strdup_printf ("member %05u", i + 1);
    }
  roster = rc_roster_new (members, n_members, &error);
  g_assert_no_error (error);

  chamber.id = (char *) "TEST";
  chamber.name = (char *) "Test Assembly";
  chamber.rules.default_majority = RC_MAJORITY_SIMPLE;
  rc_palette_init_default (&chamber.palette);

  g_ptr_array_add (events, rc_event_new_session (0, &info, &chamber, roster));
  g_ptr_array_add (events, rc_event_new_vote_scheduled (0, &vote));
  g_ptr_array_add (events, rc_event_new_on_air (0, RC_ON_AIR_VOTE, "v1"));
  g_ptr_array_add (events, rc_event_new_vote_opened (0, "v1"));
  for (guint i = 0; i < n_members; i++)
    {
      g_autofree char *code = g_strdup_printf ("M%03u", i + 1);
      RcChoice choice = choices[i % 3];

      if (i % 5 == 0)
        g_ptr_array_add (events, rc_event_new_ballot (0, "v1", code, choices[(i + 1) % 3]));
      g_ptr_array_add (events, rc_event_new_ballot (0, "v1", code, choice));
      official.yes += choice == RC_CHOICE_YES;
      official.no += choice == RC_CHOICE_NO;
      official.abstain += choice == RC_CHOICE_ABSTAIN;
    }
  g_ptr_array_add (events, rc_event_new_vote_locked (0, "v1", NULL));
  g_ptr_array_add (events, rc_event_new_vote_announced (0, "v1", &official));
  for (guint i = 0; i < events->len; i++)
    ((RcEvent *) g_ptr_array_index (events, i))->seq = i + 1;
  return events;
}

char *
rc_test_session_dump (RcSession *session)
{
  g_autoptr (RcSnapshot) snapshot = rc_session_snapshot (session);

  return rc_codec_encode_snapshot (snapshot, "dump");
}

void
rc_test_feed_publish_range (RcTestFeed *feed, GPtrArray *events, guint from, guint to)
{
  g_autoptr (GPtrArray) slice = g_ptr_array_new ();

  for (guint i = from; i < to; i++)
    g_ptr_array_add (slice, g_ptr_array_index (events, i));
  rc_test_feed_publish (feed, slice);
}

char *
rc_test_feed_dump (RcTestFeed *feed)
{
  return rc_test_session_dump (rc_feed_hub_get_session (feed->hub));
}

static void
keep_result (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

GBytes *
rc_test_http (const char *url, const char *method, guint *status, char **allow_origin)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GBytes *body;

  g_assert_nonnull (msg);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, keep_result, &result);
  RC_TEST_WAIT_FOR (result != NULL);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  if (allow_origin != NULL)
    *allow_origin = g_strdup (soup_message_headers_get_one (
      soup_message_get_response_headers (msg), "Access-Control-Allow-Origin"));
  return body;
}

char *
rc_test_error_reply (const char *body, gsize length, char **message)
{
  g_autofree char *text = g_strndup (body, length);
  json_error_t e;
  json_t *root, *v, *error, *code, *reason;
  char *result;

  if (memchr (body, '\n', length) != NULL)
    g_error ("a refusal on more than one line: %s", text);
  root = json_loadb (body, length, JSON_REJECT_DUPLICATES, &e);
  if (root == NULL)
    g_error ("a refusal that is not JSON (%s at byte %d): %s", e.text, e.position, text);
  v = json_object_get (root, "v");
  error = json_object_get (root, "error");
  code = json_object_get (error, "code");
  reason = json_object_get (error, "message");
  if (!json_is_integer (v) || json_integer_value (v) != 1 || json_object_size (root) != 2
      || !json_is_object (error) || json_object_size (error) != 2 || !json_is_string (code)
      || !json_is_string (reason) || json_string_length (reason) == 0)
    g_error ("a refusal not of the form {\"v\":1,\"error\":{\"code\":…,\"message\":…}}: %s", text);
  result = g_strdup (json_string_value (code));
  if (message != NULL)
    *message = g_strdup (json_string_value (reason));
  json_decref (root);
  return result;
}

void
rc_test_openssl (const char *dir, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  g_ptr_array_add (argv, (char *) "openssl");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl %s failed: %s", args[0], err);
}
