/* rc-atomic-file.c — write to a temporary sibling, flush, rename. */
#include "rc-atomic-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "rc-error.h"

struct _RcAtomicFile
{
  char *path;
  char *temp;
  gboolean committed;
};

RcAtomicFile *
rc_atomic_file_new (const char *path, GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  RcAtomicFile *self;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  self = g_new0 (RcAtomicFile, 1);
  self->path = g_strdup (path);
  self->temp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  /* 0666 less the umask: what any other program would have written */
  fd = g_mkstemp_full (self->temp, O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("cannot write in %s: %s"), dir,
                   g_strerror (saved));
      g_free (self->temp);
      self->temp = NULL;
      rc_atomic_file_free (self);
      return NULL;
    }
  close (fd);
  return self;
}

const char *
rc_atomic_file_get_temp_path (RcAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->temp;
}

static gboolean
sync_path (const char *path, int flags)
{
  int fd = g_open (path, flags | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0;
  close (fd);
  return ok;
}

gboolean
rc_atomic_file_commit (RcAtomicFile *self, GError **error)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (self != NULL && !self->committed, FALSE);

  if (!sync_path (self->temp, O_RDONLY))
    {
      int saved = errno;

      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("cannot flush %s: %s"), self->path,
                   g_strerror (saved));
      return FALSE;
    }
  if (g_rename (self->temp, self->path) != 0)
    {
      int saved = errno;

      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _("cannot write %s: %s"), self->path,
                   g_strerror (saved));
      return FALSE;
    }
  self->committed = TRUE;
  /* The rename itself is durable once the folder is flushed. */
  dir = g_path_get_dirname (self->path);
  sync_path (dir, O_RDONLY | O_DIRECTORY);
  return TRUE;
}

void
rc_atomic_file_free (RcAtomicFile *self)
{
  if (self == NULL)
    return;
  if (!self->committed && self->temp != NULL)
    g_unlink (self->temp);
  g_free (self->temp);
  g_free (self->path);
  g_free (self);
}
