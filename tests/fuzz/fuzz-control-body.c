/* fuzz-control-body.c — the control API's request bodies
 * (rc_feed_control_decode_body): what a clerk or a voting system POSTs to
 * /v1/session, /v1/votes, /v1/votes/ID/… and /v1/on-air (docs/feed-protocol.md §7).
 *
 * The input says the path, then the body: its first byte chooses the path's event
 * (/v1/session, /v1/votes, /v1/on-air, or /v1/votes/ID/ACTION for the six actions);
 * for the latter the vote id ID follows, up to a NUL byte (a path cannot hold one:
 * libsoup refuses %00); the rest is the body. Any bytes: an event of that type,
 * unsequenced, for that vote, that survives encoding (fuzz-codec.c); or a refusal in
 * one line. A session body naming a chamber reads the source tree's data/chambers. */
#include <string.h>

#include "codec/rc-codec.h"
#include "feed/rc-feed-control-private.h"
#include "model/rc-error.h"
#include "rc-fuzz.h"

/* The paths of rc-feed-control.c's route(): a vote's actions name it in the path. */
static const struct {
  RcEventType type;
  gboolean names_vote;
} routes[] = {
  { RC_EVENT_SESSION, FALSE },       { RC_EVENT_VOTE_SCHEDULED, FALSE },
  { RC_EVENT_ON_AIR, FALSE },        { RC_EVENT_VOTE_OPENED, TRUE },
  { RC_EVENT_BALLOT, TRUE },         { RC_EVENT_VOTE_LOCKED, TRUE },
  { RC_EVENT_VOTE_ANNOUNCED, TRUE }, { RC_EVENT_VOTE_CORRECTED, TRUE },
  { RC_EVENT_VOTE_CANCELLED, TRUE },
};

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  RcEventType type;
  const char *vote_id = NULL;
  g_autofree char *path_vote = NULL;
  const char *body;
  gsize length;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) event = NULL;
  g_autoptr (RcEvent) decoded = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;

  if (size < 1)
    return 0;
  type = routes[data[0] % G_N_ELEMENTS (routes)].type;
  body = (const char *) data + 1;
  length = size - 1;
  if (routes[data[0] % G_N_ELEMENTS (routes)].names_vote)
    {
      const char *end = memchr (body, '\0', length);

      /* route() takes a non-empty UTF-8 id only. */
      if (end == NULL || end == body || !g_utf8_validate (body, end - body, NULL))
        return 0;
      vote_id = path_vote = g_strndup (body, end - body);
      length -= (gsize) (end - body) + 1;
      body = end + 1;
    }

  event = rc_feed_control_decode_body (type, vote_id, body, length, &error);
  if (event == NULL)
    {
      rc_fuzz_check_refusal (error, "rc_feed_control_decode_body");
      rc_fuzz_check (error->code == RC_ERROR_BAD_MESSAGE, "a body refused with code %d: %s",
                     error->code, error->message);
      return 0;
    }
  rc_fuzz_check (event->type == type, "a %s body made a %s event", rc_event_type_to_string (type),
                 rc_event_type_to_string (event->type));
  rc_fuzz_check (event->seq == 0, "a body set seq %" G_GINT64_FORMAT, event->seq);
  if (vote_id != NULL)
    rc_fuzz_check (g_strcmp0 (event->vote_id, vote_id) == 0,
                   "a body for vote %s made an event of vote %s", vote_id, event->vote_id);

  text = rc_codec_encode (event);
  decoded = rc_codec_decode (text, -1, &error);
  rc_fuzz_check (decoded != NULL, "the codec refuses a body's event: %s\n  %s", error->message,
                 text);
  again = rc_codec_encode (decoded);
  rc_fuzz_check_same ("a body's event encoded, decoded and encoded again", text, again);
  return 0;
}
