/* test-catalog.c — the board's own catalogues: the compiled files of po/ read for a
 * language that is not the process's, plural forms by each language's rule, and
 * damaged files refused in one line without harm. */
#include <glib.h>
#include <string.h>

#include "model/rc-error.h"
#include "render/rc-catalog.h"

#define AR "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5"
#define RU "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"

static void
test_plural_rules (void)
{
  /* n → the form gettext's documentation gives for each language */
  const gulong ns[] = { 0, 1, 2, 3, 10, 11, 21, 22, 99, 100, 101, 102, 103, 111, 141, 1000000 };
  const int ar[] = { 0, 1, 2, 3, 3, 4, 4, 4, 4, 5, 5, 5, 3, 4, 4, 5 };
  const int ru[] = { 2, 0, 1, 1, 2, 2, 0, 1, 2, 2, 0, 1, 1, 2, 0, 2 };
  const int fr[] = { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
  const int es[] = { 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };

  for (guint i = 0; i < G_N_ELEMENTS (ns); i++)
    {
      g_assert_cmpint (rc_catalog_plural_index (AR, ns[i]), ==, ar[i]);
      g_assert_cmpint (rc_catalog_plural_index (RU, ns[i]), ==, ru[i]);
      g_assert_cmpint (rc_catalog_plural_index ("(n > 1)", ns[i]), ==, fr[i]);
      g_assert_cmpint (rc_catalog_plural_index ("(n != 1)", ns[i]), ==, es[i]);
      g_assert_cmpint (rc_catalog_plural_index ("0", ns[i]), ==, 0);
    }
}

static void
test_plural_refusals (void)
{
  const char *const bad[]
    = { "", "n ?", "(n", "n)", "x", "n == ", "6", "n+6", "n ? 1 : ", "n !! 1", "1 2" };
  GString *deep = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_cmpint (rc_catalog_plural_index (bad[i], 3), ==, -1);
  /* As gettext: a division by zero gives 0 (the branch of ?: not taken is evaluated
   * too, and must not spoil the expression). */
  g_assert_cmpint (rc_catalog_plural_index ("n / 0", 3), ==, 0);
  g_assert_cmpint (rc_catalog_plural_index ("n == 0 ? 1 % n : 1", 0), ==, 0);
  g_assert_cmpint (rc_catalog_plural_index ("n == 0 ? 1 % n : 1", 5), ==, 1);
  /* Nesting is bounded: no stack to exhaust. */
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '(');
  g_string_append_c (deep, 'n');
  g_assert_cmpint (rc_catalog_plural_index (deep->str, 1), ==, -1);
  g_string_free (deep, TRUE);
}

/* The catalogues the build compiled, read as the board reads them. */
static void
test_built_catalogues (void)
{
  const RcCatalog *fr = rc_catalog_get ("fr");
  const RcCatalog *ar = rc_catalog_get ("ar");
  const RcCatalog *en = rc_catalog_get ("en");
  const char *forms[6];

  g_assert_true (rc_catalog_is_loaded (fr));
  g_assert_true (rc_catalog_is_loaded (ar));
  g_assert_false (rc_catalog_is_loaded (en));
  g_assert_cmpstr (rc_catalog_gettext (en, "YES"), ==, "YES");
  g_assert_cmpstr (rc_catalog_gettext (fr, "YES"), ==, "POUR");
  g_assert_cmpstr (rc_catalog_gettext (fr, "General Assembly"), ==, "Assemblée générale");
  /* A message no catalogue has stays as written. */
  g_assert_cmpstr (rc_catalog_gettext (fr, "no such message"), ==, "no such message");
  /* With a context: one member's choice. */
  g_assert_cmpstr (rc_catalog_pgettext (en, "a member's choice", "Did not vote"), ==,
                   "Did not vote");
  g_assert_cmpstr (rc_catalog_pgettext (fr, "a member's choice", "Did not vote"), !=,
                   "Did not vote");
  /* Arabic's forms chosen by the number: one, few (3–10) and many (11–99) are three
   * different texts, and 103 takes the form of 3. */
  forms[0] = rc_catalog_ngettext (ar, "%u vote", "%u votes", 1);
  forms[1] = rc_catalog_ngettext (ar, "%u vote", "%u votes", 3);
  forms[2] = rc_catalog_ngettext (ar, "%u vote", "%u votes", 11);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (g_utf8_validate (forms[i], -1, NULL));
      g_assert_cmpstr (forms[i], !=, "%u vote");
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (forms[i], !=, forms[j]);
    }
  forms[3] = forms[1];
  g_assert_cmpstr (rc_catalog_ngettext (ar, "%u vote", "%u votes", 103), ==, forms[3]);
  g_assert_cmpstr (rc_catalog_ngettext (en, "%u vote", "%u votes", 1), ==, "%u vote");
  g_assert_cmpstr (rc_catalog_ngettext (en, "%u vote", "%u votes", 2), ==, "%u votes");
}

/* The French file, cut and altered: a one-line refusal, or (a message that is not
 * UTF-8) that message left in English; never a read outside the file. */
static void
test_damaged_files (void)
{
  g_autofree char *path
    = g_build_filename (g_getenv ("ROLLCALL_LOCALEDIR"), "fr", "LC_MESSAGES", "rollcall.mo", NULL);
  g_autofree char *data = NULL;
  gsize size;
  const char *const bad[] = { "", "\xde\x12\x04\x95", "not a catalogue at all, but long enough" };

  g_assert_true (g_file_get_contents (path, &data, &size, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (bad[i], strlen (bad[i]));
      g_autoptr (GError) error = NULL;

      g_assert_null (rc_catalog_new_from_bytes (bytes, &error));
      g_assert_error (error, RC_ERROR, RC_ERROR_BAD_FILE);
      g_assert_null (strchr (error->message, '\n'));
    }
  /* Every cut: refused, or read (when only the strings' tail is gone, the tables check
   * each string against the end). */
  for (gsize cut = 0; cut < size; cut += 1 + cut / 7)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (data, cut);
      g_autoptr (GError) error = NULL;
      RcCatalog *c = rc_catalog_new_from_bytes (bytes, &error);

      if (c == NULL)
        g_assert_error (error, RC_ERROR, RC_ERROR_BAD_FILE);
      else
        {
          /* What it read is the file's, or the English: never bytes past the cut. */
          const char *yes = rc_catalog_gettext (c, "YES");

          g_assert_true (g_str_equal (yes, "YES") || g_str_equal (yes, "POUR"));
          g_assert_true (
            g_utf8_validate (rc_catalog_ngettext (c, "%u vote", "%u votes", 3), -1, NULL));
        }
      rc_catalog_free (c);
    }
  /* The same catalogue written by a big-endian machine: every word of the header and
   * of the two tables swapped; read alike. */
  {
    g_autofree guint32 *copy = g_malloc (size + 4);
    g_autoptr (GBytes) bytes = NULL;
    g_autoptr (GError) error = NULL;
    RcCatalog *swapped;
    guint32 n, originals, translations;

    memcpy (copy, data, size);
    n = copy[2], originals = copy[3], translations = copy[4];
    for (guint i = 0; i < 7; i++)
      copy[i] = GUINT32_SWAP_LE_BE (copy[i]);
    for (guint32 i = 0; i < 2 * n; i++)
      {
        copy[originals / 4 + i] = GUINT32_SWAP_LE_BE (copy[originals / 4 + i]);
        copy[translations / 4 + i] = GUINT32_SWAP_LE_BE (copy[translations / 4 + i]);
      }
    bytes = g_bytes_new (copy, size);
    swapped = rc_catalog_new_from_bytes (bytes, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (rc_catalog_gettext (swapped, "YES"), ==, "POUR");
    g_assert_cmpstr (rc_catalog_ngettext (swapped, "%u vote", "%u votes", 2), !=, "%u votes");
    rc_catalog_free (swapped);
  }
  /* A table pointing past the end. */
  {
    g_autofree char *copy = g_memdup2 (data, size);
    g_autoptr (GBytes) bytes = NULL;
    g_autoptr (GError) error = NULL;
    guint32 huge = 0x7fffffff;

    memcpy (copy + 12, &huge, 4); /* the originals' table */
    bytes = g_bytes_new (copy, size);
    g_assert_null (rc_catalog_new_from_bytes (bytes, &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_BAD_FILE);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/catalog/plural-rules", test_plural_rules);
  g_test_add_func ("/catalog/plural-refusals", test_plural_refusals);
  g_test_add_func ("/catalog/built-catalogues", test_built_catalogues);
  g_test_add_func ("/catalog/damaged-files", test_damaged_files);
  return g_test_run ();
}
