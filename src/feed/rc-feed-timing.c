/* rc-feed-timing.c — the feed's intervals and the ROLLCALL_FEED_TEST_TIMING hook. */
#include "rc-feed-timing.h"

guint
rc_feed_timing_ms (guint ms)
{
  /* Read each time: a test may set the variable before it makes its first server. */
  if (g_strcmp0 (g_getenv ("ROLLCALL_FEED_TEST_TIMING"), "fast") == 0)
    ms /= RC_FEED_TEST_TIMING_DIVISOR;
  return MAX (ms, 1);
}
