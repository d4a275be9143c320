/* rc-archive-test-util.h — fixtures shared by the archive tests: a temporary folder,
 * a small but complete session, one event of every type, and a field-by-field event
 * comparison (so a codec bug cannot hide behind comparing two encodings). */
#pragma once

#include "model/rc-event.h"

G_BEGIN_DECLS

/* A new folder under the system temporary folder; removed by rc_test_remove_tree(). */
char *rc_test_make_tmpdir (void);
void rc_test_remove_tree (const char *path);

/* A three-member chamber (two with a veto) and its roster. */
RcChamberInfo *rc_test_chamber_info (void);
RcRoster *rc_test_roster (void);

/* A complete session with seq 1…n: session, one vote per entry of votes (each vote
 * scheduled, on air, opened, three ballots, locked, announced). votes: NULL-terminated
 * triples of id, symbol, draft (symbol or draft may be NULL) given as a flat array. */
GPtrArray *rc_test_session_events (const char *id, const char *meeting, const char *date,
                                   const char *const *votes);

/* One event of every type, each field set to something other than its default. */
GPtrArray *rc_test_every_event_type (void);

void rc_test_assert_events_equal (const RcEvent *a, const RcEvent *b);
void rc_test_assert_journals_equal (GPtrArray *a, GPtrArray *b);

/* Asserts an error message is one line: no newline, not empty. */
void rc_test_assert_one_line (const char *message);

G_END_DECLS
