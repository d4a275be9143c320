/* rc-feed-decoder.c — a feed client's messages decoded on a worker thread, handed back
 * on the main context in the order received. */
#include "rc-feed-decoder.h"

#include <string.h>

#include "codec/rc-codec.h"

/* The most one turn on the main context hands back, in µs: the rest waits a turn. */
#define TURN_BUDGET_US 4000

typedef struct {
  RcFeedDecodedKind kind;
  gpointer tag;
  char *text;
  gsize length;
  char *id;
  RcMessage *message;
  GError *error;
} Item;

struct _RcFeedDecoder
{
  RcFeedDecodedFunc func;
  gpointer user_data;
  gpointer (*tag_ref) (gpointer);
  void (*tag_unref) (gpointer);

  GThreadPool *pool; /* one thread: items are decoded, and come back, in order */
  GAsyncQueue *done; /* of Item */
  GSource *source;   /* on the main context, ready when done has items */
  guint in_flight;   /* pushed, not handed back yet (main thread only) */
  gsize in_flight_bytes; /* their texts' lengths */
  gint stopping;     /* atomic: being freed, the worker decodes nothing more */
  gboolean handing_back; /* inside a hand-back: freeing waits for its end */
  gboolean doomed;       /* freed during a hand-back */
};

static void really_free (RcFeedDecoder *self);

static void
item_free (RcFeedDecoder *self, Item *item)
{
  self->tag_unref (item->tag);
  g_free (item->text);
  g_free (item->id);
  g_clear_pointer (&item->message, rc_message_free);
  g_clear_error (&item->error);
  g_free (item);
}

/* The worker thread: touches only the item's text, message and error. */
static void
decode (gpointer data, gpointer user_data)
{
  Item *item = data;
  RcFeedDecoder *self = user_data;

  if (item->kind == RC_FEED_DECODED_MESSAGE && !g_atomic_int_get (&self->stopping))
    item->message = rc_codec_decode_message (item->text, (gssize) item->length, &item->error);
  g_async_queue_push (self->done, item);
  /* Wakes the main context (it takes the context's lock). */
  g_source_set_ready_time (self->source, 0);
}

static gboolean
hand_back (gpointer data)
{
  RcFeedDecoder *self = data;
  gint64 until = g_get_monotonic_time () + TURN_BUDGET_US;
  Item *item;

  g_source_set_ready_time (self->source, -1);
  self->handing_back = TRUE;
  while ((item = g_async_queue_try_pop (self->done)) != NULL)
    {
      RcFeedDecoded decoded = {
        item->kind,    item->tag,   item->kind != RC_FEED_DECODED_MESSAGE ? item->text : NULL,
        item->message, item->error, item->id,
        item->length,
      };

      self->in_flight--;
      self->in_flight_bytes -= item->length;
      /* The handler may free the decoder (its owner let go): done once it returns. */
      self->func (&decoded, self->user_data);
      item_free (self, item);
      if (self->doomed)
        break;
      if (g_get_monotonic_time () > until)
        {
          g_source_set_ready_time (self->source, 0);
          break;
        }
    }
  self->handing_back = FALSE;
  if (self->doomed)
    {
      really_free (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
dispatch (GSource *source, GSourceFunc callback, gpointer data)
{
  return callback (data);
}

static GSourceFuncs source_funcs = { NULL, NULL, dispatch, NULL, NULL, NULL };

RcFeedDecoder *
rc_feed_decoder_new (RcFeedDecodedFunc func, gpointer user_data, gpointer (*tag_ref) (gpointer),
                     void (*tag_unref) (gpointer))
{
  RcFeedDecoder *self = g_new0 (RcFeedDecoder, 1);

  self->func = func;
  self->user_data = user_data;
  self->tag_ref = tag_ref;
  self->tag_unref = tag_unref;
  self->pool = g_thread_pool_new (decode, self, 1, FALSE, NULL);
  self->done = g_async_queue_new ();
  self->source = g_source_new (&source_funcs, sizeof (GSource));
  g_source_set_name (self->source, "rc-feed-decoder");
  /* GDK_PRIORITY_REDRAW (GLib does not know GDK): handing back and painting take turns. */
  g_source_set_priority (self->source, G_PRIORITY_HIGH_IDLE + 20);
  g_source_set_callback (self->source, hand_back, self, NULL);
  g_source_attach (self->source, g_main_context_get_thread_default ());
  return self;
}

void
rc_feed_decoder_push (RcFeedDecoder *self, RcFeedDecodedKind kind, gpointer tag,
                      const char *text, gsize length)
{
  rc_feed_decoder_push_with_id (self, kind, tag, text, length, NULL);
}

void
rc_feed_decoder_push_with_id (RcFeedDecoder *self, RcFeedDecodedKind kind, gpointer tag,
                              const char *text, gsize length, const char *id)
{
  Item *item = g_new0 (Item, 1);

  item->id = g_strdup (id);
  item->kind = kind;
  item->tag = self->tag_ref (tag);
  item->text = g_malloc (length + 1);
  memcpy (item->text, text, length);
  item->text[length] = '\0';
  item->length = length;
  self->in_flight++;
  self->in_flight_bytes += length;
  g_thread_pool_push (self->pool, item, NULL);
}

guint
rc_feed_decoder_get_in_flight (RcFeedDecoder *self)
{
  return self->in_flight;
}

gsize
rc_feed_decoder_get_in_flight_bytes (RcFeedDecoder *self)
{
  return self->in_flight_bytes;
}

void
rc_feed_decoder_free (RcFeedDecoder *self)
{
  if (self == NULL)
    return;
  g_atomic_int_set (&self->stopping, TRUE);
  if (self->handing_back)
    self->doomed = TRUE;
  else
    really_free (self);
}

static void
really_free (RcFeedDecoder *self)
{
  Item *item;

  /* The worker passes over what it was given without decoding it; nothing is handed
   * back any more. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_source_destroy (self->source);
  g_source_unref (self->source);
  while ((item = g_async_queue_try_pop (self->done)) != NULL)
    item_free (self, item);
  g_async_queue_unref (self->done);
  g_free (self);
}
