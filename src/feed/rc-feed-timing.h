/* rc-feed-timing.h — the feed's intervals, and the test hook that shortens them.
 *
 * The protocol's intervals (heartbeat 2 s, stale after 6 s, pings every 10 s, back-off
 * from 0.5 s; docs/feed-protocol.md §5, §6) would make tests of liveness slow. With
 * ROLLCALL_FEED_TEST_TIMING=fast in the environment, the server and the client divide
 * every interval by RC_FEED_TEST_TIMING_DIVISOR; anything else (or nothing) keeps
 * them as written. The protocol's ratios are kept, so the behaviour is the same. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RC_FEED_TEST_TIMING_DIVISOR 20

/* An interval of the protocol, in ms, as this process uses it (at least 1). */
guint rc_feed_timing_ms (guint ms);

G_END_DECLS
