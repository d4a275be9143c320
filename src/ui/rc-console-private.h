/* rc-console-private.h — RcConsole's parts, shared by its files: rc-console.c (the
 * window, preview and program, take, blank, holding, undo, history, alarms),
 * rc-console-rundown.c (the list of what can be put on air) and rc-console-clerk.c
 * (the clerk's actions on a vote, their confirmations, and the preferences). */
#pragma once

#include "archive/rc-archive.h"
#include "rc-console.h"

G_BEGIN_DECLS

/* One thing the hall can be shown: a vote, blank screens or the holding slide. */
typedef struct {
  RcOnAir show;
  char *vote_id; /* RC_ON_AIR_VOTE only */
  char *text;    /* RC_ON_AIR_HOLDING: its line, or NULL */
  gint64 time;   /* history: the journal time it went on air (µs), 0 if not known */
} RcConsoleItem;

void rc_console_item_free (RcConsoleItem *item);

struct _RcConsole {
  AdwApplicationWindow parent_instance;

  RcSettings *settings;
  RcFeedClient *client;
  RcFeedControlClient *control; /* NULL: watch only */
  gboolean clerk;
  RcSession *session; /* the feed's, listened to */
  GCancellable *cancellable;

  AdwToastOverlay *toasts;
  AdwWindowTitle *title;
  GtkRevealer *alarm;
  GtkLabel *alarm_label;
  GtkListBox *rundown;
  GtkStack *preview_stack;
  RcBoardWidget *preview;
  RcBoardWidget *program;
  GtkLabel *preview_label;
  GtkLabel *program_label;
  GtkEntry *holding_entry;
  GtkWidget *clerk_box;
  GtkListBox *history_list;
  GtkWindow *help_overlay; /* built when first asked for (weak) */

  RcConsoleItem preview_item; /* what Take would put on air */
  GPtrArray *history;         /* RcConsoleItem: what went on air, oldest first */
  gboolean follow_open;
  char *followed_vote; /* the open vote already taken by "follow" */
  guint rebuilding;    /* the rundown is being rebuilt: selection is not the user's */
  gboolean chosen;     /* the operator has selected an item */
  char *sitting;       /* the id of the session the desk remembers things of */
  char *history_fetched; /* the sitting whose history before the desk joined was asked for */
  GCancellable *history_cancellable; /* that request's (NULL before any) */
  gint64 feed_time;    /* the journal time of the feed's last event… */
  gint64 feed_time_at; /* …and the monotonic time it arrived */
  guint clock_id;
  /* the feed's latency as the desk measures it: a take sent, until its on-air event
   * comes back on the desk's own subscription */
  RcConsoleItem *take_waiting; /* the take in flight, or NULL */
  guint take_serial;           /* the number of the last take sent */
  gint64 take_sent_at;         /* its monotonic time (µs) */
  gint64 take_latency;         /* the last round trip (µs), -1 before any */

  /* presentation windows: connector -> RcWindow (NULL while that monitor is away) */
  GHashTable *screens;
  GtkPopover *screens_popover;
  guint inhibit_cookie;
  GtkApplication *inhibit_app; /* the application that holds the inhibition */

  /* the replay desk: the embedded feed's clock, and the archive's sessions */
  RcReplay *replay;
  GtkWidget *transport;
  GtkScale *timeline;
  GtkDropDown *speed;
  GtkButton *play_button;
  GtkLabel *position_label;
  gboolean updating_scale;
  gboolean syncing_speed; /* the speed list shown as the replay's speed: not a choice */
  guint transport_tick;
  GPtrArray *sessions;       /* RcArchiveSessionRow, or NULL */
  GPtrArray *votes;          /* RcArchiveVoteRow of every session, or NULL */
  GHashTable *session_votes; /* session id → GPtrArray of its RcArchiveVoteRow (borrowed) */
  char *archive_name;
  GtkSearchEntry *session_search;
  GtkListBox *session_list;
};

/* rc-console.c */
/* Asks the feed to put item on air; a refusal becomes a toast. */
void rc_console_take_item (RcConsole *self, const RcConsoleItem *item);
/* Shows a toast with this line. */
void rc_console_toast (RcConsole *self, const char *text);
/* The vote selected in the rundown, or NULL. */
RcVote *rc_console_get_selected_vote (RcConsole *self);

/* rc-console-rundown.c */
void rc_console_rundown_init (RcConsole *self);
/* The rows again from the session (a new session, a vote added). */
void rc_console_rundown_rebuild (RcConsole *self);
/* Each row's state, tally and on-air mark again. */
void rc_console_rundown_refresh (RcConsole *self);
/* Moves the selection by delta rows (clamped). */
void rc_console_rundown_move (RcConsole *self, int delta);
/* What the selected row would put on air (the holding slide's line from the entry). */
void rc_console_rundown_get_selected (RcConsole *self, RcConsoleItem *item);
/* A one-line summary of a vote for the operator: "141–5–35 · announced". */
char *rc_console_describe_vote (RcVote *vote);

/* rc-console-screens.c */
void rc_console_screens_init (RcConsole *self);
void rc_console_screens_dispose (RcConsole *self);
GtkWidget *rc_console_screens_button (RcConsole *self);
void rc_console_screens_rebuild_menu (RcConsole *self);

/* rc-console-transport.c */
GtkWidget *rc_console_transport_new (RcConsole *self);
void rc_console_transport_class_init (GtkWidgetClass *widget_class);
void rc_console_sessions_class_init (GtkWidgetClass *widget_class);
void rc_console_transport_dispose (RcConsole *self);
const char *rc_console_get_archive_name (RcConsole *self);

/* rc-console-clerk.c */
void rc_console_clerk_class_init (GtkWidgetClass *widget_class);
/* The clerk's actions enabled as the selected vote's state allows. */
void rc_console_clerk_update (RcConsole *self);
void rc_console_show_preferences (RcConsole *self);

G_END_DECLS
