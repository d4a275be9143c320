/* test-board-a11y.c — the board in the accessibility tree, read through GTK's own
 * accessible API (GTK_A11Y=test): every member's item says the member and its vote,
 * checked against ../shared/data's record of the vote, not against our own model; the
 * counts, the verdict and the rule are there; the status follows the vote's state as a
 * screen reader would hear it; the board's language speaks there too. Real events of
 * the demo archive's journal, a real window under Xvfb. */
#include <gtk/gtk.h>
#include <string.h>

#include "model/rc-csv.h"
#include "model/rc-event.h"
#include "rc-ui-fixture.h"
#include "ui/rc-board-a11y.h"
#include "ui/rc-board-widget-private.h"
#include "ui/rc-board-widget.h"
#include "ui/rc-settings.h"
#include "ui/rc-window.h"

typedef struct {
  UiJournal *journal;
  GtkWindow *window;
  RcBoardWidget *board;
  RcBoardA11y *a11y;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->journal = ui_journal_new ("2022-03-02");
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1280, 720);
  f->board = RC_BOARD_WIDGET (rc_board_widget_new ());
  rc_board_widget_set_board_language (f->board, data != NULL ? data : "en");
  gtk_window_set_child (f->window, GTK_WIDGET (f->board));
  rc_board_widget_set_session (f->board, f->journal->session);
  rc_board_widget_set_follow (f->board, RC_BOARD_FOLLOW_CURRENT);
  gtk_window_present (f->window);
  f->a11y = rc_board_widget_peek_a11y (f->board);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  ui_journal_free (f->journal);
}

static void
run_to_end (Fixture *f)
{
  while (ui_journal_peek (f->journal) != NULL)
    ui_journal_step (f->journal);
}

/* The member's index on the board's roster. */
static guint
member_index (Fixture *f, const char *code)
{
  RcVote *vote = rc_session_lookup_vote (f->journal->session, "A/RES/ES-11/1", NULL);
  int i;

  g_assert_nonnull (vote);
  i = rc_roster_find (rc_vote_get_roster (vote), code);
  g_assert_cmpint (i, >=, 0);
  return (guint) i;
}

/* Every member of the seed vote, as ../shared/data records it (Venezuela's X is its
 * loss of vote under Article 19; the other X's did not vote). */
static void
test_every_member_says_its_vote (Fixture *f, gconstpointer data)
{
  g_autofree char *path
    = g_build_filename (g_getenv ("ROLLCALL_SHARED_DATA"), "votes", "a-res-es-11-1.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcCsv) csv = rc_csv_load (path, &error);
  guint checked = 0;

  g_assert_no_error (error);
  run_to_end (f);
  for (guint r = 0; r < csv->rows->len; r++)
    {
      char **row = g_ptr_array_index (csv->rows, r);
      const char *words = g_str_equal (row[2], "Y")     ? "yes"
                          : g_str_equal (row[2], "N")   ? "no"
                          : g_str_equal (row[2], "A")   ? "abstained"
                          : g_str_equal (row[0], "VEN") ? "without the right to vote"
                                                        : "did not vote";
      g_autofree char *expected = g_strdup_printf ("%s: %s", row[1], words);
      GtkWidget *item = rc_board_a11y_get_member (f->a11y, member_index (f, row[0]));

      gtk_test_accessible_assert_role (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_ROLE_LIST_ITEM);
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                           expected);
      checked++;
    }
  g_assert_cmpuint (checked, ==, 193);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (rc_board_a11y_get_members (f->a11y)),
                                   GTK_ACCESSIBLE_ROLE_LIST);
}

static void
test_counts_rule_and_verdict (Fixture *f, gconstpointer data)
{
  const char *const counts[] = { "Yes: 141", "No: 5", "Abstentions: 35", "Did not vote: 12" };
  GtkWidget *verdict = rc_board_a11y_get_verdict (f->a11y);

  run_to_end (f);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (rc_board_a11y_get_count (f->a11y, i)),
                                         GTK_ACCESSIBLE_PROPERTY_LABEL, counts[i]);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (verdict), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "ADOPTED · 146 present and voting");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (rc_board_a11y_get_status (f->a11y)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "A/RES/ES-11/1: ADOPTED");
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (rc_board_a11y_get_status (f->a11y)),
                                   GTK_ACCESSIBLE_ROLE_STATUS);
}

/* The status is renamed when the vote opens, locks and is announced, and only then: a
 * screen reader hears each change of state, not each ballot. */
static void
test_status_follows_the_state (Fixture *f, gconstpointer data)
{
  GtkAccessible *status = GTK_ACCESSIBLE (rc_board_a11y_get_status (f->a11y));
  const RcEvent *e;

  /* The meeting's one vote. */
  ui_journal_run_to (f->journal, RC_EVENT_VOTE_OPENED);
  ui_journal_step (f->journal);
  gtk_test_accessible_assert_property (status, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "A/RES/ES-11/1: VOTING OPEN");
  /* A ballot (yes, no or abstain): the member's item changes, the status does not. */
  for (;;)
    {
      ui_journal_run_to (f->journal, RC_EVENT_BALLOT);
      e = ui_journal_peek (f->journal);
      if (e->choice == RC_CHOICE_YES || e->choice == RC_CHOICE_NO || e->choice == RC_CHOICE_ABSTAIN)
        break;
      ui_journal_step (f->journal);
    }
  {
    guint index = member_index (f, e->member);
    GtkAccessible *item = GTK_ACCESSIBLE (rc_board_a11y_get_member (f->a11y, index));
    RcVote *vote = rc_session_lookup_vote (f->journal->session, "A/RES/ES-11/1", NULL);
    const char *name = rc_roster_get_member (rc_vote_get_roster (vote), index)->name;
    g_autofree char *before = g_strdup_printf ("%s: has not voted yet", name);

    gtk_test_accessible_assert_property (item, GTK_ACCESSIBLE_PROPERTY_LABEL, before);
    ui_journal_step (f->journal);
    {
      g_autofree char *after
        = g_strdup_printf ("%s: %s", name,
                           rc_vote_get_shown_choice (vote, index) == RC_CHOICE_HIDDEN ? "has voted"
                           : e->choice == RC_CHOICE_YES                               ? "yes"
                           : e->choice == RC_CHOICE_NO                                ? "no"
                                                       : "abstained");

      gtk_test_accessible_assert_property (item, GTK_ACCESSIBLE_PROPERTY_LABEL, after);
    }
  }
  gtk_test_accessible_assert_property (status, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "A/RES/ES-11/1: VOTING OPEN");
  ui_journal_run_to (f->journal, RC_EVENT_VOTE_LOCKED);
  ui_journal_step (f->journal);
  {
    RcVote *vote = rc_session_lookup_vote (f->journal->session, "A/RES/ES-11/1", NULL);

    /* Closed: the result (if it waits for the announcement, the state says so). */
    if (!rc_vote_shows_result (vote))
      gtk_test_accessible_assert_property (status, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                           "A/RES/ES-11/1: VOTING CLOSED");
  }
  run_to_end (f);
  gtk_test_accessible_assert_property (status, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "A/RES/ES-11/1: ADOPTED");
}

/* A French board speaks French there too: the members' names and the words. */
static void
test_board_language_speaks (Fixture *f, gconstpointer data)
{
  GtkAccessible *status = GTK_ACCESSIBLE (rc_board_a11y_get_status (f->a11y));
  GtkAccessible *item;

  run_to_end (f);
  item = GTK_ACCESSIBLE (rc_board_a11y_get_member (f->a11y, member_index (f, "ALB")));
  gtk_test_accessible_assert_property (item, GTK_ACCESSIBLE_PROPERTY_LABEL, "Albanie : pour");
  gtk_test_accessible_assert_property (status, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "A/RES/ES-11/1 : ADOPTÉ");
  /* The list reads in the French board's order: Afghanistan, then Afrique du Sud
   * (which abstained), as the UN's French lists begin. */
  {
    GtkWidget *members = rc_board_a11y_get_members (f->a11y);
    GtkWidget *first = gtk_widget_get_first_child (members);

    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (first), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                         "Afghanistan : pour");
    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (gtk_widget_get_next_sibling (first)),
                                         GTK_ACCESSIBLE_PROPERTY_LABEL,
                                         "Afrique du Sud : abstention");
  }
  /* Bilingual, English first: every item renamed in both languages (the names stay
   * the first language's), the status once. */
  rc_board_widget_set_board_language (f->board, "en,fr");
  item = GTK_ACCESSIBLE (rc_board_a11y_get_member (f->a11y, member_index (f, "ALB")));
  gtk_test_accessible_assert_property (item, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Albania: yes / Albania : pour");
  gtk_test_accessible_assert_property (status, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "A/RES/ES-11/1: ADOPTED / ADOPTÉ");
}

static gboolean
icons_shown (gpointer data)
{
  return gtk_menu_button_get_icon_name (data) != NULL;
}

/* The board's window: every button named and with a tooltip, before and after its
 * icons are set (after the first frame). */
static void
test_window_controls_named (void)
{
  g_autoptr (RcSettings) settings = rc_settings_new ();
  RcWindow *window = rc_window_new (NULL, settings, FALSE);
  g_autofree char *before = ui_unnamed_controls (GTK_WIDGET (window));
  g_autofree char *after = NULL;
  GtkWidget *menu = NULL;

  g_assert_cmpstr (before, ==, NULL);
  gtk_window_present (GTK_WINDOW (window));
  ui_wait_board_painted (rc_window_get_board (window));
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (window)); w != NULL && menu == NULL;)
    {
      /* the header's menu button */
      if (GTK_IS_MENU_BUTTON (w))
        menu = w;
      else if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w != NULL && w != GTK_WIDGET (window) ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  g_assert_nonnull (menu);
  ui_wait_until (icons_shown, menu, 10000, "the header's icons");
  after = ui_unnamed_controls (GTK_WIDGET (window));
  g_assert_cmpstr (after, ==, NULL);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (menu), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Main Menu");
  /* The glyphs and the high-contrast palette are actions of the menu (F10) and have
   * keys of their own (rc-application.c): reachable without a pointer. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.glyphs", NULL));
  g_assert_true (rc_board_widget_get_glyphs (rc_window_get_board (window)));
  g_assert_true (
    gtk_widget_activate_action (GTK_WIDGET (window), "win.palette", "s", "high-contrast"));
  g_assert_cmpstr (rc_settings_get_palette (settings), ==, "high-contrast");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.palette", "s", ""));
  g_assert_cmpstr (rc_settings_get_palette (settings), ==, "");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add ("/board-a11y/every-member-says-its-vote", Fixture, NULL, fixture_set_up,
              test_every_member_says_its_vote, fixture_tear_down);
  g_test_add ("/board-a11y/counts-rule-and-verdict", Fixture, NULL, fixture_set_up,
              test_counts_rule_and_verdict, fixture_tear_down);
  g_test_add ("/board-a11y/status-follows-the-state", Fixture, NULL, fixture_set_up,
              test_status_follows_the_state, fixture_tear_down);
  g_test_add ("/board-a11y/board-language-speaks", Fixture, "fr", fixture_set_up,
              test_board_language_speaks, fixture_tear_down);
  g_test_add_func ("/board-a11y/window-controls-named", test_window_controls_named);
  return g_test_run ();
}
