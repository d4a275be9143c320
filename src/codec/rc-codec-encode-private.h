/* rc-codec-encode-private.h — the JSON of the parts of an event and of a snapshot,
 * written with rc-json-writer.h and shared by the encoders: rc-codec.c,
 * rc-codec-message.c, rc-codec-snapshot.c. Not for other layers. */
#pragma once

#include <glib.h>

#include "model/rc-event.h"
#include "model/rc-snapshot.h"
#include "rc-codec-private.h"
#include "rc-json-writer.h"

G_BEGIN_DECLS

/* Each writes one value (an object or an array) where the writer is. */
void rc_codec_write_session (GString *out, const RcSessionInfo *info);
void rc_codec_write_chamber (GString *out, const RcChamberInfo *info);
void rc_codec_write_roster (GString *out, const RcRoster *roster);
void rc_codec_write_tally (GString *out, const RcTally *tally);
/* An event: "v", then "stream" when not NULL, then the rest. */
void rc_codec_write_event (GString *out, const RcEvent *event, const char *stream);
/* A time member: the wire form of time (rc_codec_format_time). */
void rc_codec_add_time (GString *out, const char *name, gint64 time);

G_END_DECLS
