/* rc-ws-frames.h — a WebSocket server's stream followed frame by frame as its bytes
 * pass (RFC 6455 §5.2), holding no payload: each frame's kind and length, and how big
 * the message being assembled from fragments is. The parsing half of
 * rc-feed-ws-guard.c, apart from the network so that it can be tested and fuzzed on its
 * own (tests/fuzz/fuzz-ws-frames.c).
 *
 * A frame with an opcode (text, binary) starts a message, continuation frames (opcode
 * 0) add to it, FIN ends it; control frames (opcode & 8) may come between. What libsoup
 * checks after (masks, reserved bits, fragments out of order, control frames over 125
 * bytes) is not checked here: only what would make the board hold too much. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RcWsFrames RcWsFrames;

typedef enum {
  RC_WS_FRAMES_MORE,     /* the bytes were read: feed the next ones */
  RC_WS_FRAMES_TOO_LONG, /* a message's payload went over the limit */
  RC_WS_FRAMES_REFUSED,  /* the frame function refused a frame */
} RcWsFramesResult;

/* A frame whose header was just read: its opcode, FIN, and its payload's length (the
 * bytes that follow, not yet read). FALSE refuses it. */
typedef gboolean (*RcWsFrameFunc) (guint opcode, gboolean fin, guint64 length, gpointer user_data);

RcWsFrames *rc_ws_frames_new (guint64 max_message);
void rc_ws_frames_free (RcWsFrames *self);
/* Follows the next n bytes of the stream, calling func (may be NULL) for each frame
 * whose header they complete. *taken: how many of the n bytes come up to the end of the
 * header that was refused or too long (n when MORE). After TOO_LONG or REFUSED the
 * stream must not be fed again. */
RcWsFramesResult rc_ws_frames_feed (RcWsFrames *self, const guint8 *p, gsize n, RcWsFrameFunc func,
                                    gpointer user_data, gsize *taken);
/* The payload of the message being assembled, so far (0 between messages). */
guint64 rc_ws_frames_get_message_size (RcWsFrames *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcWsFrames, rc_ws_frames_free)

G_END_DECLS
