/* rc-codec-snapshot.c — a snapshot (docs/feed-protocol.md §3) → JSON. Reading one is
 * rc-codec-snapshot-decode.c. */
#include "rc-codec.h"

#include <string.h>

#include "model/rc-error.h"
#include "rc-codec-encode-private.h"

/* ---------------------------------------------------------------- encoding */

static void
set_time (JsonObject *o, const char *name, gint64 time)
{
  g_autofree char *text = NULL;

  if (time == 0)
    {
      json_object_set_null_member (o, name);
      return;
    }
  text = rc_codec_format_time (time);
  json_object_set_string_member (o, name, text);
}

static JsonObject *
vote_to_json (const RcSnapshotVote *v)
{
  JsonObject *o = json_object_new ();
  JsonObject *ballots = json_object_new ();

  json_object_set_string_member (o, "vote", v->info->id);
  rc_codec_set_text (o, "symbol", v->info->symbol);
  rc_codec_set_text (o, "draft", v->info->draft);
  rc_codec_set_text (o, "title", v->info->title);
  json_object_set_string_member (o, "majority", rc_majority_to_string (v->info->majority));
  json_object_set_boolean_member (o, "recorded", v->info->recorded);
  json_object_set_string_member (o, "reveal", rc_reveal_to_string (v->info->reveal));
  json_object_set_string_member (o, "state", rc_vote_state_to_string (v->state));
  set_time (o, "opened", v->opened_at);
  set_time (o, "locked", v->locked_at);
  set_time (o, "announced", v->announced_at);
  for (guint i = 0; i < v->ballots->len; i++)
    {
      const RcBallot *b = &g_array_index (v->ballots, RcBallot, i);

      json_object_set_string_member (ballots, b->member, rc_choice_to_string (b->choice));
    }
  json_object_set_object_member (o, "ballots", ballots);
  if (v->has_official)
    json_object_set_object_member (o, "official", rc_codec_tally_to_json (&v->official));
  else
    json_object_set_null_member (o, "official");
  json_object_set_boolean_member (o, "corrected", v->corrected);
  rc_codec_set_text (o, "note", v->note);
  return o;
}

JsonObject *
rc_codec_snapshot_to_json (const RcSnapshot *snapshot, const char *stream)
{
  JsonObject *o = json_object_new ();
  JsonArray *votes = json_array_new ();
  JsonObject *on_air;

  json_object_set_int_member (o, "v", RC_CODEC_VERSION);
  json_object_set_string_member (o, "type", "snapshot");
  json_object_set_string_member (o, "stream", stream);
  json_object_set_int_member (o, "seq", snapshot->seq);
  /* Before the first event there is no time to tell. */
  if (snapshot->seq == 0)
    json_object_set_null_member (o, "time");
  else
    {
      g_autofree char *time = rc_codec_format_time (snapshot->time);

      json_object_set_string_member (o, "time", time);
    }
  if (snapshot->session != NULL)
    {
      json_object_set_object_member (o, "session", rc_codec_session_to_json (snapshot->session));
      json_object_set_object_member (o, "chamber", rc_codec_chamber_to_json (snapshot->chamber));
      json_object_set_array_member (o, "roster", rc_codec_roster_to_json (snapshot->roster));
    }
  else
    {
      json_object_set_null_member (o, "session");
      json_object_set_null_member (o, "chamber");
      json_object_set_null_member (o, "roster");
    }
  for (guint i = 0; i < snapshot->votes->len; i++)
    json_array_add_object_element (votes, vote_to_json (g_ptr_array_index (snapshot->votes, i)));
  json_object_set_array_member (o, "votes", votes);

  /* null: nobody has said what the screens show (a board then shows the current vote) */
  if (!snapshot->has_on_air)
    {
      json_object_set_null_member (o, "on_air");
      return o;
    }
  on_air = json_object_new ();
  json_object_set_string_member (on_air, "show", rc_on_air_to_string (snapshot->on_air));
  if (snapshot->on_air == RC_ON_AIR_VOTE)
    json_object_set_string_member (on_air, "vote", snapshot->on_air_vote);
  json_object_set_object_member (o, "on_air", on_air);
  return o;
}

char *
rc_codec_encode_snapshot (const RcSnapshot *snapshot, const char *stream)
{
  g_autoptr (JsonObject) o = NULL;

  g_return_val_if_fail (snapshot != NULL, NULL);
  g_return_val_if_fail (stream != NULL, NULL);

  o = rc_codec_snapshot_to_json (snapshot, stream);
  return rc_codec_object_to_string (o);
}
