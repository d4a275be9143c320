/* rc-import-undl.h — the UN Digital Library's "UN General Assembly Voting Data" CSV.
 *
 * One row per member per resolution: undl_id, ms_code (ISO 3166 alpha-3), ms_name (in
 * capitals, as at the time), ms_vote (Y, N, A, X; older releases NV or empty for a
 * member that did not vote), date, session, resolution, draft, meeting, title and the
 * record's totals (total_yes, total_no, total_abstentions, total_non_voting). Layout
 * and behaviour: docs/import.md. */
#pragma once

#include "import/rc-import-record.h"

G_BEGIN_DECLS

/* Reads the file (plain or gzip) into a record set over chamber (the General
 * Assembly's). Refusals name the file and the line; what is only worth a count
 * (duplicate rows, zero-padded counts) is in the set's summary. */
RcRecordSet *rc_import_undl_read (const char *path, const RcChamber *chamber,
                                  const RcImportFilter *filter, GError **error);

G_END_DECLS
