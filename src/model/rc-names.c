/* rc-names.c — see rc-names.h. */
#include "rc-names.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "rc-collate.h"
#include "rc-csv.h"
#include "rc-error.h"
#include "rc-language.h"
#include "rc-paths.h"
#include "rc-types.h"

typedef struct {
  char *from, *until; /* "YYYY-MM-DD" or "" */
  char *name, *label; /* label "" when the name is short enough */
} NameRow;

typedef struct {
  GHashTable *rows; /* code → GPtrArray of NameRow */
  GError *error;    /* why the file was not read (the language falls back to CLDR) */
} Names;

G_LOCK_DEFINE_STATIC (names);
static GHashTable *by_language; /* language → Names */
static GHashTable *states;      /* alpha-3 codes that sat in the General Assembly */
static GHashTable *alpha2;      /* alpha-3 → ICU's alpha-2 */

static void
name_row_free (gpointer data)
{
  NameRow *r = data;

  g_free (r->from);
  g_free (r->until);
  g_free (r->name);
  g_free (r->label);
  g_free (r);
}

static gboolean
valid_date_or_empty (const char *text)
{
  return *text == '\0' || rc_iso_date_valid (text);
}

static gboolean
read_names (Names *names, const char *language, GError **error)
{
  g_autofree char *rel = g_strdup_printf ("names/%s.csv", language);
  g_autofree char *path = rc_paths_find_data (rel);
  g_autoptr (RcCsv) csv = NULL;
  int c_code, c_from, c_until, c_name, c_label;

  if (path == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("%s is not in the data path (ROLLCALL_DATA_PATH or the installed data)"),
                   rel);
      return FALSE;
    }
  csv = rc_csv_load (path, error);
  if (csv == NULL)
    return FALSE;
  c_code = rc_csv_column (csv, "code");
  c_from = rc_csv_column (csv, "from");
  c_until = rc_csv_column (csv, "until");
  c_name = rc_csv_column (csv, "name");
  c_label = rc_csv_column (csv, "label");
  if (c_code < 0 || c_from < 0 || c_until < 0 || c_name < 0 || c_label < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("%s: the header is not code,from,until,name,label"), path);
      return FALSE;
    }
  for (guint i = 0; i < csv->rows->len; i++)
    {
      char **f = g_ptr_array_index (csv->rows, i);
      guint line = g_array_index (csv->lines, guint, i);
      GPtrArray *list;
      NameRow *row;

      if (*f[c_code] == '\0' || *f[c_name] == '\0' || strlen (f[c_name]) > RC_TEXT_MAX
          || strlen (f[c_label]) > RC_TEXT_MAX)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: a row needs a code and a name (at most %d bytes each)"), path,
                       line, RC_TEXT_MAX);
          return FALSE;
        }
      if (!valid_date_or_empty (f[c_from]) || !valid_date_or_empty (f[c_until])
          || (*f[c_from] != '\0' && *f[c_until] != '\0' && strcmp (f[c_from], f[c_until]) > 0))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: '%s' to '%s' is not a period (YYYY-MM-DD, or empty)"), path, line,
                       f[c_from], f[c_until]);
          return FALSE;
        }
      row = g_new0 (NameRow, 1);
      row->from = g_strdup (f[c_from]);
      row->until = g_strdup (f[c_until]);
      row->name = g_strdup (f[c_name]);
      row->label = g_strdup (f[c_label]);
      list = g_hash_table_lookup (names->rows, f[c_code]);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (name_row_free);
          g_hash_table_insert (names->rows, g_strdup (f[c_code]), list);
        }
      g_ptr_array_add (list, row);
    }
  return TRUE;
}

static void
load_states (void)
{
  g_autofree char *path = rc_paths_find_data ("chambers/unga-members.csv");
  g_autoptr (RcCsv) csv = path != NULL ? rc_csv_load (path, NULL) : NULL;
  const char *const *countries = uloc_getISOCountries ();
  int c_code = csv != NULL ? rc_csv_column (csv, "code") : -1;

  states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; c_code >= 0 && i < csv->rows->len; i++)
    g_hash_table_add (states, g_strdup (((char **) g_ptr_array_index (csv->rows, i))[c_code]));

  alpha2 = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; countries[i] != NULL; i++)
    {
      char locale[16];

      g_snprintf (locale, sizeof locale, "und_%s", countries[i]);
      g_hash_table_insert (alpha2, g_strdup (uloc_getISO3Country (locale)),
                           g_strdup (countries[i]));
    }
}

/* Called with the lock held. */
static Names *
names_for (const char *language)
{
  Names *names;

  if (by_language == NULL)
    {
      by_language = g_hash_table_new (g_str_hash, g_str_equal);
      load_states ();
    }
  names = g_hash_table_lookup (by_language, language);
  if (names == NULL)
    {
      names = g_new0 (Names, 1);
      names->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_ptr_array_unref);
      if (!read_names (names, language, &names->error))
        {
          g_hash_table_remove_all (names->rows);
          g_warning ("names in %s: %s; CLDR's are shown", language, names->error->message);
        }
      g_hash_table_insert (by_language, g_strdup (language), names);
    }
  return names;
}

static char *
cldr_name (const char *language, const char *code)
{
  const char *a2 = g_hash_table_lookup (alpha2, code);
  char locale[16];
  UChar buffer[256];
  UErrorCode status = U_ZERO_ERROR;
  int32_t n;

  if (a2 == NULL)
    return NULL;
  g_snprintf (locale, sizeof locale, "und_%s", a2);
  n = uloc_getDisplayCountry (locale, language, buffer, G_N_ELEMENTS (buffer), &status);
  /* ICU answers the code itself when it has no name. */
  if (U_FAILURE (status) || n <= 0 || n >= (int32_t) G_N_ELEMENTS (buffer)
      || (n == 2 && buffer[0] == (UChar) a2[0] && buffer[1] == (UChar) a2[1]))
    return NULL;
  return g_utf16_to_utf8 ((const gunichar2 *) buffer, n, NULL, NULL, NULL);
}

/* Called with the lock held. */
static gboolean
lookup_locked (const char *language, const char *code, const char *date, char **name, char **label)
{
  Names *names = names_for (language);
  GPtrArray *rows;

  if (!g_hash_table_contains (states, code))
    return FALSE;
  rows = g_hash_table_lookup (names->rows, code);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      NameRow *r = g_ptr_array_index (rows, i);

      if ((*r->from == '\0' || strcmp (r->from, date) <= 0)
          && (*r->until == '\0' || strcmp (date, r->until) <= 0))
        {
          *name = g_strdup (r->name);
          *label = g_strdup (*r->label != '\0' ? r->label : r->name);
          return TRUE;
        }
    }
  *name = cldr_name (language, code);
  if (*name == NULL)
    return FALSE;
  *label = g_strdup (*name);
  return TRUE;
}

static char *
today (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%d");
}

gboolean
rc_names_lookup (const char *language, const char *code, const char *date, char **name,
                 char **label)
{
  g_autofree char *now = date == NULL ? today () : NULL;
  gboolean found;

  g_return_val_if_fail (rc_language_is_known (language), FALSE);

  G_LOCK (names);
  found = lookup_locked (language, code, date != NULL ? date : now, name, label);
  G_UNLOCK (names);
  return found;
}

gboolean
rc_names_check (const char *language, GError **error)
{
  Names *names;
  gboolean ok;

  g_return_val_if_fail (rc_language_is_known (language), FALSE);

  if (g_str_equal (language, "en"))
    return TRUE;
  G_LOCK (names);
  names = names_for (language);
  ok = names->error == NULL;
  if (!ok)
    g_propagate_error (error, g_error_copy (names->error));
  G_UNLOCK (names);
  return ok;
}

RcRoster *
rc_roster_translate (const RcRoster *roster, const char *language, const char *date)
{
  guint n = rc_roster_get_size (roster);
  g_autofree RcMember *members = g_new0 (RcMember, MAX (n, 1));
  g_autofree char *now = date == NULL || !rc_iso_date_valid (date) ? today () : NULL;
  gboolean english_order = g_str_equal (language, "en") || g_str_equal (language, "zh_CN");

  g_return_val_if_fail (rc_language_is_known (language), NULL);

  for (guint i = 0; i < n; i++)
    {
      const RcMember *m = rc_roster_get_member (roster, i);
      RcMember *t = &members[i];
      gboolean found = FALSE;

      t->code = g_strdup (m->code);
      t->veto = m->veto;
      if (!g_str_equal (language, "en"))
        {
          G_LOCK (names);
          found = lookup_locked (language, m->code, now != NULL ? now : date, &t->name, &t->label);
          G_UNLOCK (names);
        }
      if (!found)
        {
          t->name = g_strdup (m->name);
          t->label = g_strdup (m->label);
        }
      /* Every member keyed alike: one that keeps its name (not a state) among the
       * others by that name in the language's order. */
      if (!english_order)
        t->sort_key = rc_collate_key_for_language (language, t->name, NULL);
      if (t->sort_key == NULL)
        t->sort_key = g_strdup (m->sort_key);
    }
  /* The codes are those of a valid roster: this cannot fail. */
  return rc_roster_new_in_order (members, n, NULL);
}
