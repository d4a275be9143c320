/* test-feed-decoder.c — the client's decoder thread: what the transports push comes
 * back on the main context in the order pushed, decoded or refused as it would have
 * been on the spot; freeing it with items still in flight loses nothing but them. */
#include <string.h>

#include "codec/rc-codec.h"
#include "feed/rc-feed-decoder.h"
#include "rc-feed-test-util.h"

typedef struct {
  GPtrArray *seen; /* "message:SEQ", "heartbeat:LAST", "bad", "refused:R", "lost:R" */
  guint tags;      /* tags held */
  RcFeedDecoder *free_at_third; /* freed by the handler of the third item, if set */
} Seen;

static gpointer
tag_ref (gpointer tag)
{
  ((Seen *) tag)->tags++;
  return tag;
}

static void
tag_unref (gpointer tag)
{
  ((Seen *) tag)->tags--;
}

static void
on_decoded (const RcFeedDecoded *item, gpointer data)
{
  Seen *seen = data;

  g_assert_true (item->tag == seen);
  switch (item->kind)
    {
    case RC_FEED_DECODED_REFUSED:
      g_ptr_array_add (seen->seen, g_strdup_printf ("refused:%s", item->reason));
      break;
    case RC_FEED_DECODED_LOST:
      g_ptr_array_add (seen->seen, g_strdup_printf ("lost:%s", item->reason));
      break;
    case RC_FEED_DECODED_MESSAGE:
      if (item->message == NULL)
        {
          /* Refused as rc_codec_decode_message refuses it, with its reason. */
          g_assert_nonnull (item->error);
          g_assert_nonnull (strchr (item->error->message, ' '));
          g_ptr_array_add (seen->seen, g_strdup ("bad"));
        }
      else if (item->message->kind == RC_MESSAGE_HEARTBEAT)
        g_ptr_array_add (seen->seen, g_strdup_printf ("heartbeat:%" G_GINT64_FORMAT,
                                                      item->message->last_seq));
      else
        g_ptr_array_add (seen->seen, g_strdup_printf ("message:%" G_GINT64_FORMAT,
                                                      item->message->event->seq));
      break;
    default:
      g_assert_not_reached ();
    }
  if (seen->free_at_third != NULL && seen->seen->len == 3)
    rc_feed_decoder_free (g_steal_pointer (&seen->free_at_third));
}

static void
push_text (RcFeedDecoder *decoder, Seen *seen, RcFeedDecodedKind kind, const char *text)
{
  rc_feed_decoder_push (decoder, kind, seen, text, strlen (text));
}

/* Many items of every kind: back in order, each as it would have been decoded. */
static void
test_order (void)
{
  Seen seen = { g_ptr_array_new_with_free_func (g_free), 0, NULL };
  RcFeedDecoder *decoder = rc_feed_decoder_new (on_decoded, &seen, tag_ref, tag_unref);
  g_autoptr (GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  gsize pushed_bytes = 0;

  for (gint64 seq = 1; seq <= 2000; seq++)
    {
      g_autoptr (RcEvent) ballot = rc_event_new_ballot (1646239020000000 + seq, "v1", "M001",
                                                        RC_CHOICE_YES);
      g_autofree char *text = NULL;

      ballot->seq = seq;
      text = rc_codec_encode_stream_event (ballot, "s");
      push_text (decoder, &seen, RC_FEED_DECODED_MESSAGE, text);
      pushed_bytes += strlen (text);
      g_ptr_array_add (expected, g_strdup_printf ("message:%" G_GINT64_FORMAT, seq));
      if (seq % 97 == 0)
        {
          g_autofree char *beat = rc_codec_encode_heartbeat ("s", seq, 1646239020000000);

          push_text (decoder, &seen, RC_FEED_DECODED_MESSAGE, beat);
          g_ptr_array_add (expected, g_strdup_printf ("heartbeat:%" G_GINT64_FORMAT, seq));
        }
      if (seq % 250 == 0)
        {
          push_text (decoder, &seen, RC_FEED_DECODED_MESSAGE, "{\"v\":1,");
          g_ptr_array_add (expected, g_strdup ("bad"));
          push_text (decoder, &seen, RC_FEED_DECODED_REFUSED, "too big");
          g_ptr_array_add (expected, g_strdup ("refused:too big"));
        }
    }
  push_text (decoder, &seen, RC_FEED_DECODED_LOST, "the connection was lost");
  g_ptr_array_add (expected, g_strdup ("lost:the connection was lost"));
  /* What the client's back-pressure counts: every item pushed and not handed back. */
  g_assert_cmpuint (rc_feed_decoder_get_in_flight (decoder), ==, expected->len);
  g_assert_cmpuint (rc_feed_decoder_get_in_flight_bytes (decoder), >, pushed_bytes);

  RC_TEST_WAIT_FOR (seen.seen->len == expected->len);
  g_assert_cmpuint (rc_feed_decoder_get_in_flight (decoder), ==, 0);
  g_assert_cmpuint (rc_feed_decoder_get_in_flight_bytes (decoder), ==, 0);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (g_ptr_array_index (seen.seen, i), ==, g_ptr_array_index (expected, i));
  g_assert_cmpuint (seen.tags, ==, 0);
  rc_feed_decoder_free (decoder);
  g_ptr_array_unref (seen.seen);
}

/* Freed with items pushed but not handed back: no call after, every tag let go. */
static void
test_free_in_flight (void)
{
  Seen seen = { g_ptr_array_new_with_free_func (g_free), 0, NULL };
  RcFeedDecoder *decoder = rc_feed_decoder_new (on_decoded, &seen, tag_ref, tag_unref);
  g_autofree char *beat = rc_codec_encode_heartbeat ("s", 1, 1646239020000000);

  for (guint i = 0; i < 500; i++)
    push_text (decoder, &seen, RC_FEED_DECODED_MESSAGE, beat);
  rc_feed_decoder_free (decoder);
  g_assert_cmpuint (seen.tags, ==, 0);
  /* Nothing more comes, however long the main context runs. */
  for (guint i = 0; i < 100; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (seen.seen->len, ==, 0);
  g_ptr_array_unref (seen.seen);
}

/* The handler lets the decoder go (a client whose last reference a signal handler
 * dropped): nothing is handed back after, nothing is touched after (ASan), and every
 * tag is let go. */
static void
test_free_from_handler (void)
{
  Seen seen = { g_ptr_array_new_with_free_func (g_free), 0, NULL };
  RcFeedDecoder *decoder = rc_feed_decoder_new (on_decoded, &seen, tag_ref, tag_unref);
  g_autofree char *beat = rc_codec_encode_heartbeat ("s", 1, 1646239020000000);

  seen.free_at_third = decoder;
  for (guint i = 0; i < 50; i++)
    push_text (decoder, &seen, RC_FEED_DECODED_MESSAGE, beat);
  RC_TEST_WAIT_FOR (seen.free_at_third == NULL);
  for (guint i = 0; i < 100; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (seen.seen->len, ==, 3);
  g_assert_cmpuint (seen.tags, ==, 0);
  g_ptr_array_unref (seen.seen);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/feed-decoder/order", test_order);
  g_test_add_func ("/feed-decoder/free-in-flight", test_free_in_flight);
  g_test_add_func ("/feed-decoder/free-from-handler", test_free_from_handler);
  return g_test_run ();
}
