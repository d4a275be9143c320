/* rc-codec-private.h — what the encoder and the decoder share: the member names of
 * the palette and of official totals, and the date check. Not for other layers. */
#pragma once

#include <glib.h>

#include "model/rc-chamber.h"
#include "model/rc-types.h"

G_BEGIN_DECLS

/* A JSON member name and where its value sits in a C struct. */
typedef struct {
  const char *name;
  gsize offset;
} RcCodecField;

/* RcPalette: each a guint32 written "#rrggbb". */
extern const RcCodecField rc_codec_palette_fields[];
extern const guint rc_codec_n_palette_fields;
/* RcTally as a source states it: yes, no, abstain, not_voting, no_right. */
extern const RcCodecField rc_codec_tally_fields[];
extern const guint rc_codec_n_tally_fields;

#define RC_CODEC_FIELD_U32(base, field) (*(guint32 *) ((guint8 *) (base) + (field).offset))
#define RC_CODEC_FIELD_UINT(base, field) (*(guint *) ((guint8 *) (base) + (field).offset))

/* YYYY-MM-DD, and a real day. */
gboolean rc_codec_is_date (const char *text);

G_END_DECLS
