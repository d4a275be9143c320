/* rc-console-transport.c — the replay desk's transport: play and pause, the speed
 * (one range for every tool: RC_REPLAY_MIN_SPEED to RC_REPLAY_MAX_SPEED), a timeline
 * with a mark at each vote's opening to seek on, steps to the previous or next event
 * and vote, and a jump to the selected vote's result; and the session browser.
 *
 * The transport drives the embedded feed's replay clock (rc-feed-replay.h): every
 * screen subscribed to that feed — the desk's program, its presentation windows, and
 * kiosks in a rehearsal — moves with it, a seek back included. */
#include "rc-board-a11y.h"
#include "rc-console-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

static const double speeds[] = { 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64 };

/* Enabled only on a replay: on a live desk their keys do nothing. */
static const char *const replay_actions[] = {
  "win.replay-play-pause", "win.replay-next-event",    "win.replay-previous-event",
  "win.replay-next-vote",  "win.replay-previous-vote", "win.replay-jump-to-result",
  "win.replay-faster",     "win.replay-slower",
};

/* µs as "H:MM:SS". */
static char *
format_position (gint64 us)
{
  gint64 s = us / G_USEC_PER_SEC;

  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int) (s / 60 % 60),
                          (int) (s % 60));
}

static void
update_transport (RcConsole *self)
{
  RcReplay *r = self->replay;
  g_autofree char *at = NULL;
  g_autofree char *end = NULL;
  g_autofree char *text = NULL;

  if (r == NULL)
    return;
  at = format_position (rc_replay_get_position (r));
  end = format_position (rc_replay_get_duration (r));
  /* Translators: the replay's position and length, "0:12:34 / 1:02:03" */
  text = g_strdup_printf (_ ("%s / %s"), at, end);
  gtk_label_set_text (self->position_label, text);
  self->updating_scale = TRUE;
  gtk_range_set_value (GTK_RANGE (self->timeline),
                       rc_replay_get_position (r) / (double) G_USEC_PER_SEC);
  self->updating_scale = FALSE;
  gtk_button_set_icon_name (self->play_button, rc_replay_is_playing (r)
                                                 ? "media-playback-pause-symbolic"
                                                 : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), rc_replay_is_playing (r)
                                                                 ? _ ("Pause (Ctrl+P)")
                                                                 : _ ("Play (Ctrl+P)"));
  rc_a11y_name_button (GTK_WIDGET (self->play_button),
                       rc_replay_is_playing (r) ? _ ("Pause") : _ ("Play"));
}

static gboolean
on_tick (gpointer data)
{
  update_transport (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_change_value (GtkRange *range, GtkScrollType scroll, double value, RcConsole *self)
{
  if (self->replay != NULL && !self->updating_scale)
    {
      rc_replay_seek (self->replay, (gint64) (value * G_USEC_PER_SEC));
      update_transport (self);
    }
  return FALSE;
}

void
rc_console_replay_seek (RcConsole *self, gint64 position)
{
  g_return_if_fail (self->replay != NULL);
  rc_replay_seek (self->replay, position);
  update_transport (self);
}

/* ---- steps ----------------------------------------------------------------------- */

/* The position of the last event applied, or -1 before any. */
static gint64
last_applied_position (RcReplay *r)
{
  guint n = rc_replay_get_n_applied (r);

  return n > 0 ? rc_replay_get_event_position (r, n - 1) : -1;
}

static void
step_event (RcConsole *self, int direction)
{
  RcReplay *r = self->replay;
  GPtrArray *events = rc_replay_get_events (r);
  guint n = rc_replay_get_n_applied (r);

  if (direction > 0)
    {
      if (n < events->len)
        rc_console_replay_seek (self, rc_replay_get_event_position (r, n));
      return;
    }
  /* Back: to the latest event before the last one applied (events at one instant go
   * together). */
  {
    gint64 last = last_applied_position (r);
    gint64 target = 0;

    for (guint i = n; i-- > 0;)
      if (rc_replay_get_event_position (r, i) < last)
        {
          target = rc_replay_get_event_position (r, i);
          break;
        }
    rc_console_replay_seek (self, target);
  }
}

static void
step_vote (RcConsole *self, int direction)
{
  RcReplay *r = self->replay;
  GPtrArray *events = rc_replay_get_events (r);
  gint64 here = last_applied_position (r);
  gint64 target = direction > 0 ? G_MAXINT64 : -1;

  for (guint i = 0; i < events->len; i++)
    {
      const RcEvent *e = g_ptr_array_index (events, i);
      gint64 at = rc_replay_get_event_position (r, i);

      if (e->type != RC_EVENT_VOTE_OPENED)
        continue;
      if (direction > 0 && at > here && at < target)
        target = at;
      else if (direction < 0 && at < here && at > target)
        target = at;
    }
  if (target == G_MAXINT64)
    return;
  rc_console_replay_seek (self, MAX (target, 0));
}

/* The selected vote's result: its announcement, else its lock, else its cancellation. */
static void
jump_to_result (RcConsole *self)
{
  RcReplay *r = self->replay;
  RcVote *vote = rc_console_get_selected_vote (self);
  GPtrArray *events = rc_replay_get_events (r);
  static const RcEventType order[]
    = { RC_EVENT_VOTE_ANNOUNCED, RC_EVENT_VOTE_LOCKED, RC_EVENT_VOTE_CANCELLED };

  if (vote == NULL)
    {
      rc_console_toast (self, _ ("Select a vote in the rundown to jump to its result"));
      return;
    }
  for (guint k = 0; k < G_N_ELEMENTS (order); k++)
    for (guint i = 0; i < events->len; i++)
      {
        const RcEvent *e = g_ptr_array_index (events, i);

        if (e->type == order[k] && g_strcmp0 (e->vote_id, rc_vote_get_id (vote)) == 0)
          {
            rc_console_replay_seek (self, rc_replay_get_event_position (r, i));
            return;
          }
      }
  rc_console_toast (self, _ ("This vote has no result in the record"));
}

static void
replay_action (GtkWidget *widget, const char *action, GVariant *param)
{
  RcConsole *self = RC_CONSOLE (widget);
  RcReplay *r = self->replay;

  if (r == NULL)
    return;
  if (g_str_equal (action, "win.replay-play-pause"))
    {
      if (rc_replay_is_playing (r))
        rc_replay_pause (r);
      else
        {
          /* at the end, play means again */
          if (rc_replay_get_position (r) >= rc_replay_get_duration (r))
            rc_replay_seek (r, 0);
          rc_replay_play (r);
        }
    }
  else if (g_str_equal (action, "win.replay-next-event"))
    step_event (self, +1);
  else if (g_str_equal (action, "win.replay-previous-event"))
    step_event (self, -1);
  else if (g_str_equal (action, "win.replay-next-vote"))
    step_vote (self, +1);
  else if (g_str_equal (action, "win.replay-previous-vote"))
    step_vote (self, -1);
  else if (g_str_equal (action, "win.replay-jump-to-result"))
    jump_to_result (self);
  else if (g_str_equal (action, "win.replay-faster") || g_str_equal (action, "win.replay-slower"))
    {
      guint i = gtk_drop_down_get_selected (self->speed);

      if (g_str_equal (action, "win.replay-faster") && i + 1 < G_N_ELEMENTS (speeds))
        gtk_drop_down_set_selected (self->speed, i + 1);
      else if (g_str_equal (action, "win.replay-slower") && i > 0)
        gtk_drop_down_set_selected (self->speed, i - 1);
    }
  update_transport (self);
}

static void
on_speed_selected (GtkDropDown *dropdown, GParamSpec *pspec, RcConsole *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (self->syncing_speed)
    return;
  if (self->replay != NULL && i < G_N_ELEMENTS (speeds))
    rc_replay_set_speed (self->replay, speeds[i]);
}

/* ---- building ----------------------------------------------------------------------- */

static GtkWidget *
icon_button (const char *icon, const char *action, const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_tooltip_text (button, tooltip);
  rc_a11y_name_button (button, tooltip);
  return button;
}

GtkWidget *
rc_console_transport_new (RcConsole *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      g_autofree char *name = g_strdup_printf ("%g×", speeds[i]);

      gtk_string_list_append (names, name);
    }
  self->speed = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL));
  gtk_drop_down_set_selected (self->speed, 2); /* 1× */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->speed),
                               _ ("Replay speed (Ctrl+plus, Ctrl+minus)"));
  rc_a11y_name_control (GTK_WIDGET (self->speed), _ ("Replay speed"));
  g_signal_connect (self->speed, "notify::selected", G_CALLBACK (on_speed_selected), self);

  self->play_button = GTK_BUTTON (
    icon_button ("media-playback-start-symbolic", "win.replay-play-pause", _ ("Play (Ctrl+P)")));
  self->timeline = GTK_SCALE (gtk_scale_new (GTK_ORIENTATION_HORIZONTAL, NULL));
  gtk_scale_set_draw_value (self->timeline, FALSE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->timeline), TRUE);
  rc_a11y_name_control (GTK_WIDGET (self->timeline), _ ("Timeline"));
  g_signal_connect (self->timeline, "change-value", G_CALLBACK (on_change_value), self);
  self->position_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->position_label), "numeric");

  gtk_box_append (GTK_BOX (bar),
                  icon_button ("media-skip-backward-symbolic", "win.replay-previous-vote",
                               _ ("Previous vote (Ctrl+Page Up)")));
  gtk_box_append (GTK_BOX (bar),
                  icon_button ("media-seek-backward-symbolic", "win.replay-previous-event",
                               _ ("Previous event (Ctrl+Left)")));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->play_button));
  gtk_box_append (GTK_BOX (bar),
                  icon_button ("media-seek-forward-symbolic", "win.replay-next-event",
                               _ ("Next event (Ctrl+Right)")));
  gtk_box_append (GTK_BOX (bar), icon_button ("media-skip-forward-symbolic", "win.replay-next-vote",
                                              _ ("Next vote (Ctrl+Page Down)")));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->timeline));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->position_label));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->speed));
  {
    GtkWidget *result = gtk_button_new_with_mnemonic (_ ("_Jump to result"));

    gtk_actionable_set_action_name (GTK_ACTIONABLE (result), "win.replay-jump-to-result");
    gtk_widget_set_tooltip_text (result, _ ("The selected vote's result (Ctrl+J)"));
    gtk_box_append (GTK_BOX (bar), result);
  }
  self->transport = bar;
  gtk_widget_set_visible (bar, FALSE);
  return bar;
}

/* A mark under the timeline at each vote's opening, named by its symbol. */
static void
mark_votes (RcConsole *self)
{
  RcReplay *r = self->replay;
  GPtrArray *events = rc_replay_get_events (r);
  g_autoptr (RcSession) names = rc_session_new ();

  gtk_scale_clear_marks (self->timeline);
  for (guint i = 0; i < events->len; i++)
    {
      const RcEvent *e = g_ptr_array_index (events, i);

      if (e->type == RC_EVENT_VOTE_SCHEDULED && e->vote != NULL)
        rc_session_apply (names, e, NULL);
      else if (e->type == RC_EVENT_SESSION)
        rc_session_apply (names, e, NULL);
      if (e->type == RC_EVENT_VOTE_OPENED)
        {
          RcVote *vote = rc_session_find_vote (names, e->vote_id);
          const RcVoteInfo *info = vote != NULL ? rc_vote_get_info (vote) : NULL;
          const char *label = info != NULL && info->symbol != NULL  ? info->symbol
                              : info != NULL && info->draft != NULL ? info->draft
                                                                    : e->vote_id;

          gtk_scale_add_mark (self->timeline,
                              rc_replay_get_event_position (r, i) / (double) G_USEC_PER_SEC,
                              GTK_POS_BOTTOM, label);
        }
    }
}

void
rc_console_set_replay (RcConsole *self, RcReplay *replay)
{
  g_return_if_fail (RC_IS_CONSOLE (self));

  g_clear_handle_id (&self->transport_tick, g_source_remove);
  g_set_object (&self->replay, replay);
  gtk_widget_set_visible (self->transport, replay != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (replay_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), replay_actions[i], replay != NULL);
  if (replay == NULL)
    return;
  gtk_range_set_range (GTK_RANGE (self->timeline), 0,
                       MAX (rc_replay_get_duration (replay), 1) / (double) G_USEC_PER_SEC);
  /* The list's step nearest the replay's speed (--speed 3 stays 3×: the list shows 2×
   * or 4×, and its next step is a choice). */
  {
    double speed = rc_replay_get_speed (replay);
    guint nearest = 0;

    for (guint i = 1; i < G_N_ELEMENTS (speeds); i++)
      if (fabs (speeds[i] - speed) < fabs (speeds[nearest] - speed))
        nearest = i;
    self->syncing_speed = TRUE;
    gtk_drop_down_set_selected (self->speed, nearest);
    self->syncing_speed = FALSE;
  }
  mark_votes (self);
  update_transport (self);
  self->transport_tick = g_timeout_add (200, on_tick, self);
}

RcReplay *
rc_console_get_replay (RcConsole *self)
{
  g_return_val_if_fail (RC_IS_CONSOLE (self), NULL);
  return self->replay;
}

void
rc_console_transport_class_init (GtkWidgetClass *widget_class)
{
  static const char *const actions[] = {
    "win.replay-play-pause", "win.replay-next-event",    "win.replay-previous-event",
    "win.replay-next-vote",  "win.replay-previous-vote", "win.replay-jump-to-result",
    "win.replay-faster",     "win.replay-slower",
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i], NULL, replay_action);
}

void
rc_console_transport_dispose (RcConsole *self)
{
  g_clear_handle_id (&self->transport_tick, g_source_remove);
  g_clear_object (&self->replay);
}

/* ---- the session browser ---------------------------------------------------------- */

static gboolean
session_row_matches (GtkListBoxRow *row, gpointer data)
{
  RcConsole *self = data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->session_search));
  const RcArchiveSessionRow *session = g_object_get_data (G_OBJECT (row), "rc-session");
  GPtrArray *votes
    = self->session_votes != NULL ? g_hash_table_lookup (self->session_votes, session->id) : NULL;

  /* the archive's own query: what rollcall-import --list --search finds */
  return query[0] == '\0' || rc_archive_query_matches_session (session, votes, query);
}

static void
on_search_changed (GtkSearchEntry *entry, RcConsole *self)
{
  gtk_list_box_invalidate_filter (self->session_list);
}

static void on_session_activated (GtkListBox *box, GtkListBoxRow *row, RcConsole *self);

/* Return in the search field opens the first session it leaves. */
static void
on_search_activate (GtkSearchEntry *entry, RcConsole *self)
{
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->session_list)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_BOX_ROW (c) && gtk_widget_get_child_visible (c))
      {
        on_session_activated (self->session_list, GTK_LIST_BOX_ROW (c), self);
        return;
      }
}

static void
on_session_activated (GtkListBox *box, GtkListBoxRow *row, RcConsole *self)
{
  /* (a copy: closing the browser destroys the row, and its data with it) */
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (row), "rc-session-id"));

  gtk_window_close (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (box))));
  g_signal_emit_by_name (self, "open-session", id);
}

static void
sessions_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcConsole *self = RC_CONSOLE (widget);
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  if (self->sessions == NULL)
    return;
  self->session_search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_widget_set_margin_start (GTK_WIDGET (self->session_search), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->session_search), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->session_search), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->session_search), 6);
  g_object_set (self->session_search, "placeholder-text",
                _ ("Search by date, symbol, meeting or words of a title"), NULL);
  rc_a11y_name_control (GTK_WIDGET (self->session_search),
                        _ ("Search by date, symbol, meeting or words of a title"));
  self->session_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_activate_on_single_click (self->session_list, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->session_list), "navigation-sidebar");
  for (guint i = 0; i < self->sessions->len; i++)
    {
      const RcArchiveSessionRow *s = g_ptr_array_index (self->sessions, i);
      g_autofree char *line = g_strdup_printf (
        g_dngettext (NULL, "%s · %s · %s · %u vote", "%s · %s · %s · %u votes", s->n_votes),
        s->date != NULL ? s->date : "", s->chamber_id != NULL ? s->chamber_id : "",
        s->meeting != NULL ? s->meeting : s->id, s->n_votes);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (line);
      GtkWidget *title = gtk_label_new (s->title != NULL ? s->title : "");
      GtkWidget *lines = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_add_css_class (title, "dim-label");
      gtk_box_append (GTK_BOX (lines), label);
      gtk_box_append (GTK_BOX (lines), title);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), lines);
      {
        g_autofree char *accessible = s->title != NULL && s->title[0] != '\0'
                                        ? g_strdup_printf ("%s, %s", line, s->title)
                                        : g_strdup (line);

        gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        accessible, -1);
      }
      g_object_set_data_full (G_OBJECT (row), "rc-session-id", g_strdup (s->id), g_free);
      g_object_set_data (G_OBJECT (row), "rc-session", (gpointer) s);
      gtk_list_box_append (self->session_list, row);
    }
  gtk_list_box_set_filter_func (self->session_list, session_row_matches, self, NULL);
  g_signal_connect (self->session_search, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect (self->session_search, "activate", G_CALLBACK (on_search_activate), self);
  g_signal_connect (self->session_list, "row-activated", G_CALLBACK (on_session_activated), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->session_list));
  gtk_widget_set_vexpand (scroller, TRUE);
  adw_header_bar_set_title_widget (
    ADW_HEADER_BAR (header),
    adw_window_title_new (_ ("Sessions"), rc_console_get_archive_name (self)));
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->session_search));
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), _ ("Sessions"));
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 520);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_grab_focus (GTK_WIDGET (self->session_search));
}

void
rc_console_set_sessions (RcConsole *self, const char *archive_name, GPtrArray *sessions,
                         GPtrArray *votes)
{
  g_return_if_fail (RC_IS_CONSOLE (self));

  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->session_votes, g_hash_table_unref);
  g_clear_pointer (&self->votes, g_ptr_array_unref);
  g_free (self->archive_name);
  self->archive_name = g_strdup (archive_name);
  if (sessions != NULL)
    self->sessions = g_ptr_array_ref (sessions);
  if (votes != NULL)
    {
      self->votes = g_ptr_array_ref (votes);
      self->session_votes
        = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
      for (guint i = 0; i < votes->len; i++)
        {
          RcArchiveVoteRow *v = g_ptr_array_index (votes, i);
          GPtrArray *of = g_hash_table_lookup (self->session_votes, v->session_id);

          if (of == NULL)
            {
              of = g_ptr_array_new ();
              g_hash_table_insert (self->session_votes, v->session_id, of);
            }
          g_ptr_array_add (of, v);
        }
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sessions", sessions != NULL);
}

const char *
rc_console_get_archive_name (RcConsole *self)
{
  return self->archive_name;
}

void
rc_console_sessions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.sessions", NULL, sessions_activated);
}
