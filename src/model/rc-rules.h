/* rc-rules.h — tallies and verdicts: pure functions of ballots, roster and rule.
 *
 * The verdict is computed, never typed (BRIEF). Abstentions never count: "present
 * and voting" means yes + no. */
#pragma once

#include "rc-chamber.h"
#include "rc-roster.h"
#include "rc-types.h"

G_BEGIN_DECLS

/* choices has one entry per roster member. */
void rc_tally_compute (RcTally *tally, const RcChoice *choices, guint n);
gboolean rc_tally_equal_totals (const RcTally *a, const RcTally *b);

/* Yes votes required under the rule, given the tally (0 when none can be). */
guint rc_rules_required (RcMajority majority, const RcRules *rules, const RcTally *tally);

/* The verdict of a closed vote. stated is the outcome the record states
 * (RC_OUTCOME_PENDING: none), which decides only under RC_MAJORITY_UNKNOWN. */
void rc_rules_verdict (RcVerdict *verdict, RcMajority majority, const RcRules *rules,
                       const RcRoster *roster, const RcChoice *choices, const RcTally *tally,
                       RcOutcome stated);

G_END_DECLS
