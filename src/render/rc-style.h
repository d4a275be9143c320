/* rc-style.h — how a board looks, beyond its geometry: colours, glyphs, font, marks.
 *
 * A plain value owned by whoever shows a board (the window, rollcall-render). The
 * palette defaults to the chamber's (it travels with the session); an operator may
 * override it by name ("blue-red-white", found in the data folders) or by file. The
 * layout only depends on the font family; everything else is read by the painter. */
#pragma once

#include <glib.h>

#include "model/rc-chamber.h"
#include "model/rc-language.h"
#include "model/rc-roster.h"

G_BEGIN_DECLS

#define RC_STYLE_DEFAULT_FONT "Noto Sans"

typedef struct {
  /* Used only when has_palette is TRUE; otherwise the session's chamber palette. */
  RcPalette palette;
  gboolean has_palette;
  /* Colour-blind-safe mode: a glyph (tick, cross, dash) inside each lit light. */
  gboolean glyphs;
  /* The feed fell silent: the header shows a visible "stale" badge. */
  gboolean stale;
  /* A hall's screen (a kiosk, and the desk's preview and program, which show what the
   * hall sees): no operator's marks — official totals that differ from the ballots
   * are the desk's alarm, not the public's. */
  gboolean hall;
  /* Font family of every text on the board; fontconfig supplies fallbacks. */
  char *font_family;
  /* The hall's language(s): the board's words, the names and their order, the
   * direction (docs/languages.md). rc_style_new() starts in English. */
  RcBoardLanguage language;
} RcStyle;

RcStyle *rc_style_new (void);
RcStyle *rc_style_copy (const RcStyle *style);
void rc_style_free (RcStyle *style);

/* NULL family restores RC_STYLE_DEFAULT_FONT. */
void rc_style_set_font_family (RcStyle *style, const char *family);
/* NULL palette goes back to the chamber's palette. */
void rc_style_set_palette (RcStyle *style, const RcPalette *palette);

/* name_or_path: a palette name (looked up as "palettes/NAME.palette" in the data
 * folders) or the path of a key file with a [Palette] group, read by the model's
 * rc_palette_load() over the built-in default. On failure the style is unchanged and
 * error says why in one line (RC_ERROR_BAD_FILE, RC_ERROR_BAD_ARGUMENT). */
gboolean rc_style_load_palette (RcStyle *style, const char *name_or_path, GError **error);

/* The palette to paint with: the style's override, else the chamber's, else the
 * built-in default (chamber may be NULL). The result is written to out. */
void rc_style_resolve_palette (const RcStyle *style, const RcChamberInfo *chamber,
                               RcPalette *out);

/* The families the board's texts are set in: the style's family, then the fonts
 * named for the board's languages' scripts ("Noto Sans Arabic", "Noto Sans CJK SC":
 * Chinese must not fall back to a Japanese face), as a Pango family list. */
char *rc_style_get_font_families (const RcStyle *style);
/* The roster a board of this style shows: the same members in the same places, with
 * the names in force on date in the board's first language, placed in its order
 * (rc_roster_translate()); a new reference to roster itself in English. */
RcRoster *rc_style_board_roster (const RcStyle *style, const RcRoster *roster, const char *date);
/* The board mirrors (its first language is written right to left). */
gboolean rc_style_is_rtl (const RcStyle *style);

/* TRUE when a layout computed for a may be reused for b (same font family and
 * languages). */
gboolean rc_style_same_geometry (const RcStyle *a, const RcStyle *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcStyle, rc_style_free)

G_END_DECLS
