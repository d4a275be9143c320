/* rc-feed-gate.c — the stream a feed server's connection is read through (see
 * rc-feed-gate.h).
 *
 * Two types: RcFeedGate, the GIOStream libsoup is given, whose output is its base's
 * and whose input is a RcFeedGateInput, a pollable stream that reads the base and
 * decides, chunk by chunk, what libsoup may see. libsoup reads without blocking
 * (g_pollable_input_stream_read_nonblocking and a source on the stream), and so does
 * everything here: nothing in a gate waits for a peer. */
#include "rc-feed-gate.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-feed-http-head.h"

typedef enum {
  STATE_HEAD,     /* the request's head is arriving */
  STATE_BODY,     /* its body is */
  STATE_READ,     /* the request was read whole; libsoup answers it */
  STATE_UPGRADED, /* a WebSocket: the client is held to its budget */
  STATE_DRAINING, /* answered early: what comes is dropped, then the connection ends */
  STATE_FAILED,   /* every read fails with `failure` */
} State;

/* A chunked body is not decoded here: its bytes on the wire may be this many times
 * the limit on its content (chunk sizes and line ends) before it is cut. */
#define CHUNKED_WIRE_FACTOR 4

#define RC_TYPE_FEED_GATE_INPUT (rc_feed_gate_input_get_type ())
G_DECLARE_FINAL_TYPE (RcFeedGateInput, rc_feed_gate_input, RC, FEED_GATE_INPUT, GInputStream)

struct _RcFeedGateInput {
  GInputStream parent_instance;
  RcFeedGate *gate; /* not a reference: the gate owns its input */
};

struct _RcFeedGate {
  GIOStream parent_instance;

  GIOStream *base;
  GSocket *socket;
  RcFeedGateInput *input;
  State state;
  gboolean closed;

  /* STATE_HEAD: the bytes so far; STATE_BODY: what is left of it */
  GByteArray *head;
  gint64 body_left; /* -1: chunked */
  gint64 body_read;
  gboolean body_waits; /* Expect: 100-continue: libsoup answers before the body */

  /* STATE_UPGRADED */
  double allowance;
  gint64 last_refill; /* monotonic µs */

  /* an answer given early, and what of it is not written yet */
  gboolean answered;
  GBytes *answer;
  gsize answer_written;
  GSource *answer_source;
  guint drain_id;
  gsize drained;

  GError *failure;
};

enum { SIGNAL_REFUSED, SIGNAL_CLOSED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void rc_feed_gate_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RcFeedGateInput, rc_feed_gate_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      rc_feed_gate_input_pollable_init))
G_DEFINE_FINAL_TYPE (RcFeedGate, rc_feed_gate, G_TYPE_IO_STREAM)

static GPollableInputStream *
base_input (RcFeedGate *self)
{
  return G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (self->base));
}

static GPollableOutputStream *
base_output (RcFeedGate *self)
{
  return G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (self->base));
}

/* ---------------------------------------------------------------- ending */

/* From now on every read fails: libsoup then lets go of the connection. */
static void
fail (RcFeedGate *self, const char *message)
{
  self->state = STATE_FAILED;
  if (self->failure == NULL)
    self->failure = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, message);
}

static gssize
failed_read (RcFeedGate *self, GError **error)
{
  g_set_error_literal (error, self->failure->domain, self->failure->code, self->failure->message);
  return -1;
}

/* The end of draining: reads see the end of the stream, and fail. */
static gboolean
on_drain_over (gpointer data)
{
  RcFeedGate *self = data;

  self->drain_id = 0;
  g_socket_shutdown (self->socket, TRUE, FALSE, NULL);
  return G_SOURCE_REMOVE;
}

/* ---------------------------------------------------------------- answering early */

static void write_answer (RcFeedGate *self);

static gboolean
on_writable (GObject *stream, gpointer data)
{
  RcFeedGate *self = data;

  g_clear_pointer (&self->answer_source, g_source_unref);
  write_answer (self);
  return G_SOURCE_REMOVE;
}

/* Writes what is left of the answer without waiting; then the client is told that
 * nothing more comes (its read ends once it has the answer). */
static void
write_answer (RcFeedGate *self)
{
  gsize size;
  const char *data = g_bytes_get_data (self->answer, &size);

  while (self->answer_written < size && !self->closed)
    {
      g_autoptr (GError) error = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (
        base_output (self), data + self->answer_written, size - self->answer_written, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          self->answer_source = g_pollable_output_stream_create_source (base_output (self), NULL);
          g_source_set_callback (self->answer_source, G_SOURCE_FUNC (on_writable), self, NULL);
          g_source_attach (self->answer_source, NULL);
          return;
        }
      if (n < 0)
        {
          /* The client is gone: nothing to drain for. */
          g_socket_shutdown (self->socket, TRUE, TRUE, NULL);
          return;
        }
      self->answer_written += n;
    }
  if (!self->closed)
    g_socket_shutdown (self->socket, FALSE, TRUE, NULL);
}

gboolean
rc_feed_gate_answer_now (RcFeedGate *self, guint status, const char *reason_phrase,
                         const char *headers, const char *json)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (RC_IS_FEED_GATE (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if (self->answered || self->closed)
    return FALSE;
  self->answered = TRUE;
  text
    = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                       "Server: rollcall-feed\r\n"
                       "Content-Type: application/json\r\n"
                       "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                       "Cache-Control: no-store\r\n"
                       "Access-Control-Allow-Origin: *\r\n"
                       "Connection: close\r\n"
                       "%s\r\n%s",
                       status, reason_phrase, strlen (json), headers != NULL ? headers : "", json);
  self->answer = g_bytes_new_take (text, strlen (text));
  text = NULL;
  self->state = STATE_DRAINING;
  g_clear_pointer (&self->head, g_byte_array_unref);
  self->drain_id = g_timeout_add (RC_FEED_GATE_DRAIN_MS, on_drain_over, self);
  write_answer (self);
  return TRUE;
}

/* The head was refused: the answer in the protocol's error form. */
static void
refuse_head (RcFeedGate *self, RcHttpHead *head)
{
  g_autofree char *json = NULL;
  g_autoptr (GString) escaped = g_string_new (NULL);

  /* The reason is one line of text of ours; only quotes and backslashes need care. */
  for (const char *p = head->reason; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (escaped, '\\');
      g_string_append_c (escaped, *p);
    }
  json = g_strdup_printf ("{\"v\":1,\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}", head->code,
                          escaped->str);
  g_signal_emit (self, signals[SIGNAL_REFUSED], 0, head->status, head->code, head->reason);
  rc_feed_gate_answer_now (self, head->status, rc_http_status_phrase (head->status), NULL, json);
}

/* ---------------------------------------------------------------- reading */

/* STATE_HEAD: the new bytes data[0 .. n) join the head. Returns FALSE when the
 * request was refused (the bytes are then not libsoup's). */
static gboolean
take_head (RcFeedGate *self, const char *data, gsize n)
{
  RcHttpHead head = { 0 };
  gboolean first = self->head->len == 0;
  RcHttpHeadVerdict verdict;
  gsize length;

  g_byte_array_append (self->head, (const guint8 *) data, n);
  /* Only a line end can complete a head or a line; the first bytes and a head grown
   * past its limits are looked at too (a drip-fed head is not read again and again). */
  if (!first && memchr (data, '\n', n) == NULL && self->head->len <= RC_HTTP_LINE_MAX)
    return TRUE;
  verdict = rc_http_head_check ((const char *) self->head->data, self->head->len, &head);
  if (verdict == RC_HTTP_HEAD_REFUSED)
    {
      refuse_head (self, &head);
      rc_http_head_clear (&head);
      return FALSE;
    }
  if (verdict == RC_HTTP_HEAD_INCOMPLETE)
    return TRUE;

  length = self->head->len;
  g_clear_pointer (&self->head, g_byte_array_unref);
  self->body_read = length - head.length;
  self->body_waits = head.expect_continue;
  self->body_left = head.chunked ? -1 : MAX (head.content_length, 0);
  self->state = head.chunked || head.content_length > 0 ? STATE_BODY : STATE_READ;
  rc_http_head_clear (&head);
  return TRUE;
}

/* STATE_BODY: n more bytes of it. FALSE when it went over the limit. */
static gboolean
take_body (RcFeedGate *self, gsize n)
{
  self->body_read += n;
  if (self->body_left < 0 && self->body_read > (gint64) RC_HTTP_BODY_MAX * CHUNKED_WIRE_FACTOR)
    {
      RcHttpHead head = { .status = 413, .code = "too-large" };

      head.reason
        = g_strdup_printf (_ ("the body is over the limit of %u KiB"), RC_HTTP_BODY_MAX / 1024);
      refuse_head (self, &head);
      rc_http_head_clear (&head);
      return FALSE;
    }
  return TRUE;
}

/* STATE_UPGRADED: n bytes against the budget. */
static gboolean
take_upgraded (RcFeedGate *self, gsize n)
{
  gint64 now = g_get_monotonic_time ();

  self->allowance
    = MIN ((double) RC_FEED_GATE_WS_BURST,
           self->allowance + (double) (now - self->last_refill) * RC_FEED_GATE_WS_RATE / 1e6);
  self->last_refill = now;
  self->allowance -= (double) n;
  if (self->allowance >= 0)
    return TRUE;
  fail (self, _ ("the client sent more than a board sends (pongs and a close)"));
  g_signal_emit (self, signals[SIGNAL_REFUSED], 0, 0u, "budget",
                 _ ("a WebSocket client sent more than a board sends (over 16 KiB, or 1 KiB a "
                    "second); the connection is dropped"));
  return FALSE;
}

/* STATE_DRAINING: reads what is there and drops it. */
static gssize
drain (RcFeedGate *self, gboolean blocking, GCancellable *cancellable, GError **error)
{
  char scratch[4096];

  for (;;)
    {
      g_autoptr (GError) local = NULL;
      gssize n = g_pollable_stream_read (G_INPUT_STREAM (base_input (self)), scratch,
                                         sizeof scratch, blocking, cancellable, &local);

      if (n < 0 && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return -1;
        }
      if (n <= 0 || (self->drained += n) > RC_FEED_GATE_DRAIN_BYTES)
        {
          fail (self, _ ("the request was answered before it was read whole"));
          return failed_read (self, error);
        }
    }
}

static gssize
gate_read (RcFeedGate *self, void *buffer, gsize count, gboolean blocking,
           GCancellable *cancellable, GError **error)
{
  gssize n;

  for (;;)
    {
      if (self->state == STATE_FAILED)
        return failed_read (self, error);
      if (self->state == STATE_DRAINING)
        return drain (self, blocking, cancellable, error);

      n = g_pollable_stream_read (G_INPUT_STREAM (base_input (self)), buffer, count, blocking,
                                  cancellable, error);
      if (n <= 0)
        return n;
      switch (self->state)
        {
        case STATE_HEAD:
          if (take_head (self, buffer, n))
            {
              if (self->state == STATE_BODY && !take_body (self, 0))
                continue;
              return n;
            }
          continue; /* refused: drain */
        case STATE_BODY:
          if (take_body (self, n))
            return n;
          continue;
        case STATE_UPGRADED:
          if (take_upgraded (self, n))
            return n;
          continue;
        case STATE_READ:
        default:
          return n;
        }
    }
}

/* ---------------------------------------------------------------- the input */

static gssize
input_read (GInputStream *stream, void *buffer, gsize count, GCancellable *cancellable,
            GError **error)
{
  RcFeedGateInput *self = RC_FEED_GATE_INPUT (stream);

  return gate_read (self->gate, buffer, count, TRUE, cancellable, error);
}

static gboolean
input_close (GInputStream *stream, GCancellable *cancellable, GError **error)
{
  /* The gate closes its base; its input has nothing of its own to close. */
  return TRUE;
}

static gboolean
input_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
input_is_readable (GPollableInputStream *stream)
{
  RcFeedGate *gate = RC_FEED_GATE_INPUT (stream)->gate;

  return gate->state == STATE_FAILED || g_pollable_input_stream_is_readable (base_input (gate));
}

static GSource *
input_create_source (GPollableInputStream *stream, GCancellable *cancellable)
{
  RcFeedGate *gate = RC_FEED_GATE_INPUT (stream)->gate;
  g_autoptr (GSource) child = NULL;

  if (gate->state == STATE_FAILED)
    {
      /* A failure is news at once. */
      child = g_timeout_source_new (0);
    }
  else
    child = g_pollable_input_stream_create_source (base_input (gate), cancellable);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static gssize
input_read_nonblocking (GPollableInputStream *stream, void *buffer, gsize count, GError **error)
{
  RcFeedGateInput *self = RC_FEED_GATE_INPUT (stream);

  return gate_read (self->gate, buffer, count, FALSE, NULL, error);
}

static void
rc_feed_gate_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = input_can_poll;
  iface->is_readable = input_is_readable;
  iface->create_source = input_create_source;
  iface->read_nonblocking = input_read_nonblocking;
}

static void
rc_feed_gate_input_class_init (RcFeedGateInputClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = input_read;
  G_INPUT_STREAM_CLASS (klass)->close_fn = input_close;
}

static void
rc_feed_gate_input_init (RcFeedGateInput *self)
{
}

/* ---------------------------------------------------------------- the gate */

static GInputStream *
gate_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (RC_FEED_GATE (stream)->input);
}

static GOutputStream *
gate_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (RC_FEED_GATE (stream)->base);
}

static void
mark_closed (RcFeedGate *self)
{
  if (self->closed)
    return;
  self->closed = TRUE;
  g_clear_handle_id (&self->drain_id, g_source_remove);
  if (self->answer_source != NULL)
    {
      g_source_destroy (self->answer_source);
      g_clear_pointer (&self->answer_source, g_source_unref);
    }
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

/* Closes at once, whatever the peer does: a TLS connection's close would write its
 * close_notify and could wait on a client that reads nothing, in the main loop. */
static gboolean
gate_close (GIOStream *stream, GCancellable *cancellable, GError **error)
{
  RcFeedGate *self = RC_FEED_GATE (stream);

  mark_closed (self);
  if (G_IS_TLS_CONNECTION (self->base))
    g_socket_shutdown (self->socket, FALSE, TRUE, NULL);
  g_io_stream_close (self->base, NULL, NULL);
  return TRUE;
}

/* GIOStream's own asynchronous close runs the close in a thread; this one never
 * waits, so it runs here. */
static void
gate_close_async (GIOStream *stream, int io_priority, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer data)
{
  g_autoptr (GTask) task = g_task_new (stream, cancellable, callback, data);

  g_task_set_source_tag (task, gate_close_async);
  gate_close (stream, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
gate_close_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
rc_feed_gate_dispose (GObject *object)
{
  RcFeedGate *self = RC_FEED_GATE (object);

  /* Let go of unclosed: the connection is over all the same. */
  mark_closed (self);
  G_OBJECT_CLASS (rc_feed_gate_parent_class)->dispose (object);
}

static void
rc_feed_gate_finalize (GObject *object)
{
  RcFeedGate *self = RC_FEED_GATE (object);

  g_clear_object (&self->input);
  g_clear_object (&self->base);
  g_clear_object (&self->socket);
  g_clear_pointer (&self->head, g_byte_array_unref);
  g_clear_pointer (&self->answer, g_bytes_unref);
  g_clear_error (&self->failure);
  G_OBJECT_CLASS (rc_feed_gate_parent_class)->finalize (object);
}

static void
rc_feed_gate_class_init (RcFeedGateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = rc_feed_gate_dispose;
  object_class->finalize = rc_feed_gate_finalize;
  stream_class->get_input_stream = gate_get_input_stream;
  stream_class->get_output_stream = gate_get_output_stream;
  stream_class->close_fn = gate_close;
  stream_class->close_async = gate_close_async;
  stream_class->close_finish = gate_close_finish;

  signals[SIGNAL_REFUSED]
    = g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rc_feed_gate_init (RcFeedGate *self)
{
}

RcFeedGate *
rc_feed_gate_new (GIOStream *base, GSocket *socket)
{
  RcFeedGate *self;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);
  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);
  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (base)), NULL);

  self = g_object_new (RC_TYPE_FEED_GATE, NULL);
  self->base = g_object_ref (base);
  self->socket = g_object_ref (socket);
  self->input = g_object_new (RC_TYPE_FEED_GATE_INPUT, NULL);
  self->input->gate = self;
  self->head = g_byte_array_new ();
  self->state = STATE_HEAD;
  return self;
}

gboolean
rc_feed_gate_body_pending (RcFeedGate *self)
{
  g_return_val_if_fail (RC_IS_FEED_GATE (self), FALSE);
  /* With Expect: 100-continue, libsoup answers a refusal before any body is sent. */
  return self->state == STATE_BODY && !self->body_waits
         && (self->body_left < 0 || self->body_read < self->body_left);
}

void
rc_feed_gate_set_request_read (RcFeedGate *self)
{
  g_return_if_fail (RC_IS_FEED_GATE (self));
  if (self->state == STATE_BODY || self->state == STATE_HEAD)
    self->state = STATE_READ;
}

void
rc_feed_gate_set_upgraded (RcFeedGate *self)
{
  g_return_if_fail (RC_IS_FEED_GATE (self));
  if (self->state == STATE_DRAINING || self->state == STATE_FAILED)
    return;
  self->state = STATE_UPGRADED;
  self->allowance = RC_FEED_GATE_WS_BURST;
  self->last_refill = g_get_monotonic_time ();
}

gboolean
rc_feed_gate_is_closed (RcFeedGate *self)
{
  g_return_val_if_fail (RC_IS_FEED_GATE (self), TRUE);
  return self->closed;
}
