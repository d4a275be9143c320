/* rc-csv-stream.c — RFC 4180 records from a (possibly gzip-compressed) file, in chunks.
 *
 * The buffer holds what has been read and not yet parsed; a record is parsed only once
 * the buffer holds all of it (a line end outside quotes, or the end of the file), so a
 * record cut between two reads is never split. */
#include "rc-csv-stream.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/rc-error.h"

#define CHUNK (256 * 1024)
/* No record of a voting file comes near this; an unclosed quote would otherwise make the
 * rest of the file one record, in memory. */
#define MAX_RECORD (1024 * 1024)

struct _RcCsvStream {
  char *path;
  GInputStream *file; /* the file */
  GConverter *gunzip; /* for a gzip file, else NULL */
  GByteArray *packed; /* read from a gzip file, not yet inflated */
  gboolean file_eof;
  gboolean finished;  /* the gzip stream's end was reached: the file is whole */
  GByteArray *buffer; /* text: read, or inflated */
  gsize pos;          /* parsed up to here */
  gboolean eof;
  guint line;        /* of the next record */
  GString *storage;  /* the current record's fields, NUL-separated */
  GArray *offsets;   /* of gsize: where each field starts in storage */
  GPtrArray *fields; /* char * into storage, NULL-terminated */
  guint64 bytes_read;
  gboolean first;
};

void
rc_csv_stream_free (RcCsvStream *s)
{
  if (s == NULL)
    return;
  g_clear_object (&s->gunzip);
  g_clear_pointer (&s->packed, g_byte_array_unref);
  g_clear_object (&s->file);
  g_clear_pointer (&s->buffer, g_byte_array_unref);
  if (s->storage != NULL)
    g_string_free (s->storage, TRUE);
  g_clear_pointer (&s->offsets, g_array_unref);
  g_clear_pointer (&s->fields, g_ptr_array_unref);
  g_free (s->path);
  g_free (s);
}

const char *
rc_csv_stream_get_path (RcCsvStream *s)
{
  return s->path;
}

guint64
rc_csv_stream_get_bytes_read (RcCsvStream *s)
{
  return s->bytes_read;
}

RcCsvStream *
rc_csv_stream_open (const char *path, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) local = NULL;
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (RcCsvStream) s = g_new0 (RcCsvStream, 1);
  guint8 magic[2] = { 0 };
  gsize got = 0;

  s->path = g_strdup (path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE, NULL,
                            &local);
  if (info == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: %s"), path, local->message);
      return NULL;
    }
  /* A FIFO or a device would block or never end: only a regular file is read. */
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: not a regular file"), path);
      return NULL;
    }
  s->file = G_INPUT_STREAM (g_file_read (file, NULL, &local));
  if (s->file == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: %s"), path, local->message);
      return NULL;
    }
  s->buffer = g_byte_array_sized_new (CHUNK);
  /* gzip: 1f 8b, whatever the file is called */
  if (!g_input_stream_read_all (s->file, magic, sizeof magic, &got, NULL, &local))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: %s"), path, local->message);
      return NULL;
    }
  s->bytes_read = got;
  if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
    {
      /* inflated here, not through a GConverterInputStream: it takes a gzip stream that
       * stops short for its end, and a truncated file must be refused */
      s->gunzip = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
      s->packed = g_byte_array_new ();
      g_byte_array_append (s->packed, magic, (guint) got);
    }
  else
    g_byte_array_append (s->buffer, magic, (guint) got);
  s->line = 1;
  s->first = TRUE;
  s->storage = g_string_sized_new (1024);
  s->offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  s->fields = g_ptr_array_new ();
  return g_steal_pointer (&s);
}

/* Reads up to CHUNK bytes of the file into data; FALSE on a read error. */
static gboolean
read_file (RcCsvStream *s, guint8 *data, gsize *n, GError **error)
{
  g_autoptr (GError) local = NULL;
  gssize got = g_input_stream_read (s->file, data, CHUNK, NULL, &local);

  if (got < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: %s"), s->path, local->message);
      return FALSE;
    }
  *n = (gsize) got;
  s->bytes_read += (guint64) got;
  return TRUE;
}

/* Reads up to CHUNK more compressed bytes. */
static gboolean
read_packed (RcCsvStream *s, GError **error)
{
  gsize n = 0;

  g_byte_array_set_size (s->packed, s->packed->len + CHUNK);
  if (!read_file (s, s->packed->data + s->packed->len - CHUNK, &n, error))
    return FALSE;
  g_byte_array_set_size (s->packed, s->packed->len - CHUNK + (guint) n);
  s->file_eof = n == 0;
  return TRUE;
}

/* Inflates what there is into the buffer (at most CHUNK bytes more). */
static gboolean
inflate_some (RcCsvStream *s, GError **error)
{
  g_autoptr (GError) local = NULL;
  gsize used = 0, made = 0;
  GConverterResult result;
  guint old = s->buffer->len;

  if (s->packed->len < CHUNK && !s->file_eof && !read_packed (s, error))
    return FALSE;
  g_byte_array_set_size (s->buffer, old + CHUNK);
  result = g_converter_convert (
    s->gunzip, s->packed->data, s->packed->len, s->buffer->data + old, CHUNK,
    s->file_eof ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS, &used, &made, &local);
  g_byte_array_set_size (s->buffer, old + (guint) made);
  if (result == G_CONVERTER_ERROR)
    {
      /* more input is needed and there is none: the file stops short */
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) && s->file_eof)
        g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                     _ ("%s: the gzip data stops short near line %u (is the file truncated?)"),
                     s->path, s->line);
      else if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
        return TRUE; /* read more first */
      else
        g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                     _ ("%s: damaged gzip data near line %u (%s)"), s->path, s->line,
                     local->message);
      return FALSE;
    }
  g_byte_array_remove_range (s->packed, 0, (guint) used);
  if (result == G_CONVERTER_FINISHED)
    {
      /* One gzip member ends. Another may follow (a file made by concatenation, as
       * `cat a.gz b.gz` does): it is read too. Anything else after it is refused: rows
       * left unread would be lost in silence. */
      if (s->packed->len < 2 && !s->file_eof && !read_packed (s, error))
        return FALSE;
      if (s->packed->len == 0 && s->file_eof)
        {
          s->finished = TRUE;
          s->eof = TRUE;
        }
      else if (s->packed->len >= 2 && s->packed->data[0] == 0x1f && s->packed->data[1] == 0x8b)
        g_converter_reset (s->gunzip);
      else
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s: data after the end of the gzip stream, near line %u: not read"),
                       s->path, s->line);
          return FALSE;
        }
    }
  else if (s->file_eof && used == 0 && made == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("%s: the gzip data stops short near line %u (is the file truncated?)"),
                   s->path, s->line);
      return FALSE;
    }
  return TRUE;
}

/* Reads one more chunk into the buffer; FALSE on a read error. */
static gboolean
fill (RcCsvStream *s, GError **error)
{
  gsize n = 0;

  /* drop what is parsed, so the buffer holds at most a record and a chunk */
  if (s->pos > 0)
    {
      g_byte_array_remove_range (s->buffer, 0, (guint) s->pos);
      s->pos = 0;
    }
  if (s->gunzip != NULL)
    return inflate_some (s, error);
  g_byte_array_set_size (s->buffer, s->buffer->len + CHUNK);
  if (!read_file (s, s->buffer->data + s->buffer->len - CHUNK, &n, error))
    {
      g_byte_array_set_size (s->buffer, s->buffer->len - CHUNK);
      return FALSE;
    }
  g_byte_array_set_size (s->buffer, s->buffer->len - CHUNK + (guint) n);
  s->eof = n == 0;
  return TRUE;
}

typedef enum { PARSED, NEED_MORE, REFUSED } Parse;

/* Parses one record at s->pos into storage/offsets. NEED_MORE when the buffer ends
 * inside it and the file has more. */
static Parse
parse_record (RcCsvStream *s, guint *lines_used, GError **error)
{
  const char *text = (const char *) s->buffer->data;
  gsize len = s->buffer->len;
  gsize i = s->pos;
  guint lines = 0;
  gsize start = 0;

  g_string_truncate (s->storage, 0);
  g_array_set_size (s->offsets, 0);
  for (;;)
    {
      start = s->storage->len;
      g_array_append_val (s->offsets, start);
      if (i < len && text[i] == '"')
        {
          i++;
          for (;;)
            {
              if (i >= len)
                {
                  if (!s->eof)
                    return NEED_MORE;
                  g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                               _ ("%s:%u: a quoted field is never closed (is the file "
                                  "truncated?)"),
                               s->path, s->line);
                  return REFUSED;
                }
              if (text[i] == '"')
                {
                  if (i + 1 >= len && !s->eof)
                    return NEED_MORE;
                  if (i + 1 < len && text[i + 1] == '"')
                    {
                      g_string_append_c (s->storage, '"');
                      i += 2;
                      continue;
                    }
                  i++;
                  break;
                }
              if (text[i] == '\n')
                lines++;
              g_string_append_c (s->storage, text[i++]);
            }
          if (i >= len && !s->eof)
            return NEED_MORE;
          if (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
            {
              g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                           _ ("%s:%u: text after a closing quote"), s->path, s->line + lines);
              return REFUSED;
            }
        }
      else
        {
          gsize from = i;

          while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
            i++;
          if (i >= len && !s->eof)
            return NEED_MORE;
          g_string_append_len (s->storage, text + from, (gssize) (i - from));
        }
      g_string_append_c (s->storage, '\0');

      if (i < len && text[i] == ',')
        {
          i++;
          continue;
        }
      if (i < len && text[i] == '\r')
        {
          if (i + 1 >= len && !s->eof)
            return NEED_MORE;
          i++;
        }
      if (i < len && text[i] == '\n')
        i++;
      lines++;
      break;
    }
  s->pos = i;
  *lines_used = lines;
  return PARSED;
}

gboolean
rc_csv_stream_next (RcCsvStream *s, char ***fields, guint *n_fields, guint *line, GError **error)
{
  for (;;)
    {
      guint lines = 0;
      gsize record_start = s->pos;
      Parse result;

      if (s->pos >= s->buffer->len)
        {
          if (s->eof)
            return FALSE;
          if (!fill (s, error))
            return FALSE;
          continue;
        }
      /* A UTF-8 byte order mark is not part of the first column's name. */
      if (s->first)
        {
          if (s->buffer->len - s->pos < 3 && !s->eof)
            {
              if (!fill (s, error))
                return FALSE;
              continue;
            }
          if (s->buffer->len - s->pos >= 3
              && memcmp (s->buffer->data + s->pos, "\xEF\xBB\xBF", 3) == 0)
            s->pos += 3;
          s->first = FALSE;
          continue;
        }
      result = parse_record (s, &lines, error);
      if (result == REFUSED)
        return FALSE;
      if (result == NEED_MORE)
        {
          if (s->buffer->len - s->pos > MAX_RECORD)
            {
              g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                           _ ("%s:%u: a record longer than 1 MB (a quote never closed?)"), s->path,
                           s->line);
              return FALSE;
            }
          if (!fill (s, error))
            return FALSE;
          continue;
        }
      *line = s->line;
      s->line += lines;
      /* blank line */
      if (s->offsets->len == 1 && s->storage->len == 1)
        continue;
      /* the record's bytes as they are in the file: a NUL is no text either */
      if (!g_utf8_validate ((const char *) s->buffer->data + record_start,
                            (gssize) (s->pos - record_start), NULL))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: not UTF-8 (the file must be UTF-8: was it saved in another "
                          "encoding?)"),
                       s->path, *line);
          return FALSE;
        }
      g_ptr_array_set_size (s->fields, 0);
      for (guint f = 0; f < s->offsets->len; f++)
        g_ptr_array_add (s->fields, s->storage->str + g_array_index (s->offsets, gsize, f));
      *n_fields = s->fields->len;
      g_ptr_array_add (s->fields, NULL);
      *fields = (char **) s->fields->pdata;
      return TRUE;
    }
}
