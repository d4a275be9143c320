/* rc-json-cases.c — the texts of rc-json-cases.h. */
#include "rc-json-cases.h"

#include <string.h>

#define B(members) "{<ENV>\"member\":\"AFG\",\"choice\":\"yes\"" members "}"

const RcJsonCase rc_json_cases[] = {
  /* what json-glib 1.6 (GScanner) let through, and whatever else is not RFC 8259 */
  { "single-quoted-string", "{<ENV>\"member\":'AFG',\"choice\":\"yes\"}", "not JSON" },
  { "single-quoted-name", "{<ENV>'member':\"AFG\",\"choice\":\"yes\"}", "not JSON" },
  { "block-comment", "{<ENV>\"member\":\"AFG\",/* AFG */\"choice\":\"yes\"}", "not JSON" },
  { "line-comment", B ("") " // AFG", "goes on after its JSON value" },
  { "raw-tab", "{<ENV>\"member\":\"AF\tG\",\"choice\":\"yes\"}", "not JSON" },
  { "raw-u0001", "{<ENV>\"member\":\"AF\001G\",\"choice\":\"yes\"}", "not JSON" },
  { "raw-u001f", "{<ENV>\"member\":\"AF\037G\",\"choice\":\"yes\"}", "not JSON" },
  { "raw-cr", "{<ENV>\"member\":\"AF\rG\",\"choice\":\"yes\"}", "not JSON" },
  { "raw-nul", "{<ENV>\"member\":\"AF<NUL>G\",\"choice\":\"yes\"}", "UTF-8" },
  { "escape-x41", "{<ENV>\"member\":\"\\x41FG\",\"choice\":\"yes\"}", "not JSON" },
  { "escape-q", "{<ENV>\"member\":\"A\\qFG\",\"choice\":\"yes\"}", "not JSON" },
  { "escape-single-quote", "{<ENV>\"member\":\"A\\'FG\",\"choice\":\"yes\"}", "not JSON" },
  { "escape-zero", "{<ENV>\"member\":\"A\\0FG\",\"choice\":\"yes\"}", "not JSON" },
  { "escape-u-short", "{<ENV>\"member\":\"\\u41FG\",\"choice\":\"yes\"}", "not JSON" },
  { "escape-capital-u", "{<ENV>\"member\":\"\\U0041FG\",\"choice\":\"yes\"}", "not JSON" },
  { "trailing-comma-object", B (","), "not JSON" },
  { "trailing-comma-array", B (",\"x\":[1,2,]"), "not JSON" },
  { "leading-zero", B (",\"x\":01"), "not JSON" },
  { "leading-zero-negative", B (",\"x\":-01"), "not JSON" },
  { "plus", B (",\"x\":+1"), "not JSON" },
  { "point-first", B (",\"x\":.5"), "not JSON" },
  { "point-last", B (",\"x\":1."), "not JSON" },
  { "exponent-empty", B (",\"x\":1e"), "not JSON" },
  { "hex", B (",\"x\":0x1F"), "not JSON" },
  { "nan", B (",\"x\":NaN"), "not JSON" },
  { "infinity", B (",\"x\":Infinity"), "not JSON" },
  { "minus-infinity", B (",\"x\":-Infinity"), "not JSON" },
  { "bare-word", B (",\"x\":yes"), "not JSON" },
  { "capital-true", B (",\"x\":True"), "not JSON" },
  { "undefined", B (",\"x\":undefined"), "not JSON" },
  { "unquoted-name", "{<ENV>member:\"AFG\",\"choice\":\"yes\"}", "not JSON" },
  { "form-feed", "{<ENV>\"member\":\"AFG\",\f\"choice\":\"yes\"}", "not JSON" },
  { "no-break-space", "{<ENV>\"member\":\"AFG\",\xc2\xa0\"choice\":\"yes\"}", "not JSON" },
  { "bom", "\xef\xbb\xbf" B (""), "not JSON" },
  { "invalid-utf8", "{<ENV>\"member\":\"AF\xff\",\"choice\":\"yes\"}", "UTF-8" },
  { "overlong-utf8", "{<ENV>\"member\":\"AF\xc0\xaf\",\"choice\":\"yes\"}", "UTF-8" },
  { "surrogate-in-utf8", "{<ENV>\"member\":\"AF\xed\xa0\x80\",\"choice\":\"yes\"}", "UTF-8" },
  /* refused before the change too: kept */
  { "lone-high-surrogate", "{<ENV>\"member\":\"AF\\ud800\",\"choice\":\"yes\"}", "lone surrogate" },
  { "lone-low-surrogate", "{<ENV>\"member\":\"AF\\udc00\",\"choice\":\"yes\"}", "lone surrogate" },
  { "escaped-nul", "{<ENV>\"member\":\"AF\\u0000\",\"choice\":\"yes\"}", "U+0000" },
  { "duplicate-name", B (",\"choice\":\"no\""), "twice" },
  { "two-values", B ("") "{}", "goes on after its JSON value" },
  { "value-after", B ("") " 1", "goes on after its JSON value" },
  /* numbers a 64-bit integer or a double cannot hold */
  { "integer-above-int64", B (",\"x\":9223372036854775808"), "out of range" },
  { "integer-below-int64", B (",\"x\":-9223372036854775809"), "out of range" },
  { "real-overflow", B (",\"x\":1e309"), "out of range" },
  /* nesting: one level past the limit, and far past it (refused at once) */
  { "deep-33", B (",\"x\":<DEEP:32>"), "deeper than 32" },
  { "deep-30000", B (",\"x\":<DEEP:30000>"), "deeper than 32" },
};

const guint rc_json_n_cases = G_N_ELEMENTS (rc_json_cases);

char *
rc_json_case_text (const char *text, const char *envelope, gsize *length)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (g_str_has_prefix (p, "<ENV>"))
        {
          g_string_append (out, envelope);
          p += strlen ("<ENV>");
        }
      else if (g_str_has_prefix (p, "<NUL>"))
        {
          g_string_append_c (out, '\0');
          p += strlen ("<NUL>");
        }
      else if (g_str_has_prefix (p, "<DEEP:"))
        {
          char *end;
          guint64 n = g_ascii_strtoull (p + strlen ("<DEEP:"), &end, 10);

          g_assert (*end == '>');
          for (guint64 i = 0; i < n; i++)
            g_string_append_c (out, '[');
          for (guint64 i = 0; i < n; i++)
            g_string_append_c (out, ']');
          p = end + 1;
        }
      else
        g_string_append_c (out, *p++);
    }
  *length = out->len;
  return g_string_free (out, FALSE);
}
