/* rc-feed-tls.h — a feed server's certificate and key, loaded and checked before
 * anything listens.
 *
 * GLib accepts a key that does not belong to its certificate; the server would then
 * say it listens and fail every handshake. So the pair is tried in one handshake with
 * itself, over a socket pair, before it is used. The key file is held to what a
 * secret needs: a regular file (a FIFO would block the start for ever) that no other
 * user can read. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The certificate (PEM, with its chain) and its private key (PEM), or NULL and an
 * RC_ERROR_BAD_FILE with a one-line reason. */
GTlsCertificate *rc_feed_tls_load (const char *certificate_path, const char *key_path,
                                   GError **error);

/* The CA certificates a client trusts (PEM file), or NULL and an RC_ERROR_BAD_FILE with
 * a one-line reason; a file that holds no certificate is refused, since it would make
 * every server untrusted, silently. */
GTlsDatabase *rc_feed_tls_ca_database_new (const char *path, GError **error);

G_END_DECLS
