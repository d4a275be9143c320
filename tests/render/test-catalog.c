/* test-catalog.c — the board's own catalogues: the compiled files of po/ read for a
 * language that is not the process's, plural forms by each language's rule, and
 * damaged files refused in one line without harm. */
#include <glib.h>
#include <string.h>

#include "model/rc-error.h"
#include "render/rc-catalog.h"
#include "render/rc-style.h"
#include "render/rc-words.h"

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

/* A little-endian .mo of the given (msgid, msgstr) pairs, with an empty header. */
static GBytes *
make_mo (const char *const (*pairs)[2], guint n)
{
  GByteArray *mo = g_byte_array_new ();
  guint32 count = n + 1, originals = 28, translations = 28 + 8 * count;
  guint32 strings = translations + 8 * count;
  GString *text = g_string_new (NULL);
  guint32 header[7] = { 0x950412de, 0, count, originals, translations, 0, 0 };

  g_byte_array_append (mo, (const guint8 *) header, sizeof header);
  for (guint column = 0; column < 2; column++)
    for (guint i = 0; i < count; i++)
      {
        const char *s = i == 0 ? "" : pairs[i - 1][column];
        guint32 entry[2] = { (guint32) strlen (s), strings + (guint32) text->len };

        g_byte_array_append (mo, (const guint8 *) entry, sizeof entry);
        g_string_append_len (text, s, (gssize) strlen (s) + 1);
      }
  g_byte_array_append (mo, (const guint8 *) text->str, (guint) text->len);
  g_string_free (text, TRUE);
  return g_byte_array_free_to_bytes (mo);
}

/* A translated format is used only when it takes the arguments its msgid takes: a
 * mistaken or damaged catalogue must not make printf read them wrongly. */
static void
test_formats_checked (void)
{
  static const char *const pairs[][2] = {
    { "%u votes", "%s voix" },                /* wrong conversion */
    { "%s: %u", "%2$u : %1$s" },              /* positions: the same arguments */
    { "%1$d %2$s %3$d", "%3$d年%2$s%1$d日" }, /* reordered date */
    { "Yes: %u", "Oui : %u" },
    { "%s", "%s %s" },            /* one argument more */
    { "%u present", "présents" }, /* one argument fewer */
    { "%d %s", "%1$d %s" },       /* positions mixed with others */
    { "%s done", "%*s fait" },    /* a width read from the arguments */
  };
  g_autoptr (GBytes) bytes = make_mo (pairs, G_N_ELEMENTS (pairs));
  g_autoptr (GError) error = NULL;
  RcCatalog *c = rc_catalog_new_from_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (rc_catalog_gettext (c, "%u votes"), ==, "%s voix"); /* as a word */
  g_assert_cmpstr (rc_catalog_format (c, "%u votes"), ==, "%u votes");
  g_assert_cmpstr (rc_catalog_format (c, "%s: %u"), ==, "%2$u : %1$s");
  g_assert_cmpstr (rc_catalog_format (c, "%1$d %2$s %3$d"), ==, "%3$d年%2$s%1$d日");
  g_assert_cmpstr (rc_catalog_format (c, "Yes: %u"), ==, "Oui : %u");
  g_assert_cmpstr (rc_catalog_format (c, "%s"), ==, "%s");
  g_assert_cmpstr (rc_catalog_format (c, "%u present"), ==, "%u present");
  g_assert_cmpstr (rc_catalog_format (c, "%d %s"), ==, "%d %s");
  g_assert_cmpstr (rc_catalog_format (c, "%s done"), ==, "%s done");
  g_assert_cmpstr (rc_catalog_format (c, "not there: %u"), ==, "not there: %u");
  rc_catalog_free (c);
}

/* The msgids that are printf formats (xgettext's "c-format" flag), unescaped, from a
 * catalogue kept in git (po/rollcall.pot is made by the build, and is not); the
 * `catalogues` test keeps every catalogue's msgids those of the sources. */
static GPtrArray *
template_formats (void)
{
  g_autofree char *path
    = g_build_filename (g_getenv ("ROLLCALL_SOURCE_ROOT"), "po", "fr.po", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GString *id = NULL;
  gboolean format = FALSE;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      gboolean start = g_str_has_prefix (l, "msgid \""), more = id != NULL && l[0] == '"';

      if (g_str_has_prefix (l, "#,"))
        format = strstr (l, " c-format") != NULL;
      if (start || more)
        {
          g_autofree char *quoted
            = g_strndup (strchr (l, '"') + 1, strlen (strchr (l, '"') + 1) - 1);
          g_autofree char *unescaped = g_strcompress (quoted);

          if (start)
            id = g_string_new (NULL);
          g_string_append (id, unescaped);
          continue;
        }
      if (id != NULL)
        {
          if (format && strchr (id->str, '%') != NULL && !g_str_has_prefix (l, "msgid_plural"))
            g_ptr_array_add (ids, g_string_free (id, FALSE));
          else
            g_string_free (id, TRUE);
          id = NULL;
          format = FALSE;
        }
    }
  return ids;
}

/* Every format our catalogues translate passes the check: none is shown in English for
 * it (the translators' formats are those msgfmt -c accepted). */
static void
test_our_formats_pass (void)
{
  g_autoptr (GPtrArray) ids = template_formats ();

  g_assert_cmpuint (ids->len, >, 100);
  for (guint k = 0; k < 5; k++)
    {
      static const char *const languages[] = { "ar", "es", "fr", "ru", "zh_CN" };
      const RcCatalog *c = rc_catalog_get (languages[k]);

      for (guint i = 0; i < ids->len; i++)
        {
          const char *id = g_ptr_array_index (ids, i);

          if (rc_catalog_format (c, id) != rc_catalog_gettext (c, id))
            g_error ("%s: the translation of '%s' (%s) is refused as a format", languages[k], id,
                     rc_catalog_gettext (c, id));
        }
    }
}

/* A bilingual board's words: once when both languages say the same, on one line or a
 * sentence to a line, each language isolated when their directions differ. */
static void
test_bilingual_words (void)
{
  g_autoptr (RcStyle) style = rc_style_new ();
  g_autofree char *line = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *mixed = NULL;

  g_assert_true (rc_board_language_parse ("en,fr", &style->language, NULL));
  g_assert_cmpstr (B_ ("YES"), ==, "YES / POUR");
  /* French writes ABSTENTIONS as English does: said once. */
  g_assert_cmpstr (B_ ("ABSTENTIONS"), ==, "ABSTENTIONS");
  line = rc_board_printf (style, "%u present and voting", 146u);
  g_assert_cmpstr (line, ==, "146 present and voting / 146 présents et votants");
  lines = rc_board_printf_lines (style, "Required majority: %u (two-thirds of present and voting)",
                                 98u);
  g_assert_cmpstr (lines, ==,
                   "Required majority: 98 (two-thirds of present and voting)\n"
                   "Majorité requise : 98 (deux tiers des membres présents et votants)");

  g_assert_true (rc_board_language_parse ("ar,en", &style->language, NULL));
  mixed = rc_board_printf (style, "%u present and voting", 146u);
  g_assert_true (g_str_has_prefix (mixed, "\u2068"));
  g_assert_nonnull (strstr (mixed, "\u2069 / \u2068146 present and voting\u2069"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/catalog/plural-rules", test_plural_rules);
  g_test_add_func ("/catalog/plural-refusals", test_plural_refusals);
  g_test_add_func ("/catalog/built-catalogues", test_built_catalogues);
  g_test_add_func ("/catalog/damaged-files", test_damaged_files);
  g_test_add_func ("/catalog/formats-checked", test_formats_checked);
  g_test_add_func ("/catalog/our-formats-pass", test_our_formats_pass);
  g_test_add_func ("/catalog/bilingual-words", test_bilingual_words);
  return g_test_run ();
}
