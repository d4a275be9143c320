/* rc-feed-http-head.c — the head of an HTTP/1.1 request, checked before libsoup reads
 * it (RFC 9112 §2–3, §5–6; RFC 9110 §5, §7.2; RFC 3986 §3.3).
 *
 * Stricter than libsoup on purpose: what is let through is what libsoup 3.2 parses
 * exactly as written (no empty lines before the request, no folded fields, no NUL it
 * would strip, no dot segment it would resolve, one Authorization it would not
 * overwrite, one body length it cannot misread), so the handlers see the request the
 * client sent, and libsoup never has to refuse one itself. */
#include "rc-feed-http-head.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* RFC 9110 §5.6.2 */
static gboolean
is_tchar (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 3986 §2.3, §2.2: unreserved and sub-delims */
static gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static gboolean
is_sub_delim (guchar c)
{
  return c != '\0' && strchr ("!$&'()*+,;=", c) != NULL;
}

/* A field's value: visible ASCII, space, tab and bytes from 0x80 (RFC 9110 §5.5). */
static gboolean
is_field_char (guchar c)
{
  return c == '\t' || c == ' ' || (c >= 0x21 && c != 0x7f);
}

static RcHttpHeadVerdict
refuse (RcHttpHead *head, guint status, const char *code, char *reason)
{
  head->status = status;
  head->code = code;
  g_free (head->reason);
  head->reason = reason;
  return RC_HTTP_HEAD_REFUSED;
}

static RcHttpHeadVerdict
bad (RcHttpHead *head, char *reason)
{
  return refuse (head, 400, "bad-request", reason);
}

/* ---------------------------------------------------------------- the target */

/* One path segment (without its slashes) is "." or "..", written plainly or with
 * %2E: libsoup would resolve it, so /v1/votes/../session would reach /v1/session. */
static gboolean
is_dot_segment (const char *segment, gsize length)
{
  guint dots = 0;

  for (gsize i = 0; i < length; dots++)
    if (segment[i] == '.')
      i++;
    else if (length - i >= 3 && segment[i] == '%' && segment[i + 1] == '2'
             && (segment[i + 2] == 'e' || segment[i + 2] == 'E'))
      i += 3;
    else
      return FALSE;
  return dots == 1 || dots == 2;
}

/* The path and query of a request target (origin form, or the part of an absolute
 * one after its authority): RFC 3986 characters, %HH escapes but not %00, no dot
 * segment. NULL when it is fine, else the reason. */
static char *
check_path_and_query (const char *target, gsize length)
{
  gboolean in_query = FALSE;
  gsize segment = 1; /* the current path segment starts here */

  for (gsize i = 0; i <= length; i++)
    {
      guchar c = i < length ? target[i] : '\0';

      if (!in_query && (i == length || c == '/' || c == '?'))
        {
          if (i > 0 && is_dot_segment (target + segment, i - segment))
            return g_strdup (_ ("the path holds a '.' or '..' segment, which this server does "
                                "not resolve"));
          segment = i + 1;
          in_query = c == '?';
          continue;
        }
      if (i == length)
        break;
      if (c == '%')
        {
          if (length - i < 3 || !g_ascii_isxdigit (target[i + 1])
              || !g_ascii_isxdigit (target[i + 2]))
            /* xgettext:no-c-format */
            return g_strdup (_ ("the path holds a '%' that is not followed by two hexadecimal "
                                "digits"));
          if (target[i + 1] == '0' && target[i + 2] == '0')
            return g_strdup (_ ("the path holds %00 (a NUL byte)"));
          i += 2;
          continue;
        }
      if (is_unreserved (c) || is_sub_delim (c) || c == ':' || c == '@' || c == '/'
          || (in_query && c == '?'))
        continue;
      return g_strdup_printf (_ ("the path holds a character that must be percent-encoded "
                                 "(byte 0x%02x)"),
                              c);
    }
  return NULL;
}

static RcHttpHeadVerdict
check_target (const char *method, gsize method_length, const char *target, gsize length,
              RcHttpHead *head)
{
  char *problem;

  if (length == 1 && target[0] == '*')
    {
      if (method_length == 7 && memcmp (method, "OPTIONS", 7) == 0)
        return RC_HTTP_HEAD_OK;
      return bad (head, g_strdup (_ ("the request target '*' goes with OPTIONS only")));
    }
  if (target[0] != '/')
    {
      /* The absolute form (RFC 9112 §3.2.2): http(s)://authority then the path. */
      gsize start;

      if (length > 7 && g_ascii_strncasecmp (target, "http://", 7) == 0)
        start = 7;
      else if (length > 8 && g_ascii_strncasecmp (target, "https://", 8) == 0)
        start = 8;
      else
        return bad (head, g_strdup (_ ("the request target is neither a path nor an http(s) "
                                       "URL")));
      for (; start < length && target[start] != '/' && target[start] != '?'; start++)
        if (!is_unreserved (target[start]) && !is_sub_delim (target[start])
            && strchr ("%:@[]", target[start]) == NULL)
          return bad (head, g_strdup (_ ("the request target's host holds a character that is "
                                         "not allowed there")));
      if (start == length || target[start] != '/')
        return bad (head, g_strdup (_ ("the request target's URL has no path")));
      target += start;
      length -= start;
    }
  problem = check_path_and_query (target, length);
  return problem != NULL ? bad (head, problem) : RC_HTTP_HEAD_OK;
}

/* ---------------------------------------------------------------- the fields */

typedef struct {
  gboolean http10;
  guint n_fields;
  guint n_host;
  guint n_authorization;
  guint n_transfer_encoding;
  gint64 content_length;
  gboolean chunked;
  gboolean expect_continue;
} Fields;

static gboolean
name_is (const char *name, gsize length, const char *expected)
{
  return strlen (expected) == length && g_ascii_strncasecmp (name, expected, length) == 0;
}

static RcHttpHeadVerdict
check_field (Fields *f, const char *name, gsize name_length, const char *value, gsize value_length,
             RcHttpHead *head)
{
  if (++f->n_fields > RC_HTTP_FIELDS_MAX)
    return refuse (
      head, 431, "too-long",
      g_strdup_printf (_ ("the request has more than %u header fields"), RC_HTTP_FIELDS_MAX));
  if (name_is (name, name_length, "Host"))
    {
      if (++f->n_host > 1)
        return bad (head, g_strdup (_ ("the request has two Host fields")));
      if (value_length == 0 || memchr (value, '/', value_length) != NULL
          || memchr (value, ' ', value_length) != NULL
          || memchr (value, '\t', value_length) != NULL)
        return bad (head, g_strdup (_ ("the request's Host field is not a host")));
    }
  else if (name_is (name, name_length, "Authorization"))
    {
      if (++f->n_authorization > 1)
        return bad (head, g_strdup (_ ("the request has two Authorization fields")));
    }
  else if (name_is (name, name_length, "Content-Length"))
    {
      gint64 length = 0;

      if (value_length == 0 || value_length > 18)
        return bad (head, g_strdup (_ ("the request's Content-Length is not a length")));
      for (gsize i = 0; i < value_length; i++)
        {
          if (!g_ascii_isdigit (value[i]))
            return bad (head, g_strdup (_ ("the request's Content-Length is not a length")));
          length = length * 10 + (value[i] - '0');
        }
      if (f->content_length >= 0 && f->content_length != length)
        return bad (head, g_strdup (_ ("the request has two different Content-Length fields")));
      f->content_length = length;
    }
  else if (name_is (name, name_length, "Transfer-Encoding"))
    {
      if (++f->n_transfer_encoding > 1 || f->http10)
        return bad (head, g_strdup (_ ("the request's Transfer-Encoding cannot be read")));
      if (!name_is (value, value_length, "chunked"))
        return refuse (head, 501, "not-implemented",
                       g_strdup (_ ("the only Transfer-Encoding this server reads is chunked")));
      f->chunked = TRUE;
    }
  else if (name_is (name, name_length, "Expect"))
    {
      if (!name_is (value, value_length, "100-continue"))
        return refuse (head, 417, "expectation",
                       g_strdup (_ ("the only expectation this server meets is 100-continue")));
      f->expect_continue = TRUE;
    }
  return RC_HTTP_HEAD_OK;
}

/* One line "name: value" (without its line end). */
static RcHttpHeadVerdict
check_field_line (Fields *f, const char *line, gsize length, RcHttpHead *head)
{
  const char *colon = memchr (line, ':', length);
  const char *value, *end = line + length;

  if (line[0] == ' ' || line[0] == '\t')
    return bad (head, g_strdup (_ ("the request folds a header field over two lines")));
  if (colon == NULL || colon == line)
    return bad (head, g_strdup (_ ("the request has a header line that is not a field")));
  for (const char *p = line; p < colon; p++)
    if (!is_tchar (*p))
      return bad (head, g_strdup (_ ("the request has a header field whose name is not a "
                                     "token")));
  for (const char *p = colon + 1; p < end; p++)
    if (!is_field_char (*p))
      return bad (head, g_strdup_printf (_ ("the request's header field %.*s holds a control "
                                            "character (byte 0x%02x)"),
                                         (int) MIN (colon - line, 64), line, (guchar) *p));
  /* Without the white space around the value (RFC 9110 §5.5). */
  value = colon + 1;
  while (value < end && (*value == ' ' || *value == '\t'))
    value++;
  while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  return check_field (f, line, colon - line, value, end - value, head);
}

/* ---------------------------------------------------------------- the head */

/* The request line "METHOD SP TARGET SP HTTP/1.x" (without its line end). */
static RcHttpHeadVerdict
check_request_line (Fields *f, const char *line, gsize length, RcHttpHead *head)
{
  const char *method = line, *end = line + length;
  const char *sp1 = memchr (line, ' ', length);
  const char *sp2 = sp1 != NULL ? memchr (sp1 + 1, ' ', end - sp1 - 1) : NULL;
  const char *version;
  gsize version_length;

  if (sp1 == NULL || sp2 == NULL || sp1 == method || sp2 == sp1 + 1)
    return bad (head, g_strdup (_ ("the request line is not METHOD TARGET HTTP/1.1")));
  for (const char *p = method; p < sp1; p++)
    if (!is_tchar (*p))
      return bad (head, g_strdup (_ ("the request's method is not a token")));
  version = sp2 + 1;
  version_length = end - version;
  if (version_length == 8 && memcmp (version, "HTTP/1.1", 8) == 0)
    f->http10 = FALSE;
  else if (version_length == 8 && memcmp (version, "HTTP/1.0", 8) == 0)
    f->http10 = TRUE;
  else if (version_length == 8 && memcmp (version, "HTTP/", 5) == 0 && g_ascii_isdigit (version[5])
           && version[6] == '.' && g_ascii_isdigit (version[7]))
    return refuse (
      head, 505, "version",
      g_strdup_printf (_ ("this server speaks HTTP/1.1 (and 1.0), not %.8s"), version));
  else
    return bad (head, g_strdup (_ ("the request line is not METHOD TARGET HTTP/1.1")));
  return check_target (method, sp1 - method, sp1 + 1, sp2 - sp1 - 1, head);
}

/* The end of the line starting at `from`: the offset of its '\n', or -1. A '\r' is
 * allowed only right before it. */
static gssize
line_end (const char *data, gsize length, gsize from, gboolean *bare_cr)
{
  for (gsize i = from; i < length; i++)
    if (data[i] == '\n')
      return i;
    else if (data[i] == '\r' && i + 1 < length && data[i + 1] != '\n')
      *bare_cr = TRUE;
  return -1;
}

/* What can be told of a request line before it is whole: a TLS handshake or bytes
 * that are not text end it at once, rather than after RC_HTTP_LINE_MAX bytes. */
static RcHttpHeadVerdict
check_start (const char *data, gsize length, RcHttpHead *head)
{
  if ((guchar) data[0] == 0x16)
    return bad (head, g_strdup (_ ("a TLS handshake on a port that speaks plain HTTP: use "
                                   "http:// or ws://")));
  if (!is_tchar (data[0]))
    return bad (head, g_strdup (_ ("the request does not begin with a method")));
  for (gsize i = 0; i < length && data[i] != '\n'; i++)
    if ((guchar) data[i] < 0x20 && data[i] != '\r')
      return bad (head, g_strdup_printf (_ ("the request line holds a control character (byte "
                                            "0x%02x)"),
                                         (guchar) data[i]));
    else if ((guchar) data[i] >= 0x7f)
      return bad (head, g_strdup_printf (_ ("the request line holds a byte that is not ASCII "
                                            "(0x%02x)"),
                                         (guchar) data[i]));
  return RC_HTTP_HEAD_INCOMPLETE;
}

RcHttpHeadVerdict
rc_http_head_check (const char *data, gsize length, RcHttpHead *head)
{
  Fields f = { .content_length = -1 };
  gboolean bare_cr = FALSE;
  gssize end;
  gsize from;
  RcHttpHeadVerdict verdict;

  g_return_val_if_fail (head != NULL, RC_HTTP_HEAD_REFUSED);
  if (length == 0)
    return RC_HTTP_HEAD_INCOMPLETE;
  verdict = check_start (data, length, head);
  if (verdict != RC_HTTP_HEAD_INCOMPLETE)
    return verdict;

  end = line_end (data, length, 0, &bare_cr);
  if (end < 0)
    return length > RC_HTTP_LINE_MAX ? refuse (
             head, 414, "too-long",
             g_strdup_printf (_ ("the request line is over %u KiB"), RC_HTTP_LINE_MAX / 1024))
                                     : RC_HTTP_HEAD_INCOMPLETE;
  if (bare_cr)
    return bad (head, g_strdup (_ ("the request line holds a carriage return alone")));
  if ((gsize) end > RC_HTTP_LINE_MAX)
    return refuse (
      head, 414, "too-long",
      g_strdup_printf (_ ("the request line is over %u KiB"), RC_HTTP_LINE_MAX / 1024));
  verdict = check_request_line (&f, data, end > 0 && data[end - 1] == '\r' ? end - 1 : end, head);
  if (verdict != RC_HTTP_HEAD_OK)
    return verdict;

  /* The fields, one line each, to the empty line. */
  for (from = end + 1;; from = end + 1)
    {
      gsize line_length;

      end = line_end (data, length, from, &bare_cr);
      if (end < 0)
        break;
      if (bare_cr)
        return bad (head, g_strdup (_ ("the request's head holds a carriage return alone")));
      line_length = end - from;
      if (line_length > 0 && data[end - 1] == '\r')
        line_length--;
      if (line_length == 0)
        {
          if (!f.http10 && f.n_host == 0)
            return bad (head, g_strdup (_ ("an HTTP/1.1 request must have a Host field")));
          if (f.chunked && f.content_length >= 0)
            return bad (head, g_strdup (_ ("the request has both a Content-Length and a "
                                           "Transfer-Encoding")));
          if (f.content_length > RC_HTTP_BODY_MAX)
            return refuse (head, 413, "too-large",
                           g_strdup_printf (_ ("the body is over the limit of %u KiB"),
                                            RC_HTTP_BODY_MAX / 1024));
          head->length = end + 1;
          head->content_length = f.content_length;
          head->chunked = f.chunked;
          head->expect_continue = f.expect_continue;
          return RC_HTTP_HEAD_OK;
        }
      verdict = check_field_line (&f, data + from, line_length, head);
      if (verdict != RC_HTTP_HEAD_OK)
        return verdict;
    }
  if (length > RC_HTTP_HEAD_MAX)
    return refuse (
      head, 431, "too-long",
      g_strdup_printf (_ ("the request's head is over %u KiB"), RC_HTTP_HEAD_MAX / 1024));
  return RC_HTTP_HEAD_INCOMPLETE;
}

void
rc_http_head_clear (RcHttpHead *head)
{
  g_clear_pointer (&head->reason, g_free);
}

const char *
rc_http_status_phrase (guint status)
{
  switch (status)
    {
    case 400:
      return "Bad Request";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 417:
      return "Expectation Failed";
    case 431:
      return "Request Header Fields Too Large";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Error";
    }
}
