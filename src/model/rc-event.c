/* rc-event.c — constructors and names of the events every source produces. */
#include "rc-event.h"

#include <string.h>

static const char *const type_names[RC_EVENT_N_TYPES] = {
  [RC_EVENT_SESSION] = "session",
  [RC_EVENT_VOTE_SCHEDULED] = "vote-scheduled",
  [RC_EVENT_VOTE_OPENED] = "vote-opened",
  [RC_EVENT_BALLOT] = "ballot",
  [RC_EVENT_VOTE_LOCKED] = "vote-locked",
  [RC_EVENT_VOTE_ANNOUNCED] = "vote-announced",
  [RC_EVENT_VOTE_CORRECTED] = "vote-corrected",
  [RC_EVENT_VOTE_CANCELLED] = "vote-cancelled",
  [RC_EVENT_ON_AIR] = "on-air",
  [RC_EVENT_HEARTBEAT] = "heartbeat",
};

static const char *const on_air_names[] = {
  [RC_ON_AIR_VOTE] = "vote",
  [RC_ON_AIR_BLANK] = "blank",
  [RC_ON_AIR_HOLDING] = "holding",
};

const char *
rc_event_type_to_string (RcEventType type)
{
  g_return_val_if_fail ((guint) type < RC_EVENT_N_TYPES, NULL);
  return type_names[type];
}

gboolean
rc_event_type_from_string (const char *text, RcEventType *out)
{
  for (guint i = 0; text != NULL && i < RC_EVENT_N_TYPES; i++)
    if (strcmp (type_names[i], text) == 0)
      {
        *out = (RcEventType) i;
        return TRUE;
      }
  return FALSE;
}

const char *
rc_on_air_to_string (RcOnAir on_air)
{
  g_return_val_if_fail ((guint) on_air < G_N_ELEMENTS (on_air_names), NULL);
  return on_air_names[on_air];
}

gboolean
rc_on_air_from_string (const char *text, RcOnAir *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (on_air_names); i++)
    if (strcmp (on_air_names[i], text) == 0)
      {
        *out = (RcOnAir) i;
        return TRUE;
      }
  return FALSE;
}

RcSessionInfo *
rc_session_info_copy (const RcSessionInfo *info)
{
  RcSessionInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);
  copy = g_new0 (RcSessionInfo, 1);
  copy->id = g_strdup (info->id);
  copy->meeting = g_strdup (info->meeting);
  copy->date = g_strdup (info->date);
  copy->title = g_strdup (info->title);
  copy->timezone = g_strdup (info->timezone);
  copy->synthesized = info->synthesized;
  return copy;
}

void
rc_session_info_free (RcSessionInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->meeting);
  g_free (info->date);
  g_free (info->title);
  g_free (info->timezone);
  g_free (info);
}

static void
ballot_clear (gpointer data)
{
  g_free (((RcBallot *) data)->member);
}

static GArray *
ballots_copy (const GArray *ballots)
{
  GArray *copy;

  if (ballots == NULL)
    return NULL;
  copy = g_array_sized_new (FALSE, TRUE, sizeof (RcBallot), ballots->len);
  g_array_set_clear_func (copy, ballot_clear);
  for (guint i = 0; i < ballots->len; i++)
    {
      RcBallot b = g_array_index (ballots, RcBallot, i);

      b.member = g_strdup (b.member);
      g_array_append_val (copy, b);
    }
  return copy;
}

static RcEvent *
event_new (RcEventType type, gint64 time, const char *vote_id)
{
  RcEvent *e = g_new0 (RcEvent, 1);

  e->ref_count = 1;
  e->type = type;
  e->time = time;
  e->vote_id = g_strdup (vote_id);
  return e;
}

RcEvent *
rc_event_ref (RcEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);
  g_atomic_int_inc (&event->ref_count);
  return event;
}

void
rc_event_unref (RcEvent *event)
{
  if (event == NULL || !g_atomic_int_dec_and_test (&event->ref_count))
    return;
  g_free (event->vote_id);
  rc_session_info_free (event->session);
  rc_chamber_info_free (event->chamber);
  g_clear_pointer (&event->roster, rc_roster_unref);
  rc_vote_info_free (event->vote);
  g_free (event->member);
  g_clear_pointer (&event->ballots, g_array_unref);
  g_free (event->note);
  g_free (event);
}

RcEvent *
rc_event_new_session (gint64 time, const RcSessionInfo *session, const RcChamberInfo *chamber,
                      RcRoster *roster)
{
  RcEvent *e;

  g_return_val_if_fail (session != NULL && chamber != NULL && roster != NULL, NULL);
  e = event_new (RC_EVENT_SESSION, time, NULL);
  e->session = rc_session_info_copy (session);
  e->chamber = rc_chamber_info_copy (chamber);
  e->roster = rc_roster_ref (roster);
  return e;
}

RcEvent *
rc_event_new_vote_scheduled (gint64 time, const RcVoteInfo *vote)
{
  RcEvent *e;

  g_return_val_if_fail (vote != NULL, NULL);
  e = event_new (RC_EVENT_VOTE_SCHEDULED, time, vote->id);
  e->vote = rc_vote_info_copy (vote);
  return e;
}

RcEvent *
rc_event_new_vote_opened (gint64 time, const char *vote_id)
{
  return event_new (RC_EVENT_VOTE_OPENED, time, vote_id);
}

RcEvent *
rc_event_new_ballot (gint64 time, const char *vote_id, const char *member, RcChoice choice)
{
  RcEvent *e = event_new (RC_EVENT_BALLOT, time, vote_id);

  e->member = g_strdup (member);
  e->choice = choice;
  return e;
}

RcEvent *
rc_event_new_vote_locked (gint64 time, const char *vote_id, const GArray *ballots)
{
  RcEvent *e = event_new (RC_EVENT_VOTE_LOCKED, time, vote_id);

  e->ballots = ballots_copy (ballots);
  return e;
}

RcEvent *
rc_event_new_vote_announced (gint64 time, const char *vote_id, const RcTally *official)
{
  RcEvent *e = event_new (RC_EVENT_VOTE_ANNOUNCED, time, vote_id);

  if (official != NULL)
    {
      e->has_official = TRUE;
      e->official = *official;
    }
  return e;
}

RcEvent *
rc_event_new_vote_corrected (gint64 time, const char *vote_id, const char *member,
                             RcChoice choice, const char *note)
{
  RcEvent *e = event_new (RC_EVENT_VOTE_CORRECTED, time, vote_id);

  e->member = g_strdup (member);
  e->choice = choice;
  e->note = g_strdup (note);
  return e;
}

RcEvent *
rc_event_new_vote_cancelled (gint64 time, const char *vote_id, const char *note)
{
  RcEvent *e = event_new (RC_EVENT_VOTE_CANCELLED, time, vote_id);

  e->note = g_strdup (note);
  return e;
}

RcEvent *
rc_event_new_on_air (gint64 time, RcOnAir on_air, const char *vote_id)
{
  RcEvent *e = event_new (RC_EVENT_ON_AIR, time, on_air == RC_ON_AIR_VOTE ? vote_id : NULL);

  e->on_air = on_air;
  return e;
}

RcEvent *
rc_event_new_on_air_holding (gint64 time, const char *text)
{
  RcEvent *e = rc_event_new_on_air (time, RC_ON_AIR_HOLDING, NULL);

  e->note = text != NULL && *text != '\0' ? g_strdup (text) : NULL;
  return e;
}

RcEvent *
rc_event_new_heartbeat (gint64 time)
{
  return event_new (RC_EVENT_HEARTBEAT, time, NULL);
}

RcEvent *
rc_event_with_seq (const RcEvent *event, gint64 seq)
{
  RcEvent *e;

  g_return_val_if_fail (event != NULL, NULL);
  e = event_new (event->type, event->time, event->vote_id);
  e->seq = seq;
  e->session = event->session ? rc_session_info_copy (event->session) : NULL;
  e->chamber = event->chamber ? rc_chamber_info_copy (event->chamber) : NULL;
  e->roster = event->roster ? rc_roster_ref (event->roster) : NULL;
  e->vote = event->vote ? rc_vote_info_copy (event->vote) : NULL;
  e->member = g_strdup (event->member);
  e->choice = event->choice;
  e->ballots = ballots_copy (event->ballots);
  e->has_official = event->has_official;
  e->official = event->official;
  e->stated_outcome = event->stated_outcome;
  e->on_air = event->on_air;
  e->note = g_strdup (event->note);
  return e;
}
