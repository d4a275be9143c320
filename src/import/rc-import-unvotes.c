/* rc-import-unvotes.c — the roll calls first (what each vote is, and the selection),
 * then the votes, row by row. */
#include "rc-import-unvotes.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "import/rc-csv-stream.h"
#include "model/rc-csv.h"
#include "model/rc-error.h"
#include "model/rc-paths.h"

/* One row of data/import/unvotes-countries.csv. */
typedef struct {
  char *key; /* the dataset's country_code, or its country name when the code is empty */
  char *code;
  char *from;  /* NULL: always */
  char *until; /* NULL: always */
} Country;

static void
country_free (Country *c)
{
  g_free (c->key);
  g_free (c->code);
  g_free (c->from);
  g_free (c->until);
  g_free (c);
}

static char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

/* key → GPtrArray of Country (several where the code depends on the date: YU) */
static GHashTable *
load_countries (GError **error)
{
  g_autofree char *path = rc_paths_find_data ("import/unvotes-countries.csv");
  g_autoptr (RcCsv) csv = NULL;
  GHashTable *map;
  int cc, name, code, from, until;

  if (path == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("import/unvotes-countries.csv is not in the data path (ROLLCALL_DATA_PATH "
                      "or the installed data)"));
      return NULL;
    }
  csv = rc_csv_load (path, error);
  if (csv == NULL)
    return NULL;
  cc = rc_csv_column (csv, "country_code");
  name = rc_csv_column (csv, "country");
  code = rc_csv_column (csv, "code");
  from = rc_csv_column (csv, "from");
  until = rc_csv_column (csv, "until");
  if (cc < 0 || name < 0 || code < 0 || from < 0 || until < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("%s: the header is not country_code,country,code,from,until,note"), path);
      return NULL;
    }
  map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < csv->rows->len; i++)
    {
      char **f = g_ptr_array_index (csv->rows, i);
      Country *c = g_new0 (Country, 1);
      GPtrArray *list;

      c->key = g_strdup (*f[cc] != '\0' ? f[cc] : f[name]);
      c->code = g_strdup (f[code]);
      c->from = nonempty (f[from]);
      c->until = nonempty (f[until]);
      list = g_hash_table_lookup (map, c->key);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func ((GDestroyNotify) country_free);
          g_hash_table_insert (map, g_strdup (c->key), list);
        }
      g_ptr_array_add (list, c);
    }
  return map;
}

static const char *
country_code (GHashTable *countries, const char *key, const char *date)
{
  GPtrArray *list = g_hash_table_lookup (countries, key);

  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      Country *c = g_ptr_array_index (list, i);

      if ((c->from == NULL || strcmp (date, c->from) >= 0)
          && (c->until == NULL || strcmp (date, c->until) <= 0))
        return c->code;
    }
  return NULL;
}

static gboolean
parse_choice (const char *text, RcChoice *out)
{
  if (g_str_equal (text, "yes"))
    *out = RC_CHOICE_YES;
  else if (g_str_equal (text, "no"))
    *out = RC_CHOICE_NO;
  else if (g_str_equal (text, "abstain"))
    *out = RC_CHOICE_ABSTAIN;
  else
    return FALSE;
  return TRUE;
}

/* Opens a file's header and finds the named columns; FALSE with a refusal. */
static gboolean
open_with_columns (const char *path, const char *const *names, int *cols, RcCsvStream **out,
                   guint *n_header, GError **error)
{
  g_autoptr (RcCsvStream) in = rc_csv_stream_open (path, error);
  g_autoptr (GError) local = NULL;
  char **f;
  guint n, line;

  if (in == NULL)
    return FALSE;
  if (!rc_csv_stream_next (in, &f, &n, &line, &local))
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: the file is empty"), path);
      return FALSE;
    }
  for (guint c = 0; names[c] != NULL; c++)
    {
      cols[c] = rc_import_column (f, n, names[c]);
      if (cols[c] < 0)
        {
          g_autofree char *have = rc_import_header_text (f);

          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: no column '%s' (the header is: %s)"), path, line, names[c], have);
          return FALSE;
        }
    }
  *n_header = n;
  *out = g_steal_pointer (&in);
  return TRUE;
}

/* Finds both files from a folder or from the votes file. */
static gboolean
find_files (const char *path, char **votes, char **calls, GError **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *gz = g_build_filename (path, "un_votes.csv.gz", NULL);
      g_autofree char *plain = g_build_filename (path, "un_votes.csv", NULL);

      *votes = g_strdup (g_file_test (gz, G_FILE_TEST_EXISTS) ? gz : plain);
      *calls = g_build_filename (path, "un_roll_calls.csv", NULL);
    }
  else
    {
      g_autofree char *dir = g_path_get_dirname (path);

      *votes = g_strdup (path);
      *calls = g_build_filename (dir, "un_roll_calls.csv", NULL);
    }
  if (!g_file_test (*calls, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("%s: un_roll_calls.csv is not there (it describes each roll call; give "
                      "the folder holding both files)"),
                   *calls);
      return FALSE;
    }
  return TRUE;
}

/* The UN symbol of the dataset's resolution number ("unres", the resolution the roll
 * call is about, in the dataset's codebook): "A/RES/74/168" as it is, Voeten's
 * "R/68/262" as A/RES/68/262 and "R/41/59L" as A/RES/41/59 L (the UN cites a part as
 * "41/59 L"), from the 31st session (1976) on. Earlier references, and the others
 * (ESS/5/100, R/31/208/I…), are the dataset's own: no symbol. */
static char *
un_symbol (const char *unres)
{
  const char *p;
  gsize session, number, letters;

  if (g_str_has_prefix (unres, "A/RES/"))
    return g_strdup (unres);
  if (!g_str_has_prefix (unres, "R/"))
    return NULL;
  p = unres + 2;
  session = strspn (p, "0123456789");
  if (session == 0 || p[session] != '/')
    return NULL;
  number = strspn (p + session + 1, "0123456789");
  letters = strspn (p + session + 1 + number, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  if (number == 0 || p[session + 1 + number + letters] != '\0')
    return NULL;
  /* Until the 30th session (1975) the UN numbered resolutions across sessions
   * ("1514 (XV)"), and the dataset's numbers of those years are not the UN's: its
   * R/15/1273D of 1960-12-01, 89-0-9, is resolution 1514 (XV) of 14 December 1960.
   * No symbol is better than a wrong one. */
  if (g_ascii_strtoull (p, NULL, 10) <= 30)
    return NULL;
  if (letters == 0)
    return g_strconcat ("A/RES/", p, NULL);
  return g_strdup_printf ("A/RES/%.*s %s", (int) (session + 1 + number), p,
                          p + session + 1 + number);
}

/* The title: the description, else the short name; a vote on an amendment or on a
 * paragraph says so, since its outcome is not the resolution's. */
static char *
make_title (const char *amend, const char *para, const char *shortname, const char *descr)
{
  const char *text = *descr != '\0' ? descr : shortname;
  g_autofree char *clean = g_strstrip (rc_import_clean_title (text));

  if (g_str_equal (amend, "1"))
    return g_strdup_printf ("Amendment: %s", clean);
  if (g_str_equal (para, "1"))
    return g_strdup_printf ("Separate vote: %s", clean);
  return g_steal_pointer (&clean);
}

static gboolean
read_roll_calls (RcRecordSet *set, const char *path, const RcImportFilter *filter,
                 GHashTable *selected, GError **error)
{
  static const char *const names[]
    = { "rcid", "session", "date", "unres", "amend", "para", "short", "descr", NULL };
  g_autoptr (RcCsvStream) in = NULL;
  g_autoptr (GError) local = NULL;
  int col[8];
  char **f;
  guint n, line, n_header;

  if (!open_with_columns (path, names, col, &in, &n_header, error))
    return FALSE;
  while (rc_csv_stream_next (in, &f, &n, &line, &local))
    {
      const char *rcid, *date, *unres, *amend, *para;
      gboolean whole;
      g_autofree char *symbol = NULL;
      g_autofree char *title = NULL;
      RcRecordVote *vote;
      gboolean created;

      /* (the row's width first: a short row has no field past its last) */
      if (!rc_import_check_width (path, line, n, n_header, error))
        return FALSE;
      rcid = f[col[0]], date = f[col[2]], unres = f[col[3]], amend = f[col[4]], para = f[col[5]];
      whole = !g_str_equal (amend, "1") && !g_str_equal (para, "1");
      symbol = un_symbol (unres);
      if (*rcid == '\0' || strspn (rcid, "0123456789") != strlen (rcid))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s:%u: rcid '%s' is not a number"),
                       path, line, rcid);
          return FALSE;
        }
      if (!rc_import_check_date (path, line, date, error))
        return FALSE;
      if (!rc_import_filter_wants_day (filter, date, f[col[1]])
          || !rc_import_filter_wants_vote (filter, symbol, NULL))
        continue;
      vote = rc_record_set_vote (set, rcid, &created, error);
      if (vote == NULL)
        return FALSE;
      if (!created)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s:%u: rcid %s again"), path, line,
                       rcid);
          return FALSE;
        }
      title = make_title (amend, para, f[col[6]], f[col[7]]);
      rc_record_vote_describe (vote, date, f[col[1]], NULL, symbol, NULL, title);
      /* A whole resolution the record numbers was adopted; for the rest (amendments,
       * paragraphs, the dataset's own references) the record states no outcome. */
      if (symbol != NULL && whole)
        rc_record_vote_set_outcome (vote, RC_OUTCOME_ADOPTED);
      g_hash_table_add (selected, g_strdup (rcid));
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static RcRecordSet *
read_unvotes (const char *path, const RcChamber *chamber, const RcImportFilter *filter,
              GError **error)
{
  static const char *const names[] = { "rcid", "country", "country_code", "vote", NULL };
  g_autofree char *votes_path = NULL;
  g_autofree char *calls_path = NULL;
  g_autoptr (GHashTable) countries = NULL;
  g_autoptr (GHashTable) selected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (RcRecordSet) set = NULL;
  g_autoptr (RcCsvStream) in = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (RcCsv) all_calls = NULL;
  int col[4];
  char **f;
  guint n, line, n_header, rows = 0;

  if (!find_files (path, &votes_path, &calls_path, error))
    return NULL;
  countries = load_countries (error);
  if (countries == NULL)
    return NULL;
  set = rc_record_set_new (chamber, "unvotes");
  if (!read_roll_calls (set, calls_path, filter, selected, error))
    return NULL;
  /* every rcid of the roll calls, selected or not: a vote of an unknown roll call is
   * a damaged file, whatever the selection */
  all_calls = rc_csv_load (calls_path, error);
  if (all_calls == NULL)
    return NULL;
  if (rc_csv_column (all_calls, "rcid") < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: no column 'rcid'"), calls_path);
      return NULL;
    }
  for (guint i = 0; i < all_calls->rows->len; i++)
    g_hash_table_add (known, g_strdup (((char **) g_ptr_array_index (
                               all_calls->rows, i))[rc_csv_column (all_calls, "rcid")]));
  g_clear_pointer (&all_calls, rc_csv_free);

  if (!open_with_columns (votes_path, names, col, &in, &n_header, error))
    return NULL;
  while (rc_csv_stream_next (in, &f, &n, &line, &local))
    {
      const char *rcid, *country, *cc, *key;
      RcChoice choice;
      RcRecordVote *vote;
      gboolean created;
      const char *code;
      RcRecordResult result;

      /* (the row's width first: a short row has no field past its last) */
      if (!rc_import_check_width (votes_path, line, n, n_header, error))
        return NULL;
      rcid = f[col[0]], country = f[col[1]], cc = f[col[2]];
      key = *cc != '\0' ? cc : country;
      rows++;
      if (!g_hash_table_contains (known, rcid))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: rcid '%s' is not a roll call of %s"), votes_path, line, rcid,
                       calls_path);
          return NULL;
        }
      if (!parse_choice (f[col[3]], &choice))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: vote '%s' is not yes, no or abstain"), votes_path, line,
                       f[col[3]]);
          return NULL;
        }
      if (!g_hash_table_contains (selected, rcid))
        continue;
      vote = rc_record_set_vote (set, rcid, &created, error);
      if (vote == NULL)
        return NULL;
      code = country_code (countries, key, rc_record_vote_get_date (vote));
      if (code == NULL)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: country_code '%s' (%s) on %s is not in "
                          "import/unvotes-countries.csv"),
                       votes_path, line, cc, country, rc_record_vote_get_date (vote));
          return NULL;
        }
      result = rc_record_vote_set_choice (set, vote, code, choice, NULL, line);
      if (result == RC_RECORD_NOT_MEMBER)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: %s (%s) is not a member in the %s's list"), votes_path, line,
                       code, country, rc_chamber_get_info (chamber)->name);
          return NULL;
        }
      if (result != RC_RECORD_SET)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: %s (%s) has a second row in roll call %s (first at line %u)"),
                       votes_path, line, code, country, rcid,
                       rc_record_vote_get_line (set, vote, code));
          return NULL;
        }
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (rows == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: no rows after the header"),
                   votes_path);
      return NULL;
    }
  return g_steal_pointer (&set);
}

RcRecordSet *
rc_import_unvotes_read (const char *path, const RcChamber *chamber, const RcImportFilter *filter,
                        GError **error)
{
  GError *local = NULL;
  RcRecordSet *set = read_unvotes (path, chamber, filter, &local);

  /* A refusal quotes the file (a header, a code, a name): one line of UTF-8 whatever
   * the file holds. */
  if (local != NULL)
    {
      rc_error_make_one_line (local);
      g_propagate_error (error, local);
    }
  return set;
}
