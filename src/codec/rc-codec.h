/* rc-codec.h — RcEvent <-> one line of JSON: the journal's payload and the wire message.
 *
 * The archive stores exactly what this encodes, and the live feed sends exactly
 * the same text, so there is one format to document (docs/events.md) and to test.
 * Decoding is strict: anything that is not a well-formed version-1 event is refused
 * with RC_ERROR_BAD_MESSAGE and a one-line reason naming the field. It does not
 * check membership or lifecycle; the session state machine does that. */
#pragma once

#include <glib.h>

#include "model/rc-event.h"
#include "model/rc-snapshot.h"
#include "rc-message.h"

G_BEGIN_DECLS

/* The version written in every message ("v"). */
#define RC_CODEC_VERSION 1
/* Messages longer than this (bytes) are refused before they are parsed. */
#define RC_CODEC_MAX_MESSAGE (1024 * 1024)
/* The longest stream id (bytes): a session's id (RC_ID_MAX) and what a server adds to
 * tell its runs apart. */
#define RC_CODEC_MAX_STREAM 128

/* One line of JSON, no trailing newline. */
char *rc_codec_encode (const RcEvent *event);

/* text need not be NUL-terminated when length >= 0; length -1 means NUL-terminated. */
RcEvent *rc_codec_decode (const char *text, gssize length, GError **error);

/* The feed's messages (docs/feed-protocol.md): an event with its "stream", a
 * snapshot, a heartbeat. One line of JSON each. */
char *rc_codec_encode_stream_event (const RcEvent *event, const char *stream);
char *rc_codec_encode_snapshot (const RcSnapshot *snapshot, const char *stream);
char *rc_codec_encode_heartbeat (const char *stream, gint64 last_seq, gint64 time);
/* Any of the three, strictly (the limits and refusals of rc_codec_decode). */
RcMessage *rc_codec_decode_message (const char *text, gssize length, GError **error);

/* The wire form of a journal time: "2022-03-02T17:01:02.345Z" (UTC; milliseconds,
 * or microseconds when the time has them). */
char *rc_codec_format_time (gint64 time);
/* Accepts YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z only. */
gboolean rc_codec_parse_time (const char *text, gint64 *out);

G_END_DECLS
