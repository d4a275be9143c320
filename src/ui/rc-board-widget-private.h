/* rc-board-widget-private.h — what the board widget's tests may see of its caches.
 *
 * Counters of the render nodes the widget built, so a test can show that a ballot
 * builds one cell's light and the totals and nothing else; not for application code. */
#pragma once

#include "rc-board-widget.h"
#include "render/rc-board-layout.h"

G_BEGIN_DECLS

typedef struct {
  guint snapshots;   /* snapshot() calls */
  guint layouts;     /* board layouts computed (or taken over prepared) */
  guint prepared;    /* of them, layouts prepared on a thread (rc_board_widget_prepare) */
  guint backgrounds; /* background nodes built */
  guint grids;       /* grid nodes built (the cells and their lights, by column) */
  guint headers;     /* header nodes built */
  guint cells;       /* lights redrawn over the grid (a ballot changes one): each in a
                      * node of its own, or in its column's strip */
  guint strips;      /* strip nodes built: a column's lights in one node, when two or
                      * more of them changed in one frame */
  guint totals;      /* totals nodes built (the whole region) */
  guint counts;      /* count nodes built: a number or the majority line over the totals,
                      * what a ballot changes there */
  int last_cell;     /* index of the last cell node built, -1 if none */
} RcBoardWidgetStats;

void rc_board_widget_get_stats (RcBoardWidget *self, RcBoardWidgetStats *stats);
void rc_board_widget_reset_stats (RcBoardWidget *self);
/* The cached node of cell index, its light over the grid (NULL while the grid shows the
 * light, or while its column is a strip), and the grid's node: a test compares pointers to show that the other nodes
 * were reused as they were. */
GskRenderNode *rc_board_widget_peek_cell_node (RcBoardWidget *self, guint index);
GskRenderNode *rc_board_widget_peek_grid_node (RcBoardWidget *self);

/* The layout of the last frame (NULL before the first): where a test finds a light. */
const RcBoardLayout *rc_board_widget_peek_layout (RcBoardWidget *self);
/* The board's parts in the accessibility tree (rc-board-a11y.h). */
struct _RcBoardA11y *rc_board_widget_peek_a11y (RcBoardWidget *self);

G_END_DECLS
