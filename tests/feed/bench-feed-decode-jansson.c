/* bench-feed-decode-jansson.c — jansson's parse alone, for bench-feed-decode.c. */
#include "bench-feed-decode.h"

#include <jansson.h>

gboolean
rc_bench_parse_jansson (const char *text, gsize length)
{
  json_error_t error;
  json_t *root = json_loadb (text, length, JSON_REJECT_DUPLICATES, &error);

  if (root == NULL)
    return FALSE;
  json_decref (root);
  return TRUE;
}
