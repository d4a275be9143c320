/* rc-ws-frames.c — a WebSocket server's stream followed frame by frame
 * (rc-ws-frames.h). */
#include "rc-ws-frames.h"

struct _RcWsFrames
{
  guint64 max_message;
  guint8 header[14];     /* the header being read */
  guint header_have;
  guint header_need;     /* 2, then the whole header's length once known */
  guint64 payload_left;  /* of the frame being read, once its header is whole */
  gboolean ends_message; /* it is a data frame with FIN */
  guint64 message_size;  /* the payload of the message being assembled */
};

RcWsFrames *
rc_ws_frames_new (guint64 max_message)
{
  RcWsFrames *self = g_new0 (RcWsFrames, 1);

  self->max_message = max_message;
  self->header_need = 2;
  return self;
}

void
rc_ws_frames_free (RcWsFrames *self)
{
  g_free (self);
}

guint64
rc_ws_frames_get_message_size (RcWsFrames *self)
{
  return self->message_size;
}

static void
frame_done (RcWsFrames *self)
{
  if (self->ends_message)
    self->message_size = 0;
  self->ends_message = FALSE;
}

/* The header is whole. */
static RcWsFramesResult
header_done (RcWsFrames *self, RcWsFrameFunc func, gpointer user_data)
{
  const guint8 *h = self->header;
  gboolean fin = (h[0] & 0x80) != 0;
  guint opcode = h[0] & 0x0f;
  guint len7 = h[1] & 0x7f;
  guint64 payload = len7;

  if (len7 == 126)
    payload = ((guint64) h[2] << 8) | h[3];
  else if (len7 == 127)
    {
      payload = 0;
      for (guint i = 2; i < 10; i++)
        payload = (payload << 8) | h[i];
    }
  self->header_have = 0;
  self->header_need = 2;

  if ((opcode & 0x08) == 0)
    {
      /* A frame with an opcode starts a message (libsoup refuses one out of place). */
      if (opcode != 0)
        self->message_size = 0;
      if (payload > self->max_message - self->message_size)
        return RC_WS_FRAMES_TOO_LONG;
      self->message_size += payload;
      self->ends_message = fin;
    }
  else
    self->ends_message = FALSE;
  if (func != NULL && !func (opcode, fin, payload, user_data))
    return RC_WS_FRAMES_REFUSED;
  self->payload_left = payload;
  if (payload == 0)
    frame_done (self);
  return RC_WS_FRAMES_MORE;
}

RcWsFramesResult
rc_ws_frames_feed (RcWsFrames *self, const guint8 *p, gsize n, RcWsFrameFunc func,
                   gpointer user_data, gsize *taken)
{
  gsize done = 0;

  while (done < n)
    {
      RcWsFramesResult result;

      if (self->payload_left > 0)
        {
          /* Payload: only counted. */
          gsize take = (gsize) MIN ((guint64) (n - done), self->payload_left);

          self->payload_left -= take;
          done += take;
          if (self->payload_left == 0)
            frame_done (self);
          continue;
        }
      self->header[self->header_have++] = p[done++];
      if (self->header_have == 2)
        {
          guint len7 = self->header[1] & 0x7f;

          self->header_need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0)
                              + ((self->header[1] & 0x80) != 0 ? 4 : 0);
        }
      if (self->header_have < 2 || self->header_have < self->header_need)
        continue;
      result = header_done (self, func, user_data);
      if (result != RC_WS_FRAMES_MORE)
        {
          *taken = done;
          return result;
        }
    }
  *taken = n;
  return RC_WS_FRAMES_MORE;
}
