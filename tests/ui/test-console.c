/* test-console.c — the operator's desk against a real feed: a hub, a server with its
 * control API on 127.0.0.1 in this process, the desk's real RcFeedClient over
 * WebSocket and its real control client over HTTP, the demo archive's journal, under
 * Xvfb. What is checked is what the feed says is on air, never what the desk believes:
 *
 * - the control client: a take accepted; the server's refusals (wrong token, unknown
 *   vote) and an unreachable feed as one line with the reason; URLs it refuses;
 * - selecting in the rundown changes the preview only; take, blank, holding with its
 *   line, and undo go through the feed, and program follows the feed;
 * - "follow the open vote" takes a vote as it opens, once;
 * - a refusal is a toast on the desk;
 * - the settings reach both of the desk's boards, and the preferences window writes
 *   them back. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "feed/rc-feed-client.h"
#include "feed/rc-feed-control-client.h"
#include "feed/rc-feed-control.h"
#include "feed/rc-feed-hub.h"
#include "feed/rc-feed-server.h"
#include "model/rc-error.h"
#include "rc-ui-fixture.h"
#include "ui/rc-application.h"
#include "render/rc-record.h"
#include "ui/rc-console.h"
#include "ui/rc-feed-source.h"
#include "ui/rc-replay-plan.h"
#include "ui/rc-settings.h"
#include "ui/rc-window.h"

#define WAIT_MS 30000
#define TOKEN "0123456789abcdef0123456789abcdef"
#define VOTE "es-11-1"

typedef struct {
  UiJournal *journal; /* the demo's General Assembly meeting */
  RcFeedHub *hub;
  RcFeedServer *server;
  char *url;
  RcFeedClient *client;
  RcFeedControlClient *control;
  RcSettings *settings;
  RcConsole *console;
  /* a control request's outcome */
  gboolean done;
  gboolean ok;
  GError *error;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->journal = ui_journal_new ("2022-03-02");
  f->hub = rc_feed_hub_new ("test", NULL, NULL, &error);
  g_assert_no_error (error);
  f->server = rc_feed_server_new (f->hub, NULL, &error);
  g_assert_no_error (error);
  rc_feed_control_attach (f->server, TOKEN, RC_FEED_CONTROL_LIVE);
  rc_feed_server_listen (f->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  f->url = g_strdup_printf ("ws://127.0.0.1:%u", rc_feed_server_get_port (f->server));
  f->client = rc_feed_client_new (f->url, &error);
  g_assert_no_error (error);
  f->control = rc_feed_control_client_new (f->url, data != NULL ? data : TOKEN, &error);
  g_assert_no_error (error);
  f->settings = rc_settings_new ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->console != NULL)
    gtk_window_destroy (GTK_WINDOW (f->console));
  rc_feed_client_stop (f->client);
  g_object_unref (f->client);
  g_object_unref (f->control);
  rc_feed_server_shutdown (f->server);
  g_object_unref (f->server);
  g_object_unref (f->hub);
  g_object_unref (f->settings);
  g_free (f->url);
  g_clear_error (&f->error);
  ui_journal_free (f->journal);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Publishes the journal's events [from, to) without its on-air events. */
static void
publish (Fixture *f, guint from, guint to)
{
  for (guint i = from; i < to && i < f->journal->events->len; i++)
    {
      const RcEvent *event = g_ptr_array_index (f->journal->events, i);
      g_autoptr (GError) error = NULL;
      g_autoptr (RcEvent) published = NULL;

      if (event->type == RC_EVENT_ON_AIR)
        continue;
      published = rc_feed_hub_publish (f->hub, event, &error);
      g_assert_no_error (error);
    }
}

/* The index of the journal's first event of this type. */
static guint
index_of (Fixture *f, RcEventType type)
{
  for (guint i = 0; i < f->journal->events->len; i++)
    if (((const RcEvent *) g_ptr_array_index (f->journal->events, i))->type == type)
      return i;
  g_assert_not_reached ();
}

static gboolean
is_live (gpointer data)
{
  Fixture *f = data;

  return rc_feed_client_get_state (f->client) == RC_FEED_CLIENT_LIVE
         && rc_session_get_last_seq (rc_feed_client_get_session (f->client))
              == rc_feed_hub_get_last_seq (f->hub);
}

static void
open_console (Fixture *f, RcFeedControlClient *control)
{
  f->console = rc_console_new (NULL, f->settings, f->client, control, TRUE);
  gtk_window_present (GTK_WINDOW (f->console));
  rc_feed_client_start (f->client);
  ui_wait_until (is_live, f, WAIT_MS, "the desk's feed to be live");
}

static RcSession *
session (Fixture *f)
{
  return rc_feed_client_get_session (f->client);
}

/* The feed's on-air as the desk's own subscription has it: "vote:ID", "blank",
 * "holding" or "holding:TEXT"; "" while nothing was taken. */
static char *
on_air (Fixture *f)
{
  RcSession *s = session (f);

  if (!rc_session_has_on_air (s))
    return g_strdup ("");
  switch (rc_session_get_on_air (s))
    {
    case RC_ON_AIR_VOTE:
      return g_strdup_printf ("vote:%s", rc_vote_get_id (rc_session_get_on_air_vote (s)));
    case RC_ON_AIR_BLANK:
      return g_strdup ("blank");
    case RC_ON_AIR_HOLDING:
    default:
      return rc_session_get_on_air_text (s) != NULL
               ? g_strdup_printf ("holding:%s", rc_session_get_on_air_text (s))
               : g_strdup ("holding");
    }
}

typedef struct {
  Fixture *f;
  const char *expected;
} OnAirWait;

static gboolean
on_air_is (gpointer data)
{
  OnAirWait *w = data;
  g_autofree char *now = on_air (w->f);

  return g_str_equal (now, w->expected);
}

static void
wait_on_air (Fixture *f, const char *expected)
{
  OnAirWait w = { f, expected };

  ui_wait_until (on_air_is, &w, WAIT_MS, expected);
}

/* Runs the main loop for ms, so that anything a mistake would send has time to. */
static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

static void
activate_on (GtkWidget *widget, const char *action)
{
  g_assert_true (gtk_widget_activate_action (widget, action, NULL));
}

static void
activate (Fixture *f, const char *action)
{
  activate_on (GTK_WIDGET (f->console), action);
}

/* ---- the control client ------------------------------------------------------- */

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Fixture *f = data;

  g_clear_error (&f->error);
  f->ok = rc_feed_control_client_finish (RC_FEED_CONTROL_CLIENT (source), result, &f->error);
  f->done = TRUE;
}

/* Counts the requests answered, and that each was accepted. */
static void
on_count (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (rc_feed_control_client_finish (RC_FEED_CONTROL_CLIENT (source), result, &error));
  (*(guint *) data)++;
}

static gboolean
is_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

static void
wait_done (Fixture *f)
{
  ui_wait_until (is_done, f, WAIT_MS, "the control request");
  f->done = FALSE;
}

static void
test_control_client (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcFeedControlClient) wrong
    = rc_feed_control_client_new (f->url, "ffffffffffffffffffffffffffffffff", &error);
  g_autoptr (RcFeedControlClient) nobody = NULL;
  g_autoptr (RcFeedControlClient) https = NULL;

  g_assert_no_error (error);
  publish (f, 0, f->journal->events->len);

  rc_feed_control_client_take_async (f->control, RC_ON_AIR_BLANK, NULL, NULL, NULL, on_done, f);
  wait_done (f);
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  rc_feed_control_client_take_async (f->control, RC_ON_AIR_HOLDING, NULL, "Resumes at 15:00", NULL,
                                     on_done, f);
  wait_done (f);
  g_assert_no_error (f->error);

  /* Requests asked back to back reach the feed in that order (one at a time). */
  {
    guint done_before = 0;

    for (int i = 0; i < 10; i++)
      rc_feed_control_client_take_async (f->control, i % 2 ? RC_ON_AIR_BLANK : RC_ON_AIR_HOLDING,
                                         NULL, NULL, NULL, on_count, &done_before);
    rc_feed_control_client_take_async (f->control, RC_ON_AIR_HOLDING, NULL, "The last", NULL,
                                       on_done, f);
    wait_done (f);
    g_assert_no_error (f->error);
    g_assert_cmpuint (done_before, ==, 10);
    g_assert_cmpint (rc_session_get_on_air (rc_feed_hub_get_session (f->hub)), ==,
                     RC_ON_AIR_HOLDING);
    g_assert_cmpstr (rc_session_get_on_air_text (rc_feed_hub_get_session (f->hub)), ==, "The last");
  }

  /* The server's reasons, in one line with the status. */
  rc_feed_control_client_take_async (wrong, RC_ON_AIR_BLANK, NULL, NULL, NULL, on_done, f);
  wait_done (f);
  g_assert_false (f->ok);
  g_assert_cmpstr (f->error->message, ==, "wrong token (401)");
  rc_feed_control_client_take_async (f->control, RC_ON_AIR_VOTE, "no-such-vote", NULL, NULL,
                                     on_done, f);
  wait_done (f);
  g_assert_error (f->error, RC_ERROR, RC_ERROR_UNKNOWN_VOTE);
  g_assert_nonnull (strstr (f->error->message, "no-such-vote"));
  g_assert_true (g_str_has_suffix (f->error->message, "(404)"));
  rc_feed_control_client_vote_action_async (f->control, VOTE, "open", NULL, NULL, on_done, f);
  wait_done (f);
  g_assert_error (f->error, RC_ERROR, RC_ERROR_LIFECYCLE);
  g_assert_true (g_str_has_suffix (f->error->message, "(409)"));
  g_assert_null (strchr (f->error->message, '\n'));
  rc_feed_control_client_correct_async (f->control, VOTE, "XXX", RC_CHOICE_YES, "typo", NULL,
                                        on_done, f);
  wait_done (f);
  g_assert_error (f->error, RC_ERROR, RC_ERROR_UNKNOWN_MEMBER);

  /* A feed that is not there. */
  nobody = rc_feed_control_client_new ("http://127.0.0.1:1", TOKEN, &error);
  g_assert_no_error (error);
  rc_feed_control_client_take_async (nobody, RC_ON_AIR_BLANK, NULL, NULL, NULL, on_done, f);
  wait_done (f);
  g_assert_false (f->ok);
  g_assert_true (g_str_has_prefix (f->error->message, "the feed could not be reached: "));

  /* URLs it refuses, and the CA file it checks. */
  g_assert_null (rc_feed_control_client_new ("ftp://127.0.0.1", TOKEN, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (rc_feed_control_client_new ("not a url", TOKEN, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT);
  g_clear_error (&error);
  https = rc_feed_control_client_new ("wss://127.0.0.1:1", TOKEN, &error);
  g_assert_no_error (error);
  g_assert_false (rc_feed_control_client_set_ca_file (https, "/dev/null", &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_FILE);

  /* The session's on-air is the last take that was accepted. */
  g_assert_cmpuint (rc_feed_hub_get_last_seq (f->hub), >, 0);
}

/* ---- the desk ------------------------------------------------------------------ */

/* The first widget of this type under widget, depth first. */
static GtkWidget *
find_widget (GtkWidget *widget, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A label shown under widget whose text holds words. */
static gboolean
has_label (GtkWidget *widget, const char *words)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
      && strstr (gtk_label_get_text (GTK_LABEL (widget)), words) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (has_label (c, words))
      return TRUE;
  return FALSE;
}

static void
test_selection_take_blank_holding_undo (Fixture *f, gconstpointer data)
{
  RcBoardWidget *preview, *program;
  GtkEditable *line;
  g_autofree char *now = NULL;

  publish (f, 0, f->journal->events->len);
  open_console (f, f->control);
  preview = rc_console_get_preview (f->console);
  program = rc_console_get_program (f->console);
  line = GTK_EDITABLE (find_widget (GTK_WIDGET (f->console), GTK_TYPE_ENTRY));

  /* At first: the first vote in preview; nothing taken, so program shows what a kiosk
   * shows then (the vote being taken). */
  g_assert_nonnull (rc_board_widget_get_vote (preview));
  g_assert_cmpstr (rc_vote_get_id (rc_board_widget_get_vote (preview)), ==, VOTE);
  g_assert_cmpint (rc_board_widget_get_follow (program), ==, RC_BOARD_FOLLOW_CURRENT);
  g_assert_true (has_label (GTK_WIDGET (f->console), "PROGRAM — nothing taken yet"));

  /* The hall clock, as a kiosk shows it: the feed's time. */
  g_assert_cmpint (rc_board_widget_get_clock_time (program), >=,
                   rc_session_get_last_time (session (f)));

  /* Blank, straight to air; the desk measures how long the take took to come back. */
  g_assert_false (has_label (GTK_WIDGET (f->console), " · last take "));
  activate (f, "win.blank");
  wait_on_air (f, "blank");
  g_assert_true (has_label (GTK_WIDGET (f->console), " · last take "));
  g_assert_cmpint (rc_board_widget_get_follow (program), ==, RC_BOARD_FOLLOW_ON_AIR);
  g_assert_true (has_label (GTK_WIDGET (f->console), "PROGRAM — on air: Blank"));

  /* Selecting the holding slide (Up from the vote) changes the preview, not the air. */
  activate (f, "win.select-previous");
  settle (300);
  g_assert_null (rc_board_widget_get_vote (preview));
  now = on_air (f);
  g_assert_cmpstr (now, ==, "blank");
  g_assert_true (has_label (GTK_WIDGET (f->console), "PREVIEW — next: Holding slide"));

  /* Take it, with the typed line. */
  gtk_editable_set_text (line, "The meeting resumes at 15:00");
  activate (f, "win.take");
  wait_on_air (f, "holding:The meeting resumes at 15:00");
  g_assert_null (rc_board_widget_get_vote (program));

  /* Down, take: the vote on air, on program. */
  activate (f, "win.select-next");
  settle (300);
  g_assert_cmpstr (rc_vote_get_id (rc_board_widget_get_vote (preview)), ==, VOTE);
  activate (f, "win.take");
  wait_on_air (f, "vote:" VOTE);
  g_assert_cmpstr (rc_vote_get_id (rc_board_widget_get_vote (program)), ==, VOTE);
  g_assert_true (has_label (GTK_WIDGET (f->console), "PROGRAM — on air: A/RES/ES-11/1"));

  /* Undo: the holding slide and its line again; undo again: the vote. */
  activate (f, "win.undo-take");
  wait_on_air (f, "holding:The meeting resumes at 15:00");
  activate (f, "win.undo-take");
  wait_on_air (f, "vote:" VOTE);

  /* Holding straight to air, without selecting it. */
  gtk_editable_set_text (line, "");
  activate (f, "win.holding");
  wait_on_air (f, "holding");

  /* Past either end the selection stays. */
  for (int i = 0; i < 5; i++)
    activate (f, "win.select-next");
  g_assert_cmpstr (rc_vote_get_id (rc_board_widget_get_vote (preview)), ==, VOTE);
  settle (300);
  g_free (now);
  now = on_air (f);
  g_assert_cmpstr (now, ==, "holding");
}

static void
test_follow_open_vote (Fixture *f, gconstpointer data)
{
  guint opened = index_of (f, RC_EVENT_VOTE_OPENED);

  publish (f, 0, opened);
  open_console (f, f->control);
  activate (f, "win.blank");
  wait_on_air (f, "blank");
  g_object_set (f->console, "follow-open", TRUE, NULL);
  settle (300);
  {
    g_autofree char *now = on_air (f);

    g_assert_cmpstr (now, ==, "blank"); /* nothing open yet: nothing taken */
  }
  /* The vote opens: on air, once. */
  publish (f, opened, opened + 1);
  wait_on_air (f, "vote:" VOTE);
  /* The operator takes something else while it is still open: it stays. */
  activate (f, "win.blank");
  wait_on_air (f, "blank");
  publish (f, opened + 1, opened + 20);
  settle (500);
  {
    g_autofree char *now = on_air (f);

    g_assert_cmpstr (now, ==, "blank");
  }
}

static gboolean
shows_refusal (gpointer data)
{
  return has_label (GTK_WIDGET (((Fixture *) data)->console), "Not taken: wrong token (401)");
}

static void
test_refusal_toast (Fixture *f, gconstpointer data)
{
  publish (f, 0, f->journal->events->len);
  /* (the fixture's control client has the wrong token here) */
  open_console (f, f->control);
  activate (f, "win.blank");
  ui_wait_until (shows_refusal, f, WAIT_MS, "the refusal's toast");
  settle (300);
  {
    g_autofree char *now = on_air (f);

    g_assert_cmpstr (now, ==, "");
  }
}

/* The button under widget that activates this action. */
static GtkWidget *
button_for (GtkWidget *widget, const char *action)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = button_for (c, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_watch_only (Fixture *f, gconstpointer data)
{
  publish (f, 0, f->journal->events->len);
  open_console (f, NULL);
  /* Nothing to take with: the actions are off, and the desk says why. */
  g_assert_false (gtk_widget_get_sensitive (button_for (GTK_WIDGET (f->console), "win.take")));
  g_assert_false (gtk_widget_get_sensitive (button_for (GTK_WIDGET (f->console), "win.blank")));
  g_assert_false (gtk_widget_get_sensitive (button_for (GTK_WIDGET (f->console), "win.open-vote")));
  activate (f, "win.take");
  settle (300);
  g_assert_false (rc_session_has_on_air (session (f)));
  g_assert_true (has_label (GTK_WIDGET (f->console), "Watching only: no token"));
}

static gboolean
shows_mismatch_alarm (gpointer data)
{
  return has_label (GTK_WIDGET (((Fixture *) data)->console),
                    "On air: A/RES/ES-11/1: the official totals 142–5–35 differ from the "
                    "ballots 141–5–35");
}

/* Official totals that differ from the ballots: an alarm on the desk, and no mark on
 * program (nor on any kiosk: the same style). */
static void
test_mismatch_alarm (Fixture *f, gconstpointer data)
{
  guint announced = index_of (f, RC_EVENT_VOTE_ANNOUNCED);
  const RcEvent *real = g_ptr_array_index (f->journal->events, announced);
  RcTally official = { .yes = 142, .no = 5, .abstain = 35, .not_voting = 11 };
  g_autoptr (RcEvent) wrong = rc_event_new_vote_announced (real->time, VOTE, &official);
  g_autoptr (RcEvent) published = NULL;
  g_autoptr (GError) error = NULL;

  publish (f, 0, announced);
  published = rc_feed_hub_publish (f->hub, wrong, &error);
  g_assert_no_error (error);
  open_console (f, f->control);
  activate (f, "win.take"); /* the first vote, selected at first */
  wait_on_air (f, "vote:" VOTE);
  ui_wait_until (shows_mismatch_alarm, f, WAIT_MS, "the mismatch alarm");
  g_assert_true (rc_board_widget_get_style (rc_console_get_program (f->console))->hall);
  g_assert_true (rc_board_widget_get_style (rc_console_get_preview (f->console))->hall);
}

/* The kiosk windows of this process (presentation windows). */
static RcWindow *
presentation_window (void)
{
  RcWindow *found = NULL;

  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (RC_IS_WINDOW (l->data) && rc_window_get_kiosk (l->data))
      found = l->data;
  return found;
}

static gboolean
board_vote_is_none (gpointer data)
{
  return rc_board_widget_get_vote (data) == NULL;
}

/* Program full screen on a monitor: a kiosk window on the desk's own feed, showing what
 * the feed has on air; put away on request, or when it goes by other means. */
static void
test_presentation_window (Fixture *f, gconstpointer data)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  g_autoptr (GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  g_autofree char *name = rc_console_monitor_name (monitor);
  RcWindow *window;
  RcBoardWidget *board;

  publish (f, 0, f->journal->events->len);
  open_console (f, f->control);
  g_assert_null (presentation_window ());
  g_assert_nonnull (gdk_monitor_get_connector (monitor));
  g_assert_true (g_str_has_prefix (name, gdk_monitor_get_connector (monitor)));

  g_assert_true (rc_console_show_on_monitor (f->console, monitor, TRUE));
  g_assert_cmpuint (rc_console_count_screens (f->console), ==, 1);
  window = presentation_window ();
  g_assert_nonnull (window);
  board = rc_window_get_board (window);
  g_assert_true (rc_board_widget_get_session (board) == session (f));
  g_assert_true (rc_board_widget_get_style (board)->hall);
  /* twice on one monitor is once */
  g_assert_true (rc_console_show_on_monitor (f->console, monitor, TRUE));
  g_assert_cmpuint (rc_console_count_screens (f->console), ==, 1);

  /* a take reaches it */
  activate (f, "win.take");
  wait_on_air (f, "vote:" VOTE);
  g_assert_cmpstr (rc_vote_get_id (rc_board_widget_get_vote (board)), ==, VOTE);
  activate (f, "win.blank");
  wait_on_air (f, "blank");
  ui_wait_until (board_vote_is_none, board, WAIT_MS, "blank on the presentation window");

  /* put away on request */
  g_assert_true (rc_console_show_on_monitor (f->console, monitor, FALSE));
  g_assert_cmpuint (rc_console_count_screens (f->console), ==, 0);
  settle (100);
  g_assert_null (presentation_window ());

  /* gone by other means: no longer counted */
  g_assert_true (rc_console_show_on_monitor (f->console, monitor, TRUE));
  gtk_window_destroy (GTK_WINDOW (presentation_window ()));
  g_assert_cmpuint (rc_console_count_screens (f->console), ==, 0);
  /* and not chosen any more: a change of monitors does not bring it back unasked */
  g_list_model_items_changed (monitors, 0, 0, 0);
  settle (100);
  g_assert_cmpuint (rc_console_count_screens (f->console), ==, 0);
  g_assert_null (presentation_window ());
  /* and the desk's own end takes its windows with it */
  g_assert_true (rc_console_show_on_monitor (f->console, monitor, FALSE));
  g_assert_true (rc_console_show_on_monitor (f->console, monitor, TRUE));
  gtk_window_destroy (GTK_WINDOW (f->console));
  f->console = NULL;
  settle (100);
  g_assert_null (presentation_window ());
}

static gboolean
described_again (gpointer data)
{
  RcVote *vote = rc_session_find_vote (session (data), VOTE);

  return rc_vote_get_info (vote)->result_shown == RC_RESULT_AT_LOCK
         && rc_vote_get_info (vote)->reveal == RC_REVEAL_AFTER_LOCK;
}

/* The dialog under the toplevels, or NULL. */
static AdwMessageDialog *
find_dialog (void)
{
  AdwMessageDialog *found = NULL;

  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      found = l->data;
  return found;
}

static void
collect_dropdowns (GtkWidget *widget, GPtrArray *out)
{
  if (GTK_IS_DROP_DOWN (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_dropdowns (c, out);
}

/* What the hall sees at each stage, set from the desk on a scheduled vote: the lights
 * at the lock, the result at the lock; carried by the feed (the desk's own subscription
 * has it); asked once; not offered once the vote is open. */
static void
test_what_the_hall_sees (Fixture *f, gconstpointer data)
{
  guint opened = index_of (f, RC_EVENT_VOTE_OPENED);
  g_autoptr (GPtrArray) dropdowns = g_ptr_array_new ();
  AdwMessageDialog *dialog;

  publish (f, 0, opened);
  open_console (f, f->control);
  g_assert_cmpint (rc_vote_get_info (rc_session_find_vote (session (f), VOTE))->result_shown, ==,
                   RC_RESULT_WHEN_ANNOUNCED);
  activate (f, "win.describe-vote");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  collect_dropdowns (GTK_WIDGET (dialog), dropdowns);
  g_assert_cmpuint (dropdowns->len, ==, 2);
  gtk_drop_down_set_selected (dropdowns->pdata[0], 1);
  gtk_drop_down_set_selected (dropdowns->pdata[1], 1);
  adw_message_dialog_response (dialog, "do");
  ui_wait_until (described_again, f, WAIT_MS, "the vote described again");
  g_assert_true (has_label (GTK_WIDGET (f->console), "lights at the lock · result at the lock"));

  /* open: no longer offered */
  publish (f, opened, opened + 1);
  settle (300);
  g_assert_false (
    gtk_widget_get_sensitive (button_for (GTK_WIDGET (f->console), "win.describe-vote")));
}

static gboolean
vote_corrected (gpointer data)
{
  return rc_vote_is_corrected (rc_session_find_vote (session (data), VOTE));
}

static gboolean
vote_cancelled (gpointer data)
{
  return rc_vote_get_state (rc_session_find_vote (session (data), VOTE)) == RC_VOTE_CANCELLED;
}

/* The clerk's correction (a member, a choice, a note) and cancellation (a note), each
 * asked once and sent as the dialog says; Back sends nothing. */
static void
test_correct_and_cancel (Fixture *f, gconstpointer data)
{
  guint opened = index_of (f, RC_EVENT_VOTE_OPENED);
  g_autoptr (GPtrArray) dropdowns = g_ptr_array_new ();
  RcRoster *roster;
  AdwMessageDialog *dialog;
  RcVote *vote;
  guint afg = G_MAXUINT;

  publish (f, 0, f->journal->events->len);
  open_console (f, f->control);
  vote = rc_session_find_vote (session (f), VOTE);
  roster = rc_session_get_roster (session (f));
  for (guint i = 0; i < rc_roster_get_size (roster); i++)
    if (g_str_equal (rc_roster_get_member (roster, i)->code, "AFG"))
      afg = i;
  g_assert_cmpint (rc_vote_get_choice (vote, afg), ==, RC_CHOICE_YES);

  /* Back: nothing sent */
  activate (f, "win.correct-vote");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "keep");
  adw_message_dialog_response (dialog, "do"); /* a second response sends nothing either */
  gtk_window_destroy (GTK_WINDOW (dialog));   /* (as its button closes it) */
  settle (300);
  g_assert_false (rc_vote_is_corrected (vote));

  /* Afghanistan's yes recorded as an abstention, with a note */
  activate (f, "win.correct-vote");
  dialog = find_dialog ();
  collect_dropdowns (GTK_WIDGET (dialog), dropdowns);
  g_assert_cmpuint (dropdowns->len, ==, 2);
  gtk_drop_down_set_selected (dropdowns->pdata[0], afg);
  gtk_drop_down_set_selected (dropdowns->pdata[1], 2); /* Abstain */
  gtk_editable_set_text (GTK_EDITABLE (find_widget (GTK_WIDGET (dialog), GTK_TYPE_ENTRY)),
                         "The delegation informed the Secretariat");
  adw_message_dialog_response (dialog, "do");
  ui_wait_until (vote_corrected, f, WAIT_MS, "the correction");
  vote = rc_session_find_vote (session (f), VOTE);
  g_assert_cmpint (rc_vote_get_choice (vote, afg), ==, RC_CHOICE_ABSTAIN);
  g_assert_cmpstr (rc_vote_get_note (vote), ==, "The delegation informed the Secretariat");
  g_assert_true (has_label (GTK_WIDGET (f->console), "corrected"));
  (void) opened;
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  guint opened = index_of (f, RC_EVENT_VOTE_OPENED);
  AdwMessageDialog *dialog;

  publish (f, 0, opened + 5);
  open_console (f, f->control);
  activate (f, "win.cancel-vote");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (find_widget (GTK_WIDGET (dialog), GTK_TYPE_ENTRY)),
                         "Voting machine failure");
  adw_message_dialog_response (dialog, "do");
  ui_wait_until (vote_cancelled, f, WAIT_MS, "the cancellation");
  g_assert_cmpstr (rc_vote_get_note (rc_session_find_vote (session (f), VOTE)), ==,
                   "Voting machine failure");
  /* nothing left to do to a cancelled vote */
  g_assert_false (
    gtk_widget_get_sensitive (button_for (GTK_WIDGET (f->console), "win.cancel-vote")));
  g_assert_false (gtk_widget_get_sensitive (button_for (GTK_WIDGET (f->console), "win.lock-vote")));
}

static guint
history_rows (Fixture *f)
{
  GtkWidget *expander = find_widget (GTK_WIDGET (f->console), GTK_TYPE_EXPANDER);
  GtkWidget *list = find_widget (expander, GTK_TYPE_LIST_BOX);
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

static gboolean
history_has_three (gpointer data)
{
  return history_rows (data) == 3;
}

/* The on-air history from the feed's journal: what went on air before the desk joined
 * (read once from the stream's start), older than what it saw itself, in order; undo
 * reaches into it. */
static void
test_history_from_the_journal (Fixture *f, gconstpointer data)
{
  guint opened = index_of (f, RC_EVENT_VOTE_OPENED);
  gint64 t = ((const RcEvent *) g_ptr_array_index (f->journal->events, opened))->time;
  const RcEvent *before[3];
  g_autoptr (RcEvent) blank = rc_event_new_on_air (t, RC_ON_AIR_BLANK, NULL);
  g_autoptr (RcEvent) holding = rc_event_new_on_air_holding (t, "Before the desk");
  g_autoptr (RcEvent) vote = rc_event_new_on_air (t, RC_ON_AIR_VOTE, VOTE);
  GtkWidget *list;

  before[0] = blank, before[1] = holding, before[2] = vote;
  publish (f, 0, opened);
  for (guint i = 0; i < G_N_ELEMENTS (before); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RcEvent) published = rc_feed_hub_publish (f->hub, before[i], &error);

      g_assert_no_error (error);
    }
  open_console (f, f->control);
  gtk_expander_set_expanded (
    GTK_EXPANDER (find_widget (GTK_WIDGET (f->console), GTK_TYPE_EXPANDER)), TRUE);
  ui_wait_until (history_has_three, f, WAIT_MS, "the history before the desk joined");
  settle (200);
  /* newest first: the vote (on air), the holding slide, blank */
  list = find_widget (find_widget (GTK_WIDGET (f->console), GTK_TYPE_EXPANDER), GTK_TYPE_LIST_BOX);
  g_assert_true (has_label (gtk_widget_get_first_child (list), "A/RES/ES-11/1"));
  g_assert_true (
    has_label (gtk_widget_get_next_sibling (gtk_widget_get_first_child (list)), "Before the desk"));
  g_assert_true (has_label (gtk_widget_get_last_child (list), "Blank"));
  /* undo: what was on air before the vote, though the desk never saw it */
  activate (f, "win.undo-take");
  wait_on_air (f, "holding:Before the desk");
}

static gboolean
history_has_one (gpointer data)
{
  return history_rows (data) == 1;
}

/* A feed that no longer keeps the sitting's first events answers STREAM:0 with a
 * snapshot: no history from before the desk joined, and nothing made up. */
static void
test_history_not_kept (Fixture *f, gconstpointer data)
{
  guint opened = index_of (f, RC_EVENT_VOTE_OPENED);
  gint64 t = ((const RcEvent *) g_ptr_array_index (f->journal->events, opened))->time;
  g_autoptr (RcEvent) blank = rc_event_new_on_air (t, RC_ON_AIR_BLANK, NULL);
  g_autoptr (RcEvent) vote = rc_event_new_on_air (t, RC_ON_AIR_VOTE, VOTE);
  g_autoptr (RcEvent) p1 = NULL;
  g_autoptr (RcEvent) p2 = NULL;

  rc_feed_hub_set_history (f->hub, 2);
  publish (f, 0, opened);
  p1 = rc_feed_hub_publish (f->hub, blank, NULL);
  p2 = rc_feed_hub_publish (f->hub, vote, NULL);
  g_assert_nonnull (p1);
  g_assert_nonnull (p2);
  open_console (f, f->control);
  gtk_expander_set_expanded (
    GTK_EXPANDER (find_widget (GTK_WIDGET (f->console), GTK_TYPE_EXPANDER)), TRUE);
  ui_wait_until (history_has_one, f, WAIT_MS, "the history the desk saw itself");
  settle (1000); /* (time for a history that should not come) */
  g_assert_cmpuint (history_rows (f), ==, 1);
}

static GtkWindow *
open_preferences (Fixture *f)
{
  GtkWindow *preferences = NULL;

  activate (f, "win.preferences");
  settle (200);
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (ADW_IS_PREFERENCES_WINDOW (l->data))
      preferences = l->data;
  g_assert_nonnull (preferences);
  return preferences;
}

/* The preferences' row titled "Board language". */
static AdwComboRow *
board_language_row (GtkWindow *preferences)
{
  GtkWidget *w = GTK_WIDGET (preferences);

  /* depth first, through every widget */
  while (w != NULL)
    {
      GtkWidget *next;

      if (ADW_IS_COMBO_ROW (w)
          && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), "Board language")
               == 0)
        return ADW_COMBO_ROW (w);
      next = gtk_widget_get_first_child (w);
      while (next == NULL && w != NULL && w != GTK_WIDGET (preferences))
        {
          next = gtk_widget_get_next_sibling (w);
          if (next == NULL)
            w = gtk_widget_get_parent (w);
        }
      w = next;
    }
  g_assert_not_reached ();
}

static void
test_settings (Fixture *f, gconstpointer data)
{
  RcBoardWidget *boards[2];
  GtkWindow *preferences = NULL;
  GtkWidget *toggle;

  publish (f, 0, f->journal->events->len);
  open_console (f, f->control);
  boards[0] = rc_console_get_preview (f->console);
  boards[1] = rc_console_get_program (f->console);

  rc_settings_set_colour_blind_glyphs (f->settings, TRUE);
  rc_settings_set_palette (f->settings, "high-contrast");
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (rc_board_widget_get_glyphs (boards[i]));
      g_assert_true (rc_board_widget_get_style (boards[i])->has_palette);
    }
  rc_settings_set_palette (f->settings, "");
  for (guint i = 0; i < 2; i++)
    g_assert_false (rc_board_widget_get_style (boards[i])->has_palette);

  /* The preferences window shows the settings and writes them back. */
  preferences = open_preferences (f);
  toggle = find_widget (GTK_WIDGET (preferences), GTK_TYPE_SWITCH);
  g_assert_nonnull (toggle);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_false (rc_settings_get_colour_blind_glyphs (f->settings));
  g_assert_false (rc_board_widget_get_glyphs (boards[1]));
  gtk_window_destroy (preferences);

  /* The board's language: both boards follow the setting; a bilingual one too. */
  rc_settings_set_board_language (f->settings, "fr");
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpstr (rc_board_widget_get_board_language (boards[i]), ==, "fr");
      g_assert_cmpstr (rc_board_widget_get_style (boards[i])->language.first, ==, "fr");
    }
  rc_settings_set_board_language (f->settings, "ar,en");
  g_assert_cmpstr (rc_board_widget_get_style (boards[1])->language.first, ==, "ar");
  g_assert_cmpstr (rc_board_widget_get_style (boards[1])->language.second, ==, "en");
  /* A value that is not a language leaves the boards as they are. */
  rc_settings_set_board_language (f->settings, "de");
  g_assert_cmpstr (rc_board_widget_get_style (boards[1])->language.first, ==, "ar");
  /* The preferences say so, and writing nothing until a language is chosen. */
  preferences = open_preferences (f);
  {
    AdwComboRow *row = board_language_row (preferences);
    GListModel *lines = adw_combo_row_get_model (row);
    guint selected = adw_combo_row_get_selected (row);

    g_assert_cmpuint (selected, <, g_list_model_get_n_items (lines));
    g_assert_nonnull (
      strstr (gtk_string_list_get_string (GTK_STRING_LIST (lines), selected), "“de”"));
    adw_combo_row_set_selected (row, 4); /* Français */
    g_assert_cmpstr (rc_settings_get_board_language (f->settings), ==, "fr");
  }
  gtk_window_destroy (preferences);
  rc_settings_set_board_language (f->settings, "en,fr");
  preferences = open_preferences (f);
  {
    AdwComboRow *row = board_language_row (preferences);
    GListModel *lines = adw_combo_row_get_model (row);

    g_assert_cmpstr (
      gtk_string_list_get_string (GTK_STRING_LIST (lines), adw_combo_row_get_selected (row)), ==,
      "en,fr");
  }
  gtk_window_destroy (preferences);
  rc_settings_set_board_language (f->settings, "");
  g_assert_cmpstr (rc_board_widget_get_style (boards[1])->language.first, ==, "en");
}

/* Every button of the desk has a name for assistive technologies and a tooltip. */
static void
test_controls_named (Fixture *f, gconstpointer data)
{
  g_autofree char *unnamed = NULL;

  publish (f, 0, f->journal->events->len);
  open_console (f, f->control);
  settle (200);
  unnamed = ui_unnamed_controls (GTK_WIDGET (f->console));
  g_assert_cmpstr (unnamed, ==, NULL);
}

/* ---- the replay desk ----------------------------------------------------------------- */

typedef struct {
  RcFeedSource *source;
  RcConsole *console;
  char *opened; /* the session "open-session" asked for */
} ReplayDesk;

static gboolean
replay_live (gpointer data)
{
  return rc_feed_client_get_state (((ReplayDesk *) data)->source->client) == RC_FEED_CLIENT_LIVE;
}

static RcVote *
desk_vote (ReplayDesk *d)
{
  return rc_session_find_vote (rc_feed_client_get_session (d->source->client), VOTE);
}

typedef struct {
  ReplayDesk *d;
  int state; /* RcVoteState, or -1: no such vote */
} StateWait;

static gboolean
vote_state_is (gpointer data)
{
  StateWait *w = data;
  RcVote *vote = desk_vote (w->d);

  return (vote == NULL ? -1 : (int) rc_vote_get_state (vote)) == w->state
         && rc_session_get_last_seq (rc_feed_client_get_session (w->d->source->client))
              == rc_feed_hub_get_last_seq (w->d->source->hub);
}

static void
wait_vote_state (ReplayDesk *d, int state, const char *what)
{
  StateWait w = { d, state };

  ui_wait_until (vote_state_is, &w, WAIT_MS, what);
}

static gboolean
desk_blank (gpointer data)
{
  RcSession *s = rc_feed_client_get_session (((ReplayDesk *) data)->source->client);

  return rc_session_has_on_air (s) && rc_session_get_on_air (s) == RC_ON_AIR_BLANK;
}

static gboolean
desk_on_sc (gpointer data)
{
  ReplayDesk *d = data;
  const RcSessionInfo *info = rc_session_get_info (rc_feed_client_get_session (d->source->client));

  return info != NULL && g_strcmp0 (info->id, d->opened) == 0;
}

static void
on_open_session (RcConsole *console, const char *id, ReplayDesk *d)
{
  g_free (d->opened);
  d->opened = g_strdup (id);
}

static guint
visible_rows (GtkListBox *box)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (box)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n += gtk_widget_get_child_visible (c) && gtk_widget_get_visible (c);
  return n;
}

/* The replay desk on the demo: the transport steps by vote and by event, jumps to a
 * result and seeks back, and every step reaches the desk's feed (program, and any
 * kiosk on it); the session browser lists the archive's sessions, filters them, and
 * asks for the one chosen. */
static void
test_replay_desk (void)
{
  g_autofree char *demo = ui_demo_archive_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RcReplayPlan) plan = rc_replay_plan_load (demo, "2022-03-02", NULL, &error);
  g_autoptr (RcArchive) archive = NULL;
  g_autoptr (GPtrArray) sessions = NULL;
  g_autoptr (GPtrArray) votes = NULL;
  g_autoptr (RcSettings) settings = rc_settings_new ();
  ReplayDesk d = { 0 };
  RcReplay *clock;
  GPtrArray *events;
  guint opened_at = 0;
  GtkWindow *browser = NULL;
  GtkListBox *list;
  GtkEditable *search;

  g_assert_no_error (error);
  d.source = rc_feed_source_new_embedded (plan, 3.0, TRUE, NULL, 0, &error);
  g_assert_no_error (error);
  d.console = rc_console_new (NULL, settings, d.source->client, d.source->control, FALSE);
  clock = rc_feed_replay_get_replay (d.source->replay);
  rc_console_set_replay (d.console, clock);
  g_assert_true (rc_console_get_replay (d.console) == clock);
  /* --speed 3 stays 3×, though the list's steps are powers of two */
  g_assert_cmpfloat (rc_replay_get_speed (clock), ==, 3.0);
  gtk_window_present (GTK_WINDOW (d.console));
  rc_feed_source_start (d.source);
  ui_wait_until (replay_live, &d, WAIT_MS, "the replay desk's feed");
  events = rc_replay_get_events (clock);
  for (guint i = 0; i < events->len; i++)
    if (((const RcEvent *) g_ptr_array_index (events, i))->type == RC_EVENT_VOTE_OPENED)
      opened_at = i;
  g_assert_cmpuint (opened_at, >, 0);

  /* Paused; the next vote: its opening, on the feed. */
  activate_on (GTK_WIDGET (d.console), "win.replay-play-pause");
  g_assert_false (rc_replay_is_playing (clock));
  activate_on (GTK_WIDGET (d.console), "win.replay-next-vote");
  g_assert_cmpint (rc_replay_get_position (clock), ==,
                   rc_replay_get_event_position (clock, opened_at));
  wait_vote_state (&d, RC_VOTE_OPEN, "the vote open after next-vote");

  /* One event on, one back. */
  {
    guint n = rc_replay_get_n_applied (clock);

    activate_on (GTK_WIDGET (d.console), "win.replay-next-event");
    g_assert_cmpuint (rc_replay_get_n_applied (clock), >, n);
    activate_on (GTK_WIDGET (d.console), "win.replay-previous-event");
    g_assert_cmpuint (rc_replay_get_n_applied (clock), ==, n);
  }

  /* The selected vote's result. */
  activate_on (GTK_WIDGET (d.console), "win.replay-jump-to-result");
  wait_vote_state (&d, RC_VOTE_ANNOUNCED, "the result after jump-to-result");
  g_assert_cmpuint (rc_vote_get_tally (desk_vote (&d))->yes, ==, 141);
  g_assert_cmpuint (rc_vote_get_tally (desk_vote (&d))->no, ==, 5);
  g_assert_cmpuint (rc_vote_get_tally (desk_vote (&d))->abstain, ==, 35);

  /* Exported from the desk: the record of the vote as the journal folds it (which
   * rollcall-render's test compares with the official record, member by member). */
  {
    g_autofree char *dir = g_dir_make_tmp ("rollcall-desk-XXXXXX", NULL);
    g_autofree char *csv = g_build_filename (dir, "es-11-1.csv", NULL);
    g_autofree char *bad = g_build_filename (dir, "es-11-1.doc", NULL);
    g_autofree char *ours = NULL;
    g_autofree char *expected = NULL;
    g_autoptr (RcSession) folded = rc_session_new ();

    g_assert_true (rc_console_export (d.console, csv, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (csv, &ours, NULL, NULL));
    rc_session_fold (folded, events, G_MAXINT64, NULL);
    expected = rc_record_csv (rc_session_find_vote (folded, VOTE));
    g_assert_cmpstr (ours, ==, expected);
    g_assert_false (rc_console_export (d.console, bad, &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT);
    g_clear_error (&error);
    g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
    g_unlink (csv);
    g_rmdir (dir);
  }

  /* Back to before the vote opened: every board on the feed rewinds. */
  activate_on (GTK_WIDGET (d.console), "win.replay-previous-vote");
  g_assert_cmpint (rc_replay_get_position (clock), ==,
                   rc_replay_get_event_position (clock, opened_at));
  rc_console_replay_seek (d.console, 0);
  g_assert_cmpint (rc_replay_get_position (clock), ==, 0);
  {
    RcVote *at_start = rc_session_find_vote (rc_replay_get_session (clock), VOTE);

    g_assert_true (at_start == NULL || rc_vote_get_state (at_start) == RC_VOTE_SCHEDULED);
    wait_vote_state (&d, at_start != NULL ? RC_VOTE_SCHEDULED : -1,
                     "the feed rewound to the start");
  }

  /* Speed: one range for every tool (3× shows as the nearest step, 2×; the next is 4×). */
  activate_on (GTK_WIDGET (d.console), "win.replay-faster");
  g_assert_cmpfloat (rc_replay_get_speed (clock), ==, 4.0);
  for (int i = 0; i < 20; i++)
    activate_on (GTK_WIDGET (d.console), "win.replay-faster");
  g_assert_cmpfloat (rc_replay_get_speed (clock), ==, RC_REPLAY_MAX_SPEED);
  for (int i = 0; i < 20; i++)
    activate_on (GTK_WIDGET (d.console), "win.replay-slower");
  g_assert_cmpfloat (rc_replay_get_speed (clock), ==, RC_REPLAY_MIN_SPEED);

  /* The session browser. */
  archive = rc_archive_open (demo, RC_ARCHIVE_READ_ONLY, &error);
  g_assert_no_error (error);
  sessions = rc_archive_list_sessions (archive, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, >=, 2);
  votes = rc_archive_list_votes (archive, &error);
  g_assert_no_error (error);
  rc_console_set_sessions (d.console, "demo.rollcall", sessions, votes);
  g_signal_connect (d.console, "open-session", G_CALLBACK (on_open_session), &d);
  activate_on (GTK_WIDGET (d.console), "win.sessions");
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (ADW_IS_WINDOW (l->data) && !RC_IS_CONSOLE (l->data))
      browser = l->data;
  g_assert_nonnull (browser);
  list = GTK_LIST_BOX (find_widget (GTK_WIDGET (browser), GTK_TYPE_LIST_BOX));
  search = GTK_EDITABLE (find_widget (GTK_WIDGET (browser), GTK_TYPE_SEARCH_ENTRY));
  settle (100);
  g_assert_cmpuint (visible_rows (list), ==, sessions->len);
  /* the archive's query, as rollcall-import --list --search: words of a vote's title and
   * its symbol find its session */
  gtk_editable_set_text (search, "aggression ES-11/1");
  gtk_list_box_invalidate_filter (list);
  settle (400);
  g_assert_cmpuint (visible_rows (list), ==, 1);
  gtk_editable_set_text (search, "aggression S/2022/155");
  gtk_list_box_invalidate_filter (list);
  settle (400);
  g_assert_cmpuint (visible_rows (list), ==, 0);
  gtk_editable_set_text (search, "2022-02-25"); /* the Security Council's meeting */
  gtk_list_box_invalidate_filter (list);
  settle (400);
  g_assert_cmpuint (visible_rows (list), ==, 1);
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (list)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_child_visible (c))
      {
        /* (the browser closes on it) */
        g_signal_emit_by_name (list, "row-activated", c);
        break;
      }
  g_assert_nonnull (d.opened);
  for (guint i = 0; i < sessions->len; i++)
    {
      const RcArchiveSessionRow *row = g_ptr_array_index (sessions, i);

      if (g_strcmp0 (row->date, "2022-02-25") == 0)
        g_assert_cmpstr (d.opened, ==, row->id);
    }

  /* Another sitting through the same feed: the desk forgets what named the last one's
   * votes (its on-air history, what undo would take). */
  {
    g_autoptr (RcReplayPlan) sc = rc_replay_plan_load (demo, d.opened, NULL, &error);

    g_assert_no_error (error);
    activate_on (GTK_WIDGET (d.console), "win.blank");
    ui_wait_until (desk_blank, &d, WAIT_MS, "blank on the replay desk");
    gtk_expander_set_expanded (
      GTK_EXPANDER (find_widget (GTK_WIDGET (d.console), GTK_TYPE_EXPANDER)), TRUE);
    settle (200);
    g_assert_true (has_label (GTK_WIDGET (d.console), "Take again"));
    rc_feed_source_replay (d.source, sc);
    rc_console_set_replay (d.console, rc_feed_replay_get_replay (d.source->replay));
    ui_wait_until (desk_on_sc, &d, WAIT_MS, "the other sitting on the desk's feed");
    settle (200);
    g_assert_false (has_label (GTK_WIDGET (d.console), "Take again"));
    g_assert_false (
      gtk_widget_get_sensitive (button_for (GTK_WIDGET (d.console), "win.undo-take")));
  }

  gtk_window_destroy (GTK_WINDOW (d.console));
  rc_feed_source_free (d.source);
  g_free (d.opened);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int argc, char *argv[])
{
  g_setenv ("ROLLCALL_FEED_TEST_TIMING", "fast", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  rc_application_install_style (gdk_display_get_default ());

#define ADD(path, fn, data) g_test_add (path, Fixture, data, fixture_set_up, fn, fixture_tear_down)
  ADD ("/console/control-client", test_control_client, NULL);
  ADD ("/console/selection-take-blank-holding-undo", test_selection_take_blank_holding_undo, NULL);
  ADD ("/console/follow-open-vote", test_follow_open_vote, NULL);
  ADD ("/console/refusal-toast", test_refusal_toast, "ffffffffffffffffffffffffffffffff");
  ADD ("/console/watch-only", test_watch_only, NULL);
  ADD ("/console/settings", test_settings, NULL);
  ADD ("/console/controls-named", test_controls_named, NULL);
  ADD ("/console/mismatch-alarm", test_mismatch_alarm, NULL);
  ADD ("/console/presentation-window", test_presentation_window, NULL);
  ADD ("/console/what-the-hall-sees", test_what_the_hall_sees, NULL);
  ADD ("/console/correct", test_correct_and_cancel, NULL);
  ADD ("/console/cancel", test_cancel, NULL);
  ADD ("/console/history-from-the-journal", test_history_from_the_journal, NULL);
  ADD ("/console/history-not-kept", test_history_not_kept, NULL);
  g_test_add_func ("/console/replay-desk", test_replay_desk);
#undef ADD

  return g_test_run ();
}
