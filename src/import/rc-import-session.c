/* rc-import-session.c — makes a meeting's journal from a session source.
 *
 * The timeline is synthesized (the session event says so) but shaped like a real
 * electronic vote: the vote is scheduled and put on air, opens, most delegations
 * press their button in the first ~60% of the window and a tail follows, a few
 * change their minds while the machine is open, then it is locked and the result
 * announced. All randomness comes from one GRand seeded from the file, drawn in a
 * fixed order, so the same file always makes the same journal. Every event goes
 * through the session state machine as it is made: an importer cannot write a
 * journal the model would refuse to replay. */
#include "rc-import-session.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "codec/rc-codec.h"
#include "model/rc-chamber.h"
#include "model/rc-csv.h"
#include "model/rc-error.h"
#include "model/rc-paths.h"
#include "model/rc-rules.h"

typedef struct {
  const char *path; /* the session file, for messages */
  char *dir;
  GKeyFile *kf;
  RcChamber *chamber;
  RcRoster *roster;
  const char *date;
  GRand *rand;
  gint64 start;
  gint64 last_time;
  RcImportedSession *out;
} Import;

/* A member's final ballot or a first press it later changes. */
typedef struct {
  gint64 time;
  guint order; /* tie-break, so equal times still sort the same way everywhere */
  const char *member;
  RcChoice choice;
} Press;

static const char *const session_keys[]
  = { "id", "meeting", "date", "title", "timezone", "chamber", "start", "seed", NULL };
static const char *const vote_keys[]
  = { "symbol",  "draft",    "title",    "majority", "recorded", "reveal",  "result",
      "ballots", "no-right", "official", "opens",    "duration", "changes", NULL };

void
rc_imported_session_free (RcImportedSession *imported)
{
  if (imported == NULL)
    return;
  g_clear_pointer (&imported->events, g_ptr_array_unref);
  g_clear_object (&imported->session);
  g_clear_pointer (&imported->warnings, g_ptr_array_unref);
  g_free (imported);
}

/* ---------------------------------------------------------------- reading keys */

G_GNUC_PRINTF (5, 6)
static gboolean
fail (Import *im, GError **error, RcError code, const char *group, const char *format, ...)
{
  va_list args;
  g_autofree char *reason = NULL;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  if (group != NULL)
    g_set_error (error, RC_ERROR, code, _ ("%s: [%s] %s"), im->path, group, reason);
  else
    g_set_error (error, RC_ERROR, code, _ ("%s: %s"), im->path, reason);
  return FALSE;
}

static gboolean
check_keys (Import *im, const char *group, const char *const *allowed, GError **error)
{
  g_auto (GStrv) keys = g_key_file_get_keys (im->kf, group, NULL, NULL);

  /* A misspelt key would otherwise be silently ignored: "offical=" drops the totals. */
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_strv_contains (allowed, keys[i]))
      return fail (im, error, RC_ERROR_BAD_FILE, group, "unknown key '%s'", keys[i]);
  return TRUE;
}

/* The stripped value, or NULL (an error only when required). */
static char *
get_value (Import *im, const char *group, const char *key, gboolean required, GError **error)
{
  g_autofree char *value = g_key_file_get_string (im->kf, group, key, NULL);

  if (value != NULL)
    g_strstrip (value);
  if (value == NULL || *value == '\0')
    {
      if (required)
        fail (im, error, RC_ERROR_BAD_FILE, group, "needs '%s'", key);
      return NULL;
    }
  return g_steal_pointer (&value);
}

static gboolean
get_bool (Import *im, const char *group, const char *key, gboolean fallback, gboolean *out,
          GError **error)
{
  g_autofree char *value = get_value (im, group, key, FALSE, NULL);

  *out = fallback;
  if (value == NULL)
    return TRUE;
  if (g_str_equal (value, "true"))
    *out = TRUE;
  else if (g_str_equal (value, "false"))
    *out = FALSE;
  else
    return fail (im, error, RC_ERROR_BAD_FILE, group, "%s: '%s' is not true or false", key, value);
  return TRUE;
}

/* Seconds (decimals allowed) as µs, rounded to the millisecond the wire carries. */
static gboolean
get_seconds (Import *im, const char *group, const char *key, gint64 *out, GError **error)
{
  g_autofree char *value = get_value (im, group, key, TRUE, error);
  char *end = NULL;
  double seconds;

  if (value == NULL)
    return FALSE;
  seconds = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !isfinite (seconds) || seconds < 0 || seconds > 7 * 86400)
    return fail (im, error, RC_ERROR_BAD_FILE, group, "%s: '%s' is not a number of seconds", key,
                 value);
  *out = (gint64) llround (seconds * 1000) * 1000;
  return TRUE;
}

static gint64
random_ms (Import *im, double from_seconds, double to_seconds)
{
  return (gint64) llround (g_rand_double_range (im->rand, from_seconds, to_seconds) * 1000) * 1000;
}

/* ---------------------------------------------------------------- events */

static gboolean
emit (Import *im, RcEvent *event, GError **error)
{
  g_autoptr (GError) local = NULL;

  event->seq = im->out->events->len + 1; /* not shared yet */
  g_assert (event->time >= im->last_time);
  if (!rc_session_apply (im->out->session, event, &local))
    {
      g_set_error (error, RC_ERROR, local->code,
                   _ ("%s: the session refused a made-up %s event: %s"), im->path,
                   rc_event_type_to_string (event->type), local->message);
      rc_event_unref (event);
      return FALSE;
    }
  im->last_time = event->time;
  g_ptr_array_add (im->out->events, event);
  return TRUE;
}

static gboolean
resolve_chamber (Import *im, GError **error)
{
  g_autofree char *value = get_value (im, "Session", "chamber", TRUE, error);
  g_autofree char *path = NULL;

  if (value == NULL)
    return FALSE;
  /* Relative to the session file, which is what works from a build tree; else a data
   * path such as chambers/unga.chamber, which is what works once installed. */
  if (g_path_is_absolute (value))
    path = g_strdup (value);
  else
    path = g_build_filename (im->dir, value, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !g_path_is_absolute (value))
    {
      g_autofree char *found = rc_paths_find_data (value);

      if (found != NULL)
        {
          g_free (path);
          path = g_steal_pointer (&found);
        }
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return fail (im, error, RC_ERROR_BAD_FILE, "Session",
                 "chamber '%s' not found (next to the file or in the data path)", value);
  im->chamber = rc_chamber_load (path, error);
  return im->chamber != NULL;
}

static gboolean
make_session_event (Import *im, GError **error)
{
  RcSessionInfo info = { 0 };
  g_autofree char *id = get_value (im, "Session", "id", TRUE, error);
  g_autofree char *meeting = NULL, *date = NULL, *title = NULL, *timezone = NULL;
  g_autofree char *start = NULL, *seed = NULL;
  g_autoptr (GError) local = NULL;
  guint64 seed_value;

  if (id == NULL || (meeting = get_value (im, "Session", "meeting", TRUE, error)) == NULL
      || (date = get_value (im, "Session", "date", TRUE, error)) == NULL
      || (title = get_value (im, "Session", "title", TRUE, error)) == NULL
      || (timezone = get_value (im, "Session", "timezone", TRUE, error)) == NULL
      || (start = get_value (im, "Session", "start", TRUE, error)) == NULL
      || (seed = get_value (im, "Session", "seed", TRUE, error)) == NULL)
    return FALSE;
  if (strpbrk (id, " \t") != NULL)
    return fail (im, error, RC_ERROR_BAD_FILE, "Session", "id '%s' must not contain spaces", id);
  if (!rc_codec_parse_time (start, &im->start))
    return fail (im, error, RC_ERROR_BAD_FILE, "Session",
                 "start: '%s' is not a UTC time like 2022-03-02T16:35:00Z", start);
  if (!g_ascii_string_to_unsigned (seed, 10, 0, G_MAXUINT32, &seed_value, NULL))
    return fail (im, error, RC_ERROR_BAD_FILE, "Session",
                 "seed: '%s' is not a whole number up to %u", seed, G_MAXUINT32);
  im->rand = g_rand_new_with_seed ((guint32) seed_value);

  if (!resolve_chamber (im, error))
    return FALSE;
  im->roster = rc_chamber_roster_at (im->chamber, date, &local);
  if (im->roster == NULL)
    return fail (im, error, RC_ERROR_BAD_FILE, "Session", "%s", local->message);

  info.id = id;
  info.meeting = meeting;
  info.date = date;
  info.title = title;
  info.timezone = timezone;
  info.synthesized = TRUE;
  im->last_time = im->start;
  if (!emit (im,
             rc_event_new_session (im->start, &info, rc_chamber_get_info (im->chamber), im->roster),
             error))
    return FALSE;
  im->date = rc_session_get_info (im->out->session)->date;
  return TRUE;
}

static const char *
chamber_name (Import *im)
{
  return rc_chamber_get_info (im->chamber)->name;
}

gboolean
rc_import_choice_from_letter (const char *letter, RcChoice *out)
{
  static const struct {
    const char *letter;
    RcChoice choice;
  } letters[] = {
    { "Y", RC_CHOICE_YES },        { "N", RC_CHOICE_NO },     { "A", RC_CHOICE_ABSTAIN },
    { "X", RC_CHOICE_NOT_VOTING }, { "V", RC_CHOICE_HIDDEN },
  };

  g_return_val_if_fail (letter != NULL, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (letters); i++)
    if (g_str_equal (letter, letters[i].letter))
      {
        *out = letters[i].choice;
        return TRUE;
      }
  return FALSE;
}

/* A member who pressed a button: a choice, or "voted" in a vote that is not recorded. */
static gboolean
pressed (RcChoice choice)
{
  return rc_choice_is_cast (choice) || choice == RC_CHOICE_HIDDEN;
}

/* Reads code,vote rows into choices (one per roster member, PENDING if absent). The
 * file is required for a recorded vote and optional for one that is not. */
static gboolean
read_ballots (Import *im, const char *group, gboolean recorded, RcChoice *choices, GError **error)
{
  g_autofree char *value = get_value (im, group, "ballots", recorded, error);
  g_autofree char *path = NULL;
  g_autofree guint *seen_on = NULL;
  g_autoptr (RcCsv) csv = NULL;
  int code_column, vote_column;

  if (value == NULL)
    return !recorded;
  path = g_path_is_absolute (value) ? g_strdup (value) : g_build_filename (im->dir, value, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return fail (im, error, RC_ERROR_BAD_FILE, group, "ballots: %s: no such file", path);
  csv = rc_csv_load (path, error);
  if (csv == NULL)
    return FALSE;

  code_column = rc_csv_column (csv, "iso3");
  if (code_column < 0)
    code_column = rc_csv_column (csv, "code");
  vote_column = rc_csv_column (csv, "vote");
  if (code_column < 0 || vote_column < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("%s:1: needs an 'iso3' (or 'code') column and a 'vote' column"), path);
      return FALSE;
    }

  seen_on = g_new0 (guint, rc_roster_get_size (im->roster));
  for (guint i = 0; i < csv->rows->len; i++)
    {
      GStrv row = g_ptr_array_index (csv->rows, i);
      guint line = g_array_index (csv->lines, guint, i);
      g_autofree char *code = g_strstrip (g_strdup (row[code_column]));
      g_autofree char *vote = g_strstrip (g_strdup (row[vote_column]));
      int index = rc_roster_find (im->roster, code);
      RcChoice choice;

      if (index < 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_UNKNOWN_MEMBER,
                       _ ("%s:%u: member '%s' is not on the roster of the %s on %s"), path, line,
                       code, chamber_name (im), im->date);
          return FALSE;
        }
      if (seen_on[index] != 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: member '%s' is listed twice (first on line %u)"), path, line,
                       code, seen_on[index]);
          return FALSE;
        }
      seen_on[index] = line;

      if (!rc_import_choice_from_letter (vote, &choice))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: vote '%s' of %s is not Y, N, A, X or V"), path, line, vote, code);
          return FALSE;
        }
      /* A vote that is not recorded publishes totals only: no member's choice may
       * reach its journal, and a recorded one needs every member's choice. */
      if (!recorded && rc_choice_is_cast (choice))
        {
          g_set_error (
            error, RC_ERROR, RC_ERROR_BAD_FILE,
            _ ("%s:%u: vote '%s' of %s: the vote is not recorded, so its ballots say only "
               "V (voted) or X (did not vote)"),
            path, line, vote, code);
          return FALSE;
        }
      if (recorded && choice == RC_CHOICE_HIDDEN)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("%s:%u: vote 'V' of %s: the vote is recorded, so its ballots say Y, N, A "
                          "or X"),
                       path, line, code);
          return FALSE;
        }
      choices[index] = choice;
    }
  return TRUE;
}

/* Marks the no-right members; a member without the right to vote cannot have voted. */
static gboolean
read_no_right (Import *im, const char *group, RcChoice *choices, GError **error)
{
  g_autofree char *value = get_value (im, group, "no-right", FALSE, NULL);
  g_auto (GStrv) codes = NULL;

  if (value == NULL)
    return TRUE;
  codes = g_strsplit (value, ",", -1);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      const char *code = g_strstrip (codes[i]);
      int index = rc_roster_find (im->roster, code);

      if (index < 0)
        return fail (im, error, RC_ERROR_UNKNOWN_MEMBER, group,
                     "no-right: '%s' is not on the roster of the %s on %s", code, chamber_name (im),
                     im->date);
      if (pressed (choices[index]))
        return fail (im, error, RC_ERROR_BAD_FILE, group,
                     "no-right: %s has no right to vote but the ballots say it voted %s", code,
                     rc_choice_is_cast (choices[index]) ? rc_choice_to_string (choices[index])
                                                        : "(V)");
      choices[index] = RC_CHOICE_NO_RIGHT;
    }
  return TRUE;
}

static gboolean
read_official (Import *im, const char *group, RcTally *official, gboolean *has, GError **error)
{
  g_autofree char *value = get_value (im, group, "official", FALSE, NULL);
  g_auto (GStrv) parts = NULL;
  guint64 n[4];

  *has = FALSE;
  if (value == NULL)
    return TRUE;
  parts = g_strsplit (value, ",", -1);
  if (g_strv_length (parts) != 4)
    return fail (im, error, RC_ERROR_BAD_FILE, group,
                 "official: '%s' is not yes,no,abstain,not-voting like 141,5,35,12", value);
  for (guint i = 0; i < 4; i++)
    if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 0, G_MAXUINT16, &n[i], NULL))
      return fail (im, error, RC_ERROR_BAD_FILE, group,
                   "official: '%s' is not yes,no,abstain,not-voting like 141,5,35,12", value);
  memset (official, 0, sizeof *official);
  official->yes = n[0];
  official->no = n[1];
  official->abstain = n[2];
  official->not_voting = n[3];
  *has = TRUE;
  return TRUE;
}

static gboolean
read_vote_info (Import *im, const char *group, RcVoteInfo *info, GError **error)
{
  g_autofree char *majority = get_value (im, group, "majority", FALSE, NULL);
  g_autofree char *reveal = get_value (im, group, "reveal", FALSE, NULL);
  g_autofree char *result = get_value (im, group, "result", FALSE, NULL);

  info->majority = rc_chamber_get_info (im->chamber)->rules.default_majority;
  info->reveal = RC_REVEAL_LIVE;
  info->symbol = get_value (im, group, "symbol", FALSE, NULL);
  info->draft = get_value (im, group, "draft", FALSE, NULL);
  info->title = get_value (im, group, "title", TRUE, error);
  if (info->title == NULL)
    return FALSE;
  /* A session source is written by someone who knows the rule: no "unknown" here. */
  if (majority != NULL
      && (!rc_majority_from_string (majority, &info->majority)
          || info->majority == RC_MAJORITY_UNKNOWN))
    return fail (im, error, RC_ERROR_BAD_FILE, group,
                 "majority: '%s' is not simple, two-thirds, absolute, council or procedural",
                 majority);
  if (reveal != NULL && !rc_reveal_from_string (reveal, &info->reveal))
    return fail (im, error, RC_ERROR_BAD_FILE, group, "reveal: '%s' is not live or after-lock",
                 reveal);
  info->result_shown = RC_RESULT_WHEN_ANNOUNCED;
  if (result != NULL && !rc_result_shown_from_string (result, &info->result_shown))
    return fail (im, error, RC_ERROR_BAD_FILE, group,
                 "result: '%s' is not when-announced or at-lock", result);
  return get_bool (im, group, "recorded", TRUE, &info->recorded, error);
}

static int
compare_presses (gconstpointer a, gconstpointer b)
{
  const Press *pa = a, *pb = b;

  if (pa->time != pb->time)
    return pa->time < pb->time ? -1 : 1;
  return pa->order < pb->order ? -1 : pa->order > pb->order;
}

/* The ballots' times: offsets from the opening, in µs (ms resolution). */
static GArray *
make_presses (Import *im, const RcChoice *choices, gint64 opened, gint64 duration, gboolean changes)
{
  guint n_members = rc_roster_get_size (im->roster);
  g_autoptr (GArray) presses = g_array_new (FALSE, FALSE, sizeof (Press));
  guint n_changes = 0;

  for (guint i = 0; i < n_members; i++)
    {
      Press p = { 0 };
      double x;

      if (!pressed (choices[i]))
        continue;
      /* Most press within the first 60% of the window (a hump around 30%), a sixth
       * or so trail in over the rest. */
      if (g_rand_double (im->rand) < 0.85)
        {
          /* One draw per statement: the order of calls within an expression is not
           * fixed by C, and the journal must not depend on the compiler. */
          double a = g_rand_double (im->rand);
          double b = g_rand_double (im->rand);
          double c = g_rand_double (im->rand);

          x = 0.6 * (a + b + c) / 3;
        }
      else
        x = 0.6 + 0.4 * g_rand_double (im->rand);
      p.time = opened + MAX ((gint64) llround (x * duration / 1000) * 1000, 1000);
      p.member = rc_roster_get_member (im->roster, i)->code;
      p.choice = choices[i];
      g_array_append_val (presses, p);
    }

  /* The machine allows a change while it is open; a few delegations use it. */
  if (changes && presses->len > 0)
    {
      double share = g_rand_double_range (im->rand, 0.02, 0.03);

      n_changes = CLAMP ((guint) lround (presses->len * share), 1, presses->len);
    }
  for (guint k = 0, n_final = presses->len; k < n_changes; k++)
    {
      /* A partial Fisher–Yates shuffle over the final ballots picks distinct members. */
      guint j = k + g_rand_int_range (im->rand, 0, n_final - k);
      Press tmp = g_array_index (presses, Press, k);
      Press *final, first;
      int side = g_rand_int_range (im->rand, 0, 2);

      g_array_index (presses, Press, k) = g_array_index (presses, Press, j);
      g_array_index (presses, Press, j) = tmp;
      final = &g_array_index (presses, Press, k);

      /* Hesitation runs between abstaining and taking a side, not from one side to
       * the other. */
      first = *final;
      if (final->choice == RC_CHOICE_ABSTAIN)
        first.choice = side ? RC_CHOICE_YES : RC_CHOICE_NO;
      else
        first.choice = RC_CHOICE_ABSTAIN;
      first.time = final->time - random_ms (im, 1.5, 6.0);
      if (first.time <= opened)
        first.time = opened + (final->time - opened) / 2000 * 1000;
      if (first.time >= final->time)
        final->time = first.time + 1000;
      g_array_append_val (presses, first);
    }

  for (guint i = 0; i < presses->len; i++)
    g_array_index (presses, Press, i).order = i;
  g_array_sort (presses, compare_presses);
  return g_steal_pointer (&presses);
}

/* Warns when the official totals differ from what the ballots say: kept as stated,
 * the board shows the mismatch, it is never smoothed over. */
static void
check_official (Import *im, const RcVoteInfo *info, const RcChoice *choices,
                const RcTally *official)
{
  const RcTally *tally = rc_vote_get_tally (rc_session_find_vote (im->out->session, info->id));
  guint n_members = rc_roster_get_size (im->roster), n_voted = 0;

  if (info->recorded)
    {
      if (official->yes != tally->yes || official->no != tally->no
          || official->abstain != tally->abstain || official->not_voting != tally->not_voting)
        g_ptr_array_add (im->out->warnings,
                         g_strdup_printf ("%s: vote '%s': the official totals %u-%u-%u-%u differ "
                                          "from the ballots' %u-%u-%u-%u; kept as stated",
                                          im->path, info->id, official->yes, official->no,
                                          official->abstain, official->not_voting, tally->yes,
                                          tally->no, tally->abstain, tally->not_voting));
      return;
    }
  /* Not recorded: the totals are the result; the ballots, if any, only say who voted. */
  for (guint i = 0; i < n_members; i++)
    n_voted += choices[i] == RC_CHOICE_HIDDEN;
  if (n_voted > 0 && n_voted != official->yes + official->no + official->abstain)
    g_ptr_array_add (im->out->warnings,
                     g_strdup_printf ("%s: vote '%s': the official totals count %u votes cast "
                                      "but the ballots say %u members voted; kept as stated",
                                      im->path, info->id,
                                      official->yes + official->no + official->abstain, n_voted));
}

/* The vote's keys, checked together. A vote that is not recorded publishes totals
 * only: they are its result, so it needs them, and it has no choices to change. */
static gboolean
read_vote (Import *im, const char *group, RcVoteInfo *info, gint64 *opens, gint64 *duration,
           gboolean *changes, RcChoice *choices, RcTally *official, gboolean *has_official,
           GError **error)
{
  if (!check_keys (im, group, vote_keys, error) || !read_vote_info (im, group, info, error)
      || !get_seconds (im, group, "opens", opens, error)
      || !get_seconds (im, group, "duration", duration, error)
      || !get_bool (im, group, "changes", FALSE, changes, error)
      || !read_ballots (im, group, info->recorded, choices, error)
      || !read_no_right (im, group, choices, error)
      || !read_official (im, group, official, has_official, error))
    return FALSE;
  if (!info->recorded && !*has_official)
    return fail (im, error, RC_ERROR_BAD_FILE, group,
                 "recorded=false: a vote that is not recorded publishes its totals only, so it "
                 "needs 'official'");
  if (!info->recorded && *changes)
    return fail (im, error, RC_ERROR_BAD_FILE, group,
                 "changes: a vote that is not recorded has no choices to change");
  return TRUE;
}

static gboolean
make_vote (Import *im, const char *group, GError **error)
{
  g_autoptr (RcVoteInfo) info = g_new0 (RcVoteInfo, 1);
  guint n_members = rc_roster_get_size (im->roster);
  g_autofree RcChoice *choices = g_new0 (RcChoice, n_members);
  g_autoptr (GArray) presses = NULL;
  RcTally official = { 0 };
  gboolean has_official, changes;
  gint64 opens, duration, opened, scheduled, t;

  info->id = g_strdup (group + strlen ("Vote "));
  g_strstrip (info->id);
  if (info->id[0] == '\0' || strpbrk (info->id, " \t") != NULL)
    return fail (im, error, RC_ERROR_BAD_FILE, group,
                 "needs a vote id without spaces, like [Vote es-11-1]");
  if (!read_vote (im, group, info, &opens, &duration, &changes, choices, &official, &has_official,
                  error))
    return FALSE;

  opened = im->start + opens;
  if (opened < im->last_time)
    return fail (im, error, RC_ERROR_BAD_FILE, group,
                 "opens: at +%.0f s it would open before the previous vote ends (+%.0f s)",
                 opens / 1e6, (im->last_time - im->start) / 1e6);
  /* Scheduled a little before it opens, and on the screens right away. */
  scheduled = MAX (im->last_time, opened - 20 * G_USEC_PER_SEC);
  if (!emit (im, rc_event_new_vote_scheduled (scheduled, info), error)
      || !emit (
        im, rc_event_new_on_air (MIN (scheduled + 500000, opened), RC_ON_AIR_VOTE, info->id), error)
      || !emit (im, rc_event_new_vote_opened (opened, info->id), error))
    return FALSE;

  for (guint i = 0; i < n_members; i++)
    if (choices[i] == RC_CHOICE_NO_RIGHT
        && !emit (im,
                  rc_event_new_ballot (opened, info->id, rc_roster_get_member (im->roster, i)->code,
                                       RC_CHOICE_NO_RIGHT),
                  error))
      return FALSE;

  /* Ballots carry what the source knows: a choice, or for a vote that is not
   * recorded only "voted". */
  presses = make_presses (im, choices, opened, duration, changes);
  for (guint i = 0; i < presses->len; i++)
    {
      const Press *p = &g_array_index (presses, Press, i);

      if (!emit (im, rc_event_new_ballot (p->time, info->id, p->member, p->choice), error))
        return FALSE;
    }

  /* Who never pressed is made "not voting" by the lock itself. Without ballots (a vote
   * that is not recorded, say) the machine stays open for the whole duration. */
  t = MAX (im->last_time, opened + (presses->len == 0 ? duration : 0)) + random_ms (im, 2.0, 4.0);
  if (!emit (im, rc_event_new_vote_locked (t, info->id, NULL), error))
    return FALSE;

  if (has_official)
    check_official (im, info, choices, &official);
  t = im->last_time + random_ms (im, 3.0, 6.0);
  return emit (im, rc_event_new_vote_announced (t, info->id, has_official ? &official : NULL),
               error);
}

static void
import_clear (Import *im)
{
  g_free (im->dir);
  g_clear_pointer (&im->kf, g_key_file_unref);
  g_clear_pointer (&im->chamber, rc_chamber_free);
  g_clear_pointer (&im->roster, rc_roster_unref);
  g_clear_pointer (&im->rand, g_rand_free);
  g_clear_pointer (&im->out, rc_imported_session_free);
}

RcImportedSession *
rc_import_session_file (const char *path, GError **error)
{
  Import im = { 0 };
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) groups = NULL;
  RcImportedSession *out;

  g_return_val_if_fail (path != NULL, NULL);

  im.path = path;
  im.dir = g_path_get_dirname (path);
  im.kf = g_key_file_new ();
  im.out = g_new0 (RcImportedSession, 1);
  im.out->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  im.out->session = rc_session_new ();
  im.out->warnings = g_ptr_array_new_with_free_func (g_free);
  g_key_file_set_list_separator (im.kf, ',');

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: no such file"), path);
      goto fail;
    }
  if (!g_key_file_load_from_file (im.kf, path, G_KEY_FILE_NONE, &local))
    {
      g_strdelimit (local->message, "\r\n", ' ');
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: %s"), path, local->message);
      goto fail;
    }
  if (!g_key_file_has_group (im.kf, "Session"))
    {
      fail (&im, error, RC_ERROR_BAD_FILE, NULL, "no [Session] group");
      goto fail;
    }
  if (!check_keys (&im, "Session", session_keys, error) || !make_session_event (&im, error))
    goto fail;

  /* Votes in the order the file lists them. */
  groups = g_key_file_get_groups (im.kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (g_str_equal (groups[i], "Session"))
        continue;
      if (!g_str_has_prefix (groups[i], "Vote "))
        {
          fail (&im, error, RC_ERROR_BAD_FILE, NULL,
                "unknown group [%s]; expected [Session] and [Vote ID] groups", groups[i]);
          goto fail;
        }
      if (!make_vote (&im, groups[i], error))
        goto fail;
    }
  if (rc_session_get_n_votes (im.out->session) == 0)
    {
      fail (&im, error, RC_ERROR_BAD_FILE, NULL, "no [Vote ID] group");
      goto fail;
    }

  out = g_steal_pointer (&im.out);
  import_clear (&im);
  return out;

fail:
  /* The refusals quote the files: GKeyFile's words quote a broken line as it is, and a
   * value may hold a line break (written \n). */
  if (error != NULL && *error != NULL)
    rc_error_make_one_line (*error);
  import_clear (&im);
  return NULL;
}
