/* rc-feed-control.h — the authenticated control API of a feed (docs/feed-protocol.md
 * §7): POST /v1/session, /v1/votes, /v1/votes/{id}/open|ballots|lock|announce|correct|
 * cancel (live mode) and POST /v1/on-air (live and replay). Bearer token; every
 * refusal an HTTP status with a JSON error and one log line, nothing changed. */
#pragma once

#include "rc-feed-server.h"

G_BEGIN_DECLS

typedef enum {
  RC_FEED_CONTROL_ON_AIR_ONLY, /* a replaying server: only the screens can be switched */
  RC_FEED_CONTROL_LIVE,        /* the whole API */
} RcFeedControlMode;

/* A token's shortest length: 128 bits, written in hexadecimal. */
#define RC_FEED_CONTROL_TOKEN_MIN 32
/* Wrong tokens the server answers with 401, from all addresses together: so many at
 * once, then so many a second; beyond, 429. */
#define RC_FEED_CONTROL_WRONG_TOKENS_BURST 100
#define RC_FEED_CONTROL_WRONG_TOKENS_RATE 10

/* Registers the handlers on the server. token: the bearer token (non-empty). */
void rc_feed_control_attach (RcFeedServer *server, const char *token, RcFeedControlMode mode);
/* The write limit per client address (default 1,000 writes in any 1,000 ms; beyond,
 * 429). Tests set a long window so that they can reach the limit without racing the
 * clock. */
void rc_feed_control_set_rate_limit (RcFeedServer *server, guint writes, guint per_ms);
/* Reads a token file: the first line, trimmed; refuses with a one-line reason what is
 * not a regular file (a FIFO is not waited on), a file other users can read, and a
 * token shorter than RC_FEED_CONTROL_TOKEN_MIN. */
char *rc_feed_control_read_token_file (const char *path, GError **error);

G_END_DECLS
