/* rc-csv.h — a strict RFC 4180 reader for the project's data files (UTF-8). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GPtrArray *header; /* of char*: the first row */
  GPtrArray *rows;   /* of GStrv, each with as many fields as the header */
  GArray *lines;     /* of guint: the 1-based line number each row starts on */
} RcCsv;

/* Parses text; a row with a different number of fields than the header, an
 * unterminated quote or invalid UTF-8 is an RC_ERROR_BAD_FILE naming the line.
 * Blank lines are skipped. */
RcCsv *rc_csv_parse (const char *text, gssize length, GError **error);
RcCsv *rc_csv_load (const char *path, GError **error);
void rc_csv_free (RcCsv *csv);
/* Index of the named column, or -1 */
int rc_csv_column (const RcCsv *csv, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcCsv, rc_csv_free)

G_END_DECLS
