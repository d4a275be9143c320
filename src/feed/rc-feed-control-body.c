/* rc-feed-control-body.c — a control request's JSON body → the event it asks for.
 *
 * A body is an event without its envelope (docs/feed-protocol.md §7): the path says
 * the type and the vote, the server assigns seq and time. Rather than a second reader
 * with its own idea of strictness, the body gets its envelope and goes through the
 * codec's decoder, so a clerk's request and a wire message are refused for exactly the
 * same reasons, with the same one-line messages. */
#include "rc-feed-control-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "model/rc-chamber.h"
#include "model/rc-error.h"
#include "model/rc-paths.h"
#include "codec/rc-codec.h"
#include "codec/rc-codec-decode-private.h"

/* The server's part of every event: a body cannot set these. */
static const char *const envelope[] = { "v", "seq", "time", "type", "stream", NULL };

/* Any time will do: the codec wants one, and the hub replaces time 0 with its clock. */
#define PLACEHOLDER_TIME "1970-01-01T00:00:00.000Z"

/* The body's members inside an envelope of type `type` (and the path's vote). */
static RcEvent *
decode_with_envelope (RcEventType type, const char *vote_id, json_t *body, GError **error)
{
  g_autoptr (json_t) message = json_object ();
  const char *name;
  json_t *value;

  json_object_set_new (message, "v", json_integer (RC_CODEC_VERSION));
  json_object_set_new (message, "seq", json_integer (0));
  json_object_set_new (message, "time", json_string (PLACEHOLDER_TIME));
  json_object_set_new (message, "type", json_string (rc_event_type_to_string (type)));
  /* (a vote id from the path, which the decoder checks like any other id; jansson
   * makes no string of what is not UTF-8) */
  if (vote_id != NULL
      && json_object_set_new (message, "vote", json_stringn (vote_id, strlen (vote_id))) != 0)
    {
      rc_json_bad (NULL, error, _ ("the vote's id in the path is not UTF-8"));
      return NULL;
    }
  json_object_foreach (body, name, value)
    {
      /* The path names the vote: a "vote" in the body cannot point elsewhere. */
      if (g_strv_contains (envelope, name) || (vote_id != NULL && g_str_equal (name, "vote")))
        continue;
      json_object_set (message, name, value);
    }
  return rc_codec_decode_object (message, error);
}

/* A chamber named in a request must name a data file and nothing else: no path. */
static gboolean
chamber_id_valid (const char *id)
{
  gsize n = strlen (id);

  if (n == 0 || n > 64)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_')
      return FALSE;
  return TRUE;
}

/* {"session":{…},"chamber":"UNGA"}: the chamber and its roster on session.date come
 * from the server's data files. The chamber and roster are encoded as a session event
 * would carry them and the body's "session" put beside them, so that the whole is read
 * by the same decoder as the long form. */
static RcEvent *
decode_session_by_chamber (json_t *body, GError **error)
{
  RcJsonCtx ctx = { "session", "" };
  RcJsonCtx session_ctx = { "session", "session" };
  json_t *session;
  const char *date, *chamber_id;
  g_autofree char *lower = NULL, *rel = NULL, *path = NULL, *text = NULL;
  g_autoptr (RcChamber) chamber = NULL;
  g_autoptr (RcRoster) roster = NULL;
  g_autoptr (RcEvent) template = NULL;
  g_autoptr (json_t) message = NULL;
  g_autoptr (GError) local = NULL;
  RcSessionInfo placeholder = { 0 };

  /* (bounded: a refusal quotes it) */
  if (!rc_json_get_string (&ctx, body, "chamber", FALSE, TRUE, RC_ID_MAX, &chamber_id, error)
      || !rc_json_get_object (&ctx, body, "session", FALSE, &session, error)
      || !rc_json_get_string (&session_ctx, session, "date", FALSE, FALSE, RC_ID_MAX, &date, error))
    return NULL;
  if (!rc_iso_date_valid (date))
    {
      rc_json_bad (&ctx, error, _ ("field \"session.date\": \"%s\" is not a date like 2022-03-02"),
                   date);
      return NULL;
    }
  if (chamber_id_valid (chamber_id))
    {
      lower = g_ascii_strdown (chamber_id, -1);
      rel = g_strdup_printf ("chambers/%s.chamber", lower);
      path = rc_paths_find_data (rel);
    }
  if (path == NULL)
    {
      rc_json_bad (&ctx, error, _ ("field \"chamber\": this server has no chamber \"%s\""),
                   chamber_id);
      return NULL;
    }

  /* A chamber file that does not load is the server's fault, not the client's. */
  chamber = rc_chamber_load (path, error);
  if (chamber == NULL)
    return NULL;
  roster = rc_chamber_roster_at (chamber, date, &local);
  if (roster == NULL)
    {
      if (g_error_matches (local, RC_ERROR, RC_ERROR_BAD_ARGUMENT))
        rc_json_bad (&ctx, error, _ ("field \"session.date\": %s"), local->message);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  placeholder.id = (char *) "-";
  placeholder.date = (char *) date;
  template = rc_event_new_session (0, &placeholder, rc_chamber_get_info (chamber), roster);
  text = rc_codec_encode (template);
  message = json_loads (text, 0, NULL);
  g_assert (json_is_object (message)); /* the codec's own output */
  json_object_set (message, "session", json_object_get (body, "session"));
  return rc_codec_decode_object (message, error);
}

static gboolean
looks_like_zone_name (const char *zone)
{
  if (!g_ascii_isalnum (zone[0]) || strstr (zone, "..") != NULL || strstr (zone, "//") != NULL)
    return FALSE;
  for (const char *p = zone; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_+-/", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* A session's time zone sets the hall's clock: one this machine does not know would
 * show the clock in UTC without a word, so a new session must name a known one. (A
 * recorded one is read as it is, wherever it is replayed.) Takes event; NULL is
 * passed through. */
static RcEvent *
known_timezone (RcEvent *event, GError **error)
{
  const char *zone
    = event != NULL && event->type == RC_EVENT_SESSION ? event->session->timezone : NULL;
  g_autoptr (GTimeZone) tz = NULL;

  if (zone == NULL || *zone == '\0')
    return event;
  /* A name, not a path, nor anything GLib would read as one (":/path"): letters, digits,
   * "_", "+", "-" and "/" between them, as the IANA names are. */
  if (looks_like_zone_name (zone))
    tz = g_time_zone_new_identifier (zone);
  if (tz == NULL)
    {
      rc_json_bad (NULL, error,
                   _ ("field \"session.timezone\": \"%s\" is not a time zone known here (an "
                      "IANA name, such as America/New_York or Europe/Zurich)"),
                   zone);
      rc_event_unref (event);
      return NULL;
    }
  return event;
}

/* A live vote is decided by a rule the chamber knows, and its verdict computed from
 * its ballots: "unknown" and a stated "outcome" belong to imported records
 * (docs/model.md), never to a clerk's request. */
static RcEvent *
live_rules (RcEvent *event, GError **error)
{
  if (event == NULL)
    return NULL;
  if (event->type == RC_EVENT_VOTE_SCHEDULED && event->vote->majority == RC_MAJORITY_UNKNOWN)
    {
      rc_json_bad (NULL, error,
                   _ ("field \"majority\": a live vote states its rule (\"unknown\" is for "
                      "imported records)"));
      rc_event_unref (event);
      return NULL;
    }
  if (event->type == RC_EVENT_VOTE_ANNOUNCED && event->stated_outcome != RC_OUTCOME_PENDING)
    {
      rc_json_bad (NULL, error,
                   _ ("field \"outcome\": a live vote's verdict is computed from its ballots, "
                      "never stated"));
      rc_event_unref (event);
      return NULL;
    }
  return event;
}

RcEvent *
rc_feed_control_decode_body (RcEventType type, const char *vote_id, const char *body, gsize length,
                             GError **error)
{
  g_autoptr (json_t) o = NULL;
  json_t *session, *chamber;

  g_return_val_if_fail (type < RC_EVENT_N_TYPES && type != RC_EVENT_HEARTBEAT, NULL);
  g_return_val_if_fail (body != NULL || length == 0, NULL);

  /* (an empty body may come without a buffer) */
  if (body == NULL)
    body = "";
  if (length > RC_FEED_CONTROL_MAX_BODY)
    {
      rc_json_bad (NULL, error, _ ("the body is over the limit of %d bytes"),
                   RC_FEED_CONTROL_MAX_BODY);
      return NULL;
    }
  /* (as rc_codec_parse() does: before the parser, for one reason whatever the fault) */
  if (!g_utf8_validate_len (body, length, NULL))
    {
      rc_json_bad (NULL, error, _ ("the body is not valid UTF-8"));
      return NULL;
    }
  o = rc_json_parse (body, length, error);
  if (o == NULL)
    return NULL;

  /* A session driven through the API is being recorded: "synthesized" (which an
   * importer sets) may be left out. */
  session = json_object_get (o, "session");
  if (type == RC_EVENT_SESSION && json_is_object (session)
      && json_object_get (session, "synthesized") == NULL)
    json_object_set_new (session, "synthesized", json_false ());

  chamber = json_object_get (o, "chamber");
  if (type == RC_EVENT_SESSION && json_is_string (chamber))
    return known_timezone (decode_session_by_chamber (o, error), error);
  return live_rules (known_timezone (decode_with_envelope (type, vote_id, o, error), error), error);
}
