/* rc-feed-listener-tls.c — the TLS handshakes of a feed server's connections: the
 * client's whole hello awaited in the main loop (a silent client costs no thread), a
 * place among the handshakes (each holds one of GLib's worker threads while it waits
 * for the client), the handshake, and the cutting of those that stall
 * (rc-feed-listener.h: RC_FEED_TLS_HANDSHAKE*). */
#include "rc-feed-listener-private.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "rc-feed-log.h"

/* A TLS record is at most 2^14 bytes and a little: a hello longer is not one. */
#define TLS_RECORD_MAX (16384 + 2048)
/* A handshake this long (µs, from its hello) is told of in the debug log. */
#define SLOW_HANDSHAKE_US 50000

/* The handshake no longer counts as running or waiting (it ended, or it was cut). */
static void
stop_counting (RcFeedListener *self, RcFeedConn *conn)
{
  GQueue *queues[] = { &self->running, &self->queued };

  for (guint i = 0; i < G_N_ELEMENTS (queues); i++)
    {
      GList *link = g_queue_find (queues[i], conn);

      if (link == NULL)
        continue;
      g_queue_delete_link (queues[i], link);
      rc_feed_conn_unref (conn);
    }
}

static void run_queued (RcFeedListener *self);

static void
on_handshake_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (RcFeedConn) conn = data;
  g_autoptr (GError) error = NULL;
  gboolean ok = g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error);
  RcFeedListener *self = conn->listener;

  if (self != NULL)
    {
      gint64 now = g_get_monotonic_time ();

      /* Where a slow one's time went (G_MESSAGES_DEBUG=all). */
      if (ok && now - conn->handshake_started >= SLOW_HANDSHAKE_US)
        g_debug ("feed: %s: TLS handshake took %.1f ms: %.1f waiting for a place, %.1f "
                 "running; now %u running, %u waiting",
                 conn->peer, (now - conn->handshake_started) / 1e3,
                 (conn->handshake_running - conn->handshake_started) / 1e3,
                 (now - conn->handshake_running) / 1e3, self->running.length, self->queued.length);
      stop_counting (self, conn);
      run_queued (self);
    }
  if (!ok)
    {
      if (self != NULL && !self->closed && !conn->shut)
        rc_feed_log ("feed: %s: TLS handshake failed: %s", conn->peer, error->message);
      rc_feed_conn_drop (conn);
      return;
    }
  if (self == NULL || conn->shut)
    {
      rc_feed_conn_drop (conn);
      return;
    }
  rc_feed_conn_hand_over (conn, G_IO_STREAM (conn->tls));
}

/* The handshake runs, in one of GLib's worker threads (glib-networking). */
static void
run_handshake (RcFeedConn *conn)
{
  static const char *const protocols[] = { "http/1.1", NULL };
  RcFeedListener *self = conn->listener;
  g_autoptr (GIOStream) base = NULL;
  g_autoptr (GError) error = NULL;

  conn->phase = PHASE_HANDSHAKE;
  conn->handshake_running = g_get_monotonic_time ();
  base = G_IO_STREAM (g_socket_connection_factory_create_connection (conn->socket));
  /* No database: a server that asks for no client certificate needs none, and the
   * system's (150 CAs) would be copied into every connection, 10 to 30 ms of the
   * main loop each (glib-networking 2.74). */
  conn->tls
    = g_initable_new (g_tls_backend_get_server_connection_type (g_tls_backend_get_default ()), NULL,
                      &error, "base-io-stream", base, "certificate", self->tls, "database", NULL,
                      "authentication-mode", G_TLS_AUTHENTICATION_NONE, NULL);
  if (conn->tls == NULL)
    {
      rc_feed_log ("feed: %s: %s", conn->peer, error->message);
      rc_feed_conn_drop (conn);
      return;
    }
  g_tls_connection_set_advertised_protocols (conn->tls, (const char *const *) protocols);
  conn->cancellable = g_cancellable_new ();
  g_queue_push_tail (&self->running, rc_feed_conn_ref (conn));
  g_tls_connection_handshake_async (conn->tls, G_PRIORITY_DEFAULT, conn->cancellable,
                                    on_handshake_done, rc_feed_conn_ref (conn));
}

static void
add_count (GHashTable *count, const char *address, gint n)
{
  guint had = GPOINTER_TO_UINT (g_hash_table_lookup (count, address));

  g_hash_table_insert (count, (gpointer) address, GUINT_TO_POINTER (had + n));
}

/* How many handshakes each address has running (and, with `queued`, waiting). */
static GHashTable *
count_by_address (RcFeedListener *self, gboolean queued)
{
  GHashTable *count = g_hash_table_new (g_str_hash, g_str_equal);
  GQueue *queues[] = { &self->running, &self->queued };

  for (guint i = 0; i < (queued ? 2 : 1); i++)
    for (GList *l = queues[i]->head; l != NULL; l = l->next)
      add_count (count, ((RcFeedConn *) l->data)->address, +1);
  return count;
}

/* The waiting handshake to run next, or NULL: of the addresses with fewer than
 * RC_FEED_TLS_HANDSHAKES_PER_ADDRESS running, the one with the fewest handshakes
 * running or waiting, and of its handshakes the newest. A flood from one address never
 * takes every place, nor keeps another address's clients waiting; and a client that
 * comes after a flood from its own address is next all the same. */
static GList *
next_queued (RcFeedListener *self)
{
  g_autoptr (GHashTable) running = count_by_address (self, FALSE);
  g_autoptr (GHashTable) load = count_by_address (self, TRUE);
  GList *best = NULL;
  guint best_load = G_MAXUINT;

  for (GList *l = self->queued.tail; l != NULL; l = l->prev)
    {
      const char *address = ((RcFeedConn *) l->data)->address;
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (load, address));

      if (n < best_load
          && GPOINTER_TO_UINT (g_hash_table_lookup (running, address))
               < RC_FEED_TLS_HANDSHAKES_PER_ADDRESS)
        {
          best = l;
          best_load = n;
        }
    }
  return best;
}

/* Gives the places free among the handshakes to those waiting (next_queued). */
static void
run_queued (RcFeedListener *self)
{
  while (!self->closed && self->running.length < RC_FEED_TLS_HANDSHAKES_MAX)
    {
      GList *link = next_queued (self);
      g_autoptr (RcFeedConn) conn = NULL;

      if (link == NULL)
        break;
      conn = link->data;
      g_queue_delete_link (&self->queued, link);
      run_handshake (conn);
    }
}

/* The client's whole hello is there: its handshake runs, or waits for a place. */
static void
start_handshake (RcFeedConn *conn)
{
  RcFeedListener *self = conn->listener;

  conn->phase = PHASE_QUEUED;
  conn->handshake_started = g_get_monotonic_time ();
  g_queue_push_tail (&self->queued, rc_feed_conn_ref (conn));
  rc_feed_listener_cut_stalled (self, conn->handshake_started);
}

/* Who spoke last on a handshake's connection, and how long ago the server did (the
 * kernel's clocks, TCP_INFO, in milliseconds): the server, once it has sent its part
 * of the handshake, until the client answers. */
static gboolean
server_spoke_last (RcFeedConn *conn, guint *since_ms)
{
  struct tcp_info info = { 0 };
  socklen_t length = sizeof info;

  *since_ms = 0;
  if (getsockopt (g_socket_get_fd (conn->socket), IPPROTO_TCP, TCP_INFO, &info, &length) != 0)
    return FALSE;
  *since_ms = info.tcpi_last_data_sent;
  return info.tcpi_last_data_sent < info.tcpi_last_data_recv;
}

typedef struct {
  RcFeedConn *conn;
  guint since_ms;
} Stalled;

static gint
by_silence (gconstpointer a, gconstpointer b)
{
  const Stalled *x = a, *y = b;

  return (x->since_ms < y->since_ms) - (x->since_ms > y->since_ms); /* longest first */
}

/* The running handshakes to cut so that those waiting get a place, longest silent
 * first: for each waiting handshake that would not run for want of a place (every
 * place taken, or every place of its address), one stalled handshake that frees it (of
 * its own address if that is what is full). A stalled handshake that no one waits for
 * is not cut: a slow client's is given its chance, and its deadline ends the others. */
static GPtrArray *
stalled_in_the_way (RcFeedListener *self)
{
  g_autoptr (GArray) stalled = g_array_new (FALSE, FALSE, sizeof (Stalled));
  g_autoptr (GHashTable) per_address = count_by_address (self, FALSE);
  GPtrArray *cut = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_feed_conn_unref);
  guint running = self->running.length;

  for (GList *l = self->running.head; l != NULL; l = l->next)
    {
      Stalled s = { l->data, 0 };

      if (server_spoke_last (s.conn, &s.since_ms) && s.since_ms >= RC_FEED_TLS_HANDSHAKE_GRACE_MS)
        g_array_append_val (stalled, s);
    }
  g_array_sort (stalled, by_silence);
  for (GList *l = self->queued.tail; l != NULL && stalled->len > 0; l = l->prev)
    {
      const char *address = ((RcFeedConn *) l->data)->address;
      gboolean address_full = GPOINTER_TO_UINT (g_hash_table_lookup (per_address, address))
                              >= RC_FEED_TLS_HANDSHAKES_PER_ADDRESS;
      RcFeedConn *victim;
      guint i = 0;

      if (!address_full && running < RC_FEED_TLS_HANDSHAKES_MAX)
        running++; /* it runs without a cut */
      else
        {
          while (i < stalled->len && address_full
                 && strcmp (g_array_index (stalled, Stalled, i).conn->address, address) != 0)
            i++;
          if (i == stalled->len)
            continue; /* it waits for a place of its own address */
          victim = g_array_index (stalled, Stalled, i).conn;
          g_array_remove_index (stalled, i);
          g_ptr_array_add (cut, rc_feed_conn_ref (victim));
          add_count (per_address, victim->address, -1);
        }
      add_count (per_address, address, +1);
    }
  return cut;
}

static gboolean
on_stall_check (gpointer data)
{
  RcFeedListener *self = data;

  rc_feed_listener_cut_stalled (self, g_get_monotonic_time ());
  return self->stall_check_id != 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* At most RC_FEED_TLS_HANDSHAKES_MAX handshakes run at once, and
 * RC_FEED_TLS_HANDSHAKES_PER_ADDRESS of one address (each holds one of GLib's worker
 * threads while it waits for the client); the others wait for a place (next_queued).
 * A client answers the server's part of a handshake within one round trip: while
 * others wait for its place, a handshake whose client has not answered for
 * RC_FEED_TLS_HANDSHAKE_GRACE_MS has stalled, and is cut, only as many as those
 * waiting need, the longest silent first (stalled_in_the_way). A handshake, waiting or
 * running, ends within RC_FEED_TLS_HANDSHAKE_MS of its hello. A client that answers
 * is never cut for having waited, and one that comes after a flood of stalled clients
 * waits at most for one of them to be cut. Checked at every new handshake, and every
 * 25 ms while some wait. */
void
rc_feed_listener_cut_stalled (RcFeedListener *self, gint64 now)
{
  gint64 limit = (gint64) RC_FEED_TLS_HANDSHAKE_MS * 1000;
  g_autoptr (GPtrArray) stalled = NULL;
  g_autoptr (GPtrArray) late = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_feed_conn_unref);

  for (GList *l = self->queued.head; l != NULL; l = l->next)
    {
      RcFeedConn *conn = l->data;

      if (now - conn->handshake_started <= limit)
        break; /* the rest came later */
      g_ptr_array_add (late, rc_feed_conn_ref (conn));
    }
  if (late->len > 0)
    rc_feed_log ("feed: %u TLS handshakes cut: they waited %.1f s for a place (first: %s); "
                 "%u running, %u waiting",
                 late->len, limit / 1e6, ((RcFeedConn *) late->pdata[0])->peer,
                 self->running.length, self->queued.length);
  for (guint i = 0; i < late->len; i++)
    {
      stop_counting (self, late->pdata[i]);
      rc_feed_conn_drop (late->pdata[i]);
    }
  stalled = stalled_in_the_way (self);
  if (stalled->len > 0)
    rc_feed_log ("feed: %u TLS handshakes cut: their clients did not answer the server "
                 "for %.2f s (first: %s); %u running, %u waiting",
                 stalled->len, RC_FEED_TLS_HANDSHAKE_GRACE_MS / 1e3,
                 ((RcFeedConn *) stalled->pdata[0])->peer, self->running.length,
                 self->queued.length);
  for (guint i = 0; i < stalled->len; i++)
    {
      stop_counting (self, stalled->pdata[i]);
      rc_feed_conn_shut (stalled->pdata[i]); /* ends in on_handshake_done */
    }
  run_queued (self);
  if (self->closed || self->queued.length == 0)
    g_clear_handle_id (&self->stall_check_id, g_source_remove);
  else if (self->stall_check_id == 0)
    self->stall_check_id = g_timeout_add (25, on_stall_check, self);
}

/* Refuses a client that speaks plain HTTP to a TLS port, in words it can read. */
static void
refuse_plain (RcFeedConn *conn)
{
  static const char body[]
    = "{\"v\":1,\"error\":{\"code\":\"bad-request\",\"message\":\"this port speaks TLS: use "
      "https:// or wss://\"}}";
  g_autofree char *answer = g_strdup_printf (
    "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
    "Cache-Control: no-store\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n%s",
    strlen (body), body);

  rc_feed_log ("feed: %s: request refused (400 bad-request): plain HTTP on a TLS port", conn->peer);
  (void) !send (g_socket_get_fd (conn->socket), answer, strlen (answer),
                MSG_DONTWAIT | MSG_NOSIGNAL);
  rc_feed_conn_drop (conn);
}

static gboolean look_at_hello (gpointer data);

static gboolean
on_hello_readable (GSocket *socket, GIOCondition condition, gpointer data)
{
  return look_at_hello (data);
}

static void
wait_for_hello (RcFeedConn *conn, gboolean more_of_it)
{
  if (!more_of_it)
    {
      conn->hello_source = g_socket_create_source (conn->socket, G_IO_IN, NULL);
      g_source_set_callback (conn->hello_source, G_SOURCE_FUNC (on_hello_readable), conn, NULL);
      g_source_attach (conn->hello_source, NULL);
      return;
    }
  /* Part of the hello is there: the socket stays readable, so a timer, not a watch,
   * says when to look again. */
  conn->hello_delay = CLAMP (conn->hello_delay * 2, 10, 400);
  conn->hello_retry_id = g_timeout_add (conn->hello_delay, look_at_hello, conn);
}

/* The hello's record is there whole: only then is a worker thread given to it. */
static gboolean
look_at_hello (gpointer data)
{
  RcFeedConn *conn = data;
  guchar header[5];
  int available = 0;
  gssize n;

  /* Whichever called, it is done. */
  if (conn->hello_source != NULL)
    {
      g_source_destroy (conn->hello_source);
      g_clear_pointer (&conn->hello_source, g_source_unref);
    }
  conn->hello_retry_id = 0;

  n = recv (g_socket_get_fd (conn->socket), header, sizeof header, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    {
      wait_for_hello (conn, FALSE);
      return G_SOURCE_REMOVE;
    }
  if (n <= 0)
    {
      rc_feed_conn_drop (conn);
      return G_SOURCE_REMOVE;
    }
  if (header[0] != 0x16)
    {
      if (g_ascii_isupper (header[0]))
        refuse_plain (conn);
      else
        {
          rc_feed_log ("feed: %s: not a TLS handshake; dropped", conn->peer);
          rc_feed_conn_drop (conn);
        }
      return G_SOURCE_REMOVE;
    }
  if (n < (gssize) sizeof header
      || ioctl (g_socket_get_fd (conn->socket), FIONREAD, &available) != 0
      || available < 5 + ((header[3] << 8) | header[4]))
    {
      if (n == (gssize) sizeof header && ((header[3] << 8) | header[4]) > TLS_RECORD_MAX)
        {
          rc_feed_log ("feed: %s: not a TLS handshake; dropped", conn->peer);
          rc_feed_conn_drop (conn);
          return G_SOURCE_REMOVE;
        }
      wait_for_hello (conn, TRUE);
      return G_SOURCE_REMOVE;
    }
  start_handshake (conn);
  return G_SOURCE_REMOVE;
}

void
rc_feed_conn_start_tls (RcFeedConn *conn)
{
  conn->phase = PHASE_HELLO;
  wait_for_hello (conn, FALSE);
}

void
rc_feed_conn_drop_waiting (RcFeedConn *conn)
{
  g_assert (conn->phase == PHASE_HELLO || conn->phase == PHASE_QUEUED);
  if (conn->listener != NULL)
    stop_counting (conn->listener, conn);
  rc_feed_conn_drop (conn);
}
