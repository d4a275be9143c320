/* bench-feed-board.c — feed event to painted frame on the board, and a flood.
 *
 * One process, as `./run` is: a hub and a server on 127.0.0.1, an RcFeedClient over
 * WebSocket, and a GtkWindow (1920×1080) with an RcBoardWidget showing the client's
 * session and following the on-air vote. The hub publishes the General Assembly
 * meeting of 2 March 2022 from the demo archive (session, A/RES/ES-11/1 scheduled, on
 * air, opened), then ballots from a timer: member after member, each round a new
 * choice (yes → no → abstain → yes…), so that every ballot changes a light.
 *
 *   bench-feed-board latency   200 ballots a second for 10 s. Each ballot's publish time
 *                              (monotonic) is kept; on the frame clock's "after-paint"
 *                              every ballot the client's session had applied by then
 *                              (rc_session_get_last_seq) and not yet counted was painted
 *                              in that frame: latency = after-paint − publish.
 *                              Target (BRIEF): p99 within a frame at 60 Hz (16.7 ms).
 *   bench-feed-board flood [N] N (10,000) events a second for 10 s (a batch from a 10 ms
 *                              timer): VmRSS each second, the server's backlog bytes,
 *                              the client's lag at the end, frame intervals.
 *
 * Prints a Markdown table; appends it to $ROLLCALL_BENCH_OUT when set. Needs a display
 * (Xvfb; GDK_BACKEND=x11 GSK_RENDERER=cairo from tests/meson.build's environment). */
#include <gtk/gtk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed/rc-feed-client.h"
#include "feed/rc-feed-hub.h"
#include "feed/rc-feed-server.h"
#include "model/rc-vote.h"
#include "rc-bench-util.h"
#include "ui/rc-board-widget.h"

#define RUN_SECONDS 10
#define TARGET_P99_MS 16.7

typedef struct {
  gboolean flood;
  double rate; /* events a second */

  RcFeedHub *hub;
  RcFeedServer *server;
  RcFeedClient *client;
  GtkWidget *window;
  GtkWidget *board;
  char *vote_id;
  GPtrArray *members; /* eligible member codes */

  GArray *publish_us; /* gint64, indexed by seq (0 when not a timed ballot) */
  gint64 first_ballot_seq;
  gint64 n_published;   /* ballots */
  gint64 start_us;      /* of publishing */
  gboolean publishing;
  gint64 end_publish_us;
  gint64 last_published_seq_at_end;
  gint64 client_seq_at_end;

  gint64 counted_seq; /* ballots up to this seq were counted as painted */
  gint64 before_paint_us;
  gint64 last_after_paint_us;
  GArray *latency_ms;  /* double */
  GArray *frame_ms;    /* double: before-paint → after-paint, while publishing */
  GArray *interval_ms; /* double: after-paint → after-paint, while publishing */
  guint n_frames;

  GArray *rss_kb; /* gint64, each second while publishing */
  gsize max_backlog;
  guint n_reconnects;
  guint n_refused;
  RcFeedClientState last_state;
} Bench;

static void
wait_until (gboolean (*cond) (Bench *), Bench *b, guint timeout_ms, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (b))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_printerr ("bench-feed-board: timed out waiting for %s\n", what);
          exit (1);
        }
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (500), TRUE);
}

/* ------------------------------------------------------------ the board's frames */

static void
on_before_paint (GdkFrameClock *clock, Bench *b)
{
  b->before_paint_us = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock, Bench *b)
{
  gint64 now = g_get_monotonic_time ();
  gint64 seq = rc_session_get_last_seq (rc_feed_client_get_session (b->client));

  if (b->publishing || seq > b->counted_seq)
    {
      double frame = (double) (now - b->before_paint_us) / 1000.0;

      g_array_append_val (b->frame_ms, frame);
      if (b->last_after_paint_us != 0 && b->publishing)
        {
          double interval = (double) (now - b->last_after_paint_us) / 1000.0;

          g_array_append_val (b->interval_ms, interval);
        }
      b->n_frames++;
    }
  b->last_after_paint_us = now;

  for (gint64 s = MAX (b->counted_seq + 1, b->first_ballot_seq); s <= seq; s++)
    {
      gint64 published;
      double ms;

      if (s >= (gint64) b->publish_us->len || (published = g_array_index (b->publish_us, gint64, s)) == 0)
        continue;
      ms = (double) (now - published) / 1000.0;
      g_array_append_val (b->latency_ms, ms);
    }
  b->counted_seq = MAX (b->counted_seq, seq);
}

static void
on_realize (GtkWidget *window, Bench *b)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), b);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (on_after_paint), b);
}

/* ------------------------------------------------------------ the client */

static void
on_client_session (RcFeedClient *client, GParamSpec *pspec, Bench *b)
{
  rc_board_widget_set_session (RC_BOARD_WIDGET (b->board), rc_feed_client_get_session (client));
}

static void
on_client_state (RcFeedClient *client, GParamSpec *pspec, Bench *b)
{
  RcFeedClientState state = rc_feed_client_get_state (client);

  if (state == RC_FEED_CLIENT_RECONNECTING && b->last_state != RC_FEED_CLIENT_RECONNECTING)
    b->n_reconnects++;
  b->last_state = state;
}

static void
on_refused (RcFeedClient *client, const char *reason, Bench *b)
{
  b->n_refused++;
}

/* ------------------------------------------------------------ publishing */

static const RcChoice cycle[] = { RC_CHOICE_YES, RC_CHOICE_NO, RC_CHOICE_ABSTAIN };

static void
publish_ballot (Bench *b)
{
  guint n = b->members->len;
  gint64 k = b->n_published;
  const char *member = g_ptr_array_index (b->members, k % n);
  RcChoice choice = cycle[(k / n) % G_N_ELEMENTS (cycle)];
  g_autoptr (RcEvent) event = rc_event_new_ballot (0, b->vote_id, member, choice);
  g_autoptr (RcEvent) published = NULL;
  g_autoptr (GError) error = NULL;
  gint64 now = g_get_monotonic_time ();

  published = rc_feed_hub_publish (b->hub, event, &error);
  if (published == NULL)
    {
      g_printerr ("bench-feed-board: ballot %s refused: %s\n", member, error->message);
      exit (1);
    }
  if ((gint64) b->publish_us->len <= published->seq)
    g_array_set_size (b->publish_us, published->seq + 1);
  g_array_index (b->publish_us, gint64, published->seq) = now;
  b->n_published++;
}

static gboolean
on_tick (gpointer data)
{
  Bench *b = data;
  gint64 now = g_get_monotonic_time ();
  gint64 due;

  if (now - b->start_us >= RUN_SECONDS * G_USEC_PER_SEC)
    {
      b->publishing = FALSE;
      b->end_publish_us = now;
      b->last_published_seq_at_end = rc_feed_hub_get_last_seq (b->hub);
      b->client_seq_at_end = rc_session_get_last_seq (rc_feed_client_get_session (b->client));
      return G_SOURCE_REMOVE;
    }
  due = (gint64) ((double) (now - b->start_us) / G_USEC_PER_SEC * b->rate) + 1;
  while (b->n_published < due)
    publish_ballot (b);
  b->max_backlog = MAX (b->max_backlog, rc_feed_server_get_backlog_bytes (b->server));
  return G_SOURCE_CONTINUE;
}

static gboolean
on_second (gpointer data)
{
  Bench *b = data;
  gint64 rss = rc_bench_status_kb ("VmRSS");

  if (!b->publishing)
    return G_SOURCE_REMOVE;
  g_array_append_val (b->rss_kb, rss);
  return G_SOURCE_CONTINUE;
}

static gboolean
client_at_setup (Bench *b)
{
  return rc_session_get_last_seq (rc_feed_client_get_session (b->client)) ==
           rc_feed_hub_get_last_seq (b->hub) &&
         rc_board_widget_get_vote (RC_BOARD_WIDGET (b->board)) != NULL &&
         rc_board_widget_is_complete (RC_BOARD_WIDGET (b->board));
}

static gboolean
not_publishing (Bench *b)
{
  return !b->publishing;
}

static gboolean
client_caught_up (Bench *b)
{
  return rc_session_get_last_seq (rc_feed_client_get_session (b->client)) ==
           rc_feed_hub_get_last_seq (b->hub) &&
         b->counted_seq == rc_feed_hub_get_last_seq (b->hub);
}

/* The demo's meeting up to the opening of its vote. */
static void
publish_setup (Bench *b)
{
  b->members = rc_bench_publish_demo_opening (b->hub, "bench-feed-board", &b->vote_id);
}

/* ------------------------------------------------------------ the report */

static void
report (Bench *b, const char *out_path)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M");
  g_autofree char *where = rc_bench_machine ();
  GString *t = g_string_new (NULL);
  double secs = (double) (b->end_publish_us - b->start_us) / G_USEC_PER_SEC;

  rc_bench_sort (b->latency_ms);
  rc_bench_sort (b->frame_ms);
  rc_bench_sort (b->interval_ms);

  if (!b->flood)
    {
      double p99 = rc_bench_percentile (b->latency_ms, 99);

      g_string_append (t, "### Feed event to painted frame (200 ballots/s)\n\n");
      g_string_append_printf (t,
                              "%s, %s; one process: hub + server on 127.0.0.1, RcFeedClient "
                              "(WebSocket), RcBoardWidget 1920×1080 in a GtkWindow; Xvfb, "
                              "GSK_RENDERER=cairo. A/RES/ES-11/1 open, %u members cycling "
                              "yes/no/abstain; publish (monotonic) → frame clock after-paint.\n\n",
                              when, where, b->members->len);
      g_string_append (t, "| ballots | seconds | frames | latency p50 | p99 | max | "
                          "frame (before→after paint) p99 | max |\n");
      g_string_append (t, "|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      g_string_append_printf (t, "| %u | %.1f | %u | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms |\n\n",
                              b->latency_ms->len, secs, b->n_frames,
                              rc_bench_percentile (b->latency_ms, 50), p99,
                              rc_bench_percentile (b->latency_ms, 100), rc_bench_percentile (b->frame_ms, 99),
                              rc_bench_percentile (b->frame_ms, 100));
      g_string_append_printf (t, "- p99 under %.1f ms: %s (%.2f ms)\n", TARGET_P99_MS,
                              p99 < TARGET_P99_MS ? "met" : "NOT met", p99);
      g_string_append_printf (t, "- ballots published %" G_GINT64_FORMAT ", painted %u; "
                              "client reconnects %u, refused messages %u\n",
                              b->n_published, b->latency_ms->len, b->n_reconnects, b->n_refused);
    }
  else
    {
      gint64 first = b->rss_kb->len > 0 ? g_array_index (b->rss_kb, gint64, 0) : 0;
      gint64 last = b->rss_kb->len > 0 ? g_array_index (b->rss_kb, gint64, b->rss_kb->len - 1) : 0;
      gint64 max = 0;

      for (guint i = 0; i < b->rss_kb->len; i++)
        max = MAX (max, g_array_index (b->rss_kb, gint64, i));

      g_string_append_printf (t, "### Flood: %.0f events/s for 10 s (board attached)\n\n",
                              b->rate);
      g_string_append_printf (t,
                              "%s, %s; one process: hub (journal in memory, no archive) + "
                              "server on 127.0.0.1, RcFeedClient (WebSocket), RcBoardWidget "
                              "1920×1080; Xvfb, GSK_RENDERER=cairo; ballots in batches from "
                              "a 10 ms timer.\n\n",
                              when, where);
      g_string_append (t, "| events | rate | VmRSS first s | last s | max | growth | "
                          "per 1k events | server backlog max | client lag at end | "
                          "caught up after | frames | frame interval p50 | p99 | max |\n");
      g_string_append (t, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      g_string_append_printf (t,
                              "| %" G_GINT64_FORMAT " | %.0f/s | %.1f MB | %.1f MB | %.1f MB | "
                              "%+.1f MB | %.1f KB | %.1f KB | %" G_GINT64_FORMAT " events | "
                              "%.0f ms | %u | %.1f ms | %.1f ms | %.1f ms |\n\n",
                              b->n_published, b->n_published / secs, first / 1024.0,
                              last / 1024.0, max / 1024.0, (last - first) / 1024.0,
                              b->n_published > 0 ? (double) (last - first) / (b->n_published / 1000.0) : 0,
                              b->max_backlog / 1024.0,
                              b->last_published_seq_at_end - b->client_seq_at_end,
                              MAX (0.0, (double) (b->last_after_paint_us - b->end_publish_us) / 1000.0),
                              b->n_frames, rc_bench_percentile (b->interval_ms, 50),
                              rc_bench_percentile (b->interval_ms, 99), rc_bench_percentile (b->interval_ms, 100));
      g_string_append (t, "- VmRSS each second:");
      for (guint i = 0; i < b->rss_kb->len; i++)
        g_string_append_printf (t, " %.1f", g_array_index (b->rss_kb, gint64, i) / 1024.0);
      g_string_append (t, " MB\n");
      g_string_append_printf (t, "- ballot-to-paint latency during the flood: p50 %.1f ms, p99 "
                              "%.1f ms, max %.1f ms; client reconnects %u, refused messages %u\n",
                              rc_bench_percentile (b->latency_ms, 50), rc_bench_percentile (b->latency_ms, 99),
                              rc_bench_percentile (b->latency_ms, 100), b->n_reconnects, b->n_refused);
      g_string_append (t, "- growth is the hub's in-memory journal and the sessions' state "
                          "(every published event is kept to serve resumes), not backlogs\n");
    }
  g_string_append (t, "\n");

  fputs (t->str, stdout);
  fflush (stdout);
  if (out_path != NULL && *out_path != '\0')
    {
      FILE *f = fopen (out_path, "a");

      if (f == NULL)
        g_printerr ("bench-feed-board: cannot append to %s\n", out_path);
      else
        {
          fputs (t->str, f);
          fclose (f);
        }
    }
  g_string_free (t, TRUE);
}

int
main (int argc, char *argv[])
{
  Bench b = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *ws = NULL;

  if (argc < 2 || argc > 3
      || (strcmp (argv[1], "latency") != 0 && strcmp (argv[1], "flood") != 0))
    {
      g_printerr ("usage: %s latency|flood [EVENTS-A-SECOND]\n", argv[0]);
      return 2;
    }
  b.flood = strcmp (argv[1], "flood") == 0;
  b.rate = argc == 3 ? g_ascii_strtod (argv[2], NULL) : b.flood ? 10000 : 200;
  if (b.rate <= 0)
    {
      g_printerr ("%s: events a second must be positive\n", argv[0]);
      return 2;
    }

  gtk_init ();

  b.publish_us = g_array_new (FALSE, TRUE, sizeof (gint64));
  b.latency_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b.frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b.interval_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b.rss_kb = g_array_new (FALSE, FALSE, sizeof (gint64));

  b.hub = rc_feed_hub_new ("bench", NULL, NULL, &error);
  if (b.hub == NULL || (b.server = rc_feed_server_new (b.hub, NULL, &error)) == NULL ||
      !rc_feed_server_listen (b.server, "127.0.0.1", 0, &error))
    {
      g_printerr ("bench-feed-board: %s\n", error->message);
      return 1;
    }
  url = rc_feed_server_get_url (b.server);
  ws = g_strdup_printf ("ws://%s", url + strlen ("http://"));

  b.client = rc_feed_client_new (ws, &error);
  if (b.client == NULL)
    {
      g_printerr ("bench-feed-board: %s\n", error->message);
      return 1;
    }

  b.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (b.window), 1920, 1080);
  gtk_window_set_decorated (GTK_WINDOW (b.window), FALSE);
  b.board = rc_board_widget_new ();
  rc_board_widget_set_follow (RC_BOARD_WIDGET (b.board), RC_BOARD_FOLLOW_ON_AIR);
  rc_board_widget_set_session (RC_BOARD_WIDGET (b.board), rc_feed_client_get_session (b.client));
  gtk_window_set_child (GTK_WINDOW (b.window), b.board);
  g_signal_connect (b.window, "realize", G_CALLBACK (on_realize), &b);
  g_signal_connect (b.client, "notify::session", G_CALLBACK (on_client_session), &b);
  g_signal_connect (b.client, "notify::state", G_CALLBACK (on_client_state), &b);
  g_signal_connect (b.client, "message-refused", G_CALLBACK (on_refused), &b);
  gtk_window_present (GTK_WINDOW (b.window));

  publish_setup (&b);
  rc_feed_client_start (b.client);
  wait_until (client_at_setup, &b, 30000, "the client and the board to show the open vote");
  run_for (500);

  b.first_ballot_seq = rc_feed_hub_get_last_seq (b.hub) + 1;
  b.counted_seq = b.first_ballot_seq - 1;
  b.publishing = TRUE;
  b.start_us = g_get_monotonic_time ();
  g_timeout_add (b.flood ? 10 : 5, on_tick, &b);
  g_timeout_add (1000, on_second, &b);
  {
    gint64 rss = rc_bench_status_kb ("VmRSS");

    g_array_append_val (b.rss_kb, rss);
  }
  wait_until (not_publishing, &b, (RUN_SECONDS + 20) * 1000, "the end of publishing");
  {
    gint64 rss = rc_bench_status_kb ("VmRSS");

    g_array_append_val (b.rss_kb, rss);
  }
  wait_until (client_caught_up, &b, 30000, "the client and the board to catch up");

  report (&b, g_getenv ("ROLLCALL_BENCH_OUT"));

  rc_feed_client_stop (b.client);
  rc_feed_server_shutdown (b.server);
  gtk_window_destroy (GTK_WINDOW (b.window));
  return 0;
}
