/* rc-chamber.h — a chamber as data: its members over time, its rules, its colours.
 *
 * Nothing about a chamber is in C: a chamber is read from a key file
 * (data/chambers/NAME.chamber, format in docs/chambers.md) naming a CSV of members
 * with the names each bore and when. rc_chamber_roster_at() gives the roster of one
 * day. The rules and palette travel with every session (they are in its first
 * event), so a board needs no local chamber files. */
#pragma once

#include <glib.h>

#include "rc-roster.h"
#include "rc-types.h"

G_BEGIN_DECLS

/* Colours as 0xRRGGBB. */
typedef struct {
  guint32 background;
  guint32 text;
  guint32 dim_text;
  guint32 cell;        /* cell background */
  guint32 yes;
  guint32 no;
  guint32 abstain;
  guint32 not_voting;  /* the dark light */
  guint32 pending;     /* light of a member who has not voted yet */
  guint32 hidden;      /* light of "has voted" with the choice hidden */
  guint32 adopted;
  guint32 not_adopted;
} RcPalette;

typedef struct {
  RcMajority default_majority;
  guint council_affirmative; /* for RC_MAJORITY_COUNCIL: yes votes needed (9) */
  gboolean concurrent_votes; /* may two votes be open at once */
} RcRules;

/* What a session carries about its chamber (besides the roster). */
typedef struct {
  char *id;     /* "UNGA", "UNSC" */
  char *name;   /* "General Assembly" */
  char *body;   /* "United Nations" */
  RcRules rules;
  RcPalette palette;
} RcChamberInfo;

/* The palette's colours by name, one table for every format that names them: the
 * key files use `key` ("dim-text"), the wire uses it too. */
typedef struct {
  const char *key;
  gsize offset;
} RcPaletteField;

extern const RcPaletteField rc_palette_fields[];
extern const guint rc_palette_n_fields;
#define RC_PALETTE_COLOUR(palette, field) G_STRUCT_MEMBER (guint32, (palette), (field)->offset)

RcChamberInfo *rc_chamber_info_copy (const RcChamberInfo *info);
void rc_chamber_info_free (RcChamberInfo *info);
gboolean rc_chamber_info_equal (const RcChamberInfo *a, const RcChamberInfo *b);
void rc_palette_init_default (RcPalette *palette);
/* Reads a [Palette] group into palette (keys optional; others left as they are). */
gboolean rc_palette_load_from_keyfile (RcPalette *palette, GKeyFile *kf, const char *group,
                                       GError **error);
/* Loads a palette file over palette: name_or_path is a path (it contains a '/' or ends
 * in ".palette") or a name looked up as palettes/NAME.palette, first in near_dir/..
 * (when given: the folder of the chamber file), then in the data folders. */
gboolean rc_palette_load (RcPalette *palette, const char *name_or_path, const char *near_dir,
                          GError **error);
/* "#rrggbb" → 0xRRGGBB */
gboolean rc_parse_colour (const char *text, guint32 *out);

typedef struct _RcChamber RcChamber;

/* Loads NAME.chamber and the member CSV it names (path relative to the key file). */
RcChamber *rc_chamber_load (const char *path, GError **error);
void rc_chamber_free (RcChamber *chamber);
const RcChamberInfo *rc_chamber_get_info (const RcChamber *chamber);
/* The members on the given day (YYYY-MM-DD), with the names then in force. Members
 * admitted after the date or gone before it do not appear. */
RcRoster *rc_chamber_roster_at (const RcChamber *chamber, const char *date, GError **error);

/* One name a member bore, and when (a row of the members file). */
typedef struct {
  const char *code;
  const char *name;
  const char *label; /* NULL: none */
  const char *from;  /* first day */
  const char *until; /* last day, NULL: still in force */
  gboolean veto;
} RcChamberName;

/* Every row of the member with this code, oldest first (borrowed from the chamber; an
 * empty array for a code the chamber never had). */
GArray *rc_chamber_get_names (const RcChamber *chamber, const char *code);

/* The roster of the chamber with this id (data file chambers/ID.chamber, id in lower
 * case) on the given day, or today (local date) when date is NULL. */
RcRoster *rc_chamber_find_roster (const char *chamber_id, const char *date, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcChamber, rc_chamber_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcChamberInfo, rc_chamber_info_free)

G_END_DECLS
