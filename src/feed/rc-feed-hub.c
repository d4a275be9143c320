/* rc-feed-hub.c — one stream of a feed: numbers, checks, journals, applies and hands
 * out each event, and keeps the newest of them (a bounded ring) for clients that
 * resume; a client further behind gets a snapshot (docs/feed-protocol.md §4, §8).
 *
 * The order inside rc_feed_hub_publish() is the crash-safety promise of the feed
 * (docs/feed-protocol.md §7): the state machine checks the event against the state so
 * far, the journal commits it, and only then is it applied and handed to the
 * subscribers, so that nothing a client saw can be missing after a crash.
 *
 * A hub that goes on from its journal (a restart) starts from the session's state as the
 * archive keeps it (its checkpoint and the events after it) and holds only those events;
 * older ones within the history's bound are read back from the journal when a client
 * resumes from there, so that restarting does not grow with the journal. */
#include "rc-feed-hub.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/rc-error.h"

/* The newest events of the stream, oldest first from `head`, in a ring that grows to
 * the hub's bound and then replaces its oldest event with each new one. Sequence
 * numbers stay those of the stream: the newest kept is last_seq. */
typedef struct {
  RcEvent **slots;
  guint size; /* slots allocated */
  guint len;  /* events kept */
  guint head; /* slot of the oldest kept */
  gint64 last_seq;
} History;

static void
history_clear (History *h)
{
  for (guint i = 0; i < h->len; i++)
    rc_event_unref (h->slots[(h->head + i) % h->size]);
  g_free (h->slots);
  *h = (History){ 0 };
}

static RcEvent *
history_nth (History *h, guint i)
{
  return h->slots[(h->head + i) % h->size];
}

/* Keeps the newest MIN (len, size) events in `size` slots, oldest at slot 0. */
static void
history_resize (History *h, guint size)
{
  RcEvent **slots = size > 0 ? g_new (RcEvent *, size) : NULL;
  guint keep = MIN (h->len, size);
  guint drop = h->len - keep;

  for (guint i = 0; i < drop; i++)
    rc_event_unref (history_nth (h, i));
  for (guint i = 0; i < keep; i++)
    slots[i] = history_nth (h, drop + i);
  g_free (h->slots);
  h->slots = slots;
  h->size = size;
  h->len = keep;
  h->head = 0;
}

/* Puts `older`, the events just before the oldest kept, in front of those kept; the
 * caller keeps within the bound. */
static void
history_prepend (History *h, GPtrArray *older)
{
  guint len = h->len + older->len;
  RcEvent **slots = g_new (RcEvent *, MAX (len, h->size));

  for (guint i = 0; i < older->len; i++)
    slots[i] = rc_event_ref (g_ptr_array_index (older, i));
  for (guint i = 0; i < h->len; i++)
    slots[older->len + i] = history_nth (h, i);
  g_free (h->slots);
  h->slots = slots;
  h->size = MAX (len, h->size);
  h->len = len;
  h->head = 0;
}

/* Takes a reference to event, the stream's next, and lets go of the oldest kept when
 * `limit` events are. */
static void
history_push (History *h, RcEvent *event, guint limit)
{
  g_assert (event->seq == h->last_seq + 1);
  h->last_seq = event->seq;
  if (h->len == h->size && h->size < limit)
    history_resize (h, MIN (limit, MAX (64, h->size * 2)));
  if (h->size == 0)
    return;
  if (h->len < h->size)
    {
      h->slots[(h->head + h->len) % h->size] = rc_event_ref (event);
      h->len++;
      return;
    }
  rc_event_unref (h->slots[h->head]);
  h->slots[h->head] = rc_event_ref (event);
  h->head = (h->head + 1) % h->size;
}

struct _RcFeedHub {
  GObject parent_instance;

  char *stream;
  RcArchive *journal; /* NULL: the stream lives in memory */
  char *session_id;   /* the journal's session; NULL until the first session event */
  RcSession *session;
  History history; /* the newest events, for clients that resume */
  guint history_limit;

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
  history_clear (&self->history);
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
  self->history_limit = RC_FEED_HUB_HISTORY_DEFAULT;
  g_queue_init (&self->pending);
}

static gboolean
stream_id_valid (const char *stream)
{
  return stream != NULL && stream[0] != '\0' && strchr (stream, ':') == NULL;
}

/* The session's state as the journal leaves it: the hub goes on where it stopped. The
 * archive gives it from the session's checkpoint and the events after it, which are
 * the only ones kept here for now (events_since() reads older ones back). */
static gboolean
load_journal (RcFeedHub *self, GError **error)
{
  g_autoptr (GPtrArray) tail = NULL;
  RcSession *state;
  gboolean has = FALSE;
  guint first;

  if (!rc_archive_has_session (self->journal, self->session_id, &has, error))
    return FALSE;
  if (!has)
    return TRUE;
  state = rc_archive_load_state (self->journal, self->session_id, &tail, error);
  if (state == NULL)
    return FALSE;
  g_object_unref (self->session);
  self->session = state;
  first = tail->len > self->history_limit ? tail->len - self->history_limit : 0;
  self->history.last_seq = rc_session_get_last_seq (state) - (tail->len - first);
  for (guint i = first; i < tail->len; i++)
    history_push (&self->history, g_ptr_array_index (tail, i), self->history_limit);
  g_assert (self->history.last_seq == rc_session_get_last_seq (state));
  return TRUE;
}

RcFeedHub *
rc_feed_hub_new (const char *stream, RcArchive *journal, const char *session_id, GError **error)
{
  return rc_feed_hub_new_full (stream, journal, session_id, RC_FEED_HUB_HISTORY_DEFAULT, error);
}

RcFeedHub *
rc_feed_hub_new_full (const char *stream, RcArchive *journal, const char *session_id, guint history,
                      GError **error)
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
  self->history_limit = history;
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
  return self->history.last_seq;
}

void
rc_feed_hub_set_history (RcFeedHub *self, guint history)
{
  g_return_if_fail (RC_IS_FEED_HUB (self));
  self->history_limit = history;
  if (self->history.size > history)
    history_resize (&self->history, history);
}

guint
rc_feed_hub_get_history (RcFeedHub *self)
{
  g_return_val_if_fail (RC_IS_FEED_HUB (self), 0);
  return self->history_limit;
}

guint
rc_feed_hub_get_n_kept (RcFeedHub *self)
{
  g_return_val_if_fail (RC_IS_FEED_HUB (self), 0);
  return self->history.len;
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

  last_seq = self->history.last_seq;
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
  history_push (&self->history, published, self->history_limit);

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
  History old_history;
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
  old_history = self->history;
  self->history = (History){ 0 };
  self->stream = g_strdup (stream);
  self->session_id = g_strdup (session_id);
  self->session = rc_session_new ();

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
      history_clear (&self->history);
      self->history = old_history;
      return NULL;
    }
  history_clear (&old_history);
  /* "restarted" goes out just before the stream's first event */
  g_queue_push_nth (&self->pending, NULL, (int) position);
  emit_pending (self);
  return published;
}

/* Reads back from the journal the events after seq that are older than those kept, and
 * keeps them: a client resuming after a restart from before its journal's tail. */
static gboolean
history_load (RcFeedHub *self, gint64 seq)
{
  History *h = &self->history;
  gint64 oldest = h->last_seq - h->len + 1;
  g_autoptr (GPtrArray) older = NULL;
  g_autoptr (GError) error = NULL;

  if (self->journal == NULL || self->session_id == NULL || h->last_seq - seq > self->history_limit)
    return FALSE;
  older = rc_archive_load_events_range (self->journal, self->session_id, seq, oldest - 1, &error);
  if (older == NULL)
    {
      /* The client gets a snapshot instead; the journal's trouble is the clerk's to see. */
      g_message ("resume: %s; a snapshot instead", error->message);
      return FALSE;
    }
  history_prepend (h, older);
  return TRUE;
}

GPtrArray *
rc_feed_hub_events_since (RcFeedHub *self, gint64 seq)
{
  History *h;
  GPtrArray *events;
  guint n;

  g_return_val_if_fail (RC_IS_FEED_HUB (self), NULL);

  h = &self->history;
  /* Beyond the last, or before the oldest kept (the events in between are gone, unless
   * the journal has them). */
  if (seq < 0 || seq > h->last_seq)
    return NULL;
  if (h->last_seq - seq > h->len && !history_load (self, seq))
    return NULL;
  n = h->last_seq - seq;
  events = g_ptr_array_new_full (n, (GDestroyNotify) rc_event_unref);
  for (guint i = h->len - n; i < h->len; i++)
    g_ptr_array_add (events, rc_event_ref (history_nth (h, i)));
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
  history_clear (&self->history);

  g_queue_push_tail (&self->pending, NULL);
  emit_pending (self);
}
