/* rc-feed-test-program.h — the built rollcall-feed as a test runs it: spawned (through
 * a wrapper such as nsenter when given), its "listening on" line read, killed with
 * SIGKILL or stopped with SIGTERM; a clerk's requests to it over HTTP; and what it
 * acknowledged, to find again in its journal. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "model/rc-event.h"

G_BEGIN_DECLS

typedef struct {
  GSubprocess *process;
  GDataInputStream *out;
  char *url; /* as it printed it: "http://127.0.0.1:PORT" */
  gboolean exited;
} RcTestProgram;

/* Spawns argv (NULL-terminated) with `env` (NULL-terminated NAME=VALUE, may be NULL)
 * added to the test's environment, its stderr the test's, and waits for the line that
 * says where it listens; the test fails if it exits first. */
RcTestProgram *rc_test_program_start (const char *const *argv, const char *const *env);
/* SIGKILL, and waits until it is gone. */
void rc_test_program_kill (RcTestProgram *p);
/* SIGTERM; the test fails unless it exits 0. */
void rc_test_program_stop (RcTestProgram *p);
void rc_test_program_free (RcTestProgram *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcTestProgram, rc_test_program_free)
/* The port of its URL. */
guint rc_test_program_port (RcTestProgram *p);

/* Sends msg through http and waits for its whole answer, the main loop turning
 * (RC_TEST_TIMEOUT_MS at most): the body, or NULL and *error. */
GBytes *rc_test_send_bytes (SoupSession *http, SoupMessage *msg, GError **error);
/* The same for a request that must get an answer (the test fails otherwise): the
 * status, and the body as text in *reply. */
guint rc_test_send (SoupSession *http, SoupMessage *msg, char **reply);

/* The body of msg's answer is whole (as long as its Content-Length says). */
gboolean rc_test_body_whole (SoupMessage *msg, GBytes *body);

/* A request to base_url + path through http; `token` (may be NULL) as the bearer,
 * `body` (may be NULL) as application/json. Returns the status; the reply's body in
 * *reply (reply may be NULL). A request that gets no answer (the server died) returns 0. */
guint rc_test_request (SoupSession *http, const char *base_url, const char *method,
                       const char *path, const char *token, const char *body, char **reply);

/* GET /v1/snapshot, which must answer 200; its body. */
char *rc_test_get_snapshot (SoupSession *http, const char *base_url);

/* A clerk's requests to a live server at base_url (token: its bearer): the General
 * Assembly's meeting of 2 March 2022 (session `session_id`, the chamber and roster of
 * the day from the server's data files), A/RES/ES-11/1 as vote `vote_id`, on air and
 * opened. Returns the members' codes in roster order; the test fails on a refusal. */
GPtrArray *rc_test_open_ga_vote (SoupSession *http, const char *base_url, const char *token,
                                 const char *session_id, const char *vote_id);

/* The events a server acknowledged (201), by seq, as it published them. */
typedef struct {
  GPtrArray *events; /* index seq - 1; NULL where the outcome is not known */
  gint64 last;       /* the newest acknowledged */
} RcTestAcked;

void rc_test_acked_init (RcTestAcked *a);
void rc_test_acked_clear (RcTestAcked *a);
/* Decodes a 201's body (the event as published, with its stream, which must be
 * `stream`) and keeps it; returns the event (borrowed). */
RcEvent *rc_test_acked_add (RcTestAcked *a, const char *reply, const char *stream);
/* Every acknowledged event is in the journal at path, as acknowledged; returns the
 * session's journal. */
GPtrArray *rc_test_assert_journal_has_acked (const char *path, const char *session_id,
                                             RcTestAcked *a);
/* The state events fold to, as GET /v1/snapshot sends it for `stream`. */
char *rc_test_fold_as_snapshot (GPtrArray *events, const char *stream);

G_END_DECLS
