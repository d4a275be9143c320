/* rc-codec.c — RcEvent → one line of versioned JSON (docs/events.md), and the wire
 * form of times. Decoding, which must distrust its input, is in
 * rc-codec-decode.c; the feed's other messages (snapshot, heartbeat) are in
 * rc-codec-message.c. Every optional text is written as null when absent, never as "",
 * so a decoded event equals the one encoded. */
#include "rc-codec.h"

#include <stddef.h>
#include <string.h>

#include "model/rc-chamber.h"
#include "rc-codec-encode-private.h"

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
rc_codec_add_time (GString *out, const char *name, gint64 time)
{
  g_autofree char *text = rc_codec_format_time (time);

  rc_json_add_string (out, name, text);
}

void
rc_codec_write_session (GString *out, const RcSessionInfo *info)
{
  rc_json_begin_object (out);
  rc_json_add_string (out, "id", info->id);
  rc_json_add_string (out, "meeting", info->meeting);
  rc_json_add_string (out, "date", info->date);
  rc_json_add_string (out, "title", info->title);
  rc_json_add_string (out, "timezone", info->timezone);
  rc_json_add_bool (out, "synthesized", info->synthesized);
  rc_json_end_object (out);
}

void
rc_codec_write_chamber (GString *out, const RcChamberInfo *info)
{
  rc_json_begin_object (out);
  rc_json_add_string (out, "id", info->id);
  rc_json_add_string (out, "name", info->name);
  rc_json_add_string (out, "body", info->body);

  rc_json_add_object (out, "rules");
  rc_json_add_string (out, "majority", rc_majority_to_string (info->rules.default_majority));
  rc_json_add_int (out, "council_affirmative", info->rules.council_affirmative);
  rc_json_add_bool (out, "concurrent_votes", info->rules.concurrent_votes);
  rc_json_end_object (out);

  rc_json_add_object (out, "palette");
  for (guint i = 0; i < rc_palette_n_fields; i++)
    {
      const RcPaletteField *field = &rc_palette_fields[i];
      char colour[8];

      g_snprintf (colour, sizeof colour, "#%06x",
                  RC_PALETTE_COLOUR (&info->palette, field) & 0xffffff);
      rc_json_add_string (out, field->key, colour);
    }
  rc_json_end_object (out);
  rc_json_end_object (out);
}

void
rc_codec_write_roster (GString *out, const RcRoster *roster)
{
  guint n = rc_roster_get_size (roster);

  rc_json_begin_array (out);
  for (guint i = 0; i < n; i++)
    {
      const RcMember *m = rc_roster_get_member (roster, i);

      rc_json_begin_object (out);
      rc_json_add_string (out, "code", m->code);
      rc_json_add_string (out, "name", m->name ? m->name : "");
      rc_json_add_string (out, "label", m->label ? m->label : "");
      rc_json_add_string (out, "sort_key", m->sort_key ? m->sort_key : "");
      rc_json_add_bool (out, "veto", m->veto);
      rc_json_end_object (out);
    }
  rc_json_end_array (out);
}

static void
write_ballots (GString *out, const GArray *ballots)
{
  rc_json_begin_array (out);
  for (guint i = 0; i < ballots->len; i++)
    {
      const RcBallot *b = &g_array_index (ballots, RcBallot, i);

      rc_json_begin_object (out);
      rc_json_add_string (out, "member", b->member);
      rc_json_add_string (out, "choice", rc_choice_to_string (b->choice));
      rc_json_end_object (out);
    }
  rc_json_end_array (out);
}

void
rc_codec_write_tally (GString *out, const RcTally *tally)
{
  rc_json_begin_object (out);
  for (guint i = 0; i < rc_codec_n_tally_fields; i++)
    rc_json_add_int (out, rc_codec_tally_fields[i].name,
                     RC_CODEC_TALLY_COUNT (tally, &rc_codec_tally_fields[i]));
  rc_json_end_object (out);
}

void
rc_codec_write_event (GString *out, const RcEvent *event, const char *stream)
{
  rc_json_begin_object (out);
  rc_json_add_int (out, "v", RC_CODEC_VERSION);
  /* Second, as in the examples of docs/feed-protocol.md: a reader of a log sees at
   * once which stream a line belongs to. */
  if (stream != NULL)
    rc_json_add_string (out, "stream", stream);
  rc_json_add_int (out, "seq", event->seq);
  rc_codec_add_time (out, "time", event->time);
  rc_json_add_string (out, "type", rc_event_type_to_string (event->type));

  /* Optional texts are written as null when absent (rc_json_add_string of NULL). */
  switch (event->type)
    {
    case RC_EVENT_SESSION:
      rc_json_write_key (out, "session");
      rc_codec_write_session (out, event->session);
      rc_json_write_key (out, "chamber");
      rc_codec_write_chamber (out, event->chamber);
      rc_json_write_key (out, "roster");
      rc_codec_write_roster (out, event->roster);
      break;

    case RC_EVENT_VOTE_SCHEDULED:
      rc_json_add_string (out, "vote", event->vote->id);
      rc_json_add_string (out, "symbol", event->vote->symbol);
      rc_json_add_string (out, "draft", event->vote->draft);
      rc_json_add_string (out, "title", event->vote->title);
      rc_json_add_string (out, "majority", rc_majority_to_string (event->vote->majority));
      rc_json_add_bool (out, "recorded", event->vote->recorded);
      rc_json_add_string (out, "reveal", rc_reveal_to_string (event->vote->reveal));
      rc_json_add_string (out, "result_shown",
                          rc_result_shown_to_string (event->vote->result_shown));
      break;

    case RC_EVENT_VOTE_OPENED:
      rc_json_add_string (out, "vote", event->vote_id);
      break;

    case RC_EVENT_BALLOT:
      rc_json_add_string (out, "vote", event->vote_id);
      rc_json_add_string (out, "member", event->member);
      rc_json_add_string (out, "choice", rc_choice_to_string (event->choice));
      break;

    case RC_EVENT_VOTE_LOCKED:
      rc_json_add_string (out, "vote", event->vote_id);
      rc_json_write_key (out, "ballots");
      if (event->ballots != NULL)
        write_ballots (out, event->ballots);
      else
        rc_json_write_null (out);
      break;

    case RC_EVENT_VOTE_ANNOUNCED:
      rc_json_add_string (out, "vote", event->vote_id);
      rc_json_write_key (out, "official");
      if (event->has_official)
        rc_codec_write_tally (out, &event->official);
      else
        rc_json_write_null (out);
      /* only a record whose rule is unknown states an outcome; none: the bytes as before */
      if (event->stated_outcome != RC_OUTCOME_PENDING)
        rc_json_add_string (out, "outcome", rc_outcome_to_string (event->stated_outcome));
      break;

    case RC_EVENT_VOTE_CORRECTED:
      rc_json_add_string (out, "vote", event->vote_id);
      rc_json_add_string (out, "member", event->member);
      rc_json_add_string (out, "choice", rc_choice_to_string (event->choice));
      rc_json_add_string (out, "note", event->note);
      break;

    case RC_EVENT_VOTE_CANCELLED:
      rc_json_add_string (out, "vote", event->vote_id);
      rc_json_add_string (out, "note", event->note);
      break;

    case RC_EVENT_ON_AIR:
      rc_json_add_string (out, "show", rc_on_air_to_string (event->on_air));
      rc_json_add_string (out, "vote", event->on_air == RC_ON_AIR_VOTE ? event->vote_id : NULL);
      if (event->on_air == RC_ON_AIR_HOLDING)
        rc_json_add_string (out, "text", event->note);
      break;

    case RC_EVENT_HEARTBEAT:
    case RC_EVENT_N_TYPES:
    default:
      break;
    }
  rc_json_end_object (out);
}

char *
rc_codec_encode (const RcEvent *event)
{
  GString *out;

  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (event->type < RC_EVENT_N_TYPES, NULL);

  out = g_string_sized_new (event->type == RC_EVENT_SESSION ? 32768 : 256);
  rc_codec_write_event (out, event, NULL);
  return g_string_free (out, FALSE);
}
