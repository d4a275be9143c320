/* rc-sse-parser.h — the body of a Server-Sent Events stream, bytes in, each event's
 * data out (the parsing half of rc-feed-client-sse.c, apart from the network so that
 * it can be tested and fuzzed on its own: tests/fuzz/fuzz-feed-stream.c).
 *
 * Lines end with CR, LF or CRLF, also across chunks; a UTF-8 byte-order mark may open
 * the stream; a line starting with ':' is a comment; a block's "data" lines are joined
 * with LF and handed over at the blank line that ends it, as the SSE specification
 * says. An "id" field sets the last event id, which a data function may read
 * (rc_sse_parser_get_last_id()): what a client gives back to resume, which protocol
 * 1.1 treats as opaque (an nchan edge's ids are its own). An id that is longer than
 * RC_SSE_MAX_ID bytes, not UTF-8, or holds a control character is ignored (the last
 * one stands): it could not go back in a header as it is. The type and retry fields,
 * and unknown fields, are ignored (the feed's JSON says all of it). A line, or an event's data, longer than the parser's
 * limit is refused as soon as it is, so a server cannot make a board hold an endless
 * line (GDataInputStream's read_line would grow its buffer without limit). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RcSseParser RcSseParser;

#define RC_SSE_MAX_ID 256

typedef enum {
  RC_SSE_PARSER_MORE,     /* the chunk was read: feed the next one */
  RC_SSE_PARSER_STOPPED,  /* the data function asked to stop */
  RC_SSE_PARSER_TOO_LONG, /* a line or an event's data was over the limit: refuse the stream */
} RcSseParserResult;

/* An event's data (length bytes, not NUL-terminated, never NULL, borrowed for the
 * call). FALSE stops the parsing. */
typedef gboolean (*RcSseDataFunc) (const char *data, gsize length, gpointer user_data);

/* max_data: the longest an event's data may be; a line may be 64 bytes longer (the
 * field's name, "data: "). */
RcSseParser *rc_sse_parser_new (gsize max_data);
void rc_sse_parser_free (RcSseParser *self);
/* Reads the next n bytes of the stream, calling func for each event they complete.
 * After STOPPED or TOO_LONG the parser must not be fed again. */
RcSseParserResult rc_sse_parser_feed (RcSseParser *self, const guint8 *p, gsize n,
                                      RcSseDataFunc func, gpointer user_data);

/* The last event id set so far (the one of the event being handed over, in a data
 * function), or NULL if none was. Borrowed until the next feed. */
const char *rc_sse_parser_get_last_id (RcSseParser *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcSseParser, rc_sse_parser_free)

G_END_DECLS
