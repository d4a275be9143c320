/* rc-board-widget.c — the result board as a GTK widget.
 *
 * The widget decides what the board shows — which session, which vote (or the holding
 * slide, or blank screens), the style and the clock — and turns the session's signals
 * into the smallest repaint: a ballot drops its member's cell and the totals, nothing
 * else. The nodes themselves, and the layout they are painted in, are kept by
 * RcBoardNodes (rc-board-nodes.c). The layout is computed for the widget's size in
 * the board's measuring context (the export's font options, not the desktop's), and
 * again when the size, the style or the roster changes. A window that can foresee its
 * size has the first layout worked out on a thread while GTK starts
 * (rc_board_widget_prepare). */
#include "rc-board-widget.h"
#include "rc-board-widget-private.h"

#include <glib/gi18n.h>

#include "rc-board-a11y.h"
#include "rc-board-nodes.h"
#include "render/rc-board-prepare.h"
#include "render/rc-catalog.h"

struct _RcBoardWidget
{
  GtkWidget parent_instance;

  RcSession *session;
  RcVote *vote;
  char *vote_id; /* the vote shown, or (following nothing) the vote wanted */
  RcBoardFollow follow;
  gboolean blank; /* the session put "blank" on air */
  RcStyle *style;
  gint64 clock_time;

  RcBoardNodes *nodes;
  gboolean painted; /* a frame drew the board as it now stands */
  PangoContext *context;    /* the board's measuring context (rc_board_measure_context_new) */
  RcBoardPrepare *prepare;  /* a first layout being worked out on a thread, or NULL */
  guint layout_generation;  /* counts dropped layouts: a prepared one must be as new */
  guint prepare_generation; /* layout_generation when the preparation started */

  gboolean current_names;       /* today's names instead of those of the day */
  RcRoster *renamed;            /* the shown roster with today's names */
  RcRoster *renamed_from;       /* the roster it was made from (a reference) */
  char *board_language;         /* as set: "" (the user's), "fr", "en,fr" */
  RcBoardA11y *a11y;            /* the board in the accessibility tree */
  RcRoster *translated;         /* the shown roster in the board's language */
  RcRoster *translated_from;    /* the roster it was made from (a reference) */
};

G_DEFINE_FINAL_TYPE (RcBoardWidget, rc_board_widget, GTK_TYPE_WIDGET)
G_DEFINE_BOXED_TYPE (RcStyle, rc_style_boxed, rc_style_copy, rc_style_free)

GType
rc_board_follow_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { RC_BOARD_FOLLOW_NONE, "RC_BOARD_FOLLOW_NONE", "none" },
        { RC_BOARD_FOLLOW_ON_AIR, "RC_BOARD_FOLLOW_ON_AIR", "on-air" },
        { RC_BOARD_FOLLOW_CURRENT, "RC_BOARD_FOLLOW_CURRENT", "current" },
        { 0, NULL, NULL },
      };
      GType t = g_enum_register_static (g_intern_static_string ("RcBoardFollow"), values);

      g_once_init_leave (&type_id, t);
    }
  return type_id;
}

enum {
  PROP_0,
  PROP_SESSION,
  PROP_VOTE,
  PROP_FOLLOW,
  PROP_FOLLOW_ON_AIR,
  PROP_STYLE,
  PROP_GLYPHS,
  PROP_STALE,
  PROP_CLOCK_TIME,
  PROP_CURRENT_NAMES,
  PROP_BOARD_LANGUAGE,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

/* ---- cache invalidation ---------------------------------------------------- */

/* Size, roster or style changed: the geometry must be computed again. */
static void
drop_layout (RcBoardWidget *self)
{
  rc_board_nodes_drop_layout (self->nodes);
  self->layout_generation++;
}

/* Whoever changes what the board shows drops the nodes it affects, then calls this. */
static void
invalidate (RcBoardWidget *self)
{
  self->painted = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static const RcRoster *
session_roster (RcBoardWidget *self)
{
  if (self->vote != NULL)
    return rc_vote_get_roster (self->vote);
  return self->session != NULL ? rc_session_get_roster (self->session) : NULL;
}

/* The roster the board draws: the day's, or the same members in the same places
 * with today's names (from the chamber's data file) when the operator asks. */
static const RcRoster *
shown_roster (RcBoardWidget *self)
{
  const RcRoster *roster = session_roster (self);
  const RcChamberInfo *chamber;

  if (!self->current_names || roster == NULL)
    return roster;
  if (self->renamed_from != roster)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RcRoster) today = NULL;

      g_clear_pointer (&self->renamed, rc_roster_unref);
      g_clear_pointer (&self->renamed_from, rc_roster_unref);
      self->renamed_from = rc_roster_ref ((RcRoster *) roster);
      chamber = rc_session_get_chamber (self->session);
      today = chamber != NULL ? rc_chamber_find_roster (chamber->id, NULL, &error) : NULL;
      if (today != NULL)
        self->renamed = rc_roster_rename (roster, today);
      else
        g_message ("today's names are not known here, showing those of the day: %s",
                   error != NULL ? error->message : "no chamber");
    }
  return self->renamed != NULL ? self->renamed : roster;
}

/* The roster the board draws, in the board's language: the same members in the same
 * places, named and ordered as that language's lists name and order them. */
static const RcRoster *
board_roster (RcBoardWidget *self)
{
  const RcRoster *roster = shown_roster (self);
  const RcSessionInfo *info;

  if (roster == NULL || g_str_equal (self->style->language.first, "en"))
    return roster;
  if (self->translated_from != roster)
    {
      g_clear_pointer (&self->translated, rc_roster_unref);
      g_clear_pointer (&self->translated_from, rc_roster_unref);
      self->translated_from = rc_roster_ref ((RcRoster *) roster);
      info = self->session != NULL ? rc_session_get_info (self->session) : NULL;
      /* Today's names are today's in every language. */
      self->translated = rc_style_board_roster (
        self->style, roster, self->current_names || info == NULL ? NULL : info->date);
    }
  return self->translated;
}

/* What a screen reader says of the board: the vote, its state and its counts. */
static void
update_description (RcBoardWidget *self)
{
  g_autofree char *text = NULL;

  if (self->vote != NULL)
    {
      const RcVoteInfo *info = rc_vote_get_info (self->vote);
      const RcVerdict *verdict = rc_vote_get_verdict (self->vote);
      const char *name = info->symbol != NULL ? info->symbol : info->id;
      const char *result;
      RcTally t;
      /* In the board's first language, as its items are named (rc-board-a11y.c). */
      const RcCatalog *words = rc_catalog_get (self->style->language.first);

      switch (verdict->outcome)
        {
        case RC_OUTCOME_ADOPTED:
          result = rc_catalog_gettext (words, N_ ("adopted"));
          break;
        case RC_OUTCOME_NOT_ADOPTED:
          result = rc_catalog_gettext (words, N_ ("not adopted"));
          break;
        case RC_OUTCOME_UNKNOWN:
          result = rc_catalog_gettext (words, N_ ("result not recorded"));
          break;
        case RC_OUTCOME_PENDING:
        default:
          result = rc_catalog_gettext (words, N_ ("no result yet"));
          break;
        }
      rc_vote_get_shown_tally (self->vote, &t);
      if (rc_vote_get_state (self->vote) == RC_VOTE_CANCELLED)
        {
          /* Translators: the board for screen readers: the vote's symbol (a cancelled
           * vote has no counts) */
          text = g_strdup_printf (rc_catalog_format (words, N_ ("%s: cancelled")), name);
        }
      else if (rc_vote_get_state (self->vote) == RC_VOTE_LOCKED
               && !rc_vote_shows_result (self->vote))
        {
          /* Translators: the board for screen readers: the vote's symbol, how many
           * voted, how many did not (the result is not announced yet) */
          text = g_strdup_printf (
            rc_catalog_format (words,
                               N_ ("%s: voting closed, %u voted, %u did not vote; the result "
                                   "will be announced")),
            name, t.yes + t.no + t.abstain + t.hidden, t.not_voting + t.pending);
        }
      else
        {
          /* Translators: the board for screen readers: the vote's symbol, its counts,
           * and "adopted", "not adopted" or "no result yet" */
          text = g_strdup_printf (
            rc_catalog_format (words,
                               N_ ("%s: %u yes, %u no, %u abstentions, %u did not vote; %s")),
            name, t.yes, t.no, t.abstain, t.not_voting, result);
        }
    }
  else
    text = g_strdup (
      rc_catalog_gettext (rc_catalog_get (self->style->language.first), N_ ("Result board")));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  if (self->a11y != NULL)
    rc_board_a11y_update (self->a11y, self->style, board_roster (self), self->session, self->vote,
                          self->blank);
}

/* ---- which vote is shown --------------------------------------------------- */

static void
show_vote (RcBoardWidget *self, RcVote *vote, gboolean blank)
{
  const RcRoster *before = board_roster (self);
  const RcRoster *after;

  if (self->vote == vote && self->blank == blank)
    return;

  self->vote = vote;
  self->blank = blank;
  if (vote != NULL)
    {
      g_free (self->vote_id);
      self->vote_id = g_strdup (rc_vote_get_id (vote));
    }
  else if (self->follow != RC_BOARD_FOLLOW_NONE)
    g_clear_pointer (&self->vote_id, g_free);

  /* Another vote of the same meeting has the same roster: keep the geometry. */
  after = board_roster (self);
  if (before != after && (before == NULL || after == NULL || !rc_roster_equal (before, after)))
    drop_layout (self);
  else
    rc_board_nodes_drop_all (self->nodes, FALSE);
  update_description (self);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VOTE]);
}

/* Works out the vote to show from the following mode and the session's state. */
static void
update_vote (RcBoardWidget *self)
{
  RcSession *s = self->session;

  if (s == NULL)
    {
      show_vote (self, NULL, FALSE);
      return;
    }

  switch (self->follow)
    {
    case RC_BOARD_FOLLOW_ON_AIR:
      show_vote (self, rc_session_get_on_air_vote (s),
                 rc_session_get_on_air (s) == RC_ON_AIR_BLANK);
      break;
    case RC_BOARD_FOLLOW_CURRENT:
      show_vote (self, rc_session_get_current_vote (s), FALSE);
      break;
    case RC_BOARD_FOLLOW_NONE:
    default:
      show_vote (self, self->vote_id != NULL ? rc_session_find_vote (s, self->vote_id) : NULL,
                 FALSE);
      break;
    }
}

/* ---- session signals ------------------------------------------------------- */

static void
on_vote_changed (RcSession *session, RcVote *vote, RcBoardWidget *self)
{
  if (self->follow == RC_BOARD_FOLLOW_CURRENT)
    update_vote (self);
  if (vote != self->vote || self->blank)
    return;

  /* A scheduled vote described again (docs/events.md) may have another symbol, title
   * or majority: every region again (it has no lights to spare). */
  if (rc_vote_get_state (vote) == RC_VOTE_SCHEDULED)
    rc_board_nodes_drop_all (self->nodes, FALSE);
  /* Lights, counts or the state changed: the next frame compares each light, what the
   * totals show and the header's state with the vote, and rebuilds only what moved. */
  update_description (self);
  invalidate (self);
}

static void
on_vote_added (RcSession *session, RcVote *vote, RcBoardWidget *self)
{
  if (self->follow == RC_BOARD_FOLLOW_CURRENT ||
      (self->follow == RC_BOARD_FOLLOW_NONE && self->vote == NULL &&
       g_strcmp0 (self->vote_id, rc_vote_get_id (vote)) == 0))
    update_vote (self);
}

static void
on_on_air_changed (RcSession *session, RcBoardWidget *self)
{
  if (self->follow != RC_BOARD_FOLLOW_ON_AIR)
    return;
  /* The holding slide again, with another line: the same "vote" (none), new words. */
  if (self->vote == NULL && !self->blank && rc_session_get_on_air (session) == RC_ON_AIR_HOLDING)
    {
      rc_board_nodes_drop_all (self->nodes, FALSE);
      invalidate (self);
    }
  update_vote (self);
}

static void
on_session_changed (RcSession *session, RcBoardWidget *self)
{
  /* Meeting, chamber (palette) or roster: everything may look different. */
  drop_layout (self);
  invalidate (self);
  update_vote (self);
  update_description (self);
}

/* ---- drawing -------------------------------------------------------------- */

static void
snapshot_blank (RcBoardWidget *self, GtkSnapshot *snapshot, int width, int height)
{
  RcPalette p;
  GdkRGBA colour;

  rc_style_resolve_palette (self->style,
                            self->session != NULL ? rc_session_get_chamber (self->session) : NULL,
                            &p);
  colour.red = ((p.background >> 16) & 0xff) / 255.f;
  colour.green = ((p.background >> 8) & 0xff) / 255.f;
  colour.blue = (p.background & 0xff) / 255.f;
  colour.alpha = 1.f;
  gtk_snapshot_append_color (snapshot, &colour, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* The context the board measures and draws text in: the export's (fixed font options,
 * not the desktop's), so the window shows what rollcall-render draws. The first call
 * takes over a prepared context and, if it was made for this very board, its layout. */
static PangoContext *
board_context (RcBoardWidget *self, int width, int height)
{
  if (self->prepare != NULL)
    {
      g_autoptr (RcBoardLayout) layout = NULL;
      g_autoptr (RcPainter) painter = NULL;
      const RcRoster *roster = board_roster (self);

      g_clear_object (&self->context);
      self->context =
        rc_board_prepare_finish (g_steal_pointer (&self->prepare), &layout, &painter);
      if (self->prepare_generation == self->layout_generation && layout->width == width &&
          layout->height == height && roster != NULL && rc_roster_equal (layout->roster, roster))
        rc_board_nodes_adopt_layout (self->nodes, layout, self->context,
                                     g_steal_pointer (&painter));
    }
  if (self->context == NULL)
    self->context = rc_board_measure_context_new ();
  return self->context;
}

static void
rc_board_widget_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  RcBoardWidget *self = RC_BOARD_WIDGET (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  RcBoardScene scene = { self->style, self->session, self->vote, self->clock_time,
                         gtk_widget_get_scale_factor (widget) };

  rc_board_nodes_get_stats (self->nodes)->snapshots++;
  if (width <= 0 || height <= 0)
    return;

  /* No session yet (or no roster), or "blank" on air: the background colour only. */
  if (self->blank
      || !rc_board_nodes_ensure_layout (self->nodes, width, height, board_roster (self),
                                        self->style, board_context (self, width, height)))
    snapshot_blank (self, snapshot, width, height);
  else
    rc_board_nodes_append (self->nodes, snapshot, &scene);
  self->painted = TRUE;
  /* The accessibility tree's parts go where the new layout put their pictures. */
  if (rc_board_a11y_get_layout_serial (self->a11y)
      != (rc_board_nodes_get_layout (self->nodes) != NULL
            ? rc_board_nodes_get_layout (self->nodes)->serial
            : 0))
    gtk_widget_queue_allocate (widget);
}

static void
rc_board_widget_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  RcBoardWidget *self = RC_BOARD_WIDGET (widget);
  const RcBoardLayout *layout = rc_board_nodes_get_layout (self->nodes);

  /* A new size is a new layout; the next snapshot computes it. */
  if (layout != NULL && (layout->width != width || layout->height != height))
    {
      drop_layout (self);
      self->painted = FALSE;
      layout = NULL;
    }
  rc_board_a11y_allocate (self->a11y, layout);
}

static void
rc_board_widget_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                         int *minimum, int *natural, int *minimum_baseline,
                         int *natural_baseline)
{
  /* Any size will do: the layout fits the names to whatever it gets. A natural size
   * of 16:9 gives a sensible window before the first resize. */
  *minimum = 1;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 1280 : 720;
}

/* ---- GObject --------------------------------------------------------------- */

static void
rc_board_widget_dispose (GObject *object)
{
  RcBoardWidget *self = RC_BOARD_WIDGET (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  self->vote = NULL;
  g_clear_object (&self->session);
  if (self->prepare != NULL)
    {
      g_autoptr (RcBoardLayout) layout = NULL;
      g_autoptr (RcPainter) painter = NULL;

      g_object_unref (
        rc_board_prepare_finish (g_steal_pointer (&self->prepare), &layout, &painter));
    }
  g_clear_pointer (&self->a11y, rc_board_a11y_free);
  G_OBJECT_CLASS (rc_board_widget_parent_class)->dispose (object);
}

static void
rc_board_widget_finalize (GObject *object)
{
  RcBoardWidget *self = RC_BOARD_WIDGET (object);

  g_clear_pointer (&self->nodes, rc_board_nodes_free);
  g_clear_object (&self->context);
  g_clear_pointer (&self->style, rc_style_free);
  g_clear_pointer (&self->renamed, rc_roster_unref);
  g_clear_pointer (&self->renamed_from, rc_roster_unref);
  g_clear_pointer (&self->translated, rc_roster_unref);
  g_clear_pointer (&self->translated_from, rc_roster_unref);
  g_free (self->board_language);
  g_free (self->vote_id);
  G_OBJECT_CLASS (rc_board_widget_parent_class)->finalize (object);
}

static void
rc_board_widget_get_property (GObject *object, guint prop_id, GValue *value,
                              GParamSpec *pspec)
{
  RcBoardWidget *self = RC_BOARD_WIDGET (object);

  switch (prop_id)
    {
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    case PROP_VOTE: g_value_set_pointer (value, self->vote); break;
    case PROP_FOLLOW: g_value_set_enum (value, self->follow); break;
    case PROP_FOLLOW_ON_AIR: g_value_set_boolean (value, self->follow == RC_BOARD_FOLLOW_ON_AIR); break;
    case PROP_STYLE: g_value_set_boxed (value, self->style); break;
    case PROP_GLYPHS: g_value_set_boolean (value, self->style->glyphs); break;
    case PROP_CURRENT_NAMES: g_value_set_boolean (value, self->current_names); break;
    case PROP_BOARD_LANGUAGE:
      g_value_set_string (value, self->board_language);
      break;
    case PROP_STALE: g_value_set_boolean (value, self->style->stale); break;
    case PROP_CLOCK_TIME: g_value_set_int64 (value, self->clock_time); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_board_widget_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  RcBoardWidget *self = RC_BOARD_WIDGET (object);

  switch (prop_id)
    {
    case PROP_SESSION: rc_board_widget_set_session (self, g_value_get_object (value)); break;
    case PROP_VOTE: rc_board_widget_set_vote (self, g_value_get_pointer (value)); break;
    case PROP_FOLLOW: rc_board_widget_set_follow (self, g_value_get_enum (value)); break;
    case PROP_FOLLOW_ON_AIR:
      rc_board_widget_set_follow_on_air (self, g_value_get_boolean (value));
      break;
    case PROP_STYLE: rc_board_widget_set_style (self, g_value_get_boxed (value)); break;
    case PROP_GLYPHS: rc_board_widget_set_glyphs (self, g_value_get_boolean (value)); break;
    case PROP_CURRENT_NAMES:
      rc_board_widget_set_current_names (self, g_value_get_boolean (value));
      break;
    case PROP_BOARD_LANGUAGE:
      rc_board_widget_set_board_language (self, g_value_get_string (value));
      break;
    case PROP_STALE: rc_board_widget_set_stale (self, g_value_get_boolean (value)); break;
    case PROP_CLOCK_TIME: rc_board_widget_set_clock_time (self, g_value_get_int64 (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_board_widget_class_init (RcBoardWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = rc_board_widget_dispose;
  object_class->finalize = rc_board_widget_finalize;
  object_class->get_property = rc_board_widget_get_property;
  object_class->set_property = rc_board_widget_set_property;
  widget_class->snapshot = rc_board_widget_snapshot;
  widget_class->size_allocate = rc_board_widget_size_allocate;
  widget_class->measure = rc_board_widget_measure;

  props[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, RC_TYPE_SESSION, flags);
  props[PROP_VOTE] = g_param_spec_pointer ("vote", NULL, NULL, flags);
  props[PROP_FOLLOW] = g_param_spec_enum ("follow", NULL, NULL, RC_TYPE_BOARD_FOLLOW,
                                          RC_BOARD_FOLLOW_NONE, flags);
  props[PROP_FOLLOW_ON_AIR] = g_param_spec_boolean ("follow-on-air", NULL, NULL, FALSE, flags);
  props[PROP_STYLE] = g_param_spec_boxed ("style", NULL, NULL, RC_TYPE_STYLE, flags);
  props[PROP_GLYPHS] = g_param_spec_boolean ("glyphs", NULL, NULL, FALSE, flags);
  props[PROP_CURRENT_NAMES] = g_param_spec_boolean ("current-names", NULL, NULL, FALSE, flags);
  props[PROP_STALE] = g_param_spec_boolean ("stale", NULL, NULL, FALSE, flags);
  /* "" (the user's language, if one of the six, else English), "fr", "en,fr" */
  props[PROP_BOARD_LANGUAGE] = g_param_spec_string ("board-language", NULL, NULL, "", flags);
  /* µs since 1970; 0: no clock. Before 1970 (a vote of 1946) it is negative. */
  props[PROP_CLOCK_TIME]
    = g_param_spec_int64 ("clock-time", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_css_name (widget_class, "rcboard");
  /* A group: its parts (the members, the counts, the verdict) are its children in the
   * accessibility tree (rc-board-a11y.c). */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
rc_board_widget_init (RcBoardWidget *self)
{
  self->style = rc_style_new ();
  self->board_language = g_strdup ("");
  rc_board_language_parse (rc_language_from_environment (), &self->style->language, NULL);
  self->nodes = rc_board_nodes_new ();
  self->a11y = rc_board_a11y_new (GTK_WIDGET (self));
  update_description (self);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  /* It can hold a window's focus (and a screen reader's), and takes no key itself:
   * keys pressed on the board go to the window's shortcuts, never to a button. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
}

GtkWidget *
rc_board_widget_new (void)
{
  return g_object_new (RC_TYPE_BOARD_WIDGET, NULL);
}

/* ---- public API ------------------------------------------------------------ */

RcSession *
rc_board_widget_get_session (RcBoardWidget *self)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), NULL);
  return self->session;
}

void
rc_board_widget_set_session (RcBoardWidget *self, RcSession *session)
{
  g_return_if_fail (RC_IS_BOARD_WIDGET (self));
  g_return_if_fail (session == NULL || RC_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  /* The old session's votes go with it. */
  self->vote = NULL;
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_object (session, "vote-changed", G_CALLBACK (on_vote_changed), self, 0);
      g_signal_connect_object (session, "vote-added", G_CALLBACK (on_vote_added), self, 0);
      g_signal_connect_object (session, "on-air-changed", G_CALLBACK (on_on_air_changed), self,
                               0);
      g_signal_connect_object (session, "session-changed", G_CALLBACK (on_session_changed),
                               self, 0);
    }

  g_object_freeze_notify (G_OBJECT (self));
  drop_layout (self);
  invalidate (self);
  update_vote (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SESSION]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VOTE]);
  g_object_thaw_notify (G_OBJECT (self));
}

RcVote *
rc_board_widget_get_vote (RcBoardWidget *self)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), NULL);
  return self->vote;
}

void
rc_board_widget_set_vote (RcBoardWidget *self, RcVote *vote)
{
  g_return_if_fail (RC_IS_BOARD_WIDGET (self));

  rc_board_widget_set_vote_id (self, vote != NULL ? rc_vote_get_id (vote) : NULL);
}

void
rc_board_widget_set_vote_id (RcBoardWidget *self, const char *vote_id)
{
  g_return_if_fail (RC_IS_BOARD_WIDGET (self));

  g_object_freeze_notify (G_OBJECT (self));
  rc_board_widget_set_follow (self, RC_BOARD_FOLLOW_NONE);
  if (g_strcmp0 (self->vote_id, vote_id) != 0)
    {
      g_free (self->vote_id);
      self->vote_id = g_strdup (vote_id);
    }
  update_vote (self);
  g_object_thaw_notify (G_OBJECT (self));
}

RcBoardFollow
rc_board_widget_get_follow (RcBoardWidget *self)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), RC_BOARD_FOLLOW_NONE);
  return self->follow;
}

void
rc_board_widget_set_follow (RcBoardWidget *self, RcBoardFollow follow)
{
  gboolean was_on_air;

  g_return_if_fail (RC_IS_BOARD_WIDGET (self));
  g_return_if_fail (follow <= RC_BOARD_FOLLOW_CURRENT);

  if (self->follow == follow)
    return;
  was_on_air = self->follow == RC_BOARD_FOLLOW_ON_AIR;
  self->follow = follow;
  update_vote (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FOLLOW]);
  if (was_on_air != (follow == RC_BOARD_FOLLOW_ON_AIR))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FOLLOW_ON_AIR]);
}

gboolean
rc_board_widget_get_follow_on_air (RcBoardWidget *self)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), FALSE);
  return self->follow == RC_BOARD_FOLLOW_ON_AIR;
}

void
rc_board_widget_set_follow_on_air (RcBoardWidget *self, gboolean follow)
{
  g_return_if_fail (RC_IS_BOARD_WIDGET (self));
  rc_board_widget_set_follow (self, follow ? RC_BOARD_FOLLOW_ON_AIR : RC_BOARD_FOLLOW_NONE);
}

const RcStyle *
rc_board_widget_get_style (RcBoardWidget *self)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), NULL);
  return self->style;
}

void
rc_board_widget_set_style (RcBoardWidget *self, const RcStyle *style)
{
  g_autoptr (RcStyle) old = NULL;
  gboolean same_geometry;

  g_return_if_fail (RC_IS_BOARD_WIDGET (self));

  old = self->style;
  self->style = style != NULL ? rc_style_copy (style) : rc_style_new ();
  /* The language is the widget's own setting, not the style's giver's. */
  self->style->language = old->language;
  same_geometry = rc_style_same_geometry (old, self->style);
  if (same_geometry)
    rc_board_nodes_drop_all (self->nodes, FALSE);
  else
    {
      drop_layout (self);
      rc_board_nodes_drop_all (self->nodes, TRUE);
    }
  invalidate (self);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STYLE]);
  if (old->glyphs != self->style->glyphs)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_GLYPHS]);
  if (old->stale != self->style->stale)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STALE]);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
rc_board_widget_get_glyphs (RcBoardWidget *self)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), FALSE);
  return self->style->glyphs;
}

void
rc_board_widget_set_glyphs (RcBoardWidget *self, gboolean glyphs)
{
  g_return_if_fail (RC_IS_BOARD_WIDGET (self));

  glyphs = !!glyphs;
  if (self->style->glyphs == glyphs)
    return;
  self->style->glyphs = glyphs;
  /* Glyphs are inside the lights and the totals' swatches. */
  rc_board_nodes_drop_cells (self->nodes);
  rc_board_nodes_drop_totals (self->nodes);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_GLYPHS]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STYLE]);
}

gboolean
rc_board_widget_get_current_names (RcBoardWidget *self)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), FALSE);
  return self->current_names;
}

void
rc_board_widget_set_current_names (RcBoardWidget *self, gboolean current)
{
  g_return_if_fail (RC_IS_BOARD_WIDGET (self));

  current = !!current;
  if (self->current_names == current)
    return;
  self->current_names = current;
  g_clear_pointer (&self->renamed, rc_roster_unref);
  g_clear_pointer (&self->renamed_from, rc_roster_unref);
  g_clear_pointer (&self->translated, rc_roster_unref);
  g_clear_pointer (&self->translated_from, rc_roster_unref);
  /* Other labels: the layout may choose another type size. */
  drop_layout (self);
  update_description (self);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CURRENT_NAMES]);
}

const char *
rc_board_widget_get_board_language (RcBoardWidget *self)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), NULL);
  return self->board_language;
}

void
rc_board_widget_set_board_language (RcBoardWidget *self, const char *spec)
{
  g_autoptr (GError) error = NULL;
  RcBoardLanguage language;

  g_return_if_fail (RC_IS_BOARD_WIDGET (self));

  if (spec == NULL)
    spec = "";
  if (g_strcmp0 (self->board_language, spec) == 0)
    return;
  if (!rc_board_language_parse (*spec != '\0' ? spec : rc_language_from_environment (), &language,
                                &error))
    {
      /* The setting is checked where it is made (the command line, the preferences):
       * one that is not a language leaves the board as it is. */
      g_message ("board language ignored: %s", error->message);
      return;
    }
  g_free (self->board_language);
  self->board_language = g_strdup (spec);
  if (!rc_board_language_equal (&language, &self->style->language))
    {
      self->style->language = language;
      g_clear_pointer (&self->translated, rc_roster_unref);
      g_clear_pointer (&self->translated_from, rc_roster_unref);
      /* Other words and names, another direction: a new geometry. */
      drop_layout (self);
      rc_board_nodes_drop_all (self->nodes, TRUE);
      update_description (self);
      invalidate (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BOARD_LANGUAGE]);
}

gboolean
rc_board_widget_get_stale (RcBoardWidget *self)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), FALSE);
  return self->style->stale;
}

void
rc_board_widget_set_stale (RcBoardWidget *self, gboolean stale)
{
  g_return_if_fail (RC_IS_BOARD_WIDGET (self));

  stale = !!stale;
  if (self->style->stale == stale)
    return;
  self->style->stale = stale;
  /* The stale mark is in the header, which notices by itself. */
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STALE]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STYLE]);
}

gint64
rc_board_widget_get_clock_time (RcBoardWidget *self)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), 0);
  return self->clock_time;
}

void
rc_board_widget_set_clock_time (RcBoardWidget *self, gint64 clock_time)
{
  g_return_if_fail (RC_IS_BOARD_WIDGET (self));

  if (self->clock_time == clock_time)
    return;
  /* Only a new second shows: anything finer would repaint the header for nothing. */
  if (rc_time_second (clock_time) != rc_time_second (self->clock_time))
    invalidate (self);
  self->clock_time = clock_time;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CLOCK_TIME]);
}

void
rc_board_widget_prepare (RcBoardWidget *self, int width, int height)
{
  const RcRoster *roster;

  g_return_if_fail (RC_IS_BOARD_WIDGET (self));

  roster = board_roster (self);
  /* Once the board has its context, its caches are warm: nothing to gain. */
  if (self->prepare != NULL || self->context != NULL || roster == NULL || width <= 0 ||
      height <= 0)
    return;
  self->prepare_generation = self->layout_generation;
  self->prepare = rc_board_prepare_start (width, height, roster, self->style, self->session,
                                          self->vote != NULL ? rc_vote_get_id (self->vote) : NULL,
                                          self->clock_time);
}

gboolean
rc_board_widget_is_complete (RcBoardWidget *self)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), FALSE);
  return self->painted;
}

/* ---- test API (rc-board-widget-private.h) ---------------------------------- */

void
rc_board_widget_get_stats (RcBoardWidget *self, RcBoardWidgetStats *stats)
{
  g_return_if_fail (RC_IS_BOARD_WIDGET (self));
  g_return_if_fail (stats != NULL);
  *stats = *rc_board_nodes_get_stats (self->nodes);
}

void
rc_board_widget_reset_stats (RcBoardWidget *self)
{
  RcBoardWidgetStats *stats;

  g_return_if_fail (RC_IS_BOARD_WIDGET (self));
  stats = rc_board_nodes_get_stats (self->nodes);
  *stats = (RcBoardWidgetStats) { .last_cell = -1 };
}

GskRenderNode *
rc_board_widget_peek_cell_node (RcBoardWidget *self, guint index)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), NULL);
  return rc_board_nodes_peek_cell (self->nodes, index);
}

GskRenderNode *
rc_board_widget_peek_grid_node (RcBoardWidget *self)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), NULL);
  return rc_board_nodes_peek_grid (self->nodes);
}

const RcBoardLayout *
rc_board_widget_peek_layout (RcBoardWidget *self)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), NULL);
  return rc_board_nodes_get_layout (self->nodes);
}

RcBoardA11y *
rc_board_widget_peek_a11y (RcBoardWidget *self)
{
  g_return_val_if_fail (RC_IS_BOARD_WIDGET (self), NULL);
  return self->a11y;
}
