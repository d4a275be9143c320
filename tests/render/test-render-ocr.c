/* test-render-ocr.c — an independent eye: tesseract reads the boards rollcall-render
 * draws from the bundled demo archive. ES-11/1 at 1920×1080 and 3840×2160 must read
 * 141, 35 and ADOPTED and at least 95% of the 193 members' labels; S/2022/155 must
 * read NOT ADOPTED and the veto; the seed vote in French, Spanish, Russian, Arabic and
 * Chinese must read its counts and verdict and 90% of the labels in that language,
 * with every light as on the English board. argv[1] is rollcall-render, argv[2]
 * tesseract.
 * Results are in docs/board.md. */
#include <cairo.h>
#include <string.h>

#include "archive/rc-archive.h"
#include "model/rc-paths.h"
#include "model/rc-replay.h"
#include "rc-render-fixture.h"
#include "render/rc-board-layout.h"
#include "render/rc-style.h"

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

/* Renders the vote at the size, in the board language (NULL: English), and returns
 * what tesseract reads with that language's data ("eng", "fra"…), as it gives it. */
static char *
ocr_raw (const char *dir, const char *vote, const char *size, const char *language,
         const char *traineddata, const char *psm)
{
  g_autofree char *archive = rc_paths_find_demo_archive ();
  g_autofree char *png
    = g_strdup_printf ("%s/%s-%s.png", dir, size, language != NULL ? language : "en");
  const char *render_argv[] = { renderer,
                                archive,
                                "--vote",
                                vote,
                                "--size",
                                size,
                                "--board-language",
                                language != NULL ? language : "en",
                                "-o",
                                png,
                                NULL };
  /* Sparse text (11): the board is columns of short lines, not paragraphs. */
  const char *ocr_argv[] = { tesseract, png, "stdout", "--psm", psm, "-l", traineddata, NULL };
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
  return g_steal_pointer (&out);
}

/* The English board, read by tesseract, normalised. */
static char *
ocr (const char *dir, const char *vote, const char *size)
{
  g_autofree char *out = ocr_raw (dir, vote, size, NULL, "eng", "11");

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

/* Text as letters and digits of any script, for comparing what OCR reads with a name:
 * compatibility forms folded (NFKC), case folded, marks dropped (Arabic's short vowels
 * and tatweel, Latin accents tesseract may miss), every alif one letter, runs of other
 * characters one space; no space at all for Chinese, which writes none. */
static char *
normalise_any (const char *text, gboolean cjk)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *nfd = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  GString *out = g_string_new (cjk ? "" : " ");

  for (const char *p = nfd; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c) || c == 0x0640)
        continue;
      if (c == 0x0622 || c == 0x0623 || c == 0x0625 || c == 0x0671)
        c = 0x0627;
      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
      else if (!cjk && out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
    }
  if (!cjk && out->str[out->len - 1] != ' ')
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

typedef struct {
  const char *language;    /* the board's */
  const char *traineddata; /* tesseract's */
  guint least;             /* % of the labels that must be read */
  const char *words[4];    /* the count, the verdict, as the catalogue writes them */
  const char *not_words;   /* the other verdict, which must not be read */
  const char *first;       /* the first name of the UN's lists in that language */
} LanguageCase;

/* The seed vote in each of the UN's languages at 1920×1080, read back by tesseract
 * with that language's data: the members' labels (as the board names them in that
 * language), the counts and the verdict; every light the colour of the English
 * board's light for the same member; the Arabic board's first column on the right. */
static void
test_language (gconstpointer data)
{
  const LanguageCase *c = data;
  gboolean cjk = g_str_equal (c->language, "zh_CN");
  g_autoptr (RcRoster) roster = demo_roster ("A/RES/ES-11/1");
  g_autoptr (RcStyle) style = rc_style_new ();
  g_autoptr (RcRoster) shown = NULL;
  g_autofree char *dir = fixture_tmpdir ();
  /* tesseract's three ways of reading a page: sparse text (11: the board is columns of
   * short lines), a block of rows (6: the grid, read across) and a page (3: the big
   * type of the counts and the verdict). A name or a word read by any counts. */
  const char *const modes[] = { "11", "6", "3" };
  char *texts[G_N_ELEMENTS (modes)];
  g_autoptr (GString) missed = g_string_new (NULL);
  guint n = rc_roster_get_size (roster), found = 0;

  /* Chinese is compared word by word (a name is one of tesseract's words): 刚果 is in
   * 刚果民主共和国 but is not it. */
  g_autoptr (GHashTable) tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autofree char *raw
        = ocr_raw (dir, "A/RES/ES-11/1", "1920x1080", c->language, c->traineddata, modes[m]);
      g_auto (GStrv) words = g_strsplit_set (raw, " \t\n", -1);

      texts[m] = normalise_any (raw, cjk);
      for (guint w = 0; words[w] != NULL; w++)
        if (*words[w] != '\0')
          g_hash_table_add (tokens, normalise_any (words[w], TRUE));
    }
  g_assert_true (rc_board_language_parse (c->language, &style->language, NULL));
  shown = rc_style_board_roster (style, roster, "2022-03-02");
  for (guint i = 0; i < n; i++)
    {
      const char *label = rc_roster_get_member (shown, i)->label;
      g_autofree char *want = normalise_any (label, cjk);

      if (cjk ? g_hash_table_contains (tokens, want)
              : (strstr (texts[0], want) != NULL || strstr (texts[1], want) != NULL
                 || strstr (texts[2], want) != NULL))
        found++;
      else
        g_string_append_printf (missed, "%s%s", missed->len ? ", " : "", label);
    }
  g_test_message ("%s: tesseract (%s) read %u of %u labels (%.1f%%); missed: %s", c->language,
                  c->traineddata, found, n, 100.0 * found / n, missed->len ? missed->str : "none");
  for (guint w = 0; w < G_N_ELEMENTS (c->words) && c->words[w] != NULL; w++)
    {
      g_autofree char *want = normalise_any (c->words[w], cjk);

      if (strstr (texts[0], want) == NULL && strstr (texts[1], want) == NULL
          && strstr (texts[2], want) == NULL)
        g_error ("%s: tesseract did not read '%s' in: %s", c->language, c->words[w], texts[2]);
    }
  g_assert_cmpuint (100 * found, >=, c->least * n);
  /* The verdict read is the right one: the other is not there. */
  {
    g_autofree char *other = normalise_any (c->not_words, cjk);

    for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
      if (strstr (texts[m], other) != NULL)
        g_error ("%s: tesseract read '%s' on a board of an adopted vote", c->language,
                 c->not_words);
  }

  /* The lights: each member's as on the English board, wherever the language put it. */
  {
    g_autofree char *png = g_strdup_printf ("%s/1920x1080-%s.png", dir, c->language);
    g_autofree char *english = g_strdup_printf ("%s/1920x1080-en.png", dir);
    g_autoptr (RcStyle) en_style = rc_style_new ();
    g_autofree char *unused = ocr_raw (dir, "A/RES/ES-11/1", "1920x1080", NULL, "eng", "11");
    PangoContext *context = fixture_context ();
    g_autoptr (RcBoardLayout) l = rc_board_layout_new (1920, 1080, shown, style, context);
    g_autoptr (RcBoardLayout) el = rc_board_layout_new (1920, 1080, roster, en_style, context);
    cairo_surface_t *image = cairo_image_surface_create_from_png (png);
    cairo_surface_t *en_image = cairo_image_surface_create_from_png (english);
    guint first = 0;

    g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_surface_status (en_image), ==, CAIRO_STATUS_SUCCESS);
    for (guint i = 0; i < n; i++)
      {
        g_assert_cmphex (fixture_light_fill (image, l, i), ==,
                         fixture_light_fill (en_image, el, i));
        if (l->cells[i].column == 0 && l->cells[i].row == 0)
          first = i;
      }
    /* The first name of the UN's lists in the language heads the first column: on the
     * right of an Arabic board, on the left of the others. */
    g_assert_cmpstr (rc_roster_get_member (shown, first)->name, ==, c->first);
    if (g_str_equal (c->language, "ar"))
      g_assert_cmpfloat (l->cells[first].frame.x, >, 0.8 * 1920);
    else
      g_assert_cmpfloat (l->cells[first].frame.x, <, 0.2 * 1920);
    cairo_surface_destroy (image);
    cairo_surface_destroy (en_image);
    g_object_unref (context);
  }
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    g_free (texts[m]);
  fixture_rmdir (dir);
}

static const LanguageCase language_cases[] = {
  { "fr", "fra", 90, { "141", "35", "ADOPTÉ", NULL }, "NON ADOPTÉ", "Afghanistan" },
  { "es", "spa", 90, { "141", "35", "APROBADO", NULL }, "NO APROBADO", "Afganistán" },
  { "ru", "rus", 90, { "141", "35", "ПРИНЯТО", NULL }, "НЕ ПРИНЯТО", "Австралия" },
  { "ar", "ara+eng", 90, { "141", "35", "اعتمد", NULL }, "لم يعتمد", "الاتحاد الروسي" },
  { "zh_CN", "chi_sim", 90, { "141", "35", "通过", NULL }, "未通过", "阿富汗" },
};

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 3);
  renderer = argv[1];
  tesseract = argv[2];
  g_test_add_func ("/render/ocr/general-assembly", test_assembly);
  g_test_add_func ("/render/ocr/security-council", test_council);
  for (guint i = 0; i < G_N_ELEMENTS (language_cases); i++)
    {
      g_autofree char *path
        = g_strdup_printf ("/render/ocr/language/%s", language_cases[i].language);

      g_test_add_data_func (path, &language_cases[i], test_language);
    }
  return g_test_run ();
}
