/* rc-json-reader.c — strict, typed access to the members of a JSON message.
 *
 * A peer's message is hostile until proven otherwise: the parse refuses what
 * json-glib 1.6 would quietly reinterpret, and each getter checks presence and JSON
 * type and, on refusal, names the field by its full path in one line. */
#include "rc-json-reader.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/rc-error.h"

void
rc_json_bad (const RcJsonCtx *ctx, GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;
  g_autofree char *reason = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  /* It may quote the message (a value, or json-glib's own words, which can hold the
   * bytes of a broken escape): one line of UTF-8 all the same. */
  reason = rc_error_one_line (text);
  /* A snapshot is a message of the feed but not an event of the session. */
  if (ctx != NULL && g_strcmp0 (ctx->event, "snapshot") == 0)
    g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE, _("snapshot: %s"), reason);
  else if (ctx != NULL && ctx->event != NULL)
    g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE, _("%s event: %s"), ctx->event, reason);
  else
    g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE, _("%s"), reason);
}

/* ---------------------------------------------------------------- parsing */

/* What the parser's signals tell about the text as it is read. */
typedef struct {
  guint depth;
  guint n_values;     /* top-level objects and arrays */
  GHashTable *names;  /* JsonObject * being read -> set of its member names */
  char *duplicate;    /* the first member name seen twice in one object */
} ParseWatch;

static void
on_container_start (JsonParser *parser, ParseWatch *watch)
{
  if (watch->depth++ == 0)
    watch->n_values++;
}

static void
on_container_end (JsonParser *parser, gpointer container, ParseWatch *watch)
{
  watch->depth--;
  g_hash_table_remove (watch->names, container);
}

static void
on_object_member (JsonParser *parser, JsonObject *object, const char *name, ParseWatch *watch)
{
  GHashTable *seen = g_hash_table_lookup (watch->names, object);

  if (seen == NULL)
    {
      seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (watch->names, object, seen);
    }
  /* json-glib replaces the first value with the second: a message that says two
   * things must not be read as the last of them. */
  if (!g_hash_table_add (seen, g_strdup (name)) && watch->duplicate == NULL)
    watch->duplicate = g_strdup (name);
}

/* The value of the four hex digits at text, or -1. */
static int
hex4 (const char *text)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (text[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* What a \u escape in text may say that json-glib would not refuse: U+0000 (a C string
 * stops there: json-glib hands back "x" for "x\u0000y"), half of a surrogate pair
 * (not a character, so its UTF-8 would be invalid), or fewer than four hex digits
 * (json-glib reads "\u", "\u1Bx" and "\uZZZZ", and "\udeu" into bytes that are not
 * UTF-8: found by tests/fuzz/fuzz-codec). NULL when there is none of these. A
 * backslash only appears inside strings, and each escape is read whole so "\\u0000"
 * (a backslash, then the text u0000) is not mistaken for one. */
static const char *
bad_escape (const char *text, gsize length)
{
  for (gsize i = 0; i + 1 < length; i++)
    if (text[i] == '\\')
      {
        int code = text[i + 1] == 'u' && i + 5 < length ? hex4 (text + i + 2) : -1;

        if (text[i + 1] == 'u' && code < 0)
          return "an escape \\u without four hex digits";
        if (code == 0)
          return "U+0000 (\\u0000)";
        if (code >= 0xDC00 && code <= 0xDFFF)
          return "a lone surrogate (\\udc00–\\udfff without the half before it)";
        if (code >= 0xD800 && code <= 0xDBFF)
          {
            int low = i + 11 < length && text[i + 6] == '\\' && text[i + 7] == 'u'
                        ? hex4 (text + i + 8)
                        : -1;

            if (low < 0xDC00 || low > 0xDFFF)
              return "a lone surrogate (\\ud800–\\udbff without the half after it)";
            i += 6; /* the pair's second half is read with it */
          }
        i++;
      }
  return NULL;
}

JsonParser *
rc_json_parse (const char *text, gsize length, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local = NULL;
  ParseWatch watch = { 0 };
  JsonNode *root;
  const char *bad;
  gboolean ok;

  bad = bad_escape (text, length);
  if (bad != NULL)
    {
      rc_json_bad (NULL, error, "message has a string holding %s", bad);
      return NULL;
    }

  watch.names = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify) g_hash_table_unref);
  g_signal_connect (parser, "object-start", G_CALLBACK (on_container_start), &watch);
  g_signal_connect (parser, "array-start", G_CALLBACK (on_container_start), &watch);
  g_signal_connect (parser, "object-end", G_CALLBACK (on_container_end), &watch);
  g_signal_connect (parser, "array-end", G_CALLBACK (on_container_end), &watch);
  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &watch);
  ok = json_parser_load_from_data (parser, text, length, &local);
  g_signal_handlers_disconnect_by_data (parser, &watch);
  g_hash_table_unref (watch.names);

  if (!ok)
    {
      g_free (watch.duplicate);
      g_strdelimit (local->message, "\r\n", ' ');
      rc_json_bad (NULL, error, "message is not JSON: %s", local->message);
      return NULL;
    }
  if (watch.duplicate != NULL)
    {
      rc_json_bad (NULL, error, "message has the member \"%s\" twice in one object",
                   watch.duplicate);
      g_free (watch.duplicate);
      return NULL;
    }
  /* json-glib 1.6 reads {…}{…} and keeps one of them. */
  if (watch.n_values > 1)
    {
      rc_json_bad (NULL, error, "message holds %u JSON values, not one", watch.n_values);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      rc_json_bad (NULL, error, "message is empty");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root) || json_parser_has_assignment (parser, NULL))
    {
      rc_json_bad (NULL, error, "message is not a JSON object");
      return NULL;
    }
  return g_steal_pointer (&parser);
}

/* ---------------------------------------------------------------- members */

static char *
field_name (const RcJsonCtx *ctx, const char *name)
{
  if (ctx->path[0] == '\0')
    return g_strdup (name);
  return g_strdup_printf ("%s.%s", ctx->path, name);
}

/* The member called name if it is of the given type (and, for a value, value_type);
 * what says the type in a refusal. A missing or null member gives NULL: TRUE when
 * nullable, else refused as missing. */
static gboolean
get_typed (const RcJsonCtx *ctx, JsonObject *o, const char *name, gboolean nullable,
           JsonNodeType type, GType value_type, const char *what, JsonNode **out,
           GError **error)
{
  JsonNode *node = json_object_get_member (o, name);
  g_autofree char *field = NULL;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (nullable)
        return TRUE;
      field = field_name (ctx, name);
      rc_json_bad (ctx, error, "field \"%s\" is missing", field);
      return FALSE;
    }
  if (JSON_NODE_TYPE (node) != type
      || (type == JSON_NODE_VALUE && json_node_get_value_type (node) != value_type))
    {
      field = field_name (ctx, name);
      rc_json_bad (ctx, error, "field \"%s\" must be %s", field, what);
      return FALSE;
    }
  *out = node;
  return TRUE;
}

gboolean
rc_json_get_string (const RcJsonCtx *ctx, JsonObject *o, const char *name, gboolean nullable,
                    gboolean non_empty, const char **out, GError **error)
{
  JsonNode *node;

  *out = NULL;
  if (!get_typed (ctx, o, name, nullable, JSON_NODE_VALUE, G_TYPE_STRING, "a string", &node,
                  error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  *out = json_node_get_string (node);
  if (non_empty && (*out)[0] == '\0')
    {
      g_autofree char *field = field_name (ctx, name);
      rc_json_bad (ctx, error, "field \"%s\" must not be empty", field);
      return FALSE;
    }
  return TRUE;
}

gboolean
rc_json_get_text (const RcJsonCtx *ctx, JsonObject *o, const char *name, const char **out,
                  GError **error)
{
  if (!rc_json_get_string (ctx, o, name, TRUE, FALSE, out, error))
    return FALSE;
  if (*out != NULL && (*out)[0] == '\0')
    *out = NULL;
  return TRUE;
}

gboolean
rc_json_get_int (const RcJsonCtx *ctx, JsonObject *o, const char *name, gint64 min, gint64 max,
                 gint64 *out, GError **error)
{
  JsonNode *node;

  if (!get_typed (ctx, o, name, FALSE, JSON_NODE_VALUE, G_TYPE_INT64, "an integer", &node, error))
    return FALSE;
  *out = json_node_get_int (node);
  if (*out < min || *out > max)
    {
      g_autofree char *field = field_name (ctx, name);
      rc_json_bad (ctx, error, "field \"%s\" is out of range (%" G_GINT64_FORMAT ")", field, *out);
      return FALSE;
    }
  return TRUE;
}

gboolean
rc_json_get_bool (const RcJsonCtx *ctx, JsonObject *o, const char *name, gboolean *out,
                  GError **error)
{
  JsonNode *node;

  if (!get_typed (ctx, o, name, FALSE, JSON_NODE_VALUE, G_TYPE_BOOLEAN, "true or false", &node,
                  error))
    return FALSE;
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
rc_json_get_object (const RcJsonCtx *ctx, JsonObject *o, const char *name, gboolean nullable,
                    JsonObject **out, GError **error)
{
  JsonNode *node;

  *out = NULL;
  if (!get_typed (ctx, o, name, nullable, JSON_NODE_OBJECT, G_TYPE_INVALID, "an object", &node,
                  error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_object (node);
  return TRUE;
}

gboolean
rc_json_get_array (const RcJsonCtx *ctx, JsonObject *o, const char *name, gboolean nullable,
                   JsonArray **out, GError **error)
{
  JsonNode *node;

  *out = NULL;
  if (!get_typed (ctx, o, name, nullable, JSON_NODE_ARRAY, G_TYPE_INVALID, "an array", &node,
                  error))
    return FALSE;
  if (node != NULL)
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
