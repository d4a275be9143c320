/* bench-feed-board.h — what the two processes of bench-feed-board share. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Ballots are published for this long. */
#define RUN_SECONDS 10

/* The feed server's process ("bench-feed-board serve …"); its exit status. */
int bench_feed_board_serve (gboolean flood, double rate);

G_END_DECLS
