/* rc-console.c — the operator's desk: the window, preview and program, take, blank,
 * holding, undo, the on-air history and the operator's alarms.
 *
 * Program is a board that follows what the feed's session has on air: the same
 * session, the same widget and the same rule as every kiosk (rc-window.c), so what
 * it shows is what the hall shows. Preview is a board on the same session showing
 * the selected item. A take is a POST to the feed; nothing on this side changes until
 * the feed's on-air event comes back. */
#include "rc-board-a11y.h"
#include "rc-console-private.h"

#include <glib/gi18n.h>

#include "rc-config.h"
#include "feed/rc-feed-history.h"
#include "codec/rc-message.h"
#include "render/rc-export.h"
#include "rc-window.h"

/* A take slower than this from the request to its event on the desk's own
 * subscription is an alarm: a hall's screens should switch within a few frames. */
#define RC_CONSOLE_SLOW_TAKE_US (1 * G_USEC_PER_SEC)
/* Longer than this is no measurement (the feed was away meanwhile). */
#define RC_CONSOLE_TAKE_WAIT_US (10 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (RcConsole, rc_console, ADW_TYPE_APPLICATION_WINDOW)

void
rc_console_item_free (RcConsoleItem *item)
{
  if (item == NULL)
    return;
  g_free (item->vote_id);
  g_free (item->text);
  g_free (item);
}

static void
item_set (RcConsoleItem *item, RcOnAir show, const char *vote_id, const char *text)
{
  item->show = show;
  g_free (item->vote_id);
  item->vote_id = show == RC_ON_AIR_VOTE ? g_strdup (vote_id) : NULL;
  g_free (item->text);
  item->text
    = show == RC_ON_AIR_HOLDING && text != NULL && text[0] != '\0' ? g_strdup (text) : NULL;
}

static gboolean
item_equal (const RcConsoleItem *a, const RcConsoleItem *b)
{
  return a->show == b->show && g_strcmp0 (a->vote_id, b->vote_id) == 0
         && g_strcmp0 (a->text, b->text) == 0;
}

/* The vote's name for the operator: its symbol, its draft's, or its id. */
static const char *
vote_name (RcSession *session, const char *vote_id)
{
  RcVote *vote
    = session != NULL && vote_id != NULL ? rc_session_find_vote (session, vote_id) : NULL;
  const RcVoteInfo *info = vote != NULL ? rc_vote_get_info (vote) : NULL;

  if (info != NULL && info->symbol != NULL && info->symbol[0] != '\0')
    return info->symbol;
  if (info != NULL && info->draft != NULL && info->draft[0] != '\0')
    return info->draft;
  return vote_id;
}

static char *
describe_item (RcConsole *self, const RcConsoleItem *item)
{
  switch (item->show)
    {
    case RC_ON_AIR_BLANK:
      return g_strdup (_ ("Blank"));
    case RC_ON_AIR_HOLDING:
      return item->text != NULL ? g_strdup_printf (_ ("Holding slide: “%s”"), item->text)
                                : g_strdup (_ ("Holding slide"));
    case RC_ON_AIR_VOTE:
    default:
      return g_strdup (vote_name (self->session, item->vote_id));
    }
}

void
rc_console_toast (RcConsole *self, const char *text)
{
  /* (libadwaita 1.2 reads a toast's title as Pango markup: a reason or a path with
   * '&' or '<' in it must come out as written) */
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

void
rc_console_show_message (RcConsole *self, const char *line)
{
  g_return_if_fail (RC_IS_CONSOLE (self));
  rc_console_toast (self, line);
}

/* ---- take ---------------------------------------------------------------------- */

typedef struct {
  RcConsole *self;
  guint serial; /* the take's number: the measurement waits for the last one */
} TakeRequest;

static void
on_take_done (GObject *source, GAsyncResult *result, gpointer data)
{
  TakeRequest *request = data;
  g_autoptr (RcConsole) self = request->self;
  g_autoptr (GError) error = NULL;
  guint serial = request->serial;

  g_free (request);
  if (!rc_feed_control_client_finish (RC_FEED_CONTROL_CLIENT (source), result, &error))
    {
      g_autofree char *line = NULL;

      /* refused: nothing to wait for, if it was the take waited for */
      if (serial == self->take_serial)
        g_clear_pointer (&self->take_waiting, rc_console_item_free);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: a take the feed refused, and its reason */
      line = g_strdup_printf (_ ("Not taken: %s"), error->message);
      g_printerr ("rollcall: %s\n", line);
      rc_console_toast (self, line);
    }
}

void
rc_console_take_item (RcConsole *self, const RcConsoleItem *item)
{
  if (self->control == NULL)
    {
      rc_console_toast (self, _ ("This desk has no token: it can watch, not take"));
      return;
    }
  {
    TakeRequest *request = g_new0 (TakeRequest, 1);

    /* The measurement waits for this take now. */
    rc_console_item_free (self->take_waiting);
    self->take_waiting = g_new0 (RcConsoleItem, 1);
    item_set (self->take_waiting, item->show, item->vote_id, item->text);
    self->take_sent_at = g_get_monotonic_time ();
    request->self = g_object_ref (self);
    request->serial = ++self->take_serial;
    rc_feed_control_client_take_async (self->control, item->show, item->vote_id, item->text,
                                       self->cancellable, on_take_done, request);
  }
}

static const char *
holding_line (RcConsole *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->holding_entry));
}

static void
take_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcConsole *self = RC_CONSOLE (widget);
  RcConsoleItem item = { 0 };

  rc_console_rundown_get_selected (self, &item);
  if (item.show == RC_ON_AIR_VOTE && item.vote_id == NULL)
    {
      rc_console_toast (self, _ ("Select what to take in the rundown"));
      return;
    }
  rc_console_take_item (self, &item);
  g_free (item.vote_id);
  g_free (item.text);
}

static void
blank_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcConsoleItem item = { .show = RC_ON_AIR_BLANK };

  rc_console_take_item (RC_CONSOLE (widget), &item);
}

static void
holding_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcConsole *self = RC_CONSOLE (widget);
  RcConsoleItem item = { .show = RC_ON_AIR_HOLDING, .text = (char *) holding_line (self) };

  if (item.text[0] == '\0')
    item.text = NULL;
  rc_console_take_item (self, &item);
}

/* What was on air before what is on air now. */
static const RcConsoleItem *
previous_on_air (RcConsole *self)
{
  return self->history->len >= 2 ? g_ptr_array_index (self->history, self->history->len - 2) : NULL;
}

static void
undo_take_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcConsole *self = RC_CONSOLE (widget);
  const RcConsoleItem *previous = previous_on_air (self);

  if (previous == NULL)
    {
      rc_console_toast (self, _ ("Nothing to undo: nothing else was on air before"));
      return;
    }
  rc_console_take_item (self, previous);
}

static void
edit_holding_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  gtk_widget_grab_focus (GTK_WIDGET (RC_CONSOLE (widget)->holding_entry));
}

static void
select_previous_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  rc_console_rundown_move (RC_CONSOLE (widget), -1);
}

static void
select_next_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  rc_console_rundown_move (RC_CONSOLE (widget), +1);
}

/* ---- follow the open vote --------------------------------------------------------- */

/* The vote opened last of those open (a chamber may allow several at once). */
static RcVote *
open_vote (RcSession *session)
{
  RcVote *latest = NULL;

  for (guint i = 0; session != NULL && i < rc_session_get_n_votes (session); i++)
    {
      RcVote *v = rc_session_get_vote (session, i);

      if (rc_vote_get_state (v) == RC_VOTE_OPEN
          && (latest == NULL || rc_vote_get_opened_at (v) >= rc_vote_get_opened_at (latest)))
        latest = v;
    }
  return latest;
}

/* With "follow the open vote" on, a vote that opens goes on air once (the operator
 * may then take something else while it stays open). */
static void
follow_open_vote (RcConsole *self)
{
  RcVote *vote = self->follow_open ? open_vote (self->session) : NULL;
  RcConsoleItem item = { .show = RC_ON_AIR_VOTE };

  if (vote == NULL || g_strcmp0 (self->followed_vote, rc_vote_get_id (vote)) == 0)
    return;
  g_free (self->followed_vote);
  self->followed_vote = g_strdup (rc_vote_get_id (vote));
  if (rc_session_get_on_air_vote (self->session) == vote)
    return;
  item.vote_id = (char *) rc_vote_get_id (vote);
  rc_console_take_item (self, &item);
}

static void
follow_open_changed (RcConsole *self)
{
  g_clear_pointer (&self->followed_vote, g_free);
  follow_open_vote (self);
}

/* ---- program, history and alarms --------------------------------------------------- */

static void
current_on_air (RcConsole *self, RcConsoleItem *item)
{
  RcVote *vote = rc_session_get_on_air_vote (self->session);

  item_set (item, rc_session_get_on_air (self->session),
            vote != NULL ? rc_vote_get_id (vote) : NULL,
            rc_session_get_on_air_text (self->session));
  item->time = rc_session_get_last_time (self->session);
}

static void
on_history_take (GtkButton *button, RcConsole *self)
{
  const RcConsoleItem *item = g_object_get_data (G_OBJECT (button), "rc-item");

  rc_console_take_item (self, item);
}

/* A row for item: at the top (the newest), or at the bottom (older than every row). */
static void
add_history_row (RcConsole *self, RcConsoleItem *item, gboolean oldest)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *when = gtk_label_new (NULL);
  g_autofree char *what = describe_item (self, item);
  GtkWidget *label = gtk_label_new (what);
  GtkWidget *again = gtk_button_new_with_label (_ ("Take again"));

  if (item->time != 0)
    {
      g_autoptr (GDateTime) t = g_date_time_new_from_unix_local (rc_time_second (item->time));
      g_autofree char *text = g_date_time_format (t, "%H:%M:%S");

      gtk_label_set_text (GTK_LABEL (when), text);
    }
  gtk_widget_add_css_class (when, "numeric");
  gtk_widget_add_css_class (when, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  g_object_set_data (G_OBJECT (again), "rc-item", item);
  g_signal_connect (again, "clicked", G_CALLBACK (on_history_take), self);
  gtk_widget_add_css_class (again, "flat");
  gtk_widget_set_tooltip_text (again, _ ("Put this on air again"));
  gtk_box_append (GTK_BOX (row), when);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), again);
  gtk_widget_set_margin_start (row, 6);
  gtk_widget_set_margin_end (row, 6);
  /* the newest first */
  if (oldest)
    gtk_list_box_append (self->history_list, row);
  else
    gtk_list_box_prepend (self->history_list, row);
}

static void
update_program_label (RcConsole *self)
{
  RcConsoleItem item = { 0 };
  g_autofree char *what = NULL;
  g_autofree char *text = NULL;

  if (!rc_session_has_on_air (self->session))
    {
      gtk_label_set_text (self->program_label, _ ("PROGRAM — nothing taken yet"));
      return;
    }
  current_on_air (self, &item);
  what = describe_item (self, &item);
  /* Translators: the label over what the hall shows now */
  text = g_strdup_printf (_ ("PROGRAM — on air: %s"), what);
  gtk_label_set_text (self->program_label, text);
  g_free (item.vote_id);
  g_free (item.text);
}

/* The feed's status, and how long the last take took to come back from it. */
static void
update_subtitle (RcConsole *self)
{
  g_autofree char *text = NULL;

  if (self->take_latency < 0)
    {
      adw_window_title_set_subtitle (self->title, rc_feed_client_get_status (self->client));
      return;
    }
  /* Translators: the desk's subtitle: the feed's status, the last take's round trip */
  text = g_strdup_printf (_ ("%s · last take %.0f ms"), rc_feed_client_get_status (self->client),
                          self->take_latency / 1000.0);
  adw_window_title_set_subtitle (self->title, text);
}

static void
record_on_air (RcConsole *self)
{
  RcConsoleItem *item;

  update_program_label (self);
  if (!rc_session_has_on_air (self->session))
    return;
  item = g_new0 (RcConsoleItem, 1);
  current_on_air (self, item);
  if (self->take_waiting != NULL && item_equal (item, self->take_waiting))
    {
      gint64 latency = g_get_monotonic_time () - self->take_sent_at;

      g_clear_pointer (&self->take_waiting, rc_console_item_free);
      /* A take that came back only after a reconnection measures the outage, which the
       * connection's alarm has told already: not a latency. */
      if (latency < RC_CONSOLE_TAKE_WAIT_US)
        {
          self->take_latency = latency;
          update_subtitle (self);
        }
    }
  if (self->history->len > 0
      && item_equal (item, g_ptr_array_index (self->history, self->history->len - 1)))
    {
      rc_console_item_free (item);
      return;
    }
  g_ptr_array_add (self->history, item);
  add_history_row (self, item, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-take",
                                 self->control != NULL && previous_on_air (self) != NULL);
}

/* What the operator must know and the hall must not see. */
static void
update_alarms (RcConsole *self)
{
  g_autoptr (GString) text = g_string_new (NULL);
  RcFeedClientState state = rc_feed_client_get_state (self->client);
  RcVote *vote = rc_session_get_on_air_vote (self->session);

  if (state != RC_FEED_CLIENT_LIVE)
    /* Translators: an alarm on the desk: the feed's status line */
    g_string_append_printf (text, _ ("Feed: %s"), rc_feed_client_get_status (self->client));
  else if (self->take_latency > RC_CONSOLE_SLOW_TAKE_US)
    /* Translators: an alarm on the desk: the last take's round trip, in seconds */
    g_string_append_printf (text, _ ("Feed: the last take took %.1f s to reach the screens"),
                            self->take_latency / (double) G_USEC_PER_SEC);
  for (guint i = 0; i < rc_session_get_n_votes (self->session); i++)
    {
      RcVote *v = rc_session_get_vote (self->session, i);
      const RcTally *official = rc_vote_get_official (v);
      const RcTally *ballots = rc_vote_get_tally (v);

      if (!rc_vote_get_info (v)->recorded || official == NULL || !rc_vote_has_mismatch (v))
        continue;
      if (text->len > 0)
        g_string_append (text, "\n");
      g_string_append_printf (
        text,
        /* Translators: an alarm on the desk: a vote, its official totals (yes, no,
         * abstain), the ballots' */
        _ ("%s%s: the official totals %u–%u–%u differ from the ballots %u–%u–%u"),
        v == vote ? _ ("On air: ") : "", vote_name (self->session, rc_vote_get_id (v)),
        official->yes, official->no, official->abstain, ballots->yes, ballots->no,
        ballots->abstain);
    }
  if (self->control == NULL)
    {
      if (text->len > 0)
        g_string_append (text, "\n");
      g_string_append (text, _ ("Watching only: no token was given (--token-file)"));
    }
  gtk_label_set_text (self->alarm_label, text->str);
  gtk_revealer_set_reveal_child (self->alarm, text->len > 0);
}

static void
update_program_follow (RcConsole *self)
{
  /* As a kiosk does: what is on air, or, while the stream has put nothing on air, the
   * vote being taken. */
  rc_board_widget_set_follow (self->program, rc_session_has_on_air (self->session)
                                               ? RC_BOARD_FOLLOW_ON_AIR
                                               : RC_BOARD_FOLLOW_CURRENT);
}

static void
on_on_air_changed (RcSession *session, RcConsole *self)
{
  update_program_follow (self);
  record_on_air (self);
  rc_console_rundown_refresh (self);
  update_alarms (self);
}

static void
on_vote_changed (RcSession *session, RcVote *vote, RcConsole *self)
{
  rc_console_rundown_refresh (self);
  rc_console_clerk_update (self);
  update_alarms (self);
  follow_open_vote (self);
}

static void
on_vote_added (RcSession *session, RcVote *vote, RcConsole *self)
{
  rc_console_rundown_rebuild (self);
}

/* Another sitting on the feed (the replay desk switched, a clerk's new session): what
 * the desk remembers of the last one would name votes this one does not have. */
static void
forget_sitting (RcConsole *self)
{
  GtkWidget *row;

  /* (a history still on its way is the last sitting's) */
  g_cancellable_cancel (self->history_cancellable);
  g_ptr_array_set_size (self->history, 0);
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, row);
  g_clear_pointer (&self->followed_vote, g_free);
  g_clear_pointer (&self->take_waiting, rc_console_item_free);
  self->chosen = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-take", FALSE);
}

static void
on_session_info_changed (RcSession *session, RcConsole *self)
{
  const RcSessionInfo *info = rc_session_get_info (session);

  if (info != NULL && g_strcmp0 (info->id, self->sitting) != 0)
    {
      if (self->sitting != NULL)
        forget_sitting (self);
      g_free (self->sitting);
      self->sitting = g_strdup (info->id);
    }

  {
    const char *name = info == NULL            ? _ ("Rollcall desk")
                       : info->meeting != NULL ? info->meeting
                       : info->title != NULL   ? info->title
                                               : info->date;
    /* an importer's timeline says so: the record gives how members voted, not when */
    g_autofree char *title = info != NULL && info->synthesized
                               ? g_strdup_printf (_ ("%s (synthesized timeline)"), name)
                               : g_strdup (name);

    adw_window_title_set_title (self->title, title);
  }
  rc_console_rundown_rebuild (self);
}

/* The hall clock on preview and program, as a kiosk's (rc-window.c): the time of the
 * feed's last event, running on from when it arrived while the feed is live. */
static gboolean
tick_clock (gpointer data)
{
  RcConsole *self = data;
  gint64 t = self->feed_time;

  if (t != 0 && rc_feed_client_get_state (self->client) == RC_FEED_CLIENT_LIVE)
    t += g_get_monotonic_time () - self->feed_time_at;
  rc_board_widget_set_clock_time (self->program, t);
  rc_board_widget_set_clock_time (self->preview, t);
  return G_SOURCE_CONTINUE;
}

static void
on_applied (RcSession *session, gpointer event, RcConsole *self)
{
  self->feed_time = ((const RcEvent *) event)->time;
  self->feed_time_at = g_get_monotonic_time ();
  tick_clock (self);
}

/* What went on air before the desk joined the sitting, from the feed's stream: older
 * than anything in the history. */
static void
on_history_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (RcConsole) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = rc_feed_history_fetch_finish (result, &error);
  g_autoptr (GPtrArray) items = g_ptr_array_new ();

  if (events == NULL)
    {
      /* (cancelled: the desk closed, or another sitting came, whose history is not
       * this one's) */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr (_ ("rollcall: the on-air history before this desk joined cannot be read: %s\n"),
                    error->message);
      return;
    }

  for (guint i = 0; i < events->len; i++)
    {
      const RcEvent *e = g_ptr_array_index (events, i);
      RcConsoleItem *item = g_new0 (RcConsoleItem, 1);

      item_set (item, e->on_air, e->vote_id, e->note);
      item->time = e->time;
      if (items->len > 0 && item_equal (item, g_ptr_array_index (items, items->len - 1)))
        rc_console_item_free (item);
      else
        g_ptr_array_add (items, item);
    }
  /* the last one is on air still when the desk joined: the history has it already */
  if (items->len > 0 && self->history->len > 0
      && item_equal (g_ptr_array_index (items, items->len - 1),
                     g_ptr_array_index (self->history, 0)))
    {
      RcConsoleItem *first = g_ptr_array_index (self->history, 0);

      first->time = ((RcConsoleItem *) g_ptr_array_index (items, items->len - 1))->time;
      rc_console_item_free (g_ptr_array_steal_index (items, items->len - 1));
      /* its row showed the time the desk joined: the time it went on air instead */
      gtk_list_box_remove (self->history_list,
                           gtk_widget_get_last_child (GTK_WIDGET (self->history_list)));
      add_history_row (self, first, TRUE);
    }
  for (guint i = items->len; i-- > 0;)
    {
      RcConsoleItem *item = g_ptr_array_index (items, i);

      g_ptr_array_insert (self->history, 0, item);
      add_history_row (self, item, TRUE);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-take",
                                 self->control != NULL && previous_on_air (self) != NULL);
}

/* Once per sitting, with the stream and the position the desk joined at. */
static void
fetch_history (RcConsole *self, RcSession *session)
{
  const RcSessionInfo *info = rc_session_get_info (session);
  const char *id = rc_feed_client_get_last_event_id (self->client);
  g_autofree char *stream = NULL;
  gint64 seq;

  if (self->control == NULL || info == NULL || id == NULL
      || g_strcmp0 (self->history_fetched, info->id) == 0 || !rc_event_id_parse (id, &stream, &seq)
      || seq <= 0)
    return;
  g_free (self->history_fetched);
  self->history_fetched = g_strdup (info->id);
  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  self->history_cancellable = g_cancellable_new ();
  rc_feed_control_client_fetch_history_async (self->control, stream, seq, self->history_cancellable,
                                              on_history_fetched, g_object_ref (self));
}

static void
on_feed_session (RcFeedClient *client, GParamSpec *pspec, RcConsole *self)
{
  RcSession *session = rc_feed_client_get_session (client);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  g_signal_connect_object (session, "on-air-changed", G_CALLBACK (on_on_air_changed), self, 0);
  g_signal_connect_object (session, "vote-changed", G_CALLBACK (on_vote_changed), self, 0);
  g_signal_connect_object (session, "vote-added", G_CALLBACK (on_vote_added), self, 0);
  g_signal_connect_object (session, "session-changed", G_CALLBACK (on_session_info_changed), self,
                           0);
  g_signal_connect_object (session, "applied", G_CALLBACK (on_applied), self, 0);
  self->feed_time = rc_session_get_last_time (session);
  self->feed_time_at = g_get_monotonic_time ();
  if (self->program != NULL)
    tick_clock (self);
  rc_board_widget_set_session (self->program, session);
  rc_board_widget_set_session (self->preview, session);
  on_session_info_changed (session, self);
  on_on_air_changed (session, self);
  rc_console_clerk_update (self);
  fetch_history (self, session);
}

static void
on_feed_state (RcFeedClient *client, GParamSpec *pspec, RcConsole *self)
{
  gboolean live = rc_feed_client_get_state (client) == RC_FEED_CLIENT_LIVE;

  rc_board_widget_set_stale (self->program, !live);
  rc_board_widget_set_stale (self->preview, !live);
  update_alarms (self);
}

static void
on_feed_status (RcFeedClient *client, GParamSpec *pspec, RcConsole *self)
{
  update_subtitle (self);
  update_alarms (self);
}

/* ---- preview ------------------------------------------------------------------------ */

static void
update_preview (RcConsole *self)
{
  RcConsoleItem item = { 0 };
  g_autofree char *what = NULL;
  g_autofree char *text = NULL;

  rc_console_rundown_get_selected (self, &item);
  switch (item.show)
    {
    case RC_ON_AIR_BLANK:
      gtk_stack_set_visible_child_name (self->preview_stack, "blank");
      break;
    case RC_ON_AIR_HOLDING:
      rc_board_widget_set_vote_id (self->preview, NULL);
      gtk_stack_set_visible_child_name (self->preview_stack, "board");
      break;
    case RC_ON_AIR_VOTE:
    default:
      if (item.vote_id != NULL)
        rc_board_widget_set_vote_id (self->preview, item.vote_id);
      gtk_stack_set_visible_child_name (self->preview_stack, "board");
      break;
    }
  if (item.show != RC_ON_AIR_VOTE || item.vote_id != NULL)
    what = describe_item (self, &item);
  /* Translators: the label over what a take would put on air */
  text = g_strdup_printf (_ ("PREVIEW — next: %s"), what != NULL ? what : _ ("nothing selected"));
  gtk_label_set_text (self->preview_label, text);
  g_free (item.vote_id);
  g_free (item.text);
  self->preview_item.show = item.show;
}

static void
on_rundown_selected (GtkListBox *box, GtkListBoxRow *row, RcConsole *self)
{
  if (self->rebuilding == 0)
    self->chosen = TRUE;
  update_preview (self);
  rc_console_clerk_update (self);
}

static void
on_holding_text_changed (GtkEditable *editable, RcConsole *self)
{
  if (self->preview_item.show == RC_ON_AIR_HOLDING)
    update_preview (self);
}

RcVote *
rc_console_get_selected_vote (RcConsole *self)
{
  RcConsoleItem item = { 0 };
  RcVote *vote = NULL;

  rc_console_rundown_get_selected (self, &item);
  if (item.show == RC_ON_AIR_VOTE && item.vote_id != NULL && self->session != NULL)
    vote = rc_session_find_vote (self->session, item.vote_id);
  g_free (item.vote_id);
  g_free (item.text);
  return vote;
}

/* ---- style from settings ---------------------------------------------------------- */

static void
on_palette_changed (RcConsole *self)
{
  g_autoptr (RcStyle) style = rc_style_copy (rc_board_widget_get_style (self->program));
  const char *name = rc_settings_get_palette (self->settings);
  g_autoptr (GError) error = NULL;

  if (name[0] == '\0')
    rc_style_set_palette (style, NULL);
  else if (!rc_style_load_palette (style, name, &error))
    {
      g_message ("palette setting ignored: %s", error->message);
      rc_style_set_palette (style, NULL);
    }
  /* Preview and program show what the hall would see and sees: no operator's marks
   * (the alarm bar has them). */
  style->hall = TRUE;
  rc_board_widget_set_style (self->program, style);
  rc_board_widget_set_style (self->preview, style);
}

static void
bind_board_settings (RcConsole *self, RcBoardWidget *board)
{
  g_object_bind_property (self->settings, "colour-blind-glyphs", board, "glyphs",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "current-names", board, "current-names",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "board-language", board, "board-language",
                          G_BINDING_SYNC_CREATE);
}

/* ---- building ------------------------------------------------------------------------ */

/* A board in a frame with its label over it: green for preview, red for program. The
 * label and the picture keep together at 16:9, whatever the window's shape. */
static GtkWidget *
framed (GtkWidget *child, GtkLabel **label, const char *css_class)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *frame = gtk_aspect_frame_new (0.5, 0.5, 16.0 / 9.0, FALSE);
  GtkWidget *title = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_add_css_class (title, "rc-monitor-label");
  gtk_widget_add_css_class (child, "rc-monitor");
  gtk_widget_set_vexpand (child, TRUE);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), child);
  gtk_widget_add_css_class (box, css_class);
  gtk_aspect_frame_set_child (GTK_ASPECT_FRAME (frame), box);
  gtk_widget_set_vexpand (frame, TRUE);
  gtk_widget_set_hexpand (frame, TRUE);
  *label = GTK_LABEL (title);
  return frame;
}

static GtkWidget *
button_for (const char *label, const char *action, const char *css_class, const char *tooltip)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (css_class != NULL)
    gtk_widget_add_css_class (button, css_class);
  gtk_widget_set_tooltip_text (button, tooltip);
  return button;
}

static GtkWidget *
build_monitors (RcConsole *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *blank = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *blank_label = gtk_label_new (_ ("Blank: the screens are dark"));

  self->preview = RC_BOARD_WIDGET (rc_board_widget_new ());
  self->program = RC_BOARD_WIDGET (rc_board_widget_new ());
  gtk_widget_set_focusable (GTK_WIDGET (self->preview), FALSE);
  gtk_widget_set_focusable (GTK_WIDGET (self->program), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->preview),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _ ("Preview"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->program),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _ ("Program: on air"), -1);

  gtk_widget_add_css_class (blank, "rc-blank");
  gtk_widget_set_valign (blank_label, GTK_ALIGN_CENTER);
  gtk_widget_set_vexpand (blank_label, TRUE);
  gtk_box_append (GTK_BOX (blank), blank_label);
  self->preview_stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->preview_stack, GTK_WIDGET (self->preview), "board");
  gtk_stack_add_named (self->preview_stack, blank, "blank");

  gtk_box_set_homogeneous (GTK_BOX (box), TRUE);
  gtk_box_append (GTK_BOX (box),
                  framed (GTK_WIDGET (self->preview_stack), &self->preview_label, "rc-preview"));
  gtk_box_append (GTK_BOX (box),
                  framed (GTK_WIDGET (self->program), &self->program_label, "rc-program"));
  return box;
}

/* Escape in the holding line's entry gives the keyboard back to the rundown. */
static gboolean
leave_holding_line (GtkWidget *widget, GVariant *args, gpointer data)
{
  RcConsole *self = data;
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->rundown);

  gtk_widget_grab_focus (row != NULL ? GTK_WIDGET (row) : GTK_WIDGET (self->rundown));
  return TRUE;
}

static GtkWidget *
build_take_bar (RcConsole *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *follow = gtk_check_button_new_with_mnemonic (_ ("_Follow the open vote"));

  self->holding_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (
    self->holding_entry, _ ("The holding slide's line, e.g. “The meeting resumes at 15:00”"));
  gtk_entry_set_max_length (self->holding_entry, 200);
  gtk_widget_set_hexpand (GTK_WIDGET (self->holding_entry), TRUE);
  rc_a11y_name_control (GTK_WIDGET (self->holding_entry), _ ("Holding slide line"));
  g_signal_connect (self->holding_entry, "changed", G_CALLBACK (on_holding_text_changed), self);
  {
    GtkEventController *escape = gtk_shortcut_controller_new ();

    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (escape),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                        gtk_callback_action_new (leave_holding_line, self, NULL)));
    gtk_widget_add_controller (GTK_WIDGET (self->holding_entry), escape);
  }
  gtk_actionable_set_action_name (GTK_ACTIONABLE (follow), "win.follow-open");
  gtk_widget_set_tooltip_text (follow, _ ("Put each vote on air as it opens"));

  gtk_box_append (GTK_BOX (bar), button_for (_ ("_Take"), "win.take", "suggested-action",
                                             _ ("Put the preview on air (Ctrl+Return)")));
  gtk_box_append (GTK_BOX (bar),
                  button_for (_ ("_Blank"), "win.blank", NULL, _ ("Darken every screen (Ctrl+B)")));
  gtk_box_append (GTK_BOX (bar), button_for (_ ("_Holding"), "win.holding", NULL,
                                             _ ("Put the holding slide on air with this line "
                                                "(Ctrl+H)")));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->holding_entry));
  gtk_box_append (GTK_BOX (bar), button_for (_ ("_Undo take"), "win.undo-take", NULL,
                                             _ ("Put back what was on air before (Ctrl+Z)")));
  gtk_box_append (GTK_BOX (bar), follow);
  return bar;
}

static GtkWidget *
build_clerk_bar (RcConsole *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (_ ("Clerk:"));

  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (bar), label);
  gtk_box_append (GTK_BOX (bar), button_for (_ ("What the hall _sees…"), "win.describe-vote", NULL,
                                             _ ("The lights live or at the lock; the result at "
                                                "the lock or once announced")));
  gtk_box_append (GTK_BOX (bar),
                  button_for (_ ("_Open"), "win.open-vote", NULL, _ ("Open the selected vote")));
  gtk_box_append (GTK_BOX (bar), button_for (_ ("_Lock"), "win.lock-vote", NULL,
                                             _ ("Close the voting of the selected vote")));
  gtk_box_append (GTK_BOX (bar), button_for (_ ("_Announce"), "win.announce-vote", NULL,
                                             _ ("Announce the selected vote's result")));
  gtk_box_append (GTK_BOX (bar), button_for (_ ("Co_rrect…"), "win.correct-vote", NULL,
                                             _ ("Correct a member's recorded choice")));
  gtk_box_append (GTK_BOX (bar), button_for (_ ("_Cancel vote…"), "win.cancel-vote",
                                             "destructive-action", _ ("Cancel the selected vote")));
  self->clerk_box = bar;
  gtk_widget_set_visible (bar, self->clerk);
  return bar;
}

static GtkWidget *
build_header (RcConsole *self)
{
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr (GMenu) menu = g_menu_new ();

  self->title = ADW_WINDOW_TITLE (adw_window_title_new (_ ("Rollcall desk"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  g_menu_append (menu, _ ("_Sessions…"), "win.sessions");
  g_menu_append (menu, _ ("_Export the Vote…"), "win.export");
  g_menu_append (menu, _ ("_Preferences"), "win.preferences");
  g_menu_append (menu, _ ("_Keyboard Shortcuts"), "win.show-help-overlay");
  g_menu_append (menu, _ ("_About Rollcall"), "app.about");
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "open-menu-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_primary (GTK_MENU_BUTTON (menu_button), TRUE);
  gtk_widget_set_tooltip_text (menu_button, _ ("Main menu (F10)"));
  rc_a11y_name_button (menu_button, _ ("Main menu"));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), menu_button);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), rc_console_screens_button (self));
  return header;
}

static GtkWidget *
build_history (RcConsole *self)
{
  GtkWidget *expander = gtk_expander_new_with_mnemonic (_ ("On-air _history"));
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_widget_set_tooltip_text (expander, _ ("What was put on air, and when"));

  self->history_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->history_list, GTK_SELECTION_NONE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->history_list));
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 120);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_expander_set_child (GTK_EXPANDER (expander), scroller);
  return expander;
}

static void
build (RcConsole *self)
{
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *rundown_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *rundown_title = gtk_label_new (_ ("Rundown"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *alarm_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  gtk_box_append (GTK_BOX (outer), build_header (self));

  self->alarm_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->alarm_label, TRUE);
  gtk_label_set_xalign (self->alarm_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->alarm_label), TRUE);
  gtk_box_append (GTK_BOX (alarm_box), GTK_WIDGET (self->alarm_label));
  gtk_widget_add_css_class (alarm_box, "rc-alarm");
  self->alarm = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_child (self->alarm, alarm_box);
  gtk_box_append (GTK_BOX (outer), GTK_WIDGET (self->alarm));

  gtk_widget_add_css_class (rundown_title, "heading");
  gtk_label_set_xalign (GTK_LABEL (rundown_title), 0);
  self->rundown = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->rundown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Rundown"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->rundown));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (rundown_box), rundown_title);
  gtk_box_append (GTK_BOX (rundown_box), scroller);
  gtk_widget_add_css_class (rundown_box, "rc-rundown");
  gtk_widget_set_margin_top (rundown_box, 12);
  gtk_widget_set_margin_start (rundown_box, 6);
  gtk_widget_set_margin_end (rundown_box, 6);
  gtk_widget_set_margin_start (rundown_title, 6);
  gtk_widget_set_size_request (rundown_box, 320, -1);

  gtk_box_append (GTK_BOX (right), build_monitors (self));
  gtk_box_append (GTK_BOX (right), rc_console_transport_new (self));
  gtk_box_append (GTK_BOX (right), build_take_bar (self));
  gtk_box_append (GTK_BOX (right), build_clerk_bar (self));
  gtk_box_append (GTK_BOX (right), build_history (self));
  gtk_widget_add_css_class (right, "rc-desk");

  gtk_paned_set_start_child (GTK_PANED (paned), rundown_box);
  gtk_paned_set_end_child (GTK_PANED (paned), right);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_resize_start_child (GTK_PANED (paned), FALSE);
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_box_append (GTK_BOX (outer), paned);

  adw_toast_overlay_set_child (self->toasts, outer);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), GTK_WIDGET (self->toasts));
  /* Every button made with a mnemonic, read once by a screen reader ("_Take Take"). */
  rc_a11y_name_mnemonics (GTK_WIDGET (self));

  g_signal_connect (self->rundown, "row-selected", G_CALLBACK (on_rundown_selected), self);
  rc_console_rundown_init (self);
}

/* ---- export ---------------------------------------------------------------------------- */

gboolean
rc_console_export (RcConsole *self, const char *path, GError **error)
{
  RcVote *vote = rc_console_get_selected_vote (self);
  RcExportFormat format;

  if (!rc_export_format_from_path (path, &format, error))
    return FALSE;
  /* The board as program would show the selected vote, at a hall screen's size; or
   * the vote's record (.csv, .txt). */
  return rc_export_to_file (path, 1920, 1080, rc_board_widget_get_style (self->preview),
                            self->session, vote, 0, error);
}

static void
on_export_response (GtkNativeDialog *dialog, int response, RcConsole *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *line = NULL;

      if (path != NULL && rc_console_export (self, path, &error))
        /* Translators: a file the desk wrote */
        line = g_strdup_printf (_ ("Exported to %s"), path);
      else
        /* Translators: an export that failed, and why */
        line = g_strdup_printf (_ ("Not exported: %s"),
                                error != NULL ? error->message : _ ("not a local file"));
      if (error != NULL)
        g_printerr ("rollcall: %s\n", line);
      rc_console_toast (self, line);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcConsole *self = RC_CONSOLE (widget);
  GtkFileChooserNative *dialog;
  RcVote *vote = rc_console_get_selected_vote (self);
  g_autofree char *name = NULL;

  if (vote == NULL)
    {
      rc_console_toast (self, _ ("Select a vote in the rundown to export it"));
      return;
    }
  dialog = gtk_file_chooser_native_new (_ ("Export the vote"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Export"), NULL);
  name = g_strdup_printf ("%s.csv", rc_vote_get_id (vote));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  /* (the desk may be closed while the dialog is up) */
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- keys ----------------------------------------------------------------------------- */

/* The desk's keys, on the window. Those a widget of the desk uses for itself go in the
 * bubble phase, after the widget with the keyboard: in the holding line's entry Ctrl+Z
 * undoes the typing and Ctrl+Left moves by a word, Up and Down move in a popover's
 * list. The chords no widget uses for itself go in the capture phase, before the
 * widgets: the rundown's list takes Ctrl+Page Up/Down for its own (a page of its
 * rows), and the take keys must not depend on where the keyboard is. (GTK handles the
 * application's accelerators before every widget: none of these are.) */
static const struct {
  const char *action;
  const char *keys; /* GtkShortcutTrigger's syntax, alternatives after '|' */
  gboolean first;   /* before the widgets (capture), or after them (bubble) */
} desk_keys[] = {
  { "win.take", "<Control>Return|<Control>KP_Enter", TRUE },
  { "win.blank", "<Control>b", TRUE },
  { "win.holding", "<Control>h", TRUE },
  { "win.undo-take", "<Control>z", FALSE },
  { "win.edit-holding", "<Control>l", TRUE },
  { "win.select-previous", "Up", FALSE },
  { "win.select-next", "Down", FALSE },
  { "win.replay-play-pause", "<Control>p", TRUE },
  { "win.replay-previous-event", "<Control>Left", FALSE },
  { "win.replay-next-event", "<Control>Right", FALSE },
  { "win.replay-previous-vote", "<Control>Page_Up", TRUE },
  { "win.replay-next-vote", "<Control>Page_Down", TRUE },
  { "win.replay-jump-to-result", "<Control>j", TRUE },
  { "win.replay-faster", "<Control>plus|<Control>equal|<Control>KP_Add", TRUE },
  { "win.replay-slower", "<Control>minus|<Control>KP_Subtract", TRUE },
  { "win.sessions", "<Control>o", TRUE },
  { "win.export", "<Control>e", TRUE },
};

char **
rc_console_get_keys (const char *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (desk_keys); i++)
    if (g_str_equal (desk_keys[i].action, action))
      return g_strsplit (desk_keys[i].keys, "|", -1);
  return NULL;
}

static void
add_keys (RcConsole *self)
{
  GtkEventController *first = gtk_shortcut_controller_new ();
  GtkEventController *after = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (first, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_propagation_phase (after, GTK_PHASE_BUBBLE);
  for (guint i = 0; i < G_N_ELEMENTS (desk_keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (desk_keys[i].first ? first : after),
      gtk_shortcut_new (gtk_shortcut_trigger_parse_string (desk_keys[i].keys),
                        gtk_named_action_new (desk_keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), first);
  gtk_widget_add_controller (GTK_WIDGET (self), after);
}

/* The shortcuts window's lines get the desk's keys (or the application's, for its
 * own actions), since the window is built on demand and GTK looks keys up for none. */
static void
show_desk_keys (GtkWidget *widget, GtkApplication *app)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *action = NULL;
      g_auto (GStrv) keys = NULL;

      g_object_get (widget, "action-name", &action, NULL);
      keys = action != NULL ? rc_console_get_keys (action) : NULL;
      if (keys != NULL)
        {
          g_autofree char *accelerator = g_strjoinv (" ", keys);

          g_object_set (widget, "action-name", NULL, "accelerator", accelerator, NULL);
        }
      else
        rc_shortcuts_window_show_keys (widget, app);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    show_desk_keys (c, app);
}

/* ---- shortcuts window, preferences ------------------------------------------------- */

static void
show_help_overlay_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcConsole *self = RC_CONSOLE (widget);

  if (self->help_overlay == NULL)
    {
      g_autoptr (GtkBuilder) builder
        = gtk_builder_new_from_resource ("/io/github/rollcall/Rollcall/console-shortcuts.ui");

      self->help_overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      show_desk_keys (GTK_WIDGET (self->help_overlay),
                      gtk_window_get_application (GTK_WINDOW (self)));
      gtk_window_set_transient_for (self->help_overlay, GTK_WINDOW (self));
      gtk_window_set_destroy_with_parent (self->help_overlay, TRUE);
      gtk_window_set_hide_on_close (self->help_overlay, TRUE);
      g_object_add_weak_pointer (G_OBJECT (self->help_overlay), (gpointer *) &self->help_overlay);
    }
  gtk_window_present (self->help_overlay);
}

static void
preferences_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  rc_console_show_preferences (RC_CONSOLE (widget));
}

/* ---- the object --------------------------------------------------------------------- */

enum { PROP_0, PROP_SETTINGS, PROP_CLIENT, PROP_CONTROL, PROP_CLERK, PROP_FOLLOW_OPEN, N_PROPS };
static GParamSpec *props[N_PROPS];

static void
rc_console_constructed (GObject *object)
{
  RcConsole *self = RC_CONSOLE (object);

  G_OBJECT_CLASS (rc_console_parent_class)->constructed (object);
  if (self->settings == NULL)
    self->settings = rc_settings_new ();
  rc_console_screens_init (self);
  add_keys (self);
  build (self);
  rc_console_set_replay (self, NULL);
  bind_board_settings (self, self->preview);
  bind_board_settings (self, self->program);
  g_signal_connect_object (self->settings, "notify::palette", G_CALLBACK (on_palette_changed), self,
                           G_CONNECT_SWAPPED);
  on_palette_changed (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.take", self->control != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.blank", self->control != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.holding", self->control != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-take", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.follow-open", self->control != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sessions", FALSE);

  g_signal_connect_object (self->client, "notify::session", G_CALLBACK (on_feed_session), self, 0);
  g_signal_connect_object (self->client, "notify::state", G_CALLBACK (on_feed_state), self, 0);
  g_signal_connect_object (self->client, "notify::status", G_CALLBACK (on_feed_status), self, 0);
  on_feed_session (self->client, NULL, self);
  on_feed_state (self->client, NULL, self);
  on_feed_status (self->client, NULL, self);
  self->clock_id = g_timeout_add (250, tick_clock, self);
  tick_clock (self);
  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 720);
  gtk_window_set_title (GTK_WINDOW (self), _ ("Rollcall desk"));
  gtk_window_set_icon_name (GTK_WINDOW (self), APP_ID);
  {
    GtkListBoxRow *row = gtk_list_box_get_selected_row (self->rundown);

    gtk_widget_grab_focus (row != NULL ? GTK_WIDGET (row) : GTK_WIDGET (self->rundown));
  }
}

/* A closed desk takes its presentation windows with it at once, and cancels what it
 * asked of the feed: an answer still on its way must not keep the hall's screens up. */
static void
rc_console_unrealize (GtkWidget *widget)
{
  RcConsole *self = RC_CONSOLE (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->history_cancellable);
  rc_console_screens_dispose (self);
  GTK_WIDGET_CLASS (rc_console_parent_class)->unrealize (widget);
}

static void
rc_console_dispose (GObject *object)
{
  RcConsole *self = RC_CONSOLE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  rc_console_screens_dispose (self);
  rc_console_transport_dispose (self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  if (self->help_overlay != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->help_overlay),
                                    (gpointer *) &self->help_overlay);
      gtk_window_destroy (g_steal_pointer (&self->help_overlay));
    }
  g_clear_object (&self->client);
  g_clear_object (&self->control);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (rc_console_parent_class)->dispose (object);
}

static void
rc_console_finalize (GObject *object)
{
  RcConsole *self = RC_CONSOLE (object);

  g_ptr_array_unref (self->history);
  g_free (self->preview_item.vote_id);
  g_free (self->preview_item.text);
  g_free (self->followed_vote);
  g_free (self->sitting);
  g_free (self->history_fetched);
  rc_console_item_free (self->take_waiting);
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->session_votes, g_hash_table_unref);
  g_clear_pointer (&self->votes, g_ptr_array_unref);
  g_free (self->archive_name);
  G_OBJECT_CLASS (rc_console_parent_class)->finalize (object);
}

static void
rc_console_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RcConsole *self = RC_CONSOLE (object);

  switch (prop_id)
    {
    case PROP_FOLLOW_OPEN:
      g_value_set_boolean (value, self->follow_open);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_CONTROL:
      g_value_set_object (value, self->control);
      break;
    case PROP_CLERK:
      g_value_set_boolean (value, self->clerk);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_console_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RcConsole *self = RC_CONSOLE (object);

  switch (prop_id)
    {
    case PROP_FOLLOW_OPEN:
      if (self->follow_open != g_value_get_boolean (value))
        {
          self->follow_open = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
          if (self->session != NULL)
            follow_open_changed (self);
        }
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_CONTROL:
      self->control = g_value_dup_object (value);
      break;
    case PROP_CLERK:
      self->clerk = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_console_class_init (RcConsoleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = rc_console_constructed;
  object_class->dispose = rc_console_dispose;
  object_class->finalize = rc_console_finalize;
  object_class->get_property = rc_console_get_property;
  object_class->set_property = rc_console_set_property;
  widget_class->unrealize = rc_console_unrealize;

  props[PROP_SETTINGS] = g_param_spec_object ("settings", NULL, NULL, RC_TYPE_SETTINGS, construct);
  props[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, RC_TYPE_FEED_CLIENT, construct);
  props[PROP_CONTROL]
    = g_param_spec_object ("control", NULL, NULL, RC_TYPE_FEED_CONTROL_CLIENT, construct);
  props[PROP_CLERK] = g_param_spec_boolean ("clerk", NULL, NULL, FALSE, construct);
  props[PROP_FOLLOW_OPEN]
    = g_param_spec_boolean ("follow-open", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_install_action (widget_class, "win.take", NULL, take_activated);
  gtk_widget_class_install_action (widget_class, "win.blank", NULL, blank_activated);
  gtk_widget_class_install_action (widget_class, "win.holding", NULL, holding_activated);
  gtk_widget_class_install_action (widget_class, "win.undo-take", NULL, undo_take_activated);
  gtk_widget_class_install_action (widget_class, "win.edit-holding", NULL, edit_holding_activated);
  gtk_widget_class_install_action (widget_class, "win.select-previous", NULL,
                                   select_previous_activated);
  gtk_widget_class_install_action (widget_class, "win.select-next", NULL, select_next_activated);
  gtk_widget_class_install_property_action (widget_class, "win.follow-open", "follow-open");
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   show_help_overlay_activated);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_activated);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_activated);
  rc_console_clerk_class_init (widget_class);
  rc_console_transport_class_init (widget_class);
  rc_console_sessions_class_init (widget_class);
  g_signal_new ("open-session", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
rc_console_init (RcConsole *self)
{
  self->cancellable = g_cancellable_new ();
  self->take_latency = -1;
  self->history = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_console_item_free);
  gtk_widget_add_css_class (GTK_WIDGET (self), "rc-console");
}

RcConsole *
rc_console_new (GtkApplication *application, RcSettings *settings, RcFeedClient *client,
                RcFeedControlClient *control, gboolean clerk)
{
  g_return_val_if_fail (RC_IS_FEED_CLIENT (client), NULL);
  g_return_val_if_fail (control == NULL || RC_IS_FEED_CONTROL_CLIENT (control), NULL);

  return g_object_new (RC_TYPE_CONSOLE, "application", application, "settings", settings, "client",
                       client, "control", control, "clerk", clerk, NULL);
}

RcBoardWidget *
rc_console_get_preview (RcConsole *self)
{
  g_return_val_if_fail (RC_IS_CONSOLE (self), NULL);
  return self->preview;
}

RcBoardWidget *
rc_console_get_program (RcConsole *self)
{
  g_return_val_if_fail (RC_IS_CONSOLE (self), NULL);
  return self->program;
}
