/* rc-feed-test-edge.c — nginx + nchan edges and Redis as the tests start them
 * (rc-feed-test-edge.h). */
#include "rc-feed-test-edge.h"

#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rc-feed-test-util.h"

static const char *nginx_program;
static const char *redis_program;
static const char *deploy_dir;

/* ---------------------------------------------------------------- processes */

static void
own_group (gpointer data)
{
  setpgid (0, 0);
}

/* The process groups started, so that a test that fails (abort) takes them with it:
 * nginx's workers would otherwise live on, holding the test's ports and pipes. */
#define MAX_GROUPS 16
static volatile pid_t groups[MAX_GROUPS];

static void
kill_groups_and_abort (int signum)
{
  for (guint i = 0; i < MAX_GROUPS; i++)
    if (groups[i] > 0)
      kill (-groups[i], SIGKILL);
  signal (signum, SIG_DFL);
  raise (signum);
}

/* A program in a process group of its own, so that a SIGKILL takes its workers too,
 * as a machine's crash would. Its output is its own (nginx and RcTestRedis log to files). */
static GSubprocess *
spawn_group (const char *const *argv)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr (GError) error = NULL;
  GSubprocess *process;
  pid_t pid;

  g_subprocess_launcher_set_child_setup (launcher, own_group, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  pid = (pid_t) g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);
  for (guint i = 0; i < MAX_GROUPS; i++)
    if (groups[i] <= 0)
      {
        groups[i] = pid;
        break;
      }
  return process;
}

static void
kill_group (GSubprocess **process)
{
  const char *id;

  if (*process == NULL)
    return;
  id = g_subprocess_get_identifier (*process);
  if (id != NULL)
    {
      pid_t pid = (pid_t) g_ascii_strtoll (id, NULL, 10);

      kill (-pid, SIGKILL);
      for (guint i = 0; i < MAX_GROUPS; i++)
        if (groups[i] == pid)
          groups[i] = 0;
    }
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

static guint
free_port (void)
{
  g_autoptr (GSocket) socket
    = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
accepts (guint port)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection
    = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) port, NULL, NULL);

  return connection != NULL;
}

/* ---------------------------------------------------------------- RcTestRedis and edges */


void
rc_test_redis_start (RcTestRedis *r)
{
  g_autofree char *port = g_strdup_printf ("%u", r->port);
  const char *argv[]
    = { redis_program,  "--port", port,    "--bind", "127.0.0.1",   "--save", "",
        "--appendonly", "no",     "--dir", r->dir,   "--daemonize", "no",     "--loglevel",
        "warning",      NULL };

  r->process = spawn_group (argv);
  RC_TEST_WAIT_FOR (accepts (r->port));
}

RcTestRedis *
rc_test_redis_new (const char *dir)
{
  RcTestRedis *r = g_new0 (RcTestRedis, 1);

  r->dir = g_build_filename (dir, "redis", NULL);
  g_assert_cmpint (g_mkdir (r->dir, 0700), ==, 0);
  r->port = free_port ();
  rc_test_redis_start (r);
  return r;
}

void
rc_test_redis_kill (RcTestRedis *r)
{
  kill_group (&r->process);
}

void
rc_test_redis_free (RcTestRedis *r)
{
  kill_group (&r->process);
  g_free (r->dir);
  g_free (r);
}


static char *
read_deploy (const char *name)
{
  g_autofree char *path = g_build_filename (deploy_dir, name, NULL);
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* text with every `from` replaced by `to`; the test fails if there is none. */
static char *
replace (const char *text, const char *from, const char *to)
{
  g_auto (GStrv) parts = g_strsplit (text, from, -1);

  if (g_strv_length (parts) < 2)
    g_error ("the shipped configuration no longer holds \"%s\"", from);
  return g_strjoinv (to, parts);
}

/* The shipped configuration, as it is but for the addresses it listens on, RcTestRedis's,
 * and (so that the test needs no root) nginx's temporary folders. */
static void
edge_write_config (RcTestEdge *e, RcTestRedis *redis, guint workers)
{
  g_autofree char *edge = read_deploy ("rollcall-edge.conf");
  g_autofree char *main = read_deploy (redis != NULL ? "nginx-edge-redis.conf" : "nginx-edge.conf");
  g_autofree char *listen = g_strdup_printf ("listen 127.0.0.1:%u ", e->public_port);
  g_autofree char *publish = g_strdup_printf ("listen 127.0.0.1:%u;", e->publish_port);
  g_autofree char *hop = g_strdup_printf ("127.0.0.1:%u", e->hop_port);
  g_autofree char *a = replace (edge, "listen 8080 ", listen);
  g_autofree char *b = replace (a, "listen 127.0.0.1:8090;", publish);
  g_autofree char *c = replace (b, "127.0.0.1:8091", hop);
  g_autofree char *temp
    = g_strdup_printf ("http {\n    client_body_temp_path %s/body;\n    proxy_temp_path %s/proxy;\n"
                       "    fastcgi_temp_path %s/fastcgi;\n    uwsgi_temp_path %s/uwsgi;\n"
                       "    scgi_temp_path %s/scgi;\n",
                       e->dir, e->dir, e->dir, e->dir, e->dir);
  g_autofree char *m1 = replace (main, "http {\n", temp);
  g_autofree char *m2 = NULL;
  g_autofree char *m3 = NULL;
  g_autofree char *edge_path = g_build_filename (e->dir, "rollcall-edge.conf", NULL);
  g_autofree char *main_path = g_build_filename (e->dir, "nginx.conf", NULL);

  if (redis != NULL)
    {
      g_autofree char *url = g_strdup_printf ("redis://127.0.0.1:%u", redis->port);

      m2 = replace (m1, "redis://127.0.0.1:6379", url);
    }
  if (workers > 0)
    {
      g_autofree char *line = g_strdup_printf ("worker_processes %u;", workers);

      m3 = replace (m2 != NULL ? m2 : m1, "worker_processes 2;", line);
    }
  g_assert_true (g_file_set_contents (edge_path, c, -1, NULL));
  g_assert_true (g_file_set_contents (main_path, m3 != NULL ? m3 : m2 != NULL ? m2 : m1, -1, NULL));
}

void
rc_test_edge_start (RcTestEdge *e)
{
  g_autofree char *conf = g_build_filename (e->dir, "nginx.conf", NULL);
  g_autofree char *globals = g_strdup_printf (
    "daemon off; pid %s/nginx.pid; error_log %s/error.log notice;", e->dir, e->dir);
  const char *argv[] = { nginx_program, "-p", e->dir, "-c", conf, "-g", globals, NULL };

  e->process = spawn_group (argv);
  RC_TEST_WAIT_FOR (accepts (e->public_port) && accepts (e->publish_port));
}

RcTestEdge *
rc_test_edge_new (const char *dir, const char *name, RcTestRedis *redis)
{
  return rc_test_edge_new_workers (dir, name, redis, 0);
}

RcTestEdge *
rc_test_edge_new_workers (const char *dir, const char *name, RcTestRedis *redis, guint workers)
{
  RcTestEdge *e = g_new0 (RcTestEdge, 1);

  e->dir = g_build_filename (dir, name, NULL);
  g_assert_cmpint (g_mkdir (e->dir, 0700), ==, 0);
  e->public_port = free_port ();
  e->publish_port = free_port ();
  e->hop_port = free_port ();
  edge_write_config (e, redis, workers);
  rc_test_edge_start (e);
  return e;
}

void
rc_test_edge_kill (RcTestEdge *e)
{
  kill_group (&e->process);
}

void
rc_test_edge_free (RcTestEdge *e)
{
  kill_group (&e->process);
  g_free (e->dir);
  g_free (e);
}

char *
rc_test_edge_url (RcTestEdge *e)
{
  return g_strdup_printf ("http://127.0.0.1:%u", e->public_port);
}

char *
rc_test_edge_publish_url (RcTestEdge *e)
{
  return g_strdup_printf ("http://127.0.0.1:%u/publish/", e->publish_port);
}


void
rc_test_edge_init (const char *nginx, const char *redis_server, const char *deploy)
{
  const char *programs[] = { nginx, redis_server };

  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    if (!g_file_test (programs[i], G_FILE_TEST_IS_EXECUTABLE))
      g_error ("%s: ./run installs it (nginx-light, libnginx-mod-nchan, redis-server)",
               programs[i]);
  nginx_program = nginx;
  redis_program = redis_server;
  deploy_dir = deploy;
  signal (SIGABRT, kill_groups_and_abort);
  signal (SIGTERM, kill_groups_and_abort);
  signal (SIGTRAP, kill_groups_and_abort);
}
