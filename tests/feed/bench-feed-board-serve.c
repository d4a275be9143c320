/* bench-feed-board-serve.c — bench-feed-board's other process: the feed server.
 *
 *   bench-feed-board serve latency|flood EVENTS-A-SECOND
 *
 * A hub and an RcFeedServer on 127.0.0.1 (any free port) with the demo's General
 * Assembly meeting opened; ballots from a timer once told "go"; the protocol on its
 * stdin and stdout is described at the top of bench-feed-board.c. */
#include <gio/gio.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "bench-feed-board.h"
#include "feed/rc-feed-hub.h"
#include "feed/rc-feed-server.h"
#include "model/rc-vote.h"
#include "rc-bench-util.h"

static const RcChoice cycle[] = { RC_CHOICE_YES, RC_CHOICE_NO, RC_CHOICE_ABSTAIN };

typedef struct {
  gboolean flood;
  double rate; /* events a second */

  RcFeedHub *hub;
  RcFeedServer *server;
  char *vote_id;
  GPtrArray *members; /* eligible member codes */
  GString *commands;  /* from stdin, not yet a whole line */
  GMainLoop *loop;

  GArray *publish_us; /* gint64, indexed by seq (0 when not a timed ballot) */
  gint64 n_published; /* ballots */
  gint64 start_us;    /* of publishing */
  gint64 end_us;
  gboolean started;
  gboolean publishing;
  GArray *rss_kb; /* gint64: at the start, each second while publishing, at the end */
  gsize max_backlog;
} Server;

static void
publish_ballot (Server *s)
{
  guint n = s->members->len;
  gint64 k = s->n_published;
  const char *member = g_ptr_array_index (s->members, k % n);
  RcChoice choice = cycle[(k / n) % G_N_ELEMENTS (cycle)];
  g_autoptr (RcEvent) event = rc_event_new_ballot (0, s->vote_id, member, choice);
  g_autoptr (RcEvent) published = NULL;
  g_autoptr (GError) error = NULL;
  gint64 now = g_get_monotonic_time ();

  published = rc_feed_hub_publish (s->hub, event, &error);
  if (published == NULL)
    {
      g_printerr ("bench-feed-board serve: ballot %s refused: %s\n", member, error->message);
      exit (1);
    }
  if ((gint64) s->publish_us->len <= published->seq)
    g_array_set_size (s->publish_us, published->seq + 1);
  g_array_index (s->publish_us, gint64, published->seq) = now;
  s->n_published++;
}

static void
sample_rss (Server *s)
{
  gint64 rss = rc_bench_status_kb ("VmRSS");

  g_array_append_val (s->rss_kb, rss);
}

static gboolean
on_tick (gpointer data)
{
  Server *s = data;
  gint64 now = g_get_monotonic_time ();
  gint64 due;

  if (now - s->start_us >= RUN_SECONDS * G_USEC_PER_SEC)
    {
      s->publishing = FALSE;
      s->end_us = now;
      sample_rss (s);
      printf ("ended %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
              " %" G_GINT64_FORMAT "\n",
              s->start_us, s->end_us, rc_feed_hub_get_last_seq (s->hub), s->n_published);
      fflush (stdout);
      return G_SOURCE_REMOVE;
    }
  due = (gint64) ((double) (now - s->start_us) / G_USEC_PER_SEC * s->rate) + 1;
  while (s->n_published < due)
    publish_ballot (s);
  s->max_backlog = MAX (s->max_backlog, rc_feed_server_get_backlog_bytes (s->server));
  return G_SOURCE_CONTINUE;
}

static gboolean
on_server_second (gpointer data)
{
  Server *s = data;

  if (!s->publishing)
    return G_SOURCE_REMOVE;
  sample_rss (s);
  return G_SOURCE_CONTINUE;
}

/* Everything the board process joins after the run. */
static void
write_figures (Server *s)
{
  for (gint64 seq = 1; seq < (gint64) s->publish_us->len; seq++)
    if (g_array_index (s->publish_us, gint64, seq) != 0)
      printf ("ballot %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", seq,
              g_array_index (s->publish_us, gint64, seq));
  for (guint i = 0; i < s->rss_kb->len; i++)
    printf ("rss %" G_GINT64_FORMAT "\n", g_array_index (s->rss_kb, gint64, i));
  printf ("backlog %" G_GSIZE_FORMAT "\n", s->max_backlog);
  printf ("done %" G_GINT64_FORMAT "\n", s->n_published);
  fflush (stdout);
}

static void
finish (Server *s)
{
  write_figures (s);
  g_main_loop_quit (s->loop);
}

/* FALSE when finished */
static gboolean
command (Server *s, const char *line)
{
  if (strcmp (line, "quit") == 0)
    {
      finish (s);
      return FALSE;
    }
  if (strcmp (line, "go") != 0 || s->started)
    {
      g_printerr ("bench-feed-board serve: unexpected command \"%s\"\n", line);
      exit (1);
    }
  s->started = TRUE;
  s->publishing = TRUE;
  s->start_us = g_get_monotonic_time ();
  sample_rss (s);
  g_timeout_add (s->flood ? 10 : 5, on_tick, s);
  g_timeout_add (1000, on_server_second, s);
  return TRUE;
}

static gboolean
on_stdin (int fd, GIOCondition condition, gpointer data)
{
  Server *s = data;
  char buf[256];
  gssize n = read (fd, buf, sizeof buf);
  char *end;

  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return G_SOURCE_CONTINUE;
  if (n <= 0) /* stdin closed */
    {
      if (n < 0)
        g_printerr ("bench-feed-board serve: reading stdin: %s\n", g_strerror (errno));
      finish (s);
      return G_SOURCE_REMOVE;
    }
  g_string_append_len (s->commands, buf, n);
  while ((end = memchr (s->commands->str, '\n', s->commands->len)) != NULL)
    {
      g_autofree char *line = g_strndup (s->commands->str, end - s->commands->str);

      g_string_erase (s->commands, 0, end - s->commands->str + 1);
      if (!command (s, line))
        return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

int
bench_feed_board_serve (gboolean flood, double rate)
{
  Server s = { .flood = flood, .rate = rate };
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;

  /* stdout carries the protocol: GLib's messages go to stderr, and a parent gone
   * makes writes fail rather than kill us */
  g_log_writer_default_set_use_stderr (TRUE);
  signal (SIGPIPE, SIG_IGN);

  s.publish_us = g_array_new (FALSE, TRUE, sizeof (gint64));
  s.rss_kb = g_array_new (FALSE, FALSE, sizeof (gint64));
  s.hub = rc_feed_hub_new ("bench", NULL, NULL, &error);
  if (s.hub == NULL || (s.server = rc_feed_server_new (s.hub, NULL, &error)) == NULL
      || !rc_feed_server_listen (s.server, "127.0.0.1", 0, &error))
    {
      g_printerr ("bench-feed-board serve: %s\n", error->message);
      return 1;
    }
  s.members = rc_bench_publish_demo_opening (s.hub, "bench-feed-board serve", &s.vote_id);
  url = rc_feed_server_get_url (s.server);

  s.loop = g_main_loop_new (NULL, FALSE);
  s.commands = g_string_new (NULL);
  g_unix_fd_add (0, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, &s);
  printf ("ready %s %" G_GINT64_FORMAT " %u\n", url, rc_feed_hub_get_last_seq (s.hub),
          s.members->len);
  fflush (stdout);
  g_main_loop_run (s.loop);

  rc_feed_server_shutdown (s.server);
  g_object_unref (s.server);
  g_object_unref (s.hub);
  g_string_free (s.commands, TRUE);
  g_main_loop_unref (s.loop);
  g_ptr_array_unref (s.members);
  g_free (s.vote_id);
  g_array_unref (s.publish_us);
  g_array_unref (s.rss_kb);
  return 0;
}
