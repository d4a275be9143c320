/* rc-feed-log.h — the feed server's log lines, bounded.
 *
 * Every refusal is one line in the log; a client that sends a thousand bad requests
 * a second must not make the server write a thousand lines a second (a disk filled
 * with the same line is a denial of service too). Past a budget, lines are counted,
 * not written, and one line says how many were left out. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Lines written at once, then a second. */
#define RC_FEED_LOG_BURST 200
#define RC_FEED_LOG_RATE 50

/* g_message() within the budget; beyond it, the line is counted and, once lines may
 * be written again, one line says how many were not. */
void rc_feed_log (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* The budget: burst lines at once, then rate a second (tests that count log lines
 * raise it; 0, 0 restores the default). */
void rc_feed_log_set_budget (guint burst, guint rate);

G_END_DECLS
