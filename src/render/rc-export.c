/* rc-export.c — a board to a PNG, SVG or PDF file, with the same layout and painter as
 * the window; or the vote's record in words, as CSV or text (rc-record.h).
 *
 * The file goes through RcAtomicFile: written beside its final name, flushed, renamed
 * at the end, so a failure (a full disk, an unwritable folder) leaves no file,
 * half-written or otherwise, and the file gets the usual permissions (0666 less the
 * umask). Vector files carry the vote in words — official names and each member's
 * shown choice — as PDF metadata or SVG <title>/<desc>, since the board itself shows
 * short labels. */
#include "rc-export.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "model/rc-atomic-file.h"
#include "model/rc-error.h"
#include "rc-board-layout.h"
#include "rc-painter.h"
#include "rc-record.h"
#include "rc-words.h"

gboolean
rc_export_format_from_path (const char *path, RcExportFormat *out, GError **error)
{
  g_autofree char *lower = NULL;
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);

  dot = strrchr (path, '.');
  lower = dot != NULL ? g_ascii_strdown (dot, -1) : NULL;
  if (lower != NULL && strcmp (lower, ".png") == 0)
    *out = RC_EXPORT_PNG;
  else if (lower != NULL && strcmp (lower, ".svg") == 0)
    *out = RC_EXPORT_SVG;
  else if (lower != NULL && strcmp (lower, ".pdf") == 0)
    *out = RC_EXPORT_PDF;
  else if (lower != NULL && strcmp (lower, ".csv") == 0)
    *out = RC_EXPORT_CSV;
  else if (lower != NULL && strcmp (lower, ".txt") == 0)
    *out = RC_EXPORT_TXT;
  else
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   _ ("%s: unsupported output format (use .png, .svg, .pdf, .csv or .txt)"), path);
      return FALSE;
    }
  return TRUE;
}

static void
append_names (GString *s, RcVote *vote, RcChoice choice, const char *heading)
{
  const RcRoster *roster = rc_vote_get_roster (vote);
  guint n = rc_roster_get_size (roster), count = 0;

  for (guint i = 0; i < n; i++)
    {
      if (rc_vote_get_shown_choice (vote, i) != choice)
        continue;
      g_string_append (s, count++ == 0 ? heading : ", ");
      g_string_append (s, rc_roster_get_member (roster, i)->name);
    }
  if (count > 0)
    g_string_append (s, ".");
}

/* "a<sep>b", or whichever of the two there is, or NULL. */
static char *
join (const char *a, const char *sep, const char *b)
{
  if (a != NULL && b != NULL)
    return g_strconcat (a, sep, b, NULL);
  return g_strdup (a != NULL ? a : b);
}

static void
describe_vote (GString *s, RcVote *vote)
{
  const RcVoteInfo *vi = rc_vote_get_info (vote);
  const RcVerdict *v = rc_vote_get_verdict (vote);
  RcVoteState state = rc_vote_get_state (vote);
  RcTally t;

  g_string_append_printf (s, _("Vote %s"), rc_vote_get_id (vote));
  if (rc_nonempty (vi->draft) != NULL)
    g_string_append_printf (s, " (%s)", vi->draft);
  g_string_append_printf (s, ": %s. ", rc_vote_state_to_string (state));

  /* A cancelled vote has no result: no count, no name, as on the board. */
  if (state == RC_VOTE_CANCELLED)
    {
      if (rc_nonempty (rc_vote_get_note (vote)) != NULL)
        g_string_append_printf (s, "%s.", rc_vote_get_note (vote));
      return;
    }
  /* The counts as the board shows them: only who has voted while choices are hidden
   * or the result waits for its announcement, who has not voted yet until the lock. */
  rc_vote_get_shown_tally (vote, &t);
  if (state == RC_VOTE_LOCKED && !rc_vote_shows_result (vote))
    {
      g_string_append_printf (s, "%s %u, %s %u. %s.", _ ("Voted"),
                              t.hidden + t.yes + t.no + t.abstain, _ ("Did not vote"),
                              t.not_voting + t.pending, _ ("The result will be announced"));
      return;
    }
  if (t.hidden > 0)
    g_string_append_printf (s, "%s %u, ", _("Voted"), t.hidden + t.yes + t.no + t.abstain);
  else
    g_string_append_printf (s, _("Yes %u, No %u, Abstentions %u, "), t.yes, t.no, t.abstain);
  if (state == RC_VOTE_SCHEDULED || state == RC_VOTE_OPEN)
    g_string_append_printf (s, "%s %u.", _("Not yet voted"), t.pending);
  else
    g_string_append_printf (s, "%s %u.", _("Did not vote"), t.not_voting + t.pending);

  if (v->outcome == RC_OUTCOME_ADOPTED && v->reason == RC_REASON_AS_RECORDED)
    g_string_append_printf (s, " %s.", _ ("ADOPTED, as recorded"));
  else if (v->outcome == RC_OUTCOME_ADOPTED)
    g_string_append_printf (s, " %s.", _("ADOPTED"));
  else if (v->outcome == RC_OUTCOME_NOT_ADOPTED)
    g_string_append_printf (s, " %s.", _("NOT ADOPTED"));
  else if (v->outcome == RC_OUTCOME_UNKNOWN)
    g_string_append_printf (s, " %s.", _ ("RESULT NOT RECORDED"));
  else if (state == RC_VOTE_LOCKED || state == RC_VOTE_ANNOUNCED)
    g_string_append_printf (s, " %s.", _("RESULT PENDING"));
  if (v->reason == RC_REASON_VETO && v->veto_member >= 0)
    g_string_append_printf (
        s, _(" Vetoed by %s."),
        rc_roster_get_member (rc_vote_get_roster (vote), (guint) v->veto_member)->name);
  append_names (s, vote, RC_CHOICE_YES, _(" In favour: "));
  append_names (s, vote, RC_CHOICE_NO, _(" Against: "));
  append_names (s, vote, RC_CHOICE_ABSTAIN, _(" Abstaining: "));
  append_names (s, vote, RC_CHOICE_NOT_VOTING, _(" Not voting: "));
  append_names (s, vote, RC_CHOICE_NO_RIGHT, _(" Without the right to vote: "));
}

/* The board in words, with the official names: for the document's metadata. Fields a
 * source left out or sent empty are left out here too. */
static char *
describe (RcSession *session, RcVote *vote, gboolean blank, char **title_out)
{
  const RcSessionInfo *info = session != NULL ? rc_session_get_info (session) : NULL;
  const RcChamberInfo *chamber = session != NULL ? rc_session_get_chamber (session) : NULL;
  GString *s = g_string_new (NULL);
  g_autofree char *meeting = NULL;
  char *title = NULL;

  if (chamber != NULL && rc_nonempty (chamber->name) != NULL)
    g_string_append_printf (s, "%s. ", chamber->name);
  if (info != NULL)
    meeting = join (rc_nonempty (info->meeting), ", ", rc_nonempty (info->date));
  if (meeting != NULL)
    g_string_append_printf (s, "%s. ", meeting);

  if (blank)
    g_string_append (s, _("Screens blank."));
  else if (vote == NULL)
    {
      const char *line = session != NULL ? rc_session_get_on_air_text (session) : NULL;

      title = g_strdup (info != NULL ? rc_nonempty (info->title) : NULL);
      if (rc_nonempty (line) != NULL)
        g_string_append_printf (s, "%s ", line);
    }
  else
    {
      const RcVoteInfo *vi = rc_vote_get_info (vote);
      const char *symbol = rc_nonempty (vi->symbol) ? vi->symbol : rc_nonempty (vi->draft);

      title = join (symbol, " — ", rc_nonempty (vi->title));
      if (title == NULL)
        title = g_strdup (rc_vote_get_id (vote));
      describe_vote (s, vote);
    }
  *title_out = title != NULL ? title : g_strdup ("Rollcall");
  /* No trailing space after the last sentence. */
  if (s->len > 0 && s->str[s->len - 1] == ' ')
    g_string_truncate (s, s->len - 1);
  return g_string_free (s, FALSE);
}

static cairo_status_t
append_to_string (void *closure, const unsigned char *data, unsigned int length)
{
  g_string_append_len (closure, (const char *) data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Cairo's SVG surface has no metadata API: add <title> and <desc> after the root
 * element's start tag, then write the document to tmp (created by RcAtomicFile, so it
 * keeps the permissions that gave it). */
static gboolean
write_svg (GString *svg, const char *tmp, const char *path, const char *title,
           const char *desc, GError **error)
{
  g_autofree char *t = g_markup_escape_text (title, -1);
  g_autofree char *d = g_markup_escape_text (desc, -1);
  g_autoptr (GError) local = NULL;
  const char *root = strstr (svg->str, "<svg");
  const char *end = root != NULL ? strchr (root, '>') : NULL;
  g_autofree char *meta = NULL;

  if (end == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, _("cannot write %s: %s"), path,
                   _("cairo wrote no SVG root element"));
      return FALSE;
    }
  meta = g_strdup_printf ("\n<title>%s</title>\n<desc>%s</desc>", t, d);
  g_string_insert (svg, end + 1 - svg->str, meta);
  if (!g_file_set_contents_full (tmp, svg->str, (gssize) svg->len, G_FILE_SET_CONTENTS_NONE,
                                 0666, &local))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, _("cannot write %s: %s"), path,
                   local->message);
      return FALSE;
    }
  return TRUE;
}
static gboolean
check_surface (cairo_surface_t *surface, const char *path, GError **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, RC_ERROR, RC_ERROR_FAILED, _("cannot write %s: %s"), path,
               cairo_status_to_string (status));
  return FALSE;
}

/* What to draw: a board, or the screens blanked. */
typedef struct {
  int width, height;
  const RcStyle *style;
  RcSession *session;
  RcVote *vote;
  gboolean blank;
  gint64 clock_time;
} Picture;

static void
paint (PangoContext *context, cairo_t *cr, const Picture *pic)
{
  g_autoptr (RcBoardLayout) layout = NULL;
  g_autoptr (RcPainter) painter = NULL;
  g_autoptr (RcRoster) empty = NULL;
  g_autoptr (RcRoster) shown = NULL;
  const RcSessionInfo *info;
  RcRoster *roster;

  if (pic->blank)
    {
      /* As the hall screens show it: the palette's background, nothing else. */
      RcPalette p;

      rc_style_resolve_palette (
          pic->style, pic->session != NULL ? rc_session_get_chamber (pic->session) : NULL, &p);
      cairo_set_source_rgb (cr, ((p.background >> 16) & 0xff) / 255.0,
                            ((p.background >> 8) & 0xff) / 255.0, (p.background & 0xff) / 255.0);
      cairo_paint (cr);
      return;
    }

  roster = pic->session != NULL ? rc_session_get_roster (pic->session) : NULL;
  if (pic->vote != NULL)
    roster = (RcRoster *) rc_vote_get_roster (pic->vote);
  if (roster == NULL)
    {
      /* Not NULL: rc_roster_new() memcpy()s from it, and memcpy (…, NULL, 0) is
       * undefined behaviour (UBSan says so). */
      RcMember none[1] = { { 0 } };

      roster = empty = rc_roster_new (none, 0, NULL);
    }
  info = pic->session != NULL ? rc_session_get_info (pic->session) : NULL;
  shown = rc_style_board_roster (pic->style, roster, info != NULL ? info->date : NULL);
  layout = rc_board_layout_new (pic->width, pic->height, shown, pic->style, context);
  painter = rc_painter_new ();
  rc_painter_paint_board (painter, cr, layout, pic->style, pic->session, pic->vote,
                          pic->clock_time);
}

static gboolean
render_with (PangoContext *context, const char *tmp, const char *path, RcExportFormat format,
             const Picture *pic, GError **error)
{
  g_autofree char *title = NULL;
  g_autofree char *desc = describe (pic->session, pic->vote, pic->blank, &title);
  g_autoptr (GString) svg = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean ok;

  switch (format)
    {
    case RC_EXPORT_PDF:
      surface = cairo_pdf_surface_create (tmp, pic->width, pic->height);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, desc);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Rollcall");
      break;
    case RC_EXPORT_SVG:
      /* In memory first: the metadata goes in before the file is written once. */
      svg = g_string_new (NULL);
      surface = cairo_svg_surface_create_for_stream (append_to_string, svg, pic->width,
                                                     pic->height);
      /* Pixels, as asked: a 1920×1080 board is 1920 by 1080, not points. */
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      break;
    case RC_EXPORT_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, pic->width, pic->height);
      break;
    }
  if (!check_surface (surface, path, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }

  cr = cairo_create (surface);
  paint (context, cr, pic);
  cairo_destroy (cr);
  if (format == RC_EXPORT_PNG && cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
    {
      cairo_status_t status = cairo_surface_write_to_png (surface, tmp);

      if (status != CAIRO_STATUS_SUCCESS)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED, _("cannot write %s: %s"), path,
                       cairo_status_to_string (status));
          cairo_surface_destroy (surface);
          return FALSE;
        }
    }
  cairo_surface_finish (surface);
  ok = check_surface (surface, path, error);
  cairo_surface_destroy (surface);
  if (ok && format == RC_EXPORT_SVG)
    ok = write_svg (svg, tmp, path, title, desc, error);
  return ok;
}

/* A vote's record in words (rc-record.h), whole or not at all. */
static gboolean
export_record (const char *path, RcExportFormat format, const Picture *pic, GError **error)
{
  g_autoptr (RcAtomicFile) file = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *text = NULL;

  if (pic->vote == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   pic->blank ? _ ("%s: the screens were blank, and a record is a vote's: name "
                                   "one with --vote")
                              : _ ("%s: the screens showed the holding slide, and a record is "
                                   "a vote's: name one with --vote"),
                   path);
      return FALSE;
    }
  text = format == RC_EXPORT_CSV ? rc_record_csv (pic->vote)
                                 : rc_record_text (pic->session, pic->vote);
  file = rc_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;
  if (!g_file_set_contents_full (rc_atomic_file_get_temp_path (file), text, -1,
                                 G_FILE_SET_CONTENTS_NONE, 0666, &local))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, _ ("cannot write %s: %s"), path,
                   local->message);
      return FALSE;
    }
  return rc_atomic_file_commit (file, error);
}

static gboolean
export_picture (const char *path, const Picture *pic, GError **error)
{
  g_autoptr (RcAtomicFile) file = NULL;
  RcExportFormat format;
  PangoContext *context;
  gboolean ok;

  if (!rc_export_format_from_path (path, &format, error))
    return FALSE;
  if (format == RC_EXPORT_CSV || format == RC_EXPORT_TXT)
    return export_record (path, format, pic, error);
  /* Cairo's image surfaces stop at 32767 pixels a side. */
  if (pic->width <= 0 || pic->height <= 0 || pic->width > 32767 || pic->height > 32767)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   _("size %d×%d is out of range (1 to 32767 a side)"), pic->width,
                   pic->height);
      return FALSE;
    }

  /* Written beside the target, flushed and renamed over it: never half a file. */
  file = rc_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;
  /* Pango 1.50 has no autoptr for PangoContext. */
  context = rc_board_measure_context_new ();
  ok = render_with (context, rc_atomic_file_get_temp_path (file), path, format, pic, error);
  g_object_unref (context);
  return ok && rc_atomic_file_commit (file, error);
}

gboolean
rc_export_to_file (const char *path, int width, int height, const RcStyle *style,
                   RcSession *session, RcVote *vote, gint64 clock_time, GError **error)
{
  Picture pic = { width, height, style, session, vote, FALSE, clock_time };

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (session == NULL || RC_IS_SESSION (session), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return export_picture (path, &pic, error);
}

gboolean
rc_export_blank_to_file (const char *path, int width, int height, const RcStyle *style,
                         RcSession *session, GError **error)
{
  Picture pic = { width, height, style, session, NULL, TRUE, 0 };

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (session == NULL || RC_IS_SESSION (session), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return export_picture (path, &pic, error);
}
