/* test-chamber-files.c — the chamber and palette key files in data/ follow
 * docs/chambers.md, and every palette is readable on a screen.
 *
 * A chamber file has exactly the documented keys with valid values, and names a
 * member list and a palette that exist. A palette has every colour key as #rrggbb,
 * and passes contrast floors (WCAG 2 contrast ratio): text on the ground and on a cell
 * at least 7:1, dim text 4.5:1, the verdict 3:1 (large text), each light at least 2:1
 * against its cell so it reads from the back of a hall. GLib only: this checks the
 * data, not the loader. */

#include <math.h>
#include <string.h>

#include <glib.h>

static const char *const chamber_keys[] = {
  "id",      "name", "body", "members", "majority", "council-affirmative", "concurrent-votes",
  "palette", NULL,
};

/* In this order: the lights are [4, 10). */
static const char *const colour_keys[] = {
  "background", "text",    "dim-text", "cell",    "yes",         "no", "abstain",
  "not-voting", "pending", "hidden",   "adopted", "not-adopted", NULL,
};

static const char *const chamber_groups[] = { "Chamber", "Palette", NULL };
static const char *const palette_groups[] = { "Palette", NULL };

static char *
data_path (const char *first, ...)
{
  const char *root = g_getenv ("ROLLCALL_SOURCE_ROOT");
  g_autoptr (GPtrArray) parts = g_ptr_array_new ();
  va_list args;

  g_assert_nonnull (root);
  g_ptr_array_add (parts, (gpointer) root);
  g_ptr_array_add (parts, (gpointer) "data");
  g_ptr_array_add (parts, (gpointer) first);
  va_start (args, first);
  for (const char *p = va_arg (args, const char *); p != NULL; p = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

/* The files in data/DIR ending in suffix, sorted. */
static GPtrArray *
list_files (const char *dir, const char *suffix)
{
  g_autofree char *path = data_path (dir, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = g_dir_open (path, 0, &error);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, suffix))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  return names;
}

/* Reports groups other than the allowed ones (the first of which is required), keys
 * of group other than the allowed ones, and, if all_required, allowed keys missing. */
static void
check_keys (GKeyFile *kf, const char *file, const char *const *groups_allowed, const char *group,
            const char *const *allowed, gboolean all_required, GString *problems)
{
  g_auto (GStrv) groups = g_key_file_get_groups (kf, NULL);
  g_auto (GStrv) keys = NULL;

  if (!g_key_file_has_group (kf, groups_allowed[0]))
    g_string_append_printf (problems, "%s: no [%s] group\n", file, groups_allowed[0]);
  for (guint i = 0; groups[i] != NULL; i++)
    if (!g_strv_contains (groups_allowed, groups[i]))
      g_string_append_printf (problems, "%s: unknown group [%s]\n", file, groups[i]);
  keys = g_key_file_get_keys (kf, group, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_strv_contains (allowed, keys[i]))
      g_string_append_printf (problems, "%s: [%s] has an unknown key '%s'\n", file, group, keys[i]);
  for (guint i = 0; all_required && allowed[i] != NULL; i++)
    if (!g_key_file_has_key (kf, group, allowed[i], NULL))
      g_string_append_printf (problems, "%s: [%s] has no key '%s'\n", file, group, allowed[i]);
}

static gboolean
parse_colour (const char *text, guint32 *rgb)
{
  char *end = NULL;

  if (text == NULL || strlen (text) != 7 || text[0] != '#')
    return FALSE;
  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  *rgb = (guint32) g_ascii_strtoull (text + 1, &end, 16);
  return *end == '\0';
}

/* WCAG 2 relative luminance of an sRGB colour. */
static double
luminance (guint32 rgb)
{
  double c[3];

  for (guint i = 0; i < 3; i++)
    {
      double v = ((rgb >> (16 - 8 * i)) & 0xff) / 255.0;
      c[i] = v <= 0.04045 ? v / 12.92 : pow ((v + 0.055) / 1.055, 2.4);
    }
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

static double
contrast (guint32 a, guint32 b)
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* Every colour key present in [Palette] must be #rrggbb; found ones go into colours
 * (key to GUINT_TO_POINTER (0xrrggbb)) if given. */
static gboolean
check_colours (GKeyFile *kf, const char *file, GHashTable *colours, GString *problems)
{
  gboolean ok = TRUE;

  for (guint k = 0; colour_keys[k] != NULL; k++)
    {
      g_autofree char *v = g_key_file_get_string (kf, "Palette", colour_keys[k], NULL);
      guint32 rgb = 0;

      if (v == NULL && colours == NULL)
        continue;
      if (!parse_colour (v, &rgb))
        {
          g_string_append_printf (problems, "%s: %s='%s' is not #rrggbb\n", file, colour_keys[k],
                                  v != NULL ? v : "");
          ok = FALSE;
        }
      else if (colours != NULL)
        g_hash_table_insert (colours, (gpointer) colour_keys[k], GUINT_TO_POINTER (rgb));
    }
  return ok;
}

static void
test_chambers (void)
{
  g_autoptr (GPtrArray) files = list_files ("chambers", ".chamber");
  g_autoptr (GString) problems = g_string_new (NULL);
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_cmpuint (files->len, >=, 2);
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autofree char *path = data_path ("chambers", file, NULL);
      g_autoptr (GKeyFile) kf = g_key_file_new ();
      g_autoptr (GError) error = NULL;
      g_autofree char *id = NULL;
      g_autofree char *members = NULL;
      g_autofree char *members_path = NULL;
      g_autofree char *majority = NULL;
      g_autofree char *palette = NULL;
      g_autofree char *palette_file = NULL;
      g_autofree char *palette_path = NULL;
      gint64 affirmative;

      if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error))
        {
          g_string_append_printf (problems, "%s: %s\n", file, error->message);
          continue;
        }
      check_keys (kf, file, chamber_groups, "Chamber", chamber_keys, TRUE, problems);
      /* A chamber may adjust its palette in place (docs/chambers.md). */
      if (g_key_file_has_group (kf, "Palette"))
        {
          check_keys (kf, file, chamber_groups, "Palette", colour_keys, FALSE, problems);
          check_colours (kf, file, NULL, problems);
        }

      id = g_key_file_get_string (kf, "Chamber", "id", NULL);
      if (id == NULL || *id == '\0' || g_hash_table_contains (ids, id))
        g_string_append_printf (problems, "%s: missing or repeated id\n", file);
      else
        g_hash_table_add (ids, g_strdup (id));
      for (guint k = 0; k < 2; k++)
        {
          const char *key = (const char *[]){ "name", "body" }[k];
          g_autofree char *v = g_key_file_get_string (kf, "Chamber", key, NULL);

          if (v == NULL || *v == '\0')
            g_string_append_printf (problems, "%s: empty %s\n", file, key);
        }

      members = g_key_file_get_string (kf, "Chamber", "members", NULL);
      members_path = data_path ("chambers", members != NULL ? members : "", NULL);
      if (members == NULL || !g_file_test (members_path, G_FILE_TEST_IS_REGULAR))
        g_string_append_printf (problems, "%s: member list '%s' not found\n", file,
                                members != NULL ? members : "");

      majority = g_key_file_get_string (kf, "Chamber", "majority", NULL);
      affirmative = g_key_file_get_int64 (kf, "Chamber", "council-affirmative", &error);
      if (error != NULL)
        {
          g_string_append_printf (problems, "%s: council-affirmative: %s\n", file, error->message);
          g_clear_error (&error);
        }
      else if (g_strcmp0 (majority, "council") == 0 || g_strcmp0 (majority, "procedural") == 0
                 ? affirmative <= 0
                 : affirmative != 0)
        g_string_append_printf (
          problems, "%s: council-affirmative %" G_GINT64_FORMAT " does not fit majority %s\n", file,
          affirmative, majority);
      if (majority == NULL
          || !g_strv_contains ((const char *const[]){ "simple", "two-thirds", "absolute", "council",
                                                      "procedural", NULL },
                               majority))
        g_string_append_printf (problems,
                                "%s: majority '%s' is not simple, two-thirds, absolute, council or "
                                "procedural\n",
                                file, majority);

      g_key_file_get_boolean (kf, "Chamber", "concurrent-votes", &error);
      if (error != NULL)
        {
          g_string_append_printf (problems, "%s: concurrent-votes: %s\n", file, error->message);
          g_clear_error (&error);
        }

      palette = g_key_file_get_string (kf, "Chamber", "palette", NULL);
      palette_file = g_strconcat (palette != NULL ? palette : "", ".palette", NULL);
      palette_path = data_path ("palettes", palette_file, NULL);
      if (!g_file_test (palette_path, G_FILE_TEST_IS_REGULAR))
        g_string_append_printf (problems, "%s: palette '%s' not found\n", file, palette);
    }

  g_assert_cmpstr (problems->str, ==, "");
  g_assert_true (g_hash_table_contains (ids, "UNGA"));
  g_assert_true (g_hash_table_contains (ids, "UNSC"));
}

static void
test_palettes (void)
{
  /* Each light against its cell, and its floor. */
  static const struct {
    const char *key;
    double floor;
  } lights[] = {
    { "yes", 2.0 }, { "no", 2.0 }, { "abstain", 2.0 }, { "hidden", 2.0 }, { "not-voting", 1.5 },
  };
  g_autoptr (GPtrArray) files = list_files ("palettes", ".palette");
  g_autoptr (GString) problems = g_string_new (NULL);
  g_auto (GStrv) allowed = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, "name");
  g_strv_builder_addv (builder, (const char **) colour_keys);
  allowed = g_strv_builder_end (builder);

  g_assert_cmpuint (files->len, >=, 3);
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autofree char *path = data_path ("palettes", file, NULL);
      g_autoptr (GKeyFile) kf = g_key_file_new ();
      g_autoptr (GError) error = NULL;
      g_autofree char *name = NULL;
      g_autoptr (GHashTable) colours = g_hash_table_new (g_str_hash, g_str_equal);
      gboolean colours_ok;
      guint32 bg, text, dim, cell;

      if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error))
        {
          g_string_append_printf (problems, "%s: %s\n", file, error->message);
          continue;
        }
      check_keys (kf, file, palette_groups, "Palette", (const char *const *) allowed, TRUE,
                  problems);
      name = g_key_file_get_string (kf, "Palette", "name", NULL);
      if (name == NULL || *name == '\0')
        g_string_append_printf (problems, "%s: no human name\n", file);

      colours_ok = check_colours (kf, file, colours, problems);
      if (!colours_ok)
        continue;

#define COLOUR(k) GPOINTER_TO_UINT (g_hash_table_lookup (colours, (k)))
      bg = COLOUR ("background");
      text = COLOUR ("text");
      dim = COLOUR ("dim-text");
      cell = COLOUR ("cell");
      if (contrast (text, bg) < 7.0 || contrast (text, cell) < 7.0)
        g_string_append_printf (problems, "%s: text below 7:1\n", file);
      if (contrast (dim, bg) < 4.5 || contrast (dim, cell) < 4.5)
        g_string_append_printf (problems, "%s: dim text below 4.5:1\n", file);
      if (contrast (COLOUR ("adopted"), bg) < 3.0 || contrast (COLOUR ("not-adopted"), bg) < 3.0)
        g_string_append_printf (problems, "%s: verdict below 3:1\n", file);
      for (guint k = 0; k < G_N_ELEMENTS (lights); k++)
        {
          double c = contrast (COLOUR (lights[k].key), cell);
          if (c < lights[k].floor)
            g_string_append_printf (problems, "%s: %s light %.2f:1 on its cell, below %.1f:1\n",
                                    file, lights[k].key, c, lights[k].floor);
        }
      /* Every state a light can show must look different. */
      for (guint a = 4; a < 10; a++)
        for (guint b = a + 1; b < 10; b++)
          if (COLOUR (colour_keys[a]) == COLOUR (colour_keys[b]))
            g_string_append_printf (problems, "%s: %s and %s are the same colour\n", file,
                                    colour_keys[a], colour_keys[b]);
      if (COLOUR ("adopted") == COLOUR ("not-adopted"))
        g_string_append_printf (problems, "%s: adopted and not-adopted are the same\n", file);
#undef COLOUR
    }

  g_assert_cmpstr (problems->str, ==, "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("ROLLCALL_SOURCE_ROOT") == NULL)
    {
      g_printerr ("ROLLCALL_SOURCE_ROOT is not set: run this through meson test\n");
      return 1;
    }

  g_test_add_func ("/data/chambers/key-files", test_chambers);
  g_test_add_func ("/data/palettes/key-files", test_palettes);

  return g_test_run ();
}
