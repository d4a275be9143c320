/* rc-feed-replay.h — a feed source that replays an archived session into a hub, in
 * its original time × speed, optionally looping (each loop a new stream).
 *
 * The events are re-published through the hub (which numbers them in its own
 * stream), so an operator's on-air switch can be published between them. */
#pragma once

#include "model/rc-replay.h"
#include "rc-feed-hub.h"

G_BEGIN_DECLS

#define RC_TYPE_FEED_REPLAY (rc_feed_replay_get_type ())
G_DECLARE_FINAL_TYPE (RcFeedReplay, rc_feed_replay, RC, FEED_REPLAY, GObject)

/* events: the session's journal (GPtrArray of RcEvent); stream_prefix: the base of
 * the stream ids ("ga-es11-2022-03-02"), to which each run adds a unique suffix. */
RcFeedReplay *rc_feed_replay_new (RcFeedHub *hub, GPtrArray *events, const char *stream_prefix);
void rc_feed_replay_set_speed (RcFeedReplay *self, double speed);
void rc_feed_replay_set_loop (RcFeedReplay *self, gboolean loop);
void rc_feed_replay_start (RcFeedReplay *self);
void rc_feed_replay_stop (RcFeedReplay *self);
/* The replay's clock: pause, play, speed and seek it (a seek back starts a new stream,
 * whose snapshot every subscriber takes: the screens rewind with it). */
RcReplay *rc_feed_replay_get_replay (RcFeedReplay *self);
/* Signal "finished" at the end of a run that does not loop. */

G_END_DECLS
