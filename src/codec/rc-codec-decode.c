/* rc-codec-decode.c — one JSON message → an RcEvent, strictly (docs/events.md).
 *
 * The same text is the archive's journal payload and the feed's wire message, so the
 * decoder treats its input as hostile: size, encoding, syntax, shape, types and enum
 * strings are all checked before an event is made, and every refusal names the field
 * in one line. An optional text reads null, a missing member and "" alike as NULL. */
#include "rc-codec.h"

#include <string.h>

#include "model/rc-chamber.h"
#include "model/rc-error.h"
#include "rc-codec-decode-private.h"

/* Enum strings go through the model's from_string so the wire and the model agree. */
RC_JSON_ENUM_ADAPTER (choice_from_string, RcChoice, rc_choice_from_string)
RC_JSON_ENUM_ADAPTER (majority_from_string, RcMajority, rc_majority_from_string)
RC_JSON_ENUM_ADAPTER (reveal_from_string, RcReveal, rc_reveal_from_string)
RC_JSON_ENUM_ADAPTER (result_shown_from_string, RcResultShown, rc_result_shown_from_string)
RC_JSON_ENUM_ADAPTER (on_air_from_string, RcOnAir, rc_on_air_from_string)

gboolean
rc_codec_decode_session_info (const RcJsonCtx *top, json_t *o, RcSessionInfo *info, GError **error)
{
  RcJsonCtx ctx = { top->event, "session" };
  const char *id, *meeting, *date, *title, *timezone;

  if (!rc_json_get_id (&ctx, o, "id", &id, error)
      || !rc_json_get_text (&ctx, o, "meeting", &meeting, error)
      || !rc_json_get_string (&ctx, o, "date", FALSE, FALSE, RC_ID_MAX, &date, error)
      || !rc_json_get_text (&ctx, o, "title", &title, error)
      || !rc_json_get_text (&ctx, o, "timezone", &timezone, error)
      || !rc_json_get_bool (&ctx, o, "synthesized", &info->synthesized, error))
    return FALSE;
  if (!rc_iso_date_valid (date))
    {
      rc_json_bad (&ctx, error, "field \"session.date\": \"%s\" is not a date like 2022-03-02",
                   date);
      return FALSE;
    }
  /* Borrowed from the JSON tree; the event constructor copies them. */
  info->id = (char *) id;
  info->meeting = (char *) meeting;
  info->date = (char *) date;
  info->title = (char *) title;
  info->timezone = (char *) timezone;
  return TRUE;
}

gboolean
rc_codec_decode_chamber_info (const RcJsonCtx *top, json_t *o, RcChamberInfo *info, GError **error)
{
  RcJsonCtx ctx = { top->event, "chamber" };
  RcJsonCtx rules_ctx = { top->event, "chamber.rules" };
  RcJsonCtx palette_ctx = { top->event, "chamber.palette" };
  const char *id, *name, *body;
  json_t *rules, *palette;
  int majority;
  gint64 affirmative;

  if (!rc_json_get_id (&ctx, o, "id", &id, error)
      || !rc_json_get_text (&ctx, o, "name", &name, error)
      || !rc_json_get_text (&ctx, o, "body", &body, error)
      || !rc_json_get_object (&ctx, o, "rules", FALSE, &rules, error)
      || !rc_json_get_enum (&rules_ctx, rules, "majority", majority_from_string, &majority, error)
      || !rc_json_get_int (&rules_ctx, rules, "council_affirmative", 0, G_MAXUINT, &affirmative,
                           error)
      || !rc_json_get_bool (&rules_ctx, rules, "concurrent_votes", &info->rules.concurrent_votes,
                            error)
      || !rc_json_get_object (&ctx, o, "palette", FALSE, &palette, error))
    return FALSE;
  info->id = (char *) id;
  info->name = (char *) name;
  info->body = (char *) body;
  info->rules.default_majority = majority;
  info->rules.council_affirmative = affirmative;

  for (guint i = 0; i < rc_palette_n_fields; i++)
    {
      const RcPaletteField *field = &rc_palette_fields[i];
      const char *text;

      if (!rc_json_get_string (&palette_ctx, palette, field->key, FALSE, FALSE, RC_ID_MAX, &text,
                               error))
        return FALSE;
      if (!rc_parse_colour (text, &RC_PALETTE_COLOUR (&info->palette, field)))
        {
          rc_json_bad (&palette_ctx, error,
                       "field \"chamber.palette.%s\": \"%s\" is not a colour like #1a7f37",
                       field->key, text);
          return FALSE;
        }
    }
  return TRUE;
}

RcRoster *
rc_codec_decode_roster (const RcJsonCtx *top, json_t *array, GError **error)
{
  guint n = json_array_size (array);
  g_autofree RcMember *members = NULL;
  g_autoptr (GError) local = NULL;
  RcRoster *roster;

  if (n == 0)
    {
      rc_json_bad (top, error, "field \"roster\" must not be empty");
      return NULL;
    }
  members = g_new0 (RcMember, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("roster[%u]", i);
      RcJsonCtx ctx = { top->event, path };
      json_t *node = json_array_get (array, i);
      json_t *o;
      const char *code, *name, *label, *sort_key;
      gboolean veto;

      if (!json_is_object (node))
        {
          rc_json_bad (top, error, "field \"%s\" must be an object", path);
          goto fail;
        }
      o = node;
      if (!rc_json_get_id (&ctx, o, "code", &code, error)
          || !rc_json_get_string (&ctx, o, "name", FALSE, TRUE, RC_TEXT_MAX, &name, error)
          || !rc_json_get_string (&ctx, o, "label", FALSE, TRUE, RC_TEXT_MAX, &label, error)
          || !rc_json_get_string (&ctx, o, "sort_key", FALSE, FALSE, RC_TEXT_MAX, &sort_key, error)
          || !rc_json_get_bool (&ctx, o, "veto", &veto, error))
        goto fail;
      members[i].code = g_strdup (code);
      members[i].name = g_strdup (name);
      members[i].label = g_strdup (label);
      members[i].sort_key = g_strdup (sort_key);
      members[i].veto = veto;
    }

  /* rc_roster_new() owns the strings from here, whether or not it succeeds. */
  roster = rc_roster_new (members, n, &local);
  if (roster == NULL)
    {
      rc_json_bad (top, error, "field \"roster\": %s", local->message);
      return NULL;
    }
  return roster;

fail:
  for (guint i = 0; i < n; i++)
    {
      g_free (members[i].code);
      g_free (members[i].name);
      g_free (members[i].label);
      g_free (members[i].sort_key);
    }
  return NULL;
}

static GArray *
decode_ballots (const RcJsonCtx *top, json_t *array, GError **error)
{
  g_autoptr (GArray) ballots = g_array_new (FALSE, TRUE, sizeof (RcBallot));
  guint n = json_array_size (array);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("ballots[%u]", i);
      RcJsonCtx ctx = { top->event, path };
      json_t *node = json_array_get (array, i);
      const char *member;
      int choice;
      RcBallot ballot;

      if (!json_is_object (node))
        {
          rc_json_bad (top, error, "field \"%s\" must be an object", path);
          return NULL;
        }
      if (!rc_json_get_id (&ctx, node, "member", &member, error)
          || !rc_json_get_enum (&ctx, node, "choice", choice_from_string, &choice, error))
        return NULL;
      /* Borrowed: the event constructor copies the array's strings. */
      ballot.member = (char *) member;
      ballot.choice = choice;
      g_array_append_val (ballots, ballot);
    }
  return g_steal_pointer (&ballots);
}

gboolean
rc_codec_decode_tally (const RcJsonCtx *ctx, json_t *o, RcTally *tally, GError **error)
{
  memset (tally, 0, sizeof *tally);
  for (guint i = 0; i < rc_codec_n_tally_fields; i++)
    {
      const RcCodecField *field = &rc_codec_tally_fields[i];
      gint64 value = 0;

      /* no_right was added for the Art. 19 count and may be left out. */
      if (g_str_equal (field->name, "no_right") && json_object_get (o, "no_right") == NULL)
        continue;
      if (!rc_json_get_int (ctx, o, field->name, 0, G_MAXUINT, &value, error))
        return FALSE;
      RC_CODEC_TALLY_COUNT (tally, field) = value;
    }
  return TRUE;
}

RC_JSON_ENUM_ADAPTER (outcome_from_string, RcOutcome, rc_outcome_from_string)

gboolean
rc_codec_decode_outcome (const RcJsonCtx *ctx, json_t *o, RcOutcome *outcome, GError **error)
{
  int value;

  *outcome = RC_OUTCOME_PENDING;
  if (json_object_get (o, "outcome") == NULL || json_is_null (json_object_get (o, "outcome")))
    return TRUE;
  if (!rc_json_get_enum (ctx, o, "outcome", outcome_from_string, &value, error))
    return FALSE;
  *outcome = (RcOutcome) value;
  return TRUE;
}

static RcEvent *
decode_session (const RcJsonCtx *ctx, json_t *o, gint64 time, GError **error)
{
  RcSessionInfo session = { 0 };
  RcChamberInfo chamber = { 0 };
  json_t *so, *co;
  json_t *ra;
  g_autoptr (RcRoster) roster = NULL;

  if (!rc_json_get_object (ctx, o, "session", FALSE, &so, error)
      || !rc_codec_decode_session_info (ctx, so, &session, error)
      || !rc_json_get_object (ctx, o, "chamber", FALSE, &co, error)
      || !rc_codec_decode_chamber_info (ctx, co, &chamber, error)
      || !rc_json_get_array (ctx, o, "roster", FALSE, &ra, error))
    return NULL;
  roster = rc_codec_decode_roster (ctx, ra, error);
  if (roster == NULL)
    return NULL;
  return rc_event_new_session (time, &session, &chamber, roster);
}

static RcEvent *
decode_vote_scheduled (const RcJsonCtx *ctx, json_t *o, gint64 time, GError **error)
{
  RcVoteInfo info = { 0 };
  const char *id, *symbol, *draft, *title;
  int majority, reveal, result_shown = RC_RESULT_WHEN_ANNOUNCED;

  if (!rc_json_get_id (ctx, o, "vote", &id, error)
      || !rc_json_get_text (ctx, o, "symbol", &symbol, error)
      || !rc_json_get_text (ctx, o, "draft", &draft, error)
      || !rc_json_get_text (ctx, o, "title", &title, error)
      || !rc_json_get_enum (ctx, o, "majority", majority_from_string, &majority, error)
      || !rc_json_get_bool (ctx, o, "recorded", &info.recorded, error)
      || !rc_json_get_enum (ctx, o, "reveal", reveal_from_string, &reveal, error)
      /* (protocol 1.0 had no result_shown: missing or null is the default) */
      || (!json_is_null (json_object_get (o, "result_shown"))
          && json_object_get (o, "result_shown") != NULL
          && !rc_json_get_enum (ctx, o, "result_shown", result_shown_from_string, &result_shown,
                                error)))
    return NULL;
  info.result_shown = result_shown;
  info.id = (char *) id;
  info.symbol = (char *) symbol;
  info.draft = (char *) draft;
  info.title = (char *) title;
  info.majority = majority;
  info.reveal = reveal;
  return rc_event_new_vote_scheduled (time, &info);
}

static RcEvent *
decode_body (const RcJsonCtx *ctx, RcEventType type, json_t *o, gint64 time, GError **error)
{
  const char *vote = NULL, *member = NULL, *note = NULL;
  int choice, show;

  switch (type)
    {
    case RC_EVENT_SESSION:
      return decode_session (ctx, o, time, error);

    case RC_EVENT_VOTE_SCHEDULED:
      return decode_vote_scheduled (ctx, o, time, error);

    case RC_EVENT_VOTE_OPENED:
      if (!rc_json_get_id (ctx, o, "vote", &vote, error))
        return NULL;
      return rc_event_new_vote_opened (time, vote);

    case RC_EVENT_BALLOT:
      if (!rc_json_get_id (ctx, o, "vote", &vote, error)
          || !rc_json_get_id (ctx, o, "member", &member, error)
          || !rc_json_get_enum (ctx, o, "choice", choice_from_string, &choice, error))
        return NULL;
      return rc_event_new_ballot (time, vote, member, choice);

    case RC_EVENT_VOTE_LOCKED:
      {
        json_t *array;
        g_autoptr (GArray) ballots = NULL;

        if (!rc_json_get_id (ctx, o, "vote", &vote, error)
            || !rc_json_get_array (ctx, o, "ballots", TRUE, &array, error))
          return NULL;
        if (array != NULL && (ballots = decode_ballots (ctx, array, error)) == NULL)
          return NULL;
        return rc_event_new_vote_locked (time, vote, ballots);
      }

    case RC_EVENT_VOTE_ANNOUNCED:
      {
        json_t *official;
        RcTally tally;
        RcOutcome stated;
        RcEvent *announced;

        if (!rc_json_get_id (ctx, o, "vote", &vote, error)
            || !rc_json_get_object (ctx, o, "official", TRUE, &official, error)
            || !rc_codec_decode_outcome (ctx, o, &stated, error))
          return NULL;
        if (official != NULL)
          {
            RcJsonCtx official_ctx = { ctx->event, "official" };

            if (!rc_codec_decode_tally (&official_ctx, official, &tally, error))
              return NULL;
          }
        announced = rc_event_new_vote_announced (time, vote, official != NULL ? &tally : NULL);
        announced->stated_outcome = stated;
        return announced;
      }

    case RC_EVENT_VOTE_CORRECTED:
      if (!rc_json_get_id (ctx, o, "vote", &vote, error)
          || !rc_json_get_id (ctx, o, "member", &member, error)
          || !rc_json_get_enum (ctx, o, "choice", choice_from_string, &choice, error)
          || !rc_json_get_text (ctx, o, "note", &note, error))
        return NULL;
      return rc_event_new_vote_corrected (time, vote, member, choice, note);

    case RC_EVENT_VOTE_CANCELLED:
      if (!rc_json_get_id (ctx, o, "vote", &vote, error)
          || !rc_json_get_text (ctx, o, "note", &note, error))
        return NULL;
      return rc_event_new_vote_cancelled (time, vote, note);

    case RC_EVENT_ON_AIR:
      if (!rc_json_get_enum (ctx, o, "show", on_air_from_string, &show, error))
        return NULL;
      if (show == RC_ON_AIR_VOTE && !rc_json_get_id (ctx, o, "vote", &vote, error))
        return NULL;
      /* the holding slide's line (optional; ignored with another show) */
      if (show == RC_ON_AIR_HOLDING)
        return rc_json_get_text (ctx, o, "text", &note, error)
                 ? rc_event_new_on_air_holding (time, note)
                 : NULL;
      return rc_event_new_on_air (time, show, show == RC_ON_AIR_VOTE ? vote : NULL);

    case RC_EVENT_HEARTBEAT:
      return rc_event_new_heartbeat (time);

    case RC_EVENT_N_TYPES:
    default:
      g_assert_not_reached ();
    }
}

gboolean
rc_codec_decode_time (const RcJsonCtx *ctx, json_t *o, const char *name, gboolean nullable,
                      gint64 *out, GError **error)
{
  const char *text;

  if (!rc_json_get_string (ctx, o, name, nullable, FALSE, RC_ID_MAX, &text, error))
    return FALSE;
  if (text == NULL)
    {
      *out = 0;
      return TRUE;
    }
  if (!rc_codec_parse_time (text, out))
    {
      const char *path = ctx != NULL && ctx->path != NULL ? ctx->path : "";

      rc_json_bad (ctx, error,
                   "field \"%s%s%s\": \"%s\" is not a UTC time like 2022-03-02T17:01:02.345Z", path,
                   *path != '\0' ? "." : "", name, text);
      return FALSE;
    }
  return TRUE;
}

json_t *
rc_codec_parse (const char *text, gssize length, GError **error)
{
  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length < 0)
    length = strnlen (text, RC_CODEC_MAX_MESSAGE + 1);
  if (length > RC_CODEC_MAX_MESSAGE)
    {
      rc_json_bad (NULL, error, "message is over the size limit of %d bytes", RC_CODEC_MAX_MESSAGE);
      return NULL;
    }
  /* Before the parser, for one reason whatever the fault: jansson would also refuse
   * bad UTF-8, but in its words, and a NUL as the end of the text. */
  if (!g_utf8_validate_len (text, length, NULL))
    {
      rc_json_bad (NULL, error, "message is not valid UTF-8");
      return NULL;
    }
  return rc_json_parse (text, length, error);
}

gboolean
rc_codec_check_version (json_t *o, GError **error)
{
  RcJsonCtx ctx = { NULL, "" };
  gint64 version;

  if (!rc_json_get_int (&ctx, o, "v", G_MININT64, G_MAXINT64, &version, error))
    return FALSE;
  if (version != RC_CODEC_VERSION)
    {
      rc_json_bad (NULL, error,
                   "field \"v\": version %" G_GINT64_FORMAT " is not supported (only %d)", version,
                   RC_CODEC_VERSION);
      return FALSE;
    }
  return TRUE;
}

RcEvent *
rc_codec_decode_event_object (json_t *o, RcEventType type, GError **error)
{
  RcJsonCtx ctx = { rc_event_type_to_string (type), "" };
  gint64 seq, time;
  RcEvent *event;

  if (!rc_json_get_int (&ctx, o, "seq", 0, G_MAXINT64, &seq, error)
      || !rc_codec_decode_time (&ctx, o, "time", FALSE, &time, error))
    return NULL;
  event = decode_body (&ctx, type, o, time, error);
  if (event != NULL)
    event->seq = seq; /* not shared yet, so still ours to fill in */
  return event;
}

RcEvent *
rc_codec_decode_object (json_t *o, GError **error)
{
  RcJsonCtx ctx = { NULL, "" };
  const char *type_name;
  RcEventType type;

  if (!rc_codec_check_version (o, error)
      || !rc_json_get_string (&ctx, o, "type", FALSE, FALSE, RC_ID_MAX, &type_name, error))
    return NULL;
  if (!rc_event_type_from_string (type_name, &type))
    {
      rc_json_bad (NULL, error, "field \"type\": unknown event type \"%s\"", type_name);
      return NULL;
    }
  return rc_codec_decode_event_object (o, type, error);
}

RcEvent *
rc_codec_decode (const char *text, gssize length, GError **error)
{
  g_autoptr (json_t) o = NULL;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  o = rc_codec_parse (text, length, error);
  if (o == NULL)
    return NULL;
  return rc_codec_decode_object (o, error);
}
