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
#include <json-glib/json-glib.h>

#include "model/rc-chamber.h"
#include "model/rc-error.h"
#include "model/rc-paths.h"
#include "rc-codec.h"
#include "rc-json-reader.h"

/* The server's part of every event: a body cannot set these. */
static const char *const envelope[] = { "v", "seq", "time", "type", "stream", NULL };

/* Any time will do: the codec wants one, and the hub replaces time 0 with its clock. */
#define PLACEHOLDER_TIME "1970-01-01T00:00:00.000Z"

static RcEvent *
decode_object (JsonObject *message, GError **error)
{
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_node_set_object (root, message);
  text = json_to_string (root, FALSE);
  return rc_codec_decode (text, -1, error);
}

/* The body's members inside an envelope of type `type` (and the path's vote). */
static RcEvent *
decode_with_envelope (RcEventType type, const char *vote_id, JsonObject *body, GError **error)
{
  g_autoptr (JsonObject) message = json_object_new ();
  g_autoptr (GList) names = json_object_get_members (body);

  json_object_set_int_member (message, "v", RC_CODEC_VERSION);
  json_object_set_int_member (message, "seq", 0);
  json_object_set_string_member (message, "time", PLACEHOLDER_TIME);
  json_object_set_string_member (message, "type", rc_event_type_to_string (type));
  if (vote_id != NULL)
    json_object_set_string_member (message, "vote", vote_id);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;

      /* The path names the vote: a "vote" in the body cannot point elsewhere. */
      if (g_strv_contains (envelope, name) || (vote_id != NULL && g_str_equal (name, "vote")))
        continue;
      json_object_set_member (message, name, json_node_copy (json_object_get_member (body, name)));
    }
  return decode_object (message, error);
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
decode_session_by_chamber (JsonObject *body, const char *chamber_id, GError **error)
{
  RcJsonCtx ctx = { "session", "" };
  RcJsonCtx session_ctx = { "session", "session" };
  JsonObject *session;
  const char *date;
  g_autofree char *lower = NULL, *rel = NULL, *path = NULL, *text = NULL;
  g_autoptr (RcChamber) chamber = NULL;
  g_autoptr (RcRoster) roster = NULL;
  g_autoptr (RcEvent) template = NULL;
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local = NULL;
  RcSessionInfo placeholder = { 0 };
  JsonObject *message;

  if (!rc_json_get_object (&ctx, body, "session", FALSE, &session, error)
      || !rc_json_get_string (&session_ctx, session, "date", FALSE, FALSE, &date, error))
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
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    g_assert_not_reached (); /* the codec's own output */
  message = json_node_get_object (json_parser_get_root (parser));
  json_object_set_member (message, "session",
                          json_node_copy (json_object_get_member (body, "session")));
  return decode_object (message, error);
}

RcEvent *
rc_feed_control_decode_body (RcEventType type, const char *vote_id, const char *body, gsize length,
                             GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o;
  JsonNode *chamber;

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
  /* json-glib does not promise to refuse bad UTF-8, and a NUL inside would cut it. */
  if (!g_utf8_validate_len (body, length, NULL))
    {
      rc_json_bad (NULL, error, _ ("the body is not valid UTF-8"));
      return NULL;
    }
  parser = rc_json_parse (body, length, error);
  if (parser == NULL)
    return NULL;
  o = json_node_get_object (json_parser_get_root (parser));

  /* A session driven through the API is being recorded: "synthesized" (which an
   * importer sets) may be left out. */
  if (type == RC_EVENT_SESSION && json_object_has_member (o, "session")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "session")))
    {
      JsonObject *session = json_object_get_object_member (o, "session");

      if (!json_object_has_member (session, "synthesized"))
        json_object_set_boolean_member (session, "synthesized", FALSE);
    }

  chamber = json_object_get_member (o, "chamber");
  if (type == RC_EVENT_SESSION && chamber != NULL && JSON_NODE_HOLDS_VALUE (chamber)
      && json_node_get_value_type (chamber) == G_TYPE_STRING)
    return decode_session_by_chamber (o, json_node_get_string (chamber), error);
  return decode_with_envelope (type, vote_id, o, error);
}
