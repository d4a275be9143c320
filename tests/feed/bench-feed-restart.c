/* bench-feed-restart.c — how long rollcall-feed takes to restart on its journal, and
 * that it does not grow with the journal (issue 8, item 11: under 50 ms with 1,000,000
 * events).
 *
 * Journals of a day's sitting of the General Assembly (the demo's roster of 193):
 * votes taken one after another, each scheduled, put on air, opened, a flood of
 * ballots (members changing their minds), locked and announced; the last vote open,
 * in the middle of its ballots, as a server killed mid-vote leaves it. They are
 * written through the archive API in batches (not timed), as the live server would
 * leave them: a checkpoint, then the longest run of events after it that does not yet
 * call for the next one (RC_ARCHIVE_CHECKPOINT_EVENTS and its share of the
 * checkpoint's size), which a restart must fold. For reference, the same 18,000-event
 * journal without its checkpoint, folded whole as before checkpoints; and an empty
 * journal, what starting the program costs at all.
 *
 * Timed, per journal, over several runs: from just before exec of
 * `rollcall-feed --live --token-file F --journal J --port 0` until its "listening on"
 * line is read, and until GET /v1/snapshot has answered with the journal's state
 * (checked against the state folded while the journal was generated, byte for byte);
 * the server's peak resident memory (VmHWM) then. Prints a Markdown table; appends
 * it to $ROLLCALL_BENCH_OUT when set.
 *
 * Usage: bench-feed-restart ROLLCALL-FEED DEMO-ARCHIVE */
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "archive/rc-archive.h"
#include "codec/rc-codec.h"
#include "model/rc-snapshot.h"
#include "../rc-bench-out.h"
#include "rc-bench-util.h"

#define RUNS 15
#define TARGET_MS 50.0
#define SESSION "ga-day"
#define TOKEN "5f0c1d2e3b4a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define LISTENING "rollcall-feed: listening on "
/* Events written per transaction while building (memory stays bounded). */
#define CHUNK 50000

static const char *program;
/* The journals' folder: removed however the benchmark ends (a million events is
 * ~190 MB). */
static char *workdir;

static void
remove_workdir (void)
{
  g_autoptr (GDir) dir = workdir != NULL ? g_dir_open (workdir, 0, NULL) : NULL;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (workdir, name, NULL);

      g_unlink (path);
    }
  if (workdir != NULL)
    g_rmdir (workdir);
}

G_GNUC_NORETURN static void die (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
die (const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("bench-feed-restart: %s\n", message);
  remove_workdir ();
  exit (1);
}

/* ---------------------------------------------------------------- a day's journal */

/* The sitting, one event at a time: `n_votes` votes sharing n_events events, the last
 * left open. The state machine applies each as it is made, so the state at the end is
 * the whole journal's fold, independently of the archive. */
typedef struct {
  RcSession *session;
  RcRoster *roster;
  guint n_events;
  guint n_votes;
  guint per_vote;
  guint vote; /* 1-based, the vote being taken */
  guint step; /* within it */
  gint64 time;
  guint made;
} Day;

/* Returns the first event, the session's (the demo's meeting under another id). */
static RcEvent *
day_init (Day *d, const RcEvent *ga, guint n_events, guint n_votes)
{
  RcSessionInfo info = *ga->session;
  RcEvent *first;

  info.id = (char *) SESSION;
  first = rc_event_new_session (ga->time, &info, ga->chamber, ga->roster);
  *d = (Day){ rc_session_new (), rc_roster_ref (ga->roster), n_events, n_votes };
  d->per_vote = (n_events - 1) / n_votes;
  d->time = ga->time;
  d->vote = 1;
  first->seq = 1;
  if (!rc_session_apply (d->session, first, NULL))
    die ("the demo's session event is refused");
  d->made = 1;
  return first;
}

static void
day_clear (Day *d)
{
  g_clear_object (&d->session);
  g_clear_pointer (&d->roster, rc_roster_unref);
}

/* The next event, applied; NULL when the day is over. */
static RcEvent *
day_next (Day *d)
{
  static const RcChoice choices[] = { RC_CHOICE_YES, RC_CHOICE_ABSTAIN, RC_CHOICE_NO };
  g_autofree char *id = g_strdup_printf ("d%u", d->vote);
  guint n = rc_roster_get_size (d->roster);
  gboolean last_vote = d->vote == d->n_votes;
  RcEvent *event;

  if (d->made == d->n_events)
    return NULL;
  d->time += 50000; /* a ballot every 50 ms: a million in 14 hours */
  switch (last_vote || d->step < d->per_vote - 2 ? MIN (d->step, 3) : d->step - d->per_vote + 6)
    {
    case 0:
      {
        g_autofree char *title = g_strdup_printf ("Draft resolution %u", d->vote);
        g_autofree char *symbol = g_strdup_printf ("A/RES/81/%u", d->vote);
        RcVoteInfo info = { id, symbol, NULL, title, RC_MAJORITY_TWO_THIRDS, TRUE, RC_REVEAL_LIVE };

        event = rc_event_new_vote_scheduled (d->time, &info);
      }
      break;
    case 1:
      event = rc_event_new_on_air (d->time, RC_ON_AIR_VOTE, id);
      break;
    case 2:
      event = rc_event_new_vote_opened (d->time, id);
      break;
    case 3:
      {
        guint k = d->step - 3;

        event = rc_event_new_ballot (d->time, id, rc_roster_get_member (d->roster, k % n)->code,
                                     choices[(k / n + k % 7) % 3]);
      }
      break;
    case 4:
      event = rc_event_new_vote_locked (d->time, id, NULL);
      break;
    default:
      event = rc_event_new_vote_announced (d->time, id, NULL);
      d->vote++;
      d->step = 0;
      event->seq = ++d->made;
      if (!rc_session_apply (d->session, event, NULL))
        die ("the generator made an event the state machine refuses");
      return event;
    }
  d->step++;
  event->seq = ++d->made;
  if (!rc_session_apply (d->session, event, NULL))
    die ("the generator made an event the state machine refuses (seq %u)", d->made);
  return event;
}

static void
append_batch (RcArchive *archive, GPtrArray *batch)
{
  g_autoptr (GError) error = NULL;

  if (!rc_archive_append_all (archive, SESSION, batch, &error))
    die ("%s", error->message);
  g_ptr_array_set_size (batch, 0);
}

static gint64
sql_int (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* How many of the newest events of `tail_events` (payload lengths, newest last) can
 * follow a checkpoint of `size` bytes before the next is due: the longest run a
 * restart can have to fold. */
static guint
longest_tail (GArray *lengths, gsize size)
{
  gsize bytes = 0;
  guint n;

  for (n = 1; n <= lengths->len; n++)
    {
      bytes += g_array_index (lengths, gsize, lengths->len - n);
      /* A margin, as the checkpoint before the tail may be a little smaller. */
      if (n >= RC_ARCHIVE_CHECKPOINT_EVENTS && bytes * RC_ARCHIVE_CHECKPOINT_RATIO + 512 >= size)
        break;
    }
  return n - 1;
}

typedef struct {
  const char *label;
  guint n_events;
  guint n_votes;
  gboolean no_checkpoint;
  /* results */
  char *path;
  char *expected; /* GET /v1/snapshot's body */
  gint64 checkpoint_seq;
  gint64 checkpoint_size;
  double journal_mb;
  double build_s;
  GArray *listening; /* ms */
  GArray *answered;  /* ms */
  GArray *hwm;       /* MB */
  GArray *cpu;       /* ms */
  double load;       /* the machine's load average before the runs */
  guint wrong;
} Case;

/* Writes the day's journal: every event but the longest possible tail, with the
 * checkpoint the default rule writes at the end of its last batch; then the tail,
 * without one. */
static void
build (Case *c, const RcEvent *ga, const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = NULL;
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  g_autoptr (GArray) lengths = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr (RcSnapshot) snapshot = NULL;
  g_autoptr (GPtrArray) window = NULL;
  gint64 start = g_get_monotonic_time ();
  guint tail;
  Day d;
  RcEvent *event;
  GStatBuf st;

  c->path = g_strdup_printf ("%s/%u-%u%s.rollcall", dir, c->n_events, c->n_votes,
                             c->no_checkpoint ? "-old" : "");
  archive = rc_archive_open (c->path, RC_ARCHIVE_CREATE, &error);
  if (archive == NULL)
    die ("%s", error->message);
  if (c->n_events == 0)
    {
      g_autoptr (RcSnapshot) empty = rc_snapshot_new ();

      c->expected = rc_codec_encode_snapshot (empty, "pending");
      c->build_s = 0;
      return;
    }

  /* The last events are kept aside until the checkpoint's size tells how many of
   * them the tail can be. */
  window = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  g_ptr_array_add (window, day_init (&d, ga, c->n_events, c->n_votes));
  while ((event = day_next (&d)) != NULL)
    {
      g_ptr_array_add (window, event);
      if (window->len > 8192)
        {
          /* The oldest of the window can go: no tail is that long. */
          for (guint i = 0; i < 4096; i++)
            g_ptr_array_add (batch, rc_event_ref (g_ptr_array_index (window, i)));
          g_ptr_array_remove_range (window, 0, 4096);
          if (batch->len >= CHUNK)
            append_batch (archive, batch);
        }
    }
  for (guint i = 0; i < window->len; i++)
    {
      g_autofree char *text = rc_codec_encode (g_ptr_array_index (window, i));
      gsize length = strlen (text);

      g_array_append_val (lengths, length);
    }
  snapshot = rc_session_snapshot (d.session);
  {
    g_autofree char *text = rc_codec_encode_snapshot (snapshot, "size");

    tail = longest_tail (lengths, strlen (text));
  }
  tail = MIN (tail, c->n_events - 2);
  for (guint i = 0; i < window->len - tail; i++)
    g_ptr_array_add (batch, rc_event_ref (g_ptr_array_index (window, i)));
  append_batch (archive, batch);
  rc_archive_set_checkpoint_every (archive, 0);
  for (guint i = window->len - tail; i < window->len; i++)
    g_ptr_array_add (batch, rc_event_ref (g_ptr_array_index (window, i)));
  append_batch (archive, batch);
  g_clear_object (&archive);

  if (c->no_checkpoint)
    {
      sqlite3 *db = NULL;

      if (sqlite3_open (c->path, &db) != SQLITE_OK
          || sqlite3_exec (db, "DELETE FROM checkpoints", NULL, NULL, NULL) != SQLITE_OK)
        die ("%s: cannot delete its checkpoint", c->path);
      sqlite3_close (db);
    }
  c->checkpoint_seq = sql_int (c->path, "SELECT seq FROM checkpoints");
  c->checkpoint_size = sql_int (c->path, "SELECT length (state) FROM checkpoints");
  c->expected = rc_codec_encode_snapshot (snapshot, SESSION);
  c->build_s = (g_get_monotonic_time () - start) / 1e6;
  if (g_stat (c->path, &st) == 0)
    c->journal_mb = st.st_size / (1024.0 * 1024.0);
  day_clear (&d);
}

/* ---------------------------------------------------------------- a restart */

static gint64
process_kb (GPid pid, const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  g_autofree char *key = g_strconcat (field, ":", NULL);
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL) || (line = strstr (status, key)) == NULL)
    return 0;
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}

/* CPU time (ms) of every thread of the process so far: on a shared machine, what the
 * server itself spent, whatever its neighbours took. */
static double
process_cpu_ms (GPid pid)
{
  g_autofree char *tasks = g_strdup_printf ("/proc/%d/task", (int) pid);
  g_autoptr (GDir) dir = g_dir_open (tasks, 0, NULL);
  const char *name;
  double ns = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tasks, name, "schedstat", NULL);
      g_autofree char *text = NULL;

      if (g_file_get_contents (path, &text, NULL, NULL))
        ns += g_ascii_strtod (text, NULL);
    }
  return ns / 1e6;
}

static void
restart_once (Case *c, const char *token_file, SoupSession *http)
{
  const char *const argv[]
    = { program, "--live", "--token-file", token_file, "--journal", c->path, "--port", "0", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) body = NULL;
  gint64 start, listening, answered;
  double ms;
  GPid pid;

  start = g_get_monotonic_time ();
  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (process == NULL)
    die ("%s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  listening = g_get_monotonic_time ();
  if (line == NULL || !g_str_has_prefix (line, LISTENING))
    die ("%s did not start on %s: %s", program, c->path, line ? line : "(EOF)");
  url = g_strconcat (line + strlen (LISTENING), "/v1/snapshot", NULL);
  msg = soup_message_new ("GET", url);
  body = soup_session_send_and_read (http, msg, NULL, &error);
  answered = g_get_monotonic_time ();
  if (body == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
    die ("GET %s: %s", url, error ? error->message : soup_message_get_reason_phrase (msg));
  if (g_bytes_get_size (body) != strlen (c->expected)
      || memcmp (g_bytes_get_data (body, NULL), c->expected, strlen (c->expected)) != 0)
    c->wrong++;

  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);
  {
    double hwm = process_kb (pid, "VmHWM") / 1024.0;
    double cpu = process_cpu_ms (pid);

    g_array_append_val (c->hwm, hwm);
    g_array_append_val (c->cpu, cpu);
  }
  ms = (listening - start) / 1000.0;
  g_array_append_val (c->listening, ms);
  ms = (answered - start) / 1000.0;
  g_array_append_val (c->answered, ms);
  g_subprocess_send_signal (process, SIGTERM);
  if (!g_subprocess_wait_check (process, NULL, &error))
    die ("%s on %s: %s", program, c->path, error->message);
}

static double
median (GArray *values)
{
  rc_bench_sort (values);
  return rc_bench_percentile (values, 50);
}

int
main (int argc, char *argv[])
{
  Case cases[] = {
    { "empty journal (no session)", 0, 0, FALSE },
    { "one vote", 400, 1, FALSE },
    { "a day of 10 votes", 18000, 10, FALSE },
    { "the same, no checkpoint (as before)", 18000, 10, TRUE },
    { "a day of 10 votes", 1000000, 10, FALSE },
    { "a day of 100 votes", 1000000, 100, FALSE },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) demo = NULL;
  g_autoptr (GPtrArray) demo_events = NULL;
  g_autoptr (SoupSession) http = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *when = NULL;
  g_autofree char *where = NULL;
  GString *t;

  if (argc != 3)
    die ("usage: bench-feed-restart ROLLCALL-FEED DEMO-ARCHIVE");
  program = argv[1];
  demo = rc_archive_open (argv[2], RC_ARCHIVE_READ_ONLY, &error);
  if (demo == NULL
      || (demo_events = rc_archive_load_events (demo, "ga-es11-2022-03-02", &error)) == NULL)
    die ("%s", error->message);
  dir = g_dir_make_tmp ("rollcall-bench-restart-XXXXXX", &error);
  if (dir == NULL)
    die ("%s", error->message);
  workdir = dir;
  token_file = g_build_filename (dir, "token", NULL);
  if (!g_file_set_contents (token_file, TOKEN "\n", -1, &error) || g_chmod (token_file, 0600) != 0)
    die ("%s: cannot write the token", token_file);
  http = soup_session_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Case *c = &cases[i];

      c->listening = g_array_new (FALSE, FALSE, sizeof (double));
      c->answered = g_array_new (FALSE, FALSE, sizeof (double));
      c->hwm = g_array_new (FALSE, FALSE, sizeof (double));
      c->cpu = g_array_new (FALSE, FALSE, sizeof (double));
      build (c, g_ptr_array_index (demo_events, 0), dir);
      g_printerr ("bench-feed-restart: %s, %u events: built in %.1f s (%.0f MB)\n", c->label,
                  c->n_events, c->build_s, c->journal_mb);
      /* The first run reads the file from the disk's cache like the others: the page
       * cache is warm after writing it; one run not counted all the same. */
      restart_once (c, token_file, http);
      g_array_set_size (c->listening, 0);
      g_array_set_size (c->answered, 0);
      g_array_set_size (c->hwm, 0);
      g_array_set_size (c->cpu, 0);
      {
        g_autofree char *loadavg = NULL;

        if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
          c->load = g_ascii_strtod (loadavg, NULL);
      }
      for (guint run = 0; run < RUNS; run++)
        restart_once (c, token_file, http);
    }

  now = g_date_time_new_now_local ();
  when = g_date_time_format (now, "%Y-%m-%d %H:%M");
  where = rc_bench_machine ();
  t = g_string_new ("#### Restart on the journal (`rollcall-feed --live --journal`)\n\n");
  g_string_append_printf (
    t,
    "%s, %s. `rollcall-feed --live --token-file F --journal J --port 0` started %u times per "
    "journal (after one run not counted): from just before exec to its `listening on` line, "
    "and to the end of GET /v1/snapshot, which must answer the journal's state byte for byte; "
    "the server's CPU time (all its threads, /proc schedstat) and VmHWM then; the machine's "
    "load average (1 min) as the runs began. Journals: a day of the General Assembly (193 "
    "members), votes taken one after another with a flood of ballots, the last one open; "
    "written through the "
    "archive API, with the longest run of events after the checkpoint that the default rule "
    "allows (the worst case a restart folds). Warm page cache.\n\n",
    when, where, RUNS);
  g_string_append (t, "| journal | events | votes | file | checkpoint at | its size | "
                      "events folded | to listening (median) | min – max | to /v1/snapshot "
                      "(median) | min – max | server CPU to answer | server VmHWM | load |\n");
  g_string_append (t, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Case *c = &cases[i];
      double listening = median (c->listening);
      double answered = median (c->answered);
      double hwm = median (c->hwm);
      double cpu = median (c->cpu);
      gint64 folded = c->n_events - MAX (c->checkpoint_seq, 0);
      g_autofree char *at = c->checkpoint_seq > 0
                              ? g_strdup_printf ("%" G_GINT64_FORMAT, c->checkpoint_seq)
                              : g_strdup ("—");
      g_autofree char *size = c->checkpoint_size > 0
                                ? g_strdup_printf ("%.1f KB", c->checkpoint_size / 1024.0)
                                : g_strdup ("—");

      g_string_append_printf (
        t,
        "| %s | %u | %u | %.1f MB | %s | %s | %" G_GINT64_FORMAT
        " | %.1f ms | %.1f – %.1f ms | %.1f ms | %.1f – %.1f ms | %.1f ms | %.1f MB | %.1f |\n",
        c->label, c->n_events, c->n_votes, c->journal_mb, at, size, folded, listening,
        g_array_index (c->listening, double, 0),
        g_array_index (c->listening, double, c->listening->len - 1), answered,
        g_array_index (c->answered, double, 0),
        g_array_index (c->answered, double, c->answered->len - 1), cpu, hwm, c->load);
      if (c->wrong > 0)
        {
          g_string_append_printf (t,
                                  "\n**%s: /v1/snapshot differed from the journal's state in "
                                  "%u runs**\n\n",
                                  c->label, c->wrong);
        }
    }
  g_string_append (t, "\n");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    if (cases[i].n_events == 1000000)
      {
        double listening = rc_bench_percentile (cases[i].listening, 50);
        double answered = rc_bench_percentile (cases[i].answered, 50);

        g_string_append_printf (t,
                                "- 1,000,000 events, %s: under %.0f ms to listening: %s "
                                "(%.1f ms); to /v1/snapshot answering: %.1f ms\n",
                                cases[i].label, TARGET_MS,
                                listening < TARGET_MS ? "met" : "NOT met", listening, answered);
      }
  g_string_append (t, "\n");
  fputs (t->str, stdout);
  fflush (stdout);
  rc_bench_append_out ("bench-feed-restart", t->str);
  g_string_free (t, TRUE);

  remove_workdir ();
  /* A restart that served another state than the journal's is a failure, not a figure. */
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    if (cases[i].wrong > 0)
      return 1;
  return 0;
}
