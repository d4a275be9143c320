/* feed-client-sub.c — what the tests of RcFeedClient share. */
#include "feed-client-sub.h"

#include <string.h>

static void
on_refused (RcFeedClient *client, const char *reason, Sub *s)
{
  g_ptr_array_add (s->refusals, g_strdup (reason));
  if (s->dump_at_refusal == NULL)
    {
      s->dump_at_refusal = rc_test_session_dump (rc_feed_client_get_session (client));
      s->id_at_refusal = g_strdup (rc_feed_client_get_last_event_id (client));
    }
}

static void
on_session (RcFeedClient *client, GParamSpec *pspec, Sub *s)
{
  s->sessions++;
}

Sub *
sub_new (const char *url)
{
  g_autoptr (GError) error = NULL;
  Sub *s = g_new0 (Sub, 1);

  s->client = rc_feed_client_new (url, &error);
  g_assert_no_error (error);
  s->refusals = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (s->client, "message-refused", G_CALLBACK (on_refused), s);
  g_signal_connect (s->client, "notify::session", G_CALLBACK (on_session), s);
  return s;
}

void
sub_free (Sub *s)
{
  rc_feed_client_stop (s->client);
  g_signal_handlers_disconnect_by_data (s->client, s);
  g_object_unref (s->client);
  g_ptr_array_unref (s->refusals);
  g_free (s->dump_at_refusal);
  g_free (s->id_at_refusal);
  g_free (s);
}

RcFeedClientState
sub_state (Sub *s)
{
  return rc_feed_client_get_state (s->client);
}

gint64
sub_seq (Sub *s)
{
  return rc_session_get_last_seq (rc_feed_client_get_session (s->client));
}

gboolean
sub_status_mentions (Sub *s, const char *what)
{
  return strstr (rc_feed_client_get_status (s->client), what) != NULL;
}

/* "http://127.0.0.1:P" as the transport's URL: ws:// (wss://) or as it is. */
char *
sub_url_for (const char *http_url, RcTestTransport transport)
{
  if (transport == RC_TEST_SSE)
    return g_strdup (http_url);
  g_assert_true (g_str_has_prefix (http_url, "http"));
  return g_strconcat ("ws", http_url + 4, NULL);
}

/* A vote of n members; each event a second after the one before. */
GPtrArray *
sub_vote_events (guint n_members)
{
  GPtrArray *events = rc_test_vote_events ("s1", n_members);

  for (guint i = 0; i < events->len; i++)
    ((RcEvent *) g_ptr_array_index (events, i))->time =
      G_GINT64_CONSTANT (1795000000000000) + (gint64) i * G_USEC_PER_SEC;
  return events;
}

void
sub_publish_range (RcFeedHub *hub, GPtrArray *events, guint from, guint to)
{
  for (guint i = from; i < to; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RcEvent) published = rc_feed_hub_publish (hub, g_ptr_array_index (events, i),
                                                           &error);

      g_assert_no_error (error);
    }
}

/* The client shows exactly what the server holds, and is live. */
gboolean
sub_caught_up (Sub *s, RcFeedHub *hub)
{
  return sub_state (s) == RC_FEED_CLIENT_LIVE && sub_seq (s) == rc_feed_hub_get_last_seq (hub);
}

void
sub_assert_same_state (RcSession *a, RcSession *b)
{
  g_autofree char *da = rc_test_session_dump (a);
  g_autofree char *db = rc_test_session_dump (b);

  g_assert_cmpstr (da, ==, db);
}
