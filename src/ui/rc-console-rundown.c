/* rc-console-rundown.c — the rundown: Blank, the holding slide, and the meeting's
 * votes in order, each with its state, symbol, title, live tally and majority rule,
 * and a mark on the one on air.
 *
 * Rows are rebuilt when the session gains a vote or is replaced (a snapshot), keeping
 * the selection by what it names; otherwise only their labels change. Selecting a row
 * changes the preview, never the air. */
#include "rc-console-private.h"

#include <glib/gi18n.h>

/* What a row names, as its data. */
#define ROW_SHOW "rc-show"
#define ROW_VOTE "rc-vote-id"

typedef struct {
  GtkLabel *mark;
  GtkLabel *name;
  GtkLabel *state;
  GtkLabel *title;
  GtkLabel *tally;
} RowLabels;

static const char *
state_word (RcVote *vote)
{
  switch (rc_vote_get_state (vote))
    {
    case RC_VOTE_SCHEDULED:
      return _ ("scheduled");
    case RC_VOTE_OPEN:
      return _ ("open");
    case RC_VOTE_LOCKED:
      return _ ("locked");
    case RC_VOTE_ANNOUNCED:
      return rc_vote_is_corrected (vote) ? _ ("corrected") : _ ("announced");
    case RC_VOTE_CANCELLED:
      return _ ("cancelled");
    default:
      return "";
    }
}

static const char *
majority_word (RcMajority majority)
{
  switch (majority)
    {
    case RC_MAJORITY_SIMPLE:
      return _ ("simple majority");
    case RC_MAJORITY_TWO_THIRDS:
      return _ ("two-thirds majority");
    case RC_MAJORITY_COUNCIL:
      return _ ("Council: 9 and no veto");
    case RC_MAJORITY_PROCEDURAL:
      return _ ("Council, procedural: 9");
    case RC_MAJORITY_ABSOLUTE:
      return _ ("absolute majority");
    case RC_MAJORITY_UNKNOWN:
      return _ ("rule not stated");
    default:
      return rc_majority_to_string (majority);
    }
}

char *
rc_console_describe_vote (RcVote *vote)
{
  const RcTally *t = rc_vote_get_tally (vote);
  const RcVoteInfo *info = rc_vote_get_info (vote);
  const RcVerdict *verdict = rc_vote_get_verdict (vote);
  g_autoptr (GString) s = g_string_new (NULL);

  /* The operator sees the live tally (the hall may not yet: reveal, result_shown). */
  if (rc_vote_get_state (vote) == RC_VOTE_CANCELLED)
    g_string_append (s, _ ("no result"));
  else if (t->hidden > 0)
    g_string_append_printf (s, _ ("%u voted"), t->hidden + t->yes + t->no + t->abstain);
  else
    /* Translators: yes–no–abstain */
    g_string_append_printf (s, _ ("%u–%u–%u"), t->yes, t->no, t->abstain);
  if (verdict->outcome == RC_OUTCOME_ADOPTED)
    g_string_append_printf (s, " · %s", _ ("adopted"));
  else if (verdict->outcome == RC_OUTCOME_NOT_ADOPTED)
    g_string_append_printf (s, " · %s", _ ("not adopted"));
  else if (verdict->outcome == RC_OUTCOME_UNKNOWN)
    g_string_append_printf (s, " · %s", _ ("result not recorded"));
  g_string_append_printf (s, " · %s", majority_word (info->majority));
  if (info->reveal == RC_REVEAL_AFTER_LOCK)
    g_string_append_printf (s, " · %s", _ ("lights at the lock"));
  if (info->result_shown == RC_RESULT_AT_LOCK)
    g_string_append_printf (s, " · %s", _ ("result at the lock"));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static GtkLabel *
row_label (GtkGrid *grid, int column, int row, int width, const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_visible (label, FALSE); /* until it has a text */
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_grid_attach (grid, label, column, row, width, 1);
  return GTK_LABEL (label);
}

/* An empty label is hidden: GTK 4.8 would read it to a screen reader as "GtkLabel". */
static void
set_text (GtkLabel *label, const char *text)
{
  gtk_label_set_text (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), text[0] != '\0');
}

static GtkWidget *
new_row (RcOnAir show, const char *vote_id)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *grid = gtk_grid_new ();
  RowLabels *labels = g_new0 (RowLabels, 1);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_widget_set_margin_top (grid, 6);
  gtk_widget_set_margin_bottom (grid, 6);
  gtk_widget_set_margin_start (grid, 6);
  gtk_widget_set_margin_end (grid, 6);
  labels->mark = row_label (GTK_GRID (grid), 0, 0, 1, "rc-on-air-mark");
  labels->name = row_label (GTK_GRID (grid), 1, 0, 1, "heading");
  gtk_widget_set_hexpand (GTK_WIDGET (labels->name), TRUE);
  labels->state = row_label (GTK_GRID (grid), 2, 0, 1, "rc-state");
  labels->title = row_label (GTK_GRID (grid), 1, 1, 2, "dim-label");
  labels->tally = row_label (GTK_GRID (grid), 1, 2, 2, "caption");
  gtk_label_set_ellipsize (labels->tally, PANGO_ELLIPSIZE_NONE);
  gtk_label_set_wrap (labels->tally, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (labels->tally), "numeric");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), grid);
  g_object_set_data (G_OBJECT (row), ROW_SHOW, GINT_TO_POINTER (show));
  g_object_set_data_full (G_OBJECT (row), ROW_VOTE, g_strdup (vote_id), g_free);
  g_object_set_data_full (G_OBJECT (row), "rc-labels", labels, g_free);
  return row;
}

static gboolean
row_is_on_air (RcConsole *self, GtkListBoxRow *row)
{
  RcOnAir show = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), ROW_SHOW));
  RcVote *vote;

  if (self->session == NULL || !rc_session_has_on_air (self->session)
      || rc_session_get_on_air (self->session) != show)
    return FALSE;
  if (show != RC_ON_AIR_VOTE)
    return TRUE;
  vote = rc_session_get_on_air_vote (self->session);
  return vote != NULL
         && g_strcmp0 (rc_vote_get_id (vote), g_object_get_data (G_OBJECT (row), ROW_VOTE)) == 0;
}

static void
refresh_row (RcConsole *self, GtkListBoxRow *row)
{
  RowLabels *l = g_object_get_data (G_OBJECT (row), "rc-labels");
  RcOnAir show = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), ROW_SHOW));
  const char *vote_id = g_object_get_data (G_OBJECT (row), ROW_VOTE);
  gboolean on_air = row_is_on_air (self, row);

  set_text (l->mark, on_air ? _ ("● ON AIR") : "");
  if (on_air)
    gtk_widget_add_css_class (GTK_WIDGET (row), "rc-on-air");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "rc-on-air");

  if (show == RC_ON_AIR_BLANK || show == RC_ON_AIR_HOLDING)
    {
      const char *line
        = show == RC_ON_AIR_HOLDING && on_air ? rc_session_get_on_air_text (self->session) : NULL;
      const char *name = show == RC_ON_AIR_BLANK ? _ ("Blank") : _ ("Holding slide");
      const char *title = show == RC_ON_AIR_BLANK ? _ ("Every screen dark")
                          : line != NULL          ? line
                                         : _ ("The meeting's name, with the line typed below");
      g_autofree char *accessible
        = g_strdup_printf ("%s%s, %s", on_air ? _ ("On air: ") : "", name, title);

      set_text (l->name, name);
      set_text (l->title, title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible, -1);
    }
  else
    {
      RcVote *vote = rc_session_find_vote (self->session, vote_id);
      const RcVoteInfo *info = vote != NULL ? rc_vote_get_info (vote) : NULL;
      g_autofree char *tally = vote != NULL ? rc_console_describe_vote (vote) : NULL;
      g_autofree char *accessible = NULL;
      const char *name;

      if (info == NULL)
        return;
      name = info->symbol != NULL && info->symbol[0] != '\0' ? info->symbol
             : info->draft != NULL && info->draft[0] != '\0' ? info->draft
                                                             : info->id;
      set_text (l->name, name);
      set_text (l->state, state_word (vote));
      set_text (l->title, info->title != NULL ? info->title : "");
      set_text (l->tally, tally);
      accessible
        = g_strdup_printf ("%s%s, %s, %s, %s", on_air ? _ ("On air: ") : "", name,
                           state_word (vote), info->title != NULL ? info->title : "", tally);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible, -1);
    }
}

void
rc_console_rundown_refresh (RcConsole *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->rundown)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row))
      refresh_row (self, GTK_LIST_BOX_ROW (row));
}

static void
selected_key (RcConsole *self, RcOnAir *show, char **vote_id)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->rundown);

  *show
    = row != NULL ? GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), ROW_SHOW)) : RC_ON_AIR_VOTE;
  *vote_id = row != NULL ? g_strdup (g_object_get_data (G_OBJECT (row), ROW_VOTE)) : NULL;
}

void
rc_console_rundown_rebuild (RcConsole *self)
{
  RcOnAir show;
  g_autofree char *vote_id = NULL;
  GtkWidget *child;
  GtkListBoxRow *keep = NULL;
  guint n;

  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));
  /* the keyboard stays in the rundown (on its selected row) if it was there, or if it
   * was nowhere (the window is new) */
  gboolean keep_focus = focus == NULL || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->rundown))
                        || focus == GTK_WIDGET (self->rundown);

  selected_key (self, &show, &vote_id);
  self->rebuilding++;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rundown))) != NULL)
    gtk_list_box_remove (self->rundown, child);

  gtk_list_box_append (self->rundown, new_row (RC_ON_AIR_BLANK, NULL));
  gtk_list_box_append (self->rundown, new_row (RC_ON_AIR_HOLDING, NULL));
  n = self->session != NULL ? rc_session_get_n_votes (self->session) : 0;
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (
      self->rundown,
      new_row (RC_ON_AIR_VOTE, rc_vote_get_id (rc_session_get_vote (self->session, i))));
  rc_console_rundown_refresh (self);

  /* The item the operator chose; until then, the vote on air or the first vote. */
  for (int i = 0; keep == NULL; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->rundown, i);

      if (row == NULL)
        break;
      if (self->chosen)
        {
          if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), ROW_SHOW)) == (int) show
              && g_strcmp0 (g_object_get_data (G_OBJECT (row), ROW_VOTE), vote_id) == 0)
            keep = row;
        }
      else if (row_is_on_air (self, row))
        keep = row;
    }
  if (keep == NULL)
    keep = gtk_list_box_get_row_at_index (self->rundown, n > 0 ? 2 : 0);
  gtk_list_box_select_row (self->rundown, keep);
  if (keep_focus && keep != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (keep));
  self->rebuilding--;
}

void
rc_console_rundown_move (RcConsole *self, int delta)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->rundown);
  int index = row != NULL ? gtk_list_box_row_get_index (row) + delta : 0;
  GtkListBoxRow *next;

  if (index < 0)
    index = 0;
  next = gtk_list_box_get_row_at_index (self->rundown, index);
  if (next == NULL)
    return; /* past the end: stay */
  gtk_list_box_select_row (self->rundown, next);
  gtk_widget_grab_focus (GTK_WIDGET (next));
}

void
rc_console_rundown_get_selected (RcConsole *self, RcConsoleItem *item)
{
  const char *line = gtk_editable_get_text (GTK_EDITABLE (self->holding_entry));

  selected_key (self, &item->show, &item->vote_id);
  item->text = item->show == RC_ON_AIR_HOLDING && line[0] != '\0' ? g_strdup (line) : NULL;
}

void
rc_console_rundown_init (RcConsole *self)
{
  gtk_list_box_set_selection_mode (self->rundown, GTK_SELECTION_BROWSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->rundown), "navigation-sidebar");
}
