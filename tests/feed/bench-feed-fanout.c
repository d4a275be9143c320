/* bench-feed-fanout.c — a vote to 1,000 and 10,000 subscribers, as a hall and the
 * public have them (issue 12): directly from the origin and through nginx + nchan edges.
 *
 *   bench-feed-fanout ROLLCALL-FEED BENCH-SUBSCRIBERS NGINX REDIS-SERVER DEPLOY-DIR
 *
 * Each case starts what a hall runs, as separate processes on loopback: `rollcall-feed
 * --live` (a new journal), for the edge cases an nginx + nchan edge with the shipped
 * configuration (data/deploy/, one or two workers; Redis for the Redis case) that the
 * origin publishes to (`--publish`). A clerk's requests open the General Assembly's vote
 * of 2 March 2022 (the roster of the day from the server's data files), then the
 * subscribers connect, all at once (bench-subscribers: N connections in one process,
 * SSE or WebSocket), and once each has answered the clerk posts 193 ballots through the
 * control API at 200 a second, keeping when each request went and how long its answer
 * took. The subscribers' process says, per seq, when the last of them received it (the
 * same monotonic clock).
 *
 * Reported per case: how long connecting took; publish (the request sent) → last
 * subscriber, p50 / p99 / max; the vote's delivery (first ballot sent → last ballot at
 * the last subscriber); the CPU the origin and the edge (nginx's processes, Redis) took
 * during the vote per message delivered to a subscriber; the origin's peak RSS and the
 * edge's (PSS, summed over its processes); the control API's answers p50 / p99.
 *
 * ROLLCALL_FANOUT=ID,ID… runs only those cases (ids below, e.g. origin-sse-1000).
 * Prints a Markdown table; appends it to $ROLLCALL_BENCH_OUT when set. */
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../rc-bench-out.h"
#include "rc-archive-test-util.h"
#include "rc-bench-util.h"
#include "rc-feed-test-edge.h"
#include "rc-feed-test-program.h"

#define N_BALLOTS 193
#define RATE 200.0
#define VOTE "es-11-1"
#define TOKEN "0123456789abcdef0123456789abcdef"

typedef struct {
  const char *id;
  const char *where;
  const char *transport; /* "sse", "ws" */
  guint n;
  guint workers; /* 0: directly from the origin */
  gboolean redis;
} Case;

static const Case cases[] = {
  { "origin-none", "origin", "-", 0, 0, FALSE },
  { "origin-ws-1000", "origin", "ws", 1000, 0, FALSE },
  { "origin-sse-1000", "origin", "sse", 1000, 0, FALSE },
  { "origin-ws-10000", "origin", "ws", 10000, 0, FALSE },
  { "origin-sse-10000", "origin", "sse", 10000, 0, FALSE },
  { "edge1-sse-1000", "edge, 1 worker", "sse", 1000, 1, FALSE },
  { "edge1-sse-10000", "edge, 1 worker", "sse", 10000, 1, FALSE },
  { "edge2-sse-1000", "edge, 2 workers", "sse", 1000, 2, FALSE },
  { "edge2-ws-1000", "edge, 2 workers", "ws", 1000, 2, FALSE },
  { "edge2-sse-10000", "edge, 2 workers", "sse", 10000, 2, FALSE },
  { "redis-sse-1000", "edge, 2 workers, Redis", "sse", 1000, 2, TRUE },
  { "redis-sse-10000", "edge, 2 workers, Redis", "sse", 10000, 2, TRUE },
};

static const char *feed_program, *subscribers_program;

/* ================================================================ other processes */

/* Field `n` (numbered as in proc(5): 5 is pgrp, 14 utime, 15 stime) of a process's
 * /proc/PID/stat; -1 if it is gone. */
static gint64
stat_field (pid_t pid, guint n)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
    return -1;
  /* after ") " comes field 3 (state) */
  fields = g_strsplit (after + 2, " ", (gint) n);
  if (g_strv_length (fields) < n - 2)
    return -1;
  return g_ascii_strtoll (fields[n - 3], NULL, 10);
}

/* utime + stime, in clock ticks; -1 if it is gone. */
static gint64
process_ticks (pid_t pid)
{
  gint64 user = stat_field (pid, 14), system = stat_field (pid, 15);

  return user < 0 || system < 0 ? -1 : user + system;
}

/* A "VmHWM"-style field of a process's status, or a "Pss" of its smaps_rollup, in kB. */
static gint64
process_kb (pid_t pid, const char *file, const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", pid, file);
  g_autofree char *text = NULL;
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, key)) == NULL)
    return 0;
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}

/* The processes of the groups led by `leaders` (nginx's master and workers, Redis). */
static GArray *
group_members (const pid_t *leaders, guint n)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      pid_t pid = (pid_t) g_ascii_strtoll (name, NULL, 10);
      pid_t group;

      if (pid <= 0)
        continue;
      group = (pid_t) stat_field (pid, 5);
      for (guint i = 0; i < n; i++)
        if (leaders[i] > 0 && group == leaders[i])
          g_array_append_val (pids, pid);
    }
  return pids;
}

static gint64
ticks_of (GArray *pids)
{
  gint64 sum = 0;

  for (guint i = 0; i < pids->len; i++)
    sum += MAX (0, process_ticks (g_array_index (pids, pid_t, i)));
  return sum;
}

static gint64
pss_of (GArray *pids)
{
  gint64 sum = 0;

  for (guint i = 0; i < pids->len; i++)
    sum += process_kb (g_array_index (pids, pid_t, i), "smaps_rollup", "Pss");
  return sum;
}

static pid_t
pid_of (GSubprocess *process)
{
  const char *id = process != NULL ? g_subprocess_get_identifier (process) : NULL;

  return id != NULL ? (pid_t) g_ascii_strtoll (id, NULL, 10) : -1;
}

/* ================================================================ the subscribers */

typedef struct {
  GDataInputStream *in;
  gboolean ready, done, failed;
  guint n_open, n_failed, n_done;
  gint64 connect_us;
  guint64 gaps, repeats;
  GArray *recv;   /* gint64 per seq, 0 if none */
  GArray *n_recv; /* guint per seq */
} Subscribers;

static void read_next (Subscribers *s);

static void
on_line (GObject *source, GAsyncResult *result, gpointer data)
{
  Subscribers *s = data;
  g_autofree char *line
    = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  gint64 seq, t;
  guint count, hwm, cpu;

  if (line == NULL)
    {
      s->failed = !s->done;
      return;
    }
  if (sscanf (line, "ready %u %u %" G_GINT64_FORMAT, &s->n_open, &s->n_failed, &s->connect_us) == 3)
    s->ready = TRUE;
  else if (sscanf (line, "seq %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %u", &seq, &t, &count) == 3
           && seq > 0 && seq < 1000000)
    {
      if ((gint64) s->recv->len <= seq)
        {
          g_array_set_size (s->recv, seq + 1);
          g_array_set_size (s->n_recv, seq + 1);
        }
      g_array_index (s->recv, gint64, seq) = t;
      g_array_index (s->n_recv, guint, seq) = count;
    }
  else if (sscanf (line, "done %u %u %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %u %u", &s->n_done,
                   &s->n_failed, &s->gaps, &s->repeats, &hwm, &cpu)
           == 6)
    {
      s->done = TRUE;
      return;
    }
  read_next (s);
}

static void
read_next (Subscribers *s)
{
  g_data_input_stream_read_line_async (s->in, G_PRIORITY_DEFAULT, NULL, on_line, s);
}

/* ================================================================ the clerk */

typedef struct {
  SoupSession *http;
  const char *url;
  guint in_flight;
  GArray *sent_us;   /* gint64 per seq: when its request went */
  GArray *answer_ms; /* double per ballot */
  guint n_refused;
} Clerk;

typedef struct {
  Clerk *clerk;
  gint64 sent;
} Ballot;

static void
on_ballot_answered (GObject *source, GAsyncResult *result, gpointer data)
{
  Ballot *b = data;
  Clerk *clerk = b->clerk;
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  double ms = (g_get_monotonic_time () - b->sent) / 1000.0;
  const char *text = body != NULL ? g_bytes_get_data (body, NULL) : NULL;
  const char *seq_at;

  clerk->in_flight--;
  g_array_append_val (clerk->answer_ms, ms);
  if (msg == NULL || soup_message_get_status (msg) != SOUP_STATUS_CREATED || text == NULL
      || (seq_at = g_strstr_len (text, g_bytes_get_size (body), "\"seq\":")) == NULL)
    clerk->n_refused++;
  else
    {
      gint64 seq = g_ascii_strtoll (seq_at + strlen ("\"seq\":"), NULL, 10);

      if (seq > 0 && seq < 1000000)
        {
          if ((gint64) clerk->sent_us->len <= seq)
            g_array_set_size (clerk->sent_us, seq + 1);
          g_array_index (clerk->sent_us, gint64, seq) = b->sent;
        }
    }
  g_free (b);
}

static void
post_ballot (Clerk *clerk, const char *member, const char *choice)
{
  g_autofree char *uri = g_strdup_printf ("%s/v1/votes/" VOTE "/ballots", clerk->url);
  g_autofree char *body = g_strdup_printf ("{\"member\":\"%s\",\"choice\":\"%s\"}", member, choice);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
  Ballot *b = g_new0 (Ballot, 1);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " TOKEN);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  b->clerk = clerk;
  b->sent = g_get_monotonic_time ();
  clerk->in_flight++;
  soup_session_send_and_read_async (clerk->http, msg, G_PRIORITY_DEFAULT, NULL, on_ballot_answered,
                                    b);
}

/* The last seq the feed has (its snapshot's). */
static gint64
feed_seq (SoupSession *http, const char *url)
{
  g_autofree char *snapshot = rc_test_get_snapshot (http, url);
  const char *seq_at = strstr (snapshot, "\"seq\":");

  g_assert_nonnull (seq_at);
  return g_ascii_strtoll (seq_at + strlen ("\"seq\":"), NULL, 10);
}

/* ================================================================ one case */

typedef struct {
  gboolean ok;
  double connect_s;
  guint n_open;
  double p50, p99, max;
  double delivery_s;
  guint n_complete; /* ballots every subscriber received */
  guint64 gaps, repeats;
  double origin_us_per_msg, edge_us_per_msg;
  gint64 origin_hwm_kb, edge_pss_kb;
  double api_p50, api_p99, api_max;
  guint n_refused;
} Result;

static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (500);
}

static void
run_case (const Case *c, Result *res)
{
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autofree char *token_file = g_build_filename (dir, "token", NULL);
  g_autofree char *journal = g_build_filename (dir, "journal.rollcall", NULL);
  g_autoptr (RcTestRedis) redis = NULL;
  g_autoptr (RcTestEdge) edge = NULL;
  g_autoptr (RcTestProgram) origin = NULL;
  g_autoptr (SoupSession) http = NULL;
  g_autoptr (GPtrArray) members = NULL;
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *publish = NULL;
  g_autofree char *public_url = NULL;
  const char *cycle[] = { "yes", "no", "abstain" };
  Subscribers subs = { 0 };
  Clerk clerk = { 0 };
  gint64 first_seq, last_seq, start, deadline;
  gint64 origin_ticks, edge_ticks;
  g_autoptr (GArray) edge_pids = NULL;
  g_autoptr (GArray) lat = g_array_new (FALSE, FALSE, sizeof (double));
  pid_t origin_pid, leaders[2] = { -1, -1 };
  double tick_us = 1e6 / sysconf (_SC_CLK_TCK);
  guint k = 0;

  memset (res, 0, sizeof *res);
  g_assert_true (g_file_set_contents (token_file, TOKEN "\n", -1, NULL));
  g_assert_cmpint (chmod (token_file, 0600), ==, 0);
  if (c->workers > 0)
    {
      if (c->redis)
        redis = rc_test_redis_new (dir);
      edge = rc_test_edge_new_workers (dir, "edge", redis, c->workers);
      publish = rc_test_edge_publish_url (edge);
      public_url = rc_test_edge_url (edge);
      leaders[0] = pid_of (edge->process);
      leaders[1] = redis != NULL ? pid_of (redis->process) : -1;
    }
  {
    const char *argv[] = { feed_program,
                           "--live",
                           "--token-file",
                           token_file,
                           "--journal",
                           journal,
                           "--port",
                           "0",
                           "--max-clients",
                           "20000",
                           publish != NULL ? "--publish" : NULL,
                           publish,
                           NULL };

    origin = rc_test_program_start (argv, NULL);
  }
  origin_pid = pid_of (origin->process);
  if (public_url == NULL)
    public_url = g_strdup (origin->url);
  http = soup_session_new_with_options ("max-conns", 16, "max-conns-per-host", 16, "timeout", 30,
                                        NULL);
  members = rc_test_open_ga_vote (http, origin->url, TOKEN, "bench-2022-03-02", VOTE);
  first_seq = feed_seq (http, origin->url) + 1;
  last_seq = first_seq + N_BALLOTS - 1;

  if (c->n > 0)
    {
      g_autofree char *n_text = g_strdup_printf ("%u", c->n);
      g_autofree char *last_text = g_strdup_printf ("%" G_GINT64_FORMAT, last_seq);

      /* An edge's channel has the origin's snapshot and first heartbeat before the
       * public comes (a subscriber to a Redis edge's channel that has none yet may
       * wait for ever: docs/deploy.md). */
      if (c->workers > 0)
        spin (2000);
      subs.recv = g_array_new (FALSE, TRUE, sizeof (gint64));
      subs.n_recv = g_array_new (FALSE, TRUE, sizeof (guint));
      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, subscribers_program,
                                c->transport, public_url, n_text, last_text, "150", NULL);
      g_assert_no_error (error);
      subs.in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
      read_next (&subs);
      deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
      while (!subs.ready && !subs.failed && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      if (!subs.ready || subs.n_failed > 0)
        {
          g_printerr ("bench-feed-fanout: %s: %u of %u subscribers connected\n", c->id, subs.n_open,
                      c->n);
          g_subprocess_force_exit (child);
          return;
        }
      res->connect_s = subs.connect_us / 1e6;
      res->n_open = subs.n_open;
      /* the snapshots taken, the connections settled */
      spin (1000);
    }

  edge_pids = group_members (leaders, G_N_ELEMENTS (leaders));
  origin_ticks = process_ticks (origin_pid);
  edge_ticks = ticks_of (edge_pids);
  clerk.http = http;
  clerk.url = origin->url;
  clerk.sent_us = g_array_new (FALSE, TRUE, sizeof (gint64));
  clerk.answer_ms = g_array_new (FALSE, FALSE, sizeof (double));
  start = g_get_monotonic_time ();
  while (k < N_BALLOTS)
    {
      guint due = MIN (N_BALLOTS, (guint) ((g_get_monotonic_time () - start) / 1e6 * RATE) + 1);

      for (; k < due; k++)
        post_ballot (&clerk, g_ptr_array_index (members, k % members->len), cycle[k % 3]);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (g_get_monotonic_time () < start + (gint64) (k * 1e6 / RATE))
        g_usleep (200);
    }
  deadline = g_get_monotonic_time () + 150 * G_USEC_PER_SEC;
  while ((clerk.in_flight > 0 || (child != NULL && !subs.done && !subs.failed))
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  res->origin_us_per_msg = (process_ticks (origin_pid) - origin_ticks) * tick_us;
  res->edge_us_per_msg = (ticks_of (edge_pids) - edge_ticks) * tick_us;
  res->origin_hwm_kb = process_kb (origin_pid, "status", "VmHWM");
  res->edge_pss_kb = pss_of (edge_pids);
  if (child != NULL)
    g_subprocess_wait (child, NULL, NULL);

  rc_bench_sort (clerk.answer_ms);
  res->api_p50 = rc_bench_percentile (clerk.answer_ms, 50);
  res->api_p99 = rc_bench_percentile (clerk.answer_ms, 99);
  res->api_max = rc_bench_percentile (clerk.answer_ms, 100);
  res->n_refused = clerk.n_refused + (N_BALLOTS - clerk.answer_ms->len);
  if (c->n == 0)
    {
      res->ok = res->n_refused == 0;
      goto out;
    }
  if (!subs.done)
    {
      g_printerr ("bench-feed-fanout: %s: the subscribers did not finish\n", c->id);
      goto out;
    }
  res->gaps = subs.gaps;
  res->repeats = subs.repeats;
  for (gint64 seq = first_seq; seq <= last_seq; seq++)
    {
      gint64 sent
        = seq < (gint64) clerk.sent_us->len ? g_array_index (clerk.sent_us, gint64, seq) : 0;
      gint64 got = seq < (gint64) subs.recv->len ? g_array_index (subs.recv, gint64, seq) : 0;
      guint count = seq < (gint64) subs.n_recv->len ? g_array_index (subs.n_recv, guint, seq) : 0;
      double ms;

      if (sent == 0 || got == 0)
        continue;
      ms = (got - sent) / 1000.0;
      g_array_append_val (lat, ms);
      if (count == c->n)
        res->n_complete++;
      res->delivery_s = MAX (res->delivery_s, (got - start) / 1e6);
    }
  rc_bench_sort (lat);
  res->p50 = rc_bench_percentile (lat, 50);
  res->p99 = rc_bench_percentile (lat, 99);
  res->max = rc_bench_percentile (lat, 100);
  {
    double delivered = (double) N_BALLOTS * c->n;

    res->origin_us_per_msg /= delivered;
    res->edge_us_per_msg /= delivered;
  }
  res->ok = res->n_complete == N_BALLOTS && res->n_refused == 0;
out:
  g_clear_object (&subs.in);
  g_clear_pointer (&subs.recv, g_array_unref);
  g_clear_pointer (&subs.n_recv, g_array_unref);
  g_array_unref (clerk.sent_us);
  g_array_unref (clerk.answer_ms);
  rc_test_program_kill (origin);
  g_clear_pointer (&edge, rc_test_edge_free);
  g_clear_pointer (&redis, rc_test_redis_free);
  rc_test_remove_tree (dir);
}

/* ================================================================ main */

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

static gboolean
wanted (const Case *c)
{
  const char *only = g_getenv ("ROLLCALL_FANOUT");
  g_auto (GStrv) ids = NULL;

  if (only == NULL || *only == '\0')
    return TRUE;
  ids = g_strsplit (only, ",", -1);
  return g_strv_contains ((const char *const *) ids, c->id);
}

int
main (int argc, char **argv)
{
  g_autoptr (GString) table = g_string_new (NULL);
  g_autofree char *machine = rc_bench_machine ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M UTC");
  struct rlimit rl;
  gboolean all_ok = TRUE;

  if (argc != 6)
    {
      g_printerr ("usage: bench-feed-fanout ROLLCALL-FEED BENCH-SUBSCRIBERS NGINX REDIS-SERVER "
                  "DEPLOY-DIR\n");
      return 2;
    }
  feed_program = argv[1];
  subscribers_program = argv[2];
  rc_test_edge_init (argv[3], argv[4], argv[5]);
  /* The protocol's own intervals (heartbeats, pings), as in a hall. */
  g_unsetenv ("ROLLCALL_FEED_TEST_TIMING");
  signal (SIGPIPE, SIG_IGN);
  raise_nofile ();
  getrlimit (RLIMIT_NOFILE, &rl);

  g_string_append_printf (
    table,
    "\n### Fan-out (bench-feed-fanout)\n\n%s; %s. 193 ballots at 200 a second through the "
    "control API; every process on this machine's cores, the subscribers' own too.\n\n"
    "| from | transport | subscribers | connected in | to the last subscriber p50 / p99 / max "
    "| vote delivered in | ballots to all | gaps / repeats | CPU per delivered message: origin / "
    "edge | origin peak RSS | edge PSS | control API answers p50 / p99 / max |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    date, machine);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autofree char *edge_cpu = NULL, *edge_mem = NULL;
      Result r;

      if (!wanted (c))
        continue;
      if (c->n > 0 && (rlim_t) c->n + 1100 > rl.rlim_cur)
        {
          g_string_append_printf (table, "| %s | %s | %u | (%lu descriptors allowed: not run) |\n",
                                  c->where, c->transport, c->n, (unsigned long) rl.rlim_cur);
          continue;
        }
      g_printerr ("bench-feed-fanout: %s…\n", c->id);
      run_case (c, &r);
      all_ok = all_ok && r.ok;
      edge_cpu = c->workers > 0 ? g_strdup_printf ("%.1f", r.edge_us_per_msg) : g_strdup ("—");
      edge_mem
        = c->workers > 0 ? g_strdup_printf ("%.1f MB", r.edge_pss_kb / 1024.0) : g_strdup ("—");
      if (c->n == 0)
        g_string_append_printf (table,
                                "| %s | — | none | | | | | | %.0f µs per ballot / — | %.1f MB | | "
                                "%.1f / %.1f / %.1f ms%s |\n",
                                c->where, r.origin_us_per_msg / N_BALLOTS, r.origin_hwm_kb / 1024.0,
                                r.api_p50, r.api_p99, r.api_max, r.n_refused ? " (refusals)" : "");
      else
        g_string_append_printf (
          table,
          "| %s | %s | %u | %.2f s | %.0f / %.0f / %.0f ms | %.2f s | %u of %u | %" G_GUINT64_FORMAT
          " / %" G_GUINT64_FORMAT " | %.1f / %s µs | %.1f MB | %s | %.1f / %.1f / %.1f ms%s |\n",
          c->where, g_str_equal (c->transport, "ws") ? "WebSocket" : "SSE", c->n, r.connect_s,
          r.p50, r.p99, r.max, r.delivery_s, r.n_complete, N_BALLOTS, r.gaps, r.repeats,
          r.origin_us_per_msg, edge_cpu, r.origin_hwm_kb / 1024.0, edge_mem, r.api_p50, r.api_p99,
          r.api_max, r.n_refused ? " (refusals)" : "");
    }
  g_string_append (table, "\n");
  fputs (table->str, stdout);
  rc_bench_append_out ("bench-feed-fanout", table->str);
  return all_ok ? 0 : 1;
}
