/* bench-feed-fanout.c — fan-out of a vote to 200 and 1,000 WebSocket subscribers.
 *
 * The parent process is the server: a hub and an RcFeedServer on 127.0.0.1 with the
 * General Assembly meeting of 2 March 2022 from the demo archive (session, A/RES/ES-11/1
 * scheduled, on air, opened). For each subscriber count it spawns a child of this
 * binary (`--clients N URL LAST-SEQ`) holding N light WebSocket clients (one
 * SoupSession, subprotocol rollcall.v1; each message's seq read from the JSON text, not
 * decoded further). Once every client has its snapshot the parent publishes a vote of
 * 193 ballots at 200 a second, keeping each ballot's publish time (monotonic: the same
 * clock in both processes). The child notes, per seq, when the LAST of its clients
 * received it, and prints that when every client has the last ballot. Reported per
 * count: publish → last subscriber (p50, p99, max), and the server process's VmRSS
 * before the subscribers came, with them, and its peak (VmHWM).
 *
 * The soft RLIMIT_NOFILE is raised to the hard limit first (the child inherits it).
 * Prints a Markdown table; appends it to $ROLLCALL_BENCH_OUT when set. */
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "feed/rc-feed-hub.h"
#include "feed/rc-feed-server.h"
#include "model/rc-vote.h"
#include "../rc-bench-out.h"
#include "rc-bench-util.h"

#define N_BALLOTS 193
#define RATE 200.0

static void
raise_nofile (void)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
    {
      rl.rlim_cur = rl.rlim_max;
      setrlimit (RLIMIT_NOFILE, &rl);
    }
}

/* ================================================================ the child: clients */

typedef struct {
  guint n;
  gint64 last_seq;    /* the seq every client must reach */
  guint n_open;
  guint n_synced;     /* got a snapshot */
  guint n_done;       /* reached last_seq */
  guint n_failed;
  guint n_started;
  gboolean ready_said;
  SoupSession *session;
  char *feed;
  struct _Sub *subs;
  GArray *last_recv;  /* gint64 per seq: latest receive time over clients */
  GArray *n_recv;     /* guint per seq */
} Clients;

typedef struct _Sub {
  Clients *all;
  SoupWebsocketConnection *ws;
  gint64 seq;
  gboolean synced;
} Sub;

static gint64
message_seq (const char *text, gsize len, gboolean *snapshot)
{
  const char *p = g_strstr_len (text, MIN (len, 200), "\"seq\":");

  *snapshot = g_str_has_prefix (text, "{\"v\":1,\"type\":\"snapshot\"");
  return p != NULL ? g_ascii_strtoll (p + strlen ("\"seq\":"), NULL, 10) : -1;
}

static void
check_ready (Clients *all)
{
  if (!all->ready_said && all->n_synced + all->n_failed == all->n)
    {
      printf ("ready %u %u\n", all->n_synced, all->n_failed);
      fflush (stdout);
      all->ready_said = TRUE;
    }
}

static void
on_sub_message (SoupWebsocketConnection *ws, gint type, GBytes *message, Sub *s)
{
  gint64 now = g_get_monotonic_time ();
  gsize len;
  const char *text = g_bytes_get_data (message, &len);
  gboolean snapshot;
  gint64 seq = message_seq (text, len, &snapshot);
  Clients *all = s->all;

  if (snapshot)
    {
      s->seq = seq;
      if (!s->synced)
        {
          s->synced = TRUE;
          all->n_synced++;
          check_ready (all);
        }
      return;
    }
  if (seq <= 0) /* heartbeat */
    return;
  s->seq = seq;
  if ((gint64) all->last_recv->len <= seq)
    {
      g_array_set_size (all->last_recv, seq + 1);
      g_array_set_size (all->n_recv, seq + 1);
    }
  g_array_index (all->last_recv, gint64, seq) = MAX (g_array_index (all->last_recv, gint64, seq), now);
  g_array_index (all->n_recv, guint, seq)++;
  if (seq == all->last_seq)
    all->n_done++;
}

static void
on_sub_closed (SoupWebsocketConnection *ws, Sub *s)
{
  if (s->seq < s->all->last_seq)
    {
      g_printerr ("client closed at seq %" G_GINT64_FORMAT " (code %u)\n", s->seq,
                  soup_websocket_connection_get_close_code (ws));
      s->all->n_failed++;
      check_ready (s->all);
    }
}

static void
on_sub_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Sub *s = data;
  g_autoptr (GError) error = NULL;

  s->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (s->ws == NULL)
    {
      g_printerr ("client: %s\n", error->message);
      s->all->n_failed++;
      check_ready (s->all);
      return;
    }
  soup_websocket_connection_set_max_incoming_payload_size (s->ws, 0);
  soup_websocket_connection_set_keepalive_interval (s->ws, 0);
  g_signal_connect (s->ws, "message", G_CALLBACK (on_sub_message), s);
  g_signal_connect (s->ws, "closed", G_CALLBACK (on_sub_closed), s);
  s->all->n_open++;
}

static void
start_next (Clients *all)
{
  const char *protocols[] = { "rollcall.v1", NULL };
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", all->feed);
  Sub *s = &all->subs[all->n_started++];

  s->all = all;
  soup_session_websocket_connect_async (all->session, msg, NULL, (char **) protocols,
                                        G_PRIORITY_DEFAULT, NULL, on_sub_connected, s);
}

static int
run_clients (guint n, const char *url, gint64 last_seq)
{
  g_autoptr (SoupSession) session = NULL;
  g_autofree char *feed = g_strdup_printf ("%s/v1/feed", url);
  Clients all = { .n = n, .last_seq = last_seq };
  Sub *subs = g_new0 (Sub, n);
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  raise_nofile ();
  all.last_recv = g_array_new (FALSE, TRUE, sizeof (gint64));
  all.n_recv = g_array_new (FALSE, TRUE, sizeof (guint));
  session = soup_session_new_with_options ("max-conns", (int) n + 16, "max-conns-per-host",
                                           (int) n + 16, "timeout", 60, NULL);

  all.session = session;
  all.feed = feed;
  all.subs = subs;
  /* All at once, as a hall's boards come back after a restart: the server's listen
   * backlog (4,096) holds their handshakes. */
  for (guint i = 0; i < n; i++)
    start_next (&all);

  while (all.n_done + all.n_failed < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  for (gint64 seq = 1; seq < (gint64) all.last_recv->len; seq++)
    if (g_array_index (all.n_recv, guint, seq) > 0)
      printf ("seq %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %u\n", seq,
              g_array_index (all.last_recv, gint64, seq), g_array_index (all.n_recv, guint, seq));
  printf ("done %u %u %" G_GINT64_FORMAT "\n", all.n_done, all.n_failed, rc_bench_status_kb ("VmHWM"));
  fflush (stdout);

  for (guint i = 0; i < n; i++)
    if (subs[i].ws != NULL)
      {
        g_signal_handlers_disconnect_by_data (subs[i].ws, &subs[i]);
        g_object_unref (subs[i].ws);
      }
  g_free (subs);
  return all.n_done == n ? 0 : 1;
}

/* ================================================================ the parent: server */

typedef struct {
  RcFeedHub *hub;
  RcFeedServer *server;
  char *vote_id;
  GPtrArray *members;
  gint64 rss_idle_kb;
} Server;

typedef struct {
  guint n;
  gboolean ready;
  gboolean done;
  gboolean failed;
  guint n_synced, n_failed, n_done;
  gint64 child_hwm_kb;
  GArray *recv;     /* gint64 per seq, 0 if none */
  GArray *n_recv;   /* guint per seq */
  GDataInputStream *in;
  GError *error;
} Run;

static void read_next (Run *run);

static void
on_line (GObject *source, GAsyncResult *result, gpointer data)
{
  Run *run = data;
  g_autofree char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source),
                                                                result, NULL, &run->error);

  if (line == NULL)
    {
      if (!run->done)
        run->failed = TRUE;
      return;
    }
  if (g_str_has_prefix (line, "ready "))
    {
      sscanf (line, "ready %u %u", &run->n_synced, &run->n_failed);
      run->ready = TRUE;
    }
  else if (g_str_has_prefix (line, "seq "))
    {
      gint64 seq, t;
      guint count;

      if (sscanf (line, "seq %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %u", &seq, &t, &count) == 3 &&
          seq > 0)
        {
          if ((gint64) run->recv->len <= seq)
            {
              g_array_set_size (run->recv, seq + 1);
              g_array_set_size (run->n_recv, seq + 1);
            }
          g_array_index (run->recv, gint64, seq) = t;
          g_array_index (run->n_recv, guint, seq) = count;
        }
    }
  else if (g_str_has_prefix (line, "done "))
    {
      sscanf (line, "done %u %u %" G_GINT64_FORMAT, &run->n_done, &run->n_failed, &run->child_hwm_kb);
      run->done = TRUE;
      return;
    }
  read_next (run);
}

static void
read_next (Run *run)
{
  g_data_input_stream_read_line_async (run->in, G_PRIORITY_DEFAULT, NULL, on_line, run);
}

/* The demo's meeting up to the opening of its vote. */
static void
publish_setup (Server *srv)
{
  srv->members = rc_bench_publish_demo_opening (srv->hub, "bench-feed-fanout", &srv->vote_id);
}

static const RcChoice cycle[] = { RC_CHOICE_YES, RC_CHOICE_NO, RC_CHOICE_ABSTAIN };

typedef struct {
  double p50, p99, max;
  guint n_events;
  guint n_complete; /* events every subscriber received */
  guint n_synced;
  gint64 rss_with_kb;
  gint64 hwm_kb;
  gint64 child_hwm_kb;
  double connect_s;
} Result;

static gboolean
one_count (Server *srv, const char *self_path, guint n, guint round, Result *res)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) child = NULL;
  g_autofree char *url = rc_feed_server_get_url (srv->server);
  g_autofree char *n_text = g_strdup_printf ("%u", n);
  gint64 first_seq = rc_feed_hub_get_last_seq (srv->hub) + 1;
  gint64 last_seq = first_seq + N_BALLOTS - 1;
  g_autofree char *last_text = g_strdup_printf ("%" G_GINT64_FORMAT, last_seq);
  g_autoptr (GArray) publish_us = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_autoptr (GArray) lat = g_array_new (FALSE, FALSE, sizeof (double));
  Run run = { .n = n };
  gint64 start, deadline, t0;
  guint k = 0;

  run.recv = g_array_new (FALSE, TRUE, sizeof (gint64));
  run.n_recv = g_array_new (FALSE, TRUE, sizeof (guint));
  t0 = g_get_monotonic_time ();
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_path, "--clients",
                            n_text, url, last_text, NULL);
  if (child == NULL)
    {
      g_printerr ("bench-feed-fanout: %s\n", error->message);
      return FALSE;
    }
  run.in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  read_next (&run);

  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!run.ready && !run.failed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!run.ready)
    {
      g_printerr ("bench-feed-fanout: %u clients did not all connect\n", n);
      g_subprocess_force_exit (child);
      return FALSE;
    }
  res->connect_s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  res->n_synced = run.n_synced;

  /* a moment for the connections to settle */
  deadline = g_get_monotonic_time () + 300 * 1000;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (500), TRUE);

  g_array_set_size (publish_us, last_seq + 1);
  start = g_get_monotonic_time ();
  while (k < N_BALLOTS)
    {
      gint64 now = g_get_monotonic_time ();
      guint due = MIN (N_BALLOTS, (guint) ((double) (now - start) / G_USEC_PER_SEC * RATE) + 1);

      while (k < due)
        {
          guint m = srv->members->len;
          guint index = round * N_BALLOTS + k;
          g_autoptr (RcEvent) event =
            rc_event_new_ballot (0, srv->vote_id, g_ptr_array_index (srv->members, index % m),
                                 cycle[(index / m) % G_N_ELEMENTS (cycle)]);
          g_autoptr (RcEvent) published = NULL;
          gint64 t = g_get_monotonic_time ();

          if ((published = rc_feed_hub_publish (srv->hub, event, &error)) == NULL)
            {
              g_printerr ("bench-feed-fanout: ballot refused: %s\n", error->message);
              exit (1);
            }
          g_array_index (publish_us, gint64, published->seq) = t;
          k++;
        }
      /* serve the clients until the next ballot is due */
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (g_get_monotonic_time () < start + (gint64) (k * G_USEC_PER_SEC / RATE))
        g_usleep (200);
    }
  res->rss_with_kb = rc_bench_status_kb ("VmRSS");

  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!run.done && !run.failed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  res->hwm_kb = rc_bench_status_kb ("VmHWM");
  res->child_hwm_kb = run.child_hwm_kb;
  g_subprocess_wait (child, NULL, NULL);
  if (!run.done)
    {
      g_printerr ("bench-feed-fanout: the clients did not finish (%u of %u done)\n", run.n_done, n);
      return FALSE;
    }

  res->n_events = N_BALLOTS;
  for (gint64 seq = first_seq; seq <= last_seq; seq++)
    {
      gint64 t = seq < (gint64) run.recv->len ? g_array_index (run.recv, gint64, seq) : 0;
      guint count = seq < (gint64) run.n_recv->len ? g_array_index (run.n_recv, guint, seq) : 0;
      double ms;

      if (t == 0)
        continue;
      if (count == n)
        res->n_complete++;
      ms = (double) (t - g_array_index (publish_us, gint64, seq)) / 1000.0;
      g_array_append_val (lat, ms);
    }
  rc_bench_sort (lat);
  res->p50 = rc_bench_percentile (lat, 50);
  res->p99 = rc_bench_percentile (lat, 99);
  res->max = rc_bench_percentile (lat, 100);

  /* let the server see the clients go */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (rc_feed_server_get_n_clients (srv->server) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);

  g_array_unref (run.recv);
  g_array_unref (run.n_recv);
  g_object_unref (run.in);
  g_clear_error (&run.error);
  return TRUE;
}

int
main (int argc, char *argv[])
{
  static const guint counts[] = { 200, 1000 };
  Server srv = { 0 };
  Result results[G_N_ELEMENTS (counts)] = { 0 };
  gboolean ok[G_N_ELEMENTS (counts)] = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *when = NULL;
  g_autofree char *where = NULL;
  g_autofree char *self_path = NULL;
  struct rlimit rl;
  GString *t;

  if (argc == 5 && strcmp (argv[1], "--clients") == 0)
    return run_clients ((guint) atoi (argv[2]), argv[3], g_ascii_strtoll (argv[4], NULL, 10));

  raise_nofile ();
  getrlimit (RLIMIT_NOFILE, &rl);
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path == NULL)
    self_path = g_strdup (argv[0]);

  srv.hub = rc_feed_hub_new ("bench", NULL, NULL, &error);
  if (srv.hub == NULL || (srv.server = rc_feed_server_new (srv.hub, NULL, &error)) == NULL ||
      !rc_feed_server_listen (srv.server, "127.0.0.1", 0, &error))
    {
      g_printerr ("bench-feed-fanout: %s\n", error->message);
      return 1;
    }
  rc_feed_server_set_max_clients (srv.server, 4096);
  publish_setup (&srv);
  srv.rss_idle_kb = rc_bench_status_kb ("VmRSS");

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < counts[i] + 64)
        {
          g_printerr ("bench-feed-fanout: RLIMIT_NOFILE %lu is too low for %u clients\n",
                      (unsigned long) rl.rlim_cur, counts[i]);
          continue;
        }
      ok[i] = one_count (&srv, self_path, counts[i], i, &results[i]);
    }

  now = g_date_time_new_now_local ();
  when = g_date_time_format (now, "%Y-%m-%d %H:%M");
  where = rc_bench_machine ();
  t = g_string_new ("### Fan-out over WebSocket (loopback)\n\n");
  g_string_append_printf (t,
                          "%s, %s. Server: one process (hub in memory + RcFeedServer, "
                          "127.0.0.1); subscribers: light SoupSession WebSocket clients in one "
                          "child process. A vote of %u ballots published at %.0f/s; latency = "
                          "publish → the LAST subscriber receiving the event (monotonic clock "
                          "shared by both processes). Server VmRSS: %.1f MB before any "
                          "subscriber.\n\n",
                          when, where, N_BALLOTS, RATE, srv.rss_idle_kb / 1024.0);
  g_string_append (t, "| subscribers | connect + snapshot | events (all received) | "
                      "to last subscriber p50 | p99 | max | server VmRSS with them | "
                      "server VmHWM | clients' process VmHWM |\n");
  g_string_append (t, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      Result *r = &results[i];

      if (!ok[i])
        {
          g_string_append_printf (t, "| %u | failed (see the log) | | | | | | | |\n", counts[i]);
          continue;
        }
      g_string_append_printf (t, "| %u | %.2f s | %u (%u) | %.2f ms | %.2f ms | %.2f ms | "
                              "%.1f MB | %.1f MB | %.1f MB |\n",
                              counts[i], r->connect_s, r->n_events, r->n_complete, r->p50,
                              r->p99, r->max, r->rss_with_kb / 1024.0, r->hwm_kb / 1024.0,
                              r->child_hwm_kb / 1024.0);
    }
  g_string_append (t, "\n");
  fputs (t->str, stdout);
  fflush (stdout);
  rc_bench_append_out ("bench-feed-fanout", t->str);
  g_string_free (t, TRUE);
  rc_feed_server_shutdown (srv.server);
  return ok[0] && ok[1] ? 0 : 1;
}
