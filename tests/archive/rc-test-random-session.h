/* rc-test-random-session.h — long sessions of every kind of event, for the tests that
 * compare two ways of reaching a state (a checkpoint and the events after it, against
 * the whole journal folded) and for the benchmarks that need a day's journal.
 *
 * A random walk over what the session state machine accepts, from a seed, so that a
 * failure can be replayed: votes scheduled (every majority the chamber has, recorded
 * or not, choices shown live or after the lock), opened, ballots (members changing
 * their minds, "voted" where the vote is not recorded, no right to vote), locked
 * (revealing hidden choices, fixing some), announced (with or without official
 * totals), corrected, cancelled; the screens switched between votes, blank and the
 * holding slide. Times increase by 0 to 2 s. */
#pragma once

#include "model/rc-event.h"

G_BEGIN_DECLS

/* n_events events, seq 1…n_events, the first being `first` (a session event). */
GPtrArray *rc_test_random_session (const RcEvent *first, guint n_events, guint32 seed);

G_END_DECLS
