/* rc-record.c — a vote's record in words: per-member CSV, and the record of the vote
 * as a meeting record gives it (rc-record.h). */
#include "rc-record.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/rc-roster.h"
#include "rc-words.h"

/* ---------------------------------------------------------------- CSV */

static void
append_field (GString *s, const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (s, text);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

char *
rc_record_csv (RcVote *vote)
{
  const RcRoster *roster;
  GString *s;

  g_return_val_if_fail (vote != NULL, NULL);
  s = g_string_new ("code,name,choice\r\n");

  roster = rc_vote_get_roster (vote);
  for (guint i = 0; i < rc_roster_get_size (roster); i++)
    {
      const RcMember *m = rc_roster_get_member (roster, i);

      append_field (s, m->code);
      g_string_append_c (s, ',');
      append_field (s, m->name);
      g_string_append_c (s, ',');
      g_string_append (s, rc_choice_to_string (rc_vote_get_shown_choice (vote, i)));
      g_string_append (s, "\r\n");
    }
  return g_string_free (s, FALSE);
}

/* ---------------------------------------------------------------- the record */

/* "Afghanistan, Albania, …" of the members shown with the choice, or NULL for none. */
static char *
names_with (RcVote *vote, RcChoice choice)
{
  const RcRoster *roster = rc_vote_get_roster (vote);
  GString *s = NULL;

  for (guint i = 0; i < rc_roster_get_size (roster); i++)
    {
      if (rc_vote_get_shown_choice (vote, i) != choice)
        continue;
      if (s == NULL)
        s = g_string_new (NULL);
      else
        g_string_append (s, ", ");
      g_string_append (s, rc_roster_get_member (roster, i)->name);
    }
  return s != NULL ? g_string_free (s, FALSE) : NULL;
}

static void
append_list (GString *s, RcVote *vote, RcChoice choice, const char *heading)
{
  g_autofree char *names = names_with (vote, choice);

  g_string_append_printf (s, "\n%s\n%s\n", heading, names != NULL ? names : _ ("None"));
}

/* "by 141 votes to 5, with 35 abstentions" */
static char *
counts_phrase (const RcTally *t)
{
  g_autofree char *yes
    = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u vote", "%u votes", t->yes), t->yes);
  g_autofree char *abstain = g_strdup_printf (
    g_dngettext (GETTEXT_PACKAGE, "%u abstention", "%u abstentions", t->abstain), t->abstain);

  /* Translators: "by 141 votes to 5, with 35 abstentions" */
  return g_strdup_printf (_ ("by %s to %u, with %s"), yes, t->no, abstain);
}

/* The draft's name in a sentence: "Draft resolution A/ES-11/L.1", or "The draft
 * resolution" when it has no symbol. */
static char *
draft_name (const RcVoteInfo *vi)
{
  if (rc_nonempty (vi->draft) != NULL)
    return g_strdup_printf (_ ("Draft resolution %s"), vi->draft);
  return g_strdup (_ ("The draft resolution"));
}

/* The result as the chamber's records phrase it: the Assembly's "Draft resolution …
 * was adopted by 141 votes to 5, with 35 abstentions", the Council's "The draft
 * resolution received 11 votes in favour, 1 against and 3 abstentions. The draft
 * resolution has not been adopted, owing to the negative vote of a permanent member". */
static void
append_result (GString *s, RcVote *vote)
{
  const RcVoteInfo *vi = rc_vote_get_info (vote);
  const RcVerdict *v = rc_vote_get_verdict (vote);
  const char *symbol = rc_nonempty (vi->symbol);
  g_autofree char *draft = draft_name (vi);
  RcTally t;

  rc_vote_get_shown_tally (vote, &t);
  if (v->outcome == RC_OUTCOME_PENDING || !rc_vote_shows_result (vote))
    {
      g_string_append (s, _ ("Voting is closed; the result has not been announced."));
      g_string_append_c (s, '\n');
      return;
    }
  if (v->outcome == RC_OUTCOME_UNKNOWN)
    {
      g_string_append_printf (s,
                              _ ("%s received %u votes in favour, %u against and %u "
                                 "abstentions. The record states neither the majority required "
                                 "nor the result."),
                              draft, t.yes, t.no, t.abstain);
      g_string_append_c (s, '\n');
      return;
    }
  if (rc_majority_is_council (vi->majority))
    {
      g_string_append_printf (s,
                              _ ("The draft resolution received %u votes in favour, %u against "
                                 "and %u abstentions. "),
                              t.yes, t.no, t.abstain);
      if (v->outcome == RC_OUTCOME_ADOPTED && symbol != NULL)
        g_string_append_printf (s, _ ("It has been adopted as resolution %s."), symbol);
      else if (v->outcome == RC_OUTCOME_ADOPTED)
        g_string_append (s, _ ("It has been adopted."));
      else if (v->reason == RC_REASON_VETO && v->veto_member >= 0)
        g_string_append_printf (
          s,
          _ ("It has not been adopted, owing to the negative vote of a permanent member of "
             "the Council (%s)."),
          rc_roster_get_member (rc_vote_get_roster (vote), (guint) v->veto_member)->name);
      else
        g_string_append (s, _ ("It has not been adopted, having failed to obtain the required "
                               "number of votes."));
    }
  else
    {
      g_autofree char *counts = counts_phrase (&t);

      if (v->outcome == RC_OUTCOME_ADOPTED && v->reason == RC_REASON_AS_RECORDED && symbol != NULL)
        g_string_append_printf (s,
                                _ ("%s was adopted %s (resolution %s), as recorded; the record "
                                   "does not state the majority required."),
                                draft, counts, symbol);
      else if (v->outcome == RC_OUTCOME_ADOPTED && v->reason == RC_REASON_AS_RECORDED)
        g_string_append_printf (s,
                                _ ("%s was adopted %s, as recorded; the record does not state the "
                                   "majority required."),
                                draft, counts);
      else if (v->outcome == RC_OUTCOME_ADOPTED && symbol != NULL)
        g_string_append_printf (s, _ ("%s was adopted %s (resolution %s)."), draft, counts, symbol);
      else if (v->outcome == RC_OUTCOME_ADOPTED)
        g_string_append_printf (s, _ ("%s was adopted %s."), draft, counts);
      else if (v->reason == RC_REASON_AS_RECORDED)
        g_string_append_printf (s, _ ("%s was not adopted %s, as recorded."), draft, counts);
      else if (vi->majority == RC_MAJORITY_ABSOLUTE)
        g_string_append_printf (s,
                                _ ("%s was not adopted %s: the required majority (%u of all %u "
                                   "members) was not reached."),
                                draft, counts, v->required, t.members);
      else if (v->reason == RC_REASON_NO_VOTES_CAST)
        g_string_append_printf (s,
                                _ ("%s was not adopted: no votes were cast in favour or "
                                   "against, with %u abstentions."),
                                draft, t.abstain);
      else
        g_string_append_printf (s,
                                _ ("%s was not adopted %s: the required majority (%u of %u "
                                   "present and voting) was not reached."),
                                draft, counts, v->required, v->present_and_voting);
    }
  g_string_append_c (s, '\n');
}

char *
rc_record_text (RcSession *session, RcVote *vote)
{
  const RcSessionInfo *info = session != NULL ? rc_session_get_info (session) : NULL;
  const RcChamberInfo *chamber = session != NULL ? rc_session_get_chamber (session) : NULL;
  const RcVoteInfo *vi;
  const char *note;
  RcVoteState state;
  GString *s;
  g_autofree char *date = NULL;
  g_autoptr (GPtrArray) heading = NULL;

  g_return_val_if_fail (vote != NULL, NULL);
  s = g_string_new (NULL);
  heading = g_ptr_array_new ();

  vi = rc_vote_get_info (vote);
  note = rc_nonempty (rc_vote_get_note (vote));
  state = rc_vote_get_state (vote);

  /* The meeting: "United Nations · General Assembly", "A/ES-11/PV.5 · 2 March 2022" */
  if (chamber != NULL && rc_nonempty (chamber->body) != NULL)
    g_ptr_array_add (heading, chamber->body);
  if (chamber != NULL && rc_nonempty (chamber->name) != NULL)
    g_ptr_array_add (heading, chamber->name);
  g_ptr_array_add (heading, NULL);
  if (heading->len > 1)
    {
      g_autofree char *line = g_strjoinv (" · ", (char **) heading->pdata);

      g_string_append_printf (s, "%s\n", line);
    }
  g_ptr_array_set_size (heading, 0);
  if (info != NULL && rc_nonempty (info->meeting) != NULL)
    g_ptr_array_add (heading, info->meeting);
  date = info != NULL ? rc_format_date (info->date) : NULL;
  if (date != NULL)
    g_ptr_array_add (heading, date);
  g_ptr_array_add (heading, NULL);
  if (heading->len > 1)
    {
      g_autofree char *line = g_strjoinv (" · ", (char **) heading->pdata);

      g_string_append_printf (s, "%s\n", line);
    }

  /* The vote: "A/RES/ES-11/1 (A/ES-11/L.1) — Aggression against Ukraine" */
  g_string_append_c (s, '\n');
  g_string_append (s, rc_nonempty (vi->symbol) != NULL  ? vi->symbol
                      : rc_nonempty (vi->draft) != NULL ? vi->draft
                                                        : vi->id);
  if (rc_nonempty (vi->symbol) != NULL && rc_nonempty (vi->draft) != NULL)
    g_string_append_printf (s, " (%s)", vi->draft);
  if (rc_nonempty (vi->title) != NULL)
    g_string_append_printf (s, " — %s", vi->title);
  g_string_append (s, "\n\n");

  switch (state)
    {
    case RC_VOTE_SCHEDULED:
      g_string_append (s, _ ("The vote has not been opened."));
      g_string_append_c (s, '\n');
      return g_string_free (s, FALSE);
    case RC_VOTE_CANCELLED:
      if (note != NULL)
        g_string_append_printf (s, _ ("The vote was cancelled: %s."), note);
      else
        g_string_append (s, _ ("The vote was cancelled."));
      g_string_append_c (s, '\n');
      return g_string_free (s, FALSE);
    case RC_VOTE_OPEN:
    case RC_VOTE_LOCKED:
    case RC_VOTE_ANNOUNCED:
    default:
      break;
    }

  if (!vi->recorded)
    {
      g_string_append (s, state == RC_VOTE_OPEN
                            ? _ ("A vote is being taken without a record of each member's "
                                 "vote.")
                            : _ ("A vote was taken without a record of each member's vote."));
      g_string_append_c (s, '\n');
    }
  else
    {
      g_string_append (s, state == RC_VOTE_OPEN ? _ ("A recorded vote is being taken.")
                                                : _ ("A recorded vote was taken."));
      g_string_append_c (s, '\n');
      append_list (s, vote, RC_CHOICE_YES, _ ("In favour:"));
      append_list (s, vote, RC_CHOICE_NO, _ ("Against:"));
      append_list (s, vote, RC_CHOICE_ABSTAIN, _ ("Abstaining:"));
      /* choices kept until the lock: who has voted, not how */
      if (state == RC_VOTE_OPEN && vi->reveal == RC_REVEAL_AFTER_LOCK)
        append_list (s, vote, RC_CHOICE_HIDDEN,
                     _ ("Have voted (their choices are shown at the "
                        "lock):"));
    }
  g_string_append_c (s, '\n');
  if (state == RC_VOTE_OPEN)
    {
      RcTally t;

      rc_vote_get_shown_tally (vote, &t);
      g_string_append_printf (s, _ ("Voting is open: %u of %u members have voted."),
                              t.members - t.pending - t.not_voting, t.members);
      g_string_append_c (s, '\n');
    }
  else
    append_result (s, vote);
  if (rc_vote_is_corrected (vote))
    {
      if (note != NULL)
        g_string_append_printf (s, _ ("The record was corrected after the announcement: %s."),
                                note);
      else
        g_string_append (s, _ ("The record was corrected after the announcement."));
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}
