/* rc-feed-http-head.h — the head of an HTTP/1.1 request (request line and header
 * fields), checked as its bytes arrive, before libsoup parses it.
 *
 * libsoup 3.2 answers what it cannot parse itself, with a bare status and no body,
 * before any handler of ours runs, and it resolves what we must refuse (dot segments,
 * two Authorization fields: the last wins). So every connection's bytes pass this
 * check first (rc-feed-gate.c): a head is let through only if it is one that libsoup
 * reads exactly as we do, and every other is refused in the protocol's own form
 * (docs/feed-protocol.md §9). Pure: bytes in, a verdict out; no I/O. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The request line, and the whole head, may be no longer than this. */
#define RC_HTTP_LINE_MAX (8 * 1024)
#define RC_HTTP_HEAD_MAX (32 * 1024)
#define RC_HTTP_FIELDS_MAX 100
/* A request's body (the control API's are the only ones read) may be no longer. */
#define RC_HTTP_BODY_MAX (64 * 1024)

typedef enum {
  RC_HTTP_HEAD_INCOMPLETE, /* more bytes are needed */
  RC_HTTP_HEAD_OK,         /* a head libsoup reads as we do; see RcHttpHead */
  RC_HTTP_HEAD_REFUSED,    /* see status, code, reason */
} RcHttpHeadVerdict;

typedef struct {
  /* RC_HTTP_HEAD_OK: */
  gsize length;          /* bytes of the head, its empty line included */
  gint64 content_length; /* -1: none given */
  gboolean chunked;
  gboolean expect_continue; /* the client waits for 100 Continue before its body */
  /* RC_HTTP_HEAD_REFUSED: the answer (the protocol's error form) */
  guint status;
  const char *code;
  char *reason; /* one line, translated */
} RcHttpHead;

/* Checks data[0 .. length): the bytes of a connection so far. */
RcHttpHeadVerdict rc_http_head_check (const char *data, gsize length, RcHttpHead *head);
void rc_http_head_clear (RcHttpHead *head);

/* The phrase of a status this file refuses with ("Bad Request"). */
const char *rc_http_status_phrase (guint status);

G_END_DECLS
