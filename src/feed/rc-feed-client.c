/* rc-feed-client.c — a board's subscription to a feed: the state it can vouch for.
 *
 * The transports (rc-feed-client-ws.c, rc-feed-client-sse.c) hand over each message's
 * text; a worker thread decodes it (parsing JSON is most of what a message costs: under
 * a flood the board's main thread keeps its time for frames), and this file, back on
 * the main thread and in the order received, checks it against the protocol
 * (docs/feed-protocol.md §2–§6) and applies it, or refuses it and resynchronises. It also keeps the clocks:
 * a watchdog that marks the client stale when the server falls silent, and the
 * back-off between reconnections. It reads no faster than it applies: past a backlog of
 * messages or bytes not yet applied, the transport is paused until half is (a server
 * that floods it fills its own buffers, never the board's memory or its frames).
 *
 * States: CONNECTING until the first resynchronisation; LIVE while synchronised and
 * hearing from the server; STALE once nothing was heard for 6 s (it reconnects, and
 * stays STALE until resynchronised or until a reconnection fails); RECONNECTING once a
 * connection was lost or a message refused. Only a snapshot, or a heartbeat saying the
 * client holds the stream's last event, makes it LIVE: events resent after a resume
 * cannot say whether more are missing. */
#include "rc-feed-client-private.h"
#include "rc-feed-tls.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/rc-error.h"
#include "model/rc-snapshot.h"
#include "rc-backoff.h"
#include "codec/rc-codec.h"
#include "rc-feed-decoder.h"
#include "rc-feed-snapshot-fetch.h"
#include "rc-feed-timing.h"

/* How long a connection attempt (TCP, TLS and HTTP handshakes) may take. Not scaled for
 * tests: a TLS handshake on a loaded machine under a sanitizer takes what it takes. */
#define CONNECT_TIMEOUT_MS 10000

struct _RcFeedClient
{
  GObject parent_instance;

  GUri *uri;    /* with the transport's path */
  char *where;  /* "127.0.0.1:8080", for the status line */
  gboolean websocket;
  SoupSession *soup;
  GRand *rand;

  RcFeedClientState state;
  RcSession *session;
  char *stream;         /* the stream the session follows; NULL before a snapshot */
  char *last_event_id;  /* "STREAM:SEQ", made when asked */
  char *resume_id;      /* SSE: the server's id of the last message taken (opaque:
                         * an nchan edge's are its own), or NULL: then last_event_id */
  char *status;

  gboolean running;
  RcFeedConnection *conn;
  gboolean opened;      /* conn is open (not just asked for) */
  guint attempt;        /* failures since the last resynchronisation */
  char *reason;         /* why the last connection ended */
  gint64 retry_at;      /* monotonic time of the next attempt while waiting */
  guint retry_id;
  guint countdown_id;   /* refreshes "Reconnecting in N s" */
  gint64 heard_at;      /* monotonic time of the last message (or of the opening) */
  guint watchdog_id;

  /* Protocol 1.1 (§4): a connection that does not resume from the position given (an
   * nchan edge starts at its newest message) shows a gap in its first messages; the
   * client then takes GET /v1/snapshot and holds what the stream says meanwhile. */
  gboolean consistent;  /* this connection has given a message that follows */
  gboolean ahead;       /* the session came from /v1/snapshot, maybe ahead of it */
  GCancellable *resync; /* the snapshot being fetched, or NULL */
  guint resync_id;      /* waiting before fetching it again */
  guint resyncs;        /* fetched since the connection last gave a message that follows */
  GQueue held;          /* of Held, heard while resyncing */
  gsize held_bytes;     /* their texts' lengths */
  gsize handling_length; /* the text length of the message being handled */

  RcFeedDecoder *decoder; /* what the transports hear, decoded on a worker thread */
  guint backlog_limit;    /* messages heard and not applied yet, at most */
  guint steady_id;        /* live long enough for the back-off to start again */
};


G_DEFINE_FINAL_TYPE (RcFeedClient, rc_feed_client, G_TYPE_OBJECT)

/* A message heard while the snapshot beside the stream is fetched, and its id. */
typedef struct {
  RcMessage *message;
  char *id;
  gsize length; /* of its text */
} Held;

static void
held_free (Held *held)
{
  rc_message_free (held->message);
  g_free (held->id);
  g_free (held);
}

/* The message with this transport id has been taken: a resumption starts after it. */
static void
taken (RcFeedClient *self, const char *id)
{
  /* An empty id says there is none to resume from (as for EventSource). */
  if (id != NULL && id[0] == '\0')
    g_clear_pointer (&self->resume_id, g_free);
  else if (id != NULL && g_strcmp0 (id, self->resume_id) != 0)
    {
      g_free (self->resume_id);
      self->resume_id = g_strdup (id);
    }
}

enum { PROP_0, PROP_STATE, PROP_SESSION, PROP_STATUS, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { MESSAGE_REFUSED, N_SIGNALS };
static guint signals[N_SIGNALS];

GType
rc_feed_client_state_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { RC_FEED_CLIENT_CONNECTING, "RC_FEED_CLIENT_CONNECTING", "connecting" },
        { RC_FEED_CLIENT_LIVE, "RC_FEED_CLIENT_LIVE", "live" },
        { RC_FEED_CLIENT_STALE, "RC_FEED_CLIENT_STALE", "stale" },
        { RC_FEED_CLIENT_RECONNECTING, "RC_FEED_CLIENT_RECONNECTING", "reconnecting" },
        { 0, NULL, NULL },
      };
      GType t = g_enum_register_static (g_intern_static_string ("RcFeedClientState"), values);

      g_once_init_leave (&type_id, t);
    }
  return type_id;
}

static void connect_now (RcFeedClient *self);
static void stop_resync (RcFeedClient *self);
static gboolean start_resync (RcFeedClient *self, const RcMessage *message, const char *id,
                              const char *why);

/* A reason may quote what the server sent (a stream id, a value the codec refused,
 * which may hold any character but U+0000): said on one line of UTF-8
 * (rc_error_one_line()), and not at any length. */
#define REASON_MAX 300

static char *
one_line (const char *reason)
{
  char *line = rc_error_one_line (reason);

  if (g_utf8_strlen (line, -1) > REASON_MAX)
    {
      char *cut = g_utf8_offset_to_pointer (line, REASON_MAX);
      char *shorter;

      *cut = '\0';
      shorter = g_strconcat (line, "…", NULL);
      g_free (line);
      line = shorter;
    }
  return line;
}

/* ---- status and state ------------------------------------------------------------ */

static guint
seconds_until (gint64 when)
{
  gint64 left = when - g_get_monotonic_time ();

  /* Rounded up: "in 0 s" would read as "now". */
  return left <= 0 ? 1 : (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

static char *
make_status (RcFeedClient *self)
{
  if (self->state == RC_FEED_CLIENT_LIVE)
    /* Translators: the feed's status for operators; %s is the server, "127.0.0.1:8080" */
    return g_strdup_printf (_("Live · %s"), self->where);
  if (!self->running)
    return g_strdup_printf (_("Not connected · %s"), self->where);
  if (self->retry_id != 0)
    {
      guint seconds = seconds_until (self->retry_at);

      if (self->state == RC_FEED_CLIENT_STALE)
        /* Translators: %u s is a number of seconds; %s why, e.g. "nothing heard for 6 s" */
        return g_strdup_printf (_("Stale · reconnecting in %u s — %s"), seconds, self->reason);
      /* Translators: %u s is a number of seconds; %s why, e.g. "connection refused" */
      return g_strdup_printf (_("Reconnecting in %u s — %s"), seconds, self->reason);
    }
  if (self->opened)
    return g_strdup_printf (_("Synchronising with %s…"), self->where);
  if (self->state == RC_FEED_CLIENT_CONNECTING)
    return g_strdup_printf (_("Connecting to %s…"), self->where);
  if (self->state == RC_FEED_CLIENT_STALE)
    return g_strdup_printf (_("Stale · reconnecting to %s…"), self->where);
  return g_strdup_printf (_("Reconnecting to %s…"), self->where);
}

static void
update_status (RcFeedClient *self)
{
  g_autofree char *status = make_status (self);

  if (g_strcmp0 (status, self->status) == 0)
    return;
  g_free (self->status);
  self->status = g_steal_pointer (&status);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATUS]);
}

static void
set_state (RcFeedClient *self, RcFeedClientState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

/* ---- the clocks ------------------------------------------------------------------ */

static gboolean on_watchdog (gpointer data);

static gint64
stale_after_us (void)
{
  return (gint64) rc_feed_timing_ms (RC_FEED_STALE_AFTER_MS) * 1000;
}

/* Silence allowed before the watchdog acts: the attempt's, then the protocol's. */
static gint64
silence_limit_us (RcFeedClient *self)
{
  return self->opened ? stale_after_us () : (gint64) CONNECT_TIMEOUT_MS * 1000;
}

static void
arm_watchdog (RcFeedClient *self, gint64 due)
{
  gint64 wait_ms = (due - g_get_monotonic_time () + 999) / 1000;

  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  self->watchdog_id = g_timeout_add ((guint) CLAMP (wait_ms, 1, G_MAXINT), on_watchdog, self);
}

static gboolean
on_countdown (gpointer data)
{
  update_status (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_retry (gpointer data)
{
  RcFeedClient *self = data;

  self->retry_id = 0;
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  connect_now (self);
  return G_SOURCE_REMOVE;
}

/* Lets go of the connection, says why, and waits before the next attempt. */
static void
drop_and_retry (RcFeedClient *self, const char *reason, RcFeedClientState state)
{
  guint delay;

  if (self->conn != NULL)
    {
      rc_feed_connection_close (self->conn);
      g_clear_pointer (&self->conn, rc_feed_connection_unref);
    }
  self->opened = FALSE;
  stop_resync (self);
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  g_clear_handle_id (&self->steady_id, g_source_remove);
  g_free (self->reason);
  self->reason = g_strdup (reason);
  /* Never-synchronised clients stay CONNECTING: they have nothing to call stale. */
  if (self->state != RC_FEED_CLIENT_CONNECTING)
    set_state (self, state);

  delay = rc_backoff_delay_ms (self->attempt, rc_feed_timing_ms (RC_FEED_BACKOFF_BASE_MS),
                               rc_feed_timing_ms (RC_FEED_BACKOFF_CAP_MS), self->rand);
  if (self->attempt < G_MAXUINT)
    self->attempt++;
  self->retry_at = g_get_monotonic_time () + (gint64) delay * 1000;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add (delay, on_retry, self);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  if (delay > 1000)
    self->countdown_id = g_timeout_add_seconds (1, on_countdown, self);
  update_status (self);
}

static gboolean
on_watchdog (gpointer data)
{
  RcFeedClient *self = data;
  gint64 due = self->heard_at + silence_limit_us (self);
  g_autofree char *reason = NULL;

  self->watchdog_id = 0;
  if (g_get_monotonic_time () < due)
    {
      /* Messages came meanwhile: they only move the deadline, cheaply. */
      arm_watchdog (self, due);
      return G_SOURCE_REMOVE;
    }
  if (self->conn != NULL && self->conn->paused)
    {
      /* The board is not reading (it has more to apply first): that is no silence of
       * the server's. The clock starts again when it reads (maybe_resume). */
      arm_watchdog (self, g_get_monotonic_time () + stale_after_us ());
      return G_SOURCE_REMOVE;
    }
  if (!self->opened)
    {
      const char *no_answer = _("no answer from the server");

      g_message ("feed %s: %s; reconnecting", self->where, no_answer);
      drop_and_retry (self, no_answer, RC_FEED_CLIENT_RECONNECTING);
      return G_SOURCE_REMOVE;
    }

  /* Translators: %g is a number of seconds, "6" (or "0.3" in tests) */
  reason = g_strdup_printf (_("nothing heard for %g s"),
                            (double) stale_after_us () / G_USEC_PER_SEC);
  g_message ("feed %s: %s; reconnecting", self->where, reason);
  drop_and_retry (self, reason,
                  self->state == RC_FEED_CLIENT_LIVE || self->state == RC_FEED_CLIENT_STALE
                    ? RC_FEED_CLIENT_STALE
                    : self->state);
  return G_SOURCE_REMOVE;
}

/* ---- connecting ------------------------------------------------------------------ */

/* What the client gives back to resume: over SSE the server's own id of the last
 * message it took, if the server gave one (protocol 1.1: opaque); else its position,
 * "STREAM:SEQ". */
static const char *
resume_id (RcFeedClient *self)
{
  if (!self->websocket && self->resume_id != NULL && self->stream != NULL)
    return self->resume_id;
  return rc_feed_client_get_last_event_id (self);
}

static GUri *
request_uri (RcFeedClient *self)
{
  g_autofree char *escaped = NULL;
  g_autofree char *query = NULL;
  const char *id = resume_id (self);
  const char *old = g_uri_get_query (self->uri);

  /* SSE gives it in a header (as EventSource does), unless a header cannot hold it. */
  if (id == NULL || (!self->websocket && rc_feed_fits_header (id)))
    return g_uri_ref (self->uri);
  escaped = g_uri_escape_string (id, NULL, FALSE);
  query = old != NULL && old[0] != '\0' ? g_strdup_printf ("%s&last_event_id=%s", old, escaped)
                                        : g_strdup_printf ("last_event_id=%s", escaped);
  return g_uri_build (g_uri_get_flags (self->uri) | G_URI_FLAGS_ENCODED_QUERY,
                      g_uri_get_scheme (self->uri), g_uri_get_userinfo (self->uri),
                      g_uri_get_host (self->uri), g_uri_get_port (self->uri),
                      g_uri_get_path (self->uri), query, NULL);
}

static void
connect_now (RcFeedClient *self)
{
  g_autoptr (GUri) uri = request_uri (self);

  g_assert (self->conn == NULL);
  self->conn = rc_feed_connection_new (self);
  self->opened = FALSE;
  self->consistent = FALSE;
  self->resyncs = 0;
  /* The watchdog also bounds the attempt: a server that never answers. */
  self->heard_at = g_get_monotonic_time ();
  arm_watchdog (self, self->heard_at + silence_limit_us (self));
  update_status (self);
  if (self->websocket)
    rc_feed_ws_connect (self->conn, self->soup, uri, resume_id (self));
  else
    rc_feed_sse_connect (self->conn, self->soup, uri, resume_id (self));
}

/* ---- what the transports say ------------------------------------------------------ */

static RcFeedClient *
owner (RcFeedConnection *conn)
{
  RcFeedClient *self = conn->client;

  return self != NULL && self->conn == conn ? self : NULL;
}

void
rc_feed_client_connection_opened (RcFeedConnection *conn)
{
  RcFeedClient *self = owner (conn);

  if (self == NULL)
    return;
  self->opened = TRUE;
  self->heard_at = g_get_monotonic_time ();
  arm_watchdog (self, self->heard_at + silence_limit_us (self));
  update_status (self);
}

static void
connection_lost (RcFeedClient *self, const char *said)
{
  g_autofree char *reason = one_line (said);

  g_message ("feed %s: %s; reconnecting", self->where, reason);
  drop_and_retry (self, reason, RC_FEED_CLIENT_RECONNECTING);
}

void
rc_feed_client_connection_lost (RcFeedConnection *conn, const char *reason)
{
  RcFeedClient *self = owner (conn);

  /* After the messages received before it. */
  if (self != NULL)
    rc_feed_decoder_push (self->decoder, RC_FEED_DECODED_LOST, conn, reason, strlen (reason));
}

/* A message that must not be applied: said, logged, and the client starts again from
 * its last good event. Nothing it shows changes. */
static void
refuse (RcFeedClient *self, const char *said)
{
  g_autofree char *reason = one_line (said);
  g_autofree char *status_reason = NULL;

  g_message ("feed %s: refused a message: %s", self->where, reason);
  g_signal_emit (self, signals[MESSAGE_REFUSED], 0, reason);
  /* A handler may have stopped the client. */
  if (!self->running)
    return;
  /* Translators: %s is why a message from the server was refused */
  status_reason = g_strdup_printf (_("refused a message: %s"), reason);
  drop_and_retry (self, status_reason, RC_FEED_CLIENT_RECONNECTING);
}

void
rc_feed_client_connection_refused (RcFeedConnection *conn, const char *reason)
{
  RcFeedClient *self = owner (conn);

  if (self != NULL)
    rc_feed_decoder_push (self->decoder, RC_FEED_DECODED_REFUSED, conn, reason,
                          strlen (reason));
}

static gboolean
on_steady (gpointer data)
{
  RcFeedClient *self = data;

  self->steady_id = 0;
  self->attempt = 0;
  return G_SOURCE_REMOVE;
}

/* Resynchronised: what the client shows is the stream's state now. The back-off starts
 * again from its first step only once the connection has stayed up for a stale
 * interval: a server that breaks every connection right after its snapshot is not
 * asked again at the first step's pace, forever. */
static void
synchronised (RcFeedClient *self)
{
  if (self->attempt > 0 && self->steady_id == 0)
    self->steady_id = g_timeout_add (rc_feed_timing_ms (RC_FEED_STALE_AFTER_MS), on_steady, self);
  set_state (self, RC_FEED_CLIENT_LIVE);
  update_status (self);
}

static void
set_position (RcFeedClient *self, const char *stream)
{
  if (g_strcmp0 (self->stream, stream) != 0)
    {
      g_free (self->stream);
      self->stream = g_strdup (stream);
    }
  g_clear_pointer (&self->last_event_id, g_free);
}

/* beside: taken with GET /v1/snapshot beside the stream (protocol 1.1): what the
 * connection says next must follow it, and the client is live only once a heartbeat
 * says it has everything. */
static void
apply_snapshot (RcFeedClient *self, const RcMessage *message, const char *id, gboolean beside)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcSession) session = rc_session_new_from_snapshot (message->snapshot, &error);
  g_autoptr (RcSession) old = NULL;

  if (session == NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("snapshot: %s"), error->message);

      refuse (self, reason);
      return;
    }
  old = g_steal_pointer (&self->session);
  self->session = g_steal_pointer (&session);
  set_position (self, message->stream);
  self->ahead = beside;
  self->consistent = !beside;
  taken (self, id);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SESSION]);
  if (self->running && !beside)
    synchronised (self);
}

/* Sequence numbers as text, so that messages for translators hold no format macro. */
static char *
seq_text (gint64 seq)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, seq);
}

static void
apply_event (RcFeedClient *self, const RcMessage *message, const char *transport_id)
{
  const RcEvent *event = message->event;
  gint64 expected = rc_session_get_last_seq (self->session) + 1;
  g_autofree char *id = rc_event_id_format (message->stream, event->seq);
  g_autoptr (GError) error = NULL;

  /* Already applied (protocol 1.1: an edge's channel may say it again, or be behind a
   * snapshot taken beside it): dropped. */
  if (self->stream != NULL && g_str_equal (message->stream, self->stream) && event->seq < expected)
    {
      taken (self, transport_id);
      return;
    }
  if (!self->consistent
      && (self->stream == NULL || g_strcmp0 (message->stream, self->stream) != 0
          || event->seq != expected))
    {
      /* Translators: an event id, "stream:57" */
      g_autofree char *why = g_strdup_printf (_ ("the stream goes on at %s"), id);

      if (start_resync (self, message, transport_id, why))
        return;
    }
  if (self->stream == NULL || g_strcmp0 (message->stream, self->stream) != 0)
    {
      /* Translators: %s is an event id, "stream:57" */
      g_autofree char *reason =
        self->stream == NULL
          ? g_strdup_printf (_("event %s before any snapshot"), id)
          /* Translators: an event id, "stream:57", and the stream being followed */
          : g_strdup_printf (_("event %s of another stream than '%s'"), id, self->stream);

      refuse (self, reason);
      return;
    }
  if (event->seq != expected)
    {
      g_autofree char *want = seq_text (expected);
      /* Translators: an event id, "stream:57", and the sequence number expected, "56" */
      g_autofree char *reason = g_strdup_printf (_("event %s out of sequence (expected %s)"), id,
                                                 want);

      refuse (self, reason);
      return;
    }
  if (!rc_session_apply (self->session, event, &error))
    {
      /* Translators: an event id, "stream:57", and why the session refused it */
      g_autofree char *reason = g_strdup_printf (_("event %s: %s"), id, error->message);

      refuse (self, reason);
      return;
    }
  self->consistent = TRUE;
  self->ahead = FALSE;
  self->resyncs = 0;
  taken (self, transport_id);
  g_clear_pointer (&self->last_event_id, g_free);
}

static void
check_heartbeat (RcFeedClient *self, const RcMessage *message, const char *id)
{
  gint64 ours = rc_session_get_last_seq (self->session);
  g_autofree char *theirs_text = seq_text (message->last_seq);
  g_autofree char *ours_text = seq_text (ours);
  g_autofree char *reason = NULL;

  if (!self->consistent
      && (self->stream == NULL || g_strcmp0 (message->stream, self->stream) != 0
          || message->last_seq > ours))
    {
      /* Translators: %s is a sequence number, "57" */
      g_autofree char *why = g_strdup_printf (_ ("the stream is at %s"), theirs_text);

      if (start_resync (self, message, id, why))
        return;
    }
  if (self->stream == NULL)
    {
      refuse (self, _("a heartbeat before any snapshot"));
      return;
    }
  if (g_strcmp0 (message->stream, self->stream) != 0)
    /* Translators: %s is a stream id */
    reason = g_strdup_printf (_("the server moved to stream '%s'"), message->stream);
  else if (message->last_seq > ours)
    {
      g_autofree char *first = seq_text (ours + 1);

      /* Translators: the first and the last sequence number missed, "58–60" */
      reason = g_strdup_printf (_("missed events %s–%s"), first, theirs_text);
    }
  else if (message->last_seq < ours && (self->ahead || !self->consistent))
    {
      /* The snapshot taken beside the stream is ahead of it (an edge's channel), or a
       * connection that did not resume from where the client is (a relay) starts behind
       * it: not live until the stream catches up. */
      taken (self, id);
      return;
    }
  else if (message->last_seq < ours)
    {
      /* The same stream id must mean the same events: this server contradicts it. */
      reason = g_strdup_printf (_("heartbeat: the stream's last event is %s, but %s was "
                                  "applied"),
                                theirs_text, ours_text);
      refuse (self, reason);
      return;
    }
  else
    {
      self->consistent = TRUE;
      self->ahead = FALSE;
      self->resyncs = 0;
      taken (self, id);
      synchronised (self);
      return;
    }

  /* Not a refusal: the heartbeat is right, the client is behind. */
  {
    g_autofree char *said = one_line (reason);

    g_message ("feed %s: %s; resynchronising", self->where, said);
    drop_and_retry (self, said, RC_FEED_CLIENT_RECONNECTING);
  }
}

void
rc_feed_client_connection_message (RcFeedConnection *conn, const char *text, gsize length,
                                   const char *id)
{
  RcFeedClient *self = owner (conn);

  if (self == NULL)
    return;
  /* Heard now, whatever the decoder makes of it. */
  self->heard_at = g_get_monotonic_time ();
  rc_feed_decoder_push_with_id (self->decoder, RC_FEED_DECODED_MESSAGE, conn, text, length, id);
  /* A board that cannot apply messages as fast as they come reads no more until it has
   * caught up with what it read: what it holds stays bounded, and the server's buffers
   * fill instead (Rollcall's drops a client too far behind, which then resumes). */
  if (rc_feed_decoder_get_in_flight (self->decoder) >= self->backlog_limit ||
      rc_feed_decoder_get_in_flight_bytes (self->decoder) >= RC_FEED_CLIENT_BACKLOG_BYTES)
    rc_feed_connection_set_paused (conn, TRUE);
}

/* Reading starts again once half of what was held is applied. */
static void
maybe_resume (RcFeedClient *self)
{
  if (self->conn == NULL || !self->conn->paused)
    return;
  if (rc_feed_decoder_get_in_flight (self->decoder) <= self->backlog_limit / 2 &&
      rc_feed_decoder_get_in_flight_bytes (self->decoder) <= RC_FEED_CLIENT_BACKLOG_BYTES / 2)
    {
      /* The time it read nothing does not count as the server's silence. */
      self->heard_at = g_get_monotonic_time ();
      rc_feed_connection_set_paused (self->conn, FALSE);
    }
}

void
rc_feed_client_set_backlog_limit (RcFeedClient *self, guint messages)
{
  g_return_if_fail (RC_IS_FEED_CLIENT (self));
  g_return_if_fail (messages > 0);
  self->backlog_limit = messages;
}

static void
hold (RcFeedClient *self, const RcMessage *message, const char *id, gsize length)
{
  Held *held = g_new0 (Held, 1);

  /* A snapshot replaces what came before it. */
  if (message->kind == RC_MESSAGE_SNAPSHOT)
    {
      g_queue_clear_full (&self->held, (GDestroyNotify) held_free);
      self->held_bytes = 0;
    }
  held->message = rc_message_copy (message);
  held->id = g_strdup (id);
  held->length = length;
  self->held_bytes += length;
  g_queue_push_tail (&self->held, held);
}

static void
handle_message (RcFeedClient *self, const RcMessage *message, const char *id, gsize length)
{
  if (self->resync != NULL || self->resync_id != 0)
    {
      /* Kept, in order, for after the snapshot; as bounded as what the decoder holds. */
      if (self->held.length >= self->backlog_limit
          || self->held_bytes + length > RC_FEED_CLIENT_BACKLOG_BYTES)
        {
          const char *why = _ ("too much heard while taking a snapshot");

          g_message ("feed %s: %s; reconnecting", self->where, why);
          drop_and_retry (self, why, RC_FEED_CLIENT_RECONNECTING);
          return;
        }
      hold (self, message, id, length);
      return;
    }
  self->handling_length = length;
  switch (message->kind)
    {
    case RC_MESSAGE_SNAPSHOT:
      apply_snapshot (self, message, id, FALSE);
      break;
    case RC_MESSAGE_EVENT:
      apply_event (self, message, id);
      break;
    case RC_MESSAGE_HEARTBEAT:
      check_heartbeat (self, message, id);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ---- a snapshot beside the stream (protocol 1.1) ---------------------------------- */

/* How often a connection may send the client to /v1/snapshot before it gives up on it:
 * an edge's snapshot can be a little behind its channel, not for ever. */
#define MAX_RESYNCS 8

static void
stop_resync (RcFeedClient *self)
{
  if (self->resync != NULL)
    g_cancellable_cancel (self->resync);
  g_clear_object (&self->resync);
  g_clear_handle_id (&self->resync_id, g_source_remove);
  g_queue_clear_full (&self->held, (GDestroyNotify) held_free);
  self->held_bytes = 0;
}

static void
on_snapshot_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  RcFeedClient *self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) snapshot = rc_feed_snapshot_fetch_finish (result, &error);
  GQueue held = G_QUEUE_INIT;
  Held *message;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  g_clear_object (&self->resync);
  if (snapshot == NULL)
    {
      refuse (self, error->message);
      g_object_unref (self);
      return;
    }
  apply_snapshot (self, snapshot, NULL, TRUE);
  /* What was heard meanwhile, in order; a gap left sends the client back (later). */
  held = self->held;
  g_queue_init (&self->held);
  self->held_bytes = 0;
  while ((message = g_queue_pop_head (&held)) != NULL)
    {
      if (self->running && self->conn != NULL)
        handle_message (self, message->message, message->id, message->length);
      held_free (message);
    }
  g_object_unref (self);
}

static gboolean
on_resync_due (gpointer data)
{
  RcFeedClient *self = data;

  self->resync_id = 0;
  self->resync = g_cancellable_new ();
  rc_feed_snapshot_fetch_async (self->soup, self->uri, CONNECT_TIMEOUT_MS, self->resync,
                                on_snapshot_fetched, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* The connection did not resume from where the client is: take the snapshot beside
 * the stream, holding message and what follows it. FALSE when the connection has sent
 * the client there too often: it is then handled as a 1.0 client would (refused, or
 * another connection). */
static gboolean
start_resync (RcFeedClient *self, const RcMessage *message, const char *id, const char *why)
{
  guint delay;

  if (self->resyncs >= MAX_RESYNCS)
    return FALSE;
  /* At once the first time; then the edge's snapshot may be catching up. */
  delay = self->resyncs == 0
            ? 0
            : rc_backoff_delay_ms (self->resyncs - 1, rc_feed_timing_ms (RC_FEED_BACKOFF_BASE_MS),
                                   rc_feed_timing_ms (RC_FEED_BACKOFF_CAP_MS), self->rand);
  self->resyncs++;
  g_debug ("feed %s: %s; taking the snapshot", self->where, why);
  hold (self, message, id, self->handling_length);
  self->resync_id = g_timeout_add (delay, on_resync_due, self);
  return TRUE;
}

/* How the decoder holds the connection an item came from. */
static gpointer
connection_ref (gpointer conn)
{
  return rc_feed_connection_ref (conn);
}

static void
connection_unref (gpointer conn)
{
  rc_feed_connection_unref (conn);
}

/* Back on the main thread, in the order heard. What a connection since dropped said
 * goes with it. */
static void
on_decoded (const RcFeedDecoded *item, gpointer data)
{
  RcFeedClient *self = data;
  g_autoptr (RcFeedClient) hold = NULL;

  /* Whichever connection said it, it is no longer held. */
  maybe_resume (self);
  if (owner (item->tag) != self)
    return;
  hold = g_object_ref (self);
  if (item->kind == RC_FEED_DECODED_LOST)
    connection_lost (self, item->reason);
  else if (item->kind == RC_FEED_DECODED_REFUSED)
    refuse (self, item->reason);
  else if (item->message == NULL)
    refuse (self, item->error->message);
  else
    handle_message (self, item->message, item->id, item->length);
}

/* ---- GObject --------------------------------------------------------------------- */

static void
rc_feed_client_dispose (GObject *object)
{
  RcFeedClient *self = RC_FEED_CLIENT (object);

  rc_feed_client_stop (self);
  g_clear_pointer (&self->decoder, rc_feed_decoder_free);
  G_OBJECT_CLASS (rc_feed_client_parent_class)->dispose (object);
}

static void
rc_feed_client_finalize (GObject *object)
{
  RcFeedClient *self = RC_FEED_CLIENT (object);

  g_clear_pointer (&self->uri, g_uri_unref);
  g_free (self->where);
  g_clear_object (&self->soup);
  g_rand_free (self->rand);
  g_clear_object (&self->session);
  g_free (self->stream);
  g_free (self->last_event_id);
  g_free (self->resume_id);
  g_free (self->status);
  g_free (self->reason);
  G_OBJECT_CLASS (rc_feed_client_parent_class)->finalize (object);
}

static void
rc_feed_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RcFeedClient *self = RC_FEED_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    case PROP_STATUS: g_value_set_string (value, self->status); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_feed_client_class_init (RcFeedClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = rc_feed_client_dispose;
  object_class->finalize = rc_feed_client_finalize;
  object_class->get_property = rc_feed_client_get_property;

  props[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, RC_TYPE_FEED_CLIENT_STATE,
                                         RC_FEED_CLIENT_CONNECTING, flags);
  props[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, RC_TYPE_SESSION, flags);
  props[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[MESSAGE_REFUSED] =
    g_signal_new ("message-refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
rc_feed_client_init (RcFeedClient *self)
{
  self->rand = g_rand_new ();
  g_queue_init (&self->held);
  self->session = rc_session_new ();
  self->state = RC_FEED_CLIENT_CONNECTING;
  self->decoder = rc_feed_decoder_new (on_decoded, self, connection_ref, connection_unref);
  self->backlog_limit = RC_FEED_CLIENT_BACKLOG_DEFAULT;
}

/* ---- public API ------------------------------------------------------------------ */

RcFeedClient *
rc_feed_client_new (const char *url, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (RcFeedClient) self = NULL;
  const char *scheme;
  const char *path;
  gboolean websocket;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, &local);
  if (uri == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT, _("'%s' is not a URL: %s"), url,
                   local->message);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  websocket = g_ascii_strcasecmp (scheme, "ws") == 0 || g_ascii_strcasecmp (scheme, "wss") == 0;
  if (!websocket && g_ascii_strcasecmp (scheme, "http") != 0 &&
      g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   _("'%s': a feed's URL starts with ws://, wss://, http:// or https://"), url);
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT, _("'%s' names no server"), url);
      return NULL;
    }

  self = g_object_new (RC_TYPE_FEED_CLIENT, NULL);
  self->websocket = websocket;
  path = g_uri_get_path (uri);
  if (path[0] == '\0' || g_str_equal (path, "/"))
    {
      /* A bare base URL: the transport's endpoint. */
      self->uri = g_uri_build (g_uri_get_flags (uri), scheme, g_uri_get_userinfo (uri),
                               g_uri_get_host (uri), g_uri_get_port (uri),
                               websocket ? "/v1/feed" : "/v1/events", g_uri_get_query (uri),
                               NULL);
    }
  else
    self->uri = g_steal_pointer (&uri);

  {
    const char *host = g_uri_get_host (self->uri);
    int port = g_uri_get_port (self->uri);
    gboolean v6 = strchr (host, ':') != NULL;

    if (port > 0)
      self->where = g_strdup_printf (v6 ? "[%s]:%d" : "%s:%d", host, port);
    else
      self->where = g_strdup_printf (v6 ? "[%s]" : "%s", host);
  }

  /* No I/O timeout: a subscription is meant to last; the watchdog judges silence. No
   * compression asked for (SSE): messages are small, and a decompression bomb costs a
   * server nothing to send. */
  self->soup = soup_session_new_with_options ("timeout", 0, "idle-timeout", 0, NULL);
  soup_session_remove_feature_by_type (self->soup, SOUP_TYPE_CONTENT_DECODER);
  self->status = make_status (self);
  return g_steal_pointer (&self);
}

gboolean
rc_feed_client_set_ca_file (RcFeedClient *self, const char *path, GError **error)
{
  g_autoptr (GTlsDatabase) database = NULL;

  g_return_val_if_fail (RC_IS_FEED_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  database = rc_feed_tls_ca_database_new (path, error);
  if (database == NULL)
    return FALSE;
  soup_session_set_tls_database (self->soup, database);
  return TRUE;
}

void
rc_feed_client_start (RcFeedClient *self)
{
  g_return_if_fail (RC_IS_FEED_CLIENT (self));

  if (self->running)
    return;
  self->running = TRUE;
  self->attempt = 0;
  connect_now (self);
}

void
rc_feed_client_stop (RcFeedClient *self)
{
  g_return_if_fail (RC_IS_FEED_CLIENT (self));

  if (self->conn != NULL)
    {
      rc_feed_connection_close (self->conn);
      g_clear_pointer (&self->conn, rc_feed_connection_unref);
    }
  self->opened = FALSE;
  stop_resync (self);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  g_clear_handle_id (&self->steady_id, g_source_remove);
  if (!self->running)
    return;
  self->running = FALSE;
  /* Nothing is heard any more: what is shown can no longer be vouched for. */
  if (self->state == RC_FEED_CLIENT_LIVE)
    set_state (self, RC_FEED_CLIENT_STALE);
  update_status (self);
}

RcFeedClientState
rc_feed_client_get_state (RcFeedClient *self)
{
  g_return_val_if_fail (RC_IS_FEED_CLIENT (self), RC_FEED_CLIENT_CONNECTING);
  return self->state;
}

RcSession *
rc_feed_client_get_session (RcFeedClient *self)
{
  g_return_val_if_fail (RC_IS_FEED_CLIENT (self), NULL);
  return self->session;
}

const char *
rc_feed_client_get_last_event_id (RcFeedClient *self)
{
  g_return_val_if_fail (RC_IS_FEED_CLIENT (self), NULL);

  if (self->stream == NULL)
    return NULL;
  /* Made when asked: at thousands of events a second, formatting each would be waste. */
  if (self->last_event_id == NULL)
    self->last_event_id =
      rc_event_id_format (self->stream, rc_session_get_last_seq (self->session));
  return self->last_event_id;
}

const char *
rc_feed_client_get_status (RcFeedClient *self)
{
  g_return_val_if_fail (RC_IS_FEED_CLIENT (self), NULL);
  return self->status;
}
