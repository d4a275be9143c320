/* rc-feed-control.c — the authenticated control API of a feed (docs/feed-protocol.md §7).
 *
 * Everything a request's headers can tell is decided in an early handler, before the
 * body is read: the path, the method, the rate, the token, the mode and the media
 * type, so a refused request costs no more than its headers and its body is dropped
 * as it arrives. An accepted body is collected here, never past 64 KiB. The body
 * becomes an event (rc-feed-control-body.c), the hub checks, journals and publishes
 * it, and the reply is the event as published. Every refusal is one status, one JSON
 * object and one log line, and changes nothing. */
#include "rc-feed-control.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "model/rc-error.h"
#include "codec/rc-codec.h"
#include "rc-feed-control-private.h"
#include "rc-feed-listener.h"
#include "rc-feed-log.h"
#include "codec/rc-json-writer.h"

#define RATE_WRITES_DEFAULT 1000
#define RATE_WINDOW_MS_DEFAULT 1000
/* Past this many client addresses, those idle long enough to have a full allowance
 * again are forgotten: the table stays small whoever knocks. */
#define RATE_TABLE_PRUNE 1024
/* A token file holds one short line; anything much bigger is not a token file. */
#define TOKEN_FILE_MAX (64 * 1024)

/* RFC 6585; libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

#define REQUEST_KEY "rc-feed-control-request"
#define CONTROL_KEY "rc-feed-control"

/* A token bucket: so many at once, then so many a second. */
typedef struct {
  double allowance;
  gint64 last; /* monotonic µs */
} Bucket;

typedef struct {
  RcFeedHub *hub;
  char *token;
  RcFeedControlMode mode;
  GHashTable *buckets; /* client address → Bucket */
  guint rate_writes;
  gint64 rate_window; /* µs */
  /* Wrong tokens from every address together: a guesser that changes its address
   * with each guess is slowed down all the same. */
  Bucket wrong_tokens;
} Control;

/* What the early handler learnt about a request it let through. */
typedef struct {
  RcEventType type;
  char *vote_id;
  GByteArray *body;
  gboolean too_large;
} Request;

static void
control_clear (Control *c)
{
  g_clear_object (&c->hub);
  g_clear_pointer (&c->token, g_free);
  g_clear_pointer (&c->buckets, g_hash_table_unref);
}

static void
control_release (gpointer data)
{
  g_rc_box_release_full (data, (GDestroyNotify) control_clear);
}

static void
request_free (Request *r)
{
  g_free (r->vote_id);
  g_byte_array_unref (r->body);
  g_free (r);
}

/* ---------------------------------------------------------------- replies */

/* Log lines are one line whatever a peer put in its path. */
static char *
one_line (const char *text)
{
  char *copy = g_utf8_make_valid (text, -1);

  for (char *p = copy; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  return copy;
}

/* Replies with the error; returns FALSE so that a check can end with it. */
static gboolean
refuse (SoupServerMessage *msg, const char *path, guint status, const char *code,
        const char *reason)
{
  GString *json = g_string_new (NULL);
  gsize length;
  g_autofree char *safe_path = one_line (path);
  g_autofree char *safe_reason = one_line (reason);

  rc_json_begin_object (json);
  rc_json_add_int (json, "v", RC_CODEC_VERSION);
  rc_json_add_object (json, "error");
  rc_json_add_string (json, "code", code);
  rc_json_add_string (json, "message", safe_reason);
  rc_json_end_object (json);
  rc_json_end_object (json);
  length = json->len;

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (json, FALSE), length);
  rc_feed_log ("control: %s %s %s refused: %u %s: %s", soup_server_message_get_remote_host (msg),
               soup_server_message_get_method (msg), safe_path, status, code, safe_reason);
  /* Refused on its headers: answered now, not after the body has come whole. */
  rc_feed_message_answer_early (msg);
  return FALSE;
}

/* The statuses of docs/feed-protocol.md §7 for what the body, the state machine or
 * the journal refused. Anything else is the server's own fault. */
static const struct {
  RcError error;
  guint status;
  const char *code;
} error_statuses[] = {
  { RC_ERROR_BAD_MESSAGE, SOUP_STATUS_BAD_REQUEST, "bad-message" },
  { RC_ERROR_UNKNOWN_MEMBER, SOUP_STATUS_UNPROCESSABLE_ENTITY, "unknown-member" },
  { RC_ERROR_UNKNOWN_VOTE, SOUP_STATUS_NOT_FOUND, "not-found" },
  { RC_ERROR_LIFECYCLE, SOUP_STATUS_CONFLICT, "lifecycle" },
  { RC_ERROR_SEQUENCE, SOUP_STATUS_CONFLICT, "sequence" },
  { RC_ERROR_ARCHIVE, SOUP_STATUS_SERVICE_UNAVAILABLE, "archive" },
};

static gboolean
refuse_error (SoupServerMessage *msg, const char *path, const GError *error)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_statuses); i++)
    if (g_error_matches (error, RC_ERROR, error_statuses[i].error))
      return refuse (msg, path, error_statuses[i].status, error_statuses[i].code, error->message);
  return refuse (msg, path, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", error->message);
}

/* ---------------------------------------------------------------- routing */

static const struct {
  const char *name;
  RcEventType type;
} vote_actions[] = {
  { "open", RC_EVENT_VOTE_OPENED },       { "ballots", RC_EVENT_BALLOT },
  { "lock", RC_EVENT_VOTE_LOCKED },       { "announce", RC_EVENT_VOTE_ANNOUNCED },
  { "correct", RC_EVENT_VOTE_CORRECTED }, { "cancel", RC_EVENT_VOTE_CANCELLED },
};

/* path → the event it asks for, and the vote it names. The vote is everything between
 * "/v1/votes/" and the last "/", so an id may hold a slash (sent as %2F). */
static gboolean
route (const char *path, RcEventType *type, char **vote_id)
{
  const char *rest, *slash;

  static const struct {
    const char *path;
    RcEventType type;
  } plain[] = {
    { "/v1/session", RC_EVENT_SESSION },
    { "/v1/votes", RC_EVENT_VOTE_SCHEDULED },
    { "/v1/on-air", RC_EVENT_ON_AIR },
  };

  *vote_id = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    if (g_str_equal (path, plain[i].path))
      {
        *type = plain[i].type;
        return TRUE;
      }
  if (!g_str_has_prefix (path, "/v1/votes/"))
    return FALSE;

  rest = path + strlen ("/v1/votes/");
  slash = strrchr (rest, '/');
  if (slash == NULL || slash == rest || !g_utf8_validate (rest, slash - rest, NULL))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (vote_actions); i++)
    if (g_str_equal (slash + 1, vote_actions[i].name))
      {
        *type = vote_actions[i].type;
        *vote_id = g_strndup (rest, slash - rest);
        return TRUE;
      }
  return FALSE;
}

/* ---------------------------------------------------------------- limits, token */

static gboolean
rate_take (Control *c, const char *address)
{
  gint64 now = g_get_monotonic_time ();
  double per_us = (double) c->rate_writes / (double) c->rate_window;
  Bucket *b;

  if (address == NULL)
    address = "";
  b = g_hash_table_lookup (c->buckets, address);
  if (b == NULL)
    {
      if (g_hash_table_size (c->buckets) >= RATE_TABLE_PRUNE)
        {
          GHashTableIter iter;
          Bucket *old;

          g_hash_table_iter_init (&iter, c->buckets);
          while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &old))
            if (now - old->last >= c->rate_window)
              g_hash_table_iter_remove (&iter);
        }
      b = g_new0 (Bucket, 1);
      b->allowance = c->rate_writes;
      b->last = now;
      g_hash_table_insert (c->buckets, g_strdup (address), b);
    }
  b->allowance = MIN ((double) c->rate_writes, b->allowance + (double) (now - b->last) * per_us);
  b->last = now;
  if (b->allowance < 1.0)
    return FALSE;
  b->allowance -= 1.0;
  return TRUE;
}

/* A wrong token, counted against the allowance of all addresses together; FALSE when
 * it is spent. */
static gboolean
wrong_token_take (Control *c)
{
  gint64 now = g_get_monotonic_time ();
  Bucket *b = &c->wrong_tokens;

  b->allowance
    = MIN ((double) RC_FEED_CONTROL_WRONG_TOKENS_BURST,
           b->allowance + (double) (now - b->last) * RC_FEED_CONTROL_WRONG_TOKENS_RATE / 1e6);
  b->last = now;
  if (b->allowance < 1.0)
    return FALSE;
  b->allowance -= 1.0;
  return TRUE;
}

/* Compares in a time that depends on the expected token's length only, so the reply's
 * timing tells a guesser nothing about how much of a guess was right. */
static gboolean
token_equal (const char *given, const char *expected)
{
  gsize n_given = strlen (given), n_expected = strlen (expected);
  guint8 diff = n_given != n_expected;

  for (gsize i = 0; i < n_expected; i++)
    diff |= (guint8) expected[i] ^ (guint8) (i < n_given ? given[i] : 0);
  return diff == 0;
}

static gboolean
authorized (Control *c, SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *token = NULL;

  /* RFC 6750: the scheme is case-insensitive, then one or more spaces. */
  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return FALSE;
  token = g_strstrip (g_strdup (value + 7));
  return token_equal (token, c->token);
}

/* ---------------------------------------------------------------- handlers */

static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, Request *r)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (chunk, &size);

  if (r->too_large || r->body->len + size > RC_FEED_CONTROL_MAX_BODY)
    {
      /* Not kept, and not read to its end either (a chunked body says no length
       * before it comes): answered now. */
      if (!r->too_large)
        refuse (msg, g_uri_get_path (soup_server_message_get_uri (msg)),
                SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                _ ("the body is over the limit of 64 KiB"));
      r->too_large = TRUE;
      return;
    }
  g_byte_array_append (r->body, data, size);
}

/* Everything the headers can decide; FALSE when the request was refused. */
static gboolean
admit (Control *c, SoupServerMessage *msg, const char *path, RcEventType *type, char **vote_id)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *content_type;

  if (!route (path, type, vote_id))
    return refuse (msg, path, SOUP_STATUS_NOT_FOUND, "not-found", _ ("no such path"));
  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    {
      soup_message_headers_replace (response, "Allow", "POST");
      return refuse (msg, path, SOUP_STATUS_METHOD_NOT_ALLOWED, "method",
                     _ ("this path takes POST only"));
    }
  /* Before the token, so that guessing it is throttled too. */
  if (!rate_take (c, soup_server_message_get_remote_host (msg)))
    return refuse (msg, path, STATUS_TOO_MANY_REQUESTS, "rate",
                   _ ("too many writes from this address; slow down"));
  if (!authorized (c, headers))
    {
      if (!wrong_token_take (c))
        {
          soup_message_headers_replace (response, "Retry-After", "1");
          return refuse (msg, path, STATUS_TOO_MANY_REQUESTS, "rate",
                         _ ("too many wrong tokens from all addresses together; slow down"));
        }
      soup_message_headers_replace (response, "WWW-Authenticate", "Bearer realm=\"rollcall\"");
      return refuse (msg, path, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                     soup_message_headers_get_one (headers, "Authorization") == NULL
                       ? _ ("no token: send Authorization: Bearer TOKEN")
                       : _ ("wrong token"));
    }
  if (c->mode == RC_FEED_CONTROL_ON_AIR_ONLY && *type != RC_EVENT_ON_AIR)
    return refuse (msg, path, SOUP_STATUS_CONFLICT, "lifecycle",
                   _ ("this server replays an archive: only POST /v1/on-air is accepted"));
  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type == NULL || g_ascii_strcasecmp (content_type, "application/json") != 0)
    return refuse (msg, path, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "media-type",
                   _ ("the body must be application/json"));
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > RC_FEED_CONTROL_MAX_BODY)
    return refuse (msg, path, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                   _ ("the body is over the limit of 64 KiB"));
  return TRUE;
}

static void
on_early (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
          gpointer data)
{
  Control *c = data;
  g_autofree char *vote_id = NULL;
  RcEventType type = RC_EVENT_N_TYPES;
  Request *r;

  /* libsoup keeps no body of ours: a refused one is dropped as it arrives, an accepted
   * one is collected by on_got_chunk up to the limit. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  if (!admit (c, msg, path, &type, &vote_id))
    return;

  r = g_new0 (Request, 1);
  r->type = type;
  r->vote_id = g_steal_pointer (&vote_id);
  r->body = g_byte_array_new ();
  g_object_set_data_full (G_OBJECT (msg), REQUEST_KEY, r, (GDestroyNotify) request_free);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), r);
}

static gboolean
session_id_valid (const char *id, GError **error)
{
  /* The session's id becomes the stream's, and event ids are STREAM:SEQ. */
  if (strchr (id, ':') != NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                   _ ("session event: field \"session.id\": a live session's id is its stream's "
                      "and cannot hold ':'"));
      return FALSE;
    }
  return TRUE;
}

/* The first session of a live server that was waiting: its stream becomes the
 * session's id, once the event is committed; a refusal changes nothing and nobody
 * hears of it. */
static RcEvent *
publish_first_session (Control *c, const RcEvent *event, GError **error)
{
  if (!session_id_valid (event->session->id, error))
    return NULL;
  return rc_feed_hub_restart_with (c->hub, event->session->id, event->session->id, event,
                                   error);
}

static RcEvent *
publish (Control *c, RcEvent *event, GError **error)
{
  RcSession *session = rc_feed_hub_get_session (c->hub);
  const RcSessionInfo *info = rc_session_get_info (session);

  /* A replay's events carry the times of the meeting: an operator's switch takes the
   * replay's clock, or every replayed event after it would be stamped with today. */
  if (c->mode == RC_FEED_CONTROL_ON_AIR_ONLY)
    event->time = rc_session_get_last_time (session);

  if (event->type == RC_EVENT_SESSION)
    {
      if (info != NULL && !g_str_equal (info->id, event->session->id))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_SEQUENCE,
                       _ ("session: this server's journal is session '%s', not '%s'"), info->id,
                       event->session->id);
          return NULL;
        }
      if (info == NULL && !g_str_equal (rc_feed_hub_get_stream (c->hub), event->session->id))
        return publish_first_session (c, event, error);
    }
  return rc_feed_hub_publish (c->hub, event, error);
}

static void
on_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer data)
{
  Control *c = data;
  Request *r = g_object_get_data (G_OBJECT (msg), REQUEST_KEY);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) event = NULL;
  g_autoptr (RcEvent) published = NULL;
  g_autofree char *reply = NULL;
  gsize length;

  /* The early handler either refused (and this is not called) or left a request. */
  g_assert (r != NULL);

  if (r->too_large)
    {
      refuse (msg, path, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
              _ ("the body is over the limit of 64 KiB"));
      return;
    }
  event = rc_feed_control_decode_body (r->type, r->vote_id, (const char *) r->body->data,
                                       r->body->len, &error);
  if (event != NULL)
    published = publish (c, event, &error);
  if (published == NULL)
    {
      refuse_error (msg, path, error);
      return;
    }

  reply = rc_codec_encode_stream_event (published, rc_feed_hub_get_stream (c->hub));
  length = strlen (reply);
  soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
  /* The length first: the order in which arguments are worked out is unspecified. */
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&reply), length);
}

/* ---------------------------------------------------------------- public */

void
rc_feed_control_attach (RcFeedServer *server, const char *token, RcFeedControlMode mode)
{
  static const char *const paths[] = { "/v1/session", "/v1/votes", "/v1/on-air" };
  SoupServer *soup;
  Control *c;

  g_return_if_fail (RC_IS_FEED_SERVER (server));
  g_return_if_fail (token != NULL && *token != '\0');
  g_return_if_fail (g_object_get_data (G_OBJECT (server), CONTROL_KEY) == NULL);

  c = g_rc_box_new0 (Control);
  c->hub = g_object_ref (rc_feed_server_get_hub (server));
  c->token = g_strdup (token);
  c->mode = mode;
  c->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  c->rate_writes = RATE_WRITES_DEFAULT;
  c->rate_window = RATE_WINDOW_MS_DEFAULT * G_TIME_SPAN_MILLISECOND;
  c->wrong_tokens.allowance = RC_FEED_CONTROL_WRONG_TOKENS_BURST;
  c->wrong_tokens.last = g_get_monotonic_time ();

  soup = rc_feed_server_get_soup_server (server);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      soup_server_add_early_handler (soup, paths[i], on_early, g_rc_box_acquire (c),
                                     control_release);
      soup_server_add_handler (soup, paths[i], on_request, g_rc_box_acquire (c), control_release);
    }
  g_object_set_data_full (G_OBJECT (server), CONTROL_KEY, c, control_release);
}

void
rc_feed_control_set_rate_limit (RcFeedServer *server, guint writes, guint per_ms)
{
  Control *c;

  g_return_if_fail (RC_IS_FEED_SERVER (server));
  g_return_if_fail (writes > 0 && per_ms > 0);
  c = g_object_get_data (G_OBJECT (server), CONTROL_KEY);
  g_return_if_fail (c != NULL);

  c->rate_writes = writes;
  c->rate_window = (gint64) per_ms * G_TIME_SPAN_MILLISECOND;
  g_hash_table_remove_all (c->buckets);
}

char *
rc_feed_control_read_token_file (const char *path, GError **error)
{
  g_autofree char *display = NULL;
  g_autoptr (GByteArray) contents = g_byte_array_new ();
  char buffer[4096];
  struct stat st;
  gssize n;
  char *line, *end;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_name (path);
  /* One open file for every check, so the file checked is the file read. Without
   * waiting: opening a FIFO would wait for a writer, for ever. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("cannot read the token file %s: %s"),
                   display, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("the token file %s is not a file"),
                   display);
      close (fd);
      return NULL;
    }
  if ((st.st_mode & 0077) != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("the token file %s can be read by other users (mode %04o): chmod 600 it"),
                   display, (guint) (st.st_mode & 07777));
      close (fd);
      return NULL;
    }
  /* A regular file: reads wait for nothing, with or without O_NONBLOCK. */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  while ((n = read (fd, buffer, sizeof buffer)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("cannot read the token file %s: %s"),
                       display, g_strerror (saved));
          close (fd);
          return NULL;
        }
      if (contents->len + n > TOKEN_FILE_MAX)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("the token file %s is too large to hold a token"), display);
          close (fd);
          return NULL;
        }
      g_byte_array_append (contents, (const guint8 *) buffer, n);
    }
  close (fd);

  /* The first line, without surrounding white space. */
  /* (memchr must not see the NULL data of an empty array) */
  end = contents->len > 0 ? memchr (contents->data, '\n', contents->len) : NULL;
  if (end != NULL)
    g_byte_array_set_size (contents, end - (char *) contents->data);
  if (contents->len > 0 && memchr (contents->data, '\0', contents->len) != NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("the token file %s is not text"),
                   display);
      return NULL;
    }
  g_byte_array_append (contents, (const guint8 *) "", 1);
  line = (char *) contents->data;
  g_strstrip (line);
  if (line[0] == '\0')
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("the token file %s is empty: write the token on its first line"), display);
      return NULL;
    }
  /* It travels in an HTTP header: visible ASCII only, no space. */
  for (const char *p = line; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
      {
        g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                     _ ("the token in %s holds a space or a character that cannot be sent in an "
                        "HTTP header"),
                     display);
        return NULL;
      }
  if (strlen (line) < RC_FEED_CONTROL_TOKEN_MIN)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("the token in %s has %u characters: a token needs at least %u (128 bits "
                      "written in hexadecimal; make one with: openssl rand -hex 16)"),
                   display, (guint) strlen (line), RC_FEED_CONTROL_TOKEN_MIN);
      return NULL;
    }
  return g_strdup (line);
}
