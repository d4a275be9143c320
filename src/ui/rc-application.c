/* rc-application.c — the `rollcall` application: command line, windows, app actions.
 *
 * The command line is checked in handle-local-options, before GTK starts; the archive's
 * journal is loaded on a worker thread meanwhile, and startup waits for it before any
 * window exists: a bad argument or archive costs no window and leaves one line on
 * stderr. Each `rollcall` is its own process (NON_UNIQUE): a hall may run one per
 * screen.
 *
 * Where the board's session comes from: a feed given with --feed; an offline replay
 * with --replay (or --at, which a feed cannot do); otherwise an embedded feed on
 * loopback replaying the bundled demo, so that the board goes through the network
 * path by default (rc-feed-source.h).
 *
 * ROLLCALL_EXIT_AFTER_FIRST_FRAME=1 makes the app print, at its first frame that
 * shows the whole board, the monotonic time (µs, the clock of g_get_monotonic_time()),
 * its peak resident memory and its resident memory then, then quit: the start-up benchmark's probe.
 * ROLLCALL_FRAME_LOG=1 makes it print, at every frame painted after the board's session
 * moved on, "frame-us: T seq: N" (the monotonic time, the sequence number of the last
 * event the board shows) on standard output: the take benchmark's probe. */
#include "rc-application.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/rc-error.h"
#include "archive/rc-archive.h"
#include "feed/rc-feed-control.h"
#include "rc-command-line.h"
#include "rc-config.h"
#include "rc-console.h"
#include "rc-feed-source.h"
#include "rc-resources.h"
#include "rc-replay-plan.h"
#include "rc-settings.h"
#include "rc-window.h"

/* The journal, loaded on a worker thread while GTK starts. */
typedef struct {
  char *archive;
  char *session;
  char *vote;
  RcReplayPlan *plan;
  GError *error;
} PlanLoad;

struct _RcApplication
{
  GtkApplication parent_instance;

  RcSettings *settings;
  char *board_language; /* --board-language, checked; NULL: the preference */
  GThread *plan_thread; /* loading the plan, until startup joins it */
  PlanLoad *plan_load;
  gboolean embedded;    /* replay the plan through an embedded feed */
  gboolean failed;      /* startup refused: no window, exit status 1 */
  RcReplayPlan *plan;  /* what is replayed, offline or by the embedded feed */
  RcFeedSource *feed; /* NULL for an offline replay */
  double speed;
  gint64 at; /* start position, -1 for the beginning */
  gboolean kiosk;
  gboolean console; /* the operator's desk (libadwaita) instead of the board window */
  char *serve_host; /* the replay desk's feed: where it listens (127.0.0.1) */
  guint serve_port; /* (0: any free port) */
  int monitor; /* -1: the window manager's choice */

  gboolean exit_after_first_frame;
  gboolean frame_log;
  gint64 frame_log_seq; /* the last sequence number printed */
  GdkFrameClock *frame_clock;
  gulong after_paint_id;
};

G_DEFINE_FINAL_TYPE (RcApplication, rc_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "feed", 'f', 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Show the feed at URL (ws://, wss://, http:// or https://)"), N_ ("URL") },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("With --feed, trust the server's certificate if this CA (PEM file) signed it"),
    N_ ("FILE") },
  { "replay", 'r', 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Replay a recorded session from ARCHIVE, offline, on the replay desk; with --kiosk, "
        "--vote or --at, the board alone (default: the bundled demo, through a feed on this "
        "machine)"),
    N_ ("ARCHIVE") },
  { "session", 's', 0, G_OPTION_ARG_STRING, NULL,
    N_ ("The session to replay: its id, meeting symbol or date"), N_ ("ID") },
  { "vote", 'v', 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Show this vote: its id, document symbol or position (default: follow the session)"),
    N_ ("ID") },
  { "speed", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Replay X times as fast as it happened, from 0.25 to 64 (default: 1)"), N_ ("X") },
  { "at", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Start the replay SECONDS into the session, or at its end (an offline replay: a feed "
        "cannot seek)"),
    N_ ("SECONDS|end") },
  { "console", 'c', 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Open the operator's desk: a rundown, preview and program, take and blank (default: "
        "the board)"),
    NULL },
  { "token-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("With --console --feed, the feed's control token, on the first line of FILE (mode 600)"),
    N_ ("FILE") },
  { "bind", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("With --console replaying (no --feed), serve its feed to kiosks on this address too, "
        "for a rehearsal (0.0.0.0 or :: for every interface; default: loopback only)"),
    N_ ("ADDR") },
  { "port", 0, 0, G_OPTION_ARG_INT, NULL,
    N_ ("With --console replaying, the feed's TCP port (default: any free port)"), N_ ("N") },
  { "kiosk", 'k', 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Show the board only: full screen, no controls, no cursor"), NULL },
  { "monitor", 'm', 0, G_OPTION_ARG_INT, NULL,
    N_ ("With --kiosk, the monitor to fill; with --console, a monitor to show program on, "
        "full screen (0 is the first)"),
    N_ ("N") },
  { "board-language", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("The board's language: ar, en, es, fr, ru or zh_CN, or two of them for a bilingual "
        "board (en,fr) (default: the preference, else the user's language if it is one of "
        "them, else English)"),
    N_ ("LANG") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
  { NULL },
};

/* ---- the first-frame probe ------------------------------------------------- */

/* A line of /proc/self/status in kB ("VmHWM:", the peak resident set; "VmRSS:", the
 * resident set now), 0 where there is none. */
static gint64
read_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, field);
  return line != NULL ? g_ascii_strtoll (line + strlen (field), NULL, 10) : 0;
}

/* ROLLCALL_FRAME_LOG: a frame that shows events the last one did not. */
static void
log_frame (RcApplication *self, GtkWindow *window)
{
  RcSession *session;
  gint64 seq;

  if (!RC_IS_WINDOW (window))
    return;
  session = rc_board_widget_get_session (rc_window_get_board (RC_WINDOW (window)));
  seq = session != NULL ? rc_session_get_last_seq (session) : 0;
  if (seq == self->frame_log_seq)
    return;
  self->frame_log_seq = seq;
  g_print ("frame-us: %" G_GINT64_FORMAT " seq: %" G_GINT64_FORMAT "\n", g_get_monotonic_time (),
           seq);
  fflush (stdout);
}

/* The desk is complete once its feed is live and preview, program and every
 * presentation window have drawn what they show. */
static gboolean
desk_complete (RcApplication *self, RcConsole *console)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  if (self->feed == NULL || rc_feed_client_get_state (self->feed->client) != RC_FEED_CLIENT_LIVE
      || !rc_board_widget_is_complete (rc_console_get_program (console))
      /* (preview shows no board while Blank is selected) */
      || (gtk_widget_get_mapped (GTK_WIDGET (rc_console_get_preview (console)))
          && !rc_board_widget_is_complete (rc_console_get_preview (console))))
    return FALSE;
  for (GList *l = windows; l != NULL; l = l->next)
    if (RC_IS_WINDOW (l->data) && !rc_board_widget_is_complete (rc_window_get_board (l->data)))
      return FALSE;
  return TRUE;
}

static void
on_after_paint (GdkFrameClock *clock, RcApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  gint64 now;

  if (self->frame_log)
    log_frame (self, window);
  if (!self->exit_after_first_frame)
    return;

  if (RC_IS_CONSOLE (window))
    {
      if (!desk_complete (self, RC_CONSOLE (window)))
        return;
    }
  else
    {
      if (!RC_IS_WINDOW (window)
          || !rc_board_widget_is_complete (rc_window_get_board (RC_WINDOW (window))))
        return;
      /* With a feed, the board is complete once it shows what the feed vouches for. */
      if (rc_window_get_feed (RC_WINDOW (window)) != NULL
          && rc_feed_client_get_state (rc_window_get_feed (RC_WINDOW (window)))
               != RC_FEED_CLIENT_LIVE)
        return;
    }

  now = g_get_monotonic_time ();
  g_print ("first-frame-us: %" G_GINT64_FORMAT "\n", now);
  g_print ("vmhwm-kb: %" G_GINT64_FORMAT "\n", read_status_kb ("VmHWM:"));
  g_print ("vmrss-kb: %" G_GINT64_FORMAT "\n", read_status_kb ("VmRSS:"));
  fflush (stdout);
  g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_application_quit (G_APPLICATION (self));
}

static void
on_window_realize (GtkWidget *window, RcApplication *self)
{
  /* The frame clock exists once the window has a surface. */
  self->frame_clock = gtk_widget_get_frame_clock (window);
  self->after_paint_id =
    g_signal_connect (self->frame_clock, "after-paint", G_CALLBACK (on_after_paint), self);
}

/* ---- command line ---------------------------------------------------------- */

static int
refuse (const char *reason)
{
  g_printerr ("rollcall: %s\n", reason);
  return EXIT_FAILURE;
}

static gboolean
rc_application_local_command_line (GApplication *app, char ***arguments, int *exit_status)
{
  g_autoptr (GError) error = NULL;

  /* GApplication would word a malformed option its own way; say it ours. */
  if (!rc_command_line_check (option_entries, *arguments, &error))
    {
      *exit_status = refuse (error->message);
      return TRUE;
    }
  return G_APPLICATION_CLASS (rc_application_parent_class)->local_command_line (app, arguments,
                                                                              exit_status);
}

static gpointer
plan_load_thread (gpointer data)
{
  PlanLoad *load = data;

  load->plan = rc_replay_plan_load (load->archive, load->session, load->vote, &load->error);
  return NULL;
}

/* Waits for the loading thread, if any: the plan, or FALSE and why not. */
static gboolean
join_plan_load (RcApplication *self, GError **error)
{
  PlanLoad *load = self->plan_load;

  if (self->plan_thread == NULL)
    return TRUE;
  g_thread_join (g_steal_pointer (&self->plan_thread));
  self->plan_load = NULL;
  self->plan = g_steal_pointer (&load->plan);
  if (load->error != NULL)
    g_propagate_error (error, g_steal_pointer (&load->error));
  g_free (load->archive);
  g_free (load->session);
  g_free (load->vote);
  g_free (load);
  return self->plan != NULL;
}

/* Waits for the journal; then what needs it. FALSE after a one-line refusal. */
static gboolean
finish_plan_load (RcApplication *self)
{
  g_autoptr (GError) error = NULL;

  if (self->plan_thread == NULL)
    return TRUE;
  if (!join_plan_load (self, &error))
    {
      refuse (error->message);
      return FALSE;
    }
  if (self->plan->note != NULL)
    g_printerr ("rollcall: %s\n", self->plan->note);
  /* No source named: the demo through an embedded feed. */
  if (self->embedded)
    {
      self->feed = rc_feed_source_new_embedded (self->plan, self->speed, self->console,
                                                self->serve_host, self->serve_port, &error);
      if (self->feed == NULL)
        {
          refuse (error->message);
          return FALSE;
        }
    }
  return TRUE;
}

static int
rc_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  RcApplication *self = RC_APPLICATION (app);
  g_autofree char *archive = NULL;
  g_autofree char *feed = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *session = NULL;
  g_autofree char *vote = NULL;
  g_autofree char *speed = NULL;
  g_autofree char *at = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *bind = NULL;
  int port = 0;
  g_autofree char *token = NULL;
  g_auto (GStrv) rest = NULL;
  g_autoptr (GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("rollcall %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  g_variant_dict_lookup (options, "replay", "^ay", &archive);
  g_variant_dict_lookup (options, "feed", "s", &feed);
  g_variant_dict_lookup (options, "ca-file", "^ay", &ca_file);
  g_variant_dict_lookup (options, "session", "s", &session);
  g_variant_dict_lookup (options, "vote", "s", &vote);
  g_variant_dict_lookup (options, "speed", "s", &speed);
  g_variant_dict_lookup (options, "at", "s", &at);
  g_variant_dict_lookup (options, "token-file", "^ay", &token_file);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &rest);
  self->kiosk = g_variant_dict_contains (options, "kiosk");
  self->console = g_variant_dict_contains (options, "console");
  /* rollcall --replay ARCHIVE: the replay desk, unless the board alone is asked for
   * (--kiosk, or what the board shows: --vote, --at). */
  if (archive != NULL && feed == NULL && !self->kiosk && vote == NULL && at == NULL)
    self->console = TRUE;

  if (rest != NULL && rest[0] != NULL)
    {
      g_autofree char *reason =
        g_strdup_printf (_("unexpected argument '%s' (to replay an archive: --replay %s)"),
                         rest[0], rest[0]);
      return refuse (reason);
    }
  if (archive != NULL && archive[0] == '\0')
    return refuse (_("--replay needs the path of an archive"));
  if (speed != NULL && !rc_replay_plan_parse_speed (speed, &self->speed, &error))
    return refuse (error->message);
  if (at != NULL && !rc_replay_plan_parse_at (at, &self->at, &error))
    return refuse (error->message);

  if (self->console && self->kiosk)
    return refuse (_ ("--console and --kiosk are two different windows: choose one"));
  if (token_file != NULL && (!self->console || feed == NULL))
    return refuse (_ ("--token-file only makes sense with --console --feed"));
  if (self->console && at != NULL)
    return refuse (_ ("--at is the board's: the replay desk seeks on its timeline"));
  if (g_variant_dict_lookup (options, "bind", "s", &bind))
    {
      g_autoptr (GInetAddress) address = g_inet_address_new_from_string (bind);

      if (!self->console || feed != NULL)
        return refuse (_ ("--bind only makes sense with --console, replaying (without --feed)"));
      if (address == NULL)
        {
          g_autofree char *reason = g_strdup_printf (
            _ ("--bind %s: give an IP address, such as 0.0.0.0, :: or 192.0.2.7"), bind);
          return refuse (reason);
        }
      self->serve_host = g_steal_pointer (&bind);
    }
  if (g_variant_dict_lookup (options, "port", "i", &port))
    {
      if (!self->console || feed != NULL)
        return refuse (_ ("--port only makes sense with --console, replaying (without --feed)"));
      if (port < 0 || port > 65535)
        {
          g_autofree char *reason
            = g_strdup_printf (_ ("--port %d: a TCP port is 0 to 65535"), port);
          return refuse (reason);
        }
      self->serve_port = (guint) port;
    }
  if (token_file != NULL)
    {
      token = rc_feed_control_read_token_file (token_file, &error);
      if (token == NULL)
        return refuse (error->message);
    }

  if (g_variant_dict_lookup (options, "board-language", "s", &self->board_language))
    {
      g_autoptr (GError) error = NULL;
      RcBoardLanguage language;

      if (!rc_board_language_parse (self->board_language, &language, &error))
        return refuse (error->message);
    }

  if (g_variant_dict_lookup (options, "monitor", "i", &self->monitor))
    {
      GListModel *monitors;

      if (!self->kiosk && !self->console)
        return refuse (_ ("--monitor only makes sense with --kiosk or --console"));
      /* The monitors are known only with a display; opening it early is harmless,
       * GtkApplication's own gtk_init() finds it open. */
      if (!gtk_init_check ())
        return refuse (_("cannot open the display"));
      monitors = gdk_display_get_monitors (gdk_display_get_default ());
      if (self->monitor < 0 || (guint) self->monitor >= g_list_model_get_n_items (monitors))
        {
          g_autofree char *reason = g_strdup_printf (
            _("--monitor %d: there is no such monitor (this display has %u, numbered from 0)"),
            self->monitor, g_list_model_get_n_items (monitors));
          return refuse (reason);
        }
    }

  if (feed != NULL)
    {
      /* One source at a time; a feed's board shows what the feed puts on air. */
      static const char *const not_with_feed[] = { "replay", "session", "vote", "speed", "at" };

      for (guint i = 0; i < G_N_ELEMENTS (not_with_feed); i++)
        if (g_variant_dict_contains (options, not_with_feed[i]))
          {
            g_autofree char *reason =
              g_strdup_printf (_("--%s cannot be used with --feed"), not_with_feed[i]);
            return refuse (reason);
          }
      self->feed = rc_feed_source_new_remote (feed, ca_file, token, &error);
      if (self->feed == NULL)
        return refuse (error->message);
      return -1;
    }
  if (ca_file != NULL)
    return refuse (_("--ca-file only makes sense with --feed"));

  /* The journal loads on another core while GTK starts (docs/performance.md). */
  self->plan_load = g_new0 (PlanLoad, 1);
  self->plan_load->archive = g_steal_pointer (&archive);
  self->plan_load->session = g_steal_pointer (&session);
  self->plan_load->vote = g_steal_pointer (&vote);
  self->plan_thread = g_thread_new ("rc-plan-load", plan_load_thread, self->plan_load);
  /* No source named: the demo through an embedded feed. A feed cannot seek, so --at
   * keeps the offline replay. */
  self->embedded = (self->plan_load->archive == NULL && at == NULL) || self->console;

  return -1; /* go on: register, start up, activate */
}

/* ---- app actions ------------------------------------------------------------- */

void
rc_application_install_style (GdkDisplay *display)
{
  g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();

  /* GtkApplication, unlike AdwApplication, does not load style.css by itself. We
   * use plain GTK for the board: libadwaita's own style sheet costs ~60 ms of a
   * start-up budget of 150 ms (docs/performance.md). */
  gtk_css_provider_load_from_resource (css, "/io/github/rollcall/Rollcall/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
quit_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  g_application_quit (G_APPLICATION (data));
}

static void
about_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  GtkApplication *app = GTK_APPLICATION (data);

  gtk_show_about_dialog (gtk_application_get_active_window (app),
                         "program-name", _("Rollcall"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "authors", (const char *[]){ _("The Rollcall authors"), NULL },
                         "comments", _("The result board of a recorded vote, on the big "
                                       "screens of an assembly hall"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://github.com/rollcall/rollcall",
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated, NULL, NULL, NULL, { 0 } },
  { "about", about_activated, NULL, NULL, NULL, { 0 } },
};

static void
rc_application_startup (GApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[4];
  } accels[] = {
    { "app.quit", { "<Primary>q", NULL } },
    { "win.show-help-overlay", { "<Primary>question", NULL } },
    { "win.fullscreen", { "F11", NULL } },
    { "win.play-pause", { "space", NULL } },
    { "win.seek-backward", { "Left", NULL } },
    { "win.seek-forward", { "Right", NULL } },
    { "win.faster", { "plus", "KP_Add", "equal", NULL } },
    { "win.slower", { "minus", "KP_Subtract", NULL } },
    { "win.glyphs", { "<Primary>g", NULL } },
    { "win.palette('high-contrast')", { "<Primary><Shift>h", NULL } },
    { "win.palette('')", { "<Primary><Shift>c", NULL } },
  };
  RcApplication *self = RC_APPLICATION (app);

  /* Without a display GTK would exit with its own message: what is wrong with the
   * command line comes first, then that. */
  if (!gtk_init_check ())
    {
      if (finish_plan_load (self))
        refuse (_("cannot open the display"));
      exit (EXIT_FAILURE);
    }
  G_APPLICATION_CLASS (rc_application_parent_class)->startup (app);
  rc_application_install_style (gdk_display_get_default ());

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);
  if (self->console)
    {
      /* libadwaita's style only where its widgets are: the board window keeps its
       * start-up figures (docs/performance.md). The desk's keys are its own
       * (rc-console.c). */
      adw_init ();
    }
  self->settings = rc_settings_new ();
  if (self->board_language != NULL)
    rc_settings_override_board_language (self->settings, self->board_language);
  self->failed = !finish_plan_load (self);
}

/* An offline replay: the window plays the journal itself. */
static void
activate_replay (RcApplication *self, RcWindow *window, RcBoardWidget *board)
{
  g_autoptr (RcReplay) replay = NULL;

  if (self->plan->vote_id != NULL)
    rc_board_widget_set_vote_id (board, self->plan->vote_id);
  else
    /* An imported journal may not say what was on air; then the vote being taken is. */
    rc_board_widget_set_follow (board, self->plan->has_on_air ? RC_BOARD_FOLLOW_ON_AIR
                                                              : RC_BOARD_FOLLOW_CURRENT);
  replay = rc_replay_new (self->plan->events);
  rc_replay_set_speed (replay, self->speed);
  if (self->at > 0)
    rc_replay_seek (replay, self->at);
  rc_replay_play (replay);
  rc_window_set_replay (window, replay, self->plan->start_time);
}

/* The replay desk: another session of the archive, chosen in the session browser,
 * replayed through the same feed (every screen on it follows). */
static void
on_open_session (RcConsole *console, const char *session_id, RcApplication *self)
{
  g_autoptr (GError) error = NULL;
  RcReplayPlan *plan = rc_replay_plan_load (self->plan->archive_path, session_id, NULL, &error);

  if (plan == NULL)
    {
      g_autofree char *line = g_strdup_printf (_ ("Cannot open that session: %s"), error->message);

      g_printerr ("rollcall: %s\n", line);
      rc_console_show_message (console, line);
      return;
    }
  rc_replay_plan_free (self->plan);
  self->plan = plan;
  rc_feed_source_replay (self->feed, plan);
  rc_console_set_replay (console, rc_feed_replay_get_replay (self->feed->replay));
}

static void
start_replay_desk (RcApplication *self, RcConsole *console)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive
    = rc_archive_open (self->plan->archive_path, RC_ARCHIVE_READ_ONLY, &error);
  g_autoptr (GPtrArray) sessions
    = archive != NULL ? rc_archive_list_sessions (archive, &error) : NULL;
  g_autoptr (GPtrArray) votes = sessions != NULL ? rc_archive_list_votes (archive, NULL) : NULL;
  g_autofree char *name = g_path_get_basename (self->plan->archive_path);

  rc_console_set_replay (console, rc_feed_replay_get_replay (self->feed->replay));
  if (sessions == NULL)
    g_printerr (_ ("rollcall: the archive's sessions cannot be listed: %s\n"), error->message);
  rc_console_set_sessions (console, name, sessions, votes);
  g_signal_connect_object (console, "open-session", G_CALLBACK (on_open_session), self, 0);
}

static void
rc_application_activate (GApplication *app)
{
  RcApplication *self = RC_APPLICATION (app);
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (app));
  RcBoardWidget *board;
  RcWindow *window;

  if (self->failed)
    return;
  if (active != NULL)
    {
      gtk_window_present (active);
      return;
    }
  g_return_if_fail (self->plan != NULL || self->feed != NULL);

  if (self->console)
    {
      RcConsole *console
        = rc_console_new (GTK_APPLICATION (app), self->settings, self->feed->client,
                          self->feed->control, self->feed->clerk);

      if (self->feed->replay != NULL)
        start_replay_desk (self, console);
      rc_feed_source_start (self->feed);
      if (self->exit_after_first_frame || self->frame_log)
        g_signal_connect_after (console, "realize", G_CALLBACK (on_window_realize), self);
      gtk_window_present (GTK_WINDOW (console));
      if (self->monitor >= 0)
        {
          GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
          g_autoptr (GdkMonitor) monitor = g_list_model_get_item (monitors, (guint) self->monitor);

          if (!rc_console_show_on_monitor (console, monitor, TRUE))
            {
              g_autofree char *line = g_strdup_printf (
                _ ("--monitor %d: that monitor has no connector name to follow it by"),
                self->monitor);

              g_printerr ("rollcall: %s\n", line);
              rc_console_show_message (console, line);
            }
        }
      return;
    }

  window = rc_window_new (GTK_APPLICATION (app), self->settings, self->kiosk);
  board = rc_window_get_board (window);

  if (self->feed != NULL)
    {
      rc_window_set_feed (window, self->feed->client);
      if (self->plan != NULL && self->plan->vote_id != NULL)
        rc_board_widget_set_vote_id (board, self->plan->vote_id);
      rc_feed_source_start (self->feed);
    }
  else
    activate_replay (self, window, board);

  if (self->kiosk && self->monitor >= 0)
    {
      GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
      g_autoptr (GdkMonitor) monitor = g_list_model_get_item (monitors, (guint) self->monitor);

      rc_window_fill_monitor (window, monitor);
    }

  /* The board's fonts and layout are worked out on another core while GTK realizes and
   * maps the window (docs/performance.md). */
  {
    int width, height;

    if (rc_window_predict_board_size (window, &width, &height))
      rc_board_widget_prepare (board, width, height);
  }

  if (self->exit_after_first_frame || self->frame_log)
    g_signal_connect_after (window, "realize", G_CALLBACK (on_window_realize), self);
  gtk_window_present (GTK_WINDOW (window));
  /* A hall's screen shows the vote for as long as it runs: no screen saver, no sleep
   * (through the session's portal or manager; without one, nothing to ask). */
  if (self->kiosk)
    gtk_application_inhibit (GTK_APPLICATION (app), GTK_WINDOW (window),
                             GTK_APPLICATION_INHIBIT_IDLE | GTK_APPLICATION_INHIBIT_SUSPEND,
                             _ ("The hall's screen shows the vote"));
}

static void
rc_application_dispose (GObject *object)
{
  RcApplication *self = RC_APPLICATION (object);

  /* A run that never started up still waits for its thread. */
  join_plan_load (self, NULL);
  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  self->frame_clock = NULL;
  g_clear_object (&self->settings);
  g_clear_pointer (&self->board_language, g_free);
  g_clear_pointer (&self->serve_host, g_free);
  g_clear_pointer (&self->feed, rc_feed_source_free);
  g_clear_pointer (&self->plan, rc_replay_plan_free);
  G_OBJECT_CLASS (rc_application_parent_class)->dispose (object);
}

static void
rc_application_class_init (RcApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  /* Referencing the resource bundle links its object out of the static library;
   * its constructor registers it. */
  (void) rc_get_resource ();
  object_class->dispose = rc_application_dispose;
  app_class->local_command_line = rc_application_local_command_line;
  app_class->handle_local_options = rc_application_handle_local_options;
  app_class->startup = rc_application_startup;
  app_class->activate = rc_application_activate;
}

static void
rc_application_init (RcApplication *self)
{
  self->speed = 1.0;
  self->at = -1;
  self->monitor = -1;
  self->exit_after_first_frame = g_strcmp0 (g_getenv ("ROLLCALL_EXIT_AFTER_FIRST_FRAME"), "1") == 0;
  self->frame_log = g_strcmp0 (g_getenv ("ROLLCALL_FRAME_LOG"), "1") == 0;
  self->frame_log_seq = -1;

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), "");
  g_application_set_option_context_summary (
    G_APPLICATION (self),
    _("Shows the result board of a vote: from a feed, or replayed in its original time. "
      "Without --feed or --replay, the bundled demo is replayed through a feed on this "
      "machine."));
  g_application_set_option_context_description (
    G_APPLICATION (self),
    _ ("Keys: F11 full screen, F10 the menu, Ctrl+Q quit; on the board alone replaying "
       "(--replay with --vote or --at), Space pause or resume, Left and Right seek 10 seconds, "
       "+ and - change the speed; the desk's keys are in its shortcuts window (Ctrl+?).\n"
       "Examples: rollcall --console --feed wss://feed.hall.example:8443 --token-file token\n"
       "          rollcall --replay archive.rollcall --session 2022-03-02\n"
       "          rollcall --replay demo.rollcall --vote A/RES/ES-11/1 --speed 4\n"
       "          rollcall --feed wss://feed.hall.example:8443 --ca-file chamber-ca.pem --kiosk"));
}

int
rc_application_get_exit_status (RcApplication *self)
{
  g_return_val_if_fail (RC_IS_APPLICATION (self), EXIT_FAILURE);
  return self->failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

RcApplication *
rc_application_new (void)
{
  return g_object_new (RC_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_NON_UNIQUE, "resource-base-path",
                       "/io/github/rollcall/Rollcall", NULL);
}
