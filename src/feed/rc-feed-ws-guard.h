/* rc-feed-ws-guard.h — the stream a board reads a feed's WebSocket through, so that the
 * server cannot make it hold more, or spend longer, than a message is worth.
 *
 * libsoup's SoupWebsocketConnection reads its stream for as long as bytes come (one
 * dispatch of the main loop, however long a flood lasts), joins the fragments of a
 * message without limit (its limit is per frame) and queues a pong for every ping even
 * when the server reads none of them. The guard sits between it and the connection
 * (TCP, or TLS over TCP) and reads the frames' headers as they pass:
 *
 *  - a message whose fragments add up to more than max_message bytes fails the read at
 *    once (RC_ERROR_BAD_MESSAGE), before libsoup has buffered it;
 *  - more than a few control frames (pings) while the board's own socket is full —
 *    the server reads none of the answers — fail it too;
 *  - each turn of the main loop reads at most 64 KiB or 256 frames, at the priority it
 *    is given (the client's: after painting and after applying what was read), then
 *    yields: a flood cannot starve the board's frames;
 *  - while paused (the board has too much read and not yet applied) nothing is read;
 *  - once shut (the board let go of the connection) only control frames pass: the
 *    server's close, not another message.
 *
 * Reads never block the main loop; closing never waits for the server. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RC_TYPE_FEED_WS_GUARD (rc_feed_ws_guard_get_type ())
G_DECLARE_FINAL_TYPE (RcFeedWsGuard, rc_feed_ws_guard, RC, FEED_WS_GUARD, GIOStream)

/* base: the connection after the handshake (its input pollable); socket: its socket;
 * early: bytes read with the handshake's answer that are already frames (or NULL);
 * priority: what reading yields to. */
RcFeedWsGuard *rc_feed_ws_guard_new (GIOStream *base, GSocket *socket, GBytes *early,
                                     gsize max_message, int priority);
void rc_feed_ws_guard_set_paused (RcFeedWsGuard *self, gboolean paused);
void rc_feed_ws_guard_shut (RcFeedWsGuard *self);

G_END_DECLS
