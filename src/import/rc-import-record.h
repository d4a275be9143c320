/* rc-import-record.h — votes as a dataset records them, made into sessions.
 *
 * The readers of the historical datasets (rc-import-undl.c, rc-import-unvotes.c) give
 * each recorded vote — its date, symbols, title, each member's choice by code, the
 * totals and outcome the record states, the names the record gives — to an
 * RcRecordSet. The set then makes one session per meeting day, in date order: the
 * roster of that day from the chamber's list (docs/chambers.md), with the record's own
 * names where it has them; a synthesized timeline (the record says how each member
 * voted, not when: each vote is scheduled, opened, locked with every member's choice
 * and announced, two minutes apart); every event checked by the session state machine.
 *
 * Memory is bounded by the number of votes times the members of the chamber (a byte
 * for each choice, two for each record name), whatever the size of the file: about
 * 1.2 MB for the 6,203 roll calls of unvotes. */
#pragma once

#include <glib.h>

#include "import/rc-import-session.h"
#include "model/rc-chamber.h"

G_BEGIN_DECLS

/* What to import (all NULL/0: everything). */
typedef struct {
  const char *since;            /* first day, YYYY-MM-DD */
  const char *until;            /* last day */
  const char *day;              /* one meeting day */
  const char *assembly_session; /* the record's session: "74", "ES-11" */
  const char *const *symbols;   /* votes whose symbol or draft is one of these */
} RcImportFilter;

gboolean rc_import_filter_wants_day (const RcImportFilter *filter, const char *date,
                                     const char *assembly_session);
gboolean rc_import_filter_wants_vote (const RcImportFilter *filter, const char *symbol,
                                      const char *draft);

typedef struct _RcRecordSet RcRecordSet;

/* source names the dataset in the sessions' titles and messages ("unvotes"). */
RcRecordSet *rc_record_set_new (const RcChamber *chamber, const char *source);
void rc_record_set_free (RcRecordSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcRecordSet, rc_record_set_free)

/* The vote with this key (the record's own id), created on first use; where names the
 * file and line for messages. NULL, with an error, when the vote is new and the set
 * is full (more votes than an archive should take in one import). */
typedef struct _RcRecordVote RcRecordVote;
RcRecordVote *rc_record_set_vote (RcRecordSet *set, const char *key, gboolean *created,
                                  GError **error);

/* The vote's description: the first row of a vote gives it. Texts may be NULL. */
void rc_record_vote_describe (RcRecordVote *vote, const char *date, const char *assembly_session,
                              const char *meeting, const char *symbol, const char *draft,
                              const char *title);
void rc_record_vote_set_official (RcRecordVote *vote, const RcTally *official);
void rc_record_vote_set_outcome (RcRecordVote *vote, RcOutcome stated);
const char *rc_record_vote_get_date (const RcRecordVote *vote);
/* Whether these are the totals the vote was described with (none: has FALSE). */
gboolean rc_record_vote_same_official (const RcRecordVote *vote, const RcTally *official,
                                       gboolean has);

typedef enum {
  RC_RECORD_SET,       /* recorded */
  RC_RECORD_SAME,      /* the same choice again: a duplicate row */
  RC_RECORD_CONFLICT,  /* another choice for the same member */
  RC_RECORD_NOT_MEMBER /* a code the chamber never had */
} RcRecordResult;

/* A member's choice, and the name the record gives it (NULL: none). */
RcRecordResult rc_record_vote_set_choice (RcRecordSet *set, RcRecordVote *vote, const char *code,
                                          RcChoice choice, const char *record_name, guint line);
/* The line of the member's first row in this vote (for a conflict's message). */
guint rc_record_vote_get_line (const RcRecordSet *set, const RcRecordVote *vote, const char *code);

guint rc_record_set_get_n_votes (const RcRecordSet *set);
/* The votes at least one row gives a choice: what will become sessions. */
guint rc_record_set_get_n_votes_with_rows (const RcRecordSet *set);
/* Whether the chamber's list has this member (remembered: cheap for every row). */
gboolean rc_record_set_knows_code (RcRecordSet *set, const char *code);

/* Sessions, one per meeting day in date order; NULL at the end (error unset) or on a
 * refusal. Warnings about one vote are in its session's warnings. */
RcImportedSession *rc_record_set_next_day (RcRecordSet *set, GError **error);
/* Warnings about the whole import, each with a count and a few examples (members
 * placed outside their membership, names as the record writes them…): after the
 * last day. Transfer full, of char *. */
GPtrArray *rc_record_set_take_summary (RcRecordSet *set);
/* The reader's own warnings with a count ("12 duplicate rows"): added to the summary. */
void rc_record_set_add_summary (RcRecordSet *set, const char *line);

/* Helpers of the readers. A count: decimal digits only, at most 100000; *padded set
 * when it has leading zeros ("0141", read as 141 and counted by the reader). */
gboolean rc_import_parse_count (const char *text, guint *out, gboolean *padded);
/* A vote's date: YYYY-MM-DD, from the United Nations' first day (1945-10-24) to today. */
gboolean rc_import_date_in_range (const char *date);
/* A row as wide as the header; else a refusal naming the file and line (a file cut
 * mid-row). */
gboolean rc_import_check_width (const char *path, guint line, guint n, guint n_header,
                                GError **error);
/* A vote's date in range (rc_import_date_in_range), else a refusal naming file and line. */
gboolean rc_import_check_date (const char *path, guint line, const char *date, GError **error);
/* The header as a refusal quotes it: its fields joined, at most 200 bytes (a header
 * with an unclosed quote can hold the whole file). */
char *rc_import_header_text (char **header);
/* The column of this name in a header, or -1. */
int rc_import_column (char **header, guint n, const char *name);

/* A record's title without the catalogue's statement after it (" : resolution /
 * adopted by the General Assembly"): the board shows the title. */
char *rc_import_clean_title (const char *title);

/* A name the record writes in capitals, as the board writes names: "CZECH REPUBLIC" →
 * "Czech Republic", "IRAN (ISLAMIC REPUBLIC OF)" → "Iran (Islamic Republic of)",
 * "CÔTE D'IVOIRE" → "Côte d'Ivoire", "GUINEA-BISSAU" → "Guinea-Bissau". A name in mixed
 * case is returned as it is. */
char *rc_record_name_case (const char *name);

/* "Turkey", "TURKEY" and "TÜRKİYE"-like spellings compared as a clerk would: case,
 * accents and apostrophes aside. */
char *rc_record_fold_name (const char *name);

G_END_DECLS
