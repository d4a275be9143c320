/* rc-settings.h — the one door to the application's GSettings.
 *
 * Widgets and actions bind to this object's properties, never to GSettings itself,
 * so the keys are named in one place and the tests run with GSETTINGS_BACKEND=memory.
 * When the schema is not installed (a build run from an unusual place), the values
 * live in memory only and nothing is persisted. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RC_TYPE_SETTINGS (rc_settings_get_type ())
G_DECLARE_FINAL_TYPE (RcSettings, rc_settings, RC, SETTINGS, GObject)

/* The application's settings (schema io.github.rollcall.Rollcall). */
RcSettings *rc_settings_new (void);

gboolean rc_settings_get_colour_blind_glyphs (RcSettings *self);
void rc_settings_set_colour_blind_glyphs (RcSettings *self, gboolean glyphs);
gboolean rc_settings_get_current_names (RcSettings *self);
void rc_settings_set_current_names (RcSettings *self, gboolean current);
/* "" means the chamber's own palette. */
const char *rc_settings_get_palette (RcSettings *self);
void rc_settings_set_palette (RcSettings *self, const char *palette);

/* "" means the desktop's language (if one of the six, else English); else "fr" or
 * "en,fr" (rc_board_language_parse()). */
const char *rc_settings_get_board_language (RcSettings *self);
void rc_settings_set_board_language (RcSettings *self, const char *language);
/* For this run only (--board-language): set, and no longer saved nor followed. */
void rc_settings_override_board_language (RcSettings *self, const char *language);

void rc_settings_get_window_size (RcSettings *self, int *width, int *height,
                                  gboolean *maximized);
void rc_settings_set_window_size (RcSettings *self, int width, int height,
                                  gboolean maximized);

G_END_DECLS
