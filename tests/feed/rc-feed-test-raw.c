/* rc-feed-test-raw.c — a raw TCP client for the feed tests: it sends a request by
 * hand and reads only when asked (a client that stalls, or that never answers a
 * ping): rc-feed-test-util.h. */
#include "rc-feed-test-util.h"

#include <string.h>
#include <sys/socket.h>

struct _RcTestRaw {
  GSocketConnection *connection;
  GCancellable *cancellable;
  GByteArray *in;
  gsize head_end; /* offset of the body, once the head was read */
  gsize frame_offset;
  gboolean reading;
  gboolean ended;
  guchar buffer[64 * 1024];
};

static void
raw_parse_url (const char *base_url, char **host, int *port)
{
  g_autoptr (GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  *host = g_strdup (g_uri_get_host (uri));
  *port = g_uri_get_port (uri);
  g_assert_cmpint (*port, >, 0);
}

RcTestRaw *
rc_test_raw_open (const char *base_url, const char *request, int rcvbuf)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *host = NULL;
  g_autoptr (GInetAddress) address = NULL;
  g_autoptr (GSocketAddress) socket_address = NULL;
  g_autoptr (GSocket) socket = NULL;
  RcTestRaw *raw = g_new0 (RcTestRaw, 1);
  int port;

  raw_parse_url (base_url, &host, &port);
  address = g_inet_address_new_from_string (host);
  g_assert_nonnull (address);
  socket_address = g_inet_socket_address_new (address, port);
  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  /* Before connecting, so that the window the client offers is small from the start. */
  if (rcvbuf > 0)
    {
      g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, rcvbuf, &error);
      g_assert_no_error (error);
    }
  /* Loopback: the kernel completes the connection before the server accepts it. */
  g_socket_connect (socket, socket_address, NULL, &error);
  g_assert_no_error (error);
  raw->connection = g_socket_connection_factory_create_connection (socket);
  raw->cancellable = g_cancellable_new ();
  raw->in = g_byte_array_new ();
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (raw->connection)), request,
                             strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  return raw;
}

void
rc_test_raw_free (RcTestRaw *raw)
{
  if (raw == NULL)
    return;
  g_cancellable_cancel (raw->cancellable);
  /* A read in flight writes into raw: it must end before the memory goes. */
  if (raw->reading)
    RC_TEST_WAIT_FOR (!raw->reading);
  g_io_stream_close (G_IO_STREAM (raw->connection), NULL, NULL);
  g_object_unref (raw->connection);
  g_object_unref (raw->cancellable);
  g_byte_array_unref (raw->in);
  g_free (raw);
}

char *
rc_test_raw_ws_request (const char *base_url, gboolean with_protocol)
{
  g_autofree char *host = NULL;
  int port;

  raw_parse_url (base_url, &host, &port);
  return g_strdup_printf ("GET /v1/feed HTTP/1.1\r\n"
                          "Host: %s:%d\r\n"
                          "Upgrade: websocket\r\n"
                          "Connection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\n"
                          "%s"
                          "\r\n",
                          host, port,
                          with_protocol ? "Sec-WebSocket-Protocol: rollcall.v1\r\n" : "");
}

static void
raw_read_done (GObject *source, GAsyncResult *result, gpointer data)
{
  RcTestRaw *raw = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  /* An error (the server reset the connection) ends it as surely as EOF. */
  if (n <= 0)
    raw->ended = TRUE;
  else if (!g_cancellable_is_cancelled (raw->cancellable))
    g_byte_array_append (raw->in, raw->buffer, n);
  raw->reading = FALSE;
}

/* Reads once more; FALSE at the end of the connection. */
static gboolean
raw_read_more (RcTestRaw *raw)
{
  if (raw->ended)
    return FALSE;
  raw->reading = TRUE;
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (raw->connection)),
                             raw->buffer, sizeof raw->buffer, G_PRIORITY_DEFAULT, raw->cancellable,
                             raw_read_done, raw);
  RC_TEST_WAIT_FOR (!raw->reading);
  return !raw->ended;
}

guint
rc_test_raw_read_status (RcTestRaw *raw)
{
  const char *end = NULL;
  guint status = 0;

  while (raw->in->len == 0
         || (end = g_strstr_len ((const char *) raw->in->data, raw->in->len, "\r\n\r\n")) == NULL)
    if (!raw_read_more (raw))
      g_error ("the connection ended before the response head");
  raw->head_end = (end + 4) - (const char *) raw->in->data;
  raw->frame_offset = raw->head_end;
  g_assert_true (raw->in->len > 12 && memcmp (raw->in->data, "HTTP/1.1 ", 9) == 0);
  status = g_ascii_strtoull ((const char *) raw->in->data + 9, NULL, 10);
  return status;
}

GBytes *
rc_test_raw_read_to_end (RcTestRaw *raw)
{
  while (raw_read_more (raw))
    ;
  return g_bytes_new (raw->in->data + raw->head_end, raw->in->len - raw->head_end);
}

gushort
rc_test_raw_read_ws_close (RcTestRaw *raw)
{
  for (;;)
    {
      const guchar *p = raw->in->data + raw->frame_offset;
      gsize available = raw->in->len - raw->frame_offset;
      gsize header = 2;
      guint64 length;

      if (available >= 2)
        {
          length = p[1] & 0x7f;
          if (length == 126)
            header = 4;
          else if (length == 127)
            header = 10;
          if (available >= header)
            {
              if (header == 4)
                length = (p[2] << 8) | p[3];
              else if (header == 10)
                {
                  length = 0;
                  for (int i = 2; i < 10; i++)
                    length = (length << 8) | p[i];
                }
              g_assert_false (p[1] & 0x80); /* a server does not mask */
              if (available >= header + length)
                {
                  if ((p[0] & 0x0f) == 0x8)
                    return length >= 2 ? (p[header] << 8) | p[header + 1] : 0;
                  raw->frame_offset += header + length;
                  continue;
                }
            }
        }
      if (!raw_read_more (raw))
        return 0;
    }
}
