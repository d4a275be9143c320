/* rc-atomic-file.h — writes a file whole or not at all.
 *
 * The content goes to a temporary sibling of the target; commit flushes it to the
 * disk and renames it over the target, so a crash or an error never leaves half a
 * file (an export for the press, an archive built by an import). The file gets the
 * usual permissions (0666 less the umask), not the 0600 of a temporary file. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RcAtomicFile RcAtomicFile;

/* Creates the temporary file beside path. */
RcAtomicFile *rc_atomic_file_new (const char *path, GError **error);
/* Where to write the content (the file exists, empty). */
const char *rc_atomic_file_get_temp_path (RcAtomicFile *self);
/* fsync, rename over the target, fsync the folder. */
gboolean rc_atomic_file_commit (RcAtomicFile *self, GError **error);
/* Removes the temporary file unless it was committed. */
void rc_atomic_file_free (RcAtomicFile *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcAtomicFile, rc_atomic_file_free)

G_END_DECLS
