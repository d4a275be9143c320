/* test-import-session.c — the session importer on the real demo sources: the journal
 * it makes replays to the official results, has a plausible shape, is the same for
 * the same seed, survives the archive, and bad sources are refused naming the line. */
#include <string.h>

#include "archive/rc-archive.h"
#include "import/rc-import-record.h"
#include "import/rc-import-session.h"
#include "codec/rc-codec.h"
#include "model/rc-error.h"
#include "model/rc-replay.h"
#include "rc-archive-test-util.h"

static char *
demo_path (const char *name)
{
  const char *root = g_getenv ("ROLLCALL_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, "data", "demo", name, NULL);
}

static RcImportedSession *
import_demo (const char *name)
{
  g_autofree char *path = demo_path (name);
  g_autoptr (GError) error = NULL;
  RcImportedSession *imported = rc_import_session_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (imported);
  return imported;
}

/* Replays a journal into a fresh session, as rollcall --replay does. */
static RcSession *
fold (GPtrArray *events)
{
  g_autoptr (GError) error = NULL;
  RcSession *session = rc_session_new ();

  g_assert_cmpuint (rc_session_fold (session, events, G_MAXINT64, &error), ==, events->len);
  g_assert_no_error (error);
  return session;
}

static RcVote *
find_vote (RcSession *session, const char *selector)
{
  g_autoptr (GError) error = NULL;
  RcVote *vote = rc_session_lookup_vote (session, selector, &error);

  g_assert_no_error (error);
  return vote;
}

static void
assert_times_ordered (GPtrArray *events)
{
  for (guint i = 0; i < events->len; i++)
    {
      const RcEvent *e = g_ptr_array_index (events, i);

      g_assert_cmpint (e->seq, ==, i + 1);
      if (i > 0)
        g_assert_cmpint (e->time, >=, ((RcEvent *) g_ptr_array_index (events, i - 1))->time);
    }
}

static void
test_general_assembly (void)
{
  g_autoptr (RcImportedSession) imported = import_demo ("ga-es11-2022-03-02.session");
  g_autoptr (RcSession) session = fold (imported->events);
  const RcSessionInfo *info = rc_session_get_info (session);
  RcVote *vote = find_vote (session, "A/RES/ES-11/1");
  const RcTally *tally = rc_vote_get_tally (vote);
  const RcVerdict *verdict = rc_vote_get_verdict (vote);
  RcRoster *roster = rc_session_get_roster (session);
  g_autoptr (GHashTable) presses = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 opened = rc_vote_get_opened_at (vote), last_ballot = 0;
  guint n_ballots = 0, n_early = 0, n_changed = 0;
  const RcEvent *first = g_ptr_array_index (imported->events, 0);

  g_assert_cmpint (first->type, ==, RC_EVENT_SESSION);
  g_assert_cmpstr (info->id, ==, "ga-es11-2022-03-02");
  g_assert_cmpstr (info->meeting, ==, "A/ES-11/PV.5");
  g_assert_cmpstr (info->date, ==, "2022-03-02");
  g_assert_true (info->synthesized);
  g_assert_cmpstr (rc_session_get_chamber (session)->id, ==, "UNGA");
  g_assert_cmpuint (rc_roster_get_size (roster), ==, 193);
  g_assert_cmpuint (imported->warnings->len, ==, 0);
  assert_times_ordered (imported->events);

  /* The official result, recomputed from the ballots. */
  g_assert_cmpint (rc_vote_get_state (vote), ==, RC_VOTE_ANNOUNCED);
  g_assert_cmpuint (tally->yes, ==, 141);
  g_assert_cmpuint (tally->no, ==, 5);
  g_assert_cmpuint (tally->abstain, ==, 35);
  g_assert_cmpuint (tally->not_voting, ==, 12);
  g_assert_cmpuint (tally->no_right, ==, 1);
  g_assert_cmpint (verdict->outcome, ==, RC_OUTCOME_ADOPTED);
  g_assert_cmpuint (verdict->present_and_voting, ==, 146);
  g_assert_cmpuint (verdict->required, ==, 98);
  g_assert_false (rc_vote_has_mismatch (vote));
  g_assert_cmpint (rc_vote_get_choice (vote, rc_roster_find (roster, "VEN")), ==,
                   RC_CHOICE_NO_RIGHT);
  g_assert_cmpint (rc_vote_get_choice (vote, rc_roster_find (roster, "RUS")), ==, RC_CHOICE_NO);
  g_assert_cmpstr (rc_vote_get_info (vote)->draft, ==, "A/ES-11/L.1");

  /* The shape: ballots inside the 45-second window, most in its first 60%, a few
   * members changing their vote, the lock a few seconds after the last one. */
  for (guint i = 0; i < imported->events->len; i++)
    {
      const RcEvent *e = g_ptr_array_index (imported->events, i);
      guint count;

      if (e->type != RC_EVENT_BALLOT || e->choice == RC_CHOICE_NO_RIGHT)
        continue;
      g_assert_cmpint (e->time, >, opened);
      g_assert_cmpint (e->time, <=, opened + 45 * G_USEC_PER_SEC);
      n_ballots++;
      if (e->time <= opened + 27 * G_USEC_PER_SEC)
        n_early++;
      last_ballot = MAX (last_ballot, e->time);
      count = GPOINTER_TO_UINT (g_hash_table_lookup (presses, e->member)) + 1;
      g_hash_table_insert (presses, e->member, GUINT_TO_POINTER (count));
      if (count == 2)
        n_changed++;
    }
  g_assert_cmpuint (n_ballots, ==, 181 + n_changed);
  g_assert_cmpuint (n_changed, >=, 3);
  g_assert_cmpuint (n_changed, <=, 6);
  g_assert_cmpuint (n_early, >=, n_ballots * 7 / 10);
  g_assert_cmpuint (n_early, <, n_ballots);
  g_assert_cmpint (rc_vote_get_locked_at (vote), >=, last_ballot + 2 * G_USEC_PER_SEC);
  g_assert_cmpint (rc_vote_get_locked_at (vote), <=, last_ballot + 4 * G_USEC_PER_SEC);
  g_assert_cmpint (rc_vote_get_announced_at (vote), >, rc_vote_get_locked_at (vote));
  /* On the screens from the moment it is scheduled. */
  g_assert_true (rc_session_get_on_air_vote (session) == vote);
}

static void
test_security_council (void)
{
  g_autoptr (RcImportedSession) imported = import_demo ("sc-2022-02-25.session");
  g_autoptr (RcSession) session = fold (imported->events);
  RcVote *vote = find_vote (session, "S/2022/155");
  const RcTally *tally = rc_vote_get_tally (vote);
  const RcVerdict *verdict = rc_vote_get_verdict (vote);
  RcRoster *roster = rc_session_get_roster (session);
  gint64 opened = rc_vote_get_opened_at (vote);

  g_assert_cmpstr (rc_session_get_info (session)->meeting, ==, "S/PV.8979");
  g_assert_cmpuint (rc_roster_get_size (roster), ==, 15);
  g_assert_cmpuint (tally->yes, ==, 11);
  g_assert_cmpuint (tally->no, ==, 1);
  g_assert_cmpuint (tally->abstain, ==, 3);
  g_assert_cmpuint (tally->not_voting, ==, 0);
  g_assert_cmpint (verdict->outcome, ==, RC_OUTCOME_NOT_ADOPTED);
  g_assert_cmpint (verdict->reason, ==, RC_REASON_VETO);
  g_assert_cmpint (verdict->veto_member, ==, rc_roster_find (roster, "RUS"));
  g_assert_cmpuint (imported->warnings->len, ==, 0);
  assert_times_ordered (imported->events);

  /* A show of hands: all fifteen within five seconds, nobody changing. */
  g_assert_cmpuint (imported->events->len, ==, 1 + 3 + 15 + 2);
  for (guint i = 0; i < imported->events->len; i++)
    {
      const RcEvent *e = g_ptr_array_index (imported->events, i);

      if (e->type == RC_EVENT_BALLOT)
        g_assert_cmpint (e->time - opened, <=, 5 * G_USEC_PER_SEC);
    }
}

/* S/RES/2623 (27 February 2022): 11–1–3 with a permanent member against, adopted
 * under the Council's procedural rule; the same ballots under the substantive rule
 * (S/2022/155, two days before) are a veto. */
static void
test_security_council_procedural (void)
{
  const char *root = g_getenv ("ROLLCALL_SOURCE_ROOT");
  g_autofree char *path
    = g_build_filename (root, "tests", "import", "data", "sc-2022-02-27.session", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) imported = rc_import_session_file (path, &error);
  g_autoptr (RcSession) session = NULL;
  const RcVerdict *verdict;
  const RcTally *tally;
  RcVote *vote;

  g_assert_no_error (error);
  session = fold (imported->events);
  vote = find_vote (session, "S/RES/2623 (2022)");
  verdict = rc_vote_get_verdict (vote);
  tally = rc_vote_get_tally (vote);
  g_assert_cmpint (rc_vote_get_info (vote)->majority, ==, RC_MAJORITY_PROCEDURAL);
  g_assert_cmpuint (tally->yes, ==, 11);
  g_assert_cmpuint (tally->no, ==, 1);
  g_assert_cmpuint (tally->abstain, ==, 3);
  g_assert_cmpint (
    rc_vote_get_choice (vote, rc_roster_find (rc_session_get_roster (session), "RUS")), ==,
    RC_CHOICE_NO);
  g_assert_cmpint (verdict->outcome, ==, RC_OUTCOME_ADOPTED);
  g_assert_cmpint (verdict->reason, ==, RC_REASON_MAJORITY_REACHED);
  g_assert_cmpint (verdict->veto_member, ==, -1);
  g_assert_cmpuint (verdict->required, ==, 9);
  g_assert_cmpuint (imported->warnings->len, ==, 0);
}

/* A record's name in capitals, as the board writes names (docs/import.md). */
static void
test_record_name_case (void)
{
  const char *const cases[][2] = {
    { "CZECH REPUBLIC", "Czech Republic" },
    { "IRAN (ISLAMIC REPUBLIC OF)", "Iran (Islamic Republic of)" },
    { "CÔTE D'IVOIRE", "Côte d'Ivoire" },
    { "GUINEA-BISSAU", "Guinea-Bissau" },
    { "SAINT VINCENT AND THE GRENADINES", "Saint Vincent and the Grenadines" },
    { "LAO PEOPLE'S DEMOCRATIC REPUBLIC", "Lao People's Democratic Republic" },
    { "THE GAMBIA", "The Gambia" },
    { "Türkiye", "Türkiye" }, /* mixed case: the record's own */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = rc_record_name_case (cases[i][0]);

      g_assert_cmpstr (got, ==, cases[i][1]);
    }
}

static char *
encode_all (GPtrArray *events)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    {
      g_autofree char *line = rc_codec_encode (g_ptr_array_index (events, i));
      g_string_append_printf (text, "%s\n", line);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Copies a demo source into dir with one piece of text replaced (from may be NULL);
 * the copy still finds its chamber and ballots in the source tree. */
static char *
copy_demo (const char *dir, const char *name, const char *from, const char *to)
{
  g_autofree char *source = demo_path (name);
  g_autofree char *demo_dir = g_path_get_dirname (source);
  g_autofree char *chamber_dir = g_build_filename (demo_dir, "..", "chambers", NULL);
  g_autofree char *chamber_line = g_strdup_printf ("chamber=%s/", chamber_dir);
  g_autofree char *ballots_line = g_strdup_printf ("ballots=%s/", demo_dir);
  g_autofree char *contents = NULL;
  g_autoptr (GString) text = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_get_contents (source, &contents, NULL, NULL));
  text = g_string_new (contents);
  if (from != NULL)
    g_assert_cmpuint (g_string_replace (text, from, to, 1), ==, 1);
  g_assert_cmpuint (g_string_replace (text, "chamber=../chambers/", chamber_line, 0), ==, 1);
  g_string_replace (text, "ballots=", ballots_line, 0);
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
  return path;
}

static void
test_deterministic (void)
{
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autofree char *reseeded
    = copy_demo (dir, "ga-es11-2022-03-02.session", "seed=20220302", "seed=7");
  g_autoptr (RcImportedSession) a = import_demo ("ga-es11-2022-03-02.session");
  g_autoptr (RcImportedSession) b = import_demo ("ga-es11-2022-03-02.session");
  g_autoptr (RcImportedSession) c = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text_a = encode_all (a->events);
  g_autofree char *text_b = encode_all (b->events);
  g_autofree char *text_c = NULL;

  g_assert_cmpstr (text_a, ==, text_b);

  /* The seed is what decides: another seed, another timeline, the same result. */
  c = rc_import_session_file (reseeded, &error);
  g_assert_no_error (error);
  text_c = encode_all (c->events);
  g_assert_cmpstr (text_a, !=, text_c);
  g_assert_cmpuint (rc_vote_get_tally (find_vote (c->session, "es-11-1"))->yes, ==, 141);
  rc_test_remove_tree (dir);
}

static void
test_through_archive (void)
{
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "demo.rollcall", NULL);
  g_autoptr (RcImportedSession) ga = import_demo ("ga-es11-2022-03-02.session");
  g_autoptr (RcImportedSession) sc = import_demo ("sc-2022-02-25.session");
  g_autoptr (GPtrArray) journals = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) loaded = NULL;
  g_autoptr (RcSession) session = NULL;
  g_autofree char *id = NULL;

  g_ptr_array_add (journals, ga->events);
  g_ptr_array_add (journals, sc->events);
  {
    g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_CREATE, &error);
    g_assert_no_error (error);
    g_assert_true (rc_archive_write_sessions (archive, journals, FALSE, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);

    g_assert_no_error (error);
    id = rc_archive_resolve_session (archive, NULL, "A/ES-11/L.1", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (id, ==, "ga-es11-2022-03-02");
    loaded = rc_archive_load_events (archive, id, &error);
    g_assert_no_error (error);
  }
  rc_test_assert_journals_equal (ga->events, loaded);
  session = fold (loaded);
  g_assert_cmpuint (rc_vote_get_tally (find_vote (session, "1"))->abstain, ==, 35);
  rc_test_remove_tree (dir);
}

typedef struct {
  const char *name;
  const char *file; /* demo source to copy */
  const char *from; /* text to replace in it */
  const char *to;
  const char *csv; /* if set, the ballots file is this text instead */
  int code;
  const char *reason;
} Refusal;

static const Refusal refusals[] = {
  { "unknown-member", "sc-2022-02-25.session", NULL, NULL, "iso3,vote\nALB,Y\nXYZ,N\n",
    RC_ERROR_UNKNOWN_MEMBER,
    "ballots.csv:3: member 'XYZ' is not on the roster of the Security Council on 2022-02-25" },
  { "member-twice", "sc-2022-02-25.session", NULL, NULL, "iso3,vote\nALB,Y\nBRA,N\nALB,A\n",
    RC_ERROR_BAD_FILE, "ballots.csv:4: member 'ALB' is listed twice (first on line 2)" },
  { "bad-vote", "sc-2022-02-25.session", NULL, NULL, "code,vote\nALB,Yes\n", RC_ERROR_BAD_FILE,
    "ballots.csv:2: vote 'Yes' of ALB is not Y, N, A, X or V" },
  { "voted-in-recorded", "sc-2022-02-25.session", NULL, NULL, "iso3,vote\nALB,Y\nBRA,V\n",
    RC_ERROR_BAD_FILE,
    "ballots.csv:3: vote 'V' of BRA: the vote is recorded, so its ballots say Y, N, A or X" },
  { "no-columns", "sc-2022-02-25.session", NULL, NULL, "country,ballot\nALB,Y\n", RC_ERROR_BAD_FILE,
    "ballots.csv:1: needs an 'iso3' (or 'code') column" },
  { "ballots-missing", "sc-2022-02-25.session", "s-2022-155.csv", "nowhere.csv", NULL,
    RC_ERROR_BAD_FILE, "nowhere.csv: no such file" },
  { "unknown-key", "sc-2022-02-25.session", "official=", "offical=", NULL, RC_ERROR_BAD_FILE,
    "[Vote s-2022-155] unknown key 'offical'" },
  { "missing-key", "sc-2022-02-25.session", "meeting=S/PV.8979\n", "", NULL, RC_ERROR_BAD_FILE,
    "[Session] needs 'meeting'" },
  { "bad-start", "sc-2022-02-25.session", "start=2022-02-25T20:00:00Z", "start=25/02/2022", NULL,
    RC_ERROR_BAD_FILE, "start: '25/02/2022' is not a UTC time" },
  { "bad-seconds", "sc-2022-02-25.session", "opens=60", "opens=60 # after start", NULL,
    RC_ERROR_BAD_FILE, "opens: '60 # after start' is not a number of seconds" },
  /* A refusal quotes the file on one line of UTF-8, whatever it holds (found by
   * tests/fuzz/fuzz-session-source): a value may hold a line break, written \n. */
  { "bad-seconds-line-break", "sc-2022-02-25.session", "opens=60", "opens=6\\r\\n0", NULL,
    RC_ERROR_BAD_FILE, "opens: '6\\r\\n0' is not a number of seconds" },
  { "unknown-key-not-utf8", "sc-2022-02-25.session", "official=", "offic\xe9l=", NULL,
    RC_ERROR_BAD_FILE, "unknown key 'offic\xef\xbf\xbdl'" },
  { "bad-majority", "sc-2022-02-25.session", "majority=council", "majority=unanimous", NULL,
    RC_ERROR_BAD_FILE,
    "majority: 'unanimous' is not simple, two-thirds, absolute, council or procedural" },
  { "majority-unknown", "sc-2022-02-25.session", "majority=council", "majority=unknown", NULL,
    RC_ERROR_BAD_FILE,
    "majority: 'unknown' is not simple, two-thirds, absolute, council or procedural" },
  { "bad-result", "sc-2022-02-25.session", "majority=council", "majority=council\nresult=soon",
    NULL, RC_ERROR_BAD_FILE, "result: 'soon' is not when-announced or at-lock" },
  { "bad-official", "sc-2022-02-25.session", "official=11,1,3,0", "official=11,1,3", NULL,
    RC_ERROR_BAD_FILE, "official: '11,1,3' is not yes,no,abstain,not-voting" },
  { "missing-chamber", "sc-2022-02-25.session", "unsc.chamber", "unsc-1946.chamber", NULL,
    RC_ERROR_BAD_FILE, "chamber '" },
  { "no-right-voted", "ga-es11-2022-03-02.session", "no-right=VEN", "no-right=VEN,FRA", NULL,
    RC_ERROR_BAD_FILE, "no-right: FRA has no right to vote but the ballots say it voted yes" },
  { "no-right-unknown", "ga-es11-2022-03-02.session", "no-right=VEN", "no-right=VEN,YUG", NULL,
    RC_ERROR_UNKNOWN_MEMBER, "no-right: 'YUG' is not on the roster of the General Assembly" },
  { "unknown-group", "sc-2022-02-25.session", "[Vote s-2022-155]", "[Voting s-2022-155]", NULL,
    RC_ERROR_BAD_FILE, "unknown group [Voting s-2022-155]" },
  { "overlapping-votes", "sc-2022-02-25.session", "changes=false\n",
    "changes=false\n[Vote again]\ntitle=Again\nballots=s-2022-155.csv\nopens=62\nduration=5\n",
    NULL, RC_ERROR_BAD_FILE,
    "[Vote again] opens: at +62 s it would open before the previous vote ends" },
};

static void
test_refusal (gconstpointer data)
{
  const Refusal *r = data;
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autofree char *path = copy_demo (dir, r->file, r->from, r->to);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) imported = NULL;

  if (r->csv != NULL)
    {
      g_autofree char *csv = g_build_filename (dir, "ballots.csv", NULL);
      g_autofree char *contents = NULL;
      g_autofree char *ballots_line = NULL;
      g_autoptr (GString) text = NULL;

      g_assert_true (g_file_set_contents (csv, r->csv, -1, NULL));
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      text = g_string_new (contents);
      ballots_line = g_strdup_printf ("ballots=%s\n", csv);
      /* Point the vote at the test's own ballots. */
      {
        char *start = strstr (text->str, "ballots=");
        char *end = strchr (start, '\n');
        g_string_erase (text, start - text->str, end - start + 1);
        g_string_insert (text, start - text->str, ballots_line);
      }
      g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
    }

  imported = rc_import_session_file (path, &error);
  g_assert_null (imported);
  rc_test_assert_refused (error, r->code, r->reason);
  rc_test_remove_tree (dir);
}

/* result=at-lock in a vote's group: its result reaches the hall at the lock; left
 * out, once announced (the default). */
static void
test_result_shown (void)
{
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autofree char *path = copy_demo (dir, "sc-2022-02-25.session", "majority=council",
                                     "majority=council\nresult=at-lock");
  g_autofree char *plain = copy_demo (dir, "ga-es11-2022-03-02.session", NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) imported = rc_import_session_file (path, &error);
  g_autoptr (RcImportedSession) default_one = rc_import_session_file (plain, &error);
  g_autoptr (RcSession) session = NULL;
  g_autoptr (RcSession) default_session = NULL;

  g_assert_no_error (error);
  session = fold (imported->events);
  default_session = fold (default_one->events);

  g_assert_cmpint (rc_vote_get_info (rc_session_get_vote (session, 0))->result_shown, ==,
                   RC_RESULT_AT_LOCK);
  g_assert_cmpint (rc_vote_get_info (rc_session_get_vote (default_session, 0))->result_shown, ==,
                   RC_RESULT_WHEN_ANNOUNCED);
  rc_test_remove_tree (dir);
}

static void
test_missing_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) imported
    = rc_import_session_file ("/nonexistent/x.session", &error);

  g_assert_null (imported);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_FILE);
  g_assert_cmpstr (error->message, ==, "/nonexistent/x.session: no such file");
}

static void
test_official_mismatch_kept (void)
{
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autofree char *path
    = copy_demo (dir, "ga-es11-2022-03-02.session", "official=141,5,35,12", "official=140,5,35,12");
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) imported = rc_import_session_file (path, &error);
  RcVote *vote;
  const RcEvent *last;

  g_assert_no_error (error);
  /* Not smoothed over: the announcement says what the source said… */
  last = g_ptr_array_index (imported->events, imported->events->len - 1);
  g_assert_cmpint (last->type, ==, RC_EVENT_VOTE_ANNOUNCED);
  g_assert_true (last->has_official);
  g_assert_cmpuint (last->official.yes, ==, 140);
  /* …the ballots still count 141, the model flags it, and the importer warns. */
  vote = find_vote (imported->session, "es-11-1");
  g_assert_cmpuint (rc_vote_get_tally (vote)->yes, ==, 141);
  g_assert_true (rc_vote_has_mismatch (vote));
  g_assert_cmpuint (imported->warnings->len, ==, 1);
  rc_test_assert_one_line (g_ptr_array_index (imported->warnings, 0));
  g_assert_nonnull (strstr (g_ptr_array_index (imported->warnings, 0),
                            "vote 'es-11-1': the official totals 140-5-35-12 differ from the "
                            "ballots' 141-5-35-12; kept as stated"));
  rc_test_remove_tree (dir);
}

static void
test_chamber_from_data_path (void)
{
  /* An installed session source names its chamber by data path, not beside itself. */
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autofree char *source = demo_path ("sc-2022-02-25.session");
  g_autofree char *demo_dir = g_path_get_dirname (source);
  g_autofree char *path = g_build_filename (dir, "sc.session", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *ballots = g_strdup_printf ("ballots=%s/", demo_dir);
  g_autoptr (GString) text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) imported = NULL;

  g_assert_nonnull (g_getenv ("ROLLCALL_DATA_PATH"));
  g_assert_true (g_file_get_contents (source, &contents, NULL, NULL));
  text = g_string_new (contents);
  g_assert_cmpuint (g_string_replace (text, "chamber=../chambers/", "chamber=chambers/", 0), ==, 1);
  g_string_replace (text, "ballots=", ballots, 0);
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));

  imported = rc_import_session_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rc_session_get_chamber (imported->session)->id, ==, "UNSC");
  rc_test_remove_tree (dir);
}

/* ---------------------------------------------------------------- not recorded */

/* The Security Council source with one more vote: group is the rest of its [Vote nr]
 * group (without majority=, the Council's own); csv, if given, is written beside it
 * as nr.csv and named by ballots=. */
static RcImportedSession *
import_with_vote (const char *dir, const char *group, const char *csv, GError **error)
{
  g_autofree char *csv_path = g_build_filename (dir, "nr.csv", NULL);
  g_autofree char *path = copy_demo (dir, "sc-2022-02-25.session", NULL, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;

  if (csv != NULL)
    g_assert_true (g_file_set_contents (csv_path, csv, -1, NULL));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  text
    = g_strdup_printf ("%s\n[Vote nr]\ntitle=Procedural\nopens=200\nduration=8\n%s\n%s%s\n",
                       contents, group, csv != NULL ? "ballots=" : "", csv != NULL ? csv_path : "");
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return rc_import_session_file (path, error);
}

/* What the journal says of vote nr: no member's choice, whatever else. */
static guint
assert_no_choices (GPtrArray *events, RcChoice allowed)
{
  guint n_ballots = 0;

  for (guint i = 0; i < events->len; i++)
    {
      const RcEvent *e = g_ptr_array_index (events, i);

      if (g_strcmp0 (e->vote_id, "nr") != 0)
        continue;
      g_assert_true (e->type != RC_EVENT_VOTE_CORRECTED);
      if (e->type == RC_EVENT_VOTE_LOCKED)
        g_assert_null (e->ballots);
      if (e->type != RC_EVENT_BALLOT)
        continue;
      g_assert_true (e->choice == allowed || e->choice == RC_CHOICE_NO_RIGHT);
      n_ballots++;
    }
  return n_ballots;
}

static void
test_not_recorded (void)
{
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) imported
    = import_with_vote (dir, "majority=simple\nrecorded=false\nofficial=9,2,4,0", NULL, &error);
  g_autoptr (GString) types = g_string_new (NULL);
  g_autoptr (RcSession) session = NULL;
  const RcEvent *last;
  RcVote *vote;

  g_assert_no_error (error);
  g_assert_cmpuint (imported->warnings->len, ==, 0);
  /* No ballots: opened, locked after the whole duration, announced with the totals. */
  g_assert_cmpuint (assert_no_choices (imported->events, RC_CHOICE_HIDDEN), ==, 0);
  for (guint i = 0; i < imported->events->len; i++)
    {
      const RcEvent *e = g_ptr_array_index (imported->events, i);

      if (g_strcmp0 (e->vote_id, "nr") == 0)
        g_string_append_printf (types, "%s ", rc_event_type_to_string (e->type));
    }
  g_assert_cmpstr (types->str, ==, "vote-scheduled on-air vote-opened vote-locked vote-announced ");
  last = g_ptr_array_index (imported->events, imported->events->len - 1);
  g_assert_cmpint (last->type, ==, RC_EVENT_VOTE_ANNOUNCED);
  g_assert_true (last->has_official);
  g_assert_cmpuint (last->official.yes, ==, 9);
  g_assert_cmpuint (last->official.no, ==, 2);
  g_assert_cmpuint (last->official.abstain, ==, 4);

  session = fold (imported->events);
  vote = find_vote (session, "nr");
  g_assert_false (rc_vote_get_info (vote)->recorded);
  g_assert_cmpint (rc_vote_get_state (vote), ==, RC_VOTE_ANNOUNCED);
  g_assert_cmpint (rc_vote_get_locked_at (vote) - rc_vote_get_opened_at (vote), >=,
                   8 * G_USEC_PER_SEC);
  rc_test_remove_tree (dir);
}

static void
test_not_recorded_voted (void)
{
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) same = NULL;
  g_autoptr (RcImportedSession) differ = NULL;

  /* Who pressed a button, and no more: "voted" ballots only. */
  same = import_with_vote (dir, "majority=simple\nrecorded=false\nofficial=1,1,0,13",
                           "iso3,vote\nALB,V\nBRA,V\nCHN,X\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assert_no_choices (same->events, RC_CHOICE_HIDDEN), ==, 2);
  g_assert_cmpuint (same->warnings->len, ==, 0);

  /* Totals counting three votes cast against two members who pressed: kept, said. */
  differ = import_with_vote (dir, "majority=simple\nrecorded=false\nofficial=2,1,0,12",
                             "iso3,vote\nALB,V\nBRA,V\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (differ->warnings->len, ==, 1);
  rc_test_assert_one_line (g_ptr_array_index (differ->warnings, 0));
  g_assert_nonnull (strstr (g_ptr_array_index (differ->warnings, 0),
                            "vote 'nr': the official totals count 3 votes cast but the ballots "
                            "say 2 members voted; kept as stated"));
  rc_test_remove_tree (dir);
}

typedef struct {
  const char *name;
  const char *group;
  const char *csv;
  const char *reason;
} NotRecordedRefusal;

static const NotRecordedRefusal not_recorded_refusals[] = {
  { "no-official", "majority=simple\nrecorded=false", NULL,
    "[Vote nr] recorded=false: a vote that is not recorded publishes its totals only, so it "
    "needs 'official'" },
  { "choice", "majority=simple\nrecorded=false\nofficial=1,0,0,14", "iso3,vote\nALB,V\nBRA,Y\n",
    "nr.csv:3: vote 'Y' of BRA: the vote is not recorded, so its ballots say only V (voted) or "
    "X (did not vote)" },
  { "changes", "majority=simple\nrecorded=false\nofficial=1,0,0,14\nchanges=true", NULL,
    "[Vote nr] changes: a vote that is not recorded has no choices to change" },
  { "no-right-voted", "majority=simple\nrecorded=false\nofficial=1,0,0,14\nno-right=ALB",
    "iso3,vote\nALB,V\n", "no-right: ALB has no right to vote but the ballots say it voted" },
  { "recorded-without-ballots", "majority=simple\nrecorded=true\nofficial=1,0,0,14", NULL,
    "[Vote nr] needs 'ballots'" },
};

static void
test_not_recorded_refusal (gconstpointer data)
{
  const NotRecordedRefusal *r = data;
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) imported = import_with_vote (dir, r->group, r->csv, &error);

  g_assert_null (imported);
  rc_test_assert_refused (error, RC_ERROR_BAD_FILE, r->reason);
  rc_test_remove_tree (dir);
}

/* The Council's rule names the permanent member voting no: such a vote is recorded. */
static void
test_not_recorded_council (void)
{
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RcImportedSession) imported
    = import_with_vote (dir, "recorded=false\nofficial=9,2,4,0", NULL, &error);

  g_assert_null (imported);
  g_assert_nonnull (error);
  rc_test_assert_one_line (error->message);
  g_assert_nonnull (strstr (error->message, "the session refused a made-up vote-scheduled event"));
  g_assert_nonnull (strstr (error->message, "council"));
  rc_test_remove_tree (dir);
}

static void
test_choice_letters (void)
{
  const struct {
    const char *letter;
    RcChoice choice;
  } good[] = {
    { "Y", RC_CHOICE_YES },        { "N", RC_CHOICE_NO },     { "A", RC_CHOICE_ABSTAIN },
    { "X", RC_CHOICE_NOT_VOTING }, { "V", RC_CHOICE_HIDDEN },
  };
  const char *const bad[] = { "y", "", "YES", "Y ", "P", "no" };
  RcChoice choice;

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_assert_true (rc_import_choice_from_letter (good[i].letter, &choice));
      g_assert_cmpint (choice, ==, good[i].choice);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (rc_import_choice_from_letter (bad[i], &choice));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import-session/general-assembly", test_general_assembly);
  g_test_add_func ("/import-session/security-council", test_security_council);
  g_test_add_func ("/import-record/name-case", test_record_name_case);
  g_test_add_func ("/import-session/security-council-procedural", test_security_council_procedural);
  g_test_add_func ("/import-session/deterministic", test_deterministic);
  g_test_add_func ("/import-session/through-archive", test_through_archive);
  g_test_add_func ("/import-session/official-mismatch-kept", test_official_mismatch_kept);
  g_test_add_func ("/import-session/chamber-from-data-path", test_chamber_from_data_path);
  g_test_add_func ("/import-session/not-recorded", test_not_recorded);
  g_test_add_func ("/import-session/not-recorded-voted", test_not_recorded_voted);
  g_test_add_func ("/import-session/choice-letters", test_choice_letters);
  g_test_add_func ("/import-session/result-shown", test_result_shown);
  g_test_add_func ("/import-session/refuse/not-recorded-council", test_not_recorded_council);
  g_test_add_func ("/import-session/refuse/missing-file", test_missing_file);
  for (gsize i = 0; i < G_N_ELEMENTS (not_recorded_refusals); i++)
    {
      g_autofree char *path
        = g_strdup_printf ("/import-session/refuse/not-recorded-%s", not_recorded_refusals[i].name);
      g_test_add_data_func (path, &not_recorded_refusals[i], test_not_recorded_refusal);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *path = g_strdup_printf ("/import-session/refuse/%s", refusals[i].name);
      g_test_add_data_func (path, &refusals[i], test_refusal);
    }
  return g_test_run ();
}
