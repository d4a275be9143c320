/* test-collate.c — the explicit collation puts member names in the UN's order. */
#include "model/rc-collate.h"
#include "model/rc-csv.h"

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return rc_collate_compare (*(const char *const *) a, *(const char *const *) b);
}

/* members.csv lists the 193 in the UN's own order; sorting either the current names
 * or those of 2 March 2022 with our collation must reproduce it. */
static void
check_order (const char *column)
{
  g_autofree char *path = g_build_filename (g_getenv ("ROLLCALL_SHARED_DATA"), "members.csv",
                                            NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcCsv) csv = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (GPtrArray) sorted = NULL;
  int col;

  /* The UN's order is an outside reference: the workspace's shared folder. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no ../shared/data/members.csv beside the repository");
      return;
    }
  csv = rc_csv_load (path, &error);
  g_assert_no_error (error);
  col = rc_csv_column (csv, column);
  g_assert_cmpint (col, >=, 0);
  for (guint i = 0; i < csv->rows->len; i++)
    g_ptr_array_add (names, ((GStrv) g_ptr_array_index (csv->rows, i))[col]);
  g_assert_cmpuint (names->len, ==, 193);

  sorted = g_ptr_array_copy (names, NULL, NULL);
  g_ptr_array_sort (sorted, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_assert_cmpstr (g_ptr_array_index (sorted, i), ==, g_ptr_array_index (names, i));
}

static void
test_un_order_current (void)
{
  check_order ("name");
}

static void
test_un_order_2022 (void)
{
  check_order ("name_2022");
}

static void
test_keys (void)
{
  const struct { const char *name, *key; } cases[] = {
    { "Türkiye", "turkiye" },
    { "Côte d'Ivoire", "cote divoire" },
    { "Guinea-Bissau", "guinea bissau" },
    { "Bolivia (Plurinational State of)", "bolivia plurinational state of" },
    { "Democratic People's Republic of Korea", "democratic peoples republic of korea" },
    { "  São Tomé  ", "sao tome" },
    { "Große Straße", "grosse strasse" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = rc_collate_key (cases[i].name);
      g_assert_cmpstr (key, ==, cases[i].key);
    }
}

static void
test_pairs (void)
{
  /* One UN record puts TÜRKİYE after TUVALU (byte order of the capitals); we do not. */
  g_assert_cmpint (rc_collate_compare ("Tunisia", "Türkiye"), <, 0);
  g_assert_cmpint (rc_collate_compare ("Türkiye", "Turkmenistan"), <, 0);
  g_assert_cmpint (rc_collate_compare ("TÜRKİYE", "TUVALU"), <, 0);
  g_assert_cmpint (rc_collate_compare ("Costa Rica", "Côte d'Ivoire"), <, 0);
  g_assert_cmpint (rc_collate_compare ("Côte d'Ivoire", "Croatia"), <, 0);
  g_assert_cmpint (rc_collate_compare ("Guinea", "Guinea-Bissau"), <, 0);
  g_assert_cmpint (rc_collate_compare ("Guinea-Bissau", "Guyana"), <, 0);
  g_assert_cmpint (rc_collate_compare ("Saint Vincent and the Grenadines", "Samoa"), <, 0);
  g_assert_cmpint (rc_collate_compare ("Samoa", "San Marino"), <, 0);
  g_assert_cmpint (rc_collate_compare ("Eswatini", "Swaziland"), <, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/collate/un-order/current", test_un_order_current);
  g_test_add_func ("/collate/un-order/2022", test_un_order_2022);
  g_test_add_func ("/collate/keys", test_keys);
  g_test_add_func ("/collate/pairs", test_pairs);
  return g_test_run ();
}
