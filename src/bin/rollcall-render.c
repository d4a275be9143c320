/* rollcall-render.c — a board from an archive to a PNG, SVG or PDF file, or the vote's
 * record as CSV or text.
 *
 *   rollcall-render ARCHIVE [--session ID] [--vote ID] [--at SECONDS] [--size WxH]
 *                   [--palette NAME|FILE] [--glyphs] [--board-language LANG]
 *                   -o OUT.png|.svg|.pdf|.csv|.txt
 *
 * The session's journal is folded through the same state machine as a replay, up to
 * --at seconds after its first event, and the chosen vote is drawn by the same
 * painter as the window. Without --vote it draws what the hall screens showed at that
 * moment: the vote on air, the holding slide, or the screens blank. Every refusal is
 * one line on stderr and a non-zero exit, and leaves no output file. A journal with
 * events the state machine refuses is drawn as every other reader shows it (the
 * refused events skipped), after one warning line. */
#include "rc-config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gi18n.h>

#include "archive/rc-archive.h"
#include "model/rc-error.h"
#include "model/rc-paths.h"
#include "model/rc-replay.h"
#include "render/rc-export.h"
#include "render/rc-style.h"

#define EXIT_FAILED 1
#define EXIT_USAGE 2

/* One line on stderr, whatever the message holds. */
static void
say (const char *kind, const char *message)
{
  g_autofree char *line = g_strdelimit (g_strdup (message), "\r\n", ' ');

  fprintf (stderr, "rollcall-render: %s%s\n", kind, line);
}

static int
die (int status, const char *format, ...) G_GNUC_PRINTF (2, 3);

static int
die (int status, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  say ("", message);
  return status;
}

/* "1920x1080" (or with "×"): both sides 1 to 32767. */
static gboolean
parse_size (const char *text, int *width, int *height)
{
  g_auto (GStrv) parts = NULL;
  guint64 w, h;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit_set (text, "xX", 2);
  if (g_strv_length (parts) != 2 && strstr (text, "×") != NULL)
    {
      g_strfreev (parts);
      parts = g_strsplit (text, "×", 2);
    }
  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 1, 32767, &w, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, 32767, &h, NULL))
    return FALSE;
  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

/* Seconds, not negative, finite. */
static gboolean
parse_seconds (const char *text, double *out)
{
  char *end = NULL;
  double v;

  if (text == NULL || *text == '\0')
    return FALSE;
  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (v) || v < 0 || v > 1e12)
    return FALSE;
  *out = v;
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *session_sel = NULL;
  g_autofree char *vote_sel = NULL;
  g_autofree char *at_text = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *palette = NULL;
  g_autofree char *output = NULL;
  g_auto (GStrv) args = NULL;
  g_autofree char *board_language = NULL;
  gboolean glyphs = FALSE;
  const GOptionEntry entries[] = {
    { "session", 0, 0, G_OPTION_ARG_STRING, &session_sel,
      N_ ("The session: its id, meeting symbol or date (not needed when the vote says it)"),
      N_ ("ID") },
    { "vote", 0, 0, G_OPTION_ARG_STRING, &vote_sel,
      N_ ("The vote: its id, document or draft symbol, or 1-based position (default: what "
          "the hall screens showed: the vote on air, the holding slide, or blank)"),
      N_ ("ID") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text,
      N_ ("Show the state SECONDS after the session's first event (default: the end)"),
      N_ ("SECONDS") },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size_text, N_ ("Size in pixels (default 1920x1080)"),
      N_ ("WxH") },
    { "palette", 0, 0, G_OPTION_ARG_STRING, &palette,
      N_ ("Colours: a palette name (un-board, blue-red-white, high-contrast) or a file"),
      N_ ("NAME|FILE") },
    { "glyphs", 0, 0, G_OPTION_ARG_NONE, &glyphs,
      N_ ("Colour-blind-safe mode: a glyph in each light"), NULL },
    { "board-language", 0, 0, G_OPTION_ARG_STRING, &board_language,
      N_ ("The board's language: ar, en, es, fr, ru or zh_CN, or two of them for a bilingual "
          "board (en,fr) (default: the user's language if it is one of them, else English)"),
      N_ ("LANG") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("The file to write; its extension chooses PNG, SVG or PDF (the board), CSV (each "
          "member's choice) or TXT (the record of the vote)"),
      N_ ("OUT") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, N_ ("ARCHIVE") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (RcSession) session = NULL;
  g_autoptr (RcStyle) style = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *note = NULL;
  RcExportFormat format;
  RcVote *vote = NULL;
  gboolean blank = FALSE;
  int width = 1920, height = 1080;
  double at = -1;
  gint64 until = G_MAXINT64, clock_time;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, rc_paths_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The usage line names ARCHIVE once: GOption adds the remaining arguments' name. */
  context = g_option_context_new (NULL);
  g_option_context_set_summary (
    context, _ ("Draws a vote's board to a PNG, SVG or PDF file, or writes the vote's "
                "record as CSV or text."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return die (EXIT_USAGE, "%s", error->message);

  if (args == NULL || args[0] == NULL)
    return die (EXIT_USAGE, _("no archive given (see --help)"));
  if (args[1] != NULL)
    return die (EXIT_USAGE, _("one archive at a time, not '%s' too"), args[1]);
  if (output == NULL)
    return die (EXIT_USAGE, _ ("no output file given (-o OUT.png|.svg|.pdf|.csv|.txt)"));
  if (!rc_export_format_from_path (output, &format, &error))
    return die (EXIT_USAGE, "%s", error->message);
  if (size_text != NULL && !parse_size (size_text, &width, &height))
    return die (EXIT_USAGE, _("--size '%s' is not WIDTHxHEIGHT in pixels (1 to 32767)"),
                size_text);
  if (at_text != NULL && !parse_seconds (at_text, &at))
    return die (EXIT_USAGE, _("--at '%s' is not a number of seconds (0 or more)"), at_text);

  style = rc_style_new ();
  style->glyphs = glyphs;
  if (!rc_board_language_parse (board_language != NULL ? board_language
                                                       : rc_language_from_environment (),
                                &style->language, &error))
    return die (EXIT_USAGE, "%s", error->message);
  if (palette != NULL && !rc_style_load_palette (style, palette, &error))
    return die (EXIT_USAGE, "%s", error->message);

  if (!g_file_test (args[0], G_FILE_TEST_EXISTS))
    return die (EXIT_FAILED, _("%s: no such archive"), args[0]);
  archive = rc_archive_open (args[0], RC_ARCHIVE_READ_ONLY, &error);
  if (archive == NULL)
    return die (EXIT_FAILED, "%s", error->message);
  session_id = rc_archive_choose_session (archive, session_sel, vote_sel, &note, &error);
  if (note != NULL)
    g_printerr ("rollcall-render: %s\n", note);
  if (session_id == NULL)
    return die (EXIT_FAILED, "%s", error->message);
  events = rc_archive_load_events (archive, session_id, &error);
  if (events == NULL)
    return die (EXIT_FAILED, "%s", error->message);
  if (events->len == 0)
    return die (EXIT_FAILED, _("session %s has no events"), session_id);

  if (at >= 0)
    {
      const RcEvent *first = g_ptr_array_index (events, 0);

      until = first->time + (gint64) llround (at * G_USEC_PER_SEC);
    }
  session = rc_session_new ();
  rc_session_fold (session, events, until, &error);
  if (error != NULL)
    {
      /* The fold skipped what it refused, as the window's replay does: say so once
       * and draw the same picture. */
      g_autofree char *reason = g_strdup_printf (_("session %s: %s"), session_id,
                                                 error->message);

      say (_ ("warning: "), reason);
      g_clear_error (&error);
    }
  if (rc_session_get_info (session) == NULL)
    return die (EXIT_FAILED, _("session %s does not start with its meeting"), session_id);

  if (vote_sel != NULL)
    {
      vote = rc_session_lookup_vote (session, vote_sel, &error);
      if (vote == NULL)
        return die (EXIT_FAILED, "%s%s", error->message,
                    at >= 0 ? _(" (at the moment --at gives)") : "");
    }
  else if (rc_journal_has_on_air (events))
    {
      /* What the hall screens showed: the vote on air; NULL, the holding slide; or,
       * below, blank screens. */
      vote = rc_session_get_on_air_vote (session);
      blank = rc_session_get_on_air (session) == RC_ON_AIR_BLANK;
    }
  else /* nobody chose what to show: the vote being taken, as the window does */
    vote = rc_session_get_current_vote (session);

  /* The clock shows the moment drawn: --at, or the journal's last event. */
  clock_time = rc_session_get_last_time (session);
  if (at >= 0 && until > clock_time)
    clock_time = until;

  if (blank ? !rc_export_blank_to_file (output, width, height, style, session, &error)
            : !rc_export_to_file (output, width, height, style, session, vote, clock_time,
                                  &error))
    return die (EXIT_FAILED, "%s", error->message);
  return EXIT_SUCCESS;
}
