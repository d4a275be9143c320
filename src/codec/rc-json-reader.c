/* rc-json-reader.c — strict parsing of a JSON message, and typed access to its members.
 *
 * A peer's message is hostile until proven otherwise: the parse accepts RFC 8259 and
 * nothing else (jansson, which is strict by design) within our limits, and each getter
 * checks presence, JSON type and length and, on refusal, names the field by its full
 * path in one line. */
#include "rc-json-reader.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/rc-error.h"
#include "model/rc-types.h"

void
rc_json_bad (const RcJsonCtx *ctx, GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;
  g_autofree char *reason = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  /* It may quote the message (a value as received, or the parser's words): one line of
   * UTF-8 all the same. */
  reason = rc_error_one_line (text);
  /* A snapshot is a message of the feed but not an event of the session. */
  if (ctx != NULL && g_strcmp0 (ctx->event, "snapshot") == 0)
    g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE, _ ("snapshot: %s"), reason);
  else if (ctx != NULL && ctx->event != NULL)
    g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE, _ ("%s event: %s"), ctx->event, reason);
  else
    g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE, "%s", reason);
}

/* ---------------------------------------------------------------- parsing */

/* What jansson's error says, as one line of valid UTF-8: its "near '…'" quotes the
 * text it stopped at, which may hold a control character, and is cut at 160 bytes,
 * perhaps inside a character. */
static char *
printable (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      g_string_append_printf (out, "\\u%04x", (guchar) *p);
    else
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* The text jansson quotes after "near '" (the token it stopped at), or "". */
static char *
near_token (const char *text)
{
  const char *near = strstr (text, "near '");
  const char *start, *end;

  if (near == NULL)
    return g_strdup ("");
  start = near + strlen ("near '");
  end = start + strlen (start);
  if (end > start && end[-1] == '\'')
    end--;
  return g_strndup (start, end - start);
}

/* The deepest nesting under value, counting value itself, or more than limit (the walk
 * stops there, so it never recurses past the limit). */
static guint
depth_of (json_t *value, guint limit)
{
  guint deepest = 0;

  if (limit == 0)
    return 1;
  if (json_is_object (value))
    {
      const char *key;
      json_t *member;

      json_object_foreach (value, key, member)
        {
          /* (not inside MAX(), which would walk it twice, at every level) */
          guint depth
            = json_is_object (member) || json_is_array (member) ? depth_of (member, limit - 1) : 0;

          deepest = MAX (deepest, depth);
        }
    }
  else if (json_is_array (value))
    {
      gsize i;
      json_t *element;

      json_array_foreach (value, i, element)
        {
          guint depth = json_is_object (element) || json_is_array (element)
                          ? depth_of (element, limit - 1)
                          : 0;

          deepest = MAX (deepest, depth);
        }
    }
  return deepest + 1;
}

/* One line for what json_loadb() refused. */
static void
refuse_parse (const json_error_t *e, GError **error)
{
  g_autofree char *token = NULL;
  g_autofree char *text = NULL;

  switch (json_error_code (e))
    {
    case json_error_duplicate_key:
      token = near_token (e->text);
      text = printable (token);
      /* the object's member name as written, quotes included */
      rc_json_bad (NULL, error, "message has the member %s twice in one object", text);
      return;
    case json_error_null_character:
    case json_error_null_byte_in_key:
      rc_json_bad (NULL, error, "message has a string holding U+0000 (\\u0000)");
      return;
    case json_error_end_of_input_expected:
      rc_json_bad (NULL, error, "message goes on after its JSON value (at byte %d): one value only",
                   e->position);
      return;
    case json_error_stack_overflow:
      rc_json_bad (NULL, error, "message nests objects and arrays deeper than %d",
                   RC_JSON_MAX_DEPTH);
      return;
    case json_error_numeric_overflow:
      text = printable (e->text);
      rc_json_bad (NULL, error,
                   "message has a number out of range (integers are 64-bit, reals doubles): %s",
                   text);
      return;
    case json_error_invalid_syntax:
      /* jansson's words for \ud800 without its pair, and the like: RFC 8259 allows the
       * escape, but it is not a character, so its UTF-8 would be invalid. */
      if (g_str_has_prefix (e->text, "invalid Unicode '\\uD")
          || g_str_has_prefix (e->text, "invalid Unicode '\\ud"))
        {
          rc_json_bad (NULL, error,
                       "message has a string holding a lone surrogate (half of a \\ud800–\\udfff "
                       "pair without the other)");
          return;
        }
      break;
    default:
      break;
    }
  text = printable (e->text);
  rc_json_bad (NULL, error, "message is not JSON: %s (at byte %d)", text, e->position);
}

json_t *
rc_json_parse (const char *text, gsize length, GError **error)
{
  g_autoptr (json_t) root = NULL;
  json_error_t e;
  gsize i;

  /* jansson's "unexpected token near end of file" would not say it. */
  for (i = 0; i < length && strchr (" \t\r\n", text[i]) != NULL; i++)
    ;
  if (i == length)
    {
      rc_json_bad (NULL, error, "message is empty");
      return NULL;
    }
  /* Any value at the top, so that an array is refused as "not an object" rather than
   * as a syntax error; duplicates refused, since jansson would keep the last one
   * silently and a message that says two things must not be read as one of them. */
  root = json_loadb (text, length, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
  if (root == NULL)
    {
      refuse_parse (&e, error);
      return NULL;
    }
  if (!json_is_object (root))
    {
      rc_json_bad (NULL, error, "message is not a JSON object");
      return NULL;
    }
  /* jansson stops at 2,048 levels; ours is lower, for whatever walks the tree next. */
  if (depth_of (root, RC_JSON_MAX_DEPTH) > RC_JSON_MAX_DEPTH)
    {
      rc_json_bad (NULL, error, "message nests objects and arrays deeper than %d",
                   RC_JSON_MAX_DEPTH);
      return NULL;
    }
  return g_steal_pointer (&root);
}

/* ---------------------------------------------------------------- members */

static char *
field_name (const RcJsonCtx *ctx, const char *name)
{
  if (ctx->path[0] == '\0')
    return g_strdup (name);
  return g_strdup_printf ("%s.%s", ctx->path, name);
}

/* The member called name if holds() says it has the wanted JSON type; what says the
 * type in a refusal. A missing or null member gives NULL: TRUE when nullable, else
 * refused as missing. */
static gboolean
get_typed (const RcJsonCtx *ctx, json_t *o, const char *name, gboolean nullable,
           gboolean (*holds) (const json_t *), const char *what, json_t **out, GError **error)
{
  json_t *value = json_object_get (o, name);
  g_autofree char *field = NULL;

  *out = NULL;
  if (value == NULL || json_is_null (value))
    {
      if (nullable)
        return TRUE;
      field = field_name (ctx, name);
      rc_json_bad (ctx, error, "field \"%s\" is missing", field);
      return FALSE;
    }
  if (!holds (value))
    {
      field = field_name (ctx, name);
      rc_json_bad (ctx, error, "field \"%s\" must be %s", field, what);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

/* jansson's json_is_*() are macros; get_typed() wants functions. */
static gboolean
holds_string (const json_t *value)
{
  return json_is_string (value);
}

static gboolean
holds_integer (const json_t *value)
{
  return json_is_integer (value);
}

static gboolean
holds_boolean (const json_t *value)
{
  return json_is_boolean (value);
}

static gboolean
holds_object (const json_t *value)
{
  return json_is_object (value);
}

static gboolean
holds_array (const json_t *value)
{
  return json_is_array (value);
}

gboolean
rc_json_get_string (const RcJsonCtx *ctx, json_t *o, const char *name, gboolean nullable,
                    gboolean non_empty, gsize max_bytes, const char **out, GError **error)
{
  json_t *value;
  gsize length;

  *out = NULL;
  if (!get_typed (ctx, o, name, nullable, holds_string, "a string", &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  *out = json_string_value (value);
  length = json_string_length (value);
  if (non_empty && length == 0)
    {
      g_autofree char *field = field_name (ctx, name);
      rc_json_bad (ctx, error, "field \"%s\" must not be empty", field);
      return FALSE;
    }
  if (length > max_bytes)
    {
      g_autofree char *field = field_name (ctx, name);
      rc_json_bad (ctx, error,
                   "field \"%s\" is longer than %" G_GSIZE_FORMAT " bytes (%" G_GSIZE_FORMAT ")",
                   field, max_bytes, length);
      return FALSE;
    }
  return TRUE;
}

gboolean
rc_json_get_id (const RcJsonCtx *ctx, json_t *o, const char *name, const char **out, GError **error)
{
  return rc_json_get_string (ctx, o, name, FALSE, TRUE, RC_ID_MAX, out, error);
}

gboolean
rc_json_get_text (const RcJsonCtx *ctx, json_t *o, const char *name, const char **out,
                  GError **error)
{
  if (!rc_json_get_string (ctx, o, name, TRUE, FALSE, RC_TEXT_MAX, out, error))
    return FALSE;
  if (*out != NULL && (*out)[0] == '\0')
    *out = NULL;
  return TRUE;
}

gboolean
rc_json_get_int (const RcJsonCtx *ctx, json_t *o, const char *name, gint64 min, gint64 max,
                 gint64 *out, GError **error)
{
  json_t *value;

  if (!get_typed (ctx, o, name, FALSE, holds_integer, "an integer", &value, error))
    return FALSE;
  *out = json_integer_value (value);
  if (*out < min || *out > max)
    {
      g_autofree char *field = field_name (ctx, name);
      rc_json_bad (ctx, error, "field \"%s\" is out of range (%" G_GINT64_FORMAT ")", field, *out);
      return FALSE;
    }
  return TRUE;
}

gboolean
rc_json_get_bool (const RcJsonCtx *ctx, json_t *o, const char *name, gboolean *out, GError **error)
{
  json_t *value;

  if (!get_typed (ctx, o, name, FALSE, holds_boolean, "true or false", &value, error))
    return FALSE;
  *out = json_is_true (value);
  return TRUE;
}

gboolean
rc_json_get_object (const RcJsonCtx *ctx, json_t *o, const char *name, gboolean nullable,
                    json_t **out, GError **error)
{
  return get_typed (ctx, o, name, nullable, holds_object, "an object", out, error);
}

gboolean
rc_json_get_array (const RcJsonCtx *ctx, json_t *o, const char *name, gboolean nullable,
                   json_t **out, GError **error)
{
  return get_typed (ctx, o, name, nullable, holds_array, "an array", out, error);
}

gboolean
rc_json_get_enum (const RcJsonCtx *ctx, json_t *o, const char *name, RcJsonFromString from_string,
                  int *out, GError **error)
{
  const char *text;

  /* (bounded, since the refusal quotes it) */
  if (!rc_json_get_string (ctx, o, name, FALSE, FALSE, RC_ID_MAX, &text, error))
    return FALSE;
  if (!from_string (text, out))
    {
      g_autofree char *field = field_name (ctx, name);
      rc_json_bad (ctx, error, "field \"%s\": unknown value \"%s\"", field, text);
      return FALSE;
    }
  return TRUE;
}
