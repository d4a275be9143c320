/* rc-test-seed.h — the two seed votes as sessions, made with the model's own events
 * from the chamber files in data/ and the reference ballots in ../shared/data/. */
#pragma once

#include "model/rc-session.h"

G_BEGIN_DECLS

/* A session with the chamber of the day and one scheduled vote; no ballots yet. */
RcSession *rc_test_seed_open (const char *which /* "ga" or "sc" */, RcVoteInfo *info);
/* The reference vote applied in full (opened, every ballot, locked, announced). */
RcSession *rc_test_seed_final (const char *which);
/* The reference ballots: code → choice (Y/N/A/X as RcChoice, X = not voting) */
GHashTable *rc_test_seed_ballots (const char *which);
/* Applies an event made by the caller, with the next sequence number; asserts success. */
void rc_test_apply (RcSession *session, RcEvent *event /* transfer full */);

G_END_DECLS
