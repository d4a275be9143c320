/* rc-csv-stream.h — a strict RFC 4180 reader for large inputs, one record at a time.
 *
 * The datasets of the importers are big (the UN Digital Library's voting file is
 * ~360 MB; unvotes ships gzip-compressed): they are read in chunks, never whole, so
 * memory is that of one chunk and one record. Gzip is recognised by its magic bytes,
 * whatever the name. Every refusal names the file and the line: a quoted field never
 * closed (a truncated file), text after a closing quote, a record that is not UTF-8,
 * damaged or truncated gzip data. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RcCsvStream RcCsvStream;

RcCsvStream *rc_csv_stream_open (const char *path, GError **error);
void rc_csv_stream_free (RcCsvStream *stream);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcCsvStream, rc_csv_stream_free)

/* The next record: its fields (valid until the next call) and the line it starts on.
 * Blank lines are skipped. FALSE at the end (error unset) or on a refusal. */
gboolean rc_csv_stream_next (RcCsvStream *stream, char ***fields, guint *n_fields, guint *line,
                             GError **error);
const char *rc_csv_stream_get_path (RcCsvStream *stream);
/* Bytes read from the file so far (compressed, for a gzip file). */
guint64 rc_csv_stream_get_bytes_read (RcCsvStream *stream);

G_END_DECLS
