/* rc-export.c — a board to a PNG, SVG or PDF file, with the same layout and painter as
 * the window.
 *
 * The file is written beside its final name and renamed at the end: a failure (a full
 * disk, an unwritable folder) leaves no file, half-written or otherwise. Vector files
 * carry the vote in words — official names and each member's shown choice — as PDF
 * metadata or SVG <title>/<desc>, since the board itself shows short labels. */
#include "rc-export.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "model/rc-error.h"
#include "rc-board-layout.h"
#include "rc-painter.h"

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
  else
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   _("%s: unsupported output format (use .png, .svg or .pdf)"), path);
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

/* The board in words, with the official names: for the document's metadata. */
static char *
describe (RcSession *session, RcVote *vote, char **title_out)
{
  const RcSessionInfo *info = session != NULL ? rc_session_get_info (session) : NULL;
  const RcChamberInfo *chamber = session != NULL ? rc_session_get_chamber (session) : NULL;
  GString *s = g_string_new (NULL);

  if (chamber != NULL)
    g_string_append_printf (s, "%s. ", chamber->name);
  if (info != NULL)
    g_string_append_printf (s, "%s, %s. ", info->meeting != NULL ? info->meeting : "",
                            info->date != NULL ? info->date : "");
  if (vote == NULL)
    {
      *title_out = g_strdup (info != NULL && info->title != NULL ? info->title : "Rollcall");
      return g_string_free (s, FALSE);
    }
  else
    {
      const RcVoteInfo *vi = rc_vote_get_info (vote);
      const RcVerdict *v = rc_vote_get_verdict (vote);
      RcTally t;

      *title_out = g_strdup_printf ("%s — %s", vi->symbol != NULL ? vi->symbol : vi->draft,
                                    vi->title != NULL ? vi->title : "");
      rc_vote_get_shown_tally (vote, &t);
      g_string_append_printf (s, _("Vote %s (%s): %s. "), rc_vote_get_id (vote),
                              vi->draft != NULL ? vi->draft : "",
                              rc_vote_state_to_string (rc_vote_get_state (vote)));
      g_string_append_printf (s, _("Yes %u, No %u, Abstentions %u, Did not vote %u."), t.yes,
                              t.no, t.abstain, t.not_voting + t.pending);
      if (v->outcome != RC_OUTCOME_PENDING)
        g_string_append_printf (s, " %s.",
                                v->outcome == RC_OUTCOME_ADOPTED ? _("ADOPTED") : _("NOT ADOPTED"));
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
  return g_string_free (s, FALSE);
}

/* Cairo's SVG surface has no metadata API: add <title> and <desc> after the root
 * element's start tag. */
static gboolean
add_svg_metadata (const char *path, const char *title, const char *desc, GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *t = g_markup_escape_text (title, -1);
  g_autofree char *d = g_markup_escape_text (desc, -1);
  g_autoptr (GString) out = NULL;
  const char *svg, *end;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;
  svg = strstr (contents, "<svg");
  end = svg != NULL ? strchr (svg, '>') : NULL;
  if (end == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, _("cairo wrote no SVG root element"));
      return FALSE;
    }
  out = g_string_new_len (contents, end + 1 - contents);
  g_string_append_printf (out, "\n<title>%s</title>\n<desc>%s</desc>", t, d);
  g_string_append (out, end + 1);
  return g_file_set_contents (path, out->str, (gssize) out->len, error);
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

static gboolean
render_with (PangoContext *context, const char *tmp, const char *path, RcExportFormat format, int width, int height,
           const RcStyle *style, RcSession *session, RcVote *vote, gint64 clock_time,
           GError **error)
{
  g_autoptr (RcBoardLayout) layout = NULL;
  g_autoptr (RcPainter) painter = rc_painter_new ();
  g_autofree char *title = NULL;
  g_autofree char *desc = describe (session, vote, &title);
  RcRoster *roster;
  g_autoptr (RcRoster) empty = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean ok;

  roster = session != NULL ? rc_session_get_roster (session) : NULL;
  if (vote != NULL)
    roster = (RcRoster *) rc_vote_get_roster (vote);
  if (roster == NULL)
    {
      /* Not NULL: rc_roster_new() memcpy()s from it, and memcpy (…, NULL, 0) is
       * undefined behaviour (UBSan says so). */
      RcMember none[1] = { { 0 } };

      roster = empty = rc_roster_new (none, 0, NULL);
    }
  layout = rc_board_layout_new (width, height, roster, style, context);

  switch (format)
    {
    case RC_EXPORT_PDF:
      surface = cairo_pdf_surface_create (tmp, width, height);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, desc);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Rollcall");
      break;
    case RC_EXPORT_SVG:
      surface = cairo_svg_surface_create (tmp, width, height);
      /* Pixels, as asked: a 1920×1080 board is 1920 by 1080, not points. */
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      break;
    case RC_EXPORT_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
      break;
    }
  if (!check_surface (surface, path, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }

  cr = cairo_create (surface);
  rc_painter_paint_board (painter, cr, layout, style, session, vote, clock_time);
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
    ok = add_svg_metadata (tmp, title, desc, error);
  return ok;
}

static gboolean
render_to (const char *tmp, const char *path, RcExportFormat format, int width, int height,
           const RcStyle *style, RcSession *session, RcVote *vote, gint64 clock_time,
           GError **error)
{
  /* Pango 1.50 has no autoptr for PangoContext. */
  PangoContext *context = rc_board_measure_context_new ();
  gboolean ok = render_with (context, tmp, path, format, width, height, style, session, vote,
                             clock_time, error);

  g_object_unref (context);
  return ok;
}

gboolean
rc_export_to_file (const char *path, int width, int height, const RcStyle *style,
                   RcSession *session, RcVote *vote, gint64 clock_time, GError **error)
{
  RcExportFormat format;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (session == NULL || RC_IS_SESSION (session), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!rc_export_format_from_path (path, &format, error))
    return FALSE;
  /* Cairo's image surfaces stop at 32767 pixels a side. */
  if (width <= 0 || height <= 0 || width > 32767 || height > 32767)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   _("size %d×%d is out of range (1 to 32767 a side)"), width, height);
      return FALSE;
    }

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  fd = g_mkstemp (tmp);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, _("cannot write %s: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  g_close (fd, NULL);

  if (!render_to (tmp, path, format, width, height, style, session, vote, clock_time, error))
    {
      g_unlink (tmp);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, _("cannot write %s: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
