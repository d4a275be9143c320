/* rc-board-a11y.h — the board for those who do not look at it: its content in the
 * accessibility tree.
 *
 * The board is drawn as one picture; for assistive technologies it is also a tree of
 * small widgets that draw nothing and take no input, each placed over what it stands
 * for: a list of the members, each item named with the member and its vote
 * ("Albania: yes", in the board's language), the counts, the required majority, the
 * verdict, and a status whose name follows the vote's state (open, closed, the
 * result), so a screen reader hears the changes. Only what changed is renamed: a ballot
 * renames one item. */
#pragma once

#include <gtk/gtk.h>

#include "model/rc-session.h"
#include "model/rc-vote.h"
#include "render/rc-board-layout.h"
#include "render/rc-style.h"

G_BEGIN_DECLS

typedef struct _RcBoardA11y RcBoardA11y;

/* Adds its widgets to board (which must lay them out with rc_board_a11y_allocate()). */
RcBoardA11y *rc_board_a11y_new (GtkWidget *board);
/* Removes them. */
void rc_board_a11y_free (RcBoardA11y *a11y);

/* The board shows vote (NULL: no vote; blank: the screens are blank) of session with
 * roster (the names as shown) in style's language. */
void rc_board_a11y_update (RcBoardA11y *a11y, const RcStyle *style, const RcRoster *roster,
                           RcSession *session, RcVote *vote, gboolean blank);
/* Places each widget over its part of the board (layout NULL: nowhere, 0×0). */
void rc_board_a11y_allocate (RcBoardA11y *a11y, const RcBoardLayout *layout);
/* The layout serial the widgets were last placed for (0: none). */
guint64 rc_board_a11y_get_layout_serial (RcBoardA11y *a11y);

/* For the tests: the status (the vote's state as a screen reader hears it), the
 * verdict, the list of members and its item for member index. */
GtkWidget *rc_board_a11y_get_status (RcBoardA11y *a11y);
GtkWidget *rc_board_a11y_get_verdict (RcBoardA11y *a11y);
GtkWidget *rc_board_a11y_get_count (RcBoardA11y *a11y, guint slot);
GtkWidget *rc_board_a11y_get_members (RcBoardA11y *a11y);
GtkWidget *rc_board_a11y_get_member (RcBoardA11y *a11y, guint index);

/* Names an icon button for assistive technologies (its tooltip says more): the button,
 * and its images hidden (a menu button's inner button is labelled by it). Called again when its icon
 * changes (play ↔ pause). */
void rc_a11y_name_button (GtkWidget *button, const char *name);
/* Every button, check button and expander made with a mnemonic ("_Take") under widget
 * named by its label without the mark, once: GTK 4.8 reads it "_Take Take". Called on
 * a built window (a dialog's responses, which libadwaita makes, too). */
void rc_a11y_name_mnemonics (GtkWidget *widget);
/* Names a control that shows no label of its own (an entry, a scale, a drop-down and
 * the toggle button inside it, which also says the choice shown: "Replay speed: 1×"). */
void rc_a11y_name_control (GtkWidget *control, const char *name);

G_END_DECLS
