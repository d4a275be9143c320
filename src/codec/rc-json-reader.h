/* rc-json-reader.h — strict parsing of a JSON message, and typed access to its members.
 *
 * rc_json_parse() accepts RFC 8259 JSON and nothing else (jansson, strict by design;
 * docs/performance.md says why this parser), plus the limits of docs/events.md ("What
 * a decoder refuses"). Every getter refuses with RC_ERROR_BAD_MESSAGE and a one-line
 * reason naming the field by its path ("chamber.palette.yes", "roster[3].code"),
 * prefixed with the event type when it is known ("ballot event: …"). Writing JSON is
 * rc-json-writer.h. */
#pragma once

#include <glib.h>
#include <jansson.h>

#include "model/rc-types.h"

G_BEGIN_DECLS

/* Objects and arrays nest at most this deep (a version-1 message needs 4). */
#define RC_JSON_MAX_DEPTH 32

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)

/* Where a field sits, for messages. */
typedef struct {
  const char *event; /* event type name ("snapshot" for one), or NULL before it is known */
  const char *path;  /* prefix of the current object, "" at the top */
} RcJsonCtx;

void rc_json_bad (const RcJsonCtx *ctx, GError **error, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

/* Parses text (length bytes, valid UTF-8 without NUL: the callers check that first,
 * for a reason of their own) into one JSON object. Refused: what is not RFC 8259
 * (comments, single quotes, trailing commas, bad escapes, raw control characters in a
 * string, 01, +1, .5, 1., hex, NaN, bare words, a byte-order mark…), an empty text,
 * another value than an object, two values one after the other, an object naming a
 * member twice, a string holding U+0000 (\u0000) or half a surrogate pair, an integer
 * beyond 64 bits or a number beyond a double, nesting deeper than RC_JSON_MAX_DEPTH.
 * Returns a new reference. */
json_t *rc_json_parse (const char *text, gsize length, GError **error);

/* nullable: a missing or null member gives NULL and TRUE. non_empty: "" is refused.
 * max_bytes: a longer string is refused (RC_ID_MAX for an id, and for a string whose
 * form is checked after and quoted when it is wrong, such as a time). Strings are borrowed from the tree. */
gboolean rc_json_get_string (const RcJsonCtx *ctx, json_t *o, const char *name, gboolean nullable,
                             gboolean non_empty, gsize max_bytes, const char **out, GError **error);
/* A non-empty id of at most RC_ID_MAX bytes. */
gboolean rc_json_get_id (const RcJsonCtx *ctx, json_t *o, const char *name, const char **out,
                         GError **error);
/* An optional text of at most RC_TEXT_MAX bytes: null, missing or "" all give NULL (one
 * way to say "none", so a value survives encoding and decoding unchanged). */
gboolean rc_json_get_text (const RcJsonCtx *ctx, json_t *o, const char *name, const char **out,
                           GError **error);
/* An integer (not a real, not a string) within [min, max]. */
gboolean rc_json_get_int (const RcJsonCtx *ctx, json_t *o, const char *name, gint64 min, gint64 max,
                          gint64 *out, GError **error);
gboolean rc_json_get_bool (const RcJsonCtx *ctx, json_t *o, const char *name, gboolean *out,
                           GError **error);
/* With nullable, a missing or null member gives NULL and TRUE. */
gboolean rc_json_get_object (const RcJsonCtx *ctx, json_t *o, const char *name, gboolean nullable,
                             json_t **out, GError **error);
gboolean rc_json_get_array (const RcJsonCtx *ctx, json_t *o, const char *name, gboolean nullable,
                            json_t **out, GError **error);

/* A string that from_string must know. */
typedef gboolean (*RcJsonFromString) (const char *text, int *out);
gboolean rc_json_get_enum (const RcJsonCtx *ctx, json_t *o, const char *name,
                           RcJsonFromString from_string, int *out, GError **error);

/* Defines `static gboolean name (const char *, int *)` over a model function
 * `gboolean from_string (const char *, Type *)`, for rc_json_get_enum(): one
 * definition instead of a hand-written adapter per enumeration. */
#define RC_JSON_ENUM_ADAPTER(name, Type, from_string) \
  static gboolean name (const char *text, int *out)   \
  {                                                   \
    Type value;                                       \
                                                      \
    if (!from_string (text, &value))                  \
      return FALSE;                                   \
    *out = (int) value;                               \
    return TRUE;                                      \
  }

G_END_DECLS
