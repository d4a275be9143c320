/* fuzz-event-id.c — an event id, "STREAM:SEQ" (rc_event_id_parse): what a board sends
 * back to resume, in Last-Event-ID or ?last_event_id= (docs/feed-protocol.md §2, §4).
 *
 * Any bytes (up to a NUL, as a header's value is a C string): a stream and a sequence
 * number, or FALSE. A stream parsed is not empty and holds no ':'; the sequence number
 * is not negative; formatted again (rc_event_id_format), the id parses to the same. */
#include <string.h>

#include "codec/rc-message.h"
#include "rc-fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *stream = NULL;
  g_autofree char *again = NULL;
  g_autofree char *stream_again = NULL;
  gint64 seq = -1, seq_again = -1;

  if (!rc_event_id_parse (text, &stream, &seq))
    {
      rc_fuzz_check (stream == NULL, "a refused id set a stream");
      return 0;
    }
  rc_fuzz_check (stream != NULL && stream[0] != '\0' && strchr (stream, ':') == NULL,
                 "\"%s\" parsed to the stream \"%s\"", text, stream);
  rc_fuzz_check (seq >= 0, "\"%s\" parsed to seq %" G_GINT64_FORMAT, text, seq);
  again = rc_event_id_format (stream, seq);
  rc_fuzz_check (rc_event_id_parse (again, &stream_again, &seq_again), "\"%s\" is refused", again);
  rc_fuzz_check (g_str_equal (stream, stream_again) && seq == seq_again,
                 "\"%s\" formatted and parsed again differs", text);
  return 0;
}
