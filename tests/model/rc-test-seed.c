/* rc-test-seed.c — the two seed votes as sessions, for the model's tests. */
#include "rc-test-seed.h"

#include "model/rc-chamber.h"
#include "model/rc-csv.h"
#include "model/rc-paths.h"

#define T0 G_GINT64_CONSTANT (1646238900000000) /* 2022-03-02T16:35:00Z */

void
rc_test_apply (RcSession *session, RcEvent *event)
{
  g_autoptr (RcEvent) owned = event;
  g_autoptr (RcEvent) numbered = rc_event_with_seq (event, rc_session_get_last_seq (session) + 1);
  g_autoptr (GError) error = NULL;

  rc_session_apply (session, numbered, &error);
  g_assert_no_error (error);
}

GHashTable *
rc_test_seed_ballots (const char *which)
{
  const char *root = g_getenv ("ROLLCALL_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcCsv) csv = NULL;
  GHashTable *ballots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int code_col, vote_col;

  /* the project's own copies of the reference ballots (data/demo/, checked against
   * ../shared/data by tests/data) */
  g_assert_nonnull (root);
  path = g_build_filename (root, "data", "demo",
                           g_str_equal (which, "ga") ? "a-res-es-11-1.csv" : "s-2022-155.csv",
                           NULL);
  csv = rc_csv_load (path, &error);
  g_assert_no_error (error);
  code_col = rc_csv_column (csv, "iso3");
  vote_col = rc_csv_column (csv, "vote");
  g_assert_cmpint (code_col, >=, 0);
  g_assert_cmpint (vote_col, >=, 0);
  for (guint i = 0; i < csv->rows->len; i++)
    {
      GStrv row = g_ptr_array_index (csv->rows, i);
      RcChoice c;

      switch (row[vote_col][0])
        {
        case 'Y': c = RC_CHOICE_YES; break;
        case 'N': c = RC_CHOICE_NO; break;
        case 'A': c = RC_CHOICE_ABSTAIN; break;
        case 'X': c = RC_CHOICE_NOT_VOTING; break;
        default: g_assert_not_reached ();
        }
      g_hash_table_insert (ballots, g_strdup (row[code_col]), GINT_TO_POINTER (c));
    }
  return ballots;
}

RcSession *
rc_test_seed_open (const char *which, RcVoteInfo *info)
{
  gboolean ga = g_str_equal (which, "ga");
  g_autofree char *path = rc_paths_find_data (ga ? "chambers/unga.chamber"
                                                 : "chambers/unsc.chamber");
  g_autoptr (GError) error = NULL;
  g_autoptr (RcChamber) chamber = NULL;
  g_autoptr (RcRoster) roster = NULL;
  RcSessionInfo sinfo = {
    .id = ga ? "ga-es11-pv5" : "sc-pv8979",
    .meeting = ga ? "A/ES-11/PV.5" : "S/PV.8979",
    .date = ga ? "2022-03-02" : "2022-02-25",
    .title = ga ? "Eleventh emergency special session" : "8979th meeting",
    .timezone = "America/New_York",
  };
  RcVoteInfo default_info = {
    .id = ga ? "es-11-1" : "s-2022-155",
    .symbol = ga ? "A/RES/ES-11/1" : NULL,
    .draft = ga ? "A/ES-11/L.1" : "S/2022/155",
    .title = ga ? "Aggression against Ukraine" : "Draft resolution",
    .majority = ga ? RC_MAJORITY_TWO_THIRDS : RC_MAJORITY_COUNCIL,
    .recorded = TRUE,
    .reveal = RC_REVEAL_LIVE,
  };
  RcSession *session = rc_session_new ();

  g_assert_nonnull (path);
  chamber = rc_chamber_load (path, &error);
  g_assert_no_error (error);
  roster = rc_chamber_roster_at (chamber, sinfo.date, &error);
  g_assert_no_error (error);

  rc_test_apply (session, rc_event_new_session (T0, &sinfo, rc_chamber_get_info (chamber),
                                                roster));
  rc_test_apply (session, rc_event_new_vote_scheduled (T0 + 1000000,
                                                       info ? info : &default_info));
  return session;
}

RcSession *
rc_test_seed_final (const char *which)
{
  RcSession *session = rc_test_seed_open (which, NULL);
  g_autoptr (GHashTable) ballots = rc_test_seed_ballots (which);
  RcVote *vote = rc_session_get_vote (session, 0);
  const char *id = rc_vote_get_id (vote);
  GHashTableIter iter;
  gpointer code, choice;
  gint64 t = T0 + 2000000;

  rc_test_apply (session, rc_event_new_vote_opened (t, id));
  if (g_str_equal (which, "ga")) /* Venezuela: Art. 19 */
    rc_test_apply (session, rc_event_new_ballot (t, id, "VEN", RC_CHOICE_NO_RIGHT));
  g_hash_table_iter_init (&iter, ballots);
  while (g_hash_table_iter_next (&iter, &code, &choice))
    if (rc_choice_is_cast (GPOINTER_TO_INT (choice)))
      rc_test_apply (session, rc_event_new_ballot (t += 100000, id, code,
                                                   GPOINTER_TO_INT (choice)));
  rc_test_apply (session, rc_event_new_vote_locked (t += 1000000, id, NULL));
  rc_test_apply (session, rc_event_new_vote_announced (t += 1000000, id, NULL));
  return session;
}
