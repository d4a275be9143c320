/* fuzz-http-head.c — the head of an HTTP request, as the feed server's gate checks it
 * before libsoup reads it (rc_http_head_check, src/feed/rc-feed-http-head.c): the bytes
 * a connection has sent so far, from anyone on the hall's network.
 *
 * Any bytes: a verdict. A head let through ends with its empty line within the input,
 * says no length and chunked at once, and declares no more than the body limit; a
 * refusal has one of the documented statuses, a code, and a reason of one line of
 * UTF-8. The check is of a prefix of a stream, so it must agree with itself as bytes
 * come: once a prefix is let through, every longer input is, with the same head, and
 * once a prefix is refused, every longer input is refused. */
#include <string.h>

#include "feed/rc-feed-http-head.h"
#include "rc-fuzz.h"

static RcHttpHeadVerdict
check (const char *data, gsize size, RcHttpHead *head)
{
  RcHttpHeadVerdict verdict = rc_http_head_check (data, size, head);

  switch (verdict)
    {
    case RC_HTTP_HEAD_OK:
      rc_fuzz_check (head->length > 0 && head->length <= size, "a head of %" G_GSIZE_FORMAT
                     " bytes in %" G_GSIZE_FORMAT, head->length, size);
      rc_fuzz_check (data[head->length - 1] == '\n', "a head that does not end a line");
      rc_fuzz_check (head->content_length >= -1
                       && head->content_length <= RC_HTTP_BODY_MAX,
                     "a head let through with a length of %" G_GINT64_FORMAT,
                     head->content_length);
      rc_fuzz_check (!(head->chunked && head->content_length >= 0),
                     "a head let through with a length and chunked");
      break;
    case RC_HTTP_HEAD_REFUSED:
      rc_fuzz_check (head->status == 400 || head->status == 413 || head->status == 414
                       || head->status == 417 || head->status == 431 || head->status == 501
                       || head->status == 505,
                     "a refusal with status %u", head->status);
      rc_fuzz_check (head->code != NULL && head->code[0] != '\0', "a refusal without a code");
      rc_fuzz_check (head->reason != NULL && head->reason[0] != '\0'
                       && strchr (head->reason, '\n') == NULL
                       && g_utf8_validate (head->reason, -1, NULL),
                     "a refusal's reason is not one line of UTF-8");
      rc_fuzz_check (strcmp (rc_http_status_phrase (head->status), "Error") != 0,
                     "status %u has no phrase", head->status);
      break;
    case RC_HTTP_HEAD_INCOMPLETE:
      rc_fuzz_check (size <= RC_HTTP_HEAD_MAX
                       && (size <= RC_HTTP_LINE_MAX || memchr (data, '\n', size) != NULL),
                     "%" G_GSIZE_FORMAT " bytes still incomplete", size);
      break;
    default:
      rc_fuzz_fail ("verdict %d", verdict);
    }
  return verdict;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  RcHttpHead whole = { 0 };
  RcHttpHeadVerdict verdict = check ((const char *) data, size, &whole);

  /* The same bytes as they would come: every prefix at a line end, and halfway. */
  for (gsize cut = 1; cut < size; cut++)
    {
      RcHttpHead part = { 0 };
      RcHttpHeadVerdict early;

      if (data[cut - 1] != '\n' && cut != size / 2)
        continue;
      early = check ((const char *) data, cut, &part);
      if (early == RC_HTTP_HEAD_OK)
        rc_fuzz_check (verdict == RC_HTTP_HEAD_OK && whole.length == part.length
                         && whole.content_length == part.content_length
                         && whole.chunked == part.chunked,
                       "a head let through at %" G_GSIZE_FORMAT " bytes, then %d", cut,
                       verdict);
      else if (early == RC_HTTP_HEAD_REFUSED)
        rc_fuzz_check (verdict == RC_HTTP_HEAD_REFUSED,
                       "refused at %" G_GSIZE_FORMAT " bytes (%s), not when whole", cut,
                       part.reason);
      rc_http_head_clear (&part);
    }
  rc_http_head_clear (&whole);
  return 0;
}
