/* test-member-data.c — the member lists in data/chambers/ are well-formed and agree
 * with the reference facts.
 *
 * Every row of a member CSV must follow docs/chambers.md (header, field count, codes,
 * dates, labels, veto), and a member's rows come in date order without overlap. Then the facts: on 2 March 2022 the General Assembly's names in force are
 * exactly `name_2022` of the reference members.csv for all 193 members, today's names
 * are its `name`, and the Security Council of 25 February 2022 is the one of the
 * reference vote S/2022/155, veto holders included. The reference folder comes from
 * ROLLCALL_SHARED_DATA; without it the cross-checks are skipped, the format checks
 * still run. GLib only, on purpose: this checks the data, not our loader. */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

/* A label is wanted above this many characters, and no board text may exceed the
 * second limit (docs/chambers.md explains both). */
#define LABEL_WANTED_ABOVE 20
#define BOARD_TEXT_MAX 24

typedef struct {
  char *code;
  char *name;
  char *label;
  char *from;
  char *until; /* "" = still in force */
  gboolean veto;
} MemberRow;

static void
member_row_free (MemberRow *row)
{
  g_free (row->code);
  g_free (row->name);
  g_free (row->label);
  g_free (row->from);
  g_free (row->until);
  g_free (row);
}

/* RFC 4180: fields separated by commas, records by LF or CRLF, a field may be
 * double-quoted and then hold commas, newlines and doubled quotes. Returns the
 * records (header included) as NULL-terminated string vectors. */
static GPtrArray *
csv_parse (const char *text, gsize len, GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr (GString) field = g_string_new (NULL);
  gsize i = 0;

  while (i < len)
    {
      g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
      guint record = rows->len + 1;

      for (;;)
        {
          g_string_truncate (field, 0);
          if (i < len && text[i] == '"')
            {
              for (i++;; i++)
                {
                  if (i >= len)
                    {
                      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                                   "record %u: unterminated quoted field", record);
                      return NULL;
                    }
                  if (text[i] == '"')
                    {
                      if (i + 1 < len && text[i + 1] == '"')
                        i++;
                      else
                        break;
                    }
                  g_string_append_c (field, text[i]);
                }
              i++; /* the closing quote */
              if (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                {
                  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                               "record %u: text after a closing quote", record);
                  return NULL;
                }
            }
          else
            {
              for (; i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r'; i++)
                {
                  if (text[i] == '"')
                    {
                      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                                   "record %u: quote inside an unquoted field", record);
                      return NULL;
                    }
                  g_string_append_c (field, text[i]);
                }
            }
          g_ptr_array_add (fields, g_strdup (field->str));
          if (i < len && text[i] == ',')
            {
              i++;
              continue;
            }
          break;
        }

      if (i < len && text[i] == '\r')
        {
          i++;
          if (i >= len || text[i] != '\n')
            {
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           "record %u: carriage return without line feed", record);
              return NULL;
            }
        }
      if (i < len)
        i++; /* the line feed */

      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (rows, g_ptr_array_steal (fields, NULL));
    }

  return g_steal_pointer (&rows);
}

static char *
source_path (const char *first, ...)
{
  const char *root = g_getenv ("ROLLCALL_SOURCE_ROOT");
  g_autoptr (GPtrArray) parts = g_ptr_array_new ();
  va_list args;

  g_assert_nonnull (root);
  g_ptr_array_add (parts, (gpointer) root);
  g_ptr_array_add (parts, (gpointer) first);
  va_start (args, first);
  for (const char *p = va_arg (args, const char *); p != NULL; p = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

/* The reference folder, or NULL after marking the test skipped. */
static const char *
shared_data_or_skip (void)
{
  const char *dir = g_getenv ("ROLLCALL_SHARED_DATA");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("reference data not found (ROLLCALL_SHARED_DATA)");
      return NULL;
    }
  return dir;
}

/* Reads a UTF-8 CSV file, checks its header, and returns the records after it. */
static GPtrArray *
read_csv (const char *path, const char *header, gboolean final_newline)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *first = NULL;
  gsize len = 0;

  g_file_get_contents (path, &text, &len, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (text, len, NULL));
  g_assert_false (g_str_has_prefix (text, "\xEF\xBB\xBF")); /* no byte order mark */
  if (final_newline)
    g_assert_true (len > 0 && text[len - 1] == '\n');

  rows = csv_parse (text, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, >, 1);
  first = g_strjoinv (",", g_ptr_array_index (rows, 0));
  g_assert_cmpstr (first, ==, header);
  g_ptr_array_remove_index (rows, 0);
  return g_steal_pointer (&rows);
}

/* Strict YYYY-MM-DD: ten characters, a real calendar day. */
static gboolean
parse_date (const char *text, GDate *date)
{
  guint y, m, d;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  if (sscanf (text, "%4u-%2u-%2u", &y, &m, &d) != 3)
    return FALSE;
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static gboolean
is_trimmed_text (const char *s)
{
  if (*s == '\0' || g_ascii_isspace (s[0]) || g_ascii_isspace (s[strlen (s) - 1]))
    return FALSE;
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Loads a member CSV and appends a line to problems for every rule a row breaks. */
static GPtrArray *
load_members (const char *path, GString *problems)
{
  g_autoptr (GPtrArray) records = read_csv (path, "code,name,label,from,until,veto", TRUE);
  g_autoptr (GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_row_free);
  g_autoptr (GHashTable) last = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint r = 0; r < records->len; r++)
    {
      char **f = g_ptr_array_index (records, r);
      guint line = r + 2; /* no field spans lines in our files; the header is line 1 */
      MemberRow *row;
      MemberRow *prev;
      GDate from, until;
      gboolean from_ok, until_ok = TRUE;

      if (g_strv_length (f) != 6)
        {
          g_string_append_printf (problems, "line %u: %u fields, not 6\n", line, g_strv_length (f));
          continue;
        }

      row = g_new0 (MemberRow, 1);
      row->code = g_strdup (f[0]);
      row->name = g_strdup (f[1]);
      row->label = g_strdup (f[2]);
      row->from = g_strdup (f[3]);
      row->until = g_strdup (f[4]);
      row->veto = g_str_equal (f[5], "yes");
      g_ptr_array_add (members, row);

      if (strlen (row->code) != 3 || !g_ascii_isupper (row->code[0])
          || !g_ascii_isupper (row->code[1]) || !g_ascii_isupper (row->code[2]))
        g_string_append_printf (problems, "line %u: code '%s' is not three capitals\n", line,
                                row->code);
      if (!is_trimmed_text (row->name))
        g_string_append_printf (problems, "line %u: bad name '%s'\n", line, row->name);
      if (*row->label != '\0')
        {
          if (!is_trimmed_text (row->label))
            g_string_append_printf (problems, "line %u: bad label '%s'\n", line, row->label);
          if (g_utf8_strlen (row->label, -1) >= g_utf8_strlen (row->name, -1))
            g_string_append_printf (problems, "line %u: label '%s' is not shorter than the name\n",
                                    line, row->label);
          if (g_utf8_strlen (row->label, -1) > BOARD_TEXT_MAX)
            g_string_append_printf (problems, "line %u: label '%s' is longer than %d\n", line,
                                    row->label, BOARD_TEXT_MAX);
        }
      else if (g_utf8_strlen (row->name, -1) > LABEL_WANTED_ABOVE)
        g_string_append_printf (problems, "line %u: '%s' is long and has no label\n", line,
                                row->name);
      if (!g_str_equal (f[5], "yes") && !g_str_equal (f[5], "no"))
        g_string_append_printf (problems, "line %u: veto is '%s', not yes or no\n", line, f[5]);

      from_ok = parse_date (row->from, &from);
      if (!from_ok)
        g_string_append_printf (problems, "line %u: bad from date '%s'\n", line, row->from);
      if (*row->until != '\0')
        {
          until_ok = parse_date (row->until, &until);
          if (!until_ok)
            g_string_append_printf (problems, "line %u: bad until date '%s'\n", line, row->until);
          else if (from_ok && g_date_compare (&until, &from) < 0)
            g_string_append_printf (problems, "line %u: until %s is before from %s\n", line,
                                    row->until, row->from);
        }

      /* A member's rows come in date order and never overlap; a gap is a time it was
       * not a member (Syria within the United Arab Republic, 1958-1961; an elected
       * member of the Council between two terms). */
      prev = g_hash_table_lookup (last, row->code);
      if (prev != NULL)
        {
          GDate prev_until;

          if (*prev->until == '\0')
            g_string_append_printf (problems, "line %u: %s has a row after one still in force\n",
                                    line, row->code);
          else if (from_ok && parse_date (prev->until, &prev_until)
                   && g_date_compare (&prev_until, &from) >= 0)
            g_string_append_printf (problems,
                                    "line %u: %s from %s does not come after its last row (until "
                                    "%s)\n",
                                    line, row->code, row->from, prev->until);
          if (prev->veto != row->veto)
            g_string_append_printf (problems, "line %u: %s changes its veto\n", line, row->code);
        }
      g_hash_table_insert (last, row->code, row);
    }

  return g_steal_pointer (&members);
}

/* The rows of members in force on date (YYYY-MM-DD), by code. Two rows of one member
 * on the same day are reported in problems. */
static GHashTable *
in_force (GPtrArray *members, const char *date, GString *problems)
{
  GHashTable *by_code = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < members->len; i++)
    {
      MemberRow *row = g_ptr_array_index (members, i);

      if (strcmp (row->from, date) > 0 || (*row->until != '\0' && strcmp (row->until, date) < 0))
        continue;
      if (g_hash_table_contains (by_code, row->code))
        g_string_append_printf (problems, "%s has two names on %s\n", row->code, date);
      g_hash_table_insert (by_code, row->code, row);
    }
  return by_code;
}

static GPtrArray *
load_chamber_members (const char *file, GString *problems)
{
  g_autofree char *path = source_path ("data", "chambers", file, NULL);

  return load_members (path, problems);
}

static void
test_csv_quoting (void)
{
  const char text[] = "a,\"b, c\",\"say \"\"hi\"\"\"\r\n,\"two\nlines\",\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = csv_parse (text, sizeof text - 1, &error);
  char **r0, **r1;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  r0 = g_ptr_array_index (rows, 0);
  r1 = g_ptr_array_index (rows, 1);
  g_assert_cmpuint (g_strv_length (r0), ==, 3);
  g_assert_cmpstr (r0[1], ==, "b, c");
  g_assert_cmpstr (r0[2], ==, "say \"hi\"");
  g_assert_cmpuint (g_strv_length (r1), ==, 3);
  g_assert_cmpstr (r1[0], ==, "");
  g_assert_cmpstr (r1[1], ==, "two\nlines");
  g_assert_cmpstr (r1[2], ==, "");

  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = csv_parse ("a,\"b\n", 5, &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_null (rows);
}

static void
test_well_formed (gconstpointer data)
{
  g_autoptr (GString) problems = g_string_new (NULL);
  g_autoptr (GPtrArray) members = load_chamber_members (data, problems);

  g_assert_cmpstr (problems->str, ==, "");
  g_assert_cmpuint (members->len, >, 0);
}

static void
test_ga_names_2022 (void)
{
  const char *shared = shared_data_or_skip ();
  g_autofree char *ref_path = NULL;
  g_autoptr (GPtrArray) ref = NULL;
  g_autoptr (GPtrArray) members = NULL;
  g_autoptr (GHashTable) vote_day = NULL;
  g_autoptr (GString) problems = g_string_new (NULL);

  if (shared == NULL)
    return;
  ref_path = g_build_filename (shared, "members.csv", NULL);
  ref = read_csv (ref_path, "iso3,name,name_2022,m49,admission_date", FALSE);
  g_assert_cmpuint (ref->len, ==, 193);

  members = load_chamber_members ("unga-members.csv", problems);
  vote_day = in_force (members, "2022-03-02", problems);
  g_assert_cmpuint (g_hash_table_size (vote_day), ==, 193);

  for (guint i = 0; i < ref->len; i++)
    {
      char **f = g_ptr_array_index (ref, i);
      MemberRow *row = g_hash_table_lookup (vote_day, f[0]);

      if (row == NULL)
        g_string_append_printf (problems, "%s is not a member on 2022-03-02\n", f[0]);
      else if (!g_str_equal (row->name, f[2]))
        g_string_append_printf (problems, "%s on 2022-03-02: '%s', expected '%s'\n", f[0],
                                row->name, f[2]);
    }
  g_assert_cmpstr (problems->str, ==, "");
}

static void
test_ga_names_today (void)
{
  const char *shared = shared_data_or_skip ();
  g_autofree char *ref_path = NULL;
  g_autoptr (GPtrArray) ref = NULL;
  g_autoptr (GPtrArray) members = NULL;
  g_autoptr (GHashTable) first = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) current = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) problems = g_string_new (NULL);

  if (shared == NULL)
    return;
  ref_path = g_build_filename (shared, "members.csv", NULL);
  ref = read_csv (ref_path, "iso3,name,name_2022,m49,admission_date", FALSE);
  members = load_chamber_members ("unga-members.csv", problems);

  for (guint i = 0; i < members->len; i++)
    {
      MemberRow *row = g_ptr_array_index (members, i);

      if (!g_hash_table_contains (first, row->code))
        g_hash_table_insert (first, row->code, row);
      if (*row->until == '\0')
        g_hash_table_insert (current, row->code, row);
      if (row->veto)
        g_string_append_printf (problems, "%s holds a veto in the General Assembly\n", row->code);
    }
  /* the 193 of today and five former members, whose seats no state holds now */
  g_assert_cmpuint (g_hash_table_size (first), ==, 193 + 5);
  g_assert_cmpuint (g_hash_table_size (current), ==, 193);
  for (guint i = 0; i < 5; i++)
    {
      const char *former = (const char *[]){ "CSK", "DDR", "EAZ", "YMD", "YUG" }[i];

      if (!g_hash_table_contains (first, former) || g_hash_table_contains (current, former))
        g_string_append_printf (problems, "%s should be a former member\n", former);
    }

  for (guint i = 0; i < ref->len; i++)
    {
      char **f = g_ptr_array_index (ref, i);
      MemberRow *admitted = g_hash_table_lookup (first, f[0]);
      MemberRow *now = g_hash_table_lookup (current, f[0]);

      if (admitted == NULL || now == NULL)
        {
          g_string_append_printf (problems, "%s is missing\n", f[0]);
          continue;
        }
      if (!g_str_equal (admitted->from, f[4]))
        g_string_append_printf (problems, "%s starts %s, admitted %s\n", f[0], admitted->from,
                                f[4]);
      if (!g_str_equal (now->name, f[1]))
        g_string_append_printf (problems, "%s today: '%s', expected '%s'\n", f[0], now->name, f[1]);
    }
  g_assert_cmpstr (problems->str, ==, "");
}

/* Membership through time: the number of Member States at the end of each year, as
 * the UN counts them ("Growth in United Nations membership", un.org) — admissions,
 * the mergers (the United Arab Republic 1958, Tanganyika and Zanzibar 1964, Germany and
 * Yemen 1990), the dissolutions (Czechoslovakia 1992), Syria's return (1961) and
 * Yugoslavia's seat until the admission of the Federal Republic (2000). */
static void
test_ga_membership_counts (void)
{
  static const struct {
    const char *date;
    guint members;
  } counts[] = {
    { "1945-12-31", 51 },  { "1946-12-31", 55 },  { "1950-12-31", 60 },  { "1955-12-31", 76 },
    { "1958-12-31", 82 },  { "1960-12-31", 99 },  { "1961-12-31", 104 }, { "1964-12-31", 115 },
    { "1965-12-31", 117 }, { "1970-12-31", 127 }, { "1975-12-31", 144 }, { "1980-12-31", 154 },
    { "1984-12-31", 159 }, { "1990-12-31", 159 }, { "1991-12-31", 166 }, { "1992-12-31", 179 },
    { "1993-12-31", 184 }, { "1999-12-31", 188 }, { "2000-12-31", 189 }, { "2002-12-31", 191 },
    { "2006-12-31", 192 }, { "2011-12-31", 193 },
  };
  g_autoptr (GString) problems = g_string_new (NULL);
  g_autoptr (GPtrArray) members = load_chamber_members ("unga-members.csv", problems);

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autoptr (GHashTable) day = in_force (members, counts[i].date, problems);

      if (g_hash_table_size (day) != counts[i].members)
        g_string_append_printf (problems, "%s: %u members, the UN counts %u\n", counts[i].date,
                                g_hash_table_size (day), counts[i].members);
    }
  g_assert_cmpstr (problems->str, ==, "");
}

static void
test_sc_2022 (void)
{
  const char *shared = shared_data_or_skip ();
  g_autofree char *vote_path = NULL;
  g_autoptr (GPtrArray) vote = NULL;
  g_autoptr (GPtrArray) ga = NULL;
  g_autoptr (GPtrArray) sc = NULL;
  g_autoptr (GHashTable) ga_day = NULL;
  g_autoptr (GHashTable) sc_day = NULL;
  g_autoptr (GString) problems = g_string_new (NULL);
  guint vetoes = 0;

  if (shared == NULL)
    return;
  vote_path = g_build_filename (shared, "votes", "s-2022-155.csv", NULL);
  vote = read_csv (vote_path, "iso3,name,permanent,vote", FALSE);
  ga = load_chamber_members ("unga-members.csv", problems);
  sc = load_chamber_members ("unsc-members.csv", problems);
  ga_day = in_force (ga, "2022-02-25", problems);
  sc_day = in_force (sc, "2022-02-25", problems);
  g_assert_cmpuint (g_hash_table_size (sc_day), ==, 15);
  g_assert_cmpuint (vote->len, ==, 15);

  for (guint i = 0; i < vote->len; i++)
    {
      char **f = g_ptr_array_index (vote, i);
      MemberRow *row = g_hash_table_lookup (sc_day, f[0]);
      MemberRow *in_ga = g_hash_table_lookup (ga_day, f[0]);

      if (row == NULL)
        {
          g_string_append_printf (problems, "%s is not on the Council on 2022-02-25\n", f[0]);
          continue;
        }
      if (row->veto != g_str_equal (f[2], "yes"))
        g_string_append_printf (problems, "%s: veto %d, permanent '%s'\n", f[0], row->veto, f[2]);
      if (!g_str_equal (row->name, f[1]))
        g_string_append_printf (problems, "%s: '%s', the vote says '%s'\n", f[0], row->name, f[1]);
      /* One member, one name and one board label in every chamber. */
      if (in_ga == NULL || !g_str_equal (row->name, in_ga->name)
          || !g_str_equal (row->label, in_ga->label))
        g_string_append_printf (problems, "%s: name or label differs from the General Assembly's\n",
                                f[0]);
      vetoes += row->veto;
    }
  g_assert_cmpstr (problems->str, ==, "");
  g_assert_cmpuint (vetoes, ==, 5);
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

  g_test_add_func ("/data/members/csv-quoting", test_csv_quoting);
  g_test_add_data_func ("/data/members/unga/well-formed", "unga-members.csv", test_well_formed);
  g_test_add_data_func ("/data/members/unsc/well-formed", "unsc-members.csv", test_well_formed);
  g_test_add_func ("/data/members/unga/names-on-2022-03-02", test_ga_names_2022);
  g_test_add_func ("/data/members/unga/names-today", test_ga_names_today);
  g_test_add_func ("/data/members/unga/membership-counts", test_ga_membership_counts);
  g_test_add_func ("/data/members/unsc/council-on-2022-02-25", test_sc_2022);

  return g_test_run ();
}
