/* rc-board-layout-private.h — for the layout's tests only. Internal. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE: the names' size is searched by trying every size from the largest down, one
 * by one (the definition the quicker search must match; test-board-layout). Not
 * thread-safe: set it before laying out. */
void rc_board_layout_set_exhaustive_search (gboolean exhaustive);

G_END_DECLS
