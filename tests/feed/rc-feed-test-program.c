/* rc-feed-test-program.c — the built rollcall-feed as a test runs it, and what it
 * acknowledged. */
#include "rc-feed-test-program.h"

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include "archive/rc-archive.h"
#include "codec/rc-codec.h"
#include "model/rc-replay.h"
#include "model/rc-snapshot.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-util.h"

#define LISTENING "rollcall-feed: listening on "

static void
on_exited (GObject *source, GAsyncResult *result, gpointer data)
{
  RcTestProgram *p = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  p->exited = TRUE;
}

typedef struct {
  gboolean done;
  char *line;
} Line;

static void
on_line (GObject *source, GAsyncResult *result, gpointer data)
{
  Line *l = data;

  l->line
    = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  l->done = TRUE;
}

/* The program dies with the test: a test that fails (abort) would otherwise leave it
 * running, holding its port and the pipe of the test's output. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

RcTestProgram *
rc_test_program_start (const char *const *argv, const char *const *env)
{
  g_autoptr (GSubprocessLauncher) launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GError) error = NULL;
  RcTestProgram *p = g_new0 (RcTestProgram, 1);
  Line line = { 0 };

  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  p->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (p->process, NULL, on_exited, p);
  p->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p->process));
  g_data_input_stream_read_line_async (p->out, G_PRIORITY_DEFAULT, NULL, on_line, &line);
  RC_TEST_WAIT_FOR (line.done);
  if (line.line == NULL || !g_str_has_prefix (line.line, LISTENING))
    g_error ("%s did not say where it listens: %s", argv[0], line.line ? line.line : "(EOF)");
  p->url = g_strdup (line.line + strlen (LISTENING));
  g_free (line.line);
  return p;
}

void
rc_test_program_kill (RcTestProgram *p)
{
  g_subprocess_send_signal (p->process, SIGKILL);
  RC_TEST_WAIT_FOR (p->exited);
  g_assert_true (g_subprocess_get_if_signaled (p->process));
  g_assert_cmpint (g_subprocess_get_term_sig (p->process), ==, SIGKILL);
}

void
rc_test_program_stop (RcTestProgram *p)
{
  g_subprocess_send_signal (p->process, SIGTERM);
  RC_TEST_WAIT_FOR (p->exited);
  g_assert_true (g_subprocess_get_if_exited (p->process));
  g_assert_cmpint (g_subprocess_get_exit_status (p->process), ==, 0);
}

void
rc_test_program_free (RcTestProgram *p)
{
  if (!p->exited)
    {
      g_subprocess_force_exit (p->process);
      RC_TEST_WAIT_FOR (p->exited);
    }
  g_object_unref (p->out);
  g_object_unref (p->process);
  g_free (p->url);
  g_free (p);
}

guint
rc_test_program_port (RcTestProgram *p)
{
  const char *colon = strrchr (p->url, ':');

  g_assert_nonnull (colon);
  return (guint) g_ascii_strtoull (colon + 1, NULL, 10);
}

typedef struct {
  gboolean done;
  GBytes *body;
  GError *error;
} Pending;

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  Pending *pending = data;

  pending->body
    = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &pending->error);
  pending->done = TRUE;
}

GBytes *
rc_test_send_bytes (SoupSession *http, SoupMessage *msg, GError **error)
{
  Pending pending = { 0 };

  soup_session_send_and_read_async (http, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &pending);
  RC_TEST_WAIT_FOR (pending.done);
  if (pending.error != NULL)
    g_propagate_error (error, pending.error);
  return pending.body;
}

guint
rc_test_send (SoupSession *http, SoupMessage *msg, char **reply)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = rc_test_send_bytes (http, msg, &error);
  gsize size;
  const char *text;

  g_assert_no_error (error);
  text = g_bytes_get_data (body, &size);
  *reply = g_strndup (text, size);
  return soup_message_get_status (msg);
}

gboolean
rc_test_body_whole (SoupMessage *msg, GBytes *body)
{
  goffset declared = soup_message_headers_get_content_length (soup_message_get_response_headers (msg));

  /* libsoup 3.2's send_and_read() may hand back what it got of a body whose connection
   * was cut (a server killed with -9 between an answer's head and its body), without an
   * error: an answer is one whose body is all there. */
  return soup_message_headers_get_encoding (soup_message_get_response_headers (msg))
           != SOUP_ENCODING_CONTENT_LENGTH
         || (goffset) g_bytes_get_size (body) == declared;
}

guint
rc_test_request (SoupSession *http, const char *base_url, const char *method, const char *path,
                 const char *token, const char *body, char **reply)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer = NULL;
  gsize size;
  const char *text;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
    }
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = rc_test_send_bytes (http, msg, &error);
  /* No answer, or one cut short (the server killed while it answered). */
  if (error != NULL || !rc_test_body_whole (msg, answer))
    {
      if (reply != NULL)
        *reply = NULL;
      return 0;
    }
  text = g_bytes_get_data (answer, &size);
  if (reply != NULL)
    *reply = g_strndup (text, size);
  return soup_message_get_status (msg);
}

/* ---------------------------------------------------------------- what was acknowledged */

void
rc_test_acked_init (RcTestAcked *a)
{
  a->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  a->last = 0;
}

void
rc_test_acked_clear (RcTestAcked *a)
{
  g_ptr_array_unref (a->events);
}

RcEvent *
rc_test_acked_add (RcTestAcked *a, const char *reply, const char *stream)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) message = rc_codec_decode_message (reply, -1, &error);
  RcEvent *event;

  g_assert_no_error (error);
  g_assert_cmpint (message->kind, ==, RC_MESSAGE_EVENT);
  g_assert_cmpstr (message->stream, ==, stream);
  event = message->event;
  if (a->events->len < (guint) event->seq)
    g_ptr_array_set_size (a->events, event->seq);
  g_assert_null (g_ptr_array_index (a->events, event->seq - 1));
  g_ptr_array_index (a->events, event->seq - 1) = rc_event_ref (event);
  a->last = MAX (a->last, event->seq);
  return event;
}

GPtrArray *
rc_test_assert_journal_has_acked (const char *path, const char *session_id, RcTestAcked *a)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  GPtrArray *events;
  guint n = 0;

  g_assert_no_error (error);
  events = rc_archive_load_events (archive, session_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (events->len, >=, a->last);
  for (guint i = 0; i < a->events->len; i++)
    if (g_ptr_array_index (a->events, i) != NULL)
      {
        rc_test_assert_events_equal (g_ptr_array_index (a->events, i),
                                     g_ptr_array_index (events, i));
        n++;
      }
  g_test_message ("journal: %u events, %u of them acknowledged, the newest %" G_GINT64_FORMAT,
                  events->len, n, a->last);
  return events;
}

char *
rc_test_fold_as_snapshot (GPtrArray *events, const char *stream)
{
  g_autoptr (RcSession) session = rc_session_new ();
  g_autoptr (RcSnapshot) snapshot = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (rc_session_fold (session, events, G_MAXINT64, &error), ==, events->len);
  g_assert_no_error (error);
  snapshot = rc_session_snapshot (session);
  return rc_codec_encode_snapshot (snapshot, stream);
}

GPtrArray *
rc_test_open_ga_vote (SoupSession *http, const char *base_url, const char *token,
                      const char *session_id, const char *vote_id)
{
  g_autofree char *session = g_strdup_printf (
    "{\"session\":{\"id\":\"%s\",\"meeting\":\"A/ES-11/PV.5\",\"date\":\"2022-03-02\","
    "\"title\":null,\"timezone\":\"America/New_York\",\"synthesized\":false},"
    "\"chamber\":\"UNGA\"}",
    session_id);
  g_autofree char *vote
    = g_strdup_printf ("{\"vote\":\"%s\",\"symbol\":\"A/RES/ES-11/1\",\"draft\":\"A/ES-11/L.1\","
                       "\"title\":\"Aggression against Ukraine\",\"majority\":\"two-thirds\","
                       "\"recorded\":true,\"reveal\":\"live\"}",
                       vote_id);
  g_autofree char *on_air = g_strdup_printf ("{\"show\":\"vote\",\"vote\":\"%s\"}", vote_id);
  g_autofree char *open = g_strdup_printf ("/v1/votes/%s/open", vote_id);
  const char *setup[][2] = { { "/v1/votes", vote }, { "/v1/on-air", on_air }, { open, "{}" } };
  g_autofree char *reply = NULL;
  g_autoptr (RcMessage) message = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *members = g_ptr_array_new_with_free_func (g_free);
  guint status = rc_test_request (http, base_url, "POST", "/v1/session", token, session, &reply);

  if (status != SOUP_STATUS_CREATED
      || (message = rc_codec_decode_message (reply, -1, &error)) == NULL
      || message->kind != RC_MESSAGE_EVENT || message->event->roster == NULL)
    g_error ("POST /v1/session: %u %s", status, reply);
  for (guint i = 0; i < rc_roster_get_size (message->event->roster); i++)
    g_ptr_array_add (members, g_strdup (rc_roster_get_member (message->event->roster, i)->code));
  for (guint i = 0; i < G_N_ELEMENTS (setup); i++)
    {
      g_clear_pointer (&reply, g_free);
      status = rc_test_request (http, base_url, "POST", setup[i][0], token, setup[i][1], &reply);
      if (status != SOUP_STATUS_CREATED)
        g_error ("POST %s: %u %s", setup[i][0], status, reply);
    }
  return members;
}

char *
rc_test_get_snapshot (SoupSession *http, const char *base_url)
{
  char *reply = NULL;
  guint status = rc_test_request (http, base_url, "GET", "/v1/snapshot", NULL, NULL, &reply);

  if (status != SOUP_STATUS_OK || reply == NULL || reply[0] == '\0')
    g_error ("GET %s/v1/snapshot: status %u, body \"%s\"", base_url, status,
             reply != NULL ? reply : "(none)");
  return reply;
}
