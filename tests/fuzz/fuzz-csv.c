/* fuzz-csv.c — the CSV reader (rc_csv_parse, RFC 4180): the chambers' member lists,
 * the session sources' ballots, the reference datasets (docs/chambers.md,
 * docs/archive.md).
 *
 * Any bytes: a table, or a refusal in one line naming the line. A table has a header
 * and rows of as many fields as the header, every field valid UTF-8, each row's line
 * number after the one before it. */
#include <string.h>

#include "model/rc-csv.h"
#include "rc-fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcCsv) csv = rc_csv_parse ((const char *) data, (gssize) size, &error);
  guint last_line = 0;

  if (csv == NULL)
    {
      rc_fuzz_check_refusal (error, "rc_csv_parse");
      return 0;
    }
  rc_fuzz_check (csv->header != NULL && csv->header->len > 0, "a table without a header");
  rc_fuzz_check (csv->lines->len == csv->rows->len, "%u rows and %u line numbers", csv->rows->len,
                 csv->lines->len);
  for (guint i = 0; i < csv->header->len; i++)
    {
      const char *name = g_ptr_array_index (csv->header, i);
      int column = rc_csv_column (csv, name);

      rc_fuzz_check (g_utf8_validate (name, -1, NULL), "a column name that is not UTF-8");
      rc_fuzz_check (column >= 0 && column <= (int) i, "column \"%s\" (%u) is found at %d", name, i,
                     column);
    }
  for (guint r = 0; r < csv->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (csv->rows, r);
      guint line = g_array_index (csv->lines, guint, r);

      rc_fuzz_check (g_strv_length (row) == csv->header->len, "row %u has %u fields, not %u", r,
                     g_strv_length (row), csv->header->len);
      for (guint i = 0; row[i] != NULL; i++)
        rc_fuzz_check (g_utf8_validate (row[i], -1, NULL), "a field that is not UTF-8");
      rc_fuzz_check (line > last_line, "row %u starts on line %u, after line %u", r, line,
                     last_line);
      last_line = line;
    }
  return 0;
}
