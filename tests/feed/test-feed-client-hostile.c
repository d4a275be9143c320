/* test-feed-client-hostile.c — RcFeedClient against a feed server an attacker controls
 * (rc-feed-test-hostile.h: a real TCP server on 127.0.0.1 whose scripts write what they
 * like, as fast or as slowly as they like), over WebSocket and Server-Sent Events:
 *
 *  - oversize: one message that never ends (continuation frames; a data: line without
 *    its end; data lines without a blank line), a snapshot of 100,000 members, messages
 *    just under the limit as fast as the socket takes them, nesting 500,000 deep:
 *    refused with a one-line reason, the process's peak memory bounded, and the client
 *    comes back;
 *  - floods: heartbeats as fast as the socket takes them (the client stays live on the
 *    same connection, and a source at GTK's redraw priority keeps running while it
 *    reads), pings whose answers the server never reads, a good snapshot followed by
 *    garbage every time (the back-off holds: the server is not asked again and again);
 *  - drips: a heartbeat a byte at a time (stale, then reconnects), a handshake's answer
 *    a byte at a time, a TLS server that never answers (abandoned after 10 s, tried
 *    again, never live);
 *  - handshakes answered with junk: not HTTP, HTML, a 101 without the subprotocol, with
 *    a wrong key or an extension never offered, redirects (never followed), huge
 *    headers, a compressed event stream;
 *  - stream ids holding line ends: reasons stay on one line.
 *
 * Intervals are 1/20 of the protocol's (ROLLCALL_FEED_TEST_TIMING=fast), except the
 * 10 s a connection attempt may take. */
#include <stdio.h>
#include <string.h>

#include "feed-client-sub.h"
#include "codec/rc-codec.h"
#include "model/rc-snapshot.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-hostile.h"

#define MiB (1024 * 1024)
#define SEQ 7 /* the snapshot the scripts send holds seq 1…7 */

#ifdef __SANITIZE_ADDRESS__
/* AddressSanitizer keeps freed memory in quarantine (256 MB by default), which would
 * make the peak resident memory of this process say nothing about what the client
 * holds; even with a small one, its shadow and red zones cost more. */
const char *__asan_default_options (void);
const char *
__asan_default_options (void)
{
  return "quarantine_size_mb=8";
}
#define BIG_MESSAGES_PEAK_KIB (96 * 1024)
#else
/* What the client may hold at once (8 MiB), a message being read, the sockets'
 * buffers, the allocator's slack. */
#define BIG_MESSAGES_PEAK_KIB (64 * 1024)
#endif

/* ---------------------------------------------------------------- what scripts send */

/* Made in the test's thread with our codec; read by the peer's threads. */
typedef struct {
  char *snapshot;  /* stream "evil", seq SEQ */
  char *heartbeat; /* stream "evil", last_seq SEQ */
  guint64 limit;   /* bytes a flood sends at most */
} Lines;

static Lines *
lines_new_for (const char *stream)
{
  g_autoptr (GPtrArray) events = sub_vote_events (10);
  g_autoptr (RcSession) session = rc_session_new ();
  g_autoptr (RcSnapshot) snapshot = NULL;
  Lines *l = g_new0 (Lines, 1);

  for (guint i = 0; i < SEQ; i++)
    g_assert_true (rc_session_apply (session, g_ptr_array_index (events, i), NULL));
  snapshot = rc_session_snapshot (session);
  l->snapshot = rc_codec_encode_snapshot (snapshot, stream);
  l->heartbeat = rc_codec_encode_heartbeat (stream, SEQ, g_get_real_time ());
  l->limit = 64 * (guint64) MiB;
  return l;
}

static Lines *
lines_new (void)
{
  return lines_new_for ("evil");
}

static void
lines_free (Lines *l)
{
  g_free (l->snapshot);
  g_free (l->heartbeat);
  g_free (l);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lines, lines_free)

/* ---------------------------------------------------------------- measuring */

static guint64
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, field);
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen (field), NULL, 10);
}

/* Starts measuring this process's peak resident memory from now (Linux resets VmHWM
 * when "5" is written to clear_refs); returns the resident memory now, in KiB. */
static guint64
peak_reset (void)
{
  FILE *clear_refs = fopen ("/proc/self/clear_refs", "w");

  g_assert_nonnull (clear_refs);
  g_assert_cmpint (fputs ("5", clear_refs), >=, 0);
  g_assert_cmpint (fclose (clear_refs), ==, 0);
  return status_kib ("VmRSS:");
}

/* How far the peak went above `before` (KiB). */
static guint64
peak_growth (guint64 before)
{
  guint64 peak = status_kib ("VmHWM:");

  return peak > before ? peak - before : 0;
}

/* A source at GTK's redraw priority (GDK_PRIORITY_REDRAW), as the frame clock's: how
 * many times it ran. */
typedef struct {
  guint id;
  guint ticks;
} Ticks;

static gboolean
on_tick (gpointer data)
{
  ((Ticks *) data)->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
ticks_start (Ticks *t)
{
  t->ticks = 0;
  t->id = g_timeout_add_full (G_PRIORITY_HIGH_IDLE + 20, 5, on_tick, t, NULL);
}

static char *
url_of (RcHostile *h, RcTestTransport transport)
{
  return rc_hostile_url (h, transport == RC_TEST_WS ? "ws" : "http");
}

static const char *
first_refusal (Sub *s)
{
  const char *reason = g_ptr_array_index (s->refusals, 0);

  g_test_message ("refused: %s", reason);
  rc_test_assert_one_line (reason);
  return reason;
}

/* ---------------------------------------------------------------- oversize */

/* A snapshot, then one message that never ends: a text frame and continuation frames,
 * or a data: line without its end. */
static void
script_endless_message (RcHostileConn *conn, gpointer data)
{
  Lines *l = data;
  g_autofree char *chunk = g_strnfill (64 * 1024, 'x');
  g_autoptr (GByteArray) more = g_byte_array_new ();
  guint64 sent = 0;

  if (!rc_hostile_accept (conn) || !rc_hostile_send_message (conn, l->snapshot))
    return;
  if (rc_hostile_conn_is_websocket (conn))
    {
      g_autoptr (GByteArray) first = g_byte_array_new ();

      rc_hostile_append_frame (first, 0x01, "{\"v\":1,\"pad\":\"", 14);
      if (!rc_hostile_send (conn, first->data, first->len))
        return;
      rc_hostile_append_frame (more, 0x00, chunk, 64 * 1024);
    }
  else
    {
      if (!rc_hostile_send_text (conn, "data: {\"v\":1,\"pad\":\""))
        return;
      g_byte_array_append (more, (const guint8 *) chunk, 64 * 1024);
    }
  while (sent < l->limit && rc_hostile_send (conn, more->data, more->len))
    sent += more->len;
  rc_hostile_hold (conn);
}

/* Data lines, each a whole heartbeat, that never end their block. */
static void
script_endless_block (RcHostileConn *conn, gpointer data)
{
  Lines *l = data;
  g_autofree char *line = g_strdup_printf ("data: %s\n", l->heartbeat);
  g_autoptr (GByteArray) lines = g_byte_array_new ();
  guint64 sent = 0;

  if (!rc_hostile_accept (conn) || !rc_hostile_send_message (conn, l->snapshot))
    return;
  while (lines->len < 64 * 1024)
    g_byte_array_append (lines, (const guint8 *) line, strlen (line));
  while (sent < l->limit && rc_hostile_send (conn, lines->data, lines->len))
    sent += lines->len;
  rc_hostile_hold (conn);
}

static void
assert_too_long_refused (RcTestTransport transport, RcHostileScript script)
{
  g_autoptr (Lines) l = lines_new ();
  g_autoptr (RcHostile) h = rc_hostile_new (script, l);
  g_autofree char *url = url_of (h, transport);
  g_autoptr (Sub) s = sub_new (url);
  guint64 before = peak_reset ();

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (s->refusals->len >= 1);
  g_test_message ("the peer wrote %" G_GUINT64_FORMAT " bytes; peak RSS +%" G_GUINT64_FORMAT
                  " KiB", rc_hostile_bytes_sent (h), peak_growth (before));
  g_assert_nonnull (strstr (first_refusal (s), "longer than 1048576 bytes"));
  /* Refused as soon as the message is over the limit: what the client held of it, and
   * what the sockets hold, are a few MiB. */
  g_assert_cmpuint (peak_growth (before), <, 32 * 1024);
  g_assert_cmpint (sub_state (s), !=, RC_FEED_CLIENT_LIVE);
  RC_TEST_WAIT_FOR (rc_hostile_connections (h) >= 2);
}

static void
test_endless_message (gconstpointer data)
{
  assert_too_long_refused (GPOINTER_TO_INT (data), script_endless_message);
}

static void
test_endless_block (void)
{
  assert_too_long_refused (RC_TEST_SSE, script_endless_block);
}

/* Valid heartbeats padded to just under the limit, as fast as the socket takes them. */
static void
script_big_messages (RcHostileConn *conn, gpointer data)
{
  Lines *l = data;
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autofree char *pad = g_strnfill (RC_CODEC_MAX_MESSAGE - strlen (l->heartbeat) - 64, 'x');
  /* An unknown member is ignored: only the size is unusual. */
  g_autofree char *big = g_strdup_printf ("%.*s,\"pad\":\"%s\"}", (int) strlen (l->heartbeat) - 1,
                                          l->heartbeat, pad);
  guint64 sent = 0;

  if (!rc_hostile_accept (conn) || !rc_hostile_send_message (conn, l->snapshot))
    return;
  rc_hostile_append_message (conn, out, big);
  while (sent < l->limit && rc_hostile_send (conn, out->data, out->len))
    sent += out->len;
  rc_hostile_hold (conn);
}

/* Every message is valid and applied, on one connection; what the client holds at
 * once stays bounded (it reads no more than it applies). */
static void
test_big_messages (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Lines) l = lines_new ();
  g_autoptr (RcHostile) h = NULL;
  g_autofree char *url = NULL;
  g_autoptr (Sub) s = NULL;
  guint64 before;

  l->limit = 160 * (guint64) MiB;
  h = rc_hostile_new (script_big_messages, l);
  url = url_of (h, transport);
  s = sub_new (url);
  before = peak_reset ();
  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (rc_hostile_bytes_sent (h) >= l->limit || s->refusals->len > 0);
  g_test_message ("the peer wrote %" G_GUINT64_FORMAT " bytes; peak RSS +%" G_GUINT64_FORMAT
                  " KiB", rc_hostile_bytes_sent (h), peak_growth (before));
  g_assert_cmpuint (s->refusals->len, ==, 0);
  g_assert_cmpint (sub_state (s), ==, RC_FEED_CLIENT_LIVE);
  g_assert_cmpuint (rc_hostile_connections (h), ==, 1);
  g_assert_cmpuint (peak_growth (before), <, BIG_MESSAGES_PEAK_KIB);
}

/* A snapshot of 100,000 members (~9 MiB), whole: refused for its size before it is
 * parsed; what the board already shows stays. The message is framed before the peer
 * starts, so that its ~9 MiB are not counted as the client's. */
typedef struct {
  Lines *lines;
  GBytes *framed; /* the huge snapshot as the connection's transport frames it */
} Huge;

static void
script_huge_roster (RcHostileConn *conn, gpointer data)
{
  Huge *huge = data;
  gsize size;
  const guint8 *framed = g_bytes_get_data (huge->framed, &size);

  if (rc_hostile_accept (conn) && rc_hostile_send_message (conn, huge->lines->snapshot) &&
      rc_hostile_send (conn, framed, size))
    rc_hostile_hold (conn);
}

static GBytes *
huge_snapshot (RcTestTransport transport)
{
  g_autoptr (GString) json = g_string_new ("{\"v\":1,\"type\":\"snapshot\",\"stream\":\"evil\","
                                           "\"seq\":0,\"time\":null,\"session\":null,"
                                           "\"chamber\":null,\"roster\":[");
  GByteArray *framed = g_byte_array_new ();

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (json,
                            "%s{\"code\":\"M%06u\",\"name\":\"Member %u\",\"label\":\"Member %u\","
                            "\"sort_key\":\"member %06u\",\"veto\":false}",
                            i == 0 ? "" : ",", i, i, i, i);
  g_string_append (json, "],\"votes\":[],\"on_air\":null}");
  if (transport == RC_TEST_WS)
    rc_hostile_append_frame (framed, 0x81, json->str, json->len);
  else
    {
      g_byte_array_append (framed, (const guint8 *) "data: ", 6);
      g_byte_array_append (framed, (const guint8 *) json->str, (guint) json->len);
      g_byte_array_append (framed, (const guint8 *) "\n\n", 2);
    }
  return g_byte_array_free_to_bytes (framed);
}

static void
test_huge_roster (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Lines) l = lines_new ();
  g_autoptr (GBytes) framed = huge_snapshot (transport);
  Huge huge = { l, framed };
  g_autoptr (RcHostile) h = rc_hostile_new (script_huge_roster, &huge);
  g_autofree char *url = url_of (h, transport);
  g_autoptr (Sub) s = sub_new (url);
  guint64 before = peak_reset ();

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (s->refusals->len >= 1);
  g_test_message ("peak RSS +%" G_GUINT64_FORMAT " KiB", peak_growth (before));
  g_assert_nonnull (strstr (first_refusal (s), "longer than 1048576 bytes"));
  g_assert_cmpint (sub_seq (s), ==, SEQ);
  g_assert_cmpuint (peak_growth (before), <, 32 * 1024);
  RC_TEST_WAIT_FOR (rc_hostile_connections (h) >= 2);
}

/* Arrays in arrays, 500,000 deep: a recursive parser would overflow its stack. */
static void
script_deep (RcHostileConn *conn, gpointer data)
{
  Lines *l = data;
  g_autofree char *deep = g_strnfill (500000, '[');

  if (rc_hostile_accept (conn) && rc_hostile_send_message (conn, l->snapshot) &&
      rc_hostile_send_message (conn, deep))
    rc_hostile_hold (conn);
}

static void
test_deep_nesting (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Lines) l = lines_new ();
  g_autoptr (RcHostile) h = rc_hostile_new (script_deep, l);
  g_autofree char *url = url_of (h, transport);
  g_autoptr (Sub) s = sub_new (url);

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (s->refusals->len >= 1);
  g_assert_nonnull (strstr (first_refusal (s), "deeper"));
  RC_TEST_WAIT_FOR (rc_hostile_connections (h) >= 2);
}

/* ---------------------------------------------------------------- floods */

/* Pings as fast as the socket takes them, a heartbeat after every 200 (the client has
 * something to hear); the answers are never read. */
static void
script_ping_flood (RcHostileConn *conn, gpointer data)
{
  Lines *l = data;
  g_autoptr (GByteArray) out = g_byte_array_new ();
  guint64 sent = 0;

  if (!rc_hostile_accept (conn) || !rc_hostile_send_message (conn, l->snapshot))
    return;
  while (out->len < 1 * MiB)
    {
      for (guint i = 0; i < 200; i++)
        rc_hostile_append_frame (out, 0x89, "0123456789", 10);
      rc_hostile_append_message (conn, out, l->heartbeat);
    }
  while (sent < l->limit && rc_hostile_send (conn, out->data, out->len))
    sent += out->len;
  /* Reads nothing: the board's pongs fill its socket. */
  while (rc_hostile_pause (conn, 100000))
    ;
}

/* libsoup would queue a pong for each (and search its queue each time): the client
 * drops the connection once its socket is full and pings still come. */
static void
test_ping_flood (void)
{
  g_autoptr (Lines) l = lines_new ();
  /* A small window: the client's answers fill its socket within a few thousand. */
  g_autoptr (RcHostile) h = rc_hostile_new_full (script_ping_flood, l, 4096);
  g_autofree char *url = url_of (h, RC_TEST_WS);
  g_autoptr (Sub) s = sub_new (url);
  guint64 before = peak_reset ();

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (s->refusals->len >= 1);
  g_test_message ("the peer wrote %" G_GUINT64_FORMAT " bytes; peak RSS +%" G_GUINT64_FORMAT
                  " KiB", rc_hostile_bytes_sent (h), peak_growth (before));
  g_assert_nonnull (strstr (first_refusal (s), "pings"));
  g_assert_cmpuint (peak_growth (before), <, 32 * 1024);
  RC_TEST_WAIT_FOR (rc_hostile_connections (h) >= 2);
}

/* Heartbeats, as fast as the socket takes them, then silence. */
static void
script_heartbeat_flood (RcHostileConn *conn, gpointer data)
{
  Lines *l = data;
  g_autoptr (GByteArray) out = g_byte_array_new ();
  guint64 sent = 0;

  if (!rc_hostile_accept (conn) || !rc_hostile_send_message (conn, l->snapshot))
    return;
  while (out->len < 1 * MiB)
    rc_hostile_append_message (conn, out, l->heartbeat);
  while (sent < l->limit && rc_hostile_send (conn, out->data, out->len))
    sent += out->len;
  rc_hostile_hold (conn);
}

/* The client takes the flood at its own pace: live throughout on one connection,
 * nothing refused, and GTK's frame clock (a source at its priority) keeps getting
 * turns while it reads. */
static void
test_heartbeat_flood (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Lines) l = lines_new ();
  g_autoptr (RcHostile) h = NULL;
  g_autofree char *url = NULL;
  g_autoptr (Sub) s = NULL;
  Ticks t;
  guint ticks_live;

  l->limit = 16 * (guint64) MiB; /* ~110,000 heartbeats */
  h = rc_hostile_new (script_heartbeat_flood, l);
  url = url_of (h, transport);
  s = sub_new (url);
  ticks_start (&t);
  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (sub_state (s) == RC_FEED_CLIENT_LIVE || s->refusals->len > 0);
  ticks_live = t.ticks;
  RC_TEST_WAIT_FOR (rc_hostile_bytes_sent (h) >= l->limit || s->refusals->len > 0);
  g_test_message ("%u ticks at redraw priority while ~%" G_GUINT64_FORMAT " heartbeats came",
                  t.ticks - ticks_live, l->limit / (strlen (l->heartbeat) + 8));
  g_source_remove (t.id);
  g_assert_cmpuint (s->refusals->len, ==, 0);
  g_assert_cmpint (sub_state (s), ==, RC_FEED_CLIENT_LIVE);
  g_assert_cmpuint (rc_hostile_connections (h), ==, 1);
  g_assert_cmpuint (t.ticks - ticks_live, >=, 2);
}

/* A good snapshot, then garbage, every time. */
static void
script_snapshot_then_garbage (RcHostileConn *conn, gpointer data)
{
  Lines *l = data;

  if (rc_hostile_accept (conn) && rc_hostile_send_message (conn, l->snapshot) &&
      rc_hostile_send_message (conn, "this is not JSON"))
    rc_hostile_hold (conn);
}

/* Each connection resynchronises, then breaks: the back-off grows all the same (the
 * first steps of the test's timing would give ~80 connections a second). */
static void
test_backoff_holds (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Lines) l = lines_new ();
  g_autoptr (RcHostile) h = rc_hostile_new (script_snapshot_then_garbage, l);
  g_autofree char *url = url_of (h, transport);
  g_autoptr (Sub) s = sub_new (url);
  gint64 start;

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (rc_hostile_connections (h) >= 1);
  start = rc_hostile_connected_at (h, 0);
  RC_TEST_WAIT_FOR (g_get_monotonic_time () - start > 3 * G_USEC_PER_SEC);
  g_test_message ("%u connections in 3 s, %u refusals", rc_hostile_connections (h),
                  s->refusals->len);
  g_assert_cmpuint (s->refusals->len, >=, 3);
  /* 25 ms, 50, 100 … capped at 1.5 s, each a random part of it. */
  g_assert_cmpuint (rc_hostile_connections (h), <=, 20);
}

/* ---------------------------------------------------------------- drips */

/* A snapshot, then heartbeats a byte at a time, 50 ms apart (a heartbeat takes
 * longer than the 300 ms after which the client is stale). */
static void
script_drip (RcHostileConn *conn, gpointer data)
{
  Lines *l = data;
  g_autoptr (GByteArray) out = g_byte_array_new ();

  if (!rc_hostile_accept (conn) || !rc_hostile_send_message (conn, l->snapshot))
    return;
  rc_hostile_append_message (conn, out, l->heartbeat);
  for (;;)
    for (guint i = 0; i < out->len; i++)
      if (!rc_hostile_send (conn, out->data + i, 1) || !rc_hostile_pause (conn, 50))
        return;
}

/* Bytes keep coming, but no whole message: stale, and it reconnects. */
static void
test_drip (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Lines) l = lines_new ();
  g_autoptr (RcHostile) h = rc_hostile_new (script_drip, l);
  g_autofree char *url = url_of (h, transport);
  g_autoptr (Sub) s = sub_new (url);

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (sub_state (s) == RC_FEED_CLIENT_LIVE);
  RC_TEST_WAIT_FOR (sub_state (s) == RC_FEED_CLIENT_STALE);
  g_assert_true (sub_status_mentions (s, "nothing heard"));
  RC_TEST_WAIT_FOR (rc_hostile_connections (h) >= 2);
  g_assert_cmpint (sub_state (s), !=, RC_FEED_CLIENT_LIVE);
  g_assert_cmpuint (s->refusals->len, ==, 0);
}

/* A plain request's answer comes a byte every 100 ms, and never ends its head. (A TLS
 * client's hello is not a request's head: the peer waits for one, and never answers.) */
static void
script_never_answer (RcHostileConn *conn, gpointer data)
{
  if (!rc_hostile_send_text (conn, "HTTP/1.1 101 Switching Protocols\r\nX-Slow: "))
    return;
  while (rc_hostile_send_text (conn, "a") && rc_hostile_pause (conn, 100))
    ;
}

typedef struct {
  Sub *sub;
  guint abandoned; /* attempts given up as "no answer" */
  gboolean was_live;
} Patient;

static void
on_patient_status (RcFeedClient *client, GParamSpec *pspec, Patient *p)
{
  if (strstr (rc_feed_client_get_status (client), "no answer from the server") != NULL &&
      g_str_has_prefix (rc_feed_client_get_status (client), "Reconnecting"))
    p->abandoned++;
  if (rc_feed_client_get_state (client) == RC_FEED_CLIENT_LIVE)
    p->was_live = TRUE;
}

/* Four clients at once (ws and http dripped, wss and https over a TLS handshake that
 * never gets an answer): each gives its attempt up after 10 s, says so, and tries
 * again; none is ever live. */
static void
test_handshake_never_completes (void)
{
  static const char *const schemes[] = { "ws", "http", "wss", "https" };
  g_autoptr (RcHostile) h = rc_hostile_new (script_never_answer, NULL);
  Patient patients[G_N_ELEMENTS (schemes)] = { 0 };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_autofree char *url = rc_hostile_url (h, schemes[i]);

      patients[i].sub = sub_new (url);
      g_signal_connect (patients[i].sub->client, "notify::status",
                        G_CALLBACK (on_patient_status), &patients[i]);
      rc_feed_client_start (patients[i].sub->client);
    }
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      RC_TEST_WAIT_FOR (patients[i].abandoned >= 1);
      g_test_message ("%s: %s", schemes[i], rc_feed_client_get_status (patients[i].sub->client));
    }
  /* 10 s, whatever came meanwhile. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 10 * G_USEC_PER_SEC);
  RC_TEST_WAIT_FOR (rc_hostile_connections (h) >= 2 * G_N_ELEMENTS (schemes));
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_assert_false (patients[i].was_live);
      g_assert_cmpint (sub_state (patients[i].sub), ==, RC_FEED_CLIENT_CONNECTING);
      g_signal_handlers_disconnect_by_data (patients[i].sub->client, &patients[i]);
      sub_free (patients[i].sub);
    }
}

/* ---------------------------------------------------------------- junk answers */

typedef struct {
  const char *name;
  RcTestTransport transport;
  const char *answer; /* NULL: made by the script */
  const char *expect; /* in the status */
} Junk;

static const Junk junk_cases[] = {
  { "ws/not-http", RC_TEST_WS, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n\r\n", "not HTTP" },
  { "sse/not-http", RC_TEST_SSE, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n\r\n",
    "Could not parse HTTP response" },
  { "ws/html", RC_TEST_WS,
    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>",
    "HTTP 200 OK: not a WebSocket" },
  { "sse/html", RC_TEST_SSE,
    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>",
    "text/html, not an event stream" },
  { "ws/no-subprotocol", RC_TEST_WS, NULL, "does not speak rollcall.v1" },
  { "ws/wrong-accept", RC_TEST_WS,
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n"
    "Sec-WebSocket-Protocol: rollcall.v1\r\n\r\n",
    "Sec-WebSocket-Accept" },
  { "ws/extension", RC_TEST_WS, NULL, "extension the board did not offer (permessage-deflate)" },
  { "ws/not-upgraded", RC_TEST_WS,
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n",
    "not for a WebSocket" },
  { "ws/huge-headers", RC_TEST_WS, NULL, "longer than 16 KiB" },
  { "sse/huge-headers", RC_TEST_SSE, NULL, "Header too big" },
  { "sse/compressed", RC_TEST_SSE, NULL, "compressed" },
  { "sse/endless-chunk-size", RC_TEST_SSE, NULL, "" },
};

static void
script_junk (RcHostileConn *conn, gpointer data)
{
  const Junk *j = data;

  if (j->answer != NULL)
    {
      if (rc_hostile_send_text (conn, j->answer))
        rc_hostile_hold (conn);
      return;
    }
  if (g_str_has_suffix (j->name, "no-subprotocol"))
    {
      if (rc_hostile_accept_ws (conn, NULL, NULL))
        rc_hostile_hold (conn);
    }
  else if (g_str_has_suffix (j->name, "extension"))
    {
      if (rc_hostile_accept_ws (conn, "rollcall.v1",
                                "Sec-WebSocket-Extensions: permessage-deflate\r\n"))
        rc_hostile_hold (conn);
    }
  else if (g_str_has_suffix (j->name, "huge-headers"))
    {
      g_autofree char *filler = g_strnfill (1000, 'a');

      if (!rc_hostile_send_text (conn, "HTTP/1.1 200 OK\r\n"))
        return;
      for (guint i = 0; i < 10000; i++)
        {
          g_autofree char *line = g_strdup_printf ("X-Filler-%u: %s\r\n", i, filler);

          if (!rc_hostile_send_text (conn, line))
            return;
        }
      rc_hostile_hold (conn);
    }
  else if (g_str_has_suffix (j->name, "compressed"))
    {
      /* The head of a gzip member: what follows would inflate to anything. */
      static const guint8 gzip[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };

      if (rc_hostile_accept_sse (conn, "text/event-stream", "Content-Encoding: gzip\r\n") &&
          rc_hostile_send (conn, gzip, sizeof gzip))
        rc_hostile_hold (conn);
    }
  else if (g_str_has_suffix (j->name, "endless-chunk-size"))
    {
      g_autofree char *digits = g_strnfill (64 * 1024, '0');

      if (!rc_hostile_send_text (conn, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                       "Transfer-Encoding: chunked\r\n\r\n"))
        return;
      for (guint i = 0; i < 1000; i++)
        if (!rc_hostile_send_text (conn, digits))
          return;
      rc_hostile_hold (conn);
    }
  else
    g_assert_not_reached ();
}

static void
on_status (RcFeedClient *client, GParamSpec *pspec, GPtrArray *statuses)
{
  g_ptr_array_add (statuses, g_strdup (rc_feed_client_get_status (client)));
}

static gboolean
reconnecting_because (Sub *s, const char *expect)
{
  return g_str_has_prefix (rc_feed_client_get_status (s->client), "Reconnecting in") &&
         strstr (rc_feed_client_get_status (s->client), expect) != NULL;
}

/* Never live; the status says why on one line; tried again. */
static void
test_junk (gconstpointer data)
{
  const Junk *j = data;
  g_autoptr (RcHostile) h = rc_hostile_new (script_junk, (gpointer) j);
  g_autofree char *url = url_of (h, j->transport);
  g_autoptr (Sub) s = sub_new (url);
  guint64 before = peak_reset ();

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (reconnecting_because (s, j->expect));
  g_test_message ("%s", rc_feed_client_get_status (s->client));
  rc_test_assert_one_line (rc_feed_client_get_status (s->client));
  RC_TEST_WAIT_FOR (rc_hostile_connections (h) >= 2);
  g_assert_cmpint (sub_state (s), ==, RC_FEED_CLIENT_CONNECTING);
  g_assert_cmpuint (peak_growth (before), <, 16 * 1024);
}

/* ---------------------------------------------------------------- redirects */

typedef struct {
  Lines *lines;
  char *to; /* where the redirect points */
} Redirect;

static void
script_redirect (RcHostileConn *conn, gpointer data)
{
  Redirect *r = data;
  g_autofree char *answer = g_strdup_printf ("HTTP/1.1 302 Found\r\nLocation: %s\r\n"
                                             "Content-Length: 0\r\n\r\n", r->to);

  if (rc_hostile_send_text (conn, answer))
    rc_hostile_hold (conn);
}

static void
script_good (RcHostileConn *conn, gpointer data)
{
  Lines *l = data;

  if (!rc_hostile_accept (conn) || !rc_hostile_send_message (conn, l->snapshot))
    return;
  while (rc_hostile_send_message (conn, l->heartbeat) && rc_hostile_pause (conn, 50))
    ;
}

/* The server it was given sends the board elsewhere: it does not go (the status would
 * name one server while another spoke). */
static void
test_redirect (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Lines) l = lines_new ();
  g_autoptr (RcHostile) elsewhere = rc_hostile_new (script_good, l);
  g_autofree char *to = url_of (elsewhere, transport);
  Redirect r = { l, g_strconcat (to, transport == RC_TEST_WS ? "/v1/feed" : "/v1/events", NULL) };
  g_autoptr (RcHostile) h = rc_hostile_new (script_redirect, &r);
  g_autofree char *url = url_of (h, transport);
  g_autoptr (Sub) s = sub_new (url);

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (reconnecting_because (s, "follows no redirect"));
  g_test_message ("%s", rc_feed_client_get_status (s->client));
  RC_TEST_WAIT_FOR (rc_hostile_connections (h) >= 2);
  g_assert_cmpuint (rc_hostile_connections (elsewhere), ==, 0);
  g_assert_cmpint (sub_state (s), ==, RC_FEED_CLIENT_CONNECTING);
  g_free (r.to);
}

/* ---------------------------------------------------------------- stream ids */

/* A stream id may hold anything but ':', line ends included. The reasons that quote it
 * stay on one line, and the client still gives its position back, without a line end
 * in a header. */
static void
script_two_streams (RcHostileConn *conn, gpointer data)
{
  Lines **two = data;
  Lines *l = two[MIN (rc_hostile_conn_index (conn), 1)];

  if (rc_hostile_accept (conn) && rc_hostile_send_message (conn, l->snapshot) &&
      rc_hostile_send_message (conn, two[1]->heartbeat))
    rc_hostile_hold (conn);
}

static void
test_stream_with_line_ends (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Lines) first = lines_new_for ("evil\r\nX-Injected 1");
  g_autoptr (Lines) then = lines_new_for ("other\nstream");
  Lines *two[] = { first, then };
  g_autoptr (RcHostile) h = rc_hostile_new (script_two_streams, two);
  g_autofree char *url = url_of (h, transport);
  g_autoptr (Sub) s = sub_new (url);
  g_autoptr (GPtrArray) statuses = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *request = NULL;

  g_signal_connect (s->client, "notify::status", G_CALLBACK (on_status), statuses);
  rc_feed_client_start (s->client);
  /* The first connection's heartbeat names another stream: the client asks again,
   * from where it was, and takes the other stream's snapshot. */
  RC_TEST_WAIT_FOR (rc_hostile_connections (h) >= 2 && sub_state (s) == RC_FEED_CLIENT_LIVE &&
                    s->sessions == 2);
  for (guint i = 0; i < statuses->len; i++)
    {
      g_test_message ("status: %s", (char *) g_ptr_array_index (statuses, i));
      rc_test_assert_one_line (g_ptr_array_index (statuses, i));
      g_assert_null (strchr (g_ptr_array_index (statuses, i), '\r'));
    }
  request = rc_hostile_request (h, 1);
  g_test_message ("second request: %s", request);
  g_assert_null (strstr (request, "\nX-Injected"));
  g_assert_nonnull (strstr (request, "last_event_id=evil%0D%0AX-Injected%201%3A7"));
  g_assert_cmpuint (s->refusals->len, ==, 0);
  g_signal_handlers_disconnect_by_data (s->client, statuses);
}

/* ---------------------------------------------------------------- main */

int
main (int argc, char *argv[])
{
  static const struct {
    const char *name;
    RcTestTransport transport;
  } transports[] = { { "ws", RC_TEST_WS }, { "sse", RC_TEST_SSE } };
  static const struct {
    const char *path;
    GTestDataFunc func;
  } each[] = {
    { "endless-message", test_endless_message },
    { "big-messages", test_big_messages },
    { "huge-roster", test_huge_roster },
    { "deep-nesting", test_deep_nesting },
    { "heartbeat-flood", test_heartbeat_flood },
    { "backoff-holds", test_backoff_holds },
    { "drip", test_drip },
    { "redirect", test_redirect },
    { "stream-with-line-ends", test_stream_with_line_ends },
  };
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  rc_test_feed_init (&argc, &argv);

  for (guint t = 0; t < G_N_ELEMENTS (transports); t++)
    for (guint i = 0; i < G_N_ELEMENTS (each); i++)
      {
        char *path = g_strdup_printf ("/hostile/%s/%s", transports[t].name, each[i].path);

        g_ptr_array_add (paths, path);
        g_test_add_data_func (path, GINT_TO_POINTER (transports[t].transport), each[i].func);
      }
  g_test_add_func ("/hostile/sse/endless-block", test_endless_block);
  g_test_add_func ("/hostile/ws/ping-flood", test_ping_flood);
  for (guint i = 0; i < G_N_ELEMENTS (junk_cases); i++)
    {
      char *path = g_strdup_printf ("/hostile/junk/%s", junk_cases[i].name);

      g_ptr_array_add (paths, path);
      g_test_add_data_func (path, &junk_cases[i], test_junk);
    }
  g_test_add_func ("/hostile/handshake-never-completes", test_handshake_never_completes);

  return g_test_run ();
}
