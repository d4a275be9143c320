/* rc-codec-private.h — what the encoders and the decoders of events (rc-codec.c,
 * rc-codec-decode.c) and of the feed's messages (rc-codec-message.c,
 * rc-codec-snapshot.c) share: the member names of official totals, the JSON of the
 * parts of a session event, and the strict reading of them. (The palette's names are
 * the model's rc_palette_fields, the same keys as in palette files.) Not for other
 * layers. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "model/rc-event.h"
#include "model/rc-snapshot.h"
#include "model/rc-types.h"
#include "rc-json-reader.h"

G_BEGIN_DECLS

/* A JSON member name and where its value sits in an RcTally. */
typedef struct {
  const char *name;
  gsize offset;
} RcCodecField;

/* RcTally as a source states it: yes, no, abstain, not_voting, no_right. */
extern const RcCodecField rc_codec_tally_fields[];
extern const guint rc_codec_n_tally_fields;

#define RC_CODEC_TALLY_COUNT(tally, field) G_STRUCT_MEMBER (guint, (tally), (field)->offset)

/* -------- encoding (rc-codec.c) */

void rc_codec_set_text (JsonObject *object, const char *name, const char *value);
JsonObject *rc_codec_session_to_json (const RcSessionInfo *info);
JsonObject *rc_codec_chamber_to_json (const RcChamberInfo *info);
JsonArray *rc_codec_roster_to_json (const RcRoster *roster);
JsonObject *rc_codec_tally_to_json (const RcTally *tally);
/* One line of JSON. */
char *rc_codec_object_to_string (JsonObject *object);
/* An event as a JSON object: "v", then "stream" when not NULL, then the rest. */
JsonObject *rc_codec_event_to_json (const RcEvent *event, const char *stream);

/* -------- decoding (rc-codec-decode.c) */

/* Checks the size and the encoding, and parses one JSON object (the parser's root). */
JsonParser *rc_codec_parse (const char *text, gssize length, GError **error);
/* "v" must be RC_CODEC_VERSION. */
gboolean rc_codec_check_version (JsonObject *o, GError **error);
/* The event of type `type` that object o holds (its "seq", "time" and members). */
RcEvent *rc_codec_decode_event_object (JsonObject *o, RcEventType type, GError **error);

/* The parts of a session event; strings are borrowed from the JSON tree. */
gboolean rc_codec_decode_session_info (const RcJsonCtx *top, JsonObject *o, RcSessionInfo *info,
                                       GError **error);
gboolean rc_codec_decode_chamber_info (const RcJsonCtx *top, JsonObject *o, RcChamberInfo *info,
                                       GError **error);
RcRoster *rc_codec_decode_roster (const RcJsonCtx *top, JsonArray *array, GError **error);
/* Official totals at ctx.path ("official"): four required counts, no_right optional. */
gboolean rc_codec_decode_tally (const RcJsonCtx *ctx, JsonObject *o, RcTally *tally,
                                GError **error);
/* -------- the snapshot (rc-codec-snapshot.c) */

JsonObject *rc_codec_snapshot_to_json (const RcSnapshot *snapshot, const char *stream);
/* The snapshot that object o holds ("v" and "type" already checked). */
RcSnapshot *rc_codec_decode_snapshot_object (JsonObject *o, GError **error);
/* A stream id: a non-empty string without ':' (it is the first part of an event id). */
gboolean rc_codec_decode_stream (const RcJsonCtx *ctx, JsonObject *o, const char **out,
                                 GError **error);

/* A time member in the one form of rc_codec_parse_time(); nullable gives 0 for null. */
gboolean rc_codec_decode_time (const RcJsonCtx *ctx, JsonObject *o, const char *name,
                               gboolean nullable, gint64 *out, GError **error);

G_END_DECLS
