/* rc-feed-test-util.h — what the feed tests share: a hub and a server on 127.0.0.1,
 * real clients (WebSocket and Server-Sent Events through a SoupSession of their own,
 * or a raw TCP socket that stalls or speaks by hand), the messages they receive,
 * decoded, and waiting for a condition with a timeout instead of sleeping.
 *
 * Every client checks what it receives as a board would: each message must decode
 * strictly, and each event must be the next of its stream (the test fails otherwise);
 * the client keeps the session those messages make. Nothing here mocks our code. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "archive/rc-archive.h"
#include "feed/rc-feed-hub.h"
#include "feed/rc-feed-server.h"
#include "codec/rc-message.h"
#include "model/rc-session.h"

G_BEGIN_DECLS

/* The stream of a hub made without a journal. */
#define RC_TEST_STREAM "test-stream"
/* How long any wait may take before the test fails: generous, for sanitizer builds
 * on a loaded machine. Waits end as soon as their condition holds. */
#define RC_TEST_TIMEOUT_MS 30000

/* g_test_init(), and ROLLCALL_FEED_TEST_TIMING=fast unless the environment sets it:
 * heartbeats every 100 ms, pings every second, so that tests of liveness are quick. */
void rc_test_feed_init (int *argc, char ***argv);

/* ---------------------------------------------------------------- waiting */

/* One turn of the default main context (at most ~10 ms); fails the test, naming
 * `what`, once `deadline` (monotonic µs) has passed. Use RC_TEST_WAIT_FOR. */
void rc_test_wait_step (gint64 deadline, const char *what);

/* Runs the main loop until `condition` (an expression) holds; fails the test after
 * RC_TEST_TIMEOUT_MS. */
#define RC_TEST_WAIT_FOR(condition)                                              \
  G_STMT_START                                                                   \
  {                                                                              \
    gint64 rc_test_deadline_                                                     \
      = g_get_monotonic_time () + RC_TEST_TIMEOUT_MS * G_GINT64_CONSTANT (1000); \
    while (!(condition))                                                         \
      rc_test_wait_step (rc_test_deadline_, #condition);                         \
  }                                                                              \
  G_STMT_END

/* For a call that must not block, which no wait above can time because it never
 * returns to the main loop: fails the test (g_error from a thread of its own, naming
 * `what`) unless rc_test_watchdog_stop() comes within RC_TEST_TIMEOUT_MS. */
typedef struct _RcTestWatchdog RcTestWatchdog;

RcTestWatchdog *rc_test_watchdog_start (const char *what);
void rc_test_watchdog_stop (RcTestWatchdog *dog);

/* ---------------------------------------------------------------- a feed */

typedef struct {
  RcFeedHub *hub;
  RcFeedServer *server;
  char *url; /* "http://127.0.0.1:PORT" (https:// with tls) */
} RcTestFeed;

/* A hub (stream RC_TEST_STREAM, or session_id with a journal) and a server listening
 * on 127.0.0.1, port 0. journal, session_id and tls may be NULL. */
RcTestFeed *rc_test_feed_new (RcArchive *journal, const char *session_id, GTlsCertificate *tls);
void rc_test_feed_free (RcTestFeed *feed);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcTestFeed, rc_test_feed_free)

/* Publishes each event through the hub; the test fails if one is refused. */
void rc_test_feed_publish (RcTestFeed *feed, GPtrArray *events);
/* The same for events[from] … events[to - 1]. */
void rc_test_feed_publish_range (RcTestFeed *feed, GPtrArray *events, guint from, guint to);
/* The state of the feed's hub (rc_test_session_dump()). */
char *rc_test_feed_dump (RcTestFeed *feed);

/* A whole meeting with one recorded vote, seq 1…n, every time 0 (the hub stamps
 * them): the session (chamber "TEST", n_members members M001…, simple majority),
 * vote "v1" scheduled, put on air, opened, one ballot per member (yes, no, abstain
 * in turn; every fifth member changes its mind once), locked, announced with the
 * official totals. GPtrArray of RcEvent. */
GPtrArray *rc_test_vote_events (const char *session_id, guint n_members);

/* The state of a session as one string (its snapshot, encoded), to compare two. */
char *rc_test_session_dump (RcSession *session);

/* A plain HTTP request (its own SoupSession); returns the body, sets *status. */
GBytes *rc_test_http (const char *url, const char *method, guint *status, char **allow_origin);

/* A refusal's body as docs/feed-protocol.md §7 ("Errors") has it: one line of RFC 8259
 * JSON (read strictly, as any client may), {"v":1,"error":{"code":…,"message":…}} with a
 * non-empty message. Returns the code and sets *message (may be NULL); the test fails
 * if the body is anything else. */
char *rc_test_error_reply (const char *body, gsize length, char **message);

/* ---------------------------------------------------------------- a client */

typedef enum {
  RC_TEST_WS,  /* GET /v1/feed, subprotocol rollcall.v1 */
  RC_TEST_SSE, /* GET /v1/events */
} RcTestTransport;

/* How a client gives its last event id. */
typedef enum {
  RC_TEST_ID_QUERY,  /* ?last_event_id= */
  RC_TEST_ID_HEADER, /* Last-Event-ID: */
} RcTestIdPlace;

/* One message as received. */
typedef struct {
  RcMessage *message; /* decoded */
  char *text;         /* the JSON as it came */
  char *sse_event;    /* SSE: the block's event: field; NULL over WebSocket */
  char *sse_id;       /* SSE: the EventSource's last event id after this block */
} RcTestFrame;

typedef struct _RcTestClient RcTestClient;

/* A client of the feed at base_url ("http://127.0.0.1:PORT"); not yet connected. */
RcTestClient *rc_test_client_new (const char *base_url, RcTestTransport transport);
void rc_test_client_set_last_event_id (RcTestClient *c, const char *id, RcTestIdPlace place);
/* The session it goes on applying to (a board's state from an earlier connection). */
void rc_test_client_set_session (RcTestClient *c, RcSession *session);
/* WebSocket: the subprotocol to ask for (default "rollcall.v1"); NULL asks for none. */
void rc_test_client_set_protocol (RcTestClient *c, const char *protocol);
/* TLS: the CA database to verify the server against (default: the system's). */
void rc_test_client_set_tls_database (RcTestClient *c, GTlsDatabase *database);
/* Starts connecting; see rc_test_client_is_open() / rc_test_client_is_closed(). */
void rc_test_client_start (RcTestClient *c);
void rc_test_client_free (RcTestClient *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcTestClient, rc_test_client_free)

/* new + set_last_event_id (query for WebSocket, header for SSE) + start, then waits
 * until the connection is open; the test fails if it is refused. */
RcTestClient *rc_test_client_connect (const char *base_url, RcTestTransport transport,
                                      const char *last_event_id);
/* A new client that goes on from where `old` stopped, as a board reconnecting
 * after a drop: the same server and transport, old's last event id (query for
 * WebSocket, header for SSE) and old's session, which it keeps applying to. Waits
 * until the connection is open. */
RcTestClient *rc_test_client_reconnect (RcTestClient *old);
/* Closes the connection from the client's side, as a board that loses its network
 * would (WebSocket: close 1001; SSE: the connection is dropped). */
void rc_test_client_close (RcTestClient *c);

/* WebSocket handshake done / SSE response headers 200 received. */
gboolean rc_test_client_is_open (RcTestClient *c);
/* The connection has ended (refused, closed by either side, or failed). */
gboolean rc_test_client_is_closed (RcTestClient *c);
/* The HTTP status of the response (101 for an accepted WebSocket), 0 before. */
guint rc_test_client_get_http_status (RcTestClient *c);
/* The body of a refused request (SSE: a non-200 response), or NULL. */
const char *rc_test_client_get_refusal_body (RcTestClient *c);
/* WebSocket: the close code the server sent, 0 if none. */
gushort rc_test_client_get_close_code (RcTestClient *c);
/* WebSocket: the connection, once open (to send what a client should not). */
SoupWebsocketConnection *rc_test_client_get_websocket (RcTestClient *c);

/* GPtrArray of RcTestFrame, in order of arrival. */
GPtrArray *rc_test_client_get_frames (RcTestClient *c);
guint rc_test_client_count (RcTestClient *c, RcMessageKind kind);
/* The last heartbeat received, or NULL. */
const RcMessage *rc_test_client_get_last_heartbeat (RcTestClient *c);
/* The stream and seq of the last snapshot or event received: the client's position,
 * what it would give back to resume ("STREAM:SEQ"), or NULL before any. */
const char *rc_test_client_get_last_event_id (RcTestClient *c);
gint64 rc_test_client_get_last_seq (RcTestClient *c);
/* The session its snapshots and events made (never NULL). */
RcSession *rc_test_client_get_session (RcTestClient *c);
/* The first frame of that kind received, or NULL. */
const RcTestFrame *rc_test_client_first_frame (RcTestClient *c, RcMessageKind kind);
/* Waits until it has received the hub's last event. */
void rc_test_client_wait_caught_up (RcTestClient *c, RcFeedHub *hub);
/* Its session is in the same state as the feed's hub. */
void rc_test_client_assert_state (RcTestClient *c, RcTestFeed *feed);
/* SSE: the EventSource's last event id (every id: field so far), or NULL. */
const char *rc_test_client_get_sse_last_event_id (RcTestClient *c);
/* SSE: the retry: value the server sent (ms), -1 if none. */
gint64 rc_test_client_get_sse_retry (RcTestClient *c);

/* ---------------------------------------------------------------- a raw client */

/* A TCP connection to base_url's host and port that sends `request` (a whole HTTP
 * request) and then reads only when a test asks: a client that stalls. rcvbuf > 0
 * makes its socket's receive buffer that small (so that the server's writes block
 * sooner). */
typedef struct _RcTestRaw RcTestRaw;

RcTestRaw *rc_test_raw_open (const char *base_url, const char *request, int rcvbuf);
void rc_test_raw_free (RcTestRaw *raw);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcTestRaw, rc_test_raw_free)
/* A WebSocket handshake request for /v1/feed with the subprotocol, or without. */
char *rc_test_raw_ws_request (const char *base_url, gboolean with_protocol);
/* Reads the response head; returns its status code. */
guint rc_test_raw_read_status (RcTestRaw *raw);
/* Reads until the server closes the connection (the test fails on timeout). Returns
 * everything read since the head. */
GBytes *rc_test_raw_read_to_end (RcTestRaw *raw);
/* WebSocket: reads server frames until a close frame; returns its code (0 if the
 * connection ended without one). */
gushort rc_test_raw_read_ws_close (RcTestRaw *raw);

/* Runs `openssl ARGS...` in dir (making the tests' CAs and certificates); fails the
 * test with openssl's own words if it fails. */
void rc_test_openssl (const char *dir, const char *const *args);

G_END_DECLS
