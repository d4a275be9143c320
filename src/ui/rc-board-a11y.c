/* rc-board-a11y.c — see rc-board-a11y.h. */
#include "rc-board-a11y.h"

#include <glib/gi18n.h>
#include <string.h>

#include "render/rc-catalog.h"
#include "render/rc-painter.h"
#include "render/rc-words.h"

/* A widget that draws nothing and takes no input: a node of the accessibility tree,
 * placed at its area (in the board's coordinates), its children at theirs. */
#define RC_TYPE_A11Y_NODE (rc_a11y_node_get_type ())
G_DECLARE_FINAL_TYPE (RcA11yNode, rc_a11y_node, RC, A11Y_NODE, GtkWidget)

struct _RcA11yNode {
  GtkWidget parent_instance;
  graphene_rect_t area;
};

G_DEFINE_FINAL_TYPE (RcA11yNode, rc_a11y_node, GTK_TYPE_WIDGET)

static void
rc_a11y_node_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                      int *natural, int *minimum_baseline, int *natural_baseline)
{
  *minimum = *natural = 0;
}

static void
allocate_children (GtkWidget *parent, double origin_x, double origin_y)
{
  for (GtkWidget *child = gtk_widget_get_first_child (parent); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      RcA11yNode *node;
      GskTransform *at;

      if (!RC_IS_A11Y_NODE (child))
        continue;
      node = RC_A11Y_NODE (child);
      at = gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (node->area.origin.x - origin_x,
                                                                node->area.origin.y - origin_y));

      /* GTK wants every child measured before it is given a size. */
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
      gtk_widget_allocate (child, (int) node->area.size.width, (int) node->area.size.height, -1,
                           at);
    }
}

static void
rc_a11y_node_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  RcA11yNode *self = RC_A11Y_NODE (widget);

  allocate_children (widget, self->area.origin.x, self->area.origin.y);
}

static void
rc_a11y_node_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (rc_a11y_node_parent_class)->dispose (object);
}

static void
rc_a11y_node_class_init (RcA11yNodeClass *klass)
{
  GTK_WIDGET_CLASS (klass)->measure = rc_a11y_node_measure;
  GTK_WIDGET_CLASS (klass)->size_allocate = rc_a11y_node_size_allocate;
  G_OBJECT_CLASS (klass)->dispose = rc_a11y_node_dispose;
}

static void
rc_a11y_node_init (RcA11yNode *self)
{
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
  gtk_widget_set_can_focus (GTK_WIDGET (self), FALSE);
}

static GtkWidget *
node_new (GtkWidget *parent, GtkAccessibleRole role)
{
  GtkWidget *node = g_object_new (RC_TYPE_A11Y_NODE, "accessible-role", role, NULL);

  gtk_widget_set_parent (node, parent);
  return node;
}

static void
node_set_area (GtkWidget *node, const RcRect *r)
{
  RC_A11Y_NODE (node)->area = r != NULL ? GRAPHENE_RECT_INIT (r->x, r->y, r->width, r->height)
                                        : GRAPHENE_RECT_INIT (0, 0, 0, 0);
}

static void
node_set_label (GtkWidget *node, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (node), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label != NULL ? label : "", -1);
}

#define UNSAID (RC_CHOICE_N + 1)

struct _RcBoardA11y {
  GtkWidget *board;
  GtkWidget *status;  /* the vote's state: what a screen reader announces */
  GtkWidget *members; /* the list */
  GtkWidget *counts[RC_TOTALS_N_SLOTS];
  GtkWidget *majority;
  GtkWidget *verdict;
  GPtrArray *items; /* GtkWidget, one per member */
  GArray *said;     /* what each item says: an RcChoice, RC_CHOICE_N (no vote: the name
                      * alone), or UNSAID (not named yet) */
  RcRoster *named;  /* the roster the items were named from */
  RcBoardLanguage language; /* and in which language */
  char *status_text;
  guint64 serial;
};

RcBoardA11y *
rc_board_a11y_new (GtkWidget *board)
{
  RcBoardA11y *self = g_new0 (RcBoardA11y, 1);

  self->board = board;
  self->status = node_new (board, GTK_ACCESSIBLE_ROLE_STATUS);
  self->members = node_new (board, GTK_ACCESSIBLE_ROLE_LIST);
  for (guint i = 0; i < RC_TOTALS_N_SLOTS; i++)
    self->counts[i] = node_new (board, GTK_ACCESSIBLE_ROLE_LABEL);
  self->majority = node_new (board, GTK_ACCESSIBLE_ROLE_LABEL);
  self->verdict = node_new (board, GTK_ACCESSIBLE_ROLE_LABEL);
  self->items = g_ptr_array_new ();
  self->said = g_array_new (FALSE, FALSE, sizeof (int));
  return self;
}

void
rc_board_a11y_free (RcBoardA11y *self)
{
  if (self == NULL)
    return;
  /* The items go with their list. */
  gtk_widget_unparent (self->status);
  gtk_widget_unparent (self->members);
  for (guint i = 0; i < RC_TOTALS_N_SLOTS; i++)
    gtk_widget_unparent (self->counts[i]);
  gtk_widget_unparent (self->majority);
  gtk_widget_unparent (self->verdict);
  g_ptr_array_unref (self->items);
  g_array_unref (self->said);
  g_clear_pointer (&self->named, rc_roster_unref);
  g_free (self->status_text);
  g_free (self);
}

static char *
member_text (const RcStyle *style, const char *name, RcChoice choice)
{
  switch (choice)
    {
    case RC_CHOICE_YES:
      return rc_board_printf (style, "%s: yes", name);
    case RC_CHOICE_NO:
      return rc_board_printf (style, "%s: no", name);
    case RC_CHOICE_ABSTAIN:
      return rc_board_printf (style, "%s: abstained", name);
    case RC_CHOICE_NOT_VOTING:
      return rc_board_printf (style, "%s: did not vote", name);
    case RC_CHOICE_NO_RIGHT:
      return rc_board_printf (style, "%s: without the right to vote", name);
    case RC_CHOICE_HIDDEN:
      return rc_board_printf (style, "%s: has voted", name);
    case RC_CHOICE_PENDING:
      return rc_board_printf (style, "%s: has not voted yet", name);
    case RC_CHOICE_N:
    default:
      return g_strdup (name);
    }
}

/* As many items as members; TRUE when some were added (they go at the end). */
static gboolean
ensure_items (RcBoardA11y *self, guint n)
{
  guint had = self->said->len;

  while (self->items->len > n)
    {
      gtk_widget_unparent (g_ptr_array_index (self->items, self->items->len - 1));
      g_ptr_array_set_size (self->items, self->items->len - 1);
    }
  while (self->items->len < n)
    g_ptr_array_add (self->items, node_new (self->members, GTK_ACCESSIBLE_ROLE_LIST_ITEM));
  g_array_set_size (self->said, n);
  for (guint i = had; i < n; i++)
    g_array_index (self->said, int, i) = UNSAID;
  return n > had;
}

/* The list reads in the board's order (the language's alphabetical order, as the
 * layout places the members), not the roster's: item i stays member i's. */
static void
order_items (RcBoardA11y *self, const RcRoster *roster, guint n)
{
  g_autofree guint *order = NULL;

  if (roster == NULL)
    return;
  order = rc_roster_board_order (roster);
  for (guint p = 0; p < n; p++)
    gtk_widget_insert_before (g_ptr_array_index (self->items, order[p]), self->members, NULL);
}

static void
update_counts (RcBoardA11y *self, const RcStyle *style, RcVote *vote)
{
  RcTally t;
  char *texts[RC_TOTALS_N_SLOTS] = { NULL };
  RcVoteState state;

  if (vote != NULL && (state = rc_vote_get_state (vote)) != RC_VOTE_CANCELLED)
    {
      rc_vote_get_shown_tally (vote, &t);
      if (t.hidden > 0 || (state == RC_VOTE_LOCKED && !rc_vote_shows_result (vote)))
        {
          texts[0] = rc_board_printf (style, "Voted: %u", t.hidden + t.yes + t.no + t.abstain);
          texts[1] = state == RC_VOTE_OPEN || state == RC_VOTE_SCHEDULED
                       ? rc_board_printf (style, "Not yet voted: %u", t.pending)
                       : rc_board_printf (style, "Did not vote: %u", t.not_voting + t.pending);
        }
      else
        {
          texts[0] = rc_board_printf (style, "Yes: %u", t.yes);
          texts[1] = rc_board_printf (style, "No: %u", t.no);
          texts[2] = rc_board_printf (style, "Abstentions: %u", t.abstain);
          texts[3] = state == RC_VOTE_OPEN || state == RC_VOTE_SCHEDULED
                       ? rc_board_printf (style, "Not yet voted: %u", t.pending)
                       : rc_board_printf (style, "Did not vote: %u", t.not_voting + t.pending);
        }
    }
  for (guint i = 0; i < RC_TOTALS_N_SLOTS; i++)
    {
      node_set_label (self->counts[i], texts[i]);
      g_free (texts[i]);
    }
}

void
rc_board_a11y_update (RcBoardA11y *self, const RcStyle *style, const RcRoster *roster,
                      RcSession *session, RcVote *vote, gboolean blank)
{
  guint n = roster != NULL && !blank ? rc_roster_get_size (roster) : 0;
  g_autofree char *status = NULL;
  g_autofree char *verdict = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *majority = NULL;

  g_return_if_fail (self != NULL);

  if (ensure_items (self, n) || roster != self->named
      || !rc_board_language_equal (&style->language, &self->language))
    {
      /* Other names (another meeting, language or day) or other words: every item
       * again, in the board's order. */
      for (guint i = 0; i < self->said->len; i++)
        g_array_index (self->said, int, i) = UNSAID;
      g_clear_pointer (&self->named, rc_roster_unref);
      self->named = roster != NULL ? rc_roster_ref ((RcRoster *) roster) : NULL;
      self->language = style->language;
      order_items (self, roster, n);
    }
  for (guint i = 0; i < n; i++)
    {
      RcChoice choice = vote != NULL ? rc_vote_get_shown_choice (vote, i) : RC_CHOICE_N;
      int *said = &g_array_index (self->said, int, i);

      if (*said != (int) choice)
        {
          g_autofree char *text
            = member_text (style, rc_roster_get_member (roster, i)->name, choice);

          node_set_label (g_ptr_array_index (self->items, i), text);
          *said = (int) choice;
        }
    }

  node_set_label (self->members, B_ ("Members"));
  update_counts (self, style, blank ? NULL : vote);
  if (vote != NULL && !blank && roster != NULL)
    {
      const RcVoteInfo *info = rc_vote_get_info (vote);
      const char *name = info->symbol != NULL ? info->symbol : info->id;

      verdict = rc_painter_describe_verdict (style, roster, session, vote, &notice);
      majority = rc_painter_describe_majority (style, session, vote);
      /* The verdict is already in each of the board's languages: the symbol is put
       * before it with the first language's punctuation ("A/RES/ES-11/1 : ADOPTÉ"). */
      status = g_strdup_printf (
        rc_catalog_format (rc_catalog_get (style->language.first), "%s: %s"), name, verdict);
      if (notice != NULL)
        {
          char *both = g_strdup_printf ("%s · %s", verdict, notice);

          g_free (verdict);
          verdict = both;
        }
    }
  else
    status = g_strdup (blank ? B_ ("The screens are blank") : B_ ("No vote on the board"));
  node_set_label (self->verdict, verdict);
  node_set_label (self->majority, majority);
  /* The status changes with the state, not with each ballot: a screen reader hears
   * "voting open", "voting closed", the result. */
  if (g_strcmp0 (status, self->status_text) != 0)
    {
      node_set_label (self->status, status);
      g_free (self->status_text);
      self->status_text = g_steal_pointer (&status);
    }
}

void
rc_board_a11y_allocate (RcBoardA11y *self, const RcBoardLayout *layout)
{
  g_return_if_fail (self != NULL);

  self->serial = layout != NULL ? layout->serial : 0;
  node_set_area (self->status, layout != NULL ? &layout->header_state : NULL);
  node_set_area (self->members, layout != NULL ? &layout->grid : NULL);
  for (guint i = 0; i < RC_TOTALS_N_SLOTS; i++)
    node_set_area (self->counts[i], layout != NULL ? &layout->totals_slots[i] : NULL);
  node_set_area (self->majority, layout != NULL ? &layout->majority : NULL);
  node_set_area (self->verdict, layout != NULL ? &layout->verdict : NULL);
  for (guint i = 0; i < self->items->len; i++)
    node_set_area (g_ptr_array_index (self->items, i),
                   layout != NULL && i < layout->n_cells ? &layout->cells[i].frame : NULL);
  allocate_children (self->board, 0, 0);
}

guint64
rc_board_a11y_get_layout_serial (RcBoardA11y *self)
{
  return self->serial;
}

GtkWidget *
rc_board_a11y_get_status (RcBoardA11y *self)
{
  return self->status;
}

GtkWidget *
rc_board_a11y_get_verdict (RcBoardA11y *self)
{
  return self->verdict;
}

GtkWidget *
rc_board_a11y_get_count (RcBoardA11y *self, guint slot)
{
  g_return_val_if_fail (slot < RC_TOTALS_N_SLOTS, NULL);
  return self->counts[slot];
}

GtkWidget *
rc_board_a11y_get_members (RcBoardA11y *self)
{
  return self->members;
}

GtkWidget *
rc_board_a11y_get_member (RcBoardA11y *self, guint index)
{
  g_return_val_if_fail (index < self->items->len, NULL);
  return g_ptr_array_index (self->items, index);
}

/* Images inside a button say nothing of their own: the button's name says it all
 * (GTK 4.8 otherwise reads an icon-only button's image as "GtkImage"). */
static void
hide_images (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_IMAGE (child))
        gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      else
        hide_images (child);
    }
}

void
rc_a11y_name_button (GtkWidget *button, const char *name)
{
  g_return_if_fail (GTK_IS_WIDGET (button));

  /* (A menu button's inner toggle button, where a screen reader lands, is labelled by
   * the menu button in GTK 4.8: naming it too would make its name say this twice.) */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  hide_images (button);
}

/* A label without its mnemonic's marks: "_Take" → "Take", "A__B" → "A_B". */
static char *
without_mnemonic (const char *label)
{
  GString *s = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] == '_')
        p++;
      else if (*p == '_')
        continue;
      g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

/* widget (a button, check button or expander made with a mnemonic) named by its label
 * without the mark. */
static void
name_mnemonic (GtkWidget *widget)
{
  const char *label = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_BUTTON (widget))
    label = gtk_button_get_label (GTK_BUTTON (widget));
  else if (GTK_IS_CHECK_BUTTON (widget))
    label = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
  else if (GTK_IS_EXPANDER (widget))
    label = gtk_expander_get_label (GTK_EXPANDER (widget));
  g_return_if_fail (label != NULL);

  /* GTK 4.8 names such a button by its label as given ("_Take") followed by its inner
   * label's text ("Take"): "_Take Take". The name alone, once. */
  name = without_mnemonic (label);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* The first toggle button under widget. */
static GtkWidget *
inner_toggle (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = GTK_IS_TOGGLE_BUTTON (child) ? child : inner_toggle (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The drop-down's toggle: its name and the choice shown ("Replay speed: 1×"). */
static void
name_drop_down_toggle (GtkDropDown *drop_down, GParamSpec *pspec, GtkWidget *toggle)
{
  const char *name = g_object_get_data (G_OBJECT (drop_down), "rc-a11y-name");
  gpointer item = gtk_drop_down_get_selected_item (drop_down);
  GtkExpression *expression = gtk_drop_down_get_expression (drop_down);
  g_auto (GValue) value = G_VALUE_INIT;
  g_autofree char *line = NULL;
  const char *choice = NULL;

  if (GTK_IS_STRING_OBJECT (item))
    choice = gtk_string_object_get_string (GTK_STRING_OBJECT (item));
  else if (item != NULL && expression != NULL && gtk_expression_evaluate (expression, item, &value)
           && G_VALUE_HOLDS_STRING (&value))
    choice = g_value_get_string (&value);
  line = choice != NULL && choice[0] != '\0' ? g_strdup_printf ("%s: %s", name, choice)
                                             : g_strdup (name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, line, -1);
}

void
rc_a11y_name_control (GtkWidget *control, const char *name)
{
  g_return_if_fail (GTK_IS_WIDGET (control));

  gtk_accessible_update_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  /* A drop-down's own toggle button is what the keyboard and a screen reader land on;
   * GTK 4.8 names it "GtkToggleButton". It says the control and the choice shown. */
  if (GTK_IS_DROP_DOWN (control))
    {
      GtkWidget *toggle = inner_toggle (control);

      if (toggle != NULL)
        {
          const char *tooltip = gtk_widget_get_tooltip_text (control);

          g_object_set_data_full (G_OBJECT (control), "rc-a11y-name", g_strdup (name), g_free);
          hide_images (toggle);
          /* (the drop-down's tooltip, which GTK shows over the toggle, said to a reader) */
          if (tooltip != NULL)
            gtk_accessible_update_property (GTK_ACCESSIBLE (toggle),
                                            GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip, -1);
          name_drop_down_toggle (GTK_DROP_DOWN (control), NULL, toggle);
          g_signal_connect_object (control, "notify::selected", G_CALLBACK (name_drop_down_toggle),
                                   toggle, 0);
        }
    }
}

/* Every button, check button and expander made with a mnemonic under widget. */
void
rc_a11y_name_mnemonics (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if ((GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget))
       && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
      || (GTK_IS_CHECK_BUTTON (widget)
          && gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget))
          && gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)) != NULL)
      || (GTK_IS_EXPANDER (widget) && gtk_expander_get_use_underline (GTK_EXPANDER (widget))
          && gtk_expander_get_label (GTK_EXPANDER (widget)) != NULL))
    name_mnemonic (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    rc_a11y_name_mnemonics (child);
}
