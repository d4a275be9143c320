/* rc-codec-snapshot-decode.c — a snapshot (docs/feed-protocol.md §3) from JSON.
 *
 * The snapshot is what a client that joins late or cannot resume replaces its whole
 * state with, so it is read as strictly as an event: every member checked for
 * presence, type, range and length, each refusal naming the field. Whether the state
 * it describes could exist (members on the roster, ballots a vote's state allows) is
 * for rc_session_new_from_snapshot(), as for events it is the state machine's. */
#include "rc-codec.h"

#include <string.h>

#include "model/rc-error.h"
#include "rc-codec-decode-private.h"

RC_JSON_ENUM_ADAPTER (choice_from_string, RcChoice, rc_choice_from_string)
RC_JSON_ENUM_ADAPTER (majority_from_string, RcMajority, rc_majority_from_string)
RC_JSON_ENUM_ADAPTER (reveal_from_string, RcReveal, rc_reveal_from_string)
RC_JSON_ENUM_ADAPTER (result_shown_from_string, RcResultShown, rc_result_shown_from_string)
RC_JSON_ENUM_ADAPTER (state_from_string, RcVoteState, rc_vote_state_from_string)
RC_JSON_ENUM_ADAPTER (on_air_from_string, RcOnAir, rc_on_air_from_string)

gboolean
rc_codec_decode_stream (const RcJsonCtx *ctx, json_t *o, const char **out, GError **error)
{
  if (!rc_json_get_string (ctx, o, "stream", FALSE, TRUE, RC_CODEC_MAX_STREAM, out, error))
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
decode_ballots (const RcJsonCtx *ctx, json_t *o, RcSnapshotVote *v, GError **error)
{
  const char *code;
  json_t *value;

  json_object_foreach (o, code, value)
    {
      int choice;
      RcBallot ballot;

      if (code[0] == '\0')
        {
          rc_json_bad (ctx, error, "field \"%s\" has an empty member code", ctx->path);
          return FALSE;
        }
      if (strlen (code) > RC_ID_MAX)
        {
          rc_json_bad (ctx, error, "field \"%s\" has a member code longer than %d bytes", ctx->path,
                       RC_ID_MAX);
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
decode_vote (const RcJsonCtx *top, json_t *array, guint index, RcSnapshot *snapshot, GError **error)
{
  g_autofree char *path = g_strdup_printf ("votes[%u]", index);
  g_autofree char *ballots_path = g_strdup_printf ("votes[%u].ballots", index);
  g_autofree char *official_path = g_strdup_printf ("votes[%u].official", index);
  RcJsonCtx ctx = { top->event, path };
  RcJsonCtx ballots_ctx = { top->event, ballots_path };
  RcJsonCtx official_ctx = { top->event, official_path };
  json_t *node = json_array_get (array, index);
  json_t *o, *ballots, *official;
  RcVoteInfo info = { 0 };
  const char *id, *symbol, *draft, *title, *note;
  int majority, reveal, state, result_shown = RC_RESULT_WHEN_ANNOUNCED;
  gint64 opened, locked, announced;
  gboolean corrected;
  RcOutcome stated;
  RcSnapshotVote *v;

  if (!json_is_object (node))
    {
      rc_json_bad (top, error, "field \"%s\" must be an object", path);
      return FALSE;
    }
  o = node;
  if (!rc_json_get_id (&ctx, o, "vote", &id, error)
      || !rc_json_get_text (&ctx, o, "symbol", &symbol, error)
      || !rc_json_get_text (&ctx, o, "draft", &draft, error)
      || !rc_json_get_text (&ctx, o, "title", &title, error)
      || !rc_json_get_enum (&ctx, o, "majority", majority_from_string, &majority, error)
      || !rc_json_get_bool (&ctx, o, "recorded", &info.recorded, error)
      || !rc_json_get_enum (&ctx, o, "reveal", reveal_from_string, &reveal, error)
      /* (protocol 1.0 had no result_shown: missing or null is the default) */
      || (!json_is_null (json_object_get (o, "result_shown"))
          && json_object_get (o, "result_shown") != NULL
          && !rc_json_get_enum (&ctx, o, "result_shown", result_shown_from_string, &result_shown,
                                error))
      || !rc_json_get_enum (&ctx, o, "state", state_from_string, &state, error)
      || !rc_codec_decode_time (&ctx, o, "opened", TRUE, &opened, error)
      || !rc_codec_decode_time (&ctx, o, "locked", TRUE, &locked, error)
      || !rc_codec_decode_time (&ctx, o, "announced", TRUE, &announced, error)
      || !rc_json_get_object (&ctx, o, "ballots", FALSE, &ballots, error)
      || !rc_json_get_object (&ctx, o, "official", TRUE, &official, error)
      || !rc_codec_decode_outcome (&ctx, o, &stated, error)
      || !rc_json_get_bool (&ctx, o, "corrected", &corrected, error)
      || !rc_json_get_text (&ctx, o, "note", &note, error))
    return FALSE;

  info.id = (char *) id;
  info.symbol = (char *) symbol;
  info.draft = (char *) draft;
  info.title = (char *) title;
  info.majority = majority;
  info.reveal = reveal;
  info.result_shown = result_shown;
  v = rc_snapshot_add_vote (snapshot, &info);
  v->state = state;
  v->opened_at = opened;
  v->locked_at = locked;
  v->announced_at = announced;
  v->corrected = corrected;
  v->stated_outcome = stated;
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
decode_on_air (const RcJsonCtx *top, json_t *o, RcSnapshot *snapshot, GError **error)
{
  RcJsonCtx ctx = { top->event, "on_air" };
  json_t *on_air;
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
      if (!rc_json_get_id (&ctx, on_air, "vote", &vote, error))
        return FALSE;
      snapshot->on_air_vote = g_strdup (vote);
    }
  if (show == RC_ON_AIR_HOLDING)
    {
      const char *text;

      if (!rc_json_get_text (&ctx, on_air, "text", &text, error))
        return FALSE;
      snapshot->on_air_text = g_strdup (text);
    }
  return TRUE;
}

/* session, chamber and roster: all three, or none (before the session is described). */
static gboolean
decode_session (const RcJsonCtx *ctx, json_t *o, RcSnapshot *snapshot, GError **error)
{
  RcSessionInfo session = { 0 };
  RcChamberInfo chamber = { 0 };
  json_t *so, *co;
  json_t *ra;

  if (!rc_json_get_object (ctx, o, "session", TRUE, &so, error))
    return FALSE;
  if (so == NULL)
    {
      const char *const parts[] = { "chamber", "roster" };

      for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
        {
          json_t *node = json_object_get (o, parts[i]);

          if (node != NULL && !json_is_null (node))
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
rc_codec_decode_snapshot_object (json_t *o, GError **error)
{
  RcJsonCtx ctx = { "snapshot", "" };
  g_autoptr (RcSnapshot) snapshot = rc_snapshot_new ();
  json_t *votes;
  gint64 seq, time;

  if (!rc_json_get_int (&ctx, o, "seq", 0, G_MAXINT64, &seq, error)
      || !rc_codec_decode_time (&ctx, o, "time", seq == 0, &time, error)
      || !decode_session (&ctx, o, snapshot, error)
      || !rc_json_get_array (&ctx, o, "votes", FALSE, &votes, error))
    return NULL;
  snapshot->seq = seq;
  snapshot->time = time;
  if (snapshot->session == NULL && json_array_size (votes) > 0)
    {
      rc_json_bad (&ctx, error, "field \"votes\" must be empty when \"session\" is null");
      return NULL;
    }
  for (guint i = 0; i < json_array_size (votes); i++)
    if (!decode_vote (&ctx, votes, i, snapshot, error))
      return NULL;
  if (!decode_on_air (&ctx, o, snapshot, error))
    return NULL;
  return g_steal_pointer (&snapshot);
}
