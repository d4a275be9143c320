/* rc-bench-util.c — what the feed benchmarks share. */
#include "rc-bench-util.h"

#include <stdlib.h>
#include <string.h>

#include "archive/rc-archive.h"

gint64
rc_bench_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strconcat (field, ":", NULL);
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, key)) == NULL)
    return 0;
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

void
rc_bench_sort (GArray *values)
{
  g_array_sort (values, compare_doubles);
}

double
rc_bench_percentile (GArray *sorted, double p)
{
  guint rank;

  if (sorted->len == 0)
    return 0;
  rank = (guint) MAX (1.0, (p / 100.0) * sorted->len + 0.999999);
  return g_array_index (sorted, double, MIN (rank, sorted->len) - 1);
}

char *
rc_bench_machine (void)
{
  g_autofree char *cpuinfo = NULL;
  g_autofree char *model = NULL;
  const char *line;

  if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL)
      && (line = strstr (cpuinfo, "model name")) != NULL && (line = strchr (line, ':')) != NULL)
    model = g_strndup (line + 2, strcspn (line + 2, "\n"));
  return g_strdup_printf ("%s, %u CPUs", model != NULL ? model : "unknown CPU",
                          g_get_num_processors ());
}

GPtrArray *
rc_bench_publish_demo_opening (RcFeedHub *hub, const char *program, char **vote_id)
{
  const char *root = g_getenv ("ROLLCALL_BUILD_ROOT");
  g_autofree char *path = g_build_filename (root != NULL ? root : ".", "data", "demo",
                                            "demo.rollcall", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  g_autoptr (GPtrArray) events = NULL;
  GPtrArray *members;
  RcSession *session;
  RcVote *vote;
  RcRoster *roster;

  if (archive == NULL
      || (events = rc_archive_load_events (archive, "ga-es11-2022-03-02", &error)) == NULL)
    {
      g_printerr ("%s: %s: %s\n", program, path, error->message);
      exit (1);
    }
  for (guint i = 0; i < events->len; i++)
    {
      RcEvent *event = g_ptr_array_index (events, i);
      g_autoptr (RcEvent) published = NULL;

      if (event->type == RC_EVENT_BALLOT)
        break;
      if ((published = rc_feed_hub_publish (hub, event, &error)) == NULL)
        {
          g_printerr ("%s: setup event refused: %s\n", program, error->message);
          exit (1);
        }
    }

  session = rc_feed_hub_get_session (hub);
  vote = rc_session_get_on_air_vote (session);
  roster = rc_session_get_roster (session);
  if (vote == NULL || rc_vote_get_state (vote) != RC_VOTE_OPEN)
    {
      g_printerr ("%s: the demo's vote is not open on air\n", program);
      exit (1);
    }
  *vote_id = g_strdup (rc_vote_get_id (vote));
  members = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < rc_roster_get_size (roster); i++)
    if (rc_vote_get_choice (vote, i) == RC_CHOICE_PENDING)
      g_ptr_array_add (members, g_strdup (rc_roster_get_member (roster, i)->code));
  return members;
}
