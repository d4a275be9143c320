/* fuzz-chamber.c — a chamber's data files (rc_chamber_load, rc_chamber_roster_at): the
 * key file, the members CSV it names and the palette file it names (docs/chambers.md).
 * A session source names its chamber file by path, and a hall may bring its own.
 *
 * The input is the chamber file, then optionally a line "%%" and the members CSV, then
 * optionally another "%%" and a palette, written as chambers/fuzz.chamber,
 * chambers/fuzz-members.csv and palettes/fuzz.palette of a folder of their own (so a
 * chamber file with members=fuzz-members.csv and palette=fuzz reads them).
 *
 * Any bytes: a chamber, or a refusal in one line; then, for a few days, a roster or a
 * refusal. A roster has members with distinct codes, each found where it is; and a
 * chamber and roster the loader accepts go into a session event (as the control API
 * and the importer put them) that the codec reads back. */
#include <string.h>

#include <glib/gstdio.h>

#include "codec/rc-codec.h"
#include "model/rc-chamber.h"
#include "rc-fuzz.h"

static char *chambers_dir;
static char *palettes_dir;

static void
set_up (void)
{
  chambers_dir = g_build_filename (rc_fuzz_dir (), "chambers", NULL);
  palettes_dir = g_build_filename (rc_fuzz_dir (), "palettes", NULL);
  g_mkdir (chambers_dir, 0755);
  g_mkdir (palettes_dir, 0755);
}

static void
check_roster (const RcChamber *chamber, const char *date)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcRoster) roster = rc_chamber_roster_at (chamber, date, &error);
  RcSessionInfo info
    = { (char *) "fuzz", (char *) "F/PV.1", (char *) date, (char *) "Fuzz", (char *) "UTC", FALSE };
  g_autoptr (RcEvent) event = NULL;
  g_autoptr (RcEvent) decoded = NULL;
  g_autofree char *text = NULL;

  if (roster == NULL)
    {
      rc_fuzz_check_refusal (error, "rc_chamber_roster_at");
      return;
    }
  rc_fuzz_check (rc_roster_get_size (roster) > 0, "an empty roster");
  for (guint i = 0; i < rc_roster_get_size (roster); i++)
    {
      const RcMember *m = rc_roster_get_member (roster, i);

      rc_fuzz_check (rc_roster_find (roster, m->code) == (int) i,
                     "member %s is found at %d, not %u", m->code, rc_roster_find (roster, m->code),
                     i);
    }

  event = rc_event_new_session (0, &info, rc_chamber_get_info (chamber), roster);
  event->seq = 1; /* not shared yet */
  text = rc_codec_encode (event);
  decoded = rc_codec_decode (text, -1, &error);
  rc_fuzz_check (decoded != NULL, "a session event of this chamber is refused: %s\n  %s",
                 error->message, text);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const dates[] = { "2022-03-02", "1945-10-24", "2099-12-31" };
  const guint8 *members, *palette;
  gsize members_size, palette_size;
  gsize chamber_size = rc_fuzz_split (data, size, &members, &members_size);
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcChamber) chamber = NULL;

  if (members != NULL)
    members_size = rc_fuzz_split (members, members_size, &palette, &palette_size);
  else
    palette = NULL, palette_size = 0;

  if (chambers_dir == NULL)
    set_up ();
  rc_fuzz_put_file (chambers_dir, "fuzz.chamber", data, chamber_size);
  rc_fuzz_put_file (chambers_dir, "fuzz-members.csv", members, members_size);
  rc_fuzz_put_file (palettes_dir, "fuzz.palette", palette, palette_size);

  path = g_build_filename (chambers_dir, "fuzz.chamber", NULL);
  chamber = rc_chamber_load (path, &error);
  if (chamber == NULL)
    {
      rc_fuzz_check_refusal (error, "rc_chamber_load");
      return 0;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (dates); i++)
    check_roster (chamber, dates[i]);
  return 0;
}
