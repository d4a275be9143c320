/* rc-backoff.h — how long a feed client waits before it reconnects
 * (docs/feed-protocol.md §6): capped exponential back-off with full jitter.
 *
 * The wait before reconnection number `attempt` (0 for the first after a
 * resynchronisation) is a random delay in [0, ceiling], where the ceiling is
 * min(cap, base × 2^attempt). Full jitter spreads the hundreds of boards of a hall
 * that lost the same server, so that they do not all come back at the same instant. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint rc_backoff_ceiling_ms (guint attempt, guint base_ms, guint cap_ms);
/* rand: NULL for GLib's global generator. */
guint rc_backoff_delay_ms (guint attempt, guint base_ms, guint cap_ms, GRand *rand);

G_END_DECLS
