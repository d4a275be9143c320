/* rc-feed-replay.c — a feed source that replays an archived session into a hub.
 *
 * The timing is the model's RcReplay: it applies the journal to its own session in the
 * original time × speed, and every event it applies is published into the hub, which
 * numbers it in the hub's stream (so an operator's on-air switch can come between two
 * of them). Each run — the start, then every loop — is a new stream,
 * PREFIX~RUN-N, where RUN tells this process's runs from an earlier one's and N counts
 * the loops: the same stream id never names two different sequences of events. */
#include "rc-feed-replay.h"

#include "model/rc-replay.h"

struct _RcFeedReplay {
  GObject parent_instance;

  RcFeedHub *hub;
  RcReplay *replay;
  GPtrArray *events;
  char *prefix;
  char *run;
  guint n_runs;
  gboolean started;
  RcSession *followed; /* the replay's session whose events are published */
  gulong applied_id;
};

G_DEFINE_FINAL_TYPE (RcFeedReplay, rc_feed_replay, G_TYPE_OBJECT)

enum { FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
publish (RcFeedReplay *self, const RcEvent *event)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) published = NULL;

  /* A journal holds none, but liveness is the server's business, not the journal's. */
  if (event->type == RC_EVENT_HEARTBEAT)
    return;
  published = rc_feed_hub_publish (self->hub, event, &error);
  /* The hub's state machine saw what the replay's saw, so it refuses only what the
   * replay refused too (a damaged journal), and RcReplay has said so already. */
  if (published == NULL)
    g_message ("replay: event %" G_GINT64_FORMAT " not published: %s", event->seq, error->message);
}

static void
on_applied (RcSession *session, gpointer event, RcFeedReplay *self)
{
  publish (self, event);
}

static void
follow (RcFeedReplay *self, RcSession *session)
{
  if (self->followed != NULL)
    {
      g_clear_signal_handler (&self->applied_id, self->followed);
      g_clear_object (&self->followed);
    }
  if (session != NULL)
    {
      self->followed = g_object_ref (session);
      self->applied_id = g_signal_connect (session, "applied", G_CALLBACK (on_applied), self);
    }
}

/* A new stream for a new run. RcReplay folds what comes before the run's position
 * into a fresh session before anyone can listen — the very start of the journal (the
 * session, the first schedule) when it starts or loops, everything up to the position
 * sought when it seeks back: those events are published here, in order, and the
 * subscribers, seeing a new stream, take its snapshot. */
static void
begin_run (RcFeedReplay *self)
{
  g_autofree char *stream = NULL;
  guint applied = rc_replay_get_n_applied (self->replay);

  stream = g_strdup_printf ("%s~%s-%u", self->prefix, self->run, ++self->n_runs);
  rc_feed_hub_restart (self->hub, stream, NULL);
  follow (self, rc_replay_get_session (self->replay));
  for (guint i = 0; i < applied && i < self->events->len; i++)
    publish (self, g_ptr_array_index (self->events, i));
}

/* The replay looped: it folded the start of the journal into a fresh session. */
static void
on_replay_session (RcReplay *replay, GParamSpec *pspec, RcFeedReplay *self)
{
  if (self->started)
    begin_run (self);
}

static void
on_replay_finished (RcReplay *replay, RcFeedReplay *self)
{
  g_signal_emit (self, signals[FINISHED], 0);
}

static void
rc_feed_replay_dispose (GObject *object)
{
  RcFeedReplay *self = RC_FEED_REPLAY (object);

  follow (self, NULL);
  if (self->replay != NULL)
    {
      rc_replay_pause (self->replay);
      g_signal_handlers_disconnect_by_data (self->replay, self);
      g_clear_object (&self->replay);
    }
  g_clear_object (&self->hub);
  G_OBJECT_CLASS (rc_feed_replay_parent_class)->dispose (object);
}

static void
rc_feed_replay_finalize (GObject *object)
{
  RcFeedReplay *self = RC_FEED_REPLAY (object);

  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_free (self->prefix);
  g_free (self->run);
  G_OBJECT_CLASS (rc_feed_replay_parent_class)->finalize (object);
}

static void
rc_feed_replay_class_init (RcFeedReplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rc_feed_replay_dispose;
  object_class->finalize = rc_feed_replay_finalize;

  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rc_feed_replay_init (RcFeedReplay *self)
{
}

/* Base 36 of the wall clock in milliseconds: short, and different from any earlier
 * start of the program. */
static char *
run_tag (void)
{
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  guint64 ms = (guint64) (g_get_real_time () / 1000);
  char buffer[16];
  int i = sizeof buffer - 1;

  buffer[i] = '\0';
  do
    {
      buffer[--i] = digits[ms % 36];
      ms /= 36;
    }
  while (ms > 0 && i > 0);
  return g_strdup (buffer + i);
}

RcFeedReplay *
rc_feed_replay_new (RcFeedHub *hub, GPtrArray *events, const char *stream_prefix)
{
  RcFeedReplay *self;

  g_return_val_if_fail (RC_IS_FEED_HUB (hub), NULL);
  g_return_val_if_fail (events != NULL, NULL);
  g_return_val_if_fail (stream_prefix != NULL && *stream_prefix != '\0', NULL);

  self = g_object_new (RC_TYPE_FEED_REPLAY, NULL);
  self->hub = g_object_ref (hub);
  self->events = g_ptr_array_ref (events);
  /* Event ids are STREAM:SEQ: a stream id holds no ':'. */
  self->prefix = g_strdelimit (g_strdup (stream_prefix), ":", '-');
  self->run = run_tag ();
  self->replay = rc_replay_new (events);
  g_signal_connect (self->replay, "notify::session", G_CALLBACK (on_replay_session), self);
  g_signal_connect (self->replay, "finished", G_CALLBACK (on_replay_finished), self);
  return self;
}

void
rc_feed_replay_set_speed (RcFeedReplay *self, double speed)
{
  g_return_if_fail (RC_IS_FEED_REPLAY (self));
  rc_replay_set_speed (self->replay, speed);
}

void
rc_feed_replay_set_loop (RcFeedReplay *self, gboolean loop)
{
  g_return_if_fail (RC_IS_FEED_REPLAY (self));
  rc_replay_set_loop (self->replay, loop);
}

void
rc_feed_replay_start (RcFeedReplay *self)
{
  g_return_if_fail (RC_IS_FEED_REPLAY (self));

  if (!self->started)
    {
      self->started = TRUE;
      begin_run (self);
    }
  rc_replay_play (self->replay);
}

void
rc_feed_replay_stop (RcFeedReplay *self)
{
  g_return_if_fail (RC_IS_FEED_REPLAY (self));
  rc_replay_pause (self->replay);
}

RcReplay *
rc_feed_replay_get_replay (RcFeedReplay *self)
{
  g_return_val_if_fail (RC_IS_FEED_REPLAY (self), NULL);
  return self->replay;
}
