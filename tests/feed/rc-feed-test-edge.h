/* rc-feed-test-edge.h — nginx + nchan edges and Redis as the tests start them
 * (docs/deploy.md): each on loopback with a prefix of its own in a temporary folder,
 * from the configuration the project ships (data/deploy/; only its listen lines,
 * Redis's address and nginx's temporary folders are rewritten), in a process group of
 * its own so that a SIGKILL takes nginx's workers too, as a machine's crash would. A
 * test that aborts takes the groups it started with it. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char *dir;
  guint port;
  GSubprocess *process;
} RcTestRedis;

typedef struct {
  char *dir;
  guint public_port, publish_port, hop_port;
  GSubprocess *process;
} RcTestEdge;

/* Where the programs and the shipped configuration are; the test fails with a one-line
 * reason when nginx or redis-server is not an executable (./run installs them). Also
 * makes an abort (a failed assertion) kill every group started. */
void rc_test_edge_init (const char *nginx, const char *redis_server, const char *deploy_dir);

/* A Redis in dir/redis on a free port, started. */
RcTestRedis *rc_test_redis_new (const char *dir);
void rc_test_redis_start (RcTestRedis *redis);
/* SIGKILL to its group, and waits. */
void rc_test_redis_kill (RcTestRedis *redis);
void rc_test_redis_free (RcTestRedis *redis);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcTestRedis, rc_test_redis_free)

/* An edge in dir/name on free ports, its channels in its memory (redis NULL) or in
 * redis; started. */
RcTestEdge *rc_test_edge_new (const char *dir, const char *name, RcTestRedis *redis);
/* The same with `workers` nginx workers instead of the shipped configuration's (0). */
RcTestEdge *rc_test_edge_new_workers (const char *dir, const char *name, RcTestRedis *redis,
                                      guint workers);
void rc_test_edge_start (RcTestEdge *edge);
void rc_test_edge_kill (RcTestEdge *edge);
void rc_test_edge_free (RcTestEdge *edge);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcTestEdge, rc_test_edge_free)
/* "http://127.0.0.1:PORT", the public side; the publisher's prefix for --publish. */
char *rc_test_edge_url (RcTestEdge *edge);
char *rc_test_edge_publish_url (RcTestEdge *edge);

G_END_DECLS
