/* rc-json-reader.c — strict, typed access to the members of a JSON message.
 *
 * A peer's message is hostile until proven otherwise: each getter checks presence and
 * JSON type and, on refusal, names the field by its full path in one line. */
#include "rc-json-reader.h"

#include "model/rc-error.h"

void
rc_json_bad (const RcJsonCtx *ctx, GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *reason = NULL;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  if (ctx != NULL && ctx->event != NULL)
    g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE, "%s event: %s", ctx->event, reason);
  else
    g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE, "%s", reason);
}

static char *
field_name (const RcJsonCtx *ctx, const char *name)
{
  if (ctx->path[0] == '\0')
    return g_strdup (name);
  return g_strdup_printf ("%s.%s", ctx->path, name);
}

/* The member, or NULL with an error when missing (or null, unless nullable). */
static JsonNode *
get_member (const RcJsonCtx *ctx, JsonObject *o, const char *name, gboolean nullable,
            gboolean *is_null, GError **error)
{
  JsonNode *node = json_object_get_member (o, name);

  if (is_null != NULL)
    *is_null = FALSE;
  if (node == NULL || (JSON_NODE_HOLDS_NULL (node) && !nullable))
    {
      g_autofree char *field = field_name (ctx, name);
      rc_json_bad (ctx, error, "field \"%s\" is missing", field);
      return NULL;
    }
  if (JSON_NODE_HOLDS_NULL (node) && is_null != NULL)
    *is_null = TRUE;
  return node;
}

/* nullable: absent or null gives NULL. non_empty: "" is refused. */
gboolean
rc_json_get_string (const RcJsonCtx *ctx, JsonObject *o, const char *name, gboolean nullable,
                    gboolean non_empty, const char **out, GError **error)
{
  JsonNode *node;
  gboolean is_null;
  g_autofree char *field = NULL;

  *out = NULL;
  if (nullable && !json_object_has_member (o, name))
    return TRUE;
  node = get_member (ctx, o, name, nullable, &is_null, error);
  if (node == NULL)
    return FALSE;
  if (is_null)
    return TRUE;
  field = field_name (ctx, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      rc_json_bad (ctx, error, "field \"%s\" must be a string", field);
      return FALSE;
    }
  *out = json_node_get_string (node);
  if (non_empty && (*out)[0] == '\0')
    {
      rc_json_bad (ctx, error, "field \"%s\" must not be empty", field);
      return FALSE;
    }
  return TRUE;
}

gboolean
rc_json_get_int (const RcJsonCtx *ctx, JsonObject *o, const char *name, gint64 min, gint64 max,
                 gint64 *out, GError **error)
{
  JsonNode *node = get_member (ctx, o, name, FALSE, NULL, error);
  g_autofree char *field = NULL;

  if (node == NULL)
    return FALSE;
  field = field_name (ctx, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      rc_json_bad (ctx, error, "field \"%s\" must be an integer", field);
      return FALSE;
    }
  *out = json_node_get_int (node);
  if (*out < min || *out > max)
    {
      rc_json_bad (ctx, error, "field \"%s\" is out of range (%" G_GINT64_FORMAT ")", field, *out);
      return FALSE;
    }
  return TRUE;
}

gboolean
rc_json_get_bool (const RcJsonCtx *ctx, JsonObject *o, const char *name, gboolean *out,
                  GError **error)
{
  JsonNode *node = get_member (ctx, o, name, FALSE, NULL, error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *field = field_name (ctx, name);
      rc_json_bad (ctx, error, "field \"%s\" must be true or false", field);
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* An object member; with nullable, absent or null give NULL and TRUE. */
gboolean
rc_json_get_object (const RcJsonCtx *ctx, JsonObject *o, const char *name, gboolean nullable,
                    JsonObject **out, GError **error)
{
  JsonNode *node;
  gboolean is_null;

  *out = NULL;
  if (nullable && !json_object_has_member (o, name))
    return TRUE;
  node = get_member (ctx, o, name, nullable, &is_null, error);
  if (node == NULL)
    return FALSE;
  if (is_null)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *field = field_name (ctx, name);
      rc_json_bad (ctx, error, "field \"%s\" must be an object", field);
      return FALSE;
    }
  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
rc_json_get_array (const RcJsonCtx *ctx, JsonObject *o, const char *name, gboolean nullable,
                   JsonArray **out, GError **error)
{
  JsonNode *node;
  gboolean is_null;

  *out = NULL;
  if (nullable && !json_object_has_member (o, name))
    return TRUE;
  node = get_member (ctx, o, name, nullable, &is_null, error);
  if (node == NULL)
    return FALSE;
  if (is_null)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *field = field_name (ctx, name);
      rc_json_bad (ctx, error, "field \"%s\" must be an array", field);
      return FALSE;
    }
  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
rc_json_get_enum (const RcJsonCtx *ctx, JsonObject *o, const char *name,
                  RcJsonFromString from_string, int *out, GError **error)
{
  const char *text;

  if (!rc_json_get_string (ctx, o, name, FALSE, FALSE, &text, error))
    return FALSE;
  if (!from_string (text, out))
    {
      g_autofree char *field = field_name (ctx, name);
      rc_json_bad (ctx, error, "field \"%s\": unknown value \"%s\"", field, text);
      return FALSE;
    }
  return TRUE;
}
