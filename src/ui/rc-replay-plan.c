/* rc-replay-plan.c — what `rollcall --replay` plays, resolved from the command line. */
#include "rc-replay-plan.h"

#include <glib/gi18n.h>
#include <math.h>

#include "archive/rc-archive.h"
#include "model/rc-error.h"
#include "model/rc-paths.h"
#include "model/rc-replay.h"

/* The meeting `rollcall` shows when given nothing: the General Assembly's vote of
 * 2 March 2022 (the demo archive also holds the Security Council's of 25 February). */
#define DEMO_SESSION "2022-03-02"

void
rc_replay_plan_free (RcReplayPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->archive_path);
  g_free (plan->session_id);
  g_free (plan->vote_id);
  g_clear_pointer (&plan->events, g_ptr_array_unref);
  g_free (plan->note);
  g_free (plan);
}

RcReplayPlan *
rc_replay_plan_load (const char *archive_path, const char *session_selector,
                     const char *vote_selector, GError **error)
{
  g_autoptr (RcReplayPlan) plan = g_new0 (RcReplayPlan, 1);
  g_autoptr (RcArchive) archive = NULL;
  g_autoptr (GError) local = NULL;

  if (archive_path == NULL)
    {
      plan->archive_path = rc_paths_find_demo_archive ();
      if (plan->archive_path == NULL)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _("the bundled demo archive was not found (looked in "
                         "$ROLLCALL_DATA_PATH and the installed data folder); give one with "
                         "--replay"));
          return NULL;
        }
      if (session_selector == NULL && vote_selector == NULL)
        session_selector = DEMO_SESSION;
    }
  else
    plan->archive_path = g_strdup (archive_path);

  archive = rc_archive_open (plan->archive_path, RC_ARCHIVE_READ_ONLY, error);
  if (archive == NULL)
    return NULL;

  plan->session_id
    = rc_archive_choose_session (archive, session_selector, vote_selector, &plan->note, error);
  if (plan->session_id == NULL)
    return NULL;

  plan->events = rc_archive_load_events (archive, plan->session_id, error);
  if (plan->events == NULL)
    return NULL;
  if (plan->events->len == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("session '%s' in %s has no events"),
                   plan->session_id, plan->archive_path);
      return NULL;
    }

  plan->has_on_air = rc_journal_has_on_air (plan->events);
  plan->start_time = ((const RcEvent *) g_ptr_array_index (plan->events, 0))->time;
  plan->duration =
    ((const RcEvent *) g_ptr_array_index (plan->events, plan->events->len - 1))->time -
    plan->start_time;

  /* A vote is looked up in the whole meeting: it may be scheduled late in the day. */
  if (vote_selector != NULL)
    {
      g_autoptr (RcSession) folded = rc_session_new ();
      RcVote *vote;

      /* A damaged journal plays with its bad events skipped, as the replay and
       * rollcall-render do; say so once. */
      rc_session_fold (folded, plan->events, G_MAXINT64, &local);
      if (local != NULL)
        g_message ("session '%s' in %s has a damaged journal; skipping what it refuses: %s",
                   plan->session_id, plan->archive_path, local->message);
      vote = rc_session_lookup_vote (folded, vote_selector, error);
      if (vote == NULL)
        return NULL;
      plan->vote_id = g_strdup (rc_vote_get_id (vote));
    }

  return g_steal_pointer (&plan);
}

gboolean
rc_replay_plan_parse_speed (const char *text, double *speed, GError **error)
{
  char *end = NULL;
  double value;

  g_return_val_if_fail (text != NULL && speed != NULL, FALSE);

  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value) || value < RC_REPLAY_MIN_SPEED
      || value > RC_REPLAY_MAX_SPEED)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   _ ("--speed takes a factor from %g to %g, not '%s'"), RC_REPLAY_MIN_SPEED,
                   RC_REPLAY_MAX_SPEED, text);
      return FALSE;
    }
  *speed = value;
  return TRUE;
}

gboolean
rc_replay_plan_parse_at (const char *text, gint64 *position, GError **error)
{
  char *end = NULL;
  double value;

  g_return_val_if_fail (text != NULL && position != NULL, FALSE);

  if (g_strcmp0 (text, "end") == 0)
    {
      *position = G_MAXINT64;
      return TRUE;
    }
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value) || value < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   _("--at takes seconds from the start of the session (0 or more) or "
                     "'end', not '%s'"),
                   text);
      return FALSE;
    }
  /* Past the end is the end: a seek, as in any player. */
  *position = value >= (double) (G_MAXINT64 / G_USEC_PER_SEC) ? G_MAXINT64
                                                                : (gint64) (value * G_USEC_PER_SEC);
  return TRUE;
}
