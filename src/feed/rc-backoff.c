/* rc-backoff.c — capped exponential back-off with full jitter. */
#include "rc-backoff.h"

guint
rc_backoff_ceiling_ms (guint attempt, guint base_ms, guint cap_ms)
{
  guint64 ceiling = base_ms;

  /* Doubling stops at the cap, so a long outage cannot overflow the shift. */
  for (guint i = 0; i < attempt && ceiling < cap_ms; i++)
    ceiling *= 2;
  return (guint) MIN (ceiling, (guint64) cap_ms);
}

guint
rc_backoff_delay_ms (guint attempt, guint base_ms, guint cap_ms, GRand *rand)
{
  guint ceiling = MIN (rc_backoff_ceiling_ms (attempt, base_ms, cap_ms), (guint) G_MAXINT32 - 1);

  /* [0, ceiling] inclusive: g_rand_int_range's end is exclusive. */
  if (rand != NULL)
    return (guint) g_rand_int_range (rand, 0, (gint32) ceiling + 1);
  return (guint) g_random_int_range (0, (gint32) ceiling + 1);
}
