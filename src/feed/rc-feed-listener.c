/* rc-feed-listener.c — a feed server's listening sockets and every connection it
 * takes (see rc-feed-listener.h for why the server accepts connections itself).
 *
 * A connection's life: accepted (or refused at once with a 503 when too many are
 * open); with TLS, its hello awaited in the main loop, then its handshake in one of
 * GLib's worker threads, cancelled at its deadline; then a gate over it handed to
 * libsoup, which reads one request and answers it, or keeps it for a subscription;
 * closed by libsoup (the gate says so), or shut here at a deadline. */
#define _GNU_SOURCE /* accept4 */
#include "rc-feed-listener-private.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gnetworking.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "model/rc-error.h"
#include "rc-feed-log.h"
#include "rc-feed-server.h"
#include "rc-feed-timing.h"

/* Connections taken from the backlog in one turn of the main loop. */
#define ACCEPT_BATCH 64
/* When accept() itself fails for want of memory or descriptors, the next try. */
#define ACCEPT_RETRY_MS 100

typedef struct {
  RcFeedListener *listener;
  GSocket *socket;
  GSource *source;
  guint retry_id;
} Listening;

static void on_request_started (SoupServer *soup, SoupServerMessage *msg, gpointer data);
static void on_request_read (SoupServer *soup, SoupServerMessage *msg, gpointer data);

/* ---------------------------------------------------------------- connections */

RcFeedConn *
rc_feed_conn_ref (RcFeedConn *conn)
{
  conn->ref_count++;
  return conn;
}

void
rc_feed_conn_unref (RcFeedConn *conn)
{
  if (conn == NULL || --conn->ref_count > 0)
    return;
  g_assert (conn->hello_source == NULL && conn->hello_retry_id == 0);
  if (conn->gate != NULL)
    g_signal_handlers_disconnect_by_data (conn->gate, conn);
  g_clear_object (&conn->gate);
  g_clear_object (&conn->tls);
  g_clear_object (&conn->cancellable);
  g_clear_object (&conn->remote);
  g_clear_object (&conn->socket);
  g_free (conn->peer);
  g_free (conn->address);
  g_free (conn);
}

static void
stop_waiting (RcFeedConn *conn)
{
  if (conn->hello_source != NULL)
    {
      g_source_destroy (conn->hello_source);
      g_clear_pointer (&conn->hello_source, g_source_unref);
    }
  g_clear_handle_id (&conn->hello_retry_id, g_source_remove);
}

void
rc_feed_conn_shut (RcFeedConn *conn)
{
  if (conn->shut)
    return;
  conn->shut = TRUE;
  stop_waiting (conn);
  if (conn->cancellable != NULL)
    g_cancellable_cancel (conn->cancellable);
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
}

void
rc_feed_conn_forget (RcFeedConn *conn)
{
  RcFeedListener *self = conn->listener;

  stop_waiting (conn);
  if (self != NULL && conn->remote != NULL)
    g_hash_table_remove (self->conns, conn->remote);
}

void
rc_feed_conn_drop (RcFeedConn *conn)
{
  rc_feed_conn_shut (conn);
  g_socket_close (conn->socket, NULL);
  rc_feed_conn_forget (conn);
}

static void
on_gate_closed (RcFeedGate *gate, gpointer data)
{
  rc_feed_conn_forget (data);
}

static void
on_gate_refused (RcFeedGate *gate, guint status, const char *code, const char *reason,
                 gpointer data)
{
  RcFeedConn *conn = data;

  if (status == 0)
    rc_feed_log ("feed: %s: %s", conn->peer, reason);
  else
    rc_feed_log ("feed: %s: request refused (%u %s): %s", conn->peer, status, code, reason);
}

void
rc_feed_conn_hand_over (RcFeedConn *conn, GIOStream *stream)
{
  RcFeedListener *self = conn->listener;
  g_autoptr (GSocketAddress) local = g_socket_get_local_address (conn->socket, NULL);
  g_autoptr (GError) error = NULL;

  if (local == NULL)
    {
      rc_feed_conn_drop (conn);
      return;
    }
  conn->phase = PHASE_SERVED;
  conn->gate = rc_feed_gate_new (stream, conn->socket);
  g_signal_connect (conn->gate, "closed", G_CALLBACK (on_gate_closed), conn);
  g_signal_connect (conn->gate, "refused", G_CALLBACK (on_gate_refused), conn);
  /* libsoup emits "request-started" for the connection's message from in here. */
  if (!soup_server_accept_iostream (self->soup, G_IO_STREAM (conn->gate), local, conn->remote,
                                    &error))
    {
      rc_feed_log ("feed: %s: %s", conn->peer, error->message);
      g_io_stream_close (G_IO_STREAM (conn->gate), NULL, NULL);
    }
}

/* ---------------------------------------------------------------- accepting */

/* TCP options of a client's socket: no delay for small messages, and a peer that
 * vanishes (its machine off, its cable out) is found out by the kernel. */
static void
set_socket_options (GSocket *socket)
{
  int fd = g_socket_get_fd (socket);
  int on = 1, idle = 30, interval = 10, count = 3;
  /* Not shortened in tests: a client that stalls on purpose must stay. */
  unsigned int user_timeout = RC_FEED_TCP_USER_TIMEOUT_MS;

  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  setsockopt (fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  setsockopt (fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  setsockopt (fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  setsockopt (fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
  setsockopt (fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout, sizeof user_timeout);
}

static void
take (RcFeedListener *self, GSocket *socket)
{
  RcFeedConn *conn = g_new0 (RcFeedConn, 1);
  g_autoptr (GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);

  conn->ref_count = 1;
  conn->listener = self;
  conn->socket = socket;
  conn->accepted = g_get_monotonic_time ();
  if (remote == NULL)
    {
      /* Gone before it was taken. */
      g_socket_close (socket, NULL);
      rc_feed_conn_unref (conn);
      return;
    }
  conn->remote = g_object_ref (remote);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    {
      g_autofree char *host = g_inet_address_to_string (
        g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

      conn->peer
        = g_strdup_printf (strchr (host, ':') != NULL ? "[%s]:%u" : "%s:%u", host,
                           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)));
      conn->address = g_steal_pointer (&host);
    }
  else
    conn->peer = g_strdup ("?");
  if (conn->address == NULL)
    conn->address = g_strdup ("?");
  set_socket_options (socket);
  g_hash_table_insert (self->conns, conn->remote, conn);

  if (self->tls != NULL)
    {
      rc_feed_conn_start_tls (conn);
    }
  else
    {
      g_autoptr (GIOStream) stream
        = G_IO_STREAM (g_socket_connection_factory_create_connection (socket));

      rc_feed_conn_hand_over (conn, stream);
    }
}

static guint
max_connections (RcFeedListener *self)
{
  struct rlimit limit;
  guint by_descriptors = G_MAXUINT;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    by_descriptors
      = limit.rlim_cur > self->fds_at_listen + RC_FEED_DESCRIPTORS_SPARE ? (guint) MIN (
          limit.rlim_cur - self->fds_at_listen - RC_FEED_DESCRIPTORS_SPARE, G_MAXUINT)
                                                                         : 0;
  return MIN (by_descriptors, self->max_clients + RC_FEED_CONNECTIONS_SPARE);
}

static void
note_shed (RcFeedListener *self, const char *why)
{
  gint64 now = g_get_monotonic_time ();

  self->shed++;
  if (!self->shedding)
    {
      self->shedding = TRUE;
      self->shed_logged = now;
      g_message ("feed: refusing new connections with 503: %s", why);
    }
  else if (now - self->shed_logged > 10 * G_USEC_PER_SEC)
    {
      self->shed_logged = now;
      g_message ("feed: still refusing new connections (%" G_GUINT64_FORMAT " so far): %s",
                 self->shed, why);
    }
}

static void
note_taken (RcFeedListener *self)
{
  /* The descriptor kept for answering when there are none left, if it was lost. */
  if (self->reserve_fd < 0)
    self->reserve_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  if (!self->shedding)
    return;
  g_message ("feed: accepting connections again, after refusing %" G_GUINT64_FORMAT, self->shed);
  self->shedding = FALSE;
  self->shed = 0;
}

/* Answers a connection the server has no room for, and closes it. Over TLS a plain
 * answer would be noise: it is only closed. */
static void
shed (RcFeedListener *self, int fd)
{
  static const char body[] = "{\"v\":1,\"error\":{\"code\":\"busy\",\"message\":\"the feed has "
                             "as many connections as it takes; try again shortly\"}}";
  char answer[512], scratch[4096];
  int length;

  if (self->tls == NULL)
    {
      length = g_snprintf (answer, sizeof answer,
                           "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                           "Content-Length: %zu\r\nRetry-After: 5\r\nCache-Control: no-store\r\n"
                           "Access-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n%s",
                           strlen (body), body);
      (void) !send (fd, answer, length, MSG_DONTWAIT | MSG_NOSIGNAL);
    }
  /* What the client sent already is read, so that the close is not a reset that
   * loses the answer. */
  for (int i = 0; i < 4 && recv (fd, scratch, sizeof scratch, MSG_DONTWAIT) > 0; i++)
    ;
  shutdown (fd, SHUT_WR);
  close (fd);
}

static gboolean accept_ready (GSocket *socket, GIOCondition condition, gpointer data);

static void
watch_listening (Listening *l)
{
  l->source = g_socket_create_source (l->socket, G_IO_IN, NULL);
  g_source_set_callback (l->source, G_SOURCE_FUNC (accept_ready), l, NULL);
  g_source_attach (l->source, NULL);
}

static gboolean
on_accept_retry (gpointer data)
{
  Listening *l = data;

  l->retry_id = 0;
  watch_listening (l);
  return G_SOURCE_REMOVE;
}

/* accept() itself failed for want of descriptors or memory: one client is answered
 * with the descriptor kept for it, and accepting goes on shortly. */
static void
pause_accepting (Listening *l, int error)
{
  RcFeedListener *self = l->listener;

  if ((error == EMFILE || error == ENFILE) && self->reserve_fd >= 0)
    {
      int fd;

      close (self->reserve_fd);
      fd = accept4 (g_socket_get_fd (l->socket), NULL, NULL, SOCK_CLOEXEC);
      if (fd >= 0)
        shed (self, fd);
      self->reserve_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
    }
  note_shed (self, error == EMFILE || error == ENFILE ? _ ("the process is out of file descriptors")
                                                      : g_strerror (error));
  g_source_destroy (l->source);
  g_clear_pointer (&l->source, g_source_unref);
  l->retry_id = g_timeout_add (ACCEPT_RETRY_MS, on_accept_retry, l);
}

static gboolean
accept_ready (GSocket *listening, GIOCondition condition, gpointer data)
{
  Listening *l = data;
  RcFeedListener *self = l->listener;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      int fd = accept4 (g_socket_get_fd (listening), NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
      g_autoptr (GError) error = NULL;
      GSocket *socket;

      if (fd < 0)
        {
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            return G_SOURCE_CONTINUE;
          /* The client gave up before it was taken, or a signal came: the next. */
          if (errno == ECONNABORTED || errno == EINTR || errno == EPROTO || errno == EPERM)
            continue;
          pause_accepting (l, errno);
          return G_SOURCE_REMOVE;
        }
      if (g_hash_table_size (self->conns) >= max_connections (self))
        {
          note_shed (self, _ ("as many connections are open as the server takes"));
          shed (self, fd);
          continue;
        }
      socket = g_socket_new_from_fd (fd, &error);
      if (socket == NULL)
        {
          close (fd);
          continue;
        }
      note_taken (self);
      take (self, socket);
    }
  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------- listening */

static guint
count_open_descriptors (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 64;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* A socket listening on address and port with the server's backlog (an IPv6 one
 * takes IPv6 only); *bound: the port it got. */
static GSocket *
listening_socket (GInetAddress *address, guint port, guint *bound, GError **error)
{
  GSocketFamily family = g_inet_address_get_family (address);
  g_autoptr (GSocketAddress) socket_address = g_inet_socket_address_new (address, port);
  g_autoptr (GSocketAddress) local = NULL;
  g_autoptr (GSocket) socket = NULL;

  socket = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  if (socket == NULL)
    return NULL;
  if (family == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
  g_socket_set_listen_backlog (socket, RC_FEED_LISTEN_BACKLOG);
  g_socket_set_blocking (socket, FALSE);
  if (!g_socket_bind (socket, socket_address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;
  local = g_socket_get_local_address (socket, error);
  if (local == NULL)
    return NULL;
  if (bound != NULL)
    *bound = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  return g_steal_pointer (&socket);
}

static void
add_listening (RcFeedListener *self, GSocket *socket)
{
  Listening *l = g_new0 (Listening, 1);

  l->listener = self;
  l->socket = g_object_ref (socket);
  g_ptr_array_add (self->listening, l);
  g_ptr_array_add (self->sockets, socket);
  watch_listening (l);
}

static void
listening_free (Listening *l)
{
  if (l->source != NULL)
    {
      g_source_destroy (l->source);
      g_source_unref (l->source);
    }
  g_clear_handle_id (&l->retry_id, g_source_remove);
  g_socket_close (l->socket, NULL);
  g_object_unref (l->socket);
  g_free (l);
}

/* 127.0.0.1 and ::1 on one port: without IPv6, IPv4 alone; with port 0, the port the
 * IPv4 socket got, tried again while IPv6 has it taken. */
static gboolean
listen_loopback (RcFeedListener *self, guint port, GError **error)
{
  g_autoptr (GInetAddress) v4 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GInetAddress) v6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);

  for (;;)
    {
      g_autoptr (GSocket) socket4 = NULL;
      g_autoptr (GSocket) socket6 = NULL;
      g_autoptr (GError) local = NULL;
      guint bound = port;

      socket4 = listening_socket (v4, port, &bound, error);
      if (socket4 == NULL)
        return FALSE;
      socket6 = listening_socket (v6, bound, NULL, &local);
      if (socket6 == NULL && port == 0
          && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        continue;
      if (socket6 == NULL && !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED)
          && !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      add_listening (self, socket4);
      if (socket6 != NULL)
        add_listening (self, socket6);
      return TRUE;
    }
}

gboolean
rc_feed_listener_listen (RcFeedListener *self, const char *address, guint port, GError **error)
{
  g_autoptr (GError) local = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  if (address == NULL)
    ok = listen_loopback (self, port, &local);
  else
    {
      g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (address);
      g_autoptr (GSocket) socket = NULL;

      if (inet == NULL)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                       _ ("'%s' is not an IP address to listen on"), address);
          return FALSE;
        }
      socket = listening_socket (inet, port, NULL, &local);
      ok = socket != NULL;
      if (ok)
        add_listening (self, socket);
    }
  if (!ok)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, _ ("cannot listen on %s port %u: %s"),
                   address != NULL ? address : "localhost", port, local->message);
      return FALSE;
    }
  self->fds_at_listen = count_open_descriptors ();
  return TRUE;
}

/* ---------------------------------------------------------------- public */

RcFeedListener *
rc_feed_listener_new (SoupServer *soup, GTlsCertificate *tls)
{
  RcFeedListener *self = g_new0 (RcFeedListener, 1);

  self->soup = g_object_ref (soup);
  self->tls = tls != NULL ? g_object_ref (tls) : NULL;
  self->listening = g_ptr_array_new_with_free_func ((GDestroyNotify) listening_free);
  self->sockets = g_ptr_array_new ();
  self->conns = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify) rc_feed_conn_unref);
  self->max_clients = RC_FEED_MAX_CLIENTS_DEFAULT;
  g_queue_init (&self->running);
  g_queue_init (&self->queued);
  self->reserve_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  g_signal_connect (soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (soup, "request-read", G_CALLBACK (on_request_read), self);
  return self;
}

void
rc_feed_listener_free (RcFeedListener *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self == NULL)
    return;
  rc_feed_listener_close (self);
  g_signal_handlers_disconnect_by_data (self->soup, self);
  /* Connections still open are libsoup's; their gates no longer reach us. */
  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RcFeedConn *conn = value;

      stop_waiting (conn);
      conn->listener = NULL;
      if (conn->gate != NULL)
        g_signal_handlers_disconnect_by_data (conn->gate, conn);
    }
  g_queue_clear_full (&self->running, (GDestroyNotify) rc_feed_conn_unref);
  g_queue_clear_full (&self->queued, (GDestroyNotify) rc_feed_conn_unref);
  g_hash_table_unref (self->conns);
  g_ptr_array_unref (self->listening);
  g_ptr_array_unref (self->sockets);
  if (self->reserve_fd >= 0)
    close (self->reserve_fd);
  g_clear_object (&self->tls);
  g_object_unref (self->soup);
  g_free (self);
}

GPtrArray *
rc_feed_listener_get_sockets (RcFeedListener *self)
{
  return self->sockets;
}

/* The address of the socket listed first, IPv4 first. */
static GInetSocketAddress *
first_address (RcFeedListener *self)
{
  GInetSocketAddress *found = NULL;

  for (guint i = 0; i < self->sockets->len; i++)
    {
      GSocketAddress *local = g_socket_get_local_address (self->sockets->pdata[i], NULL);

      if (local == NULL)
        continue;
      if (found == NULL
          || (g_socket_address_get_family (G_SOCKET_ADDRESS (found)) == G_SOCKET_FAMILY_IPV6
              && g_socket_address_get_family (local) == G_SOCKET_FAMILY_IPV4))
        {
          g_clear_object (&found);
          found = G_INET_SOCKET_ADDRESS (local);
        }
      else
        g_object_unref (local);
    }
  return found;
}

guint
rc_feed_listener_get_port (RcFeedListener *self)
{
  g_autoptr (GInetSocketAddress) address = first_address (self);

  return address != NULL ? g_inet_socket_address_get_port (address) : 0;
}

char *
rc_feed_listener_get_url (RcFeedListener *self)
{
  g_autoptr (GInetSocketAddress) address = first_address (self);
  g_autofree char *host = NULL;

  if (address == NULL)
    return NULL;
  host = g_inet_address_to_string (g_inet_socket_address_get_address (address));
  return g_strdup_printf (strchr (host, ':') != NULL ? "%s://[%s]:%u" : "%s://%s:%u",
                          self->tls != NULL ? "https" : "http", host,
                          g_inet_socket_address_get_port (address));
}

void
rc_feed_listener_set_max_clients (RcFeedListener *self, guint max_clients)
{
  self->max_clients = max_clients;
}

guint
rc_feed_listener_get_n_connections (RcFeedListener *self)
{
  return g_hash_table_size (self->conns);
}

guint
rc_feed_listener_get_max_connections (RcFeedListener *self)
{
  return max_connections (self);
}

/* Each message of a connection knows it (libsoup 3.2 says nothing of its stream). */
#define CONN_KEY "rc-feed-listener-conn"

static RcFeedConn *
message_conn (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), CONN_KEY);
}

GSocket *
rc_feed_message_get_socket (SoupServerMessage *msg)
{
  RcFeedConn *conn = message_conn (msg);

  return conn != NULL ? conn->socket : NULL;
}

RcFeedGate *
rc_feed_message_get_gate (SoupServerMessage *msg)
{
  RcFeedConn *conn = message_conn (msg);

  return conn != NULL ? conn->gate : NULL;
}

void
rc_feed_message_set_subscribed (SoupServerMessage *msg)
{
  RcFeedConn *conn = message_conn (msg);

  if (conn != NULL)
    conn->subscribed = TRUE;
}

void
rc_feed_message_answer_early (SoupServerMessage *msg)
{
  RcFeedGate *gate = rc_feed_message_get_gate (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  g_autoptr (GString) headers = g_string_new (NULL);
  g_autoptr (GBytes) body = NULL;
  g_autofree char *json = NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  guint status = soup_server_message_get_status (msg);

  if (gate == NULL || !rc_feed_gate_body_pending (gate))
    return;
  /* The gate writes these itself. */
  soup_message_headers_iter_init (&iter, response);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Content-Type") != 0
        && g_ascii_strcasecmp (name, "Content-Length") != 0
        && g_ascii_strcasecmp (name, "Connection") != 0
        && g_ascii_strcasecmp (name, "Cache-Control") != 0
        && g_ascii_strcasecmp (name, "Access-Control-Allow-Origin") != 0
        && g_ascii_strcasecmp (name, "Server") != 0)
      g_string_append_printf (headers, "%s: %s\r\n", name, value);
  body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  json = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  rc_feed_gate_answer_now (gate, status,
                           soup_server_message_get_reason_phrase (msg) != NULL
                             ? soup_server_message_get_reason_phrase (msg)
                             : soup_status_get_phrase (status),
                           headers->str, json);
}

/* libsoup starts a connection's message as it takes it: the message learns its
 * connection, and the client that its connection closes after the answer. */
static void
on_request_started (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  RcFeedListener *self = data;
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  RcFeedConn *conn = remote != NULL ? g_hash_table_lookup (self->conns, remote) : NULL;

  if (conn == NULL)
    return;
  g_object_set_data_full (G_OBJECT (msg), CONN_KEY, rc_feed_conn_ref (conn),
                          (GDestroyNotify) rc_feed_conn_unref);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
}

static void
on_request_read (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  RcFeedConn *conn = message_conn (msg);

  if (conn == NULL)
    return;
  conn->read_at = g_get_monotonic_time ();
  if (conn->gate != NULL)
    rc_feed_gate_set_request_read (conn->gate);
}

void
rc_feed_listener_tick (RcFeedListener *self, gint64 now)
{
  guint max = max_connections (self);
  guint n = g_hash_table_size (self->conns);
  gint64 request_limit
    = (gint64) rc_feed_timing_ms (n * 4 >= max * 3 ? RC_FEED_REQUEST_TIMEOUT_PRESSED_MS
                                                   : RC_FEED_REQUEST_TIMEOUT_MS)
      * 1000;
  /* Not shortened in tests: a handshake's work does not get faster. */
  gint64 handshake_limit = (gint64) RC_FEED_TLS_HANDSHAKE_MS * 1000;
  gint64 answer_limit = (gint64) rc_feed_timing_ms (RC_FEED_ANSWER_TIMEOUT_MS) * 1000;
  g_autoptr (GPtrArray) over = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_feed_conn_unref);
  GHashTableIter iter;
  gpointer value;

  rc_feed_listener_cut_stalled (self, now);
  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RcFeedConn *conn = value;
      gint64 age = now - conn->accepted;

      if (conn->shut)
        continue;
      if ((conn->phase == PHASE_HANDSHAKE && now - conn->handshake_started > handshake_limit)
          || (conn->phase != PHASE_SERVED && age > request_limit)
          || (conn->phase == PHASE_SERVED && conn->read_at == 0 && age > request_limit)
          || (conn->read_at != 0 && !conn->subscribed && now - conn->read_at > answer_limit))
        g_ptr_array_add (over, rc_feed_conn_ref (conn));
    }
  for (guint i = 0; i < over->len; i++)
    {
      RcFeedConn *conn = over->pdata[i];

      if (conn->phase == PHASE_HELLO || conn->phase == PHASE_QUEUED)
        {
          rc_feed_conn_drop_waiting (conn);
          continue;
        }
      rc_feed_conn_shut (conn);
      /* A handshake ends in its callback, a served connection in libsoup's hands. */
    }
}

void
rc_feed_listener_close (RcFeedListener *self)
{
  g_autoptr (GPtrArray) conns
    = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_feed_conn_unref);
  GHashTableIter iter;
  gpointer value;

  if (self->closed)
    return;
  self->closed = TRUE;
  g_clear_handle_id (&self->stall_check_id, g_source_remove);
  g_ptr_array_set_size (self->sockets, 0);
  g_ptr_array_set_size (self->listening, 0);
  /* Dropping one changes the table: walk a copy. */
  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (conns, rc_feed_conn_ref (value));
  for (guint i = 0; i < conns->len; i++)
    {
      RcFeedConn *conn = conns->pdata[i];

      if (conn->phase == PHASE_HELLO || conn->phase == PHASE_QUEUED)
        rc_feed_conn_drop_waiting (conn);
      else
        rc_feed_conn_shut (conn);
    }
}

guint
rc_feed_raise_descriptor_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 0;
  if (limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        getrlimit (RLIMIT_NOFILE, &limit);
    }
  return (guint) MIN (limit.rlim_cur, G_MAXUINT);
}
