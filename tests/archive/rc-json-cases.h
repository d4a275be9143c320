/* rc-json-cases.h — texts that are not RFC 8259 JSON, or that pass our limits, each a
 * ballot whose only fault is that one: the same table goes through every entry point
 * of outside JSON (a feed message, a line of JSON Lines, a control API body), and each
 * must be refused with its reason (docs/events.md, "What a decoder refuses"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *name;
  /* "<ENV>" stands for the envelope of the entry point, "<NUL>" for a NUL byte,
   * "<DEEP:N>" for N arrays one in another ([[…]]). */
  const char *text;
  const char *reason; /* a part of the one-line reason */
} RcJsonCase;

extern const RcJsonCase rc_json_cases[];
extern const guint rc_json_n_cases;

/* The case's text with its envelope (members and their commas, such as
 * "\"v\":1,\"seq\":5,…,\"vote\":\"es-11-1\"," or "" for a control body), and its length
 * (it may hold a NUL). */
char *rc_json_case_text (const char *text, const char *envelope, gsize *length);

/* The same ballot as JSON, without a fault: what every entry point accepts. */
#define RC_JSON_CASE_GOOD "{<ENV>\"member\":\"AFG\",\"choice\":\"yes\"}"
/* The deepest nesting accepted (32: the ballot object, then 31 arrays). */
#define RC_JSON_CASE_DEEPEST "{<ENV>\"member\":\"AFG\",\"choice\":\"yes\",\"x\":<DEEP:31>}"

G_END_DECLS
