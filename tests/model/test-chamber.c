/* test-chamber.c — chambers are data: members over time, rules, colours. */
#include <glib/gstdio.h>
#include <string.h>

#include "model/rc-chamber.h"
#include "model/rc-error.h"
#include "model/rc-paths.h"

static RcChamber *
load (const char *name)
{
  g_autofree char *rel = g_strdup_printf ("chambers/%s.chamber", name);
  g_autofree char *path = rc_paths_find_data (rel);
  g_autoptr (GError) error = NULL;
  RcChamber *chamber;

  g_assert_nonnull (path);
  chamber = rc_chamber_load (path, &error);
  g_assert_no_error (error);
  return chamber;
}

static const RcMember *
member (RcRoster *roster, const char *code)
{
  int i = rc_roster_find (roster, code);

  g_assert_cmpint (i, >=, 0);
  return rc_roster_get_member (roster, i);
}

static void
test_general_assembly (void)
{
  g_autoptr (RcChamber) ga = load ("unga");
  g_autoptr (GError) error = NULL;
  g_autoptr (RcRoster) y2022 = rc_chamber_roster_at (ga, "2022-03-02", &error);
  g_autoptr (RcRoster) y2024 = NULL;
  const RcChamberInfo *info = rc_chamber_get_info (ga);

  g_assert_no_error (error);
  g_assert_cmpstr (info->id, ==, "UNGA");
  g_assert_cmpint (info->rules.default_majority, ==, RC_MAJORITY_SIMPLE);
  g_assert_cmpuint (rc_roster_get_size (y2022), ==, 193);
  /* names as in force on the day */
  g_assert_cmpstr (member (y2022, "TUR")->name, ==, "Turkey");
  g_assert_cmpstr (member (y2022, "SWZ")->name, ==, "Eswatini");
  g_assert_cmpstr (member (y2022, "MKD")->name, ==, "North Macedonia");
  g_assert_cmpstr (member (y2022, "NLD")->name, ==, "Netherlands");
  /* a short board label where the official name is long; the name stays */
  g_assert_cmpstr (member (y2022, "GBR")->name, ==,
                   "United Kingdom of Great Britain and Northern Ireland");
  g_assert_cmpuint (strlen (member (y2022, "GBR")->label), <, 25);
  g_assert_cmpstr (member (y2022, "FRA")->label, ==, "France");
  g_assert_false (member (y2022, "USA")->veto);
  /* board order: alphabetical by the official name */
  g_assert_cmpstr (rc_roster_get_member (y2022, 0)->code, ==, "AFG");
  g_assert_cmpstr (rc_roster_get_member (y2022, 192)->code, ==, "ZWE");

  y2024 = rc_chamber_roster_at (ga, "2024-01-01", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (member (y2024, "TUR")->name, ==, "Türkiye");
  g_assert_cmpstr (member (y2024, "NLD")->name, ==, "Netherlands (Kingdom of the)");
  /* Türkiye keeps Turkey's place between Tunisia and Turkmenistan */
  g_assert_cmpint (rc_roster_find (y2024, "TUR"), ==, rc_roster_find (y2024, "TUN") + 1);
  g_assert_cmpint (rc_roster_find (y2024, "TKM"), ==, rc_roster_find (y2024, "TUR") + 1);
}

/* A board of 1960 has the members of 1960: 99 states, the Soviet Union and its two
 * republics, Czechoslovakia and Yugoslavia; Egypt and Syria as the United Arab Republic
 * (one seat, Syria's rows paused); no Germany yet. And of 1990, after the unifications. */
static void
test_general_assembly_1960 (void)
{
  g_autoptr (RcChamber) ga = load ("unga");
  g_autoptr (GError) error = NULL;
  g_autoptr (RcRoster) y1960 = rc_chamber_roster_at (ga, "1960-12-20", &error);
  g_autoptr (RcRoster) y1989 = NULL;
  g_autoptr (RcRoster) y1990 = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (rc_roster_get_size (y1960), ==, 99);
  g_assert_cmpstr (member (y1960, "RUS")->name, ==, "Union of Soviet Socialist Republics");
  g_assert_cmpstr (member (y1960, "RUS")->label, ==, "USSR");
  g_assert_cmpstr (member (y1960, "UKR")->name, ==, "Ukrainian Soviet Socialist Republic");
  g_assert_cmpstr (member (y1960, "BLR")->label, ==, "Byelorussian SSR");
  g_assert_cmpstr (member (y1960, "CSK")->name, ==, "Czechoslovakia");
  g_assert_cmpstr (member (y1960, "YUG")->name, ==, "Yugoslavia");
  g_assert_cmpstr (member (y1960, "EGY")->name, ==, "United Arab Republic");
  g_assert_cmpstr (member (y1960, "LKA")->name, ==, "Ceylon");
  g_assert_cmpstr (member (y1960, "MMR")->name, ==, "Burma");
  g_assert_cmpstr (member (y1960, "BEN")->name, ==, "Dahomey");
  g_assert_cmpstr (member (y1960, "BFA")->name, ==, "Upper Volta");
  g_assert_cmpstr (member (y1960, "CHN")->name, ==, "China");
  g_assert_cmpint (rc_roster_find (y1960, "SYR"), <, 0);
  g_assert_cmpint (rc_roster_find (y1960, "DEU"), <, 0);
  g_assert_cmpint (rc_roster_find (y1960, "SRB"), <, 0);
  g_assert_cmpint (rc_roster_find (y1960, "TZA"), <, 0);

  y1989 = rc_chamber_roster_at (ga, "1989-12-15", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rc_roster_get_size (y1989), ==, 159);
  g_assert_cmpstr (member (y1989, "DEU")->name, ==, "Federal Republic of Germany");
  g_assert_cmpstr (member (y1989, "DDR")->name, ==, "German Democratic Republic");
  g_assert_cmpstr (member (y1989, "YMD")->name, ==, "Democratic Yemen");
  g_assert_cmpstr (member (y1989, "COD")->name, ==, "Zaire");
  y1990 = rc_chamber_roster_at (ga, "1990-12-15", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rc_roster_get_size (y1990), ==, 159);
  g_assert_cmpstr (member (y1990, "DEU")->name, ==, "Germany");
  g_assert_cmpint (rc_roster_find (y1990, "DDR"), <, 0);
  g_assert_cmpint (rc_roster_find (y1990, "YMD"), <, 0);
  g_assert_cmpint (rc_roster_find (y1990, "NAM"), >=, 0);
}

static void
test_general_assembly_history (void)
{
  g_autoptr (RcChamber) ga = load ("unga");
  g_autoptr (GError) error = NULL;
  g_autoptr (RcRoster) y2010 = rc_chamber_roster_at (ga, "2010-06-01", &error);

  g_assert_no_error (error);
  /* South Sudan was admitted on 14 July 2011 */
  g_assert_cmpuint (rc_roster_get_size (y2010), ==, 192);
  g_assert_cmpint (rc_roster_find (y2010, "SSD"), ==, -1);
  g_assert_cmpstr (member (y2010, "SWZ")->name, ==, "Swaziland");
}

static void
test_today_names (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcRoster) day = NULL;
  g_autoptr (RcRoster) names = rc_chamber_find_roster ("UNGA", "2024-06-01", &error);
  g_autoptr (RcRoster) renamed = NULL;
  g_autoptr (RcChamber) ga = load ("unga");

  g_assert_no_error (error);
  day = rc_chamber_roster_at (ga, "2022-03-02", &error);
  g_assert_no_error (error);
  renamed = rc_roster_rename (day, names);
  /* same members, same places; today's names */
  g_assert_cmpuint (rc_roster_get_size (renamed), ==, 193);
  for (guint i = 0; i < 193; i++)
    g_assert_cmpstr (rc_roster_get_member (renamed, i)->code, ==,
                     rc_roster_get_member (day, i)->code);
  g_assert_cmpstr (member (renamed, "TUR")->name, ==, "Türkiye");
  g_assert_cmpstr (member (day, "TUR")->name, ==, "Turkey");
  g_assert_cmpstr (member (renamed, "NLD")->label, ==, member (names, "NLD")->label);
  g_assert_null (rc_chamber_find_roster ("NOPE", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_FILE);
}

static void
test_security_council (void)
{
  g_autoptr (RcChamber) sc = load ("unsc");
  g_autoptr (GError) error = NULL;
  g_autoptr (RcRoster) roster = rc_chamber_roster_at (sc, "2022-02-25", &error);
  const RcChamberInfo *info = rc_chamber_get_info (sc);
  guint vetoes = 0;

  g_assert_no_error (error);
  g_assert_cmpint (info->rules.default_majority, ==, RC_MAJORITY_COUNCIL);
  g_assert_cmpuint (info->rules.council_affirmative, ==, 9);
  g_assert_cmpuint (rc_roster_get_size (roster), ==, 15);
  for (guint i = 0; i < 15; i++)
    vetoes += rc_roster_get_member (roster, i)->veto;
  g_assert_cmpuint (vetoes, ==, 5);
  g_assert_true (member (roster, "RUS")->veto);
  g_assert_false (member (roster, "ALB")->veto);
}

static void
test_palettes_are_data (void)
{
  g_autoptr (RcChamber) ga = load ("unga");
  g_autofree char *path = rc_paths_find_data ("palettes/blue-red-white.palette");
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  RcPalette palette = rc_chamber_get_info (ga)->palette;

  g_assert_nonnull (path);
  g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  rc_palette_load_from_keyfile (&palette, kf, "Palette", &error);
  g_assert_no_error (error);
  /* blue for yes: more blue than green or red */
  g_assert_cmpuint (palette.yes & 0xff, >, (palette.yes >> 8) & 0xff);
  g_assert_cmpuint (palette.yes & 0xff, >, (palette.yes >> 16) & 0xff);
  g_assert_cmpuint (palette.yes, !=, rc_chamber_get_info (ga)->palette.yes);
}

/* Writes a chamber in a temporary folder and expects it refused with the message. */
static void
expect_refusal (const char *chamber_text, const char *members_text, const char *date,
                const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rollcall-chamber-XXXXXX", &error);
  g_autofree char *kpath = g_build_filename (dir, "test.chamber", NULL);
  g_autofree char *mpath = g_build_filename (dir, "members.csv", NULL);
  g_autoptr (RcChamber) chamber = NULL;

  g_assert_no_error (error);
  g_file_set_contents (kpath, chamber_text, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (mpath, members_text, -1, &error);
  g_assert_no_error (error);

  chamber = rc_chamber_load (kpath, &error);
  if (chamber != NULL)
    {
      g_autoptr (RcRoster) roster = rc_chamber_roster_at (chamber, date, &error);
      g_assert_null (roster);
    }
  g_assert_nonnull (error);
  g_assert_true (error->domain == RC_ERROR);
  if (strstr (error->message, fragment) == NULL)
    g_error ("'%s' does not say '%s'", error->message, fragment);
  g_assert_null (strpbrk (error->message, "\r\n"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));

  g_unlink (kpath);
  g_unlink (mpath);
  g_rmdir (dir);
}

#define GOOD_CHAMBER "[Chamber]\nid=T\nname=Test\nmembers=members.csv\nmajority=simple\n"
#define HEADER "code,name,label,from,until,veto\n"

static void
test_refusals (void)
{
  expect_refusal ("[Chamber]\nid=T\nmembers=members.csv\nmajority=simple\n",
                  HEADER "AAA,A,,2000-01-01,,no\n", "2022-01-01", "needs 'name'");
  expect_refusal ("[Chamber]\nid=T\nname=T\nmembers=members.csv\nmajority=most\n",
                  HEADER "AAA,A,,2000-01-01,,no\n", "2022-01-01", "majority 'most'");
  expect_refusal ("[Chamber]\nid=T\nname=T\nmembers=members.csv\nmajority=council\n",
                  HEADER "AAA,A,,2000-01-01,,no\n", "2022-01-01", "council-affirmative");
  expect_refusal (GOOD_CHAMBER "[Palette]\nyes=green\n", HEADER "AAA,A,,2000-01-01,,no\n",
                  "2022-01-01", "'green' is not a colour");
  expect_refusal (GOOD_CHAMBER, "code,name\nAAA,A\n", "2022-01-01", "no 'label' column");
  expect_refusal (GOOD_CHAMBER, HEADER "AAA,A,,01/01/2000,,no\n", "2022-01-01",
                  "members.csv:2: dates must be YYYY-MM-DD");
  expect_refusal (GOOD_CHAMBER, HEADER "AAA,A,,2000-01-01,1999-01-01,no\n", "2022-01-01",
                  "'until' is before 'from'");
  expect_refusal (GOOD_CHAMBER, HEADER "AAA,A,,2000-01-01,,maybe\n", "2022-01-01",
                  "veto must be");
  expect_refusal (GOOD_CHAMBER, HEADER "AAA,A,,2000-01-01,,no\nAAA,B,,2010-01-01,,no\n",
                  "2022-01-01", "AAA has two names in force on 2022-01-01");
  expect_refusal (GOOD_CHAMBER, HEADER "AAA,A,,2000-01-01,,no\n", "1990-01-01",
                  "had no members on 1990-01-01");
  expect_refusal (GOOD_CHAMBER, HEADER "AAA,A,,2000-01-01,,no\n", "2022-13-01",
                  "not a date");

  /* A refusal quotes the files on one line of UTF-8, whatever they hold (found by
   * tests/fuzz/fuzz-chamber): GKeyFile quotes a broken line as it is, a quoted CSV
   * field may hold a line break. */
  expect_refusal (GOOD_CHAMBER "caf\xe9[=x\n", HEADER "AAA,A,,2000-01-01,,no\n", "2022-01-01",
                  "caf\xef\xbf\xbd");
  expect_refusal (GOOD_CHAMBER, HEADER "AAA,A,,2000-01-01,,\"ma\r\nybe\"\n", "2022-01-01",
                  "not 'ma\\r\\nybe'");
  expect_refusal (GOOD_CHAMBER, HEADER "\"A\nA\",A,,2000-01-01,,no\n\"A\nA\",B,,2010-01-01,,no\n",
                  "2022-01-01", "A\\nA has two names in force");

  /* No more than an event can carry (found by tests/fuzz/fuzz-chamber: a 65-byte id
   * was loaded, and every session of the chamber then refused by the codec). */
  {
    g_autofree char *id = g_strnfill (RC_ID_MAX + 1, 'x');
    g_autofree char *name = g_strnfill (RC_TEXT_MAX + 1, 'n');
    g_autofree char *long_id
      = g_strdup_printf ("[Chamber]\nid=%s\nname=T\nmembers=members.csv\nmajority=simple\n", id);
    g_autofree char *long_name
      = g_strdup_printf ("[Chamber]\nid=T\nname=%s\nmembers=members.csv\nmajority=simple\n", name);
    g_autofree char *long_code = g_strdup_printf (HEADER "%s,A,,2000-01-01,,no\n", id);
    g_autofree char *long_member = g_strdup_printf (HEADER "AAA,%s,,2000-01-01,,no\n", name);

    expect_refusal (long_id, HEADER "AAA,A,,2000-01-01,,no\n", "2022-01-01",
                    "id is at most 64 bytes");
    expect_refusal (long_name, HEADER "AAA,A,,2000-01-01,,no\n", "2022-01-01",
                    "name and body 1024");
    expect_refusal (GOOD_CHAMBER, long_code, "2022-01-01", "a code is at most 64 bytes");
    expect_refusal (GOOD_CHAMBER, long_member, "2022-01-01", "a name or label 1024");
  }
}

static void
test_missing (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcChamber) chamber = rc_chamber_load ("/nonexistent/x.chamber", &error);

  g_assert_null (chamber);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_FILE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chamber/general-assembly", test_general_assembly);
  g_test_add_func ("/chamber/general-assembly/history", test_general_assembly_history);
  g_test_add_func ("/chamber/general-assembly/1960", test_general_assembly_1960);
  g_test_add_func ("/chamber/security-council", test_security_council);
  g_test_add_func ("/chamber/today-names", test_today_names);
  g_test_add_func ("/chamber/palettes-are-data", test_palettes_are_data);
  g_test_add_func ("/chamber/refusals", test_refusals);
  g_test_add_func ("/chamber/missing", test_missing);
  return g_test_run ();
}
