/* rc-error.c — the project's error domain. */
#include "rc-error.h"

G_DEFINE_QUARK (rc-error-quark, rc_error)
