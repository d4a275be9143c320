/* rc-import-undl.c — the UN Digital Library's voting data, row by row.
 *
 * Each row is checked whole before it counts: its columns, the date, the member's code
 * (a member the chamber's list knows), the vote letter, the totals as numbers. A vote's
 * rows must agree on the vote (date, resolution, totals); a member twice in one vote
 * with the same letter is a duplicate row (re-exports have them: counted, kept once),
 * with another letter a refusal naming both lines (which one is right, no one can
 * say). */
#include "rc-import-undl.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "import/rc-csv-stream.h"
#include "model/rc-csv.h"
#include "model/rc-error.h"
#include "model/rc-paths.h"

/* data/import/undl-codes.csv: the ISO 3166-3 codes the Library may give a member for a
 * time (SUN for the Soviet Union's seat, ZAR for Zaire…), to the chamber's codes. */
static RcCsv *
load_aliases (GError **error)
{
  g_autofree char *path = rc_paths_find_data ("import/undl-codes.csv");
  RcCsv *csv;

  if (path == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("import/undl-codes.csv is not in the data path (ROLLCALL_DATA_PATH or the "
                      "installed data)"));
      return NULL;
    }
  csv = rc_csv_load (path, error);
  if (csv != NULL
      && (rc_csv_column (csv, "ms_code") < 0 || rc_csv_column (csv, "code") < 0
          || rc_csv_column (csv, "from") < 0 || rc_csv_column (csv, "until") < 0))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("%s: the header is not ms_code,code,from,until,note"), path);
      rc_csv_free (csv);
      return NULL;
    }
  return csv;
}

/* The chamber's code for the Library's code on date. */
static const char *
alias (RcCsv *aliases, const char *code, const char *date)
{
  int c_ms = rc_csv_column (aliases, "ms_code"), c_code = rc_csv_column (aliases, "code");
  int c_from = rc_csv_column (aliases, "from"), c_until = rc_csv_column (aliases, "until");

  for (guint i = 0; i < aliases->rows->len; i++)
    {
      char **f = g_ptr_array_index (aliases->rows, i);

      if (g_str_equal (f[c_ms], code) && (*f[c_from] == '\0' || strcmp (date, f[c_from]) >= 0)
          && (*f[c_until] == '\0' || strcmp (date, f[c_until]) <= 0))
        return f[c_code];
    }
  return code;
}

enum {
  COL_UNDL_ID,
  COL_MS_CODE,
  COL_MS_NAME,
  COL_MS_VOTE,
  COL_DATE,
  COL_SESSION,
  COL_RESOLUTION,
  COL_DRAFT,
  COL_MEETING,
  COL_TITLE,
  COL_TOTAL_YES,
  COL_TOTAL_NO,
  COL_TOTAL_ABSTENTIONS,
  COL_TOTAL_NON_VOTING,
  N_COLUMNS
};

static const char *const column_names[N_COLUMNS] = {
  "undl_id", "ms_code", "ms_name", "ms_vote",   "date",     "session",           "resolution",
  "draft",   "meeting", "title",   "total_yes", "total_no", "total_abstentions", "total_non_voting",
};

static gboolean
parse_vote_letter (const char *text, RcChoice *out)
{
  if (g_str_equal (text, "Y"))
    *out = RC_CHOICE_YES;
  else if (g_str_equal (text, "N"))
    *out = RC_CHOICE_NO;
  else if (g_str_equal (text, "A"))
    *out = RC_CHOICE_ABSTAIN;
  /* X; the older releases' NV or nothing */
  else if (g_str_equal (text, "X") || g_str_equal (text, "NV") || *text == '\0')
    *out = RC_CHOICE_NOT_VOTING;
  else
    return FALSE;
  return TRUE;
}

/* The record's totals: four numbers, or four empty fields (none stated). */
static gboolean
parse_totals (char **f, const int *col, RcTally *tally, gboolean *has, gboolean *padded)
{
  guint *slots[4] = { &tally->yes, &tally->no, &tally->abstain, &tally->not_voting };
  guint empty = 0;

  *tally = (RcTally){ 0 };
  for (guint i = 0; i < 4; i++)
    {
      const char *text = f[col[COL_TOTAL_YES + i]];
      gboolean pad;

      if (*text == '\0')
        {
          empty++;
          continue;
        }
      if (!rc_import_parse_count (text, slots[i], &pad))
        return FALSE;
      *padded |= pad;
    }
  if (empty != 0 && empty != 4)
    return FALSE;
  *has = empty == 0;
  return TRUE;
}

static RcRecordSet *
read_undl (const char *path, const RcChamber *chamber, const RcImportFilter *filter, GError **error)
{
  g_autoptr (RcCsvStream) in = rc_csv_stream_open (path, error);
  g_autoptr (RcRecordSet) set = NULL;
  g_autoptr (RcCsv) aliases = NULL;
  g_autoptr (GError) local = NULL;
  int col[N_COLUMNS];
  char **f;
  guint n, line, n_header;
  guint duplicates = 0, padded = 0, rows = 0;
  guint first_duplicate = 0;

  if (in == NULL)
    return NULL;
  aliases = load_aliases (error);
  if (aliases == NULL)
    return NULL;
  if (!rc_csv_stream_next (in, &f, &n, &line, &local))
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: the file is empty"), path);
      return NULL;
    }
  n_header = n;
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      col[c] = rc_import_column (f, n, column_names[c]);
      if (col[c] < 0)
        {
          g_autofree char *have = rc_import_header_text (f);

          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: no column '%s': not the UN Digital Library's voting data "
                          "layout (the header is: %s)"),
                       path, line, column_names[c], have);
          return NULL;
        }
    }

  set = rc_record_set_new (chamber, "undl");
  while (rc_csv_stream_next (in, &f, &n, &line, &local))
    {
      RcChoice choice;
      RcTally totals;
      gboolean has_totals = FALSE, created, row_padded = FALSE;
      RcRecordVote *vote;
      const char *code, *date, *resolution;
      RcRecordResult result;

      /* (the row's width first: a short row has no field past its last) */
      if (!rc_import_check_width (path, line, n, n_header, error))
        return NULL;
      date = f[col[COL_DATE]], resolution = f[col[COL_RESOLUTION]];
      rows++;
      if (*f[col[COL_UNDL_ID]] == '\0')
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s:%u: undl_id is empty"), path,
                       line);
          return NULL;
        }
      if (!rc_import_check_date (path, line, date, error))
        return NULL;
      if (!parse_vote_letter (f[col[COL_MS_VOTE]], &choice))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: ms_vote '%s' is not Y, N, A, X, NV or empty"), path, line,
                       f[col[COL_MS_VOTE]]);
          return NULL;
        }
      if (!parse_totals (f, col, &totals, &has_totals, &row_padded))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: total_yes, total_no, total_abstentions and total_non_voting "
                          "must be four whole numbers, or all four empty"),
                       path, line);
          return NULL;
        }
      padded += row_padded;
      code = alias (aliases, f[col[COL_MS_CODE]], date);
      if (!rc_import_filter_wants_day (filter, date, f[col[COL_SESSION]])
          || !rc_import_filter_wants_vote (filter, resolution, f[col[COL_DRAFT]]))
        continue;
      /* the member of a selected row: a code the list lacks is refused, and the votes it
       * is in can be left out (the rest of a 900,000-row file stays importable) */
      if (!rc_record_set_knows_code (set, code))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: ms_code '%s' (%s) is not a member in the %s's list "
                          "(docs/chambers.md): add it there, or leave out the votes of %s "
                          "(--until, --since)"),
                       path, line, code, f[col[COL_MS_NAME]], rc_chamber_get_info (chamber)->name,
                       date);
          return NULL;
        }

      vote = rc_record_set_vote (set, f[col[COL_UNDL_ID]], &created, error);
      if (vote == NULL)
        return NULL;
      if (created)
        {
          g_autofree char *title = rc_import_clean_title (f[col[COL_TITLE]]);

          rc_record_vote_describe (vote, date, f[col[COL_SESSION]], f[col[COL_MEETING]], resolution,
                                   f[col[COL_DRAFT]], title);
          rc_record_vote_set_official (vote, has_totals ? &totals : NULL);
          /* The Library's voting data are the recorded votes on resolutions the Assembly
           * adopted: a resolution symbol means adopted. The rule is not stated. */
          if (strstr (resolution, "/RES/") != NULL)
            rc_record_vote_set_outcome (vote, RC_OUTCOME_ADOPTED);
        }
      else if (!g_str_equal (rc_record_vote_get_date (vote), date))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: undl_id %s is dated %s here and %s in an earlier row"), path,
                       line, f[col[COL_UNDL_ID]], date, rc_record_vote_get_date (vote));
          return NULL;
        }
      else if (!rc_record_vote_same_official (vote, &totals, has_totals))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: undl_id %s has other totals here than in its earlier rows"), path,
                       line, f[col[COL_UNDL_ID]]);
          return NULL;
        }

      /* (the code is known: checked above) */
      result = rc_record_vote_set_choice (set, vote, code, choice, f[col[COL_MS_NAME]], line);
      if (result == RC_RECORD_CONFLICT)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: %s votes %s in undl_id %s, and otherwise at line %u: which row "
                          "is right?"),
                       path, line, code, f[col[COL_MS_VOTE]], f[col[COL_UNDL_ID]],
                       rc_record_vote_get_line (set, vote, code));
          return NULL;
        }
      if (result == RC_RECORD_SAME && duplicates++ == 0)
        first_duplicate = line;
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (rows == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: no rows after the header"), path);
      return NULL;
    }
  if (duplicates > 0)
    {
      g_autofree char *s = g_strdup_printf (
        _ ("%s: %u duplicate rows (the same member, vote and letter again), each counted once; "
           "the first at line %u"),
        path, duplicates, first_duplicate);
      rc_record_set_add_summary (set, s);
    }
  if (padded > 0)
    {
      g_autofree char *s = g_strdup_printf (
        _ ("%s: %u rows with totals written with leading zeros, read as decimal numbers"), path,
        padded);
      rc_record_set_add_summary (set, s);
    }
  return g_steal_pointer (&set);
}

RcRecordSet *
rc_import_undl_read (const char *path, const RcChamber *chamber, const RcImportFilter *filter,
                     GError **error)
{
  GError *local = NULL;
  RcRecordSet *set = read_undl (path, chamber, filter, &local);

  /* A refusal quotes the file (a header, a code, a name): one line of UTF-8 whatever
   * the file holds. */
  if (local != NULL)
    {
      rc_error_make_one_line (local);
      g_propagate_error (error, local);
    }
  return set;
}
