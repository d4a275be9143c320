/* rollcall-feed.c — the feed server: serves one session to any number of boards over
 * WebSocket and Server-Sent Events (docs/feed-protocol.md).
 *
 *   rollcall-feed --replay ARCHIVE [--session ID] [--speed X] [--loop] [--token-file F]
 *   rollcall-feed --live --token-file F --journal ARCHIVE
 *   … [--port N] [--bind ADDR] [--tls-certificate PEM --tls-key PEM] [--max-clients N]
 *     [--history N] [--publish URL]…
 *
 * A replay re-publishes an archived session in its original time × speed; live mode
 * takes a session through the authenticated control API and journals every event in
 * ARCHIVE before it is sent, so that a restart after a crash goes on where the journal
 * ends. With --publish, every message it serves is also posted, in order, to the
 * publisher of an nginx + nchan edge that serves the public (docs/deploy.md). One line
 * on stdout says where it listens; every refusal is one line on stderr. */
#include "rc-config.h"

#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>
#include <glib.h>
#include <glib/gi18n.h>

#include "archive/rc-archive.h"
#include "feed/rc-feed-control.h"
#include "feed/rc-feed-listener.h"
#include "feed/rc-feed-publisher.h"
#include "feed/rc-feed-replay.h"
#include "feed/rc-feed-server.h"
#include "feed/rc-feed-tls.h"
#include "model/rc-error.h"
#include "model/rc-paths.h"
#include "model/rc-replay.h"

#define EXIT_USAGE 2
#define DEFAULT_PORT 8080
/* The stream of a live server before its first session is described. */
#define PENDING_STREAM "pending"
/* --history: up to ~500 MB of events at ~0.5 KB each. */
#define MAX_HISTORY 1000000u

static int die (int status, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Every refusal is one line on stderr, named after the program. */
static int
die (int status, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_strdelimit (message, "\r\n", ' ');
  fprintf (stderr, "rollcall-feed: %s\n", message);
  return status;
}

typedef struct {
  gboolean replay_mode;
  char *replay;
  char *session;
  char *speed_text;
  double speed;
  gboolean loop;
  gboolean live;
  char *journal;
  char *token_file;
  int port;
  char *bind;
  char *tls_certificate;
  char *tls_key;
  int max_clients;
  char *history_text;
  guint history;
  char **publish;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->replay);
  g_free (o->session);
  g_free (o->speed_text);
  g_free (o->journal);
  g_free (o->token_file);
  g_free (o->bind);
  g_free (o->tls_certificate);
  g_free (o->tls_key);
  g_free (o->history_text);
  g_strfreev (o->publish);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* The combinations that make sense; a usage error otherwise (one line, exit 2). */
static gboolean
options_check (Options *o, GError **error)
{
  const char *reason = NULL;
  char *end = NULL;

  if (o->replay != NULL && o->live)
    reason = _ ("--replay and --live do not go together");
  else if (o->replay == NULL && !o->live)
    reason = _ ("give --replay ARCHIVE, or --live --token-file FILE --journal ARCHIVE");
  else if (o->live && o->token_file == NULL)
    reason = _ ("--live needs --token-file FILE (the bearer token of the control API)");
  else if (o->live && o->journal == NULL)
    reason = _ ("--live needs --journal ARCHIVE (created if missing)");
  else if (!o->live && o->journal != NULL)
    reason = _ ("--journal goes with --live");
  else if (o->live && (o->session != NULL || o->speed_text != NULL || o->loop))
    reason = _ ("--session, --speed and --loop go with --replay");
  else if ((o->tls_certificate == NULL) != (o->tls_key == NULL))
    reason = _ ("--tls-certificate and --tls-key go together");
  else if (o->port < 0 || o->port > 65535)
    reason = _ ("--port takes a number from 0 (any free port) to 65535");
  else if (o->max_clients == 0 || o->max_clients < -1)
    reason = _ ("--max-clients takes a number of 1 or more");
  if (reason != NULL)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT, reason);
      return FALSE;
    }

  o->speed = 1.0;
  if (o->speed_text != NULL)
    {
      o->speed = g_ascii_strtod (o->speed_text, &end);
      if (end == o->speed_text || *end != '\0' || !isfinite (o->speed)
          || o->speed < RC_REPLAY_MIN_SPEED || o->speed > RC_REPLAY_MAX_SPEED)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                       _ ("--speed %s: give a factor from %g to %g"), o->speed_text,
                       RC_REPLAY_MIN_SPEED, RC_REPLAY_MAX_SPEED);
          return FALSE;
        }
    }
  o->history = RC_FEED_HUB_HISTORY_DEFAULT;
  if (o->history_text != NULL)
    {
      guint64 history = 0;

      if (!g_ascii_string_to_unsigned (o->history_text, 10, 0, MAX_HISTORY, &history, NULL))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                       _ ("--history %s: give a number of events from 0 to %u"), o->history_text,
                       MAX_HISTORY);
          return FALSE;
        }
      o->history = history;
    }
  if (o->bind != NULL)
    {
      g_autoptr (GInetAddress) address = g_inet_address_new_from_string (o->bind);

      if (address == NULL)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                       _ ("--bind %s: give an IP address, such as 0.0.0.0, :: or 192.0.2.7"),
                       o->bind);
          return FALSE;
        }
    }
  return TRUE;
}

static RcFeedHub *
open_live (Options *o, GError **error)
{
  g_autoptr (RcArchive) journal = NULL;
  g_autofree char *session_id = NULL;

  journal = rc_archive_open (o->journal, RC_ARCHIVE_READ_WRITE | RC_ARCHIVE_CREATE, error);
  /* The session begun last, so that a restart continues the meeting under way. */
  if (journal == NULL || !rc_archive_get_latest_session (journal, &session_id, error))
    return NULL;
  /* Before the clerk describes the session there is nothing to number: a stream that
   * never has an event, until POST /v1/session makes the session's own. */
  return rc_feed_hub_new_full (session_id != NULL ? session_id : PENDING_STREAM, journal,
                               session_id, o->history, error);
}

static RcFeedHub *
open_replay (Options *o, RcFeedReplay **out_replay, GError **error)
{
  g_autoptr (RcArchive) archive = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *note = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (RcFeedHub) hub = NULL;
  RcFeedReplay *replay;

  archive = rc_archive_open (o->replay, RC_ARCHIVE_READ_ONLY, error);
  if (archive == NULL)
    return NULL;
  session_id = rc_archive_choose_session (archive, o->session, NULL, &note, error);
  if (note != NULL)
    g_printerr ("rollcall-feed: %s\n", note);
  if (session_id == NULL)
    return NULL;
  events = rc_archive_load_events (archive, session_id, error);
  if (events == NULL)
    return NULL;
  hub = rc_feed_hub_new_full (session_id, NULL, NULL, o->history, error);
  if (hub == NULL)
    return NULL;

  replay = rc_feed_replay_new (hub, events, session_id);
  rc_feed_replay_set_speed (replay, o->speed);
  rc_feed_replay_set_loop (replay, o->loop);
  *out_replay = replay;
  return g_steal_pointer (&hub);
}

typedef struct {
  GMainLoop *loop;
  RcFeedServer *server;
} Running;

static gboolean
on_quit_signal (gpointer data)
{
  Running *running = data;

  g_main_loop_quit (running->loop);
  return G_SOURCE_CONTINUE;
}

/* Clients are sent what was queued for them and told the server is going away
 * (WebSocket 1001, SSE ended), so they reconnect at once rather than time out; the
 * server waits until they have taken it, RC_FEED_SHUTDOWN_GRACE_MS at most. */
static void
shut_down (Running *running)
{
  rc_feed_server_shutdown (running->server);
  while (!rc_feed_server_is_closed (running->server))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int argc, char *argv[])
{
  g_auto (Options) o = { .port = DEFAULT_PORT, .max_clients = -1 };
  g_auto (GStrv) rest = NULL;
  const GOptionEntry entries[]
    = { { "replay", 0, 0, G_OPTION_ARG_FILENAME, &o.replay,
          N_ ("Replay a session of ARCHIVE in its original timing"), N_ ("ARCHIVE") },
        { "session", 0, 0, G_OPTION_ARG_STRING, &o.session,
          N_ ("With --replay: the session (id, meeting symbol or date); needed when the archive "
              "holds several"),
          N_ ("ID") },
        { "speed", 0, 0, G_OPTION_ARG_STRING, &o.speed_text,
          N_ ("With --replay: play X times faster (1/64 to 1024; default 1)"), N_ ("X") },
        { "loop", 0, 0, G_OPTION_ARG_NONE, &o.loop,
          N_ ("With --replay: start again at the end, each run a new stream"), NULL },
        { "live", 0, 0, G_OPTION_ARG_NONE, &o.live,
          N_ ("Take the session from the control API (needs --token-file and --journal)"), NULL },
        { "journal", 0, 0, G_OPTION_ARG_FILENAME, &o.journal,
          N_ ("With --live: the archive every event is committed to before it is sent; created "
              "if missing, continued if it holds a session"),
          N_ ("ARCHIVE") },
        { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &o.token_file,
          N_ ("The bearer token of the control API, on the first line of FILE (mode 600); with "
              "--replay it allows POST /v1/on-air"),
          N_ ("FILE") },
        { "port", 0, 0, G_OPTION_ARG_INT, &o.port, N_ ("TCP port (default 8080; 0: any free port)"),
          N_ ("N") },
        { "bind", 0, 0, G_OPTION_ARG_STRING, &o.bind,
          N_ ("Listen on this address instead of loopback (0.0.0.0 or :: for every interface)"),
          N_ ("ADDR") },
        { "tls-certificate", 0, 0, G_OPTION_ARG_FILENAME, &o.tls_certificate,
          N_ ("Serve https:// and wss:// with this certificate (PEM, with its chain)"),
          N_ ("PEM") },
        { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &o.tls_key,
          N_ ("The private key of --tls-certificate (PEM)"), N_ ("PEM") },
        { "max-clients", 0, 0, G_OPTION_ARG_INT, &o.max_clients,
          N_ ("Subscribers at once (default 4096); beyond, 503"), N_ ("N") },
        { "history", 0, 0, G_OPTION_ARG_STRING, &o.history_text,
          N_ ("Events kept in memory for clients that resume (default 10000, 0 to 1000000); a "
              "client further behind gets a snapshot"),
          N_ ("N") },
        { "publish", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.publish,
          N_ ("Also post every message served to the publisher of an nginx + nchan edge, "
              "http://HOST:PORT/publish/ (repeatable; docs/deploy.md)"),
          N_ ("URL") },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
        { NULL } };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (RcFeedHub) hub = NULL;
  g_autoptr (RcFeedReplay) replay = NULL;
  g_autoptr (RcFeedServer) server = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GPtrArray) publishers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *url = NULL;
  Running running = { 0 };
  guint sigterm, sigint;

  /* Standard output says where it listens, and nothing else: every log line, debug
   * and info too (G_MESSAGES_DEBUG), goes to the log on standard error. */
  g_log_writer_default_set_use_stderr (TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, rc_paths_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _ ("Serves a session to Rollcall boards over WebSocket and "
                                   "Server-Sent Events."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (
    context,
    _ ("Two sources:\n"
       "  rollcall-feed --replay ARCHIVE [--session ID] [--speed X] [--loop]\n"
       "  rollcall-feed --live --token-file FILE --journal ARCHIVE\n"
       "It listens on loopback (127.0.0.1) unless --bind says otherwise, and prints one line:\n"
       "  rollcall-feed: listening on http://127.0.0.1:8080\n"
       "Boards subscribe at ws://HOST:PORT/v1/feed or http://HOST:PORT/v1/events; a clerk or a\n"
       "voting system drives a live session through POST /v1/session, /v1/votes, … with\n"
       "Authorization: Bearer TOKEN. The protocol is docs/feed-protocol.md."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return die (EXIT_USAGE, "%s", error->message);
  if (rest != NULL && rest[0] != NULL)
    return die (EXIT_USAGE, _ ("unexpected argument '%s'"), rest[0]);
  if (!options_check (&o, &error))
    return die (EXIT_USAGE, "%s", error->message);

  /* Everything a user can get wrong in a file is found before anything listens. */
  if (o.token_file != NULL)
    {
      token = rc_feed_control_read_token_file (o.token_file, &error);
      if (token == NULL)
        return die (EXIT_FAILURE, "%s", error->message);
    }
  if (o.tls_certificate != NULL)
    {
      certificate = rc_feed_tls_load (o.tls_certificate, o.tls_key, &error);
      if (certificate == NULL)
        return die (EXIT_FAILURE, "%s", error->message);
    }
  /* A server of many clients: as many descriptors as the system lets it have. */
  rc_feed_raise_descriptor_limit ();
  hub = o.live ? open_live (&o, &error) : open_replay (&o, &replay, &error);
  if (hub == NULL)
    return die (EXIT_FAILURE, "%s", error->message);

  server = rc_feed_server_new (hub, certificate, &error);
  if (server == NULL)
    return die (EXIT_FAILURE, "%s", error->message);
  if (o.max_clients > 0)
    rc_feed_server_set_max_clients (server, o.max_clients);
  if (token != NULL)
    rc_feed_control_attach (server, token,
                            o.live ? RC_FEED_CONTROL_LIVE : RC_FEED_CONTROL_ON_AIR_ONLY);
  for (guint i = 0; o.publish != NULL && o.publish[i] != NULL; i++)
    {
      RcFeedPublisher *publisher = rc_feed_publisher_new (server, o.publish[i], &error);

      if (publisher == NULL)
        return die (EXIT_USAGE, "%s", error->message);
      g_ptr_array_add (publishers, publisher);
    }
  if (!rc_feed_server_listen (server, o.bind, o.port, &error))
    return die (EXIT_FAILURE, "%s", error->message);

  /* Before the line that says it listens: a SIGTERM right after it is a shutdown in
   * order, not the default action. */
  loop = g_main_loop_new (NULL, FALSE);
  running.loop = loop;
  running.server = server;
  sigterm = g_unix_signal_add (SIGTERM, on_quit_signal, &running);
  sigint = g_unix_signal_add (SIGINT, on_quit_signal, &running);

  url = rc_feed_server_get_url (server);
  printf ("rollcall-feed: listening on %s\n", url);
  fflush (stdout);
  if (replay != NULL)
    rc_feed_replay_start (replay);
  /* After the replay's start: the edges' first snapshot is of its stream. */
  for (guint i = 0; i < publishers->len; i++)
    rc_feed_publisher_start (g_ptr_array_index (publishers, i));
  g_main_loop_run (loop);

  if (replay != NULL)
    rc_feed_replay_stop (replay);
  for (guint i = 0; i < publishers->len; i++)
    rc_feed_publisher_stop (g_ptr_array_index (publishers, i));
  shut_down (&running);
  g_source_remove (sigterm);
  g_source_remove (sigint);
  return EXIT_SUCCESS;
}
