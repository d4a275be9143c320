/* bench-subscribers.c — many subscribers of a feed in one process, for the fan-out
 * benchmark (bench-feed-fanout.c): what the public's browsers and the hall's boards
 * are to a server, at the cost of a few kilobytes each.
 *
 *   bench-subscribers sse|ws http://HOST:PORT N LAST-SEQ [SECONDS]
 *
 * Opens N connections to /v1/events (Server-Sent Events) or /v1/feed (WebSocket,
 * subprotocol rollcall.v1), at most CONNECTING at a time, with epoll and plain sockets:
 * libsoup would take more of the machine than the server it measures. It reads what
 * the protocol needs to tell one message from the next (HTTP chunks, SSE data lines,
 * WebSocket frames; pings are answered), and of each message only its type and seq
 * (docs/feed-protocol.md §3–4): nothing is decoded further.
 *
 * It prints, on standard output:
 *   ready OPEN FAILED MICROSECONDS   every connection answered (or failed), and how long
 *                                    that took from the start
 *   seq SEQ TIME COUNT               per event seq: the monotonic time at which the
 *                                    last of its subscribers received it, and how many did
 *   done DONE FAILED GAPS REPEATS HWM-KB CPU-MS
 * once every subscriber has LAST-SEQ (or has failed, or SECONDS passed: 120). GAPS and
 * REPEATS count events a subscriber received out of order after its first: a seq past
 * its last + 1, or not past its last. Exits 0 when every subscriber got LAST-SEQ. */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rc-bench-util.h"

#define CONNECTING 256
#define MAX_MESSAGE (1024 * 1024 + 64)

typedef enum { ST_CONNECTING, ST_HEAD, ST_BODY, ST_DEAD } State;
typedef enum { CH_SIZE, CH_DATA, CH_CRLF } ChunkState;

typedef struct {
  int fd;
  State state;
  GByteArray *in;   /* received, not yet taken */
  gboolean chunked; /* SSE: the body in HTTP chunks */
  ChunkState chunk_state;
  guint64 chunk_left;
  GByteArray *body;  /* SSE: de-chunked, not yet a whole line */
  GByteArray *frame; /* WebSocket: a fragmented message so far */
  gint64 seq;        /* the last event received, 0 before the first */
  gboolean done;
} Conn;

static gboolean ws;
static const char *host_header;
static struct sockaddr_storage addr;
static socklen_t addr_len;
static int epfd;
static Conn *conns;
static guint n_conns, n_started, n_connecting, n_answered, n_failed, n_done;
static guint64 n_gaps, n_repeats;
static gint64 last_seq;
static GArray *last_recv; /* gint64 per seq */
static GArray *n_recv;    /* guint per seq */

static void
fail (Conn *c, const char *why)
{
  if (c->state == ST_DEAD)
    return;
  if (!c->done)
    {
      /* A few lines are enough to say why. */
      if (n_failed < 5)
        g_printerr ("bench-subscribers: a subscriber at seq %" G_GINT64_FORMAT ": %s\n", c->seq,
                    why);
      if (c->state == ST_CONNECTING || c->state == ST_HEAD)
        {
          n_answered++;
          if (c->state == ST_CONNECTING)
            n_connecting--;
        }
      n_failed++;
    }
  c->state = ST_DEAD;
  epoll_ctl (epfd, EPOLL_CTL_DEL, c->fd, NULL);
  close (c->fd);
  g_clear_pointer (&c->in, g_byte_array_unref);
  g_clear_pointer (&c->body, g_byte_array_unref);
  g_clear_pointer (&c->frame, g_byte_array_unref);
}

static const char *
find (const char *text, gsize len, const char *what)
{
  return g_strstr_len (text, MIN (len, 256), what);
}

/* One whole message (a JSON object): its type and seq, nothing more. */
static void
on_message (Conn *c, const char *text, gsize len)
{
  gint64 now = g_get_monotonic_time ();
  const char *type = find (text, len, "\"type\":\"");
  const char *seq_at = find (text, len, "\"seq\":");
  gint64 seq;

  if (type == NULL || seq_at == NULL)
    return;
  type += strlen ("\"type\":\"");
  if (g_str_has_prefix (type, "snapshot"))
    {
      c->seq = g_ascii_strtoll (seq_at + strlen ("\"seq\":"), NULL, 10);
      return;
    }
  if (g_str_has_prefix (type, "heartbeat"))
    return;
  seq = g_ascii_strtoll (seq_at + strlen ("\"seq\":"), NULL, 10);
  if (seq <= 0 || seq > last_seq + 1000)
    return;
  if (c->seq > 0 && seq > c->seq + 1)
    n_gaps++;
  if (c->seq > 0 && seq <= c->seq)
    {
      n_repeats++;
      return;
    }
  c->seq = seq;
  g_array_index (last_recv, gint64, seq) = MAX (g_array_index (last_recv, gint64, seq), now);
  g_array_index (n_recv, guint, seq)++;
  if (seq >= last_seq && !c->done)
    {
      c->done = TRUE;
      n_done++;
    }
}

/* SSE: whole lines of the de-chunked body; a `data:` line is a message (the feed's JSON
 * is one line). */
static void
take_lines (Conn *c)
{
  gsize start = 0;
  const guint8 *nl;

  while ((nl = memchr (c->body->data + start, '\n', c->body->len - start)) != NULL)
    {
      const char *line = (const char *) c->body->data + start;
      gsize len = (const char *) nl - line;

      if (len > 0 && line[len - 1] == '\r')
        len--;
      if (len >= 5 && memcmp (line, "data:", 5) == 0)
        {
          gsize skip = len > 5 && line[5] == ' ' ? 6 : 5;
          on_message (c, line + skip, len - skip);
        }
      start = (const guint8 *) nl + 1 - c->body->data;
    }
  g_byte_array_remove_range (c->body, 0, start);
  if (c->body->len > MAX_MESSAGE)
    fail (c, "an SSE line over 1 MiB");
}

static void
take_sse (Conn *c)
{
  gsize pos = 0;

  if (!c->chunked)
    {
      g_byte_array_append (c->body, c->in->data, c->in->len);
      g_byte_array_set_size (c->in, 0);
      take_lines (c);
      return;
    }
  while (pos < c->in->len && c->state == ST_BODY)
    {
      const guint8 *p = c->in->data + pos;
      gsize avail = c->in->len - pos;

      if (c->chunk_state == CH_SIZE)
        {
          const guint8 *nl = memchr (p, '\n', avail);

          if (nl == NULL)
            break;
          c->chunk_left = g_ascii_strtoull ((const char *) p, NULL, 16);
          pos += nl + 1 - p;
          if (c->chunk_left == 0)
            {
              fail (c, "the response ended");
              return;
            }
          c->chunk_state = CH_DATA;
        }
      else if (c->chunk_state == CH_DATA)
        {
          gsize n = MIN (avail, c->chunk_left);

          g_byte_array_append (c->body, p, n);
          pos += n;
          c->chunk_left -= n;
          if (c->chunk_left == 0)
            c->chunk_state = CH_CRLF;
        }
      else
        {
          const guint8 *nl = memchr (p, '\n', avail);

          if (nl == NULL)
            break;
          pos += nl + 1 - p;
          c->chunk_state = CH_SIZE;
        }
    }
  if (c->state != ST_BODY)
    return;
  g_byte_array_remove_range (c->in, 0, pos);
  take_lines (c);
}

static void
send_frame (Conn *c, guint8 opcode, const guint8 *payload, gsize len)
{
  guint8 frame[6 + 125];
  const guint8 mask[4] = { 0x12, 0x34, 0x56, 0x78 };

  len = MIN (len, 125);
  frame[0] = 0x80 | opcode;
  frame[1] = 0x80 | (guint8) len;
  memcpy (frame + 2, mask, 4);
  for (gsize i = 0; i < len; i++)
    frame[6 + i] = payload[i] ^ mask[i % 4];
  /* A pong that does not fit now is lost; the server's next ping asks again. */
  if (send (c->fd, frame, 6 + len, MSG_NOSIGNAL) < 0 && errno != EAGAIN)
    fail (c, "sending a pong failed");
}

static void
take_ws (Conn *c)
{
  gsize pos = 0;

  while (c->state == ST_BODY)
    {
      const guint8 *p = c->in->data + pos;
      gsize avail = c->in->len - pos, head = 2;
      guint64 len;
      guint8 opcode;
      gboolean fin;

      if (avail < 2)
        break;
      fin = (p[0] & 0x80) != 0;
      opcode = p[0] & 0x0f;
      len = p[1] & 0x7f;
      if (p[1] & 0x80)
        {
          fail (c, "a masked frame from the server");
          return;
        }
      if (len == 126)
        {
          if (avail < 4)
            break;
          len = (guint64) p[2] << 8 | p[3];
          head = 4;
        }
      else if (len == 127)
        {
          if (avail < 10)
            break;
          len = 0;
          for (int i = 0; i < 8; i++)
            len = len << 8 | p[2 + i];
          head = 10;
        }
      if (len > MAX_MESSAGE)
        {
          fail (c, "a frame over 1 MiB");
          return;
        }
      if (avail < head + len)
        break;
      p += head;
      pos += head + len;
      if (opcode == 0x9)
        send_frame (c, 0xA, p, len);
      else if (opcode == 0x8)
        fail (c, "the server closed the WebSocket");
      else if (opcode == 0x1 || opcode == 0x0)
        {
          if (fin && c->frame->len == 0)
            on_message (c, (const char *) p, len);
          else
            {
              g_byte_array_append (c->frame, p, len);
              if (fin)
                {
                  on_message (c, (const char *) c->frame->data, c->frame->len);
                  g_byte_array_set_size (c->frame, 0);
                }
            }
        }
    }
  if (c->state == ST_BODY)
    g_byte_array_remove_range (c->in, 0, pos);
}

static void
take_head (Conn *c)
{
  const guint8 *end = NULL;
  g_autofree char *head = NULL;
  gsize head_len;

  for (gsize i = 3; i < c->in->len; i++)
    if (memcmp (c->in->data + i - 3, "\r\n\r\n", 4) == 0)
      {
        end = c->in->data + i + 1;
        break;
      }
  if (end == NULL)
    {
      if (c->in->len > 64 * 1024)
        fail (c, "a response head over 64 KiB");
      return;
    }
  head_len = end - c->in->data;
  head = g_ascii_strdown ((const char *) c->in->data, head_len);
  if (!g_str_has_prefix (head, ws ? "http/1.1 101" : "http/1.1 200"))
    {
      g_autofree char *line = g_strndup (head, strcspn (head, "\r\n"));
      g_autofree char *why = g_strdup_printf ("answered %s", line);

      fail (c, why);
      return;
    }
  c->chunked = strstr (head, "\r\ntransfer-encoding: chunked") != NULL;
  g_byte_array_remove_range (c->in, 0, head_len);
  c->state = ST_BODY;
  n_answered++;
  if (ws)
    {
      c->frame = g_byte_array_new ();
      take_ws (c);
    }
  else
    {
      c->body = g_byte_array_new ();
      take_sse (c);
    }
}

static void
start_one (void)
{
  Conn *c = &conns[n_started++];
  struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = c };

  c->fd = socket (addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  c->state = ST_CONNECTING;
  c->in = g_byte_array_new ();
  n_connecting++;
  if (c->fd < 0)
    {
      c->fd = -1;
      fail (c, g_strerror (errno));
      return;
    }
  if (connect (c->fd, (struct sockaddr *) &addr, addr_len) < 0 && errno != EINPROGRESS)
    {
      fail (c, g_strerror (errno));
      return;
    }
  epoll_ctl (epfd, EPOLL_CTL_ADD, c->fd, &ev);
}

static void
on_writable (Conn *c)
{
  int err = 0;
  socklen_t len = sizeof err;
  g_autofree char *request = NULL;
  struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

  getsockopt (c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0)
    {
      fail (c, g_strerror (err));
      return;
    }
  if (ws)
    request
      = g_strdup_printf ("GET /v1/feed HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                         "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: rollcall.v1\r\n\r\n",
                         host_header);
  else
    request = g_strdup_printf (
      "GET /v1/events HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n", host_header);
  /* A request this small goes whole into a new socket's buffer. */
  if (send (c->fd, request, strlen (request), MSG_NOSIGNAL) != (gssize) strlen (request))
    {
      fail (c, "sending the request failed");
      return;
    }
  c->state = ST_HEAD;
  n_connecting--;
  epoll_ctl (epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void
on_readable (Conn *c)
{
  guint8 buf[64 * 1024];

  for (;;)
    {
      gssize n = recv (c->fd, buf, sizeof buf, 0);

      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          fail (c, n == 0 ? "the server closed the connection" : g_strerror (errno));
          return;
        }
      g_byte_array_append (c->in, buf, n);
      if (c->state == ST_HEAD)
        take_head (c);
      else if (c->state == ST_BODY)
        {
          if (ws)
            take_ws (c);
          else
            take_sse (c);
        }
      if (c->state == ST_DEAD)
        return;
      if ((gsize) n < sizeof buf)
        return;
    }
}

static gboolean
resolve (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
  g_autofree char *port = NULL;

  if (uri == NULL || g_uri_get_port (uri) <= 0)
    return FALSE;
  port = g_strdup_printf ("%d", g_uri_get_port (uri));
  if (getaddrinfo (g_uri_get_host (uri), port, &hints, &res) != 0)
    return FALSE;
  memcpy (&addr, res->ai_addr, res->ai_addrlen);
  addr_len = res->ai_addrlen;
  freeaddrinfo (res);
  host_header = g_strdup_printf ("%s:%s", g_uri_get_host (uri), port);
  return TRUE;
}

int
main (int argc, char **argv)
{
  struct rlimit rl;
  struct rusage ru;
  gint64 start, deadline;
  guint64 n;
  gboolean ready_said = FALSE;

  if (argc < 5 || argc > 6 || (g_strcmp0 (argv[1], "sse") != 0 && g_strcmp0 (argv[1], "ws") != 0))
    {
      g_printerr ("usage: bench-subscribers sse|ws http://HOST:PORT N LAST-SEQ [SECONDS]\n");
      return 2;
    }
  ws = g_str_equal (argv[1], "ws");
  if (!resolve (argv[2]))
    {
      g_printerr ("bench-subscribers: not a URL with a host and a port: %s\n", argv[2]);
      return 2;
    }
  n = g_ascii_strtoull (argv[3], NULL, 10);
  last_seq = g_ascii_strtoll (argv[4], NULL, 10);
  if (n == 0 || n > 100000 || last_seq <= 0)
    {
      g_printerr ("bench-subscribers: N from 1 to 100000, LAST-SEQ over 0\n");
      return 2;
    }
  n_conns = (guint) n;
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
    {
      rl.rlim_cur = rl.rlim_max;
      setrlimit (RLIMIT_NOFILE, &rl);
    }
  last_recv = g_array_new (FALSE, TRUE, sizeof (gint64));
  n_recv = g_array_new (FALSE, TRUE, sizeof (guint));
  g_array_set_size (last_recv, last_seq + 1001);
  g_array_set_size (n_recv, last_seq + 1001);
  conns = g_new0 (Conn, n_conns);
  epfd = epoll_create1 (EPOLL_CLOEXEC);
  start = g_get_monotonic_time ();
  deadline = start + (argc == 6 ? g_ascii_strtoll (argv[5], NULL, 10) : 120) * G_USEC_PER_SEC;

  while (n_done + n_failed < n_conns && g_get_monotonic_time () < deadline)
    {
      struct epoll_event events[256];
      int k;

      while (n_started < n_conns && n_connecting < CONNECTING)
        start_one ();
      if (!ready_said && n_answered == n_conns)
        {
          printf ("ready %u %u %" G_GINT64_FORMAT "\n", n_conns - n_failed, n_failed,
                  g_get_monotonic_time () - start);
          fflush (stdout);
          ready_said = TRUE;
        }
      k = epoll_wait (epfd, events, G_N_ELEMENTS (events), 100);
      for (int i = 0; i < k; i++)
        {
          Conn *c = events[i].data.ptr;

          if (c->state == ST_CONNECTING)
            on_writable (c);
          else if (c->state != ST_DEAD)
            on_readable (c);
        }
    }
  if (!ready_said)
    {
      printf ("ready %u %u %" G_GINT64_FORMAT "\n", n_answered - n_failed,
              n_failed + n_conns - n_answered, g_get_monotonic_time () - start);
    }
  for (gint64 seq = 1; seq < (gint64) last_recv->len; seq++)
    if (g_array_index (n_recv, guint, seq) > 0)
      printf ("seq %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %u\n", seq,
              g_array_index (last_recv, gint64, seq), g_array_index (n_recv, guint, seq));
  getrusage (RUSAGE_SELF, &ru);
  printf ("done %u %u %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GINT64_FORMAT " %ld\n",
          n_done, n_conns - n_done, n_gaps, n_repeats, rc_bench_status_kb ("VmHWM"),
          (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000
            + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000);
  fflush (stdout);
  return n_done == n_conns ? 0 : 1;
}
