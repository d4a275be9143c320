/* rc-feed-source.c — where the app's board gets its session from a feed. */
#include "rc-feed-source.h"

RcFeedSource *
rc_feed_source_new_remote (const char *url, const char *ca_file, GError **error)
{
  g_autoptr (RcFeedSource) self = g_new0 (RcFeedSource, 1);

  g_return_val_if_fail (url != NULL, NULL);

  self->client = rc_feed_client_new (url, error);
  if (self->client == NULL)
    return NULL;
  if (ca_file != NULL && !rc_feed_client_set_ca_file (self->client, ca_file, error))
    return NULL;
  return g_steal_pointer (&self);
}

RcFeedSource *
rc_feed_source_new_embedded (const RcReplayPlan *plan, double speed, GError **error)
{
  g_autoptr (RcFeedSource) self = g_new0 (RcFeedSource, 1);
  g_autofree char *url = NULL;

  g_return_val_if_fail (plan != NULL && plan->events != NULL, NULL);

  /* The replay names the hub's streams itself when it starts. */
  self->hub = rc_feed_hub_new (plan->session_id, NULL, NULL, error);
  if (self->hub == NULL)
    return NULL;
  self->server = rc_feed_server_new (self->hub, NULL, error);
  if (self->server == NULL)
    return NULL;
  /* Loopback only, any free port: nothing outside this machine sees the demo. */
  if (!rc_feed_server_listen (self->server, "127.0.0.1", 0, error))
    return NULL;
  self->replay = rc_feed_replay_new (self->hub, plan->events, plan->session_id);
  rc_feed_replay_set_speed (self->replay, speed);

  url = g_strdup_printf ("ws://127.0.0.1:%u", rc_feed_server_get_port (self->server));
  self->client = rc_feed_client_new (url, error);
  if (self->client == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

void
rc_feed_source_start (RcFeedSource *self)
{
  g_return_if_fail (self != NULL);

  if (self->replay != NULL)
    rc_feed_replay_start (self->replay);
  rc_feed_client_start (self->client);
}

void
rc_feed_source_free (RcFeedSource *self)
{
  if (self == NULL)
    return;
  if (self->client != NULL)
    rc_feed_client_stop (self->client);
  g_clear_object (&self->client);
  if (self->replay != NULL)
    rc_feed_replay_stop (self->replay);
  g_clear_object (&self->replay);
  if (self->server != NULL)
    rc_feed_server_shutdown (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->hub);
  g_free (self);
}
