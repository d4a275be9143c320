/* rc-codec-decode-private.h — the strict reading (jansson, through rc-json-reader.h)
 * of the parts of an event and of a snapshot, shared by the decoders:
 * rc-codec-decode.c, rc-codec-message-decode.c, rc-codec-snapshot-decode.c, and the
 * control API's bodies (rc-feed-control-body.c). Not for other layers. */
#pragma once

#include <glib.h>

#include "model/rc-event.h"
#include "model/rc-snapshot.h"
#include "rc-codec-private.h"
#include "rc-json-reader.h"

G_BEGIN_DECLS

/* Checks the size and the encoding, and parses one JSON object (a new reference). */
json_t *rc_codec_parse (const char *text, gssize length, GError **error);
/* "v" must be RC_CODEC_VERSION. */
gboolean rc_codec_check_version (json_t *o, GError **error);
/* The event that object o holds: "v" and "type" checked, then its "seq", "time" and
 * members. What rc_codec_decode() does after parsing. */
RcEvent *rc_codec_decode_object (json_t *o, GError **error);
/* The event of type `type` that object o holds (its "seq", "time" and members). */
RcEvent *rc_codec_decode_event_object (json_t *o, RcEventType type, GError **error);

/* The parts of a session event; strings are borrowed from the JSON tree. */
gboolean rc_codec_decode_session_info (const RcJsonCtx *top, json_t *o, RcSessionInfo *info,
                                       GError **error);
gboolean rc_codec_decode_chamber_info (const RcJsonCtx *top, json_t *o, RcChamberInfo *info,
                                       GError **error);
RcRoster *rc_codec_decode_roster (const RcJsonCtx *top, json_t *array, GError **error);
/* Official totals at ctx.path ("official"): four required counts, no_right optional. */
gboolean rc_codec_decode_tally (const RcJsonCtx *ctx, json_t *o, RcTally *tally, GError **error);
/* The optional "outcome" a record states (adopted, not-adopted); missing or null:
 * RC_OUTCOME_PENDING. */
gboolean rc_codec_decode_outcome (const RcJsonCtx *ctx, json_t *o, RcOutcome *outcome,
                                  GError **error);

/* The snapshot that object o holds ("v" and "type" already checked). */
RcSnapshot *rc_codec_decode_snapshot_object (json_t *o, GError **error);
/* A stream id: a non-empty string of at most RC_CODEC_MAX_STREAM bytes without ':' (it
 * is the first part of an event id). */
gboolean rc_codec_decode_stream (const RcJsonCtx *ctx, json_t *o, const char **out, GError **error);

/* A time member in the one form of rc_codec_parse_time(); nullable gives 0 for null. */
gboolean rc_codec_decode_time (const RcJsonCtx *ctx, json_t *o, const char *name, gboolean nullable,
                               gint64 *out, GError **error);

G_END_DECLS
