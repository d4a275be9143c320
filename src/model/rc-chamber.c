/* rc-chamber.c — loads a chamber (rules, colours, members over time) from its files.
 *
 * Format: docs/chambers.md. The key file names a member CSV with one row per name a
 * member bore: code,name,label,from,until,veto. Dates are ISO (YYYY-MM-DD) and
 * compare as strings. */
#include "rc-chamber.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-csv.h"
#include "rc-error.h"
#include "rc-paths.h"

typedef struct {
  char *code;
  char *name;
  char *label;
  char *from;  /* first day, inclusive */
  char *until; /* last day, inclusive; NULL: still in force */
  gboolean veto;
} NameRow;

struct _RcChamber
{
  RcChamberInfo info;
  GArray *rows; /* of NameRow */
};

void
rc_palette_init_default (RcPalette *p)
{
  /* The dark hall board: readable on a projector, lights that differ in lightness
   * as well as hue. */
  p->background = 0x0b0f14;
  p->text = 0xf2f4f7;
  p->dim_text = 0x9aa4b1;
  p->cell = 0x161c24;
  p->yes = 0x2fbf4a;
  p->no = 0xe5383b;
  p->abstain = 0xf2c12e;
  p->not_voting = 0x2a313b;
  p->pending = 0x1e252e;
  p->hidden = 0x5b8def;
  p->adopted = 0x2fbf4a;
  p->not_adopted = 0xe5383b;
}

gboolean
rc_parse_colour (const char *text, guint32 *out)
{
  guint64 v;
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  if (text[0] != '#' || strlen (text) != 7)
    return FALSE;
  for (int i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  v = g_ascii_strtoull (text + 1, &end, 16);
  if (end == NULL || *end != '\0')
    return FALSE;
  *out = (guint32) v;
  return TRUE;
}

const RcPaletteField rc_palette_fields[] = {
  { "background", G_STRUCT_OFFSET (RcPalette, background) },
  { "text", G_STRUCT_OFFSET (RcPalette, text) },
  { "dim-text", G_STRUCT_OFFSET (RcPalette, dim_text) },
  { "cell", G_STRUCT_OFFSET (RcPalette, cell) },
  { "yes", G_STRUCT_OFFSET (RcPalette, yes) },
  { "no", G_STRUCT_OFFSET (RcPalette, no) },
  { "abstain", G_STRUCT_OFFSET (RcPalette, abstain) },
  { "not-voting", G_STRUCT_OFFSET (RcPalette, not_voting) },
  { "pending", G_STRUCT_OFFSET (RcPalette, pending) },
  { "hidden", G_STRUCT_OFFSET (RcPalette, hidden) },
  { "adopted", G_STRUCT_OFFSET (RcPalette, adopted) },
  { "not-adopted", G_STRUCT_OFFSET (RcPalette, not_adopted) },
};
const guint rc_palette_n_fields = G_N_ELEMENTS (rc_palette_fields);

gboolean
rc_palette_load_from_keyfile (RcPalette *palette, GKeyFile *kf, const char *group,
                              GError **error)
{
  RcPalette result = *palette;

  if (!g_key_file_has_group (kf, group))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("no [%s] group"), group);
      return FALSE;
    }
  for (guint i = 0; i < rc_palette_n_fields; i++)
    {
      const RcPaletteField *field = &rc_palette_fields[i];
      g_autofree char *value = g_key_file_get_string (kf, group, field->key, NULL);

      if (value == NULL)
        continue;
      if (!rc_parse_colour (value, &RC_PALETTE_COLOUR (&result, field)))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _("[%s] %s: '%s' is not a colour like #1a2b3c"), group, field->key,
                       value);
          return FALSE;
        }
    }
  *palette = result;
  return TRUE;
}

static gboolean
looks_like_path (const char *s)
{
  return strchr (s, '/') != NULL || g_str_has_suffix (s, ".palette");
}

gboolean
rc_palette_load (RcPalette *palette, const char *name_or_path, const char *near_dir,
                 GError **error)
{
  g_autofree char *path = NULL;
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (palette != NULL && name_or_path != NULL, FALSE);

  if (*name_or_path == '\0')
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT, _("empty palette name"));
      return FALSE;
    }
  if (looks_like_path (name_or_path))
    path = g_strdup (name_or_path);
  else
    {
      g_autofree char *rel = g_strdup_printf ("palettes/%s.palette", name_or_path);
      g_autofree char *sibling = near_dir ? g_build_filename (near_dir, "..", rel, NULL) : NULL;

      if (sibling != NULL && g_file_test (sibling, G_FILE_TEST_IS_REGULAR))
        path = g_steal_pointer (&sibling);
      else
        path = rc_paths_find_data (rel);
      if (path == NULL)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                       _("unknown palette '%s' (no palettes/%s.palette in the data folders)"),
                       name_or_path, name_or_path);
          return FALSE;
        }
    }
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("palette %s: %s"), path, local->message);
      return FALSE;
    }
  if (!rc_palette_load_from_keyfile (palette, kf, "Palette", &local))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("palette %s: %s"), path, local->message);
      return FALSE;
    }
  return TRUE;
}

RcChamberInfo *
rc_chamber_info_copy (const RcChamberInfo *info)
{
  RcChamberInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);
  copy = g_new0 (RcChamberInfo, 1);
  *copy = *info;
  copy->id = g_strdup (info->id);
  copy->name = g_strdup (info->name);
  copy->body = g_strdup (info->body);
  return copy;
}

void
rc_chamber_info_free (RcChamberInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->name);
  g_free (info->body);
  g_free (info);
}

gboolean
rc_chamber_info_equal (const RcChamberInfo *a, const RcChamberInfo *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return g_strcmp0 (a->id, b->id) == 0 && g_strcmp0 (a->name, b->name) == 0
         && g_strcmp0 (a->body, b->body) == 0
         && a->rules.default_majority == b->rules.default_majority
         && a->rules.council_affirmative == b->rules.council_affirmative
         && a->rules.concurrent_votes == b->rules.concurrent_votes
         && memcmp (&a->palette, &b->palette, sizeof (RcPalette)) == 0;
}

static void
name_row_clear (gpointer data)
{
  NameRow *row = data;

  g_free (row->code);
  g_free (row->name);
  g_free (row->label);
  g_free (row->from);
  g_free (row->until);
}

void
rc_chamber_free (RcChamber *chamber)
{
  if (chamber == NULL)
    return;
  g_free (chamber->info.id);
  g_free (chamber->info.name);
  g_free (chamber->info.body);
  g_clear_pointer (&chamber->rows, g_array_unref);
  g_free (chamber);
}

const RcChamberInfo *
rc_chamber_get_info (const RcChamber *chamber)
{
  g_return_val_if_fail (chamber != NULL, NULL);
  return &chamber->info;
}

static gboolean
load_members (RcChamber *chamber, const char *csv_path, GError **error)
{
  g_autoptr (RcCsv) csv = rc_csv_load (csv_path, error);
  const char *columns[] = { "code", "name", "label", "from", "until", "veto" };
  int col[G_N_ELEMENTS (columns)];

  if (csv == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      col[i] = rc_csv_column (csv, columns[i]);
      if (col[i] < 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("%s: no '%s' column"), csv_path,
                       columns[i]);
          return FALSE;
        }
    }

  for (guint r = 0; r < csv->rows->len; r++)
    {
      GStrv f = g_ptr_array_index (csv->rows, r);
      guint line = g_array_index (csv->lines, guint, r);
      NameRow row = { 0 };
      const char *veto = f[col[5]];

      if (*f[col[0]] == '\0' || *f[col[1]] == '\0')
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _("%s:%u: a member needs a code and a name"), csv_path, line);
          return FALSE;
        }
      if (!rc_iso_date_valid (f[col[3]]) || (*f[col[4]] != '\0' && !rc_iso_date_valid (f[col[4]])))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _("%s:%u: dates must be YYYY-MM-DD (from required, until optional)"),
                       csv_path, line);
          return FALSE;
        }
      if (*f[col[4]] != '\0' && strcmp (f[col[4]], f[col[3]]) < 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _("%s:%u: 'until' is before 'from'"), csv_path, line);
          return FALSE;
        }
      if (strcmp (veto, "yes") != 0 && strcmp (veto, "no") != 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _("%s:%u: veto must be 'yes' or 'no', not '%s'"), csv_path, line, veto);
          return FALSE;
        }
      /* What an event can carry (docs/events.md): a roster the feed could not send is
       * refused here, not at the first session. */
      if (strlen (f[col[0]]) > RC_ID_MAX || strlen (f[col[1]]) > RC_TEXT_MAX
          || strlen (f[col[2]]) > RC_TEXT_MAX)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: a code is at most %d bytes, a name or label %d"), csv_path, line,
                       RC_ID_MAX, RC_TEXT_MAX);
          return FALSE;
        }
      row.code = g_strdup (f[col[0]]);
      row.name = g_strdup (f[col[1]]);
      row.label = *f[col[2]] ? g_strdup (f[col[2]]) : NULL;
      row.from = g_strdup (f[col[3]]);
      row.until = *f[col[4]] ? g_strdup (f[col[4]]) : NULL;
      row.veto = strcmp (veto, "yes") == 0;
      g_array_append_val (chamber->rows, row);
    }
  return TRUE;
}

static RcChamber *
load (const char *path, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) local = NULL;
  g_autoptr (RcChamber) chamber = g_new0 (RcChamber, 1);
  g_autofree char *members = NULL;
  g_autofree char *majority = NULL;
  g_autofree char *palette_name = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *csv_path = NULL;

  chamber->rows = g_array_new (FALSE, TRUE, sizeof (NameRow));
  g_array_set_clear_func (chamber->rows, name_row_clear);
  rc_palette_init_default (&chamber->info.palette);

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("%s: %s"), path, local->message);
      return NULL;
    }

#define REQUIRE(var, key)                                                                  \
  G_STMT_START                                                                             \
  {                                                                                        \
    var = g_key_file_get_string (kf, "Chamber", key, NULL);                                \
    if (var == NULL || *var == '\0')                                                       \
      {                                                                                    \
        g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("%s: [Chamber] needs '%s'"), path, \
                     key);                                                                 \
        return NULL;                                                                       \
      }                                                                                    \
  }                                                                                        \
  G_STMT_END

  REQUIRE (chamber->info.id, "id");
  REQUIRE (chamber->info.name, "name");
  REQUIRE (members, "members");
  REQUIRE (majority, "majority");
#undef REQUIRE
  chamber->info.body = g_key_file_get_string (kf, "Chamber", "body", NULL);
  /* What a session event can carry (docs/events.md). */
  if (strlen (chamber->info.id) > RC_ID_MAX || strlen (chamber->info.name) > RC_TEXT_MAX
      || (chamber->info.body != NULL && strlen (chamber->info.body) > RC_TEXT_MAX))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("%s: [Chamber] id is at most %d bytes, name and body %d"), path, RC_ID_MAX,
                   RC_TEXT_MAX);
      return NULL;
    }

  /* A chamber decides by a rule it knows: "unknown" is for records that do not say. */
  if (!rc_majority_from_string (majority, &chamber->info.rules.default_majority)
      || chamber->info.rules.default_majority == RC_MAJORITY_UNKNOWN)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("%s: majority '%s' is not simple, two-thirds, absolute, council or "
                      "procedural"),
                   path, majority);
      return NULL;
    }
  chamber->info.rules.council_affirmative =
    (guint) MAX (0, g_key_file_get_integer (kf, "Chamber", "council-affirmative", NULL));
  chamber->info.rules.concurrent_votes =
    g_key_file_get_boolean (kf, "Chamber", "concurrent-votes", NULL);
  if (rc_majority_is_council (chamber->info.rules.default_majority)
      && chamber->info.rules.council_affirmative == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("%s: a %s majority needs council-affirmative"), path, majority);
      return NULL;
    }

  /* Colours: the named palette file, then any [Palette] group in the chamber file. */
  dir = g_path_get_dirname (path);
  palette_name = g_key_file_get_string (kf, "Chamber", "palette", NULL);
  if (palette_name != NULL && *palette_name != '\0'
      && !rc_palette_load (&chamber->info.palette, palette_name, dir, &local))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("%s: %s"), path, local->message);
      return NULL;
    }
  if (g_key_file_has_group (kf, "Palette")
      && !rc_palette_load_from_keyfile (&chamber->info.palette, kf, "Palette", &local))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("%s: %s"), path, local->message);
      return NULL;
    }

  csv_path = g_path_is_absolute (members) ? g_strdup (members)
                                          : g_build_filename (dir, members, NULL);
  if (!load_members (chamber, csv_path, error))
    return NULL;

  return g_steal_pointer (&chamber);
}

RcChamber *
rc_chamber_load (const char *path, GError **error)
{
  GError *local = NULL;
  RcChamber *chamber = load (path, &local);

  /* The refusals quote the files: GKeyFile's words quote a broken line as it is, and a
   * CSV field may hold a line break. */
  if (local != NULL)
    {
      rc_error_make_one_line (local);
      g_propagate_error (error, local);
    }
  return chamber;
}

GArray *
rc_chamber_get_names (const RcChamber *chamber, const char *code)
{
  GArray *names = g_array_new (FALSE, FALSE, sizeof (RcChamberName));

  g_return_val_if_fail (chamber != NULL && code != NULL, names);
  for (guint i = 0; i < chamber->rows->len; i++)
    {
      const NameRow *row = &g_array_index (chamber->rows, NameRow, i);
      RcChamberName name = { row->code, row->name, row->label, row->from, row->until, row->veto };

      if (strcmp (row->code, code) == 0)
        g_array_append_val (names, name);
    }
  return names;
}

static RcRoster *
roster_at (const RcChamber *chamber, const char *date, GError **error)
{
  g_autoptr (GArray) members = g_array_new (FALSE, TRUE, sizeof (RcMember));
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  RcRoster *roster;

  if (!rc_iso_date_valid (date))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT, _("'%s' is not a date like 2022-03-02"),
                   date ? date : "");
      return NULL;
    }

  for (guint i = 0; i < chamber->rows->len; i++)
    {
      const NameRow *row = &g_array_index (chamber->rows, NameRow, i);
      RcMember m = { 0 };

      if (strcmp (row->from, date) > 0 || (row->until && strcmp (row->until, date) < 0))
        continue;
      if (g_hash_table_contains (seen, row->code))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _("member %s has two names in force on %s"), row->code, date);
          for (guint j = 0; j < members->len; j++)
            {
              RcMember *mm = &g_array_index (members, RcMember, j);
              g_free (mm->code);
              g_free (mm->name);
              g_free (mm->label);
            }
          return NULL;
        }
      g_hash_table_add (seen, row->code);
      m.code = g_strdup (row->code);
      m.name = g_strdup (row->name);
      m.label = g_strdup (row->label);
      m.veto = row->veto;
      g_array_append_val (members, m);
    }

  if (members->len == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT, _("%s had no members on %s"),
                   chamber->info.name, date);
      return NULL;
    }
  roster = rc_roster_new ((RcMember *) (void *) members->data, members->len, error);
  return roster;
}

RcRoster *
rc_chamber_roster_at (const RcChamber *chamber, const char *date, GError **error)
{
  GError *local = NULL;
  RcRoster *roster;

  g_return_val_if_fail (chamber != NULL, NULL);

  roster = roster_at (chamber, date, &local);
  /* The refusals quote the members' codes and the date. */
  if (local != NULL)
    {
      rc_error_make_one_line (local);
      g_propagate_error (error, local);
    }
  return roster;
}

RcRoster *
rc_chamber_find_roster (const char *chamber_id, const char *date, GError **error)
{
  g_autofree char *lower = NULL;
  g_autofree char *rel = NULL;
  g_autofree char *path = NULL;
  g_autofree char *today = NULL;
  g_autoptr (RcChamber) chamber = NULL;

  g_return_val_if_fail (chamber_id != NULL, NULL);

  lower = g_ascii_strdown (chamber_id, -1);
  rel = g_strdup_printf ("chambers/%s.chamber", lower);
  path = rc_paths_find_data (rel);
  if (path == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _("no chamber file %s in the data folders"), rel);
      return NULL;
    }
  chamber = rc_chamber_load (path, error);
  if (chamber == NULL)
    return NULL;
  if (date == NULL)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();

      date = today = g_date_time_format (now, "%Y-%m-%d");
    }
  return rc_chamber_roster_at (chamber, date, error);
}
