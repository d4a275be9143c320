/* rc-console-clerk.c — the clerk's actions on the selected vote (open, lock,
 * announce, correct, cancel), each asked once since none can be undone, and the
 * preferences window.
 *
 * The console does not decide what the vote's state allows beyond enabling the
 * buttons: the feed decides, and its refusal (409, 422…) comes back as a toast with
 * the server's reason. */
#include "rc-console-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "model/rc-language.h"
#include "rc-board-a11y.h"

typedef struct {
  RcConsole *console;
  char *vote_id;
  char *action; /* open, lock, announce, cancel, correct, describe */
  GtkDropDown *member;
  GtkDropDown *choice;
  GtkEntry *note;
  GtkDropDown *reveal;
  GtkDropDown *result_shown;
} ClerkRequest;

static void
clerk_request_free (ClerkRequest *request)
{
  g_object_unref (request->console);
  g_free (request->vote_id);
  g_free (request->action);
  g_free (request);
}

static void
on_clerk_done (GObject *source, GAsyncResult *result, gpointer data)
{
  ClerkRequest *request = data;
  g_autoptr (GError) error = NULL;

  if (!rc_feed_control_client_finish (RC_FEED_CONTROL_CLIENT (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: a clerk's action the feed refused ("lock"), and the reason */
      g_autofree char *line
        = g_strdup_printf (_ ("Refused (%s): %s"), request->action, error->message);

      g_printerr ("rollcall: %s\n", line);
      rc_console_toast (request->console, line);
    }
  clerk_request_free (request);
}

static const RcChoice correct_choices[]
  = { RC_CHOICE_YES, RC_CHOICE_NO, RC_CHOICE_ABSTAIN, RC_CHOICE_NOT_VOTING };

static void
send_request (ClerkRequest *request)
{
  RcConsole *self = request->console;
  const char *note
    = request->note != NULL ? gtk_editable_get_text (GTK_EDITABLE (request->note)) : NULL;

  if (g_str_equal (request->action, "describe"))
    {
      RcVote *vote = rc_session_find_vote (self->session, request->vote_id);
      g_autoptr (RcVoteInfo) info
        = vote != NULL ? rc_vote_info_copy (rc_vote_get_info (vote)) : NULL;

      if (info == NULL)
        {
          rc_console_toast (self, _ ("That vote is no longer in the session"));
          clerk_request_free (request);
          return;
        }
      info->reveal
        = gtk_drop_down_get_selected (request->reveal) == 1 ? RC_REVEAL_AFTER_LOCK : RC_REVEAL_LIVE;
      info->result_shown = gtk_drop_down_get_selected (request->result_shown) == 1
                             ? RC_RESULT_AT_LOCK
                             : RC_RESULT_WHEN_ANNOUNCED;
      rc_feed_control_client_describe_async (self->control, info, self->cancellable, on_clerk_done,
                                             request);
      return;
    }
  if (g_str_equal (request->action, "correct"))
    {
      RcRoster *roster = rc_session_get_roster (self->session);
      guint member = gtk_drop_down_get_selected (request->member);
      guint choice = gtk_drop_down_get_selected (request->choice);

      if (roster == NULL || member >= rc_roster_get_size (roster)
          || choice >= G_N_ELEMENTS (correct_choices))
        {
          rc_console_toast (self, _ ("Not corrected: choose a member and a choice"));
          clerk_request_free (request);
          return;
        }
      rc_feed_control_client_correct_async (
        self->control, request->vote_id, rc_roster_get_member (roster, member)->code,
        correct_choices[choice], note, self->cancellable, on_clerk_done, request);
      return;
    }
  rc_feed_control_client_vote_action_async (self->control, request->vote_id, request->action, note,
                                            self->cancellable, on_clerk_done, request);
}

static void
on_response (AdwMessageDialog *dialog, const char *response, ClerkRequest *request)
{
  /* Once: the request is spent (the dialog closes after its response). */
  g_signal_handlers_disconnect_by_func (dialog, on_response, request);
  if (g_strcmp0 (response, "do") == 0)
    send_request (request);
  else
    clerk_request_free (request);
}

static GtkWidget *
correct_fields (RcConsole *self, ClerkRequest *request)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  RcRoster *roster = rc_session_get_roster (self->session);
  g_autoptr (GtkStringList) members = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) choices = gtk_string_list_new (NULL);
  g_autoptr (GtkExpression) expression
    = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

  for (guint i = 0; roster != NULL && i < rc_roster_get_size (roster); i++)
    {
      const RcMember *m = rc_roster_get_member (roster, i);
      g_autofree char *line = g_strdup_printf ("%s (%s)", m->name, m->code);

      gtk_string_list_append (members, line);
    }
  gtk_string_list_append (choices, _ ("Yes"));
  gtk_string_list_append (choices, _ ("No"));
  gtk_string_list_append (choices, _ ("Abstain"));
  gtk_string_list_append (choices, C_ ("a member's choice", "Did not vote"));
  request->member = GTK_DROP_DOWN (
    gtk_drop_down_new (G_LIST_MODEL (g_object_ref (members)), gtk_expression_ref (expression)));
  gtk_drop_down_set_enable_search (request->member, TRUE);
  request->choice = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (choices)), NULL));
  rc_a11y_name_control (GTK_WIDGET (request->member), _ ("Member"));
  rc_a11y_name_control (GTK_WIDGET (request->choice), _ ("Recorded choice"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (request->member));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (request->choice));
  return box;
}

static GtkWidget *
labelled (const char *text, GtkWidget *widget)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  rc_a11y_name_control (widget, text);
  return box;
}

/* What the hall sees at each stage of this vote. */
static GtkWidget *
describe_fields (RcConsole *self, ClerkRequest *request)
{
  RcVote *vote = rc_session_find_vote (self->session, request->vote_id);
  const RcVoteInfo *info = rc_vote_get_info (vote);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  const char *reveal[] = { _ ("Each light as the vote is cast"),
                           _ ("Only “has voted” until the lock, then every light"), NULL };
  const char *result[]
    = { _ ("Once the President announces it"), _ ("As soon as the voting is locked"), NULL };

  request->reveal = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (reveal));
  request->result_shown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (result));
  gtk_drop_down_set_selected (request->reveal, info->reveal == RC_REVEAL_AFTER_LOCK ? 1 : 0);
  gtk_drop_down_set_selected (request->result_shown,
                              info->result_shown == RC_RESULT_AT_LOCK ? 1 : 0);
  gtk_box_append (GTK_BOX (box), labelled (_ ("The lights"), GTK_WIDGET (request->reveal)));
  gtk_box_append (GTK_BOX (box), labelled (_ ("The result (the totals and the verdict)"),
                                           GTK_WIDGET (request->result_shown)));
  return box;
}

/* Asks once, then sends. */
static void
ask (RcConsole *self, const char *action, const char *heading, const char *body, const char *verb,
     gboolean destructive, gboolean with_note)
{
  RcVote *vote = rc_console_get_selected_vote (self);
  ClerkRequest *request;
  GtkWidget *dialog;
  GtkWidget *extra = NULL;

  if (vote == NULL || self->control == NULL)
    {
      rc_console_toast (self, self->control == NULL
                                ? _ ("This desk has no token: it can watch, not act")
                                : _ ("Select a vote in the rundown first"));
      return;
    }
  request = g_new0 (ClerkRequest, 1);
  request->console = g_object_ref (self);
  request->vote_id = g_strdup (rc_vote_get_id (vote));
  request->action = g_strdup (action);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  if (g_str_equal (action, "correct"))
    extra = correct_fields (self, request);
  else if (g_str_equal (action, "describe"))
    extra = describe_fields (self, request);
  if (with_note)
    {
      request->note = GTK_ENTRY (gtk_entry_new ());
      gtk_entry_set_placeholder_text (request->note, _ ("A note for the record"));
      rc_a11y_name_control (GTK_WIDGET (request->note), _ ("A note for the record"));
      gtk_entry_set_max_length (request->note, 1000);
      gtk_entry_set_activates_default (request->note, TRUE);
      if (extra == NULL)
        extra = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_box_append (GTK_BOX (extra), GTK_WIDGET (request->note));
    }
  if (extra != NULL)
    adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), extra);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "keep", _ ("_Back"), "do", verb,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "do",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                          : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "do");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  rc_a11y_name_mnemonics (dialog); /* its responses: "_Back" would be read "_Back Back" */
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), request);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const char *
selected_name (RcConsole *self)
{
  RcVote *vote = rc_console_get_selected_vote (self);
  const RcVoteInfo *info = vote != NULL ? rc_vote_get_info (vote) : NULL;

  if (info == NULL)
    return "";
  return info->symbol != NULL && info->symbol[0] != '\0' ? info->symbol
         : info->draft != NULL && info->draft[0] != '\0' ? info->draft
                                                         : info->id;
}

static void
open_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcConsole *self = RC_CONSOLE (widget);
  g_autofree char *heading = g_strdup_printf (_ ("Open the voting on %s?"), selected_name (self));

  ask (self, "open", heading,
       _ ("Members can vote from now until the lock. This cannot be undone."), _ ("_Open"), FALSE,
       FALSE);
}

static void
lock_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcConsole *self = RC_CONSOLE (widget);
  g_autofree char *heading = g_strdup_printf (_ ("Lock the voting on %s?"), selected_name (self));

  ask (self, "lock", heading,
       _ ("No vote can be cast or changed after the lock. This cannot be undone."), _ ("_Lock"),
       FALSE, FALSE);
}

static void
announce_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcConsole *self = RC_CONSOLE (widget);
  g_autofree char *heading
    = g_strdup_printf (_ ("Announce the result of %s?"), selected_name (self));

  ask (self, "announce", heading,
       _ ("The totals and the verdict reach every screen that shows this vote."), _ ("_Announce"),
       FALSE, FALSE);
}

static void
correct_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcConsole *self = RC_CONSOLE (widget);
  g_autofree char *heading
    = g_strdup_printf (_ ("Correct the record of %s?"), selected_name (self));

  ask (self, "correct", heading,
       _ ("A member's recorded choice changes; the totals follow, and the correction is kept "
          "in the record with its note."),
       _ ("_Correct"), FALSE, TRUE);
}

static void
cancel_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcConsole *self = RC_CONSOLE (widget);
  g_autofree char *heading = g_strdup_printf (_ ("Cancel %s?"), selected_name (self));

  ask (self, "cancel", heading,
       _ ("The vote will have no result, and its lights go out. This cannot be undone."),
       _ ("Cancel the _vote"), TRUE, TRUE);
}

static void
describe_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcConsole *self = RC_CONSOLE (widget);
  g_autofree char *heading = g_strdup_printf (_ ("What the hall sees of %s"), selected_name (self));

  ask (self, "describe", heading,
       _ ("Every screen on the feed follows this, from the opening of the vote on. It can "
          "change until the vote opens."),
       _ ("_Set"), FALSE, FALSE);
}

void
rc_console_clerk_update (RcConsole *self)
{
  RcVote *vote = self->clerk && self->control != NULL ? rc_console_get_selected_vote (self) : NULL;
  RcVoteState state = vote != NULL ? rc_vote_get_state (vote) : RC_VOTE_CANCELLED;
  GtkWidget *w = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (w, "win.open-vote", vote != NULL && state == RC_VOTE_SCHEDULED);
  gtk_widget_action_set_enabled (w, "win.describe-vote",
                                 vote != NULL && state == RC_VOTE_SCHEDULED);
  gtk_widget_action_set_enabled (w, "win.lock-vote", vote != NULL && state == RC_VOTE_OPEN);
  gtk_widget_action_set_enabled (w, "win.announce-vote", vote != NULL && state == RC_VOTE_LOCKED);
  gtk_widget_action_set_enabled (w, "win.correct-vote",
                                 vote != NULL && state == RC_VOTE_ANNOUNCED
                                   && rc_vote_get_info (vote)->recorded);
  gtk_widget_action_set_enabled (
    w, "win.cancel-vote", vote != NULL && state != RC_VOTE_CANCELLED && state != RC_VOTE_ANNOUNCED);
}

void
rc_console_clerk_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-vote", NULL, open_activated);
  gtk_widget_class_install_action (widget_class, "win.describe-vote", NULL, describe_activated);
  gtk_widget_class_install_action (widget_class, "win.lock-vote", NULL, lock_activated);
  gtk_widget_class_install_action (widget_class, "win.announce-vote", NULL, announce_activated);
  gtk_widget_class_install_action (widget_class, "win.correct-vote", NULL, correct_activated);
  gtk_widget_class_install_action (widget_class, "win.cancel-vote", NULL, cancel_activated);
}

/* ---- preferences ------------------------------------------------------------------- */

static const char *const palettes[] = { "", "un-board", "blue-red-white", "high-contrast" };

static void
on_palette_selected (AdwComboRow *row, GParamSpec *pspec, RcSettings *settings)
{
  guint i = adw_combo_row_get_selected (row);

  if (i < G_N_ELEMENTS (palettes))
    rc_settings_set_palette (settings, palettes[i]);
}

/* The board's languages, as the preference offers them: "" first (the desk's). Each is
 * named in itself, as a language chooser does. */
static const struct {
  const char *code;
  const char *name;
} board_languages[] = {
  { "", NULL }, /* named in the desk's language */
  { "ar", "العربية" },  { "zh_CN", "中文" }, { "en", "English" },
  { "fr", "Français" }, { "ru", "Русский" }, { "es", "Español" },
};

static void
on_board_language_selected (AdwComboRow *row, GParamSpec *pspec, RcSettings *settings)
{
  guint i = adw_combo_row_get_selected (row);
  RcBoardLanguage parsed;
  const char *line;

  if (i < G_N_ELEMENTS (board_languages))
    rc_settings_set_board_language (settings, board_languages[i].code);
  else if (i != GTK_INVALID_LIST_POSITION)
    {
      line = gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (row)), i);
      /* the bilingual line: its text is the setting (the line of a stored value that is
       * not a language writes nothing) */
      if (rc_board_language_parse (line, &parsed, NULL))
        rc_settings_set_board_language (settings, line);
    }
}

static GtkWidget *
board_language_row (RcSettings *settings)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  const char *current = rc_settings_get_board_language (settings);
  RcBoardLanguage parsed;

  for (guint i = 0; i < G_N_ELEMENTS (board_languages); i++)
    gtk_string_list_append (names, board_languages[i].name != NULL ? board_languages[i].name
                                                                   : _ ("The desktop's language"));
  /* A bilingual board ("en,fr") is set with --board-language or in GSettings: it is
   * shown as its own line so the choice is not silently lost. So is a stored value that
   * is not a board language (set by hand): the boards keep the language they had. */
  if (current[0] != '\0' && !rc_board_language_parse (current, &parsed, NULL))
    {
      g_autofree char *line
        = g_strdup_printf (_ ("“%s”: not a board language (the boards keep theirs)"), current);

      gtk_string_list_append (names, line);
    }
  else if (strchr (current, ',') != NULL)
    gtk_string_list_append (names, current);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("Board language"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _ ("The words, the names and their order on the board"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), G_N_ELEMENTS (board_languages));
  for (guint i = 0; i < G_N_ELEMENTS (board_languages); i++)
    if (g_str_equal (board_languages[i].code, current))
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_board_language_selected),
                           settings, 0);
  return row;
}

static GtkWidget *
switch_row (RcSettings *settings, const char *property, const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  g_object_bind_property (settings, property, toggle, "active",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  return row;
}

void
rc_console_show_preferences (RcConsole *self)
{
  GtkWidget *window = adw_preferences_window_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *palette = adw_combo_row_new ();
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  const char *current = rc_settings_get_palette (self->settings);

  gtk_string_list_append (names, _ ("The chamber's own"));
  gtk_string_list_append (names, _ ("UN board (green, red, yellow)"));
  gtk_string_list_append (names, _ ("Blue, red and white"));
  gtk_string_list_append (names, _ ("High contrast"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (palette), _ ("Palette"));
  adw_combo_row_set_model (ADW_COMBO_ROW (palette), G_LIST_MODEL (names));
  for (guint i = 0; i < G_N_ELEMENTS (palettes); i++)
    if (g_str_equal (palettes[i], current))
      adw_combo_row_set_selected (ADW_COMBO_ROW (palette), i);
  g_signal_connect_object (palette, "notify::selected", G_CALLBACK (on_palette_selected),
                           self->settings, 0);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _ ("The board"));
  adw_preferences_group_set_description (
    ADW_PREFERENCES_GROUP (group),
    _ ("How this desk's preview and program look. The hall's screens have their own "
       "settings."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), palette);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), board_language_row (self->settings));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             switch_row (self->settings, "colour-blind-glyphs",
                                         _ ("Glyphs in the lights"),
                                         _ ("A tick, a cross or a dash in each light")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             switch_row (self->settings, "current-names", _ ("Today's names"),
                                         _ ("Instead of those in force on the day of the vote")));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_present (GTK_WINDOW (window));
}
