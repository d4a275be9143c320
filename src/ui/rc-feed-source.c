/* rc-feed-source.c — where the app's board gets its session from a feed. */
#include "rc-feed-source.h"

#include <glib/gi18n-lib.h>
#include <sys/random.h>

#include "feed/rc-feed-control.h"
#include "model/rc-error.h"

RcFeedSource *
rc_feed_source_new_remote (const char *url, const char *ca_file, const char *token, GError **error)
{
  g_autoptr (RcFeedSource) self = g_new0 (RcFeedSource, 1);

  g_return_val_if_fail (url != NULL, NULL);

  self->client = rc_feed_client_new (url, error);
  if (self->client == NULL)
    return NULL;
  if (ca_file != NULL && !rc_feed_client_set_ca_file (self->client, ca_file, error))
    return NULL;
  if (token != NULL)
    {
      self->control = rc_feed_control_client_new (url, token, error);
      if (self->control == NULL)
        return NULL;
      if (ca_file != NULL && !rc_feed_control_client_set_ca_file (self->control, ca_file, error))
        return NULL;
      /* Whether the feed is live or replaying is its to say: a replaying one refuses
       * the clerk's actions (409), and the desk shows why. */
      self->clerk = TRUE;
    }
  return g_steal_pointer (&self);
}

/* 128 random bits in hexadecimal: a token no other process knows. */
static char *
make_token (GError **error)
{
  guint8 bytes[RC_FEED_CONTROL_TOKEN_MIN / 2];
  GString *token = g_string_new (NULL);

  if (getrandom (bytes, sizeof bytes, 0) != (ssize_t) sizeof bytes)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, _ ("no random bytes for the desk's token"));
      g_string_free (token, TRUE);
      return NULL;
    }
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (token, "%02x", bytes[i]);
  return g_string_free (token, FALSE);
}

/* The URL this process's own client reaches a server listening on host at. IPv6
 * sockets listen for IPv6 only: "::" is reached at ::1, "0.0.0.0" at 127.0.0.1, and a
 * given address (loopback or not) at itself. */
static char *
own_url (const char *host, guint port)
{
  g_autoptr (GInetAddress) address = host != NULL ? g_inet_address_new_from_string (host) : NULL;
  gboolean v6 = address != NULL && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;

  if (address == NULL)
    return g_strdup_printf ("ws://127.0.0.1:%u", port);
  if (g_inet_address_get_is_any (address))
    return g_strdup_printf (v6 ? "ws://[::1]:%u" : "ws://127.0.0.1:%u", port);
  return g_strdup_printf (v6 ? "ws://[%s]:%u" : "ws://%s:%u", host, port);
}

RcFeedSource *
rc_feed_source_new_embedded (const RcReplayPlan *plan, double speed, gboolean with_control,
                             const char *host, guint port, GError **error)
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
  /* By default loopback only, any free port: nothing outside this machine sees the
   * demo. A rehearsal names an address for the hall's kiosks. */
  if (!rc_feed_server_listen (self->server, host != NULL ? host : "127.0.0.1", port, error))
    return NULL;
  self->replay = rc_feed_replay_new (self->hub, plan->events, plan->session_id);
  rc_feed_replay_set_speed (self->replay, speed);

  url = own_url (host, rc_feed_server_get_port (self->server));
  self->client = rc_feed_client_new (url, error);
  if (self->client == NULL)
    return NULL;
  if (with_control)
    {
      g_autofree char *token = make_token (error);

      if (token == NULL)
        return NULL;
      rc_feed_control_attach (self->server, token, RC_FEED_CONTROL_ON_AIR_ONLY);
      self->control = rc_feed_control_client_new (url, token, error);
      if (self->control == NULL)
        return NULL;
    }
  return g_steal_pointer (&self);
}

void
rc_feed_source_replay (RcFeedSource *self, const RcReplayPlan *plan)
{
  double speed;

  g_return_if_fail (self != NULL && self->replay != NULL && plan != NULL);

  speed = rc_replay_get_speed (rc_feed_replay_get_replay (self->replay));
  rc_feed_replay_stop (self->replay);
  g_object_unref (self->replay);
  self->replay = rc_feed_replay_new (self->hub, plan->events, plan->session_id);
  rc_feed_replay_set_speed (self->replay, speed);
  rc_feed_replay_start (self->replay);
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
  g_clear_object (&self->control);
  if (self->replay != NULL)
    rc_feed_replay_stop (self->replay);
  g_clear_object (&self->replay);
  if (self->server != NULL)
    rc_feed_server_shutdown (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->hub);
  g_free (self);
}
