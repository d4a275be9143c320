/* rc-light.h — a member's light: the disc that shows its state in a vote.
 *
 * Yes, No and Abstain in the palette's colours; "has voted" (choice hidden) in a
 * neutral lit colour; not yet voted as a dark disc with a ring; did not vote dark;
 * no right to vote dark with a slash. In the colour-blind-safe mode a glyph (tick,
 * cross, dash) is drawn inside the lit lights, in whichever of the palette's dark or
 * light colour contrasts more. Internal to src/render. */
#pragma once

#include <cairo.h>

#include "model/rc-chamber.h"
#include "model/rc-types.h"
#include "rc-board-layout.h"

G_BEGIN_DECLS

/* The colour at the centre of a light showing choice (tests read it back). */
guint32 rc_light_colour (RcChoice choice, const RcPalette *palette);
void rc_light_paint (cairo_t *cr, const RcRect *box, RcChoice choice, gboolean glyphs,
                     const RcPalette *palette);

G_END_DECLS
