/* rc-board-nodes.h — the board widget's render nodes, kept until dropped.
 *
 * The board is split into parts the painter can paint on their own (background,
 * header, grid, a member's light, totals). Each is kept as a render node; appending
 * the board to a snapshot rebuilds only the parts that were dropped or whose content
 * moved on (a light, the header's second or state) and reuses the rest as the very
 * same nodes, which GSK's diff then leaves undamaged. Used by RcBoardWidget. */
#pragma once

#include <gtk/gtk.h>

#include "model/rc-session.h"
#include "rc-board-widget-private.h"
#include "render/rc-board-layout.h"
#include "render/rc-painter.h"
#include "render/rc-style.h"

G_BEGIN_DECLS

/* What the board shows; the nodes are painted from it. */
typedef struct {
  const RcStyle *style;
  RcSession *session; /* NULL only with vote NULL */
  RcVote *vote;       /* NULL: the holding slide */
  gint64 clock_time;  /* µs since the epoch, 0 hides the clock */
  int scale;          /* the window's scale factor: device pixels per unit */
} RcBoardScene;

typedef struct _RcBoardNodes RcBoardNodes;

RcBoardNodes *rc_board_nodes_new (void);
void rc_board_nodes_free (RcBoardNodes *self);

/* Keeps the layout if it fits this size, roster and measuring context, else computes
 * a new one (and drops every node). FALSE when there is no roster to lay out. */
gboolean rc_board_nodes_ensure_layout (RcBoardNodes *self, int width, int height,
                                       const RcRoster *roster, const RcStyle *style,
                                       PangoContext *context);
/* Takes a layout computed elsewhere (rc-board-prepare.h) in context, which must be
 * the context later ensure_layout() calls pass; they keep it while it fits. painter,
 * if not NULL, is the painter that painted it, whose caches it takes over (and
 * owns). */
void rc_board_nodes_adopt_layout (RcBoardNodes *self, RcBoardLayout *layout,
                                  PangoContext *context, RcPainter *painter);
/* NULL until the first ensure_layout() with a roster. */
const RcBoardLayout *rc_board_nodes_get_layout (RcBoardNodes *self);

void rc_board_nodes_drop_layout (RcBoardNodes *self);
/* Every node, and the painter's caches when fonts may have changed. */
void rc_board_nodes_drop_all (RcBoardNodes *self, gboolean fonts_changed);
void rc_board_nodes_drop_header (RcBoardNodes *self);
void rc_board_nodes_drop_totals (RcBoardNodes *self);
/* Every light (and so the grid, which draws them first: glyphs on or off). */
void rc_board_nodes_drop_cells (RcBoardNodes *self);

/* Appends the whole board, rebuilding what is missing. Needs a layout. */
void rc_board_nodes_append (RcBoardNodes *self, GtkSnapshot *snapshot,
                            const RcBoardScene *scene);

RcBoardWidgetStats *rc_board_nodes_get_stats (RcBoardNodes *self);
/* The node of cell index's light drawn over the grid (NULL: the grid shows it). */
GskRenderNode *rc_board_nodes_peek_cell (RcBoardNodes *self, guint index);
GskRenderNode *rc_board_nodes_peek_grid (RcBoardNodes *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcBoardNodes, rc_board_nodes_free)

G_END_DECLS
