/* test-render-ocr.c — an independent eye: tesseract reads the boards rollcall-render
 * draws from the bundled demo archive. ES-11/1 at 1920×1080 and 3840×2160 must read
 * 141, 35 and ADOPTED and at least 95% of the 193 members' labels; S/2022/155 must
 * read NOT ADOPTED and the veto. argv[1] is rollcall-render, argv[2] tesseract.
 * Results are in docs/board.md. */
#include <string.h>

#include "archive/rc-archive.h"
#include "model/rc-paths.h"
#include "model/rc-replay.h"
#include "rc-render-fixture.h"

static const char *renderer;
static const char *tesseract;

/* Lower case ASCII words separated by single spaces, with a space at each end, so
 * that " word " finds whole words: OCR and labels compare on letters alone. */
static char *
normalise (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_new (" ");

  for (const char *p = ascii; *p != '\0'; p++)
    {
      char c = g_ascii_tolower (*p);

      if (g_ascii_isalnum (c) || c == '&')
        g_string_append_c (out, c);
      else if (out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
    }
  if (out->str[out->len - 1] != ' ')
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

static gboolean
reads (const char *normalised, const char *words)
{
  g_autofree char *n = normalise (words);

  return strstr (normalised, n) != NULL;
}

/* Renders the vote at the size and returns what tesseract reads, normalised. */
static char *
ocr (const char *dir, const char *vote, const char *size)
{
  g_autofree char *archive = rc_paths_find_demo_archive ();
  g_autofree char *png = g_strdup_printf ("%s/%s.png", dir, size);
  const char *render_argv[] = { renderer, archive, "--vote", vote, "--size", size, "-o", png,
                                NULL };
  /* Sparse text: the board is columns of short lines, not paragraphs. */
  const char *ocr_argv[] = { tesseract, png, "stdout", "--psm", "11", NULL };
  g_auto (GStrv) env = g_get_environ ();
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  g_assert_nonnull (archive);
  g_assert_true (g_spawn_sync (NULL, (char **) render_argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  /* One thread: OpenMP's spinning makes tesseract many times slower on two cores. */
  env = g_environ_setenv (env, "OMP_THREAD_LIMIT", "1", TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) ocr_argv, env, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return normalise (out);
}

static RcRoster *
demo_roster (const char *vote)
{
  g_autofree char *path = rc_paths_find_demo_archive ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  g_autofree char *id = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (RcSession) session = rc_session_new ();

  g_assert_no_error (error);
  id = rc_archive_resolve_session (archive, NULL, vote, &error);
  g_assert_no_error (error);
  events = rc_archive_load_events (archive, id, &error);
  g_assert_no_error (error);
  rc_session_fold (session, events, G_MAXINT64, &error);
  g_assert_no_error (error);
  return rc_roster_ref (rc_session_get_roster (session));
}

static void
test_assembly (void)
{
  const char *sizes[] = { "1920x1080", "3840x2160" };
  g_autoptr (RcRoster) roster = demo_roster ("A/RES/ES-11/1");
  g_autofree char *dir = fixture_tmpdir ();
  guint n = rc_roster_get_size (roster);

  g_assert_cmpuint (n, ==, 193);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autofree char *text = ocr (dir, "A/RES/ES-11/1", sizes[s]);
      g_autoptr (GString) missed = g_string_new (NULL);
      guint found = 0;

      for (guint i = 0; i < n; i++)
        {
          const char *label = rc_roster_get_member (roster, i)->label;

          if (reads (text, label))
            found++;
          else
            g_string_append_printf (missed, "%s%s", missed->len ? ", " : "", label);
        }
      g_test_message ("%s: tesseract read %u of %u labels (%.1f%%); missed: %s", sizes[s],
                      found, n, 100.0 * found / n, missed->len ? missed->str : "none");
      g_assert_true (reads (text, "141"));
      g_assert_true (reads (text, "35"));
      g_assert_true (reads (text, "ADOPTED"));
      g_assert_cmpuint (100 * found, >=, 95 * n);
    }
  fixture_rmdir (dir);
}

static void
test_council (void)
{
  g_autofree char *dir = fixture_tmpdir ();
  g_autofree char *text = ocr (dir, "S/2022/155", "1920x1080");

  g_assert_true (reads (text, "NOT ADOPTED"));
  g_assert_true (reads (text, "Vetoed by Russian Federation"));
  g_assert_true (reads (text, "11"));
  g_assert_true (reads (text, "United Kingdom"));
  fixture_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 3);
  renderer = argv[1];
  tesseract = argv[2];
  g_test_add_func ("/render/ocr/general-assembly", test_assembly);
  g_test_add_func ("/render/ocr/security-council", test_council);
  return g_test_run ();
}
