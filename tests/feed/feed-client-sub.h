/* feed-client-sub.h — what the tests of RcFeedClient share: a client with what it
 * signalled (refusals, new sessions), and the votes and comparisons they check it
 * with. The servers are rc-feed-test-util.h's (ours) or the tests' own peers. */
#pragma once

#include "feed/rc-feed-client.h"
#include "rc-feed-test-util.h"

G_BEGIN_DECLS

/* A client of url (not started), and what it signalled. */
typedef struct {
  RcFeedClient *client;
  GPtrArray *refusals; /* char *, as signalled */
  guint sessions;      /* times the session was replaced */
  char *dump_at_refusal;
  char *id_at_refusal;
} Sub;

Sub *sub_new (const char *url);
void sub_free (Sub *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sub, sub_free)

RcFeedClientState sub_state (Sub *s);
/* The seq of the last event its session holds. */
gint64 sub_seq (Sub *s);
gboolean sub_status_mentions (Sub *s, const char *what);
/* Live, and holding exactly as many events as the hub. */
gboolean sub_caught_up (Sub *s, RcFeedHub *hub);

/* "http://127.0.0.1:P" as the transport's URL: ws:// (wss://), or as it is for SSE. */
char *sub_url_for (const char *http_url, RcTestTransport transport);
/* rc_test_vote_events() of n members, each event a second after the one before. */
GPtrArray *sub_vote_events (guint n_members);
/* Publishes events[from, to) through the hub; the test fails on a refusal. */
void sub_publish_range (RcFeedHub *hub, GPtrArray *events, guint from, guint to);
/* Two sessions in the same state (their snapshots, encoded, are equal). */
void sub_assert_same_state (RcSession *a, RcSession *b);

G_END_DECLS
