/* fuzz-codec.c — the event codec's decoder (rc_codec_decode): what the archive's
 * journal rows, JSON Lines records and the control API's bodies all go through.
 *
 * Any bytes: an event, or a refusal in one line. An event must survive encoding: it
 * encodes to text the decoder accepts, and that decodes to an event that encodes to
 * the same text (docs/events.md: the journal and the wire hold exactly what the
 * codec writes). */
#include <string.h>

#include "codec/rc-codec.h"
#include "rc-fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) event = rc_codec_decode ((const char *) data, (gssize) size, &error);
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  g_autoptr (RcEvent) decoded = NULL;

  if (event == NULL)
    {
      rc_fuzz_check_refusal (error, "rc_codec_decode");
      return 0;
    }
  rc_fuzz_check (error == NULL, "rc_codec_decode gave an event and an error");
  rc_fuzz_check (event->type < RC_EVENT_N_TYPES, "an event of type %d", event->type);

  text = rc_codec_encode (event);
  rc_fuzz_check (strchr (text, '\n') == NULL, "an event encoded on two lines: %s", text);
  decoded = rc_codec_decode (text, -1, &error);
  rc_fuzz_check (decoded != NULL, "the codec refuses its own output: %s\n  %s", error->message,
                 text);
  again = rc_codec_encode (decoded);
  rc_fuzz_check_same ("an event encoded, decoded and encoded again", text, again);
  return 0;
}
