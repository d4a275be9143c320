/* rc-json-reader.h — strict, typed access to the members of a JSON message.
 *
 * Every getter refuses with RC_ERROR_BAD_MESSAGE and a one-line reason naming the
 * field by its path ("chamber.palette.yes", "roster[3].code"), prefixed with the
 * event type when it is known ("ballot event: …"). rc_json_parse() reads the text
 * itself and refuses what json-glib 1.6 would let through silently. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Where a field sits, for messages. */
typedef struct {
  const char *event; /* event type name ("snapshot" for one), or NULL before it is known */
  const char *path;  /* prefix of the current object, "" at the top */
} RcJsonCtx;

void rc_json_bad (const RcJsonCtx *ctx, GError **error, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

/* Parses text (valid UTF-8, length bytes) into a parser whose root is one JSON object.
 * Refused besides what is not JSON: a string holding U+0000 (written \u0000, which
 * json-glib would cut the string at), an object naming a member twice (json-glib
 * would keep the last silently), two values one after the other. */
JsonParser *rc_json_parse (const char *text, gsize length, GError **error);

/* nullable: a missing or null member gives NULL and TRUE. non_empty: "" is refused.
 * Strings are borrowed from the JSON tree. */
gboolean rc_json_get_string (const RcJsonCtx *ctx, JsonObject *o, const char *name,
                             gboolean nullable, gboolean non_empty, const char **out,
                             GError **error);
/* An optional text: null, missing or "" all give NULL (one way to say "none", so a
 * value survives encoding and decoding unchanged). */
gboolean rc_json_get_text (const RcJsonCtx *ctx, JsonObject *o, const char *name,
                           const char **out, GError **error);
/* An integer (not a float, not a string) within [min, max]. */
gboolean rc_json_get_int (const RcJsonCtx *ctx, JsonObject *o, const char *name, gint64 min,
                          gint64 max, gint64 *out, GError **error);
gboolean rc_json_get_bool (const RcJsonCtx *ctx, JsonObject *o, const char *name, gboolean *out,
                           GError **error);
/* With nullable, a missing or null member gives NULL and TRUE. */
gboolean rc_json_get_object (const RcJsonCtx *ctx, JsonObject *o, const char *name,
                             gboolean nullable, JsonObject **out, GError **error);
gboolean rc_json_get_array (const RcJsonCtx *ctx, JsonObject *o, const char *name,
                            gboolean nullable, JsonArray **out, GError **error);

/* A string that from_string must know. */
typedef gboolean (*RcJsonFromString) (const char *text, int *out);
gboolean rc_json_get_enum (const RcJsonCtx *ctx, JsonObject *o, const char *name,
                           RcJsonFromString from_string, int *out, GError **error);

/* Defines `static gboolean name (const char *, int *)` over a model function
 * `gboolean from_string (const char *, Type *)`, for rc_json_get_enum(): one
 * definition instead of a hand-written adapter per enumeration. */
#define RC_JSON_ENUM_ADAPTER(name, Type, from_string)                                              \
  static gboolean name (const char *text, int *out)                                                \
  {                                                                                                \
    Type value;                                                                                    \
                                                                                                   \
    if (!from_string (text, &value))                                                               \
      return FALSE;                                                                                \
    *out = (int) value;                                                                            \
    return TRUE;                                                                                   \
  }

G_END_DECLS
