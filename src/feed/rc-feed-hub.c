/* rc-feed-hub.c — one stream of a feed: numbers, checks, journals, applies and hands
 * out each event, and keeps the whole stream for clients that resume.
 *
 * The order inside rc_feed_hub_publish() is the crash-safety promise of the feed
 * (docs/feed-protocol.md §7): the state machine checks the event against the state so
 * far, the journal commits it, and only then is it applied and handed to the
 * subscribers, so that nothing a client saw can be missing after a crash. */
#include "rc-feed-hub.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/rc-error.h"

struct _RcFeedHub {
  GObject parent_instance;

  char *stream;
  RcArchive *journal; /* NULL: the stream lives in memory */
  char *session_id;   /* the journal's session; NULL until the first session event */
  RcSession *session;
  GPtrArray *events; /* of RcEvent: the stream so far, event seq N at N - 1 */

  /* Signals are emitted in the order things happened even when a handler publishes
   * (a replay switching the screens as an event goes out): what happens meanwhile
   * waits here. NULL stands for a restart. */
  GQueue pending;
  gboolean emitting;
  gboolean holding; /* a restart waits for its first event's commit */
};

enum { SIGNAL_PUBLISHED, SIGNAL_RESTARTED, N_SIGNALS };

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RcFeedHub, rc_feed_hub, G_TYPE_OBJECT)

static void
rc_feed_hub_finalize (GObject *object)
{
  RcFeedHub *self = RC_FEED_HUB (object);

  g_queue_clear_full (&self->pending, (GDestroyNotify) rc_event_unref);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->journal);
  g_free (self->session_id);
  g_free (self->stream);

  G_OBJECT_CLASS (rc_feed_hub_parent_class)->finalize (object);
}

static void
rc_feed_hub_class_init (RcFeedHubClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rc_feed_hub_finalize;

  signals[SIGNAL_PUBLISHED]
    = g_signal_new ("published", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_RESTARTED] = g_signal_new ("restarted", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rc_feed_hub_init (RcFeedHub *self)
{
  self->session = rc_session_new ();
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  g_queue_init (&self->pending);
}

static gboolean
stream_id_valid (const char *stream)
{
  return stream != NULL && stream[0] != '\0' && strchr (stream, ':') == NULL;
}

/* Folds the journal's events of the session: the hub goes on where it stopped. */
static gboolean
load_journal (RcFeedHub *self, GError **error)
{
  g_autoptr (GPtrArray) events = NULL;
  gboolean has = FALSE;

  if (!rc_archive_has_session (self->journal, self->session_id, &has, error))
    return FALSE;
  if (!has)
    return TRUE;
  events = rc_archive_load_events (self->journal, self->session_id, error);
  if (events == NULL)
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      RcEvent *event = g_ptr_array_index (events, i);
      g_autoptr (GError) local = NULL;

      if (!rc_session_apply (self->session, event, &local))
        {
          g_set_error (
            error, RC_ERROR, RC_ERROR_ARCHIVE,
            _("%s: the journal of session '%s' cannot be resumed: event %" G_GINT64_FORMAT
               " is refused (%s)"),
            rc_archive_get_path (self->journal), self->session_id, event->seq, local->message);
          return FALSE;
        }
      g_ptr_array_add (self->events, rc_event_ref (event));
    }
  return TRUE;
}

RcFeedHub *
rc_feed_hub_new (const char *stream, RcArchive *journal, const char *session_id, GError **error)
{
  g_autoptr (RcFeedHub) self = NULL;

  g_return_val_if_fail (stream != NULL, NULL);
  g_return_val_if_fail (journal == NULL || RC_IS_ARCHIVE (journal), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The stream id is the first half of every event id: a ':' in it would make ids
   * that cannot be split. It often comes from a session id, a user's text. */
  if (!stream_id_valid (stream))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   _("'%s' cannot name a feed's stream: it must be non-empty and hold no ':'"),
                   stream);
      return NULL;
    }
  self = g_object_new (RC_TYPE_FEED_HUB, NULL);
  self->stream = g_strdup (stream);
  self->journal = journal != NULL ? g_object_ref (journal) : NULL;
  self->session_id = g_strdup (session_id);
  if (self->journal != NULL && self->session_id != NULL && !load_journal (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
rc_feed_hub_get_stream (RcFeedHub *self)
{
  g_return_val_if_fail (RC_IS_FEED_HUB (self), NULL);
  return self->stream;
}

RcSession *
rc_feed_hub_get_session (RcFeedHub *self)
{
  g_return_val_if_fail (RC_IS_FEED_HUB (self), NULL);
  return self->session;
}

gint64
rc_feed_hub_get_last_seq (RcFeedHub *self)
{
  g_return_val_if_fail (RC_IS_FEED_HUB (self), 0);
  return self->events->len;
}

/* Emits what is pending, oldest first, unless an emission is already doing so. */
static void
emit_pending (RcFeedHub *self)
{
  if (self->emitting || self->holding)
    return;
  self->emitting = TRUE;
  g_object_ref (self);
  while (!g_queue_is_empty (&self->pending))
    {
      g_autoptr (RcEvent) event = g_queue_pop_head (&self->pending);

      if (event != NULL)
        g_signal_emit (self, signals[SIGNAL_PUBLISHED], 0, event);
      else
        g_signal_emit (self, signals[SIGNAL_RESTARTED], 0);
    }
  self->emitting = FALSE;
  g_object_unref (self);
}

RcEvent *
rc_feed_hub_publish (RcFeedHub *self, const RcEvent *event, GError **error)
{
  g_autoptr (RcEvent) published = NULL;
  gint64 last_seq, last_time;
  const char *journal_id;
  gboolean applied;

  g_return_val_if_fail (RC_IS_FEED_HUB (self), NULL);
  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (event->type == RC_EVENT_HEARTBEAT)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                   _("a heartbeat is not an event of the stream; the server sends its own"));
      return NULL;
    }

  last_seq = self->events->len;
  last_time = rc_session_get_last_time (self->session);
  published = rc_event_with_seq (event, last_seq + 1);
  /* Not shared yet, so still ours to stamp. Time never runs backwards in a stream:
   * replay plays it on a clock. */
  published->time = event->time != 0 ? event->time : g_get_real_time ();
  if (last_seq > 0 && published->time < last_time)
    published->time = last_time;

  journal_id = self->session_id;
  if (event->type == RC_EVENT_SESSION)
    {
      if (journal_id != NULL && self->journal != NULL
          && g_strcmp0 (event->session->id, journal_id) != 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_SEQUENCE,
                       _("this feed journals session '%s': a session event for '%s' cannot go "
                          "into it"),
                       journal_id, event->session->id);
          return NULL;
        }
      if (journal_id == NULL)
        journal_id = event->session->id;
    }

  if (!rc_session_check (self->session, published, error))
    return NULL;
  if (self->journal != NULL)
    {
      /* A hub without a session id yet journals under the first session event's id;
       * the state machine has just refused anything else as a first event. */
      g_assert (journal_id != NULL);
      if (!rc_archive_append (self->journal, journal_id, published, error))
        return NULL;
      if (self->session_id == NULL)
        self->session_id = g_strdup (journal_id);
    }
  applied = rc_session_apply (self->session, published, NULL);
  /* rc_session_check() said yes a moment ago, to the same state. */
  g_assert (applied);
  g_ptr_array_add (self->events, rc_event_ref (published));

  g_queue_push_tail (&self->pending, rc_event_ref (published));
  emit_pending (self);
  return g_steal_pointer (&published);
}

RcEvent *
rc_feed_hub_restart_with (RcFeedHub *self, const char *stream, const char *session_id,
                          const RcEvent *first, GError **error)
{
  g_autofree char *old_stream = NULL;
  g_autofree char *old_session_id = NULL;
  g_autoptr (RcSession) old_session = NULL;
  g_autoptr (GPtrArray) old_events = NULL;
  guint position = g_queue_get_length (&self->pending);
  RcEvent *published;

  g_return_val_if_fail (RC_IS_FEED_HUB (self), NULL);
  g_return_val_if_fail (stream_id_valid (stream), NULL);
  g_return_val_if_fail (first != NULL, NULL);

  /* The new stream is set up aside the old one; nobody hears of it until its first
   * event is committed, and a refusal puts the old one back as it was. */
  old_stream = g_steal_pointer (&self->stream);
  old_session_id = g_steal_pointer (&self->session_id);
  old_session = g_steal_pointer (&self->session);
  old_events = g_steal_pointer (&self->events);
  self->stream = g_strdup (stream);
  self->session_id = g_strdup (session_id);
  self->session = rc_session_new ();
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);

  self->holding = TRUE;
  published = rc_feed_hub_publish (self, first, error);
  self->holding = FALSE;
  if (published == NULL)
    {
      g_free (self->stream);
      self->stream = g_steal_pointer (&old_stream);
      g_free (self->session_id);
      self->session_id = g_steal_pointer (&old_session_id);
      g_clear_object (&self->session);
      self->session = g_steal_pointer (&old_session);
      g_ptr_array_unref (self->events);
      self->events = g_steal_pointer (&old_events);
      return NULL;
    }
  /* "restarted" goes out just before the stream's first event */
  g_queue_push_nth (&self->pending, NULL, (int) position);
  emit_pending (self);
  return published;
}

GPtrArray *
rc_feed_hub_events_since (RcFeedHub *self, gint64 seq)
{
  GPtrArray *events;

  g_return_val_if_fail (RC_IS_FEED_HUB (self), NULL);

  if (seq < 0 || seq > (gint64) self->events->len)
    return NULL;
  events = g_ptr_array_new_full (self->events->len - seq, (GDestroyNotify) rc_event_unref);
  for (guint i = seq; i < self->events->len; i++)
    g_ptr_array_add (events, rc_event_ref (g_ptr_array_index (self->events, i)));
  return events;
}

RcSnapshot *
rc_feed_hub_snapshot (RcFeedHub *self)
{
  g_return_val_if_fail (RC_IS_FEED_HUB (self), NULL);
  return rc_session_snapshot (self->session);
}

void
rc_feed_hub_restart (RcFeedHub *self, const char *stream, const char *session_id)
{
  g_return_if_fail (RC_IS_FEED_HUB (self));
  g_return_if_fail (stream_id_valid (stream));

  g_free (self->stream);
  self->stream = g_strdup (stream);
  g_free (self->session_id);
  self->session_id = g_strdup (session_id);
  g_clear_object (&self->session);
  self->session = rc_session_new ();
  g_ptr_array_set_size (self->events, 0);

  g_queue_push_tail (&self->pending, NULL);
  emit_pending (self);
}
