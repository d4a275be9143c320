/* bench-feed-decode.h — the jansson side of bench-feed-decode.c, in a file of its own:
 * jansson's and json-glib's headers both declare json_object_iter_next(), so no file
 * can include both. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* json_loadb() with JSON_REJECT_DUPLICATES; TRUE when the text was accepted. */
gboolean rc_bench_parse_jansson (const char *text, gsize length);

G_END_DECLS
