/* rc-replay.c — plays a journal into a session in its original time × speed.
 *
 * Positions are µs from the first event. While playing, the position runs on the
 * monotonic clock from a base (base_position at base_mono) scaled by the speed; one
 * GLib timeout is armed for the next due event, and every event due by then is
 * applied in one go, so a burst of ballots costs one wake-up. */
#include "rc-replay.h"

#include <math.h>

#include "rc-error.h"

#define LOOP_PAUSE_MS 5000

struct _RcReplay
{
  GObject parent_instance;

  GPtrArray *events;
  RcSession *session;
  guint next; /* index of the next event to apply */
  gint64 t0;
  gint64 duration;
  double speed;
  gboolean playing;
  gboolean loop;
  gint64 base_position;
  gint64 base_mono;
  guint timeout_id;
  guint seeks; /* counts seeks, so that one made from a signal handler wins */
};

G_DEFINE_FINAL_TYPE (RcReplay, rc_replay, G_TYPE_OBJECT)

enum { PROP_0, PROP_SESSION, PROP_PLAYING, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { FINISHED, EVENT_REFUSED, N_SIGNALS };
static guint signals[N_SIGNALS];

guint
rc_session_fold (RcSession *session, GPtrArray *events, gint64 until, GError **error)
{
  guint applied = 0;

  g_return_val_if_fail (RC_IS_SESSION (session), 0);
  g_return_val_if_fail (events != NULL, 0);

  for (guint i = 0; i < events->len; i++)
    {
      const RcEvent *e = g_ptr_array_index (events, i);
      g_autoptr (GError) local = NULL;

      if (e->time > until)
        break;
      /* A damaged journal: the refused event changes nothing; report the first and go
       * on, as a replay on the screens does. */
      if (rc_session_apply (session, e, &local))
        applied++;
      else
        {
          rc_session_skip (session, e);
          if (error != NULL && *error == NULL)
            g_propagate_error (error, g_steal_pointer (&local));
        }
    }
  return applied;
}

gboolean
rc_journal_has_on_air (GPtrArray *events)
{
  g_return_val_if_fail (events != NULL, FALSE);
  for (guint i = 0; i < events->len; i++)
    if (((const RcEvent *) g_ptr_array_index (events, i))->type == RC_EVENT_ON_AIR)
      return TRUE;
  return FALSE;
}

static void schedule (RcReplay *self);

static gint64
event_position (RcReplay *self, guint index)
{
  return ((const RcEvent *) g_ptr_array_index (self->events, index))->time - self->t0;
}

static void
apply_until (RcReplay *self, gint64 position)
{
  /* A signal handler may seek, which replaces the session: hold on to this one and
   * stop as soon as it is no longer the one being played. */
  g_autoptr (RcSession) session = g_object_ref (self->session);

  while (self->next < self->events->len && event_position (self, self->next) <= position
         && session == self->session)
    {
      g_autoptr (GError) error = NULL;
      const RcEvent *e = g_ptr_array_index (self->events, self->next++);

      /* A journal that the state machine refuses is damaged; say so and go on with
       * the rest rather than freeze the board (rc_session_fold does the same). */
      if (!rc_session_apply (session, e, &error))
        {
          rc_session_skip (session, e);
          g_message ("replay: event %" G_GINT64_FORMAT " refused: %s", e->seq, error->message);
          g_signal_emit (self, signals[EVENT_REFUSED], 0, e, error);
        }
    }
}

static void
rc_replay_finalize (GObject *object)
{
  RcReplay *self = RC_REPLAY (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->session);
  g_ptr_array_unref (self->events);
  G_OBJECT_CLASS (rc_replay_parent_class)->finalize (object);
}

static void
rc_replay_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RcReplay *self = RC_REPLAY (object);

  switch (prop_id)
    {
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    case PROP_PLAYING: g_value_set_boolean (value, self->playing); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_replay_class_init (RcReplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rc_replay_finalize;
  object_class->get_property = rc_replay_get_property;

  props[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, RC_TYPE_SESSION,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[EVENT_REFUSED] = g_signal_new ("event-refused", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                         2, G_TYPE_POINTER, G_TYPE_ERROR);
}

static void
rc_replay_init (RcReplay *self)
{
  self->speed = 1.0;
  self->session = rc_session_new ();
}

RcReplay *
rc_replay_new (GPtrArray *events)
{
  RcReplay *self;

  g_return_val_if_fail (events != NULL, NULL);

  self = g_object_new (RC_TYPE_REPLAY, NULL);
  self->events = g_ptr_array_ref (events);
  if (events->len > 0)
    {
      self->t0 = ((const RcEvent *) g_ptr_array_index (events, 0))->time;
      for (guint i = 0; i < events->len; i++)
        self->duration = MAX (self->duration, event_position (self, i));
    }
  /* Everything at the very start (the session, the first schedule) is there at once. */
  apply_until (self, 0);
  return self;
}

RcSession *
rc_replay_get_session (RcReplay *self)
{
  g_return_val_if_fail (RC_IS_REPLAY (self), NULL);
  return self->session;
}

gint64
rc_replay_get_position (RcReplay *self)
{
  gint64 pos;

  g_return_val_if_fail (RC_IS_REPLAY (self), 0);
  pos = self->base_position;
  if (self->playing)
    pos += (gint64) ((double) (g_get_monotonic_time () - self->base_mono) * self->speed);
  return CLAMP (pos, 0, self->duration);
}

gint64
rc_replay_get_duration (RcReplay *self)
{
  g_return_val_if_fail (RC_IS_REPLAY (self), 0);
  return self->duration;
}

gint64
rc_replay_get_start_time (RcReplay *self)
{
  g_return_val_if_fail (RC_IS_REPLAY (self), 0);
  return self->t0;
}

static void
rebase (RcReplay *self, gint64 position)
{
  self->base_position = position;
  self->base_mono = g_get_monotonic_time ();
}

static gboolean
on_loop_restart (gpointer data)
{
  RcReplay *self = data;

  self->timeout_id = 0;
  rc_replay_seek (self, 0);
  return G_SOURCE_REMOVE;
}

static gboolean
on_due (gpointer data)
{
  RcReplay *self = data;

  self->timeout_id = 0;
  apply_until (self, rc_replay_get_position (self));
  schedule (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (RcReplay *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (!self->playing)
    return;

  if (self->next >= self->events->len)
    {
      if (self->loop)
        {
          self->timeout_id = g_timeout_add (LOOP_PAUSE_MS, on_loop_restart, self);
          return;
        }
      self->playing = FALSE;
      rebase (self, self->duration);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PLAYING]);
      g_signal_emit (self, signals[FINISHED], 0);
      return;
    }

  {
    gint64 wait_us = event_position (self, self->next) - rc_replay_get_position (self);
    /* at most a minute per wake-up: a long gap in the journal costs a few timers */
    double wait_ms = CLAMP (ceil ((double) wait_us / self->speed / 1000.0), 0, 60000);

    self->timeout_id = g_timeout_add ((guint) wait_ms, on_due, self);
  }
}

void
rc_replay_play (RcReplay *self)
{
  g_return_if_fail (RC_IS_REPLAY (self));
  if (self->playing)
    return;
  if (self->next >= self->events->len && !self->loop)
    return; /* nothing left to play: seek first */
  rebase (self, self->base_position);
  self->playing = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PLAYING]);
  schedule (self);
}

void
rc_replay_pause (RcReplay *self)
{
  g_return_if_fail (RC_IS_REPLAY (self));
  if (!self->playing)
    return;
  rebase (self, rc_replay_get_position (self));
  self->playing = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PLAYING]);
}

gboolean
rc_replay_is_playing (RcReplay *self)
{
  g_return_val_if_fail (RC_IS_REPLAY (self), FALSE);
  return self->playing;
}

void
rc_replay_set_speed (RcReplay *self, double speed)
{
  g_return_if_fail (RC_IS_REPLAY (self));
  g_return_if_fail (isfinite (speed));
  rebase (self, rc_replay_get_position (self));
  self->speed = CLAMP (speed, RC_REPLAY_MIN_SPEED, RC_REPLAY_MAX_SPEED);
  schedule (self);
}

double
rc_replay_get_speed (RcReplay *self)
{
  g_return_val_if_fail (RC_IS_REPLAY (self), 1.0);
  return self->speed;
}

void
rc_replay_set_loop (RcReplay *self, gboolean loop)
{
  g_return_if_fail (RC_IS_REPLAY (self));
  self->loop = !!loop;
}

void
rc_replay_seek (RcReplay *self, gint64 position)
{
  guint serial;

  g_return_if_fail (RC_IS_REPLAY (self));

  serial = ++self->seeks;
  position = CLAMP (position, 0, self->duration);
  /* Going back means folding the journal again from the start into a new session:
   * the state machine only moves forward. */
  if (self->next > 0 && event_position (self, self->next - 1) > position)
    {
      g_autoptr (RcSession) old = g_steal_pointer (&self->session);

      self->session = rc_session_new ();
      self->next = 0;
      apply_until (self, position);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SESSION]);
    }
  else
    apply_until (self, position);

  /* A handler of the events just applied sought elsewhere: that seek stands. */
  if (serial != self->seeks)
    return;
  rebase (self, position);
  schedule (self);
}

guint
rc_replay_get_n_applied (RcReplay *self)
{
  g_return_val_if_fail (RC_IS_REPLAY (self), 0);
  return self->next;
}

GPtrArray *
rc_replay_get_events (RcReplay *self)
{
  g_return_val_if_fail (RC_IS_REPLAY (self), NULL);
  return self->events;
}

gint64
rc_replay_get_event_position (RcReplay *self, guint index)
{
  g_return_val_if_fail (RC_IS_REPLAY (self), 0);
  g_return_val_if_fail (index < self->events->len, 0);
  return event_position (self, index);
}
