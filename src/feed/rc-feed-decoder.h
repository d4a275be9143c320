/* rc-feed-decoder.h — a feed client's messages decoded on a worker thread, handed back
 * on the main context in the order received.
 *
 * Parsing JSON is most of what a message costs a board; under a flood the main thread
 * keeps its time for frames. The transports push what they hear — a message's text, or
 * the refusal or loss of their connection, which must come after the messages received
 * before it — and the handler gets each item back, in order, on the context the decoder
 * was made in, at GTK's redraw priority so that applying messages and painting them
 * take turns, and for at most a few milliseconds at a time. */
#pragma once

#include "codec/rc-message.h"

G_BEGIN_DECLS

typedef enum {
  RC_FEED_DECODED_MESSAGE, /* message, or error when it could not be decoded */
  RC_FEED_DECODED_REFUSED, /* the transport refused what it heard; reason */
  RC_FEED_DECODED_LOST,    /* the connection was lost; reason */
} RcFeedDecodedKind;

typedef struct {
  RcFeedDecodedKind kind;
  gpointer tag;           /* what push() was given (the connection) */
  const char *reason;     /* REFUSED, LOST */
  const RcMessage *message; /* MESSAGE, decoded */
  const GError *error;      /* MESSAGE, not decoded */
  const char *id;           /* MESSAGE: the transport's id for it (SSE's "id"), or NULL */
  gsize length;             /* MESSAGE: the length of its text */
} RcFeedDecoded;

typedef void (*RcFeedDecodedFunc) (const RcFeedDecoded *item, gpointer user_data);

typedef struct _RcFeedDecoder RcFeedDecoder;

/* tag_ref/tag_unref: how to hold a pushed item's tag (called on the main thread). */
RcFeedDecoder *rc_feed_decoder_new (RcFeedDecodedFunc func, gpointer user_data,
                                    gpointer (*tag_ref) (gpointer),
                                    void (*tag_unref) (gpointer));
/* text: the message (MESSAGE) or the reason (REFUSED, LOST), length bytes. */
void rc_feed_decoder_push (RcFeedDecoder *self, RcFeedDecodedKind kind, gpointer tag,
                           const char *text, gsize length);
/* The same, with the transport's id of the message (handed back as it is). */
void rc_feed_decoder_push_with_id (RcFeedDecoder *self, RcFeedDecodedKind kind, gpointer tag,
                                   const char *text, gsize length, const char *id);
/* Items pushed and not handed back yet: how far behind the main thread is. */
guint rc_feed_decoder_get_in_flight (RcFeedDecoder *self);
/* The bytes of their texts. */
gsize rc_feed_decoder_get_in_flight_bytes (RcFeedDecoder *self);
/* Drops what was not handed back yet (no more calls; the worker stops decoding).
 * Safe from within the handler: the decoder then goes once the handler returns. */
void rc_feed_decoder_free (RcFeedDecoder *self);

G_END_DECLS
