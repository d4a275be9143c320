/* rc-codec-private.h — what every part of the codec shares, encoders and decoders
 * alike: the member names of official totals. (The palette's names are the model's
 * rc_palette_fields, the same keys as in palette files.) The encoders' helpers
 * (rc-json-writer.h) are in rc-codec-encode-private.h, the decoders' (jansson, through
 * rc-json-reader.h) in rc-codec-decode-private.h. Not for other layers. */
#pragma once

#include <glib.h>

#include "model/rc-types.h"

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

G_END_DECLS
