/* test-csv.c — the strict CSV reader: what it accepts and what it refuses. */
#include "model/rc-csv.h"
#include "model/rc-error.h"

#include <string.h>

static void
test_fields (void)
{
  const char *text = "\xEF\xBB\xBF" "code,name,label\r\n"
                     "GBR,\"United Kingdom of Great Britain and Northern Ireland\",United Kingdom\r\n"
                     "\n"
                     "CIV,\"C\xC3\xB4te d'Ivoire\",\r\n"
                     "XXX,\"quoted \"\"word\"\", comma\",\"two\nlines\"\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (RcCsv) csv = rc_csv_parse (text, -1, &error);
  GStrv row;

  g_assert_no_error (error);
  g_assert_cmpint (rc_csv_column (csv, "code"), ==, 0);
  g_assert_cmpint (rc_csv_column (csv, "label"), ==, 2);
  g_assert_cmpint (rc_csv_column (csv, "nope"), ==, -1);
  g_assert_cmpuint (csv->rows->len, ==, 3);
  row = g_ptr_array_index (csv->rows, 0);
  g_assert_cmpstr (row[1], ==, "United Kingdom of Great Britain and Northern Ireland");
  row = g_ptr_array_index (csv->rows, 1);
  g_assert_cmpstr (row[1], ==, "C\xC3\xB4te d'Ivoire");
  g_assert_cmpstr (row[2], ==, "");
  g_assert_cmpuint (g_array_index (csv->lines, guint, 1), ==, 4);
  row = g_ptr_array_index (csv->rows, 2);
  g_assert_cmpstr (row[1], ==, "quoted \"word\", comma");
  g_assert_cmpstr (row[2], ==, "two\nlines");
}

static void
test_refusals (void)
{
  const struct { const char *text, *message; } cases[] = {
    { "a,b\n1,2,3\n", "line 2: 3 fields where the header has 2" },
    { "a,b\n1,\"2\n", "line 2: a quoted field is never closed" },
    { "a,b\n1,\"2\"x\n", "line 2: text after a closing quote" },
    { "a,b\n1,\xff\n", "the file is not valid UTF-8" },
    { "", "the file is empty" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RcCsv) csv = rc_csv_parse (cases[i].text, -1, &error);

      g_assert_null (csv);
      g_assert_error (error, RC_ERROR, RC_ERROR_BAD_FILE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_missing_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcCsv) csv = rc_csv_load ("/nonexistent/members.csv", &error);

  g_assert_null (csv);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_FILE);
  g_assert_nonnull (strstr (error->message, "/nonexistent/members.csv"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/csv/fields", test_fields);
  g_test_add_func ("/csv/refusals", test_refusals);
  g_test_add_func ("/csv/missing-file", test_missing_file);
  return g_test_run ();
}
