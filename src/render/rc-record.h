/* rc-record.h — a vote's record in words: the per-member results as CSV, and the
 * record of the vote in the style of the UN's meeting records ("In favour: …;
 * Against: …; Abstaining: …", then the result). What the board shows, no more: each
 * member's shown choice (rc_vote_get_shown_choice), so that a choice kept until the
 * lock, or a vote that is not recorded, says no more in a file than on the screens.
 * Names are the official names in force on the session's date (RcMember.name). */
#pragma once

#include <glib.h>

#include "model/rc-session.h"
#include "model/rc-vote.h"

G_BEGIN_DECLS

/* "code,name,choice\r\n" then one row per member in the board's order: the member's
 * code, its official name, and its shown choice as events name it (yes, no, abstain,
 * not-voting, no-right, pending, voted). RFC 4180: CRLF line ends, a field quoted
 * when it holds a comma, a quote or a line break. */
char *rc_record_csv (RcVote *vote);

/* The record of the vote as a meeting record gives it, in lines of text: the
 * meeting, the vote's symbol and title, the lists of names by choice, and the result
 * as the chamber's records phrase it (or the state, while there is none). */
char *rc_record_text (RcSession *session, RcVote *vote);

G_END_DECLS
