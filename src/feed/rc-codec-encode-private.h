/* rc-codec-encode-private.h — the JSON (json-glib) of the parts of an event and of a
 * snapshot, shared by the encoders: rc-codec.c, rc-codec-message.c,
 * rc-codec-snapshot.c. Not for other layers. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "model/rc-event.h"
#include "model/rc-snapshot.h"
#include "rc-codec-private.h"

G_BEGIN_DECLS

void rc_codec_set_text (JsonObject *object, const char *name, const char *value);
JsonObject *rc_codec_session_to_json (const RcSessionInfo *info);
JsonObject *rc_codec_chamber_to_json (const RcChamberInfo *info);
JsonArray *rc_codec_roster_to_json (const RcRoster *roster);
JsonObject *rc_codec_tally_to_json (const RcTally *tally);
/* One line of JSON. */
char *rc_codec_object_to_string (JsonObject *object);
/* An event as a JSON object: "v", then "stream" when not NULL, then the rest. */
JsonObject *rc_codec_event_to_json (const RcEvent *event, const char *stream);
JsonObject *rc_codec_snapshot_to_json (const RcSnapshot *snapshot, const char *stream);

G_END_DECLS
