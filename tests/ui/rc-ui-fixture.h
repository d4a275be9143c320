/* rc-ui-fixture.h — what the UI tests share: the demo archive's real journal, waiting
 * for frames, and reading back the pixels a widget shows. */
#pragma once

#include <gtk/gtk.h>

#include "model/rc-session.h"
#include "render/rc-style.h"
#include "ui/rc-board-widget.h"

G_BEGIN_DECLS

/* The bundled demo archive of this build ($ROLLCALL_BUILD_ROOT/data/demo/). */
char *ui_demo_archive_path (void);

/* A session's journal from the demo archive, applied event by event. */
typedef struct {
  GPtrArray *events; /* of RcEvent */
  RcSession *session;
  guint next;        /* index of the next event to apply */
} UiJournal;

/* selector: a session of the demo archive ("2022-03-02" for the General Assembly). */
UiJournal *ui_journal_new (const char *selector);
void ui_journal_free (UiJournal *journal);
/* Applies events until the next one is the nth BALLOT (0-based) of the journal. */
void ui_journal_run_to_ballot (UiJournal *journal, guint nth);
/* Applies events until the next one has this type. */
void ui_journal_run_to (UiJournal *journal, RcEventType type);
/* The next event (NULL at the end) and applying it. */
const RcEvent *ui_journal_peek (UiJournal *journal);
void ui_journal_step (UiJournal *journal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UiJournal, ui_journal_free)

/* Full screen is a window manager's job: X11 without one ignores the request. When the
 * display has no window manager, starts openbox (if installed) and waits until it
 * manages the screen; call before gtk_test_init(). Returns whether one runs. */
gboolean ui_ensure_window_manager (void);
/* Stops the window manager ui_ensure_window_manager() started, if any. */
void ui_stop_window_manager (void);

/* Runs the main loop until cond (data) holds; fails the test after timeout_ms. */
void ui_wait_until (gboolean (*cond) (gpointer data), gpointer data, guint timeout_ms,
                    const char *what);
/* Until the board has drawn everything it shows now, in a frame. */
void ui_wait_board_painted (RcBoardWidget *board);

/* The widget rendered as its window's renderer renders it: 0xRRGGBB at (x, y) in the
 * widget's coordinates. */
typedef struct {
  int width, height;
  gsize stride;
  guchar *data; /* B G R A, premultiplied (GDK_MEMORY_DEFAULT) */
} UiPixels;

UiPixels *ui_pixels_render (GtkWidget *widget);
guint32 ui_pixels_get (const UiPixels *pixels, int x, int y);
void ui_pixels_free (UiPixels *pixels);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UiPixels, ui_pixels_free)

/* The colour a lit light shows for choice (yes, no, abstain), 0 for any other choice. */
guint32 ui_light_colour (const RcPalette *palette, RcChoice choice);
/* The centre of member index's light on the board, in the widget's coordinates. */
void ui_light_centre (RcBoardWidget *board, guint index, int *x, int *y);

/* What the board's pixels show, member by member, for the vote it shows: a lit light in
 * its choice's colour; no light lit in a Yes, No or Abstain colour for anyone else.
 * Returns how many are lit. */
guint ui_assert_lights (RcBoardWidget *board, RcSession *session);

/* TRUE when two colours differ by at most tolerance in each channel. */
gboolean ui_colour_near (guint32 a, guint32 b, guint tolerance);

/* The buttons under root (GTK's window controls aside) that have no name for assistive
 * technologies, or no tooltip: "GtkButton (no name), …", NULL when there is none.
 * Needs GTK_A11Y=test. */
char *ui_unnamed_controls (GtkWidget *root);

G_END_DECLS
