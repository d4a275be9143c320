/* fuzz-ws-frames.c — what a board (rollcall --feed ws://) follows of what a server
 * sends over a WebSocket before libsoup sees it: the frames' headers, one by one, as
 * the bytes pass (rc_ws_frames_feed, src/feed/rc-ws-frames.c, which rc-feed-ws-guard.c
 * reads the connection through).
 *
 * Any bytes, as a server's stream after the handshake. The frames followed must not
 * depend on how the bytes arrive: read whole, and in chunks of varying sizes (as the
 * network cuts them), the same frames come out and the stream stops at the same byte
 * for the same reason. No message's payload is let past the limit: with the protocol's
 * (1 MiB) and a small one (300 bytes), the frames each run reports add up, message by
 * message, to no more than it, and the small limit stops the stream no later than the
 * large one. A frame refused by the caller (here the ninth control frame, as the guard
 * refuses pings whose answers cannot be written) stops the stream at the end of its
 * header. */
#include <string.h>

#include "feed/rc-ws-frames.h"
#include "rc-fuzz.h"

#define LARGE_LIMIT (1024 * 1024)
#define SMALL_LIMIT 300
#define REFUSED_CONTROL 9

typedef struct {
  guint8 opcode;
  gboolean fin;
  guint64 length;
} Frame;

typedef struct {
  GArray *frames; /* of Frame */
  guint controls;
  gboolean refuse_controls;
} Seen;

static gboolean
on_frame (guint opcode, gboolean fin, guint64 length, gpointer data)
{
  Seen *seen = data;
  Frame frame = { (guint8) opcode, fin, length };

  g_array_append_val (seen->frames, frame);
  if (opcode & 0x08)
    seen->controls++;
  return !seen->refuse_controls || seen->controls < REFUSED_CONTROL;
}

typedef struct {
  RcWsFramesResult result;
  gsize stopped_at; /* the offset in the stream where it stopped (size when MORE) */
  GArray *frames;
} Run;

static void
run_clear (Run *run)
{
  g_array_unref (run->frames);
}

/* The stream fed in chunks of the sizes chunk_size() says. */
static Run
follow (const guint8 *data, gsize size, guint64 limit, gboolean refuse_controls,
        gsize (*chunk_size) (guint i))
{
  g_autoptr (RcWsFrames) frames = rc_ws_frames_new (limit);
  Seen seen = { g_array_new (FALSE, FALSE, sizeof (Frame)), 0, refuse_controls };
  Run run = { RC_WS_FRAMES_MORE, 0, NULL };
  gsize pos = 0;

  for (guint i = 0; pos < size && run.result == RC_WS_FRAMES_MORE; i++)
    {
      gsize n = MIN (chunk_size (i), size - pos);
      gsize taken = G_MAXSIZE;

      run.result = rc_ws_frames_feed (frames, data + pos, n, on_frame, &seen, &taken);
      rc_fuzz_check (taken <= n, "took %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes", taken,
                     n);
      rc_fuzz_check (run.result != RC_WS_FRAMES_MORE || taken == n,
                     "took %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes, and wants more", taken,
                     n);
      rc_fuzz_check (rc_ws_frames_get_message_size (frames) <= limit,
                     "a message of %" G_GUINT64_FORMAT " bytes, over %" G_GUINT64_FORMAT,
                     rc_ws_frames_get_message_size (frames), limit);
      pos += taken;
    }
  run.stopped_at = pos;
  run.frames = seen.frames;
  return run;
}

static gsize
whole (guint i)
{
  return G_MAXSIZE;
}

static gsize
varying (guint i)
{
  static const gsize sizes[] = { 1, 2, 3, 5, 8, 13, 1, 1, 21, 34, 55, 89, 144 };

  return sizes[i % G_N_ELEMENTS (sizes)];
}

static gboolean
same_frames (const GArray *a, const GArray *b, guint n)
{
  if (a->len < n || b->len < n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const Frame *x = &g_array_index (a, Frame, i);
      const Frame *y = &g_array_index (b, Frame, i);

      if (x->opcode != y->opcode || x->fin != y->fin || x->length != y->length)
        return FALSE;
    }
  return TRUE;
}

/* The frames reported, message by message: no message over limit. */
static void
check_messages (const Run *run, guint64 limit)
{
  guint64 message = 0;

  for (guint i = 0; i < run->frames->len; i++)
    {
      const Frame *f = &g_array_index (run->frames, Frame, i);

      if (f->opcode & 0x08)
        continue;
      if (f->opcode != 0)
        message = 0;
      message += f->length;
      rc_fuzz_check (message <= limit,
                     "frame %u makes a message of %" G_GUINT64_FORMAT " bytes, over %" G_GUINT64_FORMAT,
                     i, message, limit);
      if (f->fin)
        message = 0;
    }
}

static void
check_same_run (const Run *a, const Run *b, const char *what)
{
  rc_fuzz_check (a->result == b->result, "%s: %d, whole: %d", what, b->result, a->result);
  rc_fuzz_check (a->stopped_at == b->stopped_at,
                 "%s: stopped at byte %" G_GSIZE_FORMAT ", whole: at %" G_GSIZE_FORMAT, what,
                 b->stopped_at, a->stopped_at);
  rc_fuzz_check (a->frames->len == b->frames->len && same_frames (a->frames, b->frames, a->frames->len),
                 "%s: %u frames, whole: %u, or not the same", what, b->frames->len,
                 a->frames->len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  Run large = follow (data, size, LARGE_LIMIT, FALSE, whole);
  Run large_chunks = follow (data, size, LARGE_LIMIT, FALSE, varying);
  Run small = follow (data, size, SMALL_LIMIT, FALSE, whole);
  Run small_chunks = follow (data, size, SMALL_LIMIT, FALSE, varying);
  Run refusing = follow (data, size, LARGE_LIMIT, TRUE, varying);

  check_same_run (&large, &large_chunks, "in chunks");
  check_same_run (&small, &small_chunks, "small limit, in chunks");
  check_messages (&large, LARGE_LIMIT);
  check_messages (&small, SMALL_LIMIT);

  /* A smaller limit stops no later, and follows the same frames until it does. */
  rc_fuzz_check (small.stopped_at <= large.stopped_at,
                 "the small limit stopped at %" G_GSIZE_FORMAT ", the large at %" G_GSIZE_FORMAT,
                 small.stopped_at, large.stopped_at);
  rc_fuzz_check (same_frames (small.frames, large.frames, small.frames->len),
                 "the small limit followed other frames");
  if (large.result == RC_WS_FRAMES_TOO_LONG)
    rc_fuzz_check (small.result == RC_WS_FRAMES_TOO_LONG, "too long, but not for the small limit");

  /* The caller's refusal: at the end of that frame's header, the frames the same. */
  rc_fuzz_check (refusing.stopped_at <= large.stopped_at, "refusing stopped later");
  rc_fuzz_check (same_frames (refusing.frames, large.frames, refusing.frames->len),
                 "refusing followed other frames");
  if (refusing.result == RC_WS_FRAMES_REFUSED)
    {
      const Frame *last = &g_array_index (refusing.frames, Frame, refusing.frames->len - 1);

      rc_fuzz_check ((last->opcode & 0x08) != 0, "a data frame was refused");
    }

  run_clear (&large);
  run_clear (&large_chunks);
  run_clear (&small);
  run_clear (&small_chunks);
  run_clear (&refusing);
  return 0;
}
