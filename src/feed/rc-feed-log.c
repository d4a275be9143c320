/* rc-feed-log.c — the feed server's log lines, bounded (see rc-feed-log.h). */
#include "rc-feed-log.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

static guint burst = RC_FEED_LOG_BURST;
static guint rate = RC_FEED_LOG_RATE;
static double allowance = RC_FEED_LOG_BURST;
static gint64 last_refill; /* monotonic µs */
static guint64 left_out;

void
rc_feed_log_set_budget (guint new_burst, guint new_rate)
{
  burst = new_burst > 0 ? new_burst : RC_FEED_LOG_BURST;
  rate = new_rate > 0 ? new_rate : RC_FEED_LOG_RATE;
  allowance = burst;
}

void
rc_feed_log (const char *format, ...)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *line = NULL;
  va_list args;

  /* The server's log is written from its main loop only. */
  if (last_refill == 0)
    last_refill = now;
  allowance = MIN ((double) burst, allowance + (double) (now - last_refill) * rate / 1e6);
  last_refill = now;
  if (allowance < 1.0)
    {
      left_out++;
      return;
    }
  allowance -= 1.0;
  if (left_out > 0)
    {
      g_message (_ ("feed: %" PRIu64 " log lines like the ones before were left out "
                    "(over %d a second)"),
                 left_out, rate);
      left_out = 0;
    }
  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_message ("%s", line);
}
