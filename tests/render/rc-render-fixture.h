/* rc-render-fixture.h — what the render tests draw: the two seed meetings as sessions,
 * built on the model's own test seed (tests/model/rc-test-seed.h), at any stage of
 * their vote, and helpers to read pixels back. */
#pragma once

#include <cairo.h>

#include "model/rc-session.h"
#include "render/rc-board-layout.h"

G_BEGIN_DECLS

typedef enum {
  FIXTURE_SCHEDULED, /* the vote is scheduled, nobody has voted */
  FIXTURE_OPEN,      /* open, the first n_ballots members (roster order) have voted */
  FIXTURE_LOCKED,
  FIXTURE_ANNOUNCED, /* the final state */
} FixtureStage;

typedef struct {
  gboolean ga;          /* the General Assembly (ES-11/1), else the Council (S/2022/155) */
  FixtureStage stage;
  guint n_ballots;      /* for FIXTURE_OPEN */
  RcReveal reveal;
  RcResultShown result_shown; /* the default (0): when announced */
  /* FALSE: totals only. Ballots say only "voted" and the announcement carries the
   * reference totals as official totals, which the model makes the vote's tally. */
  gboolean recorded;
  gboolean wrong_official; /* announce official totals that differ from the ballots */
} FixtureSpec;

/* The roster of the seed session (unga.chamber on 2022-03-02, unsc.chamber on
 * 2022-02-25). */
RcRoster *fixture_roster (gboolean ga);
/* member code → RcChoice: each member's final choice in the model's seed vote (so
 * Venezuela is RC_CHOICE_NO_RIGHT, Art. 19). */
GHashTable *fixture_reference (gboolean ga);
RcSession *fixture_session (const FixtureSpec *spec);
/* The final state of a seed vote (recorded, live reveal, announced). */
RcSession *fixture_final (gboolean ga);
/* The Assembly's seed meeting with its optional texts left out: the chamber's body,
 * the meeting symbol, the vote's symbol and draft are all `missing` (NULL or ""). Its
 * one vote, "v1" titled "Aggression against Ukraine", is scheduled. */
RcSession *fixture_bare_session (const char *missing);

/* A measuring context for tests (the headless one the export uses). */
PangoContext *fixture_context (void);

/* 0xRRGGBB of an image surface's pixel. */
guint32 fixture_pixel (cairo_surface_t *image, int x, int y);
/* The clock time fixture_paint() shows. */
gint64 fixture_clock (void);
/* Paints the whole board of the session's first vote onto a new RGB24 image. */
cairo_surface_t *fixture_paint (RcSession *session, const RcBoardLayout *layout,
                                const RcStyle *style);
/* A pixel of cell i's light, below its centre, clear of any glyph, slash or ring:
 * the light's fill colour. */
guint32 fixture_light_fill (cairo_surface_t *image, const RcBoardLayout *layout, guint i);
/* The centre pixel of cell i's light. */
guint32 fixture_light_pixel (cairo_surface_t *image, const RcBoardLayout *layout, guint i);
/* Writes image to $ROLLCALL_RENDER_DUMP/NAME.png when that is set (to look at). */
void fixture_dump (cairo_surface_t *image, const char *name);
/* Counts the pixels of colour rgb in rect. */
guint fixture_count_colour (cairo_surface_t *image, const RcRect *rect, guint32 rgb);
/* TRUE when the two images (of one size) have the same pixels in rect; else says
 * where they first differ (g_test_message). */
gboolean fixture_same_pixels (cairo_surface_t *a, cairo_surface_t *b, const RcRect *rect);
/* A fresh temporary folder (removed with fixture_rmdir). */
char *fixture_tmpdir (void);
void fixture_rmdir (const char *dir);

G_END_DECLS
