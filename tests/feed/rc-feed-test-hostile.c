/* rc-feed-test-hostile.c — a feed server played by an attacker (rc-feed-test-hostile.h).
 *
 * One thread accepts; each connection gets a thread of its own that reads the request's
 * head and runs the script with blocking I/O. Freeing the peer cancels every read,
 * write and pause, and joins every thread. */
#include "rc-feed-test-hostile.h"

#include <string.h>
#include <sys/socket.h>

#define HEAD_MAX (64 * 1024)
#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

struct _RcHostile {
  RcHostileScript script;
  gpointer data;
  GSocketListener *listener;
  guint16 port;
  GCancellable *cancellable;
  GThread *acceptor;

  GMutex lock;
  GPtrArray *threads;   /* of GThread, joined when the peer is freed */
  GArray *connected_at; /* of gint64 */
  GPtrArray *requests;  /* each connection's request head, "" until it came */
  guint64 bytes_sent;
};

struct _RcHostileConn {
  RcHostile *peer;
  guint index;
  GSocketConnection *connection;
  GSocket *socket;
  char *request;
  gboolean websocket;
  char *key;
};

/* ---------------------------------------------------------------- one connection */

static gboolean
read_head (RcHostileConn *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn->connection));
  g_autoptr (GString) head = g_string_new (NULL);
  g_auto (GStrv) lines = NULL;

  /* A byte at a time: what follows the head is the script's business. */
  while (head->len < HEAD_MAX && !g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      char c;

      if (g_input_stream_read (in, &c, 1, conn->peer->cancellable, NULL) != 1)
        return FALSE;
      g_string_append_c (head, c);
    }
  conn->request = g_string_free (g_steal_pointer (&head), FALSE);
  g_mutex_lock (&conn->peer->lock);
  g_free (g_ptr_array_index (conn->peer->requests, conn->index));
  g_ptr_array_index (conn->peer->requests, conn->index) = g_strdup (conn->request);
  g_mutex_unlock (&conn->peer->lock);
  lines = g_strsplit (conn->request, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "Sec-WebSocket-Key:", 18) == 0)
      {
        conn->websocket = TRUE;
        conn->key = g_strstrip (g_strdup (lines[i] + 18));
      }
  return TRUE;
}

static gpointer
run_connection (gpointer data)
{
  RcHostileConn *conn = data;

  if (read_head (conn))
    conn->peer->script (conn, conn->peer->data);
  g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
  g_object_unref (conn->connection);
  g_free (conn->request);
  g_free (conn->key);
  g_free (conn);
  return NULL;
}

static gpointer
accept_loop (gpointer data)
{
  RcHostile *h = data;

  for (;;)
    {
      GSocketConnection *connection =
        g_socket_listener_accept (h->listener, NULL, h->cancellable, NULL);
      RcHostileConn *conn;
      gint64 now = g_get_monotonic_time ();

      if (connection == NULL)
        return NULL;
      conn = g_new0 (RcHostileConn, 1);
      conn->peer = h;
      conn->connection = connection;
      conn->socket = g_socket_connection_get_socket (connection);
      g_mutex_lock (&h->lock);
      conn->index = h->connected_at->len;
      g_array_append_val (h->connected_at, now);
      g_ptr_array_add (h->requests, g_strdup (""));
      g_ptr_array_add (h->threads, g_thread_new ("hostile-conn", run_connection, conn));
      g_mutex_unlock (&h->lock);
    }
}

/* ---------------------------------------------------------------- the peer */

RcHostile *
rc_hostile_new_full (RcHostileScript script, gpointer data, int receive_buffer)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GSocket) socket = NULL;
  RcHostile *h = g_new0 (RcHostile, 1);

  h->script = script;
  h->data = data;
  h->cancellable = g_cancellable_new ();
  h->threads = g_ptr_array_new ();
  h->connected_at = g_array_new (FALSE, FALSE, sizeof (gint64));
  h->requests = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&h->lock);
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  /* Accepted connections inherit it: set before they are made. */
  if (receive_buffer > 0)
    {
      g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, receive_buffer, &error);
      g_assert_no_error (error);
    }
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  h->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  h->listener = g_socket_listener_new ();
  g_socket_listener_add_socket (h->listener, socket, NULL, &error);
  g_assert_no_error (error);
  h->acceptor = g_thread_new ("hostile-accept", accept_loop, h);
  return h;
}

RcHostile *
rc_hostile_new (RcHostileScript script, gpointer data)
{
  return rc_hostile_new_full (script, data, 0);
}

void
rc_hostile_free (RcHostile *h)
{
  if (h == NULL)
    return;
  g_cancellable_cancel (h->cancellable);
  g_thread_join (h->acceptor);
  g_socket_listener_close (h->listener);
  /* No thread is added once the acceptor has ended. */
  for (guint i = 0; i < h->threads->len; i++)
    g_thread_join (g_ptr_array_index (h->threads, i));
  g_ptr_array_unref (h->threads);
  g_array_unref (h->connected_at);
  g_ptr_array_unref (h->requests);
  g_object_unref (h->listener);
  g_object_unref (h->cancellable);
  g_mutex_clear (&h->lock);
  g_free (h);
}

char *
rc_hostile_url (RcHostile *h, const char *scheme)
{
  return g_strdup_printf ("%s://127.0.0.1:%u", scheme, h->port);
}

guint
rc_hostile_connections (RcHostile *h)
{
  guint n;

  g_mutex_lock (&h->lock);
  n = h->connected_at->len;
  g_mutex_unlock (&h->lock);
  return n;
}

guint64
rc_hostile_bytes_sent (RcHostile *h)
{
  guint64 n;

  g_mutex_lock (&h->lock);
  n = h->bytes_sent;
  g_mutex_unlock (&h->lock);
  return n;
}

gint64
rc_hostile_connected_at (RcHostile *h, guint i)
{
  gint64 t;

  g_mutex_lock (&h->lock);
  g_assert_cmpuint (i, <, h->connected_at->len);
  t = g_array_index (h->connected_at, gint64, i);
  g_mutex_unlock (&h->lock);
  return t;
}

/* ---------------------------------------------------------------- in a script */

char *
rc_hostile_request (RcHostile *h, guint i)
{
  char *request;

  g_mutex_lock (&h->lock);
  g_assert_cmpuint (i, <, h->requests->len);
  request = g_strdup (g_ptr_array_index (h->requests, i));
  g_mutex_unlock (&h->lock);
  return request;
}

guint
rc_hostile_conn_index (RcHostileConn *conn)
{
  return conn->index;
}

const char *
rc_hostile_conn_request (RcHostileConn *conn)
{
  return conn->request;
}

gboolean
rc_hostile_conn_is_websocket (RcHostileConn *conn)
{
  return conn->websocket;
}

gboolean
rc_hostile_send (RcHostileConn *conn, const void *data, gsize size)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn->connection));
  const guint8 *p = data;

  /* In pieces, so that what the kernel took is counted as it goes. */
  while (size > 0)
    {
      gssize n = g_output_stream_write (out, p, MIN (size, 256 * 1024), conn->peer->cancellable,
                                        NULL);

      if (n <= 0)
        return FALSE;
      g_mutex_lock (&conn->peer->lock);
      conn->peer->bytes_sent += (guint64) n;
      g_mutex_unlock (&conn->peer->lock);
      p += n;
      size -= (gsize) n;
    }
  return TRUE;
}

gboolean
rc_hostile_send_text (RcHostileConn *conn, const char *text)
{
  return rc_hostile_send (conn, text, strlen (text));
}

/* Reads what the client sent, if anything; FALSE once it has gone. */
static gboolean
client_still_there (RcHostileConn *conn)
{
  g_autoptr (GError) error = NULL;
  char scratch[4096];
  gssize n = g_socket_receive_with_blocking (conn->socket, scratch, sizeof scratch, FALSE, NULL,
                                             &error);

  return n > 0 || (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK));
}

gboolean
rc_hostile_pause (RcHostileConn *conn, guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  for (;;)
    {
      gint64 left = until - g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (conn->peer->cancellable))
        return FALSE;
      if (left <= 0)
        return TRUE;
      if (g_socket_condition_timed_wait (conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, left,
                                         conn->peer->cancellable, NULL) &&
          !client_still_there (conn))
        return FALSE;
    }
}

void
rc_hostile_hold (RcHostileConn *conn)
{
  while (rc_hostile_pause (conn, 1000))
    ;
}

gboolean
rc_hostile_accept_ws (RcHostileConn *conn, const char *protocol, const char *extra_headers)
{
  g_autoptr (GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *source = g_strconcat (conn->key != NULL ? conn->key : "", WS_GUID, NULL);
  guint8 digest[20];
  gsize length = sizeof digest;
  g_autofree char *accept = NULL;
  g_autofree char *protocol_line = NULL;
  g_autofree char *answer = NULL;

  g_checksum_update (sha1, (const guchar *) source, -1);
  g_checksum_get_digest (sha1, digest, &length);
  accept = g_base64_encode (digest, length);
  if (protocol != NULL)
    protocol_line = g_strdup_printf ("Sec-WebSocket-Protocol: %s\r\n", protocol);
  answer = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
                            "Upgrade: websocket\r\n"
                            "Connection: Upgrade\r\n"
                            "Sec-WebSocket-Accept: %s\r\n"
                            "%s%s\r\n",
                            accept, protocol_line != NULL ? protocol_line : "",
                            extra_headers != NULL ? extra_headers : "");
  return rc_hostile_send_text (conn, answer);
}

gboolean
rc_hostile_accept_sse (RcHostileConn *conn, const char *content_type, const char *extra_headers)
{
  g_autofree char *answer = g_strdup_printf ("HTTP/1.1 200 OK\r\n"
                                             "Content-Type: %s\r\n"
                                             "Cache-Control: no-store\r\n"
                                             "Connection: close\r\n"
                                             "%s\r\n",
                                             content_type,
                                             extra_headers != NULL ? extra_headers : "");

  return rc_hostile_send_text (conn, answer);
}

gboolean
rc_hostile_accept (RcHostileConn *conn)
{
  if (conn->websocket)
    return rc_hostile_accept_ws (conn, "rollcall.v1", NULL);
  return rc_hostile_accept_sse (conn, "text/event-stream", NULL);
}

void
rc_hostile_append_frame (GByteArray *out, guint8 first, const void *payload, gsize size)
{
  guint8 head[10];
  guint h = 0;

  head[h++] = first;
  if (size < 126)
    head[h++] = (guint8) size;
  else if (size < 65536)
    {
      head[h++] = 126;
      head[h++] = (guint8) (size >> 8);
      head[h++] = (guint8) size;
    }
  else
    {
      head[h++] = 127;
      for (int i = 7; i >= 0; i--)
        head[h++] = (guint8) ((guint64) size >> (8 * i));
    }
  g_byte_array_append (out, head, h);
  if (size > 0)
    g_byte_array_append (out, payload, (guint) size);
}

void
rc_hostile_append_message (RcHostileConn *conn, GByteArray *out, const char *json)
{
  if (conn->websocket)
    rc_hostile_append_frame (out, 0x81, json, strlen (json));
  else
    {
      g_byte_array_append (out, (const guint8 *) "data: ", 6);
      g_byte_array_append (out, (const guint8 *) json, (guint) strlen (json));
      g_byte_array_append (out, (const guint8 *) "\n\n", 2);
    }
}

gboolean
rc_hostile_send_message (RcHostileConn *conn, const char *json)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();

  rc_hostile_append_message (conn, out, json);
  return rc_hostile_send (conn, out->data, out->len);
}
