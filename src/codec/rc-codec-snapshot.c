/* rc-codec-snapshot.c — a snapshot (docs/feed-protocol.md §3) → JSON. Reading one is
 * rc-codec-snapshot-decode.c. */
#include "rc-codec.h"

#include "rc-codec-encode-private.h"

/* ---------------------------------------------------------------- encoding */

/* 0: not yet (null). */
static void
add_time_or_null (GString *out, const char *name, gint64 time)
{
  if (time == 0)
    rc_json_add_null (out, name);
  else
    rc_codec_add_time (out, name, time);
}

static void
write_vote (GString *out, const RcSnapshotVote *v)
{
  rc_json_begin_object (out);
  rc_json_add_string (out, "vote", v->info->id);
  rc_json_add_string (out, "symbol", v->info->symbol);
  rc_json_add_string (out, "draft", v->info->draft);
  rc_json_add_string (out, "title", v->info->title);
  rc_json_add_string (out, "majority", rc_majority_to_string (v->info->majority));
  rc_json_add_bool (out, "recorded", v->info->recorded);
  rc_json_add_string (out, "reveal", rc_reveal_to_string (v->info->reveal));
  rc_json_add_string (out, "result_shown", rc_result_shown_to_string (v->info->result_shown));
  rc_json_add_string (out, "state", rc_vote_state_to_string (v->state));
  add_time_or_null (out, "opened", v->opened_at);
  add_time_or_null (out, "locked", v->locked_at);
  add_time_or_null (out, "announced", v->announced_at);
  /* member code → choice; the codes are unique (the roster's), so no member is named
   * twice */
  rc_json_add_object (out, "ballots");
  for (guint i = 0; i < v->ballots->len; i++)
    {
      const RcBallot *b = &g_array_index (v->ballots, RcBallot, i);

      rc_json_add_string (out, b->member, rc_choice_to_string (b->choice));
    }
  rc_json_end_object (out);
  rc_json_write_key (out, "official");
  if (v->has_official)
    rc_codec_write_tally (out, &v->official);
  else
    rc_json_write_null (out);
  if (v->stated_outcome != RC_OUTCOME_PENDING)
    rc_json_add_string (out, "outcome", rc_outcome_to_string (v->stated_outcome));
  rc_json_add_bool (out, "corrected", v->corrected);
  rc_json_add_string (out, "note", v->note);
  rc_json_end_object (out);
}

static void
write_snapshot (GString *out, const RcSnapshot *snapshot, const char *stream)
{
  rc_json_begin_object (out);
  rc_json_add_int (out, "v", RC_CODEC_VERSION);
  rc_json_add_string (out, "type", "snapshot");
  rc_json_add_string (out, "stream", stream);
  rc_json_add_int (out, "seq", snapshot->seq);
  /* Before the first event there is no time to tell. */
  if (snapshot->seq == 0)
    rc_json_add_null (out, "time");
  else
    rc_codec_add_time (out, "time", snapshot->time);
  if (snapshot->session != NULL)
    {
      rc_json_write_key (out, "session");
      rc_codec_write_session (out, snapshot->session);
      rc_json_write_key (out, "chamber");
      rc_codec_write_chamber (out, snapshot->chamber);
      rc_json_write_key (out, "roster");
      rc_codec_write_roster (out, snapshot->roster);
    }
  else
    {
      rc_json_add_null (out, "session");
      rc_json_add_null (out, "chamber");
      rc_json_add_null (out, "roster");
    }
  rc_json_add_array (out, "votes");
  for (guint i = 0; i < snapshot->votes->len; i++)
    write_vote (out, g_ptr_array_index (snapshot->votes, i));
  rc_json_end_array (out);

  /* null: nobody has said what the screens show (a board then shows the current vote) */
  if (!snapshot->has_on_air)
    rc_json_add_null (out, "on_air");
  else
    {
      rc_json_add_object (out, "on_air");
      rc_json_add_string (out, "show", rc_on_air_to_string (snapshot->on_air));
      if (snapshot->on_air == RC_ON_AIR_VOTE)
        rc_json_add_string (out, "vote", snapshot->on_air_vote);
      if (snapshot->on_air == RC_ON_AIR_HOLDING)
        rc_json_add_string (out, "text", snapshot->on_air_text);
      rc_json_end_object (out);
    }
  rc_json_end_object (out);
}

char *
rc_codec_encode_snapshot (const RcSnapshot *snapshot, const char *stream)
{
  GString *out;

  g_return_val_if_fail (snapshot != NULL, NULL);
  g_return_val_if_fail (stream != NULL, NULL);

  out = g_string_sized_new (snapshot->session != NULL ? 32768 : 256);
  write_snapshot (out, snapshot, stream);
  return g_string_free (out, FALSE);
}
