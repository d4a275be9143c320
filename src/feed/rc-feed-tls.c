/* rc-feed-tls.c — a feed server's certificate and key, loaded and checked (see
 * rc-feed-tls.h). */
#include "rc-feed-tls.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "model/rc-error.h"

/* A PEM file of a certificate chain or a key is a few kilobytes. */
#define PEM_FILE_MAX (1024 * 1024)

/* The file's contents, if it is a regular file (secret: readable by its owner only). */
static char *
read_pem (const char *path, const char *what, gboolean secret, GError **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr (GString) contents = g_string_new (NULL);
  struct stat st;
  char buffer[4096];
  gssize n;
  int fd;

  /* Without waiting: opening a FIFO would wait for a writer. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("cannot read the %s %s: %s"), what,
                   display, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("the %s %s is not a file"), what,
                   display);
      close (fd);
      return NULL;
    }
  if (secret && (st.st_mode & 0077) != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("the %s %s can be read by other users (mode %04o): chmod 600 it"), what,
                   display, (guint) (st.st_mode & 07777));
      close (fd);
      return NULL;
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  while ((n = read (fd, buffer, sizeof buffer)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 || contents->len + n > PEM_FILE_MAX)
        {
          int saved = errno;

          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("cannot read the %s %s: %s"), what,
                       display, n < 0 ? g_strerror (saved) : _ ("too large for a PEM file"));
          close (fd);
          return NULL;
        }
      g_string_append_len (contents, buffer, n);
    }
  close (fd);
  return g_string_free (g_steal_pointer (&contents), FALSE);
}

static gboolean
accept_any (GTlsConnection *connection, GTlsCertificate *peer, GTlsCertificateFlags errors,
            gpointer data)
{
  /* Only the pair is under test here, not whom the certificate names. */
  return TRUE;
}

typedef struct {
  GTlsConnection *client;
  GSocket *socket;
} Client;

static gpointer
client_handshake (gpointer data)
{
  Client *c = data;
  GError *error = NULL;

  /* A client that gives up says so to the server, which would wait otherwise. */
  if (!g_tls_connection_handshake (c->client, NULL, &error))
    g_socket_shutdown (c->socket, TRUE, TRUE, NULL);
  return error;
}

/* One handshake of the certificate with itself: the key signs, the certificate's
 * public key checks the signature. */
static gboolean
try_pair (GTlsCertificate *certificate, GError **error)
{
  int fds[2];
  g_autoptr (GSocket) server_socket = NULL;
  g_autoptr (GSocket) client_socket = NULL;
  g_autoptr (GIOStream) server_base = NULL;
  g_autoptr (GIOStream) client_base = NULL;
  g_autoptr (GIOStream) server = NULL;
  g_autoptr (GIOStream) client = NULL;
  g_autoptr (GError) client_error = NULL;
  g_autoptr (GError) server_error = NULL;
  GThread *thread;
  gboolean ok;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved = errno;

      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, _ ("socketpair: %s"), g_strerror (saved));
      return FALSE;
    }
  server_socket = g_socket_new_from_fd (fds[0], error);
  if (server_socket == NULL)
    {
      close (fds[0]);
      close (fds[1]);
      return FALSE;
    }
  client_socket = g_socket_new_from_fd (fds[1], error);
  if (client_socket == NULL)
    {
      close (fds[1]);
      return FALSE;
    }
  server_base = G_IO_STREAM (g_socket_connection_factory_create_connection (server_socket));
  client_base = G_IO_STREAM (g_socket_connection_factory_create_connection (client_socket));
  server = g_tls_server_connection_new (server_base, certificate, error);
  if (server == NULL)
    return FALSE;
  client = g_tls_client_connection_new (client_base, NULL, error);
  if (client == NULL)
    return FALSE;
  g_signal_connect (client, "accept-certificate", G_CALLBACK (accept_any), NULL);

  thread = g_thread_new ("rc-tls-check", client_handshake,
                         &(Client){ G_TLS_CONNECTION (client), client_socket });
  ok = g_tls_connection_handshake (G_TLS_CONNECTION (server), NULL, &server_error);
  if (!ok)
    /* The client waits for an answer that will not come. */
    g_socket_shutdown (server_socket, TRUE, TRUE, NULL);
  client_error = g_thread_join (thread);
  /* The client's word says more: it checked the signature ("… verification failed"),
   * the server only saw it leave. */
  if (client_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&client_error));
      return FALSE;
    }
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&server_error));
      return FALSE;
    }
  return TRUE;
}

GTlsCertificate *
rc_feed_tls_load (const char *certificate_path, const char *key_path, GError **error)
{
  g_autofree char *certificate_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *both = NULL;
  g_autofree char *certificate_display = NULL;
  g_autofree char *key_display = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (certificate_path != NULL && key_path != NULL, NULL);

  certificate_display = g_filename_display_name (certificate_path);
  key_display = g_filename_display_name (key_path);
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   _ ("TLS is not available here (is glib-networking installed?)"));
      return NULL;
    }
  certificate_pem = read_pem (certificate_path, _ ("certificate"), FALSE, error);
  if (certificate_pem == NULL)
    return NULL;
  key_pem = read_pem (key_path, _ ("TLS key"), TRUE, error);
  if (key_pem == NULL)
    return NULL;
  both = g_strconcat (certificate_pem, "\n", key_pem, NULL);
  certificate = g_tls_certificate_new_from_pem (both, -1, &local);
  if (certificate == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("bad certificate %s or key %s: %s"),
                   certificate_display, key_display, local->message);
      return NULL;
    }
  if (!try_pair (certificate, &local))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("the TLS key %s does not go with the certificate %s (a handshake with "
                      "them failed: %s)"),
                   key_display, certificate_display, local->message);
      return NULL;
    }
  return g_steal_pointer (&certificate);
}

GTlsDatabase *
rc_feed_tls_ca_database_new (const char *path, GError **error)
{
  g_autoptr (GError) local = NULL;
  GTlsDatabase *database;
  GList *certificates;

  g_return_val_if_fail (path != NULL, NULL);

  certificates = g_tls_certificate_list_new_from_file (path, &local);
  if (certificates == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: no CA certificate (%s)"), path,
                   local != NULL ? local->message : _ ("the file holds none"));
      return NULL;
    }
  g_list_free_full (certificates, g_object_unref);

  database = g_tls_file_database_new (path, &local);
  if (database == NULL)
    g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, "%s: %s", path, local->message);
  return database;
}
