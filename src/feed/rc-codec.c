/* rc-codec.c — RcEvent → one line of versioned JSON (docs/events.md), and the wire
 * form of times. Decoding, which must distrust its input, is in
 * rc-codec-decode.c; the feed's other messages (snapshot, heartbeat) are in
 * rc-codec-message.c. Every optional text is written as null when absent, never as "",
 * so a decoded event equals the one encoded. */
#include "rc-codec.h"

#include <stddef.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "model/rc-chamber.h"
#include "rc-codec-private.h"

/* ---------------------------------------------------------------- time */

char *
rc_codec_format_time (gint64 time)
{
  gint64 secs = time / G_USEC_PER_SEC;
  gint64 usec = time % G_USEC_PER_SEC;
  g_autoptr (GDateTime) dt = NULL;
  g_autofree char *base = NULL;

  /* Floor division, so times before 1970 still print a positive fraction. */
  if (usec < 0)
    {
      usec += G_USEC_PER_SEC;
      secs--;
    }
  dt = g_date_time_new_from_unix_utc (secs);
  g_return_val_if_fail (dt != NULL, NULL);
  /* Not g_date_time_format's %Y: it writes the year 792 as "792", which no reader (nor
   * rc_codec_parse_time) takes for a year. */
  base = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d", g_date_time_get_year (dt),
                          g_date_time_get_month (dt), g_date_time_get_day_of_month (dt),
                          g_date_time_get_hour (dt), g_date_time_get_minute (dt),
                          g_date_time_get_second (dt));
  if (usec % 1000 == 0)
    return g_strdup_printf ("%s.%03dZ", base, (int) (usec / 1000));
  return g_strdup_printf ("%s.%06dZ", base, (int) usec);
}

static gboolean
parse_digits (const char *text, guint n, int *out)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (text[i] - '0');
    }
  *out = value;
  return TRUE;
}

gboolean
rc_codec_parse_time (const char *text, gint64 *out)
{
  int year, month, day, hour, minute, second;
  gint64 fraction = 0;
  const char *p;
  g_autoptr (GDateTime) dt = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  /* Only the one form we write: a fixed layout is easy for any client to produce
   * and leaves no question about time zones. */
  if (strlen (text) < 20 || !parse_digits (text, 4, &year) || text[4] != '-'
      || !parse_digits (text + 5, 2, &month) || text[7] != '-' || !parse_digits (text + 8, 2, &day)
      || text[10] != 'T' || !parse_digits (text + 11, 2, &hour) || text[13] != ':'
      || !parse_digits (text + 14, 2, &minute) || text[16] != ':'
      || !parse_digits (text + 17, 2, &second))
    return FALSE;

  p = text + 19;
  if (*p == '.')
    {
      guint n = 0;

      for (p++; g_ascii_isdigit (*p); p++, n++)
        {
          if (n == 6)
            return FALSE;
          fraction = fraction * 10 + (*p - '0');
        }
      /* milliseconds or microseconds (events.md): nothing else */
      if (n != 3 && n != 6)
        return FALSE;
      for (; n < 6; n++)
        fraction *= 10;
    }
  if (p[0] != 'Z' || p[1] != '\0')
    return FALSE;

  /* g_date_time_new_utc() checks the ranges (month 13, 30 February, second 60). */
  dt = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (dt == NULL)
    return FALSE;
  if (out != NULL)
    *out = g_date_time_to_unix (dt) * G_USEC_PER_SEC + fraction;
  return TRUE;
}

/* ---------------------------------------------------------------- tables */

/* Official totals as a source states them; hidden/pending/members mean nothing there. */
const RcCodecField rc_codec_tally_fields[] = {
  { "yes", G_STRUCT_OFFSET (RcTally, yes) },
  { "no", G_STRUCT_OFFSET (RcTally, no) },
  { "abstain", G_STRUCT_OFFSET (RcTally, abstain) },
  { "not_voting", G_STRUCT_OFFSET (RcTally, not_voting) },
  { "no_right", G_STRUCT_OFFSET (RcTally, no_right) },
};

const guint rc_codec_n_tally_fields = G_N_ELEMENTS (rc_codec_tally_fields);

/* ---------------------------------------------------------------- encoding */

void
rc_codec_set_text (JsonObject *object, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

JsonObject *
rc_codec_session_to_json (const RcSessionInfo *info)
{
  JsonObject *o = json_object_new ();

  rc_codec_set_text (o, "id", info->id);
  rc_codec_set_text (o, "meeting", info->meeting);
  rc_codec_set_text (o, "date", info->date);
  rc_codec_set_text (o, "title", info->title);
  rc_codec_set_text (o, "timezone", info->timezone);
  json_object_set_boolean_member (o, "synthesized", info->synthesized);
  return o;
}

JsonObject *
rc_codec_chamber_to_json (const RcChamberInfo *info)
{
  JsonObject *o = json_object_new ();
  JsonObject *rules = json_object_new ();
  JsonObject *palette = json_object_new ();

  rc_codec_set_text (o, "id", info->id);
  rc_codec_set_text (o, "name", info->name);
  rc_codec_set_text (o, "body", info->body);

  json_object_set_string_member (rules, "majority",
                                 rc_majority_to_string (info->rules.default_majority));
  json_object_set_int_member (rules, "council_affirmative", info->rules.council_affirmative);
  json_object_set_boolean_member (rules, "concurrent_votes", info->rules.concurrent_votes);
  json_object_set_object_member (o, "rules", rules);

  for (guint i = 0; i < rc_palette_n_fields; i++)
    {
      const RcPaletteField *field = &rc_palette_fields[i];
      char colour[8];

      g_snprintf (colour, sizeof colour, "#%06x",
                  RC_PALETTE_COLOUR (&info->palette, field) & 0xffffff);
      json_object_set_string_member (palette, field->key, colour);
    }
  json_object_set_object_member (o, "palette", palette);
  return o;
}

JsonArray *
rc_codec_roster_to_json (const RcRoster *roster)
{
  JsonArray *array = json_array_new ();
  guint n = rc_roster_get_size (roster);

  for (guint i = 0; i < n; i++)
    {
      const RcMember *m = rc_roster_get_member (roster, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "code", m->code);
      json_object_set_string_member (o, "name", m->name ? m->name : "");
      json_object_set_string_member (o, "label", m->label ? m->label : "");
      json_object_set_string_member (o, "sort_key", m->sort_key ? m->sort_key : "");
      json_object_set_boolean_member (o, "veto", m->veto);
      json_array_add_object_element (array, o);
    }
  return array;
}

static JsonArray *
ballots_to_json (const GArray *ballots)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < ballots->len; i++)
    {
      const RcBallot *b = &g_array_index (ballots, RcBallot, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "member", b->member);
      json_object_set_string_member (o, "choice", rc_choice_to_string (b->choice));
      json_array_add_object_element (array, o);
    }
  return array;
}

JsonObject *
rc_codec_tally_to_json (const RcTally *tally)
{
  JsonObject *o = json_object_new ();

  for (guint i = 0; i < rc_codec_n_tally_fields; i++)
    json_object_set_int_member (o, rc_codec_tally_fields[i].name,
                                RC_CODEC_TALLY_COUNT (tally, &rc_codec_tally_fields[i]));
  return o;
}

char *
rc_codec_object_to_string (JsonObject *object)
{
  g_autoptr (JsonNode) root = json_node_init_object (json_node_alloc (), object);

  return json_to_string (root, FALSE);
}

JsonObject *
rc_codec_event_to_json (const RcEvent *event, const char *stream)
{
  JsonObject *o = json_object_new ();
  g_autofree char *time = rc_codec_format_time (event->time);

  json_object_set_int_member (o, "v", RC_CODEC_VERSION);
  /* Second, as in the examples of docs/feed-protocol.md: a reader of a log sees at
   * once which stream a line belongs to. */
  if (stream != NULL)
    json_object_set_string_member (o, "stream", stream);
  json_object_set_int_member (o, "seq", event->seq);
  json_object_set_string_member (o, "time", time);
  json_object_set_string_member (o, "type", rc_event_type_to_string (event->type));

  switch (event->type)
    {
    case RC_EVENT_SESSION:
      json_object_set_object_member (o, "session", rc_codec_session_to_json (event->session));
      json_object_set_object_member (o, "chamber", rc_codec_chamber_to_json (event->chamber));
      json_object_set_array_member (o, "roster", rc_codec_roster_to_json (event->roster));
      break;

    case RC_EVENT_VOTE_SCHEDULED:
      json_object_set_string_member (o, "vote", event->vote->id);
      rc_codec_set_text (o, "symbol", event->vote->symbol);
      rc_codec_set_text (o, "draft", event->vote->draft);
      rc_codec_set_text (o, "title", event->vote->title);
      json_object_set_string_member (o, "majority", rc_majority_to_string (event->vote->majority));
      json_object_set_boolean_member (o, "recorded", event->vote->recorded);
      json_object_set_string_member (o, "reveal", rc_reveal_to_string (event->vote->reveal));
      break;

    case RC_EVENT_VOTE_OPENED:
      json_object_set_string_member (o, "vote", event->vote_id);
      break;

    case RC_EVENT_BALLOT:
      json_object_set_string_member (o, "vote", event->vote_id);
      json_object_set_string_member (o, "member", event->member);
      json_object_set_string_member (o, "choice", rc_choice_to_string (event->choice));
      break;

    case RC_EVENT_VOTE_LOCKED:
      json_object_set_string_member (o, "vote", event->vote_id);
      if (event->ballots != NULL)
        json_object_set_array_member (o, "ballots", ballots_to_json (event->ballots));
      else
        json_object_set_null_member (o, "ballots");
      break;

    case RC_EVENT_VOTE_ANNOUNCED:
      json_object_set_string_member (o, "vote", event->vote_id);
      if (event->has_official)
        json_object_set_object_member (o, "official", rc_codec_tally_to_json (&event->official));
      else
        json_object_set_null_member (o, "official");
      break;

    case RC_EVENT_VOTE_CORRECTED:
      json_object_set_string_member (o, "vote", event->vote_id);
      json_object_set_string_member (o, "member", event->member);
      json_object_set_string_member (o, "choice", rc_choice_to_string (event->choice));
      rc_codec_set_text (o, "note", event->note);
      break;

    case RC_EVENT_VOTE_CANCELLED:
      json_object_set_string_member (o, "vote", event->vote_id);
      rc_codec_set_text (o, "note", event->note);
      break;

    case RC_EVENT_ON_AIR:
      json_object_set_string_member (o, "show", rc_on_air_to_string (event->on_air));
      rc_codec_set_text (o, "vote", event->on_air == RC_ON_AIR_VOTE ? event->vote_id : NULL);
      break;

    case RC_EVENT_HEARTBEAT:
    case RC_EVENT_N_TYPES:
    default:
      break;
    }

  return o;
}

char *
rc_codec_encode (const RcEvent *event)
{
  g_autoptr (JsonObject) o = NULL;

  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (event->type < RC_EVENT_N_TYPES, NULL);

  o = rc_codec_event_to_json (event, NULL);
  return rc_codec_object_to_string (o);
}
