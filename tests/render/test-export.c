/* test-export.c — the board to files: PNG, SVG and PDF are written whole, with the right
 * magic bytes and size, the usual permissions, the official names in the vector files'
 * metadata; blank screens; other formats and unwritable places are refused with a
 * one-line reason, leaving no file. */
#include <cairo.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "model/rc-chamber.h"
#include "model/rc-error.h"
#include "rc-render-fixture.h"
#include "render/rc-export.h"

typedef struct {
  char *dir;
  RcSession *session;
  RcStyle *style;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  f->dir = fixture_tmpdir ();
  f->session = fixture_final (GPOINTER_TO_INT (data));
  f->style = rc_style_new ();
}

static void
teardown (Fixture *f, gconstpointer data)
{
  fixture_rmdir (f->dir);
  g_free (f->dir);
  g_clear_object (&f->session);
  rc_style_free (f->style);
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* PDF streams hold NUL bytes: search the whole buffer. */
static gboolean
contains (const char *data, gsize len, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static char *
export (Fixture *f, const char *name, int width, int height)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (rc_export_to_file (path, width, height, f->style, f->session,
                                    rc_session_get_vote (f->session, 0), 1646239100000000,
                                    &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_png (Fixture *f, gconstpointer data)
{
  g_autofree char *path = export (f, "board.png", 1280, 720);
  g_autofree char *contents = NULL;
  gsize len;
  cairo_surface_t *image;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
  image = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 1280);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 720);
  cairo_surface_destroy (image);
  /* Only the file: the temporary it was written to is gone. */
  g_assert_cmpuint (count_files (f->dir), ==, 1);
}

static void
test_svg (Fixture *f, gconstpointer data)
{
  g_autofree char *path = export (f, "board.SVG", 1920, 1080);
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "<?xml"));
  g_assert_nonnull (strstr (contents, "<svg"));
  g_assert_nonnull (strstr (contents, "width=\"1920px\""));
  /* The board shows "United Kingdom"; the record keeps the official name. */
  g_assert_nonnull (strstr (contents, "<title>A/RES/ES-11/1 — Aggression against Ukraine"));
  g_assert_nonnull (strstr (contents, "United Kingdom of Great Britain and Northern Ireland"));
  g_assert_nonnull (strstr (contents, "Against: Belarus, Democratic People&apos;s Republic of "
                                      "Korea, Eritrea, Russian Federation, Syrian Arab Republic."));
  g_assert_nonnull (strstr (contents, "Without the right to vote: Venezuela (Bolivarian "
                                      "Republic of)."));
  g_assert_cmpuint (count_files (f->dir), ==, 1);
}

static void
test_pdf (Fixture *f, gconstpointer data)
{
  g_autofree char *path = export (f, "board.pdf", 1920, 1080);
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_true (contains (contents, len, "/MediaBox [ 0 0 1920 1080 ]"));
  g_assert_true (contains (contents, len, "/Creator (Rollcall)"));
  g_assert_cmpuint (count_files (f->dir), ==, 1);
}

/* The Council's board names the veto in its metadata too. */
static void
test_council_svg (Fixture *f, gconstpointer data)
{
  g_autofree char *path = export (f, "council.svg", 1280, 720);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "<title>S/2022/155"));
  g_assert_nonnull (strstr (contents, "Against: Russian Federation."));
}

/* No session at all (a window before its feed says anything): a blank board in the
 * default palette, not a crash. */
static void
test_blank (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "blank.png", NULL);
  g_autoptr (GError) error = NULL;
  cairo_surface_t *image;
  RcPalette p;

  g_assert_true (rc_export_to_file (path, 640, 360, f->style, NULL, NULL, 0, &error));
  g_assert_no_error (error);
  rc_palette_init_default (&p);
  image = cairo_image_surface_create_from_png (path);
  g_assert_cmpuint (fixture_pixel (image, 320, 180), ==, p.background);
  g_assert_cmpuint (fixture_pixel (image, 0, 0), ==, p.background);
  cairo_surface_destroy (image);
}

/* Written like any other program's file: 0666 less the umask, not a temporary file's
 * 0600, in every format. */
static void
test_mode (Fixture *f, gconstpointer data)
{
  const char *names[] = { "board.png", "board.svg", "board.pdf" };
  const mode_t masks[] = { 022, 077 };

  for (guint m = 0; m < G_N_ELEMENTS (masks); m++)
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        mode_t old = umask (masks[m]);
        g_autofree char *path = export (f, names[i], 320, 180);
        GStatBuf st;

        umask (old);
        g_assert_cmpint (g_stat (path, &st), ==, 0);
        g_assert_cmpint (st.st_mode & 0777, ==, 0666 & ~masks[m]);
        /* Only the file: no temporary left beside it. */
        g_assert_cmpuint (count_files (f->dir), ==, 1);
        g_assert_cmpint (g_unlink (path), ==, 0);
      }
}

/* "blank" on air: the whole frame in the palette's background (the style's when it
 * has one), as the hall screens show it; the metadata says so. */
static void
test_blank_screens (Fixture *f, gconstpointer data)
{
  g_autofree char *png = g_build_filename (f->dir, "blank.png", NULL);
  g_autofree char *svg = g_build_filename (f->dir, "blank.svg", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  cairo_surface_t *image;
  RcRect frame = { 0, 0, 640, 360 };

  g_assert_true (rc_style_load_palette (f->style, "blue-red-white", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->style->palette.background, !=,
                    rc_session_get_chamber (f->session)->palette.background);
  g_assert_true (rc_export_blank_to_file (png, 640, 360, f->style, f->session, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpuint (fixture_count_colour (image, &frame, f->style->palette.background), ==,
                    640 * 360);
  cairo_surface_destroy (image);

  g_assert_true (rc_export_blank_to_file (svg, 640, 360, f->style, f->session, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "<desc>General Assembly. A/ES-11/PV.5, 2022-03-02. "
                                      "Screens blank.</desc>"));
}

/* The SVG of session's first vote, as text. */
static char *
export_svg (Fixture *f, RcSession *session, const char *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_assert_true (rc_export_to_file (path, 640, 360, f->style, session,
                                    rc_session_get_vote (session, 0), 0, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

/* Fields a source left out or sent empty are left out of the metadata: no "(null)",
 * no empty parentheses, no title starting with a dash. */
static void
test_missing_texts (Fixture *f, gconstpointer data)
{
  const char *variants[] = { NULL, "" };

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autoptr (RcSession) session = fixture_bare_session (variants[i]);
      g_autofree char *contents = export_svg (f, session, "bare.svg");

      g_assert_nonnull (strstr (contents, "<title>Aggression against Ukraine</title>"));
      g_assert_nonnull (strstr (contents, "<desc>General Assembly. 2022-03-02. Vote v1: "
                                          "scheduled. Yes 0, No 0, Abstentions 0, Not yet "
                                          "voted 193.</desc>"));
      g_assert_null (strstr (contents, "(null)"));
      g_assert_null (strstr (contents, "()"));
    }
}

/* A vote not recorded, locked before its totals are announced, in a vote that shows
 * its result at the lock: the record says the result is pending and how many voted,
 * never "NOT ADOPTED". A recorded vote whose result waits for its announcement (the
 * default) says no more than the board: how many voted, and that the result will be
 * announced. */
static void
test_result_pending (Fixture *f, gconstpointer data)
{
  FixtureSpec spec
    = { .ga = TRUE, .stage = FIXTURE_LOCKED, .recorded = FALSE, .result_shown = RC_RESULT_AT_LOCK };
  FixtureSpec held = { .ga = TRUE, .stage = FIXTURE_LOCKED, .recorded = TRUE };
  g_autoptr (RcSession) session = fixture_session (&spec);
  g_autoptr (RcSession) held_session = fixture_session (&held);
  g_autofree char *contents = export_svg (f, session, "pending.svg");
  g_autofree char *held_contents = export_svg (f, held_session, "held.svg");

  g_assert_nonnull (strstr (contents, ": locked. Voted 181, Did not vote 12. RESULT PENDING."));
  g_assert_null (strstr (contents, "ADOPTED"));
  g_assert_null (strstr (contents, "In favour"));
  g_assert_nonnull (strstr (held_contents, ": locked. Voted 181, Did not vote 12. The result "
                                           "will be announced."));
  g_assert_null (strstr (held_contents, "ADOPTED"));
  g_assert_null (strstr (held_contents, "Yes 141"));
}

static void
assert_refused (Fixture *f, const char *path, int width, int height, int code)
{
  g_autoptr (GError) error = NULL;
  guint before = count_files (f->dir);

  g_assert_false (rc_export_to_file (path, width, height, f->style, f->session,
                                     rc_session_get_vote (f->session, 0), 0, &error));
  g_assert_error (error, RC_ERROR, code);
  g_test_message ("refused: %s", error->message);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (f->dir), ==, before);
}

static void
test_refusals (Fixture *f, gconstpointer data)
{
  g_autofree char *gif = g_build_filename (f->dir, "board.gif", NULL);
  g_autofree char *none = g_build_filename (f->dir, "board", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no", "such", "board.png", NULL);
  g_autofree char *ok = g_build_filename (f->dir, "board.png", NULL);
  g_autoptr (GError) error = NULL;
  RcExportFormat format;

  assert_refused (f, gif, 100, 100, RC_ERROR_BAD_ARGUMENT);
  assert_refused (f, none, 100, 100, RC_ERROR_BAD_ARGUMENT);
  assert_refused (f, missing, 100, 100, RC_ERROR_BAD_FILE);
  assert_refused (f, ok, 0, 100, RC_ERROR_BAD_ARGUMENT);
  assert_refused (f, ok, 40000, 100, RC_ERROR_BAD_ARGUMENT);

  g_assert_true (rc_export_format_from_path ("x.Pdf", &format, NULL));
  g_assert_cmpint (format, ==, RC_EXPORT_PDF);
  g_assert_true (rc_export_format_from_path ("x.png.TXT", &format, NULL));
  g_assert_cmpint (format, ==, RC_EXPORT_TXT); /* the last extension decides */
  g_assert_false (rc_export_format_from_path ("x.txt.gif", &format, &error));
  g_assert_nonnull (strstr (error->message, ".png, .svg, .pdf, .csv or .txt"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/render/export/png", Fixture, GINT_TO_POINTER (TRUE), setup, test_png,
              teardown);
  g_test_add ("/render/export/svg", Fixture, GINT_TO_POINTER (TRUE), setup, test_svg,
              teardown);
  g_test_add ("/render/export/pdf", Fixture, GINT_TO_POINTER (TRUE), setup, test_pdf,
              teardown);
  g_test_add ("/render/export/council-svg", Fixture, GINT_TO_POINTER (FALSE), setup,
              test_council_svg, teardown);
  g_test_add ("/render/export/blank", Fixture, GINT_TO_POINTER (TRUE), setup, test_blank,
              teardown);
  g_test_add ("/render/export/refusals", Fixture, GINT_TO_POINTER (TRUE), setup,
              test_refusals, teardown);
  g_test_add ("/render/export/mode", Fixture, GINT_TO_POINTER (TRUE), setup, test_mode,
              teardown);
  g_test_add ("/render/export/blank-screens", Fixture, GINT_TO_POINTER (TRUE), setup,
              test_blank_screens, teardown);
  g_test_add ("/render/export/missing-texts", Fixture, GINT_TO_POINTER (TRUE), setup,
              test_missing_texts, teardown);
  g_test_add ("/render/export/result-pending", Fixture, GINT_TO_POINTER (TRUE), setup,
              test_result_pending, teardown);
  return g_test_run ();
}
