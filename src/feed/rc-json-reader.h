/* rc-json-reader.h — strict, typed access to the members of a JSON message.
 *
 * Every getter refuses with RC_ERROR_BAD_MESSAGE and a one-line reason naming the
 * field by its path ("chamber.palette.yes", "roster[3].code"), prefixed with the
 * event type when it is known ("ballot event: …"). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Where a field sits, for messages. */
typedef struct {
  const char *event; /* event type name, or NULL before it is known */
  const char *path;  /* prefix of the current object, "" at the top */
} RcJsonCtx;

void rc_json_bad (const RcJsonCtx *ctx, GError **error, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

/* nullable: a missing or null member gives NULL and TRUE. non_empty: "" is refused.
 * Strings are borrowed from the JSON tree. */
gboolean rc_json_get_string (const RcJsonCtx *ctx, JsonObject *o, const char *name,
                             gboolean nullable, gboolean non_empty, const char **out,
                             GError **error);
/* An integer (not a float, not a string) within [min, max]. */
gboolean rc_json_get_int (const RcJsonCtx *ctx, JsonObject *o, const char *name, gint64 min,
                          gint64 max, gint64 *out, GError **error);
gboolean rc_json_get_bool (const RcJsonCtx *ctx, JsonObject *o, const char *name, gboolean *out,
                           GError **error);
gboolean rc_json_get_object (const RcJsonCtx *ctx, JsonObject *o, const char *name,
                             gboolean nullable, JsonObject **out, GError **error);
gboolean rc_json_get_array (const RcJsonCtx *ctx, JsonObject *o, const char *name,
                            gboolean nullable, JsonArray **out, GError **error);

/* A string that from_string must know. */
typedef gboolean (*RcJsonFromString) (const char *text, int *out);
gboolean rc_json_get_enum (const RcJsonCtx *ctx, JsonObject *o, const char *name,
                           RcJsonFromString from_string, int *out, GError **error);

G_END_DECLS
