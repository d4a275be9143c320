/* test-languages.c — the board's languages: which are accepted, the members' names in
 * each (the UN's where they differ from CLDR's, those in force on the day), and the
 * alphabetical order of each as the UN's lists in that language order it. The
 * expected names and orders are written here from the UN's usage, not computed. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "model/rc-chamber.h"
#include "model/rc-collate.h"
#include "model/rc-csv.h"
#include "model/rc-error.h"
#include "model/rc-language.h"
#include "model/rc-names.h"

static void
test_parse (void)
{
  const char *const good[][3] = {
    { "fr", "fr", NULL },    { "zh_CN", "zh_CN", NULL }, { "en,fr", "en", "fr" },
    { "ar,en", "ar", "en" }, { "en, fr", "en", "fr" },
  };
  const char *const bad[]
    = { "", "de", "fr,fr", "en,fr,es", "zh", "FR", ",", "en,", "zh_TW", "f r" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      RcBoardLanguage l = { NULL, NULL };
      g_autoptr (GError) error = NULL;

      g_assert_true (rc_board_language_parse (good[i][0], &l, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (l.first, ==, good[i][1]);
      g_assert_cmpstr (l.second, ==, good[i][2]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      RcBoardLanguage l = { "en", NULL };
      g_autoptr (GError) error = NULL;

      g_assert_false (rc_board_language_parse (bad[i], &l, &error));
      g_assert_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT);
      g_assert_null (strchr (error->message, '\n'));
      /* refused: unchanged */
      g_assert_cmpstr (l.first, ==, "en");
    }
}

static void
test_environment (void)
{
  const char *const cases[][2] = {
    { "fr_CA.UTF-8", "fr" },    { "zh_CN.UTF-8", "zh_CN" }, { "zh", "zh_CN" },  { "zh_TW", "en" },
    { "de:ru", "ru" },          { "ar_EG", "ar" },          { "es_419", "es" }, { "pt_BR", "en" },
    { "zh_TW:zh_CN", "zh_CN" }, { "zh_HK:fr", "fr" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_setenv ("LANGUAGE", cases[i][0], TRUE);
      g_assert_cmpstr (rc_language_from_environment (), ==, cases[i][1]);
    }
  g_unsetenv ("LANGUAGE");
}

static void
assert_name (const char *language, const char *code, const char *date, const char *name,
             const char *label)
{
  g_autofree char *n = NULL;
  g_autofree char *l = NULL;

  if (!rc_names_lookup (language, code, date, &n, &l))
    g_error ("%s %s %s: no name", language, code, date ? date : "today");
  g_assert_cmpstr (n, ==, name);
  if (label != NULL)
    g_assert_cmpstr (l, ==, label);
}

/* The UN's own forms (over CLDR's common names), names of the past, CLDR where the UN
 * says what CLDR says, and nothing for a member that is not a state. */
static void
test_names (void)
{
  g_autofree char *n = NULL;
  g_autofree char *l = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; rc_language_codes ()[i] != NULL; i++)
    {
      g_assert_true (rc_names_check (rc_language_codes ()[i], &error));
      g_assert_no_error (error);
    }
  /* Türkiye from 1 June 2022 in French and Spanish; the UN kept its Russian name. */
  assert_name ("fr", "TUR", "2022-03-02", "Turquie", NULL);
  assert_name ("fr", "TUR", "2022-06-01", "Türkiye", NULL);
  assert_name ("es", "TUR", "2022-05-31", "Turquía", NULL);
  assert_name ("es", "TUR", "2022-06-01", "Türkiye", NULL);
  assert_name ("ru", "TUR", "2022-06-01", "Турция", NULL);
  /* The UN's names, not CLDR's common ones. */
  assert_name ("fr", "PRK", NULL, "République populaire démocratique de Corée", NULL);
  assert_name ("ru", "PRK", NULL, "Корейская Народно-Демократическая Республика", "КНДР");
  assert_name ("zh_CN", "GBR", NULL, "大不列颠及北爱尔兰联合王国", "英国");
  assert_name ("ar", "CIV", NULL, "كوت ديفوار", NULL);
  assert_name ("es", "BOL", NULL, "Bolivia (Estado Plurinacional de)", "Bolivia");
  /* Names of the past. */
  assert_name ("ru", "RUS", "1980-01-01", "Союз Советских Социалистических Республик", "СССР");
  assert_name ("fr", "SWZ", "2010-01-01", "Swaziland", NULL);
  assert_name ("fr", "SWZ", "2019-01-01", "Eswatini", NULL);
  assert_name ("es", "MKD", "2000-01-01", "ex República Yugoslava de Macedonia", NULL);
  /* Where the UN's name is CLDR's, CLDR gives it. */
  assert_name ("fr", "ALB", NULL, "Albanie", NULL);
  assert_name ("ru", "AUS", NULL, "Австралия", NULL);
  /* Not a state: no name in any language. */
  g_assert_false (rc_names_lookup ("fr", "P001", NULL, &n, &l));
  g_assert_false (rc_names_lookup ("fr", "ZZZ", NULL, &n, &l));
}

/* Every name the English list gives a period that has ended (a name of the past) has a
 * row of its own in each language's data covering that period: CLDR knows only
 * today's names, and would put "Eswatini" on a board of 2010. */
static RcCsv *
load_csv (const char *dir, const char *name)
{
  g_autofree char *path
    = g_build_filename (g_getenv ("ROLLCALL_SOURCE_ROOT"), "data", dir, name, NULL);
  g_autoptr (GError) error = NULL;
  RcCsv *csv = rc_csv_load (path, &error);

  g_assert_no_error (error);
  return csv;
}

static void
test_every_past_name_has_a_row (void)
{
  g_autoptr (RcCsv) english = load_csv ("chambers", "unga-members.csv");
  guint past = 0;

  for (guint k = 0; rc_language_codes ()[k] != NULL; k++)
    {
      const char *language = rc_language_codes ()[k];
      g_autofree char *file = g_strdup_printf ("%s.csv", language);
      g_autoptr (RcCsv) names = NULL;

      if (g_str_equal (language, "en"))
        continue;
      names = load_csv ("names", file);
      for (guint i = 0; i < english->rows->len; i++)
        {
          char **e = g_ptr_array_index (english->rows, i);
          gboolean covered = FALSE;

          /* code,name,label,from,until,veto */
          if (*e[4] == '\0')
            continue;
          past++;
          for (guint j = 0; j < names->rows->len && !covered; j++)
            {
              char **n = g_ptr_array_index (names->rows, j);

              /* code,from,until,name,label */
              covered = g_str_equal (n[0], e[0]) && strcmp (n[1], e[3]) <= 0 && *n[2] != '\0'
                        && strcmp (n[2], e[4]) >= 0;
            }
          if (!covered)
            g_error ("data/names/%s: no row for %s %s–%s (%s)", file, e[0], e[3], e[4], e[1]);
        }
    }
  g_assert_cmpuint (past, >=, 5 * 30);
}

/* Sorts names by the language's keys; checks they come out in the given order. */
static void
assert_order (const char *language, const char *const *names, guint n)
{
  for (guint i = 0; i + 1 < n; i++)
    {
      g_autofree char *a = rc_collate_key_for_language (language, names[i], NULL);
      g_autofree char *b = rc_collate_key_for_language (language, names[i + 1], NULL);

      if (strcmp (a, b) >= 0)
        g_error ("%s: '%s' should come before '%s'", language, names[i], names[i + 1]);
    }
}

static void
test_orders (void)
{
  /* French: accents do not move a name out of its letter (États-Unis among the E's);
   * letter by letter, spaces and hyphens not counted (Guinée-Bissau before Guinée
   * équatoriale, Sainte-Lucie before Saint-Kitts-et-Nevis). */
  const char *const fr[] = { "Érythrée",
                             "Espagne",
                             "Estonie",
                             "Eswatini",
                             "États-Unis d'Amérique",
                             "Éthiopie",
                             "Fédération de Russie",
                             "Fidji",
                             "Guinée",
                             "Guinée-Bissau",
                             "Guinée équatoriale",
                             "Guyana",
                             "Rwanda",
                             "Sainte-Lucie",
                             "Saint-Kitts-et-Nevis",
                             "Saint-Marin",
                             "Saint-Vincent-et-les Grenadines",
                             "Samoa" };
  /* Spanish: Ñ is a letter after N; accents are not. */
  const char *const es[]
    = { "Nauru", "Nepal", "Nicaragua",    "Níger",    "Nigeria", "Noruega", "Nueva Zelandia",
        "Ñandú", "Omán",  "Países Bajos", "Pakistán", "Palau",   "Panamá",  "Papua Nueva Guinea" };
  /* Russian: Cyrillic order. */
  const char *const ru[]
    = { "Австралия", "Австрия",           "Азербайджан", "Албания", "Алжир",      "Ангола",
        "Андорра",   "Антигуа и Барбуда", "Аргентина",   "Армения", "Афганистан", "Ёмкость",
        "Япония" };
  /* Arabic, as the UN's Arabic lists run: the article of the first word ignored, every
   * alif one letter (الاتحاد الروسي under the alif, آيرلندا after أوكرانيا). */
  const char *const ar[]
    = { "الاتحاد الروسي",  "إثيوبيا",   "أذربيجان",  "الأرجنتين",
        "الأردن",          "أرمينيا",   "إريتريا",   "إسبانيا",
        "أستراليا",        "إستونيا",   "إسرائيل",   "أفغانستان",
        "إكوادور",         "ألبانيا",   "ألمانيا",   "الإمارات العربية المتحدة",
        "أنتيغوا وبربودا", "أندورا",    "إندونيسيا", "أنغولا",
        "أوروغواي",        "أوزبكستان", "أوغندا",    "أوكرانيا",
        "آيرلندا",         "آيسلندا",   "إيطاليا",   "بابوا غينيا الجديدة",
        "باراغواي",        "باكستان",   "بالاو",     "البحرين",
        "البرازيل" };

  assert_order ("fr", fr, G_N_ELEMENTS (fr));
  assert_order ("es", es, G_N_ELEMENTS (es));
  assert_order ("ru", ru, G_N_ELEMENTS (ru));
  assert_order ("ar", ar, G_N_ELEMENTS (ar));
}

/* The 193 members on 2 March 2022, translated: the board's order is the language's
 * order of its names; Chinese keeps the English order (the UN's Chinese lists follow
 * it); every member keeps its place in the roster (index i is member i). */
static void
test_translated_rosters (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcRoster) roster = rc_chamber_find_roster ("UNGA", "2022-03-02", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (rc_roster_get_size (roster), ==, 193);
  for (guint k = 0; rc_language_codes ()[k] != NULL; k++)
    {
      const char *language = rc_language_codes ()[k];
      g_autoptr (RcRoster) t = rc_roster_translate (roster, language, "2022-03-02");
      guint differ = 0;

      g_assert_cmpuint (rc_roster_get_size (t), ==, 193);
      for (guint i = 0; i < 193; i++)
        {
          const RcMember *m = rc_roster_get_member (roster, i);
          const RcMember *tm = rc_roster_get_member (t, i);

          g_assert_cmpstr (m->code, ==, tm->code);
          g_assert_true (g_utf8_validate (tm->name, -1, NULL));
          differ += !g_str_equal (m->name, tm->name);
          if (g_str_equal (language, "zh_CN") || g_str_equal (language, "en"))
            g_assert_cmpstr (m->sort_key, ==, tm->sort_key);
          else
            {
              g_autofree char *key = rc_collate_key_for_language (language, tm->name, NULL);

              g_assert_cmpstr (key, ==, tm->sort_key);
            }
        }
      /* Every name is in the language: all in another script, most in French and
       * Spanish (Canada, Chili, Angola… are written alike). */
      if (!g_str_equal (language, "en"))
        {
          gboolean latin = g_str_equal (language, "fr") || g_str_equal (language, "es");
          guint least = latin ? 90 : 193;

          g_assert_cmpuint (differ, >=, least);
        }
    }
}

/* ICU's English collation orders the 193 names as the hand-written rule does (with the
 * names of 2 March 2022 and today's): the rule stays because its keys travel in the
 * feed and must read the same everywhere, not because ICU would order differently. */
static void
test_english_is_icu (gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcRoster) roster = rc_chamber_find_roster ("UNGA", data, &error);
  guint n;

  g_assert_no_error (error);
  n = rc_roster_get_size (roster);
  g_assert_cmpuint (n, ==, 193);
  for (guint i = 0; i + 1 < n; i++)
    {
      const char *a = rc_roster_get_member (roster, i)->name;
      const char *b = rc_roster_get_member (roster, i + 1)->name;
      g_autofree char *ka = rc_collate_key_for_language ("en", a, NULL);
      g_autofree char *kb = rc_collate_key_for_language ("en", b, NULL);

      if (strcmp (ka, kb) >= 0)
        g_error ("ICU's English order puts '%s' before '%s'", b, a);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/languages/parse", test_parse);
  g_test_add_func ("/languages/environment", test_environment);
  g_test_add_func ("/languages/names", test_names);
  g_test_add_func ("/languages/every-past-name-has-a-row", test_every_past_name_has_a_row);
  g_test_add_func ("/languages/orders", test_orders);
  g_test_add_func ("/languages/translated-rosters", test_translated_rosters);
  g_test_add_data_func ("/languages/english-is-icu/2022", "2022-03-02", test_english_is_icu);
  g_test_add_data_func ("/languages/english-is-icu/today", NULL, test_english_is_icu);
  return g_test_run ();
}
