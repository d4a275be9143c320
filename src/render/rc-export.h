/* rc-export.h — a board to a file: PNG, SVG or PDF, by the file's extension; or the
 * vote's record in words: .csv (one row per member) or .txt (as a meeting record
 * gives it), rc-record.h.
 *
 * The same layout and painter as the window. Vector formats keep the text as text
 * (searchable), and carry the vote's official names in the document's metadata. */
#pragma once

#include <glib.h>

#include "model/rc-session.h"
#include "model/rc-vote.h"
#include "rc-style.h"

G_BEGIN_DECLS

typedef enum {
  RC_EXPORT_PNG,
  RC_EXPORT_SVG,
  RC_EXPORT_PDF,
  RC_EXPORT_CSV, /* the record: rc_record_csv() */
  RC_EXPORT_TXT, /* the record: rc_record_text() */
} RcExportFormat;

/* The format named by path's extension (case-insensitive); FALSE with a one-line
 * RC_ERROR_BAD_ARGUMENT otherwise. */
gboolean rc_export_format_from_path (const char *path, RcExportFormat *out, GError **error);

/* Renders the board at width × height pixels (points for PDF) to path, through an
 * RcAtomicFile (a temporary sibling, flushed and renamed), so that a failure leaves no
 * file and the file is created 0666 less the umask. vote NULL: the holding slide. A
 * .csv or .txt path writes the vote's record instead (no size; refused without a
 * vote). */
gboolean rc_export_to_file (const char *path, int width, int height, const RcStyle *style,
                            RcSession *session, RcVote *vote, gint64 clock_time,
                            GError **error);
/* The screens blanked ("blank" on air): the frame in the background colour of the
 * style's palette, else the session's chamber's, as the hall screens show it. */
gboolean rc_export_blank_to_file (const char *path, int width, int height,
                                  const RcStyle *style, RcSession *session, GError **error);

G_END_DECLS
