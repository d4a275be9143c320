/* rc-codec-snapshot.c — a snapshot (docs/feed-protocol.md §3) ↔ JSON.
 *
 * The snapshot is what a client that joins late or cannot resume replaces its whole
 * state with, so it is read as strictly as an event: every member checked for
 * presence, type and range, each refusal naming the field. Whether the state it
 * describes could exist (members on the roster, ballots a vote's state allows) is for
 * rc_session_new_from_snapshot(), as for events it is the state machine's. */
#include "rc-codec.h"

#include <string.h>

#include "model/rc-error.h"
#include "rc-codec-private.h"

RC_JSON_ENUM_ADAPTER (choice_from_string, RcChoice, rc_choice_from_string)
RC_JSON_ENUM_ADAPTER (majority_from_string, RcMajority, rc_majority_from_string)
RC_JSON_ENUM_ADAPTER (reveal_from_string, RcReveal, rc_reveal_from_string)
RC_JSON_ENUM_ADAPTER (state_from_string, RcVoteState, rc_vote_state_from_string)
RC_JSON_ENUM_ADAPTER (on_air_from_string, RcOnAir, rc_on_air_from_string)

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

/* ---------------------------------------------------------------- decoding */

gboolean
rc_codec_decode_stream (const RcJsonCtx *ctx, JsonObject *o, const char **out, GError **error)
{
  if (!rc_json_get_string (ctx, o, "stream", FALSE, TRUE, out, error))
    return FALSE;
  /* STREAM:SEQ must split in one way only. */
  if (strchr (*out, ':') != NULL)
    {
      rc_json_bad (ctx, error, "field \"stream\": \"%s\" must not hold ':'", *out);
      return FALSE;
    }
  return TRUE;
}

static gboolean
decode_ballots (const RcJsonCtx *ctx, JsonObject *o, RcSnapshotVote *v, GError **error)
{
  g_autoptr (GList) members = json_object_get_members (o);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *code = l->data;
      int choice;
      RcBallot ballot;

      if (code[0] == '\0')
        {
          rc_json_bad (ctx, error, "field \"%s\" has an empty member code", ctx->path);
          return FALSE;
        }
      if (!rc_json_get_enum (ctx, o, code, choice_from_string, &choice, error))
        return FALSE;
      /* The snapshot lists only members whose state is not pending. */
      if (choice == RC_CHOICE_PENDING)
        {
          rc_json_bad (ctx, error, "field \"%s.%s\": a pending member is not listed", ctx->path,
                       code);
          return FALSE;
        }
      ballot.member = g_strdup (code);
      ballot.choice = choice;
      g_array_append_val (v->ballots, ballot);
    }
  return TRUE;
}

static gboolean
decode_vote (const RcJsonCtx *top, JsonArray *array, guint index, RcSnapshot *snapshot,
             GError **error)
{
  g_autofree char *path = g_strdup_printf ("votes[%u]", index);
  g_autofree char *ballots_path = g_strdup_printf ("votes[%u].ballots", index);
  g_autofree char *official_path = g_strdup_printf ("votes[%u].official", index);
  RcJsonCtx ctx = { top->event, path };
  RcJsonCtx ballots_ctx = { top->event, ballots_path };
  RcJsonCtx official_ctx = { top->event, official_path };
  JsonNode *node = json_array_get_element (array, index);
  JsonObject *o, *ballots, *official;
  RcVoteInfo info = { 0 };
  const char *id, *symbol, *draft, *title, *note;
  int majority, reveal, state;
  gint64 opened, locked, announced;
  gboolean corrected;
  RcSnapshotVote *v;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      rc_json_bad (top, error, "field \"%s\" must be an object", path);
      return FALSE;
    }
  o = json_node_get_object (node);
  if (!rc_json_get_string (&ctx, o, "vote", FALSE, TRUE, &id, error)
      || !rc_json_get_text (&ctx, o, "symbol", &symbol, error)
      || !rc_json_get_text (&ctx, o, "draft", &draft, error)
      || !rc_json_get_text (&ctx, o, "title", &title, error)
      || !rc_json_get_enum (&ctx, o, "majority", majority_from_string, &majority, error)
      || !rc_json_get_bool (&ctx, o, "recorded", &info.recorded, error)
      || !rc_json_get_enum (&ctx, o, "reveal", reveal_from_string, &reveal, error)
      || !rc_json_get_enum (&ctx, o, "state", state_from_string, &state, error)
      || !rc_codec_decode_time (&ctx, o, "opened", TRUE, &opened, error)
      || !rc_codec_decode_time (&ctx, o, "locked", TRUE, &locked, error)
      || !rc_codec_decode_time (&ctx, o, "announced", TRUE, &announced, error)
      || !rc_json_get_object (&ctx, o, "ballots", FALSE, &ballots, error)
      || !rc_json_get_object (&ctx, o, "official", TRUE, &official, error)
      || !rc_json_get_bool (&ctx, o, "corrected", &corrected, error)
      || !rc_json_get_text (&ctx, o, "note", &note, error))
    return FALSE;

  info.id = (char *) id;
  info.symbol = (char *) symbol;
  info.draft = (char *) draft;
  info.title = (char *) title;
  info.majority = majority;
  info.reveal = reveal;
  v = rc_snapshot_add_vote (snapshot, &info);
  v->state = state;
  v->opened_at = opened;
  v->locked_at = locked;
  v->announced_at = announced;
  v->corrected = corrected;
  v->note = g_strdup (note);
  if (official != NULL)
    {
      if (!rc_codec_decode_tally (&official_ctx, official, &v->official, error))
        return FALSE;
      v->has_official = TRUE;
    }
  return decode_ballots (&ballots_ctx, ballots, v, error);
}

static gboolean
decode_on_air (const RcJsonCtx *top, JsonObject *o, RcSnapshot *snapshot, GError **error)
{
  RcJsonCtx ctx = { top->event, "on_air" };
  JsonObject *on_air;
  const char *vote;
  int show;

  if (!rc_json_get_object (top, o, "on_air", TRUE, &on_air, error))
    return FALSE;
  if (on_air == NULL)
    return TRUE; /* nothing put on air yet */
  if (!rc_json_get_enum (&ctx, on_air, "show", on_air_from_string, &show, error))
    return FALSE;
  snapshot->has_on_air = TRUE;
  snapshot->on_air = show;
  if (show == RC_ON_AIR_VOTE)
    {
      if (!rc_json_get_string (&ctx, on_air, "vote", FALSE, TRUE, &vote, error))
        return FALSE;
      snapshot->on_air_vote = g_strdup (vote);
    }
  return TRUE;
}

/* session, chamber and roster: all three, or none (before the session is described). */
static gboolean
decode_session (const RcJsonCtx *ctx, JsonObject *o, RcSnapshot *snapshot, GError **error)
{
  RcSessionInfo session = { 0 };
  RcChamberInfo chamber = { 0 };
  JsonObject *so, *co;
  JsonArray *ra;

  if (!rc_json_get_object (ctx, o, "session", TRUE, &so, error))
    return FALSE;
  if (so == NULL)
    {
      const char *const parts[] = { "chamber", "roster" };

      for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
        {
          JsonNode *node = json_object_get_member (o, parts[i]);

          if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
            {
              rc_json_bad (ctx, error, "field \"%s\" must be null when \"session\" is", parts[i]);
              return FALSE;
            }
        }
      return TRUE;
    }
  if (!rc_codec_decode_session_info (ctx, so, &session, error)
      || !rc_json_get_object (ctx, o, "chamber", FALSE, &co, error)
      || !rc_codec_decode_chamber_info (ctx, co, &chamber, error)
      || !rc_json_get_array (ctx, o, "roster", FALSE, &ra, error))
    return FALSE;
  snapshot->roster = rc_codec_decode_roster (ctx, ra, error);
  if (snapshot->roster == NULL)
    return FALSE;
  /* The decoders borrow strings from the JSON tree; the snapshot keeps copies. */
  snapshot->session = rc_session_info_copy (&session);
  snapshot->chamber = rc_chamber_info_copy (&chamber);
  return TRUE;
}

RcSnapshot *
rc_codec_decode_snapshot_object (JsonObject *o, GError **error)
{
  RcJsonCtx ctx = { "snapshot", "" };
  g_autoptr (RcSnapshot) snapshot = rc_snapshot_new ();
  JsonArray *votes;
  gint64 seq, time;

  if (!rc_json_get_int (&ctx, o, "seq", 0, G_MAXINT64, &seq, error)
      || !rc_codec_decode_time (&ctx, o, "time", seq == 0, &time, error)
      || !decode_session (&ctx, o, snapshot, error)
      || !rc_json_get_array (&ctx, o, "votes", FALSE, &votes, error))
    return NULL;
  snapshot->seq = seq;
  snapshot->time = time;
  if (snapshot->session == NULL && json_array_get_length (votes) > 0)
    {
      rc_json_bad (&ctx, error, "field \"votes\" must be empty when \"session\" is null");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (votes); i++)
    if (!decode_vote (&ctx, votes, i, snapshot, error))
      return NULL;
  if (!decode_on_air (&ctx, o, snapshot, error))
    return NULL;
  return g_steal_pointer (&snapshot);
}
