/* rc-import-unvotes.h — the unvotes / Voeten dataset (long format).
 *
 * Two files: un_roll_calls.csv (rcid, session, importantvote, date, unres, amend,
 * para, short, descr) and un_votes.csv or un_votes.csv.gz (rcid, country,
 * country_code, vote): ISO 3166 alpha-2 codes, read as text ("NA" is Namibia), and
 * yes/no/abstain only — a member without a row in a roll call did not vote. Codes map
 * to the chamber's members through data/import/unvotes-countries.csv (historical
 * states, the seat of China, the dataset's "YU" for Serbia). docs/import.md. */
#pragma once

#include "import/rc-import-record.h"

G_BEGIN_DECLS

/* path: the folder holding both files, or un_votes.csv[.gz] with un_roll_calls.csv
 * beside it. */
RcRecordSet *rc_import_unvotes_read (const char *path, const RcChamber *chamber,
                                     const RcImportFilter *filter, GError **error);

G_END_DECLS
