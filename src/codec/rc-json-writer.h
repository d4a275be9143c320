/* rc-json-writer.h — JSON written straight into a GString, compact: what the codec
 * journals and sends, and what the server and the control API reply.
 *
 * The bytes are those json-glib 1.6 wrote until the project dropped it, so that no
 * journal, wire message or reply changed (docs/events.md, "How Rollcall writes JSON"):
 * members in the order written, no spaces, integers in decimal, and in strings (keys
 * too) `"` and `\` escaped, \b \t \n \f \r by name, the other control characters
 * U+0001–U+001F and DEL (0x7f) as \u00xx (lower-case hex); everything else as it is, '/'
 * and non-ASCII (U+2028, U+2029, astral characters) included. One difference: json-glib
 * wrote U+001F raw, which is not JSON (RFC 8259 §7) and which our own reader refuses; it
 * is \u001f here.
 *
 * There is no state besides the text: a comma goes before a member or an element unless
 * the text so far ends an opening ('{', '[') or a key (':'). So `out` must hold nothing
 * but the one JSON value being written. The caller writes what is well-formed (every
 * begin ended, a key before each member's value); strings are written as they are given,
 * and must be UTF-8 without NUL (the model's texts are). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void rc_json_begin_object (GString *out);
void rc_json_end_object (GString *out);
void rc_json_begin_array (GString *out);
void rc_json_end_array (GString *out);

/* A member's name (quoted, escaped) and ':'; its value comes next. */
void rc_json_write_key (GString *out, const char *name);
/* Values. A NULL string is written as null. */
void rc_json_write_string (GString *out, const char *value);
void rc_json_write_int (GString *out, gint64 value);
void rc_json_write_bool (GString *out, gboolean value);
void rc_json_write_null (GString *out);

/* A member: its key, then its value. rc_json_add_object()/_array() open it; end it with
 * rc_json_end_object()/_array(). */
void rc_json_add_string (GString *out, const char *name, const char *value);
void rc_json_add_int (GString *out, const char *name, gint64 value);
void rc_json_add_bool (GString *out, const char *name, gboolean value);
void rc_json_add_null (GString *out, const char *name);
void rc_json_add_object (GString *out, const char *name);
void rc_json_add_array (GString *out, const char *name);

/* The inside of a JSON string for text (no quotes), appended to out: the escaping above. */
void rc_json_append_escaped (GString *out, const char *text);

G_END_DECLS
