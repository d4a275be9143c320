/* rc-feed-ws-guard.c — the stream a board reads a feed's WebSocket through (see
 * rc-feed-ws-guard.h).
 *
 * Two types: RcFeedWsGuard, the GIOStream libsoup is given, whose output is its base's
 * and whose input is a RcFeedWsGuardInput, a pollable stream that reads the base
 * without blocking and follows the frames' headers as they pass (rc-ws-frames.c). Its
 * sources are its own, so that reading waits for the next turn of the main loop, or for
 * the board to unpause it, rather than for the socket alone. */
#include "rc-feed-ws-guard.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/rc-error.h"
#include "rc-ws-frames.h"

/* What one turn of the main loop reads at most: a few ms of libsoup's work. */
#define TURN_BYTES (64 * 1024)
#define TURN_FRAMES 256
/* Control frames (pings) that may come while the board's socket is full, that is while
 * the server reads none of its answers, before the connection is dropped: each would
 * queue another pong in libsoup, with no end. */
#define MAX_UNANSWERED 16

#define RC_TYPE_FEED_WS_GUARD_INPUT (rc_feed_ws_guard_input_get_type ())
G_DECLARE_FINAL_TYPE (RcFeedWsGuardInput, rc_feed_ws_guard_input, RC, FEED_WS_GUARD_INPUT,
                      GInputStream)

struct _RcFeedWsGuardInput
{
  GInputStream parent_instance;
  RcFeedWsGuard *guard; /* not a reference: the guard owns its input */
};

struct _RcFeedWsGuard
{
  GIOStream parent_instance;

  GIOStream *base;
  GSocket *socket;
  RcFeedWsGuardInput *input;
  gsize max_message;
  int priority;
  GBytes *early;    /* frames read with the handshake's answer, not yet given */
  gsize early_used;

  RcWsFrames *frames;
  guint unanswered;      /* control frames since the board's socket was last writable */

  /* pacing */
  gsize turn_bytes;
  guint turn_frames;
  gboolean yielded;      /* the turn's budget is spent: ready again next turn */
  gboolean paused;
  GSource *paused_source; /* not a reference: woken when unpaused */

  gboolean shut;
  gboolean closed;
  GError *failure;
};

static void rc_feed_ws_guard_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RcFeedWsGuardInput, rc_feed_ws_guard_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      rc_feed_ws_guard_input_pollable_init))
G_DEFINE_FINAL_TYPE (RcFeedWsGuard, rc_feed_ws_guard, G_TYPE_IO_STREAM)

static GPollableInputStream *
base_input (RcFeedWsGuard *self)
{
  return G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (self->base));
}

static GPollableOutputStream *
base_output (RcFeedWsGuard *self)
{
  return G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (self->base));
}

static void
wake (RcFeedWsGuard *self)
{
  if (self->paused_source != NULL)
    g_source_set_ready_time (self->paused_source, 0);
}

/* From now on every read fails with this: libsoup then closes the connection. */
static gboolean
fail (RcFeedWsGuard *self, const char *message)
{
  if (self->failure == NULL)
    self->failure = g_error_new_literal (RC_ERROR, RC_ERROR_BAD_MESSAGE, message);
  wake (self);
  return FALSE;
}

/* ---------------------------------------------------------------- the frames */

/* A frame's header was read: FALSE refuses the frame (and fails the stream). */
static gboolean
on_frame (guint opcode, gboolean fin, guint64 length, gpointer data)
{
  RcFeedWsGuard *self = data;

  self->turn_frames++;
  if (opcode & 0x08)
    {
      /* A control frame: libsoup answers a ping at once, and queues the answer when it
       * cannot be written. */
      if (g_pollable_output_stream_is_writable (base_output (self)))
        self->unanswered = 0;
      else if (++self->unanswered > MAX_UNANSWERED)
        return fail (self, _("the server sends pings and reads none of the answers"));
      return TRUE;
    }
  if (self->shut)
    return fail (self, _("a message after the board closed the connection"));
  return TRUE;
}

/* n bytes just read, in order. Returns how many of them come up to a frame that broke
 * a limit (n when none did; the failure is then set). */
static gsize
account (RcFeedWsGuard *self, const guint8 *data, gsize n)
{
  gsize taken;

  if (rc_ws_frames_feed (self->frames, data, n, on_frame, self, &taken) == RC_WS_FRAMES_TOO_LONG)
    {
      g_autofree char *reason
        = g_strdup_printf (_ ("a message longer than %zu bytes"), self->max_message);

      fail (self, reason);
    }
  return taken;
}

/* ---------------------------------------------------------------- reading */

static gssize
failed_read (RcFeedWsGuard *self, GError **error)
{
  g_set_error_literal (error, self->failure->domain, self->failure->code, self->failure->message);
  return -1;
}

static gssize
would_block (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "later");
  return -1;
}

static gboolean
early_left (RcFeedWsGuard *self)
{
  return self->early != NULL && self->early_used < g_bytes_get_size (self->early);
}

static gssize
guard_read (RcFeedWsGuard *self, void *buffer, gsize count, gboolean blocking,
            GCancellable *cancellable, GError **error)
{
  gssize n;

  if (self->failure != NULL)
    return failed_read (self, error);
  if (self->closed)
    return 0;
  if (!blocking)
    {
      if (self->paused)
        return would_block (error);
      if (self->turn_bytes >= TURN_BYTES || self->turn_frames >= TURN_FRAMES)
        {
          self->yielded = TRUE;
          return would_block (error);
        }
      count = MIN (count, TURN_BYTES - self->turn_bytes);
    }
  if (early_left (self))
    {
      gsize size;
      const guint8 *early = g_bytes_get_data (self->early, &size);

      n = (gssize) MIN (count, size - self->early_used);
      memcpy (buffer, early + self->early_used, (gsize) n);
      self->early_used += (gsize) n;
    }
  else
    n = g_pollable_stream_read (G_INPUT_STREAM (base_input (self)), buffer, count, blocking,
                                cancellable, error);
  if (n <= 0)
    return n;
  self->turn_bytes += (gsize) n;
  /* The frames before a refused one are given (they were whole, and came first); the
   * next read fails. */
  n = (gssize) account (self, buffer, (gsize) n);
  if (n == 0)
    return failed_read (self, error);
  return n;
}

/* ---------------------------------------------------------------- its sources */

/* A source that readies when the base is readable, or next turn (yielded, a failure to
 * tell), or when the board unpauses reading; dispatching it starts a new turn. */
typedef struct
{
  GSource source;
  RcFeedWsGuard *guard; /* a reference */
} TurnSource;

static gboolean
turn_source_dispatch (GSource *source, GSourceFunc callback, gpointer data)
{
  RcFeedWsGuard *self = ((TurnSource *) source)->guard;
  GPollableSourceFunc func = (GPollableSourceFunc) (void (*) (void)) callback;

  self->yielded = FALSE;
  self->turn_bytes = 0;
  self->turn_frames = 0;
  if (func == NULL)
    return G_SOURCE_REMOVE;
  return func (G_OBJECT (self->input), data);
}

static void
turn_source_finalize (GSource *source)
{
  RcFeedWsGuard *self = ((TurnSource *) source)->guard;

  if (self->paused_source == source)
    self->paused_source = NULL;
  g_object_unref (self);
}

static GSourceFuncs turn_source_funcs = {
  NULL, NULL, turn_source_dispatch, turn_source_finalize, NULL, NULL,
};

static GSource *
input_create_source (GPollableInputStream *stream, GCancellable *cancellable)
{
  RcFeedWsGuard *self = RC_FEED_WS_GUARD_INPUT (stream)->guard;
  GSource *source = g_source_new (&turn_source_funcs, sizeof (TurnSource));

  ((TurnSource *) source)->guard = g_object_ref (self);
  g_source_set_name (source, "rc-feed-ws-guard");
  g_source_set_priority (source, self->priority);
  if (self->failure != NULL || self->closed)
    g_source_set_ready_time (source, 0);
  else if (self->paused)
    self->paused_source = source;
  else if (self->yielded || early_left (self))
    g_source_set_ready_time (source, 0);
  else
    {
      g_autoptr (GSource) child = g_pollable_input_stream_create_source (base_input (self), NULL);

      g_source_set_dummy_callback (child);
      g_source_add_child_source (source, child);
    }
  if (cancellable != NULL)
    {
      g_autoptr (GSource) cancelled = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancelled);
      g_source_add_child_source (source, cancelled);
    }
  return source;
}

/* ---------------------------------------------------------------- the input */

static gssize
input_read (GInputStream *stream, void *buffer, gsize count, GCancellable *cancellable,
            GError **error)
{
  return guard_read (RC_FEED_WS_GUARD_INPUT (stream)->guard, buffer, count, TRUE, cancellable,
                     error);
}

static gboolean
input_close (GInputStream *stream, GCancellable *cancellable, GError **error)
{
  /* The guard closes its base; its input has nothing of its own to close. */
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
  RcFeedWsGuard *self = RC_FEED_WS_GUARD_INPUT (stream)->guard;

  if (self->failure != NULL || self->closed)
    return TRUE;
  if (self->paused)
    return FALSE;
  return self->yielded || early_left (self) || g_pollable_input_stream_is_readable (base_input (self));
}

static gssize
input_read_nonblocking (GPollableInputStream *stream, void *buffer, gsize count, GError **error)
{
  return guard_read (RC_FEED_WS_GUARD_INPUT (stream)->guard, buffer, count, FALSE, NULL, error);
}

static void
rc_feed_ws_guard_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = input_can_poll;
  iface->is_readable = input_is_readable;
  iface->create_source = input_create_source;
  iface->read_nonblocking = input_read_nonblocking;
}

static void
rc_feed_ws_guard_input_class_init (RcFeedWsGuardInputClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = input_read;
  G_INPUT_STREAM_CLASS (klass)->close_fn = input_close;
}

static void
rc_feed_ws_guard_input_init (RcFeedWsGuardInput *self)
{
}

/* ---------------------------------------------------------------- the guard */

static GInputStream *
guard_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (RC_FEED_WS_GUARD (stream)->input);
}

static GOutputStream *
guard_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (RC_FEED_WS_GUARD (stream)->base);
}

/* Closes at once, whatever the server does: a TLS connection's close would write its
 * close_notify, and wait in the main loop on a server that reads nothing. */
static gboolean
guard_close (GIOStream *stream, GCancellable *cancellable, GError **error)
{
  RcFeedWsGuard *self = RC_FEED_WS_GUARD (stream);

  if (self->closed)
    return TRUE;
  self->closed = TRUE;
  wake (self);
  g_socket_shutdown (self->socket, TRUE, TRUE, NULL);
  g_io_stream_close (self->base, NULL, NULL);
  return TRUE;
}

/* GIOStream's own asynchronous close runs the close in a thread; this one never
 * waits, so it runs here. */
static void
guard_close_async (GIOStream *stream, int io_priority, GCancellable *cancellable,
                   GAsyncReadyCallback callback, gpointer data)
{
  g_autoptr (GTask) task = g_task_new (stream, cancellable, callback, data);

  g_task_set_source_tag (task, guard_close_async);
  guard_close (stream, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
guard_close_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
rc_feed_ws_guard_dispose (GObject *object)
{
  /* Let go of unclosed: the connection is over all the same. */
  guard_close (G_IO_STREAM (object), NULL, NULL);
  G_OBJECT_CLASS (rc_feed_ws_guard_parent_class)->dispose (object);
}

static void
rc_feed_ws_guard_finalize (GObject *object)
{
  RcFeedWsGuard *self = RC_FEED_WS_GUARD (object);

  g_clear_object (&self->input);
  g_clear_object (&self->base);
  g_clear_object (&self->socket);
  g_clear_pointer (&self->early, g_bytes_unref);
  g_clear_pointer (&self->frames, rc_ws_frames_free);
  g_clear_error (&self->failure);
  G_OBJECT_CLASS (rc_feed_ws_guard_parent_class)->finalize (object);
}

static void
rc_feed_ws_guard_class_init (RcFeedWsGuardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = rc_feed_ws_guard_dispose;
  object_class->finalize = rc_feed_ws_guard_finalize;
  stream_class->get_input_stream = guard_get_input_stream;
  stream_class->get_output_stream = guard_get_output_stream;
  stream_class->close_fn = guard_close;
  stream_class->close_async = guard_close_async;
  stream_class->close_finish = guard_close_finish;
}

static void
rc_feed_ws_guard_init (RcFeedWsGuard *self)
{
}

RcFeedWsGuard *
rc_feed_ws_guard_new (GIOStream *base, GSocket *socket, GBytes *early, gsize max_message,
                      int priority)
{
  RcFeedWsGuard *self;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);
  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);
  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (base)), NULL);

  self = g_object_new (RC_TYPE_FEED_WS_GUARD, NULL);
  self->base = g_object_ref (base);
  self->socket = g_object_ref (socket);
  self->input = g_object_new (RC_TYPE_FEED_WS_GUARD_INPUT, NULL);
  self->input->guard = self;
  self->early = early != NULL && g_bytes_get_size (early) > 0 ? g_bytes_ref (early) : NULL;
  self->max_message = max_message;
  self->frames = rc_ws_frames_new (max_message);
  self->priority = priority;
  return self;
}

void
rc_feed_ws_guard_set_paused (RcFeedWsGuard *self, gboolean paused)
{
  g_return_if_fail (RC_IS_FEED_WS_GUARD (self));

  if (self->paused == paused)
    return;
  self->paused = paused;
  if (!paused)
    wake (self);
}

void
rc_feed_ws_guard_shut (RcFeedWsGuard *self)
{
  g_return_if_fail (RC_IS_FEED_WS_GUARD (self));
  self->shut = TRUE;
  /* Paused or not, the server's close is to be read now. */
  rc_feed_ws_guard_set_paused (self, FALSE);
}
