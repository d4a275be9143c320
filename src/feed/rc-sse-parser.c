/* rc-sse-parser.c — the body of a Server-Sent Events stream, bytes in, each event's
 * data out. See rc-sse-parser.h. */
#include "rc-sse-parser.h"

#include <string.h>

/* What a line may hold beyond an event's data: the field name and its separator. */
#define LINE_SLACK 64

struct _RcSseParser
{
  gsize max_data;
  gsize max_line;
  GByteArray *line;    /* the line being read, without its end */
  GByteArray *data;    /* the data lines of the event being read, joined by \n */
  gboolean has_data;   /* a data field was seen (it may be empty) */
  gboolean after_cr;   /* the last byte was a CR: a LF next ends nothing */
  gboolean started;    /* past the byte-order mark, or past where one could be */
  guint n_bom;         /* the bytes of a byte-order mark read so far, while not started */
  char *last_id;       /* the last event ID buffer of the specification, or NULL */
};

static const guint8 bom[] = { 0xEF, 0xBB, 0xBF };

RcSseParser *
rc_sse_parser_new (gsize max_data)
{
  RcSseParser *self;

  g_return_val_if_fail (max_data > 0 && max_data < G_MAXUINT - LINE_SLACK, NULL);

  self = g_new0 (RcSseParser, 1);
  self->max_data = max_data;
  self->max_line = max_data + LINE_SLACK;
  self->line = g_byte_array_new ();
  self->data = g_byte_array_new ();
  return self;
}

void
rc_sse_parser_free (RcSseParser *self)
{
  if (self == NULL)
    return;
  g_byte_array_unref (self->line);
  g_byte_array_unref (self->data);
  g_free (self->last_id);
  g_free (self);
}

/* One line, its end removed. */
static RcSseParserResult
process_line (RcSseParser *self, const guint8 *line, gsize length, RcSseDataFunc func,
              gpointer user_data)
{
  const guint8 *colon;
  gsize name_length;
  const guint8 *value;
  gsize value_length;

  if (length == 0)
    {
      /* The end of a block: dispatch its data, if it had any. */
      if (self->has_data)
        {
          g_autoptr (GByteArray) data = g_steal_pointer (&self->data);

          self->data = g_byte_array_new ();
          self->has_data = FALSE;
          /* An empty GByteArray has no buffer: data is never NULL, even for "". */
          if (!func (data->len > 0 ? (const char *) data->data : "", data->len, user_data))
            return RC_SSE_PARSER_STOPPED;
        }
      return RC_SSE_PARSER_MORE;
    }
  if (line[0] == ':')
    return RC_SSE_PARSER_MORE; /* a comment */

  colon = memchr (line, ':', length);
  name_length = colon != NULL ? (gsize) (colon - line) : length;
  value = colon != NULL ? colon + 1 : line + length;
  value_length = length - (gsize) (value - line);
  if (value_length > 0 && value[0] == ' ')
    {
      value++;
      value_length--;
    }

  if (name_length == 4 && memcmp (line, "data", 4) == 0)
    {
      if (self->has_data)
        g_byte_array_append (self->data, (const guint8 *) "\n", 1);
      if (self->data->len + value_length > self->max_data)
        return RC_SSE_PARSER_TOO_LONG;
      g_byte_array_append (self->data, value, (guint) value_length);
      self->has_data = TRUE;
    }
  else if (name_length == 2 && memcmp (line, "id", 2) == 0)
    {
      /* Kept only when a client could give it back as it is (see the header). */
      if (value_length <= RC_SSE_MAX_ID && memchr (value, '\0', value_length) == NULL
          && g_utf8_validate ((const char *) value, (gssize) value_length, NULL))
        {
          gboolean printable = TRUE;

          for (gsize i = 0; i < value_length; i++)
            printable = printable && value[i] >= 0x20 && value[i] != 0x7F;
          if (printable)
            {
              g_free (self->last_id);
              self->last_id = g_strndup ((const char *) value, value_length);
            }
        }
    }
  /* "event", "retry" and unknown fields: nothing to do (see the header). */
  return RC_SSE_PARSER_MORE;
}

/* Splits bytes into lines. */
static RcSseParserResult
read_lines (RcSseParser *self, const guint8 *p, gsize n, RcSseDataFunc func, gpointer user_data)
{
  const guint8 *end = p + n;

  while (p < end)
    {
      const guint8 *eol = p;
      RcSseParserResult result;

      if (self->after_cr && *p == '\n')
        {
          /* The LF of a CRLF whose CR ended the line already. */
          self->after_cr = FALSE;
          p++;
          continue;
        }
      self->after_cr = FALSE;

      while (eol < end && *eol != '\n' && *eol != '\r')
        eol++;
      if (self->line->len + (gsize) (eol - p) > self->max_line)
        return RC_SSE_PARSER_TOO_LONG;
      if (eol == end)
        {
          g_byte_array_append (self->line, p, (guint) (eol - p));
          break;
        }

      self->after_cr = *eol == '\r';
      if (self->line->len == 0)
        {
          /* The common case: the whole line is in this chunk. */
          result = process_line (self, p, (gsize) (eol - p), func, user_data);
        }
      else
        {
          g_autoptr (GByteArray) line = g_steal_pointer (&self->line);

          self->line = g_byte_array_new ();
          g_byte_array_append (line, p, (guint) (eol - p));
          result = process_line (self, line->data, line->len, func, user_data);
        }
      if (result != RC_SSE_PARSER_MORE)
        return result;
      p = eol + 1;
    }
  return RC_SSE_PARSER_MORE;
}

RcSseParserResult
rc_sse_parser_feed (RcSseParser *self, const guint8 *p, gsize n, RcSseDataFunc func,
                    gpointer user_data)
{
  const guint8 *end = p + n;

  g_return_val_if_fail (self != NULL && (p != NULL || n == 0) && func != NULL,
                        RC_SSE_PARSER_STOPPED);

  /* The specification lets a stream begin with a UTF-8 byte-order mark, which the
   * network may cut over two reads like anything else. */
  if (!self->started)
    {
      while (p < end && self->n_bom < sizeof bom && *p == bom[self->n_bom])
        {
          self->n_bom++;
          p++;
        }
      if (self->n_bom == sizeof bom)
        self->started = TRUE;
      else if (p < end)
        {
          RcSseParserResult result;

          /* Not a byte-order mark after all: what looked like its start is text. */
          self->started = TRUE;
          result = read_lines (self, bom, self->n_bom, func, user_data);
          if (result != RC_SSE_PARSER_MORE)
            return result;
        }
    }
  return read_lines (self, p, (gsize) (end - p), func, user_data);
}

const char *
rc_sse_parser_get_last_id (RcSseParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->last_id;
}
