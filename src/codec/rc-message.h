/* rc-message.h — one message of the feed: an event of a stream, a snapshot or a
 * heartbeat (docs/feed-protocol.md). The codec reads and writes them. */
#pragma once

#include <glib.h>

#include "model/rc-event.h"
#include "model/rc-snapshot.h"

G_BEGIN_DECLS

typedef enum {
  RC_MESSAGE_EVENT = 0, /* an event of the stream (never a heartbeat) */
  RC_MESSAGE_SNAPSHOT,
  RC_MESSAGE_HEARTBEAT,
} RcMessageKind;

typedef struct {
  RcMessageKind kind;
  char *stream;         /* the stream it belongs to */
  RcEvent *event;       /* RC_MESSAGE_EVENT */
  RcSnapshot *snapshot; /* RC_MESSAGE_SNAPSHOT */
  gint64 last_seq;      /* RC_MESSAGE_HEARTBEAT: the stream's last sequence number */
  gint64 time;          /* RC_MESSAGE_HEARTBEAT: the server's clock (µs since the epoch) */
} RcMessage;

void rc_message_free (RcMessage *message);
/* Another message holding the same (the event and the snapshot by reference). */
RcMessage *rc_message_copy (const RcMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcMessage, rc_message_free)

/* "STREAM:SEQ" — an event id — and back; FALSE if text is not one. */
char *rc_event_id_format (const char *stream, gint64 seq);
gboolean rc_event_id_parse (const char *text, char **stream, gint64 *seq);

G_END_DECLS
