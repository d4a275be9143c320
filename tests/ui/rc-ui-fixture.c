/* rc-ui-fixture.c — what the UI tests share: the demo archive's real journal, waiting
 * for frames, and reading back the pixels a widget shows. */
#include "rc-ui-fixture.h"

#include <X11/Xatom.h>
#include <X11/Xlib.h>

#include "archive/rc-archive.h"
#include "render/rc-board-layout.h"
#include "ui/rc-board-widget-private.h"

static GSubprocess *window_manager;

char *
ui_demo_archive_path (void)
{
  const char *root = g_getenv ("ROLLCALL_BUILD_ROOT");
  char *path;

  g_assert_nonnull (root);
  path = g_build_filename (root, "data", "demo", "demo.rollcall", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return path;
}

UiJournal *
ui_journal_new (const char *selector)
{
  g_autofree char *path = ui_demo_archive_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  g_autofree char *id = NULL;
  UiJournal *journal;

  g_assert_no_error (error);
  id = rc_archive_resolve_session (archive, selector, NULL, &error);
  g_assert_no_error (error);

  journal = g_new0 (UiJournal, 1);
  journal->events = rc_archive_load_events (archive, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (journal->events->len, >, 0);
  journal->session = rc_session_new ();
  return journal;
}

void
ui_journal_free (UiJournal *journal)
{
  g_clear_object (&journal->session);
  g_ptr_array_unref (journal->events);
  g_free (journal);
}

const RcEvent *
ui_journal_peek (UiJournal *journal)
{
  if (journal->next >= journal->events->len)
    return NULL;
  return g_ptr_array_index (journal->events, journal->next);
}

void
ui_journal_step (UiJournal *journal)
{
  g_autoptr (GError) error = NULL;
  const RcEvent *event = ui_journal_peek (journal);

  g_assert_nonnull (event);
  rc_session_apply (journal->session, event, &error);
  g_assert_no_error (error);
  journal->next++;
}

void
ui_journal_run_to (UiJournal *journal, RcEventType type)
{
  while (ui_journal_peek (journal) != NULL && ui_journal_peek (journal)->type != type)
    ui_journal_step (journal);
  g_assert_nonnull (ui_journal_peek (journal));
}

void
ui_journal_run_to_ballot (UiJournal *journal, guint nth)
{
  guint seen = 0;

  for (guint i = 0; i < journal->next; i++)
    if (((const RcEvent *) g_ptr_array_index (journal->events, i))->type == RC_EVENT_BALLOT)
      seen++;
  g_assert_cmpuint (seen, <=, nth);

  for (;;)
    {
      ui_journal_run_to (journal, RC_EVENT_BALLOT);
      if (seen == nth)
        return;
      ui_journal_step (journal);
      seen++;
    }
}

typedef struct {
  gboolean timed_out;
} WaitState;

static gboolean
on_wait_timeout (gpointer data)
{
  ((WaitState *) data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
ui_wait_until (gboolean (*cond) (gpointer data), gpointer data, guint timeout_ms,
               const char *what)
{
  WaitState state = { FALSE };
  guint id = g_timeout_add (timeout_ms, on_wait_timeout, &state);

  while (!cond (data) && !state.timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (state.timed_out)
    g_error ("timed out after %u ms waiting for %s", timeout_ms, what);
  g_source_remove (id);
}

static gboolean
board_painted (gpointer data)
{
  return rc_board_widget_is_complete (data);
}

void
ui_wait_board_painted (RcBoardWidget *board)
{
  ui_wait_until (board_painted, board, 10000, "the board to be painted");
}

UiPixels *
ui_pixels_render (GtkWidget *widget)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  UiPixels *pixels = g_new0 (UiPixels, 1);

  pixels->width = gtk_widget_get_width (widget);
  pixels->height = gtk_widget_get_height (widget);
  g_assert_cmpint (pixels->width, >, 0);
  g_assert_cmpint (pixels->height, >, 0);

  gdk_paintable_snapshot (paintable, snapshot, pixels->width, pixels->height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (
    renderer, node, &GRAPHENE_RECT_INIT (0, 0, pixels->width, pixels->height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, pixels->width);

  pixels->stride = (gsize) pixels->width * 4;
  pixels->data = g_malloc (pixels->stride * (gsize) pixels->height);
  gdk_texture_download (texture, pixels->data, pixels->stride);
  return pixels;
}

guint32
ui_pixels_get (const UiPixels *pixels, int x, int y)
{
  const guchar *p;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, pixels->width);
  g_assert_cmpint (y, <, pixels->height);
  p = pixels->data + (gsize) y * pixels->stride + (gsize) x * 4;
  /* Opaque pixels: premultiplication changes nothing. */
  return ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

void
ui_pixels_free (UiPixels *pixels)
{
  g_free (pixels->data);
  g_free (pixels);
}

gboolean
ui_colour_near (guint32 a, guint32 b, guint tolerance)
{
  for (int shift = 0; shift <= 16; shift += 8)
    {
      int ca = (a >> shift) & 0xff, cb = (b >> shift) & 0xff;

      if ((guint) ABS (ca - cb) > tolerance)
        return FALSE;
    }
  return TRUE;
}

/* An EWMH window manager announces itself with _NET_SUPPORTING_WM_CHECK on the root. */
static gboolean
x_has_window_manager (Display *display)
{
  Atom check = XInternAtom (display, "_NET_SUPPORTING_WM_CHECK", False);
  Atom type = None;
  int format = 0;
  unsigned long n = 0, after = 0;
  unsigned char *data = NULL;
  gboolean found;

  if (XGetWindowProperty (display, DefaultRootWindow (display), check, 0, 1, False, XA_WINDOW,
                          &type, &format, &n, &after, &data) != Success)
    return FALSE;
  found = type == XA_WINDOW && n == 1;
  if (data != NULL)
    XFree (data);
  return found;
}

gboolean
ui_ensure_window_manager (void)
{
  g_autofree char *openbox = g_find_program_in_path ("openbox");
  g_autoptr (GError) error = NULL;
  Display *display;
  gboolean found;

  if (g_getenv ("DISPLAY") == NULL || (display = XOpenDisplay (NULL)) == NULL)
    return FALSE;
  found = x_has_window_manager (display);
  if (!found && openbox != NULL)
    {
      window_manager = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                           G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                         &error, openbox, "--sm-disable", NULL);
      g_assert_no_error (error);
      for (int i = 0; i < 500 && !found; i++)
        {
          g_usleep (10000);
          found = x_has_window_manager (display);
        }
    }
  XCloseDisplay (display);
  return found;
}

void
ui_stop_window_manager (void)
{
  if (window_manager == NULL)
    return;
  g_subprocess_send_signal (window_manager, SIGTERM);
  g_subprocess_wait (window_manager, NULL, NULL);
  g_clear_object (&window_manager);
}

guint32
ui_light_colour (const RcPalette *palette, RcChoice choice)
{
  switch (choice)
    {
    case RC_CHOICE_YES: return palette->yes;
    case RC_CHOICE_NO: return palette->no;
    case RC_CHOICE_ABSTAIN: return palette->abstain;
    default: return 0;
    }
}

void
ui_light_centre (RcBoardWidget *board, guint index, int *x, int *y)
{
  const RcRect *light = &rc_board_widget_peek_layout (board)->cells[index].light;

  *x = (int) (light->x + light->width / 2);
  *y = (int) (light->y + light->height / 2);
}

/* The text of the first label under widget, or NULL. */
static const char *
label_text (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      /* A menu's items are not the name of the button that opens it. */
      const char *text = GTK_IS_POPOVER (child) ? NULL
                         : GTK_IS_LABEL (child) ? gtk_label_get_text (GTK_LABEL (child))
                                                : label_text (child);

      if (text != NULL && *text != '\0')
        return text;
    }
  return NULL;
}

static void
check_controls (GtkWidget *widget, GString *unnamed)
{
  /* The window's own buttons (close, maximize) are GTK's, named by GTK; libadwaita's
   * own buttons (a view switcher's) are libadwaita's. Ours inside its containers (a
   * header bar) are checked. */
  if (GTK_IS_WINDOW_CONTROLS (widget)
      || (g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Adw")
          && (GTK_IS_BUTTON (widget) || g_str_has_suffix (G_OBJECT_TYPE_NAME (widget), "Button"))))
    return;
  if ((GTK_IS_BUTTON (widget) && !GTK_IS_BUTTON (gtk_widget_get_parent (widget)))
      || GTK_IS_MENU_BUTTON (widget))
    {
      /* An inner button of a menu button is checked through the menu button: GTK 4.8
       * labels it by the menu button (what a screen reader reads of both, from
       * outside the process, is tested by tests/ui/atspi.py). */
      gboolean inner = GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget));
      const char *text = label_text (widget);
      gboolean named = text != NULL
                       || gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                            GTK_ACCESSIBLE_PROPERTY_LABEL);
      const char *tooltip = NULL;

      /* A button inside a control (a drop-down's) shows its control's tooltip. */
      for (GtkWidget *w = widget; w != NULL && tooltip == NULL && !GTK_IS_WINDOW (w);
           w = gtk_widget_get_parent (w))
        tooltip = gtk_widget_get_tooltip_text (w);

      if (!inner && gtk_widget_get_visible (widget) && (!named || tooltip == NULL))
        g_string_append_printf (unnamed, "%s%s '%s' (%s%s)", unnamed->len > 0 ? ", " : "",
                                G_OBJECT_TYPE_NAME (widget), text != NULL ? text : "",
                                named ? "" : "no name",
                                tooltip == NULL ? (named ? "no tooltip" : ", no tooltip") : "");
      if (GTK_IS_MENU_BUTTON (widget))
        return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_controls (child, unnamed);
}

char *
ui_unnamed_controls (GtkWidget *root)
{
  GString *unnamed = g_string_new (NULL);

  check_controls (root, unnamed);
  return g_string_free (unnamed, unnamed->len == 0);
}

guint
ui_assert_lights (RcBoardWidget *board, RcSession *session)
{
  RcVote *vote = rc_board_widget_get_vote (board);
  const RcBoardLayout *layout = rc_board_widget_peek_layout (board);
  g_autoptr (UiPixels) pixels = ui_pixels_render (GTK_WIDGET (board));
  RcPalette palette;
  guint lit = 0;

  g_assert_nonnull (vote);
  g_assert_nonnull (layout);
  rc_style_resolve_palette (rc_board_widget_get_style (board), rc_session_get_chamber (session),
                            &palette);
  for (guint i = 0; i < layout->n_cells; i++)
    {
      RcChoice choice = rc_vote_get_shown_choice (vote, i);
      guint32 shown;
      int x, y;

      ui_light_centre (board, i, &x, &y);
      shown = ui_pixels_get (pixels, x, y);

      if (ui_light_colour (&palette, choice) != 0)
        {
          g_assert_true (ui_colour_near (shown, ui_light_colour (&palette, choice), 8));
          lit++;
        }
      else
        for (RcChoice c = RC_CHOICE_YES; c <= RC_CHOICE_ABSTAIN; c++)
          g_assert_false (ui_colour_near (shown, ui_light_colour (&palette, c), 8));
    }
  return lit;
}
