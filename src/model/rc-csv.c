/* rc-csv.c — a strict RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF. */
#include "rc-csv.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-error.h"

void
rc_csv_free (RcCsv *csv)
{
  if (csv == NULL)
    return;
  g_clear_pointer (&csv->header, g_ptr_array_unref);
  g_clear_pointer (&csv->rows, g_ptr_array_unref);
  g_clear_pointer (&csv->lines, g_array_unref);
  g_free (csv);
}

/* Reads one record starting at *pos; returns the fields, or NULL at the end. */
static GPtrArray *
read_record (const char *text, gsize len, gsize *pos, guint *line, GError **error)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gsize i = *pos;
  guint start_line = *line;

  for (;;)
    {
      if (i < len && text[i] == '"')
        {
          i++;
          for (;;)
            {
              if (i >= len)
                {
                  g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                               _("line %u: a quoted field is never closed"), start_line);
                  g_string_free (field, TRUE);
                  g_ptr_array_unref (fields);
                  return NULL;
                }
              if (text[i] == '"')
                {
                  if (i + 1 < len && text[i + 1] == '"')
                    {
                      g_string_append_c (field, '"');
                      i += 2;
                      continue;
                    }
                  i++;
                  break;
                }
              if (text[i] == '\n')
                (*line)++;
              g_string_append_c (field, text[i++]);
            }
          if (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
            {
              g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                           _("line %u: text after a closing quote"), *line);
              g_string_free (field, TRUE);
              g_ptr_array_unref (fields);
              return NULL;
            }
        }
      else
        {
          while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
            g_string_append_c (field, text[i++]);
        }

      g_ptr_array_add (fields, g_string_free (field, FALSE));
      field = g_string_new (NULL);

      if (i < len && text[i] == ',')
        {
          i++;
          continue;
        }
      if (i < len && text[i] == '\r')
        i++;
      if (i < len && text[i] == '\n')
        i++;
      (*line)++;
      break;
    }
  g_string_free (field, TRUE);
  *pos = i;
  return fields;
}

static gboolean
is_blank (const GPtrArray *fields)
{
  return fields->len == 1 && *(const char *) g_ptr_array_index (fields, 0) == '\0';
}

RcCsv *
rc_csv_parse (const char *text, gssize length, GError **error)
{
  g_autoptr (RcCsv) csv = g_new0 (RcCsv, 1);
  gsize len = length < 0 ? strlen (text) : (gsize) length;
  gsize pos = 0;
  guint line = 1;

  if (!g_utf8_validate (text, len, NULL))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("the file is not valid UTF-8"));
      return NULL;
    }
  /* A UTF-8 byte order mark is not part of the first column's name. */
  if (len >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    pos = 3;

  csv->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  csv->lines = g_array_new (FALSE, FALSE, sizeof (guint));

  while (pos < len)
    {
      guint row_line = line;
      GPtrArray *fields = read_record (text, len, &pos, &line, error);

      if (fields == NULL)
        return NULL;
      if (is_blank (fields))
        {
          g_ptr_array_unref (fields);
          continue;
        }
      if (csv->header == NULL)
        {
          csv->header = fields;
          continue;
        }
      if (fields->len != csv->header->len)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _("line %u: %u fields where the header has %u"), row_line, fields->len,
                       csv->header->len);
          g_ptr_array_unref (fields);
          return NULL;
        }
      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (csv->rows, g_ptr_array_free (fields, FALSE));
      g_array_append_val (csv->lines, row_line);
    }

  if (csv->header == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("the file is empty"));
      return NULL;
    }
  return g_steal_pointer (&csv);
}

RcCsv *
rc_csv_load (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;
  RcCsv *csv;

  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, "%s", local->message);
      return NULL;
    }
  csv = rc_csv_parse (text, (gssize) len, &local);
  if (csv == NULL)
    g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("%s: %s"), path, local->message);
  return csv;
}

int
rc_csv_column (const RcCsv *csv, const char *name)
{
  for (guint i = 0; i < csv->header->len; i++)
    if (g_strcmp0 (g_ptr_array_index (csv->header, i), name) == 0)
      return (int) i;
  return -1;
}
